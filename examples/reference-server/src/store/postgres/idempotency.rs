//! Idempotency keys: the library's `IdempotencyStore`. Who owns a new key is decided by
//! `INSERT … ON CONFLICT DO NOTHING` (a concurrent insert of the same key waits for the first
//! to commit, then does nothing), and every read-modify-write of a key holds its row lock
//! (`SELECT … FOR UPDATE`), so two requests with one key can never both own it.

use super::{PgDb, from_json, store_err, to_json, ts};
use crate::store::StoreResult;
use async_trait::async_trait;
use kargojet::error::{Code, Error};
use kargojet::shipment::ShipmentId;
use kargojet::store::{
    Begin, IdempotencyRecord, IdempotencyState, IdempotencyStore, PendingAttempt,
};
use sqlx::{PgConnection, Row};

/// How often `begin` retries when the key it lost to is released before it could read it.
const BEGIN_RETRIES: usize = 8;

async fn load(
    conn: &mut PgConnection,
    key: &str,
    for_update: bool,
) -> StoreResult<Option<IdempotencyRecord>> {
    let sql = if for_update {
        "SELECT fingerprint, state FROM idempotency WHERE key = $1 FOR UPDATE"
    } else {
        "SELECT fingerprint, state FROM idempotency WHERE key = $1"
    };
    let row = sqlx::query(sql)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    match row {
        None => Ok(None),
        Some(r) => {
            let fingerprint: String = r.try_get("fingerprint").map_err(store_err)?;
            let state: String = r.try_get("state").map_err(store_err)?;
            Ok(Some(IdempotencyRecord {
                fingerprint,
                state: from_json("idempotency state", &state)?,
            }))
        }
    }
}

async fn store_state(
    conn: &mut PgConnection,
    key: &str,
    state: &IdempotencyState,
) -> StoreResult<()> {
    sqlx::query("UPDATE idempotency SET state = $1, updated_at = $2 WHERE key = $3")
        .bind(to_json(state)?)
        .bind(ts(chrono::Utc::now()))
        .bind(key)
        .execute(&mut *conn)
        .await
        .map_err(store_err)?;
    Ok(())
}

#[async_trait]
impl IdempotencyStore for PgDb {
    async fn begin(&self, key: &str, fingerprint: &str) -> StoreResult<Begin> {
        let fresh = to_json(&IdempotencyState::InFlight {
            attempts: Vec::new(),
        })?;
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        for _ in 0..BEGIN_RETRIES {
            let inserted = sqlx::query(
                "INSERT INTO idempotency (key, fingerprint, state, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
            )
            .bind(key)
            .bind(fingerprint)
            .bind(&fresh)
            .bind(ts(chrono::Utc::now()))
            .execute(&mut *conn)
            .await
            .map_err(store_err)?;
            if inserted.rows_affected() == 1 {
                return Ok(Begin::New);
            }
            // Someone else's key: read what it holds now (it may have been released since).
            match load(&mut conn, key, false).await? {
                None => continue,
                Some(r) if r.fingerprint != fingerprint => {
                    return Err(Error::conflict(
                        Code::RequestIdempotencyMismatch,
                        "the key was used with another request",
                    ));
                }
                Some(IdempotencyRecord {
                    state: IdempotencyState::Completed { shipment },
                    ..
                }) => return Ok(Begin::Done(shipment)),
                Some(IdempotencyRecord {
                    state: IdempotencyState::InFlight { attempts },
                    ..
                }) => return Ok(Begin::Resume(attempts)),
            }
        }
        Err(Error::internal(format!(
            "idempotency key '{key}' kept changing under {BEGIN_RETRIES} attempts"
        )))
    }

    async fn record_attempt(&self, key: &str, attempt: PendingAttempt) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        match load(&mut tx, key, true).await? {
            Some(IdempotencyRecord {
                state: IdempotencyState::InFlight { mut attempts },
                ..
            }) => {
                if !attempts.contains(&attempt) {
                    attempts.push(attempt);
                }
                store_state(&mut tx, key, &IdempotencyState::InFlight { attempts }).await?;
            }
            _ => {
                return Err(Error::internal(format!(
                    "idempotency key '{key}' is not in flight"
                )));
            }
        }
        tx.commit().await.map_err(store_err)
    }

    async fn complete(&self, key: &str, shipment: &ShipmentId) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        if load(&mut tx, key, true).await?.is_none() {
            return Err(Error::internal(format!("idempotency key '{key}' unknown")));
        }
        store_state(
            &mut tx,
            key,
            &IdempotencyState::Completed {
                shipment: shipment.clone(),
            },
        )
        .await?;
        tx.commit().await.map_err(store_err)
    }

    async fn release(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM idempotency WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        load(&mut conn, key, false).await
    }
}
