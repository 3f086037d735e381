//! Golden tests: every example of the HepsiJET notes is a fixture; requests are built from a
//! domain shipment and compared as JSON trees, answers are parsed into `<case>.expected.json`,
//! every error fixture maps to its KargoJet code and carrier code.
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_core::shipment::{LabelFormat, MerchantKey};
use kargojet_hepsijet::map::{self, Endpoint};
use kargojet_hepsijet::wire;
use serde_json::{Value, json};
use support::*;

fn key() -> MerchantKey {
    MerchantKey("KRJ2403120001".into())
}

/// The notes' example request without the keys the domain fixture cannot produce.
fn expected_built_request() -> Value {
    let mut v = fixture_json("create/example.request.json");
    let domain = fixture_json("create/example.domain.json");
    for path in domain["omitted_from_built_request"].as_array().unwrap() {
        let (obj, k) = path.as_str().unwrap().split_once('.').unwrap();
        v[obj].as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn create_request_built_from_the_domain_equals_the_notes_example() {
    let cfg = example_config("http://127.0.0.1:1");
    let (body, endpoint) =
        map::build_create(&request("KRJ2403120001"), &cfg, delivery_date()).unwrap();
    assert_eq!(endpoint, Endpoint::Standard);
    assert_eq!(
        serde_json::to_value(&body).unwrap(),
        expected_built_request()
    );
    assert_eq!(endpoint.path(), "/delivery/sendDeliveryOrderEnhanced");
    let http = fixture("create/example.request.http");
    assert!(http.starts_with(&format!("POST {} HTTP/1.1", endpoint.path())));
}

#[test]
fn over_40_desi_goes_to_the_xl_endpoint_with_tmh() {
    let cfg = example_config("http://127.0.0.1:1");
    let mut req = request("KRJ2403120001");
    req.billable_desi = "40".parse().unwrap();
    assert_eq!(
        map::build_create(&req, &cfg, delivery_date()).unwrap().1,
        Endpoint::Standard
    );
    req.billable_desi = "45.5".parse().unwrap();
    let (body, endpoint) = map::build_create(&req, &cfg, delivery_date()).unwrap();
    assert_eq!(endpoint, Endpoint::Xl);
    let mut expected = expected_built_request();
    expected["delivery"]["desi"] = json!("45.5");
    expected["serviceType"] = json!(["TMH"]);
    assert_eq!(serde_json::to_value(&body).unwrap(), expected);
}

#[test]
fn the_notes_example_request_reads_into_the_wire_types_unchanged() {
    let v = fixture_json("create/example.request.json");
    let body: wire::CreateBody = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&body).unwrap(), v);
    let misspelt = fixture("create/example.request.json")
        .replace("customerDeliveryNo", "customerDeliveryNumber");
    assert!(serde_json::from_str::<wire::CreateBody>(&misspelt).is_err());
    let numeric = fixture("create/example.request.json")
        .replace("\"totalParcels\": \"1\"", "\"totalParcels\": 1");
    assert!(serde_json::from_str::<wire::CreateBody>(&numeric).is_err());
    for (rel, check) in [
        (
            "track/example.request.json",
            serde_json::from_value::<wire::TrackBody>(fixture_json("track/example.request.json"))
                .is_ok(),
        ),
        (
            "cancel/example.request.json",
            serde_json::from_value::<wire::DeleteBody>(fixture_json("cancel/example.request.json"))
                .is_ok(),
        ),
        (
            "history/constructed.request.json",
            serde_json::from_value::<wire::HistoryBody>(fixture_json(
                "history/constructed.request.json",
            ))
            .is_ok(),
        ),
        (
            "label/pdf.request.json",
            serde_json::from_value::<wire::LabelBody>(fixture_json("label/pdf.request.json"))
                .is_ok(),
        ),
    ] {
        assert!(check, "{rel}");
    }
    let track = wire::TrackBody {
        barcodes: vec!["KRJ2403120001".into()],
        is_track_added: true,
    };
    assert_eq!(
        serde_json::to_value(track).unwrap(),
        fixture_json("track/example.request.json")
    );
    let cancel = wire::DeleteBody {
        delete_reason: wire::DELETE_REASON.into(),
    };
    assert_eq!(
        serde_json::to_value(cancel).unwrap(),
        fixture_json("cancel/example.request.json")
    );
}

#[test]
fn token_answer() {
    let t = map::parse_token(200, &fixture_bytes("token/example.response.json")).unwrap();
    assert_expected("token/example.expected.json", &json!({"token": t}));
}

#[test]
fn create_answer() {
    let c = map::parse_create(
        200,
        &fixture_bytes("create/example.response.json"),
        &key(),
        1,
        Endpoint::Standard,
    )
    .unwrap();
    assert_eq!(c.raw, fixture("create/example.response.json"));
    assert_expected("create/example.expected.json", &created_json(&c));
}

#[test]
fn track_answers() {
    for case in ["example", "ten_events", "unknown_code"] {
        let raw = fixture(&format!("track/{case}.response.json"));
        let s = map::parse_summary(200, raw.as_bytes(), &key())
            .unwrap()
            .unwrap();
        let url = s.tracking_url.clone();
        let u = map::tracking_update(s, None, raw);
        let mut v = update_json(&u);
        v["tracking_url"] = json!(url);
        assert_expected(&format!("track/{case}.expected.json"), &v);
    }
}

#[test]
fn history_answer() {
    let raw = fixture("history/constructed.response.json");
    let h = map::parse_history(200, raw.as_bytes(), &key())
        .unwrap()
        .unwrap();
    let u = map::tracking_update(map::Summary::default(), Some(h), raw);
    assert_expected("history/constructed.expected.json", &update_json(&u));
}

#[test]
fn cancel_answer() {
    assert!(map::parse_cancel(200, &fixture_bytes("cancel/example.response.json")).is_ok());
}

#[test]
fn label_answers_are_kept_as_received() {
    let pdf = map::parse_label(
        200,
        &fixture_bytes("label/pdf.response.json"),
        LabelFormat::Pdf,
    )
    .unwrap();
    assert_eq!(pdf.bytes, b"%PDF-1.4\n%%EOF\n");
    let zpl = map::parse_zpl(200, &fixture_bytes("label/zpl.response.txt")).unwrap();
    assert_eq!(zpl.bytes, fixture_bytes("label/zpl.response.txt"));
    let zpl_json = map::parse_zpl(200, &fixture_bytes("label/zpl_json.response.json")).unwrap();
    assert_eq!(zpl_json.bytes, fixture_bytes("label/zpl.response.txt"));
}

#[test]
fn every_error_fixture_maps_to_its_code() {
    let cases = fixture_json("errors/cases.json");
    for case in cases.as_array().unwrap() {
        let name = case["case"].as_str().unwrap();
        let status = case["http_status"].as_u64().unwrap() as u16;
        let body = match case.get("body_file").and_then(Value::as_str) {
            Some(f) => fixture_bytes(f),
            None => case["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        let err = match case["op"].as_str().unwrap() {
            "create" => map::parse_create(status, &body, &key(), 1, Endpoint::Standard).err(),
            "token" => map::parse_token(status, &body).err(),
            "track" => map::parse_summary(status, &body, &key()).err(),
            "cancel" => map::parse_cancel(status, &body).err(),
            "label" => map::parse_label(status, &body, LabelFormat::Pdf).err(),
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
