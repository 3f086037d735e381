//! Insights across the boundary: the company's shipments of the last days as a snapshot
//! (numbers as JSON), rule-based findings with the money at stake, a summary and, when asked,
//! an answer to a question — in Turkish or English, from the rule-based narrator.

use crate::money::Money;
use kargojet::insights::{Finding, Language};
use serde::{Deserialize, Serialize};

/// The language of a narration.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, uniffi::Enum,
)]
#[serde(rename_all = "snake_case")]
pub enum InsightsLanguage {
    /// Turkish.
    #[default]
    Tr,
    /// English.
    En,
}

impl From<InsightsLanguage> for Language {
    fn from(l: InsightsLanguage) -> Self {
        match l {
            InsightsLanguage::Tr => Language::Tr,
            InsightsLanguage::En => Language::En,
        }
    }
}

/// What to look at.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, uniffi::Record)]
#[serde(default)]
pub struct InsightsRequest {
    /// The period: the last `days` days up to now (default 30).
    #[uniffi(default)]
    pub days: Option<u32>,
    /// Language of the texts (default Turkish).
    // No `#[uniffi(default)]` here: uniffi 0.32's Kotlin and Swift generators cannot render a
    // proc-macro default of an enum-typed field and refuse to generate the bindings.
    pub language: InsightsLanguage,
    /// A question to answer from the numbers (`Hangi kargo firması daha ucuz?`).
    #[uniffi(default)]
    pub question: Option<String>,
}

/// One number behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct InsightEvidence {
    /// Stable name (`mismatch_rate`, …).
    pub name: String,
    /// Exact value.
    pub value: String,
    /// Unit (`percent`, `points`, `days`, `try`, `count`, `desi`).
    pub unit: String,
}

/// A finding: what was found, the numbers, what to do, the money at stake.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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

impl InsightFinding {
    /// The finding's record in `language`.
    pub fn from_domain(f: &Finding, language: InsightsLanguage) -> InsightFinding {
        let (headline, detail, action) = match language {
            InsightsLanguage::Tr => (&f.headline_tr, &f.detail_tr, &f.action_tr),
            InsightsLanguage::En => (&f.headline_en, &f.detail_en, &f.action_en),
        };
        InsightFinding {
            kind: f.kind.id().to_string(),
            carrier: f.carrier.as_ref().map(|c| c.as_str().to_string()),
            compared_to: f.compared_to.as_ref().map(|c| c.as_str().to_string()),
            region: f.region.map(|r| r.name_tr().to_string()),
            money_at_stake: f.money_at_stake.into(),
            headline: headline.clone(),
            detail: detail.clone(),
            action: action.clone(),
            evidence: f
                .evidence
                .iter()
                .map(|e| InsightEvidence {
                    name: e.name.clone(),
                    value: e.value.normalize().to_string(),
                    unit: serde_json::to_value(e.unit)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// What the company's shipments say.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
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
    /// Every aggregate of the snapshot as JSON (volume, cost, delivery and return rates by
    /// carrier, region and province, transit days, desi mismatches, cash on delivery).
    pub snapshot_json: String,
}
