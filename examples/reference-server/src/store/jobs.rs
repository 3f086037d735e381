//! The job queue and the outbound-webhook outbox, as traits implemented per database
//! (`store::sqlite::jobs`, `store::postgres::jobs`).
//!
//! - [`JobStore`]: jobs live in the database. `enqueue` is idempotent by a deduplication key
//!   (at most one queued or running job per key), `claim` hands due jobs to one worker under a
//!   lease (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so several replicas share the work
//!   without taking the same job), and a job ends `done` or `dead` (the dead letter), or goes
//!   back to `queued` with a later `run_at`.
//! - [`OutboxStore`]: webhook subscriptions per company, events (each with a stable id and the
//!   exact body sent), and one delivery per subscription and event, whose job is enqueued in
//!   the same transaction as the delivery.
//! - [`OutboxWrites`]: the transactional outbox. A shipment insert or update, or a ledger
//!   batch, and the outbound events it causes (as an [`EventDeriver`] derives them: event,
//!   deliveries, delivery jobs — exactly what [`OutboxStore::record_event`] writes) are written
//!   in one database transaction, so no write stands without its events and no event exists
//!   without its write, whatever fails or crashes in between.
//! - [`MaintenanceStore`]: what the background jobs read and write on shipments: open
//!   shipments to poll, finished shipments to anonymise (KVKK), old bulk uploads.

use super::StoreResult;
use crate::crypto::Sealed;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::shipment::{Shipment, ShipmentId};
use kargojet::wallet::{Applied, Batch};
use std::time::Duration;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Waiting for its `run_at`.
    Queued,
    /// Claimed by a worker (until its lease ends).
    Running,
    /// Finished.
    Done,
    /// Failed too often: the dead letter, until requeued.
    Dead,
}

impl JobState {
    /// The stored id.
    pub fn id(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Dead => "dead",
        }
    }

    /// Parses a stored id.
    pub fn parse(s: &str) -> Option<JobState> {
        [
            JobState::Queued,
            JobState::Running,
            JobState::Done,
            JobState::Dead,
        ]
        .into_iter()
        .find(|j| j.id() == s)
    }
}

/// A job to enqueue.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// Its id (`job_…`).
    pub id: String,
    /// What to do (`webhook.deliver`, `tracking.poll`, …).
    pub kind: String,
    /// At most one queued or running job has this key; enqueueing another is a no-op.
    pub dedup_key: Option<String>,
    /// The job's input (JSON).
    pub payload: serde_json::Value,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// Attempts before the dead letter.
    pub max_attempts: u32,
}

/// A stored job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Id.
    pub id: String,
    /// Kind.
    pub kind: String,
    /// The deduplication key while queued or running.
    pub dedup_key: Option<String>,
    /// Input.
    pub payload: serde_json::Value,
    /// State.
    pub state: JobState,
    /// Attempts started (a claim counts as one).
    pub attempts: u32,
    /// Attempts before the dead letter.
    pub max_attempts: u32,
    /// Not before.
    pub run_at: DateTime<Utc>,
    /// The worker holding it.
    pub locked_by: Option<String>,
    /// When the holder's lease ends.
    pub lease_until: Option<DateTime<Utc>>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When enqueued.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// What `enqueue` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Enqueued {
    /// A new job with this id.
    New(String),
    /// A queued or running job with the same deduplication key exists (its id).
    Existing(String),
}

impl Enqueued {
    /// The job's id.
    pub fn id(&self) -> &str {
        match self {
            Enqueued::New(id) | Enqueued::Existing(id) => id,
        }
    }
}

/// The job queue.
#[async_trait]
pub trait JobStore: Send + Sync {
    /// Enqueues a job unless a queued or running job has its deduplication key.
    async fn enqueue(&self, job: &NewJob, now: DateTime<Utc>) -> StoreResult<Enqueued>;
    /// Claims up to `limit` due jobs for `worker` (queued with `run_at <= now`, or running with
    /// an expired lease), soonest first: each becomes `running` under a lease until
    /// `now + lease`, and its attempt count goes up by one.
    async fn claim(
        &self,
        worker: &str,
        limit: u32,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<Vec<Job>>;
    /// Marks `worker`'s job done; `false` if the worker no longer holds it.
    async fn complete(&self, id: &str, worker: &str, now: DateTime<Utc>) -> StoreResult<bool>;
    /// Records a failure and queues the job again at `retry_at`; `false` if not held.
    async fn fail(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        retry_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Moves `worker`'s job to the dead letter with its last error; `false` if not held.
    async fn dead_letter(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Queues a periodic job again at `run_at` with its attempts reset; `false` if not held.
    async fn reschedule(
        &self,
        id: &str,
        worker: &str,
        run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// One job.
    async fn job(&self, id: &str) -> StoreResult<Option<Job>>;
    /// Jobs in `state` (all if `None`), of `kind` (all if `None`), oldest first.
    async fn jobs(
        &self,
        state: Option<JobState>,
        kind: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Job>>;
    /// Queues a dead (or done) job again at `run_at` with its attempts reset; `false` if it is
    /// queued or running already, or does not exist.
    async fn requeue(
        &self,
        id: &str,
        run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool>;
}

/// A webhook subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionRecord {
    /// Id (`whs_…`).
    pub id: String,
    /// Company.
    pub company: String,
    /// Where events are posted.
    pub url: String,
    /// The event types sent.
    pub events: Vec<String>,
    /// The signing secrets, encrypted (JSON list of [`SigningSecret`]).
    pub sealed: Sealed,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// One signing secret of a subscription.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SigningSecret {
    /// The secret (`whsec_…`).
    pub secret: String,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When it stops signing (`None`: the current secret).
    pub expires_at: Option<DateTime<Utc>>,
}

/// An event to send.
#[derive(Debug, Clone, PartialEq)]
pub struct EventRecord {
    /// Stable id (`evt_…`): the same event has the same id on every retry and replay.
    pub id: String,
    /// Company.
    pub company: String,
    /// Type (`shipment.created`, …).
    pub event_type: String,
    /// The shipment it is about.
    pub shipment_id: Option<String>,
    /// The exact JSON body.
    pub body: String,
    /// When it happened.
    pub created_at: DateTime<Utc>,
}

/// Where a delivery is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not yet acknowledged; attempts continue.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Failed every attempt: dead letter (redeliver through the API).
    Dead,
    /// The subscription was deleted before delivery.
    Cancelled,
}

impl DeliveryState {
    /// The stored id.
    pub fn id(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Delivered => "delivered",
            DeliveryState::Dead => "dead",
            DeliveryState::Cancelled => "cancelled",
        }
    }

    /// Parses a stored id.
    pub fn parse(s: &str) -> Option<DeliveryState> {
        [
            DeliveryState::Pending,
            DeliveryState::Delivered,
            DeliveryState::Dead,
            DeliveryState::Cancelled,
        ]
        .into_iter()
        .find(|d| d.id() == s)
    }
}

/// One event to one subscription.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRecord {
    /// Order of creation (cursor).
    pub seq: i64,
    /// Id (`whd_…`).
    pub id: String,
    /// Company.
    pub company: String,
    /// Subscription.
    pub subscription_id: String,
    /// Event.
    pub event_id: String,
    /// Event type.
    pub event_type: String,
    /// State.
    pub state: DeliveryState,
    /// Attempts made.
    pub attempts: u32,
    /// HTTP status of the last attempt.
    pub last_status: Option<u16>,
    /// The last failure.
    pub last_error: Option<String>,
    /// When the next attempt is due (pending only).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When acknowledged.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// The result of one delivery attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct AttemptResult {
    /// The state after the attempt.
    pub state: DeliveryState,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    /// What went wrong.
    pub error: Option<String>,
    /// When the next attempt is due.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When the attempt ended.
    pub at: DateTime<Utc>,
}

/// Filters of the delivery list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeliveryFilter {
    /// Only this state.
    pub state: Option<DeliveryState>,
    /// Only this subscription.
    pub subscription_id: Option<String>,
    /// Only this event.
    pub event_id: Option<String>,
    /// Older than this cursor.
    pub before: Option<i64>,
    /// Page size (1–200).
    pub limit: u32,
}

/// Subscriptions, events and deliveries.
#[async_trait]
pub trait OutboxStore: Send + Sync {
    /// Stores a subscription.
    async fn create_subscription(&self, s: &SubscriptionRecord) -> StoreResult<()>;
    /// A company's live subscriptions, oldest first.
    async fn subscriptions(&self, company: &str) -> StoreResult<Vec<SubscriptionRecord>>;
    /// One of a company's live subscriptions.
    async fn subscription(
        &self,
        company: &str,
        id: &str,
    ) -> StoreResult<Option<SubscriptionRecord>>;
    /// Replaces a subscription's sealed secrets; `false` if the company has no such one.
    async fn set_secrets(
        &self,
        company: &str,
        id: &str,
        sealed: &Sealed,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Deletes a subscription (its pending deliveries are cancelled); `false` if none.
    async fn delete_subscription(
        &self,
        company: &str,
        id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool>;
    /// Records an event once (by id) and, when new, a delivery and its job (built by `job`
    /// from the delivery id) for every live subscription of the company taking its type —
    /// all in one transaction. Returns the deliveries created (0 for a replay).
    async fn record_event(
        &self,
        event: &EventRecord,
        job: &(dyn for<'d> Fn(&'d str) -> NewJob + Send + Sync),
    ) -> StoreResult<usize>;
    /// One event.
    async fn event(&self, id: &str) -> StoreResult<Option<EventRecord>>;
    /// One delivery by id (any company: the worker's view).
    async fn delivery(&self, id: &str) -> StoreResult<Option<DeliveryRecord>>;
    /// A page of a company's deliveries, newest first, and the next cursor.
    async fn deliveries(
        &self,
        company: &str,
        filter: &DeliveryFilter,
    ) -> StoreResult<(Vec<DeliveryRecord>, Option<i64>)>;
    /// Records an attempt's result (the attempt count goes up by one).
    async fn record_attempt(&self, id: &str, result: &AttemptResult) -> StoreResult<()>;
    /// Sends a company's delivery again: it becomes pending and `job` is enqueued (unless a
    /// job for it is queued or running) in one transaction. `None` if the company has no such
    /// delivery.
    async fn redeliver(
        &self,
        company: &str,
        id: &str,
        job: &NewJob,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<DeliveryRecord>>;
}

/// Derives the outbound events of a store write, without I/O, so that a store can record them
/// in the write's own transaction ([`OutboxWrites`]). The same write always derives events
/// with the same ids, so a replayed write records nothing new.
pub trait EventDeriver: Send + Sync {
    /// The events of inserting `shipment`, stamped `now`.
    fn inserted(&self, shipment: &Shipment, now: DateTime<Utc>) -> Vec<EventRecord>;
    /// The events of replacing the stored `before` by `after`, stamped `now`.
    fn updated(&self, before: &Shipment, after: &Shipment, now: DateTime<Utc>) -> Vec<EventRecord>;
    /// The ids of the shipments whose data the events of `batch` need (the store loads those
    /// that exist, inside the batch's transaction, for [`EventDeriver::applied`]).
    fn batch_shipments(&self, batch: &Batch) -> Vec<ShipmentId>;
    /// The events of newly applying `batch`, given the stored shipments among
    /// [`EventDeriver::batch_shipments`], stamped `now`.
    fn applied(
        &self,
        batch: &Batch,
        shipments: &[Shipment],
        now: DateTime<Utc>,
    ) -> Vec<EventRecord>;
    /// The job of delivery `delivery_id` of `event`.
    fn delivery_job(&self, delivery_id: &str, event: &EventRecord) -> NewJob;
}

/// Shipment and ledger writes that record their outbound events in the same transaction (the
/// transactional outbox). Each event is recorded as [`OutboxStore::record_event`] records it
/// (once by id; a delivery and its job per live subscription of the company taking its type).
/// When any statement fails — the write, an event, a delivery, a job — the whole transaction
/// rolls back and the error is returned: nothing of the write stands.
#[async_trait]
pub trait OutboxWrites: Send + Sync {
    /// Inserts `shipment` (as `ShipmentStore::insert`, conflict on an existing id) with the
    /// events of [`EventDeriver::inserted`].
    async fn insert_shipment(
        &self,
        shipment: &Shipment,
        events: &dyn EventDeriver,
    ) -> StoreResult<()>;
    /// Replaces a stored shipment (as `ShipmentStore::update`, not found if absent) with the
    /// events of [`EventDeriver::updated`] on the row it replaces (read and locked in the
    /// same transaction).
    async fn update_shipment(
        &self,
        shipment: &Shipment,
        events: &dyn EventDeriver,
    ) -> StoreResult<()>;
    /// Applies `batch` (as `LedgerStore::apply`) and, when it is new, records the events of
    /// [`EventDeriver::applied`]; a replayed batch records nothing.
    async fn apply_batch(&self, batch: &Batch, events: &dyn EventDeriver) -> StoreResult<Applied>;
}

/// A shipment the tracking poller may ask about.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenShipment {
    /// Id.
    pub id: ShipmentId,
    /// Carrier id.
    pub carrier: String,
    /// When it was last polled by the worker.
    pub polled_at: Option<DateTime<Utc>>,
}

/// What the background jobs need from the shipment tables.
#[async_trait]
pub trait MaintenanceStore: Send + Sync {
    /// Shipments not yet in a final state (delivered, returned, cancelled), least recently
    /// polled first.
    async fn open_shipments(&self, limit: u32) -> StoreResult<Vec<OpenShipment>>;
    /// Records a poll of a shipment (and its failure, if it failed).
    async fn mark_polled(
        &self,
        id: &ShipmentId,
        carrier: &str,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> StoreResult<()>;
    /// Shipments in a final state whose personal data is not erased yet, least recently
    /// updated first, after the cursor `after_seq`, with their cursor.
    async fn finished_unerased(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, Shipment)>>;
    /// Shipments in a final state updated at or after `since` (reserve release catch-up).
    async fn finished_since(&self, since: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Shipment>>;
    /// Writes an anonymised shipment and marks it erased at `at` (no change events).
    async fn write_erased(&self, shipment: &Shipment, at: DateTime<Utc>) -> StoreResult<()>;
    /// Deletes bulk uploads created before `before` (their rows carry personal data);
    /// returns how many.
    async fn delete_bulk_before(&self, before: DateTime<Utc>) -> StoreResult<u64>;
    /// When a shipment's personal data was erased.
    async fn erased_at(&self, id: &ShipmentId) -> StoreResult<Option<DateTime<Utc>>>;
}
