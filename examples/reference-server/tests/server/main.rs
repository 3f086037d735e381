//! The reference server's integration suites, in one test binary: each suite is a module, so
//! the server and its dependencies are linked once rather than once per suite (the debug build
//! serves every test stage and stays small on disk). `cargo test -p kargojet-server --test
//! server e2e::` runs one suite.

mod common;
mod receiver;

mod bad_input;
mod binary;
mod crash;
mod e2e;
mod insights;
mod jobs;
mod openapi;
mod outbound_webhooks;
mod own_accounts;
mod schema_parity;
mod tenancy;
mod webhooks;
