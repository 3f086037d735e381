//! A server on 127.0.0.1 (any free port) with a fresh database, the demo company and a second
//! company `acme`, and a small HTTP client.
//!
//! The database: a fresh SQLite file per server; inside [`each_db`], the scenario runs once on
//! SQLite and, when `KARGOJET_TEST_POSTGRES_URL` names a PostgreSQL database, once more on a
//! fresh schema of it (created before, dropped after), so one test covers both stores.

#![allow(dead_code, clippy::unwrap_used)]

use futures::FutureExt;
use kargojet_server::RunningServer;
use kargojet_server::config::{Config, SeedCompany};
use reqwest::{Method, StatusCode};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;

/// The demo company's admin key.
pub const DEMO_KEY: &str = "kj_demotest01_abcdefghijklmnopqrstuvwxyz012345";
/// The other company's admin key.
pub const ACME_KEY: &str = "kj_acmetest01_abcdefghijklmnopqrstuvwxyz012345";

/// A running test server.
pub struct TestServer {
    pub server: Option<RunningServer>,
    pub base: String,
    pub http: reqwest::Client,
    pub dir: PathBuf,
}

/// A fresh temporary directory.
pub fn temp_dir(tag: &str) -> PathBuf {
    let n: u64 = rand_u64();
    let dir = std::env::temp_dir().join(format!("kj-server-{tag}-{}-{n:x}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    h.finish()
}

/// The environment variable naming the PostgreSQL database the suites also run on.
pub const POSTGRES_ENV: &str = "KARGOJET_TEST_POSTGRES_URL";

tokio::task_local! {
    /// The database URL of the scenario [`each_db`] is running (unset: a SQLite file).
    static DATABASE: Option<String>;
}

/// The PostgreSQL URL of `KARGOJET_TEST_POSTGRES_URL`, when set.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .map(|u| u.trim().to_string())
        .filter(|u| !u.is_empty())
}

/// The database of the running [`each_db`] scenario; `None`: a fresh SQLite file.
pub fn current_database() -> Option<String> {
    DATABASE.try_with(|d| d.clone()).ok().flatten()
}

/// A schema of its own on the test PostgreSQL database, dropped by [`PgScratch::drop`].
pub struct PgScratch {
    /// The URL the server opens: the base URL with `options[search_path]=<schema>`.
    pub url: String,
    /// The schema's name (`kj_t_<random>`).
    pub schema: String,
    base: String,
}

impl PgScratch {
    /// Creates a fresh schema on the database at `base`.
    pub async fn create(base: &str) -> PgScratch {
        use sqlx::Connection;
        let schema = format!("kj_t_{:016x}", rand_u64());
        let mut conn = sqlx::PgConnection::connect(base)
            .await
            .unwrap_or_else(|e| panic!("{POSTGRES_ENV}: cannot connect: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .unwrap();
        conn.close().await.unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        PgScratch {
            url: format!("{base}{sep}options[search_path]={schema}"),
            schema,
            base: base.to_string(),
        }
    }

    /// Drops the schema and everything in it.
    pub async fn drop(self) {
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&self.base).await.unwrap();
        let sql = format!(
            "SET lock_timeout = '20s'; DROP SCHEMA IF EXISTS {} CASCADE",
            self.schema
        );
        if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
        {
            eprintln!("could not drop test schema {}: {e}", self.schema);
        }
        let _ = conn.close().await;
    }
}

/// Runs `scenario` on SQLite and then, when [`POSTGRES_ENV`] is set, on a fresh PostgreSQL
/// schema; [`config`] (and so [`TestServer::start`]) opens the database of the current run.
/// A failure names the database it happened on.
pub async fn each_db<F, Fut>(scenario: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    DATABASE.scope(None, scenario()).await;
    if let Some(base) = postgres_url() {
        let scratch = PgScratch::create(&base).await;
        let run = DATABASE.scope(Some(scratch.url.clone()), scenario());
        let outcome = AssertUnwindSafe(run).catch_unwind().await;
        let schema = scratch.schema.clone();
        scratch.drop().await;
        if let Err(panic) = outcome {
            eprintln!("the scenario failed on PostgreSQL (schema {schema})");
            std::panic::resume_unwind(panic);
        }
    }
}

/// The test configuration on `dir`.
pub fn config(dir: &std::path::Path) -> Config {
    let mut c = Config {
        port: 0,
        database_url: current_database()
            .unwrap_or_else(|| format!("sqlite://{}", dir.join("kargojet.db").display())),
        secrets_file: dir.join("secrets.toml"),
        max_body_bytes: 64 * 1024,
        max_upload_bytes: 256 * 1024,
        shutdown_grace_secs: 5,
        ..Config::default()
    };
    c.demo.api_key = Some(DEMO_KEY.to_string());
    c.seeds.push(SeedCompany {
        company: "acme".into(),
        name: Some("Acme A.Ş.".into()),
        api_key: ACME_KEY.into(),
        role: None,
        top_up: Some(Decimal::from(1000)),
    });
    c
}

impl TestServer {
    /// Starts a server.
    pub async fn start() -> TestServer {
        let dir = temp_dir("t");
        Self::start_with(config(&dir), dir).await
    }

    /// Starts a server with `config`.
    pub async fn start_with(config: Config, dir: PathBuf) -> TestServer {
        let server = kargojet_server::start(config).await.unwrap();
        let base = server.base_url();
        TestServer {
            server: Some(server),
            base,
            http: reqwest::Client::new(),
            dir,
        }
    }

    /// The running server.
    pub fn running(&self) -> &RunningServer {
        self.server.as_ref().unwrap()
    }

    /// Sends a request; returns the status and the body as JSON (or `Value::Null`).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let r = self.raw(method, path, key, body, headers).await;
        let status = r.status();
        let text = r.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    /// Sends a request and returns the response as is.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        key: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut rb = self.http.request(method, format!("{}{path}", self.base));
        if let Some(k) = key {
            rb = rb.header("Authorization", format!("Bearer {k}"));
        }
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        if let Some(b) = body {
            rb = rb.json(b);
        }
        rb.send().await.unwrap()
    }

    /// GET as `key`.
    pub async fn get(&self, path: &str, key: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, Some(key), None, &[]).await
    }

    /// POST JSON as `key`.
    pub async fn post(&self, path: &str, key: &str, body: &Value) -> (StatusCode, Value) {
        self.call(Method::POST, path, Some(key), Some(body), &[])
            .await
    }

    /// POST JSON as `key` with an idempotency key.
    pub async fn post_idem(
        &self,
        path: &str,
        key: &str,
        idem: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        self.call(
            Method::POST,
            path,
            Some(key),
            Some(body),
            &[("Idempotency-Key", idem)],
        )
        .await
    }

    /// Moves the sandbox clock.
    pub async fn advance(&self, key: &str, secs: u64) {
        let (s, _) = self
            .post("/v1/sandbox/clock", key, &json!({ "advance_secs": secs }))
            .await;
        assert_eq!(s, StatusCode::OK);
    }

    /// Creates an API key of `role` for the company of `admin_key`.
    pub async fn key_with_role(&self, admin_key: &str, role: &str) -> String {
        let (s, v) = self
            .post(
                "/v1/api-keys",
                admin_key,
                &json!({"name": role, "role": role}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v["key"].as_str().unwrap().to_string()
    }

    /// The company's available balance in TRY.
    pub async fn available(&self, key: &str) -> Decimal {
        let (_, w) = self.get("/v1/wallet", key).await;
        w["available"]["amount"].as_str().unwrap().parse().unwrap()
    }

    /// Stops the server.
    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await.unwrap();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// True when `needle` appears anywhere the server's database keeps its data: the SQLite file
/// and its WAL, or — on PostgreSQL — any row of any table of the test schema (as text, `bytea`
/// in hex, so the needle is searched in clear and hex-encoded).
pub async fn database_contains(t: &TestServer, needle: &[u8]) -> bool {
    let url = t.running().state.config.database_url.clone();
    if url.starts_with("sqlite:") {
        let db = std::fs::read(t.dir.join("kargojet.db")).unwrap();
        let wal = std::fs::read(t.dir.join("kargojet.db-wal")).unwrap_or_default();
        return [&db, &wal]
            .iter()
            .any(|bytes| bytes.windows(needle.len()).any(|w| w == needle));
    }
    use sqlx::{Connection, Row};
    let mut conn = sqlx::PgConnection::connect(&url).await.unwrap();
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(!tables.is_empty(), "no tables in the test schema");
    let hex: String = needle.iter().map(|b| format!("{b:02x}")).collect();
    let clear = String::from_utf8_lossy(needle).to_string();
    for table in tables {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT r::text AS row FROM \"{table}\" AS r"
        )))
        .fetch_all(&mut conn)
        .await
        .unwrap();
        for r in rows {
            let text: String = r.try_get("row").unwrap();
            if text.contains(&clear) || text.to_lowercase().contains(&hex) {
                return true;
            }
        }
    }
    let _ = conn.close().await;
    false
}

/// A valid shipment body: Kadıköy/İstanbul → Çankaya/Ankara, COD 750 TL.
pub fn shipment(order: &str) -> Value {
    json!({
        "sender": {
            "name": "Moda Tekstil Ltd.",
            "phone": "0216 345 67 89",
            "address": {"province": "İstanbul", "district": "Kadıköy", "line": "Caferağa Mah. Moda Cad. No: 12", "postal_code": "34710"}
        },
        "recipient": {
            "name": "Ayşe Yılmaz",
            "phone": "+90 532 123 45 67",
            "email": "ayse@example.com",
            "address": {"province": "ANKARA", "district": "cankaya", "line": "Kızılay Mah. Atatürk Blv. No: 101 D: 7"}
        },
        "parcels": [
            {"length_cm": 40, "width_cm": 30, "height_cm": 20, "weight_kg": 3.2},
            {"length_cm": "30", "width_cm": "20", "height_cm": "15", "weight_kg": "1.1"}
        ],
        "cod_amount": "750.00",
        "order_id": order
    })
}

/// Parses a money view.
pub fn amount(v: &Value) -> Decimal {
    v["amount"].as_str().unwrap().parse().unwrap()
}
