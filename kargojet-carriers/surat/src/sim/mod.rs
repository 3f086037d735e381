//! A simulator of Sürat Kargo on 127.0.0.1 (feature `sim`): the ASMX SOAP service
//! (`/services.asmx`) and REST tracking (`/api/KargoTakipHareketDetayi`) with Sürat's
//! envelopes, `SOAPAction` values, element names, result strings and codes; a per-shipment
//! life advanced by a [`ManualClock`]; and fault injection that reads like the protocol.
//!
//! ```
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?.block_on(async {
//! use kargojet_core::time::ManualClock;
//! use kargojet_surat::sim::SuratSim;
//!
//! let sim = SuratSim::start(ManualClock::new(chrono::Utc::now())).map_err(|e| e.to_string())?;
//! sim.create_shipment().reject("006"); // next create answers "[006] Desi/kg sıfırdan büyük olmalı"
//! let connector = sim.connector().map_err(|e| e.to_string())?;
//! # drop(connector);
//! # Ok::<(), String>(()) })?;
//! # Ok::<(), String>(())
//! ```

mod handler;
mod shipment;

pub use handler::TRACK_OP;
pub use shipment::{ACCEPTANCE_AFTER, Scenario, SimShipment, Stage, price, timeline};

use crate::Surat;
use crate::config::{SuratAccount, SuratConfig};
use crate::wire::Operation;
use kargojet_carrier_common::http::HttpConfig;
use kargojet_carrier_common::sim::{FaultBuilder, SimRequest, SimServer};
use kargojet_core::error::Result;
use kargojet_core::time::ManualClock;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// Who the simulator knows and how it behaves.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// Known accounts (the main and the COD test caris by default).
    pub accounts: Vec<SuratAccount>,
    /// The cari that alone may create COD shipments (`None`: any cari may).
    pub cod_cari: Option<String>,
    /// Caris authorized for `GonderiyiKargoyaGonderYeniSiparisBarkodOlustur`.
    pub barcode_caris: Vec<String>,
}

impl Default for SimOptions {
    fn default() -> Self {
        let test = SuratConfig::test();
        let cod = test.cod_account.clone();
        SimOptions {
            cod_cari: cod.as_ref().map(|c| c.cari_kodu.clone()),
            accounts: std::iter::once(test.account).chain(cod).collect(),
            barcode_caris: Vec::new(),
        }
    }
}

/// The simulator's shared state.
#[derive(Debug)]
pub(crate) struct SimState {
    pub(crate) clock: ManualClock,
    pub(crate) accounts: Vec<SuratAccount>,
    pub(crate) cod_cari: Option<String>,
    pub(crate) barcode_caris: Vec<String>,
    shipments: Mutex<BTreeMap<String, SimShipment>>,
    scenarios: Mutex<(Scenario, BTreeMap<String, Scenario>)>,
    measured: Mutex<BTreeMap<String, Decimal>>,
    seq: AtomicU64,
}

impl SimState {
    pub(crate) fn lock(&self) -> MutexGuard<'_, BTreeMap<String, SimShipment>> {
        self.shipments.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn next_seq(&self) -> u64 {
        self.seq.fetch_add(1, Ordering::Relaxed) + 1
    }

    pub(crate) fn scenario_for(&self, key: &str) -> Scenario {
        let s = self.scenarios.lock().unwrap_or_else(|p| p.into_inner());
        s.1.get(key).copied().unwrap_or(s.0)
    }

    pub(crate) fn measured_for(&self, key: &str) -> Option<Decimal> {
        self.measured
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(key)
            .copied()
    }
}

/// A running Sürat simulator.
#[derive(Debug)]
pub struct SuratSim {
    server: SimServer,
    state: Arc<SimState>,
}

impl SuratSim {
    /// Starts a simulator with the test accounts, driven by `clock`. Needs a tokio runtime.
    pub fn start(clock: ManualClock) -> std::io::Result<SuratSim> {
        Self::start_with(clock, SimOptions::default())
    }

    /// Starts a simulator with `options`.
    pub fn start_with(clock: ManualClock, options: SimOptions) -> std::io::Result<SuratSim> {
        let state = Arc::new(SimState {
            clock,
            accounts: options.accounts,
            cod_cari: options.cod_cari,
            barcode_caris: options.barcode_caris,
            shipments: Mutex::default(),
            scenarios: Mutex::default(),
            measured: Mutex::default(),
            seq: AtomicU64::new(0),
        });
        let server = SimServer::start(Arc::new(handler::Handler {
            state: state.clone(),
        }))?;
        Ok(SuratSim { server, state })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server (request log, raw fault rules).
    pub fn server(&self) -> &SimServer {
        &self.server
    }

    /// The simulator's clock.
    pub fn clock(&self) -> &ManualClock {
        &self.state.clock
    }

    /// A connector configuration pointing at this simulator with the valid test credentials
    /// and short test deadlines.
    pub fn config(&self) -> SuratConfig {
        let mut c = SuratConfig::test().with_base_url(&self.base_url());
        c.http = HttpConfig::fast();
        c.create_timeout = std::time::Duration::from_secs(2);
        c.query_timeout = std::time::Duration::from_secs(2);
        c
    }

    /// Alias of [`SuratSim::config`].
    pub fn connector_config(&self) -> SuratConfig {
        self.config()
    }

    /// A connector for [`SuratSim::config`].
    pub fn connector(&self) -> Result<Surat> {
        Surat::new(self.config())
    }

    /// The scenario of shipments created from now on (default: delivered).
    pub fn set_scenario(&self, scenario: Scenario) {
        self.state
            .scenarios
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0 = scenario;
    }

    /// The scenario of the shipment that will be created with `key`.
    pub fn set_scenario_for(&self, key: &str, scenario: Scenario) {
        self.state
            .scenarios
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .1
            .insert(key.into(), scenario);
    }

    /// The desi the branch will measure for `key` (default: the declared one).
    pub fn set_measured_desi(&self, key: &str, desi: Decimal) {
        self.state
            .measured
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(key.into(), desi);
    }

    /// How many shipments the simulator holds for `key` (0 or 1: Sürat keeps one per key).
    pub fn shipment_count(&self, key: &str) -> usize {
        usize::from(self.state.lock().contains_key(key))
    }

    /// Every shipment held.
    pub fn shipments(&self) -> Vec<SimShipment> {
        self.state.lock().values().cloned().collect()
    }

    /// The shipment held for `key`.
    pub fn shipment(&self, key: &str) -> Option<SimShipment> {
        self.state.lock().get(key).cloned()
    }

    /// Requests received for a Sürat operation name (`GonderiyiKargoyaGonderYeni`, …).
    pub fn requests_for(&self, op: &str) -> Vec<SimRequest> {
        self.server.requests_for(op)
    }

    /// Faults for `GonderiyiKargoyaGonderYeni`.
    pub fn create_shipment(&self) -> FaultBuilder {
        self.server.faults().on(Operation::Create.name())
    }

    /// Faults for `GonderiyiKargoyaGonderYeniSiparisBarkodOlustur`.
    pub fn create_with_barcode(&self) -> FaultBuilder {
        self.server.faults().on(Operation::CreateWithBarcode.name())
    }

    /// Faults for `GonderiGeriCek`.
    pub fn cancel(&self) -> FaultBuilder {
        self.server.faults().on(Operation::Cancel.name())
    }

    /// Faults for `KargoBarkodu`.
    pub fn label(&self) -> FaultBuilder {
        self.server.faults().on(Operation::Label.name())
    }

    /// Faults for tracking (REST and SOAP `KargoTakipHareketDetayi`).
    pub fn track(&self) -> FaultBuilder {
        self.server.faults().on(TRACK_OP)
    }
}

impl kargojet_carrier_common::sim::SimInventory for SuratSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        self.state
            .lock()
            .iter()
            .map(|(key, s)| kargojet_carrier_common::sim::HeldShipment {
                reference: key.clone(),
                tracking_number: Some(s.kargo_takip_no.clone()),
                created_at: s.created_at,
                cancelled: s.cancelled_at.is_some(),
            })
            .collect()
    }
}

/// The connector configuration of [`SuratSim::config`] for a simulator with the test
/// accounts listening at `base_url` (e.g. one run by `kargojet-sim`).
pub fn connector_config_for(base_url: &str) -> SuratConfig {
    let mut c = SuratConfig::test().with_base_url(base_url.trim_end_matches('/'));
    c.http = HttpConfig::fast();
    c.create_timeout = std::time::Duration::from_secs(2);
    c.query_timeout = std::time::Duration::from_secs(2);
    c
}
