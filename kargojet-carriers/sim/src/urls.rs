//! The base URLs of a running `kargojet-sim`, as printed and written to `--urls-file`:
//!
//! ```json
//! {"admin":"http://127.0.0.1:9108","carriers":{"yurtici":"http://127.0.0.1:9100","aras":"…"}}
//! ```
//!
//! Carrier keys are KargoJet's carrier ids (`yurtici`, `aras`, `ptt`, `surat`, `hepsijet`,
//! `sendeo`, `mng`, `kolay_gelsin`); each URL is the simulator's `http://127.0.0.1:PORT`, which
//! every carrier crate's `sim::connector_config_for` turns into a connector configuration.

use crate::SimError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Where the simulators listen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimUrls {
    /// The admin endpoint (`GET /shipments`, `GET|POST /clock`, `GET /health`).
    pub admin: String,
    /// Carrier id → base URL.
    pub carriers: BTreeMap<String, String>,
}

impl SimUrls {
    /// Reads a URLs file.
    pub fn read(path: &Path) -> Result<SimUrls, SimError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| SimError::io(format!("reading {}", path.display()), e))?;
        serde_json::from_str(&text).map_err(|e| SimError::StateCorrupt {
            path: path.display().to_string(),
            detail: e.to_string(),
        })
    }

    /// Writes it atomically (temp file + rename).
    pub fn write(&self, path: &Path) -> Result<(), SimError> {
        let json = serde_json::to_vec_pretty(self).map_err(|e| SimError::StateCorrupt {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        crate::state::write_atomically(path, &json)
    }

    /// The base URL of a carrier.
    pub fn carrier(&self, id: &str) -> Option<&str> {
        self.carriers.get(id).map(String::as_str)
    }
}
