//! Connector configuration: Sürat's three credentials per account (cari kodu, cari şifre, web
//! servis şifresi), an optional separate COD account, endpoints and timeouts.

use kargojet_carrier_common::http::HttpConfig;
use kargojet_core::error::{Code, Error, Result};
use std::fmt;
use std::time::Duration;

/// Production SOAP service.
pub const PROD_SOAP_URL: &str = "https://webservices.suratkargo.com.tr/services.asmx";
/// Test ("prova") SOAP service.
pub const TEST_SOAP_URL: &str = "https://prova.suratkargo.com.tr/services.asmx";
/// Production REST tracking.
pub const PROD_TRACKING_URL: &str = "https://api01.suratkargo.com.tr/api/KargoTakipHareketDetayi";
/// Test REST tracking.
pub const TEST_TRACKING_URL: &str = "https://api02.suratkargo.com.tr/api/KargoTakipHareketDetayi";

/// One Sürat account (a "cari").
#[derive(Clone, PartialEq, Eq)]
pub struct SuratAccount {
    /// Cari kodu (10-digit customer code): `KullaniciAdi` / `cariKodu` / `CariKodu`.
    pub cari_kodu: String,
    /// Cari şifre (`Sifre`): create and `GonderiGeriCek`.
    pub sifre: String,
    /// Web servis şifresi (`WebPassword`, set on the e-Sürat portal): label and tracking.
    pub web_sifre: String,
}

impl SuratAccount {
    /// An account from its three credentials.
    pub fn new(
        cari_kodu: impl Into<String>,
        sifre: impl Into<String>,
        web_sifre: impl Into<String>,
    ) -> Self {
        SuratAccount {
            cari_kodu: cari_kodu.into(),
            sifre: sifre.into(),
            web_sifre: web_sifre.into(),
        }
    }

    fn validate(&self, field: &str) -> Result<()> {
        if self.cari_kodu.trim().is_empty()
            || !self.cari_kodu.trim().bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                format!("{field}.cari_kodu"),
                "the cari kodu must be digits",
            ));
        }
        if self.sifre.is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                format!("{field}.sifre"),
                "the cari şifre is empty",
            ));
        }
        if self.web_sifre.is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                format!("{field}.web_sifre"),
                "the web servis şifresi is empty",
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for SuratAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SuratAccount({}, sifre: ***, web_sifre: ***)",
            self.cari_kodu
        )
    }
}

/// How tracking is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrackingTransport {
    /// `POST /api/KargoTakipHareketDetayi?CariKodu=…&Sifre=<web şifre>&WebSiparisKodu=…`.
    #[default]
    Rest,
    /// The SOAP `KargoTakipHareketDetayi` call (JSON inside the string result).
    Soap,
}

/// The connector's configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuratConfig {
    /// The account used for every shipment without COD (and for COD when no COD account is set).
    pub account: SuratAccount,
    /// A separate cari for cash-on-delivery shipments, when Sürat gave one.
    pub cod_account: Option<SuratAccount>,
    /// SOAP service URL (`…/services.asmx`).
    pub soap_url: String,
    /// REST tracking URL (`…/api/KargoTakipHareketDetayi`).
    pub tracking_url: String,
    /// REST or SOAP tracking.
    pub tracking: TrackingTransport,
    /// The account is authorized to get a carrier barcode at creation
    /// (`GonderiyiKargoyaGonderYeniSiparisBarkodOlustur`: Sürat's number and a ZPL label at
    /// once); otherwise the pre-acceptance `GonderiyiKargoyaGonderYeni` is used.
    pub barcode_at_creation: bool,
    /// `IptalNeden` sent with `GonderiGeriCek` (required by Sürat).
    pub cancel_reason: String,
    /// HTTP client settings (retries apply to tracking and labels only).
    pub http: HttpConfig,
    /// Deadline of a create call.
    pub create_timeout: Duration,
    /// Deadline of one tracking/label/cancel attempt.
    pub query_timeout: Duration,
}

impl SuratConfig {
    /// Production endpoints for `account`.
    pub fn production(account: SuratAccount) -> Self {
        SuratConfig {
            account,
            cod_account: None,
            soap_url: PROD_SOAP_URL.into(),
            tracking_url: PROD_TRACKING_URL.into(),
            tracking: TrackingTransport::Rest,
            barcode_at_creation: false,
            cancel_reason: "Gönderici iptal etti".into(),
            http: HttpConfig::default(),
            create_timeout: Duration::from_secs(30),
            query_timeout: Duration::from_secs(15),
        }
    }

    /// Sürat's published test ("prova") endpoints and test accounts (cari `1038106246`, COD
    /// cari `1038106247`).
    pub fn test() -> Self {
        SuratConfig {
            cod_account: Some(SuratAccount::new("1038106247", "1234567", "123456.Ff")),
            soap_url: TEST_SOAP_URL.into(),
            tracking_url: TEST_TRACKING_URL.into(),
            ..SuratConfig::production(SuratAccount::new("1038106246", "123456", "123456.Ff"))
        }
    }

    /// Points both services at one base URL (`http://127.0.0.1:port`), as the simulator serves
    /// them.
    pub fn with_base_url(mut self, base: &str) -> Self {
        let base = base.trim_end_matches('/');
        self.soap_url = format!("{base}{}", crate::wire::SOAP_PATH);
        self.tracking_url = format!("{base}{}", crate::wire::REST_TRACK_PATH);
        self
    }

    /// Checks the credentials and URLs.
    pub fn validate(&self) -> Result<()> {
        self.account.validate("account")?;
        if let Some(cod) = &self.cod_account {
            cod.validate("cod_account")?;
        }
        for (field, url) in [
            ("soap_url", &self.soap_url),
            ("tracking_url", &self.tracking_url),
        ] {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    field,
                    format!("'{url}' is not an http(s) URL"),
                ));
            }
        }
        if self.cancel_reason.trim().is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "cancel_reason",
                "IptalNeden is required by Sürat",
            ));
        }
        Ok(())
    }

    /// The account a shipment is created with: the COD account for COD shipments when one is
    /// configured.
    pub fn account_for(&self, cod: bool) -> &SuratAccount {
        match (&self.cod_account, cod) {
            (Some(c), true) => c,
            _ => &self.account,
        }
    }

    /// The account whose cari kodu is `cari` (as stored in the shipment's references), else the
    /// main account.
    pub fn account_by_cari(&self, cari: Option<&str>) -> &SuratAccount {
        match (cari, &self.cod_account) {
            (Some(c), Some(cod)) if cod.cari_kodu == c => cod,
            _ => &self.account,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_config_is_valid_and_picks_the_cod_account() {
        let c = SuratConfig::test();
        assert!(c.validate().is_ok());
        assert_eq!(c.account_for(true).cari_kodu, "1038106247");
        assert_eq!(c.account_for(false).cari_kodu, "1038106246");
        assert_eq!(
            c.account_by_cari(Some("1038106247")).cari_kodu,
            "1038106247"
        );
        assert_eq!(c.account_by_cari(None).cari_kodu, "1038106246");
        assert!(!format!("{:?}", c.account).contains("123456"));
    }

    #[test]
    fn bad_configs_name_the_field() {
        let mut c = SuratConfig::test();
        c.account.cari_kodu = "abc".into();
        assert_eq!(
            c.validate()
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .as_deref(),
            Some("account.cari_kodu")
        );
        let mut c = SuratConfig::test();
        c.soap_url = "ftp://x".into();
        assert_eq!(
            c.validate().err().map(|e| e.code()),
            Some(Code::RequestInvalidConfig)
        );
    }
}
