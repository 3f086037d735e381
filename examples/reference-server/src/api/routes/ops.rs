//! Operations: liveness and readiness.

use crate::api::dto::admin::{HealthView, ReadyView};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Liveness: the process answers.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "operations",
    operation_id = "healthz",
    responses((status = 200, description = "Alive", body = HealthView))
)]
pub async fn healthz() -> Json<HealthView> {
    Json(HealthView {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// Readiness: the database answers and carriers are connected.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "operations",
    operation_id = "readyz",
    responses(
        (status = 200, description = "Ready", body = ReadyView),
        (status = 503, description = "Not ready", body = ReadyView)
    )
)]
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<ReadyView>) {
    let carriers = state.engine.orchestrator().carrier_ids().len();
    match state.db.health.ping().await {
        Ok(()) => (
            StatusCode::OK,
            Json(ReadyView {
                status: "ready".into(),
                database: "ok".into(),
                carriers,
            }),
        ),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(ReadyView {
                status: "not_ready".into(),
                database: e.code().to_string(),
                carriers,
            }),
        ),
    }
}
