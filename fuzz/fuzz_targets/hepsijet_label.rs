//! Fuzz target: any bytes given to HepsiJET's label parsers (base64 PDF/PNG, ZPL text or JSON) give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::LabelFormat;
use kargojet_hepsijet::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_label(200, data, LabelFormat::Pdf);
    let _ = map::parse_zpl(200, data);
});
