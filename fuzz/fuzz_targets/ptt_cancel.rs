//! Fuzz target: PTT `cancel` response parser — any bytes give a value or a typed error, never a
//! panic, and a protocol error keeps the raw body.
#![no_main]

use kargojet_core::Code;
use kargojet_ptt::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = map::parse_cancel(data) {
        if e.code() == Code::ProtocolMalformed {
            assert_eq!(
                e.raw().map(str::len),
                Some(String::from_utf8_lossy(data).len())
            );
        }
    }
});
