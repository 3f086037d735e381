//! The simulator's request handling: Axis2-style dispatch on the body element, ADB order
//! checks, PTT's in-band outcomes, and answers written with the crate's wire types.

use super::timeline::{ACCEPTED, Office, REGISTERED_AFTER, script};
use super::{
    SANDBOX_MUSTERI_ID, SANDBOX_RANGE, SANDBOX_SIFRE, SANDBOX_TRACKING_USER, SANDBOX_USER,
    SimShipment, State,
};
use crate::barcode;
use crate::wire::{
    self, DELETE_ORDER, DONGU_ORDER, DonguSonuc, GONDERICI_ORDER, Hareket, KABUL_INPUT_ORDER,
    KabulReturn, LABEL_ORDER, NS_KABUL, NS_KABUL_XSD, NS_TAKIP, NS_TAKIP_XSD, Response,
    SimpleReturn, TRACK_ORDER, TakipReturn, op,
};
use crate::xmltree::{self, Element};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::sim::{CarrierFault, SimHandler, SimRequest, SimResponse};
use kargojet_carrier_common::soap::{SoapVersion, envelope};
use kargojet_carrier_common::xml::escape_text;
use kargojet_core::geo::{fold, turkish_upper};
use kargojet_core::time::{Clock, turkey_offset};
use serde::Serialize;
use std::sync::Arc;

pub(crate) struct PttHandler {
    pub(crate) state: Arc<State>,
}

/// A refusal rendered as a SOAP fault (HTTP 500), the way Axis2 refuses.
struct Fault {
    version: SoapVersion,
    code: &'static str,
    reason: String,
}

type Answer = Result<SimResponse, Fault>;

const OK_TEXT: &str = "BAŞARILI";
const BAD_CREDENTIALS: &str = "Kullanıcı Şifre Hatalı";
/// `donguHataKodu` of a failed parcel (the notes document only `1` = success).
const DONGU_FAILED: &str = "0";
/// `hataKodu` of a refused delete / label (the notes document only `1` and `-1`).
const FAILED: &str = "0";

fn envelope_of(req: &SimRequest) -> Option<(SoapVersion, Element)> {
    let root = xmltree::parse(&req.body, &[]).ok()?;
    if root.name != "Envelope" {
        return None;
    }
    let v = SoapVersion::from_namespace(root.ns.as_deref()?)?;
    Some((v, root))
}

fn body_op(root: &Element) -> Option<&Element> {
    root.child("Body")?.children.first()
}

#[async_trait]
impl SimHandler for PttHandler {
    fn operation(&self, req: &SimRequest) -> String {
        envelope_of(req)
            .and_then(|(_, root)| body_op(&root).map(|e| e.name.clone()))
            .unwrap_or_else(|| "unknown".into())
    }

    async fn handle(&self, req: &SimRequest, injected: Option<&CarrierFault>) -> SimResponse {
        let reject = match injected {
            Some(CarrierFault::Reject(code)) => Some(code.as_str()),
            // Faults added to common later are not carrier codes PTT would send.
            _ => None,
        };
        match self.answer(req, reject) {
            Ok(r) => r,
            Err(f) => fault_response(f),
        }
    }
}

fn fault_response(f: Fault) -> SimResponse {
    let p = f.version.prefix();
    let reason = escape_text(&f.reason);
    let body = match f.version {
        SoapVersion::V11 => {
            format!(
                "<{p}:Fault><faultcode>{p}:{}</faultcode><faultstring>{reason}</faultstring></{p}:Fault>",
                f.code
            )
        }
        SoapVersion::V12 => format!(
            "<{p}:Fault><{p}:Code><{p}:Value>{p}:{}</{p}:Value></{p}:Code><{p}:Reason><{p}:Text xml:lang=\"en-US\">{reason}</{p}:Text></{p}:Reason></{p}:Fault>",
            f.code
        ),
    };
    let env = envelope(f.version, None, &body);
    match f.version {
        SoapVersion::V11 => SimResponse::xml(500, env),
        SoapVersion::V12 => SimResponse::soap12(500, env),
    }
}

fn respond<T: Serialize>(
    version: SoapVersion,
    operation: &str,
    ns: &'static str,
    ax: &'static str,
    ret: T,
) -> Answer {
    let body = wire::to_xml(
        &format!("ns:{operation}Response"),
        &Response {
            xmlns_ns: ns,
            xmlns_ax: ax,
            ret,
        },
    )
    .map_err(|e| Fault {
        version,
        code: "Receiver",
        reason: format!("serialization: {e}"),
    })?;
    let env = envelope(version, None, &body);
    Ok(match version {
        SoapVersion::V11 => SimResponse::xml(200, env),
        SoapVersion::V12 => SimResponse::soap12(200, env),
    })
}

fn server_code(v: SoapVersion) -> &'static str {
    match v {
        SoapVersion::V11 => "Server",
        SoapVersion::V12 => "Receiver",
    }
}

/// Checks the children of `el` against an ADB sequence: every child known, in the field
/// namespace (or unqualified, as live probes showed), in order; `repeatable` may repeat.
fn check_order(
    el: &Element,
    order: &[&str],
    field_ns: &str,
    repeatable: &[&str],
    v: SoapVersion,
) -> Result<(), Fault> {
    let mut last: Option<usize> = None;
    for c in &el.children {
        let ns_ok = c.ns.as_deref().is_none_or(|n| n == field_ns);
        let idx = order.iter().position(|n| *n == c.name).filter(|_| ns_ok);
        let in_order = match (idx, last) {
            (Some(i), Some(l)) => i > l || (i == l && repeatable.contains(&c.name.as_str())),
            (Some(_), None) => true,
            (None, _) => false,
        };
        if !in_order {
            return Err(Fault {
                version: v,
                code: server_code(v),
                reason: format!(
                    "org.apache.axis2.databinding.ADBException: Unexpected subelement {{{}}}{}",
                    c.ns.as_deref().unwrap_or(""),
                    c.name
                ),
            });
        }
        last = idx;
    }
    Ok(())
}

fn input<'a>(
    opel: &'a Element,
    wrapper: &str,
    op_ns: &str,
    v: SoapVersion,
) -> Result<&'a Element, Fault> {
    opel.children
        .iter()
        .find(|c| c.name == wrapper && c.ns.as_deref().is_none_or(|n| n == op_ns))
        .ok_or_else(|| Fault {
            version: v,
            code: server_code(v),
            reason: format!("org.apache.axis2.databinding.ADBException: Unexpected subelement or missing {wrapper}"),
        })
}

fn text<'a>(el: &'a Element, name: &str) -> &'a str {
    el.child_text(name).unwrap_or("")
}

fn turkey(t: DateTime<Utc>) -> (String, String) {
    let l = t.with_timezone(&turkey_offset());
    (
        l.format("%d/%m/%Y").to_string(),
        l.format("%H:%M:%S").to_string(),
    )
}

impl PttHandler {
    fn now(&self) -> DateTime<Utc> {
        self.state.clock.now()
    }

    fn answer(&self, req: &SimRequest, reject: Option<&str>) -> Answer {
        let Some((v, root)) = envelope_of(req) else {
            return Err(Fault {
                version: SoapVersion::V11,
                code: "Client",
                reason: "com.ctc.wstx.exc.WstxParsingException: the request is not a SOAP 1.1/1.2 envelope".into(),
            });
        };
        let ct = req
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let ct_ok = match v {
            SoapVersion::V11 => ct.starts_with("text/xml"),
            SoapVersion::V12 => ct.starts_with("application/soap+xml"),
        };
        if !ct_ok {
            return Err(Fault {
                version: v,
                code: "VersionMismatch",
                reason: format!("Content-Type '{ct}' does not match the envelope"),
            });
        }
        let Some(opel) = body_op(&root) else {
            return Err(Fault {
                version: v,
                code: server_code(v),
                reason: "SOAP Body is empty".into(),
            });
        };
        let name = opel.name.as_str();
        if let Some(action) = req
            .soap_action()
            .filter(|a| !a.is_empty() && *a != name && *a != format!("urn:{name}"))
        {
            return Err(Fault {
                version: v,
                code: server_code(v),
                reason: format!(
                    "The endpoint reference (EPR) for the Operation not found is {} and the WSA Action = {action}",
                    req.path
                ),
            });
        }
        let acceptance = matches!(
            req.path.as_str(),
            wire::PATH_ACCEPTANCE | wire::PATH_ACCEPTANCE_TEST
        );
        let tracking = req.path == wire::PATH_TRACKING;
        let op_ns = opel.ns.as_deref().unwrap_or("");
        match (name, acceptance, tracking) {
            (op::KABUL_EKLE2, true, _) if op_ns == NS_KABUL => self.kabul_ekle2(v, opel, reject),
            (op::BARKOD_VERI_SIL, true, _) if op_ns == NS_KABUL => {
                self.barkod_veri_sil(v, opel, reject)
            }
            (op::ETIKET_GETIR, true, _) if op_ns == NS_KABUL => self.etiket_getir(v, opel, reject),
            (op::GONDERI_SORGU, _, true) if op_ns == NS_TAKIP => {
                self.gonderi_sorgu(v, opel, reject)
            }
            _ => Err(Fault {
                version: v,
                code: server_code(v),
                reason: format!(
                    "The endpoint reference (EPR) for the Operation not found is {} and the WSA Action = {{{op_ns}}}{name}",
                    req.path
                ),
            }),
        }
    }

    fn kabul_ekle2(&self, v: SoapVersion, opel: &Element, reject: Option<&str>) -> Answer {
        if v != SoapVersion::V12 {
            return Err(Fault {
                version: v,
                code: "VersionMismatch",
                reason: "kabulEkle2 is served over SOAP 1.2 (application/soap+xml)".into(),
            });
        }
        let inp = input(opel, "input", NS_KABUL, v)?;
        check_order(inp, KABUL_INPUT_ORDER, NS_KABUL_XSD, &["dongu"], v)?;
        let dongus: Vec<&Element> = inp.children_named("dongu").collect();
        for d in &dongus {
            check_order(d, DONGU_ORDER, NS_KABUL_XSD, &[], v)?;
            if let Some(g) = d.child("gondericibilgi") {
                check_order(g, GONDERICI_ORDER, NS_KABUL_XSD, &[], v)?;
            }
        }
        let batch = |hata: &str, msg: &str| KabulReturn {
            aciklama: msg.into(),
            dongu: vec![],
            hata_kodu: hata.into(),
        };
        if text(inp, "kullanici") != SANDBOX_USER
            || text(inp, "musteriId") != SANDBOX_MUSTERI_ID.to_string()
            || text(inp, "sifre") != SANDBOX_SIFRE
        {
            return respond(
                v,
                op::KABUL_EKLE2,
                NS_KABUL,
                NS_KABUL_XSD,
                batch("-1", BAD_CREDENTIALS),
            );
        }
        if let Some(code) = reject {
            let msg = if code == "-1" {
                BAD_CREDENTIALS.to_string()
            } else {
                format!("İşlem başarısız (hata kodu {code})")
            };
            return respond(
                v,
                op::KABUL_EKLE2,
                NS_KABUL,
                NS_KABUL_XSD,
                batch(code, &msg),
            );
        }
        let dosya = text(inp, "dosyaAdi");
        let problem = if dosya.is_empty() {
            Some("Dosya adı boş olamaz")
        } else if text(inp, "gonderiTip") != "NORMAL" {
            Some("Gönderi tipi hatalı")
        } else if text(inp, "gonderiTur") != "KARGO" {
            Some("Gönderi türü hatalı")
        } else if dongus.is_empty() {
            Some("Gönderi bilgisi yok")
        } else {
            None
        };
        if let Some(p) = problem {
            return respond(v, op::KABUL_EKLE2, NS_KABUL, NS_KABUL_XSD, batch(FAILED, p));
        }
        let results = dongus.iter().map(|d| self.load_parcel(d, dosya)).collect();
        respond(
            v,
            op::KABUL_EKLE2,
            NS_KABUL,
            NS_KABUL_XSD,
            KabulReturn {
                aciklama: OK_TEXT.into(),
                dongu: results,
                hata_kodu: "1".into(),
            },
        )
    }

    /// Validates one `dongu` and stores it; the result block PTT answers for it.
    fn load_parcel(&self, d: &Element, dosya: &str) -> DonguSonuc {
        let barkod = text(d, "barkodNo").to_string();
        let fail = |msg: String| DonguSonuc {
            barkod_quid: None,
            barkod: barkod.clone(),
            dongu_aciklama: msg,
            dongu_hata_kodu: DONGU_FAILED.into(),
            dongu_sonuc: Some(false),
        };
        if let Err(msg) = validate_parcel(d) {
            return fail(msg);
        }
        let mut all = self
            .state
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if all.get(&barkod).is_some_and(|s| s.cancelled_at.is_none()) {
            return fail(format!("{barkod} barkod numarası daha önce kullanılmıştır"));
        }
        let g = d.child("gondericibilgi");
        let grams: u32 = text(d, "agirlik").parse().unwrap_or(0);
        let gonderen = g
            .map(|g| {
                format!(
                    "{} {}",
                    text(g, "gonderici_adi"),
                    text(g, "gonderici_soyadi")
                )
            })
            .unwrap_or_default();
        let sh = SimShipment {
            barcode: barkod.clone(),
            dosya_adi: dosya.to_string(),
            referans: d.child_text("musteriReferansNo").map(str::to_string),
            alici: turkish_upper(text(d, "aliciAdi")),
            gonderen: turkish_upper(gonderen.trim()),
            origin: g
                .map(|g| text(g, "gonderici_ilce_ad").to_string())
                .unwrap_or_default(),
            destination_il: text(d, "aliciIlAdi").to_string(),
            destination: text(d, "aliciIlceAdi").to_string(),
            declared_grams: grams,
            measured_grams: grams,
            cod: d.child_text("odeme_sart_ucreti").map(str::to_string),
            created_at: self.now(),
            cancelled_at: None,
            scenario: *self
                .state
                .scenario
                .lock()
                .unwrap_or_else(|p| p.into_inner()),
        };
        all.insert(barkod.clone(), sh);
        DonguSonuc {
            barkod_quid: None,
            dongu_aciklama: format!("https://gonderitakip.ptt.gov.tr/Track/Verify?q={barkod}"),
            barkod,
            dongu_hata_kodu: "1".into(),
            dongu_sonuc: Some(true),
        }
    }

    fn barkod_veri_sil(&self, v: SoapVersion, opel: &Element, reject: Option<&str>) -> Answer {
        let inp = input(opel, "inpDelete", NS_KABUL, v)?;
        check_order(inp, DELETE_ORDER, NS_KABUL_XSD, &[], v)?;
        let out = |hata: &str, msg: &str| SimpleReturn {
            aciklama: msg.into(),
            epl_format: None,
            hata_kodu: hata.into(),
        };
        let reply = |r: SimpleReturn| respond(v, op::BARKOD_VERI_SIL, NS_KABUL, NS_KABUL_XSD, r);
        if text(inp, "musteriId") != SANDBOX_MUSTERI_ID.to_string()
            || text(inp, "sifre") != SANDBOX_SIFRE
        {
            return reply(out("-1", BAD_CREDENTIALS));
        }
        if let Some(code) = reject {
            return reply(out(code, &format!("İşlem başarısız (hata kodu {code})")));
        }
        let barcode = text(inp, "barcode");
        let now = self.now();
        let mut all = self
            .state
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let Some(s) = all.get_mut(barcode).filter(|s| s.cancelled_at.is_none()) else {
            return reply(out(FAILED, "Silinecek kayıt bulunamadı"));
        };
        if inp
            .child_text("dosyaAdi")
            .is_some_and(|d| !d.is_empty() && d != s.dosya_adi)
        {
            return reply(out(FAILED, "Barkod bu dosyaya ait değil"));
        }
        let accepted_at = script(s.scenario).offset_of(|st| st.ikodu == ACCEPTED);
        let elapsed = (now - s.created_at).to_std().unwrap_or_default();
        if accepted_at.is_some_and(|a| elapsed >= a) {
            return reply(out(FAILED, "Kabulü yapılmış gönderi silinemez"));
        }
        s.cancelled_at = Some(now);
        reply(out("1", OK_TEXT))
    }

    fn etiket_getir(&self, v: SoapVersion, opel: &Element, reject: Option<&str>) -> Answer {
        let inp = input(opel, "input", NS_KABUL, v)?;
        check_order(inp, LABEL_ORDER, NS_KABUL_XSD, &[], v)?;
        let out = |hata: &str, msg: &str, epl: Option<String>| SimpleReturn {
            aciklama: msg.into(),
            epl_format: epl,
            hata_kodu: hata.into(),
        };
        let reply = |r: SimpleReturn| respond(v, op::ETIKET_GETIR, NS_KABUL, NS_KABUL_XSD, r);
        if text(inp, "musteriId") != SANDBOX_MUSTERI_ID.to_string()
            || text(inp, "sifre") != SANDBOX_SIFRE
        {
            return reply(out("-1", BAD_CREDENTIALS, None));
        }
        if let Some(code) = reject {
            return reply(out(
                code,
                &format!("İşlem başarısız (hata kodu {code})"),
                None,
            ));
        }
        let all = self
            .state
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        match all
            .get(text(inp, "barkodNo"))
            .filter(|s| s.cancelled_at.is_none())
        {
            Some(s) => reply(out("1", OK_TEXT, Some(epl(s)))),
            None => reply(out(FAILED, "Barkod bulunamadı", None)),
        }
    }

    fn gonderi_sorgu(&self, v: SoapVersion, opel: &Element, reject: Option<&str>) -> Answer {
        let inp = input(opel, "input", NS_TAKIP, v)?;
        check_order(inp, TRACK_ORDER, NS_TAKIP_XSD, &[], v)?;
        let reply = |r: TakipReturn| respond(v, op::GONDERI_SORGU, NS_TAKIP, NS_TAKIP_XSD, r);
        let empty = |code: &str, msg: &str| TakipReturn {
            sonuc_kodu: Some(code.into()),
            sonuc_aciklama: Some(msg.into()),
            ..Default::default()
        };
        if text(inp, "kullanici") != SANDBOX_TRACKING_USER || text(inp, "sifre") != SANDBOX_SIFRE {
            return reply(empty("-1", BAD_CREDENTIALS));
        }
        if let Some(code) = reject {
            return reply(empty(code, "İşlem başarısız"));
        }
        let now = self.now();
        let all = self
            .state
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let Some(s) = all.get(text(inp, "barkod")) else {
            return reply(empty("0", "Kayıt bulunamadı"));
        };
        let until = s.cancelled_at.unwrap_or(now).min(now);
        let registered = (until - s.created_at)
            .to_std()
            .is_ok_and(|e| e >= REGISTERED_AFTER);
        if !registered && s.cancelled_at.is_none() {
            // Loaded but not yet in the tracking system: PTT answers an empty result.
            return reply(empty("0", "Kayıt bulunamadı"));
        }
        let tl = script(s.scenario);
        let mut events: Vec<(DateTime<Utc>, &str, &str, String)> = tl
            .reached(s.created_at, until)
            .map(|(at, st)| {
                let office = match st.office {
                    Office::Origin => s.origin.clone(),
                    Office::Hub => format!("{} PİM", s.destination_il),
                    Office::Destination => s.destination.clone(),
                };
                (at, st.ikodu, st.islem, office)
            })
            .collect();
        if let Some(c) = s.cancelled_at {
            events.push((c, "2", "İptal Edildi", s.origin.clone()));
        }
        let accepted = events.iter().find(|e| e.1 == ACCEPTED).map(|e| e.0);
        let delivered = events.iter().any(|e| e.1 == "100");
        let dongu = events
            .iter()
            .enumerate()
            .map(|(i, (at, code, islem, office))| {
                let (d, t) = turkey(*at);
                Hareket {
                    ikodu: (*code).into(),
                    imerk: office.clone(),
                    isaat: t,
                    islem: (*islem).into(),
                    itarih: d,
                    sira_no: (i + 1).to_string(),
                }
            })
            .collect();
        reply(TakipReturn {
            alici: Some(s.alici.clone()),
            barno: Some(s.barcode.clone()),
            gonderen: Some(s.gonderen.clone()),
            gr: accepted.map(|_| s.measured_grams.to_string()),
            itarih: accepted.map(|a| turkey(a).0),
            tesalan: delivered.then(|| s.alici.clone()),
            vmerk: Some(s.destination.clone()),
            dongu,
            sonuc_aciklama: Some("İşlem Başarılı".into()),
            sonuc_kodu: Some("10".into()),
        })
    }
}

/// The checks PTT makes on one parcel; the message it answers in `donguAciklama`.
fn validate_parcel(d: &Element) -> Result<(), String> {
    let barkod = text(d, "barkodNo");
    if !barcode::is_valid(barkod) {
        return Err(format!("Barkod numarası hatalı: '{barkod}'"));
    }
    if !SANDBOX_RANGE.contains(barkod) {
        return Err(format!(
            "{barkod} barkod numarası müşteriye tahsis edilmemiş"
        ));
    }
    for f in [
        "aAdres",
        "aliciAdi",
        "aliciIlAdi",
        "aliciIlceAdi",
        "aliciTel",
        "desi",
        "odemesekli",
    ] {
        if text(d, f).is_empty() {
            return Err(format!("{f} alanı boş olamaz"));
        }
    }
    for f in ["agirlik", "boy", "en", "yukseklik"] {
        if !text(d, f).parse::<i32>().is_ok_and(|n| n > 0) {
            return Err(format!(
                "{f} alanı pozitif tam sayı olmalıdır: '{}'",
                text(d, f)
            ));
        }
    }
    let ten =
        |s: &str| s.len() == 10 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    if let Some(sms) = d.child_text("aliciSms").filter(|s| !ten(s)) {
        return Err(format!(
            "aliciSms 10 hane olmalıdır (başında 0 olmadan): '{sms}'"
        ));
    }
    if !matches!(text(d, "odemesekli"), "MH" | "UA" | "N") {
        return Err(format!("Ödeme şekli hatalı: '{}'", text(d, "odemesekli")));
    }
    let ek = text(d, "ekhizmet");
    if !ek.len().is_multiple_of(2) {
        return Err(format!("Ek hizmet kodu hatalı: '{ek}'"));
    }
    let has = |code: &str| ek.as_bytes().chunks(2).any(|c| c == code.as_bytes());
    let amount_ok = |s: Option<&str>| {
        s.is_some_and(|a| {
            a.split_once('.').is_some_and(|(i, f)| {
                !i.is_empty()
                    && f.len() == 2
                    && (i.to_owned() + f).bytes().all(|b| b.is_ascii_digit())
            })
        })
    };
    if has("OS") && !amount_ok(d.child_text("odeme_sart_ucreti")) {
        return Err("Ödeme şartlı gönderide odeme_sart_ucreti 0.00 biçiminde olmalıdır".into());
    }
    if has("DK") && !amount_ok(d.child_text("deger_ucreti")) {
        return Err("Değer konulmuş gönderide deger_ucreti 0.00 biçiminde olmalıdır".into());
    }
    let Some(g) = d.child("gondericibilgi") else {
        return Err("Gönderici bilgisi boş olamaz".into());
    };
    if text(g, "gonderici_adi").is_empty()
        || text(g, "gonderici_il_ad").is_empty()
        || text(g, "gonderici_ilce_ad").is_empty()
    {
        return Err("Gönderici adı, il ve ilçe boş olamaz".into());
    }
    if text(g, "gonderici_sms").is_empty() && text(g, "gonderici_telefonu").is_empty() {
        return Err("Gönderici SMS veya telefon numarasından biri zorunludur".into());
    }
    Ok(())
}

/// The EPL2 label PTT renders (ASCII: the printers' code pages lack Turkish letters).
fn epl(s: &SimShipment) -> String {
    let ascii = |t: &str| fold(t).to_ascii_uppercase().replace('"', "'");
    let mut out = String::from("N\nq812\nQ1218,24\n");
    out.push_str("A40,40,0,4,1,1,N,\"PTT KARGO\"\n");
    out.push_str(&format!("B40,120,0,1,3,7,160,B,\"{}\"\n", s.barcode));
    out.push_str(&format!(
        "A40,330,0,3,1,1,N,\"ALICI: {}\"\n",
        ascii(&s.alici)
    ));
    out.push_str(&format!(
        "A40,370,0,3,1,1,N,\"{} / {}\"\n",
        ascii(&s.destination),
        ascii(&s.destination_il)
    ));
    if let Some(c) = &s.cod {
        out.push_str(&format!("A40,410,0,3,1,1,N,\"ODEME SARTLI: {c} TL\"\n"));
    }
    out.push_str("P1\n");
    out
}
