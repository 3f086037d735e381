//! Pure functions domain ↔ wire: the `kabulEkle2` request from a [`CreateRequest`], and PTT's
//! answers into [`CreatedShipment`], [`TrackingUpdate`], labels and lookups. No I/O; any input
//! gives a value or a typed error (protocol errors keep the raw body), never a panic.

use crate::barcode;
use crate::config::{AcceptanceCredentials, TrackingCredentials};
use crate::error::{PttError, check_batch, check_dongu};
use crate::parse;
use crate::status;
use crate::wire::{self, Dongu, GondericiBilgi, KabulEkle2, KabulInput, TakipReturn};
use chrono::{DateTime, FixedOffset};
use kargojet_carrier_common::dates;
use kargojet_core::address::Party;
use kargojet_core::carrier::{CarrierId, CreateRequest, ReferenceLookup, TrackingUpdate};
use kargojet_core::geo::turkish_upper;
use kargojet_core::shipment::{CodPayment, CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent, current_status};
use kargojet_core::{Code, Error};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// Key of the batch name in `carrier_refs` (needed by `barkodVeriSil`).
pub const REF_DOSYA_ADI: &str = "dosyaAdi";
/// Key of the public tracking URL in `carrier_refs`.
pub const REF_TRACKING_URL: &str = "tracking_url";
/// Key of the merchant reference (`musteriReferansNo`) in `carrier_refs`.
pub const REF_MUSTERI_REFERANS: &str = "musteriReferansNo";

/// Choices of the create request that do not come from the shipment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateOptions {
    /// Batch name (`dosyaAdi`).
    pub dosya_adi: String,
    /// Freight payment (`odemesekli`): `MH`, `UA` or `N`.
    pub odemesekli: String,
    /// Posta çeki account for COD payouts (`rezerve1`).
    pub cod_account: Option<String>,
}

/// Builds the `kabulEkle2` body for one shipment (one parcel, one barcode).
pub fn build_create(
    req: &CreateRequest,
    creds: &AcceptanceCredentials,
    opts: &CreateOptions,
) -> Result<KabulEkle2, Error> {
    let s = &req.shipment;
    s.validate()?;
    let parcel = match s.parcels.as_slice() {
        [p] => p,
        _ => {
            return Err(Error::Unsupported {
                code: Code::UnsupportedOperation,
                carrier: Some(CarrierId::Ptt),
                detail: format!(
                    "{} parcels: kabulEkle2 takes one parcel per barcode (multi-piece needs kabulEkleParcaliBarkod)",
                    s.parcels.len()
                ),
            });
        }
    };
    let barkod = req.merchant_key.as_str();
    if !barcode::is_valid(barkod) {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            format!("'{barkod}' is not a PTT barcode (13 digits with check digit)"),
        ));
    }
    let mut ekhizmet = String::new();
    let mut odeme_sart_ucreti = None;
    let mut rezerve1 = None;
    if let Some(cod) = &s.cod {
        if cod.payment == CodPayment::Card {
            return Err(Error::Unsupported {
                code: Code::UnsupportedCod,
                carrier: Some(CarrierId::Ptt),
                detail:
                    "card payment at the door is not offered by kabulEkle2 (ödeme şartlı is cash)"
                        .into(),
            });
        }
        ekhizmet.push_str("OS");
        odeme_sart_ucreti = Some(amount(cod.amount.amount));
        rezerve1 = opts.cod_account.clone();
    }
    let mut deger_ucreti = None;
    if let Some(v) = s.insured_value.filter(|v| !v.is_zero()) {
        ekhizmet.push_str("DK");
        deger_ucreti = Some(amount(v.amount));
    }
    if s.sms {
        ekhizmet.push_str("SB");
    }
    let r = &s.recipient;
    let dongu = Dongu {
        a_adres: address_text(r),
        a_il_kodu: None,
        a_ilce_kodu: None,
        agirlik: int(
            parcel.weight_kg * Decimal::ONE_THOUSAND,
            "parcels[0].weight_kg",
        )?,
        alici_adi: r.name.clone(),
        alici_email: r.email.clone(),
        alici_il_adi: turkish_upper(&r.address.province),
        alici_ilce_adi: turkish_upper(&r.address.district),
        alici_sms: r.phone.is_mobile().then(|| r.phone.digits().to_string()),
        alici_tel: r.phone.digits().to_string(),
        barkod_no: barkod.to_string(),
        boy: int(parcel.length_cm, "parcels[0].length_cm")?,
        deger_ucreti,
        desi: req.billable_desi.normalize().to_string(),
        ekhizmet: (!ekhizmet.is_empty()).then_some(ekhizmet),
        en: int(parcel.width_cm, "parcels[0].width_cm")?,
        gondericibilgi: sender(&s.sender),
        musteri_referans_no: Some(s.order_id.clone().unwrap_or_else(|| barkod.to_string())),
        odeme_sart_ucreti,
        odemesekli: opts.odemesekli.clone(),
        rezerve1,
        yukseklik: int(parcel.height_cm, "parcels[0].height_cm")?,
    };
    Ok(KabulEkle2 {
        xmlns_kab: wire::NS_KABUL,
        xmlns_xsd: wire::NS_KABUL_XSD,
        input: KabulInput {
            dongu: vec![dongu],
            dosya_adi: opts.dosya_adi.clone(),
            gonderi_tip: "NORMAL".into(),
            gonderi_tur: "KARGO".into(),
            kullanici: creds.kullanici.clone(),
            musteri_id: creds.musteri_id.to_string(),
            sifre: creds.sifre.clone(),
        },
    })
}

/// The `barkodVeriSil` body (cancel by barcode, with the batch name when known).
pub fn build_cancel(
    barcode: &str,
    dosya_adi: Option<&str>,
    creds: &AcceptanceCredentials,
) -> wire::BarkodVeriSil {
    wire::BarkodVeriSil {
        xmlns_kab: wire::NS_KABUL,
        xmlns_xsd: wire::NS_KABUL_XSD,
        inp_delete: wire::InpDelete {
            barcode: barcode.to_string(),
            dosya_adi: dosya_adi.map(str::to_string),
            musteri_id: creds.musteri_id.to_string(),
            sifre: creds.sifre.clone(),
        },
    }
}

/// The `etiketGetir` body.
pub fn build_label(barcode: &str, creds: &AcceptanceCredentials) -> wire::EtiketGetir {
    wire::EtiketGetir {
        xmlns_kab: wire::NS_KABUL,
        xmlns_xsd: wire::NS_KABUL_XSD,
        input: wire::EtiketInput {
            barkod_no: barcode.to_string(),
            musteri_id: creds.musteri_id.to_string(),
            sifre: creds.sifre.clone(),
        },
    }
}

/// The `gonderiSorgu` body.
pub fn build_track(barcode: &str, creds: &TrackingCredentials) -> wire::GonderiSorgu {
    wire::GonderiSorgu {
        xmlns_tak: wire::NS_TAKIP,
        xmlns_xsd: wire::NS_TAKIP_XSD,
        input: wire::TakipInput {
            barkod: barcode.to_string(),
            kullanici: creds.kullanici.clone(),
            sifre: creds.sifre.clone(),
        },
    }
}

fn sender(p: &Party) -> GondericiBilgi {
    let (adi, soyadi) = match p.name.rsplit_once(' ') {
        Some((first, last)) => (first.to_string(), Some(last.to_string())),
        None => (p.name.clone(), None),
    };
    GondericiBilgi {
        adi,
        adresi: address_text(p),
        email: p.email.clone(),
        il_ad: turkish_upper(&p.address.province),
        ilce_ad: turkish_upper(&p.address.district),
        posta_kodu: p.address.postal_code.clone(),
        sms: p.phone.is_mobile().then(|| p.phone.digits().to_string()),
        soyadi,
        telefonu: Some(p.phone.digits().to_string()),
        ulke_id: "052".into(),
    }
}

fn address_text(p: &Party) -> String {
    match &p.address.neighbourhood {
        Some(n) if !p.address.line.contains(n.as_str()) => format!("{n} {}", p.address.line),
        _ => p.address.line.clone(),
    }
}

/// `0.00` formatting of an amount.
fn amount(d: Decimal) -> String {
    format!(
        "{:.2}",
        d.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    )
}

/// An `xs:int` from a positive decimal, rounded up (grams, whole cm).
fn int(d: Decimal, field: &str) -> Result<String, Error> {
    d.ceil()
        .to_i32()
        .filter(|v| *v > 0)
        .map(|v| v.to_string())
        .ok_or_else(|| {
            Error::invalid(
                Code::RequestInvalid,
                field,
                format!("{d} does not fit PTT's xs:int"),
            )
        })
}

/// Parses a `kabulEkle2` answer for `barkod`.
pub fn parse_create(raw: &[u8], barkod: &str, dosya_adi: &str) -> Result<CreatedShipment, Error> {
    let ret = parse::kabul_return(raw)
        .map_err(|e| e.into_core(raw))?
        .ok_or_else(|| crate::error::fault_error(raw))?;
    check_batch(&ret.hata_kodu, &ret.aciklama)?;
    let d = ret
        .dongu
        .iter()
        .find(|d| d.barkod == barkod)
        .or_else(|| ret.dongu.first().filter(|_| ret.dongu.len() == 1))
        .ok_or_else(|| PttError::Missing("dongu").into_core(raw))?;
    check_dongu(&d.dongu_hata_kodu, d.dongu_sonuc, &d.dongu_aciklama)?;
    let mut refs = BTreeMap::new();
    refs.insert(REF_DOSYA_ADI.to_string(), dosya_adi.to_string());
    let url = d
        .barkod_quid
        .clone()
        .filter(|u| u.starts_with("http"))
        .or_else(|| {
            let a = d.dongu_aciklama.trim();
            a.starts_with("http").then(|| a.to_string())
        });
    if let Some(u) = url {
        refs.insert(REF_TRACKING_URL.to_string(), u);
    }
    let tracking = if d.barkod.is_empty() {
        barkod.to_string()
    } else {
        d.barkod.clone()
    };
    Ok(CreatedShipment {
        merchant_key: MerchantKey(barkod.to_string()),
        carrier_tracking_number: Some(tracking),
        carrier_refs: refs,
        label: None,
        raw: String::from_utf8_lossy(raw).into_owned(),
    })
}

/// Parses `dd/MM/yyyy` + `HH:mm:ss` (or `HH:mm`) as Turkey time (UTC+3).
pub fn parse_tr_time(date: &str, time: &str) -> Option<DateTime<FixedOffset>> {
    let d = kargojet_carrier_common::scan::trim(date).as_bytes();
    let t = kargojet_carrier_common::scan::trim(time).as_bytes();
    if d.len() != 10 || d[2] != b'/' || d[5] != b'/' {
        return None;
    }
    let num = |b: &[u8]| -> Option<u32> {
        b.iter().try_fold(0u32, |acc, c| {
            c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
        })
    };
    let (day, month, year) = (num(&d[0..2])?, num(&d[3..5])?, num(&d[6..10])?);
    let (h, mi, s) = match t.len() {
        8 if t[2] == b':' && t[5] == b':' => (num(&t[0..2])?, num(&t[3..5])?, num(&t[6..8])?),
        5 if t[2] == b':' => (num(&t[0..2])?, num(&t[3..5])?, 0),
        _ => return None,
    };
    dates::turkey_time(i32::try_from(year).ok()?, month, day, h, mi, s, 0)
}

/// One movement as read from an answer (borrowed).
struct Movement<'x> {
    ikodu: &'x str,
    imerk: &'x str,
    isaat: &'x str,
    islem: &'x str,
    itarih: &'x str,
    sira_no: &'x str,
}

/// Turns a tracking `return` into events (oldest first, by `siraNo`), the current status, the
/// barcode (back-filled as the carrier's tracking number) and the weight PTT measured (`GR`,
/// grams → kg) on the acceptance event.
pub fn tracking_from_wire(ret: &TakipReturn, raw: &[u8]) -> Result<TrackingUpdate, Error> {
    let mvs: Vec<Movement<'_>> = ret
        .dongu
        .iter()
        .map(|h| Movement {
            ikodu: &h.ikodu,
            imerk: &h.imerk,
            isaat: &h.isaat,
            islem: &h.islem,
            itarih: &h.itarih,
            sira_no: &h.sira_no,
        })
        .collect();
    build_update(
        ret.barno.as_deref(),
        ret.vmerk.as_deref(),
        ret.gr.as_deref(),
        &mvs,
        &String::from_utf8_lossy(raw),
    )
}

/// `raw` is the whole answer as text: kept in the update and in every protocol error.
fn build_update(
    barno: Option<&str>,
    vmerk: Option<&str>,
    gr: Option<&str>,
    mvs: &[Movement<'_>],
    text: &str,
) -> Result<TrackingUpdate, Error> {
    let raw = text.as_bytes();
    let mut order: Vec<(u64, usize)> = Vec::with_capacity(mvs.len());
    for (i, h) in mvs.iter().enumerate() {
        let key = if h.sira_no.is_empty() {
            u64::MAX
        } else {
            h.sira_no.parse::<u64>().map_err(|_| {
                PttError::Invalid {
                    field: "siraNo",
                    value: h.sira_no.to_string(),
                }
                .into_core(raw)
            })?
        };
        order.push((key, i));
    }
    order.sort_unstable();
    let mut events = Vec::with_capacity(order.len());
    // Once PTT says the parcel goes back (İADE group), its later movements are the return leg.
    let mut returning = false;
    let mut accepted = None;
    for (_, i) in order {
        let h = &mvs[i];
        let time = parse_tr_time(h.itarih, h.isaat).ok_or_else(|| {
            PttError::Invalid {
                field: "ITARIH/ISAAT",
                value: format!("{} {}", h.itarih, h.isaat),
            }
            .into_core(raw)
        })?;
        let location = (!h.imerk.is_empty()).then(|| h.imerk.to_string());
        let mut st = status::normalize(h.ikodu, location.as_deref(), vmerk);
        match st {
            Some(ShipmentStatus::Returning) => returning = true,
            Some(
                ShipmentStatus::InTransit
                | ShipmentStatus::AtBranch
                | ShipmentStatus::OutForDelivery,
            ) if returning => {
                st = Some(ShipmentStatus::Returning);
            }
            _ => {}
        }
        if accepted.is_none() && h.ikodu.trim() == "1" {
            accepted = Some(events.len());
        }
        events.push(TrackingEvent {
            time,
            status: st,
            location,
            carrier_code: h.ikodu.to_string(),
            carrier_text: h.islem.to_string(),
            measurement: None,
        });
    }
    if let Some(gr) = gr {
        let grams: Decimal = gr.trim().parse().map_err(|_| {
            PttError::Invalid {
                field: "GR",
                value: gr.to_string(),
            }
            .into_core(raw)
        })?;
        if grams > Decimal::ZERO
            && let Some(ev) = accepted
                .or(events.len().checked_sub(1))
                .and_then(|i| events.get_mut(i))
        {
            ev.measurement = Some(Measurement {
                desi: None,
                kg: Some((grams / Decimal::ONE_THOUSAND).normalize()),
                amount: None,
            });
        }
    }
    Ok(TrackingUpdate {
        carrier_tracking_number: barno.filter(|b| !b.is_empty()).map(str::to_string),
        status: current_status(&events),
        events,
        raw: text.to_string(),
    })
}

/// Parses a `gonderiSorgu` answer. An unknown barcode is an empty result (no events). This is
/// the hot path: movements go from the scanned document to events without owned wire values.
pub fn parse_track(raw: &[u8]) -> Result<TrackingUpdate, Error> {
    let text = parse::utf8(raw).map_err(|e| e.into_core(raw))?;
    let scan = match parse::scan_str(text, &parse::TAKIP_SHAPE).map_err(|e| e.into_core(raw))? {
        parse::Scanned::Return(s) => s,
        parse::Scanned::Fault => return Err(crate::error::fault_error(raw)),
    };
    let r = &scan.ret;
    if r.get("sonucKodu") == Some(crate::error::BAD_CREDENTIALS) {
        // `sonucKodu` is unreliable for success, but -1 mirrors `hataKodu` -1 (bad credentials).
        check_batch(
            crate::error::BAD_CREDENTIALS,
            r.get("sonucAciklama").unwrap_or_default(),
        )?;
    }
    let mvs: Vec<Movement<'_>> = scan
        .dongu
        .iter()
        .map(|d| Movement {
            ikodu: d.at(parse::DONGU_IKODU).unwrap_or_default(),
            imerk: d.at(parse::DONGU_IMERK).unwrap_or_default(),
            isaat: d.at(parse::DONGU_ISAAT).unwrap_or_default(),
            islem: d.at(parse::DONGU_ISLEM).unwrap_or_default(),
            itarih: d.at(parse::DONGU_ITARIH).unwrap_or_default(),
            sira_no: d.at(parse::DONGU_SIRA_NO).unwrap_or_default(),
        })
        .collect();
    let opt = |n: &str| r.get(n).filter(|v| !v.is_empty());
    build_update(opt("BARNO"), opt("VMERK"), opt("GR"), &mvs, text)
}

/// Reads a `gonderiSorgu` answer as a lookup for `key`: a result with `BARNO` or movements is
/// `Found`; an empty result is `Inconclusive` (PTT answers unknown barcodes and loaded-but-not-
/// yet-registered ones alike).
pub fn parse_lookup(raw: &[u8], key: &MerchantKey) -> Result<ReferenceLookup, Error> {
    let update = parse_track(raw)?;
    if update.carrier_tracking_number.is_none() && update.events.is_empty() {
        return Ok(ReferenceLookup::Inconclusive);
    }
    Ok(ReferenceLookup::Found(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: Some(
            update
                .carrier_tracking_number
                .unwrap_or_else(|| key.0.clone()),
        ),
        carrier_refs: BTreeMap::new(),
        label: None,
        raw: update.raw,
    }))
}

/// Parses a `barkodVeriSil` answer.
pub fn parse_cancel(raw: &[u8]) -> Result<(), Error> {
    let ret = parse::simple_return(raw)
        .map_err(|e| e.into_core(raw))?
        .ok_or_else(|| crate::error::fault_error(raw))?;
    check_batch(&ret.hata_kodu, &ret.aciklama)
}

/// Parses an `etiketGetir` answer into the EPL2 label exactly as PTT sent it.
pub fn parse_label(raw: &[u8]) -> Result<Label, Error> {
    let ret = parse::simple_return(raw)
        .map_err(|e| e.into_core(raw))?
        .ok_or_else(|| crate::error::fault_error(raw))?;
    check_batch(&ret.hata_kodu, &ret.aciklama)?;
    match ret.epl_format {
        Some(epl) if !epl.trim().is_empty() => Ok(Label {
            format: LabelFormat::Epl,
            bytes: epl.into_bytes(),
        }),
        _ => Err(PttError::Missing("epl_format").into_core(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turkey_times_parse_and_bad_ones_do_not() {
        let t = parse_tr_time("12/03/2024", "10:05:00").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2024-03-12T10:05:00+03:00"));
        assert!(parse_tr_time("12/03/2024", "10:05").is_some());
        for (d, h) in [
            ("31/02/2024", "10:00:00"),
            ("12-03-2024", "10:00:00"),
            ("12/03/2024", "25:00:00"),
            ("", ""),
            ("1é/03/2024", "10:00:00"),
        ] {
            assert!(parse_tr_time(d, h).is_none(), "{d} {h}");
        }
    }

    #[test]
    fn amounts_and_ints_are_formatted_for_ptt() {
        assert_eq!(amount(Decimal::new(180, 0)), "180.00");
        assert_eq!(amount(Decimal::new(12345, 3)), "12.35");
        assert_eq!(
            int(Decimal::new(15001, 1), "w").ok().as_deref(),
            Some("1501")
        );
        assert!(int(Decimal::ZERO, "w").is_err());
    }
}
