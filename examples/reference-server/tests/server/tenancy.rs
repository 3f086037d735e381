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
        let (s, sub) = t
            .post(
                "/v1/webhooks/subscriptions",
                DEMO_KEY,
                &json!({"url": "https://hooks.demo.example/kargojet", "events": ["shipment.status_changed"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sub}");
        let sub_id = sub["subscription"]["id"].as_str().unwrap().to_string();

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
            (
                Method::POST,
                format!("/v1/webhooks/subscriptions/{sub_id}/rotate-secret"),
                Some(json!({})),
                &[],
            ),
            (
                Method::DELETE,
                format!("/v1/webhooks/subscriptions/{sub_id}"),
                None,
                &[],
            ),
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
        let (_, subs) = t.get("/v1/webhooks/subscriptions", ACME_KEY).await;
        assert_eq!(subs["items"].as_array().unwrap().len(), 0);
        let (_, audit) = t.get("/v1/audit", ACME_KEY).await;
        assert!(
            audit["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["actor"] != "key:demotest01"),
            "{audit}"
        );
        // The same idempotency key in another company is another shipment, not A's replay.
        let acme_id = ship(&t, ACME_KEY, "T-1").await;
        assert_ne!(acme_id, id);
        let (_, list) = t.get("/v1/shipments", ACME_KEY).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 1);
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
        let (_, subs) = t.get("/v1/webhooks/subscriptions", DEMO_KEY).await;
        assert_eq!(subs["items"][0]["id"], sub_id.as_str());
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
        Permission::CompanyWrite => vec![
            (Method::PUT, "/v1/company/sender".into(), empty.clone()),
            (Method::GET, "/v1/webhooks/subscriptions".into(), None),
            (
                Method::POST,
                "/v1/webhooks/subscriptions".into(),
                empty.clone(),
            ),
            (
                Method::DELETE,
                "/v1/webhooks/subscriptions/whs_none".into(),
                None,
            ),
            (
                Method::POST,
                "/v1/webhooks/subscriptions/whs_none/rotate-secret".into(),
                empty.clone(),
            ),
            (Method::GET, "/v1/webhooks/deliveries".into(), None),
            (
                Method::POST,
                "/v1/webhooks/deliveries/whd_none/redeliver".into(),
                empty,
            ),
        ],
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
        // Every authenticated operation of the document is in the matrix above (or needs no
        // permission at all: the caller's own company).
        let doc: Value = t
            .http
            .get(format!("{}/openapi.json", t.base))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let tested: Vec<(Method, String)> = MATRIX
            .iter()
            .flat_map(|(p, _)| route_for(*p, &id))
            .map(|(m, path, _)| (m, path))
            .collect();
        let matches = |template: &str, path: &str| {
            let (a, b): (Vec<&str>, Vec<&str>) =
                (template.split('/').collect(), path.split('/').collect());
            a.len() == b.len() && a.iter().zip(&b).all(|(t, p)| t.starts_with('{') || t == p)
        };
        let mut operations = 0;
        for (template, item) in doc["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                if op.get("security").is_none() {
                    continue;
                }
                operations += 1;
                let m = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                if (m.clone(), template.as_str()) == (Method::GET, "/v1/company") {
                    continue;
                }
                assert!(
                    tested
                        .iter()
                        .any(|(tm, path)| *tm == m && matches(template, path)),
                    "{method} {template} is not in the role × route test"
                );
            }
        }
        assert!(operations >= 40, "{operations}");
        // The one operation without a permission: every role reads its own company.
        for (role, key) in &keys {
            let (s, c) = t.get("/v1/company", key).await;
            assert_eq!(s, StatusCode::OK, "{role}: {c}");
            assert_eq!(c["role"], role.id());
        }
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
        let mut wrong_iss = claims.clone();
        wrong_iss["iss"] = json!("another-issuer");
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
                "wrong issuer",
                forge(&hs256, &wrong_iss, &real_key),
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

/// A request the audit test sends: request id, method, path, body, key, expected status and
/// the route template the audit record names.
type Audited<'a> = (
    &'a str,
    Method,
    String,
    Option<Value>,
    &'a str,
    u16,
    &'a str,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_state_changing_request_is_audited() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let finance = t.key_with_role(DEMO_KEY, "finance").await;
        let finance_id = finance.split('_').nth(1).unwrap().to_string();
        let shipment_id = ship(&t, DEMO_KEY, "AUD-1").await;
        let account = json!({"carrier": "sendeo", "name": "audit", "credentials": {"username": "TEST", "password": "TesT.43e54"}, "tariff": TARIFF.replace("acme_sendeo", "demo_audit")});
        let requests: Vec<Audited> = vec![
            (
                "aud-bad-ship",
                Method::POST,
                "/v1/shipments".into(),
                Some(json!({"shipment": shipment("AUD-2"), "colour": "red"})),
                DEMO_KEY,
                400,
                "/v1/shipments",
            ),
            (
                "aud-forbidden",
                Method::POST,
                "/v1/shipments".into(),
                Some(json!({"shipment": shipment("AUD-3")})),
                &finance,
                403,
                "/v1/shipments",
            ),
            (
                "aud-sender",
                Method::PUT,
                "/v1/company/sender".into(),
                Some(shipment("x")["sender"].clone()),
                DEMO_KEY,
                200,
                "/v1/company/sender",
            ),
            (
                "aud-account",
                Method::POST,
                "/v1/carrier-accounts".into(),
                Some(account),
                DEMO_KEY,
                201,
                "/v1/carrier-accounts",
            ),
            (
                "aud-clock",
                Method::POST,
                "/v1/sandbox/clock".into(),
                Some(json!({"advance_secs": 60})),
                DEMO_KEY,
                200,
                "/v1/sandbox/clock",
            ),
            (
                "aud-cancel",
                Method::POST,
                format!("/v1/shipments/{shipment_id}/cancel"),
                None,
                DEMO_KEY,
                200,
                "/v1/shipments/{id}/cancel",
            ),
            (
                "aud-missing",
                Method::POST,
                "/v1/shipments/shp_missing/cancel".into(),
                None,
                DEMO_KEY,
                404,
                "/v1/shipments/{id}/cancel",
            ),
            (
                "aud-revoke",
                Method::DELETE,
                format!("/v1/api-keys/{finance_id}"),
                None,
                DEMO_KEY,
                204,
                "/v1/api-keys/{id}",
            ),
        ];
        for (rid, method, path, body, key, status, _) in &requests {
            let (s, v) = t
                .call(
                    method.clone(),
                    path,
                    Some(key),
                    body.as_ref(),
                    &[("X-Request-Id", rid), ("Idempotency-Key", rid)],
                )
                .await;
            assert_eq!(s.as_u16(), *status, "{rid}: {v}");
        }
        // Reads are not audited, nor are quotes (a POST that stores nothing).
        let (s, q) = t
            .call(
                Method::POST,
                "/v1/quotes",
                Some(DEMO_KEY),
                Some(&json!({"shipment": shipment("AUD-Q")})),
                &[("X-Request-Id", "aud-quote")],
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{q}");
        let (s, _) = t
            .call(
                Method::GET,
                "/v1/shipments",
                Some(DEMO_KEY),
                None,
                &[("X-Request-Id", "aud-read")],
            )
            .await;
        assert_eq!(s, StatusCode::OK);

        let (s, audit) = t.get("/v1/audit?limit=500", DEMO_KEY).await;
        assert_eq!(s, StatusCode::OK, "{audit}");
        let items = audit["items"].as_array().unwrap();
        for (rid, method, path, _, key, status, template) in &requests {
            let found: Vec<&Value> = items.iter().filter(|a| a["request_id"] == *rid).collect();
            assert_eq!(found.len(), 1, "{rid}: one audit record, got {found:?}");
            let a = found[0];
            assert_eq!(a["method"], method.as_str(), "{rid}");
            assert_eq!(a["path"], *template, "{rid}: the route template, not the path");
            assert_eq!(a["status"], *status, "{rid}");
            let key_id = key.split('_').nth(1).unwrap();
            assert_eq!(a["actor"], format!("key:{key_id}"), "{rid}");
            let role = if *key == finance.as_str() { "finance" } else { "admin" };
            assert_eq!(a["role"], role, "{rid}");
            assert!(a["at"].as_str().is_some_and(|at| at.len() >= 20), "{rid}: {a}");
            if template.contains('{') {
                let object = path.rsplit('/').nth(usize::from(path.ends_with("cancel")));
                assert_eq!(a["object"].as_str(), object, "{rid}");
            }
        }
        assert!(
            items.iter().all(|a| a["request_id"] != "aud-read" && a["method"] != "GET"),
            "reads are not audited"
        );
        assert!(
            items
                .iter()
                .all(|a| a["request_id"] != "aud-quote" && a["path"] != "/v1/quotes"),
            "quotes are not audited"
        );
        t.stop().await;
    })
    .await;
}
