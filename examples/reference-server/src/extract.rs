//! Extractors that turn bad input into coded errors with field paths: [`ApiJson`] (body size
//! limit, content type, malformed JSON, unknown fields, wrong types and bad enum values, with
//! the path of the offending field) and [`ApiQuery`] (query strings).

use crate::error::{ApiError, ServerError};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use kargojet::error::Code;
use serde::de::DeserializeOwned;

/// A JSON body, parsed with the path of the first bad field.
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

/// Reads a request's body as bytes, mapping the size limit to `request.body_too_large`.
pub async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, ApiError> {
    let limit = req
        .extensions()
        .get::<crate::middleware::BodyLimit>()
        .map_or(0, |b| b.0);
    Bytes::from_request(req, state).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ServerError::BodyTooLarge { limit }.into()
        } else {
            ServerError::bad_input(Code::RequestMalformedBody, "body", e.body_text()).into()
        }
    })
}

fn is_json(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or("");
            if !is_json(ct) {
                return Err(ServerError::bad_input(
                    Code::RequestUnsupportedMediaType,
                    "Content-Type",
                    "the body must be application/json",
                )
                .into());
            }
        }
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The body of an operation that takes none: an empty body or `{}` passes; anything else is
/// refused (`request.unknown_field` with the key's path, `request.invalid_value` for a
/// non-object, 415 for a body that is not JSON), so options a caller sends are never silently
/// ignored.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoBody;

/// What a [`NoBody`] body may hold: nothing.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Nothing {}

impl<S: Send + Sync> FromRequest<S> for NoBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let content_type = req
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap_or("").to_string());
        let bytes = body_bytes(req, state).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(NoBody);
        }
        if content_type.as_deref().is_some_and(|ct| !is_json(ct)) {
            return Err(ServerError::bad_input(
                Code::RequestUnsupportedMediaType,
                "Content-Type",
                "this operation takes no body (or an empty JSON object)",
            )
            .into());
        }
        let _: Nothing = parse_json(&bytes)?;
        Ok(NoBody)
    }
}

/// Parses JSON into `T`, naming the field of the first problem.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ServerError::bad_input(
            Code::RequestMalformedBody,
            "body",
            "the body is empty; a JSON object is expected",
        )
        .into());
    }
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(ServerError::bad_input(
            Code::RequestInvalidValue,
            "body",
            "a JSON object is expected",
        )
        .into());
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize::<_, T>(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        classify(&path, &inner)
    })?;
    de.end().map_err(|e| classify(".", &e))?;
    Ok(value)
}

fn field_path(path: &str) -> String {
    if path == "." || path.is_empty() {
        "body".to_string()
    } else {
        path.to_string()
    }
}

fn classify(path: &str, e: &serde_json::Error) -> ApiError {
    use serde_json::error::Category;
    let msg = e.to_string();
    let field = field_path(path);
    let (code, field) = match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => {
            (Code::RequestMalformedBody, "body".to_string())
        }
        // The path already ends with the unknown key.
        Category::Data if msg.starts_with("unknown field") => (Code::RequestUnknownField, field),
        Category::Data if msg.starts_with("missing field") => {
            let key = msg
                .split('`')
                .nth(1)
                .map(|k| {
                    if field == "body" {
                        k.to_string()
                    } else {
                        format!("{field}.{k}")
                    }
                })
                .unwrap_or(field);
            (Code::RequestMissingField, key)
        }
        Category::Data => (Code::RequestInvalidValue, field),
    };
    // serde's messages name types and positions, never other values of the body.
    let detail = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    ServerError::bad_input(code, field, detail).into()
}

/// A query string, parsed with the name of the bad parameter.
#[derive(Debug, Clone)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        parse_query(q).map(ApiQuery)
    }
}

/// Parses a query string into `T`.
pub fn parse_query<T: DeserializeOwned>(q: &str) -> Result<T, ApiError> {
    serde_urlencoded::from_str::<T>(q).map_err(|e| {
        let msg = e.to_string();
        let field = msg
            .split('`')
            .nth(1)
            .map(str::to_string)
            .unwrap_or_else(|| "query".into());
        let code = if msg.starts_with("unknown field") {
            Code::RequestUnknownField
        } else if msg.starts_with("missing field") {
            Code::RequestMissingField
        } else {
            Code::RequestInvalidValue
        };
        let field = if code == Code::RequestInvalidValue {
            "query".to_string()
        } else {
            format!("query.{field}")
        };
        ServerError::bad_input(code, field, msg).into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
        kind: Kind,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        A,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    fn code_and_field(body: &str) -> (String, Option<String>) {
        match parse_json::<Outer>(body.as_bytes()) {
            Ok(_) => ("ok".into(), None),
            Err(e) => (e.0.code().to_string(), e.0.field().map(str::to_string)),
        }
    }

    #[test]
    fn bad_json_is_coded_with_its_field() {
        assert_eq!(
            code_and_field(r#"{"items": [{"n": 1, "kind": "a"}]}"#).0,
            "ok"
        );
        assert_eq!(
            code_and_field(r#"{"items": [{"n": 1, "kind": "a"}, {"n": "x", "kind": "a"}]}"#),
            ("request.invalid_value".into(), Some("items[1].n".into()))
        );
        assert_eq!(
            code_and_field(r#"{"items": [{"n": 1, "kind": "b"}]}"#),
            ("request.invalid_value".into(), Some("items[0].kind".into()))
        );
        assert_eq!(
            code_and_field(r#"{"items": [{"n": 1, "kind": "a", "x": 1}]}"#),
            ("request.unknown_field".into(), Some("items[0].x".into()))
        );
        assert_eq!(
            code_and_field(r#"{"items": [{"n": 1}]}"#),
            ("request.missing_field".into(), Some("items[0].kind".into()))
        );
        assert_eq!(code_and_field(r#"{"items": ["#).0, "request.malformed_body");
        assert_eq!(code_and_field("").0, "request.malformed_body");
        assert_eq!(
            code_and_field(r#"{"items": []} trailing"#).0,
            "request.malformed_body"
        );
    }

    #[test]
    fn an_empty_body_holds_nothing() {
        assert!(parse_json::<Nothing>(b"{}").is_ok());
        assert!(parse_json::<Nothing>(b" { } ").is_ok());
        let e = parse_json::<Nothing>(br#"{"force": true}"#).err();
        assert_eq!(
            e.as_ref()
                .map(|e| (e.0.code().to_string(), e.0.field().map(str::to_string))),
            Some(("request.unknown_field".into(), Some("force".into())))
        );
        let e = parse_json::<Nothing>(b"[]").err();
        assert_eq!(
            e.map(|e| e.0.code().to_string()).as_deref(),
            Some("request.invalid_value")
        );
    }
}
