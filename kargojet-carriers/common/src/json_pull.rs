//! [`JsonReader`]: a hand-written JSON pull reader for tracking hot paths, shared by the
//! carriers that answer in JSON (Aras inside a SOAP string, Sürat over REST). The caller walks
//! the document with [`JsonReader::object`] / [`JsonReader::array`] and reads the values it
//! wants straight into its own types, without serde's generic machinery; everything else is
//! skipped (and still checked).
//!
//! Strings without escapes are borrowed from the input; the plain runs of a string are found
//! eight bytes at a time ([`crate::scan`]). Strict JSON (RFC 8259): control characters in
//! strings, bad escapes, lone surrogates, malformed numbers, trailing garbage and nesting
//! deeper than [`MAX_DEPTH`] are [`JsonError`]s, never panics.
//!
//! ```
//! use kargojet_carrier_common::json_pull::{JsonError, JsonReader};
//!
//! let doc = r#"{"IsError": false, "Hareketler": [{"Islem": "Yolda", "Kod": 3}, {"Islem": "Te\u015flim"}]}"#;
//! let mut r = JsonReader::new(doc);
//! let mut texts = Vec::new();
//! r.object(|r, key| match key {
//!     "Hareketler" => r.array(|r| {
//!         r.object(|r, key| match key {
//!             "Islem" => {
//!                 texts.push(r.string()?);
//!                 Ok(())
//!             }
//!             _ => r.skip(),
//!         })
//!     }),
//!     _ => r.skip(),
//! })?;
//! r.end()?;
//! assert_eq!(texts, ["Yolda", "Teşlim"]);
//! # Ok::<(), JsonError>(())
//! ```

use crate::scan;
use std::borrow::Cow;

/// Deepest nesting of objects and arrays accepted.
pub const MAX_DEPTH: usize = 64;

/// Why the text is not the expected JSON, with the byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} at byte {at}")]
pub struct JsonError {
    /// What was wrong.
    pub what: &'static str,
    /// Where.
    pub at: usize,
}

/// A JSON scalar as read: strings (borrowed unless escaped), numbers in their JSON spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scalar<'a> {
    /// A string.
    Str(Cow<'a, str>),
    /// A number as written (`36.00`, `-1e3`).
    Num(&'a str),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl<'a> Scalar<'a> {
    /// The scalar as text: strings and numbers as they are, booleans as `true_text` /
    /// `false_text`, `null` as `None`.
    pub fn into_text(
        self,
        true_text: &'static str,
        false_text: &'static str,
    ) -> Option<Cow<'a, str>> {
        match self {
            Scalar::Str(s) => Some(s),
            Scalar::Num(n) => Some(Cow::Borrowed(n)),
            Scalar::Bool(true) => Some(Cow::Borrowed(true_text)),
            Scalar::Bool(false) => Some(Cow::Borrowed(false_text)),
            Scalar::Null => None,
        }
    }
}

type R<T> = Result<T, JsonError>;

/// The keys of the previous object read with [`JsonReader::object_memo`], by position: arrays
/// of records repeat the same keys in the same order, so each key is first compared with the
/// one at its position last time, in place, without scanning it.
#[derive(Debug, Default, Clone)]
pub struct KeyMemo<'a> {
    keys: Vec<Option<&'a str>>,
}

impl KeyMemo<'_> {
    /// An empty memo.
    pub fn new() -> Self {
        KeyMemo {
            keys: Vec::with_capacity(32),
        }
    }
}

/// A key met by [`JsonReader::object_memo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemoKey<'k> {
    /// The key (unescaped).
    pub name: &'k str,
    /// Its position in the object (0 for the first key).
    pub position: usize,
    /// True when it is the key that the previous object had at this position.
    pub same: bool,
}

/// A pull reader over a JSON text held in memory.
#[derive(Debug, Clone)]
pub struct JsonReader<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl<'a> JsonReader<'a> {
    /// A reader at the start of `src`.
    pub fn new(src: &'a str) -> Self {
        JsonReader {
            src,
            b: src.as_bytes(),
            i: 0,
            depth: 0,
        }
    }

    /// Current byte offset.
    pub fn position(&self) -> usize {
        self.i
    }

    /// An error at the current offset.
    #[cold]
    pub fn error<T>(&self, what: &'static str) -> R<T> {
        Err(self.error_here(what))
    }

    /// The error value itself, at the current offset.
    #[cold]
    pub fn error_here(&self, what: &'static str) -> JsonError {
        JsonError { what, at: self.i }
    }

    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace (not consumed): `"`, `{`, `[`, a digit, `-`, `t`, `f`,
    /// `n` start the value there. `None` at the end.
    #[inline(always)]
    pub fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    #[inline(always)]
    fn eat(&mut self, c: u8, what: &'static str) -> R<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            self.error(what)
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> R<()> {
        if scan::starts_with_at(self.b, self.i, word) {
            self.i += word.len();
            Ok(())
        } else {
            self.error("invalid literal")
        }
    }

    /// A string value (the reader may be before whitespace and the opening quote).
    #[inline(always)]
    pub fn string(&mut self) -> R<Cow<'a, str>> {
        self.eat(b'"', "expected a string")?;
        let start = self.i;
        let Some(n) = scan::find_json_special(self.b, start) else {
            self.i = self.b.len();
            return self.error("unterminated string");
        };
        match self.b[n] {
            b'"' => {
                self.i = n + 1;
                Ok(Cow::Borrowed(self.src.get(start..n).unwrap_or("")))
            }
            b'\\' => {
                self.i = n;
                self.escaped(start)
            }
            _ => {
                self.i = n;
                self.error("control character in string")
            }
        }
    }

    /// The rest of a string with escapes, from its first backslash at `self.i`.
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> R<Cow<'a, str>> {
        let mut out = String::with_capacity(self.i - start + 16);
        out.push_str(self.src.get(start..self.i).unwrap_or(""));
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return self.error("unterminated string");
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.b.get(self.i) else {
                        return self.error("unterminated escape");
                    };
                    self.i += 1;
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
                                if !scan::starts_with_at(self.b, self.i, b"\\u") {
                                    return self.error("lone surrogate");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.error("lone surrogate");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(ch) => out.push(ch),
                                None => return self.error("lone surrogate"),
                            }
                        }
                        _ => return self.error("invalid escape"),
                    }
                }
                0..=0x1f => return self.error("control character in string"),
                _ => {
                    // Copy the plain run up to the next quote, backslash or control character.
                    let run = self.i;
                    let end = scan::find_json_special(self.b, run).unwrap_or(self.b.len());
                    out.push_str(self.src.get(run..end).unwrap_or(""));
                    self.i = end;
                }
            }
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let Some(h) = self.b.get(self.i..self.i + 4) else {
            return self.error("short \\u escape");
        };
        let mut v = 0u32;
        for &c in h {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return self.error("bad \\u escape"),
            };
            v = v * 16 + u32::from(d);
        }
        self.i += 4;
        Ok(v)
    }

    /// A number value, as written (`-12.5e3`).
    #[inline]
    pub fn number(&mut self) -> R<&'a str> {
        self.ws();
        let start = self.i;
        let digits = |r: &mut Self| {
            let s = r.i;
            while r.b.get(r.i).is_some_and(u8::is_ascii_digit) {
                r.i += 1;
            }
            r.i > s
        };
        if self.b.get(self.i) == Some(&b'-') {
            self.i += 1;
        }
        if !digits(self) {
            return self.error("invalid number");
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !digits(self) {
                return self.error("invalid number");
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return self.error("invalid number");
            }
        }
        Ok(self.src.get(start..self.i).unwrap_or(""))
    }

    /// A string, number, boolean or null.
    #[inline(always)]
    pub fn scalar(&mut self) -> R<Scalar<'a>> {
        match self.peek() {
            Some(b'"') => self.string().map(Scalar::Str),
            Some(b'-' | b'0'..=b'9') => self.number().map(Scalar::Num),
            Some(b't') => self.literal(b"true").map(|()| Scalar::Bool(true)),
            Some(b'f') => self.literal(b"false").map(|()| Scalar::Bool(false)),
            Some(b'n') => self.literal(b"null").map(|()| Scalar::Null),
            _ => self.error("expected a string, number, boolean or null"),
        }
    }

    /// [`JsonReader::scalar`] as text ([`Scalar::into_text`]).
    #[inline(always)]
    pub fn scalar_text(
        &mut self,
        true_text: &'static str,
        false_text: &'static str,
    ) -> R<Option<Cow<'a, str>>> {
        match self.peek() {
            // The usual case first, without building a `Scalar`.
            Some(b'"') => self.string().map(Some),
            _ => Ok(self.scalar()?.into_text(true_text, false_text)),
        }
    }

    /// `true` or `false`.
    pub fn boolean(&mut self) -> R<bool> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => self.error("expected a boolean"),
        }
    }

    /// `null`.
    pub fn null(&mut self) -> R<()> {
        match self.peek() {
            Some(b'n') => self.literal(b"null"),
            _ => self.error("expected null"),
        }
    }

    /// Skips any value (checking it).
    pub fn skip(&mut self) -> R<()> {
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip()),
            Some(b'[') => self.array(|r| r.skip()),
            _ => self.scalar().map(|_| ()),
        }
    }

    fn enter(&mut self) -> R<()> {
        if self.depth >= MAX_DEPTH {
            return self.error("nesting too deep");
        }
        self.depth += 1;
        Ok(())
    }

    /// An object: `f` reads (or [`JsonReader::skip`]s) each value, given its key. Keys with
    /// escapes are unescaped.
    #[inline(always)]
    pub fn object<E: From<JsonError>>(
        &mut self,
        mut f: impl FnMut(&mut Self, &str) -> Result<(), E>,
    ) -> Result<(), E> {
        self.eat(b'{', "expected an object")?;
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':', "expected ':'")?;
            f(self, &key)?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error_here("expected ',' or '}'").into()),
            }
        }
    }

    /// [`JsonReader::object`] for objects that repeat the keys of the previous one (records of
    /// an array): `f` also learns each key's position and whether it is the same key as last
    /// time at that position, so per-key work can be remembered by position.
    #[inline(always)]
    pub fn object_memo<E: From<JsonError>>(
        &mut self,
        memo: &mut KeyMemo<'a>,
        mut f: impl FnMut(&mut Self, MemoKey<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.eat(b'{', "expected an object")?;
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        let mut position = 0;
        loop {
            self.ws();
            let known = memo.keys.get(position).copied().flatten().filter(|k| {
                // `"key"` exactly, in place.
                let n = k.len();
                self.b.get(self.i) == Some(&b'"')
                    && self.b.get(self.i + 1 + n) == Some(&b'"')
                    && scan::starts_with_at(self.b, self.i + 1, k.as_bytes())
            });
            let key = match known {
                Some(k) => {
                    self.i += k.len() + 2;
                    Cow::Borrowed(k)
                }
                None => {
                    let k = self.string()?;
                    let remembered = match &k {
                        Cow::Borrowed(b) => Some(*b),
                        Cow::Owned(_) => None,
                    };
                    if memo.keys.len() <= position {
                        memo.keys.resize(position + 1, None);
                    }
                    memo.keys[position] = remembered;
                    k
                }
            };
            self.eat(b':', "expected ':'")?;
            f(
                self,
                MemoKey {
                    name: &key,
                    position,
                    same: known.is_some(),
                },
            )?;
            position += 1;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error_here("expected ',' or '}'").into()),
            }
        }
    }

    /// A flat record (the rows of tabular answers) with the key memo of
    /// [`JsonReader::object_memo`]: `f` gets each key and its scalar value as text (strings and
    /// numbers as written, booleans as `true_text` / `false_text`, `null` as `None`); nested
    /// objects and arrays are checked and skipped without a call. One loop, with the plain
    /// string value read in place.
    #[inline(always)]
    pub fn record_memo<E: From<JsonError>>(
        &mut self,
        memo: &mut KeyMemo<'a>,
        true_text: &'static str,
        false_text: &'static str,
        mut f: impl FnMut(MemoKey<'_>, Option<Cow<'a, str>>) -> Result<(), E>,
    ) -> Result<(), E> {
        self.eat(b'{', "expected an object")?;
        self.enter()?;
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        let b = self.b;
        let mut position = 0;
        loop {
            self.ws();
            let known = memo.keys.get(position).copied().flatten().filter(|k| {
                let n = k.len();
                b.get(self.i) == Some(&b'"')
                    && b.get(self.i + 1 + n) == Some(&b'"')
                    && scan::starts_with_at(b, self.i + 1, k.as_bytes())
            });
            let key = match known {
                Some(k) => {
                    self.i += k.len() + 2;
                    Cow::Borrowed(k)
                }
                None => {
                    let k = self.string()?;
                    let remembered = match &k {
                        Cow::Borrowed(b) => Some(*b),
                        Cow::Owned(_) => None,
                    };
                    if memo.keys.len() <= position {
                        memo.keys.resize(position + 1, None);
                    }
                    memo.keys[position] = remembered;
                    k
                }
            };
            self.eat(b':', "expected ':'")?;
            self.ws();
            let value = match b.get(self.i) {
                Some(b'"') => {
                    let start = self.i + 1;
                    match scan::find_json_special(b, start) {
                        Some(n) if b[n] == b'"' => {
                            self.i = n + 1;
                            Some(Some(Cow::Borrowed(self.src.get(start..n).unwrap_or(""))))
                        }
                        // Escapes (or an error): the general string reader, from the quote.
                        _ => Some(Some(self.string()?)),
                    }
                }
                Some(b'{' | b'[') => {
                    self.skip()?;
                    None
                }
                _ => Some(self.scalar()?.into_text(true_text, false_text)),
            };
            if let Some(value) = value {
                f(
                    MemoKey {
                        name: &key,
                        position,
                        same: known.is_some(),
                    },
                    value,
                )?;
            }
            position += 1;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error_here("expected ',' or '}'").into()),
            }
        }
    }

    /// An array: `f` reads (or skips) each element.
    #[inline(always)]
    pub fn array<E: From<JsonError>>(
        &mut self,
        mut f: impl FnMut(&mut Self) -> Result<(), E>,
    ) -> Result<(), E> {
        self.eat(b'[', "expected an array")?;
        self.enter()?;
        if self.peek() == Some(b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(());
        }
        loop {
            f(self)?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                _ => return Err(self.error_here("expected ',' or ']'").into()),
            }
        }
    }

    /// An array or `null`: `Ok(false)` for `null` (`f` is not called).
    #[inline(always)]
    pub fn array_or_null<E: From<JsonError>>(
        &mut self,
        f: impl FnMut(&mut Self) -> Result<(), E>,
    ) -> Result<bool, E> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            return Ok(false);
        }
        self.array(f).map(|()| true)
    }

    /// Checks that only whitespace is left.
    pub fn end(&mut self) -> R<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => self.error("trailing characters"),
        }
    }
}

/// Reads a document that is one JSON string (a JSON document sent as a string) into its text.
pub fn string_document(src: &str) -> R<String> {
    let mut r = JsonReader::new(src);
    let s = r.string()?.into_owned();
    r.end()?;
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every scalar of a document as text (booleans as `1`/`0`), keys included, in order.
    fn flatten(doc: &str) -> Result<Vec<String>, JsonError> {
        fn value(r: &mut JsonReader<'_>, out: &mut Vec<String>) -> Result<(), JsonError> {
            match r.peek() {
                Some(b'{') => r.object(|r, k| {
                    out.push(format!("{k}:"));
                    value(r, out)
                }),
                Some(b'[') => r.array(|r| value(r, out)),
                _ => {
                    let t = r.scalar_text("1", "0")?;
                    out.push(t.map_or("null".to_string(), Cow::into_owned));
                    Ok(())
                }
            }
        }
        let mut r = JsonReader::new(doc);
        let mut out = Vec::new();
        value(&mut r, &mut out)?;
        r.end()?;
        Ok(out)
    }

    #[test]
    fn values_escapes_and_borrowing() -> Result<(), JsonError> {
        assert_eq!(
            flatten(
                r#" { "a" : [1, -2.5e3, true, false, null, "x\"y\u0131\ud83d\ude00\/\n"], "b\u0041": {} } "#
            )?,
            ["a:", "1", "-2.5e3", "1", "0", "null", "x\"yı😀/\n", "bA:"]
        );
        let mut r = JsonReader::new(r#""plain Şube""#);
        assert!(matches!(r.string()?, Cow::Borrowed("plain Şube")));
        let long = format!("\"{}\\t{}\"", "ç".repeat(20), "a".repeat(30));
        let mut r = JsonReader::new(&long);
        assert_eq!(
            r.string()?,
            format!("{}\t{}", "ç".repeat(20), "a".repeat(30))
        );
        assert_eq!(string_document(r#" "{\"a\":1}" "#)?, "{\"a\":1}");
        assert_eq!(JsonReader::new("36.00").scalar()?, Scalar::Num("36.00"));
        Ok(())
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "[",
            "{\"a\":",
            "{\"a\" 1}",
            "{\"a\":1,}",
            "[1,]",
            "[1 2]",
            "{\"a\":tru}",
            "{\"a\":-}",
            "{\"a\":1.}",
            "{\"a\":1e}",
            "{\"a\":.5}",
            "{\"a\":+1}",
            "{\"a\":\"\\x\"}",
            "{\"a\":\"\\u12\"}",
            "{\"a\":\"\\u+123\"}",
            "{\"a\":\"\\ud800\"}",
            "{\"a\":\"\\ud800\\u0041\"}",
            "{\"a\":\"\\udc00\"}",
            "{\"a\":\"abc}",
            "{\"a\":\"\u{1}\"}",
            "{\"a\":1} x",
            "{1:2}",
            "\"abc",
            "\"abc\\",
        ] {
            assert!(flatten(bad).is_err(), "{bad:?} parsed");
        }
        let deep = format!(
            "{}1{}",
            "[".repeat(MAX_DEPTH + 1),
            "]".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(flatten(&deep).map_err(|e| e.what), Err("nesting too deep"));
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(flatten(&ok).is_ok());
        // Every prefix of a valid document is an error (truncation), never a panic.
        let doc = r#"{"k":[{"a":"x\u00e7"},1.5,true,null,"\"é\""]}"#;
        for cut in (0..doc.len()).filter(|&c| doc.is_char_boundary(c)) {
            assert!(flatten(&doc[..cut]).is_err(), "{cut}");
        }
        assert!(flatten(doc).is_ok());
    }

    #[test]
    fn memo_keys_match_in_place_and_fall_back_otherwise() -> Result<(), JsonError> {
        let doc =
            r#"[{"a":1,"bb":2},{"a":3,"bb":4},{"a":5,"bc":6,"x":7},{"\u0061":8,"bc":9},{"a":0}]"#;
        let mut r = JsonReader::new(doc);
        let mut memo = KeyMemo::new();
        let mut seen = Vec::new();
        r.array(|r| {
            r.object_memo(&mut memo, |r, k| {
                seen.push(format!(
                    "{}@{}{}={}",
                    k.name,
                    k.position,
                    if k.same { "=" } else { "" },
                    r.number()?
                ));
                Ok::<(), JsonError>(())
            })
        })?;
        r.end()?;
        assert_eq!(
            seen,
            [
                "a@0=1", "bb@1=2", "a@0==3", "bb@1==4", "a@0==5", "bc@1=6", "x@2=7", "a@0=8",
                "bc@1==9", "a@0=0"
            ]
        );
        // A key that only starts like the remembered one is not it.
        let mut r = JsonReader::new(r#"[{"ab":1},{"abc":2},{"a":3}]"#);
        let mut memo = KeyMemo::new();
        let mut same = Vec::new();
        r.array(|r| {
            r.object_memo(&mut memo, |r, k| {
                same.push((k.name.to_string(), k.same));
                r.skip()
            })
        })?;
        assert_eq!(
            same,
            [
                ("ab".into(), false),
                ("abc".into(), false),
                ("a".into(), false)
            ]
        );
        assert!(
            JsonReader::new(r#"{"a" 1}"#)
                .object_memo(&mut KeyMemo::new(), |r, _| r.skip())
                .is_err()
        );
        Ok(())
    }

    #[test]
    fn records_read_like_objects_of_scalars() -> Result<(), JsonError> {
        let doc = r#"[{"a":"x","b":2,"c":true,"d":null,"e":{"z":[1]},"f":"\u0131"},{"a":"y","b":-1.5e2,"c":false,"d":"","e":[],"f":"q"}]"#;
        let mut r = JsonReader::new(doc);
        let mut memo = KeyMemo::new();
        let mut seen = Vec::new();
        r.array(|r| {
            r.record_memo(&mut memo, "1", "0", |k, v| {
                seen.push(format!(
                    "{}{}={}",
                    k.name,
                    if k.same { "=" } else { "" },
                    v.as_deref().unwrap_or("null")
                ));
                Ok::<(), JsonError>(())
            })
        })?;
        r.end()?;
        assert_eq!(
            seen,
            [
                "a=x",
                "b=2",
                "c=1",
                "d=null",
                "f=ı",
                "a==y",
                "b==-1.5e2",
                "c==0",
                "d==",
                "f==q"
            ]
        );
        for bad in [
            r#"{"a":"x}"#,
            r#"{"a":tru}"#,
            r#"{"a":{"b":}}"#,
            r#"{"a" "x"}"#,
            r#"{"a":"x" "b":1}"#,
            r#"{"a":"\x"}"#,
        ] {
            let mut r = JsonReader::new(bad);
            assert!(
                r.record_memo(
                    &mut KeyMemo::new(),
                    "1",
                    "0",
                    |_, _| Ok::<(), JsonError>(())
                )
                .is_err(),
                "{bad}"
            );
        }
        Ok(())
    }

    #[test]
    fn arrays_or_null_and_booleans() -> Result<(), JsonError> {
        let mut r = JsonReader::new("[null, [1, 2], true]");
        let mut seen = Vec::new();
        r.array(|r| match r.peek() {
            Some(b't') => {
                seen.push(format!("{}", r.boolean()?));
                Ok(())
            }
            _ => {
                let mut n = 0;
                let was = r.array_or_null(|r| {
                    n += 1;
                    r.skip()
                })?;
                seen.push(format!("{was}{n}"));
                Ok::<(), JsonError>(())
            }
        })?;
        assert_eq!(seen, ["false0", "true2", "true"]);
        assert!(JsonReader::new("x").null().is_err());
        assert!(JsonReader::new(" null").null().is_ok());
        Ok(())
    }
}
