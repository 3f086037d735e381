//! Response bodies for quotes, shipments and tracking: the library's values converted once,
//! here at the edge.

use super::common::{MoneyView, decimal_text};
use crate::lang::Lang;
use kargojet::address::Party;
use kargojet::pricing::{AgreementKind, Exclusion, Offer, PriceBreakdown, Quote};
use kargojet::shipment::{CodPayment, Shipment};
use kargojet::tracking::{Measurement, TrackingEvent};
use serde::Serialize;
use utoipa::ToSchema;

/// Every line of a price, each rounded to the kuruş (half-up); the lines add up to `total`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PriceView {
    /// Carrier cost (tariff).
    pub cost: MoneyView,
    /// Platform commission.
    pub commission: MoneyView,
    /// Cash-on-delivery fee.
    pub cod_fee: MoneyView,
    /// SMS fee.
    pub sms_fee: MoneyView,
    /// Insurance fee.
    pub insurance_fee: MoneyView,
    /// Discount (zero or negative).
    pub discount: MoneyView,
    /// KDV (VAT).
    pub kdv: MoneyView,
    /// Total to pay.
    pub total: MoneyView,
    /// The rounding rule (`kurus_half_up`).
    #[schema(example = "kurus_half_up")]
    pub rounding: String,
}

impl From<&PriceBreakdown> for PriceView {
    fn from(b: &PriceBreakdown) -> Self {
        PriceView {
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

/// Transit time in days.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransitView {
    /// Fewest days.
    pub min: u8,
    /// Most days.
    pub max: u8,
}

/// One offer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OfferView {
    /// Carrier id.
    #[schema(example = "yurtici")]
    pub carrier: String,
    /// Carrier name.
    #[schema(example = "Yurtiçi Kargo")]
    pub carrier_name: String,
    /// The agreement it is priced under (pass it to `POST /v1/shipments` as `agreement_id`).
    pub agreement_id: String,
    /// `platform` (paid from the wallet) or `own` (the seller's contract, billed by the carrier).
    #[schema(example = "platform")]
    pub agreement_kind: String,
    /// Commission percentage of a platform agreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub commission_percent: Option<String>,
    /// The carrier account that would create it.
    pub account: String,
    /// Distance zone or tariff zone (`kisa`, `orta`, …).
    pub zone: String,
    /// Billable desi after the tariff's rounding.
    #[schema(example = "19")]
    pub billable_desi: String,
    /// Transit days, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub transit_days: Option<TransitView>,
    /// Priced on an illustrative tariff (not a real price).
    pub illustrative: bool,
    /// Priced live by the carrier.
    pub live: bool,
    /// Whether this server can ship it (a connector is registered for its account).
    pub shippable: bool,
    /// The price.
    pub price: PriceView,
}

/// Builds an offer view; `shippable` says whether a connector exists.
pub fn offer_view(o: &Offer, shippable: bool) -> OfferView {
    OfferView {
        carrier: o.carrier.as_str().to_string(),
        carrier_name: o.carrier.display_name().to_string(),
        agreement_id: o.agreement_id.to_string(),
        agreement_kind: o.agreement.id().to_string(),
        commission_percent: match o.agreement {
            AgreementKind::Platform { commission_percent } => {
                Some(decimal_text(commission_percent))
            }
            AgreementKind::Own => None,
        },
        account: o.account.as_str().to_string(),
        zone: o.zone.id(),
        billable_desi: decimal_text(o.billable_desi),
        transit_days: o.transit_days.map(|t| TransitView {
            min: t.min,
            max: t.max,
        }),
        illustrative: o.illustrative,
        live: o.live,
        shippable,
        price: (&o.breakdown).into(),
    }
}

/// A carrier or agreement left out of a quote, with the reason.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExclusionView {
    /// Carrier id.
    pub carrier: String,
    /// Agreement id, if one agreement.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub agreement_id: Option<String>,
    /// Stable code (`policy.cod_above_cap`, …).
    pub code: String,
    /// The code's message in the asked language.
    pub message: String,
    /// Details.
    pub detail: String,
}

fn message(code: kargojet::Code, lang: Lang) -> String {
    match lang {
        Lang::Tr => code.message_tr().to_string(),
        Lang::En => code.message_en().to_string(),
    }
}

fn exclusion_view(x: &Exclusion, lang: Lang) -> ExclusionView {
    ExclusionView {
        carrier: x.carrier.as_str().to_string(),
        agreement_id: x.agreement_id.as_ref().map(|a| a.to_string()),
        code: x.code.as_str().to_string(),
        message: message(x.code, lang),
        detail: x.detail.clone(),
    }
}

/// A quote: offers ranked best first, and what was left out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuoteView {
    /// Offers, best first.
    pub offers: Vec<OfferView>,
    /// Carriers and agreements excluded, with coded reasons.
    pub excluded: Vec<ExclusionView>,
    /// Live-rate carriers that failed to answer.
    pub failures: Vec<ExclusionView>,
    /// True when any offer is priced on an illustrative tariff.
    pub illustrative: bool,
}

/// Builds a quote view.
pub fn quote_view(q: &Quote, shippable: impl Fn(&Offer) -> bool, lang: Lang) -> QuoteView {
    QuoteView {
        offers: q
            .offers
            .iter()
            .map(|o| offer_view(o, shippable(o)))
            .collect(),
        excluded: q.excluded.iter().map(|x| exclusion_view(x, lang)).collect(),
        failures: q
            .failures
            .iter()
            .map(|f| ExclusionView {
                carrier: f.carrier.as_str().to_string(),
                agreement_id: None,
                code: f.code.as_str().to_string(),
                message: message(f.code, lang),
                detail: f.detail.clone(),
            })
            .collect(),
        illustrative: q.offers.iter().any(|o| o.illustrative),
    }
}

/// A validated address.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AddressView {
    /// Plate code (1–81).
    pub plate: u8,
    /// Official province name.
    pub province: String,
    /// Official district name.
    pub district: String,
    /// Street, building, door.
    pub line: String,
    /// Postal code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub postal_code: Option<String>,
}

/// A validated party.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartyView {
    /// Name.
    pub name: String,
    /// Phone, 10 digits without the leading 0.
    pub phone: String,
    /// E-mail.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub email: Option<String>,
    /// Address.
    pub address: AddressView,
}

fn party_view(p: &Party) -> PartyView {
    PartyView {
        name: p.name.clone(),
        phone: p.phone.digits().to_string(),
        email: p.email.clone(),
        address: AddressView {
            plate: p.address.plate.get(),
            province: p.address.province.clone(),
            district: p.address.district.clone(),
            line: p.address.line.clone(),
            postal_code: p.address.postal_code.clone(),
        },
    }
}

/// A parcel as stored.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParcelView {
    /// cm.
    pub length_cm: String,
    /// cm.
    pub width_cm: String,
    /// cm.
    pub height_cm: String,
    /// kg.
    pub weight_kg: String,
    /// Desi (l × w × h / 3000).
    pub desi: String,
}

/// Cash on delivery.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodView {
    /// Amount to collect.
    pub amount: MoneyView,
    /// `cash` or `card`.
    pub payment: String,
}

/// What a carrier measured.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeasurementView {
    /// Measured desi.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub desi: Option<String>,
    /// Measured kg.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub kg: Option<String>,
    /// The carrier's amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub amount: Option<MoneyView>,
}

fn measurement_view(m: &Measurement) -> MeasurementView {
    MeasurementView {
        desi: m.desi.map(decimal_text),
        kg: m.kg.map(decimal_text),
        amount: m.amount.map(MoneyView::from),
    }
}

/// One tracking event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    /// When, with the carrier's offset (RFC 3339).
    #[schema(format = DateTime, example = "2026-01-05T14:30:00+03:00")]
    pub time: String,
    /// Branch, hub or city.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub location: Option<String>,
    /// The carrier's own code.
    pub carrier_code: String,
    /// The carrier's own wording.
    pub carrier_text: String,
    /// Normalized status (absent for codes KargoJet does not know).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub status: Option<String>,
    /// A measurement reported with the event.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub measurement: Option<MeasurementView>,
}

/// Builds an event view.
pub fn event_view(e: &TrackingEvent) -> EventView {
    EventView {
        time: e.time.to_rfc3339(),
        location: e.location.clone(),
        carrier_code: e.carrier_code.clone(),
        carrier_text: e.carrier_text.clone(),
        status: e.status.map(|s| s.id().to_string()),
        measurement: e.measurement.as_ref().map(measurement_view),
    }
}

/// A shipment.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShipmentView {
    /// KargoJet id.
    #[schema(example = "shp_0a1b2c3d4e5f60718293")]
    pub id: String,
    /// Normalized status.
    #[schema(example = "created")]
    pub status: String,
    /// The status in Turkish.
    pub status_tr: String,
    /// Carrier id.
    pub carrier: String,
    /// Carrier name.
    pub carrier_name: String,
    /// Carrier account used.
    pub account: String,
    /// Agreement id.
    pub agreement_id: String,
    /// `platform` or `own`.
    pub agreement_kind: String,
    /// The merchant key sent to the carrier (the barcode).
    pub merchant_key: String,
    /// The carrier's tracking number, once known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub carrier_tracking_number: Option<String>,
    /// The carrier's tracking number, or the merchant key until it is known.
    pub tracking_number: String,
    /// The seller's order number.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub order_id: Option<String>,
    /// The idempotency key it was created under.
    pub idempotency_key: String,
    /// When it was created (RFC 3339, UTC).
    #[schema(format = DateTime)]
    pub created_at: String,
    /// The shipment this one returns, for returns.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub return_of: Option<String>,
    /// Sender.
    pub sender: PartyView,
    /// Recipient.
    pub recipient: PartyView,
    /// Parcels.
    pub parcels: Vec<ParcelView>,
    /// Cash on delivery.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub cod: Option<CodView>,
    /// Billable desi it was priced on.
    pub billable_desi: String,
    /// The price it was bought at.
    pub price: PriceView,
    /// Tracking history, oldest first.
    pub events: Vec<EventView>,
}

/// Builds a shipment view.
pub fn shipment_view(s: &Shipment) -> ShipmentView {
    ShipmentView {
        id: s.id.0.clone(),
        status: s.status.id().to_string(),
        status_tr: s.status.name_tr().to_string(),
        carrier: s.carrier.as_str().to_string(),
        carrier_name: s.carrier.display_name().to_string(),
        account: s.account.as_str().to_string(),
        agreement_id: s.offer.agreement_id.to_string(),
        agreement_kind: s.offer.agreement.id().to_string(),
        merchant_key: s.created.merchant_key.0.clone(),
        carrier_tracking_number: s.created.carrier_tracking_number.clone(),
        tracking_number: s.tracking_number().to_string(),
        order_id: s.request.order_id.clone(),
        idempotency_key: s.idempotency_key.clone(),
        created_at: s
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        return_of: s.return_of.as_ref().map(|r| r.0.clone()),
        sender: party_view(&s.request.sender),
        recipient: party_view(&s.request.recipient),
        parcels: s
            .request
            .parcels
            .iter()
            .map(|p| ParcelView {
                length_cm: decimal_text(p.length_cm),
                width_cm: decimal_text(p.width_cm),
                height_cm: decimal_text(p.height_cm),
                weight_kg: decimal_text(p.weight_kg),
                desi: decimal_text(p.desi()),
            })
            .collect(),
        cod: s.request.cod.map(|c| CodView {
            amount: c.amount.into(),
            payment: match c.payment {
                CodPayment::Cash => "cash".into(),
                CodPayment::Card => "card".into(),
            },
        }),
        billable_desi: decimal_text(s.offer.billable_desi),
        price: (&s.offer.breakdown).into(),
        events: s.events.iter().map(event_view).collect(),
    }
}

/// A page of shipments.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ShipmentPage {
    /// Shipments, newest first.
    pub items: Vec<ShipmentView>,
    /// Pass as `cursor` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub next_cursor: Option<String>,
}

/// A shipment's tracking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackingView {
    /// Shipment id.
    pub shipment_id: String,
    /// Current status.
    pub status: String,
    /// The status in Turkish.
    pub status_tr: String,
    /// Whether no further movement is expected.
    pub is_final: bool,
    /// The tracking number.
    pub tracking_number: String,
    /// History, oldest first.
    pub events: Vec<EventView>,
}

/// Builds a tracking view.
pub fn tracking_view(s: &Shipment) -> TrackingView {
    TrackingView {
        shipment_id: s.id.0.clone(),
        status: s.status.id().to_string(),
        status_tr: s.status.name_tr().to_string(),
        is_final: s.status.is_final(),
        tracking_number: s.tracking_number().to_string(),
        events: s.events.iter().map(event_view).collect(),
    }
}
