//! KargoJet for Node.js: a thin napi-rs adapter over `kargojet-ffi`, the one facade every
//! language shares.
//!
//! - `KargoJet.sandbox()`, `KargoJet.fromJson(json)` or `new KargoJet(config)`;
//! - every operation twice: `quote(request)` returns a Promise, settled from the facade's own
//!   tokio runtime; `quoteSync(request)` blocks and returns the value;
//! - plain objects with camelCase fields (typed in the generated `index.d.ts`), decimals and
//!   money as exact strings (`{ amount: "1234.50", currency: "TRY" }`), bytes as `Buffer`s;
//! - every failure a real `Error` with `.code` the stable KargoJet code, `.name` its kind
//!   (`InvalidRequestError`, `CarrierRejectedError`, …) and `.messageTr`, `.messageEn`,
//!   `.field`, `.carrier`, `.carrierCode`, `.retryable`, `.maybeSent`.

// `KargoJetError` is the facade's flat error record (its fields cross every FFI as they are);
// results carry it by value, as the facade's own methods do.
#![allow(clippy::result_large_err)]

pub mod bulk;
pub mod config;
pub mod error;
pub mod helpers;
pub mod input;
pub mod insights;
pub mod kargojet;
pub mod output;
pub mod promise;
