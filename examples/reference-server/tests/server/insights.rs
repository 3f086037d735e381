//! Insights over HTTP: the snapshot, findings and summary of the company's shipments; a
//! question answered by a language model (a local mock of the chat-completions API), which
//! sees aggregates only; and 501 when no model is configured.

#![allow(clippy::unwrap_used)]

use crate::common;

use axum::Json;
use axum::routing::post;
use common::{DEMO_KEY, TestServer, shipment};
use kargojet_server::config::LlmSettings;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

async fn ship_and_deliver(t: &TestServer, n: usize) {
    let carriers = ["aras", "yurtici", "sendeo", "surat"];
    let mut ids = Vec::new();
    for i in 0..n {
        let key = format!("INS-{i}");
        let (s, v) = t
            .post_idem(
                "/v1/shipments",
                DEMO_KEY,
                &key,
                &json!({"shipment": shipment(&key), "carrier": carriers[i % carriers.len()]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        ids.push(v["id"].as_str().unwrap().to_string());
    }
    for _ in 0..8 {
        t.advance(DEMO_KEY, 12 * 3600).await;
        for id in &ids {
            let (s, v) = t
                .post(
                    &format!("/v1/shipments/{id}/tracking/refresh"),
                    DEMO_KEY,
                    &json!({}),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_findings_and_summary() {
    common::each_db(|| async {
        let t = TestServer::start().await;
        ship_and_deliver(&t, 4).await;
        let (s, v) = t.get("/v1/insights", DEMO_KEY).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(v["snapshot"].is_object());
        assert!(
            v["snapshot"].to_string().contains("aras"),
            "{}",
            v["snapshot"]
        );
        assert_eq!(v["summary"]["source"], "rule_based");
        assert_eq!(v["summary"]["language"], "tr");
        assert!(!v["summary"]["text"].as_str().unwrap().is_empty());
        assert!(
            !v.to_string().contains("Ayşe"),
            "no personal data in insights"
        );
        let (_, en) = t
            .call(
                reqwest::Method::GET,
                "/v1/insights",
                Some(DEMO_KEY),
                None,
                &[("Accept-Language", "en")],
            )
            .await;
        assert_eq!(en["summary"]["language"], "en");
        let (s, f) = t.get("/v1/insights/findings", DEMO_KEY).await;
        assert_eq!(s, StatusCode::OK, "{f}");
        assert!(f["items"].is_array());
        let (s, e) = t
            .get(
                "/v1/insights?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
                DEMO_KEY,
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        // No language model: questions are not available.
        let (s, e) = t
            .post(
                "/v1/insights/questions",
                DEMO_KEY,
                &json!({"question": "Hangi kargo en hızlı?"}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e["error"]["code"], "unsupported.feature");
        t.stop().await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questions_go_to_the_configured_model_with_aggregates_only() {
    common::each_db(|| async {
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let log = seen.clone();
        let mock = axum::Router::new().route(
            "/v1/chat/completions",
            post(move |body: String| {
                let log = log.clone();
                async move {
                    log.lock().unwrap().push(body);
                    Json(json!({"choices": [{"message": {"role": "assistant", "content": "En hızlı taşıyıcı Aras: ortalama 1,5 gün."}}]}))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move { axum::serve(listener, mock).await });

        let dir = common::temp_dir("llm");
        let mut config = common::config(&dir);
        config.llm = Some(LlmSettings {
            base_url: format!("http://{addr}/v1"),
            model: "mock-model".into(),
            timeout_secs: Some(5),
        });
        let t = TestServer::start_with(config, dir).await;
        ship_and_deliver(&t, 2).await;
        let (s, v) = t
            .post(
                "/v1/insights/questions",
                DEMO_KEY,
                &json!({"question": "Hangi kargo en hızlı?"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["answer"]["source"], "model");
        assert_eq!(v["answer"]["model"], "mock-model");
        assert_eq!(
            v["answer"]["text"],
            "En hızlı taşıyıcı Aras: ortalama 1,5 gün."
        );
        let bodies = seen.lock().unwrap().clone();
        assert_eq!(bodies.len(), 1);
        let sent: Value = serde_json::from_str(&bodies[0]).unwrap();
        assert_eq!(sent["model"], "mock-model");
        for private in ["Ayşe", "Yılmaz", "5321234567", "Kızılay"] {
            assert!(!bodies[0].contains(private), "the model saw {private}");
        }
        let (s, e) = t
            .post(
                "/v1/insights/questions",
                DEMO_KEY,
                &json!({"question": "  "}),
            )
            .await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{e}");
        t.stop().await;
        server.abort();
    })
    .await;
}
