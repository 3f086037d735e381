//! Pure functions between KargoJet's domain and Aras's wire messages: request building and
//! answer parsing. No I/O; never panics on any input; protocol errors keep the raw body.

use crate::config::{OrderCredentials, QueryCredentials};
use crate::error::{self, CANCEL_CODES, ParseError, SET_ORDER_CODES};
use crate::status;
use crate::wire::{
    self, CancelDispatch, GetOrderWithIntegrationCode, GetQueryJson, Order, OrderResultInfo,
    PieceDetail, QueryCargo,
};
use crate::xml::{self, Element};
use kargojet_carrier_common::SoapError;
use kargojet_carrier_common::scan;
use kargojet_carrier_common::soap::{self, SoapBody};
use kargojet_carrier_common::xml::XmlCursor;
use kargojet_core::carrier::{CarrierId, CreateRequest, TrackingUpdate};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::geo::turkish_upper;
use kargojet_core::money::Money;
use kargojet_core::shipment::{CodPayment, CreatedShipment, MerchantKey};
use kargojet_core::tracking::{Measurement, TrackingEvent};
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// Aras accepts at most this many `SetOrder` sends of one `IntegrationCode` (70035 beyond).
pub const MAX_SENDS_PER_KEY: u32 = 20;

/// Checks a merchant key for use as `IntegrationCode`: 1–32 ASCII letters, digits, `-` or `_`.
pub fn validate_key(key: &MerchantKey) -> Result<()> {
    let k = key.as_str();
    if k.is_empty()
        || k.len() > 32
        || !k
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(Error::invalid(
            Code::RequestInvalid,
            "merchant_key",
            format!("'{k}' is not a valid Aras IntegrationCode (1–32 of A–Z, 0–9, '-', '_')"),
        ));
    }
    Ok(())
}

/// The barcode of parcel `index` (0-based): the merchant key and a 3-digit sequence number.
pub fn barcode(key: &MerchantKey, index: usize) -> String {
    format!("{}{:03}", key.as_str(), index + 1)
}

fn fmt_qty(v: Decimal, dp: u32) -> String {
    v.round_dp(dp).normalize().to_string()
}

fn fit(value: &str, max: usize, field: &str, code: Code) -> Result<String> {
    let n = value.chars().count();
    if n > max {
        return Err(Error::invalid(
            code,
            field,
            format!("Aras allows at most {max} characters, got {n}"),
        ));
    }
    Ok(value.to_string())
}

fn truncate(value: &str, max: usize) -> String {
    value.chars().take(max).collect()
}

/// Builds the `Order` of a create request (field rules from the carrier's table: names and
/// address upper-cased in Turkish, district cut to 16 characters, desi with divisor 3000, one
/// `PieceDetail` per parcel with barcode `<key>NNN`).
pub fn build_order(creds: &OrderCredentials, req: &CreateRequest) -> Result<Order> {
    validate_key(&req.merchant_key)?;
    let s = &req.shipment;
    s.validate()?;
    let r = &s.recipient;
    let waybill = s.order_id.as_deref().unwrap_or(req.merchant_key.as_str());
    let field = if s.order_id.is_some() {
        "order_id"
    } else {
        "merchant_key"
    };
    let rule = kargojet_core::parcel::DesiRule::default();
    let description = s
        .description
        .as_deref()
        .map(|d| truncate(d, 64))
        .unwrap_or_default();
    let pieces = s
        .parcels
        .iter()
        .enumerate()
        .map(|(i, p)| PieceDetail {
            volumetric_weight: fmt_qty(p.desi_with(rule.divisor), 2),
            weight: fmt_qty(p.weight_kg, 2),
            barcode_number: barcode(&req.merchant_key, i),
            product_number: String::new(),
            description: description.clone(),
        })
        .collect::<Vec<_>>();
    let (is_cod, cod_amount, cod_type, cod_billing) = match &s.cod {
        Some(cod) => (
            "1",
            Some(format!("{:.2}", cod.amount.amount.round_dp(2))),
            Some(match cod.payment {
                CodPayment::Cash => "0",
                CodPayment::Card => "1",
            }),
            Some("0"),
        ),
        None => ("0", None, None, None),
    };
    Ok(Order {
        user_name: creds.user_name.clone(),
        password: creds.password.clone(),
        trading_waybill_number: fit(waybill, 16, field, Code::RequestInvalid)?,
        invoice_number: None,
        integration_code: req.merchant_key.as_str().to_string(),
        receiver_name: fit(
            &turkish_upper(&r.name),
            100,
            "recipient.name",
            Code::RequestInvalid,
        )?,
        receiver_address: fit(
            &turkish_upper(&r.address.line),
            250,
            "recipient.address.line",
            Code::RequestInvalidAddress,
        )?,
        receiver_phone1: r.phone.digits().to_string(),
        receiver_phone2: None,
        receiver_phone3: r.phone.is_mobile().then(|| r.phone.digits().to_string()),
        receiver_city_name: turkish_upper(&r.address.province),
        receiver_town_name: truncate(&turkish_upper(&r.address.district), 16),
        volumetric_weight: fmt_qty(rule.total_desi(&s.parcels), 3),
        weight: fmt_qty(s.total_kg(), 3),
        piece_count: pieces.len().to_string(),
        is_cod: is_cod.into(),
        cod_amount,
        cod_collection_type: cod_type.map(str::to_string),
        cod_billing_type: cod_billing.map(str::to_string),
        description: None,
        payor_type_code: "1".into(),
        is_world_wide: "0".into(),
        piece_details: wire::PieceDetails { pieces },
    })
}

/// Builds the whole `SetOrder` operation element.
pub fn build_set_order(creds: &OrderCredentials, req: &CreateRequest) -> Result<wire::SetOrder> {
    Ok(wire::SetOrder {
        xmlns: wire::NS.into(),
        order_info: wire::OrderInfo {
            orders: vec![build_order(creds, req)?],
        },
        user_name: creds.user_name.clone(),
        password: creds.password.clone(),
    })
}

/// Builds `CancelDispatch` for a merchant key.
pub fn build_cancel(creds: &OrderCredentials, key: &MerchantKey) -> CancelDispatch {
    CancelDispatch {
        xmlns: wire::NS.into(),
        user_name: creds.user_name.clone(),
        password: creds.password.clone(),
        integration_code: key.as_str().to_string(),
    }
}

/// Builds `GetOrderWithIntegrationCode` for a merchant key.
pub fn build_get_order(creds: &OrderCredentials, key: &MerchantKey) -> GetOrderWithIntegrationCode {
    GetOrderWithIntegrationCode {
        xmlns: wire::NS.into(),
        user_name: creds.user_name.clone(),
        password: creds.password.clone(),
        integration_code: key.as_str().to_string(),
    }
}

/// Builds `GetQueryJSON` (QueryType 39, by MÖK) with both XML parameters as text.
pub fn build_query(creds: &QueryCredentials, key: &MerchantKey) -> Result<GetQueryJson> {
    let login = wire::LoginInfo {
        user_name: creds.user_name.clone(),
        password: creds.password.clone(),
        customer_code: creds.customer_code.clone(),
    };
    let query = wire::QueryInfo {
        query_type: wire::QUERY_TYPE_BY_KEY.to_string(),
        integration_code: key.as_str().to_string(),
    };
    Ok(GetQueryJson {
        xmlns: wire::NS.into(),
        login_info: xml_text(&login)?,
        query_info: xml_text(&query)?,
    })
}

/// Serializes a wire message, mapping a serializer failure to an internal error.
pub fn xml_text<T: serde::Serialize>(value: &T) -> Result<String> {
    wire::to_xml(value).map_err(|e| Error::internal(format!("aras: cannot serialize request: {e}")))
}

/// The SOAP body's payload (common's envelope reader), with faults turned into errors: an
/// auth-looking fault is `auth.failed`, any other a rejection carrying the fault code.
pub fn payload<'a>(raw: &'a str, expected: &str) -> Result<&'a str> {
    match soap::body_of(raw).map_err(|e| e.into_core(CarrierId::Aras, raw))? {
        SoapBody::Fault(f) => Err(error::fault(&f.code, &f.reason)),
        SoapBody::Payload { element, inner_xml } => {
            if element != expected {
                return Err(
                    ParseError::Structure(format!("expected {expected}, got {element}"))
                        .into_core(raw),
                );
            }
            Ok(inner_xml)
        }
    }
}

/// The error for an empty answer body.
pub fn empty_body(raw: &str) -> Error {
    SoapError::Empty.into_core(CarrierId::Aras, raw)
}

/// The body's operation element as a tree (for the order-service answers).
pub fn operation_element(raw: &str, expected: &str) -> Result<Element> {
    let inner = payload(raw, expected)?;
    xml::parse(inner).map_err(|e| ParseError::Xml(e).into_core(raw))
}

fn text_of(el: &Element, name: &str) -> Option<String> {
    el.child_text(name)
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// Reads every `OrderResultInfo` of a `SetOrderResponse`.
pub fn parse_set_order_results(raw: &str) -> Result<Vec<OrderResultInfo>> {
    let op = operation_element(raw, "SetOrderResponse")?;
    let result = op
        .child("SetOrderResult")
        .ok_or_else(|| ParseError::Structure("no SetOrderResult".into()).into_core(raw))?;
    let infos: Vec<OrderResultInfo> = result
        .children_named("OrderResultInfo")
        .map(|i| OrderResultInfo {
            result_code: i.child_text("ResultCode").unwrap_or("").to_string(),
            result_message: i.child_text("ResultMessage").unwrap_or("").to_string(),
            invoice_key: text_of(i, "InvoiceKey"),
            org_receiver_cust_id: text_of(i, "OrgReceiverCustId"),
        })
        .collect();
    if infos.is_empty() {
        return Err(
            ParseError::Structure("SetOrderResult has no OrderResultInfo".into()).into_core(raw),
        );
    }
    if let Some(bad) = infos.iter().find(|i| i.result_code.trim().is_empty()) {
        return Err(ParseError::Value {
            field: "ResultCode",
            detail: format!("empty (message {:?})", bad.result_message),
        }
        .into_core(raw));
    }
    Ok(infos)
}

/// Parses a `SetOrder` answer for the one order sent with `key`: success gives the created
/// shipment (no tracking number yet: it exists only once the branch cuts the waybill).
pub fn parse_set_order(raw: &str, key: &MerchantKey) -> Result<CreatedShipment> {
    let infos = parse_set_order_results(raw)?;
    let info = &infos[0];
    error::check(SET_ORDER_CODES, &info.result_code, &info.result_message)?;
    let mut carrier_refs = BTreeMap::new();
    if let Some(v) = &info.invoice_key {
        carrier_refs.insert("InvoiceKey".to_string(), v.clone());
    }
    if let Some(v) = &info.org_receiver_cust_id {
        carrier_refs.insert("OrgReceiverCustId".to_string(), v.clone());
    }
    Ok(CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: None,
        carrier_refs,
        label: None,
        raw: raw.to_string(),
    })
}

/// Parses a `CancelDispatch` answer: `0`/`1` is success, everything else the mapped error.
pub fn parse_cancel(raw: &str) -> Result<()> {
    let op = operation_element(raw, "CancelDispatchResponse")?;
    let r = op
        .child("CancelDispatchResult")
        .ok_or_else(|| ParseError::Structure("no CancelDispatchResult".into()).into_core(raw))?;
    let code = r.child_text("ResultCode").unwrap_or("");
    if code.is_empty() {
        return Err(ParseError::Value {
            field: "ResultCode",
            detail: "missing".into(),
        }
        .into_core(raw));
    }
    error::check(
        CANCEL_CODES,
        code,
        r.child_text("ResultMessage").unwrap_or(""),
    )
}

/// Parses a `GetOrderWithIntegrationCode` answer: whether the order service holds an order with
/// this key (the result carries `Order` records, or the order's fields directly).
pub fn parse_get_order(raw: &str, key: &MerchantKey) -> Result<bool> {
    let op = operation_element(raw, "GetOrderWithIntegrationCodeResponse")?;
    let Some(result) = op.child("GetOrderWithIntegrationCodeResult") else {
        return Ok(false);
    };
    let matches = |e: &Element| {
        e.child_text("IntegrationCode")
            .is_some_and(|c| c.trim() == key.as_str())
    };
    Ok(matches(result) || result.children.iter().any(matches))
}

/// The common shape's shortcut: with the cursor just past the start tag of `open[0]`, the rest
/// of the document is entity-free text (no `&`, `\r` or markup) followed only by the end tags
/// of `open` (innermost first) and whitespace. Then the text is returned trimmed, borrowed;
/// `None` means "read it the general way".
fn plain_tail<'a>(
    cur: &XmlCursor<'a>,
    open: &[kargojet_carrier_common::xml::Element<'a>],
) -> Option<&'a str> {
    if open.iter().any(|e| e.is_empty()) {
        return None;
    }
    let rest = cur.source().get(cur.position()..)?;
    // One vector pass: the first '<', unless an entity or a '\r' comes before it.
    let lt = scan::find_byte3(rest.as_bytes(), 0, b'<', b'&', b'\r')?;
    if rest.as_bytes()[lt] != b'<' {
        return None;
    }
    let text = rest.get(..lt)?;
    let mut tail = rest.get(lt..)?;
    for el in open {
        tail = tail
            .trim_start_matches([' ', '\t', '\n'])
            .strip_prefix("</")?
            .strip_prefix(el.qualified_name())?
            .strip_prefix('>')?;
    }
    tail.trim_start_matches([' ', '\t', '\n'])
        .is_empty()
        .then(|| text.trim())
}

/// Finds the text of `GetQueryJSONResult` with a pull parser (the hot path). `Ok(None)` when
/// the element is empty; SOAP faults are errors.
pub fn query_result_text(raw: &str) -> Result<Option<Cow<'_, str>>> {
    let bad = |e: SoapError| e.into_core(CarrierId::Aras, raw);
    // One pass over the document: Envelope › Body › GetQueryJSONResponse › GetQueryJSONResult,
    // then the rest must be well formed. Anything else (a fault, a foreign element) goes
    // through common's envelope reader for the precise error.
    let mut cur = XmlCursor::new(raw.strip_prefix('\u{feff}').unwrap_or(raw));
    let fast = (|| -> std::result::Result<Option<Cow<'_, str>>, SoapError> {
        let env = cur.next_element()?.ok_or(SoapError::Empty)?;
        if env.local_name() != "Envelope" {
            return Err(SoapError::NotEnvelope(env.local_name().to_string()));
        }
        let mut text = None;
        while let Some(child) = cur.next_child(&env)? {
            if child.local_name() != "Body" {
                cur.skip(&child)?;
                continue;
            }
            let op = cur.next_child(&child)?.ok_or(SoapError::EmptyBody)?;
            if op.local_name() != "GetQueryJSONResponse" {
                return Err(SoapError::Missing("GetQueryJSONResponse".into()));
            }
            let result = cur
                .next_child(&op)?
                .ok_or_else(|| SoapError::Missing("GetQueryJSONResult".into()))?;
            if result.local_name() != "GetQueryJSONResult" {
                return Err(SoapError::Missing("GetQueryJSONResult".into()));
            }
            if let Some(t) = plain_tail(&cur, &[result, op, child, env]) {
                return Ok(Some(Cow::Borrowed(t)));
            }
            text = Some(cur.text_trimmed(&result)?);
        }
        cur.finish()?;
        text.ok_or(SoapError::NoBody).map(Some)
    })();
    match fast {
        Ok(Some(t)) => Ok(if t.is_empty() { None } else { Some(t) }),
        Ok(None) | Err(_) => {
            // The slow path names the fault or the structural problem precisely.
            let inner = payload(raw, "GetQueryJSONResponse")?;
            let mut cur = XmlCursor::new(inner);
            let Some(el) = cur.find("GetQueryJSONResult").map_err(bad)? else {
                return Err(ParseError::Structure("no GetQueryJSONResult".into()).into_core(raw));
            };
            let text = cur.text_trimmed(&el).map_err(bad)?;
            Ok(if text.is_empty() { None } else { Some(text) })
        }
    }
}

/// Parses the JSON cargo records of a `GetQueryJSON` answer (none when nothing is found) and
/// hands them, borrowed from the body, to `f`.
pub fn with_records<R>(raw: &str, f: impl FnOnce(&[QueryCargo<'_>]) -> Result<R>) -> Result<R> {
    let Some(text) = query_result_text(raw)? else {
        return f(&[]);
    };
    if !text.starts_with('{') {
        return Err(error::query_text(&text));
    }
    let records = crate::json::parse(&text).map_err(|e| ParseError::Json(e).into_core(raw))?;
    f(&records)
}

fn present<'x>(v: &'x Option<wire::Val<'_>>) -> Option<&'x str> {
    // Values rarely carry padding: `scan::trim` skips the work when the ends show it.
    let s = scan::trim(v.as_ref()?.as_str());
    (!s.is_empty()).then_some(s)
}

fn record_time(
    c: &QueryCargo<'_>,
    raw: &str,
) -> Result<Option<chrono::DateTime<chrono::FixedOffset>>> {
    let delivered = present(&c.status_code)
        .and_then(status::durum)
        .is_some_and(|d| d.status == kargojet_core::tracking::ShipmentStatus::Delivered);
    let candidates: [(&'static str, Option<&str>, Option<&str>); 3] = [
        ("ISLEM_TARIHI", present(&c.event_date), None),
        (
            "TESLIM_TARIHI",
            present(&c.delivery_date).filter(|_| delivered),
            present(&c.delivery_time),
        ),
        (
            "CIKIS_TARIH",
            present(&c.departure_date),
            present(&c.departure_time),
        ),
    ];
    for (field, date, time) in candidates {
        if let Some(d) = date {
            return crate::date::parse(d, time).map(Some).ok_or_else(|| {
                ParseError::Value {
                    field,
                    detail: format!("'{d}' {time:?} is not a Turkish date/time"),
                }
                .into_core(raw)
            });
        }
    }
    Ok(None)
}

/// A carrier number: plain `3` / `4.5` directly, anything else (`4,5`, `1.234,50`) through the
/// core's Turkish-aware parser.
fn decimal(v: &str) -> Option<Decimal> {
    kargojet_carrier_common::number::decimal(v)
}

fn measurement(c: &QueryCargo<'_>, raw: &str) -> Result<Option<Measurement>> {
    if present(&c.status_code).is_none() {
        return Ok(None);
    }
    let desi = match present(&c.kg_desi) {
        Some(v) => Some(decimal(v).ok_or_else(|| {
            ParseError::Value {
                field: "KG_DESI",
                detail: format!("'{v}'"),
            }
            .into_core(raw)
        })?),
        None => None,
    };
    let amount = match present(&c.amount_ex_vat) {
        Some(v) => Some(Money::try_lira(decimal(v).ok_or_else(|| {
            ParseError::Value {
                field: "TUTAR(KDV’SİZ)",
                detail: format!("'{v}'"),
            }
            .into_core(raw)
        })?)),
        None => None,
    };
    let m = Measurement {
        desi,
        kg: None,
        amount,
    };
    Ok(if m.is_empty() { None } else { Some(m) })
}

/// The event a cargo record stands for (`None` when it has no date yet).
pub fn record_event(c: &QueryCargo<'_>, raw: &str) -> Result<Option<TrackingEvent>> {
    let Some(time) = record_time(c, raw)? else {
        return Ok(None);
    };
    let durum = present(&c.status_code);
    let tip = present(&c.type_code);
    let devir = present(&c.devir_code);
    let tip_extra = tip.filter(|t| *t != "1");
    // Each string is allocated once, at its final size.
    let mut code = String::with_capacity(
        durum.map_or(0, str::len)
            + tip_extra.map_or(0, |t| t.len() + 10)
            + devir.map_or(0, |d| d.len() + 12),
    );
    code.push_str(durum.unwrap_or(""));
    if let Some(t) = tip_extra {
        code.push_str(";TIP_KODU=");
        code.push_str(t);
    }
    if let Some(d) = devir {
        code.push_str(";DEVIR_KODU=");
        code.push_str(d);
    }
    let base = present(&c.status_text)
        .or_else(|| durum.and_then(status::durum).map(|d| d.text_tr))
        .unwrap_or("");
    let extra = present(&c.devir_text)
        .or(present(&c.devir_reason))
        .or(devir.and_then(status::devir).map(|d| d.text_tr));
    const JOIN: &str = " — ";
    let mut text = String::with_capacity(base.len() + extra.map_or(0, |e| e.len() + JOIN.len()));
    text.push_str(base);
    if let Some(extra) = extra {
        if !text.is_empty() {
            text.push_str(JOIN);
        }
        text.push_str(extra);
    }
    let location = if durum == Some("1") {
        present(&c.origin_branch)
    } else {
        present(&c.destination_branch).or(present(&c.origin_branch))
    };
    Ok(Some(TrackingEvent {
        time,
        location: location.map(str::to_string),
        carrier_code: code,
        carrier_text: text,
        status: status::normalize(durum, tip, devir),
        measurement: measurement(c, raw)?,
    }))
}

fn for_key<'a, 'r>(
    records: &'a [QueryCargo<'r>],
    key: Option<&'a MerchantKey>,
) -> impl Iterator<Item = &'a QueryCargo<'r>> + 'a {
    records
        .iter()
        .filter(move |c| match (key, present(&c.integration_code)) {
            (Some(k), Some(code)) => code == k.as_str(),
            _ => true,
        })
}

/// Parses a `GetQueryJSON` answer into a tracking update: one event per dated record (time in
/// UTC+3), the measurement from `KG_DESI`, the 13-digit tracking number for back-filling, and
/// `created` when the query service has no record yet (the waybill is not cut).
pub fn parse_tracking(raw: &str, key: Option<&MerchantKey>) -> Result<TrackingUpdate> {
    let text = query_result_text(raw)?;
    let mut events = Vec::new();
    let mut tracking: Option<Cow<'_, str>> = None;
    let mut last_known = None;
    let mut any = false;
    if let Some(text) = &text {
        if !text.starts_with('{') {
            return Err(error::query_text(text));
        }
        // Each record is turned into its event as soon as it is read.
        crate::json::for_each_record(text, |c| -> Result<()> {
            if let (Some(k), Some(code)) = (key, present(&c.integration_code)) {
                if code != k.as_str() {
                    return Ok(());
                }
            }
            any = true;
            match &c.tracking_number {
                Some(wire::Val(Cow::Borrowed(t))) => {
                    let t = scan::trim(t);
                    if !t.is_empty() {
                        tracking = Some(Cow::Borrowed(t));
                    }
                }
                other => {
                    if let Some(t) = present(other) {
                        tracking = Some(Cow::Owned(t.to_string()));
                    }
                }
            }
            if let Some(e) = record_event(c, raw)? {
                last_known = e.status.or(last_known);
                if events.capacity() == 0 {
                    // One event per record: room for a typical history up front.
                    events.reserve(16);
                }
                events.push(e);
            } else if let Some(s) = status::normalize(
                present(&c.status_code),
                present(&c.type_code),
                present(&c.devir_code),
            ) {
                last_known = Some(s);
            }
            Ok(())
        })
        .map_err(|stop| match stop {
            crate::json::Stopped::Json(e) => ParseError::Json(e).into_core(raw),
            crate::json::Stopped::Caller(e) => e,
        })?;
    }
    if !events.is_sorted_by_key(|e| e.time) {
        events.sort_by_key(|e| e.time);
    }
    // Events are in time order: the last known status among them is the current one.
    let status = if !any {
        Some(kargojet_core::tracking::ShipmentStatus::Created)
    } else {
        events.iter().rev().find_map(|e| e.status).or(last_known)
    };
    Ok(TrackingUpdate {
        carrier_tracking_number: tracking.map(Cow::into_owned),
        status,
        events,
        raw: raw.to_string(),
    })
}

/// Parses a `GetQueryJSON` answer as a lookup: the shipment when the query service has a
/// record for `key` (conclusive), `None` when it has none (not conclusive on its own: the
/// service only knows cargos whose waybill is cut).
pub fn parse_lookup(raw: &str, key: &MerchantKey) -> Result<Option<CreatedShipment>> {
    let found = with_records(raw, |records| {
        let mut found: Option<Option<String>> = None;
        for c in for_key(records, Some(key)) {
            let entry = found.get_or_insert(None);
            if let Some(t) = present(&c.tracking_number) {
                *entry = Some(t.to_string());
            }
        }
        Ok(found)
    })?;
    Ok(found.map(|tn| CreatedShipment {
        merchant_key: key.clone(),
        carrier_tracking_number: tn,
        carrier_refs: BTreeMap::new(),
        label: None,
        raw: raw.to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_checked() {
        assert!(validate_key(&MerchantKey("KJ2400000123".into())).is_ok());
        for bad in ["", "a b", "ÇOK", &"x".repeat(33), "a<b"] {
            let e = validate_key(&MerchantKey(bad.into())).err();
            assert_eq!(
                e.as_ref().and_then(|e| e.field()),
                Some("merchant_key"),
                "{bad:?}"
            );
        }
        assert_eq!(barcode(&MerchantKey("K1".into()), 0), "K1001");
    }

    #[test]
    fn garbage_never_panics_and_keeps_the_raw_body() {
        let key = MerchantKey("K1".into());
        for raw in [
            "",
            "<",
            "<a>",
            "\u{0}\u{ff}",
            "<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\"><s:Body/></s:Envelope>",
            "<GetQueryJSONResult>{\"QueryResult\":",
            "<GetQueryJSONResult>{bad</GetQueryJSONResult>",
        ] {
            for e in [
                parse_tracking(raw, None).err(),
                parse_set_order(raw, &key).err(),
                parse_cancel(raw).err(),
                parse_get_order(raw, &key).err(),
                parse_lookup(raw, &key).err(),
            ] {
                let e = e.expect("an error");
                if e.code() == Code::ProtocolMalformed {
                    assert_eq!(e.raw(), Some(raw));
                }
            }
        }
    }

    #[test]
    fn soap12_faults_are_errors() {
        let raw = r#"<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Body><env:Fault><env:Code><env:Value>env:Receiver</env:Value></env:Code><env:Reason><env:Text>boom</env:Text></env:Reason></env:Fault></env:Body></env:Envelope>"#;
        let e = parse_cancel(raw).err();
        assert_eq!(
            e.as_ref().and_then(|e| e.carrier_code()),
            Some("env:Receiver")
        );
        let e = parse_tracking(raw, None).err();
        assert_eq!(
            e.as_ref().and_then(|e| e.carrier_code()),
            Some("env:Receiver")
        );
    }
}
