//! What JavaScript sends: shipments, parcels, parties, the policy and the quote and ship
//! requests, as plain objects with camelCase fields (`codAmount`, `lengthCm`). Decimals are
//! strings (`"3.2"`, `"1.250,00"`), never numbers; validation happens in the facade, so a bad
//! value fails with its KargoJet code and field path.

use kargojet_ffi as ffi;
use napi_derive::napi;

/// An address as typed: province (name or plate), district, street line, postal code.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct AddressInput {
    /// Province name (any case, Turkish or ASCII letters) or plate code (`"34"`).
    pub province: String,
    /// District name (`Merkez` for central districts).
    pub district: String,
    /// Street, building, door (5–500 characters).
    pub line: String,
    /// Postal code (5 digits).
    pub postal_code: Option<String>,
}

impl From<AddressInput> for ffi::AddressInput {
    fn from(a: AddressInput) -> Self {
        ffi::AddressInput {
            province: a.province,
            district: a.district,
            line: a.line,
            postal_code: a.postal_code,
        }
    }
}

/// A sender or recipient.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct PartyInput {
    /// Person or company name.
    pub name: String,
    /// Phone in any Turkish form (`0532 123 45 67`, `+90…`).
    pub phone: String,
    /// The address.
    pub address: AddressInput,
    /// E-mail.
    pub email: Option<String>,
}

impl From<PartyInput> for ffi::PartyInput {
    fn from(p: PartyInput) -> Self {
        ffi::PartyInput {
            name: p.name,
            phone: p.phone,
            address: p.address.into(),
            email: p.email,
        }
    }
}

/// One parcel: dimensions in cm and weight in kg as exact decimal strings (`"40"`, `"3.2"`).
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct ParcelInput {
    /// Length, cm.
    pub length_cm: String,
    /// Width, cm.
    pub width_cm: String,
    /// Height, cm.
    pub height_cm: String,
    /// Actual weight, kg.
    pub weight_kg: String,
}

impl From<ParcelInput> for ffi::ParcelInput {
    fn from(p: ParcelInput) -> Self {
        ffi::ParcelInput {
            length_cm: p.length_cm,
            width_cm: p.width_cm,
            height_cm: p.height_cm,
            weight_kg: p.weight_kg,
        }
    }
}

/// How a cash-on-delivery amount is paid at the door.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodPayment {
    /// Cash (kapıda nakit).
    Cash,
    /// Card at the door (kapıda kredi kartı).
    Card,
}

impl From<CodPayment> for ffi::CodPayment {
    fn from(p: CodPayment) -> Self {
        match p {
            CodPayment::Cash => ffi::CodPayment::Cash,
            CodPayment::Card => ffi::CodPayment::Card,
        }
    }
}

/// A shipment to quote or ship.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct ShipmentInput {
    /// Who sends.
    pub sender: PartyInput,
    /// Who receives.
    pub recipient: PartyInput,
    /// The parcels (1–99).
    pub parcels: Vec<ParcelInput>,
    /// Cash on delivery to collect, in lira (`"1250.00"`).
    pub cod_amount: Option<String>,
    /// Cash or card at the door (default cash).
    pub cod_payment: Option<CodPayment>,
    /// The seller's order number, printed on the label.
    pub order_id: Option<String>,
    /// Contents.
    pub description: Option<String>,
    /// Send an SMS to the recipient (default false).
    pub sms: Option<bool>,
    /// Declared value to insure, in lira.
    pub insured_value: Option<String>,
}

impl From<ShipmentInput> for ffi::ShipmentInput {
    fn from(s: ShipmentInput) -> Self {
        ffi::ShipmentInput {
            sender: s.sender.into(),
            recipient: s.recipient.into(),
            parcels: s.parcels.into_iter().map(Into::into).collect(),
            cod_amount: s.cod_amount,
            cod_payment: s.cod_payment.map(Into::into),
            order_id: s.order_id,
            description: s.description,
            sms: s.sms.unwrap_or(false),
            insured_value: s.insured_value,
        }
    }
}

/// What offers are ranked by.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RankBy {
    /// Lowest total first.
    Cheapest,
    /// Fewest transit days first.
    Fastest,
}

impl From<RankBy> for ffi::RankBy {
    fn from(r: RankBy) -> Self {
        match r {
            RankBy::Cheapest => ffi::RankBy::Cheapest,
            RankBy::Fastest => ffi::RankBy::Fastest,
        }
    }
}

/// The seller's rules for choosing a carrier.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct PolicyInput {
    /// Ranking (default `cheapest`).
    pub rank: Option<RankBy>,
    /// Carrier ids ranked ahead of the others, most preferred first.
    pub preferred: Option<Vec<String>>,
    /// Only preferred carriers may be chosen.
    pub only_preferred: Option<bool>,
    /// Carrier ids never chosen.
    pub excluded: Option<Vec<String>>,
    /// Only carriers that offer cash on delivery.
    pub cod_required: Option<bool>,
    /// Largest billable desi accepted (`"30"`).
    pub max_desi: Option<String>,
    /// `ship` must not fail over to the next offer when a carrier rejects.
    pub no_failover: Option<bool>,
}

impl From<PolicyInput> for ffi::PolicyInput {
    fn from(p: PolicyInput) -> Self {
        ffi::PolicyInput {
            rank: p.rank.map(Into::into).unwrap_or_default(),
            preferred: p.preferred.unwrap_or_default(),
            only_preferred: p.only_preferred.unwrap_or(false),
            excluded: p.excluded.unwrap_or_default(),
            cod_required: p.cod_required.unwrap_or(false),
            max_desi: p.max_desi,
            no_failover: p.no_failover.unwrap_or(false),
        }
    }
}

/// A request for offers.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct QuoteRequest {
    /// The shipment.
    pub shipment: ShipmentInput,
    /// The policy (default: the configured one).
    pub policy: Option<PolicyInput>,
    /// The company asking (default: the configured one).
    pub company: Option<String>,
}

impl From<QuoteRequest> for ffi::QuoteRequest {
    fn from(q: QuoteRequest) -> Self {
        ffi::QuoteRequest {
            shipment: q.shipment.into(),
            policy: q.policy.map(Into::into),
            company: q.company,
        }
    }
}

/// A request to buy a shipment.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct ShipRequest {
    /// The shipment.
    pub shipment: ShipmentInput,
    /// The caller's key (e.g. its order id): the same key never ships twice (1–200 characters).
    pub idempotency_key: String,
    /// The policy (default: the configured one).
    pub policy: Option<PolicyInput>,
    /// Ship with this carrier instead of the best offer.
    pub carrier: Option<String>,
    /// With `carrier`: this agreement of it.
    pub agreement_id: Option<String>,
    /// The paying company (default: the configured one).
    pub company: Option<String>,
}

impl From<ShipRequest> for ffi::ShipRequest {
    fn from(s: ShipRequest) -> Self {
        ffi::ShipRequest {
            shipment: s.shipment.into(),
            idempotency_key: s.idempotency_key,
            policy: s.policy.map(Into::into),
            carrier: s.carrier,
            agreement_id: s.agreement_id,
            company: s.company,
        }
    }
}

/// A label file format.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl From<LabelFormat> for ffi::LabelFormat {
    fn from(f: LabelFormat) -> Self {
        match f {
            LabelFormat::Pdf => ffi::LabelFormat::Pdf,
            LabelFormat::Zpl => ffi::LabelFormat::Zpl,
            LabelFormat::Epl => ffi::LabelFormat::Epl,
            LabelFormat::Png => ffi::LabelFormat::Png,
            LabelFormat::Jpeg => ffi::LabelFormat::Jpeg,
            LabelFormat::Html => ffi::LabelFormat::Html,
        }
    }
}

impl From<ffi::LabelFormat> for LabelFormat {
    fn from(f: ffi::LabelFormat) -> Self {
        match f {
            ffi::LabelFormat::Pdf => LabelFormat::Pdf,
            ffi::LabelFormat::Zpl => LabelFormat::Zpl,
            ffi::LabelFormat::Epl => LabelFormat::Epl,
            ffi::LabelFormat::Png => LabelFormat::Png,
            ffi::LabelFormat::Jpeg => LabelFormat::Jpeg,
            ffi::LabelFormat::Html => LabelFormat::Html,
        }
    }
}

/// Which label to give.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelSource {
    /// The carrier's label when it has the format, else KargoJet's own.
    Auto,
    /// Only the carrier's own label.
    Carrier,
    /// Always KargoJet's unified label (PDF or ZPL).
    #[napi(value = "kargojet")]
    KargoJet,
}

impl From<LabelSource> for ffi::LabelSource {
    fn from(s: LabelSource) -> Self {
        match s {
            LabelSource::Auto => ffi::LabelSource::Auto,
            LabelSource::Carrier => ffi::LabelSource::Carrier,
            LabelSource::KargoJet => ffi::LabelSource::KargoJet,
        }
    }
}

/// A simulator operation faults can be injected into.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SandboxOperation {
    /// Creating a shipment.
    Create,
    /// Tracking a shipment.
    Track,
    /// Cancelling a shipment.
    Cancel,
}

impl From<SandboxOperation> for ffi::SandboxOperation {
    fn from(o: SandboxOperation) -> Self {
        match o {
            SandboxOperation::Create => ffi::SandboxOperation::Create,
            SandboxOperation::Track => ffi::SandboxOperation::Track,
            SandboxOperation::Cancel => ffi::SandboxOperation::Cancel,
        }
    }
}

/// What the simulator does to the next matching requests (`{ kind: 'reject' }`,
/// `{ kind: 'delay', millis: 1500 }`, …).
#[napi(
    discriminant = "kind",
    discriminant_case = "snake_case",
    object_to_js = false
)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxFault {
    /// Answer with the carrier's business error `carrierCode`, rendered as that carrier does
    /// (default: a code the carrier documents as a plain rejection).
    Reject {
        /// The carrier's own error code.
        carrier_code: Option<String>,
    },
    /// HTTP 500.
    Error500,
    /// Read the request and never answer.
    Timeout,
    /// Close the connection without answering.
    DropConnection,
    /// HTTP 200 with a garbled body.
    Malformed,
    /// Answer normally after a delay.
    Delay {
        /// Milliseconds.
        millis: u32,
    },
}

impl From<SandboxFault> for ffi::SandboxFault {
    fn from(f: SandboxFault) -> Self {
        match f {
            SandboxFault::Reject { carrier_code } => ffi::SandboxFault::Reject { carrier_code },
            SandboxFault::Error500 => ffi::SandboxFault::Error500,
            SandboxFault::Timeout => ffi::SandboxFault::Timeout,
            SandboxFault::DropConnection => ffi::SandboxFault::DropConnection,
            SandboxFault::Malformed => ffi::SandboxFault::Malformed,
            SandboxFault::Delay { millis } => ffi::SandboxFault::Delay {
                millis: u64::from(millis),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_the_optional_fields() {
        let p = ffi::PolicyInput::from(PolicyInput {
            rank: Some(RankBy::Fastest),
            excluded: Some(vec!["ptt".into()]),
            ..Default::default()
        });
        assert_eq!(p.rank, ffi::RankBy::Fastest);
        assert_eq!(p.excluded, vec!["ptt".to_string()]);
        assert!(p.preferred.is_empty() && !p.only_preferred && !p.no_failover);
        let s = ffi::ShipmentInput::from(ShipmentInput {
            cod_amount: Some("1250.00".into()),
            cod_payment: Some(CodPayment::Card),
            ..Default::default()
        });
        assert!(!s.sms);
        assert_eq!(s.cod_payment, Some(ffi::CodPayment::Card));
        assert_eq!(s.cod_amount.as_deref(), Some("1250.00"));
    }

    #[test]
    fn faults_keep_their_payload() {
        let f = ffi::SandboxFault::from(SandboxFault::Delay { millis: 1500 });
        assert_eq!(f, ffi::SandboxFault::Delay { millis: 1500 });
        let f = ffi::SandboxFault::from(SandboxFault::Reject {
            carrier_code: Some("1002".into()),
        });
        assert_eq!(
            f,
            ffi::SandboxFault::Reject {
                carrier_code: Some("1002".into())
            }
        );
    }
}
