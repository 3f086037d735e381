//! Offers and quote results.

use super::agreement::AgreementKind;
use super::breakdown::PriceBreakdown;
use super::tariff::ZoneKey;
use super::transit::TransitDays;
use crate::carrier::{AccountId, CarrierId};
use crate::error::{Code, Error};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// One way to ship: a carrier under an agreement, priced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Offer {
    /// Carrier.
    pub carrier: CarrierId,
    /// Agreement id.
    pub agreement_id: Arc<str>,
    /// Platform or own.
    pub agreement: AgreementKind,
    /// The carrier account that will create the shipment.
    pub account: AccountId,
    /// Zone the price came from.
    pub zone: ZoneKey,
    /// Billable desi the price is for (after rounding up to the carrier's step).
    pub billable_desi: Decimal,
    /// The price, line by line.
    pub breakdown: PriceBreakdown,
    /// Transit days, if known.
    pub transit_days: Option<TransitDays>,
    /// True when the tariff is illustrative (not for real quotes).
    pub illustrative: bool,
    /// True when the price came from the carrier's live rate API.
    pub live: bool,
}

/// A carrier (or one agreement of it) that gave no offer, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exclusion {
    /// Carrier.
    pub carrier: CarrierId,
    /// Agreement, when the reason is specific to one.
    pub agreement_id: Option<Arc<str>>,
    /// Coded reason (`policy.cod_above_cap`, `not_found.tariff`, …).
    pub code: Code,
    /// Details.
    pub detail: String,
}

/// A carrier that was asked (live rates) and failed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CarrierFailure {
    /// Carrier.
    pub carrier: CarrierId,
    /// Stable code of the failure.
    pub code: Code,
    /// Message.
    pub detail: String,
    #[serde(skip)]
    /// The error.
    pub error: Option<Error>,
}

/// The result of a quote: partial by design.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Quote {
    /// Offers, best first by the policy.
    pub offers: Vec<Offer>,
    /// Carriers or agreements left out, with reasons.
    pub excluded: Vec<Exclusion>,
    /// Live-rate failures (timeouts, errors).
    pub failures: Vec<CarrierFailure>,
}

impl Quote {
    /// The best offer.
    pub fn best(&self) -> Option<&Offer> {
        self.offers.first()
    }
}

/// One offer of a [`RankedQuote`]: which agreement (an index into its [`RankedBatch`]'s
/// agreements, for the carrier, service and id) and what the seller pays in total, without the
/// line-by-line breakdown. The total is the [`PriceBreakdown::total`] that
/// [`super::Agreement::price`] gives, to the kuruş. Plain data (`Copy`): a batch of thousands of
/// rows holds no reference counts per offer.
///
/// [`PriceBreakdown::total`]: super::PriceBreakdown::total
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankedOffer {
    /// Index of the agreement in [`RankedBatch::agreements`].
    pub agreement: u32,
    /// What the seller pays: the total of the offer's breakdown.
    pub total: crate::money::Money,
    /// Billable desi the price is for (after rounding up to the carrier's step).
    pub billable_desi: Decimal,
    /// Transit days, if known.
    pub transit_days: Option<TransitDays>,
    /// True when the price came from the carrier's live rate API.
    pub live: bool,
}

/// A quote for ranking many shipments: every offer ranked by the policy with its total, and
/// only the best one priced line by line. It ranks exactly as [`Quote`] does (the same offers
/// in the same order, the same exclusions and failures), so `offers[i]` is the [`Quote`]'s
/// `offers[i]` without its breakdown, and `best` is its first offer.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RankedQuote {
    /// Offers, best first by the policy, without breakdowns.
    pub offers: Vec<RankedOffer>,
    /// The best offer with its breakdown (`offers[0]` in full), `None` when there is none.
    pub best: Option<Box<Offer>>,
    /// Carriers or agreements left out, with reasons.
    pub excluded: Vec<Exclusion>,
    /// Live-rate failures (timeouts, errors).
    pub failures: Vec<CarrierFailure>,
}

impl RankedQuote {
    /// The cheapest offer (the lowest total, ties to the earlier rank), whatever the policy
    /// ranks by.
    pub fn cheapest(&self) -> Option<&RankedOffer> {
        self.offers
            .iter()
            .reduce(|best, o| if o.total < best.total { o } else { best })
    }
}

/// The answer of [`crate::orchestrator::Orchestrator::quote_batch`]: one result per request,
/// in order, and the agreements the offers point at.
#[derive(Debug, Clone)]
pub struct RankedBatch {
    agreements: Arc<[Arc<super::Agreement>]>,
    /// One result per request: its ranked quote, or the error that stopped it.
    pub results: Vec<crate::error::Result<RankedQuote>>,
}

impl RankedBatch {
    /// A batch of `results` whose offers index `agreements`.
    pub fn new(
        agreements: Arc<[Arc<super::Agreement>]>,
        results: Vec<crate::error::Result<RankedQuote>>,
    ) -> RankedBatch {
        RankedBatch {
            agreements,
            results,
        }
    }

    /// The agreements the offers index.
    pub fn agreements(&self) -> &Arc<[Arc<super::Agreement>]> {
        &self.agreements
    }

    /// The agreement of an offer of this batch.
    #[inline]
    pub fn agreement(&self, offer: &RankedOffer) -> &super::Agreement {
        agreement_of(&self.agreements, offer)
    }

    /// How many results.
    pub fn len(&self) -> usize {
        self.results.len()
    }

    /// Whether the batch is empty.
    pub fn is_empty(&self) -> bool {
        self.results.is_empty()
    }
}

/// The agreement an offer indexes in `agreements` (a [`RankedBatch`]'s).
///
/// # Panics
/// When the offer does not come from a batch over `agreements` (its index is out of range).
#[inline]
pub fn agreement_of<'a>(
    agreements: &'a [Arc<super::Agreement>],
    offer: &RankedOffer,
) -> &'a super::Agreement {
    &agreements[offer.agreement as usize]
}
