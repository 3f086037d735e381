//! The audit log.

use super::{PgDb, parse_ts, store_err, ts};
use crate::store::{AuditRecord, AuditStore, StoreResult};
use async_trait::async_trait;
use sqlx::Row;

#[async_trait]
impl AuditStore for PgDb {
    async fn append(&self, a: &AuditRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, company, actor, role, request_id, method, path, object, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(ts(a.at))
        .bind(a.company.as_deref())
        .bind(&a.actor)
        .bind(a.role.as_deref())
        .bind(&a.request_id)
        .bind(&a.method)
        .bind(&a.path)
        .bind(a.object.as_deref())
        .bind(i32::from(a.status))
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(())
    }

    async fn list(
        &self,
        company: &str,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM audit_log WHERE company = $1 AND ($2::BIGINT IS NULL OR seq < $2::BIGINT) ORDER BY seq DESC LIMIT $3",
        )
        .bind(company)
        .bind(before)
        .bind(i64::from(limit.clamp(1, 500)))
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        rows.iter()
            .map(|r| {
                Ok(AuditRecord {
                    seq: r.try_get("seq").map_err(store_err)?,
                    at: parse_ts(&r.try_get::<String, _>("at").map_err(store_err)?)?,
                    company: r.try_get("company").map_err(store_err)?,
                    actor: r.try_get("actor").map_err(store_err)?,
                    role: r.try_get("role").map_err(store_err)?,
                    request_id: r.try_get("request_id").map_err(store_err)?,
                    method: r.try_get("method").map_err(store_err)?,
                    path: r.try_get("path").map_err(store_err)?,
                    object: r.try_get("object").map_err(store_err)?,
                    status: u16::try_from(r.try_get::<i32, _>("status").map_err(store_err)?)
                        .unwrap_or(0),
                })
            })
            .collect()
    }
}
