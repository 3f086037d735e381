//! KargoJet connector for HepsiJET: REST/JSON with a token from Basic auth (`GET
//! /auth/getToken`, 60 minutes, sent as `X-Auth-Token`), errors as `status: "FAIL"` inside
//! HTTP 200, the merchant-chosen `customerDeliveryNo` as barcode and tracking number, the XL
//! endpoint with `TMH` above 40 desi, ZPL labels in the create reply and PDF/PNG/JPEG/ZPL
//! label endpoints, returns with `deliveryType: "RETURNED"`.
//!
//! The simulator (feature `sim`) speaks the same protocol on 127.0.0.1; see `README.md`.

pub mod config;
pub mod error;
pub mod map;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod wire;

pub use config::{DeliveryType, HepsijetConfig, Warehouse};

use async_trait::async_trait;
use base64::Engine;
use kargojet_carrier_common::http::{CarrierHttp, OutgoingRequest, RawResponse};
use kargojet_carrier_common::token::{Token, TokenCache, TokenCaches};
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ReturnRequest, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::time::{SharedClock, SystemClock, turkey_offset};
use std::sync::Arc;

/// The HepsiJET connector.
#[derive(Debug)]
pub struct Hepsijet {
    cfg: HepsijetConfig,
    http: CarrierHttp,
    tokens: Arc<TokenCache>,
    clock: SharedClock,
}

impl Hepsijet {
    /// A connector on the system clock.
    pub fn new(cfg: HepsijetConfig) -> Result<Self> {
        Self::with_clock(cfg, Arc::new(SystemClock))
    }

    /// A connector whose token lifetimes and delivery dates follow `clock`.
    pub fn with_clock(cfg: HepsijetConfig, clock: SharedClock) -> Result<Self> {
        let caches = TokenCaches::new(clock.clone(), cfg.token_refresh_early);
        Self::with_token_caches(cfg, clock, &caches)
    }

    /// A connector taking its token from `caches`: one cache per credential set
    /// ([`HepsijetConfig::credential_key`]), shared by every connector built with the same
    /// `caches` and credentials (one token, one refresh in flight for all of them).
    pub fn with_token_caches(
        cfg: HepsijetConfig,
        clock: SharedClock,
        caches: &TokenCaches,
    ) -> Result<Self> {
        cfg.validate()?;
        let http = CarrierHttp::new(CarrierId::Hepsijet, cfg.http.clone())?;
        let tokens = caches.for_key(&cfg.credential_key());
        Ok(Hepsijet {
            cfg,
            http,
            tokens,
            clock,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &HepsijetConfig {
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

    fn today(&self) -> chrono::NaiveDate {
        self.clock
            .now()
            .with_timezone(&turkey_offset())
            .date_naive()
    }

    async fn fetch_token(&self) -> Result<Token> {
        let basic = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", self.cfg.username, self.cfg.password));
        let req = OutgoingRequest::get("getToken", self.cfg.url(wire::PATH_TOKEN))
            .header("Authorization", format!("Basic {basic}"))
            .header("Accept", "application/json")
            .idempotent();
        let started = self.clock.now();
        let resp = self.http.send(req).await?;
        if resp.status == 429 || resp.status >= 500 {
            resp.check_status(&CarrierId::Hepsijet)?;
        }
        let value = map::parse_token(resp.status, &resp.body)?;
        let lifetime = chrono::Duration::from_std(config::TOKEN_LIFETIME)
            .unwrap_or(chrono::Duration::hours(1));
        Ok(Token {
            value,
            expires_at: started + lifetime,
        })
    }

    /// Sends an authenticated request built by `build` (given the token): refreshes the token
    /// early, and once on a 401/403, retrying the call once.
    async fn authed<B>(&self, build: B) -> Result<RawResponse>
    where
        B: Fn(&str) -> Result<OutgoingRequest>,
    {
        self.tokens
            .with_token(
                || self.fetch_token(),
                |token: Token| {
                    let req = build(&token.value).map(|r| match &self.cfg.apikey {
                        Some(k) => r.header("apikey", k.clone()),
                        None => r,
                    });
                    async move {
                        let resp = self.http.send(req?).await?;
                        if matches!(resp.status, 401 | 403 | 429) || resp.status >= 500 {
                            resp.check_status(&CarrierId::Hepsijet)?;
                        }
                        Ok(resp)
                    }
                },
            )
            .await
    }

    fn json_request<T: serde::Serialize>(
        op: &'static str,
        url: String,
        token: &str,
        body: &T,
    ) -> Result<OutgoingRequest> {
        OutgoingRequest::post(op, url)
            .header("X-Auth-Token", token)
            .header("Accept", "application/json")
            .try_json(body)
    }

    async fn summary(&self, key: &MerchantKey) -> Result<(Option<map::Summary>, String)> {
        let body = wire::TrackBody {
            barcodes: vec![key.as_str().to_string()],
            is_track_added: true,
        };
        let url = self.cfg.url(wire::PATH_TRACK);
        let resp = self
            .authed(|t| {
                Ok(Self::json_request("integrationTrack", url.clone(), t, &body)?.idempotent())
            })
            .await?;
        Ok((
            map::parse_summary(resp.status, &resp.body, key)?,
            resp.text().into_owned(),
        ))
    }

    async fn history(&self, key: &MerchantKey) -> Result<(Option<map::History>, String)> {
        let body = wire::HistoryBody {
            deliveries: vec![wire::DeliveryKey {
                customer_delivery_no: key.as_str().to_string(),
            }],
        };
        let url = self.cfg.url(wire::PATH_HISTORY);
        let resp = self
            .authed(|t| {
                Ok(Self::json_request("getDeliveryTracking", url.clone(), t, &body)?.idempotent())
            })
            .await?;
        Ok((
            map::parse_history(resp.status, &resp.body, key)?,
            resp.text().into_owned(),
        ))
    }

    async fn send_create(
        &self,
        body: &wire::CreateBody,
        endpoint: map::Endpoint,
        key: &MerchantKey,
        parcels: usize,
    ) -> Result<CreatedShipment> {
        let url = self.cfg.url(endpoint.path());
        let op = if endpoint == map::Endpoint::Xl {
            "sendDeliveryOrder"
        } else {
            "sendDeliveryOrderEnhanced"
        };
        // Never idempotent: a maybe-sent create is reconciled, not retried.
        let resp = self
            .authed(|t| Self::json_request(op, url.clone(), t, body))
            .await?;
        map::parse_create(resp.status, &resp.body, key, parcels, endpoint)
    }
}

#[async_trait]
impl Carrier for Hepsijet {
    fn id(&self) -> CarrierId {
        CarrierId::Hepsijet
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            // The only public COD sample is unverified (amount ×100?): not offered.
            cod: false,
            cod_card: false,
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            label_formats: vec![
                LabelFormat::Zpl,
                LabelFormat::Pdf,
                LabelFormat::Png,
                LabelFormat::Jpeg,
            ],
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: true,
            pickup: false,
            desi_rule: Default::default(),
            min_track_interval_secs: 0,
        }
    }

    fn reconciliation(&self) -> Reconciliation {
        // A barcode found in the track summary is conclusive; its absence is not (the summary's
        // answer for unknown barcodes is undocumented), so the fallback is a resend with the
        // same customerDeliveryNo, whose `DUPLICATE` answer counts as success.
        Reconciliation {
            lookup_conclusive: true,
            resend_is_safe: true,
            max_resends: 0,
        }
    }

    async fn assign_merchant_key(&self, proposed: MerchantKey) -> Result<MerchantKey> {
        map::assign_key(&proposed, &self.cfg.company_code)
    }

    async fn create(&self, request: &CreateRequest) -> Result<CreatedShipment> {
        let (body, endpoint) = map::build_create(request, &self.cfg, self.today())?;
        self.send_create(
            &body,
            endpoint,
            &request.merchant_key,
            request.shipment.parcels.len(),
        )
        .await
    }

    async fn label(&self, shipment: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        let key = shipment.merchant_key.as_str().to_string();
        match format {
            LabelFormat::Zpl => {
                let parcels = shipment
                    .carrier_refs
                    .get("totalParcels")
                    .cloned()
                    .unwrap_or_else(|| "1".into());
                let url = self.cfg.url(&format!("{}/{key}/{parcels}", wire::PATH_ZPL));
                let resp = self
                    .authed(|t| {
                        Ok(OutgoingRequest::get("generateZplBarcode", url.clone())
                            .header("X-Auth-Token", t)
                            .idempotent())
                    })
                    .await?;
                map::parse_zpl(resp.status, &resp.body)
            }
            LabelFormat::Pdf | LabelFormat::Png | LabelFormat::Jpeg => {
                let name = match format {
                    LabelFormat::Pdf => "PDF",
                    LabelFormat::Png => "PNG",
                    _ => "JPEG",
                };
                let url = self.cfg.url(&format!("{}?format={name}", wire::PATH_LABEL));
                let body = wire::LabelBody {
                    barcodes: vec![key],
                };
                let resp = self
                    .authed(|t| {
                        Ok(
                            Self::json_request("barcodesLabel", url.clone(), t, &body)?
                                .idempotent(),
                        )
                    })
                    .await?;
                map::parse_label(resp.status, &resp.body, format)
            }
            other => Err(Error::Unsupported {
                code: Code::UnsupportedLabelFormat,
                carrier: Some(CarrierId::Hepsijet),
                detail: format!("HepsiJET renders ZPL, PDF, PNG, JPEG; not {other:?}"),
            }),
        }
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        map::check_key(shipment.merchant_key.as_str(), &self.cfg.company_code)?;
        let url = self.cfg.url(&format!(
            "{}/{}",
            wire::PATH_CANCEL,
            shipment.merchant_key.as_str()
        ));
        let body = wire::DeleteBody {
            delete_reason: wire::DELETE_REASON.into(),
        };
        let resp = self
            .authed(|t| Self::json_request("deleteDeliveryOrder", url.clone(), t, &body))
            .await?;
        map::parse_cancel(resp.status, &resp.body)
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let key = &shipment.merchant_key;
        let (summary, raw_summary) = self.summary(key).await?;
        let Some(summary) = summary else {
            return Err(Error::not_found(
                Code::NotFoundShipment,
                format!("HepsiJET does not list {key}"),
            ));
        };
        let (history, raw_history) = self.history(key).await?;
        Ok(map::tracking_update(
            summary,
            history,
            format!("{raw_summary}\n{raw_history}"),
        ))
    }

    async fn create_return(&self, request: &ReturnRequest) -> Result<CreatedShipment> {
        let (body, endpoint) = map::build_return(request, &self.cfg, self.today())?;
        self.send_create(
            &body,
            endpoint,
            &request.merchant_key,
            request.shipment.parcels.len().max(1),
        )
        .await
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _account: &AccountId,
    ) -> Result<ReferenceLookup> {
        let (summary, raw) = self.summary(key).await?;
        Ok(match summary {
            Some(s) => {
                let number = s.barcode.unwrap_or_else(|| key.as_str().to_string());
                let mut refs = std::collections::BTreeMap::new();
                refs.insert("customerDeliveryNo".to_string(), number.clone());
                if let Some(u) = s.tracking_url {
                    refs.insert("trackingUrl".to_string(), u);
                }
                ReferenceLookup::Found(CreatedShipment {
                    merchant_key: key.clone(),
                    carrier_tracking_number: Some(number),
                    carrier_refs: refs,
                    label: None,
                    raw,
                })
            }
            None => ReferenceLookup::Inconclusive,
        })
    }
}
