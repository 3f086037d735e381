//! KargoJet connector for Yurtiçi Kargo (SOAP 1.1, JAX-WS `ShippingOrderDispatcherServices`),
//! with a protocol-faithful simulator behind the feature `sim`.
//!
//! - [`wire`]: the carrier's request/response types; [`map`]: pure domain ↔ wire functions;
//!   [`status`] and [`error`]: the carrier's code tables; [`config`]: credentials per payment
//!   type; [`gate`]: the one-minute block on identical queries.
//! - [`Yurtici`] implements [`Carrier`]: create, cancel, track (with the `docId` back-filled),
//!   returns through return codes, and lookups by `cargoKey` for reconciliation.
//!   Yurtiçi has no label API: the merchant prints the `cargoKey` barcode (KargoJet's label).

pub mod config;
pub mod error;
pub mod fast;
pub mod gate;
pub mod map;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod wire;

use crate::config::{Credentials, PaymentType, Users, YurticiConfig};
use crate::error::YurticiError;
use crate::gate::QueryGate;
use crate::wire::Operation;
use async_trait::async_trait;
use kargojet_carrier_common::http::{CarrierHttp, OutgoingRequest, RawResponse};
use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of_bytes, envelope};
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ReturnRequest, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::shipment::{CreatedShipment, MerchantKey};
use kargojet_core::time::turkey_offset;
use std::collections::BTreeMap;

pub use config::YurticiConfig as Config;

/// `carrier_refs` key: the payment type whose user created the shipment.
pub const REF_PAYMENT_TYPE: &str = "paymentType";
/// `carrier_refs` key: `return` for return codes.
pub const REF_KIND: &str = "kind";
/// `carrier_refs` key: the special field a return code lives in.
pub const REF_FIELD_NAME: &str = "fieldName";

/// The Yurtiçi connector.
#[derive(Debug)]
pub struct Yurtici {
    cfg: YurticiConfig,
    http: CarrierHttp,
    gate: QueryGate,
}

impl Yurtici {
    /// A connector for `cfg`.
    pub fn new(cfg: YurticiConfig) -> Result<Yurtici> {
        let http = CarrierHttp::new(CarrierId::Yurtici, cfg.http.clone())?;
        let gate = QueryGate::new(cfg.min_query_interval);
        Ok(Yurtici { cfg, http, gate })
    }

    /// The configuration.
    pub fn config(&self) -> &YurticiConfig {
        &self.cfg
    }

    /// The HTTP client (its `last_exchanges()` hold the masked raw traffic).
    pub fn http(&self) -> &CarrierHttp {
        &self.http
    }

    fn users(&self, account: &AccountId) -> Result<&Users> {
        self.cfg.accounts.get(account).ok_or_else(|| {
            Error::invalid(
                Code::RequestInvalidConfig,
                "yurtici.accounts",
                format!("no Yurtiçi users for account {account}"),
            )
        })
    }

    fn user_for(&self, account: &AccountId, p: PaymentType) -> Result<&Credentials> {
        self.users(account)?
            .for_payment(p)
            .ok_or_else(|| YurticiError::MissingUser(p.as_str()).into())
    }

    /// The user that created `shipment` (from its refs), else the account's first user.
    fn user_of(&self, shipment: &ShipmentRef) -> Result<&Credentials> {
        let users = self.users(&shipment.account)?;
        let by_ref = shipment.carrier_refs.get(REF_PAYMENT_TYPE).and_then(|p| {
            [
                PaymentType::SenderPays,
                PaymentType::ReceiverPays,
                PaymentType::CodCash,
                PaymentType::CodCard,
            ]
            .into_iter()
            .find(|t| t.as_str() == p)
        });
        if let Some(c) = by_ref.and_then(|p| users.for_payment(p)) {
            return Ok(c);
        }
        users
            .all()
            .first()
            .map(|(_, c)| *c)
            .ok_or_else(|| YurticiError::MissingUser("any payment type").into())
    }

    async fn call(&self, op: Operation, body_xml: String, idempotent: bool) -> Result<RawResponse> {
        let env = envelope(SoapVersion::V11, None, &body_xml);
        let timeout = if idempotent {
            self.cfg.read_timeout
        } else {
            self.cfg.write_timeout
        };
        let mut req = OutgoingRequest::post(op.name(), self.cfg.endpoint.clone())
            .soap(SoapVersion::V11, wire::SOAP_ACTION, env)
            .timeout(timeout);
        if idempotent {
            req = req.idempotent();
        }
        let resp = self.http.send(req).await?;
        if !resp.is_success() {
            // JAX-WS answers faults with HTTP 500: read the fault rather than the status.
            if let Ok(SoapBody::Fault(f)) = body_of_bytes(&resp.body) {
                return Err(error::fault_error(&f));
            }
            resp.check_status(&CarrierId::Yurtici)?;
        }
        Ok(resp)
    }

    /// Sends one `queryShipment` for `keys` as `user`, waiting out the one-minute block on an
    /// identical query first; a block answer anyway (e.g. after a retry the service had
    /// already processed) waits the interval and resends once.
    async fn query(&self, user: &Credentials, keys: &[&str]) -> Result<RawResponse> {
        let id = QueryGate::identity(&user.user_name, keys);
        let q = map::build_query(keys, user, self.cfg.create.language);
        let xml = map::body_xml(Operation::QueryShipment, &q)?;
        for attempt in 0..2 {
            self.gate
                .pass(&id, &self.cfg.clock, self.cfg.sleeper.as_ref())
                .await;
            let resp = self
                .call(Operation::QueryShipment, xml.clone(), true)
                .await?;
            let blocked = matches!(map::parse_query(&resp.body), Err(Error::RateLimited { .. }));
            if !blocked || attempt == 1 {
                return Ok(resp);
            }
            tracing::debug!(
                carrier = "yurtici",
                "identical queryShipment blocked; waiting the interval"
            );
        }
        Err(Error::internal("unreachable: query loop"))
    }

    /// Tracks several shipments of one account in one `queryShipment` (fewer calls, and no
    /// block between polls of different shipments). Results come back per merchant key.
    pub async fn track_many(
        &self,
        shipments: &[ShipmentRef],
    ) -> Result<Vec<(MerchantKey, Result<TrackingUpdate>)>> {
        let Some(first) = shipments.first() else {
            return Ok(Vec::new());
        };
        if shipments.iter().any(|s| s.account != first.account) {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "shipments",
                "track_many needs shipments of one account",
            ));
        }
        let user = self.user_of(first)?;
        let keys: Vec<&str> = shipments.iter().map(|s| s.merchant_key.as_str()).collect();
        let resp = self.query(user, &keys).await?;
        let mut parsed = map::parse_query(&resp.body)?;
        Ok(shipments
            .iter()
            .map(|s| {
                let r = match parsed
                    .iter()
                    .position(|(k, _)| k == s.merchant_key.as_str())
                {
                    Some(i) => parsed.swap_remove(i).1,
                    None => Err(Error::protocol(
                        Some(CarrierId::Yurtici),
                        format!("queryShipment: no answer for {}", s.merchant_key),
                        resp.text(),
                    )),
                };
                (s.merchant_key.clone(), r)
            })
            .collect())
    }
}

#[async_trait]
impl Carrier for Yurtici {
    fn id(&self) -> CarrierId {
        CarrierId::Yurtici
    }

    fn capabilities(&self) -> Capabilities {
        let any = |f: fn(&Users) -> bool| self.cfg.accounts.values().any(f);
        Capabilities {
            cod: any(|u| u.cod_cash.is_some() || u.cod_card.is_some()),
            cod_card: any(|u| u.cod_card.is_some()),
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            label_formats: Vec::new(),
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: true,
            pickup: false,
            desi_rule: kargojet_core::parcel::DesiRule::default(),
            min_track_interval_secs: u32::try_from(self.cfg.min_query_interval.as_secs())
                .unwrap_or(u32::MAX),
        }
    }

    fn reconciliation(&self) -> Reconciliation {
        Reconciliation {
            lookup_conclusive: false,
            resend_is_safe: true,
            max_resends: 0,
        }
    }

    async fn create(&self, request: &CreateRequest) -> Result<CreatedShipment> {
        let payment = PaymentType::of(&request.shipment);
        let user = self.user_for(&request.account, payment)?;
        let body = map::build_create(request, user, &self.cfg.create)?;
        let xml = map::body_xml(Operation::CreateShipment, &body)?;
        let resp = self.call(Operation::CreateShipment, xml, false).await?;
        let mut created = match map::parse_create(&resp.body, &request.merchant_key) {
            Ok(c) => c,
            // A resend with the same cargoKey: "already exists" means the first send landed.
            Err(e) if error::is_duplicate(&e) && request.attempt > 0 => {
                let mut refs = BTreeMap::new();
                refs.insert("invoiceKey".to_string(), map::invoice_key(request));
                CreatedShipment {
                    merchant_key: request.merchant_key.clone(),
                    carrier_tracking_number: None,
                    carrier_refs: refs,
                    label: None,
                    raw: resp.text().into_owned(),
                }
            }
            Err(e) => return Err(e),
        };
        created
            .carrier_refs
            .insert(REF_PAYMENT_TYPE.to_string(), payment.as_str().to_string());
        Ok(created)
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        let user = self.user_of(shipment)?;
        let lang = self.cfg.create.language;
        if shipment.carrier_refs.get(REF_KIND).map(String::as_str) == Some("return") {
            let field = shipment
                .carrier_refs
                .get(REF_FIELD_NAME)
                .unwrap_or(&self.cfg.return_field_name);
            let body = map::build_cancel_return(shipment.merchant_key.as_str(), field, user, lang);
            let op = Operation::CancelReturnShipmentCode;
            let resp = self.call(op, map::body_xml(op, &body)?, false).await?;
            return map::parse_return_code(op, &resp.body);
        }
        let body = map::build_cancel(&[shipment.merchant_key.as_str()], user, lang);
        let op = Operation::CancelShipment;
        let resp = self.call(op, map::body_xml(op, &body)?, false).await?;
        map::parse_cancel(&resp.body, shipment.merchant_key.as_str())
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        if shipment.carrier_refs.get(REF_KIND).map(String::as_str) == Some("return") {
            return Err(Error::unsupported(
                Some(CarrierId::Yurtici),
                "tracking a return code (needs the WsReportWithReferenceServices reporting service)",
            ));
        }
        let user = self.user_of(shipment)?;
        let resp = self.query(user, &[shipment.merchant_key.as_str()]).await?;
        map::parse_track(&resp.body, shipment.merchant_key.as_str())
    }

    async fn create_return(&self, request: &ReturnRequest) -> Result<CreatedShipment> {
        let user = self.user_of(&request.original)?;
        let today = self
            .cfg
            .clock
            .now()
            .with_timezone(&turkey_offset())
            .date_naive();
        let field = &self.cfg.return_field_name;
        let body = map::build_save_return(
            request.merchant_key.as_str(),
            field,
            today,
            self.cfg.return_code_valid_days,
            user,
            self.cfg.create.language,
        );
        let op = Operation::SaveReturnShipmentCode;
        let resp = self.call(op, map::body_xml(op, &body)?, false).await?;
        map::parse_return_code(op, &resp.body)?;
        let mut refs = BTreeMap::new();
        refs.insert(REF_KIND.to_string(), "return".to_string());
        refs.insert(REF_FIELD_NAME.to_string(), field.clone());
        refs.insert(
            "originalCargoKey".to_string(),
            request.original.merchant_key.to_string(),
        );
        if let Some(p) = request.original.carrier_refs.get(REF_PAYMENT_TYPE) {
            refs.insert(REF_PAYMENT_TYPE.to_string(), p.clone());
        }
        Ok(CreatedShipment {
            merchant_key: request.merchant_key.clone(),
            carrier_tracking_number: None,
            carrier_refs: refs,
            label: None,
            raw: resp.text().into_owned(),
        })
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        account: &AccountId,
    ) -> Result<ReferenceLookup> {
        let users = self.users(account)?.all();
        if users.is_empty() {
            return Err(YurticiError::MissingUser("any payment type").into());
        }
        for (payment, user) in users {
            let resp = self.query(user, &[key.as_str()]).await?;
            if let Some(mut found) = map::lookup_from_query(&resp.body, key)? {
                found
                    .carrier_refs
                    .insert(REF_PAYMENT_TYPE.to_string(), payment.as_str().to_string());
                return Ok(ReferenceLookup::Found(found));
            }
        }
        // The query's "not found" answer is not documented: not conclusive (resend instead).
        Ok(ReferenceLookup::Inconclusive)
    }
}
