//! Pure domain ↔ wire functions: the create/return bodies from KargoJet requests, and every
//! HepsiJET answer into [`CreatedShipment`], [`TrackingUpdate`], [`Label`]. No I/O; any input
//! gives a value or a typed error keeping the raw body, never a panic.

use crate::config::HepsijetConfig;
use crate::error::{self, HepsijetError};
use crate::status;
use crate::wire::{self, CreateBody, Envelope};
use chrono::NaiveDate;
use kargojet_carrier_common::dates;
use kargojet_core::address::Party;
use kargojet_core::carrier::{CreateRequest, ReturnRequest, TrackingUpdate};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::geo::fold;
use kargojet_core::shipment::{CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;

/// Largest desi of the standard endpoint; above it the XL endpoint with `TMH` is used.
pub const XL_THRESHOLD_DESI: u32 = 40;
/// Shortest and longest `customerDeliveryNo`.
pub const KEY_LEN: std::ops::RangeInclusive<usize> = 9..=16;

/// Which create endpoint a body goes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    /// `sendDeliveryOrderEnhanced` (≤ 40 desi).
    Standard,
    /// `sendDeliveryOrder` with `serviceType: ["TMH"]` (> 40 desi).
    Xl,
}

impl Endpoint {
    /// The path.
    pub fn path(self) -> &'static str {
        match self {
            Endpoint::Standard => wire::PATH_CREATE,
            Endpoint::Xl => wire::PATH_CREATE_XL,
        }
    }
}

/// The body as text; invalid UTF-8 is `protocol.malformed` with the lossy raw body.
pub fn text_of(body: &[u8]) -> Result<&str> {
    std::str::from_utf8(body).map_err(|e| {
        HepsijetError::Malformed {
            detail: format!("answer is not UTF-8: {e}"),
            raw: String::from_utf8_lossy(body).into_owned(),
        }
        .into()
    })
}

/// Checks a `customerDeliveryNo`: 9–16 uppercase letters/digits starting with the company code.
pub fn check_key(key: &str, company_code: &str) -> Result<()> {
    let ok_chars = key
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if !KEY_LEN.contains(&key.len()) || !ok_chars || !key.starts_with(company_code) {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            format!(
                "HepsiJET customerDeliveryNo must be 9–16 uppercase letters/digits starting with {company_code}, got '{key}'"
            ),
        ));
    }
    Ok(())
}

/// Turns a proposed merchant key into a valid `customerDeliveryNo`: kept when valid, else the
/// company code followed by the proposal's last uppercase letters/digits (deterministic).
pub fn assign_key(proposed: &MerchantKey, company_code: &str) -> Result<MerchantKey> {
    if check_key(proposed.as_str(), company_code).is_ok() {
        return Ok(proposed.clone());
    }
    let tail: String = proposed
        .as_str()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let room = KEY_LEN.end().saturating_sub(company_code.len());
    let tail = &tail[tail.len().saturating_sub(room)..];
    let key = format!("{company_code}{tail}");
    check_key(&key, company_code)?;
    Ok(MerchantKey(key))
}

/// The decimal as HepsiJET's string (`"2"`, `"2.5"`).
pub fn decimal_string(d: Decimal) -> String {
    d.normalize().to_string()
}

fn split_name(full: &str) -> (String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => (rest.join(" "), (*last).to_string()),
        Some((only, _)) => ((*only).to_string(), (*only).to_string()),
        None => (String::new(), String::new()),
    }
}

/// The mahalle of an address: the separate field, else the words before `Mah.`/`Mahallesi`
/// in the line.
pub fn neighbourhood(party: &Party, field: &str) -> Result<String> {
    if let Some(n) = party
        .address
        .neighbourhood
        .as_ref()
        .filter(|n| !n.trim().is_empty())
    {
        return Ok(n.trim().to_string());
    }
    let words: Vec<&str> = party.address.line.split_whitespace().collect();
    if let Some(i) = words.iter().position(|w| {
        matches!(
            fold(w).trim_end_matches('.'),
            "mah" | "mh" | "mahalle" | "mahallesi"
        )
    }) {
        if i > 0 {
            return Ok(words[..i].join(" "));
        }
    }
    Err(Error::invalid(
        Code::RequestInvalidAddress,
        format!("{field}.address.neighbourhood"),
        "HepsiJET matches addresses by il/ilçe/mahalle: give the neighbourhood or write '… Mah.' in the line",
    ))
}

fn party_address(party: &Party, id: String, field: &str) -> Result<wire::WireAddress> {
    Ok(wire::WireAddress {
        company_address_id: id,
        country: wire::Named {
            name: "Türkiye".into(),
        },
        city: wire::Named {
            name: party.address.province.clone(),
        },
        town: wire::Named {
            name: party.address.district.clone(),
        },
        district: wire::Named {
            name: neighbourhood(party, field)?,
        },
        address_line1: party.address.line.clone(),
        postal_code: party.address.postal_code.clone(),
    })
}

fn warehouse_address(cfg: &HepsijetConfig) -> wire::WireAddress {
    let w = &cfg.warehouse;
    wire::WireAddress {
        company_address_id: w.address_id.clone(),
        country: wire::Named {
            name: "Türkiye".into(),
        },
        city: wire::Named {
            name: w.city.clone(),
        },
        town: wire::Named {
            name: w.town.clone(),
        },
        district: wire::Named {
            name: w.district.clone(),
        },
        address_line1: w.line.clone(),
        postal_code: None,
    }
}

fn product_and_slot(service: Option<&str>, cfg: &HepsijetConfig) -> Result<(String, String)> {
    match service.map(str::trim).filter(|s| !s.is_empty()) {
        None | Some("HX_STD") => Ok(("HX_STD".into(), "0".into())),
        Some(p @ ("HX_SD" | "HX_ND")) => Ok((p.into(), cfg.express_slot.to_string())),
        Some(other) => Err(Error::invalid(
            Code::RequestInvalid,
            "service",
            format!("HepsiJET products are HX_STD, HX_SD, HX_ND; got '{other}'"),
        )),
    }
}

fn receiver(party: &Party, cfg: &HepsijetConfig) -> wire::Receiver {
    let (first, last) = split_name(&party.name);
    wire::Receiver {
        company_customer_id: format!("{}-C-{}", cfg.company_code, party.phone.digits()),
        first_name: first,
        last_name: last,
        phone1: party.phone.digits().to_string(),
        email: party.email.clone(),
    }
}

/// The create body for `req` and the endpoint it goes to (XL above 40 desi). `date` is the
/// `deliveryDateOriginal` (today in Turkey).
pub fn build_create(
    req: &CreateRequest,
    cfg: &HepsijetConfig,
    date: NaiveDate,
) -> Result<(CreateBody, Endpoint)> {
    check_key(req.merchant_key.as_str(), &cfg.company_code)?;
    if req.shipment.cod.is_some() {
        return Err(Error::Unsupported {
            code: Code::UnsupportedCod,
            carrier: Some(kargojet_core::carrier::CarrierId::Hepsijet),
            detail: "HepsiJET's COD format is unverified (see the crate README); not offered"
                .into(),
        });
    }
    if req.billable_desi <= Decimal::ZERO {
        return Err(Error::invalid(
            Code::RequestInvalidDimensions,
            "billable_desi",
            "must be positive",
        ));
    }
    if req.shipment.parcels.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "parcels",
            "at least one parcel",
        ));
    }
    let endpoint = endpoint_for(req.billable_desi);
    let (product, slot) = product_and_slot(req.service.as_deref(), cfg)?;
    let r = &req.shipment.recipient;
    let key = req.merchant_key.as_str().to_string();
    let delivery = wire::Delivery {
        customer_order_id: req
            .shipment
            .order_id
            .clone()
            .filter(|o| !o.trim().is_empty())
            .unwrap_or_else(|| key.clone()),
        customer_delivery_no: key,
        total_parcels: req.shipment.parcels.len().to_string(),
        desi: decimal_string(req.billable_desi),
        delivery_slot_original: slot,
        delivery_date_original: date.format("%Y-%m-%d").to_string(),
        delivery_type: cfg.delivery_type.wire().into(),
        product: wire::Product {
            product_code: product,
        },
        receiver: receiver(r, cfg),
        sender_address: warehouse_address(cfg),
        recipient_address: party_address(
            r,
            format!("{}-A-{}", cfg.company_code, r.phone.digits()),
            "recipient",
        )?,
        recipient_person: r.name.clone(),
        recipient_person_phone1: r.phone.digits().to_string(),
        delivery_content: None,
    };
    Ok((
        CreateBody {
            company: wire::Company {
                name: cfg.company_name.clone(),
                abbreviation_code: cfg.company_code.clone(),
            },
            delivery,
            current_x_dock: wire::XDock {
                abbreviation_code: cfg.xdock_code.clone(),
            },
            service_type: (endpoint == Endpoint::Xl).then(|| vec![wire::SERVICE_TMH.to_string()]),
        },
        endpoint,
    ))
}

/// The endpoint a shipment of `desi` goes to: XL (with `TMH`) above 40 desi.
pub fn endpoint_for(desi: Decimal) -> Endpoint {
    if desi > Decimal::from(XL_THRESHOLD_DESI) {
        Endpoint::Xl
    } else {
        Endpoint::Standard
    }
}

/// The return body and its endpoint: `deliveryType: "RETURNED"`, customer (the original
/// recipient) → the registered warehouse; above 40 desi the XL endpoint with `TMH`, like any
/// other create (the notes document returns on the standard endpoint and the desi rule for
/// every create; see the README).
pub fn build_return(
    req: &ReturnRequest,
    cfg: &HepsijetConfig,
    date: NaiveDate,
) -> Result<(CreateBody, Endpoint)> {
    check_key(req.merchant_key.as_str(), &cfg.company_code)?;
    let customer = &req.shipment.recipient;
    let key = req.merchant_key.as_str().to_string();
    let desi = cfg_desi(req);
    let endpoint = endpoint_for(desi);
    let delivery = wire::Delivery {
        customer_order_id: req
            .shipment
            .order_id
            .clone()
            .filter(|o| !o.trim().is_empty())
            .unwrap_or_else(|| key.clone()),
        customer_delivery_no: key,
        total_parcels: req.shipment.parcels.len().max(1).to_string(),
        desi: decimal_string(desi),
        delivery_slot_original: "0".into(),
        delivery_date_original: date.format("%Y-%m-%d").to_string(),
        delivery_type: "RETURNED".into(),
        product: wire::Product {
            product_code: "HX_STD".into(),
        },
        receiver: receiver(customer, cfg),
        sender_address: party_address(
            customer,
            format!("{}-A-{}", cfg.company_code, customer.phone.digits()),
            "recipient",
        )?,
        recipient_address: warehouse_address(cfg),
        recipient_person: cfg.company_name.clone(),
        recipient_person_phone1: req.shipment.sender.phone.digits().to_string(),
        delivery_content: None,
    };
    Ok((
        CreateBody {
            company: wire::Company {
                name: cfg.company_name.clone(),
                abbreviation_code: cfg.company_code.clone(),
            },
            delivery,
            current_x_dock: wire::XDock {
                abbreviation_code: cfg.xdock_code.clone(),
            },
            service_type: (endpoint == Endpoint::Xl).then(|| vec![wire::SERVICE_TMH.to_string()]),
        },
        endpoint,
    ))
}

fn cfg_desi(req: &ReturnRequest) -> Decimal {
    let d = kargojet_core::parcel::DesiRule::default().billable(&req.shipment.parcels);
    if d <= Decimal::ZERO { Decimal::ONE } else { d }
}

/// Reads a HepsiJET answer: 401/403 → `auth.failed`; `status: "FAIL"` (any HTTP status) →
/// `carrier.rejected` / `carrier.duplicate`; other non-2xx → `transport.http_status`; a body
/// that is not the envelope → `protocol.malformed` with the raw body.
pub fn answer<T: DeserializeOwned>(http_status: u16, body: &[u8]) -> Result<Envelope<T>> {
    if http_status == 401 || http_status == 403 {
        return Err(HepsijetError::Unauthorized {
            status: http_status,
        }
        .into());
    }
    let text = text_of(body)?;
    let ok_http = (200..300).contains(&http_status);
    // Hot path: a well-formed OK answer reads straight into its typed payload.
    if ok_http {
        if let Ok(env) = serde_json::from_str::<Envelope<T>>(text) {
            if env
                .status
                .as_deref()
                .map(str::trim)
                .is_some_and(|s| s.eq_ignore_ascii_case(wire::STATUS_OK))
            {
                return Ok(env);
            }
        }
    }
    // Anything else is classified from the untyped envelope.
    let env: Envelope<serde_json::Value> = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(_) if !ok_http => return Err(error::http_status(http_status, text)),
        Err(e) => {
            return Err(HepsijetError::Malformed {
                detail: format!("invalid JSON: {e}"),
                raw: text.into(),
            }
            .into());
        }
    };
    match env.status.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case(wire::STATUS_FAIL) => {
            return Err(HepsijetError::Fail {
                detail_status: env.detail_status,
                message: env.message.unwrap_or_default(),
            }
            .into());
        }
        _ if !ok_http => return Err(error::http_status(http_status, text)),
        Some(s) if s.eq_ignore_ascii_case(wire::STATUS_OK) => {}
        other => {
            return Err(HepsijetError::Malformed {
                detail: format!("unknown status {other:?}"),
                raw: text.into(),
            }
            .into());
        }
    }
    let data = match env.data {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value(v).map_err(|e| HepsijetError::Malformed {
                detail: format!("unexpected data: {e}"),
                raw: text.into(),
            })?,
        ),
    };
    Ok(Envelope {
        status: env.status,
        message: env.message,
        data,
        detail_status: env.detail_status,
    })
}

/// The token of a `/auth/getToken` answer (`data.token`, or `token` at the top level).
pub fn parse_token(http_status: u16, body: &[u8]) -> Result<String> {
    if http_status == 401 || http_status == 403 {
        return Err(HepsijetError::Unauthorized {
            status: http_status,
        }
        .into());
    }
    let text = text_of(body)?;
    let reply: wire::TokenReply = serde_json::from_str(text).map_err(|e| {
        if (200..300).contains(&http_status) {
            HepsijetError::Malformed {
                detail: format!("invalid JSON: {e}"),
                raw: text.into(),
            }
            .into()
        } else {
            error::http_status(http_status, text)
        }
    })?;
    if reply
        .status
        .as_deref()
        .is_some_and(|s| s.eq_ignore_ascii_case(wire::STATUS_FAIL))
    {
        return Err(HepsijetError::Fail {
            detail_status: None,
            message: reply.message.unwrap_or_default(),
        }
        .into());
    }
    if !(200..300).contains(&http_status) {
        return Err(error::http_status(http_status, text));
    }
    reply
        .data
        .and_then(|d| d.token)
        .or(reply.token)
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            HepsijetError::Malformed {
                detail: "no token in the answer".into(),
                raw: text.into(),
            }
            .into()
        })
}

/// The create answer → [`CreatedShipment`] (ZPL label from `zplBarcodeDTOList`, raw kept).
pub fn parse_create(
    http_status: u16,
    body: &[u8],
    key: &MerchantKey,
    total_parcels: usize,
    endpoint: Endpoint,
) -> Result<CreatedShipment> {
    let env: Envelope<wire::CreateData> = answer(http_status, body)?;
    let raw = String::from_utf8_lossy(body).into_owned();
    let data = env.data.unwrap_or_default();
    let number = data
        .customer_delivery_no
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| key.as_str().to_string());
    if number != key.as_str() {
        return Err(Error::protocol(
            Some(kargojet_core::carrier::CarrierId::Hepsijet),
            format!("create answered for '{number}', asked '{key}'"),
            raw,
        ));
    }
    let zpl: Vec<String> = data
        .zpl_barcode_dto_list
        .unwrap_or_default()
        .into_iter()
        .filter_map(|z| z.zpl_barcode)
        .filter(|z| !z.is_empty())
        .collect();
    let label = (!zpl.is_empty()).then(|| Label {
        format: LabelFormat::Zpl,
        bytes: zpl.join("\n").into_bytes(),
    });
    let mut refs = BTreeMap::new();
    refs.insert("customerDeliveryNo".to_string(), number.clone());
    refs.insert("totalParcels".to_string(), total_parcels.to_string());
    refs.insert(
        "endpoint".to_string(),
        if endpoint == Endpoint::Xl {
            "XL".into()
        } else {
            "STANDARD".into()
        },
    );
    Ok(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: Some(number),
        carrier_refs: refs,
        label,
        raw,
    })
}

/// The cancel answer: `OK` or an error.
pub fn parse_cancel(http_status: u16, body: &[u8]) -> Result<()> {
    answer::<serde_json::Value>(http_status, body).map(|_| ())
}

/// The PDF/PNG/JPEG label answer: base64 in `data` (one string or a list; the first document
/// is returned, decoded, exactly as HepsiJET rendered it).
pub fn parse_label(http_status: u16, body: &[u8], format: LabelFormat) -> Result<Label> {
    use base64::Engine;
    let env: Envelope<wire::LabelData> = answer(http_status, body)?;
    let raw = || String::from_utf8_lossy(body).into_owned();
    let b64 = match env.data {
        Some(wire::LabelData::One(s)) => s,
        Some(wire::LabelData::Many(v)) => v.into_iter().next().unwrap_or_default(),
        None => String::new(),
    };
    let cleaned: String = b64.chars().filter(|c| !c.is_whitespace()).collect();
    let cleaned = cleaned
        .split_once("base64,")
        .map(|(_, b)| b.to_string())
        .unwrap_or(cleaned);
    if cleaned.is_empty() {
        return Err(Error::protocol(
            Some(kargojet_core::carrier::CarrierId::Hepsijet),
            "label answer has no data",
            raw(),
        ));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(cleaned.as_bytes())
        .map_err(|e| {
            Error::protocol(
                Some(kargojet_core::carrier::CarrierId::Hepsijet),
                format!("label is not base64: {e}"),
                raw(),
            )
        })?;
    Ok(Label { format, bytes })
}

/// The ZPL label answer: ZPL text, or JSON `data: [{"zplBarcode": …}]`.
pub fn parse_zpl(http_status: u16, body: &[u8]) -> Result<Label> {
    let text = text_of(body)?;
    let trimmed = text.trim_start();
    if trimmed.starts_with("^XA") && (200..300).contains(&http_status) {
        return Ok(Label {
            format: LabelFormat::Zpl,
            bytes: body.to_vec(),
        });
    }
    let env: Envelope<Vec<wire::ZplBarcode>> = answer(http_status, body)?;
    let zpl: Vec<String> = env
        .data
        .unwrap_or_default()
        .into_iter()
        .filter_map(|z| z.zpl_barcode)
        .filter(|z| !z.is_empty())
        .collect();
    if zpl.is_empty() {
        return Err(Error::protocol(
            Some(kargojet_core::carrier::CarrierId::Hepsijet),
            "ZPL answer has no label",
            text,
        ));
    }
    Ok(Label {
        format: LabelFormat::Zpl,
        bytes: zpl.join("\n").into_bytes(),
    })
}

fn event_time(s: Option<&str>, raw: &str) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    let s = s.unwrap_or_default();
    dates::iso(s).ok_or_else(|| {
        Error::protocol(
            Some(kargojet_core::carrier::CarrierId::Hepsijet),
            format!("bad event time '{s}'"),
            raw,
        )
    })
}

fn opt(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

/// The parsed track summary of one shipment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Summary {
    /// The barcode HepsiJET tracks it under.
    pub barcode: Option<String>,
    /// Public tracking page (`hepsiexpress.com` rewritten to `www.hepsijet.com`).
    pub tracking_url: Option<String>,
    /// The current `integrationStatus`, normalized, if stated.
    pub status: Option<ShipmentStatus>,
    /// Events.
    pub events: Vec<TrackingEvent>,
}

/// Finds `key` in a track summary answer; `Ok(None)` when the answer lists no such barcode.
pub fn parse_summary(http_status: u16, body: &[u8], key: &MerchantKey) -> Result<Option<Summary>> {
    let env: Envelope<Vec<wire::TrackItem>> = answer(http_status, body)?;
    let raw = String::from_utf8_lossy(body);
    let items = env.data.unwrap_or_default();
    let Some(item) = items
        .into_iter()
        .find(|i| i.barcode.as_deref().map(str::trim) == Some(key.as_str()))
    else {
        return Ok(None);
    };
    let mut events = Vec::new();
    for d in item.details.unwrap_or_default() {
        let code = d.integration_status.unwrap_or_default().trim().to_string();
        let known = status::integration(&code);
        let mut text = known
            .map(|k| k.text_tr.to_string())
            .unwrap_or_else(|| code.clone());
        if let Some(p) = opt(d.delivered_person) {
            text = format!("{text} ({p})");
        }
        events.push(TrackingEvent {
            time: event_time(d.transaction_date.as_deref(), &raw)?,
            location: opt(d.transaction_location),
            carrier_code: code,
            carrier_text: text,
            status: known.map(|k| k.status),
            measurement: None,
        });
    }
    let status = item
        .integration_status
        .as_deref()
        .and_then(status::integration)
        .map(|k| k.status);
    Ok(Some(Summary {
        barcode: opt(item.barcode),
        tracking_url: opt(item.tracking_url).map(|u| {
            u.replace("://hepsiexpress.com", "://www.hepsijet.com")
                .replace("www.hepsiexpress.com", "www.hepsijet.com")
        }),
        status,
        events,
    }))
}

fn measured_desi(v: Option<&serde_json::Value>) -> Option<Decimal> {
    match v? {
        serde_json::Value::String(s) => kargojet_core::money::parse_decimal(s.trim()),
        serde_json::Value::Number(n) => kargojet_core::money::parse_decimal(&n.to_string()),
        _ => None,
    }
    .filter(|d| *d > Decimal::ZERO)
}

/// The parsed track history of one shipment.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct History {
    /// The barcode.
    pub barcode: Option<String>,
    /// Current `deliveryStatus`, normalized.
    pub status: Option<ShipmentStatus>,
    /// Events (the measurement, when reported, sits on the acceptance event).
    pub events: Vec<TrackingEvent>,
}

/// Finds `key` in a track history answer; `Ok(None)` when it is not listed.
pub fn parse_history(http_status: u16, body: &[u8], key: &MerchantKey) -> Result<Option<History>> {
    let env: Envelope<Vec<wire::HistoryItem>> = answer(http_status, body)?;
    let raw = String::from_utf8_lossy(body);
    let Some(item) = env
        .data
        .unwrap_or_default()
        .into_iter()
        .find(|i| i.barcode.as_deref().map(str::trim) == Some(key.as_str()))
    else {
        return Ok(None);
    };
    let desi = measured_desi(item.desi.as_ref());
    let mut events = Vec::new();
    for t in item.transactions.unwrap_or_default() {
        let code = t.delivery_status.unwrap_or_default().trim().to_string();
        let st = status::transaction(&code, t.non_delivery_reason.as_deref());
        let wording = status::delivery(&code)
            .map(|k| k.text_tr.to_string())
            .unwrap_or_else(|| code.clone());
        let mut text = opt(t.transaction).unwrap_or(wording);
        if let Some(r) = opt(t.non_delivery_reason) {
            text = format!("{text}: {r}");
        }
        events.push(TrackingEvent {
            time: event_time(t.transaction_date_time.as_deref(), &raw)?,
            location: opt(t.location),
            carrier_code: code,
            carrier_text: text,
            status: st,
            measurement: None,
        });
    }
    if let Some(d) = desi {
        let m = Measurement {
            desi: Some(d),
            kg: None,
            amount: None,
        };
        let at = events
            .iter()
            .position(|e| e.status == Some(ShipmentStatus::PickedUp))
            .or(events.len().checked_sub(1));
        if let Some(e) = at.and_then(|i| events.get_mut(i)) {
            e.measurement = Some(m);
        }
    }
    let status = item
        .delivery_status
        .as_deref()
        .and_then(status::delivery)
        .map(|k| k.status);
    Ok(Some(History {
        barcode: opt(item.barcode),
        status,
        events,
    }))
}

/// Joins the summary and the history into one [`TrackingUpdate`]: history events first, a
/// summary event dropped when the history has one at the same time with the same status;
/// oldest first; the status is the latest known event's. `raw` is the raw bodies as received.
pub fn tracking_update(summary: Summary, history: Option<History>, raw: String) -> TrackingUpdate {
    let history = history.unwrap_or_default();
    let mut events = history.events;
    for e in summary.events {
        if !events
            .iter()
            .any(|h| h.time == e.time && h.status == e.status)
        {
            events.push(e);
        }
    }
    // Same-moment events (a delete right after creation) follow the lifecycle order.
    let rank = |s: Option<ShipmentStatus>| {
        s.and_then(|s| ShipmentStatus::ALL.iter().position(|x| *x == s))
            .unwrap_or(usize::MAX)
    };
    events.sort_by_key(|e| (e.time, rank(e.status)));
    // The latest known event wins (the summary's own status cannot tell in-transit from
    // picked-up); the stated statuses only fill in when no event is known.
    let status = kargojet_core::tracking::current_status(&events)
        .or(summary.status)
        .or(history.status);
    TrackingUpdate {
        carrier_tracking_number: summary.barcode.or(history.barcode),
        status,
        events,
        raw,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key() -> MerchantKey {
        MerchantKey("KRJ2403120001".into())
    }

    #[test]
    fn keys_are_checked_and_assigned() {
        assert!(check_key("KRJ2403120001", "KRJ").is_ok());
        assert!(check_key("KRJ24", "KRJ").is_err());
        assert!(check_key("krj2403120001", "KRJ").is_err());
        assert!(check_key("ABC2403120001", "KRJ").is_err());
        let k = assign_key(&MerchantKey("KJ-2400000401".into()), "KRJ").unwrap();
        assert_eq!(k.as_str(), "KRJKJ2400000401");
        let k = assign_key(&MerchantKey("kj-24000004019999999".into()), "KRJ").unwrap();
        assert_eq!(k.as_str().len(), 16);
        assert!(assign_key(&MerchantKey("--".into()), "KRJ").is_err());
    }

    #[test]
    fn names_split_on_the_last_word() {
        assert_eq!(
            split_name("Burak Öztürk"),
            ("Burak".into(), "Öztürk".into())
        );
        assert_eq!(
            split_name("Ayşe Nur  Kaya"),
            ("Ayşe Nur".into(), "Kaya".into())
        );
        assert_eq!(split_name("Ada"), ("Ada".into(), "Ada".into()));
    }

    #[test]
    fn neighbourhood_from_the_line() {
        use kargojet_core::address::{Address, Party};
        let line = |l: &str| {
            let a = Address::parse("Bursa", "Nilüfer", l, "recipient.address").unwrap();
            Party::parse("Burak Öztürk", "05321112233", a, "recipient").unwrap()
        };
        assert_eq!(
            neighbourhood(&line("Görükle Mah. Kampüs Cad. 12"), "recipient").unwrap(),
            "Görükle"
        );
        assert_eq!(
            neighbourhood(&line("Fethiye MAHALLESİ Cad. 1"), "recipient").unwrap(),
            "Fethiye"
        );
        assert!(neighbourhood(&line("Mahmutbey Cad. No:12"), "recipient").is_err());
        assert!(neighbourhood(&line("Kampüs Mahmutbey Cad."), "recipient").is_err());
    }

    #[test]
    fn fail_in_200_and_http_errors() {
        let e = answer::<serde_json::Value>(
            200,
            br#"{"status":"FAIL","message":"x","detailStatus":"DUPLICATE"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), Code::CarrierDuplicate);
        let e = answer::<serde_json::Value>(400, br#"{"status":"FAIL","message":"desi hatali"}"#)
            .unwrap_err();
        assert_eq!(
            (e.code(), e.carrier_code()),
            (Code::CarrierRejected, Some("FAIL"))
        );
        let e = answer::<serde_json::Value>(502, b"<html>Bad gateway</html>").unwrap_err();
        assert_eq!(e.code(), Code::TransportHttpStatus);
        let e = answer::<serde_json::Value>(401, b"").unwrap_err();
        assert_eq!(e.code(), Code::AuthFailed);
        let e = answer::<serde_json::Value>(200, b"{\"status\":\"OK\"").unwrap_err();
        assert_eq!(e.raw(), Some("{\"status\":\"OK\""));
        let e = answer::<serde_json::Value>(200, &[0xff, 0xfe, b'{']).unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        let e = answer::<serde_json::Value>(200, br#"{"status":"MAYBE"}"#).unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
    }

    #[test]
    fn token_at_either_place() {
        assert_eq!(
            parse_token(200, br#"{"status":"OK","data":{"token":"a"}}"#).unwrap(),
            "a"
        );
        assert_eq!(parse_token(200, br#"{"token":"b"}"#).unwrap(), "b");
        assert_eq!(
            parse_token(200, br#"{"status":"OK","data":{}}"#)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
        assert_eq!(parse_token(403, b"").unwrap_err().code(), Code::AuthFailed);
    }

    #[test]
    fn unknown_codes_keep_raw_and_no_status() {
        let body = br#"{"status":"OK","data":[{"barcode":"KRJ2403120001","details":[
            {"integrationStatus":"ACCEPTED","transactionDate":"2024-03-12T18:10:00","transactionLocation":"Tuzla Hub"},
            {"integrationStatus":"HUB_SCAN_X","transactionDate":"2024-03-12T20:00:00"}]}]}"#;
        let s = parse_summary(200, body, &key()).unwrap().unwrap();
        let u = tracking_update(s, None, String::new());
        assert_eq!(u.events[1].carrier_code, "HUB_SCAN_X");
        assert_eq!(u.events[1].status, None);
        assert_eq!(u.status, Some(ShipmentStatus::PickedUp));
        assert_eq!(u.events[0].time.offset().local_minus_utc(), 3 * 3600);
    }

    #[test]
    fn bad_times_and_missing_items() {
        let body = r#"{"status":"OK","data":[{"barcode":"KRJ2403120001","details":[{"integrationStatus":"NEO","transactionDate":"dün"}]}]}"#.as_bytes();
        assert_eq!(
            parse_summary(200, body, &key()).unwrap_err().code(),
            Code::ProtocolMalformed
        );
        assert_eq!(
            parse_summary(200, br#"{"status":"OK","data":[]}"#, &key()).unwrap(),
            None
        );
        assert_eq!(
            parse_summary(200, br#"{"status":"OK","data":null}"#, &key()).unwrap(),
            None
        );
        assert_eq!(
            parse_summary(200, br#"{"status":"OK","data":{"x":1}}"#, &key())
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
    }

    #[test]
    fn history_measurement_sits_on_acceptance() {
        let body = r#"{"status":"OK","data":[{"barcode":"KRJ2403120001","deliveryStatus":"DELIVERING","desi":"2.5","transactions":[
            {"deliveryStatus":"COLLECTED","transactionDateTime":"2024-03-12T18:10:00","location":"Tuzla Hub"},
            {"deliveryStatus":"DELIVERING","transactionDateTime":"2024-03-13T09:05:00","nonDeliveryReason":"Alıcı adreste yok"}]}]}"#.as_bytes();
        let h = parse_history(200, body, &key()).unwrap().unwrap();
        assert_eq!(
            h.events[0].measurement.as_ref().and_then(|m| m.desi),
            Some(Decimal::new(25, 1))
        );
        assert_eq!(h.events[1].status, Some(ShipmentStatus::DeliveryFailed));
        assert!(h.events[1].carrier_text.contains("Alıcı adreste yok"));
    }

    #[test]
    fn labels() {
        let l = parse_label(
            200,
            br#"{"status":"OK","data":["JVBERi0xLjQ="]}"#,
            LabelFormat::Pdf,
        )
        .unwrap();
        assert_eq!(l.bytes, b"%PDF-1.4");
        assert_eq!(
            parse_label(200, br#"{"status":"OK","data":"!!"}"#, LabelFormat::Png)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
        let z = parse_zpl(200, b"^XA^FDX^FS^XZ").unwrap();
        assert_eq!(z.bytes, b"^XA^FDX^FS^XZ");
        let z = parse_zpl(200, br#"{"status":"OK","data":[{"zplBarcode":"^XA^XZ"}]}"#).unwrap();
        assert_eq!(z.bytes, b"^XA^XZ");
    }
}
