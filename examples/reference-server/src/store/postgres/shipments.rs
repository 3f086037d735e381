//! Shipments: the library's `ShipmentStore` and the paged listing.

use super::{PgDb, from_json, is_unique_violation, store_err, to_json, ts};
use crate::store::{ShipmentFilter, ShipmentQuery, StoreResult};
use async_trait::async_trait;
use kargojet::carrier::CarrierId;
use kargojet::error::{Code, Error};
use kargojet::shipment::{MerchantKey, Shipment, ShipmentId};
use kargojet::store::ShipmentStore;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row};

fn parse_rows(rows: Vec<PgRow>) -> StoreResult<Vec<Shipment>> {
    rows.iter()
        .map(|r| {
            let data: String = r.try_get("data").map_err(store_err)?;
            from_json("shipment", &data)
        })
        .collect()
}

/// Inserts a shipment on `conn` (a conflict if its id exists).
pub(super) async fn insert_in(conn: &mut sqlx::PgConnection, s: &Shipment) -> StoreResult<()> {
    let data = to_json(s)?;
    let now = ts(chrono::Utc::now());
    let r = sqlx::query(
        "INSERT INTO shipments (id, company, carrier, merchant_key, status, order_id, created_at, updated_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&s.id.0)
    .bind(&s.company)
    .bind(s.carrier.as_str())
    .bind(s.created.merchant_key.as_str())
    .bind(s.status.id())
    .bind(s.request.order_id.as_deref())
    .bind(ts(s.created_at))
    .bind(&now)
    .bind(&data)
    .execute(&mut *conn)
    .await;
    match r {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(Error::conflict(
            Code::StoreFailed,
            format!("shipment {} exists", s.id),
        )),
        Err(e) => Err(store_err(e)),
    }
}

/// Replaces a stored shipment on `conn` (not found if absent).
pub(super) async fn update_in(conn: &mut sqlx::PgConnection, s: &Shipment) -> StoreResult<()> {
    let data = to_json(s)?;
    let r = sqlx::query(
        "UPDATE shipments SET status = $1, merchant_key = $2, data = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(s.status.id())
    .bind(s.created.merchant_key.as_str())
    .bind(&data)
    .bind(ts(chrono::Utc::now()))
    .bind(&s.id.0)
    .execute(&mut *conn)
    .await
    .map_err(store_err)?;
    if r.rows_affected() == 0 {
        return Err(Error::not_found(Code::NotFoundShipment, s.id.to_string()));
    }
    Ok(())
}

/// One shipment, read on `conn` with `sql` (a `SELECT data … WHERE id = <1st parameter>`).
pub(super) async fn get_in(
    conn: &mut sqlx::PgConnection,
    sql: &'static str,
    id: &ShipmentId,
) -> StoreResult<Option<Shipment>> {
    let row = sqlx::query(sql)
        .bind(&id.0)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    match row {
        Some(r) => {
            let data: String = r.try_get("data").map_err(store_err)?;
            Ok(Some(from_json("shipment", &data)?))
        }
        None => Ok(None),
    }
}

/// Reads one shipment.
pub(super) const GET_SQL: &str = "SELECT data FROM shipments WHERE id = $1";

/// Reads one shipment and locks its row until the transaction ends (an update that derives
/// events from the row it replaces: two concurrent updates see each other's result).
pub(super) const GET_FOR_UPDATE_SQL: &str = "SELECT data FROM shipments WHERE id = $1 FOR UPDATE";

#[async_trait]
impl ShipmentStore for PgDb {
    async fn insert(&self, s: &Shipment) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        insert_in(&mut conn, s).await
    }

    async fn update(&self, s: &Shipment) -> StoreResult<()> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        update_in(&mut conn, s).await
    }

    async fn get(&self, id: &ShipmentId) -> StoreResult<Option<Shipment>> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        get_in(&mut conn, GET_SQL, id).await
    }

    async fn find_by_merchant_key(
        &self,
        carrier: &CarrierId,
        key: &MerchantKey,
    ) -> StoreResult<Option<Shipment>> {
        let rows = sqlx::query(
            "SELECT data FROM shipments WHERE carrier = $1 AND merchant_key = $2 ORDER BY seq LIMIT 1",
        )
        .bind(carrier.as_str())
        .bind(key.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(parse_rows(rows)?.into_iter().next())
    }

    async fn list(&self, company: &str) -> StoreResult<Vec<Shipment>> {
        let rows = sqlx::query("SELECT data FROM shipments WHERE company = $1 ORDER BY seq")
            .bind(company)
            .fetch_all(&self.pool)
            .await
            .map_err(store_err)?;
        parse_rows(rows)
    }
}

#[async_trait]
impl ShipmentQuery for PgDb {
    async fn page(
        &self,
        company: &str,
        f: &ShipmentFilter,
    ) -> StoreResult<(Vec<Shipment>, Option<i64>)> {
        let limit = i64::from(f.limit.clamp(1, 200));
        let mut q: QueryBuilder<Postgres> =
            QueryBuilder::new("SELECT seq, data FROM shipments WHERE company = ");
        q.push_bind(company.to_string());
        if let Some(s) = f.status {
            q.push(" AND status = ").push_bind(s.id());
        }
        if let Some(c) = &f.carrier {
            q.push(" AND carrier = ").push_bind(c.clone());
        }
        if let Some(o) = &f.order_id {
            q.push(" AND order_id = ").push_bind(o.clone());
        }
        if let Some(t) = f.created_from {
            q.push(" AND created_at >= ").push_bind(ts(t));
        }
        if let Some(t) = f.created_to {
            q.push(" AND created_at < ").push_bind(ts(t));
        }
        if let Some(b) = f.before {
            q.push(" AND seq < ").push_bind(b);
        }
        q.push(" ORDER BY seq DESC LIMIT ").push_bind(limit + 1);
        let rows = q.build().fetch_all(&self.pool).await.map_err(store_err)?;
        let more = rows.len() as i64 > limit;
        let mut out = Vec::new();
        let mut last_seq = None;
        for r in rows.iter().take(usize::try_from(limit).unwrap_or(200)) {
            let seq: i64 = r.try_get("seq").map_err(store_err)?;
            let data: String = r.try_get("data").map_err(store_err)?;
            out.push(from_json("shipment", &data)?);
            last_seq = Some(seq);
        }
        Ok((out, if more { last_seq } else { None }))
    }

    async fn used_merchant_keys(
        &self,
        carrier: &str,
        low: &str,
        high: &str,
        limit: u32,
    ) -> StoreResult<Vec<String>> {
        let mut keys: Vec<String> = sqlx::query_scalar("SELECT merchant_key FROM shipments WHERE carrier = $1 AND merchant_key >= $2 AND merchant_key <= $3 ORDER BY merchant_key DESC LIMIT $4")
            .bind(carrier)
            .bind(low)
            .bind(high)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await
            .map_err(store_err)?;
        let in_flight: Vec<String> =
            sqlx::query_scalar("SELECT state FROM idempotency WHERE state LIKE $1")
                .bind(crate::store::IN_FLIGHT_PREFIX)
                .fetch_all(&self.pool)
                .await
                .map_err(store_err)?;
        for state in in_flight {
            keys.extend(crate::store::in_flight_keys(&state, carrier, low, high)?);
        }
        Ok(keys)
    }
}
