//! The ZPL II backend: the same display list as the PDF, as one `^XA…^XZ` per label with
//! `^CI28` (UTF-8), `^FB` text blocks, `^BC` Code128, `^BQ` QR, `^GB` boxes and the logo as
//! `^GFA`. All field data goes through `^FH\` hex escapes, so `^`, `~` and `\` in addresses
//! cannot inject commands.
//!
//! Text is fitted with DejaVu Sans metrics before it is sent; ZPL font 0 (CG Triumvirate
//! Condensed) is narrower, so a fitted line also fits its `^FB` block on the printer.

use crate::label::image::LogoImage;
use crate::label::layout::{Align, DisplayList, Op};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Printer resolution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Dpi {
    /// 203 dpi (8 dots/mm).
    D203,
    /// 300 dpi (12 dots/mm).
    D300,
}

impl Dpi {
    /// Dots per inch.
    pub fn dots_per_inch(self) -> f32 {
        match self {
            Dpi::D203 => 203.0,
            Dpi::D300 => 300.0,
        }
    }

    fn dots(self, pt: f32) -> i32 {
        round(pt * self.dots_per_inch() / 72.0)
    }

    fn dots_floor(self, pt: f32) -> i32 {
        floor(pt * self.dots_per_inch() / 72.0)
    }
}

/// `x.round() as i32` (half away from zero) without a libm call: the fraction `x - trunc(x)`
/// is exact in floating point.
#[inline]
fn round(x: f32) -> i32 {
    let i = x as i32;
    let f = x - i as f32;
    if f >= 0.5 {
        i + 1
    } else if f <= -0.5 {
        i - 1
    } else {
        i
    }
}

/// `x.floor() as i32` without a libm call.
#[inline]
fn floor(x: f32) -> i32 {
    let i = x as i32;
    if x < i as f32 { i - 1 } else { i }
}

/// Appends `s` escaped for a `^FH\` field: `^` `~` `\` as `\5E` `\7E` `\5C`.
pub fn escape_into(out: &mut String, s: &str) {
    let mut buf = Vec::with_capacity(s.len());
    escape_bytes(&mut buf, s);
    out.push_str(&String::from_utf8_lossy(&buf));
}

/// [`escape_into`] for a byte buffer (what [`write_label`] writes into).
pub fn escape_bytes(out: &mut Vec<u8>, s: &str) {
    escape_raw(out, s.as_bytes());
}

/// [`escape_bytes`] of raw bytes.
pub(crate) fn escape_raw(out: &mut Vec<u8>, bytes: &[u8]) {
    if !maybe_escape(bytes) {
        out.extend_from_slice(bytes);
        return;
    }
    let mut last = 0;
    for (i, b) in bytes.iter().enumerate() {
        let rep = match b {
            b'^' => b"\\5E",
            b'~' => b"\\7E",
            b'\\' => b"\\5C",
            _ => continue,
        };
        out.extend_from_slice(&bytes[last..i]);
        out.extend_from_slice(rep);
        last = i + 1;
    }
    out.extend_from_slice(&bytes[last..]);
}

/// False when `bytes` certainly holds none of `^` `~` `\\` (a branch-free pass the compiler
/// vectorizes; `|` also answers true, and the exact loop then finds nothing to escape).
#[inline]
pub(crate) fn maybe_escape(bytes: &[u8]) -> bool {
    // 0x5C `\\`, 0x5E `^`, 0x7C `|` and 0x7E `~` are exactly the bytes with `b | 0x22 == 0x7E`.
    let hit = |c: &[u8]| c.iter().fold(false, |a, &b| a | ((b | 0x22) == 0x7e));
    let mut chunks = bytes.chunks_exact(16);
    for c in &mut chunks {
        if hit(c) {
            return true;
        }
    }
    hit(chunks.remainder())
}

/// The logo as a `^GFA` graphic for a given size in dots (built once per render call).
#[derive(Debug, Default)]
pub struct ZplLogo {
    key: Option<(i32, i32)>,
    gfa: String,
}

impl ZplLogo {
    fn get(&mut self, img: &LogoImage, w: i32, h: i32) -> Option<&str> {
        if self.key != Some((w, h)) {
            self.gfa.clear();
            let (pw, ph) = img.size();
            let (w, h) = (w.max(1), h.max(1));
            let bpr = (w as usize).div_ceil(8);
            let total = bpr * h as usize;
            let _ = write!(self.gfa, "^GFA,{total},{total},{bpr},");
            for y in 0..h {
                let sy = ((y as u64 * u64::from(ph)) / h as u64) as u32;
                let mut byte = 0u8;
                for x in 0..(bpr * 8) as i32 {
                    let sx = ((x as u64 * u64::from(pw)) / w as u64) as u32;
                    let dark = x < w && img.luma(sx, sy)? < 128;
                    byte = (byte << 1) | u8::from(dark);
                    if x % 8 == 7 {
                        let _ = write!(self.gfa, "{byte:02X}");
                        byte = 0;
                    }
                }
            }
            self.key = Some((w, h));
        }
        Some(&self.gfa)
    }
}

/// Appends a non-negative integer (no formatting machinery).
fn int(out: &mut Vec<u8>, n: i32) {
    let mut n = n.max(0) as u32;
    let mut tmp = [0u8; 10];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for b in &tmp[i..] {
        out.push(*b);
    }
}

/// Appends `^FOx,y`.
fn fo(out: &mut Vec<u8>, x: i32, y: i32) {
    out.extend_from_slice(b"^FO");
    int(out, x);
    out.push(b',');
    int(out, y);
}

/// Appends `^GBw,h,t^FS`.
fn gb(out: &mut Vec<u8>, w: i32, h: i32, t: i32) {
    out.extend_from_slice(b"^GB");
    int(out, w);
    out.push(b',');
    int(out, h);
    out.push(b',');
    int(out, t);
    out.extend_from_slice(b"^FS");
}

/// Appends one label as `^XA…^XZ`. JPEG logos are not rasterized for ZPL and are left out.
pub fn write_label(
    out: &mut Vec<u8>,
    dl: &DisplayList,
    dpi: Dpi,
    logo: Option<&LogoImage>,
    cache: &mut ZplLogo,
) {
    write_ops(
        out,
        (dl.width, dl.height),
        &dl.ops,
        &dl.text,
        dpi,
        logo,
        cache,
        &mut escape_bytes,
    );
}

/// The writer behind [`write_label`]: `ops` of a label of `size` points (width, height) whose
/// text ranges index `text`. Every piece of field data (text, barcode and QR payloads) is
/// written by `field`, in op order, so the fast path can record where the data goes.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_ops<F: FnMut(&mut Vec<u8>, &str)>(
    out: &mut Vec<u8>,
    size: (f32, f32),
    ops: &[Op],
    text: &str,
    dpi: Dpi,
    logo: Option<&LogoImage>,
    cache: &mut ZplLogo,
    field: &mut F,
) {
    let d = |v: f32| dpi.dots(v);
    out.extend_from_slice(b"^XA^CI28^PW");
    int(out, d(size.0));
    out.extend_from_slice(b"^LL");
    int(out, d(size.1));
    out.extend_from_slice(b"^LH0,0");
    for op in ops {
        match op {
            Op::Rect {
                x,
                y,
                w,
                h,
                fill,
                line,
            } => {
                let t = if *fill {
                    d(*h).min(d(*w))
                } else {
                    d(*line).max(1)
                };
                fo(out, d(*x), d(*y));
                gb(out, d(*w), d(*h), t);
            }
            Op::Rule { x, y, w, line } => {
                let t = d(*line).max(1);
                fo(out, d(*x), d(*y) - t / 2);
                gb(out, d(*w), t, t);
            }
            Op::Text {
                x,
                baseline,
                block_w,
                size,
                white,
                align,
                text: range,
                ..
            } => {
                // Floor, so printed glyphs are never larger than the size the text was fitted at.
                let h = dpi.dots_floor(*size).max(10);
                fo(out, d(*x), d(baseline - size * 0.76).max(0));
                out.extend_from_slice(b"^A0N,");
                int(out, h);
                out.push(b',');
                int(out, h);
                out.extend_from_slice(b"^FB");
                int(out, dpi.dots_floor(*block_w));
                out.extend_from_slice(match align {
                    Align::Left => b",1,0,L,0",
                    Align::Center => b",1,0,C,0",
                    Align::Right => b",1,0,R,0",
                });
                if *white {
                    out.extend_from_slice(b"^FR");
                }
                out.extend_from_slice(b"^FH\\^FD");
                field(out, &text[range.clone()]);
                out.extend_from_slice(b"^FS");
            }
            Op::Bars {
                x,
                y,
                module,
                h,
                modules,
                payload,
            } => {
                let m = dpi.dots_floor(*module).max(1);
                let width = m * modules.len() as i32;
                let full = dpi.dots(module * modules.len() as f32);
                fo(out, d(*x) + (full - width) / 2, d(*y));
                out.extend_from_slice(b"^BY");
                int(out, m);
                out.extend_from_slice(b",3,");
                int(out, d(*h));
                out.extend_from_slice(b"^BCN,");
                int(out, d(*h));
                out.extend_from_slice(b",N,N,N,A^FH\\^FD");
                field(out, &text[payload.clone()]);
                out.extend_from_slice(b"^FS");
            }
            Op::Qr {
                x,
                y,
                module,
                payload,
                ..
            } => {
                fo(out, d(*x), d(*y));
                out.extend_from_slice(b"^BQN,2,");
                int(out, dpi.dots_floor(*module).clamp(1, 10));
                out.extend_from_slice(b"^FH\\^FDMA,");
                field(out, &text[payload.clone()]);
                out.extend_from_slice(b"^FS");
            }
            Op::Logo { x, y, w, h } => {
                if let Some(img @ LogoImage::Png { .. }) = logo {
                    if let Some(gfa) = cache.get(img, d(*w), d(*h)) {
                        fo(out, d(*x), d(*y));
                        out.extend_from_slice(gfa.as_bytes());
                        out.extend_from_slice(b"^FS");
                    }
                }
            }
        }
    }
    out.extend_from_slice(b"^PQ1^XZ\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_data_cannot_inject_commands() {
        let mut s = String::new();
        escape_into(&mut s, "A^XZ~JA\\B Şişli");
        assert_eq!(s, "A\\5EXZ\\7EJA\\5CB Şişli");
        let mut b = Vec::new();
        escape_bytes(&mut b, "plain Çağrı");
        assert_eq!(b, "plain Çağrı".as_bytes());
    }

    #[test]
    fn dot_rounding_matches_libm() {
        let mut x = -3000.0f32;
        while x < 3000.0 {
            for v in [x, x + 0.5, x - 0.5, f32::from_bits(x.to_bits() + 1)] {
                assert_eq!(round(v), v.round() as i32, "round {v}");
                assert_eq!(floor(v), v.floor() as i32, "floor {v}");
            }
            x += 0.173;
        }
        for v in [0.49999997f32, -0.49999997, 0.5, -0.5, 1.5, -1.5, 0.0, -0.0] {
            assert_eq!(round(v), v.round() as i32, "round {v}");
            assert_eq!(floor(v), v.floor() as i32, "floor {v}");
        }
    }
}
