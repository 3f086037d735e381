//! Fuzz target: any bytes given to Sendeo's CANCELDELIVERY and CARGOMEASUREMENTUPDATE parsers give a value or an error, never a panic.
#![no_main]

use kargojet_sendeo::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_cancel(200, data);
    let _ = map::parse_cancel(500, data);
    let _ = map::parse_measurement(200, data);
});
