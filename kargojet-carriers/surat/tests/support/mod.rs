//! Test helpers: fixture loading and XML tree comparison (namespaces, names, text, order).
#![allow(dead_code, clippy::unwrap_used)]

pub mod domain;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use quick_xml::reader::NsReader;
use std::path::PathBuf;

/// Path of a fixture file.
pub fn fixture_path(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel)
}

/// A fixture file's text.
pub fn fixture(rel: &str) -> String {
    std::fs::read_to_string(fixture_path(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// A fixture file as JSON.
pub fn fixture_json(rel: &str) -> serde_json::Value {
    serde_json::from_str(&fixture(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// Splits a verbatim HTTP request fixture into (request line, headers, body).
pub fn http_parts(raw: &str) -> (String, Vec<(String, String)>, String) {
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((raw.as_str(), ""));
    let mut lines = head.lines();
    let first = lines.next().unwrap_or("").to_string();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    (first, headers, body.to_string())
}

/// An XML element: (namespace URI, local name), attributes other than namespace declarations,
/// trimmed text and children in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub ns: Option<String>,
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub text: String,
    pub children: Vec<Node>,
}

fn node(ns: Option<String>, s: &quick_xml::events::BytesStart<'_>) -> Node {
    let attrs = s
        .attributes()
        .flatten()
        .filter(|a| {
            let k = a.key.into_inner();
            k != "xmlns" && !k.starts_with("xmlns:")
        })
        .map(|a| {
            (
                a.key.local_name().into_inner().to_string(),
                kargojet_carrier_common::xml::unescape(a.value.as_ref()).into_owned(),
            )
        })
        .collect();
    Node {
        ns,
        name: s.local_name().into_inner().to_string(),
        attrs,
        text: String::new(),
        children: Vec::new(),
    }
}

fn attach(stack: &mut [Node], root: &mut Option<Node>, n: Node) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(n),
        None => *root = Some(n),
    }
}

/// Parses a document into its root element tree (texts trimmed, entities resolved).
pub fn tree(xml: &str) -> Node {
    let mut r = NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    let mut root = None;
    loop {
        let (res, ev) = r
            .read_resolved_event()
            .unwrap_or_else(|e| panic!("bad XML: {e}\n{xml}"));
        let ns = match res {
            ResolveResult::Bound(n) => Some(n.0.to_string()),
            _ => None,
        };
        match ev {
            Event::Start(s) => stack.push(node(ns, &s)),
            Event::Empty(s) => {
                let n = node(ns, &s);
                attach(&mut stack, &mut root, n);
            }
            Event::End(_) => {
                let mut n = stack.pop().unwrap();
                n.text = n.text.trim().to_string();
                attach(&mut stack, &mut root, n);
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some(top) = stack.last_mut() {
                    top.text.push_str(&t.xml10_content());
                }
            }
            Event::GeneralRef(g) => {
                if let Some(top) = stack.last_mut() {
                    let name: &str = g.as_ref();
                    let c = match name {
                        "amp" => "&".to_string(),
                        "lt" => "<".to_string(),
                        "gt" => ">".to_string(),
                        "quot" => "\"".to_string(),
                        "apos" => "'".to_string(),
                        _ => g
                            .resolve_char_ref()
                            .ok()
                            .flatten()
                            .map(String::from)
                            .unwrap_or_default(),
                    };
                    top.text.push_str(&c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    root.expect("a root element")
}
