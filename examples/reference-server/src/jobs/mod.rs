//! Background jobs in the server binary. Jobs live in the database ([`crate::store::jobs`]);
//! a [`Worker`] claims due jobs in batches under a lease and runs them:
//!
//! - `webhook.deliver` ([`deliver`]): one signed POST of an event to a subscription, retried
//!   with exponential backoff and full jitter, dead-lettered after `webhook_max_attempts`;
//! - `tracking.schedule` / `tracking.poll` ([`tracking`]): polls open shipments no more often
//!   than each carrier allows; a status change emits `shipment.status_changed` ([`events`]);
//! - `wallet.sweep` ([`maintenance`]): expires due holds and schedules the release of
//!   delivered shipments' desi reserves (the library's wallet operations; idempotent);
//! - `retention.sweep` ([`maintenance`]): KVKK — anonymises the recipient's personal data of
//!   shipments finished longer ago than `retention_days`; ledger lines stay untouched.
//!
//! The periodic jobs are rows like any other (one per kind, by deduplication key), so with
//! several replicas on PostgreSQL each runs once per interval, on whichever replica claims it.

pub mod deliver;
pub mod events;
pub mod maintenance;
pub mod tracking;

use crate::error::ServerError;
use crate::state::AppState;
use crate::store::StoreResult;
use crate::store::jobs::{Job, NewJob};

use chrono::{DateTime, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Job kind: deliver one webhook.
pub const KIND_DELIVER: &str = "webhook.deliver";
/// Job kind: enqueue polls of open shipments.
pub const KIND_TRACKING_SCHEDULE: &str = "tracking.schedule";
/// Job kind: poll one shipment.
pub const KIND_TRACKING_POLL: &str = "tracking.poll";
/// Job kind: hold expiry and desi-reserve release.
pub const KIND_WALLET_SWEEP: &str = "wallet.sweep";
/// Job kind: KVKK retention.
pub const KIND_RETENTION_SWEEP: &str = "retention.sweep";

/// Settings of the worker, the webhooks and the periodic jobs (`[jobs]` in the TOML file).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct JobsConfig {
    /// Run the worker in this process (`KARGOJET_JOBS`).
    pub enabled: bool,
    /// This worker's id (default: generated at start).
    pub worker_id: Option<String>,
    /// Pause between two claims when the queue had nothing due, in ms.
    pub poll_interval_ms: u64,
    /// Jobs claimed (and run concurrently) per round.
    pub batch_size: u32,
    /// A claimed job's lease; another worker takes it over after this (crash), in s.
    pub lease_secs: u64,
    /// Attempts of one webhook delivery before the dead letter.
    pub webhook_max_attempts: u32,
    /// Backoff of webhook retries: `random(0, min(max, base × 2^(attempt−1)))` (full jitter), ms.
    pub backoff_base_ms: u64,
    /// The backoff's ceiling, in ms.
    pub backoff_max_ms: u64,
    /// Deadline of one delivery attempt, in ms.
    pub webhook_timeout_ms: u64,
    /// How long a rotated-out signing secret keeps signing, in s (default 24 h).
    pub secret_grace_secs: u64,
    /// Accept subscription URLs on loopback and private addresses (tests, local setups).
    pub allow_private_urls: bool,
    /// How often open shipments are scheduled for polling, in s.
    pub tracking_interval_secs: u64,
    /// Minimum time between two polls of one shipment for carriers without a documented limit.
    pub tracking_default_min_secs: u64,
    /// Per-carrier minimum poll interval overrides (`yurtici = 120`), in s.
    pub tracking_min_secs: BTreeMap<String, u64>,
    /// Open shipments scheduled per round.
    pub tracking_batch: u32,
    /// How often holds are expired and reserves released, in s.
    pub wallet_sweep_secs: u64,
    /// Personal data of finished shipments is erased this many days after they finished.
    pub retention_days: u32,
    /// How often the retention job runs, in s.
    pub retention_interval_secs: u64,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            enabled: true,
            worker_id: None,
            poll_interval_ms: 500,
            batch_size: 32,
            lease_secs: 60,
            webhook_max_attempts: 8,
            backoff_base_ms: 2_000,
            backoff_max_ms: 3_600_000,
            webhook_timeout_ms: 10_000,
            secret_grace_secs: 24 * 3600,
            allow_private_urls: false,
            tracking_interval_secs: 300,
            tracking_default_min_secs: 900,
            tracking_min_secs: BTreeMap::new(),
            tracking_batch: 500,
            wallet_sweep_secs: 60,
            retention_days: 365,
            retention_interval_secs: 3600,
        }
    }
}

impl JobsConfig {
    /// Checks the ranges.
    pub fn validate(&self) -> Result<(), ServerError> {
        let bad = |field: &str, detail: &str| ServerError::Config {
            field: format!("jobs.{field}"),
            detail: detail.to_string(),
        };
        if self.batch_size == 0 || self.batch_size > 1000 {
            return Err(bad("batch_size", "must be 1–1000"));
        }
        if self.webhook_max_attempts == 0 || self.webhook_max_attempts > 100 {
            return Err(bad("webhook_max_attempts", "must be 1–100"));
        }
        if self.lease_secs == 0 {
            return Err(bad("lease_secs", "must be at least 1"));
        }
        if self.webhook_timeout_ms == 0 || self.webhook_timeout_ms / 1000 >= self.lease_secs {
            return Err(bad(
                "webhook_timeout_ms",
                "must be positive and shorter than the lease",
            ));
        }
        if self.retention_days == 0 {
            return Err(bad("retention_days", "must be at least 1"));
        }
        if self.backoff_max_ms < self.backoff_base_ms {
            return Err(bad("backoff_max_ms", "must not be below backoff_base_ms"));
        }
        Ok(())
    }
}

/// The full-jitter backoff before attempt `attempt + 1` (after `attempt` failures):
/// uniformly random in `[0, min(max, base × 2^(attempt − 1))]`.
pub fn backoff(cfg: &JobsConfig, attempt: u32) -> Duration {
    let exp = cfg
        .backoff_base_ms
        .saturating_mul(1u64 << attempt.saturating_sub(1).min(32));
    let cap = exp.min(cfg.backoff_max_ms);
    if cap == 0 {
        return Duration::ZERO;
    }
    Duration::from_millis(rand::random_range(0..=cap))
}

/// `now + d`.
pub(crate) fn after(now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(d).unwrap_or_else(|_| chrono::Duration::days(365))
}

/// What running one job came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Finished.
    Done,
    /// Failed; try again at this time.
    Retry {
        /// Why.
        error: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// Failed for good: dead letter.
    Dead(String),
    /// A periodic job: run again at this time.
    Again(DateTime<Utc>),
}

/// What one round of the worker did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoundReport {
    /// Jobs claimed.
    pub claimed: usize,
    /// Finished.
    pub done: usize,
    /// Queued again after a failure.
    pub retried: usize,
    /// Moved to the dead letter.
    pub dead: usize,
    /// Periodic jobs rescheduled.
    pub rescheduled: usize,
    /// Jobs whose lease was lost before they finished (another worker took them over).
    pub lost: usize,
}

/// A worker: claims due jobs and runs them. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Worker {
    state: AppState,
    id: String,
    http: reqwest::Client,
}

/// The periodic jobs: (kind, interval from the configuration).
fn periodic(cfg: &JobsConfig) -> [(&'static str, u64); 3] {
    [
        (KIND_TRACKING_SCHEDULE, cfg.tracking_interval_secs),
        (KIND_WALLET_SWEEP, cfg.wallet_sweep_secs),
        (KIND_RETENTION_SWEEP, cfg.retention_interval_secs),
    ]
}

impl Worker {
    /// A worker on the server's state, with the configured id (or a generated one).
    pub fn new(state: AppState) -> Result<Worker, ServerError> {
        let id = state
            .config
            .jobs
            .worker_id
            .clone()
            .unwrap_or_else(|| crate::ids::new_id("wrk"));
        Self::with_id(state, &id)
    }

    /// A worker with the id `id` (tests run several).
    pub fn with_id(state: AppState, id: &str) -> Result<Worker, ServerError> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_millis(state.config.jobs.webhook_timeout_ms))
            .connect_timeout(Duration::from_millis(
                state.config.jobs.webhook_timeout_ms.min(5_000),
            ))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("KargoJet-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ServerError::Internal(format!("webhook client: {e}")))?;
        Ok(Worker {
            state,
            id: id.to_string(),
            http,
        })
    }

    /// This worker's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The server state it works on.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Makes sure each periodic job exists (one row per kind; a no-op when it does).
    pub async fn ensure_periodic(&self) -> StoreResult<()> {
        let now = Utc::now();
        for (kind, _) in periodic(&self.state.config.jobs) {
            let job = NewJob {
                id: crate::ids::new_id("job"),
                kind: kind.to_string(),
                dedup_key: Some(format!("periodic:{kind}")),
                payload: serde_json::json!({}),
                run_at: now,
                max_attempts: 1_000_000,
            };
            self.state.db.jobs.enqueue(&job, now).await?;
        }
        Ok(())
    }

    /// Claims one batch of due jobs, runs them concurrently and records each outcome.
    pub async fn run_once(&self) -> StoreResult<RoundReport> {
        let cfg = &self.state.config.jobs;
        let now = Utc::now();
        let jobs = self
            .state
            .db
            .jobs
            .claim(
                &self.id,
                cfg.batch_size,
                now,
                Duration::from_secs(cfg.lease_secs),
            )
            .await?;
        let mut report = RoundReport {
            claimed: jobs.len(),
            ..RoundReport::default()
        };
        let outcomes = futures::future::join_all(jobs.iter().map(|j| self.run(j))).await;
        for (job, outcome) in jobs.iter().zip(outcomes) {
            let now = Utc::now();
            let store = &self.state.db.jobs;
            let held = match &outcome {
                Outcome::Done => {
                    report.done += 1;
                    store.complete(&job.id, &self.id, now).await?
                }
                Outcome::Retry { error, at } => {
                    report.retried += 1;
                    store.fail(&job.id, &self.id, error, *at, now).await?
                }
                Outcome::Dead(error) => {
                    report.dead += 1;
                    tracing::warn!(job = %job.id, kind = %job.kind, attempts = job.attempts, "job moved to the dead letter");
                    store.dead_letter(&job.id, &self.id, error, now).await?
                }
                Outcome::Again(at) => {
                    report.rescheduled += 1;
                    store.reschedule(&job.id, &self.id, *at, now).await?
                }
            };
            if !held {
                report.lost += 1;
                tracing::warn!(job = %job.id, kind = %job.kind, "lease lost before the job finished");
            }
        }
        Ok(report)
    }

    /// Runs rounds until one claims nothing, at most `max_rounds`; sums the reports.
    pub async fn drain(&self, max_rounds: usize) -> StoreResult<RoundReport> {
        let mut total = RoundReport::default();
        for _ in 0..max_rounds {
            let r = self.run_once().await?;
            total.claimed += r.claimed;
            total.done += r.done;
            total.retried += r.retried;
            total.dead += r.dead;
            total.rescheduled += r.rescheduled;
            total.lost += r.lost;
            if r.claimed == 0 {
                break;
            }
        }
        Ok(total)
    }

    async fn run(&self, job: &Job) -> Outcome {
        let cfg = &self.state.config.jobs;
        let (result, every) = match job.kind.as_str() {
            KIND_DELIVER => return deliver::run(self, job).await,
            KIND_TRACKING_POLL => return tracking::poll(self, job).await,
            KIND_TRACKING_SCHEDULE => (tracking::schedule(self).await, cfg.tracking_interval_secs),
            KIND_WALLET_SWEEP => (maintenance::wallet_sweep(self).await, cfg.wallet_sweep_secs),
            KIND_RETENTION_SWEEP => (
                maintenance::retention_sweep(self).await.map(|_| ()),
                cfg.retention_interval_secs,
            ),
            other => return Outcome::Dead(format!("unknown job kind {other}")),
        };
        if let Err(e) = result {
            tracing::error!(kind = %job.kind, code = %e.code(), "periodic job failed");
        }
        Outcome::Again(after(Utc::now(), Duration::from_secs(every)))
    }

    /// Runs rounds until `stop` turns true: a round right after a busy one, else a pause of
    /// `poll_interval_ms`. Store failures are logged and retried after the pause.
    pub fn spawn(
        self,
        mut stop: tokio::sync::watch::Receiver<bool>,
    ) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let pause = Duration::from_millis(self.state.config.jobs.poll_interval_ms.max(10));
            if let Err(e) = self.ensure_periodic().await {
                tracing::error!(code = %e.code(), "periodic jobs could not be scheduled");
            }
            tracing::info!(worker = %self.id, "job worker started");
            loop {
                if *stop.borrow() {
                    break;
                }
                let busy = match self.run_once().await {
                    Ok(r) => r.claimed > 0,
                    Err(e) => {
                        tracing::error!(code = %e.code(), "job round failed");
                        false
                    }
                };
                if !busy {
                    tokio::select! {
                        _ = tokio::time::sleep(pause) => {}
                        _ = stop.changed() => {}
                    }
                }
            }
            tracing::info!(worker = %self.id, "job worker stopped");
        })
    }
}
