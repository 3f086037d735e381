//! Shipments: buy (idempotent), read, list, cancel, return, label, tracking.

use crate::api::dto::common::CarrierCode;
use crate::api::dto::input::{ReturnBody, ShipBody};
use crate::api::dto::views::{
    ShipmentPage, ShipmentView, TrackingView, shipment_view, tracking_view,
};
use crate::api::{idempotency_key, owned_shipment};
use crate::auth::{Allowed, perm};
use crate::error::{ApiResult, ServerError};
use crate::extract::{ApiJson, ApiQuery, NoBody};
use crate::state::AppState;
use crate::store::ShipmentFilter;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kargojet::error::Code;
use kargojet::orchestrator::{LabelSource, OfferChoice, ShipRequest};
use kargojet::shipment::{LabelFormat, ShipmentId};
use kargojet::tracking::ShipmentStatus;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Buys a shipment: the best offer (or the chosen carrier/agreement), paid from the wallet
/// for platform agreements. The same `Idempotency-Key` with the same body returns the same
/// shipment and never ships twice; with another body it is `request.idempotency_mismatch`.
#[utoipa::path(
    post,
    path = "/v1/shipments",
    tag = "shipments",
    operation_id = "createShipment",
    request_body = ShipBody,
    params(("Idempotency-Key" = String, Header, description = "Your unique key for this shipment (e.g. the order id), 1–200 characters")),
    responses((status = 201, description = "The shipment", body = ShipmentView))
)]
pub async fn create_shipment(
    State(state): State<AppState>,
    principal: Allowed<perm::ShipmentCreate>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<ShipBody>,
) -> ApiResult<(StatusCode, Json<ShipmentView>)> {
    let key = idempotency_key(&headers)?;
    let shipment = body.shipment.validate("shipment")?;
    let choice = match (body.carrier, body.agreement_id) {
        (Some(c), agreement_id) => Some(OfferChoice {
            carrier: c.id(),
            agreement_id,
        }),
        (None, Some(_)) => {
            return Err(ServerError::bad_input(
                Code::RequestMissingField,
                "carrier",
                "agreement_id needs its carrier",
            )
            .into());
        }
        (None, None) => None,
    };
    let request = ShipRequest {
        company: principal.company.clone(),
        shipment,
        policy: body.policy.unwrap_or_default().policy(),
        idempotency_key: key,
        choice,
    };
    let s = state.engine.orchestrator().ship(&request).await?;
    Ok((StatusCode::CREATED, Json(shipment_view(&s))))
}

/// Filters of the shipment list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this status.
    #[param(value_type = Option<String>, example = "delivered")]
    pub status: Option<String>,
    /// Only this carrier.
    pub carrier: Option<CarrierCode>,
    /// Only this order number.
    #[param(max_length = 100)]
    pub order_id: Option<String>,
    /// Created at or after (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub created_from: Option<String>,
    /// Created before (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    pub created_to: Option<String>,
    /// The `next_cursor` of the previous page.
    #[param(pattern = r"^\d{1,18}$")]
    pub cursor: Option<String>,
    /// Page size (1–200, default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

fn time_param(name: &str, v: &Option<String>) -> ApiResult<Option<chrono::DateTime<chrono::Utc>>> {
    match v {
        None => Ok(None),
        Some(s) => chrono::DateTime::parse_from_rfc3339(s)
            .map(|d| Some(d.with_timezone(&chrono::Utc)))
            .map_err(|_| {
                ServerError::bad_input(
                    Code::RequestInvalidValue,
                    format!("query.{name}"),
                    "must be an RFC 3339 time (2026-01-05T09:00:00Z)",
                )
                .into()
            }),
    }
}

/// Lists the company's shipments, newest first, with filters and cursor pagination.
#[utoipa::path(
    get,
    path = "/v1/shipments",
    tag = "shipments",
    operation_id = "listShipments",
    params(ListQuery),
    responses((status = 200, description = "A page of shipments", body = ShipmentPage))
)]
pub async fn list_shipments(
    State(state): State<AppState>,
    principal: Allowed<perm::ShipmentRead>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<ShipmentPage>> {
    let status = match &q.status {
        None => None,
        Some(s) => Some(ShipmentStatus::parse(s).ok_or_else(|| {
            ServerError::bad_input(
                Code::RequestInvalidValue,
                "query.status",
                format!("one of {}", ShipmentStatus::ALL.map(|s| s.id()).join(", ")),
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
    let filter = ShipmentFilter {
        status,
        carrier: q.carrier.map(|c| c.id().as_str().to_string()),
        order_id: q.order_id.clone(),
        created_from: time_param("created_from", &q.created_from)?,
        created_to: time_param("created_to", &q.created_to)?,
        before,
        limit,
    };
    let (items, next) = state
        .db
        .shipment_query
        .page(&principal.company, &filter)
        .await?;
    Ok(Json(ShipmentPage {
        items: items.iter().map(shipment_view).collect(),
        next_cursor: next.map(|n| n.to_string()),
    }))
}

/// One shipment of the company.
#[utoipa::path(
    get,
    path = "/v1/shipments/{id}",
    tag = "shipments",
    operation_id = "getShipment",
    params(("id" = String, Path, description = "Shipment id")),
    responses((status = 200, description = "The shipment", body = ShipmentView))
)]
pub async fn get_shipment(
    State(state): State<AppState>,
    principal: Allowed<perm::ShipmentRead>,
    Path(id): Path<String>,
) -> ApiResult<Json<ShipmentView>> {
    let s = owned_shipment(&state, &principal, &id).await?;
    Ok(Json(shipment_view(&s)))
}

/// Cancels a shipment (before pickup, where the carrier allows it); platform charges are
/// refunded to the wallet. Cancelling a cancelled shipment returns it unchanged.
#[utoipa::path(
    post,
    path = "/v1/shipments/{id}/cancel",
    tag = "shipments",
    operation_id = "cancelShipment",
    params(("id" = String, Path, description = "Shipment id")),
    responses((status = 200, description = "The cancelled shipment", body = ShipmentView))
)]
pub async fn cancel_shipment(
    State(state): State<AppState>,
    principal: Allowed<perm::ShipmentCancel>,
    Path(id): Path<String>,
    _body: NoBody,
) -> ApiResult<Json<ShipmentView>> {
    let s = owned_shipment(&state, &principal, &id).await?;
    let s = state.engine.orchestrator().cancel(&s.id).await?;
    Ok(Json(shipment_view(&s)))
}

/// Creates the return shipment (recipient → sender) with the same carrier. Idempotent by its
/// `Idempotency-Key`.
#[utoipa::path(
    post,
    path = "/v1/shipments/{id}/return",
    tag = "shipments",
    operation_id = "createReturn",
    request_body(content = Option<ReturnBody>, description = "Optional reason"),
    params(
        ("id" = String, Path, description = "Shipment id"),
        ("Idempotency-Key" = String, Header, description = "Your unique key for this return")
    ),
    responses((status = 201, description = "The return shipment", body = ShipmentView))
)]
pub async fn create_return(
    State(state): State<AppState>,
    principal: Allowed<perm::ShipmentReturn>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> ApiResult<(StatusCode, Json<ShipmentView>)> {
    if !body.iter().all(u8::is_ascii_whitespace) {
        let _reason: ReturnBody = crate::extract::parse_json(&body)?;
    }
    let key = idempotency_key(&headers)?;
    let s = owned_shipment(&state, &principal, &id).await?;
    let r = state
        .engine
        .orchestrator()
        .create_return(&s.id, &key)
        .await?;
    Ok((StatusCode::CREATED, Json(shipment_view(&r))))
}

/// Label format.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabelFormatParam {
    /// PDF, one page per parcel.
    Pdf,
    /// Zebra ZPL II (203 dpi), one `^XA…^XZ` block per parcel.
    Zpl,
}

/// Which label.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum LabelSourceParam {
    /// The carrier's label in that format when it has one, else KargoJet's.
    Auto,
    /// Only the carrier's own label.
    Carrier,
    /// Always KargoJet's unified label.
    Kargojet,
}

/// Label options.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LabelQuery {
    /// `pdf` (default) or `zpl`.
    pub format: Option<LabelFormatParam>,
    /// `auto` (default), `carrier` or `kargojet`.
    pub source: Option<LabelSourceParam>,
}

/// The shipment's label as a PDF or ZPL file.
#[utoipa::path(
    get,
    path = "/v1/shipments/{id}/label",
    tag = "shipments",
    operation_id = "getLabel",
    params(("id" = String, Path, description = "Shipment id"), LabelQuery),
    responses(
        (status = 200, description = "The label", content(
            (Vec<u8> = "application/pdf"),
            (String = "application/x-zpl")
        ))
    )
)]
pub async fn get_label(
    State(state): State<AppState>,
    principal: Allowed<perm::LabelRead>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<LabelQuery>,
) -> ApiResult<Response> {
    let s = owned_shipment(&state, &principal, &id).await?;
    let format = match q.format.unwrap_or(LabelFormatParam::Pdf) {
        LabelFormatParam::Pdf => LabelFormat::Pdf,
        LabelFormatParam::Zpl => LabelFormat::Zpl,
    };
    let source = match q.source.unwrap_or(LabelSourceParam::Auto) {
        LabelSourceParam::Auto => LabelSource::Auto,
        LabelSourceParam::Carrier => LabelSource::Carrier,
        LabelSourceParam::Kargojet => LabelSource::KargoJet,
    };
    let label = state
        .engine
        .orchestrator()
        .label(&s.id, format, source, None)
        .await?;
    let ext = match label.format {
        LabelFormat::Pdf => "pdf",
        LabelFormat::Zpl => "zpl",
        LabelFormat::Epl => "epl",
        LabelFormat::Png => "png",
        LabelFormat::Jpeg => "jpg",
        LabelFormat::Html => "html",
    };
    let mut response = label.bytes.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(label.format.mime()),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{}.{ext}\"", s.id)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// The stored tracking history.
#[utoipa::path(
    get,
    path = "/v1/shipments/{id}/tracking",
    tag = "shipments",
    operation_id = "getTracking",
    params(("id" = String, Path, description = "Shipment id")),
    responses((status = 200, description = "Status and history", body = TrackingView))
)]
pub async fn get_tracking(
    State(state): State<AppState>,
    principal: Allowed<perm::ShipmentRead>,
    Path(id): Path<String>,
) -> ApiResult<Json<TrackingView>> {
    let s = owned_shipment(&state, &principal, &id).await?;
    Ok(Json(tracking_view(&s)))
}

/// Asks the carrier for news now: new events are merged (no duplicates), measured desi is
/// reconciled with the wallet and a delivered COD shipment is credited.
#[utoipa::path(
    post,
    path = "/v1/shipments/{id}/tracking/refresh",
    tag = "shipments",
    operation_id = "refreshTracking",
    params(("id" = String, Path, description = "Shipment id")),
    responses((status = 200, description = "Status and history", body = TrackingView))
)]
pub async fn refresh_tracking(
    State(state): State<AppState>,
    principal: Allowed<perm::TrackingRefresh>,
    Path(id): Path<String>,
    _body: NoBody,
) -> ApiResult<Json<TrackingView>> {
    let s = owned_shipment(&state, &principal, &id).await?;
    let s = state
        .engine
        .orchestrator()
        .track(&ShipmentId(s.id.0.clone()))
        .await?;
    Ok(Json(tracking_view(&s)))
}
