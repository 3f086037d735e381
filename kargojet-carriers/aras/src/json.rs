//! A small JSON reader for `GetQueryJSONResult` (the tracking hot path): the
//! `{"QueryResult":{"Cargo":{…}|[…]|null}}` wrapper around flat records of strings and numbers.
//! Strings without escapes are borrowed from the input. Other keys and nested values are
//! skipped (and still checked). Any malformed input is an `Err`; it never panics.

use crate::wire::{QueryCargo, Val};
use std::borrow::Cow;

/// Deepest nesting skipped over.
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    src: &'a str,
    pos: usize,
}

type R<T> = Result<T, String>;

impl<'a> Reader<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    fn err<T>(&self, what: &str) -> R<T> {
        Err(format!("{what} at byte {}", self.pos))
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes().get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline]
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes().get(self.pos).copied()
    }

    #[inline]
    fn eat(&mut self, b: u8) -> R<()> {
        if self.peek() == Some(b) {
            self.pos += 1;
            Ok(())
        } else {
            self.err(&format!("expected '{}'", b as char))
        }
    }

    fn literal(&mut self, word: &str) -> R<()> {
        if self.src.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            self.err("invalid literal")
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let h = self
            .src
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| format!("short \\u escape at byte {}", self.pos))?;
        let v = u32::from_str_radix(h, 16)
            .map_err(|_| format!("bad \\u escape at byte {}", self.pos))?;
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> R<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.pos;
        let b = self.bytes();
        let mut i = start;
        while i < b.len() && b[i] != b'"' && b[i] != b'\\' && b[i] >= 0x20 {
            i += 1;
        }
        match b.get(i) {
            Some(b'"') => {
                self.pos = i + 1;
                return Ok(Cow::Borrowed(&self.src[start..i]));
            }
            Some(b'\\') => {}
            _ => {
                self.pos = i;
                return self.err("unterminated string");
            }
        }
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&self.src[start..i]);
        self.pos = i;
        loop {
            let b = self.bytes();
            let run = self.pos;
            let mut j = run;
            while j < b.len() && b[j] != b'"' && b[j] != b'\\' && b[j] >= 0x20 {
                j += 1;
            }
            out.push_str(&self.src[run..j]);
            self.pos = j + 1;
            match b.get(j) {
                Some(b'"') => return Ok(Cow::Owned(out)),
                Some(b'\\') => {
                    let Some(&e) = b.get(self.pos) else {
                        return self.err("unterminated escape");
                    };
                    self.pos += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                self.literal("\\u")?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err("bad surrogate pair");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            out.push(
                                char::from_u32(code).ok_or_else(|| {
                                    format!("bad code point at byte {}", self.pos)
                                })?,
                            );
                        }
                        _ => return self.err("bad escape"),
                    }
                }
                _ => {
                    self.pos = j;
                    return self.err("unterminated string");
                }
            }
        }
    }

    fn number(&mut self) -> R<&'a str> {
        let start = self.pos;
        let b = self.bytes();
        let mut i = start;
        while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            i += 1;
        }
        let n = &self.src[start..i];
        if n.is_empty() || n.parse::<f64>().is_err() {
            return self.err("bad number");
        }
        self.pos = i;
        Ok(n)
    }

    /// A scalar as text (`None` for null); `Err` for objects and arrays is avoided by the
    /// caller checking `peek` first.
    fn scalar(&mut self) -> R<Option<Val<'a>>> {
        match self.peek() {
            Some(b'"') => Ok(Some(Val(self.string()?))),
            Some(b'n') => self.literal("null").map(|_| None),
            Some(b't') => self.literal("true").map(|_| Some(Val(Cow::Borrowed("1")))),
            Some(b'f') => self.literal("false").map(|_| Some(Val(Cow::Borrowed("0")))),
            Some(b'-' | b'0'..=b'9') => Ok(Some(Val(Cow::Borrowed(self.number()?)))),
            _ => self.err("expected a value"),
        }
    }

    fn skip(&mut self, depth: usize) -> R<()> {
        if depth > MAX_DEPTH {
            return self.err("nesting too deep");
        }
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip(depth + 1)),
            Some(b'[') => self.array(|r| r.skip(depth + 1)),
            _ => self.scalar().map(|_| ()),
        }
    }

    /// Reads an object, calling `f` for each key with the reader positioned at its value.
    fn object(&mut self, mut f: impl FnMut(&mut Self, Cow<'a, str>) -> R<()>) -> R<()> {
        self.eat(b'{')?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            f(self, key)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return self.err("expected ',' or '}'"),
            }
        }
    }

    fn array(&mut self, mut f: impl FnMut(&mut Self) -> R<()>) -> R<()> {
        self.eat(b'[')?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            f(self)?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(());
                }
                _ => return self.err("expected ',' or ']'"),
            }
        }
    }

    fn record(&mut self) -> R<QueryCargo<'a>> {
        let mut c = QueryCargo::default();
        self.object(|r, key| match r.peek() {
            Some(b'{' | b'[') => r.skip(1),
            _ => {
                let v = r.scalar()?;
                c.set(&key, v);
                Ok(())
            }
        })?;
        Ok(c)
    }

    fn cargo(&mut self, out: &mut Vec<QueryCargo<'a>>) -> R<()> {
        match self.peek() {
            Some(b'{') => {
                out.push(self.record()?);
                Ok(())
            }
            Some(b'[') => {
                // One status record per entry: room for a typical history up front.
                out.reserve(16);
                self.array(|r| {
                    out.push(r.record()?);
                    Ok(())
                })
            }
            Some(b'n') => self.literal("null"),
            _ => self.err("Cargo must be an object, an array or null"),
        }
    }
}

/// Parses a `GetQueryJSONResult` text into its cargo records (empty for `QueryResult: null`).
pub fn parse(text: &str) -> Result<Vec<QueryCargo<'_>>, String> {
    let mut r = Reader { src: text, pos: 0 };
    let mut out = Vec::new();
    r.object(|r, key| {
        if key != "QueryResult" {
            return r.skip(1);
        }
        match r.peek() {
            Some(b'n') => r.literal("null"),
            Some(b'{') => r.object(|r, key| {
                if key == "Cargo" {
                    r.cargo(&mut out)
                } else {
                    r.skip(2)
                }
            }),
            _ => r.err("QueryResult must be an object or null"),
        }
    })?;
    if r.peek().is_some() {
        return r.err("trailing characters");
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &Option<Val<'_>>) -> Option<String> {
        v.as_ref().map(|v| v.as_str().to_string())
    }

    #[test]
    fn wrapper_forms_spellings_and_escapes() -> Result<(), String> {
        let one = parse(
            r#"{"QueryResult":{"Cargo":{"KARGO TAKİP NO":3513773163316,"DURUM_KODU":"2","X":{"a":[1,2]}}}}"#,
        )?;
        assert_eq!(one.len(), 1);
        assert_eq!(s(&one[0].tracking_number).as_deref(), Some("3513773163316"));
        assert_eq!(s(&one[0].status_code).as_deref(), Some("2"));
        let many = parse(
            r#" { "QueryResult" : { "Cargo" : [ {"DURUMU":"TESL\u0130M \"ED\u0130LD\u0130\""}, {"DURUM_KODU":null} ] } } "#,
        )?;
        assert_eq!(many.len(), 2);
        assert_eq!(
            s(&many[0].status_text).as_deref(),
            Some("TESLİM \"EDİLDİ\"")
        );
        assert_eq!(many[1].status_code, None);
        assert!(parse(r#"{"QueryResult":null}"#)?.is_empty());
        assert!(parse(r#"{"QueryResult":{"Cargo":null}}"#)?.is_empty());
        assert_eq!(
            s(&parse(r#"{"QueryResult":{"Cargo":{"DURUMU":"\ud83d\ude00"}}}"#)?[0].status_text)
                .as_deref(),
            Some("😀")
        );
        Ok(())
    }

    #[test]
    fn malformed_json_is_an_error() {
        for bad in [
            "",
            "{",
            "{\"QueryResult\":",
            "{\"QueryResult\":{\"Cargo\":[{]}}",
            "{\"QueryResult\":{}} x",
            "[1]",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"\\x\"}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"\\ud800\"}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"abc}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":-}}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":tru}}}",
            "{\"QueryResult\":{\"Cargo\":\"x\"}}",
            "{\"QueryResult\":{\"Cargo\":{\"A\":\"\u{1}\"}}}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
        let deep = format!(
            "{{\"QueryResult\":{{\"Z\":{}1{}}}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        assert!(parse(&deep).is_err());
    }
}
