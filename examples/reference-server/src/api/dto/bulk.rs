//! Bulk upload responses.

use super::common::MoneyView;
use crate::lang::Lang;
use kargojet::bulk::{BulkPlan, BulkPurchase, ImportResult, RowError};
use serde::Serialize;
use utoipa::ToSchema;

/// One problem in one row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowErrorView {
    /// Row number as a spreadsheet program shows it.
    pub row: usize,
    /// The field (`recipient_district`, …), if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub field: Option<String>,
    /// The column header as written in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub column: Option<String>,
    /// Stable code.
    pub code: String,
    /// The message in the asked language.
    pub message: String,
    /// Turkish message.
    pub message_tr: String,
    /// English message.
    pub message_en: String,
}

/// Builds a row error view.
pub fn row_error_view(e: &RowError, lang: Lang) -> RowErrorView {
    RowErrorView {
        row: e.row,
        field: e.field.map(|f| f.id().to_string()),
        column: e.column.clone(),
        code: e.code.as_str().to_string(),
        message: match lang {
            Lang::Tr => e.message_tr.clone(),
            Lang::En => e.message_en.clone(),
        },
        message_tr: e.message_tr.clone(),
        message_en: e.message_en.clone(),
    }
}

/// One planned row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlannedRowView {
    /// Row number.
    pub row: usize,
    /// The chosen carrier.
    pub carrier: String,
    /// The chosen agreement.
    pub agreement_id: String,
    /// The price.
    pub total: MoneyView,
    /// The idempotency key the row is bought under.
    pub idempotency_key: String,
}

/// Totals of one carrier.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierTotalView {
    /// Carrier.
    pub carrier: String,
    /// Shipments.
    pub shipments: usize,
    /// Parcels.
    pub parcels: usize,
    /// Total price.
    pub total: MoneyView,
}

/// The plan: what buying would cost, before anything is bought.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanView {
    /// Planned rows.
    pub rows: Vec<PlannedRowView>,
    /// Accepted rows that got no offer.
    pub unplanned: Vec<RowErrorView>,
    /// Totals per carrier.
    pub carriers: Vec<CarrierTotalView>,
    /// Total price.
    pub total: MoneyView,
    /// Whether any price is illustrative.
    pub illustrative: bool,
}

/// One bought row.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShippedRowView {
    /// Row number.
    pub row: usize,
    /// Shipment id.
    pub shipment_id: String,
    /// Carrier.
    pub carrier: String,
    /// Tracking number.
    pub tracking_number: String,
    /// Price.
    pub total: MoneyView,
}

/// The purchase.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PurchaseView {
    /// Bought rows.
    pub shipped: Vec<ShippedRowView>,
    /// Rows that could not be bought.
    pub failed: Vec<RowErrorView>,
    /// Total paid.
    pub total: MoneyView,
    /// Whether the merged labels PDF is available (`GET …/labels`).
    pub labels: bool,
    /// Labels that could not be rendered.
    pub label_errors: Vec<RowErrorView>,
}

/// A bulk upload.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BulkView {
    /// Id.
    pub id: String,
    /// `planned` or `purchased`.
    pub status: String,
    /// The file name given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub file_name: Option<String>,
    /// SHA-256 of the file (the rows' idempotency keys derive from it).
    pub file_hash: String,
    /// `csv` or `xlsx`.
    pub format: String,
    /// Data rows read.
    pub total_rows: usize,
    /// Rows accepted.
    pub accepted: usize,
    /// Rows rejected.
    pub rejected: usize,
    /// Every problem of the rejected rows (download them as a file from `…/errors`).
    pub errors: Vec<RowErrorView>,
    /// The plan.
    pub plan: PlanView,
    /// The purchase, once bought.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub purchase: Option<PurchaseView>,
}

/// Builds a bulk view.
pub fn bulk_view(
    id: &str,
    status: &str,
    file_name: Option<&str>,
    import: &ImportResult,
    plan: &BulkPlan,
    purchase: Option<&BulkPurchase>,
    lang: Lang,
) -> BulkView {
    let errs = |v: &[RowError]| {
        v.iter()
            .map(|e| row_error_view(e, lang))
            .collect::<Vec<_>>()
    };
    BulkView {
        id: id.to_string(),
        status: status.to_string(),
        file_name: file_name.map(str::to_string),
        file_hash: import.file_hash.clone(),
        format: format!("{:?}", import.source.format).to_lowercase(),
        total_rows: import.total_rows(),
        accepted: import.accepted.len(),
        rejected: import.rejected.len(),
        errors: import
            .rejected
            .iter()
            .flat_map(|r| r.errors.iter().map(|e| row_error_view(e, lang)))
            .collect(),
        plan: PlanView {
            rows: plan
                .rows
                .iter()
                .map(|r| PlannedRowView {
                    row: r.row,
                    carrier: r.offer.carrier.as_str().to_string(),
                    agreement_id: r.offer.agreement_id.to_string(),
                    total: r.offer.breakdown.total.into(),
                    idempotency_key: r.idempotency_key.clone(),
                })
                .collect(),
            unplanned: errs(&plan.unplanned),
            carriers: plan
                .carriers
                .iter()
                .map(|c| CarrierTotalView {
                    carrier: c.carrier.as_str().to_string(),
                    shipments: c.shipments,
                    parcels: c.parcels,
                    total: c.total.into(),
                })
                .collect(),
            total: plan.total.into(),
            illustrative: plan.illustrative,
        },
        purchase: purchase.map(|p| PurchaseView {
            shipped: p
                .shipped
                .iter()
                .map(|s| ShippedRowView {
                    row: s.row,
                    shipment_id: s.shipment_id.0.clone(),
                    carrier: s.carrier.as_str().to_string(),
                    tracking_number: s.tracking_number.clone(),
                    total: s.total.into(),
                })
                .collect(),
            failed: errs(&p.failed),
            total: p.total.into(),
            labels: p.labels.is_some(),
            label_errors: errs(&p.label_errors),
        }),
    }
}
