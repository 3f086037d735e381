//! KargoJet: one library for every Turkish carrier — quote, ship, label, track, wallet.
//!
//! This umbrella crate re-exports [`kargojet_core`] and, behind features, the carrier crates.

pub use kargojet_core::*;
