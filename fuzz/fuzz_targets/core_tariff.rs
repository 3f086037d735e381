//! Any bytes as a tariff CSV or TOML file: an error or a tariff, never a panic; a tariff that
//! loads prices every zone and desi without panicking.
#![no_main]
use kargojet_core::geo::Plate;
use kargojet_core::pricing::{Route, Tariff};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(tariffs) = Tariff::from_csv(text) {
        for t in tariffs {
            let (Some(a), Some(b)) = (Plate::new(34), Plate::new(65)) else { return };
            if let Some(z) = t.zone_of(&Route::between(a, b)) {
                for d in [0i64, 1, 150, 3000, 100_000] {
                    let _ = t.price(z, Decimal::new(d, 2));
                }
            }
        }
    }
    let _ = Tariff::from_toml(text);
});
