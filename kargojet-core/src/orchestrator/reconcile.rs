//! Reconciling a `create` that may have been received: ask the carrier by merchant key where
//! its lookup is conclusive, or resend with the same merchant key where the carrier rejects
//! duplicates (its "already exists" answer then counts as success). Each carrier crate documents
//! which it supports through [`crate::carrier::Reconciliation`].

use super::Orchestrator;
use super::ship::ShipRequest;
use crate::carrier::{CreateRequest, ReferenceLookup};
use crate::error::{Code, Error, Result};
use crate::pricing::Offer;
use crate::shipment::{CreatedShipment, MerchantKey};

/// What reconciliation concluded.
#[derive(Debug)]
pub(crate) enum Outcome {
    /// The carrier has the shipment.
    Created(CreatedShipment),
    /// The carrier certainly does not have it.
    NotCreated,
    /// Undecided: keep the key in flight and the money reserved; this error goes back.
    Unknown(Error),
}

impl Orchestrator {
    /// Settles a maybe-sent create of `key` with the offer's carrier. `first` is the error of the
    /// original call, if any.
    pub(crate) async fn reconcile(
        &self,
        request: &ShipRequest,
        offer: &Offer,
        key: &MerchantKey,
        first: Option<Error>,
    ) -> Result<Outcome> {
        let reg = self.registered(&offer.carrier, &offer.account)?;
        let carrier = &reg.carrier;
        let how = carrier.reconciliation();
        let mut last =
            first.unwrap_or_else(|| Error::internal(format!("attempt {key} did not finish")));
        let duplicate_seen = last.code() == Code::CarrierDuplicate;
        if duplicate_seen {
            return Ok(self
                .found_after_duplicate(carrier.as_ref(), key, offer)
                .await);
        }
        let mut resends = 0u32;
        for round in 0..self.max_reconcile_rounds {
            if how.lookup_conclusive {
                match carrier.find_by_reference(key, &offer.account).await {
                    Ok(ReferenceLookup::Found(c)) => return Ok(Outcome::Created(c)),
                    Ok(ReferenceLookup::NotFound) if !how.resend_is_safe => {
                        return Ok(Outcome::NotCreated);
                    }
                    Ok(_) => {}
                    Err(e) => {
                        last = e;
                        if !how.resend_is_safe {
                            continue;
                        }
                    }
                }
            }
            if !how.resend_is_safe || (how.max_resends > 0 && resends >= how.max_resends) {
                break;
            }
            resends += 1;
            let create = CreateRequest {
                shipment: request.shipment.clone(),
                merchant_key: key.clone(),
                account: offer.account.clone(),
                service: self.service_of(offer),
                billable_desi: offer.billable_desi,
                attempt: round + 1,
            };
            match carrier.create(&create).await {
                Ok(c) => return Ok(Outcome::Created(c)),
                Err(e) if e.code() == Code::CarrierDuplicate => {
                    return Ok(self
                        .found_after_duplicate(carrier.as_ref(), key, offer)
                        .await);
                }
                // A definite refusal of the resend: with duplicates recognizable, nothing exists
                // under this key (the original failed the same way or never arrived).
                Err(e @ Error::CarrierRejected { .. }) => {
                    tracing::info!(merchant_key = %key, code = %e.code(), "resend refused: not created");
                    return Ok(Outcome::NotCreated);
                }
                Err(e) => last = e,
            }
        }
        tracing::warn!(carrier = %offer.carrier, merchant_key = %key, code = %last.code(), "shipment could not be reconciled; key stays in flight");
        if last.is_maybe_sent() {
            return Ok(Outcome::Unknown(last));
        }
        Ok(Outcome::Unknown(Error::Transport {
            code: Code::ShipmentUnreconciled,
            carrier: Some(offer.carrier.clone()),
            send_state: crate::error::SendState::MaybeSent,
            http_status: None,
            detail: format!("merchant key {key}: {}", last.message_en()),
        }))
    }

    /// A duplicate answer means the carrier has the shipment: fetch its references if the
    /// lookup works, else keep the merchant key alone (the tracking number is back-filled by
    /// polling).
    async fn found_after_duplicate(
        &self,
        carrier: &dyn crate::carrier::Carrier,
        key: &MerchantKey,
        offer: &Offer,
    ) -> Outcome {
        if let Ok(ReferenceLookup::Found(c)) = carrier.find_by_reference(key, &offer.account).await
        {
            return Outcome::Created(c);
        }
        Outcome::Created(CreatedShipment {
            merchant_key: key.clone(),
            carrier_tracking_number: None,
            carrier_refs: Default::default(),
            label: None,
            raw: String::new(),
        })
    }
}
