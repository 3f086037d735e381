//! The simulator speaks Yurtiçi's protocol: it accepts the notes' example requests unchanged
//! and refuses requests that break the documented rules, over a real socket.
#![cfg(feature = "sim")]

mod support;

use chrono::{DateTime, Utc};
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_core::carrier::{AccountId, Carrier, CarrierId, ShipmentRef};
use kargojet_core::error::Code;
use kargojet_core::shipment::{CodPayment, MerchantKey};
use kargojet_core::time::{Clock, ManualClock};
use kargojet_yurtici::sim::YurticiSim;
use kargojet_yurtici::wire::Operation;
use kargojet_yurtici::{Yurtici, map};
use std::time::Duration;
use support::*;

fn start() -> YurticiSim {
    let t0 = DateTime::parse_from_rfc3339("2024-03-11T09:00:00+03:00")
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or_default();
    YurticiSim::start(ManualClock::new(t0)).expect("sim starts")
}

fn http() -> CarrierHttp {
    let mut c = HttpConfig::fast();
    c.retries = 0;
    CarrierHttp::new(CarrierId::Yurtici, c).expect("client")
}

/// Sends an `.http` fixture as written: its headers and body.
async fn send_http_fixture(sim: &YurticiSim, http_text: &str) -> RawResponse {
    let (head, body) = http_text.split_once("\n\n").expect("head and body");
    let mut req = OutgoingRequest::post("raw", sim.endpoint()).body(body.as_bytes().to_vec());
    for line in head.lines().skip(1) {
        let (n, v) = line.split_once(':').expect("header");
        req = req.header(n.trim(), v.trim());
    }
    http().send(req).await.expect("answer")
}

async fn send_body(sim: &YurticiSim, action: Option<&str>, body: String) -> RawResponse {
    let mut req = OutgoingRequest::post("raw", sim.endpoint())
        .header("Content-Type", "text/xml; charset=utf-8")
        .body(body.into_bytes());
    if let Some(a) = action {
        req = req.header("SOAPAction", a);
    }
    http().send(req).await.expect("answer")
}

#[tokio::test]
async fn the_notes_example_requests_are_accepted_unchanged() {
    let sim = start();
    let resp = send_http_fixture(&sim, &fixture("create_shipment/example.request.http")).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let created =
        map::parse_create(&resp.body, &MerchantKey("KJ2400000017".into())).expect("created");
    assert_eq!(
        created.carrier_refs.get("invoiceKey").map(String::as_str),
        Some("KJINV000017")
    );
    assert_eq!(sim.shipment_count("KJ2400000017"), 1);
    let held = sim.shipment("KJ2400000017").expect("held");
    assert_eq!(
        held.order
            .tt_invoice_amount
            .map(|a| a.to_string())
            .as_deref(),
        Some("249.90")
    );
    assert_eq!(held.order.city_name.as_deref(), Some("İstanbul"));

    let q = send_body(
        &sim,
        Some("\"\""),
        wrap_request(&fixture("query_shipment/example.request.xml")),
    )
    .await;
    assert_eq!(q.status, 200, "{}", q.text());
    let u = map::parse_track(&q.body, "KJ2400000017").expect("tracked");
    assert_eq!(
        u.status,
        Some(kargojet_core::tracking::ShipmentStatus::Created)
    );

    let c = send_body(
        &sim,
        Some("\"\""),
        wrap_request(&fixture("cancel_shipment/example.request.xml")),
    )
    .await;
    assert_eq!(c.status, 200, "{}", c.text());
    map::parse_cancel(&c.body, "KJ2400000017").expect("cancelled before pickup");

    for (rel, op) in [
        (
            "save_return_code/example.request.xml",
            Operation::SaveReturnShipmentCode,
        ),
        (
            "cancel_return_code/example.request.xml",
            Operation::CancelReturnShipmentCode,
        ),
    ] {
        let body = fixture(rel);
        let fragment = body.split_once("-->").map(|(_, b)| b).unwrap_or(&body);
        let r = send_body(&sim, Some("\"\""), wrap_request(fragment)).await;
        map::parse_return_code(op, &r.body).unwrap_or_else(|e| panic!("{rel}: {e}"));
    }
    assert!(!sim.return_code_active("53", "KJ2400000099"));
}

#[tokio::test]
async fn qualified_children_are_refused() {
    let sim = start();
    let http_text = fixture("create_shipment/example.request.http");
    let qualified = http_text
        .replace("<wsUserName>", "<ship:wsUserName>")
        .replace("</wsUserName>", "</ship:wsUserName>");
    let resp = send_http_fixture(&sim, &qualified).await;
    assert_eq!(resp.status, 500);
    let e =
        map::parse_create(&resp.body, &MerchantKey("KJ2400000017".into())).expect_err("refused");
    assert_eq!(e.code(), Code::CarrierRejected);
    assert_eq!(e.carrier_code(), Some("S:Client"));
    assert!(e.to_string().contains("unexpected element"), "{e}");
    // A cargoKey qualified deeper in the order is refused too.
    let deep = http_text.replace(
        "<cargoKey>KJ2400000017</cargoKey>",
        "<ship:cargoKey>KJ2400000017</ship:cargoKey>",
    );
    assert_eq!(send_http_fixture(&sim, &deep).await.status, 500);
    assert_eq!(sim.shipment_count("KJ2400000017"), 0);
}

#[tokio::test]
async fn a_soap_action_other_than_empty_is_refused() {
    let sim = start();
    let http_text = fixture("create_shipment/example.request.http");
    for bad in [
        "SOAPAction: \"createShipment\"",
        "SOAPAction: \"http://yurticikargo.com.tr/ShippingOrderDispatcherServices/createShipment\"",
    ] {
        let resp = send_http_fixture(&sim, &http_text.replace("SOAPAction: \"\"", bad)).await;
        assert_eq!(resp.status, 500, "{bad}");
        assert!(resp.text().contains("dispatch method"), "{}", resp.text());
    }
    let body = http_body(&http_text).to_string();
    assert_eq!(
        send_body(&sim, None, body).await.status,
        500,
        "a missing SOAPAction is refused"
    );
    assert_eq!(sim.shipment_count("KJ2400000017"), 0);
}

#[tokio::test]
async fn wrong_language_element_and_wrong_credentials_are_refused() {
    let sim = start();
    let http_text = fixture("create_shipment/example.request.http");
    let lang = http_text.replace(
        "<userLanguage>TR</userLanguage>",
        "<wsLanguage>TR</wsLanguage>",
    );
    assert_eq!(send_http_fixture(&sim, &lang).await.status, 500);
    let pass = http_text.replace(
        "<wsPassword>YK</wsPassword>",
        "<wsPassword>wrong</wsPassword>",
    );
    let resp = send_http_fixture(&sim, &pass).await;
    let e = map::parse_create(&resp.body, &MerchantKey("KJ2400000017".into())).expect_err("auth");
    assert_eq!(e.code(), Code::AuthFailed);
    // The strict sender-pays user may not send COD fields: the user decides the payment type.
    let go = http_text
        .replace(
            "<wsUserName>YKTEST</wsUserName>",
            "<wsUserName>YKTESTGO</wsUserName>",
        )
        .replace(
            "<wsPassword>YK</wsPassword>",
            "<wsPassword>YKGO</wsPassword>",
        );
    let resp = send_http_fixture(&sim, &go).await;
    let e = map::parse_create(&resp.body, &MerchantKey("KJ2400000017".into()))
        .expect_err("payment type");
    assert_eq!(e.carrier_code(), Some("82512"));
    assert_eq!(sim.shipment_count("KJ2400000017"), 0);
}

#[tokio::test]
async fn an_identical_query_within_a_minute_is_blocked() {
    let sim = start();
    send_http_fixture(&sim, &fixture("create_shipment/example.request.http")).await;
    let query = wrap_request(&fixture("query_shipment/example.request.xml"));
    let first = send_body(&sim, Some("\"\""), query.clone()).await;
    map::parse_track(&first.body, "KJ2400000017").expect("first query answers");
    sim.clock().advance(Duration::from_secs(30));
    let second = send_body(&sim, Some("\"\""), query.clone()).await;
    let e = map::parse_track(&second.body, "KJ2400000017").expect_err("blocked");
    assert_eq!(e.code(), Code::RateLimited);
    assert_eq!(sim.blocked_queries(), 1);
    sim.clock().advance(Duration::from_secs(31));
    let third = send_body(&sim, Some("\"\""), query).await;
    map::parse_track(&third.body, "KJ2400000017").expect("after a minute it answers again");
}

fn shipment_ref(key: &str) -> ShipmentRef {
    ShipmentRef {
        merchant_key: MerchantKey(key.into()),
        carrier_tracking_number: None,
        carrier_refs: Default::default(),
        account: AccountId::platform(),
    }
}

#[tokio::test]
async fn the_connector_waits_for_the_block_on_the_simulated_clock() {
    let sim = start();
    let y = Yurtici::new(sim.connector_config()).expect("connector");
    let created = y
        .create(&create_request(example_shipment(None), "KJ2400000031"))
        .await
        .expect("created");
    let r = ShipmentRef {
        carrier_refs: created.carrier_refs.clone(),
        ..shipment_ref("KJ2400000031")
    };
    let t0 = sim.clock().now();
    y.track(&r).await.expect("first poll");
    y.track(&r)
        .await
        .expect("second poll waits instead of being blocked");
    assert_eq!(sim.blocked_queries(), 0);
    assert!(
        sim.clock().now() - t0 >= chrono::Duration::seconds(60),
        "waited on the simulated clock"
    );
    assert_eq!(sim.calls(Operation::QueryShipment), 2);
}

#[tokio::test]
async fn batched_keys_are_one_query_and_do_not_wait() {
    let sim = start();
    let y = Yurtici::new(sim.connector_config()).expect("connector");
    let mut refs = Vec::new();
    for key in ["KJ2400000041", "KJ2400000042", "KJ2400000043"] {
        let c = y
            .create(&create_request(
                example_shipment(Some(CodPayment::Cash)),
                key,
            ))
            .await
            .expect("created");
        refs.push(ShipmentRef {
            carrier_refs: c.carrier_refs,
            ..shipment_ref(key)
        });
    }
    let t0 = sim.clock().now();
    let all = y.track_many(&refs).await.expect("batch");
    assert_eq!(all.len(), 3);
    assert!(all.iter().all(|(_, r)| r.is_ok()));
    assert_eq!(sim.calls(Operation::QueryShipment), 1);
    // A different key set right after is a different query: no wait, no block.
    y.track(&refs[0]).await.expect("single");
    assert_eq!(sim.clock().now(), t0);
    assert_eq!(sim.blocked_queries(), 0);
}

#[tokio::test]
async fn the_connector_picks_the_user_by_payment_type() {
    let sim = start();
    let y = Yurtici::new(sim.connector_config()).expect("connector");
    for (key, cod, user) in [
        ("KJ2400000051", None, "YKTESTGO"),
        ("KJ2400000052", Some(CodPayment::Cash), "YKTESTNK"),
        ("KJ2400000053", Some(CodPayment::Card), "YKTESTKK"),
    ] {
        y.create(&create_request(example_shipment(cod), key))
            .await
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(
            sim.shipment(key).map(|s| s.user).as_deref(),
            Some(user),
            "{key}"
        );
    }
    let raw = sim.requests_for(Operation::CreateShipment);
    assert!(raw.iter().all(|r| r.header("SOAPAction") == Some("\"\"")));
}
