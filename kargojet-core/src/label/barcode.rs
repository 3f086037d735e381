//! Barcodes as module matrices: Code128 (barcoders) for the merchant key and QR (qrcode) for
//! the optional payload. The renderers draw the modules as filled rectangles (PDF) or ask the
//! printer to draw the symbol (ZPL).

use crate::error::{Code, Error, Result};

/// Longest Code128 payload accepted (characters).
pub const CODE128_MAX: usize = 40;
/// Longest QR payload accepted (bytes).
pub const QR_MAX: usize = 400;

/// Checks that Code128 can carry `payload`: 1–40 printable ASCII characters.
pub fn check_code128(payload: &str, field: &str) -> Result<()> {
    let n = payload.chars().count();
    if n == 0 || n > CODE128_MAX {
        return Err(Error::invalid(
            Code::LabelBarcodeUnencodable,
            field,
            format!("Code128 payload must have 1–{CODE128_MAX} characters, has {n}"),
        ));
    }
    if let Some(bad) = payload.chars().find(|c| !(' '..='~').contains(c)) {
        return Err(Error::invalid(
            Code::LabelBarcodeUnencodable,
            field,
            format!("Code128 cannot carry '{bad}' (U+{:04X}); only printable ASCII", u32::from(bad)),
        ));
    }
    Ok(())
}

/// The barcoders input for `payload`: charset B, switching to C for a trailing run of at least
/// four digits (an even number of them), which keeps merchant keys like `KJ0123456789` short.
fn code128_input(payload: &str, out: &mut String) {
    out.clear();
    let bytes = payload.as_bytes();
    let digits = bytes.iter().rev().take_while(|b| b.is_ascii_digit()).count();
    let run = digits - digits % 2;
    if run >= 4 {
        let split = bytes.len() - run;
        if split == 0 {
            out.push('Ć');
        } else {
            out.push('Ɓ');
            out.push_str(&payload[..split]);
            out.push('Ć');
        }
        out.push_str(&payload[split..]);
    } else {
        out.push('Ɓ');
        out.push_str(payload);
    }
}

/// Encodes `payload` as Code128 modules (1 = bar), without quiet zones, into `modules`.
pub fn code128_modules(payload: &str, field: &str, scratch: &mut String, modules: &mut Vec<u8>) -> Result<()> {
    check_code128(payload, field)?;
    code128_input(payload, scratch);
    let code = barcoders::sym::code128::Code128::new(scratch.as_str()).map_err(|e| {
        Error::invalid(Code::LabelBarcodeUnencodable, field, format!("Code128 encoding failed: {e}"))
    })?;
    modules.clear();
    modules.extend(code.encode());
    Ok(())
}

/// Checks that a QR code can carry `payload` (at most 400 bytes).
pub fn check_qr(payload: &str, field: &str) -> Result<()> {
    if payload.is_empty() || payload.len() > QR_MAX {
        return Err(Error::invalid(
            Code::LabelBarcodeUnencodable,
            field,
            format!("QR payload must have 1–{QR_MAX} bytes, has {}", payload.len()),
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
        .map_err(|e| Error::invalid(Code::LabelBarcodeUnencodable, field, format!("QR encoding failed: {e}")))?;
    let dark = code.to_colors().into_iter().map(|c| c == qrcode::Color::Dark).collect();
    Ok(QrMatrix { width: code.width(), dark })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merchant_keys_switch_to_charset_c_for_digits() -> Result<()> {
        let mut s = String::new();
        code128_input("KJ0123456789", &mut s);
        assert_eq!(s, "ƁKJĆ0123456789");
        code128_input("KJ12345", &mut s);
        assert_eq!(s, "ƁKJ1Ć2345");
        code128_input("123456", &mut s);
        assert_eq!(s, "Ć123456");
        code128_input("A-1", &mut s);
        assert_eq!(s, "ƁA-1");
        let mut m = Vec::new();
        code128_modules("KJ0123456789", "k", &mut s, &mut m)?;
        let mut b = Vec::new();
        code128_modules("KJ0123456788", "k", &mut s, &mut b)?;
        assert_ne!(m, b);
        // start (11) + 2 B chars + code C + 5 pairs + check (11 each) + stop (13)
        assert_eq!(m.len(), 11 * 10 + 13);
        Ok(())
    }

    #[test]
    fn non_ascii_payloads_are_typed_errors() {
        for bad in ["KJ-ŞİŞLİ", "", "tab\there", &"9".repeat(41)] {
            let e = check_code128(bad, "labels[0].merchant_key").err();
            assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::LabelBarcodeUnencodable), "{bad}");
            assert_eq!(e.as_ref().and_then(|e| e.field()), Some("labels[0].merchant_key"));
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
