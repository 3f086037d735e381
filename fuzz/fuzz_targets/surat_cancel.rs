//! Fuzz target: any bytes given to Sürat's cancel answer parser(s) give a value or an error, never a panic.
#![no_main]

use kargojet_surat::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match map::text_of(data) {
        Ok(t) => t,
        Err(_) => return,
    };
    let _ = map::parse_cancel(text);
});
