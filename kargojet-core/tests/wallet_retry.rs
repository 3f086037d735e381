//! Retrying `ship` with the same idempotency key after the carrier refused the first call: the
//! retry gets new attempt numbers (new holds, a new merchant key), so it neither collides with
//! the voided holds of the refused call nor charges twice.
#![allow(clippy::unwrap_used)]

mod wallet_support;

use async_trait::async_trait;
use kargojet_core::carrier::{
    AccountId, Capabilities, Carrier, CarrierId, CreateRequest, ReferenceLookup, ShipmentRef,
    TrackingUpdate,
};
use kargojet_core::orchestrator::{Orchestrator, ShipRequest};
use kargojet_core::pricing::SelectionPolicy;
use kargojet_core::shipment::{CreatedShipment, MerchantKey};
use kargojet_core::wallet::TransferId;
use kargojet_core::{Code, Error, Result};
use rust_decimal_macros::dec;
use std::sync::{Arc, Mutex};
use wallet_support::*;

/// Refuses the first `refusals` creates (a business rejection), then creates; remembers every
/// merchant key it was sent.
struct RefusesFirst {
    refusals: Mutex<usize>,
    keys: Mutex<Vec<MerchantKey>>,
}

impl RefusesFirst {
    fn new(refusals: usize) -> Self {
        RefusesFirst {
            refusals: Mutex::new(refusals),
            keys: Mutex::new(Vec::new()),
        }
    }
}

#[async_trait]
impl Carrier for RefusesFirst {
    fn id(&self) -> CarrierId {
        CarrierId::Yurtici
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            ..Capabilities::default()
        }
    }
    async fn create(&self, req: &CreateRequest) -> Result<CreatedShipment> {
        self.keys.lock().unwrap().push(req.merchant_key.clone());
        {
            let mut left = self.refusals.lock().unwrap();
            if *left > 0 {
                *left -= 1;
                return Err(Error::rejected(CarrierId::Yurtici, "E1002", "Adres hatalı"));
            }
        }
        Ok(CreatedShipment {
            merchant_key: req.merchant_key.clone(),
            carrier_tracking_number: Some(format!("TN{}", req.merchant_key)),
            carrier_refs: Default::default(),
            label: None,
            raw: String::new(),
        })
    }
    async fn cancel(&self, _s: &ShipmentRef) -> Result<()> {
        Ok(())
    }
    async fn track(&self, _s: &ShipmentRef) -> Result<TrackingUpdate> {
        Ok(TrackingUpdate::default())
    }
    async fn find_by_reference(&self, _k: &MerchantKey, _a: &AccountId) -> Result<ReferenceLookup> {
        Ok(ReferenceLookup::NotFound)
    }
}

fn ship_request(key: &str) -> ShipRequest {
    ShipRequest {
        company: "acme".into(),
        shipment: request(dec!(3), None),
        policy: SelectionPolicy::default(),
        idempotency_key: key.into(),
        choice: None,
    }
}

async fn setup(carrier: Arc<RefusesFirst>) -> (Env, Orchestrator) {
    let env = Env::new(vec![agreement()]);
    env.wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    env.wallet
        .top_up(&TransferId::new("top"), "acme", tl(dec!(200)), "EFT-1")
        .await
        .unwrap();
    let orch = Orchestrator::builder()
        .carrier(carrier, AccountId::platform())
        .agreement(agreement())
        .funding(Arc::new(env.funding.clone()))
        .clock(Arc::new(env.clock.clone()))
        .build()
        .unwrap();
    (env, orch)
}

#[tokio::test]
async fn a_retry_after_a_rejection_ships_once_with_fresh_holds() {
    let carrier = Arc::new(RefusesFirst::new(2));
    let (env, orch) = setup(carrier.clone()).await;
    let before = env.wallet.balances("acme").await.unwrap();
    for _ in 0..2 {
        let e = orch.ship(&ship_request("o-7")).await.err().unwrap();
        assert_eq!(e.code(), Code::CarrierRejected);
        // Everything reserved for the refused call went back.
        let b = env.wallet.balances("acme").await.unwrap();
        assert_eq!((b.available, b.blocked), (before.available, tl(dec!(0))));
    }
    // The third call with the same key succeeds: it used to fail with `wallet.hold_voided`.
    let s = orch.ship(&ship_request("o-7")).await.unwrap();
    let again = orch.ship(&ship_request("o-7")).await.unwrap();
    assert_eq!(s.id, again.id);
    let keys = carrier.keys.lock().unwrap().clone();
    assert_eq!(keys.len(), 3, "one create per call, none for the replay");
    assert!(
        keys[0] != keys[1] && keys[1] != keys[2] && keys[0] != keys[2],
        "every attempt has its own merchant key: {keys:?}"
    );
    assert_eq!(s.created.merchant_key, keys[2]);
    // Charged once: exactly what one successful call on a fresh wallet leaves.
    let (control_env, control) = setup(Arc::new(RefusesFirst::new(0))).await;
    control.ship(&ship_request("o-7")).await.unwrap();
    let b = env.wallet.balances("acme").await.unwrap();
    let c = control_env.wallet.balances("acme").await.unwrap();
    assert_eq!((b.available, b.blocked), (c.available, c.blocked));
    assert!(b.available < before.available);
    assert_eq!(env.sum_of_balances().await, dec!(0));
}

#[tokio::test]
async fn a_first_call_that_succeeds_keeps_attempt_zero() {
    let carrier = Arc::new(RefusesFirst::new(0));
    let (env, orch) = setup(carrier.clone()).await;
    let s = orch.ship(&ship_request("o-8")).await.unwrap();
    let transfers = env
        .wallet
        .store()
        .shipment_transfers(&kargojet_core::wallet::ShipmentKey::of(&s))
        .await
        .unwrap();
    assert!(
        transfers.iter().any(|t| t.id.0.contains(":a0:price")),
        "the first attempt is number 0: {:?}",
        transfers.iter().map(|t| &t.id.0).collect::<Vec<_>>()
    );
    assert!(!transfers.iter().any(|t| t.id.0.contains(":a1:")));
}
