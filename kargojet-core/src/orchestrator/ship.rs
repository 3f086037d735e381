//! `Orchestrator::ship`: idempotent creation with fail-over and reconciliation.
//!
//! For one idempotency key:
//! 1. the same key and request returns the first result without calling any carrier again;
//!    the same key with another request is `request.idempotency_mismatch`;
//! 2. offers are tried best first; before each carrier call the attempt (carrier, account,
//!    merchant key) is recorded and the funding hook reserves the money;
//! 3. a failure that certainly did not create anything (not sent, or a carrier rejection)
//!    releases the money and fails over to the next offer when the policy allows;
//! 4. a failure that may have created the shipment (`MaybeSent`) is never retried blindly: it is
//!    reconciled with the same carrier and merchant key (see [`super::reconcile`]); it never
//!    fails over, and if reconciliation cannot decide, the key stays in flight and the money
//!    stays reserved, so a later call with the same key reconciles again.

use super::Orchestrator;
use super::funding::FundingContext;
use super::quote::QuoteRequest;
use super::reconcile::Outcome;
use crate::carrier::{CarrierId, CreateRequest};
use crate::error::{Code, Error, Result};
use crate::pricing::{Offer, SelectionPolicy};
use crate::shipment::{CreatedShipment, MerchantKey, Shipment, ShipmentId, ShipmentRequest};
use crate::store::{Begin, PendingAttempt};
use crate::tracking::ShipmentStatus;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Restricts `ship` to one carrier (and optionally one agreement) instead of the best offer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct OfferChoice {
    /// Carrier.
    pub carrier: CarrierId,
    /// Agreement id, if a specific one.
    #[serde(default)]
    pub agreement_id: Option<String>,
}

/// A request to buy a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipRequest {
    /// Paying company.
    pub company: String,
    /// The shipment.
    pub shipment: ShipmentRequest,
    /// Selection policy.
    #[serde(default)]
    pub policy: SelectionPolicy,
    /// Idempotency key chosen by the caller (e.g. its order id); at most 200 characters.
    pub idempotency_key: String,
    /// Use this carrier/agreement instead of the best offer.
    #[serde(default)]
    pub choice: Option<OfferChoice>,
}

impl ShipRequest {
    /// A fingerprint of everything that defines the request (not the key itself).
    pub fn fingerprint(&self) -> String {
        let body = serde_json::to_vec(&(&self.company, &self.shipment, &self.policy, &self.choice))
            .unwrap_or_default();
        hex::encode(Sha256::digest(&body))
    }
}

impl Orchestrator {
    /// Buys a shipment (see the module docs for the guarantees).
    pub async fn ship(&self, request: &ShipRequest) -> Result<Shipment> {
        let key = request.idempotency_key.trim();
        if key.is_empty() || key.len() > 200 {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "idempotency_key",
                "must have 1–200 characters",
            ));
        }
        request.shipment.validate()?;
        let scoped = format!("ship:{}:{key}", request.company);
        let lock = self.key_lock(&scoped);
        let _guard = lock.lock().await;
        let attempts_before = match self
            .idempotency
            .begin(&scoped, &request.fingerprint())
            .await?
        {
            Begin::Done(id) => return self.shipment(&id).await,
            Begin::New => Vec::new(),
            Begin::Resume(attempts) => attempts,
        };
        let quote = self
            .quote(&QuoteRequest {
                company: request.company.clone(),
                shipment: request.shipment.clone(),
                policy: request.policy.clone(),
            })
            .await;
        let quote = match quote {
            Ok(q) => q,
            Err(e) => {
                if attempts_before.is_empty() {
                    self.idempotency.release(&scoped).await?;
                }
                return Err(e);
            }
        };
        let offers: Vec<Offer> = quote
            .offers
            .into_iter()
            .filter(|o| {
                self.connectors
                    .contains_key(&(o.carrier.clone(), o.account.clone()))
            })
            .filter(|o| match &request.choice {
                None => true,
                Some(c) => {
                    o.carrier == c.carrier
                        && c.agreement_id
                            .as_deref()
                            .is_none_or(|a| a == &*o.agreement_id)
                }
            })
            .collect();

        // Attempt numbers name the holds and merchant keys: a resumed attempt keeps its own,
        // new ones come after every attempt made under the key so far (also by calls that
        // were released), so no hold or merchant key is ever reused.
        let numbers: Vec<u32> = attempts_before
            .iter()
            .enumerate()
            .map(|(i, a)| a.attempt.unwrap_or_else(|| attempt_no(i)))
            .collect();
        let first_new = match numbers.iter().max() {
            Some(m) => m.saturating_add(1),
            None => {
                self.funding
                    .first_free_attempt(&request.company, key)
                    .await?
            }
        };
        // A previous call left attempts in flight: settle them first, with the same keys.
        for (attempt, &n) in attempts_before.iter().zip(&numbers) {
            let Some(offer) = offers
                .iter()
                .find(|o| o.carrier == attempt.carrier && o.account == attempt.account)
            else {
                continue;
            };
            let ctx = FundingContext {
                company: &request.company,
                idempotency_key: key,
                attempt: n,
                offer,
                request: &request.shipment,
            };
            match self
                .reconcile(request, offer, &attempt.merchant_key, None)
                .await?
            {
                Outcome::Created(created) => {
                    return self.finish(request, &scoped, &ctx, offer, created).await;
                }
                Outcome::NotCreated => self.funding.release(&ctx).await?,
                Outcome::Unknown(e) => return Err(e),
            }
        }
        if offers.is_empty() {
            self.idempotency.release(&scoped).await?;
            // A chosen carrier that was excluded: its exclusion is the error.
            if let Some(choice) = &request.choice {
                if let Some(x) = quote.excluded.iter().find(|x| x.carrier == choice.carrier) {
                    return Err(Error::invalid(x.code, "choice.carrier", x.detail.clone()));
                }
            }
            let reasons: Vec<String> = quote
                .excluded
                .iter()
                .map(|x| format!("{}: {}", x.carrier, x.code))
                .collect();
            return Err(Error::not_found(
                Code::QuoteNoOffer,
                format!("no offer to ship with ({})", reasons.join(", ")),
            ));
        }

        let mut last_error = None;
        let mut n = first_new;
        let id = shipment_id(&request.company, &scoped);
        'offers: for offer in &offers {
            let mut collisions = 0u32;
            loop {
                let attempt = n;
                n = n.saturating_add(1);
                let ctx = FundingContext {
                    company: &request.company,
                    idempotency_key: key,
                    attempt,
                    offer,
                    request: &request.shipment,
                };
                let reg = self.registered(&offer.carrier, &offer.account)?;
                let proposed = MerchantKey::derive(
                    &self.merchant_prefix,
                    &format!("{}:{key}:{attempt}", request.company),
                );
                let merchant_key = match reg.carrier.assign_merchant_key(proposed).await {
                    Ok(k) => k,
                    Err(e) => {
                        last_error = Some(e);
                        continue 'offers;
                    }
                };
                if let Err(e) = self.funding.reserve(&ctx).await {
                    // Nothing was sent under this key (earlier attempts were settled above).
                    self.idempotency.release(&scoped).await?;
                    return Err(e);
                }
                self.idempotency
                    .record_attempt(
                        &scoped,
                        PendingAttempt {
                            carrier: offer.carrier.clone(),
                            account: offer.account.clone(),
                            merchant_key: merchant_key.clone(),
                            attempt: Some(attempt),
                        },
                    )
                    .await?;
                let create = CreateRequest {
                    shipment: request.shipment.clone(),
                    merchant_key: merchant_key.clone(),
                    account: offer.account.clone(),
                    service: self.service_of(offer),
                    billable_desi: offer.billable_desi,
                    attempt: 0,
                };
                match reg.carrier.create(&create).await {
                    Ok(created) => {
                        return self.finish(request, &scoped, &ctx, offer, created).await;
                    }
                    Err(e) if e.code() == Code::CarrierDuplicate || e.is_maybe_sent() => {
                        // It may exist at the carrier: reconcile with the same key, never fail
                        // over.
                        match self
                            .reconcile(request, offer, &merchant_key, Some(e))
                            .await?
                        {
                            Outcome::Created(created) => {
                                let Some(other) = self
                                    .owned_by_another(&id, offer, &created.merchant_key)
                                    .await?
                                else {
                                    return self
                                        .finish(request, &scoped, &ctx, offer, created)
                                        .await;
                                };
                                // The key was handed out before (e.g. a barcode allocator that
                                // restarted): the carrier's shipment is another request's, and
                                // nothing was created for this one. Try again with a new key.
                                self.funding.release(&ctx).await?;
                                tracing::warn!(carrier = %offer.carrier, merchant_key = %merchant_key, owner = %other, "merchant key already used: trying a new one");
                                last_error = Some(Error::conflict(
                                    Code::CarrierDuplicate,
                                    format!(
                                        "merchant key {merchant_key} already belongs to shipment {other}"
                                    ),
                                ));
                                if collisions < MAX_KEY_COLLISIONS {
                                    collisions += 1;
                                    continue;
                                }
                            }
                            Outcome::NotCreated => {
                                self.funding.release(&ctx).await?;
                                last_error = Some(Error::internal("reconciled as not created"));
                            }
                            Outcome::Unknown(e) => return Err(e),
                        }
                    }
                    Err(e) => {
                        self.funding.release(&ctx).await?;
                        last_error = Some(e);
                    }
                }
                break;
            }
            if request.policy.no_failover {
                break;
            }
        }
        self.idempotency.release(&scoped).await?;
        Err(last_error
            .unwrap_or_else(|| Error::not_found(Code::QuoteNoOffer, "no offer could be shipped")))
    }

    /// The stored shipment other than `id` that already has `key` at the offer's carrier.
    async fn owned_by_another(
        &self,
        id: &ShipmentId,
        offer: &Offer,
        key: &MerchantKey,
    ) -> Result<Option<ShipmentId>> {
        Ok(self
            .shipments
            .find_by_merchant_key(&offer.carrier, key)
            .await?
            .map(|s| s.id)
            .filter(|other| other != id))
    }

    async fn finish(
        &self,
        request: &ShipRequest,
        scoped: &str,
        ctx: &FundingContext<'_>,
        offer: &Offer,
        created: CreatedShipment,
    ) -> Result<Shipment> {
        let id = shipment_id(&request.company, scoped);
        if let Some(existing) = self.shipments.get(&id).await? {
            // A crash after the insert and before the capture left the money on hold: capture
            // now (idempotent by its transfer ids: a no-op when it already happened).
            self.funding.capture(ctx, &existing).await?;
            self.idempotency.complete(scoped, &id).await?;
            return Ok(existing);
        }
        // A carrier shipment answers for one request only: a merchant key that already
        // belongs to another stored shipment (e.g. a barcode handed out twice, answered as a
        // duplicate) is never linked to this request.
        if let Some(other) = self
            .shipments
            .find_by_merchant_key(&offer.carrier, &created.merchant_key)
            .await?
            .filter(|o| o.id != id)
        {
            self.funding.release(ctx).await?;
            self.idempotency.release(scoped).await?;
            return Err(Error::conflict(
                Code::CarrierDuplicate,
                format!(
                    "merchant key {} already belongs to shipment {}",
                    created.merchant_key, other.id
                ),
            ));
        }
        let shipment = Shipment {
            id: id.clone(),
            company: request.company.clone(),
            carrier: offer.carrier.clone(),
            account: offer.account.clone(),
            request: request.shipment.clone(),
            created,
            offer: offer.clone(),
            status: ShipmentStatus::Created,
            events: Vec::new(),
            created_at: self.clock.now(),
            idempotency_key: request.idempotency_key.clone(),
            return_of: None,
        };
        self.shipments.insert(&shipment).await?;
        self.funding.capture(ctx, &shipment).await?;
        self.idempotency.complete(scoped, &id).await?;
        tracing::info!(shipment = %shipment.id, carrier = %shipment.carrier, merchant_key = %shipment.created.merchant_key, "shipment created");
        Ok(shipment)
    }
}

/// How many merchant keys one offer may find already used by other shipments before `ship`
/// gives up on it (a connector whose key allocator restarted walks past the keys it handed out).
const MAX_KEY_COLLISIONS: u32 = 10_000;

fn attempt_no(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A stable shipment id from the company and the scoped idempotency key, so a replay after a
/// crash finds the same shipment.
pub(crate) fn shipment_id(company: &str, scoped: &str) -> ShipmentId {
    let digest = Sha256::digest(format!("{company}\u{1f}{scoped}").as_bytes());
    ShipmentId(format!("shp_{}", &hex::encode(digest)[..20]))
}
