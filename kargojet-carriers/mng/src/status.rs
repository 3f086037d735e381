//! MNG status codes → normalized [`ShipmentStatus`], with their Turkish wording.
//!
//! Two vocabularies: the ApiZone `shipmentStatusCode` (1–8; meanings **unverified**, inferred by
//! the notes from the legacy list) and the legacy `GelecekIadeSiparisKontrol` codes (0–7, from
//! the carrier's PDF). Unknown codes give `None` (the previous status stands, the raw code is
//! kept) unless the carrier's wording names a problem, which is `exception`.

use kargojet_core::geo::fold;
use kargojet_core::tracking::ShipmentStatus;

/// A documented code: its normalized status and Turkish wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownCode {
    /// The carrier's code.
    pub code: u8,
    /// Normalized status.
    pub status: ShipmentStatus,
    /// Turkish wording.
    pub text_tr: &'static str,
}

const fn k(code: u8, status: ShipmentStatus, text_tr: &'static str) -> KnownCode {
    KnownCode {
        code,
        status,
        text_tr,
    }
}

/// Every ApiZone `shipmentStatusCode` the notes list (2 is accepted/transfer: the status call
/// gives only the current code, so a first scan cannot be told apart and 2 is in transit).
pub const REST: &[KnownCode] = &[
    k(1, ShipmentStatus::Created, "Gönderi oluşturuldu"),
    k(2, ShipmentStatus::InTransit, "Transfer aşamasında"),
    k(
        3,
        ShipmentStatus::AtBranch,
        "Gönderi teslim birimine ulaştı",
    ),
    k(
        4,
        ShipmentStatus::OutForDelivery,
        "Gönderi teslimat adresine yönlendirildi",
    ),
    k(5, ShipmentStatus::Delivered, "Teslim edildi"),
    k(6, ShipmentStatus::DeliveryFailed, "Teslim edilemedi"),
    k(7, ShipmentStatus::Returned, "Göndericiye teslim edildi"),
    k(8, ShipmentStatus::Exception, "Sorunlu gönderi"),
];

/// Every legacy status code of `GelecekIadeSiparisKontrol` / `FaturaSiparisListesi` (PDF).
/// 5 and 7 can be reversed by the branch until the day closes.
pub const LEGACY: &[KnownCode] = &[
    k(0, ShipmentStatus::Created, "Henüz işlem yapılmadı"),
    k(1, ShipmentStatus::PickedUp, "Sipariş Kargoya Verildi"),
    k(2, ShipmentStatus::InTransit, "Transfer Aşamasında"),
    k(
        3,
        ShipmentStatus::AtBranch,
        "Gönderi Teslim Birimine Ulaştı",
    ),
    k(
        4,
        ShipmentStatus::OutForDelivery,
        "Gönderi Teslimat Adresine Yönlendirildi",
    ),
    k(5, ShipmentStatus::Delivered, "Teslim Edildi"),
    k(6, ShipmentStatus::DeliveryFailed, "Teslim Edilemedi"),
    k(7, ShipmentStatus::Returned, "Göndericiye Teslim Edildi"),
];

fn lookup(table: &'static [KnownCode], code: &str) -> Option<&'static KnownCode> {
    let n: u8 = code.trim().parse().ok()?;
    table.iter().find(|k| k.code == n)
}

/// An ApiZone `shipmentStatusCode`, if documented.
pub fn rest(code: &str) -> Option<&'static KnownCode> {
    lookup(REST, code)
}

/// A legacy status code, if documented.
pub fn legacy(code: &str) -> Option<&'static KnownCode> {
    lookup(LEGACY, code)
}

/// Words (folded) that mark a problem in a carrier's wording.
const PROBLEM_WORDS: &[&str] = &["hasar", "kayip", "sorun", "problem", "imha", "zayi"];

/// The status an unknown code's wording implies: `exception` when it names a problem
/// (hasar, kayıp, sorun, …), else `None`.
pub fn from_text(text: &str) -> Option<ShipmentStatus> {
    let f = fold(text);
    PROBLEM_WORDS
        .iter()
        .any(|w| f.split(' ').any(|word| word.starts_with(w)))
        .then_some(ShipmentStatus::Exception)
}

/// The status of a REST code with its wording: the table, else the wording's problem check.
pub fn rest_status(code: &str, text: &str) -> Option<ShipmentStatus> {
    rest(code).map(|k| k.status).or_else(|| from_text(text))
}

/// The status of a legacy code with its wording.
pub fn legacy_status(code: &str, text: &str) -> Option<ShipmentStatus> {
    legacy(code).map(|k| k.status).or_else(|| from_text(text))
}

/// The REST code MNG reports for a normalized status, if it has one (simulator).
pub fn rest_code_of(status: ShipmentStatus) -> Option<&'static KnownCode> {
    REST.iter().find(|k| k.status == status)
}

/// The legacy code for a normalized status, if it has one (simulator).
pub fn legacy_code_of(status: ShipmentStatus) -> Option<&'static KnownCode> {
    LEGACY.iter().find(|k| k.status == status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rest_code_of_the_notes_maps() {
        let expect = [
            ("1", ShipmentStatus::Created),
            ("2", ShipmentStatus::InTransit),
            ("3", ShipmentStatus::AtBranch),
            ("4", ShipmentStatus::OutForDelivery),
            ("5", ShipmentStatus::Delivered),
            ("6", ShipmentStatus::DeliveryFailed),
            ("7", ShipmentStatus::Returned),
            ("8", ShipmentStatus::Exception),
        ];
        for (code, status) in expect {
            assert_eq!(rest(code).map(|k| k.status), Some(status), "{code}");
        }
        assert_eq!(REST.len(), expect.len());
        assert_eq!(rest(" 5 ").map(|k| k.code), Some(5));
    }

    #[test]
    fn every_legacy_code_of_the_pdf_maps() {
        let expect = [
            ("0", ShipmentStatus::Created),
            ("1", ShipmentStatus::PickedUp),
            ("2", ShipmentStatus::InTransit),
            ("3", ShipmentStatus::AtBranch),
            ("4", ShipmentStatus::OutForDelivery),
            ("5", ShipmentStatus::Delivered),
            ("6", ShipmentStatus::DeliveryFailed),
            ("7", ShipmentStatus::Returned),
        ];
        for (code, status) in expect {
            assert_eq!(legacy(code).map(|k| k.status), Some(status), "{code}");
        }
        assert_eq!(LEGACY.len(), expect.len());
    }

    #[test]
    fn unknown_codes_are_none_unless_the_wording_names_a_problem() {
        assert_eq!(rest("0"), None);
        assert_eq!(rest("12"), None);
        assert_eq!(rest("x"), None);
        assert_eq!(rest_status("12", "Şubeye yönlendirildi"), None);
        assert_eq!(
            rest_status("12", "GÖNDERİ HASARLI"),
            Some(ShipmentStatus::Exception)
        );
        assert_eq!(
            legacy_status("9", "Kayıp gönderi"),
            Some(ShipmentStatus::Exception)
        );
        assert_eq!(
            rest_code_of(ShipmentStatus::Delivered).map(|k| k.code),
            Some(5)
        );
        assert_eq!(rest_code_of(ShipmentStatus::PickedUp), None);
        assert_eq!(
            legacy_code_of(ShipmentStatus::PickedUp).map(|k| k.code),
            Some(1)
        );
    }
}
