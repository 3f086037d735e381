//! The outermost layer of every request: request id, language, the access log line and the
//! audit record of every state-changing request. A quote or a question to the insights
//! narrator is a `POST` that changes nothing (see [`READ_ONLY_POSTS`]): it is logged, not
//! audited, so the hottest route costs no database write.

use crate::ids;
use crate::lang::Lang;
use crate::request_ctx::{self, RequestCtx};
use crate::state::AppState;
use crate::store::AuditRecord;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// The body limit that applies to a request (read by the body extractors for their errors).
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// The object ids a path names: the raw segments under the template's `{…}` segments.
pub fn path_object(template: &str, path: &str) -> Option<String> {
    let ids: Vec<&str> = template
        .split('/')
        .zip(path.split('/'))
        .filter(|(t, _)| t.starts_with('{'))
        .map(|(_, p)| p)
        .collect();
    (!ids.is_empty()).then(|| ids.join(","))
}

/// `POST` routes that store nothing and move no money: computations sent as a body (a quote,
/// a question about the insights). Every other `POST`, `PUT`, `PATCH` and `DELETE` is audited.
pub const READ_ONLY_POSTS: [&str; 2] = ["/v1/quotes", "/v1/insights/questions"];

/// Whether a request to `route` (its template) with `method` can change state, so it leaves an
/// audit record. Requests that match no route are not audited (nothing ran).
pub fn changes_state(method: &Method, route: Option<&str>) -> bool {
    let Some(route) = route else {
        return false;
    };
    match *method {
        Method::POST => !READ_ONLY_POSTS.contains(&route),
        Method::PUT | Method::PATCH | Method::DELETE => true,
        _ => false,
    }
}

/// Sets the request context, logs the request and audits state changes.
pub async fn context(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let request_id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| request_ctx::sane_request_id(v))
        .map(str::to_string)
        .unwrap_or_else(|| ids::new_id("req"));
    let lang = Lang::from_accept_language(
        req.headers()
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
    );
    let ctx = RequestCtx {
        request_id: request_id.clone(),
        lang,
        actor: Default::default(),
    };
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string());
    let path = req.uri().path().to_string();
    req.extensions_mut()
        .insert(BodyLimit(state.config.max_body_bytes));
    let mut response = request_ctx::scope(ctx.clone(), next.run(req)).await;
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    let status = response.status().as_u16();
    let actor = ctx.actor();
    // Route templates only: paths and query strings may carry personal data.
    tracing::info!(
        target: "access",
        request_id = %request_id,
        method = %method,
        route = route.as_deref().unwrap_or("(unmatched)"),
        status,
        ms = started.elapsed().as_millis() as u64,
        company = actor.as_ref().and_then(|a| a.company.as_deref()).unwrap_or("-"),
        actor = actor.as_ref().map(|a| a.actor.as_str()).unwrap_or("-"),
        "request"
    );
    if let (true, Some(template)) = (changes_state(&method, route.as_deref()), route) {
        let record = AuditRecord {
            seq: 0,
            at: chrono::Utc::now(),
            company: actor.as_ref().and_then(|a| a.company.clone()),
            actor: actor
                .as_ref()
                .map(|a| a.actor.clone())
                .unwrap_or_else(|| "anonymous".into()),
            role: actor.as_ref().and_then(|a| a.role.clone()),
            request_id,
            method: method.to_string(),
            object: path_object(&template, &path),
            path: template,
            status,
        };
        // The change is done either way; a failed audit write is an operator alarm.
        if let Err(e) = state.db.audit.append(&record).await {
            tracing::error!(code = %e.code(), request_id = %record.request_id, "audit record could not be written");
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_questions_are_not_state_changes() {
        assert!(!changes_state(&Method::POST, Some("/v1/quotes")));
        assert!(!changes_state(
            &Method::POST,
            Some("/v1/insights/questions")
        ));
        assert!(!changes_state(&Method::GET, Some("/v1/shipments")));
        assert!(!changes_state(&Method::POST, None));
        assert!(changes_state(&Method::POST, Some("/v1/shipments")));
        assert!(changes_state(&Method::POST, Some("/v1/auth/login")));
        assert!(changes_state(&Method::DELETE, Some("/v1/api-keys/{id}")));
        assert!(changes_state(&Method::PUT, Some("/v1/company/sender")));
    }

    #[test]
    fn objects_come_from_the_template() {
        assert_eq!(
            path_object("/v1/shipments/{id}/cancel", "/v1/shipments/shp_1/cancel").as_deref(),
            Some("shp_1")
        );
        assert_eq!(path_object("/v1/quotes", "/v1/quotes"), None);
    }
}
