//! Transfers: the only way money moves. Each has a caller-chosen id, one debit and one credit
//! account, a positive amount in kuruş, a kind (plain, hold, post, release), the statement line
//! it makes and what it ties to (a shipment or a top-up). Transfers are never edited; a
//! correction is a new transfer naming the one it corrects.

use super::account::AccountKey;
use crate::error::{Code, Error, Result};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The largest amount one transfer may move (one trillion lira): far above any real payment,
/// and low enough that no sum of balances can overflow the decimal type.
pub const MAX_TRANSFER: rust_decimal::Decimal = rust_decimal_macros::dec!(1_000_000_000_000);

/// A caller-chosen transfer id; at most one transfer exists per id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TransferId(pub String);

impl TransferId {
    /// An id from text.
    pub fn new(id: impl Into<String>) -> TransferId {
        TransferId(id.into())
    }

    /// A derived id: this id, `/` and a suffix (the legs of one operation).
    pub fn child(&self, suffix: &str) -> TransferId {
        TransferId(format!("{}/{suffix}", self.0))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TransferId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a hold's money went back to where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseReason {
    /// The part of a hold a post did not take.
    Remainder,
    /// The hold was voided.
    Void,
    /// The hold expired.
    Expiry,
}

/// What a transfer does besides moving its amount.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TransferKind {
    /// A plain movement.
    Single,
    /// Opens a hold (pending transfer) of its amount: from the debit account into a company's
    /// blocked account; it expires `timeout_secs` after the transfer's time, if set.
    Hold {
        /// Seconds until the hold expires.
        timeout_secs: Option<u64>,
    },
    /// Takes part of a hold: from the hold's blocked account to the credit account.
    Post {
        /// The hold.
        hold: TransferId,
    },
    /// Returns (the rest of) a hold to the account it came from.
    Release {
        /// The hold.
        hold: TransferId,
        /// Why.
        reason: ReleaseReason,
    },
}

impl TransferKind {
    /// The hold a post or release acts on.
    pub fn hold(&self) -> Option<&TransferId> {
        match self {
            TransferKind::Post { hold } | TransferKind::Release { hold, .. } => Some(hold),
            _ => None,
        }
    }
}

/// The statement line a transfer makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineKind {
    /// Money paid in.
    TopUp,
    /// A shipment's price held before the carrier is called.
    FreightHold,
    /// A desi-difference reserve held.
    DesiReserve,
    /// Freight and carrier fees (to the carrier).
    Freight,
    /// Platform commission (net of discounts).
    Commission,
    /// KDV.
    Kdv,
    /// Extra charge after the carrier measured more desi/kg.
    DesiDifference,
    /// A hold (or its rest) went back.
    HoldRelease,
    /// A cancelled shipment's charges refunded.
    Refund,
    /// Cash collected on delivery.
    CodCollection,
    /// Cash-on-delivery fee.
    CodFee,
    /// KDV of the cash-on-delivery fee.
    CodFeeKdv,
    /// COD receivable paid out to the seller.
    Payout,
    /// A correction of an earlier transfer.
    Correction,
}

impl LineKind {
    /// The snake_case id.
    pub fn id(self) -> &'static str {
        match self {
            LineKind::TopUp => "top_up",
            LineKind::FreightHold => "freight_hold",
            LineKind::DesiReserve => "desi_reserve",
            LineKind::Freight => "freight",
            LineKind::Commission => "commission",
            LineKind::Kdv => "kdv",
            LineKind::DesiDifference => "desi_difference",
            LineKind::HoldRelease => "hold_release",
            LineKind::Refund => "refund",
            LineKind::CodCollection => "cod_collection",
            LineKind::CodFee => "cod_fee",
            LineKind::CodFeeKdv => "cod_fee_kdv",
            LineKind::Payout => "payout",
            LineKind::Correction => "correction",
        }
    }

    /// Turkish wording for statements.
    pub fn name_tr(self) -> &'static str {
        match self {
            LineKind::TopUp => "Bakiye yükleme",
            LineKind::FreightHold => "Kargo bedeli blokesi",
            LineKind::DesiReserve => "Desi farkı karşılığı blokesi",
            LineKind::Freight => "Kargo ücreti",
            LineKind::Commission => "Hizmet bedeli (komisyon)",
            LineKind::Kdv => "KDV",
            LineKind::DesiDifference => "Desi farkı",
            LineKind::HoldRelease => "Bloke çözümü",
            LineKind::Refund => "İptal iadesi",
            LineKind::CodCollection => "Kapıda ödeme tahsilatı",
            LineKind::CodFee => "Kapıda ödeme hizmet bedeli",
            LineKind::CodFeeKdv => "Kapıda ödeme hizmet bedeli KDV",
            LineKind::Payout => "Satıcıya ödeme",
            LineKind::Correction => "Düzeltme",
        }
    }
}

/// A shipment as the ledger knows it: the company and the idempotency key of its `ship` call
/// (known before the carrier gives any number, and unique per company).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ShipmentKey {
    /// Company.
    pub company: String,
    /// Idempotency key of the `ship` call (trimmed).
    pub key: String,
}

impl ShipmentKey {
    /// The key of a shipment of `company` shipped under `idempotency_key`.
    pub fn new(company: &str, idempotency_key: &str) -> ShipmentKey {
        ShipmentKey {
            company: company.to_string(),
            key: idempotency_key.trim().to_string(),
        }
    }

    /// The key of a stored shipment.
    pub fn of(shipment: &crate::shipment::Shipment) -> ShipmentKey {
        ShipmentKey::new(&shipment.company, &shipment.idempotency_key)
    }

    /// The prefix of every transfer id of this shipment: `ship:<len>:<company>:<key>`
    /// (the length keeps company and key apart whatever they contain).
    pub fn transfer_prefix(&self) -> String {
        format!("ship:{}:{}:{}", self.company.len(), self.company, self.key)
    }
}

/// What a transfer ties to; every line of a company's statement ties to a shipment or a top-up.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// A shipment.
    Shipment(ShipmentKey),
    /// A top-up, by its payment reference (bank transfer, card payment id).
    TopUp(String),
}

impl Link {
    /// The shipment, if any.
    pub fn shipment(&self) -> Option<&ShipmentKey> {
        match self {
            Link::Shipment(s) => Some(s),
            Link::TopUp(_) => None,
        }
    }
}

/// One movement of money. Its time is set by the ledger from the injected clock and is not
/// part of its content: replaying the same id with the same content later is still a no-op.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// Caller-chosen id.
    pub id: TransferId,
    /// Account debited (its balance goes down).
    pub debit: AccountKey,
    /// Account credited (its balance goes up).
    pub credit: AccountKey,
    /// Amount, positive, whole kuruş.
    pub amount: Money,
    /// Plain, hold, post or release.
    pub kind: TransferKind,
    /// The statement line it makes.
    pub line: LineKind,
    /// What it ties to.
    pub link: Link,
    /// The transfer this one corrects or reverses, if any.
    pub corrects: Option<TransferId>,
    /// When it was applied.
    pub at: DateTime<Utc>,
}

impl Transfer {
    /// A transfer with the amount rounded to the kuruş (half away from zero). `at` is
    /// set by [`super::Wallet`] when it applies the transfer.
    pub fn new(
        id: TransferId,
        debit: AccountKey,
        credit: AccountKey,
        amount: Money,
        kind: TransferKind,
        line: LineKind,
        link: Link,
    ) -> Transfer {
        Transfer {
            id,
            debit,
            credit,
            amount: amount.round_kurus(),
            kind,
            line,
            link,
            corrects: None,
            at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    /// The same transfer, correcting `original`.
    pub fn correcting(mut self, original: TransferId) -> Transfer {
        self.corrects = Some(original);
        self
    }

    /// Whether `other` has the same content (everything but the time).
    pub fn same_content(&self, other: &Transfer) -> bool {
        self.id == other.id
            && self.debit == other.debit
            && self.credit == other.credit
            && self.amount == other.amount
            && self.kind == other.kind
            && self.line == other.line
            && self.link == other.link
            && self.corrects == other.corrects
    }

    /// Checks what can be checked without the ledger: a positive whole-kuruş amount, two
    /// different accounts, a hold into a blocked account. `field` names the transfer in errors.
    pub fn validate(&self, field: &str) -> Result<()> {
        if self.id.0.trim().is_empty() || self.id.0.len() > 400 {
            return Err(Error::invalid(
                Code::WalletInvalidTransfer,
                format!("{field}.id"),
                "must have 1–400 characters",
            ));
        }
        if self.amount.amount <= rust_decimal::Decimal::ZERO {
            return Err(Error::invalid(
                Code::WalletNonPositiveAmount,
                format!("{field}.amount"),
                format!("{} must be positive", self.amount.amount),
            ));
        }
        if self.amount.amount > MAX_TRANSFER {
            return Err(Error::invalid(
                Code::RequestInvalidAmount,
                format!("{field}.amount"),
                format!(
                    "{} is above the largest transfer ({MAX_TRANSFER})",
                    self.amount.amount
                ),
            ));
        }
        if self.amount.round_kurus() != self.amount {
            return Err(Error::invalid(
                Code::RequestInvalidAmount,
                format!("{field}.amount"),
                format!("{} has more than 2 decimals", self.amount.amount),
            ));
        }
        if self.debit == self.credit {
            return Err(Error::invalid(
                Code::WalletInvalidTransfer,
                format!("{field}.credit"),
                format!("debit and credit are both {}", self.debit),
            ));
        }
        // Blocked accounts move only through holds, so they always equal the pending holds.
        let rule = |side: &str, detail: String| {
            Err(Error::invalid(
                Code::WalletInvalidTransfer,
                format!("{field}.{side}"),
                detail,
            ))
        };
        match &self.kind {
            TransferKind::Hold { .. } => {
                let Some(company) = self
                    .credit
                    .company_id()
                    .filter(|_| self.credit.is_blocked())
                else {
                    return rule(
                        "credit",
                        format!("a hold must go into a blocked account, not {}", self.credit),
                    );
                };
                if self.debit != AccountKey::available(company) {
                    return rule(
                        "debit",
                        format!(
                            "a hold into {} must come from the same company's available balance, not {}",
                            self.credit, self.debit
                        ),
                    );
                }
            }
            TransferKind::Single if self.debit.is_blocked() || self.credit.is_blocked() => {
                return rule(
                    "kind",
                    "a blocked account moves only through holds, posts and releases".to_string(),
                );
            }
            TransferKind::Post { .. } if self.credit.is_blocked() => {
                return rule(
                    "credit",
                    format!("a post cannot go into a blocked account ({})", self.credit),
                );
            }
            _ => {}
        }
        Ok(())
    }
}

/// Transfers applied atomically (all or none), with hold expiry changes applied only when the
/// batch is new (a replayed batch changes nothing).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Batch {
    /// The transfers, in order.
    pub transfers: Vec<Transfer>,
    /// Holds whose expiry changes: `(hold, new expiry or none)`.
    pub expiries: Vec<(TransferId, Option<DateTime<Utc>>)>,
}

impl Batch {
    /// A batch of transfers.
    pub fn of(transfers: Vec<Transfer>) -> Batch {
        Batch {
            transfers,
            expiries: Vec::new(),
        }
    }

    /// Adds a transfer.
    pub fn push(&mut self, t: Transfer) {
        self.transfers.push(t);
    }

    /// True when there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.transfers.is_empty() && self.expiries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn t(amount: Money) -> Transfer {
        Transfer::new(
            TransferId::new("t1"),
            AccountKey::available("a"),
            AccountKey::blocked("a"),
            amount,
            TransferKind::Hold { timeout_secs: None },
            LineKind::TopUp,
            Link::TopUp("r".into()),
        )
    }

    #[test]
    fn blocked_accounts_move_only_through_holds() {
        let mut single = t(Money::try_lira(dec!(3)));
        single.kind = TransferKind::Single;
        assert_eq!(
            single
                .validate("x")
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .as_deref(),
            Some("x.kind")
        );
        let mut foreign = t(Money::try_lira(dec!(3)));
        foreign.debit = AccountKey::available("b");
        assert_eq!(
            foreign.validate("x").err().map(|e| e.code()),
            Some(Code::WalletInvalidTransfer)
        );
    }

    #[test]
    fn amounts_are_rounded_and_must_be_positive() {
        assert_eq!(
            t(Money::try_lira(dec!(1.005))).amount,
            Money::try_lira(dec!(1.01))
        );
        let e = t(Money::zero()).validate("transfers[0]").err();
        assert_eq!(
            e.as_ref().map(Error::code),
            Some(Code::WalletNonPositiveAmount)
        );
        assert_eq!(
            e.as_ref().and_then(Error::field),
            Some("transfers[0].amount")
        );
        assert_eq!(
            t(Money::try_lira(dec!(-3)))
                .validate("x")
                .err()
                .map(|e| e.code()),
            Some(Code::WalletNonPositiveAmount)
        );
        assert!(t(Money::try_lira(dec!(3))).validate("x").is_ok());
    }

    #[test]
    fn same_content_ignores_time_only() {
        let a = t(Money::try_lira(dec!(3)));
        let mut b = a.clone();
        b.at = Utc::now();
        assert!(a.same_content(&b));
        b.amount = Money::try_lira(dec!(4));
        assert!(!a.same_content(&b));
    }

    #[test]
    fn shipment_prefixes_keep_company_and_key_apart() {
        assert_ne!(
            ShipmentKey::new("a:b", "c").transfer_prefix(),
            ShipmentKey::new("a", "b:c").transfer_prefix()
        );
        assert_eq!(ShipmentKey::new("acme", " o-1 ").key, "o-1");
    }
}
