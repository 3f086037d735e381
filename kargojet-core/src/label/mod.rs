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

pub use data::{LabelData, LabelParty};
pub use layout::{DisplayList, Op};
pub use merge::merge_pdfs;
pub use template::{LabelFields, LabelSize, LabelTemplate, Logo};
pub use zpl::Dpi;

use crate::error::{Code, Error, Result};
use crate::shipment::{Label, LabelFormat};
use font::FontSet;
use image::LogoImage;
use pdf::{Deflater, PdfBuilder, PdfFonts, PdfLogo};

/// Renders labels. Build it once: it parses and subsets the fonts and keeps the PDF font
/// objects, which every document then copies.
#[derive(Debug)]
pub struct LabelRenderer {
    fonts: FontSet,
    pdf_fonts: PdfFonts,
}

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
        Ok(LabelRenderer { fonts, pdf_fonts })
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
        let p = Prepared::new(tpl, labels)?;
        let mut dl = DisplayList::default();
        let mut out = Vec::with_capacity(labels.len() * 1400);
        let mut cache = zpl::ZplLogo::default();
        for (i, data) in labels.iter().enumerate() {
            layout::layout(&self.fonts, data, p.tpl, p.logo_size(), i, &mut dl)?;
            zpl::write_label(&mut out, &dl, dpi, p.logo.as_ref(), &mut cache);
        }
        Ok(Label {
            format: LabelFormat::Zpl,
            bytes: out,
        })
    }
}
