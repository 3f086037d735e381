//! Ledger accounts: four per company (available, blocked, COD receivable, payouts) and five of
//! the platform (commission revenue, carrier payable, KDV payable, COD clearing, cash/bank).
//!
//! Sign convention: an account's balance is its credits minus its debits. A top-up credits
//! the company's available account and debits the platform's cash account, so cash runs
//! negative (an asset) while the company's accounts run positive; every transfer has one
//! debit and one credit of the same amount, so the balances of all accounts sum to zero.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The accounts every company has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompanyAccount {
    /// Money the company can spend (never below minus its credit limit).
    Available,
    /// Money held (blocked) for shipments being bought and desi-difference reserves.
    Blocked,
    /// Cash-on-delivery collections owed to the company, not yet paid out.
    CodReceivable,
    /// What was paid out to the company (its bank account).
    Payouts,
}

/// The platform's accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlatformAccount {
    /// Commission earned on platform-agreement shipments.
    CommissionRevenue,
    /// Freight and fees owed to carriers.
    CarrierPayable,
    /// KDV (VAT) collected and owed to the tax office.
    KdvPayable,
    /// Cash-on-delivery amounts the carriers collected and owe the platform.
    CodClearing,
    /// The platform's bank: the other side of top-ups.
    Cash,
}

impl CompanyAccount {
    /// Every company account.
    pub const ALL: [CompanyAccount; 4] = [
        CompanyAccount::Available,
        CompanyAccount::Blocked,
        CompanyAccount::CodReceivable,
        CompanyAccount::Payouts,
    ];

    /// The snake_case id.
    pub fn id(self) -> &'static str {
        match self {
            CompanyAccount::Available => "available",
            CompanyAccount::Blocked => "blocked",
            CompanyAccount::CodReceivable => "cod_receivable",
            CompanyAccount::Payouts => "payouts",
        }
    }

    /// Turkish name for statements.
    pub fn name_tr(self) -> &'static str {
        match self {
            CompanyAccount::Available => "Kullanılabilir bakiye",
            CompanyAccount::Blocked => "Bloke bakiye",
            CompanyAccount::CodReceivable => "Kapıda ödeme alacağı",
            CompanyAccount::Payouts => "Satıcıya ödenen",
        }
    }
}

impl PlatformAccount {
    /// Every platform account.
    pub const ALL: [PlatformAccount; 5] = [
        PlatformAccount::CommissionRevenue,
        PlatformAccount::CarrierPayable,
        PlatformAccount::KdvPayable,
        PlatformAccount::CodClearing,
        PlatformAccount::Cash,
    ];

    /// The snake_case id.
    pub fn id(self) -> &'static str {
        match self {
            PlatformAccount::CommissionRevenue => "commission_revenue",
            PlatformAccount::CarrierPayable => "carrier_payable",
            PlatformAccount::KdvPayable => "kdv_payable",
            PlatformAccount::CodClearing => "cod_clearing",
            PlatformAccount::Cash => "cash",
        }
    }
}

/// One ledger account.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountKey {
    /// An account of a company.
    Company {
        /// Company (tenant) id.
        company: String,
        /// Which account.
        account: CompanyAccount,
    },
    /// An account of the platform.
    Platform(PlatformAccount),
}

impl AccountKey {
    /// A company account.
    pub fn company(company: &str, account: CompanyAccount) -> AccountKey {
        AccountKey::Company {
            company: company.to_string(),
            account,
        }
    }

    /// The company's available account.
    pub fn available(company: &str) -> AccountKey {
        AccountKey::company(company, CompanyAccount::Available)
    }

    /// The company's blocked (held) account.
    pub fn blocked(company: &str) -> AccountKey {
        AccountKey::company(company, CompanyAccount::Blocked)
    }

    /// The company's COD receivable account.
    pub fn cod_receivable(company: &str) -> AccountKey {
        AccountKey::company(company, CompanyAccount::CodReceivable)
    }

    /// The company's payouts account.
    pub fn payouts(company: &str) -> AccountKey {
        AccountKey::company(company, CompanyAccount::Payouts)
    }

    /// The company this account belongs to, if any.
    pub fn company_id(&self) -> Option<&str> {
        match self {
            AccountKey::Company { company, .. } => Some(company),
            AccountKey::Platform(_) => None,
        }
    }

    /// The company account kind, if a company account.
    pub fn company_account(&self) -> Option<CompanyAccount> {
        match self {
            AccountKey::Company { account, .. } => Some(*account),
            AccountKey::Platform(_) => None,
        }
    }

    /// True for a company's blocked account.
    pub fn is_blocked(&self) -> bool {
        self.company_account() == Some(CompanyAccount::Blocked)
    }
}

impl fmt::Display for AccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AccountKey::Company { company, account } => {
                write!(f, "company/{company}/{}", account.id())
            }
            AccountKey::Platform(p) => write!(f, "platform/{}", p.id()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_display_and_classify() {
        let k = AccountKey::blocked("acme");
        assert_eq!(k.to_string(), "company/acme/blocked");
        assert!(k.is_blocked());
        assert_eq!(k.company_id(), Some("acme"));
        assert_eq!(
            AccountKey::Platform(PlatformAccount::KdvPayable).to_string(),
            "platform/kdv_payable"
        );
        assert!(!AccountKey::available("acme").is_blocked());
    }
}
