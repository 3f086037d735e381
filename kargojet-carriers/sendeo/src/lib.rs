//! KargoJet connector for Sendeo: REST/JSON with a bearer token from `POST
//! /api/Token/LoginAES` (about 20 hours; repeated bad logins block the user, so a refused login
//! is never retried), numeric city/district codes from `GetCityDistricts` (cached, matched to
//! KargoJet's district names), business errors as HTTP 500 with an `ExceptionMessage`, the
//! merchant's `ReferenceNo` as key, COD up to 5,000 TL, ZPL or Base64 labels, returns as
//! `DeliveryType` 2, and the `weigth` (sic) key on the wire.
//!
//! The simulator (feature `sim`) speaks the same protocol on 127.0.0.1; see `README.md`.

pub mod config;
pub mod districts;
pub mod error;
pub mod map;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod wire;

pub use config::{LabelType, SendeoConfig};

use async_trait::async_trait;
use districts::{AddressCodes, CityCodes};
use kargojet_carrier_common::cache::TtlCache;
use kargojet_carrier_common::http::{CarrierHttp, OutgoingRequest, RawResponse};
use kargojet_carrier_common::token::{Token, TokenCache, TokenCaches};
use kargojet_core::address::Address;
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ReturnRequest, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::Result;
use kargojet_core::parcel::Parcel;
use kargojet_core::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::time::{SharedClock, SystemClock};
use std::sync::Arc;

/// The Sendeo connector.
#[derive(Debug)]
pub struct Sendeo {
    cfg: SendeoConfig,
    http: CarrierHttp,
    tokens: Arc<TokenCache>,
    districts: TtlCache<u8, Arc<CityCodes>>,
    clock: SharedClock,
}

impl Sendeo {
    /// A connector on the system clock.
    pub fn new(cfg: SendeoConfig) -> Result<Self> {
        Self::with_clock(cfg, Arc::new(SystemClock))
    }

    /// A connector whose token lifetimes follow `clock`.
    pub fn with_clock(cfg: SendeoConfig, clock: SharedClock) -> Result<Self> {
        let caches = Arc::new(
            TokenCaches::new(clock.clone(), cfg.token_refresh_early)
                .with_failure_hold(cfg.login_failure_hold),
        );
        Self::with_token_caches(cfg, clock, &caches)
    }

    /// A connector sharing `caches` with other connectors: connectors of the same API user
    /// share one token (and one held login refusal).
    pub fn with_token_caches(
        cfg: SendeoConfig,
        clock: SharedClock,
        caches: &TokenCaches,
    ) -> Result<Self> {
        cfg.validate()?;
        let http = CarrierHttp::new(CarrierId::Sendeo, cfg.http.clone())?;
        let tokens = caches.for_key(&format!("{}|{}", cfg.base_url, cfg.username));
        Ok(Sendeo {
            cfg,
            http,
            tokens,
            districts: TtlCache::new(clock.clone(), districts::CODES_TTL),
            clock,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &SendeoConfig {
        &self.cfg
    }

    /// The HTTP client (its `last_exchanges()` keeps the raw traffic).
    pub fn http(&self) -> &CarrierHttp {
        &self.http
    }

    /// How many logins this connector's token cache started.
    pub fn token_fetches(&self) -> u64 {
        self.tokens.fetches()
    }

    /// How many `GetCityDistricts` lookups this connector started (one per province per
    /// [`districts::CODES_TTL`]).
    pub fn district_lookups(&self) -> u64 {
        self.districts.fetches()
    }

    async fn login(&self) -> Result<Token> {
        let req = OutgoingRequest::post("LoginAES", self.cfg.url(wire::PATH_LOGIN))
            .header("Accept", "application/json")
            .try_json(&map::login_body(&self.cfg))?
            .idempotent()
            .final_when(map::is_business_answer);
        let started = self.clock.now();
        let resp = self.http.send(req).await?;
        if resp.status == 429 {
            resp.check_status(&CarrierId::Sendeo)?;
        }
        let info = map::parse_token(resp.status, &resp.body)?;
        let lifetime = chrono::Duration::from_std(config::TOKEN_LIFETIME)
            .unwrap_or(chrono::Duration::hours(20));
        Ok(Token {
            value: info.token,
            expires_at: started + lifetime,
        })
    }

    /// Sends a request built by `build` (given the token): the token is refreshed early, and
    /// once on a 401/403, the call then retried once. A failing login means the call was not
    /// sent.
    async fn authed<B>(&self, build: B) -> Result<RawResponse>
    where
        B: Fn(&str) -> Result<OutgoingRequest>,
    {
        self.tokens
            .with_token(
                || async { self.login().await.map_err(error::not_sent) },
                |token: Token| {
                    let req = build(&token.value);
                    async move {
                        let resp = self.http.send(req?).await?;
                        if matches!(resp.status, 401 | 403 | 429) {
                            resp.check_status(&CarrierId::Sendeo)?;
                        }
                        Ok(resp)
                    }
                },
            )
            .await
    }

    async fn city_codes(&self, address: &Address) -> Result<Arc<CityCodes>> {
        let plate = address.plate;
        self.districts
            .get_or_fetch(plate.get(), || async move {
                let url = format!(
                    "{}?CityName={}",
                    self.cfg.url(wire::PATH_CITY_DISTRICTS),
                    wire::query_value(&plate.province().name)
                );
                let resp = self
                    .authed(|t| {
                        Ok(OutgoingRequest::get("GetCityDistricts", url.clone())
                            .bearer(t)
                            .header("Accept", "application/json")
                            .final_when(map::is_business_answer))
                    })
                    .await?;
                map::parse_districts(resp.status, &resp.body, plate).map(Arc::new)
            })
            .await
    }

    /// Sendeo's ids of `address` (`field` names the party for errors). A failing lookup means
    /// the operation it prepares was not sent.
    async fn address_codes(&self, address: &Address, field: &str) -> Result<AddressCodes> {
        let codes = self.city_codes(address).await.map_err(error::not_sent)?;
        codes.address(address, field)
    }

    async fn send_create(
        &self,
        body: &wire::SetDeliveryBody,
        key: &MerchantKey,
        parcels: usize,
    ) -> Result<CreatedShipment> {
        let url = self.cfg.url(wire::PATH_CREATE);
        // Never idempotent: a maybe-sent create is reconciled by ReferenceNo, not retried.
        let resp = self
            .authed(|t| {
                OutgoingRequest::post("SETDELIVERY", url.clone())
                    .bearer(t)
                    .header("Accept", "application/json")
                    .try_json(body)
            })
            .await?;
        map::parse_create(resp.status, &resp.body, key, parcels)
    }

    async fn track_raw(&self, key: &MerchantKey) -> Result<RawResponse> {
        let url = format!(
            "{}?referenceNo={}",
            self.cfg.url(wire::PATH_TRACK),
            wire::query_value(key.as_str())
        );
        self.authed(|t| {
            Ok(OutgoingRequest::get("TRACKDELIVERY", url.clone())
                .bearer(t)
                .header("Accept", "application/json")
                .final_when(map::is_business_answer))
        })
        .await
    }

    /// Sends the pieces and desi of a created shipment (`CARGOMEASUREMENTUPDATE`); without it
    /// Sendeo measures at collection.
    pub async fn update_measurements(
        &self,
        shipment: &ShipmentRef,
        parcels: &[Parcel],
    ) -> Result<()> {
        let body = map::measurement_body(&shipment.merchant_key, parcels)?;
        let url = self.cfg.url(wire::PATH_MEASUREMENT);
        let resp = self
            .authed(|t| {
                OutgoingRequest::post("CARGOMEASUREMENTUPDATE", url.clone())
                    .bearer(t)
                    .header("Accept", "application/json")
                    .try_json(&body)
            })
            .await?;
        map::parse_measurement(resp.status, &resp.body)
    }
}

#[async_trait]
impl Carrier for Sendeo {
    fn id(&self) -> CarrierId {
        CarrierId::Sendeo
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            cod_card: true,
            cod_max: Some(map::cod_max()),
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            label_formats: vec![LabelFormat::Zpl, LabelFormat::Pdf],
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: true,
            // Sendeo collects on SETDELIVERY; there is no separate pickup call.
            pickup: false,
            desi_rule: Default::default(),
            // TRACKDELIVERY answers from a 30-minute cache.
            min_track_interval_secs: 30 * 60,
        }
    }

    fn reconciliation(&self) -> Reconciliation {
        // TRACKDELIVERY by ReferenceNo finds a created work order; "No Delivery Found." (702)
        // means none. A resend's answer for a reused ReferenceNo is undocumented: never resend.
        Reconciliation {
            lookup_conclusive: true,
            resend_is_safe: false,
            max_resends: 0,
        }
    }

    async fn assign_merchant_key(&self, proposed: MerchantKey) -> Result<MerchantKey> {
        map::assign_key(&proposed)
    }

    async fn create(&self, request: &CreateRequest) -> Result<CreatedShipment> {
        map::check_create(request)?;
        let s = &request.shipment;
        let codes = map::PartyCodes {
            sender: self.address_codes(&s.sender.address, "sender").await?,
            receiver: self
                .address_codes(&s.recipient.address, "recipient")
                .await?,
        };
        let body = map::build_create(request, &self.cfg, &codes)?;
        self.send_create(&body, &request.merchant_key, s.parcels.len())
            .await
    }

    async fn label(&self, shipment: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        let parcels = shipment
            .carrier_refs
            .get("parcels")
            .and_then(|p| p.parse::<usize>().ok())
            .unwrap_or(1);
        let body = wire::BarcodeBody {
            barcode_label_type: Some(map::label_type_for(format, parcels)?),
            reference_no: Some(shipment.merchant_key.as_str().to_string()),
        };
        let url = self.cfg.url(wire::PATH_BARCODE);
        let resp = self
            .authed(|t| {
                Ok(OutgoingRequest::post("GETBARCODE", url.clone())
                    .bearer(t)
                    .header("Accept", "application/json")
                    .try_json(&body)?
                    .idempotent()
                    .final_when(map::is_business_answer))
            })
            .await?;
        map::parse_label(resp.status, &resp.body, format)
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        map::check_key(shipment.merchant_key.as_str())?;
        let url = format!(
            "{}?referenceNo={}",
            self.cfg.url(wire::PATH_CANCEL),
            wire::query_value(shipment.merchant_key.as_str())
        );
        let resp = self
            .authed(|t| {
                Ok(OutgoingRequest::post("CANCELDELIVERY", url.clone())
                    .bearer(t)
                    .header("Accept", "application/json"))
            })
            .await?;
        map::parse_cancel(resp.status, &resp.body)
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let resp = self.track_raw(&shipment.merchant_key).await?;
        map::parse_track(resp.status, &resp.body)
    }

    async fn create_return(&self, request: &ReturnRequest) -> Result<CreatedShipment> {
        map::check_key(request.merchant_key.as_str())?;
        let s = &request.shipment;
        let codes = map::PartyCodes {
            sender: self
                .address_codes(&s.recipient.address, "recipient")
                .await?,
            receiver: self.address_codes(&s.sender.address, "sender").await?,
        };
        let body = map::build_return(request, &self.cfg, &codes)?;
        let parcels = body.products.as_ref().map_or(1, Vec::len);
        self.send_create(&body, &request.merchant_key, parcels)
            .await
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _account: &AccountId,
    ) -> Result<ReferenceLookup> {
        let resp = self.track_raw(key).await?;
        map::parse_lookup(resp.status, &resp.body, key)
    }
}
