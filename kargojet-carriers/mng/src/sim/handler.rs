//! The simulator's request handling: routes ApiZone's paths under `/mngapi/api` and the legacy
//! SOAP endpoint, enforces the documented rules (application keys on every call, a JWT from
//! `/token` living on the simulated clock, JSON content type, exact key spelling, required keys,
//! codes from CBS, one order per `referenceId`) and answers with MNG's envelopes.

use super::Account;
use super::cbs;
use super::state::{Scenario, SimOrder, SimReturn, SimShipment, zpl};
use crate::wire::{self, CreateOrderBody};
use async_trait::async_trait;
use base64::Engine;
use chrono::{DateTime, Timelike, Utc};
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse};
use kargojet_core::time::{Clock, ManualClock, turkey_offset};
use kargojet_core::tracking::ShipmentStatus;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// Path of the legacy SOAP service on the simulator.
pub const LEGACY_PATH: &str = "/musterikargosiparis/musterisiparisnew.asmx";

/// Shared state of one simulator.
#[derive(Debug)]
pub struct Handler {
    pub(crate) clock: ManualClock,
    pub(crate) account: Account,
    pub(crate) orders: Mutex<HashMap<String, SimOrder>>,
    pub(crate) returns: Mutex<HashMap<String, SimReturn>>,
    pub(crate) tokens: Mutex<HashMap<String, DateTime<Utc>>>,
    pub(crate) issued: Mutex<u64>,
    pub(crate) shipments_made: Mutex<u64>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The API's error envelope.
pub fn api_error(http: u16, code: &str, description: &str) -> SimResponse {
    SimResponse::json(
        http,
        &json!({"error": {"Code": code, "Description": description, "Message": description}}),
    )
}

/// The gateway's error envelope.
pub fn gateway_error(http: u16, message: &str, more: &str) -> SimResponse {
    SimResponse::json(
        http,
        &json!({"httpCode": http.to_string(), "httpMessage": message, "moreInformation": more}),
    )
}

fn bad(description: impl AsRef<str>) -> SimResponse {
    api_error(400, "VALIDATION", description.as_ref())
}

/// The operation name of a request (for faults and logs). Both status paths are
/// `getshipmentstatus`; the legacy operations are named after their SOAP method.
pub fn operation_of(req: &SimRequest) -> String {
    if req.path == LEGACY_PATH {
        return super::legacy::operation(req);
    }
    let Some(p) = req.path.strip_prefix(wire::API_PREFIX) else {
        return "unknown".into();
    };
    let op = match p {
        wire::PATH_TOKEN => "token",
        wire::PATH_CITIES => "getcities",
        wire::PATH_CREATE_ORDER => "createOrder",
        wire::PATH_CREATE_BARCODE => "createbarcode",
        p if tail(p, wire::PATH_DISTRICTS).is_some() => "getdistricts",
        p if tail(p, wire::PATH_CANCEL_ORDER).is_some() => "cancelorder",
        p if tail(p, wire::PATH_STATUS).is_some() => "getshipmentstatus",
        p if tail(p, wire::PATH_STATUS_BY_SHIPMENT_ID).is_some() => "getshipmentstatus",
        _ => "unknown",
    };
    op.to_string()
}

/// The last path segment after `prefix/`, when the path is exactly that.
fn tail<'a>(path: &'a str, prefix: &str) -> Option<&'a str> {
    path.strip_prefix(prefix)?
        .strip_prefix('/')
        .filter(|t| !t.is_empty() && !t.contains('/'))
}

impl Handler {
    fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// `None` when the application keys are right, else the gateway's 401.
    fn check_application(&self, req: &SimRequest) -> Option<SimResponse> {
        let a = &self.account;
        let id = req.header(wire::HEADER_CLIENT_ID).map(str::trim);
        let secret = req.header(wire::HEADER_CLIENT_SECRET).map(str::trim);
        if id.is_none() {
            return Some(gateway_error(
                401,
                "Unauthorized",
                "Client id not provided.",
            ));
        }
        if id != Some(a.client_id.as_str()) || secret != Some(a.client_secret.as_str()) {
            return Some(gateway_error(
                401,
                "Unauthorized",
                "Invalid client id or secret.",
            ));
        }
        None
    }

    /// `None` when the bearer JWT is valid, else the API's 401.
    fn check_token(&self, req: &SimRequest) -> Option<SimResponse> {
        let Some(jwt) = req
            .header("authorization")
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
        else {
            return Some(api_error(
                401,
                "INVALID_TOKEN",
                "Authorization: Bearer <jwt> zorunludur",
            ));
        };
        match lock(&self.tokens).get(jwt) {
            Some(exp) if *exp > self.now() => None,
            Some(_) => Some(api_error(401, "INVALID_TOKEN", "JWT süresi doldu")),
            None => Some(api_error(401, "INVALID_TOKEN", "Geçersiz JWT")),
        }
    }

    fn parse<T: serde::de::DeserializeOwned>(req: &SimRequest) -> Result<T, SimResponse> {
        let ct = req
            .header("content-type")
            .unwrap_or_default()
            .to_ascii_lowercase();
        if !ct.starts_with("application/json") {
            return Err(api_error(
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                &format!("Content-Type '{ct}' desteklenmiyor; application/json bekleniyor"),
            ));
        }
        serde_json::from_slice(&req.body)
            .map_err(|e| api_error(400, "BAD_REQUEST", &format!("İstek okunamadı: {e}")))
    }

    fn issue_token(&self, req: &SimRequest) -> SimResponse {
        let body: wire::TokenBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        let a = &self.account;
        if body.identity_type != wire::IDENTITY_TYPE_CUSTOMER {
            return bad("identityType 1 olmalıdır");
        }
        if body.customer_number != a.customer_number || body.password != a.password {
            return api_error(
                401,
                "INVALID_CREDENTIALS",
                "Müşteri numarası veya şifre hatalı",
            );
        }
        let n = {
            let mut i = lock(&self.issued);
            *i += 1;
            *i
        };
        let lifetime =
            chrono::Duration::from_std(a.token_lifetime).unwrap_or(chrono::Duration::hours(1));
        // jwtExpireDate has minute precision: the token dies at the minute the client is told.
        let exp = (self.now() + lifetime)
            .with_second(0)
            .and_then(|t| t.with_nanosecond(0))
            .unwrap_or_else(|| self.now() + lifetime);
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let claims = json!({"sub": a.customer_number, "jti": n, "exp": exp.timestamp()});
        let jwt = format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.{}",
            b64.encode(claims.to_string()),
            b64.encode(format!("kargojet-sim-{n}"))
        );
        lock(&self.tokens).insert(jwt.clone(), exp);
        let shown = exp.with_timezone(&turkey_offset()).format("%d-%m-%Y %H:%M");
        SimResponse::json(
            200,
            &json!({"jwt": jwt, "jwtExpireDate": shown.to_string()}),
        )
    }

    fn validate_order(&self, b: &CreateOrderBody) -> Result<String, SimResponse> {
        let o = &b.order;
        let flag = |v: Option<u8>| v.is_none_or(|v| v <= 1);
        if o.reference_id.trim().is_empty() {
            return Err(bad("order.referenceId zorunludur"));
        }
        if o.barcode.trim().is_empty() {
            return Err(bad("order.barcode zorunludur"));
        }
        if o.is_cod > 1 {
            return Err(bad("order.isCOD 0 veya 1 olmalıdır"));
        }
        if o.is_cod == 1 && o.cod_amount.0 <= Decimal::ZERO {
            return Err(bad(
                "Kapıda ödemeli gönderide codAmount sıfırdan büyük olmalıdır",
            ));
        }
        if o.cod_amount.0 < Decimal::ZERO || o.cod_amount.0.scale() > 2 {
            return Err(bad("order.codAmount geçersiz"));
        }
        if ![1, 7, 8].contains(&o.shipment_service_type) {
            return Err(bad("order.shipmentServiceType 1, 7 veya 8 olmalıdır"));
        }
        if !(1..=4).contains(&o.packaging_type) {
            return Err(bad("order.packagingType 1-4 olmalıdır"));
        }
        if ![1, 2].contains(&o.payment_type) {
            return Err(bad("order.paymentType 1 veya 2 olmalıdır"));
        }
        if o.delivery_type != wire::DELIVERY_TO_ADDRESS {
            return Err(bad("order.deliveryType 1 olmalıdır"));
        }
        if !(flag(o.sms_preference1) && flag(o.sms_preference2) && flag(o.sms_preference3)) {
            return Err(bad("smsPreference değerleri 0 veya 1 olmalıdır"));
        }
        if b.order_piece_list.is_empty() {
            return Err(bad("orderPieceList boş olamaz"));
        }
        let mut seen = std::collections::HashSet::new();
        for p in &b.order_piece_list {
            if p.barcode.trim().is_empty() || !seen.insert(p.barcode.as_str()) {
                return Err(bad("orderPieceList barkodları dolu ve tekil olmalıdır"));
            }
        }
        let r = &b.recipient;
        if r.full_name.trim().is_empty() || r.address.trim().is_empty() {
            return Err(bad("recipient.fullName ve recipient.address zorunludur"));
        }
        let phone = &r.mobile_phone_number;
        if phone.len() != 10 || !phone.bytes().all(|c| c.is_ascii_digit()) || phone.starts_with('0')
        {
            return Err(bad(
                "recipient.mobilePhoneNumber başında 0 olmadan 10 hane olmalıdır",
            ));
        }
        if cbs::plate(r.city_code).is_none() {
            return Err(bad(format!("cityCode {} bulunamadı", r.city_code)));
        }
        cbs::district_name(r.city_code, r.district_code).ok_or_else(|| {
            bad(format!(
                "districtCode {} cityCode {} iline ait değil",
                r.district_code, r.city_code
            ))
        })
    }

    fn create_order(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let body: CreateOrderBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return api_error(500, code, "Sipariş oluşturulamadı");
        }
        let district_name = match self.validate_order(&body) {
            Ok(d) => d,
            Err(r) => return r,
        };
        let key = body.order.reference_id.clone();
        let mut orders = lock(&self.orders);
        if orders.contains_key(&key) {
            return api_error(
                500,
                crate::error::DUPLICATE_ORDER,
                "BU SİPARİS NUMARASINA AİT KAYIT ZATEN VAR!",
            );
        }
        orders.insert(
            key.clone(),
            SimOrder {
                body,
                created_at: self.now(),
                cancelled_at: None,
                shipment: None,
                district_name,
            },
        );
        SimResponse::json(
            200,
            &json!([{"orderInvoiceId": key, "orderInvoiceDetailId": "1", "shipperBranchCode": self.account.branch_code}]),
        )
    }

    fn create_barcode(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let body: wire::CreateBarcodeBody = match Self::parse(req) {
            Ok(b) => b,
            Err(r) => return r,
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            let text = if code == crate::error::BRANCH_NOT_FOUND {
                "VARIŞ ŞUBESİ BULUNAMADI"
            } else {
                "Barkod oluşturulamadı"
            };
            return api_error(500, code, text);
        }
        let key = body.reference_id;
        let mut orders = lock(&self.orders);
        let Some(order) = orders.get_mut(&key) else {
            return api_error(
                400,
                "ORDER_NOT_FOUND",
                &format!("{key} numaralı sipariş bulunamadı"),
            );
        };
        if order.cancelled_at.is_some() {
            return api_error(
                400,
                "ORDER_CANCELLED",
                &format!("{key} numaralı sipariş iptal edilmiş"),
            );
        }
        if let Some(answer) = order.barcode_answer() {
            // A converted order keeps its one shipment: its barcodes are issued again.
            return SimResponse::json(200, &answer);
        }
        let n = {
            let mut m = lock(&self.shipments_made);
            *m += 1;
            *m
        };
        let shipment_id = format!("301{n:08}");
        let count = order.body.order_piece_list.len();
        let barcodes = (1..=count)
            .map(|i| (i, zpl(&shipment_id, i, count)))
            .collect();
        let (desi, kg) = order.declared();
        let s = SimShipment {
            shipment_id,
            converted_at: self.now(),
            scenario: Scenario::default(),
            measured_desi: desi,
            measured_kg: kg,
            barcodes,
        };
        order.shipment = Some(s);
        SimResponse::json(200, &order.barcode_answer().unwrap_or(Value::Null))
    }

    fn cancel_order(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let key = req.path.rsplit('/').next().unwrap_or_default().to_string();
        if let Some(CarrierFault::Reject(code)) = injected {
            return api_error(500, code, "Sipariş iptal edilemedi");
        }
        let now = self.now();
        let mut orders = lock(&self.orders);
        let Some(order) = orders.get_mut(&key) else {
            return api_error(
                404,
                "ORDER_NOT_FOUND",
                &format!("{key} numaralı sipariş bulunamadı"),
            );
        };
        match order.status(now) {
            Some(ShipmentStatus::Cancelled) => {
                api_error(400, "ALREADY_CANCELLED", "Sipariş zaten iptal edilmiş")
            }
            None | Some(ShipmentStatus::Created) => {
                order.cancelled_at = Some(now);
                SimResponse::with_type(200, "application/json; charset=utf-8", Vec::new())
            }
            Some(_) => api_error(
                400,
                "NOT_CANCELLABLE",
                "Kargoya verilmiş gönderi iptal edilemez",
            ),
        }
    }

    fn status(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        if let Some(CarrierFault::Reject(code)) = injected {
            return api_error(500, code, "Sorgulama yapılamadı");
        }
        let now = self.now();
        let id = req.path.rsplit('/').next().unwrap_or_default();
        let by_shipment = req
            .path
            .contains(&format!("{}/", wire::PATH_STATUS_BY_SHIPMENT_ID));
        let orders = lock(&self.orders);
        let order = if by_shipment {
            orders
                .values()
                .find(|o| o.shipment.as_ref().is_some_and(|s| s.shipment_id == id))
        } else {
            orders.get(id)
        };
        match order.and_then(|o| o.status_item(now, &self.account.branch_name)) {
            Some(item) => SimResponse::json(200, &Value::Array(vec![item])),
            None => api_error(
                404,
                "NOT_FOUND",
                &format!("{id} için takip bilgisi bulunamadı"),
            ),
        }
    }

    fn cbs(&self, req: &SimRequest, op: &str) -> SimResponse {
        let list = if op == "getcities" {
            Some(cbs::cities())
        } else {
            req.path
                .rsplit('/')
                .next()
                .and_then(|c| c.parse::<u32>().ok())
                .and_then(cbs::districts)
        };
        match list {
            Some(l) => SimResponse::json(200, &serde_json::to_value(l).unwrap_or(Value::Null)),
            None => api_error(404, "NOT_FOUND", "İl bulunamadı"),
        }
    }
}

#[async_trait]
impl SimHandler for Handler {
    fn operation(&self, req: &SimRequest) -> String {
        operation_of(req)
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let op = operation_of(req);
        if req.path == LEGACY_PATH {
            return super::legacy::handle(self, req, &op, injected);
        }
        if op == "unknown" {
            return gateway_error(404, "Not Found", "No resources match requested URI");
        }
        if let Some(r) = self.check_application(req) {
            return r;
        }
        let method = req.method.as_str();
        let expected = match op.as_str() {
            "token" | "createOrder" | "createbarcode" => "POST",
            "cancelorder" => "PUT",
            _ => "GET",
        };
        if method != expected {
            return gateway_error(
                405,
                "Method Not Allowed",
                &format!("{op} expects {expected}"),
            );
        }
        match op.as_str() {
            "token" => return self.issue_token(req),
            "getcities" | "getdistricts" => return self.cbs(req, &op),
            _ => {}
        }
        if let Some(r) = self.check_token(req) {
            return r;
        }
        match op.as_str() {
            "createOrder" => self.create_order(req, injected),
            "createbarcode" => self.create_barcode(req, injected),
            "cancelorder" => self.cancel_order(req, injected),
            _ => self.status(req, injected),
        }
    }
}
