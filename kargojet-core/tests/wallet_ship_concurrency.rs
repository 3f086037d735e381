//! `Orchestrator::ship` with the wallet as its funding hook and a scripted in-test carrier:
//! 1,000 concurrent ships against a balance of exactly 400 × (offer total + reserve), and a
//! carrier rejection that voids everything.
#![allow(clippy::unwrap_used)]

mod wallet_support;

use kargojet_core::Code;
use kargojet_core::orchestrator::ShipRequest;
use kargojet_core::pricing::SelectionPolicy;
use kargojet_core::wallet::{HoldState, LedgerStore, TransferId};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use wallet_support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_ships_against_400_shipments_worth() {
    let env = Env::new(vec![agreement()]);
    let req = request(dec!(3), None);
    let o = offer(&agreement(), &req);
    let reserve = env.funding.reserve_for(&o, &req).unwrap();
    assert_eq!(
        (o.breakdown.total, reserve),
        (tl(dec!(79.20)), tl(dec!(13.20)))
    );
    let each = o.breakdown.total.checked_add(reserve).unwrap();
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(
            &TransferId::new("top"),
            "acme",
            each.times(Decimal::from(400)),
            "EFT-1",
        )
        .await
        .unwrap();

    let carrier = Arc::new(Scripted::default());
    let orch = Arc::new(orchestrator(&env, carrier.clone()));
    let mut tasks = Vec::new();
    for i in 0..1000 {
        let orch = orch.clone();
        let shipment = req.clone();
        tasks.push(tokio::spawn(async move {
            orch.ship(&ShipRequest {
                company: "acme".into(),
                shipment,
                policy: SelectionPolicy::default(),
                idempotency_key: format!("order-{i}"),
                choice: None,
            })
            .await
        }));
    }
    let mut ok = 0;
    let mut refused = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(e) => {
                assert_eq!(e.code(), Code::WalletInsufficientFunds, "{e}");
                refused += 1;
            }
        }
    }
    assert_eq!((ok, refused), (400, 600));
    assert_eq!(
        carrier.creates.load(Ordering::SeqCst),
        400,
        "no carrier call without money"
    );
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(b.available, tl(dec!(0)));
    assert_eq!(b.blocked, reserve.times(Decimal::from(400)));
    assert_eq!(b.blocked, tl(dec!(5280.00)));
    assert_eq!(env.sum_of_balances().await, dec!(0));
}

#[tokio::test]
async fn a_carrier_rejection_voids_everything_held() {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("top"), "acme", tl(dec!(100)), "EFT-1")
        .await
        .unwrap();
    let carrier = Arc::new(Scripted::default());
    let orch = orchestrator(&env, carrier.clone());
    let mut req = request(dec!(3), None);
    req.order_id = Some("reject".into());
    let e = orch
        .ship(&ShipRequest {
            company: "acme".into(),
            shipment: req,
            policy: SelectionPolicy::default(),
            idempotency_key: "k1".into(),
            choice: None,
        })
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::CarrierRejected);
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(100)), tl(dec!(0))));
    let price = env
        .store
        .hold(&TransferId::new("ship:4:acme:k1:a0:price"))
        .await
        .unwrap()
        .unwrap();
    let reserve = env
        .store
        .hold(&TransferId::new("ship:4:acme:k1:a0:reserve"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (price.state, reserve.state),
        (HoldState::Voided, HoldState::Voided)
    );

    // The same shipment accepted: the price is posted, the reserve stays held.
    let s = orch
        .ship(&ShipRequest {
            company: "acme".into(),
            shipment: request(dec!(3), None),
            policy: SelectionPolicy::default(),
            idempotency_key: "k2".into(),
            choice: None,
        })
        .await
        .unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(7.60)), tl(dec!(13.20))));
    // A replay of the same call changes nothing.
    let again = orch
        .ship(&ShipRequest {
            company: "acme".into(),
            shipment: request(dec!(3), None),
            policy: SelectionPolicy::default(),
            idempotency_key: "k2".into(),
            choice: None,
        })
        .await
        .unwrap();
    assert_eq!(again.id, s.id);
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(7.60))
    );
}
