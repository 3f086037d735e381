//! The label fonts: DejaVu Sans and DejaVu Sans Bold, parsed and subset ONCE for the fixed
//! Turkish/Latin character set the labels draw, then kept as ready-to-embed PDF objects.
//!
//! Characters outside the set are drawn as `?`. The set is Basic Latin, Latin-1, the Turkish
//! letters of Latin Extended-A (Ğ ğ İ ı Ş ş) and `— – … • ‘ ’ “ ” € ₺`: small enough that a
//! one-label PDF with both faces embedded stays under 46 KB.

use crate::error::{Error, Result};

/// Highest code point kept in the direct lookup table.
const TABLE_LEN: usize = 0x2200;

/// Code points beyond Latin-1 that labels use: the Turkish letters of Latin Extended-A and
/// common punctuation.
const EXTRA: &[char] = &[
    'Ğ', 'ğ', 'İ', 'ı', 'Ş', 'ş', '–', '—', '‘', '’', '“', '”', '•', '…', '€', '₺',
];

/// One glyph of the subset: its id in the subset font and its advance in font units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Glyph {
    /// Glyph id in the subset font (also its CID, Identity mapping).
    pub gid: u16,
    /// Horizontal advance in font units.
    pub advance: u16,
}

/// A font subset with its metrics and lookup table.
#[derive(Debug)]
pub struct SubsetFont {
    /// PostScript name used in the PDF (with the 6-letter subset tag).
    pub base_name: String,
    /// The subset TrueType file.
    pub data: Vec<u8>,
    /// Units per em.
    pub units_per_em: u16,
    /// Ascender in font units.
    pub ascent: i16,
    /// Descender in font units (negative).
    pub descent: i16,
    /// Cap height in font units.
    pub cap_height: i16,
    /// Font bounding box in font units.
    pub bbox: [i16; 4],
    /// `(char, glyph)` pairs in subset order, for widths and ToUnicode.
    pub glyphs: Vec<(char, Glyph)>,
    table: Vec<Option<Glyph>>,
    fallback: Glyph,
    /// Advances of the whole lookup range, the fallback's where the subset lacks a glyph, so
    /// measuring is one array read per character.
    advances: Vec<u16>,
    /// The ASCII part of `advances`, indexed by byte without a bounds check.
    ascii: [u16; 128],
    /// Per ASCII byte: its advance (low 16 bits) and the [`SCAN_SPACE`], [`SCAN_BAD`] and
    /// [`SCAN_ESCAPE`] class bits, for one-pass measuring and checking.
    scan: [u32; 128],
}

/// [`SubsetFont::scan_entry`] bit: the byte is an ASCII space.
pub const SCAN_SPACE: u32 = 1 << 16;
/// [`SubsetFont::scan_entry`] bit: ASCII whitespace other than the space (tab, line breaks).
pub const SCAN_BAD: u32 = 1 << 17;
/// [`SubsetFont::scan_entry`] bit: a byte ZPL field data must escape (`^` `~` `\`).
pub const SCAN_ESCAPE: u32 = 1 << 18;

/// The characters every label font subset contains.
pub fn charset() -> impl Iterator<Item = char> {
    (0x20u32..0x7f)
        .chain(0xa0..0x100)
        .filter_map(char::from_u32)
        .chain(EXTRA.iter().copied())
}

impl SubsetFont {
    /// Parses `ttf` once and subsets it to [`charset`].
    pub fn new(ttf: &[u8], tag: &str, ps_name: &str) -> Result<SubsetFont> {
        let face = ttf_parser::Face::parse(ttf, 0)
            .map_err(|e| Error::internal(format!("label font {ps_name} unreadable: {e}")))?;
        let mut remapper = subsetter::GlyphRemapper::new();
        let mut pending = Vec::new();
        for c in charset() {
            if let Some(g) = face.glyph_index(c) {
                let new = remapper.remap(g.0);
                let advance = face.glyph_hor_advance(g).unwrap_or(0);
                pending.push((c, Glyph { gid: new, advance }));
            }
        }
        let data = subsetter::subset(ttf, 0, &remapper)
            .map_err(|e| Error::internal(format!("label font {ps_name} subset failed: {e}")))?;
        let data = crate::label::font_strip::strip(&data).unwrap_or(data);
        let mut table = vec![None; TABLE_LEN];
        for (c, g) in &pending {
            if let Some(slot) = table.get_mut(*c as usize) {
                *slot = Some(*g);
            }
        }
        let fallback = table
            .get('?' as usize)
            .copied()
            .flatten()
            .ok_or_else(|| Error::internal(format!("label font {ps_name} has no '?'")))?;
        let advances: Vec<u16> = table
            .iter()
            .map(|g| g.unwrap_or(fallback).advance)
            .collect();
        let mut ascii = [0u16; 128];
        for (c, a) in ascii.iter_mut().enumerate() {
            *a = advances.get(c).copied().unwrap_or(fallback.advance);
        }
        let mut scan = [0u32; 128];
        for (c, e) in scan.iter_mut().enumerate() {
            let ch = char::from(c as u8);
            *e = u32::from(ascii[c])
                | if ch == ' ' { SCAN_SPACE } else { 0 }
                | if ch != ' ' && ch.is_whitespace() {
                    SCAN_BAD
                } else {
                    0
                }
                | if matches!(ch, '^' | '~' | '\\') {
                    SCAN_ESCAPE
                } else {
                    0
                };
        }
        let b = face.global_bounding_box();
        Ok(SubsetFont {
            base_name: format!("{tag}+{ps_name}"),
            data,
            units_per_em: face.units_per_em(),
            ascent: face.ascender(),
            descent: face.descender(),
            cap_height: face.capital_height().unwrap_or(face.ascender()),
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max],
            glyphs: pending,
            table,
            fallback,
            advances,
            ascii,
            scan,
        })
    }

    /// The glyph drawn for `c` (`?` when the subset lacks it).
    #[inline]
    pub fn glyph(&self, c: char) -> Glyph {
        self.table
            .get(c as usize)
            .copied()
            .flatten()
            .unwrap_or(self.fallback)
    }

    /// True when `c` is in the subset (otherwise it is drawn as `?`).
    pub fn covers(&self, c: char) -> bool {
        self.table.get(c as usize).copied().flatten().is_some()
    }

    /// Advance of `c` in font units (that of `?` when the subset lacks it).
    #[inline]
    pub fn advance(&self, c: char) -> u32 {
        u32::from(
            self.advances
                .get(c as usize)
                .copied()
                .unwrap_or(self.fallback.advance),
        )
    }

    /// Advance of an ASCII byte in font units.
    #[inline]
    pub fn ascii_advance(&self, b: u8) -> u32 {
        u32::from(self.ascii[usize::from(b & 0x7f)])
    }

    /// The advance and class bits of an ASCII byte (see [`SCAN_SPACE`]).
    #[inline]
    pub fn scan_entry(&self, b: u8) -> u32 {
        self.scan[usize::from(b & 0x7f)]
    }

    /// Advance of the code point `cp` (that of `?` outside the subset).
    #[inline]
    pub fn advance_cp(&self, cp: u32) -> u32 {
        u32::from(
            self.advances
                .get(cp as usize)
                .copied()
                .unwrap_or(self.fallback.advance),
        )
    }

    /// Width of `text` in font units (ASCII bytes are measured without decoding).
    #[inline]
    pub fn width_units(&self, text: &str) -> u32 {
        let bytes = text.as_bytes();
        let mut units = 0u32;
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if b < 0x80 {
                units += u32::from(self.ascii[usize::from(b & 0x7f)]);
                i += 1;
            } else {
                let c = text.get(i..).and_then(|t| t.chars().next()).unwrap_or('?');
                units += self.advance(c);
                i += c.len_utf8();
            }
        }
        units
    }

    /// Width of `text` at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.width_units(text) as f32 * size / f32::from(self.units_per_em)
    }
}

/// The two label fonts.
#[derive(Debug)]
pub struct FontSet {
    /// DejaVu Sans.
    pub regular: SubsetFont,
    /// DejaVu Sans Bold.
    pub bold: SubsetFont,
}

impl FontSet {
    /// Parses and subsets both DejaVu faces shipped by the `dejavu` crate.
    pub fn dejavu() -> Result<FontSet> {
        Ok(FontSet {
            regular: SubsetFont::new(dejavu::sans::regular(), "KJLBRA", "DejaVuSans")?,
            bold: SubsetFont::new(dejavu::sans::bold(), "KJLBRB", "DejaVuSans-Bold")?,
        })
    }

    /// The face for `bold`.
    pub fn face(&self, bold: bool) -> &SubsetFont {
        if bold { &self.bold } else { &self.regular }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_turkish_letter_is_in_both_subsets() -> Result<()> {
        let f = FontSet::dejavu()?;
        for c in "çğıİöşüÇĞÖŞÜâîû—…₺".chars() {
            assert!(f.regular.covers(c), "regular lacks {c}");
            assert!(f.bold.covers(c), "bold lacks {c}");
        }
        assert!(!f.regular.covers('漢'));
        assert_eq!(f.regular.glyph('漢'), f.regular.glyph('?'));
        Ok(())
    }

    #[test]
    fn widths_come_from_the_font() -> Result<()> {
        let f = FontSet::dejavu()?;
        let w = f.regular.width("WWW", 10.0);
        let i = f.regular.width("iii", 10.0);
        assert!(w > 2.0 * i, "W {w} vs i {i}");
        assert!(f.bold.width("Ağırlık", 10.0) > f.regular.width("Ağırlık", 10.0));
        Ok(())
    }
}
