//! `KargoJetError`, the one error every binding sees: the stable dotted code, Turkish and
//! English messages, the field path, the carrier and its own code, and whether the call may be
//! retried or may have reached the carrier.
//!
//! The variant (the error's *kind*) is decided by the code alone ([`ErrorKind::of_code`]), so
//! every binding maps every code of [`error_codes`] to the same error type.

use kargojet::error::{Code, Error};

/// What the caller can do about an error; one variant of [`KargoJetError`] per kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, uniffi::Enum)]
pub enum ErrorKind {
    /// The input is wrong (`request.*`, `policy.*`, `label.*`, `bulk.*`, `webhook.*`, …).
    InvalidRequest,
    /// The carrier or KargoJet does not offer this (`unsupported.*`).
    Unsupported,
    /// Credentials were rejected or expired (`auth.*`).
    Auth,
    /// The carrier asked to slow down (`rate.*`).
    RateLimited,
    /// The carrier answered with a business error (`carrier.*`).
    CarrierRejected,
    /// The carrier did not answer in time (`transport.timeout`).
    Timeout,
    /// The connection failed or the HTTP status was unexpected (`transport.*`).
    Transport,
    /// The carrier's answer could not be understood (`protocol.*`).
    Protocol,
    /// Something is not known (`not_found.*`, `quote.no_offer`, wallet lookups).
    NotFound,
    /// The state does not allow it (`shipment.*`, wallet holds and transfers).
    Conflict,
    /// Not enough money in the wallet.
    InsufficientFunds,
    /// A bug or a failing store (`internal.*`, `store.*`).
    Internal,
}

impl ErrorKind {
    /// The kind of a dotted code. New codes fall in by their prefix.
    pub fn of_code(code: &str) -> ErrorKind {
        match code {
            "transport.timeout" => return ErrorKind::Timeout,
            "quote.no_offer"
            | "wallet.unknown_account"
            | "wallet.hold_not_found"
            | "wallet.transfer_not_found" => return ErrorKind::NotFound,
            "wallet.insufficient_funds" | "wallet.credit_limit_exceeded" => {
                return ErrorKind::InsufficientFunds;
            }
            "wallet.non_positive_amount" | "wallet.invalid_transfer" => {
                return ErrorKind::InvalidRequest;
            }
            _ => {}
        }
        let prefix = code.split('.').next().unwrap_or("");
        match prefix {
            "request" | "policy" | "label" | "bulk" | "webhook" => ErrorKind::InvalidRequest,
            "unsupported" => ErrorKind::Unsupported,
            "auth" => ErrorKind::Auth,
            "rate" => ErrorKind::RateLimited,
            "carrier" => ErrorKind::CarrierRejected,
            "transport" => ErrorKind::Transport,
            "protocol" => ErrorKind::Protocol,
            "not_found" => ErrorKind::NotFound,
            "shipment" | "wallet" => ErrorKind::Conflict,
            _ => ErrorKind::Internal,
        }
    }

    /// The snake_case name (`invalid_request`), as the bindings spell it in their docs.
    pub fn id(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "invalid_request",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Auth => "auth",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::CarrierRejected => "carrier_rejected",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Transport => "transport",
            ErrorKind::Protocol => "protocol",
            ErrorKind::NotFound => "not_found",
            ErrorKind::Conflict => "conflict",
            ErrorKind::InsufficientFunds => "insufficient_funds",
            ErrorKind::Internal => "internal",
        }
    }
}

/// Everything an error says, as a plain record (for batch results and bulk rows, where an
/// error is a value rather than a thrown exception).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorInfo {
    /// What the caller can do.
    pub kind: ErrorKind,
    /// Stable dotted code, e.g. `request.invalid_address`.
    pub code: String,
    /// Message in Turkish, with the details.
    pub message_tr: String,
    /// Message in English, with the details.
    pub message_en: String,
    /// Path of the offending field, for invalid requests (`recipient.address.line`).
    pub field: Option<String>,
    /// The carrier involved (`yurtici`), if any.
    pub carrier: Option<String>,
    /// The carrier's own error code, for carrier rejections (never a KargoJet code).
    pub carrier_code: Option<String>,
    /// Whether the same call may succeed if repeated.
    pub retryable: bool,
    /// Whether the request may have reached the carrier with an unknown effect.
    pub maybe_sent: bool,
}

impl From<&Error> for ErrorInfo {
    fn from(e: &Error) -> Self {
        let code = e.code().as_str();
        ErrorInfo {
            kind: ErrorKind::of_code(code),
            code: code.to_string(),
            message_tr: e.message_tr(),
            message_en: e.message_en(),
            field: e.field().map(str::to_string),
            carrier: e.carrier().map(|c| c.as_str().to_string()),
            carrier_code: e.carrier_code().map(str::to_string),
            retryable: e.is_retryable(),
            maybe_sent: e.is_maybe_sent(),
        }
    }
}

macro_rules! kargojet_error {
    ($( $(#[$doc:meta])* $variant:ident ),* $(,)?) => {
        /// The error of every facade call. Each variant is one [`ErrorKind`] and carries the
        /// same fields.
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
        pub enum KargoJetError {
            $(
                $(#[$doc])*
                #[error("{code}: {message_en}")]
                $variant {
                    /// Stable dotted code.
                    code: String,
                    /// Message in Turkish.
                    message_tr: String,
                    /// Message in English.
                    message_en: String,
                    /// Path of the offending field, for invalid requests.
                    field: Option<String>,
                    /// The carrier involved, if any.
                    carrier: Option<String>,
                    /// The carrier's own error code, if any.
                    carrier_code: Option<String>,
                    /// Whether the same call may succeed if repeated.
                    retryable: bool,
                    /// Whether the request may have reached the carrier.
                    maybe_sent: bool,
                },
            )*
        }

        impl KargoJetError {
            /// The error with these details, its variant chosen by `info.kind`.
            pub fn from_info(info: ErrorInfo) -> KargoJetError {
                let ErrorInfo { kind, code, message_tr, message_en, field, carrier, carrier_code, retryable, maybe_sent } = info;
                match kind {
                    $( ErrorKind::$variant => KargoJetError::$variant {
                        code, message_tr, message_en, field, carrier, carrier_code, retryable, maybe_sent,
                    }, )*
                }
            }

            /// The details as a record.
            pub fn info(&self) -> ErrorInfo {
                match self {
                    $( KargoJetError::$variant { code, message_tr, message_en, field, carrier, carrier_code, retryable, maybe_sent } => ErrorInfo {
                        kind: ErrorKind::$variant,
                        code: code.clone(),
                        message_tr: message_tr.clone(),
                        message_en: message_en.clone(),
                        field: field.clone(),
                        carrier: carrier.clone(),
                        carrier_code: carrier_code.clone(),
                        retryable: *retryable,
                        maybe_sent: *maybe_sent,
                    }, )*
                }
            }

            /// The stable dotted code.
            pub fn code(&self) -> &str {
                match self {
                    $( KargoJetError::$variant { code, .. } => code, )*
                }
            }
        }
    };
}

kargojet_error! {
    /// The input is wrong; fix the named field.
    InvalidRequest,
    /// Not offered by the carrier or by KargoJet.
    Unsupported,
    /// Credentials were rejected or expired.
    Auth,
    /// The carrier asked to slow down.
    RateLimited,
    /// The carrier answered with a business error.
    CarrierRejected,
    /// The carrier did not answer in time.
    Timeout,
    /// The connection failed or the HTTP status was unexpected.
    Transport,
    /// The carrier's answer could not be understood.
    Protocol,
    /// Something is not known.
    NotFound,
    /// The state does not allow the operation.
    Conflict,
    /// Not enough money in the wallet.
    InsufficientFunds,
    /// A bug or a failing store.
    Internal,
}

impl KargoJetError {
    /// What the caller can do.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::of_code(self.code())
    }

    /// An invalid-request error for `field` of a facade record (bad decimal, unknown enum
    /// value, …), with the code's Turkish and English messages.
    pub fn invalid(code: Code, field: &str, detail: impl Into<String>) -> KargoJetError {
        KargoJetError::from(Error::invalid(code, field, detail))
    }

    /// An internal error.
    pub fn internal(detail: impl Into<String>) -> KargoJetError {
        KargoJetError::from(Error::internal(detail))
    }
}

impl From<Error> for KargoJetError {
    fn from(e: Error) -> Self {
        KargoJetError::from_info(ErrorInfo::from(&e))
    }
}

impl From<&Error> for KargoJetError {
    fn from(e: &Error) -> Self {
        KargoJetError::from_info(ErrorInfo::from(e))
    }
}

/// One code of the catalogue: its kind and its messages.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct ErrorCodeInfo {
    /// Stable dotted code.
    pub code: String,
    /// The error kind (and so the error type) every binding raises for it.
    pub kind: ErrorKind,
    /// The code's message in Turkish.
    pub message_tr: String,
    /// The code's message in English.
    pub message_en: String,
}

/// Every stable error code, in declaration order.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    kargojet::error::error_codes()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// Every code with its kind and messages (what [`error_codes`] lists, described).
#[uniffi::export]
pub fn error_catalog() -> Vec<ErrorCodeInfo> {
    Code::ALL
        .iter()
        .map(|c| ErrorCodeInfo {
            code: c.as_str().to_string(),
            kind: ErrorKind::of_code(c.as_str()),
            message_tr: c.message_tr().to_string(),
            message_en: c.message_en().to_string(),
        })
        .collect()
}

/// The kind of a dotted code (unknown codes are `Internal`).
#[uniffi::export]
pub fn error_kind_of(code: String) -> ErrorKind {
    ErrorKind::of_code(&code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet::carrier::CarrierId;
    use kargojet::error::SendState;

    #[test]
    fn every_code_has_a_kind_that_round_trips_through_the_error() {
        for code in Code::ALL {
            let e = KargoJetError::from(Error::not_found(*code, "x"));
            assert_eq!(e.code(), code.as_str());
            assert_eq!(e.kind(), ErrorKind::of_code(code.as_str()));
            assert_eq!(KargoJetError::from_info(e.info()), e);
        }
        assert_eq!(error_codes().len(), Code::ALL.len());
        assert_eq!(error_catalog().len(), Code::ALL.len());
    }

    #[test]
    fn kinds_follow_the_code_families() {
        let k = |c: &str| ErrorKind::of_code(c);
        assert_eq!(k("request.invalid_address"), ErrorKind::InvalidRequest);
        assert_eq!(k("policy.excluded"), ErrorKind::InvalidRequest);
        assert_eq!(k("bulk.empty_file"), ErrorKind::InvalidRequest);
        assert_eq!(k("transport.timeout"), ErrorKind::Timeout);
        assert_eq!(k("transport.connection"), ErrorKind::Transport);
        assert_eq!(k("carrier.rejected"), ErrorKind::CarrierRejected);
        assert_eq!(k("quote.no_offer"), ErrorKind::NotFound);
        assert_eq!(k("wallet.insufficient_funds"), ErrorKind::InsufficientFunds);
        assert_eq!(k("wallet.hold_voided"), ErrorKind::Conflict);
        assert_eq!(k("internal.error"), ErrorKind::Internal);
        assert_eq!(k("something.new"), ErrorKind::Internal);
    }

    #[test]
    fn a_carrier_rejection_keeps_the_carrier_and_its_code() {
        let e = KargoJetError::from(Error::rejected(CarrierId::Aras, "1002", "şube yok"));
        let info = e.info();
        assert!(matches!(e, KargoJetError::CarrierRejected { .. }));
        assert_eq!(info.code, "carrier.rejected");
        assert_eq!(info.carrier.as_deref(), Some("aras"));
        assert_eq!(info.carrier_code.as_deref(), Some("1002"));
        assert!(!info.retryable && !info.maybe_sent);
        assert!(info.message_tr.starts_with("Taşıyıcı isteği reddetti"));

        let t = KargoJetError::from(Error::Timeout {
            code: Code::TransportTimeout,
            carrier: Some(CarrierId::Yurtici),
            send_state: SendState::MaybeSent,
            detail: "create after 20 s".into(),
        });
        assert!(matches!(
            t,
            KargoJetError::Timeout {
                retryable: true,
                maybe_sent: true,
                ..
            }
        ));
    }
}
