//! Across carriers, over real sockets against the simulators: a cheapest carrier that fails
//! before sending (connection refused; HTTP 500 carrying an in-band "not accepted") is failed
//! over to the next offer; one that times out after the request was processed is reconciled
//! with that same carrier — no fail-over, and no second shipment anywhere.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kargojet::carrier::{AccountId, Carrier, CarrierId};
use kargojet::orchestrator::{Orchestrator, ShipRequest};
use kargojet::parcel::Parcel;
use kargojet::pricing::{Agreement, SelectionPolicy, Tariff, ZoneKey};
use kargojet::sandbox::Sandbox;
use kargojet::shipment::{AddressDraft, PartyDraft, ShipmentDraft, ShipmentRequest};
use kargojet::time::ManualClock;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;

/// Sürat cheapest, then Aras, Yurtiçi, PTT (flat illustrative prices for the test).
fn agreements() -> Vec<Agreement> {
    [
        (CarrierId::Surat, dec!(50)),
        (CarrierId::Aras, dec!(60)),
        (CarrierId::Yurtici, dec!(70)),
        (CarrierId::Ptt, dec!(80)),
    ]
    .into_iter()
    .map(|(c, p)| {
        let t = Tariff::builder(format!("test_{}", c.as_str()), c)
            .band(ZoneKey::All, Decimal::ZERO, dec!(30), p)
            .build()
            .unwrap();
        Agreement::platform(Arc::new(t)).build().unwrap()
    })
    .collect()
}

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

fn orchestrator(sandbox: &Sandbox, surat: Arc<dyn Carrier>) -> Orchestrator {
    let mut b = Orchestrator::builder()
        .clock(Arc::new(sandbox.clock().clone()))
        .agreements(agreements())
        .carrier(surat, AccountId::platform());
    for c in sandbox
        .connectors()
        .iter()
        .filter(|c| c.id() != CarrierId::Surat)
    {
        b = b.carrier(c.clone(), AccountId::platform());
    }
    b.build().unwrap()
}

fn request(key: &str) -> ShipRequest {
    ShipRequest {
        company: "acme".into(),
        shipment: shipment(),
        policy: SelectionPolicy::default(),
        idempotency_key: key.into(),
        choice: None,
    }
}

fn sandbox() -> Sandbox {
    Sandbox::start_at(ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00+03:00")
            .unwrap()
            .to_utc(),
    ))
    .unwrap()
}

/// Shipments held by every simulator except Sürat's.
fn others(s: &Sandbox) -> usize {
    s.aras.order_count()
        + s.yurtici.shipments().len()
        + s.ptt.shipments().len()
        + s.hepsijet.shipment_count()
        + s.mng.order_count()
        + s.kolaygelsin.shipment_count()
        + s.sendeo.shipment_count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_fails_over_to_the_next_offer() {
    let s = sandbox();
    let mut cfg = s.surat.connector_config();
    cfg.soap_url = kargojet_carrier_common::sim::dead_endpoint().unwrap();
    let surat: Arc<dyn Carrier> = Arc::new(kargojet::surat::Surat::new(cfg).unwrap());
    let o = orchestrator(&s, surat);
    let shipped = o.ship(&request("refused")).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::Aras);
    assert_eq!(s.surat.shipments().len(), 0);
    assert!(s.aras.has_order(shipped.created.merchant_key.as_str()));
    assert_eq!(others(&s), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_500_with_an_in_band_refusal_fails_over() {
    let s = sandbox();
    let fault = r#"<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Gönderi kabul edilmedi</faultstring></soap:Fault></soap:Body></soap:Envelope>"#;
    s.surat.create_shipment().status_body(500, fault);
    let surat: Arc<dyn Carrier> = Arc::new(s.surat.connector().unwrap());
    let o = orchestrator(&s, surat);
    let shipped = o.ship(&request("refused-500")).await.unwrap();
    assert_eq!(shipped.carrier, CarrierId::Aras);
    assert_eq!(s.surat.shipments().len(), 0);
    assert_eq!(others(&s), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn timeout_after_sending_is_reconciled_with_the_same_carrier() {
    let s = sandbox();
    s.surat.create_shipment().timeout().after_processing();
    let mut cfg = s.surat.connector_config();
    cfg.create_timeout = std::time::Duration::from_millis(500);
    let surat: Arc<dyn Carrier> = Arc::new(kargojet::surat::Surat::new(cfg).unwrap());
    let o = orchestrator(&s, surat);
    let shipped = o.ship(&request("timeout")).await.unwrap();
    assert_eq!(
        shipped.carrier,
        CarrierId::Surat,
        "no fail-over after a maybe-sent create"
    );
    assert_eq!(
        s.surat
            .shipment_count(shipped.created.merchant_key.as_str()),
        1,
        "exactly one shipment at Sürat"
    );
    assert_eq!(s.surat.shipments().len(), 1);
    assert_eq!(others(&s), 0, "no shipment anywhere else");
    // The same key again: the stored shipment, no new carrier call.
    let again = o.ship(&request("timeout")).await.unwrap();
    assert_eq!(again.id, shipped.id);
    assert_eq!(s.surat.shipments().len(), 1);
}
