//! The built binary: `--help`; zero set-up start-up in an empty directory with `--bind` and
//! `--port` (SQLite file in the working directory, in WAL mode; the `demo api key:` line and a
//! working `curl` line); structured JSON logs, even at debug level, without personal data or
//! carrier credentials; graceful shutdown that finishes an in-flight request; a restart that
//! keeps the data and the key.

#![allow(clippy::unwrap_used)]

use crate::common;

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kargojet-server");

struct Started {
    child: Child,
    base: String,
    key: String,
    curl: String,
}

fn start(dir: &std::path::Path) -> Started {
    let mut child = Command::new(BIN)
        .args(["--bind", "127.0.0.1", "--port", "0"])
        .current_dir(dir)
        .env_remove("KARGOJET_DEMO_API_KEY")
        // Debug level: the carriers' exchanges are logged too (masked), so the check below
        // covers every log line the server can write.
        .env("KARGOJET_LOG", "debug")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("stderr.log"))
                .unwrap(),
        ))
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let mut lines = BufReader::new(out).lines();
    let (mut base, mut key, mut curl) = (String::new(), String::new(), String::new());
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("KargoJet server on ") {
            base = rest.split_whitespace().next().unwrap().to_string();
        }
        if let Some(k) = line.strip_prefix("demo api key: ") {
            key = k.trim().to_string();
        }
        if line.starts_with("curl ") {
            curl = line;
            break;
        }
    }
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    assert!(key.starts_with("kj_"), "{key}");
    Started {
        child,
        base,
        key,
        curl,
    }
}

fn terminate(child: &Child) {
    let s = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(s.success());
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn help_explains_flags_environment_and_toml() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "--bind",
        "--port",
        "--config",
        "KARGOJET_DEMO_API_KEY",
        "KARGOJET_CREDENTIALS_KEY",
        "[[seed]]",
        "TOML",
    ] {
        assert!(text.contains(needle), "--help lacks {needle}");
    }
    let bad = Command::new(BIN).arg("--frobnicate").output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn zero_setup_start_graceful_shutdown_and_restart() {
    let dir = common::temp_dir("bin");
    let mut s = start(&dir);
    assert!(
        dir.join("kargojet.db").exists(),
        "SQLite file in the working directory"
    );
    let http = reqwest::blocking_client();
    // The printed curl line's body quotes a shipment.
    let body = s.curl.split("-d '").nth(1).unwrap().trim_end_matches('\'');
    let q: Value = serde_json::from_str(body).unwrap();
    let (status, v) = http.post(&format!("{}/v1/quotes", s.base), &s.key, &q, None);
    assert_eq!(status, 200, "{v}");
    assert!(!v["offers"].as_array().unwrap().is_empty());
    let mut ship = json!({"shipment": common::shipment("BIN-1"), "carrier": "yurtici"});
    ship["shipment"]["recipient"]["name"] = json!("Zübeyde Gizlikişi");
    ship["shipment"]["recipient"]["phone"] = json!("0542 987 65 43");
    let (status, shipped) = http.post(
        &format!("{}/v1/shipments", s.base),
        &s.key,
        &ship,
        Some("BIN-1"),
    );
    assert_eq!(status, 201, "{shipped}");
    // A seller's own carrier account: its credentials are never logged.
    let tariff = "id = \"demo_own\"\ncarrier = \"sendeo\"\n[[zone]]\nzone = \"all\"\nextra_per_desi = \"5\"\nbands = [ { to = \"30\", price = \"20\" } ]\n";
    let (status, account) = http.post(
        &format!("{}/v1/carrier-accounts", s.base),
        &s.key,
        &json!({"carrier": "sendeo", "name": "own", "credentials": {"username": "TEST", "password": "TesT.43e54"}, "tariff": tariff, "cod_fee": {"percent": "1", "min": "5.00"}}),
        None,
    );
    assert_eq!(status, 201, "{account}");
    let mut own = json!({"shipment": common::shipment("BIN-2"), "carrier": "sendeo"});
    own["shipment"]["recipient"]["name"] = json!("Zübeyde Gizlikişi");
    let (status, v) = http.post(
        &format!("{}/v1/quotes", s.base),
        &s.key,
        &json!({"shipment": own["shipment"]}),
        None,
    );
    assert_eq!(status, 200, "{v}");
    let agreement = v["offers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["agreement_kind"] == "own")
        .map(|o| o["agreement_id"].clone())
        .unwrap_or_else(|| panic!("no own offer: {v}"));
    own["agreement_id"] = agreement;
    let (status, v) = http.post(
        &format!("{}/v1/shipments", s.base),
        &s.key,
        &own,
        Some("BIN-2"),
    );
    assert_eq!(status, 201, "{v}");

    // An in-flight request: headers and half the body sent, then SIGTERM, then the rest.
    let payload = q.to_string();
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut conn = TcpStream::connect(&addr).unwrap();
    let head = format!(
        "POST /v1/quotes HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        s.key,
        payload.len()
    );
    let (a, b) = payload.as_bytes().split_at(payload.len() / 2);
    conn.write_all(head.as_bytes()).unwrap();
    conn.write_all(a).unwrap();
    conn.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    terminate(&s.child);
    std::thread::sleep(Duration::from_millis(500));
    conn.write_all(b).unwrap();
    let mut response = String::new();
    conn.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    conn.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.contains("\"offers\""));
    let exit = wait_exit(&mut s.child);
    assert!(exit.success(), "{exit:?}");
    // The database is in WAL mode: the header's write and read versions are 2.
    let header = std::fs::read(dir.join("kargojet.db")).unwrap();
    assert_eq!(&header[..16], b"SQLite format 3\0");
    assert_eq!((header[18], header[19]), (2, 2), "journal_mode=WAL");

    // Logs: JSON lines with request ids, and no personal data.
    let logs = std::fs::read_to_string(dir.join("stderr.log")).unwrap();
    let json_lines: Vec<Value> = logs
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(json_lines.iter().any(|l| {
        l["request_id"]
            .as_str()
            .is_some_and(|r| r.starts_with("req_"))
    }));
    for secret in [
        "Zübeyde",
        "Gizlikişi",
        "9876543",
        "987 65 43",
        &s.key,
        "TesT.43e54",
    ] {
        assert!(!logs.contains(secret), "logs contain {secret}");
    }

    // Restart: same key, the shipment is still there.
    let mut again = start(&dir);
    assert_eq!(again.key, s.key, "the demo key is kept");
    let id = shipped["id"].as_str().unwrap();
    let (status, v) = http.get(&format!("{}/v1/shipments/{id}", again.base), &again.key);
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["recipient"]["name"], "Zübeyde Gizlikişi");
    terminate(&again.child);
    assert!(wait_exit(&mut again.child).success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A tiny blocking HTTP client on a single-threaded runtime.
mod reqwest {
    use serde_json::Value;

    pub struct Client {
        rt: tokio::runtime::Runtime,
        http: ::reqwest::Client,
    }

    pub fn blocking_client() -> Client {
        let _ = rustls::crypto::ring::default_provider().install_default();
        Client {
            rt: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
            http: ::reqwest::Client::new(),
        }
    }

    impl Client {
        pub fn post(&self, url: &str, key: &str, body: &Value, idem: Option<&str>) -> (u16, Value) {
            self.rt.block_on(async {
                let mut rb = self.http.post(url).bearer_auth(key).json(body);
                if let Some(i) = idem {
                    rb = rb.header("Idempotency-Key", i);
                }
                let r = rb.send().await.unwrap();
                (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
            })
        }

        pub fn get(&self, url: &str, key: &str) -> (u16, Value) {
            self.rt.block_on(async {
                let r = self.http.get(url).bearer_auth(key).send().await.unwrap();
                (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
            })
        }
    }
}
