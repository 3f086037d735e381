//! Property tests of pricing: prices monotone in desi, breakdowns that add up exactly, the
//! commission exactly 10 % of cost to the kuruş.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::carrier::CarrierId;
use crate::geo::Plate;
use crate::money::Money;
use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;
use std::sync::Arc;

fn shared() -> Vec<Arc<Tariff>> {
    illustrative_tariffs().unwrap()
}

fn plate(n: u8) -> Plate {
    Plate::new(n).unwrap()
}

proptest! {
    #[test]
    fn price_never_decreases_with_desi(t in 0usize..8, from in 1u8..=81, to in 1u8..=81, a in 1u32..20000, b in 1u32..20000) {
        let tariffs = shared();
        let tariff = &tariffs[t % tariffs.len()];
        let route = Route::between(plate(from), plate(to));
        let zone = tariff.zone_of(&route).unwrap();
        let (lo, hi) = (a.min(b), a.max(b));
        let p_lo = tariff.price(zone, Decimal::new(i64::from(lo), 2)).unwrap();
        let p_hi = tariff.price(zone, Decimal::new(i64::from(hi), 2)).unwrap();
        prop_assert!(p_lo.amount <= p_hi.amount, "{} > {}", p_lo.amount, p_hi.amount);
    }

    #[test]
    fn breakdown_lines_add_up_and_commission_is_ten_percent(
        t in 0usize..8, from in 1u8..=81, to in 1u8..=81, desi in 1u32..15000,
        cod in proptest::option::of(1u32..2_000_000), sms in any::<bool>(), disc in 0u32..30,
    ) {
        let tariffs = shared();
        let tariff = tariffs[t % tariffs.len()].clone();
        let fees = Fees { cod: Some(CodFee::Percent { percent: dec!(1.5), min: Money::try_lira(dec!(15)) }), sms: Some(Money::try_lira(dec!(1.25))), insurance_percent: Some(dec!(0.3)), ..Fees::default() };
        let a = Agreement::platform(tariff).fees(fees).discount(Discount { percent: Decimal::from(disc), label: "referral".into() }).build().unwrap();
        let input = PriceInput::new(Route::between(plate(from), plate(to)), Decimal::new(i64::from(desi), 2))
            .with_cod(cod.map(|c| Money::from_kurus(i64::from(c))))
            .with_sms(sms)
            .with_insurance(Some(Money::try_lira(dec!(999.99))));
        let b = a.price(&input).unwrap();
        let sum: Money = b.lines().iter().map(|l| l.amount).sum();
        prop_assert_eq!(sum, b.total);
        prop_assert_eq!(a.total(&input).unwrap(), b.total, "total() is price().total");
        let expected = (b.cost.amount * dec!(0.10)).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(b.commission.amount, expected);
        let kdv = ((b.total - b.kdv).amount * dec!(0.20)).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        prop_assert_eq!(b.kdv.amount, kdv);
        prop_assert!(b.discount.amount <= Decimal::ZERO);
        for l in b.lines() {
            prop_assert_eq!(l.amount.round_kurus(), l.amount);
        }
    }

    #[test]
    fn the_same_pair_prices_the_same_both_ways(t in 0usize..8, from in 1u8..=81, to in 1u8..=81, desi in 1u32..5000) {
        let tariffs = shared();
        let tariff = &tariffs[t % tariffs.len()];
        let d = Decimal::new(i64::from(desi), 2);
        let there = tariff.price(tariff.zone_of(&Route::between(plate(from), plate(to))).unwrap(), d).unwrap();
        let back = tariff.price(tariff.zone_of(&Route::between(plate(to), plate(from))).unwrap(), d).unwrap();
        prop_assert_eq!(there, back);
    }
}

#[test]
fn own_agreements_have_no_commission_and_belong_to_one_company() {
    let t = shared()
        .into_iter()
        .find(|t| t.carrier() == &CarrierId::Aras)
        .unwrap();
    let a = Agreement::own("acme", "aras-main", t).build().unwrap();
    assert!(a.applies_to("acme"));
    assert!(!a.applies_to("other"));
    assert_eq!(a.account().as_str(), "seller:acme:aras-main");
    let b = a
        .price(&PriceInput::new(
            Route::between(plate(34), plate(6)),
            dec!(3),
        ))
        .unwrap();
    assert_eq!(b.commission, Money::zero());
    assert_eq!(b.cost, Money::try_lira(dec!(95.00)));
    assert_eq!(b.kdv, Money::try_lira(dec!(19.00)));
    assert_eq!(b.total, Money::try_lira(dec!(114.00)));
    let e = a
        .price(
            &PriceInput::new(Route::between(plate(34), plate(6)), dec!(3))
                .with_cod(Some(Money::try_lira(dec!(10)))),
        )
        .unwrap_err();
    assert_eq!(e.code(), crate::Code::UnsupportedCod);
}

#[test]
fn bad_agreement_numbers_are_rejected() {
    let t = shared().remove(0);
    assert!(
        Agreement::platform(t.clone())
            .commission_percent(dec!(-1))
            .build()
            .is_err()
    );
    assert!(
        Agreement::platform(t.clone())
            .commission_percent(dec!(101))
            .build()
            .is_err()
    );
    assert!(
        Agreement::platform(t)
            .fees(Fees {
                sms: Some(Money::try_lira(dec!(-1))),
                ..Fees::default()
            })
            .build()
            .is_err()
    );
}

/// Two agreements on the same tariff with the same fees price every shipment the same: the
/// cheapest must go to the lower carrier id whatever the order (the exact tie scan).
#[test]
fn cheapest_breaks_equal_totals_by_carrier_id_in_any_order() {
    let make = |carrier: CarrierId| {
        let tariff = Tariff::builder(format!("t_{}", carrier.as_str()), carrier)
            .band(ZoneKey::Province(plate(6)), dec!(0), dec!(10), dec!(100))
            .build()
            .unwrap();
        Agreement::own("acme", "acct", Arc::new(tariff))
            .build()
            .unwrap()
    };
    let a = make(CarrierId::Yurtici);
    let b = make(CarrierId::Aras);
    let c = make(CarrierId::Ptt);
    let input = PriceInput::new(Route::between(plate(34), plate(6)), dec!(3));
    for order in [[&a, &b, &c], [&b, &a, &c], [&c, &a, &b], [&c, &b, &a]] {
        let (best, total) = Agreement::cheapest(order, &input).unwrap();
        assert_eq!(best.carrier(), &CarrierId::Aras);
        assert_eq!(total, a.total(&input).unwrap());
    }
}

/// The compiled COD band fee (a branch-free count for up to eight bands, a search above)
/// agrees with the band table read literally, at and around every bound.
#[test]
fn cod_band_fees_match_the_table_at_every_bound() {
    for n in [1usize, 3, 8, 9, 12] {
        let bands: Vec<CodFeeBand> = (0..n)
            .map(|i| CodFeeBand {
                upper: (i + 1 < n).then(|| Decimal::from(250 * (i + 1))),
                fixed: Money::try_lira(Decimal::from(10 + 3 * i)),
                percent: if i % 2 == 1 { dec!(1.5) } else { Decimal::ZERO },
            })
            .collect();
        let fee = CodFee::Bands(bands.clone());
        for kurus in (0..=250 * (n as i64 + 1) * 100)
            .step_by(2_500)
            .flat_map(|k| [k - 1, k, k + 1])
        {
            let amount = Money::from_kurus(kurus.max(0));
            let band = bands
                .iter()
                .find(|b| b.upper.is_none_or(|u| amount.amount <= u))
                .unwrap_or_else(|| bands.last().unwrap());
            let want = (band.fixed.amount + amount.amount * band.percent / Decimal::ONE_HUNDRED)
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
            assert_eq!(fee.fee(amount).unwrap().amount, want, "{n} bands, {amount}");
        }
    }
}
