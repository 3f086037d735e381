//! [`Snapshot`]: a company's shipments over a [`Period`], as aggregates only — volume, cost,
//! delivery and return rates, transit days, desi mismatches and cash on delivery, overall and
//! by carrier, destination province, destination region, carrier × region and carrier × zone.

use super::record::{Outcome, ShipmentRecord};
use super::stats::{Acc, GroupStats, SNAPSHOT_ROUNDING};
use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use crate::geo::{DistanceZone, Plate, Region, zone_between};
use crate::money::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A half-open time range `[from, to)` of creation times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Period {
    /// First instant included.
    pub from: DateTime<Utc>,
    /// First instant excluded.
    pub to: DateTime<Utc>,
}

impl Period {
    /// The period `[from, to)`; `request.invalid` unless `from < to`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Period> {
        if from >= to {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "period",
                format!("{from} is not before {to}"),
            ));
        }
        Ok(Period { from, to })
    }

    /// The period of the same length just before this one (for comparisons).
    pub fn previous(&self) -> Period {
        let len = self.to - self.from;
        Period {
            from: self.from - len,
            to: self.from,
        }
    }

    /// Whether `t` falls in the period.
    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from <= t && t < self.to
    }
}

/// One carrier's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierStats {
    /// Carrier.
    pub carrier: CarrierId,
    /// Its share of all (non-cancelled) shipments, percent.
    pub share: Option<rust_decimal::Decimal>,
    /// Figures.
    pub stats: GroupStats,
}

/// One destination region's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionStats {
    /// Region.
    pub region: Region,
    /// Figures.
    pub stats: GroupStats,
}

/// One destination province's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceStats {
    /// Plate.
    pub plate: Plate,
    /// Official name.
    pub name: String,
    /// Region.
    pub region: Region,
    /// Figures.
    pub stats: GroupStats,
}

/// One carrier's figures in one destination region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierRegionStats {
    /// Carrier.
    pub carrier: CarrierId,
    /// Region.
    pub region: Region,
    /// Figures.
    pub stats: GroupStats,
}

/// One carrier's transit time in one distance zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransitCell {
    /// Carrier.
    pub carrier: CarrierId,
    /// Distance zone between the origin and destination provinces.
    pub zone: DistanceZone,
    /// Delivered shipments measured.
    pub samples: u32,
    /// Average elapsed days from pickup to delivery.
    pub avg_days: Option<rust_decimal::Decimal>,
}

/// Cash on delivery against prepaid shipments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodStats {
    /// Shipments with cash on delivery.
    pub cod: GroupStats,
    /// Shipments without.
    pub prepaid: GroupStats,
    /// COD amounts of delivered shipments (collected).
    pub collected: Money,
    /// COD amounts of shipments that came back (sales lost).
    pub returned_amount: Money,
    /// Average COD amount, rounded to the kuruş.
    pub average_amount: Option<Money>,
}

/// A company's shipments over a period, as aggregates (no personal data). Lists are ordered by
/// shipments, most first, then by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The period (by creation time).
    pub period: Period,
    /// How derived figures are rounded.
    pub rounding: String,
    /// Every outbound shipment.
    pub totals: GroupStats,
    /// Customer returns the seller created (counted apart).
    pub customer_returns: u32,
    /// What the customer returns cost.
    pub customer_return_cost: Money,
    /// By carrier.
    pub by_carrier: Vec<CarrierStats>,
    /// By destination region.
    pub by_region: Vec<RegionStats>,
    /// By destination province.
    pub by_province: Vec<ProvinceStats>,
    /// By carrier and destination region.
    pub by_carrier_region: Vec<CarrierRegionStats>,
    /// Transit days by carrier and distance zone (zones nearest first).
    pub transit: Vec<TransitCell>,
    /// Cash on delivery.
    pub cod: CodStats,
}

impl Snapshot {
    /// The snapshot of the records created in `period` (others are ignored). Every record is
    /// validated first; the first invalid one is an error with its path (`records[3].cost`).
    pub fn build(records: &[ShipmentRecord], period: Period) -> Result<Snapshot> {
        for (i, r) in records.iter().enumerate() {
            r.validate(&format!("records[{i}]"))?;
        }
        let mut totals = Acc::default();
        let mut carriers: BTreeMap<CarrierId, Acc> = BTreeMap::new();
        let mut regions: BTreeMap<Region, Acc> = BTreeMap::new();
        let mut provinces: BTreeMap<Plate, Acc> = BTreeMap::new();
        let mut carrier_regions: BTreeMap<(CarrierId, Region), Acc> = BTreeMap::new();
        let mut zones: BTreeMap<(CarrierId, DistanceZone), Acc> = BTreeMap::new();
        let (mut cod, mut prepaid) = (Acc::default(), Acc::default());
        let (mut collected, mut returned_amount) = (Money::zero(), Money::zero());
        let mut customer_returns = 0u32;
        let mut customer_return_cost = Money::zero();
        for r in records.iter().filter(|r| period.contains(r.created_at)) {
            if r.customer_return {
                if r.outcome != Outcome::Cancelled {
                    customer_returns += 1;
                    customer_return_cost = customer_return_cost + r.cost;
                }
                continue;
            }
            let region = r.destination.province().region;
            totals.add(r);
            carriers.entry(r.carrier.clone()).or_default().add(r);
            regions.entry(region).or_default().add(r);
            provinces.entry(r.destination).or_default().add(r);
            carrier_regions
                .entry((r.carrier.clone(), region))
                .or_default()
                .add(r);
            zones
                .entry((r.carrier.clone(), zone_between(r.origin, r.destination)))
                .or_default()
                .add(r);
            if let Some(amount) = r.cod_amount {
                cod.add(r);
                match r.outcome {
                    Outcome::Delivered => collected = collected + amount,
                    Outcome::Returned => returned_amount = returned_amount + amount,
                    _ => {}
                }
            } else {
                prepaid.add(r);
            }
        }
        let totals = totals.stats();
        let all = totals.shipments;
        let mut by_carrier: Vec<CarrierStats> = carriers
            .into_iter()
            .map(|(carrier, a)| {
                let stats = a.stats();
                CarrierStats {
                    carrier,
                    share: super::stats::rate(stats.shipments, all),
                    stats,
                }
            })
            .collect();
        by_carrier.sort_by_key(|s| std::cmp::Reverse(s.stats.shipments));
        let mut by_region: Vec<RegionStats> = regions
            .into_iter()
            .map(|(region, a)| RegionStats {
                region,
                stats: a.stats(),
            })
            .collect();
        by_region.sort_by_key(|s| std::cmp::Reverse(s.stats.shipments));
        let mut by_province: Vec<ProvinceStats> = provinces
            .into_iter()
            .map(|(plate, a)| {
                let p = plate.province();
                ProvinceStats {
                    plate,
                    name: p.name.clone(),
                    region: p.region,
                    stats: a.stats(),
                }
            })
            .collect();
        by_province.sort_by_key(|s| std::cmp::Reverse(s.stats.shipments));
        let mut by_carrier_region: Vec<CarrierRegionStats> = carrier_regions
            .into_iter()
            .map(|((carrier, region), a)| CarrierRegionStats {
                carrier,
                region,
                stats: a.stats(),
            })
            .collect();
        by_carrier_region.sort_by(|a, b| {
            a.region
                .cmp(&b.region)
                .then(b.stats.shipments.cmp(&a.stats.shipments))
        });
        let transit = zones
            .into_iter()
            .map(|((carrier, zone), a)| {
                let s = a.stats();
                TransitCell {
                    carrier,
                    zone,
                    samples: s.transit_samples,
                    avg_days: s.avg_transit_days,
                }
            })
            .collect();
        let cod = cod.stats();
        let average_amount = (cod.cod_shipments > 0).then(|| {
            Money::try_lira(cod.cod_amount.amount / rust_decimal::Decimal::from(cod.cod_shipments))
                .round_kurus()
        });
        Ok(Snapshot {
            period,
            rounding: SNAPSHOT_ROUNDING.to_string(),
            totals,
            customer_returns,
            customer_return_cost,
            by_carrier,
            by_region,
            by_province,
            by_carrier_region,
            transit,
            cod: CodStats {
                cod,
                prepaid: prepaid.stats(),
                collected,
                returned_amount,
                average_amount,
            },
        })
    }

    /// One carrier's figures.
    pub fn carrier(&self, c: &CarrierId) -> Option<&CarrierStats> {
        self.by_carrier.iter().find(|s| &s.carrier == c)
    }

    /// One region's figures.
    pub fn region(&self, r: Region) -> Option<&RegionStats> {
        self.by_region.iter().find(|s| s.region == r)
    }

    /// One province's figures.
    pub fn province(&self, p: Plate) -> Option<&ProvinceStats> {
        self.by_province.iter().find(|s| s.plate == p)
    }

    /// One carrier's figures in one region.
    pub fn carrier_region(&self, c: &CarrierId, r: Region) -> Option<&GroupStats> {
        self.by_carrier_region
            .iter()
            .find(|s| &s.carrier == c && s.region == r)
            .map(|s| &s.stats)
    }

    /// One carrier's transit time in one zone.
    pub fn transit_of(&self, c: &CarrierId, z: DistanceZone) -> Option<&TransitCell> {
        self.transit.iter().find(|t| &t.carrier == c && t.zone == z)
    }
}
