//! HepsiJET status codes → normalized [`ShipmentStatus`], with their Turkish wording.
//!
//! Two vocabularies: `integrationStatus` (track summary) and `deliveryStatus` (track history).
//! Unknown codes give `None`: the previous status stands and the raw code is kept.

use kargojet_core::tracking::ShipmentStatus;

/// A documented code: its normalized status and Turkish wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownCode {
    /// The carrier's code.
    pub code: &'static str,
    /// Normalized status.
    pub status: ShipmentStatus,
    /// Turkish wording (HepsiJET sends none with the summary codes).
    pub text_tr: &'static str,
}

/// Every documented `integrationStatus` value.
pub const INTEGRATION: &[KnownCode] = &[
    KnownCode {
        code: "NEO",
        status: ShipmentStatus::Created,
        text_tr: "Gönderi kaydı oluşturuldu",
    },
    KnownCode {
        code: "ACCEPTED",
        status: ShipmentStatus::PickedUp,
        text_tr: "Gönderi kabul edildi",
    },
    KnownCode {
        code: "OUT_FOR_DELIVERY",
        status: ShipmentStatus::OutForDelivery,
        text_tr: "Dağıtıma çıkarıldı",
    },
    KnownCode {
        code: "FAILED_ATTEMPT",
        status: ShipmentStatus::DeliveryFailed,
        text_tr: "Teslimat denemesi başarısız",
    },
    KnownCode {
        code: "DELIVERED",
        status: ShipmentStatus::Delivered,
        text_tr: "Teslim edildi",
    },
    KnownCode {
        code: "RETURNED",
        status: ShipmentStatus::Returned,
        text_tr: "İade edildi",
    },
    KnownCode {
        code: "DELETED",
        status: ShipmentStatus::Cancelled,
        text_tr: "Gönderi silindi",
    },
    KnownCode {
        code: "CANCELLED",
        status: ShipmentStatus::Cancelled,
        text_tr: "Gönderi iptal edildi",
    },
];

/// Every documented `deliveryStatus` value (READY → at_branch is inferred by the notes).
pub const DELIVERY: &[KnownCode] = &[
    KnownCode {
        code: "COLLECTED",
        status: ShipmentStatus::PickedUp,
        text_tr: "Gönderi teslim alındı",
    },
    KnownCode {
        code: "TRANSFERRING_COLLECT",
        status: ShipmentStatus::InTransit,
        text_tr: "Transfer merkezine gidiyor",
    },
    KnownCode {
        code: "READY",
        status: ShipmentStatus::AtBranch,
        text_tr: "Teslimat merkezinde hazır",
    },
    KnownCode {
        code: "WAITING_FOR_DISPATCH",
        status: ShipmentStatus::AtBranch,
        text_tr: "Dağıtım için bekliyor",
    },
    KnownCode {
        code: "DELIVERING",
        status: ShipmentStatus::OutForDelivery,
        text_tr: "Dağıtımda",
    },
    KnownCode {
        code: "DELIVERED",
        status: ShipmentStatus::Delivered,
        text_tr: "Teslim edildi",
    },
    KnownCode {
        code: "DELETED",
        status: ShipmentStatus::Cancelled,
        text_tr: "Gönderi silindi",
    },
];

fn lookup(table: &'static [KnownCode], code: &str) -> Option<&'static KnownCode> {
    let code = code.trim();
    table.iter().find(|k| k.code.eq_ignore_ascii_case(code))
}

/// A summary `integrationStatus` code, if documented.
pub fn integration(code: &str) -> Option<&'static KnownCode> {
    lookup(INTEGRATION, code)
}

/// A history `deliveryStatus` code, if documented.
pub fn delivery(code: &str) -> Option<&'static KnownCode> {
    lookup(DELIVERY, code)
}

/// The status of a history transaction: a non-empty `nonDeliveryReason` means the delivery
/// failed (inferred by the notes), else the `deliveryStatus` table.
pub fn transaction(code: &str, non_delivery_reason: Option<&str>) -> Option<ShipmentStatus> {
    if non_delivery_reason.is_some_and(|r| !r.trim().is_empty()) {
        return Some(ShipmentStatus::DeliveryFailed);
    }
    delivery(code).map(|k| k.status)
}

/// The summary code HepsiJET reports for a normalized status, if it has one (simulator).
pub fn integration_code_of(status: ShipmentStatus) -> Option<&'static str> {
    INTEGRATION
        .iter()
        .find(|k| k.status == status)
        .map(|k| k.code)
}

/// The history code HepsiJET reports for a normalized status, if it has one (simulator;
/// `WAITING_FOR_DISPATCH` for at-branch).
pub fn delivery_code_of(status: ShipmentStatus) -> Option<&'static str> {
    match status {
        ShipmentStatus::AtBranch => Some("WAITING_FOR_DISPATCH"),
        s => DELIVERY.iter().find(|k| k.status == s).map(|k| k.code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_summary_code_maps() {
        let expect = [
            ("NEO", ShipmentStatus::Created),
            ("ACCEPTED", ShipmentStatus::PickedUp),
            ("OUT_FOR_DELIVERY", ShipmentStatus::OutForDelivery),
            ("FAILED_ATTEMPT", ShipmentStatus::DeliveryFailed),
            ("DELIVERED", ShipmentStatus::Delivered),
            ("RETURNED", ShipmentStatus::Returned),
            ("DELETED", ShipmentStatus::Cancelled),
            ("CANCELLED", ShipmentStatus::Cancelled),
        ];
        for (code, status) in expect {
            assert_eq!(integration(code).map(|k| k.status), Some(status), "{code}");
        }
        assert_eq!(INTEGRATION.len(), expect.len());
    }

    #[test]
    fn every_documented_history_code_maps() {
        let expect = [
            ("COLLECTED", ShipmentStatus::PickedUp),
            ("TRANSFERRING_COLLECT", ShipmentStatus::InTransit),
            ("READY", ShipmentStatus::AtBranch),
            ("WAITING_FOR_DISPATCH", ShipmentStatus::AtBranch),
            ("DELIVERING", ShipmentStatus::OutForDelivery),
            ("DELIVERED", ShipmentStatus::Delivered),
            ("DELETED", ShipmentStatus::Cancelled),
        ];
        for (code, status) in expect {
            assert_eq!(delivery(code).map(|k| k.status), Some(status), "{code}");
        }
        assert_eq!(DELIVERY.len(), expect.len());
    }

    #[test]
    fn unknown_codes_are_none_and_reasons_mean_failed() {
        assert_eq!(integration("LOST_IN_SPACE"), None);
        assert_eq!(delivery(""), None);
        assert_eq!(
            transaction("DELIVERING", Some("Adreste bulunamadı")),
            Some(ShipmentStatus::DeliveryFailed)
        );
        assert_eq!(
            transaction("DELIVERING", Some("  ")),
            Some(ShipmentStatus::OutForDelivery)
        );
        assert_eq!(
            delivery_code_of(ShipmentStatus::InTransit),
            Some("TRANSFERRING_COLLECT")
        );
        assert_eq!(integration_code_of(ShipmentStatus::InTransit), None);
    }
}
