//! Fuzz target: any bytes given to Aras's `cancel` answer parser give a value or an error (a
//! protocol error keeps the raw body), never a panic.
#![no_main]

use kargojet_aras::map;
use libfuzzer_sys::fuzz_target;

fn check(raw: &str, err: Option<kargojet_core::Error>) {
    if let Some(raw_kept) = err.as_ref().and_then(|e| e.raw()) {
        assert_eq!(raw_kept, raw, "protocol error lost the raw body");
    }
}

fuzz_target!(|data: &[u8]| {
    // The transport rejects non-UTF-8 bodies before parsing; the parsers see text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    check(text, map::parse_cancel(text).err());
});
