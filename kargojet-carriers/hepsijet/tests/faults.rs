//! Faults over a real socket: maybe-sent creates reconciled by merchant key and never
//! re-created, retried 5xx and 429 on idempotent calls, FAIL inside 200, malformed answers kept
//! raw, token expiry mid-run, a revoked token refreshed once, and the 100-caller stampede.
#![allow(clippy::unwrap_used)]

mod support;

use chrono::TimeZone;
use kargojet_core::carrier::{AccountId, Carrier, ReferenceLookup};
use kargojet_core::error::{Code, SendState};
use kargojet_core::time::ManualClock;
use kargojet_hepsijet::Hepsijet;
use kargojet_hepsijet::sim::HepsijetSim;
use std::sync::Arc;
use std::time::Duration;
use support::*;

fn start() -> (ManualClock, HepsijetSim, Arc<Hepsijet>) {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap());
    let sim = HepsijetSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.http.timeout = Duration::from_millis(700);
    let carrier = Arc::new(Hepsijet::with_clock(cfg, Arc::new(clock.clone())).unwrap());
    (clock, sim, carrier)
}

#[tokio::test]
async fn timeout_after_processing_is_maybe_sent_and_reconciled_by_key_never_recreated() {
    let (_clock, sim, carrier) = start();
    let req = request("KRJ2403120101");
    sim.create_shipment().timeout().after_processing();
    let e = carrier.create(&req).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::MaybeSent), "{e:?}");
    assert!(e.is_maybe_sent());
    assert_eq!(
        sim.calls("sendDeliveryOrderEnhanced"),
        1,
        "a create is never retried by the connector"
    );

    // Reconciliation as `reconciliation()` says: the lookup by customerDeliveryNo finds it …
    let how = carrier.reconciliation();
    assert!(how.lookup_conclusive && how.resend_is_safe);
    match carrier
        .find_by_reference(&req.merchant_key, &AccountId::platform())
        .await
        .unwrap()
    {
        ReferenceLookup::Found(c) => {
            assert_eq!(c.carrier_tracking_number.as_deref(), Some("KRJ2403120101"))
        }
        other => panic!("expected Found, got {other:?}"),
    }
    // … and a resend with the same key is answered DUPLICATE, which is carrier.duplicate.
    let mut resend = req.clone();
    resend.attempt = 1;
    let dup = carrier.create(&resend).await.unwrap_err();
    assert_eq!(
        (dup.code(), dup.carrier_code()),
        (Code::CarrierDuplicate, Some("DUPLICATE"))
    );
    assert_eq!(sim.shipments_with_key("KRJ2403120101"), 1);
    assert_eq!(sim.shipment_count(), 1);
}

#[tokio::test]
async fn lookup_of_an_unknown_key_is_inconclusive() {
    let (_clock, _sim, carrier) = start();
    let r = carrier
        .find_by_reference(
            &kargojet_core::shipment::MerchantKey("KRJ2403129999".into()),
            &AccountId::platform(),
        )
        .await
        .unwrap();
    assert_eq!(r, ReferenceLookup::Inconclusive);
    let unknown = kargojet_core::carrier::ShipmentRef {
        merchant_key: kargojet_core::shipment::MerchantKey("KRJ2403129999".into()),
        carrier_tracking_number: None,
        carrier_refs: Default::default(),
        account: AccountId::platform(),
    };
    assert_eq!(
        carrier.track(&unknown).await.unwrap_err().code(),
        Code::NotFoundShipment
    );
}

#[tokio::test]
async fn server_errors_on_track_are_retried_and_succeed() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120102")).await.unwrap();
    sim.track().error500().times(2);
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(
        u.status,
        Some(kargojet_core::tracking::ShipmentStatus::Created)
    );
    assert_eq!(sim.calls("integrationTrack"), 3);
}

#[tokio::test]
async fn create_5xx_is_not_retried() {
    let (_clock, sim, carrier) = start();
    sim.create_shipment().error500();
    let e = carrier.create(&request("KRJ2403120103")).await.unwrap_err();
    assert_eq!(e.code(), Code::TransportHttpStatus);
    assert_eq!(sim.calls("sendDeliveryOrderEnhanced"), 1);
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_honoured_on_track() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120104")).await.unwrap();
    sim.track().retry_after(1);
    let started = std::time::Instant::now();
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(u.carrier_tracking_number.as_deref(), Some("KRJ2403120104"));
    assert_eq!(sim.calls("integrationTrack"), 2);
}

#[tokio::test]
async fn fail_inside_200_is_carrier_rejected_with_the_code() {
    let (_clock, sim, carrier) = start();
    sim.create_shipment().reject("ADDRESS_NOT_MATCHED");
    let e = carrier.create(&request("KRJ2403120105")).await.unwrap_err();
    assert_eq!(e.code(), Code::CarrierRejected);
    assert_eq!(e.carrier_code(), Some("ADDRESS_NOT_MATCHED"));
    assert_eq!(sim.shipment_count(), 0);
}

#[tokio::test]
async fn malformed_json_is_kept_raw() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120106")).await.unwrap();
    sim.track().malformed().after_processing();
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    let raw = e.raw().unwrap();
    assert!(
        raw.starts_with("{\"data\":[{\"barcode\":\"KRJ2403120106\""),
        "{raw}"
    );
    sim.create_shipment().malformed().after_processing();
    let e = carrier.create(&request("KRJ2403120107")).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert!(e.is_maybe_sent());
    assert!(
        e.raw()
            .unwrap()
            .starts_with("{\"data\":{\"customerDeliveryNo\":\"KRJ2403120107\"")
    );
    assert_eq!(
        sim.shipments_with_key("KRJ2403120107"),
        1,
        "processed before the answer broke"
    );
}

#[tokio::test]
async fn empty_truncated_and_odd_answers_never_panic() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120108")).await.unwrap();
    let r = reference(&c);
    sim.track().status_body(200, "");
    assert_eq!(
        carrier.track(&r).await.unwrap_err().code(),
        Code::ProtocolMalformed
    );
    sim.track().status_body(200, "<html>bakımdayız</html>");
    assert_eq!(
        carrier.track(&r).await.unwrap_err().raw(),
        Some("<html>bakımdayız</html>")
    );
    sim.track()
        .status_body(200, "{\"status\":\"OK\",\"data\":\"yok\"}");
    assert_eq!(
        carrier.track(&r).await.unwrap_err().code(),
        Code::ProtocolMalformed
    );
    sim.track().truncate_body().times(3);
    let e = carrier.track(&r).await.unwrap_err();
    assert!(e.is_retryable(), "{e:?}");
    sim.track().drop_connection().times(3);
    assert!(carrier.track(&r).await.is_err());
    assert!(carrier.track(&r).await.is_ok());
}

#[tokio::test]
async fn token_expiry_mid_run_refreshes_once() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120109")).await.unwrap();
    assert_eq!(sim.calls("getToken"), 1);
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("getToken"), 1, "the token is reused");
    clock.advance(Duration::from_secs(61 * 60));
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("getToken"), 2);
    assert_eq!(carrier.token_fetches(), 2);
    // The simulator itself expires tokens after 60 minutes of its clock.
    let old = sim.requests_for("integrationTrack")[0]
        .header("x-auth-token")
        .unwrap()
        .to_string();
    let newer = sim
        .requests_for("integrationTrack")
        .last()
        .unwrap()
        .header("x-auth-token")
        .unwrap()
        .to_string();
    assert_ne!(old, newer);
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_call_retried_once() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120110")).await.unwrap();
    sim.revoke_tokens();
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("getToken"), 2);
    assert_eq!(sim.calls("integrationTrack"), 2, "one 401, one retry");
    // A token refused twice is an auth error, not a loop.
    sim.track()
        .status_body(401, "{\"status\":\"FAIL\",\"message\":\"Token expired\"}")
        .times(2);
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert_eq!(sim.calls("getToken"), 3);
}

#[tokio::test]
async fn bad_credentials_are_auth_failed_and_tried_once() {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap());
    let sim = HepsijetSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.password = "wrong".into();
    let carrier = Hepsijet::with_clock(cfg, Arc::new(clock)).unwrap();
    let e = carrier.create(&request("KRJ2403120111")).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert_eq!(sim.calls("getToken"), 1);
    assert_eq!(sim.calls("sendDeliveryOrderEnhanced"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stampede_of_100_calls_with_an_expired_token_makes_one_token_request() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120112")).await.unwrap();
    assert_eq!(sim.calls("getToken"), 1);
    clock.advance(Duration::from_secs(61 * 60));
    let r = reference(&c);
    let calls = (0..100).map(|_| {
        let carrier = carrier.clone();
        let r = r.clone();
        tokio::spawn(async move { carrier.track(&r).await })
    });
    for h in futures::future::join_all(calls).await {
        h.unwrap().unwrap();
    }
    assert_eq!(
        sim.calls("getToken"),
        2,
        "exactly one token request for 100 waiting calls"
    );
    assert_eq!(sim.tokens_issued(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stampede_of_100_calls_refused_with_401_makes_one_token_request() {
    // The token is fresh by our clock but the service no longer accepts it (revoked, or the
    // clocks disagree). The first answers are held back, so all 100 calls are in flight with
    // the refused token at once: each gets a 401, and one refresh serves all of them.
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KRJ2403120113")).await.unwrap();
    assert_eq!(sim.calls("getToken"), 1);
    sim.revoke_tokens();
    sim.track().delay(Duration::from_millis(250)).times(100);
    let r = reference(&c);
    let calls = (0..100).map(|_| {
        let carrier = carrier.clone();
        let r = r.clone();
        tokio::spawn(async move { carrier.track(&r).await })
    });
    for h in futures::future::join_all(calls).await {
        h.unwrap().unwrap();
    }
    assert_eq!(
        sim.calls("getToken"),
        2,
        "exactly one refresh for 100 refused calls"
    );
    assert_eq!(carrier.token_fetches(), 2);
    let refused = sim.requests_for("integrationTrack")[0]
        .header("x-auth-token")
        .map(String::from);
    let with_refused = sim
        .requests_for("integrationTrack")
        .iter()
        .filter(|q| q.header("x-auth-token").map(String::from) == refused)
        .count();
    assert_eq!(
        with_refused, 100,
        "every call was sent with the refused token"
    );
    assert_eq!(
        sim.calls("integrationTrack"),
        200,
        "each call refused once and retried once"
    );
}

#[tokio::test]
async fn shared_token_caches_serve_one_credential_set() {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap());
    let sim = HepsijetSim::start(clock.clone()).unwrap();
    let other = HepsijetSim::start(clock.clone()).unwrap();
    let caches = kargojet_carrier_common::token::TokenCaches::new(
        Arc::new(clock.clone()),
        Duration::from_secs(300),
    );
    let shared = |cfg| Hepsijet::with_token_caches(cfg, Arc::new(clock.clone()), &caches);
    let a = shared(sim.connector_config()).unwrap();
    let b = shared(sim.connector_config()).unwrap();
    let c = a.create(&request("KRJ2403120114")).await.unwrap();
    b.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("getToken"), 1, "one token per credential set");
    assert_eq!(b.token_fetches(), 1);
    // Another credential set (another service) gets its own token from the same caches.
    let d = shared(other.connector_config()).unwrap();
    d.create(&request("KRJ2403120115")).await.unwrap();
    assert_eq!(other.calls("getToken"), 1);
    assert_eq!(sim.calls("getToken"), 1);
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let clock = ManualClock::new(chrono::Utc::now());
    let mut cfg = example_config(&kargojet_carrier_common::sim::dead_endpoint().unwrap());
    cfg.http = kargojet_carrier_common::http::HttpConfig::fast();
    let carrier = Hepsijet::with_clock(cfg, Arc::new(clock)).unwrap();
    let e = carrier.create(&request("KRJ2403120113")).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::NotSent), "{e:?}");
}
