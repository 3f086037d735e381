//! Outbound webhooks: subscriptions per company (URL and event types), secret rotation with a
//! grace period for the previous secret, the delivery log and redelivery (also of
//! dead-lettered deliveries). Every route needs `company:write` (admins).

use crate::auth::{Allowed, perm};
use crate::error::{ApiResult, ServerError};
use crate::extract::{ApiJson, ApiQuery, NoBody};
use crate::jobs::deliver::{open_secrets, secrets_aad};
use crate::jobs::events::{EVENT_TYPES, delivery_job};
use crate::state::AppState;
use crate::store::jobs::{
    DeliveryFilter, DeliveryRecord, DeliveryState, SigningSecret, SubscriptionRecord,
};
use crate::store::sqlite::ts;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use kargojet::error::Code;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use utoipa::{IntoParams, ToSchema};

/// An event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum EventType {
    /// A shipment was bought.
    #[serde(rename = "shipment.created")]
    ShipmentCreated,
    /// A shipment's normalized status changed.
    #[serde(rename = "shipment.status_changed")]
    ShipmentStatusChanged,
    /// The carrier measured a shipment: the desi difference was charged or the reserve released.
    #[serde(rename = "shipment.desi_adjusted")]
    ShipmentDesiAdjusted,
    /// A delivered cash-on-delivery amount was credited (net of the COD fee).
    #[serde(rename = "wallet.cod_credited")]
    WalletCodCredited,
}

impl EventType {
    fn id(self) -> &'static str {
        match self {
            EventType::ShipmentCreated => EVENT_TYPES[0],
            EventType::ShipmentStatusChanged => EVENT_TYPES[1],
            EventType::ShipmentDesiAdjusted => EVENT_TYPES[2],
            EventType::WalletCodCredited => EVENT_TYPES[3],
        }
    }
}

/// `POST /v1/webhooks/subscriptions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionBody {
    /// Where events are POSTed (`https://…`; `http://` is accepted too).
    #[schema(example = "https://shop.example/kargojet/webhooks", max_length = 2000)]
    pub url: String,
    /// The event types to send (at least one).
    #[schema(min_items = 1)]
    pub events: Vec<EventType>,
}

/// `POST /v1/webhooks/subscriptions/{id}/rotate-secret` (optional body).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateBody {
    /// How long the previous secret keeps signing, in seconds (default: the server's
    /// `secret_grace_secs`, 24 h; at most 30 days).
    #[schema(maximum = 2592000)]
    pub grace_secs: Option<u64>,
}

/// A subscription.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionView {
    /// Id.
    pub id: String,
    /// Where events are POSTed.
    pub url: String,
    /// Event types sent.
    pub events: Vec<String>,
    /// Signing secrets active now (the current one, and a rotated-out one in its grace period).
    pub active_secrets: usize,
    /// When the previous secret stops signing, while it still does.
    #[schema(format = DateTime)]
    pub previous_secret_expires_at: Option<String>,
    /// When created.
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// A new subscription and its signing secret (shown once).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionCreated {
    /// The subscription.
    pub subscription: SubscriptionView,
    /// The signing secret: verify `KargoJet-Signature` with it. Shown only now.
    pub secret: String,
}

/// The company's subscriptions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SubscriptionList {
    /// Oldest first.
    pub items: Vec<SubscriptionView>,
}

/// A delivery of one event to one subscription.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryView {
    /// Id.
    pub id: String,
    /// Subscription.
    pub subscription_id: String,
    /// The event's stable id (the same on every attempt: deduplicate by it).
    pub event_id: String,
    /// Event type.
    pub event_type: String,
    /// `pending`, `delivered`, `dead` (every attempt failed) or `cancelled` (subscription deleted).
    pub state: String,
    /// Attempts made.
    pub attempts: u32,
    /// HTTP status of the last attempt.
    pub last_status: Option<u16>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the next attempt is due.
    #[schema(format = DateTime)]
    pub next_attempt_at: Option<String>,
    /// When the receiver acknowledged it.
    #[schema(format = DateTime)]
    pub delivered_at: Option<String>,
    /// When created.
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// A page of deliveries.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryPage {
    /// Newest first.
    pub items: Vec<DeliveryView>,
    /// The `cursor` of the next page.
    pub next_cursor: Option<String>,
}

/// Filters of the delivery list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only this state (`pending`, `delivered`, `dead`, `cancelled`).
    #[param(value_type = Option<String>, example = "dead")]
    pub state: Option<String>,
    /// Only this subscription.
    #[param(max_length = 100)]
    pub subscription_id: Option<String>,
    /// Only this event.
    #[param(max_length = 100)]
    pub event_id: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = r"^\d{1,18}$")]
    pub cursor: Option<String>,
    /// Page size (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

fn view(state: &AppState, s: &SubscriptionRecord) -> ApiResult<SubscriptionView> {
    let secrets = open_secrets(state.engine.keys(), s)?;
    let now = Utc::now();
    let active = crate::jobs::deliver::active(&secrets, now);
    Ok(SubscriptionView {
        id: s.id.clone(),
        url: s.url.clone(),
        events: s.events.clone(),
        active_secrets: active.len(),
        previous_secret_expires_at: active.iter().filter_map(|x| x.expires_at).max().map(ts),
        created_at: ts(s.created_at),
    })
}

fn delivery_view(d: &DeliveryRecord) -> DeliveryView {
    DeliveryView {
        id: d.id.clone(),
        subscription_id: d.subscription_id.clone(),
        event_id: d.event_id.clone(),
        event_type: d.event_type.clone(),
        state: d.state.id().to_string(),
        attempts: d.attempts,
        last_status: d.last_status,
        last_error: d.last_error.clone(),
        next_attempt_at: d.next_attempt_at.map(ts),
        delivered_at: d.delivered_at.map(ts),
        created_at: ts(d.created_at),
    }
}

fn invalid_url(detail: &str) -> crate::error::ApiError {
    kargojet::Error::invalid(Code::RequestInvalid, "url", detail.to_string()).into()
}

fn private_ip(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            v.is_loopback()
                || v.is_private()
                || v.is_link_local()
                || v.is_unspecified()
                || v.is_broadcast()
                || v.octets()[0] == 100 && (v.octets()[1] & 0xc0) == 64
        }
        IpAddr::V6(v) => {
            v.is_loopback()
                || v.is_unspecified()
                || (v.segments()[0] & 0xfe00) == 0xfc00
                || (v.segments()[0] & 0xffc0) == 0xfe80
                || v.to_ipv4_mapped()
                    .is_some_and(|m| private_ip(IpAddr::V4(m)))
        }
    }
}

/// Checks a subscription URL: http(s), a host, no credentials or fragment, and (unless the
/// server allows it) no loopback or private address literal.
pub fn check_url(raw: &str, allow_private: bool) -> ApiResult<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 2000 {
        return Err(invalid_url("must be 1–2000 characters"));
    }
    let url = reqwest::Url::parse(raw).map_err(|_| invalid_url("not an absolute URL"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid_url("must be http:// or https://"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid_url("must not carry credentials"));
    }
    if url.fragment().is_some() {
        return Err(invalid_url("must not have a fragment"));
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| invalid_url("needs a host"))?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let private = match bare.parse::<IpAddr>() {
        Ok(ip) => private_ip(ip),
        Err(_) => {
            let d = bare.trim_end_matches('.').to_ascii_lowercase();
            d == "localhost" || d.ends_with(".localhost")
        }
    };
    if private && !allow_private {
        return Err(invalid_url(
            "loopback and private addresses are not accepted by this server",
        ));
    }
    Ok(url.to_string())
}

fn new_secret() -> String {
    format!("whsec_{}", crate::ids::random_token(40))
}

fn seal(
    state: &AppState,
    id: &str,
    company: &str,
    secrets: &[SigningSecret],
) -> ApiResult<crate::crypto::Sealed> {
    let plain = serde_json::to_vec(secrets)
        .map_err(|e| ServerError::Internal(format!("serialize secrets: {e}")))?;
    Ok(state
        .engine
        .keys()
        .seal(&plain, &secrets_aad(id, company))?)
}

/// Subscribes a URL to event types; the answer carries the signing secret, shown once.
#[utoipa::path(
    post,
    path = "/v1/webhooks/subscriptions",
    tag = "webhooks",
    operation_id = "createWebhookSubscription",
    request_body = SubscriptionBody,
    responses((status = 201, description = "The subscription and its secret", body = SubscriptionCreated))
)]
pub async fn create_subscription(
    State(state): State<AppState>,
    principal: Allowed<perm::CompanyWrite>,
    ApiJson(body): ApiJson<SubscriptionBody>,
) -> ApiResult<(StatusCode, Json<SubscriptionCreated>)> {
    let url = check_url(&body.url, state.config.jobs.allow_private_urls)?;
    let mut events: Vec<EventType> = body.events.clone();
    events.sort();
    events.dedup();
    if events.is_empty() {
        return Err(kargojet::Error::invalid(
            Code::RequestInvalid,
            "events",
            "name at least one event type",
        )
        .into());
    }
    let now = Utc::now();
    let id = crate::ids::new_id("whs");
    let secret = new_secret();
    let secrets = vec![SigningSecret {
        secret: secret.clone(),
        created_at: now,
        expires_at: None,
    }];
    let rec = SubscriptionRecord {
        id: id.clone(),
        company: principal.company.clone(),
        url,
        events: events.iter().map(|e| e.id().to_string()).collect(),
        sealed: seal(&state, &id, &principal.company, &secrets)?,
        created_at: now,
        updated_at: now,
    };
    state.db.outbox.create_subscription(&rec).await?;
    Ok((
        StatusCode::CREATED,
        Json(SubscriptionCreated {
            subscription: view(&state, &rec)?,
            secret,
        }),
    ))
}

/// The company's subscriptions.
#[utoipa::path(
    get,
    path = "/v1/webhooks/subscriptions",
    tag = "webhooks",
    operation_id = "listWebhookSubscriptions",
    responses((status = 200, description = "Subscriptions", body = SubscriptionList))
)]
pub async fn list_subscriptions(
    State(state): State<AppState>,
    principal: Allowed<perm::CompanyWrite>,
) -> ApiResult<Json<SubscriptionList>> {
    let subs = state.db.outbox.subscriptions(&principal.company).await?;
    let items = subs
        .iter()
        .map(|s| view(&state, s))
        .collect::<ApiResult<_>>()?;
    Ok(Json(SubscriptionList { items }))
}

/// Deletes a subscription; its pending deliveries are cancelled.
#[utoipa::path(
    delete,
    path = "/v1/webhooks/subscriptions/{id}",
    tag = "webhooks",
    operation_id = "deleteWebhookSubscription",
    params(("id" = String, Path, description = "Subscription id")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete_subscription(
    State(state): State<AppState>,
    principal: Allowed<perm::CompanyWrite>,
    Path(id): Path<String>,
    _body: NoBody,
) -> ApiResult<StatusCode> {
    if !state
        .db
        .outbox
        .delete_subscription(&principal.company, &id, Utc::now())
        .await?
    {
        return Err(ServerError::not_found("webhook subscription").into());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A new signing secret; the previous one keeps signing (every request carries one `v1` per
/// active secret) for the grace period, so receivers can switch without missing an event.
#[utoipa::path(
    post,
    path = "/v1/webhooks/subscriptions/{id}/rotate-secret",
    tag = "webhooks",
    operation_id = "rotateWebhookSecret",
    params(("id" = String, Path, description = "Subscription id")),
    request_body(content = Option<RotateBody>, description = "Optional grace period"),
    responses((status = 200, description = "The subscription and its new secret", body = SubscriptionCreated))
)]
pub async fn rotate_secret(
    State(state): State<AppState>,
    principal: Allowed<perm::CompanyWrite>,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<SubscriptionCreated>> {
    let body: RotateBody = if body.iter().all(u8::is_ascii_whitespace) {
        RotateBody::default()
    } else {
        crate::extract::parse_json(&body)?
    };
    let grace = body
        .grace_secs
        .unwrap_or(state.config.jobs.secret_grace_secs);
    if grace > 30 * 24 * 3600 {
        return Err(kargojet::Error::invalid(
            Code::RequestInvalid,
            "grace_secs",
            "at most 30 days (2592000)",
        )
        .into());
    }
    let Some(sub) = state
        .db
        .outbox
        .subscription(&principal.company, &id)
        .await?
    else {
        return Err(ServerError::not_found("webhook subscription").into());
    };
    let now = Utc::now();
    let old = open_secrets(state.engine.keys(), &sub)?;
    let expires: DateTime<Utc> = crate::jobs::after(now, std::time::Duration::from_secs(grace));
    let secret = new_secret();
    let mut secrets = vec![SigningSecret {
        secret: secret.clone(),
        created_at: now,
        expires_at: None,
    }];
    // The secret being replaced signs until the grace period ends; older ones stop now.
    if let Some(current) = old.iter().find(|s| s.expires_at.is_none()) {
        secrets.push(SigningSecret {
            expires_at: Some(expires),
            ..current.clone()
        });
    }
    let sealed = seal(&state, &sub.id, &sub.company, &secrets)?;
    if !state
        .db
        .outbox
        .set_secrets(&principal.company, &id, &sealed, now)
        .await?
    {
        return Err(ServerError::not_found("webhook subscription").into());
    }
    let rec = SubscriptionRecord {
        sealed,
        updated_at: now,
        ..sub
    };
    Ok(Json(SubscriptionCreated {
        subscription: view(&state, &rec)?,
        secret,
    }))
}

/// The company's deliveries, newest first.
#[utoipa::path(
    get,
    path = "/v1/webhooks/deliveries",
    tag = "webhooks",
    operation_id = "listWebhookDeliveries",
    params(DeliveryQuery),
    responses((status = 200, description = "A page of deliveries", body = DeliveryPage))
)]
pub async fn list_deliveries(
    State(state): State<AppState>,
    principal: Allowed<perm::CompanyWrite>,
    ApiQuery(q): ApiQuery<DeliveryQuery>,
) -> ApiResult<Json<DeliveryPage>> {
    let st = match &q.state {
        None => None,
        Some(s) => Some(DeliveryState::parse(s).ok_or_else(|| {
            ServerError::bad_input(
                Code::RequestInvalidValue,
                "query.state",
                "one of pending, delivered, dead, cancelled",
            )
        })?),
    };
    let before = match &q.cursor {
        None => None,
        Some(c) => Some(c.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ServerError::bad_input(Code::RequestInvalidValue, "query.cursor", "not a cursor")
        })?),
    };
    let limit = q.limit.unwrap_or(50);
    if !(1..=200).contains(&limit) {
        return Err(ServerError::bad_input(
            Code::RequestInvalidValue,
            "query.limit",
            "must be 1–200",
        )
        .into());
    }
    let filter = DeliveryFilter {
        state: st,
        subscription_id: q.subscription_id.clone(),
        event_id: q.event_id.clone(),
        before,
        limit,
    };
    let (items, next) = state
        .db
        .outbox
        .deliveries(&principal.company, &filter)
        .await?;
    Ok(Json(DeliveryPage {
        items: items.iter().map(delivery_view).collect(),
        next_cursor: next.map(|n| n.to_string()),
    }))
}

/// Sends a delivery again (a dead-lettered one too): it becomes pending with a fresh set of
/// attempts, and the event keeps its id. A cancelled delivery cannot be sent again.
#[utoipa::path(
    post,
    path = "/v1/webhooks/deliveries/{id}/redeliver",
    tag = "webhooks",
    operation_id = "redeliverWebhook",
    params(("id" = String, Path, description = "Delivery id")),
    responses((status = 202, description = "Queued", body = DeliveryView))
)]
pub async fn redeliver(
    State(state): State<AppState>,
    principal: Allowed<perm::CompanyWrite>,
    Path(id): Path<String>,
    _body: NoBody,
) -> ApiResult<(StatusCode, Json<DeliveryView>)> {
    let now = Utc::now();
    let job = delivery_job(&id, now, state.config.jobs.webhook_max_attempts);
    match state
        .db
        .outbox
        .redeliver(&principal.company, &id, &job, now)
        .await?
    {
        Some(d) => Ok((StatusCode::ACCEPTED, Json(delivery_view(&d)))),
        None => Err(ServerError::not_found("webhook delivery").into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_checked() {
        assert!(check_url("https://shop.example/hook", false).is_ok());
        for bad in [
            "",
            "ftp://shop.example/",
            "https://u:p@shop.example/",
            "https://shop.example/#x",
            "/relative",
            "http://127.0.0.1:9/",
            "http://10.1.2.3/",
            "http://[::1]/",
            "http://localhost/",
        ] {
            assert!(check_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_url("http://127.0.0.1:9/", true).is_ok());
    }
}
