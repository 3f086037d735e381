//! Aras Kargo's messages exactly as the two services have them: element names, their order and
//! the `http://tempuri.org/` namespace. Shared by the connector (which writes requests and reads
//! answers) and the simulator (which does the opposite).
//!
//! Order service (ASMX): `SetOrder`, `GetOrderWithIntegrationCode`, `CancelDispatch`.
//! Query service (WCF): `GetQueryJSON`, whose two parameters are XML documents carried as text
//! and whose result is JSON carried as text.

use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// Namespace of every operation and child element of both services.
pub const NS: &str = "http://tempuri.org/";
/// Path of the order (sevkiyat) service on its host.
pub const ORDER_PATH: &str = "/arascargoservice/arascargoservice.asmx";
/// Path of the query (bilgi sorgulama) service on its host.
pub const QUERY_PATH: &str = "/ArasCargoCustomerIntegrationService/ArasCargoIntegrationService.svc";
/// WCF contract name that prefixes the query service's SOAPAction values.
pub const QUERY_CONTRACT: &str = "IArasCargoIntegrationService";
/// `QueryType` of the cargo-by-MÖK query with underscore column names.
pub const QUERY_TYPE_BY_KEY: u32 = 39;

/// The SOAPAction of an order-service operation: `http://tempuri.org/<Operation>`.
pub fn order_action(operation: &str) -> String {
    format!("{NS}{operation}")
}

/// The SOAPAction of a query-service operation:
/// `http://tempuri.org/IArasCargoIntegrationService/<Operation>`.
pub fn query_action(operation: &str) -> String {
    format!("{NS}{QUERY_CONTRACT}/{operation}")
}

/// `SetOrder`: an array of orders plus the operation-level credentials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "SetOrder")]
pub struct SetOrder {
    /// Default namespace of the operation element.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// The orders.
    #[serde(rename = "orderInfo")]
    pub order_info: OrderInfo,
    /// Web-service user.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// Web-service password.
    #[serde(rename = "password")]
    pub password: String,
}

/// `orderInfo`: the array of `Order`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderInfo {
    /// The orders.
    #[serde(rename = "Order", default)]
    pub orders: Vec<Order>,
}

/// One `Order`, fields in the carrier sample's order (optional ones are left out when empty).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Order {
    /// WS user, repeated inside each order.
    pub user_name: String,
    /// WS password, repeated inside each order.
    pub password: String,
    /// Sevk irsaliye no, string(16).
    pub trading_waybill_number: String,
    /// Fatura no, string(20).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub invoice_number: Option<String>,
    /// MÖK, the merchant key, string(32).
    pub integration_code: String,
    /// Recipient name, string(100).
    pub receiver_name: String,
    /// Full address in one string, string(250).
    pub receiver_address: String,
    /// Phone, 10 digits.
    pub receiver_phone1: String,
    /// Second phone.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub receiver_phone2: Option<String>,
    /// GSM.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub receiver_phone3: Option<String>,
    /// Province name, upper case.
    pub receiver_city_name: String,
    /// District name, string(16).
    pub receiver_town_name: String,
    /// Total desi.
    pub volumetric_weight: String,
    /// Total kg.
    pub weight: String,
    /// Number of `PieceDetail`.
    pub piece_count: String,
    /// `0`/`1`.
    pub is_cod: String,
    /// COD amount with two decimals.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cod_amount: Option<String>,
    /// `0` cash, `1` card.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cod_collection_type: Option<String>,
    /// Always `0`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub cod_billing_type: Option<String>,
    /// Free description, string(255).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub description: Option<String>,
    /// `1` sender pays, `2` receiver pays.
    pub payor_type_code: String,
    /// `0` domestic.
    pub is_world_wide: String,
    /// The parcels.
    pub piece_details: PieceDetails,
}

/// `PieceDetails`: the parcels.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PieceDetails {
    /// One per parcel.
    #[serde(rename = "PieceDetail", default)]
    pub pieces: Vec<PieceDetail>,
}

/// One parcel; `BarcodeNumber` is unique and scanned at the branch.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PieceDetail {
    /// Desi, string(6).
    pub volumetric_weight: String,
    /// Kg, string(6).
    pub weight: String,
    /// Parcel barcode, string(64).
    pub barcode_number: String,
    /// Product number (sent empty).
    pub product_number: String,
    /// Contents, string(64).
    pub description: String,
}

/// One `OrderResultInfo` of `SetOrderResult`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct OrderResultInfo {
    /// `0` success, otherwise an error code.
    pub result_code: String,
    /// The carrier's message.
    pub result_message: String,
    /// Echo of the invoice number (meaning uncertain).
    pub invoice_key: Option<String>,
    /// Undocumented id; the carrier sample echoes the IntegrationCode.
    pub org_receiver_cust_id: Option<String>,
}

/// `CancelDispatch(userName, password, integrationCode)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "CancelDispatch")]
pub struct CancelDispatch {
    /// Default namespace.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// WS user.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// WS password.
    #[serde(rename = "password")]
    pub password: String,
    /// The MÖK to delete.
    #[serde(rename = "integrationCode")]
    pub integration_code: String,
}

/// `GetOrderWithIntegrationCode(userName, password, integrationCode)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "GetOrderWithIntegrationCode")]
pub struct GetOrderWithIntegrationCode {
    /// Default namespace.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// WS user.
    #[serde(rename = "userName")]
    pub user_name: String,
    /// WS password.
    #[serde(rename = "password")]
    pub password: String,
    /// The MÖK to look up.
    #[serde(rename = "integrationCode")]
    pub integration_code: String,
}

/// The result of `CancelDispatch`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CancelResult {
    /// `0`/`1` success, otherwise an error code.
    pub result_code: String,
    /// The carrier's message.
    pub result_message: String,
}

/// `GetQueryJSON(loginInfo, queryInfo)`: both parameters are XML documents sent as text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename = "GetQueryJSON")]
pub struct GetQueryJson {
    /// Default namespace.
    #[serde(rename = "@xmlns")]
    pub xmlns: String,
    /// `<LoginInfo>` as text.
    #[serde(rename = "loginInfo")]
    pub login_info: String,
    /// `<QueryInfo>` as text.
    #[serde(rename = "queryInfo")]
    pub query_info: String,
}

/// `<LoginInfo>`: the query service's credentials (it adds `CustomerCode`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "LoginInfo", rename_all = "PascalCase")]
pub struct LoginInfo {
    /// Query user.
    pub user_name: String,
    /// Query password.
    pub password: String,
    /// Customer code.
    pub customer_code: String,
}

/// `<QueryInfo>` for a query by MÖK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename = "QueryInfo", rename_all = "PascalCase")]
pub struct QueryInfo {
    /// The query type (39: cargo by MÖK).
    pub query_type: String,
    /// The MÖK (comma-separated for bulk).
    pub integration_code: String,
}

/// Serializes a message to XML text (no declaration).
pub fn to_xml<T: Serialize>(value: &T) -> Result<String, quick_xml::SeError> {
    quick_xml::se::to_string(value)
}

/// One cargo record of a `GetQueryJSON` answer. Both spellings of the column names are accepted
/// (QueryType 39's ASCII underscore keys and the older spaced Turkish headers); values may come
/// as JSON strings or numbers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct QueryCargo<'a> {
    /// MÖK.
    #[serde(rename = "MUSTERI_OZEL_KODU", alias = "MÜŞTERİ ÖZEL KODU", borrow, default)]
    pub integration_code: Option<Val<'a>>,
    /// The carrier's 13-digit tracking number.
    #[serde(rename = "KARGO_TAKIP_NO", alias = "KARGO TAKİP NO", borrow, default)]
    pub tracking_number: Option<Val<'a>>,
    /// Origin branch.
    #[serde(rename = "CIKIS_SUBE", alias = "ÇIKIŞ ŞUBE", borrow, default)]
    pub origin_branch: Option<Val<'a>>,
    /// Destination branch.
    #[serde(rename = "VARIS_SUBE", alias = "VARIŞ ŞUBE", borrow, default)]
    pub destination_branch: Option<Val<'a>>,
    /// Departure date `dd.MM.yyyy`.
    #[serde(rename = "CIKIS_TARIH", alias = "ÇIKIŞ TARİH", borrow, default)]
    pub departure_date: Option<Val<'a>>,
    /// Departure time `HH:mm`.
    #[serde(rename = "CIKIS_SAATI", alias = "ÇIKIŞ SAATİ", borrow, default)]
    pub departure_time: Option<Val<'a>>,
    /// Piece count.
    #[serde(rename = "ADET", borrow, default)]
    pub pieces: Option<Val<'a>>,
    /// Billable kg/desi measured by the carrier.
    #[serde(rename = "KG_DESI", alias = "KG/DESİ", alias = "KG DESİ", borrow, default)]
    pub kg_desi: Option<Val<'a>>,
    /// Freight amount without VAT.
    #[serde(rename = "TUTAR(KDV’SİZ)", alias = "TUTAR(KDV'SİZ)", alias = "TUTAR", borrow, default)]
    pub amount_ex_vat: Option<Val<'a>>,
    /// `1` normal, `2` redirected, `3` returned.
    #[serde(rename = "TIP_KODU", alias = "TİP KODU", borrow, default)]
    pub type_code: Option<Val<'a>>,
    /// Status code (1–7).
    #[serde(rename = "DURUM_KODU", alias = "DURUM KODU", borrow, default)]
    pub status_code: Option<Val<'a>>,
    /// Status text (Turkish).
    #[serde(rename = "DURUMU", borrow, default)]
    pub status_text: Option<Val<'a>>,
    /// Status text (English).
    #[serde(rename = "DURUM_EN", borrow, default)]
    pub status_en: Option<Val<'a>>,
    /// Who received it.
    #[serde(rename = "TESLIM_ALAN", alias = "TESLİM ALAN", borrow, default)]
    pub received_by: Option<Val<'a>>,
    /// Delivery date `dd.MM.yyyy`.
    #[serde(rename = "TESLIM_TARIHI", alias = "TESLİM TARİHİ", borrow, default)]
    pub delivery_date: Option<Val<'a>>,
    /// Delivery time `HH:mm`.
    #[serde(rename = "TESLIM_SAATI", alias = "TESLİM SAATİ", borrow, default)]
    pub delivery_time: Option<Val<'a>>,
    /// Transaction date of this record (`dd.MM.yyyy[ HH:mm[:ss]]`).
    #[serde(rename = "ISLEM_TARIHI", alias = "İŞLEM TARİHİ", borrow, default)]
    pub event_date: Option<Val<'a>>,
    /// Non-delivery (devir) code, numeric or its letters (`AY`).
    #[serde(rename = "DEVIR_KODU", alias = "DEVİR KODU", borrow, default)]
    pub devir_code: Option<Val<'a>>,
    /// Non-delivery explanation.
    #[serde(rename = "DEVIR_ACIKLAMA", alias = "DEVİR AÇIKLAMA", borrow, default)]
    pub devir_text: Option<Val<'a>>,
    /// Non-delivery reason.
    #[serde(rename = "DEVIR_NEDENI", alias = "DEVİR NEDENİ", borrow, default)]
    pub devir_reason: Option<Val<'a>>,
    /// COD amount collected.
    #[serde(rename = "TAHSILAT_TUTARI", alias = "TAHSİLAT TUTARI", borrow, default)]
    pub cod_amount: Option<Val<'a>>,
}

/// The `QueryResult` wrapper: `{"QueryResult":{"Cargo":{…}|[…]}}` or `{"QueryResult":null}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct QueryJson<'a> {
    /// The result, `None` when nothing was found.
    #[serde(rename = "QueryResult", borrow, default)]
    pub query_result: Option<QueryResult<'a>>,
}

/// The inside of `QueryResult`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct QueryResult<'a> {
    /// One record or many.
    #[serde(rename = "Cargo", borrow, default, deserialize_with = "one_or_many")]
    pub cargo: Vec<QueryCargo<'a>>,
}

/// A JSON scalar as text, borrowed from the input when it has no escapes: strings as they are,
/// numbers in their JSON spelling, booleans as `1`/`0` (`null` is the surrounding `Option`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Val<'a>(pub Cow<'a, str>);

impl Val<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Val<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Val<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Val(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Val(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Val(Cow::Owned(v)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Val(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Val(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Val(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Val(Cow::Borrowed(if v { "1" } else { "0" })))
            }
        }
        d.deserialize_any(V)
    }
}

/// `Cargo` as one object, an array of objects, or null.
fn one_or_many<'de: 'a, 'a, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<QueryCargo<'a>>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<QueryCargo<'de>>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a cargo object, an array of them, or null")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
            let one = QueryCargo::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
            Ok(vec![one])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
            while let Some(c) = seq.next_element::<QueryCargo>()? {
                out.push(c);
            }
            Ok(out)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_follow_the_two_services_conventions() {
        assert_eq!(order_action("SetOrder"), "http://tempuri.org/SetOrder");
        assert_eq!(
            query_action("GetQueryJSON"),
            "http://tempuri.org/IArasCargoIntegrationService/GetQueryJSON"
        );
    }

    #[test]
    fn cargo_is_one_or_many_and_values_may_be_numbers() -> Result<(), serde_json::Error> {
        let one: QueryJson = serde_json::from_str(r#"{"QueryResult":{"Cargo":{"KARGO TAKİP NO":3513773163316,"DURUM_KODU":"2"}}}"#)?;
        let cargo = one.query_result.map(|r| r.cargo).unwrap_or_default();
        assert_eq!(cargo.len(), 1);
        assert_eq!(cargo[0].tracking_number.as_ref().map(Val::as_str), Some("3513773163316"));
        let many: QueryJson = serde_json::from_str(r#"{"QueryResult":{"Cargo":[{"DURUM_KODU":"1"},{"DURUM_KODU":null}]}}"#)?;
        assert_eq!(many.query_result.map(|r| r.cargo.len()), Some(2));
        let none: QueryJson = serde_json::from_str(r#"{"QueryResult":null}"#)?;
        assert!(none.query_result.is_none());
        Ok(())
    }
}
