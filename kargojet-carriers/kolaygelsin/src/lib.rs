//! KargoJet connector for Kolay Gelsin: REST/JSON, every call a `POST` to
//! `{base}/api/request/{Method}` with a static bearer token handed over by the carrier (no token
//! endpoint: an HTTP 401 is `auth.failed`, never retried), errors as decimal `ResultCode`s
//! (`500.0`, `404.1`) inside the envelope, the merchant-chosen `CustomerBarcode` as the
//! reconciliation key, HTML labels per parcel in the create answer, returns with
//! `SaveIntegrationReturnShipment`, and authenticated push notifications ([`webhook`]).
//!
//! The simulator (feature `sim`) speaks the same protocol on 127.0.0.1; see `README.md`.

pub mod config;
pub mod error;
pub mod map;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod webhook;
pub mod wire;

pub use config::{KolayGelsinConfig, PackageType, PayingParty};

use async_trait::async_trait;
use kargojet_carrier_common::http::{CarrierHttp, OutgoingRequest, RawResponse};
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ReturnRequest, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey};
use map::{TrackBy, Tracked};

/// The Kolay Gelsin connector.
#[derive(Debug)]
pub struct KolayGelsin {
    cfg: KolayGelsinConfig,
    http: CarrierHttp,
}

impl KolayGelsin {
    /// A connector for `cfg` (checked first).
    pub fn new(cfg: KolayGelsinConfig) -> Result<Self> {
        cfg.validate()?;
        let http = CarrierHttp::new(CarrierId::KolayGelsin, cfg.http.clone())?;
        Ok(KolayGelsin { cfg, http })
    }

    /// The configuration.
    pub fn config(&self) -> &KolayGelsinConfig {
        &self.cfg
    }

    /// The HTTP client (its `last_exchanges()` keeps the raw traffic).
    pub fn http(&self) -> &CarrierHttp {
        &self.http
    }

    /// POSTs `body` to `method`. Idempotent calls are retried by common's client on 5xx without
    /// an envelope, timeouts and 429 (`Retry-After`); a 5xx carrying a `ResultCode` is final.
    async fn call<B: serde::Serialize>(
        &self,
        op: &'static str,
        body: &B,
        idempotent: bool,
        headers: &[(&str, &str)],
    ) -> Result<RawResponse> {
        let mut req = OutgoingRequest::post(op, self.cfg.url(op))
            .bearer(self.cfg.token.trim())
            .header("Accept", "application/json")
            .try_json(body)?;
        for (n, v) in headers {
            req = req.header(*n, *v);
        }
        if idempotent {
            req = req.idempotent().final_when(map::is_final_answer);
        }
        let resp = self.http.send(req).await?;
        if resp.status == 429 || (resp.status >= 500 && !map::is_final_answer(&resp)) {
            resp.check_status(&CarrierId::KolayGelsin)?;
        }
        Ok(resp)
    }

    /// Tracks one parcel: by shipment number when known, else by the merchant barcode.
    async fn lookup(
        &self,
        key: &MerchantKey,
        shipment_id: Option<&str>,
        only_latest: bool,
    ) -> Result<(Option<Tracked>, String)> {
        let by = match shipment_id {
            Some(id) => TrackBy::ShipmentId(id.to_string()),
            None => TrackBy::CustomerBarcode(key.as_str().to_string()),
        };
        let body = map::track_body(&by, only_latest);
        let resp = self.call(wire::METHOD_TRACK, &body, true, &[]).await?;
        Ok((
            map::parse_track(resp.status, &resp.body, key, shipment_id)?,
            resp.text().into_owned(),
        ))
    }

    async fn send_create<B: serde::Serialize>(
        &self,
        method: &'static str,
        body: &B,
        key: &MerchantKey,
    ) -> Result<CreatedShipment> {
        // Never idempotent: a maybe-sent create is reconciled, not retried.
        let resp = self.call(method, body, false, &[]).await?;
        map::parse_create(resp.status, &resp.body, key)
    }

    /// The event types defined for this customer (`GetCorporateCustomerCargoEventTypes`):
    /// `(code, description)`, in Turkish.
    pub async fn event_types(&self) -> Result<Vec<(String, String)>> {
        let resp = self
            .call(
                wire::METHOD_EVENT_TYPES,
                &wire::EmptyBody {},
                true,
                &[("Accept-Language", "tr-TR")],
            )
            .await?;
        map::parse_event_types(resp.status, &resp.body)
    }

    /// A proof document of an event (`GetDocumentForHistory`: signature, damage report …), the
    /// PDF bytes as sent. `document_type` is the event's `DocumentType` (4, 5, 7, 8, 9, 10).
    pub async fn document(&self, document_id: &str, document_type: i64) -> Result<Vec<u8>> {
        if document_id.trim().is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "document_id",
                "must not be empty",
            ));
        }
        let body = wire::DocumentBody {
            document_id: Some(document_id.trim().to_string()),
            document_type: Some(document_type),
        };
        let resp = self.call(wire::METHOD_DOCUMENT, &body, true, &[]).await?;
        map::parse_document(resp.status, &resp.body)
    }
}

#[async_trait]
impl Carrier for KolayGelsin {
    fn id(&self) -> CarrierId {
        CarrierId::KolayGelsin
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: self.cfg.cod_allowed,
            cod_card: false,
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            // HTML, per parcel, in the create/return answer only (no label endpoint).
            label_formats: vec![LabelFormat::Html],
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: true,
            pickup: false,
            desi_rule: Default::default(),
            min_track_interval_secs: 0,
        }
    }

    fn reconciliation(&self) -> Reconciliation {
        // The create answers synchronously with its ShipmentId, so a barcode the tracking query
        // does not list was never created (assumption, see the README); a duplicate barcode is
        // not documented as refused, so a resend could create a second shipment: never resent.
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
        let body = map::build_create(request, &self.cfg)?;
        self.send_create(wire::METHOD_CREATE, &body, &request.merchant_key)
            .await
    }

    async fn label(&self, _shipment: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        Err(Error::Unsupported {
            code: Code::UnsupportedLabelFormat,
            carrier: Some(CarrierId::KolayGelsin),
            detail: format!(
                "Kolay Gelsin has no label endpoint: its HTML label comes only with the create answer (CreatedShipment.label); asked {format:?}"
            ),
        })
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        let known = map::shipment_id_of(shipment);
        let (tracked, _) = self
            .lookup(&shipment.merchant_key, known.as_deref(), false)
            .await?;
        let Some(tracked) = tracked else {
            return Err(Error::not_found(
                Code::NotFoundShipment,
                format!("Kolay Gelsin does not list {}", shipment.merchant_key),
            ));
        };
        if tracked.status() == Some(kargojet_core::tracking::ShipmentStatus::Cancelled) {
            return Ok(());
        }
        // After pickup Kolay Gelsin would turn the cancel into a return: refused here.
        if tracked.picked_up() {
            return Err(Error::conflict(
                Code::ShipmentInvalidState,
                format!(
                    "{} is already in Kolay Gelsin's hands; CancelPickupAndDelivery would start a return",
                    shipment.merchant_key
                ),
            ));
        }
        let id = tracked.shipment_id.or(known).unwrap_or_default();
        let body = map::cancel_body(&id)?;
        let resp = self.call(wire::METHOD_CANCEL, &body, false, &[]).await?;
        map::parse_cancel(resp.status, &resp.body)
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let key = &shipment.merchant_key;
        let known = map::shipment_id_of(shipment);
        let (tracked, mut raw) = self.lookup(key, known.as_deref(), false).await?;
        let Some(mut tracked) = tracked else {
            return Err(Error::not_found(
                Code::NotFoundShipment,
                format!("Kolay Gelsin does not list {key}"),
            ));
        };
        if tracked.status() == Some(kargojet_core::tracking::ShipmentStatus::Returning) {
            if let Some(leg_id) = tracked.return_shipment_id.clone() {
                let (leg, leg_raw) = self.lookup(key, Some(&leg_id), false).await?;
                raw = format!("{raw}\n{leg_raw}");
                if let Some(leg) = leg {
                    tracked = map::with_return_leg(tracked, &leg);
                }
            }
        }
        Ok(map::tracking_update(tracked, raw))
    }

    async fn create_return(&self, request: &ReturnRequest) -> Result<CreatedShipment> {
        let body = map::build_return(request, &self.cfg)?;
        let mut created = self
            .send_create(wire::METHOD_RETURN, &body, &request.merchant_key)
            .await?;
        if let Some(original) = map::shipment_id_of(&request.original) {
            created
                .carrier_refs
                .insert(map::REF_RETURN_OF.to_string(), original);
        }
        Ok(created)
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _account: &AccountId,
    ) -> Result<ReferenceLookup> {
        let (tracked, raw) = self.lookup(key, None, true).await?;
        Ok(match tracked {
            Some(t) => ReferenceLookup::Found(map::found(&t, key, raw)),
            None => ReferenceLookup::NotFound,
        })
    }
}
