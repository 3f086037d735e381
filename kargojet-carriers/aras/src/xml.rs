//! A small namespace-aware XML element tree, for the parts of the protocol that are not on the
//! hot path (order-service answers, request checks in the simulator, golden-test comparisons).
//!
//! It never panics: malformed, truncated or over-deep input is an `Err` with a description.

use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;

/// Deepest nesting accepted; deeper documents are rejected instead of growing without bound.
const MAX_DEPTH: usize = 64;

/// One element: resolved namespace, local name, attributes, text and children in order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Namespace URI the element is bound to, if any.
    pub ns: Option<String>,
    /// Local name (without prefix).
    pub name: String,
    /// Attributes other than namespace declarations, as written (`prefix:name`, value).
    pub attrs: Vec<(String, String)>,
    /// Text content with entities resolved and surrounding whitespace trimmed.
    pub text: String,
    /// Child elements in document order.
    pub children: Vec<Element>,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// Every child with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The text of the first child with this local name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// Follows a path of local names from this element.
    pub fn path(&self, names: &[&str]) -> Option<&Element> {
        names.iter().try_fold(self, |el, n| el.child(n))
    }

    /// Compares two trees by namespace, name, text and child order (attributes and prefixes are
    /// ignored). On a difference, returns the path where it occurs.
    pub fn diff(&self, other: &Element) -> Result<(), String> {
        diff_at(self, other, &mut String::new())
    }
}

fn diff_at(a: &Element, b: &Element, path: &mut String) -> Result<(), String> {
    let len = path.len();
    path.push('/');
    path.push_str(&a.name);
    if a.name != b.name || a.ns != b.ns {
        return Err(format!(
            "{path}: element {:?}{} vs {:?}{}",
            a.ns, a.name, b.ns, b.name
        ));
    }
    if a.text != b.text {
        return Err(format!("{path}: text {:?} vs {:?}", a.text, b.text));
    }
    if a.children.len() != b.children.len() {
        let names = |e: &Element| {
            e.children
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        return Err(format!("{path}: children {:?} vs {:?}", names(a), names(b)));
    }
    for (x, y) in a.children.iter().zip(&b.children) {
        diff_at(x, y, path)?;
    }
    path.truncate(len);
    Ok(())
}

fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// Parses a whole document into its root element.
pub fn parse(input: &str) -> Result<Element, String> {
    let mut reader = NsReader::from_str(input);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (ns, event) = reader
            .read_resolved_event()
            .map_err(|e| format!("xml: {e}"))?;
        let ns = match ns {
            ResolveResult::Bound(n) => Some(n.0.to_string()),
            ResolveResult::Unbound => None,
            // A prefix declared outside a sliced fragment: keep the element, without namespace.
            ResolveResult::Unknown(_) => None,
        };
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                return Err(format!(
                    "xml: content after the root element: {}",
                    e.name().0
                ));
            }
            Event::Start(e) => {
                if stack.len() >= MAX_DEPTH {
                    return Err("xml: nesting too deep".into());
                }
                stack.push(element(ns, &e)?);
            }
            Event::Empty(e) => {
                let el = element(ns, &e)?;
                close(&mut stack, &mut root, el);
            }
            Event::End(_) => {
                let el = stack.pop().ok_or("xml: unbalanced end tag")?;
                close(&mut stack, &mut root, el);
            }
            Event::Text(t) => push_text(&mut stack, &t.xml10_content())?,
            Event::CData(t) => push_text(&mut stack, &t.xml10_content())?,
            Event::GeneralRef(r) => {
                let ch = match r.resolve_char_ref().map_err(|e| format!("xml: {e}"))? {
                    Some(c) => c,
                    None => predefined(&r.xml10_content())
                        .ok_or_else(|| format!("xml: unknown entity &{};", r.xml10_content()))?,
                };
                push_text(&mut stack, ch.encode_utf8(&mut [0u8; 4]))?;
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err("xml: truncated document (unclosed elements)".into());
    }
    let mut root = root.ok_or("xml: no root element")?;
    trim_all(&mut root);
    Ok(root)
}

fn element(ns: Option<String>, e: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|e| format!("xml: {e}"))?;
        let key = a.key.0;
        if key == "xmlns" || key.starts_with("xmlns:") {
            continue;
        }
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|e| format!("xml: {e}"))?;
        attrs.push((key.to_string(), value.into_owned()));
    }
    Ok(Element {
        ns,
        name: e.local_name().as_ref().to_string(),
        attrs,
        text: String::new(),
        children: Vec::new(),
    })
}

fn close(stack: &mut [Element], root: &mut Option<Element>, el: Element) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

fn push_text(stack: &mut [Element], s: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(el) => {
            el.text.push_str(s);
            Ok(())
        }
        None if s.trim().is_empty() => Ok(()),
        None => Err("xml: text outside the root element".into()),
    }
}

fn trim_all(el: &mut Element) {
    let t = el.text.trim();
    if t.len() != el.text.len() {
        el.text = t.to_string();
    }
    for c in &mut el.children {
        trim_all(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_namespaces_entities_and_order() -> Result<(), String> {
        let doc = r#"<?xml version="1.0"?><s:E xmlns:s="urn:s"><B xmlns="urn:t"><a>x &lt;y&gt; &#x41;</a><b/></B></s:E>"#;
        let root = parse(doc)?;
        assert_eq!(root.ns.as_deref(), Some("urn:s"));
        let b = root.child("B").ok_or("no B")?;
        assert_eq!(b.ns.as_deref(), Some("urn:t"));
        assert_eq!(b.child_text("a"), Some("x <y> A"));
        assert_eq!(b.children.len(), 2);
        Ok(())
    }

    #[test]
    fn bad_documents_are_errors() {
        for bad in ["", "<a>", "<a></b>", "<a/><b/>", "<a>&bogus;</a>", "text"] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }

    #[test]
    fn diff_names_the_path() -> Result<(), String> {
        let a = parse("<r><x>1</x><y>2</y></r>")?;
        let b = parse("<r><x>1</x><y>3</y></r>")?;
        assert!(a.diff(&a.clone()).is_ok());
        assert!(a.diff(&b).err().is_some_and(|e| e.contains("/r/y")));
        Ok(())
    }
}
