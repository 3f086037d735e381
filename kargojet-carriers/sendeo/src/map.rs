//! Pure domain ↔ wire functions: the `SETDELIVERY` bodies of KargoJet create/return requests,
//! and every Sendeo answer into [`CreatedShipment`], [`TrackingUpdate`], [`Label`],
//! [`ReferenceLookup`] and city/district codes. No I/O; any input gives a value or a typed error
//! keeping the raw body, never a panic.
//!
//! Money: COD amounts are rounded to the kuruş half away from zero and written as JSON doubles
//! (Sendeo's type) in their shortest decimal form (`199.9`); amounts read back (`TotalPrice`)
//! become [`Money`] from their decimal text, never through float arithmetic.

use crate::config::{LabelType, SendeoConfig};
use crate::districts::{AddressCodes, CityCodes};
use crate::error::{self, SendeoError};
use crate::status;
use crate::wire::{self, Envelope, JsonDecimal, Product, SetDeliveryBody, id_int, id_text};
use base64::Engine;
use kargojet_carrier_common::dates;
use kargojet_carrier_common::http::RawResponse;
use kargojet_core::address::{Address, Party};
use kargojet_core::carrier::{
    CarrierId, CreateRequest, ReferenceLookup, ReturnRequest, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::geo::{Plate, fold};
use kargojet_core::money::Money;
use kargojet_core::parcel::Parcel;
use kargojet_core::shipment::{CodPayment, CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent, current_status};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeMap;

/// Sendeo's COD cap: 5,000 TL ("Bu alan 5000 lira ile sınırlıdır").
pub const COD_MAX_KURUS: i64 = 500_000;
/// Longest `ReferenceNo` KargoJet sends (Sendeo documents no limit; an assumption).
pub const KEY_MAX_LEN: usize = 50;

/// The COD cap as money.
pub fn cod_max() -> Money {
    Money::from_kurus(COD_MAX_KURUS)
}

fn malformed(detail: impl Into<String>, raw: &str) -> Error {
    SendeoError::Malformed {
        detail: detail.into(),
        raw: raw.into(),
    }
    .into()
}

/// The body as text; invalid UTF-8 is `protocol.malformed` with the lossy raw body.
pub fn text_of(body: &[u8]) -> Result<&str> {
    std::str::from_utf8(body).map_err(|e| {
        malformed(
            format!("answer is not UTF-8: {e}"),
            &String::from_utf8_lossy(body),
        )
    })
}

/// The non-empty `ExceptionMessage` of an answer (any key casing), if it has one.
pub fn exception_message(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    v.as_object()?.iter().find_map(|(k, v)| {
        (k.eq_ignore_ascii_case("exceptionmessage"))
            .then(|| v.as_str().map(str::trim).filter(|m| !m.is_empty()))
            .flatten()
            .map(String::from)
    })
}

/// For common's `final_when`: a 5xx that carries an `ExceptionMessage` is a business answer,
/// final (never retried); a bare 5xx is a transport failure.
pub fn is_business_answer(resp: &RawResponse) -> bool {
    exception_message(&resp.body).is_some()
}

/// Reads a Sendeo answer (see [`crate::error`] for the mapping): 401/403 → `auth.failed`; an
/// `ExceptionMessage` (any status) or HTTP 400 → `carrier.rejected`; other non-2xx →
/// `transport.http_status`; a 2xx body that is not the envelope → `protocol.malformed`.
pub fn envelope<T: DeserializeOwned>(http_status: u16, body: &[u8]) -> Result<Envelope<T>> {
    if http_status == 401 || http_status == 403 {
        return Err(SendeoError::Unauthorized {
            status: http_status,
        }
        .into());
    }
    let text = text_of(body)?;
    let ok_http = (200..300).contains(&http_status);
    let parsed: Option<Envelope<Value>> = serde_json::from_str::<Value>(text)
        .ok()
        .filter(Value::is_object)
        .and_then(|v| serde_json::from_value(wire::lower_keys(v)).ok());
    let Some(env) = parsed else {
        return Err(if ok_http {
            malformed("not Sendeo's JSON envelope", text)
        } else if http_status == 400 {
            SendeoError::Exception {
                status_code: Some(400),
                message: "Bad Request".into(),
            }
            .into()
        } else {
            SendeoError::http_status(http_status, text).into()
        });
    };
    if let Some(message) = env
        .exception_message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        return Err(SendeoError::Exception {
            status_code: env.status_code.as_ref().and_then(id_int),
            message: message.to_string(),
        }
        .into());
    }
    if http_status == 400 {
        return Err(SendeoError::Exception {
            status_code: Some(400),
            message: "Bad Request".into(),
        }
        .into());
    }
    if !ok_http {
        return Err(SendeoError::http_status(http_status, text).into());
    }
    let result = match env.result {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value(v)
                .map_err(|e| malformed(format!("unexpected result: {e}"), text))?,
        ),
    };
    Ok(Envelope {
        request_id: env.request_id,
        exception_message: None,
        inner_exception_message: env.inner_exception_message,
        exception_description: env.exception_description,
        result,
        status_code: env.status_code,
    })
}

/// The token and customer code of a login answer.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// The bearer token.
    pub token: String,
    /// `CustomerId`, as text.
    pub customer_id: Option<String>,
}

impl std::fmt::Debug for TokenInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenInfo")
            .field("token", &"***")
            .field("customer_id", &self.customer_id)
            .finish()
    }
}

/// The login body of `cfg`.
pub fn login_body(cfg: &SendeoConfig) -> wire::LoginBody {
    wire::LoginBody {
        musteri: Some(cfg.username.clone()),
        sifre: Some(cfg.password.clone()),
    }
}

/// The login answer. A refusal — 401/403, or an `ExceptionMessage` (wrong password, blocked
/// user) — is `auth.failed`: never retried.
pub fn parse_token(http_status: u16, body: &[u8]) -> Result<TokenInfo> {
    if matches!(http_status, 401 | 403) {
        return Err(SendeoError::LoginRefused {
            status: http_status,
            message: exception_message(body).unwrap_or_default(),
        }
        .into());
    }
    let env: Envelope<wire::TokenResult> = match envelope(http_status, body) {
        Err(Error::CarrierRejected {
            carrier_message, ..
        }) => {
            return Err(SendeoError::LoginRefused {
                status: http_status,
                message: carrier_message,
            }
            .into());
        }
        other => other?,
    };
    let text = String::from_utf8_lossy(body);
    let result = env
        .result
        .ok_or_else(|| malformed("login answer has no result", &text))?;
    let token = result
        .token
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| malformed("login answer has no Token", &text))?;
    Ok(TokenInfo {
        token,
        customer_id: result.customer_id.as_ref().map(id_text),
    })
}

/// Checks a `ReferenceNo`: 1–50 ASCII letters, digits, `-` or `_`.
pub fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= KEY_MAX_LEN
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        return Ok(());
    }
    Err(Error::invalid(
        Code::RequestInvalid,
        "merchant_key",
        format!(
            "Sendeo ReferenceNo must be 1–{KEY_MAX_LEN} letters, digits, '-' or '_', got '{key}'"
        ),
    ))
}

/// Keeps a valid proposal, else its letters/digits/`-`/`_` (the last 50).
pub fn assign_key(proposed: &MerchantKey) -> Result<MerchantKey> {
    if check_key(proposed.as_str()).is_ok() {
        return Ok(proposed.clone());
    }
    let kept: String = proposed
        .as_str()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let tail = &kept[kept.len().saturating_sub(KEY_MAX_LEN)..];
    check_key(tail)?;
    Ok(MerchantKey(tail.to_string()))
}

/// Checks what can be checked before anything is sent: the key, the parcels and the COD
/// (positive, at most 5,000 TL).
pub fn check_create(req: &CreateRequest) -> Result<()> {
    check_key(req.merchant_key.as_str())?;
    if req.shipment.parcels.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "parcels",
            "at least one parcel",
        ));
    }
    if let Some(cod) = &req.shipment.cod {
        let amount = cod.amount.round_kurus();
        if amount.amount <= Decimal::ZERO {
            return Err(Error::invalid(
                Code::RequestInvalidAmount,
                "cod.amount",
                format!("{} must be positive", amount.to_turkish()),
            ));
        }
        if amount > cod_max() {
            return Err(Error::invalid(
                Code::RequestInvalidAmount,
                "cod.amount",
                format!(
                    "Sendeo collects at most {} on delivery; {} asked",
                    cod_max().to_turkish(),
                    amount.to_turkish()
                ),
            ));
        }
    }
    Ok(())
}

/// Money as Sendeo's double: kuruş-rounded, written as the exact JSON number (`199.9`).
pub fn wire_amount(m: Money) -> JsonDecimal {
    JsonDecimal(m.round_kurus().amount.normalize())
}

fn whole_up(d: Decimal) -> i64 {
    d.ceil().to_i64().unwrap_or(i64::MAX)
}

/// One `Products` line per parcel: `count` 1, desi (÷3000) and kg rounded up to whole units,
/// `DeciWeight` the larger of the two, `Price` the parcel's share of the COD amount (Sendeo
/// refuses a COD with a zero price, code 410) or 0.
pub fn products(parcels: &[Parcel], cod: Option<Money>) -> Vec<Product> {
    let n = i64::try_from(parcels.len().max(1)).unwrap_or(1);
    let total = cod.map(|m| m.round_kurus().to_kurus()).unwrap_or(0);
    let (share, rest) = (total / n, total % n);
    parcels
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let deci = whole_up(p.desi());
            let kg = whole_up(p.weight_kg);
            let kurus = share + if i == 0 { rest } else { 0 };
            Product {
                count: Some(1),
                product_code: Some(String::new()),
                description: Some(String::new()),
                deci: Some(deci),
                weigth: Some(kg),
                deci_weight: Some(deci.max(kg)),
                price: Some(wire_amount(Money::from_kurus(kurus))),
            }
        })
        .collect()
}

/// The open address: the line, with the neighbourhood in front when it is given separately.
pub fn address_line(a: &Address) -> String {
    match a.neighbourhood.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && !fold(&a.line).contains(&fold(n)) => {
            format!("{n} Mah. {}", a.line)
        }
        _ => a.line.clone(),
    }
}

/// `(Phone, GSM)`: a mobile number goes to GSM, a landline to Phone.
fn phones(p: &Party) -> (Option<String>, Option<String>) {
    let d = p.phone.digits().to_string();
    if p.phone.is_mobile() {
        (None, Some(d))
    } else {
        (Some(d), None)
    }
}

fn non_empty(s: Option<&String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The Sendeo ids of both parties of a shipment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartyCodes {
    /// Of the sender.
    pub sender: AddressCodes,
    /// Of the receiver.
    pub receiver: AddressCodes,
}

/// The `SETDELIVERY` body (`DeliveryType` 1: the account's location → the recipient) for
/// `req`, with the parties' ids looked up beforehand.
pub fn build_create(
    req: &CreateRequest,
    cfg: &SendeoConfig,
    codes: &PartyCodes,
) -> Result<SetDeliveryBody> {
    check_create(req)?;
    let s = &req.shipment;
    let (sender_phone, sender_gsm) = phones(&s.sender);
    let (receiver_phone, receiver_gsm) = phones(&s.recipient);
    let cod = s.cod.as_ref();
    let collection_type = match cod.map(|c| c.payment) {
        None => wire::COLLECTION_NONE,
        Some(CodPayment::Cash) => wire::COLLECTION_CASH,
        Some(CodPayment::Card) => wire::COLLECTION_CARD,
    };
    let cod_amount = cod.map(|c| c.amount);
    Ok(SetDeliveryBody {
        delivery_type: Some(wire::DELIVERY_OUTBOUND),
        reference_no: Some(req.merchant_key.as_str().to_string()),
        description: non_empty(s.description.as_ref()).or_else(|| non_empty(s.order_id.as_ref())),
        sender_address: Some(address_line(&s.sender.address)),
        sender_city_id: Some(codes.sender.city_id),
        sender_district_id: Some(codes.sender.district_id),
        sender_phone,
        sender_gsm,
        sender_email: non_empty(s.sender.email.as_ref()),
        receiver: Some(s.recipient.name.clone()),
        receiver_address: Some(address_line(&s.recipient.address)),
        receiver_city_id: Some(codes.receiver.city_id),
        receiver_district_id: Some(codes.receiver.district_id),
        receiver_phone,
        receiver_gsm,
        receiver_email: non_empty(s.recipient.email.as_ref()),
        payment_type: Some(wire::PAYMENT_TYPE),
        collection_type: Some(collection_type),
        collection_price: Some(wire_amount(cod_amount.unwrap_or_else(Money::zero))),
        service_type: Some(i64::from(cfg.service_type)),
        barcode_label_type: Some(cfg.label.wire(s.parcels.len())),
        products: Some(products(&s.parcels, cod_amount)),
        ..Default::default()
    })
}

/// The return body: `DeliveryType` 2 (customer → merchant), the original recipient as sender
/// and the original sender as receiver, no COD. `codes.sender` are the customer's ids.
pub fn build_return(
    req: &ReturnRequest,
    cfg: &SendeoConfig,
    codes: &PartyCodes,
) -> Result<SetDeliveryBody> {
    check_key(req.merchant_key.as_str())?;
    let customer = &req.shipment.recipient;
    let merchant = &req.shipment.sender;
    let (sender_phone, sender_gsm) = phones(customer);
    let (receiver_phone, receiver_gsm) = phones(merchant);
    let parcels: Vec<Parcel> = req.shipment.parcels.clone();
    let lines = if parcels.is_empty() {
        vec![Product {
            count: Some(1),
            product_code: Some(String::new()),
            description: Some(String::new()),
            deci: Some(0),
            weigth: Some(0),
            deci_weight: Some(0),
            price: Some(wire_amount(Money::zero())),
        }]
    } else {
        products(&parcels, None)
    };
    Ok(SetDeliveryBody {
        delivery_type: Some(wire::DELIVERY_RETURN),
        reference_no: Some(req.merchant_key.as_str().to_string()),
        description: Some(format!("İade {}", req.original.merchant_key)),
        sender: Some(customer.name.clone()),
        sender_address: Some(address_line(&customer.address)),
        sender_city_id: Some(codes.sender.city_id),
        sender_district_id: Some(codes.sender.district_id),
        sender_phone,
        sender_gsm,
        sender_email: non_empty(customer.email.as_ref()),
        receiver: Some(merchant.name.clone()),
        receiver_address: Some(address_line(&merchant.address)),
        receiver_city_id: Some(codes.receiver.city_id),
        receiver_district_id: Some(codes.receiver.district_id),
        receiver_phone,
        receiver_gsm,
        payment_type: Some(wire::PAYMENT_TYPE),
        collection_type: Some(wire::COLLECTION_NONE),
        collection_price: Some(wire_amount(Money::zero())),
        service_type: Some(i64::from(cfg.service_type)),
        barcode_label_type: Some(cfg.label.wire(lines.len())),
        products: Some(lines),
        ..Default::default()
    })
}

/// A Base64 label decoded, its format read from the document's first bytes.
pub fn decode_label(b64: &str, raw: &str) -> Result<Label> {
    let data = b64.trim();
    let data = match data.split_once("base64,") {
        Some((head, rest)) if head.starts_with("data:") => rest,
        _ => data,
    };
    let cleaned: String = data.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| malformed(format!("Barcode is not Base64: {e}"), raw))?;
    let format = if bytes.starts_with(b"%PDF") {
        LabelFormat::Pdf
    } else if bytes.starts_with(b"\x89PNG") {
        LabelFormat::Png
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        LabelFormat::Jpeg
    } else {
        return Err(malformed(
            "Barcode is neither a PDF nor a PNG/JPEG image",
            raw,
        ));
    };
    Ok(Label { format, bytes })
}

/// The label of a `SETDELIVERY`/`GETBARCODE` result as received: the ZPLs joined by a newline,
/// the one ZPL, or the decoded Base64 document; `None` when the result carries none.
pub fn label_of(r: &wire::CreateResult, raw: &str) -> Result<Option<Label>> {
    let zpls: Vec<&str> = r
        .barcode_zpls
        .iter()
        .flatten()
        .map(String::as_str)
        .filter(|z| !z.trim().is_empty())
        .collect();
    if !zpls.is_empty() {
        return Ok(Some(Label {
            format: LabelFormat::Zpl,
            bytes: zpls.join("\n").into_bytes(),
        }));
    }
    if let Some(z) = r.barcode_zpl.as_deref().filter(|z| !z.trim().is_empty()) {
        return Ok(Some(Label {
            format: LabelFormat::Zpl,
            bytes: z.as_bytes().to_vec(),
        }));
    }
    match r.barcode.as_deref().filter(|b| !b.trim().is_empty()) {
        Some(b) => decode_label(b, raw).map(Some),
        None => Ok(None),
    }
}

/// The `SETDELIVERY` answer → [`CreatedShipment`] (Sendeo's tracking number, the label as
/// received, the raw body).
pub fn parse_create(
    http_status: u16,
    body: &[u8],
    key: &MerchantKey,
    parcels: usize,
) -> Result<CreatedShipment> {
    let env: Envelope<wire::CreateResult> = envelope(http_status, body)?;
    let raw = String::from_utf8_lossy(body).into_owned();
    let r = env
        .result
        .ok_or_else(|| malformed("create answer has no result", &raw))?;
    let number = r
        .tracking_number
        .as_ref()
        .map(id_text)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| malformed("create answer has no TrackingNumber", &raw))?;
    let label = label_of(&r, &raw)?;
    let mut refs = BTreeMap::new();
    refs.insert("ReferenceNo".to_string(), key.as_str().to_string());
    refs.insert("TrackingNumber".to_string(), number.clone());
    refs.insert("parcels".to_string(), parcels.to_string());
    if let Some(u) = r.tracking_url.filter(|u| !u.trim().is_empty()) {
        refs.insert("TrackingUrl".to_string(), u);
    }
    let barcodes: Vec<String> = r
        .barcode_numbers
        .iter()
        .flatten()
        .filter_map(|b| b.non_empty().map(String::from))
        .collect();
    if !barcodes.is_empty() {
        refs.insert("BarcodeNumbers".to_string(), barcodes.join(","));
    }
    Ok(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: Some(number),
        carrier_refs: refs,
        label,
        raw,
    })
}

/// The `BarcodeLabelType` to ask `GETBARCODE` for `format`, or `unsupported.label_format`.
pub fn label_type_for(format: LabelFormat, parcels: usize) -> Result<i64> {
    match format {
        LabelFormat::Zpl => Ok(LabelType::Zpl.wire(parcels)),
        LabelFormat::Pdf | LabelFormat::Png => Ok(LabelType::Base64.wire(parcels)),
        other => Err(Error::Unsupported {
            code: Code::UnsupportedLabelFormat,
            carrier: Some(CarrierId::Sendeo),
            detail: format!("Sendeo renders ZPL or a Base64 document; not {other:?}"),
        }),
    }
}

/// The `GETBARCODE` answer → the label as received; a Base64 document of another format than
/// asked is `unsupported.label_format`.
pub fn parse_label(http_status: u16, body: &[u8], format: LabelFormat) -> Result<Label> {
    let env: Envelope<wire::CreateResult> = envelope(http_status, body)?;
    let raw = String::from_utf8_lossy(body);
    let r = env
        .result
        .ok_or_else(|| malformed("label answer has no result", &raw))?;
    let label = label_of(&r, &raw)?.ok_or_else(|| malformed("label answer has no label", &raw))?;
    if label.format != format {
        return Err(Error::Unsupported {
            code: Code::UnsupportedLabelFormat,
            carrier: Some(CarrierId::Sendeo),
            detail: format!(
                "Sendeo answered a {:?} label where {format:?} was asked",
                label.format
            ),
        });
    }
    Ok(label)
}

/// The `CANCELDELIVERY` answer: `IsSuccess: true`, or the refusal (703 after collection).
pub fn parse_cancel(http_status: u16, body: &[u8]) -> Result<()> {
    let env: Envelope<wire::SuccessResult> = envelope(http_status, body)?;
    match env.result.and_then(|r| r.is_success) {
        Some(true) => Ok(()),
        Some(false) => Err(Error::rejected(
            CarrierId::Sendeo,
            "IsSuccess=false",
            "Sendeo did not cancel the delivery",
        )),
        None => Err(malformed(
            "cancel answer has no IsSuccess",
            &String::from_utf8_lossy(body),
        )),
    }
}

/// The `CARGOMEASUREMENTUPDATE` body: one line per parcel (cm rounded up, desi and kg as
/// doubles, desi ÷3000).
pub fn measurement_body(key: &MerchantKey, parcels: &[Parcel]) -> Result<wire::MeasurementBody> {
    check_key(key.as_str())?;
    if parcels.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "parcels",
            "at least one parcel",
        ));
    }
    let double = |d: Decimal| JsonDecimal(d.round_dp(3).normalize());
    let lines = parcels
        .iter()
        .map(|p| wire::MeasurementLine {
            quantity: Some(1),
            width: Some(whole_up(p.width_cm)),
            length: Some(whole_up(p.length_cm)),
            height: Some(whole_up(p.height_cm)),
            deci: Some(double(p.desi())),
            weight: Some(double(p.weight_kg)),
        })
        .collect();
    Ok(wire::MeasurementBody {
        customer_reference_no: Some(key.as_str().to_string()),
        measurements: Some(lines),
    })
}

/// The `CARGOMEASUREMENTUPDATE` answer.
pub fn parse_measurement(http_status: u16, body: &[u8]) -> Result<()> {
    let env: Envelope<wire::SuccessResult> = envelope(http_status, body)?;
    match env.result {
        Some(wire::SuccessResult {
            is_success: Some(true),
            ..
        }) => Ok(()),
        Some(r) => Err(Error::rejected(
            CarrierId::Sendeo,
            "IsSuccess=false",
            r.message.unwrap_or_default(),
        )),
        None => Err(malformed(
            "measurement answer has no result",
            &String::from_utf8_lossy(body),
        )),
    }
}

fn opt(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|v| !v.is_empty()).map(String::from)
}

fn event_text(status_name: Option<&str>, description: Option<&str>, code: &str) -> String {
    match (opt(status_name), opt(description)) {
        (Some(s), Some(d)) if fold(&s) != fold(&d) => format!("{s} ({d})"),
        (Some(s), _) => s,
        (None, Some(d)) => d,
        (None, None) => status::known_text(code)
            .map(|k| k.name_tr.to_string())
            .unwrap_or_else(|| code.to_string()),
    }
}

fn positive(s: Option<&JsonDecimal>) -> Option<Decimal> {
    s.map(|d| d.0).filter(|d| *d > Decimal::ZERO)
}

/// The `TRACKDELIVERY` answer → [`TrackingUpdate`]: one event per `StatusHistories` entry
/// (times without offset read as Turkey time), plus the current `State` when the history lacks
/// it; the measurement (`DeciWeight`, `TotalPrice`) on the measuring event (132) or else the
/// collection event; oldest first. "No Delivery Found." (702) is `not_found.shipment`.
pub fn parse_track(http_status: u16, body: &[u8]) -> Result<TrackingUpdate> {
    let env: Envelope<wire::TrackResult> = match envelope(http_status, body) {
        Err(e) if error::is_no_delivery_found(&e) => {
            return Err(Error::not_found(
                Code::NotFoundShipment,
                "Sendeo: No Delivery Found.",
            ));
        }
        other => other?,
    };
    let raw = String::from_utf8_lossy(body).into_owned();
    let r = env
        .result
        .ok_or_else(|| malformed("track answer has no result", &raw))?;
    track_update(r, raw)
}

/// [`parse_track`] on an already parsed result.
pub fn track_update(r: wire::TrackResult, raw: String) -> Result<TrackingUpdate> {
    let mut events = Vec::new();
    for h in r.status_histories.iter().flatten() {
        let code = h.status_id.as_ref().map(id_text).unwrap_or_default();
        let date = h.status_date.as_deref().unwrap_or_default();
        let time = dates::sendeo(date)
            .ok_or_else(|| malformed(format!("bad StatusDate '{date}'"), &raw))?;
        let text = event_text(h.status.as_deref(), h.description.as_deref(), &code);
        events.push(TrackingEvent {
            time,
            location: None,
            status: status::normalize(&code, &text),
            carrier_code: code,
            carrier_text: text,
            measurement: None,
        });
    }
    let state = r.state.as_ref().map(id_text).filter(|s| !s.is_empty());
    if let Some(code) = &state {
        let updated = r
            .update_date
            .as_deref()
            .and_then(dates::sendeo)
            .or_else(|| r.send_date.as_deref().and_then(dates::sendeo));
        let last = events.iter().max_by_key(|e| e.time);
        let missing = last.is_none_or(|l| &l.carrier_code != code);
        if let Some(time) = updated.filter(|t| missing && last.is_none_or(|l| *t >= l.time)) {
            let text = event_text(
                r.delivery_description.as_deref(),
                r.state_text.as_deref(),
                code,
            );
            events.push(TrackingEvent {
                time,
                location: r
                    .arrival_branch_name
                    .as_deref()
                    .map(str::trim)
                    .filter(|b| !b.is_empty())
                    .map(String::from),
                status: status::normalize(code, &text),
                carrier_code: code.clone(),
                carrier_text: text,
                measurement: None,
            });
        }
    }
    let rank = |s: Option<ShipmentStatus>| {
        s.and_then(|s| ShipmentStatus::ALL.iter().position(|x| *x == s))
            .unwrap_or(usize::MAX)
    };
    events.sort_by_key(|e| (e.time, rank(e.status)));
    let deci = positive(r.deci_weight.as_ref());
    let amount = positive(r.total_price.as_ref()).map(Money::try_lira);
    if deci.is_some() || amount.is_some() {
        let at = events
            .iter()
            .position(|e| e.carrier_code == status::MEASURED.to_string())
            .or_else(|| {
                events
                    .iter()
                    .position(|e| e.status == Some(ShipmentStatus::PickedUp))
            });
        if let Some(e) = at.and_then(|i| events.get_mut(i)) {
            e.measurement = Some(Measurement {
                desi: deci,
                kg: None,
                amount,
            });
        }
    }
    let state_status = state
        .as_deref()
        .and_then(status::known_text)
        .map(|k| k.status);
    Ok(TrackingUpdate {
        carrier_tracking_number: r
            .tracking_no
            .as_ref()
            .map(id_text)
            .filter(|t| !t.is_empty()),
        status: state_status.or_else(|| current_status(&events)),
        events,
        raw,
    })
}

/// The `TRACKDELIVERY` answer as a lookup by merchant key: found (with Sendeo's tracking
/// number), not found (702), or inconclusive (an answer without result).
pub fn parse_lookup(http_status: u16, body: &[u8], key: &MerchantKey) -> Result<ReferenceLookup> {
    let env: Envelope<wire::TrackResult> = match envelope(http_status, body) {
        Err(e) if error::is_no_delivery_found(&e) => return Ok(ReferenceLookup::NotFound),
        other => other?,
    };
    let raw = String::from_utf8_lossy(body).into_owned();
    let Some(r) = env.result else {
        return Ok(ReferenceLookup::Inconclusive);
    };
    if let Some(other) = r
        .reference_no
        .as_ref()
        .and_then(|k| k.non_empty())
        .filter(|k| *k != key.as_str())
    {
        return Err(malformed(
            format!("lookup of '{key}' answered for '{other}'"),
            &raw,
        ));
    }
    let number = r
        .tracking_no
        .as_ref()
        .map(id_text)
        .filter(|t| !t.is_empty());
    let mut refs = BTreeMap::new();
    refs.insert("ReferenceNo".to_string(), key.as_str().to_string());
    if let Some(n) = &number {
        refs.insert("TrackingNumber".to_string(), n.clone());
    }
    if let Some(q) = r.quantity.as_ref().and_then(id_int).filter(|q| *q > 0) {
        refs.insert("parcels".to_string(), q.to_string());
    }
    Ok(ReferenceLookup::Found(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: number,
        carrier_refs: refs,
        label: None,
        raw,
    }))
}

/// The `GetCityDistricts` answer of `plate` → its codes.
pub fn parse_districts(http_status: u16, body: &[u8], plate: Plate) -> Result<CityCodes> {
    let env: Envelope<Vec<wire::CityDistrict>> = envelope(http_status, body)?;
    Ok(CityCodes::from_answer(
        plate,
        &env.result.unwrap_or_default(),
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key() -> MerchantKey {
        MerchantKey("KJ2400000701".into())
    }

    #[test]
    fn keys() {
        assert!(check_key("KJ2400000701").is_ok());
        assert!(check_key("a-b_c").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("KJ 1").is_err());
        assert!(check_key(&"x".repeat(51)).is_err());
        assert_eq!(
            assign_key(&MerchantKey("KJ/24 0001".into()))
                .unwrap()
                .as_str(),
            "KJ240001"
        );
        assert_eq!(
            assign_key(&MerchantKey("x".repeat(60)))
                .unwrap()
                .as_str()
                .len(),
            50
        );
        assert!(assign_key(&MerchantKey("// ".into())).is_err());
    }

    #[test]
    fn products_split_the_cod_and_round_up() {
        let p = |l: &str, kg: &str| {
            Parcel::new(
                l.parse().unwrap(),
                "20".parse().unwrap(),
                "15".parse().unwrap(),
                kg.parse().unwrap(),
            )
        };
        let lines = products(
            &[p("30", "2"), p("31", "0.4")],
            Some(Money::from_kurus(19991)),
        );
        assert_eq!(lines[0].deci, Some(3));
        assert_eq!(lines[0].weigth, Some(2));
        assert_eq!(lines[0].deci_weight, Some(3));
        assert_eq!(lines[1].deci, Some(4), "3.1 desi rounds up");
        assert_eq!(lines[1].weigth, Some(1));
        let d = |s: &str| Some(JsonDecimal(s.parse().unwrap()));
        assert_eq!(lines[0].price, d("99.96"));
        assert_eq!(lines[1].price, d("99.95"));
        let free = products(&[p("30", "2")], None);
        assert_eq!(free[0].price, d("0"));
        assert_eq!(
            serde_json::to_string(&wire_amount(Money::from_kurus(19990))).unwrap(),
            "199.9"
        );
    }

    #[test]
    fn envelopes_and_errors() {
        let e = envelope::<Value>(500, br#"{"RequestId":"x","exceptionMessage":"Receiver City Id is Not Correct.","result":null,"StatusCode":205}"#).unwrap_err();
        assert_eq!(
            (e.code(), e.carrier_code()),
            (Code::CarrierRejected, Some("205"))
        );
        let e =
            envelope::<Value>(500, br#"{"ExceptionMessage":"No Delivery Found."}"#).unwrap_err();
        assert_eq!(e.carrier_code(), Some("702"));
        let e = envelope::<Value>(500, b"<html>500</html>").unwrap_err();
        assert_eq!(e.code(), Code::TransportHttpStatus);
        let e = envelope::<Value>(500, br#"{"RequestId":"x","result":null}"#).unwrap_err();
        assert_eq!(e.code(), Code::TransportHttpStatus);
        let e = envelope::<Value>(
            400,
            br#"{"title":"One or more validation errors occurred."}"#,
        )
        .unwrap_err();
        assert_eq!(
            (e.code(), e.carrier_code()),
            (Code::CarrierRejected, Some("400"))
        );
        let e = envelope::<Value>(401, b"").unwrap_err();
        assert_eq!(e.code(), Code::AuthFailed);
        let e = envelope::<Value>(200, b"{\"result\":").unwrap_err();
        assert_eq!(
            (e.code(), e.raw()),
            (Code::ProtocolMalformed, Some("{\"result\":"))
        );
        let e = envelope::<Value>(200, &[0xff, b'{']).unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        let e = envelope::<Value>(200, b"[1,2]").unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        let e = envelope::<wire::TrackResult>(200, br#"{"result":{"StatusHistories":"no"}}"#)
            .unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert!(
            envelope::<Value>(200, br#"{"result":null,"StatusCode":200}"#)
                .unwrap()
                .result
                .is_none()
        );
        let resp = |b: &[u8]| RawResponse {
            status: 500,
            headers: vec![],
            body: b.to_vec(),
        };
        assert!(is_business_answer(&resp(br#"{"exceptionMessage":"x"}"#)));
        assert!(!is_business_answer(&resp(br#"{"exceptionMessage":""}"#)));
        assert!(!is_business_answer(&resp(b"down")));
    }

    #[test]
    fn login_answers() {
        let t = parse_token(200, br#"{"requestId":"r","exceptionMessage":null,"result":{"Token":"abc","CustomerId":111111},"StatusCode":200}"#).unwrap();
        assert_eq!(
            (t.token.as_str(), t.customer_id.as_deref()),
            ("abc", Some("111111"))
        );
        assert!(!format!("{t:?}").contains("abc"));
        for (status, body) in [
            (
                401,
                &br#"{"exceptionMessage":"Kullanici adi veya sifre hatali"}"#[..],
            ),
            (500, &br#"{"exceptionMessage":"User is blocked"}"#[..]),
            (403, &b""[..]),
        ] {
            assert_eq!(
                parse_token(status, body).unwrap_err().code(),
                Code::AuthFailed
            );
        }
        assert_eq!(
            parse_token(200, br#"{"result":{"Token":" "}}"#)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
        assert_eq!(
            parse_token(503, b"busy").unwrap_err().code(),
            Code::TransportHttpStatus
        );
    }

    #[test]
    fn unknown_codes_keep_raw_and_measurement_sits_on_measuring() {
        let body = r#"{"result":{"TrackingNo":1,"State":116,"DeciWeight":4,"TotalPrice":54.3,"StatusHistories":[
            {"StatusDate":"2024-03-12T16:55:03","StatusId":101,"Status":"Kargo Sevk Emri Alındı","Description":"İş Emri Alındı"},
            {"StatusDate":"2024-03-12T18:20:00","StatusId":102,"Status":"Belge Düzenlendi","Description":"Gönderi Oluşturuldu"},
            {"StatusDate":"2024-03-12T19:00:00","StatusId":132,"Status":"Ölçüm Tartım","Description":"Ölçüm Tartım yapıldı"},
            {"StatusDate":"2024-03-12T21:00:00","StatusId":"116","Status":"Şube Transfer","Description":""}]}}"#;
        let u = parse_track(200, body.as_bytes()).unwrap();
        assert_eq!(u.events.len(), 4);
        assert_eq!(u.events[3].carrier_code, "116");
        assert_eq!(u.events[3].status, None);
        assert_eq!(
            u.status,
            Some(ShipmentStatus::InTransit),
            "unknown State: the last known event"
        );
        let m = u.events[2].measurement.clone().unwrap();
        assert_eq!(m.desi, Some(Decimal::from(4)));
        assert_eq!(m.amount, Some(Money::try_lira("54.3".parse().unwrap())));
        assert_eq!(u.events[0].time.offset().local_minus_utc(), 3 * 3600);
        assert_eq!(
            u.events[0].carrier_text,
            "Kargo Sevk Emri Alındı (İş Emri Alındı)"
        );
        let e = parse_track(
            200,
            br#"{"result":{"StatusHistories":[{"StatusDate":"dun","StatusId":101}]}}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        let e = parse_track(
            500,
            br#"{"exceptionMessage":"No Delivery Found.","StatusCode":702}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Code::NotFoundShipment);
    }

    #[test]
    fn state_without_history_is_an_event() {
        let body = r#"{"result":{"TrackingNo":"9","State":"109","StateText":"Dağıtıma Çıkarıldı","DeliveryDescription":"Şube Dağıtım Yükleme","UpdateDate":"13/03/2024 09:10:27","ArrivalBranchName":"ÇANKAYA DN"}}"#;
        let u = parse_track(200, body.as_bytes()).unwrap();
        assert_eq!(u.status, Some(ShipmentStatus::OutForDelivery));
        assert_eq!(u.events.len(), 1);
        assert_eq!(u.events[0].time.to_rfc3339(), "2024-03-13T09:10:27+03:00");
        assert_eq!(u.events[0].location.as_deref(), Some("ÇANKAYA DN"));
        assert_eq!(u.carrier_tracking_number.as_deref(), Some("9"));
    }

    #[test]
    fn lookups() {
        let found = parse_lookup(
            200,
            br#"{"result":{"TrackingNo":9124356789047,"ReferenceNo":"KJ2400000701","Quantity":2}}"#,
            &key(),
        )
        .unwrap();
        match found {
            ReferenceLookup::Found(c) => {
                assert_eq!(c.carrier_tracking_number.as_deref(), Some("9124356789047"));
                assert_eq!(c.carrier_refs.get("parcels").map(String::as_str), Some("2"));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_lookup(500, br#"{"exceptionMessage":"No Delivery Found."}"#, &key()).unwrap(),
            ReferenceLookup::NotFound
        );
        assert_eq!(
            parse_lookup(200, br#"{"result":null}"#, &key()).unwrap(),
            ReferenceLookup::Inconclusive
        );
        assert!(parse_lookup(200, br#"{"result":{"ReferenceNo":"OTHER"}}"#, &key()).is_err());
        assert!(parse_lookup(500, b"", &key()).is_err());
    }

    #[test]
    fn labels() {
        let pdf = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.4\n%%EOF\n");
        let body = format!(r#"{{"result":{{"TrackingNumber":1,"Barcode":"{pdf}"}}}}"#);
        let l = parse_label(200, body.as_bytes(), LabelFormat::Pdf).unwrap();
        assert_eq!(l.bytes, b"%PDF-1.4\n%%EOF\n");
        assert_eq!(
            parse_label(200, body.as_bytes(), LabelFormat::Png)
                .unwrap_err()
                .code(),
            Code::UnsupportedLabelFormat
        );
        let z = parse_label(
            200,
            br#"{"result":{"BarcodeZpls":["^XA1^XZ","^XA2^XZ"]}}"#,
            LabelFormat::Zpl,
        )
        .unwrap();
        assert_eq!(z.bytes, b"^XA1^XZ\n^XA2^XZ");
        assert_eq!(
            parse_label(200, br#"{"result":{"Barcode":"!!"}}"#, LabelFormat::Pdf)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
        assert_eq!(
            parse_label(
                200,
                br#"{"result":{"Barcode":"aGVsbG8="}}"#,
                LabelFormat::Pdf
            )
            .unwrap_err()
            .code(),
            Code::ProtocolMalformed
        );
        assert_eq!(
            parse_label(200, br#"{"result":{}}"#, LabelFormat::Zpl)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
        assert_eq!(
            label_type_for(LabelFormat::Epl, 1).unwrap_err().code(),
            Code::UnsupportedLabelFormat
        );
        assert_eq!(label_type_for(LabelFormat::Zpl, 2).unwrap(), 3);
    }

    #[test]
    fn cancel_and_measurement_answers() {
        assert!(parse_cancel(200, br#"{"result":{"IsSuccess":true}}"#).is_ok());
        assert_eq!(
            parse_cancel(200, br#"{"result":{"IsSuccess":false}}"#)
                .unwrap_err()
                .code(),
            Code::CarrierRejected
        );
        assert_eq!(
            parse_cancel(200, br#"{"result":{}}"#).unwrap_err().code(),
            Code::ProtocolMalformed
        );
        let e = parse_cancel(500, br#"{"exceptionMessage":"You Cannot Cancel , Delivery Has Already Sent.","StatusCode":703}"#).unwrap_err();
        assert_eq!(e.carrier_code(), Some("703"));
        assert!(parse_measurement(200, br#"{"result":{"IsSuccess":true,"Message":"ok"}}"#).is_ok());
        assert!(
            parse_measurement(200, br#"{"result":{"IsSuccess":false,"Message":"no"}}"#).is_err()
        );
        let b = measurement_body(
            &key(),
            &[Parcel::new(
                "30.5".parse().unwrap(),
                "20".parse().unwrap(),
                "10".parse().unwrap(),
                "1.25".parse().unwrap(),
            )],
        )
        .unwrap();
        let line = &b.measurements.as_ref().unwrap()[0];
        assert_eq!(
            (line.length, line.deci, line.weight),
            (
                Some(31),
                Some(JsonDecimal("2.033".parse().unwrap())),
                Some(JsonDecimal("1.25".parse().unwrap()))
            )
        );
    }
}
