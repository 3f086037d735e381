//! Pure domain ↔ wire functions: the create, return, cancel and tracking bodies from KargoJet
//! requests, and every Kolay Gelsin answer into [`CreatedShipment`], [`Tracked`] and
//! [`TrackingEvent`]s. No I/O; any input gives a value or a typed error keeping the raw body,
//! never a panic.

use crate::config::KolayGelsinConfig;
use crate::error::{self, KolayGelsinError};
use crate::status;
use crate::wire::{self, Envelope, EventDetail, JsonDecimal, Scalar};
use base64::Engine;
use chrono::{DateTime, FixedOffset};
use kargojet_carrier_common::dates;
use kargojet_carrier_common::http::RawResponse;
use kargojet_core::address::Party;
use kargojet_core::carrier::{
    CarrierId, CreateRequest, ReturnRequest, ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::shipment::{CodPayment, CreatedShipment, Label, LabelFormat, MerchantKey};
use kargojet_core::tracking::{ShipmentStatus, TrackingEvent, current_status};
use serde::de::{DeserializeOwned, IgnoredAny};
use std::collections::BTreeMap;

/// Longest merchant key (`CustomerBarcode` of the first parcel); the others get `-2`, `-3` …
pub const KEY_MAX: usize = 30;
/// `carrier_refs` key of Kolay Gelsin's shipment number.
pub const REF_SHIPMENT_ID: &str = "ShipmentId";
/// `carrier_refs` key of the first parcel's id.
pub const REF_ITEM_ID: &str = "ShipmentItemId";
/// `carrier_refs` key of every parcel id, comma-separated (several parcels only).
pub const REF_ITEM_IDS: &str = "ShipmentItemIds";
/// `carrier_refs` key of the merchant order key echoed by the carrier.
pub const REF_SPECIFIC_CODE: &str = "CustomerSpecificCode";
/// `carrier_refs` key of the public tracking page.
pub const REF_TRACKING_LINK: &str = "ShipmentTrackingLink";
/// `carrier_refs` key of the support job id.
pub const REF_JOB_ID: &str = "JobId";
/// `carrier_refs` key of the original shipment of a return.
pub const REF_RETURN_OF: &str = "ReturnOf";

fn carrier() -> Option<CarrierId> {
    Some(CarrierId::KolayGelsin)
}

fn malformed(detail: impl Into<String>, raw: &str) -> Error {
    KolayGelsinError::Malformed {
        detail: detail.into(),
        raw: raw.to_string(),
    }
    .into()
}

fn nonblank(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

fn scalar_text(s: Option<&Scalar>) -> Option<String> {
    s.filter(|v| !v.is_blank()).map(|v| v.text().into_owned())
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

/// Checks a merchant key used as `CustomerBarcode`: 1–30 ASCII letters, digits or `-`
/// (printable as Code128 on any label; Kolay Gelsin documents no format).
pub fn check_key(key: &str) -> Result<()> {
    let ok = !key.is_empty()
        && key.len() <= KEY_MAX
        && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            format!(
                "Kolay Gelsin CustomerBarcode must be 1–{KEY_MAX} letters, digits or '-', got '{key}'"
            ),
        ))
    }
}

/// Turns a proposed merchant key into a valid `CustomerBarcode`: kept when valid, else its
/// last letters and digits, uppercased (deterministic).
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
    let tail = clean[clean.len().saturating_sub(KEY_MAX)..].to_string();
    check_key(&tail)?;
    Ok(MerchantKey(tail))
}

/// The `CustomerBarcode` of parcel `index` (0-based): the merchant key for the first, the key
/// with `-2`, `-3` … for the others.
pub fn item_barcode(key: &str, index: usize) -> String {
    if index == 0 {
        key.to_string()
    } else {
        format!("{key}-{}", index + 1)
    }
}

/// Kolay Gelsin's shipment number of a stored shipment (tracking number, else `carrier_refs`).
pub fn shipment_id_of(shipment: &ShipmentRef) -> Option<String> {
    nonblank(shipment.carrier_tracking_number.as_deref())
        .or_else(|| {
            nonblank(
                shipment
                    .carrier_refs
                    .get(REF_SHIPMENT_ID)
                    .map(String::as_str),
            )
        })
        .map(String::from)
}

/// Splits a full name on the last word (`RecipientName` / `RecipientSurname`); a one-word name
/// fills both.
pub fn split_name(full: &str) -> (String, String) {
    let words: Vec<&str> = full.split_whitespace().collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => (rest.join(" "), (*last).to_string()),
        Some((only, _)) => ((*only).to_string(), (*only).to_string()),
        None => (String::new(), String::new()),
    }
}

/// The TCKN of a party (an 11-digit `tax_id`); a 10-digit VKN is not sent (see the README).
fn tckn(party: &Party) -> Option<String> {
    party
        .tax_id
        .as_deref()
        .map(str::trim)
        .filter(|t| t.len() == 11 && t.bytes().all(|b| b.is_ascii_digit()))
        .map(String::from)
}

/// The address text Kolay Gelsin geocodes: the line, led by the mahalle when it is given
/// separately and not already in the line.
fn address_text(party: &Party) -> String {
    let line = party.address.line.clone();
    match nonblank(party.address.neighbourhood.as_deref()) {
        Some(n) if !kargojet_core::geo::fold(&line).contains(&kargojet_core::geo::fold(n)) => {
            format!("{n} Mah. {line}")
        }
        _ => line,
    }
}

fn address_of(party: &Party) -> wire::Address {
    wire::Address {
        address_type_id: Some(1),
        address_text: Some(address_text(party)),
        postal_code: party.address.postal_code.clone(),
        city_id: Some(i64::from(party.address.plate.get())),
        town_name: Some(party.address.district.clone()),
        ..Default::default()
    }
}

fn products(service: Option<&str>) -> Result<Option<Vec<String>>> {
    match service.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) if s.eq_ignore_ascii_case("standard") => Ok(None),
        Some(s) if s.eq_ignore_ascii_case(wire::PRODUCT_SAMEDAY) => {
            Ok(Some(vec![wire::PRODUCT_SAMEDAY.to_string()]))
        }
        Some(other) => Err(Error::invalid(
            Code::RequestInvalid,
            "service",
            format!("Kolay Gelsin products are standard and SAMEDAY; got '{other}'"),
        )),
    }
}

/// The `SaveIntegrationShipmentV2` body for `req`: the merchant's customer number and address
/// id, the receiver inline (individual, name split on the last word), one item per parcel with
/// its `CustomerBarcode` ([`item_barcode`]), the order id (else the key) as
/// `CustomerSpecificCode`, the COD amount as `SenderInvoiceAmount` (kuruş-rounded, half-up) when
/// the contract allows it.
pub fn build_create(req: &CreateRequest, cfg: &KolayGelsinConfig) -> Result<wire::CreateBody> {
    let key = req.merchant_key.as_str();
    check_key(key)?;
    let shipment = &req.shipment;
    if shipment.parcels.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "parcels",
            "at least one parcel",
        ));
    }
    let amount = match &shipment.cod {
        None => None,
        Some(_) if !cfg.cod_allowed => {
            return Err(Error::Unsupported {
                code: Code::UnsupportedCod,
                carrier: carrier(),
                detail: "the Kolay Gelsin contract has no tahsilatlı kargo (cod_allowed is off)"
                    .into(),
            });
        }
        Some(cod) if cod.payment == CodPayment::Card => {
            return Err(Error::Unsupported {
                code: Code::UnsupportedCod,
                carrier: carrier(),
                detail: "Kolay Gelsin documents cash on delivery only, no card at the door".into(),
            });
        }
        Some(cod) => Some(JsonDecimal(cod.amount.round_kurus().amount)),
    };
    let r = &shipment.recipient;
    let (name, surname) = split_name(&r.name);
    let content = nonblank(shipment.description.as_deref()).map(String::from);
    let items = shipment
        .parcels
        .iter()
        .enumerate()
        .map(|(i, p)| wire::ShipmentItem {
            width: Some(JsonDecimal(p.width_cm)),
            length: Some(JsonDecimal(p.length_cm)),
            height: Some(JsonDecimal(p.height_cm)),
            weight: Some(JsonDecimal(p.weight_kg)),
            content_text: content.clone(),
            customer_barcode: Some(item_barcode(key, i)),
            has_commercial_value: Some(false),
            ..Default::default()
        })
        .collect();
    Ok(wire::CreateBody {
        sender_customer: Some(wire::SenderCustomer {
            customer_id: Some(cfg.customer_id),
            address: Some(wire::SenderAddress {
                address_id: Some(cfg.address_id),
            }),
        }),
        recipient: Some(wire::Recipient {
            recipient_type: Some(1),
            recipient_identity_number: tckn(r),
            recipient_name: Some(name),
            recipient_surname: Some(surname),
            email: r.email.clone(),
            gsm: Some(r.phone.digits().to_string()),
            only_deliver_to_recipient: Some(false),
            save_out_of_coverage: cfg.save_out_of_coverage.then_some(true),
            address: Some(address_of(r)),
            ..Default::default()
        }),
        package_type: Some(cfg.package_type.wire()),
        paying_party: Some(cfg.paying_party.wire()),
        only_deliver_to_recipient: None,
        sender_brand: cfg.sender_brand.clone(),
        customer_specific_code: Some(
            nonblank(shipment.order_id.as_deref())
                .unwrap_or(key)
                .to_string(),
        ),
        shipment_item_list: Some(items),
        product_code_list: products(req.service.as_deref())?,
        sender_invoice_amount: amount,
    })
}

/// The `SaveIntegrationReturnShipment` body: the original receiver sends the parcels back (to
/// the merchant's registered return address: no `Recipient`), naming the original shipment
/// number and every original parcel by its `CustomerBarcode`.
pub fn build_return(req: &ReturnRequest, cfg: &KolayGelsinConfig) -> Result<wire::ReturnBody> {
    check_key(req.merchant_key.as_str())?;
    let original = req.original.merchant_key.as_str();
    check_key(original)?;
    let customer = &req.shipment.recipient;
    let (name, surname) = split_name(&customer.name);
    let parcels = req.shipment.parcels.len().max(1);
    Ok(wire::ReturnBody {
        sender_customer: Some(wire::ReturnSender {
            identity_number: tckn(customer),
            customer_name: Some(name),
            customer_surname: Some(surname),
            customer_type: Some(1),
            email: customer.email.clone(),
            gsm: Some(customer.phone.digits().to_string()),
            address: Some(address_of(customer)),
            ..Default::default()
        }),
        recipient: None,
        payer_type_id: Some(cfg.paying_party.wire()),
        shipment_id: shipment_id_of(&req.original).and_then(|s| s.parse().ok()),
        shipment_item_list: Some(
            (0..parcels)
                .map(|i| wire::ReturnItem {
                    customer_barcode: Some(item_barcode(original, i)),
                    shipment_item_id: None,
                })
                .collect(),
        ),
    })
}

/// The `CancelPickupAndDelivery` body (standard reason); the shipment number goes as a number
/// when it is one, as the carrier's sample does.
pub fn cancel_body(shipment_id: &str) -> Result<wire::CancelBody> {
    let id = shipment_id.trim();
    if id.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "carrier_tracking_number",
            "Kolay Gelsin cancels by its ShipmentId, which is not known",
        ));
    }
    Ok(wire::CancelBody {
        shipment_id: Some(
            id.parse::<i64>()
                .map_or_else(|_| Scalar::Text(id.to_string()), Scalar::Int),
        ),
        delivery_cancellation_reason: Some(wire::CANCEL_REASON_STANDARD),
    })
}

/// Which list a tracking query fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrackBy {
    /// `ShipmentIdList`.
    ShipmentId(String),
    /// `CustomerSpecificCodeList`.
    CustomerSpecificCode(String),
    /// `CustomerBarcodeList`.
    CustomerBarcode(String),
    /// `CustomerTrackingIdList`.
    CustomerTrackingId(String),
}

/// The `GetCorporateShipmentsStatus` body: the four lists (the unused ones empty, as the
/// carrier's samples send them) and `OnlyLatestEvents`.
pub fn track_body(by: &TrackBy, only_latest: bool) -> wire::TrackBody {
    let one = |v: &String| Some(vec![v.clone()]);
    let mut b = wire::TrackBody {
        shipment_id_list: Some(Vec::new()),
        customer_specific_code_list: Some(Vec::new()),
        customer_barcode_list: Some(Vec::new()),
        customer_tracking_id_list: Some(Vec::new()),
        only_latest_events: Some(only_latest),
    };
    match by {
        TrackBy::ShipmentId(v) => b.shipment_id_list = one(v),
        TrackBy::CustomerSpecificCode(v) => b.customer_specific_code_list = one(v),
        TrackBy::CustomerBarcode(v) => b.customer_barcode_list = one(v),
        TrackBy::CustomerTrackingId(v) => b.customer_tracking_id_list = one(v),
    }
    b
}

/// Reads a Kolay Gelsin answer: HTTP 401/403 → `auth.failed`; a `ResultCode` other than 200
/// (with any HTTP status) → `carrier.rejected` with the canonical code; other non-2xx →
/// `transport.http_status`; anything that is not the envelope → `protocol.malformed` with the
/// raw body.
pub fn answer<T: DeserializeOwned>(http_status: u16, body: &[u8]) -> Result<Envelope<T>> {
    if matches!(http_status, 401 | 403) {
        return Err(KolayGelsinError::Unauthorized {
            status: http_status,
        }
        .into());
    }
    let text = text_of(body)?;
    let ok_http = (200..300).contains(&http_status);
    // Hot path: a well-formed success reads straight into its typed payload.
    if ok_http {
        if let Ok(env) = serde_json::from_str::<Envelope<T>>(text) {
            if env
                .result_code
                .as_ref()
                .is_some_and(wire::ResultCode::is_ok)
            {
                return Ok(env);
            }
        }
    }
    let env: Envelope<serde_json::Value> = match serde_json::from_str(text) {
        Ok(e) => e,
        Err(_) if !ok_http => return Err(error::http_status(http_status, text)),
        Err(e) => return Err(malformed(format!("invalid JSON: {e}"), text)),
    };
    let Some(code) = env.result_code.clone() else {
        if !ok_http {
            return Err(error::http_status(http_status, text));
        }
        return Err(malformed("the answer has no ResultCode", text));
    };
    if !code.is_ok() {
        return Err(KolayGelsinError::Result {
            code: code.canonical(),
            message: env.result_message.clone().unwrap_or_default(),
        }
        .into());
    }
    if !ok_http {
        return Err(error::http_status(http_status, text));
    }
    let payload = match env.payload {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value(v)
                .map_err(|e| malformed(format!("unexpected Payload: {e}"), text))?,
        ),
    };
    Ok(Envelope {
        source: env.source,
        target: env.target,
        intent: env.intent,
        tag: env.tag,
        job_owner: env.job_owner,
        job_id: env.job_id,
        payload,
        username: env.username,
        result_code: env.result_code,
        result_message: env.result_message,
    })
}

/// True for a 5xx answer carrying Kolay Gelsin's envelope with a `ResultCode`: a business
/// error, final (never retried), read by [`answer`].
pub fn is_final_answer(resp: &RawResponse) -> bool {
    (500..600).contains(&resp.status)
        && serde_json::from_slice::<Envelope<IgnoredAny>>(&resp.body)
            .is_ok_and(|e| e.result_code.is_some())
}

fn labels_of(list: Option<Vec<wire::ItemLabel>>) -> Vec<(Option<String>, Option<String>, String)> {
    list.unwrap_or_default()
        .into_iter()
        .filter_map(|l| {
            let html = l.shipment_item_label.filter(|h| !h.trim().is_empty())?;
            Some((
                nonblank(l.customer_barcode.as_deref()).map(String::from),
                scalar_text(l.shipment_item_id.as_ref()),
                html,
            ))
        })
        .collect()
}

/// The create (or return) answer → [`CreatedShipment`]: `ShipmentId` as the carrier's tracking
/// number, the parcel ids, tracking link and job id in `carrier_refs`, and the HTML label
/// exactly as received (several parcels: their labels in order, one after the other, separated
/// by a newline). No `ShipmentId` → `protocol.malformed`.
pub fn parse_create(http_status: u16, body: &[u8], key: &MerchantKey) -> Result<CreatedShipment> {
    let env: Envelope<wire::CreatePayload> = answer(http_status, body)?;
    let raw = String::from_utf8_lossy(body).into_owned();
    let Some(p) = env.payload else {
        return Err(malformed("the answer has no Payload", &raw));
    };
    let Some(id) = scalar_text(p.shipment_id.as_ref()) else {
        return Err(malformed("the answer has no ShipmentId", &raw));
    };
    let labels = labels_of(p.shipment_item_label_list);
    let mut refs = BTreeMap::new();
    refs.insert(REF_SHIPMENT_ID.to_string(), id.clone());
    let first_item = labels
        .iter()
        .find(|(b, _, _)| b.as_deref() == Some(key.as_str()))
        .or(labels.first())
        .and_then(|(_, i, _)| i.clone());
    if let Some(i) = first_item {
        refs.insert(REF_ITEM_ID.to_string(), i);
    }
    if labels.len() > 1 {
        let ids: Vec<String> = labels.iter().filter_map(|(_, i, _)| i.clone()).collect();
        refs.insert(REF_ITEM_IDS.to_string(), ids.join(","));
    }
    for (k, v) in [
        (REF_SPECIFIC_CODE, p.customer_specific_code),
        (REF_TRACKING_LINK, p.shipment_tracking_link),
        (REF_JOB_ID, scalar_text(env.job_id.as_ref())),
    ] {
        if let Some(v) = nonblank(v.as_deref()) {
            refs.insert(k.to_string(), v.to_string());
        }
    }
    let label = match labels.len() {
        0 => None,
        1 => labels
            .into_iter()
            .next()
            .map(|(_, _, html)| html.into_bytes()),
        _ => Some(
            labels
                .into_iter()
                .map(|(_, _, html)| html)
                .collect::<Vec<_>>()
                .join("\n")
                .into_bytes(),
        ),
    }
    .map(|bytes| Label {
        format: LabelFormat::Html,
        bytes,
    });
    Ok(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: Some(id),
        carrier_refs: refs,
        label,
        raw,
    })
}

/// The cancel answer: `ResultCode` 200 (the payload is undocumented and ignored) or an error.
pub fn parse_cancel(http_status: u16, body: &[u8]) -> Result<()> {
    answer::<IgnoredAny>(http_status, body).map(|_| ())
}

fn cancellation_reason(s: &str) -> &str {
    match s {
        "1" => "Standart",
        "2" => "Yasal",
        "3" => "Gönderici durdurdu",
        other => other,
    }
}

/// The text of an event: the carrier's wording of the code (or its `EventDescription`, or the
/// bare code when unknown), followed by what the details say — who took the parcel, the return
/// leg, a new delivery date, the cancellation reason, a previous price. The same for a polled
/// and a pushed event, so the history recognises a pushed event it already has.
pub fn event_text(code: &str, detail: Option<&EventDetail>, description: Option<&str>) -> String {
    let mut text = status::event(code)
        .map(|k| k.text_tr.to_string())
        .or_else(|| nonblank(description).map(String::from))
        .unwrap_or_else(|| format!("CargoEventType {}", code.trim()));
    let Some(d) = detail else {
        return text;
    };
    if let Some(name) = nonblank(d.delivered_person_name.as_deref()) {
        match nonblank(d.delivered_person_role.as_deref()) {
            Some(role) => text.push_str(&format!(" (teslim alan: {name}, {role})")),
            None => text.push_str(&format!(" (teslim alan: {name})")),
        }
    }
    if let Some(r) = scalar_text(d.return_shipment_id.as_ref()) {
        text.push_str(&format!(" — iade gönderisi {r}"));
    }
    if let Some(date) = nonblank(d.new_delivery_date.as_deref()) {
        text.push_str(&format!(" — yeni teslimat tarihi {date}"));
        if let Some(t) = nonblank(d.new_delivery_time.as_deref()) {
            text.push_str(&format!(" {t}"));
        }
    }
    if let Some(reason) = scalar_text(d.delivery_cancellation_reason.as_ref()) {
        text.push_str(&format!(
            " — iptal nedeni: {}",
            cancellation_reason(&reason)
        ));
    }
    if let Some(p) = scalar_text(d.previous_price.as_ref()) {
        text.push_str(&format!(" — önceki ücret {p}"));
    }
    text
}

/// The time of an event (`TimeStamp`, ISO 8601; no offset means Turkey time), else
/// `protocol.malformed` keeping `raw`.
pub fn event_time(time: Option<&str>, raw: &str) -> Result<DateTime<FixedOffset>> {
    let t = time.unwrap_or_default();
    dates::iso(t).ok_or_else(|| malformed(format!("bad event TimeStamp '{t}'"), raw))
}

/// One event from its parts (shared by tracking and the webhook). `picked_up_before` says
/// whether an earlier event showed the parcel in the carrier's hands (event 31 is a
/// cancellation otherwise).
pub fn event_of(
    code: &str,
    time: DateTime<FixedOffset>,
    location: Option<&str>,
    detail: Option<&EventDetail>,
    description: Option<&str>,
    picked_up_before: bool,
) -> TrackingEvent {
    let code = code.trim();
    let has_leg = detail.is_some_and(|d| scalar_text(d.return_shipment_id.as_ref()).is_some());
    TrackingEvent {
        time,
        location: nonblank(location).map(String::from),
        carrier_code: code.to_string(),
        carrier_text: event_text(code, detail, description),
        status: status::status_of(code, picked_up_before, has_leg),
        measurement: None,
    }
}

/// One parcel's tracking, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tracked {
    /// Kolay Gelsin's shipment number.
    pub shipment_id: Option<String>,
    /// Kolay Gelsin's parcel id.
    pub shipment_item_id: Option<String>,
    /// The merchant barcode.
    pub customer_barcode: Option<String>,
    /// The merchant order key.
    pub customer_specific_code: Option<String>,
    /// Events, oldest first (same-moment events in lifecycle order).
    pub events: Vec<TrackingEvent>,
    /// The return leg's shipment number, when an event names one.
    pub return_shipment_id: Option<String>,
}

impl Tracked {
    /// The current status: the latest known event's.
    pub fn status(&self) -> Option<ShipmentStatus> {
        current_status(&self.events)
    }

    /// True once an event shows the parcel in the carrier's hands.
    pub fn picked_up(&self) -> bool {
        self.events
            .iter()
            .any(|e| e.status.is_some_and(status::is_pickup_or_later))
    }
}

fn rank(s: Option<ShipmentStatus>) -> usize {
    s.and_then(|s| ShipmentStatus::ALL.iter().position(|x| *x == s))
        .unwrap_or(usize::MAX)
}

fn tracked_of(model: wire::ShipmentModel, raw: &str) -> Result<Tracked> {
    let mut logs = model.cargo_event_log_model_list.unwrap_or_default();
    // Time order first, so that event 31 knows whether a pickup came before it.
    let mut timed = Vec::with_capacity(logs.len());
    for log in logs.drain(..) {
        timed.push((event_time(log.time_stamp.as_deref(), raw)?, log));
    }
    timed.sort_by_key(|(at, _)| *at);
    let mut events = Vec::with_capacity(timed.len());
    let mut picked_up = false;
    let mut leg = None;
    for (at, log) in &timed {
        let code = scalar_text(log.cargo_event_type.as_ref()).unwrap_or_default();
        let e = event_of(
            &code,
            *at,
            log.location_name.as_deref(),
            log.event_detail_model.as_ref(),
            log.event_description.as_deref(),
            picked_up,
        );
        picked_up |= e.status.is_some_and(status::is_pickup_or_later);
        if let Some(r) = log
            .event_detail_model
            .as_ref()
            .and_then(|d| scalar_text(d.return_shipment_id.as_ref()))
        {
            leg = Some(r);
        }
        events.push(e);
    }
    events.sort_by_key(|e| (e.time, rank(e.status)));
    Ok(Tracked {
        shipment_id: scalar_text(model.shipment_id.as_ref()),
        shipment_item_id: scalar_text(model.shipment_item_id.as_ref()),
        customer_barcode: nonblank(model.customer_barcode.as_deref()).map(String::from),
        customer_specific_code: nonblank(model.customer_specific_code.as_deref()).map(String::from),
        events,
        return_shipment_id: leg,
    })
}

/// Finds one parcel in a tracking answer: the one whose `CustomerBarcode` is `key` (within
/// `shipment_id` when given), else the first parcel of `shipment_id`. `Ok(None)` when the
/// answer lists neither.
pub fn parse_track(
    http_status: u16,
    body: &[u8],
    key: &MerchantKey,
    shipment_id: Option<&str>,
) -> Result<Option<Tracked>> {
    let env: Envelope<wire::TrackPayload> = answer(http_status, body)?;
    let raw = String::from_utf8_lossy(body);
    let models = env
        .payload
        .and_then(|p| p.shipment_model_list)
        .unwrap_or_default();
    let id_matches = |m: &wire::ShipmentModel| {
        shipment_id.is_none_or(|id| scalar_text(m.shipment_id.as_ref()).as_deref() == Some(id))
    };
    let barcode =
        |m: &wire::ShipmentModel| nonblank(m.customer_barcode.as_deref()) == Some(key.as_str());
    let pick = models
        .iter()
        .position(|m| barcode(m) && id_matches(m))
        .or_else(|| shipment_id.and_then(|_| models.iter().position(id_matches)));
    match pick {
        Some(i) => {
            let model = models.into_iter().nth(i).unwrap_or_default();
            tracked_of(model, &raw).map(Some)
        }
        None => Ok(None),
    }
}

/// Completes a returning shipment with its return leg: when the leg was delivered (event 29),
/// the original is returned (inferred by the notes: Kolay Gelsin lists no "returned to sender"
/// event). The added event carries code 29 and the leg's number in its text.
pub fn with_return_leg(mut tracked: Tracked, leg: &Tracked) -> Tracked {
    if tracked.status() != Some(ShipmentStatus::Returning) {
        return tracked;
    }
    let delivered = leg
        .events
        .iter()
        .find(|e| e.carrier_code == status::DELIVERED.to_string());
    if let Some(d) = delivered {
        let number = leg.shipment_id.clone().unwrap_or_default();
        tracked.events.push(TrackingEvent {
            time: d.time,
            location: d.location.clone(),
            carrier_code: d.carrier_code.clone(),
            carrier_text: format!("İade gönderisi {number} göndericiye teslim edildi"),
            status: Some(ShipmentStatus::Returned),
            measurement: None,
        });
        tracked.events.sort_by_key(|e| (e.time, rank(e.status)));
    }
    tracked
}

/// The [`TrackingUpdate`] of a parsed parcel (`raw`: the bodies as received).
pub fn tracking_update(tracked: Tracked, raw: String) -> TrackingUpdate {
    TrackingUpdate {
        status: tracked.status(),
        carrier_tracking_number: tracked.shipment_id,
        events: tracked.events,
        raw,
    }
}

/// The shipment a lookup found, for reconciliation.
pub fn found(tracked: &Tracked, key: &MerchantKey, raw: String) -> CreatedShipment {
    let mut refs = BTreeMap::new();
    for (k, v) in [
        (REF_SHIPMENT_ID, &tracked.shipment_id),
        (REF_ITEM_ID, &tracked.shipment_item_id),
        (REF_SPECIFIC_CODE, &tracked.customer_specific_code),
    ] {
        if let Some(v) = v {
            refs.insert(k.to_string(), v.clone());
        }
    }
    CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: tracked.shipment_id.clone(),
        carrier_refs: refs,
        label: None,
        raw,
    }
}

/// The event types of the customer: `(code, description)` in the carrier's order.
pub fn parse_event_types(http_status: u16, body: &[u8]) -> Result<Vec<(String, String)>> {
    let env: Envelope<wire::EventTypesPayload> = answer(http_status, body)?;
    Ok(env
        .payload
        .and_then(|p| p.cargo_event_type_list)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|t| {
            Some((
                scalar_text(t.cargo_event_type.as_ref())?,
                t.event_customer_description.unwrap_or_default(),
            ))
        })
        .collect())
}

/// The document of `GetDocumentForHistory`: `DocumentModel.Data` decoded (base64 text, or an
/// array of byte values), bytes exactly as Kolay Gelsin sent them (PDF).
pub fn parse_document(http_status: u16, body: &[u8]) -> Result<Vec<u8>> {
    let env: Envelope<wire::DocumentPayload> = answer(http_status, body)?;
    let raw = || String::from_utf8_lossy(body).into_owned();
    match env
        .payload
        .and_then(|p| p.document_model)
        .and_then(|d| d.data)
    {
        Some(wire::DocumentData::Bytes(b)) if !b.is_empty() => Ok(b),
        Some(wire::DocumentData::Base64(s)) if !s.trim().is_empty() => {
            let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            base64::engine::general_purpose::STANDARD
                .decode(clean.as_bytes())
                .map_err(|e| malformed(format!("DocumentModel.Data is not base64: {e}"), &raw()))
        }
        _ => Err(malformed("the answer has no DocumentModel.Data", &raw())),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key() -> MerchantKey {
        MerchantKey("KJ2400000601".into())
    }

    #[test]
    fn keys_are_checked_assigned_and_numbered_per_parcel() {
        assert!(check_key("KJ2400000601").is_ok());
        assert!(check_key("KJ-24").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("KJ 24").is_err());
        assert!(check_key(&"K".repeat(31)).is_err());
        assert_eq!(
            assign_key(&MerchantKey("kj_24/0601".into()))
                .unwrap()
                .as_str(),
            "KJ240601"
        );
        assert!(assign_key(&MerchantKey("__".into())).is_err());
        assert_eq!(assign_key(&key()).unwrap(), key());
        assert_eq!(item_barcode("KJ1", 0), "KJ1");
        assert_eq!(item_barcode("KJ1", 2), "KJ1-3");
        assert_eq!(split_name("Deniz Koç"), ("Deniz".into(), "Koç".into()));
        assert_eq!(split_name("Ada"), ("Ada".into(), "Ada".into()));
        assert_eq!(
            cancel_body("884213").unwrap().shipment_id,
            Some(Scalar::Int(884213))
        );
        assert_eq!(
            cancel_body("KG-1").unwrap().shipment_id,
            Some(Scalar::Text("KG-1".into()))
        );
        assert!(cancel_body(" ").is_err());
    }

    #[test]
    fn envelope_errors_and_http_statuses() {
        let e = answer::<serde_json::Value>(
            200,
            r#"{"Payload": null, "ResultCode": 500.0, "ResultMessage": "CityNotFound"}"#.as_bytes(),
        )
        .unwrap_err();
        assert_eq!(
            (e.code(), e.carrier_code()),
            (Code::CarrierRejected, Some("500.0"))
        );
        let e = answer::<serde_json::Value>(
            500,
            r#"{"ResultCode": 404.1, "ResultMessage": "Adres müşteriye ait değil"}"#.as_bytes(),
        )
        .unwrap_err();
        assert_eq!(e.carrier_code(), Some("404.1"));
        let e = answer::<serde_json::Value>(502, b"<html>Bad gateway</html>").unwrap_err();
        assert_eq!(e.code(), Code::TransportHttpStatus);
        let e = answer::<serde_json::Value>(401, b"").unwrap_err();
        assert_eq!(e.code(), Code::AuthFailed);
        let e = answer::<serde_json::Value>(200, b"{\"ResultCode\": 200").unwrap_err();
        assert_eq!(e.raw(), Some("{\"ResultCode\": 200"));
        let e = answer::<serde_json::Value>(200, b"{\"Payload\": {}}").unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        let e = answer::<serde_json::Value>(200, &[0xff, b'{']).unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        let ok = answer::<serde_json::Value>(200, br#"{"ResultCode": 200.0, "Payload": {"a": 1}}"#)
            .unwrap();
        assert_eq!(ok.payload, Some(serde_json::json!({"a": 1})));
        let resp = |status, body: &str| RawResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        };
        assert!(is_final_answer(&resp(500, r#"{"ResultCode": 500.0}"#)));
        assert!(!is_final_answer(&resp(500, "Internal Server Error")));
        assert!(!is_final_answer(&resp(200, r#"{"ResultCode": 500.0}"#)));
    }

    #[test]
    fn stop_before_and_after_pickup() {
        let body = r#"{"ResultCode": 200, "Payload": {"ShipmentModelList": [
            {"ShipmentId": "1", "CustomerBarcode": "KJ2400000601", "CargoEventLogModelList": [
              {"CargoEventType": 31, "TimeStamp": "2024-03-12T11:00:00+03:00", "EventDetailModel": {"DeliveryCancellationReason": "1"}},
              {"CargoEventType": 1, "TimeStamp": "2024-03-12T10:00:00+03:00"}]},
            {"ShipmentId": "2", "CustomerBarcode": "KJ2", "CargoEventLogModelList": [
              {"CargoEventType": 12, "TimeStamp": "2024-03-12T10:00:00+03:00"},
              {"CargoEventType": 31, "TimeStamp": "2024-03-12T11:00:00+03:00"}]}]}}"#;
        let a = parse_track(200, body.as_bytes(), &key(), None)
            .unwrap()
            .unwrap();
        assert_eq!(a.status(), Some(ShipmentStatus::Cancelled));
        assert_eq!(a.events[0].carrier_code, "1");
        assert!(a.events[1].carrier_text.ends_with("iptal nedeni: Standart"));
        let b = parse_track(200, body.as_bytes(), &MerchantKey("KJ2".into()), None)
            .unwrap()
            .unwrap();
        assert_eq!(b.status(), Some(ShipmentStatus::Returning));
        let by_id = parse_track(200, body.as_bytes(), &MerchantKey("X".into()), Some("2"))
            .unwrap()
            .unwrap();
        assert_eq!(by_id.shipment_id.as_deref(), Some("2"));
        assert!(
            parse_track(200, body.as_bytes(), &MerchantKey("X".into()), None)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_delivered_return_leg_makes_the_original_returned() {
        let body = r#"{"ResultCode": 200, "Payload": {"ShipmentModelList": [
            {"ShipmentId": "1", "CustomerBarcode": "KJ2400000601", "CargoEventLogModelList": [
              {"CargoEventType": 12, "TimeStamp": "2024-03-12T10:00:00+03:00"},
              {"CargoEventType": 28, "TimeStamp": "2024-03-13T10:00:00+03:00"},
              {"CargoEventType": 46, "TimeStamp": "2024-03-13T14:00:00+03:00", "EventDetailModel": {"ReturnShipmentId": "9"}}]}]}}"#;
        let t = parse_track(200, body.as_bytes(), &key(), None)
            .unwrap()
            .unwrap();
        assert_eq!(t.return_shipment_id.as_deref(), Some("9"));
        assert_eq!(t.status(), Some(ShipmentStatus::Returning));
        let leg_body = r#"{"ResultCode": 200, "Payload": {"ShipmentModelList": [
            {"ShipmentId": "9", "CustomerBarcode": "KJ2400000601", "CargoEventLogModelList": [
              {"CargoEventType": 29, "TimeStamp": "2024-03-15T10:00:00+03:00", "LocationName": "TUZLA"}]}]}}"#;
        let leg = parse_track(200, leg_body.as_bytes(), &key(), Some("9"))
            .unwrap()
            .unwrap();
        let done = with_return_leg(t.clone(), &leg);
        assert_eq!(done.status(), Some(ShipmentStatus::Returned));
        assert!(
            done.events
                .last()
                .unwrap()
                .carrier_text
                .contains("İade gönderisi 9")
        );
        let not_yet = with_return_leg(t, &Tracked::default());
        assert_eq!(not_yet.status(), Some(ShipmentStatus::Returning));
    }

    #[test]
    fn bad_times_and_documents() {
        let body = r#"{"ResultCode": 200, "Payload": {"ShipmentModelList": [
            {"CustomerBarcode": "KJ2400000601", "CargoEventLogModelList": [{"CargoEventType": 1}]}]}}"#;
        assert_eq!(
            parse_track(200, body.as_bytes(), &key(), None)
                .unwrap_err()
                .code(),
            Code::ProtocolMalformed
        );
        let doc = parse_document(
            200,
            br#"{"ResultCode": 200, "Payload": {"DocumentModel": {"Data": "JVBERi0xLjQ="}}}"#,
        )
        .unwrap();
        assert_eq!(doc, b"%PDF-1.4");
        let doc = parse_document(
            200,
            br#"{"ResultCode": 200, "Payload": {"DocumentModel": {"Data": [37, 80]}}}"#,
        )
        .unwrap();
        assert_eq!(doc, b"%P");
        assert!(
            parse_document(
                200,
                br#"{"ResultCode": 200, "Payload": {"DocumentModel": {"Data": "!!"}}}"#
            )
            .is_err()
        );
        let types = parse_event_types(
            200,
            r#"{"ResultCode": 200, "Payload": {"CargoEventTypeList": [{"CargoEventType": 1, "EventCustomerDescription": "Oluşturuldu"}, {}]}}"#.as_bytes(),
        )
        .unwrap();
        assert_eq!(types, vec![("1".to_string(), "Oluşturuldu".to_string())]);
    }
}
