//! A simulator of both Aras services on 127.0.0.1 (feature `sim`), speaking the real protocol:
//! the ASMX order service at [`wire::ORDER_PATH`] and the WCF query service at
//! [`wire::QUERY_PATH`], SOAP 1.1 envelopes, each service's SOAPAction convention, credentials
//! per service (the query service's `LoginInfo` adds `CustomerCode`), result codes inside
//! HTTP 200 and JSON carried as text in `GetQueryJSONResult`.
//!
//! It checks requests against the carrier's documented rules with its own tables (not with
//! `wire.rs`), so a wrong element name in the connector is caught: unknown elements and wrong
//! namespaces are SOAP faults, a wrong SOAPAction gets the fault each server gives, missing
//! fields get their documented codes (937–941, 935, 70020–70035, 942 …).
//!
//! Every shipment follows a [`Scenario`] on the injected clock; the waybill is cut at the first
//! step (2 h), after which cancel answers `999` and a resend `60020`.

use crate::config::{ArasAccount, ArasConfig, Timeouts};
use crate::error::{CANCEL_CODES, SET_ORDER_CODES, lookup};
use crate::wire;
use crate::xml::{self, Element};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::http::HttpConfig;
use kargojet_carrier_common::sim::{
    CarrierFault, FaultBuilder, SimHandler, SimRequest, SimResponse, SimServer, Timeline,
};
use kargojet_carrier_common::soap::{self, NS_SOAP11, NS_SOAP12, SoapVersion};
use kargojet_carrier_common::xml::escape_text;
use kargojet_core::carrier::AccountId;
use kargojet_core::money::parse_decimal;
use kargojet_core::time::{Clock, ManualClock, turkey_offset};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Operation names, as used for fault injection and request counting.
pub mod ops {
    /// `SetOrder`.
    pub const SET_ORDER: &str = "SetOrder";
    /// `CancelDispatch`.
    pub const CANCEL: &str = "CancelDispatch";
    /// `GetOrderWithIntegrationCode`.
    pub const GET_ORDER: &str = "GetOrderWithIntegrationCode";
    /// `GetQueryJSON`.
    pub const QUERY_JSON: &str = "GetQueryJSON";
}

/// `Order` children documented by the carrier [SEVK] (plus `SenderAccountAddressId` from its
/// sample).
const ORDER_FIELDS: &[&str] = &[
    "UserName",
    "Password",
    "TradingWaybillNumber",
    "InvoiceNumber",
    "IntegrationCode",
    "ReceiverName",
    "ReceiverAddress",
    "ReceiverPhone1",
    "ReceiverPhone2",
    "ReceiverPhone3",
    "ReceiverCityName",
    "ReceiverTownName",
    "VolumetricWeight",
    "Weight",
    "PieceCount",
    "SpecialField1",
    "SpecialField2",
    "SpecialField3",
    "IsCod",
    "CodAmount",
    "CodCollectionType",
    "CodBillingType",
    "Description",
    "TaxNumber",
    "TaxOffice",
    "PrivilegeOrder",
    "CityCode",
    "TownCode",
    "ReceiverDistrictName",
    "ReceiverQuarterName",
    "ReceiverAvenueName",
    "ReceiverStreetName",
    "PayorTypeCode",
    "IsWorldWide",
    "PieceDetails",
    "SenderAccountAddressId",
];
/// `PieceDetail` children [SEVK].
const PIECE_FIELDS: &[&str] = &[
    "VolumetricWeight",
    "Weight",
    "BarcodeNumber",
    "ProductNumber",
    "Description",
];

/// How a simulated shipment moves after the waybill is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scenario {
    /// 1 → 2 → 7 → 3 → 4 → 6: picked up, in transit, redirected, at branch, out for delivery,
    /// delivered.
    #[default]
    Delivered,
    /// Out for delivery, devir `AY` (address wrong), then returned (`TIP_KODU` 3) to the sender.
    FailedThenReturned,
    /// At the branch with devir `HT` (damaged).
    Damaged,
}

/// One step of a scenario: the codes the query service reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// `DURUM_KODU`.
    pub durum: &'static str,
    /// `TIP_KODU`.
    pub tip: &'static str,
    /// `DEVIR_KODU`, if any.
    pub devir: Option<&'static str>,
    /// `DURUMU`.
    pub text: &'static str,
    /// `DURUM_EN`.
    pub en: &'static str,
}

const fn step(
    durum: &'static str,
    tip: &'static str,
    devir: Option<&'static str>,
    text: &'static str,
    en: &'static str,
) -> Step {
    Step {
        durum,
        tip,
        devir,
        text,
        en,
    }
}

fn hours(h: u64) -> Duration {
    Duration::from_secs(h * 3600)
}

/// When the branch cuts the waybill (the first step of every scenario).
pub const WAYBILL_AFTER: Duration = Duration::from_secs(2 * 3600);

impl Scenario {
    /// The scripted steps, by offset from `SetOrder`.
    pub fn timeline(self) -> Timeline<Step> {
        let picked = step("1", "1", None, "ÇIKIŞ ŞUBESİNDE", "AT ORIGIN BRANCH");
        let transit = step("2", "1", None, "YOLDA", "IN TRANSIT");
        let branch = step("3", "1", None, "TESLİMAT ŞUBESİNDE", "AT DELIVERY BRANCH");
        let out = step("4", "1", None, "TESLİMATTA", "OUT FOR DELIVERY");
        let steps = match self {
            Scenario::Delivered => vec![
                (WAYBILL_AFTER, picked),
                (hours(8), transit),
                (
                    hours(14),
                    step("7", "2", None, "YÖNLENDİRİLDİ", "REDIRECTED"),
                ),
                (hours(20), branch),
                (hours(26), out),
                (
                    hours(30),
                    step("6", "1", None, "TESLİM EDİLDİ", "DELIVERED"),
                ),
            ],
            Scenario::FailedThenReturned => vec![
                (WAYBILL_AFTER, picked),
                (hours(8), transit),
                (hours(20), branch),
                (hours(26), out),
                (
                    hours(30),
                    step("4", "1", Some("AY"), "TESLİMATTA", "OUT FOR DELIVERY"),
                ),
                (hours(48), step("2", "3", None, "YOLDA", "IN TRANSIT")),
                (
                    hours(72),
                    step("6", "3", None, "TESLİM EDİLDİ", "DELIVERED"),
                ),
            ],
            Scenario::Damaged => vec![
                (WAYBILL_AFTER, picked),
                (hours(8), transit),
                (
                    hours(20),
                    step(
                        "3",
                        "1",
                        Some("HT"),
                        "TESLİMAT ŞUBESİNDE",
                        "AT DELIVERY BRANCH",
                    ),
                ),
            ],
        };
        Timeline::new(steps)
    }
}

#[derive(Debug, Clone)]
struct SimOrder {
    fields: BTreeMap<String, String>,
    barcodes: Vec<String>,
    created_at: DateTime<Utc>,
    sends: u32,
    tracking: String,
    scenario: Scenario,
    measured_desi: Decimal,
}

#[derive(Debug)]
struct State {
    clock: ManualClock,
    account: ArasAccount,
    orders: Mutex<BTreeMap<String, SimOrder>>,
    scenarios: Mutex<HashMap<String, Scenario>>,
    measured: Mutex<HashMap<String, Decimal>>,
    next_tracking: AtomicU64,
    /// How many of the next answers go out in Windows-1254 (a legacy Turkish code page).
    legacy_encoding: AtomicU64,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// A running Aras simulator.
#[derive(Debug)]
pub struct ArasSim {
    server: SimServer,
    state: Arc<State>,
}

impl ArasSim {
    /// Starts the simulator with the carrier's published test account; needs a tokio runtime.
    pub fn start(clock: ManualClock) -> std::io::Result<ArasSim> {
        ArasSim::start_with(clock, ArasAccount::sandbox())
    }

    /// Starts the simulator accepting `account`'s credentials.
    pub fn start_with(clock: ManualClock, account: ArasAccount) -> std::io::Result<ArasSim> {
        let state = Arc::new(State {
            clock,
            account,
            orders: Mutex::default(),
            scenarios: Mutex::default(),
            measured: Mutex::default(),
            next_tracking: AtomicU64::new(1),
            legacy_encoding: AtomicU64::new(0),
        });
        let server = SimServer::start(Arc::new(Handler {
            state: state.clone(),
        }))?;
        Ok(ArasSim { server, state })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server (request log, all faults).
    pub fn server(&self) -> &SimServer {
        &self.server
    }

    /// The clock the shipments move on.
    pub fn clock(&self) -> &ManualClock {
        &self.state.clock
    }

    /// A connector configuration pointing at this simulator with valid credentials and short
    /// deadlines.
    pub fn connector_config(&self) -> ArasConfig {
        let mut c = ArasConfig::new(
            format!("{}{}", self.base_url(), wire::ORDER_PATH),
            format!("{}{}", self.base_url(), wire::QUERY_PATH),
            AccountId::platform(),
            self.state.account.clone(),
        );
        c.timeouts = Timeouts {
            create: Duration::from_millis(800),
            query: Duration::from_millis(800),
            cancel: Duration::from_millis(800),
        };
        c
    }

    /// HTTP settings for tests against the simulator (fast retries).
    pub fn http_config(&self) -> HttpConfig {
        HttpConfig::fast()
    }

    /// Faults for `SetOrder` (e.g. `.reject("1002")`, `.timeout().after_processing()`).
    pub fn create_shipment(&self) -> FaultBuilder {
        self.server.faults().on(ops::SET_ORDER)
    }

    /// Faults for `GetQueryJSON`.
    pub fn track(&self) -> FaultBuilder {
        self.server.faults().on(ops::QUERY_JSON)
    }

    /// Faults for `CancelDispatch`.
    pub fn cancel(&self) -> FaultBuilder {
        self.server.faults().on(ops::CANCEL)
    }

    /// Faults for `GetOrderWithIntegrationCode`.
    pub fn lookup_order(&self) -> FaultBuilder {
        self.server.faults().on(ops::GET_ORDER)
    }

    /// Sends the next `n` answers encoded in Windows-1254 instead of UTF-8 (as legacy Turkish
    /// .NET services sometimes do), to test that such bodies are refused, not misread.
    pub fn answer_in_windows_1254(&self, n: u64) {
        self.state.legacy_encoding.store(n, Ordering::Relaxed);
    }

    /// Makes the shipment with this key follow `scenario` (set before it is created).
    pub fn script(&self, key: &str, scenario: Scenario) {
        lock(&self.state.scenarios).insert(key.to_string(), scenario);
    }

    /// The desi the branch measured for this key, reported from then on (default: the declared
    /// desi rounded up).
    pub fn set_measured_desi(&self, key: &str, desi: Decimal) {
        lock(&self.state.measured).insert(key.to_string(), desi);
    }

    /// How many orders the order service holds.
    pub fn order_count(&self) -> usize {
        lock(&self.state.orders).len()
    }

    /// Whether an order with this key exists.
    pub fn has_order(&self, key: &str) -> bool {
        lock(&self.state.orders).contains_key(key)
    }

    /// How many times `SetOrder` was accepted for this key.
    pub fn sends(&self, key: &str) -> u32 {
        lock(&self.state.orders).get(key).map_or(0, |o| o.sends)
    }

    /// The tracking number the carrier gave this key (exists from creation, reported after the
    /// waybill is cut).
    pub fn tracking_number(&self, key: &str) -> Option<String> {
        lock(&self.state.orders)
            .get(key)
            .map(|o| o.tracking.clone())
    }

    /// Requests received for an operation (see [`ops`]).
    pub fn calls(&self, op: &str) -> usize {
        self.server.calls(op)
    }
}

struct Handler {
    state: Arc<State>,
}

enum Service {
    Order,
    Query,
}

/// A SOAP 1.1 fault answer (HTTP 500, as ASMX and WCF send them).
fn fault(code: &str, text: &str) -> SimResponse {
    let body = format!(
        "<soap:Fault><faultcode>{}</faultcode><faultstring>{}</faultstring><detail /></soap:Fault>",
        escape_text(code),
        escape_text(text)
    );
    SimResponse::xml(500, soap::envelope(SoapVersion::V11, None, &body))
}

fn ok(body: String) -> SimResponse {
    SimResponse::xml(200, soap::envelope(SoapVersion::V11, None, &body))
}

fn message_of(table: &'static [crate::error::ResultCode], code: &str) -> &'static str {
    lookup(table, code).map_or("Hata", |r| r.message_tr)
}

fn all_in_ns(el: &Element) -> bool {
    el.ns.as_deref() == Some(wire::NS) && el.children.iter().all(all_in_ns)
}

#[async_trait]
impl SimHandler for Handler {
    fn operation(&self, req: &SimRequest) -> String {
        match req.soap_action() {
            Some(a) if !a.is_empty() => a.rsplit('/').next().unwrap_or("").to_string(),
            _ => xml::parse(&req.text())
                .ok()
                .and_then(|r| {
                    r.child("Body")
                        .and_then(|b| b.children.first())
                        .map(|op| op.name.clone())
                })
                .unwrap_or_default(),
        }
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let reject = match injected {
            Some(CarrierFault::Reject(code)) => Some(code.as_str()),
            _ => None,
        };
        let resp = self.answer(req, reject);
        let legacy = self
            .state
            .legacy_encoding
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
            .is_ok();
        if legacy { windows_1254(resp) } else { resp }
    }
}

/// Re-encodes an answer in Windows-1254 (Turkish letters to their code-page bytes).
fn windows_1254(resp: SimResponse) -> SimResponse {
    let text = String::from_utf8_lossy(&resp.body);
    let body = text
        .chars()
        .map(|c| match c {
            'Ç' => 0xC7,
            'ç' => 0xE7,
            'Ğ' => 0xD0,
            'ğ' => 0xF0,
            'İ' => 0xDD,
            'ı' => 0xFD,
            'Ö' => 0xD6,
            'ö' => 0xF6,
            'Ş' => 0xDE,
            'ş' => 0xFE,
            'Ü' => 0xDC,
            'ü' => 0xFC,
            c if c.is_ascii() => c as u8,
            _ => b'?',
        })
        .collect();
    SimResponse::with_type(resp.status, "text/xml; charset=windows-1254", body)
}

impl Handler {
    fn answer(&self, req: &SimRequest, reject: Option<&str>) -> SimResponse {
        let service = match req.path.as_str() {
            wire::ORDER_PATH => Service::Order,
            wire::QUERY_PATH => Service::Query,
            _ => return SimResponse::text(404, "The resource cannot be found."),
        };
        if req.method != "POST" {
            return SimResponse::text(405, "Method Not Allowed");
        }
        let Ok(text) = std::str::from_utf8(&req.body) else {
            return fault(
                "soap:Client",
                "Server was unable to read request: invalid UTF-8.",
            );
        };
        let root = match xml::parse(text) {
            Ok(r) => r,
            Err(e) => {
                return fault(
                    "soap:Client",
                    &format!("Server was unable to read request. {e}"),
                );
            }
        };
        let soap12 = root.ns.as_deref() == Some(NS_SOAP12);
        if root.name != "Envelope" || !(root.ns.as_deref() == Some(NS_SOAP11) || soap12) {
            return fault(
                "soap:VersionMismatch",
                "Possible SOAP version mismatch: Envelope namespace was unexpected.",
            );
        }
        let content_type = req.header("content-type").unwrap_or("");
        match (&service, soap12) {
            (Service::Query, true) => {
                return SimResponse::text(
                    415,
                    "Cannot process the message because the content type 'application/soap+xml' was not the expected type 'text/xml; charset=utf-8'.",
                );
            }
            (_, false) if !content_type.starts_with("text/xml") => {
                return SimResponse::text(
                    415,
                    format!("Unsupported content type '{content_type}' for SOAP 1.1"),
                );
            }
            _ => {}
        }
        let Some(op) = root.child("Body").and_then(|b| b.children.first()) else {
            return fault(
                "soap:Client",
                "Server was unable to read request: empty soap:Body.",
            );
        };
        let action = req.soap_action().unwrap_or_default();
        let expected = match service {
            Service::Order => wire::order_action(&op.name),
            Service::Query => wire::query_action(&op.name),
        };
        if action != expected {
            return match service {
                Service::Order => fault(
                    "soap:Client",
                    &format!(
                        "Server did not recognize the value of HTTP Header SOAPAction: {action}."
                    ),
                ),
                Service::Query => fault(
                    "a:ActionNotSupported",
                    &format!(
                        "The message with Action '{action}' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher."
                    ),
                ),
            };
        }
        if !all_in_ns(op) {
            return fault(
                "soap:Client",
                &format!(
                    "Server was unable to read request: <{}> and its children must be in namespace {}.",
                    op.name,
                    wire::NS
                ),
            );
        }
        match (service, op.name.as_str()) {
            (Service::Order, ops::SET_ORDER) => self.set_order(op, reject),
            (Service::Order, ops::CANCEL) => self.cancel(op, reject),
            (Service::Order, ops::GET_ORDER) => self.get_order(op),
            (Service::Query, ops::QUERY_JSON) => self.query_json(op),
            (_, other) => fault(
                "soap:Client",
                &format!("Server did not recognize the operation {other}."),
            ),
        }
    }

    fn order_creds_ok(&self, op: &Element) -> bool {
        let c = &self.state.account.order;
        op.child_text("userName") == Some(c.user_name.as_str())
            && op.child_text("password") == Some(c.password.as_str())
    }

    fn set_order(&self, op: &Element, reject: Option<&str>) -> SimResponse {
        let results: Vec<(String, String, Option<String>, Option<String>)> =
            if let Some(code) = reject {
                vec![(
                    code.to_string(),
                    message_of(SET_ORDER_CODES, code).to_string(),
                    None,
                    None,
                )]
            } else if !self.order_creds_ok(op) {
                vec![(
                    "1000".into(),
                    message_of(SET_ORDER_CODES, "1000").into(),
                    None,
                    None,
                )]
            } else {
                let orders: Vec<&Element> = op
                    .child("orderInfo")
                    .map(|i| i.children_named("Order").collect())
                    .unwrap_or_default();
                if orders.is_empty() {
                    vec![(
                        "60021".into(),
                        message_of(SET_ORDER_CODES, "60021").into(),
                        None,
                        None,
                    )]
                } else {
                    let mut out = Vec::new();
                    for o in orders {
                        match self.store_order(o) {
                            Ok((invoice, key)) => {
                                out.push(("0".into(), "Başarılı".into(), invoice, Some(key)))
                            }
                            Err(Reply::Code(code, msg)) => out.push((code.into(), msg, None, None)),
                            Err(Reply::Fault(resp)) => return resp,
                        }
                    }
                    out
                }
            };
        let mut body =
            String::from("<SetOrderResponse xmlns=\"http://tempuri.org/\"><SetOrderResult>");
        for (code, msg, invoice, key) in results {
            let _ = write!(
                body,
                "<OrderResultInfo><ResultCode>{code}</ResultCode><ResultMessage>{}</ResultMessage>",
                escape_text(&msg)
            );
            if let Some(i) = invoice {
                let _ = write!(body, "<InvoiceKey>{}</InvoiceKey>", escape_text(&i));
            }
            if let Some(k) = key {
                let _ = write!(
                    body,
                    "<OrgReceiverCustId>{}</OrgReceiverCustId>",
                    escape_text(&k)
                );
            }
            body.push_str("</OrderResultInfo>");
        }
        body.push_str("</SetOrderResult></SetOrderResponse>");
        ok(body)
    }

    /// Checks one `Order` against the documented rules and stores (or updates) it.
    fn store_order(&self, o: &Element) -> Result<(Option<String>, String), Reply> {
        let code = |c: &'static str| Reply::Code(c, message_of(SET_ORDER_CODES, c).to_string());
        if let Some(unknown) = o
            .children
            .iter()
            .find(|c| !ORDER_FIELDS.contains(&c.name.as_str()))
        {
            return Err(Reply::Fault(fault(
                "soap:Client",
                &format!(
                    "Server was unable to read request: unknown element <{}> in <Order>.",
                    unknown.name
                ),
            )));
        }
        let f = |n: &str| o.child_text(n).map(str::trim).unwrap_or("");
        let creds = &self.state.account.order;
        if f("UserName") != creds.user_name || f("Password") != creds.password {
            return Err(code("1000"));
        }
        let key = f("IntegrationCode");
        if key.is_empty() {
            return Err(code("937"));
        }
        if key.len() > 32
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Reply::Code(
                "937",
                format!("IntegrationCode geçersiz: '{key}'"),
            ));
        }
        if f("ReceiverAddress").is_empty() {
            return Err(code("938"));
        }
        if f("ReceiverAddress").chars().count() > 250 {
            return Err(code("70018"));
        }
        if f("ReceiverName").is_empty() {
            return Err(code("939"));
        }
        if f("ReceiverCityName").is_empty() {
            return Err(code("940"));
        }
        if f("ReceiverTownName").is_empty() {
            return Err(code("941"));
        }
        let phone = f("ReceiverPhone1");
        if phone.is_empty() || !phone.bytes().all(|b| b.is_ascii_digit()) || phone.len() > 10 {
            return Err(code("935"));
        }
        if f("InvoiceNumber").chars().count() > 20 {
            return Err(code("70019"));
        }
        let payor = if f("PayorTypeCode").is_empty() {
            "1"
        } else {
            f("PayorTypeCode")
        };
        if !matches!(payor, "1" | "2") {
            return Err(code("70032"));
        }
        let is_cod = if f("IsCod").is_empty() {
            "0"
        } else {
            f("IsCod")
        };
        if !matches!(is_cod, "0" | "1") {
            return Err(code("70034"));
        }
        if !matches!(f("CodCollectionType"), "" | "0" | "1") {
            return Err(code("70033"));
        }
        if is_cod == "1" && payor == "2" {
            return Err(code("942"));
        }
        let pieces: Vec<&Element> = o
            .child("PieceDetails")
            .map(|p| p.children_named("PieceDetail").collect())
            .unwrap_or_default();
        let mut barcodes = Vec::new();
        if !pieces.is_empty() {
            let count = f("PieceCount");
            if count.is_empty() {
                return Err(code("70021"));
            }
            if count.parse::<usize>().ok() != Some(pieces.len()) {
                return Err(code("70020"));
            }
            for p in &pieces {
                if let Some(unknown) = p
                    .children
                    .iter()
                    .find(|c| !PIECE_FIELDS.contains(&c.name.as_str()))
                {
                    return Err(Reply::Fault(fault(
                        "soap:Client",
                        &format!(
                            "Server was unable to read request: unknown element <{}> in <PieceDetail>.",
                            unknown.name
                        ),
                    )));
                }
                let pf = |n: &str| p.child_text(n).map(str::trim).unwrap_or("");
                if pf("BarcodeNumber").is_empty() {
                    return Err(code("70022"));
                }
                if pf("VolumetricWeight").is_empty() {
                    return Err(code("70023"));
                }
                if pf("Weight").is_empty() {
                    return Err(code("70024"));
                }
                if pf("VolumetricWeight").parse::<Decimal>().is_err() {
                    return Err(code("70026"));
                }
                if pf("Weight").parse::<Decimal>().is_err() {
                    return Err(code("70028"));
                }
                if barcodes.iter().any(|b| b == pf("BarcodeNumber")) {
                    return Err(code("70030"));
                }
                barcodes.push(pf("BarcodeNumber").to_string());
            }
        }
        let now = self.state.clock.now();
        let mut orders = lock(&self.state.orders);
        if orders
            .iter()
            .any(|(k, other)| k != key && other.barcodes.iter().any(|b| barcodes.contains(b)))
        {
            return Err(code("70027"));
        }
        let fields: BTreeMap<String, String> = o
            .children
            .iter()
            .filter(|c| {
                c.children.is_empty() && !matches!(c.name.as_str(), "UserName" | "Password")
            })
            .map(|c| (c.name.clone(), c.text.clone()))
            .collect();
        let declared = parse_decimal(f("VolumetricWeight")).unwrap_or(Decimal::ONE);
        let measured = declared.ceil().max(Decimal::ONE);
        let invoice = Some(f("InvoiceNumber").to_string()).filter(|s| !s.is_empty());
        if let Some(existing) = orders.get_mut(key) {
            if now - existing.created_at
                >= chrono::Duration::from_std(WAYBILL_AFTER).unwrap_or_default()
            {
                return Err(code("60020"));
            }
            if existing.sends >= crate::map::MAX_SENDS_PER_KEY {
                return Err(code("70035"));
            }
            existing.sends += 1;
            existing.fields = fields;
            existing.barcodes = barcodes;
            existing.measured_desi = measured;
            return Ok((invoice, key.to_string()));
        }
        let n = self.state.next_tracking.fetch_add(1, Ordering::Relaxed);
        let scenario = lock(&self.state.scenarios)
            .get(key)
            .copied()
            .unwrap_or_default();
        orders.insert(
            key.to_string(),
            SimOrder {
                fields,
                barcodes,
                created_at: now,
                sends: 1,
                tracking: format!("351377{:07}", n % 10_000_000),
                scenario,
                measured_desi: measured,
            },
        );
        Ok((invoice, key.to_string()))
    }

    fn waybill_cut(&self, o: &SimOrder) -> bool {
        o.scenario
            .timeline()
            .state_at(o.created_at, self.state.clock.now())
            .is_some()
    }

    fn cancel(&self, op: &Element, reject: Option<&str>) -> SimResponse {
        let key = op
            .child_text("integrationCode")
            .unwrap_or("")
            .trim()
            .to_string();
        let (code, msg) = if let Some(c) = reject {
            (c.to_string(), message_of(CANCEL_CODES, c).to_string())
        } else if !self.order_creds_ok(op) {
            ("-2".into(), message_of(CANCEL_CODES, "-2").into())
        } else {
            let mut orders = lock(&self.state.orders);
            match orders.get(&key) {
                None => ("-1".into(), message_of(CANCEL_CODES, "-1").into()),
                Some(o) if self.waybill_cut(o) => {
                    ("999".into(), message_of(CANCEL_CODES, "999").into())
                }
                Some(_) => {
                    orders.remove(&key);
                    ("1".into(), format!("{key} başarılı bir şekilde silindi"))
                }
            }
        };
        ok(format!(
            "<CancelDispatchResponse xmlns=\"http://tempuri.org/\"><CancelDispatchResult><ResultCode>{code}</ResultCode><ResultMessage>{}</ResultMessage></CancelDispatchResult></CancelDispatchResponse>",
            escape_text(&msg)
        ))
    }

    fn get_order(&self, op: &Element) -> SimResponse {
        if !self.order_creds_ok(op) {
            return fault("soap:Server", "Kullanıcı adı veya şifre hatalı.");
        }
        let key = op.child_text("integrationCode").unwrap_or("").trim();
        let orders = lock(&self.state.orders);
        let mut body = String::from(
            "<GetOrderWithIntegrationCodeResponse xmlns=\"http://tempuri.org/\"><GetOrderWithIntegrationCodeResult>",
        );
        if let Some(o) = orders.get(key) {
            body.push_str("<Order>");
            for (k, v) in &o.fields {
                let _ = write!(body, "<{k}>{}</{k}>", escape_text(v));
            }
            body.push_str("</Order>");
        }
        body.push_str("</GetOrderWithIntegrationCodeResult></GetOrderWithIntegrationCodeResponse>");
        ok(body)
    }

    fn query_json(&self, op: &Element) -> SimResponse {
        let result = self.query_result(op);
        ok(format!(
            "<GetQueryJSONResponse xmlns=\"http://tempuri.org/\"><GetQueryJSONResult>{}</GetQueryJSONResult></GetQueryJSONResponse>",
            escape_text(&result)
        ))
    }

    fn query_result(&self, op: &Element) -> String {
        const BAD_LOGIN: &str = "Kullanıcı adı, şifre veya müşteri kodu hatalı.";
        let Some(login) = op
            .child_text("loginInfo")
            .and_then(|t| xml::parse(t).ok())
            .filter(|l| l.name == "LoginInfo")
        else {
            return BAD_LOGIN.into();
        };
        let q = &self.state.account.query;
        if login.child_text("UserName") != Some(q.user_name.as_str())
            || login.child_text("Password") != Some(q.password.as_str())
            || login.child_text("CustomerCode") != Some(q.customer_code.as_str())
        {
            return BAD_LOGIN.into();
        }
        let Some(query) = op
            .child_text("queryInfo")
            .and_then(|t| xml::parse(t).ok())
            .filter(|q| q.name == "QueryInfo")
        else {
            return "QueryInfo okunamadı.".into();
        };
        if !matches!(query.child_text("QueryType"), Some("39" | "1" | "11")) {
            return r#"{"QueryResult":null}"#.into();
        }
        let now = self.state.clock.now();
        let orders = lock(&self.state.orders);
        let measured = lock(&self.state.measured).clone();
        let mut records = Vec::new();
        for key in query
            .child_text("IntegrationCode")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
        {
            if let Some(o) = orders.get(key) {
                for (at, s) in o.scenario.timeline().reached(o.created_at, now) {
                    records.push(record(
                        key,
                        o,
                        measured.get(key).copied().unwrap_or(o.measured_desi),
                        at,
                        s,
                    ));
                }
            }
        }
        let cargo = match records.len() {
            0 => return r#"{"QueryResult":null}"#.into(),
            1 => records.remove(0),
            _ => serde_json::Value::Array(records),
        };
        serde_json::json!({"QueryResult": {"Cargo": cargo}}).to_string()
    }
}

/// One `QueryType` 39 record with the documented underscore keys.
fn record(
    key: &str,
    o: &SimOrder,
    desi: Decimal,
    at: DateTime<Utc>,
    s: &Step,
) -> serde_json::Value {
    let local = at.with_timezone(&turkey_offset());
    let get = |k: &str| o.fields.get(k).cloned().unwrap_or_default();
    let mut r = serde_json::json!({
        "MUSTERI_OZEL_KODU": key,
        "KARGO_TAKIP_NO": o.tracking,
        "IRSALIYE_NUMARA": get("TradingWaybillNumber"),
        "CIKIS_SUBE": "ÇANKAYA",
        "VARIS_SUBE": format!("{} ŞUBE", get("ReceiverTownName")),
        "ADET": o.barcodes.len().max(1).to_string(),
        "KG_DESI": desi.normalize().to_string(),
        "ODEME_TIPI": "ÜG",
        "TIP_KODU": s.tip,
        "DURUM_KODU": s.durum,
        "DURUMU": s.text,
        "DURUM_EN": s.en,
        "ISLEM_TARIHI": local.format("%d.%m.%Y %H:%M:%S").to_string(),
    });
    if let Some(obj) = r.as_object_mut() {
        if let Some(d) = s.devir {
            obj.insert("DEVIR_KODU".into(), d.into());
            if let Some(dv) = crate::status::devir(d) {
                obj.insert("DEVIR_ACIKLAMA".into(), dv.text_tr.into());
            }
        }
        if s.durum == "6" {
            obj.insert("TESLIM_ALAN".into(), get("ReceiverName").into());
            obj.insert(
                "TESLIM_TARIHI".into(),
                local.format("%d.%m.%Y").to_string().into(),
            );
            obj.insert(
                "TESLIM_SAATI".into(),
                local.format("%H:%M").to_string().into(),
            );
            if get("IsCod") == "1" {
                obj.insert("TAHSILAT_TUTARI".into(), get("CodAmount").into());
                obj.insert(
                    "TAHSILAT_TIPI".into(),
                    if get("CodCollectionType") == "1" {
                        "6"
                    } else {
                        "1"
                    }
                    .into(),
                );
            }
        }
    }
    r
}

enum Reply {
    Code(&'static str, String),
    Fault(SimResponse),
}

impl kargojet_carrier_common::sim::SimInventory for ArasSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        lock(&self.state.orders)
            .iter()
            .map(|(key, o)| kargojet_carrier_common::sim::HeldShipment {
                reference: key.clone(),
                tracking_number: Some(o.tracking.clone()),
                created_at: o.created_at,
                // A cancelled order is deleted from the order service.
                cancelled: false,
            })
            .collect()
    }
}

/// The connector configuration of [`ArasSim::connector_config`] for a simulator with the
/// published test account listening at `base_url` (e.g. one run by `kargojet-sim`).
pub fn connector_config_for(base_url: &str) -> ArasConfig {
    let base = base_url.trim_end_matches('/');
    let mut c = ArasConfig::new(
        format!("{base}{}", wire::ORDER_PATH),
        format!("{base}{}", wire::QUERY_PATH),
        AccountId::platform(),
        ArasAccount::sandbox(),
    );
    c.timeouts = Timeouts {
        create: Duration::from_millis(800),
        query: Duration::from_millis(800),
        cancel: Duration::from_millis(800),
    };
    c
}
