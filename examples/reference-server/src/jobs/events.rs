//! Where outbound events come from. The library writes shipments through `ShipmentStore` and
//! money through `LedgerStore`; [`instrument`] wraps both stores of a [`Database`] so that
//! every path (API, bulk purchase, tracking polls, carrier pushes) emits the same events:
//!
//! - `shipment.created` — a shipment row is inserted;
//! - `shipment.status_changed` — an update changes the normalized status;
//! - `shipment.desi_adjusted` — a batch of the shipment's desi reconciliation is applied
//!   (transfer ids `<shipment prefix>:desi…`);
//! - `wallet.cod_credited` — a batch with a `cod_collection` line is applied.
//!
//! Each event's id is derived from what it describes (`evt_` + SHA-256 of the shipment and the
//! change), so a replayed write yields the same id and [`OutboxStore::record_event`] records it
//! once. Bodies carry ids, statuses and amounts, never personal data.
//!
//! Events are a transactional outbox: [`Events`] derives a write's events without I/O (from the
//! shipment inserted, the stored shipment an update replaces and the new one, or a ledger batch
//! and the shipments it names), and the wrapped stores hand every write to
//! [`OutboxWrites`], which records the event, its deliveries and their delivery jobs in the same
//! database transaction as the write. A failure to record an event rolls the write back and is
//! returned to the caller (the library retries or reconciles as for any store failure); a crash
//! (`kill -9`) leaves either the write with all its events or neither.

use super::{KIND_DELIVER, after};
use crate::store::Database;
use crate::store::jobs::{EventDeriver, EventRecord, NewJob, OutboxStore, OutboxWrites};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::carrier::CarrierId;
use kargojet::money::{Currency, Money};
use kargojet::orchestrator::{Funding, FundingContext};
use kargojet::shipment::{MerchantKey, Shipment, ShipmentId};
use kargojet::store::ShipmentStore;
use kargojet::wallet::{
    AccountKey, Applied, Batch, Hold, LedgerStore, LineKind, Link, ShipmentKey, Transfer,
    TransferId,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// `shipment.created`.
pub const SHIPMENT_CREATED: &str = "shipment.created";
/// `shipment.status_changed`.
pub const SHIPMENT_STATUS_CHANGED: &str = "shipment.status_changed";
/// `shipment.desi_adjusted`.
pub const SHIPMENT_DESI_ADJUSTED: &str = "shipment.desi_adjusted";
/// `wallet.cod_credited`.
pub const WALLET_COD_CREDITED: &str = "wallet.cod_credited";
/// Every event type, in documentation order.
pub const EVENT_TYPES: [&str; 4] = [
    SHIPMENT_CREATED,
    SHIPMENT_STATUS_CHANGED,
    SHIPMENT_DESI_ADJUSTED,
    WALLET_COD_CREDITED,
];

/// The stable id of the event described by `seed`.
pub fn event_id(seed: &str) -> String {
    let d = Sha256::digest(seed.as_bytes());
    format!("evt_{}", &hex::encode(d)[..24])
}

/// The delivery job of delivery `delivery_id`, due at `run_at`.
pub fn delivery_job(delivery_id: &str, run_at: DateTime<Utc>, max_attempts: u32) -> NewJob {
    NewJob {
        id: crate::ids::new_id("job"),
        kind: KIND_DELIVER.to_string(),
        dedup_key: Some(format!("deliver:{delivery_id}")),
        payload: json!({ "delivery_id": delivery_id }),
        run_at,
        max_attempts,
    }
}

/// The event `event_type` of `company` with `data`, its id derived from `seed`, stamped `now`.
pub fn event_record(
    company: &str,
    event_type: &str,
    shipment_id: Option<&str>,
    seed: &str,
    data: Value,
    now: DateTime<Utc>,
) -> EventRecord {
    let id = event_id(&format!("{event_type}|{seed}"));
    let body = json!({
        "id": id,
        "type": event_type,
        "created_at": crate::store::sqlite::ts(now),
        "company": company,
        "data": data,
    });
    EventRecord {
        id,
        company: company.to_string(),
        event_type: event_type.to_string(),
        shipment_id: shipment_id.map(str::to_string),
        body: body.to_string(),
        created_at: now,
    }
}

/// Records events that describe no store write into the outbox on their own transaction
/// (the events of shipment and ledger writes go through [`instrument`]).
#[derive(Clone)]
pub struct Emitter {
    outbox: Arc<dyn OutboxStore>,
    events: Events,
}

impl std::fmt::Debug for Emitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emitter")
            .field("max_attempts", &self.events.max_attempts)
            .finish_non_exhaustive()
    }
}

impl Emitter {
    /// An emitter on `outbox`; deliveries get `max_attempts` attempts.
    pub fn new(outbox: Arc<dyn OutboxStore>, max_attempts: u32) -> Emitter {
        Emitter {
            outbox,
            events: Events::new(max_attempts),
        }
    }

    /// Records the event `event_type` of `company` with `data`, its id derived from `seed`;
    /// returns how many deliveries it created (0 for a replay or no subscriber).
    pub async fn emit(
        &self,
        company: &str,
        event_type: &str,
        shipment_id: Option<&str>,
        seed: &str,
        data: Value,
    ) -> kargojet::Result<usize> {
        let event = event_record(company, event_type, shipment_id, seed, data, Utc::now());
        let events = self.events;
        let job = |delivery_id: &str| events.delivery_job(delivery_id, &event);
        self.outbox.record_event(&event, &job).await
    }
}

fn money(m: Money) -> Value {
    let mut d = m.round_kurus().amount;
    d.rescale(2);
    json!({ "amount": d.to_string(), "currency": m.currency.code() })
}

fn shipment_data(s: &Shipment) -> Value {
    json!({
        "shipment_id": s.id.0,
        "order_id": s.request.order_id,
        "carrier": s.carrier.as_str(),
        "merchant_key": s.created.merchant_key.as_str(),
        "carrier_tracking_number": s.created.carrier_tracking_number,
        "status": s.status.id(),
        "price": money(s.offer.breakdown.total),
        "cod_amount": s.request.cod.map(|c| money(c.amount)),
        "return_of": s.return_of.as_ref().map(|r| r.0.clone()),
    })
}

/// The events of the library's writes, derived without I/O: `shipment.created` on an insert,
/// `shipment.status_changed` on an update that changes the status, `shipment.desi_adjusted`
/// and `wallet.cod_credited` on a new ledger batch of a shipment's desi reconciliation or COD
/// collection. Their deliveries get `max_attempts` attempts, due at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Events {
    max_attempts: u32,
}

impl Events {
    /// Deliveries get `max_attempts` attempts.
    pub fn new(max_attempts: u32) -> Events {
        Events { max_attempts }
    }
}

/// The shipments `batch` has events for: each shipment key with a COD collection line or a
/// desi reconciliation transfer (`<shipment prefix>:desi…`), in first-seen order, with its
/// transfers.
fn eventful_keys(batch: &Batch) -> Vec<(&ShipmentKey, Vec<&Transfer>, bool, bool)> {
    let mut keys: Vec<&ShipmentKey> = Vec::new();
    for t in &batch.transfers {
        if let Link::Shipment(k) = &t.link
            && !keys.contains(&k)
        {
            keys.push(k);
        }
    }
    keys.into_iter()
        .filter_map(|key| {
            let mine: Vec<&Transfer> = batch
                .transfers
                .iter()
                .filter(|t| matches!(&t.link, Link::Shipment(k) if k == key))
                .collect();
            let cod = mine.iter().any(|t| t.line == LineKind::CodCollection);
            let desi_prefix = format!("{}:desi", key.transfer_prefix());
            let desi = mine.iter().any(|t| t.id.as_str().starts_with(&desi_prefix));
            (cod || desi).then_some((key, mine, cod, desi))
        })
        .collect()
}

fn sum_where(transfers: &[&Transfer], keep: impl Fn(&Transfer) -> bool) -> Money {
    transfers
        .iter()
        .filter(|t| keep(t))
        .fold(Money::zero(), |acc, t| {
            acc.checked_add(t.amount).unwrap_or(acc)
        })
}

impl EventDeriver for Events {
    fn inserted(&self, s: &Shipment, now: DateTime<Utc>) -> Vec<EventRecord> {
        vec![event_record(
            &s.company,
            SHIPMENT_CREATED,
            Some(&s.id.0),
            &s.id.0,
            shipment_data(s),
            now,
        )]
    }

    fn updated(&self, before: &Shipment, s: &Shipment, now: DateTime<Utc>) -> Vec<EventRecord> {
        let prev = before.status;
        if prev == s.status {
            return Vec::new();
        }
        let mut data = shipment_data(s);
        data["previous_status"] = json!(prev.id());
        data["changed_at"] = json!(s.events.last().map(|e| e.time.to_rfc3339()));
        let seed = format!(
            "{}|{}|{}|{}",
            s.id.0,
            prev.id(),
            s.status.id(),
            s.events.len()
        );
        vec![event_record(
            &s.company,
            SHIPMENT_STATUS_CHANGED,
            Some(&s.id.0),
            &seed,
            data,
            now,
        )]
    }

    fn batch_shipments(&self, batch: &Batch) -> Vec<ShipmentId> {
        eventful_keys(batch)
            .into_iter()
            .flat_map(|(key, ..)| candidate_ids(key))
            .collect()
    }

    fn applied(
        &self,
        batch: &Batch,
        shipments: &[Shipment],
        now: DateTime<Utc>,
    ) -> Vec<EventRecord> {
        let mut out = Vec::new();
        for (key, mine, cod, desi) in eventful_keys(batch) {
            let ids = candidate_ids(key);
            // The library moves the money of new tracking events before it stores them, so
            // the stored shipment may lack the events this batch is for: the one the funding
            // hook is handling (see [`EventingFunding`]) is the newer copy.
            let fresh = FUNDING_SHIPMENT
                .try_with(|f| ids.contains(&f.id).then(|| f.clone()))
                .ok()
                .flatten();
            let Some(s) = fresh.as_ref().or_else(|| {
                ids.iter()
                    .find_map(|id| shipments.iter().find(|s| s.id == *id))
            }) else {
                tracing::warn!(company = %key.company, "ledger event for an unknown shipment");
                continue;
            };
            if cod {
                let collected = sum_where(&mine, |t| t.line == LineKind::CodCollection);
                let fee = sum_where(&mine, |t| t.line == LineKind::CodFee);
                let kdv = sum_where(&mine, |t| t.line == LineKind::CodFeeKdv);
                let net = collected
                    .checked_sub(fee)
                    .and_then(|m| m.checked_sub(kdv))
                    .unwrap_or(collected);
                let data = json!({
                    "shipment_id": s.id.0,
                    "order_id": s.request.order_id,
                    "carrier": s.carrier.as_str(),
                    "collected": money(collected),
                    "cod_fee": money(fee),
                    "cod_fee_kdv": money(kdv),
                    "net": money(net),
                });
                out.push(event_record(
                    &s.company,
                    WALLET_COD_CREDITED,
                    Some(&s.id.0),
                    &s.id.0,
                    data,
                    now,
                ));
            }
            if desi {
                let charged = sum_where(&mine, |t| {
                    t.line == LineKind::DesiDifference
                        && !matches!(t.debit, AccountKey::Platform(_))
                });
                let measured = kargojet::tracking::last_measurement(&s.events)
                    .and_then(|m| m.billable())
                    .map(|d| d.normalize().to_string());
                let data = json!({
                    "shipment_id": s.id.0,
                    "order_id": s.request.order_id,
                    "carrier": s.carrier.as_str(),
                    "declared_desi": s.offer.billable_desi.normalize().to_string(),
                    "measured_desi": measured,
                    "outcome": if charged.is_zero() { "reserve_released" } else { "charged" },
                    "charged": money(charged),
                });
                out.push(event_record(
                    &s.company,
                    SHIPMENT_DESI_ADJUSTED,
                    Some(&s.id.0),
                    &s.id.0,
                    data,
                    now,
                ));
            }
        }
        out
    }

    fn delivery_job(&self, delivery_id: &str, event: &EventRecord) -> NewJob {
        delivery_job(
            delivery_id,
            after(event.created_at, Duration::ZERO),
            self.max_attempts,
        )
    }
}

tokio::task_local! {
    /// The shipment whose new tracking events the funding hook is handling on this task.
    static FUNDING_SHIPMENT: Shipment;
}

/// The orchestrator's funding hook, marking the shipment it is handling for the events of the
/// ledger batches it applies: the library hands new tracking events to the hook before it
/// stores them (so a failed money step is retried by the next poll, never lost), which leaves
/// the stored copy without the measurement a `shipment.desi_adjusted` event reports.
pub struct EventingFunding {
    inner: Arc<dyn Funding>,
}

impl EventingFunding {
    /// Wraps `inner`.
    pub fn new(inner: Arc<dyn Funding>) -> EventingFunding {
        EventingFunding { inner }
    }
}

#[async_trait]
impl Funding for EventingFunding {
    async fn reserve(&self, ctx: &FundingContext<'_>) -> kargojet::Result<()> {
        self.inner.reserve(ctx).await
    }
    async fn capture(&self, ctx: &FundingContext<'_>, shipment: &Shipment) -> kargojet::Result<()> {
        self.inner.capture(ctx, shipment).await
    }
    async fn release(&self, ctx: &FundingContext<'_>) -> kargojet::Result<()> {
        self.inner.release(ctx).await
    }
    async fn refund(&self, shipment: &Shipment) -> kargojet::Result<()> {
        self.inner.refund(shipment).await
    }
    async fn on_events(
        &self,
        shipment: &Shipment,
        new_events: &[kargojet::tracking::TrackingEvent],
    ) -> kargojet::Result<()> {
        FUNDING_SHIPMENT
            .scope(shipment.clone(), self.inner.on_events(shipment, new_events))
            .await
    }
    async fn first_free_attempt(
        &self,
        company: &str,
        idempotency_key: &str,
    ) -> kargojet::Result<u32> {
        self.inner
            .first_free_attempt(company, idempotency_key)
            .await
    }
}

/// `ShipmentStore` whose inserts and updates record `shipment.created` and
/// `shipment.status_changed` in their own transaction.
pub struct EventingShipments {
    inner: Arc<dyn ShipmentStore>,
    writes: Arc<dyn OutboxWrites>,
    events: Arc<dyn EventDeriver>,
}

#[async_trait]
impl ShipmentStore for EventingShipments {
    async fn insert(&self, s: &Shipment) -> kargojet::Result<()> {
        self.writes.insert_shipment(s, self.events.as_ref()).await
    }

    async fn update(&self, s: &Shipment) -> kargojet::Result<()> {
        self.writes.update_shipment(s, self.events.as_ref()).await
    }

    async fn get(&self, id: &ShipmentId) -> kargojet::Result<Option<Shipment>> {
        self.inner.get(id).await
    }

    async fn find_by_merchant_key(
        &self,
        carrier: &CarrierId,
        key: &MerchantKey,
    ) -> kargojet::Result<Option<Shipment>> {
        self.inner.find_by_merchant_key(carrier, key).await
    }

    async fn list(&self, company: &str) -> kargojet::Result<Vec<Shipment>> {
        self.inner.list(company).await
    }
}

/// The shipment ids a ledger key may name: the library derives a shipment's id from its
/// company and scoped idempotency key (`ship:<company>:<key>`, returns `return:<company>:<key>`).
fn candidate_ids(key: &ShipmentKey) -> [ShipmentId; 2] {
    let id = |scoped: String| {
        let d = Sha256::digest(format!("{}\u{1f}{scoped}", key.company).as_bytes());
        ShipmentId(format!("shp_{}", &hex::encode(d)[..20]))
    };
    [
        id(format!("ship:{}:{}", key.company, key.key)),
        id(format!("return:{}:{}", key.company, key.key)),
    ]
}

/// `LedgerStore` whose new batches record `shipment.desi_adjusted` and `wallet.cod_credited`
/// in their own transaction.
pub struct EventingLedger {
    inner: Arc<dyn LedgerStore>,
    writes: Arc<dyn OutboxWrites>,
    events: Arc<dyn EventDeriver>,
}

#[async_trait]
impl LedgerStore for EventingLedger {
    async fn open_company(
        &self,
        company: &str,
        currency: Currency,
        credit_limit: Money,
    ) -> kargojet::Result<()> {
        self.inner
            .open_company(company, currency, credit_limit)
            .await
    }

    async fn set_credit_limit(&self, company: &str, limit: Money) -> kargojet::Result<()> {
        self.inner.set_credit_limit(company, limit).await
    }

    async fn credit_limit(&self, company: &str) -> kargojet::Result<Money> {
        self.inner.credit_limit(company).await
    }

    async fn apply(&self, batch: &Batch) -> kargojet::Result<Applied> {
        self.writes.apply_batch(batch, self.events.as_ref()).await
    }

    async fn transfer(&self, id: &TransferId) -> kargojet::Result<Option<Transfer>> {
        self.inner.transfer(id).await
    }

    async fn hold(&self, id: &TransferId) -> kargojet::Result<Option<Hold>> {
        self.inner.hold(id).await
    }

    async fn due_holds(&self, now: DateTime<Utc>, limit: usize) -> kargojet::Result<Vec<Hold>> {
        self.inner.due_holds(now, limit).await
    }

    async fn pending_holds(&self, company: &str) -> kargojet::Result<Vec<Hold>> {
        self.inner.pending_holds(company).await
    }

    async fn balance(&self, account: &AccountKey) -> kargojet::Result<Money> {
        self.inner.balance(account).await
    }

    async fn balances(&self) -> kargojet::Result<Vec<(AccountKey, Money)>> {
        self.inner.balances().await
    }

    async fn company_transfers(
        &self,
        company: &str,
        until: Option<DateTime<Utc>>,
    ) -> kargojet::Result<Vec<Transfer>> {
        self.inner.company_transfers(company, until).await
    }

    async fn shipment_transfers(&self, shipment: &ShipmentKey) -> kargojet::Result<Vec<Transfer>> {
        self.inner.shipment_transfers(shipment).await
    }
}

/// `db` with its shipment and ledger stores wrapped so that every write records its events
/// in its own transaction (deliveries get `max_attempts` attempts).
pub fn instrument(db: Database, max_attempts: u32) -> Database {
    instrument_with(db, Arc::new(Events::new(max_attempts)))
}

/// `db` with its shipment and ledger stores wrapped so that every write records the events
/// `events` derives, in the write's own transaction.
pub fn instrument_with(mut db: Database, events: Arc<dyn EventDeriver>) -> Database {
    db.shipments = Arc::new(EventingShipments {
        inner: db.shipments.clone(),
        writes: db.outbox_writes.clone(),
        events: events.clone(),
    });
    db.ledger = Arc::new(EventingLedger {
        inner: db.ledger.clone(),
        writes: db.outbox_writes.clone(),
        events,
    });
    db
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_stable_and_distinct() {
        assert_eq!(event_id("a|b"), event_id("a|b"));
        assert_ne!(event_id("a|b"), event_id("a|c"));
        assert!(event_id("x").starts_with("evt_"));
        assert_eq!(event_id("x").len(), 28);
    }

    #[test]
    fn ledger_keys_map_to_the_library_shipment_ids() {
        let key = ShipmentKey::new("acme", "SIP-1");
        let d = Sha256::digest("acme\u{1f}ship:acme:SIP-1".as_bytes());
        assert_eq!(
            candidate_ids(&key)[0].0,
            format!("shp_{}", &hex::encode(d)[..20])
        );
    }
}
