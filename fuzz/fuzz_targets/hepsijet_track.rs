//! Fuzz target: any bytes given to HepsiJET's track summary and history parsers give a value or an error, never a panic.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_hepsijet::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KRJ2403120001".into());
    let summary = map::parse_summary(200, data, &key);
    let history = map::parse_history(200, data, &key);
    if let (Ok(Some(s)), Ok(h)) = (summary, history) {
        let _ = map::tracking_update(s, h, String::new());
    }
});
