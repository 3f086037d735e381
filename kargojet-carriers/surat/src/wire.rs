//! Sürat's wire types, exactly as the carrier names them: the SOAP (ASMX, namespace
//! `http://tempuri.org/`) call bodies and results, and the tracking JSON (sent as the REST body
//! or as the string result of the SOAP call). Shared by the connector and the simulator.

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use std::borrow::Cow;
use std::fmt;

/// The ASMX service namespace.
pub const NS: &str = "http://tempuri.org/";

/// Path of the SOAP service on the host.
pub const SOAP_PATH: &str = "/services.asmx";

/// Path of the REST tracking endpoint on the host.
pub const REST_TRACK_PATH: &str = "/api/KargoTakipHareketDetayi";

/// A SOAP operation of the unified service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Create without a carrier barcode (pre-acceptance): string result.
    Create,
    /// Create with a carrier barcode (authorized accounts only): structured result with ZPL.
    CreateWithBarcode,
    /// Withdraw / cancel: string result.
    Cancel,
    /// PDF label by merchant key.
    Label,
    /// Tracking, JSON inside the string result.
    Track,
}

impl Operation {
    /// Every operation.
    pub const ALL: [Operation; 5] = [
        Operation::Create,
        Operation::CreateWithBarcode,
        Operation::Cancel,
        Operation::Label,
        Operation::Track,
    ];

    /// The operation (and call element) name.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "GonderiyiKargoyaGonderYeni",
            Operation::CreateWithBarcode => "GonderiyiKargoyaGonderYeniSiparisBarkodOlustur",
            Operation::Cancel => "GonderiGeriCek",
            Operation::Label => "KargoBarkodu",
            Operation::Track => "KargoTakipHareketDetayi",
        }
    }

    /// The operation whose call element is `name`.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }

    /// The SOAP 1.1 action, unquoted: `http://tempuri.org/<Operation>`.
    pub fn action(self) -> String {
        format!("{NS}{}", self.name())
    }

    /// The answer element name: `<Operation>Response`.
    pub fn response_element(self) -> String {
        format!("{}Response", self.name())
    }

    /// The result element name: `<Operation>Result`.
    pub fn result_element(self) -> String {
        format!("{}Result", self.name())
    }
}

fn ns() -> String {
    NS.to_string()
}

/// `Gonderi`: one shipment, fields in the order Sürat's clients send them. Empty fields are
/// left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
#[allow(non_snake_case, missing_docs)]
pub struct Gonderi {
    /// Receiver name (≤ 100).
    pub KisiKurum: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub SahisBirim: Option<String>,
    /// Single-line address (≤ 250).
    pub AliciAdresi: String,
    /// Province name.
    pub Il: String,
    /// District name (mandatory).
    pub Ilce: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub TelefonEv: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub TelefonIs: Option<String>,
    /// Mobile, `05XXXXXXXXX`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub TelefonCep: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub Email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub AliciKodu: Option<String>,
    /// 1 dosya, 2 mi, 3 koli.
    pub KargoTuru: u8,
    /// 1 peşin (sender pays), 2 ücreti alıcı.
    pub OdemeTipi: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub IrsaliyeSeriNo: Option<String>,
    /// Needed for COD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub IrsaliyeSiraNo: Option<String>,
    /// Grouping / order number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ReferansNo: Option<String>,
    /// The merchant key (becomes Sürat's `WebSiparisKodu`).
    pub OzelKargoTakipNo: String,
    /// Number of parcels.
    pub Adet: u32,
    /// Desi per parcel, as a string.
    pub BirimDesi: String,
    /// Kg per parcel, as a string.
    pub BirimKg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub KargoIcerigi: Option<String>,
    /// 0 none, 1 cash, 2 card/POS.
    pub KapidanOdemeTahsilatTipi: u8,
    /// COD amount, as a string with a dot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub KapidanOdemeTutari: Option<String>,
    /// Comma-separated extra services (`AliciyaSms`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub EkHizmetler: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub SevkAdresi: Option<String>,
    /// 1 to the address, 2 at the branch.
    pub TeslimSekli: u8,
    pub TasimaSekli: u8,
    pub GonderiSekli: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub TeslimSubeKodu: Option<String>,
    /// 0/1.
    pub Pazaryerimi: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub EntegrasyonFirmasi: Option<String>,
    /// Return shipment.
    pub Iademi: bool,
}

/// The body of `GonderiyiKargoyaGonderYeni` and `…SiparisBarkodOlustur`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[allow(non_snake_case)]
pub struct CreateCall {
    /// Namespace attribute (`http://tempuri.org/`).
    #[serde(rename = "@xmlns", default = "ns")]
    pub xmlns: String,
    /// Cari kodu.
    pub KullaniciAdi: String,
    /// Cari şifre.
    pub Sifre: String,
    /// The shipment.
    pub Gonderi: Gonderi,
}

/// The body of `GonderiGeriCek`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(non_snake_case)]
pub struct CancelCall {
    /// Namespace attribute.
    #[serde(rename = "@xmlns", default = "ns")]
    pub xmlns: String,
    /// Cari kodu.
    pub KullaniciAdi: String,
    /// Cari şifre.
    pub Sifre: String,
    /// Merchant key.
    pub OzelKargoTakipNo: String,
    /// Reason (required).
    pub IptalNeden: String,
}

/// The body of `KargoBarkodu` (lower-camel parameter names, as Sürat has them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelCall {
    /// Namespace attribute.
    #[serde(rename = "@xmlns", default = "ns")]
    pub xmlns: String,
    /// Cari kodu.
    #[serde(rename = "cariKodu")]
    pub cari_kodu: String,
    /// Web service password.
    #[serde(rename = "WebPassword")]
    pub web_password: String,
    /// Merchant key.
    #[serde(rename = "ozelKargoTakipNo")]
    pub ozel_kargo_takip_no: String,
}

/// The body of the SOAP `KargoTakipHareketDetayi` call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(non_snake_case)]
pub struct TrackCall {
    /// Namespace attribute.
    #[serde(rename = "@xmlns", default = "ns")]
    pub xmlns: String,
    /// Cari kodu.
    pub CariKodu: String,
    /// Web service password.
    pub WebPassword: String,
    /// Merchant key (`OzelKargoTakipNo`).
    pub WebSiparisKodu: String,
}

/// The body of an answer whose result is a string (create, cancel, SOAP tracking):
/// `<Op>Response xmlns="http://tempuri.org/"><Op>Result>text</Op>Result></Op>Response>`.
pub fn string_response(op: Operation, text: &str) -> String {
    let name = op.name();
    let text = kargojet_carrier_common::xml::escape_text(text);
    format!("<{name}Response xmlns=\"{NS}\"><{name}Result>{text}</{name}Result></{name}Response>")
}

/// `Barcode`: the ZPL strings, each in an `anyType` element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BarcodeList {
    /// ZPL documents.
    #[serde(rename = "anyType", default)]
    pub any_type: Vec<String>,
}

/// `GonderiyiKargoyaGonderYeniSiparisBarkodOlusturResult`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BarcodeResult {
    /// Error flag.
    #[serde(rename = "isError")]
    pub is_error: bool,
    /// Result text (`[016] Barkod Gönderilmiştir`).
    #[serde(rename = "Message")]
    pub message: String,
    /// Sürat's 14-digit tracking number.
    #[serde(
        rename = "KargoTakipNo",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub kargo_takip_no: Option<String>,
    /// ZPL labels.
    #[serde(rename = "Barcode", default, skip_serializing_if = "Option::is_none")]
    pub barcode: Option<BarcodeList>,
}

/// `GonderiyiKargoyaGonderYeniSiparisBarkodOlusturResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BarcodeResponse {
    /// Namespace attribute.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// The result.
    #[serde(rename = "GonderiyiKargoyaGonderYeniSiparisBarkodOlusturResult")]
    pub result: BarcodeResult,
}

/// `KargoBarkoduResult` (field names from the notes; the ZPL printer-code field is not named
/// there and is not read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[allow(non_snake_case)]
pub struct LabelResult {
    /// Base64 PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub PdfBarkod: Option<String>,
    /// Sürat tracking number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub KargoTakipNo: Option<String>,
    /// Merchant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub OzelKargoTakipNo: Option<String>,
    /// Barcode number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub BarkodNo: Option<String>,
    /// Explanation (`Kayıt bulunamadı` when unknown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub Aciklama: Option<String>,
}

/// `KargoBarkoduResponse`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LabelResponse {
    /// Namespace attribute.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// The result.
    #[serde(rename = "KargoBarkoduResult")]
    pub result: LabelResult,
}

/// Text of a tracking field: borrowed from the answer when it holds no escapes.
pub type Text<'a> = Cow<'a, str>;

struct LenientVisitor;

impl<'de> Visitor<'de> for LenientVisitor {
    type Value = Option<Text<'de>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, a number, a boolean or null")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(LenientVisitor)
    }
}

/// A JSON value that Sürat sends as a string or a number (or null): read as text, borrowed
/// from the input where possible.
pub fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Text<'de>>, D::Error> {
    d.deserialize_option(LenientVisitor)
}

/// The tracking document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrackingResponse<'a> {
    /// Error flag (`true` with "kabul bekleniyor" before branch acceptance).
    #[serde(rename = "IsError")]
    pub is_error: bool,
    /// Error text.
    #[serde(
        rename = "errorMessage",
        default,
        borrow,
        deserialize_with = "lenient_string"
    )]
    pub error_message: Option<Text<'a>>,
    /// The shipments found.
    #[serde(rename = "Gonderiler", default, borrow)]
    pub gonderiler: Option<Vec<TrackedShipment<'a>>>,
}

/// One shipment in the tracking document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[allow(non_snake_case, missing_docs)]
pub struct TrackedShipment<'a> {
    /// The merchant key.
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub WebSiparisKodu: Option<Text<'a>>,
    /// Sürat's tracking number (14 digits), after acceptance.
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub KargoTakipNo: Option<Text<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub BarkodNo: Option<Text<'a>>,
    /// Status wording.
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub KargonunDurumu: Option<Text<'a>>,
    /// Status code (number or string).
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub KargonunDurumuSayi: Option<Text<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub TakipUrl: Option<Text<'a>>,
    /// `dd.MM.yyyy HH:mm:ss`.
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub TeslimTarihi: Option<Text<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub TeslimAlan: Option<Text<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub PlanlananTeslimTarihi: Option<Text<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub IadeAciklama: Option<Text<'a>>,
    /// `Evet` / `Hayır`.
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub IadeDurum: Option<Text<'a>>,
    /// Non-delivery reason.
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub DevirSebebi: Option<Text<'a>>,
    /// Sürat's amount (VAT included).
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub Tutar: Option<Text<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub TutarKdvsiz: Option<Text<'a>>,
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub KdvTutar: Option<Text<'a>>,
    /// Measured desi/kg.
    #[serde(
        default,
        borrow,
        deserialize_with = "lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub ToplamDesiKg: Option<Text<'a>>,
    /// Movements.
    #[serde(default, borrow)]
    pub Hareketler: Option<Vec<Movement<'a>>>,
}

/// One movement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[allow(non_snake_case)]
pub struct Movement<'a> {
    /// Wording.
    #[serde(default, borrow, deserialize_with = "lenient_string")]
    pub Islem: Option<Text<'a>>,
    /// `yyyy-MM-ddTHH:mm:ss.fff`, Turkey time.
    #[serde(default, borrow, deserialize_with = "lenient_string")]
    pub IslemTarihi: Option<Text<'a>>,
    /// Movement code (number or string).
    #[serde(default, borrow, deserialize_with = "lenient_string")]
    pub KargoHareketKargonunDurumuSayi: Option<Text<'a>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_and_names() {
        assert_eq!(
            Operation::Create.action(),
            "http://tempuri.org/GonderiyiKargoyaGonderYeni"
        );
        assert_eq!(Operation::from_name("KargoBarkodu"), Some(Operation::Label));
        assert_eq!(Operation::Cancel.result_element(), "GonderiGeriCekResult");
    }

    #[test]
    fn tracking_codes_arrive_as_numbers_or_strings() -> Result<(), serde_json::Error> {
        let a: TrackedShipment =
            serde_json::from_str(r#"{"KargonunDurumuSayi": 6, "ToplamDesiKg": 2.5}"#)?;
        let b: TrackedShipment =
            serde_json::from_str(r#"{"KargonunDurumuSayi": "6", "ToplamDesiKg": null}"#)?;
        assert_eq!(a.KargonunDurumuSayi.as_deref(), Some("6"));
        assert_eq!(a.ToplamDesiKg.as_deref(), Some("2.5"));
        assert_eq!(b.KargonunDurumuSayi.as_deref(), Some("6"));
        assert_eq!(b.ToplamDesiKg, None);
        Ok(())
    }
}
