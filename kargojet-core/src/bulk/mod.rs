//! Bulk import: shipment lists from CSV or XLSX, as sellers export them, into validated
//! requests, a priced plan, and shipments with one label PDF.
//!
//! 1. [`import`] reads the file (CSV in UTF-8 with or without a BOM, UTF-16 or Windows-1254,
//!    `;`/`,`/tab sniffed; or XLSX through `calamine`), matches the columns by their Turkish or
//!    English headers (or by a saved [`ColumnMapping`]) and turns every row into a validated
//!    [`ShipmentRequest`] or a list of [`RowError`]s. One bad row never stops the others; the
//!    [`ImportResult`] counts them and writes an error report (CSV or XLSX, with the error in
//!    extra columns) that imports again once fixed.
//! 2. [`plan`] quotes every accepted row with the orchestrator: the chosen offer per row,
//!    totals per carrier and the total cost, before anything is bought.
//! 3. [`buy`] ships the plan row by row with idempotency keys derived from the file's content
//!    hash and the row number, so a retried upload of the same file never ships a row twice,
//!    and merges the labels into one multi-page PDF.
//!
//! Every stage reports its progress (rows done / total) to a callback.
//!
//! ```no_run
//! # async fn demo(orchestrator: &kargojet_core::orchestrator::Orchestrator,
//! #               sender: kargojet_core::address::Party, bytes: &[u8]) -> kargojet_core::Result<()> {
//! use kargojet_core::bulk::{self, BuyOptions, ImportOptions, PlanOptions};
//! let imported = bulk::import(bytes, &ImportOptions::new(sender))?;
//! println!("{} accepted, {} rejected", imported.accepted.len(), imported.rejected.len());
//! std::fs::write("hatalar.xlsx", imported.error_report_xlsx()?).ok();
//! let plan = bulk::plan(orchestrator, &imported, &PlanOptions::new("acme"), &bulk::no_progress).await?;
//! println!("total {}", plan.total.to_turkish());
//! let bought = bulk::buy(orchestrator, &plan, &BuyOptions::default(), &bulk::no_progress).await;
//! # let _ = bought; Ok(()) }
//! ```

mod buy;
mod columns;
mod csv_read;
mod number;
mod plan;
mod progress;
mod report;
mod row;
mod table;
mod xlsx_read;

pub use buy::{BulkPurchase, BuyOptions, ShippedRow, buy};
pub use columns::{ColumnMapping, ColumnRef, Field};
pub use plan::{BulkPlan, CarrierTotal, PlanOptions, PlannedRow, plan};
pub use progress::{Progress, ProgressFn, Stage, no_progress};
pub use report::REPORT_COLUMNS;
pub use row::RowError;
pub use table::{Cell, Limits, RATIO_CHECKED_ABOVE, SourceFormat, SourceInfo, TextEncoding};

use crate::address::Party;
use crate::error::{Code, Error, Result};
use crate::shipment::ShipmentRequest;
use columns::Columns;
use progress::Reporter;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// How to read a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOptions {
    /// Who sends every shipment of the file (the seller's validated warehouse address).
    pub sender: Party,
    /// A saved column mapping; `None` matches every column by its header.
    pub mapping: Option<ColumnMapping>,
    /// Force CSV or XLSX; `None` sniffs (a ZIP archive is XLSX).
    pub format: Option<SourceFormat>,
    /// The XLSX worksheet; `None` takes the first visible one.
    pub sheet: Option<String>,
    /// Ask for an SMS to every recipient.
    pub sms: bool,
    /// Size limits.
    pub limits: Limits,
}

impl ImportOptions {
    /// Options with header matching, format sniffing and default limits.
    pub fn new(sender: Party) -> ImportOptions {
        ImportOptions {
            sender,
            mapping: None,
            format: None,
            sheet: None,
            sms: false,
            limits: Limits::default(),
        }
    }
}

/// A row that became a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcceptedRow {
    /// The row number a spreadsheet program shows.
    pub row: usize,
    /// The validated request.
    pub request: ShipmentRequest,
}

/// A row that did not, with its cells as read (for the error report) and every problem found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// The row number a spreadsheet program shows.
    pub row: usize,
    /// The cells, one per header.
    pub cells: Vec<Cell>,
    /// The problems, at least one.
    pub errors: Vec<RowError>,
}

/// The outcome of reading a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    /// Lower-case hex SHA-256 of the file's bytes; the idempotency keys derive from it.
    pub file_hash: String,
    /// What was read and how.
    pub source: SourceInfo,
    /// The header row as written.
    pub headers: Vec<String>,
    /// The column mapping that was used, to save and reuse for the next file.
    pub mapping: ColumnMapping,
    /// Headers of the columns no field uses.
    pub ignored_columns: Vec<String>,
    /// Rows that became requests, in file order.
    pub accepted: Vec<AcceptedRow>,
    /// Rows that did not, in file order.
    pub rejected: Vec<RejectedRow>,
}

impl ImportResult {
    /// Data rows read (accepted + rejected; empty rows are not counted).
    pub fn total_rows(&self) -> usize {
        self.accepted.len() + self.rejected.len()
    }

    /// Why rows were rejected: how many rows had each code (a row with two problems of one code
    /// counts once).
    pub fn reasons(&self) -> BTreeMap<Code, usize> {
        let mut out = BTreeMap::new();
        for r in &self.rejected {
            let mut codes: Vec<Code> = r.errors.iter().map(|e| e.code).collect();
            codes.sort();
            codes.dedup();
            for c in codes {
                *out.entry(c).or_insert(0) += 1;
            }
        }
        out
    }

    /// The idempotency key of a row of this file: `bulk:<first 32 hex digits of the file
    /// hash>:<row>`. The same bytes always give the same keys.
    pub fn idempotency_key(&self, row: usize) -> String {
        idempotency_key(&self.file_hash, row)
    }
}

pub(crate) fn idempotency_key(file_hash: &str, row: usize) -> String {
    let short = file_hash.get(..32).unwrap_or(file_hash);
    format!("bulk:{short}:{row}")
}

/// Reads a file and validates every row (see the module docs).
///
/// File-level problems are errors: an unreadable or empty file, one too large for
/// [`Limits`], a required column missing, two columns for one field, a mapping that does not
/// fit. Problems in rows never are: they are in [`ImportResult::rejected`].
pub fn import(bytes: &[u8], options: &ImportOptions) -> Result<ImportResult> {
    import_with_progress(bytes, options, &no_progress)
}

/// [`import`], reporting each validated row.
pub fn import_with_progress(
    bytes: &[u8],
    options: &ImportOptions,
    progress: ProgressFn<'_>,
) -> Result<ImportResult> {
    if bytes.len() > options.limits.max_bytes {
        return Err(Error::invalid(
            Code::BulkTooLarge,
            "file",
            format!(
                "{} bytes, at most {} are read",
                bytes.len(),
                options.limits.max_bytes
            ),
        ));
    }
    let format = options.format.unwrap_or_else(|| SourceFormat::sniff(bytes));
    let table = match format {
        SourceFormat::Csv => csv_read::read_csv(bytes, &options.limits)?,
        SourceFormat::Xlsx => {
            xlsx_read::read_xlsx(bytes, options.sheet.as_deref(), &options.limits)?
        }
    };
    if table.rows.is_empty() {
        return Err(Error::invalid(
            Code::BulkEmptyFile,
            "file",
            "the file has a header row but no shipment row",
        ));
    }
    let columns = Columns::resolve(&table.headers, options.mapping.as_ref())?;
    let ctx = row::RowContext {
        columns: &columns,
        sender: &options.sender,
        sms: options.sms,
    };
    let mut reporter = Reporter::start(progress, Stage::Validating, table.rows.len());
    let mut orders = HashMap::new();
    let mut accepted = Vec::new();
    let mut rejected = Vec::new();
    for raw in table.rows {
        match row::validate_row(&raw, &ctx, &mut orders) {
            Ok(request) => accepted.push(AcceptedRow {
                row: raw.number,
                request,
            }),
            Err(errors) => rejected.push(RejectedRow {
                row: raw.number,
                cells: raw.cells,
                errors,
            }),
        }
        reporter.step();
    }
    Ok(ImportResult {
        file_hash: hex::encode(Sha256::digest(bytes)),
        source: table.source,
        mapping: columns.mapping(),
        ignored_columns: columns.ignored(),
        headers: table.headers,
        accepted,
        rejected,
    })
}
