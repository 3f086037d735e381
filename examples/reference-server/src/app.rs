//! Assembling and running the server: the router, start-up (secrets, database, simulators,
//! library, seeding, listener) and graceful shutdown.

use crate::api::openapi::ApiDoc;
use crate::api::routes::{
    accounts, admin, bulk, insights, ops, outbound, quotes, shipments, wallet, webhooks,
};
use crate::auth::{Authenticator, api_keys::ApiKeys, sessions::Sessions};
use crate::config::Config;
use crate::engine::Engine;
use crate::error::{ApiError, ServerError};
use crate::sandbox::SandboxRuntime;
use crate::secrets::Secrets;
use crate::seed::{self, Seeded};
use crate::state::{AppState, Inner};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use kargojet::error::Code;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

async fn not_found() -> ApiError {
    kargojet::Error::not_found(Code::NotFoundResource, "no such route").into()
}

async fn method_not_allowed() -> ApiError {
    ServerError::bad_input(
        Code::RequestMethodNotAllowed,
        "method",
        "this path does not take this method",
    )
    .into()
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::from(ServerError::Internal("the request handler panicked".into())).into_response()
}

/// The router with every route, the docs page and the middleware.
pub fn router(state: AppState) -> Router {
    let upload_limit = state.config.max_upload_bytes;
    let body_limit = state.config.max_body_bytes;
    Router::new()
        .route("/v1/quotes", post(quotes::create_quote))
        .route(
            "/v1/shipments",
            post(shipments::create_shipment).get(shipments::list_shipments),
        )
        .route(
            "/v1/shipments/bulk",
            post(bulk::upload).layer(DefaultBodyLimit::max(upload_limit)),
        )
        .route("/v1/shipments/bulk/{id}", get(bulk::get_bulk))
        .route("/v1/shipments/bulk/{id}/errors", get(bulk::get_errors))
        .route("/v1/shipments/bulk/{id}/purchase", post(bulk::purchase))
        .route("/v1/shipments/bulk/{id}/labels", get(bulk::get_labels))
        .route("/v1/shipments/{id}", get(shipments::get_shipment))
        .route(
            "/v1/shipments/{id}/cancel",
            post(shipments::cancel_shipment),
        )
        .route("/v1/shipments/{id}/return", post(shipments::create_return))
        .route("/v1/shipments/{id}/label", get(shipments::get_label))
        .route("/v1/shipments/{id}/tracking", get(shipments::get_tracking))
        .route(
            "/v1/shipments/{id}/tracking/refresh",
            post(shipments::refresh_tracking),
        )
        .route("/v1/wallet", get(wallet::get_wallet))
        .route("/v1/wallet/holds", get(wallet::list_holds))
        .route("/v1/wallet/transactions", get(wallet::list_transactions))
        .route("/v1/wallet/top-ups", post(wallet::create_top_up))
        .route("/v1/wallet/statement", get(wallet::get_statement))
        .route("/v1/carriers", get(accounts::list_carriers))
        .route("/v1/insights", get(insights::get_insights))
        .route("/v1/insights/findings", get(insights::get_findings))
        .route("/v1/insights/questions", post(insights::ask))
        .route(
            "/v1/carrier-accounts",
            get(accounts::list_accounts).post(accounts::create_account),
        )
        .route(
            "/v1/carrier-accounts/{id}",
            get(accounts::get_account)
                .patch(accounts::update_account)
                .delete(accounts::delete_account),
        )
        .route("/v1/webhooks/carriers/{carrier}", post(webhooks::receive))
        .route(
            "/v1/webhooks/subscriptions",
            get(outbound::list_subscriptions).post(outbound::create_subscription),
        )
        .route(
            "/v1/webhooks/subscriptions/{id}",
            axum::routing::delete(outbound::delete_subscription),
        )
        .route(
            "/v1/webhooks/subscriptions/{id}/rotate-secret",
            post(outbound::rotate_secret),
        )
        .route("/v1/webhooks/deliveries", get(outbound::list_deliveries))
        .route(
            "/v1/webhooks/deliveries/{id}/redeliver",
            post(outbound::redeliver),
        )
        .route("/v1/auth/login", post(admin::login))
        .route(
            "/v1/api-keys",
            get(admin::list_keys).post(admin::create_key),
        )
        .route(
            "/v1/api-keys/{id}",
            axum::routing::delete(admin::revoke_key),
        )
        .route("/v1/users", get(admin::list_users).post(admin::create_user))
        .route("/v1/company", get(admin::get_company))
        .route("/v1/company/sender", axum::routing::put(admin::set_sender))
        .route("/v1/audit", get(admin::list_audit))
        .route(
            "/v1/sandbox/clock",
            get(admin::get_clock).post(admin::advance_clock),
        )
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .merge(
            SwaggerUi::new("/docs")
                .url("/openapi.json", ApiDoc::openapi())
                // Nothing leaves the server: no validator badge from swagger.io.
                .config(
                    utoipa_swagger_ui::Config::default()
                        .validator_url("none")
                        .display_operation_id(true)
                        .try_it_out_enabled(true),
                ),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::middleware::context,
        ))
        .with_state(state)
}

/// A running server.
pub struct RunningServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The seeded companies and their API keys (the demo company first, when seeded).
    pub seeded: Vec<Seeded>,
    /// The shared state (tests reach the stores through it).
    pub state: AppState,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    worker: Option<tokio::task::JoinHandle<()>>,
    stop_worker: tokio::sync::watch::Sender<bool>,
}

impl std::fmt::Debug for RunningServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl RunningServer {
    /// `http://<addr>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish (up to the configured
    /// grace period) and stops.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        // The worker finishes the round it is in (each job is short: one HTTP call or poll).
        let _ = self.stop_worker.send(true);
        let grace = Duration::from_secs(self.state.config.shutdown_grace_secs);
        if let Some(w) = self.worker.take() {
            if tokio::time::timeout(grace, w).await.is_err() {
                tracing::warn!("the job worker did not stop within the grace period");
            }
        }
        match tokio::time::timeout(grace, &mut self.task).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(ServerError::Internal(format!("server: {e}"))),
            Ok(Err(e)) => Err(ServerError::Internal(format!("server task: {e}"))),
            Err(_) => {
                self.task.abort();
                tracing::warn!("in-flight requests did not finish within the grace period");
                Ok(())
            }
        }
    }
}

/// The address others reach a listener on (`0.0.0.0` → `127.0.0.1`).
fn reachable(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v) if v.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        IpAddr::V6(v) if v.is_unspecified() => IpAddr::from([127, 0, 0, 1]),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port()).to_string()
}

/// Starts the server (inside a tokio runtime).
pub async fn start(config: Config) -> Result<RunningServer, ServerError> {
    // One TLS provider process-wide (the carrier clients use rustls with ring).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let secrets = Secrets::load(&config.env, &config.secrets_file)?;
    if secrets.generated {
        tracing::warn!(file = %config.secrets_file.display(), "secrets were generated into the secrets file; set the KARGOJET_* secret variables in production");
    }
    let db = crate::store::open(&config.database_url).await?;
    // Every shipment and ledger write emits its outbound events (see `jobs::events`).
    let db = crate::jobs::events::instrument(db, config.jobs.webhook_max_attempts);
    let sandbox = match &config.sim_urls {
        None => SandboxRuntime::start().map_err(|e| ServerError::Internal(e.message_en()))?,
        Some(path) => SandboxRuntime::connect(path)
            .await
            .map_err(|e| ServerError::Config {
                field: "sim_urls".into(),
                detail: e.message_en(),
            })?,
    };
    let sandbox = Arc::new(sandbox);
    let engine = Engine::start(db.clone(), sandbox.clone(), secrets.credentials.clone())
        .await
        .map_err(|e| ServerError::Internal(e.message_en()))?;
    let auth = Authenticator {
        keys: ApiKeys::new(secrets.api_key_pepper.clone(), db.tenants.clone()),
        sessions: Sessions::new(
            &secrets.jwt_secret,
            &config.jwt_issuer,
            &config.jwt_audience,
            config.session_ttl_secs,
            db.tenants.clone(),
        )?,
    };
    let listener = tokio::net::TcpListener::bind((config.bind, config.port))
        .await
        .map_err(|e| ServerError::Config {
            field: "bind".into(),
            detail: format!("cannot listen on {}:{}: {e}", config.bind, config.port),
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    let llm = match &config.llm {
        None => None,
        Some(l) => {
            let mut c =
                kargojet::insights::llm::LlmConfig::new(l.base_url.clone(), l.model.clone());
            if let Some(k) = config
                .env
                .get("KARGOJET_LLM_API_KEY")
                .filter(|k| !k.is_empty())
            {
                c = c.with_api_key(k.clone());
            }
            if let Some(t) = l.timeout_secs {
                c = c.with_timeout(Duration::from_secs(t));
            }
            let n =
                kargojet::insights::llm::LlmNarrator::new(c).map_err(|e| ServerError::Config {
                    field: "llm".into(),
                    detail: e.message_en(),
                })?;
            Some(Arc::new(n))
        }
    };
    let state = AppState::new(Inner {
        config,
        db,
        engine,
        auth,
        secrets,
        llm,
    });
    let seeded = seed::seed(&state).await.map_err(|e| ServerError::Config {
        field: "seed".into(),
        detail: e.message_en(),
    })?;
    sandbox
        .push_kolay_gelsin_to(
            format!(
                "http://{}/v1/webhooks/carriers/kolay_gelsin",
                reachable(addr)
            ),
            crate::api::routes::webhooks::kolay_gelsin_auth(&state.secrets.kolay_gelsin),
        )
        .map_err(|e| ServerError::Internal(e.to_string()))?;
    // Hold expiry, reserve release, tracking polls, webhooks and retention run as jobs.
    let (stop_worker, stop_rx) = tokio::sync::watch::channel(false);
    let worker = if state.config.jobs.enabled {
        Some(crate::jobs::Worker::new(state.clone())?.spawn(stop_rx))
    } else {
        None
    };
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let app = router(state.clone());
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(async move {
            let _ = rx.await;
        })
        .await
    });
    tracing::info!(addr = %addr, database = state.db.kind, "kargojet-server listening");
    Ok(RunningServer {
        addr,
        seeded,
        state,
        shutdown: Some(tx),
        task,
        worker,
        stop_worker,
    })
}
