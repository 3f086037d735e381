//! Snapshot numbers checked against values computed by hand on a small fixture
//! (`fixtures/insights/march-2026.json`: 12 outbound shipments in March 2026 from İstanbul —
//! Aras A1–A6, HepsiJET H1–H4, Sürat S1–S3 — one of them cancelled (A5), one customer return
//! (R1), and seven February shipments for the previous period).
#![allow(clippy::unwrap_used)]

use chrono::{DateTime, TimeZone, Utc};
use kargojet_core::Code;
use kargojet_core::carrier::CarrierId;
use kargojet_core::geo::{DistanceZone, Plate, Region};
use kargojet_core::insights::{Outcome, Period, ShipmentRecord, Snapshot};
use kargojet_core::money::Money;
use kargojet_core::time::turkey_offset;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn records() -> Vec<ShipmentRecord> {
    let text = include_str!("fixtures/insights/march-2026.json");
    serde_json::from_str(text).unwrap()
}

fn march() -> Period {
    let at = |m, d| -> DateTime<Utc> {
        turkey_offset()
            .with_ymd_and_hms(2026, m, d, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    Period::new(at(3, 1), at(4, 1)).unwrap()
}

fn tl(d: Decimal) -> Money {
    Money::try_lira(d)
}

fn plate(n: u8) -> Plate {
    Plate::new(n).unwrap()
}

#[test]
fn totals_match_the_hand_computed_values() {
    let s = Snapshot::build(&records(), march()).unwrap();
    let t = &s.totals;
    // A1 A2 A3 A4 A6, H1–H4, S1–S3; A5 is cancelled; R1 is a customer return; February is out.
    assert_eq!(t.shipments, 12);
    assert_eq!(t.cancelled, 1);
    // Delivered A1 A2 A4 H1 H2 H3 S1; returned A3 H4 S3; problem S2; open A6.
    assert_eq!((t.delivered, t.returned, t.problem, t.open), (7, 3, 1, 1));
    // 470 (Aras) + 275 (HepsiJET) + 188 (Sürat).
    assert_eq!(t.total_cost, tl(dec!(933.00)));
    // 18 + 13.5 + 8.
    assert_eq!(t.total_desi, dec!(39.5));
    // 933 / 12 = 77.75; 933 / 39.5 = 23.6202… → 23.62.
    assert_eq!(t.cost_per_shipment, Some(tl(dec!(77.75))));
    assert_eq!(t.cost_per_desi, Some(tl(dec!(23.62))));
    // Closed 11: 7/11 = 63.636… → 63.6; 3/11 = 27.27… → 27.3.
    assert_eq!(t.delivery_rate, Some(dec!(63.6)));
    assert_eq!(t.return_rate, Some(dec!(27.3)));
    // A1 3, A2 2.5 (from creation: no pickup known), A4 1, H1 1.5, H2 2, H3 1.25, S1 1.5:
    // 12.75 / 7 = 1.8214… → 1.82.
    assert_eq!(t.transit_samples, 7);
    assert_eq!(t.avg_transit_days, Some(dec!(1.82)));
    // Measured A1 A2 A3 A6 H1 H2 H4 S1 (8); above the declared: A1 A3 A6 H2 (4) → 50 %.
    assert_eq!((t.measured, t.desi_mismatches), (8, 4));
    assert_eq!(t.desi_mismatch_rate, Some(dec!(50.0)));
    // 24 + 30 + 6.50 + 18.
    assert_eq!(t.desi_money_lost, tl(dec!(78.50)));
    // COD on A1 A3 H2 H4 S3 (A5's is cancelled): 5/12 = 41.67 → 41.7; 500+750+1000+300+400.
    assert_eq!(t.cod_shipments, 5);
    assert_eq!(t.cod_share, Some(dec!(41.7)));
    assert_eq!(t.cod_amount, tl(dec!(2950.00)));
    assert_eq!(s.customer_returns, 1);
    assert_eq!(s.customer_return_cost, tl(dec!(45.00)));
}

#[test]
fn carriers_match_the_hand_computed_values() {
    let s = Snapshot::build(&records(), march()).unwrap();
    let ids: Vec<&CarrierId> = s.by_carrier.iter().map(|c| &c.carrier).collect();
    assert_eq!(
        ids,
        vec![&CarrierId::Aras, &CarrierId::Hepsijet, &CarrierId::Surat]
    );

    let aras = s.carrier(&CarrierId::Aras).unwrap();
    let a = &aras.stats;
    assert_eq!(aras.share, Some(dec!(41.7))); // 5/12
    assert_eq!((a.shipments, a.cancelled), (5, 1));
    assert_eq!((a.delivered, a.returned, a.problem, a.open), (3, 1, 0, 1));
    assert_eq!(a.total_cost, tl(dec!(470.00)));
    assert_eq!(a.total_desi, dec!(18));
    assert_eq!(a.cost_per_shipment, Some(tl(dec!(94.00))));
    assert_eq!(a.cost_per_desi, Some(tl(dec!(26.11)))); // 470/18 = 26.111…
    assert_eq!(a.delivery_rate, Some(dec!(75.0))); // 3/4
    assert_eq!(a.return_rate, Some(dec!(25.0))); // 1/4
    assert_eq!(a.avg_transit_days, Some(dec!(2.17))); // (3 + 2.5 + 1) / 3 = 2.1666…
    assert_eq!((a.measured, a.desi_mismatches), (4, 3)); // A1 A2 A3 A6; A1 A3 A6
    assert_eq!(a.desi_mismatch_rate, Some(dec!(75.0)));
    assert_eq!(a.desi_money_lost, tl(dec!(60.50))); // 24 + 0 + 30 + 6.50
    assert_eq!(a.cod_shipments, 2);
    assert_eq!(a.cod_share, Some(dec!(40.0)));
    assert_eq!(a.cod_amount, tl(dec!(1250.00)));

    let hj = s.carrier(&CarrierId::Hepsijet).unwrap();
    let h = &hj.stats;
    assert_eq!(hj.share, Some(dec!(33.3))); // 4/12
    assert_eq!(h.total_cost, tl(dec!(275.00)));
    assert_eq!(h.cost_per_shipment, Some(tl(dec!(68.75))));
    assert_eq!(h.cost_per_desi, Some(tl(dec!(20.37)))); // 275/13.5 = 20.370…
    assert_eq!(h.avg_transit_days, Some(dec!(1.58))); // (1.5 + 2 + 1.25) / 3 = 1.5833…
    assert_eq!(h.desi_mismatch_rate, Some(dec!(33.3))); // 1/3
    assert_eq!(h.desi_money_lost, tl(dec!(18.00)));
    assert_eq!(h.return_rate, Some(dec!(25.0)));

    let su = s.carrier(&CarrierId::Surat).unwrap();
    let u = &su.stats;
    assert_eq!(su.share, Some(dec!(25.0)));
    assert_eq!(u.cost_per_shipment, Some(tl(dec!(62.67)))); // 188/3 = 62.666…
    assert_eq!(u.cost_per_desi, Some(tl(dec!(23.50))));
    assert_eq!(u.delivery_rate, Some(dec!(33.3))); // 1/3 (S2 is a problem, S3 returned)
    assert_eq!(u.return_rate, Some(dec!(33.3)));
    assert_eq!(u.avg_transit_days, Some(dec!(1.5)));
    assert_eq!(u.desi_mismatch_rate, Some(dec!(0.0)));
}

#[test]
fn regions_provinces_and_zones_match_the_hand_computed_values() {
    let s = Snapshot::build(&records(), march()).unwrap();
    let order: Vec<Region> = s.by_region.iter().map(|r| r.region).collect();
    // 5, then 3 and 3 (ties by region id: Ege before İç Anadolu), then 1.
    assert_eq!(
        order,
        vec![
            Region::DoguAnadolu,
            Region::Ege,
            Region::IcAnadolu,
            Region::Marmara
        ]
    );
    let east = &s.region(Region::DoguAnadolu).unwrap().stats;
    // A1 A2 A3 H1 H2: 120+100+150+80+90 = 540 over 24 desi.
    assert_eq!(east.shipments, 5);
    assert_eq!(east.total_cost, tl(dec!(540.00)));
    assert_eq!(east.cost_per_shipment, Some(tl(dec!(108.00))));
    assert_eq!(east.cost_per_desi, Some(tl(dec!(22.50))));
    assert_eq!(east.delivery_rate, Some(dec!(80.0)));
    assert_eq!(east.return_rate, Some(dec!(20.0)));
    assert_eq!(east.avg_transit_days, Some(dec!(2.25))); // (3 + 2.5 + 1.5 + 2) / 4
    let central = &s.region(Region::IcAnadolu).unwrap().stats;
    assert_eq!((central.shipments, central.cancelled), (3, 1)); // A4 S1 S2; A5
    assert_eq!(central.cost_per_shipment, Some(tl(dec!(63.33)))); // 190/3
    assert_eq!(central.cost_per_desi, Some(tl(dec!(23.75)))); // 190/8
    assert_eq!(central.delivery_rate, Some(dec!(66.7))); // 2/3
    assert_eq!(central.return_rate, Some(dec!(0.0)));
    let aegean = &s.region(Region::Ege).unwrap().stats;
    assert_eq!(aegean.cost_per_desi, Some(tl(dec!(25.08)))); // 163/6.5 = 25.0769…
    assert_eq!(aegean.return_rate, Some(dec!(66.7))); // H4 S3 of 3
    let marmara = &s.region(Region::Marmara).unwrap().stats;
    assert_eq!((marmara.shipments, marmara.open), (1, 1));
    assert_eq!(marmara.delivery_rate, None); // nothing closed yet

    let van = s.province(plate(65)).unwrap();
    assert_eq!(
        (van.name.as_str(), van.region),
        ("Van", Region::DoguAnadolu)
    );
    assert_eq!(van.stats.shipments, 3); // A1 A3 H1
    assert_eq!(s.by_province[0].plate, plate(6)); // Ankara: A4 S1 S2 (3), ties by plate first
    assert_eq!(s.by_province.len(), 5); // 06 25 34 35 65

    let aras_east = s
        .carrier_region(&CarrierId::Aras, Region::DoguAnadolu)
        .unwrap();
    assert_eq!(aras_east.cost_per_desi, Some(tl(dec!(24.67)))); // 370/15
    assert_eq!(aras_east.avg_transit_days, Some(dec!(2.75)));
    let hj_east = s
        .carrier_region(&CarrierId::Hepsijet, Region::DoguAnadolu)
        .unwrap();
    assert_eq!(hj_east.cost_per_desi, Some(tl(dec!(18.89)))); // 170/9
    assert_eq!(hj_east.avg_transit_days, Some(dec!(1.75)));

    // Van 1641 km and Erzurum 1229 km are `uzun`, Ankara 453 and İzmir 566 `kisa`.
    let cell = |c: CarrierId, z| s.transit_of(&c, z).cloned();
    let aras_long = cell(CarrierId::Aras, DistanceZone::Uzun).unwrap();
    assert_eq!(
        (aras_long.samples, aras_long.avg_days),
        (2, Some(dec!(2.75)))
    );
    let aras_city = cell(CarrierId::Aras, DistanceZone::SehirIci).unwrap();
    assert_eq!((aras_city.samples, aras_city.avg_days), (0, None));
    let hj_short = cell(CarrierId::Hepsijet, DistanceZone::Kisa).unwrap();
    assert_eq!((hj_short.samples, hj_short.avg_days), (1, Some(dec!(1.25))));
    assert_eq!(
        cell(CarrierId::Surat, DistanceZone::Kisa).unwrap().avg_days,
        Some(dec!(1.5))
    );
    assert!(cell(CarrierId::Surat, DistanceZone::Uzun).is_none());
    assert_eq!(s.transit.len(), 6);
}

#[test]
fn cash_on_delivery_matches_the_hand_computed_values() {
    let s = Snapshot::build(&records(), march()).unwrap();
    let c = &s.cod;
    // COD: A1 (delivered) A3 (returned) H2 (delivered) H4 (returned) S3 (returned).
    assert_eq!(c.cod.shipments, 5);
    assert_eq!(c.cod.return_rate, Some(dec!(60.0)));
    assert_eq!(c.cod.cost_per_shipment, Some(tl(dec!(94.60)))); // 473/5
    // Prepaid: A2 A4 A6 H1 H3 S1 S2; closed 6 (A6 open), none returned.
    assert_eq!(c.prepaid.shipments, 7);
    assert_eq!(c.prepaid.return_rate, Some(dec!(0.0)));
    assert_eq!(c.prepaid.delivery_rate, Some(dec!(83.3))); // 5/6
    assert_eq!(c.collected, tl(dec!(1500.00)));
    assert_eq!(c.returned_amount, tl(dec!(1450.00)));
    assert_eq!(c.average_amount, Some(tl(dec!(590.00))));
}

#[test]
fn the_previous_period_has_the_same_length_just_before() {
    let p = march().previous();
    assert_eq!(p.to, march().from);
    assert_eq!(p.to - p.from, march().to - march().from);
    let s = Snapshot::build(&records(), p).unwrap();
    // P1 (Aras) and F1–F6 (Sürat: five delivered, one returned).
    assert_eq!(s.totals.shipments, 7);
    let su = &s.carrier(&CarrierId::Surat).unwrap().stats;
    assert_eq!(su.return_rate, Some(dec!(16.7)));
    assert_eq!(su.avg_transit_days, Some(dec!(1)));
}

#[test]
fn an_empty_period_has_no_rates() {
    let at = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap();
    let s = Snapshot::build(&records(), Period::new(at(2020), at(2021)).unwrap()).unwrap();
    assert_eq!(s.totals.shipments, 0);
    assert_eq!(s.totals.cost_per_shipment, None);
    assert_eq!(s.totals.delivery_rate, None);
    assert_eq!(s.totals.avg_transit_days, None);
    assert!(s.by_carrier.is_empty() && s.transit.is_empty());
    assert_eq!(s.cod.average_amount, None);
}

#[test]
fn invalid_records_are_refused_with_their_path() {
    let at = Utc.with_ymd_and_hms(2026, 3, 2, 0, 0, 0).unwrap();
    assert_eq!(
        Period::new(at, at).err().map(|e| e.code()),
        Some(Code::RequestInvalid)
    );
    let good = records();
    let field = |rs: &[ShipmentRecord]| {
        Snapshot::build(rs, march())
            .err()
            .map(|e| (e.code(), e.field().unwrap_or_default().to_string()))
    };
    // A plate outside 1–81 from JSON.
    let mut bad: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("fixtures/insights/march-2026.json")).unwrap();
    bad[2]["destination"] = serde_json::json!(0);
    let rs: Vec<ShipmentRecord> = serde_json::from_value(serde_json::Value::Array(bad)).unwrap();
    assert_eq!(
        field(&rs),
        Some((
            Code::RequestUnknownProvince,
            "records[2].destination".to_string()
        ))
    );
    let mut rs = good.clone();
    rs[1].cost = tl(dec!(-1));
    assert_eq!(
        field(&rs),
        Some((Code::RequestInvalidAmount, "records[1].cost".to_string()))
    );
    let mut rs = good.clone();
    rs[0].measured_desi = Some(dec!(0));
    assert_eq!(
        field(&rs),
        Some((
            Code::RequestInvalidWeight,
            "records[0].measured_desi".to_string()
        ))
    );
    let mut rs = good.clone();
    rs[0].delivered_at = Some(rs[0].created_at - chrono::Duration::hours(1));
    assert_eq!(
        field(&rs),
        Some((Code::RequestInvalid, "records[0].delivered_at".to_string()))
    );
    let mut rs = good;
    rs[3].outcome = Outcome::Returned; // delivered_at set on a returned shipment
    assert_eq!(
        field(&rs),
        Some((Code::RequestInvalid, "records[3].delivered_at".to_string()))
    );
}
