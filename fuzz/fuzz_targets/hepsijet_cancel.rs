//! Fuzz target: any bytes given to HepsiJET's cancel answer parser give a value or an error, never a panic.
#![no_main]

use kargojet_hepsijet::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_cancel(200, data);
    let _ = map::parse_cancel(409, data);
});
