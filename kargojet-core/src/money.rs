//! Money in Turkish lira on `rust_decimal`.
//!
//! Amounts keep full precision through a calculation and are rounded to the kuruş (two decimal
//! places, half away from zero — "half-up" for positive amounts) only at documented points:
//! each line of a [`crate::pricing::PriceBreakdown`], each ledger transfer, and display.
//! Serialized as `{"amount": "1234.56", "currency": "TRY"}` with the amount as a decimal string.

use crate::error::{Code, Error, Result};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, Neg, Sub};

/// The currency of an amount. KargoJet ships inside Türkiye, so only the lira exists today; the
/// type keeps every amount explicit about it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, Default,
)]
pub enum Currency {
    /// Turkish lira (ISO 4217 `TRY`).
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

    /// Parses an ISO code (`TRY`, also `TL`).
    pub fn parse(s: &str) -> Result<Currency> {
        match s.trim().to_ascii_uppercase().as_str() {
            "TRY" | "TL" => Ok(Currency::Try),
            other => Err(Error::invalid(
                Code::RequestCurrencyMismatch,
                "currency",
                format!("unsupported currency '{other}' (only TRY)"),
            )),
        }
    }
}

/// The rounding rule applied at each documented rounding point: to 2 decimals, half away from
/// zero.
pub const ROUNDING_RULE: &str = "kurus_half_up";

/// An amount of money with its currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    /// The amount, unrounded unless [`Money::round_kurus`] was applied.
    pub amount: Decimal,
    /// The currency.
    pub currency: Currency,
}

impl Ord for Money {
    /// By amount, then currency. Amounts of one scale (every kuruş-rounded price) compare by
    /// their integer mantissas; others by decimal value.
    #[inline]
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        let by_amount = if self.amount.scale() == other.amount.scale() {
            self.amount.mantissa().cmp(&other.amount.mantissa())
        } else {
            self.amount.cmp(&other.amount)
        };
        by_amount.then(self.currency.cmp(&other.currency))
    }
}

impl PartialOrd for Money {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Money {
    /// An amount in lira.
    pub const fn try_lira(amount: Decimal) -> Money {
        Money {
            amount,
            currency: Currency::Try,
        }
    }

    /// Zero lira.
    pub const fn zero() -> Money {
        Money::try_lira(Decimal::ZERO)
    }

    /// An amount from whole kuruş.
    #[inline]
    pub fn from_kurus(kurus: i64) -> Money {
        // `Decimal::new(kurus, 2)`, through the inlinable constructor (this is on the quote
        // hot path: eight lines per offer).
        let magnitude = kurus.unsigned_abs();
        Money::try_lira(Decimal::from_parts(
            magnitude as u32,
            (magnitude >> 32) as u32,
            0,
            kurus < 0,
            2,
        ))
    }

    /// Parses `"1234.56"`, `"1.234,56"`, `"1234,56"` or `"1,234.56"` into lira.
    pub fn parse_try(s: &str, field: &str) -> Result<Money> {
        parse_decimal(s).map(Money::try_lira).ok_or_else(|| {
            Error::invalid(
                Code::RequestInvalidAmount,
                field,
                format!("'{s}' is not an amount"),
            )
        })
    }

    /// The amount rounded to the kuruş, half away from zero.
    pub fn round_kurus(self) -> Money {
        Money {
            amount: self
                .amount
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            currency: self.currency,
        }
    }

    /// The amount in whole kuruş after rounding.
    #[inline]
    pub fn to_kurus(self) -> i64 {
        let scale = self.amount.scale();
        if scale <= 2 {
            if let Some(k) = i64::try_from(self.amount.mantissa())
                .ok()
                .and_then(|k| k.checked_mul([100, 10, 1][scale as usize]))
            {
                return k;
            }
        }
        let r = self.round_kurus().amount * Decimal::ONE_HUNDRED;
        i64::try_from(r).unwrap_or(if r.is_sign_negative() {
            i64::MIN
        } else {
            i64::MAX
        })
    }

    /// True for an amount below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// True for exactly zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Adds two amounts of the same currency.
    pub fn checked_add(self, other: Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(Money {
            amount: self.amount + other.amount,
            currency: self.currency,
        })
    }

    /// Subtracts two amounts of the same currency.
    pub fn checked_sub(self, other: Money) -> Result<Money> {
        self.same_currency(other)?;
        Ok(Money {
            amount: self.amount - other.amount,
            currency: self.currency,
        })
    }

    /// Multiplies by a plain factor (a percentage as `0.10`, a count).
    pub fn times(self, factor: Decimal) -> Money {
        Money {
            amount: self.amount * factor,
            currency: self.currency,
        }
    }

    /// `percent` % of this amount (unrounded).
    pub fn percent(self, percent: Decimal) -> Money {
        self.times(percent / Decimal::ONE_HUNDRED)
    }

    /// The larger of two amounts.
    pub fn max(self, other: Money) -> Money {
        if other.amount > self.amount {
            other
        } else {
            self
        }
    }

    fn same_currency(self, other: Money) -> Result<()> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(Error::invalid(
                Code::RequestCurrencyMismatch,
                "currency",
                format!("{} vs {}", self.currency.code(), other.currency.code()),
            ))
        }
    }

    /// Turkish display for labels and messages: `1.234,56 TL` (rounded to the kuruş).
    pub fn to_turkish(&self) -> String {
        let mut out = String::with_capacity(16);
        write_turkish(&mut out, *self);
        out
    }
}

/// Writes `1.234,56 TL` into `out` without intermediate allocations (used by label rendering).
pub fn write_turkish(out: &mut String, money: Money) {
    let kurus = money.to_kurus();
    let negative = kurus < 0;
    let abs = kurus.unsigned_abs();
    let lira = abs / 100;
    let frac = abs % 100;
    if negative {
        out.push('-');
    }
    let digits = lira.to_string();
    let len = digits.len();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out.push(',');
    out.push(char::from(b'0' + (frac / 10) as u8));
    out.push(char::from(b'0' + (frac % 10) as u8));
    out.push_str(" TL");
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.round_kurus().amount, self.currency.code())
    }
}

impl Add for Money {
    type Output = Money;
    /// Adds amounts; both sides are lira today, so this cannot mix currencies.
    fn add(self, rhs: Money) -> Money {
        Money {
            amount: self.amount + rhs.amount,
            currency: self.currency,
        }
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money {
            amount: self.amount - rhs.amount,
            currency: self.currency,
        }
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money {
            amount: -self.amount,
            currency: self.currency,
        }
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::zero(), |a, b| a + b)
    }
}

/// Parses a decimal written the Turkish way (`1.250,50`) or the international way (`1250.50`,
/// `1,250.50`). Returns `None` for anything else.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s
        .trim()
        .trim_end_matches("TL")
        .trim_end_matches("TRY")
        .trim();
    if t.is_empty() {
        return None;
    }
    let last_dot = t.rfind('.');
    let last_comma = t.rfind(',');
    let normalized: String = match (last_dot, last_comma) {
        (Some(d), Some(c)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (None, Some(c)) => {
            // "1,5" is a decimal comma; "1,250" with exactly three digits after and more
            // commas or a leading group is ambiguous — treat a single comma as decimal.
            if t.matches(',').count() == 1 {
                t.replace(',', ".")
            } else if t[c + 1..].len() == 3 {
                t.replace(',', "")
            } else {
                return None;
            }
        }
        (Some(d), None) => {
            if t.matches('.').count() > 1 && t[d + 1..].len() == 3 {
                t.replace('.', "")
            } else {
                t.to_string()
            }
        }
        (None, None) => t.to_string(),
    };
    if !normalized
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
    {
        return None;
    }
    normalized.parse::<Decimal>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn kurus_become_the_same_decimal_as_decimal_new() {
        for k in [
            0i64,
            1,
            -1,
            99,
            -100,
            123_456,
            i64::from(u32::MAX) + 7,
            i64::MIN + 1,
            i64::MAX,
        ] {
            assert_eq!(Money::from_kurus(k).amount, Decimal::new(k, 2), "{k}");
            assert_eq!(Money::from_kurus(k).amount.scale(), 2);
        }
        assert!(!Money::from_kurus(0).amount.is_sign_negative());
    }

    #[test]
    fn amounts_order_by_value_whatever_their_scale() {
        let m = |v: Decimal| Money::try_lira(v);
        assert!(m(dec!(1.50)) < m(dec!(1.51)));
        assert!(m(dec!(-2.00)) < m(dec!(1.00)));
        assert!(m(dec!(1.5)) < m(dec!(1.51)));
        assert!(m(dec!(10)) > m(dec!(9.99)));
        assert_eq!(m(dec!(1.5)).cmp(&m(dec!(1.50))), std::cmp::Ordering::Equal);
        let mut v = vec![m(dec!(3)), m(dec!(0.5)), m(dec!(-1.25)), m(dec!(2.999))];
        v.sort();
        assert_eq!(
            v,
            vec![m(dec!(-1.25)), m(dec!(0.5)), m(dec!(2.999)), m(dec!(3))]
        );
    }

    #[test]
    fn turkish_display_groups_thousands_and_uses_a_decimal_comma() {
        assert_eq!(Money::try_lira(dec!(1234.56)).to_turkish(), "1.234,56 TL");
        assert_eq!(Money::try_lira(dec!(1250)).to_turkish(), "1.250,00 TL");
        assert_eq!(Money::try_lira(dec!(0.005)).to_turkish(), "0,01 TL");
        assert_eq!(
            Money::try_lira(dec!(1234567.891)).to_turkish(),
            "1.234.567,89 TL"
        );
        assert_eq!(Money::try_lira(dec!(-5.5)).to_turkish(), "-5,50 TL");
    }

    #[test]
    fn rounding_is_half_up_to_the_kurus() {
        assert_eq!(
            Money::try_lira(dec!(1.005)).round_kurus().amount,
            dec!(1.01)
        );
        assert_eq!(
            Money::try_lira(dec!(1.004)).round_kurus().amount,
            dec!(1.00)
        );
        assert_eq!(
            Money::try_lira(dec!(-1.005)).round_kurus().amount,
            dec!(-1.01)
        );
        assert_eq!(Money::try_lira(dec!(12.345)).to_kurus(), 1235);
    }

    #[test]
    fn serializes_amount_as_string_with_currency() {
        let m = Money::try_lira(dec!(12.50));
        let j = serde_json::to_string(&m).unwrap_or_default();
        assert_eq!(j, r#"{"amount":"12.50","currency":"TRY"}"#);
        let back: Money = serde_json::from_str(&j).unwrap_or(Money::zero());
        assert_eq!(back, m);
    }

    #[test]
    fn parses_both_decimal_conventions() {
        assert_eq!(parse_decimal("1.250,50"), Some(dec!(1250.50)));
        assert_eq!(parse_decimal("1250.50"), Some(dec!(1250.50)));
        assert_eq!(parse_decimal("1,250.50"), Some(dec!(1250.50)));
        assert_eq!(parse_decimal("12,5"), Some(dec!(12.5)));
        assert_eq!(parse_decimal("1.250.000"), Some(dec!(1250000)));
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal(""), None);
        assert!(Money::parse_try("x", "cod.amount").is_err());
    }

    #[test]
    fn mixing_currencies_is_checked() {
        let a = Money::try_lira(dec!(1));
        assert!(a.checked_add(a).is_ok());
        assert_eq!(Currency::parse("tl").ok(), Some(Currency::Try));
        assert_eq!(
            Currency::parse("EUR").err().map(|e| e.code()),
            Some(Code::RequestCurrencyMismatch)
        );
    }
}
