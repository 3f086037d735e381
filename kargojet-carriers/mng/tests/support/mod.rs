//! Test helpers: fixtures, the notes' example shipment, expected-JSON views of results, a
//! connector on the simulator.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::TimeZone;
use kargojet_core::carrier::{AccountId, CreateRequest, ShipmentRef, TrackingUpdate};
use kargojet_core::shipment::{CreatedShipment, MerchantKey, ShipmentDraft};
use kargojet_core::time::ManualClock;
use kargojet_mng::Mng;
use kargojet_mng::map::Codes;
use kargojet_mng::sim::MngSim;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Arc;

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

/// Compares `actual` with `<rel>`; with `MNG_BLESS=1` writes it instead (review the diff!).
pub fn assert_expected(rel: &str, actual: &Value) {
    if std::env::var("MNG_BLESS").is_ok_and(|v| v == "1") {
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

/// The domain fixture of the notes' createOrder example.
pub fn domain() -> Value {
    fixture_json("create_order/example.domain.json")
}

/// The notes' example shipment as a KargoJet create request, with merchant key `key`.
pub fn request(key: &str) -> CreateRequest {
    let draft: ShipmentDraft = serde_json::from_value(domain()["draft"].clone()).unwrap();
    CreateRequest {
        shipment: draft.validate().unwrap(),
        merchant_key: MerchantKey(key.into()),
        account: AccountId::platform(),
        service: None,
        billable_desi: "2".parse().unwrap(),
        attempt: 0,
    }
}

/// The CBS codes of the domain fixture (the notes' invented values).
pub fn example_codes() -> Codes {
    let d = domain();
    Codes {
        city: d["codes"]["city"].as_u64().unwrap() as u32,
        district: d["codes"]["district"].as_u64().unwrap() as u32,
    }
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

/// 12 March 2024, 09:00 Turkey time.
pub fn t0() -> chrono::DateTime<chrono::Utc> {
    chrono::Utc.with_ymd_and_hms(2024, 3, 12, 6, 0, 0).unwrap()
}

/// A simulator and a connector on the same manual clock (`timeout_ms` per attempt).
pub fn start_with_timeout(timeout_ms: u64) -> (ManualClock, MngSim, Arc<Mng>) {
    let clock = ManualClock::new(t0());
    let sim = MngSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.http.timeout = std::time::Duration::from_millis(timeout_ms);
    let carrier = Arc::new(Mng::with_clock(cfg, Arc::new(clock.clone())).unwrap());
    (clock, sim, carrier)
}

/// A simulator and a connector on the same manual clock.
pub fn start() -> (ManualClock, MngSim, Arc<Mng>) {
    start_with_timeout(2000)
}
