//! The simulator's request handling: routes `POST /api/request/{Method}`, enforces the
//! documented rules (bearer token, JSON content type, exact key spelling, required fields
//! answered with the carrier's own `ResultCode`/`ResultMessage`) and answers in Kolay Gelsin's
//! envelope, business errors inside HTTP 200.

use super::Account;
use super::push::Pusher;
use super::state::{Kind, OPERATIONAL_RETURN_AFTER, Scenario, SimItem, SimShipment, Stop};
use crate::error::KNOWN;
use crate::status;
use crate::wire::{self, ResultCode, Scalar};
use async_trait::async_trait;
use base64::Engine;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse};
use kargojet_core::geo;
use kargojet_core::time::{Clock, ManualClock};
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The first `ShipmentId` the simulator gives (the notes' example number).
pub const FIRST_SHIPMENT_ID: i64 = 884213;
/// The first `ShipmentItemId` the simulator gives (the notes' example number).
pub const FIRST_ITEM_ID: i64 = 1553021;

/// The bearer token's state.
#[derive(Debug, Clone)]
pub(crate) struct TokenState {
    pub(crate) value: String,
    pub(crate) expires_at: Option<DateTime<Utc>>,
    pub(crate) revoked: bool,
}

/// Shared state of one simulator.
#[derive(Debug)]
pub struct Handler {
    pub(crate) clock: ManualClock,
    pub(crate) account: Mutex<Account>,
    pub(crate) token: Mutex<TokenState>,
    pub(crate) shipments: Mutex<Vec<SimShipment>>,
    pub(crate) next_shipment: Mutex<i64>,
    pub(crate) next_item: Mutex<i64>,
    pub(crate) jobs: AtomicU64,
    pub(crate) pusher: Pusher,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The operation name of a path (the method), `unknown` for anything else.
pub fn operation_of(path: &str) -> &'static str {
    let Some(method) = path.strip_prefix(crate::config::API_PREFIX) else {
        return "unknown";
    };
    let method = method.trim_end_matches('/');
    wire::METHODS
        .iter()
        .find(|m| m.eq_ignore_ascii_case(method))
        .copied()
        .unwrap_or("unknown")
}

fn aspnet(status: u16, message: &str) -> SimResponse {
    SimResponse::json(status, &json!({ "Message": message }))
}

type Outcome = Result<Value, (ResultCode, String)>;

fn err(code: &str, message: &str) -> (ResultCode, String) {
    (ResultCode::new(code), message.to_string())
}

fn fail(code: &str, message: &str) -> Outcome {
    Err(err(code, message))
}

fn rejected(code: &str) -> Outcome {
    // `reject("500.0:CityNotFound")` names the message; `reject("404.1")` takes the first
    // documented message of the code.
    let (code, message) = match code.split_once(':') {
        Some((c, m)) => (c.trim().to_string(), m.trim().to_string()),
        None => {
            let c = ResultCode::new(code).canonical();
            let m = KNOWN
                .iter()
                .find(|k| k.code == c)
                .map_or("Simülasyon hatası", |k| k.message)
                .to_string();
            (code.trim().to_string(), m)
        }
    };
    Err((ResultCode::new(code), message))
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// What [`Handler::check_party`] looks at.
struct PartyCheck<'a> {
    kind: i64,
    odr: bool,
    tckn: &'a Option<String>,
    vkn: &'a Option<String>,
    names: (&'a Option<String>, &'a Option<String>, &'a Option<String>),
    address: Option<&'a wire::Address>,
    out_of_coverage_ok: bool,
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|v| v.trim().is_empty())
}

impl Handler {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn account(&self) -> Account {
        lock(&self.account).clone()
    }

    fn envelope(&self, outcome: Outcome) -> SimResponse {
        let n = self.jobs.fetch_add(1, Ordering::SeqCst) + 1;
        let job = format!(
            "S-KGSIM-{}-{n:05}.1",
            self.now()
                .with_timezone(&kargojet_core::time::turkey_offset())
                .format("%Y-%m-%d-%H-%M-%S")
        );
        let (payload, code, message) = match outcome {
            Ok(p) => (p, ResultCode::ok(), "OK".to_string()),
            Err((c, m)) => (Value::Null, c, m),
        };
        SimResponse::json(
            200,
            &json!({
                "Source": "parcelDelivery",
                "Target": "APIReadQ",
                "Intent": null,
                "Tag": null,
                "JobOwner": "APIReadQ",
                "JobId": job,
                "Payload": payload,
                "Username": self.account().username,
                "ResultCode": code,
                "ResultMessage": message,
            }),
        )
    }

    /// `None` when the bearer token is the account's and still valid, else the 401.
    fn check_token(&self, req: &SimRequest) -> Option<SimResponse> {
        let unauthorized = |m: &str| {
            SimResponse::json(401, &json!({"code": "Unauthorized", "message": m}))
                .header("WWW-Authenticate", "Bearer")
        };
        let Some(given) = req
            .header("authorization")
            .and_then(|h| h.trim().strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Some(unauthorized(
                "Authorization: Bearer <token> header is required",
            ));
        };
        let t = lock(&self.token).clone();
        if given != t.value || t.revoked {
            return Some(unauthorized("Invalid token"));
        }
        if t.expires_at.is_some_and(|e| e <= self.now()) {
            return Some(unauthorized("Token expired"));
        }
        None
    }

    fn parse<T: serde::de::DeserializeOwned>(req: &SimRequest) -> Result<T, SimResponse> {
        let ct = req
            .header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !ct.starts_with("application/json") {
            return Err(aspnet(
                415,
                &format!(
                    "The request entity's media type '{ct}' is not supported for this resource."
                ),
            ));
        }
        serde_json::from_slice(&req.body).map_err(|e| {
            SimResponse::json(
                400,
                &json!({"Message": "The request is invalid.", "Detail": e.to_string()}),
            )
        })
    }

    fn next_ids(&self, items: usize) -> (i64, Vec<i64>) {
        let id = {
            let mut n = lock(&self.next_shipment);
            let id = *n;
            *n += 1;
            id
        };
        let mut n = lock(&self.next_item);
        let ids = (0..items)
            .map(|_| {
                let i = *n;
                *n += 1;
                i
            })
            .collect();
        (id, ids)
    }

    /// The receiver / returning-customer checks the documentation lists, in its order.
    fn check_party(a: &Account, p: PartyCheck<'_>) -> Result<(), (ResultCode, String)> {
        let PartyCheck {
            kind,
            odr,
            tckn,
            vkn,
            names,
            address,
            out_of_coverage_ok,
        } = p;
        let (name, surname, title) = names;
        let Some(addr) = address else {
            return Err(err("500.0", "ErrorSavingReceiver"));
        };
        match kind {
            1 => {
                if odr && blank(tckn) {
                    return Err(err("500.0", "IdentityNumberEntryIsRequired"));
                }
                if let Some(t) = tckn.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                    if odr && !(t.len() == 11 && digits(t)) {
                        return Err(err("500.0", "IdentityNumberNotValid"));
                    }
                    if !digits(t) {
                        return Err(err(
                            "500.0",
                            "Alici kimlik numarasinda gecersiz karakterler bulunuyor",
                        ));
                    }
                }
                if blank(name) || blank(surname) {
                    return Err(err("500.0", "ErrorSavingReceiver"));
                }
            }
            2 => {
                if odr && blank(vkn) {
                    return Err(err("500.0", "TaxIdentificationNumberInputIsRequired"));
                }
                if let Some(v) = vkn.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                    if odr && !(v.len() == 10 && digits(v)) {
                        return Err(err("500.0", "TaxIdentificationNumberNotValid"));
                    }
                    if !digits(v) {
                        return Err(err(
                            "500.0",
                            "Alici vergi kimlik numarasinda gecersiz karakterler bulunuyor",
                        ));
                    }
                }
                if blank(title) || blank(&addr.building_name) {
                    return Err(err("500.0", "ErrorSavingReceiver"));
                }
            }
            _ => return Err(err("500.0", "ErrorSavingReceiver")),
        }
        let Some(city) = addr.city_id else {
            return Err(err("500.0", "ErrorSavingReceiver"));
        };
        if blank(&addr.town_name) || blank(&addr.address_text) {
            return Err(err("500.0", "ErrorSavingReceiver"));
        }
        let Some(plate) = u8::try_from(city).ok().and_then(geo::Plate::new) else {
            return Err(err("500.0", "CityNotFound"));
        };
        let town = addr.town_name.as_deref().unwrap_or_default();
        let text_len = addr
            .address_text
            .as_deref()
            .map_or(0, |t| t.trim().chars().count());
        if geo::find_district(plate, town, "TownName").is_err() || text_len < 5 {
            return Err(err("500.0", "GeoCodeFail"));
        }
        if a.uncovered_plates.contains(&plate.get()) && !out_of_coverage_ok {
            return Err(err(
                "500.0",
                "Bu kordinatta kurye çalışma alanı bulunamamıştır.",
            ));
        }
        Ok(())
    }

    fn validate_create(&self, b: &wire::CreateBody) -> Result<(), (ResultCode, String)> {
        let a = self.account();
        let Some(sender) = &b.sender_customer else {
            return Err(err("500.0", "CustomerNotFound"));
        };
        if sender.customer_id != Some(a.customer_id) {
            return Err(err("500.0", "CustomerNotFound"));
        }
        if sender.address.as_ref().and_then(|x| x.address_id) != Some(a.address_id) {
            return Err(err("404.1", "Adres müşteriye ait değil"));
        }
        let Some(r) = &b.recipient else {
            return Err(err("500.0", "ErrorSavingReceiver"));
        };
        let odr = r.only_deliver_to_recipient.unwrap_or(false)
            || b.only_deliver_to_recipient.unwrap_or(false);
        Self::check_party(
            &a,
            PartyCheck {
                kind: r.recipient_type.unwrap_or(1),
                odr,
                tckn: &r.recipient_identity_number,
                vkn: &r.recipient_tax_identity_number,
                names: (&r.recipient_name, &r.recipient_surname, &r.recipient_title),
                address: r.address.as_ref(),
                out_of_coverage_ok: r.save_out_of_coverage.unwrap_or(false),
            },
        )?;
        if b.shipment_item_list.as_ref().is_none_or(Vec::is_empty) {
            return Err(err("500.0", "SomethingWentWrong"));
        }
        if !matches!(b.package_type, Some(1 | 2)) {
            return Err(err("500.0", "MoveOptionNotFound"));
        }
        if b.sender_invoice_amount.is_some_and(|n| n.0 > Decimal::ZERO) && !a.cod_allowed {
            return Err(err("500.0", "Tahsilatlı kargo yapılamaz."));
        }
        Ok(())
    }

    fn labels(&self, s: &SimShipment) -> Value {
        Value::Array(
            s.items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    json!({
                        "ShipmentItemId": item.item_id.to_string(),
                        "CustomerBarcode": item.barcode,
                        "ShipmentItemLabel": s.label_html(i),
                    })
                })
                .collect(),
        )
    }

    fn created_payload(&self, s: &SimShipment) -> Value {
        json!({
            "ShipmentId": s.shipment_id.to_string(),
            "CustomerSpecificCode": s.specific_code,
            "ShipmentTrackingLink": format!("https://kolaygelsin.com/takip?id={}", s.shipment_id),
            "ShipmentItemLabelList": self.labels(s),
        })
    }

    fn create(&self, b: wire::CreateBody) -> Outcome {
        self.validate_create(&b)?;
        let a = self.account();
        let items = b.shipment_item_list.clone().unwrap_or_default();
        let (id, item_ids) = self.next_ids(items.len());
        let r = b.recipient.clone().unwrap_or_default();
        let addr = r.address.clone().unwrap_or_default();
        let name = match (r.recipient_name.as_deref(), r.recipient_surname.as_deref()) {
            (Some(n), Some(s)) if r.recipient_type.unwrap_or(1) == 1 => format!("{n} {s}"),
            _ => r.recipient_title.clone().unwrap_or_default(),
        };
        let ship = SimShipment {
            shipment_id: id,
            kind: Kind::Outbound,
            specific_code: b.customer_specific_code.clone(),
            items: items
                .iter()
                .zip(item_ids)
                .map(|(it, item_id)| SimItem {
                    item_id,
                    barcode: it.customer_barcode.clone(),
                    tracking_id: it.customer_tracking_id.clone(),
                })
                .collect(),
            created_at: self.now(),
            scenario: Scenario::Delivered,
            operational_leg: None,
            stop: None,
            origin_hub: a.hub.clone(),
            destination: geo::turkish_upper(addr.town_name.as_deref().unwrap_or_default().trim()),
            recipient_name: name,
            body: Some(b),
            return_body: None,
        };
        let payload = self.created_payload(&ship);
        lock(&self.shipments).push(ship);
        Ok(payload)
    }

    fn track(&self, b: wire::TrackBody) -> Outcome {
        let list = |l: &Option<Vec<String>>| -> Vec<String> {
            l.iter()
                .flatten()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        let (ids, codes, barcodes, tids) = (
            list(&b.shipment_id_list),
            list(&b.customer_specific_code_list),
            list(&b.customer_barcode_list),
            list(&b.customer_tracking_id_list),
        );
        if ids.is_empty() && codes.is_empty() && barcodes.is_empty() && tids.is_empty() {
            return fail("500.0", "Parametrelerin hepsi boş olamaz");
        }
        if !self.account().webhook_defined {
            return fail("500.0", "CustomerNotFound");
        }
        let now = self.now();
        let only_latest = b.only_latest_events.unwrap_or(false);
        let ships = lock(&self.shipments);
        let mut models = Vec::new();
        for s in ships.iter().filter(|s| s.created_at <= now) {
            for item in &s.items {
                let hit = ids.contains(&s.shipment_id.to_string())
                    || s.specific_code.as_ref().is_some_and(|c| codes.contains(c))
                    || item.barcode.as_ref().is_some_and(|c| barcodes.contains(c))
                    || item.tracking_id.as_ref().is_some_and(|c| tids.contains(c));
                if hit {
                    models.push(s.model(item, now, only_latest));
                }
            }
        }
        Ok(json!({ "ShipmentModelList": models }))
    }

    fn find_index(ships: &[SimShipment], id: Option<i64>) -> Option<usize> {
        let id = id?;
        ships.iter().position(|s| s.shipment_id == id)
    }

    fn cancel(&self, b: wire::CancelBody) -> Outcome {
        let now = self.now();
        let id = b.shipment_id.as_ref().and_then(Scalar::as_i64);
        let Some(reason) = b
            .delivery_cancellation_reason
            .filter(|r| matches!(*r, wire::CANCEL_REASON_STANDARD | wire::CANCEL_REASON_FRAUD))
        else {
            return fail("500.0", "DeliveryCancellationReasonNotFound");
        };
        let hub = self.account().hub;
        let leg_id = {
            let ships = lock(&self.shipments);
            let Some(i) = Self::find_index(&ships, id).filter(|i| ships[*i].created_at <= now)
            else {
                return fail("500.0", "ShipmentNotFound");
            };
            let s = &ships[i];
            if s.stop.is_some() {
                return fail("500.0", "Gönderi zaten durdurulmuş");
            }
            if s.reached(now, status::DELIVERED) || s.reached(now, status::LOST) {
                return fail("500.0", "Teslim edilmiş gönderi iptal edilemez");
            }
            s.picked_up(now)
        };
        let leg = leg_id.then(|| self.next_ids(0).0);
        let mut ships = lock(&self.shipments);
        let Some(i) = Self::find_index(&ships, id) else {
            return fail("500.0", "ShipmentNotFound");
        };
        ships[i].stop = Some(Stop {
            at: now,
            reason,
            leg,
        });
        if let Some(leg) = leg {
            let original = ships[i].clone();
            ships.push(Self::leg_of(&original, leg, now, hub));
        }
        Ok(json!({}))
    }

    fn leg_of(original: &SimShipment, leg: i64, at: DateTime<Utc>, hub: String) -> SimShipment {
        SimShipment {
            shipment_id: leg,
            kind: Kind::ReturnLeg {
                original: original.shipment_id,
            },
            specific_code: original.specific_code.clone(),
            items: original.items.clone(),
            created_at: at,
            scenario: Scenario::Delivered,
            operational_leg: None,
            stop: None,
            origin_hub: original.destination.clone(),
            destination: hub,
            recipient_name: "Gönderici".into(),
            body: None,
            return_body: None,
        }
    }

    fn create_return(&self, b: wire::ReturnBody) -> Outcome {
        let a = self.account();
        let Some(sender) = &b.sender_customer else {
            return fail("500.0", "SomethingWentWrong");
        };
        Self::check_party(
            &a,
            PartyCheck {
                kind: sender.customer_type.unwrap_or(1),
                odr: false,
                tckn: &sender.identity_number,
                vkn: &sender.tax_identity_number,
                names: (
                    &sender.customer_name,
                    &sender.customer_surname,
                    &sender.title,
                ),
                address: sender.address.as_ref(),
                out_of_coverage_ok: true,
            },
        )?;
        let now = self.now();
        let wanted = b.shipment_item_list.clone().unwrap_or_default();
        let original = {
            let ships = lock(&self.shipments);
            let by_id = b
                .shipment_id
                .filter(|id| *id > 0)
                .and_then(|id| Self::find_index(&ships, Some(id)));
            let by_item = || {
                wanted.iter().find_map(|w| {
                    ships.iter().position(|s| {
                        s.kind == Kind::Outbound
                            && s.items.iter().any(|i| {
                                w.customer_barcode.is_some() && i.barcode == w.customer_barcode
                                    || w.shipment_item_id.is_some_and(|x| x > 0 && x == i.item_id)
                            })
                    })
                })
            };
            let Some(i) = by_id.or_else(by_item) else {
                return fail("500.0", "ShipmentNotFound");
            };
            ships[i].clone()
        };
        if original.kind != Kind::Outbound {
            return fail("500.0", "ShipmentNotFound");
        }
        if !original.reached(now, status::DELIVERED) {
            return fail("500.0", "Teslim edilmemiş gönderi için iade girilemez");
        }
        let items: Vec<SimItem> = if wanted.is_empty() {
            if original.items.len() > 1 {
                return fail("500.0", "ShipmentItemNotFound");
            }
            original.items.clone()
        } else {
            let mut picked = Vec::new();
            for w in &wanted {
                let found = original.items.iter().find(|i| {
                    w.customer_barcode.is_some() && i.barcode == w.customer_barcode
                        || w.shipment_item_id.is_some_and(|x| x > 0 && x == i.item_id)
                });
                match found {
                    Some(i) => picked.push(i.clone()),
                    None => return fail("500.0", "ShipmentItemNotFound"),
                }
            }
            picked
        };
        let (id, item_ids) = self.next_ids(items.len());
        let addr = sender.address.clone().unwrap_or_default();
        let ship = SimShipment {
            shipment_id: id,
            kind: Kind::Return {
                original: original.shipment_id,
            },
            specific_code: original.specific_code.clone(),
            items: items
                .into_iter()
                .zip(item_ids)
                .map(|(i, item_id)| SimItem { item_id, ..i })
                .collect(),
            created_at: now,
            scenario: Scenario::Delivered,
            operational_leg: None,
            stop: None,
            origin_hub: geo::turkish_upper(addr.town_name.as_deref().unwrap_or_default().trim()),
            destination: a.hub.clone(),
            recipient_name: a.username.clone(),
            body: None,
            return_body: Some(b.clone()),
        };
        let payload = self.created_payload(&ship);
        lock(&self.shipments).push(ship);
        Ok(payload)
    }

    fn event_types(&self, req: &SimRequest) -> Result<Outcome, SimResponse> {
        if req
            .header("accept-language")
            .is_none_or(|l| l.trim().is_empty())
        {
            return Err(aspnet(
                400,
                "The accept-language header is required (tr-TR or en-EN).",
            ));
        }
        let list: Vec<Value> = status::EVENTS
            .iter()
            .map(|k| json!({"CargoEventType": k.code, "EventCustomerDescription": k.text_tr}))
            .collect();
        Ok(Ok(json!({ "CargoEventTypeList": list })))
    }

    fn document(&self, b: wire::DocumentBody) -> Outcome {
        let now = self.now();
        let id = b.document_id.unwrap_or_default();
        let ships = lock(&self.shipments);
        let found = ships.iter().find_map(|s| {
            s.events(now)
                .into_iter()
                .find(|e| {
                    e.document.as_ref().is_some_and(|(d, t)| {
                        d.eq_ignore_ascii_case(id.trim()) && Some(*t) == b.document_type
                    })
                })
                .map(|_| s.shipment_id)
        });
        let Some(shipment_id) = found else {
            return fail("500.0", "DocumentNotFound");
        };
        let pdf = signature_pdf(shipment_id);
        Ok(json!({
            "DocumentModel": {
                "DocumentId": id.trim(),
                "Data": base64::engine::general_purpose::STANDARD.encode(pdf),
            }
        }))
    }

    /// Opens the operational-return leg of a shipment whose scenario is [`Scenario::Refused`].
    pub(crate) fn set_scenario(&self, barcode: &str, scenario: Scenario) -> bool {
        let hub = self.account().hub;
        let mut ships = lock(&self.shipments);
        let Some(i) = ships.iter().position(|s| {
            s.kind == Kind::Outbound
                && s.items
                    .iter()
                    .any(|it| it.barcode.as_deref() == Some(barcode))
        }) else {
            return false;
        };
        ships[i].scenario = scenario;
        if scenario == Scenario::Refused && ships[i].operational_leg.is_none() {
            drop(ships);
            let leg = self.next_ids(0).0;
            let mut ships = lock(&self.shipments);
            ships[i].operational_leg = Some(leg);
            let original = ships[i].clone();
            let at = original.created_at
                + chrono::Duration::from_std(OPERATIONAL_RETURN_AFTER).unwrap_or_default();
            ships.push(Self::leg_of(&original, leg, at, hub));
        }
        true
    }
}

/// A minimal PDF of a delivery signature (the simulator's `GetDocumentForHistory` document).
pub fn signature_pdf(shipment_id: i64) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 283 425]>>endobj\n% Kolay Gelsin teslim imzası {shipment_id}\ntrailer<</Root 1 0 R>>\n%%EOF\n").into_bytes()
}

#[async_trait]
impl SimHandler for Handler {
    fn operation(&self, req: &SimRequest) -> String {
        operation_of(&req.path).to_string()
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let op = operation_of(&req.path);
        if op == "unknown" {
            return aspnet(
                404,
                &format!(
                    "No HTTP resource was found that matches the request URI '{}'.",
                    req.path
                ),
            );
        }
        if req.method != "POST" {
            return aspnet(
                405,
                &format!(
                    "The requested resource does not support http method '{}'.",
                    req.method
                ),
            );
        }
        if let Some(r) = self.check_token(req) {
            return r;
        }
        let reject = match injected {
            Some(CarrierFault::Reject(code)) => Some(code.clone()),
            _ => None,
        };
        macro_rules! body {
            ($t:ty) => {
                match Self::parse::<$t>(req) {
                    Ok(b) => b,
                    Err(r) => return r,
                }
            };
        }
        let outcome = match op {
            wire::METHOD_CREATE => {
                let b = body!(wire::CreateBody);
                match reject {
                    Some(c) => rejected(&c),
                    None => self.create(b),
                }
            }
            wire::METHOD_TRACK => {
                let b = body!(wire::TrackBody);
                match reject {
                    Some(c) => rejected(&c),
                    None => self.track(b),
                }
            }
            wire::METHOD_CANCEL => {
                let b = body!(wire::CancelBody);
                match reject {
                    Some(c) => rejected(&c),
                    None => self.cancel(b),
                }
            }
            wire::METHOD_RETURN => {
                let b = body!(wire::ReturnBody);
                match reject {
                    Some(c) => rejected(&c),
                    None => self.create_return(b),
                }
            }
            wire::METHOD_EVENT_TYPES => {
                let _ = body!(wire::EmptyBody);
                match self.event_types(req) {
                    Err(r) => return r,
                    Ok(o) => match reject {
                        Some(c) => rejected(&c),
                        None => o,
                    },
                }
            }
            wire::METHOD_DOCUMENT => {
                let b = body!(wire::DocumentBody);
                match reject {
                    Some(c) => rejected(&c),
                    None => self.document(b),
                }
            }
            _ => return aspnet(404, "No HTTP resource was found."),
        };
        self.envelope(outcome)
    }
}
