//! Any bytes into Yurtiçi's return_code response parser: a value or a typed error, never a panic.
#![no_main]

use kargojet_yurtici::map;
use kargojet_yurtici::wire::Operation;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_return_code(Operation::SaveReturnShipmentCode, data);
    let _ = map::parse_return_code(Operation::CancelReturnShipmentCode, data);
});
