//! Lifecycle against the simulator over a real socket: create → label → track through every
//! normalized status Sürat reports → cancel rules, returns, COD account, barcode accounts.
#![cfg(feature = "sim")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{TimeZone, Utc};
use kargojet_core::carrier::{Carrier, ReferenceLookup, ReturnRequest};
use kargojet_core::shipment::{LabelFormat, MerchantKey};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::{
    ShipmentStatus, TrackingEvent, current_status, last_measurement, merge_events,
};
use kargojet_surat::sim::{Scenario, SimOptions, SuratSim};
use kargojet_surat::{REF_CARI_KODU, Surat, TrackingTransport};
use rust_decimal_macros::dec;
use std::time::Duration;
use support::domain::{cod_request, reference, request};

fn clock() -> ManualClock {
    ManualClock::new(Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap())
}

/// Polls every `step` hours up to `hours`, returning the distinct statuses in order, the
/// merged history and the last update's carrier number.
async fn follow(
    sim: &SuratSim,
    c: &Surat,
    r: &kargojet_core::carrier::ShipmentRef,
    hours: u64,
) -> (Vec<ShipmentStatus>, Vec<TrackingEvent>, Option<String>) {
    let mut seen = Vec::new();
    let mut history = Vec::new();
    let mut number = None;
    for _ in 0..=hours {
        let u = c.track(r).await.expect("track");
        merge_events(&mut history, &u.events);
        let st = u.status.or_else(|| current_status(&history));
        if let Some(s) = st.filter(|s| seen.last() != Some(s)) {
            seen.push(s);
        }
        if u.carrier_tracking_number.is_some() {
            number = u.carrier_tracking_number;
        }
        sim.clock().advance(Duration::from_secs(3600));
    }
    (seen, history, number)
}

#[tokio::test]
async fn create_label_track_to_delivery_then_cancel_is_refused() {
    let sim = SuratSim::start(clock()).expect("sim");
    let c = sim.connector().expect("connector");
    let created = c.create(&request("KJ-LIFE-1")).await.expect("create");
    assert_eq!(
        created.carrier_tracking_number, None,
        "pre-acceptance: Sürat's number comes later"
    );
    assert_eq!(
        created.carrier_refs.get(REF_CARI_KODU).map(String::as_str),
        Some("1038106246")
    );
    assert!(created.raw.contains("Tamam"));
    let r = reference(&created);

    let label = c.label(&r, LabelFormat::Pdf).await.expect("label");
    assert!(label.bytes.starts_with(b"%PDF") && label.bytes.ends_with(b"%%EOF\n"));
    assert!(String::from_utf8_lossy(&label.bytes).contains("KJ-LIFE-1"));
    assert!(c.label(&r, LabelFormat::Zpl).await.is_err());

    let (seen, history, number) = follow(&sim, &c, &r, 30).await;
    use ShipmentStatus::*;
    assert_eq!(
        seen,
        vec![
            Created,
            PickedUp,
            InTransit,
            AtBranch,
            OutForDelivery,
            Delivered
        ]
    );
    assert_eq!(
        number.as_deref(),
        sim.shipment("KJ-LIFE-1")
            .map(|s| s.kargo_takip_no)
            .as_deref()
    );
    let m = last_measurement(&history).expect("measured after acceptance");
    assert_eq!(m.desi, Some(dec!(2)));
    assert_eq!(m.amount.map(|a| a.amount), Some(dec!(39.60)));
    assert!(
        history
            .iter()
            .all(|e| e.time.offset().local_minus_utc() == 3 * 3600)
    );

    let e = c.cancel(&r).await.expect_err("after pickup");
    assert_eq!(e.code().as_str(), "shipment.invalid_state");
    assert_eq!(e.carrier_code(), Some("HATA"));
    assert!(
        matches!(c.find_by_reference(&r.merchant_key, &r.account).await, Ok(ReferenceLookup::Found(f)) if f.carrier_tracking_number == number)
    );
}

#[tokio::test]
async fn cancel_before_pickup_is_accepted_and_tracked_as_cancelled() {
    let sim = SuratSim::start(clock()).expect("sim");
    let c = sim.connector().expect("connector");
    let created = c.create(&request("KJ-CANCEL-1")).await.expect("create");
    let r = reference(&created);
    c.cancel(&r).await.expect("cancel before acceptance");
    sim.clock().advance(Duration::from_secs(5 * 3600));
    let u = c.track(&r).await.expect("track");
    assert_eq!(u.status, Some(ShipmentStatus::Cancelled));
    assert!(u.raw.contains("iptal"));
    assert!(c.cancel(&r).await.is_err(), "a second cancel is refused");
}

#[tokio::test]
async fn failed_delivery_goes_back_to_the_sender() {
    let sim = SuratSim::start(clock()).expect("sim");
    sim.set_scenario_for("KJ-RET-1", Scenario::ReturnedToSender);
    let c = sim.connector().expect("connector");
    let r = reference(&c.create(&request("KJ-RET-1")).await.expect("create"));
    let (seen, _, _) = follow(&sim, &c, &r, 62).await;
    use ShipmentStatus::*;
    assert_eq!(
        seen,
        vec![
            Created,
            PickedUp,
            InTransit,
            AtBranch,
            OutForDelivery,
            DeliveryFailed,
            Returning,
            Returned
        ]
    );
}

#[tokio::test]
async fn cod_shipments_use_the_cod_account() {
    let sim = SuratSim::start(clock()).expect("sim");
    let c = sim.connector().expect("connector");
    let created = c
        .create(&cod_request("KJ-COD-1", 14990))
        .await
        .expect("create");
    assert_eq!(
        created.carrier_refs.get(REF_CARI_KODU).map(String::as_str),
        Some("1038106247")
    );
    let held = sim.shipment("KJ-COD-1").expect("held");
    assert_eq!(held.cari, "1038106247");
    assert_eq!(held.gonderi.KapidanOdemeTahsilatTipi, 1);
    assert_eq!(held.gonderi.KapidanOdemeTutari.as_deref(), Some("149.90"));
    sim.clock().advance(Duration::from_secs(3 * 3600));
    let u = c
        .track(&reference(&created))
        .await
        .expect("track with the COD cari");
    assert_eq!(u.status, Some(ShipmentStatus::PickedUp));

    // Without a COD account the simulator (like Sürat) refuses COD on the main cari.
    let mut cfg = sim.config();
    cfg.cod_account = None;
    let plain = Surat::new(cfg).expect("connector");
    let e = plain
        .create(&cod_request("KJ-COD-2", 5000))
        .await
        .expect_err("main cari");
    assert_eq!(e.code().as_str(), "carrier.rejected");
    assert_eq!(sim.shipment_count("KJ-COD-2"), 0);
}

#[tokio::test]
async fn barcode_accounts_get_the_number_and_zpl_at_once() {
    let opts = SimOptions {
        barcode_caris: vec!["1038106246".into()],
        ..SimOptions::default()
    };
    let sim = SuratSim::start_with(clock(), opts).expect("sim");
    let mut cfg = sim.config();
    cfg.barcode_at_creation = true;
    let c = Surat::new(cfg).expect("connector");
    assert!(c.capabilities().label_formats.contains(&LabelFormat::Zpl));
    let created = c.create(&request("KJ-BAR-1")).await.expect("create");
    let held = sim.shipment("KJ-BAR-1").expect("held");
    assert_eq!(
        created.carrier_tracking_number.as_deref(),
        Some(held.kargo_takip_no.as_str())
    );
    let label = created.label.expect("zpl");
    assert_eq!(label.format, LabelFormat::Zpl);
    assert!(
        label.bytes.starts_with(b"^XA")
            && String::from_utf8_lossy(&label.bytes).contains(&held.kargo_takip_no)
    );
    // A cari without the authorization is refused.
    let mut cfg = sim.config();
    cfg.barcode_at_creation = true;
    cfg.account = cfg.cod_account.clone().expect("second test cari");
    let e = Surat::new(cfg)
        .expect("connector")
        .create(&request("KJ-BAR-2"))
        .await
        .expect_err("not authorized");
    assert_eq!(e.carrier_code(), Some("isError"));
}

#[tokio::test]
async fn returns_are_flagged_iademi_to_the_original_sender() {
    let sim = SuratSim::start(clock()).expect("sim");
    let c = sim.connector().expect("connector");
    let original = c.create(&request("KJ-ORIG-1")).await.expect("create");
    let req = request("KJ-ORIG-1");
    let ret = c
        .create_return(&ReturnRequest {
            original: reference(&original),
            shipment: req.shipment.clone(),
            merchant_key: MerchantKey("KJ-IADE-1".into()),
        })
        .await
        .expect("return");
    assert_eq!(ret.merchant_key.as_str(), "KJ-IADE-1");
    let held = sim.shipment("KJ-IADE-1").expect("held");
    assert!(held.gonderi.Iademi);
    assert_eq!(held.gonderi.KisiKurum, req.shipment.sender.name);
    assert_eq!(held.gonderi.Il, req.shipment.sender.address.province);
}

#[tokio::test]
async fn soap_tracking_works_like_rest() {
    let sim = SuratSim::start(clock()).expect("sim");
    let mut cfg = sim.config();
    cfg.tracking = TrackingTransport::Soap;
    let c = Surat::new(cfg).expect("connector");
    let r = reference(&c.create(&request("KJ-SOAP-1")).await.expect("create"));
    let (seen, _, number) = follow(&sim, &c, &r, 30).await;
    assert_eq!(seen.last(), Some(&ShipmentStatus::Delivered));
    assert!(number.is_some());
    assert!(
        sim.requests_for("KargoTakipHareketDetayi")
            .iter()
            .all(|q| q.path == kargojet_surat::wire::SOAP_PATH)
    );
}

#[tokio::test]
async fn capabilities_and_reconciliation_are_honest() {
    let sim = SuratSim::start(clock()).expect("sim");
    let c = sim.connector().expect("connector");
    let caps = c.capabilities();
    assert!(caps.cod && caps.cod_card && caps.returns && !caps.pickup && !caps.live_rates);
    assert_eq!(caps.label_formats, vec![LabelFormat::Pdf]);
    let rec = c.reconciliation();
    assert!(!rec.lookup_conclusive && rec.resend_is_safe);
}
