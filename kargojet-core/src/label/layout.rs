//! Lays one label out as a display list (text lines, rectangles, bars, QR, logo) in points,
//! origin at the label's top-left corner, y downwards. The PDF and ZPL backends draw the same
//! list, so both print the same content. Every op is placed inside the label: text is fitted to
//! its block (wrapped, then truncated with `…`) and a line that would not fit vertically is not
//! placed.

use crate::error::Result;
use crate::label::barcode;
use crate::label::data::{LabelData, LabelParty};
use crate::label::font::FontSet;
use crate::label::template::{LabelSize, LabelTemplate};
use crate::label::text::{fit_line, wrap_into};
use crate::money::write_turkish;
use chrono::Datelike;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use std::ops::Range;

/// Points per millimetre.
pub const PT_PER_MM: f32 = 72.0 / 25.4;

pub(crate) fn mm(v: f32) -> f32 {
    v * PT_PER_MM
}

/// Horizontal alignment of a text line in its block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// One drawing operation (points, y down from the label's top-left).
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    /// A line of text; `x..x+block_w` is its block, `baseline` its baseline.
    Text {
        /// Block left edge.
        x: f32,
        /// Baseline.
        baseline: f32,
        /// Block width.
        block_w: f32,
        /// Measured text width (≤ `block_w`).
        width: f32,
        /// Font size.
        size: f32,
        /// Bold face.
        bold: bool,
        /// White on black.
        white: bool,
        /// Alignment in the block.
        align: Align,
        /// Byte range in [`DisplayList::text`].
        text: Range<usize>,
    },
    /// A rectangle, filled black or stroked.
    Rect {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Filled (else stroked with `line`).
        fill: bool,
        /// Stroke width.
        line: f32,
    },
    /// A horizontal rule.
    Rule {
        /// Left.
        x: f32,
        /// Vertical position.
        y: f32,
        /// Length.
        w: f32,
        /// Thickness.
        line: f32,
    },
    /// A Code128 symbol.
    Bars {
        /// Left (first bar).
        x: f32,
        /// Top.
        y: f32,
        /// Module width.
        module: f32,
        /// Bar height.
        h: f32,
        /// Module range in [`DisplayList::modules`].
        modules: Range<usize>,
        /// Payload range in [`DisplayList::text`].
        payload: Range<usize>,
    },
    /// A QR symbol.
    Qr {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Module size.
        module: f32,
        /// Modules per side.
        width: usize,
        /// Module range (row-major, 1 = dark) in [`DisplayList::modules`].
        modules: Range<usize>,
        /// Payload range in [`DisplayList::text`].
        payload: Range<usize>,
    },
    /// The template's logo, fitted into the box.
    Logo {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
    },
}

/// One laid-out label. Reused between labels: [`DisplayList::clear`] keeps the buffers.
#[derive(Debug, Default, Clone)]
pub struct DisplayList {
    /// Label width in points.
    pub width: f32,
    /// Label height in points.
    pub height: f32,
    /// The ops.
    pub ops: Vec<Op>,
    /// Text arena.
    pub text: String,
    /// Barcode module arena.
    pub modules: Vec<u8>,
    lines: Vec<Range<usize>>,
    scratch: String,
    scratch_mod: Vec<u8>,
    values: Vec<u8>,
}

impl DisplayList {
    /// Empties the list, keeping its buffers.
    pub fn clear(&mut self) {
        self.ops.clear();
        self.text.clear();
        self.modules.clear();
        self.lines.clear();
    }

    /// The text of a range.
    pub fn str(&self, r: &Range<usize>) -> &str {
        &self.text[r.clone()]
    }

    /// Bounding box (x0, y0, x1, y1) of an op, in points; text uses its block and font size.
    pub fn bbox(&self, op: &Op) -> (f32, f32, f32, f32) {
        match op {
            Op::Text {
                x,
                baseline,
                block_w,
                size,
                ..
            } => (
                *x,
                baseline - size * 0.76,
                x + block_w,
                baseline + size * 0.24,
            ),
            Op::Rect { x, y, w, h, .. } | Op::Logo { x, y, w, h } => (*x, *y, x + w, y + h),
            Op::Rule { x, y, w, line } => (*x, y - line / 2.0, x + w, y + line / 2.0),
            Op::Bars {
                x,
                y,
                module,
                h,
                modules,
                ..
            } => (*x, *y, x + module * modules.len() as f32, y + h),
            Op::Qr {
                x,
                y,
                module,
                width,
                ..
            } => (
                *x,
                *y,
                x + module * *width as f32,
                y + module * *width as f32,
            ),
        }
    }
}

/// Size-dependent metrics.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Metrics {
    pub(crate) font: f32,
    pub(crate) barcode_h: f32,
    pub(crate) recipient_lines: usize,
    pub(crate) sender_lines: usize,
    pub(crate) note_lines: usize,
    pub(crate) band_h: f32,
    pub(crate) recipient_font: f32,
}

pub(crate) fn metrics(size: LabelSize, font_size: f32) -> Metrics {
    let f = font_size / 10.0;
    match size {
        LabelSize::Thermal10x10 => Metrics {
            font: f * 0.85,
            barcode_h: mm(12.0),
            recipient_lines: 2,
            sender_lines: 1,
            note_lines: 1,
            band_h: mm(8.0),
            recipient_font: 10.0,
        },
        _ => Metrics {
            font: f,
            barcode_h: mm(20.0),
            recipient_lines: 4,
            sender_lines: 2,
            note_lines: 2,
            band_h: mm(10.0),
            recipient_font: 11.5,
        },
    }
}

/// Turkish phone display: `0532 123 45 67`, or `0532 *** ** 67` masked.
pub fn format_phone(digits: &str, masked: bool, out: &mut String) {
    let d = digits.as_bytes();
    if d.len() == 10 && d.iter().all(u8::is_ascii_digit) {
        let (a, b, c, e) = (&digits[..3], &digits[3..6], &digits[6..8], &digits[8..]);
        out.push('0');
        out.push_str(a);
        if masked {
            out.push_str(" *** ** ");
        } else {
            out.push(' ');
            out.push_str(b);
            out.push(' ');
            out.push_str(c);
            out.push(' ');
        }
        out.push_str(e);
    } else if masked {
        out.push_str(&crate::address::mask_phone(digits));
    } else {
        out.push_str(digits);
    }
}

/// Writes a decimal with `dp` decimals and a Turkish decimal comma (`2,50`): what
/// `format!("{:.dp$}", d.round_dp(dp))` writes, with `,` for `.`.
pub fn write_decimal(out: &mut String, d: Decimal, dp: u32) {
    let r = d.round_dp(dp);
    let scale = r.scale();
    let mantissa = r.mantissa().unsigned_abs();
    match (u64::try_from(mantissa), 10u64.checked_pow(scale)) {
        (Ok(m), Some(pow)) if scale <= dp && dp <= 28 => {
            if r.is_sign_negative() {
                out.push('-');
            }
            push_u64(out, m / pow);
            if dp > 0 {
                // `,`, the scale's digits of the fraction, then zeros up to `dp` digits.
                let mut buf = [b'0'; 32];
                buf[0] = b',';
                let mut v = m % pow;
                for i in (1..=scale as usize).rev() {
                    buf[i] = b'0' + (v % 10) as u8;
                    v /= 10;
                }
                out.push_str(std::str::from_utf8(&buf[..=dp as usize]).unwrap_or(","));
            }
        }
        _ => {
            let start = out.len();
            let _ = write!(out, "{:.*}", dp as usize, r);
            if let Some(i) = out[start..].find('.') {
                out.replace_range(start + i..start + i + 1, ",");
            }
        }
    }
}

/// Appends `n` in decimal.
pub(crate) fn push_u64(out: &mut String, n: u64) {
    let mut buf = [0u8; 20];
    out.push_str(digits(&mut buf, n));
}

/// `n` in decimal, written at the end of `buf`.
#[inline]
pub(crate) fn digits(buf: &mut [u8; 20], mut n: u64) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    std::str::from_utf8(&buf[i..]).unwrap_or("0")
}

/// Appends `s` in Turkish upper case (`i` → `İ`, `ı` → `I`) without allocating.
pub fn push_upper(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            'i' => out.push('İ'),
            'ı' => out.push('I'),
            c if c.is_ascii() => out.push(c.to_ascii_uppercase()),
            // The Turkish letters and the upper-case ones map without the Unicode tables.
            'ç' => out.push('Ç'),
            'ğ' => out.push('Ğ'),
            'ö' => out.push('Ö'),
            'ş' => out.push('Ş'),
            'ü' => out.push('Ü'),
            'â' => out.push('Â'),
            'î' => out.push('Î'),
            'û' => out.push('Û'),
            'Ç' | 'Ğ' | 'İ' | 'Ö' | 'Ş' | 'Ü' | 'Â' | 'Î' | 'Û' => out.push(c),
            c => out.extend(c.to_uppercase()),
        }
    }
}

pub(crate) fn push_2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// `x.floor().max(0.0) as usize` without a libm call.
#[inline]
pub(crate) fn floor_usize(x: f32) -> usize {
    if x >= 0.0 { x as usize } else { 0 }
}

/// A vertical cursor with a floor that text may not pass.
struct Flow {
    y: f32,
    limit: f32,
}

/// Lays out `data` (the `index`-th label of the call, for error paths) with `tpl` into `dl`.
/// `logo` is the logo's pixel size when one is shown.
pub fn layout(
    fonts: &FontSet,
    data: &LabelData,
    tpl: &LabelTemplate,
    logo: Option<(u32, u32)>,
    index: usize,
    dl: &mut DisplayList,
) -> Result<()> {
    dl.clear();
    let (wmm, hmm) = tpl.size.label_mm();
    let (w, h) = (mm(wmm), mm(hmm));
    dl.width = w;
    dl.height = h;
    let k = metrics(tpl.size, tpl.font_size);
    let f = k.font;
    let m = mm(4.0);
    let inner = w - 2.0 * m;
    let show = &tpl.fields;

    // ---- bottom stack, anchored to the bottom edge ----
    let key = data.merchant_key.as_str();
    barcode::code128_modules(key, &mut dl.values, &mut dl.scratch_mod).map_err(|detail| {
        crate::Error::invalid(
            crate::Code::LabelBarcodeUnencodable,
            format!("labels[{index}].merchant_key"),
            detail,
        )
    })?;
    let tracking = data
        .tracking_number
        .as_deref()
        .filter(|t| show.tracking_number && !t.is_empty() && *t != key);
    let key_size = 10.0 * f;
    let trk_size = 8.0 * f;
    let text_zone = key_size * 1.25
        + if tracking.is_some() {
            trk_size * 1.25
        } else {
            0.0
        };
    let bars_top = h - m - text_zone - k.barcode_h;
    let qr_side = k.barcode_h + text_zone;
    let qr = match (&data.qr, show.qr) {
        (Some(p), true) => Some(barcode::qr_matrix(p, &format!("labels[{index}].qr"))?),
        _ => None,
    };
    let bars_room = if qr.is_some() {
        inner - qr_side - mm(3.0)
    } else {
        inner
    };
    let quiet = 10.0;
    let n = dl.scratch_mod.len() as f32;
    let module = (bars_room / (n + 2.0 * quiet)).min(mm(0.38));
    if module < mm(0.19) {
        return Err(crate::Error::invalid(
            crate::Code::LabelBarcodeUnencodable,
            format!("labels[{index}].merchant_key"),
            format!(
                "'{key}' needs {n} modules; too long for a readable barcode on {}",
                tpl.size.name()
            ),
        ));
    }
    let bars_w = module * n;
    let bars_x = m + (bars_room - bars_w) / 2.0;
    let mstart = dl.modules.len();
    dl.modules.extend_from_slice(&dl.scratch_mod);
    let payload = push(&mut dl.text, key);
    dl.ops.push(Op::Bars {
        x: bars_x,
        y: bars_top,
        module,
        h: k.barcode_h,
        modules: mstart..dl.modules.len(),
        payload: payload.clone(),
    });
    let base = bars_top + k.barcode_h + key_size;
    text_op(
        dl,
        m,
        base,
        bars_room,
        key_size,
        true,
        false,
        Align::Center,
        payload,
        fonts,
    );
    if let Some(t) = tracking {
        dl.scratch.clear();
        dl.scratch.push_str("Takip No: ");
        dl.scratch.push_str(t);
        let r = fit_line(
            &fonts.regular,
            &dl.scratch,
            trk_size,
            bars_room,
            &mut dl.text,
        );
        text_op(
            dl,
            m,
            base + trk_size * 1.25,
            bars_room,
            trk_size,
            false,
            false,
            Align::Center,
            r,
            fonts,
        );
    }
    if let Some(q) = &qr {
        let qm = qr_side / (q.width as f32 + 2.0);
        let qx = w - m - qm * (q.width as f32 + 1.0);
        let qy = bars_top + qm;
        let start = dl.modules.len();
        dl.modules.extend(q.dark.iter().map(|d| u8::from(*d)));
        let p = push(&mut dl.text, data.qr.as_deref().unwrap_or_default());
        dl.ops.push(Op::Qr {
            x: qx,
            y: qy,
            module: qm,
            width: q.width,
            modules: start..dl.modules.len(),
            payload: p,
        });
    }
    let mut bottom = bars_top - mm(2.0);

    // note
    let note = data
        .note
        .as_deref()
        .or(tpl.note.as_deref())
        .filter(|n| show.note && !n.trim().is_empty());
    if let Some(note) = note {
        let size = 7.0 * f;
        let lh = size * 1.2;
        dl.lines.clear();
        let mut lines = std::mem::take(&mut dl.lines);
        wrap_into(
            &fonts.regular,
            note,
            size,
            inner,
            k.note_lines,
            &mut dl.text,
            &mut lines,
        );
        let top = bottom - lh * lines.len() as f32;
        for (i, r) in lines.iter().enumerate() {
            text_op(
                dl,
                m,
                top + lh * (i as f32) + size * 0.8,
                inner,
                size,
                false,
                false,
                Align::Left,
                r.clone(),
                fonts,
            );
        }
        dl.lines = lines;
        bottom = top - mm(1.5);
    }

    // COD band
    if let Some(cod) = data.cod {
        let top = bottom - k.band_h;
        dl.ops.push(Op::Rect {
            x: 0.0,
            y: top,
            w,
            h: k.band_h,
            fill: true,
            line: 0.0,
        });
        dl.scratch.clear();
        dl.scratch.push_str("TAHSİLATLI TESLİMAT — ");
        write_turkish(&mut dl.scratch, cod);
        // The amount is never cut: the band's text shrinks (down to 7 pt) to fit first.
        let size = (13.0 * f)
            .min(inner / fonts.bold.width(&dl.scratch, 1.0).max(0.01))
            .max(7.0);
        let r = fit_line(&fonts.bold, &dl.scratch, size, inner, &mut dl.text);
        text_op(
            dl,
            m,
            top + k.band_h / 2.0 + size * 0.36,
            inner,
            size,
            true,
            true,
            Align::Center,
            r,
            fonts,
        );
        bottom = top - mm(2.0);
    }

    // desi / kg / piece box
    {
        let size = 10.0 * f;
        let bh = size * 2.0;
        let top = bottom - bh;
        dl.ops.push(Op::Rect {
            x: m,
            y: top,
            w: inner,
            h: bh,
            fill: false,
            line: 0.8,
        });
        dl.scratch.clear();
        if show.desi_kg {
            dl.scratch.push_str("Desi: ");
            write_decimal(&mut dl.scratch, data.desi, 1);
            dl.scratch.push_str(" • Ağırlık: ");
            write_decimal(&mut dl.scratch, data.kg, 2);
            dl.scratch.push_str(" kg • ");
        }
        let _ = write!(
            dl.scratch,
            "Parça: {}/{}",
            data.piece_index, data.piece_count
        );
        // The piece number is never cut: the line shrinks (down to 7 pt) to fit first.
        let room = inner - mm(4.0);
        let ts = size
            .min(room / fonts.bold.width(&dl.scratch, 1.0).max(0.01))
            .max(7.0);
        let r = fit_line(&fonts.bold, &dl.scratch, ts, room, &mut dl.text);
        let baseline = top + bh / 2.0 + ts * 0.36;
        text_op(
            dl,
            m + mm(2.0),
            baseline,
            room,
            ts,
            true,
            false,
            Align::Left,
            r,
            fonts,
        );
        bottom = top - mm(2.0);
    }

    // ---- top flow ----
    let header_h = mm(14.0) * f.max(0.85);
    let mut name_x = m;
    if let (Some((pw, ph)), true) = (logo, show.logo) {
        let (bw, bh) = (mm(24.0), header_h - mm(4.0));
        let s = (bw / pw as f32).min(bh / ph as f32);
        let (lw, lh) = (pw as f32 * s, ph as f32 * s);
        dl.ops.push(Op::Logo {
            x: m,
            y: (header_h - lh) / 2.0,
            w: lw,
            h: lh,
        });
        name_x = m + lw + mm(2.0);
    }
    dl.scratch.clear();
    push_upper(&mut dl.scratch, &data.carrier_name);
    let name_w = w * 0.62 - name_x;
    // The carrier name shrinks (down to 10 pt) before it is truncated.
    let fitted = fonts.bold.width(&dl.scratch, 1.0);
    let size = (16.0 * f).min(name_w / fitted.max(0.01)).max(10.0 * f);
    let r = fit_line(&fonts.bold, &dl.scratch, size, name_w, &mut dl.text);
    text_op(
        dl,
        name_x,
        header_h / 2.0 + size * 0.36,
        name_w,
        size,
        true,
        false,
        Align::Left,
        r,
        fonts,
    );
    let half = w * 0.62 + mm(1.0);
    let small = 8.0 * f;
    let order = data.order_id.as_deref().filter(|_| show.order_id);
    let count =
        usize::from(data.service.is_some()) + usize::from(order.is_some()) + usize::from(show.date);
    let step = small * 1.3;
    let mut y = header_h / 2.0 - step * (count as f32 - 1.0) / 2.0 + small * 0.36;
    for part in 0..3 {
        dl.scratch.clear();
        match part {
            0 => match &data.service {
                Some(s) => dl.scratch.push_str(s),
                None => continue,
            },
            1 => match order {
                Some(o) => {
                    dl.scratch.push_str("Sipariş: ");
                    dl.scratch.push_str(o);
                }
                None => continue,
            },
            _ if show.date => {
                dl.scratch.push_str("Tarih: ");
                push_2(&mut dl.scratch, data.date.day());
                dl.scratch.push('.');
                push_2(&mut dl.scratch, data.date.month());
                dl.scratch.push('.');
                let year = data.date.year().unsigned_abs();
                push_2(&mut dl.scratch, year / 100);
                push_2(&mut dl.scratch, year % 100);
            }
            _ => continue,
        }
        let r = fit_line(
            &fonts.regular,
            &dl.scratch,
            small,
            w - m - half,
            &mut dl.text,
        );
        text_op(
            dl,
            half,
            y,
            w - m - half,
            small,
            false,
            false,
            Align::Right,
            r,
            fonts,
        );
        y += step;
    }
    dl.ops.push(Op::Rule {
        x: m,
        y: header_h,
        w: inner,
        line: 0.8,
    });

    // Room kept for the recipient block (title, name, one address line, district, phone) so a
    // long sender block can never push the recipient off the label.
    let (rs, ns) = (k.recipient_font * f, 14.0 * f);
    let recipient_need =
        9.0 * f * 1.25 + ns * 1.25 + rs * 1.25 * (2.0 + f32::from(u8::from(show.recipient_phone)));
    let mut flow = Flow {
        y: header_h + mm(1.5),
        limit: bottom - recipient_need,
    };
    if show.sender {
        let s = 8.0 * f;
        line(dl, fonts, &mut flow, "GÖNDERİCİ", s, true, inner, m);
        party(
            dl,
            fonts,
            &mut flow,
            &data.sender,
            s,
            false,
            k.sender_lines,
            show.sender_phone,
            tpl.mask_phone,
            inner,
            m,
        );
        if flow.y + mm(2.0) <= flow.limit {
            flow.y += mm(1.0);
            dl.ops.push(Op::Rule {
                x: m,
                y: flow.y,
                w: inner,
                line: 0.5,
            });
            flow.y += mm(0.5);
        }
    }
    flow.limit = bottom;
    line(dl, fonts, &mut flow, "ALICI", 9.0 * f, true, inner, m);
    line(
        dl,
        fonts,
        &mut flow,
        &data.recipient.name,
        ns,
        true,
        inner,
        m,
    );
    party(
        dl,
        fonts,
        &mut flow,
        &data.recipient,
        rs,
        true,
        k.recipient_lines,
        show.recipient_phone,
        tpl.mask_phone,
        inner,
        m,
    );
    Ok(())
}

fn push(arena: &mut String, s: &str) -> Range<usize> {
    let start = arena.len();
    arena.push_str(s);
    start..arena.len()
}

#[allow(clippy::too_many_arguments)]
fn text_op(
    dl: &mut DisplayList,
    x: f32,
    baseline: f32,
    block_w: f32,
    size: f32,
    bold: bool,
    white: bool,
    align: Align,
    text: Range<usize>,
    fonts: &FontSet,
) {
    let width = fonts.face(bold).width(&dl.text[text.clone()], size);
    dl.ops.push(Op::Text {
        x,
        baseline,
        block_w,
        width,
        size,
        bold,
        white,
        align,
        text,
    });
}

/// Places one fitted line if it fits above the flow's floor.
#[allow(clippy::too_many_arguments)]
fn line(
    dl: &mut DisplayList,
    fonts: &FontSet,
    flow: &mut Flow,
    text: &str,
    size: f32,
    bold: bool,
    width: f32,
    x: f32,
) {
    let lh = size * 1.25;
    if flow.y + lh > flow.limit {
        return;
    }
    let r = fit_line(fonts.face(bold), text, size, width, &mut dl.text);
    text_op(
        dl,
        x,
        flow.y + size * 0.95,
        width,
        size,
        bold,
        false,
        Align::Left,
        r,
        fonts,
    );
    flow.y += lh;
}

/// A party block: (name for the sender), address wrapped to `max_lines`, district/province,
/// phone.
#[allow(clippy::too_many_arguments)]
fn party(
    dl: &mut DisplayList,
    fonts: &FontSet,
    flow: &mut Flow,
    p: &LabelParty,
    size: f32,
    recipient: bool,
    max_lines: usize,
    phone: bool,
    mask: bool,
    width: f32,
    x: f32,
) {
    let lh = size * 1.25;
    if !recipient {
        line(dl, fonts, flow, &p.name, size, false, width, x);
    }
    let room = floor_usize((flow.limit - flow.y) / lh);
    let reserve = 1 + usize::from(phone);
    let lines_allowed = max_lines.min(room.saturating_sub(reserve).max(1));
    let mut lines = std::mem::take(&mut dl.lines);
    lines.clear();
    wrap_into(
        &fonts.regular,
        &p.address_line,
        size,
        width,
        lines_allowed,
        &mut dl.text,
        &mut lines,
    );
    for r in lines.iter() {
        if flow.y + lh > flow.limit {
            break;
        }
        text_op(
            dl,
            x,
            flow.y + size * 0.95,
            width,
            size,
            false,
            false,
            Align::Left,
            r.clone(),
            fonts,
        );
        flow.y += lh;
    }
    dl.lines = lines;
    let mut s = std::mem::take(&mut dl.scratch);
    s.clear();
    s.push_str(&p.district);
    s.push_str(" / ");
    push_upper(&mut s, &p.province);
    line(dl, fonts, flow, &s, size, recipient, width, x);
    if phone {
        s.clear();
        s.push_str("Tel: ");
        format_phone(&p.phone, mask, &mut s);
        line(dl, fonts, flow, &s, size, false, width, x);
    }
    dl.scratch = s;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formatting the fast writers replace.
    fn decimal_by_fmt(d: Decimal, dp: u32) -> String {
        format!("{:.*}", dp as usize, d.round_dp(dp)).replace('.', ",")
    }

    #[test]
    fn write_decimal_matches_the_formatter() {
        let mut x: u64 = 0x243F_6A88_85A3_08D3;
        let mut values = vec![
            Decimal::ZERO,
            Decimal::new(-0, 3),
            Decimal::new(-4, 2),
            Decimal::new(5, 2),
            Decimal::new(15, 2),
            Decimal::new(-15, 2),
            Decimal::new(999_999, 4),
            // (rust_decimal's own formatter overflows its buffer for Decimal::MAX at 6 dp)
            Decimal::new(i64::MAX, 0),
            Decimal::new(i64::MIN, 3),
            Decimal::new(1, 28),
            Decimal::from(u64::MAX),
        ];
        let mut neg = Decimal::new(0, 2);
        neg.set_sign_negative(true);
        values.push(neg);
        for _ in 0..5000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = (x >> (x % 40)) as i64 * if x & 1 == 0 { 1 } else { -1 };
            values.push(Decimal::new(m, (x % 29) as u32));
        }
        for d in values {
            for dp in [0, 1, 2, 3, 6] {
                let mut s = String::from("x");
                write_decimal(&mut s, d, dp);
                assert_eq!(s[1..], decimal_by_fmt(d, dp), "{d:?} dp {dp}");
            }
        }
    }

    #[test]
    fn push_upper_matches_the_unicode_tables() {
        for c in (0u32..0x3000).filter_map(char::from_u32) {
            let mut s = String::new();
            push_upper(&mut s, &c.to_string());
            let want: String = match c {
                'i' => "İ".into(),
                'ı' => "I".into(),
                c => c.to_uppercase().collect(),
            };
            assert_eq!(s, want, "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn phones_format_and_mask() {
        let mut s = String::new();
        format_phone("5321234567", false, &mut s);
        s.push('|');
        format_phone("5321234567", true, &mut s);
        s.push('|');
        format_phone("12345", false, &mut s);
        assert_eq!(s, "0532 123 45 67|0532 *** ** 67|12345");
    }

    #[test]
    fn floor_usize_matches_libm() {
        for v in [
            -3.5f32,
            -0.5,
            -0.0,
            0.0,
            0.4,
            1.0,
            7.9,
            1e12,
            f32::NAN,
            f32::INFINITY,
        ] {
            assert_eq!(floor_usize(v), v.floor().max(0.0) as usize, "{v}");
        }
    }
}
