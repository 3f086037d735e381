//! The `KargoJet` class: `KargoJet.sandbox()`, `KargoJet.fromJson(json)` or
//! `new KargoJet(config)`, with every operation twice — `quote(…)` returns a Promise (settled
//! from the facade's runtime, never blocking the event loop) and `quoteSync(…)` blocks and
//! returns the value. Failures are KargoJet `Error`s (see `errorFromInfo`).

use crate::bulk::{BulkOptions, BulkPlan, BulkPurchase};
use crate::config::KargoJetConfig;
use crate::error::sync;
use crate::input::{
    LabelFormat, LabelSource, QuoteRequest, SandboxFault, SandboxOperation, ShipRequest,
};
use crate::insights::{Insights, InsightsRequest};
use crate::output::{Balances, Label, Quote, QuoteOutcome, Shipment, shipments};
use crate::promise::spawn;
use kargojet::error::Code;
use kargojet_ffi as ffi;
use kargojet_ffi::{Engine, KargoJetError};
use napi::Env;
use napi::bindgen_prelude::{Object, Uint8Array};
use napi_derive::napi;
use std::sync::Arc;

/// KargoJet: quote across carriers, ship, label, track, cancel, returns, bulk files and the
/// wallet.
#[napi]
pub struct KargoJet {
    inner: Arc<ffi::KargoJet>,
}

/// A whole, non-negative JS number no larger than `max`.
fn whole(value: f64, field: &str, max: u64) -> Result<u64, KargoJetError> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= max as f64 {
        Ok(value as u64)
    } else {
        Err(KargoJetError::invalid(
            Code::RequestInvalid,
            field,
            format!("must be a whole number from 0 to {max}, not {value}"),
        ))
    }
}

fn quote_outcomes(list: Vec<ffi::QuoteOutcome>) -> Vec<QuoteOutcome> {
    list.into_iter().map(Into::into).collect()
}

fn list<T: Into<ffi::QuoteRequest>>(requests: Vec<T>) -> Vec<ffi::QuoteRequest> {
    requests.into_iter().map(Into::into).collect()
}

#[napi]
impl KargoJet {
    /// A KargoJet built from a configuration.
    #[napi(constructor)]
    pub fn new(env: &Env, config: KargoJetConfig) -> napi::Result<Self> {
        sync(env, ffi::KargoJet::build(config.into()), |k| KargoJet {
            inner: Arc::new(k),
        })
    }

    /// A KargoJet built from the facade's JSON configuration (snake_case field names).
    #[napi(factory)]
    pub fn from_json(env: &Env, json: String) -> napi::Result<Self> {
        sync(env, ffi::KargoJet::from_json(json), |inner| KargoJet {
            inner,
        })
    }

    /// Every carrier simulator started in-process on 127.0.0.1 with a simulated clock, the
    /// illustrative agreements (not real prices) and a wallet holding 100,000 TL for the
    /// company `sandbox`. For tests and demos; no network, no credentials.
    #[napi(factory)]
    pub fn sandbox(env: &Env) -> napi::Result<Self> {
        sync(env, ffi::KargoJet::sandbox(), |inner| KargoJet { inner })
    }

    fn engine(&self) -> Arc<Engine> {
        self.inner.engine().clone()
    }

    /// The configured company.
    #[napi]
    pub fn company(&self) -> String {
        self.inner.company()
    }

    /// The known carriers' ids.
    #[napi]
    pub fn carriers(&self) -> Vec<String> {
        self.inner.carriers()
    }

    /// Whether this instance runs on the simulators.
    #[napi]
    pub fn is_sandbox(&self) -> bool {
        self.inner.is_sandbox()
    }

    /// The facade's clock now, RFC 3339 (the simulated time on a sandbox).
    #[napi]
    pub fn now(&self) -> String {
        self.inner.now()
    }

    /// Offers for one shipment across every carrier and agreement, best first, with the
    /// carriers left out and why.
    #[napi(ts_return_type = "Promise<Quote>")]
    pub fn quote<'env>(&self, env: &'env Env, request: QuoteRequest) -> napi::Result<Object<'env>> {
        let (e, r) = (self.engine(), request.into());
        spawn(
            env,
            &self.inner,
            async move { e.quote(r).await },
            Quote::from,
        )
    }

    /// Blocking twin of `quote`.
    #[napi]
    pub fn quote_sync(&self, env: &Env, request: QuoteRequest) -> napi::Result<Quote> {
        sync(env, self.inner.quote_blocking(request.into()), Quote::from)
    }

    /// Quotes many shipments in one call (on the facade's runtime): one outcome per request,
    /// in order — every offer ranked as a flat row with its total, the best one in full with
    /// its breakdown; a bad shipment is an outcome with an error, not a failed batch.
    #[napi(ts_return_type = "Promise<Array<QuoteOutcome>>")]
    pub fn quote_batch<'env>(
        &self,
        env: &'env Env,
        requests: Vec<QuoteRequest>,
    ) -> napi::Result<Object<'env>> {
        let (e, r) = (self.engine(), list(requests));
        let future = async move { Ok(e.quote_batch(r).await) };
        spawn(env, &self.inner, future, quote_outcomes)
    }

    /// Blocking twin of `quoteBatch`.
    #[napi]
    pub fn quote_batch_sync(
        &self,
        env: &Env,
        requests: Vec<QuoteRequest>,
    ) -> napi::Result<Vec<QuoteOutcome>> {
        sync(
            env,
            self.inner.quote_batch_blocking(list(requests)),
            quote_outcomes,
        )
    }

    /// Buys a shipment with the best offer (or the chosen carrier); the same idempotency key
    /// returns the same shipment and never ships twice.
    #[napi(ts_return_type = "Promise<Shipment>")]
    pub fn ship<'env>(&self, env: &'env Env, request: ShipRequest) -> napi::Result<Object<'env>> {
        let (e, r) = (self.engine(), request.into());
        spawn(
            env,
            &self.inner,
            async move { e.ship(r).await },
            Shipment::from,
        )
    }

    /// Blocking twin of `ship`.
    #[napi]
    pub fn ship_sync(&self, env: &Env, request: ShipRequest) -> napi::Result<Shipment> {
        sync(
            env,
            self.inner.ship_blocking(request.into()),
            Shipment::from,
        )
    }

    /// Cancels a shipment (before pickup; refunded through the wallet).
    #[napi(ts_return_type = "Promise<Shipment>")]
    pub fn cancel<'env>(&self, env: &'env Env, shipment_id: String) -> napi::Result<Object<'env>> {
        let e = self.engine();
        let future = async move { e.cancel(&shipment_id).await };
        spawn(env, &self.inner, future, Shipment::from)
    }

    /// Blocking twin of `cancel`.
    #[napi]
    pub fn cancel_sync(&self, env: &Env, shipment_id: String) -> napi::Result<Shipment> {
        sync(env, self.inner.cancel_blocking(shipment_id), Shipment::from)
    }

    /// The label as `format` (PDF or ZPL are always available: KargoJet renders them where the
    /// carrier gives another format); `source` default `auto`.
    #[napi(ts_return_type = "Promise<Label>")]
    pub fn label<'env>(
        &self,
        env: &'env Env,
        shipment_id: String,
        format: LabelFormat,
        source: Option<LabelSource>,
    ) -> napi::Result<Object<'env>> {
        let e = self.engine();
        let (format, source) = (format.into(), source.map(Into::into).unwrap_or_default());
        let future = async move { e.label(&shipment_id, format, source).await };
        spawn(env, &self.inner, future, Label::from)
    }

    /// Blocking twin of `label`.
    #[napi]
    pub fn label_sync(
        &self,
        env: &Env,
        shipment_id: String,
        format: LabelFormat,
        source: Option<LabelSource>,
    ) -> napi::Result<Label> {
        let r = self
            .inner
            .label_blocking(shipment_id, format.into(), source.map(Into::into));
        sync(env, r, Label::from)
    }

    /// Polls the carrier: the shipment with its merged tracking history and status.
    #[napi(ts_return_type = "Promise<Shipment>")]
    pub fn track<'env>(&self, env: &'env Env, shipment_id: String) -> napi::Result<Object<'env>> {
        let e = self.engine();
        let future = async move { e.track(&shipment_id).await };
        spawn(env, &self.inner, future, Shipment::from)
    }

    /// Blocking twin of `track`.
    #[napi]
    pub fn track_sync(&self, env: &Env, shipment_id: String) -> napi::Result<Shipment> {
        sync(env, self.inner.track_blocking(shipment_id), Shipment::from)
    }

    /// A stored shipment, without asking the carrier.
    #[napi(ts_return_type = "Promise<Shipment>")]
    pub fn shipment<'env>(
        &self,
        env: &'env Env,
        shipment_id: String,
    ) -> napi::Result<Object<'env>> {
        let e = self.engine();
        let future = async move { e.shipment(&shipment_id).await };
        spawn(env, &self.inner, future, Shipment::from)
    }

    /// Blocking twin of `shipment`.
    #[napi]
    pub fn shipment_sync(&self, env: &Env, shipment_id: String) -> napi::Result<Shipment> {
        sync(
            env,
            self.inner.shipment_blocking(shipment_id),
            Shipment::from,
        )
    }

    /// The company's shipments, oldest first.
    #[napi(ts_return_type = "Promise<Array<Shipment>>")]
    pub fn shipments<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let e = self.engine();
        spawn(
            env,
            &self.inner,
            async move { e.shipments().await },
            shipments,
        )
    }

    /// Blocking twin of `shipments`.
    #[napi]
    pub fn shipments_sync(&self, env: &Env) -> napi::Result<Vec<Shipment>> {
        sync(env, self.inner.shipments_blocking(), shipments)
    }

    /// A return shipment (recipient → sender) with the same carrier, idempotent by key.
    #[napi(ts_return_type = "Promise<Shipment>")]
    pub fn create_return<'env>(
        &self,
        env: &'env Env,
        shipment_id: String,
        idempotency_key: String,
    ) -> napi::Result<Object<'env>> {
        let e = self.engine();
        let future = async move { e.create_return(&shipment_id, &idempotency_key).await };
        spawn(env, &self.inner, future, Shipment::from)
    }

    /// Blocking twin of `createReturn`.
    #[napi]
    pub fn create_return_sync(
        &self,
        env: &Env,
        shipment_id: String,
        idempotency_key: String,
    ) -> napi::Result<Shipment> {
        let r = self
            .inner
            .create_return_blocking(shipment_id, idempotency_key);
        sync(env, r, Shipment::from)
    }

    /// Reads a bulk file (CSV or XLSX) and prices every accepted row; nothing is bought.
    #[napi(ts_return_type = "Promise<BulkPlan>")]
    pub fn bulk_quote<'env>(
        &self,
        env: &'env Env,
        file: Uint8Array,
        options: BulkOptions,
    ) -> napi::Result<Object<'env>> {
        let (e, file, options) = (self.engine(), file.to_vec(), options.into());
        let future = async move { e.bulk_quote(&file, &options).await };
        spawn(env, &self.inner, future, BulkPlan::from)
    }

    /// Blocking twin of `bulkQuote`.
    #[napi]
    pub fn bulk_quote_sync(
        &self,
        env: &Env,
        file: Uint8Array,
        options: BulkOptions,
    ) -> napi::Result<BulkPlan> {
        let r = self
            .inner
            .bulk_quote_blocking(file.to_vec(), options.into());
        sync(env, r, BulkPlan::from)
    }

    /// Reads, prices and buys a bulk file; uploading the same file again ships no row twice.
    #[napi(ts_return_type = "Promise<BulkPurchase>")]
    pub fn bulk_ship<'env>(
        &self,
        env: &'env Env,
        file: Uint8Array,
        options: BulkOptions,
    ) -> napi::Result<Object<'env>> {
        let (e, file, options) = (self.engine(), file.to_vec(), options.into());
        let future = async move { e.bulk_ship(&file, &options).await };
        spawn(env, &self.inner, future, BulkPurchase::from)
    }

    /// Blocking twin of `bulkShip`.
    #[napi]
    pub fn bulk_ship_sync(
        &self,
        env: &Env,
        file: Uint8Array,
        options: BulkOptions,
    ) -> napi::Result<BulkPurchase> {
        let r = self.inner.bulk_ship_blocking(file.to_vec(), options.into());
        sync(env, r, BulkPurchase::from)
    }

    /// What the company's shipments of the last days say: findings with the money at stake,
    /// a summary, an answer to `request.question`, and the snapshot as JSON.
    #[napi(ts_return_type = "Promise<Insights>")]
    pub fn insights<'env>(
        &self,
        env: &'env Env,
        request: Option<InsightsRequest>,
    ) -> napi::Result<Object<'env>> {
        let (e, r) = (self.engine(), request.unwrap_or_default().into());
        let future = async move { e.insights(&r).await };
        spawn(env, &self.inner, future, Insights::from)
    }

    /// Blocking twin of `insights`.
    #[napi]
    pub fn insights_sync(
        &self,
        env: &Env,
        request: Option<InsightsRequest>,
    ) -> napi::Result<Insights> {
        let r = self
            .inner
            .insights_blocking(request.unwrap_or_default().into());
        sync(env, r, Insights::from)
    }

    /// The company's wallet balances.
    #[napi(ts_return_type = "Promise<Balances>")]
    pub fn wallet_balances<'env>(&self, env: &'env Env) -> napi::Result<Object<'env>> {
        let e = self.engine();
        let future = async move { e.wallet_balances().await };
        spawn(env, &self.inner, future, Balances::from)
    }

    /// Blocking twin of `walletBalances`.
    #[napi]
    pub fn wallet_balances_sync(&self, env: &Env) -> napi::Result<Balances> {
        sync(env, self.inner.wallet_balances_blocking(), Balances::from)
    }

    /// Money paid into the wallet (`reference`: the payment's id, credited once); `amount` in
    /// lira as a decimal string.
    #[napi(ts_return_type = "Promise<Balances>")]
    pub fn wallet_top_up<'env>(
        &self,
        env: &'env Env,
        amount: String,
        reference: String,
    ) -> napi::Result<Object<'env>> {
        let e = self.engine();
        let future = async move { e.wallet_top_up(&amount, &reference).await };
        spawn(env, &self.inner, future, Balances::from)
    }

    /// Blocking twin of `walletTopUp`.
    #[napi]
    pub fn wallet_top_up_sync(
        &self,
        env: &Env,
        amount: String,
        reference: String,
    ) -> napi::Result<Balances> {
        sync(
            env,
            self.inner.wallet_top_up_blocking(amount, reference),
            Balances::from,
        )
    }

    /// Sandbox only: moves the simulated clock forward by `seconds` so parcels move through
    /// their states.
    #[napi]
    pub fn advance_sandbox_clock(&self, env: &Env, seconds: f64) -> napi::Result<()> {
        let r = whole(seconds, "seconds", 100 * 365 * 86_400)
            .and_then(|s| self.inner.advance_sandbox_clock(s));
        sync(env, r, |()| ())
    }

    /// Sandbox only: the next `times` (default and at least one) requests of `operation` at
    /// `carrier`'s simulator get `fault` (e.g. `{ kind: 'reject' }`: a rejection with the
    /// carrier's own error code).
    #[napi]
    pub fn sandbox_inject_fault(
        &self,
        env: &Env,
        carrier: String,
        operation: SandboxOperation,
        fault: SandboxFault,
        times: Option<f64>,
    ) -> napi::Result<()> {
        let r = whole(times.unwrap_or(1.0), "times", u64::from(u32::MAX)).and_then(|t| {
            let t = u32::try_from(t).unwrap_or(u32::MAX);
            self.inner
                .sandbox_inject_fault(carrier, operation.into(), fault.into(), t)
        });
        sync(env, r, |()| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_are_checked() {
        assert_eq!(whole(21600.0, "seconds", 1 << 40).ok(), Some(21600));
        for bad in [-1.0, 1.5, f64::NAN, f64::INFINITY, 1e30] {
            let e = whole(bad, "seconds", 1 << 40).err();
            assert_eq!(
                e.as_ref().map(|e| e.code()),
                Some("request.invalid"),
                "{bad}"
            );
            assert_eq!(e.and_then(|e| e.info().field).as_deref(), Some("seconds"));
        }
    }
}
