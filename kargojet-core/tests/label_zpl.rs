//! ZPL labels: golden files per size and dpi, structure (every `^XA` closed, `^CI28`, escaped
//! field data, fields inside the label) and no overflow for a 120-character address.
#![allow(clippy::unwrap_used)]

mod label_support;

use kargojet_core::label::{Dpi, LabelRenderer, LabelSize, LabelTemplate};
use label_support::*;
use std::path::PathBuf;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/labels")
        .join(name)
}

/// A parsed `^FO…^FS` field.
struct Field {
    x: i32,
    y: i32,
    body: String,
}

fn split(label: &str) -> Vec<Field> {
    label
        .split("^FO")
        .skip(1)
        .map(|f| {
            let end = f.find('^').unwrap_or(f.len());
            let (x, y) = f[..end].split_once(',').unwrap();
            Field {
                x: x.parse().unwrap(),
                y: y.parse().unwrap(),
                body: f[end..].to_string(),
            }
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("\\5E", "^")
        .replace("\\7E", "~")
        .replace("\\5C", "\\")
}

fn num_after(s: &str, cmd: &str) -> i32 {
    let i = s
        .find(cmd)
        .unwrap_or_else(|| panic!("{cmd} missing in {s}"))
        + cmd.len();
    s[i..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap()
}

/// Checks structure and geometry of ZPL output with `n` labels; returns the decoded texts.
fn check_structure(zpl: &str, n: usize, dpi: Dpi, r: &LabelRenderer) -> Vec<String> {
    assert_eq!(zpl.matches("^XA").count(), n);
    assert_eq!(zpl.matches("^XZ").count(), n);
    let dpi_f = match dpi {
        Dpi::D203 => 203.0,
        Dpi::D300 => 300.0,
    };
    let mut texts = Vec::new();
    for label in zpl.split_terminator("^XZ\n") {
        assert!(label.starts_with("^XA^CI28^PW"), "{label}");
        assert!(!label[3..].contains("^XA"), "nested ^XA");
        let (pw, ll) = (num_after(label, "^PW"), num_after(label, "^LL"));
        for f in split(label) {
            assert!(
                f.x >= 0 && f.x < pw && f.y >= 0 && f.y < ll,
                "field outside {pw}×{ll}: {} {} {}",
                f.x,
                f.y,
                f.body
            );
            if let Some(i) = f.body.find("^FD") {
                let data = &f.body[i + 3..f.body.find("^FS").unwrap()];
                assert!(
                    !data.contains('^') && !data.contains('~'),
                    "unescaped field data {data}"
                );
                assert!(f.body.contains("^FH\\"), "field without ^FH: {}", f.body);
                if f.body.starts_with("^A0N") {
                    let h = num_after(&f.body, "^A0N,");
                    let block = num_after(&f.body, "^FB");
                    assert!(f.x + block <= pw, "block runs off the label: {}", f.body);
                    let text = unescape(data);
                    let w = r.fonts().regular.width(&text, h as f32 * 72.0 / dpi_f) * dpi_f / 72.0;
                    assert!(
                        w <= block as f32 + 1.0,
                        "{text:?} is {w} dots wide in a {block}-dot block"
                    );
                    texts.push(text);
                }
            }
        }
    }
    texts
}

#[test]
fn golden_files_per_size_and_dpi() {
    let r = LabelRenderer::new().unwrap();
    let update = std::env::var_os("KARGOJET_UPDATE_GOLDEN").is_some();
    for size in [
        LabelSize::Thermal10x15,
        LabelSize::Thermal10x10,
        LabelSize::A6,
        LabelSize::A4FourUp,
    ] {
        for (dpi, d) in [(Dpi::D203, 203), (Dpi::D300, 300)] {
            let tpl = LabelTemplate {
                size,
                ..LabelTemplate::default()
            };
            let zpl = r.render_zpl(&[sample()], &tpl, dpi).unwrap();
            let text = String::from_utf8(zpl.bytes).unwrap();
            let path = golden(&format!("{}_{d}dpi.zpl", size.name()));
            if update {
                std::fs::write(&path, &text).unwrap();
            }
            let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e}; run with KARGOJET_UPDATE_GOLDEN=1 to create it",
                    path.display()
                )
            });
            assert_eq!(
                text,
                want,
                "{} changed; review and rerun with KARGOJET_UPDATE_GOLDEN=1",
                path.display()
            );
            let texts = check_structure(&text, 1, dpi, &r);
            assert!(
                texts
                    .iter()
                    .any(|t| t == "TAHSİLATLI TESLİMAT — 1.250,00 TL"),
                "{texts:?}"
            );
            assert!(text.contains("^BCN,") && text.contains("^FDKJ0123456789^FS"));
            assert!(text.contains("^BQN,2,"));
        }
    }
}

#[test]
fn many_labels_concatenate_and_every_label_is_closed() {
    let r = LabelRenderer::new().unwrap();
    let labels = many(25);
    let zpl = r
        .render_zpl(&labels, &LabelTemplate::default(), Dpi::D203)
        .unwrap();
    let text = String::from_utf8(zpl.bytes).unwrap();
    check_structure(&text, 25, Dpi::D203, &r);
    for l in &labels {
        assert!(text.contains(&format!("^FD{}^FS", l.merchant_key)));
    }
}

#[test]
fn injected_commands_are_escaped() {
    let r = LabelRenderer::new().unwrap();
    let mut l = sample();
    l.recipient.address_line = "Gül Sk. ^XZ^XA~JR No:5 \\ arka".into();
    l.merchant_key = "KJ^1~2".into();
    let zpl = String::from_utf8(
        r.render_zpl(&[l], &LabelTemplate::default(), Dpi::D300)
            .unwrap()
            .bytes,
    )
    .unwrap();
    let texts = check_structure(&zpl, 1, Dpi::D300, &r);
    assert!(
        texts.iter().any(|t| t == "Gül Sk. ^XZ^XA~JR No:5 \\ arka"),
        "{texts:?}"
    );
    assert!(zpl.contains("^FDKJ\\5E1\\7E2^FS"));
}

#[test]
fn a_120_character_address_never_overflows_its_block() {
    let r = LabelRenderer::new().unwrap();
    let mut l = sample();
    l.recipient.address_line = "Çamlıca Mahallesi Şehit Öğretmen Gülşen İğdeli Sokağı No:127 Daire:14 Kat:6 Üsküdar Güzergâhı Kuzey Blok Arka Giriş Kapısı".into();
    assert!(l.recipient.address_line.chars().count() >= 120);
    for size in [
        LabelSize::Thermal10x15,
        LabelSize::Thermal10x10,
        LabelSize::A6,
    ] {
        for dpi in [Dpi::D203, Dpi::D300] {
            let tpl = LabelTemplate {
                size,
                font_size: 14.0,
                ..LabelTemplate::default()
            };
            let zpl =
                String::from_utf8(r.render_zpl(&[l.clone()], &tpl, dpi).unwrap().bytes).unwrap();
            let texts = check_structure(&zpl, 1, dpi, &r);
            assert!(
                texts.iter().any(|t| t.starts_with("Çamlıca")),
                "{size:?}: {texts:?}"
            );
            assert!(
                texts.iter().any(|t| t.ends_with('…')),
                "{size:?}: address not truncated: {texts:?}"
            );
        }
    }
}
