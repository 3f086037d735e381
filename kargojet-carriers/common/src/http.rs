//! One HTTP client per carrier: per-operation timeouts, retries with backoff and jitter for
//! operations that are safe to repeat, `Retry-After`, error classification with send state, and
//! capture of the last exchanges.
//!
//! ```no_run
//! use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest};
//! use kargojet_carrier_common::soap::{envelope, SoapVersion};
//! use kargojet_core::carrier::CarrierId;
//!
//! # async fn demo() -> Result<(), kargojet_core::Error> {
//! let http = CarrierHttp::new(CarrierId::Yurtici, HttpConfig::default())?;
//! let env = envelope(SoapVersion::V11, None, "<ship:queryShipment xmlns:ship=\"urn:x\"/>");
//! let req = OutgoingRequest::post("queryShipment", "http://127.0.0.1:8080/ws")
//!     .soap(SoapVersion::V11, "", env)
//!     .idempotent(); // tracking: safe to retry
//! let resp = http.send(req).await?; // Ok for any HTTP status
//! resp.check_status(http.carrier())?; // 401/403 → auth, 429 → rate limited, 5xx → transport
//! println!("{}", resp.text());
//! # Ok(()) }
//! ```

use crate::capture::{CaptureRing, Exchange};
use crate::classify::{Phase, classify};
use crate::soap::SoapVersion;
use backon::{BackoffBuilder, ExponentialBuilder};
use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error, SendState};
use std::borrow::Cow;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

pub use http::Method;

/// Installs the ring rustls provider once per process; a provider installed earlier (by the
/// application or another crate) is kept.
pub fn install_crypto_provider() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        if rustls::crypto::CryptoProvider::get_default().is_none() {
            // Err means another thread installed one first: that one is used.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
    });
}

/// Timeouts and retry policy of a carrier client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpConfig {
    /// Default deadline of one attempt (connect + send + answer), unless the request sets its own.
    pub timeout: Duration,
    /// Deadline for establishing the TCP/TLS connection.
    pub connect_timeout: Duration,
    /// Extra attempts for idempotent requests (0 = no retry).
    pub retries: u32,
    /// First backoff delay.
    pub backoff_base: Duration,
    /// Largest backoff delay.
    pub backoff_max: Duration,
    /// Largest `Retry-After` that is waited for; a longer one ends the retries and the 429 is
    /// returned to the caller.
    pub retry_after_max: Duration,
    /// How many exchanges [`CarrierHttp::last_exchanges`] keeps.
    pub capture: usize,
    /// Use the `HTTP(S)_PROXY` environment variables (off by default: carriers are called
    /// directly and simulators live on 127.0.0.1).
    pub proxy_from_env: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retries: 2,
            backoff_base: Duration::from_millis(200),
            backoff_max: Duration::from_secs(5),
            retry_after_max: Duration::from_secs(30),
            capture: 32,
            proxy_from_env: false,
        }
    }
}

impl HttpConfig {
    /// A configuration for tests against simulators: short deadlines and delays.
    pub fn fast() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(2),
            connect_timeout: Duration::from_millis(500),
            retries: 2,
            backoff_base: Duration::from_millis(10),
            backoff_max: Duration::from_millis(50),
            retry_after_max: Duration::from_secs(2),
            capture: 64,
            proxy_from_env: false,
        }
    }
}

/// A request to a carrier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingRequest {
    /// Operation name, for errors, capture and logs (`createShipment`).
    pub op: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Full URL.
    pub url: String,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Safe to repeat (tracking, lookups). Only idempotent requests are retried; never `create`.
    pub idempotent: bool,
    /// Deadline of one attempt; `None` uses [`HttpConfig::timeout`].
    pub timeout: Option<Duration>,
    /// Tells a final 5xx answer from a retryable one: a 5xx for which it returns `true` (a
    /// business error the carrier sends as a 5xx, e.g. Sendeo's HTTP 500 with an
    /// `ExceptionMessage`) is returned at once, never retried. `None`: every 5xx is retryable.
    pub final_answer: Option<FinalAnswer>,
}

/// The test of [`OutgoingRequest::final_answer`]: `true` for a 5xx answer that is final.
#[derive(Clone, Copy)]
pub struct FinalAnswer(pub fn(&RawResponse) -> bool);

impl FinalAnswer {
    /// Whether `resp` is final.
    pub fn is_final(&self, resp: &RawResponse) -> bool {
        (self.0)(resp)
    }
}

impl std::fmt::Debug for FinalAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FinalAnswer(fn)")
    }
}

impl PartialEq for FinalAnswer {
    fn eq(&self, other: &Self) -> bool {
        // Same function, same test (addresses compared as numbers on purpose).
        self.0 as usize == other.0 as usize
    }
}

impl Eq for FinalAnswer {}

impl OutgoingRequest {
    /// A request with `method`.
    pub fn new(op: &'static str, method: Method, url: impl Into<String>) -> Self {
        OutgoingRequest {
            op,
            method,
            url: url.into(),
            headers: Vec::new(),
            body: Vec::new(),
            idempotent: false,
            timeout: None,
            final_answer: None,
        }
    }

    /// A POST request (not idempotent until [`OutgoingRequest::idempotent`] says so).
    pub fn post(op: &'static str, url: impl Into<String>) -> Self {
        Self::new(op, Method::POST, url)
    }

    /// A GET request, idempotent.
    pub fn get(op: &'static str, url: impl Into<String>) -> Self {
        Self::new(op, Method::GET, url).idempotent()
    }

    /// A DELETE request.
    pub fn delete(op: &'static str, url: impl Into<String>) -> Self {
        Self::new(op, Method::DELETE, url)
    }

    /// Adds a header (replacing one with the same name, case-insensitively).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.headers.push((name, value.into()));
        self
    }

    /// Sets the body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Marks the request as safe to repeat.
    pub fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Sets this request's attempt deadline.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Marks the 5xx answers `is_final` accepts as final: returned at once, never retried
    /// (see [`OutgoingRequest::final_answer`]).
    pub fn final_when(mut self, is_final: fn(&RawResponse) -> bool) -> Self {
        self.final_answer = Some(FinalAnswer(is_final));
        self
    }

    /// A SOAP call: sets the body and `Content-Type`, and for SOAP 1.1 the `SOAPAction`
    /// header (quoted, `""` when `action` is empty); for 1.2 the action goes into the
    /// content type.
    pub fn soap(self, version: SoapVersion, action: &str, envelope: impl Into<String>) -> Self {
        let with_ct = match version {
            SoapVersion::V11 => self.header("Content-Type", version.content_type(None)),
            SoapVersion::V12 => {
                let action = (!action.is_empty()).then_some(action);
                self.header("Content-Type", version.content_type(action))
            }
        };
        let with_action = match version.soap_action_header(action) {
            Some(a) => with_ct.header("SOAPAction", a),
            None => with_ct,
        };
        with_action.body(envelope.into().into_bytes())
    }

    /// A JSON body with `Content-Type: application/json`.
    pub fn json(self, value: &serde_json::Value) -> Self {
        let body = value.to_string().into_bytes();
        self.header("Content-Type", "application/json").body(body)
    }

    /// A JSON body from any serializable wire type; fails (as `internal.error`) only when the
    /// type cannot be represented as JSON.
    pub fn try_json<T: serde::Serialize + ?Sized>(self, value: &T) -> Result<Self, Error> {
        let body = serde_json::to_vec(value).map_err(|e| {
            Error::internal(format!(
                "{}: request body is not JSON-serializable: {e}",
                self.op
            ))
        })?;
        Ok(self.header("Content-Type", "application/json").body(body))
    }

    /// Sets `Authorization: Bearer <token>`.
    pub fn bearer(self, token: &str) -> Self {
        self.header("Authorization", format!("Bearer {token}"))
    }
}

/// A carrier's answer, whatever its HTTP status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers, in order (names lower-case).
    pub headers: Vec<(String, String)>,
    /// The body exactly as received.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// The body as text; invalid UTF-8 is replaced (the bytes stay in `body`).
    pub fn text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.body)
    }

    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// True for 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// `Retry-After` in seconds, when present and numeric (an HTTP-date gives `None`: reading
    /// it would need the wall clock).
    pub fn retry_after(&self) -> Option<Duration> {
        self.header("retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
    }

    /// Maps a non-2xx status to the core error: 401/403 → `auth.failed`, 429 →
    /// `rate.limited` (with `Retry-After`), anything else → `transport.http_status` (`Sent`).
    pub fn check_status(&self, carrier: &CarrierId) -> Result<(), Error> {
        match self.status {
            200..=299 => Ok(()),
            401 | 403 => Err(Error::Auth {
                code: Code::AuthFailed,
                carrier: Some(carrier.clone()),
                detail: format!("HTTP {}", self.status),
            }),
            429 => Err(Error::RateLimited {
                code: Code::RateLimited,
                carrier: Some(carrier.clone()),
                retry_after_ms: self
                    .retry_after()
                    .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            }),
            s => Err(Error::Transport {
                code: Code::TransportHttpStatus,
                carrier: Some(carrier.clone()),
                send_state: SendState::Sent,
                http_status: Some(s),
                detail: format!("HTTP {s}: {}", snippet(&self.text())),
            }),
        }
    }

    /// A `protocol.malformed` error keeping this body.
    pub fn protocol_error(&self, carrier: &CarrierId, detail: impl Into<String>) -> Error {
        Error::protocol(Some(carrier.clone()), detail, self.text())
    }

    /// Parses the body as JSON into `T`; failure is `protocol.malformed` with the raw body.
    pub fn json<T: serde::de::DeserializeOwned>(&self, carrier: &CarrierId) -> Result<T, Error> {
        serde_json::from_slice(&self.body)
            .map_err(|e| self.protocol_error(carrier, format!("invalid JSON: {e}")))
    }
}

fn snippet(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The HTTP client of one carrier (cheap to clone: the connection pool and capture are shared).
#[derive(Debug, Clone)]
pub struct CarrierHttp {
    carrier: CarrierId,
    config: HttpConfig,
    client: reqwest::Client,
    capture: Arc<CaptureRing>,
}

/// What one attempt produced, and whether it may be retried.
enum Attempt {
    Done(Result<RawResponse, Error>),
    Retry(Result<RawResponse, Error>, Option<Duration>),
}

impl CarrierHttp {
    /// A client for `carrier`. Fails with `request.invalid_config` when the client cannot be
    /// built.
    pub fn new(carrier: CarrierId, config: HttpConfig) -> Result<CarrierHttp, Error> {
        install_crypto_provider();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(50))
            .tcp_nodelay(true);
        if !config.proxy_from_env {
            builder = builder.no_proxy();
        }
        let client = builder.build().map_err(|e| {
            Error::invalid(
                Code::RequestInvalidConfig,
                "http",
                format!("HTTP client: {}", crate::classify::error_chain(&e)),
            )
        })?;
        let capture = Arc::new(CaptureRing::new(config.capture));
        Ok(CarrierHttp {
            carrier,
            config,
            client,
            capture,
        })
    }

    /// The carrier this client talks to.
    pub fn carrier(&self) -> &CarrierId {
        &self.carrier
    }

    /// The configuration.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// The last exchanges (raw bodies, oldest first), for tests and debugging.
    pub fn last_exchanges(&self) -> Vec<Exchange> {
        self.capture.snapshot()
    }

    /// Forgets the captured exchanges.
    pub fn clear_exchanges(&self) {
        self.capture.clear()
    }

    /// Sends `req`. Any HTTP status is `Ok` (carriers put errors in 200s and 500s); transport
    /// failures are classified with their send state. Idempotent requests are retried on
    /// connection errors, timeouts, 5xx and 429 (waiting `Retry-After`), with exponential
    /// backoff and jitter; when the retries run out, the last answer or error is returned.
    pub async fn send(&self, req: OutgoingRequest) -> Result<RawResponse, Error> {
        let mut delays = ExponentialBuilder::new()
            .with_min_delay(self.config.backoff_base)
            .with_max_delay(self.config.backoff_max)
            .with_max_times(usize::try_from(self.config.retries).unwrap_or(usize::MAX))
            .with_jitter()
            .build();
        let mut attempt = 0u32;
        loop {
            attempt = attempt.saturating_add(1);
            match self.attempt(&req, attempt).await {
                Attempt::Done(r) => return r,
                Attempt::Retry(r, retry_after) => {
                    if !req.idempotent {
                        return r;
                    }
                    let Some(backoff) = delays.next() else {
                        return r;
                    };
                    let wait = match retry_after {
                        Some(ra) if ra > self.config.retry_after_max => return r,
                        Some(ra) => ra,
                        None => backoff,
                    };
                    tracing::debug!(carrier = %self.carrier.as_str(), op = req.op, attempt, wait_ms = wait.as_millis() as u64, "retrying");
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }

    async fn attempt(&self, req: &OutgoingRequest, attempt: u32) -> Attempt {
        let started = Instant::now();
        let mut ex = Exchange {
            op: req.op,
            url: req.url.clone(),
            attempt,
            status: None,
            request_body: String::from_utf8_lossy(&req.body).into_owned(),
            response_body: String::new(),
            error: None,
            elapsed: Duration::ZERO,
        };
        let outcome = self.attempt_inner(req, &mut ex).await;
        ex.elapsed = started.elapsed();
        if let Some(e) = outcome_error(&outcome) {
            ex.error = Some(e.to_string());
        }
        ex.log(self.carrier.as_str());
        self.capture.push(ex);
        outcome
    }

    async fn attempt_inner(&self, req: &OutgoingRequest, ex: &mut Exchange) -> Attempt {
        let mut rb = self
            .client
            .request(req.method.clone(), &req.url)
            .timeout(req.timeout.unwrap_or(self.config.timeout))
            .body(req.body.clone());
        for (n, v) in &req.headers {
            rb = rb.header(n.as_str(), v.as_str());
        }
        let resp = match rb.send().await {
            Ok(r) => r,
            Err(e) => {
                let err = classify(&self.carrier, req.op, Phase::Request, None, &e);
                let retryable = err.is_retryable() && !e.is_builder();
                return if retryable {
                    Attempt::Retry(Err(err), None)
                } else {
                    Attempt::Done(Err(err))
                };
            }
        };
        let status = resp.status().as_u16();
        ex.status = Some(status);
        let headers: Vec<(String, String)> = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let body = match resp.bytes().await {
            Ok(b) => b.to_vec(),
            Err(e) => {
                let err = classify(&self.carrier, req.op, Phase::Body, Some(status), &e);
                return Attempt::Retry(Err(err), None);
            }
        };
        ex.response_body = String::from_utf8_lossy(&body).into_owned();
        let raw = RawResponse {
            status,
            headers,
            body,
        };
        match status {
            429 => {
                let ra = raw.retry_after();
                Attempt::Retry(Ok(raw), ra)
            }
            500..=599 if req.final_answer.is_some_and(|f| f.is_final(&raw)) => {
                Attempt::Done(Ok(raw))
            }
            500..=599 => Attempt::Retry(Ok(raw), None),
            _ => Attempt::Done(Ok(raw)),
        }
    }
}

fn outcome_error(a: &Attempt) -> Option<&Error> {
    match a {
        Attempt::Done(Err(e)) | Attempt::Retry(Err(e), _) => Some(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn soap_builders_set_the_right_headers() {
        let r =
            OutgoingRequest::post("createShipment", "http://x").soap(SoapVersion::V11, "", "<e/>");
        assert_eq!(
            r.headers,
            vec![
                (
                    "Content-Type".to_string(),
                    "text/xml; charset=utf-8".to_string()
                ),
                ("SOAPAction".to_string(), "\"\"".to_string()),
            ]
        );
        assert!(!r.idempotent);
        let r = OutgoingRequest::post("kabulEkle2", "http://x").soap(
            SoapVersion::V12,
            "urn:kabulEkle2",
            "<e/>",
        );
        assert_eq!(
            r.headers,
            vec![(
                "Content-Type".to_string(),
                "application/soap+xml; charset=utf-8; action=\"urn:kabulEkle2\"".to_string()
            )]
        );
        assert_eq!(r.body, b"<e/>");
        let r = OutgoingRequest::get("track", "http://x")
            .header("x-a", "1")
            .header("X-A", "2")
            .bearer("t");
        assert!(r.idempotent);
        assert_eq!(
            r.headers,
            vec![
                ("X-A".into(), "2".into()),
                ("Authorization".into(), "Bearer t".into())
            ]
        );
        let j = OutgoingRequest::post("c", "http://x").json(&serde_json::json!({"a": 1}));
        assert_eq!(j.body, br#"{"a":1}"#);
    }

    #[test]
    fn statuses_map_to_core_errors() {
        let resp = |status: u16, headers: Vec<(String, String)>| RawResponse {
            status,
            headers,
            body: b"x".to_vec(),
        };
        let c = CarrierId::Sendeo;
        assert!(resp(200, vec![]).check_status(&c).is_ok());
        assert_eq!(
            resp(401, vec![]).check_status(&c).map_err(|e| e.code()),
            Err(Code::AuthFailed)
        );
        assert_eq!(
            resp(403, vec![]).check_status(&c).map_err(|e| e.code()),
            Err(Code::AuthFailed)
        );
        match resp(429, vec![("Retry-After".into(), " 7 ".into())]).check_status(&c) {
            Err(Error::RateLimited { retry_after_ms, .. }) => {
                assert_eq!(retry_after_ms, Some(7000))
            }
            other => panic!("{other:?}"),
        }
        match resp(502, vec![]).check_status(&c) {
            Err(e @ Error::Transport { .. }) => {
                assert_eq!(e.send_state(), Some(SendState::Sent));
                assert_eq!(e.code(), Code::TransportHttpStatus);
            }
            other => panic!("{other:?}"),
        }
        let bad = RawResponse {
            status: 200,
            headers: vec![],
            body: vec![0xff, b'{'],
        };
        let e = bad.json::<serde_json::Value>(&c).expect_err("invalid");
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert_eq!(e.raw(), Some("\u{fffd}{"));
        assert_eq!(bad.body, vec![0xff, b'{']);
    }
}
