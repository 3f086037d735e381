//! The configuration a `KargoJet` is built from (`new KargoJet(config)`): carriers with their
//! credentials or `sandbox`, tariffs, agreements, the default policy, the label template and the
//! wallet — camelCase objects mirroring the facade's records. `KargoJet.fromJson` takes the
//! facade's snake_case JSON instead.

use crate::input::PolicyInput;
use kargojet_ffi as ffi;
use napi_derive::napi;
use std::collections::HashMap;

/// One carrier account: its credentials, or `sandbox` for the in-process simulator.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct CarrierConfig {
    /// Carrier id (`yurtici`, `aras`, `ptt`, `surat`, `hepsijet`, `sendeo`, `mng`), or `*` with
    /// `sandbox` for every simulator.
    pub carrier: String,
    /// Use the carrier's simulator, started in-process on 127.0.0.1 (no credentials needed).
    pub sandbox: Option<bool>,
    /// The seller's own account name, for an own agreement (default: the platform's account).
    pub account_name: Option<String>,
    /// Base URL of the carrier's service.
    pub base_url: Option<String>,
    /// The carrier's credentials by the carrier's own key names (`user_name`, `password`, …).
    pub credentials: Option<HashMap<String, String>>,
}

impl From<CarrierConfig> for ffi::CarrierConfig {
    fn from(c: CarrierConfig) -> Self {
        ffi::CarrierConfig {
            carrier: c.carrier,
            sandbox: c.sandbox.unwrap_or(false),
            account_name: c.account_name,
            base_url: c.base_url,
            credentials: c.credentials.unwrap_or_default(),
        }
    }
}

/// The format of a configuration text.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    /// CSV (`carrier,zone,desi_from,desi_to,price_try[,source]`; one tariff per carrier id).
    Csv,
    /// TOML (one tariff, or a label template).
    Toml,
    /// JSON (a label template).
    Json,
}

/// A tariff file or label template as text.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone)]
pub struct ConfigText {
    /// Its format.
    pub format: ConfigFormat,
    /// Its content.
    pub text: String,
}

impl From<ConfigText> for ffi::ConfigText {
    fn from(t: ConfigText) -> Self {
        ffi::ConfigText {
            format: match t.format {
                ConfigFormat::Csv => ffi::ConfigFormat::Csv,
                ConfigFormat::Toml => ffi::ConfigFormat::Toml,
                ConfigFormat::Json => ffi::ConfigFormat::Json,
            },
            text: t.text,
        }
    }
}

/// One band of a COD fee table.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone)]
pub struct CodFeeBandConfig {
    /// Inclusive upper bound of the COD amount in lira (none: no bound).
    pub upper: Option<String>,
    /// Fixed fee, lira, VAT-exclusive.
    pub fixed: String,
    /// Percentage of the COD amount added (`"1.1"` for 1.1 %; default 0).
    pub percent: Option<String>,
}

/// How the cash-on-delivery fee of an agreement is computed (VAT-exclusive):
/// `{ kind: 'percent', percent: '1.5', min: '15' }` or `{ kind: 'bands', bands: [...] }`.
#[napi(
    discriminant = "kind",
    discriminant_case = "snake_case",
    object_to_js = false
)]
#[derive(Debug, Clone)]
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

impl From<CodFeeConfig> for ffi::CodFeeConfig {
    fn from(c: CodFeeConfig) -> Self {
        match c {
            CodFeeConfig::Percent { percent, min } => ffi::CodFeeConfig::Percent { percent, min },
            CodFeeConfig::Bands { bands } => ffi::CodFeeConfig::Bands {
                bands: bands
                    .into_iter()
                    .map(|b| ffi::CodFeeBandConfig {
                        upper: b.upper,
                        fixed: b.fixed,
                        percent: b.percent.unwrap_or_else(|| "0".into()),
                    })
                    .collect(),
            },
        }
    }
}

/// An agreement: a tariff sold by the platform with a commission, or the seller's own contract.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct AgreementConfig {
    /// Id of a configured tariff, or of an illustrative one (`yurtici`, `aras`, …).
    pub tariff: String,
    /// Agreement id (default: derived from the kind and tariff).
    pub id: Option<String>,
    /// The seller's own carrier account name: makes this an own agreement of the configured
    /// company, created with that account (none: a platform agreement).
    pub own_account: Option<String>,
    /// Commission of a platform agreement, percent (default 10).
    pub commission_percent: Option<String>,
    /// KDV, percent (default 20).
    pub kdv_percent: Option<String>,
    /// COD fee (none: the agreement offers no cash on delivery).
    pub cod_fee: Option<CodFeeConfig>,
    /// Largest COD amount, lira.
    pub cod_max: Option<String>,
    /// SMS fee per shipment, lira.
    pub sms_fee: Option<String>,
    /// Insurance, percent of the insured value.
    pub insurance_percent: Option<String>,
    /// Referral or channel discount on the freight, percent.
    pub discount_percent: Option<String>,
    /// What the discount is for (shown on the breakdown).
    pub discount_label: Option<String>,
}

impl From<AgreementConfig> for ffi::AgreementConfig {
    fn from(a: AgreementConfig) -> Self {
        ffi::AgreementConfig {
            tariff: a.tariff,
            id: a.id,
            own_account: a.own_account,
            commission_percent: a.commission_percent,
            kdv_percent: a.kdv_percent,
            cod_fee: a.cod_fee.map(Into::into),
            cod_max: a.cod_max,
            sms_fee: a.sms_fee,
            insurance_percent: a.insurance_percent,
            discount_percent: a.discount_percent,
            discount_label: a.discount_label,
        }
    }
}

/// Where transit days (for the fastest policy and for offers) come from:
/// `{ kind: 'builtin' }`, `{ kind: 'csv', text }` or `{ kind: 'off' }`.
#[napi(
    discriminant = "kind",
    discriminant_case = "snake_case",
    object_to_js = false
)]
#[derive(Debug, Clone)]
pub enum TransitDaysSource {
    /// The compiled-in table (partly published, partly illustrative).
    Builtin,
    /// A CSV in the format of `transit-days.csv`.
    Csv {
        /// Its content.
        text: String,
    },
    /// No transit days: offers carry none, and ties in price are broken by carrier id.
    Off,
}

impl From<TransitDaysSource> for ffi::TransitDaysSource {
    fn from(t: TransitDaysSource) -> Self {
        match t {
            TransitDaysSource::Builtin => ffi::TransitDaysSource::Builtin,
            TransitDaysSource::Csv { text } => ffi::TransitDaysSource::Csv { text },
            TransitDaysSource::Off => ffi::TransitDaysSource::Off,
        }
    }
}

/// The company's wallet: platform-agreement shipments are paid from it.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct WalletConfig {
    /// Money paid in when the wallet opens, lira.
    pub opening_balance: Option<String>,
    /// How far below zero the balance may go, lira (default 0).
    pub credit_limit: Option<String>,
}

/// Everything a `KargoJet` is built from.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct KargoJetConfig {
    /// The company (tenant) requests act for unless they name another.
    pub company: String,
    /// Carrier accounts. `{ carrier: '*', sandbox: true }` registers every simulator.
    pub carriers: Option<Vec<CarrierConfig>>,
    /// Tariffs beside the illustrative ones (a configured id replaces an illustrative one).
    pub tariffs: Option<Vec<ConfigText>>,
    /// Agreements.
    pub agreements: Option<Vec<AgreementConfig>>,
    /// Add the illustrative platform agreement of every carrier: for demos and tests, not real
    /// prices.
    pub illustrative_agreements: Option<bool>,
    /// The default selection policy.
    pub policy: Option<PolicyInput>,
    /// Transit days (none: the compiled-in table).
    pub transit_days: Option<TransitDaysSource>,
    /// The label template of KargoJet's own labels (JSON or TOML).
    pub label_template: Option<ConfigText>,
    /// The company's wallet (none: no money moves through KargoJet).
    pub wallet: Option<WalletConfig>,
    /// Prefix of generated merchant keys (default `KJ`).
    pub merchant_key_prefix: Option<String>,
    /// Deadline of live-rate calls, milliseconds (default 2000).
    pub live_rate_deadline_ms: Option<u32>,
    /// Worker threads of the facade's runtime (default: the CPU count, at least 2, at most 8).
    pub worker_threads: Option<u32>,
}

impl From<KargoJetConfig> for ffi::KargoJetConfig {
    fn from(c: KargoJetConfig) -> Self {
        ffi::KargoJetConfig {
            company: c.company,
            carriers: c
                .carriers
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            tariffs: c
                .tariffs
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            agreements: c
                .agreements
                .unwrap_or_default()
                .into_iter()
                .map(Into::into)
                .collect(),
            illustrative_agreements: c.illustrative_agreements.unwrap_or(false),
            policy: c.policy.map(Into::into),
            transit_days: c.transit_days.map(Into::into),
            label_template: c.label_template.map(Into::into),
            wallet: c.wallet.map(|w| ffi::WalletConfig {
                opening_balance: w.opening_balance,
                credit_limit: w.credit_limit,
            }),
            merchant_key_prefix: c.merchant_key_prefix,
            live_rate_deadline_ms: c.live_rate_deadline_ms.map(u64::from),
            worker_threads: c.worker_threads,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sandbox_config_converts_like_the_facade_s_own() {
        let c = ffi::KargoJetConfig::from(KargoJetConfig {
            company: "sandbox".into(),
            carriers: Some(vec![CarrierConfig {
                carrier: "*".into(),
                sandbox: Some(true),
                ..Default::default()
            }]),
            illustrative_agreements: Some(true),
            wallet: Some(WalletConfig {
                opening_balance: Some("100000".into()),
                credit_limit: None,
            }),
            ..Default::default()
        });
        assert_eq!(c, ffi::KargoJetConfig::sandbox());
    }

    #[test]
    fn cod_fee_bands_default_their_percent() {
        let f = ffi::CodFeeConfig::from(CodFeeConfig::Bands {
            bands: vec![CodFeeBandConfig {
                upper: Some("500".into()),
                fixed: "12".into(),
                percent: None,
            }],
        });
        let ffi::CodFeeConfig::Bands { bands } = f else {
            panic!("bands expected");
        };
        assert_eq!(bands[0].percent, "0");
    }
}
