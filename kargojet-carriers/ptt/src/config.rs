//! Connector configuration with PTT's real credential shapes: the acceptance service's
//! `kullanici` (`PttWs`) + `musteriId` (`xs:int`) + `sifre`, the tracking service's own
//! `kullanici` (the customer number) + `sifre`, and the PTT-allocated barcode range.

use crate::barcode::BarcodeRange;
use kargojet_core::{Code, Error};
use std::fmt;
use std::time::Duration;

/// The user name every documented sample sends to `kabulEkle2`.
pub const DEFAULT_USER: &str = "PttWs";

/// Production host of both services.
pub const PRODUCTION_HOST: &str = "https://pttws.ptt.gov.tr";

/// Credentials of the acceptance service (create, label, delete).
#[derive(Clone, PartialEq, Eq)]
pub struct AcceptanceCredentials {
    /// `kullanici` of `kabulEkle2` (`PttWs` unless PTT says otherwise).
    pub kullanici: String,
    /// `musteriId`, issued by the regional directorate (`xs:int`).
    pub musteri_id: i32,
    /// `sifre`.
    pub sifre: String,
}

impl fmt::Debug for AcceptanceCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "AcceptanceCredentials({}, {}, ***)",
            self.kullanici, self.musteri_id
        )
    }
}

/// Credentials of the tracking service (`gonderiSorgu`): no `musteriId` field; `kullanici` is
/// the customer number.
#[derive(Clone, PartialEq, Eq)]
pub struct TrackingCredentials {
    /// `kullanici`.
    pub kullanici: String,
    /// `sifre`.
    pub sifre: String,
}

impl fmt::Debug for TrackingCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TrackingCredentials({}, ***)", self.kullanici)
    }
}

/// Everything the connector needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PttConfig {
    /// URL of the acceptance service, e.g. `https://pttws.ptt.gov.tr/PttVeriYukleme/services/Sorgu`.
    pub acceptance_url: String,
    /// URL of the tracking service, e.g. `https://pttws.ptt.gov.tr/GonderiTakipV2/services/Sorgu`.
    pub tracking_url: String,
    /// Acceptance credentials.
    pub acceptance: AcceptanceCredentials,
    /// Tracking credentials.
    pub tracking: TrackingCredentials,
    /// The barcode range PTT allocated.
    pub barcode_range: BarcodeRange,
    /// `odemesekli` for freight: `MH` (sender's account) unless the contract says otherwise.
    pub odemesekli: String,
    /// Posta çeki account for COD payouts (`rezerve1`), if the contract has one.
    pub cod_account: Option<String>,
    /// Deadline of `kabulEkle2` (never retried).
    pub create_timeout: Duration,
    /// Deadline of each tracking / label / delete attempt.
    pub query_timeout: Duration,
}

impl PttConfig {
    /// A configuration for the production services.
    pub fn production(
        acceptance: AcceptanceCredentials,
        tracking: TrackingCredentials,
        barcode_range: BarcodeRange,
    ) -> Self {
        PttConfig::with_host(PRODUCTION_HOST, acceptance, tracking, barcode_range)
    }

    /// A configuration for services under `host` (a simulator, a proxy).
    pub fn with_host(
        host: &str,
        acceptance: AcceptanceCredentials,
        tracking: TrackingCredentials,
        barcode_range: BarcodeRange,
    ) -> Self {
        let host = host.trim_end_matches('/');
        PttConfig {
            acceptance_url: format!("{host}{}", crate::wire::PATH_ACCEPTANCE),
            tracking_url: format!("{host}{}", crate::wire::PATH_TRACKING),
            acceptance,
            tracking,
            barcode_range,
            odemesekli: "MH".into(),
            cod_account: None,
            create_timeout: Duration::from_secs(20),
            query_timeout: Duration::from_secs(10),
        }
    }

    /// Checks the values before any call.
    pub fn validate(&self) -> Result<(), Error> {
        for (field, url) in [
            ("acceptance_url", &self.acceptance_url),
            ("tracking_url", &self.tracking_url),
        ] {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    format!("ptt.{field}"),
                    format!("'{url}' is not an http(s) URL"),
                ));
            }
        }
        if self.acceptance.musteri_id <= 0 {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "ptt.acceptance.musteri_id",
                "must be a positive xs:int",
            ));
        }
        for (field, v) in [
            ("acceptance.kullanici", &self.acceptance.kullanici),
            ("acceptance.sifre", &self.acceptance.sifre),
            ("tracking.kullanici", &self.tracking.kullanici),
            ("tracking.sifre", &self.tracking.sifre),
        ] {
            if v.trim().is_empty() {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    format!("ptt.{field}"),
                    "must not be empty",
                ));
            }
        }
        if !matches!(self.odemesekli.as_str(), "MH" | "UA" | "N") {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "ptt.odemesekli",
                format!("'{}' is not MH, UA or N", self.odemesekli),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> PttConfig {
        let range = BarcodeRange {
            first: 279_172_790_000,
            last: 279_172_799_999,
        };
        PttConfig::production(
            AcceptanceCredentials {
                kullanici: DEFAULT_USER.into(),
                musteri_id: 703_000_000,
                sifre: "s".into(),
            },
            TrackingCredentials {
                kullanici: "703000000".into(),
                sifre: "s".into(),
            },
            range,
        )
    }

    #[test]
    fn production_urls_and_validation() {
        let c = cfg();
        assert_eq!(
            c.acceptance_url,
            "https://pttws.ptt.gov.tr/PttVeriYukleme/services/Sorgu"
        );
        assert_eq!(
            c.tracking_url,
            "https://pttws.ptt.gov.tr/GonderiTakipV2/services/Sorgu"
        );
        assert!(c.validate().is_ok());
        let mut bad = c.clone();
        bad.tracking.sifre = " ".into();
        assert_eq!(
            bad.validate()
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .as_deref(),
            Some("ptt.tracking.sifre")
        );
        assert!(!format!("{:?}", c.acceptance).contains("\"s\""));
    }
}
