//! The input of insights: one plain [`ShipmentRecord`] per shipment, with no personal data
//! (no names, phones or addresses — only provinces), and its conversion from a stored
//! [`Shipment`] (status history, measurement) and the wallet's [`DesiReport`] (the money a desi
//! difference cost).

use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use crate::geo::Plate;
use crate::money::Money;
use crate::shipment::Shipment;
use crate::tracking::{Measurement, ShipmentStatus};
use crate::wallet::DesiReport;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Where a shipment's life ended, or that it has not ended yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still moving (created, picked up, in transit, at the branch, out for delivery, or a
    /// failed attempt with another one to come).
    Open,
    /// Delivered to the recipient.
    Delivered,
    /// Sent back to the sender (returning or returned).
    Returned,
    /// Lost, damaged or otherwise stuck (`exception`).
    Problem,
    /// Cancelled before pickup (refunded: no cost).
    Cancelled,
}

impl Outcome {
    /// The outcome a normalized status stands for.
    pub fn of(status: ShipmentStatus) -> Outcome {
        match status {
            ShipmentStatus::Delivered => Outcome::Delivered,
            ShipmentStatus::Returning | ShipmentStatus::Returned => Outcome::Returned,
            ShipmentStatus::Exception => Outcome::Problem,
            ShipmentStatus::Cancelled => Outcome::Cancelled,
            ShipmentStatus::Created
            | ShipmentStatus::PickedUp
            | ShipmentStatus::InTransit
            | ShipmentStatus::AtBranch
            | ShipmentStatus::OutForDelivery
            | ShipmentStatus::DeliveryFailed => Outcome::Open,
        }
    }

    /// True for outcomes that close a shipment's delivery (delivered, returned, problem): the
    /// base of the delivery and return rates.
    pub fn is_closed(self) -> bool {
        matches!(
            self,
            Outcome::Delivered | Outcome::Returned | Outcome::Problem
        )
    }
}

/// One shipment as insights see it. Build it with [`ShipmentRecord::from_shipment`] from the
/// orchestrator's stored shipments, or fill it from any other system.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShipmentRecord {
    /// Carrier.
    pub carrier: CarrierId,
    /// Origin province (the sender's).
    pub origin: Plate,
    /// Destination province (the recipient's); its region and the distance zone follow from it.
    pub destination: Plate,
    /// What the seller paid for it (the offer's total, KDV included).
    pub cost: Money,
    /// Billable desi it was bought for.
    pub declared_desi: Decimal,
    /// Billable value the carrier measured (max of desi and kg), if it reported one.
    #[serde(default)]
    pub measured_desi: Option<Decimal>,
    /// Extra money the measured desi cost (the desi difference charged), when known.
    #[serde(default)]
    pub desi_extra_cost: Option<Money>,
    /// Cash-on-delivery amount, if any.
    #[serde(default)]
    pub cod_amount: Option<Money>,
    /// Where it ended.
    pub outcome: Outcome,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When the carrier took it (the first picked-up, in-transit, at-branch, out-for-delivery
    /// or failed-attempt event), if known.
    #[serde(default)]
    pub picked_up_at: Option<DateTime<Utc>>,
    /// When it was delivered, if it was.
    #[serde(default)]
    pub delivered_at: Option<DateTime<Utc>>,
    /// A return the seller created for an earlier shipment (customer return): counted apart,
    /// never in the delivery and return rates.
    #[serde(default)]
    pub customer_return: bool,
}

impl ShipmentRecord {
    /// The record of a stored shipment: carrier, provinces, the offer's total and billable
    /// desi, the last measurement, the COD amount, the outcome of its status, and the times of
    /// its first pickup and of its delivery from the tracking history. The desi difference
    /// money is unknown here: see [`records_from_shipments`] for the wallet's figure.
    pub fn from_shipment(s: &Shipment) -> ShipmentRecord {
        let mut events: Vec<_> = s.events.iter().collect();
        events.sort_by_key(|e| e.time);
        // The first status of a parcel on its way; a history that starts at the delivery
        // (carriers that report only the current status) has no pickup time.
        let picked_up_at = events
            .iter()
            .find(|e| {
                matches!(
                    e.status,
                    Some(
                        ShipmentStatus::PickedUp
                            | ShipmentStatus::InTransit
                            | ShipmentStatus::AtBranch
                            | ShipmentStatus::OutForDelivery
                            | ShipmentStatus::DeliveryFailed
                    )
                )
            })
            .map(|e| e.time.with_timezone(&Utc));
        let delivered_at = events
            .iter()
            .find(|e| e.status == Some(ShipmentStatus::Delivered))
            .map(|e| e.time.with_timezone(&Utc));
        let measured_desi = crate::tracking::last_measurement(&s.events)
            .and_then(Measurement::billable)
            .filter(|m| *m > Decimal::ZERO);
        ShipmentRecord {
            carrier: s.carrier.clone(),
            origin: s.request.sender.address.plate,
            destination: s.request.recipient.address.plate,
            cost: s.offer.breakdown.total,
            declared_desi: s.offer.billable_desi,
            measured_desi,
            desi_extra_cost: None,
            cod_amount: s.request.cod.map(|c| c.amount),
            outcome: Outcome::of(s.status),
            created_at: s.created_at,
            picked_up_at,
            delivered_at: if s.status == ShipmentStatus::Delivered {
                delivered_at
            } else {
                None
            },
            customer_return: s.return_of.is_some(),
        }
    }

    /// The same record with the desi difference it cost.
    pub fn with_desi_extra_cost(mut self, extra: Money) -> ShipmentRecord {
        self.desi_extra_cost = Some(extra);
        self
    }

    /// True when the carrier measured more than was declared (the case that costs money).
    pub fn desi_mismatch(&self) -> bool {
        self.measured_desi.is_some_and(|m| m > self.declared_desi)
    }

    /// Checks what [`crate::insights::Snapshot::build`] relies on; `field` is the record's path
    /// (`records[3]`).
    pub fn validate(&self, field: &str) -> Result<()> {
        for (name, plate) in [("origin", self.origin), ("destination", self.destination)] {
            if Plate::new(plate.get()).is_none() {
                return Err(Error::invalid(
                    Code::RequestUnknownProvince,
                    format!("{field}.{name}"),
                    format!("plate {} is not 1–81", plate.get()),
                ));
            }
        }
        let money = [
            ("cost", Some(self.cost)),
            ("desi_extra_cost", self.desi_extra_cost),
            ("cod_amount", self.cod_amount),
        ];
        for (name, m) in money {
            if m.is_some_and(|m| m.is_negative()) {
                return Err(Error::invalid(
                    Code::RequestInvalidAmount,
                    format!("{field}.{name}"),
                    "must not be negative",
                ));
            }
        }
        if self.declared_desi.is_sign_negative() && !self.declared_desi.is_zero() {
            return Err(Error::invalid(
                Code::RequestInvalidWeight,
                format!("{field}.declared_desi"),
                format!("{} must not be negative", self.declared_desi),
            ));
        }
        if self.measured_desi.is_some_and(|m| m <= Decimal::ZERO) {
            return Err(Error::invalid(
                Code::RequestInvalidWeight,
                format!("{field}.measured_desi"),
                "must be positive when given",
            ));
        }
        for (name, t) in [
            ("picked_up_at", self.picked_up_at),
            ("delivered_at", self.delivered_at),
        ] {
            if t.is_some_and(|t| t < self.created_at) {
                return Err(Error::invalid(
                    Code::RequestInvalid,
                    format!("{field}.{name}"),
                    "is before created_at",
                ));
            }
        }
        if let (Some(p), Some(d)) = (self.picked_up_at, self.delivered_at) {
            if d < p {
                return Err(Error::invalid(
                    Code::RequestInvalid,
                    format!("{field}.delivered_at"),
                    "is before picked_up_at",
                ));
            }
        }
        if self.delivered_at.is_some() && self.outcome != Outcome::Delivered {
            return Err(Error::invalid(
                Code::RequestInvalid,
                format!("{field}.delivered_at"),
                format!("set on a shipment whose outcome is {:?}", self.outcome),
            ));
        }
        Ok(())
    }
}

/// Records of stored shipments, with the desi difference each was charged taken from the
/// wallet's desi report (by shipment id; a shipment the report does not list keeps an unknown
/// desi difference).
pub fn records_from_shipments(
    shipments: &[Shipment],
    desi: Option<&DesiReport>,
) -> Vec<ShipmentRecord> {
    let charged: HashMap<&str, Money> = desi
        .map(|r| {
            r.shipments
                .iter()
                .map(|l| (l.shipment.0.as_str(), l.charged))
                .collect()
        })
        .unwrap_or_default();
    shipments
        .iter()
        .map(|s| {
            let r = ShipmentRecord::from_shipment(s);
            match charged.get(s.id.0.as_str()) {
                Some(m) => r.with_desi_extra_cost(*m),
                None => r,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_outcomes() {
        assert_eq!(Outcome::of(ShipmentStatus::Delivered), Outcome::Delivered);
        assert_eq!(Outcome::of(ShipmentStatus::Returning), Outcome::Returned);
        assert_eq!(Outcome::of(ShipmentStatus::Returned), Outcome::Returned);
        assert_eq!(Outcome::of(ShipmentStatus::Exception), Outcome::Problem);
        assert_eq!(Outcome::of(ShipmentStatus::DeliveryFailed), Outcome::Open);
        assert_eq!(Outcome::of(ShipmentStatus::Cancelled), Outcome::Cancelled);
        let closed: Vec<_> = ShipmentStatus::ALL
            .into_iter()
            .filter(|s| Outcome::of(*s).is_closed())
            .collect();
        assert_eq!(closed.len(), 4);
    }
}
