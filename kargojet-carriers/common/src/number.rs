//! Carrier numbers → [`Decimal`]: the usual plain spelling (`89.90`, `3`) is parsed directly,
//! anything else (`4,5`, `1.234,50`, `12 TL`) goes through the core's Turkish-aware
//! [`parse_decimal`] — with the same result for every input.
//!
//! ```
//! use kargojet_carrier_common::number::decimal;
//! use rust_decimal::Decimal;
//!
//! assert_eq!(decimal("89.90"), Some(Decimal::new(8990, 2)));
//! assert_eq!(decimal("1.234,50"), Some(Decimal::new(123450, 2)));
//! assert_eq!(decimal("x"), None);
//! ```

use kargojet_core::money::parse_decimal;
use rust_decimal::Decimal;
use std::str::FromStr;

/// [`parse_decimal`], with a shortcut for ASCII digits with at most one `.` (which
/// `parse_decimal` would hand unchanged to `Decimal::from_str`).
#[inline]
pub fn decimal(s: &str) -> Option<Decimal> {
    let b = s.as_bytes();
    let mut dots = 0;
    let plain = !b.is_empty()
        && b.iter().all(|&c| {
            dots += usize::from(c == b'.');
            c.is_ascii_digit() || c == b'.'
        })
        && dots <= 1;
    if plain {
        Decimal::from_str(s).ok()
    } else {
        parse_decimal(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agrees_with_the_core_parser() {
        for s in [
            "89.90",
            "3",
            "2.5",
            "0",
            "00.10",
            ".5",
            "5.",
            ".",
            "1.234",
            "1.234.567",
            "1,5",
            "1.234,50",
            " 12 ",
            "12 TL",
            "-3",
            "+3",
            "",
            "1e5",
            "99999999999999999999999999999",
            "1..2",
            "٣",
        ] {
            assert_eq!(decimal(s), parse_decimal(s), "{s:?}");
            if let (Some(a), Some(b)) = (decimal(s), parse_decimal(s)) {
                assert_eq!(a.scale(), b.scale(), "{s:?}");
            }
        }
    }
}
