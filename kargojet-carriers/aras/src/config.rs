//! Connector configuration with Aras's real credential shapes: the order (sevkiyat) service and
//! the query (bilgi sorgulama) service are registered separately and use different credentials;
//! the query service adds a `CustomerCode`.

use kargojet_core::carrier::AccountId;
use kargojet_core::error::{Code, Error, Result};
use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

/// Test host of both services [SEVK][SORGU].
pub const TEST_HOST: &str = "http://customerservicestest.araskargo.com.tr";
/// Production order-service URL (library spelling, https) [OMNI].
pub const PROD_ORDER_URL: &str =
    "https://customerservices.araskargo.com.tr/arascargoservice/arascargoservice.asmx";
/// Production query-service URL [SORGU].
pub const PROD_QUERY_URL: &str = "https://customerservices.araskargo.com.tr/ArasCargoCustomerIntegrationService/ArasCargoIntegrationService.svc";
/// The carrier's published test user for both services.
pub const TEST_USER: &str = "neodyum";
/// The carrier's published test password.
pub const TEST_PASSWORD: &str = "nd2580";
/// The carrier's published test customer code (query service).
pub const TEST_CUSTOMER_CODE: &str = "1932448851342";

/// Order-service credentials: the web-service user and password (sent inside each `Order` and
/// as operation parameters).
#[derive(Clone, PartialEq, Eq)]
pub struct OrderCredentials {
    /// `UserName` / `userName`.
    pub user_name: String,
    /// `Password` / `password`.
    pub password: String,
}

/// Query-service credentials (`LoginInfo`).
#[derive(Clone, PartialEq, Eq)]
pub struct QueryCredentials {
    /// `UserName`.
    pub user_name: String,
    /// `Password`.
    pub password: String,
    /// `CustomerCode`.
    pub customer_code: String,
}

/// One Aras account: both services' credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArasAccount {
    /// Order service.
    pub order: OrderCredentials,
    /// Query service.
    pub query: QueryCredentials,
}

impl ArasAccount {
    /// The carrier's published test account.
    pub fn sandbox() -> ArasAccount {
        ArasAccount {
            order: OrderCredentials {
                user_name: TEST_USER.into(),
                password: TEST_PASSWORD.into(),
            },
            query: QueryCredentials {
                user_name: TEST_USER.into(),
                password: TEST_PASSWORD.into(),
                customer_code: TEST_CUSTOMER_CODE.into(),
            },
        }
    }
}

impl fmt::Debug for OrderCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrderCredentials({}, ***)", self.user_name)
    }
}

impl fmt::Debug for QueryCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "QueryCredentials({}, ***, {})",
            self.user_name, self.customer_code
        )
    }
}

/// Per-operation deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// `SetOrder`.
    pub create: Duration,
    /// `GetQueryJSON` / `GetOrderWithIntegrationCode`.
    pub query: Duration,
    /// `CancelDispatch`.
    pub cancel: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            create: Duration::from_secs(20),
            query: Duration::from_secs(10),
            cancel: Duration::from_secs(15),
        }
    }
}

/// Everything the connector needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArasConfig {
    /// Full URL of the order (ASMX) service.
    pub order_url: String,
    /// Full URL of the query (WCF) service.
    pub query_url: String,
    /// Accounts by KargoJet account id (the platform's, sellers' own).
    pub accounts: BTreeMap<AccountId, ArasAccount>,
    /// Deadlines.
    pub timeouts: Timeouts,
}

impl ArasConfig {
    /// One account at the given service URLs.
    pub fn new(
        order_url: impl Into<String>,
        query_url: impl Into<String>,
        account: AccountId,
        creds: ArasAccount,
    ) -> Self {
        ArasConfig {
            order_url: order_url.into(),
            query_url: query_url.into(),
            accounts: BTreeMap::from([(account, creds)]),
            timeouts: Timeouts::default(),
        }
    }

    /// The carrier's test environment with its published test account as the platform account.
    pub fn carrier_test() -> Self {
        ArasConfig::new(
            format!("{TEST_HOST}{}", crate::wire::ORDER_PATH),
            format!("{TEST_HOST}/ArasCargoIntegrationService.svc"),
            AccountId::platform(),
            ArasAccount::sandbox(),
        )
    }

    /// Checks URLs and that every credential is filled in.
    pub fn validate(&self) -> Result<()> {
        for (field, url) in [
            ("order_url", &self.order_url),
            ("query_url", &self.query_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    field,
                    format!("'{url}' is not an http(s) URL"),
                ));
            }
        }
        if self.accounts.is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "accounts",
                "at least one account is needed",
            ));
        }
        for (id, a) in &self.accounts {
            let fields = [
                ("order.user_name", &a.order.user_name),
                ("order.password", &a.order.password),
                ("query.user_name", &a.query.user_name),
                ("query.password", &a.query.password),
                ("query.customer_code", &a.query.customer_code),
            ];
            for (name, v) in fields {
                if v.trim().is_empty() {
                    return Err(Error::invalid(
                        Code::RequestInvalidConfig,
                        format!("accounts[{id}].{name}"),
                        "must not be empty",
                    ));
                }
            }
        }
        Ok(())
    }

    /// The account's credentials, or `request.invalid_config` naming the account.
    pub fn account(&self, id: &AccountId) -> Result<&ArasAccount> {
        self.accounts.get(id).ok_or_else(|| {
            Error::invalid(
                Code::RequestInvalidConfig,
                "account",
                format!("no Aras credentials for account '{id}'"),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_passwords_and_validation_names_fields() {
        let c = ArasConfig::carrier_test();
        assert!(c.validate().is_ok());
        assert!(!format!("{c:?}").contains(TEST_PASSWORD));
        let mut bad = c.clone();
        if let Some(a) = bad.accounts.get_mut(&AccountId::platform()) {
            a.query.customer_code.clear();
        }
        assert_eq!(
            bad.validate()
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .as_deref(),
            Some("accounts[platform].query.customer_code")
        );
        assert_eq!(
            c.account(&AccountId::seller("x", "y"))
                .err()
                .map(|e| e.code()),
            Some(Code::RequestInvalidConfig)
        );
    }
}
