//! KargoJet's own label renderer: one layout drawn as PDF (vector text with an embedded DejaVu
//! subset, Code128 and QR as filled rectangles) or as ZPL II for Zebra printers, for labels of
//! carriers without a label API and for sellers who want one unified label.
//!
//! ```no_run
//! # fn main() -> kargojet_core::Result<()> {
//! use kargojet_core::label::{Dpi, LabelRenderer, LabelTemplate};
//! let renderer = LabelRenderer::new()?; // parses and subsets the fonts once
//! # let labels: Vec<kargojet_core::label::LabelData> = vec![];
//! let pdf = renderer.render_pdf(&labels, &LabelTemplate::default())?;
//! let zpl = renderer.render_zpl(&labels, &LabelTemplate::default(), Dpi::D203)?;
//! # Ok(()) }
//! ```
//!
//! Carrier labels are not re-rendered: they keep their bytes in [`crate::shipment::Label`];
//! [`merge_pdfs`] puts carrier PDFs and KargoJet PDFs into one print file.

pub mod barcode;
pub mod data;
pub mod deflate;
pub mod font;
pub mod font_strip;
pub mod image;
pub mod layout;
pub mod merge;
pub mod pdf;
pub mod template;
pub mod text;
pub mod zpl;
pub mod zpl_fast;

pub use data::{LabelData, LabelParty};
pub use layout::{DisplayList, Op};
pub use merge::merge_pdfs;
pub use template::{LabelFields, LabelSize, LabelTemplate, Logo};
pub use zpl::Dpi;
pub use zpl_fast::ZplBatch;

use crate::error::{Code, Error, Result};
use crate::shipment::{Label, LabelFormat};
use font::FontSet;
use image::LogoImage;
use pdf::{Deflater, PdfBuilder, PdfFonts, PdfLogo};
use std::sync::Mutex;

/// Renders labels. Build it once: it parses and subsets the fonts and keeps the PDF font
/// objects, which every document then copies.
#[derive(Debug)]
pub struct LabelRenderer {
    fonts: FontSet,
    pdf_fonts: PdfFonts,
    /// ZPL templates compiled by earlier calls (a few, most recent last), reused by the next
    /// call with the same template and resolution.
    zpl_states: Mutex<Vec<zpl_fast::ZplState>>,
}

/// Compiled ZPL templates a renderer keeps between calls.
const ZPL_STATES_KEPT: usize = 8;

/// A template checked and its logo decoded, for one render call.
struct Prepared<'t> {
    tpl: &'t LabelTemplate,
    logo: Option<LogoImage>,
}

impl<'t> Prepared<'t> {
    fn new(tpl: &'t LabelTemplate, labels: &[LabelData]) -> Result<Prepared<'t>> {
        if labels.is_empty() {
            return Err(Error::invalid(
                Code::LabelInvalidData,
                "labels",
                "no label to render",
            ));
        }
        tpl.validate()?;
        let logo = match (&tpl.logo, tpl.fields.logo) {
            (Some(l), true) => Some(LogoImage::decode(&l.0, "logo")?),
            _ => None,
        };
        for (i, l) in labels.iter().enumerate() {
            l.validate(i)?;
        }
        Ok(Prepared { tpl, logo })
    }

    fn logo_size(&self) -> Option<(u32, u32)> {
        self.logo.as_ref().map(LogoImage::size)
    }
}

impl LabelRenderer {
    /// Parses and subsets DejaVu Sans and DejaVu Sans Bold for the label character set.
    pub fn new() -> Result<LabelRenderer> {
        let fonts = FontSet::dejavu()?;
        let pdf_fonts = PdfFonts::new(&fonts);
        Ok(LabelRenderer {
            fonts,
            pdf_fonts,
            zpl_states: Mutex::new(Vec::new()),
        })
    }

    /// The subset fonts (metrics and glyph lookup).
    pub fn fonts(&self) -> &FontSet {
        &self.fonts
    }

    /// Lays out one label into `dl` (what both backends draw); `index` names it in errors.
    pub fn layout(
        &self,
        data: &LabelData,
        tpl: &LabelTemplate,
        index: usize,
        dl: &mut DisplayList,
    ) -> Result<()> {
        let logo = match (&tpl.logo, tpl.fields.logo) {
            (Some(l), true) => Some(LogoImage::decode(&l.0, "logo")?.size()),
            _ => None,
        };
        data.validate(index)?;
        layout::layout(&self.fonts, data, tpl, logo, index, dl)
    }

    /// All labels in one PDF: a page per label (four per A4 sheet for `a4_4up`).
    pub fn render_pdf(&self, labels: &[LabelData], tpl: &LabelTemplate) -> Result<Label> {
        let p = Prepared::new(tpl, labels)?;
        let logo = p.logo.as_ref().map(PdfLogo::new);
        let mut deflater = Deflater::default();
        let mut b = PdfBuilder::new(
            &self.fonts,
            &self.pdf_fonts,
            logo.as_ref(),
            tpl.size,
            labels.len() * 1600,
            &mut deflater,
        );
        let mut dl = DisplayList::default();
        for (i, data) in labels.iter().enumerate() {
            layout::layout(&self.fonts, data, p.tpl, p.logo_size(), i, &mut dl)?;
            b.add(&dl)?;
        }
        Ok(Label {
            format: LabelFormat::Pdf,
            bytes: b.finish()?,
        })
    }

    /// One PDF per label (each with the same cached font subset).
    pub fn render_pdf_each(&self, labels: &[LabelData], tpl: &LabelTemplate) -> Result<Vec<Label>> {
        let p = Prepared::new(tpl, labels)?;
        let logo = p.logo.as_ref().map(PdfLogo::new);
        let size = if tpl.size == LabelSize::A4FourUp {
            LabelSize::A6
        } else {
            tpl.size
        };
        let logo_len = logo.as_ref().map_or(0, PdfLogo::len);
        let mut dl = DisplayList::default();
        let mut deflater = Deflater::default();
        let mut out = Vec::with_capacity(labels.len());
        for (i, data) in labels.iter().enumerate() {
            layout::layout(&self.fonts, data, p.tpl, p.logo_size(), i, &mut dl)?;
            let mut b = PdfBuilder::new(
                &self.fonts,
                &self.pdf_fonts,
                logo.as_ref(),
                size,
                4096 + logo_len,
                &mut deflater,
            );
            b.add(&dl)?;
            out.push(Label {
                format: LabelFormat::Pdf,
                bytes: b.finish()?,
            });
        }
        Ok(out)
    }

    /// All labels as ZPL II, one `^XA…^XZ` per label, for a printer of `dpi`.
    pub fn render_zpl(&self, labels: &[LabelData], tpl: &LabelTemplate, dpi: Dpi) -> Result<Label> {
        let mut out = Vec::new();
        self.render_zpl_into(labels, tpl, dpi, &mut out)?;
        Ok(Label {
            format: LabelFormat::Zpl,
            bytes: out,
        })
    }

    /// [`LabelRenderer::render_zpl`] appending to `out` (for batches that reuse one buffer).
    /// Every label is checked before any is written; on error `out` is left as it was.
    pub fn render_zpl_into(
        &self,
        labels: &[LabelData],
        tpl: &LabelTemplate,
        dpi: Dpi,
        out: &mut Vec<u8>,
    ) -> Result<()> {
        if labels.is_empty() {
            return Err(Error::invalid(
                Code::LabelInvalidData,
                "labels",
                "no label to render",
            ));
        }
        let kept = self.zpl_states.lock().ok().and_then(|mut states| {
            let i = states.iter().position(|s| s.is_for(tpl, dpi))?;
            Some(states.remove(i))
        });
        let mut batch = ZplBatch::with_state(&self.fonts, tpl, dpi, kept)?;
        let result = Self::zpl_labels(&mut batch, labels, out);
        if let Ok(mut states) = self.zpl_states.lock() {
            if states.len() >= ZPL_STATES_KEPT {
                states.remove(0);
            }
            states.push(batch.into_state());
        }
        result
    }

    /// Checks every label, then appends them all (or nothing, on error).
    fn zpl_labels(batch: &mut ZplBatch<'_>, labels: &[LabelData], out: &mut Vec<u8>) -> Result<()> {
        for (i, l) in labels.iter().enumerate() {
            if !ZplBatch::plainly_valid(l) {
                l.validate(i)?;
            }
        }
        let start = out.len();
        for (i, data) in labels.iter().enumerate() {
            if let Err(e) = batch.render_checked(i, data, out) {
                out.truncate(start);
                return Err(e);
            }
            if i == 0 {
                // Size the buffer for the whole batch from the first label.
                let per = out.len() - start;
                out.reserve((per + per / 8) * (labels.len() - 1));
            }
        }
        Ok(())
    }

    /// `tpl` compiled for ZPL at `dpi`, to render labels one at a time with
    /// [`ZplBatch::render_into`] (same bytes as [`LabelRenderer::render_zpl`]).
    pub fn zpl_batch<'a>(&'a self, tpl: &'a LabelTemplate, dpi: Dpi) -> Result<ZplBatch<'a>> {
        ZplBatch::new(&self.fonts, tpl, dpi)
    }
}
