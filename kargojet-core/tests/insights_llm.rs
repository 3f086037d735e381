//! The language-model narrator (feature `llm`) against a local mock of the OpenAI
//! chat-completions API on a real socket (127.0.0.1): success, 429, timeout, malformed
//! replies, error statuses and a refused connection — every failure falls back to the
//! rule-based text and says so — and no personal data in what is sent.
#![cfg(feature = "llm")]
#![allow(clippy::unwrap_used)]

mod insights_support;

use chrono::{Duration as Days, TimeZone, Utc};
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use insights_support::{PERSONAL, start, stored_month};
use kargojet_core::Code;
use kargojet_core::insights::llm::{LlmConfig, LlmNarrator};
use kargojet_core::insights::{
    Finding, FindingRules, Language, NarrationSource, Narrator, Period, ShipmentRecord, Snapshot,
    findings, records_from_shipments,
};
use kargojet_core::time::turkey_offset;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;

/// How the mock answers.
#[derive(Debug, Clone, Copy)]
enum Mode {
    /// A chat completion whose text is [`REPLY`].
    Success,
    /// HTTP 429 with `Retry-After: 7`.
    TooManyRequests,
    /// Waits this long before answering (beyond the client's deadline).
    Slow(Duration),
    /// HTTP 200 with a body that is not JSON.
    NotJson,
    /// HTTP 200 with JSON that is not a chat completion (no `choices`).
    WrongShape,
    /// HTTP 200 with an empty `choices` list.
    NoChoices,
    /// HTTP 500.
    ServerError,
    /// HTTP 401.
    Unauthorized,
}

const REPLY: &str = "Bu dönem en büyük risk kapıda ödemeli iadeler (%60).";

/// What the mock received.
#[derive(Debug, Clone)]
struct Received {
    path: String,
    authorization: Option<String>,
    body: String,
}

struct Mock {
    base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Mock {
    async fn start(mode: Mode) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = received.clone();
        tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    return;
                };
                let log = log.clone();
                tokio::spawn(async move {
                    let svc = service_fn(move |req| handle(req, mode, log.clone()));
                    let _ = http1::Builder::new()
                        .serve_connection(TokioIo::new(sock), svc)
                        .await;
                });
            }
        });
        Mock {
            base_url: format!("http://{addr}/v1"),
            received,
        }
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

fn reply(status: u16, body: &str) -> Response<Full<Bytes>> {
    Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .unwrap()
}

async fn handle(
    req: Request<Incoming>,
    mode: Mode,
    log: Arc<Mutex<Vec<Received>>>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_string();
    let post = req.method() == hyper::Method::POST;
    let authorization = req
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = req
        .into_body()
        .collect()
        .await
        .map(|b| b.to_bytes())
        .unwrap_or_default();
    let body = String::from_utf8_lossy(&body).into_owned();
    log.lock().unwrap().push(Received {
        path: path.clone(),
        authorization,
        body: body.clone(),
    });
    // Answer like the real API would to a request that is not a chat completion.
    let json: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
    let roles: Vec<&str> = json["messages"]
        .as_array()
        .map(|m| m.iter().filter_map(|m| m["role"].as_str()).collect())
        .unwrap_or_default();
    if !post
        || path != "/v1/chat/completions"
        || json["model"].as_str().is_none()
        || roles != ["system", "user"]
    {
        return Ok(reply(400, r#"{"error":{"message":"bad request"}}"#));
    }
    Ok(match mode {
        Mode::Success => {
            let answer = serde_json::json!({
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "model": json["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": REPLY}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}
            });
            reply(200, &answer.to_string())
        }
        Mode::TooManyRequests => {
            let mut r = reply(
                429,
                r#"{"error":{"message":"Rate limit reached","type":"requests"}}"#,
            );
            r.headers_mut()
                .insert("retry-after", hyper::header::HeaderValue::from_static("7"));
            r
        }
        Mode::Slow(d) => {
            tokio::time::sleep(d).await;
            reply(200, r#"{"choices":[{"message":{"content":"late"}}]}"#)
        }
        Mode::NotJson => reply(200, "<html>gateway</html>"),
        Mode::WrongShape => reply(200, r#"{"result":"ok"}"#),
        Mode::NoChoices => reply(200, r#"{"choices":[]}"#),
        Mode::ServerError => reply(500, r#"{"error":{"message":"overloaded"}}"#),
        Mode::Unauthorized => reply(401, r#"{"error":{"message":"bad key"}}"#),
    })
}

/// The hand-computed fixture's March snapshot and findings.
fn fixture() -> (Snapshot, Vec<Finding>) {
    let records: Vec<ShipmentRecord> =
        serde_json::from_str(include_str!("fixtures/insights/march-2026.json")).unwrap();
    let at = |m, d| {
        turkey_offset()
            .with_ymd_and_hms(2026, m, d, 0, 0, 0)
            .unwrap()
            .with_timezone(&Utc)
    };
    let march = Period::new(at(3, 1), at(4, 1)).unwrap();
    let snapshot = Snapshot::build(&records, march).unwrap();
    let rules = FindingRules {
        min_shipments: 2,
        ..FindingRules::default()
    };
    let f = findings(&snapshot, None, &rules);
    (snapshot, f)
}

fn narrator(mock: &Mock, timeout: Duration) -> LlmNarrator {
    LlmNarrator::new(
        LlmConfig::new(&mock.base_url, "test-model")
            .with_api_key("sk-test")
            .with_timeout(timeout),
    )
    .unwrap()
}

#[tokio::test]
async fn a_completion_is_the_narration() {
    let mock = Mock::start(Mode::Success).await;
    let n = narrator(&mock, Duration::from_secs(5));
    let (s, f) = fixture();
    let out = n.summary(&s, &f, Language::Tr).await;
    assert_eq!(out.text, REPLY);
    assert_eq!(
        out.source,
        NarrationSource::Model {
            model: "test-model".into()
        }
    );
    assert!(!out.is_fallback());
    let got = mock.received();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].path, "/v1/chat/completions");
    assert_eq!(got[0].authorization.as_deref(), Some("Bearer sk-test"));
    let body: serde_json::Value = serde_json::from_str(&got[0].body).unwrap();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["stream"], false);
    let user = body["messages"][1]["content"].as_str().unwrap();
    // The digest's numbers and the findings go with it.
    assert!(user.contains(r#""total_cost":{"amount":"933.00","currency":"TRY"}"#));
    assert!(user.contains("Doğu Anadolu'ya HepsiJET %23,4 daha ucuz ve 1 gün daha hızlı"));
    assert!(user.contains("Görev: bu dönemin kısa bir özetini yaz"));

    let out = n
        .answer(&s, &f, "Hangi bölgede risk var?", Language::En)
        .await;
    assert_eq!(out.text, REPLY);
    let got = mock.received();
    let body: serde_json::Value = serde_json::from_str(&got[1].body).unwrap();
    let user = body["messages"][1]["content"].as_str().unwrap();
    assert!(user.ends_with("Question: Hangi bölgede risk var?"));
    assert!(user.contains("HepsiJET is 23.4% cheaper and 1 day faster to Eastern Anatolia"));
    assert!(
        body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("never invent numbers")
    );
}

#[tokio::test]
async fn no_personal_data_is_sent() {
    let mock = Mock::start(Mode::Success).await;
    let n = narrator(&mock, Duration::from_secs(5));
    let records = records_from_shipments(&stored_month(), None);
    let at = start();
    let s = Snapshot::build(&records, Period::new(at, at + Days::days(31)).unwrap()).unwrap();
    let rules = FindingRules {
        min_shipments: 2,
        ..FindingRules::default()
    };
    let f = findings(&s, None, &rules);
    assert!(!f.is_empty(), "the set should give findings to send");
    n.summary(&s, &f, Language::Tr).await;
    n.answer(
        &s,
        &f,
        "hangi taşıyıcı, hangi bölge, hangi risk?",
        Language::Tr,
    )
    .await;
    let got = mock.received();
    assert_eq!(got.len(), 2);
    for r in &got {
        for p in PERSONAL {
            assert!(!r.body.contains(p), "{p} was sent to the model");
        }
        // Provinces are aggregates, not addresses: they are sent.
        assert!(r.body.contains("Van"));
    }
}

#[tokio::test]
async fn a_quota_answer_falls_back_to_the_rules_and_says_so() {
    let mock = Mock::start(Mode::TooManyRequests).await;
    let n = narrator(&mock, Duration::from_secs(5));
    let (s, f) = fixture();
    let out = n.summary(&s, &f, Language::Tr).await;
    assert!(out.is_fallback());
    assert_eq!(out.source, NarrationSource::RuleBased);
    assert_eq!(
        out.fallback.as_ref().map(|f| f.code),
        Some(Code::RateLimited)
    );
    assert!(
        out.text.starts_with(
            "Not: dil modeli yanıt veremedi (rate.limited); aşağıdaki metin kural tabanlı anlatıcıdan.\nDönem 01.03.2026 – 31.03.2026: 12 gönderi"
        ),
        "{}",
        out.text
    );
    // Exactly one request: a 429 is not retried.
    assert_eq!(mock.received().len(), 1);
    let e = n
        .complete(&n.messages(&s, &f, None, Language::Tr).unwrap())
        .await
        .err()
        .unwrap();
    assert_eq!(e.code(), Code::RateLimited);
    assert!(matches!(
        e,
        kargojet_core::Error::RateLimited {
            retry_after_ms: Some(7000),
            ..
        }
    ));
}

#[tokio::test]
async fn a_timeout_falls_back_within_the_deadline() {
    let mock = Mock::start(Mode::Slow(Duration::from_secs(3))).await;
    let n = narrator(&mock, Duration::from_millis(300));
    let (s, f) = fixture();
    let began = Instant::now();
    let out = n
        .answer(&s, &f, "Which carrier is cheapest?", Language::En)
        .await;
    let took = began.elapsed();
    assert!(took < Duration::from_secs(2), "took {took:?}");
    assert_eq!(
        out.fallback.as_ref().map(|f| f.code),
        Some(Code::TransportTimeout)
    );
    assert!(out.text.starts_with(
        "Note: the language model could not answer (transport.timeout); the text below is from the rule-based narrator.\n"
    ));
    // The rule-based answer to the same question follows.
    assert!(
        out.text
            .contains("Cheapest per desi: HepsiJET; fastest: Sürat"),
        "{}",
        out.text
    );
}

#[tokio::test]
async fn malformed_replies_fall_back() {
    let (s, f) = fixture();
    for mode in [Mode::NotJson, Mode::WrongShape, Mode::NoChoices] {
        let mock = Mock::start(mode).await;
        let n = narrator(&mock, Duration::from_secs(5));
        let out = n.summary(&s, &f, Language::Tr).await;
        assert_eq!(
            out.fallback.as_ref().map(|f| f.code),
            Some(Code::ProtocolMalformed),
            "{mode:?}"
        );
        assert!(out.text.contains("(protocol.malformed)"), "{mode:?}");
        assert!(out.text.contains("Öne çıkan bulgular:"), "{mode:?}");
        // The raw body is kept on the error.
        let e = n
            .complete(&n.messages(&s, &f, None, Language::Tr).unwrap())
            .await
            .err()
            .unwrap();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert!(!e.raw().unwrap_or_default().is_empty(), "{mode:?}");
    }
}

#[tokio::test]
async fn error_statuses_and_a_refused_connection_fall_back() {
    let (s, f) = fixture();
    for (mode, code) in [
        (Mode::ServerError, Code::TransportHttpStatus),
        (Mode::Unauthorized, Code::AuthFailed),
    ] {
        let mock = Mock::start(mode).await;
        let out = narrator(&mock, Duration::from_secs(5))
            .summary(&s, &f, Language::En)
            .await;
        assert_eq!(
            out.fallback.as_ref().map(|f| f.code),
            Some(code),
            "{mode:?}"
        );
        assert!(out.text.contains("Main findings:"));
    }
    // A port nobody listens on.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let n = LlmNarrator::new(
        LlmConfig::new(format!("http://127.0.0.1:{port}/v1"), "m")
            .with_timeout(Duration::from_secs(2)),
    )
    .unwrap();
    let out = n.summary(&s, &f, Language::Tr).await;
    assert_eq!(
        out.fallback.as_ref().map(|f| f.code),
        Some(Code::TransportConnection)
    );
}
