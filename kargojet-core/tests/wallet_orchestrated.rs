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

/// The wallet's funding, except that the first `on_events` call fails (a database outage at
/// the moment the delivery arrives).
struct FailsOnEventsOnce {
    inner: kargojet_core::wallet::WalletFunding,
    failed: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl kargojet_core::orchestrator::Funding for FailsOnEventsOnce {
    async fn reserve(
        &self,
        ctx: &kargojet_core::orchestrator::FundingContext<'_>,
    ) -> kargojet_core::Result<()> {
        self.inner.reserve(ctx).await
    }
    async fn capture(
        &self,
        ctx: &kargojet_core::orchestrator::FundingContext<'_>,
        shipment: &kargojet_core::shipment::Shipment,
    ) -> kargojet_core::Result<()> {
        self.inner.capture(ctx, shipment).await
    }
    async fn release(
        &self,
        ctx: &kargojet_core::orchestrator::FundingContext<'_>,
    ) -> kargojet_core::Result<()> {
        self.inner.release(ctx).await
    }
    async fn refund(
        &self,
        shipment: &kargojet_core::shipment::Shipment,
    ) -> kargojet_core::Result<()> {
        self.inner.refund(shipment).await
    }
    async fn on_events(
        &self,
        shipment: &kargojet_core::shipment::Shipment,
        new_events: &[kargojet_core::tracking::TrackingEvent],
    ) -> kargojet_core::Result<()> {
        if !self.failed.swap(true, std::sync::atomic::Ordering::SeqCst) {
            return Err(kargojet_core::Error::internal("ledger unavailable"));
        }
        self.inner.on_events(shipment, new_events).await
    }
}

#[tokio::test]
async fn a_cod_credit_that_failed_once_is_made_by_the_next_delivery_of_the_event() {
    let (env, _) = setup().await;
    let orch = kargojet_core::orchestrator::Orchestrator::builder()
        .carrier(
            Arc::new(Scripted::default()),
            kargojet_core::carrier::AccountId::platform(),
        )
        .agreement(agreement())
        .funding(Arc::new(FailsOnEventsOnce {
            inner: env.funding.clone(),
            failed: Default::default(),
        }))
        .clock(Arc::new(env.clock.clone()))
        .build()
        .unwrap();
    let s = orch
        .ship(&ship_request("cod-retry", Some(tl(dec!(1250)))))
        .await
        .unwrap();
    let ev = event(
        start() + chrono::Duration::days(2),
        ShipmentStatus::Delivered,
        None,
    );
    // The wallet fails: the event is not stored, so nothing is lost.
    assert!(orch.apply_events(&s.id, vec![ev.clone()]).await.is_err());
    assert_eq!(
        orch.shipment(&s.id).await.unwrap().status,
        ShipmentStatus::Created
    );
    assert_eq!(
        env.wallet.balances("acme").await.unwrap().cod_receivable,
        tl(dec!(0))
    );
    // The carrier sends it again: stored and credited, once however often it comes.
    for _ in 0..3 {
        let after = orch.apply_events(&s.id, vec![ev.clone()]).await.unwrap();
        assert_eq!(after.status, ShipmentStatus::Delivered);
        assert_eq!(
            env.wallet.balances("acme").await.unwrap().cod_receivable,
            tl(dec!(1227.50))
        );
    }
    assert_eq!(env.sum_of_balances().await, dec!(0));
}
