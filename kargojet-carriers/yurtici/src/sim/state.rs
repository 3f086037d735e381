//! The simulator's carrier-side state: shipments by `cargoKey`, each moving along a scripted
//! timeline on the simulated clock, and how a shipment looks in a `queryShipment` answer at a
//! given moment (operation status, document, movements, measurement after acceptance).

use crate::status::{OperationStatus, reject_status_wording};
use crate::wire::{
    InvDocCargoVO, ShippingDeliveryDetailVO, ShippingDeliveryItemDetailVO, ShippingOrderVO,
};
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::Timeline;
use kargojet_core::geo::turkish_upper;
use kargojet_core::time::turkey_offset;
use rust_decimal::Decimal;
use std::time::Duration;

/// Which life a simulated shipment lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Script {
    /// Accepted, moved through two transfer centres, at the branch, out, delivered.
    #[default]
    Delivered,
    /// As [`Script::Delivered`] up to the courier, then not delivered (wrong address), a
    /// return requested and the parcel returned to the sender.
    FailedThenReturned,
}

/// One scripted step: what the carrier reports once it is reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Operation status from this step on.
    pub op: OperationStatus,
    /// Movement event id (the real list is not public; the simulator uses the mnemonics).
    pub event_id: &'static str,
    /// Movement wording.
    pub event_name: &'static str,
    /// Where: `true` at the destination branch, `false` at the origin / transfer centre.
    pub at_destination: bool,
    /// Unit name when not a branch (transfer centres).
    pub unit: Option<&'static str>,
    /// Reason id and text (`OK` when none).
    pub reason: (&'static str, &'static str),
    /// `rejectStatus` from this step on.
    pub reject_status: Option<u8>,
    /// `returnStatus` from this step on.
    pub return_status: Option<u8>,
}

const OK: (&str, &str) = ("OK", "Sorun Yok");

fn step(
    op: OperationStatus,
    id: &'static str,
    name: &'static str,
    dest: bool,
    unit: Option<&'static str>,
) -> Step {
    Step {
        op,
        event_id: id,
        event_name: name,
        at_destination: dest,
        unit,
        reason: OK,
        reject_status: None,
        return_status: None,
    }
}

fn h(hours: u64) -> Duration {
    Duration::from_secs(hours * 3600)
}

/// The timeline of a script (offsets from creation).
pub fn timeline(script: Script) -> Timeline<Step> {
    use OperationStatus::*;
    let mut steps = vec![
        (h(2), step(Isr, "ISR", "Kargo Kabul Edildi", false, None)),
        (
            h(8),
            step(
                Ind,
                "IND",
                "Transfer Merkezine Ulaştı",
                false,
                Some("ANADOLU TRANSFER MERKEZİ"),
            ),
        ),
        (
            h(10),
            step(
                Ind,
                "IND",
                "Transfer Merkezinden Çıktı",
                false,
                Some("ANADOLU TRANSFER MERKEZİ"),
            ),
        ),
        (h(20), step(Ind, "IND", "Varış Şubesine Ulaştı", true, None)),
        (h(24), step(Ind, "IND", "Dağıtıma Çıkarıldı", true, None)),
    ];
    match script {
        Script::Delivered => steps.push((h(28), step(Dlv, "DLV", "Teslim Edildi", true, None))),
        Script::FailedThenReturned => {
            let mut failed = step(Ind, "IND", "Teslim Edilemedi", true, None);
            failed.reason = ("AY", "Adres Yanlış / Yetersiz");
            steps.push((h(28), failed));
            let mut back = step(Ind, "IND", "İade Sürecinde", true, None);
            back.reason = ("AY", "Adres Yanlış / Yetersiz");
            back.reject_status = Some(0);
            steps.push((h(30), back));
            let mut returned = step(Ind, "IND", "Göndericiye Teslim Edildi", false, None);
            returned.reject_status = Some(9);
            returned.return_status = Some(3);
            steps.push((h(60), returned));
        }
    }
    Timeline::new(steps)
}

/// A shipment the simulated carrier holds.
#[derive(Debug, Clone, PartialEq)]
pub struct SimShipment {
    /// The order as received.
    pub order: ShippingOrderVO,
    /// The user that created it.
    pub user: String,
    /// Job id of the upload.
    pub job_id: i64,
    /// Yurtiçi's document number, assigned at acceptance.
    pub doc_id: i64,
    /// When the carrier received it.
    pub created_at: DateTime<Utc>,
    /// When it was cancelled, if it was.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Its script.
    pub script: Script,
    /// Desi and kg the branch measures at acceptance.
    pub measured: (Decimal, Decimal),
    /// The carrier's amount for it, if set.
    pub amount: Option<Decimal>,
}

impl SimShipment {
    /// The operation status at `now`.
    pub fn status_at(&self, now: DateTime<Utc>) -> OperationStatus {
        if self.cancelled_at.is_some_and(|c| c <= now) {
            return OperationStatus::Cnl;
        }
        timeline(self.script)
            .state_at(self.created_at, now)
            .map(|s| s.op)
            .unwrap_or(OperationStatus::Nop)
    }

    fn branch(&self) -> String {
        let town = self.order.town_name.as_deref().unwrap_or("MERKEZ");
        format!("{} ŞUBE", turkish_upper(town))
    }

    /// How the shipment appears in a `queryShipment` answer at `now`.
    pub fn delivery_detail(&self, now: DateTime<Utc>, history: bool) -> ShippingDeliveryDetailVO {
        let until = self.cancelled_at.map_or(now, |c| c.min(now));
        let tl = timeline(self.script);
        let reached: Vec<(DateTime<Utc>, &Step)> = tl.reached(self.created_at, until).collect();
        let op = self.status_at(now);
        let mut d = ShippingDeliveryDetailVO {
            cargo_key: self.order.cargo_key.clone(),
            err_code: Some(0),
            invoice_key: self.order.invoice_key.clone(),
            job_id: Some(self.job_id),
            operation_code: Some(op.code()),
            operation_message: Some(op.wording_tr().to_string()),
            operation_status: Some(op.mnemonic().to_string()),
            ..ShippingDeliveryDetailVO::default()
        };
        let Some((accepted_at, _)) = reached.first() else {
            return d;
        };
        let tr = turkey_offset();
        let date = |t: &DateTime<Utc>| t.with_timezone(&tr).format("%Y%m%d").to_string();
        let time = |t: &DateTime<Utc>| t.with_timezone(&tr).format("%H%M%S").to_string();
        let (last_at, last) = reached[reached.len() - 1];
        let mut item = ShippingDeliveryItemDetailVO {
            cargo_key: self.order.cargo_key.clone(),
            doc_id: Some(self.doc_id.to_string()),
            document_date: Some(date(accepted_at)),
            document_time: Some(time(accepted_at)),
            receiver_cust_name: self.order.receiver_cust_name.clone(),
            tracking_url: Some(format!(
                "https://selfservis.yurticikargo.com/reports/SSWDocumentDetail.aspx?code={}",
                self.doc_id
            )),
            total_desi: Some(self.measured.0.to_string()),
            total_kg: Some(self.measured.1.to_string()),
            total_desi_kg: Some(self.measured.0.max(self.measured.1).to_string()),
            total_amount: self.amount.map(|a| a.to_string()),
            total_cargo: self.order.cargo_count.map(|c| c.to_string()),
            cargo_event_id: Some(last.event_id.to_string()),
            cargo_event_explanation: Some(last.event_name.to_string()),
            cargo_reason_id: Some(last.reason.0.to_string()),
            cargo_reason_explanation: Some(last.reason.1.to_string()),
            return_status: Some(last.return_status.unwrap_or(0).to_string()),
            ..ShippingDeliveryItemDetailVO::default()
        };
        if let Some(r) = last.reject_status {
            item.reject_status = Some(r.to_string());
            item.reject_status_explanation = reject_status_wording(r).map(str::to_string);
        }
        if op == OperationStatus::Dlv {
            item.delivery_date = Some(date(&last_at));
            item.delivery_time = Some(time(&last_at));
        }
        if history {
            item.movements = reached
                .iter()
                .map(|(at, s)| InvDocCargoVO {
                    unit_name: Some(match (s.unit, s.at_destination) {
                        (Some(u), _) => u.to_string(),
                        (None, true) => self.branch(),
                        (None, false) => "MODA ŞUBE".to_string(),
                    }),
                    event_id: Some(s.event_id.to_string()),
                    event_name: Some(s.event_name.to_string()),
                    reason_id: Some(s.reason.0.to_string()),
                    reason_name: Some(s.reason.1.to_string()),
                    event_date: Some(date(at)),
                    event_time: Some(time(at)),
                    city_name: s
                        .at_destination
                        .then(|| turkish_upper(self.order.city_name.as_deref().unwrap_or(""))),
                    town_name: s
                        .at_destination
                        .then(|| turkish_upper(self.order.town_name.as_deref().unwrap_or(""))),
                    ..InvDocCargoVO::default()
                })
                .collect();
        }
        d.item = Some(item);
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shipment_moves_along_its_script() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let s = SimShipment {
            order: ShippingOrderVO {
                cargo_key: Some("K".into()),
                town_name: Some("Kadıköy".into()),
                ..Default::default()
            },
            user: "U".into(),
            job_id: 1,
            doc_id: 2,
            created_at: t0,
            cancelled_at: None,
            script: Script::Delivered,
            measured: (Decimal::from(2), Decimal::ONE),
            amount: None,
        };
        let at = |hours: i64| t0 + chrono::Duration::hours(hours);
        assert_eq!(s.status_at(at(1)), OperationStatus::Nop);
        assert!(
            s.delivery_detail(at(1), true).item.is_none(),
            "no document before acceptance"
        );
        assert_eq!(s.status_at(at(3)), OperationStatus::Isr);
        assert_eq!(s.status_at(at(21)), OperationStatus::Ind);
        let d = s.delivery_detail(at(30), true);
        assert_eq!(d.operation_status.as_deref(), Some("DLV"));
        let item = d.item.expect("item");
        assert_eq!(item.movements.len(), 6);
        assert_eq!(item.movements[3].unit_name.as_deref(), Some("KADIKÖY ŞUBE"));
        assert_eq!(item.total_desi.as_deref(), Some("2"));
        assert!(
            s.delivery_detail(at(30), false)
                .item
                .is_some_and(|i| i.movements.is_empty())
        );
    }
}
