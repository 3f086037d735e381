//! The HepsiJET simulator (feature `sim`): the carrier's paths, envelope, keys and codes on
//! 127.0.0.1, tokens issued and expired after 60 minutes of the shared [`ManualClock`],
//! per-shipment timelines (NEO → ACCEPTED/COLLECTED → TRANSFERRING_COLLECT →
//! WAITING_FOR_DISPATCH → OUT_FOR_DELIVERY/DELIVERING → DELIVERED, DELETED on cancel), and
//! fault builders named after the protocol's operations.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use kargojet_core::time::ManualClock;
//! use kargojet_hepsijet::sim::HepsijetSim;
//! let clock = ManualClock::new(chrono::Utc::now());
//! let sim = HepsijetSim::start(clock.clone())?;
//! let carrier = kargojet_hepsijet::Hepsijet::with_clock(sim.connector_config(), std::sync::Arc::new(clock))?;
//! sim.create_shipment().timeout().after_processing();
//! # let _ = carrier; Ok(()) }
//! ```

mod handler;
mod state;

pub use handler::{PNG_LABEL, operation_of, pdf_label};
pub use state::{NON_DELIVERY_REASON, Scenario, SimShipment, timeline, timeline_for};

use crate::config::{DeliveryType, HepsijetConfig, Warehouse};
use handler::Handler;
use kargojet_carrier_common::http::HttpConfig;
use kargojet_carrier_common::sim::{FaultBuilder, SimRequest, SimServer};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The account the simulator knows (credentials, company, hub, registered warehouse).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// Integration user.
    pub username: String,
    /// Its password.
    pub password: String,
    /// `company.name`.
    pub company_name: String,
    /// `company.abbreviationCode`.
    pub company_code: String,
    /// `currentXDock.abbreviationCode`.
    pub xdock_code: String,
    /// The registered warehouse.
    pub warehouse: Warehouse,
}

/// The sandbox account of the notes' examples (`kargojet_int:pass`, `KRJ`, hub `IST`,
/// warehouse `KRJ-WH-1` in Tuzla/Aydınlı).
pub fn sandbox() -> Account {
    Account {
        username: "kargojet_int".into(),
        password: "pass".into(),
        company_name: "KARGOJET TEST".into(),
        company_code: "KRJ".into(),
        xdock_code: "IST".into(),
        warehouse: Warehouse {
            address_id: "KRJ-WH-1".into(),
            city: "İstanbul".into(),
            town: "Tuzla".into(),
            district: "Aydınlı".into(),
            line: "Depo Sk. No:1".into(),
        },
    }
}

/// A running HepsiJET simulator.
#[derive(Debug)]
pub struct HepsijetSim {
    server: SimServer,
    handler: Arc<Handler>,
}

impl HepsijetSim {
    /// Starts the simulator with the [`sandbox`] account (inside a tokio runtime).
    pub fn start(clock: ManualClock) -> std::io::Result<Self> {
        Self::start_with(clock, sandbox())
    }

    /// Starts the simulator for `account`.
    pub fn start_with(clock: ManualClock, account: Account) -> std::io::Result<Self> {
        let handler = Arc::new(Handler {
            clock,
            account,
            shipments: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            issued: Mutex::new(0),
        });
        let server = SimServer::start(handler.clone())?;
        Ok(HepsijetSim { server, handler })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server (request log, all faults).
    pub fn server(&self) -> &SimServer {
        &self.server
    }

    /// A connector configuration pointing here with the sandbox credentials and fast timeouts.
    pub fn connector_config(&self) -> HepsijetConfig {
        let a = &self.handler.account;
        HepsijetConfig {
            base_url: self.base_url(),
            username: a.username.clone(),
            password: a.password.clone(),
            apikey: None,
            company_name: a.company_name.clone(),
            company_code: a.company_code.clone(),
            xdock_code: a.xdock_code.clone(),
            warehouse: a.warehouse.clone(),
            delivery_type: DeliveryType::Retail,
            express_slot: 1,
            http: HttpConfig::fast(),
            token_refresh_early: Duration::from_secs(300),
        }
    }

    /// Same as [`HepsijetSim::connector_config`].
    pub fn config(&self) -> HepsijetConfig {
        self.connector_config()
    }

    /// Faults of `GET /auth/getToken`.
    pub fn token(&self) -> FaultBuilder {
        self.server.faults().on("getToken")
    }

    /// Faults of `POST /delivery/sendDeliveryOrderEnhanced`.
    pub fn create_shipment(&self) -> FaultBuilder {
        self.server.faults().on("sendDeliveryOrderEnhanced")
    }

    /// Faults of `POST /delivery/sendDeliveryOrder` (XL).
    pub fn create_xl(&self) -> FaultBuilder {
        self.server.faults().on("sendDeliveryOrder")
    }

    /// Faults of `POST /rest/delivery/integration/track`.
    pub fn track(&self) -> FaultBuilder {
        self.server.faults().on("integrationTrack")
    }

    /// Faults of `POST /rest/deliveryTransaction/getDeliveryTracking`.
    pub fn history(&self) -> FaultBuilder {
        self.server.faults().on("getDeliveryTracking")
    }

    /// Faults of `POST /rest/delivery/deleteDeliveryOrder/{no}`.
    pub fn cancel(&self) -> FaultBuilder {
        self.server.faults().on("deleteDeliveryOrder")
    }

    /// Faults of the PDF/PNG/JPEG label endpoint.
    pub fn label(&self) -> FaultBuilder {
        self.server.faults().on("barcodesLabel")
    }

    /// Faults of the ZPL label endpoint.
    pub fn zpl_label(&self) -> FaultBuilder {
        self.server.faults().on("generateZplBarcode")
    }

    /// How many requests reached operation `op` (e.g. `getToken`).
    pub fn calls(&self, op: &str) -> usize {
        self.server.calls(op)
    }

    /// The requests of operation `op`.
    pub fn requests_for(&self, op: &str) -> Vec<SimRequest> {
        self.server.requests_for(op)
    }

    /// How many shipments the simulator holds with this `customerDeliveryNo` (0 or 1).
    pub fn shipments_with_key(&self, key: &str) -> usize {
        usize::from(self.lock_shipments().contains_key(key))
    }

    /// Every shipment held.
    pub fn shipment_count(&self) -> usize {
        self.lock_shipments().len()
    }

    /// A held shipment.
    pub fn shipment(&self, key: &str) -> Option<SimShipment> {
        self.lock_shipments().get(key).cloned()
    }

    /// The simulated status of a shipment now.
    pub fn status_of(&self, key: &str) -> Option<ShipmentStatus> {
        let now = kargojet_core::time::Clock::now(&self.handler.clock);
        self.lock_shipments().get(key).map(|s| s.status(now))
    }

    /// Sets the desi HepsiJET "measures" (reported in the history after acceptance).
    pub fn set_measured_desi(&self, key: &str, desi: &str) -> bool {
        match self.lock_shipments().get_mut(key) {
            Some(s) => {
                s.measured_desi = desi.to_string();
                true
            }
            None => false,
        }
    }

    /// Sets how a held shipment's delivery goes (before the clock reaches the delivery).
    pub fn set_scenario(&self, key: &str, scenario: Scenario) -> bool {
        match self.lock_shipments().get_mut(key) {
            Some(s) => {
                s.scenario = scenario;
                true
            }
            None => false,
        }
    }

    /// Revokes every issued token (the next call with one gets HTTP 401).
    pub fn revoke_tokens(&self) {
        self.handler
            .tokens
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        *self
            .handler
            .issued
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }

    fn lock_shipments(&self) -> std::sync::MutexGuard<'_, HashMap<String, SimShipment>> {
        self.handler
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner())
    }
}

impl kargojet_carrier_common::sim::SimInventory for HepsijetSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        self.lock_shipments()
            .iter()
            .map(|(key, s)| kargojet_carrier_common::sim::HeldShipment {
                reference: key.clone(),
                // HepsiJET tracks by the merchant's `customerDeliveryNo`.
                tracking_number: Some(key.clone()),
                created_at: s.created_at,
                cancelled: s.cancelled_at.is_some(),
            })
            .collect()
    }
}

/// The connector configuration of [`HepsijetSim::connector_config`] for a simulator with the
/// [`sandbox`] account listening at `base_url` (e.g. one run by `kargojet-sim`).
pub fn connector_config_for(base_url: &str) -> HepsijetConfig {
    let a = sandbox();
    HepsijetConfig {
        base_url: base_url.trim_end_matches('/').to_string(),
        username: a.username,
        password: a.password,
        apikey: None,
        company_name: a.company_name,
        company_code: a.company_code,
        xdock_code: a.xdock_code,
        warehouse: a.warehouse,
        delivery_type: DeliveryType::Retail,
        express_slot: 1,
        http: HttpConfig::fast(),
        token_refresh_early: Duration::from_secs(300),
    }
}
