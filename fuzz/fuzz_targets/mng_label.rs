//! Fuzz target: any bytes given as a createbarcode answer (MNG's ZPL label source) give a label, no label or an error, never a panic; a ZPL label keeps the received bytes.
#![no_main]

use kargojet_core::shipment::MerchantKey;
use kargojet_mng::map;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let key = MerchantKey("KJ2400000201".into());
    if let Ok(created) = map::parse_create_barcode(200, data, &key) {
        if let Some(label) = created.label {
            assert!(
                String::from_utf8_lossy(&label.bytes)
                    .trim_start()
                    .starts_with("^XA")
            );
        }
    }
});
