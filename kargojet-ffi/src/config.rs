//! The configuration a `KargoJet` is built from — carriers (credentials or `sandbox`), tariffs,
//! agreements, the default policy, the label template and the wallet — as records (also
//! readable from JSON), and its conversion into the domain: tariffs, agreements, fees.

use crate::connectors::CarrierConfig;
use crate::error::KargoJetError;
use crate::input::PolicyInput;
use crate::money::{parse_decimal, parse_money, parse_opt_decimal, parse_opt_money};
use kargojet::error::Code;
use kargojet::label::LabelTemplate;
use kargojet::pricing::{
    self, Agreement, CodFee, CodFeeBand, Discount, Fees, Tariff, TransitTable,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The format of a configuration text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum ConfigFormat {
    /// CSV (`carrier,zone,desi_from,desi_to,price_try[,source]`, the format of
    /// `tariffs-2025.csv`; one tariff per carrier id).
    Csv,
    /// TOML (one tariff, or a label template).
    Toml,
    /// JSON (a label template).
    Json,
}

/// A tariff file or label template as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct ConfigText {
    /// Its format.
    pub format: ConfigFormat,
    /// Its content.
    pub text: String,
}

/// One band of a COD fee table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Record)]
pub struct CodFeeBandConfig {
    /// Inclusive upper bound of the COD amount in lira (`None`: no bound).
    #[serde(default)]
    pub upper: Option<String>,
    /// Fixed fee, lira, VAT-exclusive.
    pub fixed: String,
    /// Percentage of the COD amount added (`"1.1"` for 1.1 %).
    #[serde(default = "zero")]
    pub percent: String,
}

fn zero() -> String {
    "0".into()
}

/// How the cash-on-delivery fee of an agreement is computed (VAT-exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CodFeeConfig {
    /// `max(amount × percent / 100, min)`.
    Percent {
        /// Percentage.
        percent: String,
        /// Minimum fee, lira.
        min: String,
    },
    /// A band table, ascending by upper bound.
    Bands {
        /// The bands.
        bands: Vec<CodFeeBandConfig>,
    },
}

/// An agreement: a tariff sold by the platform with a commission, or the seller's own contract.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct AgreementConfig {
    /// Id of a configured tariff, or of an illustrative one (`yurtici`, `aras`, …).
    pub tariff: String,
    /// Agreement id (default: derived from the kind and tariff).
    #[uniffi(default)]
    pub id: Option<String>,
    /// The seller's own carrier account name: makes this an own agreement of the configured
    /// company, created with that account. `None`: a platform agreement.
    #[uniffi(default)]
    pub own_account: Option<String>,
    /// Commission of a platform agreement, percent (default 10).
    #[uniffi(default)]
    pub commission_percent: Option<String>,
    /// KDV, percent (default 20).
    #[uniffi(default)]
    pub kdv_percent: Option<String>,
    /// COD fee; `None`: the agreement offers no cash on delivery.
    #[uniffi(default)]
    pub cod_fee: Option<CodFeeConfig>,
    /// Largest COD amount, lira.
    #[uniffi(default)]
    pub cod_max: Option<String>,
    /// SMS fee per shipment, lira.
    #[uniffi(default)]
    pub sms_fee: Option<String>,
    /// Insurance, percent of the insured value.
    #[uniffi(default)]
    pub insurance_percent: Option<String>,
    /// Referral or channel discount on the freight, percent.
    #[uniffi(default)]
    pub discount_percent: Option<String>,
    /// What the discount is for (shown on the breakdown).
    #[uniffi(default)]
    pub discount_label: Option<String>,
}

/// The company's wallet: platform-agreement shipments are paid from it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct WalletConfig {
    /// Money paid in when the wallet opens, lira (default none).
    #[uniffi(default)]
    pub opening_balance: Option<String>,
    /// How far below zero the balance may go, lira (default 0).
    #[uniffi(default)]
    pub credit_limit: Option<String>,
}

/// Where transit days (for the fastest policy and for offers) come from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum TransitDaysSource {
    /// The compiled-in table (`transit-days.csv`: partly published, partly illustrative).
    #[default]
    Builtin,
    /// A CSV in the format of `transit-days.csv`.
    Csv {
        /// Its content.
        text: String,
    },
    /// No transit days: offers carry none, and ties in price are broken by carrier id.
    Off,
}

/// Everything a `KargoJet` is built from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct KargoJetConfig {
    /// The company (tenant) requests act for unless they name another.
    pub company: String,
    /// Carrier accounts. `{"carrier": "*", "sandbox": true}` registers every simulator.
    pub carriers: Vec<CarrierConfig>,
    /// Tariffs beside the illustrative ones (a configured id replaces an illustrative one).
    #[uniffi(default)]
    pub tariffs: Vec<ConfigText>,
    /// Agreements.
    #[uniffi(default)]
    pub agreements: Vec<AgreementConfig>,
    /// Add the illustrative platform agreement (10 % commission, illustrative COD fees) of every
    /// carrier: for demos and tests, not real prices.
    #[uniffi(default)]
    pub illustrative_agreements: bool,
    /// The default selection policy.
    #[uniffi(default)]
    pub policy: Option<PolicyInput>,
    /// Transit days (`None`: the compiled-in table).
    #[uniffi(default)]
    pub transit_days: Option<TransitDaysSource>,
    /// The label template of KargoJet's own labels (JSON or TOML).
    #[uniffi(default)]
    pub label_template: Option<ConfigText>,
    /// The company's wallet (`None`: no money moves through KargoJet).
    #[uniffi(default)]
    pub wallet: Option<WalletConfig>,
    /// Prefix of generated merchant keys (default `KJ`).
    #[uniffi(default)]
    pub merchant_key_prefix: Option<String>,
    /// Deadline of live-rate calls, milliseconds (default 2000).
    #[uniffi(default)]
    pub live_rate_deadline_ms: Option<u64>,
    /// Worker threads of the facade's runtime (default: the CPU count, at least 2, at most 8).
    #[uniffi(default)]
    pub worker_threads: Option<u32>,
}

impl KargoJetConfig {
    /// The sandbox: every carrier simulator, the illustrative agreements and a wallet opened
    /// with 100,000 TL for the company `sandbox`.
    pub fn sandbox() -> KargoJetConfig {
        KargoJetConfig {
            company: "sandbox".into(),
            carriers: vec![CarrierConfig {
                carrier: "*".into(),
                sandbox: true,
                ..Default::default()
            }],
            illustrative_agreements: true,
            wallet: Some(WalletConfig {
                opening_balance: Some("100000".into()),
                credit_limit: None,
            }),
            ..Default::default()
        }
    }

    /// Parses a configuration from JSON (the records' field names, snake_case).
    pub fn from_json(text: &str) -> Result<KargoJetConfig, KargoJetError> {
        serde_json::from_str(text).map_err(|e| {
            KargoJetError::invalid(Code::RequestInvalidConfig, "config", format!("{e}"))
        })
    }

    /// The company, checked.
    pub fn company_checked(&self) -> Result<String, KargoJetError> {
        let c = self.company.trim();
        if c.is_empty() || c.len() > 100 {
            return Err(KargoJetError::invalid(
                Code::RequestInvalidConfig,
                "company",
                "must have 1–100 characters",
            ));
        }
        Ok(c.to_string())
    }
}

/// Every tariff by id: the illustrative ones, then the configured ones over them.
pub fn tariffs(config: &KargoJetConfig) -> Result<BTreeMap<String, Arc<Tariff>>, KargoJetError> {
    let mut by_id: BTreeMap<String, Arc<Tariff>> = pricing::illustrative_tariffs()?
        .into_iter()
        .map(|t| (t.id().to_string(), t))
        .collect();
    for (i, source) in config.tariffs.iter().enumerate() {
        let loaded = match source.format {
            ConfigFormat::Csv => Tariff::from_csv(&source.text)?,
            ConfigFormat::Toml => vec![Tariff::from_toml(&source.text)?],
            ConfigFormat::Json => {
                return Err(KargoJetError::invalid(
                    Code::RequestInvalidTariff,
                    &format!("tariffs[{i}].format"),
                    "tariffs are CSV or TOML",
                ));
            }
        };
        for t in loaded {
            by_id.insert(t.id().to_string(), Arc::new(t));
        }
    }
    Ok(by_id)
}

fn cod_fee(c: &CodFeeConfig, field: &str) -> Result<CodFee, KargoJetError> {
    Ok(match c {
        CodFeeConfig::Percent { percent, min } => CodFee::Percent {
            percent: parse_decimal(
                percent,
                &format!("{field}.percent"),
                Code::RequestInvalidAmount,
            )?,
            min: parse_money(min, &format!("{field}.min"))?,
        },
        CodFeeConfig::Bands { bands } => CodFee::Bands(
            bands
                .iter()
                .enumerate()
                .map(|(i, b)| {
                    let f = format!("{field}.bands[{i}]");
                    Ok(CodFeeBand {
                        upper: parse_opt_decimal(
                            b.upper.as_deref(),
                            &format!("{f}.upper"),
                            Code::RequestInvalidAmount,
                        )?,
                        fixed: parse_money(&b.fixed, &format!("{f}.fixed"))?,
                        percent: parse_decimal(
                            &b.percent,
                            &format!("{f}.percent"),
                            Code::RequestInvalidAmount,
                        )?,
                    })
                })
                .collect::<Result<Vec<_>, KargoJetError>>()?,
        ),
    })
}

/// One agreement of the configuration.
pub fn agreement(
    a: &AgreementConfig,
    index: usize,
    company: &str,
    tariffs: &BTreeMap<String, Arc<Tariff>>,
) -> Result<Agreement, KargoJetError> {
    let field = |n: &str| format!("agreements[{index}].{n}");
    let tariff = tariffs.get(a.tariff.trim()).cloned().ok_or_else(|| {
        KargoJetError::invalid(
            Code::RequestInvalidConfig,
            &field("tariff"),
            format!(
                "no tariff '{}' (known: {})",
                a.tariff,
                tariffs.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let pct = |v: &Option<String>, n: &str| {
        parse_opt_decimal(v.as_deref(), &field(n), Code::RequestInvalidAmount)
    };
    let mut b = match a.own_account.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(account) => Agreement::own(company, account.trim(), tariff),
        None => Agreement::platform(tariff),
    };
    if let Some(id) = a.id.as_deref().filter(|s| !s.trim().is_empty()) {
        b = b.id(id.trim());
    }
    if let Some(p) = pct(&a.commission_percent, "commission_percent")? {
        b = b.commission_percent(p);
    }
    if let Some(p) = pct(&a.kdv_percent, "kdv_percent")? {
        b = b.kdv_percent(p);
    }
    b = b.fees(Fees {
        cod: a
            .cod_fee
            .as_ref()
            .map(|c| cod_fee(c, &field("cod_fee")))
            .transpose()?,
        cod_max: parse_opt_money(a.cod_max.as_deref(), &field("cod_max"))?,
        sms: parse_opt_money(a.sms_fee.as_deref(), &field("sms_fee"))?,
        insurance_percent: pct(&a.insurance_percent, "insurance_percent")?,
    });
    if let Some(p) = pct(&a.discount_percent, "discount_percent")? {
        b = b.discount(Discount {
            percent: p,
            label: a
                .discount_label
                .clone()
                .unwrap_or_else(|| "discount".into()),
        });
    }
    Ok(b.build()?)
}

/// Every agreement: the illustrative ones if asked, then the configured ones.
pub fn agreements(
    config: &KargoJetConfig,
    company: &str,
) -> Result<Vec<Arc<Agreement>>, KargoJetError> {
    let tariffs = tariffs(config)?;
    let mut out: Vec<Arc<Agreement>> = Vec::new();
    if config.illustrative_agreements {
        out.extend(
            pricing::illustrative_platform_agreements()?
                .into_iter()
                .map(Arc::new),
        );
    }
    for (i, a) in config.agreements.iter().enumerate() {
        out.push(Arc::new(agreement(a, i, company, &tariffs)?));
    }
    Ok(out)
}

/// The transit-days table.
pub fn transit_table(config: &KargoJetConfig) -> Result<TransitTable, KargoJetError> {
    Ok(match &config.transit_days {
        None | Some(TransitDaysSource::Builtin) => pricing::transit_days()?,
        Some(TransitDaysSource::Csv { text }) => TransitTable::from_csv(text)?,
        Some(TransitDaysSource::Off) => TransitTable::default(),
    })
}

/// The label template, if configured.
pub fn label_template(config: &KargoJetConfig) -> Result<Option<LabelTemplate>, KargoJetError> {
    config
        .label_template
        .as_ref()
        .map(|t| match t.format {
            ConfigFormat::Json => LabelTemplate::from_json(&t.text),
            ConfigFormat::Toml => LabelTemplate::from_toml(&t.text),
            ConfigFormat::Csv => Err(kargojet::Error::invalid(
                Code::LabelInvalidTemplate,
                "label_template.format",
                "a label template is JSON or TOML",
            )),
        })
        .transpose()
        .map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
id = "acme_aras"
carrier = "aras"
step = "0"
[[zone]]
zone = "Van"
extra_per_desi = "4.5"
bands = [ { to = "1", price = "50" }, { to = "5", price = "80" } ]
"#;

    #[test]
    fn a_json_config_builds_own_and_platform_agreements() {
        let json = r#"{
            "company": "acme",
            "carriers": [{"carrier": "*", "sandbox": true}],
            "tariffs": [{"format": "toml", "text": "__TOML__"}],
            "agreements": [
                {"tariff": "acme_aras", "own_account": "sozlesme",
                 "cod_fee": {"kind": "bands", "bands": [
                    {"upper": "250", "fixed": "15"}, {"fixed": "30", "percent": "1"}]}},
                {"tariff": "yurtici", "commission_percent": "12.5",
                 "cod_fee": {"kind": "percent", "percent": "1.5", "min": "15"}}
            ]
        }"#
        .replace("__TOML__", &TOML.replace('\n', "\\n").replace('"', "\\\""));
        let cfg = KargoJetConfig::from_json(&json);
        assert!(cfg.is_ok(), "{:?}", cfg.err());
        let cfg = cfg.unwrap_or_default();
        let a = agreements(&cfg, "acme");
        assert!(a.is_ok(), "{:?}", a.err());
        let a = a.unwrap_or_default();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].kind().id(), "own");
        assert_eq!(a[0].account().as_str(), "seller:acme:sozlesme");
        assert!(a[0].offers_cod());
        assert_eq!(a[1].kind().id(), "platform");
    }

    #[test]
    fn bad_values_name_their_field() {
        let cfg = KargoJetConfig {
            company: "acme".into(),
            agreements: vec![AgreementConfig {
                tariff: "yurtici".into(),
                commission_percent: Some("on".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let e = agreements(&cfg, "acme").err().map(|e| e.info());
        assert_eq!(
            e.and_then(|e| e.field),
            Some("agreements[0].commission_percent".to_string())
        );
        let cfg = KargoJetConfig {
            agreements: vec![AgreementConfig {
                tariff: "yok".into(),
                ..Default::default()
            }],
            ..cfg
        };
        let e = agreements(&cfg, "acme").err().map(|e| e.code().to_string());
        assert_eq!(e.as_deref(), Some("request.invalid_config"));
        assert!(KargoJetConfig::from_json("{\"company\": 3}").is_err());
    }
}
