//! Scenarios with amounts computed by hand to the kuruş (tariff in `wallet_support`:
//! (1,3] desi 60 TL, (3,5] 70 TL, (5,10] 90 TL; 10 % commission; KDV 20 %; COD fee 1.5 %).
#![allow(clippy::unwrap_used)]

mod wallet_support;

use kargojet_core::Code;
use kargojet_core::orchestrator::Funding;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_core::wallet::{
    AccountKey, CsvOptions, DesiStatus, LedgerStore, LineKind, PlatformAccount, ShipmentKey,
    TransferId,
};
use rust_decimal_macros::dec;
use std::time::Duration;
use wallet_support::*;

async fn platform(env: &Env, p: PlatformAccount) -> rust_decimal::Decimal {
    env.store
        .balance(&AccountKey::Platform(p))
        .await
        .unwrap()
        .amount
}

#[tokio::test]
async fn a_3_desi_parcel_re_measured_at_7_desi() {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("topup-1"), "acme", tl(dec!(200)), "EFT-1")
        .await
        .unwrap();
    let req = request(dec!(3), None);
    let offer = offer(&agreement(), &req);
    // 3 desi: cost 60,00 + commission 6,00 = 66,00; KDV 13,20; total 79,20.
    assert_eq!(offer.billable_desi, dec!(3));
    assert_eq!(offer.breakdown.total, tl(dec!(79.20)));
    // Reserve = next band (4 desi → 70 + 7 + 15,40 = 92,40) − 79,20 = 13,20.
    assert_eq!(
        env.funding.reserve_for(&offer, &req).unwrap(),
        tl(dec!(13.20))
    );

    let mut s = env.ship("acme", "order-7", &req, &offer).await.unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(107.60))); // 200 − 79,20 − 13,20
    assert_eq!(b.blocked, tl(dec!(13.20)));
    assert_eq!(
        platform(&env, PlatformAccount::CarrierPayable).await,
        dec!(60.00)
    );
    assert_eq!(
        platform(&env, PlatformAccount::CommissionRevenue).await,
        dec!(6.00)
    );
    assert_eq!(
        platform(&env, PlatformAccount::KdvPayable).await,
        dec!(13.20)
    );

    // Measured at 7 desi: 90 + 9 + 19,80 = 118,80; difference 39,60 = 13,20 reserve + 26,40.
    let ev = event(
        start() + chrono::Duration::hours(5),
        ShipmentStatus::PickedUp,
        Some(measured(dec!(7))),
    );
    s.events.push(ev.clone());
    env.funding
        .on_events(&s, std::slice::from_ref(&ev))
        .await
        .unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(81.20)));
    assert_eq!(b.blocked, tl(dec!(0)));
    assert_eq!(
        platform(&env, PlatformAccount::CarrierPayable).await,
        dec!(90.00)
    );
    assert_eq!(
        platform(&env, PlatformAccount::CommissionRevenue).await,
        dec!(9.00)
    );
    assert_eq!(
        platform(&env, PlatformAccount::KdvPayable).await,
        dec!(19.80)
    );
    assert_eq!(env.sum_of_balances().await, dec!(0));

    // The difference is a desi_difference line tied to the shipment.
    let lines = env
        .store
        .shipment_transfers(&ShipmentKey::new("acme", "order-7"))
        .await
        .unwrap();
    let charged: rust_decimal::Decimal = lines
        .iter()
        .filter(|t| t.line == LineKind::DesiDifference)
        .map(|t| t.amount.amount)
        .sum();
    assert_eq!(charged, dec!(39.60));

    // The same event again, or an explicit call, changes nothing.
    env.funding.on_events(&s, &[ev]).await.unwrap();
    let again = env
        .funding
        .apply_measurement(&s, &measured(dec!(9)))
        .await
        .unwrap();
    assert_eq!(again.status, DesiStatus::AlreadyReconciled);
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(81.20))
    );

    let report = env
        .funding
        .desi_report(std::slice::from_ref(&s))
        .await
        .unwrap();
    assert_eq!(report.shipments[0].declared, dec!(3));
    assert_eq!(report.shipments[0].measured, Some(dec!(7)));
    assert_eq!(report.shipments[0].charged, tl(dec!(39.60)));
    assert_eq!(report.carriers[0].under_declared, 1);
    assert_eq!(report.carriers[0].charged, tl(dec!(39.60)));
}

#[tokio::test]
async fn a_lower_measurement_voids_the_reserve() {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("t"), "acme", tl(dec!(100)), "EFT")
        .await
        .unwrap();
    let req = request(dec!(3), None);
    let offer = offer(&agreement(), &req);
    let s = env.ship("acme", "o", &req, &offer).await.unwrap();
    let out = env
        .funding
        .apply_measurement(&s, &measured(dec!(2)))
        .await
        .unwrap();
    assert_eq!(out.status, DesiStatus::ReserveReleased);
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(20.80))); // 100 − 79,20
    assert_eq!(b.blocked, tl(dec!(0)));
    let mut measured_shipment = s.clone();
    measured_shipment.events.push(event(
        start(),
        ShipmentStatus::PickedUp,
        Some(measured(dec!(2))),
    ));
    let report = env.funding.desi_report(&[measured_shipment]).await.unwrap();
    assert_eq!(report.shipments[0].charged, tl(dec!(0)));
    assert_eq!(report.shipments[0].reserve_released, tl(dec!(13.20)));
    assert_eq!(report.carriers[0].reserve_released, tl(dec!(13.20)));
    assert_eq!(report.carriers[0].under_declared, 0);
}

#[tokio::test]
async fn a_difference_past_the_reserve_and_the_balance_is_refused_whole() {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("t"), "acme", tl(dec!(92.40)), "EFT")
        .await
        .unwrap();
    let req = request(dec!(3), None);
    let offer = offer(&agreement(), &req);
    let s = env.ship("acme", "o", &req, &offer).await.unwrap();
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(0))
    );
    let e = env
        .funding
        .apply_measurement(&s, &measured(dec!(7)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::WalletInsufficientFunds);
    // Nothing was applied: the reserve is still held.
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().blocked,
        tl(dec!(13.20))
    );
    // With a credit limit the same measurement goes through (and the balance stays above it).
    env.wallet
        .set_credit_limit("acme", tl(dec!(50)))
        .await
        .unwrap();
    env.funding
        .apply_measurement(&s, &measured(dec!(7)))
        .await
        .unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(-26.40)));
    assert_eq!(b.blocked, tl(dec!(0)));
}

#[tokio::test]
async fn a_cod_shipment_of_1250_tl_delivered_and_paid_out() {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("topup-1"), "acme", tl(dec!(200)), "EFT-1")
        .await
        .unwrap();
    let req = request(dec!(3), Some(tl(dec!(1250.00))));
    let offer = offer(&agreement(), &req);
    // cost 60 + commission 6 + COD fee 18,75 (1,5 % of 1.250) = 84,75; KDV 16,95; total 101,70.
    assert_eq!(offer.breakdown.cod_fee, tl(dec!(18.75)));
    assert_eq!(offer.breakdown.total, tl(dec!(101.70)));
    assert_eq!(
        env.funding.reserve_for(&offer, &req).unwrap(),
        tl(dec!(13.20))
    );

    let mut s = env.ship("acme", "cod-1", &req, &offer).await.unwrap();
    // Capture takes the freight (79,20); the COD fee with its KDV (22,50) comes out of the
    // collection, so that part of the hold went back.
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(107.60)));
    assert_eq!(b.blocked, tl(dec!(13.20)));

    let delivered_at = start() + chrono::Duration::days(2);
    let ev = event(delivered_at, ShipmentStatus::Delivered, None);
    s.events.push(ev.clone());
    s.status = ShipmentStatus::Delivered;
    env.clock.set(delivered_at);
    env.funding
        .on_events(&s, std::slice::from_ref(&ev))
        .await
        .unwrap();
    env.funding.on_events(&s, &[ev]).await.unwrap(); // replayed: no second credit
    // 1.250,00 − 18,75 − 3,75 = 1.227,50.
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.cod_receivable, tl(dec!(1227.50)));
    assert_eq!(
        platform(&env, PlatformAccount::CodClearing).await,
        dec!(-1250.00)
    );
    assert_eq!(
        platform(&env, PlatformAccount::CarrierPayable).await,
        dec!(78.75)
    );
    assert_eq!(
        platform(&env, PlatformAccount::KdvPayable).await,
        dec!(16.95)
    );

    // Payout of the receivable; the same payout id again pays nothing more.
    let key = ShipmentKey::new("acme", "cod-1");
    let paid = env
        .wallet
        .payout(
            &TransferId::new("payout-1"),
            "acme",
            std::slice::from_ref(&key),
        )
        .await
        .unwrap();
    assert_eq!(paid, tl(dec!(1227.50)));
    assert_eq!(
        env.wallet
            .payout(
                &TransferId::new("payout-1"),
                "acme",
                std::slice::from_ref(&key)
            )
            .await
            .unwrap(),
        tl(dec!(0))
    );
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.cod_receivable, tl(dec!(0)));
    assert_eq!(b.paid_out, tl(dec!(1227.50)));

    // No measurement: the reserve goes back 7 days after delivery, not before.
    env.clock
        .set(delivered_at + chrono::Duration::days(7) - chrono::Duration::seconds(1));
    assert_eq!(env.wallet.expire_due().await.unwrap(), 0);
    env.clock.advance(Duration::from_secs(1));
    assert_eq!(env.wallet.expire_due().await.unwrap(), 1);
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(120.80)));
    assert_eq!(b.blocked, tl(dec!(0)));
    assert_eq!(env.sum_of_balances().await, dec!(0));

    // The statement ties every line to the shipment or the top-up and exports with Turkish
    // headers and decimal commas.
    let st = env
        .wallet
        .statement("acme", start(), start() + chrono::Duration::days(30))
        .await
        .unwrap();
    assert!(st.lines.iter().all(|l| match &l.link {
        kargojet_core::wallet::Link::Shipment(k) => k.key == "cod-1",
        kargojet_core::wallet::Link::TopUp(r) => r == "EFT-1",
    }));
    let csv = st
        .to_csv(CsvOptions {
            decimal_comma: true,
        })
        .unwrap();
    if std::env::var_os("WALLET_PRINT_CSV").is_some() {
        println!("{csv}");
    }
    let expected = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/wallet/statement_cod_1250.csv"
    ))
    .unwrap();
    assert_eq!(csv, expected);
}

#[tokio::test]
async fn an_own_agreement_moves_no_freight_but_its_cod_flows() {
    let own = own_agreement("acme");
    let env = Env::new(vec![own.clone()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    let req = request(dec!(3), Some(tl(dec!(1250.00))));
    let offer = offer(&own, &req);
    let mut s = env.ship("acme", "own-1", &req, &offer).await.unwrap();
    assert_eq!(env.sum_of_balances().await, dec!(0));
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(0))
    );
    let out = env
        .funding
        .apply_measurement(&s, &measured(dec!(7)))
        .await
        .unwrap();
    assert_eq!(out.status, DesiStatus::NotFunded);
    let ev = event(
        start() + chrono::Duration::days(1),
        ShipmentStatus::Delivered,
        None,
    );
    s.events.push(ev.clone());
    env.funding.on_events(&s, &[ev]).await.unwrap();
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().cod_receivable,
        tl(dec!(1227.50))
    );
}

#[tokio::test]
async fn a_cancel_before_pickup_refunds_in_full() {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("topup-1"), "acme", tl(dec!(200)), "EFT-1")
        .await
        .unwrap();
    let req = request(dec!(3), None);
    let offer = offer(&agreement(), &req);
    let mut s = env.ship("acme", "cancel-1", &req, &offer).await.unwrap();
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(107.60))
    );
    s.status = ShipmentStatus::Cancelled;
    env.funding.refund(&s).await.unwrap();
    env.funding.refund(&s).await.unwrap(); // replayed: no second refund
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(200.00)));
    assert_eq!(b.blocked, tl(dec!(0)));
    for p in [
        PlatformAccount::CarrierPayable,
        PlatformAccount::CommissionRevenue,
        PlatformAccount::KdvPayable,
    ] {
        assert_eq!(platform(&env, p).await, dec!(0), "{p:?}");
    }
    // Every refund line names the transfer it reverses; nothing was edited.
    let lines = env
        .store
        .shipment_transfers(&ShipmentKey::new("acme", "cancel-1"))
        .await
        .unwrap();
    let refunds: Vec<_> = lines
        .iter()
        .filter(|t| t.line == LineKind::Refund)
        .collect();
    assert_eq!(refunds.len(), 3);
    for r in refunds {
        let original = r.corrects.as_ref().unwrap();
        assert!(
            lines
                .iter()
                .any(|t| &t.id == original && t.amount == r.amount)
        );
    }
    // A measurement after the cancel moves nothing.
    assert_eq!(
        env.funding
            .apply_measurement(&s, &measured(dec!(7)))
            .await
            .unwrap()
            .status,
        DesiStatus::Cancelled
    );

    // After pickup there is no refund.
    let mut picked = env.ship("acme", "cancel-2", &req, &offer).await.unwrap();
    picked
        .events
        .push(event(start(), ShipmentStatus::PickedUp, None));
    assert_eq!(
        env.funding.refund(&picked).await.unwrap_err().code(),
        Code::ShipmentInvalidState
    );
}

#[tokio::test]
async fn a_percent_reserve_and_a_measurement_within_the_grace_period() {
    let config = kargojet_core::wallet::FundingConfig {
        reserve: kargojet_core::wallet::ReserveRule::Percent(dec!(25)),
        ..Default::default()
    };
    let env = Env::with_config(vec![agreement()], config);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("t"), "acme", tl(dec!(200)), "EFT")
        .await
        .unwrap();
    let req = request(dec!(3), None);
    let offer = offer(&agreement(), &req);
    // 25 % of 79,20 = 19,80.
    assert_eq!(
        env.funding.reserve_for(&offer, &req).unwrap(),
        tl(dec!(19.80))
    );
    let mut s = env.ship("acme", "p-1", &req, &offer).await.unwrap();
    let delivered = event(
        start() + chrono::Duration::days(1),
        ShipmentStatus::Delivered,
        None,
    );
    s.events.push(delivered.clone());
    env.funding
        .on_events(&s, std::slice::from_ref(&delivered))
        .await
        .unwrap();
    // Three days later (inside the 7-day grace) the carrier reports 5 desi: 70 + 7 + 15,40 =
    // 92,40, i.e. 13,20 more, taken from the 19,80 reserve; 6,60 goes back.
    env.clock.advance(Duration::from_secs(3 * 86_400));
    assert_eq!(env.wallet.expire_due().await.unwrap(), 0);
    let out = env
        .funding
        .apply_measurement(&s, &measured(dec!(5)))
        .await
        .unwrap();
    assert_eq!(out.status, DesiStatus::Charged);
    assert_eq!(
        (out.from_reserve, out.from_available),
        (tl(dec!(13.20)), tl(dec!(0)))
    );
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(107.60)), tl(dec!(0)))); // 200 − 79,20 − 13,20
    assert_eq!(env.sum_of_balances().await, dec!(0));
}
