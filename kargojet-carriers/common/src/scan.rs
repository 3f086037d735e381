//! Byte scanning for the hot-path readers ([`crate::xml::XmlCursor`], [`crate::json_pull`],
//! carrier tokenizers): searches that test eight bytes at a time in a `u64` (SWAR), inlined, with
//! no set-up cost for the short runs (tag names, field values) that tracking answers are made
//! of — long runs go on to `memchr`'s vector search — and short byte-string equality without a
//! `memcmp` call.
//!
//! ```
//! use kargojet_carrier_common::scan::{eq_bytes, find_byte, find_byte3, find_json_special};
//!
//! assert_eq!(find_byte(b"Kargo kabul<", 0, b'<'), Some(11));
//! assert_eq!(find_byte3("Şube &amp; <".as_bytes(), 0, b'<', b'&', b'\r'), Some(6));
//! assert_eq!(find_json_special(br#"abc\"d""#, 0), Some(3));
//! assert!(eq_bytes(b"eventName", b"eventName"));
//! ```

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

/// The eight bytes at `at` as a little-endian word (the caller checks `at + 8 <= b.len()`).
#[inline(always)]
fn word(b: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&b[at..at + 8]);
    u64::from_le_bytes(w)
}

/// High bit of every byte of `x` that is zero. Exact for the lowest flagged byte (a borrow only
/// creates false flags above a true one), which is all the searches below use.
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    x.wrapping_sub(LO) & !x & HI
}

/// High bit of every byte below `n` (`n <= 128`; exact for the lowest one).
#[inline(always)]
fn below_mask(x: u64, n: u8) -> u64 {
    x.wrapping_sub(LO.wrapping_mul(u64::from(n))) & !x & HI
}

/// Index of the lowest flagged byte of a non-zero mask.
#[inline(always)]
fn lowest(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// The word-at-a-time search loop: `$mask` (an expression of the word `$w`) flags hits in a
/// word, `$hit` (of the byte `$c`) tests one byte of the tail. After `$span` bytes without a
/// hit, `$long` (of the rest `$r`) takes over. A macro, so that every predicate is inlined
/// with its constants hoisted out of the loop.
macro_rules! search {
    ($hay:expr, $from:expr, $span:expr, |$w:ident| $mask:expr, |$c:ident| $hit:expr, |$r:ident| $long:expr) => {{
        let hay: &[u8] = $hay;
        let from: usize = $from;
        let limit = from.saturating_add($span);
        let mut i = from;
        let mut found = None;
        loop {
            if i + 8 > hay.len() {
                while i < hay.len() {
                    let $c = hay[i];
                    if $hit {
                        found = Some(i);
                        break;
                    }
                    i += 1;
                }
                break;
            }
            let $w = word(hay, i);
            let m = $mask;
            if m != 0 {
                found = Some(i + lowest(m));
                break;
            }
            i += 8;
            if i >= limit {
                let $r = &hay[i.min(hay.len())..];
                found = $long.map(|k: usize| k + i);
                break;
            }
        }
        found
    }};
}

/// How far the inline word loop of [`find_byte`] and friends looks before handing a long run
/// to `memchr`'s vector search.
const INLINE_SPAN: usize = 32;

/// Index of the first `needle` at or after `from`.
#[inline(always)]
pub fn find_byte(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    let n = LO.wrapping_mul(u64::from(needle));
    search!(
        hay,
        from,
        INLINE_SPAN,
        |w| zero_bytes(w ^ n),
        |c| c == needle,
        |rest| memchr::memchr(needle, rest)
    )
}

/// Index of the first `a` or `b` at or after `from`.
#[inline(always)]
pub fn find_byte2(hay: &[u8], from: usize, a: u8, b: u8) -> Option<usize> {
    let (sa, sb) = (LO.wrapping_mul(u64::from(a)), LO.wrapping_mul(u64::from(b)));
    search!(
        hay,
        from,
        INLINE_SPAN,
        |w| zero_bytes(w ^ sa) | zero_bytes(w ^ sb),
        |x| x == a || x == b,
        |rest| memchr::memchr2(a, b, rest)
    )
}

/// Index of the first `a`, `b` or `c` at or after `from`.
#[inline(always)]
pub fn find_byte3(hay: &[u8], from: usize, a: u8, b: u8, c: u8) -> Option<usize> {
    let (sa, sb, sc) = (
        LO.wrapping_mul(u64::from(a)),
        LO.wrapping_mul(u64::from(b)),
        LO.wrapping_mul(u64::from(c)),
    );
    search!(
        hay,
        from,
        INLINE_SPAN,
        |w| zero_bytes(w ^ sa) | zero_bytes(w ^ sb) | zero_bytes(w ^ sc),
        |x| x == a || x == b || x == c,
        |rest| memchr::memchr3(a, b, c, rest)
    )
}

/// Index of the first byte at or after `from` that ends a plain run of a JSON string: `"`, `\`
/// or a control character (below 0x20).
#[inline(always)]
pub fn find_json_special(hay: &[u8], from: usize) -> Option<usize> {
    let (q, bs) = (
        LO.wrapping_mul(u64::from(b'"')),
        LO.wrapping_mul(u64::from(b'\\')),
    );
    search!(
        hay,
        from,
        usize::MAX,
        |w| zero_bytes(w ^ q) | zero_bytes(w ^ bs) | below_mask(w, 0x20),
        |c| c == b'"' || c == b'\\' || c < 0x20,
        |_rest| None::<usize>
    )
}

/// Index of the first byte below `n` (`n <= 128`) at or after `from`.
#[inline(always)]
pub fn find_below(hay: &[u8], from: usize, n: u8) -> Option<usize> {
    debug_assert!(n <= 128);
    search!(
        hay,
        from,
        usize::MAX,
        |w| below_mask(w, n),
        |c| c < n,
        |_rest| None::<usize>
    )
}

/// `std::str::from_utf8` with a vector-accelerated check of valid input (`simdutf8`); the
/// error, when there is one, is the standard library's (with its position).
#[inline]
pub fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// `str::trim` with a shortcut for the usual value, whose first and last bytes cannot belong
/// to whitespace (ASCII or Unicode: the lead bytes `C2`, `E1`, `E2`, `E3` and the final bytes
/// of `U+0085`, `U+00A0`, `U+1680`, `U+2000`–`U+3000` are sent the long way).
#[inline(always)]
pub fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let (Some(&first), Some(&last)) = (b.first(), b.last()) else {
        return s;
    };
    let clean_start = match first {
        0x21..=0x7e => true,
        0x80..=0xff => !matches!(first, 0xc2 | 0xe1..=0xe3),
        _ => false,
    };
    let clean_end = match last {
        0x21..=0x7e => true,
        0x80..=0xff => !matches!(last, 0x80..=0x8a | 0x9f | 0xa0 | 0xa8 | 0xa9 | 0xaf),
        _ => false,
    };
    if clean_start && clean_end {
        s
    } else {
        s.trim()
    }
}

/// Byte-string equality for short strings (names, keys): word-wise compares, the last word
/// overlapping the one before, no `memcmp` call.
#[inline(always)]
pub fn eq_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n >= 8 {
        let mut i = 0;
        while i + 8 < n {
            if word(a, i) != word(b, i) {
                return false;
            }
            i += 8;
        }
        return word(a, n - 8) == word(b, n - 8);
    }
    if n >= 4 {
        let half = |s: &[u8], at: usize| {
            let mut w = [0u8; 4];
            w.copy_from_slice(&s[at..at + 4]);
            u32::from_le_bytes(w)
        };
        return half(a, 0) == half(b, 0) && half(a, n - 4) == half(b, n - 4);
    }
    a.iter().zip(b).all(|(x, y)| x == y)
}

/// True when `hay[at..]` starts with `prefix` (no `memcmp` call).
#[inline(always)]
pub fn starts_with_at(hay: &[u8], at: usize, prefix: &[u8]) -> bool {
    hay.get(at..at + prefix.len())
        .is_some_and(|s| eq_bytes(s, prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(hay: &[u8], from: usize, f: impl Fn(u8) -> bool) -> Option<usize> {
        hay.get(from..)?
            .iter()
            .position(|&c| f(c))
            .map(|i| i + from)
    }

    #[test]
    fn searches_agree_with_a_plain_loop_at_every_offset() {
        // Every byte value, at every alignment, next to multi-byte UTF-8 and high bytes.
        let mut hay: Vec<u8> = (0..=255u8).collect();
        hay.extend_from_slice("Şube<İ&\r\"\\ x".as_bytes());
        hay.extend((0..=255u8).rev());
        for from in 0..=hay.len() + 1 {
            for n in [b'<', b'&', b'"', 0u8, 0xff, 0x80] {
                assert_eq!(find_byte(&hay, from, n), plain(&hay, from, |c| c == n));
            }
            assert_eq!(
                find_byte2(&hay, from, b'&', b'\r'),
                plain(&hay, from, |c| c == b'&' || c == b'\r')
            );
            assert_eq!(
                find_byte3(&hay, from, b'<', b'&', b'\r'),
                plain(&hay, from, |c| c == b'<' || c == b'&' || c == b'\r')
            );
            for n in [0x20u8, 0x40, 0x80] {
                assert_eq!(find_below(&hay, from, n), plain(&hay, from, |c| c < n));
            }
            assert_eq!(
                find_json_special(&hay, from),
                plain(&hay, from, |c| c == b'"' || c == b'\\' || c < 0x20)
            );
        }
        // Only high bytes and plain text: no false hits.
        let text = "ÇIKIŞ ŞUBESİNDE ÖĞÜ çıkış şubesinde".repeat(3);
        assert_eq!(find_json_special(text.as_bytes(), 0), None);
        assert_eq!(find_byte3(text.as_bytes(), 0, b'<', b'&', b'\r'), None);
    }

    #[test]
    fn utf8_agrees_with_std() {
        let long = "Şube İADE ı ğ ü ş ö ç 😀 ".repeat(20);
        let mut cases: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"plain".to_vec(),
            long.clone().into_bytes(),
            b"\xff".to_vec(),
            b"\xc3".to_vec(),
            b"\xed\xa0\x80".to_vec(),
        ];
        let mut bad = long.clone().into_bytes();
        bad.insert(300, 0xc3);
        cases.push(bad);
        let mut cut = long.into_bytes();
        cut.truncate(cut.len() - 3);
        cases.push(cut);
        for c in cases {
            assert_eq!(utf8(&c), std::str::from_utf8(&c));
        }
    }

    #[test]
    fn trim_agrees_with_str_trim() {
        let ws = [
            "", " ", "\t", "\n", "\r", "\u{85}", "\u{a0}", "\u{1680}", "\u{2000}", "\u{200a}",
            "\u{2028}", "\u{2029}", "\u{202f}", "\u{205f}", "\u{3000}",
        ];
        let cores = [
            "",
            "x",
            "ÇANKAYA",
            "KIRŞEHİR",
            "İ",
            "a b",
            "é",
            "€",
            "\u{2000}x",
            "—",
        ];
        for a in ws {
            for c in cores {
                for z in ws {
                    let s = format!("{a}{c}{z}");
                    assert_eq!(trim(&s), s.trim(), "{s:?}");
                }
            }
        }
        // Every char as a first or last char.
        for c in (0..0x3100u32).filter_map(char::from_u32) {
            let s = format!("{c}a{c}");
            assert_eq!(trim(&s), s.trim(), "{:x}", c as u32);
        }
    }

    #[test]
    fn equality_of_short_strings() {
        let names = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abce",
            "abcde",
            "xbcde",
            "abcdefg",
            "abcdefh",
            "eventNam",
            "eventName",
            "eventNamf",
            "fventName",
            "KARGO_TAKIP_NO",
            "KARGO_TAKIP_NP",
            "invDocCargoVOArray",
            "invDocCargoVOArrax",
            "xnvDocCargoVOArray",
        ];
        for a in names {
            for b in names {
                assert_eq!(eq_bytes(a.as_bytes(), b.as_bytes()), a == b, "{a} {b}");
            }
        }
        assert!(!eq_bytes(b"invDocCargoVOArray", b"invDocCargoVOArrax"));
        assert!(!eq_bytes(b"xnvDocCargoVOArray", b"invDocCargoVOArray"));
        assert!(starts_with_at(b"</ax:BARNO>", 2, b"ax:BARNO"));
        assert!(!starts_with_at(b"</ax:BAR", 2, b"ax:BARNO"));
    }
}
