//! Records the caller sends: shipments, parcels, parties, the selection policy and the quote and
//! ship requests, with their conversions into validated domain values (errors name the field).

use crate::error::KargoJetError;
use crate::money::{parse_decimal, parse_opt_decimal, parse_opt_money};
use kargojet::carrier::CarrierId;
use kargojet::error::Code;
use kargojet::parcel::Parcel;
use kargojet::pricing::{Rank, SelectionPolicy};
use kargojet::shipment::{
    AddressDraft, CodPayment as DomainCodPayment, PartyDraft, ShipmentDraft, ShipmentRequest,
};
use serde::{Deserialize, Serialize};

/// An address as typed: province (name or plate), district, street line, postal code.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct AddressInput {
    /// Province name (any case, Turkish or ASCII letters) or plate code (`"34"`).
    pub province: String,
    /// District name (`Merkez` for central districts).
    pub district: String,
    /// Street, building, door (5–500 characters).
    pub line: String,
    /// Postal code (5 digits), optional.
    #[uniffi(default)]
    pub postal_code: Option<String>,
}

/// A sender or recipient.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct PartyInput {
    /// Person or company name.
    pub name: String,
    /// Phone in any Turkish form (`0532 123 45 67`, `+90…`).
    pub phone: String,
    /// The address.
    pub address: AddressInput,
    /// E-mail, optional.
    #[uniffi(default)]
    pub email: Option<String>,
}

/// One parcel: dimensions in cm and weight in kg as exact decimals (`"40"`, `"3.2"`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
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

/// How a cash-on-delivery amount is paid at the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum CodPayment {
    /// Cash (kapıda nakit).
    #[default]
    Cash,
    /// Card at the door (kapıda kredi kartı).
    Card,
}

/// A shipment to quote or ship.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct ShipmentInput {
    /// Who sends.
    pub sender: PartyInput,
    /// Who receives.
    pub recipient: PartyInput,
    /// The parcels (1–99).
    pub parcels: Vec<ParcelInput>,
    /// Cash on delivery to collect, in lira (`"1250.00"`), if any.
    #[uniffi(default)]
    pub cod_amount: Option<String>,
    /// Cash or card at the door (default cash).
    #[uniffi(default)]
    pub cod_payment: Option<CodPayment>,
    /// The seller's order number, printed on the label.
    #[uniffi(default)]
    pub order_id: Option<String>,
    /// Contents.
    #[uniffi(default)]
    pub description: Option<String>,
    /// Send an SMS to the recipient.
    #[uniffi(default)]
    pub sms: bool,
    /// Declared value to insure, in lira.
    #[uniffi(default)]
    pub insured_value: Option<String>,
}

/// What offers are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Enum)]
#[serde(rename_all = "snake_case")]
pub enum RankBy {
    /// Lowest total first.
    #[default]
    Cheapest,
    /// Fewest transit days first.
    Fastest,
}

/// The seller's rules for choosing a carrier.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct PolicyInput {
    /// Ranking.
    // No `#[uniffi(default)]` here: uniffi 0.32's Kotlin and Swift generators cannot render a
    // proc-macro default of an enum-typed field and refuse to generate the bindings.
    pub rank: RankBy,
    /// Carrier ids ranked ahead of the others, most preferred first.
    #[uniffi(default)]
    pub preferred: Vec<String>,
    /// Only preferred carriers may be chosen.
    #[uniffi(default)]
    pub only_preferred: bool,
    /// Carrier ids never chosen.
    #[uniffi(default)]
    pub excluded: Vec<String>,
    /// Only carriers that offer cash on delivery.
    #[uniffi(default)]
    pub cod_required: bool,
    /// Largest billable desi accepted (`"30"`).
    #[uniffi(default)]
    pub max_desi: Option<String>,
    /// `ship` must not fail over to the next offer when a carrier rejects.
    #[uniffi(default)]
    pub no_failover: bool,
}

/// A request for offers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct QuoteRequest {
    /// The shipment.
    pub shipment: ShipmentInput,
    /// The policy (default: the configured one).
    #[uniffi(default)]
    pub policy: Option<PolicyInput>,
    /// The company asking (default: the configured one).
    #[uniffi(default)]
    pub company: Option<String>,
}

/// A request to buy a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct ShipRequest {
    /// The shipment.
    pub shipment: ShipmentInput,
    /// The caller's key (e.g. its order id): the same key never ships twice (1–200 characters).
    pub idempotency_key: String,
    /// The policy (default: the configured one).
    #[uniffi(default)]
    pub policy: Option<PolicyInput>,
    /// Ship with this carrier instead of the best offer.
    #[uniffi(default)]
    pub carrier: Option<String>,
    /// With `carrier`: this agreement of it.
    #[uniffi(default)]
    pub agreement_id: Option<String>,
    /// The paying company (default: the configured one).
    #[uniffi(default)]
    pub company: Option<String>,
}

impl From<CodPayment> for DomainCodPayment {
    fn from(p: CodPayment) -> Self {
        match p {
            CodPayment::Cash => DomainCodPayment::Cash,
            CodPayment::Card => DomainCodPayment::Card,
        }
    }
}

impl From<DomainCodPayment> for CodPayment {
    fn from(p: DomainCodPayment) -> Self {
        match p {
            DomainCodPayment::Cash => CodPayment::Cash,
            DomainCodPayment::Card => CodPayment::Card,
        }
    }
}

impl AddressInput {
    /// The raw domain form.
    pub fn to_draft(&self) -> AddressDraft {
        AddressDraft {
            province: self.province.clone(),
            district: self.district.clone(),
            line: self.line.clone(),
            postal_code: self.postal_code.clone(),
        }
    }
}

impl PartyInput {
    /// The raw domain form.
    pub fn to_draft(&self) -> PartyDraft {
        PartyDraft {
            name: self.name.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            address: self.address.to_draft(),
        }
    }
}

impl ParcelInput {
    /// The parcel; `field` is its path (`parcels[0]`).
    pub fn to_domain(&self, field: &str) -> Result<Parcel, KargoJetError> {
        let dim = |v: &str, name: &str| {
            parse_decimal(
                v,
                &format!("{field}.{name}"),
                Code::RequestInvalidDimensions,
            )
        };
        let parcel = Parcel::new(
            dim(&self.length_cm, "length_cm")?,
            dim(&self.width_cm, "width_cm")?,
            dim(&self.height_cm, "height_cm")?,
            parse_decimal(
                &self.weight_kg,
                &format!("{field}.weight_kg"),
                Code::RequestInvalidWeight,
            )?,
        );
        parcel.validate(field)?;
        Ok(parcel)
    }
}

impl ShipmentInput {
    /// Validates every field into a domain request (the first error, with its field path).
    pub fn to_domain(&self) -> Result<ShipmentRequest, KargoJetError> {
        let parcels = self
            .parcels
            .iter()
            .enumerate()
            .map(|(i, p)| p.to_domain(&format!("parcels[{i}]")))
            .collect::<Result<Vec<_>, _>>()?;
        let draft = ShipmentDraft {
            sender: self.sender.to_draft(),
            recipient: self.recipient.to_draft(),
            parcels,
            cod_amount: parse_opt_money(self.cod_amount.as_deref(), "cod_amount")?,
            cod_payment: self.cod_payment.map(Into::into),
            order_id: self.order_id.clone(),
            description: self.description.clone(),
            sms: self.sms,
            insured_value: parse_opt_money(self.insured_value.as_deref(), "insured_value")?,
        };
        Ok(draft.validate()?)
    }
}

impl From<RankBy> for Rank {
    fn from(r: RankBy) -> Self {
        match r {
            RankBy::Cheapest => Rank::Cheapest,
            RankBy::Fastest => Rank::Fastest,
        }
    }
}

impl PolicyInput {
    /// The domain policy (carriers are checked against the registered ones by the quote).
    pub fn to_domain(&self) -> Result<SelectionPolicy, KargoJetError> {
        Ok(SelectionPolicy {
            rank: self.rank.into(),
            preferred: self.preferred.iter().map(|c| CarrierId::parse(c)).collect(),
            only_preferred: self.only_preferred,
            excluded: self.excluded.iter().map(|c| CarrierId::parse(c)).collect(),
            cod_required: self.cod_required,
            max_desi: parse_opt_decimal(
                self.max_desi.as_deref(),
                "policy.max_desi",
                Code::RequestInvalidPolicy,
            )?,
            no_failover: self.no_failover,
        })
    }
}

impl From<&SelectionPolicy> for PolicyInput {
    fn from(p: &SelectionPolicy) -> Self {
        PolicyInput {
            rank: match p.rank {
                Rank::Cheapest => RankBy::Cheapest,
                Rank::Fastest => RankBy::Fastest,
            },
            preferred: p.preferred.iter().map(|c| c.as_str().to_string()).collect(),
            only_preferred: p.only_preferred,
            excluded: p.excluded.iter().map(|c| c.as_str().to_string()).collect(),
            cod_required: p.cod_required,
            max_desi: p.max_desi.map(crate::money::decimal_string),
            no_failover: p.no_failover,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn shipment() -> ShipmentInput {
        ShipmentInput {
            sender: PartyInput {
                name: "Moda Tekstil".into(),
                phone: "0216 345 67 89".into(),
                address: AddressInput {
                    province: "İstanbul".into(),
                    district: "Kadıköy".into(),
                    line: "Caferağa Mah. Moda Cad. No: 12".into(),
                    postal_code: None,
                },
                email: None,
            },
            recipient: PartyInput {
                name: "Ayşe Yılmaz".into(),
                phone: "+90 532 123 45 67".into(),
                address: AddressInput {
                    province: "VAN".into(),
                    district: "ipekyolu".into(),
                    line: "Cumhuriyet Cad. No: 5".into(),
                    postal_code: None,
                },
                email: None,
            },
            parcels: vec![ParcelInput {
                length_cm: "40".into(),
                width_cm: "30".into(),
                height_cm: "20".into(),
                weight_kg: "3,2".into(),
            }],
            cod_amount: Some("1.250,00".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_shipment_validates_with_turkish_forms() {
        let r = shipment().to_domain();
        let r = r.as_ref().ok();
        assert_eq!(
            r.map(|r| r.recipient.address.province.as_str()),
            Some("Van")
        );
        assert_eq!(
            r.and_then(|r| r.cod).map(|c| c.amount.to_kurus()),
            Some(125_000)
        );
    }

    #[test]
    fn errors_name_the_field() {
        let mut s = shipment();
        s.parcels[0].height_cm = "yirmi".into();
        let e = s.to_domain().err().map(|e| e.info());
        assert_eq!(
            e.as_ref().map(|e| (e.code.as_str(), e.field.as_deref())),
            Some(("request.invalid_dimensions", Some("parcels[0].height_cm")))
        );
        let mut s = shipment();
        s.recipient.address.line = "x".into();
        let e = s.to_domain().err().map(|e| e.info());
        assert_eq!(
            e.as_ref().map(|e| (e.code.as_str(), e.field.as_deref())),
            Some(("request.invalid_address", Some("recipient.address.line")))
        );
    }

    #[test]
    fn a_policy_round_trips() {
        let p = PolicyInput {
            rank: RankBy::Fastest,
            preferred: vec!["aras".into()],
            max_desi: Some("30".into()),
            ..Default::default()
        };
        let d = p.to_domain().ok();
        assert_eq!(d.as_ref().map(PolicyInput::from), Some(p));
    }
}
