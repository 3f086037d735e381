//! KargoJet connector for Sürat Kargo: SOAP (ASMX, `http://tempuri.org/`) for create, cancel
//! and labels, REST (or SOAP) for tracking, with a protocol-faithful simulator behind the
//! feature `sim`.
//!
//! Sürat works with a pre-acceptance model: a shipment is registered under the merchant's
//! `OzelKargoTakipNo`, the branch scans that barcode, and only then does Sürat's own
//! `KargoTakipNo` appear — through tracking, which back-fills it. See the crate README for the
//! credentials, capabilities and the reconciliation strategy.

pub mod config;
pub mod error;
pub mod json;
pub mod map;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod wire;
pub mod wording;

pub use config::{SuratAccount, SuratConfig, TrackingTransport};

use async_trait::async_trait;
use kargojet_carrier_common::http::{CarrierHttp, OutgoingRequest, RawResponse};
use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of, envelope};
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ReturnRequest, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::parcel::DesiRule;
use kargojet_core::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::tracking::ShipmentStatus;
use map::{CreateReply, TrackingReply};
use wire::Operation;

/// The reference under which the connector stores the cari kodu a shipment was created with
/// (so tracking and cancel use the same account, e.g. the COD cari).
pub const REF_CARI_KODU: &str = "cari_kodu";

/// The Sürat Kargo connector.
#[derive(Debug, Clone)]
pub struct Surat {
    config: SuratConfig,
    http: CarrierHttp,
}

impl Surat {
    /// A connector for `config` (validated).
    pub fn new(config: SuratConfig) -> Result<Surat> {
        config.validate()?;
        let http = CarrierHttp::new(CarrierId::Surat, config.http.clone())?;
        Ok(Surat { config, http })
    }

    /// The configuration.
    pub fn config(&self) -> &SuratConfig {
        &self.config
    }

    /// The HTTP client (its `last_exchanges()` hold the raw traffic).
    pub fn http(&self) -> &CarrierHttp {
        &self.http
    }

    async fn soap_call(&self, op: Operation, body: String, idempotent: bool) -> Result<String> {
        let env = envelope(SoapVersion::V11, None, &body);
        let timeout = if matches!(op, Operation::Create | Operation::CreateWithBarcode) {
            self.config.create_timeout
        } else {
            self.config.query_timeout
        };
        let mut req = OutgoingRequest::post(op.name(), &self.config.soap_url)
            .soap(SoapVersion::V11, &op.action(), env)
            .timeout(timeout);
        if idempotent {
            req = req.idempotent();
        }
        let resp = self.http.send(req).await?;
        soap_text(&resp)
    }

    async fn create_with(
        &self,
        request: &CreateRequest,
        is_return: bool,
    ) -> Result<CreatedShipment> {
        let account = self
            .config
            .account_for(request.shipment.cod.is_some() && !is_return);
        let gonderi = map::build_gonderi(&request.shipment, &request.merchant_key, is_return)?;
        let op = if self.config.barcode_at_creation {
            Operation::CreateWithBarcode
        } else {
            Operation::Create
        };
        let body = map::create_body(op, &account.cari_kodu, &account.sifre, gonderi)?;
        let text = self.soap_call(op, body, false).await?;
        let reply = match op {
            Operation::CreateWithBarcode => {
                map::parse_create_with_barcode(&text, &request.merchant_key)?
            }
            _ => map::parse_create(&text, &request.merchant_key)?,
        };
        let mut created = match reply {
            CreateReply::Created(c) => c,
            // A resend with the same OzelKargoTakipNo: Sürat's "already exists" is the proof.
            CreateReply::Duplicate { .. } if request.attempt > 0 => CreatedShipment {
                merchant_key: request.merchant_key.clone(),
                carrier_tracking_number: None,
                carrier_refs: Default::default(),
                label: None,
                raw: text.clone(),
            },
            CreateReply::Duplicate { code, message } => {
                return Err(error::SuratError::Duplicate { code, message }.into());
            }
        };
        created
            .carrier_refs
            .insert(REF_CARI_KODU.into(), account.cari_kodu.clone());
        Ok(created)
    }

    async fn track_key(&self, key: &MerchantKey, cari: Option<&str>) -> Result<TrackingReply> {
        map::check_key(key)?;
        let account = self.config.account_by_cari(cari);
        match self.config.tracking {
            TrackingTransport::Rest => {
                let url = map::tracking_url(
                    &self.config.tracking_url,
                    &account.cari_kodu,
                    &account.web_sifre,
                    key,
                );
                let req = OutgoingRequest::post("KargoTakipHareketDetayi", url)
                    .header("Accept", "application/json")
                    .timeout(self.config.query_timeout)
                    .idempotent();
                let resp = self.http.send(req).await?;
                resp.check_status(self.http.carrier())?;
                let text = map::text_of(&resp.body)?;
                map::parse_tracking(text, key)
            }
            TrackingTransport::Soap => {
                let body = map::track_body(&account.cari_kodu, &account.web_sifre, key)?;
                let text = self.soap_call(Operation::Track, body, true).await?;
                map::parse_tracking_soap(&text, key)
            }
        }
    }
}

/// The text of a SOAP answer: a fault (ASMX sends them with HTTP 500) becomes
/// `carrier.rejected`, any other non-2xx status the matching transport/auth error.
fn soap_text(resp: &RawResponse) -> Result<String> {
    let text = map::text_of(&resp.body)?;
    if !resp.is_success() {
        if let Ok(SoapBody::Fault(f)) = body_of(text) {
            return Err(f.into_core(CarrierId::Surat));
        }
        resp.check_status(&CarrierId::Surat)?;
    }
    Ok(text.to_string())
}

#[async_trait]
impl Carrier for Surat {
    fn id(&self) -> CarrierId {
        CarrierId::Surat
    }

    fn capabilities(&self) -> Capabilities {
        let mut label_formats = vec![LabelFormat::Pdf];
        if self.config.barcode_at_creation {
            label_formats.push(LabelFormat::Zpl);
        }
        Capabilities {
            cod: true,
            cod_card: true,
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            label_formats,
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: true,
            pickup: false,
            desi_rule: DesiRule::default(),
            min_track_interval_secs: 0,
        }
    }

    fn reconciliation(&self) -> Reconciliation {
        // Tracking answers "kabul bekleniyor" until a branch scans the parcel, for a registered
        // shipment and an unknown key alike: not conclusive. A resend with the same
        // OzelKargoTakipNo is answered `009` (already exists), which counts as success.
        Reconciliation {
            lookup_conclusive: false,
            resend_is_safe: true,
            max_resends: 0,
        }
    }

    async fn create(&self, request: &CreateRequest) -> Result<CreatedShipment> {
        self.create_with(request, false).await
    }

    async fn label(&self, shipment: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        match format {
            LabelFormat::Pdf => {
                map::check_key(&shipment.merchant_key)?;
                let account = self
                    .config
                    .account_by_cari(shipment.carrier_refs.get(REF_CARI_KODU).map(String::as_str));
                let body = map::label_body(
                    &account.cari_kodu,
                    &account.web_sifre,
                    &shipment.merchant_key,
                )?;
                let text = self.soap_call(Operation::Label, body, true).await?;
                map::parse_label(&text)
            }
            other => Err(Error::Unsupported {
                code: Code::UnsupportedLabelFormat,
                carrier: Some(CarrierId::Surat),
                detail: format!(
                    "{other:?} labels: Sürat renders PDF (KargoBarkodu); ZPL only arrives with the barcode-create reply (CreatedShipment.label)"
                ),
            }),
        }
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        map::check_key(&shipment.merchant_key)?;
        let account = self
            .config
            .account_by_cari(shipment.carrier_refs.get(REF_CARI_KODU).map(String::as_str));
        let body = map::cancel_body(
            &account.cari_kodu,
            &account.sifre,
            &shipment.merchant_key,
            &self.config.cancel_reason,
        )?;
        let text = self.soap_call(Operation::Cancel, body, false).await?;
        map::parse_cancel(&text)
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        let cari = shipment.carrier_refs.get(REF_CARI_KODU).map(String::as_str);
        Ok(match self.track_key(&shipment.merchant_key, cari).await? {
            TrackingReply::Found(update) => update,
            TrackingReply::AwaitingAcceptance { raw, .. } => TrackingUpdate {
                status: Some(ShipmentStatus::Created),
                raw,
                ..TrackingUpdate::default()
            },
            TrackingReply::Cancelled { raw, .. } => TrackingUpdate {
                status: Some(ShipmentStatus::Cancelled),
                raw,
                ..TrackingUpdate::default()
            },
        })
    }

    async fn create_return(&self, request: &ReturnRequest) -> Result<CreatedShipment> {
        let create = CreateRequest {
            shipment: request.shipment.clone(),
            merchant_key: request.merchant_key.clone(),
            account: request.original.account.clone(),
            service: None,
            billable_desi: rust_decimal::Decimal::ZERO,
            attempt: 0,
        };
        self.create_with(&create, true).await
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _account: &AccountId,
    ) -> Result<ReferenceLookup> {
        match self.track_key(key, None).await {
            Ok(TrackingReply::Found(u)) => Ok(ReferenceLookup::Found(CreatedShipment {
                merchant_key: key.clone(),
                carrier_tracking_number: u.carrier_tracking_number,
                carrier_refs: Default::default(),
                label: None,
                raw: u.raw,
            })),
            Ok(TrackingReply::Cancelled { raw, .. }) => {
                Ok(ReferenceLookup::Found(CreatedShipment {
                    merchant_key: key.clone(),
                    carrier_tracking_number: None,
                    carrier_refs: Default::default(),
                    label: None,
                    raw,
                }))
            }
            Ok(TrackingReply::AwaitingAcceptance { .. }) => Ok(ReferenceLookup::Inconclusive),
            // Sürat's other in-band errors do not say whether the key exists.
            Err(Error::CarrierRejected { .. }) => Ok(ReferenceLookup::Inconclusive),
            Err(e) => Err(e),
        }
    }
}
