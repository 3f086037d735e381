//! The HTTP API: routes, their OpenAPI description and the docs page.

pub mod dto;
pub mod openapi;
pub mod routes;

use crate::auth::Principal;
use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use axum::http::HeaderMap;
use kargojet::error::Code;
use kargojet::shipment::{Shipment, ShipmentId};

/// The `Idempotency-Key` header (1–200 visible characters), required by the operations that
/// create something.
pub fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let v = headers
        .get("idempotency-key")
        .ok_or_else(|| {
            ServerError::bad_input(
                Code::RequestMissingField,
                "Idempotency-Key",
                "this operation needs an Idempotency-Key header (e.g. your order id)",
            )
        })?
        .to_str()
        .map_err(|_| {
            ServerError::bad_input(Code::RequestInvalidValue, "Idempotency-Key", "not ASCII")
        })?
        .trim()
        .to_string();
    let ok =
        !v.is_empty() && v.len() <= 200 && v.bytes().all(|b| b.is_ascii_graphic() || b == b' ');
    if !ok {
        return Err(ServerError::bad_input(
            Code::RequestInvalidValue,
            "Idempotency-Key",
            "must have 1–200 visible ASCII characters",
        )
        .into());
    }
    Ok(v)
}

/// A shipment of the caller's company; another company's shipment is `not_found.shipment`,
/// exactly like one that does not exist.
pub async fn owned_shipment(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Shipment, ApiError> {
    let not_found = || {
        ApiError(kargojet::Error::not_found(
            Code::NotFoundShipment,
            id.to_string(),
        ))
    };
    if id.is_empty() || id.len() > 100 {
        return Err(not_found());
    }
    match state.db.shipments.get(&ShipmentId(id.to_string())).await? {
        Some(s) if s.company == principal.company => Ok(s),
        _ => Err(not_found()),
    }
}
