//! The hook through which `ship`, `cancel` and tracking move money: the wallet implements it
//! (holds before the carrier is called, posts when the label is bought, voids on failure,
//! refunds on cancel, reconciles desi and credits COD on tracking events).

use crate::error::Result;
use crate::pricing::Offer;
use crate::shipment::{Shipment, ShipmentRequest};
use crate::tracking::TrackingEvent;
use async_trait::async_trait;

/// What the funding hook knows about one shipping attempt (one offer tried under one
/// idempotency key; a fail-over to the next offer is a new attempt).
#[derive(Debug, Clone, Copy)]
pub struct FundingContext<'a> {
    /// The paying company.
    pub company: &'a str,
    /// The idempotency key of the `ship` call.
    pub idempotency_key: &'a str,
    /// Attempt number under that key (0, 1, … as offers fail over).
    pub attempt: u32,
    /// The offer being bought.
    pub offer: &'a Offer,
    /// The shipment request.
    pub request: &'a ShipmentRequest,
}

/// Moves money for shipments. Every method must be idempotent for the same context (a crash
/// between a hook and the next step replays it).
#[async_trait]
pub trait Funding: Send + Sync {
    /// Before the carrier is called: reserve the money (for a platform agreement: the offer's
    /// total plus a desi-difference reserve). An error (e.g. `wallet.insufficient_funds`)
    /// stops the attempt before anything is sent.
    async fn reserve(&self, ctx: &FundingContext<'_>) -> Result<()>;
    /// The carrier created the shipment: take the price, keep the desi reserve held.
    async fn capture(&self, ctx: &FundingContext<'_>, shipment: &Shipment) -> Result<()>;
    /// The carrier certainly did not create it: give back everything reserved for the attempt.
    async fn release(&self, ctx: &FundingContext<'_>) -> Result<()>;
    /// The shipment was cancelled before pickup: refund it in full.
    async fn refund(&self, shipment: &Shipment) -> Result<()>;
    /// New tracking events arrived (measured desi → reconciliation; delivered with COD →
    /// credit the seller). `shipment` already contains them; it is stored after this returns,
    /// so a failure here hands the same events over again on the next poll or push (the
    /// method must be replay-safe).
    async fn on_events(&self, shipment: &Shipment, new_events: &[TrackingEvent]) -> Result<()>;
    /// The first attempt number a new `ship` call under this key may use: above every attempt
    /// an earlier call settled (its holds voided, posted or expired), so a retry after a
    /// released call never reuses a hold id. Attempts still reserved (pending) do not count:
    /// they belong to the call in flight, which resumes them. The default (no money moved)
    /// is 0.
    async fn first_free_attempt(&self, company: &str, idempotency_key: &str) -> Result<u32> {
        let _ = (company, idempotency_key);
        Ok(0)
    }
}

/// Funding that moves no money (for sellers billed directly by carriers, and for tests).
#[derive(Debug, Default, Clone, Copy)]
pub struct NoFunding;

#[async_trait]
impl Funding for NoFunding {
    async fn reserve(&self, _ctx: &FundingContext<'_>) -> Result<()> {
        Ok(())
    }
    async fn capture(&self, _ctx: &FundingContext<'_>, _shipment: &Shipment) -> Result<()> {
        Ok(())
    }
    async fn release(&self, _ctx: &FundingContext<'_>) -> Result<()> {
        Ok(())
    }
    async fn refund(&self, _shipment: &Shipment) -> Result<()> {
        Ok(())
    }
    async fn on_events(&self, _shipment: &Shipment, _new_events: &[TrackingEvent]) -> Result<()> {
        Ok(())
    }
}
