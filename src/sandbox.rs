//! The sandbox: every enabled carrier's protocol simulator started in-process on 127.0.0.1,
//! sharing one simulated clock, with connectors pointed at them — the embedded default for
//! examples, tests, demos and the bindings' `KargoJet.sandbox()`. No network, no set-up.
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let sandbox = kargojet::sandbox::Sandbox::start()?;
//! let orchestrator = sandbox.orchestrator()?.build()?;
//! # let _ = orchestrator; Ok(()) }
//! ```

use kargojet_core::carrier::{AccountId, Carrier};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::orchestrator::{Orchestrator, OrchestratorBuilder};
use kargojet_core::pricing;
use kargojet_core::time::{ManualClock, SharedClock};
use std::sync::Arc;
use std::time::Duration;

/// Running simulators and their clock. Dropping it stops them.
pub struct Sandbox {
    clock: ManualClock,
    connectors: Vec<Arc<dyn Carrier>>,
    /// The Yurtiçi simulator.
    #[cfg(feature = "yurtici")]
    pub yurtici: kargojet_yurtici::sim::YurticiSim,
    /// The Aras simulator.
    #[cfg(feature = "aras")]
    pub aras: kargojet_aras::sim::ArasSim,
    /// The PTT simulator.
    #[cfg(feature = "ptt")]
    pub ptt: kargojet_ptt::sim::PttSim,
    /// The Sürat simulator.
    #[cfg(feature = "surat")]
    pub surat: kargojet_surat::sim::SuratSim,
    /// The HepsiJET simulator.
    #[cfg(feature = "hepsijet")]
    pub hepsijet: kargojet_hepsijet::sim::HepsijetSim,
    /// The Sendeo simulator.
    #[cfg(feature = "sendeo")]
    pub sendeo: kargojet_sendeo::sim::SendeoSim,
    /// The MNG simulator.
    #[cfg(feature = "mng")]
    pub mng: kargojet_mng::sim::MngSim,
    /// The Kolay Gelsin simulator.
    #[cfg(feature = "kolaygelsin")]
    pub kolaygelsin: kargojet_kolaygelsin::sim::KolayGelsinSim,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field(
                "carriers",
                &self.connectors.iter().map(|c| c.id()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

fn sim_error(carrier: &str, e: std::io::Error) -> Error {
    Error::internal(format!("could not start the {carrier} simulator: {e}"))
}

impl Sandbox {
    /// Starts every simulator with a clock at the current time (must run inside a tokio
    /// runtime: the simulators are tokio servers).
    pub fn start() -> Result<Sandbox> {
        Sandbox::start_at(ManualClock::new(chrono::Utc::now()))
    }

    /// Starts every simulator on `clock` (tests control time through it).
    pub fn start_at(clock: ManualClock) -> Result<Sandbox> {
        let mut connectors: Vec<Arc<dyn Carrier>> = Vec::new();
        // Connectors with tokens or dates follow the simulators' clock: a token the simulator
        // expires is one the connector refreshes in time, not one it learns about from a 401.
        #[allow(unused_variables)]
        let shared: SharedClock = Arc::new(clock.clone());
        #[cfg(feature = "yurtici")]
        let yurtici = {
            let sim = kargojet_yurtici::sim::YurticiSim::start(clock.clone())
                .map_err(|e| sim_error("Yurtiçi", e))?;
            connectors.push(Arc::new(kargojet_yurtici::Yurtici::new(
                sim.connector_config(),
            )?));
            sim
        };
        #[cfg(feature = "aras")]
        let aras = {
            let sim = kargojet_aras::sim::ArasSim::start(clock.clone())
                .map_err(|e| sim_error("Aras", e))?;
            connectors.push(Arc::new(kargojet_aras::Aras::new(sim.connector_config())?));
            sim
        };
        #[cfg(feature = "ptt")]
        let ptt = {
            let sim =
                kargojet_ptt::sim::PttSim::start(clock.clone()).map_err(|e| sim_error("PTT", e))?;
            connectors.push(Arc::new(kargojet_ptt::Ptt::new(sim.connector_config())?));
            sim
        };
        #[cfg(feature = "surat")]
        let surat = {
            let sim = kargojet_surat::sim::SuratSim::start(clock.clone())
                .map_err(|e| sim_error("Sürat", e))?;
            connectors.push(Arc::new(kargojet_surat::Surat::new(
                sim.connector_config(),
            )?));
            sim
        };
        #[cfg(feature = "hepsijet")]
        let hepsijet = {
            let sim = kargojet_hepsijet::sim::HepsijetSim::start(clock.clone())
                .map_err(|e| sim_error("HepsiJET", e))?;
            connectors.push(Arc::new(kargojet_hepsijet::Hepsijet::with_clock(
                sim.connector_config(),
                shared.clone(),
            )?));
            sim
        };
        #[cfg(feature = "sendeo")]
        let sendeo = {
            let sim = kargojet_sendeo::sim::SendeoSim::start(clock.clone())
                .map_err(|e| sim_error("Sendeo", e))?;
            connectors.push(Arc::new(kargojet_sendeo::Sendeo::with_clock(
                sim.connector_config(),
                shared.clone(),
            )?));
            sim
        };
        #[cfg(feature = "mng")]
        let mng = {
            let sim =
                kargojet_mng::sim::MngSim::start(clock.clone()).map_err(|e| sim_error("MNG", e))?;
            connectors.push(Arc::new(kargojet_mng::Mng::with_clock(
                sim.connector_config(),
                shared.clone(),
            )?));
            sim
        };
        #[cfg(feature = "kolaygelsin")]
        let kolaygelsin = {
            let sim = kargojet_kolaygelsin::sim::KolayGelsinSim::start(clock.clone())
                .map_err(|e| sim_error("Kolay Gelsin", e))?;
            connectors.push(Arc::new(kargojet_kolaygelsin::KolayGelsin::new(
                sim.connector_config(),
            )?));
            sim
        };
        if connectors.is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "features",
                "no carrier feature is enabled",
            ));
        }
        Ok(Sandbox {
            clock,
            connectors,
            #[cfg(feature = "yurtici")]
            yurtici,
            #[cfg(feature = "aras")]
            aras,
            #[cfg(feature = "ptt")]
            ptt,
            #[cfg(feature = "surat")]
            surat,
            #[cfg(feature = "hepsijet")]
            hepsijet,
            #[cfg(feature = "sendeo")]
            sendeo,
            #[cfg(feature = "mng")]
            mng,
            #[cfg(feature = "kolaygelsin")]
            kolaygelsin,
        })
    }

    /// The simulated clock every simulator follows.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// Moves simulated time forward (parcels move through their states).
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// The connectors, one per carrier, on the platform account.
    pub fn connectors(&self) -> &[Arc<dyn Carrier>] {
        &self.connectors
    }

    /// Registers every connector with `builder` in one call (platform account).
    pub fn register(&self, mut builder: OrchestratorBuilder) -> OrchestratorBuilder {
        for c in &self.connectors {
            builder = builder.carrier(c.clone(), AccountId::platform());
        }
        builder
    }

    /// An orchestrator builder with every connector, the illustrative platform agreements, the
    /// transit days and the sandbox clock.
    pub fn orchestrator(&self) -> Result<OrchestratorBuilder> {
        Ok(self
            .register(Orchestrator::builder())
            .agreements(pricing::illustrative_platform_agreements()?)
            .transit(pricing::transit_days()?)
            .clock(Arc::new(self.clock.clone())))
    }
}
