//! Errors: [`ServerError`] (this crate's own failures) maps onto the library's
//! [`kargojet::Error`] with its stable codes; [`ApiError`] renders any of them as the JSON error
//! body with the HTTP status, the message in the caller's language (`Accept-Language`), the
//! field path and the request id.

use crate::request_ctx;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kargojet::error::{Code, Error};
use serde::Serialize;
use utoipa::ToSchema;

/// This crate's failures, each mapped to a library error code.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// No credentials, or credentials that are not valid.
    #[error("authentication failed: {0}")]
    Unauthenticated(String),
    /// A session token that has expired.
    #[error("session expired")]
    SessionExpired,
    /// The role does not have the permission.
    #[error("role {role} lacks permission {permission}")]
    Forbidden {
        /// The caller's role.
        role: &'static str,
        /// The permission the route needs.
        permission: &'static str,
    },
    /// An object of another company, or none at all (never tells which).
    #[error("{what} not found")]
    NotFound {
        /// What kind of object.
        what: &'static str,
        /// Its code (`not_found.shipment` for shipments, `not_found.resource` otherwise).
        code: Code,
    },
    /// A request body or parameter that could not be read.
    #[error("{field}: {detail}")]
    BadInput {
        /// The code.
        code: Code,
        /// The field path.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// A body larger than allowed.
    #[error("body larger than {limit} bytes")]
    BodyTooLarge {
        /// The limit.
        limit: usize,
    },
    /// A database failure.
    #[error("store: {0}")]
    Store(String),
    /// Configuration that cannot be used.
    #[error("configuration: {field}: {detail}")]
    Config {
        /// The setting.
        field: String,
        /// What is wrong.
        detail: String,
    },
    /// Anything else that should not happen.
    #[error("internal: {0}")]
    Internal(String),
}

impl ServerError {
    /// A `not_found.resource` error for `what`.
    pub fn not_found(what: &'static str) -> ServerError {
        ServerError::NotFound {
            what,
            code: Code::NotFoundResource,
        }
    }

    /// A bad-input error.
    pub fn bad_input(code: Code, field: impl Into<String>, detail: impl Into<String>) -> Self {
        ServerError::BadInput {
            code,
            field: field.into(),
            detail: detail.into(),
        }
    }
}

impl From<ServerError> for Error {
    fn from(e: ServerError) -> Error {
        match e {
            ServerError::Unauthenticated(detail) => Error::Auth {
                code: Code::AuthFailed,
                carrier: None,
                detail,
            },
            ServerError::SessionExpired => Error::Auth {
                code: Code::AuthExpired,
                carrier: None,
                detail: "the session token expired; log in again".into(),
            },
            ServerError::Forbidden { role, permission } => Error::Auth {
                code: Code::AuthForbidden,
                carrier: None,
                detail: format!("role '{role}' does not have '{permission}'"),
            },
            ServerError::NotFound { what, code } => Error::not_found(code, what),
            ServerError::BadInput {
                code,
                field,
                detail,
            } => Error::invalid(code, field, detail),
            ServerError::BodyTooLarge { limit } => Error::invalid(
                Code::RequestBodyTooLarge,
                "body",
                format!("at most {limit} bytes are accepted"),
            ),
            ServerError::Store(detail) => Error::Internal {
                code: Code::StoreFailed,
                detail,
            },
            ServerError::Config { field, detail } => {
                Error::invalid(Code::RequestInvalidConfig, field, detail)
            }
            ServerError::Internal(detail) => Error::internal(detail),
        }
    }
}

/// An error on its way to the client.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        ApiError(e)
    }
}

impl From<ServerError> for ApiError {
    fn from(e: ServerError) -> Self {
        ApiError(e.into())
    }
}

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

/// The JSON error body.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// One error.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable dotted code (`request.invalid_address`); see `kargojet::error_codes()`.
    #[schema(example = "request.unknown_district")]
    pub code: String,
    /// The message in the language asked for with `Accept-Language` (Turkish by default).
    pub message: String,
    /// The message in Turkish.
    pub message_tr: String,
    /// The message in English.
    pub message_en: String,
    /// Path of the offending field, for invalid input (`shipment.recipient.address.district`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub field: Option<String>,
    /// The carrier involved, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub carrier: Option<String>,
    /// The carrier's own error code, for carrier rejections.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub carrier_code: Option<String>,
    /// The id of the request (also in the `X-Request-Id` header).
    pub request_id: String,
}

/// The HTTP status of a library error.
pub fn status_of(e: &Error) -> StatusCode {
    match e.code() {
        Code::RequestBodyTooLarge => return StatusCode::PAYLOAD_TOO_LARGE,
        Code::WebhookInvalidSignature => return StatusCode::UNAUTHORIZED,
        Code::RequestUnsupportedMediaType => return StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Code::RequestMethodNotAllowed => return StatusCode::METHOD_NOT_ALLOWED,
        Code::RequestMalformedBody
        | Code::RequestUnknownField
        | Code::RequestMissingField
        | Code::RequestInvalidValue => return StatusCode::BAD_REQUEST,
        Code::QuoteNoOffer => return StatusCode::UNPROCESSABLE_ENTITY,
        Code::ShipmentUnreconciled => return StatusCode::SERVICE_UNAVAILABLE,
        _ => {}
    }
    match e {
        Error::InvalidRequest { .. } | Error::Unsupported { .. } => {
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Error::Auth {
            carrier: None,
            code,
            ..
        } if *code == Code::AuthForbidden => StatusCode::FORBIDDEN,
        Error::Auth { carrier: None, .. } => StatusCode::UNAUTHORIZED,
        // The carrier refused the platform's or the seller's carrier credentials.
        Error::Auth { .. } => StatusCode::BAD_GATEWAY,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::CarrierRejected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Timeout { .. } => StatusCode::GATEWAY_TIMEOUT,
        Error::Transport { .. } | Error::Protocol { .. } => StatusCode::BAD_GATEWAY,
        Error::NotFound { .. } => StatusCode::NOT_FOUND,
        Error::Conflict { .. } => StatusCode::CONFLICT,
        Error::InsufficientFunds { .. } => StatusCode::PAYMENT_REQUIRED,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl ApiError {
    /// The body for this error in the current request's language.
    pub fn body(&self) -> ErrorBody {
        let ctx = request_ctx::current();
        let e = &self.0;
        let (tr, en) = (e.message_tr(), e.message_en());
        let message = match ctx.lang {
            crate::lang::Lang::Tr => tr.clone(),
            crate::lang::Lang::En => en.clone(),
        };
        ErrorBody {
            error: ErrorDetail {
                code: e.code().as_str().to_string(),
                message,
                message_tr: tr,
                message_en: en,
                field: e.field().map(str::to_string),
                carrier: e.carrier().map(|c| c.as_str().to_string()),
                carrier_code: e.carrier_code().map(str::to_string),
                request_id: ctx.request_id,
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let body = self.body();
        // Codes and field paths only: details may quote personal data.
        if status.is_server_error() {
            tracing::error!(code = %self.0.code(), field = ?self.0.field(), "request failed");
        } else {
            tracing::info!(code = %self.0.code(), field = ?self.0.field(), status = status.as_u16(), "request refused");
        }
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"kargojet\""),
            );
        }
        if let Error::RateLimited {
            retry_after_ms: Some(ms),
            ..
        } = &self.0
        {
            let secs = ms.div_ceil(1000).max(1).to_string();
            if let Ok(v) = HeaderValue::from_str(&secs) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_what_the_caller_can_do() {
        let cases: Vec<(Error, u16)> = vec![
            (ServerError::Unauthenticated("x".into()).into(), 401),
            (ServerError::SessionExpired.into(), 401),
            (
                ServerError::Forbidden {
                    role: "finance",
                    permission: "shipments:create",
                }
                .into(),
                403,
            ),
            (ServerError::not_found("api key").into(), 404),
            (ServerError::BodyTooLarge { limit: 10 }.into(), 413),
            (
                ServerError::bad_input(Code::RequestUnknownField, "x", "y").into(),
                400,
            ),
            (
                Error::invalid(Code::RequestUnknownDistrict, "recipient", "x"),
                422,
            ),
            (Error::conflict(Code::RequestIdempotencyMismatch, "k"), 409),
            (
                Error::InsufficientFunds {
                    code: Code::WalletInsufficientFunds,
                    detail: String::new(),
                },
                402,
            ),
            (ServerError::Store("db".into()).into(), 500),
        ];
        for (e, status) in cases {
            assert_eq!(status_of(&e).as_u16(), status, "{e:?}");
        }
    }
}
