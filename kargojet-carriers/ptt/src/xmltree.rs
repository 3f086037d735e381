//! A small namespace-aware element tree: element namespace URI, local name, text and children
//! in document order. The simulator reads requests with it (and checks the ADB field order on
//! it); golden tests compare built requests with fixture files as trees, not strings.

use quick_xml::NsReader;
use quick_xml::events::{BytesRef, Event};
use quick_xml::name::ResolveResult;

/// One element.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Element {
    /// Namespace URI (`None` when unqualified and no default namespace is in scope).
    pub ns: Option<String>,
    /// Local name.
    pub name: String,
    /// Text content with surrounding whitespace trimmed (entities resolved).
    pub text: String,
    /// Child elements, in document order.
    pub children: Vec<Element>,
}

/// Why a document could not be read as a tree.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TreeError {
    /// The bytes are not UTF-8.
    #[error("the document is not UTF-8: {0}")]
    Encoding(String),
    /// The XML is not well-formed (or truncated).
    #[error("malformed XML: {0}")]
    Syntax(String),
    /// No root element.
    #[error("the document has no element")]
    Empty,
}

impl Element {
    /// The first child with this local name.
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    /// All children with this local name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// Text of the first child with this local name.
    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|c| c.text.as_str())
    }

    /// The first element (depth first, self included) with this local name.
    pub fn find(&self, name: &str) -> Option<&Element> {
        if self.name == name {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(name))
    }
}

/// Parses a document into its root element. `fallback` binds prefixes the document uses
/// without declaring them (fragments copied from documentation), as `(prefix, uri)`.
pub fn parse(xml: &[u8], fallback: &[(&str, &str)]) -> Result<Element, TreeError> {
    let text = std::str::from_utf8(xml).map_err(|e| TreeError::Encoding(e.to_string()))?;
    let mut reader = NsReader::from_str(text);
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let (res, ev) = reader
            .read_resolved_event()
            .map_err(|e| TreeError::Syntax(e.to_string()))?;
        match ev {
            Event::Start(ref s) | Event::Empty(ref s) => {
                if root.is_some() {
                    return Err(TreeError::Syntax("content after the root element".into()));
                }
                let ns = resolve(res, fallback)?;
                let el = Element {
                    ns,
                    name: s.local_name().into_inner().to_string(),
                    ..Default::default()
                };
                if matches!(ev, Event::Empty(_)) {
                    close(el, &mut stack, &mut root);
                } else {
                    stack.push(el);
                }
            }
            Event::End(_) => match stack.pop() {
                Some(mut el) => {
                    el.text = el.text.trim().to_string();
                    close(el, &mut stack, &mut root);
                }
                None => return Err(TreeError::Syntax("unbalanced end tag".into())),
            },
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                } else if !t.xml10_content().trim().is_empty() {
                    return Err(TreeError::Syntax("text outside the root element".into()));
                }
            }
            Event::CData(c) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&c.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(top) = stack.last_mut() {
                    push_ref(&mut top.text, &r).map_err(TreeError::Syntax)?;
                }
            }
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(TreeError::Syntax("truncated document".into()));
                }
                return root.ok_or(TreeError::Empty);
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

fn resolve(res: ResolveResult<'_>, fallback: &[(&str, &str)]) -> Result<Option<String>, TreeError> {
    Ok(match res {
        ResolveResult::Bound(ns) => Some(ns.into_inner().to_string()),
        ResolveResult::Unbound => None,
        ResolveResult::Unknown(prefix) => match fallback.iter().find(|(p, _)| *p == prefix) {
            Some((_, uri)) => Some((*uri).to_string()),
            None => return Err(TreeError::Syntax(format!("undeclared prefix `{prefix}`"))),
        },
    })
}

fn close(el: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(el),
        None => *root = Some(el),
    }
}

/// Appends the character an entity or character reference stands for.
pub fn push_ref(out: &mut String, r: &BytesRef<'_>) -> Result<(), String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => {
                out.push(c);
                Ok(())
            }
            _ => Err(format!("bad character reference &{};", r.xml10_content())),
        };
    }
    let c = match r.xml10_content().as_ref() {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        other => return Err(format!("unknown entity &{other};")),
    };
    out.push(c);
    Ok(())
}

/// Compares two trees: namespaces, names, texts and child order. Returns the first difference
/// as a path, or `None` when equal.
pub fn diff(a: &Element, b: &Element) -> Option<String> {
    diff_at(a, b, "")
}

fn diff_at(a: &Element, b: &Element, path: &str) -> Option<String> {
    let here = format!("{path}/{}", a.name);
    if a.name != b.name || a.ns != b.ns {
        return Some(format!(
            "{here}: {{{:?}}}{} vs {{{:?}}}{}",
            a.ns, a.name, b.ns, b.name
        ));
    }
    if a.text != b.text {
        return Some(format!("{here}: text {:?} vs {:?}", a.text, b.text));
    }
    if a.children.len() != b.children.len() {
        let names = |e: &Element| {
            e.children
                .iter()
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        };
        return Some(format!("{here}: children {:?} vs {:?}", names(a), names(b)));
    }
    a.children
        .iter()
        .zip(&b.children)
        .find_map(|(x, y)| diff_at(x, y, &here))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_namespaces_entities_and_order() {
        let t = parse(
            br#"<a:r xmlns:a="urn:a"><a:x>1 &amp; &#351;</a:x><y/></a:r>"#,
            &[],
        )
        .expect("tree");
        assert_eq!(t.ns.as_deref(), Some("urn:a"));
        assert_eq!(t.child_text("x"), Some("1 & ş"));
        assert_eq!(t.children[1].name, "y");
        assert_eq!(t.children[1].ns, None);
    }

    #[test]
    fn rejects_bad_documents_without_panicking() {
        for bad in [
            &b""[..],
            b"<a>",
            b"<a></b>",
            b"\xff\xfe<a/>",
            b"<p:a/>",
            b"<a/><b/>",
            b"<a>&nope;</a>",
        ] {
            assert!(
                parse(bad, &[]).is_err(),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
        assert!(parse(b"<p:a/>", &[("p", "urn:p")]).is_ok());
    }

    #[test]
    fn diff_names_the_first_difference() {
        let a = parse(b"<r><x>1</x><y>2</y></r>", &[]).expect("a");
        let b = parse(b"<r><y>2</y><x>1</x></r>", &[]).expect("b");
        assert!(diff(&a, &a).is_none());
        assert!(diff(&a, &b).is_some_and(|d| d.starts_with("/r/x")));
    }
}
