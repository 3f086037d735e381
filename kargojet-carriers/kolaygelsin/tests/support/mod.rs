//! Test helpers: fixtures, the notes' example shipment, expected-JSON views of results, a
//! webhook receiver on 127.0.0.1.
#![allow(dead_code, clippy::unwrap_used)]

use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse, SimServer};
use kargojet_core::carrier::{AccountId, CreateRequest, ShipmentRef, TrackingUpdate};
use kargojet_core::shipment::{CreatedShipment, MerchantKey, ShipmentDraft};
use kargojet_kolaygelsin::webhook::{self, PushedEvent, WebhookConfig};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Path of a fixture file.
pub fn fixture_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A fixture's bytes.
pub fn fixture_bytes(rel: &str) -> Vec<u8> {
    std::fs::read(fixture_path(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// A fixture's text.
pub fn fixture(rel: &str) -> String {
    String::from_utf8(fixture_bytes(rel)).unwrap()
}

/// A fixture parsed as JSON.
pub fn fixture_json(rel: &str) -> Value {
    serde_json::from_str(&fixture(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// Compares `actual` with `<rel>`; with `KOLAYGELSIN_BLESS=1` writes it instead (review the
/// diff!).
pub fn assert_expected(rel: &str, actual: &Value) {
    if std::env::var("KOLAYGELSIN_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(
            fixture_path(rel),
            serde_json::to_string_pretty(actual).unwrap() + "\n",
        )
        .unwrap();
        return;
    }
    let expected = fixture_json(rel);
    assert_eq!(
        &expected,
        actual,
        "{rel} differs:\n{}",
        serde_json::to_string_pretty(actual).unwrap()
    );
}

/// The notes' example shipment as a KargoJet create request, with merchant key `key`.
pub fn request(key: &str) -> CreateRequest {
    let d = fixture_json("create/example.domain.json");
    let draft: ShipmentDraft = serde_json::from_value(d["draft"].clone()).unwrap();
    CreateRequest {
        shipment: draft.validate().unwrap(),
        merchant_key: MerchantKey(key.into()),
        account: AccountId::platform(),
        service: None,
        billable_desi: d["billable_desi"].as_str().unwrap().parse().unwrap(),
        attempt: 0,
    }
}

/// The notes' example shipment without cash on delivery.
pub fn plain_request(key: &str) -> CreateRequest {
    let mut r = request(key);
    r.shipment.cod = None;
    r
}

/// The reference to act on a created shipment.
pub fn reference(c: &CreatedShipment) -> ShipmentRef {
    ShipmentRef {
        merchant_key: c.merchant_key.clone(),
        carrier_tracking_number: c.carrier_tracking_number.clone(),
        carrier_refs: c.carrier_refs.clone(),
        account: AccountId::platform(),
    }
}

/// The expected-JSON view of a created shipment (label as text, raw left out).
pub fn created_json(c: &CreatedShipment) -> Value {
    json!({
        "merchant_key": c.merchant_key.as_str(),
        "carrier_tracking_number": c.carrier_tracking_number,
        "carrier_refs": c.carrier_refs,
        "label": c.label.as_ref().map(|l| json!({"format": l.format, "text": String::from_utf8_lossy(&l.bytes)})),
    })
}

/// The expected-JSON view of a tracking update (raw left out).
pub fn update_json(u: &TrackingUpdate) -> Value {
    json!({
        "carrier_tracking_number": u.carrier_tracking_number,
        "status": u.status,
        "events": u.events,
    })
}

/// What a webhook receiver saw.
#[derive(Debug, Default)]
pub struct Received {
    /// Authenticated, parsed pushes.
    pub events: Vec<PushedEvent>,
    /// Refused pushes (error code).
    pub refused: Vec<String>,
}

struct Receiver {
    cfg: WebhookConfig,
    seen: Arc<Mutex<Received>>,
}

#[async_trait::async_trait]
impl SimHandler for Receiver {
    fn operation(&self, req: &SimRequest) -> String {
        req.path.clone()
    }

    async fn handle(&self, req: &SimRequest, _: Option<&CarrierFault>) -> SimResponse {
        match webhook::receive(&self.cfg, &req.headers, &req.body) {
            Ok(events) => {
                self.seen.lock().unwrap().events.extend(events);
                SimResponse::json(200, &json!({"ok": true}))
            }
            Err(e) => {
                self.seen
                    .lock()
                    .unwrap()
                    .refused
                    .push(e.code().as_str().to_string());
                SimResponse::json(401, &json!({"error": e.code().as_str()}))
            }
        }
    }
}

/// A merchant endpoint on 127.0.0.1 that authenticates and parses pushes with the crate's
/// `webhook::receive`; returns the server and what it saw.
pub fn webhook_receiver(cfg: WebhookConfig) -> (SimServer, Arc<Mutex<Received>>) {
    let seen = Arc::new(Mutex::new(Received::default()));
    let server = SimServer::start(Arc::new(Receiver {
        cfg,
        seen: seen.clone(),
    }))
    .unwrap();
    (server, seen)
}
