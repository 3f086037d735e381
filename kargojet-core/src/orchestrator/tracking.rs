//! Tracking, pushed events, cancellation and returns.

use super::Orchestrator;
use super::ship::{ShipRequest, shipment_id};
use crate::carrier::{CancelRule, ReturnRequest};
use crate::error::{Code, Error, Result};
use crate::pricing::SelectionPolicy;
use crate::shipment::{MerchantKey, Shipment, ShipmentId, ShipmentRequest};
use crate::store::Begin;
use crate::tracking::{ShipmentStatus, TrackingEvent, current_status, merge_events};

impl Orchestrator {
    /// Polls the carrier, merges new events into the history (no duplicates), back-fills the
    /// carrier's tracking number, updates the status (unknown codes keep the previous one) and
    /// hands new events to the funding hook (desi reconciliation, COD) before the history is
    /// stored, so a failed money step is retried by the next poll and never lost.
    pub async fn track(&self, id: &ShipmentId) -> Result<Shipment> {
        let shipment = self.shipment(id).await?;
        let reg = self.registered(&shipment.carrier, &shipment.account)?;
        let update = reg.carrier.track(&shipment.reference()).await?;
        self.store_events(
            shipment,
            update.events,
            update.carrier_tracking_number,
            update.status,
        )
        .await
    }

    /// Applies events pushed by a carrier (webhooks) exactly like polled ones; a duplicate
    /// delivery changes nothing.
    pub async fn apply_events(
        &self,
        id: &ShipmentId,
        events: Vec<TrackingEvent>,
    ) -> Result<Shipment> {
        let shipment = self.shipment(id).await?;
        self.store_events(shipment, events, None, None).await
    }

    async fn store_events(
        &self,
        mut shipment: Shipment,
        events: Vec<TrackingEvent>,
        tracking_number: Option<String>,
        status: Option<ShipmentStatus>,
    ) -> Result<Shipment> {
        let before = shipment.events.len();
        let added = merge_events(&mut shipment.events, &events);
        let mut changed = added > 0;
        if let Some(t) = tracking_number.filter(|t| !t.trim().is_empty()) {
            if shipment.created.carrier_tracking_number.as_deref() != Some(t.as_str()) {
                shipment.created.carrier_tracking_number = Some(t);
                changed = true;
            }
        }
        let new_status = current_status(&shipment.events).or(status);
        if let Some(s) = new_status {
            if s != shipment.status && shipment.status != ShipmentStatus::Cancelled {
                shipment.status = s;
                changed = true;
            }
        }
        // The money step runs before the history is stored: the funding hook is replay-safe
        // (its transfers have ids fixed by the shipment and the event), so if it fails the
        // stored history still lacks these events and the next poll or push hands them over
        // again; if storing fails after it (or the process dies), the replay moves no money
        // twice. The other order would lose a COD credit or a desi charge whenever the wallet
        // failed once.
        if added > 0 {
            let new: Vec<TrackingEvent> = shipment
                .events
                .iter()
                .filter(|e| {
                    !events_contains(&shipment.events[..before.min(shipment.events.len())], e)
                        && events.contains(e)
                })
                .cloned()
                .collect();
            self.funding.on_events(&shipment, &new).await?;
        }
        if changed {
            self.shipments.update(&shipment).await?;
        }
        Ok(shipment)
    }

    /// Cancels a shipment. Refused locally once the carrier has the parcel (for carriers that
    /// cancel only before pickup); otherwise the carrier decides. A cancel of a cancelled
    /// shipment returns it unchanged. A successful cancel refunds through the funding hook.
    pub async fn cancel(&self, id: &ShipmentId) -> Result<Shipment> {
        let lock = self.key_lock(&format!("cancel:{id}"));
        let _guard = lock.lock().await;
        let mut shipment = self.shipment(id).await?;
        if shipment.status == ShipmentStatus::Cancelled {
            return Ok(shipment);
        }
        let reg = self.registered(&shipment.carrier, &shipment.account)?;
        match reg.capabilities.cancel {
            CancelRule::Never => {
                return Err(Error::unsupported(Some(shipment.carrier.clone()), "cancel"));
            }
            CancelRule::BeforePickup if shipment.status.is_after_pickup() => {
                return Err(Error::conflict(
                    Code::ShipmentInvalidState,
                    format!("{id} is {}: the carrier has the parcel", shipment.status),
                ));
            }
            CancelRule::BeforePickup => {}
        }
        reg.carrier.cancel(&shipment.reference()).await?;
        shipment.status = ShipmentStatus::Cancelled;
        self.shipments.update(&shipment).await?;
        self.funding.refund(&shipment).await?;
        Ok(shipment)
    }

    /// Creates a return shipment for `id` (recipient → sender) with the same carrier, under its
    /// own idempotency key.
    pub async fn create_return(&self, id: &ShipmentId, idempotency_key: &str) -> Result<Shipment> {
        let original = self.shipment(id).await?;
        let reg = self.registered(&original.carrier, &original.account)?;
        if !reg.capabilities.returns {
            return Err(Error::unsupported(
                Some(original.carrier.clone()),
                "returns",
            ));
        }
        let scoped = format!("return:{}:{}", original.company, idempotency_key.trim());
        let lock = self.key_lock(&scoped);
        let _guard = lock.lock().await;
        let swapped = ShipmentRequest {
            sender: original.request.recipient.clone(),
            recipient: original.request.sender.clone(),
            cod: None,
            ..original.request.clone()
        };
        let request = ShipRequest {
            company: original.company.clone(),
            shipment: swapped.clone(),
            policy: SelectionPolicy::default(),
            idempotency_key: idempotency_key.to_string(),
            choice: None,
        };
        match self
            .idempotency
            .begin(
                &scoped,
                &format!("{}:{}", original.id, request.fingerprint()),
            )
            .await?
        {
            Begin::Done(rid) => return self.shipment(&rid).await,
            Begin::New | Begin::Resume(_) => {}
        }
        let merchant_key = MerchantKey::derive("KR", &scoped);
        let ret = ReturnRequest {
            original: original.reference(),
            shipment: original.request.clone(),
            merchant_key,
        };
        let created = match reg.carrier.create_return(&ret).await {
            Ok(c) => c,
            Err(e) => {
                if !e.is_maybe_sent() {
                    self.idempotency.release(&scoped).await?;
                }
                return Err(e);
            }
        };
        let rid = shipment_id(&original.company, &scoped);
        let shipment = Shipment {
            id: rid.clone(),
            company: original.company.clone(),
            carrier: original.carrier.clone(),
            account: original.account.clone(),
            request: swapped,
            created,
            offer: original.offer.clone(),
            status: ShipmentStatus::Created,
            events: Vec::new(),
            created_at: self.clock.now(),
            idempotency_key: idempotency_key.to_string(),
            return_of: Some(original.id.clone()),
        };
        if self.shipments.get(&rid).await?.is_none() {
            self.shipments.insert(&shipment).await?;
        }
        self.idempotency.complete(&scoped, &rid).await?;
        Ok(shipment)
    }
}

fn events_contains(list: &[TrackingEvent], e: &TrackingEvent) -> bool {
    list.iter().any(|h| {
        h.time == e.time && h.carrier_code == e.carrier_code && h.carrier_text == e.carrier_text
    })
}
