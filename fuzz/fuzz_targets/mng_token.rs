//! Fuzz target: any bytes given to MNG's token and CBS list parsers give a value or an error, never a panic.
#![no_main]

use kargojet_mng::map::{self, cbs};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_token(200, data);
    let _ = map::parse_token(401, data);
    let _ = cbs::parse_list(200, data);
});
