//! Fuzz target: any bytes given to MNG's status answer parser give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_mng::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KJ2400000201".into());
    for status in [200, 404] {
        if let Ok(record) = map::parse_status(status, data, &key, Some("30112345678")) {
            let _ = map::tracking_update(record, String::new());
        }
    }
});
