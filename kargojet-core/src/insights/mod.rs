//! Insights: what a company's shipments say, in numbers and in words.
//!
//! - [`ShipmentRecord`]: one shipment as plain data, with no personal data; built from stored
//!   shipments with [`ShipmentRecord::from_shipment`] / [`records_from_shipments`] (the latter
//!   adds the desi differences the wallet charged);
//! - [`Snapshot`]: the records of a [`Period`] as aggregates — volume by carrier, destination
//!   province and region, cost per shipment and per desi, delivery and return rates by carrier
//!   and region, transit days by carrier × distance zone, desi mismatches and the money they
//!   cost by carrier, cash-on-delivery share and amounts ([`stats`] states the rounding);
//! - [`findings`]: rule-based findings with their numbers, a suggested action and the money at
//!   stake, in Turkish and English, ranked by money at stake;
//! - [`Narrator`]: summaries and answers to questions in natural language — [`RuleNarrator`]
//!   always, and an OpenAI-compatible language-model narrator behind the feature `llm`
//!   ([`llm::LlmNarrator`]), which sees only the [`Digest`] and falls back to the rules.
//!
//! ```
//! use kargojet_core::insights::{findings, FindingRules, Language, Period, RuleNarrator, ShipmentRecord, Snapshot};
//! # fn main() -> kargojet_core::Result<()> {
//! let records: Vec<ShipmentRecord> = Vec::new(); // e.g. records_from_shipments(&stored, Some(&desi_report))
//! let to = chrono::Utc::now();
//! let period = Period::new(to - chrono::Duration::days(30), to)?;
//! let snapshot = Snapshot::build(&records, period)?;
//! let previous = Snapshot::build(&records, period.previous())?;
//! let found = findings(&snapshot, Some(&previous), &FindingRules::default());
//! println!("{}", RuleNarrator.summary_text(&snapshot, &found, Language::Tr));
//! # Ok(()) }
//! ```

mod digest;
mod findings;
pub mod format;
#[cfg(feature = "llm")]
pub mod llm;
mod narrator;
mod record;
mod snapshot;
pub mod stats;

pub use digest::{DIGEST_PROVINCES, Digest, DigestFinding};
pub use findings::{Evidence, Finding, FindingKind, FindingRules, Unit, findings};
pub use narrator::{Fallback, Language, Narration, NarrationSource, Narrator, RuleNarrator};
pub use record::{Outcome, ShipmentRecord, records_from_shipments};
pub use snapshot::{
    CarrierRegionStats, CarrierStats, CodStats, Period, ProvinceStats, RegionStats, Snapshot,
    TransitCell,
};
pub use stats::GroupStats;
