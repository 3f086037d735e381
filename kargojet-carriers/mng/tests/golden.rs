//! Golden tests: every example of the MNG notes is a fixture; requests are built from a domain
//! shipment and compared as JSON (or XML) trees, answers are parsed into `<case>.expected.json`,
//! every error fixture maps to its KargoJet code and carrier code.
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of, envelope};
use kargojet_carrier_common::xml::XmlCursor;
use kargojet_core::carrier::ReturnRequest;
use kargojet_core::shipment::MerchantKey;
use kargojet_core::tracking::ShipmentStatus;
use kargojet_mng::config::{LegacyConfig, MngConfig, TEST_URL};
use kargojet_mng::map::{self, cbs, legacy};
use kargojet_mng::wire::{self, LegacyCall};
use serde_json::{Value, json};
use support::*;

fn key() -> MerchantKey {
    MerchantKey("KJ2400000201".into())
}

fn config() -> MngConfig {
    MngConfig::new(TEST_URL, "3f1c...e9", "Qw8...zz", "123456789", "ApiUser!23")
}

fn legacy_config() -> LegacyConfig {
    LegacyConfig {
        url: "https://service.mngkargo.com.tr/tservis/musterisiparisnew.asmx".into(),
        username: "1234567890".into(),
        password: "ABCDEF123".into(),
        return_payment: wire::PAY_RECEIVER,
    }
}

/// The request line and header names of an `.http` fixture.
fn http_head(rel: &str) -> (String, Vec<String>) {
    let text = fixture(rel);
    let mut lines = text.lines();
    let first = lines.next().unwrap().to_string();
    let names = lines
        .filter_map(|l| l.split_once(':').map(|(n, _)| n.trim().to_string()))
        .collect();
    (first, names)
}

#[test]
fn create_order_built_from_the_domain_equals_the_notes_example() {
    let body = map::build_create(&request("KJ2400000201"), &config(), example_codes()).unwrap();
    let mut expected = fixture_json("create_order/example.request.json");
    for (path, value) in domain()["expected_overrides"].as_object().unwrap() {
        let (obj, k) = path.split_once('.').unwrap();
        expected[obj][k] = value.clone();
    }
    assert_eq!(serde_json::to_value(&body).unwrap(), expected);
    // The only difference, stated in the domain fixture.
    assert_eq!(
        fixture_json("create_order/example.request.json")["order"]["description"],
        "Sipariş 201"
    );
    let (line, headers) = http_head("create_order/example.request.http");
    assert_eq!(
        line,
        format!(
            "POST {}{} HTTP/1.1",
            wire::API_PREFIX,
            wire::PATH_CREATE_ORDER
        )
    );
    for h in [
        wire::HEADER_CLIENT_ID,
        wire::HEADER_CLIENT_SECRET,
        "Authorization",
        "Content-Type",
    ] {
        assert!(headers.iter().any(|n| n == h), "{h}");
    }
}

#[test]
fn the_notes_example_requests_read_into_the_wire_types_unchanged() {
    let v = fixture_json("create_order/example.request.json");
    let body: wire::CreateOrderBody = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), v);
    // The numbers are JSON numbers, written back exactly.
    assert!(
        serde_json::to_string(&body)
            .unwrap()
            .contains("\"codAmount\":320.5")
    );
    let text = fixture("create_order/example.request.json");
    for broken in [
        text.replace("referenceId", "referenceID"),
        text.replace("\"isCOD\"", "\"isCod\""),
        text.replace("mobilePhoneNumber", "mobilePhone"),
        text.replace("\"desi\": 2", "\"desi\": 2.5"),
        text.replace("\"paymentType\": 1,", ""),
    ] {
        assert!(serde_json::from_str::<wire::CreateOrderBody>(&broken).is_err());
    }
    let token = wire::TokenBody {
        customer_number: "123456789".into(),
        password: "ApiUser!23".into(),
        identity_type: wire::IDENTITY_TYPE_CUSTOMER,
    };
    assert_eq!(
        serde_json::to_value(&token).unwrap(),
        fixture_json("token/example.request.json")
    );
    let (line, headers) = http_head("token/example.request.http");
    assert_eq!(
        line,
        format!("POST {}{} HTTP/1.1", wire::API_PREFIX, wire::PATH_TOKEN)
    );
    assert!(headers.iter().any(|n| n == wire::HEADER_CLIENT_ID));
    assert!(headers.iter().any(|n| n == wire::HEADER_CLIENT_SECRET));
    let barcode = wire::CreateBarcodeBody {
        reference_id: "KJ2400000201".into(),
    };
    assert_eq!(
        serde_json::to_value(&barcode).unwrap(),
        fixture_json("create_barcode/example.request.json")
    );
    assert_eq!(
        fixture("create_barcode/example.request.http").trim(),
        format!("POST {}{}", wire::API_PREFIX, wire::PATH_CREATE_BARCODE)
    );
    assert_eq!(
        fixture("track/example.request.http").trim(),
        format!(
            "GET {}{}/30112345678",
            wire::API_PREFIX,
            wire::PATH_STATUS_BY_SHIPMENT_ID
        )
    );
}

#[test]
fn token_answer() {
    let t = map::parse_token(200, &fixture_bytes("token/example.response.json")).unwrap();
    assert_expected(
        "token/example.expected.json",
        &json!({"jwt": t.jwt, "expires_at": t.expires_at.map(|e| e.to_rfc3339())}),
    );
}

#[test]
fn create_answers() {
    let refs =
        map::parse_create_order(200, &fixture_bytes("create_order/example.response.json")).unwrap();
    assert_expected("create_order/example.expected.json", &json!(refs));
    let c = map::parse_create_barcode(
        200,
        &fixture_bytes("create_barcode/example.response.json"),
        &key(),
    )
    .unwrap();
    assert_eq!(c.raw, fixture("create_barcode/example.response.json"));
    // The label is the ZPL exactly as received.
    assert_eq!(
        c.label.as_ref().unwrap().bytes,
        b"^XA^FO40,40^BCN,120,Y,N^FD30112345678^FS^XZ"
    );
    assert_expected("create_barcode/example.expected.json", &created_json(&c));
}

#[test]
fn track_answers() {
    for (case, shipment_id) in [
        ("example", Some("30112345678")),
        ("constructed", None),
        ("unknown_code", Some("30112345678")),
    ] {
        let raw = fixture(&format!("track/{case}.response.json"));
        let r = map::parse_status(200, raw.as_bytes(), &key(), shipment_id)
            .unwrap()
            .unwrap();
        let url = r.tracking_url.clone();
        let u = map::tracking_update(Some(r), raw.clone());
        assert_eq!(u.raw, raw);
        let mut v = update_json(&u);
        v["tracking_url"] = json!(url);
        assert_expected(&format!("track/{case}.expected.json"), &v);
    }
    let none = map::parse_status(
        404,
        &fixture_bytes("track/not_trackable.response.json"),
        &key(),
        None,
    )
    .unwrap();
    assert_eq!(none, None);
    let u = map::tracking_update(none, String::new());
    assert_eq!((u.status, u.events.len()), (None, 0));
}

#[test]
fn cbs_lists_match_kargojet_names() {
    let cities =
        cbs::parse_list(200, &fixture_bytes("cbs/cities.constructed.response.json")).unwrap();
    let districts = cbs::parse_list(
        200,
        &fixture_bytes("cbs/districts.constructed.response.json"),
    )
    .unwrap();
    let r = request("KJ2400000201").shipment.recipient;
    assert_eq!(
        cbs::city_code(&cities, &r.address, "recipient.address").unwrap(),
        35
    );
    assert_eq!(
        cbs::district_code(&districts, &r.address, "recipient.address").unwrap(),
        1819
    );
}

/// An XML element as a JSON tree: name, default namespace, children or text.
fn tree(xml: &str) -> Value {
    fn walk<'a>(cur: &mut XmlCursor<'a>, el: &kargojet_carrier_common::xml::Element<'a>) -> Value {
        let mut probe = XmlCursor::new(&cur.source()[el.offset()..]);
        let first = probe.next_element().unwrap().unwrap();
        let text = probe.text_trimmed(&first).unwrap().into_owned();
        let mut children = Vec::new();
        while let Some(c) = cur.next_child(el).unwrap() {
            children.push(walk(cur, &c));
        }
        let text = if children.is_empty() {
            text
        } else {
            String::new()
        };
        json!({"name": el.local_name(), "ns": el.attr("xmlns"), "children": children, "text": text})
    }
    let mut cur = XmlCursor::new(xml);
    let root = cur.next_element().unwrap().unwrap();
    walk(&mut cur, &root)
}

#[test]
fn legacy_requests_and_answers_follow_the_notes_example() {
    let example = fixture("cancel/legacy_c2c.request.xml");
    let SoapBody::Payload { inner_xml, .. } = body_of(&example).unwrap() else {
        panic!("payload")
    };
    let ours = LegacyCall {
        op: "SiparisIptali_C2C",
        params: vec![
            ("pKullaniciAdi", "1234567890".into()),
            ("pSifre", "ABCDEF123".into()),
            ("pSiparisNo", "KJ2400000201".into()),
        ],
    };
    let env = envelope(SoapVersion::V11, None, &ours.to_xml());
    let SoapBody::Payload {
        inner_xml: built, ..
    } = body_of(&env).unwrap()
    else {
        panic!("payload")
    };
    assert_eq!(tree(built), tree(inner_xml));
    // The key calls of future returns have exactly that shape.
    let cancel = legacy::key_call(wire::OP_RETURN_CANCEL, &key(), &legacy_config()).unwrap();
    assert_eq!(
        cancel.params.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        wire::RETURN_KEY_PARAMS
    );
    // The example answer (a bare element in the notes) inside an envelope.
    let answer = envelope(
        SoapVersion::V11,
        None,
        &fixture("cancel/legacy_c2c.response.xml"),
    );
    let result = legacy::result_text(200, answer.as_bytes(), "SiparisIptali_C2C").unwrap();
    assert_eq!(result, "1");
    assert!(legacy::check_ok(&result).is_ok());
}

#[test]
fn return_call_built_from_the_domain() {
    let original = request("KJ2400000201");
    let ret = ReturnRequest {
        original: kargojet_core::carrier::ShipmentRef {
            merchant_key: original.merchant_key.clone(),
            carrier_tracking_number: Some("30112345678".into()),
            carrier_refs: Default::default(),
            account: original.account.clone(),
        },
        shipment: original.shipment.clone(),
        merchant_key: MerchantKey("KJ24R0000201".into()),
    };
    let call = legacy::build_return(&ret, &legacy_config()).unwrap();
    assert_eq!(call.op, "GelecekIadeSiparisKayit");
    let names: Vec<&str> = call.params.iter().map(|(n, _)| *n).collect();
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| wire::RETURN_CREATE_PARAMS.iter().position(|p| p == n));
    assert_eq!(names, sorted, "the carrier sample's order");
    let params: serde_json::Map<String, Value> = call
        .params
        .iter()
        .map(|(n, v)| (n.to_string(), json!(v)))
        .collect();
    assert_expected(
        "return/example.expected.json",
        &json!({"op": call.op, "params": params}),
    );
    let status = legacy::parse_status(
        200,
        &fixture_bytes("return/constructed.status.response.xml"),
    )
    .unwrap()
    .unwrap();
    assert_eq!(status.status, Some(ShipmentStatus::PickedUp));
    assert_eq!(
        status.event.map(|e| e.time.to_rfc3339()).as_deref(),
        Some("2024-03-14T10:15:00+03:00")
    );
}

#[test]
fn every_error_fixture_maps_to_its_code() {
    let cases = fixture_json("errors/cases.json");
    for case in cases.as_array().unwrap() {
        let name = case["case"].as_str().unwrap();
        let status = case["http_status"].as_u64().unwrap() as u16;
        let body = case["body"].as_str().unwrap().as_bytes().to_vec();
        let err = match case["op"].as_str().unwrap() {
            "token" => map::parse_token(status, &body).err(),
            "create_order" => map::parse_create_order(status, &body).err(),
            "create_barcode" => map::parse_create_barcode(status, &body, &key()).err(),
            "track" => map::parse_status(status, &body, &key(), None).err(),
            "cancel" => map::parse_cancel(status, &body).err(),
            "cbs" => cbs::parse_list(status, &body).err(),
            "legacy" => legacy::result_text(status, &body, "GelecekIadeSiparisKayit")
                .and_then(|r| legacy::check_ok(&r))
                .err(),
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
        assert!(!err.message_tr().is_empty() && !err.message_en().is_empty());
    }
}
