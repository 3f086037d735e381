//! Sendeo's failures → the core [`Error`], with the send state each implies.
//!
//! | Sendeo answer | core error | send state / retry |
//! |---|---|---|
//! | HTTP 500 **with** an `ExceptionMessage` (business error, codes 102…703) | `carrier.rejected`, the documented code as `carrier_code` | `Sent`, not retryable, never sent twice |
//! | HTTP 400 (`Bad Request`) | `carrier.rejected`, `carrier_code` `400` | `Sent`, not retryable |
//! | HTTP 500/5xx **without** an `ExceptionMessage` | `transport.http_status` | `Sent`; retried by common's rules on idempotent calls |
//! | HTTP 401/403 on a call | `auth.failed` | the token is refreshed once and the call retried once |
//! | login refused (401/403, or 500 with a message, e.g. a blocked user) | `auth.failed` | never retried; the token cache holds the refusal |
//! | not JSON, not UTF-8, not the envelope | `protocol.malformed` with the raw body | maybe sent |
//!
//! The carrier's code is never promoted to a KargoJet code. The code is read from the body's
//! `StatusCode` when it is a documented one, else from the documented message text (the pairing
//! of the code into `StatusCode` is inferred by the notes), else the body's `StatusCode` as given.

use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, SendState};
use kargojet_core::geo::fold;

/// `carrier_code` of a rejection that carries neither a documented code nor a `StatusCode`.
pub const EXCEPTION_WITHOUT_CODE: &str = "EXCEPTION";
/// The error code of "No Delivery Found." (cancel, track, lookups).
pub const NO_DELIVERY_FOUND: u16 = 702;
/// The error code of "You Cannot Cancel , Delivery Has Already Sent.".
pub const ALREADY_SENT: u16 = 703;

/// Every documented `ExceptionMessage` with its `statusCode`.
pub const DOCUMENTED: &[(u16, &str)] = &[
    (102, "Delivery Reference No Cannot be Null."),
    (103, "Wrong Delivery Type"),
    (104, "Products Cannot Be Null"),
    (105, "Collection Type Not Found"),
    (410, "Product Price Cannot Be Zero."),
    (411, "Payment Type Is Not Correct."),
    (201, "Receiver Cannot Be Null"),
    (202, "Receiver Address Cannot Be Null"),
    (203, "Receiver District Id Cannot Be Zero."),
    (204, "Receiver City Id Cannot Be Zero."),
    (205, "Receiver City Id is Not Correct."),
    (206, "Receiver District Id is Not Correct."),
    (207, "Please Enter Receiver Phone or GSM Number"),
    (301, "Sender Cannot Be Null."),
    (302, "Sender Address Cannot Be Null."),
    (303, "Sender District Id Cannot Be Zero."),
    (304, "Sender City Id Cannot Be Zero."),
    (305, "Sender City Id is Not Correct."),
    (306, "Sender District Id is Not Correct."),
    (307, "Please Enter Sender Phone or GSM Number"),
    (701, "Please Enter Tracking Number or Reference Number."),
    (702, "No Delivery Found."),
    (703, "You Cannot Cancel , Delivery Has Already Sent."),
    (400, "Bad Request"),
];

fn key(message: &str) -> String {
    fold(message)
}

/// The documented message of a code.
pub fn message_of(code: u16) -> Option<&'static str> {
    DOCUMENTED.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
}

/// The documented code of a message (case, punctuation and spacing ignored).
pub fn code_of_message(message: &str) -> Option<u16> {
    let k = key(message);
    if k.is_empty() {
        return None;
    }
    DOCUMENTED
        .iter()
        .find(|(_, m)| key(m) == k)
        .map(|(c, _)| *c)
}

/// The `carrier_code` of a rejection (see the module doc).
pub fn carrier_code(status_code: Option<i64>, message: &str) -> String {
    let documented = status_code
        .and_then(|c| u16::try_from(c).ok())
        .filter(|c| message_of(*c).is_some());
    match documented.or_else(|| code_of_message(message)) {
        Some(c) => c.to_string(),
        None => status_code
            .map(|c| c.to_string())
            .unwrap_or_else(|| EXCEPTION_WITHOUT_CODE.to_string()),
    }
}

/// What went wrong with one Sendeo answer, before it becomes a core [`Error`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendeoError {
    /// An `ExceptionMessage` (HTTP 500, or any status): a business refusal.
    #[error("Sendeo refused [{}]: {message}", carrier_code(*status_code, message))]
    Exception {
        /// `StatusCode` of the body, if any.
        status_code: Option<i64>,
        /// `ExceptionMessage`.
        message: String,
    },
    /// HTTP 401/403 on a call: the token was refused.
    #[error("Sendeo refused the token (HTTP {status})")]
    Unauthorized {
        /// HTTP status.
        status: u16,
    },
    /// The login was refused: wrong credentials, or a blocked user.
    #[error("Sendeo refused the login (HTTP {status}): {message}")]
    LoginRefused {
        /// HTTP status.
        status: u16,
        /// Sendeo's message, if any.
        message: String,
    },
    /// A non-2xx status without Sendeo's envelope.
    #[error("HTTP {status}: {snippet}")]
    HttpStatus {
        /// HTTP status.
        status: u16,
        /// The start of the body.
        snippet: String,
    },
    /// The body is not the JSON Sendeo documents (kept raw).
    #[error("malformed Sendeo answer: {detail}")]
    Malformed {
        /// What is wrong.
        detail: String,
        /// The raw body.
        raw: String,
    },
}

impl SendeoError {
    /// The error for an unexpected status and body.
    pub fn http_status(status: u16, body: &str) -> SendeoError {
        SendeoError::HttpStatus {
            status,
            snippet: body.trim().chars().take(200).collect(),
        }
    }
}

impl From<SendeoError> for Error {
    fn from(e: SendeoError) -> Error {
        match e {
            SendeoError::Exception {
                status_code,
                message,
            } => Error::CarrierRejected {
                code: Code::CarrierRejected,
                carrier: CarrierId::Sendeo,
                carrier_code: carrier_code(status_code, &message),
                carrier_message: message,
            },
            SendeoError::Unauthorized { status } => Error::Auth {
                code: Code::AuthFailed,
                carrier: Some(CarrierId::Sendeo),
                detail: format!("HTTP {status}: token refused"),
            },
            SendeoError::LoginRefused { status, message } => Error::Auth {
                code: Code::AuthFailed,
                carrier: Some(CarrierId::Sendeo),
                detail: format!("login refused (HTTP {status}): {message}"),
            },
            SendeoError::HttpStatus { status, snippet } => Error::Transport {
                code: Code::TransportHttpStatus,
                carrier: Some(CarrierId::Sendeo),
                send_state: SendState::Sent,
                http_status: Some(status),
                detail: format!("HTTP {status}: {snippet}"),
            },
            SendeoError::Malformed { detail, raw } => {
                Error::protocol(Some(CarrierId::Sendeo), detail, raw)
            }
        }
    }
}

/// True for Sendeo's "No Delivery Found." rejection.
pub fn is_no_delivery_found(e: &Error) -> bool {
    e.carrier_code() == Some("702")
}

/// The same failure marked as certainly not sent: for failures of the steps before a call
/// (login, city/district lookup), which mean the call itself never left.
pub fn not_sent(e: Error) -> Error {
    match e {
        Error::Timeout {
            code,
            carrier,
            detail,
            ..
        } => Error::Timeout {
            code,
            carrier,
            send_state: SendState::NotSent,
            detail: format!("before sending: {detail}"),
        },
        Error::Transport {
            code,
            carrier,
            http_status,
            detail,
            ..
        } => Error::Transport {
            code,
            carrier,
            send_state: SendState::NotSent,
            http_status,
            detail: format!("before sending: {detail}"),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_come_from_the_status_code_or_the_message() {
        assert_eq!(
            carrier_code(Some(205), "Receiver City Id is Not Correct."),
            "205"
        );
        assert_eq!(
            carrier_code(Some(500), "receiver city id is not correct"),
            "205"
        );
        assert_eq!(
            carrier_code(None, "You Cannot Cancel, Delivery Has Already Sent"),
            "703"
        );
        assert_eq!(carrier_code(Some(500), "Something else"), "500");
        assert_eq!(carrier_code(None, "Something else"), EXCEPTION_WITHOUT_CODE);
        for (c, m) in DOCUMENTED {
            assert_eq!(code_of_message(m), Some(*c), "{m}");
            assert_eq!(message_of(*c), Some(*m));
        }
    }

    #[test]
    fn send_states_and_retry() {
        let e: Error = SendeoError::Exception {
            status_code: Some(206),
            message: "Receiver District Id is Not Correct.".into(),
        }
        .into();
        assert_eq!(
            (e.code(), e.carrier_code(), e.send_state(), e.is_retryable()),
            (
                Code::CarrierRejected,
                Some("206"),
                Some(SendState::Sent),
                false
            )
        );
        assert!(!e.is_maybe_sent());
        let e: Error = SendeoError::http_status(500, "<html>oops</html>").into();
        assert_eq!(
            (e.code(), e.send_state(), e.is_retryable()),
            (Code::TransportHttpStatus, Some(SendState::Sent), true)
        );
        let e: Error = SendeoError::LoginRefused {
            status: 401,
            message: "blocked".into(),
        }
        .into();
        assert_eq!(e.code(), Code::AuthFailed);
        assert!(!e.is_retryable());
        let e: Error = SendeoError::Malformed {
            detail: "d".into(),
            raw: "{x".into(),
        }
        .into();
        assert_eq!((e.code(), e.raw()), (Code::ProtocolMalformed, Some("{x")));
        let t = not_sent(Error::Timeout {
            code: Code::TransportTimeout,
            carrier: None,
            send_state: SendState::MaybeSent,
            detail: "x".into(),
        });
        assert_eq!(t.send_state(), Some(SendState::NotSent));
        assert!(!t.is_maybe_sent());
    }
}
