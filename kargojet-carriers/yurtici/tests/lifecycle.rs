//! Lifecycle against the simulator over a real socket: create → track through every status
//! Yurtiçi reports → delivered; failed delivery and return; cancel before pickup, refused after;
//! return codes.
#![cfg(feature = "sim")]

mod support;

use chrono::{DateTime, Utc};
use kargojet_core::carrier::{AccountId, Carrier, ReturnRequest, ShipmentRef, TrackingUpdate};
use kargojet_core::error::Code;
use kargojet_core::shipment::{CodPayment, CreatedShipment, LabelFormat, MerchantKey};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::{ShipmentStatus, TrackingEvent, merge_events};
use kargojet_yurtici::Yurtici;
use kargojet_yurtici::sim::{Script, YurticiSim};
use rust_decimal::Decimal;
use std::time::Duration;
use support::*;

fn start() -> (YurticiSim, Yurtici) {
    let t0 = DateTime::parse_from_rfc3339("2024-03-11T09:00:00+03:00")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    let sim = YurticiSim::start(ManualClock::new(t0)).expect("sim starts");
    let y = Yurtici::new(sim.connector_config()).expect("connector");
    (sim, y)
}

fn reference(c: &CreatedShipment) -> ShipmentRef {
    ShipmentRef {
        merchant_key: c.merchant_key.clone(),
        carrier_tracking_number: c.carrier_tracking_number.clone(),
        carrier_refs: c.carrier_refs.clone(),
        account: AccountId::platform(),
    }
}

/// Polls every `step` until `hours` have passed, merging history; returns the statuses seen
/// in order (deduplicated) and the last update.
async fn poll(
    sim: &YurticiSim,
    y: &Yurtici,
    r: &mut ShipmentRef,
    hours: u64,
    history: &mut Vec<TrackingEvent>,
) -> (Vec<ShipmentStatus>, TrackingUpdate) {
    let mut seen = Vec::new();
    let mut last = TrackingUpdate::default();
    for _ in 0..=hours {
        let u = y.track(r).await.expect("track");
        if let Some(n) = &u.carrier_tracking_number {
            r.carrier_tracking_number = Some(n.clone());
        }
        if let Some(s) = u.status
            && seen.last() != Some(&s)
        {
            seen.push(s);
        }
        merge_events(history, &u.events);
        last = u;
        sim.clock().advance(Duration::from_secs(3600));
    }
    (seen, last)
}

#[tokio::test]
async fn create_track_through_every_status_to_delivery() {
    let (sim, y) = start();
    let caps = y.capabilities();
    assert!(
        caps.label_formats.is_empty(),
        "no label API: KargoJet prints the cargoKey barcode"
    );
    assert!(caps.cod && caps.cod_card && caps.returns);
    assert_eq!(caps.min_track_interval_secs, 60);
    let rec = y.reconciliation();
    assert!(rec.resend_is_safe && !rec.lookup_conclusive);

    let created = y
        .create(&create_request(
            example_shipment(Some(CodPayment::Cash)),
            "KJ2400000017",
        ))
        .await
        .expect("created");
    assert_eq!(
        created.carrier_tracking_number, None,
        "docId does not exist at creation"
    );
    assert!(created.carrier_refs.contains_key("jobId"));
    assert!(created.raw.contains("createShipmentResponse"));
    let mut r = reference(&created);
    let label = y
        .label(&r, LabelFormat::Pdf)
        .await
        .expect_err("no carrier label");
    assert_eq!(label.code(), Code::UnsupportedLabelFormat);

    let mut history = Vec::new();
    let (seen, last) = poll(&sim, &y, &mut r, 30, &mut history).await;
    assert_eq!(
        seen,
        vec![
            ShipmentStatus::Created,
            ShipmentStatus::PickedUp,
            ShipmentStatus::InTransit,
            ShipmentStatus::AtBranch,
            ShipmentStatus::OutForDelivery,
            ShipmentStatus::Delivered
        ]
    );
    let doc = sim.shipment("KJ2400000017").map(|s| s.doc_id.to_string());
    assert_eq!(r.carrier_tracking_number, doc, "docId back-filled");
    assert_eq!(history.len(), 6);
    assert!(
        history
            .iter()
            .all(|e| e.time.offset().local_minus_utc() == 10_800)
    );
    let m = kargojet_core::tracking::last_measurement(&history).expect("measured after acceptance");
    assert_eq!(m.desi, Some(Decimal::from(2)));
    assert_eq!(last.status, Some(ShipmentStatus::Delivered));
    assert!(last.raw.contains("queryShipmentResponse"));
}

#[tokio::test]
async fn failed_delivery_then_return() {
    let (sim, y) = start();
    let created = y
        .create(&create_request(example_shipment(None), "KJ2400000061"))
        .await
        .expect("created");
    assert!(sim.set_script("KJ2400000061", Script::FailedThenReturned));
    assert!(sim.set_measurement(
        "KJ2400000061",
        Decimal::from(5),
        Decimal::new(42, 1),
        Some(Decimal::new(8990, 2))
    ));
    let mut r = reference(&created);
    let mut history = Vec::new();
    let (seen, last) = poll(&sim, &y, &mut r, 62, &mut history).await;
    let tail: Vec<ShipmentStatus> = seen
        .iter()
        .copied()
        .skip_while(|s| *s != ShipmentStatus::OutForDelivery)
        .collect();
    assert_eq!(
        tail,
        vec![
            ShipmentStatus::OutForDelivery,
            ShipmentStatus::DeliveryFailed,
            ShipmentStatus::Returning,
            ShipmentStatus::Returned
        ]
    );
    let failed = history
        .iter()
        .find(|e| e.status == Some(ShipmentStatus::DeliveryFailed))
        .expect("failed event");
    assert!(
        failed.carrier_text.contains("Adres Yanlış"),
        "{}",
        failed.carrier_text
    );
    let m = kargojet_core::tracking::last_measurement(&last.events).expect("measurement");
    assert_eq!(m.amount.map(|a| a.amount), Some(Decimal::new(8990, 2)));
}

#[tokio::test]
async fn cancel_before_pickup_and_refused_after() {
    let (sim, y) = start();
    let a = y
        .create(&create_request(example_shipment(None), "KJ2400000071"))
        .await
        .expect("created");
    y.cancel(&reference(&a))
        .await
        .expect("cancel before pickup");
    y.cancel(&reference(&a))
        .await
        .expect("a second cancel is idempotent (82520)");
    let u = y.track(&reference(&a)).await.expect("track");
    assert_eq!(u.status, Some(ShipmentStatus::Cancelled));

    let b = y
        .create(&create_request(
            example_shipment(Some(CodPayment::Card)),
            "KJ2400000072",
        ))
        .await
        .expect("created");
    sim.clock().advance(Duration::from_secs(3 * 3600));
    y.cancel(&reference(&b))
        .await
        .expect("ISR (invoice pending) can still be cancelled");

    let c = y
        .create(&create_request(example_shipment(None), "KJ2400000073"))
        .await
        .expect("created");
    sim.clock().advance(Duration::from_secs(9 * 3600));
    let e = y
        .cancel(&reference(&c))
        .await
        .expect_err("in transit: too late");
    assert_eq!(e.code(), Code::ShipmentInvalidState);
    assert_eq!(
        y.track(&reference(&c)).await.expect("track").status,
        Some(ShipmentStatus::InTransit)
    );
    let unknown = ShipmentRef {
        merchant_key: MerchantKey("KJ9999999999".into()),
        ..reference(&c)
    };
    assert_eq!(
        y.cancel(&unknown)
            .await
            .expect_err("unknown")
            .carrier_code(),
        Some("82519")
    );
}

#[tokio::test]
async fn return_codes_are_saved_and_cancelled() {
    let (sim, y) = start();
    let original = y
        .create(&create_request(example_shipment(None), "KJ2400000081"))
        .await
        .expect("created");
    let req = ReturnRequest {
        original: reference(&original),
        shipment: example_shipment(None),
        merchant_key: MerchantKey("KJ2400000082".into()),
    };
    let ret = y.create_return(&req).await.expect("return code");
    assert_eq!(
        ret.carrier_refs.get("kind").map(String::as_str),
        Some("return")
    );
    assert!(sim.return_code_active("53", "KJ2400000082"));
    let saved = sim.requests_for(kargojet_yurtici::wire::Operation::SaveReturnShipmentCode);
    let body = saved[0].text().into_owned();
    assert!(
        body.contains("<startDate>20240311</startDate>")
            && body.contains("<endDate>20240325</endDate>"),
        "{body}"
    );
    y.cancel(&reference(&ret))
        .await
        .expect("cancel return code");
    assert!(!sim.return_code_active("53", "KJ2400000082"));
    assert_eq!(
        y.track(&reference(&ret))
            .await
            .expect_err("not trackable here")
            .code(),
        Code::UnsupportedOperation
    );
}
