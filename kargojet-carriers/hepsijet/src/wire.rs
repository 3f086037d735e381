//! HepsiJET's JSON exactly as the carrier spells it, shared by the client and the simulator.
//!
//! Requests are `deny_unknown_fields` so the simulator refuses a misspelt key; numbers of the
//! create body travel as strings (`totalParcels`, `desi`, `deliverySlotOriginal`). Responses are
//! lenient: every key is optional (HepsiJET documents only some responses).

use serde::{Deserialize, Serialize};

/// `status` value of a successful answer.
pub const STATUS_OK: &str = "OK";
/// `status` value of a failed answer (may arrive with HTTP 200).
pub const STATUS_FAIL: &str = "FAIL";
/// `serviceType` entry of the XL (>40 desi) endpoint.
pub const SERVICE_TMH: &str = "TMH";
/// The only documented `deleteReason`.
pub const DELETE_REASON: &str = "IPTAL";

/// Path of the token endpoint (GET, Basic auth).
pub const PATH_TOKEN: &str = "/auth/getToken";
/// Path of the create endpoint (≤ 40 desi, and returns).
pub const PATH_CREATE: &str = "/delivery/sendDeliveryOrderEnhanced";
/// Path of the XL create endpoint (> 40 desi, `serviceType: ["TMH"]`).
pub const PATH_CREATE_XL: &str = "/delivery/sendDeliveryOrder";
/// Prefix of the cancel path (`/{customerDeliveryNo}` follows).
pub const PATH_CANCEL: &str = "/rest/delivery/deleteDeliveryOrder";
/// Path of the PDF/PNG/JPEG label endpoint (`?format=` follows).
pub const PATH_LABEL: &str = "/delivery/barcodes-label";
/// Prefix of the ZPL label path (`/{customerDeliveryNo}/{parcelCount}` follows).
pub const PATH_ZPL: &str = "/delivery/generateZplBarcode";
/// Path of the bulk track summary.
pub const PATH_TRACK: &str = "/rest/delivery/integration/track";
/// Path of the bulk track history.
pub const PATH_HISTORY: &str = "/rest/deliveryTransaction/getDeliveryTracking";

/// The generic answer envelope `{"status", "message", "data", "detailStatus"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Envelope<T> {
    /// `OK` or `FAIL`.
    #[serde(default)]
    pub status: Option<String>,
    /// Free text.
    #[serde(default)]
    pub message: Option<String>,
    /// The payload.
    #[serde(default = "none")]
    pub data: Option<T>,
    /// Machine-readable reason of a `FAIL` (`DUPLICATE`), optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail_status: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

/// `data` of the token answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TokenData {
    /// The token.
    #[serde(default)]
    pub token: Option<String>,
}

/// The token answer; some replies put `token` at the top level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TokenReply {
    /// `OK` / `FAIL`.
    #[serde(default)]
    pub status: Option<String>,
    /// Free text.
    #[serde(default)]
    pub message: Option<String>,
    /// `{"token": …}`.
    #[serde(default)]
    pub data: Option<TokenData>,
    /// The token at the top level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

/// `{"name": …}` used for company, country, city, town and district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Named {
    /// The name.
    pub name: String,
}

/// `company`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Company {
    /// `company.name` issued by HepsiJET.
    pub name: String,
    /// Company code, also the barcode prefix.
    pub abbreviation_code: String,
}

/// `currentXDock`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct XDock {
    /// The hub serving the merchant.
    pub abbreviation_code: String,
}

/// `delivery.product`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Product {
    /// `HX_STD`, `HX_SD` or `HX_ND`.
    pub product_code: String,
}

/// `delivery.receiver`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Receiver {
    /// The merchant's customer id.
    pub company_customer_id: String,
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// 10-digit phone.
    pub phone1: String,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// `senderAddress` / `recipientAddress`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WireAddress {
    /// Unique per address, prefixed with the company code.
    pub company_address_id: String,
    /// `{"name": "Türkiye"}`.
    pub country: Named,
    /// İl.
    pub city: Named,
    /// İlçe.
    pub town: Named,
    /// Mahalle.
    pub district: Named,
    /// Street, building, door.
    pub address_line1: String,
    /// Optional postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

/// One `deliveryContent` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContentLine {
    /// Stock code.
    pub sku: String,
    /// Description.
    pub description: String,
    /// Quantity (a JSON number in the notes' example).
    pub quantity: u32,
}

/// `delivery`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Delivery {
    /// THE barcode and tracking number, chosen by the merchant.
    pub customer_delivery_no: String,
    /// Order id (defaults to the barcode).
    pub customer_order_id: String,
    /// Parcel count, as a string.
    pub total_parcels: String,
    /// Desi, as a string.
    pub desi: String,
    /// `"0"` any time, `"1"`..`"3"` slots.
    pub delivery_slot_original: String,
    /// `yyyy-MM-dd`.
    pub delivery_date_original: String,
    /// `RETAIL`, `MARKET_PLACE` or `RETURNED`.
    pub delivery_type: String,
    /// Product code.
    pub product: Product,
    /// The customer.
    pub receiver: Receiver,
    /// The registered warehouse (or the customer for returns).
    pub sender_address: WireAddress,
    /// Where the parcel goes.
    pub recipient_address: WireAddress,
    /// Full name.
    pub recipient_person: String,
    /// 10-digit phone.
    pub recipient_person_phone1: String,
    /// Content lines (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_content: Option<Vec<ContentLine>>,
}

/// The create body of both create endpoints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateBody {
    /// The merchant company.
    pub company: Company,
    /// The delivery.
    pub delivery: Delivery,
    /// The serving hub.
    #[serde(rename = "currentXDock")]
    pub current_x_dock: XDock,
    /// `["TMH"]` for XL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_type: Option<Vec<String>>,
}

/// One `zplBarcodeDTOList` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ZplBarcode {
    /// ZPL text.
    #[serde(default)]
    pub zpl_barcode: Option<String>,
}

/// `data` of the create answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CreateData {
    /// The registered barcode.
    #[serde(default)]
    pub customer_delivery_no: Option<String>,
    /// Labels, one per parcel.
    #[serde(default, rename = "zplBarcodeDTOList")]
    pub zpl_barcode_dto_list: Option<Vec<ZplBarcode>>,
}

/// The cancel body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeleteBody {
    /// `IPTAL`.
    pub delete_reason: String,
}

/// The PDF/PNG/JPEG label body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LabelBody {
    /// Barcodes to render.
    pub barcodes: Vec<String>,
}

/// `data` of the label answer: one base64 string or a list of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LabelData {
    /// One base64 document.
    One(String),
    /// Several base64 documents.
    Many(Vec<String>),
}

/// The track summary body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrackBody {
    /// Barcodes.
    pub barcodes: Vec<String>,
    /// Ask for the details list.
    pub is_track_added: bool,
}

/// One detail of a track summary item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TrackDetail {
    /// Status code.
    #[serde(default)]
    pub integration_status: Option<String>,
    /// ISO date-time (Turkey time).
    #[serde(default)]
    pub transaction_date: Option<String>,
    /// Where.
    #[serde(default)]
    pub transaction_location: Option<String>,
    /// Who took the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_person: Option<String>,
}

/// One item of the track summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct TrackItem {
    /// The barcode.
    #[serde(default)]
    pub barcode: Option<String>,
    /// Public tracking page.
    #[serde(default)]
    pub tracking_url: Option<String>,
    /// Current status (sometimes only inside details).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration_status: Option<String>,
    /// History.
    #[serde(default)]
    pub details: Option<Vec<TrackDetail>>,
}

/// One `deliveries` entry of the history body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeliveryKey {
    /// The barcode.
    pub customer_delivery_no: String,
}

/// The track history body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HistoryBody {
    /// Shipments asked for.
    pub deliveries: Vec<DeliveryKey>,
}

/// One transaction of a history item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// Status code.
    #[serde(default)]
    pub delivery_status: Option<String>,
    /// Operation status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_status: Option<String>,
    /// Transaction type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type: Option<String>,
    /// ISO date-time (Turkey time).
    #[serde(default)]
    pub transaction_date_time: Option<String>,
    /// Where.
    #[serde(default)]
    pub location: Option<String>,
    /// Carrier wording.
    #[serde(default)]
    pub transaction: Option<String>,
    /// Why a delivery failed (non-empty ⇒ delivery failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_delivery_reason: Option<String>,
    /// Who took the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_person: Option<String>,
}

/// One item of the history answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct HistoryItem {
    /// The barcode.
    #[serde(default)]
    pub barcode: Option<String>,
    /// Current status.
    #[serde(default)]
    pub delivery_status: Option<String>,
    /// `RETAIL` / `RETURNED` …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_type: Option<String>,
    /// Product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// Current location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_location: Option<String>,
    /// Last transaction text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_transaction: Option<String>,
    /// Delivery branch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub arrival_branch: Option<String>,
    /// Sender name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// Recipient name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<String>,
    /// Who took the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_person: Option<String>,
    /// When it was delivered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_date: Option<String>,
    /// Promised date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_date_promised: Option<String>,
    /// Carrier-measured desi. ASSUMPTION: not in the notes' key list; read when present
    /// (same spelling as the create body's `desi`), raw string kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desi: Option<serde_json::Value>,
    /// Events.
    #[serde(default)]
    pub transactions: Option<Vec<Transaction>>,
}
