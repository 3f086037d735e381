//! The ledger rules as a pure state machine: accounts, transfers and holds in memory, and
//! [`Book::apply`], which checks a whole batch before changing anything. The in-memory store
//! wraps it in a mutex; an SQL store applies the same rules inside one transaction.

use super::account::{AccountKey, CompanyAccount, PlatformAccount};
use super::hold::{Hold, HoldState};
use super::transfer::{Batch, ReleaseReason, ShipmentKey, Transfer, TransferId, TransferKind};
use crate::error::{Code, Error, Result};
use crate::money::{Currency, Money};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap, HashSet};

pub mod parts;

/// What applying a batch did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Applied {
    /// The batch was new and is now applied.
    New,
    /// Every transfer of the batch already existed with the same content: nothing changed.
    Replayed,
}

#[derive(Debug, Clone)]
struct Company {
    currency: Currency,
    credit_limit: Decimal,
}

/// The in-memory ledger.
#[derive(Debug, Clone, Default)]
pub struct Book {
    companies: HashMap<String, Company>,
    balances: HashMap<AccountKey, Decimal>,
    transfers: Vec<Transfer>,
    by_id: HashMap<TransferId, usize>,
    by_company: HashMap<String, Vec<usize>>,
    by_shipment: HashMap<ShipmentKey, Vec<usize>>,
    holds: HashMap<TransferId, Hold>,
    expiring: BTreeMap<(DateTime<Utc>, TransferId), ()>,
}

#[derive(Default)]
struct HoldUse {
    posted: Decimal,
    released: Option<(Decimal, ReleaseReason)>,
    field: String,
}

impl Book {
    /// An empty ledger with the platform's accounts open.
    pub fn new() -> Book {
        let mut b = Book::default();
        for p in PlatformAccount::ALL {
            b.balances.insert(AccountKey::Platform(p), Decimal::ZERO);
        }
        b
    }

    /// Opens a company's four accounts; opening an open company changes nothing.
    pub fn open_company(
        &mut self,
        company: &str,
        currency: Currency,
        credit_limit: Money,
    ) -> Result<()> {
        check_company(company)?;
        check_limit(credit_limit)?;
        if self.companies.contains_key(company) {
            return Ok(());
        }
        self.companies.insert(
            company.to_string(),
            Company {
                currency,
                credit_limit: credit_limit.amount,
            },
        );
        for a in CompanyAccount::ALL {
            self.balances
                .insert(AccountKey::company(company, a), Decimal::ZERO);
        }
        Ok(())
    }

    /// Sets a company's credit limit (how far below zero its available balance may go).
    pub fn set_credit_limit(&mut self, company: &str, limit: Money) -> Result<()> {
        check_limit(limit)?;
        let c = self
            .companies
            .get_mut(company)
            .ok_or_else(|| unknown_company(company))?;
        if c.currency != limit.currency {
            return Err(currency_mismatch(
                "credit_limit",
                c.currency,
                limit.currency,
            ));
        }
        c.credit_limit = limit.amount;
        Ok(())
    }

    /// A company's credit limit.
    pub fn credit_limit(&self, company: &str) -> Result<Money> {
        let c = self
            .companies
            .get(company)
            .ok_or_else(|| unknown_company(company))?;
        Ok(Money {
            amount: c.credit_limit,
            currency: c.currency,
        })
    }

    /// The balance of an account.
    pub fn balance(&self, account: &AccountKey) -> Result<Money> {
        let b = self
            .balances
            .get(account)
            .ok_or_else(|| unknown_account(account))?;
        Ok(Money {
            amount: *b,
            currency: self.currency_of(account).unwrap_or_default(),
        })
    }

    /// Every account with its balance, in key order.
    pub fn balances(&self) -> Vec<(AccountKey, Money)> {
        let mut v: Vec<(AccountKey, Money)> = self
            .balances
            .iter()
            .map(|(k, b)| {
                (
                    k.clone(),
                    Money {
                        amount: *b,
                        currency: self.currency_of(k).unwrap_or_default(),
                    },
                )
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    }

    /// One transfer.
    pub fn transfer(&self, id: &TransferId) -> Option<&Transfer> {
        self.by_id.get(id).and_then(|i| self.transfers.get(*i))
    }

    /// Every transfer, in the order applied.
    pub fn transfers(&self) -> &[Transfer] {
        &self.transfers
    }

    /// One hold.
    pub fn hold(&self, id: &TransferId) -> Option<&Hold> {
        self.holds.get(id)
    }

    /// Every hold.
    pub fn holds(&self) -> impl Iterator<Item = &Hold> {
        self.holds.values()
    }

    /// Pending holds due at `now`, soonest first, at most `limit`.
    pub fn due_holds(&self, now: DateTime<Utc>, limit: usize) -> Vec<Hold> {
        self.expiring
            .keys()
            .take_while(|(at, _)| *at <= now)
            .filter_map(|(_, id)| self.holds.get(id))
            .filter(|h| h.is_due(now))
            .take(limit)
            .cloned()
            .collect()
    }

    /// A company's pending holds, oldest first.
    pub fn pending_holds(&self, company: &str) -> Vec<Hold> {
        let mut v: Vec<Hold> = self
            .holds
            .values()
            .filter(|h| h.is_pending() && h.held_in.company_id() == Some(company))
            .cloned()
            .collect();
        v.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        v
    }

    /// Transfers touching a company's accounts up to `until` (exclusive), in the order applied.
    pub fn company_transfers(&self, company: &str, until: Option<DateTime<Utc>>) -> Vec<Transfer> {
        self.by_company
            .get(company)
            .map(|ix| {
                ix.iter()
                    .filter_map(|i| self.transfers.get(*i))
                    .filter(|t| until.is_none_or(|u| t.at < u))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Transfers tied to a shipment, in the order applied.
    pub fn shipment_transfers(&self, key: &ShipmentKey) -> Vec<Transfer> {
        self.by_shipment
            .get(key)
            .map(|ix| {
                ix.iter()
                    .filter_map(|i| self.transfers.get(*i))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Changes the expiry of a pending hold.
    pub fn set_hold_expiry(
        &mut self,
        id: &TransferId,
        expires_at: Option<DateTime<Utc>>,
    ) -> Result<()> {
        let hold = self.holds.get(id).ok_or_else(|| hold_not_found(id))?;
        check_pending(hold)?;
        let old = hold.expires_at;
        if let Some(o) = old {
            self.expiring.remove(&(o, id.clone()));
        }
        if let Some(n) = expires_at {
            self.expiring.insert((n, id.clone()), ());
        }
        if let Some(h) = self.holds.get_mut(id) {
            h.expires_at = expires_at;
        }
        Ok(())
    }

    fn currency_of(&self, account: &AccountKey) -> Option<Currency> {
        match account {
            AccountKey::Company { company, .. } => self.companies.get(company).map(|c| c.currency),
            AccountKey::Platform(_) => Some(Currency::Try),
        }
    }

    /// The lowest balance an account may reach, if bounded.
    fn floor(&self, account: &AccountKey) -> Option<Decimal> {
        match account {
            AccountKey::Company {
                company,
                account: CompanyAccount::Available,
            } => self.companies.get(company).map(|c| -c.credit_limit),
            AccountKey::Company { .. } => Some(Decimal::ZERO),
            AccountKey::Platform(_) => None,
        }
    }

    /// Applies a batch atomically: every rule is checked for every transfer before anything
    /// changes; on any error nothing is applied. A batch whose transfers all exist with the
    /// same content is a no-op ([`Applied::Replayed`]); a transfer id that exists with other
    /// content, or a batch only partly applied before, is `wallet.transfer_conflict`.
    pub fn apply(&mut self, batch: &Batch) -> Result<Applied> {
        if batch.is_empty() {
            return Err(Error::invalid(
                Code::WalletInvalidTransfer,
                "transfers",
                "the batch is empty",
            ));
        }
        if let Some(replayed) = self.check_replay(batch)? {
            return Ok(replayed);
        }
        let mut seen: HashSet<&TransferId> = HashSet::new();
        let mut deltas: HashMap<&AccountKey, Decimal> = HashMap::new();
        let mut uses: HashMap<&TransferId, HoldUse> = HashMap::new();
        let mut new_holds: Vec<Hold> = Vec::new();
        for (i, t) in batch.transfers.iter().enumerate() {
            let field = format!("transfers[{i}]");
            t.validate(&field)?;
            if !seen.insert(&t.id) {
                return Err(Error::invalid(
                    Code::WalletInvalidTransfer,
                    format!("{field}.id"),
                    format!("id {} appears twice in the batch", t.id),
                ));
            }
            for (side, acct) in [("debit", &t.debit), ("credit", &t.credit)] {
                let currency = self
                    .currency_of(acct)
                    .filter(|_| self.balances.contains_key(acct))
                    .ok_or_else(|| unknown_account(acct))?;
                if currency != t.amount.currency {
                    return Err(currency_mismatch(
                        &format!("{field}.{side}"),
                        currency,
                        t.amount.currency,
                    ));
                }
            }
            if let Some(c) = &t.corrects
                && !self.by_id.contains_key(c)
                && !seen.contains(c)
            {
                return Err(Error::not_found(
                    Code::WalletTransferNotFound,
                    format!("{field}.corrects: {c}"),
                ));
            }
            match &t.kind {
                TransferKind::Single => {}
                TransferKind::Hold { timeout_secs } => {
                    let expires_at = match timeout_secs {
                        None => None,
                        Some(s) => Some(
                            i64::try_from(*s)
                                .ok()
                                .and_then(chrono::Duration::try_seconds)
                                .and_then(|d| t.at.checked_add_signed(d))
                                .ok_or_else(|| {
                                    Error::invalid(
                                        Code::WalletInvalidTransfer,
                                        format!("{field}.kind.timeout_secs"),
                                        format!("{s} s is out of range"),
                                    )
                                })?,
                        ),
                    };
                    new_holds.push(Hold {
                        id: t.id.clone(),
                        source: t.debit.clone(),
                        held_in: t.credit.clone(),
                        amount: t.amount,
                        posted: Money {
                            amount: Decimal::ZERO,
                            currency: t.amount.currency,
                        },
                        state: HoldState::Pending,
                        expires_at,
                        link: t.link.clone(),
                        line: t.line,
                        created_at: t.at,
                    });
                }
                TransferKind::Post { hold } | TransferKind::Release { hold, .. } => {
                    let h = self.holds.get(hold).ok_or_else(|| hold_not_found(hold))?;
                    check_pending(h)?;
                    if t.debit != h.held_in {
                        return Err(Error::invalid(
                            Code::WalletInvalidTransfer,
                            format!("{field}.debit"),
                            format!("hold {hold} is held in {}, not {}", h.held_in, t.debit),
                        ));
                    }
                    let u = uses.entry(hold).or_insert_with(|| HoldUse {
                        field: field.clone(),
                        ..HoldUse::default()
                    });
                    match &t.kind {
                        TransferKind::Post { .. } => u.posted += t.amount.amount,
                        TransferKind::Release { reason, .. } => {
                            if t.credit != h.source {
                                return Err(Error::invalid(
                                    Code::WalletInvalidTransfer,
                                    format!("{field}.credit"),
                                    format!(
                                        "hold {hold} goes back to {}, not {}",
                                        h.source, t.credit
                                    ),
                                ));
                            }
                            if *reason == ReleaseReason::Expiry
                                && h.expires_at.is_none_or(|e| e > t.at)
                            {
                                return Err(Error::invalid(
                                    Code::WalletInvalidTransfer,
                                    format!("{field}.kind"),
                                    format!("hold {hold} is not due to expire at {}", t.at),
                                ));
                            }
                            if u.released.replace((t.amount.amount, *reason)).is_some() {
                                return Err(Error::invalid(
                                    Code::WalletInvalidTransfer,
                                    format!("{field}.kind"),
                                    format!("hold {hold} is released twice"),
                                ));
                            }
                        }
                        _ => {}
                    }
                }
            }
            *deltas.entry(&t.debit).or_default() -= t.amount.amount;
            *deltas.entry(&t.credit).or_default() += t.amount.amount;
        }
        for (hold, u) in &uses {
            let h = self.holds.get(*hold).ok_or_else(|| hold_not_found(hold))?;
            let released = u.released.map(|r| r.0).unwrap_or_default();
            if u.posted + released > h.amount.amount {
                return Err(Error::invalid(
                    Code::WalletPostExceedsHold,
                    format!("{}.amount", u.field),
                    format!(
                        "hold {hold} has {}, the batch takes {}",
                        h.amount.to_turkish(),
                        Money::try_lira(u.posted + released).to_turkish()
                    ),
                ));
            }
            if u.posted + released < h.amount.amount {
                return Err(Error::invalid(
                    Code::WalletInvalidTransfer,
                    format!("{}.amount", u.field),
                    format!(
                        "hold {hold} of {} must be closed in full: post and return the rest in one batch",
                        h.amount.to_turkish()
                    ),
                ));
            }
        }
        for (id, _) in &batch.expiries {
            if uses.contains_key(id) {
                return Err(Error::invalid(
                    Code::WalletInvalidTransfer,
                    "expiries",
                    format!("hold {id} is closed by this batch"),
                ));
            }
            match self.holds.get(id) {
                Some(h) => check_pending(h)?,
                None if new_holds.iter().any(|h| &h.id == id) => {}
                None => return Err(hold_not_found(id)),
            }
        }
        for (acct, delta) in &deltas {
            if *delta >= Decimal::ZERO {
                continue;
            }
            let (Some(floor), Some(balance)) = (self.floor(acct), self.balances.get(*acct)) else {
                continue;
            };
            let after = *balance + *delta;
            if after < floor {
                return Err(self.insufficient(acct, *balance, -*delta, floor));
            }
        }
        // Every check passed: commit.
        for (acct, delta) in deltas {
            if let Some(b) = self.balances.get_mut(acct) {
                *b += delta;
            }
        }
        for h in new_holds {
            if let Some(e) = h.expires_at {
                self.expiring.insert((e, h.id.clone()), ());
            }
            self.holds.insert(h.id.clone(), h);
        }
        for (hold, u) in uses {
            if let Some(h) = self.holds.get_mut(hold) {
                h.posted.amount = u.posted;
                h.state = match (u.posted > Decimal::ZERO, u.released.map(|r| r.1)) {
                    (true, _) | (false, Some(ReleaseReason::Remainder)) | (false, None) => {
                        HoldState::Posted
                    }
                    (false, Some(ReleaseReason::Void)) => HoldState::Voided,
                    (false, Some(ReleaseReason::Expiry)) => HoldState::Expired,
                };
                if let Some(e) = h.expires_at {
                    self.expiring.remove(&(e, hold.clone()));
                }
            }
        }
        for (id, at) in &batch.expiries {
            self.set_hold_expiry(id, *at)?;
        }
        for t in &batch.transfers {
            self.insert(t.clone());
        }
        Ok(Applied::New)
    }

    fn check_replay(&self, batch: &Batch) -> Result<Option<Applied>> {
        let mut existing = 0usize;
        for t in &batch.transfers {
            if let Some(old) = self.transfer(&t.id) {
                if !old.same_content(t) {
                    return Err(Error::conflict(
                        Code::WalletTransferConflict,
                        format!("transfer {} exists with other content", t.id),
                    ));
                }
                existing += 1;
            }
        }
        if existing == 0 {
            return Ok(None);
        }
        if existing == batch.transfers.len() {
            return Ok(Some(Applied::Replayed));
        }
        Err(Error::conflict(
            Code::WalletTransferConflict,
            format!(
                "{existing} of {} transfers of the batch exist already",
                batch.transfers.len()
            ),
        ))
    }

    fn insert(&mut self, t: Transfer) {
        let i = self.transfers.len();
        self.by_id.insert(t.id.clone(), i);
        let mut companies: Vec<&str> = [t.debit.company_id(), t.credit.company_id()]
            .into_iter()
            .flatten()
            .collect();
        companies.dedup();
        for c in companies {
            self.by_company.entry(c.to_string()).or_default().push(i);
        }
        if let Some(s) = t.link.shipment() {
            self.by_shipment.entry(s.clone()).or_default().push(i);
        }
        self.transfers.push(t);
    }

    fn insufficient(
        &self,
        acct: &AccountKey,
        balance: Decimal,
        needed: Decimal,
        floor: Decimal,
    ) -> Error {
        let m = |d: Decimal| Money::try_lira(d).to_turkish();
        let detail = format!(
            "{acct} has {}, needs {} (lowest allowed {})",
            m(balance),
            m(needed),
            m(floor)
        );
        let code = if floor < Decimal::ZERO {
            Code::WalletCreditLimitExceeded
        } else {
            Code::WalletInsufficientFunds
        };
        Error::InsufficientFunds { code, detail }
    }
}

fn check_company(company: &str) -> Result<()> {
    if company.trim().is_empty() || company.len() > 200 {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "company",
            "must have 1–200 characters",
        ));
    }
    Ok(())
}

fn check_limit(limit: Money) -> Result<()> {
    if limit.is_negative()
        || limit.round_kurus() != limit
        || limit.amount > super::transfer::MAX_TRANSFER
    {
        return Err(Error::invalid(
            Code::RequestInvalidAmount,
            "credit_limit",
            format!("{} must be ≥ 0 with at most 2 decimals", limit.amount),
        ));
    }
    Ok(())
}

fn check_pending(h: &Hold) -> Result<()> {
    let code = match h.state {
        HoldState::Pending => return Ok(()),
        HoldState::Posted => Code::WalletHoldPosted,
        HoldState::Voided => Code::WalletHoldVoided,
        HoldState::Expired => Code::WalletHoldExpired,
    };
    Err(Error::conflict(code, format!("hold {}", h.id)))
}

fn hold_not_found(id: &TransferId) -> Error {
    Error::not_found(Code::WalletHoldNotFound, format!("hold {id}"))
}

fn unknown_account(acct: &AccountKey) -> Error {
    Error::not_found(Code::WalletUnknownAccount, format!("account {acct}"))
}

fn unknown_company(company: &str) -> Error {
    Error::not_found(
        Code::WalletUnknownAccount,
        format!("company {company} has no wallet"),
    )
}

fn currency_mismatch(field: &str, account: Currency, amount: Currency) -> Error {
    Error::invalid(
        Code::RequestCurrencyMismatch,
        field,
        format!(
            "account is in {}, amount in {}",
            account.code(),
            amount.code()
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::transfer::{LineKind, Link};
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    fn book() -> Book {
        let mut b = Book::new();
        assert!(b.open_company("a", Currency::Try, Money::zero()).is_ok());
        let mut top = Transfer::new(
            TransferId::new("top"),
            AccountKey::Platform(PlatformAccount::Cash),
            AccountKey::available("a"),
            Money::from_kurus(10_000),
            TransferKind::Single,
            LineKind::TopUp,
            Link::TopUp("r".into()),
        );
        top.at = at(0);
        assert!(b.apply(&Batch::of(vec![top])).is_ok());
        b
    }

    fn hold(id: &str, kurus: i64, timeout: Option<u64>, time: DateTime<Utc>) -> Transfer {
        let mut t = Transfer::new(
            TransferId::new(id),
            AccountKey::available("a"),
            AccountKey::blocked("a"),
            Money::from_kurus(kurus),
            TransferKind::Hold {
                timeout_secs: timeout,
            },
            LineKind::FreightHold,
            Link::TopUp("r".into()),
        );
        t.at = time;
        t
    }

    #[test]
    fn due_holds_come_soonest_first_and_expiry_changes_apply_with_the_batch() {
        let mut b = book();
        assert!(
            b.apply(&Batch::of(vec![
                hold("h1", 100, Some(7200), at(1)),
                hold("h2", 100, Some(3600), at(1))
            ]))
            .is_ok()
        );
        let due: Vec<String> = b.due_holds(at(3), 10).into_iter().map(|h| h.id.0).collect();
        assert_eq!(due, vec!["h2", "h1"]);
        assert!(b.due_holds(at(1), 10).is_empty());
        // An expiry change alone is a batch of its own.
        let batch = Batch {
            transfers: vec![],
            expiries: vec![(TransferId::new("h1"), None)],
        };
        assert_eq!(b.apply(&batch).ok(), Some(Applied::New));
        let due: Vec<String> = b
            .due_holds(at(23), 10)
            .into_iter()
            .map(|h| h.id.0)
            .collect();
        assert_eq!(due, vec!["h2"]);
        let batch = Batch {
            transfers: vec![],
            expiries: vec![(TransferId::new("zz"), None)],
        };
        assert_eq!(
            b.apply(&batch).err().map(|e| e.code()),
            Some(Code::WalletHoldNotFound)
        );
    }

    #[test]
    fn a_failed_batch_leaves_the_book_as_it_was() {
        let mut b = book();
        let before = b.balances();
        let r = b.apply(&Batch::of(vec![
            hold("h1", 5_000, None, at(1)),
            hold("h2", 6_000, None, at(1)),
        ]));
        assert_eq!(
            r.err().map(|e| e.code()),
            Some(Code::WalletInsufficientFunds)
        );
        assert_eq!(b.balances(), before);
        assert!(b.hold(&TransferId::new("h1")).is_none());
        assert_eq!(b.transfers().len(), 1);
        let dup = b.apply(&Batch::of(vec![
            hold("h1", 1, None, at(1)),
            hold("h1", 1, None, at(1)),
        ]));
        assert_eq!(
            dup.err().map(|e| e.code()),
            Some(Code::WalletInvalidTransfer)
        );
        assert_eq!(
            b.apply(&Batch::default()).err().map(|e| e.code()),
            Some(Code::WalletInvalidTransfer)
        );
    }
}
