//! Insights: the snapshot of a period, rule-based findings, a summary, and answers to
//! questions in natural language when a language model is configured.

use crate::api::dto::insights::{
    AnswerView, FindingList, InsightsView, NarrationView, PeriodView, QuestionBody, finding_view,
};
use crate::auth::{Allowed, Principal, perm};
use crate::error::{ApiResult, ServerError};
use crate::extract::{ApiJson, ApiQuery};
use crate::lang::Lang;
use crate::request_ctx;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use kargojet::error::Code;
use kargojet::insights::{
    Finding, FindingRules, Language, Narrator, Period, RuleNarrator, Snapshot, findings,
    records_from_shipments,
};
use serde::Deserialize;
use utoipa::IntoParams;

/// The period of an insights request.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InsightsQuery {
    /// From (RFC 3339; default 30 days before `to`).
    #[param(value_type = Option<String>, format = DateTime)]
    pub from: Option<String>,
    /// To (RFC 3339; default now).
    #[param(value_type = Option<String>, format = DateTime)]
    pub to: Option<String>,
}

fn language(lang: Lang) -> Language {
    match lang {
        Lang::Tr => Language::Tr,
        Lang::En => Language::En,
    }
}

fn rfc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn period_of(state: &AppState, from: &Option<String>, to: &Option<String>) -> ApiResult<Period> {
    let parse = |name: &str, v: &Option<String>| -> ApiResult<Option<DateTime<Utc>>> {
        match v {
            None => Ok(None),
            Some(s) => DateTime::parse_from_rfc3339(s)
                .map(|d| Some(d.with_timezone(&Utc)))
                .map_err(|_| {
                    ServerError::bad_input(
                        Code::RequestInvalidValue,
                        name,
                        "must be an RFC 3339 time",
                    )
                    .into()
                }),
        }
    };
    let to = parse("to", to)?
        .unwrap_or_else(|| state.engine.clock().now() + chrono::Duration::seconds(1));
    let from = parse("from", from)?.unwrap_or(to - chrono::Duration::days(30));
    Ok(Period::new(from, to)?)
}

/// The snapshots of the period and the one before it, and the findings.
async fn analyse(
    state: &AppState,
    principal: &Principal,
    period: Period,
) -> ApiResult<(Snapshot, Vec<Finding>)> {
    let shipments = state.db.shipments.list(&principal.company).await?;
    let desi = state.engine.funding().desi_report(&shipments).await?;
    let records = records_from_shipments(&shipments, Some(&desi));
    let snapshot = Snapshot::build(&records, period)?;
    let previous = Snapshot::build(&records, period.previous())?;
    let found = findings(&snapshot, Some(&previous), &FindingRules::default());
    Ok((snapshot, found))
}

fn period_view(p: &Period) -> PeriodView {
    PeriodView {
        from: rfc(p.from),
        to: rfc(p.to),
    }
}

/// The snapshot of a period (default: the last 30 days), its findings and a summary.
#[utoipa::path(
    get,
    path = "/v1/insights",
    tag = "insights",
    operation_id = "getInsights",
    params(InsightsQuery),
    responses((status = 200, description = "Snapshot, findings and summary", body = InsightsView))
)]
pub async fn get_insights(
    State(state): State<AppState>,
    principal: Allowed<perm::InsightsRead>,
    ApiQuery(q): ApiQuery<InsightsQuery>,
) -> ApiResult<Json<InsightsView>> {
    let period = period_of(&state, &q.from, &q.to)?;
    let (snapshot, found) = analyse(&state, &principal, period).await?;
    let lang = request_ctx::current().lang;
    let summary = RuleNarrator
        .summary(&snapshot, &found, language(lang))
        .await;
    Ok(Json(InsightsView {
        period: period_view(&period),
        snapshot: serde_json::to_value(&snapshot)
            .map_err(|e| ServerError::Internal(e.to_string()))?,
        findings: found.iter().map(|f| finding_view(f, lang)).collect(),
        summary: NarrationView::from(&summary),
    }))
}

/// The findings of a period: each with its numbers, a suggested action and the money at
/// stake.
#[utoipa::path(
    get,
    path = "/v1/insights/findings",
    tag = "insights",
    operation_id = "listFindings",
    params(InsightsQuery),
    responses((status = 200, description = "Findings", body = FindingList))
)]
pub async fn get_findings(
    State(state): State<AppState>,
    principal: Allowed<perm::InsightsRead>,
    ApiQuery(q): ApiQuery<InsightsQuery>,
) -> ApiResult<Json<FindingList>> {
    let period = period_of(&state, &q.from, &q.to)?;
    let (_, found) = analyse(&state, &principal, period).await?;
    let lang = request_ctx::current().lang;
    Ok(Json(FindingList {
        period: period_view(&period),
        items: found.iter().map(|f| finding_view(f, lang)).collect(),
    }))
}

/// Answers a question about the company's shipments in natural language, from the period's
/// numbers only (the model sees the aggregated digest, never a recipient). Needs a language
/// model (`KARGOJET_LLM_BASE_URL`, `KARGOJET_LLM_MODEL`); when the model fails the rule-based
/// answer stands in and says so.
#[utoipa::path(
    post,
    path = "/v1/insights/questions",
    tag = "insights",
    operation_id = "askInsights",
    request_body = QuestionBody,
    responses((status = 200, description = "The answer", body = AnswerView))
)]
pub async fn ask(
    State(state): State<AppState>,
    principal: Allowed<perm::InsightsRead>,
    ApiJson(body): ApiJson<QuestionBody>,
) -> ApiResult<Json<AnswerView>> {
    let question = body.question.trim();
    if question.is_empty() || question.chars().count() > 1000 {
        return Err(
            ServerError::bad_input(Code::RequestInvalid, "question", "1–1000 characters").into(),
        );
    }
    let Some(narrator) = state.llm.as_ref() else {
        return Err(kargojet::Error::Unsupported {
            code: Code::UnsupportedFeature,
            carrier: None,
            detail: "no language model is configured (KARGOJET_LLM_BASE_URL, KARGOJET_LLM_MODEL)"
                .into(),
        }
        .into());
    };
    let period = period_of(&state, &body.from, &body.to)?;
    let (snapshot, found) = analyse(&state, &principal, period).await?;
    let lang = request_ctx::current().lang;
    let answer = narrator
        .answer(&snapshot, &found, question, language(lang))
        .await;
    Ok(Json(AnswerView {
        period: period_view(&period),
        question: question.to_string(),
        answer: NarrationView::from(&answer),
    }))
}
