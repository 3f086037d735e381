//! Faults over a real socket: a create that times out after the carrier processed it is
//! `MaybeSent` and is reconciled (lookup, then resend with the same cargoKey) without a second
//! shipment; 5xx on track is retried; malformed, truncated and empty answers are protocol
//! errors keeping the raw body; carrier errors inside HTTP 200 keep the carrier's code.
#![cfg(feature = "sim")]

mod support;

use chrono::{DateTime, Utc};
use kargojet_core::carrier::{AccountId, Carrier, ReferenceLookup, ShipmentRef};
use kargojet_core::error::{Code, Error, SendState};
use kargojet_core::shipment::MerchantKey;
use kargojet_core::time::ManualClock;
use kargojet_yurtici::sim::YurticiSim;
use kargojet_yurtici::wire::Operation;
use kargojet_yurtici::{Yurtici, config::YurticiConfig};
use support::*;

fn start() -> (YurticiSim, Yurtici) {
    let t0 = DateTime::parse_from_rfc3339("2024-03-11T09:00:00+03:00")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    let sim = YurticiSim::start(ManualClock::new(t0)).expect("sim starts");
    let y = Yurtici::new(sim.connector_config()).expect("connector");
    (sim, y)
}

fn sref(key: &str) -> ShipmentRef {
    ShipmentRef {
        merchant_key: MerchantKey(key.into()),
        carrier_tracking_number: None,
        carrier_refs: Default::default(),
        account: AccountId::platform(),
    }
}

#[tokio::test]
async fn a_create_timing_out_after_processing_is_maybe_sent_and_reconciled_once() {
    let (sim, y) = start();
    sim.create_shipment().timeout().after_processing();
    let mut req = create_request(example_shipment(None), "KJ2400000091");
    let e = y.create(&req).await.expect_err("timed out");
    assert!(
        matches!(
            e,
            Error::Timeout {
                send_state: SendState::MaybeSent,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.is_maybe_sent());
    assert_eq!(
        sim.shipment_count("KJ2400000091"),
        1,
        "the carrier did create it"
    );

    // Lookup by cargoKey finds it, with both references.
    match y
        .find_by_reference(&req.merchant_key, &req.account)
        .await
        .expect("lookup")
    {
        ReferenceLookup::Found(c) => {
            assert_eq!(c.merchant_key.as_str(), "KJ2400000091");
            assert!(c.carrier_refs.contains_key("jobId"));
        }
        other => panic!("expected Found, got {other:?}"),
    }
    // Resending with the same key is safe: 60020 counts as success, and no second shipment.
    req.attempt = 1;
    let again = y.create(&req).await.expect("resend reconciles");
    assert_eq!(again.merchant_key.as_str(), "KJ2400000091");
    assert_eq!(sim.shipment_count("KJ2400000091"), 1);
    assert_eq!(sim.shipments().len(), 1);
    assert_eq!(
        sim.calls(Operation::CreateShipment),
        2,
        "creates are never retried by the connector"
    );

    // On a first send (attempt 0) the duplicate is reported, not hidden.
    req.attempt = 0;
    let dup = y.create(&req).await.expect_err("duplicate");
    assert_eq!(dup.code(), Code::CarrierDuplicate);
    assert_eq!(dup.carrier_code(), Some("60020"));
}

#[tokio::test]
async fn a_lookup_of_an_unknown_key_is_inconclusive() {
    let (_sim, y) = start();
    let r = y
        .find_by_reference(&MerchantKey("KJ0000000000".into()), &AccountId::platform())
        .await
        .expect("lookup");
    assert_eq!(r, ReferenceLookup::Inconclusive);
}

#[tokio::test]
async fn a_dropped_create_is_maybe_sent_and_a_dead_endpoint_not_sent() {
    let (sim, y) = start();
    sim.create_shipment().drop_connection();
    let e = y
        .create(&create_request(example_shipment(None), "KJ2400000092"))
        .await
        .expect_err("dropped");
    assert!(e.is_maybe_sent(), "{e:?}");
    assert_eq!(sim.shipment_count("KJ2400000092"), 0);

    let mut cfg: YurticiConfig = sim.connector_config();
    cfg.endpoint = kargojet_carrier_common::sim::dead_endpoint().expect("dead endpoint");
    let dead = Yurtici::new(cfg).expect("connector");
    let e = dead
        .create(&create_request(example_shipment(None), "KJ2400000093"))
        .await
        .expect_err("refused");
    assert_eq!(e.send_state(), Some(SendState::NotSent));
}

#[tokio::test]
async fn a_5xx_on_track_is_retried_and_succeeds() {
    let (sim, y) = start();
    let c = y
        .create(&create_request(example_shipment(None), "KJ2400000094"))
        .await
        .expect("created");
    sim.track().error500();
    let r = ShipmentRef {
        carrier_refs: c.carrier_refs,
        ..sref("KJ2400000094")
    };
    let u = y.track(&r).await.expect("retried");
    assert_eq!(
        u.status,
        Some(kargojet_core::tracking::ShipmentStatus::Created)
    );
    assert_eq!(sim.calls(Operation::QueryShipment), 2);
    assert_eq!(
        sim.blocked_queries(),
        0,
        "the failed attempt was not processed, so no block"
    );
}

#[tokio::test]
async fn a_track_timeout_after_processing_retries_past_the_block() {
    let (sim, y) = start();
    let c = y
        .create(&create_request(example_shipment(None), "KJ2400000095"))
        .await
        .expect("created");
    sim.track().timeout().after_processing();
    let r = ShipmentRef {
        carrier_refs: c.carrier_refs,
        ..sref("KJ2400000095")
    };
    let u = y
        .track(&r)
        .await
        .expect("answered after waiting out the block");
    assert!(u.status.is_some());
    assert_eq!(
        sim.blocked_queries(),
        1,
        "the immediate retry met the block; the connector then waited"
    );
}

#[tokio::test]
async fn malformed_truncated_and_empty_answers_are_protocol_errors_with_the_raw_body() {
    let (sim, y) = start();
    let c = y
        .create(&create_request(example_shipment(None), "KJ2400000096"))
        .await
        .expect("created");
    let r = ShipmentRef {
        carrier_refs: c.carrier_refs.clone(),
        ..sref("KJ2400000096")
    };
    sim.track().malformed().after_processing();
    let e = y.track(&r).await.expect_err("malformed");
    assert_eq!(e.code(), Code::ProtocolMalformed);
    match &e {
        Error::Protocol { raw, .. } => assert!(
            raw.contains("queryShipmentResponse"),
            "raw body kept: {raw}"
        ),
        other => panic!("{other:?}"),
    }
    sim.clock().advance(std::time::Duration::from_secs(61));
    sim.cancel_shipment().status_body(200, "");
    assert_eq!(
        y.cancel(&r).await.expect_err("empty").code(),
        Code::ProtocolMalformed
    );
    sim.cancel_shipment()
        .status_body(200, "<html><body>Bakım çalışması</body></html>");
    let e = y.cancel(&r).await.expect_err("html");
    match e {
        Error::Protocol { raw, .. } => assert!(raw.contains("Bakım")),
        other => panic!("{other:?}"),
    }
    sim.cancel_shipment().truncate_body().after_processing();
    assert!(
        y.cancel(&r).await.is_err(),
        "a truncated answer is an error, never a panic"
    );
}

#[tokio::test]
async fn a_carrier_error_inside_http_200_keeps_its_code() {
    let (sim, y) = start();
    sim.create_shipment().reject("82516");
    let e = y
        .create(&create_request(example_shipment(None), "KJ2400000097"))
        .await
        .expect_err("rejected");
    assert_eq!(e.code(), Code::CarrierRejected);
    assert_eq!(e.carrier_code(), Some("82516"));
    assert_eq!(e.send_state(), Some(SendState::Sent));
    assert_eq!(sim.shipment_count("KJ2400000097"), 0);
    let reqs = sim.requests_for(Operation::CreateShipment);
    assert_eq!(reqs.len(), 1);

    sim.create_shipment().reject("60020");
    let dup = y
        .create(&create_request(example_shipment(None), "KJ2400000098"))
        .await
        .expect_err("dup");
    assert_eq!(dup.code(), Code::CarrierDuplicate);
}
