//! Building an [`Orchestrator`].

use super::funding::{Funding, NoFunding};
use super::{Orchestrator, Registered};
use crate::carrier::{AccountId, Carrier};
use crate::error::{Code, Error, Result};
use crate::pricing::{Agreement, TransitTable};
use crate::store::{IdempotencyStore, MemoryIdempotencyStore, MemoryShipmentStore, ShipmentStore};
use crate::time::{SharedClock, SystemClock};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Registers carriers, agreements, stores and hooks, then builds the [`Orchestrator`].
#[derive(Default)]
pub struct OrchestratorBuilder {
    connectors: Vec<(Arc<dyn Carrier>, AccountId)>,
    agreements: Vec<Arc<Agreement>>,
    transit: Option<TransitTable>,
    shipments: Option<Arc<dyn ShipmentStore>>,
    idempotency: Option<Arc<dyn IdempotencyStore>>,
    funding: Option<Arc<dyn Funding>>,
    clock: Option<SharedClock>,
    live_deadline: Option<Duration>,
    merchant_prefix: Option<String>,
}

impl OrchestratorBuilder {
    /// Registers a connector for `account` (the platform's, or a seller's own).
    pub fn carrier(mut self, carrier: Arc<dyn Carrier>, account: AccountId) -> Self {
        self.connectors.push((carrier, account));
        self
    }

    /// Registers an agreement.
    pub fn agreement(mut self, agreement: Agreement) -> Self {
        self.agreements.push(Arc::new(agreement));
        self
    }

    /// Registers a shared agreement (also held by e.g. the wallet for re-pricing).
    pub fn shared_agreement(mut self, agreement: Arc<Agreement>) -> Self {
        self.agreements.push(agreement);
        self
    }

    /// Registers several agreements.
    pub fn agreements(mut self, agreements: impl IntoIterator<Item = Agreement>) -> Self {
        self.agreements.extend(agreements.into_iter().map(Arc::new));
        self
    }

    /// Transit days for the fastest policy and for offers.
    pub fn transit(mut self, transit: TransitTable) -> Self {
        self.transit = Some(transit);
        self
    }

    /// The shipment store (default: in memory).
    pub fn shipment_store(mut self, store: Arc<dyn ShipmentStore>) -> Self {
        self.shipments = Some(store);
        self
    }

    /// The idempotency store (default: in memory).
    pub fn idempotency_store(mut self, store: Arc<dyn IdempotencyStore>) -> Self {
        self.idempotency = Some(store);
        self
    }

    /// The funding hook (the wallet; default: no money moves).
    pub fn funding(mut self, funding: Arc<dyn Funding>) -> Self {
        self.funding = Some(funding);
        self
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// How long a live-rate carrier may take before its quote is given up (default 2 s).
    pub fn live_rate_deadline(mut self, deadline: Duration) -> Self {
        self.live_deadline = Some(deadline);
        self
    }

    /// Prefix of generated merchant keys (default `KJ`; letters and digits only).
    pub fn merchant_key_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.merchant_prefix = Some(prefix.into());
        self
    }

    /// Builds the orchestrator. Two agreements with one id, or a bad key prefix, are errors.
    pub fn build(self) -> Result<Orchestrator> {
        let mut connectors = HashMap::new();
        for (carrier, account) in self.connectors {
            let capabilities = carrier.capabilities();
            connectors.insert(
                (carrier.id(), account),
                Registered {
                    carrier,
                    capabilities,
                },
            );
        }
        let mut seen = std::collections::HashSet::new();
        for a in &self.agreements {
            if !seen.insert(a.id().to_string()) {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    "agreements",
                    format!("agreement id '{}' is registered twice", a.id()),
                ));
            }
        }
        let prefix = self.merchant_prefix.unwrap_or_else(|| "KJ".into());
        if prefix.is_empty()
            || prefix.len() > 6
            || !prefix.chars().all(|c| c.is_ascii_alphanumeric())
        {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "merchant_key_prefix",
                format!("'{prefix}' must be 1–6 ASCII letters or digits"),
            ));
        }
        let transit = self.transit.unwrap_or_default();
        let mut sorted: Vec<&Arc<Agreement>> = self.agreements.iter().collect();
        sorted.sort_by(|a, b| {
            a.carrier()
                .as_str()
                .cmp(b.carrier().as_str())
                .then_with(|| a.id().cmp(b.id()))
        });
        let plans: Vec<super::Plan> = sorted
            .into_iter()
            .map(|a| super::Plan {
                agreement: a.clone(),
                connector: connectors
                    .get(&(a.carrier().clone(), a.account().clone()))
                    .cloned(),
                transit: transit.days_by_zone(a.carrier()),
            })
            .collect();
        let mut known: Vec<crate::carrier::CarrierId> = connectors
            .keys()
            .map(|(c, _)| c.clone())
            .chain(self.agreements.iter().map(|a| a.carrier().clone()))
            .collect();
        known.sort();
        known.dedup();
        let has_live = connectors.values().any(|r| r.capabilities.live_rates);
        let plan_agreements = plans.iter().map(|p| p.agreement.clone()).collect();
        Ok(Orchestrator {
            plans,
            plan_agreements,
            known_carriers: known,
            has_live,
            connectors,
            agreements: self.agreements,
            transit,
            shipments: self
                .shipments
                .unwrap_or_else(|| Arc::new(MemoryShipmentStore::default())),
            idempotency: self
                .idempotency
                .unwrap_or_else(|| Arc::new(MemoryIdempotencyStore::default())),
            funding: self.funding.unwrap_or_else(|| Arc::new(NoFunding)),
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            live_deadline: self.live_deadline.unwrap_or(Duration::from_secs(2)),
            merchant_prefix: prefix,
            max_reconcile_rounds: 3,
            key_locks: Mutex::new(HashMap::new()),
        })
    }
}
