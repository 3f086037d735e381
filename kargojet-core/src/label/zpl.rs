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
        (pt * self.dots_per_inch() / 72.0).round() as i32
    }

    fn dots_floor(self, pt: f32) -> i32 {
        (pt * self.dots_per_inch() / 72.0).floor() as i32
    }
}

/// Appends `s` escaped for a `^FH\` field: `^` `~` `\` as `\5E` `\7E` `\5C`.
pub fn escape_into(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut last = 0;
    for (i, b) in bytes.iter().enumerate() {
        let rep = match b {
            b'^' => "\\5E",
            b'~' => "\\7E",
            b'\\' => "\\5C",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(rep);
        last = i + 1;
    }
    out.push_str(&s[last..]);
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
fn int(out: &mut String, n: i32) {
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
        out.push(char::from(*b));
    }
}

/// Appends `^FOx,y`.
fn fo(out: &mut String, x: i32, y: i32) {
    out.push_str("^FO");
    int(out, x);
    out.push(',');
    int(out, y);
}

/// Appends `^GBw,h,t^FS`.
fn gb(out: &mut String, w: i32, h: i32, t: i32) {
    out.push_str("^GB");
    int(out, w);
    out.push(',');
    int(out, h);
    out.push(',');
    int(out, t);
    out.push_str("^FS");
}

/// Appends one label as `^XA…^XZ`. JPEG logos are not rasterized for ZPL and are left out.
pub fn write_label(
    out: &mut String,
    dl: &DisplayList,
    dpi: Dpi,
    logo: Option<&LogoImage>,
    cache: &mut ZplLogo,
) {
    let d = |v: f32| dpi.dots(v);
    out.push_str("^XA^CI28^PW");
    int(out, d(dl.width));
    out.push_str("^LL");
    int(out, d(dl.height));
    out.push_str("^LH0,0");
    for op in &dl.ops {
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
                text,
                ..
            } => {
                // Floor, so printed glyphs are never larger than the size the text was fitted at.
                let h = dpi.dots_floor(*size).max(10);
                fo(out, d(*x), d(baseline - size * 0.76).max(0));
                out.push_str("^A0N,");
                int(out, h);
                out.push(',');
                int(out, h);
                out.push_str("^FB");
                int(out, dpi.dots_floor(*block_w));
                out.push_str(match align {
                    Align::Left => ",1,0,L,0",
                    Align::Center => ",1,0,C,0",
                    Align::Right => ",1,0,R,0",
                });
                if *white {
                    out.push_str("^FR");
                }
                out.push_str("^FH\\^FD");
                escape_into(out, &dl.text[text.clone()]);
                out.push_str("^FS");
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
                out.push_str("^BY");
                int(out, m);
                out.push_str(",3,");
                int(out, d(*h));
                out.push_str("^BCN,");
                int(out, d(*h));
                out.push_str(",N,N,N,A^FH\\^FD");
                escape_into(out, &dl.text[payload.clone()]);
                out.push_str("^FS");
            }
            Op::Qr {
                x,
                y,
                module,
                payload,
                ..
            } => {
                fo(out, d(*x), d(*y));
                out.push_str("^BQN,2,");
                int(out, dpi.dots_floor(*module).clamp(1, 10));
                out.push_str("^FH\\^FDMA,");
                escape_into(out, &dl.text[payload.clone()]);
                out.push_str("^FS");
            }
            Op::Logo { x, y, w, h } => {
                if let Some(img @ LogoImage::Png { .. }) = logo {
                    if let Some(gfa) = cache.get(img, d(*w), d(*h)) {
                        fo(out, d(*x), d(*y));
                        out.push_str(gfa);
                        out.push_str("^FS");
                    }
                }
            }
        }
    }
    out.push_str("^PQ1^XZ\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_data_cannot_inject_commands() {
        let mut s = String::new();
        escape_into(&mut s, "A^XZ~JA\\B Şişli");
        assert_eq!(s, "A\\5EXZ\\7EJA\\5CB Şişli");
    }
}
