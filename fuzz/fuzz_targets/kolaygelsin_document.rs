//! Fuzz target: any bytes given to Kolay Gelsin's document and event-type answer parsers give a value or an error, never a panic.
#![no_main]

use kargojet_kolaygelsin::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_document(200, data);
    let _ = map::parse_event_types(200, data);
});
