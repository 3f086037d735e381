//! The Sendeo simulator (feature `sim`): the carrier's paths, envelope, keys and codes on
//! 127.0.0.1; tokens issued by `LoginAES` and expired after 20 hours of the shared
//! [`ManualClock`]; a user blocked after repeated bad logins; `GetCityDistricts` for every
//! province; per-shipment timelines of status ids (101 → 102 → 132 → 103 … 110 → 109 → 111, 139
//! on cancel, 114/113/131/151 in the other scenarios); `TRACKDELIVERY` answered from a
//! 30-minute cache; fault builders named after the protocol's operations.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use kargojet_core::time::ManualClock;
//! use kargojet_sendeo::sim::SendeoSim;
//! let clock = ManualClock::new(chrono::Utc::now());
//! let sim = SendeoSim::start(clock.clone())?;
//! let carrier = kargojet_sendeo::Sendeo::with_clock(sim.connector_config(), std::sync::Arc::new(clock))?;
//! sim.create_shipment().timeout().after_processing();
//! # let _ = carrier; Ok(()) }
//! ```

mod geo;
mod handler;
mod state;

pub use geo::{PUBLISHED_IDS, SimDistrict};
pub use handler::{
    BAD_LOGIN, BLOCKED, COD_ABOVE_CAP, DUPLICATE_REFERENCE, FIRST_TRACKING_NUMBER, TRACK_CACHE,
    operation_of, pdf_label,
};
pub use state::{Scenario, SimShipment, price_for, timeline, timeline_for, with_vat};

use crate::config::{LabelType, SendeoConfig};
use handler::{Handler, lock};
use kargojet_carrier_common::http::HttpConfig;
use kargojet_carrier_common::sim::{FaultBuilder, SimRequest, SimServer};
use kargojet_core::geo::Plate;
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The API user the simulator knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    /// `musteri`.
    pub username: String,
    /// `sifre`.
    pub password: String,
    /// `CustomerId` (the `ccode` of tracking URLs).
    pub customer_id: u64,
    /// The account's title (the sender of `DeliveryType` 1 in tracking answers).
    pub title: String,
    /// Bad logins in a row after which the user is blocked.
    pub max_bad_logins: u32,
}

/// The shared test account of the notes (`TEST` / `TesT.43e54`, customer 111111), blocked after
/// 5 bad logins in a row.
pub fn sandbox() -> Account {
    Account {
        username: "TEST".into(),
        password: "TesT.43e54".into(),
        customer_id: 111_111,
        title: "KargoJet".into(),
        max_bad_logins: 5,
    }
}

/// A running Sendeo simulator.
#[derive(Debug)]
pub struct SendeoSim {
    server: SimServer,
    handler: Arc<Handler>,
}

impl SendeoSim {
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
            bad_logins: Mutex::new(HashMap::new()),
            next_number: Mutex::new(FIRST_TRACKING_NUMBER),
            requests: Mutex::new(0),
            track_cache: Mutex::new(HashMap::new()),
            track_cache_for: Mutex::new(TRACK_CACHE),
        });
        let server = SimServer::start(handler.clone())?;
        Ok(SendeoSim { server, handler })
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
    pub fn connector_config(&self) -> SendeoConfig {
        let a = &self.handler.account;
        SendeoConfig {
            http: HttpConfig::fast(),
            label: LabelType::Zpl,
            ..SendeoConfig::new(&self.base_url(), &a.username, &a.password)
        }
    }

    /// Same as [`SendeoSim::connector_config`].
    pub fn config(&self) -> SendeoConfig {
        self.connector_config()
    }

    /// Faults of `POST /api/Token/LoginAES`.
    pub fn login(&self) -> FaultBuilder {
        self.server.faults().on("LoginAES")
    }

    /// Faults of `POST /api/Cargo/SETDELIVERY`.
    pub fn create_shipment(&self) -> FaultBuilder {
        self.server.faults().on("SETDELIVERY")
    }

    /// Faults of `GET /api/Cargo/TRACKDELIVERY`.
    pub fn track(&self) -> FaultBuilder {
        self.server.faults().on("TRACKDELIVERY")
    }

    /// Faults of `POST /api/Cargo/CANCELDELIVERY`.
    pub fn cancel(&self) -> FaultBuilder {
        self.server.faults().on("CANCELDELIVERY")
    }

    /// Faults of `POST /api/Cargo/GETBARCODE`.
    pub fn label(&self) -> FaultBuilder {
        self.server.faults().on("GETBARCODE")
    }

    /// Faults of `POST /api/Cargo/CARGOMEASUREMENTUPDATE`.
    pub fn measurement_update(&self) -> FaultBuilder {
        self.server.faults().on("CARGOMEASUREMENTUPDATE")
    }

    /// Faults of `GET /api/Cargo/GetCityDistricts`.
    pub fn city_districts(&self) -> FaultBuilder {
        self.server.faults().on("GetCityDistricts")
    }

    /// How many requests reached operation `op` (e.g. `LoginAES`).
    pub fn calls(&self, op: &str) -> usize {
        self.server.calls(op)
    }

    /// The requests of operation `op`.
    pub fn requests_for(&self, op: &str) -> Vec<SimRequest> {
        self.server.requests_for(op)
    }

    /// How many shipments the simulator holds with this `ReferenceNo` (0 or 1).
    pub fn shipments_with_key(&self, key: &str) -> usize {
        usize::from(lock(&self.handler.shipments).contains_key(key))
    }

    /// Every shipment held.
    pub fn shipment_count(&self) -> usize {
        lock(&self.handler.shipments).len()
    }

    /// A held shipment.
    pub fn shipment(&self, key: &str) -> Option<SimShipment> {
        lock(&self.handler.shipments).get(key).cloned()
    }

    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        kargojet_core::time::Clock::now(&self.handler.clock)
    }

    /// The status id of a shipment now.
    pub fn state_of(&self, key: &str) -> Option<u16> {
        let now = self.now();
        lock(&self.handler.shipments).get(key).map(|s| s.state(now))
    }

    /// The normalized status of a shipment now.
    pub fn status_of(&self, key: &str) -> Option<ShipmentStatus> {
        let now = self.now();
        lock(&self.handler.shipments)
            .get(key)
            .map(|s| s.status(now))
    }

    /// Sets the desi Sendeo "measures" at 132 (reported from then on).
    pub fn set_measured_desi(&self, key: &str, desi: Decimal) -> bool {
        match lock(&self.handler.shipments).get_mut(key) {
            Some(s) => {
                s.measured_desi = Some(desi);
                true
            }
            None => false,
        }
    }

    /// Sets how a held shipment's delivery goes (before the clock reaches the delivery).
    pub fn set_scenario(&self, key: &str, scenario: Scenario) -> bool {
        match lock(&self.handler.shipments).get_mut(key) {
            Some(s) => {
                s.scenario = scenario;
                true
            }
            None => false,
        }
    }

    /// How long `TRACKDELIVERY` answers from its cache (default 30 minutes; zero: no cache).
    pub fn set_track_cache(&self, d: Duration) {
        *lock(&self.handler.track_cache_for) = d;
        lock(&self.handler.track_cache).clear();
    }

    /// Revokes every issued token (the next call with one gets HTTP 401).
    pub fn revoke_tokens(&self) {
        lock(&self.handler.tokens).clear();
    }

    /// Tokens issued so far.
    pub fn tokens_issued(&self) -> u64 {
        *lock(&self.handler.issued)
    }

    /// Bad logins in a row of `user`.
    pub fn bad_logins(&self, user: &str) -> u32 {
        lock(&self.handler.bad_logins)
            .get(user)
            .copied()
            .unwrap_or(0)
    }

    /// Whether `user` is blocked.
    pub fn is_blocked(&self, user: &str) -> bool {
        self.bad_logins(user) >= self.handler.account.max_bad_logins
    }

    /// Unblocks `user` (what Sendeo's integration team does on request).
    pub fn unblock(&self, user: &str) {
        lock(&self.handler.bad_logins).remove(user);
    }

    /// The district id the simulator gives an official district of `plate`.
    pub fn district_id(&self, plate: Plate, district: &str) -> Option<i64> {
        geo::district_id(plate, district)
    }
}

impl kargojet_carrier_common::sim::SimInventory for SendeoSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        lock(&self.handler.shipments)
            .iter()
            .map(|(key, s)| kargojet_carrier_common::sim::HeldShipment {
                reference: key.clone(),
                tracking_number: Some(s.tracking_number.to_string()),
                created_at: s.created_at,
                cancelled: s.cancelled_at.is_some(),
            })
            .collect()
    }
}

/// The connector configuration of [`SendeoSim::connector_config`] for a simulator with the
/// [`sandbox`] account listening at `base_url` (e.g. one run by `kargojet-sim`).
pub fn connector_config_for(base_url: &str) -> SendeoConfig {
    let a = sandbox();
    SendeoConfig {
        http: HttpConfig::fast(),
        label: LabelType::Zpl,
        ..SendeoConfig::new(base_url.trim_end_matches('/'), &a.username, &a.password)
    }
}
