//! Fault injection for simulators: rules per operation, consumed one request at a time.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A carrier-level fault handed to the simulator's handler, which renders it the way the
/// carrier does (usually an in-band error inside HTTP 200).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CarrierFault {
    /// Reject the request with this carrier error code (`60020`, `[016]`, `DUPLICATE`).
    Reject(String),
}

/// What the server does instead of (or after) answering normally.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Answer normally (used with a delay).
    None,
    /// HTTP 500 with a generic body.
    Error500,
    /// This status, with this body.
    Status(u16, String),
    /// Read the request and never answer until the client gives up.
    Timeout,
    /// Close the socket without answering.
    DropConnection,
    /// HTTP 200 with a garbage/truncated body.
    Malformed,
    /// Send the status line and headers with the full `Content-Length`, then half the body,
    /// then close.
    TruncateBody,
    /// HTTP 429 with `Retry-After` seconds.
    RetryAfter(u64),
    /// Pass [`CarrierFault::Reject`] to the handler.
    Reject(String),
}

/// A fault taken for one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InjectedFault {
    /// What to do.
    pub kind: FaultKind,
    /// Wait this long before doing it.
    pub delay: Option<Duration>,
    /// Run the handler first (its state changes happen), then apply the fault to the answer.
    pub after_processing: bool,
}

impl InjectedFault {
    /// The carrier fault to hand to the handler, if any.
    pub fn carrier_fault(&self) -> Option<CarrierFault> {
        match &self.kind {
            FaultKind::Reject(code) => Some(CarrierFault::Reject(code.clone())),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
enum Remaining {
    Times(u32),
    Always,
}

#[derive(Debug)]
struct Rule {
    op: String,
    fault: InjectedFault,
    remaining: Remaining,
}

/// The fault rules of one simulator; clones share the same rules.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    rules: Arc<Mutex<Vec<Arc<Mutex<Rule>>>>>,
}

impl Faults {
    /// No faults.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a rule for operation `op` (`"*"` matches every operation). The rule is active as
    /// soon as a fault method is called on the builder; it fires once unless `.times(n)` or
    /// `.always()` says otherwise.
    pub fn on(&self, op: impl Into<String>) -> FaultBuilder {
        let rule = Arc::new(Mutex::new(Rule {
            op: op.into(),
            fault: InjectedFault {
                kind: FaultKind::None,
                delay: None,
                after_processing: false,
            },
            remaining: Remaining::Times(0),
        }));
        FaultBuilder {
            faults: self.clone(),
            rule,
            registered: false,
        }
    }

    /// Takes the fault for one request to `op`, if a rule matches (oldest rule first).
    pub fn take(&self, op: &str) -> Option<InjectedFault> {
        let mut rules = self.rules.lock().unwrap_or_else(|p| p.into_inner());
        for i in 0..rules.len() {
            let (fault, exhausted) = {
                let mut rule = rules[i].lock().unwrap_or_else(|p| p.into_inner());
                if rule.op != op && rule.op != "*" {
                    continue;
                }
                let exhausted = match &mut rule.remaining {
                    Remaining::Always => false,
                    Remaining::Times(0) => continue,
                    Remaining::Times(n) => {
                        *n -= 1;
                        *n == 0
                    }
                };
                (rule.fault.clone(), exhausted)
            };
            if exhausted {
                rules.remove(i);
            }
            return Some(fault);
        }
        None
    }

    /// Removes every rule.
    pub fn clear(&self) {
        self.rules.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Number of active rules.
    pub fn pending(&self) -> usize {
        self.rules.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    fn register(&self, rule: &Arc<Mutex<Rule>>) {
        self.rules
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(rule.clone());
    }
}

/// Builds one fault rule; every method takes effect immediately (see [`Faults::on`]).
#[derive(Debug)]
pub struct FaultBuilder {
    faults: Faults,
    rule: Arc<Mutex<Rule>>,
    registered: bool,
}

impl FaultBuilder {
    fn edit(mut self, f: impl FnOnce(&mut Rule)) -> Self {
        {
            let mut r = self.rule.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut r);
            if let Remaining::Times(0) = r.remaining {
                r.remaining = Remaining::Times(1);
            }
        }
        if !self.registered {
            self.faults.register(&self.rule);
            self.registered = true;
        }
        self
    }

    fn kind(self, kind: FaultKind) -> Self {
        self.edit(|r| r.fault.kind = kind)
    }

    /// Waits `d` before answering (normally, unless another fault is set too).
    pub fn delay(self, d: Duration) -> Self {
        self.edit(|r| r.fault.delay = Some(d))
    }

    /// Answers HTTP 500.
    pub fn error500(self) -> Self {
        self.kind(FaultKind::Error500)
    }

    /// Answers with `status` and an empty body.
    pub fn status(self, status: u16) -> Self {
        self.kind(FaultKind::Status(status, String::new()))
    }

    /// Answers with `status` and `body`.
    pub fn status_body(self, status: u16, body: impl Into<String>) -> Self {
        self.kind(FaultKind::Status(status, body.into()))
    }

    /// Reads the request and never answers.
    pub fn timeout(self) -> Self {
        self.kind(FaultKind::Timeout)
    }

    /// Closes the connection without answering.
    pub fn drop_connection(self) -> Self {
        self.kind(FaultKind::DropConnection)
    }

    /// Answers 200 with a garbage/truncated body.
    pub fn malformed(self) -> Self {
        self.kind(FaultKind::Malformed)
    }

    /// Sends headers and half the body, then closes.
    pub fn truncate_body(self) -> Self {
        self.kind(FaultKind::TruncateBody)
    }

    /// Hands `CarrierFault::Reject(code)` to the handler.
    pub fn reject(self, carrier_code: impl Into<String>) -> Self {
        self.kind(FaultKind::Reject(carrier_code.into()))
    }

    /// Answers 429 with `Retry-After: secs`.
    pub fn retry_after(self, secs: u64) -> Self {
        self.kind(FaultKind::RetryAfter(secs))
    }

    /// Runs the handler first (state changes), then applies the fault: the "maybe sent" case.
    pub fn after_processing(self) -> Self {
        self.edit(|r| r.fault.after_processing = true)
    }

    /// Fires for the next `n` matching requests.
    pub fn times(self, n: u32) -> Self {
        self.edit(|r| r.remaining = Remaining::Times(n.max(1)))
    }

    /// Fires for every matching request until [`Faults::clear`].
    pub fn always(self) -> Self {
        self.edit(|r| r.remaining = Remaining::Always)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_fire_once_n_times_or_always() {
        let f = Faults::new();
        f.on("create").error500();
        f.on("track").delay(Duration::from_millis(5)).times(2);
        assert_eq!(f.take("create").map(|x| x.kind), Some(FaultKind::Error500));
        assert_eq!(f.take("create"), None);
        for _ in 0..2 {
            let t = f.take("track");
            assert_eq!(t.as_ref().map(|x| &x.kind), Some(&FaultKind::None));
            assert_eq!(t.and_then(|x| x.delay), Some(Duration::from_millis(5)));
        }
        assert_eq!(f.take("track"), None);
        f.on("*").reject("60020").after_processing().always();
        for op in ["a", "b", "a"] {
            let t = f.take(op);
            assert_eq!(
                t.as_ref().and_then(InjectedFault::carrier_fault),
                Some(CarrierFault::Reject("60020".into()))
            );
            assert!(t.is_some_and(|t| t.after_processing));
        }
        assert_eq!(f.pending(), 1);
        f.clear();
        assert_eq!(f.take("a"), None);
        // A builder with no fault method registers nothing.
        let _ = f.on("x");
        assert_eq!(f.pending(), 0);
    }
}
