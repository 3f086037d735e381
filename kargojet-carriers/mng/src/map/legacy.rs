//! The legacy `MusteriSiparisNew` SOAP calls of future returns: `GelecekIadeSiparisKayit`
//! (the customer drops the parcel at any MNG branch), `GelecekIadeSiparisIptali` and
//! `GelecekIadeSiparisKontrol` (a .NET DataSet with the 0–7 status code).

use super::{check_key, text_of};
use crate::config::LegacyConfig;
use crate::error::{self, LEGACY_REFUSED, LEGACY_UNKNOWN, MngError};
use crate::status;
use crate::wire::{self, LegacyCall};
use kargojet_carrier_common::dates;
use kargojet_carrier_common::soap::{SoapBody, body_of};
use kargojet_carrier_common::xml::{XmlCursor, unescape};
use kargojet_core::carrier::{CarrierId, ReturnRequest};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::geo::turkish_upper;
use kargojet_core::shipment::MerchantKey;
use kargojet_core::tracking::{ShipmentStatus, TrackingEvent};

/// Longest `pAciklama`.
pub const DESCRIPTION_MAX: usize = 250;

fn login(cfg: &LegacyConfig) -> Vec<(&'static str, String)> {
    vec![
        ("pKullaniciAdi", cfg.username.clone()),
        ("pSifre", cfg.password.clone()),
    ]
}

/// `GelecekIadeSiparisKayit` for `req`: the original recipient sends the parcel back to the
/// account (a future return order under the return's merchant key).
pub fn build_return(req: &ReturnRequest, cfg: &LegacyConfig) -> Result<LegacyCall> {
    let key = req.merchant_key.as_str();
    check_key(key)?;
    let customer = &req.shipment.recipient;
    let a = &customer.address;
    let waybill = req
        .shipment
        .order_id
        .as_deref()
        .map(str::trim)
        .filter(|o| !o.is_empty())
        .unwrap_or(req.original.merchant_key.as_str())
        .to_string();
    let description: String = format!("İade: {}", req.original.merchant_key)
        .chars()
        .take(DESCRIPTION_MAX)
        .collect();
    let phone_param = if customer.phone.is_mobile() {
        "pGonTelCep"
    } else {
        "pGonTelEv"
    };
    let mut params = login(cfg);
    params.extend([
        ("pSiparisNo", key.to_string()),
        ("pIrsaliyeNo", waybill),
        ("pGonMusteriAdi", customer.name.clone()),
        ("pGonMusAdresFarkli", "0".to_string()),
        ("pGonIlAdi", turkish_upper(&a.province)),
        ("pGonilceAdi", turkish_upper(&a.district)),
        ("pGonAdresText", a.line.clone()),
    ]);
    if let Some(n) = a.neighbourhood.as_deref().filter(|n| !n.trim().is_empty()) {
        params.push(("pGonMahalle", n.trim().to_string()));
    }
    params.push((phone_param, customer.phone.digits().to_string()));
    if let Some(m) = customer.email.as_deref().filter(|m| !m.trim().is_empty()) {
        params.push(("pGonEmail", m.trim().to_string()));
    }
    params.extend([
        ("pGonVergiDairesi", wire::TAX_OFFICE_PERSON.to_string()),
        (
            "pGonVergiNumarasi",
            customer.tax_id.clone().unwrap_or_default(),
        ),
        ("pOdemeSekli", cfg.return_payment.to_string()),
        ("pAciklama", description),
    ]);
    // Keep the sample's parameter order whatever was optional.
    params.sort_by_key(|(n, _)| wire::RETURN_CREATE_PARAMS.iter().position(|p| p == n));
    Ok(LegacyCall {
        op: wire::OP_RETURN_CREATE,
        params,
    })
}

/// `GelecekIadeSiparisIptali` or `GelecekIadeSiparisKontrol` for `key`.
pub fn key_call(op: &'static str, key: &MerchantKey, cfg: &LegacyConfig) -> Result<LegacyCall> {
    check_key(key.as_str())?;
    let mut params = login(cfg);
    params.push(("pSiparisNo", key.as_str().to_string()));
    Ok(LegacyCall { op, params })
}

/// The text of `<{op}Result>` in a SOAP answer. A SOAP fault is `carrier.rejected` with the
/// fault code; a non-SOAP or incomplete body is `protocol.malformed`; an HTTP error status
/// without a SOAP envelope is `transport.http_status`.
pub fn result_text(http_status: u16, body: &[u8], op: &str) -> Result<String> {
    let text = text_of(body)?;
    let payload = match body_of(text) {
        Ok(SoapBody::Fault(f)) => return Err(f.into_core(CarrierId::Mng)),
        Ok(SoapBody::Payload { inner_xml, .. }) => inner_xml,
        Err(_) if !(200..300).contains(&http_status) => {
            return Err(error::http_status(http_status, text));
        }
        Err(e) => return Err(e.into_core(CarrierId::Mng, text)),
    };
    let want = format!("{op}Result");
    let mut cur = XmlCursor::new(payload);
    let el = match cur.find(&want) {
        Ok(Some(el)) => el,
        Ok(None) => return Err(error::malformed(format!("no <{want}> in the answer"), text)),
        Err(e) => return Err(e.into_core(CarrierId::Mng, text)),
    };
    let raw = cur
        .raw_element(&el)
        .map_err(|e| e.into_core(CarrierId::Mng, text))?;
    Ok(inner_of(raw))
}

/// The content of an element given as raw XML: its unescaped text when it has no child
/// elements, else its inner XML as is (a DataSet).
fn inner_of(raw: &str) -> String {
    let Some(gt) = raw.find('>') else {
        return String::new();
    };
    if raw[..gt].ends_with('/') {
        return String::new();
    }
    let end = raw.rfind("</").unwrap_or(raw.len());
    let inner = raw.get(gt + 1..end).unwrap_or("");
    if inner.contains('<') {
        inner.to_string()
    } else {
        unescape(inner).trim().to_string()
    }
}

/// A create or cancel result: `1` is success; `E003:…` texts and `0` are errors with their code.
pub fn check_ok(result: &str) -> Result<()> {
    let t = result.trim();
    if t == wire::LEGACY_OK {
        return Ok(());
    }
    let code = match t.split_once(':') {
        Some((c, _))
            if c.len() >= 2 && c.starts_with('E') && c[1..].bytes().all(|b| b.is_ascii_digit()) =>
        {
            c.to_string()
        }
        _ if t == LEGACY_REFUSED => LEGACY_REFUSED.to_string(),
        _ => LEGACY_UNKNOWN.to_string(),
    };
    Err(MngError::Legacy {
        code,
        text: t.to_string(),
    }
    .into())
}

/// One future return's status read from the `GelecekIadeSiparisKontrol` DataSet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyStatus {
    /// The 0–7 code as sent.
    pub code: String,
    /// The normalized status, if the code is known.
    pub status: Option<ShipmentStatus>,
    /// The status as an event, when the row has a date.
    pub event: Option<TrackingEvent>,
    /// The dynamic tracking link, if any.
    pub tracking_url: Option<String>,
}

/// Reads the first row of the DataSet inside `<GelecekIadeSiparisKontrolResult>`: the code is
/// the first column whose name contains `STATU` or `DURUM` and holds a number, the wording a
/// column with `ACIKLAMA`, the date a column with `TARIH`, the link any value starting with
/// `http` (column names are not documented: see the README). `Ok(None)` for an empty DataSet.
pub fn parse_status(http_status: u16, body: &[u8]) -> Result<Option<LegacyStatus>> {
    let inner = result_text(http_status, body, wire::OP_RETURN_STATUS)?;
    let raw = String::from_utf8_lossy(body);
    if !inner.contains('<') {
        // No DataSet: nothing registered yet (empty), or an error message (`E003:…`).
        if inner.trim().is_empty() {
            return Ok(None);
        }
        check_ok(&inner)?;
        return Err(error::malformed(
            "a status answer without a DataSet",
            raw.as_ref(),
        ));
    }
    let Some(columns) = first_row(&inner).map_err(|e| error::malformed(e, raw.as_ref()))? else {
        return Ok(None);
    };
    let upper = |n: &str| n.to_ascii_uppercase();
    let code = columns.iter().find_map(|(n, v)| {
        let n = upper(n);
        ((n.contains("STATU") || n.contains("DURUM"))
            && !n.contains("ACIKLAMA")
            && !n.contains("TARIH")
            && v.trim().parse::<u8>().is_ok())
        .then(|| v.trim().to_string())
    });
    let Some(code) = code else {
        return Err(error::malformed(
            "the DataSet row has no status code column",
            raw.as_ref(),
        ));
    };
    let wording = columns
        .iter()
        .find(|(n, _)| upper(n).contains("ACIKLAMA"))
        .map(|(_, v)| v.trim().to_string())
        .filter(|v| !v.is_empty());
    let link = columns
        .iter()
        .map(|(_, v)| v.trim())
        .find(|v| v.starts_with("http://") || v.starts_with("https://"))
        .map(String::from);
    let when = columns
        .iter()
        .find(|(n, v)| upper(n).contains("TARIH") && !v.trim().is_empty())
        .map(|(_, v)| v.trim().to_string());
    let st = status::legacy_status(&code, wording.as_deref().unwrap_or_default());
    let event = match when {
        None => None,
        Some(w) => {
            let time = dates::mng(&w)
                .or_else(|| dates::parse_any(&w))
                .ok_or_else(|| error::malformed(format!("bad date '{w}'"), raw.as_ref()))?;
            Some(TrackingEvent {
                time,
                location: None,
                carrier_text: wording
                    .clone()
                    .or_else(|| status::legacy(&code).map(|k| k.text_tr.to_string()))
                    .unwrap_or_else(|| code.clone()),
                carrier_code: code.clone(),
                status: st,
                measurement: None,
            })
        }
    };
    Ok(Some(LegacyStatus {
        code,
        status: st,
        event,
        tracking_url: link,
    }))
}

/// The `(column, text)` pairs of the first row of a DataSet diffgram (the first element below
/// `NewDataSet`/`DocumentElement`), or `None` without rows.
fn first_row(xml: &str) -> std::result::Result<Option<Vec<(String, String)>>, String> {
    let mut cur = XmlCursor::new(xml);
    let mut table = None;
    while let Some(el) = cur.next_element().map_err(|e| e.to_string())? {
        if matches!(el.local_name(), "NewDataSet" | "DocumentElement") {
            table = Some(el);
            break;
        }
    }
    let Some(table) = table else {
        return Ok(None);
    };
    let Some(row) = cur.next_child(&table).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    let mut columns = Vec::new();
    while let Some(col) = cur.next_child(&row).map_err(|e| e.to_string())? {
        let text = cur.text_trimmed(&col).map_err(|e| e.to_string())?;
        columns.push((col.local_name().to_string(), text.into_owned()));
    }
    cur.finish().map_err(|e| e.to_string())?;
    Ok(Some(columns))
}

/// True when `e` is the refusal of a legacy cancel (the method answered `0`).
pub fn is_refused(e: &Error) -> bool {
    e.code() == Code::CarrierRejected && e.carrier_code() == Some(LEGACY_REFUSED)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn soap(op: &str, result: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><{op}Response xmlns=\"http://tempuri.org/\"><{op}Result>{result}</{op}Result></{op}Response></soap:Body></soap:Envelope>"
        )
    }

    #[test]
    fn results_and_legacy_error_strings() {
        let ok = soap("SiparisIptali_C2C", "1");
        assert_eq!(
            result_text(200, ok.as_bytes(), "SiparisIptali_C2C").unwrap(),
            "1"
        );
        assert!(check_ok("1").is_ok());
        let e = check_ok("E003:Kullanıcı adi veya sifresi yanlış tekrar kontrol ediniz. [3]")
            .unwrap_err();
        assert_eq!(e.code(), Code::AuthFailed);
        let e = check_ok("E014:pSiparisNo boş olamaz").unwrap_err();
        assert_eq!(e.carrier_code(), Some("E014"));
        let e = check_ok("0").unwrap_err();
        assert!(is_refused(&e));
        assert_eq!(
            check_ok("Beklenmeyen hata").unwrap_err().carrier_code(),
            Some("LEGACY")
        );
        let e = result_text(200, b"<html>", "X").unwrap_err();
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert_eq!(
            result_text(500, b"oops", "X").unwrap_err().code(),
            Code::TransportHttpStatus
        );
        let other = soap("Other", "1");
        assert_eq!(
            result_text(200, other.as_bytes(), "X").unwrap_err().code(),
            Code::ProtocolMalformed
        );
        let fault = "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault><faultcode>soap:Client</faultcode><faultstring>Server did not recognize the value of HTTP Header SOAPAction</faultstring></soap:Fault></soap:Body></soap:Envelope>";
        let e = result_text(500, fault.as_bytes(), "X").unwrap_err();
        assert_eq!(e.carrier_code(), Some("soap:Client"));
    }

    #[test]
    fn datasets_are_read_leniently() {
        let ds = "<xs:schema id=\"NewDataSet\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"NewDataSet\"/></xs:schema><diffgr:diffgram xmlns:msdata=\"urn:schemas-microsoft-com:xml-msdata\" xmlns:diffgr=\"urn:schemas-microsoft-com:xml-diffgram-v1\"><NewDataSet xmlns=\"\"><Table1 diffgr:id=\"Table11\" msdata:rowOrder=\"0\"><SIPARIS_NO>KJ24R1</SIPARIS_NO><DURUM>3</DURUM><DURUM_ACIKLAMA>Gönderi Teslim Birimine Ulaştı</DURUM_ACIKLAMA><ISLEM_TARIHI>14.03.2024 10:15:00</ISLEM_TARIHI><TAKIP_LINKI>https://kargotakip.mngkargo.com.tr/?takipNo=1</TAKIP_LINKI></Table1></NewDataSet></diffgr:diffgram>";
        let body = soap("GelecekIadeSiparisKontrol", ds);
        let s = parse_status(200, body.as_bytes()).unwrap().unwrap();
        assert_eq!(
            (s.code.as_str(), s.status),
            ("3", Some(ShipmentStatus::AtBranch))
        );
        let e = s.event.unwrap();
        assert_eq!(e.carrier_text, "Gönderi Teslim Birimine Ulaştı");
        assert_eq!(e.time.to_rfc3339(), "2024-03-14T10:15:00+03:00");
        assert!(s.tracking_url.unwrap().starts_with("https://"));
        let empty = soap(
            "GelecekIadeSiparisKontrol",
            "<diffgr:diffgram xmlns:diffgr=\"urn:schemas-microsoft-com:xml-diffgram-v1\"/>",
        );
        assert_eq!(parse_status(200, empty.as_bytes()).unwrap(), None);
        let no_code = soap(
            "GelecekIadeSiparisKontrol",
            "<diffgr:diffgram xmlns:diffgr=\"x\"><NewDataSet><T><A>b</A></T></NewDataSet></diffgr:diffgram>",
        );
        assert_eq!(
            parse_status(200, no_code.as_bytes()).unwrap_err().code(),
            Code::ProtocolMalformed
        );
        let err = soap(
            "GelecekIadeSiparisKontrol",
            "E003:Kullanıcı adi veya sifresi yanlış",
        );
        assert_eq!(
            parse_status(200, err.as_bytes()).unwrap_err().code(),
            Code::AuthFailed
        );
    }
}
