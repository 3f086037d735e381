//! Through the core orchestrator, over a real socket: quote → ship → track to delivered with
//! the COD cap honoured in the quote, and a create that times out after Sendeo processed it
//! reconciled by `ReferenceNo` — one shipment, never re-created.
#![allow(clippy::unwrap_used)]

use kargojet_core::carrier::{AccountId, Carrier, CarrierId};
use kargojet_core::error::Code;
use kargojet_core::money::Money;
use kargojet_core::orchestrator::{Orchestrator, QuoteRequest, ShipRequest};
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{self, Agreement, SelectionPolicy, Tariff, ZoneKey};
use kargojet_core::shipment::{AddressDraft, PartyDraft, ShipmentDraft, ShipmentRequest};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::{ShipmentStatus, last_measurement};
use kargojet_sendeo::Sendeo;
use kargojet_sendeo::sim::SendeoSim;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;
use std::time::Duration;

fn shipment(cod: Option<Money>) -> ShipmentRequest {
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
                province: "ANKARA".into(),
                district: "cankaya".into(),
                line: "Kızılay Mah. Atatürk Blv. No 101".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(dec!(30), dec!(20), dec!(10), dec!(1.5))],
        cod_amount: cod,
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn clock() -> ManualClock {
    ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+03:00")
            .unwrap()
            .to_utc(),
    )
}

fn request(key: &str, cod: Option<Money>) -> ShipRequest {
    ShipRequest {
        company: "acme".into(),
        shipment: shipment(cod),
        policy: SelectionPolicy::default(),
        idempotency_key: key.into(),
        choice: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quote_ship_and_track_to_delivered() {
    let clock = clock();
    let sim = SendeoSim::start(clock.clone()).unwrap();
    let carrier: Arc<dyn Carrier> =
        Arc::new(Sendeo::with_clock(sim.connector_config(), Arc::new(clock.clone())).unwrap());
    let agreements: Vec<Agreement> = pricing::illustrative_platform_agreements()
        .unwrap()
        .into_iter()
        .filter(|a| a.carrier() == &CarrierId::Sendeo)
        .collect();
    assert!(!agreements.is_empty());
    let o = Orchestrator::builder()
        .clock(Arc::new(clock.clone()))
        .agreements(agreements)
        .carrier(carrier, AccountId::platform())
        .build()
        .unwrap();

    // Above Sendeo's 5,000 TL cap: no offer, the reason says why.
    let above = o
        .quote(&QuoteRequest {
            company: "acme".into(),
            shipment: shipment(Some(Money::try_lira(dec!(6000)))),
            policy: SelectionPolicy::default(),
        })
        .await
        .unwrap();
    assert!(above.offers.is_empty());
    assert!(
        above
            .excluded
            .iter()
            .any(|x| x.carrier == CarrierId::Sendeo && x.code == Code::PolicyCodAboveCap),
        "{:?}",
        above.excluded
    );

    let cod = Some(Money::try_lira(dec!(250)));
    let quote = o
        .quote(&QuoteRequest {
            company: "acme".into(),
            shipment: shipment(cod),
            policy: SelectionPolicy::default(),
        })
        .await
        .unwrap();
    assert_eq!(quote.best().unwrap().carrier, CarrierId::Sendeo);
    let shipped = o.ship(&request("order-1", cod)).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::Sendeo);
    let key = shipped.created.merchant_key.as_str().to_string();
    assert_eq!(
        shipped.created.carrier_tracking_number.as_deref(),
        Some("9124356789047")
    );
    let held = sim.shipment(&key).unwrap().body;
    assert_eq!(
        held.collection_price,
        Some(kargojet_sendeo::wire::number(dec!(250)))
    );
    assert_eq!(
        held.sender_district_id,
        Some(34245),
        "Kadıköy, Sendeo's own id"
    );
    assert_eq!(held.receiver_district_id, Some(6101), "Çankaya");

    let mut last = ShipmentStatus::Created;
    for _ in 0..6 {
        clock.advance(Duration::from_secs(5 * 3600));
        last = o.track(&shipped.id).await.unwrap().status;
    }
    assert_eq!(last, ShipmentStatus::Delivered);
    let stored = o.shipment(&shipped.id).await.unwrap();
    let m = last_measurement(&stored.events).unwrap();
    assert_eq!(m.desi, Some(Decimal::from(2)));
    assert!(m.amount.is_some());
    assert_eq!(sim.shipment_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_after_processing_is_reconciled_without_a_second_shipment() {
    let clock = clock();
    let sim = SendeoSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.http.timeout = Duration::from_millis(700);
    let carrier: Arc<dyn Carrier> =
        Arc::new(Sendeo::with_clock(cfg, Arc::new(clock.clone())).unwrap());
    let tariff = Tariff::builder("test_sendeo", CarrierId::Sendeo)
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
    let req = request("order-2", None);
    let shipped = o.ship(&req).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::Sendeo);
    let key = shipped.created.merchant_key.as_str().to_string();
    assert_eq!(sim.shipment_count(), 1);
    assert_eq!(sim.shipments_with_key(&key), 1);
    assert_eq!(
        sim.calls("SETDELIVERY"),
        1,
        "reconciled by lookup, not resent"
    );
    assert_eq!(sim.calls("TRACKDELIVERY"), 1);
    assert_eq!(
        shipped.created.carrier_tracking_number.as_deref(),
        Some("9124356789047")
    );
    // The same idempotency key again: the stored shipment, nothing new at the carrier.
    let again = o.ship(&req).await.unwrap();
    assert_eq!(again.id, shipped.id);
    assert_eq!(sim.shipment_count(), 1);
    assert_eq!(sim.calls("SETDELIVERY"), 1);
}
