//! `kargojet-sim`: every carrier simulator of KargoJet in one process on 127.0.0.1, so a
//! server (or a platform's own integration) can run against carriers that outlive it.
//!
//! - Each carrier's protocol simulator (the same one `kargojet::sandbox` runs in-process) gets
//!   a fixed port (flags) or an ephemeral one; the base URLs are printed as one JSON line and
//!   written to `--urls-file` ([`SimUrls`]).
//! - Simulator state is persisted to `--state <file>`: every state-changing request (creates,
//!   cancels, logins, measurements …) is journalled with the simulated time it ran at and the
//!   file is rewritten atomically (temp file + rename) before the answer leaves. On start the
//!   journal is replayed into fresh simulators on the same clock values — the simulators are
//!   deterministic — so shipments, their references and numbers, timelines, cancellations and
//!   issued tokens come back exactly ([`state`]).
//! - An admin endpoint lists what every simulator holds and moves the shared clock
//!   ([`admin`]).

pub mod admin;
pub mod carriers;
pub mod remote;
pub mod run;
pub mod state;
pub mod urls;

pub use kargojet_carrier_common::sim::HeldShipment;
pub use run::{Options, Running, start};
pub use urls::SimUrls;

/// What can go wrong running the simulators; each has a stable code.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// A command-line argument or environment variable is wrong.
    #[error("{0}")]
    BadArgument(String),
    /// A file could not be read or written.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The state file does not parse (or is of another version).
    #[error("state file {path}: {detail}")]
    StateCorrupt {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
}

impl SimError {
    /// The stable code: `sim.bad_argument`, `sim.io`, `sim.state_corrupt`.
    pub fn code(&self) -> &'static str {
        match self {
            SimError::BadArgument(_) => "sim.bad_argument",
            SimError::Io { .. } => "sim.io",
            SimError::StateCorrupt { .. } => "sim.state_corrupt",
        }
    }

    pub(crate) fn io(what: impl Into<String>, source: std::io::Error) -> SimError {
        SimError::Io {
            what: what.into(),
            source,
        }
    }
}
