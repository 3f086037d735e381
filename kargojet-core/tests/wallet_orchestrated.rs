//! The wallet wired into the orchestrator end to end: ship, pushed tracking events (measured
//! desi, delivery with COD) and cancel, with the same hand-computed amounts as the scenarios.
#![allow(clippy::unwrap_used)]

mod wallet_support;

use kargojet_core::orchestrator::ShipRequest;
use kargojet_core::pricing::SelectionPolicy;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_core::wallet::TransferId;
use rust_decimal_macros::dec;
use std::sync::Arc;
use wallet_support::*;

fn ship_request(key: &str, cod: Option<kargojet_core::Money>) -> ShipRequest {
    ShipRequest {
        company: "acme".into(),
        shipment: request(dec!(3), cod),
        policy: SelectionPolicy::default(),
        idempotency_key: key.into(),
        choice: None,
    }
}

async fn setup() -> (Env, kargojet_core::orchestrator::Orchestrator) {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("top"), "acme", tl(dec!(200)), "EFT-1")
        .await
        .unwrap();
    let orch = orchestrator(&env, Arc::new(Scripted::default()));
    (env, orch)
}

#[tokio::test]
async fn measured_desi_pushed_as_an_event_is_reconciled() {
    let (env, orch) = setup().await;
    let s = orch.ship(&ship_request("o-1", None)).await.unwrap();
    let ev = event(
        start() + chrono::Duration::hours(3),
        ShipmentStatus::PickedUp,
        Some(measured(dec!(7))),
    );
    orch.apply_events(&s.id, vec![ev.clone()]).await.unwrap();
    orch.apply_events(&s.id, vec![ev]).await.unwrap(); // a duplicate webhook
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(81.20)), tl(dec!(0))));
    assert_eq!(env.sum_of_balances().await, dec!(0));
}

#[tokio::test]
async fn a_delivered_cod_shipment_credits_the_seller() {
    let (env, orch) = setup().await;
    let s = orch
        .ship(&ship_request("cod-1", Some(tl(dec!(1250)))))
        .await
        .unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!(
        (b.available, b.blocked),
        (tl(dec!(107.60)), tl(dec!(13.20)))
    );
    let ev = event(
        start() + chrono::Duration::days(2),
        ShipmentStatus::Delivered,
        None,
    );
    orch.apply_events(&s.id, vec![ev]).await.unwrap();
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().cod_receivable,
        tl(dec!(1227.50))
    );
}

#[tokio::test]
async fn cancel_through_the_orchestrator_refunds_in_full() {
    let (env, orch) = setup().await;
    let s = orch.ship(&ship_request("c-1", None)).await.unwrap();
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().available,
        tl(dec!(107.60))
    );
    orch.cancel(&s.id).await.unwrap();
    orch.cancel(&s.id).await.unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (tl(dec!(200)), tl(dec!(0))));
    assert_eq!(env.sum_of_balances().await, dec!(0));
}
