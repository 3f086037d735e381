//! Any bytes into Yurtiçi's create response parser: a value or a typed error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_yurtici::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = map::parse_create(data, &MerchantKey("KJ2400000017".into()));
});
