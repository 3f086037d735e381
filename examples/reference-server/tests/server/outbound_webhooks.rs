//! Outbound webhooks end to end on SQLite: a receiver on 127.0.0.1 gets every event type,
//! signed; a failing receiver ends in the dead letter after N attempts and is redelivered
//! through the API; signatures verify with the current and the previous secret; stale
//! timestamps are rejected. The worker is driven step by step. The transactional outbox: with
//! recording deliveries made to fail, a shipment insert, a status change and a ledger batch
//! roll back with their events (on SQLite and PostgreSQL).

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::receiver;

use common::{ACME_KEY, DEMO_KEY, TestServer, amount, config, shipment, temp_dir};
use kargojet::money::Money;
use kargojet::shipment::{Shipment, ShipmentId};
use kargojet::time::ManualClock;
use kargojet::wallet::{AccountKey, Applied, Batch, TransferId, Wallet};
use kargojet::webhook;
use kargojet_server::crypto::Sealed;
use kargojet_server::jobs::Worker;
use kargojet_server::jobs::events;
use kargojet_server::store::jobs::{
    DeliveryFilter, EventDeriver, EventRecord, NewJob, SubscriptionRecord,
};
use kargojet_server::store::{self, CompanyRecord};
use receiver::Receiver;
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::Arc;

const MAX_ATTEMPTS: u32 = 3;

async fn server() -> TestServer {
    let dir = temp_dir("outbound");
    let mut c = config(&dir);
    c.jobs.enabled = false;
    c.jobs.allow_private_urls = true;
    c.jobs.backoff_base_ms = 0;
    c.jobs.backoff_max_ms = 0;
    c.jobs.webhook_max_attempts = MAX_ATTEMPTS;
    c.jobs.webhook_timeout_ms = 5_000;
    c.jobs.tracking_min_secs = ["aras", "sendeo", "yurtici"]
        .into_iter()
        .map(|c| (c.to_string(), 0))
        .collect();
    TestServer::start_with(c, dir).await
}

fn worker(t: &TestServer) -> Worker {
    Worker::with_id(t.running().state.clone(), "test-worker").unwrap()
}

async fn subscribe(t: &TestServer, url: &str, events: &[&str]) -> (String, String) {
    let (s, v) = t
        .post(
            "/v1/webhooks/subscriptions",
            DEMO_KEY,
            &json!({"url": url, "events": events}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    (
        v["subscription"]["id"].as_str().unwrap().to_string(),
        v["secret"].as_str().unwrap().to_string(),
    )
}

async fn ship(t: &TestServer, order: &str, carrier: &str) -> Value {
    let body = json!({"shipment": shipment(order), "carrier": carrier});
    let (s, v) = t.post_idem("/v1/shipments", DEMO_KEY, order, &body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    v
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn body_json(h: &receiver::Hit) -> Value {
    serde_json::from_slice(&h.body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_event_type_reaches_the_receiver_signed_with_a_stable_id() {
    common::each_db(every_event_type_reaches_the_receiver_signed_with_a_stable_id_on).await;
}

async fn every_event_type_reaches_the_receiver_signed_with_a_stable_id_on() {
    let t = server().await;
    let rx = Receiver::start().await;
    let all = [
        "shipment.created",
        "shipment.status_changed",
        "shipment.desi_adjusted",
        "wallet.cod_credited",
    ];
    let (_, secret) = subscribe(&t, &rx.url, &all).await;
    let w = worker(&t);
    let a = ship(&t, "OUT-1", "aras").await;
    let id = a["id"].as_str().unwrap().to_string();
    // Aras measures 30 desi: the difference is charged at the branch.
    t.running()
        .state
        .engine
        .sandbox()
        .in_process()
        .unwrap()
        .aras
        .set_measured_desi(a["merchant_key"].as_str().unwrap(), Decimal::from(30));
    w.drain(10).await.unwrap();
    let created = rx.of_type("shipment.created");
    assert_eq!(created.len(), 1);
    let ev = body_json(&created[0]);
    assert_eq!(ev["type"], "shipment.created");
    assert_eq!(ev["id"], created[0].event_id.as_str());
    assert_eq!(ev["data"]["shipment_id"], id.as_str());
    assert!(
        !String::from_utf8_lossy(&created[0].body).contains("Ayşe"),
        "no personal data in event bodies"
    );
    // Travel to delivery: the worker polls (tracking.schedule → tracking.poll).
    for _ in 0..12 {
        t.advance(DEMO_KEY, 6 * 3600).await;
        w.ensure_periodic().await.unwrap();
        kargojet_server::jobs::tracking::schedule(&w).await.unwrap();
        w.drain(10).await.unwrap();
        let (_, s) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        if s["status"] == "delivered" {
            break;
        }
    }
    w.drain(10).await.unwrap();
    let changes = rx.of_type("shipment.status_changed");
    assert!(changes.len() >= 2, "{changes:?}");
    let last = body_json(changes.last().unwrap());
    assert_eq!(last["data"]["status"], "delivered");
    assert!(last["data"]["previous_status"].is_string());
    let desi = rx.of_type("shipment.desi_adjusted");
    assert_eq!(desi.len(), 1);
    let d = body_json(&desi[0]);
    assert_eq!(d["data"]["outcome"], "charged");
    assert_eq!(d["data"]["measured_desi"], "30");
    let cod = rx.of_type("wallet.cod_credited");
    assert_eq!(cod.len(), 1);
    assert_eq!(body_json(&cod[0])["data"]["collected"]["amount"], "750.00");
    // Every request verifies with the subscription's secret, within the tolerance.
    for h in rx.hits() {
        webhook::verify(&h.signature, &h.body, &[secret.as_bytes()], now(), 300).unwrap();
    }
    // Event ids are unique per event and every delivery is recorded as delivered.
    let mut ids: Vec<String> = rx.hits().iter().map(|h| h.event_id.clone()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), rx.hits().len());
    let (_, page) = t.get("/v1/webhooks/deliveries?limit=200", DEMO_KEY).await;
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), rx.hits().len());
    assert!(items.iter().all(|d| d["state"] == "delivered"));
    // Refreshing again changes nothing and sends nothing.
    let before = rx.hits().len();
    let (s, _) = t
        .post(
            &format!("/v1/shipments/{id}/tracking/refresh"),
            DEMO_KEY,
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    w.drain(10).await.unwrap();
    assert_eq!(rx.hits().len(), before);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_receiver_is_dead_lettered_then_redelivered_through_the_api() {
    common::each_db(a_failing_receiver_is_dead_lettered_then_redelivered_through_the_api_on).await;
}

async fn a_failing_receiver_is_dead_lettered_then_redelivered_through_the_api_on() {
    let t = server().await;
    let rx = Receiver::start().await;
    rx.answer(500);
    subscribe(&t, &rx.url, &["shipment.created"]).await;
    let w = worker(&t);
    ship(&t, "OUT-2", "sendeo").await;
    let r = w.drain(20).await.unwrap();
    assert_eq!(r.dead, 1, "{r:?}");
    assert_eq!(r.retried, (MAX_ATTEMPTS - 1) as usize);
    let hits = rx.hits();
    assert_eq!(
        hits.len(),
        MAX_ATTEMPTS as usize,
        "N attempts, then no more"
    );
    assert!(
        hits.iter().all(|h| h.event_id == hits[0].event_id),
        "same event id on every retry"
    );
    assert!(
        hits.iter().all(|h| h.body == hits[0].body),
        "same body on every retry"
    );
    let (_, page) = t.get("/v1/webhooks/deliveries?state=dead", DEMO_KEY).await;
    let dead = page["items"].as_array().unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0]["attempts"], MAX_ATTEMPTS);
    assert_eq!(dead[0]["last_status"], 500);
    let did = dead[0]["id"].as_str().unwrap().to_string();
    // The dead letter stays put.
    assert_eq!(w.drain(5).await.unwrap().claimed, 0);
    assert_eq!(rx.hits().len(), MAX_ATTEMPTS as usize);
    // Another company cannot see or redeliver it.
    let (s, _) = t
        .post(
            &format!("/v1/webhooks/deliveries/{did}/redeliver"),
            ACME_KEY,
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    rx.answer(200);
    // An option redelivery does not have is refused, not ignored: the dead letter stays put.
    let (s, e) = t
        .post(
            &format!("/v1/webhooks/deliveries/{did}/redeliver"),
            DEMO_KEY,
            &json!({"reset_attempts": false}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["code"], "request.unknown_field");
    assert_eq!(e["error"]["field"], "reset_attempts");
    let (_, page) = t.get("/v1/webhooks/deliveries?state=dead", DEMO_KEY).await;
    assert_eq!(page["items"][0]["id"], did.as_str(), "{page}");
    assert_eq!(page["items"][0]["attempts"], MAX_ATTEMPTS);
    assert_eq!(w.drain(5).await.unwrap().claimed, 0, "nothing queued");
    assert_eq!(rx.hits().len(), MAX_ATTEMPTS as usize);
    let (s, v) = t
        .post(
            &format!("/v1/webhooks/deliveries/{did}/redeliver"),
            DEMO_KEY,
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["state"], "pending");
    let r = w.drain(5).await.unwrap();
    assert_eq!(r.done, 1);
    let hits = rx.hits();
    assert_eq!(hits.len(), MAX_ATTEMPTS as usize + 1);
    assert_eq!(hits.last().unwrap().event_id, hits[0].event_id);
    let (_, page) = t.get("/v1/webhooks/deliveries", DEMO_KEY).await;
    assert_eq!(page["items"][0]["state"], "delivered");
    assert_eq!(page["items"][0]["attempts"], MAX_ATTEMPTS + 1);
    // Redelivering a delivered one sends it once more, still under the same event id.
    let (s, _) = t
        .post(
            &format!("/v1/webhooks/deliveries/{did}/redeliver"),
            DEMO_KEY,
            &json!({}),
        )
        .await;
    assert_eq!(s, StatusCode::ACCEPTED);
    w.drain(5).await.unwrap();
    assert_eq!(rx.hits().len(), MAX_ATTEMPTS as usize + 2);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signatures_verify_with_current_and_previous_secret_and_stale_ones_fail() {
    common::each_db(signatures_verify_with_current_and_previous_secret_and_stale_ones_fail_on)
        .await;
}

async fn signatures_verify_with_current_and_previous_secret_and_stale_ones_fail_on() {
    let t = server().await;
    let rx = Receiver::start().await;
    let (sub, old) = subscribe(&t, &rx.url, &["shipment.created"]).await;
    let (s, v) = t
        .post(
            &format!("/v1/webhooks/subscriptions/{sub}/rotate-secret"),
            DEMO_KEY,
            &json!({"grace_secs": 3600}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let new = v["secret"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    assert_eq!(v["subscription"]["active_secrets"], 2);
    assert!(v["subscription"]["previous_secret_expires_at"].is_string());
    let w = worker(&t);
    ship(&t, "OUT-3", "sendeo").await;
    w.drain(5).await.unwrap();
    let h = rx.hits().pop().unwrap();
    assert_eq!(h.signature.matches("v1=").count(), 2, "{}", h.signature);
    let n = now();
    webhook::verify(&h.signature, &h.body, &[new.as_bytes()], n, 300).unwrap();
    webhook::verify(&h.signature, &h.body, &[old.as_bytes()], n, 300).unwrap();
    assert!(webhook::verify(&h.signature, &h.body, &[b"whsec_wrong"], n, 300).is_err());
    assert!(webhook::verify(&h.signature, b"{\"tampered\":1}", &[new.as_bytes()], n, 300).is_err());
    // Stale (a replay ten minutes later) and future timestamps are refused.
    let e = webhook::verify(&h.signature, &h.body, &[new.as_bytes()], n + 600, 300).unwrap_err();
    assert_eq!(e.code().to_string(), "webhook.invalid_signature");
    assert!(webhook::verify(&h.signature, &h.body, &[new.as_bytes()], n - 600, 300).is_err());
    // Rotating with no grace: only the newest secret signs.
    let (_, v) = t
        .post(
            &format!("/v1/webhooks/subscriptions/{sub}/rotate-secret"),
            DEMO_KEY,
            &json!({"grace_secs": 0}),
        )
        .await;
    let newest = v["secret"].as_str().unwrap().to_string();
    assert_eq!(v["subscription"]["active_secrets"], 1);
    ship(&t, "OUT-4", "sendeo").await;
    w.drain(5).await.unwrap();
    let h = rx.hits().pop().unwrap();
    assert_eq!(h.signature.matches("v1=").count(), 1);
    webhook::verify(&h.signature, &h.body, &[newest.as_bytes()], now(), 300).unwrap();
    assert!(
        webhook::verify(
            &h.signature,
            &h.body,
            &[new.as_bytes(), old.as_bytes()],
            now(),
            300
        )
        .is_err()
    );
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscriptions_are_per_company_and_validated() {
    common::each_db(subscriptions_are_per_company_and_validated_on).await;
}

async fn subscriptions_are_per_company_and_validated_on() {
    let t = server().await;
    let rx = Receiver::start().await;
    let (sub, secret) = subscribe(&t, &rx.url, &["shipment.created", "shipment.created"]).await;
    let (s, list) = t.get("/v1/webhooks/subscriptions", DEMO_KEY).await;
    assert_eq!(s, StatusCode::OK);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["events"], json!(["shipment.created"]));
    assert!(
        !list.to_string().contains(&secret),
        "the secret is shown only once"
    );
    let (_, other) = t.get("/v1/webhooks/subscriptions", ACME_KEY).await;
    assert_eq!(other["items"].as_array().unwrap().len(), 0);
    for (body, field) in [
        (
            json!({"url": "ftp://x.example/", "events": ["shipment.created"]}),
            "url",
        ),
        (json!({"url": "https://x.example/", "events": []}), "events"),
    ] {
        let (s, e) = t.post("/v1/webhooks/subscriptions", DEMO_KEY, &body).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        assert_eq!(e["error"]["field"], field);
    }
    let (s, _) = t
        .post(
            "/v1/webhooks/subscriptions",
            DEMO_KEY,
            &json!({"url": "https://x.example/", "events": ["shipment.nope"]}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = t
        .call(
            Method::DELETE,
            &format!("/v1/webhooks/subscriptions/{sub}"),
            Some(ACME_KEY),
            None,
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another company's subscription");
    // An option deleting does not have is refused, not ignored: the subscription stays.
    let (s, e) = t
        .call(
            Method::DELETE,
            &format!("/v1/webhooks/subscriptions/{sub}"),
            Some(DEMO_KEY),
            Some(&json!({"cancel_pending": false})),
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    assert_eq!(e["error"]["code"], "request.unknown_field");
    assert_eq!(e["error"]["field"], "cancel_pending");
    let (_, list) = t.get("/v1/webhooks/subscriptions", DEMO_KEY).await;
    assert_eq!(list["items"][0]["id"], sub.as_str(), "{list}");
    ship(&t, "OUT-5A", "sendeo").await;
    worker(&t).drain(5).await.unwrap();
    assert_eq!(rx.hits().len(), 1, "the subscription still gets its events");
    let (s, _) = t
        .call(
            Method::DELETE,
            &format!("/v1/webhooks/subscriptions/{sub}"),
            Some(DEMO_KEY),
            None,
            &[],
        )
        .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    ship(&t, "OUT-5", "sendeo").await;
    worker(&t).drain(5).await.unwrap();
    assert_eq!(rx.hits().len(), 1, "a deleted subscription gets nothing");
    t.stop().await;
}

// ---------------------------------------------------------------------------------------------
// The transactional outbox: a write and its events commit together or not at all.

/// Every event type.
const ALL_EVENTS: [&str; 4] = [
    "shipment.created",
    "shipment.status_changed",
    "shipment.desi_adjusted",
    "wallet.cod_credited",
];

/// The trigger that makes every delivery insert fail (the outbox cannot record an event).
const BREAK_SQLITE: &str = "CREATE TRIGGER kj_test_broken_outbox BEFORE INSERT ON webhook_deliveries BEGIN SELECT RAISE(ABORT, 'injected outbox failure'); END";
const MEND_SQLITE: &str = "DROP TRIGGER kj_test_broken_outbox";
const BREAK_POSTGRES: &str = "CREATE FUNCTION kj_test_broken_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected outbox failure'; END $$; CREATE TRIGGER kj_test_broken_outbox BEFORE INSERT ON webhook_deliveries FOR EACH ROW EXECUTE FUNCTION kj_test_broken_outbox()";
const MEND_POSTGRES: &str = "DROP TRIGGER kj_test_broken_outbox ON webhook_deliveries; DROP FUNCTION kj_test_broken_outbox()";

/// Runs `sql` on the database at `url` (a SQLite file or a PostgreSQL schema) beside its users.
pub(crate) async fn exec(url: &str, sql: &'static str) {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    }
}

/// The single integer `query` answers on the database at `url`.
pub(crate) async fn count(url: &str, query: &'static str) -> i64 {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        let n: i64 = sqlx::query_scalar(query).fetch_one(&mut c).await.unwrap();
        c.close().await.unwrap();
        n
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        let n: i64 = sqlx::query_scalar(query).fetch_one(&mut c).await.unwrap();
        c.close().await.unwrap();
        n
    }
}

/// Makes recording a delivery fail (`true`) or work again (`false`).
async fn break_outbox(url: &str, broken: bool) {
    let sql = match (url.starts_with("sqlite:"), broken) {
        (true, true) => BREAK_SQLITE,
        (true, false) => MEND_SQLITE,
        (false, true) => BREAK_POSTGRES,
        (false, false) => MEND_POSTGRES,
    };
    exec(url, sql).await;
}

/// Shipments without their `shipment.created` event.
const SHIPMENTS_WITHOUT_EVENT: &str = "SELECT COUNT(*) FROM shipments s WHERE NOT EXISTS (SELECT 1 FROM webhook_events e WHERE e.shipment_id = s.id AND e.type = 'shipment.created')";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_shipment_write_and_its_events_commit_together() {
    common::each_db(a_shipment_write_and_its_events_commit_together_on).await;
}

async fn a_shipment_write_and_its_events_commit_together_on() {
    let t = server().await;
    let url = t.running().state.config.database_url.clone();
    let rx = Receiver::start().await;
    subscribe(&t, &rx.url, &ALL_EVENTS).await;
    let w = worker(&t);
    let before = t.available(DEMO_KEY).await;
    let body = json!({"shipment": shipment("OUT-TX"), "carrier": "sendeo"});

    // 1. The insert's event cannot be recorded: the shipment does not stand either.
    break_outbox(&url, true).await;
    let (s, v) = t
        .post_idem("/v1/shipments", DEMO_KEY, "OUT-TX", &body)
        .await;
    assert!(s.is_server_error(), "{s}: {v}");
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM shipments").await,
        0,
        "the insert rolled back with its event"
    );
    assert_eq!(count(&url, "SELECT COUNT(*) FROM webhook_events").await, 0);
    let (_, list) = t.get("/v1/shipments", DEMO_KEY).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0);

    // 2. The retry (same idempotency key) reconciles with the carrier and writes both, once.
    break_outbox(&url, false).await;
    let (s, a) = t
        .post_idem("/v1/shipments", DEMO_KEY, "OUT-TX", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap().to_string();
    assert_eq!(count(&url, "SELECT COUNT(*) FROM shipments").await, 1);
    assert_eq!(count(&url, SHIPMENTS_WITHOUT_EVENT).await, 0);
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) FROM webhook_events WHERE type = 'shipment.created'"
        )
        .await,
        1
    );
    assert_eq!(
        count(&url, "SELECT COUNT(*) FROM webhook_deliveries").await,
        1
    );
    // Charged once: the first attempt's hold was captured by the retry, not doubled.
    let (_, holds) = t.get("/v1/wallet/holds", DEMO_KEY).await;
    assert_eq!(
        holds["items"].as_array().unwrap().len(),
        1,
        "only the desi reserve is held: {holds}"
    );
    let reserve = amount(&holds["items"][0]["amount"]);
    let cod_part = amount(&a["price"]["cod_fee"]) * Decimal::new(12, 1);
    let after_ship = t.available(DEMO_KEY).await;
    assert_eq!(
        before - after_ship,
        amount(&a["price"]["total"]) - cod_part + reserve
    );

    // 3. Status changes whose events cannot be recorded do not stand: the carrier delivers,
    //    the polls fail, the shipment stays as it was and no money moves.
    break_outbox(&url, true).await;
    for _ in 0..4 {
        t.advance(DEMO_KEY, 24 * 3600).await;
        w.ensure_periodic().await.unwrap();
        kargojet_server::jobs::tracking::schedule(&w).await.unwrap();
        w.drain(10).await.unwrap();
    }
    let (_, stuck) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
    assert_eq!(stuck["status"], "created", "{stuck}");
    assert_eq!(
        count(
            &url,
            "SELECT COUNT(*) FROM webhook_events WHERE type <> 'shipment.created'"
        )
        .await,
        0
    );
    assert_eq!(t.available(DEMO_KEY).await, after_ship);

    // 4. Mended: the next polls write the changes with their events; everything arrives.
    break_outbox(&url, false).await;
    for _ in 0..4 {
        w.ensure_periodic().await.unwrap();
        kargojet_server::jobs::tracking::schedule(&w).await.unwrap();
        w.drain(10).await.unwrap();
        let (_, s) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        if s["status"] == "delivered" {
            break;
        }
        t.advance(DEMO_KEY, 3600).await;
    }
    w.drain(10).await.unwrap();
    let (_, done) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
    assert_eq!(done["status"], "delivered", "{done}");
    assert_eq!(rx.of_type("shipment.created").len(), 1);
    let changes = rx.of_type("shipment.status_changed");
    assert_eq!(changes.len(), 1, "one poll saw the whole journey");
    let change = body_json(&changes[0]);
    assert_eq!(change["data"]["previous_status"], "created");
    assert_eq!(change["data"]["status"], "delivered");
    let cod = rx.of_type("wallet.cod_credited");
    assert_eq!(cod.len(), 1);
    assert_eq!(body_json(&cod[0])["data"]["collected"]["amount"], "750.00");
    assert!(
        t.available(DEMO_KEY).await > after_ship,
        "the COD was credited"
    );
    assert_eq!(count(&url, SHIPMENTS_WITHOUT_EVENT).await, 0);
    t.stop().await;
}

/// Derives one `wallet.cod_credited` event per ledger batch (named by its first transfer) and
/// none for shipments: the ledger path of the outbox on its own.
struct EveryBatch;

impl EventDeriver for EveryBatch {
    fn inserted(&self, _: &Shipment, _: chrono::DateTime<chrono::Utc>) -> Vec<EventRecord> {
        Vec::new()
    }

    fn updated(
        &self,
        _: &Shipment,
        _: &Shipment,
        _: chrono::DateTime<chrono::Utc>,
    ) -> Vec<EventRecord> {
        Vec::new()
    }

    fn batch_shipments(&self, _: &Batch) -> Vec<ShipmentId> {
        Vec::new()
    }

    fn applied(
        &self,
        batch: &Batch,
        _: &[Shipment],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Vec<EventRecord> {
        let first = batch.transfers[0].id.as_str().to_string();
        let company = batch.transfers[0].credit.company_id().unwrap_or("c1");
        vec![events::event_record(
            company,
            events::WALLET_COD_CREDITED,
            None,
            &first,
            json!({ "transfer": first }),
            now,
        )]
    }

    fn delivery_job(&self, delivery_id: &str, event: &EventRecord) -> NewJob {
        events::delivery_job(delivery_id, event.created_at, MAX_ATTEMPTS)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ledger_batch_and_its_events_commit_together() {
    common::each_db(a_ledger_batch_and_its_events_commit_together_on).await;
}

async fn a_ledger_batch_and_its_events_commit_together_on() {
    let dir = temp_dir("outbox-ledger");
    let url = common::current_database()
        .unwrap_or_else(|| format!("sqlite://{}", dir.join("kargojet.db").display()));
    let db = events::instrument_with(store::open(&url).await.unwrap(), Arc::new(EveryBatch));
    let now = chrono::Utc::now();
    let company = CompanyRecord {
        id: "c1".into(),
        name: "C1".into(),
        sender: None,
        created_at: now,
    };
    assert!(db.tenants.create_company(&company).await.unwrap());
    db.outbox
        .create_subscription(&SubscriptionRecord {
            id: "whs_test1".into(),
            company: "c1".into(),
            url: "https://example.com/hook".into(),
            events: vec![events::WALLET_COD_CREDITED.into()],
            sealed: Sealed {
                key_id: "k1".into(),
                nonce: vec![1; 12],
                ciphertext: vec![2; 20],
            },
            created_at: now,
            updated_at: now,
        })
        .await
        .unwrap();
    let wallet = Wallet::new(db.ledger.clone(), Arc::new(ManualClock::new(now)));
    wallet.open_company("c1", Money::zero()).await.unwrap();
    let top = |n: i64| {
        let wallet = &wallet;
        async move {
            wallet
                .top_up(
                    &TransferId::new("top-1"),
                    "c1",
                    Money::from_kurus(n),
                    "EFT-1",
                )
                .await
        }
    };
    let available = AccountKey::available("c1");
    let event = events::event_id(&format!("{}|top-1", events::WALLET_COD_CREDITED));

    break_outbox(&url, true).await;
    assert!(
        top(10_000).await.is_err(),
        "the event could not be recorded"
    );
    assert_eq!(db.ledger.balance(&available).await.unwrap(), Money::zero());
    assert!(
        db.ledger
            .transfer(&TransferId::new("top-1"))
            .await
            .unwrap()
            .is_none(),
        "the batch rolled back with its event"
    );
    assert!(db.outbox.event(&event).await.unwrap().is_none());

    break_outbox(&url, false).await;
    assert_eq!(top(10_000).await.unwrap(), Applied::New);
    assert_eq!(
        db.ledger.balance(&available).await.unwrap(),
        Money::from_kurus(10_000)
    );
    assert!(db.outbox.event(&event).await.unwrap().is_some());
    let page = DeliveryFilter {
        limit: 10,
        ..DeliveryFilter::default()
    };
    let (deliveries, _) = db.outbox.deliveries("c1", &page).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].event_id, event);
    // A replayed batch records nothing more.
    assert_eq!(top(10_000).await.unwrap(), Applied::Replayed);
    let (deliveries, _) = db.outbox.deliveries("c1", &page).await.unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(
        db.jobs
            .jobs(None, Some(kargojet_server::jobs::KIND_DELIVER), 10)
            .await
            .unwrap()
            .len(),
        1
    );
    let _ = std::fs::remove_dir_all(&dir);
}
