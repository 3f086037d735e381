//! Sürat result strings and error codes → core [`Error`].
//!
//! Sürat answers most calls with a string inside HTTP 200: `Tamam`, a bare code (`016`), a
//! bracketed code with text (`[016] Barkod Gönderilmiştir`), or text starting with `HATA`.
//! [`classify`] reads such a string; [`SuratError`] turns a failure into the core error with
//! Sürat's code in `carrier_code` (never promoted to a KargoJet code).

use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error};
use kargojet_core::geo::fold;

/// One documented Sürat result code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultCode {
    /// The code (three digits).
    pub code: &'static str,
    /// What it means, in Sürat's words (Turkish).
    pub meaning_tr: &'static str,
    /// How KargoJet treats it.
    pub kind: ResultKind,
}

/// What a result code means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// Created / accepted.
    Success,
    /// A shipment with this `OzelKargoTakipNo` already exists (success for a resend).
    Duplicate,
    /// The cari code or password is wrong, or the account has no contract.
    Auth,
    /// The request breaks a Sürat rule (fix the input).
    Validation,
    /// Sürat's side failed; the same request may be resent with the same key.
    Transient,
}

/// Every documented result code of the create calls.
pub const RESULT_CODES: &[ResultCode] = &[
    ResultCode {
        code: "001",
        meaning_tr: "Cari kod veya şifre hatalı",
        kind: ResultKind::Auth,
    },
    ResultCode {
        code: "002",
        meaning_tr: "Alıcı adı boş olamaz",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "003",
        meaning_tr: "Alıcı adresi boş olamaz",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "004",
        meaning_tr: "İl/ilçe boş olamaz",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "006",
        meaning_tr: "Desi/kg sıfırdan büyük olmalı",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "009",
        meaning_tr: "Bu gönderi daha önce oluşturulmuş",
        kind: ResultKind::Duplicate,
    },
    ResultCode {
        code: "010",
        meaning_tr: "Tamam",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "011",
        meaning_tr: "Tamam",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "012",
        meaning_tr: "Tamam",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "013",
        meaning_tr: "Tamam",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "014",
        meaning_tr: "Tamam",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "015",
        meaning_tr: "Tamam",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "016",
        meaning_tr: "Barkod Gönderilmiştir",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "018",
        meaning_tr: "Sürat Kargo ile sözleşmeniz bulunmamaktadır",
        kind: ResultKind::Auth,
    },
    ResultCode {
        code: "019",
        meaning_tr: "Telefon formatı hatalı",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "020",
        meaning_tr: "Telefon yalnızca rakam içermeli",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "022",
        meaning_tr: "Cep telefonu 05 ile başlamalı",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "024",
        meaning_tr: "Cep telefonu en az 10 haneli olmalı",
        kind: ResultKind::Validation,
    },
    ResultCode {
        code: "038",
        meaning_tr: "Takip numarası oluşturulamadı, tekrar deneyin",
        kind: ResultKind::Transient,
    },
    ResultCode {
        code: "039",
        meaning_tr: "Tamam",
        kind: ResultKind::Success,
    },
    ResultCode {
        code: "042",
        meaning_tr: "Sürat sistem hatası",
        kind: ResultKind::Transient,
    },
];

/// The documented entry for a result code.
pub fn lookup(code: &str) -> Option<&'static ResultCode> {
    RESULT_CODES.iter().find(|r| r.code == code)
}

/// A Sürat answer read from a result string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Success (`Tamam`, `010`–`016`, `039`), with the code if one was given.
    Success {
        /// The code, if any.
        code: Option<String>,
        /// The whole result text.
        message: String,
    },
    /// The shipment already exists (`009`, "daha önce oluşturulmuş", "gönderi oluşmuştur").
    Duplicate {
        /// The code, or `009` when only the wording said so.
        code: String,
        /// The whole result text.
        message: String,
    },
    /// Any other answer.
    Failure(SuratError),
}

/// A Sürat failure, before it becomes the core [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuratError {
    /// Wrong cari code / password, or no contract (`001`, `018`).
    #[error("Sürat authentication failed [{code}] {message}")]
    Auth {
        /// Sürat's code.
        code: String,
        /// Sürat's text.
        message: String,
    },
    /// A business rejection (validation codes, transient codes, `HATA…` strings, unknown codes).
    #[error("Sürat rejected the request [{code}] {message}")]
    Rejected {
        /// Sürat's code (`HATA` for `HATA…` strings, `IsError` for JSON errors without a code).
        code: String,
        /// Sürat's text.
        message: String,
    },
    /// A resend found the shipment already there (`009`).
    #[error("Sürat already has this shipment [{code}] {message}")]
    Duplicate {
        /// Sürat's code.
        code: String,
        /// Sürat's text.
        message: String,
    },
    /// The shipment is past the point where Sürat lets it be withdrawn.
    #[error("Sürat refused to cancel [{code}] {message}")]
    CancelRefused {
        /// Sürat's code.
        code: String,
        /// Sürat's text.
        message: String,
    },
    /// Sürat does not know the shipment (`Kayıt bulunamadı`).
    #[error("Sürat has no record: {message}")]
    NotFound {
        /// Sürat's text.
        message: String,
    },
    /// The answer could not be read; the raw body is kept.
    #[error("malformed Sürat response: {detail}")]
    Malformed {
        /// What could not be read.
        detail: String,
        /// The raw body.
        raw: String,
    },
}

impl From<SuratError> for Error {
    fn from(e: SuratError) -> Error {
        match e {
            SuratError::Auth { code, message } => Error::Auth {
                code: Code::AuthFailed,
                carrier: Some(CarrierId::Surat),
                detail: format!("[{code}] {message}"),
            },
            SuratError::Rejected { code, message } => {
                Error::rejected(CarrierId::Surat, code, message)
            }
            SuratError::Duplicate { code, message } => Error::CarrierRejected {
                code: Code::CarrierDuplicate,
                carrier: CarrierId::Surat,
                carrier_code: code,
                carrier_message: message,
            },
            SuratError::CancelRefused { code, message } => Error::CarrierRejected {
                code: Code::ShipmentInvalidState,
                carrier: CarrierId::Surat,
                carrier_code: code,
                carrier_message: message,
            },
            SuratError::NotFound { message } => {
                Error::not_found(Code::NotFoundShipment, format!("Sürat: {message}"))
            }
            SuratError::Malformed { detail, raw } => {
                Error::protocol(Some(CarrierId::Surat), detail, raw)
            }
        }
    }
}

/// Splits a result string into its code and text: `[016] Barkod …` → (`016`, …), `016` →
/// (`016`, ``), `HATA: …` → (`HATA`, …). Other strings have no code.
pub fn split_code(result: &str) -> (Option<&str>, &str) {
    let s = result.trim();
    if let Some((rest, end)) = s
        .strip_prefix('[')
        .and_then(|r| r.find(']').map(|e| (r, e)))
    {
        let code = rest[..end].trim();
        if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
            return (Some(code), rest[end + 1..].trim());
        }
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if (2..=4).contains(&digits) {
        let rest = &s[digits..];
        if rest.is_empty() || rest.starts_with([' ', '-', ':', '.']) {
            return (
                Some(&s[..digits]),
                rest.trim_start_matches([' ', '-', ':', '.']).trim(),
            );
        }
    }
    if s.len() >= 4 && s.is_char_boundary(4) && s[..4].eq_ignore_ascii_case("HATA") {
        return (
            Some("HATA"),
            s[4..].trim_start_matches([' ', '-', ':']).trim(),
        );
    }
    (None, s)
}

fn says_duplicate(text: &str) -> bool {
    let t = fold(text);
    t.contains("daha once olusturulmus") || t.contains("gonderi olusmustur")
}

/// Reads the string result of a create or cancel call.
pub fn classify(result: &str) -> Outcome {
    let message = result.trim().to_string();
    let (code, _text) = split_code(result);
    match code {
        None if fold(&message) == "tamam" => Outcome::Success {
            code: None,
            message,
        },
        None if says_duplicate(&message) => Outcome::Duplicate {
            code: "009".into(),
            message,
        },
        None if message.is_empty() => Outcome::Failure(SuratError::Malformed {
            detail: "empty result string".into(),
            raw: result.to_string(),
        }),
        None => Outcome::Failure(SuratError::Rejected {
            code: "UNKNOWN".into(),
            message,
        }),
        Some(c) => {
            let c = c.to_string();
            match lookup(&c).map(|r| r.kind) {
                Some(ResultKind::Success) => Outcome::Success {
                    code: Some(c),
                    message,
                },
                Some(ResultKind::Duplicate) => Outcome::Duplicate { code: c, message },
                _ if says_duplicate(&message) => Outcome::Duplicate { code: c, message },
                Some(ResultKind::Auth) => Outcome::Failure(SuratError::Auth { code: c, message }),
                Some(ResultKind::Validation | ResultKind::Transient) | None => {
                    Outcome::Failure(SuratError::Rejected { code: c, message })
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_read_bare_bracketed_and_as_hata() {
        assert_eq!(
            split_code("[016] Barkod Gönderilmiştir"),
            (Some("016"), "Barkod Gönderilmiştir")
        );
        assert_eq!(split_code(" 016 "), (Some("016"), ""));
        assert_eq!(
            split_code("HATA: Gönderi bulunamadı"),
            (Some("HATA"), "Gönderi bulunamadı")
        );
        assert_eq!(split_code("Tamam"), (None, "Tamam"));
        assert_eq!(split_code("[abc] x"), (None, "[abc] x"));
        assert_eq!(split_code("[ş"), (None, "[ş"));
        assert_eq!(split_code("HAT"), (None, "HAT"));
        assert_eq!(split_code("HATş"), (None, "HATş"));
    }

    #[test]
    fn success_duplicate_and_failures() {
        assert!(matches!(
            classify("Tamam"),
            Outcome::Success { code: None, .. }
        ));
        assert!(
            matches!(classify("[016] Barkod Gönderilmiştir"), Outcome::Success { code: Some(c), .. } if c == "016")
        );
        assert!(matches!(classify("039"), Outcome::Success { .. }));
        assert!(
            matches!(classify("[009] Bu gönderi daha önce oluşturulmuş"), Outcome::Duplicate { code, .. } if code == "009")
        );
        assert!(
            matches!(classify("Gönderi oluşmuştur"), Outcome::Duplicate { code, .. } if code == "009")
        );
        assert!(matches!(
            classify("[001] Kullanıcı adı veya şifre hatalı"),
            Outcome::Failure(SuratError::Auth { .. })
        ));
        assert!(
            matches!(classify("[777] yeni bir hata"), Outcome::Failure(SuratError::Rejected { code, .. }) if code == "777")
        );
        assert!(matches!(
            classify(""),
            Outcome::Failure(SuratError::Malformed { .. })
        ));
    }

    #[test]
    fn failures_become_core_errors_with_the_carrier_code() {
        let e: Error = SuratError::Rejected {
            code: "006".into(),
            message: "Desi".into(),
        }
        .into();
        assert_eq!(e.code(), Code::CarrierRejected);
        assert_eq!(e.carrier_code(), Some("006"));
        let e: Error = SuratError::Duplicate {
            code: "009".into(),
            message: String::new(),
        }
        .into();
        assert_eq!(e.code(), Code::CarrierDuplicate);
        let e: Error = SuratError::Auth {
            code: "001".into(),
            message: String::new(),
        }
        .into();
        assert_eq!(e.code(), Code::AuthFailed);
        let e: Error = SuratError::Malformed {
            detail: "x".into(),
            raw: "<a".into(),
        }
        .into();
        assert_eq!(e.raw(), Some("<a"));
    }
}
