//! Tracking polls. `tracking.schedule` (periodic) enqueues one `tracking.poll` per open
//! shipment, due no earlier than the carrier's minimum interval after its last poll;
//! `tracking.poll` asks the carrier through the orchestrator (new events merged, desi and COD
//! through the wallet), and a changed status emits `shipment.status_changed` through the
//! instrumented shipment store ([`super::events`]).
//!
//! Minimum intervals between two polls of one shipment (from `carriers/*.md`; carriers without
//! a documented limit get `tracking_default_min_secs`, 15 minutes by default):
//!
//! | carrier | interval | why |
//! |---|---|---|
//! | Yurtiçi | 2 min | identical `queryShipment` calls within ~1 minute are blocked |
//! | Sendeo | 30 min | TRACKDELIVERY answers are cached for 30 minutes |
//! | Kolay Gelsin | 6 h | pushes its events (webhook); polling only catches what a push missed |
//! | Sürat | default | behind Cloudflare, blocked clients get 403: stay conservative |

use super::{KIND_TRACKING_POLL, Outcome, Worker, after};
use crate::store::jobs::NewJob;
use chrono::Utc;
use kargojet::carrier::CarrierId;
use kargojet::shipment::ShipmentId;
use serde_json::json;
use std::time::Duration;

/// The minimum time between two polls of one shipment of `carrier`.
pub fn min_interval(cfg: &super::JobsConfig, carrier: &str) -> Duration {
    if let Some(s) = cfg.tracking_min_secs.get(carrier) {
        return Duration::from_secs(*s);
    }
    let documented = match CarrierId::parse(carrier) {
        CarrierId::Yurtici => Some(120),
        CarrierId::Sendeo => Some(30 * 60),
        CarrierId::KolayGelsin => Some(6 * 3600),
        _ => None,
    };
    Duration::from_secs(documented.unwrap_or(cfg.tracking_default_min_secs))
}

/// Enqueues a poll of every open shipment (up to `tracking_batch`), each due at its last poll
/// plus its carrier's minimum interval; a shipment with a poll queued already is skipped.
pub async fn schedule(w: &Worker) -> kargojet::Result<()> {
    let state = w.state();
    let cfg = &state.config.jobs;
    let now = Utc::now();
    let open = state
        .db
        .maintenance
        .open_shipments(cfg.tracking_batch)
        .await?;
    for s in open {
        let due = match s.polled_at {
            Some(t) => after(t, min_interval(cfg, &s.carrier)).max(now),
            None => now,
        };
        let job = NewJob {
            id: crate::ids::new_id("job"),
            kind: KIND_TRACKING_POLL.to_string(),
            dedup_key: Some(format!("poll:{}", s.id.0)),
            payload: json!({ "shipment_id": s.id.0, "carrier": s.carrier }),
            run_at: due,
            max_attempts: 1,
        };
        state.db.jobs.enqueue(&job, now).await?;
    }
    Ok(())
}

/// Polls one shipment. A carrier failure is recorded on the shipment's poll row and the job
/// ends: the next schedule round polls again after the minimum interval.
pub async fn poll(w: &Worker, job: &crate::store::jobs::Job) -> Outcome {
    let state = w.state();
    let Some(id) = job.payload["shipment_id"].as_str() else {
        return Outcome::Dead("payload without shipment_id".into());
    };
    let carrier = job.payload["carrier"].as_str().unwrap_or_default();
    let id = ShipmentId(id.to_string());
    let result = state.engine.orchestrator().track(&id).await;
    let error = result.as_ref().err().map(|e| e.code().to_string());
    if let Some(code) = &error {
        tracing::warn!(shipment = %id, carrier, code = %code, "tracking poll failed");
    }
    match state
        .db
        .maintenance
        .mark_polled(&id, carrier, Utc::now(), error.as_deref())
        .await
    {
        Ok(()) => Outcome::Done,
        Err(e) => Outcome::Dead(e.code().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_limits_and_overrides() {
        let mut cfg = super::super::JobsConfig::default();
        assert_eq!(min_interval(&cfg, "yurtici"), Duration::from_secs(120));
        assert_eq!(min_interval(&cfg, "sendeo"), Duration::from_secs(1800));
        assert_eq!(min_interval(&cfg, "aras"), Duration::from_secs(900));
        cfg.tracking_min_secs.insert("aras".into(), 5);
        assert_eq!(min_interval(&cfg, "aras"), Duration::from_secs(5));
    }
}
