//! A minimal XML tokenizer for the hot path: start/end tags (attributes skipped, quotes
//! respected), text (entities resolved with common's `unescape`), CDATA; declarations,
//! comments and processing instructions are skipped, a DOCTYPE is refused (SOAP forbids it).
//! It checks what the scanner needs for well-formedness: tag syntax, names, termination; the
//! scanner checks nesting.

use crate::error::PttError;
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

/// Bytes that end (or may not appear in) an element name.
const NAME_END: [bool; 256] = {
    let mut t = [false; 256];
    let stops = b"<>&\"'=/ \t\r\n";
    let mut i = 0;
    while i < stops.len() {
        t[stops[i] as usize] = true;
        i += 1;
    }
    t
};

impl<'a> Lexer<'a> {
    pub(crate) fn new(s: &'a str) -> Self {
        Lexer { s, pos: 0 }
    }

    fn err(&self, what: &str) -> PttError {
        PttError::Xml(format!("{what} at byte {}", self.pos))
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
                let mut blank = true;
                let mut i = start;
                while let Some(&x) = b.get(i) {
                    if x == b'<' {
                        break;
                    }
                    blank &= x.is_ascii_whitespace();
                    i += 1;
                }
                self.pos = i;
                // Whitespace between tags carries nothing PTT sends: skip it without a token.
                if blank {
                    continue;
                }
                let raw = self
                    .s
                    .get(start..i)
                    .ok_or_else(|| self.err("bad text boundary"))?;
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
            let mut i = name_start;
            let mut local_start = name_start;
            while let Some(&x) = b.get(i) {
                if NAME_END[x as usize] {
                    break;
                }
                if x == b':' {
                    local_start = i + 1;
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
