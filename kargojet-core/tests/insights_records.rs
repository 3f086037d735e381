//! Stored shipments (and the wallet's desi report) converted into insight records.
#![allow(clippy::unwrap_used)]

mod insights_support;

use chrono::Duration;
use insights_support::*;
use kargojet_core::carrier::CarrierId;
use kargojet_core::insights::{
    Digest, FindingRules, Language, Outcome, Period, ShipmentRecord, Snapshot, findings,
    records_from_shipments,
};
use kargojet_core::money::Money;
use kargojet_core::shipment::ShipmentId;
use kargojet_core::tracking::ShipmentStatus::*;
use kargojet_core::wallet::{DesiLine, DesiReport};
use rust_decimal_macros::dec;

#[test]
fn a_delivered_shipment_keeps_its_times_measurement_and_money() {
    let at = start();
    let s = shipment(
        "shp_1",
        CarrierId::Aras,
        request("Van", "İpekyolu", Some(dec!(725.50))),
        offer(CarrierId::Aras, dec!(4), dec!(131.40)),
        at,
        vec![
            // Out of order on purpose: the history is sorted by time.
            event(at, 52, Some(Delivered), None),
            event(at, 3, Some(PickedUp), Some(measured(dec!(5.5)))),
            event(at, 20, None, None), // an unknown code keeps the previous status
            event(at, 40, Some(DeliveryFailed), None),
        ],
    );
    let r = ShipmentRecord::from_shipment(&s);
    assert_eq!(r.carrier, CarrierId::Aras);
    assert_eq!((r.origin, r.destination), (plate(34), plate(65)));
    assert_eq!(r.cost, Money::try_lira(dec!(131.40)));
    assert_eq!(r.declared_desi, dec!(4));
    assert_eq!(r.measured_desi, Some(dec!(5.5)));
    assert!(r.desi_mismatch());
    assert_eq!(r.desi_extra_cost, None);
    assert_eq!(r.cod_amount, Some(Money::try_lira(dec!(725.50))));
    assert_eq!(r.outcome, Outcome::Delivered);
    assert_eq!(r.created_at, at);
    assert_eq!(r.picked_up_at, Some(at + Duration::hours(3)));
    assert_eq!(r.delivered_at, Some(at + Duration::hours(52)));
    assert!(!r.customer_return);
    assert!(r.validate("r").is_ok());
}

#[test]
fn returns_open_shipments_and_customer_returns_are_told_apart() {
    let at = start();
    let returned = shipment(
        "shp_r",
        CarrierId::Surat,
        request("Ankara", "Çankaya", None),
        offer(CarrierId::Surat, dec!(2), dec!(70)),
        at,
        vec![
            event(at, 2, Some(PickedUp), None),
            event(at, 30, Some(DeliveryFailed), None),
            event(at, 34, Some(Returning), None),
        ],
    );
    let r = ShipmentRecord::from_shipment(&returned);
    assert_eq!(r.outcome, Outcome::Returned);
    assert_eq!(r.delivered_at, None);
    assert_eq!(r.measured_desi, None);

    let open = shipment(
        "shp_o",
        CarrierId::Surat,
        request("Ankara", "Çankaya", None),
        offer(CarrierId::Surat, dec!(2), dec!(70)),
        at,
        Vec::new(),
    );
    let o = ShipmentRecord::from_shipment(&open);
    assert_eq!((o.outcome, o.picked_up_at), (Outcome::Open, None));

    // A carrier that reports only the current status: the history starts at the delivery, so
    // the transit time runs from the creation.
    let only_delivered = shipment(
        "shp_d",
        CarrierId::Mng,
        request("Ankara", "Çankaya", None),
        offer(CarrierId::Mng, dec!(2), dec!(70)),
        at,
        vec![event(at, 26, Some(Delivered), Some(measured(dec!(2))))],
    );
    let d = ShipmentRecord::from_shipment(&only_delivered);
    assert_eq!(d.picked_up_at, None);
    assert_eq!(d.delivered_at, Some(at + Duration::hours(26)));
    assert_eq!(d.measured_desi, Some(dec!(2)));
    assert!(!d.desi_mismatch());

    let mut back = open.clone();
    back.id = ShipmentId("shp_back".into());
    back.return_of = Some(returned.id.clone());
    assert!(ShipmentRecord::from_shipment(&back).customer_return);
}

#[test]
fn the_wallet_desi_report_supplies_the_money_lost() {
    let stored = stored_month();
    let report = DesiReport {
        shipments: vec![DesiLine {
            shipment: stored[1].id.clone(),
            key: stored[1].idempotency_key.clone(),
            carrier: stored[1].carrier.clone(),
            declared: dec!(3),
            measured: Some(dec!(4)),
            charged: Money::try_lira(dec!(12.34)),
            reserve_released: Money::zero(),
        }],
        carriers: Vec::new(),
    };
    let records = records_from_shipments(&stored, Some(&report));
    assert_eq!(records.len(), stored.len());
    assert_eq!(
        records[1].desi_extra_cost,
        Some(Money::try_lira(dec!(12.34)))
    );
    assert!(
        records
            .iter()
            .enumerate()
            .all(|(i, r)| i == 1 || r.desi_extra_cost.is_none())
    );
    let at = start();
    let period = Period::new(at, at + Duration::days(31)).unwrap();
    let snap = Snapshot::build(&records, period).unwrap();
    assert_eq!(snap.totals.shipments, 10);
    assert_eq!(snap.totals.desi_money_lost, Money::try_lira(dec!(12.34)));
    // i % 4: 0, 1 delivered (i = 0 1 4 5 8 9); 2 returned (2 6); 3 still in transit (3 7).
    assert_eq!(
        (
            snap.totals.delivered,
            snap.totals.returned,
            snap.totals.open
        ),
        (6, 2, 2)
    );
    // Measured 3, 4, 5 desi in turn against 3 declared: every shipment but i % 3 == 0.
    assert_eq!(snap.totals.measured, 10);
    assert_eq!(snap.totals.desi_mismatches, 6);
    // Delivered shipments: picked up at +2 h, delivered at +30 h.
    assert_eq!(snap.totals.avg_transit_days, Some(dec!(1.17)));
    let without = records_from_shipments(&stored, None);
    assert!(without.iter().all(|r| r.desi_extra_cost.is_none()));
}

#[test]
fn snapshots_carry_no_personal_data() {
    let records = records_from_shipments(&stored_month(), None);
    let at = start();
    let snap =
        Snapshot::build(&records, Period::new(at, at + Duration::days(31)).unwrap()).unwrap();
    let json = serde_json::to_string(&snap).unwrap();
    for p in PERSONAL {
        assert!(!json.contains(p), "{p} leaked into the snapshot");
    }
    let json = serde_json::to_string(&records).unwrap();
    for p in PERSONAL {
        assert!(!json.contains(p), "{p} leaked into the records");
    }
}

#[test]
fn the_digest_for_a_language_model_carries_no_personal_data() {
    let records = records_from_shipments(&stored_month(), None);
    let at = start();
    let snap =
        Snapshot::build(&records, Period::new(at, at + Duration::days(31)).unwrap()).unwrap();
    let rules = FindingRules {
        min_shipments: 2,
        ..FindingRules::default()
    };
    let found = findings(&snap, None, &rules);
    assert!(!found.is_empty());
    for lang in [Language::Tr, Language::En] {
        let json = Digest::of(&snap, &found, lang).to_json().unwrap();
        for p in PERSONAL {
            assert!(!json.contains(p), "{p} leaked into the digest");
        }
        assert!(json.contains("\"currency\":\"TRY\""));
        assert!(json.contains("Van"), "provinces are aggregates and stay");
    }
}
