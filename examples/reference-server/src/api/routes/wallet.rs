//! The wallet: balances, holds, transactions, top-ups and the statement CSV.

use crate::api::dto::wallet::{
    BalancesView, HoldView, HoldsView, TopUpBody, TopUpView, TransactionView, TransactionsView,
};
use crate::api::idempotency_key;
use crate::auth::{Allowed, perm};
use crate::error::{ApiResult, ServerError};
use crate::extract::{ApiJson, ApiQuery};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use kargojet::error::Code;
use kargojet::money::Money;
use kargojet::wallet::{Applied, CsvOptions, TransferId};
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// The company's balances.
#[utoipa::path(
    get,
    path = "/v1/wallet",
    tag = "wallet",
    operation_id = "getWallet",
    responses((status = 200, description = "Balances", body = BalancesView))
)]
pub async fn get_wallet(
    State(state): State<AppState>,
    principal: Allowed<perm::WalletRead>,
) -> ApiResult<Json<BalancesView>> {
    Ok(Json(
        state
            .engine
            .wallet
            .balances(&principal.company)
            .await?
            .into(),
    ))
}

/// The company's pending holds (price holds and desi reserves of shipments in progress).
#[utoipa::path(
    get,
    path = "/v1/wallet/holds",
    tag = "wallet",
    operation_id = "listHolds",
    responses((status = 200, description = "Pending holds", body = HoldsView))
)]
pub async fn list_holds(
    State(state): State<AppState>,
    principal: Allowed<perm::WalletRead>,
) -> ApiResult<Json<HoldsView>> {
    let holds = state.db.ledger.pending_holds(&principal.company).await?;
    Ok(Json(HoldsView {
        items: holds.iter().map(HoldView::from).collect(),
    }))
}

/// A period.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// From (inclusive, RFC 3339; default: the beginning).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<String>,
    /// To (exclusive, RFC 3339; default: now).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<String>,
}

fn period(
    state: &AppState,
    from: &Option<String>,
    to: &Option<String>,
) -> ApiResult<(DateTime<Utc>, DateTime<Utc>)> {
    let parse = |name: &str, v: &Option<String>| -> ApiResult<Option<DateTime<Utc>>> {
        match v {
            None => Ok(None),
            Some(s) => DateTime::parse_from_rfc3339(s)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(|_| {
                    ServerError::bad_input(
                        Code::RequestInvalidValue,
                        format!("query.{name}"),
                        "must be an RFC 3339 time",
                    )
                    .into()
                }),
        }
    };
    let from = parse("from", from)?.unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let to = parse("to", to)?
        .unwrap_or_else(|| state.engine.clock().now() + chrono::Duration::seconds(1));
    Ok((from, to))
}

/// Every movement on the company's accounts in a period, oldest first, with running balances.
#[utoipa::path(
    get,
    path = "/v1/wallet/transactions",
    tag = "wallet",
    operation_id = "listTransactions",
    params(PeriodQuery),
    responses((status = 200, description = "Transactions", body = TransactionsView))
)]
pub async fn list_transactions(
    State(state): State<AppState>,
    principal: Allowed<perm::WalletRead>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<TransactionsView>> {
    let (from, to) = period(&state, &q.from, &q.to)?;
    let st = state
        .engine
        .wallet
        .statement(&principal.company, from, to)
        .await?;
    Ok(Json(TransactionsView {
        items: st.lines.iter().map(TransactionView::from).collect(),
    }))
}

/// Tops up the wallet (a bank transfer or card payment received). The same `Idempotency-Key`
/// never tops up twice; reusing it with another amount is `wallet.transfer_conflict`.
#[utoipa::path(
    post,
    path = "/v1/wallet/top-ups",
    tag = "wallet",
    operation_id = "createTopUp",
    request_body = TopUpBody,
    params(("Idempotency-Key" = String, Header, description = "Your unique key for this payment")),
    responses((status = 201, description = "Topped up (or the earlier top-up with this key)", body = TopUpView))
)]
pub async fn create_top_up(
    State(state): State<AppState>,
    principal: Allowed<perm::WalletTopUp>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<TopUpBody>,
) -> ApiResult<(axum::http::StatusCode, Json<TopUpView>)> {
    let key = idempotency_key(&headers)?;
    if body.amount <= Decimal::ZERO
        || body.amount.round_dp(2) != body.amount
        || body.amount > Decimal::from(1_000_000_000i64)
    {
        return Err(ServerError::bad_input(
            Code::RequestInvalidAmount,
            "amount",
            "must be positive, at most 1 000 000 000 TRY, with at most 2 decimals",
        )
        .into());
    }
    if body.reference.trim().is_empty() || body.reference.chars().count() > 200 {
        return Err(ServerError::bad_input(
            Code::RequestInvalid,
            "reference",
            "must have 1–200 characters",
        )
        .into());
    }
    let id = TransferId(format!(
        "topup:{}:{}:{key}",
        principal.company.len(),
        principal.company
    ));
    let applied = state
        .engine
        .wallet
        .top_up(
            &id,
            &principal.company,
            Money::try_lira(body.amount),
            &body.reference,
        )
        .await?;
    let balances = state.engine.wallet.balances(&principal.company).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(TopUpView {
            transfer: id.0,
            new: applied == Applied::New,
            balances: balances.into(),
        }),
    ))
}

/// Statement format.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatementFormat {
    /// CSV.
    Csv,
}

/// Statement options.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// From (inclusive, RFC 3339; default: the beginning).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<String>,
    /// To (exclusive, RFC 3339; default: now).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<String>,
    /// `csv` (the only format).
    pub format: Option<StatementFormat>,
    /// Amounts with a decimal comma and `;` between columns, as Turkish spreadsheets expect.
    pub decimal_comma: Option<bool>,
}

/// The statement of a period as CSV (Turkish headers: Tarih, İşlem No, Hesap, İşlem, Gönderi,
/// Yükleme Referansı, Tutar, Bakiye, Düzeltilen İşlem).
#[utoipa::path(
    get,
    path = "/v1/wallet/statement",
    tag = "wallet",
    operation_id = "getStatement",
    params(StatementQuery),
    responses((status = 200, description = "The statement", content((String = "text/csv"))))
)]
pub async fn get_statement(
    State(state): State<AppState>,
    principal: Allowed<perm::StatementRead>,
    ApiQuery(q): ApiQuery<StatementQuery>,
) -> ApiResult<Response> {
    let (from, to) = period(&state, &q.from, &q.to)?;
    let st = state
        .engine
        .wallet
        .statement(&principal.company, from, to)
        .await?;
    let csv = st.to_csv(CsvOptions {
        decimal_comma: q.decimal_comma.unwrap_or(false),
    })?;
    let mut r = csv.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"ekstre.csv\""),
    );
    Ok(r)
}
