//! The job queue (claims, leases, retries, dead letter, requeue), the wallet sweep, the KVKK
//! retention job on SQLite, and — when `KARGOJET_TEST_POSTGRES_URL` is set — two server
//! instances on one PostgreSQL sharing 500 queued webhook deliveries.

#![allow(clippy::unwrap_used)]

use crate::common;
use crate::receiver;

use chrono::Utc;
use common::{DEMO_KEY, TestServer, config, shipment, temp_dir};
use kargojet::money::Money;
use kargojet::wallet::{LineKind, Link, ShipmentKey, TransferId};
use kargojet_server::jobs::events::Emitter;
use kargojet_server::jobs::{Worker, maintenance};
use kargojet_server::store::jobs::{Enqueued, JobState, NewJob};
use reqwest::StatusCode;
use serde_json::json;
use std::collections::HashMap;
use std::time::Duration;

async fn server_on(url: Option<&str>, secrets: Option<&std::path::Path>) -> TestServer {
    let dir = temp_dir("jobs");
    let mut c = config(&dir);
    if let Some(u) = url {
        c.database_url = u.to_string();
    }
    // Replicas share their secrets (credential key, API-key pepper), as in production.
    if let Some(f) = secrets {
        c.secrets_file = f.to_path_buf();
    }
    c.jobs.enabled = false;
    c.jobs.allow_private_urls = true;
    c.jobs.backoff_base_ms = 0;
    c.jobs.backoff_max_ms = 0;
    c.jobs.retention_days = 30;
    c.jobs.tracking_min_secs = [("sendeo".to_string(), 0)].into_iter().collect();
    TestServer::start_with(c, dir).await
}

fn job(
    kind: &str,
    dedup: Option<&str>,
    max_attempts: u32,
    run_at: chrono::DateTime<Utc>,
) -> NewJob {
    NewJob {
        id: kargojet_server::ids::new_id("job"),
        kind: kind.into(),
        dedup_key: dedup.map(str::to_string),
        payload: json!({"n": 1}),
        run_at,
        max_attempts,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_queue_deduplicates_leases_retries_and_dead_letters() {
    common::each_db(the_queue_deduplicates_leases_retries_and_dead_letters_on).await;
}

async fn the_queue_deduplicates_leases_retries_and_dead_letters_on() {
    let t = server_on(None, None).await;
    let q = t.running().state.db.jobs.clone();
    let now = Utc::now();
    let a = q
        .enqueue(&job("test.a", Some("k1"), 2, now), now)
        .await
        .unwrap();
    assert!(matches!(a, Enqueued::New(_)));
    let again = q
        .enqueue(&job("test.a", Some("k1"), 2, now), now)
        .await
        .unwrap();
    assert_eq!(
        again,
        Enqueued::Existing(a.id().to_string()),
        "one queued job per key"
    );
    let lease = Duration::from_secs(30);
    let got = q.claim("w1", 10, now, lease).await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!((got[0].attempts, got[0].state), (1, JobState::Running));
    assert!(
        q.claim("w2", 10, now, lease).await.unwrap().is_empty(),
        "leased"
    );
    // The lease ends (w1 crashed): w2 takes the job over, and w1 can no longer finish it.
    let later = now + chrono::Duration::seconds(31);
    let taken = q.claim("w2", 10, later, lease).await.unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].attempts, 2);
    assert!(!q.complete(a.id(), "w1", later).await.unwrap());
    // w2 fails it with a retry time; it is due again only then.
    let retry = later + chrono::Duration::seconds(10);
    assert!(q.fail(a.id(), "w2", "boom", retry, later).await.unwrap());
    assert!(q.claim("w2", 10, later, lease).await.unwrap().is_empty());
    let third = q.claim("w2", 10, retry, lease).await.unwrap();
    assert_eq!(third[0].last_error.as_deref(), Some("boom"));
    assert!(q.dead_letter(a.id(), "w2", "gave up", retry).await.unwrap());
    let dead = q
        .jobs(Some(JobState::Dead), Some("test.a"), 10)
        .await
        .unwrap();
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].dedup_key, None, "a finished job frees its key");
    // The key is free again; the dead job can be requeued with fresh attempts.
    assert!(matches!(
        q.enqueue(&job("test.a", Some("k1"), 2, now), retry)
            .await
            .unwrap(),
        Enqueued::New(_)
    ));
    assert!(q.requeue(a.id(), now, retry).await.unwrap());
    assert!(
        !q.requeue(a.id(), retry, retry).await.unwrap(),
        "already queued"
    );
    let j = q.job(a.id()).await.unwrap().unwrap();
    assert_eq!((j.state, j.attempts), (JobState::Queued, 0));
    // The worker dead-letters a job of an unknown kind instead of looping on it.
    let w = Worker::with_id(t.running().state.clone(), "w3").unwrap();
    let r = w.run_once().await.unwrap();
    assert_eq!(r.claimed, 2);
    assert_eq!(r.dead, 2);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_sweep_expires_holds_once() {
    common::each_db(the_wallet_sweep_expires_holds_once_on).await;
}

async fn the_wallet_sweep_expires_holds_once_on() {
    let t = server_on(None, None).await;
    let state = t.running().state.clone();
    let before = t.available(DEMO_KEY).await;
    let link = Link::Shipment(ShipmentKey::new("demo", "manual-hold"));
    state
        .engine
        .wallet
        .hold(
            &TransferId::new("test-hold"),
            "demo",
            Money::from_kurus(12_345),
            LineKind::FreightHold,
            link,
            Some(Duration::from_secs(60)),
        )
        .await
        .unwrap();
    assert_eq!(
        before - t.available(DEMO_KEY).await,
        rust_decimal::Decimal::new(12345, 2)
    );
    let w = Worker::with_id(state.clone(), "w").unwrap();
    maintenance::wallet_sweep(&w).await.unwrap();
    assert!(t.available(DEMO_KEY).await < before, "not due yet");
    t.advance(DEMO_KEY, 120).await;
    maintenance::wallet_sweep(&w).await.unwrap();
    assert_eq!(t.available(DEMO_KEY).await, before, "expired and released");
    maintenance::wallet_sweep(&w).await.unwrap();
    assert_eq!(t.available(DEMO_KEY).await, before, "idempotent");
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retention_erases_personal_data_and_keeps_every_ledger_line() {
    common::each_db(retention_erases_personal_data_and_keeps_every_ledger_line_on).await;
}

async fn retention_erases_personal_data_and_keeps_every_ledger_line_on() {
    let t = server_on(None, None).await;
    let state = t.running().state.clone();
    let body = json!({"shipment": shipment("KVKK-1"), "carrier": "sendeo"});
    let (s, a) = t
        .post_idem("/v1/shipments", DEMO_KEY, "KVKK-1", &body)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap().to_string();
    let w = Worker::with_id(state.clone(), "w").unwrap();
    for _ in 0..12 {
        t.advance(DEMO_KEY, 6 * 3600).await;
        kargojet_server::jobs::tracking::schedule(&w).await.unwrap();
        w.drain(10).await.unwrap();
        let (_, v) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
        if v["status"] == "delivered" {
            break;
        }
    }
    // A second shipment stays open: it is not finished, so it is kept whatever its age.
    let body2 = json!({"shipment": shipment("KVKK-2"), "carrier": "aras"});
    let (s, b) = t
        .post_idem("/v1/shipments", DEMO_KEY, "KVKK-2", &body2)
        .await;
    assert_eq!(s, StatusCode::CREATED, "{b}");
    let open_id = b["id"].as_str().unwrap().to_string();
    let (_, v) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
    assert_eq!(v["status"], "delivered");
    assert!(v.to_string().contains("Ayşe Yılmaz"));
    let ledger = state.db.ledger.clone();
    let lines = ledger.company_transfers("demo", None).await.unwrap();
    let balances = ledger.balances().await.unwrap();
    assert!(lines.iter().any(|l| l.line == LineKind::CodCollection));
    let (_, statement_before) = t.get("/v1/wallet/transactions", DEMO_KEY).await;

    // Within the period nothing is erased.
    let r = maintenance::retention_sweep(&w).await.unwrap();
    assert_eq!(r.erased, 0);
    // 31 days later (retention_days = 30) the finished shipment is anonymised.
    t.advance(DEMO_KEY, 31 * 24 * 3600).await;
    let r = maintenance::retention_sweep(&w).await.unwrap();
    assert_eq!(r.erased, 1);
    let stored = state
        .db
        .shipments
        .get(&kargojet::shipment::ShipmentId(id.clone()))
        .await
        .unwrap()
        .unwrap();
    let raw = serde_json::to_string(&stored).unwrap();
    for personal in [
        "Ayşe",
        "Yılmaz",
        "5321234567",
        "ayse@example.com",
        "Kızılay",
        "Atatürk",
    ] {
        assert!(!raw.contains(personal), "{personal} still stored");
    }
    assert_eq!(stored.request.recipient.name, maintenance::ERASED);
    assert_eq!(
        stored.request.recipient.address.district, "Çankaya",
        "region kept"
    );
    assert_eq!(stored.status.id(), "delivered");
    assert!(stored.created.raw.is_empty() && stored.created.label.is_none());
    assert!(
        state
            .db
            .maintenance
            .erased_at(&stored.id)
            .await
            .unwrap()
            .is_some()
    );
    let (_, v) = t.get(&format!("/v1/shipments/{id}"), DEMO_KEY).await;
    assert!(!v.to_string().contains("Ayşe"), "{v}");
    // Every ledger line and balance is exactly as before; the statement too.
    assert_eq!(ledger.company_transfers("demo", None).await.unwrap(), lines);
    assert_eq!(ledger.balances().await.unwrap(), balances);
    let (_, statement_after) = t.get("/v1/wallet/transactions", DEMO_KEY).await;
    assert_eq!(statement_after, statement_before);
    // The open shipment keeps its data; a second sweep erases nothing more.
    let (_, o) = t.get(&format!("/v1/shipments/{open_id}"), DEMO_KEY).await;
    assert!(o.to_string().contains("Ayşe Yılmaz"));
    assert_eq!(maintenance::retention_sweep(&w).await.unwrap().erased, 0);
    t.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_replicas_on_postgres_deliver_500_events_once_each() {
    let Ok(base) = std::env::var("KARGOJET_TEST_POSTGRES_URL") else {
        eprintln!("KARGOJET_TEST_POSTGRES_URL is not set: the two-replica test is skipped");
        return;
    };
    let scratch = common::PgScratch::create(&base).await;
    let shared = temp_dir("replicas").join("secrets.toml");
    let a = server_on(Some(&scratch.url), Some(&shared)).await;
    let b = server_on(Some(&scratch.url), Some(&shared)).await;
    assert_eq!(a.running().state.db.kind, "postgres");
    let rx = receiver::Receiver::start().await;
    let (s, v) = a
        .post(
            "/v1/webhooks/subscriptions",
            DEMO_KEY,
            &json!({"url": rx.url, "events": ["shipment.status_changed"]}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let emitter = Emitter::new(a.running().state.db.outbox.clone(), 8);
    for n in 0..500 {
        let created = emitter
            .emit(
                "demo",
                "shipment.status_changed",
                None,
                &format!("load-{n}"),
                json!({"n": n}),
            )
            .await
            .unwrap();
        assert_eq!(created, 1);
    }
    let wa = Worker::with_id(a.running().state.clone(), "replica-a").unwrap();
    let wb = Worker::with_id(b.running().state.clone(), "replica-b").unwrap();
    let run = |w: Worker| {
        tokio::spawn(async move {
            let mut done = 0;
            let deadline = std::time::Instant::now() + Duration::from_secs(120);
            while std::time::Instant::now() < deadline {
                let r = w.run_once().await.unwrap();
                assert_eq!(r.lost, 0, "no job went to two replicas");
                done += r.done;
                if r.claimed == 0 {
                    break;
                }
            }
            done
        })
    };
    let started = std::time::Instant::now();
    let (da, db) = (run(wa), run(wb));
    let (da, db) = (da.await.unwrap(), db.await.unwrap());
    eprintln!(
        "500 deliveries: replica-a {da}, replica-b {db}, {} ms",
        started.elapsed().as_millis()
    );
    let hits = rx.hits();
    let mut per_event: HashMap<String, usize> = HashMap::new();
    for h in &hits {
        *per_event.entry(h.event_id.clone()).or_default() += 1;
    }
    assert_eq!(per_event.len(), 500, "every event delivered");
    assert!(
        per_event.values().all(|n| *n == 1),
        "none attempted twice while both replicas are healthy"
    );
    assert_eq!(da + db, 500);
    assert!(da > 0 && db > 0, "both replicas took part ({da} / {db})");
    let (_, page) = b
        .get(
            "/v1/webhooks/deliveries?state=delivered&limit=200",
            DEMO_KEY,
        )
        .await;
    assert_eq!(page["items"].as_array().unwrap().len(), 200);
    b.stop().await;
    a.stop().await;
    scratch.drop().await;
}
