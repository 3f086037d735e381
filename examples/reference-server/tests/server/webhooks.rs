//! Inbound webhooks over HTTP: Kolay Gelsin's simulator pushes its events to the server as
//! parcels move (tracking updated, COD credited); bad authentication is rejected; a duplicate
//! delivery changes nothing; nothing is lost either: a delivery whose apply failed (COD credit
//! made to fail) is applied in full by the retry, exactly once, and a claim left behind by a
//! dead process holds the event only until its lease runs out.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::outbound_webhooks::{count, exec};

use common::{DEMO_KEY, TestServer, amount, shipment};
use kargojet::kolaygelsin::webhook::{self, WebhookConfig};
use kargojet_server::api::routes::webhooks::{INBOX_LEASE, kolay_gelsin_auth};
use kargojet_server::store::InboxClaim;
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

/// A Kolay Gelsin shipment of the demo company with COD; its id, barcode and Kolay Gelsin id,
/// once the simulator's own pushes of its creation have landed.
async fn kg_shipment(t: &TestServer, order: &str) -> (String, String, String) {
    let (s, a) = t
        .post_idem(
            "/v1/shipments",
            DEMO_KEY,
            order,
            &json!({"shipment": shipment(order), "carrier": "kolay_gelsin"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    tokio::time::sleep(Duration::from_millis(600)).await;
    (
        a["id"].as_str().unwrap().to_string(),
        a["merchant_key"].as_str().unwrap().to_string(),
        a["carrier_tracking_number"]
            .as_str()
            .unwrap_or("884213")
            .to_string(),
    )
}

/// A push body of one event of `code` at `time` (Turkish local time).
fn event_body(kg_id: &str, barcode: &str, code: &str, time: &str) -> String {
    json!({
        "CargoEventType": code, "ShipmentId": kg_id, "ShipmentItemId": "1",
        "CustomerBarcode": barcode, "LocationName": "TUZLA TM",
        "TimeStamp": format!("2030-01-02T{time}+03:00")
    })
    .to_string()
}

/// How many events of the shipment's history have `status`.
async fn events_with_status(t: &TestServer, id: &str, status: &str) -> usize {
    let (_, tr) = t
        .get(&format!("/v1/shipments/{id}/tracking"), DEMO_KEY)
        .await;
    tr["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["status"] == status)
        .count()
}

/// Makes crediting COD fail (`true`) or work again (`false`): the ledger refuses the
/// collection line of every COD credit.
async fn break_cod(url: &str, broken: bool) {
    let sql = match (url.starts_with("sqlite:"), broken) {
        (true, true) => {
            "CREATE TRIGGER kj_test_broken_cod BEFORE INSERT ON ledger_transfers WHEN NEW.id LIKE '%:cod/collect' BEGIN SELECT RAISE(ABORT, 'injected COD failure'); END"
        }
        (true, false) => "DROP TRIGGER kj_test_broken_cod",
        (false, true) => {
            "CREATE FUNCTION kj_test_broken_cod() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected COD failure'; END $$; CREATE TRIGGER kj_test_broken_cod BEFORE INSERT ON ledger_transfers FOR EACH ROW WHEN (NEW.id LIKE '%:cod/collect') EXECUTE FUNCTION kj_test_broken_cod()"
        }
        (false, false) => {
            "DROP TRIGGER kj_test_broken_cod ON ledger_transfers; DROP FUNCTION kj_test_broken_cod()"
        }
    };
    exec(url, sql).await;
}

const COD_CREDITS: &str = "SELECT COUNT(*) FROM ledger_transfers WHERE id LIKE '%:cod/collect'";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_whose_apply_failed_is_applied_by_the_retry_exactly_once() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let url = t.running().state.config.database_url.clone();
        let hash = hash_of(&t);
        let auth = [("X-KolayGelsin-Hash", hash.as_str())];
        let (id, barcode, kg_id) = kg_shipment(&t, "KG-RETRY").await;
        let delivered = event_body(&kg_id, &barcode, "29", "15:00:00");
        let (_, w0) = t.get("/v1/wallet", DEMO_KEY).await;
        assert_eq!(amount(&w0["cod_receivable"]), rust_decimal::Decimal::ZERO);

        // 1. The delivery is stored, then crediting its COD fails: not acknowledged.
        break_cod(&url, true).await;
        let (s, e) = push(&t, &auth, &delivered).await;
        assert!(s.is_server_error(), "{s}: {e}");
        assert_eq!(count(&url, COD_CREDITS).await, 0);
        let (_, w) = t.get("/v1/wallet", DEMO_KEY).await;
        assert_eq!(
            w["cod_receivable"], w0["cod_receivable"],
            "nothing credited"
        );

        // 2. The carrier's retry is not a duplicate: the COD is credited now.
        break_cod(&url, false).await;
        let (s, r) = push(&t, &auth, &delivered).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(
            (&r["applied"], &r["duplicates"]),
            (&json!(1), &json!(0)),
            "{r}"
        );
        let (_, done) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        assert_eq!(done["status"], "delivered", "{done}");
        assert_eq!(count(&url, COD_CREDITS).await, 1);
        let (_, w1) = t.get("/v1/wallet", DEMO_KEY).await;
        assert!(
            amount(&w1["cod_receivable"]) > rust_decimal::Decimal::ZERO,
            "{w1}"
        );
        assert_eq!(events_with_status(&t, &id, "delivered").await, 1);

        // 3. Once applied, more deliveries of it are duplicates and change nothing.
        let (_, tx1) = t.get("/v1/wallet/transactions", DEMO_KEY).await;
        for _ in 0..2 {
            let (s, r) = push(&t, &auth, &delivered).await;
            assert_eq!(s, StatusCode::OK, "{r}");
            assert_eq!(
                (&r["applied"], &r["duplicates"]),
                (&json!(0), &json!(1)),
                "{r}"
            );
        }
        assert_eq!(count(&url, COD_CREDITS).await, 1, "COD is credited once");
        let (_, w2) = t.get("/v1/wallet", DEMO_KEY).await;
        assert_eq!(w2, w1);
        let (_, tx2) = t.get("/v1/wallet/transactions", DEMO_KEY).await;
        assert_eq!(tx2, tx1, "no ledger line added");
        assert_eq!(events_with_status(&t, &id, "delivered").await, 1);
        t.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_left_by_a_dead_process_holds_the_event_only_for_its_lease() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        let state = t.running().state.clone();
        let hash = hash_of(&t);
        let auth = [("X-KolayGelsin-Hash", hash.as_str())];
        let (id, barcode, kg_id) = kg_shipment(&t, "KG-LEASE").await;
        let cfg = WebhookConfig {
            auth: kolay_gelsin_auth(&state.secrets.kolay_gelsin),
            customer_id: state.secrets.kolay_gelsin_customer_id,
        };
        let event_id = |body: &str| {
            let events = webhook::receive(&cfg, &auth, body.as_bytes()).unwrap();
            assert_eq!(events.len(), 1);
            events[0].event_id.clone()
        };
        let claim_as_dead_process = |event: String, ago: Duration| {
            let db = state.db.clone();
            async move {
                let at = chrono::Utc::now() - chrono::Duration::from_std(ago).unwrap();
                let c = db
                    .inbox
                    .claim(&event, "kolay_gelsin", at, INBOX_LEASE)
                    .await
                    .unwrap();
                assert!(matches!(c, InboxClaim::Claimed { .. }), "{c:?}");
            }
        };
        let picked_up = event_body(&kg_id, &barcode, "12", "10:00:00");
        let at_hub = event_body(&kg_id, &barcode, "13", "11:00:00");

        // A process claimed the pickup two leases ago and died before applying it: the
        // carrier's retry takes the claim over and applies it.
        claim_as_dead_process(event_id(&picked_up), INBOX_LEASE * 2).await;
        let (s, r) = push(&t, &auth, &picked_up).await;
        assert_eq!(s, StatusCode::OK, "{r}");
        assert_eq!(
            (&r["applied"], &r["duplicates"]),
            (&json!(1), &json!(0)),
            "{r}"
        );
        assert_eq!(events_with_status(&t, &id, "picked_up").await, 1);
        let (s, r) = push(&t, &auth, &picked_up).await;
        assert_eq!((s, &r["duplicates"]), (StatusCode::OK, &json!(1)), "{r}");

        // A claim still within its lease (being applied, or its process just died): the push
        // is neither applied nor acknowledged; the carrier is told when to try again.
        claim_as_dead_process(event_id(&at_hub), Duration::ZERO).await;
        let (_, before) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        let r = t
            .http
            .post(format!("{}/v1/webhooks/carriers/kolay_gelsin", t.base))
            .header("Content-Type", "application/json")
            .header(auth[0].0, auth[0].1)
            .body(at_hub.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SERVICE_UNAVAILABLE);
        let wait: u64 = r.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((1..=INBOX_LEASE.as_secs()).contains(&wait), "{wait}");
        let e: Value = r.json().await.unwrap();
        assert_eq!(e["error"]["code"], "store.failed", "{e}");
        let (_, after) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        assert_eq!(before, after, "not applied");
        assert_eq!(events_with_status(&t, &id, "in_transit").await, 0);
        t.stop().await;
    })
    .await;
}
