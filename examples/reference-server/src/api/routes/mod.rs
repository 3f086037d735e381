//! The route handlers, one file per area.

pub mod accounts;
pub mod admin;
pub mod bulk;
pub mod insights;
pub mod ops;
pub mod outbound;
pub mod quotes;
pub mod shipments;
pub mod wallet;
pub mod webhooks;
