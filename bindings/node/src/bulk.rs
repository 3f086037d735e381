//! Bulk import across the boundary, stateless: the file's bytes are passed (as a `Buffer` or
//! `Uint8Array`) on every call. `bulkImport` reads and validates rows; `KargoJet.bulkQuote`
//! prices them; `KargoJet.bulkShip` buys them under keys derived from the file's content, so
//! uploading the same file again never ships a row twice.

use crate::error::to_napi;
use crate::input::PartyInput;
use crate::output::{Label, Money, Offer, count};
use kargojet_ffi as ffi;
use napi::Env;
use napi::bindgen_prelude::{Buffer, Uint8Array};
use napi_derive::napi;

/// The kind of a bulk file.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkFileFormat {
    /// Delimited text (`;`, `,` or tab), UTF-8/UTF-16/Windows-1254.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl From<BulkFileFormat> for ffi::BulkFileFormat {
    fn from(f: BulkFileFormat) -> Self {
        match f {
            BulkFileFormat::Csv => ffi::BulkFileFormat::Csv,
            BulkFileFormat::Xlsx => ffi::BulkFileFormat::Xlsx,
        }
    }
}

impl From<ffi::BulkFileFormat> for BulkFileFormat {
    fn from(f: ffi::BulkFileFormat) -> Self {
        match f {
            ffi::BulkFileFormat::Csv => BulkFileFormat::Csv,
            ffi::BulkFileFormat::Xlsx => BulkFileFormat::Xlsx,
        }
    }
}

/// How to read a bulk file.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct BulkOptions {
    /// Who sends every shipment of the file (the seller's warehouse).
    pub sender: PartyInput,
    /// A saved column mapping as JSON (`{"columns": {"recipient_name": "Müşteri"}}`); none
    /// matches every column by its Turkish or English header.
    pub mapping_json: Option<String>,
    /// Force CSV or XLSX (none: sniffed).
    pub format: Option<BulkFileFormat>,
    /// The XLSX worksheet (none: the first visible one).
    pub sheet: Option<String>,
    /// Ask for an SMS to every recipient.
    pub sms: Option<bool>,
}

impl From<BulkOptions> for ffi::BulkOptions {
    fn from(o: BulkOptions) -> Self {
        ffi::BulkOptions {
            sender: o.sender.into(),
            mapping_json: o.mapping_json,
            format: o.format.map(Into::into),
            sheet: o.sheet,
            sms: o.sms.unwrap_or(false),
        }
    }
}

/// One problem of one row.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BulkRowError {
    /// Row number in the file (the header is row 1).
    pub row: i64,
    /// The field (`recipient_phone`, …), if one.
    pub field: Option<String>,
    /// The column header, if one.
    pub column: Option<String>,
    /// Stable code.
    pub code: String,
    /// Message in Turkish.
    pub message_tr: String,
    /// Message in English.
    pub message_en: String,
    /// The offending cell as read.
    pub raw: String,
}

impl From<ffi::BulkRowError> for BulkRowError {
    fn from(e: ffi::BulkRowError) -> Self {
        BulkRowError {
            row: count(e.row),
            field: e.field,
            column: e.column,
            code: e.code,
            message_tr: e.message_tr,
            message_en: e.message_en,
            raw: e.raw,
        }
    }
}

fn row_errors(list: Vec<ffi::BulkRowError>) -> Vec<BulkRowError> {
    list.into_iter().map(Into::into).collect()
}

/// What a bulk file holds.
#[napi(object, object_from_js = false)]
pub struct BulkImport {
    /// SHA-256 of the file (the base of every row's idempotency key).
    pub file_hash: String,
    /// CSV or XLSX, as read.
    pub format: BulkFileFormat,
    /// The header row.
    pub headers: Vec<String>,
    /// Columns no field uses.
    pub ignored_columns: Vec<String>,
    /// Data rows in the file.
    pub total_rows: i64,
    /// Row numbers that validated.
    pub accepted_rows: Vec<i64>,
    /// Every problem of the rejected rows.
    pub errors: Vec<BulkRowError>,
    /// The rejected rows as CSV with the errors in extra columns (none when none failed).
    pub error_report_csv: Option<Buffer>,
}

impl From<ffi::BulkImport> for BulkImport {
    fn from(i: ffi::BulkImport) -> Self {
        BulkImport {
            file_hash: i.file_hash,
            format: i.format.into(),
            headers: i.headers,
            ignored_columns: i.ignored_columns,
            total_rows: count(i.total_rows),
            accepted_rows: i.accepted_rows.into_iter().map(count).collect(),
            errors: row_errors(i.errors),
            error_report_csv: i.error_report_csv.map(Into::into),
        }
    }
}

/// One row's chosen offer.
#[napi(object, object_from_js = false)]
pub struct BulkPlannedRow {
    /// Row number.
    pub row: i64,
    /// The key it is bought under.
    pub idempotency_key: String,
    /// The chosen offer.
    pub offer: Offer,
}

/// What one carrier gets in a plan.
#[napi(object, object_from_js = false)]
pub struct BulkCarrierTotal {
    /// Carrier id.
    pub carrier: String,
    /// Shipments.
    pub shipments: i64,
    /// Parcels.
    pub parcels: i64,
    /// Their total.
    pub total: Money,
}

/// Every accepted row priced, before anything is bought.
#[napi(object, object_from_js = false)]
pub struct BulkPlan {
    /// The file as read.
    pub imported: BulkImport,
    /// Rows with their offers.
    pub rows: Vec<BulkPlannedRow>,
    /// Accepted rows no carrier could take.
    pub unplanned: Vec<BulkRowError>,
    /// Totals per carrier.
    pub carriers: Vec<BulkCarrierTotal>,
    /// The plan's total.
    pub total: Money,
    /// Some price is illustrative (not real).
    pub illustrative: bool,
}

impl From<ffi::BulkPlan> for BulkPlan {
    fn from(p: ffi::BulkPlan) -> Self {
        BulkPlan {
            imported: p.imported.into(),
            rows: p
                .rows
                .into_iter()
                .map(|r| BulkPlannedRow {
                    row: count(r.row),
                    idempotency_key: r.idempotency_key,
                    offer: r.offer.into(),
                })
                .collect(),
            unplanned: row_errors(p.unplanned),
            carriers: p
                .carriers
                .into_iter()
                .map(|c| BulkCarrierTotal {
                    carrier: c.carrier,
                    shipments: count(c.shipments),
                    parcels: count(c.parcels),
                    total: c.total.into(),
                })
                .collect(),
            total: p.total.into(),
            illustrative: p.illustrative,
        }
    }
}

/// One bought row.
#[napi(object, object_from_js = false)]
pub struct BulkShippedRow {
    /// Row number.
    pub row: i64,
    /// KargoJet's shipment id.
    pub shipment_id: String,
    /// Carrier id.
    pub carrier: String,
    /// Tracking number (or merchant key until the carrier gives one).
    pub tracking_number: String,
    /// What it cost.
    pub total: Money,
}

/// The result of buying a plan: never a failure as a whole.
#[napi(object, object_from_js = false)]
pub struct BulkPurchase {
    /// The plan that was bought.
    pub plan: BulkPlan,
    /// Rows bought.
    pub shipped: Vec<BulkShippedRow>,
    /// Rows that failed, with why.
    pub failed: Vec<BulkRowError>,
    /// Total bought.
    pub total: Money,
    /// Every label in one PDF, one page per parcel.
    pub labels: Option<Label>,
    /// Rows whose label could not be added.
    pub label_errors: Vec<BulkRowError>,
}

impl From<ffi::BulkPurchase> for BulkPurchase {
    fn from(b: ffi::BulkPurchase) -> Self {
        BulkPurchase {
            plan: b.plan.into(),
            shipped: b
                .shipped
                .into_iter()
                .map(|s| BulkShippedRow {
                    row: count(s.row),
                    shipment_id: s.shipment_id,
                    carrier: s.carrier,
                    tracking_number: s.tracking_number,
                    total: s.total.into(),
                })
                .collect(),
            failed: row_errors(b.failed),
            total: b.total.into(),
            labels: b.labels.map(Into::into),
            label_errors: row_errors(b.label_errors),
        }
    }
}

/// Reads and validates a bulk file (CSV or XLSX) without pricing anything.
#[napi]
pub fn bulk_import(env: &Env, file: Uint8Array, options: BulkOptions) -> napi::Result<BulkImport> {
    ffi::bulk_import(file.to_vec(), options.into())
        .map(Into::into)
        .map_err(|e| to_napi(env, &e))
}
