//! Inbound carrier webhooks: `POST /v1/webhooks/carriers/{carrier}`. A push is authenticated
//! (Kolay Gelsin: Basic auth or the agreed hash header, compared in constant time), parsed by
//! the carrier crate into normalized events, deduplicated by each event's stable id and applied
//! to its shipment exactly like polled events (tracking, desi measurements and COD credits
//! through the wallet). A duplicate delivery changes nothing.
//!
//! Nothing is lost either: an event is claimed in the inbox with a lease ([`INBOX_LEASE`]),
//! applied, and only then marked done. When applying fails the claim is given back and the
//! push is answered 5xx, so the carrier's retry applies it; when the process dies in between,
//! the lease runs out and the retry takes the claim over. A retry of an event whose first
//! delivery stored it but failed before its money moved (the wallet write after the shipment
//! write) completes the money side: every wallet step is replay-safe (fixed transfer ids), so
//! re-applying changes nothing that was already done.

use crate::api::dto::admin::WebhookResult;
use crate::error::{ApiError, ServerError};
use crate::request_ctx::{self, Actor};
use crate::secrets::KolayGelsinAuth;
use crate::state::AppState;
use crate::store::InboxClaim;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kargojet::carrier::CarrierId;
use kargojet::error::Code;
use kargojet::kolaygelsin::webhook::{self, PushedEvent, WebhookAuth, WebhookConfig};
use kargojet::orchestrator::Funding;
use kargojet::shipment::{MerchantKey, ShipmentId};
use std::time::Duration;

/// How long a delivery holds its claim on an event while applying it (applying makes no
/// carrier call: database writes only). An unfinished claim older than this (its process
/// died) is taken over by the carrier's next delivery of the event.
pub const INBOX_LEASE: Duration = Duration::from_secs(60);

/// The authentication this server expects from Kolay Gelsin.
pub fn kolay_gelsin_auth(a: &KolayGelsinAuth) -> WebhookAuth {
    match a {
        KolayGelsinAuth::Hash(h) => WebhookAuth::hash(h.clone()),
        KolayGelsinAuth::Basic { username, password } => WebhookAuth::Basic {
            username: username.clone(),
            password: password.clone(),
        },
    }
}

fn header_pairs(h: &HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect()
}

/// The merchant key of a parcel barcode: the first parcel's barcode is the key, the others
/// carry `-2`, `-3`, … after it.
fn merchant_keys(barcode: &str) -> Vec<MerchantKey> {
    let mut keys = vec![MerchantKey(barcode.to_string())];
    if let Some((base, n)) = barcode.rsplit_once('-') {
        if !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) {
            keys.push(MerchantKey(base.to_string()));
        }
    }
    keys
}

/// Why a push was not acknowledged.
#[derive(Debug)]
pub enum Refusal {
    /// An error, answered as usual.
    Api(ApiError),
    /// Another delivery holds an unexpired claim on one of the events: 503 with
    /// `Retry-After`, so the carrier sends it again once that claim is finished or expired.
    Busy {
        /// The event.
        event_id: String,
        /// When the other claim's lease runs out.
        until: DateTime<Utc>,
        /// When this was found.
        now: DateTime<Utc>,
    },
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        Refusal::Api(e)
    }
}

impl From<kargojet::Error> for Refusal {
    fn from(e: kargojet::Error) -> Self {
        Refusal::Api(ApiError(e))
    }
}

impl From<ServerError> for Refusal {
    fn from(e: ServerError) -> Self {
        Refusal::Api(e.into())
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        match self {
            Refusal::Api(e) => e.into_response(),
            Refusal::Busy {
                event_id,
                until,
                now,
            } => {
                let error = ApiError(kargojet::Error::Internal {
                    code: Code::StoreFailed,
                    detail: format!(
                        "event '{}' is being applied by another delivery (claimed until {}); send it again later",
                        event_id.chars().take(120).collect::<String>(),
                        until.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                    ),
                });
                let wait = (until - now).num_seconds().clamp(1, 3600).to_string();
                tracing::info!(code = %Code::StoreFailed, retry_after = %wait, "webhook event claimed by another delivery");
                let mut response =
                    (StatusCode::SERVICE_UNAVAILABLE, Json(error.body())).into_response();
                if let Ok(v) = HeaderValue::from_str(&wait) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
                response
            }
        }
    }
}

/// Receives a carrier's push.
#[utoipa::path(
    post,
    path = "/v1/webhooks/carriers/{carrier}",
    tag = "webhooks",
    operation_id = "receiveCarrierWebhook",
    params(("carrier" = String, Path, description = "Carrier id (`kolay_gelsin`)")),
    request_body(content = Object, description = "The carrier's own push body", content_type = "application/json"),
    responses(
        (status = 200, description = "Processed", body = WebhookResult),
        (status = 503, description = "Not applied now (another delivery of an event is being applied, or applying failed): send the push again", body = crate::error::ErrorBody)
    )
)]
pub async fn receive(
    State(state): State<AppState>,
    Path(carrier): Path<String>,
    req: Request,
) -> Result<Json<WebhookResult>, Refusal> {
    let id = CarrierId::parse(&carrier);
    if id != CarrierId::KolayGelsin {
        return Err(kargojet::Error::not_found(
            Code::NotFoundResource,
            format!(
                "no webhook for carrier '{}'",
                carrier.chars().take(40).collect::<String>()
            ),
        )
        .into());
    }
    let headers = header_pairs(req.headers());
    let body = crate::extract::body_bytes(req, &state).await?;
    let cfg = WebhookConfig {
        auth: kolay_gelsin_auth(&state.secrets.kolay_gelsin),
        customer_id: state.secrets.kolay_gelsin_customer_id,
    };
    // A bad signature is 401 (`webhook.invalid_signature`); a bad body 422 (`protocol.malformed`).
    let events = webhook::receive(&cfg, &headers, &body).map_err(|e| match e {
        // The carrier's body, not a carrier answer: the sender's fault, not a bad gateway.
        kargojet::Error::Protocol { detail, .. } => {
            ServerError::bad_input(Code::RequestMalformedBody, "body", detail).into()
        }
        other => ApiError(other),
    })?;
    request_ctx::current().set_actor(Actor {
        actor: format!("carrier:{}", id.as_str()),
        company: None,
        role: None,
    });
    let mut result = WebhookResult {
        received: events.len(),
        applied: 0,
        duplicates: 0,
        unmatched: 0,
    };
    for pushed in events {
        let now = Utc::now();
        let token = match state
            .db
            .inbox
            .claim(&pushed.event_id, id.as_str(), now, INBOX_LEASE)
            .await?
        {
            InboxClaim::Claimed { token } => token,
            InboxClaim::Done => {
                result.duplicates += 1;
                continue;
            }
            InboxClaim::Busy { until } => {
                return Err(Refusal::Busy {
                    event_id: pushed.event_id,
                    until,
                    now,
                });
            }
        };
        match apply(&state, &id, &pushed).await {
            // Marked done only now. Should marking fail, the claim stays until its lease runs
            // out and the retry applies the event again, which changes nothing.
            Ok(shipment) => {
                state
                    .db
                    .inbox
                    .complete(&pushed.event_id, shipment.as_ref(), Utc::now())
                    .await?;
                if shipment.is_some() {
                    result.applied += 1;
                } else {
                    result.unmatched += 1;
                }
            }
            Err(e) => {
                // Not applied (or only in part): give the claim back so the retry applies it.
                if let Err(r) = state.db.inbox.release(&pushed.event_id, &token).await {
                    tracing::warn!(code = %r.code(), "webhook claim not given back: the retry takes it over when its lease runs out");
                }
                return Err(e.into());
            }
        }
    }
    tracing::info!(carrier = %id, received = result.received, applied = result.applied, duplicates = result.duplicates, unmatched = result.unmatched, "webhook processed");
    Ok(Json(result))
}

/// Applies one pushed event to its shipment; `None` when no shipment has its barcode (nothing
/// to apply: acknowledged, so the carrier does not retry forever).
async fn apply(
    state: &AppState,
    carrier: &CarrierId,
    pushed: &PushedEvent,
) -> Result<Option<ShipmentId>, kargojet::Error> {
    let mut shipment = None;
    if let Some(barcode) = &pushed.customer_barcode {
        for key in merchant_keys(barcode) {
            if let Some(s) = state
                .db
                .shipments
                .find_by_merchant_key(carrier, &key)
                .await?
            {
                shipment = Some(s);
                break;
            }
        }
    }
    let Some(s) = shipment else {
        return Ok(None);
    };
    // Already in the history: an earlier delivery (or a poll) stored it. If that delivery failed
    // after storing it, its money side did not run, and the library only funds events that are
    // new to the history, so it is run here. Every step is replay-safe.
    let mut history = s.events.clone();
    let stored_before =
        kargojet::tracking::merge_events(&mut history, std::slice::from_ref(&pushed.event)) == 0;
    let updated = state
        .engine
        .orchestrator()
        .apply_events(&s.id, vec![pushed.event.clone()])
        .await?;
    if stored_before {
        state
            .engine
            .funding()
            .on_events(&updated, std::slice::from_ref(&pushed.event))
            .await?;
    }
    Ok(Some(updated.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parcel_barcodes_map_to_the_merchant_key() {
        assert_eq!(
            merchant_keys("KJ123-2"),
            vec![MerchantKey("KJ123-2".into()), MerchantKey("KJ123".into())]
        );
        assert_eq!(merchant_keys("KJ123"), vec![MerchantKey("KJ123".into())]);
    }
}
