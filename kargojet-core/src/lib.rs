//! KargoJet core: the Turkish shipping domain, pricing, the orchestrator, the wallet and labels.
//! No carrier knowledge and no network code: carriers are [`carrier::Carrier`] implementations
//! in their own crates, stores are traits.

pub mod address;
#[cfg(feature = "bulk")]
pub mod bulk;
pub mod carrier;
pub mod error;
pub mod geo;
pub mod insights;
#[cfg(feature = "label")]
pub mod label;
pub mod money;
pub mod orchestrator;
pub mod parcel;
pub mod pricing;
pub mod shipment;
pub mod store;
pub mod time;
pub mod tracking;
pub mod wallet;
pub mod webhook;

pub use error::{Code, Error, Result, SendState, error_codes};
pub use money::{Currency, Money};
