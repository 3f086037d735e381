//! Lifecycle against the simulator over a real socket, and the simulator's protocol rules (it
//! accepts the notes' example requests and refuses requests breaking the documented rules the
//! way Sendeo does).
#![allow(clippy::unwrap_used)]

mod support;

use chrono::TimeZone;
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_core::carrier::{Carrier, CarrierId, ReturnRequest};
use kargojet_core::error::Code;
use kargojet_core::money::Money;
use kargojet_core::shipment::{LabelFormat, MerchantKey};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::{ShipmentStatus, last_measurement};
use kargojet_sendeo::Sendeo;
use kargojet_sendeo::sim::{self, Scenario, SendeoSim, pdf_label, price_for};
use kargojet_sendeo::wire::number;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use support::*;

fn start() -> (ManualClock, SendeoSim, Sendeo) {
    let clock = ManualClock::new(
        chrono::Utc
            .with_ymd_and_hms(2024, 3, 12, 13, 55, 3)
            .unwrap(),
    );
    let sim = SendeoSim::start(clock.clone()).unwrap();
    let carrier = Sendeo::with_clock(sim.connector_config(), Arc::new(clock.clone())).unwrap();
    (clock, sim, carrier)
}

fn raw_client() -> CarrierHttp {
    CarrierHttp::new(CarrierId::Sendeo, HttpConfig::fast()).unwrap()
}

fn json_of(r: &RawResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn minutes(n: u64) -> Duration {
    Duration::from_secs(n * 60)
}

/// Sends an `.http` fixture's request line and headers (the token replaced) with `body`.
async fn send_http_fixture(
    http: &CarrierHttp,
    base: &str,
    rel: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> RawResponse {
    let text = fixture(rel);
    let mut lines = text.lines();
    let first: Vec<&str> = lines.next().unwrap().split(' ').collect();
    let url = format!("{base}{}", first[1]);
    let mut req = if first[0] == "GET" {
        OutgoingRequest::get("fixture", url)
    } else {
        OutgoingRequest::post("fixture", url)
    };
    for l in lines.filter(|l| !l.trim().is_empty()) {
        let (name, value) = l.split_once(':').unwrap();
        match (name, token) {
            ("Host", _) => {}
            ("Authorization", Some(t)) => req = req.bearer(t),
            _ => req = req.header(name, value.trim()),
        }
    }
    if let Some(b) = body {
        req = req.body(b);
    }
    http.send(req).await.unwrap()
}

async fn login(http: &CarrierHttp, base: &str) -> String {
    let r = send_http_fixture(
        http,
        base,
        "login/example.request.http",
        None,
        Some(fixture_bytes("login/example.request.json")),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    json_of(&r)["result"]["Token"].as_str().unwrap().to_string()
}

fn without_request_id(mut v: Value) -> Value {
    for k in ["RequestId", "requestId"] {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[tokio::test]
async fn the_simulator_answers_the_notes_examples() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let base = sim.base_url();
    let token = login(&http, &base).await;
    assert!(token.starts_with("eyJhbGciOiJIUzI1NiJ9."));

    // The example as written collects 199.9 TL with a zero product price: Sendeo's own table
    // refuses that with 410.
    let example = fixture("create/example.request.json");
    let r = send_http_fixture(
        &http,
        &base,
        "create/example.request.http",
        Some(&token),
        Some(example.clone().into_bytes()),
    )
    .await;
    assert_eq!(r.status, 500);
    assert_eq!(json_of(&r)["StatusCode"], 410);
    assert_eq!(
        json_of(&r)["exceptionMessage"],
        "Product Price Cannot Be Zero."
    );
    assert_eq!(sim.shipment_count(), 0);

    // With the COD amount as the price it is accepted, and answered as in the notes.
    let priced = example.replace("\"Price\": 0.0", "\"Price\": 199.9");
    let r = send_http_fixture(
        &http,
        &base,
        "create/example.request.http",
        Some(&token),
        Some(priced.into_bytes()),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        without_request_id(json_of(&r)),
        without_request_id(fixture_json("create/example.response.json"))
    );

    let r = send_http_fixture(
        &http,
        &base,
        "track/example.request.http",
        Some(&token),
        None,
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    let v = json_of(&r);
    assert_eq!(v["result"]["TrackingNo"], 9124356789047u64);
    assert_eq!(v["result"]["State"], 101);
    assert_eq!(
        v["result"]["StatusHistories"][0]["StatusDate"],
        "2024-03-12T16:55:03"
    );
    assert_eq!(v["result"]["SendDate"], "12/03/2024 16:55:03");
    assert_eq!(v["result"]["DepartureBranchName"], "TUZLA DM");
    assert_eq!(v["result"]["ArrivalBranchName"], "ÇANKAYA DN");
    assert_eq!(v["result"]["TotalPrice"], 48.5);
    assert_eq!(v["result"]["CargoAmount"], 58.2);

    let r = send_http_fixture(
        &http,
        &base,
        "districts/ankara.request.http",
        Some(&token),
        None,
    )
    .await;
    let rows = json_of(&r)["result"].as_array().unwrap().clone();
    assert!(
        rows.iter()
            .any(|d| d["DistrictId"] == 6101 && d["DistrictName"] == "ÇANKAYA")
    );
    let post = |path: &str, rel: &str| {
        OutgoingRequest::post("fixture", format!("{base}{path}"))
            .bearer(&token)
            .header("Content-Type", "application/json")
            .body(fixture_bytes(rel))
    };
    let r = http
        .send(post("/api/Cargo/GETBARCODE", "label/zpl.request.json"))
        .await
        .unwrap();
    assert_eq!(
        without_request_id(json_of(&r)),
        without_request_id(fixture_json("label/zpl.response.json"))
    );
    let r = http
        .send(post(
            "/api/Cargo/CARGOMEASUREMENTUPDATE",
            "measurement/example.request.json",
        ))
        .await
        .unwrap();
    assert_eq!(
        without_request_id(json_of(&r)),
        without_request_id(fixture_json("measurement/example.response.json"))
    );
    let r = http
        .send(
            OutgoingRequest::post("b", format!("{base}/api/Cargo/GETBARCODEBYTRACKINGNUMBER"))
                .bearer(&token)
                .json(&json!({"trackingNumber": 9124356789047u64})),
        )
        .await
        .unwrap();
    assert_eq!(
        json_of(&r)["result"]["barcode"],
        "^XA^FO40,40^BCN,120,Y,N^FD9124356789047001^FS^XZ"
    );
    let r = http
        .send(
            OutgoingRequest::post(
                "c",
                format!("{base}/api/Cargo/CANCELDELIVERY?referenceNo=KJ2400000701"),
            )
            .bearer(&token),
        )
        .await
        .unwrap();
    assert_eq!(
        without_request_id(json_of(&r)),
        without_request_id(fixture_json("cancel/example.response.json"))
    );
    assert_eq!(sim.state_of("KJ2400000701"), Some(139));
}

#[tokio::test]
async fn the_simulator_refuses_requests_breaking_the_rules() {
    let (clock, sim, _c) = start();
    let http = raw_client();
    let base = sim.base_url();
    let token = login(&http, &base).await;
    let example =
        fixture("create/example.request.json").replace("\"Price\": 0.0", "\"Price\": 199.9");
    let create = |body: String, token: Option<&str>, ct: &str| {
        let mut r = OutgoingRequest::post("c", format!("{base}/api/Cargo/SETDELIVERY"))
            .header("Content-Type", ct)
            .body(body.into_bytes());
        if let Some(t) = token {
            r = r.bearer(t);
        }
        r
    };
    // No token, a token Sendeo never issued: 401 with the bearer challenge, empty body.
    let r = http
        .send(create(example.clone(), None, "application/json"))
        .await
        .unwrap();
    assert_eq!(
        (r.status, r.header("www-authenticate")),
        (401, Some("Bearer"))
    );
    assert!(r.body.is_empty());
    let r = http
        .send(create(example.clone(), Some("nope"), "application/json"))
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    // Wrong content type: 415.
    let r = http
        .send(create(example.clone(), Some(&token), "text/plain"))
        .await
        .unwrap();
    assert_eq!(r.status, 415);
    // Misspelt keys, a number as a string, broken JSON: 400 Bad Request.
    for broken in [
        example.replace("\"weigth\"", "\"weight\""),
        example.replace("\"ReceiverGSM\"", "\"ReceiverGsmNo\""),
        example.replace("\"DeliveryType\": 1", "\"DeliveryType\": \"1\""),
        example.replace('}', ""),
    ] {
        let r = http
            .send(create(broken, Some(&token), "application/json"))
            .await
            .unwrap();
        assert_eq!(r.status, 400, "{}", r.text());
        assert_eq!(json_of(&r)["exceptionMessage"], "Bad Request");
    }
    // Keys in another case are fine (ASP.NET binding).
    let camel = example
        .replace("\"DeliveryType\"", "\"deliveryType\"")
        .replace("KJ2400000701", "KJ2400000799");
    let r = http
        .send(create(camel, Some(&token), "application/json"))
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    // Business rules: HTTP 500 with the documented ExceptionMessage and code.
    let cases: Vec<(String, u16)> = vec![
        (
            example.replace(
                "\"ReferenceNo\": \"KJ2400000701\"",
                "\"ReferenceNo\": \" \"",
            ),
            102,
        ),
        (
            example.replace("\"DeliveryType\": 1", "\"DeliveryType\": 9"),
            103,
        ),
        (
            example.replace("\"PaymentType\": 1", "\"PaymentType\": 2"),
            411,
        ),
        (
            example.replace("\"CollectionType\": 1", "\"CollectionType\": 7"),
            105,
        ),
        (example.replace("\"Receiver\": \"Selin Aydın\",", ""), 201),
        (example.replace("\"ReceiverGSM\": \"5445556677\",", ""), 207),
        (
            example.replace("\"ReceiverDistrictId\": 6101", "\"ReceiverDistrictId\": 0"),
            203,
        ),
        (
            example.replace("\"ReceiverCityId\": 6,", "\"ReceiverCityId\": 0,"),
            204,
        ),
        (
            example.replace("\"ReceiverCityId\": 6,", "\"ReceiverCityId\": 99,"),
            205,
        ),
        (
            example.replace(
                "\"ReceiverDistrictId\": 6101",
                "\"ReceiverDistrictId\": 34139",
            ),
            206,
        ),
        (example.replace("\"SenderGSM\": \"5321110000\",", ""), 307),
        (
            example.replace("\"SenderAddress\": \"Tuzla OSB 3. Cad. No:5\",", ""),
            302,
        ),
        (
            example.replace("\"SenderCityId\": 34,", "\"SenderCityId\": 6,"),
            306,
        ),
    ];
    for (body, code) in cases {
        let r = http
            .send(create(body, Some(&token), "application/json"))
            .await
            .unwrap();
        let v = json_of(&r);
        assert_eq!(
            (r.status, v["StatusCode"].as_u64()),
            (500, Some(u64::from(code))),
            "{}",
            r.text()
        );
        assert_eq!(
            v["exceptionMessage"].as_str(),
            kargojet_sendeo::error::message_of(code)
        );
    }
    let no_products = {
        let mut v: Value = serde_json::from_str(&example).unwrap();
        v["Products"] = json!([]);
        v.to_string()
    };
    let r = http
        .send(create(no_products, Some(&token), "application/json"))
        .await
        .unwrap();
    assert_eq!(json_of(&r)["StatusCode"], 104);
    let above = example
        .replace("\"CollectionPrice\": 199.9", "\"CollectionPrice\": 5000.01")
        .replace("\"Price\": 199.9", "\"Price\": 5000.01");
    let r = http
        .send(create(above, Some(&token), "application/json"))
        .await
        .unwrap();
    assert_eq!(
        (r.status, json_of(&r)["exceptionMessage"].clone()),
        (500, json!(sim::COD_ABOVE_CAP))
    );
    // A reused ReferenceNo is refused; nothing else was stored.
    let again = example.replace("KJ2400000701", "KJ2400000799");
    let r = http
        .send(create(again, Some(&token), "application/json"))
        .await
        .unwrap();
    assert_eq!(json_of(&r)["exceptionMessage"], sim::DUPLICATE_REFERENCE);
    assert_eq!(sim.shipment_count(), 1);
    // Cancel and track need a key; tokens expire after 20 hours.
    let r = http
        .send(OutgoingRequest::post("c", format!("{base}/api/Cargo/CANCELDELIVERY")).bearer(&token))
        .await
        .unwrap();
    assert_eq!(json_of(&r)["StatusCode"], 701);
    let r = http
        .send(
            OutgoingRequest::get(
                "t",
                format!("{base}/api/Cargo/TRACKDELIVERY?referenceNo=NOPE"),
            )
            .bearer(&token),
        )
        .await
        .unwrap();
    assert_eq!(
        (r.status, json_of(&r)["StatusCode"].clone()),
        (500, json!(702))
    );
    clock.advance(Duration::from_secs(20 * 3600 + 1));
    let r = http
        .send(
            OutgoingRequest::get(
                "t",
                format!("{base}/api/Cargo/TRACKDELIVERY?referenceNo=KJ2400000799"),
            )
            .bearer(&token),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    assert!(r.header("www-authenticate").unwrap().contains("expired"));
}

#[tokio::test]
async fn repeated_bad_logins_block_the_user() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let base = sim.base_url();
    let bad = || {
        OutgoingRequest::post("l", format!("{base}/api/Token/LoginAES"))
            .json(&json!({"musteri": "TEST", "sifre": "wrong"}))
    };
    for i in 1..=5 {
        let r = http.send(bad()).await.unwrap();
        assert_eq!(r.status, 401);
        let expected = if i < 5 { sim::BAD_LOGIN } else { sim::BLOCKED };
        assert_eq!(json_of(&r)["exceptionMessage"], expected, "attempt {i}");
    }
    assert!(sim.is_blocked("TEST"));
    let r = send_http_fixture(
        &http,
        &base,
        "login/example.request.http",
        None,
        Some(fixture_bytes("login/example.request.json")),
    )
    .await;
    assert_eq!(
        (r.status, json_of(&r)["exceptionMessage"].clone()),
        (401, json!(sim::BLOCKED))
    );
    sim.unblock("TEST");
    login(&http, &base).await;
    let r = http
        .send(
            OutgoingRequest::post("l", format!("{base}/api/Token/LoginAES"))
                .json(&json!({"musteri": "TEST", "password": "x"})),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 400, "misspelt login key");
}

#[tokio::test]
async fn lifecycle_create_label_track_to_delivered() {
    let (clock, sim, carrier) = start();
    let created = carrier.create(&request("KJ2400000701")).await.unwrap();
    assert_eq!(
        created.carrier_tracking_number.as_deref(),
        Some("9124356789047")
    );
    let label = created.label.clone().unwrap();
    assert_eq!(label.format, LabelFormat::Zpl);
    assert_eq!(
        label.bytes,
        b"^XA^FO40,40^BCN,120,Y,N^FD9124356789047001^FS^XZ"
    );
    assert!(created.raw.contains("\"BarcodeZpl\""));
    // The notes' request, as the simulator received it.
    let held = sim.shipment("KJ2400000701").unwrap();
    assert_eq!(held.body.receiver_district_id, Some(6101));
    assert_eq!(held.body.sender_district_id, Some(34139));
    assert_eq!(held.body.products.as_ref().unwrap()[0].weigth, Some(2));
    assert_eq!(held.body.collection_price, Some(number(dec!(199.9))));
    let sent = &sim.requests_for("SETDELIVERY")[0];
    assert!(String::from_utf8_lossy(&sent.body).contains("\"weigth\":2"));
    assert_eq!(sim.calls("GetCityDistricts"), 2, "İstanbul and Ankara");
    // A second shipment on the same route: codes from the cache.
    carrier.create(&request("KJ2400000702")).await.unwrap();
    assert_eq!(sim.calls("GetCityDistricts"), 2);
    assert_eq!(carrier.district_lookups(), 2);
    assert_eq!(sim.calls("LoginAES"), 1);

    let sref = reference(&created);
    let zpl = carrier.label(&sref, LabelFormat::Zpl).await.unwrap();
    assert_eq!(zpl.bytes, label.bytes);
    let pdf = carrier.label(&sref, LabelFormat::Pdf).await.unwrap();
    assert_eq!(pdf.bytes, pdf_label(9124356789047, "SELİN AYDIN"));
    assert_eq!(
        carrier
            .label(&sref, LabelFormat::Png)
            .await
            .unwrap_err()
            .code(),
        Code::UnsupportedLabelFormat
    );
    assert_eq!(
        carrier
            .label(&sref, LabelFormat::Epl)
            .await
            .unwrap_err()
            .code(),
        Code::UnsupportedLabelFormat
    );

    sim.set_measured_desi("KJ2400000701", Decimal::from(4));
    let steps = [
        (1, ShipmentStatus::Created),
        (2, ShipmentStatus::PickedUp),
        (5, ShipmentStatus::InTransit),
        (19, ShipmentStatus::AtBranch),
        (20, ShipmentStatus::OutForDelivery),
        (25, ShipmentStatus::Delivered),
    ];
    let mut at = 0;
    let mut seen = Vec::new();
    for (hour, status) in steps {
        clock.advance(Duration::from_secs((hour - at) * 3600));
        at = hour;
        let u = carrier.track(&sref).await.unwrap();
        assert_eq!(u.status, Some(status), "at +{hour}h");
        assert_eq!(u.carrier_tracking_number.as_deref(), Some("9124356789047"));
        assert_eq!(
            kargojet_core::tracking::current_status(&u.events),
            Some(status)
        );
        for e in &u.events {
            assert_eq!(e.time.offset().local_minus_utc(), 3 * 3600);
        }
        seen = u.events;
    }
    let statuses: Vec<ShipmentStatus> = seen.iter().filter_map(|e| e.status).collect();
    for s in [
        ShipmentStatus::Created,
        ShipmentStatus::PickedUp,
        ShipmentStatus::InTransit,
        ShipmentStatus::AtBranch,
        ShipmentStatus::OutForDelivery,
        ShipmentStatus::Delivered,
    ] {
        assert!(statuses.contains(&s), "{s:?} missing in {statuses:?}");
    }
    // The measurement for the wallet: Sendeo's desi and price on the measuring event.
    let m = last_measurement(&seen).unwrap();
    assert_eq!(m.desi, Some(Decimal::from(4)));
    assert_eq!(m.amount, Some(Money::try_lira(price_for(Decimal::from(4)))));
    assert_eq!(
        seen.iter()
            .find(|e| e.measurement.is_some())
            .unwrap()
            .carrier_code,
        "132"
    );
    // Delivered: cancel is refused (703).
    let e = carrier.cancel(&sref).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("703"))
    );
}

#[tokio::test]
async fn tracking_answers_come_from_a_30_minute_cache() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000711")).await.unwrap();
    let r = reference(&c);
    clock.advance(minutes(110));
    assert_eq!(
        carrier.track(&r).await.unwrap().status,
        Some(ShipmentStatus::Created)
    );
    clock.advance(minutes(15)); // 2 h 05: picked up at Sendeo, the cache still answers 101
    assert_eq!(
        sim.status_of("KJ2400000711"),
        Some(ShipmentStatus::PickedUp)
    );
    assert_eq!(
        carrier.track(&r).await.unwrap().status,
        Some(ShipmentStatus::Created)
    );
    clock.advance(minutes(16));
    assert_eq!(
        carrier.track(&r).await.unwrap().status,
        Some(ShipmentStatus::PickedUp)
    );
    assert_eq!(carrier.capabilities().min_track_interval_secs, 1800);
}

#[tokio::test]
async fn cancel_before_pickup_and_refused_after() {
    let (clock, sim, carrier) = start();
    let a = carrier.create(&request("KJ2400000721")).await.unwrap();
    let b = carrier.create(&request("KJ2400000722")).await.unwrap();
    carrier.cancel(&reference(&a)).await.unwrap();
    assert_eq!(sim.state_of("KJ2400000721"), Some(139));
    let u = carrier.track(&reference(&a)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Cancelled));
    assert_eq!(u.events.last().unwrap().carrier_code, "139");
    clock.advance(Duration::from_secs(3 * 3600));
    assert_eq!(
        sim.status_of("KJ2400000721"),
        Some(ShipmentStatus::Cancelled),
        "a cancelled order stays"
    );
    let e = carrier.cancel(&reference(&b)).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("703"))
    );
    assert_eq!(
        sim.status_of("KJ2400000722"),
        Some(ShipmentStatus::InTransit)
    );
    let e = carrier.cancel(&reference(&a)).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("703"), "already cancelled");
}

#[tokio::test]
async fn returns_use_delivery_type_2() {
    let (clock, sim, carrier) = start();
    let original = carrier.create(&request("KJ2400000731")).await.unwrap();
    let ret = ReturnRequest {
        original: reference(&original),
        shipment: request("KJ2400000731").shipment,
        merchant_key: MerchantKey("KJ2400000732".into()),
    };
    let r = carrier.create_return(&ret).await.unwrap();
    assert_eq!(r.merchant_key.as_str(), "KJ2400000732");
    assert_eq!(r.carrier_tracking_number.as_deref(), Some("9124356789048"));
    let held = sim.shipment("KJ2400000732").unwrap().body;
    assert_eq!(held.delivery_type, Some(2));
    assert_eq!(held.sender.as_deref(), Some("Selin Aydın"));
    assert_eq!(
        (held.sender_city_id, held.sender_district_id),
        (Some(6), Some(6101))
    );
    assert_eq!(
        (held.receiver_city_id, held.receiver_district_id),
        (Some(34), Some(34139))
    );
    assert_eq!(
        (held.collection_type, held.collection_price),
        (Some(0), Some(number(0)))
    );
    assert_eq!(held.description.as_deref(), Some("İade KJ2400000731"));
    clock.advance(Duration::from_secs(25 * 3600));
    let u = carrier.track(&reference(&r)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Delivered));
    assert!(carrier.capabilities().returns);
}

#[tokio::test]
async fn failed_attempt_then_delivered_and_returned() {
    let (clock, sim, carrier) = start();
    let a = carrier.create(&request("KJ2400000741")).await.unwrap();
    let b = carrier.create(&request("KJ2400000742")).await.unwrap();
    assert!(sim.set_scenario("KJ2400000741", Scenario::FailedAttemptThenDelivered));
    assert!(sim.set_scenario("KJ2400000742", Scenario::Returned));
    clock.advance(Duration::from_secs(23 * 3600));
    for s in [&a, &b] {
        let u = carrier.track(&reference(s)).await.unwrap();
        assert_eq!(u.status, Some(ShipmentStatus::DeliveryFailed));
        assert_eq!(u.events.last().unwrap().carrier_code, "114");
    }
    clock.advance(Duration::from_secs(50 * 3600));
    assert_eq!(
        carrier.track(&reference(&a)).await.unwrap().status,
        Some(ShipmentStatus::Delivered)
    );
    let u = carrier.track(&reference(&b)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Returned));
    let codes: Vec<&str> = u.events.iter().map(|e| e.carrier_code.as_str()).collect();
    assert!(codes.ends_with(&["114", "113", "131", "151"]), "{codes:?}");
}

#[tokio::test]
async fn bad_input_is_refused_before_anything_is_sent() {
    let (_clock, sim, carrier) = start();
    let mut above = request("KJ2400000751");
    above.shipment.cod = Some(kargojet_core::shipment::CashOnDelivery {
        amount: Money::from_kurus(500_001),
        payment: kargojet_core::shipment::CodPayment::Card,
    });
    let e = carrier.create(&above).await.unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (Code::RequestInvalidAmount, Some("cod.amount"))
    );
    let e = carrier.create(&request("KJ 1")).await.unwrap_err();
    assert_eq!(e.field(), Some("merchant_key"));
    assert_eq!(
        sim.calls("LoginAES") + sim.calls("SETDELIVERY") + sim.calls("GetCityDistricts"),
        0
    );
    // 5,000 TL exactly, by card, is accepted (CollectionType 2).
    let mut cap = request("KJ2400000752");
    cap.shipment.cod = Some(kargojet_core::shipment::CashOnDelivery {
        amount: Money::from_kurus(500_000),
        payment: kargojet_core::shipment::CodPayment::Card,
    });
    carrier.create(&cap).await.unwrap();
    let held = sim.shipment("KJ2400000752").unwrap().body;
    assert_eq!(
        (held.collection_type, held.collection_price),
        (Some(2), Some(number(5000)))
    );
    assert_eq!(
        carrier.capabilities().cod_max,
        Some(Money::from_kurus(500_000))
    );
    // A district Sendeo does not list is a typed error at its field, and nothing is created.
    let fresh = Sendeo::new(sim.connector_config()).unwrap();
    sim.city_districts().status_body(200, r#"{"result":[{"CityId":34,"CityName":"İSTANBUL","DistrictId":34245,"DistrictName":"KADIKÖY"}],"StatusCode":200}"#);
    let e = fresh.create(&request("KJ2400000753")).await.unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        (
            Code::RequestUnknownDistrict,
            Some("sender.address.district")
        )
    );
    assert_eq!(sim.shipments_with_key("KJ2400000753"), 0);
    assert_eq!(
        carrier
            .assign_merchant_key(MerchantKey("KJ/24 0001".into()))
            .await
            .unwrap()
            .as_str(),
        "KJ240001"
    );
}

#[tokio::test]
async fn measurements_are_sent_with_the_documented_keys() {
    let (clock, sim, carrier) = start();
    let c = carrier.create(&request("KJ2400000761")).await.unwrap();
    let p = kargojet_core::parcel::Parcel::new(
        "50".parse().unwrap(),
        "40".parse().unwrap(),
        "30".parse().unwrap(),
        "6".parse().unwrap(),
    );
    carrier
        .update_measurements(&reference(&c), std::slice::from_ref(&p))
        .await
        .unwrap();
    assert_eq!(
        sim.shipment("KJ2400000761").unwrap().updated_desi,
        Some(Decimal::from(20))
    );
    let body: Value =
        serde_json::from_slice(&sim.requests_for("CARGOMEASUREMENTUPDATE")[0].body).unwrap();
    assert_eq!(body["Measurements"][0]["Deci"], 20.0);
    clock.advance(Duration::from_secs(4 * 3600));
    let u = carrier.track(&reference(&c)).await.unwrap();
    let m = last_measurement(&u.events).unwrap();
    assert_eq!(m.desi, Some(Decimal::from(20)));
    let unknown = kargojet_core::carrier::ShipmentRef {
        merchant_key: MerchantKey("KJ-NONE".into()),
        ..reference(&c)
    };
    let e = carrier
        .update_measurements(&unknown, &[p])
        .await
        .unwrap_err();
    assert_eq!(e.carrier_code(), Some("702"));
}
