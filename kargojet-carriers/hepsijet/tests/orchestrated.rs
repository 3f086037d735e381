//! Through the core orchestrator, over a real socket: a create that times out after HepsiJET
//! processed it is reconciled with HepsiJET (lookup by customerDeliveryNo) — one shipment,
//! never re-created.
#![allow(clippy::unwrap_used)]

use kargojet_core::carrier::{AccountId, Carrier, CarrierId};
use kargojet_core::orchestrator::{Orchestrator, ShipRequest};
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{Agreement, SelectionPolicy, Tariff, ZoneKey};
use kargojet_core::shipment::{AddressDraft, PartyDraft, ShipmentDraft, ShipmentRequest};
use kargojet_core::time::ManualClock;
use kargojet_hepsijet::Hepsijet;
use kargojet_hepsijet::sim::HepsijetSim;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;

fn shipment() -> ShipmentRequest {
    ShipmentDraft {
        sender: PartyDraft {
            name: "Kargojet Test Mağaza".into(),
            phone: "02164440000".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Tuzla".into(),
                line: "Aydınlı Mah. Depo Sk. No:1".into(),
                postal_code: None,
            },
        },
        recipient: PartyDraft {
            name: "Burak Öztürk".into(),
            phone: "05321112233".into(),
            email: None,
            address: AddressDraft {
                province: "Bursa".into(),
                district: "Nilüfer".into(),
                line: "Görükle Mah. Kampüs Cad. No:12 D:3".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(dec!(30), dec!(20), dec!(10), dec!(1.5))],
        ..Default::default()
    }
    .validate()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_after_processing_is_reconciled_without_a_second_shipment() {
    let clock = ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+03:00")
            .unwrap()
            .to_utc(),
    );
    let sim = HepsijetSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.http.timeout = std::time::Duration::from_millis(700);
    let carrier: Arc<dyn Carrier> =
        Arc::new(Hepsijet::with_clock(cfg, Arc::new(clock.clone())).unwrap());
    let tariff = Tariff::builder("test_hepsijet", CarrierId::Hepsijet)
        .band(ZoneKey::All, Decimal::ZERO, dec!(30), dec!(55))
        .build()
        .unwrap();
    let o = Orchestrator::builder()
        .clock(Arc::new(clock))
        .agreements(vec![Agreement::platform(Arc::new(tariff)).build().unwrap()])
        .carrier(carrier, AccountId::platform())
        .build()
        .unwrap();
    sim.create_shipment().timeout().after_processing();
    let req = ShipRequest {
        company: "acme".into(),
        shipment: shipment(),
        policy: SelectionPolicy::default(),
        idempotency_key: "order-1".into(),
        choice: None,
    };
    let shipped = o.ship(&req).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::Hepsijet);
    let key = shipped.created.merchant_key.as_str().to_string();
    assert!(key.starts_with("KRJ"), "{key}");
    assert_eq!(sim.shipment_count(), 1);
    assert_eq!(sim.shipments_with_key(&key), 1);
    assert_eq!(
        sim.calls("sendDeliveryOrderEnhanced"),
        1,
        "reconciled by lookup, not resent"
    );
    // The same idempotency key again: the stored shipment, nothing new at the carrier.
    let again = o.ship(&req).await.unwrap();
    assert_eq!(again.id, shipped.id);
    assert_eq!(sim.shipment_count(), 1);
}
