//! Fuzz target: any bytes given to Sendeo's SETDELIVERY answer parser give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_sendeo::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KJ2400000701".into());
    let _ = map::parse_create(200, data, &key, 1);
    let _ = map::parse_create(500, data, &key, 2);
});
