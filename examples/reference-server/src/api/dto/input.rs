//! Request bodies for quotes and shipments, turned into the library's drafts (which do the
//! validation: Turkish provinces and districts, phones, parcels, amounts).

use super::common::{CarrierCode, de_decimal, de_opt_decimal};
use kargojet::money::Money;
use kargojet::parcel::Parcel;
use kargojet::pricing::{Rank, SelectionPolicy};
use kargojet::shipment::{AddressDraft, CodPayment, PartyDraft, ShipmentDraft, ShipmentRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An address in Türkiye.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressInput {
    /// Province name or plate (`İstanbul`, `istanbul`, `34`).
    #[schema(example = "İstanbul", min_length = 1, max_length = 100)]
    pub province: String,
    /// District name within the province (`Kadıköy`, `kadikoy`).
    #[schema(example = "Kadıköy", min_length = 1, max_length = 100)]
    pub district: String,
    /// Street, building and door (5–500 characters).
    #[schema(
        example = "Caferağa Mah. Moda Cad. No: 12",
        min_length = 5,
        max_length = 500
    )]
    pub line: String,
    /// Postal code (5 digits).
    #[serde(default)]
    #[schema(example = "34710", pattern = r"^\d{5}$")]
    pub postal_code: Option<String>,
}

/// A sender or recipient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyInput {
    /// Full name or company name.
    #[schema(example = "Ayşe Yılmaz", min_length = 2, max_length = 200)]
    pub name: String,
    /// Turkish phone number in any usual form (`+90 532 123 45 67`, `05321234567`).
    #[schema(example = "+90 532 123 45 67", min_length = 10, max_length = 25)]
    pub phone: String,
    /// E-mail address.
    #[serde(default)]
    #[schema(example = "ayse@example.com", max_length = 254)]
    pub email: Option<String>,
    /// Address.
    pub address: AddressInput,
}

impl PartyInput {
    /// The library's draft.
    pub fn draft(&self) -> PartyDraft {
        PartyDraft {
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: AddressDraft {
                province: self.address.province.clone(),
                district: self.address.district.clone(),
                line: self.address.line.clone(),
                postal_code: self.address.postal_code.clone(),
            },
        }
    }
}

/// One parcel: centimetres and kilograms (numbers or decimal strings).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParcelInput {
    /// Length in cm (0 < l ≤ 500).
    #[serde(deserialize_with = "de_decimal")]
    #[schema(value_type = f64, example = 40, exclusive_minimum = 0, maximum = 500)]
    pub length_cm: Decimal,
    /// Width in cm (0 < w ≤ 500).
    #[serde(deserialize_with = "de_decimal")]
    #[schema(value_type = f64, example = 30, exclusive_minimum = 0, maximum = 500)]
    pub width_cm: Decimal,
    /// Height in cm (0 < h ≤ 500).
    #[serde(deserialize_with = "de_decimal")]
    #[schema(value_type = f64, example = 20, exclusive_minimum = 0, maximum = 500)]
    pub height_cm: Decimal,
    /// Actual weight in kg (0 < kg ≤ 1000).
    #[serde(deserialize_with = "de_decimal")]
    #[schema(value_type = f64, example = 3.2, exclusive_minimum = 0, maximum = 1000)]
    pub weight_kg: Decimal,
}

/// How the recipient pays a cash-on-delivery amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodPaymentInput {
    /// Cash at the door.
    Cash,
    /// Card at the door.
    Card,
}

/// A shipment: who sends, who receives, the parcels and the extras.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipmentInput {
    /// Sender.
    pub sender: PartyInput,
    /// Recipient.
    pub recipient: PartyInput,
    /// Parcels (1–99).
    #[schema(min_items = 1, max_items = 99)]
    pub parcels: Vec<ParcelInput>,
    /// Cash on delivery to collect, in TRY (decimal string or number, 2 decimals at most).
    #[serde(default, deserialize_with = "de_opt_decimal")]
    #[schema(value_type = Option<String>, example = "5750.00", pattern = r"^\d{1,10}(\.\d{1,2})?$")]
    pub cod_amount: Option<Decimal>,
    /// How COD is paid (default cash).
    #[serde(default)]
    pub cod_payment: Option<CodPaymentInput>,
    /// The seller's order number (printed on the label).
    #[serde(default)]
    #[schema(example = "SIP-2026-0042", max_length = 100)]
    pub order_id: Option<String>,
    /// Contents.
    #[serde(default)]
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// Send the recipient an SMS (a fee where the agreement has one).
    #[serde(default)]
    pub sms: bool,
    /// Insured value in TRY.
    #[serde(default, deserialize_with = "de_opt_decimal")]
    #[schema(value_type = Option<String>, pattern = r"^\d{1,10}(\.\d{1,2})?$")]
    pub insured_value: Option<Decimal>,
}

fn prefixed(e: kargojet::Error, prefix: &str) -> kargojet::Error {
    match e {
        kargojet::Error::InvalidRequest {
            code,
            field,
            detail,
        } => kargojet::Error::InvalidRequest {
            code,
            // The library's `cod.amount` is this body's `cod_amount`.
            field: format!("{prefix}.{}", field.replace("cod.amount", "cod_amount")),
            detail,
        },
        other => other,
    }
}

impl ShipmentInput {
    /// Validates into the library's request; field paths start with `prefix`
    /// (`shipment.recipient.address.district`).
    pub fn validate(&self, prefix: &str) -> kargojet::Result<ShipmentRequest> {
        let money = |d: Option<Decimal>, field: &str| -> kargojet::Result<Option<Money>> {
            match d {
                None => Ok(None),
                Some(d) if d.scale() > 2 && d.round_dp(2) != d => Err(kargojet::Error::invalid(
                    kargojet::Code::RequestInvalidAmount,
                    field,
                    format!("{d} has more than 2 decimals"),
                )),
                Some(d) if d > Decimal::from(10_000_000_000i64) => Err(kargojet::Error::invalid(
                    kargojet::Code::RequestInvalidAmount,
                    field,
                    format!("{d} is too large"),
                )),
                Some(d) => Ok(Some(Money::try_lira(d))),
            }
        };
        let draft = ShipmentDraft {
            sender: self.sender.draft(),
            recipient: self.recipient.draft(),
            parcels: self
                .parcels
                .iter()
                .map(|p| Parcel::new(p.length_cm, p.width_cm, p.height_cm, p.weight_kg))
                .collect(),
            cod_amount: money(self.cod_amount, "cod_amount").map_err(|e| prefixed(e, prefix))?,
            cod_payment: self.cod_payment.map(|p| match p {
                CodPaymentInput::Cash => CodPayment::Cash,
                CodPaymentInput::Card => CodPayment::Card,
            }),
            order_id: self.order_id.clone(),
            description: self.description.clone(),
            sms: self.sms,
            insured_value: money(self.insured_value, "insured_value")
                .map_err(|e| prefixed(e, prefix))?,
        };
        for (field, v, max) in [
            ("order_id", &self.order_id, 100),
            ("description", &self.description, 500),
        ] {
            if v.as_ref().is_some_and(|s| s.chars().count() > max) {
                return Err(kargojet::Error::invalid(
                    kargojet::Code::RequestInvalid,
                    format!("{prefix}.{field}"),
                    format!("at most {max} characters"),
                ));
            }
        }
        draft.validate().map_err(|e| prefixed(e, prefix))
    }
}

/// Ranking of offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RankInput {
    /// Cheapest first.
    Cheapest,
    /// Fastest first.
    Fastest,
}

/// How offers are chosen.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyInput {
    /// Ranking (default cheapest).
    #[serde(default)]
    pub rank: Option<RankInput>,
    /// Carriers to prefer.
    #[serde(default)]
    #[schema(max_items = 8)]
    pub preferred: Vec<CarrierCode>,
    /// Only the preferred carriers.
    #[serde(default)]
    pub only_preferred: bool,
    /// Carriers to leave out.
    #[serde(default)]
    #[schema(max_items = 8)]
    pub excluded: Vec<CarrierCode>,
    /// Only carriers that offer cash on delivery.
    #[serde(default)]
    pub cod_required: bool,
    /// Largest billable desi.
    #[serde(default, deserialize_with = "de_opt_decimal")]
    #[schema(value_type = Option<f64>, exclusive_minimum = 0, maximum = 10000)]
    pub max_desi: Option<Decimal>,
    /// Do not fail over to the next offer when a carrier refuses.
    #[serde(default)]
    pub no_failover: bool,
}

impl PolicyInput {
    /// The library's policy.
    pub fn policy(&self) -> SelectionPolicy {
        SelectionPolicy {
            rank: match self.rank {
                Some(RankInput::Fastest) => Rank::Fastest,
                _ => Rank::Cheapest,
            },
            preferred: self.preferred.iter().map(|c| c.id()).collect(),
            only_preferred: self.only_preferred,
            excluded: self.excluded.iter().map(|c| c.id()).collect(),
            cod_required: self.cod_required,
            max_desi: self.max_desi,
            no_failover: self.no_failover,
        }
    }
}

/// `POST /v1/quotes`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteBody {
    /// The shipment to price.
    pub shipment: ShipmentInput,
    /// How to rank and filter.
    #[serde(default)]
    pub policy: Option<PolicyInput>,
}

/// `POST /v1/shipments` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ShipBody {
    /// The shipment to buy.
    pub shipment: ShipmentInput,
    /// How to choose the offer.
    #[serde(default)]
    pub policy: Option<PolicyInput>,
    /// Ship with this carrier (its best offer) instead of the overall best.
    #[serde(default)]
    pub carrier: Option<CarrierCode>,
    /// Ship under this agreement of the carrier (as in a quote's `agreement_id`).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub agreement_id: Option<String>,
}

/// `POST /v1/shipments/{id}/return` (with an `Idempotency-Key` header).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReturnBody {
    /// Why it comes back (kept in the audit log only).
    #[serde(default)]
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}
