//! The in-process carriers: the library's [`Sandbox`] (every carrier's simulator), with Kolay
//! Gelsin's simulator pushing its events to this server's webhook.
//! Their shared simulated clock follows the wall clock, and an admin can move it forward
//! (`POST /v1/sandbox/clock`) to let parcels travel in seconds.

use kargojet::carrier::Carrier;
use kargojet::kolaygelsin::sim::WebhookTarget;
use kargojet::kolaygelsin::webhook::WebhookAuth;
use kargojet::sandbox::Sandbox;
use kargojet::time::{Clock, ManualClock};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Running simulators and the clock driver. Dropping it stops them.
pub struct SandboxRuntime {
    /// The library's sandbox.
    pub sandbox: Sandbox,
    clock: ManualClock,
    offset: Arc<Mutex<chrono::Duration>>,
    driver: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for SandboxRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxRuntime")
            .field("sandbox", &self.sandbox)
            .finish_non_exhaustive()
    }
}

impl Drop for SandboxRuntime {
    fn drop(&mut self) {
        self.driver.abort();
        self.sandbox.kolaygelsin.clear_webhook();
    }
}

fn follow(clock: &ManualClock, offset: &Mutex<chrono::Duration>) {
    let off = *offset.lock().unwrap_or_else(|p| p.into_inner());
    let target = chrono::Utc::now() + off;
    if target > clock.now() {
        clock.set(target);
    }
}

impl SandboxRuntime {
    /// Starts every simulator (inside a tokio runtime).
    pub fn start() -> kargojet::Result<SandboxRuntime> {
        let clock = ManualClock::new(chrono::Utc::now());
        let sandbox = Sandbox::start_at(clock.clone())?;
        let offset = Arc::new(Mutex::new(chrono::Duration::zero()));
        let (c, o) = (clock.clone(), offset.clone());
        let driver = tokio::spawn(async move {
            loop {
                follow(&c, &o);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        Ok(SandboxRuntime {
            sandbox,
            clock,
            offset,
            driver,
        })
    }

    /// The platform-account connector of every carrier.
    pub fn connectors(&self) -> &[Arc<dyn Carrier>] {
        self.sandbox.connectors()
    }

    /// The simulated clock.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// Moves simulated time forward by `by` (it keeps following the wall clock from there).
    pub fn advance(&self, by: Duration) {
        let by = chrono::Duration::from_std(by).unwrap_or_else(|_| chrono::Duration::zero());
        {
            let mut off = self.offset.lock().unwrap_or_else(|p| p.into_inner());
            *off += by;
        }
        self.clock.set(self.clock.now() + by);
        follow(&self.clock, &self.offset);
    }

    /// How far simulated time is ahead of the wall clock.
    pub fn offset(&self) -> chrono::Duration {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes Kolay Gelsin's simulator push its events to `url` with `auth`.
    pub fn push_kolay_gelsin_to(&self, url: String, auth: WebhookAuth) -> std::io::Result<()> {
        let kg = &self.sandbox.kolaygelsin;
        kg.set_webhook(WebhookTarget { url, auth });
        kg.start_pushing(Duration::from_millis(100))
    }
}
