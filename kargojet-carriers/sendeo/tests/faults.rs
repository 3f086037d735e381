//! Faults over a real socket: a maybe-sent create reconciled by `ReferenceNo` and never
//! re-created, 5xx and 429 retried on idempotent calls only (a 500 with an `ExceptionMessage`
//! never), carrier error codes mapped, malformed answers kept raw, token expiry mid-run, a
//! revoked token refreshed once, bad credentials tried once (never hammered into a block), the
//! 100-caller stampede, and failures before sending reported as not sent.
#![allow(clippy::unwrap_used)]

mod support;

use chrono::TimeZone;
use kargojet_core::carrier::{AccountId, Carrier, ReferenceLookup, ShipmentRef};
use kargojet_core::error::{Code, SendState};
use kargojet_core::shipment::MerchantKey;
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_sendeo::Sendeo;
use kargojet_sendeo::sim::SendeoSim;
use std::sync::Arc;
use std::time::Duration;
use support::*;

fn clock() -> ManualClock {
    ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap())
}

fn start() -> (ManualClock, SendeoSim, Arc<Sendeo>) {
    let clock = clock();
    let sim = SendeoSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.http.timeout = Duration::from_millis(700);
    let carrier = Arc::new(Sendeo::with_clock(cfg, Arc::new(clock.clone())).unwrap());
    (clock, sim, carrier)
}

fn unknown(key: &str) -> ShipmentRef {
    ShipmentRef {
        merchant_key: MerchantKey(key.into()),
        carrier_tracking_number: None,
        carrier_refs: Default::default(),
        account: AccountId::platform(),
    }
}

#[tokio::test]
async fn timeout_after_processing_is_maybe_sent_and_reconciled_by_reference_never_recreated() {
    let (_clock, sim, carrier) = start();
    let req = request("KJ2400000801");
    sim.create_shipment().timeout().after_processing();
    let e = carrier.create(&req).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::MaybeSent), "{e:?}");
    assert_eq!(
        sim.calls("SETDELIVERY"),
        1,
        "a create is never retried by the connector"
    );
    let how = carrier.reconciliation();
    assert!(how.lookup_conclusive && !how.resend_is_safe);
    match carrier
        .find_by_reference(&req.merchant_key, &AccountId::platform())
        .await
        .unwrap()
    {
        ReferenceLookup::Found(c) => {
            assert_eq!(c.carrier_tracking_number.as_deref(), Some("9124356789047"));
            assert_eq!(c.merchant_key, req.merchant_key);
        }
        other => panic!("expected Found, got {other:?}"),
    }
    assert_eq!(sim.shipments_with_key("KJ2400000801"), 1);
    assert_eq!(sim.shipment_count(), 1);
    assert_eq!(sim.calls("SETDELIVERY"), 1);
}

#[tokio::test]
async fn lookup_of_an_unknown_reference_is_a_conclusive_not_found() {
    let (_clock, _sim, carrier) = start();
    let r = carrier
        .find_by_reference(&MerchantKey("KJ2400009999".into()), &AccountId::platform())
        .await
        .unwrap();
    assert_eq!(r, ReferenceLookup::NotFound);
    let e = carrier.track(&unknown("KJ2400009999")).await.unwrap_err();
    assert_eq!(e.code(), Code::NotFoundShipment);
}

#[tokio::test]
async fn carrier_error_codes_are_rejections_sent_once() {
    let (_clock, sim, carrier) = start();
    sim.create_shipment().reject("205");
    let e = carrier.create(&request("KJ2400000802")).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("205"))
    );
    assert_eq!(e.send_state(), Some(SendState::Sent));
    assert!(!e.is_retryable() && !e.is_maybe_sent());
    assert!(e.to_string().contains("Receiver City Id is Not Correct."));
    assert_eq!(sim.calls("SETDELIVERY"), 1);
    assert_eq!(sim.shipment_count(), 0);
    // A business 500 on an idempotent call is final too: one request, no retry.
    let c = carrier.create(&request("KJ2400000803")).await.unwrap();
    sim.track().reject("701");
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("701"));
    assert_eq!(sim.calls("TRACKDELIVERY"), 1);
    sim.cancel().reject("703");
    let e = carrier.cancel(&reference(&c)).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("703"));
    assert_eq!(sim.status_of("KJ2400000803"), Some(ShipmentStatus::Created));
}

#[tokio::test]
async fn server_errors_are_retried_on_idempotent_calls_only() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000804")).await.unwrap();
    sim.track().error500().times(2);
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Created));
    assert_eq!(sim.calls("TRACKDELIVERY"), 3);
    sim.create_shipment().error500();
    let e = carrier.create(&request("KJ2400000805")).await.unwrap_err();
    assert_eq!(e.code(), Code::TransportHttpStatus);
    assert_eq!(
        sim.calls("SETDELIVERY"),
        2,
        "one each, the bare 500 not retried"
    );
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_honoured_on_track() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000806")).await.unwrap();
    sim.track().retry_after(1);
    let started = std::time::Instant::now();
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(u.carrier_tracking_number.as_deref(), Some("9124356789047"));
    assert_eq!(sim.calls("TRACKDELIVERY"), 2);
    // On a create, a 429 is returned at once as rate.limited.
    sim.create_shipment().retry_after(1);
    let e = carrier.create(&request("KJ2400000807")).await.unwrap_err();
    assert_eq!(e.code(), Code::RateLimited);
}

#[tokio::test]
async fn malformed_json_is_kept_raw() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000808")).await.unwrap();
    sim.track().malformed().after_processing();
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    let raw = e.raw().unwrap();
    assert!(raw.starts_with("{\"RequestId\":"), "{raw}");
    sim.create_shipment().malformed().after_processing();
    let e = carrier.create(&request("KJ2400000809")).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert!(e.is_maybe_sent());
    assert!(e.raw().unwrap().starts_with("{\"RequestId\":"));
    assert_eq!(
        sim.shipments_with_key("KJ2400000809"),
        1,
        "processed before the answer broke"
    );
}

#[tokio::test]
async fn empty_truncated_and_odd_answers_never_panic() {
    let (_clock, sim, carrier) = start();
    sim.set_track_cache(Duration::ZERO);
    let c = carrier.create(&request("KJ2400000810")).await.unwrap();
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
        .status_body(200, "{\"result\":\"yok\",\"StatusCode\":200}");
    assert_eq!(
        carrier.track(&r).await.unwrap_err().code(),
        Code::ProtocolMalformed
    );
    sim.track()
        .status_body(200, "{\"result\":null,\"StatusCode\":200}");
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
async fn token_expiry_mid_run_logs_in_again_once() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000811")).await.unwrap();
    assert_eq!(sim.calls("LoginAES"), 1);
    clock.advance(Duration::from_secs(3600));
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("LoginAES"), 1, "the token is reused");
    clock.advance(Duration::from_secs(20 * 3600));
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("LoginAES"), 2);
    assert_eq!(carrier.token_fetches(), 2);
    let tokens: Vec<String> = sim
        .requests_for("TRACKDELIVERY")
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_ne!(tokens[0], tokens[1]);
    // Refreshed early: 19 h 40 min into the new token, a call logs in before it expires.
    clock.advance(Duration::from_secs(19 * 3600 + 40 * 60));
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("LoginAES"), 3);
    assert_eq!(sim.calls("TRACKDELIVERY"), 3, "no 401 seen");
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_call_retried_once() {
    let (_clock, sim, carrier) = start();
    sim.set_track_cache(Duration::ZERO);
    let c = carrier.create(&request("KJ2400000812")).await.unwrap();
    sim.revoke_tokens();
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("LoginAES"), 2);
    assert_eq!(sim.calls("TRACKDELIVERY"), 2, "one 401, one retry");
    // A token refused twice is an auth error, not a loop.
    sim.track().status(401).times(2);
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert_eq!(sim.calls("LoginAES"), 3);
    assert_eq!(sim.calls("TRACKDELIVERY"), 4);
}

#[tokio::test]
async fn bad_credentials_are_tried_once_and_never_hammered_into_a_block() {
    let clock = clock();
    let sim = SendeoSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.password = "wrong".into();
    let carrier = Sendeo::with_clock(cfg.clone(), Arc::new(clock.clone())).unwrap();
    for key in [
        "KJ2400000813",
        "KJ2400000814",
        "KJ2400000815",
        "KJ2400000816",
        "KJ2400000817",
        "KJ2400000818",
    ] {
        let e = carrier.create(&request(key)).await.unwrap_err();
        assert_eq!(e.code(), Code::AuthFailed);
        assert!(!e.is_retryable());
    }
    assert_eq!(
        sim.calls("LoginAES"),
        1,
        "one login for six calls: the refusal is held"
    );
    assert_eq!(sim.bad_logins("TEST"), 1);
    assert!(!sim.is_blocked("TEST"));
    assert_eq!(sim.calls("SETDELIVERY") + sim.calls("GetCityDistricts"), 0);
    // After the hold (15 minutes), one new login.
    clock.advance(Duration::from_secs(16 * 60));
    assert!(carrier.create(&request("KJ2400000819")).await.is_err());
    assert_eq!(sim.calls("LoginAES"), 2);
    // Without the hold every call would log in, and Sendeo blocks the user.
    cfg.login_failure_hold = Duration::ZERO;
    let eager = Sendeo::with_clock(cfg, Arc::new(clock.clone())).unwrap();
    for key in ["KJ2400000820", "KJ2400000821", "KJ2400000822"] {
        let _ = eager.create(&request(key)).await;
    }
    assert!(sim.is_blocked("TEST"));
    let good = Sendeo::with_clock(sim.connector_config(), Arc::new(clock)).unwrap();
    let e = good.create(&request("KJ2400000823")).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert!(e.to_string().contains("bloke"), "{e}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stampede_of_100_calls_refused_with_401_makes_one_token_request() {
    // The token is fresh by our clock but the service no longer accepts it (revoked, or the
    // clocks disagree). The first answers are held back, so all 100 calls are in flight with
    // the refused token at once: each gets a 401, and one refresh serves all of them.
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000828")).await.unwrap();
    assert_eq!(sim.calls("LoginAES"), 1);
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
        sim.calls("LoginAES"),
        2,
        "exactly one refresh for 100 refused calls"
    );
    assert_eq!(carrier.token_fetches(), 2);
    let refused = sim.requests_for("TRACKDELIVERY")[0]
        .header("authorization")
        .map(String::from);
    let with_refused = sim
        .requests_for("TRACKDELIVERY")
        .iter()
        .filter(|q| q.header("authorization").map(String::from) == refused)
        .count();
    assert_eq!(
        with_refused, 100,
        "every call was sent with the refused token"
    );
    assert_eq!(
        sim.calls("TRACKDELIVERY"),
        200,
        "each call refused once and retried once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stampede_of_100_calls_with_an_expired_token_makes_one_login() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000824")).await.unwrap();
    assert_eq!(sim.calls("LoginAES"), 1);
    clock.advance(Duration::from_secs(21 * 3600));
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
        sim.calls("LoginAES"),
        2,
        "exactly one login for 100 waiting calls"
    );
    assert_eq!(sim.tokens_issued(), 2);
    assert_eq!(sim.calls("TRACKDELIVERY"), 100);
}

#[tokio::test]
async fn failures_before_sending_are_not_sent() {
    // Connection refused.
    let mut cfg = example_config(&kargojet_carrier_common::sim::dead_endpoint().unwrap());
    cfg.http = kargojet_carrier_common::http::HttpConfig::fast();
    let carrier = Sendeo::with_clock(cfg, Arc::new(clock())).unwrap();
    let e = carrier.create(&request("KJ2400000825")).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::NotSent), "{e:?}");
    // The login times out: the create itself never left.
    let (_clock, sim, carrier) = start();
    sim.login().timeout().times(3);
    let e = carrier.create(&request("KJ2400000826")).await.unwrap_err();
    assert_eq!(
        (e.code(), e.send_state()),
        (Code::TransportTimeout, Some(SendState::NotSent)),
        "{e:?}"
    );
    assert_eq!(sim.calls("SETDELIVERY"), 0);
    // The district lookup fails: not sent either; the next create looks up again.
    sim.city_districts().error500().times(3);
    let e = carrier.create(&request("KJ2400000827")).await.unwrap_err();
    assert_eq!(
        (e.code(), e.send_state()),
        (Code::TransportHttpStatus, Some(SendState::NotSent))
    );
    assert!(!e.is_maybe_sent());
    assert_eq!(sim.calls("SETDELIVERY"), 0);
    carrier.create(&request("KJ2400000827")).await.unwrap();
    assert_eq!(sim.shipment_count(), 1);
}
