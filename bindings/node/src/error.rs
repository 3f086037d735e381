//! Errors across the boundary: every failure reaches JavaScript as a real `Error` object whose
//! `.code` is the stable KargoJet code (`request.invalid_address`), with `.name` naming its kind
//! (`InvalidRequestError`), and `.kind`, `.messageTr`, `.messageEn`, `.field`, `.carrier`,
//! `.carrierCode`, `.retryable` and `.maybeSent` as own properties.
//!
//! napi-rs puts the *status* of a `napi::Error` in `.code`; so the object is built here and
//! handed to napi-rs as a reference ([`napi::Error::from`] an `Unknown`), which it throws (or
//! rejects a promise with) as is.

use kargojet_ffi::{ErrorInfo as FfiErrorInfo, ErrorKind as FfiErrorKind, KargoJetError};
use napi::bindgen_prelude::{JsObjectValue, Object, Unknown};
use napi::{Env, JsValue, Status, ValueType};
use napi_derive::napi;

/// What the caller can do about an error (`error.kind`).
#[napi(string_enum = "snake_case")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

impl From<FfiErrorKind> for ErrorKind {
    fn from(k: FfiErrorKind) -> Self {
        match k {
            FfiErrorKind::InvalidRequest => ErrorKind::InvalidRequest,
            FfiErrorKind::Unsupported => ErrorKind::Unsupported,
            FfiErrorKind::Auth => ErrorKind::Auth,
            FfiErrorKind::RateLimited => ErrorKind::RateLimited,
            FfiErrorKind::CarrierRejected => ErrorKind::CarrierRejected,
            FfiErrorKind::Timeout => ErrorKind::Timeout,
            FfiErrorKind::Transport => ErrorKind::Transport,
            FfiErrorKind::Protocol => ErrorKind::Protocol,
            FfiErrorKind::NotFound => ErrorKind::NotFound,
            FfiErrorKind::Conflict => ErrorKind::Conflict,
            FfiErrorKind::InsufficientFunds => ErrorKind::InsufficientFunds,
            FfiErrorKind::Internal => ErrorKind::Internal,
        }
    }
}

impl From<ErrorKind> for FfiErrorKind {
    fn from(k: ErrorKind) -> Self {
        match k {
            ErrorKind::InvalidRequest => FfiErrorKind::InvalidRequest,
            ErrorKind::Unsupported => FfiErrorKind::Unsupported,
            ErrorKind::Auth => FfiErrorKind::Auth,
            ErrorKind::RateLimited => FfiErrorKind::RateLimited,
            ErrorKind::CarrierRejected => FfiErrorKind::CarrierRejected,
            ErrorKind::Timeout => FfiErrorKind::Timeout,
            ErrorKind::Transport => FfiErrorKind::Transport,
            ErrorKind::Protocol => FfiErrorKind::Protocol,
            ErrorKind::NotFound => FfiErrorKind::NotFound,
            ErrorKind::Conflict => FfiErrorKind::Conflict,
            ErrorKind::InsufficientFunds => FfiErrorKind::InsufficientFunds,
            ErrorKind::Internal => FfiErrorKind::Internal,
        }
    }
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::InvalidRequest,
        ErrorKind::Unsupported,
        ErrorKind::Auth,
        ErrorKind::RateLimited,
        ErrorKind::CarrierRejected,
        ErrorKind::Timeout,
        ErrorKind::Transport,
        ErrorKind::Protocol,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::InsufficientFunds,
        ErrorKind::Internal,
    ];

    /// The `name` of the JS errors of this kind (`InvalidRequestError`).
    pub fn error_name(self) -> &'static str {
        match self {
            ErrorKind::InvalidRequest => "InvalidRequestError",
            ErrorKind::Unsupported => "UnsupportedError",
            ErrorKind::Auth => "AuthError",
            ErrorKind::RateLimited => "RateLimitedError",
            ErrorKind::CarrierRejected => "CarrierRejectedError",
            ErrorKind::Timeout => "TimeoutError",
            ErrorKind::Transport => "TransportError",
            ErrorKind::Protocol => "ProtocolError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::Conflict => "ConflictError",
            ErrorKind::InsufficientFunds => "InsufficientFundsError",
            ErrorKind::Internal => "InternalError",
        }
    }

    /// The snake_case id (`invalid_request`), the value of `error.kind`.
    pub fn id(self) -> &'static str {
        FfiErrorKind::from(self).id()
    }
}

/// Everything an error says, as a plain object (a batch outcome's `error`, a bulk row's).
#[napi(object)]
#[derive(Debug, Clone, PartialEq, Eq)]
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

impl From<FfiErrorInfo> for ErrorInfo {
    fn from(e: FfiErrorInfo) -> Self {
        ErrorInfo {
            kind: e.kind.into(),
            code: e.code,
            message_tr: e.message_tr,
            message_en: e.message_en,
            field: e.field,
            carrier: e.carrier,
            carrier_code: e.carrier_code,
            retryable: e.retryable,
            maybe_sent: e.maybe_sent,
        }
    }
}

impl From<ErrorInfo> for FfiErrorInfo {
    fn from(e: ErrorInfo) -> Self {
        FfiErrorInfo {
            kind: e.kind.into(),
            code: e.code,
            message_tr: e.message_tr,
            message_en: e.message_en,
            field: e.field,
            carrier: e.carrier,
            carrier_code: e.carrier_code,
            retryable: e.retryable,
            maybe_sent: e.maybe_sent,
        }
    }
}

/// The JS `Error` object for `info`: `message` is `"<code>: <English message>"` (as Node's own
/// errors read), every field an own property.
pub fn error_object<'env>(env: &'env Env, info: &FfiErrorInfo) -> napi::Result<Object<'env>> {
    let kind = ErrorKind::from(info.kind);
    let message = format!("{}: {}", info.code, info.message_en);
    let mut obj = env.create_error(napi::Error::new(Status::GenericFailure, message))?;
    obj.set_named_property("code", info.code.as_str())?;
    obj.set_named_property("name", kind.error_name())?;
    obj.set_named_property("kind", kind.id())?;
    obj.set_named_property("messageTr", info.message_tr.as_str())?;
    obj.set_named_property("messageEn", info.message_en.as_str())?;
    obj.set_named_property("field", info.field.as_deref())?;
    obj.set_named_property("carrier", info.carrier.as_deref())?;
    obj.set_named_property("carrierCode", info.carrier_code.as_deref())?;
    obj.set_named_property("retryable", info.retryable)?;
    obj.set_named_property("maybeSent", info.maybe_sent)?;
    Ok(obj)
}

/// `e` as a `napi::Error` that napi-rs throws (or rejects with) as the object of
/// [`error_object`].
pub fn to_napi(env: &Env, e: &KargoJetError) -> napi::Error {
    match error_object(env, &e.info()) {
        Ok(obj) => napi::Error::from(obj.to_unknown()),
        Err(failed) => failed,
    }
}

/// Maps a facade result for a synchronous method.
pub fn sync<T, J>(
    env: &Env,
    r: Result<T, KargoJetError>,
    convert: impl FnOnce(T) -> J,
) -> napi::Result<J> {
    r.map(convert).map_err(|e| to_napi(env, &e))
}

/// The `Error` object every KargoJet call throws for an error with these details: to throw a
/// batch outcome's or a bulk row's `error`, or to build test doubles of KargoJet failures.
/// The kind is recomputed from the code, as the calls do.
#[napi(ts_return_type = "KargoJetError")]
pub fn error_from_info<'env>(env: &'env Env, info: ErrorInfo) -> napi::Result<Object<'env>> {
    let mut info = FfiErrorInfo::from(info);
    info.kind = FfiErrorKind::of_code(&info.code);
    error_object(env, &info)
}

/// Whether `value` is an error thrown by KargoJet (an `Error` with a KargoJet `name`, a string
/// `code` and a known `kind`).
#[napi(
    ts_args_type = "value: unknown",
    ts_return_type = "value is KargoJetError"
)]
pub fn is_kargo_jet_error(value: Unknown<'_>) -> napi::Result<bool> {
    if value.get_type()? != ValueType::Object || !value.is_error()? {
        return Ok(false);
    }
    let obj = value.coerce_to_object()?;
    let text = |key: &str| -> napi::Result<Option<String>> {
        let v: Unknown = obj.get_named_property(key)?;
        if v.get_type()? == ValueType::String {
            Ok(Some(v.coerce_to_string()?.into_utf8()?.into_owned()?))
        } else {
            Ok(None)
        }
    };
    let (Some(name), Some(kind), Some(_code)) = (text("name")?, text("kind")?, text("code")?)
    else {
        return Ok(false);
    };
    Ok(ErrorKind::ALL
        .iter()
        .any(|k| k.id() == kind && k.error_name() == name))
}

/// Every stable error code, in declaration order.
#[napi]
pub fn error_codes() -> Vec<String> {
    kargojet_ffi::error_codes()
}

/// One code of the catalogue: its kind and its messages.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCodeInfo {
    /// Stable dotted code.
    pub code: String,
    /// The kind, and so the `name` of the errors with this code.
    pub kind: ErrorKind,
    /// The `name` of the errors with this code (`InvalidRequestError`).
    pub error_name: String,
    /// The code's message in Turkish.
    pub message_tr: String,
    /// The code's message in English.
    pub message_en: String,
}

/// Every code with its kind, error name and messages (what `errorCodes()` lists, described).
#[napi]
pub fn error_catalog() -> Vec<ErrorCodeInfo> {
    kargojet_ffi::error_catalog()
        .into_iter()
        .map(|c| {
            let kind = ErrorKind::from(c.kind);
            ErrorCodeInfo {
                code: c.code,
                kind,
                error_name: kind.error_name().to_string(),
                message_tr: c.message_tr,
                message_en: c.message_en,
            }
        })
        .collect()
}

/// The kind of a dotted code (unknown codes are `internal`).
#[napi]
pub fn error_kind_of(code: String) -> ErrorKind {
    FfiErrorKind::of_code(&code).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_have_distinct_names() {
        let mut names: Vec<&str> = ErrorKind::ALL.iter().map(|k| k.error_name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorKind::ALL.len());
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from(FfiErrorKind::from(k)), k);
            assert!(k.error_name().ends_with("Error"));
        }
        assert_eq!(ErrorKind::CarrierRejected.id(), "carrier_rejected");
    }

    #[test]
    fn the_catalogue_covers_every_code() {
        let catalog = error_catalog();
        assert_eq!(catalog.len(), error_codes().len());
        for c in catalog {
            assert_eq!(c.kind, error_kind_of(c.code.clone()), "{}", c.code);
            assert_eq!(c.error_name, c.kind.error_name());
        }
    }
}
