//! Text fitting: greedy word wrap measured with the font's glyph advances, then truncation of
//! the last allowed line with an ellipsis. Lines are written into a shared arena (no per-line
//! allocation).

use crate::label::font::{SCAN_BAD, SCAN_ESCAPE, SCAN_SPACE, SubsetFont};
use std::ops::Range;

/// The ellipsis appended to truncated text.
pub const ELLIPSIS: char = '…';

/// The width of `text` in font units when it is already normalized the way the fitters write
/// it (words separated by single ASCII spaces, no leading or trailing whitespace), so a text
/// that fits can be copied whole; `None` otherwise.
fn normalized_units(font: &SubsetFont, text: &str) -> Option<u32> {
    scan(font, text).map(|(units, _)| units)
}

/// [`normalized_units`] in one pass that also tells whether the text holds a byte ZPL field
/// data must escape (`^` `~` `\`): `(units, escape)`.
#[inline]
pub fn scan(font: &SubsetFont, text: &str) -> Option<(u32, bool)> {
    let bytes = text.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') {
        return None;
    }
    let mut units = 0u32;
    let mut flags = 0u32;
    let mut pairs = 0u32;
    let mut prev = 0u32;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            let e = font.scan_entry(b);
            units += e & 0xffff;
            flags |= e;
            let space = e & SCAN_SPACE;
            pairs |= space & prev;
            prev = space;
            i += 1;
        } else if b < 0xe0 {
            // A two-byte sequence (the text is valid UTF-8): U+0080..U+07FF.
            let cont = bytes.get(i + 1).copied().unwrap_or(0x80);
            let cp = (u32::from(b & 0x1f) << 6) | u32::from(cont & 0x3f);
            if cp == 0x85 || cp == 0xa0 {
                return None;
            }
            units += font.advance_cp(cp);
            prev = 0;
            i += 2;
        } else {
            let c = text.get(i..).and_then(|t| t.chars().next())?;
            if c.is_whitespace() {
                return None;
            }
            units += font.advance(c);
            prev = 0;
            i += c.len_utf8();
        }
    }
    if pairs != 0 || flags & SCAN_BAD != 0 {
        return None;
    }
    Some((units, flags & SCAN_ESCAPE != 0))
}

/// `x.floor() as u32` (saturating, NaN as 0) without a libm call.
#[inline]
pub fn floor_u32(x: f32) -> u32 {
    // `as` truncates toward zero and saturates, which is the floor for x >= 0.
    if x >= 0.0 { x as u32 } else { 0 }
}

/// The largest width in font units that fits `max_width` points at `size`.
#[inline]
pub fn max_units(font: &SubsetFont, size: f32, max_width: f32) -> u32 {
    floor_u32(max_width * f32::from(font.units_per_em) / size)
}

/// Wraps `text` into at most `max_lines` lines no wider than `max_width` points at `size`,
/// appending each line to `arena` and its byte range to `lines`. Returns true when text was cut
/// (the last line then ends with `…`). Words wider than a line are broken between characters.
pub fn wrap_into(
    font: &SubsetFont,
    text: &str,
    size: f32,
    max_width: f32,
    max_lines: usize,
    arena: &mut String,
    lines: &mut Vec<Range<usize>>,
) -> bool {
    if max_lines == 0 || max_width <= 0.0 {
        return !text.trim().is_empty();
    }
    let max = max_units(font, size, max_width);
    let adv = |c: char| font.advance(c);
    if normalized_units(font, text).is_some_and(|u| u <= max) {
        if !text.is_empty() {
            lines.push(push(arena, text));
        }
        return false;
    }
    let space = adv(' ');
    let first_line = lines.len();
    let mut start = arena.len();
    let mut used = 0u32;
    let mut cut = false;
    'words: for word in text.split_whitespace() {
        let wu = font.width_units(word);
        if used > 0 && used + space + wu <= max {
            arena.push(' ');
            arena.push_str(word);
            used += space + wu;
            continue;
        }
        if used > 0 {
            if lines.len() - first_line + 1 == max_lines {
                cut = true;
                break;
            }
            lines.push(start..arena.len());
            start = arena.len();
            used = 0;
        }
        if wu <= max {
            arena.push_str(word);
            used = wu;
            continue;
        }
        for c in word.chars() {
            let a = adv(c);
            if used > 0 && used + a > max {
                if lines.len() - first_line + 1 == max_lines {
                    cut = true;
                    break 'words;
                }
                lines.push(start..arena.len());
                start = arena.len();
                used = 0;
            }
            arena.push(c);
            used += a;
        }
    }
    if cut {
        let ell = adv(ELLIPSIS);
        while used + ell > max {
            match arena[start..].chars().next_back() {
                Some(c) => {
                    arena.pop();
                    used = used.saturating_sub(adv(c));
                }
                None => break,
            }
        }
        while arena[start..].ends_with(' ') {
            arena.pop();
            used = used.saturating_sub(space);
        }
        arena.push(ELLIPSIS);
    }
    if arena.len() > start {
        lines.push(start..arena.len());
    }
    cut
}

/// Fits `text` on one line, truncating with `…` between characters, and appends it to `arena`
/// (whitespace runs become one space). No allocation.
pub fn fit_line(
    font: &SubsetFont,
    text: &str,
    size: f32,
    max_width: f32,
    arena: &mut String,
) -> Range<usize> {
    let start = arena.len();
    let max = max_units(font, size, max_width.max(0.0));
    if normalized_units(font, text).is_some_and(|u| u <= max) {
        return push(arena, text);
    }
    let adv = |c: char| font.advance(c);
    let space = adv(' ');
    let mut used = 0u32;
    let mut cut = false;
    'words: for (k, word) in text.split_whitespace().enumerate() {
        if k > 0 {
            if used + space > max {
                cut = true;
                break;
            }
            arena.push(' ');
            used += space;
        }
        for c in word.chars() {
            let a = adv(c);
            if used + a > max {
                cut = true;
                break 'words;
            }
            arena.push(c);
            used += a;
        }
    }
    if cut {
        let ell = adv(ELLIPSIS);
        while used + ell > max {
            match arena[start..].chars().next_back() {
                Some(c) => {
                    arena.pop();
                    used = used.saturating_sub(adv(c));
                }
                None => break,
            }
        }
        while arena[start..].ends_with(' ') {
            arena.pop();
        }
        if used + ell <= max {
            arena.push(ELLIPSIS);
        }
    }
    start..arena.len()
}

/// Appends `s` to `arena` and returns its range.
fn push(arena: &mut String, s: &str) -> Range<usize> {
    let start = arena.len();
    arena.push_str(s);
    start..arena.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::label::font::FontSet;

    #[test]
    fn floor_u32_matches_libm() {
        let mut x = -5000.0f32;
        while x < 5000.0 {
            for v in [x, f32::from_bits(x.to_bits() + 1), x + 0.5] {
                assert_eq!(floor_u32(v), v.floor() as u32, "{v}");
            }
            x += 0.37;
        }
        for v in [
            f32::NAN,
            f32::INFINITY,
            -f32::INFINITY,
            5e9,
            -0.0,
            0.999_999_9,
        ] {
            assert_eq!(floor_u32(v), v.floor() as u32, "{v}");
        }
    }

    #[test]
    fn scan_agrees_with_a_plain_measure() -> crate::Result<()> {
        let f = FontSet::dejavu()?;
        for (text, want) in [
            ("Çağrı Gülşen Öztürk", true),
            ("A^B", true),
            ("a  b", false),
            (" a", false),
            ("a ", false),
            ("a\tb", false),
            ("a\u{a0}b", false),
            ("a\u{85}b", false),
            ("a\u{2003}b", false),
            ("— … • ₺ 漢", true),
            ("", true),
        ] {
            let got = scan(&f.regular, text);
            assert_eq!(got.is_some(), want, "{text:?}");
            if let Some((units, escape)) = got {
                assert_eq!(units, f.regular.width_units(text), "{text:?}");
                assert_eq!(escape, text.contains(['^', '~', '\\']), "{text:?}");
            }
        }
        Ok(())
    }

    #[test]
    fn long_text_wraps_then_ends_with_an_ellipsis() -> crate::Result<()> {
        let f = FontSet::dejavu()?;
        let text = "Çamlıca Mahallesi Şehit Öğretmen Gülşen İğdeli Sokağı No:127 Daire:14 Kat:6 \
                    Üsküdar İstanbul Türkiye Posta Kodu 34660 Teslimat Güzergâhı Kuzey";
        let mut arena = String::new();
        let mut lines = Vec::new();
        let cut = wrap_into(&f.regular, text, 10.0, 200.0, 3, &mut arena, &mut lines);
        assert!(cut);
        assert_eq!(lines.len(), 3);
        for l in &lines {
            assert!(
                f.regular.width(&arena[l.clone()], 10.0) <= 200.0,
                "{}",
                &arena[l.clone()]
            );
        }
        assert!(arena[lines[2].clone()].ends_with(ELLIPSIS));
        assert!(arena[lines[0].clone()].starts_with("Çamlıca Mahallesi"));
        Ok(())
    }

    #[test]
    fn short_text_is_untouched_and_long_words_break() -> crate::Result<()> {
        let f = FontSet::dejavu()?;
        let mut arena = String::new();
        let mut lines = Vec::new();
        assert!(!wrap_into(
            &f.regular,
            "Gül  Sk. No:5",
            10.0,
            200.0,
            2,
            &mut arena,
            &mut lines
        ));
        assert_eq!(&arena[lines[0].clone()], "Gül Sk. No:5");
        lines.clear();
        arena.clear();
        let word = "Ş".repeat(60);
        let cut = wrap_into(&f.bold, &word, 10.0, 100.0, 2, &mut arena, &mut lines);
        assert!(cut);
        assert_eq!(lines.len(), 2);
        assert!(f.bold.width(&arena[lines[1].clone()], 10.0) <= 100.0);
        let r = fit_line(&f.regular, "kısa", 10.0, 100.0, &mut arena);
        assert_eq!(&arena[r], "kısa");
        let r = fit_line(
            &f.regular,
            "Çağrı   Gülşen Öztürk Yılmazoğulları",
            10.0,
            80.0,
            &mut arena,
        );
        let line = &arena[r];
        assert!(
            line.starts_with("Çağrı Gülşen") && line.ends_with(ELLIPSIS),
            "{line}"
        );
        assert!(f.regular.width(line, 10.0) <= 80.0);
        Ok(())
    }
}
