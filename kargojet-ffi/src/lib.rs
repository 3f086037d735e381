//! KargoJet's one FFI facade: the [`KargoJet`] object, built from a [`KargoJetConfig`] or as a
//! sandbox, with flat owned records (money as exact decimal strings plus currency, never a
//! float), one tokio runtime owned by the facade, async methods with blocking twins
//! (`quote` / `quote_blocking`, …), and one error type, [`KargoJetError`], whose variant is
//! decided by the stable code ([`error_codes`], [`error_catalog`]).
//!
//! Annotated for uniffi (proc-macros): the Kotlin and Swift bindings are generated from the
//! cdylib; the Python (pyo3) and Node (napi-rs) bindings are thin adapters over the same
//! [`Engine`] and records.
//!
//! ```no_run
//! use kargojet_ffi::{KargoJet, QuoteRequest};
//! # fn demo(shipment: kargojet_ffi::ShipmentInput) -> Result<(), kargojet_ffi::KargoJetError> {
//! let kj = KargoJet::sandbox()?;
//! let quote = kj.quote_blocking(QuoteRequest { shipment, ..Default::default() })?;
//! for offer in &quote.offers {
//!     println!("{} {}", offer.carrier_name, offer.breakdown.total.amount);
//! }
//! # Ok(()) }
//! ```

// `KargoJetError` is the boundary's error record (eight owned fields every binding reads);
// it is returned by value because that is what crosses the FFI, and errors are the cold path.
#![allow(clippy::result_large_err)]

uniffi::setup_scaffolding!();

pub mod bulk;
pub mod config;
pub mod connectors;
pub mod engine;
pub mod error;
pub mod facade;
pub mod helpers;
pub mod input;
pub mod insights;
pub mod money;
pub mod output;
pub mod sandbox;

/// The domain crate the records convert from (for Rust adapters that convert lazily).
pub use kargojet as domain;

pub use bulk::{
    BulkCarrierTotal, BulkFileFormat, BulkImport, BulkOptions, BulkPlan, BulkPlannedRow,
    BulkPurchase, BulkRowError, BulkShippedRow, bulk_import,
};
pub use config::{
    AgreementConfig, CodFeeBandConfig, CodFeeConfig, ConfigFormat, ConfigText, KargoJetConfig,
    TransitDaysSource, WalletConfig,
};
pub use connectors::CarrierConfig;
pub use engine::Engine;
pub use error::{ErrorCodeInfo, ErrorInfo, ErrorKind, KargoJetError, error_catalog, error_codes};
pub use facade::KargoJet;
pub use helpers::{
    Address, DesiInfo, Province, billable_desi, distance_zone, districts, normalize_address,
    normalize_phone, parcel_desi, provinces, sign_webhook, verify_webhook,
};
pub use input::{
    AddressInput, CodPayment, ParcelInput, PartyInput, PolicyInput, QuoteRequest, RankBy,
    ShipRequest, ShipmentInput,
};
pub use insights::{InsightEvidence, InsightFinding, Insights, InsightsLanguage, InsightsRequest};
pub use money::{Currency, Money};
pub use output::{
    Balances, BatchOffer, BatchQuote, CarrierFailure, Exclusion, Label, LabelFormat, LabelSource,
    Measurement, Offer, PriceBreakdown, Quote, QuoteOutcome, Shipment, ShipmentStatus,
    TrackingEvent, TransitDays,
};
pub use sandbox::{SandboxFault, SandboxOperation};
