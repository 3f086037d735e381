//! Yurtiçi status codes → the normalized [`ShipmentStatus`], with the carrier's own wording.
//!
//! Documented: `operationCode` / `operationStatus` (0 NOP … 6 BI), `rejectStatus` (return
//! request states) and `returnStatus` (3 = returned to sender). The movement event ids of the
//! history are **not** public; movements are mapped by their Turkish wording where it is
//! unambiguous (e.g. "Dağıtıma Çıkarıldı" → out for delivery) and otherwise stay `None`, so the
//! previous status stands and the raw code and text are kept.

use kargojet_carrier_common::phrases::{Phrases, Search};
use kargojet_core::geo::fold;
use kargojet_core::tracking::ShipmentStatus;
use std::sync::LazyLock;

/// The documented `operationCode` / `operationStatus` pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationStatus {
    /// 0 — not yet processed (data received, parcel not at the branch).
    Nop,
    /// 1 — in the delivery process.
    Ind,
    /// 2 — processed, invoice not yet issued.
    Isr,
    /// 3 — dispatch blocked (cancelled).
    Cnl,
    /// 4 — already cancelled.
    Isc,
    /// 5 — delivered.
    Dlv,
    /// 6 — invoice cancelled by the branch.
    Bi,
}

impl OperationStatus {
    /// Every documented status.
    pub const ALL: [OperationStatus; 7] = [
        OperationStatus::Nop,
        OperationStatus::Ind,
        OperationStatus::Isr,
        OperationStatus::Cnl,
        OperationStatus::Isc,
        OperationStatus::Dlv,
        OperationStatus::Bi,
    ];

    /// The numeric `operationCode`.
    pub fn code(self) -> i32 {
        match self {
            OperationStatus::Nop => 0,
            OperationStatus::Ind => 1,
            OperationStatus::Isr => 2,
            OperationStatus::Cnl => 3,
            OperationStatus::Isc => 4,
            OperationStatus::Dlv => 5,
            OperationStatus::Bi => 6,
        }
    }

    /// The `operationStatus` mnemonic.
    pub fn mnemonic(self) -> &'static str {
        match self {
            OperationStatus::Nop => "NOP",
            OperationStatus::Ind => "IND",
            OperationStatus::Isr => "ISR",
            OperationStatus::Cnl => "CNL",
            OperationStatus::Isc => "ISC",
            OperationStatus::Dlv => "DLV",
            OperationStatus::Bi => "BI",
        }
    }

    /// The carrier's Turkish wording (`operationMessage`).
    pub fn wording_tr(self) -> &'static str {
        match self {
            OperationStatus::Nop => "Kargo işlem görmemiş.",
            OperationStatus::Ind => "Kargo teslimattadır.",
            OperationStatus::Isr => "Kargo işlem görmüş, faturası henüz düzenlenmemiştir.",
            OperationStatus::Cnl => "Kargo çıkışı engellendi.",
            OperationStatus::Isc => "Kargo daha önceden iptal edilmiştir.",
            OperationStatus::Dlv => "Kargo teslim edilmiştir.",
            OperationStatus::Bi => "Fatura şube tarafından iptal edilmiştir.",
        }
    }

    /// From the numeric code.
    pub fn from_code(code: i32) -> Option<OperationStatus> {
        OperationStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// From the mnemonic (case-insensitive, trimmed).
    pub fn from_mnemonic(s: &str) -> Option<OperationStatus> {
        let s = s.trim();
        OperationStatus::ALL
            .into_iter()
            .find(|o| o.mnemonic().eq_ignore_ascii_case(s))
    }

    /// The normalized status (BI → cancelled is inferred).
    pub fn normalized(self) -> ShipmentStatus {
        match self {
            OperationStatus::Nop => ShipmentStatus::Created,
            OperationStatus::Ind => ShipmentStatus::InTransit,
            OperationStatus::Isr => ShipmentStatus::PickedUp,
            OperationStatus::Cnl | OperationStatus::Isc | OperationStatus::Bi => {
                ShipmentStatus::Cancelled
            }
            OperationStatus::Dlv => ShipmentStatus::Delivered,
        }
    }

    /// Whether the carrier still lets the shipment be cancelled (before the invoice is issued).
    pub fn cancellable(self) -> bool {
        matches!(self, OperationStatus::Nop | OperationStatus::Isr)
    }
}

/// The operation status of a result: the mnemonic wins when both are given and disagree
/// (the mnemonic is what the carrier's own table keys on); `None` when neither is known.
pub fn operation_status(code: Option<i32>, mnemonic: Option<&str>) -> Option<OperationStatus> {
    mnemonic
        .and_then(OperationStatus::from_mnemonic)
        .or_else(|| code.and_then(OperationStatus::from_code))
}

/// `rejectStatus` → returning for 0, 1, 2, 3, 9, 10 (requested … finalized); 4, 7, 8, 11
/// (waiting, cancelled, not approved) abort the return and keep the main status (`None`).
pub fn reject_status(value: &str) -> Option<ShipmentStatus> {
    match value.trim().parse::<u8>().ok()? {
        0 | 1 | 2 | 3 | 9 | 10 => Some(ShipmentStatus::Returning),
        _ => None,
    }
}

/// The Turkish wording of a `rejectStatus` value.
pub fn reject_status_wording(value: u8) -> Option<&'static str> {
    Some(match value {
        0 => "İade isteği yapıldı",
        1 => "Çıkış şubesi onayladı",
        2 => "Bölge onayladı",
        3 => "Müşteri onayladı",
        4 => "İade bekleniyor",
        7 => "Teslimat iptal edildi",
        8 => "Faturalama iptal edildi",
        9 => "İade yapıldı",
        10 => "İade sonuçlandı",
        11 => "Onaylanmadı",
        _ => return None,
    })
}

/// `returnStatus` → returned for 3 (returned to sender); 0–2 say nothing new.
pub fn return_status(value: &str) -> Option<ShipmentStatus> {
    (value.trim() == "3").then_some(ShipmentStatus::Returned)
}

/// Movement wordings, folded, and what they mean (inferred from the words themselves; the event
/// id list is not public). Checked in order: the first phrase found in the folded text wins.
const MOVEMENT_WORDINGS: &[(&str, ShipmentStatus)] = &[
    ("teslim edilemedi", ShipmentStatus::DeliveryFailed),
    ("teslim edilmedi", ShipmentStatus::DeliveryFailed),
    ("gondericiye teslim", ShipmentStatus::Returned),
    ("iade teslim", ShipmentStatus::Returned),
    ("iade", ShipmentStatus::Returning),
    ("teslim edildi", ShipmentStatus::Delivered),
    ("dagitima cikarildi", ShipmentStatus::OutForDelivery),
    ("dagitimda", ShipmentStatus::OutForDelivery),
    ("kuryede", ShipmentStatus::OutForDelivery),
    ("varis subesine", ShipmentStatus::AtBranch),
    ("teslimat birimi", ShipmentStatus::AtBranch),
    ("teslimat subesi", ShipmentStatus::AtBranch),
    ("transfer merkez", ShipmentStatus::InTransit),
    ("yola cikti", ShipmentStatus::InTransit),
    ("sevk edildi", ShipmentStatus::InTransit),
    ("kargo kabul", ShipmentStatus::PickedUp),
    ("kabul edildi", ShipmentStatus::PickedUp),
    ("iptal", ShipmentStatus::Cancelled),
];

/// The status a movement's wording states, if it is one of the known phrases.
pub fn movement_wording(text: &str) -> Option<ShipmentStatus> {
    let phrases = &*WORDING_PHRASES;
    let mut search = Search::new(phrases);
    let found = if fold_each(text, |b| {
        search.push(b);
    }) {
        search.found()
    } else {
        phrases.first_in(fold(text).as_bytes())
    };
    found
        .and_then(|i| MOVEMENT_WORDINGS.get(i))
        .map(|(_, s)| *s)
}

/// [`MOVEMENT_WORDINGS`] compiled for one-pass search.
static WORDING_PHRASES: LazyLock<Phrases> = LazyLock::new(|| {
    let list: Vec<&str> = MOVEMENT_WORDINGS.iter().map(|(p, _)| *p).collect();
    Phrases::new(&list)
});

/// ASCII bytes folded: letters and digits lower-cased, everything else 0 (a separator).
const ASCII_FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            t[b] = c.to_ascii_lowercase();
        }
        b += 1;
    }
    t
};

/// The core's [`fold`] fed byte by byte to `out`, without allocating, for texts whose folded
/// form is ASCII (all Turkish wordings); `false` (use [`fold`]) for anything else.
fn fold_each(s: &str, mut out: impl FnMut(u8)) -> bool {
    let bytes = s.as_bytes();
    let mut any = false;
    let mut pending_space = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let mapped = if b.is_ascii() {
            i += 1;
            match ASCII_FOLD[usize::from(b)] {
                0 => None,
                f => Some(f),
            }
        } else {
            // Two-byte sequences (every Turkish letter) decoded in place, others by `chars`.
            let ch = match bytes.get(i + 1) {
                Some(&n) if (0xc2..=0xdf).contains(&b) && n & 0xc0 == 0x80 => {
                    i += 2;
                    char::from_u32((u32::from(b & 0x1f) << 6) | u32::from(n & 0x3f))
                }
                _ => {
                    let Some(ch) = s.get(i..).and_then(|t| t.chars().next()) else {
                        return false;
                    };
                    i += ch.len_utf8();
                    Some(ch)
                }
            };
            let Some(ch) = ch else {
                return false;
            };
            match ch {
                'ı' | 'İ' | 'Î' | 'î' | 'Ì' | 'ì' | 'Í' | 'í' => Some(b'i'),
                'Ğ' | 'ğ' => Some(b'g'),
                'Ü' | 'ü' | 'Û' | 'û' => Some(b'u'),
                'Ş' | 'ş' => Some(b's'),
                'Ö' | 'ö' => Some(b'o'),
                'Ç' | 'ç' => Some(b'c'),
                'Â' | 'â' | 'À' | 'à' | 'Á' | 'á' => Some(b'a'),
                // Dropped without separating words.
                '\u{307}' => continue,
                c if c.is_alphanumeric() => return false,
                _ => None,
            }
        };
        match mapped {
            Some(b) => {
                if pending_space {
                    out(b' ');
                    pending_space = false;
                }
                out(b);
                any = true;
            }
            None => pending_space = any,
        }
    }
    true
}

/// Status of one history movement: its wording when known, else its event id when that is a
/// documented operation mnemonic (e.g. `DLV`), else `None` (unknown: the previous status
/// stands).
pub fn movement_status(event_id: &str, event_name: &str) -> Option<ShipmentStatus> {
    movement_wording(event_name)
        .or_else(|| OperationStatus::from_mnemonic(event_id).map(OperationStatus::normalized))
}

/// The inputs of the current-status decision for one queried key.
#[derive(Debug, Clone, Copy, Default)]
pub struct StatusInputs<'a> {
    /// `operationCode`.
    pub operation_code: Option<i32>,
    /// `operationStatus`.
    pub operation_status: Option<&'a str>,
    /// `cargoEventExplanation` of the item.
    pub cargo_event_explanation: Option<&'a str>,
    /// `cargoReasonId` of the item.
    pub cargo_reason_id: Option<&'a str>,
    /// `rejectStatus` of the item.
    pub reject_status: Option<&'a str>,
    /// `returnStatus` of the item.
    pub return_status: Option<&'a str>,
}

/// The current normalized status of a queried key:
/// returned (`returnStatus` 3) › returning (`rejectStatus`) › the operation status, refined while
/// `IND` by the current event's wording (at branch / out for delivery) and by a non-`OK` reason
/// (delivery failed, inferred). `None` when nothing known is stated.
pub fn current_status(i: StatusInputs<'_>) -> Option<ShipmentStatus> {
    if let Some(s) = i.return_status.and_then(return_status) {
        return Some(s);
    }
    if let Some(s) = i.reject_status.and_then(reject_status) {
        return Some(s);
    }
    let op = operation_status(i.operation_code, i.operation_status)?;
    if op != OperationStatus::Ind {
        return Some(op.normalized());
    }
    let reason_problem = i
        .cargo_reason_id
        .map(str::trim)
        .is_some_and(|r| !r.is_empty() && !r.eq_ignore_ascii_case("OK"));
    if reason_problem {
        return Some(ShipmentStatus::DeliveryFailed);
    }
    match i.cargo_event_explanation.and_then(movement_wording) {
        Some(
            s @ (ShipmentStatus::AtBranch
            | ShipmentStatus::OutForDelivery
            | ShipmentStatus::DeliveryFailed
            | ShipmentStatus::InTransit),
        ) => Some(s),
        _ => Some(ShipmentStatus::InTransit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_found_at_every_position() {
        let iade = MOVEMENT_WORDINGS.iter().position(|(p, _)| *p == "iade");
        let first_wording = |t: &[u8]| WORDING_PHRASES.first_in(t);
        assert_eq!(first_wording(b"iade"), iade);
        assert_eq!(first_wording(b"x iade"), iade);
        assert_eq!(first_wording(b"iade x"), iade);
        assert_eq!(first_wording(b"iad"), None);
        assert_eq!(first_wording(b"iadx iaxe"), None);
    }

    #[test]
    fn every_documented_operation_code_maps() {
        let expected = [
            (0, "NOP", ShipmentStatus::Created),
            (1, "IND", ShipmentStatus::InTransit),
            (2, "ISR", ShipmentStatus::PickedUp),
            (3, "CNL", ShipmentStatus::Cancelled),
            (4, "ISC", ShipmentStatus::Cancelled),
            (5, "DLV", ShipmentStatus::Delivered),
            (6, "BI", ShipmentStatus::Cancelled),
        ];
        for (code, mnemonic, status) in expected {
            let by_code = OperationStatus::from_code(code).map(OperationStatus::normalized);
            let by_name = OperationStatus::from_mnemonic(mnemonic).map(OperationStatus::normalized);
            assert_eq!(by_code, Some(status), "{code}");
            assert_eq!(by_name, Some(status), "{mnemonic}");
            assert!(OperationStatus::from_code(code).is_some_and(|o| !o.wording_tr().is_empty()));
        }
        assert_eq!(OperationStatus::from_code(7), None);
        assert_eq!(OperationStatus::from_mnemonic("XYZ"), None);
    }

    #[test]
    fn reject_and_return_statuses() {
        for v in ["0", "1", "2", "3", "9", "10"] {
            assert_eq!(reject_status(v), Some(ShipmentStatus::Returning), "{v}");
        }
        for v in ["4", "7", "8", "11", "", "x", "99"] {
            assert_eq!(reject_status(v), None, "{v}");
        }
        assert_eq!(return_status("3"), Some(ShipmentStatus::Returned));
        assert_eq!(return_status("0"), None);
        assert!(reject_status_wording(9).is_some() && reject_status_wording(5).is_none());
    }

    #[test]
    fn current_status_refines_ind_and_prefers_returns() {
        let ind = StatusInputs {
            operation_code: Some(1),
            operation_status: Some("IND"),
            ..Default::default()
        };
        assert_eq!(current_status(ind), Some(ShipmentStatus::InTransit));
        let at_branch = StatusInputs {
            cargo_event_explanation: Some("Varış Şubesine Ulaştı"),
            ..ind
        };
        assert_eq!(current_status(at_branch), Some(ShipmentStatus::AtBranch));
        let out = StatusInputs {
            cargo_event_explanation: Some("DAĞITIMA ÇIKARILDI"),
            ..ind
        };
        assert_eq!(current_status(out), Some(ShipmentStatus::OutForDelivery));
        let failed = StatusInputs {
            cargo_reason_id: Some("AY"),
            ..out
        };
        assert_eq!(current_status(failed), Some(ShipmentStatus::DeliveryFailed));
        let returning = StatusInputs {
            reject_status: Some("0"),
            ..ind
        };
        assert_eq!(current_status(returning), Some(ShipmentStatus::Returning));
        let returned = StatusInputs {
            return_status: Some("3"),
            ..returning
        };
        assert_eq!(current_status(returned), Some(ShipmentStatus::Returned));
        let dlv = StatusInputs {
            operation_code: Some(5),
            operation_status: Some("DLV"),
            cargo_reason_id: Some("OK"),
            ..Default::default()
        };
        assert_eq!(current_status(dlv), Some(ShipmentStatus::Delivered));
        assert_eq!(current_status(StatusInputs::default()), None);
        let unknown = StatusInputs {
            operation_code: Some(42),
            operation_status: Some("ZZZ"),
            ..Default::default()
        };
        assert_eq!(current_status(unknown), None);
    }

    #[test]
    fn the_allocation_free_fold_matches_the_core_fold() {
        let fold_ascii = |t: &str| {
            let mut s = String::new();
            fold_each(t, |b| s.push(char::from(b))).then_some(s)
        };
        for t in [
            "Kargo Kabul Edildi",
            "DAĞITIMA ÇIKARILDI",
            "  Varış  Şubesine-Ulaştı ",
            "İADE Sürecinde",
            "Teslim Edildi - Gülşen Öztürk",
            "x1 Y2",
            "",
        ] {
            assert_eq!(fold_ascii(t), Some(fold(t)), "{t}");
        }
        assert_eq!(
            fold_ascii("Ελληνικά"),
            None,
            "non-Turkish letters fall back"
        );
        let long = "a".repeat(200);
        assert_eq!(fold_ascii(&long), Some(long.clone()), "long texts fold too");
        assert_eq!(
            movement_wording(&format!("{long} teslim edildi")),
            Some(ShipmentStatus::Delivered)
        );
    }

    #[test]
    fn the_one_pass_phrase_search_agrees_with_a_search_per_phrase() {
        let naive = |hay: &str| MOVEMENT_WORDINGS.iter().position(|(p, _)| hay.contains(p));
        for t in [
            "kargo kabul edildi",
            "transfer merkezine ulasti",
            "teslim edildi iade teslim",
            "iade teslim edilemedi",
            "xiptaly sevk edildi",
            "teslimat subesi teslim edilmedi",
            "dagitimda kuryede",
            "gondericiye teslim edildi",
            "yola ciktiiade",
            "tttteslim edildi",
            "t",
            "",
            "hicbiri",
        ] {
            assert_eq!(WORDING_PHRASES.first_in(t.as_bytes()), naive(t), "{t}");
        }
    }

    #[test]
    fn movements_by_wording_or_mnemonic() {
        assert_eq!(
            movement_status("DLV", "Teslim Edildi"),
            Some(ShipmentStatus::Delivered)
        );
        assert_eq!(
            movement_status("X1", "Kargo Kabul Edildi"),
            Some(ShipmentStatus::PickedUp)
        );
        assert_eq!(
            movement_status("X2", "Transfer Merkezine Ulaştı"),
            Some(ShipmentStatus::InTransit)
        );
        assert_eq!(
            movement_status("X3", "ALICI ADRESTE YOK - TESLİM EDİLEMEDİ"),
            Some(ShipmentStatus::DeliveryFailed)
        );
        assert_eq!(
            movement_status("DLV", "bilinmeyen hareket"),
            Some(ShipmentStatus::Delivered)
        );
        assert_eq!(movement_status("Q9", "Bilinmeyen hareket"), None);
    }
}
