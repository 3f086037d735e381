//! The fast ZPL path: a label template compiled for one printer resolution.
//!
//! The general renderer lays a label out as a [`DisplayList`] and writes every op's numbers.
//! Almost all of those numbers depend only on the template and on a handful of decisions the
//! label's data makes: the barcode's module count, whether a tracking number, a note or a COD
//! band is printed, the sizes the shrinking lines got, which header lines show and how many
//! lines each address wrapped to. [`ZplBatch`] runs the same layout arithmetic without the
//! display list, collects those decisions into a shape key and the fitted texts into an arena,
//! and writes the label as the static byte segments of a program compiled once per shape (by
//! the shared op writer of [`crate::label::zpl`]) with the texts between them.
//!
//! Fields that repeat across a batch (the carrier name, the service, the date, the sender
//! block, the block titles) are remembered with a small id; the ids are part of the shape, so
//! those fields are baked into the program's static bytes and cost nothing per label.
//!
//! The output is byte-identical to the general renderer's; labels with a QR code (whose
//! encoding dominates anyway) and labels the renderer refuses go through the general renderer.

use crate::error::Result;
use crate::label::barcode;
use crate::label::data::{LabelData, LabelParty};
use crate::label::font::{FontSet, SubsetFont};
use crate::label::image::LogoImage;
use crate::label::layout::{
    self, Align, DisplayList, Metrics, Op, floor_usize, format_phone, metrics, mm, push_2,
    push_upper, write_decimal,
};
use crate::label::template::LabelTemplate;
use crate::label::text::{fit_line, max_units, scan, wrap_into};
use crate::label::zpl::{self, Dpi, ZplLogo, escape_bytes, escape_raw, maybe_escape};
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

/// A piece of field data: its byte range in its source, whether it holds bytes to escape, and
/// its source (the arena, or a string of the label's data copied straight to the output).
type Field = (Range<usize>, bool, u8);

/// Field sources.
const ARENA: u8 = 0;
const KEY: u8 = 1;
const RECIPIENT_NAME: u8 = 2;
const RECIPIENT_ADDRESS: u8 = 3;

/// The text of a field.
#[inline]
fn field_text<'t>(arena: &'t str, data: &'t LabelData, f: &Field) -> &'t [u8] {
    let src = match f.2 {
        KEY => data.merchant_key.as_str(),
        RECIPIENT_NAME => data.recipient.name.as_str(),
        RECIPIENT_ADDRESS => data.recipient.address_line.as_str(),
        _ => arena,
    };
    src.as_bytes().get(f.0.clone()).unwrap_or_default()
}

/// The text of the COD band before the amount.
const COD_PREFIX: &str = "TAHSİLATLI TESLİMAT — ";
/// The order line before the order number.
const ORDER_PREFIX: &str = "Sipariş: ";

/// Distinct carrier names, services and dates remembered per state (then they stay dynamic).
const MEMO_CAP: usize = 64;
/// Distinct senders remembered per state.
const SENDER_CAP: usize = 16;
/// Compiled programs per state before the state starts over.
const PROGRAM_CAP: usize = 4096;
/// "No id": the field is not remembered and is written per label.
const NONE: u32 = u32::MAX;

/// Words of a shape key (see [`Shape`]).
const KEY_WORDS: usize = 13;

/// The data-dependent decisions that fix every byte of a label's ZPL outside its dynamic
/// fields: module count, tracking line, note lines, COD band size, desi line size, carrier
/// name size, header lines, address line counts (f32 sizes by their bits), and the ids of the
/// remembered fields baked into the program.
type Shape = [u32; KEY_WORDS];

/// Slots of the shape key.
mod slot {
    pub const MODULES: usize = 0;
    pub const TRACKING: usize = 1;
    pub const NOTE: usize = 2;
    pub const COD: usize = 3;
    pub const DESI: usize = 4;
    pub const NAME: usize = 5;
    pub const HEADER: usize = 6;
    pub const SENDER: usize = 7;
    pub const RECIPIENT: usize = 8;
    pub const CARRIER_ID: usize = 9;
    pub const SERVICE_ID: usize = 10;
    pub const DATE_ID: usize = 11;
    pub const SENDER_ID: usize = 12;
}

/// FxHash over the key's words (the keys are small and not attacker-chosen in a way that
/// matters: a collision only costs a longer probe).
#[derive(Debug, Default, Clone, Copy)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for c in bytes.chunks(8) {
            let mut w = [0u8; 8];
            w[..c.len()].copy_from_slice(c);
            self.write_u64(u64::from_le_bytes(w));
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    fn write_usize(&mut self, x: usize) {
        self.write_u64(x as u64);
    }
}

/// One compiled shape: the label's bytes with the dynamic field data cut out. Field `i` goes
/// after `bytes[..ends[i]]`; the rest of `bytes` follows the last field.
#[derive(Debug)]
struct Program {
    bytes: Vec<u8>,
    ends: Vec<u32>,
}

/// Where the sender block of a remembered sender ends above a given floor.
#[derive(Debug, Clone, Copy)]
struct SenderOutcome {
    id: u32,
    limit_bits: u32,
    y: f32,
    wrapped: u32,
}

/// The compiled programs and the remembered fields of one template at one resolution. Owned,
/// so [`crate::label::LabelRenderer`] keeps it between calls.
#[derive(Debug)]
pub(crate) struct ZplState {
    tpl: LabelTemplate,
    dpi: Dpi,
    programs: Vec<Program>,
    index: HashMap<Shape, u32, BuildHasherDefault<WordHasher>>,
    last: Option<(Shape, u32)>,
    /// Carrier names with the size their header line got.
    carriers: Vec<(String, u32)>,
    services: Vec<String>,
    dates: Vec<NaiveDate>,
    senders: Vec<LabelParty>,
    outcomes: Vec<SenderOutcome>,
    logo_cache: ZplLogo,
}

impl ZplState {
    fn new(tpl: &LabelTemplate, dpi: Dpi) -> ZplState {
        ZplState {
            tpl: tpl.clone(),
            dpi,
            programs: Vec::new(),
            index: HashMap::default(),
            last: None,
            carriers: Vec::new(),
            services: Vec::new(),
            dates: Vec::new(),
            senders: Vec::new(),
            outcomes: Vec::new(),
            logo_cache: ZplLogo::default(),
        }
    }

    /// True when this state was compiled for `tpl` at `dpi`.
    pub(crate) fn is_for(&self, tpl: &LabelTemplate, dpi: Dpi) -> bool {
        self.dpi == dpi && self.tpl == *tpl
    }

    /// Forgets everything (the programs refer to the remembered ids).
    fn reset(&mut self) {
        self.programs.clear();
        self.index.clear();
        self.last = None;
        self.carriers.clear();
        self.services.clear();
        self.dates.clear();
        self.senders.clear();
        self.outcomes.clear();
    }
}

/// The id of `x` in `list`, adding it when `add` and there is room.
fn memo_id<T: PartialEq, Q: PartialEq<T> + ?Sized>(
    list: &mut Vec<T>,
    x: &Q,
    add: impl FnOnce() -> T,
    insert: bool,
    cap: usize,
) -> Option<u32> {
    if let Some(i) = list.iter().position(|v| x == v) {
        return Some(i as u32);
    }
    if insert && list.len() < cap {
        list.push(add());
        return Some(list.len() as u32 - 1);
    }
    None
}

/// Template constants of the layout (points).
#[derive(Debug, Clone, Copy)]
struct Consts {
    w: f32,
    h: f32,
    k: Metrics,
    f: f32,
    m: f32,
    inner: f32,
    key_size: f32,
    trk_size: f32,
    /// The logo's pixel size when the template shows one.
    logo: Option<(u32, u32)>,
}

/// Widths (font units) of the constant parts of the measured lines.
#[derive(Debug, Clone, Copy)]
struct Units {
    cod_prefix: u32,
    desi: u32,
    weight: u32,
    kg: u32,
    piece: u32,
    order: u32,
}

/// A vertical cursor with a floor that text may not pass (the layout's own).
struct Flow {
    y: f32,
    limit: f32,
}

/// A label template compiled for ZPL at one resolution, for rendering many labels.
///
/// Build it with [`crate::label::LabelRenderer::zpl_batch`] and call
/// [`ZplBatch::render_into`] per label: the output is byte for byte what
/// [`crate::label::LabelRenderer::render_zpl`] writes for the same label.
#[derive(Debug)]
pub struct ZplBatch<'a> {
    fonts: &'a FontSet,
    tpl: &'a LabelTemplate,
    dpi: Dpi,
    logo: Option<LogoImage>,
    c: Consts,
    units: Units,
    state: ZplState,
    // per label
    shape: Shape,
    arena: String,
    fields: Vec<Field>,
    /// When recording: per field, whether it is baked into the program.
    baked: Vec<bool>,
    ops: Vec<Op>,
    lines: Vec<Range<usize>>,
    fast_lines: Vec<Field>,
    scratch: String,
    // the fast pass, kept while a shape is compiled
    fast_arena: String,
    fast_fields: Vec<Field>,
    // the general renderer, for the labels the fast path leaves to it
    dl: DisplayList,
}

impl<'a> ZplBatch<'a> {
    /// Checks `tpl` (and decodes its logo) and prepares the layout constants.
    pub(crate) fn new(fonts: &'a FontSet, tpl: &'a LabelTemplate, dpi: Dpi) -> Result<Self> {
        Self::with_state(fonts, tpl, dpi, None)
    }

    /// [`ZplBatch::new`] continuing from a state compiled earlier for the same template.
    pub(crate) fn with_state(
        fonts: &'a FontSet,
        tpl: &'a LabelTemplate,
        dpi: Dpi,
        state: Option<ZplState>,
    ) -> Result<Self> {
        tpl.validate()?;
        let logo = match (&tpl.logo, tpl.fields.logo) {
            (Some(l), true) => Some(LogoImage::decode(&l.0, "logo")?),
            _ => None,
        };
        let state = state
            .filter(|s| s.is_for(tpl, dpi))
            .unwrap_or_else(|| ZplState::new(tpl, dpi));
        let (wmm, hmm) = tpl.size.label_mm();
        let k = metrics(tpl.size, tpl.font_size);
        let (w, h) = (mm(wmm), mm(hmm));
        let m = mm(4.0);
        let c = Consts {
            w,
            h,
            k,
            f: k.font,
            m,
            inner: w - 2.0 * m,
            key_size: 10.0 * k.font,
            trk_size: 8.0 * k.font,
            logo: logo.as_ref().map(LogoImage::size),
        };
        let bold = &fonts.bold;
        let units = Units {
            cod_prefix: bold.width_units(COD_PREFIX),
            desi: bold.width_units("Desi: "),
            weight: bold.width_units(" • Ağırlık: "),
            kg: bold.width_units(" kg • "),
            piece: bold.width_units("Parça: "),
            order: fonts.regular.width_units(ORDER_PREFIX),
        };
        Ok(ZplBatch {
            fonts,
            tpl,
            dpi,
            logo,
            c,
            units,
            state,
            shape: [0; KEY_WORDS],
            arena: String::with_capacity(1024),
            fields: Vec::with_capacity(32),
            baked: Vec::new(),
            ops: Vec::new(),
            lines: Vec::with_capacity(8),
            fast_lines: Vec::with_capacity(8),
            scratch: String::with_capacity(128),
            fast_arena: String::new(),
            fast_fields: Vec::new(),
            dl: DisplayList::default(),
        })
    }

    /// The compiled state, to keep for a later batch with the same template.
    pub(crate) fn into_state(self) -> ZplState {
        self.state
    }

    /// How many label shapes this batch has compiled (for diagnostics and tests).
    pub fn compiled_shapes(&self) -> usize {
        self.state.programs.len()
    }

    /// True when the quick checks find nothing [`LabelData::validate`] could reject.
    pub(crate) fn plainly_valid(data: &LabelData) -> bool {
        let key = data.merchant_key.as_bytes();
        data.piece_index != 0
            && data.piece_index <= data.piece_count
            && !key.is_empty()
            && key.len() <= barcode::CODE128_MAX
            && key.iter().all(|b| (b' '..=b'~').contains(b))
            && data
                .qr
                .as_ref()
                .is_none_or(|q| !q.is_empty() && q.len() <= barcode::QR_MAX)
    }

    /// Appends `data` as one `^XA…^XZ` label to `out`; `index` names the label in errors
    /// (`labels[index].…`). On error nothing is appended.
    pub fn render_into(&mut self, index: usize, data: &LabelData, out: &mut Vec<u8>) -> Result<()> {
        if !Self::plainly_valid(data) {
            data.validate(index)?;
        }
        self.render_checked(index, data, out)
    }

    /// [`ZplBatch::render_into`] for a label already validated.
    pub(crate) fn render_checked(
        &mut self,
        index: usize,
        data: &LabelData,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if self.state.programs.len() >= PROGRAM_CAP {
            self.state.reset();
        }
        if !self.lay::<false>(data) {
            return self.general(index, data, out);
        }
        let p = match self.find() {
            Some(p) => p,
            None => match self.compile(data) {
                Some(p) => p,
                None => return self.general(index, data, out),
            },
        };
        let prog = &self.state.programs[p];
        let mut at = 0usize;
        for (end, f) in prog.ends.iter().zip(&self.fields) {
            let end = *end as usize;
            out.extend_from_slice(&prog.bytes[at..end]);
            let text = field_text(&self.arena, data, f);
            if f.1 {
                escape_raw(out, text);
            } else {
                out.extend_from_slice(text);
            }
            at = end;
        }
        out.extend_from_slice(&prog.bytes[at..]);
        Ok(())
    }

    /// The general renderer for one label.
    fn general(&mut self, index: usize, data: &LabelData, out: &mut Vec<u8>) -> Result<()> {
        layout::layout(self.fonts, data, self.tpl, self.c.logo, index, &mut self.dl)?;
        zpl::write_label(
            out,
            &self.dl,
            self.dpi,
            self.logo.as_ref(),
            &mut self.state.logo_cache,
        );
        Ok(())
    }

    /// The program of the current shape, if compiled.
    fn find(&mut self) -> Option<usize> {
        if let Some((shape, i)) = self.state.last {
            if shape == self.shape {
                return Some(i as usize);
            }
        }
        let i = *self.state.index.get(&self.shape)?;
        self.state.last = Some((self.shape, i));
        Some(i as usize)
    }

    /// Compiles the current shape from `data` (laid out again, this time recording the ops)
    /// with the shared op writer. `None` if the recording disagrees with the fast pass.
    fn compile(&mut self, data: &LabelData) -> Option<usize> {
        let shape = self.shape;
        std::mem::swap(&mut self.arena, &mut self.fast_arena);
        std::mem::swap(&mut self.fields, &mut self.fast_fields);
        let laid = self.lay::<true>(data);
        let mut bytes = Vec::with_capacity(1024);
        let mut ends = Vec::with_capacity(self.fast_fields.len());
        let mut same = laid && self.shape == shape && self.baked.len() == self.fields.len();
        if same {
            let ops = std::mem::take(&mut self.ops);
            let (mut next, mut dynamic) = (0usize, 0usize);
            zpl::write_ops(
                &mut bytes,
                (self.c.w, self.c.h),
                &ops,
                &self.arena,
                self.dpi,
                self.logo.as_ref(),
                &mut self.state.logo_cache,
                &mut |out: &mut Vec<u8>, text: &str| {
                    if self.baked.get(next).copied().unwrap_or(false) {
                        escape_bytes(out, text);
                    } else {
                        ends.push(out.len() as u32);
                        let fast = self
                            .fast_fields
                            .get(dynamic)
                            .map(|f| field_text(&self.fast_arena, data, f));
                        same &= fast == Some(text.as_bytes());
                        dynamic += 1;
                    }
                    next += 1;
                },
            );
            self.ops = ops;
            same &= next == self.fields.len() && ends.len() == self.fast_fields.len();
        }
        std::mem::swap(&mut self.arena, &mut self.fast_arena);
        std::mem::swap(&mut self.fields, &mut self.fast_fields);
        self.shape = shape;
        if !same {
            return None;
        }
        let i = self.state.programs.len() as u32;
        self.state.programs.push(Program { bytes, ends });
        self.state.index.insert(shape, i);
        self.state.last = Some((shape, i));
        Some(i as usize)
    }

    /// A text field (and, when recording, its op). Baked fields are only recorded.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn text<const REC: bool>(
        &mut self,
        x: f32,
        baseline: f32,
        block_w: f32,
        size: f32,
        bold: bool,
        white: bool,
        align: Align,
        field: Field,
        baked: bool,
    ) {
        if REC {
            self.ops.push(Op::Text {
                x,
                baseline,
                block_w,
                width: 0.0,
                size,
                bold,
                white,
                align,
                text: field.0.clone(),
            });
            self.fields.push(field);
            self.baked.push(baked);
        } else if !baked {
            self.fields.push(field);
        }
    }

    /// An op without field data (recorded only).
    #[inline]
    fn op<const REC: bool>(&mut self, op: impl FnOnce() -> Op) {
        if REC {
            self.ops.push(op());
        }
    }

    /// Lays `data` out like [`layout::layout`]: fills the shape key and the dynamic fields
    /// (and, when `REC`, the ops and every field). False when the label is left to the
    /// general renderer.
    fn lay<const REC: bool>(&mut self, data: &LabelData) -> bool {
        self.arena.clear();
        self.fields.clear();
        self.baked.clear();
        self.ops.clear();
        self.shape = [0; KEY_WORDS];
        let c = self.c;
        let u = self.units;
        let fonts = self.fonts;
        let (regular, bold) = (&fonts.regular, &fonts.bold);
        let tpl = self.tpl;
        let show = &tpl.fields;
        let (w, h, k, f, m, inner) = (c.w, c.h, c.k, c.f, c.m, c.inner);

        // ---- bottom stack ----
        if data.qr.is_some() && show.qr {
            return false;
        }
        let key = data.merchant_key.as_str();
        let n_modules = barcode::code128_module_count(key.as_bytes());
        self.shape[slot::MODULES] = n_modules as u32;
        let tracking = data
            .tracking_number
            .as_deref()
            .filter(|t| show.tracking_number && !t.is_empty() && *t != key);
        self.shape[slot::TRACKING] = u32::from(tracking.is_some());
        let (key_size, trk_size) = (c.key_size, c.trk_size);
        let text_zone = key_size * 1.25
            + if tracking.is_some() {
                trk_size * 1.25
            } else {
                0.0
            };
        let bars_top = h - m - text_zone - k.barcode_h;
        let bars_room = inner;
        let quiet = 10.0;
        let n = n_modules as f32;
        let module = (bars_room / (n + 2.0 * quiet)).min(mm(0.38));
        if module < mm(0.19) {
            return false;
        }
        let bars_w = module * n;
        let bars_x = m + (bars_room - bars_w) / 2.0;
        let escape = maybe_escape(key.as_bytes());
        let payload = if REC {
            (push(&mut self.arena, key), escape, ARENA)
        } else {
            (0..key.len(), escape, KEY)
        };
        self.op::<REC>(|| Op::Bars {
            x: bars_x,
            y: bars_top,
            module,
            h: k.barcode_h,
            modules: 0..n_modules,
            payload: payload.0.clone(),
        });
        self.fields.push(payload.clone());
        if REC {
            self.baked.push(false);
        }
        let base = bars_top + k.barcode_h + key_size;
        self.text::<REC>(
            m,
            base,
            bars_room,
            key_size,
            true,
            false,
            Align::Center,
            payload,
            false,
        );
        if let Some(t) = tracking {
            self.scratch.clear();
            self.scratch.push_str("Takip No: ");
            self.scratch.push_str(t);
            let r = fit_into(regular, &mut self.arena, &self.scratch, trk_size, bars_room);
            self.text::<REC>(
                m,
                base + trk_size * 1.25,
                bars_room,
                trk_size,
                false,
                false,
                Align::Center,
                r,
                false,
            );
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
            let mut lines = std::mem::take(&mut self.fast_lines);
            wrap_fast(
                regular,
                &mut self.arena,
                &mut self.lines,
                &mut lines,
                note,
                (size, inner),
                k.note_lines,
                ARENA,
            );
            self.shape[slot::NOTE] = 1 + lines.len() as u32;
            let top = bottom - lh * lines.len() as f32;
            for (i, r) in lines.iter().enumerate() {
                self.text::<REC>(
                    m,
                    top + lh * (i as f32) + size * 0.8,
                    inner,
                    size,
                    false,
                    false,
                    Align::Left,
                    r.clone(),
                    false,
                );
            }
            self.fast_lines = lines;
            bottom = top - mm(1.5);
        }

        // COD band
        self.shape[slot::COD] = NONE;
        if let Some(cod) = data.cod {
            let top = bottom - k.band_h;
            self.op::<REC>(|| Op::Rect {
                x: 0.0,
                y: top,
                w,
                h: k.band_h,
                fill: true,
                line: 0.0,
            });
            self.scratch.clear();
            self.scratch.push_str(COD_PREFIX);
            push_money(&mut self.scratch, cod);
            // The amount is ASCII without spaces in a row: the line is normalized, and its
            // width is the prefix's plus the amount's.
            let units = u.cod_prefix + bold.width_units(&self.scratch[COD_PREFIX.len()..]);
            let size = (13.0 * f)
                .min(inner / width_at_one(bold, units).max(0.01))
                .max(7.0);
            self.shape[slot::COD] = size.to_bits();
            let r = fit_known(bold, &mut self.arena, &self.scratch, units, size, inner);
            self.text::<REC>(
                m,
                top + k.band_h / 2.0 + size * 0.36,
                inner,
                size,
                true,
                true,
                Align::Center,
                r,
                false,
            );
            bottom = top - mm(2.0);
        }

        // desi / kg / piece box
        {
            let size = 10.0 * f;
            let bh = size * 2.0;
            let top = bottom - bh;
            self.op::<REC>(|| Op::Rect {
                x: m,
                y: top,
                w: inner,
                h: bh,
                fill: false,
                line: 0.8,
            });
            let sc = &mut self.scratch;
            sc.clear();
            let mut units = u.piece;
            if show.desi_kg {
                sc.push_str("Desi: ");
                let at = sc.len();
                write_decimal(sc, data.desi, 1);
                units += u.desi + bold.width_units(&sc[at..]);
                sc.push_str(" • Ağırlık: ");
                let at = sc.len();
                write_decimal(sc, data.kg, 2);
                units += u.weight + bold.width_units(&sc[at..]);
                sc.push_str(" kg • ");
                units += u.kg;
            }
            sc.push_str("Parça: ");
            let at = sc.len();
            push_u16(sc, data.piece_index);
            sc.push('/');
            push_u16(sc, data.piece_count);
            units += bold.width_units(&sc[at..]);
            let room = inner - mm(4.0);
            let ts = size
                .min(room / width_at_one(bold, units).max(0.01))
                .max(7.0);
            self.shape[slot::DESI] = ts.to_bits();
            // Decimals and piece numbers hold no spaces: the line is normalized.
            let r = fit_known(bold, &mut self.arena, &self.scratch, units, ts, room);
            let baseline = top + bh / 2.0 + ts * 0.36;
            self.text::<REC>(
                m + mm(2.0),
                baseline,
                room,
                ts,
                true,
                false,
                Align::Left,
                r,
                false,
            );
            bottom = top - mm(2.0);
        }

        // ---- top flow ----
        let header_h = mm(14.0) * f.max(0.85);
        let mut name_x = m;
        if let (Some((pw, ph)), true) = (c.logo, show.logo) {
            let (bw, bh) = (mm(24.0), header_h - mm(4.0));
            let s = (bw / pw as f32).min(bh / ph as f32);
            let (lw, lh) = (pw as f32 * s, ph as f32 * s);
            self.op::<REC>(|| Op::Logo {
                x: m,
                y: (header_h - lh) / 2.0,
                w: lw,
                h: lh,
            });
            name_x = m + lw + mm(2.0);
        }
        let name_w = w * 0.62 - name_x;
        let id = self
            .state
            .carriers
            .iter()
            .position(|(name, _)| *name == data.carrier_name);
        let (size, r, id) = match id {
            Some(i) if !REC => (
                f32::from_bits(self.state.carriers[i].1),
                (0..0, false, ARENA),
                Some(i as u32),
            ),
            _ => {
                self.scratch.clear();
                push_upper(&mut self.scratch, &data.carrier_name);
                let fitted = bold.width(&self.scratch, 1.0);
                let size = (16.0 * f).min(name_w / fitted.max(0.01)).max(10.0 * f);
                let r = fit_into(bold, &mut self.arena, &self.scratch, size, name_w);
                let id = match id {
                    Some(i) => Some(i as u32),
                    None if !REC && self.state.carriers.len() < MEMO_CAP => {
                        let name = data.carrier_name.clone();
                        self.state.carriers.push((name, size.to_bits()));
                        Some(self.state.carriers.len() as u32 - 1)
                    }
                    None => None,
                };
                (size, r, id)
            }
        };
        self.shape[slot::NAME] = size.to_bits();
        self.shape[slot::CARRIER_ID] = id.unwrap_or(NONE);
        self.text::<REC>(
            name_x,
            header_h / 2.0 + size * 0.36,
            name_w,
            size,
            true,
            false,
            Align::Left,
            r,
            id.is_some(),
        );
        let half = w * 0.62 + mm(1.0);
        let small = 8.0 * f;
        let order = data.order_id.as_deref().filter(|_| show.order_id);
        self.shape[slot::HEADER] =
            u32::from(data.service.is_some()) | (u32::from(order.is_some()) << 1);
        self.shape[slot::SERVICE_ID] = NONE;
        self.shape[slot::DATE_ID] = NONE;
        let count = usize::from(data.service.is_some())
            + usize::from(order.is_some())
            + usize::from(show.date);
        let step = small * 1.3;
        let mut y = header_h / 2.0 - step * (count as f32 - 1.0) / 2.0 + small * 0.36;
        let part_w = w - m - half;
        for part in 0..3 {
            let (r, baked) = match part {
                0 => match &data.service {
                    Some(s) => {
                        let id = memo_id(
                            &mut self.state.services,
                            s.as_str(),
                            || s.clone(),
                            !REC,
                            MEMO_CAP,
                        );
                        self.shape[slot::SERVICE_ID] = id.unwrap_or(NONE);
                        if id.is_some() && !REC {
                            ((0..0, false, ARENA), true)
                        } else {
                            let r = fit_into(regular, &mut self.arena, s, small, part_w);
                            (r, id.is_some())
                        }
                    }
                    None => continue,
                },
                1 => match order {
                    Some(o) => {
                        self.scratch.clear();
                        self.scratch.push_str(ORDER_PREFIX);
                        self.scratch.push_str(o);
                        // "Sipariş: " + a normalized, non-empty number is normalized.
                        let known = scan(regular, o)
                            .filter(|(_, escape)| !o.is_empty() && !escape)
                            .map(|(units, _)| u.order + units);
                        let r = match known {
                            Some(units) => fit_known(
                                regular,
                                &mut self.arena,
                                &self.scratch,
                                units,
                                small,
                                part_w,
                            ),
                            None => {
                                fit_into(regular, &mut self.arena, &self.scratch, small, part_w)
                            }
                        };
                        (r, false)
                    }
                    None => continue,
                },
                _ if show.date => {
                    let date = data.date;
                    let id = memo_id(&mut self.state.dates, &date, || date, !REC, MEMO_CAP);
                    self.shape[slot::DATE_ID] = id.unwrap_or(NONE);
                    if id.is_some() && !REC {
                        ((0..0, false, ARENA), true)
                    } else {
                        let sc = &mut self.scratch;
                        sc.clear();
                        sc.push_str("Tarih: ");
                        push_2(sc, date.day());
                        sc.push('.');
                        push_2(sc, date.month());
                        sc.push('.');
                        let year = date.year().unsigned_abs();
                        push_2(sc, year / 100);
                        push_2(sc, year % 100);
                        let r = fit_into(regular, &mut self.arena, &self.scratch, small, part_w);
                        (r, id.is_some())
                    }
                }
                _ => continue,
            };
            self.text::<REC>(half, y, part_w, small, false, false, Align::Right, r, baked);
            y += step;
        }
        self.op::<REC>(|| Op::Rule {
            x: m,
            y: header_h,
            w: inner,
            line: 0.8,
        });

        let (rs, ns) = (k.recipient_font * f, 14.0 * f);
        let recipient_need = 9.0 * f * 1.25
            + ns * 1.25
            + rs * 1.25 * (2.0 + f32::from(u8::from(show.recipient_phone)));
        let mut flow = Flow {
            y: header_h + mm(1.5),
            limit: bottom - recipient_need,
        };
        self.shape[slot::SENDER_ID] = NONE;
        if show.sender {
            let s = 8.0 * f;
            let id = memo_id(
                &mut self.state.senders,
                &data.sender,
                || data.sender.clone(),
                !REC,
                SENDER_CAP,
            );
            self.shape[slot::SENDER_ID] = id.unwrap_or(NONE);
            let limit_bits = flow.limit.to_bits();
            let known = self
                .state
                .outcomes
                .iter()
                .find(|o| !REC && Some(o.id) == id && o.limit_bits == limit_bits)
                .copied();
            let wrapped = match known {
                Some(o) => {
                    flow.y = o.y;
                    o.wrapped as usize
                }
                None => {
                    let baked = id.is_some();
                    self.line::<REC>(&mut flow, "GÖNDERİCİ", s, true, inner, m, true);
                    let a = self.party::<REC>(
                        &mut flow,
                        &data.sender,
                        s,
                        false,
                        k.sender_lines,
                        show.sender_phone,
                        inner,
                        m,
                        baked,
                    );
                    if let (Some(id), false) = (id, REC) {
                        if self.state.outcomes.len() < MEMO_CAP {
                            self.state.outcomes.push(SenderOutcome {
                                id,
                                limit_bits,
                                y: flow.y,
                                wrapped: a as u32,
                            });
                        }
                    }
                    a
                }
            };
            self.shape[slot::SENDER] = wrapped as u32;
            if flow.y + mm(2.0) <= flow.limit {
                flow.y += mm(1.0);
                let y = flow.y;
                self.op::<REC>(|| Op::Rule {
                    x: m,
                    y,
                    w: inner,
                    line: 0.5,
                });
                flow.y += mm(0.5);
            }
        }
        flow.limit = bottom;
        self.line::<REC>(&mut flow, "ALICI", 9.0 * f, true, inner, m, true);
        self.line_src::<REC>(
            &mut flow,
            &data.recipient.name,
            ns,
            true,
            inner,
            m,
            false,
            RECIPIENT_NAME,
        );
        let a = self.party::<REC>(
            &mut flow,
            &data.recipient,
            rs,
            true,
            k.recipient_lines,
            show.recipient_phone,
            inner,
            m,
            false,
        );
        self.shape[slot::RECIPIENT] = a as u32;
        true
    }

    /// The layout's `line`: one fitted line if it fits above the flow's floor. A `baked`
    /// line's text is only needed when recording.
    #[allow(clippy::too_many_arguments)]
    fn line<const REC: bool>(
        &mut self,
        flow: &mut Flow,
        text: &str,
        size: f32,
        bold: bool,
        width: f32,
        x: f32,
        baked: bool,
    ) {
        self.line_src::<REC>(flow, text, size, bold, width, x, baked, ARENA);
    }

    /// [`ZplBatch::line`] of a text of the label's data (`src`), referred to when it fits.
    #[allow(clippy::too_many_arguments)]
    fn line_src<const REC: bool>(
        &mut self,
        flow: &mut Flow,
        text: &str,
        size: f32,
        bold: bool,
        width: f32,
        x: f32,
        baked: bool,
        src: u8,
    ) {
        let lh = size * 1.25;
        if flow.y + lh > flow.limit {
            return;
        }
        let r = if baked && !REC {
            (0..0, false, ARENA)
        } else {
            let src = if REC { ARENA } else { src };
            fit_src(
                self.fonts.face(bold),
                &mut self.arena,
                text,
                size,
                width,
                src,
            )
        };
        self.text::<REC>(
            x,
            flow.y + size * 0.95,
            width,
            size,
            bold,
            false,
            Align::Left,
            r,
            baked,
        );
        flow.y += lh;
    }

    /// The layout's `party`; returns how many lines the address wrapped to.
    #[allow(clippy::too_many_arguments)]
    fn party<const REC: bool>(
        &mut self,
        flow: &mut Flow,
        p: &LabelParty,
        size: f32,
        recipient: bool,
        max_lines: usize,
        phone: bool,
        width: f32,
        x: f32,
        baked: bool,
    ) -> usize {
        let lh = size * 1.25;
        if !recipient {
            self.line::<REC>(flow, &p.name, size, false, width, x, baked);
        }
        let room = floor_usize((flow.limit - flow.y) / lh);
        let reserve = 1 + usize::from(phone);
        let lines_allowed = max_lines.min(room.saturating_sub(reserve).max(1));
        let mut lines = std::mem::take(&mut self.fast_lines);
        wrap_fast(
            &self.fonts.regular,
            &mut self.arena,
            &mut self.lines,
            &mut lines,
            &p.address_line,
            (size, width),
            lines_allowed,
            if recipient && !REC {
                RECIPIENT_ADDRESS
            } else {
                ARENA
            },
        );
        for r in lines.iter() {
            if flow.y + lh > flow.limit {
                break;
            }
            self.text::<REC>(
                x,
                flow.y + size * 0.95,
                width,
                size,
                false,
                false,
                Align::Left,
                r.clone(),
                baked,
            );
            flow.y += lh;
        }
        let wrapped = lines.len();
        self.fast_lines = lines;
        let mut s = std::mem::take(&mut self.scratch);
        s.clear();
        s.push_str(&p.district);
        s.push_str(" / ");
        push_upper(&mut s, &p.province);
        self.line::<REC>(flow, &s, size, recipient, width, x, baked);
        if phone && flow.y + lh <= flow.limit {
            s.clear();
            s.push_str("Tel: ");
            format_phone(&p.phone, self.tpl.mask_phone, &mut s);
            let d = p.phone.as_bytes();
            if (REC || !baked) && d.len() == 10 && d.iter().all(u8::is_ascii_digit) {
                // "Tel: 0532 123 45 67" (or masked) is normalized by construction.
                let font = &self.fonts.regular;
                let r = fit_known(font, &mut self.arena, &s, font.width_units(&s), size, width);
                self.text::<REC>(
                    x,
                    flow.y + size * 0.95,
                    width,
                    size,
                    false,
                    false,
                    Align::Left,
                    r,
                    baked,
                );
                flow.y += lh;
            } else {
                self.line::<REC>(flow, &s, size, false, width, x, baked);
            }
        }
        self.scratch = s;
        wrapped
    }
}

/// Appends `s` to `arena` and returns its range.
fn push(arena: &mut String, s: &str) -> Range<usize> {
    let start = arena.len();
    arena.push_str(s);
    start..arena.len()
}

/// `SubsetFont::width(text, 1.0)` of a text `units` wide.
#[inline]
fn width_at_one(font: &SubsetFont, units: u32) -> f32 {
    units as f32 * 1.0 / f32::from(font.units_per_em)
}

/// [`fit_line`] with the whole-text case in one pass that also finds the bytes to escape.
fn fit_into(font: &SubsetFont, arena: &mut String, text: &str, size: f32, width: f32) -> Field {
    fit_src(font, arena, text, size, width, ARENA)
}

/// [`fit_into`]; a text that fits whole is referred to in `src` (when not [`ARENA`]) instead
/// of copied.
fn fit_src(
    font: &SubsetFont,
    arena: &mut String,
    text: &str,
    size: f32,
    width: f32,
    src: u8,
) -> Field {
    if let Some((units, escape)) = scan(font, text) {
        if units <= max_units(font, size, width.max(0.0)) {
            if src != ARENA {
                return (0..text.len(), escape, src);
            }
            return (push(arena, text), escape, ARENA);
        }
    }
    let r = fit_line(font, text, size, width, arena);
    let escape = maybe_escape(&arena.as_bytes()[r.clone()]);
    (r, escape, ARENA)
}

/// [`fit_line`] of a text known to be normalized, `units` wide and free of bytes to escape.
fn fit_known(
    font: &SubsetFont,
    arena: &mut String,
    text: &str,
    units: u32,
    size: f32,
    width: f32,
) -> Field {
    if units <= max_units(font, size, width.max(0.0)) {
        return (push(arena, text), false, ARENA);
    }
    let r = fit_line(font, text, size, width, arena);
    let escape = maybe_escape(&arena.as_bytes()[r.clone()]);
    (r, escape, ARENA)
}

/// [`wrap_into`] into `out` (cleared first), with the one-line case done by [`scan`];
/// `tmp` is scratch. `at` is (size, width).
#[allow(clippy::too_many_arguments)]
fn wrap_fast(
    font: &SubsetFont,
    arena: &mut String,
    tmp: &mut Vec<Range<usize>>,
    out: &mut Vec<Field>,
    text: &str,
    at: (f32, f32),
    max_lines: usize,
    src: u8,
) {
    let (size, width) = at;
    out.clear();
    if max_lines > 0 && width > 0.0 {
        if let Some((units, escape)) = scan(font, text) {
            if units <= max_units(font, size, width) {
                if !text.is_empty() {
                    out.push(if src != ARENA {
                        (0..text.len(), escape, src)
                    } else {
                        (push(arena, text), escape, ARENA)
                    });
                }
                return;
            }
        }
    }
    tmp.clear();
    wrap_into(font, text, size, width, max_lines, arena, tmp);
    out.extend(tmp.iter().map(|r| {
        let escape = maybe_escape(&arena.as_bytes()[r.clone()]);
        (r.clone(), escape, ARENA)
    }));
}

/// What [`crate::money::write_turkish`] writes (`1.250,00 TL`), without allocating.
pub(crate) fn push_money(out: &mut String, money: Money) {
    let kurus = money.to_kurus();
    let abs = kurus.unsigned_abs();
    let (lira, frac) = (abs / 100, abs % 100);
    let mut digits = [0u8; 20];
    let lira = layout::digits(&mut digits, lira).as_bytes();
    // sign, 20 digits with 6 dots, ",dd TL"
    let mut buf = [0u8; 40];
    let mut n = 0;
    if kurus < 0 {
        buf[0] = b'-';
        n = 1;
    }
    for (j, d) in lira.iter().enumerate() {
        if j > 0 && (lira.len() - j).is_multiple_of(3) {
            buf[n] = b'.';
            n += 1;
        }
        buf[n] = *d;
        n += 1;
    }
    for b in [
        b',',
        b'0' + (frac / 10) as u8,
        b'0' + (frac % 10) as u8,
        b' ',
        b'T',
        b'L',
    ] {
        buf[n] = b;
        n += 1;
    }
    out.push_str(std::str::from_utf8(&buf[..n]).unwrap_or_default());
}

/// Appends `n` in decimal (what `{}` writes).
fn push_u16(out: &mut String, n: u16) {
    layout::push_u64(out, u64::from(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_matches_write_turkish() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut values = vec![
            0i64,
            1,
            -1,
            99,
            100,
            -100,
            125_000,
            99_999_999,
            i64::MAX,
            i64::MIN,
        ];
        for _ in 0..3000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push((x >> (x % 60)) as i64 * if x & 2 == 0 { 1 } else { -1 });
        }
        for k in values {
            let m = Money::from_kurus(k);
            let (mut a, mut b) = (String::new(), String::new());
            push_money(&mut a, m);
            crate::money::write_turkish(&mut b, m);
            assert_eq!(a, b, "{k}");
        }
        let mut a = String::new();
        push_money(&mut a, Money::from_kurus(125_000));
        assert_eq!(a, "1.250,00 TL");
    }

    #[test]
    fn memo_ids_are_stable_and_capped() {
        let mut list: Vec<String> = Vec::new();
        assert_eq!(memo_id(&mut list, "a", || "a".into(), true, 2), Some(0));
        assert_eq!(memo_id(&mut list, "b", || "b".into(), false, 2), None);
        assert_eq!(memo_id(&mut list, "b", || "b".into(), true, 2), Some(1));
        assert_eq!(memo_id(&mut list, "c", || "c".into(), true, 2), None);
        assert_eq!(memo_id(&mut list, "a", || "a".into(), true, 2), Some(0));
    }
}
