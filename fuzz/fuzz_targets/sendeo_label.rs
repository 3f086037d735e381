//! Fuzz target: any bytes given to Sendeo's GETBARCODE parser (ZPL, ZPLs or a Base64 document) give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::LabelFormat;
use kargojet_sendeo::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_label(200, data, LabelFormat::Zpl);
    let _ = map::parse_label(200, data, LabelFormat::Pdf);
});
