//! The fast ZPL path (`ZplBatch`, used by `render_zpl`) against the general renderer (layout
//! into a display list, then `zpl::write_label`): byte-identical output for thousands of
//! generated labels with Turkish text, names and addresses that wrap, shrink or get cut,
//! escapes, odd whitespace, every size, dpi, font size and field switch, logos and notes; and
//! the same typed errors for labels the renderer must refuse.
#![allow(clippy::unwrap_used)]

mod label_support;

use kargojet_core::Money;
use kargojet_core::label::zpl::{ZplLogo, write_label};
use kargojet_core::label::{
    DisplayList, Dpi, LabelData, LabelFields, LabelRenderer, LabelSize, LabelTemplate, Logo,
};
use label_support::*;
use rust_decimal::Decimal;
use std::path::PathBuf;

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }
    /// Words from `words` joined by single spaces (sometimes odd whitespace), `n` words.
    fn phrase(&mut self, words: &[&str], n: usize) -> String {
        let mut s = String::new();
        for i in 0..n {
            if i > 0 {
                s.push_str(match self.below(40) {
                    0 => "  ",
                    1 => "\t",
                    2 => "\u{a0}",
                    _ => " ",
                });
            }
            s.push_str(self.pick(words));
        }
        match self.below(30) {
            0 => format!(" {s}"),
            1 => format!("{s} "),
            _ => s,
        }
    }
}

const FIRST: &[&str] = &[
    "Ayşe",
    "Gülşen",
    "Çağrı",
    "İsmail",
    "Şükrü",
    "Ömer",
    "Iğdır'lı",
    "Özge",
    "Ali",
    "Yılmazoğulları",
    "Müdürlüğü",
    "W.W.W.",
    "Ğ^Ş~Ü\\",
    "漢字",
    "Mehmet—Can",
];
const LAST: &[&str] = &[
    "Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Güneş", "A.Ş.", "Ltd.", "Şti.",
];
const STREET: &[&str] = &[
    "Atatürk",
    "Cd.",
    "No:211",
    "D:18",
    "Çiçek",
    "Sk.",
    "Mah.",
    "Şehit",
    "Öğretmen",
    "Gülşen",
    "İğdeli",
    "Sokağı",
    "Kat:6",
    "Daire:14",
    "Güzergâhı",
    "Blok",
    "^XZ",
    "~JR",
    "\\",
    "…",
    "₺",
    "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
];
const PLACES: &[(&str, &str)] = &[
    ("Kadıköy", "İstanbul"),
    ("Çankaya", "Ankara"),
    ("Merkez", "Iğdır"),
    ("Şişli", "istanbul"),
    ("Afşin", "Kahramanmaraş"),
    ("Ödemiş", "İzmir"),
    ("Merkez", "Şanlıurfa"),
    ("Yenişehir", "diyarbakır"),
];
const CARRIERS: &[&str] = &[
    "Yurtiçi Kargo",
    "Aras",
    "MNG",
    "PTT",
    "Sürat Kargo",
    "HepsiJET",
    "Kolay Gelsin",
    "Sendeo",
    "iyi kargo",
    "Çok Uzun İsimli Bölgesel Kargo ve Lojistik Hizmetleri A.Ş.",
];

fn phone(g: &mut Gen) -> String {
    match g.below(10) {
        0 => "12345".into(),
        1 => "+90 532 1234567".into(),
        2 => String::new(),
        _ => format!("5{:09}", g.next() % 1_000_000_000),
    }
}

fn party(g: &mut Gen, long: bool) -> kargojet_core::label::LabelParty {
    let (district, province) = PLACES[g.below(PLACES.len())];
    let words = if long {
        8 + g.below(20)
    } else {
        2 + g.below(5)
    };
    kargojet_core::label::LabelParty {
        name: if g.chance(5) {
            g.phrase(FIRST, 12)
        } else {
            format!("{} {}", g.pick(FIRST), g.pick(LAST))
        },
        address_line: g.phrase(STREET, words),
        district: district.into(),
        province: province.into(),
        phone: phone(g),
    }
}

fn decimal(g: &mut Gen) -> Decimal {
    match g.below(8) {
        0 => Decimal::new(-(g.below(5000) as i64), g.below(4) as u32),
        1 => Decimal::new(g.next() as i64 & 0xffff_ffff_ffff, g.below(6) as u32),
        2 => Decimal::ZERO,
        _ => Decimal::new(g.below(100_000) as i64, g.below(4) as u32),
    }
}

fn key(g: &mut Gen) -> String {
    match g.below(8) {
        0 => format!("{}", g.next() % 1_000_000_000_000),
        1 => "A-1".into(),
        2 => format!("KJ{:010}", g.next() % 10_000_000_000),
        3 => format!("KJ{:020}TR", g.next()),
        4 => "K^J~1\\2".into(),
        _ => format!("KJ{:012}TR", g.next() % 1_000_000_000_000),
    }
}

fn label(g: &mut Gen, i: usize) -> LabelData {
    let sender = if g.chance(70) {
        sample().sender
    } else {
        let long = g.chance(20);
        party(g, long)
    };
    let long = g.chance(25);
    let recipient = party(g, long);
    let date = chrono::NaiveDate::from_ymd_opt(
        2020 + g.below(10) as i32,
        1 + g.below(12) as u32,
        1 + g.below(28) as u32,
    )
    .unwrap();
    let mut l = LabelData::new(
        g.pick(CARRIERS),
        sender,
        recipient,
        key(g),
        decimal(g),
        decimal(g),
        date,
    );
    let key = l.merchant_key.clone();
    l.service = match g.below(4) {
        0 => None,
        1 => Some("Hızlı Teslimat — Aynı Gün Öğleden Sonra Dağıtım".into()),
        _ => Some("Standart Teslimat".into()),
    };
    l.order_id = g
        .chance(70)
        .then(|| format!("SP-{}", g.next() % 100_000_000));
    l.tracking_number = match g.below(5) {
        0 => Some(key),
        1 => Some(String::new()),
        2 => Some(format!("YK{}TR", g.next() % 1_000_000_000)),
        _ => None,
    };
    l.piece_count = 1 + g.below(12) as u16;
    l.piece_index = 1 + g.below(usize::from(l.piece_count)) as u16;
    l.cod = match g.below(6) {
        0 | 1 => None,
        2 => Some(Money::from_kurus(g.next() as i64 % 10_000_000_000_000)),
        _ => Some(Money::from_kurus(1_000 + g.below(500_000) as i64)),
    };
    l.qr = g
        .chance(5)
        .then(|| format!("https://kargojet.example/t/{i}"));
    l.note = match g.below(6) {
        0 => Some(NOTE.into()),
        1 => Some(g.phrase(STREET, 30)),
        2 => Some("   ".into()),
        _ => None,
    };
    l
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/labels")
            .join(name),
    )
    .unwrap()
}

fn template(g: &mut Gen, size: LabelSize) -> LabelTemplate {
    let mut fields = LabelFields::default();
    for f in [
        &mut fields.sender,
        &mut fields.sender_phone,
        &mut fields.recipient_phone,
        &mut fields.order_id,
        &mut fields.tracking_number,
        &mut fields.desi_kg,
        &mut fields.qr,
        &mut fields.date,
        &mut fields.note,
        &mut fields.logo,
    ] {
        *f = !g.chance(15);
    }
    LabelTemplate {
        size,
        fields,
        logo: match g.below(4) {
            0 => Some(Logo(fixture("logo.png"))),
            1 => Some(Logo(fixture("logo.jpg"))),
            _ => None,
        },
        note: g
            .chance(25)
            .then(|| "Kırılacak eşya — dikkatli taşıyınız".into()),
        font_size: [6.0, 8.5, 10.0, 10.0, 10.0, 12.0, 14.0][g.below(7)],
        mask_phone: g.chance(50),
    }
}

/// The general renderer, one label at a time.
fn reference(r: &LabelRenderer, labels: &[LabelData], tpl: &LabelTemplate, dpi: Dpi) -> Vec<u8> {
    let logo = match (&tpl.logo, tpl.fields.logo) {
        (Some(l), true) => {
            Some(kargojet_core::label::image::LogoImage::decode(&l.0, "logo").unwrap())
        }
        _ => None,
    };
    let mut dl = DisplayList::default();
    let mut cache = ZplLogo::default();
    let mut out = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        r.layout(l, tpl, i, &mut dl).unwrap();
        write_label(&mut out, &dl, dpi, logo.as_ref(), &mut cache);
    }
    out
}

const SIZES: [LabelSize; 4] = [
    LabelSize::Thermal10x15,
    LabelSize::Thermal10x10,
    LabelSize::A6,
    LabelSize::A4FourUp,
];

#[test]
fn fast_path_is_byte_identical_to_the_general_renderer() {
    let r = LabelRenderer::new().unwrap();
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    let mut compared = 0;
    for round in 0..24 {
        for size in SIZES {
            let tpl = if round == 0 {
                LabelTemplate {
                    size,
                    ..LabelTemplate::default()
                }
            } else {
                template(&mut g, size)
            };
            for dpi in [Dpi::D203, Dpi::D300] {
                let mut labels = Vec::new();
                while labels.len() < 40 {
                    let l = label(&mut g, labels.len());
                    // Labels the renderer refuses are checked in the error test.
                    let mut dl = DisplayList::default();
                    if l.validate(0).is_ok() && r.layout(&l, &tpl, 0, &mut dl).is_ok() {
                        labels.push(l);
                    }
                }
                let want = reference(&r, &labels, &tpl, dpi);
                let got = r.render_zpl(&labels, &tpl, dpi).unwrap().bytes;
                if got != want {
                    // Find the first label that differs, for a readable failure.
                    let mut batch = r.zpl_batch(&tpl, dpi).unwrap();
                    for (i, l) in labels.iter().enumerate() {
                        let mut one = Vec::new();
                        batch.render_into(i, l, &mut one).unwrap();
                        let want = reference(&r, std::slice::from_ref(l), &tpl, dpi);
                        assert_eq!(
                            String::from_utf8_lossy(&one),
                            String::from_utf8_lossy(&want),
                            "label {i} of round {round}, {size:?} {dpi:?}, {tpl:?}\n{l:?}"
                        );
                    }
                    panic!("batch output differs but every single label matches");
                }
                compared += labels.len();
            }
        }
    }
    assert!(compared >= 24 * 4 * 2 * 40);
}

#[test]
fn one_batch_renders_label_by_label_into_one_buffer() {
    let r = LabelRenderer::new().unwrap();
    let labels = many(60);
    for size in SIZES {
        for dpi in [Dpi::D203, Dpi::D300] {
            let tpl = LabelTemplate {
                size,
                ..LabelTemplate::default()
            };
            let mut batch = r.zpl_batch(&tpl, dpi).unwrap();
            let mut out = b"prefix".to_vec();
            for (i, l) in labels.iter().enumerate() {
                batch.render_into(i, l, &mut out).unwrap();
            }
            let mut want = b"prefix".to_vec();
            want.extend(reference(&r, &labels, &tpl, dpi));
            assert_eq!(out, want, "{size:?} {dpi:?}");
            let mut into = b"prefix".to_vec();
            r.render_zpl_into(&labels, &tpl, dpi, &mut into).unwrap();
            assert_eq!(into, want, "{size:?} {dpi:?}");
        }
    }
}

#[test]
fn refused_labels_give_the_general_renderers_errors() {
    let r = LabelRenderer::new().unwrap();
    let tpl = LabelTemplate {
        size: LabelSize::Thermal10x10,
        ..LabelTemplate::default()
    };
    let mut bad = Vec::new();
    for (field, f) in [
        (
            "merchant_key",
            (|l: &mut LabelData| l.merchant_key = "KJ-ŞİŞLİ".into()) as fn(&mut LabelData),
        ),
        ("merchant_key", |l| l.merchant_key = String::new()),
        ("merchant_key", |l| l.merchant_key = "9".repeat(41)),
        // Encodable, but too many modules for a readable barcode on 10×10.
        ("merchant_key", |l| {
            l.merchant_key = "KJ-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghij".into()
        }),
        ("piece_index", |l| l.piece_index = 0),
        ("piece_index", |l| l.piece_index = 4),
        ("qr", |l| l.qr = Some("x".repeat(401))),
        ("qr", |l| l.qr = Some(String::new())),
    ] {
        let mut l = sample();
        f(&mut l);
        bad.push((field, l));
    }
    for (field, l) in bad {
        let labels = [sample(), sample(), l];
        let mut dl = DisplayList::default();
        let want = labels[2]
            .validate(2)
            .and_then(|()| r.layout(&labels[2], &tpl, 2, &mut dl))
            .unwrap_err();
        let mut out = b"kept".to_vec();
        let got = r
            .render_zpl_into(&labels, &tpl, Dpi::D203, &mut out)
            .unwrap_err();
        assert_eq!(got.code(), want.code(), "{field}");
        assert_eq!(got.field(), want.field(), "{field}");
        assert_eq!(got.to_string(), want.to_string(), "{field}");
        assert_eq!(got.field(), Some(format!("labels[2].{field}").as_str()));
        assert_eq!(out, b"kept", "nothing written on error");
        let mut batch = r.zpl_batch(&tpl, Dpi::D203).unwrap();
        let mut one = Vec::new();
        let e = batch.render_into(2, &labels[2], &mut one).unwrap_err();
        assert_eq!(e.to_string(), want.to_string());
        assert!(one.is_empty());
    }
    assert!(r.render_zpl(&[], &tpl, Dpi::D203).is_err());
}
