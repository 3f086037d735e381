//! Reading delimited text as sellers' tools export it: UTF-8 with or without a byte-order mark,
//! UTF-16 with one, or Windows-1254 (Turkish Excel's plain "CSV"); `;`, `,` or tab as the
//! delimiter, sniffed from the header line.
//!
//! Row numbers are the ones a spreadsheet program shows when it opens the file: one per
//! record (a quoted cell with a line break stays in its row), blank lines counted.

use super::table::{Cell, Limits, SourceFormat, SourceInfo, Table, TableBuilder, TextEncoding};
use crate::error::{Code, Error, Result};
use encoding_rs::{UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1254};
use std::borrow::Cow;

/// Decodes the bytes of a text file (see the module docs for the encodings recognised).
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (
            UTF_8.decode_without_bom_handling(rest).0,
            TextEncoding::Utf8Bom,
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (
            UTF_16LE.decode_without_bom_handling(rest).0,
            TextEncoding::Utf16Le,
        );
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (
            UTF_16BE.decode_without_bom_handling(rest).0,
            TextEncoding::Utf16Be,
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), TextEncoding::Utf8),
        Err(_) => (
            WINDOWS_1254.decode_without_bom_handling(bytes).0,
            TextEncoding::Windows1254,
        ),
    }
}

/// The delimiter of the first non-blank line: whichever of `;`, `,` and tab occurs most often
/// outside quotes (`;` wins ties: Turkish Excel writes `;` and decimal commas).
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    let mut seen_content = false;
    for ch in text.chars() {
        match ch {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes && seen_content => break,
            ';' if !in_quotes => counts[0] += 1,
            ',' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
        if !ch.is_whitespace() {
            seen_content = true;
        }
    }
    let delimiters = [b';', b',', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    if counts[best] == 0 {
        b','
    } else {
        delimiters[best]
    }
}

/// Reads a CSV file into a table.
pub(crate) fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Table> {
    let (text, encoding) = decode(bytes);
    let delimiter = sniff_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut builder = TableBuilder::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0usize;
    let bytes = text.as_bytes();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(Error::invalid(
                    Code::BulkUnreadableFile,
                    "file",
                    format!("CSV record after row {row}: {e}"),
                ));
            }
        }
        // A record's position is where the previous one ended, with its line break consumed
        // or not (the reader differs for `\n` and `\r\n`): the run of breaks around it is
        // that terminator and the blank lines the reader skipped.
        let from = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(bytes.len());
        let breaks = line_breaks_at(bytes, from);
        row = if row == 0 {
            breaks.saturating_add(1)
        } else {
            row.saturating_add(breaks.max(1))
        };
        if record.len() > limits.max_columns {
            return Err(too_large(format!(
                "row {row} has {} columns, at most {} are read",
                record.len(),
                limits.max_columns
            )));
        }
        let cells = record.iter().map(Cell::read).collect();
        if !builder.push(row, cells, limits) {
            return Err(too_large(format!(
                "more than {} shipment rows",
                limits.max_rows
            )));
        }
    }
    builder
        .finish(SourceInfo {
            format: SourceFormat::Csv,
            encoding: Some(encoding),
            delimiter: Some(char::from(delimiter)),
            sheet: None,
        })
        .ok_or_else(|| Error::invalid(Code::BulkEmptyFile, "file", "the file has no header row"))
}

/// How many line breaks (`\n`, `\r\n` or a lone `\r`) are in the run of `\r`/`\n` bytes
/// around `from`. (A record's text never ends with a line break: blank lines are skipped and a
/// quoted cell ends with its quote.)
fn line_breaks_at(bytes: &[u8], from: usize) -> usize {
    let mut start = from.min(bytes.len());
    while start > 0 && matches!(bytes[start - 1], b'\r' | b'\n') {
        start -= 1;
    }
    let mut n = 0;
    let mut i = start;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\n' => n += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => n += 1,
            b'\r' => {}
            _ => break,
        }
        i += 1;
    }
    n
}

pub(crate) fn too_large(detail: String) -> Error {
    Error::invalid(Code::BulkTooLarge, "file", detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(bytes: &[u8]) -> Table {
        match read_csv(bytes, &Limits::default()) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn encodings_are_recognised() {
        let utf8 = "İl;İlçe\nİstanbul;Şişli\n";
        let t = table(utf8.as_bytes());
        assert_eq!(t.source.encoding, Some(TextEncoding::Utf8));
        assert_eq!(t.headers, vec!["İl", "İlçe"]);
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(utf8.as_bytes());
        let t = table(&bom);
        assert_eq!(t.source.encoding, Some(TextEncoding::Utf8Bom));
        assert_eq!(t.headers, vec!["İl", "İlçe"]);
        let (cp1254, _, _) = WINDOWS_1254.encode(utf8);
        assert_ne!(&cp1254[..], utf8.as_bytes());
        let t = table(&cp1254);
        assert_eq!(t.source.encoding, Some(TextEncoding::Windows1254));
        assert_eq!(t.rows[0].cells[1], Cell::text("Şişli"));
        let mut utf16: Vec<u8> = vec![0xFF, 0xFE];
        for u in "İl\tİlçe\r\nİzmir\tKonak\r\n".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let t = table(&utf16);
        assert_eq!(t.source.encoding, Some(TextEncoding::Utf16Le));
        assert_eq!(t.source.delimiter, Some('\t'));
        assert_eq!(t.rows[0].cells[0], Cell::text("İzmir"));
    }

    #[test]
    fn the_delimiter_is_sniffed_from_the_header_line() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2,5;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n1;2;3;4;5;6\n"), b',');
        assert_eq!(sniff_delimiter("\n\n\"a;b\",c,d\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\n"), b'\t');
        assert_eq!(sniff_delimiter("a;b,c\n"), b';');
        assert_eq!(sniff_delimiter("single\n"), b',');
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let t = table(b"A;B\r\n1;x\r\n\r\n2;\"two\r\nlines\"\r\n3;y\r\n");
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![2, 4, 5]);
        assert_eq!(t.rows[1].cells[1], Cell::text("two\r\nlines"));
        let t = table(b"\n\nA,B\n1,2\n");
        assert_eq!(t.rows[0].number, 4);
        let t = table(b"A;B\n1;x\n\n\n2;\"two\nlines\"\n3;y");
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![2, 5, 6]);
        let t = table(b"A;B\r1;x\r\r2;y\r");
        let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![2, 4]);
    }

    #[test]
    fn limits_and_empty_files_are_errors() {
        assert_eq!(
            read_csv(b"", &Limits::default()).err().map(|e| e.code()),
            Some(Code::BulkEmptyFile)
        );
        assert_eq!(
            read_csv(b" \n;;\n", &Limits::default())
                .err()
                .map(|e| e.code()),
            Some(Code::BulkEmptyFile)
        );
        let small = Limits {
            max_rows: 2,
            ..Limits::default()
        };
        assert_eq!(
            read_csv(b"a\n1\n2\n3\n", &small).err().map(|e| e.code()),
            Some(Code::BulkTooLarge)
        );
        assert!(read_csv(b"a\n1\n2\n", &small).is_ok());
        let narrow = Limits {
            max_columns: 3,
            ..Limits::default()
        };
        assert_eq!(
            read_csv(b"a;b;c;d\n", &narrow).err().map(|e| e.code()),
            Some(Code::BulkTooLarge)
        );
    }
}
