//! KargoJet connector for PTT Kargo: the Axis2 acceptance service (`kabulEkle2`,
//! `etiketGetir`, `barkodVeriSil`) and the separate tracking service (`gonderiSorgu`), with a
//! protocol-faithful simulator behind the `sim` feature. See the crate README for credentials,
//! capabilities, reconciliation and the assumptions made where PTT's documentation is silent.

pub mod barcode;
mod client;
pub mod config;
pub mod error;
mod lexer;
pub mod map;
pub mod parse;
#[cfg(feature = "sim")]
pub mod sim;
pub mod status;
pub mod wire;
pub mod xmltree;

pub use barcode::{BarcodeAllocator, BarcodeRange, InMemoryBarcodeAllocator};
pub use client::Ptt;
pub use config::{AcceptanceCredentials, PttConfig, TrackingCredentials};
