//! KargoJet connector for MNG Kargo / DHL eCommerce Türkiye: the ApiZone REST/JSON API
//! (IBM API Connect: `X-IBM-Client-Id`/`-Secret` on every call, a customer JWT from
//! `POST /token` refreshed before `jwtExpireDate`), create as `createOrder` + `createbarcode`
//! (the ZPL label and MNG's `shipmentId`), numeric city/district codes from `cbsinfoapi`
//! (cached), status by `referenceId` with the measured desi/kg/amount, cancel by
//! `referenceId`, and future returns through the legacy `MusteriSiparisNew` SOAP service.
//!
//! The simulator (feature `sim`) speaks the same protocol on 127.0.0.1; see `README.md`.

pub mod config;
pub mod error;
pub mod map;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod wire;

pub use config::{LegacyConfig, MngConfig, Packaging, Payer};

use async_trait::async_trait;
use kargojet_carrier_common::cache::TtlCache;
use kargojet_carrier_common::http::{CarrierHttp, Method, OutgoingRequest, RawResponse};
use kargojet_carrier_common::soap::{SoapVersion, envelope};
use kargojet_carrier_common::token::{Token, TokenCache, TokenCaches};
use kargojet_core::address::Address;
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ReturnRequest, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::time::{SharedClock, SystemClock};
use map::cbs::CodeName;
use std::collections::BTreeMap;
use std::sync::Arc;

/// `carrier_refs` key marking a legacy future return (value [`KIND_RETURN`]).
pub const REF_KIND: &str = "kind";
/// [`REF_KIND`] of a future return order.
pub const KIND_RETURN: &str = "return";
/// `carrier_refs` key set when `create` converted an order that already existed under the
/// merchant key (a resend after an interrupted create).
pub const REF_ADOPTED: &str = "orderAdopted";

type CodeList = Arc<Vec<CodeName>>;

/// The MNG connector.
#[derive(Debug)]
pub struct Mng {
    cfg: MngConfig,
    http: CarrierHttp,
    tokens: Arc<TokenCache>,
    cities: TtlCache<(), CodeList>,
    districts: TtlCache<u32, CodeList>,
    clock: SharedClock,
}

impl Mng {
    /// A connector on the system clock.
    pub fn new(cfg: MngConfig) -> Result<Self> {
        Self::with_clock(cfg, Arc::new(SystemClock))
    }

    /// A connector whose token lifetimes and caches follow `clock`.
    pub fn with_clock(cfg: MngConfig, clock: SharedClock) -> Result<Self> {
        let caches = TokenCaches::new(clock.clone(), cfg.token_refresh_early);
        Self::with_token_caches(cfg, clock, &caches)
    }

    /// A connector taking its token from `caches` (one cache per credential set, shared by
    /// every connector built with the same `caches` and credentials).
    pub fn with_token_caches(
        cfg: MngConfig,
        clock: SharedClock,
        caches: &TokenCaches,
    ) -> Result<Self> {
        cfg.validate()?;
        let http = CarrierHttp::new(CarrierId::Mng, cfg.http.clone())?;
        let tokens = caches.for_key(&cfg.credential_key());
        Ok(Mng {
            cities: TtlCache::new(clock.clone(), cfg.cbs_cache_ttl),
            districts: TtlCache::new(clock.clone(), cfg.cbs_cache_ttl),
            clock,
            cfg,
            http,
            tokens,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &MngConfig {
        &self.cfg
    }

    /// The HTTP client (its `last_exchanges()` keeps the raw traffic).
    pub fn http(&self) -> &CarrierHttp {
        &self.http
    }

    /// How many token requests this connector's credential set started.
    pub fn token_fetches(&self) -> u64 {
        self.tokens.fetches()
    }

    /// How many CBS lists were fetched (cities + districts).
    pub fn cbs_fetches(&self) -> u64 {
        self.cities.fetches() + self.districts.fetches()
    }

    /// A request with the application headers every ApiZone call carries.
    fn api(&self, op: &'static str, method: Method, path: &str) -> OutgoingRequest {
        let r = OutgoingRequest::new(op, method, self.cfg.url(path))
            .header(wire::HEADER_CLIENT_ID, self.cfg.client_id.clone())
            .header(wire::HEADER_CLIENT_SECRET, self.cfg.client_secret.clone())
            .header("Accept", "application/json")
            .final_when(map::is_api_refusal);
        match &self.cfg.api_version {
            Some(v) => r.header(wire::HEADER_API_VERSION, v.clone()),
            None => r,
        }
    }

    async fn fetch_token(&self) -> Result<Token> {
        let body = wire::TokenBody {
            customer_number: self.cfg.customer_number.clone(),
            password: self.cfg.password.clone(),
            identity_type: wire::IDENTITY_TYPE_CUSTOMER,
        };
        let req = self
            .api("token", Method::POST, wire::PATH_TOKEN)
            .try_json(&body)?
            .idempotent();
        let started = self.clock.now();
        let resp = self.http.send(req).await?;
        if resp.status == 429 {
            resp.check_status(&CarrierId::Mng)?;
        }
        let t = map::parse_token(resp.status, &resp.body)?;
        let early = chrono::Duration::from_std(self.cfg.token_refresh_early)
            .unwrap_or(chrono::Duration::zero());
        let expires_at = match t.expires_at {
            Some(at) if at > started + early => at,
            // Unreadable, or already over by our clock (the clocks disagree): assume the
            // fallback lifetime; a 401 still refreshes it once.
            other => {
                tracing::warn!(raw = ?t.expire_raw, read = ?other, "MNG jwtExpireDate unusable; assuming the fallback lifetime");
                let life = chrono::Duration::from_std(self.cfg.token_fallback_lifetime)
                    .unwrap_or(chrono::Duration::hours(1));
                started + life
            }
        };
        Ok(Token {
            value: t.jwt,
            expires_at,
        })
    }

    /// Sends an authenticated request built by `build` (given the JWT): the token is refreshed
    /// early, and once on a 401/403, the call then retried once. 429 is `rate.limited` (after
    /// the client's `Retry-After` retries for idempotent calls); any other answer is returned
    /// for the parser (MNG sends business errors in 4xx and 5xx).
    async fn authed<B>(&self, build: B) -> Result<RawResponse>
    where
        B: Fn(&str) -> Result<OutgoingRequest>,
    {
        self.tokens
            .with_token(
                || self.fetch_token(),
                |token: Token| {
                    let req = build(&token.value);
                    async move {
                        let resp = self.http.send(req?).await?;
                        match resp.status {
                            // Always `auth.failed`, with MNG's wording when it sent one.
                            401 | 403 => map::checked(resp.status, &resp.body).map(|_| ())?,
                            429 => resp.check_status(&CarrierId::Mng)?,
                            _ => {}
                        }
                        Ok(resp)
                    }
                },
            )
            .await
    }

    async fn cbs_list(&self, op: &'static str, path: String) -> Result<CodeList> {
        // CBS Info is called with the application keys only (no customer JWT).
        let resp = self
            .http
            .send(self.api(op, Method::GET, &path).idempotent())
            .await?;
        if resp.status == 429 {
            resp.check_status(&CarrierId::Mng)?;
        }
        map::cbs::parse_list(resp.status, &resp.body).map(Arc::new)
    }

    /// The CBS codes of `address` (`field` is its request path), from the cached lists.
    pub async fn codes(&self, address: &Address, field: &str) -> Result<map::Codes> {
        let cities = self
            .cities
            .get_or_fetch((), || self.cbs_list("getcities", wire::PATH_CITIES.into()))
            .await?;
        let city = map::cbs::city_code(&cities, address, field)?;
        let districts = self
            .districts
            .get_or_fetch(city, || {
                self.cbs_list("getdistricts", format!("{}/{city}", wire::PATH_DISTRICTS))
            })
            .await?;
        let district = map::cbs::district_code(&districts, address, field)?;
        Ok(map::Codes { city, district })
    }

    async fn create_order(&self, body: &wire::CreateOrderBody) -> Result<BTreeMap<String, String>> {
        // Never idempotent: an interrupted create is reconciled by referenceId, not resent here.
        let resp = self
            .authed(|t| {
                self.api("createOrder", Method::POST, wire::PATH_CREATE_ORDER)
                    .bearer(t)
                    .try_json(body)
            })
            .await?;
        map::parse_create_order(resp.status, &resp.body)
    }

    async fn create_barcode(&self, key: &MerchantKey) -> Result<CreatedShipment> {
        let body = wire::CreateBarcodeBody {
            reference_id: key.as_str().to_string(),
        };
        let resp = self
            .authed(|t| {
                self.api("createbarcode", Method::POST, wire::PATH_CREATE_BARCODE)
                    .bearer(t)
                    .try_json(&body)
            })
            .await?;
        map::parse_create_barcode(resp.status, &resp.body, key)
    }

    async fn cancel_order(&self, key: &MerchantKey) -> Result<()> {
        let path = format!("{}/{}", wire::PATH_CANCEL_ORDER, key.as_str());
        let resp = self
            .authed(|t| Ok(self.api("cancelorder", Method::PUT, &path).bearer(t)))
            .await?;
        map::parse_cancel(resp.status, &resp.body)
    }

    /// The status of `key` (by MNG's shipment id when known), with the raw answer.
    async fn status(
        &self,
        key: &MerchantKey,
        shipment_id: Option<&str>,
    ) -> Result<(Option<map::StatusRecord>, String)> {
        let (op, path) = match shipment_id {
            Some(id) => (
                "getshipmentstatusByShipmentId",
                format!("{}/{id}", wire::PATH_STATUS_BY_SHIPMENT_ID),
            ),
            None => (
                "getshipmentstatus",
                format!("{}/{}", wire::PATH_STATUS, key.as_str()),
            ),
        };
        let resp = self
            .authed(|t| Ok(self.api(op, Method::GET, &path).bearer(t).idempotent()))
            .await?;
        let record = map::parse_status(resp.status, &resp.body, key, shipment_id)?;
        Ok((record, resp.text().into_owned()))
    }

    fn legacy(&self) -> Result<&LegacyConfig> {
        self.cfg.legacy.as_ref().ok_or_else(|| Error::Unsupported {
            code: Code::UnsupportedOperation,
            carrier: Some(CarrierId::Mng),
            detail: "returns need the legacy MusteriSiparisNew login (MngConfig::legacy)".into(),
        })
    }

    /// Sends a legacy SOAP 1.1 call (`SOAPAction: "http://tempuri.org/<Op>"`).
    async fn legacy_send(&self, call: &wire::LegacyCall, idempotent: bool) -> Result<RawResponse> {
        let cfg = self.legacy()?;
        let env = envelope(SoapVersion::V11, None, &call.to_xml());
        let mut req = OutgoingRequest::post(call.op, cfg.url.clone()).soap(
            SoapVersion::V11,
            &wire::legacy_action(call.op),
            env,
        );
        if idempotent {
            req = req.idempotent();
        }
        let resp = self.http.send(req).await?;
        if matches!(resp.status, 401 | 403 | 429) {
            resp.check_status(&CarrierId::Mng)?;
        }
        Ok(resp)
    }

    /// A legacy create/cancel: `1` or the mapped error.
    async fn legacy_command(&self, call: &wire::LegacyCall) -> Result<String> {
        let resp = self.legacy_send(call, false).await?;
        let result = map::legacy::result_text(resp.status, &resp.body, call.op)?;
        map::legacy::check_ok(&result)?;
        Ok(resp.text().into_owned())
    }

    async fn track_return(&self, key: &MerchantKey) -> Result<TrackingUpdate> {
        let call = map::legacy::key_call(wire::OP_RETURN_STATUS, key, self.legacy()?)?;
        let resp = self.legacy_send(&call, true).await?;
        let status = map::legacy::parse_status(resp.status, &resp.body)?;
        Ok(TrackingUpdate {
            carrier_tracking_number: None,
            status: status.as_ref().and_then(|s| s.status),
            events: status.and_then(|s| s.event).into_iter().collect(),
            raw: resp.text().into_owned(),
        })
    }
}

fn is_return(shipment: &ShipmentRef) -> bool {
    shipment.carrier_refs.get(REF_KIND).map(String::as_str) == Some(KIND_RETURN)
}

fn shipment_id_of(shipment: &ShipmentRef) -> Option<&str> {
    shipment
        .carrier_tracking_number
        .as_deref()
        .or_else(|| shipment.carrier_refs.get("shipmentId").map(String::as_str))
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

#[async_trait]
impl Carrier for Mng {
    fn id(&self) -> CarrierId {
        CarrierId::Mng
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            cod_card: false,
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            label_formats: vec![LabelFormat::Zpl],
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: self.cfg.legacy.is_some(),
            pickup: false,
            desi_rule: Default::default(),
            min_track_interval_secs: 0,
        }
    }

    fn reconciliation(&self) -> Reconciliation {
        // A shipment found by referenceId is conclusive; "not trackable" is not (an order may
        // exist unconverted). A resend is safe: createOrder answers 3002 for an existing order,
        // which `create` then converts — one order, one shipment.
        Reconciliation {
            lookup_conclusive: true,
            resend_is_safe: true,
            max_resends: 0,
        }
    }

    async fn assign_merchant_key(&self, proposed: MerchantKey) -> Result<MerchantKey> {
        map::assign_key(&proposed)
    }

    async fn create(&self, request: &CreateRequest) -> Result<CreatedShipment> {
        let key = &request.merchant_key;
        map::check_key(key.as_str())?;
        let codes = self
            .codes(&request.shipment.recipient.address, "recipient.address")
            .await?;
        let body = map::build_create(request, &self.cfg, codes)?;
        let (order_refs, adopted) = match self.create_order(&body).await {
            Ok(refs) => (refs, false),
            // The order exists (an earlier attempt got through): convert it, never a second one.
            Err(e) if error::is_duplicate(&e) => (BTreeMap::new(), true),
            Err(e) => return Err(e),
        };
        match self.create_barcode(key).await {
            Ok(mut created) => {
                created.carrier_refs.extend(order_refs);
                if adopted {
                    created
                        .carrier_refs
                        .insert(REF_ADOPTED.to_string(), "true".to_string());
                }
                Ok(created)
            }
            Err(e) if adopted && error::is_rejection(&e) => {
                // The existing order may already be a shipment: MNG's status says so.
                match self.status(key, None).await {
                    Ok((Some(record), raw)) => Ok(map::found(record, key, raw)),
                    _ => Err(e),
                }
            }
            Err(e) if error::is_rejection(&e) => {
                // A definite refusal: no shipment exists; drop the order so nothing is left.
                if let Err(c) = self.cancel_order(key).await {
                    tracing::warn!(merchant_key = %key, code = %c.code(), "could not cancel the unconverted order");
                }
                Err(e)
            }
            Err(e) => Err(error::after_order(e)),
        }
    }

    async fn label(&self, shipment: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        if format != LabelFormat::Zpl || is_return(shipment) {
            return Err(Error::Unsupported {
                code: Code::UnsupportedLabelFormat,
                carrier: Some(CarrierId::Mng),
                detail: format!(
                    "MNG gives ZPL from createbarcode for outbound shipments; not {format:?}"
                ),
            });
        }
        // createbarcode of a converted order re-issues its barcodes (see the README).
        let again = self.create_barcode(&shipment.merchant_key).await?;
        if let (Some(known), Some(got)) = (
            shipment_id_of(shipment),
            again.carrier_tracking_number.as_deref(),
        ) {
            if known != got {
                return Err(error::malformed(
                    format!("createbarcode re-issued shipment {got}, expected {known}"),
                    again.raw,
                ));
            }
        }
        again.label.ok_or_else(|| Error::Unsupported {
            code: Code::UnsupportedLabelFormat,
            carrier: Some(CarrierId::Mng),
            detail: "MNG sent barcode text, not ZPL".into(),
        })
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        let key = &shipment.merchant_key;
        if is_return(shipment) {
            let call = map::legacy::key_call(wire::OP_RETURN_CANCEL, key, self.legacy()?)?;
            return self.legacy_command(&call).await.map(|_| ());
        }
        map::check_key(key.as_str())?;
        self.cancel_order(key).await
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        if is_return(shipment) {
            return self.track_return(&shipment.merchant_key).await;
        }
        let (record, raw) = self
            .status(&shipment.merchant_key, shipment_id_of(shipment))
            .await?;
        Ok(map::tracking_update(record, raw))
    }

    async fn create_return(&self, request: &ReturnRequest) -> Result<CreatedShipment> {
        let call = map::legacy::build_return(request, self.legacy()?)?;
        let raw = self.legacy_command(&call).await?;
        let mut refs = BTreeMap::new();
        refs.insert(REF_KIND.to_string(), KIND_RETURN.to_string());
        refs.insert(
            "pSiparisNo".to_string(),
            request.merchant_key.as_str().to_string(),
        );
        Ok(CreatedShipment {
            merchant_key: request.merchant_key.clone(),
            carrier_tracking_number: None,
            carrier_refs: refs,
            label: None,
            raw,
        })
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _account: &AccountId,
    ) -> Result<ReferenceLookup> {
        let (record, raw) = self.status(key, None).await?;
        Ok(match record {
            Some(r) => ReferenceLookup::Found(map::found(r, key, raw)),
            None => ReferenceLookup::Inconclusive,
        })
    }
}
