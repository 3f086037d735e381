//! Shared set-up of the simulator tests: a clock, the simulator, a connector pointed at it and
//! the notes' example shipment as a domain request.

#![allow(dead_code, clippy::unwrap_used)]

use chrono::{DateTime, Utc};
use kargojet_carrier_common::HttpConfig;
use kargojet_core::carrier::{AccountId, Carrier, CreateRequest};
use kargojet_core::shipment::{MerchantKey, ShipmentDraft};
use kargojet_core::time::ManualClock;
use kargojet_ptt::sim::PttSim;
use kargojet_ptt::{InMemoryBarcodeAllocator, Ptt, PttConfig};
use rust_decimal::Decimal;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

pub fn fixture(rel: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(rel),
    )
    .unwrap()
}

/// 12 March 2024, 10:00 Turkey time.
pub fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-03-12T10:00:00+03:00")
        .unwrap()
        .with_timezone(&Utc)
}

pub struct Rig {
    pub sim: PttSim,
    pub ptt: Ptt,
    pub clock: ManualClock,
}

pub fn rig_with(tune: impl FnOnce(&mut PttConfig)) -> Rig {
    let clock = ManualClock::new(start());
    let sim = PttSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.create_timeout = Duration::from_millis(400);
    cfg.query_timeout = Duration::from_millis(800);
    tune(&mut cfg);
    let barcodes = Arc::new(InMemoryBarcodeAllocator::new(cfg.barcode_range));
    let ptt = Ptt::with_parts(cfg, HttpConfig::fast(), barcodes).unwrap();
    Rig { sim, ptt, clock }
}

pub fn rig() -> Rig {
    rig_with(|_| {})
}

/// The notes' example shipment (create/example.shipment.json) under `key`.
pub fn request(key: &MerchantKey) -> CreateRequest {
    let v: serde_json::Value =
        serde_json::from_slice(&fixture("create/example.shipment.json")).unwrap();
    let draft: ShipmentDraft = serde_json::from_value(v["draft"].clone()).unwrap();
    CreateRequest {
        shipment: draft.validate().unwrap(),
        merchant_key: key.clone(),
        account: AccountId::platform(),
        service: None,
        billable_desi: Decimal::from(3),
        attempt: 0,
    }
}

pub async fn new_key(ptt: &Ptt) -> MerchantKey {
    ptt.assign_merchant_key(MerchantKey("KJ2400000301".into()))
        .await
        .unwrap()
}
