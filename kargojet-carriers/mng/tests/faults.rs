//! Faults over a real socket: the create interrupted between `createOrder` and `createbarcode`
//! reconciled by `referenceId` and never duplicated, maybe-sent creates, retried 5xx and 429 on
//! idempotent calls, business errors in 5xx never retried, carrier codes mapped, malformed
//! answers kept raw, token expiry mid-run, a revoked token refreshed once, the 100-caller
//! stampede.
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_core::carrier::{AccountId, Carrier, ReferenceLookup};
use kargojet_core::error::{Code, SendState};
use kargojet_core::shipment::MerchantKey;
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_mng::sim::MngSim;
use kargojet_mng::{Mng, REF_ADOPTED};
use std::sync::Arc;
use std::time::Duration;
use support::*;

async fn lookup(carrier: &Mng, key: &str) -> ReferenceLookup {
    carrier
        .find_by_reference(&MerchantKey(key.into()), &AccountId::platform())
        .await
        .unwrap()
}

#[tokio::test]
async fn barcode_timeout_after_the_order_is_reconciled_and_never_a_second_order() {
    let (_clock, sim, carrier) = start_with_timeout(600);
    let req = request("KJ2400000301");
    sim.create_barcode().timeout();
    let e = carrier.create(&req).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::MaybeSent), "{e:?}");
    assert_eq!((sim.order_count(), sim.shipment_count()), (1, 0));
    assert_eq!(
        sim.calls("createbarcode"),
        1,
        "a create is never retried by the connector"
    );
    // An order that was never converted is not a shipment: not trackable, lookup inconclusive …
    assert_eq!(
        lookup(&carrier, "KJ2400000301").await,
        ReferenceLookup::Inconclusive
    );
    let how = carrier.reconciliation();
    assert!(how.lookup_conclusive && how.resend_is_safe);
    // … so the resend goes out: createOrder answers 3002, the existing order is converted.
    let mut resend = req.clone();
    resend.attempt = 1;
    let c = carrier.create(&resend).await.unwrap();
    assert_eq!(
        c.carrier_refs.get(REF_ADOPTED).map(String::as_str),
        Some("true")
    );
    assert!(c.label.is_some());
    assert_eq!((sim.order_count(), sim.shipment_count()), (1, 1));
    assert_eq!(sim.orders_with_key("KJ2400000301"), 1);
    assert_eq!(sim.calls("createOrder"), 2, "the second one answered 3002");
    match lookup(&carrier, "KJ2400000301").await {
        ReferenceLookup::Found(f) => {
            assert_eq!(f.carrier_tracking_number, c.carrier_tracking_number)
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn barcode_timeout_after_processing_is_found_by_reference() {
    let (_clock, sim, carrier) = start_with_timeout(600);
    let req = request("KJ2400000302");
    sim.create_barcode().timeout().after_processing();
    let e = carrier.create(&req).await.unwrap_err();
    assert!(e.is_maybe_sent(), "{e:?}");
    assert_eq!(
        sim.shipment_count(),
        1,
        "converted before the answer was lost"
    );
    let id = sim
        .order("KJ2400000302")
        .unwrap()
        .shipment
        .unwrap()
        .shipment_id;
    match lookup(&carrier, "KJ2400000302").await {
        ReferenceLookup::Found(f) => {
            assert_eq!(f.carrier_tracking_number.as_deref(), Some(id.as_str()));
            assert_eq!(f.carrier_refs.get("shipmentId"), Some(&id));
            assert!(f.carrier_refs.contains_key("trackingUrl"));
        }
        other => panic!("{other:?}"),
    }
    // A resend anyway: the converted order's barcodes come back, still one shipment.
    let mut resend = req.clone();
    resend.attempt = 1;
    let c = carrier.create(&resend).await.unwrap();
    assert_eq!(c.carrier_tracking_number.as_deref(), Some(id.as_str()));
    assert_eq!((sim.order_count(), sim.shipment_count()), (1, 1));
}

#[tokio::test]
async fn barcode_5xx_without_envelope_is_maybe_sent_and_not_retried() {
    let (_clock, sim, carrier) = start();
    sim.create_barcode().error500();
    let e = carrier.create(&request("KJ2400000303")).await.unwrap_err();
    assert_eq!(e.code(), Code::TransportHttpStatus);
    assert_eq!(e.send_state(), Some(SendState::MaybeSent));
    assert_eq!(sim.calls("createbarcode"), 1);
    let mut resend = request("KJ2400000303");
    resend.attempt = 1;
    carrier.create(&resend).await.unwrap();
    assert_eq!((sim.order_count(), sim.shipment_count()), (1, 1));
}

#[tokio::test]
async fn barcode_refused_drops_the_order_and_is_a_definite_rejection() {
    let (_clock, sim, carrier) = start();
    sim.create_barcode().reject("20001");
    let e = carrier.create(&request("KJ2400000304")).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("20001"))
    );
    assert!(!e.is_maybe_sent());
    assert!(e.to_string().contains("VARIŞ ŞUBESİ BULUNAMADI"), "{e}");
    assert_eq!(sim.shipment_count(), 0);
    assert_eq!(
        sim.status_of("KJ2400000304"),
        Some(ShipmentStatus::Cancelled)
    );
    assert_eq!(sim.calls("cancelorder"), 1);
    // Retrying the same key later: the cancelled order cannot be converted, MNG says so.
    let e = carrier.create(&request("KJ2400000304")).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("ORDER_CANCELLED"));
    assert_eq!(sim.shipment_count(), 0);
}

#[tokio::test]
async fn order_timeouts_are_maybe_sent_and_reconciled_by_reference() {
    let (_clock, sim, carrier) = start_with_timeout(600);
    // Processed, answer lost.
    sim.create_order().timeout().after_processing();
    let e = carrier.create(&request("KJ2400000305")).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::MaybeSent));
    assert_eq!((sim.order_count(), sim.calls("createbarcode")), (1, 0));
    assert_eq!(
        lookup(&carrier, "KJ2400000305").await,
        ReferenceLookup::Inconclusive
    );
    let mut resend = request("KJ2400000305");
    resend.attempt = 1;
    carrier.create(&resend).await.unwrap();
    assert_eq!(
        (sim.orders_with_key("KJ2400000305"), sim.shipment_count()),
        (1, 1)
    );
    // Never arrived: the resend creates it normally.
    sim.create_order().timeout();
    let e = carrier.create(&request("KJ2400000306")).await.unwrap_err();
    assert!(e.is_maybe_sent());
    assert_eq!(sim.orders_with_key("KJ2400000306"), 0);
    let mut resend = request("KJ2400000306");
    resend.attempt = 1;
    let c = carrier.create(&resend).await.unwrap();
    assert!(!c.carrier_refs.contains_key(REF_ADOPTED));
    assert_eq!(sim.shipment_count(), 2);
}

#[tokio::test]
async fn carrier_codes_are_mapped_and_business_5xx_not_retried() {
    let (_clock, sim, carrier) = start();
    sim.create_order().reject("1001");
    let e = carrier.create(&request("KJ2400000307")).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("1001"))
    );
    assert_eq!(e.send_state(), Some(SendState::Sent));
    assert_eq!(sim.order_count(), 0);
    let c = carrier.create(&request("KJ2400000308")).await.unwrap();
    // A business error in HTTP 500 on an idempotent call is final: one request.
    sim.track().reject("5005");
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("5005"));
    assert_eq!(sim.calls("getshipmentstatus"), 1);
}

#[tokio::test]
async fn server_errors_and_rate_limits_on_track_are_retried() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000309")).await.unwrap();
    sim.track().error500().times(2);
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Created));
    assert_eq!(sim.calls("getshipmentstatus"), 3);
    sim.track().retry_after(1);
    let started = std::time::Instant::now();
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(u.carrier_tracking_number, c.carrier_tracking_number);
    assert_eq!(sim.calls("getshipmentstatus"), 5);
    // A create is never retried: a 429 comes back as rate.limited.
    sim.create_order().retry_after(1);
    let e = carrier.create(&request("KJ2400000310")).await.unwrap_err();
    assert_eq!(e.code(), Code::RateLimited);
    assert_eq!(sim.orders_with_key("KJ2400000310"), 0);
}

#[tokio::test]
async fn malformed_json_is_kept_raw() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000311")).await.unwrap();
    sim.track().malformed().after_processing();
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    let raw = e.raw().unwrap();
    assert!(
        raw.starts_with("[{\"billOfLandingId\":\"KJ000201\""),
        "{raw}"
    );
    sim.create_barcode().malformed().after_processing();
    let e = carrier.create(&request("KJ2400000312")).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert!(e.is_maybe_sent());
    assert!(
        e.raw()
            .unwrap()
            .starts_with("{\"barcodes\":[{\"pieceNumber\":1"),
        "{:?}",
        e.raw()
    );
    assert_eq!(sim.shipment_count(), 2, "converted before the answer broke");
}

#[tokio::test]
async fn empty_truncated_and_odd_answers_never_panic() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000313")).await.unwrap();
    let r = reference(&c);
    sim.track().status_body(200, "");
    let u = carrier.track(&r).await.unwrap();
    assert_eq!(u.status, None, "an empty answer: not trackable");
    sim.track().status_body(200, "<html>bakımdayız</html>");
    assert_eq!(
        carrier.track(&r).await.unwrap_err().raw(),
        Some("<html>bakımdayız</html>")
    );
    sim.track()
        .status_body(200, "{\"shipmentStatusCode\": [1]}");
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
    sim.cities().status_body(200, "[{\"code\": \"x\"}]");
    let fresh = Mng::new(sim.connector_config()).unwrap();
    let e = fresh.create(&request("KJ2400000314")).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert_eq!(sim.orders_with_key("KJ2400000314"), 0, "no codes, no order");
}

#[tokio::test]
async fn token_expiry_mid_run_refreshes_once() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000315")).await.unwrap();
    assert_eq!(sim.calls("token"), 1);
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("token"), 1, "the token is reused");
    // 57 minutes: within jwtExpireDate but inside the 5-minute early refresh.
    clock.advance(Duration::from_secs(57 * 60));
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("token"), 2, "refreshed before jwtExpireDate");
    clock.advance(Duration::from_secs(61 * 60));
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("token"), 3);
    assert_eq!(carrier.token_fetches(), 3);
    let jwts: Vec<_> = sim
        .requests_for("getshipmentstatus")
        .iter()
        .map(|r| r.header("authorization").unwrap().to_string())
        .collect();
    assert_eq!(jwts.len(), 3);
    assert!(jwts[0] != jwts[1] && jwts[1] != jwts[2]);
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_the_call_retried_once() {
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000316")).await.unwrap();
    sim.revoke_tokens();
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("token"), 2);
    assert_eq!(sim.calls("getshipmentstatus"), 2, "one 401, one retry");
    // A token refused twice is an auth error, not a loop.
    sim.track()
        .status_body(
            401,
            "{\"error\":{\"Code\":\"INVALID_TOKEN\",\"Description\":\"JWT süresi doldu\"}}",
        )
        .times(2);
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert_eq!(sim.calls("token"), 3);
    // The revoked-token case on a create: the order is sent once with the new token.
    sim.revoke_tokens();
    carrier.create(&request("KJ2400000317")).await.unwrap();
    assert_eq!(sim.orders_with_key("KJ2400000317"), 1);
}

#[tokio::test]
async fn bad_credentials_and_bad_application_keys_are_auth_failed() {
    let clock = ManualClock::new(t0());
    let sim = MngSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.password = "wrong".into();
    let carrier = Mng::with_clock(cfg, Arc::new(clock.clone())).unwrap();
    let e = carrier.create(&request("KJ2400000318")).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert_eq!((sim.calls("token"), sim.calls("createOrder")), (1, 0));
    let mut cfg = sim.connector_config();
    cfg.client_secret = "wrong".into();
    let carrier = Mng::with_clock(cfg, Arc::new(clock)).unwrap();
    let e = carrier.create(&request("KJ2400000319")).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed, "{e:?}");
    assert!(e.to_string().contains("Invalid client id or secret"), "{e}");
    assert_eq!(sim.calls("createOrder"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stampede_of_100_calls_refused_with_401_makes_one_token_request() {
    // The token is fresh by our clock but the service no longer accepts it (revoked, or the
    // clocks disagree). The first answers are held back, so all 100 calls are in flight with
    // the refused token at once: each gets a 401, and one refresh serves all of them.
    let (_clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000324")).await.unwrap();
    assert_eq!(sim.calls("token"), 1);
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
        sim.calls("token"),
        2,
        "exactly one refresh for 100 refused calls"
    );
    assert_eq!(carrier.token_fetches(), 2);
    let refused = sim.requests_for("getshipmentstatus")[0]
        .header("authorization")
        .map(String::from);
    let with_refused = sim
        .requests_for("getshipmentstatus")
        .iter()
        .filter(|q| q.header("authorization").map(String::from) == refused)
        .count();
    assert_eq!(
        with_refused, 100,
        "every call was sent with the refused token"
    );
    assert_eq!(
        sim.calls("getshipmentstatus"),
        200,
        "each call refused once and retried once"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stampede_of_100_calls_with_an_expired_token_makes_one_token_request() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000320")).await.unwrap();
    assert_eq!(sim.calls("token"), 1);
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
        sim.calls("token"),
        2,
        "exactly one token request for 100 waiting calls"
    );
    assert_eq!(sim.tokens_issued(), 2);
    assert_eq!(sim.calls("getshipmentstatus"), 100);
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let clock = ManualClock::new(t0());
    let sim = MngSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.base_url = format!(
        "{}/mngapi/api",
        kargojet_carrier_common::sim::dead_endpoint().unwrap()
    );
    let carrier = Mng::with_clock(cfg, Arc::new(clock)).unwrap();
    let e = carrier.create(&request("KJ2400000321")).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::NotSent), "{e:?}");
}

#[tokio::test]
async fn shared_token_caches_serve_one_credential_set() {
    let clock = ManualClock::new(t0());
    let sim = MngSim::start(clock.clone()).unwrap();
    let caches = kargojet_carrier_common::token::TokenCaches::new(
        Arc::new(clock.clone()),
        Duration::from_secs(300),
    );
    let a =
        Mng::with_token_caches(sim.connector_config(), Arc::new(clock.clone()), &caches).unwrap();
    let b =
        Mng::with_token_caches(sim.connector_config(), Arc::new(clock.clone()), &caches).unwrap();
    let c = a.create(&request("KJ2400000322")).await.unwrap();
    b.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("token"), 1, "one cache per credential set");
}

#[tokio::test]
async fn a_jwt_expired_by_our_clock_is_used_for_the_fallback_lifetime() {
    // The connector's clock runs a day ahead of MNG's: every jwtExpireDate looks past.
    let sim_clock = ManualClock::new(t0());
    let sim = MngSim::start(sim_clock).unwrap();
    let ahead = ManualClock::new(t0() + chrono::Duration::days(1));
    let carrier = Mng::with_clock(sim.connector_config(), Arc::new(ahead.clone())).unwrap();
    let c = carrier.create(&request("KJ2400000323")).await.unwrap();
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(sim.calls("token"), 1, "not one login per call");
    ahead.advance(Duration::from_secs(61 * 60));
    carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(
        sim.calls("token"),
        2,
        "the fallback lifetime (60 min) ran out"
    );
}
