//! Transit days per carrier and zone (`transit-days.csv`), for the "fastest" policy.

use super::tariff::{Route, ZoneKey};
use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Business days from acceptance to delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct TransitDays {
    /// Fewest days.
    pub min: u8,
    /// Most days.
    pub max: u8,
}

/// Transit days by carrier and zone key.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TransitTable {
    rows: HashMap<(CarrierId, ZoneKey), TransitDays>,
}

impl TransitTable {
    /// Loads `carrier,zone,min_days,max_days[,source]`.
    pub fn from_csv(text: &str) -> Result<TransitTable> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut rows = HashMap::new();
        for (i, rec) in reader.records().enumerate() {
            let row = i + 2;
            let field = |n: &str| format!("transit.row[{row}].{n}");
            let rec = rec.map_err(|e| {
                Error::invalid(Code::RequestInvalidConfig, field("*"), e.to_string())
            })?;
            let get = |c: usize| rec.get(c).unwrap_or("").trim().to_string();
            let zone = ZoneKey::parse(&get(1), &field("zone"))?;
            let num = |c: usize, n: &str| {
                get(c).parse::<u8>().map_err(|_| {
                    Error::invalid(
                        Code::RequestInvalidConfig,
                        field(n),
                        format!("'{}' is not a day count", get(c)),
                    )
                })
            };
            let (min, max) = (num(2, "min_days")?, num(3, "max_days")?);
            if min > max {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    field("max_days"),
                    format!("{max} < {min}"),
                ));
            }
            rows.insert((CarrierId::parse(&get(0)), zone), TransitDays { min, max });
        }
        Ok(TransitTable { rows })
    }

    /// Sets the days of a carrier in a zone.
    pub fn set(&mut self, carrier: CarrierId, zone: ZoneKey, days: TransitDays) {
        self.rows.insert((carrier, zone), days);
    }

    /// The days of a carrier for each distance zone, resolved once (index = zone index): the
    /// distance zone, else `sehir_disi` for intercity zones, else `all`.
    pub fn days_by_zone(&self, carrier: &CarrierId) -> [Option<TransitDays>; 5] {
        let mut out = [None; 5];
        for z in crate::geo::DistanceZone::ALL {
            let intercity = z != crate::geo::DistanceZone::SehirIci;
            out[z.index()] = self
                .rows
                .get(&(carrier.clone(), ZoneKey::Distance(z)))
                .or_else(|| {
                    if intercity {
                        self.rows.get(&(carrier.clone(), ZoneKey::Intercity))
                    } else {
                        None
                    }
                })
                .or_else(|| self.rows.get(&(carrier.clone(), ZoneKey::All)))
                .copied();
        }
        out
    }

    /// The days for a route: the distance zone, else `sehir_disi`, else `all`.
    pub fn days(&self, carrier: &CarrierId, route: &Route) -> Option<TransitDays> {
        if self.rows.is_empty() {
            return None;
        }
        let mut key = (carrier.clone(), ZoneKey::Distance(route.zone));
        if let Some(d) = self.rows.get(&key) {
            return Some(*d);
        }
        if route.from != route.to {
            key.1 = ZoneKey::Intercity;
            if let Some(d) = self.rows.get(&key) {
                return Some(*d);
            }
        }
        key.1 = ZoneKey::All;
        self.rows.get(&key).copied()
    }
}
