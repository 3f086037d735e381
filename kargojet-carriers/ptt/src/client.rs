//! The [`Ptt`] connector: build → send → parse for every operation, over common's
//! [`CarrierHttp`]. `kabulEkle2` goes as SOAP 1.2 and is never retried; tracking, label and
//! lookups are SOAP 1.1 and retried on transport failures and 5xx.

use crate::barcode::{BarcodeAllocator, InMemoryBarcodeAllocator};
use crate::config::PttConfig;
use crate::error::fault_error;
use crate::map::{self, CreateOptions, REF_DOSYA_ADI};
use crate::wire::{self, op};
use async_trait::async_trait;
use kargojet_carrier_common::capture::Exchange;
use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of_bytes, envelope};
use kargojet_carrier_common::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ShipmentRef, TrackingUpdate,
};
use kargojet_core::parcel::DesiRule;
use kargojet_core::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::{Code, Error, Result};
use serde::Serialize;
use std::sync::Arc;

/// The PTT Kargo connector.
#[derive(Debug, Clone)]
pub struct Ptt {
    config: PttConfig,
    http: CarrierHttp,
    barcodes: Arc<dyn BarcodeAllocator>,
}

impl Ptt {
    /// A connector drawing barcodes from the configured range, starting at its first serial.
    pub fn new(config: PttConfig) -> Result<Ptt> {
        let barcodes = Arc::new(InMemoryBarcodeAllocator::new(config.barcode_range));
        Ptt::with_parts(config, HttpConfig::default(), barcodes)
    }

    /// A connector with its own HTTP policy and barcode allocator (e.g. one seeded with the
    /// last barcode used, or backed by a database).
    pub fn with_parts(
        config: PttConfig,
        http: HttpConfig,
        barcodes: Arc<dyn BarcodeAllocator>,
    ) -> Result<Ptt> {
        config.validate()?;
        let http = CarrierHttp::new(CarrierId::Ptt, http)?;
        Ok(Ptt {
            config,
            http,
            barcodes,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &PttConfig {
        &self.config
    }

    /// The last raw exchanges (personal data masked when logged).
    pub fn last_exchanges(&self) -> Vec<Exchange> {
        self.http.last_exchanges()
    }

    /// The batch name used for a barcode: deterministic, so a resend uses the same one.
    pub fn dosya_adi(barcode: &str) -> String {
        format!("KJ-{barcode}")
    }

    fn body<T: Serialize>(root: &str, value: &T) -> Result<String> {
        wire::to_xml(root, value).map_err(|e| Error::internal(format!("serializing {root}: {e}")))
    }

    /// Sends and returns the body of a 2xx answer; a SOAP fault (Axis2 answers faults with
    /// HTTP 500) becomes its error, any other non-2xx status a transport error.
    async fn call(&self, req: OutgoingRequest) -> Result<RawResponse> {
        let resp = self.http.send(req).await?;
        if !resp.is_success() {
            if let Ok(SoapBody::Fault(_)) = body_of_bytes(&resp.body) {
                return Err(fault_error(&resp.body));
            }
            resp.check_status(&CarrierId::Ptt)?;
        }
        Ok(resp)
    }

    async fn track_barcode(&self, barcode: &str) -> Result<RawResponse> {
        let body = Self::body(
            "tak:gonderiSorgu",
            &map::build_track(barcode, &self.config.tracking),
        )?;
        let req = OutgoingRequest::post(op::GONDERI_SORGU, &self.config.tracking_url)
            .soap(
                SoapVersion::V11,
                op::GONDERI_SORGU,
                envelope(SoapVersion::V11, None, &body),
            )
            .timeout(self.config.query_timeout)
            .idempotent();
        self.call(req).await
    }
}

fn barcode_of(s: &ShipmentRef) -> &str {
    s.carrier_tracking_number
        .as_deref()
        .unwrap_or(s.merchant_key.as_str())
}

#[async_trait]
impl Carrier for Ptt {
    fn id(&self) -> CarrierId {
        CarrierId::Ptt
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            cod_card: false,
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: false,
            label_formats: vec![LabelFormat::Epl],
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: false,
            pickup: false,
            desi_rule: DesiRule::default(),
            min_track_interval_secs: 0,
        }
    }

    fn reconciliation(&self) -> Reconciliation {
        Reconciliation {
            lookup_conclusive: false,
            resend_is_safe: true,
            max_resends: 0,
        }
    }

    async fn assign_merchant_key(&self, proposed: MerchantKey) -> Result<MerchantKey> {
        if self.config.barcode_range.contains(proposed.as_str()) {
            return Ok(proposed);
        }
        self.barcodes.next().map(MerchantKey)
    }

    async fn create(&self, request: &CreateRequest) -> Result<CreatedShipment> {
        let barcode = request.merchant_key.as_str();
        if !self.config.barcode_range.contains(barcode) {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "merchant_key",
                format!(
                    "'{barcode}' is not in the PTT barcode range; call assign_merchant_key first"
                ),
            ));
        }
        let opts = CreateOptions {
            dosya_adi: Self::dosya_adi(barcode),
            odemesekli: self.config.odemesekli.clone(),
            cod_account: self.config.cod_account.clone(),
        };
        let body = Self::body(
            "kab:kabulEkle2",
            &map::build_create(request, &self.config.acceptance, &opts)?,
        )?;
        let req = OutgoingRequest::post(op::KABUL_EKLE2, &self.config.acceptance_url)
            .soap(
                SoapVersion::V12,
                op::KABUL_EKLE2,
                envelope(SoapVersion::V12, None, &body),
            )
            .timeout(self.config.create_timeout);
        let resp = self.call(req).await?;
        map::parse_create(&resp.body, barcode, &opts.dosya_adi)
    }

    async fn label(&self, shipment: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        if format != LabelFormat::Epl {
            return Err(Error::Unsupported {
                code: Code::UnsupportedLabelFormat,
                carrier: Some(CarrierId::Ptt),
                detail: format!("PTT renders EPL2 labels only, not {format:?}"),
            });
        }
        let body = Self::body(
            "kab:etiketGetir",
            &map::build_label(barcode_of(shipment), &self.config.acceptance),
        )?;
        let req = OutgoingRequest::post(op::ETIKET_GETIR, &self.config.acceptance_url)
            .soap(
                SoapVersion::V11,
                op::ETIKET_GETIR,
                envelope(SoapVersion::V11, None, &body),
            )
            .timeout(self.config.query_timeout)
            .idempotent();
        let resp = self.call(req).await?;
        map::parse_label(&resp.body)
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        let barcode = barcode_of(shipment);
        let dosya = shipment
            .carrier_refs
            .get(REF_DOSYA_ADI)
            .cloned()
            .unwrap_or_else(|| Self::dosya_adi(barcode));
        let body = Self::body(
            "kab:barkodVeriSil",
            &map::build_cancel(barcode, Some(&dosya), &self.config.acceptance),
        )?;
        let req = OutgoingRequest::post(op::BARKOD_VERI_SIL, &self.config.acceptance_url)
            .soap(
                SoapVersion::V11,
                op::BARKOD_VERI_SIL,
                envelope(SoapVersion::V11, None, &body),
            )
            .timeout(self.config.query_timeout);
        let resp = self.call(req).await?;
        map::parse_cancel(&resp.body)
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let resp = self.track_barcode(barcode_of(shipment)).await?;
        map::parse_track(&resp.body)
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _account: &AccountId,
    ) -> Result<ReferenceLookup> {
        let resp = self.track_barcode(key.as_str()).await?;
        map::parse_lookup(&resp.body, key)
    }
}
