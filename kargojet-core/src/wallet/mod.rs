//! The wallet: a double-entry ledger with two-phase holds (TigerBeetle-style pending → post in
//! full or in part, or void, or expire), desi-difference reconciliation and cash on delivery.
//! No I/O: storage is the [`LedgerStore`] trait ([`MemoryLedgerStore`] in memory), time comes
//! from the injected clock.
//!
//! - [`account`]: company accounts (available, blocked, COD receivable, payouts) and platform
//!   accounts (commission revenue, carrier payable, KDV payable, COD clearing, cash);
//! - [`transfer`]: immutable transfers with caller-chosen ids, tied to a shipment or a top-up;
//! - [`book`]: the ledger rules, applied to whole batches (all or nothing);
//! - [`ledger`]: [`Wallet`], the operations (top-up, hold, post, void, expiry, payout, correct);
//! - [`funding`]: [`WalletFunding`], the orchestrator's funding hook (`ship`, cancel, tracking);
//! - [`desi`] and [`cod`]: desi reconciliation and cash on delivery;
//! - [`statement`]: statements and their CSV export.
//!
//! ```
//! use kargojet_core::Money;
//! use kargojet_core::time::ManualClock;
//! use kargojet_core::wallet::{AccountKey, LineKind, Link, MemoryLedgerStore, PlatformAccount, PostLeg, ShipmentKey, TransferId, Wallet};
//! use std::sync::Arc;
//!
//! # fn main() -> kargojet_core::Result<()> { futures::executor::block_on(async {
//! let clock = ManualClock::new(chrono::DateTime::UNIX_EPOCH);
//! let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), Arc::new(clock));
//! wallet.open_company("acme", Money::zero()).await?;
//! wallet.top_up(&TransferId::new("top-1"), "acme", Money::from_kurus(10_000), "EFT-123").await?;
//! // Hold 40 TL for a shipment, then post 30 TL of it: the other 10 TL go back.
//! let link = Link::Shipment(ShipmentKey::new("acme", "order-1"));
//! wallet.hold(&TransferId::new("h1"), "acme", Money::from_kurus(4_000), LineKind::FreightHold, link, None).await?;
//! let leg = PostLeg { to: AccountKey::Platform(PlatformAccount::CarrierPayable), amount: Money::from_kurus(3_000), line: LineKind::Freight };
//! wallet.post(&TransferId::new("p1"), &TransferId::new("h1"), &[leg]).await?;
//! let b = wallet.balances("acme").await?;
//! assert_eq!((b.available, b.blocked), (Money::from_kurus(7_000), Money::zero()));
//! # Ok(()) }) }
//! ```

pub mod account;
pub mod book;
pub mod cod;
pub mod desi;
pub mod funding;
pub mod hold;
pub mod ledger;
pub mod reprice;
pub mod split;
pub mod statement;
pub mod store;
pub mod transfer;

pub use account::{AccountKey, CompanyAccount, PlatformAccount};
pub use book::parts::{BookParts, Changes, CompanyParts, Touched, apply_to_parts};
pub use book::{Applied, Book};
pub use cod::CodCredit;
pub use desi::{CarrierDesi, DesiLine, DesiOutcome, DesiReport, DesiStatus};
pub use funding::{FundingConfig, WalletFunding};
pub use hold::{Hold, HoldState};
pub use ledger::{CompanyBalances, PostLeg, Wallet};
pub use reprice::ReserveRule;
pub use statement::{CSV_HEADERS, CsvOptions, Statement, StatementLine};
pub use store::{LedgerStore, MemoryLedgerStore};
pub use transfer::{
    Batch, LineKind, Link, MAX_TRANSFER, ReleaseReason, ShipmentKey, Transfer, TransferId,
    TransferKind,
};
