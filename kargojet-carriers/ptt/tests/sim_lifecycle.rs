//! Lifecycle against the simulator over a real socket: create → label → track through every
//! normalized status PTT reports → cancel (refused after acceptance, accepted before).

#![cfg(feature = "sim")]
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_core::carrier::{Carrier, ShipmentRef};
use kargojet_core::shipment::{CreatedShipment, LabelFormat};
use kargojet_core::tracking::{ShipmentStatus as S, current_status, merge_events};
use kargojet_core::{Code, SendState};
use kargojet_ptt::sim::{Scenario, script};
use support::*;

fn reference(c: &CreatedShipment) -> ShipmentRef {
    ShipmentRef {
        merchant_key: c.merchant_key.clone(),
        carrier_tracking_number: None,
        carrier_refs: c.carrier_refs.clone(),
        account: kargojet_core::carrier::AccountId::platform(),
    }
}

/// Walks the clock through every step of `scenario`, tracking after each; returns the
/// statuses seen in order (deduplicated) and the final reference.
async fn walk(r: &Rig, reference: &mut ShipmentRef, scenario: Scenario) -> Vec<S> {
    let created_at = r.clock.now_utc();
    let mut seen = Vec::new();
    let mut history = Vec::new();
    for (offset, step) in script(scenario).steps() {
        r.clock
            .set(created_at + chrono::Duration::from_std(*offset).unwrap());
        let u = r.ptt.track(reference).await.unwrap();
        // The barcode arrives as BARNO and is back-filled.
        if reference.carrier_tracking_number.is_none() {
            reference.carrier_tracking_number = u.carrier_tracking_number.clone();
        }
        assert_eq!(
            u.events.last().map(|e| e.carrier_code.as_str()),
            Some(step.ikodu)
        );
        merge_events(&mut history, &u.events);
        let st = current_status(&history).unwrap();
        assert_eq!(u.status, Some(st));
        if seen.last() != Some(&st) {
            seen.push(st);
        }
    }
    seen
}

trait NowUtc {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc>;
}
impl NowUtc for kargojet_core::time::ManualClock {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        kargojet_core::time::Clock::now(self)
    }
}

#[tokio::test]
async fn create_label_track_to_delivery_and_cancel_refused_after_acceptance() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    assert_eq!(key.as_str(), "2791727900008");
    let created = r.ptt.create(&request(&key)).await.unwrap();
    assert_eq!(
        created.carrier_tracking_number.as_deref(),
        Some("2791727900008")
    );
    assert_eq!(
        created.carrier_refs.get("dosyaAdi").map(String::as_str),
        Some("KJ-2791727900008")
    );
    assert!(created.raw.contains("kabulEkle2Response"));
    assert_eq!(r.sim.shipments().len(), 1);

    let label = r
        .ptt
        .label(&reference(&created), LabelFormat::Epl)
        .await
        .unwrap();
    let epl = String::from_utf8(label.bytes).unwrap();
    assert!(
        epl.starts_with("N\n")
            && epl.contains("\"2791727900008\"")
            && epl.contains("ODEME SARTLI: 180.00 TL")
    );
    let pdf = r
        .ptt
        .label(&reference(&created), LabelFormat::Pdf)
        .await
        .err()
        .map(|e| e.code());
    assert_eq!(pdf, Some(Code::UnsupportedLabelFormat));

    let mut sref = reference(&created);
    let empty = r.ptt.track(&sref).await.unwrap();
    assert!(
        empty.events.is_empty() && empty.status.is_none(),
        "not yet registered"
    );

    r.sim.set_measured_grams(key.as_str(), 1800);
    let seen = walk(&r, &mut sref, Scenario::Delivered).await;
    assert_eq!(
        seen,
        [
            S::Created,
            S::PickedUp,
            S::InTransit,
            S::AtBranch,
            S::OutForDelivery,
            S::Delivered
        ]
    );
    assert_eq!(
        sref.carrier_tracking_number.as_deref(),
        Some("2791727900008")
    );
    let last = r.ptt.track(&sref).await.unwrap();
    let m = last
        .events
        .iter()
        .find(|e| e.carrier_code == "1")
        .and_then(|e| e.measurement.clone())
        .unwrap();
    assert_eq!(m.kg.map(|k| k.to_string()).as_deref(), Some("1.8"));
    assert!(
        last.events
            .iter()
            .all(|e| e.time.offset().local_minus_utc() == 3 * 3600)
    );

    let refused = r.ptt.cancel(&sref).await.err().unwrap();
    assert_eq!(refused.code(), Code::CarrierRejected);
    assert_eq!(refused.carrier_code(), Some("0"));
    assert_eq!(refused.send_state(), Some(SendState::Sent));
    assert!(r.sim.shipment(key.as_str()).unwrap().cancelled_at.is_none());
}

#[tokio::test]
async fn cancel_before_acceptance_is_tracked_as_cancelled() {
    let r = rig();
    let key = new_key(&r.ptt).await;
    let created = r.ptt.create(&request(&key)).await.unwrap();
    let sref = reference(&created);
    r.clock.advance(std::time::Duration::from_secs(3 * 3600));
    assert_eq!(r.ptt.track(&sref).await.unwrap().status, Some(S::Created));
    r.ptt.cancel(&sref).await.unwrap();
    assert!(r.sim.shipment(key.as_str()).unwrap().cancelled_at.is_some());
    r.clock.advance(std::time::Duration::from_secs(48 * 3600));
    let u = r.ptt.track(&sref).await.unwrap();
    assert_eq!(u.status, Some(S::Cancelled));
    assert_eq!(
        u.events
            .iter()
            .map(|e| e.carrier_code.as_str())
            .collect::<Vec<_>>(),
        ["701", "2"]
    );
    // A second delete finds nothing to delete.
    assert_eq!(
        r.ptt.cancel(&sref).await.err().map(|e| e.code()),
        Some(Code::CarrierRejected)
    );
}

#[tokio::test]
async fn a_parcel_returned_to_the_sender_goes_through_failure_and_return() {
    let r = rig();
    r.sim.set_scenario(Scenario::ReturnedToSender);
    let key = new_key(&r.ptt).await;
    let created = r.ptt.create(&request(&key)).await.unwrap();
    let mut sref = reference(&created);
    let seen = walk(&r, &mut sref, Scenario::ReturnedToSender).await;
    assert_eq!(
        seen,
        [
            S::Created,
            S::PickedUp,
            S::InTransit,
            S::AtBranch,
            S::OutForDelivery,
            S::DeliveryFailed,
            S::Returning,
            S::Returned
        ]
    );
}

#[tokio::test]
async fn barcodes_are_drawn_from_the_range_without_reuse() {
    let r = rig();
    let a = new_key(&r.ptt).await;
    let b = new_key(&r.ptt).await;
    assert_ne!(a, b);
    assert!(kargojet_ptt::barcode::is_valid(b.as_str()));
    // A key already in the range is kept (assigning twice is harmless).
    assert_eq!(r.ptt.assign_merchant_key(a.clone()).await.unwrap(), a);
    let caps = r.ptt.capabilities();
    assert!(caps.cod && !caps.cod_card && !caps.multi_parcel);
    assert_eq!(caps.label_formats, [LabelFormat::Epl]);
}
