//! Insights responses.

use super::common::{MoneyView, decimal_text};
use crate::lang::Lang;
use kargojet::insights::{Finding, Narration, NarrationSource};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

fn text_of<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

/// One number behind a finding.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceView {
    /// Stable name (`mismatch_rate`, …).
    pub name: String,
    /// Value.
    pub value: String,
    /// Unit (`percent`, `try`, `days`, …).
    pub unit: String,
}

/// A rule-based finding.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingView {
    /// Rule id.
    pub kind: String,
    /// The carrier it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub carrier: Option<String>,
    /// The carrier it compares against.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub compared_to: Option<String>,
    /// The destination region.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub region: Option<String>,
    /// Money at stake in the period.
    pub money_at_stake: MoneyView,
    /// Headline in the asked language.
    pub headline: String,
    /// The numbers in a sentence.
    pub detail: String,
    /// What to do.
    pub action: String,
    /// The numbers.
    pub evidence: Vec<EvidenceView>,
}

/// Builds a finding view in `lang`.
pub fn finding_view(f: &Finding, lang: Lang) -> FindingView {
    let (headline, detail, action) = match lang {
        Lang::Tr => (&f.headline_tr, &f.detail_tr, &f.action_tr),
        Lang::En => (&f.headline_en, &f.detail_en, &f.action_en),
    };
    FindingView {
        kind: f.kind.id().to_string(),
        carrier: f.carrier.as_ref().map(|c| c.as_str().to_string()),
        compared_to: f.compared_to.as_ref().map(|c| c.as_str().to_string()),
        region: f.region.as_ref().map(text_of),
        money_at_stake: f.money_at_stake.into(),
        headline: headline.clone(),
        detail: detail.clone(),
        action: action.clone(),
        evidence: f
            .evidence
            .iter()
            .map(|e| EvidenceView {
                name: e.name.clone(),
                value: decimal_text(e.value),
                unit: text_of(&e.unit),
            })
            .collect(),
    }
}

/// A text in natural language.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NarrationView {
    /// The text.
    pub text: String,
    /// `tr` or `en`.
    pub language: String,
    /// `rule_based` or `model`.
    pub source: String,
    /// The model, when a language model wrote it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub model: Option<String>,
    /// Set when the model failed and the rule-based text stands in: the failure's code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub fallback_code: Option<String>,
}

impl From<&Narration> for NarrationView {
    fn from(n: &Narration) -> Self {
        let (source, model) = match &n.source {
            NarrationSource::RuleBased => ("rule_based", None),
            NarrationSource::Model { model } => ("model", Some(model.clone())),
        };
        NarrationView {
            text: n.text.clone(),
            language: text_of(&n.language),
            source: source.into(),
            model,
            fallback_code: n.fallback.as_ref().map(|f| f.code.as_str().to_string()),
        }
    }
}

/// A period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodView {
    /// From (inclusive).
    #[schema(format = DateTime)]
    pub from: String,
    /// To (exclusive).
    #[schema(format = DateTime)]
    pub to: String,
}

/// The insights of a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InsightsView {
    /// The period.
    pub period: PeriodView,
    /// The snapshot: volume, cost, delivery and return rates by carrier and region, transit
    /// days, desi mismatches, cash on delivery (the library's `Snapshot`, as JSON).
    #[schema(value_type = Object)]
    pub snapshot: serde_json::Value,
    /// Findings, money at stake first.
    pub findings: Vec<FindingView>,
    /// A summary in the asked language (rule-based).
    pub summary: NarrationView,
}

/// The findings of a period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingList {
    /// The period.
    pub period: PeriodView,
    /// Findings, money at stake first.
    pub items: Vec<FindingView>,
}

/// `POST /v1/insights/questions`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionBody {
    /// The question (`Hangi kargo firması en çok desi farkı çıkarıyor?`).
    #[schema(min_length = 1, max_length = 1000)]
    pub question: String,
    /// From (RFC 3339; default 30 days before `to`).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub from: Option<String>,
    /// To (RFC 3339; default now).
    #[serde(default)]
    #[schema(format = DateTime)]
    pub to: Option<String>,
}

/// An answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnswerView {
    /// The period the answer looked at.
    pub period: PeriodView,
    /// The question.
    pub question: String,
    /// The answer.
    pub answer: NarrationView,
}
