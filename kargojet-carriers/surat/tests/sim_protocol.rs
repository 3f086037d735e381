//! The simulator speaks Sürat's protocol: it accepts the notes' example requests unchanged and
//! rejects requests that break the documented rules.
#![cfg(feature = "sim")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use chrono::{TimeZone, Utc};
use kargojet_carrier_common::http::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of, envelope};
use kargojet_core::carrier::CarrierId;
use kargojet_core::shipment::MerchantKey;
use kargojet_core::time::ManualClock;
use kargojet_surat::map::{self, CreateReply, TrackingReply};
use kargojet_surat::sim::SuratSim;
use kargojet_surat::wire::{self, Operation};
use std::time::Duration;
use support::{fixture, http_parts};

fn start() -> (SuratSim, CarrierHttp) {
    let clock = ManualClock::new(Utc.with_ymd_and_hms(2024, 3, 12, 9, 0, 0).unwrap());
    let sim = SuratSim::start(clock).expect("sim");
    let http = CarrierHttp::new(
        CarrierId::Surat,
        HttpConfig {
            retries: 0,
            ..HttpConfig::fast()
        },
    )
    .expect("http");
    (sim, http)
}

async fn post(
    http: &CarrierHttp,
    url: String,
    headers: &[(String, String)],
    body: &str,
) -> RawResponse {
    let mut req = OutgoingRequest::post("raw", url).body(body.as_bytes().to_vec());
    for (k, v) in headers {
        if !k.eq_ignore_ascii_case("host") && !k.eq_ignore_ascii_case("content-length") {
            req = req.header(k.clone(), v.clone());
        }
    }
    http.send(req).await.expect("answer")
}

fn key() -> MerchantKey {
    MerchantKey("KJ2400000401".into())
}

#[tokio::test]
async fn the_notes_examples_are_accepted_unchanged() {
    let (sim, http) = start();
    // GonderiyiKargoyaGonderYeni, byte for byte from the notes.
    let (line, headers, body) = http_parts(&fixture("create/example.request.http"));
    let path = line.split_whitespace().nth(1).unwrap();
    let resp = post(&http, format!("{}{path}", sim.base_url()), &headers, &body).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let reply = map::parse_create(&resp.text(), &key()).expect("created");
    assert!(matches!(reply, CreateReply::Created(_)));
    assert_eq!(sim.shipment_count("KJ2400000401"), 1);

    // REST tracking from the notes: before acceptance "kabul bekleniyor" …
    let (line, headers, _) = http_parts(&fixture("track/example.request.http"));
    let pq = line.split_whitespace().nth(1).unwrap();
    let resp = post(&http, format!("{}{pq}", sim.base_url()), &headers, "").await;
    assert!(
        matches!(
            map::parse_tracking(&resp.text(), &key()),
            Ok(TrackingReply::AwaitingAcceptance { .. })
        ),
        "{}",
        resp.text()
    );
    // … and after a day Sürat's own number and the history.
    sim.clock().advance(Duration::from_secs(30 * 3600));
    let resp = post(&http, format!("{}{pq}", sim.base_url()), &headers, "").await;
    let TrackingReply::Found(u) = map::parse_tracking(&resp.text(), &key()).expect("found") else {
        panic!("not found")
    };
    assert_eq!(u.carrier_tracking_number.as_deref().map(str::len), Some(14));
    assert!(u.events.len() >= 6);

    // GonderiGeriCek from the notes (the bare element in an envelope): refused after acceptance.
    let env = envelope(
        SoapVersion::V11,
        None,
        fixture("cancel/example.request.xml").trim(),
    );
    let headers = vec![
        (
            "Content-Type".to_string(),
            SoapVersion::V11.content_type(None),
        ),
        (
            "SOAPAction".to_string(),
            SoapVersion::V11
                .soap_action_header(&Operation::Cancel.action())
                .unwrap(),
        ),
    ];
    let resp = post(
        &http,
        format!("{}{}", sim.base_url(), wire::SOAP_PATH),
        &headers,
        &env,
    )
    .await;
    let e = map::parse_cancel(&resp.text()).expect_err("refused after acceptance");
    assert_eq!(e.code().as_str(), "shipment.invalid_state");
    assert_eq!(e.carrier_code(), Some("HATA"));
}

#[tokio::test]
async fn wrong_soap_action_is_a_fault() {
    let (sim, http) = start();
    let (_, mut headers, body) = http_parts(&fixture("create/example.request.http"));
    for (k, v) in headers.iter_mut() {
        if k.eq_ignore_ascii_case("soapaction") {
            *v = "\"GonderiyiKargoyaGonderYeni\"".into();
        }
    }
    let resp = post(
        &http,
        format!("{}{}", sim.base_url(), wire::SOAP_PATH),
        &headers,
        &body,
    )
    .await;
    assert_eq!(resp.status, 500);
    assert!(
        matches!(body_of(&resp.text()), Ok(SoapBody::Fault(f)) if f.reason.contains("SOAPAction"))
    );
    assert_eq!(sim.shipment_count("KJ2400000401"), 0);
}

#[tokio::test]
async fn wrong_element_names_namespace_or_version_are_refused() {
    let (sim, http) = start();
    let (_, headers, body) = http_parts(&fixture("create/example.request.http"));
    let url = format!("{}{}", sim.base_url(), wire::SOAP_PATH);
    for (from, to) in [
        (
            "<KisiKurum>Elif Şahin</KisiKurum>",
            "<AliciAdi>Elif Şahin</AliciAdi>",
        ),
        (
            "xmlns=\"http://tempuri.org/\"",
            "xmlns=\"http://surat.example/\"",
        ),
        (
            "http://schemas.xmlsoap.org/soap/envelope/",
            "http://www.w3.org/2003/05/soap-envelope",
        ),
    ] {
        let bad = body.replace(from, to);
        let resp = post(&http, url.clone(), &headers, &bad).await;
        assert_eq!(resp.status, 500, "{to}: {}", resp.text());
    }
    // Text/JSON content types are not SOAP 1.1.
    let json_ct: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| {
            if k.eq_ignore_ascii_case("content-type") {
                (k.clone(), "application/json".into())
            } else {
                (k.clone(), v.clone())
            }
        })
        .collect();
    assert_eq!(post(&http, url, &json_ct, &body).await.status, 415);
    assert_eq!(sim.shipments().len(), 0);
}

#[tokio::test]
async fn gonderi_rules_answer_with_surat_codes() {
    let (sim, http) = start();
    let (_, headers, body) = http_parts(&fixture("create/example.request.http"));
    let url = format!("{}{}", sim.base_url(), wire::SOAP_PATH);
    for (from, to, code) in [
        ("<Sifre>123456</Sifre>", "<Sifre>yanlis</Sifre>", "001"),
        (
            "<KisiKurum>Elif Şahin</KisiKurum>",
            "<KisiKurum></KisiKurum>",
            "002",
        ),
        (
            "<AliciAdresi>Bahçelievler Mah. 7. Sk. No:3 D:5</AliciAdresi>",
            "<AliciAdresi> </AliciAdresi>",
            "003",
        ),
        ("<Ilce>Bornova</Ilce>", "<Ilce></Ilce>", "004"),
        (
            "<BirimDesi>2</BirimDesi>",
            "<BirimDesi>0</BirimDesi>",
            "006",
        ),
        (
            "<TelefonCep>05321234567</TelefonCep>",
            "<TelefonCep>0532-123</TelefonCep>",
            "020",
        ),
        (
            "<TelefonCep>05321234567</TelefonCep>",
            "<TelefonCep>02161234567</TelefonCep>",
            "022",
        ),
        (
            "<TelefonCep>05321234567</TelefonCep>",
            "<TelefonCep>053212</TelefonCep>",
            "024",
        ),
    ] {
        let resp = post(&http, url.clone(), &headers, &body.replace(from, to)).await;
        let e = map::parse_create(&resp.text(), &key()).expect_err(code);
        if code == "001" {
            assert_eq!(e.code().as_str(), "auth.failed");
        } else {
            assert_eq!(e.carrier_code(), Some(code), "{to}");
        }
    }
    assert_eq!(sim.shipments().len(), 0);
    // The same key twice: one shipment, the second answer is 009.
    for expect_dup in [false, true] {
        let resp = post(&http, url.clone(), &headers, &body).await;
        let reply = map::parse_create(&resp.text(), &key()).expect("answer");
        assert_eq!(
            matches!(reply, CreateReply::Duplicate { ref code, .. } if code == "009"),
            expect_dup
        );
    }
    assert_eq!(sim.shipment_count("KJ2400000401"), 1);
}

#[tokio::test]
async fn rest_tracking_wants_post_with_an_empty_body_and_the_web_password() {
    let (sim, http) = start();
    let base = format!("{}{}", sim.base_url(), wire::REST_TRACK_PATH);
    let url = map::tracking_url(&base, "1038106246", "123456.Ff", &key());
    let get = http
        .send(OutgoingRequest::get("t", url.clone()))
        .await
        .expect("answer");
    assert_eq!(get.status, 405);
    let with_body = http
        .send(OutgoingRequest::post("t", url).body(b"{}".to_vec()))
        .await
        .expect("answer");
    assert_eq!(with_body.status, 400);
    // The cari şifre is not the web şifre.
    let wrong = map::tracking_url(&base, "1038106246", "123456", &key());
    let resp = http
        .send(OutgoingRequest::post("t", wrong))
        .await
        .expect("answer");
    let e = map::parse_tracking(&resp.text(), &key()).expect_err("wrong password");
    assert_eq!(e.code().as_str(), "carrier.rejected");
}
