//! The sandbox carriers: by default the library's in-process [`Sandbox`] (every carrier's
//! simulator), with Kolay Gelsin's simulator pushing its events to this server's webhook; or,
//! with `KARGOJET_SIM_URLS=<file>` (the URLs file of a running `kargojet-sim`), the same
//! simulators in that other process, so they outlive this server (crash tests, platforms
//! testing against a stable sandbox).
//! The shared simulated clock follows the wall clock, and an admin can move it forward
//! (`POST /v1/sandbox/clock`, forwarded to `kargojet-sim` when the carriers run there) to let
//! parcels travel in seconds.

use kargojet::carrier::{Carrier, CarrierId};
use kargojet::kolaygelsin::sim::WebhookTarget;
use kargojet::kolaygelsin::webhook::WebhookAuth;
use kargojet::sandbox::Sandbox;
use kargojet::time::{Clock, ManualClock};
use kargojet_sim::SimUrls;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Where the sandbox carriers run.
enum Carriers {
    /// In this process.
    InProcess(Box<Sandbox>),
    /// In a `kargojet-sim` process.
    Remote {
        urls: SimUrls,
        connectors: Vec<Arc<dyn Carrier>>,
        client: reqwest::Client,
    },
}

/// Running simulators (or the connection to them) and the clock driver. Dropping it stops the
/// in-process ones.
pub struct SandboxRuntime {
    carriers: Carriers,
    clock: ManualClock,
    offset: Arc<Mutex<chrono::Duration>>,
    driver: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for SandboxRuntime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mode = match &self.carriers {
            Carriers::InProcess(_) => "in-process".to_string(),
            Carriers::Remote { urls, .. } => format!("kargojet-sim at {}", urls.admin),
        };
        f.debug_struct("SandboxRuntime")
            .field("carriers", &mode)
            .finish_non_exhaustive()
    }
}

impl Drop for SandboxRuntime {
    fn drop(&mut self) {
        self.driver.abort();
        if let Carriers::InProcess(sb) = &self.carriers {
            sb.kolaygelsin.clear_webhook();
        }
    }
}

fn follow(clock: &ManualClock, offset: &Mutex<chrono::Duration>) {
    let off = *offset.lock().unwrap_or_else(|p| p.into_inner());
    let target = chrono::Utc::now() + off;
    if target > clock.now() {
        clock.set(target);
    }
}

fn sim_error(detail: impl Into<String>) -> kargojet::Error {
    kargojet::Error::invalid(
        kargojet::Code::RequestInvalidConfig,
        "sim_urls",
        detail.into(),
    )
}

impl SandboxRuntime {
    /// Starts every simulator in-process (inside a tokio runtime).
    pub fn start() -> kargojet::Result<SandboxRuntime> {
        let clock = ManualClock::new(chrono::Utc::now());
        let sandbox = Sandbox::start_at(clock.clone())?;
        Ok(Self::with(
            Carriers::InProcess(Box::new(sandbox)),
            clock,
            chrono::Duration::zero(),
        ))
    }

    /// Connects to the simulators of a running `kargojet-sim` whose URLs file is `path`; the
    /// clock starts where `kargojet-sim`'s is (its offset is read from the admin endpoint),
    /// and the connectors continue after the numbers the simulators already hold
    /// ([`kargojet_sim::remote::resumed_connectors`]).
    pub async fn connect(path: &std::path::Path) -> kargojet::Result<SandboxRuntime> {
        let urls = SimUrls::read(path).map_err(|e| sim_error(e.to_string()))?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| sim_error(format!("HTTP client: {e}")))?;
        let clock_url = format!("{}/clock", urls.admin);
        let remote: serde_json::Value = client
            .get(&clock_url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| sim_error(format!("kargojet-sim does not answer at {clock_url}: {e}")))?
            .json()
            .await
            .map_err(|e| sim_error(format!("{clock_url}: {e}")))?;
        let offset = chrono::Duration::seconds(
            remote
                .get("offset_secs")
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(0),
        );
        let clock = ManualClock::new(chrono::Utc::now() + offset);
        // What the simulators already hold (they outlive this process): connectors that draw
        // numbers themselves (PTT's barcodes) continue after them instead of offering them again.
        let held_url = format!("{}/shipments", urls.admin);
        let held: BTreeMap<String, Vec<kargojet_sim::HeldShipment>> = client
            .get(&held_url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| sim_error(format!("kargojet-sim does not answer at {held_url}: {e}")))?
            .json()
            .await
            .map_err(|e| sim_error(format!("{held_url}: {e}")))?;
        let connectors = kargojet_sim::remote::resumed_connectors(&urls, &clock, &held)?;
        tracing::info!(admin = %urls.admin, "sandbox carriers run in kargojet-sim");
        Ok(Self::with(
            Carriers::Remote {
                urls,
                connectors,
                client,
            },
            clock,
            offset,
        ))
    }

    fn with(carriers: Carriers, clock: ManualClock, offset: chrono::Duration) -> SandboxRuntime {
        let offset = Arc::new(Mutex::new(offset));
        let (c, o) = (clock.clone(), offset.clone());
        let driver = tokio::spawn(async move {
            loop {
                follow(&c, &o);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        SandboxRuntime {
            carriers,
            clock,
            offset,
            driver,
        }
    }

    /// The in-process sandbox, when the carriers run here.
    pub fn in_process(&self) -> Option<&Sandbox> {
        match &self.carriers {
            Carriers::InProcess(sb) => Some(sb),
            Carriers::Remote { .. } => None,
        }
    }

    /// The URLs of `kargojet-sim`, when the carriers run there.
    pub fn remote_urls(&self) -> Option<&SimUrls> {
        match &self.carriers {
            Carriers::InProcess(_) => None,
            Carriers::Remote { urls, .. } => Some(urls),
        }
    }

    /// The platform-account connector of every carrier.
    pub fn connectors(&self) -> &[Arc<dyn Carrier>] {
        match &self.carriers {
            Carriers::InProcess(sb) => sb.connectors(),
            Carriers::Remote { connectors, .. } => connectors,
        }
    }

    /// The base URL (`http://127.0.0.1:PORT`) of a carrier's simulator.
    pub fn base_url(&self, carrier: &CarrierId) -> kargojet::Result<String> {
        let url = match &self.carriers {
            Carriers::InProcess(sb) => match carrier {
                CarrierId::Yurtici => Some(sb.yurtici.server().base_url()),
                CarrierId::Aras => Some(sb.aras.base_url()),
                CarrierId::Ptt => Some(sb.ptt.base_url()),
                CarrierId::Surat => Some(sb.surat.base_url()),
                CarrierId::Hepsijet => Some(sb.hepsijet.base_url()),
                CarrierId::Sendeo => Some(sb.sendeo.base_url()),
                CarrierId::Mng => Some(sb.mng.base_url()),
                CarrierId::KolayGelsin => Some(sb.kolaygelsin.base_url()),
                _ => None,
            },
            Carriers::Remote { urls, .. } => urls.carrier(carrier.as_str()).map(str::to_string),
        };
        url.ok_or_else(|| {
            kargojet::Error::invalid(
                kargojet::Code::RequestUnknownCarrier,
                "carrier",
                format!("the sandbox has no simulator of {carrier}"),
            )
        })
    }

    /// The simulated clock.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// Moves simulated time forward by `by` (it keeps following the wall clock from there);
    /// with `kargojet-sim`, its clock is moved by the same amount.
    pub fn advance(&self, by: Duration) {
        let by = chrono::Duration::from_std(by).unwrap_or_else(|_| chrono::Duration::zero());
        {
            let mut off = self.offset.lock().unwrap_or_else(|p| p.into_inner());
            *off += by;
        }
        self.clock.set(self.clock.now() + by);
        follow(&self.clock, &self.offset);
        if let Carriers::Remote { urls, client, .. } = &self.carriers {
            let request = client
                .post(format!("{}/clock", urls.admin))
                .json(&serde_json::json!({ "advance_secs": by.num_seconds() }));
            tokio::spawn(async move {
                if let Err(e) = request.send().await.and_then(|r| r.error_for_status()) {
                    tracing::error!(error = %e, "kargojet-sim's clock could not be moved");
                }
            });
        }
    }

    /// How far simulated time is ahead of the wall clock.
    pub fn offset(&self) -> chrono::Duration {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Makes Kolay Gelsin's simulator push its events to `url` with `auth` (in-process only:
    /// with `kargojet-sim`, Kolay Gelsin shipments are tracked by polling like the others).
    pub fn push_kolay_gelsin_to(&self, url: String, auth: WebhookAuth) -> std::io::Result<()> {
        match &self.carriers {
            Carriers::InProcess(sb) => {
                let kg = &sb.kolaygelsin;
                kg.set_webhook(WebhookTarget { url, auth });
                kg.start_pushing(Duration::from_millis(100))
            }
            Carriers::Remote { .. } => {
                tracing::info!("Kolay Gelsin pushes stay off with kargojet-sim; tracking polls");
                Ok(())
            }
        }
    }
}
