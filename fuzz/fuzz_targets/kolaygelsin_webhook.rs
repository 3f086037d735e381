//! Fuzz target: any bytes given to Kolay Gelsin's webhook push parser (with and without authentication) give a value or an error, never a panic.
#![no_main]

use kargojet_kolaygelsin::webhook::{self, WebhookAuth, WebhookConfig};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = webhook::parse(data);
    let cfg = WebhookConfig {
        auth: WebhookAuth::hash("kg-hash"),
        customer_id: Some(29),
    };
    let _ = webhook::receive(&cfg, &[("X-KolayGelsin-Hash", "kg-hash")], data);
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = WebhookAuth::Basic {
        username: "kg".into(),
        password: "p".into(),
    }
    .check(&[("Authorization", text.as_str())]);
});
