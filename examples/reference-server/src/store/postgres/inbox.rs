//! Inbound webhook events: claimed with a lease, done once applied. The claim is one upsert
//! (`ON CONFLICT … DO UPDATE … WHERE` the row is not done and its lease ran out), so of two
//! replicas receiving one event exactly one claims it.

use super::{PgDb, parse_ts, store_err, ts};
use crate::store::{InboxClaim, StoreResult, WebhookInbox};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::shipment::ShipmentId;
use sqlx::Row;
use std::time::Duration;

/// Claims the row or takes an expired claim over; the new token when this call holds it.
const CLAIM: &str = "INSERT INTO webhook_inbox (event_id, carrier, received_at, lease_until, claim_token) VALUES ($1, $2, $3, $4, $5) \
     ON CONFLICT (event_id) DO UPDATE SET lease_until = excluded.lease_until, claim_token = excluded.claim_token \
     WHERE webhook_inbox.done_at IS NULL AND (webhook_inbox.lease_until IS NULL OR webhook_inbox.lease_until <= excluded.received_at) \
     RETURNING claim_token";

#[async_trait]
impl WebhookInbox for PgDb {
    async fn claim(
        &self,
        event_id: &str,
        carrier: &str,
        now: DateTime<Utc>,
        lease: Duration,
    ) -> StoreResult<InboxClaim> {
        let token = crate::ids::new_id("inb");
        let until = crate::jobs::after(now, lease);
        // A claim given back between the upsert and the read is free again: try once more.
        for _ in 0..3 {
            let claimed = sqlx::query(CLAIM)
                .bind(event_id)
                .bind(carrier)
                .bind(ts(now))
                .bind(ts(until))
                .bind(&token)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_err)?;
            if claimed.is_some() {
                return Ok(InboxClaim::Claimed { token });
            }
            let row =
                sqlx::query("SELECT done_at, lease_until FROM webhook_inbox WHERE event_id = $1")
                    .bind(event_id)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(store_err)?;
            let Some(row) = row else { continue };
            if row
                .try_get::<Option<String>, _>("done_at")
                .map_err(store_err)?
                .is_some()
            {
                return Ok(InboxClaim::Done);
            }
            if let Some(held) = row
                .try_get::<Option<String>, _>("lease_until")
                .map_err(store_err)?
            {
                let held = parse_ts(&held)?;
                if held > now {
                    return Ok(InboxClaim::Busy { until: held });
                }
            }
        }
        Ok(InboxClaim::Busy { until: now })
    }

    async fn complete(
        &self,
        event_id: &str,
        shipment: Option<&ShipmentId>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE webhook_inbox SET done_at = COALESCE(done_at, $1), shipment_id = COALESCE(shipment_id, $2), lease_until = NULL, claim_token = NULL WHERE event_id = $3",
        )
        .bind(ts(now))
        .bind(shipment.map(|s| s.0.as_str()))
        .bind(event_id)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn release(&self, event_id: &str, token: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE webhook_inbox SET lease_until = NULL, claim_token = NULL WHERE event_id = $1 AND claim_token = $2 AND done_at IS NULL",
        )
        .bind(event_id)
        .bind(token)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }
}
