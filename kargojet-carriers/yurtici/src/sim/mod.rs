//! A protocol-faithful Yurtiçi simulator on 127.0.0.1 (feature `sim`): the real endpoint path,
//! SOAP 1.1 envelopes, `SOAPAction: ""`, unqualified children, users bound to payment types,
//! the documented error codes inside HTTP 200, JAX-WS faults, shipments moving on a
//! [`ManualClock`], and the block on an identical `queryShipment` within a minute.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use kargojet_core::time::ManualClock;
//! use kargojet_yurtici::sim::YurticiSim;
//! let clock = ManualClock::new(chrono::Utc::now());
//! let sim = YurticiSim::start(clock)?;
//! sim.create_shipment().reject("60020");           // next create: duplicate key
//! sim.track().delay(std::time::Duration::from_millis(50));
//! let connector = kargojet_yurtici::Yurtici::new(sim.connector_config());
//! # Ok(()) }
//! ```

mod handler;
pub mod rules;
pub mod state;

use crate::config::{Credentials, PaymentType, Sleeper, Users, YurticiConfig};
use crate::wire::{Operation, SERVICE_PATH};
use handler::Handler;
use kargojet_carrier_common::http::HttpConfig;
use kargojet_carrier_common::sim::{FaultBuilder, SimInventory, SimRequest, SimServer};
use kargojet_core::time::ManualClock;
use rust_decimal::Decimal;
pub use state::{Script, SimShipment};
use std::sync::Arc;
use std::time::Duration;

/// A sandbox user of the simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimUser {
    /// Credentials.
    pub credentials: Credentials,
    /// The payment type the user's contract is for; `None` accepts any (like the published
    /// `YKTEST` test user, which the notes' COD example uses).
    pub payment: Option<PaymentType>,
}

/// The simulator's sandbox users: the published `YKTEST`/`YK` and one strict user per
/// payment type.
pub fn sandbox_users() -> Vec<SimUser> {
    let u = |n: &str, p: &str, t: Option<PaymentType>| SimUser {
        credentials: Credentials::new(n, p),
        payment: t,
    };
    vec![
        u("YKTEST", "YK", None),
        u("YKTESTGO", "YKGO", Some(PaymentType::SenderPays)),
        u("YKTESTNK", "YKNK", Some(PaymentType::CodCash)),
        u("YKTESTKK", "YKKK", Some(PaymentType::CodCard)),
    ]
}

/// Waits by moving a [`ManualClock`] forward: the connector's waits happen on simulated time.
#[derive(Debug, Clone)]
pub struct ManualSleeper(pub ManualClock);

#[async_trait::async_trait]
impl Sleeper for ManualSleeper {
    async fn sleep(&self, d: Duration) {
        self.0.advance(d);
        tokio::task::yield_now().await;
    }
}

/// A running Yurtiçi simulator.
pub struct YurticiSim {
    server: SimServer,
    handler: Arc<Handler>,
    clock: ManualClock,
}

impl std::fmt::Debug for YurticiSim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YurticiSim")
            .field("url", &self.endpoint())
            .finish_non_exhaustive()
    }
}

impl YurticiSim {
    /// Starts the simulator with the sandbox users on `clock` (inside a tokio runtime).
    pub fn start(clock: ManualClock) -> std::io::Result<YurticiSim> {
        Self::start_with(clock, sandbox_users())
    }

    /// Starts the simulator with `users`.
    pub fn start_with(clock: ManualClock, users: Vec<SimUser>) -> std::io::Result<YurticiSim> {
        let handler = Arc::new(Handler::new(clock.clone(), users));
        let server = SimServer::start(handler.clone())?;
        Ok(YurticiSim {
            server,
            handler,
            clock,
        })
    }

    /// The service URL (`http://127.0.0.1:PORT/KOPSWebServices/ShippingOrderDispatcherServices`).
    pub fn endpoint(&self) -> String {
        format!("{}{SERVICE_PATH}", self.server.base_url())
    }

    /// The simulated clock.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// The HTTP server (request log, fault rules, persistence hooks).
    pub fn server(&self) -> &SimServer {
        &self.server
    }

    /// A connector configuration pointing here, with the strict sandbox users (one per
    /// payment type), the simulated clock and sleeper, short deadlines and the test
    /// `fieldName` 53.
    pub fn connector_config(&self) -> YurticiConfig {
        connector_config_for(&self.server.base_url(), &self.clock)
    }

    /// Alias of [`YurticiSim::connector_config`].
    pub fn config(&self) -> YurticiConfig {
        self.connector_config()
    }

    /// Faults for the next `createShipment` calls.
    pub fn create_shipment(&self) -> FaultBuilder {
        self.server.faults().on(Operation::CreateShipment.name())
    }

    /// Faults for the next `queryShipment` calls.
    pub fn query_shipment(&self) -> FaultBuilder {
        self.server.faults().on(Operation::QueryShipment.name())
    }

    /// Faults for the next tracking calls (`queryShipment`).
    pub fn track(&self) -> FaultBuilder {
        self.query_shipment()
    }

    /// Faults for the next `cancelShipment` calls.
    pub fn cancel_shipment(&self) -> FaultBuilder {
        self.server.faults().on(Operation::CancelShipment.name())
    }

    /// Faults for the next `saveReturnShipmentCode` calls.
    pub fn save_return_shipment_code(&self) -> FaultBuilder {
        self.server
            .faults()
            .on(Operation::SaveReturnShipmentCode.name())
    }

    /// Faults for the next `cancelReturnShipmentCode` calls.
    pub fn cancel_return_shipment_code(&self) -> FaultBuilder {
        self.server
            .faults()
            .on(Operation::CancelReturnShipmentCode.name())
    }

    /// How many shipments the carrier holds with this `cargoKey` (0 or 1: keys are unique).
    pub fn shipment_count(&self, cargo_key: &str) -> usize {
        usize::from(self.handler.shipment(cargo_key).is_some())
    }

    /// The shipment held for `cargo_key`.
    pub fn shipment(&self, cargo_key: &str) -> Option<SimShipment> {
        self.handler.shipment(cargo_key)
    }

    /// Every shipment held, by key.
    pub fn shipments(&self) -> Vec<SimShipment> {
        self.handler.shipments()
    }

    /// Gives a held shipment another script (e.g. a failed delivery and return).
    pub fn set_script(&self, cargo_key: &str, script: Script) -> bool {
        self.handler.update(cargo_key, |s| s.script = script)
    }

    /// Sets what the branch measures for a shipment (reported after acceptance).
    pub fn set_measurement(
        &self,
        cargo_key: &str,
        desi: Decimal,
        kg: Decimal,
        amount: Option<Decimal>,
    ) -> bool {
        self.handler.update(cargo_key, |s| {
            s.measured = (desi, kg);
            s.amount = amount;
        })
    }

    /// Whether a return code is registered and active.
    pub fn return_code_active(&self, field_name: &str, code: &str) -> bool {
        self.handler.return_code_active(field_name, code)
    }

    /// Requests received for an operation.
    pub fn requests_for(&self, op: Operation) -> Vec<SimRequest> {
        self.server.requests_for(op.name())
    }

    /// How many requests arrived for an operation.
    pub fn calls(&self, op: Operation) -> usize {
        self.server.calls(op.name())
    }

    /// How many identical queries were blocked.
    pub fn blocked_queries(&self) -> usize {
        self.handler.blocked_queries()
    }
}

impl SimInventory for YurticiSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        self.shipments()
            .into_iter()
            .map(|s| kargojet_carrier_common::sim::HeldShipment {
                reference: s.order.cargo_key.clone().unwrap_or_default(),
                tracking_number: Some(s.doc_id.to_string()),
                created_at: s.created_at,
                cancelled: s.cancelled_at.is_some(),
            })
            .collect()
    }
}

/// The connector configuration of [`YurticiSim::connector_config`] for a simulator with the
/// sandbox users listening at `base_url` (`http://127.0.0.1:PORT`, e.g. one run by
/// `kargojet-sim` in another process), on `clock`.
pub fn connector_config_for(base_url: &str, clock: &ManualClock) -> YurticiConfig {
    let users = Users {
        sender_pays: Some(Credentials::new("YKTESTGO", "YKGO")),
        receiver_pays: None,
        cod_cash: Some(Credentials::new("YKTESTNK", "YKNK")),
        cod_card: Some(Credentials::new("YKTESTKK", "YKKK")),
    };
    let mut c = YurticiConfig::new(
        format!("{}{SERVICE_PATH}", base_url.trim_end_matches('/')),
        users,
    );
    c.return_field_name = "53".into();
    c.clock = Arc::new(clock.clone());
    c.sleeper = Arc::new(ManualSleeper(clock.clone()));
    c.http = HttpConfig::fast();
    c.write_timeout = Duration::from_millis(800);
    c.read_timeout = Duration::from_millis(800);
    c
}
