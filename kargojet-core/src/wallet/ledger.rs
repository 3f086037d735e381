//! [`Wallet`]: the ledger operations a platform uses — top-ups, holds, posts, voids, expiry,
//! payouts and corrections — over any [`LedgerStore`], with the time from the injected clock.

use super::account::{AccountKey, CompanyAccount, PlatformAccount};
use super::book::Applied;
use super::hold::Hold;
use super::store::LedgerStore;
use super::transfer::{
    Batch, LineKind, Link, ReleaseReason, ShipmentKey, Transfer, TransferId, TransferKind,
};
use crate::error::{Code, Error, Result};
use crate::money::{Currency, Money};
use crate::time::SharedClock;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use std::time::Duration;

/// The balances of one company.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyBalances {
    /// Spendable balance (may be negative down to minus the credit limit).
    pub available: Money,
    /// Held for shipments and desi reserves.
    pub blocked: Money,
    /// COD collected, not yet paid out.
    pub cod_receivable: Money,
    /// Paid out so far.
    pub paid_out: Money,
    /// Credit limit.
    pub credit_limit: Money,
}

/// One leg of a post: where part of a hold goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostLeg {
    /// Account credited.
    pub to: AccountKey,
    /// Amount (rounded to the kuruş).
    pub amount: Money,
    /// Statement line.
    pub line: LineKind,
}

/// The wallet: ledger operations over a store.
#[derive(Clone)]
pub struct Wallet {
    store: Arc<dyn LedgerStore>,
    clock: SharedClock,
}

impl std::fmt::Debug for Wallet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Wallet")
            .field("clock", &self.clock)
            .finish_non_exhaustive()
    }
}

/// How many due holds one sweep round loads.
const SWEEP_PAGE: usize = 500;

impl Wallet {
    /// A wallet over `store`, reading the time from `clock`.
    pub fn new(store: Arc<dyn LedgerStore>, clock: SharedClock) -> Wallet {
        Wallet { store, clock }
    }

    /// The store.
    pub fn store(&self) -> &Arc<dyn LedgerStore> {
        &self.store
    }

    /// The clock.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// Opens a company's wallet (TRY) with a credit limit (zero for none).
    pub async fn open_company(&self, company: &str, credit_limit: Money) -> Result<()> {
        self.store
            .open_company(company, Currency::Try, credit_limit)
            .await
    }

    /// Changes a company's credit limit.
    pub async fn set_credit_limit(&self, company: &str, limit: Money) -> Result<()> {
        self.store.set_credit_limit(company, limit).await
    }

    /// Applies a batch, stamping every transfer with the clock's time. When it fails for lack
    /// of funds, holds that are due are expired first and the batch is tried once more.
    pub async fn apply(&self, mut batch: Batch) -> Result<Applied> {
        let now = self.clock.now();
        for t in &mut batch.transfers {
            t.at = now;
        }
        match self.store.apply(&batch).await {
            Err(Error::InsufficientFunds { .. }) if self.expire_due().await? > 0 => {
                self.store.apply(&batch).await
            }
            other => other,
        }
    }

    /// Money paid in by a company (`reference`: the bank or card payment id): debits the
    /// platform's cash, credits the company's available balance.
    pub async fn top_up(
        &self,
        id: &TransferId,
        company: &str,
        amount: Money,
        reference: &str,
    ) -> Result<Applied> {
        if reference.trim().is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "reference",
                "a top-up needs its payment reference",
            ));
        }
        let t = Transfer::new(
            id.clone(),
            AccountKey::Platform(PlatformAccount::Cash),
            AccountKey::available(company),
            amount,
            TransferKind::Single,
            LineKind::TopUp,
            Link::TopUp(reference.trim().to_string()),
        );
        self.apply(Batch::of(vec![t])).await
    }

    /// The transfer that holds `amount` of a company's available balance (not yet applied).
    pub fn hold_transfer(
        id: &TransferId,
        company: &str,
        amount: Money,
        line: LineKind,
        link: Link,
        timeout: Option<Duration>,
    ) -> Transfer {
        Transfer::new(
            id.clone(),
            AccountKey::available(company),
            AccountKey::blocked(company),
            amount,
            TransferKind::Hold {
                timeout_secs: timeout.map(|d| d.as_secs()),
            },
            line,
            link,
        )
    }

    /// Holds `amount` of a company's available balance; it expires after `timeout`, if set.
    pub async fn hold(
        &self,
        id: &TransferId,
        company: &str,
        amount: Money,
        line: LineKind,
        link: Link,
        timeout: Option<Duration>,
    ) -> Result<Applied> {
        self.apply(Batch::of(vec![Self::hold_transfer(
            id, company, amount, line, link, timeout,
        )]))
        .await
    }

    /// The transfers that post `legs` from a hold and return the rest (ids `<id>/1`, `<id>/2`,
    /// …, `<id>/rest`). Fails with `wallet.post_exceeds_hold` when the legs take more.
    pub fn post_transfers(id: &TransferId, hold: &Hold, legs: &[PostLeg]) -> Result<Vec<Transfer>> {
        let mut out = Vec::with_capacity(legs.len() + 1);
        let mut taken = Money {
            amount: rust_decimal::Decimal::ZERO,
            currency: hold.amount.currency,
        };
        for (i, leg) in legs.iter().enumerate() {
            let t = Transfer::new(
                id.child(&(i + 1).to_string()),
                hold.held_in.clone(),
                leg.to.clone(),
                leg.amount,
                TransferKind::Post {
                    hold: hold.id.clone(),
                },
                leg.line,
                hold.link.clone(),
            );
            t.validate(&format!("legs[{i}]"))?;
            taken = taken.checked_add(t.amount)?;
            out.push(t);
        }
        if taken.amount > hold.amount.amount {
            return Err(Error::invalid(
                Code::WalletPostExceedsHold,
                "legs",
                format!(
                    "hold {} has {}, the post takes {}",
                    hold.id,
                    hold.amount.to_turkish(),
                    taken.to_turkish()
                ),
            ));
        }
        let rest = hold.amount.checked_sub(taken)?;
        if !rest.is_zero() {
            out.push(release_transfer(
                id.child("rest"),
                hold,
                rest,
                ReleaseReason::Remainder,
            ));
        }
        Ok(out)
    }

    /// Posts part or all of a hold; the rest goes back to the available balance.
    pub async fn post(
        &self,
        id: &TransferId,
        hold: &TransferId,
        legs: &[PostLeg],
    ) -> Result<Applied> {
        let h = self.load_hold(hold).await?;
        if legs.is_empty() {
            return Err(Error::invalid(
                Code::WalletInvalidTransfer,
                "legs",
                "a post needs at least one leg (void the hold instead)",
            ));
        }
        self.apply(Batch::of(Self::post_transfers(id, &h, legs)?))
            .await
    }

    /// The transfer that voids a hold (not yet applied).
    pub fn void_transfer(id: &TransferId, hold: &Hold) -> Transfer {
        release_transfer(id.clone(), hold, hold.amount, ReleaseReason::Void)
    }

    /// Voids a hold: everything goes back.
    pub async fn void(&self, id: &TransferId, hold: &TransferId) -> Result<Applied> {
        let h = self.load_hold(hold).await?;
        self.apply(Batch::of(vec![Self::void_transfer(id, &h)]))
            .await
    }

    /// Expires every hold that is due now (id of each release: `<hold>/expire`); returns how
    /// many expired. Holds posted or voided meanwhile are skipped.
    pub async fn expire_due(&self) -> Result<usize> {
        let mut expired = 0;
        loop {
            let now = self.clock.now();
            let due = self.store.due_holds(now, SWEEP_PAGE).await?;
            let page = due.len();
            let mut progressed = false;
            for h in due {
                let mut t =
                    release_transfer(h.id.child("expire"), &h, h.amount, ReleaseReason::Expiry);
                t.at = now;
                match self.store.apply(&Batch::of(vec![t])).await {
                    Ok(Applied::New) => {
                        expired += 1;
                        progressed = true;
                    }
                    Ok(Applied::Replayed) => {}
                    Err(Error::Conflict { .. }) => {}
                    Err(e) => return Err(e),
                }
            }
            if page < SWEEP_PAGE || !progressed {
                return Ok(expired);
            }
        }
    }

    /// What a shipment's COD receivable holds for the company (credits minus debits of the
    /// company's receivable account on that shipment's transfers).
    pub async fn receivable_of(&self, shipment: &ShipmentKey) -> Result<Money> {
        let acct = AccountKey::cod_receivable(&shipment.company);
        let mut sum = Money::zero();
        for t in self.store.shipment_transfers(shipment).await? {
            if t.credit == acct {
                sum = sum.checked_add(t.amount)?;
            }
            if t.debit == acct {
                sum = sum.checked_sub(t.amount)?;
            }
        }
        Ok(sum)
    }

    /// Pays a company's COD receivables of `shipments` out to it (one transfer per shipment
    /// with a receivable, ids `<id>/<n>`, applied atomically). Returns the amount paid.
    pub async fn payout(
        &self,
        id: &TransferId,
        company: &str,
        shipments: &[ShipmentKey],
    ) -> Result<Money> {
        let mut batch = Batch::default();
        let mut total = Money::zero();
        for (n, s) in shipments.iter().enumerate() {
            if s.company != company {
                return Err(Error::invalid(
                    Code::RequestInvalid,
                    format!("shipments[{n}].company"),
                    format!("shipment of {} in a payout of {company}", s.company),
                ));
            }
            let due = self.receivable_of(s).await?;
            if due.amount <= rust_decimal::Decimal::ZERO {
                continue;
            }
            total = total.checked_add(due)?;
            batch.push(Transfer::new(
                id.child(&(n + 1).to_string()),
                AccountKey::cod_receivable(company),
                AccountKey::payouts(company),
                due,
                TransferKind::Single,
                LineKind::Payout,
                Link::Shipment(s.clone()),
            ));
        }
        if batch.is_empty() {
            return Ok(Money::zero());
        }
        self.apply(batch).await?;
        Ok(total)
    }

    /// Every shipment of a company with a COD receivable left.
    pub async fn shipments_with_receivable(&self, company: &str) -> Result<Vec<ShipmentKey>> {
        let acct = AccountKey::cod_receivable(company);
        let mut keys: Vec<ShipmentKey> = Vec::new();
        for t in self.store.company_transfers(company, None).await? {
            if let (true, Some(s)) = (t.credit == acct || t.debit == acct, t.link.shipment())
                && !keys.contains(s)
            {
                keys.push(s.clone());
            }
        }
        let mut out = Vec::new();
        for k in keys {
            if self.receivable_of(&k).await?.amount > rust_decimal::Decimal::ZERO {
                out.push(k);
            }
        }
        Ok(out)
    }

    /// Reverses a plain or posted transfer (or `amount` of it) with a new transfer in the other
    /// direction that names it: transfers are never edited.
    pub async fn correct(
        &self,
        id: &TransferId,
        original: &TransferId,
        amount: Option<Money>,
    ) -> Result<Applied> {
        let o = self.store.transfer(original).await?.ok_or_else(|| {
            Error::not_found(Code::WalletTransferNotFound, format!("transfer {original}"))
        })?;
        if !matches!(o.kind, TransferKind::Single | TransferKind::Post { .. }) {
            return Err(Error::invalid(
                Code::WalletInvalidTransfer,
                "original",
                format!("{original} is a hold movement: void or post the hold instead"),
            ));
        }
        let amount = amount.unwrap_or(o.amount).round_kurus();
        if amount.amount > o.amount.amount {
            return Err(Error::invalid(
                Code::RequestInvalidAmount,
                "amount",
                format!(
                    "{} is more than the {} corrected",
                    amount.to_turkish(),
                    o.amount.to_turkish()
                ),
            ));
        }
        let debit = match &o.debit {
            a if a.is_blocked() => AccountKey::available(a.company_id().unwrap_or_default()),
            a => a.clone(),
        };
        let t = Transfer::new(
            id.clone(),
            o.credit.clone(),
            debit,
            amount,
            TransferKind::Single,
            LineKind::Correction,
            o.link.clone(),
        )
        .correcting(o.id.clone());
        self.apply(Batch::of(vec![t])).await
    }

    /// A company's balances.
    pub async fn balances(&self, company: &str) -> Result<CompanyBalances> {
        let mut b = [Money::zero(); 4];
        for (slot, a) in b.iter_mut().zip(CompanyAccount::ALL) {
            *slot = self.store.balance(&AccountKey::company(company, a)).await?;
        }
        Ok(CompanyBalances {
            available: b[0],
            blocked: b[1],
            cod_receivable: b[2],
            paid_out: b[3],
            credit_limit: self.store.credit_limit(company).await?,
        })
    }

    /// One hold, or `wallet.hold_not_found`.
    pub async fn load_hold(&self, id: &TransferId) -> Result<Hold> {
        self.store
            .hold(id)
            .await?
            .ok_or_else(|| Error::not_found(Code::WalletHoldNotFound, format!("hold {id}")))
    }
}

fn release_transfer(id: TransferId, hold: &Hold, amount: Money, reason: ReleaseReason) -> Transfer {
    Transfer::new(
        id,
        hold.held_in.clone(),
        hold.source.clone(),
        amount,
        TransferKind::Release {
            hold: hold.id.clone(),
            reason,
        },
        LineKind::HoldRelease,
        hold.link.clone(),
    )
}
