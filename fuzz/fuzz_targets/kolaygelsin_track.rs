//! Fuzz target: any bytes given to Kolay Gelsin's tracking answer parser give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_kolaygelsin::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KJ2400000601".into());
    if let Ok(Some(t)) = map::parse_track(200, data, &key, None) {
        let leg = t.clone();
        let _ = map::tracking_update(map::with_return_leg(t, &leg), String::new());
    }
    let _ = map::parse_track(200, data, &key, Some("884213"));
});
