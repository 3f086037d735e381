//! Lifecycle against the simulator over a real socket: create → track through every status
//! Aras reports → cancel, and cancel refused after the waybill is cut.

mod support;

use kargojet_aras::sim::{Scenario, ops};
use kargojet_core::carrier::{Carrier, ShipmentRef};
use kargojet_core::error::Code;
use kargojet_core::tracking::{ShipmentStatus as S, TrackingEvent, merge_events};
use rust_decimal_macros::dec;
use std::time::Duration;
use support::{TestResult, reference, request, start};

fn hours(h: u64) -> Duration {
    Duration::from_secs(h * 3600)
}

/// Polls at each hour mark, merging events and back-filling the tracking number; returns the
/// statuses seen in order and the merged history.
async fn follow(
    aras: &dyn Carrier,
    sim: &kargojet_aras::sim::ArasSim,
    r: &mut ShipmentRef,
    marks: &[u64],
) -> Result<(Vec<S>, Vec<TrackingEvent>), Box<dyn std::error::Error>> {
    let mut seen = Vec::new();
    let mut history = Vec::new();
    let mut at = 0;
    for &m in marks {
        sim.clock().advance(hours(m - at));
        at = m;
        let u = aras.track(r).await?;
        if r.carrier_tracking_number.is_none() {
            r.carrier_tracking_number = u.carrier_tracking_number.clone();
        }
        merge_events(&mut history, &u.events);
        let s = u.status.ok_or("no status")?;
        if seen.last() != Some(&s) {
            seen.push(s);
        }
        assert!(!u.raw.is_empty());
    }
    Ok((seen, history))
}

#[tokio::test]
async fn delivered_path_reports_every_forward_status_and_backfills_the_tracking_number()
-> TestResult {
    let (sim, aras) = start()?;
    assert!(aras.capabilities().label_formats.is_empty());
    let created = aras.create(&request("KJ2600000001")?).await?;
    assert_eq!(created.merchant_key.as_str(), "KJ2600000001");
    assert_eq!(
        created.carrier_tracking_number, None,
        "Aras gives no tracking number at SetOrder"
    );
    assert!(created.raw.contains("SetOrderResponse"));
    sim.set_measured_desi("KJ2600000001", dec!(4));
    let mut r = reference("KJ2600000001");
    let (seen, history) = follow(&aras, &sim, &mut r, &[1, 3, 9, 15, 21, 27, 31]).await?;
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
        r.carrier_tracking_number,
        sim.tracking_number("KJ2600000001")
    );
    assert_eq!(r.carrier_tracking_number.as_deref().map(str::len), Some(13));
    // Every event in Turkey time, the redirect (7) kept as in transit, the measurement attached.
    assert_eq!(history.len(), 6);
    assert!(
        history
            .iter()
            .all(|e| e.time.offset().local_minus_utc() == 3 * 3600)
    );
    assert!(
        history
            .iter()
            .any(|e| e.carrier_code.starts_with('7') && e.status == Some(S::InTransit))
    );
    assert_eq!(
        history
            .last()
            .and_then(|e| e.measurement.as_ref())
            .and_then(|m| m.desi),
        Some(dec!(4))
    );
    // Delivered: the cancel is refused with the carrier's 999.
    let e = aras
        .cancel(&r)
        .await
        .err()
        .ok_or("cancel after delivery succeeded")?;
    assert_eq!(e.code(), Code::ShipmentInvalidState);
    assert_eq!(e.carrier_code(), Some("999"));
    Ok(())
}

#[tokio::test]
async fn failed_delivery_return_and_damage_paths() -> TestResult {
    let (sim, aras) = start()?;
    sim.script("KJ2600000002", Scenario::FailedThenReturned);
    sim.script("KJ2600000003", Scenario::Damaged);
    aras.create(&request("KJ2600000002")?).await?;
    let mut other = request("KJ2600000003")?;
    other.shipment.order_id = Some("KJ000124".into());
    aras.create(&other).await?;
    let mut r = reference("KJ2600000002");
    let (seen, _) = follow(&aras, &sim, &mut r, &[3, 9, 21, 27, 31, 49, 73]).await?;
    assert_eq!(
        seen,
        [
            S::PickedUp,
            S::InTransit,
            S::AtBranch,
            S::OutForDelivery,
            S::DeliveryFailed,
            S::Returning,
            S::Returned
        ]
    );
    let u = aras.track(&reference("KJ2600000003")).await?;
    assert_eq!(u.status, Some(S::Exception));
    assert!(
        u.events
            .last()
            .is_some_and(|e| e.carrier_code.contains("DEVIR_KODU=HT"))
    );
    Ok(())
}

#[tokio::test]
async fn cancel_before_pickup_deletes_the_order_and_after_pickup_is_refused() -> TestResult {
    let (sim, aras) = start()?;
    aras.create(&request("KJ2600000004")?).await?;
    aras.cancel(&reference("KJ2600000004")).await?;
    assert!(!sim.has_order("KJ2600000004"));
    // A deleted record is unknown to both services.
    let e = aras
        .cancel(&reference("KJ2600000004"))
        .await
        .err()
        .ok_or("second cancel succeeded")?;
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::NotFoundShipment, Some("-1"))
    );
    assert_eq!(
        aras.find_by_reference(
            &reference("KJ2600000004").merchant_key,
            &reference("x").account
        )
        .await?,
        kargojet_core::carrier::ReferenceLookup::NotFound
    );
    // Picked up (waybill cut): refused, and the shipment stays.
    let mut second = request("KJ2600000005")?;
    second.shipment.order_id = Some("KJ000125".into());
    aras.create(&second).await?;
    sim.clock().advance(hours(3));
    let e = aras
        .cancel(&reference("KJ2600000005"))
        .await
        .err()
        .ok_or("cancel after pickup succeeded")?;
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::ShipmentInvalidState, Some("999"))
    );
    assert!(sim.has_order("KJ2600000005"));
    assert_eq!(sim.calls(ops::CANCEL), 3);
    Ok(())
}
