//! Fuzz target: any bytes given to MNG's cancel answer parsers (REST cancelorder and the legacy return cancel) give a value or an error, never a panic.
#![no_main]

use kargojet_mng::map::{self, legacy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_cancel(200, data);
    let _ = map::parse_cancel(400, data);
    if let Ok(text) = legacy::result_text(200, data, "GelecekIadeSiparisIptali") {
        let _ = legacy::check_ok(&text);
    }
});
