//! Inbound webhooks over HTTP: Kolay Gelsin's simulator pushes its events to the server as
//! parcels move (tracking updated, COD credited); bad authentication is rejected; a duplicate
//! delivery changes nothing.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{DEMO_KEY, TestServer, amount, shipment};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

fn hash_of(t: &TestServer) -> String {
    let secrets = std::fs::read_to_string(t.dir.join("secrets.toml")).unwrap();
    secrets
        .lines()
        .find_map(|l| l.strip_prefix("kolay_gelsin_webhook_hash = \""))
        .map(|l| l.trim_end_matches('"').to_string())
        .unwrap()
}

async fn push(t: &TestServer, headers: &[(&str, &str)], body: &str) -> (StatusCode, Value) {
    let mut rb = t
        .http
        .post(format!("{}/v1/webhooks/carriers/kolay_gelsin", t.base))
        .header("Content-Type", "application/json")
        .body(body.to_string());
    for (k, v) in headers {
        rb = rb.header(*k, *v);
    }
    let r = rb.send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_pushes_update_tracking_and_credit_cod() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let (s, a) = t
            .post_idem(
                "/v1/shipments",
                DEMO_KEY,
                "KG-1",
                &json!({"shipment": shipment("KG-1"), "carrier": "kolay_gelsin"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let id = a["id"].as_str().unwrap().to_string();
        let mut status = String::new();
        for _ in 0..20 {
            t.advance(DEMO_KEY, 6 * 3600).await;
            // No polling here: only the simulator's pushes move the shipment.
            for _ in 0..20 {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let (_, tr) = t
                    .get(&format!("/v1/shipments/{id}/tracking"), DEMO_KEY)
                    .await;
                status = tr["status"].as_str().unwrap().to_string();
                if status != "created" {
                    break;
                }
            }
            if status == "delivered" {
                break;
            }
        }
        assert_eq!(status, "delivered");
        // The delivery is stored before its COD is credited (two writes): a reader can see
        // the status a moment before the credit, so wait for it (bounded).
        let mut w = Value::Null;
        for _ in 0..50 {
            w = t.get("/v1/wallet", DEMO_KEY).await.1;
            if amount(&w["cod_receivable"]) > rust_decimal::Decimal::ZERO {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(
            amount(&w["cod_receivable"]) > rust_decimal::Decimal::ZERO,
            "{w}"
        );
        t.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_authentication_is_rejected_and_duplicates_change_nothing() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let (s, a) = t
            .post_idem(
                "/v1/shipments",
                DEMO_KEY,
                "KG-2",
                &json!({"shipment": shipment("KG-2"), "carrier": "kolay_gelsin"}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        let id = a["id"].as_str().unwrap().to_string();
        let barcode = a["merchant_key"].as_str().unwrap();
        let kg_id = a["carrier_tracking_number"].as_str().unwrap_or("884213");
        let body = json!({
            "CargoEventType": "12", "ShipmentId": kg_id, "ShipmentItemId": "1",
            "CustomerBarcode": barcode, "LocationName": "TUZLA TM",
            "TimeStamp": "2030-01-02T10:00:00+03:00"
        })
        .to_string();
        let hash = hash_of(&t);
        // Let the simulator's own pushes of the creation events land first.
        tokio::time::sleep(Duration::from_millis(600)).await;
        let (_, tr) = t
            .get(&format!("/v1/shipments/{id}/tracking"), DEMO_KEY)
            .await;
        let events_before = tr["events"].as_array().unwrap().len();

        for headers in [
            vec![],
            vec![("X-KolayGelsin-Hash", "guessed")],
            vec![("Authorization", "Basic a2c6a2c=")],
        ] {
            let (s, e) = push(&t, &headers, &body).await;
            assert_eq!(s, StatusCode::UNAUTHORIZED, "{headers:?}: {e}");
            assert_eq!(e["error"]["code"], "webhook.invalid_signature");
        }
        let (_, tr) = t
            .get(&format!("/v1/shipments/{id}/tracking"), DEMO_KEY)
            .await;
        assert_eq!(
            tr["events"].as_array().unwrap().len(),
            events_before,
            "nothing applied"
        );

        let (s, r) = push(&t, &[("X-KolayGelsin-Hash", &hash)], &body).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(r["applied"], 1);
        let (_, first) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        assert_eq!(first["status"], "picked_up");
        let (s, r) = push(&t, &[("X-KolayGelsin-Hash", &hash)], &body).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(r["duplicates"], 1);
        assert_eq!(r["applied"], 0);
        let (_, second) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        assert_eq!(first, second, "a duplicate changes nothing");

        // Delivered: the COD amount is credited to the wallet; the same push again, and a
        // second delivery event of the same parcel, credit nothing more.
        let (_, w0) = t.get("/v1/wallet", DEMO_KEY).await;
        assert_eq!(amount(&w0["cod_receivable"]), rust_decimal::Decimal::ZERO);
        let delivered = body
            .replace("\"12\"", "\"29\"")
            .replace("T10:00:00", "T15:00:00");
        let (s, r) = push(&t, &[("X-KolayGelsin-Hash", &hash)], &delivered).await;
        assert_eq!((s, &r["applied"]), (StatusCode::OK, &json!(1)), "{r}");
        let (_, done) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        assert_eq!(done["status"], "delivered", "{done}");
        let (_, w1) = t.get("/v1/wallet", DEMO_KEY).await;
        let credited = amount(&w1["cod_receivable"]);
        assert!(credited > rust_decimal::Decimal::ZERO, "{w1}");
        let (_, tx1) = t.get("/v1/wallet/transactions", DEMO_KEY).await;
        let (_, r) = push(&t, &[("X-KolayGelsin-Hash", &hash)], &delivered).await;
        assert_eq!((&r["duplicates"], &r["applied"]), (&json!(1), &json!(0)));
        let later = delivered.replace("T15:00:00", "T15:30:00");
        let (s, r) = push(&t, &[("X-KolayGelsin-Hash", &hash)], &later).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        let (_, w2) = t.get("/v1/wallet", DEMO_KEY).await;
        assert_eq!(w2, w1, "COD is credited once");
        let (_, tx2) = t.get("/v1/wallet/transactions", DEMO_KEY).await;
        assert_eq!(tx2, tx1, "no ledger line added");

        // Unknown shipments are acknowledged (the carrier must not retry forever) but counted.
        let stranger = body
            .replace(barcode, "KJ0000000000")
            .replace("\"12\"", "\"13\"");
        let (_, r) = push(&t, &[("X-KolayGelsin-Hash", &hash)], &stranger).await;
        assert_eq!(r["unmatched"], 1);
        // A malformed body is the sender's error.
        let (s, e) = push(&t, &[("X-KolayGelsin-Hash", &hash)], "{not json").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        // Carriers without a push format.
        let r = t
            .http
            .post(format!("{}/v1/webhooks/carriers/aras", t.base))
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        t.stop().await;
    })
    .await;
}
