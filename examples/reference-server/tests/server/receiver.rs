//! A webhook receiver on 127.0.0.1 (axum): records every request and answers with a status
//! the test sets (200 by default).

#![allow(dead_code, clippy::unwrap_used)]

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::sync::atomic::{AtomicU16, Ordering};
use std::sync::{Arc, Mutex};

/// One received request.
#[derive(Debug, Clone)]
pub struct Hit {
    /// `KargoJet-Signature`.
    pub signature: String,
    /// `KargoJet-Event-Id`.
    pub event_id: String,
    /// `KargoJet-Event-Type`.
    pub event_type: String,
    /// The raw body.
    pub body: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    hits: Mutex<Vec<Hit>>,
    status: AtomicU16,
}

/// A running receiver.
pub struct Receiver {
    /// `http://127.0.0.1:<port>/hook`.
    pub url: String,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn hook(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let h = |k: &str| {
        headers
            .get(k)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    s.hits.lock().unwrap().push(Hit {
        signature: h("kargojet-signature"),
        event_id: h("kargojet-event-id"),
        event_type: h("kargojet-event-type"),
        body: body.to_vec(),
    });
    StatusCode::from_u16(s.status.load(Ordering::SeqCst)).unwrap()
}

impl Receiver {
    /// Starts one.
    pub async fn start() -> Receiver {
        let shared = Arc::new(Shared::default());
        shared.status.store(200, Ordering::SeqCst);
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(hook))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://{addr}/hook"),
            shared,
            task,
        }
    }

    /// Answers `status` from now on.
    pub fn answer(&self, status: u16) {
        self.shared.status.store(status, Ordering::SeqCst);
    }

    /// Everything received so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// The requests of one event type.
    pub fn of_type(&self, t: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.event_type == t)
            .collect()
    }
}
