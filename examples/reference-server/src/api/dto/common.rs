//! Shapes shared by every route: money, decimals, carrier codes.

use kargojet::carrier::CarrierId;
use kargojet::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use std::str::FromStr;
use utoipa::ToSchema;

/// An amount of Turkish lira.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct MoneyView {
    /// Exact decimal string, two decimals (`"1234.50"`).
    #[schema(example = "1234.50", pattern = r"^-?\d+\.\d{2}$")]
    pub amount: String,
    /// ISO 4217 code; always `TRY`.
    #[schema(example = "TRY")]
    pub currency: String,
}

impl From<Money> for MoneyView {
    fn from(m: Money) -> Self {
        let mut d = m.round_kurus().amount;
        d.rescale(2);
        MoneyView {
            amount: d.to_string(),
            currency: m.currency.code().to_string(),
        }
    }
}

/// A decimal as text, at most four decimals.
pub fn decimal_text(d: Decimal) -> String {
    d.round_dp(4).normalize().to_string()
}

/// A carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum CarrierCode {
    /// Yurtiçi Kargo.
    #[serde(rename = "yurtici")]
    Yurtici,
    /// Aras Kargo.
    #[serde(rename = "aras")]
    Aras,
    /// MNG Kargo (DHL eCommerce).
    #[serde(rename = "mng_dhl_ecommerce")]
    Mng,
    /// PTT Kargo.
    #[serde(rename = "ptt")]
    Ptt,
    /// Sürat Kargo.
    #[serde(rename = "surat")]
    Surat,
    /// HepsiJET.
    #[serde(rename = "hepsijet")]
    Hepsijet,
    /// Kolay Gelsin.
    #[serde(rename = "kolay_gelsin")]
    KolayGelsin,
    /// Sendeo.
    #[serde(rename = "sendeo")]
    Sendeo,
}

impl CarrierCode {
    /// The library's carrier id.
    pub fn id(self) -> CarrierId {
        match self {
            CarrierCode::Yurtici => CarrierId::Yurtici,
            CarrierCode::Aras => CarrierId::Aras,
            CarrierCode::Mng => CarrierId::Mng,
            CarrierCode::Ptt => CarrierId::Ptt,
            CarrierCode::Surat => CarrierId::Surat,
            CarrierCode::Hepsijet => CarrierId::Hepsijet,
            CarrierCode::KolayGelsin => CarrierId::KolayGelsin,
            CarrierCode::Sendeo => CarrierId::Sendeo,
        }
    }
}

/// Reads a decimal from a JSON number or a decimal string (exactly: `0.1` stays `0.1`).
pub fn de_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    struct V;
    impl serde::de::Visitor<'_> for V {
        type Value = Decimal;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a decimal number")
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
            Ok(Decimal::from(v))
        }
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
            if !v.is_finite() {
                return Err(E::custom("not a finite number"));
            }
            Decimal::from_str(&v.to_string())
                .or_else(|_| Decimal::from_scientific(&format!("{v:e}")))
                .map_err(|_| E::custom(format!("{v} is out of range")))
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
            let t = v.trim();
            let ok = !t.is_empty()
                && t.len() <= 32
                && t.bytes()
                    .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-');
            if !ok {
                return Err(E::custom(format!("'{v}' is not a decimal number")));
            }
            Decimal::from_str(t).map_err(|_| E::custom(format!("'{v}' is not a decimal number")))
        }
    }
    d.deserialize_any(V)
}

/// [`de_decimal`] for optional fields (null or absent is `None`).
pub fn de_opt_decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "de_decimal")] Decimal);
    Ok(Option::<W>::deserialize(d)?.map(|w| w.0))
}

/// A page of a list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PageInfo {
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub next_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        #[serde(deserialize_with = "de_decimal")]
        d: Decimal,
    }

    fn parse(json: &str) -> Option<Decimal> {
        serde_json::from_str::<T>(json).ok().map(|t| t.d)
    }

    #[test]
    fn decimals_read_exactly() {
        assert_eq!(parse(r#"{"d": 0.1}"#), Decimal::from_str("0.1").ok());
        assert_eq!(parse(r#"{"d": "12.50"}"#), Decimal::from_str("12.50").ok());
        assert_eq!(parse(r#"{"d": 40}"#), Some(Decimal::from(40)));
        assert_eq!(parse(r#"{"d": "1e5"}"#), None);
        assert_eq!(parse(r#"{"d": true}"#), None);
        assert_eq!(parse(r#"{"d": 1e300}"#), None);
        assert_eq!(
            MoneyView::from(Money::from_kurus(123_450)).amount,
            "1234.50"
        );
    }
}
