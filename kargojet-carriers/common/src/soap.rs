//! SOAP 1.1 and 1.2: writing envelopes and reading the body (or the fault) out of an answer.
//!
//! ```
//! use kargojet_carrier_common::soap::{body_of, envelope, SoapBody, SoapVersion};
//!
//! let env = envelope(SoapVersion::V11, None, "<ns:ping xmlns:ns=\"urn:x\"><a>1</a></ns:ping>");
//! assert!(env.starts_with("<soapenv:Envelope"));
//! assert_eq!(SoapVersion::V11.content_type(None), "text/xml; charset=utf-8");
//!
//! match body_of(&env)? {
//!     SoapBody::Payload { element, inner_xml } => {
//!         assert_eq!(element, "ping");
//!         assert_eq!(inner_xml, "<ns:ping xmlns:ns=\"urn:x\"><a>1</a></ns:ping>");
//!     }
//!     SoapBody::Fault(f) => panic!("unexpected fault {f:?}"),
//! }
//! # Ok::<(), kargojet_carrier_common::SoapError>(())
//! ```

use crate::error::SoapError;
use crate::xml::{Element, XmlCursor};
use kargojet_core::carrier::CarrierId;

/// SOAP 1.1 envelope namespace.
pub const NS_SOAP11: &str = "http://schemas.xmlsoap.org/soap/envelope/";
/// SOAP 1.2 envelope namespace.
pub const NS_SOAP12: &str = "http://www.w3.org/2003/05/soap-envelope";

/// The SOAP version of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SoapVersion {
    /// SOAP 1.1: `text/xml` plus a separate `SOAPAction` header.
    V11,
    /// SOAP 1.2: `application/soap+xml` with the action inside the content type.
    V12,
}

impl SoapVersion {
    /// The envelope namespace URI.
    pub fn namespace(self) -> &'static str {
        match self {
            SoapVersion::V11 => NS_SOAP11,
            SoapVersion::V12 => NS_SOAP12,
        }
    }

    /// The prefix [`envelope`] writes: `soapenv` for 1.1, `soap` for 1.2.
    pub fn prefix(self) -> &'static str {
        match self {
            SoapVersion::V11 => "soapenv",
            SoapVersion::V12 => "soap",
        }
    }

    /// The `Content-Type` header. For 1.2 the action (if any) goes into it as `action="..."`;
    /// for 1.1 it is sent separately with [`SoapVersion::soap_action_header`].
    pub fn content_type(self, action: Option<&str>) -> String {
        match (self, action) {
            (SoapVersion::V11, _) => "text/xml; charset=utf-8".to_string(),
            (SoapVersion::V12, Some(a)) => {
                format!("application/soap+xml; charset=utf-8; action=\"{a}\"")
            }
            (SoapVersion::V12, None) => "application/soap+xml; charset=utf-8".to_string(),
        }
    }

    /// The `SOAPAction` header value for 1.1, quoted as the specification writes it
    /// (`""` for an empty action, as Yurtiçi expects). `None` for 1.2.
    pub fn soap_action_header(self, action: &str) -> Option<String> {
        match self {
            SoapVersion::V11 => Some(format!("\"{action}\"")),
            SoapVersion::V12 => None,
        }
    }

    /// The version whose namespace is `uri`.
    pub fn from_namespace(uri: &str) -> Option<SoapVersion> {
        match uri {
            NS_SOAP11 => Some(SoapVersion::V11),
            NS_SOAP12 => Some(SoapVersion::V12),
            _ => None,
        }
    }
}

/// Writes a complete envelope around `body_xml` (and `header_xml`, if given). Both are
/// inserted verbatim: they must already be well-formed, escaped XML.
pub fn envelope(version: SoapVersion, header_xml: Option<&str>, body_xml: &str) -> String {
    let p = version.prefix();
    let ns = version.namespace();
    let mut out = String::with_capacity(body_xml.len() + header_xml.map_or(0, str::len) + 160);
    out.push('<');
    out.push_str(p);
    out.push_str(":Envelope xmlns:");
    out.push_str(p);
    out.push_str("=\"");
    out.push_str(ns);
    out.push_str("\">");
    match header_xml {
        Some(h) => {
            out.push_str(&format!("<{p}:Header>"));
            out.push_str(h);
            out.push_str(&format!("</{p}:Header>"));
        }
        None => out.push_str(&format!("<{p}:Header/>")),
    }
    out.push_str(&format!("<{p}:Body>"));
    out.push_str(body_xml);
    out.push_str(&format!("</{p}:Body></{p}:Envelope>"));
    out
}

/// A SOAP fault, for either version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SoapFault {
    /// `faultcode` (1.1) or `Code/Value` (1.2, with the first `Subcode/Value` appended after
    /// a `/` when present), e.g. `soap:Server`.
    pub code: String,
    /// `faultstring` (1.1) or the first `Reason/Text` (1.2).
    pub reason: String,
    /// The raw XML inside `detail` / `Detail`, if any.
    pub detail: Option<String>,
}

impl SoapFault {
    /// The core error for a fault: `carrier.rejected` with the fault code as the carrier code.
    pub fn into_core(self, carrier: CarrierId) -> kargojet_core::Error {
        kargojet_core::Error::rejected(carrier, self.code, self.reason)
    }
}

/// What a SOAP body holds: the first child element, or a fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SoapBody<'a> {
    /// The answer element.
    Payload {
        /// Local name of the first child of `Body` (e.g. `createShipmentResponse`).
        element: &'a str,
        /// The whole first child element, start tag to end tag, as a slice of the input.
        inner_xml: &'a str,
    },
    /// A SOAP fault.
    Fault(SoapFault),
}

/// Reads a SOAP answer given as bytes: rejects non-UTF-8 (and UTF-16) bodies with
/// [`SoapError::Encoding`] instead of guessing, then calls [`body_of`].
pub fn body_of_bytes(raw: &[u8]) -> Result<SoapBody<'_>, SoapError> {
    if raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF]) {
        return Err(SoapError::Encoding("UTF-16 byte order mark".into()));
    }
    let text = std::str::from_utf8(raw).map_err(|e| SoapError::Encoding(e.to_string()))?;
    body_of(text)
}

/// Finds the body of a SOAP 1.1 or 1.2 envelope. Any prefix is accepted, as are an XML
/// declaration, a BOM, comments and whitespace. The whole document must be well formed: a
/// truncated envelope is an error even when the payload itself is complete.
pub fn body_of(raw: &str) -> Result<SoapBody<'_>, SoapError> {
    match open_body(raw)? {
        BodyStart::Fault(f) => Ok(SoapBody::Fault(f)),
        BodyStart::Payload {
            element,
            mut cursor,
        } => {
            let inner_xml = cursor.raw_element(&element)?;
            cursor.finish()?;
            Ok(SoapBody::Payload {
                element: element.local_name(),
                inner_xml,
            })
        }
    }
}

/// The start of a SOAP body, for single-pass parsing (see [`open_body`]).
#[derive(Debug)]
pub enum BodyStart<'a> {
    /// The first child of `Body`; `cursor` stands just after its start tag.
    Payload {
        /// The first child of `Body` (e.g. `queryShipmentResponse`).
        element: Element<'a>,
        /// A cursor inside `element`: read it with `next_child(&element)`, then call
        /// [`XmlCursor::finish`] to check that the rest of the envelope is complete.
        cursor: XmlCursor<'a>,
    },
    /// A SOAP fault (the whole document was checked).
    Fault(SoapFault),
}

/// Opens a SOAP answer and stops at the first child of `Body`, so the carrier's parser reads
/// the payload in the same pass (the hot path: [`body_of`] walks the payload once more).
/// Checks the same things as [`body_of`] up to the payload; the rest is checked by
/// [`XmlCursor::finish`].
pub fn open_body(raw: &str) -> Result<BodyStart<'_>, SoapError> {
    let text = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if text.trim().is_empty() {
        return Err(SoapError::Empty);
    }
    if text.contains('\0') {
        return Err(SoapError::Encoding(
            "NUL byte in text (UTF-16 read as UTF-8?)".into(),
        ));
    }
    let start = text.trim_start();
    if !start.starts_with('<') {
        let head: String = start.chars().take(16).collect();
        return Err(SoapError::xml(0, format!("not XML: starts with {head:?}")));
    }
    let mut cur = XmlCursor::new(text);
    let env = cur.next_element()?.ok_or(SoapError::Empty)?;
    if env.local_name() != "Envelope" {
        return Err(SoapError::NotEnvelope(env.qualified_name().to_string()));
    }
    while let Some(child) = cur.next_child(&env)? {
        if child.local_name() != "Body" {
            cur.skip(&child)?;
            continue;
        }
        let first = cur.next_child(&child)?.ok_or(SoapError::EmptyBody)?;
        if first.local_name() == "Fault" {
            let fault = read_fault(&mut cur, &first)?;
            cur.finish()?;
            return Ok(BodyStart::Fault(fault));
        }
        return Ok(BodyStart::Payload {
            element: first,
            cursor: cur,
        });
    }
    cur.finish()?;
    Err(SoapError::NoBody)
}

fn read_fault<'a>(cur: &mut XmlCursor<'a>, fault: &Element<'a>) -> Result<SoapFault, SoapError> {
    let mut code = String::new();
    let mut reason = String::new();
    let mut detail = None;
    while let Some(ch) = cur.next_child(fault)? {
        match ch.local_name() {
            "faultcode" => code = cur.text_trimmed(&ch)?.into_owned(),
            "faultstring" => reason = cur.text_trimmed(&ch)?.into_owned(),
            "detail" | "Detail" => detail = Some(inner_of(cur.raw_element(&ch)?).to_string()),
            "Code" => code = read_code12(cur, &ch)?,
            "Reason" => {
                while let Some(t) = cur.next_child(&ch)? {
                    if t.local_name() == "Text" && reason.is_empty() {
                        reason = cur.text_trimmed(&t)?.into_owned();
                    } else {
                        cur.skip(&t)?;
                    }
                }
            }
            _ => cur.skip(&ch)?,
        }
    }
    Ok(SoapFault {
        code,
        reason,
        detail,
    })
}

/// SOAP 1.2 `Code`: `Value`, plus the first `Subcode/Value` after a `/`.
fn read_code12<'a>(cur: &mut XmlCursor<'a>, code_el: &Element<'a>) -> Result<String, SoapError> {
    let mut code = String::new();
    while let Some(ch) = cur.next_child(code_el)? {
        match ch.local_name() {
            "Value" => code = cur.text_trimmed(&ch)?.into_owned(),
            "Subcode" => {
                let sub = read_code12(cur, &ch)?;
                if !sub.is_empty() {
                    code = format!("{code}/{sub}");
                }
            }
            _ => cur.skip(&ch)?,
        }
    }
    Ok(code)
}

/// The content between the start and end tag of an element's raw XML.
fn inner_of(raw: &str) -> &str {
    if raw.ends_with("/>") {
        return "";
    }
    let start = raw.find('>').map_or(0, |i| i + 1);
    let end = raw.rfind("</").unwrap_or(raw.len());
    raw.get(start..end).unwrap_or("").trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn payload(raw: &str) -> (String, String) {
        match body_of(raw) {
            Ok(SoapBody::Payload { element, inner_xml }) => (element.into(), inner_xml.into()),
            other => panic!("expected payload, got {other:?}"),
        }
    }

    #[test]
    fn envelopes_round_trip_in_both_versions() {
        for v in [SoapVersion::V11, SoapVersion::V12] {
            let body = "<tns:kabulEkle2 xmlns:tns=\"http://kabul.ptt\"><input><a>Ş&amp;Ç</a></input></tns:kabulEkle2>";
            let env = envelope(v, Some("<h:Auth xmlns:h=\"urn:h\">x</h:Auth>"), body);
            assert!(env.contains(v.namespace()));
            assert!(env.starts_with(&format!("<{}:Envelope", v.prefix())));
            assert_eq!(payload(&env), ("kabulEkle2".to_string(), body.to_string()));
        }
    }

    #[test]
    fn content_types_follow_each_version() {
        assert_eq!(
            SoapVersion::V11.content_type(Some("x")),
            "text/xml; charset=utf-8"
        );
        assert_eq!(
            SoapVersion::V11.soap_action_header("").as_deref(),
            Some("\"\"")
        );
        assert_eq!(
            SoapVersion::V12.content_type(Some("urn:kabulEkle2")),
            "application/soap+xml; charset=utf-8; action=\"urn:kabulEkle2\""
        );
        assert_eq!(SoapVersion::V12.soap_action_header("a"), None);
        assert_eq!(
            SoapVersion::from_namespace(NS_SOAP12),
            Some(SoapVersion::V12)
        );
    }

    #[test]
    fn any_prefix_declaration_bom_and_comments_are_accepted() {
        let raw = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- c -->\n<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\">\n  <S:Body>\n    <ns2:queryShipmentResponse xmlns:ns2=\"http://yurticikargo.com.tr/ShippingOrderDispatcherServices\"><ShippingDeliveryVO><outFlag>0</outFlag></ShippingDeliveryVO></ns2:queryShipmentResponse>\n  </S:Body>\n</S:Envelope>\n";
        let (el, inner) = payload(raw);
        assert_eq!(el, "queryShipmentResponse");
        assert!(inner.starts_with("<ns2:queryShipmentResponse"));
        assert!(inner.ends_with("</ns2:queryShipmentResponse>"));
        let unprefixed = "<Envelope xmlns=\"http://www.w3.org/2003/05/soap-envelope\"><Body><r/></Body></Envelope>";
        assert_eq!(payload(unprefixed), ("r".to_string(), "<r/>".to_string()));
    }

    #[test]
    fn faults_parse_in_both_versions() {
        let f11 = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Kullanıcı adı &amp; şifre hatalı</faultstring><detail><e>1</e></detail></soap:Fault></soap:Body></soap:Envelope>";
        assert_eq!(
            body_of(f11),
            Ok(SoapBody::Fault(SoapFault {
                code: "soap:Server".into(),
                reason: "Kullanıcı adı & şifre hatalı".into(),
                detail: Some("<e>1</e>".into()),
            }))
        );
        let f12 = "<env:Envelope xmlns:env=\"http://www.w3.org/2003/05/soap-envelope\"><env:Body><env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>m:BadAuth</env:Value></env:Subcode></env:Code><env:Reason><env:Text xml:lang=\"tr\">Yetkisiz</env:Text><env:Text xml:lang=\"en\">Unauthorized</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>";
        match body_of(f12) {
            Ok(SoapBody::Fault(f)) => {
                assert_eq!(f.code, "env:Sender/m:BadAuth");
                assert_eq!(f.reason, "Yetkisiz");
                assert_eq!(f.detail, None);
                let e = f.into_core(CarrierId::Ptt);
                assert_eq!(e.carrier_code(), Some("env:Sender/m:BadAuth"));
            }
            other => panic!("expected fault, got {other:?}"),
        }
    }

    #[test]
    fn open_body_reads_the_payload_in_one_pass() -> Result<(), SoapError> {
        let env = envelope(
            SoapVersion::V11,
            None,
            "<r:resp xmlns:r=\"urn:r\"><code>7</code><x><y/></x></r:resp>",
        );
        let BodyStart::Payload {
            element,
            mut cursor,
        } = open_body(&env)?
        else {
            return Err(SoapError::Missing("payload".into()));
        };
        assert_eq!(element.local_name(), "resp");
        let code = cursor
            .next_child(&element)?
            .ok_or(SoapError::Missing("code".into()))?;
        assert_eq!(cursor.text(&code)?, "7");
        cursor.finish()?;
        // The cut is after the payload: only `finish` sees it.
        let cut = &env[..env.len() - "</soapenv:Envelope>".len()];
        let BodyStart::Payload {
            element,
            mut cursor,
        } = open_body(cut)?
        else {
            return Err(SoapError::Missing("payload".into()));
        };
        cursor.skip(&element)?;
        assert!(matches!(cursor.finish(), Err(SoapError::Truncated(_))));
        Ok(())
    }

    #[test]
    fn bad_input_is_an_error_never_a_panic() {
        let full = envelope(SoapVersion::V11, None, "<r><a>1</a></r>");
        for cut in 0..full.len() {
            assert!(
                body_of(&full[..cut]).is_err(),
                "prefix of {cut} bytes parsed"
            );
        }
        assert_eq!(body_of(""), Err(SoapError::Empty));
        assert_eq!(body_of("  \n"), Err(SoapError::Empty));
        assert!(matches!(
            body_of("<html><body>502</body></html>"),
            Err(SoapError::NotEnvelope(_))
        ));
        assert!(matches!(body_of("{\"a\":1}"), Err(SoapError::Xml { .. })));
        let no_body = "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Header/></s:Envelope>";
        assert_eq!(body_of(no_body), Err(SoapError::NoBody));
        let empty_body = "<s:Envelope xmlns:s=\"x\"><s:Body>  </s:Body></s:Envelope>";
        assert_eq!(body_of(empty_body), Err(SoapError::EmptyBody));
        let utf16: Vec<u8> = "\u{feff}<a/>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(matches!(body_of_bytes(&utf16), Err(SoapError::Encoding(_))));
        assert!(matches!(
            body_of_bytes(b"<a>\xfe\xff</a>"),
            Err(SoapError::Encoding(_))
        ));
        let lossy = String::from_utf8_lossy(&utf16).into_owned();
        assert!(matches!(body_of(&lossy), Err(SoapError::Encoding(_))));
    }
}
