//! Persistence hooks for simulators that run out of process (`kargojet-sim`): a [`Recorder`]
//! sees every state-changing request a [`super::SimServer`] handles (one at a time, before the
//! answer leaves), so the requests can be written to a journal and replayed into a fresh
//! simulator with [`super::SimServer::replay`] on the clock values they first ran at — the
//! handlers are deterministic given their requests and the clock, so replaying rebuilds the
//! same shipments, numbers, tokens and cancellations. [`SimInventory`] lists what a simulator
//! holds, uniformly across carriers.

use super::SimRequest;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a [`Recorder`] keeps between [`Recorder::begin`] and [`Recorder::record`] (its lock
/// and the moment the request started).
pub type RecordGuard = Box<dyn std::any::Any + Send>;

/// Observes the state-changing requests of a simulator.
#[async_trait]
pub trait Recorder: Send + Sync {
    /// Whether requests for operation `op` change the simulator's state (and are recorded).
    fn records(&self, op: &str) -> bool;
    /// Called before the handler runs a recorded request; the guard it returns is held while
    /// the handler runs (so recorded requests run one at a time, in journal order).
    async fn begin(&self, op: &str) -> RecordGuard;
    /// Called after the handler answered, before the answer is sent; returns once the change
    /// is durable.
    async fn record(&self, guard: RecordGuard, op: &str, request: &SimRequest, status: u16);
}

/// A request as written to a journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The simulated time it ran at.
    pub at: DateTime<Utc>,
    /// Its operation.
    pub op: String,
    /// HTTP method.
    pub method: String,
    /// Path.
    pub path: String,
    /// Query string.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub query: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// The body when it is UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The body when it is not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<Vec<u8>>,
}

impl RecordedRequest {
    /// Records `req` of operation `op`, run at `at`.
    pub fn new(at: DateTime<Utc>, op: &str, req: &SimRequest) -> Self {
        let (text, bytes) = match String::from_utf8(req.body.clone()) {
            Ok(t) => (Some(t), None),
            Err(e) => (None, Some(e.into_bytes())),
        };
        RecordedRequest {
            at,
            op: op.to_string(),
            method: req.method.clone(),
            path: req.path.clone(),
            query: req.query.clone(),
            headers: req.headers.clone(),
            text,
            bytes,
        }
    }

    /// The request again.
    pub fn request(&self) -> SimRequest {
        SimRequest {
            method: self.method.clone(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            body: match (&self.text, &self.bytes) {
                (Some(t), _) => t.clone().into_bytes(),
                (None, Some(b)) => b.clone(),
                (None, None) => Vec::new(),
            },
        }
    }
}

/// One shipment a simulator holds, the same shape for every carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldShipment {
    /// The merchant's reference the carrier deduplicates on (cargo key, integration code,
    /// customer barcode …).
    pub reference: String,
    /// The carrier's own tracking number, when it has one.
    pub tracking_number: Option<String>,
    /// When the carrier received it (simulated clock).
    pub created_at: DateTime<Utc>,
    /// Whether it was cancelled.
    pub cancelled: bool,
}

/// Lists what a simulator holds.
pub trait SimInventory {
    /// Every shipment held, one entry per shipment record (a reference listed twice means
    /// the carrier holds two shipments under it).
    fn held_shipments(&self) -> Vec<HeldShipment>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_requests_round_trip() {
        let req = SimRequest {
            method: "POST".into(),
            path: "/ws".into(),
            query: "a=1".into(),
            headers: vec![("SOAPAction".into(), "\"x\"".into())],
            body: "<ş/>".as_bytes().to_vec(),
        };
        let r = RecordedRequest::new(DateTime::<Utc>::UNIX_EPOCH, "x", &req);
        let json = serde_json::to_string(&r).unwrap_or_default();
        let back: Option<RecordedRequest> = serde_json::from_str(&json).ok();
        assert_eq!(back.map(|b| b.request()), Some(req.clone()));
        let bin = SimRequest {
            body: vec![0xff, 0x00],
            ..req
        };
        let r = RecordedRequest::new(DateTime::<Utc>::UNIX_EPOCH, "x", &bin);
        assert!(r.text.is_none());
        assert_eq!(r.request(), bin);
    }
}
