//! KargoJet: one library for every Turkish carrier — quote, ship, label, track, wallet.
//!
//! This umbrella crate re-exports [`kargojet_core`] and, behind one feature per carrier, the
//! carrier crates (`yurtici`, `aras`, `ptt`, `surat`, `hepsijet`, `sendeo`, `mng`,
//! `kolaygelsin`; `all-carriers` for every one). The `sim` feature adds each carrier's protocol
//! simulator and [`sandbox::Sandbox`], which runs them in-process.

pub use kargojet_core::*;

/// Yurtiçi Kargo.
#[cfg(feature = "yurtici")]
pub use kargojet_yurtici as yurtici;

/// Aras Kargo.
#[cfg(feature = "aras")]
pub use kargojet_aras as aras;

/// PTT Kargo.
#[cfg(feature = "ptt")]
pub use kargojet_ptt as ptt;

/// Sürat Kargo.
#[cfg(feature = "surat")]
pub use kargojet_surat as surat;

/// HepsiJET.
#[cfg(feature = "hepsijet")]
pub use kargojet_hepsijet as hepsijet;

/// Sendeo.
#[cfg(feature = "sendeo")]
pub use kargojet_sendeo as sendeo;

/// MNG Kargo / DHL eCommerce.
#[cfg(feature = "mng")]
pub use kargojet_mng as mng;

/// Kolay Gelsin.
#[cfg(feature = "kolaygelsin")]
pub use kargojet_kolaygelsin as kolaygelsin;

#[cfg(feature = "sim")]
pub mod sandbox;
