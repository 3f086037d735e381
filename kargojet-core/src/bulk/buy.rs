//! Buying a plan: rows are shipped one after the other through [`Orchestrator::ship`] with the
//! plan's idempotency keys (file hash + row) and each row's chosen offer, so a retried
//! purchase — after a crash, a timeout, or simply the same file uploaded again — returns the
//! shipments already made instead of shipping a row twice. A row that fails does not stop
//! the others. At the end the labels of the shipped rows are merged into one PDF, in row
//! order (feature `label`); a carrier label that cannot be merged is replaced by KargoJet's own
//! label of that shipment, and says so in [`BulkPurchase::label_fallbacks`].

use super::plan::BulkPlan;
use super::progress::{ProgressFn, Reporter, Stage};
use super::row::RowError;
use crate::carrier::CarrierId;
use crate::money::Money;
use crate::orchestrator::{OfferChoice, Orchestrator, ShipRequest};
use crate::shipment::{Label, ShipmentId};
use serde::{Deserialize, Serialize};

/// How to buy.
#[derive(Debug, Clone, Default)]
pub struct BuyOptions {
    /// Collect the labels into one PDF (default: yes, with the `label` feature).
    pub skip_labels: bool,
    /// Which label each shipment contributes.
    #[cfg(feature = "label")]
    pub label_source: crate::orchestrator::LabelSource,
    /// The template of KargoJet's own labels.
    #[cfg(feature = "label")]
    pub template: Option<crate::label::LabelTemplate>,
}

/// A shipped row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShippedRow {
    /// The row number in the file.
    pub row: usize,
    /// KargoJet's shipment id.
    pub shipment_id: ShipmentId,
    /// The carrier.
    pub carrier: CarrierId,
    /// The tracking number (the carrier's, else the merchant key).
    pub tracking_number: String,
    /// The price bought.
    pub total: Money,
}

/// The outcome of buying a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BulkPurchase {
    /// Rows shipped (now or by an earlier purchase of the same file), in row order.
    pub shipped: Vec<ShippedRow>,
    /// Rows that could not be shipped, with the orchestrator's error.
    pub failed: Vec<RowError>,
    /// Sum of the shipped rows' prices.
    pub total: Money,
    /// One PDF with every shipped row's label, in row order; `None` when nothing shipped, labels
    /// were skipped, or without the `label` feature.
    pub labels: Option<Label>,
    /// Shipped rows whose label could not be had (they are shipped all the same).
    pub label_errors: Vec<RowError>,
    /// Shipped rows whose carrier label could not be merged (the error says why): with
    /// [`crate::orchestrator::LabelSource::Auto`], KargoJet's own label of the shipment is in
    /// the PDF instead.
    pub label_fallbacks: Vec<RowError>,
}

/// Buys every planned row (see the module docs). Never fails as a whole: each row's failure is
/// in [`BulkPurchase::failed`].
pub async fn buy(
    orchestrator: &Orchestrator,
    plan: &BulkPlan,
    options: &BuyOptions,
    progress: ProgressFn<'_>,
) -> BulkPurchase {
    let mut reporter = Reporter::start(progress, Stage::Buying, plan.rows.len());
    let mut shipped = Vec::with_capacity(plan.rows.len());
    let mut failed = Vec::new();
    for row in &plan.rows {
        let request = ShipRequest {
            company: plan.company.clone(),
            shipment: row.request.clone(),
            policy: plan.policy.clone(),
            idempotency_key: row.idempotency_key.clone(),
            choice: Some(OfferChoice {
                carrier: row.offer.carrier.clone(),
                agreement_id: Some(row.offer.agreement_id.to_string()),
            }),
        };
        match orchestrator.ship(&request).await {
            Ok(s) => shipped.push(ShippedRow {
                row: row.row,
                tracking_number: s.tracking_number().to_string(),
                shipment_id: s.id,
                carrier: s.carrier,
                total: s.offer.breakdown.total,
            }),
            Err(e) => failed.push(RowError::from_core(row.row, None, None, "", &e)),
        }
        reporter.step();
    }
    let total = shipped.iter().map(|s| s.total).sum();
    let (labels, label_errors, label_fallbacks) = if options.skip_labels || shipped.is_empty() {
        (None, Vec::new(), Vec::new())
    } else {
        collect_labels(orchestrator, &shipped, options, progress).await
    };
    BulkPurchase {
        shipped,
        failed,
        total,
        labels,
        label_errors,
        label_fallbacks,
    }
}

/// The merged PDF, the rows whose label could not be had, and the rows whose carrier label
/// could not be merged and KargoJet's label was used instead.
type Collected = (Option<Label>, Vec<RowError>, Vec<RowError>);

#[cfg(feature = "label")]
async fn collect_labels(
    orchestrator: &Orchestrator,
    shipped: &[ShippedRow],
    options: &BuyOptions,
    progress: ProgressFn<'_>,
) -> Collected {
    use crate::orchestrator::LabelSource;
    use crate::shipment::LabelFormat;
    let mut reporter = Reporter::start(progress, Stage::Labels, shipped.len());
    let mut pdfs: Vec<(&ShippedRow, Label)> = Vec::with_capacity(shipped.len());
    let mut errors = Vec::new();
    let mut fallbacks = Vec::new();
    let template = options.template.as_ref();
    for s in shipped {
        match orchestrator
            .label(
                &s.shipment_id,
                LabelFormat::Pdf,
                options.label_source,
                template,
            )
            .await
        {
            Ok(l) => pdfs.push((s, l)),
            Err(e) => errors.push(RowError::from_core(s.row, None, None, "", &e)),
        }
        reporter.step();
    }
    // A label that cannot be merged (a carrier's PDF the reader rejects) is replaced by
    // KargoJet's own label of that shipment when the source is `Auto`, else left out: the
    // others still come out.
    while !pdfs.is_empty() {
        let labels: Vec<Label> = pdfs.iter().map(|(_, l)| l.clone()).collect();
        let e = match crate::label::merge_pdfs(&labels) {
            Ok(merged) => return (Some(merged), errors, fallbacks),
            Err(e) => e,
        };
        let Some(i) = e
            .field()
            .and_then(|f| f.strip_prefix("labels["))
            .and_then(|f| f.split(']').next())
            .and_then(|i| i.parse::<usize>().ok())
            .filter(|i| *i < pdfs.len())
        else {
            errors.push(RowError::from_core(0, None, None, "", &e));
            return (None, errors, fallbacks);
        };
        let (row, _) = pdfs.remove(i);
        let own = if options.label_source != LabelSource::Auto {
            None // the carrier's label was asked for, or KargoJet's own is the broken one
        } else {
            orchestrator
                .label(
                    &row.shipment_id,
                    LabelFormat::Pdf,
                    LabelSource::KargoJet,
                    template,
                )
                .await
                .ok()
        };
        match own {
            Some(label) => {
                fallbacks.push(RowError::from_core(row.row, None, None, "", &e));
                pdfs.insert(i, (row, label));
            }
            None => errors.push(RowError::from_core(row.row, None, None, "", &e)),
        }
    }
    (None, errors, fallbacks)
}

#[cfg(not(feature = "label"))]
async fn collect_labels(
    _orchestrator: &Orchestrator,
    _shipped: &[ShippedRow],
    _options: &BuyOptions,
    _progress: ProgressFn<'_>,
) -> Collected {
    (None, Vec::new(), Vec::new())
}
