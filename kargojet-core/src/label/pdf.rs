//! The PDF backend: embeds the cached font objects, writes each page's display list as a
//! Flate-compressed content stream with vector text (CID fonts, Identity-H, ToUnicode) and bars.

use crate::error::Result;
use crate::label::font::{FontSet, SubsetFont};
use crate::label::image::LogoImage;
use crate::label::layout::{Align, DisplayList, Op, PT_PER_MM};
use crate::label::template::LabelSize;
use miniz_oxide::deflate::compress_to_vec_zlib;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Rect, Ref, Str};

const CATALOG: Ref = Ref::new(1);
const PAGES: Ref = Ref::new(2);
const FONT_REGULAR: Ref = Ref::new(3);
const FONT_BOLD: Ref = Ref::new(8);
const RESOURCES: Ref = Ref::new(13);
const IMAGE: Ref = Ref::new(14);
const SMASK: Ref = Ref::new(15);
const FIRST_PAGE: i32 = 16;

/// The content-stream compressor, kept across pages and documents of a render call.
#[derive(Debug, Default)]
pub struct Deflater {
    z: crate::label::deflate::FastDeflate,
    out: Vec<u8>,
}

impl Deflater {
    /// Compresses `data` (zlib format); the result lives until the next call.
    pub fn compress(&mut self, data: &[u8]) -> Result<&[u8]> {
        self.out.clear();
        self.z.compress(data, &mut self.out);
        Ok(&self.out)
    }
}

/// The fonts as ready PDF objects (refs 3–12), built once and copied into every document.
#[derive(Debug)]
pub struct PdfFonts {
    chunk: Chunk,
}

impl PdfFonts {
    /// Writes both subset fonts as Type0/CIDFontType2 objects with ToUnicode maps.
    pub fn new(fonts: &FontSet) -> PdfFonts {
        let mut chunk = Chunk::new();
        write_font(&mut chunk, &fonts.regular, FONT_REGULAR.get());
        write_font(&mut chunk, &fonts.bold, FONT_BOLD.get());
        PdfFonts { chunk }
    }

    /// Size of the font objects in bytes.
    pub fn len(&self) -> usize {
        self.chunk.len()
    }

    /// True when no font objects were written (never, after [`PdfFonts::new`]).
    pub fn is_empty(&self) -> bool {
        self.chunk.len() == 0
    }
}

fn write_font(c: &mut Chunk, f: &SubsetFont, first: i32) {
    let (t0, cid, desc, file, cmap) = (
        Ref::new(first),
        Ref::new(first + 1),
        Ref::new(first + 2),
        Ref::new(first + 3),
        Ref::new(first + 4),
    );
    let info = SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    };
    let name = Name(f.base_name.as_bytes());
    c.type0_font(t0)
        .base_font(name)
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);
    let scale = 1000.0 / f32::from(f.units_per_em);
    let count = f.glyphs.iter().map(|(_, g)| g.gid).max().unwrap_or(0) + 1;
    let mut widths = vec![0.0f32; usize::from(count)];
    for (_, g) in &f.glyphs {
        widths[usize::from(g.gid)] = f32::from(g.advance) * scale;
    }
    let mut cf = c.cid_font(cid);
    cf.subtype(CidFontType::Type2)
        .base_font(name)
        .system_info(info)
        .font_descriptor(desc);
    cf.cid_to_gid_map_predefined(Name(b"Identity"));
    cf.widths().consecutive(0, widths);
    cf.finish();
    let [x0, y0, x1, y1] = f.bbox.map(|v| f32::from(v) * scale);
    c.font_descriptor(desc)
        .name(name)
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(x0, y0, x1, y1))
        .italic_angle(0.0)
        .ascent(f32::from(f.ascent) * scale)
        .descent(f32::from(f.descent) * scale)
        .cap_height(f32::from(f.cap_height) * scale)
        .stem_v(80.0)
        .font_file2(file);
    let data = compress_to_vec_zlib(&f.data, 9);
    c.stream(file, &data)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), f.data.len() as i32);
    let mut map = UnicodeCmap::new(Name(b"Adobe-Identity-UCS"), info);
    let mut seen = std::collections::HashSet::new();
    for (ch, g) in &f.glyphs {
        if seen.insert(g.gid) {
            map.pair(g.gid, *ch);
        }
    }
    let data = compress_to_vec_zlib(map.finish().as_slice(), 9);
    c.stream(cmap, &data).filter(Filter::FlateDecode);
}

/// A logo prepared for embedding (compressed once per render call).
#[derive(Debug)]
pub struct PdfLogo {
    width: i32,
    height: i32,
    kind: LogoKind,
}

#[derive(Debug)]
enum LogoKind {
    Flate {
        channels: u8,
        data: Vec<u8>,
        alpha: Option<Vec<u8>>,
    },
    Jpeg {
        components: u8,
        data: Vec<u8>,
    },
}

impl PdfLogo {
    /// Compresses a decoded logo.
    pub fn new(img: &LogoImage) -> PdfLogo {
        let (w, h) = img.size();
        let kind = match img {
            LogoImage::Png {
                channels,
                pixels,
                alpha,
                ..
            } => LogoKind::Flate {
                channels: *channels,
                data: compress_to_vec_zlib(pixels, 6),
                alpha: alpha.as_ref().map(|a| compress_to_vec_zlib(a, 6)),
            },
            LogoImage::Jpeg {
                components, bytes, ..
            } => LogoKind::Jpeg {
                components: *components,
                data: bytes.clone(),
            },
        };
        PdfLogo {
            width: w as i32,
            height: h as i32,
            kind,
        }
    }

    /// Bytes the logo adds to a document (about).
    pub fn len(&self) -> usize {
        256 + match &self.kind {
            LogoKind::Flate { data, alpha, .. } => data.len() + alpha.as_ref().map_or(0, Vec::len),
            LogoKind::Jpeg { data, .. } => data.len(),
        }
    }

    /// True for an empty image (never: decoded logos have at least one pixel).
    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    fn write(&self, pdf: &mut Pdf) {
        match &self.kind {
            LogoKind::Flate {
                channels,
                data,
                alpha,
            } => {
                let mut img = pdf.image_xobject(IMAGE, data);
                img.filter(Filter::FlateDecode);
                img.width(self.width)
                    .height(self.height)
                    .bits_per_component(8);
                if alpha.is_some() {
                    img.s_mask(SMASK);
                }
                if *channels == 1 {
                    img.color_space().device_gray();
                } else {
                    img.color_space().device_rgb();
                }
                img.finish();
                if let Some(a) = alpha {
                    let mut m = pdf.image_xobject(SMASK, a);
                    m.filter(Filter::FlateDecode);
                    m.width(self.width)
                        .height(self.height)
                        .bits_per_component(8);
                    m.color_space().device_gray();
                }
            }
            LogoKind::Jpeg { components, data } => {
                let mut img = pdf.image_xobject(IMAGE, data);
                img.filter(Filter::DctDecode);
                img.width(self.width)
                    .height(self.height)
                    .bits_per_component(8);
                match components {
                    1 => img.color_space().device_gray(),
                    4 => img.color_space().device_cmyk(),
                    _ => img.color_space().device_rgb(),
                }
            }
        }
    }
}

/// Writes a PDF number with at most two decimals (no float formatting machinery).
fn num(buf: &mut Vec<u8>, v: f32) {
    let mut c = (v * 100.0).round() as i64;
    if c < 0 {
        buf.push(b'-');
        c = -c;
    }
    let int = c / 100;
    let frac = c % 100;
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut n = int;
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[i..]);
    if frac != 0 {
        buf.push(b'.');
        buf.push(b'0' + (frac / 10) as u8);
        if frac % 10 != 0 {
            buf.push(b'0' + (frac % 10) as u8);
        }
    }
}

fn round2(v: f32) -> f32 {
    (v * 100.0).round() / 100.0
}

fn int(buf: &mut Vec<u8>, mut n: u32) {
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
    buf.extend_from_slice(&tmp[i..]);
}

fn nums(buf: &mut Vec<u8>, vs: &[f32], op: &[u8]) {
    for v in vs {
        num(buf, *v);
        buf.push(b' ');
    }
    buf.extend_from_slice(op);
    buf.push(b'\n');
}

/// Appends the content-stream operators of one label, translated by (`dx`, `dy`) points
/// (`dy` from the page bottom to the label bottom).
pub fn write_label(buf: &mut Vec<u8>, dl: &DisplayList, fonts: &FontSet, dx: f32, dy: f32) {
    let h = dl.height;
    buf.extend_from_slice(b"q\n");
    if dx != 0.0 || dy != 0.0 {
        nums(buf, &[1.0, 0.0, 0.0, 1.0, dx, dy], b"cm");
    }
    let mut filling = false;
    for op in &dl.ops {
        match op {
            Op::Rect {
                x,
                y,
                w,
                h: rh,
                fill: true,
                ..
            } => {
                nums(buf, &[*x, h - y - rh, *w, *rh], b"re");
                filling = true;
            }
            Op::Bars {
                x,
                y,
                module,
                h: bh,
                modules,
                ..
            } => {
                // In module units (cm), so every bar is a short integer rectangle.
                if filling {
                    buf.extend_from_slice(b"f\n");
                    filling = false;
                }
                buf.extend_from_slice(b"q\n");
                nums(buf, &[*module, 0.0, 0.0, *bh, *x, h - y - bh], b"cm");
                let m = &dl.modules[modules.clone()];
                let mut i = 0;
                while i < m.len() {
                    if m[i] == 1 {
                        let j = i + m[i..].iter().take_while(|b| **b == 1).count();
                        int(buf, i as u32);
                        buf.extend_from_slice(b" 0 ");
                        int(buf, (j - i) as u32);
                        buf.extend_from_slice(b" 1 re\n");
                        i = j;
                    } else {
                        i += 1;
                    }
                }
                buf.extend_from_slice(b"f Q\n");
            }
            Op::Qr {
                x,
                y,
                module,
                width,
                modules,
                ..
            } => {
                if filling {
                    buf.extend_from_slice(b"f\n");
                    filling = false;
                }
                buf.extend_from_slice(b"q\n");
                nums(buf, &[*module, 0.0, 0.0, -*module, *x, h - y], b"cm");
                let m = &dl.modules[modules.clone()];
                for row in 0..*width {
                    let r = &m[row * width..(row + 1) * width];
                    let mut i = 0;
                    while i < r.len() {
                        if r[i] == 1 {
                            let j = i + r[i..].iter().take_while(|b| **b == 1).count();
                            int(buf, i as u32);
                            buf.push(b' ');
                            int(buf, row as u32);
                            buf.push(b' ');
                            int(buf, (j - i) as u32);
                            buf.extend_from_slice(b" 1 re\n");
                            i = j;
                        } else {
                            i += 1;
                        }
                    }
                }
                buf.extend_from_slice(b"f Q\n");
            }
            _ => {}
        }
    }
    if filling {
        buf.extend_from_slice(b"f\n");
    }
    for op in &dl.ops {
        match op {
            Op::Rect {
                x,
                y,
                w,
                h: rh,
                fill: false,
                line,
            } => {
                nums(buf, &[*line], b"w");
                nums(buf, &[*x, h - y - rh, *w, *rh], b"re S");
            }
            Op::Rule { x, y, w, line } => {
                nums(buf, &[*line], b"w");
                nums(buf, &[*x, h - y], b"m");
                nums(buf, &[x + w, h - y], b"l S");
            }
            Op::Logo { x, y, w, h: lh } => {
                buf.extend_from_slice(b"q\n");
                nums(buf, &[*w, 0.0, 0.0, *lh, *x, h - y - lh], b"cm");
                buf.extend_from_slice(b"/Im1 Do Q\n");
            }
            _ => {}
        }
    }
    buf.extend_from_slice(b"BT\n");
    let mut white = false;
    let mut font: Option<(bool, f32)> = None;
    let (mut px, mut py) = (0.0f32, 0.0f32);
    for op in &dl.ops {
        if let Op::Text {
            x,
            baseline,
            block_w,
            width,
            size,
            bold,
            white: w,
            align,
            text,
        } = op
        {
            if *w != white {
                buf.extend_from_slice(if *w { b"1 g\n" } else { b"0 g\n" });
                white = *w;
            }
            let face = fonts.face(*bold);
            if font != Some((*bold, *size)) {
                buf.extend_from_slice(if *bold { b"/F2 " } else { b"/F1 " });
                nums(buf, &[*size], b"Tf");
                font = Some((*bold, *size));
            }
            let tx = match align {
                Align::Left => *x,
                Align::Center => x + (block_w - width) / 2.0,
                Align::Right => x + block_w - width,
            };
            // Td moves relative to the previous line start; rounding to 0.01 pt is kept in
            // the running position so errors do not accumulate.
            let (dx, dy) = (round2(tx - px), round2(h - baseline - py));
            nums(buf, &[dx, dy], b"Td");
            px += dx;
            py += dy;
            buf.push(b'(');
            for c in dl.text[text.clone()].chars() {
                for b in face.glyph(c).gid.to_be_bytes() {
                    match b {
                        b'(' | b')' | b'\\' => buf.extend_from_slice(&[b'\\', b]),
                        b'\r' => buf.extend_from_slice(b"\\r"),
                        _ => buf.push(b),
                    }
                }
            }
            buf.extend_from_slice(b") Tj\n");
        }
    }
    if white {
        buf.extend_from_slice(b"0 g\n");
    }
    buf.extend_from_slice(b"ET\nQ\n");
}

/// Builds PDF documents page by page.
pub struct PdfBuilder<'a> {
    deflater: &'a mut Deflater,
    pdf: Pdf,
    size: LabelSize,
    fonts: &'a FontSet,
    pages: Vec<Ref>,
    content: Vec<u8>,
    slot: usize,
}

impl<'a> PdfBuilder<'a> {
    /// A document with the cached fonts and, if any, the logo.
    pub fn new(
        fonts: &'a FontSet,
        pdf_fonts: &PdfFonts,
        logo: Option<&PdfLogo>,
        size: LabelSize,
        capacity: usize,
        deflater: &'a mut Deflater,
    ) -> Self {
        let mut pdf = Pdf::with_capacity(capacity + pdf_fonts.len() + 1024);
        pdf.extend(&pdf_fonts.chunk);
        {
            let mut res = pdf.indirect(RESOURCES).dict();
            res.insert(Name(b"Font"))
                .dict()
                .pair(Name(b"F1"), FONT_REGULAR)
                .pair(Name(b"F2"), FONT_BOLD);
            if logo.is_some() {
                res.insert(Name(b"XObject"))
                    .dict()
                    .pair(Name(b"Im1"), IMAGE);
            }
        }
        if let Some(l) = logo {
            l.write(&mut pdf);
        }
        PdfBuilder {
            deflater,
            pdf,
            size,
            fonts,
            pages: Vec::new(),
            content: Vec::with_capacity(8192),
            slot: 0,
        }
    }

    /// Adds one laid-out label (a new page, or the next slot of a 4-up sheet).
    pub fn add(&mut self, dl: &DisplayList) -> Result<()> {
        let per = self.size.per_page();
        let (_, page_h) = self.size.page_mm();
        let (ox, oy) = self.size.slot_offset_mm(self.slot);
        let dy = page_h * PT_PER_MM - oy * PT_PER_MM - dl.height;
        write_label(&mut self.content, dl, self.fonts, ox * PT_PER_MM, dy);
        self.slot += 1;
        if self.slot == per {
            self.flush_page()?;
        }
        Ok(())
    }

    fn flush_page(&mut self) -> Result<()> {
        if self.slot == 0 {
            return Ok(());
        }
        let n = self.pages.len() as i32;
        let page = Ref::new(FIRST_PAGE + 2 * n);
        let content = Ref::new(FIRST_PAGE + 2 * n + 1);
        let (pw, ph) = self.size.page_mm();
        self.pdf
            .page(page)
            .parent(PAGES)
            .media_box(Rect::new(0.0, 0.0, pw * PT_PER_MM, ph * PT_PER_MM))
            .contents(content)
            .pair(Name(b"Resources"), RESOURCES);
        let data = self.deflater.compress(&self.content)?;
        self.pdf.stream(content, data).filter(Filter::FlateDecode);
        self.content.clear();
        self.pages.push(page);
        self.slot = 0;
        Ok(())
    }

    /// Finishes the document.
    pub fn finish(mut self) -> Result<Vec<u8>> {
        self.flush_page()?;
        let count = self.pages.len() as i32;
        self.pdf
            .pages(PAGES)
            .kids(self.pages.iter().copied())
            .count(count);
        self.pdf.catalog(CATALOG).pages(PAGES);
        Ok(self.pdf.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::num;

    #[test]
    fn numbers_are_short_and_exact_to_the_hundredth() {
        for (v, s) in [
            (0.0, "0"),
            (1.5, "1.5"),
            (-2.25, "-2.25"),
            (283.4646, "283.46"),
            (0.004, "0"),
            (10.0, "10"),
        ] {
            let mut b = Vec::new();
            num(&mut b, v);
            assert_eq!(String::from_utf8_lossy(&b), s, "{v}");
        }
    }
}
