//! The state file: the shared clock and, per carrier, the journal of state-changing requests.
//!
//! ```json
//! {"version":1,"clock":{"now":"2026-…Z","offset_secs":0},
//!  "journals":{"yurtici":[{"at":"2026-…Z","op":"createShipment","method":"POST",…}]}}
//! ```
//!
//! Every recorded request rewrites the file atomically (a temp file in the same directory,
//! then `rename`) before the simulator answers, so a crash of either side never leaves a
//! half-written file and an answered create is always in it.

use crate::SimError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::{RecordGuard, RecordedRequest, Recorder, SimRequest};
use kargojet_core::time::{Clock, ManualClock};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The version written and accepted.
pub const VERSION: u32 = 1;

/// The simulated clock as persisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockState {
    /// The last simulated time seen.
    pub now: DateTime<Utc>,
    /// How far simulated time runs ahead of the wall clock, in seconds.
    pub offset_secs: i64,
}

/// The whole state file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StateDoc {
    /// Format version ([`VERSION`]).
    pub version: u32,
    /// The clock.
    pub clock: ClockState,
    /// Carrier id → its state-changing requests, in the order they ran.
    pub journals: BTreeMap<String, Vec<RecordedRequest>>,
}

impl StateDoc {
    /// An empty state at `now`.
    pub fn new(now: DateTime<Utc>) -> StateDoc {
        StateDoc {
            version: VERSION,
            clock: ClockState {
                now,
                offset_secs: 0,
            },
            journals: BTreeMap::new(),
        }
    }

    /// Reads a state file; `None` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<StateDoc>, SimError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SimError::io(format!("reading {}", path.display()), e)),
        };
        let corrupt = |detail: String| SimError::StateCorrupt {
            path: path.display().to_string(),
            detail,
        };
        let doc: StateDoc = serde_json::from_slice(&bytes).map_err(|e| corrupt(e.to_string()))?;
        if doc.version != VERSION {
            return Err(corrupt(format!(
                "version {} (this build reads {VERSION})",
                doc.version
            )));
        }
        Ok(Some(doc))
    }
}

/// Writes `bytes` to `path` atomically: a temp file next to it, flushed, then renamed over it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), SimError> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "state".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let io = |what: &str, e| SimError::io(format!("{what} {}", tmp.display()), e);
    let mut f = std::fs::File::create(&tmp).map_err(|e| io("creating", e))?;
    f.write_all(bytes).map_err(|e| io("writing", e))?;
    f.flush().map_err(|e| io("flushing", e))?;
    drop(f);
    std::fs::rename(&tmp, path)
        .map_err(|e| SimError::io(format!("renaming onto {}", path.display()), e))
}

/// The live state: the document, the clock and where to write it.
#[derive(Debug)]
pub struct Store {
    doc: Arc<tokio::sync::Mutex<StateDoc>>,
    path: Option<PathBuf>,
    clock: ManualClock,
    /// The wall-clock offset (mirrors `doc.clock.offset_secs` for the clock driver).
    offset: Mutex<chrono::Duration>,
}

impl Store {
    /// A store over `doc`, writing to `path` (none: in memory only).
    pub fn new(doc: StateDoc, path: Option<PathBuf>, clock: ManualClock) -> Store {
        let offset = chrono::Duration::seconds(doc.clock.offset_secs);
        Store {
            doc: Arc::new(tokio::sync::Mutex::new(doc)),
            path,
            clock,
            offset: Mutex::new(offset),
        }
    }

    /// The shared clock.
    pub fn clock(&self) -> &ManualClock {
        &self.clock
    }

    /// How far simulated time is ahead of the wall clock.
    pub fn offset(&self) -> chrono::Duration {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Moves the clock to wall clock + offset when that is later (it never goes back).
    pub fn follow_wall_clock(&self) {
        let target = Utc::now() + self.offset();
        if target > self.clock.now() {
            self.clock.set(target);
        }
    }

    /// One step of the clock driver: follows the wall clock unless a recorded request is
    /// running (it then runs on one clock value, the one its journal entry keeps).
    pub fn tick(&self) {
        if let Ok(_quiet) = self.doc.try_lock() {
            self.follow_wall_clock();
        }
    }

    /// Moves simulated time forward by `by` and persists the new offset.
    pub async fn advance(&self, by: chrono::Duration) -> Result<ClockState, SimError> {
        let mut doc = self.doc.lock().await;
        {
            let mut off = self.offset.lock().unwrap_or_else(|p| p.into_inner());
            *off += by;
        }
        self.clock.set(self.clock.now() + by);
        self.follow_wall_clock();
        doc.clock = ClockState {
            now: self.clock.now(),
            offset_secs: self.offset().num_seconds(),
        };
        self.save(&doc)?;
        Ok(doc.clock)
    }

    /// The clock as it would be persisted now.
    pub fn clock_state(&self) -> ClockState {
        ClockState {
            now: self.clock.now(),
            offset_secs: self.offset().num_seconds(),
        }
    }

    /// How many requests the journals hold, per carrier.
    pub async fn journal_sizes(&self) -> BTreeMap<String, usize> {
        let doc = self.doc.lock().await;
        doc.journals
            .iter()
            .map(|(k, v)| (k.clone(), v.len()))
            .collect()
    }

    /// Writes the document now (with the current clock).
    pub async fn flush(&self) -> Result<(), SimError> {
        let mut doc = self.doc.lock().await;
        doc.clock = self.clock_state();
        self.save(&doc)
    }

    fn save(&self, doc: &StateDoc) -> Result<(), SimError> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        let bytes = serde_json::to_vec(doc).map_err(|e| SimError::StateCorrupt {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        write_atomically(path, &bytes)
    }

    /// A recorder for one carrier's server.
    pub fn recorder(
        self: &Arc<Self>,
        carrier: &str,
        read_only: &'static [&'static str],
    ) -> Journal {
        Journal {
            store: self.clone(),
            carrier: carrier.to_string(),
            read_only,
        }
    }
}

/// One carrier's journal: records every request whose operation is not read-only.
#[derive(Debug)]
pub struct Journal {
    store: Arc<Store>,
    carrier: String,
    read_only: &'static [&'static str],
}

struct Pending {
    doc: tokio::sync::OwnedMutexGuard<StateDoc>,
    at: DateTime<Utc>,
}

#[async_trait]
impl Recorder for Journal {
    fn records(&self, op: &str) -> bool {
        !self.read_only.contains(&op)
    }

    async fn begin(&self, _op: &str) -> RecordGuard {
        let doc = self.store.doc.clone().lock_owned().await;
        Box::new(Pending {
            doc,
            at: self.store.clock.now(),
        })
    }

    async fn record(&self, guard: RecordGuard, op: &str, request: &SimRequest, _status: u16) {
        let Ok(mut pending) = guard.downcast::<Pending>() else {
            return;
        };
        let at = pending.at;
        pending
            .doc
            .journals
            .entry(self.carrier.clone())
            .or_default()
            .push(RecordedRequest::new(at, op, request));
        pending.doc.clock = self.store.clock_state();
        if let Err(e) = self.store.save(&pending.doc) {
            // The answer still goes out; the operator sees why the state may be behind.
            eprintln!("kargojet-sim: {} ({})", e, e.code());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_writes_replace_the_file_whole() {
        let dir = std::env::temp_dir().join(format!("kj-sim-state-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("state.json");
        let doc = StateDoc::new(DateTime::<Utc>::UNIX_EPOCH);
        let bytes = serde_json::to_vec(&doc).unwrap_or_default();
        assert!(write_atomically(&path, &bytes).is_ok());
        assert!(write_atomically(&path, &bytes).is_ok());
        assert_eq!(StateDoc::load(&path).ok().flatten(), Some(doc));
        let leftovers = std::fs::read_dir(&dir)
            .map(|d| d.filter_map(|e| e.ok()).count())
            .unwrap_or(0);
        assert_eq!(leftovers, 1, "no temp file is left behind");
        assert!(StateDoc::load(&dir.join("missing.json")).is_ok_and(|d| d.is_none()));
        assert!(std::fs::write(&path, b"{\"version\":1").is_ok());
        assert_eq!(
            StateDoc::load(&path).err().map(|e| e.code()),
            Some("sim.state_corrupt")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
