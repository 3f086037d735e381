//! Through the core orchestrator, over a real socket: quote → ship → track to delivered with the
//! carrier's HTML label kept, pushed webhook events applied without duplicates, and a create
//! that times out after Kolay Gelsin processed it reconciled by `CustomerBarcode` — one
//! shipment, never re-created.
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_core::carrier::{AccountId, Carrier, CarrierId};
use kargojet_core::orchestrator::{LabelSource, Orchestrator, QuoteRequest, ShipRequest};
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{Agreement, SelectionPolicy, Tariff, ZoneKey};
use kargojet_core::shipment::{
    AddressDraft, LabelFormat, PartyDraft, ShipmentDraft, ShipmentRequest,
};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_kolaygelsin::KolayGelsin;
use kargojet_kolaygelsin::sim::{KolayGelsinSim, WebhookTarget};
use kargojet_kolaygelsin::webhook::{WebhookAuth, WebhookConfig};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;
use std::time::Duration;

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
            name: "Deniz Koç".into(),
            phone: "05334445566".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Üsküdar".into(),
                line: "Mimar Sinan Mah. Hamam Sk. No:18 D:14".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(dec!(30), dec!(20), dec!(10), dec!(1.2))],
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn setup(timeout: Option<Duration>) -> (ManualClock, KolayGelsinSim, Orchestrator) {
    let clock = ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+03:00")
            .unwrap()
            .to_utc(),
    );
    let sim = KolayGelsinSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    if let Some(t) = timeout {
        cfg.http.timeout = t;
    }
    let carrier: Arc<dyn Carrier> = Arc::new(KolayGelsin::new(cfg).unwrap());
    let tariff = Tariff::builder("test_kolay_gelsin", CarrierId::KolayGelsin)
        .band(ZoneKey::All, Decimal::ZERO, dec!(30), dec!(63))
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
async fn quote_ship_track_to_delivered_with_pushes_applied_once() {
    let (clock, sim, o) = setup(None);
    let quote = o
        .quote(&QuoteRequest {
            company: "acme".into(),
            shipment: shipment(),
            policy: SelectionPolicy::default(),
        })
        .await
        .unwrap();
    let best = quote.best().unwrap();
    assert_eq!(best.carrier, CarrierId::KolayGelsin);
    let shipped = o.ship(&ship_request("order-1")).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::KolayGelsin);
    assert_eq!(
        shipped.created.carrier_tracking_number.as_deref(),
        Some("884213")
    );
    let key = shipped.created.merchant_key.as_str().to_string();
    assert_eq!(sim.shipments_with_barcode(&key), 1);
    // The carrier's HTML label, exactly as received at creation.
    let label = o
        .label(&shipped.id, LabelFormat::Html, LabelSource::Carrier, None)
        .await
        .unwrap();
    assert_eq!(
        label.bytes,
        sim.shipment(&key).unwrap().label_html(0).into_bytes()
    );

    // Pushed events go through the orchestrator like polled ones.
    let auth = WebhookAuth::hash("kg-hash-5f1c");
    let (endpoint, seen) = support::webhook_receiver(WebhookConfig {
        auth: auth.clone(),
        customer_id: Some(20),
    });
    sim.set_webhook(WebhookTarget {
        url: endpoint.url("/hook"),
        auth,
    });
    clock.advance(Duration::from_secs(4 * 3600));
    assert_eq!(sim.push_due().await, 3);
    let pushed: Vec<_> = seen
        .lock()
        .unwrap()
        .events
        .iter()
        .map(|p| p.event.clone())
        .collect();
    let s = o.apply_events(&shipped.id, pushed.clone()).await.unwrap();
    assert_eq!(s.status, ShipmentStatus::PickedUp);
    assert_eq!(s.events.len(), 3);
    let s = o.apply_events(&shipped.id, pushed).await.unwrap();
    assert_eq!(s.events.len(), 3, "a re-delivered push changes nothing");
    // Polling the same events adds nothing; then the parcel moves on to delivered.
    let s = o.track(&shipped.id).await.unwrap();
    assert_eq!(s.events.len(), 3);
    clock.advance(Duration::from_secs(21 * 3600));
    let s = o.track(&shipped.id).await.unwrap();
    assert_eq!(s.status, ShipmentStatus::Delivered);
    assert_eq!(s.events.len(), 8);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_after_processing_is_reconciled_without_a_second_shipment() {
    let (_clock, sim, o) = setup(Some(Duration::from_millis(700)));
    sim.create_shipment().timeout().after_processing();
    let req = ship_request("order-2");
    let shipped = o.ship(&req).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::KolayGelsin);
    let key = shipped.created.merchant_key.as_str().to_string();
    assert_eq!(sim.shipment_count(), 1);
    assert_eq!(sim.shipments_with_barcode(&key), 1);
    assert_eq!(
        sim.calls("SaveIntegrationShipmentV2"),
        1,
        "reconciled by lookup, not resent"
    );
    assert_eq!(
        shipped.created.carrier_tracking_number.as_deref(),
        Some("884213")
    );
    let again = o.ship(&req).await.unwrap();
    assert_eq!(again.id, shipped.id);
    assert_eq!(sim.shipment_count(), 1);
}
