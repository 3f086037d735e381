//! KargoJet reference server: the whole SDK over HTTP — JSON API under `/v1`, OpenAPI 3.1 at
//! `/openapi.json` and a docs page at `/docs`, tenancy with API keys and user sessions, roles
//! with a permission matrix, SQLite persistence, inbound carrier webhooks and the carrier
//! simulators in-process. Every route is validation, one library call and a response.
//!
//! Start it with [`app::start`]; the binary `kargojet-server` does that from the command line,
//! environment and TOML file ([`config`]).

pub mod api;
pub mod app;
pub mod auth;
pub mod carriers;
pub mod config;
pub mod crypto;
pub mod engine;
pub mod error;
pub mod extract;
pub mod ids;
pub mod jobs;
pub mod lang;
pub mod logging;
pub mod middleware;
pub mod request_ctx;
pub mod sandbox;
pub mod secrets;
pub mod seed;
pub mod state;
pub mod store;

pub use app::{RunningServer, start};
pub use config::{Action, Config};
