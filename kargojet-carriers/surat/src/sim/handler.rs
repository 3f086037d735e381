//! The simulator's protocol: routes a request to its operation, enforces Sürat's documented
//! rules (SOAP 1.1 with `SOAPAction: "http://tempuri.org/<Operation>"`, the tempuri namespace,
//! Sürat's element names, credentials, the `Gonderi` checks behind codes 002–024, one shipment
//! per `OzelKargoTakipNo`) and answers with Sürat's envelopes, strings and JSON.

use super::SimState;
use super::shipment::{SimShipment, timeline};
use crate::config::SuratAccount;
use crate::error;
use crate::wire::{self, BarcodeList, BarcodeResult, Gonderi, Operation, TrackingResponse};
use async_trait::async_trait;
use base64::Engine;
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse};
use kargojet_carrier_common::soap::{NS_SOAP11, SoapBody, SoapVersion, body_of, envelope};
use kargojet_carrier_common::xml::escape_text;
use kargojet_core::time::Clock;
use rust_decimal::Decimal;
use std::sync::Arc;

/// The fault/operation name of REST tracking (same as the SOAP tracking call).
pub const TRACK_OP: &str = "KargoTakipHareketDetayi";

/// The simulator's request handler.
#[derive(Debug)]
pub struct Handler {
    pub(super) state: Arc<SimState>,
}

fn soap_ok(body: String) -> SimResponse {
    SimResponse::xml(200, envelope(SoapVersion::V11, None, &body))
}

/// An ASMX-style SOAP 1.1 fault (HTTP 500).
fn fault(code: &str, reason: &str) -> SimResponse {
    let p = SoapVersion::V11.prefix();
    let body = format!(
        "<{p}:Fault><faultcode>{p}:{}</faultcode><faultstring>{}</faultstring><detail /></{p}:Fault>",
        escape_text(code),
        escape_text(reason)
    );
    SimResponse::xml(500, envelope(SoapVersion::V11, None, &body))
}

fn coded(code: &str) -> String {
    match error::lookup(code) {
        Some(r) => format!("[{code}] {}", r.meaning_tr),
        None => format!("[{code}] Hata"),
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn positive(s: &str) -> bool {
    s.trim().parse::<Decimal>().is_ok_and(|d| d > Decimal::ZERO)
}

/// The `Gonderi` checks Sürat documents, in the order of its codes; `Err` holds the result string.
fn check_gonderi(g: &Gonderi) -> Result<(), String> {
    if g.KisiKurum.trim().is_empty() {
        return Err(coded("002"));
    }
    if g.AliciAdresi.trim().is_empty() {
        return Err(coded("003"));
    }
    if g.Il.trim().is_empty() || g.Ilce.trim().is_empty() {
        return Err(coded("004"));
    }
    if !positive(&g.BirimDesi) || !positive(&g.BirimKg) || g.Adet == 0 {
        return Err(coded("006"));
    }
    let phones = [&g.TelefonEv, &g.TelefonIs, &g.TelefonCep];
    if phones
        .iter()
        .all(|p| p.as_deref().is_none_or(|s| s.trim().is_empty()))
    {
        return Err(coded("019"));
    }
    for p in phones.into_iter().flatten() {
        if !p.trim().is_empty() && !is_digits(p.trim()) {
            return Err(coded("020"));
        }
    }
    if let Some(cep) = g
        .TelefonCep
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if cep.len() < 10 {
            return Err(coded("024"));
        }
        if !cep.starts_with("05") {
            return Err(coded("022"));
        }
    }
    let key = &g.OzelKargoTakipNo;
    if key.is_empty()
        || key.len() > 50
        || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    {
        return Err("OzelKargoTakipNo yalnızca harf, rakam ve '-' içerebilir (en fazla 50)".into());
    }
    if g.KisiKurum.chars().count() > 100
        || g.AliciAdresi.chars().count() > 250
        || g.KargoIcerigi
            .as_deref()
            .is_some_and(|k| k.chars().count() > 100)
    {
        return Err("Alan uzunluğu aşıldı".into());
    }
    match g.KapidanOdemeTahsilatTipi {
        0 => {}
        1 | 2 => {
            if !g.KapidanOdemeTutari.as_deref().is_some_and(positive) {
                return Err("Kapıda ödeme tutarı sıfırdan büyük olmalı".into());
            }
            if g.IrsaliyeSiraNo
                .as_deref()
                .is_none_or(|s| s.trim().is_empty())
            {
                return Err("Kapıda ödemeli gönderide İrsaliye Sıra No zorunludur".into());
            }
        }
        _ => return Err("KapidanOdemeTahsilatTipi 0, 1 veya 2 olmalı".into()),
    }
    if !matches!(g.KargoTuru, 1..=3)
        || !matches!(g.OdemeTipi, 1 | 2)
        || !matches!(g.TeslimSekli, 1 | 2)
    {
        return Err("KargoTuru/OdemeTipi/TeslimSekli geçersiz".into());
    }
    Ok(())
}

impl Handler {
    fn account(&self, cari: &str, check: impl Fn(&SuratAccount) -> bool) -> Option<SuratAccount> {
        self.state
            .accounts
            .iter()
            .find(|a| a.cari_kodu == cari && check(a))
            .cloned()
    }

    fn create(&self, op: Operation, inner: &str, injected: Option<&CarrierFault>) -> SimResponse {
        let call: wire::CreateCall = match quick_xml::de::from_str(inner) {
            Ok(c) => c,
            Err(e) => {
                return fault(
                    "Client",
                    &format!("Server was unable to read request. ---> {e}"),
                );
            }
        };
        if call.xmlns != wire::NS {
            return fault(
                "Client",
                "Server was unable to read request: wrong namespace",
            );
        }
        let answer = |text: String, ok: Option<&SimShipment>| -> SimResponse {
            match op {
                Operation::CreateWithBarcode => {
                    let result = match ok {
                        Some(s) => BarcodeResult {
                            is_error: false,
                            message: coded("016"),
                            kargo_takip_no: Some(s.kargo_takip_no.clone()),
                            barcode: Some(BarcodeList {
                                any_type: vec![zpl(s)],
                            }),
                        },
                        None => BarcodeResult {
                            is_error: true,
                            message: text,
                            kargo_takip_no: None,
                            barcode: None,
                        },
                    };
                    let resp = wire::BarcodeResponse {
                        xmlns: wire::NS.into(),
                        result,
                    };
                    match quick_xml::se::to_string_with_root(&op.response_element(), &resp) {
                        Ok(x) => soap_ok(x),
                        Err(e) => fault("Server", &e.to_string()),
                    }
                }
                _ => soap_ok(wire::string_response(op, &text)),
            }
        };
        if let Some(CarrierFault::Reject(code)) = injected {
            return answer(coded(code), None);
        }
        let Some(account) = self.account(&call.KullaniciAdi, |a| a.sifre == call.Sifre) else {
            return answer(coded("001"), None);
        };
        if let Err(text) = check_gonderi(&call.Gonderi) {
            return answer(text, None);
        }
        let cod = call.Gonderi.KapidanOdemeTahsilatTipi != 0;
        if cod
            && self
                .state
                .cod_cari
                .as_deref()
                .is_some_and(|c| c != account.cari_kodu)
        {
            return answer(
                "Bu cari kapıda ödemeli gönderi için yetkili değil; kapıda ödeme carisini kullanın"
                    .into(),
                None,
            );
        }
        if op == Operation::CreateWithBarcode
            && !self.state.barcode_caris.contains(&account.cari_kodu)
        {
            return answer("Barkod oluşturma yetkiniz bulunmamaktadır".into(), None);
        }
        let mut shipments = self.state.lock();
        let key = call.Gonderi.OzelKargoTakipNo.clone();
        if shipments.contains_key(&key) {
            return answer(coded("009"), None);
        }
        let seq = self.state.next_seq();
        let now = self.state.clock.now();
        let declared = SimShipment::declared_desi(&call.Gonderi);
        let scenario = self.state.scenario_for(&key);
        let shipment = SimShipment {
            cari: account.cari_kodu.clone(),
            created_at: now,
            timeline: timeline(scenario),
            kargo_takip_no: format!("2452{seq:010}"),
            barkod_no: format!("012{seq:08}"),
            barcode_at_creation: op == Operation::CreateWithBarcode,
            cancelled_at: None,
            measured_desi: self.state.measured_for(&key).unwrap_or(declared),
            gonderi: call.Gonderi,
        };
        let resp = answer("Tamam".into(), Some(&shipment));
        shipments.insert(key, shipment);
        resp
    }

    fn cancel(&self, inner: &str, injected: Option<&CarrierFault>) -> SimResponse {
        let call: wire::CancelCall = match quick_xml::de::from_str(inner) {
            Ok(c) => c,
            Err(e) => {
                return fault(
                    "Client",
                    &format!("Server was unable to read request. ---> {e}"),
                );
            }
        };
        let reply = |t: &str| soap_ok(wire::string_response(Operation::Cancel, t));
        if let Some(CarrierFault::Reject(code)) = injected {
            return reply(&if code == "HATA" {
                "HATA: İşlem yapılamadı".to_string()
            } else {
                coded(code)
            });
        }
        if call.xmlns != wire::NS {
            return fault(
                "Client",
                "Server was unable to read request: wrong namespace",
            );
        }
        if self
            .account(&call.KullaniciAdi, |a| a.sifre == call.Sifre)
            .is_none()
        {
            return reply("HATA: Kullanıcı adı veya şifre hatalı");
        }
        if call.IptalNeden.trim().is_empty() {
            return reply("HATA: İptal nedeni boş olamaz");
        }
        let now = self.state.clock.now();
        let mut shipments = self.state.lock();
        match shipments
            .get_mut(&call.OzelKargoTakipNo)
            .filter(|s| s.cari == call.KullaniciAdi)
        {
            None => reply("HATA: Gönderi bulunamadı"),
            Some(s) if s.cancelled_at.is_some() => reply("HATA: Gönderi zaten iptal edilmiş"),
            Some(s) if s.accepted(now) => {
                reply("HATA: Gönderi şube tarafından kabul edilmiş, geri çekilemez")
            }
            Some(s) => {
                s.cancelled_at = Some(now);
                reply("Tamam")
            }
        }
    }

    fn label(&self, inner: &str, injected: Option<&CarrierFault>) -> SimResponse {
        let call: wire::LabelCall = match quick_xml::de::from_str(inner) {
            Ok(c) => c,
            Err(e) => {
                return fault(
                    "Client",
                    &format!("Server was unable to read request. ---> {e}"),
                );
            }
        };
        let mut result = wire::LabelResult::default();
        if let Some(CarrierFault::Reject(code)) = injected {
            result.Aciklama = Some(coded(code));
        } else if self
            .account(&call.cari_kodu, |a| a.web_sifre == call.web_password)
            .is_none()
        {
            result.Aciklama = Some(coded("001"));
        } else {
            let now = self.state.clock.now();
            let shipments = self.state.lock();
            match shipments
                .get(&call.ozel_kargo_takip_no)
                .filter(|s| s.cari == call.cari_kodu)
            {
                None => result.Aciklama = Some("Kayıt bulunamadı".into()),
                Some(s) => {
                    let known = s.barcode_at_creation || s.accepted(now);
                    result = wire::LabelResult {
                        PdfBarkod: Some(base64::engine::general_purpose::STANDARD.encode(pdf(s))),
                        KargoTakipNo: known.then(|| s.kargo_takip_no.clone()),
                        OzelKargoTakipNo: Some(call.ozel_kargo_takip_no.clone()),
                        BarkodNo: Some(s.barkod_no.clone()),
                        Aciklama: Some("Tamam".into()),
                    };
                }
            }
        }
        let resp = wire::LabelResponse {
            xmlns: wire::NS.into(),
            result,
        };
        match quick_xml::se::to_string_with_root(&Operation::Label.response_element(), &resp) {
            Ok(x) => soap_ok(x),
            Err(e) => fault("Server", &e.to_string()),
        }
    }

    /// The tracking document for `key` as seen by `cari`.
    fn tracking_doc(
        &self,
        cari: &str,
        password_ok: bool,
        key: &str,
        injected: Option<&CarrierFault>,
    ) -> serde_json::Value {
        let error =
            |m: &str| serde_json::json!({"IsError": true, "errorMessage": m, "Gonderiler": []});
        if let Some(CarrierFault::Reject(code)) = injected {
            return error(&coded(code));
        }
        if !password_ok {
            return error("Cari kodu veya şifre hatalı");
        }
        let now = self.state.clock.now();
        let shipments = self.state.lock();
        let Some(s) = shipments.get(key).filter(|s| s.cari == cari) else {
            return error("Kayıt bulunamadı");
        };
        if s.cancelled_at.is_some() {
            return error("Gönderi iptal edilmiştir");
        }
        let Some(tracked) = s.tracked(now) else {
            return error("Gönderi şube kabul bekleniyor");
        };
        let doc = TrackingResponse {
            is_error: false,
            error_message: Some("".into()),
            gonderiler: Some(vec![tracked]),
        };
        let mut v = serde_json::to_value(&doc).unwrap_or_else(|_| error("Sistem hatası"));
        // Sürat sends the status code as a number (and movement codes as strings).
        if let Some(g) = v.pointer_mut("/Gonderiler/0/KargonunDurumuSayi")
            && let Some(n) = g.as_str().and_then(|s| s.parse::<u64>().ok())
        {
            *g = serde_json::Value::from(n);
        }
        v
    }

    fn track_rest(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        if req.method != "POST" {
            return SimResponse::json(
                405,
                &serde_json::json!({"Message": "The requested resource does not support http method 'GET'."}),
            );
        }
        if !req.body.is_empty() {
            return SimResponse::json(
                400,
                &serde_json::json!({"Message": "Parametreler sorgu dizgisinde gönderilmeli; gövde boş olmalı"}),
            );
        }
        let (Some(cari), Some(sifre), Some(key)) = (
            req.query_param("CariKodu"),
            req.query_param("Sifre"),
            req.query_param("WebSiparisKodu"),
        ) else {
            return SimResponse::json(
                400,
                &serde_json::json!({"Message": "CariKodu, Sifre ve WebSiparisKodu zorunludur"}),
            );
        };
        let ok = self.account(&cari, |a| a.web_sifre == sifre).is_some();
        SimResponse::json(200, &self.tracking_doc(&cari, ok, &key, injected))
    }

    fn track_soap(&self, inner: &str, injected: Option<&CarrierFault>) -> SimResponse {
        let call: wire::TrackCall = match quick_xml::de::from_str(inner) {
            Ok(c) => c,
            Err(e) => {
                return fault(
                    "Client",
                    &format!("Server was unable to read request. ---> {e}"),
                );
            }
        };
        let ok = self
            .account(&call.CariKodu, |a| a.web_sifre == call.WebPassword)
            .is_some();
        let doc = self.tracking_doc(&call.CariKodu, ok, &call.WebSiparisKodu, injected);
        soap_ok(wire::string_response(Operation::Track, &doc.to_string()))
    }

    fn soap(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let ct = req.header("content-type").unwrap_or("");
        if !ct.trim_start().to_ascii_lowercase().starts_with("text/xml") {
            return SimResponse::text(
                415,
                format!(
                    "Cannot process the message because the content type '{ct}' was not the expected type 'text/xml; charset=utf-8'."
                ),
            );
        }
        let Ok(text) = std::str::from_utf8(&req.body) else {
            return fault("Client", "Server was unable to read request: invalid UTF-8");
        };
        if !text.contains(NS_SOAP11) {
            return fault(
                "VersionMismatch",
                "Possible SOAP version mismatch: envelope namespace was unexpected",
            );
        }
        let (element, inner) = match body_of(text) {
            Ok(SoapBody::Payload { element, inner_xml }) => (element, inner_xml),
            Ok(SoapBody::Fault(_)) | Err(_) => {
                return fault("Client", "Server was unable to read request");
            }
        };
        let Some(op) = Operation::from_name(element) else {
            return fault(
                "Client",
                &format!("Server did not recognize the value of element {element}"),
            );
        };
        let action = req.header("soapaction").map(str::trim);
        let expected = format!("\"{}\"", op.action());
        if action != Some(expected.as_str()) {
            return fault(
                "Client",
                &format!(
                    "Server did not recognize the value of HTTP Header SOAPAction: {}.",
                    action.unwrap_or("")
                ),
            );
        }
        match op {
            Operation::Create | Operation::CreateWithBarcode => self.create(op, inner, injected),
            Operation::Cancel => self.cancel(inner, injected),
            Operation::Label => self.label(inner, injected),
            Operation::Track => self.track_soap(inner, injected),
        }
    }
}

/// The ZPL label the barcode call returns.
fn zpl(s: &SimShipment) -> String {
    format!(
        "^XA^FO20,20^A0N,30,30^FDT.No: {}^FS^FO40,80^BCN,160,Y,N^FD{}^FS^XZ",
        s.kargo_takip_no, s.barkod_no
    )
}

/// A one-page PDF naming the shipment (what `KargoBarkodu` encodes as `PdfBarkod`).
fn pdf(s: &SimShipment) -> Vec<u8> {
    kargojet_carrier_common::sim::one_page_pdf(&format!(
        "Surat Kargo {} {}",
        s.gonderi.OzelKargoTakipNo, s.barkod_no
    ))
}

#[async_trait]
impl SimHandler for Handler {
    fn operation(&self, req: &SimRequest) -> String {
        if req.path.ends_with(wire::REST_TRACK_PATH) {
            return TRACK_OP.into();
        }
        match req.soap_action() {
            Some(a) => a.strip_prefix(wire::NS).unwrap_or(&a).to_string(),
            None => req.path.clone(),
        }
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        if req.path == wire::REST_TRACK_PATH {
            self.track_rest(req, injected)
        } else if req.path == wire::SOAP_PATH {
            if req.method != "POST" {
                return SimResponse::text(405, "Method not allowed");
            }
            self.soap(req, injected)
        } else {
            SimResponse::text(404, format!("{} not found", req.path))
        }
    }
}
