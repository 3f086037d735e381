//! [`WalletFunding`]: the orchestrator's [`Funding`] hook on the wallet.
//!
//! For a platform-agreement offer, `reserve` holds the offer's total and a desi-difference
//! reserve in one batch; `capture` posts the price into carrier payable (cost and the fees
//! that go to the carrier), commission revenue (net of discounts) and KDV payable, and keeps
//! the reserve held with no expiry until the shipment is measured or delivered; `release`
//! voids both; `refund` reverses every charge with transfers naming the ones they reverse.
//! The COD fee and its KDV are not taken at capture: they come out of the COD collection at
//! delivery (so they are charged once), and that part of the held price goes back at capture.
//! Own-agreement offers move no freight money; their COD still flows.
//!
//! Transfer ids derive from the shipment (company + idempotency key) and the attempt, so
//! every hook replayed after a crash is a no-op.

use super::account::{AccountKey, PlatformAccount};
use super::book::Applied;
use super::hold::{Hold, HoldState};
use super::ledger::{PostLeg, Wallet};
use super::reprice::{ReserveRule, cod_fee_kdv, reserve_amount};
use super::split::{Component, split};
use super::transfer::{Batch, LineKind, Link, ShipmentKey, Transfer, TransferId, TransferKind};
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::orchestrator::{Funding, FundingContext};
use crate::pricing::{Agreement, AgreementKind, KDV_PERCENT, Offer};
use crate::shipment::Shipment;
use crate::tracking::{ShipmentStatus, TrackingEvent};
use async_trait::async_trait;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// Settings of [`WalletFunding`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundingConfig {
    /// Size of the desi-difference reserve (default: the next desi band).
    pub reserve: ReserveRule,
    /// How long the holds of a ship attempt live if neither captured nor released (default 24 h).
    pub hold_timeout: Duration,
    /// How long after delivery an unmeasured shipment's reserve is released (default 7 days).
    pub delivery_grace: Duration,
}

impl Default for FundingConfig {
    fn default() -> Self {
        FundingConfig {
            reserve: ReserveRule::NextBand,
            hold_timeout: Duration::from_secs(24 * 3600),
            delivery_grace: Duration::from_secs(7 * 24 * 3600),
        }
    }
}

/// The wallet as the orchestrator's funding hook; knows the agreements to re-price with.
#[derive(Debug, Clone)]
pub struct WalletFunding {
    pub(super) wallet: Wallet,
    pub(super) agreements: HashMap<String, Arc<Agreement>>,
    pub(super) config: FundingConfig,
}

/// The ids of one ship attempt's holds.
pub(super) struct AttemptIds {
    pub(super) price: TransferId,
    pub(super) reserve: TransferId,
    pub(super) capture: TransferId,
}

impl AttemptIds {
    fn new(key: &ShipmentKey, attempt: u32) -> AttemptIds {
        let base = format!("{}:a{attempt}", key.transfer_prefix());
        AttemptIds {
            price: TransferId(format!("{base}:price")),
            reserve: TransferId(format!("{base}:reserve")),
            capture: TransferId(format!("{base}:capture")),
        }
    }
}

impl WalletFunding {
    /// Funding on `wallet`, re-pricing with `agreements` (the same the orchestrator has).
    pub fn new(
        wallet: Wallet,
        agreements: impl IntoIterator<Item = Agreement>,
        config: FundingConfig,
    ) -> WalletFunding {
        Self::with_shared(wallet, agreements.into_iter().map(Arc::new), config)
    }

    /// Like [`WalletFunding::new`], sharing agreements the caller already holds in `Arc`s.
    pub fn with_shared(
        wallet: Wallet,
        agreements: impl IntoIterator<Item = Arc<Agreement>>,
        config: FundingConfig,
    ) -> WalletFunding {
        let agreements = agreements
            .into_iter()
            .map(|a| (a.id().to_string(), a))
            .collect();
        WalletFunding {
            wallet,
            agreements,
            config,
        }
    }

    /// The wallet.
    pub fn wallet(&self) -> &Wallet {
        &self.wallet
    }

    /// The settings.
    pub fn config(&self) -> &FundingConfig {
        &self.config
    }

    /// The agreement an offer was priced under.
    pub fn agreement(&self, id: &str) -> Result<&Arc<Agreement>> {
        self.agreements.get(id).ok_or_else(|| {
            Error::invalid(
                Code::RequestInvalidConfig,
                "offer.agreement_id",
                format!("agreement '{id}' is not known to the wallet"),
            )
        })
    }

    /// The desi-difference reserve for an offer.
    pub fn reserve_for(
        &self,
        offer: &Offer,
        request: &crate::shipment::ShipmentRequest,
    ) -> Result<Money> {
        reserve_amount(
            self.config.reserve,
            self.agreement(&offer.agreement_id)?,
            offer,
            request,
        )
    }

    /// KDV of the offer's COD fee (taken at delivery with the fee).
    pub(super) fn cod_kdv(&self, offer: &Offer) -> Money {
        let rate = self
            .agreements
            .get(&*offer.agreement_id)
            .map(|a| a.kdv_percent())
            .unwrap_or(KDV_PERCENT);
        cod_fee_kdv(offer.breakdown.cod_fee, rate)
    }

    /// What capture posts, by account: carrier payable (cost, SMS, insurance), commission
    /// (net of discount) and KDV (without the COD fee's KDV).
    pub(super) fn capture_components(&self, offer: &Offer) -> Result<Vec<Component>> {
        let b = &offer.breakdown;
        Ok(vec![
            (
                PlatformAccount::CarrierPayable,
                LineKind::Freight,
                b.cost
                    .checked_add(b.sms_fee)?
                    .checked_add(b.insurance_fee)?,
            ),
            (
                PlatformAccount::CommissionRevenue,
                LineKind::Commission,
                b.commission.checked_add(b.discount)?,
            ),
            (
                PlatformAccount::KdvPayable,
                LineKind::Kdv,
                b.kdv.checked_sub(self.cod_kdv(offer))?,
            ),
        ])
    }

    /// The shipment's pending desi reserve, if any.
    pub(super) async fn pending_reserve(&self, transfers: &[Transfer]) -> Result<Option<Hold>> {
        for t in transfers.iter().filter(|t| {
            matches!(t.kind, TransferKind::Hold { .. }) && t.line == LineKind::DesiReserve
        }) {
            if let Some(h) = self.wallet.store().hold(&t.id).await?
                && h.is_pending()
            {
                return Ok(Some(h));
            }
        }
        Ok(None)
    }

    async fn capture_batch(
        &self,
        ctx: &FundingContext<'_>,
        ids: &AttemptIds,
        key: &ShipmentKey,
    ) -> Result<Batch> {
        let s = split(&self.capture_components(ctx.offer)?)?;
        let mut batch = Batch::default();
        let price_hold = self.wallet.store().hold(&ids.price).await?;
        match &price_hold {
            Some(h) if matches!(h.state, HoldState::Pending | HoldState::Posted) => {
                let legs: Vec<PostLeg> = s
                    .seller
                    .iter()
                    .map(|(a, line, m)| PostLeg {
                        to: AccountKey::Platform(*a),
                        amount: *m,
                        line: *line,
                    })
                    .collect();
                batch.transfers = Wallet::post_transfers(&ids.capture, h, &legs)?;
            }
            Some(h) if h.state == HoldState::Voided => {
                return Err(Error::conflict(
                    Code::WalletHoldVoided,
                    format!("hold {} was released before capture", h.id),
                ));
            }
            _ => {
                // The hold expired (or the price was zero): charge the available balance.
                for (n, (a, line, m)) in s.seller.iter().enumerate() {
                    batch.push(Transfer::new(
                        ids.capture.child(&(n + 1).to_string()),
                        AccountKey::available(ctx.company),
                        AccountKey::Platform(*a),
                        *m,
                        TransferKind::Single,
                        *line,
                        Link::Shipment(key.clone()),
                    ));
                }
            }
        }
        for (n, (from, to, line, m)) in s.adjust.iter().enumerate() {
            batch.push(Transfer::new(
                ids.capture.child(&format!("adj{}", n + 1)),
                AccountKey::Platform(*from),
                AccountKey::Platform(*to),
                *m,
                TransferKind::Single,
                *line,
                Link::Shipment(key.clone()),
            ));
        }
        if let Some(r) = self.wallet.store().hold(&ids.reserve).await?
            && r.is_pending()
        {
            batch.expiries.push((r.id, None));
        }
        Ok(batch)
    }
}

/// The attempt number of a transfer id `<prefix><n>:…` ([`AttemptIds`]).
fn attempt_of(id: &str, prefix: &str) -> Option<u32> {
    let rest = id.strip_prefix(prefix)?;
    let (n, _) = rest.split_once(':')?;
    n.parse().ok()
}

fn is_platform(offer: &Offer) -> bool {
    matches!(offer.agreement, AgreementKind::Platform { .. })
}

#[async_trait]
impl Funding for WalletFunding {
    async fn reserve(&self, ctx: &FundingContext<'_>) -> Result<()> {
        if !is_platform(ctx.offer) {
            return Ok(());
        }
        let key = ShipmentKey::new(ctx.company, ctx.idempotency_key);
        let ids = AttemptIds::new(&key, ctx.attempt);
        let price = ctx.offer.breakdown.total.round_kurus();
        let reserve = self.reserve_for(ctx.offer, ctx.request)?;
        let timeout = Some(self.config.hold_timeout);
        let link = Link::Shipment(key);
        let mut batch = Batch::default();
        if price.amount > Decimal::ZERO {
            batch.push(Wallet::hold_transfer(
                &ids.price,
                ctx.company,
                price,
                LineKind::FreightHold,
                link.clone(),
                timeout,
            ));
        }
        if reserve.amount > Decimal::ZERO {
            batch.push(Wallet::hold_transfer(
                &ids.reserve,
                ctx.company,
                reserve,
                LineKind::DesiReserve,
                link,
                timeout,
            ));
        }
        if !batch.is_empty() {
            self.wallet.apply(batch).await?;
        }
        Ok(())
    }

    async fn capture(&self, ctx: &FundingContext<'_>, _shipment: &Shipment) -> Result<()> {
        if !is_platform(ctx.offer) {
            return Ok(());
        }
        let key = ShipmentKey::new(ctx.company, ctx.idempotency_key);
        let ids = AttemptIds::new(&key, ctx.attempt);
        let batch = self.capture_batch(ctx, &ids, &key).await?;
        if !batch.is_empty() {
            self.wallet.apply(batch).await?;
        }
        Ok(())
    }

    async fn release(&self, ctx: &FundingContext<'_>) -> Result<()> {
        if !is_platform(ctx.offer) {
            return Ok(());
        }
        let ids = AttemptIds::new(
            &ShipmentKey::new(ctx.company, ctx.idempotency_key),
            ctx.attempt,
        );
        let mut batch = Batch::default();
        for id in [&ids.price, &ids.reserve] {
            match self.wallet.store().hold(id).await? {
                Some(h) if h.is_pending() => {
                    batch.push(Wallet::void_transfer(&id.child("void"), &h))
                }
                Some(h) if h.state == HoldState::Posted => {
                    return Err(Error::conflict(
                        Code::WalletHoldPosted,
                        format!("hold {id} was captured; cancel the shipment to refund it"),
                    ));
                }
                _ => {}
            }
        }
        if !batch.is_empty() {
            self.wallet.apply(batch).await?;
        }
        Ok(())
    }

    async fn refund(&self, shipment: &Shipment) -> Result<()> {
        if shipment.events.iter().any(|e| {
            e.status
                .is_some_and(|s| s.is_after_pickup() && s != ShipmentStatus::Cancelled)
        }) {
            return Err(Error::conflict(
                Code::ShipmentInvalidState,
                format!("shipment {} was picked up: no refund", shipment.id),
            ));
        }
        let key = ShipmentKey::of(shipment);
        let transfers = self.wallet.store().shipment_transfers(&key).await?;
        let mut batch = Batch::default();
        let charged = [
            LineKind::Freight,
            LineKind::Commission,
            LineKind::Kdv,
            LineKind::DesiDifference,
        ];
        for t in transfers.iter().filter(|t| {
            charged.contains(&t.line)
                && matches!(t.kind, TransferKind::Single | TransferKind::Post { .. })
        }) {
            let back_to = match &t.debit {
                a if a.is_blocked() => AccountKey::available(&key.company),
                a => a.clone(),
            };
            batch.push(
                Transfer::new(
                    t.id.child("refund"),
                    t.credit.clone(),
                    back_to,
                    t.amount,
                    TransferKind::Single,
                    LineKind::Refund,
                    t.link.clone(),
                )
                .correcting(t.id.clone()),
            );
        }
        for t in transfers
            .iter()
            .filter(|t| matches!(t.kind, TransferKind::Hold { .. }))
        {
            if let Some(h) = self.wallet.store().hold(&t.id).await?
                && h.is_pending()
            {
                batch.push(Wallet::void_transfer(&h.id.child("void"), &h));
            }
        }
        if !batch.is_empty() {
            self.wallet.apply(batch).await?;
        }
        Ok(())
    }

    async fn first_free_attempt(&self, company: &str, idempotency_key: &str) -> Result<u32> {
        let key = ShipmentKey::new(company, idempotency_key);
        let prefix = format!("{}:a", key.transfer_prefix());
        let mut next = 0u32;
        for t in self.wallet.store().shipment_transfers(&key).await? {
            let Some(n) = attempt_of(&t.id.0, &prefix) else {
                continue;
            };
            if n < next {
                continue;
            }
            let settled = match t.kind {
                TransferKind::Hold { .. } => self
                    .wallet
                    .store()
                    .hold(&t.id)
                    .await?
                    .is_none_or(|h| !h.is_pending()),
                // Captures, voids and refunds only follow a settled hold.
                _ => true,
            };
            if settled {
                next = n.saturating_add(1);
            }
        }
        Ok(next)
    }

    async fn on_events(&self, shipment: &Shipment, new_events: &[TrackingEvent]) -> Result<()> {
        let mut events: Vec<&TrackingEvent> = new_events.iter().collect();
        events.sort_by_key(|e| e.time);
        for e in &events {
            if let Some(m) = e.measurement.as_ref().filter(|m| m.billable().is_some()) {
                self.apply_measurement(shipment, m).await?;
            }
        }
        // Delivered (or returned to the sender): no more measurement is expected, so the
        // reserve is released after the grace period; a delivered COD shipment credits the seller.
        if let Some(last) = events
            .iter()
            .find(|e| e.status.is_some_and(ShipmentStatus::is_final))
        {
            if shipment.request.cod.is_some() && last.status == Some(ShipmentStatus::Delivered) {
                self.credit_cod(shipment).await?;
            }
            self.release_reserve_after(shipment, last.time.with_timezone(&chrono::Utc))
                .await?;
        }
        Ok(())
    }
}

impl WalletFunding {
    /// Schedules the pending reserve of a delivered shipment to expire `delivery_grace` after
    /// `delivered_at` (the same expiry sweep as every hold then releases it).
    pub async fn release_reserve_after(
        &self,
        shipment: &Shipment,
        delivered_at: chrono::DateTime<chrono::Utc>,
    ) -> Result<Option<Applied>> {
        let transfers = self
            .wallet
            .store()
            .shipment_transfers(&ShipmentKey::of(shipment))
            .await?;
        let Some(reserve) = self.pending_reserve(&transfers).await? else {
            return Ok(None);
        };
        let grace = chrono::Duration::from_std(self.config.delivery_grace).map_err(|e| {
            Error::invalid(
                Code::RequestInvalidConfig,
                "funding.delivery_grace",
                e.to_string(),
            )
        })?;
        let batch = Batch {
            transfers: Vec::new(),
            expiries: vec![(
                reserve.id,
                Some(delivered_at.checked_add_signed(grace).ok_or_else(|| {
                    Error::invalid(
                        Code::RequestInvalidConfig,
                        "funding.delivery_grace",
                        "out of range",
                    )
                })?),
            )],
        };
        self.wallet.apply(batch).await.map(Some)
    }
}
