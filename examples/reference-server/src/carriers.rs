//! Connectors for sellers' own carrier accounts: which credential fields each carrier needs
//! ([`credential_fields`]) and a connector built from them ([`connector_for`]), pointed at the
//! sandbox simulator of that carrier — in-process, or in `kargojet-sim` (its endpoints; the
//! seller's credentials, which the simulator checks like the carrier would).
//!
//! PTT numbers parcels from the seller's own barcode range: the connector draws barcodes from
//! the account's allocator in [`PttBarcodes`], one per account and range for the life of the
//! process (rebuilt connectors keep drawing from it), created to continue after the highest
//! barcode already used (the server's stored shipments and attempts in flight), so neither a
//! restart nor a rebuild offers a barcode twice.

use crate::sandbox::SandboxRuntime;
use kargojet::carrier::{AccountId, Carrier, CarrierId};
use kargojet::error::{Code, Error, Result};
use kargojet::ptt::{BarcodeRange, InMemoryBarcodeAllocator};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// A credential field: its name and whether it is required.
pub type Field = (&'static str, bool);

/// The credential fields of a carrier's own accounts, or `None` when own accounts of that
/// carrier are not supported here.
pub fn credential_fields(carrier: &CarrierId) -> Option<&'static [Field]> {
    Some(match carrier {
        CarrierId::Yurtici => &[
            ("user_name", true),
            ("password", true),
            ("cod_cash_user_name", false),
            ("cod_cash_password", false),
            ("cod_card_user_name", false),
            ("cod_card_password", false),
        ],
        CarrierId::Aras => &[
            ("order_user_name", true),
            ("order_password", true),
            ("query_user_name", true),
            ("query_password", true),
            ("customer_code", true),
        ],
        CarrierId::Ptt => &[
            ("kullanici", true),
            ("musteri_id", true),
            ("sifre", true),
            ("tracking_kullanici", true),
            ("tracking_sifre", true),
            ("barcode_first", true),
            ("barcode_last", true),
        ],
        CarrierId::Surat => &[("cari_kodu", true), ("sifre", true), ("web_sifre", true)],
        CarrierId::Hepsijet => &[
            ("username", true),
            ("password", true),
            ("company_code", false),
            ("xdock_code", false),
        ],
        CarrierId::Sendeo => &[("username", true), ("password", true)],
        CarrierId::KolayGelsin => &[("token", true), ("customer_id", true), ("address_id", true)],
        CarrierId::Mng => &[
            ("client_id", true),
            ("client_secret", true),
            ("customer_number", true),
            ("password", true),
        ],
        _ => return None,
    })
}

/// Checks `creds` against the carrier's fields: every required one present and non-empty, no
/// unknown one. Errors name `credentials.<field>`.
pub fn check_credentials(carrier: &CarrierId, creds: &BTreeMap<String, String>) -> Result<()> {
    let fields = credential_fields(carrier).ok_or_else(|| {
        Error::invalid(
            Code::RequestUnknownCarrier,
            "carrier",
            format!("own accounts of {carrier} are not supported"),
        )
    })?;
    for (name, value) in creds {
        if !fields.iter().any(|(f, _)| f == name) {
            return Err(Error::invalid(
                Code::RequestUnknownField,
                format!("credentials.{name}"),
                format!(
                    "{carrier} accounts take {}",
                    fields
                        .iter()
                        .map(|(f, _)| *f)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if value.trim().is_empty() || value.len() > 500 {
            return Err(Error::invalid(
                Code::RequestInvalid,
                format!("credentials.{name}"),
                "must have 1–500 characters",
            ));
        }
    }
    for (name, required) in fields {
        if *required && !creds.contains_key(*name) {
            return Err(Error::invalid(
                Code::RequestMissingField,
                format!("credentials.{name}"),
                format!("{carrier} accounts need it"),
            ));
        }
    }
    Ok(())
}

fn get<'a>(creds: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str> {
    creds.get(name).map(String::as_str).ok_or_else(|| {
        Error::invalid(
            Code::RequestMissingField,
            format!("credentials.{name}"),
            "missing",
        )
    })
}

fn number<T: std::str::FromStr>(creds: &BTreeMap<String, String>, name: &str) -> Result<T> {
    get(creds, name)?.trim().parse().map_err(|_| {
        Error::invalid(
            Code::RequestInvalidValue,
            format!("credentials.{name}"),
            "must be a number",
        )
    })
}

/// The barcode range of a PTT account's credentials (`barcode_first` … `barcode_last`).
pub fn ptt_barcode_range(creds: &BTreeMap<String, String>) -> Result<BarcodeRange> {
    BarcodeRange::from_barcodes(get(creds, "barcode_first")?, get(creds, "barcode_last")?).map_err(
        |e| {
            Error::invalid(
                Code::RequestInvalidValue,
                "credentials.barcode_first",
                e.to_string(),
            )
        },
    )
}

/// The first and last barcode of `range` as text: every barcode of the range lies between
/// them in text order (13 digits each), the bounds for [`crate::store::ShipmentQuery::used_merchant_keys`].
pub fn ptt_bounds(range: BarcodeRange) -> Result<(String, String)> {
    let text = |serial| {
        kargojet::ptt::barcode::barcode(serial)
            .ok_or_else(|| Error::internal("PTT barcode serial has more than 12 digits"))
    };
    Ok((text(range.first)?, text(range.last)?))
}

/// The barcode allocators of sellers' PTT accounts, one per account and range for the life of
/// the process: connectors rebuilt after an account change keep drawing from the same one, so
/// requests in flight on the previous connectors and new ones never get the same barcode.
#[derive(Debug, Default)]
pub struct PttBarcodes {
    allocators: Mutex<HashMap<(AccountId, u64, u64), Arc<InMemoryBarcodeAllocator>>>,
}

impl PttBarcodes {
    /// No allocator yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether `account` has an allocator for `range` (then what it has used need not be read).
    pub fn has(&self, account: &AccountId, range: BarcodeRange) -> bool {
        self.lock()
            .contains_key(&(account.clone(), range.first, range.last))
    }

    /// The allocator of `account` for `range`; a new one continues after the highest barcode of
    /// the range among `issued` (barcodes used before: stored shipments, attempts in flight).
    pub fn allocator<'a>(
        &self,
        account: &AccountId,
        range: BarcodeRange,
        issued: impl IntoIterator<Item = &'a str>,
    ) -> Arc<InMemoryBarcodeAllocator> {
        self.lock()
            .entry((account.clone(), range.first, range.last))
            .or_insert_with(|| Arc::new(InMemoryBarcodeAllocator::after_issued(range, issued)))
            .clone()
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<(AccountId, u64, u64), Arc<InMemoryBarcodeAllocator>>>
    {
        self.allocators.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A connector for `account` of `carrier` with the seller's `creds`. A PTT connector draws its
/// barcodes from the account's allocator in `barcodes`, which continues after `issued` (the
/// barcodes the account's range already used) when it is new.
pub fn connector_for(
    rt: &SandboxRuntime,
    carrier: &CarrierId,
    account: &AccountId,
    creds: &BTreeMap<String, String>,
    barcodes: &PttBarcodes,
    issued: &[String],
) -> Result<Arc<dyn Carrier>> {
    check_credentials(carrier, creds)?;
    let url = rt.base_url(carrier)?;
    Ok(match carrier {
        CarrierId::Yurtici => {
            use kargojet::yurtici::config::{Credentials, Users};
            let pair = |u: &str, p: &str| match (creds.get(u), creds.get(p)) {
                (Some(u), Some(p)) => Some(Credentials::new(u.clone(), p.clone())),
                _ => None,
            };
            let users = Users {
                sender_pays: pair("user_name", "password"),
                receiver_pays: None,
                cod_cash: pair("cod_cash_user_name", "cod_cash_password"),
                cod_card: pair("cod_card_user_name", "cod_card_password"),
            };
            let mut cfg = kargojet::yurtici::sim::connector_config_for(&url, rt.clock());
            cfg.accounts = BTreeMap::from([(account.clone(), users)]);
            Arc::new(kargojet::yurtici::Yurtici::new(cfg)?)
        }
        CarrierId::Aras => {
            use kargojet::aras::config::{ArasAccount, OrderCredentials, QueryCredentials};
            let mut cfg = kargojet::aras::sim::connector_config_for(&url);
            cfg.accounts = BTreeMap::from([(
                account.clone(),
                ArasAccount {
                    order: OrderCredentials {
                        user_name: get(creds, "order_user_name")?.into(),
                        password: get(creds, "order_password")?.into(),
                    },
                    query: QueryCredentials {
                        user_name: get(creds, "query_user_name")?.into(),
                        password: get(creds, "query_password")?.into(),
                        customer_code: get(creds, "customer_code")?.into(),
                    },
                },
            )]);
            Arc::new(kargojet::aras::Aras::new(cfg)?)
        }
        CarrierId::Ptt => {
            use kargojet::ptt::{AcceptanceCredentials, PttConfig, TrackingCredentials};
            let base = kargojet::ptt::sim::connector_config_for(&url);
            let range = ptt_barcode_range(creds)?;
            let mut cfg = PttConfig::with_host(
                &url,
                AcceptanceCredentials {
                    kullanici: get(creds, "kullanici")?.into(),
                    musteri_id: number(creds, "musteri_id")?,
                    sifre: get(creds, "sifre")?.into(),
                },
                TrackingCredentials {
                    kullanici: get(creds, "tracking_kullanici")?.into(),
                    sifre: get(creds, "tracking_sifre")?.into(),
                },
                range,
            );
            cfg.acceptance_url = base.acceptance_url;
            cfg.tracking_url = base.tracking_url;
            let allocator = barcodes.allocator(account, range, issued.iter().map(String::as_str));
            // The default HTTP policy, as `Ptt::new` uses.
            Arc::new(kargojet::ptt::Ptt::with_parts(
                cfg,
                Default::default(),
                allocator,
            )?)
        }
        CarrierId::Surat => {
            let mut cfg = kargojet::surat::sim::connector_config_for(&url);
            cfg.account = kargojet::surat::SuratAccount {
                cari_kodu: get(creds, "cari_kodu")?.into(),
                sifre: get(creds, "sifre")?.into(),
                web_sifre: get(creds, "web_sifre")?.into(),
            };
            cfg.cod_account = None;
            Arc::new(kargojet::surat::Surat::new(cfg)?)
        }
        CarrierId::Hepsijet => {
            let mut cfg = kargojet::hepsijet::sim::connector_config_for(&url);
            cfg.username = get(creds, "username")?.into();
            cfg.password = get(creds, "password")?.into();
            if let Some(c) = creds.get("company_code") {
                cfg.company_code = c.clone();
            }
            if let Some(x) = creds.get("xdock_code") {
                cfg.xdock_code = x.clone();
            }
            Arc::new(kargojet::hepsijet::Hepsijet::new(cfg)?)
        }
        CarrierId::Sendeo => {
            let mut cfg = kargojet::sendeo::sim::connector_config_for(&url);
            cfg.username = get(creds, "username")?.into();
            cfg.password = get(creds, "password")?.into();
            Arc::new(kargojet::sendeo::Sendeo::new(cfg)?)
        }
        CarrierId::KolayGelsin => {
            let mut cfg = kargojet::kolaygelsin::sim::connector_config_for(&url);
            cfg.token = get(creds, "token")?.into();
            cfg.customer_id = number(creds, "customer_id")?;
            cfg.address_id = number(creds, "address_id")?;
            Arc::new(kargojet::kolaygelsin::KolayGelsin::new(cfg)?)
        }
        CarrierId::Mng => {
            let mut cfg = kargojet::mng::sim::connector_config_for(&url);
            cfg.client_id = get(creds, "client_id")?.into();
            cfg.client_secret = get(creds, "client_secret")?.into();
            cfg.customer_number = get(creds, "customer_number")?.into();
            cfg.password = get(creds, "password")?.into();
            Arc::new(kargojet::mng::Mng::new(cfg)?)
        }
        other => {
            return Err(Error::invalid(
                Code::RequestUnknownCarrier,
                "carrier",
                format!("own accounts of {other} are not supported"),
            ));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet::ptt::barcode::barcode;
    use kargojet::shipment::MerchantKey;

    fn ptt_creds(first: u64, last: u64) -> BTreeMap<String, String> {
        let mut c = BTreeMap::new();
        for (k, v) in [
            ("kullanici", "PttWs"),
            ("musteri_id", "703000000"),
            ("sifre", "s3cret"),
            ("tracking_kullanici", "703000000"),
            ("tracking_sifre", "s3cret"),
        ] {
            c.insert(k.to_string(), v.to_string());
        }
        c.insert("barcode_first".into(), barcode(first).unwrap_or_default());
        c.insert("barcode_last".into(), barcode(last).unwrap_or_default());
        c
    }

    async fn next_barcode(c: &Arc<dyn Carrier>) -> String {
        match c
            .assign_merchant_key(MerchantKey("KJ-PROPOSED".into()))
            .await
        {
            Ok(k) => k.0,
            Err(e) => panic!("no barcode: {e}"),
        }
    }

    #[tokio::test]
    async fn ptt_connectors_continue_after_the_barcodes_used() {
        let rt = match SandboxRuntime::start() {
            Ok(rt) => rt,
            Err(e) => panic!("sandbox: {e}"),
        };
        const FIRST: u64 = 279_172_795_000;
        let creds = ptt_creds(FIRST, FIRST + 9);
        let demo = AccountId::seller("demo", "main");
        let book = PttBarcodes::new();
        let b = |n: u64| barcode(FIRST + n).unwrap_or_default();
        // Used before (a restart: read from the database): the highest of the range counts;
        // keys of other ranges and non-barcodes are ignored.
        let issued = vec![
            b(3),
            b(1),
            "KJ-0123456789".to_string(),
            barcode(FIRST + 500).unwrap_or_default(),
        ];
        let build = |account: &AccountId, issued: &[String]| match connector_for(
            &rt,
            &CarrierId::Ptt,
            account,
            &creds,
            &book,
            issued,
        ) {
            Ok(c) => c,
            Err(e) => panic!("connector: {e}"),
        };
        let first = build(&demo, &issued);
        assert_eq!(next_barcode(&first).await, b(4));
        // A rebuilt connector (an account changed) draws from the same allocator: it neither
        // starts over nor repeats what the previous one handed out.
        let rebuilt = build(&demo, &[]);
        assert_eq!(next_barcode(&rebuilt).await, b(5));
        assert_eq!(next_barcode(&first).await, b(6));
        // Another account has its own allocator; nothing used: the range's first barcode.
        let acme = build(&AccountId::seller("acme", "main"), &[]);
        assert_eq!(next_barcode(&acme).await, b(0));
        // The range is used up after its last barcode.
        let full = build(&AccountId::seller("full", "main"), &[b(9)]);
        let e = full
            .assign_merchant_key(MerchantKey("KJ-PROPOSED".into()))
            .await
            .err();
        assert_eq!(e.map(|e| e.code()), Some(Code::RequestInvalidConfig));
    }

    #[test]
    fn credentials_are_checked_by_field() {
        let mut c = BTreeMap::new();
        c.insert("username".to_string(), "TEST".to_string());
        let e = check_credentials(&CarrierId::Sendeo, &c).err();
        assert_eq!(
            e.as_ref().and_then(|e| e.field()),
            Some("credentials.password")
        );
        c.insert("password".to_string(), "x".to_string());
        assert!(check_credentials(&CarrierId::Sendeo, &c).is_ok());
        c.insert("pin".to_string(), "1".to_string());
        let e = check_credentials(&CarrierId::Sendeo, &c).err();
        assert_eq!(e.map(|e| e.code()), Some(Code::RequestUnknownField));
        assert!(check_credentials(&CarrierId::Custom("x".into()), &BTreeMap::new()).is_err());
    }
}
