//! Faults over a real socket: a maybe-sent create reconciled by `CustomerBarcode` and never
//! re-created, retried 5xx and 429 on idempotent calls, business errors (also inside a 5xx)
//! never retried, decimal result codes mapped, malformed answers kept raw, the static token
//! expiring or revoked mid-run (auth error, not retried), and 100 concurrent calls.
#![allow(clippy::unwrap_used)]

mod support;

use chrono::TimeZone;
use kargojet_core::carrier::{AccountId, Carrier, ReferenceLookup, ShipmentRef};
use kargojet_core::error::{Code, SendState};
use kargojet_core::shipment::MerchantKey;
use kargojet_core::time::{Clock, ManualClock};
use kargojet_kolaygelsin::KolayGelsin;
use kargojet_kolaygelsin::sim::KolayGelsinSim;
use std::sync::Arc;
use std::time::Duration;
use support::*;

const CREATE: &str = "SaveIntegrationShipmentV2";
const TRACK: &str = "GetCorporateShipmentsStatus";

fn start() -> (ManualClock, KolayGelsinSim, Arc<KolayGelsin>) {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 7, 15, 2).unwrap());
    let sim = KolayGelsinSim::start(clock.clone()).unwrap();
    let mut cfg = sim.connector_config();
    cfg.http.timeout = Duration::from_millis(700);
    let carrier = Arc::new(KolayGelsin::new(cfg).unwrap());
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
async fn timeout_after_processing_is_maybe_sent_and_reconciled_by_barcode_never_recreated() {
    let (_clock, sim, carrier) = start();
    let req = request("KJ2400000701");
    sim.create_shipment().timeout().after_processing();
    let e = carrier.create(&req).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::MaybeSent), "{e:?}");
    assert!(e.is_maybe_sent());
    assert_eq!(
        sim.calls(CREATE),
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
            assert_eq!(c.carrier_tracking_number.as_deref(), Some("884213"));
            assert_eq!(
                c.carrier_refs.get("ShipmentItemId").map(String::as_str),
                Some("1553021")
            );
        }
        other => panic!("expected Found, got {other:?}"),
    }
    let asked = sim.requests_for(TRACK);
    let body: serde_json::Value = serde_json::from_slice(&asked[0].body).unwrap();
    assert_eq!(
        body["CustomerBarcodeList"],
        serde_json::json!(["KJ2400000701"])
    );
    assert_eq!(sim.shipments_with_barcode("KJ2400000701"), 1);
    assert_eq!(sim.calls(CREATE), 1);
}

#[tokio::test]
async fn a_barcode_never_registered_is_not_found() {
    let (_clock, _sim, carrier) = start();
    let r = carrier
        .find_by_reference(&MerchantKey("KJ2400009999".into()), &AccountId::platform())
        .await
        .unwrap();
    assert_eq!(r, ReferenceLookup::NotFound);
    assert_eq!(
        carrier
            .track(&unknown("KJ2400009999"))
            .await
            .unwrap_err()
            .code(),
        Code::NotFoundShipment
    );
    assert_eq!(
        carrier
            .cancel(&unknown("KJ2400009999"))
            .await
            .unwrap_err()
            .code(),
        Code::NotFoundShipment
    );
}

#[tokio::test]
async fn server_errors_on_track_are_retried_business_errors_are_not() {
    let (_clock, sim, carrier) = start();
    let c = carrier
        .create(&plain_request("KJ2400000702"))
        .await
        .unwrap();
    sim.track().error500().times(2);
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(
        u.status,
        Some(kargojet_core::tracking::ShipmentStatus::Created)
    );
    assert_eq!(sim.calls(TRACK), 3);
    // A ResultCode inside an HTTP 500 is the carrier's answer: final.
    sim.track()
        .status_body(
            500,
            r#"{"Payload": null, "ResultCode": 500.0, "ResultMessage": "CustomerNotFound"}"#,
        )
        .times(3);
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("500.0"))
    );
    assert_eq!(sim.calls(TRACK), 4, "not retried");
    sim.server().faults().clear();
}

#[tokio::test]
async fn create_5xx_is_not_retried() {
    let (_clock, sim, carrier) = start();
    sim.create_shipment().error500();
    let e = carrier.create(&request("KJ2400000703")).await.unwrap_err();
    assert_eq!(e.code(), Code::TransportHttpStatus);
    assert_eq!(e.send_state(), Some(SendState::Sent));
    assert_eq!(sim.calls(CREATE), 1);
    sim.create_shipment().status_body(
        500,
        r#"{"ResultCode": 500.0, "ResultMessage": "GeoCodeFail"}"#,
    );
    let e = carrier.create(&request("KJ2400000703")).await.unwrap_err();
    assert_eq!(e.code(), Code::CarrierRejected);
    assert_eq!(sim.calls(CREATE), 2);
    assert_eq!(sim.shipment_count(), 0);
}

#[tokio::test]
async fn rate_limit_with_retry_after_is_honoured_on_track() {
    let (_clock, sim, carrier) = start();
    let c = carrier
        .create(&plain_request("KJ2400000704"))
        .await
        .unwrap();
    sim.track().retry_after(1);
    let started = std::time::Instant::now();
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(u.carrier_tracking_number.as_deref(), Some("884213"));
    assert_eq!(sim.calls(TRACK), 2);
    // A create answered 429 is not retried: rate.limited goes back.
    sim.create_shipment().retry_after(1);
    let e = carrier
        .create(&plain_request("KJ2400000705"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::RateLimited);
    assert_eq!(sim.calls(CREATE), 2);
}

#[tokio::test]
async fn carrier_error_codes_are_mapped_with_their_decimal_code() {
    let (_clock, sim, carrier) = start();
    sim.create_shipment().reject("404.1");
    let e = carrier.create(&request("KJ2400000706")).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("404.1"))
    );
    assert!(e.message_tr().contains("Adres müşteriye ait değil"));
    assert!(!e.is_retryable());
    sim.create_shipment().reject("500.0:GeoCodeFail");
    let e = carrier.create(&request("KJ2400000706")).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("500.0"));
    assert!(e.message_en().contains("GeoCodeFail"));
    sim.create_shipment().reject("503.7:QueueFull");
    let e = carrier.create(&request("KJ2400000706")).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("503.7"), "unknown codes kept raw");
    assert_eq!(sim.shipment_count(), 0);
    // The documented tracking refusal of a customer without a webhook definition.
    let c = carrier.create(&request("KJ2400000707")).await.unwrap();
    sim.set_webhook_defined(false);
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("500.0"));
    assert!(e.message_en().contains("CustomerNotFound"));
}

#[tokio::test]
async fn malformed_json_is_kept_raw() {
    let (_clock, sim, carrier) = start();
    let c = carrier
        .create(&plain_request("KJ2400000708"))
        .await
        .unwrap();
    sim.track().malformed().after_processing();
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    let raw = e.raw().unwrap();
    assert!(raw.starts_with('{') && raw.len() > 40, "{raw}");
    sim.create_shipment().malformed().after_processing();
    let e = carrier
        .create(&plain_request("KJ2400000709"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::ProtocolMalformed);
    assert!(e.is_maybe_sent());
    assert!(e.raw().unwrap().starts_with('{'));
    assert_eq!(
        sim.shipments_with_barcode("KJ2400000709"),
        1,
        "processed before the answer broke"
    );
}

#[tokio::test]
async fn empty_truncated_and_odd_answers_never_panic() {
    let (_clock, sim, carrier) = start();
    let c = carrier
        .create(&plain_request("KJ2400000710"))
        .await
        .unwrap();
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
    sim.track().status_body(
        200,
        r#"{"ResultCode": 200, "Payload": {"ShipmentModelList": "yok"}}"#,
    );
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
async fn token_expiry_mid_run_is_an_auth_error_never_retried() {
    let (clock, sim, carrier) = start();
    let c = carrier
        .create(&plain_request("KJ2400000711"))
        .await
        .unwrap();
    sim.expire_token_at(clock.now() + chrono::Duration::hours(1));
    carrier.track(&reference(&c)).await.unwrap();
    let before = sim.calls(TRACK);
    clock.advance(Duration::from_secs(2 * 3600));
    let e = carrier.track(&reference(&c)).await.unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert!(!e.is_retryable());
    assert_eq!(
        sim.calls(TRACK),
        before + 1,
        "one request: a static token is not refreshed"
    );
    let e = carrier
        .create(&plain_request("KJ2400000712"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::AuthFailed);
    assert_eq!(sim.shipment_count(), 1);
    // Kolay Gelsin hands over a new token: a connector configured with it works again.
    sim.rotate_token("eyJ0eXAiOiJKV1QiLCJhbGciOi.new");
    let fresh = KolayGelsin::new(sim.connector_config()).unwrap();
    assert!(fresh.track(&reference(&c)).await.is_ok());
    assert_eq!(
        carrier.track(&reference(&c)).await.unwrap_err().code(),
        Code::AuthFailed,
        "the old token stays refused"
    );
    let sent = sim.requests_for(TRACK);
    assert_eq!(
        sent.last().and_then(|r| r.header("authorization")),
        Some("Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi...")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_with_a_revoked_token_each_fail_once() {
    let (_clock, sim, carrier) = start();
    let c = carrier
        .create(&plain_request("KJ2400000713"))
        .await
        .unwrap();
    let r = reference(&c);
    let run = |n: usize| {
        let calls = (0..n).map(|_| {
            let carrier = carrier.clone();
            let r = r.clone();
            tokio::spawn(async move { carrier.track(&r).await })
        });
        futures::future::join_all(calls)
    };
    for h in run(100).await {
        h.unwrap().unwrap();
    }
    assert_eq!(sim.calls(TRACK), 100);
    sim.revoke_token();
    for h in run(100).await {
        assert_eq!(h.unwrap().unwrap_err().code(), Code::AuthFailed);
    }
    assert_eq!(
        sim.calls(TRACK),
        200,
        "no token endpoint, no refresh storm: exactly one request per call"
    );
}

#[tokio::test]
async fn connection_refused_is_not_sent() {
    let (_clock, sim, _carrier) = start();
    let mut cfg = sim.connector_config();
    cfg.base_url = kargojet_carrier_common::sim::dead_endpoint().unwrap();
    let carrier = KolayGelsin::new(cfg).unwrap();
    let e = carrier.create(&request("KJ2400000714")).await.unwrap_err();
    assert_eq!(e.send_state(), Some(SendState::NotSent), "{e:?}");
}
