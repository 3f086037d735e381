//! Webhooks end to end over real sockets: the simulator POSTs each event as parcels move to a
//! merchant endpoint on 127.0.0.1, which authenticates and parses it with
//! `webhook::receive`; pushed events equal polled ones; a re-delivered push has the same event
//! id; pushes with bad authentication are refused and retried once the endpoint accepts them.
#![allow(clippy::unwrap_used)]

mod support;

use chrono::TimeZone;
use kargojet_core::carrier::Carrier;
use kargojet_core::error::Code;
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::{ShipmentStatus, merge_events};
use kargojet_kolaygelsin::KolayGelsin;
use kargojet_kolaygelsin::sim::{KolayGelsinSim, WebhookTarget};
use kargojet_kolaygelsin::webhook::{WebhookAuth, WebhookConfig};
use std::collections::HashSet;
use std::time::Duration;
use support::*;

fn start() -> (ManualClock, KolayGelsinSim, KolayGelsin) {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 7, 15, 2).unwrap());
    let sim = KolayGelsinSim::start(clock.clone()).unwrap();
    let carrier = KolayGelsin::new(sim.connector_config()).unwrap();
    (clock, sim, carrier)
}

fn hash() -> WebhookAuth {
    WebhookAuth::hash("kg-hash-5f1c")
}

fn receiver_cfg(auth: WebhookAuth) -> WebhookConfig {
    WebhookConfig {
        auth,
        customer_id: Some(20),
    }
}

#[tokio::test]
async fn pushes_arrive_parsed_and_equal_the_polled_events() {
    let (clock, sim, carrier) = start();
    let (endpoint, seen) = webhook_receiver(receiver_cfg(hash()));
    sim.set_webhook(WebhookTarget {
        url: endpoint.url("/kolaygelsin/webhook"),
        auth: hash(),
    });
    let c = carrier
        .create(&plain_request("KJ2400000801"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(25 * 3600));
    sim.push_due().await;
    let received = seen.lock().unwrap().events.clone();
    assert_eq!(received.len(), 8, "{received:#?}");
    let codes: Vec<&str> = received
        .iter()
        .map(|p| p.event.carrier_code.as_str())
        .collect();
    assert_eq!(codes, ["1", "2", "12", "13", "14", "17", "18", "29"]);
    assert_eq!(
        received.last().and_then(|p| p.event.status),
        Some(ShipmentStatus::Delivered)
    );
    for p in &received {
        assert_eq!(p.customer_barcode.as_deref(), Some("KJ2400000801"));
        assert_eq!(p.shipment_id.as_deref(), Some("884213"));
        assert_eq!(p.customer_specific_code.as_deref(), Some("SIP-601"));
    }
    assert_eq!(
        received.last().and_then(|p| p.document.clone()),
        Some((kargojet_kolaygelsin::sim::signature_id(884213), 4))
    );
    let ids: HashSet<&str> = received.iter().map(|p| p.event_id.as_str()).collect();
    assert_eq!(ids.len(), 8, "every event has its own id");
    // The history recognises pushed events when the same events are polled.
    let polled = carrier.track(&reference(&c)).await.unwrap();
    let mut history: Vec<_> = received.iter().map(|p| p.event.clone()).collect();
    assert_eq!(merge_events(&mut history, &polled.events), 0);
    // Every push went out as the documented body (all values strings) with the hash header.
    let deliveries = sim.webhook_deliveries();
    assert_eq!(deliveries.len(), 8);
    let first: serde_json::Value = serde_json::from_str(&deliveries[0].body).unwrap();
    assert_eq!(first["CargoEventType"], "1");
    assert_eq!(first["CustomerId"], "20");
    assert_eq!(first["TimeStamp"], "2024-03-12T10:15:02+03:00");
    let sent = endpoint.requests();
    assert_eq!(sent[0].header("x-kolaygelsin-hash"), Some("kg-hash-5f1c"));
    assert_eq!(sent[0].method, "POST");
    assert_eq!(sim.push_due().await, 0, "nothing new");
}

#[tokio::test]
async fn a_redelivered_push_keeps_its_event_id() {
    let (clock, sim, carrier) = start();
    let basic = WebhookAuth::Basic {
        username: "kolaygelsin".into(),
        password: "w3bh00k".into(),
    };
    let (endpoint, seen) = webhook_receiver(receiver_cfg(basic.clone()));
    sim.set_webhook(WebhookTarget {
        url: endpoint.url("/hook"),
        auth: basic,
    });
    carrier
        .create(&plain_request("KJ2400000802"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(4 * 3600));
    assert_eq!(sim.push_due().await, 3);
    assert_eq!(sim.redeliver_all().await, 3);
    let received = seen.lock().unwrap().events.clone();
    assert_eq!(received.len(), 6);
    let (first, again) = received.split_at(3);
    assert_eq!(first, again, "same events, same ids");
    let unique: HashSet<&str> = received.iter().map(|p| p.event_id.as_str()).collect();
    assert_eq!(unique.len(), 3, "duplicates are recognisable by id");
    assert!(
        endpoint.requests()[0]
            .header("authorization")
            .is_some_and(|h| h.starts_with("Basic "))
    );
}

#[tokio::test]
async fn bad_authentication_is_refused_and_the_push_stays_pending() {
    let (clock, sim, carrier) = start();
    let (endpoint, seen) = webhook_receiver(receiver_cfg(hash()));
    sim.set_webhook(WebhookTarget {
        url: endpoint.url("/hook"),
        auth: WebhookAuth::hash("guessed"),
    });
    carrier
        .create(&plain_request("KJ2400000803"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(2 * 3600));
    assert_eq!(sim.push_due().await, 0);
    {
        let s = seen.lock().unwrap();
        assert!(s.events.is_empty());
        assert!(!s.refused.is_empty());
        assert!(
            s.refused
                .iter()
                .all(|c| c == Code::WebhookInvalidSignature.as_str())
        );
    }
    assert!(
        sim.webhook_deliveries()
            .iter()
            .all(|d| d.status == Some(401))
    );
    // A Basic-auth push to a hash endpoint is refused too.
    sim.set_webhook(WebhookTarget {
        url: endpoint.url("/hook"),
        auth: WebhookAuth::Basic {
            username: "kg".into(),
            password: "kg-hash-5f1c".into(),
        },
    });
    assert_eq!(sim.push_due().await, 0);
    // With the agreed hash the pending events go out.
    sim.set_webhook(WebhookTarget {
        url: endpoint.url("/hook"),
        auth: hash(),
    });
    assert_eq!(sim.push_due().await, 2);
    assert_eq!(seen.lock().unwrap().events.len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_simulator_pushes_by_itself_as_the_clock_moves() {
    let (clock, sim, carrier) = start();
    let (endpoint, seen) = webhook_receiver(receiver_cfg(hash()));
    sim.set_webhook(WebhookTarget {
        url: endpoint.url("/hook"),
        auth: hash(),
    });
    sim.start_pushing(Duration::from_millis(50)).unwrap();
    carrier
        .create(&plain_request("KJ2400000804"))
        .await
        .unwrap();
    let wait_for = |n: usize| {
        let seen = seen.clone();
        async move {
            for _ in 0..100 {
                if seen.lock().unwrap().events.len() >= n {
                    return true;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            false
        }
    };
    assert!(wait_for(1).await, "the creation event is pushed");
    clock.advance(Duration::from_secs(4 * 3600));
    assert!(
        wait_for(3).await,
        "pickup is pushed once the clock passes it"
    );
    sim.clear_webhook();
    let before = seen.lock().unwrap().events.len();
    clock.advance(Duration::from_secs(24 * 3600));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(
        seen.lock().unwrap().events.len(),
        before,
        "no pushes after clearing"
    );
}
