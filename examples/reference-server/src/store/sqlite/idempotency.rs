//! Idempotency keys: the library's `IdempotencyStore`, each call one immediate transaction so
//! two requests with one key can never both own it.

use super::{SqliteDb, from_json, store_err, to_json, ts};
use crate::store::StoreResult;
use async_trait::async_trait;
use kargojet::error::{Code, Error};
use kargojet::shipment::ShipmentId;
use kargojet::store::{
    Begin, IdempotencyRecord, IdempotencyState, IdempotencyStore, PendingAttempt,
};
use sqlx::Row;

async fn load(
    conn: &mut sqlx::SqliteConnection,
    key: &str,
) -> StoreResult<Option<IdempotencyRecord>> {
    let row = sqlx::query("SELECT fingerprint, state FROM idempotency WHERE key = ?")
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

async fn save(
    conn: &mut sqlx::SqliteConnection,
    key: &str,
    fingerprint: &str,
    state: &IdempotencyState,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO idempotency (key, fingerprint, state, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
    )
    .bind(key)
    .bind(fingerprint)
    .bind(to_json(state)?)
    .bind(ts(chrono::Utc::now()))
    .execute(&mut *conn)
    .await
    .map_err(store_err)?;
    Ok(())
}

#[async_trait]
impl IdempotencyStore for SqliteDb {
    async fn begin(&self, key: &str, fingerprint: &str) -> StoreResult<Begin> {
        let mut tx = self.begin_write().await?;
        let out = match load(&mut tx, key).await? {
            None => {
                save(
                    &mut tx,
                    key,
                    fingerprint,
                    &IdempotencyState::InFlight {
                        attempts: Vec::new(),
                    },
                )
                .await?;
                Begin::New
            }
            Some(r) if r.fingerprint != fingerprint => {
                return Err(Error::conflict(
                    Code::RequestIdempotencyMismatch,
                    "the key was used with another request",
                ));
            }
            Some(IdempotencyRecord {
                state: IdempotencyState::Completed { shipment },
                ..
            }) => Begin::Done(shipment),
            Some(IdempotencyRecord {
                state: IdempotencyState::InFlight { attempts },
                ..
            }) => Begin::Resume(attempts),
        };
        tx.commit().await.map_err(store_err)?;
        Ok(out)
    }

    async fn record_attempt(&self, key: &str, attempt: PendingAttempt) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        match load(&mut tx, key).await? {
            Some(IdempotencyRecord {
                fingerprint,
                state: IdempotencyState::InFlight { mut attempts },
            }) => {
                if !attempts.contains(&attempt) {
                    attempts.push(attempt);
                }
                save(
                    &mut tx,
                    key,
                    &fingerprint,
                    &IdempotencyState::InFlight { attempts },
                )
                .await?;
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
        let mut tx = self.begin_write().await?;
        let Some(r) = load(&mut tx, key).await? else {
            return Err(Error::internal(format!("idempotency key '{key}' unknown")));
        };
        save(
            &mut tx,
            key,
            &r.fingerprint,
            &IdempotencyState::Completed {
                shipment: shipment.clone(),
            },
        )
        .await?;
        tx.commit().await.map_err(store_err)
    }

    async fn release(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM idempotency WHERE key = ?")
            .bind(key)
            .execute(&self.writer)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn get(&self, key: &str) -> StoreResult<Option<IdempotencyRecord>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        load(&mut conn, key).await
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_db::fresh;
    use super::*;

    #[tokio::test]
    async fn begin_is_exclusive_and_checks_fingerprints() {
        let s = fresh().await;
        assert_eq!(s.begin("k", "f1").await.ok(), Some(Begin::New));
        assert_eq!(s.begin("k", "f1").await.ok(), Some(Begin::Resume(vec![])));
        assert_eq!(
            s.begin("k", "f2").await.err().map(|e| e.code()),
            Some(Code::RequestIdempotencyMismatch)
        );
        let attempt = PendingAttempt {
            carrier: kargojet::carrier::CarrierId::Aras,
            account: kargojet::carrier::AccountId::platform(),
            merchant_key: kargojet::shipment::MerchantKey("KJ1".into()),
            attempt: Some(0),
        };
        assert!(s.record_attempt("k", attempt.clone()).await.is_ok());
        assert!(s.record_attempt("k", attempt.clone()).await.is_ok());
        assert_eq!(
            s.begin("k", "f1").await.ok(),
            Some(Begin::Resume(vec![attempt]))
        );
        let id = ShipmentId("s1".into());
        assert!(s.complete("k", &id).await.is_ok());
        assert_eq!(s.begin("k", "f1").await.ok(), Some(Begin::Done(id)));
        assert!(s.release("k").await.is_ok());
        assert_eq!(s.get("k").await.ok(), Some(None));
    }
}
