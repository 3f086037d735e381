//! Kolay Gelsin's `CargoEventType` codes → normalized [`ShipmentStatus`], with the carrier's
//! Turkish wording (its integration document). Unknown codes give `None`: the previous status
//! stands and the raw code is kept (customers can have extra event types; see
//! `GetCorporateCustomerCargoEventTypes`).

use kargojet_core::tracking::ShipmentStatus;

/// A documented event code: its normalized status and the carrier's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownEvent {
    /// `CargoEventType`.
    pub code: u16,
    /// Normalized status (for 31 see [`status_of`]).
    pub status: ShipmentStatus,
    /// The carrier's Turkish wording.
    pub text_tr: &'static str,
}

/// 1: registered in Kolay Gelsin's system.
pub const CREATED: u16 = 1;
/// 2: the pickup courier is on the way.
pub const PICKUP_EN_ROUTE: u16 = 2;
/// 12: picked up.
pub const PICKED_UP: u16 = 12;
/// 13: unloaded at the collection hub.
pub const AT_COLLECTION_HUB: u16 = 13;
/// 14: unloaded at the delivery hub.
pub const AT_DELIVERY_HUB: u16 = 14;
/// 17: loaded on the delivery courier's vehicle.
pub const LOADED: u16 = 17;
/// 18: the delivery courier left the hub.
pub const COURIER_LEFT: u16 = 18;
/// 26: the receiver was not at the address.
pub const RECEIVER_NOT_FOUND: u16 = 26;
/// 28: the receiver refused the delivery.
pub const REFUSED: u16 = 28;
/// 29: delivered.
pub const DELIVERED: u16 = 29;
/// 31: stopped by the sender, to be returned.
pub const STOPPED_BY_SENDER: u16 = 31;
/// 33: lost.
pub const LOST: u16 = 33;
/// 39: delivery moved to the next working day.
pub const POSTPONED: u16 = 39;
/// 46: operational return of a shipment taken to the hand-over depot.
pub const OPERATIONAL_RETURN: u16 = 46;

/// Every documented `CargoEventType`.
pub const EVENTS: &[KnownEvent] = &[
    KnownEvent {
        code: 1,
        status: ShipmentStatus::Created,
        text_tr: "Gönderi KG sisteminde oluşturuldu",
    },
    KnownEvent {
        code: 2,
        status: ShipmentStatus::Created,
        text_tr: "Gönderenden toplama yapacak kurye yola çıktı",
    },
    KnownEvent {
        code: 12,
        status: ShipmentStatus::PickedUp,
        text_tr: "Toplama yapıldı",
    },
    KnownEvent {
        code: 13,
        status: ShipmentStatus::InTransit,
        text_tr: "Toplama transfer merkezinde gönderi indirildi",
    },
    KnownEvent {
        code: 14,
        status: ShipmentStatus::AtBranch,
        text_tr: "Dağıtım transfer merkezinde gönderi indirildi",
    },
    KnownEvent {
        code: 17,
        status: ShipmentStatus::OutForDelivery,
        text_tr: "Dağıtım yapacak kuryenin aracına yüklendi",
    },
    KnownEvent {
        code: 18,
        status: ShipmentStatus::OutForDelivery,
        text_tr: "Dağıtım kuryesi transfer merkezinden ayrıldı, teslimat adresine doğru yola çıktı",
    },
    KnownEvent {
        code: 25,
        status: ShipmentStatus::DeliveryFailed,
        text_tr: "Alıcı adresi hatalı",
    },
    KnownEvent {
        code: 26,
        status: ShipmentStatus::DeliveryFailed,
        text_tr: "Alıcı teslimat adresinde bulunamadı",
    },
    KnownEvent {
        code: 28,
        status: ShipmentStatus::DeliveryFailed,
        text_tr: "Alıcı teslimatı reddetti",
    },
    KnownEvent {
        code: 29,
        status: ShipmentStatus::Delivered,
        text_tr: "Gönderi teslim edildi",
    },
    KnownEvent {
        code: 31,
        status: ShipmentStatus::Returning,
        text_tr: "Gönderen tarafından gönderi durduruldu, gönderene iade edilecek",
    },
    KnownEvent {
        code: 32,
        status: ShipmentStatus::Returning,
        text_tr: "Alıcı talebi ile gönderinin iade gönderisi kaydedildi",
    },
    KnownEvent {
        code: 33,
        status: ShipmentStatus::Exception,
        text_tr: "Gönderi kayıp",
    },
    KnownEvent {
        code: 35,
        status: ShipmentStatus::DeliveryFailed,
        text_tr: "Alıcı adresi problemli",
    },
    KnownEvent {
        code: 39,
        status: ShipmentStatus::DeliveryFailed,
        text_tr: "Dağıtım görevi ertesi iş gününe devredildi",
    },
    KnownEvent {
        code: 46,
        status: ShipmentStatus::Returning,
        text_tr: "Devir depoya alınan gönderinin operasyonel iadesi kaydedildi",
    },
    KnownEvent {
        code: 58,
        status: ShipmentStatus::Exception,
        text_tr: "Hasar raporu oluşturuldu",
    },
];

/// A documented event code (`"29"`, `" 29 "`), if known.
pub fn event(code: &str) -> Option<&'static KnownEvent> {
    let n: u16 = code.trim().parse().ok()?;
    EVENTS.iter().find(|k| k.code == n)
}

/// The wording of a documented code.
pub fn text_of(code: u16) -> Option<&'static str> {
    EVENTS.iter().find(|k| k.code == code).map(|k| k.text_tr)
}

/// The normalized status of event `code`. Event 31 ("stopped by the sender, to be returned") is
/// a cancellation when the parcel was never picked up — no earlier pickup event and no return
/// leg (`ReturnShipmentId`) — and the start of a return otherwise (inferred by the notes).
pub fn status_of(
    code: &str,
    picked_up_before: bool,
    has_return_leg: bool,
) -> Option<ShipmentStatus> {
    let known = event(code)?;
    if known.code == STOPPED_BY_SENDER && !picked_up_before && !has_return_leg {
        return Some(ShipmentStatus::Cancelled);
    }
    Some(known.status)
}

/// True for a status reached only once the carrier holds the parcel.
pub fn is_pickup_or_later(status: ShipmentStatus) -> bool {
    status.is_after_pickup()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_maps_as_the_notes_say() {
        let expect = [
            (1, ShipmentStatus::Created),
            (2, ShipmentStatus::Created),
            (12, ShipmentStatus::PickedUp),
            (13, ShipmentStatus::InTransit),
            (14, ShipmentStatus::AtBranch),
            (17, ShipmentStatus::OutForDelivery),
            (18, ShipmentStatus::OutForDelivery),
            (25, ShipmentStatus::DeliveryFailed),
            (26, ShipmentStatus::DeliveryFailed),
            (28, ShipmentStatus::DeliveryFailed),
            (29, ShipmentStatus::Delivered),
            (31, ShipmentStatus::Returning),
            (32, ShipmentStatus::Returning),
            (33, ShipmentStatus::Exception),
            (35, ShipmentStatus::DeliveryFailed),
            (39, ShipmentStatus::DeliveryFailed),
            (46, ShipmentStatus::Returning),
            (58, ShipmentStatus::Exception),
        ];
        for (code, status) in expect {
            assert_eq!(
                status_of(&code.to_string(), true, false),
                Some(status),
                "{code}"
            );
        }
        assert_eq!(EVENTS.len(), expect.len());
    }

    #[test]
    fn stop_before_pickup_is_a_cancellation_and_unknown_codes_are_none() {
        assert_eq!(
            status_of("31", false, false),
            Some(ShipmentStatus::Cancelled)
        );
        assert_eq!(
            status_of("31", false, true),
            Some(ShipmentStatus::Returning)
        );
        assert_eq!(
            status_of(" 31 ", true, false),
            Some(ShipmentStatus::Returning)
        );
        assert_eq!(status_of("77", true, false), None);
        assert_eq!(status_of("", true, false), None);
        assert_eq!(status_of("1.0", true, false), None);
        assert_eq!(text_of(DELIVERED), Some("Gönderi teslim edildi"));
        assert!(is_pickup_or_later(ShipmentStatus::InTransit));
        assert!(!is_pickup_or_later(ShipmentStatus::Created));
    }
}
