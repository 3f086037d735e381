//! The sheet as read, before any validation: the header row and the data rows, each cell as
//! text or as an exact number, with the row numbers a seller sees in a spreadsheet program.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::str::FromStr;

/// One cell as read from the file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Cell {
    /// Nothing, or only whitespace.
    #[default]
    Empty,
    /// Text as written (CSV cells are always text), without the `'` the CSV error report puts
    /// before text that looks like a formula.
    Text(String),
    /// A numeric XLSX cell. Excel stores numbers as `f64`; the value here is the exact decimal
    /// of the shortest text that reads back as the same `f64` (so `1250.5` is 1250.5, never
    /// 1250.499999…).
    Number(Decimal),
}

impl Cell {
    /// A text cell; whitespace-only text is [`Cell::Empty`].
    pub fn text(s: &str) -> Cell {
        if s.trim().is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s.to_string())
        }
    }

    /// A cell from an XLSX float. Non-finite values and values beyond `Decimal`'s range stay
    /// as their text.
    pub fn from_f64(f: f64) -> Cell {
        if !f.is_finite() {
            return Cell::Text(f.to_string());
        }
        // `Display` for f64 prints the shortest digits that round-trip, without an exponent.
        let shortest = f.to_string();
        match Decimal::from_str(&shortest) {
            Ok(d) => Cell::Number(d.normalize()),
            Err(_) => Cell::Text(shortest),
        }
    }

    /// A text cell as read from a file: [`Cell::text`] of the text without the one `'` that the
    /// CSV error report puts before text a spreadsheet program would take for a formula (see
    /// [`guard_formula`]), so that the report imports again to the cells it was written from.
    pub(crate) fn read(s: &str) -> Cell {
        Cell::text(unguard_formula(s))
    }

    /// True for an empty cell.
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Empty)
    }

    /// The cell as text: the text itself, or the number in plain decimal notation.
    pub fn as_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Empty => Cow::Borrowed(""),
            Cell::Text(s) => Cow::Borrowed(s.as_str()),
            Cell::Number(d) => Cow::Owned(d.normalize().to_string()),
        }
    }
}

/// The first characters that make a spreadsheet program read a CSV cell as a formula (OWASP's
/// CSV injection list): `=`, `+`, `-`, `@`, tab and carriage return.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// True when a spreadsheet program could take `s` for a formula: it starts with one of
/// [`FORMULA_STARTS`], also behind spaces (which some programs trim on import) or quotes (so
/// that `'` followed by such text is such text too, which makes [`unguard_formula`] the exact
/// inverse of [`guard_formula`]).
fn looks_like_formula(s: &str) -> bool {
    s.trim_start_matches([' ', '\''])
        .starts_with(FORMULA_STARTS)
}

/// The CSV error report's defence against formula injection: text that looks like a formula
/// (`=HYPERLINK(…)`, but also a phone `+90 532 …` or a number `-5`) gets a leading `'`, which
/// makes Excel and LibreOffice show it as text instead of running it.
pub(crate) fn guard_formula(s: &str) -> Cow<'_, str> {
    if looks_like_formula(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// The inverse of [`guard_formula`], applied to every text cell read: `'` followed by text that
/// looks like a formula loses that one `'` (`'+90 532 …` reads as `+90 532 …`, `''=1` as `'=1`);
/// any other text is kept as it is.
pub(crate) fn unguard_formula(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if looks_like_formula(rest) => rest,
        _ => s,
    }
}

/// How the text of a CSV file was encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8").
    Utf8Bom,
    /// UTF-16 little-endian with a byte-order mark (Excel's "Unicode text").
    Utf16Le,
    /// UTF-16 big-endian with a byte-order mark.
    Utf16Be,
    /// Windows-1254 (Turkish), what Excel in a Turkish locale saves as plain "CSV"; assumed
    /// when the bytes are not valid UTF-8.
    Windows1254,
}

/// The kind of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceFormat {
    /// Delimited text (`;`, `,` or tab, sniffed from the header line).
    Csv,
    /// An Excel workbook (Office Open XML).
    Xlsx,
}

impl SourceFormat {
    /// XLSX for a ZIP archive (`PK\x03\x04`), CSV otherwise.
    pub fn sniff(bytes: &[u8]) -> SourceFormat {
        if bytes.starts_with(b"PK\x03\x04") {
            SourceFormat::Xlsx
        } else {
            SourceFormat::Csv
        }
    }
}

/// What was read and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// CSV or XLSX.
    pub format: SourceFormat,
    /// The text encoding, for CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<TextEncoding>,
    /// The delimiter, for CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<char>,
    /// The worksheet, for XLSX.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
}

/// How much a file may hold; larger files are refused with `bulk.too_large` before any row is
/// validated.
///
/// An XLSX workbook is a ZIP archive, so its size says little about what reading it costs:
/// before any entry is decompressed, the sizes its central directory declares are checked
/// against [`Limits::max_expanded_bytes`] and [`Limits::max_compression_ratio`] (the `zip`
/// reader stops an entry that grows past its declared size, so the declared sizes bound the
/// work).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Most bytes in the file (default 32 MiB).
    pub max_bytes: usize,
    /// Most data rows, not counting the header (default 50,000).
    pub max_rows: usize,
    /// Most columns (default 200).
    pub max_columns: usize,
    /// Most bytes the entries of an XLSX workbook may expand to, all together (default
    /// 256 MiB).
    #[serde(default = "default_max_expanded_bytes")]
    pub max_expanded_bytes: u64,
    /// Highest ratio of expanded to compressed size of one XLSX entry, checked for entries that
    /// expand to more than [`RATIO_CHECKED_ABOVE`] bytes (default 200, i.e. 200:1; worksheets
    /// compress about 5–30:1, a deflated run of one byte about 1000:1).
    #[serde(default = "default_max_compression_ratio")]
    pub max_compression_ratio: u32,
}

/// XLSX entries that expand to at most this many bytes (4 MiB) are never refused for their
/// compression ratio: small repetitive parts (styles, an empty sheet) compress very well.
pub const RATIO_CHECKED_ABOVE: u64 = 4 * 1024 * 1024;

fn default_max_expanded_bytes() -> u64 {
    256 * 1024 * 1024
}

fn default_max_compression_ratio() -> u32 {
    200
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 32 * 1024 * 1024,
            max_rows: 50_000,
            max_columns: 200,
            max_expanded_bytes: default_max_expanded_bytes(),
            max_compression_ratio: default_max_compression_ratio(),
        }
    }
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawRow {
    /// The row number a spreadsheet program shows (the header is usually row 1).
    pub(crate) number: usize,
    /// Cells by column; as many as there are headers.
    pub(crate) cells: Vec<Cell>,
}

/// The header and the non-empty data rows of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    pub(crate) headers: Vec<String>,
    pub(crate) rows: Vec<RawRow>,
    pub(crate) source: SourceInfo,
}

/// Collects rows into a [`Table`]: the first non-empty row is the header, empty rows are
/// skipped, every data row gets exactly one cell per header.
pub(crate) struct TableBuilder {
    headers: Option<Vec<String>>,
    rows: Vec<RawRow>,
}

impl TableBuilder {
    pub(crate) fn new() -> Self {
        TableBuilder {
            headers: None,
            rows: Vec::new(),
        }
    }

    /// Adds row `number`. Returns false when the row was a data row beyond `max_rows`.
    pub(crate) fn push(&mut self, number: usize, mut cells: Vec<Cell>, limits: &Limits) -> bool {
        if cells.iter().all(Cell::is_empty) {
            return true;
        }
        match &self.headers {
            None => {
                while cells.last().is_some_and(Cell::is_empty) {
                    cells.pop();
                }
                self.headers = Some(
                    cells
                        .iter()
                        .map(|c| c.as_text().trim().to_string())
                        .collect(),
                );
                true
            }
            Some(h) => {
                if self.rows.len() >= limits.max_rows {
                    return false;
                }
                cells.resize(h.len(), Cell::Empty);
                self.rows.push(RawRow { number, cells });
                true
            }
        }
    }

    pub(crate) fn finish(self, source: SourceInfo) -> Option<Table> {
        let headers = self.headers?;
        Some(Table {
            headers,
            rows: self.rows,
            source,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn floats_become_the_decimal_of_their_shortest_text() {
        assert_eq!(Cell::from_f64(1250.5), Cell::Number(dec!(1250.5)));
        assert_eq!(
            Cell::from_f64(0.1 + 0.2),
            Cell::Number(dec!(0.30000000000000004))
        );
        assert_eq!(Cell::from_f64(5321234567.0), Cell::Number(dec!(5321234567)));
        assert_eq!(Cell::from_f64(-2.25), Cell::Number(dec!(-2.25)));
        assert_eq!(Cell::from_f64(1.0), Cell::Number(dec!(1)));
        assert_eq!(Cell::from_f64(5321234567.0).as_text(), "5321234567");
        assert_eq!(Cell::from_f64(f64::NAN), Cell::Text("NaN".into()));
        assert!(matches!(Cell::from_f64(1e40), Cell::Text(_)));
    }

    #[test]
    fn the_formula_guard_is_undone_exactly_on_reading() {
        for (cell, guarded) in [
            (
                "=HYPERLINK(\"http://x\";\"a\")",
                "'=HYPERLINK(\"http://x\";\"a\")",
            ),
            ("+90 532 123 45 67", "'+90 532 123 45 67"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("  =1+1", "'  =1+1"),
            ("'=1+1", "''=1+1"),
            ("''-2", "'''-2"),
        ] {
            assert_eq!(guard_formula(cell), guarded, "{cell:?}");
            assert_eq!(unguard_formula(guarded), cell, "{guarded:?}");
            assert_eq!(Cell::read(guarded), Cell::text(cell), "{guarded:?}");
        }
        for plain in [
            "Ayşe",
            "0532 123 45 67",
            "5",
            "'abc",
            "'",
            "''",
            "a=b",
            " x",
            "",
        ] {
            assert_eq!(guard_formula(plain), plain, "{plain:?}");
            assert_eq!(unguard_formula(plain), plain, "{plain:?}");
        }
        // What a seller types to keep a phone as text reads as the phone.
        assert_eq!(Cell::read("'+905321234567"), Cell::text("+905321234567"));
        assert_eq!(Cell::read("'\t"), Cell::Empty);
    }

    #[test]
    fn the_first_non_empty_row_is_the_header_and_empty_rows_are_skipped() {
        let l = Limits::default();
        let mut b = TableBuilder::new();
        b.push(1, vec![Cell::Empty, Cell::text("  ")], &l);
        b.push(2, vec![Cell::text("A"), Cell::text("B"), Cell::Empty], &l);
        b.push(3, vec![Cell::text("1")], &l);
        b.push(4, vec![Cell::Empty], &l);
        b.push(
            5,
            vec![Cell::text("2"), Cell::text("x"), Cell::text("extra")],
            &l,
        );
        let t = b.finish(SourceInfo {
            format: SourceFormat::Csv,
            encoding: None,
            delimiter: None,
            sheet: None,
        });
        let t = t.unwrap_or_else(|| panic!("no table"));
        assert_eq!(t.headers, vec!["A", "B"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].number, 3);
        assert_eq!(t.rows[0].cells, vec![Cell::text("1"), Cell::Empty]);
        assert_eq!(t.rows[1].number, 5);
        assert_eq!(t.rows[1].cells.len(), 2);
    }
}
