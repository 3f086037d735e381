//! Connector configuration: the credential shapes HepsiJET issues (user name + password for the
//! Basic-auth token call, an optional `apikey`), the account values (company name and code,
//! serving hub, registered warehouse address), endpoints and timeouts.

use kargojet_carrier_common::http::HttpConfig;
use kargojet_core::error::{Code, Error, Result};
use std::fmt;
use std::time::Duration;

/// Production base URL.
pub const PROD_URL: &str = "https://integration.hepsijet.com";
/// Test base URL.
pub const TEST_URL: &str = "https://integration-apitest.hepsijet.com";
/// Token lifetime HepsiJET documents.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// The warehouse address registered with HepsiJET (`companyAddressId` must match exactly).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warehouse {
    /// `companyAddressId` (prefixed with the company code).
    pub address_id: String,
    /// İl, as registered.
    pub city: String,
    /// İlçe, as registered.
    pub town: String,
    /// Mahalle, as registered.
    pub district: String,
    /// Address line, as registered.
    pub line: String,
}

/// `deliveryType` of outbound shipments.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeliveryType {
    /// `RETAIL`: the merchant's own sales.
    #[default]
    Retail,
    /// `MARKET_PLACE`: marketplace sellers.
    MarketPlace,
}

impl DeliveryType {
    /// The wire value.
    pub fn wire(self) -> &'static str {
        match self {
            DeliveryType::Retail => "RETAIL",
            DeliveryType::MarketPlace => "MARKET_PLACE",
        }
    }
}

/// Everything the HepsiJET connector needs.
#[derive(Clone)]
pub struct HepsijetConfig {
    /// Base URL ([`PROD_URL`], [`TEST_URL`] or a simulator).
    pub base_url: String,
    /// Integration user name (Basic auth of `/auth/getToken`).
    pub username: String,
    /// Integration password.
    pub password: String,
    /// `apikey` header some accounts are given.
    pub apikey: Option<String>,
    /// `company.name` issued by HepsiJET.
    pub company_name: String,
    /// `company.abbreviationCode`: company code and barcode prefix.
    pub company_code: String,
    /// `currentXDock.abbreviationCode`: the hub serving the merchant.
    pub xdock_code: String,
    /// The registered warehouse (sender of outbound, recipient of returns).
    pub warehouse: Warehouse,
    /// `deliveryType` of outbound shipments.
    pub delivery_type: DeliveryType,
    /// Slot (`1`..`3`) used for same-day/next-day products (standard always uses `0`).
    pub express_slot: u8,
    /// HTTP timeouts and retries.
    pub http: HttpConfig,
    /// Refresh the token this long before its 60 minutes run out.
    pub token_refresh_early: Duration,
}

impl fmt::Debug for HepsijetConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HepsijetConfig")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"***")
            .field("apikey", &self.apikey.as_ref().map(|_| "***"))
            .field("company_code", &self.company_code)
            .field("xdock_code", &self.xdock_code)
            .finish_non_exhaustive()
    }
}

fn need(value: &str, field: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalidConfig,
            field,
            "must not be empty",
        ));
    }
    Ok(())
}

impl HepsijetConfig {
    /// Checks every value the carrier needs.
    pub fn validate(&self) -> Result<()> {
        need(&self.base_url, "hepsijet.base_url")?;
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "hepsijet.base_url",
                "must be an http(s) URL",
            ));
        }
        need(&self.username, "hepsijet.username")?;
        need(&self.password, "hepsijet.password")?;
        need(&self.company_name, "hepsijet.company_name")?;
        need(&self.xdock_code, "hepsijet.xdock_code")?;
        let code = &self.company_code;
        if code.is_empty()
            || code.len() > 8
            || !code
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "hepsijet.company_code",
                "must be 1–8 uppercase letters/digits",
            ));
        }
        need(&self.warehouse.address_id, "hepsijet.warehouse.address_id")?;
        need(&self.warehouse.city, "hepsijet.warehouse.city")?;
        need(&self.warehouse.town, "hepsijet.warehouse.town")?;
        need(&self.warehouse.district, "hepsijet.warehouse.district")?;
        need(&self.warehouse.line, "hepsijet.warehouse.line")?;
        if !(1..=3).contains(&self.express_slot) {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "hepsijet.express_slot",
                "must be 1, 2 or 3",
            ));
        }
        if self.token_refresh_early >= TOKEN_LIFETIME {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "hepsijet.token_refresh_early",
                "must be shorter than 60 minutes",
            ));
        }
        Ok(())
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url.trim_end_matches('/'), path)
    }

    /// The credential set a token belongs to (service and integration user): connectors with
    /// the same key share one token through [`TokenCaches`](kargojet_carrier_common::token::TokenCaches).
    pub fn credential_key(&self) -> String {
        format!("{}|{}", self.base_url.trim_end_matches('/'), self.username)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The notes' example account.
    pub(crate) fn example() -> HepsijetConfig {
        HepsijetConfig {
            base_url: TEST_URL.into(),
            username: "kargojet_int".into(),
            password: "pass".into(),
            apikey: None,
            company_name: "KARGOJET TEST".into(),
            company_code: "KRJ".into(),
            xdock_code: "IST".into(),
            warehouse: Warehouse {
                address_id: "KRJ-WH-1".into(),
                city: "İstanbul".into(),
                town: "Tuzla".into(),
                district: "Aydınlı".into(),
                line: "Depo Sk. No:1".into(),
            },
            delivery_type: DeliveryType::Retail,
            express_slot: 1,
            http: HttpConfig::default(),
            token_refresh_early: Duration::from_secs(300),
        }
    }

    #[test]
    fn validation_names_the_field_and_hides_secrets() {
        let ok = example();
        assert!(ok.validate().is_ok());
        let mut bad = example();
        bad.company_code = "krj".into();
        assert_eq!(
            bad.validate()
                .err()
                .and_then(|e| e.field().map(String::from))
                .as_deref(),
            Some("hepsijet.company_code")
        );
        let mut bad = example();
        bad.password.clear();
        assert_eq!(
            bad.validate().err().map(|e| e.code()),
            Some(Code::RequestInvalidConfig)
        );
        assert!(!format!("{ok:?}").contains("pass\""));
        assert_eq!(
            ok.url("/auth/getToken"),
            "https://integration-apitest.hepsijet.com/auth/getToken"
        );
    }
}
