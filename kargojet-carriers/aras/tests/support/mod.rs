//! Shared test helpers: fixtures, domain requests, a simulator with its connector.
#![allow(dead_code)]

use kargojet_aras::Aras;
use kargojet_aras::sim::ArasSim;
use kargojet_core::carrier::{AccountId, CreateRequest, ShipmentRef};
use kargojet_core::shipment::{MerchantKey, ShipmentDraft};
use kargojet_core::time::ManualClock;
use std::path::PathBuf;

/// Boxed error for `?` in tests.
pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// A fixture file's text.
pub fn fixture(rel: &str) -> Result<String, std::io::Error> {
    std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
}

/// 2026-03-02 09:00 Turkey time.
pub fn clock() -> ManualClock {
    let start = chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+03:00")
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    ManualClock::new(start)
}

/// The fixture shipment (COD 149,90 TL, one parcel) under `key`.
pub fn request(key: &str) -> Result<CreateRequest, Box<dyn std::error::Error>> {
    let draft: ShipmentDraft = serde_json::from_str(&fixture("set_order/domain_cod.draft.json")?)?;
    Ok(CreateRequest {
        shipment: draft.validate()?,
        merchant_key: MerchantKey(key.into()),
        account: AccountId::platform(),
        service: None,
        billable_desi: rust_decimal::Decimal::from(3),
        attempt: 0,
    })
}

/// A reference to the shipment with `key` (no tracking number yet).
pub fn reference(key: &str) -> ShipmentRef {
    ShipmentRef {
        merchant_key: MerchantKey(key.into()),
        carrier_tracking_number: None,
        carrier_refs: Default::default(),
        account: AccountId::platform(),
    }
}

/// A simulator and a connector pointing at it.
pub fn start() -> Result<(ArasSim, Aras), Box<dyn std::error::Error>> {
    let sim = ArasSim::start(clock())?;
    let aras = Aras::with_http(sim.connector_config(), sim.http_config())?;
    Ok((sim, aras))
}
