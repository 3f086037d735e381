//! Golden tests: every example of the Sürat notes is a fixture; requests built from domain
//! shipments equal the fixture requests as XML trees, responses parse into `<case>.expected.json`,
//! and every documented error code maps to its KargoJet code.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of, envelope};
use kargojet_core::carrier::{AccountId, CreateRequest, TrackingUpdate};
use kargojet_core::shipment::{MerchantKey, ShipmentDraft};
use kargojet_surat::map::{self, CreateReply, TrackingReply};
use kargojet_surat::wire::{self, Operation};
use serde_json::Value;
use support::{fixture, fixture_json, http_parts, tree};

fn key() -> MerchantKey {
    MerchantKey("KJ2400000401".into())
}

fn payload_of(env: &str) -> String {
    match body_of(env).expect("envelope") {
        SoapBody::Payload { inner_xml, .. } => inner_xml.to_string(),
        SoapBody::Fault(f) => panic!("fault {f:?}"),
    }
}

fn create_request() -> CreateRequest {
    let d = fixture_json("create/example.domain.json");
    let draft: ShipmentDraft = serde_json::from_value(d["draft"].clone()).expect("draft");
    let shipment = draft.validate().expect("valid draft");
    CreateRequest {
        shipment,
        merchant_key: MerchantKey(d["merchant_key"].as_str().unwrap().into()),
        account: AccountId::platform(),
        service: None,
        billable_desi: 2.into(),
        attempt: 0,
    }
}

#[test]
fn create_request_equals_the_notes_example() {
    let (line, headers, body) = http_parts(&fixture("create/example.request.http"));
    let op = Operation::Create;
    assert_eq!(line, format!("POST {} HTTP/1.1", wire::SOAP_PATH));
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        header("SOAPAction"),
        SoapVersion::V11.soap_action_header(&op.action())
    );
    assert_eq!(
        header("Content-Type").as_deref(),
        Some(SoapVersion::V11.content_type(None).as_str())
    );

    let built = map::create_body(
        op,
        "1038106246",
        "123456",
        map::gonderi_for(&create_request()).expect("gonderi"),
    )
    .expect("body");
    let ours = payload_of(&envelope(SoapVersion::V11, None, &built));
    assert_eq!(tree(&ours), tree(&payload_of(&body)));
}

#[test]
fn a_changed_field_breaks_the_tree_comparison() {
    let (_, _, body) = http_parts(&fixture("create/example.request.http"));
    let mut g = map::gonderi_for(&create_request()).expect("gonderi");
    g.BirimDesi = "3".into();
    let built = map::create_body(Operation::Create, "1038106246", "123456", g).expect("body");
    assert_ne!(tree(&built), tree(&payload_of(&body)));
}

#[test]
fn create_response_parses() {
    let raw = fixture("create/example.response.xml");
    let expected = fixture_json("create/example.expected.json");
    let CreateReply::Created(c) = map::parse_create(&raw, &key()).expect("created") else {
        panic!("duplicate")
    };
    assert_eq!(c.merchant_key.as_str(), expected["merchant_key"]);
    assert_eq!(
        c.carrier_tracking_number
            .map(Value::from)
            .unwrap_or(Value::Null),
        expected["carrier_tracking_number"]
    );
    assert!(c.label.is_none() && expected["label"].is_null());
    assert_eq!(c.raw, raw);
}

#[test]
fn barcode_create_response_parses_with_zpl_as_received() {
    let raw = fixture("create_barcode/example.response.xml");
    let expected = fixture_json("create_barcode/example.expected.json");
    let CreateReply::Created(c) = map::parse_create_with_barcode(&raw, &key()).expect("created")
    else {
        panic!("duplicate")
    };
    assert_eq!(
        c.carrier_tracking_number.as_deref(),
        expected["carrier_tracking_number"].as_str()
    );
    let label = c.label.expect("label");
    assert_eq!(
        serde_json::to_value(label.format).unwrap(),
        expected["label"]["format"]
    );
    assert_eq!(
        String::from_utf8(label.bytes).unwrap(),
        expected["label"]["text"].as_str().unwrap()
    );
    // Inside an envelope too.
    let env = envelope(SoapVersion::V11, None, raw.trim());
    assert!(matches!(
        map::parse_create_with_barcode(&env, &key()),
        Ok(CreateReply::Created(_))
    ));
}

#[test]
fn barcode_create_refusal_is_rejected_with_is_error() {
    let raw = fixture("create_barcode/not_authorized.response.xml");
    let e = map::parse_create_with_barcode(&raw, &key()).expect_err("refused");
    assert_eq!(e.code().as_str(), "carrier.rejected");
    assert_eq!(e.carrier_code(), Some("isError"));
}

#[test]
fn cancel_request_and_response() {
    let d = fixture_json("cancel/example.domain.json");
    let s = |k: &str| d[k].as_str().unwrap().to_string();
    let built = map::cancel_body(
        &s("cari_kodu"),
        &s("sifre"),
        &MerchantKey(s("merchant_key")),
        &s("reason"),
    )
    .expect("body");
    assert_eq!(tree(&built), tree(&fixture("cancel/example.request.xml")));
    assert_eq!(fixture_json("cancel/example.expected.json")["ok"], true);
    assert!(map::parse_cancel(&fixture("cancel/example.response.xml")).is_ok());
}

#[test]
fn tracking_request_equals_the_notes_example() {
    let d = fixture_json("track/example.domain.json");
    let s = |k: &str| d[k].as_str().unwrap().to_string();
    let (line, headers, body) = http_parts(&fixture("track/example.request.http"));
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.clone())
    };
    let url = map::tracking_url(
        &s("base_url"),
        &s("cari_kodu"),
        &s("web_sifre"),
        &MerchantKey(s("merchant_key")),
    );
    let host = header("Host").expect("host");
    let path_and_query = url
        .strip_prefix(&format!("https://{host}"))
        .expect("same host");
    assert_eq!(line, format!("POST {path_and_query} HTTP/1.1"));
    assert_eq!(header("Accept").as_deref(), Some("application/json"));
    assert_eq!(header("Content-Length").as_deref(), Some("0"));
    assert!(body.trim().is_empty());
}

fn expected_update(rel: &str, raw: &str) -> TrackingUpdate {
    let mut v = fixture_json(rel);
    v["raw"] = Value::from(raw);
    serde_json::from_value(v).expect("expected update")
}

fn found(reply: TrackingReply) -> TrackingUpdate {
    match reply {
        TrackingReply::Found(u) => u,
        other => panic!("not found: {other:?}"),
    }
}

#[test]
fn tracking_responses_parse_into_expected_updates() {
    for case in ["example", "ten_events", "unknown_code"] {
        let raw = fixture(&format!("track/{case}.response.json"));
        let k = MerchantKey(
            if case == "unknown_code" {
                "KJ2400000402"
            } else {
                "KJ2400000401"
            }
            .into(),
        );
        let got = found(map::parse_tracking(&raw, &k).expect(case));
        assert_eq!(
            got,
            expected_update(&format!("track/{case}.expected.json"), &raw),
            "{case}"
        );
    }
}

#[test]
fn soap_tracking_carries_the_same_json() {
    let raw = fixture("track_soap/example.response.xml");
    let got = found(map::parse_tracking_soap(&raw, &key()).expect("soap"));
    assert_eq!(
        got,
        expected_update("track_soap/example.expected.json", &raw)
    );
}

#[test]
fn awaiting_acceptance_and_cancelled_are_recognized() {
    let raw = fixture("track/awaiting.response.json");
    assert_eq!(
        fixture_json("track/awaiting.expected.json")["reply"],
        "awaiting_acceptance"
    );
    assert!(
        matches!(map::parse_tracking(&raw, &key()), Ok(TrackingReply::AwaitingAcceptance { raw: r, .. }) if r == raw)
    );
    let raw = fixture("track/cancelled.response.json");
    assert_eq!(
        fixture_json("track/cancelled.expected.json")["reply"],
        "cancelled"
    );
    assert!(matches!(
        map::parse_tracking(&raw, &key()),
        Ok(TrackingReply::Cancelled { .. })
    ));
}

fn check(case: &Value, result: Result<(), kargojet_core::Error>) {
    let label = case.to_string();
    match (case["code"].as_str().unwrap(), result) {
        ("ok", Ok(())) => {}
        ("ok", Err(e)) => panic!("{label}: {e}"),
        (_, Ok(())) => panic!("{label}: accepted"),
        (code, Err(e)) => {
            assert_eq!(e.code().as_str(), code, "{label}");
            assert_eq!(e.carrier_code(), case["carrier_code"].as_str(), "{label}");
            if code == "protocol.malformed" {
                assert!(e.raw().is_some(), "{label}: raw kept");
            }
        }
    }
}

#[test]
fn every_create_result_code_maps() {
    let cases = fixture_json("errors/create.json");
    for case in cases.as_array().unwrap() {
        let env = envelope(
            SoapVersion::V11,
            None,
            &wire::string_response(Operation::Create, case["result"].as_str().unwrap()),
        );
        let r = map::parse_create(&env, &key()).and_then(|reply| match reply {
            CreateReply::Created(c) => {
                assert_eq!(c.raw, env);
                Ok(())
            }
            CreateReply::Duplicate { code, message } => {
                Err(kargojet_surat::error::SuratError::Duplicate { code, message }.into())
            }
        });
        check(case, r);
    }
}

#[test]
fn every_cancel_answer_maps() {
    for case in fixture_json("errors/cancel.json").as_array().unwrap() {
        let env = envelope(
            SoapVersion::V11,
            None,
            &wire::string_response(Operation::Cancel, case["result"].as_str().unwrap()),
        );
        check(case, map::parse_cancel(&env));
    }
}

#[test]
fn tracking_errors_map_and_keep_the_body() {
    for case in fixture_json("errors/track.json").as_array().unwrap() {
        let r = map::parse_tracking(case["body"].as_str().unwrap(), &key()).map(|_| ());
        check(case, r);
    }
}

#[test]
fn label_for_an_unknown_key_is_not_found() {
    let e = map::parse_label(&fixture("label/not_found.response.xml")).expect_err("unknown");
    assert_eq!(e.code().as_str(), "not_found.shipment");
}

#[test]
fn the_pull_reader_reads_what_serde_reads() {
    for case in [
        "example",
        "ten_events",
        "unknown_code",
        "awaiting",
        "cancelled",
    ] {
        let raw = fixture(&format!("track/{case}.response.json"));
        let fast = kargojet_surat::json::tracking(raw.trim()).expect(case);
        let serde: wire::TrackingResponse<'_> = serde_json::from_str(&raw).expect(case);
        assert_eq!(fast, serde, "{case}");
    }
}
