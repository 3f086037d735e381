//! The orchestrator (being written): registry of carriers and agreements, quotes, ship with
//! idempotency and fail-over, track, cancel, returns.

mod funding;

pub use funding::{Funding, FundingContext, NoFunding};
