//! Any bytes as a JSON shipment draft (API bodies, FFI records): validation gives a request
//! or a typed error, never a panic.
#![no_main]
use kargojet_core::shipment::ShipmentDraft;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(draft) = serde_json::from_slice::<ShipmentDraft>(data) {
        if let Err(e) = draft.validate() {
            assert!(!e.code().as_str().is_empty());
            let _ = (e.message_tr(), e.message_en());
        }
    }
});
