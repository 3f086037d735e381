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
