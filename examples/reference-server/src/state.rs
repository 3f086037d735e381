//! What every handler shares.

use crate::auth::Authenticator;
use crate::config::Config;
use crate::engine::Engine;
use crate::secrets::Secrets;
use crate::store::Database;
use std::ops::Deref;
use std::sync::Arc;

/// The shared state (cheap to clone).
#[derive(Clone, Debug)]
pub struct AppState(Arc<Inner>);

/// The parts of the state.
#[derive(Debug)]
pub struct Inner {
    /// Configuration.
    pub config: Config,
    /// The stores.
    pub db: Database,
    /// The library.
    pub engine: Engine,
    /// Credentials.
    pub auth: Authenticator,
    /// Secrets.
    pub secrets: Secrets,
    /// The language-model narrator of insights questions, when configured.
    pub llm: Option<Arc<kargojet::insights::llm::LlmNarrator>>,
}

impl AppState {
    /// Wraps the parts.
    pub fn new(inner: Inner) -> AppState {
        AppState(Arc::new(inner))
    }
}

impl Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
