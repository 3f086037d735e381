//! The built `kargojet-sim` binary: shipments created at every carrier survive a `kill -9` and
//! a restart on the same state file (same references, numbers, creation times); sending the
//! same creates again after the restart makes no second shipment anywhere; tracking works on
//! the restarted simulators; the clock offset persists; SIGTERM stops it cleanly. A client
//! starting again against the restarted simulators (a restarted server) with the resumed
//! connectors never gets a number issued before — PTT's barcodes, drawn by the connector,
//! included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kargojet_carrier_common::sim::HeldShipment;
use kargojet_core::carrier::{AccountId, Carrier, CarrierId, ReferenceLookup};
use kargojet_core::orchestrator::{OfferChoice, Orchestrator, ShipRequest};
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{self, SelectionPolicy};
use kargojet_core::shipment::MerchantKey;
use kargojet_core::shipment::{AddressDraft, PartyDraft, ShipmentDraft, ShipmentRequest};
use kargojet_core::time::{Clock, ManualClock};
use kargojet_sim::SimUrls;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_kargojet-sim");

struct Sim {
    child: Child,
    urls: SimUrls,
}

impl Drop for Sim {
    fn drop(&mut self) {
        // A failing test must not leave the simulator running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn port_of(url: &str) -> &str {
    url.rsplit(':').next().unwrap()
}

/// Starts the binary; with `same`, on the ports of that earlier run.
fn start(state: &Path, same: Option<&SimUrls>) -> Sim {
    let mut args: Vec<String> = vec!["--state".into(), state.display().to_string()];
    if let Some(u) = same {
        for (id, url) in &u.carriers {
            args.push("--port".into());
            args.push(format!("{id}={}", port_of(url)));
        }
        args.push(format!("--admin-port={}", port_of(&u.admin)));
    }
    let mut child = Command::new(BIN)
        .args(&args)
        .env_remove("KARGOJET_SIM_PORT_BASE")
        .env_remove("KARGOJET_SIM_ADMIN_PORT")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().expect("the URLs line").unwrap();
    let urls: SimUrls = serde_json::from_str(&line).unwrap();
    assert_eq!(urls.carriers.len(), 8, "{line}");
    Sim { child, urls }
}

fn get(url: &str) -> serde_json::Value {
    let (host, path) = url
        .strip_prefix("http://")
        .and_then(|r| r.split_once('/'))
        .map(|(h, p)| (h.to_string(), format!("/{p}")))
        .unwrap();
    request(&host, "GET", &path, "")
}

/// A tiny blocking HTTP/1.1 client (the test needs nothing more).
fn request(host: &str, method: &str, path: &str, body: &str) -> serde_json::Value {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(host).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    let (_, body) = out.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap()
}

fn held(urls: &SimUrls) -> BTreeMap<String, Vec<HeldShipment>> {
    serde_json::from_value(get(&format!("{}/shipments", urls.admin))).unwrap()
}

fn shipment(n: usize) -> ShipmentRequest {
    ShipmentDraft {
        sender: PartyDraft {
            name: "Moda Tekstil".into(),
            phone: "02163456789".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Caferağa Mah. Moda Cad. No 12".into(),
                postal_code: None,
            },
        },
        recipient: PartyDraft {
            name: format!("Ayşe Yılmaz {n}"),
            phone: "05321234567".into(),
            email: None,
            address: AddressDraft {
                province: "Ankara".into(),
                district: "Çankaya".into(),
                line: "Kızılay Mah. Atatürk Bulvarı No 5".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(
            Decimal::from(30),
            Decimal::from(20),
            Decimal::from(10),
            Decimal::new(15, 1),
        )],
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn orchestrator(urls: &SimUrls, clock: &ManualClock) -> Orchestrator {
    orchestrator_of(
        kargojet_sim::remote::connectors(urls, clock).unwrap(),
        clock,
    )
}

fn orchestrator_of(connectors: Vec<Arc<dyn Carrier>>, clock: &ManualClock) -> Orchestrator {
    let mut b = Orchestrator::builder()
        .agreements(pricing::illustrative_platform_agreements().unwrap())
        .transit(pricing::transit_days().unwrap())
        .clock(Arc::new(clock.clone()));
    for c in connectors {
        b = b.carrier(c, AccountId::platform());
    }
    b.build().unwrap()
}

fn ship_request(carrier: &CarrierId, n: usize) -> ShipRequest {
    ShipRequest {
        company: "acme".into(),
        shipment: shipment(n),
        policy: SelectionPolicy::default(),
        idempotency_key: format!("order-{carrier}-{n}"),
        choice: Some(OfferChoice {
            carrier: carrier.clone(),
            agreement_id: None,
        }),
    }
}

fn kill9(child: &mut Child) {
    let s = Command::new("kill")
        .args(["-9", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(s.success());
    let _ = child.wait();
}

fn wait_exit(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(s) = child.try_wait().unwrap() {
            return s;
        }
        assert!(Instant::now() < deadline, "kargojet-sim did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_survives_kill_and_restart_without_duplicates() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = std::env::temp_dir().join(format!("kj-sim-restart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");

    let mut sim = start(&state, None);
    let clock = ManualClock::new(chrono::Utc::now());
    let orch = orchestrator(&sim.urls, &clock);
    let mut shipped = Vec::new();
    for carrier in kargojet_sim::carriers::ORDER {
        for n in 0..2 {
            match orch.ship(&ship_request(&carrier, n)).await {
                Ok(s) => shipped.push((carrier.clone(), n, s)),
                Err(e) => panic!("{carrier} #{n}: {} {}", e.code(), e.message_en()),
            }
        }
    }
    assert_eq!(shipped.len(), 16);
    let advanced = request(
        sim.urls.admin.trim_start_matches("http://"),
        "POST",
        "/clock",
        r#"{"advance_secs":7200}"#,
    );
    assert!(advanced["offset_secs"].as_i64().unwrap() >= 7200);
    let before = held(&sim.urls);
    let total: usize = before.values().map(Vec::len).sum();
    assert_eq!(total, 16, "{before:?}");
    let first_urls = sim.urls.clone();
    kill9(&mut sim.child);

    // Restarted on the same ports (fixed ports this time), the same state comes back.
    let mut sim = start(&state, Some(&first_urls));
    assert_eq!(sim.urls, first_urls);
    assert_eq!(
        held(&sim.urls),
        before,
        "the same shipments after the restart"
    );
    let clock_after = get(&format!("{}/clock", sim.urls.admin));
    assert!(clock_after["offset_secs"].as_i64().unwrap() >= 7200);

    // After the restart the carriers still answer for those merchant keys the way a server
    // resuming an interrupted call asks them: a lookup by reference finds each shipment with
    // its number; where a resend is safe (duplicates recognizable), a fresh client sending the
    // same create gets the shipment the carrier already holds.
    let connectors = kargojet_sim::remote::connectors(&sim.urls, &clock).unwrap();
    let fresh = orchestrator(&sim.urls, &clock);
    let mut resent = 0;
    for (carrier, n, first) in &shipped {
        let c = connectors.iter().find(|c| &c.id() == carrier).unwrap();
        let key = &first.created.merchant_key;
        let how = c.reconciliation();
        if how.lookup_conclusive {
            match c.find_by_reference(key, &AccountId::platform()).await {
                Ok(ReferenceLookup::Found(found)) => {
                    if let (Some(t), Some(t2)) = (
                        &first.created.carrier_tracking_number,
                        &found.carrier_tracking_number,
                    ) {
                        assert_eq!(t, t2, "{carrier} #{n}: the same carrier number");
                    }
                }
                other => panic!("{carrier} #{n}: lookup of {key} after restart: {other:?}"),
            }
        }
        if how.resend_is_safe {
            let again = fresh
                .ship(&ship_request(carrier, *n))
                .await
                .unwrap_or_else(|e| panic!("{carrier} #{n} again: {e}"));
            assert_eq!(&again.created.merchant_key, key, "{carrier}");
            resent += 1;
        }
    }
    assert!(resent >= 2, "some carriers recognize duplicates: {resent}");
    assert_eq!(
        get(&format!("{}/duplicates", sim.urls.admin)),
        serde_json::json!({})
    );
    let after: usize = held(&sim.urls).values().map(Vec::len).sum();
    assert_eq!(after, 16, "no carrier holds a second shipment");

    // Tracking works against the restarted simulators (tokens and shipments were replayed).
    // (An hour later: Yurtiçi refuses the same query twice within a minute.)
    request(
        sim.urls.admin.trim_start_matches("http://"),
        "POST",
        "/clock",
        r#"{"advance_secs":3600}"#,
    );
    clock.set(clock.now() + chrono::Duration::hours(1));
    for (carrier, n, s) in shipped.iter().filter(|(_, n, _)| *n == 0) {
        let t = orch.track(&s.id).await;
        assert!(
            t.is_ok(),
            "{carrier} #{n}: {:?}",
            t.err().map(|e| (e.code(), e.message_en()))
        );
    }

    let s = Command::new("kill")
        .args(["-TERM", &sim.child.id().to_string()])
        .status()
        .unwrap();
    assert!(s.success());
    assert!(wait_exit(&mut sim.child).success(), "SIGTERM exits cleanly");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_issued_after_a_restart_never_repeat() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = std::env::temp_dir().join(format!("kj-sim-numbers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let state = dir.join("state.json");

    let mut sim = start(&state, None);
    let clock = ManualClock::new(chrono::Utc::now());
    let orch = orchestrator(&sim.urls, &clock);
    for carrier in kargojet_sim::carriers::ORDER {
        for n in 0..2 {
            if let Err(e) = orch.ship(&ship_request(&carrier, n)).await {
                panic!("{carrier} #{n}: {} {}", e.code(), e.message_en());
            }
        }
    }
    kill9(&mut sim.child);

    // Restarted from the journal; the client starts again too (its allocator is gone).
    let sim = start(&state, None);
    let inventory = held(&sim.urls);
    let first_ptt = inventory["ptt"][0].reference.clone();
    // A fresh PTT connector would offer the first barcode of the range once more.
    let fresh = kargojet_sim::remote::connectors(&sim.urls, &clock).unwrap();
    let fresh_ptt = fresh.iter().find(|c| c.id() == CarrierId::Ptt).unwrap();
    let offered = fresh_ptt
        .assign_merchant_key(MerchantKey("KJ-new".into()))
        .await
        .unwrap();
    assert_eq!(
        offered.as_str(),
        first_ptt,
        "the unseeded allocator repeats"
    );
    // The resumed connectors continue after what the simulators hold.
    let resumed = kargojet_sim::remote::resumed_connectors(&sim.urls, &clock, &inventory).unwrap();
    let resumed_ptt = resumed.iter().find(|c| c.id() == CarrierId::Ptt).unwrap();
    let next = resumed_ptt
        .assign_merchant_key(MerchantKey("KJ-new".into()))
        .await
        .unwrap();
    assert!(
        inventory["ptt"]
            .iter()
            .all(|h| h.reference != next.as_str()),
        "{next} was issued before"
    );
    let again = orchestrator_of(resumed, &clock);
    for carrier in kargojet_sim::carriers::ORDER {
        for n in 2..4 {
            if let Err(e) = again.ship(&ship_request(&carrier, n)).await {
                panic!(
                    "{carrier} #{n} after the restart: {} {}",
                    e.code(),
                    e.message_en()
                );
            }
        }
    }
    // Every carrier holds four distinct shipments with four distinct numbers.
    for (carrier, list) in held(&sim.urls) {
        assert_eq!(list.len(), 4, "{carrier}: {list:?}");
        let refs: std::collections::BTreeSet<&str> =
            list.iter().map(|h| h.reference.as_str()).collect();
        assert_eq!(refs.len(), 4, "{carrier}: references repeat: {list:?}");
        let numbers: Vec<&str> = list
            .iter()
            .filter_map(|h| h.tracking_number.as_deref())
            .collect();
        let distinct: std::collections::BTreeSet<&str> = numbers.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            numbers.len(),
            "{carrier}: tracking numbers repeat: {list:?}"
        );
    }
    assert_eq!(
        get(&format!("{}/duplicates", sim.urls.admin)),
        serde_json::json!({})
    );
    drop(sim);
    let _ = std::fs::remove_dir_all(&dir);
}
