//! The admin endpoint (its own port, JSON):
//!
//! | request | answer |
//! | --- | --- |
//! | `GET /health` | `{"ok":true}` |
//! | `GET /shipments` | `{"yurtici":[{"reference","tracking_number","created_at","cancelled"}…],…}` |
//! | `GET /shipments/{carrier}` | that carrier's list |
//! | `GET /duplicates` | references held more than once, per carrier (empty when none) |
//! | `GET /clock` | `{"now","offset_secs"}` |
//! | `POST /clock` `{"advance_secs":N}` | moves every simulator's clock forward, persisted |
//! | `GET /journal` | how many state-changing requests each journal holds |

use crate::carriers::Entry;
use crate::state::Store;
use async_trait::async_trait;
use kargojet_carrier_common::sim::{
    CarrierFault, HeldShipment, SimHandler, SimRequest, SimResponse,
};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The admin handler over the running simulators and the state.
pub struct Admin {
    entries: Arc<Vec<Entry>>,
    store: Arc<Store>,
}

impl std::fmt::Debug for Admin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Admin").finish_non_exhaustive()
    }
}

impl Admin {
    /// An admin over `entries` and `store`.
    pub fn new(entries: Arc<Vec<Entry>>, store: Arc<Store>) -> Admin {
        Admin { entries, store }
    }

    fn held(&self) -> BTreeMap<String, Vec<HeldShipment>> {
        crate::carriers::inventory(&self.entries)
    }

    fn duplicates(&self) -> BTreeMap<String, BTreeMap<String, usize>> {
        self.held()
            .into_iter()
            .map(|(carrier, held)| {
                let mut count: BTreeMap<String, usize> = BTreeMap::new();
                for h in held {
                    *count.entry(h.reference).or_default() += 1;
                }
                count.retain(|_, n| *n > 1);
                (carrier, count)
            })
            .filter(|(_, d)| !d.is_empty())
            .collect()
    }
}

fn error(status: u16, code: &str, message: &str) -> SimResponse {
    SimResponse::json(status, &json!({ "code": code, "message": message }))
}

fn to_value<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

#[async_trait]
impl SimHandler for Admin {
    fn operation(&self, req: &SimRequest) -> String {
        format!("{} {}", req.method, req.path)
    }

    async fn handle(&self, req: &SimRequest, _injected: Option<&CarrierFault>) -> SimResponse {
        let path = req.path.trim_end_matches('/');
        match (req.method.as_str(), path) {
            ("GET", "/health") => SimResponse::json(200, &json!({ "ok": true })),
            ("GET", "/shipments") => SimResponse::json(200, &to_value(&self.held())),
            ("GET", "/duplicates") => SimResponse::json(200, &to_value(&self.duplicates())),
            ("GET", "/journal") => {
                SimResponse::json(200, &to_value(&self.store.journal_sizes().await))
            }
            ("GET", "/clock") => SimResponse::json(200, &to_value(&self.store.clock_state())),
            ("POST", "/clock") => {
                let body: Value = match serde_json::from_slice(&req.body) {
                    Ok(v) => v,
                    Err(e) => return error(400, "sim.bad_request", &e.to_string()),
                };
                let Some(secs) = body
                    .get("advance_secs")
                    .and_then(Value::as_i64)
                    .filter(|s| (1..=31_536_000).contains(s))
                else {
                    return error(400, "sim.bad_request", "advance_secs: 1–31536000");
                };
                match self.store.advance(chrono::Duration::seconds(secs)).await {
                    Ok(c) => SimResponse::json(200, &to_value(&c)),
                    Err(e) => error(500, e.code(), &e.to_string()),
                }
            }
            ("GET", p) if p.starts_with("/shipments/") => {
                let id = &p["/shipments/".len()..];
                match self.held().remove(id) {
                    Some(h) => SimResponse::json(200, &to_value(&h)),
                    None => error(404, "sim.unknown_carrier", id),
                }
            }
            (_, "/health" | "/shipments" | "/duplicates" | "/journal" | "/clock") => {
                error(405, "sim.method_not_allowed", &req.method)
            }
            _ => error(404, "sim.not_found", &req.path),
        }
    }
}
