//! Connector configuration: the API user Sendeo issues (`musteri` + `sifre` for
//! `/api/Token/LoginAES`), the label type asked for at creation, the service type, endpoints,
//! timeouts and the token timings.

use kargojet_carrier_common::http::HttpConfig;
use kargojet_core::error::{Code, Error, Result};
use std::fmt;
use std::time::Duration;

/// Production base URL (the shared `TEST` account lives on the same host).
pub const PROD_URL: &str = "https://api.sendeo.com.tr";
/// Development base URL one public client lists.
pub const DEV_URL: &str = "https://api-dev.sendeo.com.tr";
/// Token lifetime Sendeo documents ("Token expire süremiz 20 saattir").
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(20 * 60 * 60);

/// How the label comes back from `SETDELIVERY` / `GETBARCODE` (`BarcodeLabelType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LabelType {
    /// ZPL: `2` (one `BarcodeZpl`) for one parcel, `3` (one `BarcodeZpls` entry per parcel)
    /// for several.
    #[default]
    Zpl,
    /// `1`: a Base64 document (`Barcode`), decoded as received (PDF or image).
    Base64,
}

impl LabelType {
    /// The `BarcodeLabelType` value for a shipment of `parcels` parcels.
    pub fn wire(self, parcels: usize) -> i64 {
        match self {
            LabelType::Zpl if parcels > 1 => 3,
            LabelType::Zpl => 2,
            LabelType::Base64 => 1,
        }
    }
}

/// Everything the Sendeo connector needs.
#[derive(Clone)]
pub struct SendeoConfig {
    /// Base URL ([`PROD_URL`], [`DEV_URL`] or a simulator).
    pub base_url: String,
    /// API user (`musteri`), created on `sube.sendeo.com.tr` with user type "API".
    pub username: String,
    /// Its password (`sifre`).
    pub password: String,
    /// Label type asked for at creation.
    pub label: LabelType,
    /// `ServiceType`: `1` standard (the documented default), `2` express.
    pub service_type: u8,
    /// HTTP timeouts and retries.
    pub http: HttpConfig,
    /// Refresh the token this long before its 20 hours run out.
    pub token_refresh_early: Duration,
    /// After Sendeo refuses the credentials, no new login is tried for this long (repeated bad
    /// logins block the user); every call meanwhile gets the refusal.
    pub login_failure_hold: Duration,
}

impl fmt::Debug for SendeoConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendeoConfig")
            .field("base_url", &self.base_url)
            .field("username", &self.username)
            .field("password", &"***")
            .field("label", &self.label)
            .field("service_type", &self.service_type)
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

impl SendeoConfig {
    /// A configuration for `base_url` and the API user, with the documented defaults.
    pub fn new(base_url: &str, username: &str, password: &str) -> SendeoConfig {
        SendeoConfig {
            base_url: base_url.into(),
            username: username.into(),
            password: password.into(),
            label: LabelType::default(),
            service_type: 1,
            http: HttpConfig::default(),
            token_refresh_early: Duration::from_secs(30 * 60),
            login_failure_hold: Duration::from_secs(15 * 60),
        }
    }

    /// Checks every value the carrier needs.
    pub fn validate(&self) -> Result<()> {
        need(&self.base_url, "sendeo.base_url")?;
        if !(self.base_url.starts_with("http://") || self.base_url.starts_with("https://")) {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "sendeo.base_url",
                "must be an http(s) URL",
            ));
        }
        need(&self.username, "sendeo.username")?;
        need(&self.password, "sendeo.password")?;
        if !(1..=2).contains(&self.service_type) {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "sendeo.service_type",
                "must be 1 (standard) or 2 (express)",
            ));
        }
        if self.token_refresh_early >= TOKEN_LIFETIME {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "sendeo.token_refresh_early",
                "must be shorter than 20 hours",
            ));
        }
        Ok(())
    }

    /// `base_url` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url.trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_the_field_and_hides_secrets() {
        let ok = SendeoConfig::new(PROD_URL, "TEST", "secret-pass");
        assert!(ok.validate().is_ok());
        assert!(!format!("{ok:?}").contains("secret-pass"));
        let mut bad = ok.clone();
        bad.password = " ".into();
        assert_eq!(
            bad.validate()
                .err()
                .and_then(|e| e.field().map(String::from))
                .as_deref(),
            Some("sendeo.password")
        );
        let mut bad = ok.clone();
        bad.service_type = 3;
        assert_eq!(
            bad.validate().err().map(|e| e.code()),
            Some(Code::RequestInvalidConfig)
        );
        let mut bad = ok.clone();
        bad.base_url = "api.sendeo.com.tr".into();
        assert!(bad.validate().is_err());
        let mut bad = ok.clone();
        bad.token_refresh_early = TOKEN_LIFETIME;
        assert!(bad.validate().is_err());
        assert_eq!(
            ok.url("/api/Token/LoginAES"),
            "https://api.sendeo.com.tr/api/Token/LoginAES"
        );
    }

    #[test]
    fn label_types_follow_the_parcel_count() {
        assert_eq!(LabelType::Zpl.wire(1), 2);
        assert_eq!(LabelType::Zpl.wire(3), 3);
        assert_eq!(LabelType::Base64.wire(3), 1);
    }
}
