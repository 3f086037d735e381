//! Fuzz target: any bytes given to Sendeo's LoginAES answer parser give a value or an error, never a panic.
#![no_main]

use kargojet_sendeo::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for status in [200u16, 401, 500] {
        let _ = map::parse_token(status, data);
    }
});
