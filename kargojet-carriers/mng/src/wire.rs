//! MNG's wire formats exactly as the carrier spells them, shared by the connector and the
//! simulator: the ApiZone REST/JSON bodies (paths relative to `/mngapi/api`) and the legacy
//! `MusteriSiparisNew` SOAP calls used for future returns.
//!
//! Requests are `deny_unknown_fields`, so the simulator refuses a misspelt key; numbers of the
//! create body are JSON numbers (`codAmount: 320.5`, `desi: 2`). Answers are lenient: every key
//! is optional and scalars may come as strings or numbers (the notes saw both).

use kargojet_carrier_common::json::{JsonDecimal, LooseString};
use kargojet_carrier_common::xml::escape_text;
use serde::{Deserialize, Serialize};

/// Path prefix of every ApiZone call (part of the base URL).
pub const API_PREFIX: &str = "/mngapi/api";
/// `POST` — JWT for a customer number and API password.
pub const PATH_TOKEN: &str = "/token";
/// `GET` — the city list of the CBS Info product.
pub const PATH_CITIES: &str = "/cbsinfoapi/getcities";
/// `GET` — prefix of the district list (`/{cityCode}` follows).
pub const PATH_DISTRICTS: &str = "/cbsinfoapi/getdistricts";
/// `POST` — registers an order (not yet a shipment).
pub const PATH_CREATE_ORDER: &str = "/standardcmdapi/createOrder";
/// `PUT` — prefix of the order cancel (`/{referenceId}` follows).
pub const PATH_CANCEL_ORDER: &str = "/standardcmdapi/cancelorder";
/// `POST` — converts an order into a shipment and returns its barcodes (ZPL).
pub const PATH_CREATE_BARCODE: &str = "/barcodecmdapi/createbarcode";
/// `GET` — prefix of the status by merchant key (`/{referenceId}` follows).
pub const PATH_STATUS: &str = "/standardqueryapi/getshipmentstatus";
/// `GET` — prefix of the status by MNG's shipment id (`/{shipmentId}` follows).
pub const PATH_STATUS_BY_SHIPMENT_ID: &str = "/standardqueryapi/getshipmentstatusByShipmentId";

/// Header carrying the ApiZone application's client id.
pub const HEADER_CLIENT_ID: &str = "X-IBM-Client-Id";
/// Header carrying the ApiZone application's client secret.
pub const HEADER_CLIENT_SECRET: &str = "X-IBM-Client-Secret";
/// Optional API version header.
pub const HEADER_API_VERSION: &str = "x-api-version";

/// `identityType` of a customer login (the only documented value).
pub const IDENTITY_TYPE_CUSTOMER: u8 = 1;
/// `deliveryType`: delivery to the address (the only documented value).
pub const DELIVERY_TO_ADDRESS: u8 = 1;

/// The `POST /token` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenBody {
    /// The Online Şube customer number.
    pub customer_number: String,
    /// The API sub-user's password.
    pub password: String,
    /// `1` for a customer login.
    pub identity_type: u8,
}

/// The token answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TokenReply {
    /// The JWT, sent as `Authorization: Bearer <jwt>`.
    #[serde(default)]
    pub jwt: Option<String>,
    /// When it stops working, Turkey time: `dd-MM-yyyy HH:mm` or `dd.MM.yyyy HH:mm:ss`.
    #[serde(default)]
    pub jwt_expire_date: Option<String>,
}

/// One entry of the CBS city or district list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CbsEntry {
    /// The numeric code (sent as a string or a number).
    #[serde(default)]
    pub code: Option<LooseString>,
    /// The name (upper case Turkish).
    #[serde(default)]
    pub name: Option<String>,
}

/// `order` of the create body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Order {
    /// The merchant key: unique, upper case A–Z0–9 recommended.
    pub reference_id: String,
    /// Barcode of the order (the merchant key).
    pub barcode: String,
    /// İrsaliye (waybill) number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_of_landing_id: Option<String>,
    /// `1` with cash on delivery, else `0`.
    #[serde(rename = "isCOD")]
    pub is_cod: u8,
    /// The amount to collect (a JSON number; `0` without COD).
    pub cod_amount: JsonDecimal,
    /// `1` standard, `7` same day (gün içi), `8` evening (akşam).
    pub shipment_service_type: u8,
    /// `1` dosya, `2` mi, `3` paket, `4` koli.
    pub packaging_type: u8,
    /// Contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// `1`: SMS to the recipient on arrival.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_preference1: Option<u8>,
    /// Second SMS preference (meaning partly uncertain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_preference2: Option<u8>,
    /// Third SMS preference (meaning partly uncertain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sms_preference3: Option<u8>,
    /// `1` sender pays, `2` receiver pays.
    pub payment_type: u8,
    /// `1` delivery to the address.
    pub delivery_type: u8,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// One `orderPieceList` entry (one per parcel).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderPiece {
    /// The parcel's barcode (`<referenceId>-<n>`).
    pub barcode: String,
    /// Desi, a whole number.
    pub desi: u32,
    /// Kilograms, a whole number.
    pub kg: u32,
    /// Contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
}

/// `recipient` of the create body (only the keys the notes captured).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Recipient {
    /// Full name.
    pub full_name: String,
    /// City code from `getcities`.
    pub city_code: u32,
    /// District code from `getdistricts/{cityCode}`.
    pub district_code: u32,
    /// Address line.
    pub address: String,
    /// 10 digits without the leading 0.
    pub mobile_phone_number: String,
}

/// The `createOrder` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateOrderBody {
    /// The order.
    pub order: Order,
    /// Its parcels.
    pub order_piece_list: Vec<OrderPiece>,
    /// Who receives it.
    pub recipient: Recipient,
}

/// One element of the `createOrder` answer (a JSON array).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct OrderReply {
    /// The order's invoice id (the only attested key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_invoice_id: Option<LooseString>,
    /// Placeholder key of the notes' example (invented there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_invoice_detail_id: Option<LooseString>,
    /// Placeholder key of the notes' example (invented there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipper_branch_code: Option<LooseString>,
}

/// The `createbarcode` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateBarcodeBody {
    /// The order to convert.
    pub reference_id: String,
}

/// One barcode of the `createbarcode` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Barcode {
    /// 1-based parcel number.
    #[serde(default)]
    pub piece_number: Option<LooseString>,
    /// ZPL (starts with `^XA`) or the barcode text.
    #[serde(default)]
    pub value: Option<String>,
}

/// The `createbarcode` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct BarcodeReply {
    /// The order's merchant key, echoed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<String>,
    /// MNG's shipment id: the tracking number from now on.
    #[serde(default)]
    pub shipment_id: Option<LooseString>,
    /// One per parcel.
    #[serde(default)]
    pub barcodes: Option<Vec<Barcode>>,
}

/// One element of the status answer (the GetShipment family's fields).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct StatusItem {
    /// `shipmentServiceType` as sent (1, 7, 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_service_type: Option<LooseString>,
    /// `packagingType` as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub packaging_type: Option<LooseString>,
    /// `paymentType` as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_type: Option<LooseString>,
    /// `deliveryType` as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_type: Option<LooseString>,
    /// The merchant key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_id: Option<LooseString>,
    /// MNG's shipment id (the tracking number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<LooseString>,
    /// Serial part of the shipment number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_serial_number: Option<LooseString>,
    /// The shipment number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_number: Option<LooseString>,
    /// When the shipment was created.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_date_time: Option<LooseString>,
    /// Number of parcels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub piece_count: Option<LooseString>,
    /// Measured kilograms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_kg: Option<JsonDecimal>,
    /// Measured desi.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_desi: Option<JsonDecimal>,
    /// The billable max(kg, desi).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_kg_desi: Option<JsonDecimal>,
    /// Amount before VAT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<JsonDecimal>,
    /// VAT (KDV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdv: Option<JsonDecimal>,
    /// Amount with VAT.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_total: Option<JsonDecimal>,
    /// The status code (an int).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_status_code: Option<LooseString>,
    /// The status wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_status: Option<String>,
    /// When the status was reached (`dd.MM.yyyy HH:mm:ss`, Turkey time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_date_time: Option<LooseString>,
    /// Marketplace shipment flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_market_place_shipment: Option<LooseString>,
    /// The marketplace pays flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_market_place_pays: Option<LooseString>,
    /// The branch delivering the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiving_branch: Option<LooseString>,
    /// The branch that accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipper_branch: Option<LooseString>,
    /// The order's free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// İrsaliye number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bill_of_landing_id: Option<LooseString>,
    /// COD flag.
    #[serde(default, rename = "isCOD", skip_serializing_if = "Option::is_none")]
    pub is_cod: Option<LooseString>,
    /// COD amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cod_amount: Option<JsonDecimal>,
    /// Contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// Estimated delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_delivery_date: Option<LooseString>,
    /// `1` once delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_delivered: Option<LooseString>,
    /// Who took the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_to: Option<String>,
    /// Public tracking page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking_url: Option<String>,
}

/// The API's error envelope `{"error": {"Code", "Description", "Message"}}` (casing varies).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApiErrorReply {
    /// The error.
    #[serde(default)]
    pub error: Option<ApiError>,
}

/// The `error` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct ApiError {
    /// MNG's error code (`3002`).
    #[serde(default, rename = "Code", alias = "code")]
    pub code: Option<LooseString>,
    /// Its description (`BU SİPARİS NUMARASINA AİT KAYIT ZATEN VAR!`).
    #[serde(default, rename = "Description", alias = "description")]
    pub description: Option<String>,
    /// A technical message.
    #[serde(default, rename = "Message", alias = "message")]
    pub message: Option<String>,
}

/// The IBM API Connect gateway's error `{"httpCode", "httpMessage", "moreInformation"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct GatewayError {
    /// The HTTP status as text.
    #[serde(default)]
    pub http_code: Option<LooseString>,
    /// `Unauthorized`, …
    #[serde(default)]
    pub http_message: Option<String>,
    /// Why (e.g. the application is not subscribed to the API product).
    #[serde(default)]
    pub more_information: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Legacy SOAP service `MusteriSiparisNew` (future return orders).

/// Namespace the legacy service is assumed to use (ASMX default; see the crate README).
pub const LEGACY_NS: &str = "http://tempuri.org/";
/// Registers a future return order the customer drops at any MNG branch.
pub const OP_RETURN_CREATE: &str = "GelecekIadeSiparisKayit";
/// Cancels a future return order (`1` / `0`).
pub const OP_RETURN_CANCEL: &str = "GelecekIadeSiparisIptali";
/// Status of a future return order (a .NET DataSet).
pub const OP_RETURN_STATUS: &str = "GelecekIadeSiparisKontrol";
/// The answer meaning success.
pub const LEGACY_OK: &str = "1";

/// `SOAPAction` of a legacy operation: `http://tempuri.org/<Op>`.
pub fn legacy_action(op: &str) -> String {
    format!("{LEGACY_NS}{op}")
}

/// `pOdemeSekli` values.
pub const PAY_SENDER: &str = "Gonderici_Odeyecek";
/// `pOdemeSekli`: the receiver (for a return: the merchant) pays.
pub const PAY_RECEIVER: &str = "Alici_Odeyecek";
/// `pOdemeSekli`: the platform pays.
pub const PAY_PLATFORM: &str = "Platform_Odeyecek";

/// One legacy call: its operation and parameters, in the order the carrier's sample sends them.
/// The parameters are direct children of the operation element (as the only public client
/// sends them; the carrier's C# sample wraps the sender in an object — unverified).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LegacyCall {
    /// Operation name (`GelecekIadeSiparisKayit`).
    pub op: &'static str,
    /// `(parameter, value)` pairs.
    pub params: Vec<(&'static str, String)>,
}

impl LegacyCall {
    /// The operation element, escaped, for the SOAP body.
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(64 + self.params.len() * 40);
        out.push('<');
        out.push_str(self.op);
        out.push_str(" xmlns=\"");
        out.push_str(LEGACY_NS);
        out.push_str("\">");
        for (name, value) in &self.params {
            out.push('<');
            out.push_str(name);
            out.push('>');
            out.push_str(&escape_text(value));
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        out.push_str("</");
        out.push_str(self.op);
        out.push('>');
        out
    }

    /// The value of `name`, if sent.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every parameter `GelecekIadeSiparisKayit` knows, in the sample's order (`*` = mandatory):
/// the login, the order and the sender (the customer returning the parcel).
pub const RETURN_CREATE_PARAMS: &[&str] = &[
    "pKullaniciAdi",
    "pSifre",
    "pSiparisNo",
    "pIrsaliyeNo",
    "pGonMusteriMngNo",
    "pGonMusteriBayiNo",
    "pGonMusteriSiparisNo",
    "pGonMusteriAdi",
    "pGonMusAdresFarkli",
    "pGonIlAdi",
    "pGonilceAdi",
    "pGonAdresText",
    "pGonSemt",
    "pGonMahalle",
    "pGonMeydanBulvar",
    "pGonCadde",
    "pGonSokak",
    "pGonTelIs",
    "pGonTelEv",
    "pGonTelCep",
    "pGonFax",
    "pGonEmail",
    "pGonVergiDairesi",
    "pGonVergiNumarasi",
    "pOdemeSekli",
    "pAciklama",
];

/// Parameters of `GelecekIadeSiparisIptali` and `GelecekIadeSiparisKontrol`.
pub const RETURN_KEY_PARAMS: &[&str] = &["pKullaniciAdi", "pSifre", "pSiparisNo"];

/// `pGonVergiDairesi` of a private person.
pub const TAX_OFFICE_PERSON: &str = "SAHIS";
