//! Shipments: the request a seller makes (validated from a raw [`ShipmentDraft`]), its two
//! references, the shipment a carrier created, and labels as bytes.

use crate::address::{Address, Party};
use crate::carrier::{AccountId, CarrierId};
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::parcel::Parcel;
use crate::tracking::{ShipmentStatus, TrackingEvent};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// How the recipient pays a cash-on-delivery amount (kapıda ödeme).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CodPayment {
    /// Cash (kapıda nakit).
    #[default]
    Cash,
    /// Card at the door (kapıda kredi kartı).
    Card,
}

/// A cash-on-delivery collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CashOnDelivery {
    /// Amount to collect (VAT-inclusive goods price).
    pub amount: Money,
    /// Cash or card.
    #[serde(default)]
    pub payment: CodPayment,
}

/// A validated request to ship parcels from a sender to a recipient.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShipmentRequest {
    /// Who sends.
    pub sender: Party,
    /// Who receives.
    pub recipient: Party,
    /// The parcels (at least one).
    pub parcels: Vec<Parcel>,
    /// Cash on delivery, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cod: Option<CashOnDelivery>,
    /// The seller's order number, printed on the label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    /// Contents description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Send an SMS to the recipient (a fee where the agreement has one).
    #[serde(default)]
    pub sms: bool,
    /// Insure the declared value (a fee where the agreement has one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub insured_value: Option<Money>,
}

impl ShipmentRequest {
    /// Checks the parcels and the COD amount (addresses and phones are checked when the
    /// parties are built).
    pub fn validate(&self) -> Result<()> {
        if self.parcels.is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "parcels",
                "at least one parcel is needed",
            ));
        }
        if self.parcels.len() > 99 {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "parcels",
                format!("{} parcels, at most 99", self.parcels.len()),
            ));
        }
        for (i, p) in self.parcels.iter().enumerate() {
            p.validate_at(|| format!("parcels[{i}]"))?;
        }
        if let Some(cod) = &self.cod {
            if cod.amount.amount <= Decimal::ZERO
                || cod.amount.amount.scale() > 2 && cod.amount.round_kurus() != cod.amount
            {
                return Err(Error::invalid(
                    Code::RequestInvalidAmount,
                    "cod.amount",
                    format!(
                        "{} must be positive with at most 2 decimals",
                        cod.amount.amount
                    ),
                ));
            }
        }
        if let Some(v) = &self.insured_value {
            if v.is_negative() {
                return Err(Error::invalid(
                    Code::RequestInvalidAmount,
                    "insured_value",
                    "must not be negative",
                ));
            }
        }
        Ok(())
    }

    /// Total actual weight in kg.
    pub fn total_kg(&self) -> Decimal {
        self.parcels.iter().map(|p| p.weight_kg).sum()
    }
}

/// The raw form of an address, as typed by a person or read from a spreadsheet.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AddressDraft {
    /// Province name or plate.
    pub province: String,
    /// District name.
    pub district: String,
    /// Street address.
    pub line: String,
    /// Postal code, optional.
    #[serde(default)]
    pub postal_code: Option<String>,
}

/// The raw form of a party.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartyDraft {
    /// Name.
    pub name: String,
    /// Phone in any Turkish form.
    pub phone: String,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Address.
    pub address: AddressDraft,
}

/// The raw form of a shipment request (JSON from an API, a spreadsheet row, an FFI record);
/// [`ShipmentDraft::validate`] turns it into a [`ShipmentRequest`] or the first typed error.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShipmentDraft {
    /// Sender.
    pub sender: PartyDraft,
    /// Recipient.
    pub recipient: PartyDraft,
    /// Parcels.
    pub parcels: Vec<Parcel>,
    /// COD amount in lira, if any.
    #[serde(default)]
    pub cod_amount: Option<Money>,
    /// COD payment type.
    #[serde(default)]
    pub cod_payment: Option<CodPayment>,
    /// Seller's order number.
    #[serde(default)]
    pub order_id: Option<String>,
    /// Contents.
    #[serde(default)]
    pub description: Option<String>,
    /// SMS notification.
    #[serde(default)]
    pub sms: bool,
    /// Insured value.
    #[serde(default)]
    pub insured_value: Option<Money>,
}

impl PartyDraft {
    /// Validates into a [`Party`]; `field` is `sender` or `recipient`.
    pub fn validate(&self, field: &str) -> Result<Party> {
        let a = &self.address;
        let mut address = Address::parse(
            &a.province,
            &a.district,
            &a.line,
            &format!("{field}.address"),
        )?;
        if let Some(pc) = a.postal_code.as_deref().filter(|s| !s.trim().is_empty()) {
            address = address.with_postal_code(pc, &format!("{field}.address"))?;
        }
        let mut party = Party::parse(&self.name, &self.phone, address, field)?;
        if let Some(email) = self.email.as_deref().filter(|s| !s.trim().is_empty()) {
            let e = email.trim();
            let ok = e
                .split_once('@')
                .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !e.contains(' '));
            if !ok {
                return Err(Error::invalid(
                    Code::RequestInvalid,
                    format!("{field}.email"),
                    format!("'{e}' is not an e-mail address"),
                ));
            }
            party.email = Some(e.to_string());
        }
        Ok(party)
    }
}

impl ShipmentDraft {
    /// Validates every field and returns the request, or the first error with its field path.
    pub fn validate(&self) -> Result<ShipmentRequest> {
        let req = ShipmentRequest {
            sender: self.sender.validate("sender")?,
            recipient: self.recipient.validate("recipient")?,
            parcels: self.parcels.clone(),
            cod: self.cod_amount.map(|amount| CashOnDelivery {
                amount,
                payment: self.cod_payment.unwrap_or_default(),
            }),
            order_id: self.order_id.clone().filter(|s| !s.trim().is_empty()),
            description: self.description.clone().filter(|s| !s.trim().is_empty()),
            sms: self.sms,
            insured_value: self.insured_value,
        };
        req.validate()?;
        Ok(req)
    }
}

/// The merchant's own key for a shipment: chosen before the carrier is called, printed as the
/// barcode, and the key for reconciliation (Yurtiçi `cargoKey`, Aras `IntegrationCode`, Sürat
/// `OzelKargoTakipNo`, HepsiJET `customerDeliveryNo`, PTT `barkodNo`, …).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MerchantKey(pub String);

impl MerchantKey {
    /// A key of `prefix` and 10 digits derived from a seed (e.g. the idempotency key), so the
    /// same seed always gives the same key. Only ASCII letters and digits: every carrier and
    /// Code128 accept it.
    pub fn derive(prefix: &str, seed: &str) -> MerchantKey {
        // FNV-1a 64: stable across platforms and releases (never use the std hasher here).
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in seed.as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        MerchantKey(format!("{prefix}{:010}", h % 10_000_000_000))
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MerchantKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A label file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LabelFormat {
    /// PDF document.
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

impl LabelFormat {
    /// The MIME type.
    pub fn mime(self) -> &'static str {
        match self {
            LabelFormat::Pdf => "application/pdf",
            LabelFormat::Zpl => "application/x-zpl",
            LabelFormat::Epl => "application/x-epl",
            LabelFormat::Png => "image/png",
            LabelFormat::Jpeg => "image/jpeg",
            LabelFormat::Html => "text/html; charset=utf-8",
        }
    }
}

/// A label: the bytes exactly as produced (by the carrier or by KargoJet's renderer).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    /// Format of the bytes.
    pub format: LabelFormat,
    /// The bytes.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Label({:?}, {} bytes)", self.format, self.bytes.len())
    }
}

/// KargoJet's id of a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ShipmentId(pub String);

impl fmt::Display for ShipmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a carrier returns when it creates a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedShipment {
    /// The merchant key the carrier registered.
    pub merchant_key: MerchantKey,
    /// The carrier's own tracking number, when it gives one at once.
    pub carrier_tracking_number: Option<String>,
    /// Other carrier references (job ids, order ids), by the carrier's names.
    #[serde(default)]
    pub carrier_refs: BTreeMap<String, String>,
    /// A label the carrier returned with the creation, as received.
    #[serde(default)]
    pub label: Option<Label>,
    /// The raw response body.
    #[serde(default)]
    pub raw: String,
}

/// A shipment KargoJet created, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shipment {
    /// KargoJet id.
    pub id: ShipmentId,
    /// Owning company (tenant).
    pub company: String,
    /// Carrier.
    pub carrier: CarrierId,
    /// Carrier account that created it (platform or seller).
    pub account: AccountId,
    /// The request.
    pub request: ShipmentRequest,
    /// Both references and the carrier's raw answer.
    pub created: CreatedShipment,
    /// The offer that was bought.
    pub offer: crate::pricing::Offer,
    /// Current normalized status.
    pub status: ShipmentStatus,
    /// Tracking history.
    #[serde(default)]
    pub events: Vec<TrackingEvent>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// The idempotency key it was created under.
    pub idempotency_key: String,
    /// If this is a return shipment, the shipment it returns.
    #[serde(default)]
    pub return_of: Option<ShipmentId>,
}

impl Shipment {
    /// The carrier's tracking number if known, else the merchant key.
    pub fn tracking_number(&self) -> &str {
        self.created
            .carrier_tracking_number
            .as_deref()
            .unwrap_or(self.created.merchant_key.as_str())
    }

    /// A reference a carrier connector needs to act on this shipment.
    pub fn reference(&self) -> crate::carrier::ShipmentRef {
        crate::carrier::ShipmentRef {
            merchant_key: self.created.merchant_key.clone(),
            carrier_tracking_number: self.created.carrier_tracking_number.clone(),
            carrier_refs: self.created.carrier_refs.clone(),
            account: self.account.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchant_keys_are_stable_and_plain() {
        let a = MerchantKey::derive("KJ", "order-1");
        assert_eq!(a, MerchantKey::derive("KJ", "order-1"));
        assert_ne!(a, MerchantKey::derive("KJ", "order-2"));
        assert_eq!(a.as_str().len(), 12);
        assert!(a.as_str().chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn drafts_validate_with_field_paths() {
        let mut d = ShipmentDraft {
            sender: PartyDraft {
                name: "Ada Tekstil".into(),
                phone: "02161234567".into(),
                email: None,
                address: AddressDraft {
                    province: "İstanbul".into(),
                    district: "Kadıköy".into(),
                    line: "Moda Cad. No 1".into(),
                    postal_code: None,
                },
            },
            recipient: PartyDraft {
                name: "Ayşe Yılmaz".into(),
                phone: "+90 532 123 45 67".into(),
                email: Some("ayse@example.com".into()),
                address: AddressDraft {
                    province: "ANKARA".into(),
                    district: "cankaya".into(),
                    line: "Atatürk Blv. No 5".into(),
                    postal_code: Some("06690".into()),
                },
            },
            parcels: vec![Parcel::new(
                Decimal::from(30),
                Decimal::from(20),
                Decimal::from(10),
                Decimal::ONE,
            )],
            ..Default::default()
        };
        let r = d.validate();
        assert!(r.is_ok(), "{r:?}");
        d.recipient.address.district = "Kadıköy".into();
        assert_eq!(
            d.validate()
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .as_deref(),
            Some("recipient.address.district")
        );
        d.recipient.address.district = "Çankaya".into();
        d.parcels.clear();
        assert_eq!(
            d.validate()
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .as_deref(),
            Some("parcels")
        );
    }
}
