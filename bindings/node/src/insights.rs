//! Insights: the company's shipments of the last days as a snapshot (numbers as JSON), the
//! rule-based findings with the money at stake, a summary and, when asked, an answer to a
//! question — in Turkish or English.

use crate::output::Money;
use kargojet_ffi as ffi;
use napi_derive::napi;

/// The language of a narration.
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsightsLanguage {
    /// Turkish.
    Tr,
    /// English.
    En,
}

/// What to look at.
#[napi(object, object_to_js = false)]
#[derive(Debug, Clone, Default)]
pub struct InsightsRequest {
    /// The period: the last `days` days up to now (default 30).
    pub days: Option<u32>,
    /// Language of the texts (default `tr`).
    pub language: Option<InsightsLanguage>,
    /// A question to answer from the numbers (`Hangi kargo firması daha ucuz?`).
    pub question: Option<String>,
}

impl From<InsightsRequest> for ffi::InsightsRequest {
    fn from(r: InsightsRequest) -> Self {
        ffi::InsightsRequest {
            days: r.days,
            language: match r.language {
                Some(InsightsLanguage::En) => ffi::InsightsLanguage::En,
                Some(InsightsLanguage::Tr) | None => ffi::InsightsLanguage::Tr,
            },
            question: r.question,
        }
    }
}

/// One number behind a finding.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightEvidence {
    /// Stable name (`mismatch_rate`, …).
    pub name: String,
    /// Exact value, a decimal string.
    pub value: String,
    /// Unit (`percent`, `points`, `days`, `try`, `count`, `desi`).
    pub unit: String,
}

/// A finding: what was found, the numbers, what to do, the money at stake.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InsightFinding {
    /// The rule (`desi_mismatch`, `cheaper_carrier_in_region`, …).
    pub kind: String,
    /// The carrier it is about.
    pub carrier: Option<String>,
    /// The carrier it compares against.
    pub compared_to: Option<String>,
    /// The destination region (Turkish name).
    pub region: Option<String>,
    /// Money at stake in the period.
    pub money_at_stake: Money,
    /// Headline in the asked language.
    pub headline: String,
    /// The numbers in a sentence.
    pub detail: String,
    /// Suggested action.
    pub action: String,
    /// The numbers behind it.
    pub evidence: Vec<InsightEvidence>,
}

/// What the company's shipments say.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insights {
    /// Start of the period, RFC 3339.
    pub period_from: String,
    /// End of the period, RFC 3339.
    pub period_to: String,
    /// Shipments in the period (cancelled ones excluded).
    pub shipments: u32,
    /// The summary.
    pub summary: String,
    /// The answer to the question, if one was asked.
    pub answer: Option<String>,
    /// Findings, most money at stake first.
    pub findings: Vec<InsightFinding>,
    /// Every aggregate of the snapshot as JSON (`JSON.parse` it).
    pub snapshot_json: String,
}

impl From<ffi::Insights> for Insights {
    fn from(i: ffi::Insights) -> Self {
        Insights {
            period_from: i.period_from,
            period_to: i.period_to,
            shipments: i.shipments,
            summary: i.summary,
            answer: i.answer,
            findings: i
                .findings
                .into_iter()
                .map(|f| InsightFinding {
                    kind: f.kind,
                    carrier: f.carrier,
                    compared_to: f.compared_to,
                    region: f.region,
                    money_at_stake: f.money_at_stake.into(),
                    headline: f.headline,
                    detail: f.detail,
                    action: f.action,
                    evidence: f
                        .evidence
                        .into_iter()
                        .map(|e| InsightEvidence {
                            name: e.name,
                            value: e.value,
                            unit: e.unit,
                        })
                        .collect(),
                })
                .collect(),
            snapshot_json: i.snapshot_json,
        }
    }
}
