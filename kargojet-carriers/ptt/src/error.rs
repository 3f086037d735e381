//! PTT's outcome codes → core errors. PTT reports errors in-band with HTTP 200: `hataKodu` +
//! `aciklama` for the batch, `donguHataKodu` + `donguAciklama` (+ `donguSonuc`) per barcode;
//! real SOAP faults only come from the gateway ("Policy Falsified") or Axis2 itself. The
//! carrier's code always travels in `carrier_code`; it is never promoted to a KargoJet code.

use kargojet_core::carrier::CarrierId;
use kargojet_core::geo::fold;
use kargojet_core::{Code, Error};

/// Why a PTT answer could not be read (turned into `protocol.malformed` with the raw body).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PttError {
    /// The body is empty.
    #[error("empty response body")]
    Empty,
    /// The body is not UTF-8.
    #[error("response is not UTF-8: {0}")]
    Encoding(String),
    /// Not well-formed XML, or truncated.
    #[error("malformed XML: {0}")]
    Xml(String),
    /// A required element is missing.
    #[error("missing element `{0}`")]
    Missing(&'static str),
    /// An element has a value of the wrong shape.
    #[error("element `{field}` has an invalid value {value:?}")]
    Invalid {
        /// Element name.
        field: &'static str,
        /// The value found.
        value: String,
    },
}

impl PttError {
    /// The core protocol error, keeping the raw body (lossily decoded if not UTF-8).
    pub fn into_core(self, raw: &[u8]) -> Error {
        Error::protocol(
            Some(CarrierId::Ptt),
            self.to_string(),
            String::from_utf8_lossy(raw).into_owned(),
        )
    }
}

/// The outcome value meaning success in `hataKodu`, `donguHataKodu` and `sonucKodu`.
pub const SUCCESS: &str = "1";
/// `hataKodu` of bad credentials ("Kullanıcı Şifre Hatalı"), returned with HTTP 200.
pub const BAD_CREDENTIALS: &str = "-1";
/// Text of a gateway fault: the tracking service is not enabled for this customer yet.
pub const POLICY_FALSIFIED: &str = "Policy Falsified";

/// A documented outcome code and what KargoJet makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Where it appears.
    pub field: &'static str,
    /// The carrier's code.
    pub code: &'static str,
    /// Its meaning.
    pub meaning: &'static str,
    /// The KargoJet code it maps to (`None`: success).
    pub maps_to: Option<Code>,
}

/// Every documented outcome code (ptt.md, "Outcome codes" and "Quirks").
pub const OUTCOMES: &[Outcome] = &[
    Outcome {
        field: "hataKodu",
        code: SUCCESS,
        meaning: "başarılı",
        maps_to: None,
    },
    Outcome {
        field: "hataKodu",
        code: BAD_CREDENTIALS,
        meaning: "Kullanıcı Şifre Hatalı",
        maps_to: Some(Code::AuthFailed),
    },
    Outcome {
        field: "donguHataKodu",
        code: SUCCESS,
        meaning: "başarılı (donguSonuc = true)",
        maps_to: None,
    },
    Outcome {
        field: "sonucKodu",
        code: SUCCESS,
        meaning: "başarılı (siparisIstekEkle2)",
        maps_to: None,
    },
    Outcome {
        field: "sonucKodu",
        code: "10",
        meaning: "başarılı (tracking test system); unreliable",
        maps_to: None,
    },
    Outcome {
        field: "soap:Fault",
        code: POLICY_FALSIFIED,
        meaning: "tracking not enabled for the customer",
        maps_to: Some(Code::AuthFailed),
    },
];

/// Maps a batch-level `hataKodu`/`aciklama` (create, delete, label): `1` is success, `-1` is
/// an auth failure, anything else a carrier rejection with the code in `carrier_code`.
pub fn check_batch(hata_kodu: &str, aciklama: &str) -> Result<(), Error> {
    match hata_kodu.trim() {
        SUCCESS => Ok(()),
        BAD_CREDENTIALS => Err(Error::Auth {
            code: Code::AuthFailed,
            carrier: Some(CarrierId::Ptt),
            detail: format!("hataKodu -1: {aciklama}"),
        }),
        other => Err(Error::rejected(CarrierId::Ptt, other, aciklama)),
    }
}

/// Maps one `dongu` outcome of `kabulEkle2`: success when `donguHataKodu` is `1` or
/// `donguSonuc` is true. A failure whose text says the barcode was already loaded is
/// `carrier.duplicate` (the expected answer to a resend with the same `barkodNo`).
pub fn check_dongu(hata_kodu: &str, sonuc: Option<bool>, aciklama: &str) -> Result<(), Error> {
    if hata_kodu.trim() == SUCCESS || sonuc == Some(true) {
        return Ok(());
    }
    let code = if is_duplicate_text(aciklama) {
        Code::CarrierDuplicate
    } else {
        Code::CarrierRejected
    };
    Err(Error::CarrierRejected {
        code,
        carrier: CarrierId::Ptt,
        carrier_code: hata_kodu.trim().to_string(),
        carrier_message: aciklama.to_string(),
    })
}

/// Whether a per-barcode message says the barcode is already loaded ("daha önce kullanılmış",
/// "zaten kayıtlı", "mevcut"): Turkish-folded so case and dotted/dotless i do not matter.
pub fn is_duplicate_text(text: &str) -> bool {
    let f = fold(text);
    f.contains("barkod")
        && (f.contains("daha once")
            || f.contains("zaten")
            || f.contains("mevcut")
            || f.contains("kullanilmis"))
}

/// Maps a SOAP fault: the gateway's "Policy Falsified" is an auth problem (the service is not
/// enabled for this customer); any other fault is a rejection carrying the fault code.
pub fn from_fault(code: &str, reason: &str) -> Error {
    if reason.contains(POLICY_FALSIFIED) {
        Error::Auth {
            code: Code::AuthFailed,
            carrier: Some(CarrierId::Ptt),
            detail: format!("SOAP fault: {reason}"),
        }
    } else {
        Error::rejected(CarrierId::Ptt, code, reason)
    }
}

/// The error for a body that holds no `return`: a SOAP fault through [`from_fault`], anything
/// else `protocol.malformed` with the raw body.
pub fn fault_error(raw: &[u8]) -> Error {
    use kargojet_carrier_common::soap::{SoapBody, body_of_bytes};
    match body_of_bytes(raw) {
        Ok(SoapBody::Fault(f)) => from_fault(&f.code, &f.reason),
        Ok(SoapBody::Payload { .. }) => PttError::Missing("return").into_core(raw),
        Err(e) => e.into_core(CarrierId::Ptt, &String::from_utf8_lossy(raw)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_codes_map_as_the_table_says() {
        for o in OUTCOMES {
            let got = match o.field {
                "hataKodu" => check_batch(o.code, o.meaning).err().map(|e| e.code()),
                "donguHataKodu" => check_dongu(o.code, None, o.meaning).err().map(|e| e.code()),
                "soap:Fault" => Some(
                    from_fault("soapenv:Receiver", "Policy Falsified - Service Not Found").code(),
                ),
                _ => None,
            };
            assert_eq!(got, o.maps_to, "{} {}", o.field, o.code);
        }
    }

    #[test]
    fn rejections_keep_the_carrier_code() {
        let e = check_batch("3", "Müşteri bulunamadı").err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::CarrierRejected));
        assert_eq!(e.as_ref().and_then(|e| e.carrier_code()), Some("3"));
        let d = check_dongu(
            "0",
            Some(false),
            "Bu BARKOD numarası daha önce kullanılmıştır",
        )
        .err();
        assert_eq!(d.as_ref().map(|e| e.code()), Some(Code::CarrierDuplicate));
        assert_eq!(d.as_ref().and_then(|e| e.carrier_code()), Some("0"));
        assert!(check_dongu("0", Some(true), "").is_ok());
        assert_eq!(
            check_dongu("5", None, "Alıcı adı boş")
                .err()
                .map(|e| e.code()),
            Some(Code::CarrierRejected)
        );
    }

    #[test]
    fn protocol_errors_keep_the_raw_body() {
        let e = PttError::Missing("return").into_core(b"<x/>");
        assert_eq!(e.code(), Code::ProtocolMalformed);
        assert_eq!(e.raw(), Some("<x/>"));
    }
}
