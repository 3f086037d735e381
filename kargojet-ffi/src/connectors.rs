//! Carrier connectors from a [`CarrierConfig`]: the carrier's own credential names as string
//! keys (documented per carrier below), an optional base URL, and the account they belong to.
//!
//! | carrier | required keys | optional keys | base URL |
//! |---|---|---|---|
//! | `yurtici` | `user_name`, `password` (sender-pays user) | `cod_cash_user_name`/`cod_cash_password`, `cod_card_user_name`/`cod_card_password`, `receiver_pays_user_name`/`receiver_pays_password` | required (the `ShippingOrderDispatcherServices` endpoint) |
//! | `aras` | `user_name`, `password`, `customer_code` | `query_user_name`, `query_password` (default: the order user) | required (host of both services) |
//! | `ptt` | `musteri_id`, `sifre`, `tracking_kullanici`, `tracking_sifre`, `barcode_first`, `barcode_last` | `kullanici` (default `PttWs`), `cod_account` | default production host |
//! | `surat` | `cari_kodu`, `sifre`, `web_sifre` | `cod_cari_kodu`, `cod_sifre`, `cod_web_sifre` | default production |
//! | `hepsijet` | `username`, `password`, `company_name`, `company_code`, `xdock_code`, `warehouse_address_id`, `warehouse_city`, `warehouse_town`, `warehouse_district`, `warehouse_line` | `apikey` | default production |
//! | `sendeo` | `username`, `password` | — | default production |
//! | `mng_dhl_ecommerce` | `client_id`, `client_secret`, `customer_number`, `password` | — | default production |
//! | `kolay_gelsin` | `token`, `customer_id`, `address_id` | `sender_brand`, `cod_allowed` (`true`/`false`, default `true`) | default production |
//!
//! Secrets are never logged or echoed: errors name the missing key only.

use crate::error::KargoJetError;
use kargojet::carrier::{AccountId, Carrier, CarrierId};
use kargojet::error::Code;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// One carrier account: its credentials, or `sandbox` for the in-process simulator.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct CarrierConfig {
    /// Carrier id (`yurtici`, `aras`, `ptt`, `surat`, `hepsijet`, `sendeo`, `mng`,
    /// `kolay_gelsin`).
    pub carrier: String,
    /// Use the carrier's simulator, started in-process on 127.0.0.1 (no credentials needed).
    #[uniffi(default)]
    pub sandbox: bool,
    /// The seller's own account name, for an own agreement (`None`: the platform's account).
    #[uniffi(default)]
    pub account_name: Option<String>,
    /// Base URL of the carrier's service (see the table in the module docs).
    #[uniffi(default)]
    pub base_url: Option<String>,
    /// The carrier's credentials by key (see the table in the module docs).
    #[uniffi(default)]
    pub credentials: HashMap<String, String>,
}

impl CarrierConfig {
    /// The KargoJet account this connector acts for.
    pub fn account(&self, company: &str) -> AccountId {
        match self
            .account_name
            .as_deref()
            .filter(|a| !a.trim().is_empty())
        {
            Some(name) => AccountId::seller(company, name.trim()),
            None => AccountId::platform(),
        }
    }
}

struct Keys<'a> {
    carrier: &'a str,
    map: &'a HashMap<String, String>,
}

impl<'a> Keys<'a> {
    fn get(&self, key: &str) -> Option<&'a str> {
        self.map
            .get(key)
            .map(|s| s.as_str())
            .filter(|s| !s.trim().is_empty())
    }

    fn need(&self, key: &str) -> Result<String, KargoJetError> {
        self.get(key).map(str::to_string).ok_or_else(|| {
            KargoJetError::invalid(
                Code::RequestInvalidConfig,
                &format!("carriers.{}.credentials.{key}", self.carrier),
                "is required",
            )
        })
    }

    fn opt(&self, key: &str) -> Option<String> {
        self.get(key).map(str::to_string)
    }
}

fn need_url(config: &CarrierConfig) -> Result<String, KargoJetError> {
    config
        .base_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .ok_or_else(|| {
            KargoJetError::invalid(
                Code::RequestInvalidConfig,
                &format!("carriers.{}.base_url", config.carrier),
                "is required for this carrier",
            )
        })
}

/// A connector for real credentials (not the sandbox); `company` owns a seller account.
pub fn connector(config: &CarrierConfig, company: &str) -> Result<Arc<dyn Carrier>, KargoJetError> {
    let id = CarrierId::parse(&config.carrier);
    let keys = Keys {
        carrier: id.as_str(),
        map: &config.credentials,
    };
    let url = config
        .base_url
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty());
    let c: Arc<dyn Carrier> = match id {
        CarrierId::Yurtici => {
            use kargojet::yurtici::config::{Credentials, Users, YurticiConfig};
            let pair = |prefix: &str| -> Result<Option<Credentials>, KargoJetError> {
                match keys.opt(&format!("{prefix}user_name")) {
                    Some(user) => Ok(Some(Credentials::new(
                        user,
                        keys.need(&format!("{prefix}password"))?,
                    ))),
                    None => Ok(None),
                }
            };
            let users = Users {
                sender_pays: Some(Credentials::new(
                    keys.need("user_name")?,
                    keys.need("password")?,
                )),
                receiver_pays: pair("receiver_pays_")?,
                cod_cash: pair("cod_cash_")?,
                cod_card: pair("cod_card_")?,
            };
            let mut cfg = YurticiConfig::new(need_url(config)?, Users::default());
            cfg.accounts.clear();
            cfg.accounts.insert(config.account(company), users);
            Arc::new(kargojet::yurtici::Yurtici::new(cfg)?)
        }
        CarrierId::Aras => {
            use kargojet::aras::config::{
                ArasAccount, ArasConfig, OrderCredentials, QueryCredentials,
            };
            let host = need_url(config)?;
            let host = host.trim_end_matches('/');
            let user = keys.need("user_name")?;
            let password = keys.need("password")?;
            let account = ArasAccount {
                order: OrderCredentials {
                    user_name: user.clone(),
                    password: password.clone(),
                },
                query: QueryCredentials {
                    user_name: keys.opt("query_user_name").unwrap_or(user),
                    password: keys.opt("query_password").unwrap_or(password),
                    customer_code: keys.need("customer_code")?,
                },
            };
            let cfg = ArasConfig::new(
                format!("{host}{}", kargojet::aras::wire::ORDER_PATH),
                format!("{host}{}", kargojet::aras::wire::QUERY_PATH),
                config.account(company),
                account,
            );
            Arc::new(kargojet::aras::Aras::new(cfg)?)
        }
        CarrierId::Ptt => {
            use kargojet::ptt::barcode::BarcodeRange;
            use kargojet::ptt::config::{
                AcceptanceCredentials, DEFAULT_USER, PRODUCTION_HOST, PttConfig,
                TrackingCredentials,
            };
            let musteri_id = keys
                .need("musteri_id")?
                .trim()
                .parse::<i32>()
                .map_err(|_| {
                    KargoJetError::invalid(
                        Code::RequestInvalidConfig,
                        "carriers.ptt.credentials.musteri_id",
                        "must be a number",
                    )
                })?;
            let range = BarcodeRange::from_barcodes(
                &keys.need("barcode_first")?,
                &keys.need("barcode_last")?,
            )?;
            let mut cfg = PttConfig::with_host(
                url.unwrap_or(PRODUCTION_HOST),
                AcceptanceCredentials {
                    kullanici: keys.opt("kullanici").unwrap_or_else(|| DEFAULT_USER.into()),
                    musteri_id,
                    sifre: keys.need("sifre")?,
                },
                TrackingCredentials {
                    kullanici: keys.need("tracking_kullanici")?,
                    sifre: keys.need("tracking_sifre")?,
                },
                range,
            );
            cfg.cod_account = keys.opt("cod_account");
            Arc::new(kargojet::ptt::Ptt::new(cfg)?)
        }
        CarrierId::Surat => {
            use kargojet::surat::config::{SuratAccount, SuratConfig};
            let mut cfg = SuratConfig::production(SuratAccount::new(
                keys.need("cari_kodu")?,
                keys.need("sifre")?,
                keys.need("web_sifre")?,
            ));
            if let Some(cari) = keys.opt("cod_cari_kodu") {
                cfg.cod_account = Some(SuratAccount::new(
                    cari,
                    keys.need("cod_sifre")?,
                    keys.need("cod_web_sifre")?,
                ));
            }
            if let Some(u) = url {
                cfg = cfg.with_base_url(u);
            }
            Arc::new(kargojet::surat::Surat::new(cfg)?)
        }
        CarrierId::Hepsijet => {
            use kargojet::hepsijet::config::{DeliveryType, HepsijetConfig, PROD_URL, Warehouse};
            let cfg = HepsijetConfig {
                base_url: url.unwrap_or(PROD_URL).to_string(),
                username: keys.need("username")?,
                password: keys.need("password")?,
                apikey: keys.opt("apikey"),
                company_name: keys.need("company_name")?,
                company_code: keys.need("company_code")?,
                xdock_code: keys.need("xdock_code")?,
                warehouse: Warehouse {
                    address_id: keys.need("warehouse_address_id")?,
                    city: keys.need("warehouse_city")?,
                    town: keys.need("warehouse_town")?,
                    district: keys.need("warehouse_district")?,
                    line: keys.need("warehouse_line")?,
                },
                delivery_type: DeliveryType::default(),
                express_slot: 1,
                http: Default::default(),
                token_refresh_early: std::time::Duration::from_secs(5 * 60),
            };
            Arc::new(kargojet::hepsijet::Hepsijet::new(cfg)?)
        }
        CarrierId::Sendeo => {
            use kargojet::sendeo::config::{PROD_URL, SendeoConfig};
            let cfg = SendeoConfig::new(
                url.unwrap_or(PROD_URL),
                &keys.need("username")?,
                &keys.need("password")?,
            );
            Arc::new(kargojet::sendeo::Sendeo::new(cfg)?)
        }
        CarrierId::Mng => {
            use kargojet::mng::config::{MngConfig, PROD_URL};
            let cfg = MngConfig::new(
                url.unwrap_or(PROD_URL),
                keys.need("client_id")?,
                keys.need("client_secret")?,
                keys.need("customer_number")?,
                keys.need("password")?,
            );
            Arc::new(kargojet::mng::Mng::new(cfg)?)
        }
        CarrierId::KolayGelsin => {
            use kargojet::kolaygelsin::config::{KolayGelsinConfig, PROD_URL};
            let number = |key: &str| -> Result<i64, KargoJetError> {
                keys.need(key)?.trim().parse::<i64>().map_err(|_| {
                    KargoJetError::invalid(
                        Code::RequestInvalidConfig,
                        &format!("carriers.kolay_gelsin.credentials.{key}"),
                        "must be a number",
                    )
                })
            };
            let cfg = KolayGelsinConfig {
                base_url: url.unwrap_or(PROD_URL).to_string(),
                token: keys.need("token")?,
                customer_id: number("customer_id")?,
                address_id: number("address_id")?,
                package_type: Default::default(),
                paying_party: Default::default(),
                sender_brand: keys.opt("sender_brand"),
                cod_allowed: keys.opt("cod_allowed").is_none_or(|v| v.trim() != "false"),
                save_out_of_coverage: false,
                http: Default::default(),
            };
            Arc::new(kargojet::kolaygelsin::KolayGelsin::new(cfg)?)
        }
        other => {
            return Err(KargoJetError::invalid(
                Code::RequestUnknownCarrier,
                "carriers.carrier",
                format!("no connector for '{other}' in this build"),
            ));
        }
    };
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(carrier: &str, pairs: &[(&str, &str)], url: Option<&str>) -> CarrierConfig {
        CarrierConfig {
            carrier: carrier.into(),
            base_url: url.map(str::to_string),
            credentials: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn every_carrier_builds_from_its_credentials() {
        let cases = [
            cfg(
                "yurtici",
                &[("user_name", "YKTEST"), ("password", "YK")],
                Some("https://example.invalid/ws"),
            ),
            cfg(
                "aras",
                &[
                    ("user_name", "neodyum"),
                    ("password", "nd2580"),
                    ("customer_code", "1932448851342"),
                ],
                Some("https://example.invalid"),
            ),
            cfg(
                "ptt",
                &[
                    ("musteri_id", "904403245"),
                    ("sifre", "s"),
                    ("tracking_kullanici", "904403245"),
                    ("tracking_sifre", "t"),
                    ("barcode_first", "2791727900008"),
                    ("barcode_last", "2791727900015"),
                ],
                None,
            ),
            cfg(
                "surat",
                &[
                    ("cari_kodu", "1038106246"),
                    ("sifre", "123456"),
                    ("web_sifre", "w"),
                ],
                None,
            ),
            cfg(
                "hepsijet",
                &[
                    ("username", "u"),
                    ("password", "p"),
                    ("company_name", "Acme"),
                    ("company_code", "ACME"),
                    ("xdock_code", "X1"),
                    ("warehouse_address_id", "ACME-1"),
                    ("warehouse_city", "İstanbul"),
                    ("warehouse_town", "Kadıköy"),
                    ("warehouse_district", "Moda"),
                    ("warehouse_line", "Moda Cad. 1"),
                ],
                None,
            ),
            cfg(
                "sendeo",
                &[("username", "TEST"), ("password", "TesT.43e54")],
                None,
            ),
            cfg(
                "mng",
                &[
                    ("client_id", "c"),
                    ("client_secret", "s"),
                    ("customer_number", "123"),
                    ("password", "p"),
                ],
                None,
            ),
            cfg(
                "kolay_gelsin",
                &[
                    ("token", "t0k3n"),
                    ("customer_id", "1001"),
                    ("address_id", "2002"),
                ],
                None,
            ),
        ];
        for c in &cases {
            let built = connector(c, "acme");
            assert!(built.is_ok(), "{}: {:?}", c.carrier, built.err());
            assert_eq!(
                built.ok().map(|b| b.id()),
                Some(CarrierId::parse(&c.carrier))
            );
        }
    }

    #[test]
    fn a_missing_key_is_named_and_no_secret_is_echoed() {
        let e = connector(&cfg("sendeo", &[("username", "TEST")], None), "acme")
            .err()
            .map(|e| e.info());
        assert_eq!(
            e.as_ref().and_then(|e| e.field.as_deref()),
            Some("carriers.sendeo.credentials.password")
        );
        let e = connector(
            &cfg(
                "yurtici",
                &[("user_name", "u"), ("password", "gizli")],
                None,
            ),
            "acme",
        )
        .err()
        .map(|e| e.info());
        assert_eq!(
            e.as_ref().and_then(|e| e.field.as_deref()),
            Some("carriers.yurtici.base_url")
        );
        assert!(!e.is_some_and(|e| e.message_en.contains("gizli")));
        let e = connector(&cfg("kargo_yok", &[], None), "acme")
            .err()
            .map(|e| e.info());
        assert_eq!(
            e.map(|e| e.code),
            Some("request.unknown_carrier".to_string())
        );
    }
}
