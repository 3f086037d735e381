//! The bulk plan: every accepted row quoted with the orchestrator before anything is bought —
//! the chosen offer per row (the best one the orchestrator can ship, i.e. with a registered
//! connector), totals per carrier and the total cost.
//!
//! Money: each offer's total is already rounded to the kuruş line by line (half away from
//! zero, see [`crate::money`]); the plan's totals are exact sums of those totals.

use super::ImportResult;
use super::progress::{ProgressFn, Reporter, Stage};
use super::row::RowError;
use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::orchestrator::{Orchestrator, QuoteRequest};
use crate::pricing::{Offer, Quote, SelectionPolicy};
use crate::shipment::ShipmentRequest;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Who buys and how offers are chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanOptions {
    /// The paying company.
    pub company: String,
    /// The selection policy every row is quoted with.
    #[serde(default)]
    pub policy: SelectionPolicy,
}

impl PlanOptions {
    /// Options for `company` with the default (cheapest) policy.
    pub fn new(company: impl Into<String>) -> PlanOptions {
        PlanOptions {
            company: company.into(),
            policy: SelectionPolicy::default(),
        }
    }
}

/// One row with its chosen offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedRow {
    /// The row number in the file.
    pub row: usize,
    /// The idempotency key it is bought under (file hash + row).
    pub idempotency_key: String,
    /// The request.
    pub request: ShipmentRequest,
    /// The chosen offer.
    pub offer: Offer,
    /// How many offers the quote had in all (shippable or not).
    pub offers_considered: usize,
}

/// What one carrier gets in the plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierTotal {
    /// The carrier.
    pub carrier: CarrierId,
    /// Shipments planned with it.
    pub shipments: usize,
    /// Parcels in those shipments.
    pub parcels: usize,
    /// Sum of their totals (VAT included).
    pub total: Money,
}

/// Accepted rows with their offers, before anything is bought.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkPlan {
    /// The paying company.
    pub company: String,
    /// The policy the rows were quoted with (and are bought with).
    pub policy: SelectionPolicy,
    /// The file hash the idempotency keys derive from.
    pub file_hash: String,
    /// Rows with an offer, in file order.
    pub rows: Vec<PlannedRow>,
    /// Accepted rows that got no offer the orchestrator can ship, with the reason.
    pub unplanned: Vec<RowError>,
    /// Totals per carrier, in carrier-id order.
    pub carriers: Vec<CarrierTotal>,
    /// Total cost of the planned rows.
    pub total: Money,
    /// True when a chosen offer is priced on an illustrative tariff (not a real price).
    pub illustrative: bool,
}

/// Quotes every accepted row of `import` (see the module docs). Rows are quoted one after the
/// other and reported to `progress`.
pub async fn plan(
    orchestrator: &Orchestrator,
    import: &ImportResult,
    options: &PlanOptions,
    progress: ProgressFn<'_>,
) -> Result<BulkPlan> {
    if options.company.trim().is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "company",
            "the paying company is required",
        ));
    }
    let mut reporter = Reporter::start(progress, Stage::Quoting, import.accepted.len());
    let mut rows = Vec::with_capacity(import.accepted.len());
    let mut unplanned = Vec::new();
    for accepted in &import.accepted {
        let request = QuoteRequest {
            company: options.company.clone(),
            shipment: accepted.request.clone(),
            policy: options.policy.clone(),
        };
        match orchestrator.quote(&request).await {
            Ok(quote) => match shippable(orchestrator, &quote) {
                Some(offer) => rows.push(PlannedRow {
                    row: accepted.row,
                    idempotency_key: import.idempotency_key(accepted.row),
                    offer: offer.clone(),
                    offers_considered: quote.offers.len(),
                    request: request.shipment,
                }),
                None => unplanned.push(no_offer(accepted.row, &quote)),
            },
            Err(e) => unplanned.push(RowError::from_core(accepted.row, None, None, "", &e)),
        }
        reporter.step();
    }
    let mut by_carrier: BTreeMap<&str, CarrierTotal> = BTreeMap::new();
    for r in &rows {
        let t = by_carrier
            .entry(r.offer.carrier.as_str())
            .or_insert_with(|| CarrierTotal {
                carrier: r.offer.carrier.clone(),
                shipments: 0,
                parcels: 0,
                total: Money::zero(),
            });
        t.shipments += 1;
        t.parcels += r.request.parcels.len();
        t.total = t.total + r.offer.breakdown.total;
    }
    let carriers: Vec<CarrierTotal> = by_carrier.into_values().collect();
    Ok(BulkPlan {
        company: options.company.clone(),
        policy: options.policy.clone(),
        file_hash: import.file_hash.clone(),
        total: carriers.iter().map(|c| c.total).sum(),
        illustrative: rows.iter().any(|r| r.offer.illustrative),
        rows,
        unplanned,
        carriers,
    })
}

/// The best offer the orchestrator can ship (quotes also price agreements without a
/// registered connector; `ship` skips those).
fn shippable<'q>(orchestrator: &Orchestrator, quote: &'q Quote) -> Option<&'q Offer> {
    quote
        .offers
        .iter()
        .find(|o| orchestrator.connector(&o.carrier, &o.account).is_some())
}

/// The row error of a row with no shippable offer: every exclusion's code, and the carriers
/// that were priced but cannot be shipped with here.
fn no_offer(row: usize, quote: &Quote) -> RowError {
    let mut reasons: Vec<String> = quote
        .excluded
        .iter()
        .map(|x| format!("{}: {}", x.carrier, x.code))
        .chain(
            quote
                .failures
                .iter()
                .map(|f| format!("{}: {}", f.carrier, f.code)),
        )
        .collect();
    if !quote.offers.is_empty() {
        let quote_only: Vec<&str> = quote.offers.iter().map(|o| o.carrier.as_str()).collect();
        reasons.push(format!("no connector for {}", quote_only.join(", ")));
    }
    let reasons = if reasons.is_empty() {
        "no carrier gave an offer".to_string()
    } else {
        reasons.join("; ")
    };
    RowError::new(row, None, None, Code::QuoteNoOffer, "", &reasons, &reasons)
}
