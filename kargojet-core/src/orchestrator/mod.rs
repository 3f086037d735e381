//! The orchestrator: the registry of carrier connectors, agreements and transit days, and the
//! operations a seller uses — [`Orchestrator::quote`] (every carrier × agreement priced
//! locally, live rates asked concurrently under a deadline; partial by design),
//! [`Orchestrator::quote_batch`] (many shipments ranked by their totals, only each one's best
//! offer priced line by line), [`Orchestrator::ship`] (idempotent, fails over when a carrier
//! certainly did not create the shipment, reconciles when it may have), `track`, `cancel` and
//! `create_return`.

mod batch;
mod builder;
mod funding;
#[cfg(feature = "label")]
mod labels;
mod quote;
mod reconcile;
mod ship;
mod tracking;

pub use batch::LIVE_BATCH_CONCURRENCY;
pub use builder::OrchestratorBuilder;
pub use funding::{Funding, FundingContext, NoFunding};
#[cfg(feature = "label")]
pub use labels::LabelSource;
pub use quote::QuoteRequest;
pub use ship::{OfferChoice, ShipRequest};

use crate::carrier::{AccountId, Capabilities, Carrier, CarrierId};
use crate::error::{Code, Error, Result};
use crate::pricing::{Agreement, TransitTable};
use crate::shipment::{Shipment, ShipmentId};
use crate::store::{IdempotencyStore, ShipmentStore};
use crate::time::SharedClock;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

/// A registered connector: one carrier with one account's credentials.
#[derive(Clone)]
pub(crate) struct Registered {
    pub(crate) carrier: Arc<dyn Carrier>,
    pub(crate) capabilities: Capabilities,
}

/// An agreement with everything a quote needs resolved at build time (its connector, its
/// transit days per zone), so a quote does no hashing.
#[derive(Clone)]
pub(crate) struct Plan {
    pub(crate) agreement: Arc<Agreement>,
    pub(crate) connector: Option<Registered>,
    pub(crate) transit: [Option<crate::pricing::TransitDays>; 5],
}

/// Orchestrates quotes and shipments across carriers. Build it with [`Orchestrator::builder`].
pub struct Orchestrator {
    pub(crate) connectors: HashMap<(CarrierId, AccountId), Registered>,
    pub(crate) plans: Vec<Plan>,
    /// The plans' agreements in plan order, shared with the batches that index them.
    pub(crate) plan_agreements: Arc<[Arc<Agreement>]>,
    pub(crate) known_carriers: Vec<CarrierId>,
    pub(crate) has_live: bool,
    pub(crate) agreements: Vec<Arc<Agreement>>,
    pub(crate) transit: TransitTable,
    pub(crate) shipments: Arc<dyn ShipmentStore>,
    pub(crate) idempotency: Arc<dyn IdempotencyStore>,
    pub(crate) funding: Arc<dyn funding::Funding>,
    pub(crate) clock: SharedClock,
    pub(crate) live_deadline: Duration,
    pub(crate) merchant_prefix: String,
    pub(crate) max_reconcile_rounds: u32,
    key_locks: Mutex<HashMap<String, Weak<tokio::sync::Mutex<()>>>>,
}

impl std::fmt::Debug for Orchestrator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Orchestrator")
            .field("connectors", &self.connectors.keys().collect::<Vec<_>>())
            .field(
                "agreements",
                &self.agreements.iter().map(|a| a.id()).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl Orchestrator {
    /// Starts building an orchestrator (in-memory stores, no funding, system clock by default).
    pub fn builder() -> OrchestratorBuilder {
        OrchestratorBuilder::default()
    }

    /// The carriers known to this orchestrator (registered connectors and agreements), in id
    /// order.
    pub fn carrier_ids(&self) -> &[CarrierId] {
        &self.known_carriers
    }

    /// The registered agreements.
    pub fn agreements(&self) -> &[Arc<Agreement>] {
        &self.agreements
    }

    /// One agreement by id.
    pub fn agreement(&self, id: &str) -> Option<&Arc<Agreement>> {
        self.agreements.iter().find(|a| a.id() == id)
    }

    /// The connector for a carrier and account.
    pub fn connector(&self, carrier: &CarrierId, account: &AccountId) -> Option<&Arc<dyn Carrier>> {
        self.connectors
            .get(&(carrier.clone(), account.clone()))
            .map(|r| &r.carrier)
    }

    /// The capabilities of a carrier (from its first registered connector).
    pub fn capabilities(&self, carrier: &CarrierId) -> Option<&Capabilities> {
        self.connectors
            .iter()
            .find(|((c, _), _)| c == carrier)
            .map(|(_, r)| &r.capabilities)
    }

    /// A stored shipment.
    pub async fn shipment(&self, id: &ShipmentId) -> Result<Shipment> {
        self.shipments
            .get(id)
            .await?
            .ok_or_else(|| Error::not_found(Code::NotFoundShipment, id.to_string()))
    }

    /// A company's shipments, oldest first.
    pub async fn shipments(&self, company: &str) -> Result<Vec<Shipment>> {
        self.shipments.list(company).await
    }

    /// The carrier service level of an offer's tariff (e.g. `counter`), if any.
    pub fn service_of(&self, offer: &crate::pricing::Offer) -> Option<String> {
        self.agreement(&offer.agreement_id)
            .and_then(|a| a.tariff().service())
            .map(str::to_string)
    }

    pub(crate) fn registered(
        &self,
        carrier: &CarrierId,
        account: &AccountId,
    ) -> Result<&Registered> {
        self.connectors
            .get(&(carrier.clone(), account.clone()))
            .ok_or_else(|| {
                Error::invalid(
                    Code::RequestUnknownCarrier,
                    "carrier",
                    format!("no connector for {carrier} with account {account}"),
                )
            })
    }

    /// A per-key async lock so concurrent calls with one idempotency key run one at a time in
    /// this process (the store's `begin` keeps replicas apart).
    pub(crate) fn key_lock(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self.key_locks.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(l) = locks.get(key).and_then(Weak::upgrade) {
            return l;
        }
        locks.retain(|_, w| w.strong_count() > 0);
        let l = Arc::new(tokio::sync::Mutex::new(()));
        locks.insert(key.to_string(), Arc::downgrade(&l));
        l
    }
}
