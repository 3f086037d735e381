//! Pure domain ↔ wire functions: the `createOrder` body from a KargoJet request, and every
//! ApiZone answer into [`CreatedShipment`], [`TrackingUpdate`], [`Label`]. No I/O; any input
//! gives a value or a typed error keeping the raw body, never a panic.
//!
//! [`cbs`] matches MNG's city/district lists to KargoJet's names; [`legacy`] builds and reads
//! the SOAP calls of future returns.

pub mod cbs;
pub mod legacy;

use crate::config::MngConfig;
use crate::error::{self, MngError};
use crate::status;
use crate::wire::{self, CreateOrderBody};
use chrono::{DateTime, Utc};
use kargojet_carrier_common::dates;
use kargojet_carrier_common::json::{JsonDecimal, LooseString};
use kargojet_core::carrier::{CarrierId, CreateRequest, TrackingUpdate};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::money::Money;
use kargojet_core::parcel::{DEFAULT_DESI_DIVISOR, Parcel};
use kargojet_core::shipment::{CodPayment, CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// Longest merchant key: `referenceId` has no documented limit, but the legacy return method
/// takes at most 20 characters, so one rule serves both.
pub const KEY_MAX: usize = 20;

/// `shipmentServiceType` values: standard, same day, evening.
pub const SERVICE_STANDARD: u8 = 1;
/// Same day (gün içi).
pub const SERVICE_SAME_DAY: u8 = 7;
/// Evening (akşam).
pub const SERVICE_EVENING: u8 = 8;

/// The body as text; invalid UTF-8 is `protocol.malformed` with the lossy raw body.
pub fn text_of(body: &[u8]) -> Result<&str> {
    std::str::from_utf8(body).map_err(|e| {
        error::malformed(
            format!("answer is not UTF-8: {e}"),
            String::from_utf8_lossy(body),
        )
    })
}

/// Checks a merchant key: 1–20 upper case letters and digits (MNG recommends A–Z0–9).
pub fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= KEY_MAX
        && key
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !ok {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            format!("MNG referenceId must be 1–{KEY_MAX} upper case letters/digits, got '{key}'"),
        ));
    }
    Ok(())
}

/// Turns a proposed merchant key into a valid `referenceId`: kept when valid, else its letters
/// and digits upper-cased, the last 20 kept (deterministic).
pub fn assign_key(proposed: &MerchantKey) -> Result<MerchantKey> {
    if check_key(proposed.as_str()).is_ok() {
        return Ok(proposed.clone());
    }
    let clean: String = proposed
        .as_str()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let key = clean[clean.len().saturating_sub(KEY_MAX)..].to_string();
    check_key(&key)?;
    Ok(MerchantKey(key))
}

/// `shipmentServiceType` for a KargoJet service name: none/`standard`/`1`, `same_day`/`7`,
/// `evening`/`8`.
pub fn service_type(service: Option<&str>) -> Result<u8> {
    match service.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("standard" | "1") => Ok(SERVICE_STANDARD),
        Some("same_day" | "7") => Ok(SERVICE_SAME_DAY),
        Some("evening" | "8") => Ok(SERVICE_EVENING),
        Some(other) => Err(Error::invalid(
            Code::RequestInvalid,
            "service",
            format!("MNG services are standard (1), same_day (7), evening (8); got '{other}'"),
        )),
    }
}

fn ceil_u32(d: Decimal) -> u32 {
    d.ceil().to_u32().unwrap_or(u32::MAX).max(1)
}

/// One `orderPieceList` entry per parcel: barcode `<key>-<n>`, whole desi (÷3000) and kg, both
/// rounded up and at least 1.
pub fn pieces(key: &str, parcels: &[Parcel], content: Option<&str>) -> Vec<wire::OrderPiece> {
    parcels
        .iter()
        .enumerate()
        .map(|(i, p)| wire::OrderPiece {
            barcode: format!("{key}-{}", i + 1),
            desi: ceil_u32(p.desi_with(DEFAULT_DESI_DIVISOR)),
            kg: ceil_u32(p.weight_kg),
            content: content.map(String::from),
        })
        .collect()
}

/// The numeric CBS codes of the recipient's city and district.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codes {
    /// `cityCode`.
    pub city: u32,
    /// `districtCode`.
    pub district: u32,
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The `createOrder` body for `req`, with the recipient's CBS `codes`.
pub fn build_create(req: &CreateRequest, cfg: &MngConfig, codes: Codes) -> Result<CreateOrderBody> {
    let key = req.merchant_key.as_str();
    check_key(key)?;
    let s = &req.shipment;
    if s.parcels.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "parcels",
            "at least one parcel",
        ));
    }
    let (is_cod, cod_amount) = match &s.cod {
        None => (0, Decimal::ZERO),
        Some(c) if c.payment == CodPayment::Card => {
            return Err(Error::Unsupported {
                code: Code::UnsupportedCod,
                carrier: Some(CarrierId::Mng),
                detail: "MNG's create body documents cash COD only (isCOD/codAmount)".into(),
            });
        }
        Some(c) => (1, c.amount.round_kurus().amount),
    };
    let content = non_empty(s.description.as_ref());
    let r = &s.recipient;
    Ok(CreateOrderBody {
        order: wire::Order {
            reference_id: key.to_string(),
            barcode: key.to_string(),
            bill_of_landing_id: Some(non_empty(s.order_id.as_ref()).unwrap_or_else(|| key.into())),
            is_cod,
            cod_amount: JsonDecimal(cod_amount.normalize()),
            shipment_service_type: service_type(req.service.as_deref())?,
            packaging_type: cfg.packaging.wire(),
            content: content.clone(),
            sms_preference1: Some(u8::from(s.sms)),
            sms_preference2: Some(0),
            sms_preference3: Some(0),
            payment_type: cfg.payer.wire(),
            delivery_type: wire::DELIVERY_TO_ADDRESS,
            description: content.clone(),
        },
        order_piece_list: pieces(key, &s.parcels, content.as_deref()),
        recipient: wire::Recipient {
            full_name: r.name.clone(),
            city_code: codes.city,
            district_code: codes.district,
            address: r.address.line.clone(),
            mobile_phone_number: r.phone.digits().to_string(),
        },
    })
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorProbe {
    #[serde(default)]
    error: Option<wire::ApiError>,
    #[serde(default)]
    http_code: Option<LooseString>,
    #[serde(default)]
    http_message: Option<String>,
    #[serde(default)]
    more_information: Option<String>,
}

/// The MNG error an answer carries, if any: the API envelope (any HTTP status) or the gateway
/// envelope.
pub fn envelope_error(http_status: u16, text: &str) -> Option<Error> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let probe: ErrorProbe = serde_json::from_str(text).ok()?;
    if let Some(e) = probe.error {
        let description = e
            .description
            .filter(|d| !d.trim().is_empty())
            .or(e.message)
            .unwrap_or_default();
        let code = e
            .code
            .as_ref()
            .and_then(LooseString::non_empty)
            .map(String::from)
            .unwrap_or_else(|| format!("HTTP{http_status}"));
        return Some(
            MngError::Api {
                http_status,
                code,
                description,
            }
            .into(),
        );
    }
    if probe.http_code.is_some() || probe.more_information.is_some() {
        return Some(
            MngError::Gateway {
                http_status,
                http_message: probe.http_message.unwrap_or_default(),
                more_information: probe.more_information.unwrap_or_default(),
            }
            .into(),
        );
    }
    None
}

/// True when a 5xx answer carries MNG's API error envelope: a business refusal, final — never
/// retried (for `OutgoingRequest::final_when`).
pub fn is_api_refusal(resp: &kargojet_carrier_common::http::RawResponse) -> bool {
    std::str::from_utf8(&resp.body)
        .ok()
        .and_then(|t| envelope_error(resp.status, t))
        .is_some_and(|e| matches!(e, Error::CarrierRejected { .. }))
}

/// Checks an answer: a non-2xx status or an error envelope is the mapped error (401/403 are
/// always `auth.failed`); a 2xx answer gives its text.
pub fn checked(http_status: u16, body: &[u8]) -> Result<&str> {
    let text = text_of(body)?;
    if let Some(e) = envelope_error(http_status, text) {
        if matches!(http_status, 401 | 403) && !matches!(e, Error::Auth { .. }) {
            return Err(unauthorized(http_status, text));
        }
        return Err(e);
    }
    match http_status {
        200..=299 => Ok(text),
        401 | 403 => Err(unauthorized(http_status, text)),
        s => Err(error::http_status(s, text)),
    }
}

fn unauthorized(status: u16, text: &str) -> Error {
    let snippet: String = text.chars().take(200).collect();
    Error::Auth {
        code: Code::AuthFailed,
        carrier: Some(CarrierId::Mng),
        detail: format!("HTTP {status}: {snippet}"),
    }
}

fn json<T: DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| error::malformed(format!("{what}: {e}"), text))
}

/// A JSON array of `T`, or a single `T` object (MNG answers either way), read in one pass.
fn one_or_many<T: DeserializeOwned>(text: &str, what: &str) -> Result<Vec<T>> {
    if text.trim_start().starts_with('[') {
        json(text, what)
    } else {
        json(text, what).map(|one| vec![one])
    }
}

/// A token and when it expires (if `jwtExpireDate` could be read).
#[derive(Clone, PartialEq, Eq)]
pub struct TokenAnswer {
    /// The JWT.
    pub jwt: String,
    /// `jwtExpireDate` read as Turkey time.
    pub expires_at: Option<DateTime<Utc>>,
    /// `jwtExpireDate` as sent.
    pub expire_raw: Option<String>,
}

impl std::fmt::Debug for TokenAnswer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenAnswer")
            .field("jwt", &"***")
            .field("expires_at", &self.expires_at)
            .field("expire_raw", &self.expire_raw)
            .finish()
    }
}

/// The `POST /token` answer.
pub fn parse_token(http_status: u16, body: &[u8]) -> Result<TokenAnswer> {
    let text = checked(http_status, body)?;
    let reply: wire::TokenReply = json(text, "token answer")?;
    let jwt = reply
        .jwt
        .map(|j| j.trim().to_string())
        .filter(|j| !j.is_empty())
        .ok_or_else(|| error::malformed("token answer has no jwt", text))?;
    let expire_raw = reply.jwt_expire_date.filter(|d| !d.trim().is_empty());
    let expires_at = expire_raw
        .as_deref()
        .and_then(dates::mng)
        .map(|t| t.with_timezone(&Utc));
    Ok(TokenAnswer {
        jwt,
        expires_at,
        expire_raw,
    })
}

/// The `createOrder` answer (a JSON array): the references it gives (`orderInvoiceId`).
pub fn parse_create_order(http_status: u16, body: &[u8]) -> Result<BTreeMap<String, String>> {
    let text = checked(http_status, body)?;
    let first = one_or_many::<wire::OrderReply>(text, "createOrder answer")?
        .into_iter()
        .next();
    let mut refs = BTreeMap::new();
    if let Some(id) = first
        .as_ref()
        .and_then(|o| o.order_invoice_id.as_ref())
        .and_then(LooseString::non_empty)
    {
        refs.insert("orderInvoiceId".to_string(), id.to_string());
    }
    Ok(refs)
}

/// The `createbarcode` answer: MNG's `shipmentId` becomes the tracking number; barcode values
/// that are ZPL (`^XA…`) become the label, bytes exactly as received (one block per parcel,
/// joined by a newline); other values are kept as `barcode.<n>` references.
pub fn parse_create_barcode(
    http_status: u16,
    body: &[u8],
    key: &MerchantKey,
) -> Result<CreatedShipment> {
    let text = checked(http_status, body)?;
    let reply = one_or_many::<wire::BarcodeReply>(text, "createbarcode answer")?
        .into_iter()
        .next()
        .unwrap_or_default();
    if let Some(echo) = reply.reference_id.as_deref().map(str::trim) {
        if !echo.is_empty() && echo != key.as_str() {
            return Err(error::malformed(
                format!("createbarcode answered for '{echo}', not '{key}'"),
                text,
            ));
        }
    }
    let shipment_id = reply
        .shipment_id
        .as_ref()
        .and_then(LooseString::non_empty)
        .map(String::from)
        .ok_or_else(|| error::malformed("createbarcode answer has no shipmentId", text))?;
    let mut refs = BTreeMap::new();
    refs.insert("referenceId".to_string(), key.as_str().to_string());
    refs.insert("shipmentId".to_string(), shipment_id.clone());
    let barcodes = reply.barcodes.unwrap_or_default();
    let mut zpl: Vec<&str> = Vec::new();
    for (i, b) in barcodes.iter().enumerate() {
        let Some(v) = b.value.as_deref().filter(|v| !v.trim().is_empty()) else {
            continue;
        };
        if v.trim_start().starts_with("^XA") {
            zpl.push(v);
        } else {
            let n = b
                .piece_number
                .as_ref()
                .and_then(LooseString::non_empty)
                .map(String::from)
                .unwrap_or_else(|| (i + 1).to_string());
            refs.insert(format!("barcode.{n}"), v.to_string());
        }
    }
    refs.insert("pieces".to_string(), barcodes.len().to_string());
    let label = (!zpl.is_empty()).then(|| Label {
        format: LabelFormat::Zpl,
        bytes: zpl.join("\n").into_bytes(),
    });
    Ok(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: Some(shipment_id),
        carrier_refs: refs,
        label,
        raw: text.to_string(),
    })
}

/// The `cancelorder` answer: any 2xx without an error envelope is success (the body is not
/// documented).
pub fn parse_cancel(http_status: u16, body: &[u8]) -> Result<()> {
    checked(http_status, body).map(|_| ())
}

/// One status answer, read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatusRecord {
    /// MNG's shipment id.
    pub shipment_id: Option<String>,
    /// The merchant key echoed.
    pub reference_id: Option<String>,
    /// Public tracking page.
    pub tracking_url: Option<String>,
    /// The normalized current status, if the code is known.
    pub status: Option<ShipmentStatus>,
    /// The current status as an event (when `statusDateTime` is given).
    pub event: Option<TrackingEvent>,
}

fn loose(v: &Option<LooseString>) -> Option<String> {
    v.as_ref()
        .and_then(LooseString::non_empty)
        .map(String::from)
}

fn positive(v: Option<JsonDecimal>) -> Option<Decimal> {
    v.map(|d| d.0).filter(|d| *d > Decimal::ZERO)
}

/// The measurement of a status item: `totalDesi`, `totalKg` and `finalTotal` (VAT included) once
/// MNG has the parcel (not for a created/cancelled status: its totals are the declaration).
pub fn measurement(item: &wire::StatusItem, status: Option<ShipmentStatus>) -> Option<Measurement> {
    if matches!(
        status,
        Some(ShipmentStatus::Created | ShipmentStatus::Cancelled)
    ) {
        return None;
    }
    let m = Measurement {
        desi: positive(item.total_desi),
        kg: positive(item.total_kg),
        amount: positive(item.final_total).map(Money::try_lira),
    };
    (!m.is_empty()).then_some(m)
}

fn event_of(
    item: &wire::StatusItem,
    raw: &str,
) -> Result<(Option<ShipmentStatus>, Option<TrackingEvent>)> {
    let code = loose(&item.shipment_status_code).unwrap_or_default();
    let wording = item
        .shipment_status
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let known = status::rest(&code);
    let st = status::rest_status(&code, wording.unwrap_or_default());
    let Some(when) = loose(&item.status_date_time) else {
        return Ok((st, None));
    };
    let time = dates::mng(&when)
        .ok_or_else(|| error::malformed(format!("bad statusDateTime '{when}'"), raw))?;
    let mut text = wording
        .map(String::from)
        .or_else(|| known.map(|k| k.text_tr.to_string()))
        .unwrap_or_else(|| code.clone());
    if st == Some(ShipmentStatus::Delivered) {
        if let Some(who) = non_empty(item.delivery_to.as_ref()) {
            text = format!("{text} ({who})");
        }
    }
    let location = match st {
        Some(
            ShipmentStatus::AtBranch
            | ShipmentStatus::OutForDelivery
            | ShipmentStatus::Delivered
            | ShipmentStatus::DeliveryFailed,
        ) => loose(&item.receiving_branch).or_else(|| loose(&item.shipper_branch)),
        _ => loose(&item.shipper_branch).or_else(|| loose(&item.receiving_branch)),
    };
    let event = TrackingEvent {
        time,
        location,
        carrier_code: code,
        carrier_text: text,
        status: st,
        measurement: measurement(item, st),
    };
    Ok((st, Some(event)))
}

/// The status answer of `key` (by `referenceId` or by `shipment_id`): `Ok(None)` when MNG does
/// not track it (yet): HTTP 404 with the API envelope or an empty body, an empty list, or a list
/// that names another shipment.
pub fn parse_status(
    http_status: u16,
    body: &[u8],
    key: &MerchantKey,
    shipment_id: Option<&str>,
) -> Result<Option<StatusRecord>> {
    let text = text_of(body)?;
    if http_status == 404 {
        return match envelope_error(404, text) {
            Some(e @ Error::Transport { .. }) => Err(e),
            _ => Ok(None),
        };
    }
    let text = checked(http_status, body)?;
    if text.trim().is_empty() {
        return Ok(None);
    }
    let items = one_or_many::<wire::StatusItem>(text, "status answer")?;
    let ours = |i: &&wire::StatusItem| {
        let r = loose(&i.reference_id);
        let s = loose(&i.shipment_id);
        r.as_deref() == Some(key.as_str()) || (shipment_id.is_some() && s.as_deref() == shipment_id)
    };
    let item = match items.iter().find(ours) {
        Some(i) => i,
        None => match items.as_slice() {
            [only] if loose(&only.reference_id).is_none() => only,
            _ => return Ok(None),
        },
    };
    let (st, event) = event_of(item, text)?;
    Ok(Some(StatusRecord {
        shipment_id: loose(&item.shipment_id),
        reference_id: loose(&item.reference_id),
        tracking_url: non_empty(item.tracking_url.as_ref()),
        status: st,
        event,
    }))
}

/// A status record as a [`TrackingUpdate`] (the status endpoint gives the current status only:
/// one event per answer; the orchestrator builds the history from successive polls). `None`
/// (not yet trackable) is an update without status or events.
pub fn tracking_update(record: Option<StatusRecord>, raw: String) -> TrackingUpdate {
    let record = record.unwrap_or_default();
    TrackingUpdate {
        carrier_tracking_number: record.shipment_id,
        status: record.status,
        events: record.event.into_iter().collect(),
        raw,
    }
}

/// The shipment a status record proves exists, for reconciliation.
pub fn found(record: StatusRecord, key: &MerchantKey, raw: String) -> CreatedShipment {
    let mut refs = BTreeMap::new();
    refs.insert("referenceId".to_string(), key.as_str().to_string());
    if let Some(id) = &record.shipment_id {
        refs.insert("shipmentId".to_string(), id.clone());
    }
    if let Some(u) = record.tracking_url {
        refs.insert("trackingUrl".to_string(), u);
    }
    CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: record.shipment_id,
        carrier_refs: refs,
        label: None,
        raw,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key() -> MerchantKey {
        MerchantKey("KJ2400000201".into())
    }

    #[test]
    fn keys_are_checked_and_assigned() {
        assert!(check_key("KJ2400000201").is_ok());
        assert!(check_key("kj2400000201").is_err());
        assert!(check_key("KJ-24").is_err());
        assert!(check_key("").is_err());
        assert!(check_key("ABCDEFGHIJKLMNOPQRSTU").is_err());
        let k = assign_key(&MerchantKey("kj-24-0000401".into())).unwrap();
        assert_eq!(k.as_str(), "KJ240000401");
        let k = assign_key(&MerchantKey("order-2024-03-12-000000000401".into())).unwrap();
        assert_eq!(k.as_str(), "20240312000000000401");
        assert!(assign_key(&MerchantKey("--".into())).is_err());
    }

    #[test]
    fn services_and_pieces() {
        assert_eq!(service_type(None).unwrap(), 1);
        assert_eq!(service_type(Some("same_day")).unwrap(), 7);
        assert_eq!(service_type(Some("8")).unwrap(), 8);
        assert_eq!(
            service_type(Some("express")).unwrap_err().field(),
            Some("service")
        );
        let p = Parcel::new(
            Decimal::from(20),
            Decimal::from(15),
            Decimal::from(15),
            Decimal::new(8, 1),
        );
        let tiny = Parcel::new(Decimal::ONE, Decimal::ONE, Decimal::ONE, Decimal::new(1, 1));
        let ps = pieces("K1", &[p, tiny], Some("Kitap"));
        assert_eq!((ps[0].desi, ps[0].kg), (2, 1));
        assert_eq!((ps[1].desi, ps[1].kg), (1, 1));
        assert_eq!(ps[1].barcode, "K1-2");
    }

    #[test]
    fn error_envelopes_in_any_status() {
        let dup = r#"{"error":{"Code":"3002","Description":"BU SİPARİS NUMARASINA AİT KAYIT ZATEN VAR!"}}"#;
        let e = checked(500, dup.as_bytes()).unwrap_err();
        assert_eq!(
            (e.code(), e.carrier_code()),
            (Code::CarrierDuplicate, Some("3002"))
        );
        let lower = r#"{"error":{"code":20001,"description":"VARIŞ ŞUBESİ BULUNAMADI"}}"#;
        let e = checked(400, lower.as_bytes()).unwrap_err();
        assert_eq!(e.carrier_code(), Some("20001"));
        let in_200 = r#"{"error":{"Code":"X1","Message":"m"}}"#;
        assert_eq!(
            checked(200, in_200.as_bytes()).unwrap_err().carrier_code(),
            Some("X1")
        );
        let gw = r#"{"httpCode":"401","httpMessage":"Unauthorized","moreInformation":"Application is not subscribed"}"#;
        assert_eq!(
            checked(401, gw.as_bytes()).unwrap_err().code(),
            Code::AuthFailed
        );
        assert_eq!(checked(401, b"").unwrap_err().code(), Code::AuthFailed);
        let e = checked(401, r#"{"error":{"Code":"JWT"}}"#.as_bytes()).unwrap_err();
        assert_eq!(e.code(), Code::AuthFailed);
        assert_eq!(
            checked(502, b"<html>bad gateway</html>")
                .unwrap_err()
                .code(),
            Code::TransportHttpStatus
        );
        assert_eq!(checked(200, b"[1]").unwrap(), "[1]");
        assert_eq!(
            checked(200, &[0xff, b'{']).unwrap_err().code(),
            Code::ProtocolMalformed
        );
        let resp = |status: u16, body: &str| kargojet_carrier_common::http::RawResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        };
        assert!(is_api_refusal(&resp(500, dup)));
        assert!(!is_api_refusal(&resp(500, "Internal Server Error")));
        assert!(!is_api_refusal(&resp(503, gw)));
    }

    #[test]
    fn tokens_with_and_without_a_readable_expiry() {
        let t = parse_token(
            200,
            br#"{"jwt":"a.b.c","jwtExpireDate":"12-03-2024 18:05"}"#,
        )
        .unwrap();
        assert_eq!(t.jwt, "a.b.c");
        assert_eq!(
            t.expires_at.map(|d| d.to_rfc3339()).as_deref(),
            Some("2024-03-12T15:05:00+00:00")
        );
        let t = parse_token(200, br#"{"jwt":"a","jwtExpireDate":"12.03.2024 18:05:30"}"#).unwrap();
        assert!(t.expires_at.is_some());
        let t = parse_token(200, r#"{"jwt":"a","jwtExpireDate":"yarın"}"#.as_bytes()).unwrap();
        assert_eq!(
            (t.expires_at, t.expire_raw.as_deref()),
            (None, Some("yarın"))
        );
        assert_eq!(
            parse_token(200, br#"{"jwtExpireDate":"x"}"#)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
        assert!(!format!("{t:?}").contains("\"a\""));
    }

    #[test]
    fn barcode_answers() {
        let body = br#"{"referenceId":"KJ2400000201","shipmentId":30112345678,"barcodes":[{"pieceNumber":1,"value":"^XA^FDX^FS^XZ"},{"pieceNumber":2,"value":"^XA^FDY^FS^XZ"}]}"#;
        let c = parse_create_barcode(200, body, &key()).unwrap();
        assert_eq!(c.carrier_tracking_number.as_deref(), Some("30112345678"));
        assert_eq!(c.label.unwrap().bytes, b"^XA^FDX^FS^XZ\n^XA^FDY^FS^XZ");
        let text = br#"{"shipmentId":"301","barcodes":[{"pieceNumber":1,"value":"301000001"}]}"#;
        let c = parse_create_barcode(200, text, &key()).unwrap();
        assert_eq!(c.label, None);
        assert_eq!(
            c.carrier_refs.get("barcode.1").map(String::as_str),
            Some("301000001")
        );
        let other = br#"{"referenceId":"OTHER","shipmentId":"1"}"#;
        assert_eq!(
            parse_create_barcode(200, other, &key()).unwrap_err().code(),
            Code::ProtocolMalformed
        );
        assert_eq!(
            parse_create_barcode(200, br#"{"barcodes":[]}"#, &key())
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
    }

    #[test]
    fn status_answers_unknown_codes_and_measurements() {
        let body = r#"[{"referenceId":"KJ2400000201","shipmentId":"301","shipmentStatusCode":12,"shipmentStatus":"ŞUBEDE BEKLİYOR","statusDateTime":"13.03.2024 11:42:00","totalDesi":3,"totalKg":"1.5","finalTotal":96.5}]"#;
        let r = parse_status(200, body.as_bytes(), &key(), None)
            .unwrap()
            .unwrap();
        let e = r.event.clone().unwrap();
        assert_eq!((e.carrier_code.as_str(), e.status), ("12", None));
        assert_eq!(e.time.offset().local_minus_utc(), 3 * 3600);
        let m = e.measurement.unwrap();
        assert_eq!(m.desi, Some(Decimal::from(3)));
        assert_eq!(m.kg, Some(Decimal::new(15, 1)));
        assert_eq!(m.amount.map(|a| a.amount), Some(Decimal::new(965, 1)));
        let created = r#"[{"referenceId":"KJ2400000201","shipmentStatusCode":1,"statusDateTime":"13.03.2024 11:42:00","totalDesi":3}]"#;
        let r = parse_status(200, created.as_bytes(), &key(), None)
            .unwrap()
            .unwrap();
        assert_eq!(r.event.unwrap().measurement, None);
        assert_eq!(parse_status(404, b"", &key(), None).unwrap(), None);
        assert_eq!(parse_status(200, b"[]", &key(), None).unwrap(), None);
        let other = r#"[{"referenceId":"OTHER","shipmentStatusCode":5}]"#;
        assert_eq!(
            parse_status(200, other.as_bytes(), &key(), None).unwrap(),
            None
        );
        let gw404 = r#"{"httpCode":"404","httpMessage":"Not Found","moreInformation":"No resources match requested URI"}"#;
        assert_eq!(
            parse_status(404, gw404.as_bytes(), &key(), None)
                .unwrap_err()
                .code(),
            Code::TransportHttpStatus
        );
        let bad_time =
            r#"[{"referenceId":"KJ2400000201","shipmentStatusCode":5,"statusDateTime":"dün"}]"#;
        let e = parse_status(200, bad_time.as_bytes(), &key(), None).unwrap_err();
        assert_eq!(e.raw(), Some(bad_time));
        let no_time = r#"{"shipmentStatusCode":"4"}"#;
        let r = parse_status(200, no_time.as_bytes(), &key(), None)
            .unwrap()
            .unwrap();
        assert_eq!(
            (r.status, r.event),
            (Some(ShipmentStatus::OutForDelivery), None)
        );
        assert_eq!(
            parse_status(200, br#"{"a":"#, &key(), None)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
    }
}
