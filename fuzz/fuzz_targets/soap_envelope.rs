//! Any bytes into the shared SOAP reader, the XML cursor and the log masker: an error or a
//! value, never a panic; a payload is always a slice of the input.
#![no_main]

use kargojet_carrier_common::capture::{DEFAULT_SENSITIVE, mask_xml_and_json};
use kargojet_carrier_common::soap::{SoapBody, body_of, body_of_bytes};
use kargojet_carrier_common::xml::XmlCursor;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = body_of_bytes(data);
    let text = String::from_utf8_lossy(data);
    if let Ok(SoapBody::Payload { inner_xml, element }) = body_of(&text) {
        assert!(text.contains(inner_xml));
        assert!(inner_xml.contains(element));
    }
    let mut cur = XmlCursor::new(&text);
    let mut steps = 0;
    while let Ok(Some(el)) = cur.next_element() {
        let _ = if steps % 2 == 0 { cur.text(&el).map(|_| ()) } else { cur.skip(&el) };
        steps += 1;
    }
    let _ = mask_xml_and_json(&text, DEFAULT_SENSITIVE);
});
