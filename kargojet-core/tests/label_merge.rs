//! Merging carrier PDFs (kept byte for byte as `Label`s) with KargoJet PDFs into one print
//! file, checked with qpdf and pdftotext.
#![allow(clippy::unwrap_used)]

mod label_support;

use kargojet_core::Code;
use kargojet_core::label::{LabelRenderer, LabelTemplate, merge_pdfs};
use kargojet_core::shipment::{Label, LabelFormat};
use label_support::*;
use std::path::PathBuf;

fn fixture(name: &str) -> Label {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/labels")
        .join(name);
    Label {
        format: LabelFormat::Pdf,
        bytes: std::fs::read(p).unwrap(),
    }
}

#[test]
fn carrier_and_kargojet_pdfs_merge_into_one_valid_file() {
    let dir = scratch("merge");
    let r = LabelRenderer::new().unwrap();
    let ours = r.render_pdf(&many(2), &LabelTemplate::default()).unwrap();
    let single = r
        .render_pdf(&[sample()], &LabelTemplate::default())
        .unwrap();
    let carrier = fixture("carrier_aras.pdf");
    let carrier_objstm = fixture("carrier_objstm.pdf");
    let before = carrier.bytes.clone();
    let merged = merge_pdfs(&[carrier.clone(), ours, carrier_objstm, single]).unwrap();
    assert_eq!(carrier.bytes, before, "the carrier's bytes are untouched");
    assert_eq!(merged.format, LabelFormat::Pdf);
    let p = write(&dir, "merged.pdf", &merged.bytes);
    qpdf_check(&p);
    assert_eq!(run("qpdf", &["--show-npages", &p]).1.trim(), "5");
    let text = pdftotext(&p);
    assert_eq!(
        text.matches("CARRIER LABEL ARAS 3300012345").count(),
        2,
        "{text}"
    );
    assert!(text.contains(NOTE), "{text}");
    assert_eq!(text.matches("ALICI").count(), 3);
    // the carrier page keeps its own inherited page size (4 × 6 in)
    let (_, info, _) = run("pdfinfo", &["-f", "1", "-l", "5", &p]);
    let sizes: Vec<String> = info
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            l.split_once("size:")
                .unwrap()
                .1
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(
        sizes,
        [
            "288 x 432 pts",
            "283.465 x 425.197 pts",
            "283.465 x 425.197 pts",
            "288 x 432 pts",
            "283.465 x 425.197 pts"
        ],
        "{info}"
    );
}

#[test]
fn bad_inputs_to_merge_are_typed_errors() {
    let e = merge_pdfs(&[]).err().unwrap();
    assert_eq!(e.code(), Code::LabelInvalidData);
    let zpl = Label {
        format: LabelFormat::Zpl,
        bytes: b"^XA^XZ".to_vec(),
    };
    let e = merge_pdfs(&[fixture("carrier_aras.pdf"), zpl])
        .err()
        .unwrap();
    assert_eq!(e.code(), Code::UnsupportedLabelFormat);
    assert_eq!(e.field(), Some("labels[1].format"));
    let broken = Label {
        format: LabelFormat::Pdf,
        bytes: b"%PDF-1.4\nthis is not a pdf".to_vec(),
    };
    let e = merge_pdfs(&[broken]).err().unwrap();
    assert_eq!(e.code(), Code::LabelInvalidPdf);
    assert_eq!(e.field(), Some("labels[0]"));
    assert!(
        e.message_tr().starts_with("Birleştirilecek PDF okunamadı"),
        "{}",
        e.message_tr()
    );
    assert!(
        e.message_en()
            .starts_with("A PDF to merge could not be read")
    );
}
