//! Golden tests: every example of the Kolay Gelsin notes is a fixture; requests are built from a
//! domain shipment and compared with them as JSON trees, answers are parsed into
//! `<case>.expected.json`, every error fixture maps to its KargoJet code and carrier code.
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_core::carrier::{AccountId, ReturnRequest, ShipmentRef};
use kargojet_core::shipment::MerchantKey;
use kargojet_kolaygelsin::config::{KolayGelsinConfig, PackageType, PayingParty, TEST_URL};
use kargojet_kolaygelsin::map::{self, TrackBy};
use kargojet_kolaygelsin::{webhook, wire};
use serde_json::{Value, json};
use support::*;

fn key() -> MerchantKey {
    MerchantKey("KJ2400000601".into())
}

/// The notes' example account.
fn example_config() -> KolayGelsinConfig {
    KolayGelsinConfig {
        base_url: TEST_URL.into(),
        token: "eyJ0eXAiOiJKV1QiLCJhbGciOi...".into(),
        customer_id: 20,
        address_id: 28,
        package_type: PackageType::Parcel,
        paying_party: PayingParty::Sender,
        sender_brand: None,
        cod_allowed: true,
        save_out_of_coverage: false,
        http: kargojet_carrier_common::http::HttpConfig::fast(),
    }
}

#[test]
fn create_request_built_from_the_domain_equals_the_notes_example() {
    let cfg = example_config();
    let body = map::build_create(&request("KJ2400000601"), &cfg).unwrap();
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        fixture_json("create/example.request.json")
    );
    let http = fixture("create/example.request.http");
    let first = http.lines().next().unwrap();
    assert_eq!(
        first,
        format!("POST /api/request/{} HTTP/1.1", wire::METHOD_CREATE)
    );
    assert!(http.contains(&format!("Authorization: Bearer {}", cfg.token)));
    assert!(http.contains("Content-Type: application/json"));
    assert_eq!(
        cfg.url(wire::METHOD_CREATE),
        "https://apiintg.klyglsn.com/api/request/SaveIntegrationShipmentV2"
    );
}

#[test]
fn personal_data_of_the_create_body_is_masked_in_logs() {
    use kargojet_carrier_common::capture::{DEFAULT_SENSITIVE, mask_xml_and_json};
    let mut req = request("KJ2400000601");
    req.shipment.recipient.tax_id = Some("38203873510".into());
    let body = map::build_create(&req, &example_config()).unwrap();
    assert_eq!(
        body.recipient
            .as_ref()
            .and_then(|r| r.recipient_identity_number.as_deref()),
        Some("38203873510")
    );
    let logged = mask_xml_and_json(&serde_json::to_string(&body).unwrap(), DEFAULT_SENSITIVE);
    for secret in [
        "38203873510",
        "Deniz",
        "Koç",
        "5334445566",
        "deniz@example.com",
        "Hamam",
    ] {
        assert!(!logged.contains(secret), "{secret} in {logged}");
    }
    assert!(
        logged.contains("KJ2400000601"),
        "the barcode stays readable"
    );
}

#[test]
fn options_change_only_their_keys() {
    let mut cfg = example_config();
    cfg.sender_brand = Some("KargoJet".into());
    cfg.save_out_of_coverage = true;
    cfg.package_type = PackageType::Document;
    let mut req = request("KJ2400000601");
    req.service = Some("SAMEDAY".into());
    req.shipment.parcels.push(req.shipment.parcels[0].clone());
    let v = serde_json::to_value(map::build_create(&req, &cfg).unwrap()).unwrap();
    let mut expected = fixture_json("create/example.request.json");
    expected["SenderBrand"] = json!("KargoJet");
    expected["Recipient"]["SaveOutOfCoverage"] = json!(true);
    expected["PackageType"] = json!(1);
    expected["ProductCodeList"] = json!(["SAMEDAY"]);
    let mut second = expected["ShipmentItemList"][0].clone();
    second["CustomerBarcode"] = json!("KJ2400000601-2");
    expected["ShipmentItemList"]
        .as_array_mut()
        .unwrap()
        .push(second);
    assert_eq!(v, expected);
    req.service = Some("EXPRESS".into());
    assert_eq!(
        map::build_create(&req, &cfg).unwrap_err().field(),
        Some("service")
    );
}

#[test]
fn the_notes_requests_read_into_the_wire_types_unchanged() {
    let v = fixture_json("create/example.request.json");
    let body: wire::CreateBody = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), v);
    let misspelt =
        fixture("create/example.request.json").replace("CustomerBarcode", "CustomerBarCode");
    assert!(serde_json::from_str::<wire::CreateBody>(&misspelt).is_err());

    let track: wire::TrackBody =
        serde_json::from_value(fixture_json("track/example.request.json")).unwrap();
    assert_eq!(
        serde_json::to_value(&track).unwrap(),
        fixture_json("track/example.request.json")
    );
    assert_eq!(
        serde_json::to_value(map::track_body(
            &TrackBy::CustomerSpecificCode("SIP-601".into()),
            false
        ))
        .unwrap(),
        fixture_json("track/example.request.json")
    );
    let cancel: wire::CancelBody =
        serde_json::from_value(fixture_json("cancel/example.request.json")).unwrap();
    assert_eq!(cancel, map::cancel_body("884213").unwrap());
    assert_eq!(
        serde_json::to_value(map::cancel_body("884213").unwrap()).unwrap(),
        fixture_json("cancel/example.request.json")
    );
    // The carrier's own return example (BuldingName typo and CityName included) reads too.
    let ret: wire::ReturnBody =
        serde_json::from_value(fixture_json("return/doc_example.request.json")).unwrap();
    let sender = ret.sender_customer.unwrap();
    assert_eq!(sender.customer_name.as_deref(), Some("iade"));
    assert_eq!(
        sender.address.and_then(|a| a.city_name).as_deref(),
        Some("İstanbul")
    );
    assert_eq!(ret.shipment_item_list.map(|l| l.len()), Some(2));
}

#[test]
fn return_request_is_built_from_the_original() {
    let original = request("KJ2400000601");
    let ret = ReturnRequest {
        original: ShipmentRef {
            merchant_key: key(),
            carrier_tracking_number: Some("884213".into()),
            carrier_refs: Default::default(),
            account: AccountId::platform(),
        },
        shipment: original.shipment,
        merchant_key: MerchantKey("KJ2400000602".into()),
    };
    let body = map::build_return(&ret, &example_config()).unwrap();
    assert_expected(
        "return/built.expected.json",
        &serde_json::to_value(&body).unwrap(),
    );
}

#[test]
fn create_answer() {
    let c = map::parse_create(200, &fixture_bytes("create/example.response.json"), &key()).unwrap();
    assert_eq!(c.raw, fixture("create/example.response.json"));
    assert_eq!(
        c.label.as_ref().map(|l| l.bytes.clone()),
        Some("<html><body>…</body></html>".as_bytes().to_vec()),
        "the HTML label exactly as received"
    );
    assert_expected("create/example.expected.json", &created_json(&c));
}

#[test]
fn track_answers() {
    for case in ["example", "ten_events", "unknown_code"] {
        let raw = fixture(&format!("track/{case}.response.json"));
        let t = map::parse_track(200, raw.as_bytes(), &key(), None)
            .unwrap()
            .unwrap();
        let by_id = map::parse_track(200, raw.as_bytes(), &key(), Some("884213"))
            .unwrap()
            .unwrap();
        assert_eq!(t, by_id, "{case}");
        let u = map::tracking_update(t, raw);
        assert_expected(&format!("track/{case}.expected.json"), &update_json(&u));
    }
}

#[test]
fn cancel_event_type_and_document_answers() {
    assert!(map::parse_cancel(200, &fixture_bytes("cancel/example.response.json")).is_ok());
    let types =
        map::parse_event_types(200, &fixture_bytes("event_types/constructed.response.json"))
            .unwrap();
    assert_eq!(types.len(), 3);
    assert_eq!(types[2], ("29".into(), "Gönderi teslim edildi".into()));
    let doc =
        map::parse_document(200, &fixture_bytes("document/constructed.response.json")).unwrap();
    assert_eq!(doc, b"%PDF-1.4\n%%EOF\n");
}

#[test]
fn webhook_bodies() {
    for case in ["doc_example", "schema_array"] {
        let events = webhook::parse(&fixture_bytes(&format!("webhook/{case}.json"))).unwrap();
        let v: Vec<Value> = events
            .iter()
            .map(|p| {
                json!({
                    "event_id": p.event_id,
                    "customer_barcode": p.customer_barcode,
                    "shipment_id": p.shipment_id,
                    "shipment_item_id": p.shipment_item_id,
                    "customer_specific_code": p.customer_specific_code,
                    "customer_tracking_id": p.customer_tracking_id,
                    "document": p.document,
                    "event": p.event,
                })
            })
            .collect();
        assert_expected(&format!("webhook/{case}.expected.json"), &Value::Array(v));
    }
    // A pushed event equals the same event polled: the history recognises it.
    let pushed = webhook::parse(&fixture_bytes("webhook/schema_array.json")).unwrap();
    let polled = map::parse_track(
        200,
        &fixture_bytes("track/example.response.json"),
        &key(),
        None,
    )
    .unwrap()
    .unwrap();
    for p in &pushed {
        assert!(polled.events.contains(&p.event), "{:?}", p.event);
    }
}

#[test]
fn every_error_fixture_maps_to_its_code() {
    let cases = fixture_json("errors/cases.json");
    let mut documented = 0;
    for case in cases.as_array().unwrap() {
        let name = case["case"].as_str().unwrap();
        let status = case["http_status"].as_u64().unwrap() as u16;
        let body = match case.get("body_file").and_then(Value::as_str) {
            Some(f) => fixture_bytes(f),
            None => case["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        let err = match case["op"].as_str().unwrap() {
            "create" => map::parse_create(status, &body, &key()).err(),
            "track" => map::parse_track(status, &body, &key(), None).err(),
            "cancel" => map::parse_cancel(status, &body).err(),
            other => panic!("unknown op {other}"),
        }
        .unwrap_or_else(|| panic!("{name}: no error"));
        assert_eq!(
            err.code().as_str(),
            case["code"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(err.carrier_code(), case["carrier_code"].as_str(), "{name}");
        if err.code().as_str() == "protocol.malformed" {
            assert_eq!(
                err.raw().map(str::as_bytes),
                Some(body.as_slice()),
                "{name}: raw body kept"
            );
        }
        if case["documented"].as_bool() == Some(true) && err.carrier_code().is_some() {
            documented += 1;
            let message: Value = serde_json::from_slice(&body).unwrap();
            let message = message["ResultMessage"].as_str().unwrap();
            assert!(
                kargojet_kolaygelsin::error::known(err.carrier_code().unwrap(), message).is_some(),
                "{name} is in the KNOWN table"
            );
        }
        assert!(!err.message_tr().is_empty() && !err.message_en().is_empty());
    }
    assert!(documented >= kargojet_kolaygelsin::error::KNOWN.len());
}
