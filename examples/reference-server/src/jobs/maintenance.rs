//! The wallet sweep and the KVKK retention job.
//!
//! - `wallet.sweep`: `Wallet::expire_due` releases every hold past its expiry (ship attempts
//!   never captured, desi reserves past their post-delivery grace); then every shipment that
//!   finished recently gets `WalletFunding::release_reserve_after` (a reserve whose expiry was
//!   not scheduled — say the process died between the status update and the funding hook —
//!   is scheduled now). Both are idempotent: replays change nothing.
//! - `retention.sweep`: shipments finished (delivered, returned, cancelled) more than
//!   `retention_days` ago, by the library's clock, are anonymised: the recipient's name,
//!   phone, e-mail, address line, neighbourhood, postal code and tax id (and, for a return,
//!   the sender, who is the original recipient), the carrier's raw response, the stored label
//!   and the carrier's event wording. Province and district stay (regional statistics), as do
//!   ids, status, price, parcels and every ledger line: the ledger is not touched at all.
//!   Bulk uploads (their rows hold the same personal data) older than the period are deleted.

use super::Worker;
use chrono::{DateTime, Utc};
use kargojet::address::{Party, Phone};
use kargojet::shipment::Shipment;
use kargojet::tracking::ShipmentStatus;

/// What replaces an erased text.
pub const ERASED: &str = "[silindi]";
/// The placeholder phone of an erased party (a valid, unassigned-looking Turkish number).
pub const ERASED_PHONE: &str = "5000000000";

/// Expires due holds and schedules the release of finished shipments' reserves.
pub async fn wallet_sweep(w: &Worker) -> kargojet::Result<()> {
    let state = w.state();
    let expired = state.engine.wallet.expire_due().await?;
    if expired > 0 {
        tracing::info!(expired, "holds expired");
    }
    let grace = state.engine.funding().config().delivery_grace;
    let window = chrono::Duration::from_std(grace).unwrap_or_else(|_| chrono::Duration::days(7))
        + chrono::Duration::days(2);
    let recent = state
        .db
        .maintenance
        .finished_since(Utc::now() - window, 1000)
        .await?;
    for s in recent.iter().filter(|s| {
        matches!(
            s.status,
            ShipmentStatus::Delivered | ShipmentStatus::Returned
        )
    }) {
        state
            .engine
            .funding()
            .release_reserve_after(s, finished_at(s))
            .await?;
    }
    Ok(())
}

/// When a shipment reached its final state: the time of its last final event, else of its
/// last event, else its creation.
pub fn finished_at(s: &Shipment) -> DateTime<Utc> {
    s.events
        .iter()
        .filter(|e| e.status.is_some_and(ShipmentStatus::is_final))
        .map(|e| e.time.with_timezone(&Utc))
        .max()
        .or_else(|| s.events.iter().map(|e| e.time.with_timezone(&Utc)).max())
        .unwrap_or(s.created_at)
}

fn erase_party(p: &mut Party) -> kargojet::Result<()> {
    p.name = ERASED.to_string();
    p.phone = Phone::parse(ERASED_PHONE, "phone")?;
    p.email = None;
    p.tax_id = None;
    p.address.line = ERASED.to_string();
    p.address.neighbourhood = None;
    p.address.postal_code = None;
    Ok(())
}

/// Removes the personal data of a finished shipment (see the module docs).
pub fn anonymise(s: &mut Shipment) -> kargojet::Result<()> {
    erase_party(&mut s.request.recipient)?;
    if s.return_of.is_some() {
        erase_party(&mut s.request.sender)?;
    }
    s.created.raw = String::new();
    s.created.label = None;
    for e in &mut s.events {
        e.carrier_text = e
            .status
            .map(|st| st.id().to_string())
            .unwrap_or_else(|| ERASED.to_string());
    }
    Ok(())
}

/// What one retention round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionReport {
    /// Shipments anonymised.
    pub erased: usize,
    /// Bulk uploads deleted.
    pub bulk_deleted: u64,
}

/// Anonymises every shipment finished before the retention cutoff.
pub async fn retention_sweep(w: &Worker) -> kargojet::Result<RetentionReport> {
    let state = w.state();
    let now = state.engine.clock().now();
    let cutoff = now - chrono::Duration::days(i64::from(state.config.jobs.retention_days));
    let mut report = RetentionReport::default();
    let mut cursor = 0;
    loop {
        let page = state.db.maintenance.finished_unerased(cursor, 200).await?;
        let Some((last, _)) = page.last() else { break };
        cursor = *last;
        for (_, mut s) in page {
            if finished_at(&s) >= cutoff {
                continue;
            }
            anonymise(&mut s)?;
            state.db.maintenance.write_erased(&s, now).await?;
            report.erased += 1;
        }
    }
    report.bulk_deleted = state.db.maintenance.delete_bulk_before(cutoff).await?;
    if report.erased > 0 || report.bulk_deleted > 0 {
        tracing::info!(
            erased = report.erased,
            bulk_deleted = report.bulk_deleted,
            "personal data past its retention period erased"
        );
    }
    Ok(report)
}
