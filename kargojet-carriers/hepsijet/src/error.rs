//! HepsiJET's failures → the core [`Error`].
//!
//! Documented failures: `status: "FAIL"` (also inside HTTP 200) with an optional
//! `detailStatus` (`DUPLICATE` for a reused `customerDeliveryNo`), HTTP 401/403 for bad
//! credentials or tokens, other 4xx/5xx with a reason in the body. The carrier's code travels
//! in `carrier_code` and is never promoted to a KargoJet code, except `DUPLICATE`, which is
//! [`Code::CarrierDuplicate`] (a resend's expected answer).

use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, SendState};

/// `detailStatus` of a reused `customerDeliveryNo`.
pub const DUPLICATE: &str = "DUPLICATE";
/// `carrier_code` used for a `FAIL` without `detailStatus`.
pub const FAIL_WITHOUT_DETAIL: &str = "FAIL";

/// What went wrong with one HepsiJET answer, before it becomes a core [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HepsijetError {
    /// `status: "FAIL"`.
    #[error("HepsiJET FAIL [{}]: {message}", detail_status.as_deref().unwrap_or(FAIL_WITHOUT_DETAIL))]
    Fail {
        /// `detailStatus`, when given.
        detail_status: Option<String>,
        /// `message`.
        message: String,
    },
    /// HTTP 401/403: credentials or token refused.
    #[error("HepsiJET refused the credentials/token (HTTP {status})")]
    Unauthorized {
        /// HTTP status.
        status: u16,
    },
    /// The body is not the JSON HepsiJET documents (kept raw).
    #[error("malformed HepsiJET answer: {detail}")]
    Malformed {
        /// What is wrong.
        detail: String,
        /// The raw body.
        raw: String,
    },
}

impl From<HepsijetError> for Error {
    fn from(e: HepsijetError) -> Error {
        match e {
            HepsijetError::Fail {
                detail_status,
                message,
            } => {
                let carrier_code = detail_status
                    .filter(|d| !d.trim().is_empty())
                    .unwrap_or_else(|| FAIL_WITHOUT_DETAIL.to_string());
                let code = if carrier_code.eq_ignore_ascii_case(DUPLICATE) {
                    Code::CarrierDuplicate
                } else {
                    Code::CarrierRejected
                };
                Error::CarrierRejected {
                    code,
                    carrier: CarrierId::Hepsijet,
                    carrier_code,
                    carrier_message: message,
                }
            }
            HepsijetError::Unauthorized { status } => Error::Auth {
                code: Code::AuthFailed,
                carrier: Some(CarrierId::Hepsijet),
                detail: format!("HTTP {status}"),
            },
            HepsijetError::Malformed { detail, raw } => {
                Error::protocol(Some(CarrierId::Hepsijet), detail, raw)
            }
        }
    }
}

/// A transport error for an unexpected HTTP status with no HepsiJET envelope.
pub fn http_status(status: u16, body: &str) -> Error {
    let snippet: String = body.chars().take(200).collect();
    Error::Transport {
        code: Code::TransportHttpStatus,
        carrier: Some(CarrierId::Hepsijet),
        send_state: SendState::Sent,
        http_status: Some(status),
        detail: format!("HTTP {status}: {snippet}"),
    }
}

/// True for the duplicate answer of a resend.
pub fn is_duplicate(e: &Error) -> bool {
    e.code() == Code::CarrierDuplicate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_is_carrier_duplicate_with_raw_code() {
        let e: Error = HepsijetError::Fail {
            detail_status: Some("DUPLICATE".into()),
            message: "kullanılmış".into(),
        }
        .into();
        assert_eq!(e.code(), Code::CarrierDuplicate);
        assert_eq!(e.carrier_code(), Some("DUPLICATE"));
        assert!(is_duplicate(&e));
    }

    #[test]
    fn other_fails_are_rejections_never_promoted() {
        let e: Error = HepsijetError::Fail {
            detail_status: Some("ADDRESS_NOT_FOUND".into()),
            message: "x".into(),
        }
        .into();
        assert_eq!(e.code(), Code::CarrierRejected);
        assert_eq!(e.carrier_code(), Some("ADDRESS_NOT_FOUND"));
        let e: Error = HepsijetError::Fail {
            detail_status: Some(" ".into()),
            message: "x".into(),
        }
        .into();
        assert_eq!(e.carrier_code(), Some("FAIL"));
        assert!(e.message_tr().starts_with("Taşıyıcı isteği reddetti"));
    }

    #[test]
    fn unauthorized_and_malformed() {
        let e: Error = HepsijetError::Unauthorized { status: 401 }.into();
        assert_eq!(e.code(), Code::AuthFailed);
        let e: Error = HepsijetError::Malformed {
            detail: "d".into(),
            raw: "{oops".into(),
        }
        .into();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert_eq!(e.raw(), Some("{oops"));
        assert_eq!(
            http_status(502, "bad gateway").code(),
            Code::TransportHttpStatus
        );
    }
}
