//! One SOAP call to either Aras service over common's HTTP client: envelope, SOAPAction,
//! deadline, retries only for safe operations, and the body decoded strictly as UTF-8.

use crate::map;
use kargojet_carrier_common::http::{CarrierHttp, OutgoingRequest, RawResponse};
use kargojet_carrier_common::soap::{self, SoapBody, SoapVersion};
use kargojet_core::carrier::CarrierId;
use kargojet_core::error::Result;
use std::time::Duration;

/// What to send.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    /// Operation name (for logs, capture and errors).
    pub op: &'static str,
    /// Service URL.
    pub url: &'a str,
    /// SOAPAction value.
    pub action: String,
    /// The operation element, already serialized.
    pub body_xml: String,
    /// Deadline of one attempt.
    pub timeout: Duration,
    /// Safe to repeat (queries, lookups, cancel); never `SetOrder`.
    pub idempotent: bool,
}

/// The body as UTF-8 text; anything else (a legacy Windows-1254 answer, UTF-16) is
/// `protocol.malformed` carrying the lossily decoded body.
pub fn decode(resp: &RawResponse) -> Result<String> {
    if resp.body.starts_with(&[0xFF, 0xFE]) || resp.body.starts_with(&[0xFE, 0xFF]) {
        return Err(kargojet_core::Error::protocol(
            Some(CarrierId::Aras),
            "UTF-16 answer",
            resp.text(),
        ));
    }
    match std::str::from_utf8(&resp.body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(kargojet_core::Error::protocol(
            Some(CarrierId::Aras),
            format!("answer is not UTF-8: {e}"),
            resp.text(),
        )),
    }
}

/// Sends a call and returns the answer body. HTTP 500 carrying a SOAP fault (how ASMX and WCF
/// report faults) becomes the fault's error; any other non-2xx status is a transport error.
pub async fn send(http: &CarrierHttp, call: Call<'_>) -> Result<String> {
    let env = soap::envelope(SoapVersion::V11, None, &call.body_xml);
    let mut req = OutgoingRequest::post(call.op, call.url)
        .soap(SoapVersion::V11, &call.action, env)
        .timeout(call.timeout);
    if call.idempotent {
        req = req.idempotent();
    }
    let resp = http.send(req).await?;
    if !resp.is_success() {
        if let Ok(SoapBody::Fault(f)) = soap::body_of_bytes(&resp.body) {
            return Err(crate::error::fault(&f.code, &f.reason));
        }
        resp.check_status(&CarrierId::Aras)?;
    }
    let body = decode(&resp)?;
    // Parsing happens in `map`; an empty 200 is already malformed here.
    if body.trim().is_empty() {
        return Err(map::empty_body(&body));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet_core::error::Code;

    #[test]
    fn non_utf8_answers_are_protocol_errors_with_the_body() {
        // "ŞUBE" in Windows-1254: 0xDE is Ş.
        let resp = RawResponse {
            status: 200,
            headers: vec![],
            body: b"<a>\xDEUBE</a>".to_vec(),
        };
        let e = decode(&resp).err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::ProtocolMalformed));
        assert!(
            e.and_then(|e| e.raw().map(|r| r.contains("UBE")))
                .unwrap_or(false)
        );
        let utf16 = RawResponse {
            status: 200,
            headers: vec![],
            body: vec![0xFF, 0xFE, b'<', 0],
        };
        assert!(decode(&utf16).is_err());
    }
}
