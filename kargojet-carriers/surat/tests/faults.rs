//! Faults against the simulator: a create that times out after processing is `MaybeSent` and
//! reconciled by a resend with the same key (one shipment), 5xx and dropped connections on
//! tracking are retried, malformed/empty/truncated answers are protocol errors keeping the body,
//! and Sürat's in-band errors are `carrier.rejected` with Sürat's code.
#![cfg(feature = "sim")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{TimeZone, Utc};
use kargojet_carrier_common::sim::{GARBAGE_BODY, dead_endpoint};
use kargojet_core::carrier::{Carrier, ReferenceLookup};
use kargojet_core::error::SendState;
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_surat::Surat;
use kargojet_surat::sim::SuratSim;
use kargojet_surat::wire::Operation;
use std::time::Duration;
use support::domain::{reference, request};

fn sim() -> SuratSim {
    SuratSim::start(ManualClock::new(
        Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap(),
    ))
    .expect("sim")
}

fn short(sim: &SuratSim) -> Surat {
    let mut cfg = sim.config();
    cfg.create_timeout = Duration::from_millis(300);
    cfg.query_timeout = Duration::from_millis(300);
    Surat::new(cfg).expect("connector")
}

#[tokio::test]
async fn create_timeout_after_processing_is_maybe_sent_and_reconciled_by_resend() {
    let sim = sim();
    let c = short(&sim);
    sim.create_shipment().timeout().after_processing();
    let mut req = request("KJ-TMO-1");
    let e = c.create(&req).await.expect_err("timeout");
    assert_eq!(e.code().as_str(), "transport.timeout");
    assert_eq!(e.send_state(), Some(SendState::MaybeSent));
    assert!(e.is_maybe_sent());
    assert_eq!(
        sim.shipment_count("KJ-TMO-1"),
        1,
        "the simulator did create it"
    );

    // The lookup is not conclusive before branch acceptance …
    assert_eq!(
        c.find_by_reference(&req.merchant_key, &req.account)
            .await
            .expect("lookup"),
        ReferenceLookup::Inconclusive
    );
    // … so the connector's reconciliation is a resend with the same key: 009 counts as success.
    assert!(c.reconciliation().resend_is_safe);
    req.attempt = 1;
    let created = c.create(&req).await.expect("resend is success");
    assert_eq!(created.merchant_key.as_str(), "KJ-TMO-1");
    assert!(created.raw.contains("009"));
    assert_eq!(sim.shipment_count("KJ-TMO-1"), 1);
    assert_eq!(sim.shipments().len(), 1);
    assert_eq!(sim.requests_for(Operation::Create.name()).len(), 2);

    // Once accepted, the lookup finds it with Sürat's number.
    sim.clock().advance(Duration::from_secs(3 * 3600));
    let ReferenceLookup::Found(f) = c
        .find_by_reference(&req.merchant_key, &req.account)
        .await
        .expect("lookup")
    else {
        panic!("not found")
    };
    assert_eq!(
        f.carrier_tracking_number,
        sim.shipment("KJ-TMO-1").map(|s| s.kargo_takip_no)
    );
}

#[tokio::test]
async fn a_first_send_that_meets_an_existing_key_is_a_duplicate_error() {
    let sim = sim();
    let c = sim.connector().expect("connector");
    c.create(&request("KJ-DUP-1")).await.expect("create");
    let e = c.create(&request("KJ-DUP-1")).await.expect_err("duplicate");
    assert_eq!(e.code().as_str(), "carrier.duplicate");
    assert_eq!(e.carrier_code(), Some("009"));
    assert_eq!(sim.shipments().len(), 1);
}

#[tokio::test]
async fn create_is_never_retried() {
    let sim = sim();
    let c = sim.connector().expect("connector");
    sim.create_shipment().error500();
    let e = c.create(&request("KJ-500-1")).await.expect_err("500");
    assert_eq!(e.code().as_str(), "transport.http_status");
    assert_eq!(sim.requests_for(Operation::Create.name()).len(), 1);
}

#[tokio::test]
async fn five_hundred_and_dropped_connections_on_track_are_retried() {
    let sim = sim();
    let c = sim.connector().expect("connector");
    let r = reference(&c.create(&request("KJ-5XX-1")).await.expect("create"));
    sim.clock().advance(Duration::from_secs(5 * 3600));
    sim.track().error500();
    let u = c.track(&r).await.expect("retried");
    assert_eq!(u.status, Some(ShipmentStatus::InTransit));
    assert_eq!(sim.requests_for("KargoTakipHareketDetayi").len(), 2);
    sim.track().drop_connection();
    assert!(c.track(&r).await.is_ok());
    assert_eq!(sim.requests_for("KargoTakipHareketDetayi").len(), 4);
}

#[tokio::test]
async fn malformed_answers_are_protocol_errors_with_the_raw_body() {
    let sim = sim();
    let c = sim.connector().expect("connector");
    let r = reference(&c.create(&request("KJ-MAL-1")).await.expect("create"));
    sim.track().malformed();
    let e = c.track(&r).await.expect_err("malformed");
    assert_eq!(e.code().as_str(), "protocol.malformed");
    assert_eq!(e.raw(), Some(GARBAGE_BODY));

    sim.create_shipment().malformed();
    let e = c.create(&request("KJ-MAL-2")).await.expect_err("malformed");
    assert_eq!(e.code().as_str(), "protocol.malformed");
    assert!(e.is_maybe_sent());
    assert_eq!(e.raw(), Some(GARBAGE_BODY));
}

#[tokio::test]
async fn in_band_errors_carry_surat_codes() {
    let sim = sim();
    let c = sim.connector().expect("connector");
    sim.create_shipment().reject("006");
    let e = c.create(&request("KJ-REJ-1")).await.expect_err("006");
    assert_eq!(e.code().as_str(), "carrier.rejected");
    assert_eq!(e.carrier_code(), Some("006"));
    assert_eq!(sim.shipment_count("KJ-REJ-1"), 0);

    let r = reference(&c.create(&request("KJ-REJ-2")).await.expect("create"));
    sim.track().reject("042");
    let e = c.track(&r).await.expect_err("042");
    assert_eq!(e.carrier_code(), Some("042"));
    sim.cancel().reject("HATA");
    let e = c.cancel(&r).await.expect_err("HATA");
    assert_eq!(e.carrier_code(), Some("HATA"));
    sim.label().reject("001");
    let e = c
        .label(&r, kargojet_core::shipment::LabelFormat::Pdf)
        .await
        .expect_err("001");
    assert_eq!(e.code().as_str(), "carrier.rejected");
}

#[tokio::test]
async fn empty_and_truncated_answers_never_panic() {
    let sim = sim();
    let c = sim.connector().expect("connector");
    let r = reference(&c.create(&request("KJ-EMP-1")).await.expect("create"));
    sim.track().status_body(200, "").times(3);
    let e = c.track(&r).await.expect_err("empty");
    assert_eq!(e.code().as_str(), "protocol.malformed");
    sim.track().truncate_body().times(3);
    assert!(c.track(&r).await.is_err());
    sim.create_shipment().status_body(200, "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><GonderiyiKargoyaGonderYeniResponse");
    let e = c.create(&request("KJ-EMP-2")).await.expect_err("truncated");
    assert_eq!(e.code().as_str(), "protocol.malformed");
    sim.create_shipment()
        .status_body(403, "<html>Attention Required! | Cloudflare</html>");
    let e = c.create(&request("KJ-EMP-3")).await.expect_err("403");
    assert_eq!(e.code().as_str(), "auth.failed");
}

#[tokio::test]
async fn wrong_encoding_is_a_protocol_error_keeping_a_copy() {
    let e = kargojet_surat::map::text_of(&[0x3c, 0x61, 0xfe, 0xff, 0x3e]).expect_err("not UTF-8");
    assert_eq!(e.code().as_str(), "protocol.malformed");
    assert!(e.raw().unwrap_or("").starts_with("<a"));
    let utf16: Vec<u8> = "\u{feff}<a/>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert!(kargojet_surat::map::text_of(&utf16).is_err());
}

#[tokio::test]
async fn refused_connections_are_not_sent() {
    let mut cfg =
        kargojet_surat::SuratConfig::test().with_base_url(&dead_endpoint().expect("port"));
    cfg.http = kargojet_carrier_common::http::HttpConfig::fast();
    let c = Surat::new(cfg).expect("connector");
    let e = c.create(&request("KJ-DEAD-1")).await.expect_err("refused");
    assert_eq!(e.send_state(), Some(SendState::NotSent));
}
