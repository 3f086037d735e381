//! The ledger's storage contract, [`LedgerStore`], and [`MemoryLedgerStore`].
//!
//! The trait is shaped for a transactional SQL database: [`LedgerStore::apply`] is one
//! transaction that inserts the batch's transfers (primary key = transfer id), updates the
//! touched balances with their floor checks (`UPDATE … WHERE balance + delta >= floor`) and the
//! touched holds (`WHERE state = 'pending'`), and rolls everything back on any failure. The
//! rules are those of [`super::book::Book::apply`], which the memory store runs under a mutex.

use super::account::AccountKey;
use super::book::{Applied, Book};
use super::hold::Hold;
use super::transfer::{Batch, ShipmentKey, Transfer, TransferId};
use crate::error::Result;
use crate::money::{Currency, Money};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use std::sync::{Mutex, MutexGuard};

/// Persists the ledger. Every method is one transaction.
#[async_trait]
pub trait LedgerStore: Send + Sync {
    /// Opens a company's accounts in `currency` with a credit limit; opening an open company
    /// changes nothing.
    async fn open_company(
        &self,
        company: &str,
        currency: Currency,
        credit_limit: Money,
    ) -> Result<()>;
    /// Changes a company's credit limit.
    async fn set_credit_limit(&self, company: &str, limit: Money) -> Result<()>;
    /// A company's credit limit (`wallet.unknown_account` if it has no wallet).
    async fn credit_limit(&self, company: &str) -> Result<Money>;
    /// Applies a batch atomically with every check (see [`super::book::Book::apply`]).
    async fn apply(&self, batch: &Batch) -> Result<Applied>;
    /// One transfer by id.
    async fn transfer(&self, id: &TransferId) -> Result<Option<Transfer>>;
    /// One hold by id.
    async fn hold(&self, id: &TransferId) -> Result<Option<Hold>>;
    /// Pending holds due to expire at `now`, soonest first, at most `limit`.
    async fn due_holds(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Hold>>;
    /// A company's pending holds.
    async fn pending_holds(&self, company: &str) -> Result<Vec<Hold>>;
    /// The balance of one account.
    async fn balance(&self, account: &AccountKey) -> Result<Money>;
    /// Every account's balance.
    async fn balances(&self) -> Result<Vec<(AccountKey, Money)>>;
    /// Transfers touching a company's accounts before `until` (all if `None`), in applied order.
    async fn company_transfers(
        &self,
        company: &str,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<Transfer>>;
    /// Transfers tied to a shipment, in applied order.
    async fn shipment_transfers(&self, shipment: &ShipmentKey) -> Result<Vec<Transfer>>;
}

/// An in-memory [`LedgerStore`], safe under concurrent use (one mutex around a [`Book`]).
#[derive(Debug)]
pub struct MemoryLedgerStore {
    book: Mutex<Book>,
}

impl Default for MemoryLedgerStore {
    fn default() -> Self {
        MemoryLedgerStore {
            book: Mutex::new(Book::new()),
        }
    }
}

impl MemoryLedgerStore {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    fn book(&self) -> MutexGuard<'_, Book> {
        self.book.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A copy of the whole ledger (for tests and checks).
    pub fn snapshot(&self) -> Book {
        self.book().clone()
    }
}

#[async_trait]
impl LedgerStore for MemoryLedgerStore {
    async fn open_company(
        &self,
        company: &str,
        currency: Currency,
        credit_limit: Money,
    ) -> Result<()> {
        self.book().open_company(company, currency, credit_limit)
    }

    async fn set_credit_limit(&self, company: &str, limit: Money) -> Result<()> {
        self.book().set_credit_limit(company, limit)
    }

    async fn credit_limit(&self, company: &str) -> Result<Money> {
        self.book().credit_limit(company)
    }

    async fn apply(&self, batch: &Batch) -> Result<Applied> {
        self.book().apply(batch)
    }

    async fn transfer(&self, id: &TransferId) -> Result<Option<Transfer>> {
        Ok(self.book().transfer(id).cloned())
    }

    async fn hold(&self, id: &TransferId) -> Result<Option<Hold>> {
        Ok(self.book().hold(id).cloned())
    }

    async fn due_holds(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Hold>> {
        Ok(self.book().due_holds(now, limit))
    }

    async fn pending_holds(&self, company: &str) -> Result<Vec<Hold>> {
        Ok(self.book().pending_holds(company))
    }

    async fn balance(&self, account: &AccountKey) -> Result<Money> {
        self.book().balance(account)
    }

    async fn balances(&self) -> Result<Vec<(AccountKey, Money)>> {
        Ok(self.book().balances())
    }

    async fn company_transfers(
        &self,
        company: &str,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<Transfer>> {
        Ok(self.book().company_transfers(company, until))
    }

    async fn shipment_transfers(&self, shipment: &ShipmentKey) -> Result<Vec<Transfer>> {
        Ok(self.book().shipment_transfers(shipment))
    }
}
