//! Golden tests: requests built from domain shipments equal the fixture requests (as XML
//! trees), fixture responses parse into `<case>.expected.json`, and every error fixture maps to
//! its expected code.

mod support;

use chrono::NaiveDate;
use kargojet_core::error::{Code, Error};
use kargojet_core::shipment::{CodPayment, MerchantKey};
use kargojet_yurtici::config::{CreateOptions, Credentials, Language};
use kargojet_yurtici::map;
use kargojet_yurtici::wire::Operation;
use serde_json::Value;
use support::*;

fn built_create(
    cod: Option<CodPayment>,
    key: &str,
    user: (&str, &str),
    order_id: Option<&str>,
    parcels: usize,
) -> Node {
    let mut s = example_shipment(cod);
    s.order_id = order_id.map(str::to_string);
    if parcels > 1 {
        s.parcels = vec![s.parcels[0].clone(); parcels];
        s.recipient.email = None;
        s.description = None;
    }
    let req = create_request(s, key);
    let body = map::build_create(
        &req,
        &Credentials::new(user.0, user.1),
        &CreateOptions::default(),
    )
    .expect("builds");
    tree(&map::body_xml(Operation::CreateShipment, &body).expect("writes"))
}

fn assert_same(built: &Node, fixture_rel: &str, expected: &Node) {
    let d = diff(built, expected);
    assert!(
        d.is_empty(),
        "{fixture_rel}: built request differs:\n{}",
        d.join("\n")
    );
}

#[test]
fn create_requests_equal_the_fixtures() {
    let cash = built_create(
        Some(CodPayment::Cash),
        "KJ2400000017",
        ("YKTEST", "YK"),
        Some("KJINV000017"),
        1,
    );
    assert_same(
        &cash,
        "cod_cash",
        &tree(&fixture("create_shipment/cod_cash.request.xml")),
    );
    let card = built_create(
        Some(CodPayment::Card),
        "KJ2400000017",
        ("YKTESTKK", "YKKK"),
        Some("KJINV000017"),
        1,
    );
    assert_same(
        &card,
        "cod_card",
        &tree(&fixture("create_shipment/cod_card.request.xml")),
    );
    let go = built_create(None, "KJ2400000018", ("YKTESTGO", "YKGO"), None, 2);
    assert_same(
        &go,
        "sender_pays",
        &tree(&fixture("create_shipment/sender_pays.request.xml")),
    );
}

#[test]
fn the_notes_create_example_differs_only_in_the_invented_cod_document_id() {
    let built = built_create(
        Some(CodPayment::Cash),
        "KJ2400000017",
        ("YKTEST", "YK"),
        Some("KJINV000017"),
        1,
    );
    let http = fixture("create_shipment/example.request.http");
    assert!(http.contains("SOAPAction: \"\""));
    let example = body_element(http_body(&http));
    let d = diff(&built, &example);
    assert_eq!(
        d,
        vec![
            "createShipment/ShippingOrderVO/ttDocumentId: text \"2400000017\" vs \"100017\""
                .to_string()
        ]
    );
}

#[test]
fn query_cancel_and_return_code_requests_equal_the_fixtures() {
    let user = Credentials::new("YKTEST", "YK");
    let q = map::build_query(&["KJ2400000017"], &user, Language::Tr);
    let built = tree(&map::body_xml(Operation::QueryShipment, &q).expect("writes"));
    let want = body_element(&wrap_request(&fixture(
        "query_shipment/example.request.xml",
    )));
    assert_same(&built, "query", &want);

    let c = map::build_cancel(&["KJ2400000017"], &user, Language::Tr);
    let built = tree(&map::body_xml(Operation::CancelShipment, &c).expect("writes"));
    let want = body_element(&wrap_request(&fixture(
        "cancel_shipment/example.request.xml",
    )));
    assert_same(&built, "cancel", &want);

    let start = NaiveDate::from_ymd_opt(2024, 3, 12).expect("date");
    let s = map::build_save_return("KJ2400000099", "53", start, 14, &user, Language::Tr);
    let built = tree(&map::body_xml(Operation::SaveReturnShipmentCode, &s).expect("writes"));
    assert_same(
        &built,
        "save_return",
        &tree(&fixture("save_return_code/example.request.xml")),
    );

    let c = map::build_cancel_return("KJ2400000099", "53", &user, Language::Tr);
    let built = tree(&map::body_xml(Operation::CancelReturnShipmentCode, &c).expect("writes"));
    assert_same(
        &built,
        "cancel_return",
        &tree(&fixture("cancel_return_code/example.request.xml")),
    );
}

#[test]
fn children_are_unqualified_and_the_wrapper_is_qualified() {
    let built = built_create(
        Some(CodPayment::Cash),
        "KJ2400000017",
        ("YKTEST", "YK"),
        Some("KJINV000017"),
        1,
    );
    assert_eq!(built.ns.as_deref(), Some(kargojet_yurtici::wire::NS));
    fn all_unqualified(n: &Node) -> bool {
        n.children
            .iter()
            .all(|c| c.ns.is_none() && all_unqualified(c))
    }
    assert!(all_unqualified(&built));
}

fn without_raw(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.remove("raw");
    }
    v
}

fn expected(rel: &str) -> Value {
    serde_json::from_str(&fixture(rel)).expect("expected json")
}

#[test]
fn create_response_parses_to_expected() {
    let raw = fixture("create_shipment/example.response.xml");
    let created =
        map::parse_create(raw.as_bytes(), &MerchantKey("KJ2400000017".into())).expect("parses");
    assert_eq!(created.raw, raw);
    let got = without_raw(serde_json::to_value(&created).expect("json"));
    assert_eq!(got, expected("create_shipment/example.expected.json"));
}

#[test]
fn query_responses_parse_to_expected() {
    for case in ["delivered", "ten_events", "unknown_codes"] {
        let raw = wrap_response(&fixture(&format!("query_shipment/{case}.response.xml")));
        let u = map::parse_track(raw.as_bytes(), "KJ2400000017").expect(case);
        assert_eq!(u.raw, raw);
        let got = without_raw(serde_json::to_value(&u).expect("json"));
        assert_eq!(
            got,
            expected(&format!("query_shipment/{case}.expected.json")),
            "{case}"
        );
        assert!(
            u.events
                .iter()
                .all(|e| e.time.offset().local_minus_utc() == 3 * 3600)
        );
    }
    // Unknown codes keep the previous normalized status.
    let raw = fixture("query_shipment/unknown_codes.response.xml");
    let u = map::parse_track(raw.as_bytes(), "KJ2400000017").expect("unknown codes parse");
    assert_eq!(
        kargojet_core::tracking::current_status(&u.events),
        Some(kargojet_core::tracking::ShipmentStatus::PickedUp)
    );
}

#[test]
fn cancel_responses_parse_to_expected() {
    for case in ["example", "already_cancelled", "too_late"] {
        let raw = wrap_response(&fixture(&format!("cancel_shipment/{case}.response.xml")));
        let got = match map::parse_cancel(raw.as_bytes(), "KJ2400000017") {
            Ok(()) => serde_json::json!({"cancelled": true}),
            Err(e) => serde_json::json!({"error": e.code().as_str()}),
        };
        assert_eq!(
            got,
            expected(&format!("cancel_shipment/{case}.expected.json")),
            "{case}"
        );
    }
}

#[test]
fn return_code_responses_parse() {
    map::parse_return_code(
        Operation::SaveReturnShipmentCode,
        fixture("save_return_code/example.response.xml").as_bytes(),
    )
    .expect("save");
    map::parse_return_code(
        Operation::CancelReturnShipmentCode,
        fixture("cancel_return_code/example.response.xml").as_bytes(),
    )
    .expect("cancel");
    // A response for another operation is a protocol error, not a success.
    let wrong = map::parse_return_code(
        Operation::CancelReturnShipmentCode,
        fixture("save_return_code/example.response.xml").as_bytes(),
    );
    assert_eq!(wrong.err().map(|e| e.code()), Some(Code::ProtocolMalformed));
}

fn error_of(op: &str, raw: &[u8], key: &str) -> Error {
    let r = match op {
        "createShipment" => map::parse_create(raw, &MerchantKey(key.into())).map(|_| ()),
        "cancelShipment" => map::parse_cancel(raw, key),
        "queryShipment" => map::parse_track(raw, key).map(|_| ()),
        other => panic!("unknown op {other}"),
    };
    r.expect_err("an error fixture must fail")
}

#[test]
fn every_error_fixture_maps_to_its_code() {
    let cases: Vec<Value> = serde_json::from_str(&fixture("errors/cases.json")).expect("cases");
    assert!(cases.len() >= 8);
    for c in cases {
        let file = c["file"].as_str().expect("file");
        let raw = wrap_response(&fixture(&format!("errors/{file}")));
        let e = error_of(
            c["op"].as_str().expect("op"),
            raw.as_bytes(),
            c["key"].as_str().expect("key"),
        );
        assert_eq!(
            e.code().as_str(),
            c["code"].as_str().expect("code"),
            "{file}: {e}"
        );
        assert_eq!(e.carrier_code(), c["carrier_code"].as_str(), "{file}");
    }
}

#[test]
fn every_documented_code_maps_in_every_operation() {
    let codes: Vec<Value> = serde_json::from_str(&fixture("errors/codes.json")).expect("codes");
    assert_eq!(codes.len(), kargojet_yurtici::error::ERROR_CODES.len());
    for c in codes {
        let n = c["errCode"].as_i64().expect("errCode");
        let want = c["code"].as_str().expect("code");
        let create = format!(
            "<ns2:createShipmentResponse xmlns:ns2=\"http://yurticikargo.com.tr/ShippingOrderDispatcherServices\"><ShippingOrderResultVO><outFlag>1</outFlag><count>1</count><shippingOrderDetailVO><cargoKey>K1</cargoKey><errCode>{n}</errCode><errMessage>m</errMessage></shippingOrderDetailVO></ShippingOrderResultVO></ns2:createShipmentResponse>"
        );
        let query = format!(
            "<ns2:queryShipmentResponse xmlns:ns2=\"http://yurticikargo.com.tr/ShippingOrderDispatcherServices\"><ShippingDeliveryVO><outFlag>1</outFlag><count>1</count><shippingDeliveryDetailVO><cargoKey>K1</cargoKey><errCode>{n}</errCode><errMessage>m</errMessage></shippingDeliveryDetailVO></ShippingDeliveryVO></ns2:queryShipmentResponse>"
        );
        for (op, body) in [("createShipment", create), ("queryShipment", query)] {
            let e = error_of(op, wrap_response(&body).as_bytes(), "K1");
            assert_eq!(e.code().as_str(), want, "{op} {n}");
            assert_eq!(e.carrier_code(), c["carrier_code"].as_str(), "{op} {n}");
        }
    }
}

#[test]
fn the_fast_query_reader_agrees_with_the_serde_reader_on_every_fixture() {
    let mut n = 0;
    for dir in ["query_shipment", "errors", "fuzz_seeds/yurtici_query"] {
        for entry in std::fs::read_dir(fixtures().join(dir)).expect("dir") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default()
                .to_string();
            if !name.ends_with(".xml")
                || (dir == "errors" && !name.starts_with("query") && !name.starts_with("fault"))
            {
                continue;
            }
            let raw = wrap_response(&std::fs::read_to_string(&path).expect("read"));
            let fast = map::read_query(raw.as_bytes());
            let slow = map::read_query_serde(raw.as_bytes());
            assert_eq!(fast, slow, "{name}");
            n += 1;
        }
    }
    assert!(n >= 8, "{n} fixtures compared");
    // And on broken input both refuse.
    let ten = wrap_response(&fixture("query_shipment/ten_events.response.xml"));
    for cut in (0..ten.len()).step_by(97) {
        if let Some(prefix) = ten.get(..cut) {
            assert!(map::read_query(prefix.as_bytes()).is_err(), "prefix {cut}");
        }
    }
}

#[test]
fn the_borrowed_tracking_path_agrees_with_the_serde_path_on_every_fixture() {
    let mut n = 0;
    for dir in ["query_shipment", "errors", "fuzz_seeds/yurtici_query"] {
        for entry in std::fs::read_dir(fixtures().join(dir)).expect("dir") {
            let path = entry.expect("entry").path();
            let name = path
                .file_name()
                .and_then(|f| f.to_str())
                .unwrap_or_default()
                .to_string();
            if !name.ends_with(".xml")
                || (dir == "errors" && !name.starts_with("query") && !name.starts_with("fault"))
            {
                continue;
            }
            let raw = wrap_response(&std::fs::read_to_string(&path).expect("read"));
            // Errors carry no `PartialEq`: their debug form (code, path, raw body) is compared.
            let fast = format!("{:?}", map::parse_query(raw.as_bytes()));
            let slow = format!("{:?}", map::parse_query_serde(raw.as_bytes()));
            assert_eq!(fast, slow, "{name}");
            n += 1;
        }
    }
    assert!(n >= 8, "{n} fixtures compared");
    let ten = wrap_response(&fixture("query_shipment/ten_events.response.xml"));
    for cut in (0..ten.len()).step_by(97) {
        if let Some(prefix) = ten.get(..cut) {
            assert!(map::parse_query(prefix.as_bytes()).is_err(), "prefix {cut}");
        }
    }
}
