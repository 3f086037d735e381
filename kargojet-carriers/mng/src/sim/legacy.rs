//! The legacy `MusteriSiparisNew` service of the simulator (SOAP 1.1, ASMX style): future
//! return orders. It checks `SOAPAction: "http://tempuri.org/<Op>"`, the `text/xml` content
//! type, the login (`E003`/`E004`/`E006`), the mandatory parameters of the carrier's PDF
//! (`E007`, `E014`, `E019`, …) and refuses unknown parameter names (stricter than ASMX, so a
//! misspelt name in `wire.rs` cannot pass); answers are the method's string result (`1`) or a
//! DataSet.

use super::handler::{Handler, lock};
use super::state::{SimReturn, mng_time};
use crate::status;
use crate::wire;
use kargojet_carrier_common::sim::{CarrierFault, SimRequest, SimResponse};
use kargojet_carrier_common::soap::{SoapBody, SoapVersion, body_of, envelope};
use kargojet_carrier_common::xml::{XmlCursor, escape_text};
use kargojet_core::geo;
use kargojet_core::time::Clock;
use std::collections::BTreeMap;

const KNOWN_OPS: &[&str] = &[
    wire::OP_RETURN_CREATE,
    wire::OP_RETURN_CANCEL,
    wire::OP_RETURN_STATUS,
];

/// The operation of a legacy request: the `SOAPAction` without the namespace, else the body's
/// first element.
pub fn operation(req: &SimRequest) -> String {
    if let Some(a) = req.soap_action() {
        if let Some(op) = a.strip_prefix(wire::LEGACY_NS) {
            return op.to_string();
        }
    }
    match body_of(&req.text()) {
        Ok(SoapBody::Payload { element, .. }) => element.to_string(),
        _ => "invalid".into(),
    }
}

fn fault(code: &str, reason: &str) -> SimResponse {
    let body = format!(
        "<soap:Fault xmlns:soap=\"{}\"><faultcode>soap:{code}</faultcode><faultstring>{}</faultstring><detail/></soap:Fault>",
        kargojet_carrier_common::soap::NS_SOAP11,
        escape_text(reason)
    );
    SimResponse::xml(500, envelope(SoapVersion::V11, None, &body))
}

fn result(op: &str, inner_xml: &str) -> SimResponse {
    let body = format!(
        "<{op}Response xmlns=\"{ns}\"><{op}Result>{inner_xml}</{op}Result></{op}Response>",
        ns = wire::LEGACY_NS
    );
    SimResponse::xml(200, envelope(SoapVersion::V11, None, &body))
}

fn text_result(op: &str, text: &str) -> SimResponse {
    result(op, &escape_text(text))
}

/// The parameters of the call, by name; unknown or repeated names are refused.
fn params(req: &SimRequest, op: &str) -> Result<BTreeMap<String, String>, SimResponse> {
    let text = req.text();
    let (element, inner) = match body_of(&text) {
        Ok(SoapBody::Payload { element, inner_xml }) => (element, inner_xml),
        _ => return Err(fault("Client", "İstek SOAP zarfı okunamadı")),
    };
    if element != op {
        return Err(fault(
            "Client",
            &format!("SOAPAction {op} ile gövde {element} uyuşmuyor"),
        ));
    }
    let head_end = inner.find('>').unwrap_or(inner.len());
    if !inner[..head_end].contains(&format!("\"{}\"", wire::LEGACY_NS)) {
        return Err(fault(
            "Client",
            &format!("{op} {} ad alanında olmalı", wire::LEGACY_NS),
        ));
    }
    let allowed: &[&str] = if op == wire::OP_RETURN_CREATE {
        wire::RETURN_CREATE_PARAMS
    } else {
        wire::RETURN_KEY_PARAMS
    };
    let mut cur = XmlCursor::new(inner);
    let mut out = BTreeMap::new();
    let root = match cur.next_element() {
        Ok(Some(r)) => r,
        _ => return Err(fault("Client", "İstek okunamadı")),
    };
    loop {
        let child = match cur.next_child(&root) {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(fault("Client", &format!("İstek okunamadı: {e}"))),
        };
        let name = child.local_name().to_string();
        if !allowed.contains(&name.as_str()) {
            return Err(fault(
                "Client",
                &format!("{op} için bilinmeyen parametre: {name}"),
            ));
        }
        let value = match cur.text_trimmed(&child) {
            Ok(v) => v.into_owned(),
            Err(e) => return Err(fault("Client", &format!("İstek okunamadı: {e}"))),
        };
        if out.insert(name.clone(), value).is_some() {
            return Err(fault("Client", &format!("{name} birden fazla gönderildi")));
        }
    }
    Ok(out)
}

/// The login check of every method: `None` when right, else the carrier's error text.
fn login_error(h: &Handler, p: &BTreeMap<String, String>) -> Option<&'static str> {
    let user = p
        .get("pKullaniciAdi")
        .map(String::as_str)
        .unwrap_or_default();
    let pass = p.get("pSifre").map(String::as_str).unwrap_or_default();
    if user.is_empty() || pass.is_empty() {
        return Some("E004:Kullanıcı adı veya şifre boş olamaz");
    }
    if !user.bytes().all(|b| b.is_ascii_digit()) {
        return Some("E006:Kullanıcı adı sadece rakamlardan oluşmalıdır");
    }
    if user != h.account.legacy_username || pass != h.account.legacy_password {
        return Some("E003:Kullanıcı adi veya sifresi yanlış tekrar kontrol ediniz. [3]");
    }
    None
}

fn create(h: &Handler, p: BTreeMap<String, String>) -> Result<(), String> {
    let get = |k: &str| p.get(k).map(|v| v.trim()).unwrap_or_default();
    let key = get("pSiparisNo");
    if key.is_empty() {
        return Err("E014:pSiparisNo boş olamaz".into());
    }
    if key.chars().count() > 20 {
        return Err("Sipariş numarası en fazla 20 karakter olabilir".into());
    }
    let (il, ilce) = (get("pGonIlAdi"), get("pGonilceAdi"));
    if il.is_empty() || ilce.is_empty() {
        return Err("E007:Gönderici il/ilçe bilgisi boş olamaz".into());
    }
    let known = geo::find_province(il, "pGonIlAdi")
        .and_then(|prov| geo::find_district(prov.plate, ilce, "pGonilceAdi"));
    if known.is_err() {
        return Err(format!("{il}/{ilce} il/ilçe bulunamadı"));
    }
    if !matches!(get("pGonMusAdresFarkli"), "0" | "1") {
        return Err("E019:pGonMusAdresFarkli 0 veya 1 olmalıdır".into());
    }
    for required in ["pGonMusteriAdi", "pGonAdresText", "pGonVergiDairesi"] {
        if get(required).is_empty() {
            return Err(format!("{required} zorunludur"));
        }
    }
    if !p.contains_key("pGonVergiNumarasi") {
        return Err("pGonVergiNumarasi zorunludur".into());
    }
    if !matches!(get("pOdemeSekli"), wire::PAY_SENDER | wire::PAY_RECEIVER) {
        return Err("pOdemeSekli Gonderici_Odeyecek veya Alici_Odeyecek olmalıdır".into());
    }
    if get("pAciklama").chars().count() > 250 {
        return Err("pAciklama en fazla 250 karakter olabilir".into());
    }
    let key = key.to_string();
    let mut returns = lock(&h.returns);
    if returns.contains_key(&key) {
        return Err("Bu sipariş numarası ile daha önce kayıt yapılmış".into());
    }
    returns.insert(
        key,
        SimReturn {
            params: p,
            created_at: h.clock.now(),
            cancelled_at: None,
        },
    );
    Ok(())
}

fn cancel(h: &Handler, p: &BTreeMap<String, String>) -> &'static str {
    let key = p.get("pSiparisNo").map(String::as_str).unwrap_or_default();
    let now = h.clock.now();
    let mut returns = lock(&h.returns);
    match returns.get_mut(key) {
        Some(r)
            if r.status(now)
                .is_some_and(|(_, s)| s == kargojet_core::tracking::ShipmentStatus::Created) =>
        {
            r.cancelled_at = Some(now);
            wire::LEGACY_OK
        }
        _ => crate::error::LEGACY_REFUSED,
    }
}

fn dataset(h: &Handler, p: &BTreeMap<String, String>) -> String {
    let key = p.get("pSiparisNo").map(String::as_str).unwrap_or_default();
    let schema = "<xs:schema id=\"NewDataSet\" xmlns=\"\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:msdata=\"urn:schemas-microsoft-com:xml-msdata\"><xs:element name=\"NewDataSet\" msdata:IsDataSet=\"true\"/></xs:schema>";
    let open = "<diffgr:diffgram xmlns:msdata=\"urn:schemas-microsoft-com:xml-msdata\" xmlns:diffgr=\"urn:schemas-microsoft-com:xml-diffgram-v1\">";
    let now = h.clock.now();
    let returns = lock(&h.returns);
    let row = returns.get(key).and_then(|r| r.status(now)).and_then(|(at, st)| {
        let k = status::legacy_code_of(st)?;
        Some(format!(
            "<NewDataSet xmlns=\"\"><Table1 diffgr:id=\"Table11\" msdata:rowOrder=\"0\"><SIPARIS_NO>{}</SIPARIS_NO><DURUM>{}</DURUM><DURUM_ACIKLAMA>{}</DURUM_ACIKLAMA><ISLEM_TARIHI>{}</ISLEM_TARIHI><TAKIP_LINKI>https://kargotakip.mngkargo.com.tr/?siparisNo={}</TAKIP_LINKI></Table1></NewDataSet>",
            escape_text(key),
            k.code,
            escape_text(k.text_tr),
            mng_time(at),
            escape_text(key)
        ))
    });
    format!(
        "{schema}{open}{}</diffgr:diffgram>",
        row.unwrap_or_default()
    )
}

/// Answers one legacy request.
pub fn handle(
    h: &Handler,
    req: &SimRequest,
    op: &str,
    injected: Option<&CarrierFault>,
) -> SimResponse {
    if req.method != "POST" {
        return SimResponse::text(405, "Method Not Allowed");
    }
    let ct = req
        .header("content-type")
        .unwrap_or_default()
        .to_ascii_lowercase();
    if !ct.starts_with("text/xml") {
        return SimResponse::text(415, "Unsupported Media Type");
    }
    let action = req.soap_action().unwrap_or_default();
    if !KNOWN_OPS.contains(&op) || action != wire::legacy_action(op) {
        return fault(
            "Client",
            &format!("Server did not recognize the value of HTTP Header SOAPAction: {action}."),
        );
    }
    let p = match params(req, op) {
        Ok(p) => p,
        Err(r) => return r,
    };
    if let Some(e) = login_error(h, &p) {
        return text_result(op, e);
    }
    if let Some(CarrierFault::Reject(code)) = injected {
        return text_result(op, &format!("{code}:Simülatör tarafından reddedildi"));
    }
    match op {
        wire::OP_RETURN_CREATE => match create(h, p) {
            Ok(()) => text_result(op, wire::LEGACY_OK),
            Err(e) => text_result(op, &e),
        },
        wire::OP_RETURN_CANCEL => text_result(op, cancel(h, &p)),
        _ => result(op, &dataset(h, &p)),
    }
}
