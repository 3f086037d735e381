//! A single-pass pull reader for the hot path (common's hand-written [`XmlCursor`]): a whole
//! `queryShipment` answer (envelope to movements) straight into [`ShippingDeliveryResultVO`], without an intermediate tree. It gives
//! the same values as the serde reading (checked on every fixture); faults are left to the
//! general path.

use crate::wire::{
    InvDocCargoVO, InvDocFieldVO, ShippingDeliveryDetailVO, ShippingDeliveryItemDetailVO,
    ShippingDeliveryResultVO,
};
use kargojet_carrier_common::SoapError;
use kargojet_carrier_common::xml::{Element, XmlCursor, trimmed};
use std::borrow::Cow;

/// One `invDocCargoVOArray` movement, borrowed from the document where no entity had to be
/// decoded (the hot path maps it to a `TrackingEvent` without an intermediate `String` each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MovementView<'a> {
    /// `unitId`.
    pub unit_id: Option<Cow<'a, str>>,
    /// `unitName`.
    pub unit_name: Option<Cow<'a, str>>,
    /// `eventId`.
    pub event_id: Option<Cow<'a, str>>,
    /// `eventName`.
    pub event_name: Option<Cow<'a, str>>,
    /// `reasonId`.
    pub reason_id: Option<Cow<'a, str>>,
    /// `reasonName`.
    pub reason_name: Option<Cow<'a, str>>,
    /// `eventDate` (`YYYYMMDD`).
    pub event_date: Option<Cow<'a, str>>,
    /// `eventTime` (`HHMMSS`).
    pub event_time: Option<Cow<'a, str>>,
    /// `cityName`.
    pub city_name: Option<Cow<'a, str>>,
    /// `townName`.
    pub town_name: Option<Cow<'a, str>>,
}

/// The wire names of [`MovementView`]'s fields, in field order (see [`MovementView::slot`]).
const MOVEMENT_FIELDS: [&str; 10] = [
    "unitId",
    "unitName",
    "eventId",
    "eventName",
    "reasonId",
    "reasonName",
    "eventDate",
    "eventTime",
    "cityName",
    "townName",
];

/// Which field each child position of the previous movement named: movements list their
/// fields in the same order, so a child's name is first compared with that one.
#[derive(Debug, Clone, Copy)]
struct FieldMemo([u8; 16]);

impl FieldMemo {
    /// Nothing known (`u8::MAX` names no field).
    const fn new() -> Self {
        FieldMemo([u8::MAX; 16])
    }

    /// The index in [`MOVEMENT_FIELDS`] of the child `name` at `position`.
    #[inline(always)]
    fn field(&mut self, position: usize, name: &str) -> Option<usize> {
        let remembered = self.0.get(position).map(|&i| usize::from(i));
        if let Some(i) = remembered {
            if MOVEMENT_FIELDS.get(i).is_some_and(|n| {
                kargojet_carrier_common::scan::eq_bytes(n.as_bytes(), name.as_bytes())
            }) {
                return Some(i);
            }
        }
        let found = MovementView::field_index(name);
        if let Some(slot) = self.0.get_mut(position) {
            *slot = found.map_or(u8::MAX, |i| i as u8);
        }
        found
    }
}

impl<'a> MovementView<'a> {
    /// The index in [`MOVEMENT_FIELDS`] of the field with wire name `name`.
    fn field_index(name: &str) -> Option<usize> {
        MOVEMENT_FIELDS.iter().position(|n| *n == name)
    }

    /// The field at `i` in [`MOVEMENT_FIELDS`] order (past the end: the last).
    #[inline]
    fn slot(&mut self, i: usize) -> &mut Option<Cow<'a, str>> {
        match i {
            0 => &mut self.unit_id,
            1 => &mut self.unit_name,
            2 => &mut self.event_id,
            3 => &mut self.event_name,
            4 => &mut self.reason_id,
            5 => &mut self.reason_name,
            6 => &mut self.event_date,
            7 => &mut self.event_time,
            8 => &mut self.city_name,
            _ => &mut self.town_name,
        }
    }

    /// Sets the field with wire name `name`; `false` when there is none.
    #[inline]
    fn set_field(&mut self, name: &str, value: Cow<'a, str>) -> bool {
        let slot = match name {
            "unitId" => &mut self.unit_id,
            "unitName" => &mut self.unit_name,
            "eventId" => &mut self.event_id,
            "eventName" => &mut self.event_name,
            "reasonId" => &mut self.reason_id,
            "reasonName" => &mut self.reason_name,
            "eventDate" => &mut self.event_date,
            "eventTime" => &mut self.event_time,
            "cityName" => &mut self.city_name,
            "townName" => &mut self.town_name,
            _ => return false,
        };
        *slot = Some(value);
        true
    }

    /// A view borrowing the strings of a wire movement (the serde path).
    pub fn of(m: &'a InvDocCargoVO) -> Self {
        let b = |v: &'a Option<String>| v.as_deref().map(Cow::Borrowed);
        MovementView {
            unit_id: b(&m.unit_id),
            unit_name: b(&m.unit_name),
            event_id: b(&m.event_id),
            event_name: b(&m.event_name),
            reason_id: b(&m.reason_id),
            reason_name: b(&m.reason_name),
            event_date: b(&m.event_date),
            event_time: b(&m.event_time),
            city_name: b(&m.city_name),
            town_name: b(&m.town_name),
        }
    }

    /// The owned wire movement.
    pub fn into_wire(self) -> InvDocCargoVO {
        let o = |v: Option<Cow<'a, str>>| v.map(Cow::into_owned);
        InvDocCargoVO {
            unit_id: o(self.unit_id),
            unit_name: o(self.unit_name),
            event_id: o(self.event_id),
            event_name: o(self.event_name),
            reason_id: o(self.reason_id),
            reason_name: o(self.reason_name),
            event_date: o(self.event_date),
            event_time: o(self.event_time),
            city_name: o(self.city_name),
            town_name: o(self.town_name),
        }
    }
}

/// A `queryShipment` answer whose movements stay borrowed: the result with every
/// `item.movements` left empty, and the movements of each detail (same order) beside it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueryView<'a> {
    /// The result (movements not filled in).
    pub result: ShippingDeliveryResultVO,
    /// The movements of `result.details[i]`, for each `i`.
    pub movements: Vec<Vec<MovementView<'a>>>,
}

/// Why the fast reader did not produce a result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FastError {
    /// The body is a SOAP fault (read it with the general path).
    Fault,
    /// Not a well-formed `queryShipment` answer.
    Malformed(String),
}

fn bad(msg: impl Into<String>) -> FastError {
    FastError::Malformed(msg.into())
}

fn xml(e: SoapError) -> FastError {
    bad(e.to_string())
}

impl From<SoapError> for FastError {
    fn from(e: SoapError) -> Self {
        xml(e)
    }
}

fn num<T: std::str::FromStr>(name: &str, v: &str) -> Result<Option<T>, FastError> {
    if v.is_empty() {
        return Ok(None);
    }
    v.parse::<T>()
        .map(Some)
        .map_err(|_| bad(format!("{name}: '{v}' is not a number")))
}

/// Reads a `queryShipment` answer.
pub fn read_query(text: &str) -> Result<ShippingDeliveryResultVO, FastError> {
    let QueryView {
        mut result,
        movements,
    } = read_query_view(text)?;
    for (d, ms) in result.details.iter_mut().zip(movements) {
        if let Some(item) = d.item.as_mut() {
            item.movements = ms.into_iter().map(MovementView::into_wire).collect();
        }
    }
    Ok(result)
}

/// Reads a `queryShipment` answer with its movements borrowed (see [`QueryView`]).
pub fn read_query_view(text: &str) -> Result<QueryView<'_>, FastError> {
    let mut cur = XmlCursor::new(text);
    let env = cur
        .next_element()
        .map_err(xml)?
        .ok_or_else(|| bad("empty document"))?;
    if env.local_name() != "Envelope" {
        return Err(bad(format!(
            "not a SOAP envelope: <{}>",
            env.qualified_name()
        )));
    }
    let mut vo = None;
    let mut movements = Vec::new();
    cur.each_child::<FastError>(&env, |cur, part| {
        if part.local_name() != "Body" {
            return Ok(cur.skip(part)?);
        }
        let first = cur
            .next_child(part)?
            .ok_or_else(|| bad("empty SOAP body"))?;
        match first.local_name() {
            "Fault" => return Err(FastError::Fault),
            "queryShipmentResponse" => {}
            other => return Err(bad(format!("expected queryShipmentResponse, got {other}"))),
        }
        cur.each_child::<FastError>(&first, |cur, c| {
            if c.local_name() == "ShippingDeliveryVO" {
                movements.clear();
                vo = Some(read_vo(cur, c, &mut movements)?);
                Ok(())
            } else {
                Ok(cur.skip(c)?)
            }
        })?;
        cur.each_child::<FastError>(part, |cur, rest| Ok(cur.skip(rest)?))
    })?;
    cur.finish().map_err(xml)?;
    let result = vo.ok_or_else(|| bad("no ShippingDeliveryVO in the answer"))?;
    Ok(QueryView { result, movements })
}

fn text<'a>(cur: &mut XmlCursor<'a>, el: &Element<'a>) -> Result<String, FastError> {
    Ok(cur.text_trimmed(el)?.into_owned())
}

fn number<'a, T: std::str::FromStr>(
    cur: &mut XmlCursor<'a>,
    el: &Element<'a>,
) -> Result<Option<T>, FastError> {
    num(el.local_name(), &cur.text_trimmed(el)?)
}

fn read_vo<'a>(
    cur: &mut XmlCursor<'a>,
    el: &Element<'a>,
    movements: &mut Vec<Vec<MovementView<'a>>>,
) -> Result<ShippingDeliveryResultVO, FastError> {
    let mut vo = ShippingDeliveryResultVO::default();
    cur.each_child::<FastError>(el, |cur, c| {
        match c.local_name() {
            "outFlag" => vo.out_flag = text(cur, c)?,
            "outResult" => vo.out_result = Some(text(cur, c)?),
            "count" => vo.count = number(cur, c)?,
            "senderCustId" => vo.sender_cust_id = number(cur, c)?,
            "shippingDeliveryDetailVO" => {
                let mut ms = Vec::new();
                vo.details.push(read_detail(cur, c, &mut ms)?);
                movements.push(ms);
            }
            _ => cur.skip(c)?,
        }
        Ok(())
    })?;
    Ok(vo)
}

fn read_detail<'a>(
    cur: &mut XmlCursor<'a>,
    el: &Element<'a>,
    movements: &mut Vec<MovementView<'a>>,
) -> Result<ShippingDeliveryDetailVO, FastError> {
    let mut d = ShippingDeliveryDetailVO::default();
    cur.each_child::<FastError>(el, |cur, c| {
        match c.local_name() {
            "cargoKey" => d.cargo_key = Some(text(cur, c)?),
            "errCode" => d.err_code = number(cur, c)?,
            "errMessage" => d.err_message = Some(text(cur, c)?),
            "invoiceKey" => d.invoice_key = Some(text(cur, c)?),
            "jobId" => d.job_id = number(cur, c)?,
            "operationCode" => d.operation_code = number(cur, c)?,
            "operationMessage" => d.operation_message = Some(text(cur, c)?),
            "operationStatus" => d.operation_status = Some(text(cur, c)?),
            "shippingDeliveryItemDetailVO" => {
                // A repeated item replaces the earlier one, movements included.
                movements.clear();
                d.item = Some(read_item(cur, c, movements)?);
            }
            _ => cur.skip(c)?,
        }
        Ok(())
    })?;
    Ok(d)
}

fn read_item<'a>(
    cur: &mut XmlCursor<'a>,
    el: &Element<'a>,
    movements: &mut Vec<MovementView<'a>>,
) -> Result<ShippingDeliveryItemDetailVO, FastError> {
    let mut item = ShippingDeliveryItemDetailVO::default();
    cur.each_child::<FastError>(el, |cur, c| {
        match c.local_name() {
            "invDocCargoVOArray" => {
                let mut m = MovementView::default();
                cur.each_child::<FastError>(c, |cur, f| {
                    let v = cur.text_trimmed(f)?;
                    m.set_field(f.local_name(), v);
                    Ok(())
                })?;
                if movements.capacity() == 0 {
                    // One per movement: room for a typical history up front.
                    movements.reserve(16);
                }
                movements.push(m);
            }
            "invDocFieldVOArray" => {
                let mut fv = InvDocFieldVO::default();
                cur.each_child::<FastError>(c, |cur, f| {
                    let v = text(cur, f)?;
                    fv.set_field(f.local_name(), v);
                    Ok(())
                })?;
                item.fields.push(fv);
            }
            name => match item.field_mut(name) {
                Some(slot) => *slot = Some(text(cur, c)?),
                None => cur.skip(c)?,
            },
        }
        Ok(())
    })?;
    Ok(item)
}

/// The fields of a `shippingDeliveryItemDetailVO` that a tracking update reads, borrowed from
/// the document where no entity had to be decoded (the others are checked and skipped).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrackItem<'a> {
    /// `docId`: Yurtiçi's document (shipment) number.
    pub doc_id: Option<Cow<'a, str>>,
    /// `cargoEventExplanation`.
    pub cargo_event_explanation: Option<Cow<'a, str>>,
    /// `cargoReasonId`.
    pub cargo_reason_id: Option<Cow<'a, str>>,
    /// `rejectStatus`.
    pub reject_status: Option<Cow<'a, str>>,
    /// `returnStatus`.
    pub return_status: Option<Cow<'a, str>>,
    /// `totalDesi`.
    pub total_desi: Option<Cow<'a, str>>,
    /// `totalKg`.
    pub total_kg: Option<Cow<'a, str>>,
    /// `totalAmount`.
    pub total_amount: Option<Cow<'a, str>>,
    /// `deliveryDate`.
    pub delivery_date: Option<Cow<'a, str>>,
    /// `deliveryTime`.
    pub delivery_time: Option<Cow<'a, str>>,
    /// `documentDate`.
    pub document_date: Option<Cow<'a, str>>,
    /// `documentTime`.
    pub document_time: Option<Cow<'a, str>>,
    /// `deliveryUnitName`.
    pub delivery_unit_name: Option<Cow<'a, str>>,
    /// `departureUnitName`.
    pub departure_unit_name: Option<Cow<'a, str>>,
}

impl<'a> TrackItem<'a> {
    /// The field with wire name `name`, if tracking reads it.
    fn field_mut(&mut self, name: &str) -> Option<&mut Option<Cow<'a, str>>> {
        Some(match name {
            "docId" => &mut self.doc_id,
            "cargoEventExplanation" => &mut self.cargo_event_explanation,
            "cargoReasonId" => &mut self.cargo_reason_id,
            "rejectStatus" => &mut self.reject_status,
            "returnStatus" => &mut self.return_status,
            "totalDesi" => &mut self.total_desi,
            "totalKg" => &mut self.total_kg,
            "totalAmount" => &mut self.total_amount,
            "deliveryDate" => &mut self.delivery_date,
            "deliveryTime" => &mut self.delivery_time,
            "documentDate" => &mut self.document_date,
            "documentTime" => &mut self.document_time,
            "deliveryUnitName" => &mut self.delivery_unit_name,
            "departureUnitName" => &mut self.departure_unit_name,
            _ => return None,
        })
    }

    /// A view borrowing the strings of a wire item (the serde path).
    pub fn of(i: &'a ShippingDeliveryItemDetailVO) -> Self {
        let b = |v: &'a Option<String>| v.as_deref().map(Cow::Borrowed);
        TrackItem {
            doc_id: b(&i.doc_id),
            cargo_event_explanation: b(&i.cargo_event_explanation),
            cargo_reason_id: b(&i.cargo_reason_id),
            reject_status: b(&i.reject_status),
            return_status: b(&i.return_status),
            total_desi: b(&i.total_desi),
            total_kg: b(&i.total_kg),
            total_amount: b(&i.total_amount),
            delivery_date: b(&i.delivery_date),
            delivery_time: b(&i.delivery_time),
            document_date: b(&i.document_date),
            document_time: b(&i.document_time),
            delivery_unit_name: b(&i.delivery_unit_name),
            departure_unit_name: b(&i.departure_unit_name),
        }
    }
}

/// A `shippingDeliveryDetailVO` as a tracking update reads it, with `M`: what the caller made
/// of the item's movements (see [`read_track`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackDetail<'a, M> {
    /// `cargoKey`.
    pub cargo_key: Option<Cow<'a, str>>,
    /// `errCode`.
    pub err_code: Option<i32>,
    /// `errMessage`.
    pub err_message: Option<Cow<'a, str>>,
    /// `operationCode`.
    pub operation_code: Option<i32>,
    /// `operationMessage`.
    pub operation_message: Option<Cow<'a, str>>,
    /// `operationStatus`.
    pub operation_status: Option<Cow<'a, str>>,
    /// The item (the last one when repeated).
    pub item: Option<TrackItem<'a>>,
    /// The item's movements, as folded by the caller.
    pub movements: M,
}

/// A `queryShipment` answer as tracking reads it (see [`read_track`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackQuery<'a, M> {
    /// `outFlag`.
    pub out_flag: Cow<'a, str>,
    /// `outResult`.
    pub out_result: Option<Cow<'a, str>>,
    /// One per queried key.
    pub details: Vec<TrackDetail<'a, M>>,
}

/// Reads a `queryShipment` answer for tracking, in one pass and borrowing: the fields a
/// tracking update needs, each movement handed to `movement` (with the accumulator of its
/// item, a fresh `M::default()` per item) as soon as it is read. Checks everything the full
/// reader checks (numbers, well-formedness); faults are [`FastError::Fault`].
pub fn read_track<'a, M: Default>(
    text: &'a str,
    mut movement: impl FnMut(&mut M, MovementView<'a>),
) -> Result<TrackQuery<'a, M>, FastError> {
    let mut cur = XmlCursor::new(text);
    let env = cur
        .next_element()
        .map_err(xml)?
        .ok_or_else(|| bad("empty document"))?;
    if env.local_name() != "Envelope" {
        return Err(bad(format!(
            "not a SOAP envelope: <{}>",
            env.qualified_name()
        )));
    }
    let mut vo = None;
    cur.each_child::<FastError>(&env, |cur, part| {
        if part.local_name() != "Body" {
            return Ok(cur.skip(part)?);
        }
        let first = cur
            .next_child(part)?
            .ok_or_else(|| bad("empty SOAP body"))?;
        match first.local_name() {
            "Fault" => return Err(FastError::Fault),
            "queryShipmentResponse" => {}
            other => return Err(bad(format!("expected queryShipmentResponse, got {other}"))),
        }
        cur.each_child::<FastError>(&first, |cur, c| {
            if c.local_name() == "ShippingDeliveryVO" {
                vo = Some(track_vo(cur, c, &mut movement)?);
                Ok(())
            } else {
                Ok(cur.skip(c)?)
            }
        })?;
        cur.each_child::<FastError>(part, |cur, rest| Ok(cur.skip(rest)?))
    })?;
    cur.finish().map_err(xml)?;
    vo.ok_or_else(|| bad("no ShippingDeliveryVO in the answer"))
}

fn track_vo<'a, M: Default>(
    cur: &mut XmlCursor<'a>,
    el: &Element<'a>,
    movement: &mut impl FnMut(&mut M, MovementView<'a>),
) -> Result<TrackQuery<'a, M>, FastError> {
    let mut vo = TrackQuery {
        out_flag: Cow::Borrowed(""),
        out_result: None,
        details: Vec::new(),
    };
    cur.each_child::<FastError>(el, |cur, c| {
        match c.local_name() {
            "outFlag" => vo.out_flag = cur.text_trimmed(c)?,
            "outResult" => vo.out_result = Some(cur.text_trimmed(c)?),
            // Not used for tracking, but a bad number is a malformed answer all the same.
            "count" | "senderCustId" => {
                number::<i64>(cur, c)?;
            }
            "shippingDeliveryDetailVO" => vo.details.push(track_detail(cur, c, movement)?),
            _ => cur.skip(c)?,
        }
        Ok(())
    })?;
    Ok(vo)
}

fn track_detail<'a, M: Default>(
    cur: &mut XmlCursor<'a>,
    el: &Element<'a>,
    movement: &mut impl FnMut(&mut M, MovementView<'a>),
) -> Result<TrackDetail<'a, M>, FastError> {
    let mut d = TrackDetail::<M>::default();
    cur.each_child::<FastError>(el, |cur, c| {
        match c.local_name() {
            "cargoKey" => d.cargo_key = Some(cur.text_trimmed(c)?),
            "errCode" => d.err_code = number(cur, c)?,
            "errMessage" => d.err_message = Some(cur.text_trimmed(c)?),
            "jobId" => {
                number::<i64>(cur, c)?;
            }
            "operationCode" => d.operation_code = number(cur, c)?,
            "operationMessage" => d.operation_message = Some(cur.text_trimmed(c)?),
            "operationStatus" => d.operation_status = Some(cur.text_trimmed(c)?),
            "shippingDeliveryItemDetailVO" => {
                // A repeated item replaces the earlier one, movements included.
                let mut item = TrackItem::default();
                let mut acc = M::default();
                let mut fields = FieldMemo::new();
                cur.each_child::<FastError>(c, |cur, f| {
                    match f.local_name() {
                        "invDocCargoVOArray" => {
                            let mut m = MovementView::default();
                            let mut position = 0;
                            cur.each_leaf::<FastError>(f, |name, text| {
                                if let Some(i) = fields.field(position, name) {
                                    *m.slot(i) = Some(trimmed(text));
                                }
                                position += 1;
                                Ok(())
                            })?;
                            movement(&mut acc, m);
                        }
                        name => match item.field_mut(name) {
                            Some(slot) => *slot = Some(cur.text_trimmed(f)?),
                            None => cur.skip(f)?,
                        },
                    }
                    Ok(())
                })?;
                d.item = Some(item);
                d.movements = acc;
            }
            _ => cur.skip(c)?,
        }
        Ok(())
    })?;
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "\u{feff}<?xml version=\"1.0\"?><S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Header/><S:Body><ns2:queryShipmentResponse xmlns:ns2=\"urn:x\"><ShippingDeliveryVO>";
    const TAIL: &str = "</ShippingDeliveryVO></ns2:queryShipmentResponse></S:Body></S:Envelope>";

    #[test]
    fn entities_cdata_and_empty_elements() {
        let doc = format!(
            "{HEAD}<outFlag> 0 </outFlag><outResult>A &amp; B &#304;</outResult><count/><shippingDeliveryDetailVO><cargoKey><![CDATA[K<1>]]></cargoKey><errCode>0</errCode><shippingDeliveryItemDetailVO><docId>7</docId><invDocCargoVOArray><eventName>Şube</eventName><unknownTag><x>1</x></unknownTag></invDocCargoVOArray></shippingDeliveryItemDetailVO></shippingDeliveryDetailVO>{TAIL}"
        );
        let vo = read_query(&doc).expect("reads");
        assert_eq!(vo.out_flag, "0");
        assert_eq!(vo.out_result.as_deref(), Some("A & B İ"));
        assert_eq!(vo.count, None);
        let d = &vo.details[0];
        assert_eq!(d.cargo_key.as_deref(), Some("K<1>"));
        let item = d.item.as_ref().expect("item");
        assert_eq!(item.doc_id.as_deref(), Some("7"));
        assert_eq!(item.movements[0].event_name.as_deref(), Some("Şube"));
    }

    #[test]
    fn field_slots_follow_the_wire_names() {
        for (i, name) in MOVEMENT_FIELDS.iter().enumerate() {
            let mut by_name = MovementView::default();
            assert!(by_name.set_field(name, Cow::Borrowed("v")));
            let mut by_slot = MovementView::default();
            *by_slot.slot(i) = Some(Cow::Borrowed("v"));
            assert_eq!(by_name, by_slot, "{name}");
            assert_eq!(MovementView::field_index(name), Some(i));
        }
        let mut memo = FieldMemo::new();
        assert_eq!(memo.field(0, "eventId"), Some(2));
        assert_eq!(memo.field(0, "eventId"), Some(2));
        assert_eq!(memo.field(0, "eventName"), Some(3));
        assert_eq!(memo.field(1, "other"), None);
        assert_eq!(memo.field(40, "townName"), Some(9));
    }

    #[test]
    fn faults_bad_numbers_and_broken_documents() {
        let fault = "<S:Envelope xmlns:S=\"x\"><S:Body><S:Fault><faultcode>S:Server</faultcode></S:Fault></S:Body></S:Envelope>";
        assert_eq!(read_query(fault), Err(FastError::Fault));
        let bad_num = format!("{HEAD}<count>x</count>{TAIL}");
        assert!(matches!(read_query(&bad_num), Err(FastError::Malformed(_))));
        for broken in [
            "",
            "<a/>",
            "<S:Envelope><S:Body>",
            &format!("{HEAD}<outFlag>0"),
            &format!("{HEAD}<outFlag>0</outResult>{TAIL}"),
        ] {
            assert!(read_query(broken).is_err(), "{broken}");
        }
        // Unknown entities are kept literally (carriers send HTML entities now and then).
        let ent = read_query(&format!("{HEAD}<outResult>a &nbsp; b</outResult>{TAIL}"))
            .expect("tolerated");
        assert_eq!(ent.out_result.as_deref(), Some("a &nbsp; b"));
        let other = "<S:Envelope xmlns:S=\"x\"><S:Body><ns2:createShipmentResponse xmlns:ns2=\"urn:x\"/></S:Body></S:Envelope>";
        assert!(read_query(other).is_err());
    }
}
