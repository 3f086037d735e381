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
    /// `<name …>` (the bool: self-closing `<name/>`).
    Start(&'a str, bool),
    /// `</name>`.
    End(&'a str),
    /// Text between tags, entities resolved.
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
    hay.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

fn is_name_byte(b: u8) -> bool {
    !matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'' | b'=' | b'/' | b' ' | b'\t' | b'\r' | b'\n')
}

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
            let Some(&c) = b.get(self.pos) else { return Ok(Tok::Eof) };
            if c != b'<' {
                let end = b[self.pos..].iter().position(|&x| x == b'<').map_or(b.len(), |i| i + self.pos);
                let raw = self.s.get(self.pos..end).ok_or_else(|| self.err("bad text boundary"))?;
                self.pos = end;
                return Ok(Tok::Text(unescape(raw)));
            }
            let rest = &b[self.pos..];
            if rest.starts_with(b"<?") {
                self.pos = find(b, self.pos + 2, b"?>").ok_or_else(|| self.err("unterminated declaration"))? + 2;
                continue;
            }
            if rest.starts_with(b"<!--") {
                self.pos = find(b, self.pos + 4, b"-->").ok_or_else(|| self.err("unterminated comment"))? + 3;
                continue;
            }
            if rest.starts_with(b"<![CDATA[") {
                let start = self.pos + 9;
                let end = find(b, start, b"]]>").ok_or_else(|| self.err("unterminated CDATA"))?;
                self.pos = end + 3;
                let text = self.s.get(start..end).ok_or_else(|| self.err("bad CDATA boundary"))?;
                return Ok(Tok::Text(Cow::Borrowed(text)));
            }
            if rest.starts_with(b"<!") {
                return Err(self.err("DOCTYPE or markup declaration"));
            }
            let closing = rest.get(1) == Some(&b'/');
            let name_start = self.pos + if closing { 2 } else { 1 };
            let name_len = b[name_start..].iter().position(|&x| !is_name_byte(x)).unwrap_or(b.len() - name_start);
            let name = self.s.get(name_start..name_start + name_len).ok_or_else(|| self.err("bad name boundary"))?;
            let first = name.as_bytes().first().copied().unwrap_or(b'0');
            if first.is_ascii_digit() || matches!(first, b'-' | b'.') {
                return Err(self.err("bad element name"));
            }
            let mut i = name_start + name_len;
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
                let Some(&x) = b.get(i) else { return Err(self.err("unterminated start tag")) };
                match (quote, x) {
                    (Some(q), x) if x == q => quote = None,
                    (Some(_), b'<') => return Err(self.err("'<' in an attribute value")),
                    (Some(_), _) => {}
                    (None, b'"' | b'\'') => quote = Some(x),
                    (None, b'>') => break,
                    (None, b'<') => return Err(self.err("'<' inside a tag")),
                    (None, _) => {}
                }
                i += 1;
            }
            let empty = i > name_start && b[i - 1] == b'/';
            self.pos = i + 1;
            return Ok(Tok::Start(name, empty));
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
        let t = toks("<?xml version=\"1.0\"?><!-- c --><a:r x='1>2'><b/>x &amp; y<![CDATA[<z>]]></a:r >").expect("lex");
        assert_eq!(
            t,
            [
                Tok::Start("a:r", false),
                Tok::Start("b", true),
                Tok::Text(Cow::Owned("x & y".into())),
                Tok::Text(Cow::Borrowed("<z>")),
                Tok::End("a:r"),
            ]
        );
    }

    #[test]
    fn broken_markup_is_an_error() {
        for bad in ["<a", "<a b=\"1>", "</a", "<!DOCTYPE x>", "<!-- x", "<?x", "<![CDATA[x", "<1a>", "<a<b>", "</a x>"] {
            assert!(toks(bad).is_err(), "{bad}");
        }
    }
}
