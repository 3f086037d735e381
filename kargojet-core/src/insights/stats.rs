//! The figures of one group of shipments (all of them, one carrier, one region, …), and the
//! rounding rules every derived figure follows.
//!
//! - money per shipment and per desi: rounded to the kuruş, half away from zero;
//! - rates (percent): rounded to [`RATE_DP`] decimals, half away from zero;
//! - average days: rounded to [`DAYS_DP`] decimals, half away from zero.
//!
//! Sums (total cost, total desi, money lost, COD amounts) are exact.

use super::record::{Outcome, ShipmentRecord};
use crate::money::Money;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Decimals of every rate (percent).
pub const RATE_DP: u32 = 1;
/// Decimals of every average day count.
pub const DAYS_DP: u32 = 2;
/// The rounding rule of the snapshot's derived figures, as text.
pub const SNAPSHOT_ROUNDING: &str = "money per unit: kuruş half-up; rates: percent to 1 decimal, half away from zero; days: 2 decimals, half away from zero; sums exact";

const SECONDS_PER_DAY: i64 = 86_400;

/// `part` of `whole` in percent, rounded to [`RATE_DP`] decimals; `None` when `whole` is 0.
pub fn rate(part: u32, whole: u32) -> Option<Decimal> {
    (whole > 0).then(|| {
        (Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole))
            .round_dp_with_strategy(RATE_DP, RoundingStrategy::MidpointAwayFromZero)
    })
}

/// The figures of a group of shipments. Cancelled shipments count only in `cancelled`; every
/// other figure is about the rest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupStats {
    /// Shipments, cancelled ones excluded.
    pub shipments: u32,
    /// Cancelled shipments.
    pub cancelled: u32,
    /// Delivered.
    pub delivered: u32,
    /// Sent back to the sender.
    pub returned: u32,
    /// Lost, damaged or stuck.
    pub problem: u32,
    /// Not finished yet.
    pub open: u32,
    /// What the seller paid for them (KDV included).
    pub total_cost: Money,
    /// Billable desi bought.
    pub total_desi: Decimal,
    /// `total_cost / shipments`.
    pub cost_per_shipment: Option<Money>,
    /// `total_cost / total_desi`.
    pub cost_per_desi: Option<Money>,
    /// Delivered share of closed shipments (delivered + returned + problem), percent.
    pub delivery_rate: Option<Decimal>,
    /// Returned share of closed shipments, percent.
    pub return_rate: Option<Decimal>,
    /// Delivered shipments with a known pickup or creation time and delivery time.
    pub transit_samples: u32,
    /// Average elapsed days from pickup (creation when no pickup is known) to delivery.
    pub avg_transit_days: Option<Decimal>,
    /// Shipments the carrier measured.
    pub measured: u32,
    /// Measured above the declared desi.
    pub desi_mismatches: u32,
    /// `desi_mismatches / measured`, percent.
    pub desi_mismatch_rate: Option<Decimal>,
    /// Desi differences charged.
    pub desi_money_lost: Money,
    /// Shipments with cash on delivery.
    pub cod_shipments: u32,
    /// `cod_shipments / shipments`, percent.
    pub cod_share: Option<Decimal>,
    /// Sum of the COD amounts.
    pub cod_amount: Money,
}

impl GroupStats {
    /// Closed shipments: delivered + returned + problem.
    pub fn closed(&self) -> u32 {
        self.delivered + self.returned + self.problem
    }
}

/// Sums for a [`GroupStats`], fed one record at a time.
#[derive(Debug, Clone, Default)]
pub(crate) struct Acc {
    shipments: u32,
    cancelled: u32,
    delivered: u32,
    returned: u32,
    problem: u32,
    open: u32,
    cost: Decimal,
    desi: Decimal,
    transit_samples: u32,
    transit_seconds: i64,
    measured: u32,
    mismatches: u32,
    lost: Decimal,
    cod_shipments: u32,
    cod: Decimal,
}

impl Acc {
    /// Adds one (outbound) record.
    pub(crate) fn add(&mut self, r: &ShipmentRecord) {
        if r.outcome == Outcome::Cancelled {
            self.cancelled += 1;
            return;
        }
        self.shipments += 1;
        match r.outcome {
            Outcome::Delivered => self.delivered += 1,
            Outcome::Returned => self.returned += 1,
            Outcome::Problem => self.problem += 1,
            Outcome::Open | Outcome::Cancelled => self.open += 1,
        }
        self.cost += r.cost.amount;
        self.desi += r.declared_desi;
        if r.outcome == Outcome::Delivered {
            if let Some(d) = r.delivered_at {
                let from = r.picked_up_at.unwrap_or(r.created_at);
                self.transit_samples += 1;
                self.transit_seconds += (d - from).num_seconds().max(0);
            }
        }
        if r.measured_desi.is_some() {
            self.measured += 1;
            if r.desi_mismatch() {
                self.mismatches += 1;
            }
        }
        if let Some(extra) = r.desi_extra_cost {
            self.lost += extra.amount;
        }
        if let Some(cod) = r.cod_amount {
            self.cod_shipments += 1;
            self.cod += cod.amount;
        }
    }

    /// The figures, rounded by the module's rules.
    pub(crate) fn stats(&self) -> GroupStats {
        let per = |total: Decimal, n: Decimal| {
            (n > Decimal::ZERO).then(|| Money::try_lira(total / n).round_kurus())
        };
        let closed = self.delivered + self.returned + self.problem;
        GroupStats {
            shipments: self.shipments,
            cancelled: self.cancelled,
            delivered: self.delivered,
            returned: self.returned,
            problem: self.problem,
            open: self.open,
            total_cost: Money::try_lira(self.cost),
            total_desi: self.desi.normalize(),
            cost_per_shipment: per(self.cost, Decimal::from(self.shipments)),
            cost_per_desi: per(self.cost, self.desi),
            delivery_rate: rate(self.delivered, closed),
            return_rate: rate(self.returned, closed),
            transit_samples: self.transit_samples,
            avg_transit_days: (self.transit_samples > 0).then(|| {
                (Decimal::from(self.transit_seconds)
                    / Decimal::from(SECONDS_PER_DAY)
                    / Decimal::from(self.transit_samples))
                .round_dp_with_strategy(DAYS_DP, RoundingStrategy::MidpointAwayFromZero)
                .normalize()
            }),
            measured: self.measured,
            desi_mismatches: self.mismatches,
            desi_mismatch_rate: rate(self.mismatches, self.measured),
            desi_money_lost: Money::try_lira(self.lost),
            cod_shipments: self.cod_shipments,
            cod_share: rate(self.cod_shipments, self.shipments),
            cod_amount: Money::try_lira(self.cod),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rates_round_half_away_from_zero_to_one_decimal() {
        assert_eq!(rate(1, 3), Some(dec!(33.3)));
        assert_eq!(rate(2, 3), Some(dec!(66.7)));
        assert_eq!(rate(1, 8), Some(dec!(12.5)));
        assert_eq!(rate(1, 16), Some(dec!(6.3))); // 6.25 → 6.3
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(5, 5), Some(dec!(100)));
    }
}
