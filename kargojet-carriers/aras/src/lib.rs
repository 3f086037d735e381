//! KargoJet connector for Aras Kargo: the ASMX order (sevkiyat) service (`SetOrder`,
//! `GetOrderWithIntegrationCode`, `CancelDispatch`) and the WCF query (bilgi sorgulama) service
//! (`GetQueryJSON`), with a protocol-faithful simulator behind the `sim` feature.
//!
//! Aras has no label API (the merchant prints each parcel's `BarcodeNumber`; KargoJet's own
//! label is used) and gives its 13-digit tracking number only after the branch cuts the
//! waybill: `create` returns the merchant key and `track` back-fills the tracking number.

pub mod config;
pub mod date;
pub mod error;
pub mod json;
pub mod map;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod transport;
pub mod wire;
pub mod xml;

use async_trait::async_trait;
use config::ArasConfig;
use kargojet_carrier_common::capture::Exchange;
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig};
use kargojet_core::carrier::{
    AccountId, CancelRule, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation,
    ReferenceLookup, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::shipment::{CreatedShipment, MerchantKey};
use std::collections::HashMap;
use std::sync::Mutex;
use transport::Call;

/// The Aras Kargo connector.
#[derive(Debug)]
pub struct Aras {
    config: ArasConfig,
    http: CarrierHttp,
    /// `SetOrder` sends made by this process per key (the carrier allows 20).
    sends: Mutex<HashMap<MerchantKey, u32>>,
}

impl Aras {
    /// A connector with the default HTTP settings.
    pub fn new(config: ArasConfig) -> Result<Aras> {
        Aras::with_http(config, HttpConfig::default())
    }

    /// A connector with explicit HTTP settings (retries, connect timeout, capture size).
    pub fn with_http(config: ArasConfig, http: HttpConfig) -> Result<Aras> {
        config.validate()?;
        Ok(Aras {
            config,
            http: CarrierHttp::new(CarrierId::Aras, http)?,
            sends: Mutex::new(HashMap::new()),
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ArasConfig {
        &self.config
    }

    /// The last raw exchanges (personal data masked when logged).
    pub fn last_exchanges(&self) -> Vec<Exchange> {
        self.http.last_exchanges()
    }

    fn sends_so_far(&self, key: &MerchantKey) -> u32 {
        self.sends
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .copied()
            .unwrap_or(0)
    }

    fn count_send(&self, key: &MerchantKey) {
        *self
            .sends
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(key.clone())
            .or_insert(0) += 1;
    }

    async fn query(&self, key: &MerchantKey, account: &AccountId) -> Result<String> {
        let acct = self.config.account(account)?;
        let body_xml = map::xml_text(&map::build_query(&acct.query, key)?)?;
        transport::send(
            &self.http,
            Call {
                op: "GetQueryJSON",
                url: &self.config.query_url,
                action: wire::query_action("GetQueryJSON"),
                body_xml,
                timeout: self.config.timeouts.query,
                idempotent: true,
            },
        )
        .await
    }

    async fn get_order(&self, key: &MerchantKey, account: &AccountId) -> Result<(bool, String)> {
        let acct = self.config.account(account)?;
        let body_xml = map::xml_text(&map::build_get_order(&acct.order, key))?;
        let raw = transport::send(
            &self.http,
            Call {
                op: "GetOrderWithIntegrationCode",
                url: &self.config.order_url,
                action: wire::order_action("GetOrderWithIntegrationCode"),
                body_xml,
                timeout: self.config.timeouts.query,
                idempotent: true,
            },
        )
        .await?;
        Ok((map::parse_get_order(&raw, key)?, raw))
    }
}

#[async_trait]
impl Carrier for Aras {
    fn id(&self) -> CarrierId {
        CarrierId::Aras
    }

    /// COD in cash or by card (no documented cap), up to 99 parcels (`PieceCount` is int(2)),
    /// no carrier label, cancel only until the waybill is cut (`999` after), no return or pickup
    /// operation, desi = l×w×h/3000.
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            cod_card: true,
            cod_max: None,
            max_desi: None,
            max_kg_per_parcel: None,
            multi_parcel: true,
            label_formats: Vec::new(),
            live_rates: false,
            cancel: CancelRule::BeforePickup,
            returns: false,
            pickup: false,
            desi_rule: kargojet_core::parcel::DesiRule::default(),
            min_track_interval_secs: 0,
        }
    }

    /// Re-sending `SetOrder` with the same `IntegrationCode` updates the order (success), and
    /// after the waybill is cut answers `60020` (`carrier.duplicate`): resending is safe, at
    /// most 20 sends per key in all (19 resends). The lookup (query service, then the order
    /// service) is conclusive.
    fn reconciliation(&self) -> Reconciliation {
        Reconciliation {
            lookup_conclusive: true,
            resend_is_safe: true,
            max_resends: map::MAX_SENDS_PER_KEY - 1,
        }
    }

    async fn create(&self, req: &CreateRequest) -> Result<CreatedShipment> {
        let acct = self.config.account(&req.account)?;
        let set_order = map::build_set_order(&acct.order, req)?;
        let sends = self.sends_so_far(&req.merchant_key).max(req.attempt);
        if sends >= map::MAX_SENDS_PER_KEY {
            return Err(Error::conflict(
                Code::ShipmentInvalidState,
                format!(
                    "Aras accepts at most {} SetOrder sends of IntegrationCode {} (code 70035); send {} was not made",
                    map::MAX_SENDS_PER_KEY,
                    req.merchant_key,
                    sends + 1
                ),
            ));
        }
        let body_xml = map::xml_text(&set_order)?;
        self.count_send(&req.merchant_key);
        let raw = transport::send(
            &self.http,
            Call {
                op: "SetOrder",
                url: &self.config.order_url,
                action: wire::order_action("SetOrder"),
                body_xml,
                timeout: self.config.timeouts.create,
                idempotent: false,
            },
        )
        .await?;
        map::parse_set_order(&raw, &req.merchant_key)
    }

    async fn cancel(&self, shipment: &ShipmentRef) -> Result<()> {
        let acct = self.config.account(&shipment.account)?;
        let body_xml = map::xml_text(&map::build_cancel(&acct.order, &shipment.merchant_key))?;
        let raw = transport::send(
            &self.http,
            Call {
                op: "CancelDispatch",
                url: &self.config.order_url,
                action: wire::order_action("CancelDispatch"),
                body_xml,
                timeout: self.config.timeouts.cancel,
                idempotent: true,
            },
        )
        .await?;
        map::parse_cancel(&raw)
    }

    async fn track(&self, shipment: &ShipmentRef) -> Result<TrackingUpdate> {
        map::validate_key(&shipment.merchant_key)?;
        let raw = self
            .query(&shipment.merchant_key, &shipment.account)
            .await?;
        let mut update = map::parse_tracking(&raw, Some(&shipment.merchant_key))?;
        if update.carrier_tracking_number.is_none() {
            update
                .carrier_tracking_number
                .clone_from(&shipment.carrier_tracking_number);
        }
        Ok(update)
    }

    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        account: &AccountId,
    ) -> Result<ReferenceLookup> {
        map::validate_key(key)?;
        let raw = self.query(key, account).await?;
        if let Some(found) = map::parse_lookup(&raw, key)? {
            return Ok(ReferenceLookup::Found(found));
        }
        // The query service knows cargos only once the waybill is cut; the order service holds
        // the order from SetOrder on.
        let (exists, raw) = self.get_order(key, account).await?;
        Ok(if exists {
            ReferenceLookup::Found(CreatedShipment {
                merchant_key: key.clone(),
                carrier_tracking_number: None,
                carrier_refs: Default::default(),
                label: None,
                raw,
            })
        } else {
            ReferenceLookup::NotFound
        })
    }
}
