//! Per-order state of the simulator: the `createOrder` body as received, its conversion into a
//! shipment by `createbarcode`, a cancellation, and the scripted timeline the shared clock walks
//! through; and the legacy future return orders.

use crate::status;
use crate::wire::CreateOrderBody;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::json::JsonDecimal;
use kargojet_carrier_common::sim::Timeline;
use kargojet_core::geo::turkish_upper;
use kargojet_core::time::turkey_offset;
use kargojet_core::tracking::ShipmentStatus;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// How a simulated shipment's delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// Delivered at the first attempt.
    #[default]
    Delivered,
    /// Not delivered at the first attempt (6), out again the next day, delivered.
    FailedAttemptThenDelivered,
    /// Not delivered (6), then returned to the sender (7).
    Returned,
    /// A problem in transit (8): damaged.
    Problem,
}

fn h(n: u64) -> Duration {
    Duration::from_secs(n * 3600)
}

/// Hours after `createbarcode` of each status MNG reports, for `scenario`.
pub fn timeline_for(scenario: Scenario) -> Timeline<ShipmentStatus> {
    let mut steps = vec![(h(0), ShipmentStatus::Created)];
    if scenario == Scenario::Problem {
        steps.extend([
            (h(2), ShipmentStatus::InTransit),
            (h(10), ShipmentStatus::Exception),
        ]);
        return Timeline::new(steps);
    }
    steps.extend([
        (h(2), ShipmentStatus::InTransit),
        (h(12), ShipmentStatus::AtBranch),
        (h(20), ShipmentStatus::OutForDelivery),
    ]);
    match scenario {
        Scenario::Delivered => steps.push((h(24), ShipmentStatus::Delivered)),
        Scenario::FailedAttemptThenDelivered => steps.extend([
            (h(22), ShipmentStatus::DeliveryFailed),
            (h(44), ShipmentStatus::OutForDelivery),
            (h(46), ShipmentStatus::Delivered),
        ]),
        Scenario::Returned | Scenario::Problem => steps.extend([
            (h(22), ShipmentStatus::DeliveryFailed),
            (h(72), ShipmentStatus::Returned),
        ]),
    }
    Timeline::new(steps)
}

/// Hours after registration of each legacy status of a future return: the customer drops the
/// parcel at a branch after a day, it travels and reaches the merchant two days later.
pub fn return_timeline() -> Timeline<ShipmentStatus> {
    Timeline::new(vec![
        (h(0), ShipmentStatus::Created),
        (h(24), ShipmentStatus::PickedUp),
        (h(30), ShipmentStatus::InTransit),
        (h(40), ShipmentStatus::AtBranch),
        (h(44), ShipmentStatus::OutForDelivery),
        (h(48), ShipmentStatus::Delivered),
    ])
}

/// `dd.MM.yyyy HH:mm:ss` in Turkey time, as MNG writes dates.
pub fn mng_time(t: DateTime<Utc>) -> String {
    t.with_timezone(&turkey_offset())
        .format("%d.%m.%Y %H:%M:%S")
        .to_string()
}

/// The public tracking page of a shipment id (illustrative format).
pub fn tracking_url(shipment_id: &str) -> String {
    format!("https://kargotakip.mngkargo.com.tr/?takipNo={shipment_id}")
}

/// A converted order: MNG's shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimShipment {
    /// MNG's shipment id.
    pub shipment_id: String,
    /// When `createbarcode` converted the order.
    pub converted_at: DateTime<Utc>,
    /// How its delivery goes.
    pub scenario: Scenario,
    /// The desi MNG measures at acceptance (the declared total by default).
    pub measured_desi: Decimal,
    /// The kg MNG measures at acceptance.
    pub measured_kg: Decimal,
    /// `(pieceNumber, ZPL)` of the `createbarcode` answer, re-issued for the same order.
    pub barcodes: Vec<(usize, String)>,
}

/// One order held by the simulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimOrder {
    /// The `createOrder` body exactly as accepted.
    pub body: CreateOrderBody,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The shipment, once converted.
    pub shipment: Option<SimShipment>,
    /// Name of the district the recipient's code stands for (receiving branch).
    pub district_name: String,
}

/// The simulator's price: 45 TL + 9.50 TL per billable desi, VAT 20 % (invented).
pub fn price(billable: Decimal) -> (Decimal, Decimal, Decimal) {
    let total = (Decimal::from(45) + Decimal::new(950, 2) * billable).round_dp(2);
    let kdv = (total * Decimal::new(20, 2)).round_dp(2);
    (total, kdv, total + kdv)
}

impl SimOrder {
    /// Declared desi and kg (sums over the pieces).
    pub fn declared(&self) -> (Decimal, Decimal) {
        let p = &self.body.order_piece_list;
        (
            p.iter().map(|x| Decimal::from(x.desi)).sum(),
            p.iter().map(|x| Decimal::from(x.kg)).sum(),
        )
    }

    /// The statuses reached by `now` (stopping at a cancellation); empty before conversion.
    pub fn reached(&self, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, ShipmentStatus)> {
        let Some(s) = &self.shipment else {
            return Vec::new();
        };
        let until = self.cancelled_at.map_or(now, |c| c.min(now));
        timeline_for(s.scenario)
            .reached(s.converted_at, until)
            .map(|(t, st)| (t, *st))
            .collect()
    }

    /// The current status: `Cancelled` once cancelled, `None` before conversion.
    pub fn status(&self, now: DateTime<Utc>) -> Option<ShipmentStatus> {
        if self.cancelled_at.is_some_and(|c| c <= now) {
            return Some(ShipmentStatus::Cancelled);
        }
        self.reached(now).last().map(|(_, s)| *s)
    }

    /// The status item MNG answers for this order at `now`, typed like the notes' example
    /// (codes and flags as numbers, ids as strings); `None` when not trackable (not converted,
    /// or cancelled).
    pub fn status_item(&self, now: DateTime<Utc>, shipper_branch: &str) -> Option<Value> {
        let s = self.shipment.as_ref()?;
        if self.cancelled_at.is_some_and(|c| c <= now) {
            return None;
        }
        let (at, st) = *self.reached(now).last()?;
        let known = status::rest_code_of(st)?;
        let o = &self.body.order;
        let (desi, kg) = if st.is_after_pickup() {
            (s.measured_desi, s.measured_kg)
        } else {
            self.declared()
        };
        let (total, kdv, final_total) = price(desi.max(kg));
        let num = |d: Decimal| serde_json::to_value(JsonDecimal(d)).unwrap_or(Value::Null);
        let delivered = st == ShipmentStatus::Delivered;
        Some(json!({
            "shipmentServiceType": o.shipment_service_type,
            "packagingType": o.packaging_type,
            "paymentType": o.payment_type,
            "deliveryType": o.delivery_type,
            "referenceId": o.reference_id,
            "shipmentId": s.shipment_id,
            "shipmentDateTime": mng_time(s.converted_at),
            "pieceCount": self.body.order_piece_list.len(),
            "totalKg": num(kg),
            "totalDesi": num(desi),
            "totalKgDesi": num(desi.max(kg)),
            "total": num(total),
            "kdv": num(kdv),
            "finalTotal": num(final_total),
            "shipmentStatusCode": known.code,
            "shipmentStatus": turkish_upper(known.text_tr),
            "statusDateTime": mng_time(at),
            "isMarketPlaceShipment": 0,
            "isMarketPlacePays": 0,
            "receivingBranch": format!("{} ŞUBE", turkish_upper(&self.district_name)),
            "shipperBranch": shipper_branch,
            "description": o.description,
            "billOfLandingId": o.bill_of_landing_id,
            "isCOD": o.is_cod,
            "codAmount": o.cod_amount,
            "content": o.content,
            "estimatedDeliveryDate": mng_time(s.converted_at + chrono::Duration::hours(24)),
            "isDelivered": u8::from(delivered),
            "deliveryTo": if delivered { turkish_upper(&self.body.recipient.full_name) } else { String::new() },
            "trackingUrl": tracking_url(&s.shipment_id),
        }))
    }

    /// The `createbarcode` answer of the converted order.
    pub fn barcode_answer(&self) -> Option<Value> {
        let s = self.shipment.as_ref()?;
        let barcodes: Vec<Value> = s
            .barcodes
            .iter()
            .map(|(n, v)| json!({"pieceNumber": n, "value": v}))
            .collect();
        Some(json!({
            "referenceId": self.body.order.reference_id,
            "shipmentId": s.shipment_id,
            "barcodes": barcodes,
        }))
    }
}

/// The ZPL of parcel `n` (1-based) of `count` for shipment `id`.
pub fn zpl(id: &str, n: usize, count: usize) -> String {
    if count == 1 {
        return format!("^XA^FO40,40^BCN,120,Y,N^FD{id}^FS^XZ");
    }
    format!("^XA^FO40,40^BCN,120,Y,N^FD{id}^FS^FO40,200^A0N,30,30^FDMNG {n}/{count}^FS^XZ")
}

/// One legacy future return order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimReturn {
    /// The parameters as received.
    pub params: BTreeMap<String, String>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<DateTime<Utc>>,
}

impl SimReturn {
    /// The current status and when it was reached (`None` once cancelled).
    pub fn status(&self, now: DateTime<Utc>) -> Option<(DateTime<Utc>, ShipmentStatus)> {
        if self.cancelled_at.is_some_and(|c| c <= now) {
            return None;
        }
        return_timeline()
            .reached(self.created_at, now)
            .last()
            .map(|(t, s)| (t, *s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timelines_and_prices() {
        let t0 = DateTime::parse_from_rfc3339("2024-03-12T09:00:00+03:00")
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default();
        let at = |s: Scenario, hours: i64| {
            timeline_for(s)
                .state_at(t0, t0 + chrono::Duration::hours(hours))
                .copied()
        };
        assert_eq!(at(Scenario::Delivered, 1), Some(ShipmentStatus::Created));
        assert_eq!(at(Scenario::Delivered, 25), Some(ShipmentStatus::Delivered));
        assert_eq!(
            at(Scenario::FailedAttemptThenDelivered, 23),
            Some(ShipmentStatus::DeliveryFailed)
        );
        assert_eq!(at(Scenario::Returned, 80), Some(ShipmentStatus::Returned));
        assert_eq!(at(Scenario::Problem, 11), Some(ShipmentStatus::Exception));
        assert_eq!(
            price(Decimal::from(2)),
            (
                Decimal::new(6400, 2),
                Decimal::new(1280, 2),
                Decimal::new(7680, 2)
            )
        );
        assert_eq!(mng_time(t0), "12.03.2024 09:00:00");
        assert_eq!(zpl("301", 1, 1), "^XA^FO40,40^BCN,120,Y,N^FD301^FS^XZ");
    }
}
