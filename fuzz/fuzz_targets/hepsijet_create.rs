//! Fuzz target: any bytes given to HepsiJET's create answer parser give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_hepsijet::map::{self, Endpoint};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KRJ2403120001".into());
    let _ = map::parse_create(200, data, &key, 1, Endpoint::Standard);
    let _ = map::parse_create(400, data, &key, 2, Endpoint::Xl);
});
