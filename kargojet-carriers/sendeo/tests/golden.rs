//! Golden tests: every example of the Sendeo notes is a fixture (copied verbatim); requests are
//! built from a domain shipment and compared as JSON trees, answers are parsed into
//! `<case>.expected.json`, every error fixture maps to its KargoJet code, carrier code and send
//! state.
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_core::carrier::ReferenceLookup;
use kargojet_core::geo::Plate;
use kargojet_core::parcel::Parcel;
use kargojet_core::shipment::{LabelFormat, MerchantKey};
use kargojet_sendeo::map;
use kargojet_sendeo::wire::{self, SetDeliveryBody, lower_keys};
use serde_json::{Value, json};
use support::*;

fn key() -> MerchantKey {
    MerchantKey("KJ2400000701".into())
}

/// The request line of an `.http` fixture: (method, path with query).
fn request_line(rel: &str) -> (String, String) {
    let text = fixture(rel);
    let first: Vec<&str> = text.lines().next().unwrap().split(' ').collect();
    (first[0].to_string(), first[1].to_string())
}

/// Sets `v[a][b]…` (numeric parts index arrays).
fn set_path(v: &mut Value, path: &str, to: Value) {
    let mut cur = v;
    for part in path.split('.') {
        cur = match part.parse::<usize>() {
            Ok(i) => &mut cur[i],
            Err(_) => &mut cur[part],
        };
    }
    *cur = to;
}

#[test]
fn create_request_built_from_the_domain_equals_the_notes_example() {
    let cfg = example_config("http://127.0.0.1:1");
    let body = map::build_create(&request("KJ2400000701"), &cfg, &codes()).unwrap();
    let mut expected = fixture_json("create/example.request.json");
    for d in fixture_json("create/example.domain.json")["differs_from_example"]
        .as_array()
        .unwrap()
    {
        set_path(
            &mut expected,
            d["path"].as_str().unwrap(),
            d["built"].clone(),
        );
    }
    assert_eq!(
        numeric(serde_json::to_value(&body).unwrap()),
        numeric(expected)
    );
    assert_eq!(
        request_line("create/example.request.http"),
        ("POST".to_string(), wire::PATH_CREATE.to_string())
    );
    assert!(fixture("create/example.request.http").contains("Content-Type: application/json"));
}

#[test]
fn the_notes_example_requests_read_into_the_wire_types_unchanged() {
    let v = fixture_json("create/example.request.json");
    let body: SetDeliveryBody = serde_json::from_value(lower_keys(v.clone())).unwrap();
    assert_eq!(
        numeric(serde_json::to_value(&body).unwrap()),
        numeric(v),
        "round trip"
    );
    assert_eq!(body.products.as_ref().unwrap()[0].weigth, Some(2));
    // Keys are read case-insensitively, as Sendeo does …
    let camel = fixture("create/example.request.json")
        .replace("\"DeliveryType\"", "\"deliveryType\"")
        .replace("\"ReceiverCityId\"", "\"receiverCityID\"");
    let camel: SetDeliveryBody =
        serde_json::from_value(lower_keys(serde_json::from_str(&camel).unwrap())).unwrap();
    assert_eq!(camel, body);
    // … but a misspelt one is refused: `weight` is not the wire's `weigth`.
    for misspelt in [
        fixture("create/example.request.json").replace("\"weigth\"", "\"weight\""),
        fixture("create/example.request.json").replace("\"ReferenceNo\"", "\"ReferenceNumber\""),
    ] {
        let v = lower_keys(serde_json::from_str(&misspelt).unwrap());
        assert!(serde_json::from_value::<SetDeliveryBody>(v).is_err());
    }
    let login = fixture_json("login/example.request.json");
    let cfg = example_config("http://127.0.0.1:1");
    assert_eq!(serde_json::to_value(map::login_body(&cfg)).unwrap(), login);
    assert_eq!(
        request_line("login/example.request.http"),
        ("POST".to_string(), wire::PATH_LOGIN.to_string())
    );
    assert_eq!(
        request_line("track/example.request.http"),
        (
            "GET".to_string(),
            format!(
                "{}?referenceNo={}",
                wire::PATH_TRACK,
                wire::query_value(key().as_str())
            )
        )
    );
    assert_eq!(
        request_line("districts/ankara.request.http").1,
        format!("{}?CityName=Ankara", wire::PATH_CITY_DISTRICTS)
    );
}

#[test]
fn login_answer() {
    let t = map::parse_token(200, &fixture_bytes("login/example.response.json")).unwrap();
    assert_eq!(t.token, "eyJhbGciOiJIUzI1NiJ9...");
    assert_eq!(t.customer_id.as_deref(), Some("111111"));
}

#[test]
fn create_answers() {
    for (case, parcels) in [("example", 1), ("two_parcels", 2)] {
        let rel = format!("create/{case}.response.json");
        let key = if case == "example" {
            key()
        } else {
            MerchantKey("KJ2400000702".into())
        };
        let c = map::parse_create(200, &fixture_bytes(&rel), &key, parcels).unwrap();
        assert_eq!(c.raw, fixture(&rel));
        assert_expected(&format!("create/{case}.expected.json"), &created_json(&c));
    }
}

#[test]
fn track_answers() {
    for case in ["example", "ten_events", "unknown_code", "returned"] {
        let raw = fixture(&format!("track/{case}.response.json"));
        let u = map::parse_track(200, raw.as_bytes()).unwrap();
        assert_eq!(u.raw, raw);
        assert_expected(&format!("track/{case}.expected.json"), &update_json(&u));
    }
}

#[test]
fn lookup_answers() {
    match map::parse_lookup(200, &fixture_bytes("track/example.response.json"), &key()).unwrap() {
        ReferenceLookup::Found(c) => {
            assert_eq!(c.carrier_tracking_number.as_deref(), Some("9124356789047"));
            assert_eq!(c.carrier_refs.get("parcels").map(String::as_str), Some("1"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        map::parse_lookup(500, &fixture_bytes("track/not_found.response.json"), &key()).unwrap(),
        ReferenceLookup::NotFound
    );
}

#[test]
fn cancel_answers() {
    assert!(map::parse_cancel(200, &fixture_bytes("cancel/example.response.json")).is_ok());
    let e =
        map::parse_cancel(500, &fixture_bytes("cancel/already_sent.response.json")).unwrap_err();
    assert_eq!(e.carrier_code(), Some("703"));
}

#[test]
fn label_requests_and_answers_are_kept_as_received() {
    for (rel, format) in [
        ("label/zpl.request.json", LabelFormat::Zpl),
        ("label/pdf.request.json", LabelFormat::Pdf),
    ] {
        let body = wire::BarcodeBody {
            barcode_label_type: Some(map::label_type_for(format, 1).unwrap()),
            reference_no: Some(key().as_str().to_string()),
        };
        assert_eq!(
            serde_json::to_value(body).unwrap(),
            fixture_json(rel),
            "{rel}"
        );
    }
    let zpl = map::parse_label(
        200,
        &fixture_bytes("label/zpl.response.json"),
        LabelFormat::Zpl,
    )
    .unwrap();
    assert_eq!(
        zpl.bytes,
        b"^XA^FO40,40^BCN,120,Y,N^FD9124356789047001^FS^XZ"
    );
    let pdf = map::parse_label(
        200,
        &fixture_bytes("label/pdf.response.json"),
        LabelFormat::Pdf,
    )
    .unwrap();
    assert_eq!(pdf.bytes, fixture_bytes("label/pdf.document.pdf"));
    let from_create = map::parse_create(
        200,
        &fixture_bytes("create/example.response.json"),
        &key(),
        1,
    )
    .unwrap()
    .label
    .unwrap();
    assert_eq!(
        from_create.bytes, zpl.bytes,
        "create and GETBARCODE give the same ZPL"
    );
}

#[test]
fn district_answer_matches_official_names() {
    let ankara = Plate::new(6).unwrap();
    let codes = map::parse_districts(
        200,
        &fixture_bytes("districts/ankara.response.json"),
        ankara,
    )
    .unwrap();
    assert_eq!(codes.len(), 5);
    assert_eq!(codes.city_id, 6);
    for (name, id) in [
        ("Çankaya", 6101),
        ("Yenimahalle", 6525),
        ("sincan", 6520),
        ("KEÇİÖREN", 6513),
        ("Altindag", 6503),
    ] {
        assert_eq!(codes.district_id(name), Some(id), "{name}");
    }
    assert_eq!(codes.district_id("Polatlı"), None);
}

#[test]
fn measurement_request_and_answer() {
    let p = Parcel::new(
        "30".parse().unwrap(),
        "20".parse().unwrap(),
        "15".parse().unwrap(),
        "2".parse().unwrap(),
    );
    let body = map::measurement_body(&key(), &[p]).unwrap();
    assert_eq!(
        numeric(serde_json::to_value(body).unwrap()),
        numeric(fixture_json("measurement/example.request.json"))
    );
    assert!(
        map::parse_measurement(200, &fixture_bytes("measurement/example.response.json")).is_ok()
    );
}

#[test]
fn every_error_fixture_maps_to_its_code_and_send_state() {
    let cases = fixture_json("errors/cases.json");
    assert!(cases.as_array().unwrap().len() >= 30);
    for case in cases.as_array().unwrap() {
        let name = case["case"].as_str().unwrap();
        let status = case["http_status"].as_u64().unwrap() as u16;
        let body = match case.get("body_file").and_then(Value::as_str) {
            Some(f) => fixture_bytes(f),
            None => case["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        let err = match case["op"].as_str().unwrap() {
            "create" => map::parse_create(status, &body, &key(), 1).err(),
            "login" => map::parse_token(status, &body).err(),
            "track" => map::parse_track(status, &body).err(),
            "cancel" => map::parse_cancel(status, &body).err(),
            "label" => map::parse_label(status, &body, LabelFormat::Zpl).err(),
            other => panic!("unknown op {other}"),
        }
        .unwrap_or_else(|| panic!("{name}: no error"));
        assert_eq!(
            err.code().as_str(),
            case["code"].as_str().unwrap(),
            "{name}"
        );
        assert_eq!(err.carrier_code(), case["carrier_code"].as_str(), "{name}");
        let state = err.send_state().map(|s| serde_json::to_value(s).unwrap());
        assert_eq!(state.unwrap_or(Value::Null), case["send_state"], "{name}");
        assert_eq!(json!(err.is_retryable()), case["retryable"], "{name}");
        assert_eq!(json!(err.is_maybe_sent()), case["maybe_sent"], "{name}");
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
