//! Templates and bad input: logos (PNG, JPEG, broken), unknown sizes, barcode payloads Code128
//! cannot carry, piece numbers — typed errors with codes, field paths and TR/EN messages.
#![allow(clippy::unwrap_used)]

mod label_support;

use kargojet_core::Code;
use kargojet_core::label::{Dpi, LabelRenderer, LabelTemplate, Logo};
use label_support::*;
use std::path::PathBuf;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/labels")
            .join(name),
    )
    .unwrap()
}

#[test]
fn png_and_jpeg_logos_are_embedded() {
    let dir = scratch("logo");
    let r = LabelRenderer::new().unwrap();
    for name in ["logo.png", "logo.jpg"] {
        let tpl = LabelTemplate {
            logo: Some(Logo(fixture(name))),
            ..LabelTemplate::default()
        };
        let pdf = r.render_pdf(&[sample()], &tpl).unwrap();
        let p = write(&dir, &format!("{name}.pdf"), &pdf.bytes);
        qpdf_check(&p);
        let (code, list, err) = run("pdfimages", &["-list", &p]);
        assert_eq!(code, 0, "{err}");
        let images: Vec<&str> = list.lines().skip(2).collect();
        let expect = if name.ends_with("png") {
            "120    40"
        } else {
            "90    30"
        };
        assert!(
            images.first().is_some_and(|l| l.contains(expect)),
            "{name}: {list}"
        );
        if name.ends_with("png") {
            assert!(
                images.iter().any(|l| l.contains("smask")),
                "PNG alpha is a soft mask: {list}"
            );
        } else {
            assert!(images[0].contains("jpeg"), "{list}");
        }
    }
    let tpl = LabelTemplate {
        logo: Some(Logo(fixture("logo.png"))),
        ..LabelTemplate::default()
    };
    let zpl = String::from_utf8(r.render_zpl(&[sample()], &tpl, Dpi::D203).unwrap().bytes).unwrap();
    assert!(zpl.contains("^GFA,"), "PNG logo as a ZPL graphic");
}

#[test]
fn a_broken_logo_is_label_invalid_logo_in_both_languages() {
    let r = LabelRenderer::new().unwrap();
    let mut png = fixture("logo.png");
    png.truncate(60);
    for bytes in [b"<svg/>".to_vec(), png] {
        let tpl = LabelTemplate {
            logo: Some(Logo(bytes)),
            ..LabelTemplate::default()
        };
        let e = r.render_pdf(&[sample()], &tpl).err().unwrap();
        assert_eq!(e.code(), Code::LabelInvalidLogo);
        assert_eq!(e.code().as_str(), "label.invalid_logo");
        assert_eq!(e.field(), Some("logo"));
        assert!(
            e.message_tr()
                .starts_with("Logo geçerli bir PNG veya JPEG görseli değil"),
            "{}",
            e.message_tr()
        );
        assert!(
            e.message_en()
                .starts_with("The logo is not a valid PNG or JPEG image"),
            "{}",
            e.message_en()
        );
        assert!(r.render_zpl(&[sample()], &tpl, Dpi::D300).is_err());
    }
}

#[test]
fn an_unknown_size_is_label_unknown_size() {
    for (text, json) in [
        (r#"{"size": "thermal_4x6"}"#, true),
        ("size = \"a5\"", false),
    ] {
        let e = if json {
            LabelTemplate::from_json(text)
        } else {
            LabelTemplate::from_toml(text)
        }
        .err()
        .unwrap();
        assert_eq!(e.code().as_str(), "label.unknown_size");
        assert_eq!(e.field(), Some("size"));
        assert!(e.message_tr().starts_with("Etiket boyutu bilinmiyor"));
        assert!(e.message_en().starts_with("Unknown label size"));
    }
}

#[test]
fn a_template_with_a_logo_round_trips_through_json_and_toml() {
    let tpl = LabelTemplate {
        logo: Some(Logo(fixture("logo.png"))),
        note: Some("Özel not".into()),
        mask_phone: false,
        ..LabelTemplate::default()
    };
    let json = serde_json::to_string(&tpl).unwrap();
    assert_eq!(LabelTemplate::from_json(&json).unwrap(), tpl);
    let toml = toml::to_string(&tpl).unwrap();
    assert_eq!(LabelTemplate::from_toml(&toml).unwrap(), tpl);
}

#[test]
fn barcode_payloads_code128_cannot_carry_are_typed_errors() {
    let r = LabelRenderer::new().unwrap();
    for key in ["KJ-ÇĞŞ-1", "", "KJ\u{7}1", &"7".repeat(41)] {
        let mut labels = many(3);
        labels[2].merchant_key = key.to_string();
        let e = r
            .render_pdf(&labels, &LabelTemplate::default())
            .err()
            .unwrap();
        assert_eq!(e.code().as_str(), "label.barcode_unencodable", "{key:?}");
        assert_eq!(e.field(), Some("labels[2].merchant_key"));
        assert!(e.message_tr().starts_with("Barkod verisi kodlanamıyor"));
        assert!(
            e.message_en()
                .starts_with("The barcode payload cannot be encoded")
        );
        let e = r
            .render_zpl(&labels, &LabelTemplate::default(), Dpi::D203)
            .err()
            .unwrap();
        assert_eq!(e.field(), Some("labels[2].merchant_key"));
        assert!(
            r.render_pdf_each(&labels, &LabelTemplate::default())
                .is_err()
        );
    }
    let mut l = sample();
    l.qr = Some("x".repeat(500));
    assert_eq!(
        r.render_pdf(&[l], &LabelTemplate::default())
            .err()
            .map(|e| e.code()),
        Some(Code::LabelBarcodeUnencodable)
    );
}

#[test]
fn bad_piece_numbers_and_empty_batches_are_rejected() {
    let r = LabelRenderer::new().unwrap();
    let mut l = sample();
    l.piece_index = 4;
    let e = r.render_pdf(&[l], &LabelTemplate::default()).err().unwrap();
    assert_eq!(e.code(), Code::LabelInvalidData);
    assert_eq!(e.field(), Some("labels[0].piece_index"));
    assert_eq!(
        r.render_zpl(&[], &LabelTemplate::default(), Dpi::D203)
            .err()
            .map(|e| e.code()),
        Some(Code::LabelInvalidData)
    );
    let tpl = LabelTemplate {
        font_size: 3.0,
        ..LabelTemplate::default()
    };
    assert_eq!(
        r.render_pdf(&[sample()], &tpl)
            .err()
            .and_then(|e| e.field().map(str::to_string))
            .as_deref(),
        Some("font_size")
    );
}

#[test]
fn characters_outside_the_font_subset_print_as_question_marks() {
    let dir = scratch("fallback");
    let r = LabelRenderer::new().unwrap();
    let mut l = sample();
    l.recipient.name = "Łukasz 漢字 Öz".into();
    let pdf = r.render_pdf(&[l], &LabelTemplate::default()).unwrap();
    let text = pdftotext(&write(&dir, "f.pdf", &pdf.bytes));
    assert!(text.contains("?ukasz ?? Öz"), "{text}");
}
