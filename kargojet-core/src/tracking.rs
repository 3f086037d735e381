//! Tracking: the normalized status set every carrier maps into, tracking events with the
//! carrier's raw code and text, and the optional measurement a carrier reports (desi, kg,
//! amount) that the wallet uses for desi reconciliation.

use crate::money::Money;
use chrono::{DateTime, FixedOffset};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The normalized shipment status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShipmentStatus {
    /// Registered with the carrier, not yet handed over.
    Created,
    /// Accepted by the carrier (picked up or dropped at a branch).
    PickedUp,
    /// Moving between hubs.
    InTransit,
    /// At the delivery branch.
    AtBranch,
    /// With the courier for delivery.
    OutForDelivery,
    /// Delivered to the recipient.
    Delivered,
    /// A delivery attempt failed.
    DeliveryFailed,
    /// On its way back to the sender.
    Returning,
    /// Returned to the sender.
    Returned,
    /// Cancelled before pickup.
    Cancelled,
    /// Lost, damaged, destroyed or otherwise in trouble.
    Exception,
}

impl ShipmentStatus {
    /// Every status.
    pub const ALL: [ShipmentStatus; 11] = [
        ShipmentStatus::Created,
        ShipmentStatus::PickedUp,
        ShipmentStatus::InTransit,
        ShipmentStatus::AtBranch,
        ShipmentStatus::OutForDelivery,
        ShipmentStatus::Delivered,
        ShipmentStatus::DeliveryFailed,
        ShipmentStatus::Returning,
        ShipmentStatus::Returned,
        ShipmentStatus::Cancelled,
        ShipmentStatus::Exception,
    ];

    /// The snake_case id (`out_for_delivery`).
    pub fn id(self) -> &'static str {
        match self {
            ShipmentStatus::Created => "created",
            ShipmentStatus::PickedUp => "picked_up",
            ShipmentStatus::InTransit => "in_transit",
            ShipmentStatus::AtBranch => "at_branch",
            ShipmentStatus::OutForDelivery => "out_for_delivery",
            ShipmentStatus::Delivered => "delivered",
            ShipmentStatus::DeliveryFailed => "delivery_failed",
            ShipmentStatus::Returning => "returning",
            ShipmentStatus::Returned => "returned",
            ShipmentStatus::Cancelled => "cancelled",
            ShipmentStatus::Exception => "exception",
        }
    }

    /// Parses the id.
    pub fn parse(s: &str) -> Option<ShipmentStatus> {
        ShipmentStatus::ALL.into_iter().find(|st| st.id() == s)
    }

    /// Turkish wording for people.
    pub fn name_tr(self) -> &'static str {
        match self {
            ShipmentStatus::Created => "Oluşturuldu",
            ShipmentStatus::PickedUp => "Kargoya verildi",
            ShipmentStatus::InTransit => "Yolda",
            ShipmentStatus::AtBranch => "Teslimat şubesinde",
            ShipmentStatus::OutForDelivery => "Dağıtımda",
            ShipmentStatus::Delivered => "Teslim edildi",
            ShipmentStatus::DeliveryFailed => "Teslim edilemedi",
            ShipmentStatus::Returning => "İade sürecinde",
            ShipmentStatus::Returned => "İade edildi",
            ShipmentStatus::Cancelled => "İptal edildi",
            ShipmentStatus::Exception => "Sorunlu",
        }
    }

    /// Whether no further movement is expected.
    pub fn is_final(self) -> bool {
        matches!(
            self,
            ShipmentStatus::Delivered | ShipmentStatus::Returned | ShipmentStatus::Cancelled
        )
    }

    /// Whether the carrier has physically taken the parcel (cancel usually refused from here).
    pub fn is_after_pickup(self) -> bool {
        !matches!(self, ShipmentStatus::Created | ShipmentStatus::Cancelled)
    }
}

impl fmt::Display for ShipmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What the carrier measured at acceptance: the basis of desi reconciliation.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Measurement {
    /// Measured desi (volumetric), if reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desi: Option<Decimal>,
    /// Measured kg, if reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kg: Option<Decimal>,
    /// The carrier's own amount for the shipment, if reported (VAT treatment per carrier).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
}

impl Measurement {
    /// The billable value the measurement implies: max(desi, kg), if either is known.
    pub fn billable(&self) -> Option<Decimal> {
        match (self.desi, self.kg) {
            (Some(d), Some(k)) => Some(d.max(k)),
            (Some(d), None) => Some(d),
            (None, Some(k)) => Some(k),
            (None, None) => None,
        }
    }

    /// True when nothing was measured.
    pub fn is_empty(&self) -> bool {
        self.desi.is_none() && self.kg.is_none() && self.amount.is_none()
    }
}

/// One event in a shipment's history.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TrackingEvent {
    /// When it happened, with the offset the carrier gave (UTC+3 when it gave none).
    pub time: DateTime<FixedOffset>,
    /// Branch, hub or city, as the carrier wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The carrier's status or movement code, raw.
    pub carrier_code: String,
    /// The carrier's wording, raw.
    pub carrier_text: String,
    /// The normalized status, or `None` when the code is unknown (the previous status stands).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ShipmentStatus>,
    /// A measurement reported with this event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measurement: Option<Measurement>,
}

/// The current status implied by a history: the last event with a known status (events are
/// taken in time order; unknown codes keep the previous status).
pub fn current_status(events: &[TrackingEvent]) -> Option<ShipmentStatus> {
    let mut sorted: Vec<&TrackingEvent> = events.iter().collect();
    sorted.sort_by_key(|e| e.time);
    sorted.iter().rev().find_map(|e| e.status)
}

/// The last measurement in a history.
pub fn last_measurement(events: &[TrackingEvent]) -> Option<&Measurement> {
    events
        .iter()
        .rev()
        .find_map(|e| e.measurement.as_ref().filter(|m| !m.is_empty()))
}

/// Merges newly polled events into a stored history without duplicates (same time, code and
/// text), keeping time order. Returns how many were new.
pub fn merge_events(history: &mut Vec<TrackingEvent>, new: &[TrackingEvent]) -> usize {
    let mut added = 0;
    for e in new {
        let dup = history.iter().any(|h| {
            h.time == e.time && h.carrier_code == e.carrier_code && h.carrier_text == e.carrier_text
        });
        if !dup {
            history.push(e.clone());
            added += 1;
        }
    }
    history.sort_by_key(|e| e.time);
    added
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(t: &str, code: &str, status: Option<ShipmentStatus>) -> TrackingEvent {
        TrackingEvent {
            time: DateTime::parse_from_rfc3339(t).unwrap_or_default(),
            location: None,
            carrier_code: code.into(),
            carrier_text: code.into(),
            status,
            measurement: None,
        }
    }

    #[test]
    fn unknown_codes_keep_the_previous_status() {
        let h = vec![
            ev(
                "2026-01-01T10:00:00+03:00",
                "1",
                Some(ShipmentStatus::PickedUp),
            ),
            ev("2026-01-01T12:00:00+03:00", "999", None),
        ];
        assert_eq!(current_status(&h), Some(ShipmentStatus::PickedUp));
        assert!(
            ShipmentStatus::ALL
                .iter()
                .all(|s| ShipmentStatus::parse(s.id()) == Some(*s))
        );
    }

    #[test]
    fn merging_skips_duplicates() {
        let mut h = vec![ev(
            "2026-01-01T10:00:00+03:00",
            "1",
            Some(ShipmentStatus::PickedUp),
        )];
        let n = merge_events(
            &mut h,
            &[
                ev(
                    "2026-01-01T10:00:00+03:00",
                    "1",
                    Some(ShipmentStatus::PickedUp),
                ),
                ev(
                    "2026-01-02T10:00:00+03:00",
                    "6",
                    Some(ShipmentStatus::Delivered),
                ),
            ],
        );
        assert_eq!(n, 1);
        assert_eq!(current_status(&h), Some(ShipmentStatus::Delivered));
    }
}
