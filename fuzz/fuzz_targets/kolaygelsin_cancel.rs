//! Fuzz target: any bytes given to Kolay Gelsin's cancel answer parser (and the shared envelope reader) give a value or an error, never a panic.
#![no_main]

use kargojet_kolaygelsin::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_cancel(200, data);
    let _ = map::parse_cancel(500, data);
    let _ = map::answer::<serde_json::Value>(200, data);
});
