//! Barcodes as module matrices: Code128 (own encoder, checked against barcoders in the tests)
//! for the merchant key and QR (qrcode) for
//! the optional payload. The renderers draw the modules as filled rectangles (PDF) or ask the
//! printer to draw the symbol (ZPL).

use crate::error::{Code, Error, Result};

/// Longest Code128 payload accepted (characters).
pub const CODE128_MAX: usize = 40;
/// Longest QR payload accepted (bytes).
pub const QR_MAX: usize = 400;

/// Checks that Code128 can carry `payload`: 1–40 printable ASCII characters.
pub fn check_code128(payload: &str, field: &str) -> Result<()> {
    match code128_problem(payload) {
        Some(detail) => Err(Error::invalid(Code::LabelBarcodeUnencodable, field, detail)),
        None => Ok(()),
    }
}

/// Why Code128 cannot carry `payload`, if it cannot.
pub fn code128_problem(payload: &str) -> Option<String> {
    let n = payload.chars().count();
    if n == 0 || n > CODE128_MAX {
        return Some(format!(
            "Code128 payload must have 1–{CODE128_MAX} characters, has {n}"
        ));
    }
    payload
        .chars()
        .find(|c| !(' '..='~').contains(c))
        .map(|bad| {
            format!(
                "Code128 cannot carry '{bad}' (U+{:04X}); only printable ASCII",
                u32::from(bad)
            )
        })
}

/// The 11-module bar patterns of Code128 symbol values 0–105 (ISO/IEC 15417), most
/// significant bit first; 103–105 are START A/B/C.
const PATTERNS: [u16; 106] = [
    0b11011001100,
    0b11001101100,
    0b11001100110,
    0b10010011000,
    0b10010001100,
    0b10001001100,
    0b10011001000,
    0b10011000100,
    0b10001100100,
    0b11001001000,
    0b11001000100,
    0b11000100100,
    0b10110011100,
    0b10011011100,
    0b10011001110,
    0b10111001100,
    0b10011101100,
    0b10011100110,
    0b11001110010,
    0b11001011100,
    0b11001001110,
    0b11011100100,
    0b11001110100,
    0b11101101110,
    0b11101001100,
    0b11100101100,
    0b11100100110,
    0b11101100100,
    0b11100110100,
    0b11100110010,
    0b11011011000,
    0b11011000110,
    0b11000110110,
    0b10100011000,
    0b10001011000,
    0b10001000110,
    0b10110001000,
    0b10001101000,
    0b10001100010,
    0b11010001000,
    0b11000101000,
    0b11000100010,
    0b10110111000,
    0b10110001110,
    0b10001101110,
    0b10111011000,
    0b10111000110,
    0b10001110110,
    0b11101110110,
    0b11010001110,
    0b11000101110,
    0b11011101000,
    0b11011100010,
    0b11011101110,
    0b11101011000,
    0b11101000110,
    0b11100010110,
    0b11101101000,
    0b11101100010,
    0b11100011010,
    0b11101111010,
    0b11001000010,
    0b11110001010,
    0b10100110000,
    0b10100001100,
    0b10010110000,
    0b10010000110,
    0b10000101100,
    0b10000100110,
    0b10110010000,
    0b10110000100,
    0b10011010000,
    0b10011000010,
    0b10000110100,
    0b10000110010,
    0b11000010010,
    0b11001010000,
    0b11110111010,
    0b11000010100,
    0b10001111010,
    0b10100111100,
    0b10010111100,
    0b10010011110,
    0b10111100100,
    0b10011110100,
    0b10011110010,
    0b11110100100,
    0b11110010100,
    0b11110010010,
    0b11011011110,
    0b11011110110,
    0b11110110110,
    0b10101111000,
    0b10100011110,
    0b10001011110,
    0b10111101000,
    0b10111100010,
    0b11110101000,
    0b11110100010,
    0b10111011110,
    0b10111101110,
    0b11101011110,
    0b11110101110,
    0b11010000100,
    0b11010010000,
    0b11010011100,
];
/// The STOP pattern with its final bar (13 modules).
const STOP: u16 = 0b1100011101011;
const START_B: u8 = 104;
const START_C: u8 = 105;
const CODE_C: u8 = 99;

/// The symbol values for `payload` (printable ASCII): charset B, switching to C for a trailing
/// run of at least four digits (an even number of them), which keeps merchant keys like
/// `KJ0123456789` short; a payload of digits only starts in C.
fn code128_values(payload: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let digits = payload
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let run = digits - digits % 2;
    let split = if run >= 4 {
        payload.len() - run
    } else {
        payload.len()
    };
    if split == 0 {
        out.push(START_C);
    } else {
        out.push(START_B);
        out.extend(payload[..split].iter().map(|b| b - b' '));
        if split < payload.len() {
            out.push(CODE_C);
        }
    }
    out.extend(
        payload[split..]
            .chunks_exact(2)
            .map(|p| (p[0] - b'0') * 10 + (p[1] - b'0')),
    );
    let sum = out
        .iter()
        .enumerate()
        .map(|(i, v)| i.max(1) as u32 * u32::from(*v))
        .sum::<u32>();
    out.push((sum % 103) as u8);
}

fn push_pattern(bits: u16, len: u32, modules: &mut Vec<u8>) {
    for i in (0..len).rev() {
        modules.push(((bits >> i) & 1) as u8);
    }
}

/// Encodes `payload` as Code128 modules (1 = bar), without quiet zones, into `modules`
/// (`values` is scratch); the error is the reason it cannot.
pub fn code128_modules(
    payload: &str,
    values: &mut Vec<u8>,
    modules: &mut Vec<u8>,
) -> std::result::Result<(), String> {
    if let Some(p) = code128_problem(payload) {
        return Err(p);
    }
    code128_values(payload.as_bytes(), values);
    modules.clear();
    for v in values.iter() {
        push_pattern(PATTERNS[usize::from(*v)], 11, modules);
    }
    push_pattern(STOP, 13, modules);
    Ok(())
}

/// The number of modules [`code128_modules`] draws for `payload` (printable ASCII, already
/// checked), counted from the charset choice without building the bar patterns.
pub fn code128_module_count(payload: &[u8]) -> usize {
    let digits = payload
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let run = digits - digits % 2;
    let split = if run >= 4 {
        payload.len() - run
    } else {
        payload.len()
    };
    // start, the charset B symbols, CODE C when switching, the digit pairs, the check symbol
    let values = if split == 0 {
        1 + run / 2 + 1
    } else {
        1 + split + usize::from(split < payload.len()) + (payload.len() - split) / 2 + 1
    };
    values * 11 + 13
}

/// Checks that a QR code can carry `payload` (at most 400 bytes).
pub fn check_qr(payload: &str, field: &str) -> Result<()> {
    if payload.is_empty() || payload.len() > QR_MAX {
        return Err(Error::invalid(
            Code::LabelBarcodeUnencodable,
            field,
            format!(
                "QR payload must have 1–{QR_MAX} bytes, has {}",
                payload.len()
            ),
        ));
    }
    Ok(())
}

/// A QR code as a square matrix of dark (true) modules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    /// Modules per side.
    pub width: usize,
    /// Row-major, `true` = dark.
    pub dark: Vec<bool>,
}

/// Encodes a QR code (error correction M).
pub fn qr_matrix(payload: &str, field: &str) -> Result<QrMatrix> {
    check_qr(payload, field)?;
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| {
            Error::invalid(
                Code::LabelBarcodeUnencodable,
                field,
                format!("QR encoding failed: {e}"),
            )
        })?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok(QrMatrix {
        width: code.width(),
        dark,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modules(payload: &str) -> Vec<u8> {
        let (mut v, mut m) = (Vec::new(), Vec::new());
        code128_modules(payload, &mut v, &mut m).expect("encodable");
        m
    }

    /// What the barcoders crate encodes for the same charset choice.
    fn reference(payload: &str) -> Vec<u8> {
        let digits = payload.bytes().rev().take_while(u8::is_ascii_digit).count();
        let run = digits - digits % 2;
        let split = if run >= 4 {
            payload.len() - run
        } else {
            payload.len()
        };
        let input = match (split, split < payload.len()) {
            (0, _) => format!("Ć{payload}"),
            (s, true) => format!("Ɓ{}Ć{}", &payload[..s], &payload[s..]),
            _ => format!("Ɓ{payload}"),
        };
        barcoders::sym::code128::Code128::new(input)
            .expect("barcoders")
            .encode()
    }

    #[test]
    fn merchant_keys_switch_to_charset_c_for_digits() {
        let mut v = Vec::new();
        code128_values(b"KJ0123456789", &mut v);
        assert_eq!(&v[..4], &[START_B, 43, 42, CODE_C]);
        assert_eq!(&v[4..9], &[1, 23, 45, 67, 89]);
        code128_values(b"123456", &mut v);
        assert_eq!(&v[..4], &[START_C, 12, 34, 56]);
        // start + 2 B chars + code C + 5 pairs + check (11 each) + stop (13)
        assert_eq!(modules("KJ0123456789").len(), 11 * 10 + 13);
    }

    #[test]
    fn the_encoder_agrees_with_barcoders() {
        for p in [
            "KJ0123456789",
            "KJ12345",
            "123456",
            "A-1",
            "KJ730000000000TR",
            " ~!\"{}|",
            "00",
            "Ab9",
        ] {
            assert_eq!(modules(p), reference(p), "{p}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_printable_ascii_payload_matches_barcoders(p in "[ -~]{1,40}") {
            proptest::prop_assert_eq!(modules(&p), reference(&p));
        }
    }

    proptest::proptest! {
        #[test]
        fn module_count_matches_the_encoder(p in "([ -~]{0,6}[0-9]{0,12}){1,3}") {
            proptest::prop_assume!(!p.is_empty() && p.len() <= CODE128_MAX);
            proptest::prop_assert_eq!(code128_module_count(p.as_bytes()), modules(&p).len());
        }
    }

    #[test]
    fn non_ascii_payloads_are_typed_errors() {
        for bad in ["KJ-ŞİŞLİ", "", "tab\there", &"9".repeat(41)] {
            let e = check_code128(bad, "labels[0].merchant_key").err();
            assert_eq!(
                e.as_ref().map(|e| e.code()),
                Some(Code::LabelBarcodeUnencodable),
                "{bad}"
            );
            assert_eq!(
                e.as_ref().and_then(|e| e.field()),
                Some("labels[0].merchant_key")
            );
        }
        assert!(qr_matrix(&"x".repeat(401), "qr").is_err());
    }

    #[test]
    fn qr_matrices_are_square() -> Result<()> {
        let q = qr_matrix("https://kargojet.example/t/KJ0123456789", "qr")?;
        assert_eq!(q.dark.len(), q.width * q.width);
        assert!(q.dark.iter().any(|d| *d) && q.dark.iter().any(|d| !*d));
        Ok(())
    }
}
