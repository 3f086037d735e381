//! Fuzz target: any bytes given to MNG's createOrder and createbarcode answer parsers give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_mng::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KJ2400000201".into());
    let _ = map::parse_create_order(200, data);
    let _ = map::parse_create_order(500, data);
    let _ = map::parse_create_barcode(200, data, &key);
    let _ = map::parse_create_barcode(400, data, &key);
});
