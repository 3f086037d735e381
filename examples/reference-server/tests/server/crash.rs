//! Crash safety against carriers that outlive the server: the built `kargojet-sim` and
//! `kargojet-server` binaries (next to this test in the target directory), a bulk purchase of
//! 1,000 shipments, `kill -9` of the server in the middle of it, a restart on the same SQLite
//! file and the purchase sent again (same upload, so every row keeps its idempotency key).
//! Afterwards: no carrier holds a reference twice, every row of the upload has exactly one
//! shipment (in the server and at its carrier), each shipment was charged once (one capture,
//! no price hold left, one desi reserve), and the ledger balances (every account's balance is
//! the sum of its transfers; all balances sum to zero).
//!
//! Needs `kargojet-sim` built (`cargo build -p kargojet-sim`, or the workspace build).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rust_decimal::Decimal;
use serde_json::Value;
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::{Duration, Instant};

const SERVER: &str = env!("CARGO_BIN_EXE_kargojet-server");
const KEY: &str = "kj_crashtest_0123456789abcdefghijklmnop";
const ROWS: usize = 1000;
const TOP_UP: i64 = 1_000_000;

fn sim_binary() -> PathBuf {
    let p = Path::new(SERVER).with_file_name("kargojet-sim");
    assert!(
        p.exists(),
        "{} is missing: build it first (cargo build -p kargojet-sim)",
        p.display()
    );
    p
}

/// A child process killed when the test ends (also on a failure).
struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_sim(dir: &Path) -> (Proc, Value) {
    let mut child = Command::new(sim_binary())
        .arg("--state")
        .arg(dir.join("sim-state.json"))
        .arg("--urls-file")
        .arg(dir.join("sim-urls.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let line = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .expect("kargojet-sim prints its URLs")
        .unwrap();
    (Proc(child), serde_json::from_str(&line).unwrap())
}

fn start_server(dir: &Path) -> (Proc, String) {
    let mut child = Command::new(SERVER)
        .args(["--port", "0"])
        .current_dir(dir)
        .env("KARGOJET_SIM_URLS", dir.join("sim-urls.json"))
        .env(
            "KARGOJET_DATABASE_URL",
            format!("sqlite://{}", dir.join("kj.db").display()),
        )
        .env("KARGOJET_DEMO_API_KEY", KEY)
        .env("KARGOJET_DEMO_TOP_UP", TOP_UP.to_string())
        .env("KARGOJET_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::from(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(dir.join("server.log"))
                .unwrap(),
        ))
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(rest) = line.strip_prefix("KargoJet server on ") {
            let base = rest.split_whitespace().next().unwrap().to_string();
            // Keep draining stdout so the server never blocks on a full pipe.
            std::thread::spawn(move || for _ in lines.by_ref() {});
            return (Proc(child), base);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!(
        "the server did not start: {}",
        std::fs::read_to_string(dir.join("server.log")).unwrap_or_default()
    );
}

/// 1,000 rows to 40 destinations, no cash on delivery (so capture takes each total whole).
fn csv() -> String {
    let places = [
        ("Ankara", "Çankaya", "Kızılay Mah. Atatürk Blv."),
        ("İzmir", "Bornova", "Kazımdirik Mah. 372. Sk."),
        ("Bursa", "Nilüfer", "Özlüce Mah. 12. Sk."),
        ("İstanbul", "Kadıköy", "Caferağa Mah. Moda Cad."),
        ("Antalya", "Muratpaşa", "Şirinyalı Mah. 1505 Sk."),
        ("Konya", "Selçuklu", "Bosna Hersek Mah. Sille Cad."),
        ("Van", "İpekyolu", "Şerefiye Mah. Cumhuriyet Cad."),
        ("Trabzon", "Ortahisar", "Kemerkaya Mah. Uzun Sk."),
    ];
    let mut out = String::from(
        "Sipariş No;Alıcı Adı;Alıcı Telefon;İl;İlçe;Adres;Desi;Ağırlık;Tahsilat Tutarı\n",
    );
    for i in 1..=ROWS {
        let (il, ilce, street) = places[i % places.len()];
        out.push_str(&format!(
            "C-{i};Alıcı {i};0532 {:03} {:02} {:02};{il};{ilce};{street} No: {};{};{};\n",
            100 + i % 900,
            i % 100,
            (i / 100) % 100,
            1 + i % 90,
            1 + i % 5,
            1 + i % 3,
        ));
    }
    out
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(600))
        .build()
        .unwrap()
}

async fn get(http: &reqwest::Client, url: &str) -> Value {
    http.get(url)
        .header("Authorization", format!("Bearer {KEY}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

fn dec(v: &Value) -> Decimal {
    match v {
        Value::String(s) => Decimal::from_str(s).unwrap(),
        Value::Number(n) => Decimal::from_str(&n.to_string()).unwrap(),
        Value::Object(o) => dec(o.get("amount").unwrap()),
        other => panic!("not an amount: {other}"),
    }
}

async fn held(http: &reqwest::Client, admin: &str) -> BTreeMap<String, Vec<Value>> {
    http.get(format!("{admin}/shipments"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn held_count(http: &reqwest::Client, admin: &str) -> usize {
    held(http, admin).await.values().map(Vec::len).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_a_bulk_purchase_loses_and_doubles_nothing() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let started = Instant::now();
    let dir = std::env::temp_dir().join(format!("kj-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (_sim, urls) = start_sim(&dir);
    let admin = urls["admin"].as_str().unwrap().to_string();
    let http = client();

    let (mut server, base) = start_server(&dir);
    let upload: Value = http
        .post(format!("{base}/v1/shipments/bulk?file_name=crash.csv"))
        .header("Authorization", format!("Bearer {KEY}"))
        .header("Content-Type", "text/csv")
        .body(csv())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(upload["accepted"], ROWS, "{}", upload["errors"]);
    let id = upload["id"].as_str().unwrap().to_string();
    let purchase_url = format!("{base}/v1/shipments/bulk/{id}/purchase");

    // Buy, and kill -9 the server once a good part of the rows reached the carriers.
    let buying = {
        let (http, url) = (http.clone(), purchase_url.clone());
        tokio::spawn(async move {
            http.post(url)
                .header("Authorization", format!("Bearer {KEY}"))
                .json(&serde_json::json!({}))
                .send()
                .await
        })
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let n = held_count(&http, &admin).await;
        if n >= ROWS / 3 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {n} shipments reached the carriers"
        );
        assert!(!buying.is_finished(), "the purchase ended before the kill");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let s = Command::new("kill")
        .args(["-9", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(s.success());
    let _ = server.0.wait();
    let at_kill = held_count(&http, &admin).await;
    assert!(at_kill < ROWS, "killed in the middle: {at_kill}");
    assert!(
        buying.await.unwrap().is_err(),
        "the first purchase call died with the server"
    );
    drop(server);

    // Restart on the same database; the client sends the purchase again.
    let (server, base) = start_server(&dir);
    let purchase_url = format!("{base}/v1/shipments/bulk/{id}/purchase");
    let resp = http
        .post(&purchase_url)
        .header("Authorization", format!("Bearer {KEY}"))
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let done: Value = resp.json().await.unwrap();
    let shipped = done["purchase"]["shipped"].as_array().unwrap();
    let failed = done["purchase"]["failed"].as_array().unwrap();
    assert!(failed.is_empty(), "{failed:?}");
    assert_eq!(shipped.len(), ROWS);

    // Every row of the upload has exactly one shipment.
    let rows: BTreeSet<u64> = shipped.iter().map(|s| s["row"].as_u64().unwrap()).collect();
    assert_eq!(rows.len(), ROWS, "one shipment per row");
    let ids: BTreeSet<&str> = shipped
        .iter()
        .map(|s| s["shipment_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), ROWS, "no two rows share a shipment");

    // At the carriers: each merchant key exactly once, nothing more.
    let at_carriers = held(&http, &admin).await;
    let dups: Value = http
        .get(format!("{admin}/duplicates"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(dups, serde_json::json!({}), "a reference held twice");
    let total: usize = at_carriers.values().map(Vec::len).sum();
    assert_eq!(total, ROWS, "one carrier shipment per row, nothing lost");
    let refs: BTreeSet<(String, String)> = at_carriers
        .iter()
        .flat_map(|(c, v)| {
            v.iter()
                .map(move |h| (c.clone(), h["reference"].as_str().unwrap().to_string()))
        })
        .collect();
    let mut charged = Decimal::ZERO;
    for s in shipped {
        let sid = s["shipment_id"].as_str().unwrap();
        let v = get(&http, &format!("{base}/v1/shipments/{sid}")).await;
        let carrier = v["carrier"].as_str().unwrap().to_string();
        let key = v["merchant_key"].as_str().unwrap().to_string();
        assert!(
            refs.contains(&(carrier.clone(), key.clone())),
            "{sid}: {carrier} does not hold {key}"
        );
        charged += dec(&s["total"]);
    }

    // Money: the seller paid each shipment once.
    let wallet = get(&http, &format!("{base}/v1/wallet")).await;
    let available = dec(&wallet["available"]);
    let blocked = dec(&wallet["blocked"]);
    assert_eq!(
        Decimal::from(TOP_UP) - available - blocked,
        charged,
        "the seller paid the sum of the shipments, once: {wallet}"
    );
    drop(server);

    // The ledger, from the database itself.
    let url = format!("sqlite://{}", dir.join("kj.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let transfers = sqlx::query("SELECT id, data FROM ledger_transfers")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut computed: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut captures: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for t in &transfers {
        let tid: String = t.get("id");
        let data: Value = serde_json::from_str(t.get::<String, _>("data").as_str()).unwrap();
        let amount = dec(&data["amount"]);
        *computed.entry(data["debit"].to_string()).or_default() -= amount;
        *computed.entry(data["credit"].to_string()).or_default() += amount;
        if let Some((head, _)) = tid.split_once(":capture") {
            let (shipment, attempt) = head.rsplit_once(":a").unwrap();
            captures
                .entry(shipment.to_string())
                .or_default()
                .insert(attempt.to_string());
        }
    }
    assert_eq!(captures.len(), ROWS, "every shipment was captured");
    for (s, attempts) in &captures {
        assert_eq!(attempts.len(), 1, "{s} captured by attempts {attempts:?}");
    }
    let balances = sqlx::query("SELECT account, balance FROM ledger_balances")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut sum = Decimal::ZERO;
    for b in &balances {
        let account: Value = serde_json::from_str(b.get::<String, _>("account").as_str()).unwrap();
        let balance = Decimal::from_str(b.get::<String, _>("balance").as_str()).unwrap();
        sum += balance;
        let from_transfers = computed
            .get(&account.to_string())
            .copied()
            .unwrap_or_default();
        assert_eq!(balance, from_transfers, "{account}: balance vs transfers");
    }
    assert_eq!(sum, Decimal::ZERO, "double entry: balances sum to zero");
    let pending = sqlx::query("SELECT id FROM ledger_holds WHERE state = 'pending'")
        .fetch_all(&pool)
        .await
        .unwrap();
    let pending: Vec<String> = pending.iter().map(|r| r.get("id")).collect();
    assert!(
        pending.iter().all(|h| h.ends_with(":reserve")),
        "only desi reserves stay held: {:?}",
        pending
            .iter()
            .filter(|h| !h.ends_with(":reserve"))
            .collect::<Vec<_>>()
    );
    assert_eq!(pending.len(), ROWS, "one desi reserve per shipment");
    pool.close().await;
    eprintln!(
        "crash test: {at_kill} of {ROWS} at the carriers when killed; {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
