//! PDF labels checked with real tools: pdftotext (exact Turkish text), pdffonts (embedded
//! subset with ToUnicode), pdftoppm + zbarimg (Code128 and QR decode), qpdf --check.
#![allow(clippy::unwrap_used)]

mod label_support;

use kargojet_core::label::{LabelRenderer, LabelSize, LabelTemplate};
use label_support::*;

fn renderer() -> LabelRenderer {
    LabelRenderer::new().expect("fonts load")
}

#[test]
fn pdftotext_returns_the_exact_turkish_text() {
    let dir = scratch("text");
    let r = renderer();
    let tpl = LabelTemplate {
        mask_phone: false,
        ..LabelTemplate::default()
    };
    let pdf = r.render_pdf(&[sample()], &tpl).unwrap();
    let path = write(&dir, "tr.pdf", &pdf.bytes);
    let text = pdftotext(&path);
    for expected in [
        NOTE,
        "YURTİÇİ KARGO",
        "GÖNDERİCİ",
        "Örnek Ticaret A.Ş. (Depo)",
        "Hadımköy Mah. Doğuş Sk. No:12",
        "Arnavutköy / İSTANBUL",
        "ALICI",
        "Çağrı Gülşen Öztürk",
        "Şehitler Cd. Ülkü Apt. No:7 D:3",
        "Çankaya / ANKARA",
        "Tel: 0532 123 45 67",
        "Desi: 3,5 • Ağırlık: 2,50 kg • Parça: 2/3",
        "TAHSİLATLI TESLİMAT — 1.250,00 TL",
        "KJ0123456789",
        "Takip No: YK900123456TR",
        "Sipariş: SP-48213377",
        "Tarih: 02.12.2026",
    ] {
        let squashed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            squashed.contains(expected),
            "pdftotext lacks {expected:?}:\n{text}"
        );
    }
    for c in TURKISH.chars() {
        assert!(text.contains(c), "{c} missing");
    }
    let (_, fonts, _) = run("pdffonts", &[&path]);
    let rows: Vec<&str> = fonts.lines().filter(|l| l.contains("DejaVu")).collect();
    assert_eq!(rows.len(), 2, "{fonts}");
    for row in rows {
        // name type encoding emb sub uni
        assert!(
            row.contains("CID TrueType") && row.contains("Identity-H"),
            "{row}"
        );
        assert!(
            row.split_whitespace().rev().take(5).collect::<Vec<_>>()[2..5] == ["yes", "yes", "yes"],
            "{row}"
        );
    }
}

#[test]
fn masked_phones_are_not_printed_in_full() {
    let dir = scratch("mask");
    let pdf = renderer()
        .render_pdf(&[sample()], &LabelTemplate::default())
        .unwrap();
    let text = pdftotext(&write(&dir, "m.pdf", &pdf.bytes));
    assert!(text.contains("0532 *** ** 67"), "{text}");
    assert!(!text.contains("123 45 67"), "{text}");
}

#[test]
fn zbarimg_decodes_the_code128_and_the_qr() {
    let dir = scratch("zbar");
    let pdf = renderer()
        .render_pdf(&[sample()], &LabelTemplate::default())
        .unwrap();
    let path = write(&dir, "bc.pdf", &pdf.bytes);
    let png_base = dir.join("bc").to_string_lossy().into_owned();
    let (code, _, err) = run(
        "pdftoppm",
        &["-r", "300", "-png", "-singlefile", &path, &png_base],
    );
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = run("zbarimg", &["-q", &format!("{png_base}.png")]);
    assert_eq!(code, 0, "zbarimg found nothing: {err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(&"CODE-128:KJ0123456789"), "{out}");
    assert!(
        lines.contains(&"QR-Code:https://kargojet.example/t/KJ0123456789"),
        "{out}"
    );
}

#[test]
fn qpdf_accepts_single_multi_page_and_4up_files() {
    let dir = scratch("qpdf");
    let r = renderer();
    let labels = many(9);
    let single = r
        .render_pdf(&labels[..1], &LabelTemplate::default())
        .unwrap();
    qpdf_check(&write(&dir, "single.pdf", &single.bytes));
    let multi = r.render_pdf(&labels, &LabelTemplate::default()).unwrap();
    let p = write(&dir, "multi.pdf", &multi.bytes);
    qpdf_check(&p);
    assert_eq!(run("qpdf", &["--show-npages", &p]).1.trim(), "9");
    let a4 = LabelTemplate {
        size: LabelSize::A4FourUp,
        ..LabelTemplate::default()
    };
    let sheet = r.render_pdf(&labels, &a4).unwrap();
    let p = write(&dir, "a4.pdf", &sheet.bytes);
    qpdf_check(&p);
    assert_eq!(run("qpdf", &["--show-npages", &p]).1.trim(), "3");
    let text = pdftotext(&p);
    assert_eq!(text.matches("ALICI").count(), 9, "{text}");
}

#[test]
fn separate_pdfs_share_the_font_subset_and_stay_small() {
    let dir = scratch("each");
    let labels = many(5);
    let each = renderer()
        .render_pdf_each(&labels, &LabelTemplate::default())
        .unwrap();
    assert_eq!(each.len(), 5);
    for (i, l) in each.iter().enumerate() {
        assert!(
            l.bytes.len() <= 46 * 1024,
            "label {i} is {} bytes",
            l.bytes.len()
        );
        let p = write(&dir, &format!("l{i}.pdf"), &l.bytes);
        qpdf_check(&p);
        assert!(pdftotext(&p).contains(&labels[i].recipient.name));
    }
}

#[test]
fn a_120_character_address_wraps_inside_the_page() {
    let dir = scratch("overflow");
    let mut l = sample();
    l.recipient.address_line = "Çamlıca Mahallesi Şehit Öğretmen Gülşen İğdeli Sokağı No:127 Daire:14 Kat:6 Üsküdar Güzergâhı Kuzey Blok Arka Giriş".into();
    l.recipient
        .address_line
        .push_str(&" Ğ".repeat((120 - l.recipient.address_line.chars().count()) / 2));
    assert!(l.recipient.address_line.chars().count() >= 119);
    for size in [
        LabelSize::Thermal10x15,
        LabelSize::Thermal10x10,
        LabelSize::A6,
    ] {
        let tpl = LabelTemplate {
            size,
            font_size: 14.0,
            ..LabelTemplate::default()
        };
        let pdf = renderer().render_pdf(&[l.clone()], &tpl).unwrap();
        let p = write(&dir, &format!("{}.pdf", size.name()), &pdf.bytes);
        let (code, html, err) = run("pdftotext", &["-bbox", "-enc", "UTF-8", &p, "-"]);
        assert_eq!(code, 0, "{err}");
        let (w, h) = size.label_mm();
        let (pw, ph) = (w * 72.0 / 25.4, h * 72.0 / 25.4);
        let attr = |line: &str, name: &str| -> f32 {
            let k = format!("{name}=\"");
            let s = line.find(&k).map(|i| &line[i + k.len()..]).unwrap();
            s[..s.find('"').unwrap()].parse().unwrap()
        };
        let words: Vec<&str> = html.lines().filter(|l| l.contains("<word ")).collect();
        assert!(words.len() > 20);
        for word in &words {
            assert!(
                attr(word, "xMin") >= 0.0 && attr(word, "xMax") <= pw + 0.01,
                "{size:?} {word}"
            );
            assert!(
                attr(word, "yMin") >= 0.0 && attr(word, "yMax") <= ph + 0.01,
                "{size:?} {word}"
            );
        }
        assert!(
            html.contains('…'),
            "{size:?}: the long address was not truncated"
        );
        assert!(html.contains("Çamlıca"), "{size:?}");
        assert!(
            html.contains(">2/3<"),
            "{size:?}: the piece number must never be cut"
        );
        assert!(
            html.contains(">1.250,00<"),
            "{size:?}: the COD amount must never be cut"
        );
    }
}
