//! Lifecycle against the simulator over a real socket, and the simulator's protocol rules
//! (it accepts the notes' example requests unchanged and rejects requests breaking the rules).
#![allow(clippy::unwrap_used)]

mod support;

use chrono::TimeZone;
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_core::carrier::{Carrier, CarrierId, ReturnRequest};
use kargojet_core::error::Code;
use kargojet_core::shipment::{LabelFormat, MerchantKey};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_hepsijet::Hepsijet;
use kargojet_hepsijet::sim::{HepsijetSim, NON_DELIVERY_REASON, PNG_LABEL, Scenario, pdf_label};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;
use support::*;

fn start() -> (ManualClock, HepsijetSim, Hepsijet) {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap());
    let sim = HepsijetSim::start(clock.clone()).unwrap();
    let carrier = Hepsijet::with_clock(sim.connector_config(), Arc::new(clock.clone())).unwrap();
    (clock, sim, carrier)
}

fn raw_client() -> CarrierHttp {
    CarrierHttp::new(CarrierId::Hepsijet, HttpConfig::fast()).unwrap()
}

fn json_of(r: &RawResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

/// Sends the header lines of an `.http` fixture (method, path, headers) with `body`.
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
        let value = value.trim();
        match (name, token) {
            ("Host", _) => {}
            ("X-Auth-Token", Some(t)) => req = req.header(name, t),
            _ => req = req.header(name, value),
        }
    }
    if let Some(b) = body {
        req = req.body(b);
    }
    http.send(req).await.unwrap()
}

#[tokio::test]
async fn the_simulator_accepts_the_notes_examples_unchanged() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let base = sim.base_url();
    let token = send_http_fixture(&http, &base, "token/example.request.http", None, None).await;
    assert_eq!(token.status, 200);
    let token = json_of(&token)["data"]["token"]
        .as_str()
        .unwrap()
        .to_string();

    let created = send_http_fixture(
        &http,
        &base,
        "create/example.request.http",
        Some(&token),
        Some(fixture_bytes("create/example.request.json")),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.text());
    let expected = fixture_json("create/example.response.json");
    assert_eq!(json_of(&created), expected);

    let again = send_http_fixture(
        &http,
        &base,
        "create/example.request.http",
        Some(&token),
        Some(fixture_bytes("create/example.request.json")),
    )
    .await;
    assert_eq!(
        json_of(&again),
        fixture_json("create/duplicate.response.json")
    );

    let post = |path: &str, rel: &str| {
        OutgoingRequest::post("fixture", format!("{base}{path}"))
            .header("X-Auth-Token", token.clone())
            .header("Content-Type", "application/json")
            .body(fixture_bytes(rel))
    };
    let tracked = http
        .send(post(
            "/rest/delivery/integration/track",
            "track/example.request.json",
        ))
        .await
        .unwrap();
    let v = json_of(&tracked);
    assert_eq!(v["status"], "OK");
    assert_eq!(v["data"][0]["barcode"], "KRJ2403120001");
    assert_eq!(v["data"][0]["details"][0]["integrationStatus"], "NEO");
    let history = http
        .send(post(
            "/rest/deliveryTransaction/getDeliveryTracking",
            "history/constructed.request.json",
        ))
        .await
        .unwrap();
    assert_eq!(json_of(&history)["data"][0]["barcode"], "KRJ2403120001");
    let cancelled = http
        .send(post(
            "/rest/delivery/deleteDeliveryOrder/KRJ2403120001",
            "cancel/example.request.json",
        ))
        .await
        .unwrap();
    assert_eq!(
        json_of(&cancelled),
        fixture_json("cancel/example.response.json")
    );
}

#[tokio::test]
async fn the_simulator_rejects_requests_breaking_the_rules() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let base = sim.base_url();
    let bad_login = OutgoingRequest::get("t", format!("{base}/auth/getToken"))
        .header("Authorization", "Basic a2FyZ29qZXRfaW50Ond3dw==");
    assert_eq!(http.send(bad_login).await.unwrap().status, 401);
    let token = json_of(
        &send_http_fixture(&http, &base, "token/example.request.http", None, None).await,
    )["data"]["token"]
        .as_str()
        .unwrap()
        .to_string();
    let create = |body: Vec<u8>, token: Option<&str>, ct: &str| {
        let mut r =
            OutgoingRequest::post("c", format!("{base}/delivery/sendDeliveryOrderEnhanced"))
                .header("Content-Type", ct)
                .body(body);
        if let Some(t) = token {
            r = r.header("X-Auth-Token", t);
        }
        r
    };
    let example = fixture("create/example.request.json");
    // No token header.
    let r = http
        .send(create(
            example.clone().into_bytes(),
            None,
            "application/json",
        ))
        .await
        .unwrap();
    assert_eq!(
        (r.status, json_of(&r)["status"].clone()),
        (401, json!("FAIL"))
    );
    // A token HepsiJET never issued.
    let r = http
        .send(create(
            example.clone().into_bytes(),
            Some("nope"),
            "application/json",
        ))
        .await
        .unwrap();
    assert_eq!(r.status, 401);
    // Wrong content type.
    let r = http
        .send(create(
            example.clone().into_bytes(),
            Some(&token),
            "text/plain",
        ))
        .await
        .unwrap();
    assert_eq!(r.status, 415);
    // Wrong key spelling, numbers not as strings.
    for broken in [
        example.replace("recipientPersonPhone1", "recipientPersonPhone"),
        example.replace("\"desi\": \"2\"", "\"desi\": 2"),
    ] {
        let r = http
            .send(create(
                broken.into_bytes(),
                Some(&token),
                "application/json",
            ))
            .await
            .unwrap();
        assert_eq!(
            (r.status, json_of(&r)["status"].clone()),
            (400, json!("FAIL"))
        );
    }
    // Business rules: FAIL inside HTTP 200.
    for broken in [
        example.replace("\"desi\": \"2\"", "\"desi\": \"45\""),
        example.replace("KRJ-WH-1", "KRJ-WH-9"),
        example.replace("KRJ2403120001", "XYZ2403120001"),
        example.replace(
            "\"deliverySlotOriginal\": \"0\"",
            "\"deliverySlotOriginal\": \"2\"",
        ),
        example.replace(
            "\"recipientPersonPhone1\": \"5321112233\"",
            "\"recipientPersonPhone1\": \"05321112233\"",
        ),
    ] {
        let r = http
            .send(create(
                broken.into_bytes(),
                Some(&token),
                "application/json",
            ))
            .await
            .unwrap();
        assert_eq!(
            (r.status, json_of(&r)["status"].clone()),
            (200, json!("FAIL")),
            "{}",
            r.text()
        );
    }
    assert_eq!(sim.shipment_count(), 0);
}

#[tokio::test]
async fn lifecycle_create_label_track_every_status() {
    let (clock, sim, carrier) = start();
    let req = request("KRJ2403120001");
    let created = carrier.create(&req).await.unwrap();
    assert_eq!(
        created.carrier_tracking_number.as_deref(),
        Some("KRJ2403120001")
    );
    let label = created.label.clone().unwrap();
    assert_eq!(label.format, LabelFormat::Zpl);
    assert_eq!(
        label.bytes,
        b"^XA^FO50,50^BCN,120,Y,N^FDKRJ2403120001^FS^XZ"
    );
    assert!(created.raw.contains("zplBarcodeDTOList"));
    let sref = reference(&created);

    let pdf = carrier.label(&sref, LabelFormat::Pdf).await.unwrap();
    assert_eq!(pdf.bytes, pdf_label("KRJ2403120001"));
    let png = carrier.label(&sref, LabelFormat::Png).await.unwrap();
    assert_eq!(png.bytes, PNG_LABEL);
    let zpl = carrier.label(&sref, LabelFormat::Zpl).await.unwrap();
    assert_eq!(zpl.bytes, label.bytes);
    assert_eq!(
        carrier
            .label(&sref, LabelFormat::Epl)
            .await
            .unwrap_err()
            .code(),
        Code::UnsupportedLabelFormat
    );

    let sent = sim.shipment("KRJ2403120001").unwrap();
    assert_eq!(sent.body.delivery.delivery_date_original, "2024-03-12");
    sim.set_measured_desi("KRJ2403120001", "2.5");

    let steps = [
        (1, ShipmentStatus::Created),
        (3, ShipmentStatus::PickedUp),
        (7, ShipmentStatus::InTransit),
        (13, ShipmentStatus::AtBranch),
        (21, ShipmentStatus::OutForDelivery),
        (25, ShipmentStatus::Delivered),
    ];
    let mut at = 0;
    let mut seen = Vec::new();
    for (hour, status) in steps {
        clock.advance(Duration::from_secs(((hour - at) * 3600) as u64));
        at = hour;
        let u = carrier.track(&sref).await.unwrap();
        assert_eq!(u.status, Some(status), "at +{hour}h");
        assert_eq!(u.carrier_tracking_number.as_deref(), Some("KRJ2403120001"));
        assert!(u.raw.contains("\"integrationStatus\""));
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
    // Summary and history report pickup/delivery at the same moment: one event each.
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == ShipmentStatus::PickedUp)
            .count(),
        1
    );
    let m = kargojet_core::tracking::last_measurement(&seen).unwrap();
    assert_eq!(m.desi, Some("2.5".parse().unwrap()));

    // Delivered: cancel is refused by the carrier.
    let e = carrier.cancel(&sref).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("NOT_DELETABLE"))
    );
}

#[tokio::test]
async fn cancel_before_pickup_and_refused_after() {
    let (clock, sim, carrier) = start();
    let a = carrier.create(&request("KRJ2403120011")).await.unwrap();
    let b = carrier.create(&request("KRJ2403120012")).await.unwrap();
    carrier.cancel(&reference(&a)).await.unwrap();
    let u = carrier.track(&reference(&a)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Cancelled));
    clock.advance(Duration::from_secs(3 * 3600));
    assert_eq!(
        sim.status_of("KRJ2403120011"),
        Some(ShipmentStatus::Cancelled)
    );
    let e = carrier.cancel(&reference(&b)).await.unwrap_err();
    assert_eq!(e.code(), Code::CarrierRejected);
    assert_eq!(e.carrier_code(), Some("NOT_DELETABLE"));
    assert_eq!(
        sim.status_of("KRJ2403120012"),
        Some(ShipmentStatus::PickedUp)
    );
}

#[tokio::test]
async fn xl_and_returns() {
    let (_clock, sim, carrier) = start();
    let mut req = request("KRJ2403120021");
    req.billable_desi = "55".parse().unwrap();
    let c = carrier.create(&req).await.unwrap();
    assert_eq!(
        c.carrier_refs.get("endpoint").map(String::as_str),
        Some("XL")
    );
    assert_eq!(sim.calls("sendDeliveryOrder"), 1);
    assert_eq!(sim.calls("sendDeliveryOrderEnhanced"), 0);
    assert_eq!(
        sim.shipment("KRJ2403120021").unwrap().body.service_type,
        Some(vec!["TMH".to_string()])
    );

    let original = carrier.create(&request("KRJ2403120022")).await.unwrap();
    let ret = ReturnRequest {
        original: reference(&original),
        shipment: request("KRJ2403120022").shipment,
        merchant_key: MerchantKey("KRJ2403120023".into()),
    };
    let r = carrier.create_return(&ret).await.unwrap();
    assert_eq!(r.merchant_key.as_str(), "KRJ2403120023");
    let held = sim.shipment("KRJ2403120023").unwrap();
    assert_eq!(held.body.delivery.delivery_type, "RETURNED");
    assert_eq!(
        held.body.delivery.recipient_address.company_address_id,
        "KRJ-WH-1"
    );
    assert_eq!(held.body.delivery.sender_address.town.name, "Nilüfer");
    assert_eq!(held.body.service_type, None);
    assert_eq!(
        sim.calls("sendDeliveryOrder"),
        1,
        "a small return is not XL"
    );

    // A return above 40 desi goes to the XL endpoint with TMH, like any other create.
    let mut big = request("KRJ2403120024").shipment;
    big.parcels = vec![kargojet_core::parcel::Parcel::new(
        "60".parse().unwrap(),
        "50".parse().unwrap(),
        "50".parse().unwrap(),
        "12".parse().unwrap(),
    )];
    let ret = ReturnRequest {
        original: reference(&original),
        shipment: big,
        merchant_key: MerchantKey("KRJ2403120025".into()),
    };
    let r = carrier.create_return(&ret).await.unwrap();
    assert_eq!(
        r.carrier_refs.get("endpoint").map(String::as_str),
        Some("XL")
    );
    assert_eq!(sim.calls("sendDeliveryOrder"), 2);
    let held = sim.shipment("KRJ2403120025").unwrap();
    assert_eq!(held.body.delivery.delivery_type, "RETURNED");
    assert_eq!(held.body.delivery.desi, "50");
    assert_eq!(held.body.service_type, Some(vec!["TMH".to_string()]));
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (_clock, sim, carrier) = start();
    let e = carrier.create(&request("KJ1")).await.unwrap_err();
    assert_eq!(e.field(), Some("merchant_key"));
    let mut cod = request("KRJ2403120031");
    cod.shipment.cod = Some(kargojet_core::shipment::CashOnDelivery {
        amount: kargojet_core::money::Money::from_kurus(10000),
        payment: kargojet_core::shipment::CodPayment::Cash,
    });
    assert_eq!(
        carrier.create(&cod).await.unwrap_err().code(),
        Code::UnsupportedCod
    );
    let mut no_mahalle = request("KRJ2403120032");
    no_mahalle.shipment.recipient.address.neighbourhood = None;
    assert_eq!(
        carrier.create(&no_mahalle).await.unwrap_err().field(),
        Some("recipient.address.neighbourhood")
    );
    assert_eq!(sim.calls("sendDeliveryOrderEnhanced"), 0);
    assert_eq!(
        carrier
            .assign_merchant_key(MerchantKey("KJ-24-0000401".into()))
            .await
            .unwrap()
            .as_str(),
        "KRJKJ240000401"
    );
    let _ = Duration::ZERO;
}

#[tokio::test]
async fn failed_attempt_then_delivered_and_returned() {
    let (clock, sim, carrier) = start();
    let a = carrier.create(&request("KRJ2403120041")).await.unwrap();
    let b = carrier.create(&request("KRJ2403120042")).await.unwrap();
    assert!(sim.set_scenario("KRJ2403120041", Scenario::FailedAttemptThenDelivered));
    assert!(sim.set_scenario("KRJ2403120042", Scenario::Returned));
    clock.advance(Duration::from_secs(23 * 3600));
    for s in [&a, &b] {
        let u = carrier.track(&reference(s)).await.unwrap();
        assert_eq!(u.status, Some(ShipmentStatus::DeliveryFailed));
        let failed: Vec<_> = u
            .events
            .iter()
            .filter(|e| e.status == Some(ShipmentStatus::DeliveryFailed))
            .collect();
        assert_eq!(
            failed.len(),
            1,
            "summary FAILED_ATTEMPT and history nonDeliveryReason are one event"
        );
        assert!(failed[0].carrier_text.contains(NON_DELIVERY_REASON));
    }
    clock.advance(Duration::from_secs(50 * 3600));
    assert_eq!(
        carrier.track(&reference(&a)).await.unwrap().status,
        Some(ShipmentStatus::Delivered)
    );
    let u = carrier.track(&reference(&b)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Returned));
    assert_eq!(
        u.events.last().map(|e| e.carrier_code.as_str()),
        Some("RETURNED")
    );
}
