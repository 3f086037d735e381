//! Aras status codes (`DURUM_KODU` with `TIP_KODU`, and the non-delivery `DEVIR_KODU`) mapped to
//! KargoJet's normalized [`ShipmentStatus`], with the carrier's Turkish wording.
//!
//! Unknown `DURUM_KODU` values map to `None`: the previous normalized status stands and the raw
//! code and text are kept on the event.

use kargojet_core::tracking::ShipmentStatus;

/// A documented `DURUM_KODU`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Durum {
    /// The code as Aras sends it.
    pub code: &'static str,
    /// Aras's Turkish wording.
    pub text_tr: &'static str,
    /// The normalized status.
    pub status: ShipmentStatus,
}

/// Every documented `DURUM_KODU` [SORGU].
pub const DURUM: &[Durum] = &[
    Durum {
        code: "1",
        text_tr: "Çıkış Şubesinde",
        status: ShipmentStatus::PickedUp,
    },
    Durum {
        code: "2",
        text_tr: "Yolda",
        status: ShipmentStatus::InTransit,
    },
    Durum {
        code: "3",
        text_tr: "Teslimat Şubesinde",
        status: ShipmentStatus::AtBranch,
    },
    Durum {
        code: "4",
        text_tr: "Teslimatta",
        status: ShipmentStatus::OutForDelivery,
    },
    Durum {
        code: "5",
        text_tr: "Parçalı Teslimat",
        status: ShipmentStatus::Delivered,
    },
    Durum {
        code: "6",
        text_tr: "Teslim Edildi",
        status: ShipmentStatus::Delivered,
    },
    Durum {
        code: "7",
        text_tr: "Yönlendirildi",
        status: ShipmentStatus::InTransit,
    },
];

/// `TIP_KODU` of a returned cargo (İade edildi).
pub const TIP_RETURN: &str = "3";

/// A documented non-delivery (devir) code: its number, its letters and its meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Devir {
    /// Numeric code.
    pub number: &'static str,
    /// Letter code.
    pub letters: &'static str,
    /// Turkish wording.
    pub text_tr: &'static str,
    /// The normalized status (`delivery_failed`, or `exception` for damage / piece problems).
    pub status: ShipmentStatus,
}

const FAILED: ShipmentStatus = ShipmentStatus::DeliveryFailed;

/// Every documented devir code [SORGU]; `HT`/`PS` are mapped to `exception` (inferred).
pub const DEVIR: &[Devir] = &[
    Devir {
        number: "10",
        letters: "AY",
        text_tr: "Adres yanlış/yetersiz",
        status: FAILED,
    },
    Devir {
        number: "11",
        letters: "NT",
        text_tr: "Uğrama notu bırakıldı",
        status: FAILED,
    },
    Devir {
        number: "12",
        letters: "MD",
        text_tr: "Mobil dağıtım gününde çıkarılacak",
        status: FAILED,
    },
    Devir {
        number: "14",
        letters: "TL",
        text_tr: "Tatil",
        status: FAILED,
    },
    Devir {
        number: "15",
        letters: "ŞA",
        text_tr: "Müşteri şubeden alacak",
        status: FAILED,
    },
    Devir {
        number: "17",
        letters: "AD",
        text_tr: "Adres dağıtım alanı dışında",
        status: FAILED,
    },
    Devir {
        number: "18",
        letters: "TG",
        text_tr: "Gün içinde teslim edilemedi",
        status: FAILED,
    },
    Devir {
        number: "20",
        letters: "AA",
        text_tr: "Alıcı adreste tanınmıyor",
        status: FAILED,
    },
    Devir {
        number: "22",
        letters: "HT",
        text_tr: "Hasarlı/tazminlik/sorunlu (iade)",
        status: ShipmentStatus::Exception,
    },
    Devir {
        number: "26",
        letters: "KG",
        text_tr: "Gümrükte",
        status: FAILED,
    },
    Devir {
        number: "32",
        letters: "PR",
        text_tr: "Pratik 7/24",
        status: FAILED,
    },
    Devir {
        number: "33",
        letters: "ÜR",
        text_tr: "Alıcı ücreti ödemeyi reddetti",
        status: FAILED,
    },
    Devir {
        number: "34",
        letters: "KE",
        text_tr: "Alıcı kabul etmiyor",
        status: FAILED,
    },
    Devir {
        number: "45",
        letters: "TT",
        text_tr: "Tercihli teslimat",
        status: FAILED,
    },
    Devir {
        number: "47",
        letters: "PS",
        text_tr: "Parça sorunlu",
        status: ShipmentStatus::Exception,
    },
    Devir {
        number: "51",
        letters: "TO",
        text_tr: "Toplumsal olaylar",
        status: FAILED,
    },
];

/// The documented `DURUM_KODU` entry, if known.
pub fn durum(code: &str) -> Option<&'static Durum> {
    let code = kargojet_carrier_common::scan::trim(code);
    DURUM.iter().find(|d| d.code == code)
}

/// The documented devir code, by number or by letters (Turkish-aware: `sa` matches `ŞA`).
pub fn devir(code: &str) -> Option<&'static Devir> {
    let code = kargojet_carrier_common::scan::trim(code);
    if let Some(d) = DEVIR.iter().find(|d| d.number == code || d.letters == code) {
        return Some(d);
    }
    let folded = kargojet_core::geo::fold(code);
    DEVIR
        .iter()
        .find(|d| kargojet_core::geo::fold(d.letters) == folded)
}

fn present(v: Option<&str>) -> Option<&str> {
    v.map(kargojet_carrier_common::scan::trim)
        .filter(|s| !s.is_empty())
}

/// Normalizes one cargo record's codes.
///
/// - a devir code on an undelivered cargo ⇒ `delivery_failed` (`exception` for `HT`/`PS`);
/// - `TIP_KODU` 3 (returned) ⇒ `returning`, and `returned` once the return leg is delivered
///   (inferred);
/// - no `DURUM_KODU` yet ⇒ `created` (the order is pushed, the waybill not cut);
/// - a documented `DURUM_KODU` ⇒ its status; an unknown one ⇒ `None` (keep the previous status).
pub fn normalize(
    durum_code: Option<&str>,
    tip_code: Option<&str>,
    devir_code: Option<&str>,
) -> Option<ShipmentStatus> {
    let durum_code = present(durum_code);
    let known = durum_code.map(durum);
    let delivered = matches!(known, Some(Some(d)) if d.status == ShipmentStatus::Delivered);
    if present(tip_code) == Some(TIP_RETURN) {
        return Some(if delivered {
            ShipmentStatus::Returned
        } else {
            ShipmentStatus::Returning
        });
    }
    if let Some(dv) = present(devir_code).filter(|_| !delivered) {
        return Some(devir(dv).map_or(ShipmentStatus::DeliveryFailed, |d| d.status));
    }
    match known {
        None => Some(ShipmentStatus::Created),
        Some(Some(d)) => Some(d.status),
        Some(None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ShipmentStatus::*;

    #[test]
    fn every_documented_durum_code_maps() {
        let expect = [
            ("1", PickedUp),
            ("2", InTransit),
            ("3", AtBranch),
            ("4", OutForDelivery),
            ("5", Delivered),
            ("6", Delivered),
            ("7", InTransit),
        ];
        for (code, status) in expect {
            assert_eq!(
                normalize(Some(code), Some("1"), None),
                Some(status),
                "{code}"
            );
            assert!(durum(code).is_some_and(|d| !d.text_tr.is_empty()));
        }
        assert_eq!(DURUM.len(), expect.len());
    }

    #[test]
    fn unknown_codes_keep_the_previous_status_and_empty_means_created() {
        assert_eq!(normalize(Some("99"), Some("1"), None), None);
        assert_eq!(normalize(None, None, None), Some(Created));
        assert_eq!(normalize(Some(" "), None, Some("")), Some(Created));
    }

    #[test]
    fn returns_and_devir_codes() {
        assert_eq!(normalize(Some("2"), Some("3"), None), Some(Returning));
        assert_eq!(normalize(Some("6"), Some("3"), None), Some(Returned));
        for d in DEVIR {
            assert_eq!(
                normalize(Some("4"), Some("1"), Some(d.letters)),
                Some(d.status),
                "{}",
                d.letters
            );
            assert_eq!(
                normalize(Some("4"), Some("1"), Some(d.number)),
                Some(d.status),
                "{}",
                d.number
            );
        }
        assert_eq!(normalize(Some("3"), None, Some("HT")), Some(Exception));
        assert_eq!(normalize(Some("3"), None, Some("sa")), Some(DeliveryFailed));
        assert_eq!(normalize(Some("3"), None, Some("ZZ")), Some(DeliveryFailed));
        // A devir code left on a delivered record does not undo the delivery.
        assert_eq!(normalize(Some("6"), None, Some("AY")), Some(Delivered));
    }
}
