//! `POST /v1/quotes`.

use crate::api::dto::input::QuoteBody;
use crate::api::dto::views::{QuoteView, quote_view};
use crate::auth::{Allowed, perm};
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::request_ctx;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use kargojet::orchestrator::QuoteRequest;

/// Prices a shipment with every carrier and agreement open to the company (nothing is
/// stored). Offers come best first; carriers left out are listed with a coded reason.
#[utoipa::path(
    post,
    path = "/v1/quotes",
    tag = "quotes",
    operation_id = "createQuote",
    request_body = QuoteBody,
    responses((status = 200, description = "Offers, best first", body = QuoteView))
)]
pub async fn create_quote(
    State(state): State<AppState>,
    principal: Allowed<perm::QuoteCreate>,
    ApiJson(body): ApiJson<QuoteBody>,
) -> ApiResult<Json<QuoteView>> {
    let shipment = body.shipment.validate("shipment")?;
    let orchestrator = state.engine.orchestrator();
    let quote = orchestrator
        .quote(&QuoteRequest {
            company: principal.company.clone(),
            shipment,
            policy: body.policy.unwrap_or_default().policy(),
        })
        .await?;
    let lang = request_ctx::current().lang;
    Ok(Json(quote_view(
        &quote,
        |o| orchestrator.connector(&o.carrier, &o.account).is_some(),
        lang,
    )))
}
