//! The simulator's webhook pushes: every event a parcel reaches on the shared clock is POSTed
//! (a real HTTP request, to 127.0.0.1 in tests) as the carrier's documented body, with Basic
//! auth or the hash header. A push that is not answered 2xx stays pending and is sent again on
//! the next round (at least once, as a carrier retrying does).

use super::handler::{Handler, lock};
use crate::webhook::WebhookAuth;
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest};
use kargojet_core::carrier::CarrierId;
use kargojet_core::time::Clock;
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

/// Where and how the simulator pushes events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookTarget {
    /// The merchant's endpoint.
    pub url: String,
    /// The authentication agreed with Kolay Gelsin.
    pub auth: WebhookAuth,
}

/// One push attempt, as the simulator made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The JSON body sent.
    pub body: String,
    /// The receiver's HTTP status, when it answered.
    pub status: Option<u16>,
    /// The transport error, when it did not.
    pub error: Option<String>,
}

/// Push state of one simulator.
#[derive(Debug)]
pub(crate) struct Pusher {
    pub(crate) target: Mutex<Option<WebhookTarget>>,
    delivered: Mutex<HashSet<String>>,
    log: Mutex<Vec<Delivery>>,
    round: tokio::sync::Mutex<()>,
    http: Option<CarrierHttp>,
}

impl Pusher {
    pub(crate) fn new() -> Self {
        let cfg = HttpConfig {
            timeout: Duration::from_secs(2),
            retries: 0,
            ..HttpConfig::fast()
        };
        Pusher {
            target: Mutex::new(None),
            delivered: Mutex::new(HashSet::new()),
            log: Mutex::new(Vec::new()),
            round: tokio::sync::Mutex::new(()),
            http: CarrierHttp::new(CarrierId::KolayGelsin, cfg).ok(),
        }
    }

    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.log).clone()
    }
}

/// One pending or delivered event: its key and body.
fn due(handler: &Handler) -> Vec<(chrono::DateTime<chrono::Utc>, String, String)> {
    let now = handler.clock.now();
    let customer = lock(&handler.account).customer_id;
    let ships = lock(&handler.shipments);
    let mut out = Vec::new();
    for s in ships.iter() {
        for e in s.events(now) {
            for item in &s.items {
                let key = format!(
                    "{}:{}:{}:{}",
                    s.shipment_id,
                    item.item_id,
                    e.code,
                    e.at.timestamp_millis()
                );
                out.push((e.at, key, s.push_body(item, &e, customer).to_string()));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    out
}

async fn post(pusher: &Pusher, target: &WebhookTarget, body: String) -> bool {
    let Some(http) = &pusher.http else {
        return false;
    };
    let (name, value) = target.auth.header();
    let req = OutgoingRequest::post("webhook", target.url.clone())
        .header("Content-Type", "application/json")
        .header(name, value)
        .body(body.clone().into_bytes());
    let (status, error) = match http.send(req).await {
        Ok(r) => (Some(r.status), None),
        Err(e) => (None, Some(e.to_string())),
    };
    lock(&pusher.log).push(Delivery {
        body,
        status,
        error,
    });
    status.is_some_and(|s| (200..300).contains(&s))
}

/// Pushes every reached event not yet acknowledged, oldest first; returns how many the receiver
/// acknowledged (2xx).
pub(crate) async fn push_due(handler: &Handler) -> usize {
    let pusher = &handler.pusher;
    let _round = pusher.round.lock().await;
    let Some(target) = lock(&pusher.target).clone() else {
        return 0;
    };
    let pending: Vec<(String, String)> = {
        let done = lock(&pusher.delivered);
        due(handler)
            .into_iter()
            .filter(|(_, k, _)| !done.contains(k))
            .map(|(_, k, b)| (k, b))
            .collect()
    };
    let mut acknowledged = 0;
    for (key, body) in pending {
        if post(pusher, &target, body).await {
            lock(&pusher.delivered).insert(key);
            acknowledged += 1;
        }
    }
    acknowledged
}

/// Pushes every already acknowledged event once more (a carrier re-delivering); returns how many
/// were acknowledged again.
pub(crate) async fn redeliver(handler: &Handler) -> usize {
    let pusher = &handler.pusher;
    let _round = pusher.round.lock().await;
    let Some(target) = lock(&pusher.target).clone() else {
        return 0;
    };
    let again: Vec<String> = {
        let done = lock(&pusher.delivered);
        due(handler)
            .into_iter()
            .filter(|(_, k, _)| done.contains(k))
            .map(|(_, _, b)| b)
            .collect()
    };
    let mut acknowledged = 0;
    for body in again {
        if post(pusher, &target, body).await {
            acknowledged += 1;
        }
    }
    acknowledged
}
