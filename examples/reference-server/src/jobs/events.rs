//! Where outbound events come from. The library writes shipments through `ShipmentStore` and
//! money through `LedgerStore`; [`instrument`] wraps both stores of a [`Database`] so that
//! every path (API, bulk purchase, tracking polls, carrier pushes) emits the same events:
//!
//! - `shipment.created` — a shipment row is inserted;
//! - `shipment.status_changed` — an update changes the normalized status;
//! - `shipment.desi_adjusted` — a batch of the shipment's desi reconciliation is applied
//!   (transfer ids `<shipment prefix>:desi…`);
//! - `wallet.cod_credited` — a batch with a `cod_collection` line is applied.
//!
//! Each event's id is derived from what it describes (`evt_` + SHA-256 of the shipment and the
//! change), so a replayed write yields the same id and [`OutboxStore::record_event`] records it
//! once. Bodies carry ids, statuses and amounts, never personal data. An event is recorded
//! right after the write it describes succeeded; a failure to record it is logged and does not
//! undo the write.

use super::{KIND_DELIVER, after};
use crate::store::Database;
use crate::store::jobs::{EventRecord, NewJob, OutboxStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::carrier::CarrierId;
use kargojet::money::{Currency, Money};
use kargojet::shipment::{MerchantKey, Shipment, ShipmentId};
use kargojet::store::ShipmentStore;
use kargojet::wallet::{
    AccountKey, Applied, Batch, Hold, LedgerStore, LineKind, Link, ShipmentKey, Transfer,
    TransferId,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// `shipment.created`.
pub const SHIPMENT_CREATED: &str = "shipment.created";
/// `shipment.status_changed`.
pub const SHIPMENT_STATUS_CHANGED: &str = "shipment.status_changed";
/// `shipment.desi_adjusted`.
pub const SHIPMENT_DESI_ADJUSTED: &str = "shipment.desi_adjusted";
/// `wallet.cod_credited`.
pub const WALLET_COD_CREDITED: &str = "wallet.cod_credited";
/// Every event type, in documentation order.
pub const EVENT_TYPES: [&str; 4] = [
    SHIPMENT_CREATED,
    SHIPMENT_STATUS_CHANGED,
    SHIPMENT_DESI_ADJUSTED,
    WALLET_COD_CREDITED,
];

/// The stable id of the event described by `seed`.
pub fn event_id(seed: &str) -> String {
    let d = Sha256::digest(seed.as_bytes());
    format!("evt_{}", &hex::encode(d)[..24])
}

/// The delivery job of delivery `delivery_id`, due at `run_at`.
pub fn delivery_job(delivery_id: &str, run_at: DateTime<Utc>, max_attempts: u32) -> NewJob {
    NewJob {
        id: crate::ids::new_id("job"),
        kind: KIND_DELIVER.to_string(),
        dedup_key: Some(format!("deliver:{delivery_id}")),
        payload: json!({ "delivery_id": delivery_id }),
        run_at,
        max_attempts,
    }
}

/// Records events into the outbox.
#[derive(Clone)]
pub struct Emitter {
    outbox: Arc<dyn OutboxStore>,
    max_attempts: u32,
}

impl std::fmt::Debug for Emitter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emitter")
            .field("max_attempts", &self.max_attempts)
            .finish_non_exhaustive()
    }
}

impl Emitter {
    /// An emitter on `outbox`; deliveries get `max_attempts` attempts.
    pub fn new(outbox: Arc<dyn OutboxStore>, max_attempts: u32) -> Emitter {
        Emitter {
            outbox,
            max_attempts,
        }
    }

    /// Records the event `event_type` of `company` with `data`, its id derived from `seed`;
    /// returns how many deliveries it created (0 for a replay or no subscriber).
    pub async fn emit(
        &self,
        company: &str,
        event_type: &str,
        shipment_id: Option<&str>,
        seed: &str,
        data: Value,
    ) -> kargojet::Result<usize> {
        let id = event_id(&format!("{event_type}|{seed}"));
        let now = Utc::now();
        let body = json!({
            "id": id,
            "type": event_type,
            "created_at": crate::store::sqlite::ts(now),
            "company": company,
            "data": data,
        });
        let event = EventRecord {
            id,
            company: company.to_string(),
            event_type: event_type.to_string(),
            shipment_id: shipment_id.map(str::to_string),
            body: body.to_string(),
            created_at: now,
        };
        let max = self.max_attempts;
        let make = move |did: &str| delivery_job(did, after(now, Duration::ZERO), max);
        self.outbox.record_event(&event, &make).await
    }

    async fn emit_logged(
        &self,
        company: &str,
        event_type: &str,
        shipment_id: &str,
        seed: &str,
        data: Value,
    ) {
        if let Err(e) = self
            .emit(company, event_type, Some(shipment_id), seed, data)
            .await
        {
            tracing::error!(event = event_type, shipment = shipment_id, code = %e.code(), "event not recorded");
        }
    }
}

fn money(m: Money) -> Value {
    let mut d = m.round_kurus().amount;
    d.rescale(2);
    json!({ "amount": d.to_string(), "currency": m.currency.code() })
}

fn shipment_data(s: &Shipment) -> Value {
    json!({
        "shipment_id": s.id.0,
        "order_id": s.request.order_id,
        "carrier": s.carrier.as_str(),
        "merchant_key": s.created.merchant_key.as_str(),
        "carrier_tracking_number": s.created.carrier_tracking_number,
        "status": s.status.id(),
        "price": money(s.offer.breakdown.total),
        "cod_amount": s.request.cod.map(|c| money(c.amount)),
        "return_of": s.return_of.as_ref().map(|r| r.0.clone()),
    })
}

/// `ShipmentStore` that emits `shipment.created` and `shipment.status_changed`.
pub struct EventingShipments {
    inner: Arc<dyn ShipmentStore>,
    emitter: Emitter,
}

#[async_trait]
impl ShipmentStore for EventingShipments {
    async fn insert(&self, s: &Shipment) -> kargojet::Result<()> {
        self.inner.insert(s).await?;
        self.emitter
            .emit_logged(
                &s.company,
                SHIPMENT_CREATED,
                &s.id.0,
                &s.id.0,
                shipment_data(s),
            )
            .await;
        Ok(())
    }

    async fn update(&self, s: &Shipment) -> kargojet::Result<()> {
        let before = self.inner.get(&s.id).await?.map(|p| p.status);
        self.inner.update(s).await?;
        if let Some(prev) = before.filter(|p| *p != s.status) {
            let mut data = shipment_data(s);
            data["previous_status"] = json!(prev.id());
            data["changed_at"] = json!(s.events.last().map(|e| e.time.to_rfc3339()));
            let seed = format!(
                "{}|{}|{}|{}",
                s.id.0,
                prev.id(),
                s.status.id(),
                s.events.len()
            );
            self.emitter
                .emit_logged(&s.company, SHIPMENT_STATUS_CHANGED, &s.id.0, &seed, data)
                .await;
        }
        Ok(())
    }

    async fn get(&self, id: &ShipmentId) -> kargojet::Result<Option<Shipment>> {
        self.inner.get(id).await
    }

    async fn find_by_merchant_key(
        &self,
        carrier: &CarrierId,
        key: &MerchantKey,
    ) -> kargojet::Result<Option<Shipment>> {
        self.inner.find_by_merchant_key(carrier, key).await
    }

    async fn list(&self, company: &str) -> kargojet::Result<Vec<Shipment>> {
        self.inner.list(company).await
    }
}

/// The shipment ids a ledger key may name: the library derives a shipment's id from its
/// company and scoped idempotency key (`ship:<company>:<key>`, returns `return:<company>:<key>`).
fn candidate_ids(key: &ShipmentKey) -> [ShipmentId; 2] {
    let id = |scoped: String| {
        let d = Sha256::digest(format!("{}\u{1f}{scoped}", key.company).as_bytes());
        ShipmentId(format!("shp_{}", &hex::encode(d)[..20]))
    };
    [
        id(format!("ship:{}:{}", key.company, key.key)),
        id(format!("return:{}:{}", key.company, key.key)),
    ]
}

/// `LedgerStore` that emits `shipment.desi_adjusted` and `wallet.cod_credited`.
pub struct EventingLedger {
    inner: Arc<dyn LedgerStore>,
    shipments: Arc<dyn ShipmentStore>,
    emitter: Emitter,
}

impl EventingLedger {
    async fn shipment_of(&self, key: &ShipmentKey) -> Option<Shipment> {
        for id in candidate_ids(key) {
            if let Ok(Some(s)) = self.shipments.get(&id).await {
                return Some(s);
            }
        }
        None
    }

    async fn after_apply(&self, batch: &Batch) {
        let mut keys: Vec<&ShipmentKey> = Vec::new();
        for t in &batch.transfers {
            if let Link::Shipment(k) = &t.link
                && !keys.contains(&k)
            {
                keys.push(k);
            }
        }
        for key in keys {
            let mine: Vec<&Transfer> = batch
                .transfers
                .iter()
                .filter(|t| matches!(&t.link, Link::Shipment(k) if k == key))
                .collect();
            let sum = |line: LineKind| {
                mine.iter()
                    .filter(|t| t.line == line)
                    .fold(Money::zero(), |acc, t| {
                        acc.checked_add(t.amount).unwrap_or(acc)
                    })
            };
            let cod = mine.iter().any(|t| t.line == LineKind::CodCollection);
            let desi_prefix = format!("{}:desi", key.transfer_prefix());
            let desi = mine.iter().any(|t| t.id.as_str().starts_with(&desi_prefix));
            if !cod && !desi {
                continue;
            }
            let Some(s) = self.shipment_of(key).await else {
                tracing::warn!(company = %key.company, "ledger event for an unknown shipment");
                continue;
            };
            if cod {
                let collected = sum(LineKind::CodCollection);
                let fee = sum(LineKind::CodFee);
                let kdv = sum(LineKind::CodFeeKdv);
                let net = collected
                    .checked_sub(fee)
                    .and_then(|m| m.checked_sub(kdv))
                    .unwrap_or(collected);
                let data = json!({
                    "shipment_id": s.id.0,
                    "order_id": s.request.order_id,
                    "carrier": s.carrier.as_str(),
                    "collected": money(collected),
                    "cod_fee": money(fee),
                    "cod_fee_kdv": money(kdv),
                    "net": money(net),
                });
                self.emitter
                    .emit_logged(&s.company, WALLET_COD_CREDITED, &s.id.0, &s.id.0, data)
                    .await;
            }
            if desi {
                let charged = mine
                    .iter()
                    .filter(|t| t.line == LineKind::DesiDifference)
                    .filter(|t| !matches!(t.debit, AccountKey::Platform(_)))
                    .fold(Money::zero(), |acc, t| {
                        acc.checked_add(t.amount).unwrap_or(acc)
                    });
                let measured = kargojet::tracking::last_measurement(&s.events)
                    .and_then(|m| m.billable())
                    .map(|d| d.normalize().to_string());
                let data = json!({
                    "shipment_id": s.id.0,
                    "order_id": s.request.order_id,
                    "carrier": s.carrier.as_str(),
                    "declared_desi": s.offer.billable_desi.normalize().to_string(),
                    "measured_desi": measured,
                    "outcome": if charged.is_zero() { "reserve_released" } else { "charged" },
                    "charged": money(charged),
                });
                self.emitter
                    .emit_logged(&s.company, SHIPMENT_DESI_ADJUSTED, &s.id.0, &s.id.0, data)
                    .await;
            }
        }
    }
}

#[async_trait]
impl LedgerStore for EventingLedger {
    async fn open_company(
        &self,
        company: &str,
        currency: Currency,
        credit_limit: Money,
    ) -> kargojet::Result<()> {
        self.inner
            .open_company(company, currency, credit_limit)
            .await
    }

    async fn set_credit_limit(&self, company: &str, limit: Money) -> kargojet::Result<()> {
        self.inner.set_credit_limit(company, limit).await
    }

    async fn credit_limit(&self, company: &str) -> kargojet::Result<Money> {
        self.inner.credit_limit(company).await
    }

    async fn apply(&self, batch: &Batch) -> kargojet::Result<Applied> {
        let applied = self.inner.apply(batch).await?;
        if applied == Applied::New {
            self.after_apply(batch).await;
        }
        Ok(applied)
    }

    async fn transfer(&self, id: &TransferId) -> kargojet::Result<Option<Transfer>> {
        self.inner.transfer(id).await
    }

    async fn hold(&self, id: &TransferId) -> kargojet::Result<Option<Hold>> {
        self.inner.hold(id).await
    }

    async fn due_holds(&self, now: DateTime<Utc>, limit: usize) -> kargojet::Result<Vec<Hold>> {
        self.inner.due_holds(now, limit).await
    }

    async fn pending_holds(&self, company: &str) -> kargojet::Result<Vec<Hold>> {
        self.inner.pending_holds(company).await
    }

    async fn balance(&self, account: &AccountKey) -> kargojet::Result<Money> {
        self.inner.balance(account).await
    }

    async fn balances(&self) -> kargojet::Result<Vec<(AccountKey, Money)>> {
        self.inner.balances().await
    }

    async fn company_transfers(
        &self,
        company: &str,
        until: Option<DateTime<Utc>>,
    ) -> kargojet::Result<Vec<Transfer>> {
        self.inner.company_transfers(company, until).await
    }

    async fn shipment_transfers(&self, shipment: &ShipmentKey) -> kargojet::Result<Vec<Transfer>> {
        self.inner.shipment_transfers(shipment).await
    }
}

/// `db` with its shipment and ledger stores wrapped to emit events (deliveries get
/// `max_attempts` attempts).
pub fn instrument(mut db: Database, max_attempts: u32) -> Database {
    let emitter = Emitter::new(db.outbox.clone(), max_attempts);
    let raw_shipments = db.shipments.clone();
    db.shipments = Arc::new(EventingShipments {
        inner: raw_shipments.clone(),
        emitter: emitter.clone(),
    });
    db.ledger = Arc::new(EventingLedger {
        inner: db.ledger.clone(),
        shipments: raw_shipments,
        emitter,
    });
    db
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_are_stable_and_distinct() {
        assert_eq!(event_id("a|b"), event_id("a|b"));
        assert_ne!(event_id("a|b"), event_id("a|c"));
        assert!(event_id("x").starts_with("evt_"));
        assert_eq!(event_id("x").len(), 28);
    }

    #[test]
    fn ledger_keys_map_to_the_library_shipment_ids() {
        let key = ShipmentKey::new("acme", "SIP-1");
        let d = Sha256::digest("acme\u{1f}ship:acme:SIP-1".as_bytes());
        assert_eq!(
            candidate_ids(&key)[0].0,
            format!("shp_{}", &hex::encode(d)[..20])
        );
    }
}
