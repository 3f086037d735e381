//! Wallet requests and responses.

use super::common::{MoneyView, de_decimal};
use kargojet::wallet::{CompanyBalances, Hold, HoldState, Link, StatementLine};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A company's balances.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BalancesView {
    /// Spendable.
    pub available: MoneyView,
    /// Held for shipments in progress (price holds and desi reserves).
    pub blocked: MoneyView,
    /// Cash on delivery collected and owed to the seller.
    pub cod_receivable: MoneyView,
    /// Paid out to the seller so far.
    pub paid_out: MoneyView,
    /// How far `available` may go below zero.
    pub credit_limit: MoneyView,
}

impl From<CompanyBalances> for BalancesView {
    fn from(b: CompanyBalances) -> Self {
        BalancesView {
            available: b.available.into(),
            blocked: b.blocked.into(),
            cod_receivable: b.cod_receivable.into(),
            paid_out: b.paid_out.into(),
            credit_limit: b.credit_limit.into(),
        }
    }
}

/// A pending hold.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoldView {
    /// Hold (transfer) id.
    pub id: String,
    /// Amount held.
    pub amount: MoneyView,
    /// `freight_hold` or `desi_reserve`.
    pub line: String,
    /// `pending`, `posted`, `voided` or `expired`.
    pub state: String,
    /// When it expires, if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = DateTime)]
    pub expires_at: Option<String>,
    /// When it was made.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The idempotency key of the shipment it is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub shipment_key: Option<String>,
}

fn rfc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl From<&Hold> for HoldView {
    fn from(h: &Hold) -> Self {
        HoldView {
            id: h.id.0.clone(),
            amount: h.amount.into(),
            line: h.line.id().to_string(),
            state: match h.state {
                HoldState::Pending => "pending",
                HoldState::Posted => "posted",
                HoldState::Voided => "voided",
                HoldState::Expired => "expired",
            }
            .to_string(),
            expires_at: h.expires_at.map(rfc),
            created_at: rfc(h.created_at),
            shipment_key: h.link.shipment().map(|s| s.key.clone()),
        }
    }
}

/// The holds of a company.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoldsView {
    /// Pending holds, oldest first.
    pub items: Vec<HoldView>,
}

/// One line of the company's ledger accounts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransactionView {
    /// When.
    #[schema(format = DateTime)]
    pub at: String,
    /// Transfer id.
    pub transfer: String,
    /// `available`, `blocked`, `cod_receivable` or `payouts`.
    pub account: String,
    /// What it is (`top_up`, `freight`, `commission`, `kdv`, `cod_collection`, …).
    pub line: String,
    /// Its Turkish name.
    pub line_tr: String,
    /// Signed amount on the account.
    pub amount: MoneyView,
    /// The account's balance after it.
    pub balance: MoneyView,
    /// The shipment's idempotency key, if tied to one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub shipment_key: Option<String>,
    /// The payment reference, for top-ups.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reference: Option<String>,
    /// The transfer it corrects, for corrections and refunds.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub corrects: Option<String>,
}

impl From<&StatementLine> for TransactionView {
    fn from(l: &StatementLine) -> Self {
        TransactionView {
            at: rfc(l.at),
            transfer: l.transfer.0.clone(),
            account: l.account.id().to_string(),
            line: l.line.id().to_string(),
            line_tr: l.line.name_tr().to_string(),
            amount: l.amount.into(),
            balance: l.balance.into(),
            shipment_key: match &l.link {
                Link::Shipment(s) => Some(s.key.clone()),
                Link::TopUp(_) => None,
            },
            reference: match &l.link {
                Link::TopUp(r) => Some(r.clone()),
                Link::Shipment(_) => None,
            },
            corrects: l.corrects.as_ref().map(|c| c.0.clone()),
        }
    }
}

/// A page of transactions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransactionsView {
    /// Lines, oldest first.
    pub items: Vec<TransactionView>,
}

/// `POST /v1/wallet/top-ups` (with an `Idempotency-Key` header: the same key never tops up
/// twice).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TopUpBody {
    /// Amount in TRY (positive, at most 2 decimals).
    #[serde(deserialize_with = "de_decimal")]
    #[schema(value_type = String, example = "1000.00", pattern = r"^\d{1,10}(\.\d{1,2})?$")]
    pub amount: Decimal,
    /// The bank transfer or card payment reference.
    #[schema(example = "EFT-2026-000123", min_length = 1, max_length = 200)]
    pub reference: String,
}

/// What a top-up did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TopUpView {
    /// The transfer id.
    pub transfer: String,
    /// `false` when the same key was topped up before (nothing moved now).
    pub new: bool,
    /// Balances after it.
    pub balances: BalancesView,
}
