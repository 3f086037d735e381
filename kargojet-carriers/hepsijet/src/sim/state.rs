//! Per-shipment state of the simulator: the create body as received, the creation moment, a
//! cancellation, and the scripted timeline the shared clock walks through.

use crate::status;
use crate::wire::{self, CreateBody};
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::Timeline;
use kargojet_core::time::turkey_offset;
use kargojet_core::tracking::ShipmentStatus;
use std::time::Duration;

/// How a simulated shipment's delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// Delivered at the first attempt.
    #[default]
    Delivered,
    /// A failed attempt (FAILED_ATTEMPT / `nonDeliveryReason`), delivered the next day.
    FailedAttemptThenDelivered,
    /// A failed attempt, then returned to the sender (RETURNED).
    Returned,
}

/// Hours after creation of each step HepsiJET reports, for `scenario`.
pub fn timeline_for(scenario: Scenario) -> Timeline<ShipmentStatus> {
    let h = |n: u64| Duration::from_secs(n * 3600);
    let mut steps = vec![
        (h(0), ShipmentStatus::Created),
        (h(2), ShipmentStatus::PickedUp),
        (h(6), ShipmentStatus::InTransit),
        (h(12), ShipmentStatus::AtBranch),
        (h(20), ShipmentStatus::OutForDelivery),
    ];
    match scenario {
        Scenario::Delivered => steps.push((h(24), ShipmentStatus::Delivered)),
        Scenario::FailedAttemptThenDelivered => steps.extend([
            (h(22), ShipmentStatus::DeliveryFailed),
            (h(44), ShipmentStatus::OutForDelivery),
            (h(46), ShipmentStatus::Delivered),
        ]),
        Scenario::Returned => steps.extend([
            (h(22), ShipmentStatus::DeliveryFailed),
            (h(72), ShipmentStatus::Returned),
        ]),
    }
    Timeline::new(steps)
}

/// The default timeline (delivered at the first attempt).
pub fn timeline() -> Timeline<ShipmentStatus> {
    timeline_for(Scenario::Delivered)
}

/// The reason HepsiJET's history gives on a failed attempt (simulator wording).
pub const NON_DELIVERY_REASON: &str = "Alıcı adreste bulunamadı";

/// One shipment held by the simulator.
#[derive(Debug, Clone)]
pub struct SimShipment {
    /// The create body exactly as accepted.
    pub body: CreateBody,
    /// When it was created (simulated clock).
    pub created_at: DateTime<Utc>,
    /// When it was deleted, if it was.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The desi HepsiJET measured (reported after acceptance); the declared one by default.
    pub measured_desi: String,
    /// How its delivery goes.
    pub scenario: Scenario,
}

fn ts(t: DateTime<Utc>) -> String {
    t.with_timezone(&turkey_offset())
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

impl SimShipment {
    /// The steps reached by `now` (stopping at a cancellation), plus the cancellation.
    pub fn reached(&self, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, ShipmentStatus)> {
        let until = self.cancelled_at.map_or(now, |c| c.min(now));
        let mut steps: Vec<(DateTime<Utc>, ShipmentStatus)> = timeline_for(self.scenario)
            .reached(self.created_at, until)
            .map(|(t, s)| (t, *s))
            .collect();
        if let Some(c) = self.cancelled_at.filter(|c| *c <= now) {
            steps.push((c, ShipmentStatus::Cancelled));
        }
        steps
    }

    /// The current status.
    pub fn status(&self, now: DateTime<Utc>) -> ShipmentStatus {
        self.reached(now)
            .last()
            .map_or(ShipmentStatus::Created, |(_, s)| *s)
    }

    fn location(&self, s: ShipmentStatus) -> String {
        let d = &self.body.delivery;
        match s {
            ShipmentStatus::Created => self.body.company.name.clone(),
            ShipmentStatus::PickedUp => format!("{} Hub", d.sender_address.town.name),
            ShipmentStatus::InTransit => "Transfer Merkezi".into(),
            _ => d.recipient_address.town.name.clone(),
        }
    }

    /// The track summary item.
    pub fn summary_item(&self, now: DateTime<Utc>, with_details: bool) -> wire::TrackItem {
        let key = self.body.delivery.customer_delivery_no.clone();
        let steps = self.reached(now);
        let details: Vec<wire::TrackDetail> = steps
            .iter()
            .filter_map(|(t, s)| {
                let code = status::integration_code_of(*s)?;
                Some(wire::TrackDetail {
                    integration_status: Some(code.into()),
                    transaction_date: Some(ts(*t)),
                    transaction_location: Some(self.location(*s)),
                    delivered_person: (*s == ShipmentStatus::Delivered)
                        .then(|| self.body.delivery.recipient_person.clone()),
                })
            })
            .collect();
        wire::TrackItem {
            barcode: Some(key.clone()),
            tracking_url: Some(format!("https://www.hepsijet.com/gonderi-takibi/{key}")),
            integration_status: details.last().and_then(|d| d.integration_status.clone()),
            details: with_details.then_some(details),
        }
    }

    /// The track history item.
    pub fn history_item(&self, now: DateTime<Utc>) -> wire::HistoryItem {
        let d = &self.body.delivery;
        let steps = self.reached(now);
        let transactions: Vec<wire::Transaction> = steps
            .iter()
            .filter_map(|(t, s)| {
                let failed = *s == ShipmentStatus::DeliveryFailed;
                let code = if failed {
                    "DELIVERING"
                } else {
                    status::delivery_code_of(*s)?
                };
                Some(wire::Transaction {
                    delivery_status: Some(code.into()),
                    operation_status: None,
                    transaction_type: None,
                    transaction_date_time: Some(ts(*t)),
                    location: Some(self.location(*s)),
                    transaction: status::delivery(code).map(|k| k.text_tr.to_string()),
                    non_delivery_reason: failed.then(|| NON_DELIVERY_REASON.to_string()),
                    delivered_person: (*s == ShipmentStatus::Delivered)
                        .then(|| d.recipient_person.clone()),
                })
            })
            .collect();
        let accepted = steps
            .iter()
            .any(|(_, s)| s.is_after_pickup() || *s == ShipmentStatus::PickedUp);
        let delivered = steps
            .iter()
            .find(|(_, s)| *s == ShipmentStatus::Delivered)
            .map(|(t, _)| ts(*t));
        wire::HistoryItem {
            barcode: Some(d.customer_delivery_no.clone()),
            delivery_status: transactions.last().and_then(|t| t.delivery_status.clone()),
            delivery_type: Some(d.delivery_type.clone()),
            product_name: Some(d.product.product_code.clone()),
            current_location: transactions.last().and_then(|t| t.location.clone()),
            last_transaction: transactions.last().and_then(|t| t.transaction.clone()),
            arrival_branch: Some(d.recipient_address.town.name.clone()),
            sender: Some(self.body.company.name.clone()),
            recipient_name: Some(d.recipient_person.clone()),
            delivered_person: delivered.as_ref().map(|_| d.recipient_person.clone()),
            delivered_date: delivered,
            delivery_date_promised: Some(d.delivery_date_original.clone()),
            desi: accepted.then(|| serde_json::Value::String(self.measured_desi.clone())),
            transactions: Some(transactions),
        }
    }

    /// The ZPL of parcel `n` (1-based) of `count`.
    pub fn zpl(&self, n: usize, count: usize) -> String {
        let key = &self.body.delivery.customer_delivery_no;
        if count == 1 {
            return format!("^XA^FO50,50^BCN,120,Y,N^FD{key}^FS^XZ");
        }
        format!("^XA^FO50,50^BCN,120,Y,N^FD{key}^FS^FO50,200^FDHepsiJET {n}/{count}^FS^XZ")
    }
}
