//! The OpenAPI document and the docs page, served from the binary's own assets.

#![allow(clippy::unwrap_used)]

use crate::common;

use common::{DEMO_KEY, TestServer};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn document_and_docs_page_are_served() {
    let t = TestServer::start().await;
    let r = t
        .http
        .get(format!("{}/openapi.json", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let doc: Value = r.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/v1/quotes",
        "/v1/shipments",
        "/v1/shipments/{id}",
        "/v1/shipments/{id}/label",
        "/v1/shipments/bulk",
        "/v1/wallet",
        "/v1/wallet/statement",
        "/v1/carrier-accounts",
        "/v1/webhooks/carriers/{carrier}",
        "/healthz",
        "/readyz",
    ] {
        assert!(paths.contains_key(p), "{p} is not documented");
    }
    // Every documented operation exists on the router (no 404/405 from routing).
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let url = path
                .replace("{id}", "x")
                .replace("{carrier}", "kolay_gelsin");
            let (s, e) = t.call(m, &url, Some(DEMO_KEY), None, &[]).await;
            assert_ne!(s, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            if s == StatusCode::NOT_FOUND {
                assert_ne!(e["error"]["detail"], "no such route", "{method} {path}");
                assert!(
                    !e.to_string().contains("no such route"),
                    "{method} {path}: {e}"
                );
            }
        }
    }
    let page = t
        .http
        .get(format!("{}/docs/", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    let js = t
        .http
        .get(format!("{}/docs/swagger-ui-bundle.js", t.base))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), StatusCode::OK, "assets come from the binary");
    let (s, h) = t
        .call(reqwest::Method::GET, "/healthz", None, None, &[])
        .await;
    assert_eq!(
        (s, h["status"].clone()),
        (StatusCode::OK, Value::from("ok"))
    );
    let (s, r) = t
        .call(reqwest::Method::GET, "/readyz", None, None, &[])
        .await;
    assert_eq!(
        (s, r["status"].clone()),
        (StatusCode::OK, Value::from("ready"))
    );
    t.stop().await;
}
