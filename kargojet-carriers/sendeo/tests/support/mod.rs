//! Test helpers: fixtures, the notes' example shipment, expected-JSON views of results.
#![allow(dead_code, clippy::unwrap_used)]

use kargojet_core::carrier::{AccountId, CreateRequest, ShipmentRef, TrackingUpdate};
use kargojet_core::shipment::{CreatedShipment, MerchantKey, ShipmentDraft};
use kargojet_sendeo::config::SendeoConfig;
use kargojet_sendeo::districts::AddressCodes;
use kargojet_sendeo::map::PartyCodes;
use serde_json::{Value, json};
use std::path::PathBuf;

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

/// Compares `actual` with `<rel>`; with `SENDEO_BLESS=1` writes it instead (review the diff!).
pub fn assert_expected(rel: &str, actual: &Value) {
    if std::env::var("SENDEO_BLESS").is_ok_and(|v| v == "1") {
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

/// The notes' shared test account on `base_url`, fast timeouts.
pub fn example_config(base_url: &str) -> SendeoConfig {
    SendeoConfig {
        http: kargojet_carrier_common::http::HttpConfig::fast(),
        ..SendeoConfig::new(base_url, "TEST", "TesT.43e54")
    }
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

/// The parties' Sendeo ids of the domain fixture.
pub fn codes() -> PartyCodes {
    let d = fixture_json("create/example.domain.json");
    let c = |p: &str| AddressCodes {
        city_id: d["codes"][p]["city_id"].as_i64().unwrap(),
        district_id: d["codes"][p]["district_id"].as_i64().unwrap(),
    };
    PartyCodes {
        sender: c("sender"),
        receiver: c("receiver"),
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

/// `v` with every number as a JSON float, so trees compare as JSON does (`0` and `0.0` are one
/// number; Sendeo's doubles may be written either way).
pub fn numeric(v: Value) -> Value {
    match v {
        Value::Number(n) => n
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Number(n), Value::Number),
        Value::Array(a) => Value::Array(a.into_iter().map(numeric).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, numeric(v))).collect()),
        other => other,
    }
}
