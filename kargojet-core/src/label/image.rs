//! The seller's logo: PNG decoded and checked with the `png` crate, JPEG checked by reading its
//! frame header and embedded as is (DCTDecode). Anything else is `label.invalid_logo`.

use crate::error::{Code, Error, Result};

/// Largest logo side in pixels.
pub const MAX_SIDE: u32 = 4096;

/// A decoded, validated logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoImage {
    /// PNG pixels, 8 bits per channel.
    Png {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// 1 (gray) or 3 (RGB) channels, row-major, no alpha.
        channels: u8,
        /// Pixel bytes.
        pixels: Vec<u8>,
        /// Alpha channel (one byte per pixel), if the PNG had one.
        alpha: Option<Vec<u8>>,
    },
    /// A baseline or progressive JPEG, kept as its bytes.
    Jpeg {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// 1 (gray), 3 (YCbCr/RGB) or 4 (CMYK) components.
        components: u8,
        /// The JPEG file.
        bytes: Vec<u8>,
    },
}

fn bad(field: &str, detail: impl Into<String>) -> Error {
    Error::invalid(Code::LabelInvalidLogo, field, detail)
}

impl LogoImage {
    /// Decodes PNG or JPEG bytes; `field` names the template field (`logo`).
    pub fn decode(bytes: &[u8], field: &str) -> Result<LogoImage> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            decode_png(bytes, field)
        } else if bytes.starts_with(&[0xFF, 0xD8]) {
            decode_jpeg(bytes, field)
        } else {
            Err(bad(
                field,
                format!("{} bytes that are neither PNG nor JPEG", bytes.len()),
            ))
        }
    }

    /// Width and height in pixels.
    pub fn size(&self) -> (u32, u32) {
        match self {
            LogoImage::Png { width, height, .. } | LogoImage::Jpeg { width, height, .. } => {
                (*width, *height)
            }
        }
    }

    /// Luminance 0–255 of pixel (x, y) composited on white, for monochrome printers; `None`
    /// for JPEG (not decoded).
    pub fn luma(&self, x: u32, y: u32) -> Option<u8> {
        match self {
            LogoImage::Png {
                width,
                channels,
                pixels,
                alpha,
                ..
            } => {
                let i = (y as usize) * (*width as usize) + x as usize;
                let c = usize::from(*channels);
                let v = if c == 1 {
                    u32::from(*pixels.get(i)?)
                } else {
                    let p = pixels.get(i * c..i * c + 3)?;
                    (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2])) / 1000
                };
                let a = alpha
                    .as_ref()
                    .map_or(255, |a| u32::from(a.get(i).copied().unwrap_or(255)));
                Some(((v * a + 255 * (255 - a)) / 255) as u8)
            }
            LogoImage::Jpeg { .. } => None,
        }
    }
}

fn decode_png(bytes: &[u8], field: &str) -> Result<LogoImage> {
    let mut decoder = png::Decoder::new(bytes);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| bad(field, format!("PNG header: {e}")))?;
    let (w, h) = (reader.info().width, reader.info().height);
    if w == 0 || h == 0 || w > MAX_SIDE || h > MAX_SIDE {
        return Err(bad(
            field,
            format!("PNG of {w}×{h} px; at most {MAX_SIDE}×{MAX_SIDE}"),
        ));
    }
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| bad(field, format!("PNG data: {e}")))?;
    buf.truncate(info.buffer_size());
    let n = (w as usize) * (h as usize);
    let (channels, pixels, alpha) = match info.color_type {
        png::ColorType::Grayscale => (1, buf, None),
        png::ColorType::Rgb => (3, buf, None),
        png::ColorType::GrayscaleAlpha => {
            let (mut p, mut a) = (Vec::with_capacity(n), Vec::with_capacity(n));
            for px in buf.chunks_exact(2) {
                p.push(px[0]);
                a.push(px[1]);
            }
            (1, p, Some(a))
        }
        png::ColorType::Rgba => {
            let (mut p, mut a) = (Vec::with_capacity(n * 3), Vec::with_capacity(n));
            for px in buf.chunks_exact(4) {
                p.extend_from_slice(&px[..3]);
                a.push(px[3]);
            }
            (3, p, Some(a))
        }
        png::ColorType::Indexed => return Err(bad(field, "indexed PNG was not expanded")),
    };
    if pixels.len() != n * usize::from(channels) {
        return Err(bad(field, "PNG pixel data is truncated"));
    }
    Ok(LogoImage::Png {
        width: w,
        height: h,
        channels,
        pixels,
        alpha,
    })
}

fn decode_jpeg(bytes: &[u8], field: &str) -> Result<LogoImage> {
    let mut i = 2;
    while i + 4 <= bytes.len() {
        if bytes[i] != 0xFF {
            return Err(bad(field, format!("JPEG marker expected at byte {i}")));
        }
        let marker = bytes[i + 1];
        if marker == 0xFF {
            i += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if len < 2 || i + 2 + len > bytes.len() {
            return Err(bad(field, "JPEG segment runs past the end"));
        }
        let is_sof = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_sof {
            let seg = &bytes[i + 4..i + 2 + len];
            if seg.len() < 6 {
                return Err(bad(field, "JPEG frame header is too short"));
            }
            let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
            let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
            let components = seg[5];
            if seg[0] != 8 || !matches!(components, 1 | 3 | 4) {
                return Err(bad(
                    field,
                    format!(
                        "JPEG with {}-bit samples and {components} components is not supported",
                        seg[0]
                    ),
                ));
            }
            if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
                return Err(bad(
                    field,
                    format!("JPEG of {width}×{height} px; at most {MAX_SIDE}×{MAX_SIDE}"),
                ));
            }
            if !bytes.ends_with(&[0xFF, 0xD9]) {
                return Err(bad(field, "JPEG has no end-of-image marker"));
            }
            return Ok(LogoImage::Jpeg {
                width,
                height,
                components,
                bytes: bytes.to_vec(),
            });
        }
        i += 2 + len;
    }
    Err(bad(field, "JPEG has no frame header"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 2×1 RGBA PNG written with the png crate: one black and one transparent pixel.
    pub(crate) fn tiny_png() -> Vec<u8> {
        let mut out = Vec::new();
        {
            let mut enc = png::Encoder::new(&mut out, 2, 1);
            enc.set_color(png::ColorType::Rgba);
            enc.set_depth(png::BitDepth::Eight);
            let mut w = enc.write_header().expect("header");
            w.write_image_data(&[0, 0, 0, 255, 0, 0, 0, 0])
                .expect("data");
        }
        out
    }

    #[test]
    fn png_logos_decode_with_alpha() -> Result<()> {
        let img = LogoImage::decode(&tiny_png(), "logo")?;
        assert_eq!(img.size(), (2, 1));
        assert_eq!(img.luma(0, 0), Some(0));
        assert_eq!(img.luma(1, 0), Some(255));
        Ok(())
    }

    #[test]
    fn broken_images_are_invalid_logo_errors() {
        let mut truncated = tiny_png();
        truncated.truncate(truncated.len() - 20);
        let jpeg_no_sof = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xD9];
        for bytes in [&b"GIF89a...."[..], &truncated, &jpeg_no_sof, b""] {
            let e = LogoImage::decode(bytes, "logo").err();
            assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::LabelInvalidLogo));
            assert_eq!(e.as_ref().and_then(|e| e.field()), Some("logo"));
        }
    }

    #[test]
    fn jpeg_frame_headers_are_read() -> Result<()> {
        // SOI, SOF0 (8-bit, 16×8, 3 components), EOI: enough for the header check.
        let mut j = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 8, 0, 8, 0, 16, 3];
        j.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        j.extend_from_slice(&[0xFF, 0xD9]);
        let img = LogoImage::decode(&j, "logo")?;
        assert_eq!(img.size(), (16, 8));
        Ok(())
    }
}
