//! What JavaScript gets back: offers with their price breakdowns, quotes, shipments with their
//! tracking history, labels and wallet balances, as plain objects with camelCase fields. Money
//! is `{ amount: "1234.50", currency: "TRY" }` (an exact decimal string, never a float).

use crate::error::ErrorInfo;
use crate::input::LabelFormat;
use kargojet_ffi as ffi;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use std::collections::HashMap;

/// The currency of an amount (KargoJet ships inside Türkiye: only the lira).
#[napi(string_enum)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Currency {
    /// Turkish lira, ISO 4217 `TRY`.
    #[napi(value = "TRY")]
    Try,
}

/// An exact amount of money: a decimal string with at least two decimals (kuruş) and its
/// currency. Amounts of a price breakdown are rounded to the kuruş, half away from zero.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    /// The amount, e.g. `"1234.50"`.
    pub amount: String,
    /// The currency.
    pub currency: Currency,
}

impl From<ffi::Money> for Money {
    #[inline]
    fn from(m: ffi::Money) -> Self {
        Money {
            amount: m.amount,
            currency: match m.currency {
                ffi::Currency::Try => Currency::Try,
            },
        }
    }
}

/// What an offer costs, line by line; every line rounded to the kuruş (half away from zero),
/// KDV on the sum of the lines before it, the total the exact sum of every line.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceBreakdown {
    /// The carrier's freight cost (VAT-exclusive).
    pub cost: Money,
    /// The platform's commission (zero under the seller's own agreement).
    pub commission: Money,
    /// Cash-on-delivery fee.
    pub cod_fee: Money,
    /// SMS fee.
    pub sms_fee: Money,
    /// Insurance fee.
    pub insurance_fee: Money,
    /// Referral or channel discount (zero or negative).
    pub discount: Money,
    /// KDV (VAT).
    pub kdv: Money,
    /// What the seller pays.
    pub total: Money,
    /// The rounding rule of every line (`kurus_half_up`).
    pub rounding: String,
}

impl From<ffi::PriceBreakdown> for PriceBreakdown {
    #[inline]
    fn from(b: ffi::PriceBreakdown) -> Self {
        PriceBreakdown {
            cost: b.cost.into(),
            commission: b.commission.into(),
            cod_fee: b.cod_fee.into(),
            sms_fee: b.sms_fee.into(),
            insurance_fee: b.insurance_fee.into(),
            discount: b.discount.into(),
            kdv: b.kdv.into(),
            total: b.total.into(),
            rounding: b.rounding,
        }
    }
}

/// Transit days, from `min` to `max` working days.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransitDays {
    /// Fewest days.
    pub min: u32,
    /// Most days.
    pub max: u32,
}

/// One way to ship: a carrier under an agreement, priced.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    /// Carrier id (`yurtici`, `mng_dhl_ecommerce`, …).
    pub carrier: String,
    /// The name people know (`Yurtiçi Kargo`).
    pub carrier_name: String,
    /// Agreement id.
    pub agreement_id: String,
    /// `platform` (the platform's tariff plus commission) or `own` (the seller's contract).
    pub agreement_kind: String,
    /// Commission percentage of a platform agreement.
    pub commission_percent: Option<String>,
    /// The carrier account that would create the shipment.
    pub account: String,
    /// The tariff zone the price came from (`kisa`, `uzun`, a plate, …).
    pub zone: String,
    /// Billable desi the price is for.
    pub billable_desi: String,
    /// The price, line by line.
    pub breakdown: PriceBreakdown,
    /// Transit days, if known.
    pub transit_days: Option<TransitDays>,
    /// The tariff is illustrative (not a real price).
    pub illustrative: bool,
    /// The price came from the carrier's live rate API.
    pub live: bool,
}

impl From<ffi::Offer> for Offer {
    fn from(o: ffi::Offer) -> Self {
        Offer {
            carrier: o.carrier,
            carrier_name: o.carrier_name,
            agreement_id: o.agreement_id,
            agreement_kind: o.agreement_kind,
            commission_percent: o.commission_percent,
            account: o.account,
            zone: o.zone,
            billable_desi: o.billable_desi,
            breakdown: o.breakdown.into(),
            transit_days: o.transit_days.map(|d| TransitDays {
                min: u32::from(d.min),
                max: u32::from(d.max),
            }),
            illustrative: o.illustrative,
            live: o.live,
        }
    }
}

/// A carrier or agreement that gave no offer, and why.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exclusion {
    /// Carrier id.
    pub carrier: String,
    /// The agreement, when the reason is specific to one.
    pub agreement_id: Option<String>,
    /// Coded reason (`policy.cod_above_cap`, …).
    pub code: String,
    /// Details in English.
    pub detail: String,
}

/// A carrier that was asked for a live rate and failed.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CarrierFailure {
    /// Carrier id.
    pub carrier: String,
    /// Stable code of the failure.
    pub code: String,
    /// Details in English.
    pub detail: String,
}

/// The result of a quote: partial by design.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Offers, best first by the policy.
    pub offers: Vec<Offer>,
    /// Carriers or agreements left out, with reasons.
    pub excluded: Vec<Exclusion>,
    /// Live-rate failures.
    pub failures: Vec<CarrierFailure>,
}

impl From<ffi::Exclusion> for Exclusion {
    fn from(x: ffi::Exclusion) -> Self {
        Exclusion {
            carrier: x.carrier,
            agreement_id: x.agreement_id,
            code: x.code,
            detail: x.detail,
        }
    }
}

impl From<ffi::CarrierFailure> for CarrierFailure {
    fn from(f: ffi::CarrierFailure) -> Self {
        CarrierFailure {
            carrier: f.carrier,
            code: f.code,
            detail: f.detail,
        }
    }
}

impl From<ffi::Quote> for Quote {
    fn from(q: ffi::Quote) -> Self {
        Quote {
            offers: q.offers.into_iter().map(Offer::from).collect(),
            excluded: q.excluded.into_iter().map(Exclusion::from).collect(),
            failures: q.failures.into_iter().map(CarrierFailure::from).collect(),
        }
    }
}

/// One ranked offer of a batch quote, as a flat row: the carrier, its service, the agreement
/// and what the seller pays in total.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchOffer {
    /// Carrier id (`yurtici`, `mng_dhl_ecommerce`, …).
    pub carrier: String,
    /// The carrier's service level of the tariff (`counter`, …), if it names one.
    pub service: Option<String>,
    /// Agreement id (with the carrier, what `ship` takes to buy this offer).
    pub agreement_id: String,
    /// What the seller pays.
    pub total: Money,
    /// Transit days, if known.
    pub transit_days: Option<TransitDays>,
}

impl From<ffi::BatchOffer> for BatchOffer {
    fn from(o: ffi::BatchOffer) -> Self {
        BatchOffer {
            carrier: o.carrier,
            service: o.service,
            agreement_id: o.agreement_id,
            total: o.total.into(),
            transit_days: o.transit_days.map(|d| TransitDays {
                min: u32::from(d.min),
                max: u32::from(d.max),
            }),
        }
    }
}

/// One shipment's quote in a batch: every offer ranked by the policy as a flat row (the same
/// offers in the same order as `quote` gives them), the best one in full with its breakdown,
/// and the carriers left out.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchQuote {
    /// Offers, best first by the policy, without breakdowns.
    pub offers: Vec<BatchOffer>,
    /// The best offer (the cheapest under the default policy) with its breakdown: `quote`'s
    /// first offer.
    pub best: Option<Offer>,
    /// Carriers or agreements left out, with reasons.
    pub excluded: Vec<Exclusion>,
    /// Live-rate failures.
    pub failures: Vec<CarrierFailure>,
}

impl From<ffi::BatchQuote> for BatchQuote {
    fn from(q: ffi::BatchQuote) -> Self {
        BatchQuote {
            offers: q.offers.into_iter().map(BatchOffer::from).collect(),
            best: q.best.map(Offer::from),
            excluded: q.excluded.into_iter().map(Exclusion::from).collect(),
            failures: q.failures.into_iter().map(CarrierFailure::from).collect(),
        }
    }
}

/// One shipment's answer in a batch: its quote, or the error that stopped it
/// (`errorFromInfo(outcome.error)` gives the `Error` a single quote would have thrown).
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuoteOutcome {
    /// The quote, when it could be made.
    pub quote: Option<BatchQuote>,
    /// Why not, otherwise.
    pub error: Option<ErrorInfo>,
}

impl From<ffi::QuoteOutcome> for QuoteOutcome {
    fn from(o: ffi::QuoteOutcome) -> Self {
        QuoteOutcome {
            quote: o.quote.map(Into::into),
            error: o.error.map(Into::into),
        }
    }
}

/// The normalized shipment status.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShipmentStatus {
    /// Registered with the carrier, not yet handed over.
    Created,
    /// Accepted by the carrier.
    PickedUp,
    /// Moving between hubs.
    InTransit,
    /// At the delivery branch.
    AtBranch,
    /// With the courier.
    OutForDelivery,
    /// Delivered.
    Delivered,
    /// A delivery attempt failed.
    DeliveryFailed,
    /// On its way back to the sender.
    Returning,
    /// Returned to the sender.
    Returned,
    /// Cancelled before pickup.
    Cancelled,
    /// Lost, damaged or otherwise in trouble.
    Exception,
}

impl From<ffi::ShipmentStatus> for ShipmentStatus {
    fn from(s: ffi::ShipmentStatus) -> Self {
        use ffi::ShipmentStatus as S;
        match s {
            S::Created => ShipmentStatus::Created,
            S::PickedUp => ShipmentStatus::PickedUp,
            S::InTransit => ShipmentStatus::InTransit,
            S::AtBranch => ShipmentStatus::AtBranch,
            S::OutForDelivery => ShipmentStatus::OutForDelivery,
            S::Delivered => ShipmentStatus::Delivered,
            S::DeliveryFailed => ShipmentStatus::DeliveryFailed,
            S::Returning => ShipmentStatus::Returning,
            S::Returned => ShipmentStatus::Returned,
            S::Cancelled => ShipmentStatus::Cancelled,
            S::Exception => ShipmentStatus::Exception,
        }
    }
}

/// What the carrier measured at acceptance.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measurement {
    /// Measured desi.
    pub desi: Option<String>,
    /// Measured kg.
    pub kg: Option<String>,
    /// The carrier's own amount.
    pub amount: Option<Money>,
}

/// One event of a shipment's history.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackingEvent {
    /// When, RFC 3339 with the carrier's offset (`2026-03-02T14:05:00+03:00`).
    pub time: String,
    /// Branch, hub or city.
    pub location: Option<String>,
    /// The carrier's code, raw.
    pub carrier_code: String,
    /// The carrier's wording, raw.
    pub carrier_text: String,
    /// The normalized status, when the code is known.
    pub status: Option<ShipmentStatus>,
    /// A measurement reported with the event.
    pub measurement: Option<Measurement>,
}

impl From<ffi::TrackingEvent> for TrackingEvent {
    fn from(e: ffi::TrackingEvent) -> Self {
        TrackingEvent {
            time: e.time,
            location: e.location,
            carrier_code: e.carrier_code,
            carrier_text: e.carrier_text,
            status: e.status.map(Into::into),
            measurement: e.measurement.map(|m| Measurement {
                desi: m.desi,
                kg: m.kg,
                amount: m.amount.map(Into::into),
            }),
        }
    }
}

/// A shipment KargoJet created.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shipment {
    /// KargoJet's id (`shp_…`).
    pub id: String,
    /// Owning company.
    pub company: String,
    /// Carrier id.
    pub carrier: String,
    /// Carrier name.
    pub carrier_name: String,
    /// Carrier account it was created with.
    pub account: String,
    /// The merchant key registered with the carrier (the barcode).
    pub merchant_key: String,
    /// The carrier's tracking number, once known.
    pub carrier_tracking_number: Option<String>,
    /// The carrier's tracking number if known, else the merchant key.
    pub tracking_number: String,
    /// Other carrier references, by the carrier's names.
    pub carrier_refs: HashMap<String, String>,
    /// Current status.
    pub status: ShipmentStatus,
    /// Tracking history, oldest first.
    pub events: Vec<TrackingEvent>,
    /// The offer that was bought.
    pub offer: Offer,
    /// When it was created, RFC 3339 (UTC).
    pub created_at: String,
    /// The idempotency key it was created under.
    pub idempotency_key: String,
    /// For a return: the shipment it returns.
    pub return_of: Option<String>,
    /// Recipient name and city, for lists (`Ayşe Yılmaz, İpekyolu/Van`).
    pub recipient_summary: String,
    /// Cash on delivery to collect, if any.
    pub cod_amount: Option<Money>,
}

impl From<ffi::Shipment> for Shipment {
    fn from(s: ffi::Shipment) -> Self {
        Shipment {
            id: s.id,
            company: s.company,
            carrier: s.carrier,
            carrier_name: s.carrier_name,
            account: s.account,
            merchant_key: s.merchant_key,
            carrier_tracking_number: s.carrier_tracking_number,
            tracking_number: s.tracking_number,
            carrier_refs: s.carrier_refs,
            status: s.status.into(),
            events: s.events.into_iter().map(Into::into).collect(),
            offer: s.offer.into(),
            created_at: s.created_at,
            idempotency_key: s.idempotency_key,
            return_of: s.return_of,
            recipient_summary: s.recipient_summary,
            cod_amount: s.cod_amount.map(Into::into),
        }
    }
}

/// A list of shipments.
pub fn shipments(list: Vec<ffi::Shipment>) -> Vec<Shipment> {
    list.into_iter().map(Into::into).collect()
}

/// A label: the bytes exactly as produced.
#[napi(object, object_from_js = false)]
pub struct Label {
    /// Format.
    pub format: LabelFormat,
    /// MIME type (`application/pdf`).
    pub mime: String,
    /// The bytes.
    pub bytes: Buffer,
}

impl From<ffi::Label> for Label {
    fn from(l: ffi::Label) -> Self {
        Label {
            format: l.format.into(),
            mime: l.mime,
            bytes: l.bytes.into(),
        }
    }
}

/// A company's wallet balances.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Balances {
    /// Spendable balance.
    pub available: Money,
    /// Held for shipments and desi reserves.
    pub blocked: Money,
    /// COD collected, not yet paid out.
    pub cod_receivable: Money,
    /// Paid out so far.
    pub paid_out: Money,
    /// Credit limit.
    pub credit_limit: Money,
}

impl From<ffi::Balances> for Balances {
    fn from(b: ffi::Balances) -> Self {
        Balances {
            available: b.available.into(),
            blocked: b.blocked.into(),
            cod_receivable: b.cod_receivable.into(),
            paid_out: b.paid_out.into(),
            credit_limit: b.credit_limit.into(),
        }
    }
}

/// A count or row number as a JS number (exact up to 2⁵³; larger values saturate).
pub fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_saturate() {
        assert_eq!(count(7), 7);
        assert_eq!(count(u64::MAX), i64::MAX);
    }
}
