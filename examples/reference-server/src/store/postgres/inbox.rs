//! Inbound webhook deduplication (`INSERT … ON CONFLICT DO NOTHING`: of two replicas receiving
//! one event, exactly one claims it).

use super::{PgDb, store_err, ts};
use crate::store::{StoreResult, WebhookInbox};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::shipment::ShipmentId;

#[async_trait]
impl WebhookInbox for PgDb {
    async fn claim(&self, event_id: &str, carrier: &str, at: DateTime<Utc>) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO webhook_inbox (event_id, carrier, received_at) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING",
        )
        .bind(event_id)
        .bind(carrier)
        .bind(ts(at))
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn complete(&self, event_id: &str, shipment: Option<&ShipmentId>) -> StoreResult<()> {
        sqlx::query("UPDATE webhook_inbox SET shipment_id = $1 WHERE event_id = $2")
            .bind(shipment.map(|s| s.0.as_str()))
            .bind(event_id)
            .execute(&self.pool)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn release(&self, event_id: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM webhook_inbox WHERE event_id = $1")
            .bind(event_id)
            .execute(&self.pool)
            .await
            .map_err(store_err)?;
        Ok(())
    }
}
