//! Fuzz target: any bytes given to Sendeo's GetCityDistricts parser give codes or an error, never a panic.
#![no_main]

use kargojet_core::geo::Plate;
use kargojet_sendeo::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(plate) = Plate::new(6) {
        if let Ok(codes) = map::parse_districts(200, data, plate) {
            let _ = codes.district_id("Çankaya");
        }
    }
});
