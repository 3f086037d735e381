//! Aras result codes (inside HTTP 200) mapped to the core [`Error`]: the carrier's code always
//! travels in `carrier_code` and is never promoted to a KargoJet code. Also the crate's own
//! parse error, which becomes `protocol.malformed` carrying the raw body.

use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error};

/// What a documented result code means for the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The operation succeeded.
    Success,
    /// The credentials were rejected (`auth.failed`).
    Auth,
    /// The order already exists at the carrier in a state a resend cannot change
    /// (`carrier.duplicate`, the expected answer to a resend after the waybill is cut).
    Duplicate,
    /// The record does not exist (`not_found.shipment`, still a carrier rejection).
    NotFound,
    /// The shipment's state forbids it, e.g. cancel after the waybill (`shipment.invalid_state`).
    InvalidState,
    /// Any other business rejection (`carrier.rejected`).
    Rejected,
}

/// A documented result code with the carrier's Turkish message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResultCode {
    /// The code as sent.
    pub code: &'static str,
    /// The carrier's message (abridged from the carrier PDF).
    pub message_tr: &'static str,
    /// What it means.
    pub outcome: Outcome,
}

const fn rc(code: &'static str, message_tr: &'static str, outcome: Outcome) -> ResultCode {
    ResultCode {
        code,
        message_tr,
        outcome,
    }
}

use Outcome::*;

/// Every documented `SetOrder` result code [SEVK].
pub const SET_ORDER_CODES: &[ResultCode] = &[
    rc("0", "Başarılı", Success),
    rc("935", "ReceiverPhone1 yalnız rakam olmalı", Rejected),
    rc("936", "Güncelleme hatası", Rejected),
    rc("937", "Sipariş numarası gerekli", Rejected),
    rc("938", "Alıcı adresi gerekli", Rejected),
    rc("939", "Alıcı adı gerekli", Rejected),
    rc("940", "Şehir adı gerekli", Rejected),
    rc("941", "İlçe adı gerekli", Rejected),
    rc("942", "Alıcı ödemeli tahsilatlı kargo yapılamaz", Rejected),
    rc("1000", "Kullanıcı adı / şifre yanlış", Auth),
    rc(
        "1001",
        "Entegrasyon bilgileri güncellenirken hata",
        Rejected,
    ),
    rc("1002", "Aras şube bilgisi tanımlı değil", Rejected),
    rc(
        "60020",
        "İrsaliyesi kesilmiş siparişin bilgileri güncellenemez",
        Duplicate,
    ),
    rc("60021", "En az bir sipariş gönderilmeli", Rejected),
    rc("70018", "ReceiverAddress en fazla 250 karakter", Rejected),
    rc("70019", "InvoiceKey en fazla 20 karakter", Rejected),
    rc(
        "70020",
        "Toplam parça sayısı ≠ gönderilen parça sayısı",
        Rejected,
    ),
    rc("70021", "Toplam parça sayısı gerekli", Rejected),
    rc("70022", "Parça barkodu eksik", Rejected),
    rc("70023", "Volume bilgisi eksik", Rejected),
    rc("70024", "Kg bilgisi eksik", Rejected),
    rc("70025", "Dosya gönderisi tek parça olmalı", Rejected),
    rc("70026", "Volume decimal olmalı", Rejected),
    rc("70027", "Bu barkod daha önce gönderilmiş", Duplicate),
    rc("70028", "Kg decimal olmalı", Rejected),
    rc(
        "70029",
        "İrsaliyesi kesilmiş gönderi güncellenemez",
        Duplicate,
    ),
    rc("70030", "Parça barkodları aynı olamaz", Rejected),
    rc("70031", "Kargo işleme tabi tutulmuş", Duplicate),
    rc("70032", "PayorTypeCode yalnız 1 veya 2", Rejected),
    rc("70033", "CodCollectionType yalnız 0 veya 1", Rejected),
    rc("70034", "IsCod yalnız 0 veya 1", Rejected),
    rc(
        "70035",
        "Bir sipariş en fazla 20 kez gönderilebilir",
        Rejected,
    ),
];

/// Every documented `CancelDispatch` result code [SEVK].
pub const CANCEL_CODES: &[ResultCode] = &[
    rc("0", "Başarılı", Success),
    rc("1", "başarılı bir şekilde silindi", Success),
    rc("-1", "Kayıt bulunamadı", NotFound),
    rc("-2", "Kullanıcı adı/şifre hatalı", Auth),
    rc("936", "Hata oluştu", Rejected),
    rc(
        "999",
        "İrsaliyesi Kesilmiş Sipariş İptal Edilemez.",
        InvalidState,
    ),
];

/// The documented entry for a code in a table.
pub fn lookup(table: &'static [ResultCode], code: &str) -> Option<&'static ResultCode> {
    let code = code.trim();
    table.iter().find(|r| r.code == code)
}

/// Turns a result code of `table` into `Ok(())` or the core error. Unknown codes are
/// rejections carrying the code.
pub fn check(table: &'static [ResultCode], code: &str, message: &str) -> Result<(), Error> {
    let outcome = lookup(table, code).map_or(Rejected, |r| r.outcome);
    let code = code.trim();
    let message = if message.trim().is_empty() {
        lookup(table, code).map_or("", |r| r.message_tr).to_string()
    } else {
        message.trim().to_string()
    };
    let rejected = |c: Code| Error::CarrierRejected {
        code: c,
        carrier: CarrierId::Aras,
        carrier_code: code.to_string(),
        carrier_message: message.clone(),
    };
    match outcome {
        Success => Ok(()),
        Auth => Err(Error::Auth {
            code: Code::AuthFailed,
            carrier: Some(CarrierId::Aras),
            detail: format!("[{code}] {message}"),
        }),
        Duplicate => Err(rejected(Code::CarrierDuplicate)),
        NotFound => Err(rejected(Code::NotFoundShipment)),
        InvalidState => Err(rejected(Code::ShipmentInvalidState)),
        Rejected => Err(rejected(Code::CarrierRejected)),
    }
}

/// Whether a text reads like a credentials complaint (`kullanıcı`, `şifre`, `müşteri kodu`).
fn is_auth_text(text: &str) -> bool {
    let f = kargojet_core::geo::fold(text);
    [
        "sifre",
        "kullanici adi",
        "musteri kodu",
        "yetki",
        "password",
        "login",
    ]
    .iter()
    .any(|k| f.contains(k))
}

/// A SOAP fault from either service: a credentials complaint is `auth.failed`, anything else a
/// rejection with the fault code as `carrier_code`.
pub fn fault(fault_code: &str, fault_text: &str) -> Error {
    if is_auth_text(fault_text) {
        return Error::Auth {
            code: Code::AuthFailed,
            carrier: Some(CarrierId::Aras),
            detail: fault_text.to_string(),
        };
    }
    Error::rejected(CarrierId::Aras, fault_code, fault_text)
}

/// A `GetQueryJSONResult` that is not JSON: the query service's in-band error text (its wording
/// is not documented; credentials complaints become `auth.failed`).
pub fn query_text(text: &str) -> Error {
    if is_auth_text(text) {
        return Error::Auth {
            code: Code::AuthFailed,
            carrier: Some(CarrierId::Aras),
            detail: text.to_string(),
        };
    }
    Error::rejected(CarrierId::Aras, "GetQueryJSON", text)
}

/// Why an answer could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The body is not well-formed XML (or not UTF-8).
    #[error("malformed XML: {0}")]
    Xml(String),
    /// The SOAP structure is not what the operation answers.
    #[error("unexpected SOAP structure: {0}")]
    Structure(String),
    /// The JSON inside the result string is malformed.
    #[error("malformed JSON in GetQueryJSONResult: {0}")]
    Json(String),
    /// A value has the wrong shape.
    #[error("bad value at {field}: {detail}")]
    Value {
        /// Where.
        field: &'static str,
        /// What.
        detail: String,
    },
}

impl ParseError {
    /// The core `protocol.malformed` error, keeping the raw body.
    pub fn into_core(self, raw: &str) -> Error {
        Error::protocol(Some(CarrierId::Aras), self.to_string(), raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_order_code_maps_and_keeps_the_carrier_code() {
        for r in SET_ORDER_CODES {
            let res = check(SET_ORDER_CODES, r.code, "");
            match r.outcome {
                Success => assert!(res.is_ok()),
                Auth => assert_eq!(res.err().map(|e| e.code()), Some(Code::AuthFailed)),
                Duplicate => {
                    let e = res.err();
                    assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::CarrierDuplicate));
                    assert_eq!(e.as_ref().and_then(|e| e.carrier_code()), Some(r.code));
                }
                _ => {
                    let e = res.err();
                    assert_eq!(
                        e.as_ref().map(|e| e.code()),
                        Some(Code::CarrierRejected),
                        "{}",
                        r.code
                    );
                    assert_eq!(e.as_ref().and_then(|e| e.carrier_code()), Some(r.code));
                    assert!(e.is_some_and(|e| e.message_tr().contains(r.message_tr)));
                }
            }
        }
    }

    #[test]
    fn cancel_codes_and_unknown_codes() {
        assert!(check(CANCEL_CODES, "1", "KJ1 başarılı bir şekilde silindi").is_ok());
        let e = check(CANCEL_CODES, "999", "").err();
        assert_eq!(
            e.as_ref().map(|e| e.code()),
            Some(Code::ShipmentInvalidState)
        );
        assert_eq!(e.as_ref().and_then(|e| e.carrier_code()), Some("999"));
        assert_eq!(
            check(CANCEL_CODES, "-1", "").err().map(|e| e.code()),
            Some(Code::NotFoundShipment)
        );
        assert_eq!(
            check(CANCEL_CODES, "-2", "").err().map(|e| e.code()),
            Some(Code::AuthFailed)
        );
        let e = check(SET_ORDER_CODES, "123456", "yeni hata").err();
        assert_eq!(e.as_ref().and_then(|e| e.carrier_code()), Some("123456"));
        assert_eq!(e.map(|e| e.code()), Some(Code::CarrierRejected));
    }

    #[test]
    fn faults_and_query_texts() {
        assert_eq!(
            fault("s:Client", "Kullanıcı adı veya şifre hatalı").code(),
            Code::AuthFailed
        );
        assert_eq!(
            fault("s:Server", "Object reference not set").carrier_code(),
            Some("s:Server")
        );
        assert_eq!(query_text("Müşteri kodu hatalı").code(), Code::AuthFailed);
        let raw = "<x";
        let e = ParseError::Xml("eof".into()).into_core(raw);
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert_eq!(e.raw(), Some(raw));
    }
}
