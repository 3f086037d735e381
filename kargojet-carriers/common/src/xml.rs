//! XML helpers: escaping for writers, and [`XmlCursor`], a fast pull reader on `quick-xml` for
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
use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::reader::Reader;
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

/// The local part of a possibly prefixed name (`soap:Body` → `Body`).
pub fn local_part(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// A start tag met by an [`XmlCursor`]: its name, depth and attributes.
#[derive(Debug, Clone)]
pub struct Element<'a> {
    start: BytesStart<'a>,
    depth: usize,
    empty: bool,
    offset: usize,
}

impl<'a> Element<'a> {
    /// The local name, without prefix.
    pub fn local_name(&self) -> &str {
        local_part(self.qualified_name())
    }

    /// The name as written, with its prefix if any.
    pub fn qualified_name(&self) -> &str {
        self.start.name().into_inner()
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
        self.start.attributes().flatten().find_map(|a| {
            let key = a.key.into_inner();
            if local_part(key) == local {
                let raw = std::str::from_utf8(a.value.as_ref()).ok()?;
                Some(unescape(raw).into_owned())
            } else {
                None
            }
        })
    }
}

/// A pull reader over a whole document held in memory. It walks start tags in document order
/// and reads text without building a tree; text that holds no entity is borrowed, not copied.
#[derive(Debug)]
pub struct XmlCursor<'a> {
    src: &'a str,
    reader: Reader<&'a [u8]>,
    /// Number of currently open elements.
    depth: usize,
    /// Names of open elements (for truncation messages).
    open: Vec<&'a str>,
}

impl<'a> XmlCursor<'a> {
    /// A cursor at the start of `src` (a leading BOM is skipped).
    pub fn new(src: &'a str) -> Self {
        let src = src.strip_prefix('\u{feff}').unwrap_or(src);
        let mut reader = Reader::from_str(src);
        let cfg = reader.config_mut();
        cfg.check_end_names = true;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
        XmlCursor { src, reader, depth: 0, open: Vec::new() }
    }

    /// The document being read.
    pub fn source(&self) -> &'a str {
        self.src
    }

    /// Current byte position.
    pub fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(usize::MAX)
    }

    /// Number of currently open elements.
    pub fn depth(&self) -> usize {
        self.depth
    }

    fn read(&mut self) -> Result<Event<'a>, SoapError> {
        let ev = self
            .reader
            .read_event()
            .map_err(|e| SoapError::xml(self.reader.error_position(), e))?;
        match &ev {
            Event::Start(s) => {
                self.depth += 1;
                self.open.push(s.name().into_inner());
            }
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                self.open.pop();
            }
            Event::Eof if self.depth > 0 => {
                let inside = self.open.last().copied().unwrap_or("?");
                return Err(SoapError::Truncated(inside.to_string()));
            }
            _ => {}
        }
        Ok(ev)
    }

    /// The next start tag anywhere after the current position, or `None` at the end.
    pub fn next_element(&mut self) -> Result<Option<Element<'a>>, SoapError> {
        loop {
            let before = self.position();
            match self.read()? {
                Event::Start(start) => {
                    let offset = self.tag_offset(before);
                    return Ok(Some(Element { start, depth: self.depth - 1, empty: false, offset }));
                }
                Event::Empty(start) => {
                    let offset = self.tag_offset(before);
                    return Ok(Some(Element { start, depth: self.depth, empty: true, offset }));
                }
                Event::Eof => return Ok(None),
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
    pub fn next_child(&mut self, parent: &Element<'a>) -> Result<Option<Element<'a>>, SoapError> {
        if parent.empty || self.depth <= parent.depth {
            return Ok(None);
        }
        loop {
            let before = self.position();
            match self.read()? {
                Event::Start(start) => {
                    if self.depth == parent.depth + 2 {
                        let offset = self.tag_offset(before);
                        return Ok(Some(Element { start, depth: self.depth - 1, empty: false, offset }));
                    }
                }
                Event::Empty(start) => {
                    if self.depth == parent.depth + 1 {
                        let offset = self.tag_offset(before);
                        return Ok(Some(Element { start, depth: self.depth, empty: true, offset }));
                    }
                }
                Event::End(_) => {
                    if self.depth == parent.depth {
                        return Ok(None);
                    }
                }
                Event::Eof => return Ok(None),
                _ => {}
            }
        }
    }

    /// Reads the text of `el` (just returned by this cursor) up to its end tag, unescaped;
    /// text of nested elements is included, CDATA is taken as is. Borrowed when possible.
    pub fn text(&mut self, el: &Element<'a>) -> Result<Cow<'a, str>, SoapError> {
        if el.empty {
            return Ok(Cow::Borrowed(""));
        }
        if self.depth <= el.depth {
            return Err(SoapError::CursorPast(el.local_name().to_string()));
        }
        let mut acc: Option<Cow<'a, str>> = None;
        loop {
            match self.read()? {
                Event::Text(t) => push(&mut acc, t.xml10_content()),
                Event::CData(c) => push(&mut acc, c.xml10_content()),
                Event::GeneralRef(r) => push(&mut acc, Cow::Owned(general_ref(&r))),
                Event::End(_) if self.depth == el.depth => break,
                Event::Eof => break,
                _ => {}
            }
        }
        Ok(acc.unwrap_or(Cow::Borrowed("")))
    }

    /// Text of `el`, trimmed of surrounding whitespace.
    pub fn text_trimmed(&mut self, el: &Element<'a>) -> Result<Cow<'a, str>, SoapError> {
        Ok(match self.text(el)? {
            Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
            Cow::Owned(s) => Cow::Owned(s.trim().to_string()),
        })
    }

    /// Skips the rest of `el`, including its children.
    pub fn skip(&mut self, el: &Element<'a>) -> Result<(), SoapError> {
        if el.empty {
            return Ok(());
        }
        while self.depth > el.depth {
            if let Event::Eof = self.read()? {
                break;
            }
        }
        Ok(())
    }

    /// The raw XML of `el` (start tag to end tag) as a slice of the document; the cursor moves
    /// past it.
    pub fn raw_element(&mut self, el: &Element<'a>) -> Result<&'a str, SoapError> {
        if !el.empty && self.depth <= el.depth {
            return Err(SoapError::CursorPast(el.local_name().to_string()));
        }
        self.skip(el)?;
        let end = self.position().min(self.src.len());
        Ok(self.src.get(el.offset..end).unwrap_or(""))
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
            if let Event::Eof = self.read()? {
                return Ok(());
            }
        }
    }

    /// Offset of the `<` of the tag just read, given the position before reading it.
    fn tag_offset(&self, before: usize) -> usize {
        let end = self.position().min(self.src.len());
        self.src.get(before..end).and_then(|s| s.find('<')).map_or(before, |i| before + i)
    }
}

fn push<'a>(acc: &mut Option<Cow<'a, str>>, piece: Cow<'a, str>) {
    match acc {
        None => *acc = Some(piece),
        Some(cur) => cur.to_mut().push_str(&piece),
    }
}

fn general_ref(r: &BytesRef<'_>) -> String {
    let name = r.xml10_content();
    match resolve_entity(&name) {
        Some(c) => c.to_string(),
        None => format!("&{name};"),
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
        let root = cur.next_element()?.ok_or(SoapError::Missing("root".into()))?;
        assert_eq!(root.local_name(), "root");
        let item = cur.next_child(&root)?.ok_or(SoapError::Missing("item".into()))?;
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
        let second = cur.next_child(&root)?.ok_or(SoapError::Missing("item".into()))?;
        assert!(second.is_empty());
        assert!(cur.next_child(&root)?.is_none());
        cur.finish()
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
