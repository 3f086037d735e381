//! Lifecycle against the simulator over a real socket, and the simulator's protocol rules (it
//! accepts the notes' example requests and rejects requests breaking the rules the way MNG does).
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_carrier_common::http::{
    CarrierHttp, HttpConfig, Method, OutgoingRequest, RawResponse,
};
use kargojet_carrier_common::soap::{SoapVersion, envelope};
use kargojet_core::carrier::{Carrier, CarrierId, ReturnRequest};
use kargojet_core::error::Code;
use kargojet_core::parcel::Parcel;
use kargojet_core::shipment::{CashOnDelivery, CodPayment, LabelFormat, MerchantKey};
use kargojet_core::tracking::{ShipmentStatus, last_measurement, merge_events};
use kargojet_mng::sim::{MngSim, Scenario};
use kargojet_mng::{KIND_RETURN, REF_KIND, wire};
use rust_decimal_macros::dec;
use serde_json::{Value, json};
use std::time::Duration;
use support::*;

fn raw_client() -> CarrierHttp {
    CarrierHttp::new(CarrierId::Mng, HttpConfig::fast()).unwrap()
}

fn json_of(r: &RawResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap_or(Value::Null)
}

fn hours(n: u64) -> Duration {
    Duration::from_secs(n * 3600)
}

/// A request to the simulator with the sandbox application keys.
fn api(sim: &MngSim, method: Method, path: &str) -> OutgoingRequest {
    OutgoingRequest::new("raw", method, format!("{}{path}", sim.api_url()))
        .header(wire::HEADER_CLIENT_ID, "3f1c...e9")
        .header(wire::HEADER_CLIENT_SECRET, "Qw8...zz")
}

/// Sends the `.http` fixture's method, path and headers (a JWT replaces the notes' elided one).
async fn send_http_fixture(
    http: &CarrierHttp,
    sim: &MngSim,
    rel: &str,
    jwt: Option<&str>,
    body: Vec<u8>,
) -> RawResponse {
    let text = fixture(rel);
    let mut lines = text.lines();
    let first: Vec<&str> = lines.next().unwrap().split(' ').collect();
    let mut req = OutgoingRequest::new(
        "fixture",
        Method::POST,
        format!("{}{}", sim.base_url(), first[1]),
    );
    assert_eq!(first[0], "POST");
    for l in lines.filter(|l| !l.trim().is_empty()) {
        let (name, value) = l.split_once(':').unwrap();
        req = match (name, jwt) {
            ("Host", _) => req,
            ("Authorization", Some(t)) => req.bearer(t),
            _ => req.header(name, value.trim()),
        };
    }
    http.send(req.body(body)).await.unwrap()
}

async fn jwt(http: &CarrierHttp, sim: &MngSim) -> String {
    let r = send_http_fixture(
        http,
        sim,
        "token/example.request.http",
        None,
        fixture_bytes("token/example.request.json"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text());
    json_of(&r)["jwt"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_simulator_accepts_the_notes_examples() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let token_answer = send_http_fixture(
        &http,
        &sim,
        "token/example.request.http",
        None,
        fixture_bytes("token/example.request.json"),
    )
    .await;
    let t = json_of(&token_answer);
    assert_eq!(
        t["jwtExpireDate"], "12-03-2024 10:00",
        "60 minutes, Turkey time"
    );
    let token = t["jwt"].as_str().unwrap().to_string();
    assert_eq!(token.split('.').count(), 3, "a JWT");
    // The example body unchanged, except the invented districtCode 1234 (Çarşamba/Samsun in the
    // simulator's CBS table), replaced by Konak's code in İzmir (35).
    let order = fixture("create_order/example.request.json").replace("1234", "1819");
    let created = send_http_fixture(
        &http,
        &sim,
        "create_order/example.request.http",
        Some(&token),
        order.clone().into_bytes(),
    )
    .await;
    assert_eq!(created.status, 200, "{}", created.text());
    assert_eq!(
        json_of(&created),
        fixture_json("create_order/example.response.json")
    );
    assert_eq!(sim.shipment_count(), 0, "an order is not a shipment yet");
    let again = send_http_fixture(
        &http,
        &sim,
        "create_order/example.request.http",
        Some(&token),
        order.into_bytes(),
    )
    .await;
    assert_eq!(again.status, 500);
    assert_eq!(json_of(&again)["error"]["Code"], "3002");
    let barcode = http
        .send(
            api(&sim, Method::POST, wire::PATH_CREATE_BARCODE)
                .bearer(&token)
                .header("Content-Type", "application/json")
                .body(fixture_bytes("create_barcode/example.request.json")),
        )
        .await
        .unwrap();
    let mut b = json_of(&barcode);
    let id = b["shipmentId"].as_str().unwrap().to_string();
    let expected = fixture_json("create_barcode/example.response.json");
    b["shipmentId"] = expected["shipmentId"].clone();
    b["barcodes"][0]["value"] = json!(
        b["barcodes"][0]["value"]
            .as_str()
            .unwrap()
            .replace(&id, "30112345678")
    );
    assert_eq!(
        b, expected,
        "the example answer with the simulator's shipment id"
    );
    let status = http
        .send(
            api(
                &sim,
                Method::GET,
                &format!("{}/{id}", wire::PATH_STATUS_BY_SHIPMENT_ID),
            )
            .bearer(&token),
        )
        .await
        .unwrap();
    let s = json_of(&status);
    assert_eq!(
        s[0]["shipmentStatusCode"], 1,
        "an int, as in the notes' example"
    );
    assert_eq!(s[0]["referenceId"], "KJ2400000201");
    // The legacy example's shape is accepted too (for the return methods).
    let legacy = envelope(
        SoapVersion::V11,
        None,
        "<GelecekIadeSiparisKontrol xmlns=\"http://tempuri.org/\"><pKullaniciAdi>1234567890</pKullaniciAdi><pSifre>ABCDEF123</pSifre><pSiparisNo>KJ2400000201</pSiparisNo></GelecekIadeSiparisKontrol>",
    );
    let r = http
        .send(OutgoingRequest::post("l", sim.legacy_url()).soap(
            SoapVersion::V11,
            "http://tempuri.org/GelecekIadeSiparisKontrol",
            legacy,
        ))
        .await
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("diffgr:diffgram"));
}

#[tokio::test]
async fn the_simulator_rejects_requests_breaking_the_rules() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let token = jwt(&http, &sim).await;
    let example = fixture("create_order/example.request.json").replace("1234", "1819");
    let send = |req: OutgoingRequest| {
        let http = http.clone();
        async move { http.send(req).await.unwrap() }
    };
    let order = |body: &str, jwt: Option<&str>, ct: &str| {
        let mut r = api(&sim, Method::POST, wire::PATH_CREATE_ORDER)
            .header("Content-Type", ct)
            .body(body.as_bytes().to_vec());
        if let Some(t) = jwt {
            r = r.bearer(t);
        }
        r
    };
    // Application keys: the gateway answers.
    let no_keys = OutgoingRequest::post(
        "raw",
        format!("{}{}", sim.api_url(), wire::PATH_CREATE_ORDER),
    );
    let r = send(no_keys).await;
    assert_eq!(
        (r.status, json_of(&r)["httpCode"].clone()),
        (401, json!("401"))
    );
    let r = send(
        order(&example, Some(&token), "application/json")
            .header(wire::HEADER_CLIENT_SECRET, "nope"),
    )
    .await;
    assert_eq!(r.status, 401);
    assert!(json_of(&r)["moreInformation"].is_string());
    // Login: wrong password, wrong identityType.
    let login = |body: &str| {
        api(&sim, Method::POST, wire::PATH_TOKEN)
            .header("Content-Type", "application/json")
            .body(body.as_bytes().to_vec())
    };
    let r = send(login(
        r#"{"customerNumber": "123456789", "password": "x", "identityType": 1}"#,
    ))
    .await;
    assert_eq!(r.status, 401);
    let r = send(login(
        r#"{"customerNumber": "123456789", "password": "ApiUser!23", "identityType": 2}"#,
    ))
    .await;
    assert_eq!(r.status, 400);
    let r = send(login(
        r#"{"customerNo": "123456789", "password": "ApiUser!23", "identityType": 1}"#,
    ))
    .await;
    assert_eq!(r.status, 400);
    // JWT: missing, never issued.
    let r = send(order(&example, None, "application/json")).await;
    assert_eq!(
        (r.status, json_of(&r)["error"]["Code"].clone()),
        (401, json!("INVALID_TOKEN"))
    );
    let r = send(order(&example, Some("eyJ.forged.jwt"), "application/json")).await;
    assert_eq!(r.status, 401);
    // Content type, key spelling, missing keys, types.
    let r = send(order(&example, Some(&token), "text/plain")).await;
    assert_eq!(r.status, 415);
    for broken in [
        example.replace("\"referenceId\"", "\"referenceID\""),
        example.replace("\"barcode\": \"KJ2400000201\",", ""),
        example.replace("\"kg\": 1", "\"kg\": \"bir\""),
        example.replace("\"recipient\"", "\"receiver\""),
    ] {
        let r = send(order(&broken, Some(&token), "application/json")).await;
        assert_eq!(
            (r.status, json_of(&r)["error"]["Code"].clone()),
            (400, json!("BAD_REQUEST")),
            "{broken}"
        );
    }
    // Business rules.
    for broken in [
        example.replace("\"districtCode\": 1819", "\"districtCode\": 1234"),
        example.replace("\"cityCode\": 35", "\"cityCode\": 99"),
        example.replace("\"5321112233\"", "\"05321112233\""),
        example.replace("\"codAmount\": 320.5", "\"codAmount\": 0"),
        example.replace("\"shipmentServiceType\": 1", "\"shipmentServiceType\": 3"),
        example.replace("\"packagingType\": 3", "\"packagingType\": 9"),
        example.replace("\"deliveryType\": 1", "\"deliveryType\": 2"),
        example.replace("\"smsPreference1\": 1", "\"smsPreference1\": 2"),
        example.replace("\"referenceId\": \"KJ2400000201\"", "\"referenceId\": \"\""),
    ] {
        let r = send(order(&broken, Some(&token), "application/json")).await;
        assert_eq!(
            (r.status, json_of(&r)["error"]["Code"].clone()),
            (400, json!("VALIDATION")),
            "{}",
            r.text()
        );
    }
    assert_eq!(sim.order_count(), 0);
    // Methods and paths.
    let r = send(api(&sim, Method::GET, wire::PATH_CREATE_ORDER).bearer(&token)).await;
    assert_eq!(r.status, 405);
    let r = send(api(&sim, Method::GET, "/standardqueryapi/nothing/1").bearer(&token)).await;
    assert_eq!(
        (r.status, json_of(&r)["httpMessage"].clone()),
        (404, json!("Not Found"))
    );
    let r = send(
        api(
            &sim,
            Method::POST,
            &format!("{}/KJ1", wire::PATH_CANCEL_ORDER),
        )
        .bearer(&token),
    )
    .await;
    assert_eq!(r.status, 405, "cancelorder is a PUT");
    let r = send(
        api(&sim, Method::POST, wire::PATH_CREATE_BARCODE)
            .bearer(&token)
            .header("Content-Type", "application/json")
            .body(br#"{"referenceId": "KJ9"}"#.to_vec()),
    )
    .await;
    assert_eq!(json_of(&r)["error"]["Code"], "ORDER_NOT_FOUND");
    // CBS needs the application keys only.
    let r = send(api(&sim, Method::GET, wire::PATH_CITIES)).await;
    assert_eq!(
        (r.status, json_of(&r).as_array().map(Vec::len)),
        (200, Some(81))
    );
    let r = send(api(
        &sim,
        Method::GET,
        &format!("{}/99", wire::PATH_DISTRICTS),
    ))
    .await;
    assert_eq!(r.status, 404);
    // Legacy: SOAPAction, content type, parameter names, login.
    let call = |op: &str, action: &str, inner: &str| {
        let env = envelope(
            SoapVersion::V11,
            None,
            &format!("<{op} xmlns=\"http://tempuri.org/\">{inner}</{op}>"),
        );
        OutgoingRequest::post("l", sim.legacy_url()).soap(SoapVersion::V11, action, env)
    };
    let login = "<pKullaniciAdi>1234567890</pKullaniciAdi><pSifre>ABCDEF123</pSifre><pSiparisNo>KJ1</pSiparisNo>";
    let r = send(call(
        "GelecekIadeSiparisIptali",
        "http://tempuri.org/Other",
        login,
    ))
    .await;
    assert_eq!(r.status, 500);
    assert!(
        r.text()
            .contains("did not recognize the value of HTTP Header SOAPAction")
    );
    let r = send(
        call(
            "GelecekIadeSiparisIptali",
            "http://tempuri.org/GelecekIadeSiparisIptali",
            login,
        )
        .header("Content-Type", "application/json"),
    )
    .await;
    assert_eq!(r.status, 415);
    let r = send(call(
        "GelecekIadeSiparisIptali",
        "http://tempuri.org/GelecekIadeSiparisIptali",
        &login.replace("pSiparisNo", "pSiparisNumarasi"),
    ))
    .await;
    assert_eq!(r.status, 500);
    assert!(r.text().contains("bilinmeyen parametre"));
    let r = send(call(
        "GelecekIadeSiparisIptali",
        "http://tempuri.org/GelecekIadeSiparisIptali",
        &login.replace("ABCDEF123", "x"),
    ))
    .await;
    assert!(r.text().contains("E003:"), "{}", r.text());
    let r = send(call(
        "GelecekIadeSiparisIptali",
        "http://tempuri.org/GelecekIadeSiparisIptali",
        &login.replace("1234567890", "MNG1"),
    ))
    .await;
    assert!(r.text().contains("E006:"), "{}", r.text());
    let r = send(call(
        "GelecekIadeSiparisKayit",
        "http://tempuri.org/GelecekIadeSiparisKayit",
        login,
    ))
    .await;
    assert!(r.text().contains("E007:"), "{}", r.text());
}

#[tokio::test]
async fn lifecycle_create_label_track_to_delivered() {
    let (clock, sim, carrier) = start();
    let req = request("KJ2400000201");
    let created = carrier.create(&req).await.unwrap();
    let id = created.carrier_tracking_number.clone().unwrap();
    assert!(id.starts_with("301") && id.len() == 11, "{id}");
    assert_eq!(created.carrier_refs.get("shipmentId"), Some(&id));
    assert_eq!(
        created
            .carrier_refs
            .get("orderInvoiceId")
            .map(String::as_str),
        Some("KJ2400000201")
    );
    let label = created.label.clone().unwrap();
    assert_eq!(label.format, LabelFormat::Zpl);
    assert_eq!(
        label.bytes,
        format!("^XA^FO40,40^BCN,120,Y,N^FD{id}^FS^XZ").into_bytes()
    );
    assert_eq!(
        (sim.calls("createOrder"), sim.calls("createbarcode")),
        (1, 1)
    );
    // What reached MNG: codes from CBS, the example's keys.
    let held = sim.order("KJ2400000201").unwrap();
    assert_eq!(
        (
            held.body.recipient.city_code,
            held.body.recipient.district_code
        ),
        (35, 1819)
    );
    assert_eq!(held.body.order.is_cod, 1);
    assert_eq!(held.body.order.cod_amount.0, dec!(320.5));
    let sref = reference(&created);
    let again = carrier.label(&sref, LabelFormat::Zpl).await.unwrap();
    assert_eq!(
        again.bytes, label.bytes,
        "the same shipment's barcodes, re-issued"
    );
    assert_eq!(sim.shipment_count(), 1);
    assert_eq!(
        carrier
            .label(&sref, LabelFormat::Pdf)
            .await
            .unwrap_err()
            .code(),
        Code::UnsupportedLabelFormat
    );
    sim.set_measured("KJ2400000201", dec!(3), dec!(1.2));
    let steps = [
        (1, ShipmentStatus::Created),
        (3, ShipmentStatus::InTransit),
        (13, ShipmentStatus::AtBranch),
        (21, ShipmentStatus::OutForDelivery),
        (25, ShipmentStatus::Delivered),
    ];
    let (mut at, mut history) = (0, Vec::new());
    for (hour, status) in steps {
        clock.advance(hours(hour - at));
        at = hour;
        let u = carrier.track(&sref).await.unwrap();
        assert_eq!(u.status, Some(status), "at +{hour}h");
        assert_eq!(u.carrier_tracking_number.as_deref(), Some(id.as_str()));
        assert_eq!(u.events.len(), 1, "the current status as one event");
        assert_eq!(u.events[0].time.offset().local_minus_utc(), 3 * 3600);
        assert!(u.raw.contains("\"shipmentStatusCode\""));
        merge_events(&mut history, &u.events);
    }
    let statuses: Vec<_> = history.iter().filter_map(|e| e.status).collect();
    assert_eq!(statuses, steps.map(|(_, s)| s).to_vec());
    // Tracked by MNG's shipment id once known.
    assert!(
        sim.requests_for("getshipmentstatus")
            .iter()
            .all(|r| r.path.contains("ByShipmentId"))
    );
    // The measurement of the wallet: MNG's desi, kg and amount with VAT, from acceptance on.
    assert_eq!(
        history[0].measurement, None,
        "a created status carries the declaration only"
    );
    let m = last_measurement(&history).unwrap();
    assert_eq!((m.desi, m.kg), (Some(dec!(3)), Some(dec!(1.2))));
    assert_eq!(
        m.amount.map(|a| a.amount),
        Some(dec!(88.2)),
        "(45 + 3 × 9.50) × 1.20"
    );
    let delivered = history.last().unwrap();
    assert!(
        delivered.carrier_text.contains("(ZEYNEP ARSLAN)"),
        "{}",
        delivered.carrier_text
    );
    assert_eq!(delivered.location.as_deref(), Some("KONAK ŞUBE"));
    // Delivered: cancel is refused by MNG.
    let e = carrier.cancel(&sref).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("NOT_CANCELLABLE"))
    );
}

#[tokio::test]
async fn cancel_before_pickup_and_refused_after() {
    let (clock, sim, carrier) = start();
    let a = carrier.create(&request("KJ2400000211")).await.unwrap();
    let b = carrier.create(&request("KJ2400000212")).await.unwrap();
    carrier.cancel(&reference(&a)).await.unwrap();
    assert_eq!(
        sim.status_of("KJ2400000211"),
        Some(ShipmentStatus::Cancelled)
    );
    let put = sim.requests_for("cancelorder");
    assert_eq!(
        (
            put[0].method.as_str(),
            put[0].path.ends_with("/KJ2400000211")
        ),
        ("PUT", true)
    );
    let u = carrier.track(&reference(&a)).await.unwrap();
    assert_eq!(
        (u.status, u.events.len()),
        (None, 0),
        "a cancelled order is not trackable"
    );
    let e = carrier.cancel(&reference(&a)).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("ALREADY_CANCELLED"));
    clock.advance(hours(3));
    let e = carrier.cancel(&reference(&b)).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("NOT_CANCELLABLE"))
    );
    assert_eq!(
        sim.status_of("KJ2400000212"),
        Some(ShipmentStatus::InTransit)
    );
    assert_eq!(
        sim.status_of("KJ2400000211"),
        Some(ShipmentStatus::Cancelled)
    );
}

#[tokio::test]
async fn failed_attempt_returned_and_problem_scenarios() {
    let (clock, sim, carrier) = start();
    let keys = ["KJ2400000221", "KJ2400000222", "KJ2400000223"];
    let mut refs = Vec::new();
    for k in keys {
        refs.push(reference(&carrier.create(&request(k)).await.unwrap()));
    }
    assert!(sim.set_scenario(keys[0], Scenario::FailedAttemptThenDelivered));
    assert!(sim.set_scenario(keys[1], Scenario::Returned));
    assert!(sim.set_scenario(keys[2], Scenario::Problem));
    clock.advance(hours(23));
    for r in &refs[..2] {
        let u = carrier.track(r).await.unwrap();
        assert_eq!(u.status, Some(ShipmentStatus::DeliveryFailed));
        assert_eq!(u.events[0].carrier_code, "6");
    }
    assert_eq!(
        carrier.track(&refs[2]).await.unwrap().status,
        Some(ShipmentStatus::Exception)
    );
    clock.advance(hours(50));
    assert_eq!(
        carrier.track(&refs[0]).await.unwrap().status,
        Some(ShipmentStatus::Delivered)
    );
    let u = carrier.track(&refs[1]).await.unwrap();
    assert_eq!(
        (u.status, u.events[0].carrier_code.as_str()),
        (Some(ShipmentStatus::Returned), "7")
    );
}

#[tokio::test]
async fn cbs_codes_are_looked_up_once_and_cached() {
    let (clock, sim, carrier) = start();
    for k in ["KJ2400000231", "KJ2400000232"] {
        carrier.create(&request(k)).await.unwrap();
    }
    let mut ankara = request("KJ2400000233");
    ankara.shipment.recipient.address = kargojet_core::address::Address::parse(
        "ANKARA",
        "cankaya",
        "Kızılay Mah. Atatürk Blv. 101",
        "r",
    )
    .unwrap();
    carrier.create(&ankara).await.unwrap();
    assert_eq!(sim.calls("getcities"), 1);
    assert_eq!(sim.calls("getdistricts"), 2, "İzmir once, Ankara once");
    assert_eq!(carrier.cbs_fetches(), 3);
    let held = sim.order("KJ2400000233").unwrap();
    assert_eq!(held.body.recipient.city_code, 6);
    assert_eq!(
        kargojet_mng::sim::district_name(6, held.body.recipient.district_code).as_deref(),
        Some("Çankaya")
    );
    // The cache lives 24 hours.
    clock.advance(hours(25));
    carrier.create(&request("KJ2400000234")).await.unwrap();
    assert_eq!(sim.calls("getcities"), 2);
    assert!(
        sim.requests_for("getcities")
            .iter()
            .all(|r| r.header("authorization").is_none())
    );
}

#[tokio::test]
async fn multi_parcel_cod_and_services() {
    let (_clock, sim, carrier) = start();
    let mut req = request("KJ2400000241");
    req.shipment.parcels = vec![
        Parcel::new(dec!(40), dec!(30), dec!(20), dec!(3.2)),
        Parcel::new(dec!(30), dec!(20), dec!(15), dec!(1.1)),
        Parcel::new(dec!(25), dec!(20), dec!(10), dec!(4.0)),
    ];
    req.service = Some("same_day".into());
    let c = carrier.create(&req).await.unwrap();
    let held = sim.order("KJ2400000241").unwrap();
    let pieces: Vec<_> = held
        .body
        .order_piece_list
        .iter()
        .map(|p| (p.barcode.as_str(), p.desi, p.kg))
        .collect();
    assert_eq!(
        pieces,
        [
            ("KJ2400000241-1", 8, 4),
            ("KJ2400000241-2", 3, 2),
            ("KJ2400000241-3", 2, 4)
        ]
    );
    assert_eq!(held.body.order.shipment_service_type, 7);
    let zpl = String::from_utf8(c.label.unwrap().bytes).unwrap();
    assert_eq!(zpl.matches("^XA").count(), 3);
    assert!(zpl.contains("MNG 3/3"));
    assert_eq!(c.carrier_refs.get("pieces").map(String::as_str), Some("3"));
    // Card COD is not in MNG's create body; bad keys and services never leave the process.
    let mut card = request("KJ2400000242");
    card.shipment.cod = Some(CashOnDelivery {
        amount: kargojet_core::money::Money::from_kurus(10000),
        payment: CodPayment::Card,
    });
    assert_eq!(
        carrier.create(&card).await.unwrap_err().code(),
        Code::UnsupportedCod
    );
    assert_eq!(
        carrier.create(&request("kj-1")).await.unwrap_err().field(),
        Some("merchant_key")
    );
    let mut svc = request("KJ2400000243");
    svc.service = Some("express".into());
    assert_eq!(
        carrier.create(&svc).await.unwrap_err().field(),
        Some("service")
    );
    assert_eq!(sim.calls("createOrder"), 1);
    assert_eq!(
        carrier
            .assign_merchant_key(MerchantKey("kj-24-0000401".into()))
            .await
            .unwrap()
            .as_str(),
        "KJ240000401"
    );
}

#[tokio::test]
async fn returns_through_the_legacy_service() {
    let (clock, sim, carrier) = start();
    assert!(carrier.capabilities().returns);
    let original = carrier.create(&request("KJ2400000251")).await.unwrap();
    let ret = ReturnRequest {
        original: reference(&original),
        shipment: request("KJ2400000251").shipment,
        merchant_key: MerchantKey("KJ24R0000251".into()),
    };
    let r = carrier.create_return(&ret).await.unwrap();
    assert_eq!(
        r.carrier_refs.get(REF_KIND).map(String::as_str),
        Some(KIND_RETURN)
    );
    assert!(
        r.raw
            .contains("<GelecekIadeSiparisKayitResult>1</GelecekIadeSiparisKayitResult>")
    );
    let held = sim.return_order("KJ24R0000251").unwrap();
    let p = |k: &str| held.params.get(k).map(String::as_str);
    assert_eq!(
        (p("pGonIlAdi"), p("pGonilceAdi")),
        (Some("İZMİR"), Some("KONAK"))
    );
    assert_eq!(p("pGonTelCep"), Some("5321112233"));
    assert_eq!(p("pOdemeSekli"), Some("Alici_Odeyecek"));
    let soap = &sim.requests_for("GelecekIadeSiparisKayit")[0];
    assert_eq!(
        soap.header("soapaction"),
        Some("\"http://tempuri.org/GelecekIadeSiparisKayit\"")
    );
    let rref = reference(&r);
    let u = carrier.track(&rref).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Created));
    // A second future return order with the same number is refused.
    let dup = carrier.create_return(&ret).await.unwrap_err();
    assert_eq!(dup.code(), Code::CarrierRejected);
    // Cancel a return before the customer drops it; the other one travels to the merchant.
    let ret2 = ReturnRequest {
        merchant_key: MerchantKey("KJ24R0000252".into()),
        ..ret.clone()
    };
    let r2 = carrier.create_return(&ret2).await.unwrap();
    carrier.cancel(&reference(&r2)).await.unwrap();
    assert_eq!(carrier.track(&reference(&r2)).await.unwrap().status, None);
    let mut seen = Vec::new();
    for step in [25, 31, 41, 45, 49] {
        clock.set(t0() + chrono::Duration::hours(step));
        let u = carrier.track(&rref).await.unwrap();
        merge_events(&mut seen, &u.events);
    }
    let statuses: Vec<_> = seen.iter().filter_map(|e| e.status).collect();
    assert_eq!(
        statuses,
        [
            ShipmentStatus::PickedUp,
            ShipmentStatus::InTransit,
            ShipmentStatus::AtBranch,
            ShipmentStatus::OutForDelivery,
            ShipmentStatus::Delivered
        ]
    );
    assert_eq!(seen[0].carrier_text, "Sipariş Kargoya Verildi");
    // Dropped at the branch: MNG answers 0 to a cancel.
    let e = carrier.cancel(&rref).await.unwrap_err();
    assert_eq!(
        (e.code(), e.carrier_code()),
        (Code::CarrierRejected, Some("0"))
    );
    assert_eq!(
        carrier
            .label(&rref, LabelFormat::Zpl)
            .await
            .unwrap_err()
            .code(),
        Code::UnsupportedLabelFormat
    );
    // Without the legacy login there are no returns.
    let mut cfg = sim.connector_config();
    cfg.legacy = None;
    let plain = kargojet_mng::Mng::new(cfg).unwrap();
    assert!(!plain.capabilities().returns);
    assert_eq!(
        plain.create_return(&ret).await.unwrap_err().code(),
        Code::UnsupportedOperation
    );
}
