//! A minimal XML tokenizer for the hot path: start/end tags (attributes skipped, quotes
//! respected), text (entities resolved with common's `unescape`), CDATA; declarations,
//! comments and processing instructions are skipped, a DOCTYPE is refused (SOAP forbids it).
//! It checks what the scanner needs for well-formedness: tag syntax, names, termination; the
//! scanner checks nesting.

use crate::error::PttError;
use kargojet_carrier_common::scan;
use kargojet_carrier_common::xml::unescape;
use std::borrow::Cow;

/// One token.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Tok<'a> {
    /// `<name …>`.
    Start {
        /// Qualified name (`ax:BARNO`).
        name: &'a str,
        /// Local part (`BARNO`).
        local: &'a str,
        /// Self-closing (`<name/>`).
        empty: bool,
    },
    /// `</name>`.
    End(&'a str),
    /// Text between tags (whitespace-only runs are skipped), entities resolved.
    Text(Cow<'a, str>),
    /// End of input.
    Eof,
}

/// Tokenizer over a UTF-8 document.
pub(crate) struct Lexer<'a> {
    s: &'a str,
    pos: usize,
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|i| i + from)
}

/// Index of the first `needle` byte at or after `from` (common's word-at-a-time search).
fn find_byte(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    scan::find_byte(hay, from, needle)
}

/// Name byte classes: 0 = name byte, 1 = ends (or may not appear in) an element name, 2 = `:`.
const NAME_CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let stops = b"<>&\"'=/ \t\r\n";
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = 1;
        i += 1;
    }
    t[b':' as usize] = 2;
    t
};

impl<'a> Lexer<'a> {
    pub(crate) fn new(s: &'a str) -> Self {
        Lexer { s, pos: 0 }
    }

    fn err(&self, what: &str) -> PttError {
        PttError::Xml(format!("{what} at byte {}", self.pos))
    }

    /// The shortcut for a leaf, right after its start tag `<name>`: entity-free text (no
    /// markup) then exactly `</name>`. The text, with the lexer past the end tag; `None`
    /// (nothing consumed) for any other shape, which the tokens then handle.
    #[inline]
    pub(crate) fn leaf_text(&mut self, name: &str) -> Option<&'a str> {
        let b = self.s.as_bytes();
        let start = self.pos;
        let lt = scan::find_byte2(b, start, b'<', b'&')?;
        let n = name.len();
        if b[lt] != b'<'
            || b.get(lt + 1) != Some(&b'/')
            || b.get(lt + 2 + n) != Some(&b'>')
            || !scan::starts_with_at(b, lt + 2, name.as_bytes())
        {
            return None;
        }
        let text = self.s.get(start..lt)?;
        self.pos = lt + 2 + n + 1;
        Some(text)
    }

    /// A whole plain leaf at the current position (after whitespace): `<name>` without
    /// attributes, entity-free text, then exactly `</name>`, checked as the tokens would check
    /// them. Its local name and text, with the lexer past it; `None` (nothing consumed) for
    /// anything else.
    #[inline]
    pub(crate) fn try_leaf(&mut self) -> Option<(&'a str, &'a str)> {
        let b = self.s.as_bytes();
        let mut p = self.pos;
        while b.get(p).is_some_and(u8::is_ascii_whitespace) {
            p += 1;
        }
        if b.get(p) != Some(&b'<') {
            return None;
        }
        let name_start = p + 1;
        match b.get(name_start) {
            Some(&c)
                if NAME_CLASS[c as usize] == 0 && !c.is_ascii_digit() && c != b'-' && c != b'.' => {
            }
            _ => return None,
        }
        let mut i = name_start;
        let mut local_start = name_start;
        loop {
            i = scan::find_below(b, i, b'@').unwrap_or(b.len());
            match b.get(i).map(|&x| NAME_CLASS[x as usize]) {
                Some(0) => {}
                Some(2) => local_start = i + 1,
                _ => break,
            }
            i += 1;
        }
        if local_start >= i || b.get(i) != Some(&b'>') {
            return None;
        }
        let text_start = i + 1;
        let lt = scan::find_byte2(b, text_start, b'<', b'&')?;
        let n = i - name_start;
        if b[lt] != b'<'
            || b.get(lt + 1) != Some(&b'/')
            || b.get(lt + 2 + n) != Some(&b'>')
            || !scan::eq_bytes(&b[name_start..i], b.get(lt + 2..lt + 2 + n)?)
        {
            return None;
        }
        let local = self.s.get(local_start..i)?;
        let text = self.s.get(text_start..lt)?;
        self.pos = lt + 2 + n + 1;
        Some((local, text))
    }

    /// The next token.
    pub(crate) fn next_tok(&mut self) -> Result<Tok<'a>, PttError> {
        let b = self.s.as_bytes();
        loop {
            let Some(&c) = b.get(self.pos) else {
                return Ok(Tok::Eof);
            };
            if c != b'<' {
                let start = self.pos;
                // One pass: the next '<', and whether an entity comes before it.
                let stop = scan::find_byte2(b, start, b'<', b'&').unwrap_or(b.len());
                let entity = b.get(stop) == Some(&b'&');
                let i = if entity {
                    find_byte(b, stop, b'<').unwrap_or(b.len())
                } else {
                    stop
                };
                self.pos = i;
                // Whitespace between tags carries nothing PTT sends: skip it without a token.
                if b[start..i].iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let raw = self
                    .s
                    .get(start..i)
                    .ok_or_else(|| self.err("bad text boundary"))?;
                // Entities are rare: borrow the text unless there is one to resolve.
                if !entity {
                    return Ok(Tok::Text(Cow::Borrowed(raw)));
                }
                return Ok(Tok::Text(unescape(raw)));
            }
            match b.get(self.pos + 1) {
                Some(b'?') => {
                    self.pos = find(b, self.pos + 2, b"?>")
                        .ok_or_else(|| self.err("unterminated declaration"))?
                        + 2;
                    continue;
                }
                Some(b'!') => {
                    let rest = &b[self.pos..];
                    if rest.starts_with(b"<!--") {
                        self.pos = find(b, self.pos + 4, b"-->")
                            .ok_or_else(|| self.err("unterminated comment"))?
                            + 3;
                        continue;
                    }
                    if rest.starts_with(b"<![CDATA[") {
                        let start = self.pos + 9;
                        let end =
                            find(b, start, b"]]>").ok_or_else(|| self.err("unterminated CDATA"))?;
                        self.pos = end + 3;
                        let text = self
                            .s
                            .get(start..end)
                            .ok_or_else(|| self.err("bad CDATA boundary"))?;
                        return Ok(Tok::Text(Cow::Borrowed(text)));
                    }
                    return Err(self.err("DOCTYPE or markup declaration"));
                }
                _ => {}
            }
            let closing = b.get(self.pos + 1) == Some(&b'/');
            let name_start = self.pos + if closing { 2 } else { 1 };
            // Letters and non-ASCII bytes are always name bytes: hop eight bytes at a time to the
            // next byte below '@', then classify it.
            let mut i = name_start;
            let mut local_start = name_start;
            loop {
                i = scan::find_below(b, i, b'@').unwrap_or(b.len());
                let Some(&x) = b.get(i) else {
                    break;
                };
                match NAME_CLASS[x as usize] {
                    0 => {}
                    2 => local_start = i + 1,
                    _ => break,
                }
                i += 1;
            }
            let name = self
                .s
                .get(name_start..i)
                .ok_or_else(|| self.err("bad name boundary"))?;
            let first = name.as_bytes().first().copied().unwrap_or(b'0');
            if first.is_ascii_digit() || matches!(first, b'-' | b'.') || local_start >= i {
                return Err(self.err("bad element name"));
            }
            let local = self
                .s
                .get(local_start..i)
                .ok_or_else(|| self.err("bad name boundary"))?;
            if closing {
                while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                    i += 1;
                }
                if b.get(i) != Some(&b'>') {
                    return Err(self.err("bad end tag"));
                }
                self.pos = i + 1;
                return Ok(Tok::End(name));
            }
            // No attributes (the common case): `<name>` or `<name/>`.
            match b.get(i) {
                Some(b'>') => {
                    self.pos = i + 1;
                    return Ok(Tok::Start {
                        name,
                        local,
                        empty: false,
                    });
                }
                Some(b'/') if b.get(i + 1) == Some(&b'>') => {
                    self.pos = i + 2;
                    return Ok(Tok::Start {
                        name,
                        local,
                        empty: true,
                    });
                }
                _ => {}
            }
            // Attributes: skip to the closing '>' outside quotes.
            let mut quote: Option<u8> = None;
            loop {
                let Some(&x) = b.get(i) else {
                    return Err(self.err("unterminated start tag"));
                };
                match (quote, x) {
                    (None, b'>') => break,
                    (Some(q), x) if x == q => quote = None,
                    (_, b'<') => return Err(self.err("'<' inside a tag")),
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(x),
                    (None, _) => {}
                }
                i += 1;
            }
            let empty = i > name_start && b[i - 1] == b'/';
            self.pos = i + 1;
            return Ok(Tok::Start { name, local, empty });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Result<Vec<Tok<'_>>, PttError> {
        let mut l = Lexer::new(s);
        let mut v = Vec::new();
        loop {
            match l.next_tok()? {
                Tok::Eof => return Ok(v),
                t => v.push(t),
            }
        }
    }

    #[test]
    fn tokens_of_a_small_document() {
        let t = toks(
            "<?xml version=\"1.0\"?><!-- c --><a:r x='1>2'><b/>x &amp; y<![CDATA[<z>]]></a:r >",
        )
        .expect("lex");
        assert_eq!(
            t,
            [
                Tok::Start {
                    name: "a:r",
                    local: "r",
                    empty: false
                },
                Tok::Start {
                    name: "b",
                    local: "b",
                    empty: true
                },
                Tok::Text(Cow::Owned("x & y".into())),
                Tok::Text(Cow::Borrowed("<z>")),
                Tok::End("a:r"),
            ]
        );
    }

    #[test]
    fn find_byte_agrees_with_a_plain_search() {
        let hay: Vec<u8> = (0..40u8)
            .map(|i| if i % 13 == 7 { b'<' } else { b'a' + i % 26 })
            .collect();
        for from in 0..=hay.len() + 1 {
            let plain = hay
                .get(from..)
                .and_then(|r| r.iter().position(|&x| x == b'<'))
                .map(|i| i + from);
            assert_eq!(find_byte(&hay, from, b'<'), plain, "from {from}");
        }
        assert_eq!(find_byte("é<".as_bytes(), 0, b'<'), Some(2));
        assert_eq!(find_byte(b"\xff\x80\x3c", 0, b'<'), Some(2));
    }

    #[test]
    fn leaf_text_takes_only_plain_leaves() {
        let mut l = Lexer::new("KADIKÖY</ax:IMERK><x>");
        assert_eq!(l.leaf_text("ax:IMERK"), Some("KADIKÖY"));
        assert_eq!(l.pos, "KADIKÖY</ax:IMERK>".len());
        for (doc, name) in [
            ("a &amp; b</n>", "n"),
            ("a</n >", "n"),
            ("a</nn>", "n"),
            ("a<![CDATA[b]]></n>", "n"),
            ("a<m/></n>", "n"),
            ("a</n", "n"),
            ("a", "n"),
        ] {
            let mut l = Lexer::new(doc);
            assert_eq!(l.leaf_text(name), None, "{doc}");
            assert_eq!(l.pos, 0);
        }
        assert_eq!(Lexer::new("</n>").leaf_text("n"), Some(""));
    }

    #[test]
    fn try_leaf_takes_only_plain_leaves() {
        let mut l = Lexer::new("\n  <ax:IMERK>KADIKÖY</ax:IMERK><x>");
        assert_eq!(l.try_leaf(), Some(("IMERK", "KADIKÖY")));
        assert_eq!(l.pos, "\n  <ax:IMERK>KADIKÖY</ax:IMERK>".len());
        for doc in [
            "x<a>1</a>",
            "<a b=\"1\">1</a>",
            "<a>1 &amp; 2</a>",
            "<a>1</a >",
            "<a>1</b>",
            "<a/>",
            "<1a>1</1a>",
            "<a:>1</a:>",
            "</a>",
            "<!-- c --><a>1</a>",
            "<a><b>1</b></a>",
            "<a>1",
        ] {
            let mut l = Lexer::new(doc);
            assert_eq!(l.try_leaf(), None, "{doc}");
            assert_eq!(l.pos, 0);
        }
        assert_eq!(Lexer::new("<a></a>").try_leaf(), Some(("a", "")));
    }

    #[test]
    fn broken_markup_is_an_error() {
        for bad in [
            "<a:>",
            "<a",
            "<a b=\"1>",
            "</a",
            "<!DOCTYPE x>",
            "<!-- x",
            "<?x",
            "<![CDATA[x",
            "<1a>",
            "<a<b>",
            "</a x>",
        ] {
            assert!(toks(bad).is_err(), "{bad}");
        }
    }
}
