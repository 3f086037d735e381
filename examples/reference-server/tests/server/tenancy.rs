//! Tenancy and auth over HTTP: company B gets 404 on every route for company A's objects;
//! every role × route of the permission matrix; session tokens tampered with (expired, wrong
//! key, `alg: none`, another algorithm); API key revocation; the audit log.

#![allow(clippy::unwrap_used)]

use crate::common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use common::{ACME_KEY, DEMO_KEY, TestServer, shipment};
use kargojet_server::auth::roles::{MATRIX, Permission, Role};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// A request: method, path, body and headers.
type Call<'a> = (Method, String, Option<Value>, &'a [(&'a str, &'a str)]);

async fn ship(t: &TestServer, key: &str, idem: &str) -> String {
    let (s, v) = t
        .post_idem(
            "/v1/shipments",
            key,
            idem,
            &json!({"shipment": shipment(idem), "carrier": "sendeo"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v["id"].as_str().unwrap().to_string()
}

const TARIFF: &str = r#"
id = "acme_sendeo"
carrier = "sendeo"
[[zone]]
zone = "all"
extra_per_desi = "5"
bands = [ { to = "5", price = "40" }, { to = "30", price = "90" } ]
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_company_gets_404_for_every_object() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let id = ship(&t, DEMO_KEY, "T-1").await;
        // Demo's other objects: a bulk upload, a carrier account, an API key.
        let bulk: Value = t
            .http
            .post(format!("{}/v1/shipments/bulk", t.base))
            .header("Authorization", format!("Bearer {DEMO_KEY}"))
            .header("Content-Type", "text/csv")
            .body("Alıcı Adı;Telefon;İl;İlçe;Adres;Desi;Kg\nAyşe Yılmaz;05321234567;Ankara;Çankaya;Kızılay Mah. No: 1;2;1\n")
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let bulk_id = bulk["id"]
            .as_str()
            .unwrap_or_else(|| panic!("{bulk}"))
            .to_string();
        let (s, acct) = t
            .post(
                "/v1/carrier-accounts",
                DEMO_KEY,
                &json!({"carrier": "sendeo", "name": "main", "credentials": {"username": "TEST", "password": "TesT.43e54"}, "tariff": TARIFF, "cod_fee": {"percent": "1.5", "min": "10"}}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{acct}");
        let acct_id = acct["id"].as_str().unwrap().to_string();
        let (_, keys) = t.get("/v1/api-keys", DEMO_KEY).await;
        let key_id = keys["items"][0]["id"].as_str().unwrap().to_string();

        let cases: Vec<Call> = vec![
            (Method::GET, format!("/v1/shipments/{id}"), None, &[]),
            (
                Method::POST,
                format!("/v1/shipments/{id}/cancel"),
                Some(json!({})),
                &[],
            ),
            (
                Method::POST,
                format!("/v1/shipments/{id}/return"),
                Some(json!({})),
                &[("Idempotency-Key", "x")],
            ),
            (Method::GET, format!("/v1/shipments/{id}/label"), None, &[]),
            (
                Method::GET,
                format!("/v1/shipments/{id}/label?format=zpl"),
                None,
                &[],
            ),
            (
                Method::GET,
                format!("/v1/shipments/{id}/tracking"),
                None,
                &[],
            ),
            (
                Method::POST,
                format!("/v1/shipments/{id}/tracking/refresh"),
                Some(json!({})),
                &[],
            ),
            (
                Method::GET,
                format!("/v1/shipments/bulk/{bulk_id}"),
                None,
                &[],
            ),
            (
                Method::GET,
                format!("/v1/shipments/bulk/{bulk_id}/errors"),
                None,
                &[],
            ),
            (
                Method::POST,
                format!("/v1/shipments/bulk/{bulk_id}/purchase"),
                Some(json!({})),
                &[],
            ),
            (
                Method::GET,
                format!("/v1/shipments/bulk/{bulk_id}/labels"),
                None,
                &[],
            ),
            (
                Method::GET,
                format!("/v1/carrier-accounts/{acct_id}"),
                None,
                &[],
            ),
            (
                Method::PATCH,
                format!("/v1/carrier-accounts/{acct_id}"),
                Some(json!({"tariff": TARIFF})),
                &[],
            ),
            (
                Method::DELETE,
                format!("/v1/carrier-accounts/{acct_id}"),
                None,
                &[],
            ),
            (Method::DELETE, format!("/v1/api-keys/{key_id}"), None, &[]),
        ];
        for (method, path, body, headers) in &cases {
            let (s, e) = t
                .call(method.clone(), path, Some(ACME_KEY), body.as_ref(), headers)
                .await;
            assert_eq!(s, StatusCode::NOT_FOUND, "{method} {path}: {e}");
            assert!(
                e["error"]["code"]
                    .as_str()
                    .unwrap()
                    .starts_with("not_found.")
            );
        }
        // A missing shipment and another company's look exactly the same.
        let (_, mine) = t.get(&format!("/v1/shipments/{id}"), ACME_KEY).await;
        let (_, none) = t
            .get("/v1/shipments/shp_doesnotexist000000", ACME_KEY)
            .await;
        assert_eq!(mine["error"]["code"], none["error"]["code"]);
        // Lists never show the other company's rows.
        let (_, list) = t.get("/v1/shipments", ACME_KEY).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
        let (_, accts) = t.get("/v1/carrier-accounts", ACME_KEY).await;
        assert_eq!(accts["items"].as_array().unwrap().len(), 0);
        // A's quotes include its own agreement; B's do not.
        let q = json!({"shipment": shipment("Q")});
        let (_, qa) = t.post("/v1/quotes", DEMO_KEY, &q).await;
        let (_, qb) = t.post("/v1/quotes", ACME_KEY, &q).await;
        let own = |v: &Value| {
            v["offers"]
                .as_array()
                .unwrap()
                .iter()
                .any(|o| o["agreement_kind"] == "own")
        };
        assert!(own(&qa) && !own(&qb));
        // And A's objects are all still there.
        let (s, _) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        assert_eq!(s, StatusCode::OK);
        let (s, _) = t
            .get(&format!("/v1/carrier-accounts/{acct_id}"), DEMO_KEY)
            .await;
        assert_eq!(s, StatusCode::OK);
        t.stop().await;
    })
    .await;
}

/// A request a route answers: method, path, body.
fn route_for(p: Permission, shipment_id: &str) -> Vec<(Method, String, Option<Value>)> {
    let s = shipment_id;
    let empty = Some(json!({}));
    match p {
        Permission::QuoteCreate => vec![
            (Method::POST, "/v1/quotes".into(), empty),
            (Method::GET, "/v1/carriers".into(), None),
        ],
        Permission::ShipmentCreate => vec![
            (Method::POST, "/v1/shipments".into(), empty.clone()),
            (
                Method::POST,
                "/v1/shipments/bulk/blk_none/purchase".into(),
                empty,
            ),
        ],
        Permission::ShipmentRead => vec![
            (Method::GET, "/v1/shipments".into(), None),
            (Method::GET, format!("/v1/shipments/{s}"), None),
            (Method::GET, format!("/v1/shipments/{s}/tracking"), None),
        ],
        Permission::ShipmentCancel => {
            vec![(Method::POST, "/v1/shipments/shp_none/cancel".into(), empty)]
        }
        Permission::ShipmentReturn => {
            vec![(Method::POST, "/v1/shipments/shp_none/return".into(), empty)]
        }
        Permission::LabelRead => vec![
            (Method::GET, format!("/v1/shipments/{s}/label"), None),
            (
                Method::GET,
                "/v1/shipments/bulk/blk_none/labels".into(),
                None,
            ),
        ],
        Permission::TrackingRefresh => vec![(
            Method::POST,
            "/v1/shipments/shp_none/tracking/refresh".into(),
            empty,
        )],
        Permission::BulkUpload => vec![
            (Method::POST, "/v1/shipments/bulk".into(), None),
            (Method::GET, "/v1/shipments/bulk/blk_none".into(), None),
            (
                Method::GET,
                "/v1/shipments/bulk/blk_none/errors".into(),
                None,
            ),
        ],
        Permission::WalletRead => vec![
            (Method::GET, "/v1/wallet".into(), None),
            (Method::GET, "/v1/wallet/holds".into(), None),
            (Method::GET, "/v1/wallet/transactions".into(), None),
        ],
        Permission::WalletTopUp => vec![(Method::POST, "/v1/wallet/top-ups".into(), empty)],
        Permission::StatementRead => vec![(Method::GET, "/v1/wallet/statement".into(), None)],
        Permission::CarrierAccountRead => vec![
            (Method::GET, "/v1/carrier-accounts".into(), None),
            (Method::GET, "/v1/carrier-accounts/ca_none".into(), None),
        ],
        Permission::CarrierAccountWrite => vec![
            (Method::POST, "/v1/carrier-accounts".into(), empty.clone()),
            (Method::PATCH, "/v1/carrier-accounts/ca_none".into(), empty),
            (Method::DELETE, "/v1/carrier-accounts/ca_none".into(), None),
        ],
        Permission::InsightsRead => vec![
            (Method::GET, "/v1/insights".into(), None),
            (Method::GET, "/v1/insights/findings".into(), None),
            (Method::POST, "/v1/insights/questions".into(), empty),
        ],
        Permission::UserManage => vec![
            (Method::GET, "/v1/api-keys".into(), None),
            (Method::POST, "/v1/api-keys".into(), empty.clone()),
            (Method::DELETE, "/v1/api-keys/none".into(), None),
            (Method::GET, "/v1/users".into(), None),
            (Method::POST, "/v1/users".into(), empty),
        ],
        Permission::CompanyWrite => vec![(Method::PUT, "/v1/company/sender".into(), empty)],
        Permission::AuditRead => vec![(Method::GET, "/v1/audit".into(), None)],
        Permission::SandboxControl => vec![
            (Method::GET, "/v1/sandbox/clock".into(), None),
            (Method::POST, "/v1/sandbox/clock".into(), empty),
        ],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_and_route_of_the_matrix() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let id = ship(&t, DEMO_KEY, "M-1").await;
        let mut keys = Vec::new();
        for r in Role::ALL {
            keys.push((r, t.key_with_role(DEMO_KEY, r.id()).await));
        }
        let mut checked = 0;
        for (p, _) in MATRIX {
            let routes = route_for(*p, &id);
            assert!(!routes.is_empty(), "{} has no route in the test", p.id());
            for (method, path, body) in routes {
                for (role, key) in &keys {
                    let (s, e) = t
                        .call(method.clone(), &path, Some(key), body.as_ref(), &[])
                        .await;
                    if role.allows(*p) {
                        assert_ne!(s, StatusCode::FORBIDDEN, "{role} {method} {path}: {e}");
                        assert_ne!(s, StatusCode::UNAUTHORIZED, "{role} {method} {path}: {e}");
                    } else {
                        assert_eq!(s, StatusCode::FORBIDDEN, "{role} {method} {path}: {e}");
                        assert_eq!(e["error"]["code"], "auth.forbidden");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 150, "{checked}");
        // Without credentials every /v1 route is 401.
        for (p, _) in MATRIX {
            for (method, path, body) in route_for(*p, &id) {
                let (s, e) = t
                    .call(method.clone(), &path, None, body.as_ref(), &[])
                    .await;
                assert_eq!(s, StatusCode::UNAUTHORIZED, "{method} {path}");
                assert_eq!(e["error"]["code"], "auth.failed");
            }
        }
        t.stop().await;
    })
    .await;
}

fn forge(header: &Value, claims: &Value, key: &[u8]) -> String {
    use hmac::{Hmac, KeyInit, Mac};
    let h = B64.encode(header.to_string());
    let c = B64.encode(claims.to_string());
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(key).unwrap();
    m.update(format!("{h}.{c}").as_bytes());
    format!("{h}.{c}.{}", B64.encode(m.finalize().into_bytes()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_and_tampered_tokens() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let (s, u) = t
            .post(
                "/v1/users",
                DEMO_KEY,
                &json!({"email": "Finans@Demo.example", "name": "Fatma Finans", "role": "finance", "password": "çok-gizli-parola-123"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{u}");
        let (s, e) = t
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(&json!({"email": "finans@demo.example", "password": "yanlış-parola"})),
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert_eq!(e["error"]["code"], "auth.failed");
        let (s, session) = t
            .call(
                Method::POST,
                "/v1/auth/login",
                None,
                Some(&json!({"email": "finans@demo.example", "password": "çok-gizli-parola-123"})),
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{session}");
        let token = session["token"].as_str().unwrap().to_string();
        assert_eq!(session["role"], "finance");
        let (s, w) = t.get("/v1/wallet", &token).await;
        assert_eq!(s, StatusCode::OK, "{w}");
        let (s, _) = t.post("/v1/quotes", &token, &json!({})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "finance does not quote");

        let parts: Vec<&str> = token.split('.').collect();
        let claims: Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
        let secrets = std::fs::read_to_string(t.dir.join("secrets.toml")).unwrap();
        let secret_b64 = secrets
            .lines()
            .find_map(|l| l.strip_prefix("jwt_secret = \""))
            .map(|l| l.trim_end_matches('"'))
            .unwrap();
        let real_key = base64::engine::general_purpose::STANDARD
            .decode(secret_b64)
            .unwrap();
        let hs256 = json!({"alg": "HS256", "typ": "JWT"});
        // Sanity: the forger reproduces a valid token with the real key.
        let good = forge(&hs256, &claims, &real_key);
        assert_eq!(t.get("/v1/wallet", &good).await.0, StatusCode::OK);
        let now = chrono::Utc::now().timestamp();
        let mut expired = claims.clone();
        expired["iat"] = json!(now - 7200);
        expired["exp"] = json!(now - 3600);
        let mut raised = claims.clone();
        raised["role"] = json!("admin");
        let mut wrong_aud = claims.clone();
        wrong_aud["aud"] = json!("someone-else");
        let mut no_exp = claims.clone();
        no_exp.as_object_mut().unwrap().remove("exp");
        let cases: Vec<(&str, String, &str)> = vec![
            (
                "expired",
                forge(&hs256, &expired, &real_key),
                "auth.expired",
            ),
            (
                "wrong key",
                forge(&hs256, &claims, b"not-the-server-key-not-the-server-key"),
                "auth.failed",
            ),
            (
                "alg none",
                format!(
                    "{}.{}.",
                    B64.encode(r#"{"alg":"none","typ":"JWT"}"#),
                    parts[1]
                ),
                "auth.failed",
            ),
            (
                "HS512 with the real key",
                {
                    use hmac::{Hmac, KeyInit, Mac};
                    let h = B64.encode(r#"{"alg":"HS512","typ":"JWT"}"#);
                    let mut m = Hmac::<sha2::Sha512>::new_from_slice(&real_key).unwrap();
                    m.update(format!("{h}.{}", parts[1]).as_bytes());
                    format!("{h}.{}.{}", parts[1], B64.encode(m.finalize().into_bytes()))
                },
                "auth.failed",
            ),
            (
                "RS256 header, HMAC body (key confusion)",
                forge(&json!({"alg": "RS256", "typ": "JWT"}), &claims, &real_key),
                "auth.failed",
            ),
            (
                "tampered claims",
                format!(
                    "{}.{}.{}",
                    parts[0],
                    B64.encode(raised.to_string()),
                    parts[2]
                ),
                "auth.failed",
            ),
            (
                "wrong audience",
                forge(&hs256, &wrong_aud, &real_key),
                "auth.failed",
            ),
            (
                "no expiry",
                forge(&hs256, &no_exp, &real_key),
                "auth.failed",
            ),
            ("garbage", "not.a.jwt".to_string(), "auth.failed"),
        ];
        for (name, tok, code) in cases {
            let (s, e) = t.get("/v1/wallet", &tok).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{name}: {e}");
            assert_eq!(e["error"]["code"], code, "{name}");
        }
        t.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_keys_are_shown_once_and_revoked_at_once() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let (s, created) = t
            .post(
                "/v1/api-keys",
                DEMO_KEY,
                &json!({"name": "Shopify", "role": "seller"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED);
        let key = created["key"].as_str().unwrap().to_string();
        let kid = created["api_key"]["id"].as_str().unwrap().to_string();
        assert!(key.starts_with("kj_") && key.len() > 50);
        let (s, _) = t.get("/v1/shipments", &key).await;
        assert_eq!(s, StatusCode::OK);
        let (_, list) = t.get("/v1/api-keys", DEMO_KEY).await;
        assert!(!list.to_string().contains(&key), "never listed again");
        let (s, _) = t
            .call(
                Method::DELETE,
                &format!("/v1/api-keys/{kid}"),
                Some(&key),
                None,
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "a seller key manages no keys");
        let (s, _) = t
            .call(
                Method::DELETE,
                &format!("/v1/api-keys/{kid}"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let demo_id = DEMO_KEY.split('_').nth(1).unwrap();
        let (s, e) = t
            .call(
                Method::DELETE,
                &format!("/v1/api-keys/{demo_id}"),
                Some(DEMO_KEY),
                None,
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "no self-revocation: {e}");
        let (s, e) = t.get("/v1/shipments", &key).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        assert!(
            e["error"]["message_en"]
                .as_str()
                .unwrap()
                .contains("revoked")
        );
        let (_, list) = t.get("/v1/api-keys", DEMO_KEY).await;
        let revoked = list["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["id"] == kid.as_str())
            .unwrap();
        assert!(revoked["revoked_at"].is_string());
        // A key of the same shape that was never issued, and an X-Api-Key header.
        let (s, _) = t
            .get(
                "/v1/shipments",
                "kj_aaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
            )
            .await;
        assert_eq!(s, StatusCode::UNAUTHORIZED);
        let (s, _) = t
            .call(
                Method::GET,
                "/v1/wallet",
                None,
                None,
                &[("X-Api-Key", DEMO_KEY)],
            )
            .await;
        assert_eq!(s, StatusCode::OK);

        // Every state change so far is in the audit log, with who, what and the request id.
        let (s, audit) = t
            .call(Method::GET, "/v1/audit", Some(DEMO_KEY), None, &[])
            .await;
        assert_eq!(s, StatusCode::OK);
        let items = audit["items"].as_array().unwrap();
        let revoke = items
            .iter()
            .find(|a| a["method"] == "DELETE" && a["status"] == 204)
            .unwrap();
        assert_eq!(revoke["path"], "/v1/api-keys/{id}");
        assert_eq!(revoke["object"], kid.as_str());
        assert_eq!(revoke["status"], 204);
        assert!(revoke["actor"].as_str().unwrap().starts_with("key:"));
        assert!(revoke["request_id"].as_str().unwrap().starts_with("req_"));
        let r = t
            .raw(
                Method::POST,
                "/v1/api-keys",
                Some(DEMO_KEY),
                Some(&json!({"name": "x", "role": "seller"})),
                &[("X-Request-Id", "my-trace-42")],
            )
            .await;
        assert_eq!(r.headers()["x-request-id"], "my-trace-42");
        let (_, audit) = t.get("/v1/audit?limit=1", DEMO_KEY).await;
        assert_eq!(audit["items"][0]["request_id"], "my-trace-42");
        t.stop().await;
    })
    .await;
}
