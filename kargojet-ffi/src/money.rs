//! Money and exact decimals across the boundary: amounts are decimal strings (`"1234.50"`,
//! never a float) with their currency; inputs accept `"1234.5"`, `"1.234,50"` or `"1234,50"`.

use crate::error::KargoJetError;
use kargojet::error::Code;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// The currency of an amount (KargoJet ships inside Türkiye: only the lira).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, uniffi::Enum,
)]
pub enum Currency {
    /// Turkish lira, ISO 4217 `TRY`.
    #[default]
    #[serde(rename = "TRY")]
    Try,
}

impl Currency {
    /// The ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Try => "TRY",
        }
    }
}

impl From<kargojet::Currency> for Currency {
    fn from(c: kargojet::Currency) -> Self {
        match c {
            kargojet::Currency::Try => Currency::Try,
        }
    }
}

/// An exact amount of money: a decimal string with at least two decimals (kuruş), and its
/// currency. Amounts of a price breakdown are rounded to the kuruş, half away from zero.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Record)]
pub struct Money {
    /// The amount, e.g. `"1234.50"`.
    pub amount: String,
    /// The currency.
    pub currency: Currency,
}

impl From<kargojet::Money> for Money {
    #[inline]
    fn from(m: kargojet::Money) -> Self {
        Money {
            amount: amount_string(m.amount),
            currency: m.currency.into(),
        }
    }
}

impl Money {
    /// The amount as a domain value.
    pub fn to_domain(&self, field: &str) -> Result<kargojet::Money, KargoJetError> {
        parse_money(&self.amount, field)
    }
}

/// An amount as text with at least two decimals: `1234.5` → `"1234.50"`, `-0.1` → `"-0.10"`,
/// `1.005` → `"1.005"` (never rounded here). Kuruş amounts are formatted without going through
/// the generic formatter (a quote has eight per offer).
#[inline]
pub fn amount_string(d: Decimal) -> String {
    let scale = d.scale();
    if scale <= 2 {
        if let Ok(m) = i64::try_from(d.mantissa()) {
            if let Some(kurus) = m.checked_mul([100, 10, 1][scale as usize]) {
                return kurus_string(kurus);
            }
        }
    }
    d.to_string()
}

/// Whole kuruş as a lira string with two decimals.
fn kurus_string(kurus: i64) -> String {
    let mut buf = [0u8; 24];
    let mut i = buf.len();
    let neg = kurus < 0;
    let mut n = kurus.unsigned_abs();
    for pos in 0.. {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if pos == 1 {
            i -= 1;
            buf[i] = b'.';
        }
        if pos >= 2 && n == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    // Only ASCII digits, '.' and '-' were written.
    String::from_utf8_lossy(&buf[i..]).into_owned()
}

/// A decimal as plain text without trailing zeros (`2.500` → `"2.5"`), for desi and kg.
pub fn decimal_string(d: Decimal) -> String {
    d.normalize().to_string()
}

/// Parses an amount in lira (`"1234.56"`, `"1.234,56"`, `"1234,56"`).
pub fn parse_money(s: &str, field: &str) -> Result<kargojet::Money, KargoJetError> {
    Ok(kargojet::Money::parse_try(s, field)?)
}

/// Parses an exact decimal (`"3.2"`, also `"3,2"`); `code` names what it is (dimension,
/// weight, percentage).
pub fn parse_decimal(s: &str, field: &str, code: Code) -> Result<Decimal, KargoJetError> {
    let t = s.trim();
    Decimal::from_str(t)
        .or_else(|_| Decimal::from_str(&t.replace(',', ".")))
        .map_err(|_| KargoJetError::invalid(code, field, format!("'{s}' is not a decimal number")))
}

/// Parses an optional decimal.
pub fn parse_opt_decimal(
    s: Option<&str>,
    field: &str,
    code: Code,
) -> Result<Option<Decimal>, KargoJetError> {
    s.filter(|s| !s.trim().is_empty())
        .map(|s| parse_decimal(s, field, code))
        .transpose()
}

/// Parses an optional amount.
pub fn parse_opt_money(
    s: Option<&str>,
    field: &str,
) -> Result<Option<kargojet::Money>, KargoJetError> {
    s.filter(|s| !s.trim().is_empty())
        .map(|s| parse_money(s, field))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_have_two_decimals_and_stay_exact() {
        assert_eq!(amount_string(dec!(1234.5)), "1234.50");
        assert_eq!(amount_string(dec!(0)), "0.00");
        assert_eq!(amount_string(dec!(7)), "7.00");
        assert_eq!(amount_string(dec!(0.05)), "0.05");
        assert_eq!(amount_string(dec!(-0.1)), "-0.10");
        assert_eq!(amount_string(dec!(-12.34)), "-12.34");
        assert_eq!(amount_string(dec!(1.005)), "1.005");
        assert_eq!(
            amount_string(kargojet::Money::from_kurus(123_456_789).amount),
            "1234567.89"
        );
        for k in [-100_001i64, -1, 0, 1, 99, 100, 101, 9_999_999_999] {
            let s = amount_string(kargojet::Money::from_kurus(k).amount);
            assert_eq!(Decimal::from_str(&s).ok(), Some(Decimal::new(k, 2)), "{k}");
        }
    }

    #[test]
    fn inputs_accept_turkish_and_plain_forms() {
        let m = |s: &str| parse_money(s, "x").map(|m| m.amount);
        assert_eq!(m("1234.56").ok(), Some(dec!(1234.56)));
        assert_eq!(m("1.234,56").ok(), Some(dec!(1234.56)));
        assert_eq!(m("1234,56").ok(), Some(dec!(1234.56)));
        let e = m("on iki").err().map(|e| e.code().to_string());
        assert_eq!(e.as_deref(), Some("request.invalid_amount"));
        assert_eq!(
            parse_decimal("3,2", "w", Code::RequestInvalidWeight).ok(),
            Some(dec!(3.2))
        );
        let e = parse_decimal("abc", "parcels[0].weight_kg", Code::RequestInvalidWeight)
            .err()
            .map(|e| e.info());
        assert_eq!(
            e.as_ref().and_then(|e| e.field.as_deref()),
            Some("parcels[0].weight_kg")
        );
        assert_eq!(decimal_string(dec!(2.500)), "2.5");
    }
}
