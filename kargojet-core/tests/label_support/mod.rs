//! Shared helpers of the label integration tests: sample labels and the external tools
//! (poppler-utils, zbar-tools, qpdf) that check the output.
#![allow(dead_code, clippy::unwrap_used)]

use chrono::NaiveDate;
use kargojet_core::Money;
use kargojet_core::label::{LabelData, LabelParty};
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Every Turkish letter, lower and upper case.
pub const TURKISH: &str = "çğıİöşüÇĞÖŞÜ";

/// The note printed on the sample label (checked with pdftotext).
pub const NOTE: &str = "Kırılacak eşya: çğıİöşü ÇĞÖŞÜ";

/// A sample label with Turkish text in every block.
pub fn sample() -> LabelData {
    let sender = LabelParty {
        name: "Örnek Ticaret A.Ş. (Depo)".into(),
        address_line: "Hadımköy Mah. Doğuş Sk. No:12".into(),
        district: "Arnavutköy".into(),
        province: "İstanbul".into(),
        phone: "2125550102".into(),
    };
    let recipient = LabelParty {
        name: "Çağrı Gülşen Öztürk".into(),
        address_line: "Şehitler Cd. Ülkü Apt. No:7 D:3".into(),
        district: "Çankaya".into(),
        province: "Ankara".into(),
        phone: "5321234567".into(),
    };
    let date = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    let mut l = LabelData::new(
        "Yurtiçi Kargo",
        sender,
        recipient,
        "KJ0123456789",
        Decimal::new(35, 1),
        Decimal::new(250, 2),
        date,
    );
    l.service = Some("Standart Teslimat".into());
    l.order_id = Some("SP-48213377".into());
    l.tracking_number = Some("YK900123456TR".into());
    l.piece_index = 2;
    l.piece_count = 3;
    l.cod = Some(Money::from_kurus(125_000));
    l.qr = Some("https://kargojet.example/t/KJ0123456789".into());
    l.note = Some(NOTE.into());
    l
}

/// `n` varied labels (different names, keys, COD or not).
pub fn many(n: usize) -> Vec<LabelData> {
    let first = [
        "Ayşe",
        "Gülşen",
        "Çağrı",
        "İsmail",
        "Şükrü",
        "Ömer",
        "Iğdır'lı Ali",
        "Özge",
    ];
    let last = ["Yılmaz", "Öztürk", "Çelik", "Şahin", "Doğan", "Güneş"];
    (0..n)
        .map(|i| {
            let mut l = sample();
            l.recipient.name = format!("{} {}", first[i % first.len()], last[i % last.len()]);
            l.merchant_key = format!("KJ{:010}", 730_000_000 + i * 7919);
            l.cod = if i % 3 == 0 {
                None
            } else {
                Some(Money::from_kurus(14_990 + i as i64))
            };
            l.qr = None;
            l.piece_index = 1;
            l.piece_count = 1;
            l
        })
        .collect()
}

/// A fresh scratch directory under the target dir.
pub fn scratch(name: &str) -> PathBuf {
    let base = std::env::var_os("CARGO_TARGET_TMPDIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    let dir = base.join(format!("labels-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs an external tool; a missing tool fails with the package to install.
pub fn run(tool: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        let pkg = match tool {
            "pdftotext" | "pdftoppm" | "pdffonts" => "poppler-utils",
            "zbarimg" => "zbar-tools",
            "qpdf" => "qpdf",
            _ => "?",
        };
        panic!("the label tests need `{tool}` ({e}); install it with `apt-get install -y {pkg}` (the project's test script does)")
    });
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Writes `bytes` to `dir/name` and returns the path as a string.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_string_lossy().into_owned()
}

/// `qpdf --check` must pass without errors or warnings.
pub fn qpdf_check(path: &str) {
    let (code, out, err) = run("qpdf", &["--check", path]);
    assert_eq!(code, 0, "qpdf --check {path} failed:\n{out}\n{err}");
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
}

/// Text of a PDF as pdftotext gives it (UTF-8).
pub fn pdftotext(path: &str) -> String {
    let (code, out, err) = run("pdftotext", &["-enc", "UTF-8", path, "-"]);
    assert_eq!(code, 0, "pdftotext {path}: {err}");
    out
}
