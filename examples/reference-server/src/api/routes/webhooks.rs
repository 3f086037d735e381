//! Inbound carrier webhooks: `POST /v1/webhooks/carriers/{carrier}`. A push is authenticated
//! (Kolay Gelsin: Basic auth or the agreed hash header, compared in constant time), parsed by
//! the carrier crate into normalized events, deduplicated by each event's stable id and applied
//! to its shipment exactly like polled events (tracking, desi measurements and COD credits
//! through the wallet). A duplicate delivery changes nothing.

use crate::api::dto::admin::WebhookResult;
use crate::error::{ApiResult, ServerError};
use crate::request_ctx::{self, Actor};
use crate::secrets::KolayGelsinAuth;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Path, Request, State};
use axum::http::HeaderMap;
use kargojet::carrier::CarrierId;
use kargojet::error::Code;
use kargojet::kolaygelsin::webhook::{self, WebhookAuth, WebhookConfig};
use kargojet::shipment::MerchantKey;

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

/// Receives a carrier's push.
#[utoipa::path(
    post,
    path = "/v1/webhooks/carriers/{carrier}",
    tag = "webhooks",
    operation_id = "receiveCarrierWebhook",
    params(("carrier" = String, Path, description = "Carrier id (`kolay_gelsin`)")),
    request_body(content = Object, description = "The carrier's own push body", content_type = "application/json"),
    responses((status = 200, description = "Processed", body = WebhookResult))
)]
pub async fn receive(
    State(state): State<AppState>,
    Path(carrier): Path<String>,
    req: Request,
) -> ApiResult<Json<WebhookResult>> {
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
        other => crate::error::ApiError(other),
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
    let orchestrator = state.engine.orchestrator();
    for pushed in events {
        if !state
            .db
            .inbox
            .claim(&pushed.event_id, id.as_str(), chrono::Utc::now())
            .await?
        {
            result.duplicates += 1;
            continue;
        }
        let mut shipment = None;
        if let Some(barcode) = &pushed.customer_barcode {
            for key in merchant_keys(barcode) {
                if let Some(s) = state.db.shipments.find_by_merchant_key(&id, &key).await? {
                    shipment = Some(s);
                    break;
                }
            }
        }
        let Some(s) = shipment else {
            result.unmatched += 1;
            state.db.inbox.complete(&pushed.event_id, None).await?;
            continue;
        };
        match orchestrator.apply_events(&s.id, vec![pushed.event]).await {
            Ok(_) => {
                state
                    .db
                    .inbox
                    .complete(&pushed.event_id, Some(&s.id))
                    .await?;
                result.applied += 1;
            }
            Err(e) => {
                // Not applied: give the id back so the carrier's retry applies it.
                state.db.inbox.release(&pushed.event_id).await?;
                return Err(e.into());
            }
        }
    }
    tracing::info!(carrier = %id, received = result.received, applied = result.applied, duplicates = result.duplicates, unmatched = result.unmatched, "webhook processed");
    Ok(Json(result))
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
