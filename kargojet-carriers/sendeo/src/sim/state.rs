//! Per-shipment state of the simulator: the `SETDELIVERY` body as accepted, Sendeo's tracking
//! number, the creation moment, a cancellation, the desi Sendeo measures, and the scripted
//! timeline of status ids the shared clock walks through.

use super::geo;
use crate::status;
use crate::wire::{self, SetDeliveryBody, number};
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::Timeline;
use kargojet_core::geo::turkish_upper;
use kargojet_core::time::turkey_offset;
use kargojet_core::tracking::ShipmentStatus;
use rust_decimal::Decimal;
use std::time::Duration;

/// How a simulated shipment's delivery goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// Delivered at the first attempt.
    #[default]
    Delivered,
    /// Recipient not at the address (114), delivered the next day.
    FailedAttemptThenDelivered,
    /// Recipient not at the address, return requested (113), sent back (131), returned (151).
    Returned,
}

/// Hours after creation of each status id Sendeo reports, for `scenario`.
pub fn timeline_for(scenario: Scenario) -> Timeline<u16> {
    let h = |n: u64| Duration::from_secs(n * 3600);
    let mut steps = vec![
        (h(0), 101),
        (h(2), 102),
        (h(3), status::MEASURED),
        (h(4), 103),
        (h(6), 108),
        (h(8), 105),
        (h(14), 106),
        (h(16), 107),
        (h(18), 104),
        (h(19), 110),
        (h(20), 109),
    ];
    match scenario {
        Scenario::Delivered => steps.push((h(24), 111)),
        Scenario::FailedAttemptThenDelivered => {
            steps.extend([(h(22), 114), (h(44), 109), (h(46), 111)])
        }
        Scenario::Returned => {
            steps.extend([(h(22), 114), (h(30), 113), (h(31), 131), (h(72), 151)])
        }
    }
    Timeline::new(steps)
}

/// The default timeline (delivered at the first attempt).
pub fn timeline() -> Timeline<u16> {
    timeline_for(Scenario::Delivered)
}

/// The simulator's price: 31.10 TL + 5.80 TL per desi, VAT excluded (the notes' example: 3 desi
/// → 48.50, 58.20 with VAT).
pub fn price_for(desi: Decimal) -> Decimal {
    (Decimal::new(3110, 2) + Decimal::new(580, 2) * desi).round_dp(2)
}

/// Price with 20 % VAT.
pub fn with_vat(net: Decimal) -> Decimal {
    (net * Decimal::new(12, 1)).round_dp(2)
}

/// One shipment held by the simulator.
#[derive(Debug, Clone)]
pub struct SimShipment {
    /// The body exactly as accepted.
    pub body: SetDeliveryBody,
    /// Sendeo's tracking number.
    pub tracking_number: u64,
    /// Internal shipment id (`ShipmentId` of `GETBARCODE`).
    pub shipment_id: u64,
    /// When it was created (simulated clock).
    pub created_at: DateTime<Utc>,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// The desi Sendeo measures at 132 (default: the declared one).
    pub measured_desi: Option<Decimal>,
    /// Desi sent with `CARGOMEASUREMENTUPDATE`, replacing the products' desi.
    pub updated_desi: Option<Decimal>,
    /// How its delivery goes.
    pub scenario: Scenario,
}

fn ts(t: DateTime<Utc>) -> String {
    t.with_timezone(&turkey_offset())
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn slash(t: DateTime<Utc>) -> String {
    t.with_timezone(&turkey_offset())
        .format("%d/%m/%Y %H:%M:%S")
        .to_string()
}

impl SimShipment {
    /// The merchant's reference.
    pub fn reference(&self) -> &str {
        self.body.reference_no.as_deref().unwrap_or_default()
    }

    /// Units (one barcode each).
    pub fn units(&self) -> u64 {
        let n: i64 = self
            .body
            .products
            .iter()
            .flatten()
            .map(|p| p.count.unwrap_or(1).max(1))
            .sum();
        u64::try_from(n).unwrap_or(1).max(1)
    }

    /// The barcode numbers: tracking number followed by the unit's number (`…047001`).
    pub fn barcode_numbers(&self) -> Vec<String> {
        (1..=self.units())
            .map(|n| format!("{}{n:03}", self.tracking_number))
            .collect()
    }

    /// The ZPL of one barcode.
    pub fn zpl(&self, barcode: &str) -> String {
        match self.body.additional_value.as_deref() {
            Some(extra) if self.body.barcode_label_type == Some(8) => {
                format!("^XA^FO40,40^BCN,120,Y,N^FD{barcode}^FS^FO40,200{extra}^XZ")
            }
            _ => format!("^XA^FO40,40^BCN,120,Y,N^FD{barcode}^FS^XZ"),
        }
    }

    /// The declared desi: `CARGOMEASUREMENTUPDATE`'s, else the products' (the largest of
    /// `deci`, `weigth` and `DeciWeight` per unit, times `count`).
    pub fn declared_desi(&self) -> Decimal {
        if let Some(d) = self.updated_desi {
            return d;
        }
        self.body
            .products
            .iter()
            .flatten()
            .map(|p| {
                let per = p
                    .deci
                    .unwrap_or(0)
                    .max(p.weigth.unwrap_or(0))
                    .max(p.deci_weight.unwrap_or(0));
                Decimal::from(per) * Decimal::from(p.count.unwrap_or(1).max(1))
            })
            .sum()
    }

    /// The status ids reached by `now` with their moments (stopping at a cancellation, which
    /// adds 139).
    pub fn reached(&self, now: DateTime<Utc>) -> Vec<(DateTime<Utc>, u16)> {
        let until = self.cancelled_at.map_or(now, |c| c.min(now));
        let mut steps: Vec<(DateTime<Utc>, u16)> = timeline_for(self.scenario)
            .reached(self.created_at, until)
            .map(|(t, s)| (t, *s))
            .collect();
        if let Some(c) = self.cancelled_at.filter(|c| *c <= now) {
            steps.push((c, status::CANCELLED_WORK_ORDER));
        }
        steps
    }

    /// The current status id.
    pub fn state(&self, now: DateTime<Utc>) -> u16 {
        self.reached(now).last().map_or(101, |(_, s)| *s)
    }

    /// The current normalized status.
    pub fn status(&self, now: DateTime<Utc>) -> ShipmentStatus {
        status::known(self.state(now)).map_or(ShipmentStatus::Created, |k| k.status)
    }

    /// The desi Sendeo reports: measured once 132 is reached, declared before.
    pub fn reported_desi(&self, now: DateTime<Utc>) -> Decimal {
        let measured = self
            .reached(now)
            .iter()
            .any(|(_, s)| *s == status::MEASURED);
        match self.measured_desi {
            Some(m) if measured => m,
            _ => self.declared_desi(),
        }
    }

    fn branch(district_id: Option<i64>, suffix: &str) -> Option<String> {
        district_id
            .and_then(geo::district)
            .map(|d| format!("{} {suffix}", d.district_name))
    }

    /// The `TRACKDELIVERY` result at `now`; `sender_title` is the account's title (the sender of
    /// `DeliveryType` 1).
    pub fn track_result(&self, now: DateTime<Utc>, sender_title: &str) -> wire::TrackResult {
        let b = &self.body;
        let steps = self.reached(now);
        let histories: Vec<wire::StatusHistory> = steps
            .iter()
            .map(|(t, id)| {
                let k = status::known(*id);
                wire::StatusHistory {
                    status_date: Some(ts(*t)),
                    status_id: Some(number(i64::from(*id))),
                    status: k.map(|k| k.name_tr.to_string()),
                    description: k.map(|k| k.description_tr.to_string()),
                }
            })
            .collect();
        let (last_at, last) = steps.last().copied().unwrap_or((self.created_at, 101));
        let known = status::known(last);
        let desi = self.reported_desi(now);
        let net = price_for(desi);
        let planned = (self.created_at + chrono::Duration::days(1))
            .with_timezone(&turkey_offset())
            .date_naive()
            .and_hms_opt(18, 0, 0)
            .map(|d| format!("{}+03:00", d.format("%Y-%m-%dT%H:%M:%S")));
        let sender = match b.delivery_type {
            Some(wire::DELIVERY_OUTBOUND) | None => sender_title.to_string(),
            _ => b.sender.clone().unwrap_or_else(|| sender_title.to_string()),
        };
        wire::TrackResult {
            tracking_no: Some(number(self.tracking_number)),
            reference_no: b.reference_no.clone().map(wire::LooseString),
            send_date: Some(slash(self.created_at)),
            receiver: b.receiver.clone(),
            cargo_amount: Some(number(with_vat(net))),
            sender: Some(sender),
            state: Some(number(i64::from(last))),
            state_text: known.map(|k| k.description_tr.to_string()),
            update_date: Some(slash(last_at)),
            delivery_description: known.map(|k| k.name_tr.to_string()),
            products: None,
            dealer_id: Some(number(851)),
            deci_weight: Some(number(desi)),
            quantity: Some(number(self.units())),
            total_price: Some(number(net)),
            departure_branch_name: Self::branch(b.sender_district_id, "DM"),
            arrival_branch_name: Self::branch(b.receiver_district_id, "DN"),
            delivery_planned_date: planned,
            status_histories: Some(histories),
        }
    }

    /// Turkish-upper receiver, for labels.
    pub fn receiver_upper(&self) -> String {
        turkish_upper(self.body.receiver.as_deref().unwrap_or_default())
    }
}
