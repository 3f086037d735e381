//! Pure functions between the domain and Yurtiçi's wire types: build requests from
//! [`CreateRequest`] and friends, read responses into [`CreatedShipment`] / [`TrackingUpdate`].
//! No I/O; any input gives a value or a typed error, never a panic, and protocol errors keep the
//! raw body.

use crate::config::{CreateOptions, Credentials, Language, PaymentType};
use crate::error::{self as yerr, YurticiError};
use crate::fast::{MovementView, TrackDetail, TrackItem};
use crate::status::{self, StatusInputs};
use crate::wire::*;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone};
use kargojet_carrier_common::soap::{SoapBody, body_of_bytes};
use kargojet_carrier_common::{dates, number, scan};
use kargojet_core::carrier::{CarrierId, CreateRequest, TrackingUpdate};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::money::Money;
use kargojet_core::shipment::{CodPayment, CreatedShipment, MerchantKey};
use kargojet_core::time::turkey_offset;
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent};
use serde::de::DeserializeOwned;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Longest `cargoKey` / `invoiceKey` the service takes.
pub const MAX_KEY_LEN: usize = 20;

fn check_len(value: &str, max: usize, field: &str, code: Code) -> Result<()> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid(
            code,
            field,
            format!("{n} characters, Yurtiçi takes at most {max}"),
        ));
    }
    Ok(())
}

/// The `invoiceKey` of a shipment: the seller's order id when it fits (≤ 20), else the
/// merchant key.
pub fn invoice_key(req: &CreateRequest) -> String {
    req.shipment
        .order_id
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty() && o.chars().count() <= MAX_KEY_LEN)
        .map(str::to_string)
        .unwrap_or_else(|| req.merchant_key.as_str().to_string())
}

/// The COD invoice number (`ttDocumentId`, ≤ 12 digits): the last 12 digits of the merchant
/// key (unique per shipment, as the key is).
pub fn cod_document_id(key: &MerchantKey) -> Result<i64> {
    let digits: String = key.as_str().chars().filter(char::is_ascii_digit).collect();
    let tail = &digits[digits.len().saturating_sub(12)..];
    tail.parse::<i64>().map_err(|_| {
        Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            "a COD shipment's key needs digits for Yurtiçi's ttDocumentId",
        )
    })
}

/// Builds the `createShipment` request for one shipment (invoice mode: one `ShippingOrderVO`
/// with the piece count; the branch measures the pieces).
pub fn build_create(
    req: &CreateRequest,
    user: &Credentials,
    opt: &CreateOptions,
) -> Result<CreateShipment> {
    let s = &req.shipment;
    let r = &s.recipient;
    let key = req.merchant_key.as_str();
    if key.is_empty() {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            "empty",
        ));
    }
    check_len(key, MAX_KEY_LEN, "merchant_key", Code::RequestInvalid)?;
    let name_letters = r.name.chars().filter(|c| c.is_alphabetic()).count();
    if r.name.chars().count() < 5 || name_letters < 4 {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "recipient.name",
            "Yurtiçi needs at least 5 characters with 4 letters",
        ));
    }
    check_len(&r.name, 200, "recipient.name", Code::RequestInvalid)?;
    check_len(
        &r.address.line,
        200,
        "recipient.address.line",
        Code::RequestInvalidAddress,
    )?;
    if let Some(d) = &s.description {
        check_len(d, 255, "description", Code::RequestInvalid)?;
    }
    let mut vo = ShippingOrderVO {
        cargo_key: Some(key.to_string()),
        invoice_key: Some(invoice_key(req)),
        receiver_cust_name: Some(r.name.clone()),
        receiver_address: Some(r.address.line.clone()),
        city_name: Some(r.address.province.clone()),
        town_name: Some(r.address.district.clone()),
        receiver_phone1: Some(r.phone.digits().to_string()),
        email_address: r.email.clone(),
        tax_number: r.tax_id.clone(),
        cargo_count: Some(i32::try_from(s.parcels.len()).unwrap_or(i32::MAX)),
        description: s.description.clone(),
        ..ShippingOrderVO::default()
    };
    if opt.send_measurements {
        let rule = kargojet_core::parcel::DesiRule::default();
        vo.desi = Some(rule.total_desi(&s.parcels).round_dp(2).normalize());
        vo.kg = Some(s.total_kg().round_dp(2).normalize());
    }
    if let Some(cod) = &s.cod {
        let amount = cod.amount.round_kurus().amount;
        vo.tt_invoice_amount = Some(amount.round_dp(2));
        vo.tt_document_id = Some(cod_document_id(&req.merchant_key)?);
        vo.tt_collection_type = Some(match cod.payment {
            CodPayment::Cash => "0".into(),
            CodPayment::Card => "1".into(),
        });
        vo.tt_document_save_type = Some(if opt.separate_cod_invoice { "1" } else { "0" }.into());
        if cod.payment == CodPayment::Card {
            vo.dc_selected_credit = Some(i64::from(opt.card_installments.max(1)));
            vo.dc_credit_rule = Some(i64::from(opt.card_allow_single_payment));
        }
    }
    Ok(CreateShipment {
        xmlns: NS.to_string(),
        ws_user_name: Some(user.user_name.clone()),
        ws_password: Some(user.password.clone()),
        user_language: Some(opt.language.as_str().into()),
        orders: vec![vo],
    })
}

/// Builds a `queryShipment` by cargoKeys, with the movement history.
pub fn build_query(keys: &[&str], user: &Credentials, lang: Language) -> QueryShipment {
    QueryShipment {
        xmlns: NS.to_string(),
        ws_user_name: Some(user.user_name.clone()),
        ws_password: Some(user.password.clone()),
        ws_language: Some(lang.as_str().into()),
        keys: keys.iter().map(|k| k.to_string()).collect(),
        key_type: Some(0),
        add_historical_data: Some(true),
        only_tracking: Some(false),
    }
}

/// Builds a `cancelShipment`.
pub fn build_cancel(keys: &[&str], user: &Credentials, lang: Language) -> CancelShipment {
    CancelShipment {
        xmlns: NS.to_string(),
        ws_user_name: Some(user.user_name.clone()),
        ws_password: Some(user.password.clone()),
        user_language: Some(lang.as_str().into()),
        cargo_keys: keys.iter().map(|k| k.to_string()).collect(),
    }
}

/// Builds a `saveReturnShipmentCode` valid from `start` for `days` days (dates `YYYYMMDD`).
pub fn build_save_return(
    code: &str,
    field_name: &str,
    start: NaiveDate,
    days: u32,
    user: &Credentials,
    lang: Language,
) -> SaveReturnShipmentCode {
    let end = start
        .checked_add_days(chrono::Days::new(u64::from(days)))
        .unwrap_or(start);
    SaveReturnShipmentCode {
        xmlns: NS.to_string(),
        ws_user_name: Some(user.user_name.clone()),
        ws_password: Some(user.password.clone()),
        ws_language: Some(lang.as_str().into()),
        field_name: Some(field_name.into()),
        return_code: Some(code.into()),
        start_date: Some(start.format("%Y%m%d").to_string()),
        end_date: Some(end.format("%Y%m%d").to_string()),
        max_count: Some(1),
    }
}

/// Builds a `cancelReturnShipmentCode`.
pub fn build_cancel_return(
    code: &str,
    field_name: &str,
    user: &Credentials,
    lang: Language,
) -> CancelReturnShipmentCode {
    CancelReturnShipmentCode {
        xmlns: NS.to_string(),
        ws_user_name: Some(user.user_name.clone()),
        ws_password: Some(user.password.clone()),
        ws_language: Some(lang.as_str().into()),
        field_name: Some(field_name.into()),
        return_code: Some(code.into()),
    }
}

/// Writes a request as its SOAP body element.
pub fn body_xml<T: serde::Serialize>(op: Operation, request: &T) -> Result<String> {
    to_body_xml(op, request).map_err(|e| {
        YurticiError::Write {
            op: op.name(),
            detail: e.to_string(),
        }
        .into()
    })
}

// ------------------------------------------------------------------ reading

fn read_error(op: Operation, detail: impl Into<String>, raw: &[u8]) -> Error {
    YurticiError::Read {
        op: op.name(),
        detail: detail.into(),
        raw: String::from_utf8_lossy(raw).into_owned(),
    }
    .into()
}

/// Reads the SOAP body: a fault becomes the mapped error; the payload must be `op`'s response
/// element and is read into `R`. Anything else is a protocol error keeping the raw body.
fn read_payload<R: DeserializeOwned>(op: Operation, raw: &[u8]) -> Result<R> {
    match body_of_bytes(raw) {
        Err(e) => Err(read_error(op, e.to_string(), raw)),
        Ok(SoapBody::Fault(f)) => Err(yerr::fault_error(&f)),
        Ok(SoapBody::Payload { element, inner_xml }) => {
            if element != op.response_name() {
                return Err(read_error(
                    op,
                    format!("expected {}, got {element}", op.response_name()),
                    raw,
                ));
            }
            quick_xml::de::from_str(inner_xml).map_err(|e| read_error(op, e.to_string(), raw))
        }
    }
}

fn missing(op: Operation, what: &str, raw: &[u8]) -> Error {
    read_error(op, format!("missing {what}"), raw)
}

/// Reads a `createShipment` response into its result.
pub fn read_create(raw: &[u8]) -> Result<ShippingOrderResultVO> {
    let op = Operation::CreateShipment;
    let r: CreateShipmentResponse = read_payload(op, raw)?;
    r.result
        .ok_or_else(|| missing(op, "ShippingOrderResultVO", raw))
}

/// Reads a `cancelShipment` response into its result.
pub fn read_cancel(raw: &[u8]) -> Result<ShippingCancelResultVO> {
    let op = Operation::CancelShipment;
    let r: CancelShipmentResponse = read_payload(op, raw)?;
    r.result
        .ok_or_else(|| missing(op, "ShippingOrderResultVO", raw))
}

/// Reads a `queryShipment` response into its result.
/// Uses the single-pass reader ([`crate::fast`]); faults and non-UTF-8 bodies go through the
/// general path.
pub fn read_query(raw: &[u8]) -> Result<ShippingDeliveryResultVO> {
    let op = Operation::QueryShipment;
    let Ok(text) = scan::utf8(raw) else {
        return read_query_serde(raw);
    };
    match crate::fast::read_query(text) {
        Ok(vo) => Ok(vo),
        Err(crate::fast::FastError::Fault) => read_query_serde(raw),
        Err(crate::fast::FastError::Malformed(m)) => Err(read_error(op, m, raw)),
    }
}

/// Reads a `queryShipment` response with the general (serde) path.
pub fn read_query_serde(raw: &[u8]) -> Result<ShippingDeliveryResultVO> {
    let op = Operation::QueryShipment;
    let r: QueryShipmentResponse = read_payload(op, raw)?;
    r.result
        .ok_or_else(|| missing(op, "ShippingDeliveryVO", raw))
}

/// Reads a `saveReturnShipmentCode` or `cancelReturnShipmentCode` response.
pub fn read_return_code(op: Operation, raw: &[u8]) -> Result<ExtendedBaseResultVO> {
    if !matches!(
        op,
        Operation::SaveReturnShipmentCode | Operation::CancelReturnShipmentCode
    ) {
        return Err(Error::internal(format!(
            "{} is not a return-code operation",
            op.name()
        )));
    }
    let r: ReturnCodeResponse = read_payload(op, raw)?;
    r.result
        .ok_or_else(|| missing(op, "ExtendedBaseResultVO", raw))
}

fn is_ok_flag(flag: &str) -> bool {
    flag.trim() == "0"
}

fn raw_string(raw: &[u8]) -> String {
    match scan::utf8(raw) {
        Ok(s) => s.to_owned(),
        Err(_) => String::from_utf8_lossy(raw).into_owned(),
    }
}

/// Parses a `createShipment` response for `key` into the created shipment. A duplicate key
/// is `carrier.duplicate` (`60020`); the caller decides whether that is a resend's success.
pub fn parse_create(raw: &[u8], key: &MerchantKey) -> Result<CreatedShipment> {
    let r = read_create(raw)?;
    let detail = r
        .details
        .iter()
        .find(|d| d.cargo_key.as_deref().map(str::trim) == Some(key.as_str()));
    let blamed = detail.or_else(|| r.details.iter().find(|d| d.err_code.unwrap_or(0) != 0));
    if let Some(e) =
        blamed.and_then(|d| yerr::item_error(d.err_code.unwrap_or(0), d.err_message.as_deref()))
    {
        return Err(e);
    }
    if !is_ok_flag(&r.out_flag) {
        return Err(yerr::flag_error(&r.out_flag, r.out_result.as_deref(), None));
    }
    let Some(d) = detail else {
        return Err(missing(
            Operation::CreateShipment,
            &format!("shippingOrderDetailVO for {key}"),
            raw,
        ));
    };
    let mut refs = BTreeMap::new();
    if let Some(job) = r.job_id {
        refs.insert("jobId".to_string(), job.to_string());
    }
    if let Some(inv) = d.invoice_key.as_deref().filter(|s| !s.is_empty()) {
        refs.insert("invoiceKey".to_string(), inv.to_string());
    }
    Ok(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: None,
        carrier_refs: refs,
        label: None,
        raw: raw_string(raw),
    })
}

/// Parses a `cancelShipment` response for `key`: `Ok` when the carrier reports the dispatch
/// blocked (`CNL`) or already cancelled (`ISC`, `82520`); `shipment.invalid_state` when it
/// reports another status (the invoice was issued: too late to cancel).
pub fn parse_cancel(raw: &[u8], key: &str) -> Result<()> {
    let r = read_cancel(raw)?;
    let detail = r
        .details
        .iter()
        .find(|d| d.cargo_key.as_deref().map(str::trim) == Some(key));
    let Some(d) = detail.or_else(|| r.details.iter().find(|d| d.err_code.unwrap_or(0) != 0)) else {
        if !is_ok_flag(&r.out_flag) {
            return Err(yerr::flag_error(&r.out_flag, r.out_result.as_deref(), None));
        }
        return Err(missing(
            Operation::CancelShipment,
            &format!("shippingCancelDetailVO for {key}"),
            raw,
        ));
    };
    let code = d.err_code.unwrap_or(0);
    if code == yerr::ALREADY_CANCELLED {
        return Ok(());
    }
    if let Some(e) = yerr::item_error(code, d.err_message.as_deref()) {
        return Err(e);
    }
    match status::operation_status(d.operation_code, d.operation_status.as_deref()) {
        Some(status::OperationStatus::Cnl | status::OperationStatus::Isc) => Ok(()),
        other => Err(Error::conflict(
            Code::ShipmentInvalidState,
            format!(
                "Yurtiçi did not cancel {key}: status {} ({})",
                other
                    .map(|o| o.mnemonic())
                    .or(d.operation_status.as_deref())
                    .unwrap_or("?"),
                d.operation_message.as_deref().unwrap_or("")
            ),
        )),
    }
}

/// Parses a return-code response: `Ok` on `outFlag` 0.
pub fn parse_return_code(op: Operation, raw: &[u8]) -> Result<()> {
    let r = read_return_code(op, raw)?;
    if is_ok_flag(&r.out_flag) {
        return Ok(());
    }
    Err(yerr::flag_error(
        &r.out_flag,
        r.out_result.as_deref(),
        r.err_code.as_deref(),
    ))
}

/// A Turkey-time instant from Yurtiçi's `YYYYMMDD` date and `HHMMSS` time (time optional;
/// separators tolerated).
pub fn parse_tr_datetime(date: &str, time: Option<&str>) -> Option<DateTime<FixedOffset>> {
    // The usual shape, `YYYYMMDD` and `HHMMSS` (or `HHMM`, or no time), read by position.
    let (db, tb) = (date.as_bytes(), time.unwrap_or("").as_bytes());
    if db.len() == 8 {
        let day = (
            dates::digits_at(db, 0, 4),
            dates::digits_at(db, 4, 2),
            dates::digits_at(db, 6, 2),
        );
        let clock = match tb.len() {
            0 => Some((0, 0, 0)),
            4 => dates::digits_at(tb, 0, 2)
                .zip(dates::digits_at(tb, 2, 2))
                .map(|(h, m)| (h, m, 0)),
            6 => match (
                dates::digits_at(tb, 0, 2),
                dates::digits_at(tb, 2, 2),
                dates::digits_at(tb, 4, 2),
            ) {
                (Some(h), Some(m), Some(s)) => Some((h, m, s)),
                _ => None,
            },
            _ => None,
        };
        if let ((Some(y), Some(mo), Some(d)), Some((h, mi, s))) = (day, clock) {
            return dates::turkey_time(i32::try_from(y).ok()?, mo, d, h, mi, s, 0);
        }
    }
    if date.trim().chars().count() > 10 {
        return None;
    }
    let (d, nd) = digits::<8>(date)?;
    if nd != 8 {
        return None;
    }
    let num = |s: &[u32]| s.iter().fold(0u32, |acc, x| acc * 10 + x);
    let year = i32::try_from(num(&d[0..4])).ok()?;
    let day = NaiveDate::from_ymd_opt(year, num(&d[4..6]), num(&d[6..8]))?;
    let (t, nt) = digits::<6>(time.unwrap_or(""))?;
    let tm = match nt {
        0 => NaiveTime::MIN,
        4 => NaiveTime::from_hms_opt(num(&t[0..2]), num(&t[2..4]), 0)?,
        6 => NaiveTime::from_hms_opt(num(&t[0..2]), num(&t[2..4]), num(&t[4..6]))?,
        _ => return None,
    };
    turkey_offset()
        .from_local_datetime(&day.and_time(tm))
        .single()
}

/// The ASCII digits of `s` (other characters skipped), at most `N`; `None` when there are more.
fn digits<const N: usize>(s: &str) -> Option<([u32; N], usize)> {
    let mut out = [0u32; N];
    let mut n = 0;
    for b in s.bytes().filter(u8::is_ascii_digit) {
        *out.get_mut(n)? = u32::from(b - b'0');
        n += 1;
    }
    Some((out, n))
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The measurement an item reports (`totalDesi`, `totalKg`, `totalAmount`), if any.
pub fn measurement(item: &ShippingDeliveryItemDetailVO, raw: &[u8]) -> Result<Option<Measurement>> {
    measurement_of(&TrackItem::of(item), raw)
}

/// [`measurement`] of a borrowed item.
fn measurement_of(item: &TrackItem<'_>, raw: &[u8]) -> Result<Option<Measurement>> {
    let num = |field: &str, v: &Option<Cow<'_, str>>| -> Result<Option<rust_decimal::Decimal>> {
        match view_str(v) {
            None => Ok(None),
            Some(s) => number::decimal(s).map(Some).ok_or_else(|| {
                read_error(
                    Operation::QueryShipment,
                    format!("{field} '{s}' is not a number"),
                    raw,
                )
            }),
        }
    };
    let m = Measurement {
        desi: num("totalDesi", &item.total_desi)?,
        kg: num("totalKg", &item.total_kg)?,
        amount: num("totalAmount", &item.total_amount)?.map(Money::try_lira),
    };
    Ok((!m.is_empty()).then_some(m))
}

/// A trimmed, non-empty borrowed field of a view.
fn view_str<'v>(v: &'v Option<Cow<'_, str>>) -> Option<&'v str> {
    v.as_deref().map(scan::trim).filter(|s| !s.is_empty())
}

/// The statuses of the (event id, wording) pairs already seen in one answer: tracking histories
/// repeat their wordings (each transfer centre, in and out), and the wording search is the
/// costly part of an event. Only texts borrowed from the body are remembered.
#[derive(Debug, Default)]
struct StatusMemo<'a> {
    seen: Vec<(&'a str, &'a str, Option<ShipmentStatus>)>,
}

impl<'a> StatusMemo<'a> {
    /// Most pairs remembered.
    const MAX: usize = 16;

    /// [`status::movement_status`] of a movement, remembered when its texts are borrowed.
    fn status(&mut self, m: &MovementView<'a>, code: &str, name: &str) -> Option<ShipmentStatus> {
        let key = match (&m.event_id, &m.event_name) {
            (Some(Cow::Borrowed(c)), Some(Cow::Borrowed(n))) => {
                Some((scan::trim(c), scan::trim(n)))
            }
            _ => None,
        };
        if let Some((c, n)) = key {
            let hit = self.seen.iter().find(|(sc, sn, _)| {
                scan::eq_bytes(sn.as_bytes(), n.as_bytes())
                    && scan::eq_bytes(sc.as_bytes(), c.as_bytes())
            });
            if let Some((_, _, st)) = hit {
                return *st;
            }
        }
        let st = status::movement_status(code, name);
        if let Some((c, n)) = key.filter(|_| self.seen.len() < Self::MAX) {
            self.seen.push((c, n, st));
        }
        st
    }
}

fn movement_event_with<'a>(
    m: &MovementView<'a>,
    raw: &[u8],
    memo: &mut StatusMemo<'a>,
) -> Result<TrackingEvent> {
    let date = view_str(&m.event_date)
        .ok_or_else(|| read_error(Operation::QueryShipment, "movement without eventDate", raw))?;
    let time = parse_tr_datetime(date, view_str(&m.event_time)).ok_or_else(|| {
        read_error(
            Operation::QueryShipment,
            format!(
                "bad movement time '{date}' '{}'",
                m.event_time.as_deref().unwrap_or("")
            ),
            raw,
        )
    })?;
    let reason_problem = view_str(&m.reason_id).is_some_and(|r| !r.eq_ignore_ascii_case("OK"));
    let code = view_str(&m.event_id).unwrap_or_default();
    let name = view_str(&m.event_name).unwrap_or_default();
    let mut st = memo.status(m, code, name);
    let text = match (reason_problem, view_str(&m.reason_name)) {
        (true, Some(reason)) => format!("{name} - {reason}"),
        _ => name.to_string(),
    };
    if reason_problem
        && !matches!(
            st,
            Some(
                ShipmentStatus::Delivered
                    | ShipmentStatus::Returning
                    | ShipmentStatus::Returned
                    | ShipmentStatus::Cancelled
            )
        )
    {
        st = Some(ShipmentStatus::DeliveryFailed);
    }
    let location = match view_str(&m.unit_name) {
        Some(u) => Some(u.to_string()),
        None => match (view_str(&m.town_name), view_str(&m.city_name)) {
            (Some(t), Some(c)) => Some(format!("{t}/{c}")),
            (None, Some(c)) => Some(c.to_string()),
            (Some(t), None) => Some(t.to_string()),
            (None, None) => None,
        },
    };
    Ok(TrackingEvent {
        time,
        location,
        carrier_code: code.to_string(),
        carrier_text: text,
        status: st,
        measurement: None,
    })
}

/// Turns one queried key into a tracking update: the carrier's `docId` (back-filled as the
/// tracking number), the current status, the movement history (UTC+3) and, on the last event,
/// the measurement reported after acceptance.
pub fn tracking_update(d: ShippingDeliveryDetailVO, raw: &[u8]) -> Result<TrackingUpdate> {
    let mut events = Events::default();
    for m in d.item.iter().flat_map(|i| &i.movements) {
        events.push(&MovementView::of(m), raw);
    }
    let view = TrackDetail {
        cargo_key: None,
        err_code: d.err_code,
        err_message: d.err_message.as_deref().map(Cow::Borrowed),
        operation_code: d.operation_code,
        operation_message: d.operation_message.as_deref().map(Cow::Borrowed),
        operation_status: d.operation_status.as_deref().map(Cow::Borrowed),
        item: d.item.as_ref().map(TrackItem::of),
        movements: events,
    };
    tracking_update_of(view, raw, None)
}

/// The events of an item's movements, made as they are read; the first bad movement stops it.
#[derive(Debug, Default)]
struct Events<'a> {
    events: Vec<TrackingEvent>,
    error: Option<Error>,
    statuses: StatusMemo<'a>,
}

impl<'a> Events<'a> {
    fn push(&mut self, m: &MovementView<'a>, raw: &[u8]) {
        if self.error.is_some() {
            return;
        }
        match movement_event_with(m, raw, &mut self.statuses) {
            Ok(e) => {
                if self.events.capacity() == 0 {
                    // One per movement, plus room for a synthesized one: a typical history.
                    self.events.reserve(12);
                }
                self.events.push(e)
            }
            Err(e) => self.error = Some(e),
        }
    }
}

/// [`tracking_update`] of a borrowed detail whose movements are already events, with the
/// body's text when it is already known to be UTF-8.
fn tracking_update_of(
    d: TrackDetail<'_, Events<'_>>,
    raw: &[u8],
    text: Option<&str>,
) -> Result<TrackingUpdate> {
    if let Some(e) = yerr::item_error(d.err_code.unwrap_or(0), d.err_message.as_deref()) {
        return Err(e);
    }
    let item = d.item.as_ref();
    let current = status::current_status(StatusInputs {
        operation_code: d.operation_code,
        operation_status: d.operation_status.as_deref(),
        cargo_event_explanation: item.and_then(|i| view_str(&i.cargo_event_explanation)),
        cargo_reason_id: item.and_then(|i| view_str(&i.cargo_reason_id)),
        reject_status: item.and_then(|i| view_str(&i.reject_status)),
        return_status: item.and_then(|i| view_str(&i.return_status)),
    });
    let mut events = Vec::new();
    let mut tracking_number = None;
    if let Some(item) = item {
        tracking_number = view_str(&item.doc_id).map(str::to_string);
        let Events {
            events: made,
            error,
            ..
        } = d.movements;
        if let Some(e) = error {
            return Err(e);
        }
        events = made;
        if !events.is_sorted_by_key(|e| e.time) {
            events.sort_by_key(|e| e.time);
        }
        let measured = measurement_of(item, raw)?;
        if events.is_empty() {
            let when = if current == Some(ShipmentStatus::Delivered) {
                view_str(&item.delivery_date)
                    .and_then(|dd| parse_tr_datetime(dd, view_str(&item.delivery_time)))
            } else {
                None
            }
            .or_else(|| {
                view_str(&item.document_date)
                    .and_then(|dd| parse_tr_datetime(dd, view_str(&item.document_time)))
            });
            if let Some(time) = when {
                events.push(TrackingEvent {
                    time,
                    location: view_str(&item.delivery_unit_name)
                        .or(view_str(&item.departure_unit_name))
                        .map(str::to_string),
                    carrier_code: d
                        .operation_status
                        .as_deref()
                        .unwrap_or_default()
                        .to_string(),
                    carrier_text: d
                        .operation_message
                        .as_deref()
                        .unwrap_or_default()
                        .to_string(),
                    status: current,
                    measurement: None,
                });
            }
        }
        if let (Some(m), Some(last)) = (measured, events.last_mut()) {
            last.measurement = Some(m);
        }
    }
    Ok(TrackingUpdate {
        carrier_tracking_number: tracking_number,
        status: current,
        events,
        raw: text.map_or_else(|| raw_string(raw), str::to_owned),
    })
}

/// Parses a `queryShipment` response into one result per returned key.
/// Uses the single-pass reader, which makes each movement's event as it reads it; faults and
/// non-UTF-8 bodies go through the general path.
pub fn parse_query(raw: &[u8]) -> Result<Vec<(String, Result<TrackingUpdate>)>> {
    let op = Operation::QueryShipment;
    let Ok(text) = scan::utf8(raw) else {
        return parse_query_serde(raw);
    };
    let r = match crate::fast::read_track(text, |acc: &mut Events, m| acc.push(&m, raw)) {
        Ok(v) => v,
        Err(crate::fast::FastError::Fault) => return parse_query_serde(raw),
        Err(crate::fast::FastError::Malformed(m)) => return Err(read_error(op, m, raw)),
    };
    if !is_ok_flag(&r.out_flag) && r.details.is_empty() {
        return Err(yerr::flag_error(&r.out_flag, r.out_result.as_deref(), None));
    }
    Ok(r.details
        .into_iter()
        .map(|d| {
            (
                d.cargo_key.as_deref().map_or("", scan::trim).to_string(),
                tracking_update_of(d, raw, Some(text)),
            )
        })
        .collect())
}

/// [`parse_query`] through the general (serde) reader.
pub fn parse_query_serde(raw: &[u8]) -> Result<Vec<(String, Result<TrackingUpdate>)>> {
    let r = read_query_serde(raw)?;
    if !is_ok_flag(&r.out_flag) && r.details.is_empty() {
        return Err(yerr::flag_error(&r.out_flag, r.out_result.as_deref(), None));
    }
    Ok(r.details
        .into_iter()
        .map(|d| {
            (
                d.cargo_key.as_deref().unwrap_or("").trim().to_string(),
                tracking_update(d, raw),
            )
        })
        .collect())
}

/// Parses a `queryShipment` response for one key.
pub fn parse_track(raw: &[u8], key: &str) -> Result<TrackingUpdate> {
    let mut results = parse_query(raw)?;
    if let Some(i) = results.iter().position(|(k, _)| k == key) {
        return results.swap_remove(i).1;
    }
    // A request-level error (e.g. 82526 keys missing) may come on a detail without the key.
    if let Some(i) = results.iter().position(|(_, r)| r.is_err()) {
        return results.swap_remove(i).1;
    }
    Err(missing(
        Operation::QueryShipment,
        &format!("shippingDeliveryDetailVO for {key}"),
        raw,
    ))
}

/// Reads a `queryShipment` answer as a reference lookup for `key`: `Some` with both
/// references when the carrier knows the key, `None` when it answers "cargoKey not found"
/// (`82519`; the query's own not-found answer is not documented), an error otherwise.
pub fn lookup_from_query(raw: &[u8], key: &MerchantKey) -> Result<Option<CreatedShipment>> {
    let r = read_query(raw)?;
    let Some(d) = r
        .details
        .iter()
        .find(|d| d.cargo_key.as_deref().map(str::trim) == Some(key.as_str()))
    else {
        if let Some(d) = r.details.iter().find(|d| d.err_code.unwrap_or(0) != 0) {
            if d.err_code == Some(yerr::CARGO_KEY_NOT_FOUND) {
                return Ok(None);
            }
            if let Some(e) = yerr::item_error(d.err_code.unwrap_or(0), d.err_message.as_deref()) {
                return Err(e);
            }
        }
        if !is_ok_flag(&r.out_flag) {
            return Err(yerr::flag_error(&r.out_flag, r.out_result.as_deref(), None));
        }
        return Ok(None);
    };
    match d.err_code.unwrap_or(0) {
        0 => {}
        yerr::CARGO_KEY_NOT_FOUND => return Ok(None),
        code => {
            if let Some(e) = yerr::item_error(code, d.err_message.as_deref()) {
                return Err(e);
            }
        }
    }
    let mut refs = BTreeMap::new();
    if let Some(job) = d.job_id {
        refs.insert("jobId".to_string(), job.to_string());
    }
    if let Some(inv) = non_empty(&d.invoice_key) {
        refs.insert("invoiceKey".to_string(), inv.to_string());
    }
    Ok(Some(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: d
            .item
            .as_ref()
            .and_then(|i| non_empty(&i.doc_id))
            .map(str::to_string),
        carrier_refs: refs,
        label: None,
        raw: raw_string(raw),
    }))
}

/// The payment type whose user creates this request.
pub fn payment_type(req: &CreateRequest) -> PaymentType {
    PaymentType::of(&req.shipment)
}

/// The carrier id, for errors built here.
pub const CARRIER: CarrierId = CarrierId::Yurtici;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_turkey_time() {
        let t = parse_tr_datetime("20240312", Some("141500")).expect("valid");
        assert_eq!(t.to_rfc3339(), "2024-03-12T14:15:00+03:00");
        assert_eq!(
            parse_tr_datetime("20240312", None)
                .map(|t| t.to_rfc3339())
                .as_deref(),
            Some("2024-03-12T00:00:00+03:00")
        );
        for bad in [
            "",
            "2024031",
            "20241312",
            "20240230",
            "abcdefgh",
            "2024-03-12-99",
        ] {
            assert!(parse_tr_datetime(bad, Some("000000")).is_none(), "{bad}");
        }
        assert!(parse_tr_datetime("20240312", Some("256000")).is_none());
        assert!(parse_tr_datetime("20240312", Some("12")).is_none());
    }

    #[test]
    fn garbage_never_panics_and_keeps_the_raw_body() {
        let inputs: [&[u8]; 6] = [b"", b"   ", b"<S:Envelope", b"\xff\xfe<x/>", b"<a><b></a>", b"<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body/></S:Envelope>"];
        for raw in inputs {
            for r in [
                parse_create(raw, &MerchantKey("K".into())).err(),
                parse_track(raw, "K").err(),
                parse_cancel(raw, "K").err(),
            ] {
                let e = r.expect("garbage is an error");
                assert_eq!(e.code(), Code::ProtocolMalformed, "{e}");
                match e {
                    Error::Protocol { raw: kept, .. } => {
                        assert_eq!(kept, String::from_utf8_lossy(raw))
                    }
                    other => panic!("not a protocol error: {other}"),
                }
            }
        }
    }

    #[test]
    fn cod_document_ids_come_from_the_key() {
        assert_eq!(
            cod_document_id(&MerchantKey("KJ2400000017".into())).ok(),
            Some(2_400_000_017)
        );
        assert_eq!(
            cod_document_id(&MerchantKey("A1234567890123".into())).ok(),
            Some(234_567_890_123)
        );
        assert_eq!(
            cod_document_id(&MerchantKey("ABC".into()))
                .err()
                .map(|e| e.code()),
            Some(Code::RequestInvalid)
        );
    }
}
