//! The crate's one error enum: why a SOAP envelope or an XML document could not be read.
//!
//! Carriers turn it into the core error with [`SoapError::into_core`], which keeps the raw body.

use kargojet_core::carrier::CarrierId;

/// Why a carrier's XML/SOAP answer could not be read. Every variant says what was wrong; none
/// carries the body itself (use [`SoapError::into_core`] to attach it).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SoapError {
    /// The body was empty or only whitespace.
    #[error("empty response body")]
    Empty,
    /// The bytes were not UTF-8 text (or were UTF-16, or contained NUL bytes).
    #[error("response is not UTF-8 text: {0}")]
    Encoding(String),
    /// The XML itself is broken at the given byte offset.
    #[error("malformed XML at byte {position}: {detail}")]
    Xml {
        /// Byte offset where the reader gave up.
        position: u64,
        /// What the reader said.
        detail: String,
    },
    /// The document ended before every element was closed.
    #[error("truncated XML: document ended inside <{0}>")]
    Truncated(String),
    /// The root element is not a SOAP `Envelope`.
    #[error("root element is <{0}>, not a SOAP Envelope")]
    NotEnvelope(String),
    /// The envelope has no `Body`.
    #[error("SOAP envelope has no Body")]
    NoBody,
    /// The `Body` has no child element.
    #[error("SOAP Body is empty")]
    EmptyBody,
    /// An expected element is missing (used by [`crate::xml::XmlCursor`] helpers and carriers).
    #[error("missing element <{0}>")]
    Missing(String),
    /// The cursor was asked to read an element it has already left.
    #[error("cursor is no longer inside <{0}>")]
    CursorPast(String),
}

impl SoapError {
    /// The core error for this failure: `protocol.malformed` for `carrier`, keeping `raw`
    /// (the body exactly as received) so nothing is lost.
    pub fn into_core(self, carrier: CarrierId, raw: &str) -> kargojet_core::Error {
        kargojet_core::Error::protocol(Some(carrier), self.to_string(), raw)
    }

    pub(crate) fn xml(position: u64, err: impl std::fmt::Display) -> Self {
        SoapError::Xml {
            position,
            detail: err.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kargojet_core::error::Code;

    #[test]
    fn into_core_is_protocol_and_keeps_the_raw_body() {
        let e = SoapError::Truncated("Body".into())
            .into_core(CarrierId::Ptt, "<soap:Envelope><soap:Body>");
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert_eq!(e.raw(), Some("<soap:Envelope><soap:Body>"));
        assert_eq!(e.carrier(), Some(&CarrierId::Ptt));
        assert!(e.message_en().contains("truncated"));
        assert!(e.message_tr().starts_with("Taşıyıcı yanıtı çözümlenemedi"));
    }
}
