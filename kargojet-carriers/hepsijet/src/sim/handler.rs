//! The simulator's request handling: routes HepsiJET's paths, enforces its documented rules
//! (Basic-auth token call, `X-Auth-Token` living 60 minutes on the simulated clock, JSON content
//! type, exact key spelling, numbers as strings, barcode rules, XL above 40 desi with `TMH`,
//! slot rules, registered warehouse) and answers in HepsiJET's envelope, `FAIL` inside 200.

use super::Account;
use super::state::SimShipment;
use crate::map::{KEY_LEN, XL_THRESHOLD_DESI};
use crate::wire::{self, CreateBody};
use async_trait::async_trait;
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse};
use kargojet_core::money::parse_decimal;
use kargojet_core::time::{Clock, ManualClock};
use kargojet_core::tracking::ShipmentStatus;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// A 1×1 PNG, the simulator's PNG label.
pub const PNG_LABEL: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
    0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0xF0,
    0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

/// Shared state of one simulator.
#[derive(Debug)]
pub struct Handler {
    pub(crate) clock: ManualClock,
    pub(crate) account: Account,
    pub(crate) shipments: Mutex<HashMap<String, SimShipment>>,
    pub(crate) tokens: Mutex<HashMap<String, DateTime<Utc>>>,
    pub(crate) issued: Mutex<u64>,
}

fn fail(http: u16, message: &str, detail: Option<&str>) -> SimResponse {
    let mut v = json!({"status": wire::STATUS_FAIL, "message": message});
    if let Some(d) = detail {
        v["detailStatus"] = json!(d);
    }
    SimResponse::json(http, &v)
}

fn ok(message: Option<&str>, data: Value) -> SimResponse {
    SimResponse::json(
        200,
        &json!({"status": wire::STATUS_OK, "message": message, "data": data}),
    )
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The operation name of a path (for faults and logs).
pub fn operation_of(path: &str) -> &'static str {
    let p = path
        .strip_prefix("/rest")
        .filter(|p| p.starts_with("/delivery/"))
        .unwrap_or(path);
    match p {
        wire::PATH_TOKEN => "getToken",
        wire::PATH_CREATE => "sendDeliveryOrderEnhanced",
        wire::PATH_CREATE_XL => "sendDeliveryOrder",
        wire::PATH_LABEL => "barcodesLabel",
        wire::PATH_TRACK | "/delivery/integration/track" => "integrationTrack",
        wire::PATH_HISTORY => "getDeliveryTracking",
        p if p.starts_with("/delivery/deleteDeliveryOrder/") => "deleteDeliveryOrder",
        p if p.starts_with("/delivery/generateZplBarcode/") => "generateZplBarcode",
        _ => "unknown",
    }
}

impl Handler {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn issue_token(&self, req: &SimRequest) -> SimResponse {
        if req.method != "GET" {
            return fail(405, "Method Not Allowed", None);
        }
        let expected = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.account.username, self.account.password
        ));
        let given = req
            .header("authorization")
            .and_then(|h| h.strip_prefix("Basic "))
            .map(str::trim);
        if given != Some(expected.as_str()) {
            return fail(401, "Kullanıcı adı veya şifre hatalı", None);
        }
        let n = {
            let mut i = lock(&self.issued);
            *i += 1;
            *i
        };
        let token = format!(
            "{:08x}-0f3d-4b7e-9a55-{:012x}",
            n.wrapping_mul(0x9e37_79b9),
            n
        );
        lock(&self.tokens).insert(token.clone(), self.now() + chrono::Duration::minutes(60));
        ok(None, json!({"token": token}))
    }

    /// `None` when the token is valid, else the 401 HepsiJET answers.
    fn check_token(&self, req: &SimRequest) -> Option<SimResponse> {
        let Some(token) = req
            .header("x-auth-token")
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Some(fail(401, "X-Auth-Token header is required", None));
        };
        match lock(&self.tokens).get(token) {
            Some(exp) if *exp > self.now() => None,
            Some(_) => Some(fail(401, "Token expired", None)),
            None => Some(fail(401, "Invalid token", None)),
        }
    }

    fn parse<T: serde::de::DeserializeOwned>(req: &SimRequest) -> Result<T, SimResponse> {
        let ct = req
            .header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !ct.starts_with("application/json") {
            return Err(fail(
                415,
                &format!("Content type '{ct}' not supported"),
                None,
            ));
        }
        serde_json::from_slice(&req.body)
            .map_err(|e| fail(400, &format!("JSON parse error: {e}"), Some("BAD_REQUEST")))
    }

    fn validate_create(&self, b: &CreateBody, xl: bool) -> Result<(), SimResponse> {
        let a = &self.account;
        let d = &b.delivery;
        let bad = |m: String| Err(fail(200, &m, Some("VALIDATION")));
        if b.company.name != a.company_name || b.company.abbreviation_code != a.company_code {
            return bad("company bilgisi hatalı".into());
        }
        if b.current_x_dock.abbreviation_code != a.xdock_code {
            return bad("currentXDock hatalı".into());
        }
        let key = &d.customer_delivery_no;
        if !KEY_LEN.contains(&key.len())
            || !key.starts_with(&a.company_code)
            || !key
                .bytes()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        {
            return bad(format!("customerDeliveryNo '{key}' geçersiz"));
        }
        if !d.total_parcels.parse::<u32>().is_ok_and(|n| n >= 1) {
            return bad("totalParcels geçersiz".into());
        }
        let Some(desi) = parse_decimal(&d.desi).filter(|x| *x > Decimal::ZERO) else {
            return bad("desi geçersiz".into());
        };
        let over = desi > Decimal::from(XL_THRESHOLD_DESI);
        let tmh = b
            .service_type
            .as_ref()
            .is_some_and(|s| s.iter().any(|x| x == wire::SERVICE_TMH));
        if over && !xl {
            return bad("40 desi üzeri gönderiler sendDeliveryOrder (TMH) ile iletilmeli".into());
        }
        if xl && !tmh {
            return bad("serviceType TMH zorunlu".into());
        }
        if NaiveDate::parse_from_str(&d.delivery_date_original, "%Y-%m-%d").is_err() {
            return bad("deliveryDateOriginal yyyy-MM-dd olmalı".into());
        }
        let slot = d.delivery_slot_original.as_str();
        match d.product.product_code.as_str() {
            "HX_STD" if slot == "0" => {}
            "HX_SD" | "HX_ND" if matches!(slot, "1" | "2" | "3") => {}
            p => {
                return bad(format!(
                    "productCode {p} ile deliverySlotOriginal {slot} kullanılamaz"
                ));
            }
        }
        if !matches!(
            d.delivery_type.as_str(),
            "RETAIL" | "MARKET_PLACE" | "RETURNED"
        ) {
            return bad("deliveryType geçersiz".into());
        }
        let ten =
            |p: &str| p.len() == 10 && p.bytes().all(|c| c.is_ascii_digit()) && !p.starts_with('0');
        if !ten(&d.recipient_person_phone1) || !ten(&d.receiver.phone1) {
            return bad("telefon 10 hane olmalı (5XXXXXXXXX)".into());
        }
        let registered = if d.delivery_type == "RETURNED" {
            &d.recipient_address
        } else {
            &d.sender_address
        };
        let w = &a.warehouse;
        let matches = registered.company_address_id == w.address_id
            && registered.city.name == w.city
            && registered.town.name == w.town
            && registered.district.name == w.district
            && registered.address_line1 == w.line;
        if !matches {
            return bad(format!(
                "companyAddressId {} kayıtlı depo adresi ile eşleşmiyor",
                registered.company_address_id
            ));
        }
        for addr in [&d.sender_address, &d.recipient_address] {
            if addr.city.name.trim().is_empty()
                || addr.town.name.trim().is_empty()
                || addr.district.name.trim().is_empty()
            {
                return bad("il / ilçe / mahalle zorunlu".into());
            }
        }
        Ok(())
    }

    fn create(&self, req: &SimRequest, xl: bool, injected: Option<&CarrierFault>) -> SimResponse {
        let body: CreateBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return fail(200, "Gönderi oluşturulamadı", Some(code));
        }
        if let Err(r) = self.validate_create(&body, xl) {
            return r;
        }
        let key = body.delivery.customer_delivery_no.clone();
        let mut ships = lock(&self.shipments);
        if ships.contains_key(&key) {
            return fail(
                200,
                "customerDeliveryNo daha önce kullanılmış",
                Some("DUPLICATE"),
            );
        }
        let count: usize = body.delivery.total_parcels.parse().unwrap_or(1);
        let ship = SimShipment {
            measured_desi: body.delivery.desi.clone(),
            body,
            created_at: self.now(),
            cancelled_at: None,
            scenario: Default::default(),
        };
        let zpl: Vec<Value> = (1..=count)
            .map(|n| json!({"zplBarcode": ship.zpl(n, count)}))
            .collect();
        ships.insert(key.clone(), ship);
        ok(
            Some("Delivery created"),
            json!({"customerDeliveryNo": key, "zplBarcodeDTOList": zpl}),
        )
    }

    fn cancel(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let key = req.path.rsplit('/').next().unwrap_or_default().to_string();
        let body: wire::DeleteBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return fail(200, "Gönderi silinemedi", Some(code));
        }
        if body.delete_reason != wire::DELETE_REASON {
            return fail(200, "deleteReason geçersiz", Some("VALIDATION"));
        }
        let now = self.now();
        let mut ships = lock(&self.shipments);
        let Some(s) = ships.get_mut(&key) else {
            return fail(200, "Gönderi bulunamadı", Some("NOT_FOUND"));
        };
        match s.status(now) {
            ShipmentStatus::Created => {
                s.cancelled_at = Some(now);
                ok(Some("Deleted"), Value::Null)
            }
            ShipmentStatus::Cancelled => {
                fail(200, "Gönderi zaten silinmiş", Some("ALREADY_DELETED"))
            }
            _ => fail(
                200,
                "Teslim alınmış gönderi silinemez",
                Some("NOT_DELETABLE"),
            ),
        }
    }

    fn track(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let body: wire::TrackBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return fail(200, "Sorgulama yapılamadı", Some(code));
        }
        let now = self.now();
        let ships = lock(&self.shipments);
        let items: Vec<wire::TrackItem> = body
            .barcodes
            .iter()
            .filter_map(|b| ships.get(b))
            .map(|s| s.summary_item(now, body.is_track_added))
            .collect();
        ok(None, serde_json::to_value(items).unwrap_or(Value::Null))
    }

    fn history(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let body: wire::HistoryBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return fail(200, "Sorgulama yapılamadı", Some(code));
        }
        let now = self.now();
        let ships = lock(&self.shipments);
        let items: Vec<wire::HistoryItem> = body
            .deliveries
            .iter()
            .filter_map(|d| ships.get(&d.customer_delivery_no))
            .map(|s| s.history_item(now))
            .collect();
        ok(None, serde_json::to_value(items).unwrap_or(Value::Null))
    }

    fn label(&self, req: &SimRequest) -> SimResponse {
        let body: wire::LabelBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let format = req.query_param("format").unwrap_or_default();
        let ships = lock(&self.shipments);
        let mut docs = Vec::new();
        for b in &body.barcodes {
            let Some(s) = ships.get(b) else {
                return fail(200, &format!("{b} bulunamadı"), Some("NOT_FOUND"));
            };
            let bytes: Vec<u8> = match format.as_str() {
                "PDF" => pdf_label(&s.body.delivery.customer_delivery_no),
                "PNG" => PNG_LABEL.to_vec(),
                "JPEG" => vec![
                    0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01,
                    0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xFF, 0xD9,
                ],
                other => {
                    return fail(
                        400,
                        &format!("format {other} desteklenmiyor"),
                        Some("BAD_REQUEST"),
                    );
                }
            };
            docs.push(Value::String(
                base64::engine::general_purpose::STANDARD.encode(bytes),
            ));
        }
        ok(None, Value::Array(docs))
    }

    fn zpl(&self, req: &SimRequest) -> SimResponse {
        let mut parts = req.path.rsplit('/');
        let count = parts
            .next()
            .and_then(|c| c.parse::<usize>().ok())
            .filter(|c| (1..=99).contains(c));
        let key = parts.next().unwrap_or_default();
        let ships = lock(&self.shipments);
        let (Some(count), Some(s)) = (count, ships.get(key)) else {
            return fail(200, "Gönderi bulunamadı", Some("NOT_FOUND"));
        };
        let zpl: Vec<String> = (1..=count).map(|n| s.zpl(n, count)).collect();
        SimResponse::text(200, zpl.join("\n"))
    }
}

/// A minimal PDF carrying the barcode text (the simulator's "carrier-rendered" label).
pub fn pdf_label(key: &str) -> Vec<u8> {
    format!("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 283 425]>>endobj\n% HepsiJET {key}\ntrailer<</Root 1 0 R>>\n%%EOF\n").into_bytes()
}

#[async_trait]
impl SimHandler for Handler {
    fn operation(&self, req: &SimRequest) -> String {
        operation_of(&req.path).to_string()
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let op = operation_of(&req.path);
        if op == "getToken" {
            return self.issue_token(req);
        }
        if op == "unknown" {
            return fail(
                404,
                &format!("No handler for {} {}", req.method, req.path),
                None,
            );
        }
        if let Some(r) = self.check_token(req) {
            return r;
        }
        let post = req.method == "POST";
        match op {
            "sendDeliveryOrderEnhanced" if post => self.create(req, false, injected),
            "sendDeliveryOrder" if post => self.create(req, true, injected),
            "deleteDeliveryOrder" if post => self.cancel(req, injected),
            "integrationTrack" if post => self.track(req, injected),
            "getDeliveryTracking" if post => self.history(req, injected),
            "barcodesLabel" if post => self.label(req),
            "generateZplBarcode" if req.method == "GET" => self.zpl(req),
            _ => fail(405, "Method Not Allowed", None),
        }
    }
}
