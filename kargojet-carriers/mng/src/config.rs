//! Connector configuration: the ApiZone application keys (`X-IBM-Client-Id` / `-Secret`), the
//! customer login of `POST /token`, account defaults of the create body, the optional legacy
//! SOAP login for future returns, endpoints and timeouts.

use crate::wire;
use kargojet_carrier_common::http::HttpConfig;
use kargojet_core::error::{Code, Error, Result};
use std::fmt;
use std::time::Duration;

/// Production API base (ends with `/mngapi/api`).
pub const PROD_URL: &str = "https://api.mngkargo.com.tr/mngapi/api";
/// Test (sandbox) API base.
pub const TEST_URL: &str = "https://testapi.mngkargo.com.tr/mngapi/api";
/// Production endpoint of the legacy SOAP service.
pub const LEGACY_PROD_URL: &str =
    "http://service.mngkargo.com.tr/musterikargosiparis/musterisiparisnew.asmx";
/// Test endpoint of the legacy SOAP service (as used by a public client).
pub const LEGACY_TEST_URL: &str = "https://service.mngkargo.com.tr/tservis/musterisiparisnew.asmx";

/// `packagingType` of the create body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Packaging {
    /// `1` dosya (documents).
    Dosya,
    /// `2` mi.
    Mi,
    /// `3` paket.
    #[default]
    Paket,
    /// `4` koli.
    Koli,
}

impl Packaging {
    /// The wire value.
    pub fn wire(self) -> u8 {
        match self {
            Packaging::Dosya => 1,
            Packaging::Mi => 2,
            Packaging::Paket => 3,
            Packaging::Koli => 4,
        }
    }
}

/// `paymentType` of the create body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Payer {
    /// `1`: the sender (the merchant's account) pays.
    #[default]
    Sender,
    /// `2`: the receiver pays.
    Receiver,
}

impl Payer {
    /// The wire value.
    pub fn wire(self) -> u8 {
        match self {
            Payer::Sender => 1,
            Payer::Receiver => 2,
        }
    }
}

/// The login of the legacy `MusteriSiparisNew` service (future return orders).
#[derive(Clone, PartialEq, Eq)]
pub struct LegacyConfig {
    /// Full endpoint URL ([`LEGACY_PROD_URL`], [`LEGACY_TEST_URL`] or a simulator).
    pub url: String,
    /// `pKullaniciAdi`: the MNG customer number (digits only).
    pub username: String,
    /// `pSifre`.
    pub password: String,
    /// `pOdemeSekli` of return orders ([`wire::PAY_RECEIVER`]: the merchant pays).
    pub return_payment: &'static str,
}

impl fmt::Debug for LegacyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LegacyConfig")
            .field("url", &self.url)
            .field("username", &self.username)
            .field("password", &"***")
            .finish_non_exhaustive()
    }
}

/// Everything the MNG connector needs.
#[derive(Clone)]
pub struct MngConfig {
    /// API base ending with `/mngapi/api` ([`PROD_URL`], [`TEST_URL`] or a simulator).
    pub base_url: String,
    /// `X-IBM-Client-Id` of the ApiZone application.
    pub client_id: String,
    /// `X-IBM-Client-Secret`.
    pub client_secret: String,
    /// `x-api-version`, when the account needs one.
    pub api_version: Option<String>,
    /// `customerNumber` of `POST /token` (Online Şube customer number).
    pub customer_number: String,
    /// `password` of `POST /token` (the API sub-user's password).
    pub password: String,
    /// `packagingType` of outbound orders.
    pub packaging: Packaging,
    /// `paymentType` of outbound orders.
    pub payer: Payer,
    /// Legacy SOAP login; `None` disables returns.
    pub legacy: Option<LegacyConfig>,
    /// HTTP timeouts and retries.
    pub http: HttpConfig,
    /// Refresh the JWT this long before its `jwtExpireDate`.
    pub token_refresh_early: Duration,
    /// Lifetime assumed for a JWT whose `jwtExpireDate` is missing or unreadable.
    pub token_fallback_lifetime: Duration,
    /// How long the CBS city/district codes are cached.
    pub cbs_cache_ttl: Duration,
}

impl fmt::Debug for MngConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MngConfig")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("customer_number", &self.customer_number)
            .field("password", &"***")
            .field("legacy", &self.legacy)
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

fn http_url(value: &str, field: &str) -> Result<()> {
    need(value, field)?;
    if !(value.starts_with("http://") || value.starts_with("https://")) {
        return Err(Error::invalid(
            Code::RequestInvalidConfig,
            field,
            "must be an http(s) URL",
        ));
    }
    Ok(())
}

impl MngConfig {
    /// The account defaults (paket, sender pays), no legacy login, default HTTP settings.
    pub fn new(
        base_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        customer_number: impl Into<String>,
        password: impl Into<String>,
    ) -> Self {
        MngConfig {
            base_url: base_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            api_version: None,
            customer_number: customer_number.into(),
            password: password.into(),
            packaging: Packaging::default(),
            payer: Payer::default(),
            legacy: None,
            http: HttpConfig::default(),
            token_refresh_early: Duration::from_secs(300),
            token_fallback_lifetime: Duration::from_secs(3600),
            cbs_cache_ttl: Duration::from_secs(24 * 3600),
        }
    }

    /// Checks every value the carrier needs.
    pub fn validate(&self) -> Result<()> {
        http_url(&self.base_url, "mng.base_url")?;
        need(&self.client_id, "mng.client_id")?;
        need(&self.client_secret, "mng.client_secret")?;
        need(&self.customer_number, "mng.customer_number")?;
        need(&self.password, "mng.password")?;
        if self.token_fallback_lifetime <= self.token_refresh_early {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "mng.token_fallback_lifetime",
                "must be longer than token_refresh_early",
            ));
        }
        if let Some(l) = &self.legacy {
            http_url(&l.url, "mng.legacy.url")?;
            if l.username.is_empty() || !l.username.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    "mng.legacy.username",
                    "the MNG customer number, digits only",
                ));
            }
            need(&l.password, "mng.legacy.password")?;
            if ![wire::PAY_SENDER, wire::PAY_RECEIVER, wire::PAY_PLATFORM]
                .contains(&l.return_payment)
            {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    "mng.legacy.return_payment",
                    "Gonderici_Odeyecek, Alici_Odeyecek or Platform_Odeyecek",
                ));
            }
        }
        Ok(())
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url.trim_end_matches('/'), path)
    }

    /// The key of this credential set in a shared token cache.
    pub fn credential_key(&self) -> String {
        format!(
            "{}|{}|{}",
            self.base_url.trim_end_matches('/'),
            self.client_id,
            self.customer_number
        )
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The notes' example account.
    pub(crate) fn example() -> MngConfig {
        let mut c = MngConfig::new(
            TEST_URL,
            "3f1c-client",
            "Qw8-secret",
            "123456789",
            "ApiUser!23",
        );
        c.legacy = Some(LegacyConfig {
            url: LEGACY_TEST_URL.into(),
            username: "1234567890".into(),
            password: "ABCDEF123".into(),
            return_payment: wire::PAY_RECEIVER,
        });
        c
    }

    #[test]
    fn validation_names_the_field_and_hides_secrets() {
        let ok = example();
        assert!(ok.validate().is_ok());
        let field = |c: &MngConfig| c.validate().err().and_then(|e| e.field().map(String::from));
        let mut bad = example();
        bad.client_secret = " ".into();
        assert_eq!(field(&bad).as_deref(), Some("mng.client_secret"));
        let mut bad = example();
        bad.base_url = "testapi.mngkargo.com.tr".into();
        assert_eq!(field(&bad).as_deref(), Some("mng.base_url"));
        let mut bad = example();
        if let Some(l) = bad.legacy.as_mut() {
            l.username = "MNG123".into();
        }
        assert_eq!(field(&bad).as_deref(), Some("mng.legacy.username"));
        let mut bad = example();
        bad.token_fallback_lifetime = Duration::from_secs(10);
        assert_eq!(
            bad.validate().err().map(|e| e.code()),
            Some(Code::RequestInvalidConfig)
        );
        let shown = format!("{ok:?}");
        assert!(!shown.contains("Qw8-secret") && !shown.contains("ApiUser!23"));
        assert!(!shown.contains("ABCDEF123"));
        assert_eq!(
            ok.url(wire::PATH_TOKEN),
            "https://testapi.mngkargo.com.tr/mngapi/api/token"
        );
        assert_eq!(Packaging::Koli.wire(), 4);
        assert_eq!(Payer::Receiver.wire(), 2);
    }
}
