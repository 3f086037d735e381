//! Lifecycle against the simulator over a real socket, and the simulator's protocol rules (it
//! accepts the notes' example requests unchanged and rejects requests breaking the rules the way
//! the documentation says the service does).
#![allow(clippy::unwrap_used)]

mod support;

use chrono::TimeZone;
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_core::carrier::{Carrier, CarrierId, ReturnRequest};
use kargojet_core::error::Code;
use kargojet_core::shipment::{LabelFormat, MerchantKey};
use kargojet_core::time::ManualClock;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_kolaygelsin::KolayGelsin;
use kargojet_kolaygelsin::sim::{KolayGelsinSim, Scenario, signature_id, signature_pdf};
use serde_json::{Value, json};
use std::time::Duration;
use support::*;

fn start() -> (ManualClock, KolayGelsinSim, KolayGelsin) {
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2024, 3, 12, 7, 15, 2).unwrap());
    let sim = KolayGelsinSim::start(clock.clone()).unwrap();
    let carrier = KolayGelsin::new(sim.connector_config()).unwrap();
    (clock, sim, carrier)
}

fn raw_client() -> CarrierHttp {
    CarrierHttp::new(CarrierId::KolayGelsin, HttpConfig::fast()).unwrap()
}

fn json_of(r: &RawResponse) -> Value {
    serde_json::from_slice(&r.body).unwrap()
}

fn hours(n: u64) -> Duration {
    Duration::from_secs(n * 3600)
}

/// Sends the header lines of the `.http` fixture (method, path, headers, token included) with
/// `body`, to the simulator.
async fn send_http_fixture(http: &CarrierHttp, base: &str, body: Vec<u8>) -> RawResponse {
    let text = fixture("create/example.request.http");
    let mut lines = text.lines();
    let first: Vec<&str> = lines.next().unwrap().split(' ').collect();
    let mut req = OutgoingRequest::post("fixture", format!("{base}{}", first[1]));
    for l in lines.filter(|l| !l.trim().is_empty()) {
        let (name, value) = l.split_once(':').unwrap();
        if name != "Host" {
            req = req.header(name, value.trim());
        }
    }
    http.send(req.body(body)).await.unwrap()
}

fn post(base: &str, method: &str, token: Option<&str>, ct: &str, body: Vec<u8>) -> OutgoingRequest {
    let mut r = OutgoingRequest::post("raw", format!("{base}/api/request/{method}"))
        .header("Content-Type", ct)
        .body(body);
    if let Some(t) = token {
        r = r.bearer(t);
    }
    r
}

fn result(r: &RawResponse) -> (u16, Value, Value) {
    let v = json_of(r);
    (
        r.status,
        v["ResultCode"].clone(),
        v["ResultMessage"].clone(),
    )
}

#[tokio::test]
async fn the_simulator_accepts_the_notes_examples_unchanged() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let base = sim.base_url();
    let created =
        send_http_fixture(&http, &base, fixture_bytes("create/example.request.json")).await;
    assert_eq!(created.status, 200, "{}", created.text());
    let mut got = json_of(&created);
    let mut expected = fixture_json("create/example.response.json");
    // The job id and the label's HTML are the simulator's own; everything else is the notes'.
    for v in [&mut got, &mut expected] {
        v["JobId"] = Value::Null;
        v["Payload"]["ShipmentItemLabelList"][0]["ShipmentItemLabel"] = Value::Null;
    }
    assert_eq!(got, expected);

    let token = sim.connector_config().token;
    let tracked = http
        .send(post(
            &base,
            "GetCorporateShipmentsStatus",
            Some(&token),
            "application/json",
            fixture_bytes("track/example.request.json"),
        ))
        .await
        .unwrap();
    let v = json_of(&tracked);
    assert_eq!(v["ResultCode"], json!(200));
    let model = &v["Payload"]["ShipmentModelList"][0];
    assert_eq!(model["CustomerBarcode"], "KJ2400000601");
    assert_eq!(model["ShipmentId"], "884213");
    assert_eq!(
        model["CargoEventLogModelList"][0]["CargoEventType"],
        json!(1)
    );
    assert_eq!(
        model["CargoEventLogModelList"][0]["TimeStamp"],
        "2024-03-12T10:15:02+03:00"
    );
    let cancelled = http
        .send(post(
            &base,
            "CancelPickupAndDelivery",
            Some(&token),
            "application/json",
            fixture_bytes("cancel/example.request.json"),
        ))
        .await
        .unwrap();
    assert_eq!(result(&cancelled).1, json!(200));
    assert_eq!(
        sim.status_of("KJ2400000601"),
        Some(ShipmentStatus::Cancelled)
    );
}

#[tokio::test]
async fn the_simulator_rejects_requests_breaking_the_rules() {
    let (_clock, sim, _c) = start();
    let http = raw_client();
    let base = sim.base_url();
    let token = sim.connector_config().token;
    let example = fixture("create/example.request.json");
    let create = |body: String, token: Option<&str>, ct: &str| {
        post(
            &base,
            "SaveIntegrationShipmentV2",
            token,
            ct,
            body.into_bytes(),
        )
    };
    // Token: missing, never issued.
    for t in [None, Some("nope")] {
        let r = http
            .send(create(example.clone(), t, "application/json"))
            .await
            .unwrap();
        assert_eq!(r.status, 401);
        assert_eq!(json_of(&r)["code"], "Unauthorized");
    }
    // Content type, key spelling, HTTP method, unknown method.
    let r = http
        .send(create(example.clone(), Some(&token), "text/plain"))
        .await
        .unwrap();
    assert_eq!(r.status, 415);
    let r = http
        .send(create(
            example.replace("\"PackageType\"", "\"PackageTypeId\""),
            Some(&token),
            "application/json",
        ))
        .await
        .unwrap();
    assert_eq!(r.status, 400, "{}", r.text());
    let r = http
        .send(
            OutgoingRequest::get(
                "raw",
                format!("{base}/api/request/SaveIntegrationShipmentV2"),
            )
            .bearer(&token),
        )
        .await
        .unwrap();
    assert_eq!(r.status, 405);
    let r = http
        .send(post(
            &base,
            "SaveShipment",
            Some(&token),
            "application/json",
            b"{}".to_vec(),
        ))
        .await
        .unwrap();
    assert_eq!(r.status, 404);
    // Missing or wrong required fields: the documented ResultCode / ResultMessage, in HTTP 200.
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v: Value = serde_json::from_str(&example).unwrap();
        f(&mut v);
        v.to_string()
    };
    let cases: Vec<(String, Value, &str)> = vec![
        (
            with(&|v| {
                v.as_object_mut().unwrap().remove("SenderCustomer");
            }),
            json!(500.0),
            "CustomerNotFound",
        ),
        (
            with(&|v| v["SenderCustomer"]["CustomerId"] = json!(21)),
            json!(500.0),
            "CustomerNotFound",
        ),
        (
            with(&|v| v["SenderCustomer"]["Address"]["AddressId"] = json!(99)),
            json!(404.1),
            "Adres müşteriye ait değil",
        ),
        (
            with(&|v| {
                v["SenderCustomer"]
                    .as_object_mut()
                    .unwrap()
                    .remove("Address");
            }),
            json!(404.1),
            "Adres müşteriye ait değil",
        ),
        (
            with(&|v| {
                v["Recipient"].as_object_mut().unwrap().remove("Address");
            }),
            json!(500.0),
            "ErrorSavingReceiver",
        ),
        (
            with(&|v| {
                v["Recipient"]["Address"]
                    .as_object_mut()
                    .unwrap()
                    .remove("AddressText");
            }),
            json!(500.0),
            "ErrorSavingReceiver",
        ),
        (
            with(&|v| v["Recipient"]["Address"]["CityId"] = json!(99)),
            json!(500.0),
            "CityNotFound",
        ),
        (
            with(&|v| v["Recipient"]["Address"]["TownName"] = json!("Çankaya")),
            json!(500.0),
            "GeoCodeFail",
        ),
        (
            with(&|v| v["Recipient"]["OnlyDeliverToRecipient"] = json!(true)),
            json!(500.0),
            "IdentityNumberEntryIsRequired",
        ),
        (
            with(&|v| {
                v["Recipient"]["OnlyDeliverToRecipient"] = json!(true);
                v["Recipient"]["RecipientIdentityNumber"] = json!("123");
            }),
            json!(500.0),
            "IdentityNumberNotValid",
        ),
        (
            with(&|v| v["Recipient"]["RecipientIdentityNumber"] = json!("1234567890a")),
            json!(500.0),
            "Alici kimlik numarasinda gecersiz karakterler bulunuyor",
        ),
        (
            with(&|v| {
                v["Recipient"]["RecipientType"] = json!(2);
                v["Recipient"]["OnlyDeliverToRecipient"] = json!(true);
            }),
            json!(500.0),
            "TaxIdentificationNumberInputIsRequired",
        ),
        (
            with(&|v| {
                v.as_object_mut().unwrap().remove("ShipmentItemList");
            }),
            json!(500.0),
            "SomethingWentWrong",
        ),
        (
            with(&|v| v["PackageType"] = json!(7)),
            json!(500.0),
            "MoveOptionNotFound",
        ),
    ];
    for (body, code, message) in cases {
        let r = http
            .send(create(body, Some(&token), "application/json"))
            .await
            .unwrap();
        assert_eq!(result(&r), (200, code, json!(message)), "{message}");
    }
    // Coverage and the COD contract are account rules.
    sim.set_uncovered(34);
    let r = http
        .send(create(example.clone(), Some(&token), "application/json"))
        .await
        .unwrap();
    assert_eq!(
        result(&r).2,
        json!("Bu kordinatta kurye çalışma alanı bulunamamıştır.")
    );
    let out_of_area = with(&|v| v["Recipient"]["SaveOutOfCoverage"] = json!(true));
    let r = http
        .send(create(out_of_area, Some(&token), "application/json"))
        .await
        .unwrap();
    assert_eq!(
        result(&r).1,
        json!(200),
        "SaveOutOfCoverage registers it anyway"
    );
    let no_cod = KolayGelsinSim::start_with(
        ManualClock::new(chrono::Utc::now()),
        kargojet_kolaygelsin::sim::Account {
            cod_allowed: false,
            ..kargojet_kolaygelsin::sim::sandbox()
        },
    )
    .unwrap();
    let r = http
        .send(post(
            &no_cod.base_url(),
            "SaveIntegrationShipmentV2",
            Some(&token),
            "application/json",
            example.clone().into_bytes(),
        ))
        .await
        .unwrap();
    assert_eq!(result(&r).2, json!("Tahsilatlı kargo yapılamaz."));
    // Tracking without any key.
    let r = http
        .send(post(
            &base,
            "GetCorporateShipmentsStatus",
            Some(&token),
            "application/json",
            br#"{"ShipmentIdList": [], "CustomerSpecificCodeList": [], "CustomerBarcodeList": [], "CustomerTrackingIdList": [], "OnlyLatestEvents": true}"#.to_vec(),
        ))
        .await
        .unwrap();
    assert_eq!(result(&r).2, json!("Parametrelerin hepsi boş olamaz"));
    // The event-type list needs its accept-language header.
    let r = http
        .send(post(
            &base,
            "GetCorporateCustomerCargoEventTypes",
            Some(&token),
            "application/json",
            b"{}".to_vec(),
        ))
        .await
        .unwrap();
    assert_eq!(r.status, 400);
    assert_eq!(sim.shipment_count(), 1, "only the out-of-coverage one");
}

#[tokio::test]
async fn lifecycle_create_label_track_every_status() {
    let (clock, sim, carrier) = start();
    let created = carrier.create(&request("KJ2400000601")).await.unwrap();
    assert_eq!(created.carrier_tracking_number.as_deref(), Some("884213"));
    assert_eq!(
        created
            .carrier_refs
            .get("ShipmentItemId")
            .map(String::as_str),
        Some("1553021")
    );
    let label = created.label.clone().unwrap();
    assert_eq!(label.format, LabelFormat::Html);
    let held = sim.shipment("KJ2400000601").unwrap();
    assert_eq!(label.bytes, held.label_html(0).into_bytes());
    assert_eq!(
        held.body
            .as_ref()
            .and_then(|b| b.sender_invoice_amount)
            .map(|n| n.0),
        Some("259.9".parse().unwrap())
    );
    let sref = reference(&created);
    assert_eq!(
        carrier
            .label(&sref, LabelFormat::Html)
            .await
            .unwrap_err()
            .code(),
        Code::UnsupportedLabelFormat,
        "no label endpoint: the label came with the create answer"
    );

    let steps = [
        (0, ShipmentStatus::Created, "1"),
        (2, ShipmentStatus::Created, "2"),
        (4, ShipmentStatus::PickedUp, "12"),
        (7, ShipmentStatus::InTransit, "13"),
        (13, ShipmentStatus::AtBranch, "14"),
        (19, ShipmentStatus::OutForDelivery, "17"),
        (21, ShipmentStatus::OutForDelivery, "18"),
        (25, ShipmentStatus::Delivered, "29"),
    ];
    let mut at = 0;
    let mut last = None;
    for (hour, status, code) in steps {
        clock.advance(hours(hour - at));
        at = hour;
        let u = carrier.track(&sref).await.unwrap();
        assert_eq!(u.status, Some(status), "at +{hour}h");
        assert_eq!(u.events.last().map(|e| e.carrier_code.as_str()), Some(code));
        assert_eq!(u.carrier_tracking_number.as_deref(), Some("884213"));
        assert_eq!(sim.status_of("KJ2400000601"), Some(status));
        assert!(u.raw.contains("CargoEventLogModelList"));
        for e in &u.events {
            assert_eq!(e.time.offset().local_minus_utc(), 3 * 3600);
            assert_eq!(e.measurement, None);
        }
        last = Some(u);
    }
    let u = last.unwrap();
    assert_eq!(u.events.len(), 8);
    assert!(u.events[7].carrier_text.contains("Deniz Koç"));
    // The delivery signature, and the event types of the account.
    let sig = carrier.document(&signature_id(884213), 4).await.unwrap();
    assert_eq!(sig, signature_pdf(884213));
    assert_eq!(
        carrier
            .document("00000000-0000-0000-0000-000000000000", 4)
            .await
            .unwrap_err()
            .carrier_code(),
        Some("500.0")
    );
    let types = carrier.event_types().await.unwrap();
    assert_eq!(types.len(), kargojet_kolaygelsin::status::EVENTS.len());
    // Delivered: the connector refuses to cancel (the carrier would start a return).
    let e = carrier.cancel(&sref).await.unwrap_err();
    assert_eq!(e.code(), Code::ShipmentInvalidState);
    assert_eq!(sim.calls("CancelPickupAndDelivery"), 0);
}

#[tokio::test]
async fn cancel_before_pickup_and_refused_after() {
    let (clock, sim, carrier) = start();
    let a = carrier
        .create(&plain_request("KJ2400000611"))
        .await
        .unwrap();
    let b = carrier
        .create(&plain_request("KJ2400000612"))
        .await
        .unwrap();
    clock.advance(Duration::from_secs(1800));
    carrier.cancel(&reference(&a)).await.unwrap();
    let sent = sim.requests_for("CancelPickupAndDelivery");
    assert_eq!(
        serde_json::from_slice::<Value>(&sent[0].body).unwrap(),
        json!({"ShipmentId": 884213, "DeliveryCancellationReason": 1})
    );
    let u = carrier.track(&reference(&a)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Cancelled));
    assert_eq!(u.events.last().map(|e| e.carrier_code.as_str()), Some("31"));
    // Cancelling again is a no-op at the connector.
    carrier.cancel(&reference(&a)).await.unwrap();
    assert_eq!(sim.calls("CancelPickupAndDelivery"), 1);
    clock.advance(hours(4));
    assert_eq!(
        sim.status_of("KJ2400000611"),
        Some(ShipmentStatus::Cancelled)
    );
    let e = carrier.cancel(&reference(&b)).await.unwrap_err();
    assert_eq!(e.code(), Code::ShipmentInvalidState);
    assert_eq!(sim.calls("CancelPickupAndDelivery"), 1);
    assert_eq!(
        sim.status_of("KJ2400000612"),
        Some(ShipmentStatus::PickedUp)
    );
}

#[tokio::test]
async fn a_stop_after_pickup_returns_the_parcel_through_its_leg() {
    let (clock, sim, carrier) = start();
    let a = carrier
        .create(&plain_request("KJ2400000621"))
        .await
        .unwrap();
    clock.advance(hours(5));
    // Kolay Gelsin itself turns a cancel after pickup into a return (raw call: the connector
    // refuses to do it).
    let http = raw_client();
    let r = http
        .send(post(
            &sim.base_url(),
            "CancelPickupAndDelivery",
            Some(&sim.connector_config().token),
            "application/json",
            br#"{"ShipmentId": "884213", "DeliveryCancellationReason": 1}"#.to_vec(),
        ))
        .await
        .unwrap();
    assert_eq!(result(&r).1, json!(200));
    let u = carrier.track(&reference(&a)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Returning));
    assert!(
        u.events
            .last()
            .unwrap()
            .carrier_text
            .contains("iade gönderisi 884214")
    );
    clock.advance(hours(25));
    let u = carrier.track(&reference(&a)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Returned));
    assert!(u.raw.contains("884214"), "the leg was tracked too");
    assert_eq!(sim.shipment_count(), 1, "the leg is Kolay Gelsin's own");
}

#[tokio::test]
async fn failed_attempts_refusals_and_losses() {
    let (clock, sim, carrier) = start();
    let a = carrier
        .create(&plain_request("KJ2400000631"))
        .await
        .unwrap();
    let b = carrier
        .create(&plain_request("KJ2400000632"))
        .await
        .unwrap();
    let c = carrier
        .create(&plain_request("KJ2400000633"))
        .await
        .unwrap();
    assert!(sim.set_scenario("KJ2400000631", Scenario::FailedAttemptThenDelivered));
    assert!(sim.set_scenario("KJ2400000632", Scenario::Refused));
    assert!(sim.set_scenario("KJ2400000633", Scenario::Lost));
    assert!(!sim.set_scenario("KJ0", Scenario::Lost));
    clock.advance(hours(24));
    let u = carrier.track(&reference(&a)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::DeliveryFailed));
    assert!(
        u.events
            .last()
            .unwrap()
            .carrier_text
            .contains("yeni teslimat tarihi")
    );
    let u = carrier.track(&reference(&b)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::DeliveryFailed));
    clock.advance(hours(7));
    assert_eq!(
        carrier.track(&reference(&b)).await.unwrap().status,
        Some(ShipmentStatus::Returning)
    );
    assert_eq!(
        carrier.track(&reference(&c)).await.unwrap().status,
        Some(ShipmentStatus::Exception)
    );
    clock.advance(hours(24));
    assert_eq!(
        carrier.track(&reference(&a)).await.unwrap().status,
        Some(ShipmentStatus::Delivered)
    );
    assert_eq!(
        carrier.track(&reference(&b)).await.unwrap().status,
        Some(ShipmentStatus::Returned)
    );
}

#[tokio::test]
async fn returns_of_delivered_shipments() {
    let (clock, sim, carrier) = start();
    let original = carrier
        .create(&plain_request("KJ2400000641"))
        .await
        .unwrap();
    let ret = ReturnRequest {
        original: reference(&original),
        shipment: plain_request("KJ2400000641").shipment,
        merchant_key: MerchantKey("KJ2400000642".into()),
    };
    // Not delivered yet: Kolay Gelsin refuses.
    let e = carrier.create_return(&ret).await.unwrap_err();
    assert_eq!(e.code(), Code::CarrierRejected);
    clock.advance(hours(25));
    let r = carrier.create_return(&ret).await.unwrap();
    assert_eq!(r.merchant_key.as_str(), "KJ2400000642");
    assert_eq!(r.carrier_tracking_number.as_deref(), Some("884214"));
    assert_eq!(
        r.carrier_refs.get("ReturnOf").map(String::as_str),
        Some("884213")
    );
    assert_eq!(r.label.as_ref().map(|l| l.format), Some(LabelFormat::Html));
    let held = sim.shipment_by_id(884214).unwrap();
    let body = held.return_body.unwrap();
    assert_eq!(body.shipment_id, Some(884213));
    assert_eq!(
        body.sender_customer
            .and_then(|s| s.customer_surname)
            .as_deref(),
        Some("Koç")
    );
    clock.advance(hours(25));
    let u = carrier.track(&reference(&r)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Delivered));
    assert_eq!(u.carrier_tracking_number.as_deref(), Some("884214"));
    // The original is unaffected.
    assert_eq!(
        carrier.track(&reference(&original)).await.unwrap().status,
        Some(ShipmentStatus::Delivered)
    );
}

#[tokio::test]
async fn several_parcels_get_their_own_barcodes_and_labels() {
    let (_clock, sim, carrier) = start();
    let mut req = plain_request("KJ2400000651");
    req.shipment.parcels.push(req.shipment.parcels[0].clone());
    let c = carrier.create(&req).await.unwrap();
    let held = sim.shipment("KJ2400000651").unwrap();
    let barcodes: Vec<_> = held
        .items
        .iter()
        .map(|i| i.barcode.clone().unwrap())
        .collect();
    assert_eq!(barcodes, ["KJ2400000651", "KJ2400000651-2"]);
    assert_eq!(
        c.carrier_refs.get("ShipmentItemIds").map(String::as_str),
        Some("1553021,1553022")
    );
    let html = String::from_utf8(c.label.clone().unwrap().bytes).unwrap();
    assert_eq!(
        html,
        format!("{}\n{}", held.label_html(0), held.label_html(1))
    );
    let u = carrier.track(&reference(&c)).await.unwrap();
    assert_eq!(u.status, Some(ShipmentStatus::Created));
}

#[tokio::test]
async fn bad_input_is_refused_before_sending() {
    let (_clock, sim, carrier) = start();
    assert_eq!(
        carrier.create(&request("KJ 1")).await.unwrap_err().field(),
        Some("merchant_key")
    );
    let mut card = request("KJ2400000661");
    if let Some(cod) = card.shipment.cod.as_mut() {
        cod.payment = kargojet_core::shipment::CodPayment::Card;
    }
    assert_eq!(
        carrier.create(&card).await.unwrap_err().code(),
        Code::UnsupportedCod
    );
    let mut cfg = sim.connector_config();
    cfg.cod_allowed = false;
    let no_cod = KolayGelsin::new(cfg).unwrap();
    assert!(!no_cod.capabilities().cod);
    assert_eq!(
        no_cod
            .create(&request("KJ2400000662"))
            .await
            .unwrap_err()
            .code(),
        Code::UnsupportedCod
    );
    assert_eq!(sim.calls("SaveIntegrationShipmentV2"), 0);
    assert_eq!(
        carrier
            .assign_merchant_key(MerchantKey("kj_24/0661".into()))
            .await
            .unwrap()
            .as_str(),
        "KJ240661"
    );
    let mut bad = sim.connector_config();
    bad.customer_id = 0;
    assert_eq!(
        KolayGelsin::new(bad).unwrap_err().code(),
        Code::RequestInvalidConfig
    );
}
