//! Through the core orchestrator, over a real socket: quote → ship → track to delivered, a
//! create interrupted after `createOrder` reconciled with MNG by `referenceId` (one order, one
//! shipment, never a fail-over), cancel and return.
#![allow(clippy::unwrap_used)]

use kargojet_core::carrier::{AccountId, Carrier, CarrierId};
use kargojet_core::orchestrator::{Orchestrator, QuoteRequest, ShipRequest};
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{Agreement, SelectionPolicy, Tariff, ZoneKey};
use kargojet_core::shipment::{AddressDraft, PartyDraft, ShipmentDraft, ShipmentRequest};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_mng::Mng;
use kargojet_mng::sim::MngSim;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;
use std::time::Duration;

fn shipment() -> ShipmentRequest {
    ShipmentDraft {
        sender: PartyDraft {
            name: "Moda Tekstil".into(),
            phone: "02163456789".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Caferağa Mah. Moda Cad. No 12".into(),
                postal_code: None,
            },
        },
        recipient: PartyDraft {
            name: "Ayşe Yılmaz".into(),
            phone: "05321234567".into(),
            email: None,
            address: AddressDraft {
                province: "Van".into(),
                district: "İpekyolu".into(),
                line: "Cumhuriyet Cad. No 5".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(dec!(30), dec!(20), dec!(10), dec!(1.5))],
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn setup(timeout_ms: u64) -> (ManualClock, MngSim, Orchestrator) {
    let clock = ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+03:00")
            .unwrap()
            .to_utc(),
    );
    let sim = MngSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.http.timeout = Duration::from_millis(timeout_ms);
    let carrier: Arc<dyn Carrier> =
        Arc::new(Mng::with_clock(cfg, Arc::new(clock.clone())).unwrap());
    let tariff = Tariff::builder("test_mng", CarrierId::Mng)
        .band(ZoneKey::All, Decimal::ZERO, dec!(30), dec!(60))
        .build()
        .unwrap();
    let o = Orchestrator::builder()
        .clock(Arc::new(clock.clone()))
        .agreements(vec![Agreement::platform(Arc::new(tariff)).build().unwrap()])
        .carrier(carrier, AccountId::platform())
        .build()
        .unwrap();
    (clock, sim, o)
}

fn ship_request(key: &str) -> ShipRequest {
    ShipRequest {
        company: "acme".into(),
        shipment: shipment(),
        policy: SelectionPolicy::default(),
        idempotency_key: key.into(),
        choice: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_ship_track_to_delivered() {
    let (clock, sim, o) = setup(2000);
    let quote = o
        .quote(&QuoteRequest {
            company: "acme".into(),
            shipment: shipment(),
            policy: SelectionPolicy::default(),
        })
        .await
        .unwrap();
    let best = quote.best().unwrap();
    assert_eq!(best.carrier, CarrierId::Mng);
    let shipped = o.ship(&ship_request("order-1")).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::Mng);
    let key = shipped.created.merchant_key.as_str().to_string();
    let id = shipped.created.carrier_tracking_number.clone().unwrap();
    assert_eq!(sim.order(&key).unwrap().shipment.unwrap().shipment_id, id);
    assert!(
        shipped.created.label.is_some(),
        "MNG's ZPL kept with the shipment"
    );
    let held = sim.order(&key).unwrap();
    assert_eq!(held.body.recipient.city_code, 65, "Van");
    // MNG's status call gives the current status: the history is built from the polls
    // (every 4 hours here, from +1 h).
    clock.advance(Duration::from_secs(3600));
    for _ in 0..7 {
        o.track(&shipped.id).await.unwrap();
        clock.advance(Duration::from_secs(4 * 3600));
    }
    let done = o.shipment(&shipped.id).await.unwrap();
    assert_eq!(done.status, ShipmentStatus::Delivered);
    let history: Vec<_> = done.events.iter().filter_map(|e| e.status).collect();
    assert_eq!(
        history,
        [
            ShipmentStatus::Created,
            ShipmentStatus::InTransit,
            ShipmentStatus::AtBranch,
            ShipmentStatus::OutForDelivery,
            ShipmentStatus::Delivered
        ]
    );
    assert_eq!(done.events[0].measurement, None);
    assert!(
        done.events[1].measurement.is_some(),
        "MNG's measurement for the wallet"
    );
    // The same idempotency key again: the stored shipment, nothing new at MNG.
    let again = o.ship(&ship_request("order-1")).await.unwrap();
    assert_eq!(again.id, shipped.id);
    assert_eq!((sim.order_count(), sim.shipment_count()), (1, 1));
    // A return of it goes through the legacy service.
    let ret = o.create_return(&shipped.id, "return-1").await.unwrap();
    assert_eq!(ret.carrier, CarrierId::Mng);
    assert_eq!(sim.return_count(), 1);
    assert!(
        sim.return_order(ret.created.merchant_key.as_str())
            .is_some()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn barcode_timeout_is_reconciled_without_a_second_order() {
    let (_clock, sim, o) = setup(700);
    sim.create_barcode().timeout();
    let shipped = o.ship(&ship_request("order-2")).await.unwrap();
    assert_eq!(
        shipped.carrier,
        CarrierId::Mng,
        "no fail-over after createOrder"
    );
    let key = shipped.created.merchant_key.as_str().to_string();
    assert_eq!(sim.orders_with_key(&key), 1);
    assert_eq!((sim.order_count(), sim.shipment_count()), (1, 1));
    assert_eq!(
        sim.calls("createOrder"),
        2,
        "the resend was answered 3002 and adopted"
    );
    assert_eq!(sim.calls("createbarcode"), 2);
    assert!(shipped.created.carrier_tracking_number.is_some());
    let again = o.ship(&ship_request("order-2")).await.unwrap();
    assert_eq!(again.id, shipped.id);
    assert_eq!(sim.order_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_before_pickup_through_the_orchestrator() {
    let (_clock, sim, o) = setup(2000);
    let shipped = o.ship(&ship_request("order-3")).await.unwrap();
    let cancelled = o.cancel(&shipped.id).await.unwrap();
    assert_eq!(cancelled.status, ShipmentStatus::Cancelled);
    assert_eq!(
        sim.status_of(shipped.created.merchant_key.as_str()),
        Some(ShipmentStatus::Cancelled)
    );
}
