//! Pure conversions between KargoJet's domain and Sürat's wire format: building call bodies
//! from a [`CreateRequest`], and reading answers into [`CreatedShipment`] / [`TrackingUpdate`].
//! No I/O; no panics on any input; protocol errors keep the raw body.

use crate::error::{Outcome, SuratError, classify, split_code};
use crate::status;
use crate::wire::{self, BarcodeResult, Gonderi, Movement, Operation, TrackingResponse};
use chrono::{DateTime, FixedOffset};
use kargojet_carrier_common::soap::{SoapBody, body_of};
use kargojet_carrier_common::xml::XmlCursor;
use kargojet_carrier_common::{SoapError, dates, number, scan};
use kargojet_core::carrier::{CarrierId, CreateRequest, TrackingUpdate};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::geo::fold;
use kargojet_core::money::Money;
use kargojet_core::parcel::round_up_to_step;
use kargojet_core::shipment::{
    CodPayment, CreatedShipment, Label, LabelFormat, MerchantKey, ShipmentRequest,
};
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent};
use rust_decimal::Decimal;

/// Longest receiver name Sürat accepts.
pub const MAX_NAME: usize = 100;
/// Longest address Sürat accepts.
pub const MAX_ADDRESS: usize = 250;
/// Longest contents description Sürat accepts.
pub const MAX_CONTENTS: usize = 100;
/// Longest `OzelKargoTakipNo`.
pub const MAX_KEY: usize = 50;

/// Checks that a merchant key is a valid `OzelKargoTakipNo` (letters, digits, `-`; ≤ 50).
pub fn check_key(key: &MerchantKey) -> Result<()> {
    let k = key.as_str();
    if k.is_empty()
        || k.len() > MAX_KEY
        || !k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            format!("'{k}' is not a Sürat OzelKargoTakipNo (1–50 letters, digits or '-')"),
        ));
    }
    Ok(())
}

fn limited(value: &str, max: usize, field: &str, what: &str) -> Result<String> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid(
            Code::RequestInvalid,
            field,
            format!("{what} has {n} characters, Sürat accepts at most {max}"),
        ));
    }
    Ok(value.to_string())
}

/// A decimal as Sürat wants it in strings: dot separator, no trailing zeros.
fn decimal_text(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A COD amount as Sürat wants it: two decimals with a dot (`149.90`).
pub fn amount_text(m: Money) -> String {
    let mut d = m.round_kurus().amount;
    d.rescale(2);
    d.to_string()
}

/// Builds the `Gonderi` for a shipment to `recipient` (the request's recipient, or the original
/// sender for a return). `is_return` sets `Iademi`.
pub fn build_gonderi(
    shipment: &ShipmentRequest,
    key: &MerchantKey,
    is_return: bool,
) -> Result<Gonderi> {
    check_key(key)?;
    let (party, field) = if is_return {
        (&shipment.sender, "sender")
    } else {
        (&shipment.recipient, "recipient")
    };
    let n = shipment.parcels.len();
    if n == 0 {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "parcels",
            "at least one parcel is needed",
        ));
    }
    for (i, p) in shipment.parcels.iter().enumerate() {
        p.validate(&format!("parcels[{i}]"))?;
    }
    let count = Decimal::from(n as u64);
    let desi: Decimal = shipment.parcels.iter().map(|p| p.desi()).sum();
    let kg: Decimal = shipment.total_kg();
    // Sürat bills whole desi/kg per parcel ("Birim" = per unit); both must be > 0 (error 006).
    let unit_desi = round_up_to_step(desi / count, Decimal::ONE).max(Decimal::ONE);
    let unit_kg = round_up_to_step(kg / count, Decimal::ONE).max(Decimal::ONE);

    let mut address = party.address.line.clone();
    if let Some(nb) = party
        .address
        .neighbourhood
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        address = format!("{nb} {address}");
    }
    let phone = &party.phone;
    let (cep, ev) = if phone.is_mobile() {
        (Some(phone.with_leading_zero()), None)
    } else {
        (None, Some(phone.with_leading_zero()))
    };
    let (cod_type, cod_amount, irsaliye) = match (&shipment.cod, is_return) {
        (Some(cod), false) => {
            let t = match cod.payment {
                CodPayment::Cash => 1,
                CodPayment::Card => 2,
            };
            (
                t,
                Some(amount_text(cod.amount)),
                Some(key.as_str().to_string()),
            )
        }
        _ => (0, None, None),
    };
    let contents = match shipment.description.as_deref() {
        Some(d) => Some(limited(
            d,
            MAX_CONTENTS,
            "description",
            "the contents description",
        )?),
        None => None,
    };
    Ok(Gonderi {
        KisiKurum: limited(&party.name, MAX_NAME, &format!("{field}.name"), "the name")?,
        AliciAdresi: limited(
            &address,
            MAX_ADDRESS,
            &format!("{field}.address.line"),
            "the address",
        )?,
        Il: party.address.province.clone(),
        Ilce: party.address.district.clone(),
        TelefonEv: ev,
        TelefonCep: cep,
        Email: party.email.clone(),
        KargoTuru: 3,
        OdemeTipi: 1,
        IrsaliyeSiraNo: irsaliye,
        ReferansNo: shipment.order_id.clone(),
        OzelKargoTakipNo: key.as_str().to_string(),
        Adet: u32::try_from(n).unwrap_or(u32::MAX),
        BirimDesi: decimal_text(unit_desi),
        BirimKg: decimal_text(unit_kg),
        KargoIcerigi: contents,
        KapidanOdemeTahsilatTipi: cod_type,
        KapidanOdemeTutari: cod_amount,
        EkHizmetler: if shipment.sms {
            Some("AliciyaSms".into())
        } else {
            None
        },
        TeslimSekli: 1,
        TasimaSekli: 1,
        GonderiSekli: 0,
        Pazaryerimi: 0,
        Iademi: is_return,
        ..Gonderi::default()
    })
}

/// Builds the `Gonderi` for a create request.
pub fn gonderi_for(request: &CreateRequest) -> Result<Gonderi> {
    build_gonderi(&request.shipment, &request.merchant_key, false)
}

fn to_xml<T: serde::Serialize>(root: &str, value: &T) -> Result<String> {
    quick_xml::se::to_string_with_root(root, value)
        .map_err(|e| Error::internal(format!("writing Sürat {root}: {e}")))
}

/// The body element of a create call (`op` is [`Operation::Create`] or
/// [`Operation::CreateWithBarcode`]).
pub fn create_body(
    op: Operation,
    kullanici_adi: &str,
    sifre: &str,
    gonderi: Gonderi,
) -> Result<String> {
    let call = wire::CreateCall {
        xmlns: wire::NS.into(),
        KullaniciAdi: kullanici_adi.into(),
        Sifre: sifre.into(),
        Gonderi: gonderi,
    };
    to_xml(op.name(), &call)
}

/// The body element of `GonderiGeriCek`.
pub fn cancel_body(
    kullanici_adi: &str,
    sifre: &str,
    key: &MerchantKey,
    reason: &str,
) -> Result<String> {
    let call = wire::CancelCall {
        xmlns: wire::NS.into(),
        KullaniciAdi: kullanici_adi.into(),
        Sifre: sifre.into(),
        OzelKargoTakipNo: key.as_str().into(),
        IptalNeden: reason.into(),
    };
    to_xml(Operation::Cancel.name(), &call)
}

/// The body element of `KargoBarkodu`.
pub fn label_body(cari_kodu: &str, web_password: &str, key: &MerchantKey) -> Result<String> {
    let call = wire::LabelCall {
        xmlns: wire::NS.into(),
        cari_kodu: cari_kodu.into(),
        web_password: web_password.into(),
        ozel_kargo_takip_no: key.as_str().into(),
    };
    to_xml(Operation::Label.name(), &call)
}

/// The REST tracking URL: `<base>?CariKodu=…&Sifre=<web şifre>&WebSiparisKodu=<key>` (Sürat
/// wants the parameters in the query string and an empty body).
pub fn tracking_url(base: &str, cari_kodu: &str, web_password: &str, key: &MerchantKey) -> String {
    format!(
        "{base}?CariKodu={}&Sifre={}&WebSiparisKodu={}",
        query_escape(cari_kodu),
        query_escape(web_password),
        query_escape(key.as_str())
    )
}

/// Percent-encodes a query value (RFC 3986 unreserved characters pass).
pub fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The body element of the SOAP `KargoTakipHareketDetayi`.
pub fn track_body(cari_kodu: &str, web_password: &str, key: &MerchantKey) -> Result<String> {
    let call = wire::TrackCall {
        xmlns: wire::NS.into(),
        CariKodu: cari_kodu.into(),
        WebPassword: web_password.into(),
        WebSiparisKodu: key.as_str().into(),
    };
    to_xml(Operation::Track.name(), &call)
}

fn protocol(detail: impl Into<String>, raw: &str) -> Error {
    Error::protocol(Some(CarrierId::Surat), detail, raw)
}

fn soap_err(e: SoapError, raw: &str) -> Error {
    e.into_core(CarrierId::Surat, raw)
}

/// The answer element of a SOAP answer: the body's first child of an envelope, or the whole
/// text when it is a bare element (as the notes print the examples). A SOAP fault becomes
/// `carrier.rejected` with the fault code.
pub fn payload(raw: &str) -> Result<&str> {
    match body_of(raw) {
        Ok(SoapBody::Payload { inner_xml, .. }) => Ok(inner_xml),
        Ok(SoapBody::Fault(f)) => Err(f.into_core(CarrierId::Surat)),
        Err(SoapError::NotEnvelope(_)) => Ok(raw),
        Err(e) => Err(soap_err(e, raw)),
    }
}

/// Reads the UTF-8 text of an answer; other encodings are protocol errors keeping a lossy copy.
pub fn text_of(bytes: &[u8]) -> Result<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        protocol(
            format!("answer is not UTF-8: {e}"),
            &String::from_utf8_lossy(bytes),
        )
    })
}

/// The text of the string result `<Op>Result` in a SOAP answer.
pub fn string_result(op: Operation, raw: &str) -> Result<String> {
    let inner = payload(raw)?;
    let name = op.result_element();
    let mut cur = XmlCursor::new(inner);
    let el = cur
        .find(&name)
        .map_err(|e| soap_err(e, raw))?
        .ok_or_else(|| protocol(format!("missing <{name}>"), raw))?;
    let text = cur
        .text_trimmed(&el)
        .map_err(|e| soap_err(e, raw))?
        .into_owned();
    cur.finish().map_err(|e| soap_err(e, raw))?;
    Ok(text)
}

/// What a create call answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreateReply {
    /// Created now.
    Created(CreatedShipment),
    /// Sürat already has a shipment with this key (`009`): success for a resend.
    Duplicate {
        /// Sürat's code.
        code: String,
        /// Sürat's text.
        message: String,
    },
}

fn created(
    key: &MerchantKey,
    tracking: Option<String>,
    label: Option<Label>,
    raw: &str,
) -> CreatedShipment {
    CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: tracking,
        carrier_refs: Default::default(),
        label,
        raw: raw.to_string(),
    }
}

fn outcome_to_reply(outcome: Outcome, key: &MerchantKey, raw: &str) -> Result<CreateReply> {
    match outcome {
        Outcome::Success { .. } => Ok(CreateReply::Created(created(key, None, None, raw))),
        Outcome::Duplicate { code, message } => Ok(CreateReply::Duplicate { code, message }),
        Outcome::Failure(SuratError::Malformed { detail, .. }) => Err(protocol(detail, raw)),
        Outcome::Failure(e) => Err(e.into()),
    }
}

/// Reads the answer of `GonderiyiKargoyaGonderYeni` (a string result).
pub fn parse_create(raw: &str, key: &MerchantKey) -> Result<CreateReply> {
    let text = string_result(Operation::Create, raw)?;
    outcome_to_reply(classify(&text), key, raw)
}

/// Reads the `…SiparisBarkodOlusturResult` structure.
pub fn read_barcode_result(raw: &str) -> Result<BarcodeResult> {
    let inner = payload(raw)?;
    let name = Operation::CreateWithBarcode.result_element();
    let err = |e| soap_err(e, raw);
    let mut cur = XmlCursor::new(inner);
    let res = cur
        .find(&name)
        .map_err(err)?
        .ok_or_else(|| protocol(format!("missing <{name}>"), raw))?;
    let mut out = BarcodeResult::default();
    let mut saw_flag = false;
    while let Some(child) = cur.next_child(&res).map_err(err)? {
        match child.local_name() {
            "isError" => {
                let t = cur.text_trimmed(&child).map_err(err)?;
                out.is_error = match t.as_ref() {
                    "true" | "True" | "1" => true,
                    "false" | "False" | "0" => false,
                    other => {
                        return Err(protocol(
                            format!("isError is '{other}', not a boolean"),
                            raw,
                        ));
                    }
                };
                saw_flag = true;
            }
            "Message" => out.message = cur.text_trimmed(&child).map_err(err)?.into_owned(),
            "KargoTakipNo" => {
                out.kargo_takip_no = Some(cur.text_trimmed(&child).map_err(err)?.into_owned())
                    .filter(|s| !s.is_empty())
            }
            "Barcode" => {
                let mut list = wire::BarcodeList::default();
                while let Some(item) = cur.next_child(&child).map_err(err)? {
                    if item.local_name() == "anyType" {
                        list.any_type
                            .push(cur.text(&item).map_err(err)?.into_owned());
                    } else {
                        cur.skip(&item).map_err(err)?;
                    }
                }
                out.barcode = Some(list);
            }
            _ => cur.skip(&child).map_err(err)?,
        }
    }
    cur.finish().map_err(err)?;
    if !saw_flag {
        return Err(protocol("missing <isError>", raw));
    }
    Ok(out)
}

/// Reads the answer of `GonderiyiKargoyaGonderYeniSiparisBarkodOlustur`: Sürat's tracking
/// number and the ZPL label(s) exactly as sent (several labels are concatenated).
pub fn parse_create_with_barcode(raw: &str, key: &MerchantKey) -> Result<CreateReply> {
    let res = read_barcode_result(raw)?;
    let outcome = classify(&res.message);
    if res.is_error {
        return match outcome {
            Outcome::Duplicate { code, message } => Ok(CreateReply::Duplicate { code, message }),
            Outcome::Failure(e @ SuratError::Auth { .. }) => Err(e.into()),
            _ => {
                let code = split_code(&res.message).0.unwrap_or("isError").to_string();
                Err(SuratError::Rejected {
                    code,
                    message: res.message,
                }
                .into())
            }
        };
    }
    match outcome {
        Outcome::Duplicate { code, message } => Ok(CreateReply::Duplicate { code, message }),
        Outcome::Failure(SuratError::Rejected { code, .. }) if code == "UNKNOWN" => {
            Ok(barcode_created(res, key, raw))
        }
        Outcome::Failure(SuratError::Malformed { .. }) | Outcome::Success { .. } => {
            Ok(barcode_created(res, key, raw))
        }
        Outcome::Failure(e) => Err(e.into()),
    }
}

fn barcode_created(res: BarcodeResult, key: &MerchantKey, raw: &str) -> CreateReply {
    let zpl: Vec<String> = res
        .barcode
        .map(|b| b.any_type)
        .unwrap_or_default()
        .into_iter()
        .filter(|z| !z.trim().is_empty())
        .collect();
    let label = (!zpl.is_empty()).then(|| Label {
        format: LabelFormat::Zpl,
        bytes: zpl.join("\n").into_bytes(),
    });
    CreateReply::Created(created(key, res.kargo_takip_no, label, raw))
}

/// Reads the answer of `GonderiGeriCek`: `Ok` for success, `shipment.invalid_state` (carrier
/// code `HATA`) when Sürat refuses, `carrier.rejected` for other codes.
pub fn parse_cancel(raw: &str) -> Result<()> {
    let text = string_result(Operation::Cancel, raw)?;
    let (code, _) = split_code(&text);
    match (code, classify(&text)) {
        (Some("HATA"), _) if fold(&text).contains("bulunamad") => {
            Err(SuratError::NotFound { message: text }.into())
        }
        (Some("HATA"), _) => Err(SuratError::CancelRefused {
            code: "HATA".into(),
            message: text,
        }
        .into()),
        (_, Outcome::Success { .. }) => Ok(()),
        (_, Outcome::Failure(SuratError::Malformed { detail, .. })) => Err(protocol(detail, raw)),
        (_, Outcome::Failure(e)) => Err(e.into()),
        (_, Outcome::Duplicate { code, message }) => {
            Err(SuratError::Rejected { code, message }.into())
        }
    }
}

/// Reads the answer of `KargoBarkodu`: the PDF exactly as Sürat encoded it (base64-decoded).
pub fn parse_label(raw: &str) -> Result<Label> {
    let inner = payload(raw)?;
    let err = |e| soap_err(e, raw);
    let mut cur = XmlCursor::new(inner);
    let res = cur
        .find("KargoBarkoduResult")
        .map_err(err)?
        .ok_or_else(|| protocol("missing <KargoBarkoduResult>", raw))?;
    let mut pdf = None;
    let mut aciklama = String::new();
    while let Some(child) = cur.next_child(&res).map_err(err)? {
        match child.local_name() {
            "PdfBarkod" => {
                pdf = Some(cur.text_trimmed(&child).map_err(err)?.into_owned())
                    .filter(|s| !s.is_empty())
            }
            "Aciklama" => aciklama = cur.text_trimmed(&child).map_err(err)?.into_owned(),
            _ => cur.skip(&child).map_err(err)?,
        }
    }
    cur.finish().map_err(err)?;
    match pdf {
        Some(b64) => {
            let bytes =
                base64_decode(&b64).ok_or_else(|| protocol("PdfBarkod is not base64", raw))?;
            if !bytes.starts_with(b"%PDF") {
                return Err(protocol("PdfBarkod is not a PDF document", raw));
            }
            Ok(Label {
                format: LabelFormat::Pdf,
                bytes,
            })
        }
        None if fold(&aciklama).contains("kayit bulunamadi") => {
            Err(SuratError::NotFound { message: aciklama }.into())
        }
        None => Err(SuratError::Rejected {
            code: split_code(&aciklama).0.unwrap_or("Aciklama").to_string(),
            message: aciklama,
        }
        .into()),
    }
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .ok()
}

/// What a tracking query answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackingReply {
    /// `IsError` with "kabul bekleniyor": registered, not yet accepted by a branch (or not
    /// known at all — Sürat does not tell the two apart).
    AwaitingAcceptance {
        /// Sürat's text.
        message: String,
        /// The raw body.
        raw: String,
    },
    /// The record was cancelled ("iptal").
    Cancelled {
        /// Sürat's text.
        message: String,
        /// The raw body.
        raw: String,
    },
    /// The shipment with its history.
    Found(TrackingUpdate),
}

/// Reads the SOAP `KargoTakipHareketDetayi` answer: JSON inside the string result.
pub fn parse_tracking_soap(raw: &str, key: &MerchantKey) -> Result<TrackingReply> {
    let json = string_result(Operation::Track, raw)?;
    parse_tracking_json(&json, key, raw)
}

/// Reads the REST tracking answer (a JSON document).
pub fn parse_tracking(raw: &str, key: &MerchantKey) -> Result<TrackingReply> {
    parse_tracking_json(raw, key, raw)
}

fn parse_tracking_json(json: &str, key: &MerchantKey, raw: &str) -> Result<TrackingReply> {
    let trimmed = json.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return Err(protocol("empty tracking answer", raw));
    }
    // Some .NET endpoints send the JSON document as a JSON string.
    let bad = |e: crate::json::JsonError| protocol(format!("tracking JSON: {e}"), raw);
    if trimmed.starts_with('"') {
        let inner = crate::json::string_document(trimmed).map_err(bad)?;
        let doc = crate::json::tracking(inner.trim()).map_err(bad)?;
        return tracking_from_doc(doc, key, raw);
    }
    let doc = crate::json::tracking(trimmed).map_err(bad)?;
    tracking_from_doc(doc, key, raw)
}

/// Turns the tracking document into a reply; `raw` is kept in the update.
pub fn tracking_from_doc(
    doc: TrackingResponse<'_>,
    key: &MerchantKey,
    raw: &str,
) -> Result<TrackingReply> {
    let message = doc
        .error_message
        .map(|m| m.into_owned())
        .unwrap_or_default();
    let shipments = doc.gonderiler.unwrap_or_default();
    if doc.is_error || shipments.is_empty() {
        let folded = fold(&message);
        if folded.contains("kabul bekleniyor") {
            return Ok(TrackingReply::AwaitingAcceptance {
                message,
                raw: raw.to_string(),
            });
        }
        if folded.contains("iptal") {
            return Ok(TrackingReply::Cancelled {
                message,
                raw: raw.to_string(),
            });
        }
        if !doc.is_error {
            return Err(protocol(
                "tracking answer without error and without Gonderiler",
                raw,
            ));
        }
        let code = split_code(&message).0.unwrap_or("IsError").to_string();
        return Err(SuratError::Rejected { code, message }.into());
    }
    let wanted = shipments
        .iter()
        .position(|g| {
            g.WebSiparisKodu
                .as_deref()
                .is_some_and(|w| w.trim().eq_ignore_ascii_case(key.as_str()))
        })
        .unwrap_or(0);
    let Some(g) = shipments.into_iter().nth(wanted) else {
        return Err(protocol("no shipment in Gonderiler", raw));
    };
    let code = g
        .KargonunDurumuSayi
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let text = g.KargonunDurumu.as_deref();
    let status =
        status::shipment_status(code, text, g.IadeDurum.as_deref(), g.DevirSebebi.as_deref());

    let movements = g.Hareketler.unwrap_or_default();
    let mut events = Vec::with_capacity(movements.len() + 1);
    for (i, m) in movements.iter().enumerate() {
        events.push(movement_event(m, i, raw)?);
    }
    sort_by_time(&mut events);

    if let (Some(st @ (ShipmentStatus::Delivered | ShipmentStatus::Returned)), Some(t)) = (
        status,
        g.TeslimTarihi.as_deref().filter(|s| !s.trim().is_empty()),
    ) {
        let time = parse_time(t)
            .ok_or_else(|| protocol(format!("TeslimTarihi '{t}' is not a Sürat date"), raw))?;
        if !events.iter().any(|e| e.status == Some(st)) {
            events.push(TrackingEvent {
                time,
                location: None,
                carrier_code: code.unwrap_or("").to_string(),
                carrier_text: text.unwrap_or("").trim().to_string(),
                status: Some(st),
                measurement: None,
            });
            sort_by_time(&mut events);
        }
    }

    let measurement = measurement(g.ToplamDesiKg.as_deref(), g.Tutar.as_deref());
    if let (Some(m), Some(last)) = (measurement, events.last_mut()) {
        last.measurement = Some(m);
    }
    Ok(TrackingReply::Found(TrackingUpdate {
        carrier_tracking_number: g
            .KargoTakipNo
            .as_deref()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        status,
        events,
        raw: raw.to_string(),
    }))
}

/// Sorts events oldest first (Sürat lists them in order, so usually nothing moves).
fn sort_by_time(events: &mut [TrackingEvent]) {
    if !events.windows(2).all(|w| w[0].time <= w[1].time) {
        events.sort_by_key(|e| e.time);
    }
}

fn movement_event(m: &Movement<'_>, index: usize, raw: &str) -> Result<TrackingEvent> {
    let when = m.IslemTarihi.as_deref().unwrap_or("");
    let time = parse_time(when).ok_or_else(|| {
        protocol(
            format!("Hareketler[{index}].IslemTarihi '{when}' is not a Sürat date"),
            raw,
        )
    })?;
    let code = scan::trim(m.KargoHareketKargonunDurumuSayi.as_deref().unwrap_or("")).to_string();
    let text = scan::trim(m.Islem.as_deref().unwrap_or("")).to_string();
    let status = status::movement_status(&code, &text);
    Ok(TrackingEvent {
        time,
        location: None,
        carrier_code: code,
        carrier_text: text,
        status,
        measurement: None,
    })
}

/// The measurement Sürat reports once the branch has measured the parcel: `ToplamDesiKg`
/// (billable desi/kg) and `Tutar` (its amount, VAT included). Zero or empty means not measured.
pub fn measurement(toplam_desi_kg: Option<&str>, tutar: Option<&str>) -> Option<Measurement> {
    let positive = |s: Option<&str>| s.and_then(number::decimal).filter(|d| *d > Decimal::ZERO);
    let m = Measurement {
        desi: positive(toplam_desi_kg),
        kg: None,
        amount: positive(tutar).map(Money::try_lira),
    };
    (!m.is_empty()).then_some(m)
}

fn digits<const N: usize>(b: &[u8]) -> Option<u32> {
    if b.len() != N {
        return None;
    }
    b.iter().try_fold(0u32, |acc, c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn local(
    y: u32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    nanos: u32,
) -> Option<DateTime<FixedOffset>> {
    dates::turkey_time(i32::try_from(y).ok()?, mo, d, h, mi, s, nanos)
}

/// Parses a Sürat time: `yyyy-MM-ddTHH:mm:ss[.fff]` (movements) or `dd.MM.yyyy HH:mm:ss`
/// (delivery), Turkey time unless an offset is given. A fast path handles the two usual
/// shapes; anything else goes through the shared date parser.
pub fn parse_time(s: &str) -> Option<DateTime<FixedOffset>> {
    let t = scan::trim(s);
    let b = t.as_bytes();
    if b.len() >= 19
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
    {
        let frac = &b[19..];
        let nanos = match frac {
            [] => Some(0),
            [b'.', rest @ ..]
                if (1..=9).contains(&rest.len()) && rest.iter().all(u8::is_ascii_digit) =>
            {
                let mut n = rest
                    .iter()
                    .fold(0u32, |acc, c| acc * 10 + u32::from(c - b'0'));
                for _ in rest.len()..9 {
                    n *= 10;
                }
                Some(n)
            }
            _ => None,
        };
        if let Some(nanos) = nanos {
            return local(
                digits::<4>(&b[0..4])?,
                digits::<2>(&b[5..7])?,
                digits::<2>(&b[8..10])?,
                digits::<2>(&b[11..13])?,
                digits::<2>(&b[14..16])?,
                digits::<2>(&b[17..19])?,
                nanos,
            );
        }
    } else if b.len() == 19
        && b[2] == b'.'
        && b[5] == b'.'
        && b[10] == b' '
        && b[13] == b':'
        && b[16] == b':'
    {
        return local(
            digits::<4>(&b[6..10])?,
            digits::<2>(&b[3..5])?,
            digits::<2>(&b[0..2])?,
            digits::<2>(&b[11..13])?,
            digits::<2>(&b[14..16])?,
            digits::<2>(&b[17..19])?,
            0,
        );
    }
    dates::surat(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_turkey_time() {
        let t = parse_time("2024-03-12T17:54:13.813").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2024-03-12T17:54:13.813+03:00"));
        let t = parse_time("14.03.2024 11:20:00").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2024-03-14T11:20:00+03:00"));
        let t = parse_time("2024-03-12T17:54:13+01:00").map(|t| t.to_rfc3339());
        assert_eq!(t.as_deref(), Some("2024-03-12T17:54:13+01:00"));
        assert_eq!(parse_time("2024-02-30T10:00:00"), None);
        assert_eq!(parse_time("32.01.2024 10:00:00"), None);
        assert_eq!(parse_time("ş024-03-12T17:54:13"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn measurements_need_positive_values() {
        assert_eq!(measurement(Some("0"), Some("")), None);
        let m = measurement(Some("2"), Some("36.00"));
        assert_eq!(m.as_ref().and_then(|m| m.desi), Some(Decimal::from(2)));
        assert_eq!(m.and_then(|m| m.amount).map(|a| a.to_kurus()), Some(3600));
    }

    #[test]
    fn query_values_are_escaped() {
        assert_eq!(query_escape("123456.Ff"), "123456.Ff");
        assert_eq!(query_escape("a b&c=ş"), "a%20b%26c%3D%C5%9F");
    }

    #[test]
    fn keys_are_checked() {
        assert!(check_key(&MerchantKey("KJ-1".into())).is_ok());
        let e = check_key(&MerchantKey("KJ 1".into())).err();
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("merchant_key"));
        assert!(check_key(&MerchantKey("K".repeat(51))).is_err());
    }
}
