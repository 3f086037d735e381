//! Bulk uploads through the library's bulk module: upload a CSV or XLSX file (every row is
//! validated and the valid ones are priced: the plan), look at the plan and the row errors
//! (downloadable as a file that imports again once fixed), then buy the plan.

use crate::api::dto::bulk::{BulkView, bulk_view};
use crate::auth::Principal;
use crate::auth::{Allowed, perm};
use crate::error::{ApiError, ApiResult, ServerError};
use crate::extract::{ApiQuery, NoBody};
use crate::request_ctx;
use crate::state::AppState;
use crate::store::{BulkRecord, StoreResult};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kargojet::bulk::{
    self, BulkPlan, BulkPurchase, BuyOptions, ImportOptions, ImportResult, PlanOptions,
};
use kargojet::error::Code;
use kargojet::shipment::PartyDraft;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Upload options.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    /// The file's name (kept for people).
    #[param(max_length = 200)]
    pub file_name: Option<String>,
    /// Ask for an SMS to every recipient.
    pub sms: Option<bool>,
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> StoreResult<T> {
    serde_json::from_str(s).map_err(|e| kargojet::Error::Internal {
        code: Code::StoreFailed,
        detail: format!("stored {what} does not parse: {e}"),
    })
}

fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| kargojet::Error::internal(e.to_string()))
}

fn view(rec: &BulkRecord) -> ApiResult<BulkView> {
    let import: ImportResult = parse("bulk import", &rec.import)?;
    let plan: BulkPlan = parse("bulk plan", &rec.plan)?;
    let mut purchase: Option<BulkPurchase> = match &rec.purchase {
        Some(p) => Some(parse("bulk purchase", p)?),
        None => None,
    };
    if let (Some(p), Some(bytes)) = (purchase.as_mut(), rec.labels.as_ref()) {
        p.labels = Some(kargojet::shipment::Label {
            format: kargojet::shipment::LabelFormat::Pdf,
            bytes: bytes.clone(),
        });
    }
    Ok(bulk_view(
        &rec.id,
        &rec.status,
        rec.file_name.as_deref(),
        &import,
        &plan,
        purchase.as_ref(),
        request_ctx::current().lang,
    ))
}

async fn upload_bytes(state: &AppState, req: Request) -> ApiResult<Bytes> {
    if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
        let mime = ct
            .to_str()
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let ok = matches!(
            mime.as_str(),
            "text/csv"
                | "text/plain"
                | "application/csv"
                | "application/octet-stream"
                | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        if !ok {
            return Err(ServerError::bad_input(
                Code::RequestUnsupportedMediaType,
                "Content-Type",
                "send the file as text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .into());
        }
    }
    let limit = state.config.max_upload_bytes;
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::from(ServerError::BodyTooLarge { limit })
        } else {
            ApiError::from(ServerError::bad_input(
                Code::RequestMalformedBody,
                "body",
                e.body_text(),
            ))
        }
    })
}

/// Uploads a shipment list (CSV in UTF-8/UTF-16/Windows-1254 with `;`, `,` or tab, or XLSX;
/// Turkish or English headers). Every row is validated; the valid ones are priced. Nothing is
/// bought yet. The sender of every row is the company's sender (`PUT /v1/company/sender`).
#[utoipa::path(
    post,
    path = "/v1/shipments/bulk",
    tag = "bulk",
    operation_id = "uploadBulk",
    params(UploadQuery),
    request_body(
        description = "The file",
        content(
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        )
    ),
    responses((status = 201, description = "The plan and the row errors", body = BulkView))
)]
pub async fn upload(
    State(state): State<AppState>,
    principal: Allowed<perm::BulkUpload>,
    ApiQuery(q): ApiQuery<UploadQuery>,
    req: Request,
) -> ApiResult<(StatusCode, Json<BulkView>)> {
    let bytes = upload_bytes(&state, req).await?;
    let company = state
        .db
        .tenants
        .company(&principal.company)
        .await?
        .ok_or_else(|| ServerError::not_found("company"))?;
    let sender_json = company.sender.ok_or_else(|| {
        ServerError::bad_input(
            Code::RequestMissingField,
            "company.sender",
            "set the company's sender address first (PUT /v1/company/sender)",
        )
    })?;
    let draft: PartyDraft = serde_json::from_value(sender_json)
        .map_err(|_| ServerError::Internal("stored sender does not parse".into()))?;
    let sender = draft.validate("company.sender")?;
    let mut options = ImportOptions::new(sender);
    options.sms = q.sms.unwrap_or(false);
    options.limits.max_bytes = state.config.max_upload_bytes;
    let imported = bulk::import(&bytes, &options)?;
    let orchestrator = state.engine.orchestrator();
    let plan = bulk::plan(
        &orchestrator,
        &imported,
        &PlanOptions::new(principal.company.clone()),
        &bulk::no_progress,
    )
    .await?;
    let rec = BulkRecord {
        id: crate::ids::new_id("blk"),
        company: principal.company.clone(),
        file_name: q
            .file_name
            .filter(|f| !f.trim().is_empty())
            .map(|f| f.chars().take(200).collect()),
        file_hash: imported.file_hash.clone(),
        status: "planned".into(),
        import: to_json(&imported)?,
        plan: to_json(&plan)?,
        purchase: None,
        labels: None,
        created_at: chrono::Utc::now(),
    };
    state.db.bulk.insert(&rec).await?;
    Ok((StatusCode::CREATED, Json(view(&rec)?)))
}

async fn owned(state: &AppState, principal: &Principal, id: &str) -> ApiResult<BulkRecord> {
    state
        .db
        .bulk
        .get(&principal.company, id)
        .await?
        .ok_or_else(|| ServerError::not_found("bulk upload").into())
}

/// One upload: the plan, the row errors and, once bought, the purchase.
#[utoipa::path(
    get,
    path = "/v1/shipments/bulk/{id}",
    tag = "bulk",
    operation_id = "getBulk",
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "The upload", body = BulkView))
)]
pub async fn get_bulk(
    State(state): State<AppState>,
    principal: Allowed<perm::BulkUpload>,
    Path(id): Path<String>,
) -> ApiResult<Json<BulkView>> {
    Ok(Json(view(&owned(&state, &principal, &id).await?)?))
}

/// Error report format.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    /// CSV.
    Csv,
    /// XLSX.
    Xlsx,
}

/// Error report options.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `csv` (default) or `xlsx`.
    pub format: Option<ReportFormat>,
}

/// The rejected rows as a file: the original cells plus the errors in extra columns; fixed,
/// it uploads again.
#[utoipa::path(
    get,
    path = "/v1/shipments/bulk/{id}/errors",
    tag = "bulk",
    operation_id = "getBulkErrors",
    params(("id" = String, Path, description = "Upload id"), ReportQuery),
    responses((status = 200, description = "The error report", content(
        (String = "text/csv"),
        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    )))
)]
pub async fn get_errors(
    State(state): State<AppState>,
    principal: Allowed<perm::BulkUpload>,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> ApiResult<Response> {
    let rec = owned(&state, &principal, &id).await?;
    let import: ImportResult = parse("bulk import", &rec.import)?;
    let (bytes, mime, ext) = match q.format.unwrap_or(ReportFormat::Csv) {
        ReportFormat::Csv => (import.error_report_csv()?, "text/csv; charset=utf-8", "csv"),
        ReportFormat::Xlsx => (
            import.error_report_xlsx()?,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let mut r = bytes.into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"hatalar-{id}.{ext}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

/// Buys every planned row (each under its own idempotency key from the file's hash and the
/// row: buying twice, or uploading the same file again and buying, never ships a row twice).
#[utoipa::path(
    post,
    path = "/v1/shipments/bulk/{id}/purchase",
    tag = "bulk",
    operation_id = "purchaseBulk",
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "The upload with its purchase", body = BulkView))
)]
pub async fn purchase(
    State(state): State<AppState>,
    principal: Allowed<perm::ShipmentCreate>,
    Path(id): Path<String>,
    _body: NoBody,
) -> ApiResult<Json<BulkView>> {
    let rec = owned(&state, &principal, &id).await?;
    if rec.purchase.is_some() {
        return Ok(Json(view(&rec)?));
    }
    let plan: BulkPlan = parse("bulk plan", &rec.plan)?;
    let orchestrator = state.engine.orchestrator();
    let mut bought = bulk::buy(
        &orchestrator,
        &plan,
        &BuyOptions::default(),
        &bulk::no_progress,
    )
    .await;
    let labels = bought.labels.take().map(|l| l.bytes);
    state
        .db
        .bulk
        .set_purchase(
            &principal.company,
            &id,
            &to_json(&bought)?,
            labels.as_deref(),
        )
        .await?;
    let rec = owned(&state, &principal, &id).await?;
    Ok(Json(view(&rec)?))
}

/// Every bought row's label in one PDF.
#[utoipa::path(
    get,
    path = "/v1/shipments/bulk/{id}/labels",
    tag = "bulk",
    operation_id = "getBulkLabels",
    params(("id" = String, Path, description = "Upload id")),
    responses((status = 200, description = "The labels", content((Vec<u8> = "application/pdf"))))
)]
pub async fn get_labels(
    State(state): State<AppState>,
    principal: Allowed<perm::LabelRead>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let rec = owned(&state, &principal, &id).await?;
    let bytes = rec
        .labels
        .ok_or_else(|| ServerError::not_found("bulk labels"))?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    Ok(r)
}
