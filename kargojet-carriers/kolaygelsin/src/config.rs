//! Connector configuration: what Kolay Gelsin hands over at onboarding (a static bearer token,
//! the customer number `CustomerId` and the sender address id `AddressId`), the contract
//! options (package type, paying party, cash on delivery), endpoints and timeouts.

use kargojet_carrier_common::http::HttpConfig;
use kargojet_core::error::{Code, Error, Result};
use std::fmt;

/// Production host (the PHP library's production URL).
pub const PROD_URL: &str = "https://api.kolaygelsin.com";
/// Test host of the library and the swagger document.
pub const TEST_URL: &str = "https://apiintg.klyglsn.com";
/// Test host named by the carrier's integration document (differs from [`TEST_URL`]).
pub const TEST_URL_DOC: &str = "https://apibeta.klyglsn.com";
/// The path every method hangs under: `{base}/api/request/{Method}`.
pub const API_PREFIX: &str = "/api/request/";

/// `PackageType`: what is carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PackageType {
    /// `1` — dosya (documents).
    Document,
    /// `2` — koli (parcels).
    #[default]
    Parcel,
}

impl PackageType {
    /// The wire value.
    pub fn wire(self) -> i64 {
        match self {
            PackageType::Document => 1,
            PackageType::Parcel => 2,
        }
    }
}

/// `PayingParty` / `PayerTypeId`: who pays the freight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayingParty {
    /// `1` — the sender (the merchant's contract).
    #[default]
    Sender,
    /// `2` — the receiver.
    Receiver,
}

impl PayingParty {
    /// The wire value.
    pub fn wire(self) -> i64 {
        match self {
            PayingParty::Sender => 1,
            PayingParty::Receiver => 2,
        }
    }
}

/// Everything the Kolay Gelsin connector needs.
#[derive(Clone)]
pub struct KolayGelsinConfig {
    /// Base URL ([`PROD_URL`], [`TEST_URL`], [`TEST_URL_DOC`] or a simulator); a trailing
    /// `/api/request` is accepted and dropped.
    pub base_url: String,
    /// The bearer token Kolay Gelsin handed over (no token endpoint exists).
    pub token: String,
    /// `SenderCustomer.CustomerId`: the Kolay Gelsin customer number.
    pub customer_id: i64,
    /// `SenderCustomer.Address.AddressId`: the registered sender (pickup) address.
    pub address_id: i64,
    /// `PackageType` of outbound shipments.
    pub package_type: PackageType,
    /// `PayingParty` of shipments and `PayerTypeId` of returns.
    pub paying_party: PayingParty,
    /// `SenderBrand`, when the merchant prints a brand.
    pub sender_brand: Option<String>,
    /// The contract allows tahsilatlı kargo (`SenderInvoiceAmount`); otherwise a COD request is
    /// refused before sending (Kolay Gelsin would answer `Tahsilatlı kargo yapılamaz.`).
    pub cod_allowed: bool,
    /// `Recipient.SaveOutOfCoverage`: register receivers outside the courier area too.
    pub save_out_of_coverage: bool,
    /// HTTP timeouts and retries.
    pub http: HttpConfig,
}

impl fmt::Debug for KolayGelsinConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KolayGelsinConfig")
            .field("base_url", &self.base_url)
            .field("token", &"***")
            .field("customer_id", &self.customer_id)
            .field("address_id", &self.address_id)
            .field("package_type", &self.package_type)
            .field("cod_allowed", &self.cod_allowed)
            .finish_non_exhaustive()
    }
}

fn invalid(field: &str, detail: &str) -> Error {
    Error::invalid(Code::RequestInvalidConfig, field, detail)
}

impl KolayGelsinConfig {
    /// Checks every value the carrier needs.
    pub fn validate(&self) -> Result<()> {
        let base = self.base_url.trim();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(invalid("kolaygelsin.base_url", "must be an http(s) URL"));
        }
        let t = self.token.trim();
        if t.is_empty() {
            return Err(invalid("kolaygelsin.token", "must not be empty"));
        }
        if t.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid(
                "kolaygelsin.token",
                "must not contain spaces or control characters",
            ));
        }
        if self.customer_id <= 0 {
            return Err(invalid(
                "kolaygelsin.customer_id",
                "must be the positive CustomerId Kolay Gelsin issued",
            ));
        }
        if self.address_id <= 0 {
            return Err(invalid(
                "kolaygelsin.address_id",
                "must be the positive AddressId Kolay Gelsin issued",
            ));
        }
        if self
            .sender_brand
            .as_deref()
            .is_some_and(|b| b.trim().is_empty())
        {
            return Err(invalid(
                "kolaygelsin.sender_brand",
                "must not be empty when given",
            ));
        }
        Ok(())
    }

    /// The URL of `method`: `{base}/api/request/{method}`.
    pub fn url(&self, method: &str) -> String {
        let base = self.base_url.trim().trim_end_matches('/');
        let base = base.strip_suffix("/api/request").unwrap_or(base);
        format!("{base}{API_PREFIX}{method}")
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The notes' example account (CustomerId 20, AddressId 28).
    pub(crate) fn example() -> KolayGelsinConfig {
        KolayGelsinConfig {
            base_url: TEST_URL.into(),
            token: "eyJ0eXAiOiJKV1QiLCJhbGciOi...".into(),
            customer_id: 20,
            address_id: 28,
            package_type: PackageType::Parcel,
            paying_party: PayingParty::Sender,
            sender_brand: None,
            cod_allowed: true,
            save_out_of_coverage: false,
            http: HttpConfig::default(),
        }
    }

    #[test]
    fn validation_names_the_field_and_hides_the_token() {
        let ok = example();
        assert!(ok.validate().is_ok());
        assert!(!format!("{ok:?}").contains("eyJ0"));
        for (f, field) in [
            (
                (|c: &mut KolayGelsinConfig| c.token = " ".into()) as fn(&mut KolayGelsinConfig),
                "kolaygelsin.token",
            ),
            (|c| c.token = "a b".into(), "kolaygelsin.token"),
            (|c| c.customer_id = 0, "kolaygelsin.customer_id"),
            (|c| c.address_id = -1, "kolaygelsin.address_id"),
            (|c| c.base_url = "ftp://x".into(), "kolaygelsin.base_url"),
            (
                |c| c.sender_brand = Some(String::new()),
                "kolaygelsin.sender_brand",
            ),
        ] {
            let mut bad = example();
            f(&mut bad);
            let e = bad.validate().err();
            assert_eq!(
                e.as_ref().map(|e| e.code()),
                Some(Code::RequestInvalidConfig)
            );
            assert_eq!(e.as_ref().and_then(|e| e.field()), Some(field));
        }
    }

    #[test]
    fn urls_take_the_method_under_api_request() {
        let mut c = example();
        assert_eq!(
            c.url("SaveIntegrationShipmentV2"),
            "https://apiintg.klyglsn.com/api/request/SaveIntegrationShipmentV2"
        );
        c.base_url = "https://apibeta.klyglsn.com/api/request/".into();
        assert_eq!(
            c.url("CancelPickupAndDelivery"),
            "https://apibeta.klyglsn.com/api/request/CancelPickupAndDelivery"
        );
        assert_eq!(PackageType::Document.wire(), 1);
        assert_eq!(PayingParty::Receiver.wire(), 2);
    }
}
