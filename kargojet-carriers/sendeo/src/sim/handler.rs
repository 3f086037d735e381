//! The simulator's request handling: routes Sendeo's paths (case-insensitively, as ASP.NET
//! does), enforces its documented rules — login with `musteri`/`sifre` and a user blocked after
//! repeated bad logins, `Authorization: Bearer` tokens living 20 hours on the simulated clock,
//! JSON content type, keys read case-insensitively but never misspelt, the required fields with
//! Sendeo's own error codes (102…411, 201…307, 701…703), COD at most 5,000 TL with a non-zero
//! product price, cancel only in status 101, `TRACKDELIVERY` answered from a 30-minute cache —
//! and answers in Sendeo's envelope, business errors as HTTP 500 with an `ExceptionMessage`.

use super::state::SimShipment;
use super::{Account, geo};
use crate::error::message_of;
use crate::status;
use crate::wire::{self, LooseString, SetDeliveryBody, number};
use async_trait::async_trait;
use base64::Engine;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse};
use kargojet_core::time::{Clock, ManualClock};
use rust_decimal::Decimal;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

/// The first tracking number the simulator gives (the notes' example).
pub const FIRST_TRACKING_NUMBER: u64 = 9_124_356_789_047;
/// The message of a refused login (simulator wording).
pub const BAD_LOGIN: &str = "Kullanıcı adı veya şifre hatalı.";
/// The message of a blocked user (simulator wording).
pub const BLOCKED: &str =
    "Kullanıcı bloke edildi. entegrasyon@sendeo.com.tr adresine bilgi veriniz.";
/// The message of a reused `ReferenceNo` (simulator wording: Sendeo documents none).
pub const DUPLICATE_REFERENCE: &str = "Delivery Reference No Already Exists.";
/// The message of a COD above the cap (simulator wording: Sendeo documents only the cap).
pub const COD_ABOVE_CAP: &str = "Collection Price Cannot Be Greater Than 5000.";
/// How long `TRACKDELIVERY` answers from its cache by default.
pub const TRACK_CACHE: Duration = Duration::from_secs(30 * 60);

/// Shared state of one simulator.
#[derive(Debug)]
pub struct Handler {
    pub(crate) clock: ManualClock,
    pub(crate) account: Account,
    pub(crate) shipments: Mutex<HashMap<String, SimShipment>>,
    pub(crate) tokens: Mutex<HashMap<String, DateTime<Utc>>>,
    pub(crate) issued: Mutex<u64>,
    pub(crate) bad_logins: Mutex<HashMap<String, u32>>,
    pub(crate) next_number: Mutex<u64>,
    pub(crate) requests: Mutex<u64>,
    pub(crate) track_cache: Mutex<HashMap<String, (DateTime<Utc>, SimResponse)>>,
    pub(crate) track_cache_for: Mutex<Duration>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The operation name of a path (for faults and logs); paths match case-insensitively.
pub fn operation_of(path: &str) -> &'static str {
    let p = path.trim_end_matches('/');
    [
        (wire::PATH_LOGIN, "LoginAES"),
        (wire::PATH_CREATE, "SETDELIVERY"),
        (wire::PATH_TRACK, "TRACKDELIVERY"),
        (wire::PATH_CANCEL, "CANCELDELIVERY"),
        (wire::PATH_MEASUREMENT, "CARGOMEASUREMENTUPDATE"),
        (wire::PATH_BARCODE, "GETBARCODE"),
        (wire::PATH_BARCODE_BY_TRACKING, "GETBARCODEBYTRACKINGNUMBER"),
        (wire::PATH_CITY_DISTRICTS, "GetCityDistricts"),
    ]
    .into_iter()
    .find(|(wp, _)| p.eq_ignore_ascii_case(wp))
    .map_or("unknown", |(_, op)| op)
}

/// A minimal PDF carrying the tracking number (the simulator's Base64 label).
pub fn pdf_label(tracking_number: u64, receiver: &str) -> Vec<u8> {
    kargojet_carrier_common::sim::one_page_pdf(&format!("Sendeo {tracking_number} {receiver}"))
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|v| v.trim().is_empty())
}

fn query_any(req: &SimRequest, names: &[&str]) -> Option<String> {
    req.query
        .split('&')
        .filter_map(|kv| kv.split_once('=').or(Some((kv, ""))))
        .find(|(k, _)| names.iter().any(|n| k.eq_ignore_ascii_case(n)))
        .and_then(|(k, _)| req.query_param(k))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

impl Handler {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    fn request_id(&self) -> String {
        let n = {
            let mut r = lock(&self.requests);
            *r += 1;
            *r
        };
        let h = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        format!(
            "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
            h >> 32,
            (h >> 16) & 0xffff,
            h & 0xfff,
            (h >> 20) & 0xfff,
            n
        )
    }

    fn envelope(
        &self,
        http: u16,
        id_key: &str,
        result: Value,
        message: Option<&str>,
        code: u16,
        description: Option<&str>,
    ) -> SimResponse {
        let mut v = serde_json::Map::new();
        v.insert(id_key.into(), json!(self.request_id()));
        v.insert("exceptionMessage".into(), json!(message));
        if let Some(d) = description {
            v.insert("exceptionDescription".into(), json!(d));
        }
        v.insert("result".into(), result);
        v.insert("StatusCode".into(), json!(code));
        SimResponse::json(http, &Value::Object(v))
    }

    fn ok(&self, result: Value) -> SimResponse {
        self.envelope(200, "RequestId", result, None, 200, None)
    }

    /// HTTP 500 with `ExceptionMessage`; `code` goes into `StatusCode`.
    fn exception(&self, code: u16, message: &str) -> SimResponse {
        self.envelope(500, "RequestId", Value::Null, Some(message), code, None)
    }

    /// A documented error by its code.
    fn documented(&self, code: u16) -> SimResponse {
        self.exception(code, message_of(code).unwrap_or("Internal Server Error"))
    }

    fn bad_request(&self, description: &str) -> SimResponse {
        self.envelope(
            400,
            "RequestId",
            Value::Null,
            Some("Bad Request"),
            400,
            Some(description),
        )
    }

    fn rejected(&self, code: &str) -> SimResponse {
        match code
            .parse::<u16>()
            .ok()
            .filter(|c| message_of(*c).is_some())
        {
            Some(c) => self.documented(c),
            None => self.exception(500, code),
        }
    }

    fn unauthorized(challenge: &str) -> SimResponse {
        SimResponse {
            status: 401,
            headers: vec![("WWW-Authenticate".into(), challenge.into())],
            body: Vec::new(),
        }
    }

    fn json_body<T: DeserializeOwned>(&self, req: &SimRequest) -> Result<T, SimResponse> {
        let ct = req
            .header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        let media = ct.split(';').next().unwrap_or_default().trim().to_string();
        let json_like = media == "application/json"
            || media == "text/json"
            || (media.starts_with("application/") && media.ends_with("+json"));
        if !json_like {
            let body = json!({
                "type": "https://tools.ietf.org/html/rfc7231#section-6.5.13",
                "title": "Unsupported Media Type",
                "status": 415,
                "traceId": self.request_id(),
            });
            return Err(SimResponse::with_type(
                415,
                "application/problem+json; charset=utf-8",
                body.to_string().into_bytes(),
            ));
        }
        let v: Value = serde_json::from_slice(&req.body)
            .map_err(|e| self.bad_request(&format!("invalid JSON: {e}")))?;
        serde_json::from_value(wire::lower_keys(v)).map_err(|e| self.bad_request(&e.to_string()))
    }

    fn login(&self, req: &SimRequest) -> SimResponse {
        if req.method != "POST" {
            return SimResponse::text(405, "Method Not Allowed");
        }
        let body: wire::LoginBody = match self.json_body(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let refused =
            |message: &str| self.envelope(401, "requestId", Value::Null, Some(message), 401, None);
        let user = body.musteri.unwrap_or_default().trim().to_string();
        let a = &self.account;
        let mut bad = lock(&self.bad_logins);
        let count = bad.entry(user.clone()).or_insert(0);
        if *count >= a.max_bad_logins {
            return refused(BLOCKED);
        }
        if user != a.username || body.sifre.as_deref() != Some(a.password.as_str()) {
            *count += 1;
            return refused(if *count >= a.max_bad_logins {
                BLOCKED
            } else {
                BAD_LOGIN
            });
        }
        *count = 0;
        drop(bad);
        let n = {
            let mut i = lock(&self.issued);
            *i += 1;
            *i
        };
        let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
            "{{\"name\":\"{}\",\"carikod\":\"{}\",\"n\":{n}}}",
            a.username, a.customer_id
        ));
        let token = format!(
            "eyJhbGciOiJIUzI1NiJ9.{claims}.{:016x}",
            n.wrapping_mul(0x9e37_79b9_7f4a_7c15)
        );
        lock(&self.tokens).insert(token.clone(), self.now() + chrono::Duration::hours(20));
        self.envelope(
            200,
            "requestId",
            json!({"Token": token, "CustomerId": a.customer_id}),
            None,
            200,
            None,
        )
    }

    /// `None` when the bearer token is valid, else the 401 Sendeo's ASP.NET stack answers.
    fn check_token(&self, req: &SimRequest) -> Option<SimResponse> {
        let Some(token) = req
            .header("authorization")
            .and_then(|h| {
                let (scheme, value) = h.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| value.trim())
            })
            .filter(|t| !t.is_empty())
        else {
            return Some(Self::unauthorized("Bearer"));
        };
        match lock(&self.tokens).get(token) {
            Some(exp) if *exp > self.now() => None,
            Some(exp) => Some(Self::unauthorized(&format!(
                "Bearer error=\"invalid_token\", error_description=\"The token expired at '{}'\"",
                exp.format("%m/%d/%Y %H:%M:%S")
            ))),
            None => Some(Self::unauthorized("Bearer error=\"invalid_token\"")),
        }
    }

    /// The documented checks of `SETDELIVERY`, in the order of Sendeo's error table.
    fn validate(&self, b: &SetDeliveryBody) -> Result<(), SimResponse> {
        if blank(&b.reference_no) {
            return Err(self.documented(102));
        }
        let kind = match b.delivery_type {
            Some(k @ 1..=6) => k,
            _ => return Err(self.documented(103)),
        };
        let products = match &b.products {
            Some(p) if !p.is_empty() => p,
            _ => return Err(self.documented(104)),
        };
        if b.payment_type != Some(wire::PAYMENT_TYPE) {
            return Err(self.documented(411));
        }
        let collection = match b.collection_type {
            Some(c @ 0..=2) => c,
            _ => return Err(self.documented(105)),
        };
        if collection != wire::COLLECTION_NONE
            && products
                .iter()
                .any(|p| p.price.is_none_or(|x| x.0 <= Decimal::ZERO))
        {
            return Err(self.documented(410));
        }
        if b.collection_price
            .is_some_and(|p| p.0 > Decimal::from(5000))
        {
            return Err(self.exception(500, COD_ABOVE_CAP));
        }
        if !matches!(b.service_type, Some(1 | 2)) {
            return Err(self.bad_request("ServiceType must be 1 or 2"));
        }
        match b.barcode_label_type {
            Some(0..=3) => {}
            Some(8..=10) if !blank(&b.additional_value) => {}
            Some(8..=10) => {
                return Err(
                    self.bad_request("AdditionalValue is required with BarcodeLabelType 8, 9, 10")
                );
            }
            _ => return Err(self.bad_request("BarcodeLabelType must be 0, 1, 2, 3, 8, 9 or 10")),
        }
        let person_receiver = matches!(kind, 1 | 3 | 4);
        if person_receiver && blank(&b.receiver) {
            return Err(self.documented(201));
        }
        if person_receiver && blank(&b.receiver_phone) && blank(&b.receiver_gsm) {
            return Err(self.documented(207));
        }
        if person_receiver && blank(&b.receiver_address) {
            return Err(self.documented(202));
        }
        if kind == 5 && b.receiver_branch_code.is_none_or(|c| c <= 0) {
            return Err(self.bad_request("ReceiverBranchCode is required with DeliveryType 5"));
        }
        self.check_place(
            b.receiver_city_id,
            b.receiver_district_id,
            [203, 204, 205, 206],
        )?;
        if matches!(kind, 2 | 3) && blank(&b.sender) {
            return Err(self.documented(301));
        }
        if blank(&b.sender_phone) && blank(&b.sender_gsm) {
            return Err(self.documented(307));
        }
        if blank(&b.sender_address) {
            return Err(self.documented(302));
        }
        if kind == 6 && b.sender_branch_code.is_none_or(|c| c <= 0) {
            return Err(self.bad_request("SenderBranchCode is required with DeliveryType 6"));
        }
        self.check_place(b.sender_city_id, b.sender_district_id, [303, 304, 305, 306])
    }

    /// `[district zero, city zero, city wrong, district wrong]` codes.
    fn check_place(
        &self,
        city: Option<i64>,
        district: Option<i64>,
        codes: [u16; 4],
    ) -> Result<(), SimResponse> {
        let district = district.unwrap_or(0);
        let city = city.unwrap_or(0);
        if district == 0 {
            return Err(self.documented(codes[0]));
        }
        if city == 0 {
            return Err(self.documented(codes[1]));
        }
        if !geo::is_city(city) {
            return Err(self.documented(codes[2]));
        }
        match geo::district(district) {
            Some(d) if d.city_id == city => Ok(()),
            _ => Err(self.documented(codes[3])),
        }
    }

    fn create_result(&self, s: &SimShipment, label_type: i64, with_id: bool) -> wire::CreateResult {
        let barcodes = s.barcode_numbers();
        let zpls: Vec<String> = barcodes.iter().map(|b| s.zpl(b)).collect();
        let base64 = matches!(label_type, 1 | 9 | 10).then(|| {
            base64::engine::general_purpose::STANDARD
                .encode(pdf_label(s.tracking_number, &s.receiver_upper()))
        });
        wire::CreateResult {
            tracking_number: Some(number(s.tracking_number)),
            tracking_url: Some(format!(
                "https://sube.sendeo.com.tr/takip?ccode={}&musref={}",
                self.account.customer_id,
                s.reference()
            )),
            barcode: base64,
            barcode_zpl: matches!(label_type, 0 | 2 | 8).then(|| zpls.join("\n")),
            barcode_numbers: Some(barcodes.into_iter().map(LooseString).collect()),
            barcode_zpls: (label_type == 3).then_some(zpls),
            shipment_id: with_id.then(|| number(s.shipment_id)),
        }
    }

    fn to_value<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap_or(Value::Null)
    }

    fn create(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let body: SetDeliveryBody = match self.json_body(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return self.rejected(code);
        }
        if let Err(r) = self.validate(&body) {
            return r;
        }
        let reference = body
            .reference_no
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string();
        let mut ships = lock(&self.shipments);
        if ships.contains_key(&reference) {
            return self.exception(500, DUPLICATE_REFERENCE);
        }
        let number = {
            let mut n = lock(&self.next_number);
            let v = *n;
            *n += 1;
            v
        };
        let label_type = body.barcode_label_type.unwrap_or(2);
        let ship = SimShipment {
            body,
            tracking_number: number,
            shipment_id: number - FIRST_TRACKING_NUMBER + 122_425,
            created_at: self.now(),
            cancelled_at: None,
            measured_desi: None,
            updated_desi: None,
            scenario: Default::default(),
        };
        let result = self.create_result(&ship, label_type, false);
        ships.insert(reference, ship);
        self.ok(Self::to_value(&result))
    }

    fn find<'a>(
        ships: &'a HashMap<String, SimShipment>,
        reference: Option<&str>,
        tracking: Option<&str>,
    ) -> Option<&'a SimShipment> {
        match (reference, tracking) {
            (Some(r), _) => ships.get(r),
            (None, Some(t)) => ships.values().find(|s| s.tracking_number.to_string() == t),
            (None, None) => None,
        }
    }

    fn track(&self, req: &SimRequest) -> SimResponse {
        if req.method != "GET" {
            return SimResponse::text(405, "Method Not Allowed");
        }
        let reference = query_any(req, &["referenceNo"]);
        let tracking = query_any(req, &["trackingNo", "trackingNumber"]);
        if reference.is_none() && tracking.is_none() {
            return self.documented(701);
        }
        let now = self.now();
        let cache_key = format!(
            "{}|{}",
            reference.as_deref().unwrap_or_default(),
            tracking.as_deref().unwrap_or_default()
        )
        .to_ascii_lowercase();
        let cache_for = chrono::Duration::from_std(*lock(&self.track_cache_for))
            .unwrap_or(chrono::Duration::zero());
        if let Some((at, resp)) = lock(&self.track_cache).get(&cache_key) {
            if now < *at + cache_for {
                return resp.clone();
            }
        }
        let ships = lock(&self.shipments);
        let Some(s) = Self::find(&ships, reference.as_deref(), tracking.as_deref()) else {
            return self.documented(crate::error::NO_DELIVERY_FOUND);
        };
        let resp = self.ok(Self::to_value(&s.track_result(now, &self.account.title)));
        drop(ships);
        if !cache_for.is_zero() {
            lock(&self.track_cache).insert(cache_key, (now, resp.clone()));
        }
        resp
    }

    fn cancel(&self, req: &SimRequest) -> SimResponse {
        if req.method != "POST" {
            return SimResponse::text(405, "Method Not Allowed");
        }
        let reference = query_any(req, &["referenceNo"]);
        let tracking = query_any(req, &["trackingNo", "trackingNumber"]);
        if reference.is_none() && tracking.is_none() {
            return self.documented(701);
        }
        let now = self.now();
        let mut ships = lock(&self.shipments);
        let key = Self::find(&ships, reference.as_deref(), tracking.as_deref())
            .map(|s| s.reference().to_string());
        let Some(s) = key.and_then(|k| ships.get_mut(&k)) else {
            return self.documented(crate::error::NO_DELIVERY_FOUND);
        };
        if s.state(now) != status::CANCELLABLE {
            return self.documented(crate::error::ALREADY_SENT);
        }
        s.cancelled_at = Some(now);
        self.ok(json!({"IsSuccess": true}))
    }

    fn barcode(&self, req: &SimRequest) -> SimResponse {
        let body: wire::BarcodeBody = match self.json_body(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let Some(reference) = body
            .reference_no
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        else {
            return self.documented(701);
        };
        let Some(label_type) = body
            .barcode_label_type
            .filter(|t| matches!(t, 0..=3 | 8..=10))
        else {
            return self.bad_request("barcodeLabelType must be 0, 1, 2, 3, 8, 9 or 10");
        };
        let ships = lock(&self.shipments);
        let Some(s) = ships.get(reference) else {
            return self.documented(crate::error::NO_DELIVERY_FOUND);
        };
        self.ok(Self::to_value(&self.create_result(s, label_type, true)))
    }

    fn barcode_by_tracking(&self, req: &SimRequest) -> SimResponse {
        let body: wire::BarcodeByTrackingBody = match self.json_body(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let Some(n) = body.tracking_number.filter(|n| *n > 0) else {
            return self.documented(701);
        };
        let ships = lock(&self.shipments);
        let Some(s) = Self::find(&ships, None, Some(&n.to_string())) else {
            return self.documented(crate::error::NO_DELIVERY_FOUND);
        };
        let zpl: Vec<String> = s.barcode_numbers().iter().map(|b| s.zpl(b)).collect();
        self.ok(json!({"barcode": zpl.join("\n")}))
    }

    fn measurement(&self, req: &SimRequest) -> SimResponse {
        let body: wire::MeasurementBody = match self.json_body(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let Some(reference) = body
            .customer_reference_no
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        else {
            return self.documented(701);
        };
        let lines = body.measurements.unwrap_or_default();
        if lines.is_empty() {
            return self.bad_request("Measurements must not be empty");
        }
        let mut total = Decimal::ZERO;
        for l in &lines {
            let deci = l.deci.map_or(Decimal::ZERO, |d| d.0);
            total += deci * Decimal::from(l.quantity.unwrap_or(1).max(1));
        }
        let mut ships = lock(&self.shipments);
        let Some(s) = ships.get_mut(reference) else {
            return self.documented(crate::error::NO_DELIVERY_FOUND);
        };
        s.updated_desi = Some(total);
        self.ok(json!({"IsSuccess": true, "Message": "Ölçüm bilgileri güncellendi."}))
    }

    fn city_districts(&self, req: &SimRequest) -> SimResponse {
        if req.method != "GET" {
            return SimResponse::text(405, "Method Not Allowed");
        }
        let Some(city) = query_any(req, &["CityName"]) else {
            return self.bad_request("CityName is required");
        };
        let district = query_any(req, &["DistrictName"]);
        let rows: Vec<wire::CityDistrict> = geo::query(&city, district.as_deref())
            .into_iter()
            .map(|d| wire::CityDistrict {
                city_id: Some(number(d.city_id)),
                city_name: Some(d.city_name.clone()),
                district_id: Some(number(d.district_id)),
                district_name: Some(d.district_name.clone()),
            })
            .collect();
        self.ok(Self::to_value(&rows))
    }
}

#[async_trait]
impl SimHandler for Handler {
    fn operation(&self, req: &SimRequest) -> String {
        operation_of(&req.path).to_string()
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let op = operation_of(&req.path);
        if op == "LoginAES" {
            if let Some(CarrierFault::Reject(code)) = injected {
                return self.rejected(code);
            }
            return self.login(req);
        }
        if op == "unknown" {
            return SimResponse::text(404, format!("No resource for {} {}", req.method, req.path));
        }
        if let Some(r) = self.check_token(req) {
            return r;
        }
        if op == "SETDELIVERY" {
            if req.method != "POST" {
                return SimResponse::text(405, "Method Not Allowed");
            }
            return self.create(req, injected);
        }
        if let Some(CarrierFault::Reject(code)) = injected {
            return self.rejected(code);
        }
        let post = req.method == "POST";
        match op {
            "TRACKDELIVERY" => self.track(req),
            "CANCELDELIVERY" => self.cancel(req),
            "GetCityDistricts" => self.city_districts(req),
            "GETBARCODE" if post => self.barcode(req),
            "GETBARCODEBYTRACKINGNUMBER" if post => self.barcode_by_tracking(req),
            "CARGOMEASUREMENTUPDATE" if post => self.measurement(req),
            _ => SimResponse::text(405, "Method Not Allowed"),
        }
    }
}
