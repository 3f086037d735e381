//! Bad input over HTTP: malformed JSON, wrong types, unknown fields, oversized bodies, bad
//! enum values, invalid Turkish addresses, bad headers: each is a 4xx with the coded error and
//! the field path, in the language asked for; nothing is stored and no money moves.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{DEMO_KEY, TestServer, shipment};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// One bad body: name, bytes, expected status, code and field.
type Case<'a> = (&'a str, Vec<u8>, StatusCode, &'a str, Option<&'a str>);

async fn raw_post(
    t: &TestServer,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
    lang: &str,
) -> (StatusCode, Value) {
    let r = t
        .http
        .post(format!("{}{path}", t.base))
        .header("Authorization", format!("Bearer {DEMO_KEY}"))
        .header("Content-Type", content_type)
        .header("Idempotency-Key", "bad-1")
        .header("Accept-Language", lang)
        .body(body)
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_coded_with_their_field_and_change_nothing() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let before = t.available(DEMO_KEY).await;
        let ship = |mutate: &dyn Fn(&mut Value)| {
            let mut b = json!({"shipment": shipment("BAD-1")});
            mutate(&mut b);
            b.to_string().into_bytes()
        };
        let cases: Vec<Case> = vec![
            (
                "malformed JSON",
                b"{\"shipment\": {".to_vec(),
                StatusCode::BAD_REQUEST,
                "request.malformed_body",
                Some("body"),
            ),
            (
                "not an object",
                b"[1,2]".to_vec(),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("body"),
            ),
            (
                "empty",
                Vec::new(),
                StatusCode::BAD_REQUEST,
                "request.malformed_body",
                Some("body"),
            ),
            (
                "trailing garbage",
                ship(&|_| {}).into_iter().chain(*b"xx").collect(),
                StatusCode::BAD_REQUEST,
                "request.malformed_body",
                Some("body"),
            ),
            (
                "wrong type",
                ship(&|b| b["shipment"]["parcels"][0]["weight_kg"] = json!(true)),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("shipment.parcels[0].weight_kg"),
            ),
            (
                "string for a number",
                ship(&|b| b["shipment"]["parcels"][1]["length_cm"] = json!("kırk")),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("shipment.parcels[1].length_cm"),
            ),
            (
                "unknown field",
                ship(&|b| b["shipment"]["recipient"]["nickname"] = json!("Ayşo")),
                StatusCode::BAD_REQUEST,
                "request.unknown_field",
                Some("shipment.recipient.nickname"),
            ),
            (
                "unknown top-level field",
                ship(&|b| b["price"] = json!(1)),
                StatusCode::BAD_REQUEST,
                "request.unknown_field",
                Some("price"),
            ),
            (
                "missing field",
                ship(&|b| {
                    b["shipment"]["recipient"]
                        .as_object_mut()
                        .unwrap()
                        .remove("phone");
                }),
                StatusCode::BAD_REQUEST,
                "request.missing_field",
                Some("shipment.recipient.phone"),
            ),
            (
                "bad enum",
                ship(&|b| b["carrier"] = json!("dhl_express")),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("carrier"),
            ),
            (
                "bad COD payment",
                ship(&|b| b["shipment"]["cod_payment"] = json!("cheque")),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("shipment.cod_payment"),
            ),
            (
                "bad policy enum",
                ship(&|b| b["policy"] = json!({"rank": "prettiest"})),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("policy.rank"),
            ),
            (
                "unknown province",
                ship(&|b| b["shipment"]["recipient"]["address"]["province"] = json!("Atlantis")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.unknown_province",
                Some("shipment.recipient.address.province"),
            ),
            (
                "district of another province",
                ship(&|b| b["shipment"]["recipient"]["address"]["district"] = json!("Kadıköy")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.unknown_district",
                Some("shipment.recipient.address.district"),
            ),
            (
                "address line too short",
                ship(&|b| b["shipment"]["sender"]["address"]["line"] = json!("x")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_address",
                Some("shipment.sender.address.line"),
            ),
            (
                "bad postal code",
                ship(&|b| b["shipment"]["sender"]["address"]["postal_code"] = json!("ABCDE")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_address",
                Some("shipment.sender.address.postal_code"),
            ),
            (
                "bad phone",
                ship(&|b| b["shipment"]["recipient"]["phone"] = json!("123")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_phone",
                Some("shipment.recipient.phone"),
            ),
            (
                "zero weight",
                ship(&|b| b["shipment"]["parcels"][0]["weight_kg"] = json!(0)),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_weight",
                Some("shipment.parcels[0].weight_kg"),
            ),
            (
                "huge dimension",
                ship(&|b| b["shipment"]["parcels"][0]["length_cm"] = json!(1e9)),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_dimensions",
                Some("shipment.parcels[0].length_cm"),
            ),
            (
                "absurd number",
                ship(&|b| b["shipment"]["parcels"][0]["length_cm"] = json!(1e300)),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("shipment.parcels[0].length_cm"),
            ),
            (
                "no parcels",
                ship(&|b| b["shipment"]["parcels"] = json!([])),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid",
                Some("shipment.parcels"),
            ),
            (
                "COD with 3 decimals",
                ship(&|b| b["shipment"]["cod_amount"] = json!("10.005")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_amount",
                Some("shipment.cod_amount"),
            ),
            (
                "negative COD",
                ship(&|b| b["shipment"]["cod_amount"] = json!("-5")),
                StatusCode::UNPROCESSABLE_ENTITY,
                "request.invalid_amount",
                Some("shipment.cod_amount"),
            ),
            (
                "unknown preferred carrier",
                ship(&|b| b["policy"] = json!({"preferred": ["hermes"]})),
                StatusCode::BAD_REQUEST,
                "request.invalid_value",
                Some("policy.preferred[0]"),
            ),
        ];
        for (name, body, status, code, field) in &cases {
            for path in ["/v1/quotes", "/v1/shipments"] {
                let body = if path == "/v1/quotes" {
                    // Quotes take no carrier choice: strip it so the case tests the same field.
                    let mut v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
                    if v.get("carrier").is_some() {
                        continue;
                    }
                    if let Some(o) = v.as_object_mut() {
                        o.remove("agreement_id");
                    }
                    if v.is_null() {
                        body.clone()
                    } else {
                        v.to_string().into_bytes()
                    }
                } else {
                    body.clone()
                };
                let (s, e) = raw_post(&t, path, "application/json", body, "en").await;
                assert_eq!(s, *status, "{name} on {path}: {e}");
                assert_eq!(e["error"]["code"], *code, "{name} on {path}: {e}");
                if let Some(f) = field {
                    assert_eq!(e["error"]["field"], *f, "{name} on {path}: {e}");
                }
                assert!(!e["error"]["message_tr"].as_str().unwrap().is_empty());
                assert_eq!(
                    e["error"]["message"], e["error"]["message_en"],
                    "Accept-Language: en"
                );
                assert!(e["error"]["request_id"].as_str().is_some());
            }
        }
        // Turkish by default and with `tr`.
        let bad = ship(&|b| b["shipment"]["recipient"]["address"]["province"] = json!("Atlantis"));
        let (_, e) = raw_post(&t, "/v1/quotes", "application/json", bad.clone(), "tr").await;
        assert_eq!(e["error"]["message"], e["error"]["message_tr"]);
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap()
                .starts_with("İl bulunamadı")
        );
        // Content type and size.
        let (s, e) = raw_post(&t, "/v1/quotes", "text/plain", bad, "en").await;
        assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(e["error"]["code"], "request.unsupported_media_type");
        let mut big = json!({"shipment": shipment("BIG")});
        big["shipment"]["description"] = json!("x".repeat(100 * 1024));
        let (s, e) = raw_post(
            &t,
            "/v1/shipments",
            "application/json",
            big.to_string().into_bytes(),
            "en",
        )
        .await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
        assert_eq!(e["error"]["code"], "request.body_too_large");
        // Bulk files have their own, larger limit: above the JSON limit is read, above the
        // upload limit is refused.
        let mid = "a;b\n1;2\n".repeat(100 * 1024 / 8).into_bytes();
        let (s, e) = raw_post(&t, "/v1/shipments/bulk", "text/csv", mid, "en").await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["code"], "bulk.missing_column");
        let huge = "a;b\n1;2\n".repeat(300 * 1024 / 8).into_bytes();
        let (s, e) = raw_post(&t, "/v1/shipments/bulk", "text/csv", huge, "en").await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{e}");
        assert_eq!(e["error"]["code"], "request.body_too_large");
        // Bad idempotency keys.
        let ok_body = json!({"shipment": shipment("K")});
        let (s, e) = t
            .call(
                Method::POST,
                "/v1/shipments",
                Some(DEMO_KEY),
                Some(&ok_body),
                &[],
            )
            .await;
        assert_eq!(
            (s, e["error"]["field"].clone()),
            (StatusCode::BAD_REQUEST, json!("Idempotency-Key"))
        );
        let long = "k".repeat(201);
        let (s, _) = t
            .call(
                Method::POST,
                "/v1/shipments",
                Some(DEMO_KEY),
                Some(&ok_body),
                &[("Idempotency-Key", &long)],
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        // Bad top-ups move nothing.
        for body in [
            json!({"amount": "-5", "reference": "x"}),
            json!({"amount": "0.001", "reference": "x"}),
            json!({"amount": "10", "reference": ""}),
            json!({"amount": "abc", "reference": "x"}),
        ] {
            let (s, e) = t
                .post_idem("/v1/wallet/top-ups", DEMO_KEY, "bad-top", &body)
                .await;
            assert!(s.is_client_error(), "{body}: {e}");
        }
        // Unknown routes and methods.
        let (s, e) = t.get("/v1/nothing-here", DEMO_KEY).await;
        assert_eq!(
            (s, e["error"]["code"].clone()),
            (StatusCode::NOT_FOUND, json!("not_found.resource"))
        );
        let (s, e) = t
            .call(Method::DELETE, "/v1/quotes", Some(DEMO_KEY), None, &[])
            .await;
        assert_eq!(
            (s, e["error"]["code"].clone()),
            (
                StatusCode::METHOD_NOT_ALLOWED,
                json!("request.method_not_allowed")
            )
        );
        let (s, e) = t.get("/v1/shipments?limit=0", DEMO_KEY).await;
        assert_eq!(
            (s, e["error"]["field"].clone()),
            (StatusCode::BAD_REQUEST, json!("query.limit"))
        );
        let (s, e) = t.get("/v1/shipments?colour=red", DEMO_KEY).await;
        assert_eq!(
            (s, e["error"]["code"].clone()),
            (StatusCode::BAD_REQUEST, json!("request.unknown_field"))
        );

        // Nothing stored, no money moved.
        let (_, list) = t.get("/v1/shipments", DEMO_KEY).await;
        assert_eq!(list["items"].as_array().unwrap().len(), 0);
        assert_eq!(t.available(DEMO_KEY).await, before);
        let (_, holds) = t.get("/v1/wallet/holds", DEMO_KEY).await;
        assert_eq!(holds["items"].as_array().unwrap().len(), 0);
        t.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn carrier_accounts_never_reveal_credentials() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let tariff = "id = \"demo_sendeo\"\ncarrier = \"sendeo\"\n[[zone]]\nzone = \"all\"\nextra_per_desi = \"5\"\nbands = [ { to = \"30\", price = \"20\" } ]\n";
        let body = json!({"carrier": "sendeo", "name": "main", "credentials": {"username": "TEST", "password": "TesT.43e54"}, "tariff": tariff, "cod_fee": {"percent": "1", "min": "5.00"}});
        let (s, a) = t.post("/v1/carrier-accounts", DEMO_KEY, &body).await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        assert!(!a.to_string().contains("TesT.43e54"));
        assert_eq!(a["credential_fields"], json!(["password", "username"]));
        let (_, list) = t.get("/v1/carrier-accounts", DEMO_KEY).await;
        assert!(!list.to_string().contains("TesT.43e54"));
        // Encrypted at rest: the password is nowhere in the database.
        assert!(
            common::database_contains(&t, b"demo_sendeo").await,
            "the search sees the stored tariff"
        );
        assert!(
            !common::database_contains(&t, b"TesT.43e54").await,
            "stored in clear"
        );
        // The own agreement is quoted and ships with the seller's credentials.
        let (_, q) = t
            .post(
                "/v1/quotes",
                DEMO_KEY,
                &json!({"shipment": shipment("OWN")}),
            )
            .await;
        let own = q["offers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["agreement_kind"] == "own")
            .unwrap_or_else(|| panic!("{q}"))
            .clone();
        assert_eq!(own["account"], "seller:demo:main");
        let before = t.available(DEMO_KEY).await;
        let (s, sh) = t
            .post_idem("/v1/shipments", DEMO_KEY, "OWN-1", &json!({"shipment": shipment("OWN"), "carrier": "sendeo", "agreement_id": own["agreement_id"]}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{sh}");
        assert_eq!(sh["agreement_kind"], "own");
        assert_eq!(
            t.available(DEMO_KEY).await,
            before,
            "the carrier bills the seller directly"
        );
        // Wrong credentials: the simulator refuses them like the carrier would.
        let id = a["id"].as_str().unwrap();
        let (s, _) = t
            .call(
                Method::PATCH,
                &format!("/v1/carrier-accounts/{id}"),
                Some(DEMO_KEY),
                Some(&json!({"credentials": {"username": "TEST", "password": "wrong"}})),
                &[],
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (s, e) = t
            .post_idem("/v1/shipments", DEMO_KEY, "OWN-2", &json!({"shipment": shipment("OWN2"), "carrier": "sendeo", "agreement_id": own["agreement_id"], "policy": {"no_failover": true}}))
            .await;
        assert!(s.is_client_error() || s.is_server_error(), "{e}");
        assert!(
            !e.to_string().contains("wrong"),
            "credentials are never echoed"
        );
        // Bad accounts are refused with their field.
        for (b, field) in [
            (
                json!({"carrier": "sendeo", "name": "x", "credentials": {"username": "a"}, "tariff": tariff}),
                "credentials.password",
            ),
            (
                json!({"carrier": "sendeo", "name": "x", "credentials": {"username": "a", "password": "b", "pin": "1"}, "tariff": tariff}),
                "credentials.pin",
            ),
            (
                json!({"carrier": "sendeo", "name": "Bad Name", "credentials": {"username": "a", "password": "b"}, "tariff": tariff}),
                "name",
            ),
            (
                json!({"carrier": "aras", "name": "x", "credentials": {"order_user_name": "a", "order_password": "b", "query_user_name": "c", "query_password": "d", "customer_code": "e"}, "tariff": tariff}),
                "tariff.carrier",
            ),
            (
                json!({"carrier": "sendeo", "name": "x", "credentials": {"username": "a", "password": "b"}, "tariff": "not toml ["}),
                "tariff",
            ),
        ] {
            let (s, e) = t.post("/v1/carrier-accounts", DEMO_KEY, &b).await;
            assert!(s.is_client_error(), "{b}: {e}");
            assert_eq!(e["error"]["field"], field, "{e}");
        }
        let (s, e) = t.post("/v1/carrier-accounts", DEMO_KEY, &body).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        t.stop().await;
    })
    .await;
}
