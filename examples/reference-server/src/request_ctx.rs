//! Per-request context (request id, message language, and who is calling), set by the
//! outermost middleware for the whole handling of one request, so error bodies, logs and the
//! audit record carry them without threading them through every call.

use crate::auth::Principal;
use crate::lang::Lang;
use std::sync::{Arc, Mutex};

/// Who made a request, as the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// `key:<id>`, `user:<id>` or `carrier:<id>`.
    pub actor: String,
    /// Their company, when they have one.
    pub company: Option<String>,
    /// Their role.
    pub role: Option<String>,
}

/// What every part of a request's handling may need to know.
#[derive(Debug, Clone, Default)]
pub struct RequestCtx {
    /// The request id (from `X-Request-Id` when the caller sent a sane one, else generated).
    pub request_id: String,
    /// The language of messages.
    pub lang: Lang,
    /// Who made the request, once known.
    pub actor: Arc<Mutex<Option<Actor>>>,
}

impl RequestCtx {
    /// Records the authenticated caller.
    pub fn set_principal(&self, p: &Principal) {
        self.set_actor(Actor {
            actor: p.actor.clone(),
            company: Some(p.company.clone()),
            role: Some(p.role.id().to_string()),
        });
    }

    /// Records the caller.
    pub fn set_actor(&self, a: Actor) {
        *self.actor.lock().unwrap_or_else(|e| e.into_inner()) = Some(a);
    }

    /// The caller, if known.
    pub fn actor(&self) -> Option<Actor> {
        self.actor.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

tokio::task_local! {
    static CTX: RequestCtx;
}

/// Runs `f` with `ctx` as the current request context.
pub async fn scope<F: std::future::Future>(ctx: RequestCtx, f: F) -> F::Output {
    CTX.scope(ctx, f).await
}

/// The current request context (an empty one outside a request).
pub fn current() -> RequestCtx {
    CTX.try_with(Clone::clone).unwrap_or_default()
}

/// Accepts a caller's request id if it is 1–64 visible ASCII characters without spaces.
pub fn sane_request_id(v: &str) -> bool {
    !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_graphic())
}
