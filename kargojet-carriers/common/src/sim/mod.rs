//! The simulator framework (feature `sim`): a real HTTP/1.1 server on 127.0.0.1, fault
//! injection per operation, scripted per-shipment timelines and dead/blackhole endpoints.
//!
//! A carrier crate implements [`SimHandler`] (operation naming + answers with its own wire
//! types) and wraps a [`SimServer`]; its protocol-flavoured builder methods are one-liners over
//! [`Faults::on`]:
//!
//! ```
//! use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse, SimServer};
//! use std::sync::Arc;
//!
//! struct Echo;
//! #[async_trait::async_trait]
//! impl SimHandler for Echo {
//!     fn operation(&self, req: &SimRequest) -> String {
//!         req.soap_action().unwrap_or_else(|| req.path.clone())
//!     }
//!     async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
//!         match injected {
//!             Some(CarrierFault::Reject(code)) => SimResponse::xml(200, format!("<err>{code}</err>")),
//!             _ => SimResponse::xml(200, format!("<ok>{}</ok>", req.path)),
//!         }
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| e.to_string())?.block_on(async {
//! let sim = SimServer::start(Arc::new(Echo)).map_err(|e| e.to_string())?;
//! sim.faults().on("/track").error500(); // one-shot
//! assert!(sim.base_url().starts_with("http://127.0.0.1:"));
//! # Ok::<(), String>(()) })?;
//! # Ok::<(), String>(())
//! ```

mod endpoints;
mod faults;
mod pdf;
mod record;
mod server;
mod timeline;

pub use endpoints::{Blackhole, blackhole_endpoint, dead_endpoint};
pub use faults::{CarrierFault, FaultBuilder, FaultKind, Faults, InjectedFault};
pub use pdf::one_page_pdf;
pub use record::{HeldShipment, RecordGuard, RecordedRequest, Recorder, SimInventory};
pub use server::{GARBAGE_BODY, SimHandler, SimRequest, SimResponse, SimServer};
pub use timeline::Timeline;
