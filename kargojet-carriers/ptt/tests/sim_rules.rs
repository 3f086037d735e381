//! The simulator accepts the notes' example requests unchanged (sent byte for byte from the
//! fixture files) and refuses requests that break PTT's documented rules, so a mistake in
//! `wire.rs` cannot pass against it.

#![cfg(feature = "sim")]
#![allow(clippy::unwrap_used)]

mod support;

use kargojet_carrier_common::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
use kargojet_core::Code;
use kargojet_core::carrier::CarrierId;
use kargojet_ptt::map;
use kargojet_ptt::wire::{PATH_ACCEPTANCE, PATH_TRACKING};
use support::*;

const CT12: &str = "application/soap+xml; charset=utf-8; action=\"kabulEkle2\"";

async fn post(
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Vec<u8>>,
) -> RawResponse {
    let http = CarrierHttp::new(CarrierId::Ptt, HttpConfig::fast()).unwrap();
    let mut req = OutgoingRequest::post("raw", format!("{base}{path}")).body(body.into());
    for (n, v) in headers {
        req = req.header(*n, *v);
    }
    http.send(req).await.unwrap()
}

fn example_create() -> String {
    String::from_utf8(fixture("create/example.request.xml")).unwrap()
}

#[tokio::test]
async fn the_notes_example_requests_are_accepted_unchanged() {
    let r = rig();
    let base = r.sim.base_url();
    let resp = post(
        &base,
        PATH_ACCEPTANCE,
        &[("Content-Type", CT12)],
        fixture("create/example.request.xml"),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let created = map::parse_create(&resp.body, "2791727900015", "KJ-20240312-0301").unwrap();
    assert_eq!(
        created.carrier_tracking_number.as_deref(),
        Some("2791727900015")
    );
    let s = r.sim.shipment("2791727900015").unwrap();
    assert_eq!(
        (s.declared_grams, s.cod.as_deref(), s.destination.as_str()),
        (1500, Some("180.00"), "ÇANKAYA")
    );

    r.clock.advance(std::time::Duration::from_secs(26 * 3600));
    let headers = [
        ("Content-Type", "text/xml; charset=utf-8"),
        ("SOAPAction", "\"gonderiSorgu\""),
    ];
    let resp = post(
        &base,
        PATH_TRACKING,
        &headers,
        fixture("track/example.request.xml"),
    )
    .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    let u = map::parse_track(&resp.body).unwrap();
    assert_eq!(u.carrier_tracking_number.as_deref(), Some("2791727900015"));
    assert_eq!(
        u.events
            .iter()
            .map(|e| e.carrier_code.as_str())
            .collect::<Vec<_>>(),
        ["701", "1", "3"]
    );
    assert_eq!(u.events[1].location.as_deref(), Some("KADIKÖY"));
    // The other documented SOAP action forms are accepted too.
    let urn = [
        ("Content-Type", "text/xml; charset=utf-8"),
        ("SOAPAction", "\"urn:gonderiSorgu\""),
    ];
    assert_eq!(
        post(
            &base,
            PATH_TRACKING,
            &urn,
            fixture("track/example.request.xml")
        )
        .await
        .status,
        200
    );
    let empty = [
        ("Content-Type", "text/xml; charset=utf-8"),
        ("SOAPAction", "\"\""),
    ];
    assert_eq!(
        post(
            &base,
            PATH_TRACKING,
            &empty,
            fixture("track/example.request.xml")
        )
        .await
        .status,
        200
    );
}

async fn refused(base: &str, headers: &[(&str, &str)], body: String) -> kargojet_core::Error {
    let resp = post(base, PATH_ACCEPTANCE, headers, body).await;
    map::parse_create(&resp.body, "2791727900015", "KJ-20240312-0301")
        .err()
        .unwrap()
}

#[tokio::test]
async fn fields_out_of_alphabetical_order_are_refused_like_axis2() {
    let r = rig();
    let base = r.sim.base_url();
    let swapped = example_create().replace(
        "<xsd:agirlik>1500</xsd:agirlik>\n          <xsd:aliciAdi>Can Yıldız</xsd:aliciAdi>",
        "<xsd:aliciAdi>Can Yıldız</xsd:aliciAdi>\n          <xsd:agirlik>1500</xsd:agirlik>",
    );
    assert_ne!(swapped, example_create());
    let e = refused(&base, &[("Content-Type", CT12)], swapped).await;
    assert_eq!(e.code(), Code::CarrierRejected);
    assert!(
        e.to_string()
            .contains("Unexpected subelement {http://kabul.ptt.gov.tr/xsd}agirlik"),
        "{e}"
    );
    // A sender block out of order, a wrong namespace and an unknown field are refused too.
    let sender = example_create().replace(
        "<xsd:gonderici_adi>KargoJet</xsd:gonderici_adi>\n            <xsd:gonderici_adresi>Atatürk Cad. No:42</xsd:gonderici_adresi>",
        "<xsd:gonderici_adresi>Atatürk Cad. No:42</xsd:gonderici_adresi>\n            <xsd:gonderici_adi>KargoJet</xsd:gonderici_adi>",
    );
    let wrong_ns = example_create().replace("<xsd:boy>30</xsd:boy>", "<kab:boy>30</kab:boy>");
    let unknown = example_create().replace(
        "<xsd:boy>30</xsd:boy>",
        "<xsd:boy>30</xsd:boy><xsd:bogus>1</xsd:bogus>",
    );
    for body in [sender, wrong_ns, unknown] {
        assert!(
            refused(&base, &[("Content-Type", CT12)], body)
                .await
                .to_string()
                .contains("ADBException")
        );
    }
    assert!(r.sim.shipments().is_empty());
}

#[tokio::test]
async fn kabul_ekle2_over_soap_11_or_with_a_wrong_action_is_refused() {
    let r = rig();
    let base = r.sim.base_url();
    let soap11 = example_create().replace(
        "http://www.w3.org/2003/05/soap-envelope",
        "http://schemas.xmlsoap.org/soap/envelope/",
    );
    let h11 = [
        ("Content-Type", "text/xml; charset=utf-8"),
        ("SOAPAction", "\"kabulEkle2\""),
    ];
    let e = refused(&base, &h11, soap11).await;
    assert!(e.to_string().contains("SOAP 1.2"), "{e}");
    let wrong = [(
        "Content-Type",
        "application/soap+xml; charset=utf-8; action=\"barkodVeriSil\"",
    )];
    assert!(
        refused(&base, &wrong, example_create())
            .await
            .to_string()
            .contains("EPR")
    );
    let mismatched = [("Content-Type", "text/xml; charset=utf-8")];
    assert!(
        refused(&base, &mismatched, example_create())
            .await
            .to_string()
            .contains("Content-Type")
    );
    // The acceptance operations live on the acceptance path only.
    let resp = post(
        &base,
        PATH_TRACKING,
        &[("Content-Type", CT12)],
        example_create(),
    )
    .await;
    assert_eq!(resp.status, 500);
    assert!(r.sim.shipments().is_empty());
}

#[tokio::test]
async fn bad_parcels_get_in_band_dongu_errors_and_duplicates_are_recognizable() {
    let r = rig();
    let base = r.sim.base_url();
    let h = [("Content-Type", CT12)];
    for (from, to) in [
        ("2791727900015", "2791727900016"),          // check digit
        ("2791727900015", "1234567890128"),          // outside the range
        ("<xsd:agirlik>1500<", "<xsd:agirlik>1,5<"), // grams are xs:int
        ("<xsd:aliciSms>5051234567<", "<xsd:aliciSms>05051234567<"), // 10 digits, no 0
        (
            "<xsd:odeme_sart_ucreti>180.00<",
            "<xsd:odeme_sart_ucreti>180<",
        ), // 0.00 format
    ] {
        let e = refused(&base, &h, example_create().replace(from, to)).await;
        assert_eq!(e.code(), Code::CarrierRejected, "{to}: {e}");
        assert_eq!(e.carrier_code(), Some("0"), "{to}");
    }
    let bad_pw = refused(
        &base,
        &h,
        example_create().replace("<xsd:sifre>s3cret<", "<xsd:sifre>nope<"),
    )
    .await;
    assert_eq!(bad_pw.code(), Code::AuthFailed);
    assert!(r.sim.shipments().is_empty());

    let first = post(&base, PATH_ACCEPTANCE, &h, example_create()).await;
    assert!(map::parse_create(&first.body, "2791727900015", "KJ-20240312-0301").is_ok());
    let dup = refused(&base, &h, example_create()).await;
    assert_eq!(dup.code(), Code::CarrierDuplicate, "{dup}");
    assert_eq!(r.sim.shipments().len(), 1);
}
