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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QueryCargo<'a> {
    /// MÖK.
    pub integration_code: Option<Val<'a>>,
    /// The carrier's 13-digit tracking number.
    pub tracking_number: Option<Val<'a>>,
    /// Origin branch.
    pub origin_branch: Option<Val<'a>>,
    /// Destination branch.
    pub destination_branch: Option<Val<'a>>,
    /// Departure date `dd.MM.yyyy`.
    pub departure_date: Option<Val<'a>>,
    /// Departure time `HH:mm`.
    pub departure_time: Option<Val<'a>>,
    /// Piece count.
    pub pieces: Option<Val<'a>>,
    /// Billable kg/desi measured by the carrier.
    pub kg_desi: Option<Val<'a>>,
    /// Freight amount without VAT.
    pub amount_ex_vat: Option<Val<'a>>,
    /// `1` normal, `2` redirected, `3` returned.
    pub type_code: Option<Val<'a>>,
    /// Status code (1–7).
    pub status_code: Option<Val<'a>>,
    /// Status text (Turkish).
    pub status_text: Option<Val<'a>>,
    /// Status text (English).
    pub status_en: Option<Val<'a>>,
    /// Who received it.
    pub received_by: Option<Val<'a>>,
    /// Delivery date `dd.MM.yyyy`.
    pub delivery_date: Option<Val<'a>>,
    /// Delivery time `HH:mm`.
    pub delivery_time: Option<Val<'a>>,
    /// Transaction date of this record (`dd.MM.yyyy[ HH:mm[:ss]]`).
    pub event_date: Option<Val<'a>>,
    /// Non-delivery (devir) code, numeric or its letters (`AY`).
    pub devir_code: Option<Val<'a>>,
    /// Non-delivery explanation.
    pub devir_text: Option<Val<'a>>,
    /// Non-delivery reason.
    pub devir_reason: Option<Val<'a>>,
    /// COD amount collected.
    pub cod_amount: Option<Val<'a>>,
}

/// The column names of [`QueryCargo`]'s fields, in field order: every spelling of each.
pub const QUERY_COLUMNS: [&[&str]; 21] = [
    &["MUSTERI_OZEL_KODU", "MÜŞTERİ ÖZEL KODU"],
    &["KARGO_TAKIP_NO", "KARGO TAKİP NO"],
    &["CIKIS_SUBE", "ÇIKIŞ ŞUBE"],
    &["VARIS_SUBE", "VARIŞ ŞUBE"],
    &["CIKIS_TARIH", "ÇIKIŞ TARİH"],
    &["CIKIS_SAATI", "ÇIKIŞ SAATİ"],
    &["ADET"],
    &["KG_DESI", "KG/DESİ", "KG DESİ"],
    &["TUTAR(KDV’SİZ)", "TUTAR(KDV'SİZ)", "TUTAR"],
    &["TIP_KODU", "TİP KODU"],
    &["DURUM_KODU", "DURUM KODU"],
    &["DURUMU"],
    &["DURUM_EN"],
    &["TESLIM_ALAN", "TESLİM ALAN"],
    &["TESLIM_TARIHI", "TESLİM TARİHİ"],
    &["TESLIM_SAATI", "TESLİM SAATİ"],
    &["ISLEM_TARIHI", "İŞLEM TARİHİ"],
    &["DEVIR_KODU", "DEVİR KODU"],
    &["DEVIR_ACIKLAMA", "DEVİR AÇIKLAMA"],
    &["DEVIR_NEDENI", "DEVİR NEDENİ"],
    &["TAHSILAT_TUTARI", "TAHSİLAT TUTARI"],
];

impl<'a> QueryCargo<'a> {
    /// Stores the value of column `key` (either spelling); unknown columns are ignored.
    pub fn set(&mut self, key: &str, value: Option<Val<'a>>) {
        if let Some((column, _)) = Self::column(key) {
            *self.column_mut(column) = value;
        }
    }

    /// The column `key` names, as (index into [`QUERY_COLUMNS`], index of the spelling).
    pub fn column(key: &str) -> Option<(usize, usize)> {
        Some(match key {
            "MUSTERI_OZEL_KODU" => (0, 0),
            "MÜŞTERİ ÖZEL KODU" => (0, 1),
            "KARGO_TAKIP_NO" => (1, 0),
            "KARGO TAKİP NO" => (1, 1),
            "CIKIS_SUBE" => (2, 0),
            "ÇIKIŞ ŞUBE" => (2, 1),
            "VARIS_SUBE" => (3, 0),
            "VARIŞ ŞUBE" => (3, 1),
            "CIKIS_TARIH" => (4, 0),
            "ÇIKIŞ TARİH" => (4, 1),
            "CIKIS_SAATI" => (5, 0),
            "ÇIKIŞ SAATİ" => (5, 1),
            "ADET" => (6, 0),
            "KG_DESI" => (7, 0),
            "KG/DESİ" => (7, 1),
            "KG DESİ" => (7, 2),
            "TUTAR(KDV’SİZ)" => (8, 0),
            "TUTAR(KDV'SİZ)" => (8, 1),
            "TUTAR" => (8, 2),
            "TIP_KODU" => (9, 0),
            "TİP KODU" => (9, 1),
            "DURUM_KODU" => (10, 0),
            "DURUM KODU" => (10, 1),
            "DURUMU" => (11, 0),
            "DURUM_EN" => (12, 0),
            "TESLIM_ALAN" => (13, 0),
            "TESLİM ALAN" => (13, 1),
            "TESLIM_TARIHI" => (14, 0),
            "TESLİM TARİHİ" => (14, 1),
            "TESLIM_SAATI" => (15, 0),
            "TESLİM SAATİ" => (15, 1),
            "ISLEM_TARIHI" => (16, 0),
            "İŞLEM TARİHİ" => (16, 1),
            "DEVIR_KODU" => (17, 0),
            "DEVİR KODU" => (17, 1),
            "DEVIR_ACIKLAMA" => (18, 0),
            "DEVİR AÇIKLAMA" => (18, 1),
            "DEVIR_NEDENI" => (19, 0),
            "DEVİR NEDENİ" => (19, 1),
            "TAHSILAT_TUTARI" => (20, 0),
            "TAHSİLAT TUTARI" => (20, 1),
            _ => return None,
        })
    }

    /// The field of column `column` (an index into [`QUERY_COLUMNS`]; past the end is the
    /// last column).
    pub fn column_mut(&mut self, column: usize) -> &mut Option<Val<'a>> {
        match column {
            0 => &mut self.integration_code,
            1 => &mut self.tracking_number,
            2 => &mut self.origin_branch,
            3 => &mut self.destination_branch,
            4 => &mut self.departure_date,
            5 => &mut self.departure_time,
            6 => &mut self.pieces,
            7 => &mut self.kg_desi,
            8 => &mut self.amount_ex_vat,
            9 => &mut self.type_code,
            10 => &mut self.status_code,
            11 => &mut self.status_text,
            12 => &mut self.status_en,
            13 => &mut self.received_by,
            14 => &mut self.delivery_date,
            15 => &mut self.delivery_time,
            16 => &mut self.event_date,
            17 => &mut self.devir_code,
            18 => &mut self.devir_text,
            19 => &mut self.devir_reason,
            _ => &mut self.cod_amount,
        }
    }
}

/// A JSON scalar as text, borrowed from the input when it has no escapes: strings as they are,
/// numbers in their JSON spelling, booleans as `1`/`0` (`null` is the surrounding `Option`).
/// Read by [`crate::json`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Val<'a>(pub Cow<'a, str>);

impl Val<'_> {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
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
    fn every_spelling_of_every_column_is_found() {
        for (c, names) in QUERY_COLUMNS.iter().enumerate() {
            for (k, n) in names.iter().enumerate() {
                assert_eq!(QueryCargo::column(n), Some((c, k)), "{n}");
            }
        }
        assert_eq!(QueryCargo::column("BILINMEYEN"), None);
    }

    #[test]
    fn both_column_spellings_land_in_the_same_field() {
        let mut c = QueryCargo::default();
        c.set("KARGO TAKİP NO", Some(Val("1".into())));
        assert_eq!(c.tracking_number.as_ref().map(Val::as_str), Some("1"));
        c.set("KARGO_TAKIP_NO", Some(Val("2".into())));
        assert_eq!(c.tracking_number.as_ref().map(Val::as_str), Some("2"));
        c.set("BILINMEYEN", Some(Val("x".into())));
        assert_eq!(
            c,
            QueryCargo {
                tracking_number: Some(Val("2".into())),
                ..Default::default()
            }
        );
    }
}
