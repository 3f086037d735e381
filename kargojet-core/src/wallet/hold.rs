//! Holds (pending transfers): an amount moved into a company's blocked account that is later
//! posted (all or part, the rest going back) or voided, or that expires. A hold is closed by
//! exactly one batch, so every posted amount is at most its hold.

use super::account::AccountKey;
use super::transfer::{LineKind, Link, TransferId};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a hold stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HoldState {
    /// Held, waiting for a post, a void or its expiry.
    Pending,
    /// Posted (in full or in part; the rest went back).
    Posted,
    /// Voided: everything went back.
    Voided,
    /// Expired: everything went back.
    Expired,
}

/// A hold, as the ledger keeps it next to the transfer that opened it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hold {
    /// The id of the transfer that opened it.
    pub id: TransferId,
    /// The account the money came from (and goes back to).
    pub source: AccountKey,
    /// The blocked account holding it.
    pub held_in: AccountKey,
    /// Amount held.
    pub amount: Money,
    /// Amount posted when it closed (zero while pending, voided or expired).
    pub posted: Money,
    /// State.
    pub state: HoldState,
    /// When it expires, if it does.
    pub expires_at: Option<DateTime<Utc>>,
    /// What it ties to.
    pub link: Link,
    /// The line kind of the opening transfer (freight hold, desi reserve, …).
    pub line: LineKind,
    /// When it was opened.
    pub created_at: DateTime<Utc>,
}

impl Hold {
    /// What is still held (the amount while pending, else zero).
    pub fn remaining(&self) -> Money {
        if self.state == HoldState::Pending {
            self.amount
        } else {
            Money::zero()
        }
    }

    /// True while pending.
    pub fn is_pending(&self) -> bool {
        self.state == HoldState::Pending
    }

    /// Whether it is due to expire at `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        self.is_pending() && self.expires_at.is_some_and(|e| e <= now)
    }
}
