//! Sendeo status ids (`State` / `StatusId`, 101…151) → normalized [`ShipmentStatus`], with the
//! carrier's Turkish name and description from the status list of its technical document.
//!
//! Unknown ids give `None` (the previous status stands and the raw id and text are kept),
//! unless the carrier's text itself names a problem (damage, loss), which is `exception`.

use kargojet_core::geo::fold;
use kargojet_core::tracking::ShipmentStatus;

/// A documented status id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownStatus {
    /// The id.
    pub id: u16,
    /// Normalized status.
    pub status: ShipmentStatus,
    /// `statusName`.
    pub name_tr: &'static str,
    /// `statusDescription`.
    pub description_tr: &'static str,
    /// A partial delivery (120 Eksik Teslim Edildi).
    pub partial: bool,
}

const fn k(
    id: u16,
    status: ShipmentStatus,
    name_tr: &'static str,
    description_tr: &'static str,
) -> KnownStatus {
    KnownStatus {
        id,
        status,
        name_tr,
        description_tr,
        partial: false,
    }
}

use ShipmentStatus as S;

/// Every documented status id (mapping of 104/110/123/124/142 inferred from the names).
pub const STATUSES: &[KnownStatus] = &[
    k(101, S::Created, "Kargo Sevk Emri Alındı", "İş Emri Alındı"),
    k(102, S::PickedUp, "Belge Düzenlendi", "Gönderi Oluşturuldu"),
    k(
        103,
        S::InTransit,
        "Şube TM Yükleme",
        "Çıkış Şubesinden Hareket Etti",
    ),
    k(104, S::InTransit, "TM Şube İndirme", "Teslimat Noktasında"),
    k(105, S::InTransit, "TM Hat Yükleme", "Hat Aracına Yüklendi"),
    k(106, S::InTransit, "TM Hat İndirme", "Hat Aracından İndi"),
    k(
        107,
        S::InTransit,
        "TM Şube Yükleme",
        "Transfer Merkezinden Şubeye Yüklendi",
    ),
    k(
        108,
        S::InTransit,
        "Şube TM İndirme",
        "Transfer Merkezine İndi",
    ),
    k(
        109,
        S::OutForDelivery,
        "Şube Dağıtım Yükleme",
        "Dağıtıma Çıkarıldı",
    ),
    k(
        110,
        S::AtBranch,
        "Şube Dağıtım İndirme",
        "Şube Dağıtım İndirme",
    ),
    k(111, S::Delivered, "Teslim Edildi", "Teslim Edildi"),
    k(
        112,
        S::DeliveryFailed,
        "Alıcı Telefonu Yanlış",
        "Alıcı Telefonu Yanlış",
    ),
    k(113, S::Returning, "İade Talebi", "İade Talebi"),
    k(
        114,
        S::DeliveryFailed,
        "Alıcı Adresinde Yok",
        "Alıcı Adresinde Yok",
    ),
    k(
        115,
        S::DeliveryFailed,
        "Alıcı Adresi Yanlış",
        "Alıcı Adresi Yanlış",
    ),
    k(117, S::Exception, "Hasarlı Gönderi", "Hasarlı Gönderi"),
    k(118, S::Exception, "Kayıp Kargo", "Kayıp Kargo"),
    k(119, S::DeliveryFailed, "Devir", "Devir"),
    KnownStatus {
        partial: true,
        ..k(
            120,
            S::Delivered,
            "Eksik Teslim Edildi",
            "Eksik Teslim Edildi",
        )
    },
    k(
        121,
        S::DeliveryFailed,
        "Dağıtım Alanı Dışında",
        "Dağıtım Alanı Dışında",
    ),
    k(
        122,
        S::DeliveryFailed,
        "Ödeme Tipi Kabul Edilmedi",
        "Ödeme Tipi Kabul Edilmedi",
    ),
    k(123, S::AtBranch, "Randevulu Teslimat", "Randevulu Teslimat"),
    k(
        124,
        S::AtBranch,
        "Mobil Dağıtım Bölgesi",
        "Mobil Dağıtım Bölgesi",
    ),
    k(125, S::Exception, "Eksik Kargo", "Eksik Kargo"),
    k(126, S::InTransit, "Yönlendirme", "Yönlendirme"),
    k(
        127,
        S::InTransit,
        "Hat Aracı Gecikmesi",
        "Hat Aracı Gecikmesi",
    ),
    k(
        128,
        S::InTransit,
        "Olumsuz Hava Koşulları",
        "Olumsuz Hava Koşulları",
    ),
    k(
        129,
        S::DeliveryFailed,
        "Taşıma Fiyatı Yüksek Bulundu",
        "Taşıma Fiyatı Yüksek Bulundu",
    ),
    k(
        130,
        S::DeliveryFailed,
        "Teslim Edilemedi",
        "Teslim edilemedi",
    ),
    k(131, S::Returning, "İade Gönderi", "İade Edilen Gönderi"),
    k(132, S::InTransit, "Ölçüm Tartım", "Ölçüm Tartım yapıldı"),
    k(133, S::Cancelled, "İptal Gönderi", "İptal Gönderi"),
    k(134, S::Returning, "İade Onay", "İade Talebine Onay Verildi"),
    k(
        135,
        S::Returning,
        "İş Emri İadesi",
        "İş Emri ile İade Edilen Gönderi",
    ),
    k(
        136,
        S::Exception,
        "İade Red",
        "Müşteri tarafından red edildi",
    ),
    k(137, S::Created, "Randevulu Alım", "Müşteri Randevu Verdi"),
    k(138, S::PickedUp, "Gönderi Alındı", "Gönderi Alındı"),
    k(139, S::Cancelled, "İptal İş Emri", "İptal İş Emri"),
    k(
        140,
        S::OutForDelivery,
        "Kurye Teslimatta",
        "Kurye Teslimatta",
    ),
    k(
        141,
        S::OutForDelivery,
        "Kurye Zimmete Aldı",
        "Kurye zimmete alma",
    ),
    k(
        142,
        S::AtBranch,
        "Kurye Zimmetten Çıkardı",
        "Kurye zimmetten çıkarma",
    ),
    k(143, S::Exception, "Kayıp Kargo", "Kayıp Kargo İş Emri"),
    k(151, S::Returned, "İade Olarak Teslim", "İade Olarak Teslim"),
];

/// The only status in which `CANCELDELIVERY` works (work order, not yet collected).
pub const CANCELLABLE: u16 = 101;
/// Status of a cancelled work order.
pub const CANCELLED_WORK_ORDER: u16 = 139;
/// Status of the measuring/weighing step (where Sendeo's desi is known).
pub const MEASURED: u16 = 132;

/// A documented id.
pub fn known(id: u16) -> Option<&'static KnownStatus> {
    STATUSES.iter().find(|s| s.id == id)
}

/// A documented id given as text (`"109"`, `" 109 "`).
pub fn known_text(id: &str) -> Option<&'static KnownStatus> {
    id.trim().parse::<u16>().ok().and_then(known)
}

/// Words of Sendeo's wording that name a problem (folded): damage, loss, missing parts.
const PROBLEM_WORDS: &[&str] = &["hasar", "kayip", "kayb", "sorun", "problem", "eksik kargo"];

/// The normalized status of an id with its text: the table for documented ids; for unknown
/// ids `exception` when the text names a problem, else `None`.
pub fn normalize(id: &str, text: &str) -> Option<ShipmentStatus> {
    if let Some(k) = known_text(id) {
        return Some(k.status);
    }
    let folded = fold(text);
    PROBLEM_WORDS
        .iter()
        .any(|w| folded.contains(w))
        .then_some(ShipmentStatus::Exception)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_id_maps_as_the_notes_say() {
        let expect: &[(&[u16], ShipmentStatus)] = &[
            (&[101, 137], S::Created),
            (&[102, 138], S::PickedUp),
            (
                &[103, 104, 105, 106, 107, 108, 126, 127, 128, 132],
                S::InTransit,
            ),
            (&[110, 123, 124, 142], S::AtBranch),
            (&[109, 140, 141], S::OutForDelivery),
            (&[111, 120], S::Delivered),
            (&[112, 114, 115, 119, 121, 122, 129, 130], S::DeliveryFailed),
            (&[113, 131, 134, 135], S::Returning),
            (&[151], S::Returned),
            (&[133, 139], S::Cancelled),
            (&[117, 118, 125, 136, 143], S::Exception),
        ];
        let mut n = 0;
        for (ids, status) in expect {
            for id in *ids {
                assert_eq!(known(*id).map(|k| k.status), Some(*status), "{id}");
                n += 1;
            }
        }
        assert_eq!(STATUSES.len(), n, "every table row is checked");
        assert!(known(120).is_some_and(|k| k.partial));
        assert!(!known(111).is_some_and(|k| k.partial));
    }

    #[test]
    fn unknown_ids_keep_the_previous_status_unless_the_text_names_a_problem() {
        assert_eq!(normalize("116", "Şube Transfer"), None);
        assert_eq!(normalize("abc", ""), None);
        assert_eq!(normalize("199", "HASARLI PAKET"), Some(S::Exception));
        assert_eq!(normalize("198", "Kaybolan gönderi"), Some(S::Exception));
        assert_eq!(normalize(" 109 ", ""), Some(S::OutForDelivery));
    }
}
