//! Applying a batch to a partial ledger: the part of the stored state a batch reads
//! ([`Batch::touched`]) is loaded into a [`BookParts`], [`apply_to_parts`] runs exactly the rules
//! of [`Book::apply`] on it and returns the [`Changes`] to write back. This is how an SQL
//! [`crate::wallet::LedgerStore`] applies the ledger rules inside one transaction without
//! loading the whole ledger.

use super::{Applied, Book, Company};
use crate::error::Result;
use crate::money::{Currency, Money};
use crate::wallet::account::{AccountKey, CompanyAccount};
use crate::wallet::hold::Hold;
use crate::wallet::transfer::{Batch, Transfer, TransferId};
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// What a batch reads from the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Touched {
    /// Accounts debited or credited.
    pub accounts: BTreeSet<AccountKey>,
    /// Companies owning those accounts (their currency and credit limit are needed).
    pub companies: BTreeSet<String>,
    /// Holds posted, released or given a new expiry.
    pub holds: BTreeSet<TransferId>,
    /// Transfers that may exist already: the batch's own ids (replays) and the ids it corrects.
    pub transfers: BTreeSet<TransferId>,
}

impl Batch {
    /// Everything applying this batch reads (see [`apply_to_parts`]).
    pub fn touched(&self) -> Touched {
        let mut t = Touched::default();
        for tr in &self.transfers {
            for a in [&tr.debit, &tr.credit] {
                t.accounts.insert(a.clone());
                if let Some(c) = a.company_id() {
                    t.companies.insert(c.to_string());
                }
            }
            if let Some(h) = tr.kind.hold() {
                t.holds.insert(h.clone());
            }
            t.transfers.insert(tr.id.clone());
            if let Some(c) = &tr.corrects {
                t.transfers.insert(c.clone());
            }
        }
        for (id, _) in &self.expiries {
            t.holds.insert(id.clone());
        }
        t
    }
}

/// A company's wallet settings as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyParts {
    /// Company id.
    pub company: String,
    /// Its currency.
    pub currency: Currency,
    /// Its credit limit.
    pub credit_limit: Money,
}

/// The stored state [`Batch::touched`] names, as loaded by a store. Anything missing is treated
/// as absent (an account of a company not listed is unknown, a hold not listed does not exist).
#[derive(Debug, Clone, Default)]
pub struct BookParts {
    /// The touched companies that have a wallet.
    pub companies: Vec<CompanyParts>,
    /// The current balances of the touched accounts that exist.
    pub balances: Vec<(AccountKey, Money)>,
    /// The touched holds that exist.
    pub holds: Vec<Hold>,
    /// The touched transfer ids that exist, with their stored content.
    pub transfers: Vec<Transfer>,
}

/// What applying a batch changed, to write back in the same transaction.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Changes {
    /// Balance changes (added to the stored balance), one per account that moved.
    pub balance_deltas: Vec<(AccountKey, Money)>,
    /// Holds created or changed (state, posted amount, expiry), in their new form.
    pub holds: Vec<Hold>,
    /// Transfers to insert, in order.
    pub transfers: Vec<Transfer>,
}

impl Book {
    /// A book holding only `parts` (platform accounts are always open).
    pub fn from_parts(parts: &BookParts) -> Book {
        let mut b = Book::new();
        for c in &parts.companies {
            b.companies.insert(
                c.company.clone(),
                Company {
                    currency: c.currency,
                    credit_limit: c.credit_limit.amount,
                },
            );
            for a in CompanyAccount::ALL {
                b.balances
                    .insert(AccountKey::company(&c.company, a), Decimal::ZERO);
            }
        }
        for (k, m) in &parts.balances {
            b.balances.insert(k.clone(), m.amount);
        }
        for h in &parts.holds {
            if let (Some(e), true) = (h.expires_at, h.is_pending()) {
                b.expiring.insert((e, h.id.clone()), ());
            }
            b.holds.insert(h.id.clone(), h.clone());
        }
        for t in &parts.transfers {
            b.insert(t.clone());
        }
        b
    }
}

/// Applies `batch` to the stored state in `parts` with every rule of [`Book::apply`] and returns
/// what changed. On any error nothing is to be written.
pub fn apply_to_parts(parts: &BookParts, batch: &Batch) -> Result<(Applied, Changes)> {
    let mut book = Book::from_parts(parts);
    let applied = book.apply(batch)?;
    if applied == Applied::Replayed {
        return Ok((applied, Changes::default()));
    }
    let touched = batch.touched();
    let mut changes = Changes::default();
    for account in &touched.accounts {
        let before = parts
            .balances
            .iter()
            .find(|(k, _)| k == account)
            .map(|(_, m)| m.amount)
            .unwrap_or_default();
        let after = book.balance(account)?;
        let delta = after.amount - before;
        if !delta.is_zero() {
            changes.balance_deltas.push((
                account.clone(),
                Money {
                    amount: delta,
                    currency: after.currency,
                },
            ));
        }
    }
    let hold_ids = touched
        .holds
        .iter()
        .chain(batch.transfers.iter().map(|t| &t.id));
    let mut seen = BTreeSet::new();
    for id in hold_ids {
        if !seen.insert(id.clone()) {
            continue;
        }
        let Some(after) = book.hold(id) else {
            continue;
        };
        let unchanged = parts.holds.iter().any(|h| h == after);
        if !unchanged {
            changes.holds.push(after.clone());
        }
    }
    changes.transfers = batch.transfers.clone();
    Ok((applied, changes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wallet::account::PlatformAccount;
    use crate::wallet::hold::HoldState;
    use crate::wallet::transfer::{LineKind, Link, TransferKind};

    fn top_up(id: &str, kurus: i64) -> Transfer {
        Transfer::new(
            TransferId::new(id),
            AccountKey::Platform(PlatformAccount::Cash),
            AccountKey::available("a"),
            Money::from_kurus(kurus),
            TransferKind::Single,
            LineKind::TopUp,
            Link::TopUp("r".into()),
        )
    }

    fn hold(id: &str, kurus: i64) -> Transfer {
        Transfer::new(
            TransferId::new(id),
            AccountKey::available("a"),
            AccountKey::blocked("a"),
            Money::from_kurus(kurus),
            TransferKind::Hold { timeout_secs: None },
            LineKind::FreightHold,
            Link::TopUp("r".into()),
        )
    }

    fn company() -> CompanyParts {
        CompanyParts {
            company: "a".into(),
            currency: Currency::Try,
            credit_limit: Money::zero(),
        }
    }

    /// Applying batches one by one to parts written back gives the same balances as a whole
    /// book, and the same errors.
    #[test]
    fn parts_follow_the_whole_book() {
        let mut whole = Book::new();
        assert!(
            whole
                .open_company("a", Currency::Try, Money::zero())
                .is_ok()
        );
        let mut stored = BookParts {
            companies: vec![company()],
            ..BookParts::default()
        };
        let batches = [
            Batch::of(vec![top_up("t1", 10_000)]),
            Batch::of(vec![hold("h1", 4_000)]),
            Batch::of(vec![hold("h2", 7_000)]), // insufficient funds
            Batch::of(vec![top_up("t1", 10_000)]), // replay
        ];
        for batch in &batches {
            let w = whole.apply(batch);
            let p = apply_to_parts(&stored, batch);
            assert_eq!(
                w.as_ref().err().map(|e| e.code()),
                p.as_ref().err().map(|e| e.code())
            );
            let Ok((applied, changes)) = p else { continue };
            assert_eq!(Ok(applied), w);
            for (k, d) in changes.balance_deltas {
                match stored.balances.iter_mut().find(|(s, _)| *s == k) {
                    Some((_, m)) => m.amount += d.amount,
                    None => stored.balances.push((k, d)),
                }
            }
            for h in changes.holds {
                stored.holds.retain(|s| s.id != h.id);
                stored.holds.push(h);
            }
            stored.transfers.extend(changes.transfers);
        }
        for (k, m) in &stored.balances {
            assert_eq!(whole.balance(k).ok(), Some(*m), "{k}");
        }
        assert_eq!(
            stored.holds.first().map(|h| h.state),
            Some(HoldState::Pending)
        );
        let touched = Batch::of(vec![hold("h3", 1)]).touched();
        assert!(touched.accounts.contains(&AccountKey::blocked("a")));
        assert!(touched.companies.contains("a"));
    }
}
