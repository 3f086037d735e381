//! The carrier connector contract: the [`Carrier`] trait every carrier crate implements, carrier
//! and account ids, and [`Capabilities`] that tell the orchestrator what a carrier can do.
//!
//! ```
//! use async_trait::async_trait;
//! use kargojet_core::carrier::*;
//! use kargojet_core::error::Result;
//! use kargojet_core::shipment::{CreatedShipment, MerchantKey};
//!
//! /// A carrier that accepts everything and never moves a parcel.
//! struct Null;
//!
//! #[async_trait]
//! impl Carrier for Null {
//!     fn id(&self) -> CarrierId { CarrierId::Custom("null".into()) }
//!     fn capabilities(&self) -> Capabilities { Capabilities::default() }
//!     async fn create(&self, req: &CreateRequest) -> Result<CreatedShipment> {
//!         Ok(CreatedShipment { merchant_key: req.merchant_key.clone(), carrier_tracking_number: None,
//!             carrier_refs: Default::default(), label: None, raw: String::new() })
//!     }
//!     async fn cancel(&self, _s: &ShipmentRef) -> Result<()> { Ok(()) }
//!     async fn track(&self, _s: &ShipmentRef) -> Result<TrackingUpdate> { Ok(TrackingUpdate::default()) }
//!     async fn find_by_reference(&self, _k: &MerchantKey, _a: &AccountId) -> Result<ReferenceLookup> {
//!         Ok(ReferenceLookup::NotFound)
//!     }
//! }
//! # let c = Null; assert_eq!(c.id().as_str(), "null");
//! ```

use crate::error::{Error, Result};
use crate::money::Money;
use crate::parcel::DesiRule;
use crate::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey, ShipmentRequest};
use crate::tracking::{ShipmentStatus, TrackingEvent};
use async_trait::async_trait;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A carrier firm: the eight built-in ones, or a custom id for carriers added by a partner.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CarrierId {
    /// Yurtiçi Kargo.
    Yurtici,
    /// Aras Kargo.
    Aras,
    /// MNG Kargo / DHL eCommerce.
    Mng,
    /// PTT Kargo.
    Ptt,
    /// Sürat Kargo.
    Surat,
    /// HepsiJET.
    Hepsijet,
    /// Kolay Gelsin.
    KolayGelsin,
    /// Sendeo.
    Sendeo,
    /// Any other carrier, by its id.
    Custom(String),
}

impl CarrierId {
    /// The eight built-in carriers.
    pub const BUILTIN: [CarrierId; 8] = [
        CarrierId::Yurtici,
        CarrierId::Aras,
        CarrierId::Mng,
        CarrierId::Ptt,
        CarrierId::Surat,
        CarrierId::Hepsijet,
        CarrierId::KolayGelsin,
        CarrierId::Sendeo,
    ];

    /// The id used in tariff files and APIs (`mng_dhl_ecommerce`, `kolay_gelsin`, …).
    pub fn as_str(&self) -> &str {
        match self {
            CarrierId::Yurtici => "yurtici",
            CarrierId::Aras => "aras",
            CarrierId::Mng => "mng_dhl_ecommerce",
            CarrierId::Ptt => "ptt",
            CarrierId::Surat => "surat",
            CarrierId::Hepsijet => "hepsijet",
            CarrierId::KolayGelsin => "kolay_gelsin",
            CarrierId::Sendeo => "sendeo",
            CarrierId::Custom(s) => s,
        }
    }

    /// The name people know (`Yurtiçi Kargo`).
    pub fn display_name(&self) -> &str {
        match self {
            CarrierId::Yurtici => "Yurtiçi Kargo",
            CarrierId::Aras => "Aras Kargo",
            CarrierId::Mng => "MNG Kargo (DHL eCommerce)",
            CarrierId::Ptt => "PTT Kargo",
            CarrierId::Surat => "Sürat Kargo",
            CarrierId::Hepsijet => "HepsiJET",
            CarrierId::KolayGelsin => "Kolay Gelsin",
            CarrierId::Sendeo => "Sendeo",
            CarrierId::Custom(s) => s,
        }
    }

    /// Parses an id; the crate slugs (`mng`, `kolaygelsin`) are accepted too. Anything else
    /// becomes a custom id.
    pub fn parse(s: &str) -> CarrierId {
        match s.trim().to_ascii_lowercase().as_str() {
            "yurtici" => CarrierId::Yurtici,
            "aras" => CarrierId::Aras,
            "mng" | "mng_dhl_ecommerce" | "dhl_ecommerce" => CarrierId::Mng,
            "ptt" => CarrierId::Ptt,
            "surat" => CarrierId::Surat,
            "hepsijet" => CarrierId::Hepsijet,
            "kolay_gelsin" | "kolaygelsin" => CarrierId::KolayGelsin,
            "sendeo" => CarrierId::Sendeo,
            other => CarrierId::Custom(other.to_string()),
        }
    }

    /// True for the eight carriers KargoJet knows.
    pub fn is_builtin(&self) -> bool {
        !matches!(self, CarrierId::Custom(_))
    }
}

impl fmt::Display for CarrierId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CarrierId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CarrierId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        Ok(CarrierId::parse(&String::deserialize(d)?))
    }
}

/// The carrier account a shipment is created with: the platform's negotiated account, or a
/// seller's own contract account (`seller:<company>:<name>`). Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AccountId(pub std::sync::Arc<str>);

impl AccountId {
    /// An account id from text.
    pub fn new(id: &str) -> AccountId {
        AccountId(id.into())
    }

    /// The platform's account for a carrier.
    pub fn platform() -> AccountId {
        AccountId("platform".into())
    }

    /// A seller's own account.
    pub fn seller(company: &str, name: &str) -> AccountId {
        AccountId(format!("seller:{company}:{name}").into())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for the platform's account.
    pub fn is_platform(&self) -> bool {
        &*self.0 == "platform"
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// When a carrier lets a shipment be cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CancelRule {
    /// Only before the carrier has taken the parcel.
    #[default]
    BeforePickup,
    /// Never through the API.
    Never,
}

/// How a shipment whose `create` may have been sent is reconciled with this carrier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct Reconciliation {
    /// `find_by_reference` answers conclusively: found means created, not found means never
    /// created (so a new create with the same key is safe).
    pub lookup_conclusive: bool,
    /// Resending `create` with the same merchant key is safe: the carrier answers a duplicate
    /// with a recognizable code (mapped to `carrier.duplicate`), which counts as success.
    pub resend_is_safe: bool,
    /// How many resends (after the first send) the carrier allows for one key, 0 for no
    /// limit (Aras allows 20 sends in all: 19 resends).
    pub max_resends: u32,
}

/// What a carrier offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Cash on delivery offered.
    pub cod: bool,
    /// Card payment at the door offered.
    pub cod_card: bool,
    /// The largest COD amount accepted (Sendeo: 5,000 TL), if capped.
    pub cod_max: Option<Money>,
    /// Largest billable desi per shipment, if limited.
    pub max_desi: Option<Decimal>,
    /// Largest weight per parcel in kg, if limited.
    pub max_kg_per_parcel: Option<Decimal>,
    /// More than one parcel per shipment.
    pub multi_parcel: bool,
    /// Label formats the carrier renders itself (empty: KargoJet's own label is used).
    pub label_formats: Vec<LabelFormat>,
    /// The carrier has a live rate API (none of the eight does; quotes are priced locally).
    pub live_rates: bool,
    /// Cancellation rule.
    pub cancel: CancelRule,
    /// Return shipments through the API.
    pub returns: bool,
    /// Courier pickup requests through the API.
    pub pickup: bool,
    /// Desi divisor and rounding step of the carrier.
    pub desi_rule: DesiRule,
    /// Shortest allowed interval between identical tracking queries, in seconds (Yurtiçi: 60).
    pub min_track_interval_secs: u32,
}

impl Default for Capabilities {
    fn default() -> Self {
        Capabilities {
            cod: false,
            cod_card: false,
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            label_formats: Vec::new(),
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: false,
            pickup: false,
            desi_rule: DesiRule::default(),
            min_track_interval_secs: 0,
        }
    }
}

/// What a connector needs to act on an existing shipment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ShipmentRef {
    /// The merchant key.
    pub merchant_key: MerchantKey,
    /// The carrier's tracking number, if known yet.
    pub carrier_tracking_number: Option<String>,
    /// Other carrier references returned at creation.
    #[serde(default)]
    pub carrier_refs: BTreeMap<String, String>,
    /// The account it was created with.
    pub account: AccountId,
}

/// A request to create a shipment at a carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateRequest {
    /// The validated shipment.
    pub shipment: ShipmentRequest,
    /// The merchant key to register (printed as the barcode).
    pub merchant_key: MerchantKey,
    /// The account to create it with.
    pub account: AccountId,
    /// Carrier service level, if the agreement names one (e.g. `counter` for PTT).
    pub service: Option<String>,
    /// Billable desi the offer was priced on.
    pub billable_desi: Decimal,
    /// 0 for the first send, 1.. for resends with the same merchant key (reconciliation).
    pub attempt: u32,
}

/// A request to create a return shipment for an existing one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnRequest {
    /// The original shipment.
    pub original: ShipmentRef,
    /// The original request (its sender becomes the return's recipient).
    pub shipment: ShipmentRequest,
    /// Merchant key for the return.
    pub merchant_key: MerchantKey,
}

/// The answer to a tracking query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TrackingUpdate {
    /// The carrier's tracking number, when it appears (back-filled into the shipment).
    pub carrier_tracking_number: Option<String>,
    /// The carrier's current status, normalized, if it states one apart from the events.
    pub status: Option<ShipmentStatus>,
    /// Events, oldest first.
    pub events: Vec<TrackingEvent>,
    /// The raw response body.
    pub raw: String,
}

/// The answer to a lookup by merchant key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReferenceLookup {
    /// The carrier has a shipment with this key.
    Found(CreatedShipment),
    /// The carrier has no shipment with this key.
    NotFound,
    /// The carrier's answer does not tell (e.g. Sürat "kabul bekleniyor", PTT empty result).
    Inconclusive,
}

/// A price from a carrier's live rate API (VAT-exclusive cost).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveRate {
    /// Service level.
    pub service: Option<String>,
    /// The carrier's cost, VAT-exclusive.
    pub cost: Money,
    /// Transit days promised, if any.
    pub transit_days: Option<u8>,
}

/// A carrier connector. Connectors are created with a base URL and credentials; every call is
/// real wire traffic (or a simulator speaking the same protocol). Methods a carrier lacks return
/// `unsupported.operation`, and [`Capabilities`] says so up front.
#[async_trait]
pub trait Carrier: Send + Sync {
    /// Which carrier this is.
    fn id(&self) -> CarrierId;

    /// What it offers.
    fn capabilities(&self) -> Capabilities;

    /// How a maybe-sent create is reconciled (see the carrier crate's README).
    fn reconciliation(&self) -> Reconciliation {
        Reconciliation::default()
    }

    /// Live rates, for carriers that have a rate API.
    async fn quote(&self, _shipment: &ShipmentRequest) -> Result<Vec<LiveRate>> {
        Err(Error::unsupported(Some(self.id()), "live rates"))
    }

    /// Turns the orchestrator's proposed merchant key into the key this carrier will use
    /// (PTT draws from its allocated barcode range). Called once per shipment, before create.
    async fn assign_merchant_key(&self, proposed: MerchantKey) -> Result<MerchantKey> {
        Ok(proposed)
    }

    /// Creates a shipment. Never retried blindly by the connector.
    async fn create(&self, request: &CreateRequest) -> Result<CreatedShipment>;

    /// The carrier's own label in `format`, exactly as the carrier sends it.
    async fn label(&self, _shipment: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        Err(Error::Unsupported {
            code: crate::error::Code::UnsupportedLabelFormat,
            carrier: Some(self.id()),
            detail: format!("{format:?} labels"),
        })
    }

    /// Cancels a shipment (the carrier decides whether it still can).
    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()>;

    /// Tracking history and current status.
    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate>;

    /// Creates a return shipment.
    async fn create_return(&self, _request: &ReturnRequest) -> Result<CreatedShipment> {
        Err(Error::unsupported(Some(self.id()), "returns"))
    }

    /// Looks a shipment up by merchant key, for reconciliation.
    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        account: &AccountId,
    ) -> Result<ReferenceLookup>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip() {
        for c in CarrierId::BUILTIN {
            assert_eq!(CarrierId::parse(c.as_str()), c);
        }
        assert_eq!(CarrierId::parse("mng"), CarrierId::Mng);
        assert_eq!(CarrierId::parse("kolaygelsin"), CarrierId::KolayGelsin);
        assert!(!CarrierId::parse("acme").is_builtin());
    }
}
