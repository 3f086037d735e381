//! `LabelData::from_shipment`: the label of a shipment as the orchestrator stores it (built
//! with the wallet tests' helpers), rendered and read back with pdftotext.
#![allow(clippy::unwrap_used)]

mod label_support;
#[path = "wallet_support/mod.rs"]
mod wallet_support;

use kargojet_core::Code;
use kargojet_core::label::{LabelData, LabelRenderer, LabelTemplate};
use rust_decimal_macros::dec;
use wallet_support::{agreement, offer, request, shipment, start, tl};

#[test]
fn a_stored_shipment_becomes_its_label() {
    let req = request(dec!(4), Some(tl(dec!(1250))));
    let at = start();
    let mut s = shipment("acme", "order-77", &req, &offer(&agreement(), &req), at);
    s.created.carrier_tracking_number = Some("YK123456789".into());
    let l = LabelData::from_shipment(&s, (1, 1), "Yurtiçi Kargo").unwrap();
    assert_eq!(l.merchant_key, s.created.merchant_key.as_str());
    assert_eq!(l.tracking_number.as_deref(), Some("YK123456789"));
    assert_eq!(l.cod, Some(tl(dec!(1250))));
    assert_eq!(l.desi, req.parcels[0].desi());
    assert_eq!(l.recipient.name, req.recipient.name);
    assert_eq!(
        l.date,
        at.with_timezone(&kargojet_core::time::turkey_offset())
            .date_naive()
    );
    let e = LabelData::from_shipment(&s, (2, 1), "Yurtiçi Kargo")
        .err()
        .unwrap();
    assert_eq!(e.code(), Code::LabelInvalidData);
    assert_eq!(e.field(), Some("piece"));

    let pdf = LabelRenderer::new()
        .unwrap()
        .render_pdf(&[l], &LabelTemplate::default())
        .unwrap();
    let dir = label_support::scratch("shipment");
    let text = label_support::pdftotext(&label_support::write(&dir, "s.pdf", &pdf.bytes));
    assert!(text.contains("TAHSİLATLI TESLİMAT — 1.250,00 TL"), "{text}");
    assert!(text.contains(s.created.merchant_key.as_str()), "{text}");
    assert!(text.contains(&req.recipient.name), "{text}");
}
