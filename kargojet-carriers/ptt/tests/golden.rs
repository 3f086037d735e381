//! Golden tests: every example in ptt.md is a fixture file. Built requests equal the fixture
//! requests as XML trees; parsed responses equal `<case>.expected.json`; every error fixture
//! maps to its expected code.

#![allow(clippy::unwrap_used)]

use kargojet_carrier_common::soap::{SoapVersion, envelope};
use kargojet_core::carrier::{AccountId, CreateRequest};
use kargojet_core::shipment::{MerchantKey, ShipmentDraft};
use kargojet_ptt::config::{AcceptanceCredentials, TrackingCredentials};
use kargojet_ptt::map::{self, CreateOptions};
use kargojet_ptt::wire::{self, NS_KABUL, NS_KABUL_XSD};
use kargojet_ptt::xmltree;
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(rel: &str) -> Value {
    serde_json::from_slice(&fixture(rel)).unwrap()
}

fn creds() -> AcceptanceCredentials {
    AcceptanceCredentials {
        kullanici: "PttWs".into(),
        musteri_id: 703_000_000,
        sifre: "s3cret".into(),
    }
}

/// The domain shipment of `create/example.shipment.json` as a create request.
fn example_request() -> (CreateRequest, String) {
    let v = json("create/example.shipment.json");
    let draft: ShipmentDraft = serde_json::from_value(v["draft"].clone()).unwrap();
    let shipment = draft.validate().unwrap();
    let req = CreateRequest {
        shipment,
        merchant_key: MerchantKey(v["merchant_key"].as_str().unwrap().into()),
        account: AccountId::platform(),
        service: None,
        billable_desi: v["billable_desi"]
            .as_str()
            .unwrap()
            .parse::<Decimal>()
            .unwrap(),
        attempt: 0,
    };
    (req, v["dosya_adi"].as_str().unwrap().to_string())
}

#[test]
fn create_request_equals_the_notes_example_as_a_tree() {
    let (req, dosya_adi) = example_request();
    let opts = CreateOptions {
        dosya_adi,
        odemesekli: "MH".into(),
        cod_account: None,
    };
    let body = map::build_create(&req, &creds(), &opts).unwrap();
    let xml = envelope(
        SoapVersion::V12,
        None,
        &wire::to_xml("kab:kabulEkle2", &body).unwrap(),
    );
    let built = xmltree::parse(xml.as_bytes(), &[]).unwrap();
    let expected = xmltree::parse(&fixture("create/example.request.xml"), &[]).unwrap();
    assert_eq!(xmltree::diff(&built, &expected), None, "{xml}");
}

#[test]
fn track_and_cancel_requests_equal_the_notes_examples_as_trees() {
    let tcreds = TrackingCredentials {
        kullanici: "703000000".into(),
        sifre: "s3cret".into(),
    };
    let body = map::build_track("2791727900015", &tcreds);
    let xml = envelope(
        SoapVersion::V11,
        None,
        &wire::to_xml("tak:gonderiSorgu", &body).unwrap(),
    );
    let built = xmltree::parse(xml.as_bytes(), &[]).unwrap();
    let expected = xmltree::parse(&fixture("track/example.request.xml"), &[]).unwrap();
    assert_eq!(xmltree::diff(&built, &expected), None, "{xml}");

    // The notes give the delete request as a bare Body: compare the Body subtrees.
    let del = map::build_cancel("2791727900015", Some("KJ-20240312-0301"), &creds());
    let xml = envelope(
        SoapVersion::V11,
        None,
        &wire::to_xml("kab:barkodVeriSil", &del).unwrap(),
    );
    let built = xmltree::parse(xml.as_bytes(), &[]).unwrap();
    let soap11 = SoapVersion::V11.namespace();
    let expected = xmltree::parse(
        &fixture("cancel/example.request.xml"),
        &[
            ("soapenv", soap11),
            ("kab", NS_KABUL),
            ("xsd", NS_KABUL_XSD),
        ],
    )
    .unwrap();
    let built_body = built.child("Body").unwrap();
    assert_eq!(xmltree::diff(built_body, &expected), None, "{xml}");
}

fn without_raw(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("raw");
    }
    v
}

#[test]
fn create_response_gives_the_expected_shipment() {
    let raw = fixture("create/example.response.xml");
    let created = map::parse_create(&raw, "2791727900015", "KJ-20240312-0301").unwrap();
    assert_eq!(created.raw.as_bytes(), &raw[..]);
    assert_eq!(
        without_raw(serde_json::to_value(&created).unwrap()),
        json("create/example.expected.json")
    );
}

#[test]
fn tracking_responses_give_the_expected_updates() {
    for case in ["example", "unknown_barcode", "unknown_code", "ten_events"] {
        let raw = fixture(&format!("track/{case}.response.xml"));
        let update = map::parse_track(&raw).unwrap_or_else(|e| panic!("{case}: {e}"));
        assert_eq!(update.raw.as_bytes(), &raw[..], "{case}");
        // The wire-typed path (used where owned values are wanted) agrees with the hot path.
        let wire = kargojet_ptt::parse::takip_return(&raw).unwrap().unwrap();
        assert_eq!(
            map::tracking_from_wire(&wire, &raw).unwrap(),
            update,
            "{case}"
        );
        assert_eq!(
            without_raw(serde_json::to_value(&update).unwrap()),
            json(&format!("track/{case}.expected.json")),
            "{case}"
        );
    }
}

#[test]
fn cancel_and_label_responses_parse() {
    assert!(map::parse_cancel(&fixture("cancel/example.response.xml")).is_ok());
    let label = map::parse_label(&fixture("label/example.response.xml")).unwrap();
    assert_eq!(label.format, kargojet_core::shipment::LabelFormat::Epl);
    assert_eq!(label.bytes, fixture("label/example.expected.epl"));
}

fn error_cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/errors");
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".response.xml"))
        .collect();
    v.sort();
    v
}

#[test]
fn every_error_fixture_maps_to_its_code() {
    let cases = error_cases();
    assert!(cases.len() >= 8);
    for path in cases {
        let raw = std::fs::read(&path).unwrap();
        let exp_path = path
            .to_string_lossy()
            .replace(".response.xml", ".expected.json");
        let exp: Value = serde_json::from_slice(&std::fs::read(&exp_path).unwrap()).unwrap();
        let err = match exp["op"].as_str().unwrap() {
            "create" => map::parse_create(&raw, "2791727900015", "KJ-1").err(),
            "track" => map::parse_track(&raw).err(),
            "cancel" => map::parse_cancel(&raw).err(),
            "label" => map::parse_label(&raw).err(),
            op => panic!("unknown op {op}"),
        }
        .unwrap_or_else(|| panic!("{} parsed as success", path.display()));
        assert_eq!(
            err.code().as_str(),
            exp["code"].as_str().unwrap(),
            "{}",
            path.display()
        );
        assert_eq!(
            err.carrier_code(),
            exp["carrier_code"].as_str(),
            "{}",
            path.display()
        );
        assert!(!err.message_tr().is_empty() && !err.message_en().is_empty());
    }
}
