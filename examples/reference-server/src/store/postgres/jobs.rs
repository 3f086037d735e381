//! The job queue, the webhook outbox and the background jobs' shipment queries on PostgreSQL.
//! Several replicas share one queue: a claim is one `UPDATE … WHERE id IN (SELECT … FOR UPDATE
//! SKIP LOCKED)`, so concurrent workers take disjoint jobs without waiting on each other, and
//! every write that reads first (an event and its deliveries, a redelivery) is one transaction.
//! The transactional outbox ([`OutboxWrites`]) writes a shipment (its row locked `FOR UPDATE`
//! when updated) or a ledger batch (under the ledger's advisory locks) and its events in one
//! transaction.

use super::{PgDb, from_json, parse_ts, store_err, to_json, ts};
use crate::crypto::Sealed;
use crate::store::StoreResult;
use crate::store::jobs::{
    AttemptResult, DeliveryFilter, DeliveryRecord, DeliveryState, Enqueued, EventDeriver,
    EventRecord, Job, JobState, JobStore, MaintenanceStore, NewJob, OpenShipment, OutboxStore,
    OutboxWrites, SubscriptionRecord,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::shipment::{Shipment, ShipmentId};
use kargojet::wallet::{Applied, Batch};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row};
use std::time::Duration;

/// The job columns.
macro_rules! job_columns {
    () => {
        "id, kind, dedup_key, payload, state, attempts, max_attempts, run_at, locked_by, lease_until, last_error, created_at, updated_at"
    };
}
/// The delivery columns.
macro_rules! delivery_columns {
    () => {
        "seq, id, company, subscription_id, event_id, event_type, state, attempts, last_status, last_error, next_attempt_at, delivered_at, created_at"
    };
}
/// The subscription columns.
macro_rules! subscription_columns {
    () => {
        "id, company, url, events, key_id, nonce, ciphertext, created_at, updated_at"
    };
}
/// Final statuses, as stored.
macro_rules! final_statuses {
    () => {
        "('delivered', 'returned', 'cancelled')"
    };
}

fn opt_ts(r: &PgRow, col: &str) -> StoreResult<Option<DateTime<Utc>>> {
    let v: Option<String> = r.try_get(col).map_err(store_err)?;
    v.as_deref().map(parse_ts).transpose()
}

fn job_row(r: &PgRow) -> StoreResult<Job> {
    let state: String = r.try_get("state").map_err(store_err)?;
    let payload: String = r.try_get("payload").map_err(store_err)?;
    Ok(Job {
        id: r.try_get("id").map_err(store_err)?,
        kind: r.try_get("kind").map_err(store_err)?,
        dedup_key: r.try_get("dedup_key").map_err(store_err)?,
        payload: from_json("job payload", &payload)?,
        state: JobState::parse(&state)
            .ok_or_else(|| super::corrupt("job state", state.as_str()))?,
        attempts: u32::try_from(r.try_get::<i64, _>("attempts").map_err(store_err)?).unwrap_or(0),
        max_attempts: u32::try_from(r.try_get::<i64, _>("max_attempts").map_err(store_err)?)
            .unwrap_or(1),
        run_at: parse_ts(&r.try_get::<String, _>("run_at").map_err(store_err)?)?,
        locked_by: r.try_get("locked_by").map_err(store_err)?,
        lease_until: opt_ts(r, "lease_until")?,
        last_error: r.try_get("last_error").map_err(store_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at").map_err(store_err)?)?,
    })
}

fn delivery_row(r: &PgRow) -> StoreResult<DeliveryRecord> {
    let state: String = r.try_get("state").map_err(store_err)?;
    Ok(DeliveryRecord {
        seq: r.try_get("seq").map_err(store_err)?,
        id: r.try_get("id").map_err(store_err)?,
        company: r.try_get("company").map_err(store_err)?,
        subscription_id: r.try_get("subscription_id").map_err(store_err)?,
        event_id: r.try_get("event_id").map_err(store_err)?,
        event_type: r.try_get("event_type").map_err(store_err)?,
        state: DeliveryState::parse(&state)
            .ok_or_else(|| super::corrupt("delivery state", state.as_str()))?,
        attempts: u32::try_from(r.try_get::<i64, _>("attempts").map_err(store_err)?).unwrap_or(0),
        last_status: r
            .try_get::<Option<i64>, _>("last_status")
            .map_err(store_err)?
            .and_then(|s| u16::try_from(s).ok()),
        last_error: r.try_get("last_error").map_err(store_err)?,
        next_attempt_at: opt_ts(r, "next_attempt_at")?,
        delivered_at: opt_ts(r, "delivered_at")?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
    })
}

fn subscription_row(r: &PgRow) -> StoreResult<SubscriptionRecord> {
    let events: String = r.try_get("events").map_err(store_err)?;
    Ok(SubscriptionRecord {
        id: r.try_get("id").map_err(store_err)?,
        company: r.try_get("company").map_err(store_err)?,
        url: r.try_get("url").map_err(store_err)?,
        events: from_json("subscription events", &events)?,
        sealed: Sealed {
            key_id: r.try_get("key_id").map_err(store_err)?,
            nonce: r.try_get("nonce").map_err(store_err)?,
            ciphertext: r.try_get("ciphertext").map_err(store_err)?,
        },
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at").map_err(store_err)?)?,
    })
}

fn lease_end(now: DateTime<Utc>, lease: Duration) -> DateTime<Utc> {
    now + chrono::Duration::from_std(lease).unwrap_or_else(|_| chrono::Duration::seconds(60))
}

/// Inserts a job inside `tx` unless its deduplication key is taken.
async fn enqueue_in(
    tx: &mut sqlx::PgConnection,
    job: &NewJob,
    now: DateTime<Utc>,
) -> StoreResult<Enqueued> {
    // The key's uniqueness decides between two enqueuers racing (two replicas).
    let inserted = sqlx::query(
        "INSERT INTO jobs (id, kind, dedup_key, payload, state, attempts, max_attempts, run_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, $7, $8) ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind(&job.id)
    .bind(&job.kind)
    .bind(job.dedup_key.as_deref())
    .bind(to_json(&job.payload)?)
    .bind(i64::from(job.max_attempts.max(1)))
    .bind(ts(job.run_at))
    .bind(ts(now))
    .bind(ts(now))
    .execute(&mut *tx)
    .await
    .map_err(store_err)?
    .rows_affected();
    if inserted == 0 {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT id FROM jobs WHERE dedup_key = $1")
                .bind(job.dedup_key.as_deref())
                .fetch_optional(&mut *tx)
                .await
                .map_err(store_err)?;
        return Ok(Enqueued::Existing(
            existing.unwrap_or_else(|| job.id.clone()),
        ));
    }
    Ok(Enqueued::New(job.id.clone()))
}

#[async_trait]
impl JobStore for PgDb {
    async fn enqueue(&self, job: &NewJob, now: DateTime<Utc>) -> StoreResult<Enqueued> {
        let mut tx = self.begin().await?;
        let r = enqueue_in(&mut tx, job, now).await?;
        tx.commit().await.map_err(store_err)?;
        Ok(r)
    }

    async fn claim(
        &self,
        worker: &str,
        limit: u32,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<Vec<Job>> {
        // One statement: the due rows are locked as they are chosen, and rows another replica
        // has locked are skipped rather than waited for, so no job goes to two workers.
        let n = ts(now);
        let rows = sqlx::query(concat!("UPDATE jobs SET state = 'running', locked_by = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 WHERE id IN (SELECT id FROM jobs WHERE (state = 'queued' AND run_at <= $4) OR (state = 'running' AND lease_until < $5) ORDER BY run_at, id LIMIT $6 FOR UPDATE SKIP LOCKED) RETURNING ", job_columns!(), ""
        ))
        .bind(worker)
        .bind(ts(lease_end(now, lease)))
        .bind(&n)
        .bind(&n)
        .bind(&n)
        .bind(i64::from(limit.max(1)))
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        let mut out: Vec<Job> = rows.iter().map(job_row).collect::<StoreResult<_>>()?;
        out.sort_by(|a, b| (a.run_at, &a.id).cmp(&(b.run_at, &b.id)));
        Ok(out)
    }

    async fn complete(&self, id: &str, worker: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET state = 'done', dedup_key = NULL, locked_by = NULL, lease_until = NULL, updated_at = $1 WHERE id = $2 AND state = 'running' AND locked_by = $3",
        )
        .bind(ts(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn fail(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        retry_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = $1, last_error = $2, locked_by = NULL, lease_until = NULL, updated_at = $3 WHERE id = $4 AND state = 'running' AND locked_by = $5",
        )
        .bind(ts(retry_at))
        .bind(error)
        .bind(ts(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn dead_letter(
        &self,
        id: &str,
        worker: &str,
        error: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET state = 'dead', dedup_key = NULL, last_error = $1, locked_by = NULL, lease_until = NULL, updated_at = $2 WHERE id = $3 AND state = 'running' AND locked_by = $4",
        )
        .bind(error)
        .bind(ts(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn reschedule(
        &self,
        id: &str,
        worker: &str,
        run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = $1, attempts = 0, last_error = NULL, locked_by = NULL, lease_until = NULL, updated_at = $2 WHERE id = $3 AND state = 'running' AND locked_by = $4",
        )
        .bind(ts(run_at))
        .bind(ts(now))
        .bind(id)
        .bind(worker)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn job(&self, id: &str) -> StoreResult<Option<Job>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            job_columns!(),
            " FROM jobs WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_err)?;
        row.as_ref().map(job_row).transpose()
    }

    async fn jobs(
        &self,
        state: Option<JobState>,
        kind: Option<&str>,
        limit: u32,
    ) -> StoreResult<Vec<Job>> {
        let mut q: QueryBuilder<Postgres> =
            QueryBuilder::new(concat!("SELECT ", job_columns!(), " FROM jobs WHERE 1 = 1"));
        if let Some(s) = state {
            q.push(" AND state = ").push_bind(s.id());
        }
        if let Some(k) = kind {
            q.push(" AND kind = ").push_bind(k.to_string());
        }
        q.push(" ORDER BY created_at, id LIMIT ")
            .push_bind(i64::from(limit.clamp(1, 10_000)));
        let rows = q.build().fetch_all(&self.pool).await.map_err(store_err)?;
        rows.iter().map(job_row).collect()
    }

    async fn requeue(
        &self,
        id: &str,
        run_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE jobs SET state = 'queued', run_at = $1, attempts = 0, updated_at = $2 WHERE id = $3 AND state IN ('dead', 'done')",
        )
        .bind(ts(run_at))
        .bind(ts(now))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }
}

/// Records `event` inside the transaction `tx` (not committed here): once by id and, when
/// new, a delivery and its job (built by `job`) per live subscription taking its type. Returns
/// the deliveries created (0 for a replay).
async fn record_event_in(
    tx: &mut sqlx::PgConnection,
    event: &EventRecord,
    job: &(dyn for<'d> Fn(&'d str) -> NewJob + Send + Sync),
) -> StoreResult<usize> {
    let inserted = sqlx::query(
        "INSERT INTO webhook_events (id, company, type, shipment_id, body, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT(id) DO NOTHING",
    )
    .bind(&event.id)
    .bind(&event.company)
    .bind(&event.event_type)
    .bind(event.shipment_id.as_deref())
    .bind(&event.body)
    .bind(ts(event.created_at))
    .execute(&mut *tx)
    .await
    .map_err(store_err)?
    .rows_affected();
    if inserted == 0 {
        return Ok(0);
    }
    let subs = sqlx::query(
        "SELECT id, events FROM webhook_subscriptions WHERE company = $1 AND deleted_at IS NULL ORDER BY created_at, id",
    )
    .bind(&event.company)
    .fetch_all(&mut *tx)
    .await
    .map_err(store_err)?;
    let now = event.created_at;
    let mut created = 0;
    for s in subs {
        let sid: String = s.try_get("id").map_err(store_err)?;
        let events: Vec<String> = from_json(
            "subscription events",
            &s.try_get::<String, _>("events").map_err(store_err)?,
        )?;
        if !events.iter().any(|e| e == &event.event_type) {
            continue;
        }
        let did = crate::ids::new_id("whd");
        let j = job(&did);
        sqlx::query(
            "INSERT INTO webhook_deliveries (id, company, subscription_id, event_id, event_type, state, attempts, next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $8) ON CONFLICT(subscription_id, event_id) DO NOTHING",
        )
        .bind(&did)
        .bind(&event.company)
        .bind(&sid)
        .bind(&event.id)
        .bind(&event.event_type)
        .bind(ts(j.run_at))
        .bind(ts(now))
        .bind(ts(now))
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        enqueue_in(&mut *tx, &j, now).await?;
        created += 1;
    }
    Ok(created)
}

/// Records `events` (derived by `deriver`) inside the transaction `tx`.
async fn record_events_in(
    tx: &mut sqlx::PgConnection,
    events: &[EventRecord],
    deriver: &dyn EventDeriver,
) -> StoreResult<()> {
    for event in events {
        let job = |delivery_id: &str| deriver.delivery_job(delivery_id, event);
        record_event_in(&mut *tx, event, &job).await?;
    }
    Ok(())
}

#[async_trait]
impl OutboxWrites for PgDb {
    async fn insert_shipment(
        &self,
        shipment: &Shipment,
        events: &dyn EventDeriver,
    ) -> StoreResult<()> {
        let derived = events.inserted(shipment, Utc::now());
        let mut tx = self.begin().await?;
        super::shipments::insert_in(&mut tx, shipment).await?;
        record_events_in(&mut tx, &derived, events).await?;
        tx.commit().await.map_err(store_err)
    }

    async fn update_shipment(
        &self,
        shipment: &Shipment,
        events: &dyn EventDeriver,
    ) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        let before =
            super::shipments::get_in(&mut tx, super::shipments::GET_FOR_UPDATE_SQL, &shipment.id)
                .await?;
        super::shipments::update_in(&mut tx, shipment).await?;
        if let Some(before) = before {
            let derived = events.updated(&before, shipment, Utc::now());
            record_events_in(&mut tx, &derived, events).await?;
        }
        tx.commit().await.map_err(store_err)
    }

    async fn apply_batch(&self, batch: &Batch, events: &dyn EventDeriver) -> StoreResult<Applied> {
        let mut tx = self.begin().await?;
        let applied = super::ledger::apply_in(&mut tx, batch).await?;
        if applied == Applied::New {
            let mut shipments = Vec::new();
            for id in events.batch_shipments(batch) {
                if let Some(s) =
                    super::shipments::get_in(&mut tx, super::shipments::GET_SQL, &id).await?
                {
                    shipments.push(s);
                }
            }
            let derived = events.applied(batch, &shipments, Utc::now());
            record_events_in(&mut tx, &derived, events).await?;
        }
        tx.commit().await.map_err(store_err)?;
        Ok(applied)
    }
}

#[async_trait]
impl OutboxStore for PgDb {
    async fn create_subscription(&self, s: &SubscriptionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO webhook_subscriptions (id, company, url, events, key_id, nonce, ciphertext, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&s.id)
        .bind(&s.company)
        .bind(&s.url)
        .bind(to_json(&s.events)?)
        .bind(&s.sealed.key_id)
        .bind(&s.sealed.nonce)
        .bind(&s.sealed.ciphertext)
        .bind(ts(s.created_at))
        .bind(ts(s.updated_at))
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn subscriptions(&self, company: &str) -> StoreResult<Vec<SubscriptionRecord>> {
        let rows = sqlx::query(concat!("SELECT ", subscription_columns!(), " FROM webhook_subscriptions WHERE company = $1 AND deleted_at IS NULL ORDER BY created_at, id"
        ))
        .bind(company)
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        rows.iter().map(subscription_row).collect()
    }

    async fn subscription(
        &self,
        company: &str,
        id: &str,
    ) -> StoreResult<Option<SubscriptionRecord>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            subscription_columns!(),
            " FROM webhook_subscriptions WHERE company = $1 AND id = $2 AND deleted_at IS NULL"
        ))
        .bind(company)
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_err)?;
        row.as_ref().map(subscription_row).transpose()
    }

    async fn set_secrets(
        &self,
        company: &str,
        id: &str,
        sealed: &Sealed,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE webhook_subscriptions SET key_id = $1, nonce = $2, ciphertext = $3, updated_at = $4 WHERE company = $5 AND id = $6 AND deleted_at IS NULL",
        )
        .bind(&sealed.key_id)
        .bind(&sealed.nonce)
        .bind(&sealed.ciphertext)
        .bind(ts(at))
        .bind(company)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn delete_subscription(
        &self,
        company: &str,
        id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut tx = self.begin().await?;
        let r = sqlx::query(
            "UPDATE webhook_subscriptions SET deleted_at = $1, updated_at = $2 WHERE company = $3 AND id = $4 AND deleted_at IS NULL",
        )
        .bind(ts(at))
        .bind(ts(at))
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if r.rows_affected() == 1 {
            sqlx::query(
                "UPDATE webhook_deliveries SET state = 'cancelled', next_attempt_at = NULL, updated_at = $1 WHERE subscription_id = $2 AND state = 'pending'",
            )
            .bind(ts(at))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        }
        tx.commit().await.map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn record_event(
        &self,
        event: &EventRecord,
        job: &(dyn for<'d> Fn(&'d str) -> NewJob + Send + Sync),
    ) -> StoreResult<usize> {
        let mut tx = self.begin().await?;
        let created = record_event_in(&mut tx, event, job).await?;
        tx.commit().await.map_err(store_err)?;
        Ok(created)
    }

    async fn event(&self, id: &str) -> StoreResult<Option<EventRecord>> {
        let row = sqlx::query(
            "SELECT id, company, type, shipment_id, body, created_at FROM webhook_events WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_err)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(EventRecord {
            id: r.try_get("id").map_err(store_err)?,
            company: r.try_get("company").map_err(store_err)?,
            event_type: r.try_get("type").map_err(store_err)?,
            shipment_id: r.try_get("shipment_id").map_err(store_err)?,
            body: r.try_get("body").map_err(store_err)?,
            created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
        }))
    }

    async fn delivery(&self, id: &str) -> StoreResult<Option<DeliveryRecord>> {
        let row = sqlx::query(concat!(
            "SELECT ",
            delivery_columns!(),
            " FROM webhook_deliveries WHERE id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(store_err)?;
        row.as_ref().map(delivery_row).transpose()
    }

    async fn deliveries(
        &self,
        company: &str,
        f: &DeliveryFilter,
    ) -> StoreResult<(Vec<DeliveryRecord>, Option<i64>)> {
        let limit = i64::from(f.limit.clamp(1, 200));
        let mut q: QueryBuilder<Postgres> = QueryBuilder::new(concat!(
            "SELECT ",
            delivery_columns!(),
            " FROM webhook_deliveries WHERE company = "
        ));
        q.push_bind(company.to_string());
        if let Some(s) = f.state {
            q.push(" AND state = ").push_bind(s.id());
        }
        if let Some(s) = &f.subscription_id {
            q.push(" AND subscription_id = ").push_bind(s.clone());
        }
        if let Some(e) = &f.event_id {
            q.push(" AND event_id = ").push_bind(e.clone());
        }
        if let Some(b) = f.before {
            q.push(" AND seq < ").push_bind(b);
        }
        q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit + 1);
        let rows = q.build().fetch_all(&self.pool).await.map_err(store_err)?;
        let more = rows.len() as i64 > limit;
        let items: Vec<DeliveryRecord> = rows
            .iter()
            .take(usize::try_from(limit).unwrap_or(200))
            .map(delivery_row)
            .collect::<StoreResult<_>>()?;
        let next = if more {
            items.last().map(|d| d.seq)
        } else {
            None
        };
        Ok((items, next))
    }

    async fn record_attempt(&self, id: &str, a: &AttemptResult) -> StoreResult<()> {
        sqlx::query(
            "UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, last_status = $2, last_error = $3, next_attempt_at = $4, delivered_at = COALESCE($5, delivered_at), updated_at = $6 WHERE id = $7 AND state <> 'cancelled'",
        )
        .bind(a.state.id())
        .bind(a.status.map(i64::from))
        .bind(a.error.as_deref())
        .bind(a.next_attempt_at.map(ts))
        .bind((a.state == DeliveryState::Delivered).then(|| ts(a.at)))
        .bind(ts(a.at))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn redeliver(
        &self,
        company: &str,
        id: &str,
        job: &NewJob,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<DeliveryRecord>> {
        let mut tx = self.begin().await?;
        let r = sqlx::query(
            "UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $1, updated_at = $2 WHERE company = $3 AND id = $4 AND state <> 'cancelled'",
        )
        .bind(ts(job.run_at))
        .bind(ts(now))
        .bind(company)
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        if r.rows_affected() == 0 {
            tx.commit().await.map_err(store_err)?;
            return Ok(None);
        }
        enqueue_in(&mut tx, job, now).await?;
        let row = sqlx::query(concat!(
            "SELECT ",
            delivery_columns!(),
            " FROM webhook_deliveries WHERE id = $1"
        ))
        .bind(id)
        .fetch_one(&mut *tx)
        .await
        .map_err(store_err)?;
        let d = delivery_row(&row)?;
        tx.commit().await.map_err(store_err)?;
        Ok(Some(d))
    }
}

#[async_trait]
impl MaintenanceStore for PgDb {
    async fn open_shipments(&self, limit: u32) -> StoreResult<Vec<OpenShipment>> {
        let rows = sqlx::query(concat!("SELECT s.id, s.carrier, p.polled_at FROM shipments s LEFT JOIN tracking_polls p ON p.shipment_id = s.id WHERE s.status NOT IN ", final_statuses!(), " ORDER BY COALESCE(p.polled_at, '') , s.seq LIMIT $1"
        ))
        .bind(i64::from(limit.clamp(1, 10_000)))
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(OpenShipment {
                    id: ShipmentId(r.try_get("id").map_err(store_err)?),
                    carrier: r.try_get("carrier").map_err(store_err)?,
                    polled_at: opt_ts(r, "polled_at")?,
                })
            })
            .collect()
    }

    async fn mark_polled(
        &self,
        id: &ShipmentId,
        carrier: &str,
        at: DateTime<Utc>,
        error: Option<&str>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO tracking_polls (shipment_id, carrier, polled_at, polls, last_error) VALUES ($1, $2, $3, 1, $4) ON CONFLICT(shipment_id) DO UPDATE SET polled_at = excluded.polled_at, polls = tracking_polls.polls + 1, last_error = excluded.last_error",
        )
        .bind(&id.0)
        .bind(carrier)
        .bind(ts(at))
        .bind(error)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn finished_unerased(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> StoreResult<Vec<(i64, Shipment)>> {
        let rows = sqlx::query(concat!(
            "SELECT seq, data FROM shipments WHERE status IN ",
            final_statuses!(),
            " AND erased_at IS NULL AND seq > $1 ORDER BY seq LIMIT $2"
        ))
        .bind(after_seq)
        .bind(i64::from(limit.clamp(1, 10_000)))
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                let seq: i64 = r.try_get("seq").map_err(store_err)?;
                let data: String = r.try_get("data").map_err(store_err)?;
                Ok((seq, from_json("shipment", &data)?))
            })
            .collect()
    }

    async fn finished_since(&self, since: DateTime<Utc>, limit: u32) -> StoreResult<Vec<Shipment>> {
        let rows = sqlx::query(concat!(
            "SELECT data FROM shipments WHERE status IN ",
            final_statuses!(),
            " AND updated_at >= $1 ORDER BY updated_at LIMIT $2"
        ))
        .bind(ts(since))
        .bind(i64::from(limit.clamp(1, 10_000)))
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                let data: String = r.try_get("data").map_err(store_err)?;
                from_json("shipment", &data)
            })
            .collect()
    }

    async fn write_erased(&self, shipment: &Shipment, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query(
            "UPDATE shipments SET data = $1, erased_at = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(to_json(shipment)?)
        .bind(ts(at))
        .bind(ts(Utc::now()))
        .bind(&shipment.id.0)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn delete_bulk_before(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let r = sqlx::query("DELETE FROM bulk_uploads WHERE created_at < $1")
            .bind(ts(before))
            .execute(&self.pool)
            .await
            .map_err(store_err)?;
        Ok(r.rows_affected())
    }

    async fn erased_at(&self, id: &ShipmentId) -> StoreResult<Option<DateTime<Utc>>> {
        let v: Option<Option<String>> =
            sqlx::query_scalar("SELECT erased_at FROM shipments WHERE id = $1")
                .bind(&id.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_err)?;
        v.flatten().as_deref().map(parse_ts).transpose()
    }
}
