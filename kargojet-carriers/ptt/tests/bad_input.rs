//! Bad input never panics and never loses the raw body: empty, truncated, wrongly encoded
//! answers and unknown codes, for every response parser.

#![allow(clippy::unwrap_used)]

use kargojet_core::Code;
use kargojet_ptt::map;

fn all_parsers(raw: &[u8]) -> Vec<Result<(), kargojet_core::Error>> {
    vec![
        map::parse_create(raw, "2791727900015", "KJ-1").map(|_| ()),
        map::parse_track(raw).map(|_| ()),
        map::parse_cancel(raw),
        map::parse_label(raw).map(|_| ()),
    ]
}

#[test]
fn empty_truncated_and_wrongly_encoded_answers_are_protocol_errors_with_raw() {
    let good = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/track/ten_events.response.xml"
    ))
    .unwrap();
    let text = String::from_utf8(good.clone()).unwrap();
    // ISO-8859-9 (Turkish Latin-5) bytes for the same document.
    let latin5: Vec<u8> = text
        .chars()
        .map(|c| match c {
            'Ç' => 0xC7,
            'Ö' => 0xD6,
            'İ' => 0xDD,
            'ı' => 0xFD,
            'ş' => 0xFE,
            'Ş' => 0xDE,
            'ğ' => 0xF0,
            'ü' => 0xFC,
            c if c.is_ascii() => c as u8,
            _ => b'?',
        })
        .collect();
    let mut cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"   \n".to_vec(),
        latin5,
        b"\xff\xfe<\x00a\x00".to_vec(),
    ];
    for cut in (0..good.len()).step_by(97) {
        cases.push(good[..cut].to_vec());
    }
    for raw in cases {
        for r in all_parsers(&raw) {
            let e = r.err().unwrap();
            assert!(
                matches!(
                    e.code(),
                    Code::ProtocolMalformed | Code::CarrierRejected | Code::AuthFailed
                ),
                "{e}"
            );
            if e.code() == Code::ProtocolMalformed {
                assert_eq!(
                    e.raw().map(str::len),
                    Some(String::from_utf8_lossy(&raw).len())
                );
            }
        }
    }
}

#[test]
fn bad_dates_weights_and_sequence_numbers_are_errors_not_panics() {
    let base = String::from_utf8(
        std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/track/example.response.xml"
        ))
        .unwrap(),
    )
    .unwrap();
    for (from, to) in [
        ("12/03/2024", "32/13/2024"),
        ("10:05:00", "99:99"),
        ("<ax:GR>1500", "<ax:GR>bin beş yüz"),
        ("<ax:siraNo>1<", "<ax:siraNo>x<"),
    ] {
        let bad = base.replace(from, to);
        let e = map::parse_track(bad.as_bytes()).err().unwrap();
        assert_eq!(e.code(), Code::ProtocolMalformed, "{from}");
        assert_eq!(e.raw(), Some(bad.as_str()));
    }
}
