//! Plumbing shared by every KargoJet carrier crate, written once:
//!
//! - [`soap`]: SOAP 1.1/1.2 envelopes ([`soap::envelope`]) and reading the body or fault out of
//!   an answer ([`soap::body_of`]), tolerant of prefixes, declarations, BOMs and whitespace.
//! - [`xml`]: escaping and [`xml::XmlCursor`], a fast pull reader for hot-path parsing.
//! - [`http`]: [`http::CarrierHttp`], one reqwest client per carrier with per-operation
//!   timeouts, retries (idempotent requests only) with backoff, jitter and `Retry-After`.
//! - [`classify`]: transport failures → core errors with the right send state.
//! - [`cache`]: keyed lookups kept for a time to live, one fetch in flight per key.
//! - [`capture`]: the last exchanges, and masking of personal data before logging.
//! - [`dates`]: carrier date formats in Turkey time.
//! - [`json`]: decimals as exact JSON numbers, loosely typed scalars read as text.
//! - [`json_pull`]: [`json_pull::JsonReader`], the JSON pull reader of the tracking hot paths.
//! - [`number`]: carrier numbers to decimals, plain spellings parsed directly.
//! - [`phrases`]: which of an ordered list of phrases a text contains, in one pass.
//! - [`scan`]: eight-bytes-at-a-time byte searches for the hot-path readers.
//! - [`token`]: token caches with early refresh, single flight and refresh-once-on-401.
//! - `sim` (feature `sim`): the simulator framework — server, faults, timelines.
//!
//! A carrier call, end to end:
//!
//! ```no_run
//! use kargojet_carrier_common::{http::{CarrierHttp, HttpConfig, OutgoingRequest}, soap};
//! use kargojet_core::carrier::CarrierId;
//!
//! # async fn demo() -> Result<(), kargojet_core::Error> {
//! let carrier = CarrierId::Ptt;
//! let http = CarrierHttp::new(carrier.clone(), HttpConfig::default())?;
//! let env = soap::envelope(soap::SoapVersion::V12, None, "<ns:barkodSorgu xmlns:ns=\"urn:x\"/>");
//! let resp = http
//!     .send(OutgoingRequest::post("barkodSorgu", "http://127.0.0.1:8080/Sorgu").soap(soap::SoapVersion::V12, "urn:barkodSorgu", env).idempotent())
//!     .await?;
//! resp.check_status(&carrier)?;
//! let text = resp.text();
//! match soap::body_of(&text).map_err(|e| e.into_core(carrier.clone(), &text))? {
//!     soap::SoapBody::Payload { inner_xml, .. } => println!("{inner_xml}"),
//!     soap::SoapBody::Fault(f) => return Err(f.into_core(carrier)),
//! }
//! # Ok(()) }
//! ```

pub mod cache;
pub mod capture;
pub mod classify;
pub mod dates;
pub mod error;
pub mod http;
pub mod json;
pub mod json_pull;
pub mod number;
pub mod phrases;
pub mod scan;
#[cfg(feature = "sim")]
pub mod sim;
pub mod soap;
pub mod token;
pub mod xml;

pub use error::SoapError;
pub use http::{CarrierHttp, HttpConfig, OutgoingRequest, RawResponse};
pub use soap::{SoapBody, SoapFault, SoapVersion};
pub use token::{Token, TokenCache};
