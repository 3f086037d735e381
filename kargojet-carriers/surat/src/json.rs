//! A small JSON pull reader for the hot path: it reads Sürat's tracking document straight into
//! [`wire::TrackingResponse`] without serde's generic machinery, borrowing every string that has
//! no escapes. Strict JSON (RFC 8259): control characters in strings, lone surrogates, trailing
//! garbage and nesting deeper than [`MAX_DEPTH`] are errors, never panics.

use crate::wire::{Movement, Text, TrackedShipment, TrackingResponse};
use std::borrow::Cow;

/// Deepest nesting accepted in skipped values.
pub const MAX_DEPTH: usize = 64;

/// Why the document is not the expected JSON, with the byte offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} at byte {at}")]
pub struct JsonError {
    /// What was wrong.
    pub what: &'static str,
    /// Where.
    pub at: usize,
}

type R<T> = Result<T, JsonError>;

struct Reader<'a> {
    src: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Reader<'a> {
    fn err<T>(&self, what: &'static str) -> R<T> {
        Err(JsonError { what, at: self.i })
    }

    fn ws(&mut self) {
        while let Some(c) = self.b.get(self.i) {
            if matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                self.i += 1;
            } else {
                break;
            }
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    fn eat(&mut self, c: u8, what: &'static str) -> R<()> {
        if self.peek() == Some(c) {
            self.i += 1;
            Ok(())
        } else {
            self.err(what)
        }
    }

    fn literal(&mut self, word: &'static [u8]) -> R<()> {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            self.err("invalid literal")
        }
    }

    fn hex4(&mut self) -> R<u32> {
        let Some(h) = self.src.get(self.i..self.i + 4) else {
            return self.err("short \\u escape");
        };
        let v = u32::from_str_radix(h, 16).or_else(|_| self.err("bad \\u escape"))?;
        if !h.bytes().all(|c| c.is_ascii_hexdigit()) {
            return self.err("bad \\u escape");
        }
        self.i += 4;
        Ok(v)
    }

    /// A string; the reader is at its opening quote.
    fn string(&mut self) -> R<Text<'a>> {
        self.eat(b'"', "expected a string")?;
        let start = self.i;
        let rest = self.b.get(start..).unwrap_or(&[]);
        let Some(n) = rest
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        else {
            self.i = self.b.len();
            return self.err("unterminated string");
        };
        self.i = start + n;
        match rest[n] {
            b'"' => {
                let s = self
                    .src
                    .get(start..self.i)
                    .map_or(Cow::Borrowed(""), Cow::Borrowed);
                self.i += 1;
                Ok(s)
            }
            b'\\' => self.escaped(start),
            _ => self.err("control character in string"),
        }
    }

    fn escaped(&mut self, start: usize) -> R<Text<'a>> {
        let mut out = String::from(self.src.get(start..self.i).unwrap_or(""));
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return self.err("unterminated string");
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.b.get(self.i) else {
                        return self.err("unterminated escape");
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
                                if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                                    return self.err("lone surrogate");
                                }
                                self.i += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err("lone surrogate");
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(ch) => out.push(ch),
                                None => return self.err("lone surrogate"),
                            }
                        }
                        _ => return self.err("invalid escape"),
                    }
                }
                0..=0x1f => return self.err("control character in string"),
                _ => {
                    // Copy the run up to the next quote or backslash in one go.
                    let run = self.i;
                    while self
                        .b
                        .get(self.i)
                        .is_some_and(|&c| c != b'"' && c != b'\\' && c > 0x1f)
                    {
                        self.i += 1;
                    }
                    out.push_str(self.src.get(run..self.i).unwrap_or(""));
                }
            }
        }
    }

    fn number(&mut self) -> R<Text<'a>> {
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
            return self.err("invalid number");
        }
        if self.b.get(self.i) == Some(&b'.') {
            self.i += 1;
            if !digits(self) {
                return self.err("invalid number");
            }
        }
        if matches!(self.b.get(self.i), Some(b'e' | b'E')) {
            self.i += 1;
            if matches!(self.b.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if !digits(self) {
                return self.err("invalid number");
            }
        }
        Ok(self
            .src
            .get(start..self.i)
            .map_or(Cow::Borrowed(""), Cow::Borrowed))
    }

    /// A string, number, boolean or null, as text (`None` for null).
    fn scalar(&mut self) -> R<Option<Text<'a>>> {
        match self.peek() {
            Some(b'"') => self.string().map(Some),
            Some(b'-' | b'0'..=b'9') => self.number().map(Some),
            Some(b't') => self.literal(b"true").map(|()| Some(Cow::Borrowed("true"))),
            Some(b'f') => self
                .literal(b"false")
                .map(|()| Some(Cow::Borrowed("false"))),
            Some(b'n') => self.literal(b"null").map(|()| None),
            _ => self.err("expected a string, number, boolean or null"),
        }
    }

    fn boolean(&mut self) -> R<bool> {
        match self.peek() {
            Some(b't') => self.literal(b"true").map(|()| true),
            Some(b'f') => self.literal(b"false").map(|()| false),
            _ => self.err("expected a boolean"),
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

    /// An object: `f` reads each value after its key.
    fn object(&mut self, mut f: impl FnMut(&mut Self, &str) -> R<()>) -> R<()> {
        self.eat(b'{', "expected an object")?;
        if self.peek() == Some(b'}') {
            self.i += 1;
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
                    return Ok(());
                }
                _ => return self.err("expected ',' or '}'"),
            }
        }
    }

    /// An array (or null): `f` reads each element.
    fn array(&mut self, mut f: impl FnMut(&mut Self) -> R<()>) -> R<()> {
        if self.peek() == Some(b'n') {
            return self.literal(b"null");
        }
        self.eat(b'[', "expected an array")?;
        if self.peek() == Some(b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            f(self)?;
            match self.peek() {
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return self.err("expected ',' or ']'"),
            }
        }
    }

    fn movement(&mut self) -> R<Movement<'a>> {
        let mut m = Movement::default();
        self.object(|r, k| {
            match k {
                "Islem" => m.Islem = r.scalar()?,
                "IslemTarihi" => m.IslemTarihi = r.scalar()?,
                "KargoHareketKargonunDurumuSayi" => {
                    m.KargoHareketKargonunDurumuSayi = r.scalar()?
                }
                _ => r.skip(1)?,
            }
            Ok(())
        })?;
        Ok(m)
    }

    fn shipment(&mut self) -> R<TrackedShipment<'a>> {
        let mut g = TrackedShipment::default();
        self.object(|r, k| {
            let slot = match k {
                "WebSiparisKodu" => &mut g.WebSiparisKodu,
                "KargoTakipNo" => &mut g.KargoTakipNo,
                "BarkodNo" => &mut g.BarkodNo,
                "KargonunDurumu" => &mut g.KargonunDurumu,
                "KargonunDurumuSayi" => &mut g.KargonunDurumuSayi,
                "TakipUrl" => &mut g.TakipUrl,
                "TeslimTarihi" => &mut g.TeslimTarihi,
                "TeslimAlan" => &mut g.TeslimAlan,
                "PlanlananTeslimTarihi" => &mut g.PlanlananTeslimTarihi,
                "IadeAciklama" => &mut g.IadeAciklama,
                "IadeDurum" => &mut g.IadeDurum,
                "DevirSebebi" => &mut g.DevirSebebi,
                "Tutar" => &mut g.Tutar,
                "TutarKdvsiz" => &mut g.TutarKdvsiz,
                "KdvTutar" => &mut g.KdvTutar,
                "ToplamDesiKg" => &mut g.ToplamDesiKg,
                "Hareketler" => {
                    let mut list = Vec::with_capacity(16);
                    let null = r.peek() == Some(b'n');
                    r.array(|r| {
                        list.push(r.movement()?);
                        Ok(())
                    })?;
                    g.Hareketler = (!null).then_some(list);
                    return Ok(());
                }
                _ => return r.skip(1),
            };
            *slot = r.scalar()?;
            Ok(())
        })?;
        Ok(g)
    }

    fn document(&mut self) -> R<TrackingResponse<'a>> {
        let mut is_error = None;
        let mut error_message = None;
        let mut gonderiler = None;
        self.object(|r, k| {
            match k {
                "IsError" => is_error = Some(r.boolean()?),
                "errorMessage" => error_message = r.scalar()?,
                "Gonderiler" => {
                    let mut list = Vec::new();
                    let null = r.peek() == Some(b'n');
                    r.array(|r| {
                        list.push(r.shipment()?);
                        Ok(())
                    })?;
                    gonderiler = (!null).then_some(list);
                }
                _ => r.skip(1)?,
            }
            Ok(())
        })?;
        let Some(is_error) = is_error else {
            return self.err("missing IsError");
        };
        Ok(TrackingResponse {
            is_error,
            error_message,
            gonderiler,
        })
    }
}

/// Reads a tracking document.
pub fn tracking(src: &str) -> Result<TrackingResponse<'_>, JsonError> {
    let mut r = Reader {
        src,
        b: src.as_bytes(),
        i: 0,
    };
    let doc = r.document()?;
    if r.peek().is_some() {
        return r.err("trailing characters");
    }
    Ok(doc)
}

/// Reads a JSON string document (a tracking document sent as a JSON string) into its text.
pub fn string_document(src: &str) -> Result<String, JsonError> {
    let mut r = Reader {
        src,
        b: src.as_bytes(),
        i: 0,
    };
    r.ws();
    let s = r.string()?.into_owned();
    if r.peek().is_some() {
        return r.err("trailing characters");
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_borrow_unless_escaped() {
        let d = tracking(
            r#"{"IsError": true, "errorMessage": "kabul \"bekleniyor\" \u0131\ud83d\ude00", "x": [1, {"y": null}]}"#,
        );
        let d = d.ok();
        assert_eq!(
            d.as_ref().and_then(|d| d.error_message.as_deref()),
            Some("kabul \"bekleniyor\" ı😀")
        );
        let d = tracking(r#"{"IsError":false,"errorMessage":"ok"}"#).ok();
        assert!(matches!(
            d.and_then(|d| d.error_message),
            Some(Cow::Borrowed("ok"))
        ));
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "{\"IsError\": tru}",
            "{\"IsError\": true} x",
            "{\"errorMessage\": \"a\"}",
            "{\"IsError\": true, \"a\": \"\\ud800\"}",
            "[1]",
            "{\"IsError\": true, \"a\": -}",
            "{\"IsError\": true, \"a\": \"\u{1}\"}",
            "{\"IsError\": true, \"a\": \"\\u12\"}",
        ] {
            assert!(tracking(bad).is_err(), "{bad:?}");
        }
        let deep = format!(
            "{{\"IsError\": true, \"a\": {}{}}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(tracking(&deep).is_err());
        assert_eq!(
            string_document(r#" "{\"IsError\":true}" "#).ok().as_deref(),
            Some("{\"IsError\":true}")
        );
    }

    #[test]
    fn numbers_are_kept_as_written() {
        let d = tracking(r#"{"IsError":false,"Gonderiler":[{"KargonunDurumuSayi":6,"Tutar":36.00,"Hareketler":null}]}"#).ok();
        let g = d
            .and_then(|d| d.gonderiler)
            .and_then(|g| g.into_iter().next());
        assert_eq!(
            g.as_ref().and_then(|g| g.KargonunDurumuSayi.as_deref()),
            Some("6")
        );
        assert_eq!(g.as_ref().and_then(|g| g.Tutar.as_deref()), Some("36.00"));
        assert_eq!(g.and_then(|g| g.Hareketler), None);
    }
}
