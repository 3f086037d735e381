//! Sürat's tracking document read straight into [`wire::TrackingResponse`] with common's JSON
//! pull reader ([`kargojet_carrier_common::json_pull`]), borrowing every string that has no
//! escapes. Strict JSON (RFC 8259): control characters in strings, lone surrogates, trailing
//! garbage and nesting deeper than [`MAX_DEPTH`] are errors, never panics.
//!
//! [`wire::TrackingResponse`]: crate::wire::TrackingResponse

use crate::wire::{Movement, Text, TrackedShipment, TrackingResponse};
pub use kargojet_carrier_common::json_pull::{JsonError, MAX_DEPTH};
use kargojet_carrier_common::json_pull::{JsonReader, KeyMemo};

type R<T> = Result<T, JsonError>;

/// A string, number, boolean (`true`/`false`) or null, as text (`None` for null).
#[inline(always)]
fn scalar<'a>(r: &mut JsonReader<'a>) -> R<Option<Text<'a>>> {
    r.scalar_text("true", "false")
}

fn movement<'a>(r: &mut JsonReader<'a>, keys: &mut KeyMemo<'a>) -> R<Movement<'a>> {
    let mut m = Movement::default();
    // Movements repeat their keys in the same order: the reader checks them in place.
    r.object_memo(keys, |r, k| {
        match k.name {
            "Islem" => m.Islem = scalar(r)?,
            "IslemTarihi" => m.IslemTarihi = scalar(r)?,
            "KargoHareketKargonunDurumuSayi" => m.KargoHareketKargonunDurumuSayi = scalar(r)?,
            _ => r.skip()?,
        }
        Ok::<(), JsonError>(())
    })?;
    Ok(m)
}

fn shipment<'a>(r: &mut JsonReader<'a>) -> R<TrackedShipment<'a>> {
    let mut g = TrackedShipment::default();
    r.object(|r, k| {
        let slot = match k {
            "WebSiparisKodu" => &mut g.WebSiparisKodu,
            "KargoTakipNo" => &mut g.KargoTakipNo,
            "BarkodNo" => &mut g.BarkodNo,
            "KargonunDurumu" => &mut g.KargonunDurumu,
            "KargonunDurumuSayi" => &mut g.KargonunDurumuSayi,
            "TakipUrl" => &mut g.TakipUrl,
            "TeslimTarihi" => &mut g.TeslimTarihi,
            "TeslimAlan" => &mut g.TeslimAlan,
            "PlanlananTeslimTarihi" => &mut g.PlanlananTeslimTarihi,
            "IadeAciklama" => &mut g.IadeAciklama,
            "IadeDurum" => &mut g.IadeDurum,
            "DevirSebebi" => &mut g.DevirSebebi,
            "Tutar" => &mut g.Tutar,
            "TutarKdvsiz" => &mut g.TutarKdvsiz,
            "KdvTutar" => &mut g.KdvTutar,
            "ToplamDesiKg" => &mut g.ToplamDesiKg,
            "Hareketler" => {
                let mut list = Vec::with_capacity(16);
                let mut keys = KeyMemo::new();
                let present = r.array_or_null(|r| {
                    list.push(movement(r, &mut keys)?);
                    Ok::<(), JsonError>(())
                })?;
                g.Hareketler = present.then_some(list);
                return Ok(());
            }
            _ => return r.skip(),
        };
        *slot = scalar(r)?;
        Ok(())
    })?;
    Ok(g)
}

fn document<'a>(r: &mut JsonReader<'a>) -> R<TrackingResponse<'a>> {
    let mut is_error = None;
    let mut error_message = None;
    let mut gonderiler = None;
    r.object(|r, k| {
        match k {
            "IsError" => is_error = Some(r.boolean()?),
            "errorMessage" => error_message = scalar(r)?,
            "Gonderiler" => {
                let mut list = Vec::new();
                let present = r.array_or_null(|r| {
                    list.push(shipment(r)?);
                    Ok::<(), JsonError>(())
                })?;
                gonderiler = present.then_some(list);
            }
            _ => r.skip()?,
        }
        Ok::<(), JsonError>(())
    })?;
    let Some(is_error) = is_error else {
        return r.error("missing IsError");
    };
    Ok(TrackingResponse {
        is_error,
        error_message,
        gonderiler,
    })
}

/// Reads a tracking document.
pub fn tracking(src: &str) -> Result<TrackingResponse<'_>, JsonError> {
    let mut r = JsonReader::new(src);
    let doc = document(&mut r)?;
    r.end()?;
    Ok(doc)
}

/// Reads a JSON string document (a tracking document sent as a JSON string) into its text.
pub fn string_document(src: &str) -> Result<String, JsonError> {
    kargojet_carrier_common::json_pull::string_document(src)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    #[test]
    fn strings_borrow_unless_escaped() {
        let d = tracking(
            r#"{"IsError": true, "errorMessage": "kabul \"bekleniyor\" \u0131\ud83d\ude00", "x": [1, {"y": null}]}"#,
        );
        let d = d.ok();
        assert_eq!(
            d.as_ref().and_then(|d| d.error_message.as_deref()),
            Some("kabul \"bekleniyor\" ı😀")
        );
        let d = tracking(r#"{"IsError":false,"errorMessage":"ok"}"#).ok();
        assert!(matches!(
            d.and_then(|d| d.error_message),
            Some(Cow::Borrowed("ok"))
        ));
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        for bad in [
            "",
            "{",
            "{\"IsError\": tru}",
            "{\"IsError\": true} x",
            "{\"errorMessage\": \"a\"}",
            "{\"IsError\": true, \"a\": \"\\ud800\"}",
            "[1]",
            "{\"IsError\": true, \"a\": -}",
            "{\"IsError\": true, \"a\": \"\u{1}\"}",
            "{\"IsError\": true, \"a\": \"\\u12\"}",
        ] {
            assert!(tracking(bad).is_err(), "{bad:?}");
        }
        let deep = format!(
            "{{\"IsError\": true, \"a\": {}{}}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        assert!(tracking(&deep).is_err());
        assert_eq!(
            string_document(r#" "{\"IsError\":true}" "#).ok().as_deref(),
            Some("{\"IsError\":true}")
        );
    }

    #[test]
    fn numbers_are_kept_as_written() {
        let d = tracking(r#"{"IsError":false,"Gonderiler":[{"KargonunDurumuSayi":6,"Tutar":36.00,"Hareketler":null}]}"#).ok();
        let g = d
            .and_then(|d| d.gonderiler)
            .and_then(|g| g.into_iter().next());
        assert_eq!(
            g.as_ref().and_then(|g| g.KargonunDurumuSayi.as_deref()),
            Some("6")
        );
        assert_eq!(g.as_ref().and_then(|g| g.Tutar.as_deref()), Some("36.00"));
        assert_eq!(g.and_then(|g| g.Hareketler), None);
    }
}
