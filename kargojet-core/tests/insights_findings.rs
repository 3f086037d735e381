//! Rule-based findings on the hand-computed fixture (see `insights_snapshot.rs` for the
//! snapshot's numbers): which rules fire, their numbers, money at stake, ranking and texts.
#![allow(clippy::unwrap_used)]

use chrono::{TimeZone, Utc};
use kargojet_core::carrier::CarrierId;
use kargojet_core::geo::Region;
use kargojet_core::insights::{
    Finding, FindingKind, FindingRules, Period, ShipmentRecord, Snapshot, findings,
};
use kargojet_core::money::Money;
use kargojet_core::time::turkey_offset;
use rust_decimal_macros::dec;

fn snapshots() -> (Snapshot, Snapshot) {
    let records: Vec<ShipmentRecord> =
        serde_json::from_str(include_str!("fixtures/insights/march-2026.json")).unwrap();
    let at = |m, d| {
        turkey_offset()
            .with_ymd_and_hms(2026, m, d, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    let march = Period::new(at(3, 1), at(4, 1)).unwrap();
    (
        Snapshot::build(&records, march).unwrap(),
        Snapshot::build(&records, march.previous()).unwrap(),
    )
}

/// The fixture is small: judge groups from two shipments on.
fn rules() -> FindingRules {
    FindingRules {
        min_shipments: 2,
        ..FindingRules::default()
    }
}

fn find(all: &[Finding], kind: FindingKind, carrier: Option<CarrierId>) -> &Finding {
    all.iter()
        .find(|f| f.kind == kind && (carrier.is_none() || f.carrier == carrier))
        .unwrap_or_else(|| panic!("no {kind:?} finding for {carrier:?} in {all:#?}"))
}

fn tl(d: rust_decimal::Decimal) -> Money {
    Money::try_lira(d)
}

#[test]
fn findings_rank_by_money_at_stake() {
    let (now, before) = snapshots();
    let all = findings(&now, Some(&before), &rules());
    let ranked: Vec<(FindingKind, Money)> =
        all.iter().map(|f| (f.kind, f.money_at_stake)).collect();
    assert_eq!(
        ranked,
        vec![
            // 60 points × 5 closed COD shipments × 94.60 TL.
            (FindingKind::CodReturnRisk, tl(dec!(283.80))),
            // (24.67 − 18.89) TL per desi × Aras's 15 desi to Doğu Anadolu.
            (FindingKind::CheaperCarrierInRegion, tl(dec!(86.70))),
            // (66.7 − 27.3) points × 3 closed to Ege × 54.33 TL = 64.218…
            (FindingKind::RegionReturnRate, tl(dec!(64.22))),
            // Aras's desi differences: 24 + 30 + 6.50.
            (FindingKind::DesiMismatch, tl(dec!(60.50))),
            // (63.6 − 33.3) points × 3 closed × 62.67 TL = 56.967…
            (FindingKind::LowDeliveryRate, tl(dec!(56.97))),
            // (33.3 − 16.7) points × 3 closed × 62.67 TL = 31.209…
            (FindingKind::ReturnRateRise, tl(dec!(31.21))),
            // HepsiJET's desi difference.
            (FindingKind::DesiMismatch, tl(dec!(18.00))),
        ]
    );
    // Without the previous period the trend rule cannot fire.
    let alone = findings(&now, None, &rules());
    assert_eq!(alone.len(), 6);
    assert!(alone.iter().all(|f| f.kind != FindingKind::ReturnRateRise));
}

#[test]
fn desi_mismatch_says_where_and_how_much() {
    let (now, _) = snapshots();
    let all = findings(&now, None, &rules());
    let f = find(&all, FindingKind::DesiMismatch, Some(CarrierId::Aras));
    assert_eq!(
        f.text_tr(),
        "Aras'ta desi farkı oranı %75 — paketleme ölçülerini kontrol edin"
    );
    assert_eq!(
        f.text_en(),
        "Desi mismatch rate at Aras is 75% — check your packaging dimensions"
    );
    assert_eq!(f.value("mismatch_rate"), Some(dec!(75)));
    assert_eq!(f.value("measured"), Some(dec!(4)));
    assert_eq!(f.value("mismatches"), Some(dec!(3)));
    assert!(f.detail_tr.contains("60,50 TL"), "{}", f.detail_tr);
    assert!(f.detail_en.contains("TRY 60.50"), "{}", f.detail_en);
    let h = find(&all, FindingKind::DesiMismatch, Some(CarrierId::Hepsijet));
    assert_eq!(h.headline_tr, "HepsiJET'te desi farkı oranı %33,3");
    // Sürat was measured once: below the minimum.
    assert!(
        all.iter()
            .all(|f| !(f.kind == FindingKind::DesiMismatch && f.carrier == Some(CarrierId::Surat)))
    );
}

#[test]
fn a_cheaper_faster_carrier_for_a_region_is_named() {
    let (now, _) = snapshots();
    let all = findings(&now, None, &rules());
    let f = find(&all, FindingKind::CheaperCarrierInRegion, None);
    assert_eq!(f.region, Some(Region::DoguAnadolu));
    assert_eq!(f.carrier, Some(CarrierId::Hepsijet));
    assert_eq!(f.compared_to, Some(CarrierId::Aras));
    // (24.67 − 18.89) / 24.67 = 23.43 % → 23.4; 2.75 − 1.75 = 1 day.
    assert_eq!(f.value("cheaper_percent"), Some(dec!(23.4)));
    assert_eq!(f.value("days_faster"), Some(dec!(1)));
    assert_eq!(
        f.headline_tr,
        "Doğu Anadolu'ya HepsiJET %23,4 daha ucuz ve 1 gün daha hızlı"
    );
    assert_eq!(
        f.action_tr,
        "Doğu Anadolu gönderilerinde Aras yerine HepsiJET'e öncelik verin"
    );
    assert_eq!(
        f.headline_en,
        "HepsiJET is 23.4% cheaper and 1 day faster to Eastern Anatolia"
    );
    // A threshold above the difference silences it.
    let strict = FindingRules {
        cheaper_by_percent: dec!(25),
        ..rules()
    };
    assert!(
        findings(&now, None, &strict)
            .iter()
            .all(|f| f.kind != FindingKind::CheaperCarrierInRegion)
    );
    // So does a faster-is-required rule that the alternative fails (it is 1 day faster: a
    // negative allowance of −1.5 days demands 1.5 days faster).
    let faster = FindingRules {
        slower_by_days_max: dec!(-1.5),
        ..rules()
    };
    assert!(
        findings(&now, None, &faster)
            .iter()
            .all(|f| f.kind != FindingKind::CheaperCarrierInRegion)
    );
}

#[test]
fn a_doubled_return_rate_is_reported_against_the_previous_period() {
    let (now, before) = snapshots();
    let all = findings(&now, Some(&before), &rules());
    let f = find(&all, FindingKind::ReturnRateRise, Some(CarrierId::Surat));
    assert_eq!(f.headline_tr, "İade oranı Sürat'te iki katına çıktı");
    assert_eq!(f.headline_en, "Return rate at Sürat doubled");
    assert_eq!(f.value("return_rate"), Some(dec!(33.3)));
    assert_eq!(f.value("return_rate_previous"), Some(dec!(16.7)));
    assert_eq!(f.value("rise_points"), Some(dec!(16.6)));
    assert!(
        f.detail_tr
            .starts_with("Önceki dönemde %16,7 iken bu dönemde %33,3 oldu"),
        "{}",
        f.detail_tr
    );
    // Aras had one closed shipment in February: too few to compare.
    assert!(
        all.iter()
            .all(|f| !(f.kind == FindingKind::ReturnRateRise
                && f.carrier == Some(CarrierId::Aras)))
    );
}

#[test]
fn region_delivery_and_cod_rules_state_their_numbers() {
    let (now, _) = snapshots();
    let all = findings(&now, None, &rules());
    let r = find(&all, FindingKind::RegionReturnRate, None);
    assert_eq!(r.region, Some(Region::Ege));
    assert_eq!(r.headline_tr, "Ege'de iade oranı %66,7 (genel %27,3)");
    let d = find(&all, FindingKind::LowDeliveryRate, Some(CarrierId::Surat));
    assert_eq!(
        d.headline_tr,
        "Sürat'te teslim başarısı %33,3 (genel %63,6)"
    );
    let c = find(&all, FindingKind::CodReturnRisk, None);
    assert_eq!(
        c.headline_tr,
        "Kapıda ödemeli gönderilerde iade oranı %60, peşin ödemelilerde %0"
    );
    assert_eq!(c.value("cod_amount_returned"), Some(dec!(1450)));
    assert!(c.detail_tr.contains("1.450,00 TL tahsil edilemedi"));
    for f in &all {
        assert!(!f.action_tr.is_empty() && !f.action_en.is_empty());
        assert!(!f.evidence.is_empty());
        assert!(!f.money_at_stake.is_negative());
    }
}

#[test]
fn default_thresholds_need_enough_shipments() {
    let (now, before) = snapshots();
    // With the default minimum of 10 shipments behind a rate, a fixture this small says nothing.
    assert!(findings(&now, Some(&before), &FindingRules::default()).is_empty());
}
