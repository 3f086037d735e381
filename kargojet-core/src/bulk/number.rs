//! Numbers in cells: `1.250,50` and `1250.50` (and `1,250.50`, `12,5`, `1 250,50 TL`) as text,
//! or exact decimals from numeric XLSX cells. Never a float.
//!
//! An amount of money written with one separator followed by exactly three digits (`1.250`,
//! `1,250`) is [ambiguous](ambiguous_amount): one thousand two hundred fifty lira with a
//! thousands separator, or 1,25 lira with a decimal one. Money has two decimals at most, so
//! such an amount is refused rather than guessed.

use super::table::Cell;
use crate::money::parse_decimal;
use rust_decimal::Decimal;

/// The number in a cell, `None` when the cell is empty or not a number.
///
/// Text is read the way [`parse_decimal`] reads it (the last of `.`/`,` is the decimal
/// separator; a single `,` is a decimal comma, so `1,250` is 1.25), after dropping spaces used
/// as thousands separators and a `TL`/`TRY`/`₺` currency mark.
pub(crate) fn number(cell: &Cell) -> Option<Decimal> {
    match cell {
        Cell::Empty => None,
        Cell::Number(d) => Some(*d),
        Cell::Text(s) => parse_text(s),
    }
}

/// The text without spaces (thousands separators) and a `TL`/`TRY`/`₺` currency mark.
fn core_text(s: &str) -> String {
    let compact: String = s
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\t'))
        .collect();
    let t = compact.trim_start_matches('₺').trim_end_matches('₺');
    let upper = t.to_ascii_uppercase();
    let t = if upper.ends_with("TRY") {
        &t[..t.len() - 3]
    } else if upper.ends_with("TL") {
        &t[..t.len() - 2]
    } else {
        t
    };
    t.to_string()
}

fn parse_text(s: &str) -> Option<Decimal> {
    let t = core_text(s);
    if t.is_empty() || t.starts_with(['.', ',']) && t.len() == 1 {
        return None;
    }
    parse_decimal(&t)
}

/// The two readings of an ambiguous amount — (with a thousands separator, with a decimal
/// separator) — or `None` when the cell is not one: text whose only separator is one `.` or
/// `,` between 1–3 digits (not starting with 0) and exactly three digits, optionally signed
/// and with a currency mark (`1.250` → 1250 or 1.25, `12,500 TL` → 12500 or 12.5).
pub(crate) fn ambiguous_amount(cell: &Cell) -> Option<(Decimal, Decimal)> {
    let Cell::Text(s) = cell else {
        return None;
    };
    let core = core_text(s);
    let (negative, t) = match core.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, core.strip_prefix('+').unwrap_or(&core)),
    };
    let at = t.find(['.', ','])?;
    let (head, tail) = (&t[..at], &t[at + 1..]);
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    if !(1..=3).contains(&head.len())
        || head.starts_with('0')
        || tail.len() != 3
        || !digits(head)
        || !digits(tail)
    {
        return None;
    }
    let grouped = Decimal::from_str_exact(&format!("{head}{tail}")).ok()?;
    let decimal = Decimal::from_str_exact(&format!("{head}.{tail}")).ok()?;
    Some(if negative {
        (-grouped, -decimal)
    } else {
        (grouped, decimal)
    })
}

/// A whole number in a cell (`2`, `2,0`, a numeric `2.0`), `None` for anything else.
pub(crate) fn whole(cell: &Cell) -> Option<i64> {
    let d = number(cell)?;
    if d.fract().is_zero() {
        i64::try_from(d.trunc()).ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn text(s: &str) -> Option<Decimal> {
        number(&Cell::text(s))
    }

    #[test]
    fn both_conventions_and_currency_marks() {
        assert_eq!(text("1.250,50"), Some(dec!(1250.50)));
        assert_eq!(text("1250.50"), Some(dec!(1250.50)));
        assert_eq!(text("1,250.50"), Some(dec!(1250.50)));
        assert_eq!(text("12,5"), Some(dec!(12.5)));
        assert_eq!(text(" 1 250,50 TL "), Some(dec!(1250.50)));
        assert_eq!(text("₺1.250,50"), Some(dec!(1250.50)));
        assert_eq!(text("1250,5 try"), Some(dec!(1250.5)));
        assert_eq!(text("3"), Some(dec!(3)));
        assert_eq!(text("-2,5"), Some(dec!(-2.5)));
        for bad in [
            "",
            "abc",
            "TL",
            "1,2,3,4",
            "1.2.3,4,5",
            ",",
            "12kg",
            "1e5",
            "--1",
        ] {
            assert_eq!(text(bad), None, "{bad}");
        }
        assert_eq!(number(&Cell::Number(dec!(1250.5))), Some(dec!(1250.5)));
        assert_eq!(number(&Cell::Empty), None);
    }

    #[test]
    fn one_separator_before_three_digits_is_an_ambiguous_amount() {
        let amb = |s: &str| ambiguous_amount(&Cell::text(s));
        assert_eq!(amb("1.250"), Some((dec!(1250), dec!(1.25))));
        assert_eq!(amb("1,250"), Some((dec!(1250), dec!(1.25))));
        assert_eq!(amb(" 12.500 TL"), Some((dec!(12500), dec!(12.5))));
        assert_eq!(amb("₺999,999"), Some((dec!(999999), dec!(999.999))));
        assert_eq!(amb("-1.250"), Some((dec!(-1250), dec!(-1.25))));
        for clear in [
            "1.250,00",
            "1,250.00",
            "1250",
            "1250.5",
            "1,25",
            "12,5",
            "0,500",
            "0.125",
            "1234.567",
            "1.250.000",
            "1.2500",
            "abc",
            "",
            "1.25a",
        ] {
            assert_eq!(amb(clear), None, "{clear}");
        }
        assert_eq!(ambiguous_amount(&Cell::Number(dec!(1.25))), None);
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(whole(&Cell::text("2")), Some(2));
        assert_eq!(whole(&Cell::text("2,0")), Some(2));
        assert_eq!(whole(&Cell::Number(dec!(3))), Some(3));
        assert_eq!(whole(&Cell::text("2,5")), None);
        assert_eq!(whole(&Cell::text("x")), None);
    }
}
