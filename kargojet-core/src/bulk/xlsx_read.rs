//! Reading an XLSX workbook with `calamine`: the first visible worksheet (or a named one),
//! streamed cell by cell so that a sheet declaring a huge range costs only the cells it has.
//!
//! Numeric cells arrive as `f64`; they become exact decimals through their shortest
//! round-trip text ([`Cell::from_f64`]), so `1250.5` is 1250.5 and money is never a float.
//!
//! Before calamine opens anything, the ZIP central directory is checked ([`check_expansion`]):
//! a workbook of a few kilobytes can declare gigabytes of XML (a decompression bomb), and only
//! the uploaded size is limited otherwise.

use super::csv_read::too_large;
use super::table::{
    Cell, Limits, RATIO_CHECKED_ABOVE, SourceFormat, SourceInfo, Table, TableBuilder,
};
use crate::error::{Code, Error, Result};
use crate::geo::fold;
use calamine::{DataRef, Reader, SheetType, SheetVisible, Xlsx};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Cursor;

fn unreadable(detail: impl Into<String>) -> Error {
    Error::invalid(Code::BulkUnreadableFile, "file", detail)
}

/// Reads one worksheet of an XLSX workbook into a table.
pub(crate) fn read_xlsx(bytes: &[u8], sheet: Option<&str>, limits: &Limits) -> Result<Table> {
    // calamine is a third-party parser of untrusted input: a panic inside it becomes an
    // unreadable-file error instead of taking the caller down.
    let read = std::panic::catch_unwind(|| read_cells(bytes, sheet, limits));
    let (name, rows) = match read {
        Ok(r) => r?,
        Err(_) => return Err(unreadable("the workbook could not be parsed")),
    };
    let mut builder = TableBuilder::new();
    for (row, cells) in rows {
        let width = cells.iter().map(|(c, _)| *c + 1).max().unwrap_or(0);
        let mut line = vec![Cell::Empty; width];
        for (c, cell) in cells {
            line[c] = cell;
        }
        let number = usize::try_from(row).unwrap_or(usize::MAX).saturating_add(1);
        if !builder.push(number, line, limits) {
            return Err(too_large(format!(
                "more than {} shipment rows",
                limits.max_rows
            )));
        }
    }
    builder
        .finish(SourceInfo {
            format: SourceFormat::Xlsx,
            encoding: None,
            delimiter: None,
            sheet: Some(name.clone()),
        })
        .ok_or_else(|| {
            Error::invalid(
                Code::BulkEmptyFile,
                "file",
                format!("worksheet '{name}' has no header row"),
            )
        })
}

/// Non-empty cells by 0-based row, each with its 0-based column.
type SparseRows = BTreeMap<u32, Vec<(usize, Cell)>>;

/// Refuses, with `bulk.too_large`, a workbook whose entries would expand to more than
/// [`Limits::max_expanded_bytes`] together, or one of whose entries larger than
/// [`RATIO_CHECKED_ABOVE`] expands more than [`Limits::max_compression_ratio`] times its
/// compressed size.
///
/// Only the central directory is read (nothing is decompressed). Its sizes are the ones the
/// `zip` reader that calamine uses bounds every entry by (reading past an entry's declared size
/// is an error there), so an entry that lies about its size is cut off at the lie.
fn check_expansion(bytes: &[u8], limits: &Limits) -> Result<()> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| unreadable(format!("not a readable XLSX workbook: {e}")))?;
    let ratio = u128::from(limits.max_compression_ratio);
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_data(i)
            .map_err(|e| unreadable(format!("not a readable XLSX workbook: {e}")))?;
        let (size, compressed) = (entry.size(), entry.compressed_size());
        if size > RATIO_CHECKED_ABOVE && u128::from(size) > ratio * u128::from(compressed) {
            let name = entry.name().map(|n| n.into_owned()).unwrap_or_default();
            return Err(too_large(format!(
                "workbook entry '{name}' expands from {compressed} to {size} bytes, more than \
                 {}:1 (the limit for entries over {} MiB); refused as a decompression bomb",
                limits.max_compression_ratio,
                RATIO_CHECKED_ABOVE / (1024 * 1024)
            )));
        }
        total = total.saturating_add(size);
        if total > limits.max_expanded_bytes {
            return Err(too_large(format!(
                "the workbook expands to more than {} bytes ({} MiB), the limit for XLSX files",
                limits.max_expanded_bytes,
                limits.max_expanded_bytes / (1024 * 1024)
            )));
        }
    }
    Ok(())
}

fn read_cells(bytes: &[u8], sheet: Option<&str>, limits: &Limits) -> Result<(String, SparseRows)> {
    check_expansion(bytes, limits)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| unreadable(format!("not a readable XLSX workbook: {e}")))?;
    let name = pick_sheet(&workbook, sheet)?;
    let mut reader = workbook
        .worksheet_cells_reader(&name)
        .map_err(|e| unreadable(format!("worksheet '{name}': {e}")))?;
    let mut rows: SparseRows = BTreeMap::new();
    while let Some(cell) = reader
        .next_cell()
        .map_err(|e| unreadable(format!("worksheet '{name}': {e}")))?
    {
        let (row, col) = cell.get_position();
        let value = convert(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let col = usize::try_from(col).unwrap_or(usize::MAX);
        if col >= limits.max_columns {
            return Err(too_large(format!(
                "row {} has a value in column {}, at most {} columns are read",
                u64::from(row) + 1,
                col.saturating_add(1),
                limits.max_columns
            )));
        }
        let entry = rows.entry(row).or_default();
        entry.push((col, value));
        // The header row and at most `max_rows` data rows.
        if rows.len() > limits.max_rows.saturating_add(1) {
            return Err(too_large(format!(
                "more than {} shipment rows",
                limits.max_rows
            )));
        }
    }
    Ok((name, rows))
}

/// The named sheet (exact, else case- and i-insensitive), or the first visible worksheet.
fn pick_sheet<R: std::io::Read + std::io::Seek>(
    workbook: &Xlsx<R>,
    wanted: Option<&str>,
) -> Result<String> {
    let sheets = workbook.sheets_metadata();
    let names = || {
        sheets
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some(w) = wanted {
        return sheets
            .iter()
            .find(|s| s.name == w)
            .or_else(|| sheets.iter().find(|s| fold(&s.name) == fold(w)))
            .map(|s| s.name.clone())
            .ok_or_else(|| {
                Error::invalid(
                    Code::BulkUnreadableFile,
                    "sheet",
                    format!("no worksheet named '{w}'; the workbook has: {}", names()),
                )
            });
    }
    let worksheets = || sheets.iter().filter(|s| s.typ == SheetType::WorkSheet);
    worksheets()
        .find(|s| s.visible == SheetVisible::Visible)
        .or_else(|| worksheets().next())
        .map(|s| s.name.clone())
        .ok_or_else(|| unreadable("the workbook has no worksheet"))
}

fn convert(value: &DataRef<'_>) -> Cell {
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::Int(i) => Cell::Number(Decimal::from(*i)),
        DataRef::Float(f) => Cell::from_f64(*f),
        DataRef::String(s) => Cell::read(s),
        DataRef::SharedString(s) => Cell::read(s),
        DataRef::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.into()),
        DataRef::DateTime(d) => Cell::Text(d.to_string()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => Cell::text(s),
        DataRef::Error(e) => Cell::Text(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;
    use rust_xlsxwriter::Workbook;

    fn workbook(
        build: impl FnOnce(&mut Workbook) -> std::result::Result<(), rust_xlsxwriter::XlsxError>,
    ) -> Vec<u8> {
        let mut wb = Workbook::new();
        if let Err(e) = build(&mut wb) {
            panic!("{e}");
        }
        wb.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn reads_text_and_exact_numbers_from_the_first_visible_sheet() {
        let bytes = workbook(|wb| {
            let hidden = wb.add_worksheet().set_name("Gizli")?;
            hidden.write_string(0, 0, "wrong sheet")?;
            hidden.set_hidden(true);
            let ws = wb.add_worksheet().set_name("Siparişler")?;
            // The active sheet cannot be hidden: make the second one active.
            ws.set_active(true);
            ws.write_string(2, 0, "İl")?;
            ws.write_string(2, 1, "Tutar")?;
            ws.write_string(3, 0, "İstanbul")?;
            ws.write_number(3, 1, 1250.5)?;
            ws.write_number(5, 1, 0.1 + 0.2)?;
            Ok(())
        });
        let t = read_xlsx(&bytes, None, &Limits::default()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(t.source.sheet.as_deref(), Some("Siparişler"));
        assert_eq!(t.headers, vec!["İl", "Tutar"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].number, 4);
        assert_eq!(t.rows[0].cells[1], Cell::Number(dec!(1250.5)));
        assert_eq!(t.rows[1].number, 6);
        assert_eq!(t.rows[1].cells[0], Cell::Empty);
        let t = read_xlsx(&bytes, Some("gizli"), &Limits::default());
        assert_eq!(
            t.map(|t| t.headers).ok(),
            Some(vec!["wrong sheet".to_string()])
        );
        assert_eq!(
            read_xlsx(&bytes, Some("Yok"), &Limits::default())
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .as_deref(),
            Some("sheet")
        );
    }

    #[test]
    fn broken_workbooks_and_far_away_cells_are_refused_cheaply() {
        assert_eq!(
            read_xlsx(b"PK\x03\x04 not really a zip", None, &Limits::default())
                .err()
                .map(|e| e.code()),
            Some(Code::BulkUnreadableFile)
        );
        let bytes = workbook(|wb| {
            let ws = wb.add_worksheet();
            ws.write_string(0, 0, "a")?;
            ws.write_string(1_000_000, 16_000, "far")?;
            Ok(())
        });
        assert_eq!(
            read_xlsx(&bytes, None, &Limits::default())
                .err()
                .map(|e| e.code()),
            Some(Code::BulkTooLarge)
        );
        let empty = workbook(|wb| {
            wb.add_worksheet();
            Ok(())
        });
        assert_eq!(
            read_xlsx(&empty, None, &Limits::default())
                .err()
                .map(|e| e.code()),
            Some(Code::BulkEmptyFile)
        );
    }
}
