//! Bulk import across the boundary, stateless: the caller passes the file's bytes each time.
//! [`bulk_import`] reads and validates the rows (with an error report to fix and upload
//! again); `KargoJet::bulk_quote` prices every accepted row; `KargoJet::bulk_ship` buys them
//! under keys derived from the file's content and row numbers, so uploading the same file again
//! never ships a row twice.

use crate::error::KargoJetError;
use crate::input::PartyInput;
use crate::money::Money;
use crate::output::{Label, Offer};
use kargojet::bulk::{self, ColumnMapping, ImportOptions, ImportResult, RowError, SourceFormat};
use kargojet::error::Code;
use serde::{Deserialize, Serialize};

/// The kind of a bulk file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum BulkFileFormat {
    /// Delimited text (`;`, `,` or tab), UTF-8/UTF-16/Windows-1254.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// How to read a bulk file.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct BulkOptions {
    /// Who sends every shipment of the file (the seller's warehouse).
    pub sender: PartyInput,
    /// A saved column mapping as JSON (`{"columns": {"recipient_name": "Müşteri", "phone": 4}}`);
    /// `None` matches every column by its Turkish or English header.
    #[uniffi(default)]
    pub mapping_json: Option<String>,
    /// Force CSV or XLSX (`None`: sniffed).
    #[uniffi(default)]
    pub format: Option<BulkFileFormat>,
    /// The XLSX worksheet (`None`: the first visible one).
    #[uniffi(default)]
    pub sheet: Option<String>,
    /// Ask for an SMS to every recipient.
    #[uniffi(default)]
    pub sms: bool,
}

/// One problem of one row.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BulkRowError {
    /// Row number in the file (the header is row 1).
    pub row: u64,
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

impl From<&RowError> for BulkRowError {
    fn from(e: &RowError) -> Self {
        BulkRowError {
            row: e.row as u64,
            field: e.field.map(|f| f.id().to_string()),
            column: e.column.clone(),
            code: e.code.as_str().to_string(),
            message_tr: e.message_tr.clone(),
            message_en: e.message_en.clone(),
            raw: e.raw.clone(),
        }
    }
}

/// What a bulk file holds.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    pub total_rows: u64,
    /// Row numbers that validated.
    pub accepted_rows: Vec<u64>,
    /// Every problem of the rejected rows.
    pub errors: Vec<BulkRowError>,
    /// The rejected rows as CSV with the errors in extra columns (`None` when none failed).
    pub error_report_csv: Option<Vec<u8>>,
}

/// One row's chosen offer.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BulkPlannedRow {
    /// Row number.
    pub row: u64,
    /// The key it is bought under.
    pub idempotency_key: String,
    /// The chosen offer.
    pub offer: Offer,
}

/// What one carrier gets in a plan.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BulkCarrierTotal {
    /// Carrier id.
    pub carrier: String,
    /// Shipments.
    pub shipments: u64,
    /// Parcels.
    pub parcels: u64,
    /// Their total.
    pub total: Money,
}

/// Every accepted row priced, before anything is bought.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

/// One bought row.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BulkShippedRow {
    /// Row number.
    pub row: u64,
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl BulkOptions {
    /// The domain import options.
    pub fn to_domain(&self) -> Result<ImportOptions, KargoJetError> {
        let sender = self.sender.to_draft().validate("sender")?;
        let mut o = ImportOptions::new(sender);
        o.mapping = self
            .mapping_json
            .as_deref()
            .filter(|m| !m.trim().is_empty())
            .map(|m| {
                serde_json::from_str::<ColumnMapping>(m).map_err(|e| {
                    KargoJetError::invalid(Code::BulkInvalidMapping, "mapping_json", e.to_string())
                })
            })
            .transpose()?;
        o.format = self.format.map(|f| match f {
            BulkFileFormat::Csv => SourceFormat::Csv,
            BulkFileFormat::Xlsx => SourceFormat::Xlsx,
        });
        o.sheet = self.sheet.clone().filter(|s| !s.trim().is_empty());
        o.sms = self.sms;
        Ok(o)
    }
}

/// The record of an import.
pub fn import_record(r: &ImportResult) -> Result<BulkImport, KargoJetError> {
    Ok(BulkImport {
        file_hash: r.file_hash.clone(),
        format: match r.source.format {
            SourceFormat::Csv => BulkFileFormat::Csv,
            SourceFormat::Xlsx => BulkFileFormat::Xlsx,
        },
        headers: r.headers.clone(),
        ignored_columns: r.ignored_columns.clone(),
        total_rows: r.total_rows() as u64,
        accepted_rows: r.accepted.iter().map(|a| a.row as u64).collect(),
        errors: r
            .rejected
            .iter()
            .flat_map(|x| x.errors.iter().map(BulkRowError::from))
            .collect(),
        error_report_csv: if r.rejected.is_empty() {
            None
        } else {
            Some(r.error_report_csv()?)
        },
    })
}

/// The record of a plan.
pub fn plan_record(imported: BulkImport, p: &bulk::BulkPlan) -> BulkPlan {
    BulkPlan {
        imported,
        rows: p
            .rows
            .iter()
            .map(|r| BulkPlannedRow {
                row: r.row as u64,
                idempotency_key: r.idempotency_key.clone(),
                offer: (&r.offer).into(),
            })
            .collect(),
        unplanned: p.unplanned.iter().map(BulkRowError::from).collect(),
        carriers: p
            .carriers
            .iter()
            .map(|c| BulkCarrierTotal {
                carrier: c.carrier.as_str().to_string(),
                shipments: c.shipments as u64,
                parcels: c.parcels as u64,
                total: c.total.into(),
            })
            .collect(),
        total: p.total.into(),
        illustrative: p.illustrative,
    }
}

/// The record of a purchase.
pub fn purchase_record(plan: BulkPlan, b: bulk::BulkPurchase) -> BulkPurchase {
    BulkPurchase {
        plan,
        shipped: b
            .shipped
            .iter()
            .map(|s| BulkShippedRow {
                row: s.row as u64,
                shipment_id: s.shipment_id.0.clone(),
                carrier: s.carrier.as_str().to_string(),
                tracking_number: s.tracking_number.clone(),
                total: s.total.into(),
            })
            .collect(),
        failed: b.failed.iter().map(BulkRowError::from).collect(),
        total: b.total.into(),
        labels: b.labels.map(Label::from),
        label_errors: b.label_errors.iter().map(BulkRowError::from).collect(),
    }
}

/// Reads and validates a bulk file (CSV or XLSX) without pricing anything.
#[uniffi::export]
pub fn bulk_import(file: Vec<u8>, options: BulkOptions) -> Result<BulkImport, KargoJetError> {
    import_record(&bulk::import(&file, &options.to_domain()?)?)
}
