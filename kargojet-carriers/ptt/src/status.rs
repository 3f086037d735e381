//! PTT movement codes (`dongu/IKODU`) → normalized [`ShipmentStatus`], with PTT's Turkish
//! wording (`ISLEM`). Unknown codes map to `None`: the previous status stands and the raw code
//! and text are kept on the event.

use kargojet_core::geo::fold;
use kargojet_core::tracking::ShipmentStatus;

/// One documented movement code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Movement {
    /// `IKODU`.
    pub code: &'static str,
    /// PTT's wording (`ISLEM`).
    pub text_tr: &'static str,
    /// The normalized status.
    pub status: ShipmentStatus,
}

const fn m(code: &'static str, text_tr: &'static str, status: ShipmentStatus) -> Movement {
    Movement {
        code,
        text_tr,
        status,
    }
}

use ShipmentStatus as S;

/// Every documented `IKODU` (ptt.md, status table).
pub const MOVEMENTS: &[Movement] = &[
    m("701", "Kayıt Edildi", S::Created),
    m("1", "Kabul Edildi", S::PickedUp),
    m("77", "Sevk Edildi", S::InTransit),
    m("8", "Zimmet Alındı", S::InTransit),
    m("9", "Zimmet Edildi", S::InTransit),
    m("3", "Torbaya Eklendi", S::InTransit),
    m("6", "Torbadan Alındı", S::InTransit),
    m("11", "Geliş Kaydı Yapıldı", S::InTransit),
    m("91", "Torbası Sevk Edildi", S::InTransit),
    m("92", "Torbasının Geliş Kaydı Yapıldı", S::InTransit),
    m("149", "PTT Tarafından Zimmet Alındı", S::InTransit),
    m("7", "Dağıtıcıya Verildi", S::OutForDelivery),
    m("100", "Teslim Edildi", S::Delivered),
    m("157", "Evrak Memuruna Teslim", S::Delivered),
    m("202", "Kargomatikten Teslim Alındı", S::Delivered),
    m("252", "Mazbata Teslim", S::Delivered),
    m("807", "Muhataba Bizzat Teslim", S::Delivered),
    m("812", "Aynı Konutta Yakına Teslim", S::Delivered),
    m("101", "Teslim Edilemedi", S::DeliveryFailed),
    m("124", "Adreste Yok / Kapalı", S::DeliveryFailed),
    m("126", "Adreste Tanınmıyor", S::DeliveryFailed),
    m("140", "Kabul Edilmedi", S::DeliveryFailed),
    m("99", "İade Edilecek", S::Returning),
    m("151", "İADE – Tanınmıyor", S::Returning),
    m("154", "İADE – Kabul Edilmedi", S::Returning),
    m("155", "İADE – Adres Yetersiz", S::Returning),
    m("156", "İADE – Diğer", S::Returning),
    m("161", "İADE – Adreste Yok", S::Returning),
    m("120", "Göndericisine Teslim Edildi", S::Returned),
    m("141", "İadeten Banka Şubesine Teslim", S::Returned),
    m("109", "İmha", S::Exception),
    m("2", "İptal Edildi", S::Cancelled),
];

/// The movement code "Geliş Kaydı Yapıldı": at the destination office when `IMERK` = `VMERK`.
pub const ARRIVAL: &str = "11";

/// The documented movement for a code.
pub fn movement(code: &str) -> Option<&'static Movement> {
    let code = kargojet_carrier_common::scan::trim(code);
    MOVEMENTS.iter().find(|mv| mv.code == code)
}

/// Normalizes a movement. `office` is the event's `IMERK`, `destination` the shipment's
/// `VMERK`: an arrival (`11`) at the destination office is `at_branch` (inferred in the notes),
/// elsewhere `in_transit`. Unknown codes give `None`.
pub fn normalize(
    code: &str,
    office: Option<&str>,
    destination: Option<&str>,
) -> Option<ShipmentStatus> {
    let mv = movement(code)?;
    if let (ARRIVAL, Some(o), Some(d)) = (mv.code, office, destination)
        && !d.trim().is_empty()
        && (o == d || fold(o) == fold(d))
    {
        return Some(S::AtBranch);
    }
    Some(mv.status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_maps_and_codes_are_unique() {
        assert_eq!(MOVEMENTS.len(), 32);
        for mv in MOVEMENTS {
            assert_eq!(
                normalize(mv.code, None, None),
                Some(mv.status),
                "{}",
                mv.code
            );
            assert_eq!(
                MOVEMENTS.iter().filter(|o| o.code == mv.code).count(),
                1,
                "{}",
                mv.code
            );
        }
        assert_eq!(normalize(" 100 ", None, None), Some(S::Delivered));
    }

    #[test]
    fn arrival_at_the_destination_office_is_at_branch() {
        assert_eq!(
            normalize("11", Some("ÇANKAYA"), Some("Çankaya")),
            Some(S::AtBranch)
        );
        assert_eq!(
            normalize("11", Some("ANKARA TM"), Some("ÇANKAYA")),
            Some(S::InTransit)
        );
        assert_eq!(normalize("11", Some("ÇANKAYA"), None), Some(S::InTransit));
    }

    #[test]
    fn unknown_codes_keep_the_previous_status() {
        assert_eq!(normalize("9999", None, None), None);
        assert_eq!(normalize("", None, None), None);
    }
}
