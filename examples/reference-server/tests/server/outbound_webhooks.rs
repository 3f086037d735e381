//! Outbound webhooks end to end on SQLite: a receiver on 127.0.0.1 gets every event type,
//! signed; a failing receiver ends in the dead letter after N attempts and is redelivered
//! through the API; signatures verify with the current and the previous secret; stale
//! timestamps are rejected. The worker is driven step by step.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::receiver;

use common::{ACME_KEY, DEMO_KEY, TestServer, config, shipment, temp_dir};
use kargojet::webhook;
use kargojet_server::jobs::Worker;
use receiver::Receiver;
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};

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
    assert!(rx.hits().is_empty(), "a deleted subscription gets nothing");
    t.stop().await;
}
