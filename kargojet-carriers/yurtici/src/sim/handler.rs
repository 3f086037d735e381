//! The simulator's request handling: rules first, then each operation against the state, with
//! answers written from the same wire types the connector reads.

use super::SimUser;
use super::rules::{self, Refusal};
use super::state::{Script, SimShipment};
use crate::config::PaymentType;
use crate::error::{ALREADY_CANCELLED, CARGO_KEY_NOT_FOUND, DUPLICATE_CARGO_KEY};
use crate::wire::*;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse};
use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of_bytes, envelope};
use kargojet_carrier_common::xml::escape_text;
use kargojet_core::time::Clock;
use kargojet_core::time::ManualClock;
use rust_decimal::Decimal;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};

/// The block window on identical queries.
const QUERY_BLOCK_SECS: i64 = 60;

#[derive(Debug, Clone)]
struct ReturnCode {
    active: bool,
}

/// The simulator's state and logic.
pub(crate) struct Handler {
    clock: ManualClock,
    users: Vec<SimUser>,
    shipments: Mutex<BTreeMap<String, SimShipment>>,
    return_codes: Mutex<BTreeMap<(String, String), ReturnCode>>,
    last_queries: Mutex<HashMap<String, DateTime<Utc>>>,
    next_job: AtomicI64,
    next_doc: AtomicI64,
    blocked: AtomicUsize,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn fault(faultcode: &str, text: &str, exception: Option<(i64, &str)>) -> SimResponse {
    let detail = exception.map_or(String::new(), |(code, t)| {
        format!(
            "<detail><ns2:YurticikargoWSException xmlns:ns2=\"{EXCEPTION_NS}\"><errorCode>{code}</errorCode><errText>{}</errText></ns2:YurticikargoWSException></detail>",
            escape_text(t)
        )
    });
    let body = format!(
        "<S:Fault xmlns:ns4=\"http://www.w3.org/2003/05/soap-envelope\"><faultcode>{faultcode}</faultcode><faultstring>{}</faultstring>{detail}</S:Fault>",
        escape_text(text)
    );
    let env = format!(
        "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>{body}</S:Body></S:Envelope>"
    );
    SimResponse::xml(500, env)
}

fn refusal(r: Refusal) -> SimResponse {
    fault(r.faultcode, &r.faultstring, None)
}

fn answer<T: Serialize>(op: Operation, child: &str, result: &T) -> SimResponse {
    match response_body_xml(op, child, result) {
        Ok(body) => SimResponse::xml(200, envelope(SoapVersion::V11, None, &body)),
        Err(e) => fault(
            "S:Server",
            &format!("simulator could not write the answer: {e}"),
            None,
        ),
    }
}

fn digits_only(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

impl Handler {
    pub(crate) fn new(clock: ManualClock, users: Vec<SimUser>) -> Handler {
        Handler {
            clock,
            users,
            shipments: Mutex::new(BTreeMap::new()),
            return_codes: Mutex::new(BTreeMap::new()),
            last_queries: Mutex::new(HashMap::new()),
            next_job: AtomicI64::new(88_120_431),
            next_doc: AtomicI64::new(105_612_345_678),
            blocked: AtomicUsize::new(0),
        }
    }

    pub(crate) fn shipment(&self, key: &str) -> Option<SimShipment> {
        lock(&self.shipments).get(key).cloned()
    }

    pub(crate) fn shipments(&self) -> Vec<SimShipment> {
        lock(&self.shipments).values().cloned().collect()
    }

    pub(crate) fn update(&self, key: &str, f: impl FnOnce(&mut SimShipment)) -> bool {
        lock(&self.shipments).get_mut(key).map(f).is_some()
    }

    pub(crate) fn return_code_active(&self, field: &str, code: &str) -> bool {
        lock(&self.return_codes)
            .get(&(field.to_string(), code.to_string()))
            .is_some_and(|r| r.active)
    }

    pub(crate) fn blocked_queries(&self) -> usize {
        self.blocked.load(Ordering::SeqCst)
    }

    /// The user, or the fault a wrong user/password gets.
    fn authenticate(
        &self,
        name: Option<&str>,
        password: Option<&str>,
    ) -> Result<&SimUser, SimResponse> {
        let found = self.users.iter().find(|u| {
            Some(u.credentials.user_name.as_str()) == name
                && Some(u.credentials.password.as_str()) == password
        });
        found.ok_or_else(|| {
            fault(
                "S:Server",
                "Kullanıcı adı veya şifre hatalı.",
                Some((1, "Kullanıcı adı veya şifre hatalı.")),
            )
        })
    }

    fn language_ok(lang: Option<&str>) -> bool {
        matches!(lang.map(str::trim), Some("TR" | "EN"))
    }

    /// Checks one order; `Err((code, message))` with the documented error code.
    fn check_order(&self, o: &ShippingOrderVO, user: &SimUser) -> Result<(), (i32, &'static str)> {
        let present =
            |v: &Option<String>| v.as_deref().map(str::trim).is_some_and(|s| !s.is_empty());
        let len = |v: &Option<String>| v.as_deref().map_or(0, |s| s.chars().count());
        if !present(&o.cargo_key) {
            return Err((80859, "cargoKey parametresi bulunamadı."));
        }
        if len(&o.cargo_key) > 20 {
            return Err((82500, "cargoKey uzunluğu 20 karakteri geçemez."));
        }
        if !present(&o.invoice_key) {
            return Err((60017, "invoiceKey parametresi bulunamadı."));
        }
        if len(&o.invoice_key) > 20 {
            return Err((82501, "invoiceKey uzunluğu 20 karakteri geçemez."));
        }
        if !present(&o.receiver_cust_name) {
            return Err((60018, "receiverCustName parametresi bulunamadı."));
        }
        if len(&o.receiver_cust_name) > 200 {
            return Err((82503, "receiverCustName çok uzun."));
        }
        if !present(&o.receiver_address) {
            return Err((60019, "receiverAddress parametresi bulunamadı."));
        }
        if len(&o.receiver_address) > 200 {
            return Err((82502, "receiverAddress çok uzun."));
        }
        let phone = o.receiver_phone1.as_deref().unwrap_or("").trim();
        if phone.len() != 10 || !digits_only(phone) {
            return Err((82516, "Telefon numarası hatalı."));
        }
        if let Some(mail) = o
            .email_address
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            && !mail
                .split_once('@')
                .is_some_and(|(a, d)| !a.is_empty() && d.contains('.'))
        {
            return Err((82515, "E-posta adresi hatalı."));
        }
        let cod_fields = o.tt_invoice_amount.is_some()
            || o.tt_collection_type.is_some()
            || o.tt_document_id.is_some();
        let wants = match o.tt_collection_type.as_deref().map(str::trim) {
            None if !cod_fields => PaymentType::SenderPays,
            Some("0") => PaymentType::CodCash,
            Some("1") => PaymentType::CodCard,
            None => return Err((82513, "ttCollectionType 0 veya 1 olmalıdır.")),
            Some(_) => return Err((82513, "ttCollectionType 0 veya 1 olmalıdır.")),
        };
        match user.payment {
            None => {}
            Some(p) if p == wants => {}
            Some(PaymentType::ReceiverPays) if wants == PaymentType::SenderPays => {}
            Some(_) => return Err((82512, "Ödeme tipi kullanıcı sözleşmesi ile uyuşmuyor.")),
        }
        if wants == PaymentType::SenderPays {
            return Ok(());
        }
        match o.tt_invoice_amount {
            None => return Err((82505, "ttInvoiceAmount parametresi bulunamadı.")),
            Some(a)
                if a <= Decimal::ZERO
                    || a.scale() > 2
                    || a >= Decimal::from(10_000_000_000_i64) =>
            {
                return Err((82506, "ttInvoiceAmount hatalı."));
            }
            Some(_) => {}
        }
        match o.tt_document_id {
            None => return Err((82507, "ttDocumentId parametresi bulunamadı.")),
            Some(id) if !(0..1_000_000_000_000).contains(&id) => {
                return Err((82508, "ttDocumentId 12 haneyi geçemez."));
            }
            Some(_) => {}
        }
        if !matches!(
            o.tt_document_save_type.as_deref().map(str::trim),
            Some("0" | "1")
        ) {
            return Err((82514, "ttDocumentSaveType 0 veya 1 olmalıdır."));
        }
        if wants == PaymentType::CodCard {
            match o.dc_selected_credit {
                None => return Err((82509, "dcSelectedCredit parametresi bulunamadı.")),
                Some(n) if !(1..=99).contains(&n) => {
                    return Err((82510, "dcSelectedCredit hatalı."));
                }
                Some(_) => {}
            }
            match o.dc_credit_rule {
                None => return Err((82511, "dcCreditRule parametresi bulunamadı.")),
                Some(0 | 1) => {}
                Some(_) => return Err((82518, "dcCreditRule 0 veya 1 olmalıdır.")),
            }
        }
        Ok(())
    }

    fn create(&self, req: CreateShipment, injected: Option<&CarrierFault>) -> SimResponse {
        let user = match self.authenticate(req.ws_user_name.as_deref(), req.ws_password.as_deref())
        {
            Ok(u) => u.clone(),
            Err(f) => return f,
        };
        if !Self::language_ok(req.user_language.as_deref()) {
            return fault(
                "S:Server",
                "userLanguage TR veya EN olmalıdır.",
                Some((936, "userLanguage TR veya EN olmalıdır.")),
            );
        }
        let job = self.next_job.fetch_add(1, Ordering::SeqCst);
        let now = self.clock.now();
        let mut details = Vec::new();
        let mut any_ok = false;
        let mut held = lock(&self.shipments);
        for o in &req.orders {
            let key = o.cargo_key.clone().unwrap_or_default();
            let outcome = match injected {
                Some(CarrierFault::Reject(code)) => Err((
                    code.parse::<i32>().unwrap_or(936),
                    "Simülatör tarafından reddedildi.",
                )),
                _ => self.check_order(o, &user).and_then(|()| {
                    if held.contains_key(key.trim()) {
                        Err((DUPLICATE_CARGO_KEY, "cargoKey değeri sistemde mevcuttur."))
                    } else {
                        Ok(())
                    }
                }),
            };
            match outcome {
                Ok(()) => {
                    any_ok = true;
                    let measured = (
                        o.desi.unwrap_or(Decimal::from(2)),
                        o.kg.unwrap_or(Decimal::new(15, 1)),
                    );
                    held.insert(
                        key.trim().to_string(),
                        SimShipment {
                            order: o.clone(),
                            user: user.credentials.user_name.clone(),
                            job_id: job,
                            doc_id: self.next_doc.fetch_add(1, Ordering::SeqCst),
                            created_at: now,
                            cancelled_at: None,
                            script: Script::default(),
                            measured,
                            amount: None,
                        },
                    );
                    details.push(ShippingOrderDetailVO {
                        cargo_key: o.cargo_key.clone(),
                        err_code: Some(0),
                        err_message: None,
                        invoice_key: o.invoice_key.clone(),
                    });
                }
                Err((code, msg)) => details.push(ShippingOrderDetailVO {
                    cargo_key: o.cargo_key.clone(),
                    err_code: Some(code),
                    err_message: Some(format!("{key}: {msg}")),
                    invoice_key: o.invoice_key.clone(),
                }),
            }
        }
        drop(held);
        let result = ShippingOrderResultVO {
            out_flag: if any_ok { "0" } else { "1" }.into(),
            out_result: Some(if any_ok { "Başarılı" } else { "Hatalı" }.into()),
            count: Some(i64::try_from(details.len()).unwrap_or(i64::MAX)),
            job_id: Some(if any_ok { job } else { 0 }),
            details,
        };
        answer(Operation::CreateShipment, "ShippingOrderResultVO", &result)
    }

    fn cancel(&self, req: CancelShipment, injected: Option<&CarrierFault>) -> SimResponse {
        let user = match self.authenticate(req.ws_user_name.as_deref(), req.ws_password.as_deref())
        {
            Ok(u) => u.clone(),
            Err(f) => return f,
        };
        if !Self::language_ok(req.user_language.as_deref()) {
            return fault(
                "S:Server",
                "userLanguage TR veya EN olmalıdır.",
                Some((936, "userLanguage TR veya EN olmalıdır.")),
            );
        }
        let now = self.clock.now();
        let mut any_ok = false;
        let mut held = lock(&self.shipments);
        let details: Vec<ShippingCancelDetailVO> = req
            .cargo_keys
            .iter()
            .map(|k| {
                let key = k.trim();
                let base = ShippingCancelDetailVO {
                    cargo_key: Some(key.to_string()),
                    ..Default::default()
                };
                if let Some(CarrierFault::Reject(code)) = injected {
                    return ShippingCancelDetailVO {
                        err_code: Some(code.parse().unwrap_or(936)),
                        err_message: Some("Simülatör tarafından reddedildi.".into()),
                        ..base
                    };
                }
                let Some(s) = held
                    .get_mut(key)
                    .filter(|s| s.user == user.credentials.user_name || user.payment.is_none())
                else {
                    return ShippingCancelDetailVO {
                        err_code: Some(CARGO_KEY_NOT_FOUND),
                        err_message: Some(format!("{key}: Kargo anahtarı bulunamadı.")),
                        ..base
                    };
                };
                let filled = ShippingCancelDetailVO {
                    invoice_key: s.order.invoice_key.clone(),
                    job_id: Some(s.job_id),
                    ..base
                };
                if s.cancelled_at.is_some() {
                    return ShippingCancelDetailVO {
                        err_code: Some(ALREADY_CANCELLED),
                        err_message: Some(format!("{key}: Kargo daha önceden iptal edilmiştir.")),
                        ..filled
                    };
                }
                let st = s.status_at(now);
                if st.cancellable() {
                    s.cancelled_at = Some(now);
                    any_ok = true;
                    let c = crate::status::OperationStatus::Cnl;
                    ShippingCancelDetailVO {
                        err_code: Some(0),
                        operation_code: Some(c.code()),
                        operation_message: Some(c.wording_tr().into()),
                        operation_status: Some(c.mnemonic().into()),
                        ..filled
                    }
                } else {
                    ShippingCancelDetailVO {
                        err_code: Some(0),
                        doc_id: Some(s.doc_id),
                        operation_code: Some(st.code()),
                        operation_message: Some(st.wording_tr().into()),
                        operation_status: Some(st.mnemonic().into()),
                        ..filled
                    }
                }
            })
            .collect();
        drop(held);
        let result = ShippingCancelResultVO {
            out_flag: if any_ok { "0" } else { "1" }.into(),
            out_result: Some(if any_ok { "Başarılı" } else { "Hatalı" }.into()),
            count: Some(i64::try_from(details.len()).unwrap_or(i64::MAX)),
            sender_cust_id: Some(1_234_567),
            details,
        };
        answer(Operation::CancelShipment, "ShippingOrderResultVO", &result)
    }

    fn query(&self, req: QueryShipment, injected: Option<&CarrierFault>) -> SimResponse {
        let user = match self.authenticate(req.ws_user_name.as_deref(), req.ws_password.as_deref())
        {
            Ok(u) => u.clone(),
            Err(f) => return f,
        };
        if !Self::language_ok(req.ws_language.as_deref()) {
            return fault(
                "S:Server",
                "wsLanguage TR veya EN olmalıdır.",
                Some((936, "wsLanguage TR veya EN olmalıdır.")),
            );
        }
        let reply = |out_flag: &str, text: &str, details: Vec<ShippingDeliveryDetailVO>| {
            let r = ShippingDeliveryResultVO {
                out_flag: out_flag.into(),
                out_result: Some(text.into()),
                count: Some(i64::try_from(details.len()).unwrap_or(i64::MAX)),
                sender_cust_id: Some(1_234_567),
                details,
            };
            answer(Operation::QueryShipment, "ShippingDeliveryVO", &r)
        };
        let request_error = |code: i32, msg: &str| {
            reply(
                "1",
                "Hatalı",
                vec![ShippingDeliveryDetailVO {
                    err_code: Some(code),
                    err_message: Some(msg.into()),
                    ..Default::default()
                }],
            )
        };
        let keys: Vec<String> = req
            .keys
            .iter()
            .map(|k| k.trim().to_string())
            .filter(|k| !k.is_empty())
            .collect();
        if keys.is_empty() {
            return request_error(82526, "keys parametresi bulunamadı.");
        }
        let by_invoice = match req.key_type {
            Some(0) => false,
            Some(1) => true,
            _ => return request_error(82527, "keyType parametresi hatalı."),
        };
        // The block on an identical query within about a minute.
        let now = self.clock.now();
        let mut sorted = keys.clone();
        sorted.sort();
        let id = format!(
            "{}|{by_invoice}|{:?}|{:?}|{}",
            user.credentials.user_name,
            req.add_historical_data,
            req.only_tracking,
            sorted.join(",")
        );
        {
            let mut last = lock(&self.last_queries);
            if let Some(t) = last.get(&id)
                && (now - *t).num_seconds() < QUERY_BLOCK_SECS
            {
                self.blocked.fetch_add(1, Ordering::SeqCst);
                return reply(
                    "2",
                    "Aynı sorgu 1 dakika içinde tekrar yapılamaz.",
                    Vec::new(),
                );
            }
            last.insert(id, now);
        }
        let history = req.add_historical_data.unwrap_or(false);
        let held = lock(&self.shipments);
        let details: Vec<ShippingDeliveryDetailVO> = keys
            .iter()
            .map(|k| {
                if let Some(CarrierFault::Reject(code)) = injected {
                    return ShippingDeliveryDetailVO {
                        cargo_key: Some(k.clone()),
                        err_code: Some(code.parse().unwrap_or(936)),
                        err_message: Some("Simülatör tarafından reddedildi.".into()),
                        ..Default::default()
                    };
                }
                let found = if by_invoice {
                    held.values()
                        .find(|s| s.order.invoice_key.as_deref().map(str::trim) == Some(k.as_str()))
                } else {
                    held.get(k)
                };
                match found
                    .filter(|s| s.user == user.credentials.user_name || user.payment.is_none())
                {
                    Some(s) => s.delivery_detail(now, history),
                    None => ShippingDeliveryDetailVO {
                        cargo_key: Some(k.clone()),
                        err_code: Some(CARGO_KEY_NOT_FOUND),
                        err_message: Some(format!("{k}: Kargo anahtarı bulunamadı.")),
                        ..Default::default()
                    },
                }
            })
            .collect();
        drop(held);
        let any_ok = details.iter().any(|d| d.err_code == Some(0));
        reply(
            if any_ok { "0" } else { "1" },
            if any_ok { "Başarılı" } else { "Hatalı" },
            details,
        )
    }

    fn save_return(
        &self,
        req: SaveReturnShipmentCode,
        injected: Option<&CarrierFault>,
    ) -> SimResponse {
        if let Err(f) = self.authenticate(req.ws_user_name.as_deref(), req.ws_password.as_deref()) {
            return f;
        }
        let op = Operation::SaveReturnShipmentCode;
        let reply = |flag: &str, text: &str, code: &str| {
            answer(
                op,
                "ExtendedBaseResultVO",
                &ExtendedBaseResultVO {
                    out_flag: flag.into(),
                    out_result: Some(text.into()),
                    err_code: Some(code.into()),
                },
            )
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return reply("1", "Simülatör tarafından reddedildi.", code);
        }
        let field = req.field_name.as_deref().map(str::trim).unwrap_or("");
        let code = req.return_code.as_deref().map(str::trim).unwrap_or("");
        let date_ok = |d: &Option<String>| {
            d.as_deref().is_some_and(|d| {
                d.len() == 8 && digits_only(d) && crate::map::parse_tr_datetime(d, None).is_some()
            })
        };
        if !matches!(field, "16" | "53" | "3")
            || code.is_empty()
            || !date_ok(&req.start_date)
            || !date_ok(&req.end_date)
            || !Self::language_ok(req.ws_language.as_deref())
        {
            return reply("1", "Parametreler hatalı.", "936");
        }
        lock(&self.return_codes).insert(
            (field.to_string(), code.to_string()),
            ReturnCode { active: true },
        );
        reply("0", "Başarılı", "0")
    }

    fn cancel_return(
        &self,
        req: CancelReturnShipmentCode,
        injected: Option<&CarrierFault>,
    ) -> SimResponse {
        if let Err(f) = self.authenticate(req.ws_user_name.as_deref(), req.ws_password.as_deref()) {
            return f;
        }
        let op = Operation::CancelReturnShipmentCode;
        let reply = |flag: &str, text: &str, code: &str| {
            answer(
                op,
                "ExtendedBaseResultVO",
                &ExtendedBaseResultVO {
                    out_flag: flag.into(),
                    out_result: Some(text.into()),
                    err_code: Some(code.into()),
                },
            )
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return reply("1", "Simülatör tarafından reddedildi.", code);
        }
        let key = (
            req.field_name.unwrap_or_default().trim().to_string(),
            req.return_code.unwrap_or_default().trim().to_string(),
        );
        match lock(&self.return_codes).get_mut(&key) {
            Some(rc) if rc.active => {
                rc.active = false;
                reply("0", "Başarılı", "0")
            }
            _ => reply("1", "İade kodu bulunamadı.", "936"),
        }
    }
}

fn parse<T: DeserializeOwned>(inner_xml: &str) -> Result<T, SimResponse> {
    quick_xml::de::from_str(inner_xml)
        .map_err(|e| fault("S:Client", &format!("Unmarshalling Error: {e}"), None))
}

#[async_trait]
impl SimHandler for Handler {
    fn operation(&self, req: &SimRequest) -> String {
        match body_of_bytes(&req.body) {
            Ok(SoapBody::Payload { element, .. }) => element.to_string(),
            _ => "unknown".to_string(),
        }
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        if req.path != SERVICE_PATH {
            return SimResponse::text(404, format!("Not Found: {}", req.path));
        }
        if req.method != "POST" {
            return SimResponse::text(405, "Method Not Allowed");
        }
        if let Err(r) = rules::check_soap_action(req.soap_action().as_deref()) {
            return refusal(r);
        }
        let Ok(text) = std::str::from_utf8(&req.body) else {
            return fault(
                "S:Client",
                "Invalid byte sequence: the request is not UTF-8",
                None,
            );
        };
        let op = match rules::check_body(text) {
            Ok(op) => op,
            Err(r) => return refusal(r),
        };
        let inner = match body_of_bytes(&req.body) {
            Ok(SoapBody::Payload { inner_xml, .. }) => inner_xml,
            Ok(SoapBody::Fault(_)) => return fault("S:Client", "a fault is not a request", None),
            Err(e) => {
                return fault(
                    "S:Client",
                    &format!("Couldn't create SOAP message: {e}"),
                    None,
                );
            }
        };
        let result = match op {
            Operation::CreateShipment => parse(inner).map(|r| self.create(r, injected)),
            Operation::CancelShipment => parse(inner).map(|r| self.cancel(r, injected)),
            Operation::QueryShipment => parse(inner).map(|r| self.query(r, injected)),
            Operation::SaveReturnShipmentCode => {
                parse(inner).map(|r| self.save_return(r, injected))
            }
            Operation::CancelReturnShipmentCode => {
                parse(inner).map(|r| self.cancel_return(r, injected))
            }
        };
        result.unwrap_or_else(|f| f)
    }
}
