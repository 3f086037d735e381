//! The seller's label template (serde; JSON or TOML): size, which fields show, logo, note, font
//! size and phone masking. [`LabelTemplate::validate`] names the offending field.

use crate::error::{Code, Error, Result};
use serde::{Deserialize, Serialize};

/// A label size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LabelSize {
    /// 10 × 15 cm thermal label.
    #[default]
    #[serde(rename = "thermal_10x15")]
    Thermal10x15,
    /// 10 × 10 cm thermal label.
    #[serde(rename = "thermal_10x10")]
    Thermal10x10,
    /// A6 (105 × 148 mm).
    A6,
    /// A4 sheet with 4 A6 labels (2 × 2).
    #[serde(rename = "a4_4up")]
    A4FourUp,
}

impl LabelSize {
    /// Every size with its template name.
    pub const ALL: [(LabelSize, &'static str); 4] = [
        (LabelSize::Thermal10x15, "thermal_10x15"),
        (LabelSize::Thermal10x10, "thermal_10x10"),
        (LabelSize::A6, "a6"),
        (LabelSize::A4FourUp, "a4_4up"),
    ];

    /// Parses a template size name; an unknown name is `label.unknown_size` at `field`.
    pub fn parse(name: &str, field: &str) -> Result<LabelSize> {
        LabelSize::ALL
            .iter()
            .find(|(_, n)| *n == name.trim())
            .map(|(s, _)| *s)
            .ok_or_else(|| {
                Error::invalid(
                    Code::LabelUnknownSize,
                    field,
                    format!(
                        "'{name}' is not a label size (thermal_10x15, thermal_10x10, a6, a4_4up)"
                    ),
                )
            })
    }

    /// The template name.
    pub fn name(self) -> &'static str {
        match self {
            LabelSize::Thermal10x15 => "thermal_10x15",
            LabelSize::Thermal10x10 => "thermal_10x10",
            LabelSize::A6 => "a6",
            LabelSize::A4FourUp => "a4_4up",
        }
    }

    /// Size of one label in mm (width, height).
    pub fn label_mm(self) -> (f32, f32) {
        match self {
            LabelSize::Thermal10x15 => (100.0, 150.0),
            LabelSize::Thermal10x10 => (100.0, 100.0),
            LabelSize::A6 | LabelSize::A4FourUp => (105.0, 148.0),
        }
    }

    /// Size of the printed page in mm (an A4 sheet for 4-up).
    pub fn page_mm(self) -> (f32, f32) {
        match self {
            LabelSize::A4FourUp => (210.0, 297.0),
            other => other.label_mm(),
        }
    }

    /// Labels per page.
    pub fn per_page(self) -> usize {
        if self == LabelSize::A4FourUp { 4 } else { 1 }
    }

    /// Offset in mm (from the top-left of the page) of slot `slot` on a page.
    pub fn slot_offset_mm(self, slot: usize) -> (f32, f32) {
        match self {
            LabelSize::A4FourUp => {
                let (w, h) = self.label_mm();
                let top = (297.0 - 2.0 * h) / 2.0;
                ((slot % 2) as f32 * w, top + (slot / 2) as f32 * h)
            }
            _ => (0.0, 0.0),
        }
    }
}

/// Which optional parts of the label are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LabelFields {
    /// The sender block.
    pub sender: bool,
    /// The sender's phone inside the sender block.
    pub sender_phone: bool,
    /// The recipient's phone.
    pub recipient_phone: bool,
    /// The seller's order number.
    pub order_id: bool,
    /// The carrier's tracking number (when known) under the barcode.
    pub tracking_number: bool,
    /// Desi and kg.
    pub desi_kg: bool,
    /// The QR code (when the label has a QR payload).
    pub qr: bool,
    /// The shipment date.
    pub date: bool,
    /// The note.
    pub note: bool,
    /// The logo.
    pub logo: bool,
}

impl Default for LabelFields {
    fn default() -> Self {
        LabelFields {
            sender: true,
            sender_phone: true,
            recipient_phone: true,
            order_id: true,
            tracking_number: true,
            desi_kg: true,
            qr: true,
            date: true,
            note: true,
            logo: true,
        }
    }
}

/// A seller's logo: PNG or JPEG bytes (base64 in JSON/TOML).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Logo(pub Vec<u8>);

impl std::fmt::Debug for Logo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Logo({} bytes)", self.0.len())
    }
}

impl TryFrom<String> for Logo {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Logo, String> {
        base64_decode(&s)
            .map(Logo)
            .ok_or_else(|| "logo is not valid base64".to_string())
    }
}

impl From<Logo> for String {
    fn from(l: Logo) -> String {
        base64_encode(&l.0)
    }
}

/// Smallest and largest allowed base font size (points).
pub const FONT_SIZE_RANGE: (f32, f32) = (6.0, 14.0);
/// Longest allowed note, in characters.
pub const NOTE_MAX_CHARS: usize = 300;

/// A label template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LabelTemplate {
    /// Label size.
    pub size: LabelSize,
    /// Which optional fields show.
    pub fields: LabelFields,
    /// The seller's logo.
    pub logo: Option<Logo>,
    /// A free note printed on every label (a label's own note replaces it).
    pub note: Option<String>,
    /// Base font size in points for address text (6–14; other texts scale with it).
    pub font_size: f32,
    /// Mask phone numbers (`0532*****67`) instead of printing them in full.
    pub mask_phone: bool,
}

impl Default for LabelTemplate {
    fn default() -> Self {
        LabelTemplate {
            size: LabelSize::Thermal10x15,
            fields: LabelFields::default(),
            logo: None,
            note: None,
            font_size: 10.0,
            mask_phone: true,
        }
    }
}

impl LabelTemplate {
    /// Reads a template from JSON; errors are `label.unknown_size` (field `size`) or
    /// `label.invalid_template`, then [`LabelTemplate::validate`] runs.
    pub fn from_json(text: &str) -> Result<LabelTemplate> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            Error::invalid(Code::LabelInvalidTemplate, "", format!("not JSON: {e}"))
        })?;
        if let Some(size) = value.get("size") {
            LabelSize::parse(size.as_str().unwrap_or_default(), "size")?;
        }
        let t: LabelTemplate = serde_json::from_value(value).map_err(|e| {
            Error::invalid(
                Code::LabelInvalidTemplate,
                field_of(&e.to_string()),
                e.to_string(),
            )
        })?;
        t.validate()?;
        Ok(t)
    }

    /// Reads a template from TOML, with the same checks as [`LabelTemplate::from_json`].
    pub fn from_toml(text: &str) -> Result<LabelTemplate> {
        let value: toml::Table = toml::from_str(text).map_err(|e| {
            Error::invalid(Code::LabelInvalidTemplate, "", format!("not TOML: {e}"))
        })?;
        if let Some(size) = value.get("size") {
            LabelSize::parse(size.as_str().unwrap_or_default(), "size")?;
        }
        let t: LabelTemplate = value.try_into().map_err(|e: toml::de::Error| {
            Error::invalid(
                Code::LabelInvalidTemplate,
                field_of(e.message()),
                e.message().to_string(),
            )
        })?;
        t.validate()?;
        Ok(t)
    }

    /// Checks the font size, the note and the logo; the error names the field.
    pub fn validate(&self) -> Result<()> {
        let (lo, hi) = FONT_SIZE_RANGE;
        if !(lo..=hi).contains(&self.font_size) {
            return Err(Error::invalid(
                Code::LabelInvalidTemplate,
                "font_size",
                format!("{} pt is outside {lo}–{hi} pt", self.font_size),
            ));
        }
        if let Some(note) = &self.note {
            let n = note.chars().count();
            if n > NOTE_MAX_CHARS {
                return Err(Error::invalid(
                    Code::LabelInvalidTemplate,
                    "note",
                    format!("{n} characters, at most {NOTE_MAX_CHARS}"),
                ));
            }
        }
        if let Some(logo) = &self.logo {
            crate::label::image::LogoImage::decode(&logo.0, "logo")?;
        }
        Ok(())
    }
}

/// Best-effort field name from a serde message such as "unknown field `sise`, expected …".
fn field_of(msg: &str) -> String {
    msg.split('`').nth(1).unwrap_or("").to_string()
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(B64[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64 (padding optional, whitespace ignored); `None` if malformed.
pub fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut ended = false;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        if c == b'=' {
            ended = true;
            continue;
        }
        if ended {
            return None;
        }
        let v = B64.iter().position(|&x| x == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for data in [&b""[..], b"a", b"ab", b"abc", b"\x00\xff\x10KargoJet"] {
            assert_eq!(base64_decode(&base64_encode(data)).as_deref(), Some(data));
        }
        assert_eq!(base64_encode(b"Man"), "TWFu");
        assert_eq!(base64_decode("TQ=="), Some(b"M".to_vec()));
        assert_eq!(base64_decode("T*=="), None);
    }

    #[test]
    fn json_and_toml_templates_parse_and_validate() -> Result<()> {
        let t = LabelTemplate::from_json(
            r#"{"size":"a4_4up","mask_phone":false,"font_size":9,"fields":{"qr":false}}"#,
        )?;
        assert_eq!(t.size, LabelSize::A4FourUp);
        assert!(!t.fields.qr && t.fields.sender);
        let t = LabelTemplate::from_toml("size = \"thermal_10x10\"\nnote = \"Kırılacak eşya\"\n")?;
        assert_eq!(t.size, LabelSize::Thermal10x10);
        assert_eq!(t.note.as_deref(), Some("Kırılacak eşya"));
        Ok(())
    }

    #[test]
    fn bad_templates_name_the_field() {
        let e = LabelTemplate::from_json(r#"{"size":"thermal_20x30"}"#).err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::LabelUnknownSize));
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("size"));
        let e = LabelTemplate::from_toml("size = \"letter\"").err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::LabelUnknownSize));
        let e = LabelTemplate::from_json(r#"{"font_size":40}"#).err();
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("font_size"));
        let e = LabelTemplate::from_json(r#"{"sise":"a6"}"#).err();
        assert_eq!(
            e.as_ref().map(|e| e.code()),
            Some(Code::LabelInvalidTemplate)
        );
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("sise"));
        let e = LabelTemplate::from_json(r#"{"logo":"bm90IGFuIGltYWdl"}"#).err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::LabelInvalidLogo));
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("logo"));
        let e = LabelTemplate::from_json(&format!(r#"{{"note":"{}"}}"#, "x".repeat(301))).err();
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("note"));
    }
}
