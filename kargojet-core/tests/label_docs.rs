//! The committed picture of the 10×15 label (`docs/label-10x15.png`), rendered from the PDF by
//! pdftoppm. `KARGOJET_UPDATE_DOCS=1 cargo test -p kargojet-core --test label_docs` rewrites it
//! (and writes the PDFs of every size next to it in the scratch directory for a look).
#![allow(clippy::unwrap_used)]

mod label_support;

use kargojet_core::label::{LabelRenderer, LabelSize, LabelTemplate, Logo};
use label_support::*;
use std::path::Path;

#[test]
fn the_docs_png_shows_the_current_10x15_label() {
    let dir = scratch("docs");
    let r = LabelRenderer::new().unwrap();
    let logo =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/labels/logo.png"))
            .unwrap();
    let tpl = LabelTemplate {
        logo: Some(Logo(logo)),
        ..LabelTemplate::default()
    };
    for size in [
        LabelSize::Thermal10x15,
        LabelSize::Thermal10x10,
        LabelSize::A6,
        LabelSize::A4FourUp,
    ] {
        let t = LabelTemplate {
            size,
            ..tpl.clone()
        };
        let labels = if size == LabelSize::A4FourUp {
            many(4)
        } else {
            vec![sample()]
        };
        let pdf = r.render_pdf(&labels, &t).unwrap();
        write(&dir, &format!("{}.pdf", size.name()), &pdf.bytes);
    }
    let pdf = dir.join("thermal_10x15.pdf").to_string_lossy().into_owned();
    let base = dir.join("label-10x15").to_string_lossy().into_owned();
    let (code, _, err) = run(
        "pdftoppm",
        &["-r", "150", "-png", "-singlefile", &pdf, &base],
    );
    assert_eq!(code, 0, "{err}");
    let png = std::fs::read(format!("{base}.png")).unwrap();
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/label-10x15.png");
    if std::env::var_os("KARGOJET_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(docs.parent().unwrap()).unwrap();
        std::fs::write(&docs, &png).unwrap();
        eprintln!("wrote {} and the PDFs in {}", docs.display(), dir.display());
    }
    let committed = std::fs::read(&docs).expect("docs/label-10x15.png is committed");
    assert!(
        committed.starts_with(b"\x89PNG"),
        "docs/label-10x15.png is not a PNG"
    );
    // 150 dpi of 100 × 150 mm: 591 × 886 px (PNG IHDR width/height at bytes 16..24).
    let dims = |b: &[u8]| {
        (
            u32::from_be_bytes(b[16..20].try_into().unwrap()),
            u32::from_be_bytes(b[20..24].try_into().unwrap()),
        )
    };
    assert_eq!(dims(&committed), dims(&png));
}
