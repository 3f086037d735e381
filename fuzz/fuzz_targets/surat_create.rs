//! Fuzz target: any bytes given to Sürat's create answer parser(s) give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_surat::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = match map::text_of(data) {
        Ok(t) => t,
        Err(_) => return,
    };
    let key = MerchantKey("KJ2400000401".into());
    let _ = map::parse_create(text, &key);
    let _ = map::parse_create_with_barcode(text, &key);
});
