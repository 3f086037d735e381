//! Golden tests from the fixture files: requests built from domain values equal the notes'
//! example requests as XML trees; parsing each fixture response gives `<case>.expected.json`;
//! every documented error code maps to the expected KargoJet code.

use kargojet_aras::config::ArasAccount;
use kargojet_aras::map;
use kargojet_aras::xml::{self, Element};
use kargojet_carrier_common::soap;
use kargojet_core::carrier::{AccountId, CreateRequest};
use kargojet_core::error::Error;
use kargojet_core::shipment::{MerchantKey, ShipmentDraft};
use serde_json::Value;
use std::path::PathBuf;

type TestResult = Result<(), Box<dyn std::error::Error>>;

fn fixture(rel: &str) -> Result<String, std::io::Error> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read_to_string(p)
}

fn json(rel: &str) -> Result<Value, Box<dyn std::error::Error>> {
    Ok(serde_json::from_str(&fixture(rel)?)?)
}

/// The operation element inside a fixture (through the SOAP envelope when there is one).
fn operation(doc: &str) -> Result<Element, String> {
    let root = xml::parse(doc)?;
    if root.name == "Envelope" {
        return root
            .path(&["Body"])
            .and_then(|b| b.children.first())
            .cloned()
            .ok_or_else(|| "empty body".to_string());
    }
    Ok(root)
}

fn domain_request() -> Result<CreateRequest, Box<dyn std::error::Error>> {
    let draft: ShipmentDraft = serde_json::from_str(&fixture("set_order/domain_cod.draft.json")?)?;
    let meta = json("set_order/domain_cod.meta.json")?;
    let key = meta["merchant_key"]
        .as_str()
        .ok_or("merchant_key")?
        .to_string();
    Ok(CreateRequest {
        shipment: draft.validate()?,
        merchant_key: MerchantKey(key),
        account: AccountId::platform(),
        service: None,
        billable_desi: rust_decimal::Decimal::from(3),
        attempt: 0,
    })
}

fn without(mut el: Element, name: &str) -> Element {
    el.children.retain(|c| c.name != name);
    el.children = el.children.into_iter().map(|c| without(c, name)).collect();
    el
}

#[test]
fn set_order_built_from_a_domain_shipment_equals_the_notes_example() -> TestResult {
    let acct = ArasAccount::sandbox();
    let built = map::xml_text(&map::build_set_order(&acct.order, &domain_request()?)?)?;
    let built = xml::parse(&built)?;
    let notes = operation(&fixture("set_order/notes_cod.request.xml")?)?;
    // The domain has no invoice number: that optional element is the only difference.
    built.diff(&without(notes.clone(), "InvoiceNumber"))?;
    assert!(
        built.diff(&notes).is_err(),
        "InvoiceNumber must be the only difference"
    );
    Ok(())
}

#[test]
fn cancel_and_query_requests_equal_the_notes_examples() -> TestResult {
    let acct = ArasAccount::sandbox();
    let key = MerchantKey("KJ2400000123".into());
    let cancel = xml::parse(&map::xml_text(&map::build_cancel(&acct.order, &key))?)?;
    cancel.diff(&operation(&fixture(
        "cancel_dispatch/notes_999.request.xml",
    )?)?)?;
    let query = xml::parse(&map::xml_text(&map::build_query(&acct.query, &key)?)?)?;
    let notes = operation(&fixture("query_json/notes_delivered.request.xml")?)?;
    query.diff(&notes)?;
    // The parameters are XML documents carried as text: compare them as trees too.
    for p in ["loginInfo", "queryInfo"] {
        let a = xml::parse(query.child_text(p).ok_or(p)?)?;
        let b = xml::parse(notes.child_text(p).ok_or(p)?)?;
        a.diff(&b)?;
    }
    Ok(())
}

fn error_json(e: &Error) -> Value {
    serde_json::json!({"error": {"code": e.code().as_str(), "carrier_code": e.carrier_code()}})
}

fn blank_raw(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.insert("raw".into(), Value::String(String::new()));
    }
    v
}

fn check_case<T: serde::Serialize>(case: &str, raw: &str, got: Result<T, Error>) -> TestResult {
    let expected = json(&format!("{case}.expected.json"))?;
    let got = match got {
        Ok(v) => {
            let v = serde_json::to_value(&v)?;
            if let Some(r) = v.get("raw") {
                assert_eq!(r.as_str(), Some(raw), "{case}: raw body not kept");
            }
            blank_raw(v)
        }
        Err(e) => {
            if let Some(r) = e.raw() {
                assert_eq!(r, raw, "{case}: raw body not kept in the protocol error");
            }
            error_json(&e)
        }
    };
    assert_eq!(got, expected, "{case}");
    Ok(())
}

#[test]
fn set_order_responses_parse_to_their_expected_results() -> TestResult {
    let key = MerchantKey("KJ2400000123".into());
    for case in [
        "notes_cod",
        "error_1000",
        "error_70035",
        "error_60020",
        "error_935",
        "malformed",
    ] {
        let case = format!("set_order/{case}");
        let raw = fixture(&format!("{case}.response.xml"))?;
        check_case(&case, &raw, map::parse_set_order(&raw, &key))?;
    }
    Ok(())
}

#[test]
fn cancel_response_parses_to_its_expected_result() -> TestResult {
    // The notes show the bare operation element: the service sends it in a SOAP 1.1 envelope.
    let fragment = fixture("cancel_dispatch/notes_999.response.xml")?;
    let raw = soap::envelope(soap::SoapVersion::V11, None, fragment.trim());
    check_case("cancel_dispatch/notes_999", &raw, map::parse_cancel(&raw))
}

#[test]
fn query_responses_parse_to_their_expected_tracking_updates() -> TestResult {
    for case in [
        "notes_delivered",
        "not_found",
        "devir_unknown",
        "auth_text",
        "tracking_10_events",
    ] {
        let case = format!("query_json/{case}");
        let raw = fixture(&format!("{case}.response.xml"))?;
        check_case(&case, &raw, map::parse_tracking(&raw, None))?;
    }
    Ok(())
}

#[test]
fn get_order_responses_tell_whether_the_order_exists() -> TestResult {
    let key = MerchantKey("KJ2400000123".into());
    for case in ["found", "empty"] {
        let raw = fixture(&format!("get_order/{case}.response.xml"))?;
        let found = map::parse_get_order(&raw, &key)?;
        assert_eq!(
            serde_json::json!({"found": found}),
            json(&format!("get_order/{case}.expected.json"))?,
            "{case}"
        );
    }
    Ok(())
}

#[test]
fn every_documented_error_code_maps_to_its_expected_code() -> TestResult {
    use kargojet_aras::error::{CANCEL_CODES, SET_ORDER_CODES, check};
    let table = json("errors/codes.json")?;
    for (name, codes) in [
        ("set_order", SET_ORDER_CODES),
        ("cancel_dispatch", CANCEL_CODES),
    ] {
        let rows = table[name].as_array().ok_or(name)?;
        let documented = codes
            .iter()
            .filter(|c| c.code != "0" || name == "cancel_dispatch")
            .count();
        assert_eq!(
            rows.len(),
            documented,
            "{name}: fixture and table disagree on the number of codes"
        );
        for row in rows {
            let cc = row["carrier_code"].as_str().ok_or("carrier_code")?;
            let got = check(codes, cc, "").err();
            assert_eq!(
                got.as_ref().map(|e| e.code().as_str()),
                row["code"].as_str(),
                "{name} {cc}"
            );
            if let Some(e) = got
                .as_ref()
                .filter(|e| matches!(e, Error::CarrierRejected { .. }))
            {
                assert_eq!(
                    e.carrier_code(),
                    Some(cc),
                    "{name} {cc}: carrier code not carried"
                );
                assert!(!e.message_tr().is_empty() && !e.message_en().is_empty());
            }
        }
    }
    Ok(())
}
