//! The `KargoJet` object: built from a [`KargoJetConfig`] (or `sandbox()`), it owns one tokio
//! runtime and the [`Engine`]. Every operation comes twice, with one naming rule in every
//! language:
//!
//! - `quote(…)` is **async** (a Python awaitable, a JS Promise, a Kotlin `suspend fun`, a
//!   Swift `async` function); it runs on the facade's runtime, never on the caller's;
//! - `quote_blocking(…)` is its **blocking twin** for scripts (it must not be called from
//!   inside a tokio runtime: it returns `internal.error` instead of blocking one).

use crate::bulk::{BulkOptions, BulkPlan, BulkPurchase};
use crate::config::KargoJetConfig;
use crate::engine::Engine;
use crate::error::KargoJetError;
use crate::input::{QuoteRequest, ShipRequest};
use crate::insights::{Insights, InsightsRequest};
use crate::output::{Balances, Label, LabelFormat, LabelSource, Quote, QuoteOutcome, Shipment};
use crate::sandbox::{SandboxFault, SandboxOperation};
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};
use tokio::runtime::{Handle, Runtime};

/// KargoJet: quote across carriers, ship, label, track, cancel, returns and the wallet.
#[derive(uniffi::Object)]
pub struct KargoJet {
    engine: Arc<Engine>,
    runtime: Option<Runtime>,
    handle: Handle,
}

impl std::fmt::Debug for KargoJet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KargoJet")
            .field("engine", &self.engine)
            .finish_non_exhaustive()
    }
}

impl Drop for KargoJet {
    fn drop(&mut self) {
        // Stop the runtime without blocking: the last reference may be dropped on any thread,
        // even inside another runtime. The engine (and the simulators) are dropped after it.
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

fn worker_count(config: &KargoJetConfig) -> usize {
    let cpus = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    config
        .worker_threads
        .map(|n| n as usize)
        .unwrap_or(cpus)
        .clamp(2, 8)
}

fn inside_runtime_error() -> KargoJetError {
    KargoJetError::internal(
        "a blocking method was called from inside an async runtime; call the async twin",
    )
}

impl KargoJet {
    /// Builds the facade from a configuration (Rust callers; bindings use the constructors).
    pub fn build(config: KargoJetConfig) -> Result<KargoJet, KargoJetError> {
        if Handle::try_current().is_ok() {
            return Err(inside_runtime_error());
        }
        let workers = worker_count(&config);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(workers)
            .thread_name("kargojet")
            .enable_all()
            .build()
            .map_err(|e| KargoJetError::internal(format!("could not start the runtime: {e}")))?;
        let engine = runtime.block_on(Engine::build(&config))?;
        Ok(KargoJet {
            engine: Arc::new(engine),
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
        })
    }

    /// The engine, for adapters that call it on [`KargoJet::handle`].
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The facade's runtime, for adapters that spawn the engine's futures on it.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Runs `future` to completion on the facade's runtime, polling it once in place first
    /// (a local quote completes at once, without a thread hop). Refused inside a runtime.
    pub fn block_on<T>(
        &self,
        future: impl Future<Output = Result<T, KargoJetError>>,
    ) -> Result<T, KargoJetError> {
        if Handle::try_current().is_ok() {
            return Err(inside_runtime_error());
        }
        let mut future = pin!(future);
        {
            let _context = self.handle.enter();
            let mut cx = Context::from_waker(Waker::noop());
            if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
                return v;
            }
        }
        self.handle.block_on(future)
    }

    /// Spawns `future` on the facade's runtime and waits for it from any executor.
    pub fn run<T: Send + 'static>(
        &self,
        future: impl Future<Output = Result<T, KargoJetError>> + Send + 'static,
    ) -> impl Future<Output = Result<T, KargoJetError>> + Send + 'static {
        let task = self.handle.spawn(future);
        async move {
            task.await
                .unwrap_or_else(|e| Err(KargoJetError::internal(format!("task failed: {e}"))))
        }
    }
}

#[uniffi::export]
impl KargoJet {
    /// A KargoJet built from a configuration.
    #[uniffi::constructor]
    pub fn new(config: KargoJetConfig) -> Result<Arc<KargoJet>, KargoJetError> {
        KargoJet::build(config).map(Arc::new)
    }

    /// A KargoJet built from a JSON configuration (the records' field names).
    #[uniffi::constructor]
    pub fn from_json(json: String) -> Result<Arc<KargoJet>, KargoJetError> {
        KargoJet::build(KargoJetConfig::from_json(&json)?).map(Arc::new)
    }

    /// Every carrier simulator started in-process on 127.0.0.1 with a simulated clock, the
    /// illustrative agreements (not real prices) and a wallet holding 100,000 TL for the
    /// company `sandbox`. For tests and demos; no network, no credentials.
    #[uniffi::constructor]
    pub fn sandbox() -> Result<Arc<KargoJet>, KargoJetError> {
        KargoJet::build(KargoJetConfig::sandbox()).map(Arc::new)
    }

    /// The configured company.
    pub fn company(&self) -> String {
        self.engine().company().to_string()
    }

    /// The known carriers' ids.
    pub fn carriers(&self) -> Vec<String> {
        self.engine().carriers()
    }

    /// Whether this instance runs on the simulators.
    pub fn is_sandbox(&self) -> bool {
        self.engine().sandbox().is_some()
    }

    /// The facade's clock now, RFC 3339 (the simulated time on a sandbox).
    pub fn now(&self) -> String {
        self.engine().now()
    }

    /// Offers for one shipment across every carrier and agreement, best first, with the
    /// carriers left out and why.
    pub async fn quote(&self, request: QuoteRequest) -> Result<Quote, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.quote(request).await }).await
    }

    /// Blocking twin of [`KargoJet::quote`].
    pub fn quote_blocking(&self, request: QuoteRequest) -> Result<Quote, KargoJetError> {
        self.block_on(self.engine().quote(request))
    }

    /// Quotes many shipments in one call: one outcome per request, in order — every offer
    /// ranked as a flat row (carrier, service, agreement, total) and the best one in full with
    /// its breakdown; only the best is priced line by line, so a batch costs a fraction of as
    /// many `quote` calls. A bad shipment is an outcome with an error, not a failed batch.
    pub async fn quote_batch(
        &self,
        requests: Vec<QuoteRequest>,
    ) -> Result<Vec<QuoteOutcome>, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { Ok(e.quote_batch(requests).await) })
            .await
    }

    /// Blocking twin of [`KargoJet::quote_batch`].
    pub fn quote_batch_blocking(
        &self,
        requests: Vec<QuoteRequest>,
    ) -> Result<Vec<QuoteOutcome>, KargoJetError> {
        let e = self.engine().clone();
        self.block_on(async move { Ok(e.quote_batch(requests).await) })
    }

    /// Buys a shipment with the best offer (or the chosen carrier); the same idempotency key
    /// returns the same shipment and never ships twice.
    pub async fn ship(&self, request: ShipRequest) -> Result<Shipment, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.ship(request).await }).await
    }

    /// Blocking twin of [`KargoJet::ship`].
    pub fn ship_blocking(&self, request: ShipRequest) -> Result<Shipment, KargoJetError> {
        self.block_on(self.engine().ship(request))
    }

    /// Cancels a shipment (before pickup; refunded through the wallet).
    pub async fn cancel(&self, shipment_id: String) -> Result<Shipment, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.cancel(&shipment_id).await }).await
    }

    /// Blocking twin of [`KargoJet::cancel`].
    pub fn cancel_blocking(&self, shipment_id: String) -> Result<Shipment, KargoJetError> {
        self.block_on(self.engine().cancel(&shipment_id))
    }

    /// The label as `format` (PDF or ZPL are always available: KargoJet renders them where the
    /// carrier gives another format); `source` default `Auto`.
    pub async fn label(
        &self,
        shipment_id: String,
        format: LabelFormat,
        source: Option<LabelSource>,
    ) -> Result<Label, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move {
            e.label(&shipment_id, format, source.unwrap_or_default())
                .await
        })
        .await
    }

    /// Blocking twin of [`KargoJet::label`].
    pub fn label_blocking(
        &self,
        shipment_id: String,
        format: LabelFormat,
        source: Option<LabelSource>,
    ) -> Result<Label, KargoJetError> {
        self.block_on(
            self.engine()
                .label(&shipment_id, format, source.unwrap_or_default()),
        )
    }

    /// Polls the carrier: the shipment with its merged tracking history and status.
    pub async fn track(&self, shipment_id: String) -> Result<Shipment, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.track(&shipment_id).await }).await
    }

    /// Blocking twin of [`KargoJet::track`].
    pub fn track_blocking(&self, shipment_id: String) -> Result<Shipment, KargoJetError> {
        self.block_on(self.engine().track(&shipment_id))
    }

    /// A stored shipment, without asking the carrier.
    pub async fn shipment(&self, shipment_id: String) -> Result<Shipment, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.shipment(&shipment_id).await })
            .await
    }

    /// Blocking twin of [`KargoJet::shipment`].
    pub fn shipment_blocking(&self, shipment_id: String) -> Result<Shipment, KargoJetError> {
        self.block_on(self.engine().shipment(&shipment_id))
    }

    /// The company's shipments, oldest first.
    pub async fn shipments(&self) -> Result<Vec<Shipment>, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.shipments().await }).await
    }

    /// Blocking twin of [`KargoJet::shipments`].
    pub fn shipments_blocking(&self) -> Result<Vec<Shipment>, KargoJetError> {
        self.block_on(self.engine().shipments())
    }

    /// A return shipment (recipient → sender) with the same carrier, idempotent by key.
    pub async fn create_return(
        &self,
        shipment_id: String,
        idempotency_key: String,
    ) -> Result<Shipment, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.create_return(&shipment_id, &idempotency_key).await })
            .await
    }

    /// Blocking twin of [`KargoJet::create_return`].
    pub fn create_return_blocking(
        &self,
        shipment_id: String,
        idempotency_key: String,
    ) -> Result<Shipment, KargoJetError> {
        self.block_on(self.engine().create_return(&shipment_id, &idempotency_key))
    }

    /// Reads a bulk file (CSV or XLSX) and prices every accepted row; nothing is bought.
    pub async fn bulk_quote(
        &self,
        file: Vec<u8>,
        options: BulkOptions,
    ) -> Result<BulkPlan, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.bulk_quote(&file, &options).await })
            .await
    }

    /// Blocking twin of [`KargoJet::bulk_quote`].
    pub fn bulk_quote_blocking(
        &self,
        file: Vec<u8>,
        options: BulkOptions,
    ) -> Result<BulkPlan, KargoJetError> {
        self.block_on(self.engine().bulk_quote(&file, &options))
    }

    /// Reads, prices and buys a bulk file; uploading the same file again ships no row twice.
    pub async fn bulk_ship(
        &self,
        file: Vec<u8>,
        options: BulkOptions,
    ) -> Result<BulkPurchase, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.bulk_ship(&file, &options).await })
            .await
    }

    /// Blocking twin of [`KargoJet::bulk_ship`].
    pub fn bulk_ship_blocking(
        &self,
        file: Vec<u8>,
        options: BulkOptions,
    ) -> Result<BulkPurchase, KargoJetError> {
        self.block_on(self.engine().bulk_ship(&file, &options))
    }

    /// What the company's shipments say: snapshot, findings with the money at stake, a
    /// summary and the answer to a question.
    pub async fn insights(&self, request: InsightsRequest) -> Result<Insights, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.insights(&request).await }).await
    }

    /// Blocking twin of [`KargoJet::insights`].
    pub fn insights_blocking(&self, request: InsightsRequest) -> Result<Insights, KargoJetError> {
        self.block_on(self.engine().insights(&request))
    }

    /// The company's wallet balances.
    pub async fn wallet_balances(&self) -> Result<Balances, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.wallet_balances().await }).await
    }

    /// Blocking twin of [`KargoJet::wallet_balances`].
    pub fn wallet_balances_blocking(&self) -> Result<Balances, KargoJetError> {
        self.block_on(self.engine().wallet_balances())
    }

    /// Money paid into the wallet (`reference`: the payment's id, credited once).
    pub async fn wallet_top_up(
        &self,
        amount: String,
        reference: String,
    ) -> Result<Balances, KargoJetError> {
        let e = self.engine().clone();
        self.run(async move { e.wallet_top_up(&amount, &reference).await })
            .await
    }

    /// Blocking twin of [`KargoJet::wallet_top_up`].
    pub fn wallet_top_up_blocking(
        &self,
        amount: String,
        reference: String,
    ) -> Result<Balances, KargoJetError> {
        self.block_on(self.engine().wallet_top_up(&amount, &reference))
    }

    /// Sandbox only: moves the simulated clock forward so parcels move through their states.
    pub fn advance_sandbox_clock(&self, seconds: u64) -> Result<(), KargoJetError> {
        self.engine().advance_sandbox_clock(seconds)
    }

    /// Sandbox only: the next `times` (at least one) requests of `operation` at `carrier`'s
    /// simulator get `fault` (e.g. a rejection with the carrier's own error code).
    pub fn sandbox_inject_fault(
        &self,
        carrier: String,
        operation: SandboxOperation,
        fault: SandboxFault,
        times: u32,
    ) -> Result<(), KargoJetError> {
        self.engine()
            .sandbox_inject_fault(&carrier, operation, &fault, times)
    }
}
