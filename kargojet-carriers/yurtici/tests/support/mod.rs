//! Test helpers: fixture loading, XML trees compared by namespace, local name, text and order,
//! and the domain shipment behind the notes' examples.
#![allow(dead_code)]

use kargojet_core::carrier::{AccountId, CreateRequest};
use kargojet_core::money::Money;
use kargojet_core::parcel::Parcel;
use kargojet_core::shipment::{
    AddressDraft, CodPayment, MerchantKey, PartyDraft, ShipmentDraft, ShipmentRequest,
};
use quick_xml::NsReader;
use quick_xml::events::Event;
use quick_xml::name::ResolveResult;
use rust_decimal::Decimal;
use std::path::PathBuf;

/// The fixtures directory.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// A fixture's text.
pub fn fixture(rel: &str) -> String {
    std::fs::read_to_string(fixtures().join(rel)).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

/// The namespace declarations the notes' request fragments use without declaring.
pub const REQUEST_ENVELOPE_OPEN: &str = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ship=\"http://yurticikargo.com.tr/ShippingOrderDispatcherServices\"><soapenv:Body>";
/// Closes [`REQUEST_ENVELOPE_OPEN`].
pub const ENVELOPE_CLOSE: &str = "</soapenv:Body></soapenv:Envelope>";

/// Wraps a request fragment of the notes (`<ship:queryShipment>…`) in an envelope that declares
/// `ship`, as the notes' createShipment example does.
pub fn wrap_request(fragment: &str) -> String {
    format!("{REQUEST_ENVELOPE_OPEN}{}{ENVELOPE_CLOSE}", fragment.trim())
}

/// Wraps a response fragment (`<ns2:queryShipmentResponse …>`) in a SOAP 1.1 envelope, unless it
/// already is one.
pub fn wrap_response(fragment: &str) -> String {
    if fragment.contains("Envelope") {
        return fragment.to_string();
    }
    format!(
        "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>{}</S:Body></S:Envelope>",
        fragment.trim()
    )
}

/// The body of an HTTP request fixture (after the blank line).
pub fn http_body(http: &str) -> &str {
    http.split_once("\n\n").map(|(_, b)| b).unwrap_or(http)
}

/// An XML element as compared by the golden tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Namespace URI, `None` when unqualified.
    pub ns: Option<String>,
    /// Local name.
    pub local: String,
    /// Trimmed text content.
    pub text: String,
    /// Child elements in order.
    pub children: Vec<Node>,
}

/// Parses a document into its element tree (comments, declarations and whitespace ignored).
pub fn tree(xml: &str) -> Node {
    let mut r = NsReader::from_str(xml);
    let mut stack: Vec<Node> = Vec::new();
    loop {
        let (res, ev) = r
            .read_resolved_event()
            .unwrap_or_else(|e| panic!("bad XML: {e}\n{xml}"));
        let ns = match res {
            ResolveResult::Bound(n) => Some(n.into_inner().to_string()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(p) => panic!("unknown prefix {p}"),
        };
        match ev {
            Event::Start(e) => stack.push(Node {
                ns,
                local: e.local_name().as_ref().to_string(),
                text: String::new(),
                children: vec![],
            }),
            Event::Empty(e) => {
                let n = Node {
                    ns,
                    local: e.local_name().as_ref().to_string(),
                    text: String::new(),
                    children: vec![],
                };
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => return n,
                }
            }
            Event::Text(t) => {
                if let Some(top) = stack.last_mut() {
                    let s = quick_xml::escape::unescape(&t.xml10_content())
                        .map(|c| c.into_owned())
                        .unwrap_or_default();
                    top.text.push_str(&s);
                }
            }
            Event::GeneralRef(g) => {
                if let Some(top) = stack.last_mut() {
                    let name = g.xml10_content().into_owned();
                    let s = quick_xml::escape::unescape(&format!("&{name};"))
                        .map(|c| c.into_owned())
                        .unwrap_or_default();
                    top.text.push_str(&s);
                }
            }
            Event::End(_) => {
                let mut n = stack.pop().expect("balanced");
                n.text = n.text.trim().to_string();
                match stack.last_mut() {
                    Some(p) => p.children.push(n),
                    None => return n,
                }
            }
            Event::Eof => panic!("no root element"),
            _ => {}
        }
    }
}

/// The first element inside `Body` of an envelope (or the root if it is not an envelope).
pub fn body_element(xml: &str) -> Node {
    let root = tree(xml);
    if root.local != "Envelope" {
        return root;
    }
    root.children
        .into_iter()
        .find(|c| c.local == "Body")
        .and_then(|b| b.children.into_iter().next())
        .expect("body element")
}

/// Paths where two trees differ (empty when equal).
pub fn diff(a: &Node, b: &Node) -> Vec<String> {
    let mut out = Vec::new();
    diff_into(a, b, &a.local, &mut out);
    out
}

fn diff_into(a: &Node, b: &Node, path: &str, out: &mut Vec<String>) {
    if a.ns != b.ns || a.local != b.local {
        out.push(format!(
            "{path}: {:?}:{} vs {:?}:{}",
            a.ns, a.local, b.ns, b.local
        ));
        return;
    }
    if a.text != b.text {
        out.push(format!("{path}: text {:?} vs {:?}", a.text, b.text));
    }
    let n = a.children.len().max(b.children.len());
    for i in 0..n {
        match (a.children.get(i), b.children.get(i)) {
            (Some(x), Some(y)) => diff_into(x, y, &format!("{path}/{}", x.local), out),
            (Some(x), None) => out.push(format!("{path}: extra {}", x.local)),
            (None, Some(y)) => out.push(format!("{path}: missing {}", y.local)),
            (None, None) => {}
        }
    }
}

/// The domain shipment behind the notes' createShipment example (COD cash 249.90 TL).
pub fn example_shipment(cod: Option<CodPayment>) -> ShipmentRequest {
    let draft = ShipmentDraft {
        sender: PartyDraft {
            name: "Ada Tekstil Ltd.".into(),
            phone: "02161234567".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Moda Cad. No 1".into(),
                postal_code: None,
            },
        },
        recipient: PartyDraft {
            name: "Ayşe Demirtaş".into(),
            phone: "0216 333 44 55".into(),
            email: Some("ayse@example.com".into()),
            address: AddressDraft {
                province: "İSTANBUL".into(),
                district: "kadıköy".into(),
                line: "Çiçek Sok. No:4 D:2 Moda Mah.".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(
            Decimal::from(30),
            Decimal::from(20),
            Decimal::from(10),
            Decimal::new(15, 1),
        )],
        cod_amount: cod.map(|_| Money::try_lira(Decimal::new(24990, 2))),
        cod_payment: cod,
        order_id: Some("KJINV000017".into()),
        description: Some("Sipariş 17".into()),
        ..ShipmentDraft::default()
    };
    draft.validate().expect("the example shipment is valid")
}

/// A create request for `shipment` with `key`.
pub fn create_request(shipment: ShipmentRequest, key: &str) -> CreateRequest {
    CreateRequest {
        shipment,
        merchant_key: MerchantKey(key.into()),
        account: AccountId::platform(),
        service: None,
        billable_desi: Decimal::from(2),
        attempt: 0,
    }
}
