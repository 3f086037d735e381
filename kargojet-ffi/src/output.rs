//! Records the facade returns: offers with their price breakdowns, quotes, shipments with their
//! tracking history, labels and wallet balances — each converted once from the domain value.

use crate::error::ErrorInfo;
use crate::money::{Money, decimal_string};
use kargojet::pricing::{self, AgreementKind};
use kargojet::shipment::{self, LabelFormat as DomainLabelFormat};
use kargojet::tracking::{self, ShipmentStatus as DomainStatus};
use std::collections::HashMap;

/// What an offer costs, line by line; every line rounded to the kuruş (half away from zero),
/// KDV on the sum of the lines before it, the total the exact sum of every line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
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

impl From<&pricing::PriceBreakdown> for PriceBreakdown {
    #[inline]
    fn from(b: &pricing::PriceBreakdown) -> Self {
        PriceBreakdown {
            cost: b.cost.into(),
            commission: b.commission.into(),
            cod_fee: b.cod_fee.into(),
            sms_fee: b.sms_fee.into(),
            insurance_fee: b.insurance_fee.into(),
            discount: b.discount.into(),
            kdv: b.kdv.into(),
            total: b.total.into(),
            rounding: b.rounding().to_string(),
        }
    }
}

/// Transit days, from `min` to `max` working days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Record)]
pub struct TransitDays {
    /// Fewest days.
    pub min: u8,
    /// Most days.
    pub max: u8,
}

/// One way to ship: a carrier under an agreement, priced.
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
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

impl From<&pricing::Offer> for Offer {
    fn from(o: &pricing::Offer) -> Self {
        let (kind, commission) = match o.agreement {
            AgreementKind::Platform { commission_percent } => {
                ("platform", Some(decimal_string(commission_percent)))
            }
            AgreementKind::Own => ("own", None),
        };
        Offer {
            carrier: o.carrier.as_str().to_string(),
            carrier_name: o.carrier.display_name().to_string(),
            agreement_id: o.agreement_id.to_string(),
            agreement_kind: kind.to_string(),
            commission_percent: commission,
            account: o.account.as_str().to_string(),
            zone: o.zone.id(),
            billable_desi: decimal_string(o.billable_desi),
            breakdown: (&o.breakdown).into(),
            transit_days: o.transit_days.map(|d| TransitDays {
                min: d.min,
                max: d.max,
            }),
            illustrative: o.illustrative,
            live: o.live,
        }
    }
}

/// A carrier or agreement that gave no offer, and why.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CarrierFailure {
    /// Carrier id.
    pub carrier: String,
    /// Stable code of the failure.
    pub code: String,
    /// Details in English.
    pub detail: String,
}

/// The result of a quote: partial by design.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Quote {
    /// Offers, best first by the policy.
    pub offers: Vec<Offer>,
    /// Carriers or agreements left out, with reasons.
    pub excluded: Vec<Exclusion>,
    /// Live-rate failures.
    pub failures: Vec<CarrierFailure>,
}

impl From<&pricing::Exclusion> for Exclusion {
    fn from(x: &pricing::Exclusion) -> Self {
        Exclusion {
            carrier: x.carrier.as_str().to_string(),
            agreement_id: x.agreement_id.as_deref().map(str::to_string),
            code: x.code.as_str().to_string(),
            detail: x.detail.clone(),
        }
    }
}

impl From<&pricing::CarrierFailure> for CarrierFailure {
    fn from(f: &pricing::CarrierFailure) -> Self {
        CarrierFailure {
            carrier: f.carrier.as_str().to_string(),
            code: f.code.as_str().to_string(),
            detail: f.detail.clone(),
        }
    }
}

impl From<&pricing::Quote> for Quote {
    fn from(q: &pricing::Quote) -> Self {
        Quote {
            offers: q.offers.iter().map(Offer::from).collect(),
            excluded: q.excluded.iter().map(Exclusion::from).collect(),
            failures: q.failures.iter().map(CarrierFailure::from).collect(),
        }
    }
}

/// One ranked offer of a batch quote, as a flat row: the carrier, its service, the agreement
/// and what the seller pays in total (the breakdown's total, to the kuruş).
#[derive(Debug, Clone, PartialEq, Eq, Hash, uniffi::Record)]
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

impl BatchOffer {
    /// The row of a ranked offer whose agreement is in `agreements` (its batch's).
    #[inline]
    pub fn from_domain(
        o: &pricing::RankedOffer,
        agreements: &[std::sync::Arc<pricing::Agreement>],
    ) -> BatchOffer {
        let agreement = pricing::agreement_of(agreements, o);
        BatchOffer {
            carrier: agreement.carrier().as_str().to_string(),
            service: agreement.tariff().service().map(str::to_string),
            agreement_id: agreement.id().to_string(),
            total: o.total.into(),
            transit_days: o.transit_days.map(|d| TransitDays {
                min: d.min,
                max: d.max,
            }),
        }
    }
}

/// One shipment's quote in a batch: every offer ranked by the policy as a flat row (the same
/// offers in the same order as `quote` gives them), the best one in full with its breakdown,
/// and the carriers left out.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl BatchQuote {
    /// The record of a ranked quote whose offers index `agreements` (its batch's).
    pub fn from_domain(
        q: &pricing::RankedQuote,
        agreements: &[std::sync::Arc<pricing::Agreement>],
    ) -> BatchQuote {
        BatchQuote {
            offers: q
                .offers
                .iter()
                .map(|o| BatchOffer::from_domain(o, agreements))
                .collect(),
            best: q.best.as_deref().map(Offer::from),
            excluded: q.excluded.iter().map(Exclusion::from).collect(),
            failures: q.failures.iter().map(CarrierFailure::from).collect(),
        }
    }
}

/// One shipment's answer in a batch: its quote, or the error that stopped it (a bad shipment
/// never fails the batch).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuoteOutcome {
    /// The quote, when it could be made.
    pub quote: Option<BatchQuote>,
    /// Why not, otherwise (with its stable code).
    pub error: Option<ErrorInfo>,
}

impl QuoteOutcome {
    /// The outcome of one domain result whose offers index `agreements` (its batch's).
    pub fn from_domain(
        result: &Result<pricing::RankedQuote, kargojet::Error>,
        agreements: &[std::sync::Arc<pricing::Agreement>],
    ) -> QuoteOutcome {
        match result {
            Ok(q) => QuoteOutcome {
                quote: Some(BatchQuote::from_domain(q, agreements)),
                error: None,
            },
            Err(e) => QuoteOutcome {
                quote: None,
                error: Some(ErrorInfo::from(e)),
            },
        }
    }
}

/// The normalized shipment status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
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

impl From<DomainStatus> for ShipmentStatus {
    fn from(s: DomainStatus) -> Self {
        match s {
            DomainStatus::Created => ShipmentStatus::Created,
            DomainStatus::PickedUp => ShipmentStatus::PickedUp,
            DomainStatus::InTransit => ShipmentStatus::InTransit,
            DomainStatus::AtBranch => ShipmentStatus::AtBranch,
            DomainStatus::OutForDelivery => ShipmentStatus::OutForDelivery,
            DomainStatus::Delivered => ShipmentStatus::Delivered,
            DomainStatus::DeliveryFailed => ShipmentStatus::DeliveryFailed,
            DomainStatus::Returning => ShipmentStatus::Returning,
            DomainStatus::Returned => ShipmentStatus::Returned,
            DomainStatus::Cancelled => ShipmentStatus::Cancelled,
            DomainStatus::Exception => ShipmentStatus::Exception,
        }
    }
}

impl From<ShipmentStatus> for DomainStatus {
    fn from(s: ShipmentStatus) -> Self {
        match s {
            ShipmentStatus::Created => DomainStatus::Created,
            ShipmentStatus::PickedUp => DomainStatus::PickedUp,
            ShipmentStatus::InTransit => DomainStatus::InTransit,
            ShipmentStatus::AtBranch => DomainStatus::AtBranch,
            ShipmentStatus::OutForDelivery => DomainStatus::OutForDelivery,
            ShipmentStatus::Delivered => DomainStatus::Delivered,
            ShipmentStatus::DeliveryFailed => DomainStatus::DeliveryFailed,
            ShipmentStatus::Returning => DomainStatus::Returning,
            ShipmentStatus::Returned => DomainStatus::Returned,
            ShipmentStatus::Cancelled => DomainStatus::Cancelled,
            ShipmentStatus::Exception => DomainStatus::Exception,
        }
    }
}

impl ShipmentStatus {
    /// The snake_case id (`out_for_delivery`).
    pub fn id(self) -> &'static str {
        DomainStatus::from(self).id()
    }

    /// The Turkish wording (`Teslim edildi`).
    pub fn name_tr(self) -> &'static str {
        DomainStatus::from(self).name_tr()
    }

    /// No further movement is expected (delivered, returned, cancelled).
    pub fn is_final(self) -> bool {
        DomainStatus::from(self).is_final()
    }
}

/// What the carrier measured at acceptance.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Measurement {
    /// Measured desi.
    pub desi: Option<String>,
    /// Measured kg.
    pub kg: Option<String>,
    /// The carrier's own amount.
    pub amount: Option<Money>,
}

/// One event of a shipment's history.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl From<&tracking::TrackingEvent> for TrackingEvent {
    fn from(e: &tracking::TrackingEvent) -> Self {
        TrackingEvent {
            time: e.time.to_rfc3339(),
            location: e.location.clone(),
            carrier_code: e.carrier_code.clone(),
            carrier_text: e.carrier_text.clone(),
            status: e.status.map(Into::into),
            measurement: e.measurement.as_ref().map(|m| Measurement {
                desi: m.desi.map(decimal_string),
                kg: m.kg.map(decimal_string),
                amount: m.amount.map(Into::into),
            }),
        }
    }
}

/// A shipment KargoJet created.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl From<&shipment::Shipment> for Shipment {
    fn from(s: &shipment::Shipment) -> Self {
        let to = &s.request.recipient;
        Shipment {
            id: s.id.0.clone(),
            company: s.company.clone(),
            carrier: s.carrier.as_str().to_string(),
            carrier_name: s.carrier.display_name().to_string(),
            account: s.account.as_str().to_string(),
            merchant_key: s.created.merchant_key.0.clone(),
            carrier_tracking_number: s.created.carrier_tracking_number.clone(),
            tracking_number: s.tracking_number().to_string(),
            carrier_refs: s
                .created
                .carrier_refs
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            status: s.status.into(),
            events: s.events.iter().map(TrackingEvent::from).collect(),
            offer: (&s.offer).into(),
            created_at: s.created_at.to_rfc3339(),
            idempotency_key: s.idempotency_key.clone(),
            return_of: s.return_of.as_ref().map(|r| r.0.clone()),
            recipient_summary: format!(
                "{}, {}/{}",
                to.name, to.address.district, to.address.province
            ),
            cod_amount: s.request.cod.map(|c| c.amount.into()),
        }
    }
}

/// A label file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum LabelFormat {
    /// PDF.
    Pdf,
    /// Zebra ZPL II.
    Zpl,
    /// Eltron EPL.
    Epl,
    /// PNG image.
    Png,
    /// JPEG image.
    Jpeg,
    /// HTML page.
    Html,
}

impl From<LabelFormat> for DomainLabelFormat {
    fn from(f: LabelFormat) -> Self {
        match f {
            LabelFormat::Pdf => DomainLabelFormat::Pdf,
            LabelFormat::Zpl => DomainLabelFormat::Zpl,
            LabelFormat::Epl => DomainLabelFormat::Epl,
            LabelFormat::Png => DomainLabelFormat::Png,
            LabelFormat::Jpeg => DomainLabelFormat::Jpeg,
            LabelFormat::Html => DomainLabelFormat::Html,
        }
    }
}

impl From<DomainLabelFormat> for LabelFormat {
    fn from(f: DomainLabelFormat) -> Self {
        match f {
            DomainLabelFormat::Pdf => LabelFormat::Pdf,
            DomainLabelFormat::Zpl => LabelFormat::Zpl,
            DomainLabelFormat::Epl => LabelFormat::Epl,
            DomainLabelFormat::Png => LabelFormat::Png,
            DomainLabelFormat::Jpeg => LabelFormat::Jpeg,
            DomainLabelFormat::Html => LabelFormat::Html,
        }
    }
}

/// Which label to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, uniffi::Enum)]
pub enum LabelSource {
    /// The carrier's label when it has the format, else KargoJet's own.
    #[default]
    Auto,
    /// Only the carrier's own label.
    Carrier,
    /// Always KargoJet's unified label (PDF or ZPL).
    KargoJet,
}

impl From<LabelSource> for kargojet::orchestrator::LabelSource {
    fn from(s: LabelSource) -> Self {
        match s {
            LabelSource::Auto => kargojet::orchestrator::LabelSource::Auto,
            LabelSource::Carrier => kargojet::orchestrator::LabelSource::Carrier,
            LabelSource::KargoJet => kargojet::orchestrator::LabelSource::KargoJet,
        }
    }
}

/// A label: the bytes exactly as produced.
#[derive(Clone, PartialEq, Eq, uniffi::Record)]
pub struct Label {
    /// Format.
    pub format: LabelFormat,
    /// MIME type (`application/pdf`).
    pub mime: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Label({:?}, {} bytes)", self.format, self.bytes.len())
    }
}

impl From<shipment::Label> for Label {
    fn from(l: shipment::Label) -> Self {
        Label {
            format: l.format.into(),
            mime: l.format.mime().to_string(),
            bytes: l.bytes,
        }
    }
}

/// A company's wallet balances.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl From<kargojet::wallet::CompanyBalances> for Balances {
    fn from(b: kargojet::wallet::CompanyBalances) -> Self {
        Balances {
            available: b.available.into(),
            blocked: b.blocked.into(),
            cod_receivable: b.cod_receivable.into(),
            paid_out: b.paid_out.into(),
            credit_limit: b.credit_limit.into(),
        }
    }
}
