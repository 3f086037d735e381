//! Raw request/response capture for debugging, and masking of personal data (KVKK) before
//! anything reaches a log.
//!
//! ```
//! use kargojet_carrier_common::capture::{mask_xml_and_json, DEFAULT_SENSITIVE};
//!
//! let xml = "<receiverCustName>Ayşe Yılmaz</receiverCustName><receiverPhone1>5321234567</receiverPhone1><cargoKey>K1</cargoKey>";
//! assert_eq!(
//!     mask_xml_and_json(xml, DEFAULT_SENSITIVE),
//!     "<receiverCustName>A*** Y*****</receiverCustName><receiverPhone1>532*****67</receiverPhone1><cargoKey>K1</cargoKey>"
//! );
//! let json = r#"{"receiver":{"fullName":"Ali Veli","city":"İzmir"},"barcode":"B1"}"#;
//! assert_eq!(mask_xml_and_json(json, DEFAULT_SENSITIVE), r#"{"receiver":{"fullName":"A** V***","city":"İ****"},"barcode":"B1"}"#);
//! ```

use kargojet_core::address::{mask_phone, mask_text};
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

/// Name fragments whose elements/keys hold personal data or secrets (matched
/// case-insensitively against the local name). Phones (`phone`, `tel`, `gsm`) keep their
/// first 3 and last 2 digits; everything else keeps each word's first letter.
pub const DEFAULT_SENSITIVE: &[&str] = &[
    "name", "phone", "tel", "gsm", "address", "adres", "email", "mail", "tckn", "receiver",
    "alici", "password", "sifre", "şifre", "secret", "token", "identity",
];

const PHONE_NAMES: &[&str] = &["phone", "tel", "gsm"];

/// One HTTP exchange as it went over the wire (bodies lossily decoded; secrets in headers are
/// not kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// Operation name (`createShipment`, `track`).
    pub op: &'static str,
    /// Full URL.
    pub url: String,
    /// Attempt number, starting at 1.
    pub attempt: u32,
    /// HTTP status, if an answer arrived.
    pub status: Option<u16>,
    /// Request body.
    pub request_body: String,
    /// Response body (empty when there was no answer).
    pub response_body: String,
    /// Transport error text, when the attempt failed.
    pub error: Option<String>,
    /// Time from sending to the end of the body (or the failure).
    pub elapsed: Duration,
}

impl Exchange {
    /// A copy with personal data masked in both bodies.
    pub fn masked(&self) -> Exchange {
        Exchange {
            url: mask_url_query(&self.url, DEFAULT_SENSITIVE),
            request_body: mask_xml_and_json(&self.request_body, DEFAULT_SENSITIVE),
            response_body: mask_xml_and_json(&self.response_body, DEFAULT_SENSITIVE),
            ..self.clone()
        }
    }

    /// Logs the exchange (masked) at `debug` level.
    pub fn log(&self, carrier: &str) {
        if tracing::enabled!(tracing::Level::DEBUG) {
            let m = self.masked();
            tracing::debug!(
                carrier,
                op = m.op,
                url = %m.url,
                attempt = m.attempt,
                status = ?m.status,
                elapsed_ms = u64::try_from(m.elapsed.as_millis()).unwrap_or(u64::MAX),
                error = ?m.error,
                request = %m.request_body,
                response = %m.response_body,
                "carrier exchange"
            );
        }
    }
}

/// A bounded ring of the last exchanges.
#[derive(Debug)]
pub struct CaptureRing {
    cap: usize,
    ring: Mutex<VecDeque<Exchange>>,
}

impl CaptureRing {
    /// A ring keeping at most `cap` exchanges (0 keeps none).
    pub fn new(cap: usize) -> Self {
        CaptureRing {
            cap,
            ring: Mutex::new(VecDeque::with_capacity(cap.min(64))),
        }
    }

    /// Adds an exchange, dropping the oldest when full.
    pub fn push(&self, ex: Exchange) {
        if self.cap == 0 {
            return;
        }
        let mut r = self.ring.lock().unwrap_or_else(|p| p.into_inner());
        while r.len() >= self.cap {
            r.pop_front();
        }
        r.push_back(ex);
    }

    /// The kept exchanges, oldest first.
    pub fn snapshot(&self) -> Vec<Exchange> {
        self.ring
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .cloned()
            .collect()
    }

    /// Forgets every kept exchange.
    pub fn clear(&self) {
        self.ring.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }
}

/// Masks the values of query parameters whose name contains a sensitive name (some carriers,
/// e.g. Sürat's REST tracking, put a password in the query string).
pub fn mask_url_query(url: &str, sensitive_names: &[&str]) -> String {
    let Some((base, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let names: Vec<String> = sensitive_names
        .iter()
        .map(|n| n.to_ascii_lowercase())
        .collect();
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, v))
                if !v.is_empty()
                    && names
                        .iter()
                        .any(|n| k.to_ascii_lowercase().contains(n.as_str())) =>
            {
                format!("{k}=***")
            }
            _ => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", parts.join("&"))
}

/// Masks personal data in an XML or JSON text (or XML carrying JSON in a text node, as Aras
/// and Sürat send). Text of elements, and string values of keys, whose local name contains
/// one of `sensitive_names` (case-insensitive) is masked, including everything nested inside
/// them. Never fails: text that is neither is returned unchanged.
pub fn mask_xml_and_json(text: &str, sensitive_names: &[&str]) -> String {
    let names: Vec<String> = sensitive_names.iter().map(|n| n.to_lowercase()).collect();
    let t = text.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        mask_json(text, &names)
    } else if t.starts_with('<') {
        mask_xml(text, &names)
    } else {
        text.to_string()
    }
}

/// How a name matched: not at all, as a phone, or as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sensitivity {
    None,
    Phone,
    Text,
}

fn sensitivity(local: &str, names: &[String]) -> Sensitivity {
    let l = local.to_lowercase();
    match names.iter().find(|n| l.contains(n.as_str())) {
        None => Sensitivity::None,
        Some(n) if PHONE_NAMES.contains(&n.as_str()) => Sensitivity::Phone,
        Some(_) => Sensitivity::Text,
    }
}

fn mask_value(s: &str, how: Sensitivity) -> String {
    match how {
        Sensitivity::None => s.to_string(),
        Sensitivity::Phone => mask_phone(s),
        Sensitivity::Text => mask_preserving_space(s),
    }
}

/// `mask_text` keeping the leading/trailing whitespace (pretty-printed XML stays readable).
fn mask_preserving_space(s: &str) -> String {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return s.to_string();
    }
    let lead = &s[..s.len() - s.trim_start().len()];
    let trail = &s[s.trim_end().len()..];
    format!("{lead}{}{trail}", mask_text(trimmed))
}

fn mask_xml(text: &str, names: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    // Stack of open elements: their sensitivity.
    let mut stack: Vec<Sensitivity> = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        match rest.find('<') {
            None => {
                out.push_str(&mask_text_node(rest, &stack, names));
                break;
            }
            Some(lt) => {
                out.push_str(&mask_text_node(&rest[..lt], &stack, names));
                rest = &rest[lt..];
                if let Some(after) = rest.strip_prefix("<![CDATA[") {
                    let end = after.find("]]>").unwrap_or(after.len());
                    out.push_str("<![CDATA[");
                    out.push_str(&mask_text_node(&after[..end], &stack, names));
                    rest = &after[end..];
                    continue;
                }
                let gt = rest.find('>').map_or(rest.len(), |i| i + 1);
                let tag = &rest[..gt];
                out.push_str(tag);
                rest = &rest[gt..];
                if tag.starts_with("<?") || tag.starts_with("<!") {
                    continue;
                }
                if let Some(name) = tag.strip_prefix("</") {
                    let _ = name;
                    stack.pop();
                    continue;
                }
                if tag.ends_with("/>") {
                    continue;
                }
                let name_end = tag[1..]
                    .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .map_or(tag.len(), |i| i + 1);
                let qname = &tag[1..name_end];
                let local = qname.rsplit_once(':').map_or(qname, |(_, l)| l);
                let inherited = stack
                    .iter()
                    .rev()
                    .copied()
                    .find(|s| *s != Sensitivity::None);
                let own = sensitivity(local, names);
                stack.push(if own != Sensitivity::None {
                    own
                } else {
                    inherited.unwrap_or(Sensitivity::None)
                });
            }
        }
    }
    out
}

fn mask_text_node(node: &str, stack: &[Sensitivity], names: &[String]) -> String {
    let how = stack.last().copied().unwrap_or(Sensitivity::None);
    if how != Sensitivity::None {
        return mask_value(node, how);
    }
    let t = node.trim_start();
    if t.starts_with('{') || t.starts_with('[') || t.starts_with("&lt;") {
        // JSON or escaped XML carried as text: unescape, mask, re-escape.
        let unescaped = crate::xml::unescape(node);
        let masked = mask_xml_and_json(
            &unescaped,
            &names.iter().map(String::as_str).collect::<Vec<_>>(),
        );
        if masked != unescaped {
            return crate::xml::escape_text(&masked).into_owned();
        }
    }
    node.to_string()
}

/// One open JSON container.
struct Frame {
    object: bool,
    /// Sensitivity inherited by every value inside.
    inherited: Sensitivity,
    /// Sensitivity of the value following the key just read.
    pending: Sensitivity,
    expect_key: bool,
}

fn mask_json(text: &str, names: &[String]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut stack: Vec<Frame> = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                // Read the whole string literal (raw, with escapes).
                let start = i;
                let mut end = text.len();
                let mut escaped = false;
                for (j, d) in chars.by_ref() {
                    if escaped {
                        escaped = false;
                    } else if d == '\\' {
                        escaped = true;
                    } else if d == '"' {
                        end = j + 1;
                        break;
                    }
                }
                let lit = &text[start..end];
                let inner = lit
                    .strip_prefix('"')
                    .and_then(|l| l.strip_suffix('"'))
                    .unwrap_or(lit);
                match stack.last_mut() {
                    Some(f) if f.object && f.expect_key => {
                        let own = sensitivity(inner, names);
                        f.pending = if own != Sensitivity::None {
                            own
                        } else {
                            f.inherited
                        };
                        f.expect_key = false;
                        out.push_str(lit);
                    }
                    Some(f) => {
                        let how = if f.object { f.pending } else { f.inherited };
                        if how != Sensitivity::None {
                            out.push('"');
                            out.push_str(&mask_value(inner, how));
                            out.push('"');
                        } else {
                            out.push_str(lit);
                        }
                    }
                    None => out.push_str(lit),
                }
            }
            '{' | '[' => {
                let inherited = match stack.last() {
                    Some(f) if f.object => f.pending,
                    Some(f) => f.inherited,
                    None => Sensitivity::None,
                };
                stack.push(Frame {
                    object: c == '{',
                    inherited,
                    pending: inherited,
                    expect_key: c == '{',
                });
                out.push(c);
            }
            '}' | ']' => {
                stack.pop();
                out.push(c);
            }
            ',' => {
                if let Some(f) = stack.last_mut().filter(|f| f.object) {
                    f.expect_key = true;
                    f.pending = f.inherited;
                }
                out.push(c);
            }
            c if c.is_ascii_digit() || c == '-' => {
                // A bare number: masked like a phone when its key is sensitive.
                let start = i;
                let mut end = i + c.len_utf8();
                while let Some(&(j, d)) = chars.peek() {
                    if d.is_ascii_digit() || matches!(d, '.' | 'e' | 'E' | '+' | '-') {
                        end = j + d.len_utf8();
                        chars.next();
                    } else {
                        break;
                    }
                }
                let num = &text[start..end];
                let how = match stack.last() {
                    Some(f) if f.object => f.pending,
                    Some(f) => f.inherited,
                    None => Sensitivity::None,
                };
                if how != Sensitivity::None {
                    out.push('"');
                    out.push_str(&mask_phone(num));
                    out.push('"');
                } else {
                    out.push_str(num);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {

    #[test]
    fn passwords_in_query_strings_are_masked() {
        let url = "https://api.example/track?cariKodu=123&webSifre=gizli&takip=KJ1";
        assert_eq!(
            mask_url_query(url, DEFAULT_SENSITIVE),
            "https://api.example/track?cariKodu=123&webSifre=***&takip=KJ1"
        );
        assert_eq!(
            mask_url_query("http://h/x", DEFAULT_SENSITIVE),
            "http://h/x"
        );
    }

    use super::*;

    #[test]
    fn xml_masks_nested_and_prefixed_elements() {
        let xml = "<ns:Alici><ns:Il>İstanbul</ns:Il><Adres>Atatürk Cad. No 5</Adres></ns:Alici><ns:GsmNo>05321234567</ns:GsmNo><desi>3</desi><wsPassword>gizli123</wsPassword>";
        let m = mask_xml_and_json(xml, DEFAULT_SENSITIVE);
        assert_eq!(
            m,
            "<ns:Alici><ns:Il>İ*******</ns:Il><Adres>A****** C*** N* 5</Adres></ns:Alici><ns:GsmNo>053******67</ns:GsmNo><desi>3</desi><wsPassword>g*******</wsPassword>"
        );
    }

    #[test]
    fn json_inside_a_soap_string_is_masked_too() {
        let xml = "<QueryResult>{&quot;ALICI_ADI&quot;:&quot;Ayşe Kaya&quot;,&quot;DURUM_KODU&quot;:&quot;6&quot;}</QueryResult>";
        let m = mask_xml_and_json(xml, DEFAULT_SENSITIVE);
        assert!(m.contains("A*** K***"), "{m}");
        assert!(!m.contains("Ayşe"), "{m}");
        assert!(m.contains("DURUM_KODU"));
    }

    #[test]
    fn json_numbers_arrays_and_escapes() {
        let j = r#"[{"phone": 5321234567, "items": [{"name": "Kitap \"A\""}], "desi": 2.5, "emails": ["a@b.com"]}]"#;
        let m = mask_xml_and_json(j, DEFAULT_SENSITIVE);
        assert_eq!(
            m,
            r#"[{"phone": "532*****67", "items": [{"name": "K**** \****"}], "desi": 2.5, "emails": ["a******"]}]"#
        );
    }

    #[test]
    fn garbage_is_returned_unchanged_and_never_panics() {
        for s in [
            "plain text",
            "",
            "<unclosed",
            "{\"name\": \"unterminated",
            "<a><b></a>",
            "<x>ş</y>",
            "{]}",
        ] {
            let _ = mask_xml_and_json(s, DEFAULT_SENSITIVE);
        }
        assert_eq!(mask_xml_and_json("OK 200", DEFAULT_SENSITIVE), "OK 200");
    }

    #[test]
    fn masked_exchanges_hide_both_bodies() {
        let ex = Exchange {
            op: "createShipment",
            url: "http://127.0.0.1/ws".into(),
            attempt: 1,
            status: Some(200),
            request_body:
                "<receiverCustName>Ayşe Yılmaz</receiverCustName><wsPassword>p4ss</wsPassword>"
                    .into(),
            response_body: r#"{"receiverPhone":"5321234567","cargoKey":"K1"}"#.into(),
            error: None,
            elapsed: Duration::from_millis(3),
        };
        let m = ex.masked();
        assert!(
            !m.request_body.contains("Ayşe") && !m.request_body.contains("p4ss"),
            "{}",
            m.request_body
        );
        assert_eq!(
            m.response_body,
            r#"{"receiverPhone":"532*****67","cargoKey":"K1"}"#
        );
        assert_eq!((m.op, m.status, m.attempt), (ex.op, ex.status, ex.attempt));
        ex.log("yurtici");
    }

    #[test]
    fn ring_keeps_the_last_n() {
        let ring = CaptureRing::new(2);
        for i in 0..3u32 {
            ring.push(Exchange {
                op: "track",
                url: "http://127.0.0.1/".into(),
                attempt: i,
                status: Some(200),
                request_body: String::new(),
                response_body: String::new(),
                error: None,
                elapsed: Duration::ZERO,
            });
        }
        let snap = ring.snapshot();
        assert_eq!(snap.iter().map(|e| e.attempt).collect::<Vec<_>>(), [1, 2]);
    }
}
