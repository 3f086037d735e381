//! The error report: the rejected rows exactly as read, followed by four columns — `Satır`
//! (the row in the uploaded file), `Hata Kodu`, `Hata` (Turkish) and `Error` (English). None of
//! these headers names a field, so the seller fixes the cells and uploads the report itself:
//! the extra columns are ignored. Columns of an earlier report are not repeated.
//!
//! CSV reports are UTF-8 with a byte-order mark and `;` between cells (what Excel in a Turkish
//! locale opens directly); XLSX reports keep numeric cells numeric.
//!
//! The cells come from an uploaded file, so a report must not run them: in a CSV report every
//! cell that a spreadsheet program would take for a formula (one starting with `=`, `+`, `-`,
//! `@`, tab or carriage return, OWASP's list) gets a leading `'`, which the importer drops
//! again, so the report still imports to the same cells (a phone `+90 532 …` stays that phone,
//! `-5` stays `-5`). XLSX reports write every text as a string cell, never as a formula, so
//! they need no such quote.

use super::ImportResult;
use super::table::{Cell, guard_formula};
use crate::error::{Error, Result};
use rust_decimal::prelude::ToPrimitive;

/// The headers the report adds after the file's own columns.
pub const REPORT_COLUMNS: [&str; 4] = ["Satır", "Hata Kodu", "Hata", "Error"];

/// Longest text an XLSX cell holds.
const XLSX_MAX_CHARS: usize = 32_767;

/// One line of the report: the kept cells, then the four report columns.
struct ReportLine<'a> {
    cells: Vec<&'a Cell>,
    extra: [String; 4],
}

impl ImportResult {
    /// Indices of the file's columns that are not columns of an earlier report.
    fn kept_columns(&self) -> Vec<usize> {
        (0..self.headers.len())
            .filter(|i| !REPORT_COLUMNS.contains(&self.headers[*i].as_str()))
            .collect()
    }

    fn report_header(&self, kept: &[usize]) -> Vec<String> {
        kept.iter()
            .map(|i| self.headers[*i].clone())
            .chain(REPORT_COLUMNS.iter().map(|s| s.to_string()))
            .collect()
    }

    fn report_lines<'a>(&'a self, kept: &[usize]) -> Vec<ReportLine<'a>> {
        static EMPTY: Cell = Cell::Empty;
        self.rejected
            .iter()
            .map(|r| {
                let join = |f: &dyn Fn(&super::RowError) -> String| {
                    r.errors.iter().map(f).collect::<Vec<_>>().join("; ")
                };
                ReportLine {
                    cells: kept
                        .iter()
                        .map(|i| r.cells.get(*i).unwrap_or(&EMPTY))
                        .collect(),
                    extra: [
                        r.row.to_string(),
                        join(&|e| e.code.as_str().to_string()),
                        join(&|e| e.message_tr.clone()),
                        join(&|e| e.message_en.clone()),
                    ],
                }
            })
            .collect()
    }

    /// The rejected rows as CSV (UTF-8 with BOM, `;`), ready to fix and upload again. Cells
    /// that look like formulas are quoted with a leading `'` (see the module docs).
    pub fn error_report_csv(&self) -> Result<Vec<u8>> {
        let kept = self.kept_columns();
        let mut out = b"\xEF\xBB\xBF".to_vec();
        {
            let mut w = csv::WriterBuilder::new()
                .delimiter(b';')
                .flexible(false)
                .from_writer(&mut out);
            let failed = |e: csv::Error| Error::internal(format!("writing the CSV report: {e}"));
            let header = self.report_header(&kept);
            w.write_record(header.iter().map(|h| guard_formula(h).into_owned()))
                .map_err(failed)?;
            for line in self.report_lines(&kept) {
                let record: Vec<String> = line
                    .cells
                    .iter()
                    .map(|c| guard_formula(&c.as_text()).into_owned())
                    .chain(line.extra.iter().map(|t| guard_formula(t).into_owned()))
                    .collect();
                w.write_record(&record).map_err(failed)?;
            }
            w.flush()
                .map_err(|e| Error::internal(format!("writing the CSV report: {e}")))?;
        }
        Ok(out)
    }

    /// The rejected rows as an XLSX workbook (sheet `Hatalar`), ready to fix and upload again.
    pub fn error_report_xlsx(&self) -> Result<Vec<u8>> {
        use rust_xlsxwriter::{Color, Format, Workbook};
        let failed = |e: rust_xlsxwriter::XlsxError| {
            Error::internal(format!("writing the XLSX report: {e}"))
        };
        let kept = self.kept_columns();
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Hatalar").map_err(failed)?;
        let bold = Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xFDE9E7));
        for (c, h) in self.report_header(&kept).iter().enumerate() {
            sheet
                .write_string_with_format(0, col(c)?, clip(h), &bold)
                .map_err(failed)?;
        }
        for (r, line) in self.report_lines(&kept).iter().enumerate() {
            let row = u32::try_from(r + 1)
                .map_err(|_| Error::internal("too many rows for an XLSX report"))?;
            for (c, cell) in line.cells.iter().enumerate() {
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        sheet.write_string(row, col(c)?, clip(s)).map_err(failed)?;
                    }
                    Cell::Number(d) => match d.to_f64() {
                        Some(f) => {
                            sheet.write_number(row, col(c)?, f).map_err(failed)?;
                        }
                        None => {
                            sheet
                                .write_string(row, col(c)?, d.to_string())
                                .map_err(failed)?;
                        }
                    },
                }
            }
            for (k, text) in line.extra.iter().enumerate() {
                let c = col(line.cells.len() + k)?;
                if k == 0 {
                    if let Ok(n) = text.parse::<u32>() {
                        sheet.write_number(row, c, f64::from(n)).map_err(failed)?;
                        continue;
                    }
                }
                sheet.write_string(row, c, clip(text)).map_err(failed)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        sheet.autofit();
        workbook.save_to_buffer().map_err(failed)
    }
}

fn col(c: usize) -> Result<u16> {
    u16::try_from(c).map_err(|_| Error::internal("too many columns for an XLSX report"))
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(XLSX_MAX_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
