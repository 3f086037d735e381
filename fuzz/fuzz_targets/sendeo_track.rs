//! Fuzz target: any bytes given to Sendeo's TRACKDELIVERY parsers (tracking update, lookup by reference) give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_sendeo::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KJ2400000701".into());
    let _ = map::parse_track(200, data);
    let _ = map::parse_track(500, data);
    let _ = map::parse_lookup(200, data, &key);
});
