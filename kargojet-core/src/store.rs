//! Storage contracts: [`ShipmentStore`] and [`IdempotencyStore`] as async traits, with
//! in-memory implementations that are safe under concurrent use. The reference server
//! implements the same traits on SQL, each operation one transaction.

use crate::carrier::{AccountId, CarrierId};
use crate::error::{Code, Error, Result};
use crate::shipment::{MerchantKey, Shipment, ShipmentId};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;

/// Persists shipments.
#[async_trait]
pub trait ShipmentStore: Send + Sync {
    /// Inserts a new shipment; an existing id is a conflict.
    async fn insert(&self, shipment: &Shipment) -> Result<()>;
    /// Replaces a stored shipment (status, events, back-filled references).
    async fn update(&self, shipment: &Shipment) -> Result<()>;
    /// Loads one shipment.
    async fn get(&self, id: &ShipmentId) -> Result<Option<Shipment>>;
    /// Finds a shipment by carrier and merchant key.
    async fn find_by_merchant_key(
        &self,
        carrier: &CarrierId,
        key: &MerchantKey,
    ) -> Result<Option<Shipment>>;
    /// Lists a company's shipments, oldest first.
    async fn list(&self, company: &str) -> Result<Vec<Shipment>>;
}

/// A shipment attempt recorded before the carrier is called, so a crash or a maybe-sent failure
/// can be reconciled with the same merchant key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingAttempt {
    /// Carrier being called.
    pub carrier: CarrierId,
    /// Account used.
    pub account: AccountId,
    /// Merchant key sent.
    pub merchant_key: MerchantKey,
    /// The attempt number under the idempotency key (what the funding hook's holds are named
    /// after). `None` in records written before it was kept: their position is the number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempt: Option<u32>,
}

/// The state of an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdempotencyState {
    /// A call is working on it; attempts made so far (in order).
    InFlight {
        /// Carrier attempts.
        attempts: Vec<PendingAttempt>,
    },
    /// It produced this shipment.
    Completed {
        /// The shipment.
        shipment: ShipmentId,
    },
}

/// One idempotency record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    /// Fingerprint of the request (the same key with another fingerprint is a mismatch).
    pub fingerprint: String,
    /// State.
    pub state: IdempotencyState,
}

/// What [`IdempotencyStore::begin`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Begin {
    /// The key is new; the caller owns it now.
    New,
    /// A previous call with this key did not finish (crash or maybe-sent failure); the caller
    /// owns it now and must reconcile these attempts before sending anything new.
    Resume(Vec<PendingAttempt>),
    /// It completed with this shipment.
    Done(ShipmentId),
}

/// Persists idempotency keys.
#[async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Starts work on a key atomically. A different fingerprint under the same key is
    /// `request.idempotency_mismatch`.
    async fn begin(&self, key: &str, fingerprint: &str) -> Result<Begin>;
    /// Records an attempt before the carrier is called.
    async fn record_attempt(&self, key: &str, attempt: PendingAttempt) -> Result<()>;
    /// Marks the key done with its shipment.
    async fn complete(&self, key: &str, shipment: &ShipmentId) -> Result<()>;
    /// Forgets a key whose every attempt certainly failed, so the caller may try again.
    async fn release(&self, key: &str) -> Result<()>;
    /// Loads a record.
    async fn get(&self, key: &str) -> Result<Option<IdempotencyRecord>>;
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// In-memory [`ShipmentStore`].
#[derive(Debug, Default)]
pub struct MemoryShipmentStore {
    inner: Mutex<HashMap<ShipmentId, Shipment>>,
    order: Mutex<Vec<ShipmentId>>,
}

#[async_trait]
impl ShipmentStore for MemoryShipmentStore {
    async fn insert(&self, shipment: &Shipment) -> Result<()> {
        let mut m = lock(&self.inner);
        if m.contains_key(&shipment.id) {
            return Err(Error::conflict(
                Code::StoreFailed,
                format!("shipment {} exists", shipment.id),
            ));
        }
        m.insert(shipment.id.clone(), shipment.clone());
        lock(&self.order).push(shipment.id.clone());
        Ok(())
    }

    async fn update(&self, shipment: &Shipment) -> Result<()> {
        let mut m = lock(&self.inner);
        match m.get_mut(&shipment.id) {
            Some(s) => {
                *s = shipment.clone();
                Ok(())
            }
            None => Err(Error::not_found(
                Code::NotFoundShipment,
                shipment.id.to_string(),
            )),
        }
    }

    async fn get(&self, id: &ShipmentId) -> Result<Option<Shipment>> {
        Ok(lock(&self.inner).get(id).cloned())
    }

    async fn find_by_merchant_key(
        &self,
        carrier: &CarrierId,
        key: &MerchantKey,
    ) -> Result<Option<Shipment>> {
        Ok(lock(&self.inner)
            .values()
            .find(|s| &s.carrier == carrier && &s.created.merchant_key == key)
            .cloned())
    }

    async fn list(&self, company: &str) -> Result<Vec<Shipment>> {
        let m = lock(&self.inner);
        Ok(lock(&self.order)
            .iter()
            .filter_map(|id| m.get(id))
            .filter(|s| s.company == company)
            .cloned()
            .collect())
    }
}

/// In-memory [`IdempotencyStore`].
#[derive(Debug, Default)]
pub struct MemoryIdempotencyStore {
    inner: Mutex<HashMap<String, IdempotencyRecord>>,
}

#[async_trait]
impl IdempotencyStore for MemoryIdempotencyStore {
    async fn begin(&self, key: &str, fingerprint: &str) -> Result<Begin> {
        let mut m = lock(&self.inner);
        match m.get(key) {
            None => {
                m.insert(
                    key.to_string(),
                    IdempotencyRecord {
                        fingerprint: fingerprint.to_string(),
                        state: IdempotencyState::InFlight {
                            attempts: Vec::new(),
                        },
                    },
                );
                Ok(Begin::New)
            }
            Some(r) if r.fingerprint != fingerprint => Err(Error::conflict(
                Code::RequestIdempotencyMismatch,
                format!("key '{key}' was used with another request"),
            )),
            Some(IdempotencyRecord {
                state: IdempotencyState::Completed { shipment },
                ..
            }) => Ok(Begin::Done(shipment.clone())),
            Some(IdempotencyRecord {
                state: IdempotencyState::InFlight { attempts },
                ..
            }) => Ok(Begin::Resume(attempts.clone())),
        }
    }

    async fn record_attempt(&self, key: &str, attempt: PendingAttempt) -> Result<()> {
        let mut m = lock(&self.inner);
        match m.get_mut(key) {
            Some(IdempotencyRecord {
                state: IdempotencyState::InFlight { attempts },
                ..
            }) => {
                if !attempts.contains(&attempt) {
                    attempts.push(attempt);
                }
                Ok(())
            }
            _ => Err(Error::internal(format!(
                "idempotency key '{key}' is not in flight"
            ))),
        }
    }

    async fn complete(&self, key: &str, shipment: &ShipmentId) -> Result<()> {
        let mut m = lock(&self.inner);
        match m.get_mut(key) {
            Some(r) => {
                r.state = IdempotencyState::Completed {
                    shipment: shipment.clone(),
                };
                Ok(())
            }
            None => Err(Error::internal(format!("idempotency key '{key}' unknown"))),
        }
    }

    async fn release(&self, key: &str) -> Result<()> {
        lock(&self.inner).remove(key);
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<IdempotencyRecord>> {
        Ok(lock(&self.inner).get(key).cloned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn idempotency_begin_is_exclusive_and_checks_fingerprints() {
        let s = MemoryIdempotencyStore::default();
        assert_eq!(s.begin("k", "f1").await.ok(), Some(Begin::New));
        assert_eq!(s.begin("k", "f1").await.ok(), Some(Begin::Resume(vec![])));
        assert_eq!(
            s.begin("k", "f2").await.err().map(|e| e.code()),
            Some(Code::RequestIdempotencyMismatch)
        );
        let id = ShipmentId("s1".into());
        assert!(s.complete("k", &id).await.is_ok());
        assert_eq!(s.begin("k", "f1").await.ok(), Some(Begin::Done(id)));
    }
}
