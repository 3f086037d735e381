//! Exact fixed-point helpers for the pricing hot path.
//!
//! Prices are stored as integers in 1/10,000 lira and billable values in 1/1,000 desi, so a
//! quote is a handful of integer operations; amounts become [`Money`] (rust_decimal) at the API
//! edge. Nothing here is a float, and every conversion is exact or rounds half-up where the
//! breakdown documents it.

use crate::money::Money;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Units of a stored price per lira (prices keep up to 4 decimals).
const PRICE_SCALE: i64 = 10_000;
/// Units of a billable value per desi (billable values keep up to 3 decimals after rounding up).
pub(crate) const DESI_SCALE: i64 = 1_000;

/// A price in 1/10,000 lira, if it has at most 4 decimals and fits.
pub(crate) fn price_units(d: Decimal) -> Option<i64> {
    let scaled = d * Decimal::from(PRICE_SCALE);
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    scaled.to_i64()
}

/// A billable value in 1/1,000 desi, rounded up (a billable value is never under-counted).
pub(crate) fn desi_units_ceil(d: Decimal) -> i64 {
    (d * Decimal::from(DESI_SCALE))
        .ceil()
        .to_i64()
        .unwrap_or(i64::MAX / 4)
}

/// Kuruş from an amount in `1/denominator` lira units, half away from zero.
pub(crate) fn round_half_up_div(value: i128, denominator: i128) -> i64 {
    let half = denominator / 2;
    let q = if value >= 0 {
        (value + half) / denominator
    } else {
        (value - half) / denominator
    };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

/// `percent_micro` is a percentage in millionths of a percent (10 % = 10_000_000). Returns
/// `round_half_up(kurus × percent / 100)` in kuruş.
#[inline(always)]
pub(crate) fn percent_of_kurus(kurus: i64, percent_micro: i64) -> i64 {
    // The usual case in one multiply: amounts under 2³¹ kuruş and percentages within 0–100 %
    // (agreements are validated to that) cannot overflow.
    if (0..1 << 31).contains(&kurus) && (0..=100_000_000).contains(&percent_micro) {
        // Unsigned: the division by the constant compiles to a multiply without a sign fix.
        return ((kurus as u64 * percent_micro as u64 + 50_000_000) / 100_000_000) as i64;
    }
    if kurus == 0 || percent_micro == 0 {
        return 0;
    }
    match kurus.checked_mul(percent_micro) {
        Some(p) => {
            if p >= 0 {
                (p + 50_000_000) / 100_000_000
            } else {
                (p - 50_000_000) / 100_000_000
            }
        }
        None => round_half_up_div(i128::from(kurus) * i128::from(percent_micro), 100_000_000),
    }
}

/// A percentage as millionths of a percent, if exact.
pub(crate) fn percent_micro(p: Decimal) -> Option<i64> {
    let scaled = p * Decimal::from(1_000_000);
    if scaled.fract() != Decimal::ZERO {
        return None;
    }
    scaled.to_i64()
}

/// Kuruş of an amount, rounded half-up (exact integer path for amounts with ≤ 2 decimals).
#[inline]
pub(crate) fn money_kurus(m: Money) -> i64 {
    m.to_kurus()
}
