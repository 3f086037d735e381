//! Label inputs from untrusted sources: a template (JSON and TOML, with a base64 logo), a logo's
//! bytes, and a label whose texts and keys are arbitrary. Must give a typed error or a label,
//! never a panic.
#![no_main]

use kargojet_core::label::image::LogoImage;
use kargojet_core::label::{Dpi, LabelData, LabelParty, LabelRenderer, LabelTemplate};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn renderer() -> &'static LabelRenderer {
    static R: OnceLock<LabelRenderer> = OnceLock::new();
    R.get_or_init(|| LabelRenderer::new().expect("fonts"))
}

fuzz_target!(|data: &[u8]| {
    let _ = LogoImage::decode(data, "logo");
    let text = String::from_utf8_lossy(data);
    let tpl = LabelTemplate::from_json(&text)
        .or_else(|_| LabelTemplate::from_toml(&text))
        .unwrap_or_default();
    let mut parts = text.split('|').map(str::to_string);
    let mut next = || parts.next().unwrap_or_default();
    let party = |name: String, line: String| LabelParty {
        name,
        address_line: line,
        district: "Kadıköy".into(),
        province: "İstanbul".into(),
        phone: "5321234567".into(),
    };
    let sender = party(next(), next());
    let recipient = party(next(), next());
    let mut label = LabelData::new(
        next(),
        sender,
        recipient,
        next(),
        Default::default(),
        Default::default(),
        Default::default(),
    );
    label.note = Some(next());
    label.qr = Some(next()).filter(|q| !q.is_empty());
    let r = renderer();
    let _ = r.render_zpl(std::slice::from_ref(&label), &tpl, Dpi::D203);
    let _ = r.render_pdf(std::slice::from_ref(&label), &tpl);
});
