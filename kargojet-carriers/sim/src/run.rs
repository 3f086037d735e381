//! Starting everything: options (flags and environment), replay of the state file, ports, the
//! recorders, the admin endpoint and the clock driver.

use crate::SimError;
use crate::admin::Admin;
use crate::carriers::{self, Entry};
use crate::state::{StateDoc, Store};
use crate::urls::SimUrls;
use kargojet_carrier_common::sim::SimServer;
use kargojet_core::carrier::CarrierId;
use kargojet_core::time::{Clock, ManualClock};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The `--help` text.
pub const HELP: &str = r#"kargojet-sim — every KargoJet carrier simulator in one process on 127.0.0.1

USAGE:
    kargojet-sim [--state <file>] [--urls-file <file>] [--port-base <port>] [--port <carrier>=<port>]… [--admin-port <port>]

Starts the Yurtiçi, Aras, PTT, Sürat, HepsiJET, Sendeo, MNG and Kolay Gelsin simulators, prints
their base URLs as one JSON line ({"admin":…,"carriers":{"yurtici":…}}) and serves until SIGTERM
or Ctrl-C. With --state, every state-changing request is journalled to the file (rewritten
atomically before the answer) and replayed on the next start: shipments, numbers, timelines,
cancellations and the clock survive restarts.

FLAGS:
    --state <file>           state file                         [env KARGOJET_SIM_STATE]
    --urls-file <file>       write the base URLs here (JSON)    [env KARGOJET_SIM_URLS_FILE]
    --port-base <port>       carriers on port, port+1, … in the order yurtici, aras, ptt, surat,
                             hepsijet, sendeo, mng, kolay_gelsin; admin on port+8
                                                                [env KARGOJET_SIM_PORT_BASE]
    --port <carrier>=<port>  one carrier's port (overrides --port-base)
    --admin-port <port>      the admin endpoint's port          [env KARGOJET_SIM_ADMIN_PORT]
    -h, --help               print this help
With no port given, every port is ephemeral (read them from the printed JSON or the URLs file).

ADMIN (JSON): GET /health, GET /shipments, GET /shipments/<carrier>, GET /duplicates,
              GET /clock, POST /clock {"advance_secs":N}, GET /journal
"#;

/// What to run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// The state file.
    pub state: Option<PathBuf>,
    /// Where to write the URLs.
    pub urls_file: Option<PathBuf>,
    /// Fixed carrier ports by carrier id.
    pub ports: BTreeMap<String, u16>,
    /// Fixed admin port.
    pub admin_port: Option<u16>,
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Run with these options.
    Run(Options),
    /// Print the help.
    Help,
}

fn port(name: &str, v: &str) -> Result<u16, SimError> {
    v.trim()
        .parse()
        .map_err(|_| SimError::BadArgument(format!("{name}: '{v}' is not a port")))
}

impl Options {
    /// Reads flags (`args` without the program name) over the environment.
    pub fn parse(args: &[String], env: &HashMap<String, String>) -> Result<Action, SimError> {
        let get = |k: &str| env.get(k).filter(|v| !v.is_empty()).cloned();
        let mut o = Options {
            state: get("KARGOJET_SIM_STATE").map(PathBuf::from),
            urls_file: get("KARGOJET_SIM_URLS_FILE").map(PathBuf::from),
            ..Options::default()
        };
        let mut base = match get("KARGOJET_SIM_PORT_BASE") {
            Some(v) => Some(port("KARGOJET_SIM_PORT_BASE", &v)?),
            None => None,
        };
        if let Some(v) = get("KARGOJET_SIM_ADMIN_PORT") {
            o.admin_port = Some(port("KARGOJET_SIM_ADMIN_PORT", &v)?);
        }
        let mut single: BTreeMap<String, u16> = BTreeMap::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            if matches!(name, "-h" | "--help") {
                return Ok(Action::Help);
            }
            if !matches!(
                name,
                "--state" | "--urls-file" | "--port-base" | "--port" | "--admin-port"
            ) {
                return Err(SimError::BadArgument(format!(
                    "{name}: unknown argument (see kargojet-sim --help)"
                )));
            }
            let v = match inline {
                Some(v) => v,
                None => it
                    .next()
                    .cloned()
                    .ok_or_else(|| SimError::BadArgument(format!("{name} needs a value")))?,
            };
            match name {
                "--state" => o.state = Some(PathBuf::from(v)),
                "--urls-file" => o.urls_file = Some(PathBuf::from(v)),
                "--port-base" => base = Some(port(name, &v)?),
                "--admin-port" => o.admin_port = Some(port(name, &v)?),
                _ => {
                    let (carrier, p) = v.split_once('=').ok_or_else(|| {
                        SimError::BadArgument(format!("--port {v}: use <carrier>=<port>"))
                    })?;
                    let id = CarrierId::parse(carrier.trim());
                    if !carriers::ORDER.contains(&id) {
                        return Err(SimError::BadArgument(format!(
                            "--port {v}: unknown carrier '{carrier}'"
                        )));
                    }
                    single.insert(id.to_string(), port(name, p)?);
                }
            }
        }
        if let Some(b) = base {
            for (i, id) in carriers::ORDER.iter().enumerate() {
                let p = u16::try_from(usize::from(b) + i)
                    .map_err(|_| SimError::BadArgument(format!("--port-base {b}: too high")))?;
                o.ports.insert(id.to_string(), p);
            }
            if o.admin_port.is_none() {
                o.admin_port =
                    Some(b.checked_add(8).ok_or_else(|| {
                        SimError::BadArgument(format!("--port-base {b}: too high"))
                    })?);
            }
        }
        o.ports.extend(single);
        Ok(Action::Run(o))
    }
}

/// The running simulators. Dropping it stops them.
pub struct Running {
    /// Where everything listens.
    pub urls: SimUrls,
    entries: Arc<Vec<Entry>>,
    store: Arc<Store>,
    admin: SimServer,
    driver: tokio::task::JoinHandle<()>,
    /// How many journalled requests were replayed at start.
    pub replayed: usize,
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("urls", &self.urls)
            .field("replayed", &self.replayed)
            .finish_non_exhaustive()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.driver.abort();
        self.admin.shutdown();
        for e in self.entries.iter() {
            e.sim.server().set_recorder(None);
            e.sim.server().shutdown();
        }
    }
}

impl Running {
    /// The state (clock, journals).
    pub fn store(&self) -> &Arc<Store> {
        &self.store
    }

    /// What every simulator holds, carrier id → its shipments (as `GET /shipments` on the
    /// admin endpoint answers), e.g. for [`crate::remote::resumed_connectors`].
    pub fn held(&self) -> BTreeMap<String, Vec<kargojet_carrier_common::sim::HeldShipment>> {
        carriers::inventory(&self.entries)
    }

    /// Writes the state file once more (also done after every change) and stops recording.
    pub async fn stop(&self) -> Result<(), SimError> {
        for e in self.entries.iter() {
            e.sim.server().set_recorder(None);
        }
        self.store.flush().await
    }
}

fn bind_error(what: &str, addr: SocketAddr, e: std::io::Error) -> SimError {
    SimError::io(format!("listening for {what} on {addr}"), e)
}

/// Starts every simulator (inside a multi-threaded tokio runtime), replaying the state file.
pub async fn start(options: &Options) -> Result<Running, SimError> {
    let doc = match &options.state {
        Some(p) => StateDoc::load(p)?,
        None => None,
    };
    let clock = ManualClock::new(chrono::Utc::now());
    let entries = carriers::start_all(&clock).map_err(|e| SimError::io("starting", e))?;
    let doc = doc.unwrap_or_else(|| StateDoc::new(clock.now()));
    // Replay each carrier's journal on the clock values its requests first ran at.
    let mut replayed = 0usize;
    for e in &entries {
        let Some(journal) = doc.journals.get(&e.id.to_string()) else {
            continue;
        };
        for r in journal {
            clock.set(r.at);
            let _ = e.sim.server().replay(&r.request()).await;
            replayed += 1;
        }
    }
    let last = doc.clock.now;
    let store = Arc::new(Store::new(doc, options.state.clone(), clock.clone()));
    clock.set(last.max(clock.now()));
    store.follow_wall_clock();
    for e in &entries {
        let id = e.id.to_string();
        if let Some(p) = options.ports.get(&id) {
            let addr = SocketAddr::from(([127, 0, 0, 1], *p));
            e.sim
                .server()
                .rebind(addr)
                .map_err(|err| bind_error(&id, addr, err))?;
        }
        e.sim
            .server()
            .set_recorder(Some(Arc::new(store.recorder(&id, e.read_only))));
    }
    let entries = Arc::new(entries);
    let admin = SimServer::start(Arc::new(Admin::new(entries.clone(), store.clone())))
        .map_err(|e| SimError::io("starting the admin endpoint", e))?;
    if let Some(p) = options.admin_port {
        let addr = SocketAddr::from(([127, 0, 0, 1], p));
        admin
            .rebind(addr)
            .map_err(|e| bind_error("the admin endpoint", addr, e))?;
    }
    store.flush().await?;
    let urls = SimUrls {
        admin: admin.base_url(),
        carriers: entries
            .iter()
            .map(|e| (e.id.to_string(), e.sim.server().base_url()))
            .collect(),
    };
    if let Some(p) = &options.urls_file {
        urls.write(p)?;
    }
    let ticking = store.clone();
    let driver = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_millis(200)).await;
            ticking.tick();
        }
    });
    Ok(Running {
        urls,
        entries,
        store,
        admin,
        driver,
        replayed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ports_come_from_the_base_and_single_flags() {
        let env = HashMap::from([("KARGOJET_SIM_STATE".to_string(), "/tmp/s.json".to_string())]);
        let Ok(Action::Run(o)) = Options::parse(
            &args(&[
                "--port-base",
                "9100",
                "--port",
                "aras=9200",
                "--urls-file=u.json",
            ]),
            &env,
        ) else {
            panic!("options should parse");
        };
        assert_eq!(o.ports.get("yurtici"), Some(&9100));
        assert_eq!(o.ports.get("aras"), Some(&9200));
        assert_eq!(o.ports.get("kolay_gelsin"), Some(&9107));
        assert_eq!(o.admin_port, Some(9108));
        assert_eq!(o.state, Some(PathBuf::from("/tmp/s.json")));
        assert_eq!(o.urls_file, Some(PathBuf::from("u.json")));
        let none = HashMap::new();
        assert_eq!(
            Options::parse(&args(&["-h"]), &none).ok(),
            Some(Action::Help)
        );
        let bad = |a: &[&str]| Options::parse(&args(a), &none).err().map(|e| e.code());
        assert_eq!(bad(&["--nope"]), Some("sim.bad_argument"));
        assert_eq!(bad(&["--port", "dhl=1"]), Some("sim.bad_argument"));
        assert_eq!(bad(&["--port-base", "65530"]), Some("sim.bad_argument"));
        assert_eq!(bad(&["--state"]), Some("sim.bad_argument"));
    }
}
