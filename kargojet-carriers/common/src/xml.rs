//! XML helpers: escaping for writers, and [`XmlCursor`], a fast hand-written pull scanner for
//! hot-path parsing without serde (tracking answers with many events).
//!
//! ```
//! use kargojet_carrier_common::xml::{escape_text, XmlCursor};
//!
//! assert_eq!(escape_text("Ayşe & <Ali>"), "Ayşe &amp; &lt;Ali&gt;");
//!
//! let doc = "<r><ev><code>1</code><text>Kabul &amp; sevk</text></ev><ev><code>5</code></ev></r>";
//! let mut cur = XmlCursor::new(doc);
//! let mut codes = Vec::new();
//! while let Some(ev) = cur.find("ev")? {
//!     while let Some(child) = cur.next_child(&ev)? {
//!         match child.local_name() {
//!             "code" => codes.push(cur.text(&child)?.into_owned()),
//!             "text" => assert_eq!(cur.text(&child)?, "Kabul & sevk"),
//!             _ => cur.skip(&child)?,
//!         }
//!     }
//! }
//! assert_eq!(codes, ["1", "5"]);
//! # Ok::<(), kargojet_carrier_common::SoapError>(())
//! ```

use crate::error::SoapError;
use crate::scan;
use std::borrow::Cow;

/// Escapes text content for an XML element (`&`, `<`, `>`).
pub fn escape_text(s: &str) -> Cow<'_, str> {
    quick_xml::escape::partial_escape(s)
}

/// Escapes an attribute value (`&`, `<`, `>`, `"`, `'`).
pub fn escape_attr(s: &str) -> Cow<'_, str> {
    quick_xml::escape::escape(s)
}

/// Unescapes XML text: the five predefined entities and numeric character references. Unknown
/// entities are kept literally (carriers send HTML entities now and then); nothing is dropped.
pub fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';') {
            Some(semi) if semi <= 10 => {
                let name = &after[..semi];
                match resolve_entity(name) {
                    Some(c) => out.push(c),
                    None => {
                        out.push('&');
                        out.push_str(name);
                        out.push(';');
                    }
                }
                rest = &after[semi + 1..];
            }
            _ => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Resolves a predefined entity (`amp`) or a character reference (`#38`, `#x26`).
fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
    }
}

/// XML end-of-line normalization (`\r\n` and lone `\r` become `\n`), then unescaping.
fn text_content(raw: &str) -> Cow<'_, str> {
    if scan::find_byte2(raw.as_bytes(), 0, b'&', b'\r').is_none() {
        return Cow::Borrowed(raw);
    }
    if raw.contains('\r') {
        let normalized = raw.replace("\r\n", "\n").replace('\r', "\n");
        Cow::Owned(unescape(&normalized).into_owned())
    } else {
        unescape(raw)
    }
}

/// [`NAME_CLASS`]: a byte of an element name.
const NAME_BYTE: u8 = 0;
/// [`NAME_CLASS`]: the prefix separator.
const NAME_COLON: u8 = 1;
/// [`NAME_CLASS`]: ends the name (whitespace, `>`, `/`).
const NAME_END: u8 = 2;
/// [`NAME_CLASS`]: may not appear in a name (`"`, `'`, `=`, `<`).
const NAME_BAD: u8 = 3;

/// The class of each byte inside an element name.
const NAME_CLASS: [u8; 256] = {
    let mut t = [NAME_BYTE; 256];
    t[b':' as usize] = NAME_COLON;
    let ends = b" \t\r\n>/";
    let mut i = 0;
    while i < ends.len() {
        t[ends[i] as usize] = NAME_END;
        i += 1;
    }
    let bad = b"\"'=<";
    let mut i = 0;
    while i < bad.len() {
        t[bad[i] as usize] = NAME_BAD;
        i += 1;
    }
    t
};

/// The local part of a possibly prefixed name (`soap:Body` → `Body`).
pub fn local_part(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// A start tag met by an [`XmlCursor`]: its name, depth and attributes, borrowed from the
/// document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    name: &'a str,
    local: &'a str,
    attrs: &'a str,
    depth: usize,
    empty: bool,
    offset: usize,
}

impl<'a> Element<'a> {
    /// The local name, without prefix.
    pub fn local_name(&self) -> &'a str {
        self.local
    }

    /// The name as written, with its prefix if any.
    pub fn qualified_name(&self) -> &'a str {
        self.name
    }

    /// Number of ancestors (the root element has depth 0).
    pub fn depth(&self) -> usize {
        self.depth
    }

    /// True for `<x/>`.
    pub fn is_empty(&self) -> bool {
        self.empty
    }

    /// Byte offset of the `<` of this start tag in the document.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The unescaped value of the attribute whose local name is `local` (prefix ignored).
    pub fn attr(&self, local: &str) -> Option<String> {
        attributes(self.attrs)
            .find(|(k, _)| local_part(k) == local)
            .map(|(_, v)| unescape(v).into_owned())
    }

    /// Every attribute as (name as written, raw value).
    pub fn attrs(&self) -> impl Iterator<Item = (&'a str, &'a str)> {
        attributes(self.attrs)
    }
}

/// Tolerant attribute scanner: `k="v"` / `k='v'` pairs; anything else ends the scan.
fn attributes(raw: &str) -> impl Iterator<Item = (&str, &str)> {
    let mut rest = raw;
    std::iter::from_fn(move || {
        let r = rest.trim_start();
        let eq = r.find('=')?;
        let key = r[..eq].trim();
        let after = r[eq + 1..].trim_start();
        let quote = after.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let body = &after[1..];
        let close = body.find(quote)?;
        rest = &body[close + 1..];
        Some((key, &body[..close]))
    })
}

/// One token of the document.
enum Token<'a> {
    Start(Element<'a>),
    End,
    Text(&'a str),
    CData(&'a str),
    Eof,
}

/// A pull reader over a whole document held in memory: a hand-written scanner (no tree, no
/// copies — names, attributes and entity-free text are slices of the input) that still checks
/// well-formedness: matching end tags, closed markup, no text after a truncated tag.
#[derive(Debug)]
pub struct XmlCursor<'a> {
    src: &'a str,
    pos: usize,
    /// Names of open elements, for end-tag matching.
    open: Vec<&'a str>,
    /// The error of a fast-path step that reported failure (taken by its caller).
    pending: Option<SoapError>,
}

/// One step of the fast leaf loop.
enum Leaf<'a> {
    /// A whole plain leaf: its local name and text.
    Done(&'a str, &'a str),
    /// The parent's end tag.
    Closed,
    /// Anything else: the general path reads the next child.
    Slow,
}

/// One step of the fast child loop.
enum Step<'a> {
    /// The next child's start tag.
    Child(Element<'a>),
    /// The parent's end tag.
    Closed,
    /// An error, left in `pending`.
    Failed,
    /// Something the general path handles (comments, CDATA, processing instructions,
    /// unusual end tags, the end of the input).
    Slow,
}

impl<'a> XmlCursor<'a> {
    /// A cursor at the start of `src` (a leading BOM is skipped).
    pub fn new(src: &'a str) -> Self {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        XmlCursor {
            src,
            pos: 0,
            open: Vec::with_capacity(16),
            pending: None,
        }
    }

    /// The document being read.
    pub fn source(&self) -> &'a str {
        self.src
    }

    /// Current byte position.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Number of currently open elements.
    pub fn depth(&self) -> usize {
        self.open.len()
    }

    /// The error a fast-path step left behind.
    #[cold]
    fn take_pending(&mut self) -> SoapError {
        self.pending.take().unwrap_or_else(|| SoapError::Xml {
            position: self.pos as u64,
            detail: "malformed markup".to_string(),
        })
    }

    /// Records `e` for [`XmlCursor::take_pending`]; always `None`.
    #[cold]
    fn fail<T>(&mut self, e: SoapError) -> Option<T> {
        self.pending = Some(e);
        None
    }

    #[cold]
    fn err(&self, at: usize, detail: &str) -> SoapError {
        SoapError::Xml {
            position: at as u64,
            detail: detail.to_string(),
        }
    }

    #[inline(always)]
    fn read(&mut self) -> Result<Token<'a>, SoapError> {
        let src = self.src;
        let bytes = src.as_bytes();
        // Declarations, processing instructions and comments are skipped in this loop.
        let start = loop {
            let start = self.pos;
            let Some(&first) = bytes.get(start) else {
                return match self.open.last() {
                    Some(name) => Err(SoapError::Truncated((*name).to_string())),
                    None => Ok(Token::Eof),
                };
            };
            if first != b'<' {
                let end = scan::find_byte(bytes, start + 1, b'<').unwrap_or(bytes.len());
                self.pos = end;
                return Ok(Token::Text(src.get(start..end).unwrap_or("")));
            }
            match bytes.get(start + 1) {
                Some(b'/') => return self.end_tag(start),
                Some(b'?') => {
                    let end = src[start + 1..]
                        .find("?>")
                        .ok_or_else(|| self.err(start, "unclosed processing instruction"))?;
                    self.pos = start + 1 + end + 2;
                }
                Some(b'!') => {
                    let rest = &src[start..];
                    if let Some(comment) = rest.strip_prefix("<!--") {
                        let end = comment
                            .find("-->")
                            .ok_or_else(|| self.err(start, "unclosed comment"))?;
                        self.pos = start + 4 + end + 3;
                    } else if let Some(body) = rest.strip_prefix("<![CDATA[") {
                        let end = body
                            .find("]]>")
                            .ok_or_else(|| self.err(start, "unclosed CDATA section"))?;
                        self.pos = start + 9 + end + 3;
                        return Ok(Token::CData(&body[..end]));
                    } else {
                        let end = rest
                            .find('>')
                            .ok_or_else(|| self.err(start, "unclosed declaration"))?;
                        self.pos = start + end + 1;
                    }
                }
                _ => break start,
            }
        };
        self.start_tag(start)
    }

    /// `</name>` at `start`, matched against the innermost open element.
    #[inline(always)]
    fn end_tag(&mut self, start: usize) -> Result<Token<'a>, SoapError> {
        if self.end_tag_exact(start) {
            return Ok(Token::End);
        }
        self.end_tag_general(start)
    }

    /// [`XmlCursor::end_tag`] for any other spelling (`</name >`) and for mismatches.
    #[inline(never)]
    fn end_tag_general(&mut self, start: usize) -> Result<Token<'a>, SoapError> {
        let body = &self.src[start + 2..];
        let end = body
            .find('>')
            .ok_or_else(|| self.err(start, "unclosed end tag"))?;
        let name = body[..end].trim_end();
        match self.open.pop() {
            Some(open) if open == name => {}
            Some(open) => {
                return Err(self.err(start, &format!("end tag </{name}> does not match <{open}>")));
            }
            None => {
                return Err(self.err(start, &format!("end tag </{name}> without a start tag")));
            }
        }
        self.pos = start + 2 + end + 1;
        Ok(Token::End)
    }

    /// A start tag at `start`, scanned in one pass: the name (and its last ':') by a byte
    /// table, then the closing '>' outside quoted attribute values.
    #[inline]
    fn start_tag(&mut self, start: usize) -> Result<Token<'a>, SoapError> {
        self.start_element(start).map(Token::Start)
    }

    /// [`XmlCursor::start_tag`] as the element itself.
    #[inline(always)]
    fn start_element(&mut self, start: usize) -> Result<Element<'a>, SoapError> {
        match self.start_el(start) {
            Some(el) => Ok(el),
            None => Err(self.take_pending()),
        }
    }

    /// The start tag at `start` (the hot path: no `Result` around the element, so it stays
    /// in registers); `None` leaves the error in `pending`.
    #[inline(always)]
    fn start_el(&mut self, start: usize) -> Option<Element<'a>> {
        let src = self.src;
        let tag = src.as_bytes().get(start + 1..)?;
        // Letters and non-ASCII bytes are always name bytes: hop eight bytes at a time to the
        // next byte below '@', then classify it.
        let mut i = 0;
        let mut colon = None;
        loop {
            i = scan::find_below(tag, i, b'@').unwrap_or(tag.len());
            let Some(&c) = tag.get(i) else {
                break;
            };
            match NAME_CLASS[usize::from(c)] {
                NAME_BYTE => {}
                NAME_COLON => colon = Some(i),
                NAME_END => break,
                _ => return self.fail(self.err(start, "invalid element name")),
            }
            i += 1;
        }
        let name_end = i;
        let close = if tag.get(i) == Some(&b'>') {
            i
        } else {
            let mut quote = 0u8;
            loop {
                match tag.get(i) {
                    None => return self.fail(self.err(start, "unclosed start tag")),
                    Some(&c) if quote != 0 => {
                        if c == quote {
                            quote = 0;
                        }
                    }
                    Some(b'"') => quote = b'"',
                    Some(b'\'') => quote = b'\'',
                    Some(b'>') => break i,
                    Some(b'<') => return self.fail(self.err(start + 1 + i, "'<' inside a tag")),
                    Some(_) => {}
                }
                i += 1;
            }
        };
        let name = src.get(start + 1..start + 1 + name_end).unwrap_or("");
        let valid_start = match name.as_bytes().first() {
            Some(&b) if b.is_ascii() => b.is_ascii_alphabetic() || b == b'_' || b == b':',
            Some(_) => name.chars().next().is_some_and(char::is_alphabetic),
            None => false,
        };
        if !valid_start {
            return self.fail(self.err(start, &format!("invalid element name {name:?}")));
        }
        let empty = close > 0 && tag[close - 1] == b'/';
        let attrs_end = if empty { close - 1 } else { close };
        // Most elements have no attributes: no slicing then.
        let attrs = if attrs_end > name_end {
            src.get(start + 1 + name_end..start + 1 + attrs_end)
                .unwrap_or("")
        } else {
            ""
        };
        let local = match colon {
            Some(c) => name.get(c + 1..).unwrap_or(""),
            None => name,
        };
        self.pos = start + 1 + close + 1;
        let el = Element {
            name,
            local,
            attrs,
            depth: self.open.len(),
            empty,
            offset: start,
        };
        if !empty {
            self.open.push(name);
        }
        Some(el)
    }

    /// One step of the child loop of the innermost open element (the caller checks that the
    /// parent is it): skips text to the next tag; a start tag is the next child, an exact end
    /// tag closes the parent.
    #[inline(always)]
    fn fast_child(&mut self) -> Step<'a> {
        let bytes = self.src.as_bytes();
        let Some(lt) = scan::find_byte(bytes, self.pos, b'<') else {
            return Step::Slow;
        };
        match bytes.get(lt + 1) {
            Some(b'/') => {
                self.pos = lt;
                if self.end_tag_exact(lt) {
                    Step::Closed
                } else {
                    Step::Slow
                }
            }
            Some(b'?' | b'!') | None => Step::Slow,
            Some(_) => {
                self.pos = lt;
                match self.start_el(lt) {
                    Some(el) => Step::Child(el),
                    None => Step::Failed,
                }
            }
        }
    }

    /// One step of the leaf loop of the innermost open element (the caller checks that the
    /// parent is it): `<name>text</name>` with a plain name, no attributes and entity-free text
    /// is read whole; an exact end tag closes the parent; anything else is left to the general
    /// path (with nothing consumed but text before the next tag).
    #[inline(always)]
    fn fast_leaf(&mut self) -> Leaf<'a> {
        let src = self.src;
        let b = src.as_bytes();
        let Some(lt) = scan::find_byte(b, self.pos, b'<') else {
            return Leaf::Slow;
        };
        self.pos = lt;
        match b.get(lt + 1) {
            Some(b'/') => {
                return if self.end_tag_exact(lt) {
                    Leaf::Closed
                } else {
                    Leaf::Slow
                };
            }
            Some(&c) if c.is_ascii_alphabetic() || c == b'_' || c == b':' => {}
            _ => return Leaf::Slow,
        }
        let name_start = lt + 1;
        let mut i = name_start;
        let mut colon = None;
        loop {
            i = scan::find_below(b, i, b'@').unwrap_or(b.len());
            match b.get(i).map(|&c| NAME_CLASS[usize::from(c)]) {
                Some(NAME_BYTE) => {}
                Some(NAME_COLON) => colon = Some(i),
                _ => break,
            }
            i += 1;
        }
        if b.get(i) != Some(&b'>') {
            return Leaf::Slow;
        }
        let text_start = i + 1;
        let Some(stop) = scan::find_byte3(b, text_start, b'<', b'&', b'\r') else {
            return Leaf::Slow;
        };
        let n = i - name_start;
        if b[stop] != b'<'
            || b.get(stop + 1) != Some(&b'/')
            || b.get(stop + 2 + n) != Some(&b'>')
            || !scan::eq_bytes(
                &b[name_start..i],
                b.get(stop + 2..stop + 2 + n).unwrap_or(&[]),
            )
        {
            return Leaf::Slow;
        }
        let (Some(name), Some(text)) = (src.get(name_start..i), src.get(text_start..stop)) else {
            return Leaf::Slow;
        };
        let local = match colon {
            Some(c) => name.get(c + 1 - name_start..).unwrap_or(""),
            None => name,
        };
        self.pos = stop + 2 + n + 1;
        Leaf::Done(local, text)
    }

    /// `</name>` at `start` written exactly as the innermost open element's name: pops it and
    /// moves past; `false` (nothing consumed) otherwise.
    #[inline(always)]
    fn end_tag_exact(&mut self, start: usize) -> bool {
        let bytes = self.src.as_bytes();
        let Some(open) = self.open.last() else {
            return false;
        };
        let n = open.len();
        if bytes.get(start + 2 + n) == Some(&b'>')
            && scan::starts_with_at(bytes, start + 2, open.as_bytes())
        {
            self.open.pop();
            self.pos = start + 2 + n + 1;
            return true;
        }
        false
    }

    /// The shortcut of [`XmlCursor::text`] for a leaf: right after the start tag of the
    /// innermost open element comes text without markup, then exactly its end tag. The text
    /// (borrowed unless it has an entity or a `\r`) and the cursor past the end tag; `None`
    /// (nothing consumed) for any other shape.
    #[inline(always)]
    fn leaf_text(&mut self) -> Option<Cow<'a, str>> {
        let bytes = self.src.as_bytes();
        let start = self.pos;
        let stop = scan::find_byte3(bytes, start, b'<', b'&', b'\r')?;
        let (lt, plain) = match bytes[stop] {
            b'<' => (stop, true),
            _ => (scan::find_byte(bytes, stop, b'<')?, false),
        };
        let name = self.open.last()?.as_bytes();
        let n = name.len();
        if bytes.get(lt + 1) != Some(&b'/')
            || bytes.get(lt + 2 + n) != Some(&b'>')
            || !scan::starts_with_at(bytes, lt + 2, name)
        {
            return None;
        }
        let raw = self.src.get(start..lt)?;
        self.open.pop();
        self.pos = lt + 2 + n + 1;
        Some(if plain {
            Cow::Borrowed(raw)
        } else {
            text_content(raw)
        })
    }

    /// The next start tag anywhere after the current position, or `None` at the end.
    #[inline]
    pub fn next_element(&mut self) -> Result<Option<Element<'a>>, SoapError> {
        loop {
            match self.read()? {
                Token::Start(el) => return Ok(Some(el)),
                Token::Eof => return Ok(None),
                _ => {}
            }
        }
    }

    /// The next element whose local name is `local`, at any depth.
    pub fn find(&mut self, local: &str) -> Result<Option<Element<'a>>, SoapError> {
        while let Some(el) = self.next_element()? {
            if el.local_name() == local {
                return Ok(Some(el));
            }
        }
        Ok(None)
    }

    /// The next direct child of `parent`, or `None` once `parent` is closed. Grandchildren
    /// not read by the caller are skipped.
    #[inline(always)]
    pub fn next_child(&mut self, parent: &Element<'a>) -> Result<Option<Element<'a>>, SoapError> {
        if parent.empty || self.open.len() <= parent.depth {
            return Ok(None);
        }
        if self.open.len() == parent.depth + 1 {
            match self.fast_child() {
                Step::Child(el) => return Ok(Some(el)),
                Step::Closed => return Ok(None),
                Step::Failed => return Err(self.take_pending()),
                Step::Slow => {}
            }
        }
        self.next_child_general(parent)
    }

    /// Visits the direct children of `parent` in order, like a [`XmlCursor::next_child`] loop:
    /// `f` gets the cursor, just past the child's start tag, and the child; whatever `f` leaves
    /// unread of the child is skipped. The hot-path form: the child is never moved through a
    /// `Result`, so it stays in registers.
    #[inline(always)]
    pub fn each_child<E: From<SoapError>>(
        &mut self,
        parent: &Element<'a>,
        mut f: impl FnMut(&mut Self, &Element<'a>) -> Result<(), E>,
    ) -> Result<(), E> {
        if parent.empty {
            return Ok(());
        }
        loop {
            if self.open.len() <= parent.depth {
                return Ok(());
            }
            let step = if self.open.len() == parent.depth + 1 {
                self.fast_child()
            } else {
                Step::Slow
            };
            match step {
                Step::Child(el) => f(self, &el)?,
                Step::Closed => return Ok(()),
                Step::Failed => return Err(self.take_pending().into()),
                Step::Slow => match self.next_child_general(parent)? {
                    Some(el) => f(self, &el)?,
                    None => return Ok(()),
                },
            }
        }
    }

    /// [`XmlCursor::next_child`] token by token.
    #[inline(never)]
    fn next_child_general(
        &mut self,
        parent: &Element<'a>,
    ) -> Result<Option<Element<'a>>, SoapError> {
        loop {
            match self.read()? {
                Token::Start(el) if el.depth == parent.depth + 1 => return Ok(Some(el)),
                Token::End if self.open.len() == parent.depth => return Ok(None),
                Token::Eof => return Ok(None),
                _ => {}
            }
        }
    }

    /// Reads every direct child of `parent` as a leaf, like a [`XmlCursor::next_child`] loop
    /// calling [`XmlCursor::text`] on each: `f` gets each child's local name and text
    /// (unescaped; text of nested elements included). The hot-path form for records of leaves:
    /// a plain `<name>text</name>` is read in one step, without the open-element bookkeeping.
    #[inline(always)]
    pub fn each_leaf<E: From<SoapError>>(
        &mut self,
        parent: &Element<'a>,
        mut f: impl FnMut(&'a str, Cow<'a, str>) -> Result<(), E>,
    ) -> Result<(), E> {
        if parent.empty {
            return Ok(());
        }
        loop {
            if self.open.len() <= parent.depth {
                return Ok(());
            }
            if self.open.len() == parent.depth + 1 {
                match self.fast_leaf() {
                    Leaf::Done(local, text) => {
                        f(local, Cow::Borrowed(text))?;
                        continue;
                    }
                    Leaf::Closed => return Ok(()),
                    Leaf::Slow => {}
                }
            }
            match self.next_child(parent)? {
                Some(el) => {
                    let text = self.text(&el)?;
                    f(el.local_name(), text)?;
                }
                None => return Ok(()),
            }
        }
    }

    /// Reads the text of `el` (just returned by this cursor) up to its end tag, unescaped;
    /// text of nested elements is included, CDATA is taken as is. Borrowed when possible.
    #[inline(always)]
    pub fn text(&mut self, el: &Element<'a>) -> Result<Cow<'a, str>, SoapError> {
        if !el.empty && self.open.len() == el.depth + 1 {
            if let Some(t) = self.leaf_text() {
                return Ok(t);
            }
        }
        self.text_general(el)
    }

    /// [`XmlCursor::text`] token by token.
    #[inline(never)]
    fn text_general(&mut self, el: &Element<'a>) -> Result<Cow<'a, str>, SoapError> {
        if el.empty {
            return Ok(Cow::Borrowed(""));
        }
        if self.open.len() <= el.depth {
            return Err(SoapError::CursorPast(el.local_name().to_string()));
        }
        let mut acc: Option<Cow<'a, str>> = None;
        loop {
            match self.read()? {
                Token::Text(t) => push(&mut acc, text_content(t)),
                Token::CData(c) => push(&mut acc, Cow::Borrowed(c)),
                Token::End if self.open.len() == el.depth => break,
                Token::Eof => break,
                _ => {}
            }
        }
        Ok(acc.unwrap_or(Cow::Borrowed("")))
    }

    /// Text of `el`, trimmed of surrounding whitespace.
    #[inline(always)]
    pub fn text_trimmed(&mut self, el: &Element<'a>) -> Result<Cow<'a, str>, SoapError> {
        Ok(trimmed(self.text(el)?))
    }

    /// Skips the rest of `el`, including its children.
    pub fn skip(&mut self, el: &Element<'a>) -> Result<(), SoapError> {
        if el.empty {
            return Ok(());
        }
        while self.open.len() > el.depth {
            if let Token::Eof = self.read()? {
                break;
            }
        }
        Ok(())
    }

    /// The raw XML of `el` (start tag to end tag) as a slice of the document; the cursor moves
    /// past it.
    pub fn raw_element(&mut self, el: &Element<'a>) -> Result<&'a str, SoapError> {
        if !el.empty && self.open.len() <= el.depth {
            return Err(SoapError::CursorPast(el.local_name().to_string()));
        }
        self.skip(el)?;
        Ok(self.src.get(el.offset..self.pos).unwrap_or(""))
    }

    /// Finds the first element named `local` and returns its trimmed text.
    pub fn find_text(&mut self, local: &str) -> Result<Option<Cow<'a, str>>, SoapError> {
        match self.find(local)? {
            Some(el) => Ok(Some(self.text_trimmed(&el)?)),
            None => Ok(None),
        }
    }

    /// Reads to the end of the document, checking that it is well formed.
    pub fn finish(&mut self) -> Result<(), SoapError> {
        loop {
            if let Token::Eof = self.read()? {
                return Ok(());
            }
        }
    }
}

/// A text trimmed of surrounding whitespace, still borrowed when it was.
#[inline(always)]
pub fn trimmed(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(scan::trim(s)),
        Cow::Owned(s) if scan::trim(&s).len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
    }
}

fn push<'a>(acc: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match acc {
        None => *acc = Some(piece),
        Some(cur) => cur.to_mut().push_str(&piece),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_unescapes_round_trip() {
        let s = "Şişli & <Mecidiyeköy> \"A\" 'B'";
        assert_eq!(unescape(&escape_attr(s)), s);
        assert_eq!(unescape(&escape_text(s)), s);
        assert_eq!(unescape("&#305;&#x130;&nbsp;&"), "ıİ&nbsp;&");
        assert!(matches!(unescape("plain"), Cow::Borrowed("plain")));
    }

    #[test]
    fn cursor_walks_children_and_reads_text() -> Result<(), SoapError> {
        let doc = "<?xml version=\"1.0\"?>\n<a:root xmlns:a=\"urn:x\"><a:item id=\"7\"><n>Ali &amp; Veli</n>\
                   <deep><x>skip</x></deep><e/><c><![CDATA[<b>]]></c></a:item><a:item id=\"8\"/></a:root>";
        let mut cur = XmlCursor::new(doc);
        let root = cur
            .next_element()?
            .ok_or(SoapError::Missing("root".into()))?;
        assert_eq!(root.local_name(), "root");
        let item = cur
            .next_child(&root)?
            .ok_or(SoapError::Missing("item".into()))?;
        assert_eq!(item.attr("id").as_deref(), Some("7"));
        let mut seen = Vec::new();
        while let Some(ch) = cur.next_child(&item)? {
            match ch.local_name() {
                "n" => assert_eq!(cur.text(&ch)?, "Ali & Veli"),
                "c" => assert_eq!(cur.text(&ch)?, "<b>"),
                "e" => assert!(ch.is_empty()),
                _ => {}
            }
            seen.push(ch.local_name().to_string());
        }
        assert_eq!(seen, ["n", "deep", "e", "c"]);
        let second = cur
            .next_child(&root)?
            .ok_or(SoapError::Missing("item".into()))?;
        assert!(second.is_empty());
        assert!(cur.next_child(&root)?.is_none());
        cur.finish()
    }

    #[test]
    fn each_leaf_reads_like_next_child_and_text() -> Result<(), SoapError> {
        let docs = [
            "<r><m><a>1</a><ns:b>two</ns:b> <c/><d x=\"1\">4</d><e>A &amp; B</e><f>x<g>y</g>z</f>\
             <h><![CDATA[<c>]]></h><i>l1\r\nl2</i><j>k</j ><k></k><_l>ok</_l></m><m><z>9</z></m><m/></r>",
            "<r>\n  <m>\n    <a>1</a>\n    <b>2</b>\n  </m>\n</r>",
        ];
        for doc in docs {
            let mut fast = Vec::new();
            let mut cur = XmlCursor::new(doc);
            let root = cur.next_element()?.ok_or(SoapError::Missing("r".into()))?;
            while let Some(m) = cur.next_child(&root)? {
                cur.each_leaf::<SoapError>(&m, |name, text| {
                    fast.push(format!("{name}={text}"));
                    Ok(())
                })?;
                fast.push("|".to_string());
            }
            cur.finish()?;
            let mut slow = Vec::new();
            let mut cur = XmlCursor::new(doc);
            let root = cur.next_element()?.ok_or(SoapError::Missing("r".into()))?;
            while let Some(m) = cur.next_child(&root)? {
                while let Some(c) = cur.next_child(&m)? {
                    let t = cur.text(&c)?;
                    slow.push(format!("{}={t}", c.local_name()));
                }
                slow.push("|".to_string());
            }
            cur.finish()?;
            assert_eq!(fast, slow, "{doc}");
        }
        for broken in [
            "<r><m><a>1</b></m></r>",
            "<r><m><a>1</a>",
            "<r><m><a>1</a></r>",
        ] {
            let mut cur = XmlCursor::new(broken);
            let r = (|| {
                let root = cur.next_element()?.ok_or(SoapError::Missing("r".into()))?;
                while let Some(m) = cur.next_child(&root)? {
                    cur.each_leaf::<SoapError>(&m, |_, _| Ok(()))?;
                }
                cur.finish()
            })();
            assert!(r.is_err(), "{broken}");
        }
        Ok(())
    }

    #[test]
    fn raw_element_is_a_slice_of_the_source() -> Result<(), SoapError> {
        let doc = "<r>  <x a=\"1\"><y>t</y></x><z/></r>";
        let mut cur = XmlCursor::new(doc);
        let x = cur.find("x")?.ok_or(SoapError::Missing("x".into()))?;
        assert_eq!(cur.raw_element(&x)?, "<x a=\"1\"><y>t</y></x>");
        let z = cur.find("z")?.ok_or(SoapError::Missing("z".into()))?;
        assert_eq!(cur.raw_element(&z)?, "<z/>");
        Ok(())
    }

    #[test]
    fn truncated_and_broken_documents_are_errors() {
        for doc in ["<a><b>text", "<a><b></a>", "<a", "<a></b>"] {
            let mut cur = XmlCursor::new(doc);
            let r = (|| {
                while let Some(el) = cur.next_element()? {
                    cur.skip(&el)?;
                }
                cur.finish()
            })();
            assert!(r.is_err(), "{doc} should fail");
        }
    }
}
