//! The MNG simulator (feature `sim`): ApiZone's paths, headers, envelopes and codes under
//! `/mngapi/api` on 127.0.0.1, JWTs issued and expired on the shared [`ManualClock`], CBS city
//! and district codes, orders converted into shipments by `createbarcode` whose status walks
//! 1 → 2 → 3 → 4 → 5 as the clock advances, and the legacy SOAP service for future returns;
//! fault builders named after the protocol's operations.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use kargojet_core::time::ManualClock;
//! use kargojet_mng::sim::MngSim;
//! let clock = ManualClock::new(chrono::Utc::now());
//! let sim = MngSim::start(clock.clone())?;
//! let carrier = kargojet_mng::Mng::with_clock(sim.connector_config(), std::sync::Arc::new(clock))?;
//! sim.create_barcode().timeout(); // createOrder succeeds, createbarcode never answers
//! # let _ = carrier; Ok(()) }
//! ```

mod cbs;
mod handler;
mod legacy;
mod state;

pub use cbs::{cities, district_name, districts};
pub use handler::{LEGACY_PATH, api_error, gateway_error, operation_of};
pub use state::{
    Scenario, SimOrder, SimReturn, SimShipment, mng_time, price, return_timeline, timeline_for,
    tracking_url, zpl,
};

use crate::config::{LegacyConfig, MngConfig};
use crate::wire;
use handler::{Handler, lock};
use kargojet_carrier_common::http::HttpConfig;
use kargojet_carrier_common::sim::{FaultBuilder, SimRequest, SimServer};
use kargojet_core::time::{Clock, ManualClock};
use kargojet_core::tracking::ShipmentStatus;
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The account the simulator knows.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// `X-IBM-Client-Id`.
    pub client_id: String,
    /// `X-IBM-Client-Secret`.
    pub client_secret: String,
    /// `customerNumber` of `/token`.
    pub customer_number: String,
    /// `password` of `/token`.
    pub password: String,
    /// How long an issued JWT lives.
    pub token_lifetime: Duration,
    /// `pKullaniciAdi` of the legacy service.
    pub legacy_username: String,
    /// `pSifre` of the legacy service.
    pub legacy_password: String,
    /// The accepting branch's code (`shipperBranchCode`).
    pub branch_code: String,
    /// The accepting branch's name (`shipperBranch`).
    pub branch_name: String,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("client_id", &self.client_id)
            .field("customer_number", &self.customer_number)
            .finish_non_exhaustive()
    }
}

/// The sandbox account of the notes' examples: client id `3f1c...e9`, secret `Qw8...zz`,
/// customer `123456789` / `ApiUser!23`, legacy `1234567890` / `ABCDEF123`, JWTs for 60 minutes.
pub fn sandbox() -> Account {
    Account {
        client_id: "3f1c...e9".into(),
        client_secret: "Qw8...zz".into(),
        customer_number: "123456789".into(),
        password: "ApiUser!23".into(),
        token_lifetime: Duration::from_secs(60 * 60),
        legacy_username: "1234567890".into(),
        legacy_password: "ABCDEF123".into(),
        branch_code: "3502".into(),
        branch_name: "KARGOJET SANDBOX ŞUBE".into(),
    }
}

/// A running MNG simulator.
#[derive(Debug)]
pub struct MngSim {
    server: SimServer,
    handler: Arc<Handler>,
}

impl MngSim {
    /// Starts the simulator with the [`sandbox`] account (inside a tokio runtime).
    pub fn start(clock: ManualClock) -> std::io::Result<Self> {
        Self::start_with(clock, sandbox())
    }

    /// Starts the simulator for `account`.
    pub fn start_with(clock: ManualClock, account: Account) -> std::io::Result<Self> {
        let handler = Arc::new(Handler {
            clock,
            account,
            orders: Mutex::new(HashMap::new()),
            returns: Mutex::new(HashMap::new()),
            tokens: Mutex::new(HashMap::new()),
            issued: Mutex::new(0),
            shipments_made: Mutex::new(0),
        });
        let server = SimServer::start(handler.clone())?;
        Ok(MngSim { server, handler })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// `http://127.0.0.1:<port>/mngapi/api`, the connector's `base_url`.
    pub fn api_url(&self) -> String {
        format!("{}{}", self.base_url(), wire::API_PREFIX)
    }

    /// The URL of the legacy SOAP service.
    pub fn legacy_url(&self) -> String {
        format!("{}{LEGACY_PATH}", self.base_url())
    }

    /// The underlying server (request log, all faults).
    pub fn server(&self) -> &SimServer {
        &self.server
    }

    /// A connector configuration pointing here with the sandbox credentials, the legacy login
    /// and fast timeouts.
    pub fn connector_config(&self) -> MngConfig {
        let a = &self.handler.account;
        let mut c = MngConfig::new(
            self.api_url(),
            a.client_id.clone(),
            a.client_secret.clone(),
            a.customer_number.clone(),
            a.password.clone(),
        );
        c.legacy = Some(LegacyConfig {
            url: self.legacy_url(),
            username: a.legacy_username.clone(),
            password: a.legacy_password.clone(),
            return_payment: wire::PAY_RECEIVER,
        });
        c.http = HttpConfig::fast();
        c
    }

    /// Faults of `POST /token`.
    pub fn token(&self) -> FaultBuilder {
        self.server.faults().on("token")
    }

    /// Faults of `GET /cbsinfoapi/getcities`.
    pub fn cities(&self) -> FaultBuilder {
        self.server.faults().on("getcities")
    }

    /// Faults of `GET /cbsinfoapi/getdistricts/{cityCode}`.
    pub fn districts(&self) -> FaultBuilder {
        self.server.faults().on("getdistricts")
    }

    /// Faults of `POST /standardcmdapi/createOrder`.
    pub fn create_order(&self) -> FaultBuilder {
        self.server.faults().on("createOrder")
    }

    /// Same as [`MngSim::create_order`]: the first call of a create.
    pub fn create_shipment(&self) -> FaultBuilder {
        self.create_order()
    }

    /// Faults of `POST /barcodecmdapi/createbarcode` (the second call of a create).
    pub fn create_barcode(&self) -> FaultBuilder {
        self.server.faults().on("createbarcode")
    }

    /// Faults of `PUT /standardcmdapi/cancelorder/{referenceId}`.
    pub fn cancel(&self) -> FaultBuilder {
        self.server.faults().on("cancelorder")
    }

    /// Faults of both status calls (`getshipmentstatus` and `…ByShipmentId`).
    pub fn track(&self) -> FaultBuilder {
        self.server.faults().on("getshipmentstatus")
    }

    /// Faults of the legacy `GelecekIadeSiparisKayit`.
    pub fn return_create(&self) -> FaultBuilder {
        self.server.faults().on(wire::OP_RETURN_CREATE)
    }

    /// Faults of the legacy `GelecekIadeSiparisIptali`.
    pub fn return_cancel(&self) -> FaultBuilder {
        self.server.faults().on(wire::OP_RETURN_CANCEL)
    }

    /// Faults of the legacy `GelecekIadeSiparisKontrol`.
    pub fn return_status(&self) -> FaultBuilder {
        self.server.faults().on(wire::OP_RETURN_STATUS)
    }

    /// How many requests reached operation `op` (e.g. `token`, `createOrder`).
    pub fn calls(&self, op: &str) -> usize {
        self.server.calls(op)
    }

    /// The requests of operation `op`.
    pub fn requests_for(&self, op: &str) -> Vec<SimRequest> {
        self.server.requests_for(op)
    }

    /// Every order held (converted or not, cancelled or not).
    pub fn order_count(&self) -> usize {
        lock(&self.handler.orders).len()
    }

    /// How many orders have `referenceId` `key` (0 or 1: duplicates are refused).
    pub fn orders_with_key(&self, key: &str) -> usize {
        usize::from(lock(&self.handler.orders).contains_key(key))
    }

    /// How many orders were converted into shipments.
    pub fn shipment_count(&self) -> usize {
        lock(&self.handler.orders)
            .values()
            .filter(|o| o.shipment.is_some())
            .count()
    }

    /// A held order.
    pub fn order(&self, key: &str) -> Option<SimOrder> {
        lock(&self.handler.orders).get(key).cloned()
    }

    /// The simulated status of an order now (`None` before conversion, `Cancelled` after a
    /// cancel).
    pub fn status_of(&self, key: &str) -> Option<ShipmentStatus> {
        let now = self.handler.clock.now();
        lock(&self.handler.orders)
            .get(key)
            .and_then(|o| o.status(now))
    }

    /// Sets how a converted shipment's delivery goes.
    pub fn set_scenario(&self, key: &str, scenario: Scenario) -> bool {
        match lock(&self.handler.orders)
            .get_mut(key)
            .and_then(|o| o.shipment.as_mut())
        {
            Some(s) => {
                s.scenario = scenario;
                true
            }
            None => false,
        }
    }

    /// Sets the desi and kg MNG "measures" at acceptance (reported from status 2 on).
    pub fn set_measured(&self, key: &str, desi: Decimal, kg: Decimal) -> bool {
        match lock(&self.handler.orders)
            .get_mut(key)
            .and_then(|o| o.shipment.as_mut())
        {
            Some(s) => {
                s.measured_desi = desi;
                s.measured_kg = kg;
                true
            }
            None => false,
        }
    }

    /// A held future return order.
    pub fn return_order(&self, key: &str) -> Option<SimReturn> {
        lock(&self.handler.returns).get(key).cloned()
    }

    /// Every future return order held.
    pub fn return_count(&self) -> usize {
        lock(&self.handler.returns).len()
    }

    /// Revokes every issued JWT (the next call with one gets HTTP 401).
    pub fn revoke_tokens(&self) {
        lock(&self.handler.tokens).clear();
    }

    /// JWTs issued so far.
    pub fn tokens_issued(&self) -> u64 {
        *lock(&self.handler.issued)
    }
}

impl kargojet_carrier_common::sim::SimInventory for MngSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        lock(&self.handler.orders)
            .iter()
            .map(|(key, o)| kargojet_carrier_common::sim::HeldShipment {
                reference: key.clone(),
                tracking_number: o.shipment.as_ref().map(|s| s.shipment_id.clone()),
                created_at: o.created_at,
                cancelled: o.cancelled_at.is_some(),
            })
            .collect()
    }
}

/// The connector configuration of [`MngSim::connector_config`] for a simulator with the
/// [`sandbox`] account listening at `base_url` (e.g. one run by `kargojet-sim`).
pub fn connector_config_for(base_url: &str) -> MngConfig {
    let a = sandbox();
    let base = base_url.trim_end_matches('/');
    let mut c = MngConfig::new(
        format!("{base}{}", wire::API_PREFIX),
        a.client_id.clone(),
        a.client_secret.clone(),
        a.customer_number.clone(),
        a.password.clone(),
    );
    c.legacy = Some(LegacyConfig {
        url: format!("{base}{LEGACY_PATH}"),
        username: a.legacy_username.clone(),
        password: a.legacy_password.clone(),
        return_payment: wire::PAY_RECEIVER,
    });
    c.http = HttpConfig::fast();
    c
}
