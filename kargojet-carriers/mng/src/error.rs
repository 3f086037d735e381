//! MNG's failures → the core [`Error`], with the send state the caller needs.
//!
//! - API errors `{"error": {"Code", "Description", "Message"}}` come in HTTP 4xx **and 5xx**
//!   (a reused `referenceId` is HTTP 500 + `3002`): `carrier.rejected` with MNG's code as
//!   `carrier_code` (sent and refused), except `3002`, which is `carrier.duplicate` (the order
//!   exists: a resend's expected answer), and 401/403, which are `auth.failed` (the token cache
//!   refreshes once).
//! - Gateway errors `{"httpCode", "httpMessage", "moreInformation"}` (IBM API Connect: unknown
//!   client id, missing subscription, unknown path): 401/403 `auth.failed`, others
//!   `transport.http_status` (sent).
//! - Legacy SOAP strings `E003:…` (`E003`/`E004`/`E006` are login errors → `auth.failed`), `0`
//!   for a refused cancel: `carrier.rejected`.
//! - Anything unreadable: `protocol.malformed` keeping the raw body (maybe sent).
//!
//! [`after_order`] turns the failure of `createbarcode` (after `createOrder` succeeded) into a
//! maybe-sent error, so the orchestrator reconciles by `referenceId` instead of failing over.

use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, SendState};

/// API code of a reused `referenceId` ("BU SİPARİS NUMARASINA AİT KAYIT ZATEN VAR!").
pub const DUPLICATE_ORDER: &str = "3002";
/// API code of `createbarcode` before MNG resolved the delivery branch ("VARIŞ ŞUBESİ
/// BULUNAMADI").
pub const BRANCH_NOT_FOUND: &str = "20001";
/// `carrier_code` of a refused legacy cancel (the method answered `0`).
pub const LEGACY_REFUSED: &str = "0";
/// `carrier_code` of a legacy answer that is neither `1` nor an `Exxx:` text.
pub const LEGACY_UNKNOWN: &str = "LEGACY";
/// Legacy login errors: wrong user/password, empty, not digits.
pub const LEGACY_AUTH_CODES: &[&str] = &["E003", "E004", "E006"];

/// What went wrong with one MNG answer, before it becomes a core [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MngError {
    /// The API's error envelope.
    #[error("MNG API error [{code}] (HTTP {http_status}): {description}")]
    Api {
        /// HTTP status of the answer.
        http_status: u16,
        /// `error.Code` (`HTTP<status>` when the envelope had none).
        code: String,
        /// `error.Description`, else `error.Message`.
        description: String,
    },
    /// The gateway's error envelope.
    #[error("MNG gateway error (HTTP {http_status}) {http_message}: {more_information}")]
    Gateway {
        /// HTTP status of the answer.
        http_status: u16,
        /// `httpMessage`.
        http_message: String,
        /// `moreInformation`.
        more_information: String,
    },
    /// A legacy SOAP method answered something other than `1`.
    #[error("MNG legacy answer [{code}]: {text}")]
    Legacy {
        /// `E003`, `0`, or [`LEGACY_UNKNOWN`].
        code: String,
        /// The whole answer.
        text: String,
    },
    /// The body is not what MNG documents (kept raw).
    #[error("malformed MNG answer: {detail}")]
    Malformed {
        /// What is wrong.
        detail: String,
        /// The raw body.
        raw: String,
    },
}

impl From<MngError> for Error {
    fn from(e: MngError) -> Error {
        match e {
            MngError::Api {
                http_status: status @ (401 | 403),
                code,
                description,
            } => Error::Auth {
                code: Code::AuthFailed,
                carrier: Some(CarrierId::Mng),
                detail: format!("HTTP {status} [{code}] {description}"),
            },
            MngError::Api {
                code, description, ..
            } => Error::CarrierRejected {
                code: if code == DUPLICATE_ORDER {
                    Code::CarrierDuplicate
                } else {
                    Code::CarrierRejected
                },
                carrier: CarrierId::Mng,
                carrier_code: code,
                carrier_message: description,
            },
            MngError::Gateway {
                http_status,
                http_message,
                more_information,
            } => match http_status {
                401 | 403 => Error::Auth {
                    code: Code::AuthFailed,
                    carrier: Some(CarrierId::Mng),
                    detail: format!("HTTP {http_status} {http_message}: {more_information}"),
                },
                429 => Error::RateLimited {
                    code: Code::RateLimited,
                    carrier: Some(CarrierId::Mng),
                    retry_after_ms: None,
                },
                s => Error::Transport {
                    code: Code::TransportHttpStatus,
                    carrier: Some(CarrierId::Mng),
                    send_state: SendState::Sent,
                    http_status: Some(s),
                    detail: format!("HTTP {s} {http_message}: {more_information}"),
                },
            },
            MngError::Legacy { code, text } if LEGACY_AUTH_CODES.contains(&code.as_str()) => {
                Error::Auth {
                    code: Code::AuthFailed,
                    carrier: Some(CarrierId::Mng),
                    detail: text,
                }
            }
            MngError::Legacy { code, text } => Error::rejected(CarrierId::Mng, code, text),
            MngError::Malformed { detail, raw } => {
                Error::protocol(Some(CarrierId::Mng), detail, raw)
            }
        }
    }
}

/// A transport error for an unexpected HTTP status without an MNG envelope.
pub fn http_status(status: u16, body: &str) -> Error {
    let snippet: String = body.chars().take(200).collect();
    Error::Transport {
        code: Code::TransportHttpStatus,
        carrier: Some(CarrierId::Mng),
        send_state: SendState::Sent,
        http_status: Some(status),
        detail: format!("HTTP {status}: {snippet}"),
    }
}

/// A malformed-answer error keeping `raw`.
pub fn malformed(detail: impl Into<String>, raw: impl Into<String>) -> Error {
    MngError::Malformed {
        detail: detail.into(),
        raw: raw.into(),
    }
    .into()
}

/// True for MNG's "this referenceId already has an order" answer.
pub fn is_duplicate(e: &Error) -> bool {
    e.code() == Code::CarrierDuplicate
}

/// True for a definite business refusal (the carrier read the request and said no).
pub fn is_rejection(e: &Error) -> bool {
    matches!(e, Error::CarrierRejected { .. })
}

/// The failure of `createbarcode` after `createOrder` succeeded, as the caller must see it: the
/// order exists under the merchant key, so an undecided failure (an HTTP error status without
/// an MNG envelope, a lost connection, a timeout) is **maybe sent** — reconcile by
/// `referenceId`, never fail over. Definite answers (rejections, auth, rate limits) and
/// errors that are already maybe-sent are returned unchanged.
pub fn after_order(e: Error) -> Error {
    match e {
        Error::Transport {
            code,
            carrier,
            send_state: SendState::Sent | SendState::NotSent,
            http_status,
            detail,
        } => Error::Transport {
            code,
            carrier,
            send_state: SendState::MaybeSent,
            http_status,
            detail: format!("createbarcode after createOrder: {detail}"),
        },
        Error::Timeout {
            code,
            carrier,
            send_state: SendState::NotSent,
            detail,
        } => Error::Timeout {
            code,
            carrier,
            send_state: SendState::MaybeSent,
            detail: format!("createbarcode after createOrder: {detail}"),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(status: u16, code: &str) -> Error {
        MngError::Api {
            http_status: status,
            code: code.into(),
            description: "x".into(),
        }
        .into()
    }

    #[test]
    fn api_codes_keep_the_carrier_code_and_3002_is_a_duplicate() {
        let e = api(500, DUPLICATE_ORDER);
        assert_eq!(e.code(), Code::CarrierDuplicate);
        assert_eq!(e.carrier_code(), Some("3002"));
        assert!(is_duplicate(&e));
        let e = api(400, BRANCH_NOT_FOUND);
        assert_eq!(
            (e.code(), e.carrier_code()),
            (Code::CarrierRejected, Some("20001"))
        );
        assert!(is_rejection(&e));
        assert_eq!(e.send_state(), Some(SendState::Sent));
        assert!(!e.is_maybe_sent());
        assert_eq!(api(401, "X").code(), Code::AuthFailed);
        assert!(e.message_tr().starts_with("Taşıyıcı isteği reddetti"));
    }

    #[test]
    fn gateway_and_legacy_errors() {
        let g = |s: u16| -> Error {
            MngError::Gateway {
                http_status: s,
                http_message: "m".into(),
                more_information: "i".into(),
            }
            .into()
        };
        assert_eq!(g(401).code(), Code::AuthFailed);
        assert_eq!(g(429).code(), Code::RateLimited);
        assert_eq!(g(404).code(), Code::TransportHttpStatus);
        let l = |c: &str| -> Error {
            MngError::Legacy {
                code: c.into(),
                text: format!("{c}:t"),
            }
            .into()
        };
        assert_eq!(l("E003").code(), Code::AuthFailed);
        assert_eq!(l("E014").carrier_code(), Some("E014"));
        assert_eq!(l(LEGACY_REFUSED).code(), Code::CarrierRejected);
        let m = malformed("d", "{oops");
        assert_eq!(
            (m.code(), m.raw()),
            (Code::ProtocolMalformed, Some("{oops"))
        );
        assert!(m.is_maybe_sent());
    }

    #[test]
    fn a_barcode_failure_after_the_order_is_maybe_sent_unless_definite() {
        let e = after_order(http_status(502, "bad gateway"));
        assert_eq!(e.send_state(), Some(SendState::MaybeSent));
        assert_eq!(e.code(), Code::TransportHttpStatus);
        let t = after_order(Error::Timeout {
            code: Code::TransportTimeout,
            carrier: Some(CarrierId::Mng),
            send_state: SendState::NotSent,
            detail: "connect".into(),
        });
        assert!(t.is_maybe_sent());
        let r = after_order(api(400, BRANCH_NOT_FOUND));
        assert_eq!(r.code(), Code::CarrierRejected);
        assert!(!r.is_maybe_sent());
    }
}
