//! Numbers in cells: `1.250,50` and `1250.50` (and `1,250.50`, `12,5`, `1 250,50 TL`) as text,
//! or exact decimals from numeric XLSX cells. Never a float.

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

fn parse_text(s: &str) -> Option<Decimal> {
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
    if t.is_empty() || t.starts_with(['.', ',']) && t.len() == 1 {
        return None;
    }
    parse_decimal(t)
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
    fn whole_numbers() {
        assert_eq!(whole(&Cell::text("2")), Some(2));
        assert_eq!(whole(&Cell::text("2,0")), Some(2));
        assert_eq!(whole(&Cell::Number(dec!(3))), Some(3));
        assert_eq!(whole(&Cell::text("2,5")), None);
        assert_eq!(whole(&Cell::text("x")), None);
    }
}
