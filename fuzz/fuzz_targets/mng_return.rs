//! Fuzz target: any bytes given to MNG's legacy future-return answers (the create result and the status DataSet) give a value or an error, never a panic.
#![no_main]

use kargojet_mng::map::legacy;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = legacy::result_text(200, data, "GelecekIadeSiparisKayit") {
        let _ = legacy::check_ok(&text);
    }
    let _ = legacy::parse_status(200, data);
    let _ = legacy::parse_status(500, data);
});
