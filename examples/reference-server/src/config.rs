//! Configuration: defaults, then a TOML file (`--config` or `KARGOJET_CONFIG`), then
//! environment variables, then command-line flags, each overriding the one before. Secrets
//! (signing keys, the credential encryption key) come from the environment or from the
//! generated secrets file, never from the TOML file (see [`crate::secrets`]).

use crate::error::ServerError;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::HashMap;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

/// The `--help` text.
pub const HELP: &str = r#"kargojet-server — the KargoJet SDK over HTTP (JSON API, OpenAPI, SQLite, carrier sandbox)

USAGE:
    kargojet-server [--bind <ip>] [--port <port>] [--config <file.toml>] [--database <url>]

With no set-up it serves on 127.0.0.1:8080, keeps its data in ./kargojet.db (SQLite, WAL), runs
every carrier simulator in-process, seeds a demo company with a topped-up wallet and prints its
API key as `demo api key: <key>`. API docs: http://127.0.0.1:8080/docs, OpenAPI: /openapi.json.

FLAGS:
    --bind <ip>          address to listen on                  [env KARGOJET_BIND, default 127.0.0.1]
    --port <port>        port (0 = any free port)              [env KARGOJET_PORT, default 8080]
    --config <file>      TOML configuration file               [env KARGOJET_CONFIG]
    --database <url>     database: sqlite://<path>, sqlite::memory: or postgres://user:pass@host:port/db
                                                               [env KARGOJET_DATABASE_URL or DATABASE_URL, default sqlite://kargojet.db]
    -h, --help           print this help
    -V, --version        print the version

ENVIRONMENT (overrides the TOML file; flags override both):
    KARGOJET_LOG                  log filter (tracing EnvFilter syntax)      default info
    KARGOJET_LOG_FORMAT           json | text                                default json
    KARGOJET_MAX_BODY_BYTES       largest JSON body                          default 1048576
    KARGOJET_MAX_UPLOAD_BYTES     largest bulk upload (CSV/XLSX)             default 10485760
    KARGOJET_JWT_ISSUER           `iss` of session tokens                    default kargojet-server
    KARGOJET_JWT_AUDIENCE         `aud` of session tokens                    default kargojet-api
    KARGOJET_SESSION_TTL_SECS     session lifetime                           default 3600
    KARGOJET_DEMO                 seed the demo company (true/false)         default true
    KARGOJET_DEMO_API_KEY         the demo company's API key (instead of a random one)
    KARGOJET_DEMO_TOP_UP          the demo wallet's opening top-up in TRY    default 10000
    KARGOJET_SHUTDOWN_GRACE_SECS  how long in-flight requests may finish     default 30
    KARGOJET_SECRETS_FILE         where generated secrets are kept           default kargojet-secrets.toml
    KARGOJET_SIM_URLS             the URLs file of a running kargojet-sim: the sandbox carriers run
                                  there instead of in-process (they outlive this server)
    KARGOJET_LLM_BASE_URL         OpenAI-compatible API for insights questions (e.g. http://127.0.0.1:11434/v1)
    KARGOJET_LLM_MODEL            its model name
    KARGOJET_LLM_API_KEY          its key, if it needs one (secret: environment only)
    KARGOJET_LLM_TIMEOUT_SECS     deadline of one answer                     default 30
    KARGOJET_JOBS                 run the background job worker (true/false) default true
    KARGOJET_JOBS_POLL_MS         pause between claims of an idle worker     default 500
    KARGOJET_JOBS_BATCH           jobs claimed per round                     default 32
    KARGOJET_WORKER_ID            this replica's worker id                   default generated
    KARGOJET_WEBHOOK_MAX_ATTEMPTS attempts of a webhook before dead letter   default 8
    KARGOJET_RETENTION_DAYS       erase recipients' personal data after      default 365
  secrets (generated into the secrets file when unset; set them in production):
    KARGOJET_JWT_SECRET           HMAC key of session tokens (≥ 32 bytes, base64 or text)
    KARGOJET_API_KEY_PEPPER       key of the API-key hash (≥ 32 bytes, base64 or text)
    KARGOJET_CREDENTIALS_KEY      AES-256-GCM key for carrier credentials (32 bytes, base64)
    KARGOJET_CREDENTIALS_KEY_ID   its id, stored with every encrypted credential   default k1
    KARGOJET_CREDENTIALS_OLD_KEYS earlier keys still readable, `id=base64,id=base64` (rotation)
    KARGOJET_KOLAYGELSIN_WEBHOOK_HASH      Kolay Gelsin push hash value (header X-KolayGelsin-Hash)
    KARGOJET_KOLAYGELSIN_WEBHOOK_USERNAME  or Basic auth user name …
    KARGOJET_KOLAYGELSIN_WEBHOOK_PASSWORD  … and password
    KARGOJET_KOLAYGELSIN_CUSTOMER_ID       refuse pushes for another CustomerId

TOML FILE (every key optional):
    bind = "127.0.0.1"
    port = 8080
    database_url = "sqlite://kargojet.db"
    secrets_file = "kargojet-secrets.toml"
    sim_urls = "sim-urls.json"   # carriers in kargojet-sim (see KARGOJET_SIM_URLS)
    [log]      format = "json"  filter = "info"
    [limits]   max_body_bytes = 1048576  max_upload_bytes = 10485760
    [auth]     jwt_issuer = "kargojet-server"  jwt_audience = "kargojet-api"  session_ttl_secs = 3600
    [demo]     enabled = true  company = "demo"  name = "Demo Mağaza"  top_up = "10000"
    [shutdown] grace_secs = 30
    [llm]      base_url = "http://127.0.0.1:11434/v1"  model = "llama3.1:8b"  timeout_secs = 30
    [jobs]     enabled = true  poll_interval_ms = 500  batch_size = 32  lease_secs = 60
               webhook_max_attempts = 8  backoff_base_ms = 2000  backoff_max_ms = 3600000
               webhook_timeout_ms = 10000  secret_grace_secs = 86400  allow_private_urls = false
               tracking_interval_secs = 300  tracking_default_min_secs = 900  tracking_batch = 500
               tracking_min_secs = { yurtici = 120 }  wallet_sweep_secs = 60
               retention_days = 365  retention_interval_secs = 3600
    [[seed]]   company = "acme"  name = "Acme A.Ş."  api_key = "kj_…"  role = "admin"  top_up = "500"
               # more companies with a known API key each (tests, staging)
"#;

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Run the server.
    Run(Box<Config>),
    /// Print the help.
    Help,
    /// Print the version.
    Version,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    /// One JSON object per line.
    Json,
    /// Human-readable lines.
    Text,
}

/// A company seeded at start-up with a known API key.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedCompany {
    /// Company id (`[a-z0-9_-]`, 1–64).
    pub company: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Its API key: `kj_<8–32 letters or digits>_<24–128 letters or digits>`.
    pub api_key: String,
    /// The key's role (default `admin`).
    #[serde(default)]
    pub role: Option<String>,
    /// Opening top-up of its wallet in TRY (default none).
    #[serde(default)]
    pub top_up: Option<Decimal>,
}

/// The demo company.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoConfig {
    /// Seed it.
    pub enabled: bool,
    /// Its id.
    pub company: String,
    /// Its name.
    pub name: String,
    /// A fixed API key (else a random one).
    pub api_key: Option<String>,
    /// Opening top-up in TRY.
    pub top_up: Decimal,
}

/// The server's configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Listen address.
    pub bind: IpAddr,
    /// Listen port.
    pub port: u16,
    /// Database URL.
    pub database_url: String,
    /// Log format.
    pub log_format: LogFormat,
    /// Log filter.
    pub log_filter: String,
    /// Largest JSON body in bytes.
    pub max_body_bytes: usize,
    /// Largest bulk upload in bytes.
    pub max_upload_bytes: usize,
    /// `iss` of session tokens.
    pub jwt_issuer: String,
    /// `aud` of session tokens.
    pub jwt_audience: String,
    /// Session lifetime in seconds.
    pub session_ttl_secs: u64,
    /// The demo company.
    pub demo: DemoConfig,
    /// Other seeded companies.
    pub seeds: Vec<SeedCompany>,
    /// Graceful shutdown: how long in-flight requests may take.
    pub shutdown_grace_secs: u64,
    /// Where generated secrets are kept.
    pub secrets_file: PathBuf,
    /// The URLs file of a running `kargojet-sim`: the sandbox carriers run there (none: in
    /// this process).
    pub sim_urls: Option<PathBuf>,
    /// The language model for insights questions.
    pub llm: Option<LlmSettings>,
    /// The environment, for secrets (kept so tests can inject them).
    pub env: HashMap<String, String>,
    /// Background jobs and outbound webhooks.
    pub jobs: crate::jobs::JobsConfig,
}

/// An OpenAI-compatible chat-completions endpoint (its key comes from `KARGOJET_LLM_API_KEY`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LlmSettings {
    /// Base URL up to the version (`https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`).
    pub base_url: String,
    /// Model name.
    pub model: String,
    /// Deadline of one answer in seconds (default 30).
    #[serde(default)]
    pub timeout_secs: Option<u64>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 8080,
            database_url: "sqlite://kargojet.db".into(),
            log_format: LogFormat::Json,
            log_filter: "info".into(),
            max_body_bytes: 1024 * 1024,
            max_upload_bytes: 10 * 1024 * 1024,
            jwt_issuer: "kargojet-server".into(),
            jwt_audience: "kargojet-api".into(),
            session_ttl_secs: 3600,
            demo: DemoConfig {
                enabled: true,
                company: "demo".into(),
                name: "Demo Mağaza".into(),
                api_key: None,
                top_up: Decimal::from(10_000),
            },
            seeds: Vec::new(),
            shutdown_grace_secs: 30,
            secrets_file: PathBuf::from("kargojet-secrets.toml"),
            sim_urls: None,
            llm: None,
            env: HashMap::new(),
            jobs: crate::jobs::JobsConfig::default(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlFile {
    bind: Option<String>,
    port: Option<u16>,
    database_url: Option<String>,
    secrets_file: Option<PathBuf>,
    sim_urls: Option<PathBuf>,
    log: Option<TomlLog>,
    limits: Option<TomlLimits>,
    auth: Option<TomlAuth>,
    demo: Option<TomlDemo>,
    shutdown: Option<TomlShutdown>,
    llm: Option<LlmSettings>,
    jobs: Option<crate::jobs::JobsConfig>,
    #[serde(default)]
    seed: Vec<SeedCompany>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLog {
    format: Option<LogFormat>,
    filter: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlLimits {
    max_body_bytes: Option<usize>,
    max_upload_bytes: Option<usize>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlAuth {
    jwt_issuer: Option<String>,
    jwt_audience: Option<String>,
    session_ttl_secs: Option<u64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlDemo {
    enabled: Option<bool>,
    company: Option<String>,
    name: Option<String>,
    api_key: Option<String>,
    top_up: Option<Decimal>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlShutdown {
    grace_secs: Option<u64>,
}

fn bad(field: &str, detail: impl Into<String>) -> ServerError {
    ServerError::Config {
        field: field.to_string(),
        detail: detail.into(),
    }
}

fn parse<T: FromStr>(field: &str, v: &str) -> Result<T, ServerError> {
    v.trim()
        .parse()
        .map_err(|_| bad(field, format!("'{v}' is not a valid value")))
}

fn parse_bool(field: &str, v: &str) -> Result<bool, ServerError> {
    match v.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(bad(field, format!("'{v}' is not true or false"))),
    }
}

impl Config {
    /// Reads the command line (`args` without the program name) and the environment; reads
    /// the TOML file they name.
    pub fn load(args: &[String], env: HashMap<String, String>) -> Result<Action, ServerError> {
        let mut flags: HashMap<&str, String> = HashMap::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let (name, inline) = match a.split_once('=') {
                Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
                _ => (a.as_str(), None),
            };
            match name {
                "-h" | "--help" => return Ok(Action::Help),
                "-V" | "--version" => return Ok(Action::Version),
                "--bind" | "--port" | "--config" | "--database" => {
                    let v = match inline {
                        Some(v) => v,
                        None => it
                            .next()
                            .cloned()
                            .ok_or_else(|| bad(name, "needs a value"))?,
                    };
                    flags.insert(name, v);
                }
                other => {
                    return Err(bad(other, "unknown argument (see kargojet-server --help)"));
                }
            }
        }
        let mut c = Config::default();
        let file = flags
            .get("--config")
            .cloned()
            .or_else(|| env.get("KARGOJET_CONFIG").cloned());
        if let Some(path) = file {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| bad("config", format!("cannot read {path}: {e}")))?;
            c.apply_toml(&text)?;
        }
        c.apply_env(&env)?;
        if let Some(v) = flags.get("--bind") {
            c.bind = parse("--bind", v)?;
        }
        if let Some(v) = flags.get("--port") {
            c.port = parse("--port", v)?;
        }
        if let Some(v) = flags.get("--database") {
            c.database_url = v.clone();
        }
        c.env = env;
        c.validate()?;
        Ok(Action::Run(Box::new(c)))
    }

    /// Applies a TOML document.
    pub fn apply_toml(&mut self, text: &str) -> Result<(), ServerError> {
        let t: TomlFile = toml::from_str(text).map_err(|e| bad("config", e.to_string()))?;
        if let Some(v) = t.bind {
            self.bind = parse("bind", &v)?;
        }
        if let Some(v) = t.port {
            self.port = v;
        }
        if let Some(v) = t.database_url {
            self.database_url = v;
        }
        if let Some(v) = t.secrets_file {
            self.secrets_file = v;
        }
        if t.sim_urls.is_some() {
            self.sim_urls = t.sim_urls;
        }
        if let Some(l) = t.log {
            if let Some(f) = l.format {
                self.log_format = f;
            }
            if let Some(f) = l.filter {
                self.log_filter = f;
            }
        }
        if let Some(l) = t.limits {
            if let Some(v) = l.max_body_bytes {
                self.max_body_bytes = v;
            }
            if let Some(v) = l.max_upload_bytes {
                self.max_upload_bytes = v;
            }
        }
        if let Some(a) = t.auth {
            if let Some(v) = a.jwt_issuer {
                self.jwt_issuer = v;
            }
            if let Some(v) = a.jwt_audience {
                self.jwt_audience = v;
            }
            if let Some(v) = a.session_ttl_secs {
                self.session_ttl_secs = v;
            }
        }
        if let Some(d) = t.demo {
            if let Some(v) = d.enabled {
                self.demo.enabled = v;
            }
            if let Some(v) = d.company {
                self.demo.company = v;
            }
            if let Some(v) = d.name {
                self.demo.name = v;
            }
            if d.api_key.is_some() {
                self.demo.api_key = d.api_key;
            }
            if let Some(v) = d.top_up {
                self.demo.top_up = v;
            }
        }
        if let Some(s) = t.shutdown {
            if let Some(v) = s.grace_secs {
                self.shutdown_grace_secs = v;
            }
        }
        self.seeds.extend(t.seed);
        if let Some(j) = t.jobs {
            self.jobs = j;
        }
        if t.llm.is_some() {
            self.llm = t.llm;
        }
        Ok(())
    }

    /// Applies the environment variables.
    pub fn apply_env(&mut self, env: &HashMap<String, String>) -> Result<(), ServerError> {
        let get = |k: &str| env.get(k).map(String::as_str).filter(|v| !v.is_empty());
        if let Some(v) = get("KARGOJET_BIND") {
            self.bind = parse("KARGOJET_BIND", v)?;
        }
        if let Some(v) = get("KARGOJET_PORT") {
            self.port = parse("KARGOJET_PORT", v)?;
        }
        // The usual DATABASE_URL of hosting platforms, unless KargoJet's own is set.
        if let Some(v) = get("KARGOJET_DATABASE_URL").or_else(|| get("DATABASE_URL")) {
            self.database_url = v.to_string();
        }
        if let Some(v) = get("KARGOJET_LOG_FORMAT") {
            self.log_format = match v {
                "json" => LogFormat::Json,
                "text" => LogFormat::Text,
                _ => return Err(bad("KARGOJET_LOG_FORMAT", "json or text")),
            };
        }
        if let Some(v) = get("KARGOJET_LOG") {
            self.log_filter = v.to_string();
        }
        if let Some(v) = get("KARGOJET_MAX_BODY_BYTES") {
            self.max_body_bytes = parse("KARGOJET_MAX_BODY_BYTES", v)?;
        }
        if let Some(v) = get("KARGOJET_MAX_UPLOAD_BYTES") {
            self.max_upload_bytes = parse("KARGOJET_MAX_UPLOAD_BYTES", v)?;
        }
        if let Some(v) = get("KARGOJET_JWT_ISSUER") {
            self.jwt_issuer = v.to_string();
        }
        if let Some(v) = get("KARGOJET_JWT_AUDIENCE") {
            self.jwt_audience = v.to_string();
        }
        if let Some(v) = get("KARGOJET_SESSION_TTL_SECS") {
            self.session_ttl_secs = parse("KARGOJET_SESSION_TTL_SECS", v)?;
        }
        if let Some(v) = get("KARGOJET_DEMO") {
            self.demo.enabled = parse_bool("KARGOJET_DEMO", v)?;
        }
        if let Some(v) = get("KARGOJET_DEMO_API_KEY") {
            self.demo.api_key = Some(v.to_string());
        }
        if let Some(v) = get("KARGOJET_DEMO_TOP_UP") {
            self.demo.top_up = parse("KARGOJET_DEMO_TOP_UP", v)?;
        }
        if let Some(v) = get("KARGOJET_SHUTDOWN_GRACE_SECS") {
            self.shutdown_grace_secs = parse("KARGOJET_SHUTDOWN_GRACE_SECS", v)?;
        }
        if let Some(v) = get("KARGOJET_SECRETS_FILE") {
            self.secrets_file = PathBuf::from(v);
        }
        if let Some(v) = get("KARGOJET_SIM_URLS") {
            self.sim_urls = Some(PathBuf::from(v));
        }
        if let Some(v) = get("KARGOJET_JOBS") {
            self.jobs.enabled = parse_bool("KARGOJET_JOBS", v)?;
        }
        if let Some(v) = get("KARGOJET_JOBS_POLL_MS") {
            self.jobs.poll_interval_ms = parse("KARGOJET_JOBS_POLL_MS", v)?;
        }
        if let Some(v) = get("KARGOJET_JOBS_BATCH") {
            self.jobs.batch_size = parse("KARGOJET_JOBS_BATCH", v)?;
        }
        if let Some(v) = get("KARGOJET_WORKER_ID") {
            self.jobs.worker_id = Some(v.to_string());
        }
        if let Some(v) = get("KARGOJET_WEBHOOK_MAX_ATTEMPTS") {
            self.jobs.webhook_max_attempts = parse("KARGOJET_WEBHOOK_MAX_ATTEMPTS", v)?;
        }
        if let Some(v) = get("KARGOJET_RETENTION_DAYS") {
            self.jobs.retention_days = parse("KARGOJET_RETENTION_DAYS", v)?;
        }
        match (get("KARGOJET_LLM_BASE_URL"), get("KARGOJET_LLM_MODEL")) {
            (Some(base_url), Some(model)) => {
                self.llm = Some(LlmSettings {
                    base_url: base_url.to_string(),
                    model: model.to_string(),
                    timeout_secs: match get("KARGOJET_LLM_TIMEOUT_SECS") {
                        Some(v) => Some(parse("KARGOJET_LLM_TIMEOUT_SECS", v)?),
                        None => None,
                    },
                });
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(bad(
                    "KARGOJET_LLM_MODEL",
                    "set both KARGOJET_LLM_BASE_URL and KARGOJET_LLM_MODEL",
                ));
            }
            (None, None) => {}
        }
        Ok(())
    }

    fn validate(&self) -> Result<(), ServerError> {
        if self.max_body_bytes < 1024 {
            return Err(bad("max_body_bytes", "must be at least 1024"));
        }
        if self.max_upload_bytes < 1024 {
            return Err(bad("max_upload_bytes", "must be at least 1024"));
        }
        if self.session_ttl_secs == 0 || self.session_ttl_secs > 30 * 24 * 3600 {
            return Err(bad("session_ttl_secs", "must be 1 s – 30 days"));
        }
        if self.demo.top_up.is_sign_negative() {
            return Err(bad("demo.top_up", "must not be negative"));
        }
        self.jobs.validate()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_override_env_override_toml() {
        let dir = std::env::temp_dir().join(format!("kj-config-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join("c.toml");
        let toml = "port = 9000\nbind = \"127.0.0.1\"\n[demo]\ntop_up = \"50\"\n[[seed]]\ncompany = \"acme\"\napi_key = \"kj_x\"\n";
        assert!(std::fs::write(&file, toml).is_ok());
        let env: HashMap<String, String> = [
            ("KARGOJET_CONFIG", file.to_string_lossy().to_string()),
            ("KARGOJET_PORT", "9100".to_string()),
            ("KARGOJET_DEMO_API_KEY", "kj_demo".to_string()),
            ("KARGOJET_SIM_URLS", "/run/sim-urls.json".to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let Ok(Action::Run(c)) = Config::load(&args(&["--port", "9200"]), env.clone()) else {
            panic!("config should load");
        };
        assert_eq!(c.port, 9200);
        assert_eq!(c.demo.top_up, Decimal::from(50));
        assert_eq!(c.demo.api_key.as_deref(), Some("kj_demo"));
        assert_eq!(c.seeds.len(), 1);
        assert_eq!(c.sim_urls, Some(PathBuf::from("/run/sim-urls.json")));
        let Ok(Action::Run(c)) = Config::load(&[], env) else {
            panic!("config should load");
        };
        assert_eq!(c.port, 9100);
        assert_eq!(
            Config::load(&args(&["--help"]), HashMap::new()).ok(),
            Some(Action::Help)
        );
        assert!(Config::load(&args(&["--nope"]), HashMap::new()).is_err());
        assert!(Config::load(&args(&["--port", "x"]), HashMap::new()).is_err());
        assert!(Config::load(&args(&["--port"]), HashMap::new()).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_jobs_section_and_its_variables_apply() {
        let mut c = Config::default();
        let toml =
            "[jobs]\nbatch_size = 7\nwebhook_max_attempts = 3\ntracking_min_secs = { aras = 60 }\n";
        assert!(c.apply_toml(toml).is_ok());
        assert_eq!(c.jobs.batch_size, 7);
        assert_eq!(c.jobs.webhook_max_attempts, 3);
        assert_eq!(c.jobs.tracking_min_secs.get("aras"), Some(&60));
        assert_eq!(c.jobs.retention_days, 365, "unset keys keep their defaults");
        assert!(c.apply_toml("[jobs]\nbatch = 1").is_err());
        let env: HashMap<String, String> =
            [("KARGOJET_JOBS", "off"), ("KARGOJET_RETENTION_DAYS", "30")]
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
        assert!(c.apply_env(&env).is_ok());
        assert!(!c.jobs.enabled);
        assert_eq!(c.jobs.retention_days, 30);
        c.jobs.batch_size = 0;
        assert!(c.validate().is_err());
    }

    #[test]
    fn unknown_toml_keys_are_refused() {
        let mut c = Config::default();
        assert!(c.apply_toml("prot = 1").is_err());
        assert!(c.apply_toml("[log]\nformat = \"text\"").is_ok());
        assert_eq!(c.log_format, LogFormat::Text);
    }
}
