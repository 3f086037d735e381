//! The simulator accepts the notes' example requests unchanged and rejects requests that break
//! the carrier's documented rules (SOAPAction per service, element names and namespace,
//! credentials, IntegrationCode).

mod support;

use kargojet_aras::sim::{ArasSim, ops};
use kargojet_aras::wire;
use kargojet_aras::xml;
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_carrier_common::soap::{self, SoapVersion};
use kargojet_core::carrier::CarrierId;
use std::time::Duration;
use support::{TestResult, clock, fixture};

/// Sends `body` as the fixture's HTTP request would (path and headers from `<case>.headers`).
async fn post(
    sim: &ArasSim,
    path: &str,
    action: &str,
    body: String,
) -> Result<RawResponse, Box<dyn std::error::Error>> {
    let http = CarrierHttp::new(CarrierId::Aras, HttpConfig::fast())?;
    let req = OutgoingRequest::post("raw", format!("{}{path}", sim.base_url()))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", format!("\"{action}\""))
        .body(body.into_bytes());
    Ok(http.send(req).await?)
}

/// (path, SOAPAction) from a `.headers` fixture.
fn headers(rel: &str) -> Result<(String, String), Box<dyn std::error::Error>> {
    let text = fixture(rel)?;
    let path = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .ok_or("no request line")?
        .to_string();
    let action = text
        .lines()
        .find_map(|l| l.strip_prefix("SOAPAction:"))
        .ok_or("no SOAPAction")?
        .trim()
        .trim_matches('"')
        .to_string();
    Ok((path, action))
}

fn body_op(resp: &RawResponse) -> Result<xml::Element, Box<dyn std::error::Error>> {
    let root = xml::parse(&resp.text())?;
    Ok(root
        .path(&["Body"])
        .and_then(|b| b.children.first())
        .cloned()
        .ok_or("empty body")?)
}

fn result_code(resp: &RawResponse) -> Option<String> {
    let op = body_op(resp).ok()?;
    let r = op.children.first()?;
    r.path(&["OrderResultInfo", "ResultCode"])
        .or_else(|| r.child("ResultCode"))
        .map(|e| e.text.clone())
}

fn is_fault(resp: &RawResponse) -> bool {
    resp.status == 500 && body_op(resp).map(|op| op.name == "Fault").unwrap_or(false)
}

#[tokio::test]
async fn the_notes_examples_are_accepted_unchanged() -> TestResult {
    let sim = ArasSim::start(clock())?;
    let (path, action) = headers("set_order/notes_cod.request.headers")?;
    let resp = post(
        &sim,
        &path,
        &action,
        fixture("set_order/notes_cod.request.xml")?,
    )
    .await?;
    assert_eq!(resp.status, 200, "{}", resp.text());
    // The answer has the notes' response shape: same elements, same values.
    let got = body_op(&resp)?;
    let notes = xml::parse(&fixture("set_order/notes_cod.response.xml")?)?;
    got.diff(notes.path(&["Body", "SetOrderResponse"]).ok_or("notes")?)?;
    assert_eq!(sim.order_count(), 1);

    // The query example, before the waybill is cut: nothing yet.
    let (qpath, qaction) = headers("query_json/notes_delivered.request.headers")?;
    let q = fixture("query_json/notes_delivered.request.xml")?;
    let resp = post(&sim, &qpath, &qaction, q.clone()).await?;
    assert_eq!(
        body_op(&resp)?.child_text("GetQueryJSONResult"),
        Some(r#"{"QueryResult":null}"#)
    );
    // After delivery the record carries the notes' keys.
    sim.clock().advance(Duration::from_secs(31 * 3600));
    let resp = post(&sim, &qpath, &qaction, q).await?;
    let text = body_op(&resp)?
        .child_text("GetQueryJSONResult")
        .ok_or("no result")?
        .to_string();
    let json: serde_json::Value = serde_json::from_str(&text)?;
    let last = json["QueryResult"]["Cargo"]
        .as_array()
        .and_then(|a| a.last())
        .cloned()
        .ok_or("no records")?;
    for k in [
        "MUSTERI_OZEL_KODU",
        "KARGO_TAKIP_NO",
        "KG_DESI",
        "DURUM_KODU",
        "DURUMU",
        "TESLIM_TARIHI",
        "TESLIM_SAATI",
        "TAHSILAT_TUTARI",
    ] {
        assert!(last.get(k).is_some(), "{k} missing in {last}");
    }
    assert_eq!(last["DURUM_KODU"], "6");
    assert_eq!(last["TAHSILAT_TUTARI"], "149.90");

    // The cancel example after the waybill: exactly the notes' 999 answer.
    let cancel = soap::envelope(
        SoapVersion::V11,
        None,
        fixture("cancel_dispatch/notes_999.request.xml")?.trim(),
    );
    let resp = post(
        &sim,
        wire::ORDER_PATH,
        &wire::order_action("CancelDispatch"),
        cancel,
    )
    .await?;
    body_op(&resp)?.diff(&xml::parse(&fixture(
        "cancel_dispatch/notes_999.response.xml",
    )?)?)?;
    Ok(())
}

#[tokio::test]
async fn wrong_soap_actions_are_refused_by_each_service() -> TestResult {
    let sim = ArasSim::start(clock())?;
    let order = fixture("set_order/notes_cod.request.xml")?;
    // The query service's convention on the order service, a bare name, and an empty action.
    for action in [
        wire::query_action("SetOrder"),
        "SetOrder".into(),
        String::new(),
    ] {
        let resp = post(&sim, wire::ORDER_PATH, &action, order.clone()).await?;
        assert!(is_fault(&resp), "{action:?} accepted: {}", resp.text());
    }
    let q = fixture("query_json/notes_delivered.request.xml")?;
    let resp = post(
        &sim,
        wire::QUERY_PATH,
        &wire::order_action("GetQueryJSON"),
        q.clone(),
    )
    .await?;
    assert!(
        is_fault(&resp) && resp.text().contains("ActionNotSupported"),
        "{}",
        resp.text()
    );
    // The order operation sent to the query service is refused too.
    let resp = post(
        &sim,
        wire::QUERY_PATH,
        &wire::query_action("SetOrder"),
        order,
    )
    .await?;
    assert!(is_fault(&resp));
    assert_eq!(sim.order_count(), 0);
    Ok(())
}

#[tokio::test]
async fn broken_orders_get_the_documented_answers() -> TestResult {
    let sim = ArasSim::start(clock())?;
    let good = fixture("set_order/notes_cod.request.xml")?;
    let action = wire::order_action("SetOrder");
    let cases: Vec<(String, Option<&str>)> = vec![
        // A misspelled element name (wire mistake) is a fault, not silently accepted.
        (
            good.replace(
                "<ReceiverPhone1>3122223344</ReceiverPhone1>",
                "<ReceiverPhone>3122223344</ReceiverPhone>",
            ),
            None,
        ),
        // Unqualified children (Yurtiçi style) are not the tempuri namespace.
        (good.replace("<orderInfo>", "<orderInfo xmlns=\"\">"), None),
        (
            good.replace("<Password>nd2580</Password>", "<Password>yanlis</Password>"),
            Some("1000"),
        ),
        (
            good.replace("<password>nd2580</password>", ""),
            Some("1000"),
        ),
        (
            good.replace(
                "<IntegrationCode>KJ2400000123</IntegrationCode>",
                "<IntegrationCode>KJ 24/0123</IntegrationCode>",
            ),
            Some("937"),
        ),
        (
            good.replace("<IntegrationCode>KJ2400000123</IntegrationCode>", ""),
            Some("937"),
        ),
        (
            good.replace(
                "<ReceiverName>MEHMET KAYA</ReceiverName>",
                "<ReceiverName />",
            ),
            Some("939"),
        ),
        (good.replace("3122223344", "312-222-33"), Some("935")),
        (
            good.replace("<PieceCount>1</PieceCount>", "<PieceCount>2</PieceCount>"),
            Some("70020"),
        ),
        (
            good.replace(
                "<PayorTypeCode>1</PayorTypeCode>",
                "<PayorTypeCode>2</PayorTypeCode>",
            ),
            Some("942"),
        ),
        (
            good.replace("<IsCod>1</IsCod>", "<IsCod>E</IsCod>"),
            Some("70034"),
        ),
        (
            good.replace(
                "<BarcodeNumber>KJ2400000123001</BarcodeNumber>",
                "<BarcodeNumber />",
            ),
            Some("70022"),
        ),
    ];
    for (body, expected) in cases {
        let resp = post(&sim, wire::ORDER_PATH, &action, body).await?;
        match expected {
            None => assert!(is_fault(&resp), "accepted: {}", resp.text()),
            Some(code) => {
                assert_eq!(resp.status, 200);
                assert_eq!(result_code(&resp).as_deref(), Some(code), "{}", resp.text());
            }
        }
    }
    assert_eq!(sim.order_count(), 0, "no broken order may be stored");
    // SOAP 1.2 is refused by the WCF query service (basicHttpBinding).
    let http = CarrierHttp::new(CarrierId::Aras, HttpConfig::fast())?;
    let env = soap::envelope(
        SoapVersion::V12,
        None,
        "<GetQueryJSON xmlns=\"http://tempuri.org/\"/>",
    );
    let req = OutgoingRequest::post("raw", format!("{}{}", sim.base_url(), wire::QUERY_PATH)).soap(
        SoapVersion::V12,
        &wire::query_action(ops::QUERY_JSON),
        env,
    );
    assert_eq!(http.send(req).await?.status, 415);
    Ok(())
}

#[tokio::test]
async fn the_query_service_wants_its_own_credentials() -> TestResult {
    let sim = ArasSim::start(clock())?;
    let q = fixture("query_json/notes_delivered.request.xml")?
        .replace("1932448851342", "1111111111111");
    let resp = post(
        &sim,
        wire::QUERY_PATH,
        &wire::query_action("GetQueryJSON"),
        q,
    )
    .await?;
    let text = body_op(&resp)?
        .child_text("GetQueryJSONResult")
        .unwrap_or("")
        .to_string();
    assert!(text.contains("müşteri kodu hatalı"), "{text}");
    Ok(())
}
