//! Sürat status codes (`KargonunDurumuSayi`, `KargoHareketKargonunDurumuSayi`) and the movement
//! wordings → normalized [`ShipmentStatus`].
//!
//! The numeric table is only partly attested (see the crate README): codes the notes list are
//! mapped, refined by the carrier's wording where the wording is more specific (a transfer-stage
//! code whose text says "dağıtıma çıkarıldı" is out for delivery). Unknown codes with no telling
//! wording give `None`: the previous status stands and the raw code and text are kept.

use crate::wording::{Keywords, is_word};
use kargojet_core::tracking::ShipmentStatus;

/// One documented `KargonunDurumuSayi` code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusCode {
    /// The code as Sürat sends it.
    pub code: &'static str,
    /// Sürat's Turkish wording (as attested, or the stage name where the notes give none).
    pub wording_tr: &'static str,
    /// The normalized status.
    pub status: ShipmentStatus,
}

/// Every documented `KargonunDurumuSayi` code.
pub const STATUS_CODES: &[StatusCode] = &[
    StatusCode {
        code: "1",
        wording_tr: "Evrak Oluşturuldu",
        status: ShipmentStatus::PickedUp,
    },
    StatusCode {
        code: "2",
        wording_tr: "Transfer aşamasında",
        status: ShipmentStatus::InTransit,
    },
    StatusCode {
        code: "3",
        wording_tr: "Transfer aşamasında",
        status: ShipmentStatus::InTransit,
    },
    StatusCode {
        code: "4",
        wording_tr: "Transfer aşamasında",
        status: ShipmentStatus::InTransit,
    },
    StatusCode {
        code: "5",
        wording_tr: "Transfer aşamasında",
        status: ShipmentStatus::InTransit,
    },
    StatusCode {
        code: "6",
        wording_tr: "Teslim Edildi",
        status: ShipmentStatus::Delivered,
    },
    StatusCode {
        code: "7",
        wording_tr: "Transfer aşamasında",
        status: ShipmentStatus::InTransit,
    },
    StatusCode {
        code: "9",
        wording_tr: "İade Sürecinde",
        status: ShipmentStatus::Returning,
    },
    StatusCode {
        code: "11",
        wording_tr: "Transfer aşamasında",
        status: ShipmentStatus::InTransit,
    },
    StatusCode {
        code: "12",
        wording_tr: "İade Teslim Edildi",
        status: ShipmentStatus::Returned,
    },
    StatusCode {
        code: "13",
        wording_tr: "İade",
        status: ShipmentStatus::Returned,
    },
    StatusCode {
        code: "14",
        wording_tr: "Teslim Edildi",
        status: ShipmentStatus::Delivered,
    },
];

/// The documented entry for a `KargonunDurumuSayi` code (surrounding blanks ignored).
pub fn lookup(code: &str) -> Option<&'static StatusCode> {
    let c = kargojet_carrier_common::scan::trim(code);
    STATUS_CODES.iter().find(|s| s.code == c)
}

/// The normalized status a carrier wording implies, from the text fallbacks integrators use
/// ("dağıtıma çıkarıldı", "aktarma", "şube", "teslim edilemedi", …). `None` when the text says
/// nothing recognizable.
pub fn status_from_text(text: &str) -> Option<ShipmentStatus> {
    let k = Keywords::of(text);
    if k.iptal {
        Some(ShipmentStatus::Cancelled)
    } else if k.not_delivered {
        Some(ShipmentStatus::DeliveryFailed)
    } else if k.iade && k.teslim && k.edildi {
        Some(ShipmentStatus::Returned)
    } else if k.iade {
        Some(ShipmentStatus::Returning)
    } else if k.teslim && k.edildi {
        Some(ShipmentStatus::Delivered)
    } else if k.dagitim {
        Some(ShipmentStatus::OutForDelivery)
    } else if k.evrak && k.olusturuldu {
        Some(ShipmentStatus::PickedUp)
    } else if k.transfer {
        Some(ShipmentStatus::InTransit)
    } else if k.sube {
        Some(ShipmentStatus::AtBranch)
    } else {
        None
    }
}

/// The shipment-level status from `KargonunDurumuSayi`, `KargonunDurumu`, `IadeDurum` and
/// `DevirSebebi`.
///
/// - a transfer-stage code (2, 3, 4, 5, 7, 11) is refined by the wording (at branch, out for
///   delivery) and becomes `delivery_failed` when `DevirSebebi` is set;
/// - `9` (İade Sürecinde) counts as returning unless `IadeDurum` is `Hayır` (one integrator saw
///   a transient 9 on a parcel later delivered): then the previous status stands;
/// - an unknown code falls back to the wording, else `None`.
pub fn shipment_status(
    code: Option<&str>,
    text: Option<&str>,
    iade_durum: Option<&str>,
    devir_sebebi: Option<&str>,
) -> Option<ShipmentStatus> {
    let text = text.unwrap_or("");
    let from_text = status_from_text(text);
    let devir = devir_sebebi.is_some_and(|d| !d.trim().is_empty());
    match code.and_then(lookup).map(|s| s.status) {
        Some(ShipmentStatus::InTransit) => {
            if devir {
                Some(ShipmentStatus::DeliveryFailed)
            } else {
                match from_text {
                    Some(
                        s @ (ShipmentStatus::AtBranch
                        | ShipmentStatus::OutForDelivery
                        | ShipmentStatus::DeliveryFailed),
                    ) => Some(s),
                    _ => Some(ShipmentStatus::InTransit),
                }
            }
        }
        Some(ShipmentStatus::Returning) => {
            if iade_durum.is_some_and(|d| is_word(d, "hayir")) {
                None
            } else {
                Some(ShipmentStatus::Returning)
            }
        }
        Some(s) => Some(s),
        None => from_text.or(if devir {
            Some(ShipmentStatus::DeliveryFailed)
        } else {
            None
        }),
    }
}

/// The status of one movement (`Hareketler[]`): the wording first (movement codes are reused
/// for different steps, e.g. `1` is both "Evrak Oluşturuldu" and "Kargo Araca Yüklendi"), then
/// the code table; `None` when neither tells.
pub fn movement_status(code: &str, text: &str) -> Option<ShipmentStatus> {
    status_from_text(text).or_else(|| lookup(code).map(|s| s.status))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_maps() {
        let expect = [
            ("1", ShipmentStatus::PickedUp),
            ("2", ShipmentStatus::InTransit),
            ("3", ShipmentStatus::InTransit),
            ("4", ShipmentStatus::InTransit),
            ("5", ShipmentStatus::InTransit),
            ("7", ShipmentStatus::InTransit),
            ("11", ShipmentStatus::InTransit),
            ("6", ShipmentStatus::Delivered),
            ("14", ShipmentStatus::Delivered),
            ("9", ShipmentStatus::Returning),
            ("12", ShipmentStatus::Returned),
            ("13", ShipmentStatus::Returned),
        ];
        for (code, st) in expect {
            assert_eq!(
                shipment_status(Some(code), None, None, None),
                Some(st),
                "code {code}"
            );
        }
        assert_eq!(STATUS_CODES.len(), expect.len());
    }

    #[test]
    fn unknown_codes_keep_the_previous_status() {
        assert_eq!(
            shipment_status(Some("8"), Some("Bilinmeyen"), None, None),
            None
        );
        assert_eq!(shipment_status(Some("99"), None, None, None), None);
        assert_eq!(movement_status("77", "Kayıt güncellendi"), None);
    }

    #[test]
    fn wording_refines_transfer_codes() {
        assert_eq!(
            shipment_status(Some("5"), Some("Dağıtıma Çıkarıldı"), None, None),
            Some(ShipmentStatus::OutForDelivery)
        );
        assert_eq!(
            shipment_status(Some("3"), Some("Varış Şubesinde"), None, None),
            Some(ShipmentStatus::AtBranch)
        );
        assert_eq!(
            shipment_status(Some("2"), Some("Aktarma Merkezinde"), None, None),
            Some(ShipmentStatus::InTransit)
        );
        assert_eq!(
            shipment_status(
                Some("5"),
                Some("Teslim Edilemedi"),
                None,
                Some("Alıcı adreste yok")
            ),
            Some(ShipmentStatus::DeliveryFailed)
        );
        assert_eq!(
            shipment_status(Some("88"), Some("DAĞITIMDA"), None, None),
            Some(ShipmentStatus::OutForDelivery)
        );
    }

    #[test]
    fn return_code_checks_iade_durum() {
        assert_eq!(
            shipment_status(Some("9"), Some("İade Sürecinde"), Some("Evet"), None),
            Some(ShipmentStatus::Returning)
        );
        assert_eq!(
            shipment_status(Some("9"), Some("İade Sürecinde"), Some("Hayır"), None),
            None
        );
        assert_eq!(
            shipment_status(Some(" 6 "), None, Some("Hayır"), None),
            Some(ShipmentStatus::Delivered)
        );
    }

    #[test]
    fn movements_read_the_wording_first() {
        assert_eq!(
            movement_status("1", "Evrak Oluşturuldu"),
            Some(ShipmentStatus::PickedUp)
        );
        assert_eq!(
            movement_status("1", "Kargo Araca Yüklendi"),
            Some(ShipmentStatus::InTransit)
        );
        assert_eq!(
            movement_status("4", "Araç Varış Yaptı"),
            Some(ShipmentStatus::InTransit)
        );
        assert_eq!(
            movement_status("6", "Teslim Edildi"),
            Some(ShipmentStatus::Delivered)
        );
        assert_eq!(
            movement_status("12", "İade Teslim Edildi"),
            Some(ShipmentStatus::Returned)
        );
        assert_eq!(
            movement_status("", "Gönderi iptal edildi"),
            Some(ShipmentStatus::Cancelled)
        );
    }
}
