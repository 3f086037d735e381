//! Kolay Gelsin's JSON exactly as the carrier spells it (PascalCase), shared by the client and
//! the simulator.
//!
//! Requests are `deny_unknown_fields`, so the simulator refuses a misspelt key; their fields are
//! optional on the wire because the service answers a missing required field with its own
//! documented `ResultCode`/`ResultMessage` (the simulator checks them one by one). Responses are
//! lenient: every key is optional, ids and codes arrive as numbers or strings (the webhook sends
//! every value as a string), and `ResultCode` is a decimal (`500.0`, `404.1`). Decimals of the
//! create body (`Weight`, `SenderInvoiceAmount`) are common's [`JsonDecimal`]: exact JSON numbers.

pub use kargojet_carrier_common::json::JsonDecimal;
use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

/// Create with an inline receiver (the recommended create).
pub const METHOD_CREATE: &str = "SaveIntegrationShipmentV2";
/// Cancel before pickup (after pickup Kolay Gelsin stops the delivery and starts a return).
pub const METHOD_CANCEL: &str = "CancelPickupAndDelivery";
/// Bulk tracking by shipment ids, specific codes, barcodes or tracking ids.
pub const METHOD_TRACK: &str = "GetCorporateShipmentsStatus";
/// Return of a delivered shipment.
pub const METHOD_RETURN: &str = "SaveIntegrationReturnShipment";
/// The event types defined for the customer (body `{}`).
pub const METHOD_EVENT_TYPES: &str = "GetCorporateCustomerCargoEventTypes";
/// A proof document (signature, damage report …) of an event.
pub const METHOD_DOCUMENT: &str = "GetDocumentForHistory";
/// Every method the connector and the simulator know.
pub const METHODS: [&str; 6] = [
    METHOD_CREATE,
    METHOD_CANCEL,
    METHOD_TRACK,
    METHOD_RETURN,
    METHOD_EVENT_TYPES,
    METHOD_DOCUMENT,
];

/// `DeliveryCancellationReason` 1: standard.
pub const CANCEL_REASON_STANDARD: i64 = 1;
/// `DeliveryCancellationReason` 2: fraud.
pub const CANCEL_REASON_FRAUD: i64 = 2;
/// `ProductCodeList` entry for same-day delivery.
pub const PRODUCT_SAMEDAY: &str = "SAMEDAY";

/// A decimal number (`ResultCode`, dimensions, `SenderInvoiceAmount`) read from a JSON number or
/// a numeric string.
fn decimal_of(text: &str) -> Option<Decimal> {
    let t = text.trim();
    Decimal::from_str(t)
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
}

/// A scalar that Kolay Gelsin sends as a number in one place and as a string in another
/// (`CargoEventType` is `1` in tracking and `"1"` in the webhook; `ShipmentId` is typed string
/// and sent as a number). Booleans and fractions are kept as their text. Unlike common's
/// `LooseString` it remembers whether it was an integer, so a body written back (the cancel
/// request, the simulator's answers) has numbers where the carrier's samples have them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scalar {
    /// A JSON integer.
    Int(i64),
    /// A JSON string (or any other scalar, as text).
    Text(String),
}

impl Scalar {
    /// The value as text (`1`, `"884213"` → `884213`), trimmed.
    pub fn text(&self) -> Cow<'_, str> {
        match self {
            Scalar::Int(n) => Cow::Owned(n.to_string()),
            Scalar::Text(s) => Cow::Borrowed(s.trim()),
        }
    }

    /// The value as an integer, if it is one (also from a string such as `"29"`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Scalar::Int(n) => Some(*n),
            Scalar::Text(s) => s.trim().parse().ok(),
        }
    }

    /// True for an empty string.
    pub fn is_blank(&self) -> bool {
        matches!(self, Scalar::Text(s) if s.trim().is_empty())
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text())
    }
}

impl From<&str> for Scalar {
    fn from(s: &str) -> Self {
        Scalar::Text(s.to_string())
    }
}

impl From<i64> for Scalar {
    fn from(n: i64) -> Self {
        Scalar::Int(n)
    }
}

impl Serialize for Scalar {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Scalar::Int(n) => s.serialize_i64(*n),
            Scalar::Text(t) => s.serialize_str(t),
        }
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(i64::try_from(v).map_or_else(|_| Scalar::Text(v.to_string()), Scalar::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Text(v))
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// `ResultCode`: a decimal (`200`, `500.0`, `404.1`), kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResultCode {
    /// The code as written in the answer (`500.0`).
    pub raw: String,
    /// Its value, when it is a number.
    pub value: Option<Decimal>,
}

impl ResultCode {
    /// A code from its text.
    pub fn new(raw: impl Into<String>) -> ResultCode {
        let raw = raw.into();
        let value = decimal_of(&raw);
        ResultCode { raw, value }
    }

    /// `200`: success.
    pub fn ok() -> ResultCode {
        ResultCode::new("200")
    }

    /// True for 200 (also written `200.0`).
    pub fn is_ok(&self) -> bool {
        self.value == Some(Decimal::from(200))
    }

    /// The stable text of the code: at least one decimal (`500` and `500.00` → `500.0`,
    /// `404.1` stays); a non-numeric code is its trimmed text.
    pub fn canonical(&self) -> String {
        match self.value {
            Some(v) => {
                let n = v.normalize();
                if n.fract().is_zero() {
                    format!("{n}.0")
                } else {
                    n.to_string()
                }
            }
            None => self.raw.trim().to_string(),
        }
    }
}

impl Serialize for ResultCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let raw = self.raw.trim();
        if let Ok(n) = raw.parse::<i64>() {
            return s.serialize_i64(n);
        }
        match raw.parse::<f64>() {
            Ok(f) if f.is_finite() => s.serialize_f64(f),
            _ => s.serialize_str(raw),
        }
    }
}

struct CodeVisitor;

impl Visitor<'_> for CodeVisitor {
    type Value = ResultCode;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number or a string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ResultCode, E> {
        Ok(ResultCode::new(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ResultCode, E> {
        Ok(ResultCode::new(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ResultCode, E> {
        // serde_json writes 500.0 back as "500.0": the text is the number as sent.
        let mut t = v.to_string();
        if v.is_finite() && v.fract() == 0.0 && !t.contains('.') && !t.contains('e') {
            t.push_str(".0");
        }
        Ok(ResultCode::new(t))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ResultCode, E> {
        Ok(ResultCode::new(v))
    }
}

impl<'de> Deserialize<'de> for ResultCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(CodeVisitor)
    }
}

/// The answer envelope every method shares. Only `Payload`, `ResultCode` and `ResultMessage`
/// matter; `JobId` is kept for support, the other keys are read whatever their type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Envelope<T> {
    /// `parcelDelivery`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<serde_json::Value>,
    /// `APIReadQ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<serde_json::Value>,
    /// Always null in the samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intent: Option<serde_json::Value>,
    /// Always null in the samples.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<serde_json::Value>,
    /// `APIReadQ`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_owner: Option<serde_json::Value>,
    /// The job id to quote to Kolay Gelsin support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<Scalar>,
    /// The method's answer.
    #[serde(default = "none")]
    pub payload: Option<T>,
    /// The API user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<serde_json::Value>,
    /// `200`, or an error code such as `500.0`, `404.1`.
    #[serde(default)]
    pub result_code: Option<ResultCode>,
    /// `OK`, or the error text.
    #[serde(default)]
    pub result_message: Option<String>,
}

fn none<T>() -> Option<T> {
    None
}

/// `SenderCustomer.Address` of a create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SenderAddress {
    /// The registered sender address id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_id: Option<i64>,
}

/// `SenderCustomer` of a create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct SenderCustomer {
    /// The Kolay Gelsin customer number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<i64>,
    /// `{"AddressId": …}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<SenderAddress>,
}

/// An address of a receiver or of a returning customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Address {
    /// 1 home, 2 business.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_type_id: Option<i64>,
    /// The address text (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address_text: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Province plate code 1–81 (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_id: Option<i64>,
    /// Province name: only in the carrier's own return example (not in its key table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_name: Option<String>,
    /// İlçe name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town_name: Option<String>,
    /// Building number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub building_number: Option<Scalar>,
    /// Building name (the swagger and one example spell it `BuldingName`; both are read).
    #[serde(
        default,
        alias = "BuldingName",
        skip_serializing_if = "Option::is_none"
    )]
    pub building_name: Option<String>,
    /// Floor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor_number: Option<Scalar>,
    /// Door.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub door_number: Option<Scalar>,
    /// Company title (business address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_title: Option<String>,
    /// Company department (business address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_department: Option<String>,
    /// Directions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
}

/// `Recipient` of a create (v2, inline) or of a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct Recipient {
    /// The id from `SaveRecipient` (create v1 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_id: Option<i64>,
    /// 1 individual, 2 corporate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_type: Option<i64>,
    /// TCKN (individual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_identity_number: Option<String>,
    /// VKN (corporate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_tax_identity_number: Option<String>,
    /// Title (required for corporate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_title: Option<String>,
    /// First name (required for individual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_name: Option<String>,
    /// Surname (required for individual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_surname: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsm: Option<String>,
    /// Deliver only to the recipient (needs the identity number).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_deliver_to_recipient: Option<bool>,
    /// Register even outside the courier area.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub save_out_of_coverage: Option<bool>,
    /// The address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// One `ShipmentItemList` entry (one parcel) of a create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ShipmentItem {
    /// Width, cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<JsonDecimal>,
    /// Length, cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<JsonDecimal>,
    /// Height, cm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<JsonDecimal>,
    /// Weight, kg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weight: Option<JsonDecimal>,
    /// Contents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_text: Option<String>,
    /// The merchant's barcode of the parcel (Kolay Gelsin prefers carrying it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_barcode: Option<String>,
    /// The merchant's tracking id of the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_tracking_id: Option<String>,
    /// Commercial goods (irsaliye).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub has_commercial_value: Option<bool>,
    /// İrsaliye number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_note: Option<String>,
    /// İrsaliye date (ISO with offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_note_date: Option<String>,
    /// Free text or stringified JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_optional_info: Option<String>,
}

/// The `SaveIntegrationShipmentV2` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateBody {
    /// The merchant (customer number and registered address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_customer: Option<SenderCustomer>,
    /// The receiver, inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<Recipient>,
    /// 1 dosya, 2 koli (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<i64>,
    /// 1 sender, 2 receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paying_party: Option<i64>,
    /// Deliver only to the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_deliver_to_recipient: Option<bool>,
    /// Brand shown to the receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_brand: Option<String>,
    /// The merchant's order key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_specific_code: Option<String>,
    /// The parcels (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_item_list: Option<Vec<ShipmentItem>>,
    /// `["SAMEDAY"]` or absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_code_list: Option<Vec<String>>,
    /// Cash-on-delivery amount (tahsilatlı kargo), when the contract allows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_invoice_amount: Option<JsonDecimal>,
}

/// One `ShipmentItemLabelList` entry of a create or return answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ItemLabel {
    /// Kolay Gelsin's parcel id.
    #[serde(default)]
    pub shipment_item_id: Option<Scalar>,
    /// The merchant barcode of the parcel.
    #[serde(default)]
    pub customer_barcode: Option<String>,
    /// The label, an HTML document.
    #[serde(default)]
    pub shipment_item_label: Option<String>,
}

/// `Payload` of the create and return answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct CreatePayload {
    /// Kolay Gelsin's shipment number.
    #[serde(default)]
    pub shipment_id: Option<Scalar>,
    /// The merchant's order key, echoed.
    #[serde(default)]
    pub customer_specific_code: Option<String>,
    /// Public tracking page.
    #[serde(default)]
    pub shipment_tracking_link: Option<String>,
    /// One HTML label per parcel.
    #[serde(default)]
    pub shipment_item_label_list: Option<Vec<ItemLabel>>,
}

/// The `CancelPickupAndDelivery` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CancelBody {
    /// The shipment number (typed string, sent as a number in the carrier's sample).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<Scalar>,
    /// 1 standard, 2 fraud.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_cancellation_reason: Option<i64>,
}

/// The `GetCorporateShipmentsStatus` body: at least one list must hold a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TrackBody {
    /// Kolay Gelsin shipment numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id_list: Option<Vec<String>>,
    /// Merchant order keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_specific_code_list: Option<Vec<String>>,
    /// Merchant barcodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_barcode_list: Option<Vec<String>>,
    /// Merchant parcel tracking ids.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_tracking_id_list: Option<Vec<String>>,
    /// Only the latest event of each parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_latest_events: Option<bool>,
}

/// `EventDetailModel` of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EventDetail {
    /// 1 standard, 2 legal, 3 stopped by the sender.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_cancellation_reason: Option<Scalar>,
    /// Who took the parcel (relation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_person_role: Option<String>,
    /// Who took the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_person_name: Option<String>,
    /// Planned delivery date before a change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_delivery_date: Option<String>,
    /// New planned delivery date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_delivery_date: Option<String>,
    /// Planned delivery slot before a change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_delivery_time: Option<String>,
    /// New planned delivery slot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_delivery_time: Option<String>,
    /// The return leg's shipment number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_shipment_id: Option<Scalar>,
    /// Price before an appointment changed it (webhook only; "no action causes it yet").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_price: Option<Scalar>,
}

/// One `CargoEventLogModelList` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EventLog {
    /// The event code (see `status`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_event_type: Option<Scalar>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Scalar>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Scalar>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_name: Option<String>,
    /// Vehicle plate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_plate: Option<String>,
    /// Courier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_name: Option<String>,
    /// 4 signature, 5 note photo, 7 damage report, 8 courier photo, 9 e-mail, 10 SMS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<Scalar>,
    /// The document's GUID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_detail_model: Option<EventDetail>,
    /// When (ISO 8601 with offset). Not in the tracking key table; the webhook's key is used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_stamp: Option<String>,
    /// Text the PHP library reads (not in the carrier's table).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_description: Option<String>,
}

/// One `ShipmentModelList` entry: one parcel of a shipment with its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct ShipmentModel {
    /// Kolay Gelsin shipment number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<Scalar>,
    /// Kolay Gelsin parcel id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_item_id: Option<Scalar>,
    /// Merchant parcel tracking id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_tracking_id: Option<String>,
    /// Merchant barcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_barcode: Option<String>,
    /// Merchant order key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_specific_code: Option<String>,
    /// Events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_event_log_model_list: Option<Vec<EventLog>>,
}

/// `Payload` of the tracking answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct TrackPayload {
    /// One entry per parcel found.
    #[serde(default)]
    pub shipment_model_list: Option<Vec<ShipmentModel>>,
}

/// The `SaveIntegrationReturnShipment` `SenderCustomer`: the end customer sending it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ReturnSender {
    /// TCKN (individual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_number: Option<String>,
    /// VKN (corporate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_identity_number: Option<String>,
    /// First name (individual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_name: Option<String>,
    /// Surname (individual).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_surname: Option<String>,
    /// Title (corporate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 1 individual, 2 corporate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_type: Option<i64>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Mobile phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gsm: Option<String>,
    /// Landline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_code: Option<String>,
    /// Pickup address (required).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}

/// One parcel of a return.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ReturnItem {
    /// The original parcel's merchant barcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_barcode: Option<String>,
    /// The original parcel's Kolay Gelsin id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_item_id: Option<i64>,
}

/// The `SaveIntegrationReturnShipment` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ReturnBody {
    /// The end customer returning the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_customer: Option<ReturnSender>,
    /// Where it goes (absent: the merchant's registered return address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<Recipient>,
    /// 1 sender, 2 receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_type_id: Option<i64>,
    /// The original shipment number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<i64>,
    /// The original parcels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_item_list: Option<Vec<ReturnItem>>,
}

/// The `GetCorporateCustomerCargoEventTypes` body: `{}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EmptyBody {}

/// One `CargoEventTypeList` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EventType {
    /// The code.
    #[serde(default)]
    pub cargo_event_type: Option<Scalar>,
    /// Its description for the customer.
    #[serde(default)]
    pub event_customer_description: Option<String>,
}

/// `Payload` of the event-type answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct EventTypesPayload {
    /// The customer's event types.
    #[serde(default)]
    pub cargo_event_type_list: Option<Vec<EventType>>,
}

/// The `GetDocumentForHistory` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct DocumentBody {
    /// The document GUID from an event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// The document type from the same event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<i64>,
}

/// `DocumentModel.Data`: .NET's `byte[]` (a base64 string; an array of numbers is read too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum DocumentData {
    /// Base64 text.
    Base64(String),
    /// Raw bytes as numbers.
    Bytes(Vec<u8>),
}

/// `DocumentModel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct DocumentModel {
    /// The GUID.
    #[serde(default)]
    pub document_id: Option<String>,
    /// The PDF.
    #[serde(default)]
    pub data: Option<DocumentData>,
}

/// `Payload` of the document answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct DocumentPayload {
    /// The document.
    #[serde(default)]
    pub document_model: Option<DocumentModel>,
}

/// The webhook body Kolay Gelsin POSTs for one event (every value a string in the sample).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookEvent {
    /// When the event happened (ISO 8601 with offset).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_stamp: Option<String>,
    /// Shipment number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_id: Option<Scalar>,
    /// Parcel id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_item_id: Option<Scalar>,
    /// Merchant parcel tracking id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_tracking_id: Option<Scalar>,
    /// Merchant barcode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_barcode: Option<Scalar>,
    /// Merchant order key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_specific_code: Option<Scalar>,
    /// The customer number the notice is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_id: Option<Scalar>,
    /// The event code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_event_type: Option<Scalar>,
    /// 1 sender, 2 receiver.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment_party_type: Option<Scalar>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<Scalar>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<Scalar>,
    /// Where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_name: Option<String>,
    /// Vehicle plate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_plate: Option<String>,
    /// Courier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub courier_name: Option<String>,
    /// Document type (`"0"` when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<Scalar>,
    /// Document GUID (`""` when none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
    /// Details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_detail_model: Option<EventDetail>,
    /// The merchant's free text of the parcel.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_optional_info: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn result_codes_keep_their_decimal_text() {
        let env: Envelope<serde_json::Value> =
            serde_json::from_str(r#"{"ResultCode": 404.1, "ResultMessage": "x"}"#).unwrap();
        let c = env.result_code.unwrap();
        assert_eq!((c.raw.as_str(), c.canonical()), ("404.1", "404.1".into()));
        assert!(!c.is_ok());
        for (json, canonical, ok) in [
            ("500.0", "500.0", false),
            ("500", "500.0", false),
            ("\"500.00\"", "500.0", false),
            ("200", "200.0", true),
            ("200.0", "200.0", true),
            ("\"E-17\"", "E-17", false),
        ] {
            let c: ResultCode = serde_json::from_str(json).unwrap();
            assert_eq!(c.canonical(), canonical, "{json}");
            assert_eq!(c.is_ok(), ok, "{json}");
        }
        assert_eq!(
            serde_json::to_string(&ResultCode::new("500.0")).unwrap(),
            "500.0"
        );
        assert_eq!(serde_json::to_string(&ResultCode::ok()).unwrap(), "200");
        assert_eq!(
            serde_json::to_string(&ResultCode::new("404.1")).unwrap(),
            "404.1"
        );
    }

    #[test]
    fn scalars_read_numbers_and_strings() {
        let s: Vec<Scalar> = serde_json::from_str(r#"[1, "29", " 884213 ", 1.5, true]"#).unwrap();
        assert_eq!(s[0].as_i64(), Some(1));
        assert_eq!(s[1].as_i64(), Some(29));
        assert_eq!(s[2].text(), "884213");
        assert_eq!(s[3].text(), "1.5");
        assert_eq!(s[4].as_i64(), None);
        assert!(Scalar::from(" ").is_blank());
        assert_eq!(serde_json::to_string(&Scalar::Int(7)).unwrap(), "7");
    }

    #[test]
    fn requests_refuse_misspelt_keys_and_read_the_bulding_typo() {
        assert!(
            serde_json::from_str::<CreateBody>(r#"{"PackageTyp": 2}"#).is_err(),
            "misspelt key"
        );
        let a: Address = serde_json::from_str(r#"{"BuldingName": "Ekol", "CityId": 34}"#).unwrap();
        assert_eq!(a.building_name.as_deref(), Some("Ekol"));
        assert!(serde_json::from_str::<EmptyBody>("{}").is_ok());
        assert!(serde_json::from_str::<EmptyBody>(r#"{"x":1}"#).is_err());
    }
}
