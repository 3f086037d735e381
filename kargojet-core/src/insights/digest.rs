//! [`Digest`]: everything a language model is shown about a snapshot — its aggregates and the
//! findings, nothing else. A snapshot is built from [`super::ShipmentRecord`]s, which hold no
//! names, phones or addresses (only provinces), so no personal data can reach the model.

use super::findings::{Evidence, Finding, FindingKind};
use super::narrator::Language;
use super::snapshot::{
    CarrierRegionStats, CarrierStats, CodStats, Period, ProvinceStats, RegionStats, Snapshot,
    TransitCell,
};
use super::stats::GroupStats;
use crate::carrier::CarrierId;
use crate::error::{Error, Result};
use crate::geo::Region;
use crate::money::Money;
use serde::Serialize;

/// How many destination provinces a digest lists (most shipments first).
pub const DIGEST_PROVINCES: usize = 15;

/// A finding as a model sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DigestFinding {
    /// Rule id.
    pub kind: FindingKind,
    /// Carrier it is about.
    pub carrier: Option<CarrierId>,
    /// Carrier it compares against.
    pub compared_to: Option<CarrierId>,
    /// Region it is about.
    pub region: Option<Region>,
    /// Money at stake.
    pub money_at_stake: Money,
    /// The numbers behind it.
    pub evidence: Vec<Evidence>,
    /// Headline and action, in the narration's language.
    pub text: String,
    /// The numbers in a sentence, in the narration's language.
    pub detail: String,
}

/// The aggregates of a snapshot and its findings, for a language model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Digest {
    /// Currency of every amount.
    pub currency: &'static str,
    /// Period.
    pub period: Period,
    /// How figures are rounded.
    pub rounding: String,
    /// Every outbound shipment.
    pub totals: GroupStats,
    /// Customer returns created by the seller.
    pub customer_returns: u32,
    /// By carrier, with the carrier's display name.
    pub by_carrier: Vec<(String, CarrierStats)>,
    /// By destination region.
    pub by_region: Vec<RegionStats>,
    /// The destination provinces with the most shipments.
    pub top_provinces: Vec<ProvinceStats>,
    /// By carrier and region.
    pub by_carrier_region: Vec<CarrierRegionStats>,
    /// Transit days by carrier and distance zone.
    pub transit: Vec<TransitCell>,
    /// Cash on delivery.
    pub cod: CodStats,
    /// Findings, most money at stake first.
    pub findings: Vec<DigestFinding>,
}

impl Digest {
    /// The digest of `snapshot` and `findings`, finding texts in `language`.
    pub fn of(snapshot: &Snapshot, findings: &[Finding], language: Language) -> Digest {
        Digest {
            currency: "TRY",
            period: snapshot.period,
            rounding: snapshot.rounding.clone(),
            totals: snapshot.totals.clone(),
            customer_returns: snapshot.customer_returns,
            by_carrier: snapshot
                .by_carrier
                .iter()
                .map(|c| (c.carrier.display_name().to_string(), c.clone()))
                .collect(),
            by_region: snapshot.by_region.clone(),
            top_provinces: snapshot
                .by_province
                .iter()
                .take(DIGEST_PROVINCES)
                .cloned()
                .collect(),
            by_carrier_region: snapshot.by_carrier_region.clone(),
            transit: snapshot.transit.clone(),
            cod: snapshot.cod.clone(),
            findings: findings
                .iter()
                .map(|f| DigestFinding {
                    kind: f.kind,
                    carrier: f.carrier.clone(),
                    compared_to: f.compared_to.clone(),
                    region: f.region,
                    money_at_stake: f.money_at_stake,
                    evidence: f.evidence.clone(),
                    text: match language {
                        Language::Tr => f.text_tr(),
                        Language::En => f.text_en(),
                    },
                    detail: match language {
                        Language::Tr => f.detail_tr.clone(),
                        Language::En => f.detail_en.clone(),
                    },
                })
                .collect(),
        }
    }

    /// The digest as compact JSON.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self).map_err(|e| Error::internal(format!("digest JSON: {e}")))
    }
}
