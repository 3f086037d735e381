//! Bulk uploads.

use super::{PgDb, parse_ts, store_err, ts};
use crate::store::{BulkRecord, BulkStore, StoreResult};
use async_trait::async_trait;
use sqlx::Row;

#[async_trait]
impl BulkStore for PgDb {
    async fn insert(&self, b: &BulkRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO bulk_uploads (id, company, file_name, file_hash, status, import, plan, purchase, labels, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&b.id)
        .bind(&b.company)
        .bind(b.file_name.as_deref())
        .bind(&b.file_hash)
        .bind(&b.status)
        .bind(&b.import)
        .bind(&b.plan)
        .bind(b.purchase.as_deref())
        .bind(b.labels.as_deref())
        .bind(ts(b.created_at))
        .bind(ts(b.created_at))
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn get(&self, company: &str, id: &str) -> StoreResult<Option<BulkRecord>> {
        let row = sqlx::query("SELECT * FROM bulk_uploads WHERE company = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_err)?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(BulkRecord {
            id: r.try_get("id").map_err(store_err)?,
            company: r.try_get("company").map_err(store_err)?,
            file_name: r.try_get("file_name").map_err(store_err)?,
            file_hash: r.try_get("file_hash").map_err(store_err)?,
            status: r.try_get("status").map_err(store_err)?,
            import: r.try_get("import").map_err(store_err)?,
            plan: r.try_get("plan").map_err(store_err)?,
            purchase: r.try_get("purchase").map_err(store_err)?,
            labels: r.try_get("labels").map_err(store_err)?,
            created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
        }))
    }

    async fn set_purchase(
        &self,
        company: &str,
        id: &str,
        purchase: &str,
        labels: Option<&[u8]>,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE bulk_uploads SET status = 'purchased', purchase = $1, labels = $2, updated_at = $3 WHERE company = $4 AND id = $5",
        )
        .bind(purchase)
        .bind(labels)
        .bind(ts(chrono::Utc::now()))
        .bind(company)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }
}
