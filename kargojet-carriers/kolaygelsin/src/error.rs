//! Kolay Gelsin's failures → the core [`Error`].
//!
//! Business errors arrive inside the envelope as a decimal `ResultCode` (`500.0`, `404.1`) with
//! a text `ResultMessage`, most likely in HTTP 200. They become `carrier.rejected` (sent, not
//! retryable) with the canonical code (`500.0`) in `carrier_code` and the message kept as
//! received; the code is never promoted to a KargoJet code. The table [`KNOWN`] lists every
//! documented pair with its cause. A `ResultCode` of 401/403 (any fraction) is an auth failure
//! and 429 a rate limit (undocumented; read by analogy with HTTP). HTTP 401/403 is
//! `auth.failed`: the token is static, so nothing is refreshed or retried.

use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, SendState};

/// A documented `ResultCode` / `ResultMessage` pair and what causes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownError {
    /// Canonical `ResultCode`.
    pub code: &'static str,
    /// `ResultMessage` as documented.
    pub message: &'static str,
    /// Why Kolay Gelsin sends it.
    pub cause: &'static str,
}

/// Every documented error (carrier integration document).
pub const KNOWN: &[KnownError] = &[
    KnownError {
        code: "500.0",
        message: "Bu kordinatta kurye çalışma alanı bulunamamıştır.",
        cause: "the address is outside the courier area and SaveOutOfCoverage is false",
    },
    KnownError {
        code: "500.0",
        message: "ErrorSavingReceiver",
        cause: "city, town or address text missing (building name too for corporate receivers), or no Recipient/Address",
    },
    KnownError {
        code: "500.0",
        message: "IdentityNumberEntryIsRequired",
        cause: "OnlyDeliverToRecipient without the receiver's TCKN",
    },
    KnownError {
        code: "500.0",
        message: "IdentityNumberNotValid",
        cause: "the receiver's TCKN is not valid",
    },
    KnownError {
        code: "500.0",
        message: "TaxIdentificationNumberInputIsRequired",
        cause: "OnlyDeliverToRecipient without the corporate receiver's VKN",
    },
    KnownError {
        code: "500.0",
        message: "TaxIdentificationNumberNotValid",
        cause: "the corporate receiver's VKN is not valid",
    },
    KnownError {
        code: "500.0",
        message: "Alici vergi kimlik numarasinda gecersiz karakterler bulunuyor",
        cause: "the VKN has non-digit characters",
    },
    KnownError {
        code: "500.0",
        message: "Alici kimlik numarasinda gecersiz karakterler bulunuyor",
        cause: "the TCKN has non-digit characters",
    },
    KnownError {
        code: "500.0",
        message: "CityNotFound",
        cause: "CityId is not a plate code Kolay Gelsin knows",
    },
    KnownError {
        code: "500.0",
        message: "GeoCodeFail",
        cause: "the address text could not be geocoded",
    },
    KnownError {
        code: "500.0",
        message: "CustomerNotFound",
        cause: "CustomerId missing or unknown (also: tracking for a customer without a webhook definition)",
    },
    KnownError {
        code: "404.1",
        message: "Adres müşteriye ait değil",
        cause: "AddressId missing or not the customer's",
    },
    KnownError {
        code: "500.0",
        message: "NoContactsFound",
        cause: "RecipientId unknown (create v1)",
    },
    KnownError {
        code: "500.0",
        message: "SomethingWentWrong",
        cause: "SenderCustomer or ShipmentItemList missing",
    },
    KnownError {
        code: "500.0",
        message: "MoveOptionNotFound",
        cause: "PackageType missing or unknown",
    },
    KnownError {
        code: "500.0",
        message: "Tahsilatlı kargo yapılamaz.",
        cause: "SenderInvoiceAmount sent but the contract has no cash on delivery",
    },
    KnownError {
        code: "500.0",
        message: "Parametrelerin hepsi boş olamaz",
        cause: "tracking without any key list",
    },
    KnownError {
        code: "500.0",
        message: "Sipariş kaydedilemedi. Hata detayı: Object reference not set to an instance of an object.",
        cause: "Recipient or its Address missing (create v1)",
    },
];

fn same_text(a: &str, b: &str) -> bool {
    let clean = |s: &str| s.trim().trim_end_matches('.').to_lowercase();
    clean(a) == clean(b)
}

/// The documented entry for a canonical `code` and `message`, if any.
pub fn known(code: &str, message: &str) -> Option<&'static KnownError> {
    KNOWN
        .iter()
        .find(|k| k.code == code && same_text(k.message, message))
}

/// What went wrong with one Kolay Gelsin answer, before it becomes a core [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KolayGelsinError {
    /// A `ResultCode` other than 200.
    #[error("Kolay Gelsin ResultCode {code}: {message}")]
    Result {
        /// Canonical `ResultCode` (`500.0`, `404.1`, or the raw text when not a number).
        code: String,
        /// `ResultMessage`, as received.
        message: String,
    },
    /// HTTP 401/403: the bearer token was refused.
    #[error("Kolay Gelsin refused the bearer token (HTTP {status})")]
    Unauthorized {
        /// HTTP status.
        status: u16,
    },
    /// The body is not the envelope Kolay Gelsin documents (kept raw).
    #[error("malformed Kolay Gelsin answer: {detail}")]
    Malformed {
        /// What is wrong.
        detail: String,
        /// The raw body.
        raw: String,
    },
}

impl KolayGelsinError {
    /// The documented cause of a `Result` error, if it is one of [`KNOWN`].
    pub fn cause(&self) -> Option<&'static str> {
        match self {
            KolayGelsinError::Result { code, message } => known(code, message).map(|k| k.cause),
            _ => None,
        }
    }
}

fn integer_part(code: &str) -> Option<u32> {
    code.split('.').next()?.trim().parse().ok()
}

impl From<KolayGelsinError> for Error {
    fn from(e: KolayGelsinError) -> Error {
        match e {
            KolayGelsinError::Result { code, message } => match integer_part(&code) {
                Some(401 | 403) => Error::Auth {
                    code: Code::AuthFailed,
                    carrier: Some(CarrierId::KolayGelsin),
                    detail: format!("ResultCode {code}: {message}"),
                },
                Some(429) => Error::RateLimited {
                    code: Code::RateLimited,
                    carrier: Some(CarrierId::KolayGelsin),
                    retry_after_ms: None,
                },
                _ => Error::CarrierRejected {
                    code: Code::CarrierRejected,
                    carrier: CarrierId::KolayGelsin,
                    carrier_code: code,
                    carrier_message: message,
                },
            },
            KolayGelsinError::Unauthorized { status } => Error::Auth {
                code: Code::AuthFailed,
                carrier: Some(CarrierId::KolayGelsin),
                detail: format!(
                    "HTTP {status}: the bearer token was refused (static token: not retried)"
                ),
            },
            KolayGelsinError::Malformed { detail, raw } => {
                Error::protocol(Some(CarrierId::KolayGelsin), detail, raw)
            }
        }
    }
}

/// A transport error for an unexpected HTTP status with no Kolay Gelsin envelope.
pub fn http_status(status: u16, body: &str) -> Error {
    let snippet: String = body.chars().take(200).collect();
    Error::Transport {
        code: Code::TransportHttpStatus,
        carrier: Some(CarrierId::KolayGelsin),
        send_state: SendState::Sent,
        http_status: Some(status),
        detail: format!("HTTP {status}: {snippet}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_are_rejections_with_the_decimal_code() {
        for k in KNOWN {
            let raw = KolayGelsinError::Result {
                code: k.code.into(),
                message: k.message.into(),
            };
            assert_eq!(raw.cause(), Some(k.cause));
            let e: Error = raw.into();
            assert_eq!(e.code(), Code::CarrierRejected, "{}", k.message);
            assert_eq!(e.carrier_code(), Some(k.code));
            assert_eq!(e.send_state(), Some(SendState::Sent));
            assert!(!e.is_retryable());
            assert!(e.message_tr().starts_with("Taşıyıcı isteği reddetti"));
        }
        assert_eq!(
            known("404.1", " adres müşteriye ait değil ").map(|k| k.code),
            Some("404.1")
        );
        assert_eq!(known("500.0", "Adres müşteriye ait değil"), None);
    }

    #[test]
    fn unknown_codes_are_kept_raw_and_auth_is_not_retried() {
        let e: Error = KolayGelsinError::Result {
            code: "503.7".into(),
            message: "QueueFull".into(),
        }
        .into();
        assert_eq!(
            (e.code(), e.carrier_code()),
            (Code::CarrierRejected, Some("503.7"))
        );
        let e: Error = KolayGelsinError::Result {
            code: "401.0".into(),
            message: "Unauthorized".into(),
        }
        .into();
        assert_eq!(e.code(), Code::AuthFailed);
        assert!(!e.is_retryable());
        let e: Error = KolayGelsinError::Result {
            code: "429.0".into(),
            message: "Too many".into(),
        }
        .into();
        assert_eq!(e.code(), Code::RateLimited);
        let e: Error = KolayGelsinError::Unauthorized { status: 401 }.into();
        assert_eq!(e.code(), Code::AuthFailed);
        let e: Error = KolayGelsinError::Malformed {
            detail: "d".into(),
            raw: "{oops".into(),
        }
        .into();
        assert_eq!(
            (e.code(), e.raw()),
            (Code::ProtocolMalformed, Some("{oops"))
        );
        let e = http_status(502, "<html>bad gateway</html>");
        assert_eq!(e.code(), Code::TransportHttpStatus);
        assert!(e.is_retryable());
    }
}
