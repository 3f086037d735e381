//! Roles and the permission matrix. Every route names the one permission it needs; a role
//! either has it or gets `auth.forbidden` (403). The matrix is data ([`MATRIX`]), printed in the
//! README and tested role × permission.

use serde::{Deserialize, Serialize};
use std::fmt;
use utoipa::ToSchema;

/// A user's or API key's role within its company.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including users, API keys, carrier accounts and the audit log.
    Admin,
    /// Shipping work: quotes, shipments, bulk uploads, labels, tracking.
    Operations,
    /// Money: wallet, top-ups, statements.
    Finance,
    /// Answering recipients: reading shipments and tracking, returns.
    CallCenter,
    /// A seller's own staff or shop integration: ship and pay for its shipments.
    Seller,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Operations,
        Role::Finance,
        Role::CallCenter,
        Role::Seller,
    ];

    /// The snake_case id.
    pub fn id(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Operations => "operations",
            Role::Finance => "finance",
            Role::CallCenter => "call_center",
            Role::Seller => "seller",
        }
    }

    /// Parses an id.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.id() == s.trim())
    }

    /// Whether this role has `p`.
    pub fn allows(self, p: Permission) -> bool {
        MATRIX
            .iter()
            .find(|(perm, _)| *perm == p)
            .is_some_and(|(_, roles)| roles.contains(&self))
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What a route needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Permission {
    /// Ask for quotes.
    QuoteCreate,
    /// Buy shipments (single and bulk).
    ShipmentCreate,
    /// Read shipments and their tracking history.
    ShipmentRead,
    /// Cancel shipments.
    ShipmentCancel,
    /// Create return shipments.
    ShipmentReturn,
    /// Download labels.
    LabelRead,
    /// Poll the carrier for tracking.
    TrackingRefresh,
    /// Upload and plan bulk files, download their error reports.
    BulkUpload,
    /// Read the wallet: balance, holds, transactions.
    WalletRead,
    /// Top up the wallet.
    WalletTopUp,
    /// Download statements.
    StatementRead,
    /// Read carrier accounts (never their credentials).
    CarrierAccountRead,
    /// Create, change and delete carrier accounts.
    CarrierAccountWrite,
    /// Read insights.
    InsightsRead,
    /// Manage users and API keys.
    UserManage,
    /// Read and change the company profile (sender address).
    CompanyWrite,
    /// Read the audit log.
    AuditRead,
    /// Move the sandbox clock.
    SandboxControl,
}

use Role::{Admin, CallCenter, Finance, Operations, Seller};

/// The permission matrix: each permission and the roles that have it.
pub const MATRIX: &[(Permission, &[Role])] = &[
    (
        Permission::QuoteCreate,
        &[Admin, Operations, CallCenter, Seller],
    ),
    (Permission::ShipmentCreate, &[Admin, Operations, Seller]),
    (
        Permission::ShipmentRead,
        &[Admin, Operations, Finance, CallCenter, Seller],
    ),
    (
        Permission::ShipmentCancel,
        &[Admin, Operations, CallCenter, Seller],
    ),
    (
        Permission::ShipmentReturn,
        &[Admin, Operations, CallCenter, Seller],
    ),
    (Permission::LabelRead, &[Admin, Operations, Seller]),
    (
        Permission::TrackingRefresh,
        &[Admin, Operations, CallCenter, Seller],
    ),
    (Permission::BulkUpload, &[Admin, Operations, Seller]),
    (Permission::WalletRead, &[Admin, Finance, Seller]),
    (Permission::WalletTopUp, &[Admin, Finance]),
    (Permission::StatementRead, &[Admin, Finance, Seller]),
    (Permission::CarrierAccountRead, &[Admin, Operations]),
    (Permission::CarrierAccountWrite, &[Admin]),
    (
        Permission::InsightsRead,
        &[Admin, Operations, Finance, Seller],
    ),
    (Permission::UserManage, &[Admin]),
    (Permission::CompanyWrite, &[Admin]),
    (Permission::AuditRead, &[Admin]),
    (Permission::SandboxControl, &[Admin]),
];

impl Permission {
    /// The id used in errors and docs (`shipments:create`).
    pub fn id(self) -> &'static str {
        match self {
            Permission::QuoteCreate => "quotes:create",
            Permission::ShipmentCreate => "shipments:create",
            Permission::ShipmentRead => "shipments:read",
            Permission::ShipmentCancel => "shipments:cancel",
            Permission::ShipmentReturn => "shipments:return",
            Permission::LabelRead => "labels:read",
            Permission::TrackingRefresh => "tracking:refresh",
            Permission::BulkUpload => "bulk:upload",
            Permission::WalletRead => "wallet:read",
            Permission::WalletTopUp => "wallet:top_up",
            Permission::StatementRead => "statements:read",
            Permission::CarrierAccountRead => "carrier_accounts:read",
            Permission::CarrierAccountWrite => "carrier_accounts:write",
            Permission::InsightsRead => "insights:read",
            Permission::UserManage => "users:manage",
            Permission::CompanyWrite => "company:write",
            Permission::AuditRead => "audit:read",
            Permission::SandboxControl => "sandbox:control",
        }
    }

    /// Every permission, in matrix order.
    pub fn all() -> impl Iterator<Item = Permission> {
        MATRIX.iter().map(|(p, _)| *p)
    }
}

/// The matrix as a Markdown table (for the README).
pub fn matrix_markdown() -> String {
    let mut s = String::from("| permission |");
    for r in Role::ALL {
        s.push_str(&format!(" {} |", r.id()));
    }
    s.push_str("\n|---|");
    for _ in Role::ALL {
        s.push_str(":-:|");
    }
    for (p, _) in MATRIX {
        s.push_str(&format!("\n| `{}` |", p.id()));
        for r in Role::ALL {
            s.push_str(if r.allows(*p) { " ✓ |" } else { " |" });
        }
    }
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_has_everything_and_ids_round_trip() {
        for p in Permission::all() {
            assert!(Role::Admin.allows(p), "{}", p.id());
        }
        for r in Role::ALL {
            assert_eq!(Role::parse(r.id()), Some(r));
        }
        assert!(!Role::Finance.allows(Permission::ShipmentCreate));
        assert!(!Role::CallCenter.allows(Permission::WalletRead));
        assert!(Role::Finance.allows(Permission::WalletTopUp));
        assert!(!Role::Seller.allows(Permission::WalletTopUp));
        let permissions: Vec<Permission> = Permission::all().collect();
        let mut dedup = permissions.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(permissions.len(), dedup.len(), "each permission once");
        assert!(matrix_markdown().contains("| `wallet:top_up` | ✓ | | ✓ | | |"));
    }
}

#[cfg(test)]
mod readme {
    /// The README's matrix is the code's.
    #[test]
    fn readme_shows_this_matrix() {
        let readme = include_str!("../../README.md");
        assert!(
            readme.contains(super::matrix_markdown().trim_end()),
            "update the README's permission matrix:\n{}",
            super::matrix_markdown()
        );
    }
}
