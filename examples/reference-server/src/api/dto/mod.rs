//! Request and response bodies (with their OpenAPI schemas). The library's types are
//! converted to and from these once, at the edge.

pub mod admin;
pub mod bulk;
pub mod common;
pub mod input;
pub mod insights;
pub mod views;
pub mod wallet;
