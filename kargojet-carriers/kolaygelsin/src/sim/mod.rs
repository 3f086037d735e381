//! The Kolay Gelsin simulator (feature `sim`): `POST /api/request/{Method}` on 127.0.0.1 with
//! the carrier's envelope, keys and `ResultCode`s, a static bearer token (revocable, with an
//! optional expiry on the shared [`ManualClock`]), per-shipment `CargoEventType` timelines, stops
//! and return legs, and webhook pushes to a URL as parcels move. Fault builders are named after
//! the protocol's methods.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use kargojet_core::time::ManualClock;
//! use kargojet_kolaygelsin::sim::KolayGelsinSim;
//! let clock = ManualClock::new(chrono::Utc::now());
//! let sim = KolayGelsinSim::start(clock.clone())?;
//! let carrier = kargojet_kolaygelsin::KolayGelsin::new(sim.connector_config())?;
//! sim.create_shipment().timeout().after_processing();
//! # let _ = carrier; Ok(()) }
//! ```

mod handler;
mod push;
mod state;

pub use handler::{FIRST_ITEM_ID, FIRST_SHIPMENT_ID, operation_of, signature_pdf};
pub use push::{Delivery, WebhookTarget};
pub use state::{
    Kind, Scenario, SimEvent, SimItem, SimShipment, Stop, leg_timeline, signature_id, timeline_for,
    timestamp,
};

use crate::config::{KolayGelsinConfig, PackageType, PayingParty};
use handler::{Handler, TokenState, lock};
use kargojet_carrier_common::http::HttpConfig;
use kargojet_carrier_common::sim::{FaultBuilder, SimRequest, SimServer};
use kargojet_core::time::{Clock, ManualClock};
use kargojet_core::tracking::ShipmentStatus;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The account the simulator knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// The bearer token handed over.
    pub token: String,
    /// `CustomerId`.
    pub customer_id: i64,
    /// The registered sender `AddressId`.
    pub address_id: i64,
    /// `Username` of the envelope.
    pub username: String,
    /// The hub that collects from the merchant (event locations).
    pub hub: String,
    /// The contract allows tahsilatlı kargo.
    pub cod_allowed: bool,
    /// A webhook is defined for the customer (tracking answers `CustomerNotFound` without one).
    pub webhook_defined: bool,
    /// Plate codes outside the courier area.
    pub uncovered_plates: Vec<u8>,
}

/// The sandbox account of the notes' examples: the example token, `CustomerId` 20, `AddressId`
/// 28, user `kargojet.api`, hub `TUZLA TM`, COD allowed, a webhook defined, every province
/// covered.
pub fn sandbox() -> Account {
    Account {
        token: "eyJ0eXAiOiJKV1QiLCJhbGciOi...".into(),
        customer_id: 20,
        address_id: 28,
        username: "kargojet.api".into(),
        hub: "TUZLA TM".into(),
        cod_allowed: true,
        webhook_defined: true,
        uncovered_plates: Vec::new(),
    }
}

/// A running Kolay Gelsin simulator. Dropping it stops the server and the push task.
#[derive(Debug)]
pub struct KolayGelsinSim {
    server: SimServer,
    handler: Arc<Handler>,
    pushing: Mutex<Option<tokio::task::JoinHandle<()>>>,
}

impl Drop for KolayGelsinSim {
    fn drop(&mut self) {
        if let Some(t) = lock(&self.pushing).take() {
            t.abort();
        }
    }
}

impl KolayGelsinSim {
    /// Starts the simulator with the [`sandbox`] account (inside a tokio runtime).
    pub fn start(clock: ManualClock) -> std::io::Result<Self> {
        Self::start_with(clock, sandbox())
    }

    /// Starts the simulator for `account`.
    pub fn start_with(clock: ManualClock, account: Account) -> std::io::Result<Self> {
        let handler = Arc::new(Handler {
            clock,
            token: Mutex::new(TokenState {
                value: account.token.clone(),
                expires_at: None,
                revoked: false,
            }),
            account: Mutex::new(account),
            shipments: Mutex::new(Vec::new()),
            next_shipment: Mutex::new(FIRST_SHIPMENT_ID),
            next_item: Mutex::new(FIRST_ITEM_ID),
            jobs: AtomicU64::new(0),
            pusher: push::Pusher::new(),
        });
        let server = SimServer::start(handler.clone())?;
        Ok(KolayGelsinSim {
            server,
            handler,
            pushing: Mutex::new(None),
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server (request log, all faults).
    pub fn server(&self) -> &SimServer {
        &self.server
    }

    /// A connector configuration pointing here with the sandbox account and fast timeouts.
    pub fn connector_config(&self) -> KolayGelsinConfig {
        let a = lock(&self.handler.account).clone();
        KolayGelsinConfig {
            base_url: self.base_url(),
            token: lock(&self.handler.token).value.clone(),
            customer_id: a.customer_id,
            address_id: a.address_id,
            package_type: PackageType::Parcel,
            paying_party: PayingParty::Sender,
            sender_brand: None,
            cod_allowed: a.cod_allowed,
            save_out_of_coverage: false,
            http: HttpConfig::fast(),
        }
    }

    /// Same as [`KolayGelsinSim::connector_config`].
    pub fn config(&self) -> KolayGelsinConfig {
        self.connector_config()
    }

    /// Faults of `SaveIntegrationShipmentV2`.
    pub fn create_shipment(&self) -> FaultBuilder {
        self.server.faults().on(crate::wire::METHOD_CREATE)
    }

    /// Faults of `GetCorporateShipmentsStatus`.
    pub fn track(&self) -> FaultBuilder {
        self.server.faults().on(crate::wire::METHOD_TRACK)
    }

    /// Faults of `CancelPickupAndDelivery`.
    pub fn cancel(&self) -> FaultBuilder {
        self.server.faults().on(crate::wire::METHOD_CANCEL)
    }

    /// Faults of `SaveIntegrationReturnShipment`.
    pub fn create_return(&self) -> FaultBuilder {
        self.server.faults().on(crate::wire::METHOD_RETURN)
    }

    /// Faults of `GetCorporateCustomerCargoEventTypes`.
    pub fn event_types(&self) -> FaultBuilder {
        self.server.faults().on(crate::wire::METHOD_EVENT_TYPES)
    }

    /// Faults of `GetDocumentForHistory`.
    pub fn document(&self) -> FaultBuilder {
        self.server.faults().on(crate::wire::METHOD_DOCUMENT)
    }

    /// How many requests reached method `op` (e.g. `GetCorporateShipmentsStatus`).
    pub fn calls(&self, op: &str) -> usize {
        self.server.calls(op)
    }

    /// The requests of method `op`.
    pub fn requests_for(&self, op: &str) -> Vec<SimRequest> {
        self.server.requests_for(op)
    }

    /// Every shipment held (outbound, returns, return legs), in creation order.
    pub fn shipments(&self) -> Vec<SimShipment> {
        lock(&self.handler.shipments).clone()
    }

    /// How many shipments were created through the API (outbound and returns; not the legs
    /// Kolay Gelsin opens itself).
    pub fn shipment_count(&self) -> usize {
        lock(&self.handler.shipments)
            .iter()
            .filter(|s| !matches!(s.kind, Kind::ReturnLeg { .. }))
            .count()
    }

    /// How many outbound shipments carry a parcel with this `CustomerBarcode`.
    pub fn shipments_with_barcode(&self, barcode: &str) -> usize {
        lock(&self.handler.shipments)
            .iter()
            .filter(|s| {
                s.kind == Kind::Outbound
                    && s.items
                        .iter()
                        .any(|i| i.barcode.as_deref() == Some(barcode))
            })
            .count()
    }

    /// The outbound shipment whose parcel carries `barcode`.
    pub fn shipment(&self, barcode: &str) -> Option<SimShipment> {
        lock(&self.handler.shipments)
            .iter()
            .find(|s| {
                s.kind == Kind::Outbound
                    && s.items
                        .iter()
                        .any(|i| i.barcode.as_deref() == Some(barcode))
            })
            .cloned()
    }

    /// The shipment with this `ShipmentId`.
    pub fn shipment_by_id(&self, id: i64) -> Option<SimShipment> {
        lock(&self.handler.shipments)
            .iter()
            .find(|s| s.shipment_id == id)
            .cloned()
    }

    /// The simulated status of the outbound shipment with `barcode` now.
    pub fn status_of(&self, barcode: &str) -> Option<ShipmentStatus> {
        let now = self.handler.clock.now();
        self.shipment(barcode).map(|s| s.status(now))
    }

    /// Sets how an outbound shipment's delivery goes (before the clock reaches it);
    /// [`Scenario::Refused`] opens its return leg.
    pub fn set_scenario(&self, barcode: &str, scenario: Scenario) -> bool {
        self.handler.set_scenario(barcode, scenario)
    }

    /// Revokes the bearer token (every call gets HTTP 401 until [`KolayGelsinSim::rotate_token`]).
    pub fn revoke_token(&self) {
        lock(&self.handler.token).revoked = true;
    }

    /// Lets the token expire at `at` on the simulated clock.
    pub fn expire_token_at(&self, at: chrono::DateTime<chrono::Utc>) {
        lock(&self.handler.token).expires_at = Some(at);
    }

    /// Hands over a new token (the old one stops working).
    pub fn rotate_token(&self, token: &str) {
        let mut t = lock(&self.handler.token);
        t.value = token.to_string();
        t.revoked = false;
        t.expires_at = None;
    }

    /// Whether a webhook is defined for the customer (tracking answers `CustomerNotFound`
    /// without one, as documented).
    pub fn set_webhook_defined(&self, defined: bool) {
        lock(&self.handler.account).webhook_defined = defined;
    }

    /// Marks a province (plate) outside the courier area.
    pub fn set_uncovered(&self, plate: u8) {
        lock(&self.handler.account).uncovered_plates.push(plate);
    }

    /// Pushes events to `target` from now on, when [`KolayGelsinSim::push_due`] is called or,
    /// after [`KolayGelsinSim::start_pushing`], by itself.
    pub fn set_webhook(&self, target: WebhookTarget) {
        *lock(&self.handler.pusher.target) = Some(target);
    }

    /// Pushes what the clock reached every `every` from a background task, as the carrier does
    /// (call inside a tokio runtime).
    pub fn start_pushing(&self, every: Duration) -> std::io::Result<()> {
        let rt = tokio::runtime::Handle::try_current()
            .map_err(|e| std::io::Error::other(format!("pushing needs a tokio runtime: {e}")))?;
        let handler = self.handler.clone();
        let task = rt.spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                push::push_due(&handler).await;
            }
        });
        if let Some(old) = lock(&self.pushing).replace(task) {
            old.abort();
        }
        Ok(())
    }

    /// Stops pushing (the target and the background task).
    pub fn clear_webhook(&self) {
        *lock(&self.handler.pusher.target) = None;
        if let Some(t) = lock(&self.pushing).take() {
            t.abort();
        }
    }

    /// Pushes every reached event not yet acknowledged; returns how many were acknowledged.
    pub async fn push_due(&self) -> usize {
        push::push_due(&self.handler).await
    }

    /// Pushes every acknowledged event once more (a re-delivery); returns how many were
    /// acknowledged again.
    pub async fn redeliver_all(&self) -> usize {
        push::redeliver(&self.handler).await
    }

    /// Every push attempt so far.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.handler.pusher.deliveries()
    }
}

impl kargojet_carrier_common::sim::SimInventory for KolayGelsinSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        lock(&self.handler.shipments)
            .iter()
            .filter(|s| s.kind == Kind::Outbound)
            .map(|s| kargojet_carrier_common::sim::HeldShipment {
                reference: s
                    .items
                    .first()
                    .and_then(|i| i.barcode.clone())
                    .or_else(|| s.specific_code.clone())
                    .unwrap_or_default(),
                tracking_number: Some(s.shipment_id.to_string()),
                created_at: s.created_at,
                cancelled: s.stop.is_some(),
            })
            .collect()
    }
}

/// The connector configuration of [`KolayGelsinSim::connector_config`] for a simulator with
/// the [`sandbox`] account (and its first token) listening at `base_url` (e.g. one run by
/// `kargojet-sim`).
pub fn connector_config_for(base_url: &str) -> KolayGelsinConfig {
    let a = sandbox();
    KolayGelsinConfig {
        base_url: base_url.trim_end_matches('/').to_string(),
        token: a.token,
        customer_id: a.customer_id,
        address_id: a.address_id,
        package_type: PackageType::Parcel,
        paying_party: PayingParty::Sender,
        sender_brand: None,
        cod_allowed: a.cod_allowed,
        save_out_of_coverage: false,
        http: HttpConfig::fast(),
    }
}
