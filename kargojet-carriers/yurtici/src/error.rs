//! Yurtiçi error codes → the core [`Error`].
//!
//! Every documented per-item `errCode` is listed in [`ERROR_CODES`]. Business errors become
//! `carrier.rejected` with the carrier's code in `carrier_code` (never promoted to a KargoJet
//! code); `60020` (cargoKey already exists) becomes `carrier.duplicate`, the answer a resend with
//! the same key expects. Failures of this crate itself are [`YurticiError`].

use crate::wire::YurticikargoWSException;
use kargojet_carrier_common::soap::SoapFault;
use kargojet_core::carrier::CarrierId;
use kargojet_core::error::{Code, Error};
use kargojet_core::geo::fold;

/// One documented error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// The numeric `errCode`.
    pub code: i32,
    /// The carrier's constant name as far as the notes give it (`…` where they elide it;
    /// the carrier's spelling `LENGHT` is kept).
    pub constant: &'static str,
    /// What it means.
    pub meaning: &'static str,
}

const fn ec(code: i32, constant: &'static str, meaning: &'static str) -> ErrorCode {
    ErrorCode {
        code,
        constant,
        meaning,
    }
}

/// The code for a duplicate cargoKey.
pub const DUPLICATE_CARGO_KEY: i32 = 60020;
/// The code for a cargoKey unknown to this user (cancel; also used for queries, see README).
pub const CARGO_KEY_NOT_FOUND: i32 = 82519;
/// The code for a cancel of an already cancelled shipment.
pub const ALREADY_CANCELLED: i32 = 82520;

/// Every documented error code (carrier integration PDF, as transcribed by omniship-yurtici).
pub const ERROR_CODES: &[ErrorCode] = &[
    ec(936, "", "unexpected error, contact YK IT"),
    ec(
        60017,
        "ERR_INTG_INVOICE_KEY_PARAM_NOT_FOUND",
        "invoiceKey missing",
    ),
    ec(
        60018,
        "ERR_INTG_RECEIVER_CUST_NAME_PARAM_NOT_FOUND",
        "receiver name missing",
    ),
    ec(
        60019,
        "ERR_INTG_RECEIVER_ADDRESS_PARAM_NOT_FOUND",
        "receiver address missing",
    ),
    ec(
        60020,
        "ERR_EXIST_CARGO_KEY_PARAM",
        "cargoKey already exists",
    ),
    ec(80057, "MSG_JOB_ID_NOT_FOUND", "jobId not found"),
    ec(
        80859,
        "ERR_INTG_CARGO_KEY_PARAM_NOT_FOUND",
        "cargoKey missing",
    ),
    ec(82500, "…_LENGHT", "cargoKey too long"),
    ec(82501, "…_LENGHT", "invoiceKey too long"),
    ec(82502, "…_LENGHT", "address too long"),
    ec(82503, "…_LENGHT", "name too long"),
    ec(82505, "ERR_INTG_TT_INVOICE_AMOUNT_…", "COD amount missing"),
    ec(82506, "ERR_INTG_TT_INVOICE_AMOUNT_…", "COD amount too long"),
    ec(
        82507,
        "ERR_INTG_TT_DOCUMENT_ID_…",
        "COD document id missing",
    ),
    ec(
        82508,
        "ERR_INTG_TT_DOCUMENT_ID_…",
        "COD document id too long",
    ),
    ec(82509, "ERR_INTG_DC_…", "installment count missing"),
    ec(82510, "ERR_INTG_DC_…", "installment count too long"),
    ec(82511, "ERR_INTG_DC_…", "credit rule missing"),
    ec(
        82512,
        "ERR_INTG_DC_COLL_CC_WRONG_PARAMETER",
        "payment type does not match the user's contract",
    ),
    ec(82513, "ERR_INTG_TT_COLL_TYPE", "ttCollectionType not 0/1"),
    ec(
        82514,
        "ERR_INTG_TT_DOC_SAVE_TYPE",
        "ttDocumentSaveType not 0/1",
    ),
    ec(82515, "…", "bad e-mail"),
    ec(82516, "…", "bad phone"),
    ec(82517, "…", "bad format"),
    ec(82518, "…", "bad credit rule"),
    ec(
        82519,
        "ERR_INTG_CARGO_KEY_NOT_FOUND",
        "cargoKey unknown for this user",
    ),
    ec(
        82520,
        "ERR_INTG_CARGO_KEY_OPERATION_CANCELLED",
        "already cancelled",
    ),
    ec(82526, "ERR_INTG_KEYS_NOT_FOUND", "query: keys missing"),
    ec(
        82527,
        "ERR_INTG_KEY_TYPE_NOT_FOUND",
        "query: keyType invalid",
    ),
];

/// Looks a documented code up.
pub fn lookup(code: i32) -> Option<&'static ErrorCode> {
    ERROR_CODES.iter().find(|e| e.code == code)
}

/// The error for a per-item `errCode`; `None` for `0` (success).
pub fn item_error(code: i32, message: Option<&str>) -> Option<Error> {
    if code == 0 {
        return None;
    }
    let text = match (
        message.map(str::trim).filter(|m| !m.is_empty()),
        lookup(code),
    ) {
        (Some(m), _) => m.to_string(),
        (None, Some(known)) => known.meaning.to_string(),
        (None, None) => "undocumented Yurtiçi error code".to_string(),
    };
    let mut err = Error::rejected(CarrierId::Yurtici, code.to_string(), text);
    if code == DUPLICATE_CARGO_KEY
        && let Error::CarrierRejected { code, .. } = &mut err
    {
        *code = Code::CarrierDuplicate;
    }
    Some(err)
}

/// True for `carrier.duplicate` with Yurtiçi's `60020`.
pub fn is_duplicate(err: &Error) -> bool {
    err.code() == Code::CarrierDuplicate && err.carrier_code() == Some("60020")
}

/// Whether a carrier text says the caller is blocked for repeating a query (the block on an
/// identical `queryShipment` within about a minute; its exact answer is not documented).
pub fn is_repeat_block(text: &str) -> bool {
    let f = fold(text);
    (f.contains("dakika") || f.contains("minute"))
        && (f.contains("tekrar") || f.contains("again") || f.contains("ayni") || f.contains("same"))
}

/// Whether a carrier text says the credentials are wrong.
pub fn is_auth_text(text: &str) -> bool {
    let f = fold(text);
    let words: Vec<&str> = f.split(' ').collect();
    let word = |w: &str| {
        words
            .iter()
            .any(|x| *x == w || x.starts_with(&format!("{w}s")))
    };
    word("sifre")
        || word("sifreniz")
        || word("password")
        || word("yetkisiz")
        || word("unauthorized")
        || f.contains("kullanici adi")
}

/// The error for a result whose `outFlag` is not `0` and that carries no item to blame
/// (`1` all failed, `2` unexpected error). `err_code` is the `errCode` of an
/// `extendedBaseResultVO`, when there is one.
pub fn flag_error(out_flag: &str, out_result: Option<&str>, err_code: Option<&str>) -> Error {
    let text = out_result.unwrap_or("").trim().to_string();
    if is_repeat_block(&text) {
        return Error::RateLimited {
            code: Code::RateLimited,
            carrier: Some(CarrierId::Yurtici),
            retry_after_ms: Some(60_000),
        };
    }
    if is_auth_text(&text) {
        return Error::Auth {
            code: Code::AuthFailed,
            carrier: Some(CarrierId::Yurtici),
            detail: text,
        };
    }
    let carrier_code = match err_code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => format!("outFlag={}", out_flag.trim()),
    };
    if let Ok(n) = carrier_code.parse::<i32>()
        && let Some(e) = item_error(n, Some(&text))
    {
        return e;
    }
    Error::rejected(CarrierId::Yurtici, carrier_code, text)
}

/// The `YurticikargoWSException` inside a fault's detail, if there is one.
pub fn ws_exception(fault: &SoapFault) -> Option<YurticikargoWSException> {
    let detail = fault.detail.as_deref()?.trim();
    let start = detail.find("YurticikargoWSException")?;
    let open = detail[..start].rfind('<')?;
    quick_xml::de::from_str(&detail[open..]).ok()
}

/// The error for a SOAP fault. A `YurticikargoWSException` keeps its `errorCode`; credential
/// wording becomes `auth.failed`; any other fault (e.g. JAX-WS "Unmarshalling Error") is a
/// rejection with the fault code as `carrier_code`.
pub fn fault_error(fault: &SoapFault) -> Error {
    let exc = ws_exception(fault);
    let text = exc
        .as_ref()
        .and_then(|e| e.err_text.clone())
        .unwrap_or_else(|| fault.reason.clone())
        .trim()
        .to_string();
    if is_auth_text(&text) {
        return Error::Auth {
            code: Code::AuthFailed,
            carrier: Some(CarrierId::Yurtici),
            detail: text,
        };
    }
    if is_repeat_block(&text) {
        return Error::RateLimited {
            code: Code::RateLimited,
            carrier: Some(CarrierId::Yurtici),
            retry_after_ms: Some(60_000),
        };
    }
    let code = match exc.and_then(|e| e.error_code) {
        Some(c) => c.to_string(),
        None if fault.code.trim().is_empty() => "soap:Fault".to_string(),
        None => fault.code.trim().to_string(),
    };
    Error::rejected(CarrierId::Yurtici, code, text)
}

/// Failures of this crate that are not the carrier's answer.
#[derive(Debug, thiserror::Error)]
pub enum YurticiError {
    /// No web-service user is configured for the payment type a shipment needs.
    #[error("no Yurtiçi user configured for {0}")]
    MissingUser(&'static str),
    /// A request could not be written as XML.
    #[error("could not write the {op} request: {detail}")]
    Write {
        /// Operation.
        op: &'static str,
        /// Serializer message.
        detail: String,
    },
    /// A response could not be read.
    #[error("could not read the {op} response: {detail}")]
    Read {
        /// Operation.
        op: &'static str,
        /// What failed.
        detail: String,
        /// The body exactly as received (lossily decoded).
        raw: String,
    },
}

impl From<YurticiError> for Error {
    fn from(e: YurticiError) -> Error {
        match e {
            YurticiError::MissingUser(which) => Error::invalid(
                Code::RequestInvalidConfig,
                format!("yurtici.users.{which}"),
                format!(
                    "no Yurtiçi web-service user for {which}; Yurtiçi binds the payment type to the user"
                ),
            ),
            YurticiError::Write { op, detail } => {
                Error::internal(format!("yurtici {op}: {detail}"))
            }
            YurticiError::Read { op, detail, raw } => {
                Error::protocol(Some(CarrierId::Yurtici), format!("{op}: {detail}"), raw)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_code_is_a_rejection_with_its_code() {
        for e in ERROR_CODES {
            let err = item_error(e.code, None).expect("non-zero codes are errors");
            assert_eq!(err.carrier_code(), Some(e.code.to_string().as_str()));
            let want = if e.code == 60020 {
                Code::CarrierDuplicate
            } else {
                Code::CarrierRejected
            };
            assert_eq!(err.code(), want, "{}", e.code);
        }
        assert!(item_error(0, Some("ok")).is_none());
        let unknown = item_error(99999, None).expect("unknown codes are errors");
        assert_eq!(unknown.carrier_code(), Some("99999"));
        assert!(is_duplicate(
            &item_error(60020, Some("mevcut")).expect("dup")
        ));
    }

    #[test]
    fn flags_and_faults() {
        assert_eq!(
            flag_error("2", Some("Aynı sorgu 1 dakika içinde tekrarlanamaz"), None).code(),
            Code::RateLimited
        );
        assert_eq!(
            flag_error("2", Some("Kullanıcı adı veya şifre hatalı"), None).code(),
            Code::AuthFailed
        );
        let e = flag_error("1", Some("Hata"), Some("82519"));
        assert_eq!(e.carrier_code(), Some("82519"));
        assert_eq!(
            flag_error("2", Some("Beklenmeyen hata"), None).carrier_code(),
            Some("outFlag=2")
        );
        let f = SoapFault {
            code: "S:Server".into(),
            reason: "x".into(),
            detail: Some("<ns2:YurticikargoWSException xmlns:ns2=\"http://yurticikargo.com.tr/WSExceptions/\"><errorCode>936</errorCode><errText>Beklenmeyen</errText></ns2:YurticikargoWSException>".into()),
        };
        assert_eq!(fault_error(&f).carrier_code(), Some("936"));
        let plain = SoapFault {
            code: "S:Client".into(),
            reason: "Unmarshalling Error".into(),
            detail: None,
        };
        assert_eq!(fault_error(&plain).carrier_code(), Some("S:Client"));
        let e: Error = YurticiError::MissingUser("cod_card").into();
        assert_eq!(e.code(), Code::RequestInvalidConfig);
        assert_eq!(e.field(), Some("yurtici.users.cod_card"));
    }
}
