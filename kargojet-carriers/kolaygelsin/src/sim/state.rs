//! Per-shipment state of the simulator: what was registered (parcels, barcodes, codes), when,
//! how its delivery goes, a stop (cancel), and the scripted `CargoEventType` timeline the shared
//! clock walks through. Events are rendered the same way for tracking answers and pushes.

use crate::status;
use crate::wire::{self, EventDetail, Scalar};
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::Timeline;
use kargojet_core::time::turkey_offset;
use kargojet_core::tracking::ShipmentStatus;
use serde_json::{Value, json};
use std::time::Duration;

/// How a simulated outbound shipment's delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// Delivered at the first attempt (29 after 24 h).
    #[default]
    Delivered,
    /// Receiver not at the address (26), moved to the next day (39), delivered after 46 h.
    FailedAttemptThenDelivered,
    /// Receiver refused (28), operational return (46) with a return leg delivered back to the
    /// merchant 24 h later.
    Refused,
    /// Lost in transit (33 after 30 h).
    Lost,
}

/// What a simulated shipment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A `SaveIntegrationShipmentV2` shipment.
    Outbound,
    /// A `SaveIntegrationReturnShipment` of a delivered shipment.
    Return {
        /// The original shipment number.
        original: i64,
    },
    /// The return leg Kolay Gelsin opens itself (stop after pickup, operational return).
    ReturnLeg {
        /// The original shipment number.
        original: i64,
    },
}

/// One parcel of a simulated shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimItem {
    /// `ShipmentItemId`.
    pub item_id: i64,
    /// `CustomerBarcode`.
    pub barcode: Option<String>,
    /// `CustomerTrackingId`.
    pub tracking_id: Option<String>,
}

/// A stop (`CancelPickupAndDelivery`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop {
    /// When it was asked (simulated clock).
    pub at: DateTime<Utc>,
    /// `DeliveryCancellationReason` of the request.
    pub reason: i64,
    /// The return leg opened by a stop after pickup.
    pub leg: Option<i64>,
}

/// One shipment held by the simulator.
#[derive(Debug, Clone)]
pub struct SimShipment {
    /// `ShipmentId`.
    pub shipment_id: i64,
    /// Outbound, return or return leg.
    pub kind: Kind,
    /// `CustomerSpecificCode`.
    pub specific_code: Option<String>,
    /// The parcels.
    pub items: Vec<SimItem>,
    /// When it was registered (simulated clock); a leg opened later is invisible before it.
    pub created_at: DateTime<Utc>,
    /// How its delivery goes (outbound only).
    pub scenario: Scenario,
    /// The leg of an operational return ([`Scenario::Refused`]).
    pub operational_leg: Option<i64>,
    /// A stop, if one was asked.
    pub stop: Option<Stop>,
    /// Where the parcel is picked up (hub name).
    pub origin_hub: String,
    /// Where it goes: ilçe, upper case.
    pub destination: String,
    /// Who receives it.
    pub recipient_name: String,
    /// The create body exactly as accepted (outbound only).
    pub body: Option<wire::CreateBody>,
    /// The return body exactly as accepted (returns only).
    pub return_body: Option<wire::ReturnBody>,
}

/// One event of a simulated shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimEvent {
    /// When.
    pub at: DateTime<Utc>,
    /// `CargoEventType`.
    pub code: u16,
    /// `LocationName`.
    pub location: String,
    /// `CourierName`.
    pub courier: Option<String>,
    /// `(DocumentId, DocumentType)`.
    pub document: Option<(String, i64)>,
    /// `EventDetailModel`.
    pub detail: Option<EventDetail>,
}

fn h(hours: u64) -> Duration {
    Duration::from_secs(hours * 3600)
}

/// The `CargoEventType` script of an outbound shipment.
pub fn timeline_for(scenario: Scenario) -> Timeline<u16> {
    let mut steps = vec![
        (h(0), status::CREATED),
        (h(1), status::PICKUP_EN_ROUTE),
        (h(3), status::PICKED_UP),
        (h(6), status::AT_COLLECTION_HUB),
    ];
    match scenario {
        Scenario::Lost => steps.push((h(30), status::LOST)),
        _ => steps.extend([
            (h(12), status::AT_DELIVERY_HUB),
            (h(19), status::LOADED),
            (h(20), status::COURIER_LEFT),
        ]),
    }
    match scenario {
        Scenario::Delivered => steps.push((h(24), status::DELIVERED)),
        Scenario::FailedAttemptThenDelivered => steps.extend([
            (h(22), status::RECEIVER_NOT_FOUND),
            (h(23), status::POSTPONED),
            (h(43), status::LOADED),
            (h(44), status::COURIER_LEFT),
            (h(46), status::DELIVERED),
        ]),
        Scenario::Refused => steps.extend([
            (h(22), status::REFUSED),
            (h(26), status::OPERATIONAL_RETURN),
        ]),
        Scenario::Lost => {}
    }
    Timeline::new(steps)
}

/// The script of a return leg Kolay Gelsin opens itself (from its hub back to the merchant).
pub fn leg_timeline() -> Timeline<u16> {
    Timeline::new(vec![
        (h(0), status::CREATED),
        (h(4), status::AT_COLLECTION_HUB),
        (h(12), status::AT_DELIVERY_HUB),
        (h(20), status::LOADED),
        (h(21), status::COURIER_LEFT),
        (h(24), status::DELIVERED),
    ])
}

/// Hours after a stop the return leg's first event comes.
pub const OPERATIONAL_RETURN_AFTER: Duration = Duration::from_secs(26 * 3600);

/// `TimeStamp` as the simulator writes it (Turkey time, with offset).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.with_timezone(&turkey_offset())
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The document GUID of a delivery signature.
pub fn signature_id(shipment_id: i64) -> String {
    format!("c3ffc041-7533-490e-84a7-{shipment_id:012x}")
}

impl SimShipment {
    fn timeline(&self) -> Timeline<u16> {
        match self.kind {
            Kind::ReturnLeg { .. } => leg_timeline(),
            Kind::Return { .. } => timeline_for(Scenario::Delivered),
            Kind::Outbound => timeline_for(self.scenario),
        }
    }

    fn location(&self, code: u16) -> String {
        match (self.kind, code) {
            (_, status::CREATED) => "KOLAY GELSIN".into(),
            (Kind::ReturnLeg { .. }, status::AT_COLLECTION_HUB) => {
                format!("{} TM", self.destination)
            }
            (_, status::PICKUP_EN_ROUTE | status::PICKED_UP | status::AT_COLLECTION_HUB) => {
                self.origin_hub.clone()
            }
            (_, status::AT_DELIVERY_HUB) => format!("{} TM", self.destination),
            _ => self.destination.clone(),
        }
    }

    fn event(&self, at: DateTime<Utc>, code: u16) -> SimEvent {
        let courier = matches!(
            code,
            status::PICKED_UP | status::LOADED | status::COURIER_LEFT | status::DELIVERED
        )
        .then(|| "Ali V.".to_string());
        let detail = match code {
            status::DELIVERED => Some(EventDetail {
                delivered_person_name: Some(self.recipient_name.clone()),
                delivered_person_role: Some("Kendisi".into()),
                ..Default::default()
            }),
            status::POSTPONED => Some(EventDetail {
                new_delivery_date: Some(
                    (at + chrono::Duration::days(1))
                        .with_timezone(&turkey_offset())
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                ..Default::default()
            }),
            status::OPERATIONAL_RETURN => Some(EventDetail {
                return_shipment_id: self.operational_leg.map(|l| Scalar::Text(l.to_string())),
                ..Default::default()
            }),
            _ => None,
        };
        SimEvent {
            at,
            code,
            location: self.location(code),
            courier,
            document: (code == status::DELIVERED).then(|| (signature_id(self.shipment_id), 4)),
            detail,
        }
    }

    /// Every event reached by `now`, oldest first: the script up to a stop, then the stop (31).
    pub fn events(&self, now: DateTime<Utc>) -> Vec<SimEvent> {
        if self.created_at > now {
            return Vec::new();
        }
        let until = self.stop.map_or(now, |s| s.at.min(now));
        let mut out: Vec<SimEvent> = self
            .timeline()
            .reached(self.created_at, until)
            .map(|(t, c)| self.event(t, *c))
            .collect();
        if let Some(s) = self.stop.filter(|s| s.at <= now) {
            out.push(SimEvent {
                at: s.at,
                code: status::STOPPED_BY_SENDER,
                location: self.location(status::STOPPED_BY_SENDER),
                courier: None,
                document: None,
                detail: Some(EventDetail {
                    delivery_cancellation_reason: Some(Scalar::Text(s.reason.to_string())),
                    return_shipment_id: s.leg.map(|l| Scalar::Text(l.to_string())),
                    ..Default::default()
                }),
            });
        }
        out
    }

    /// True once the parcel was picked up (an event at or after pickup was reached).
    pub fn picked_up(&self, now: DateTime<Utc>) -> bool {
        self.events(now).iter().any(|e| {
            status::status_of(&e.code.to_string(), true, false)
                .is_some_and(|s| s.is_after_pickup() && e.code != status::STOPPED_BY_SENDER)
        })
    }

    /// The normalized status now (as the connector reads it), `Created` before any event.
    pub fn status(&self, now: DateTime<Utc>) -> ShipmentStatus {
        let mut picked = false;
        let mut current = ShipmentStatus::Created;
        for e in self.events(now) {
            let leg = e
                .detail
                .as_ref()
                .is_some_and(|d| d.return_shipment_id.is_some());
            if let Some(s) = status::status_of(&e.code.to_string(), picked, leg) {
                current = s;
                picked |= s.is_after_pickup();
            }
        }
        current
    }

    /// True when `code` was reached by `now`.
    pub fn reached(&self, now: DateTime<Utc>, code: u16) -> bool {
        self.events(now).iter().any(|e| e.code == code)
    }

    /// The tracking model of parcel `item` (all events, or only the latest).
    pub fn model(
        &self,
        item: &SimItem,
        now: DateTime<Utc>,
        only_latest: bool,
    ) -> wire::ShipmentModel {
        let mut events = self.events(now);
        if only_latest {
            events = events.pop().into_iter().collect();
        }
        wire::ShipmentModel {
            shipment_id: Some(Scalar::Text(self.shipment_id.to_string())),
            shipment_item_id: Some(Scalar::Text(item.item_id.to_string())),
            customer_tracking_id: item.tracking_id.clone(),
            customer_barcode: item.barcode.clone(),
            customer_specific_code: self.specific_code.clone(),
            cargo_event_log_model_list: Some(
                events
                    .into_iter()
                    .map(|e| wire::EventLog {
                        cargo_event_type: Some(Scalar::Int(i64::from(e.code))),
                        location_name: Some(e.location),
                        courier_name: e.courier,
                        document_type: e.document.as_ref().map(|(_, t)| Scalar::Int(*t)),
                        document_id: e.document.map(|(id, _)| id),
                        event_detail_model: e.detail,
                        time_stamp: Some(timestamp(e.at)),
                        ..Default::default()
                    })
                    .collect(),
            ),
        }
    }

    /// The webhook body of event `e` of parcel `item`, every value a string as in the carrier's
    /// sample (empty strings where nothing applies).
    pub fn push_body(&self, item: &SimItem, e: &SimEvent, customer_id: i64) -> Value {
        let d = e.detail.clone().unwrap_or_default();
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let sc = |v: &Option<Scalar>| {
            v.as_ref()
                .map(|x| x.text().into_owned())
                .unwrap_or_default()
        };
        json!({
            "CargoEventType": e.code.to_string(),
            "ShipmentPartyType": "1",
            "ShipmentId": self.shipment_id.to_string(),
            "ShipmentItemId": item.item_id.to_string(),
            "LocationName": e.location,
            "NumberPlate": "",
            "CourierName": e.courier.clone().unwrap_or_default(),
            "DocumentId": e.document.as_ref().map(|(id, _)| id.clone()).unwrap_or_default(),
            "DocumentType": e.document.as_ref().map_or("0".to_string(), |(_, t)| t.to_string()),
            "Latitude": "",
            "Longitude": "",
            "CustomerBarcode": s(&item.barcode),
            "CustomerTrackingId": s(&item.tracking_id),
            "CustomerOptionalInfo": "",
            "CustomerSpecificCode": s(&self.specific_code),
            "CustomerId": customer_id.to_string(),
            "TimeStamp": timestamp(e.at),
            "EventDetailModel": {
                "DeliveredPersonName": s(&d.delivered_person_name),
                "DeliveredPersonRole": s(&d.delivered_person_role),
                "DeliveryCancellationReason": sc(&d.delivery_cancellation_reason),
                "PreviousDeliveryDate": s(&d.previous_delivery_date),
                "NewDeliveryDate": s(&d.new_delivery_date),
                "PreviousDeliveryTime": s(&d.previous_delivery_time),
                "NewDeliveryTime": s(&d.new_delivery_time),
                "PreviousPrice": sc(&d.previous_price),
                "ReturnShipmentId": sc(&d.return_shipment_id),
            }
        })
    }

    /// The simulator's HTML label of parcel `index` (0-based).
    pub fn label_html(&self, index: usize) -> String {
        let item = self.items.get(index);
        let barcode = item.and_then(|i| i.barcode.clone()).unwrap_or_default();
        let item_id = item.map_or(0, |i| i.item_id);
        format!(
            "<html><head><meta charset=\"utf-8\"><title>Kolay Gelsin {barcode}</title></head><body><div class=\"label\"><h1>Kolay Gelsin</h1><p>Gönderi {} / Parça {item_id} ({}/{})</p><p class=\"barcode\">{barcode}</p><p>{} — {}</p></div></body></html>",
            self.shipment_id,
            index + 1,
            self.items.len(),
            self.recipient_name,
            self.destination
        )
    }
}
