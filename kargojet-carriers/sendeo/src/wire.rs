//! Sendeo's JSON exactly as the carrier spells it, shared by the client and the simulator.
//!
//! Sendeo is an ASP.NET service: it reads JSON keys case-insensitively, and its answers mix
//! `RequestId`/`requestId` and `ExceptionMessage`/`exceptionMessage`. So every type here
//! **serializes** with the documented spelling (`weigth` included, sic) and **deserializes**
//! from a document whose keys were lower-cased first ([`lower_keys`]): reading is
//! case-insensitive, as the carrier is. Request types are `deny_unknown_fields`, so the
//! simulator refuses a misspelt key (`weight` for `weigth`); answer types ignore unknown keys.
//! Every field is optional so that a missing required one is answered with Sendeo's own error
//! code, not a parse failure.

pub use kargojet_carrier_common::json::{JsonDecimal, LooseString};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Path of the token endpoint (POST `{"musteri", "sifre"}`).
pub const PATH_LOGIN: &str = "/api/Token/LoginAES";
/// Path of the create endpoint.
pub const PATH_CREATE: &str = "/api/Cargo/SETDELIVERY";
/// Path of the track endpoint (GET `?referenceNo=` or `?trackingNo=`).
pub const PATH_TRACK: &str = "/api/Cargo/TRACKDELIVERY";
/// Path of the cancel endpoint (POST, no body, `?referenceNo=` or `?trackingNo=`).
pub const PATH_CANCEL: &str = "/api/Cargo/CANCELDELIVERY";
/// Path of the pieces/desi update endpoint.
pub const PATH_MEASUREMENT: &str = "/api/Cargo/CARGOMEASUREMENTUPDATE";
/// Path of the label-by-reference endpoint.
pub const PATH_BARCODE: &str = "/api/Cargo/GETBARCODE";
/// Path of the label-by-tracking-number endpoint.
pub const PATH_BARCODE_BY_TRACKING: &str = "/api/Cargo/GETBARCODEBYTRACKINGNUMBER";
/// Path of the city/district code lookup (GET `?CityName=` and optionally `&DistrictName=`).
pub const PATH_CITY_DISTRICTS: &str = "/api/Cargo/GetCityDistricts";

/// `PaymentType`: always 1.
pub const PAYMENT_TYPE: i64 = 1;
/// `DeliveryType` 1: merchant location → customer.
pub const DELIVERY_OUTBOUND: i64 = 1;
/// `DeliveryType` 2: customer → merchant location (returns).
pub const DELIVERY_RETURN: i64 = 2;
/// `CollectionType` 0: no cash on delivery.
pub const COLLECTION_NONE: i64 = 0;
/// `CollectionType` 1: cash at the door.
pub const COLLECTION_CASH: i64 = 1;
/// `CollectionType` 2: credit card at the door.
pub const COLLECTION_CARD: i64 = 2;

/// Lower-cases every object key (recursively), the first non-null value winning when two keys
/// differ only in case: the form every type of this module deserializes from.
pub fn lower_keys(v: Value) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (k, v) in map {
                let v = lower_keys(v);
                let key = if k.bytes().any(|b| b.is_ascii_uppercase()) {
                    k.to_ascii_lowercase()
                } else {
                    k
                };
                match out.get(&key) {
                    Some(existing) if !existing.is_null() => {}
                    _ => {
                        out.insert(key, v);
                    }
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(lower_keys).collect()),
        other => other,
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay, UTF-8 bytes escaped).
pub fn query_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A numeric value as a JSON number (`9124356789047`, `48.5`), read from a number or a numeric
/// string: Sendeo documents the same keys as integer in one place and string in another.
pub fn number(d: impl Into<Decimal>) -> JsonDecimal {
    JsonDecimal(d.into())
}

/// A numeric id as text (`9124356789047`, `101`).
pub fn id_text(d: &JsonDecimal) -> String {
    d.0.normalize().to_string()
}

/// A numeric id as an integer, if it is a whole number.
pub fn id_int(d: &JsonDecimal) -> Option<i64> {
    use rust_decimal::prelude::ToPrimitive;
    d.0.fract().is_zero().then(|| d.0.to_i64()).flatten()
}

/// The answer envelope of every operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    /// Unique id of the request at Sendeo.
    #[serde(
        rename(serialize = "RequestId", deserialize = "requestid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
    /// The business error (HTTP 500), e.g. `Receiver City Id is Not Correct.`.
    #[serde(
        rename(serialize = "exceptionMessage", deserialize = "exceptionmessage"),
        default
    )]
    pub exception_message: Option<String>,
    /// Inner exception text, when Sendeo gives one.
    #[serde(
        rename(
            serialize = "innerExceptionMessage",
            deserialize = "innerexceptionmessage"
        ),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub inner_exception_message: Option<String>,
    /// Extra description, when Sendeo gives one.
    #[serde(
        rename(
            serialize = "exceptionDescription",
            deserialize = "exceptiondescription"
        ),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub exception_description: Option<String>,
    /// The operation's result.
    #[serde(rename(serialize = "result", deserialize = "result"), default = "none")]
    pub result: Option<T>,
    /// `200`, or the error's code (`205`) — the pairing of the code here is inferred.
    #[serde(
        rename(serialize = "StatusCode", deserialize = "statuscode"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub status_code: Option<JsonDecimal>,
}

fn none<T>() -> Option<T> {
    None
}

/// The login body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// API user.
    #[serde(rename(serialize = "musteri", deserialize = "musteri"), default)]
    pub musteri: Option<String>,
    /// Password.
    #[serde(rename(serialize = "sifre", deserialize = "sifre"), default)]
    pub sifre: Option<String>,
}

/// `result` of the login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TokenResult {
    /// The bearer token.
    #[serde(rename(serialize = "Token", deserialize = "token"), default)]
    pub token: Option<String>,
    /// The customer code (`ccode` of tracking URLs).
    #[serde(
        rename(serialize = "CustomerId", deserialize = "customerid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_id: Option<JsonDecimal>,
}

/// One `Products` line of `SETDELIVERY` (keys spelt as the notes' example, `weigth` sic).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Units (one barcode per unit).
    #[serde(
        rename(serialize = "count", deserialize = "count"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub count: Option<i64>,
    /// Product code (send "").
    #[serde(
        rename(serialize = "productCode", deserialize = "productcode"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub product_code: Option<String>,
    /// Description (send "").
    #[serde(
        rename(serialize = "description", deserialize = "description"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Desi per unit (0 if unknown).
    #[serde(
        rename(serialize = "deci", deserialize = "deci"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub deci: Option<i64>,
    /// Weight per unit in kg — **misspelt on the wire** (`weigth`).
    #[serde(
        rename(serialize = "weigth", deserialize = "weigth"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub weigth: Option<i64>,
    /// Desi/kg per unit.
    #[serde(
        rename(serialize = "DeciWeight", deserialize = "deciweight"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub deci_weight: Option<i64>,
    /// Goods value (double); non-zero when cash is collected.
    #[serde(
        rename(serialize = "Price", deserialize = "price"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub price: Option<JsonDecimal>,
}

/// The `SETDELIVERY` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SetDeliveryBody {
    /// 1 outbound, 2 customer → merchant (returns), 3 supplier → customer, 4 re-delivery,
    /// 5 to a delivery point, 6 from a return point.
    #[serde(
        rename(serialize = "DeliveryType", deserialize = "deliverytype"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub delivery_type: Option<i64>,
    /// The merchant's unique key (printed as the barcode on own labels).
    #[serde(
        rename(serialize = "ReferenceNo", deserialize = "referenceno"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reference_no: Option<String>,
    /// Free text.
    #[serde(
        rename(serialize = "Description", deserialize = "description"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub description: Option<String>,
    /// Sender title (types 2 and 3; empty for type 1).
    #[serde(
        rename(serialize = "Sender", deserialize = "sender"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender: Option<String>,
    /// Sendeo customer code of the sender.
    #[serde(
        rename(serialize = "SenderId", deserialize = "senderid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_id: Option<String>,
    /// Contact person.
    #[serde(
        rename(serialize = "SenderAuthority", deserialize = "senderauthority"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_authority: Option<String>,
    /// Return point (type 6).
    #[serde(
        rename(serialize = "SenderBranchCode", deserialize = "senderbranchcode"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_branch_code: Option<i64>,
    /// Open address.
    #[serde(
        rename(serialize = "SenderAddress", deserialize = "senderaddress"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_address: Option<String>,
    /// Sendeo city id (the plate).
    #[serde(
        rename(serialize = "SenderCityId", deserialize = "sendercityid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_city_id: Option<i64>,
    /// Sendeo district id (from `GetCityDistricts`).
    #[serde(
        rename(serialize = "SenderDistrictId", deserialize = "senderdistrictid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_district_id: Option<i64>,
    /// Landline, 10 digits.
    #[serde(
        rename(serialize = "SenderPhone", deserialize = "senderphone"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_phone: Option<String>,
    /// Mobile, 10 digits.
    #[serde(
        rename(serialize = "SenderGSM", deserialize = "sendergsm"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_gsm: Option<String>,
    /// E-mail.
    #[serde(
        rename(serialize = "SenderEmail", deserialize = "senderemail"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_email: Option<String>,
    /// Sender's TC identity number (format-checked by Sendeo).
    #[serde(
        rename(serialize = "senderTc", deserialize = "sendertc"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub sender_tc: Option<String>,
    /// Receiver title (types 1 and 3).
    #[serde(
        rename(serialize = "Receiver", deserialize = "receiver"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver: Option<String>,
    /// Sendeo customer code of the receiver.
    #[serde(
        rename(serialize = "ReceiverId", deserialize = "receiverid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_id: Option<String>,
    /// Contact person.
    #[serde(
        rename(serialize = "ReceiverAuthority", deserialize = "receiverauthority"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_authority: Option<String>,
    /// Delivery point (type 5).
    #[serde(
        rename(serialize = "ReceiverBranchCode", deserialize = "receiverbranchcode"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_branch_code: Option<i64>,
    /// Open address (types 1 and 3).
    #[serde(
        rename(serialize = "ReceiverAddress", deserialize = "receiveraddress"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_address: Option<String>,
    /// Sendeo city id (the plate).
    #[serde(
        rename(serialize = "ReceiverCityId", deserialize = "receivercityid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_city_id: Option<i64>,
    /// Sendeo district id.
    #[serde(
        rename(serialize = "ReceiverDistrictId", deserialize = "receiverdistrictid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_district_id: Option<i64>,
    /// Landline, 10 digits.
    #[serde(
        rename(serialize = "ReceiverPhone", deserialize = "receiverphone"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_phone: Option<String>,
    /// Mobile, 10 digits (`5xx1234567`).
    #[serde(
        rename(serialize = "ReceiverGSM", deserialize = "receivergsm"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_gsm: Option<String>,
    /// E-mail.
    #[serde(
        rename(serialize = "ReceiverEmail", deserialize = "receiveremail"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_email: Option<String>,
    /// Receiver's TC identity number.
    #[serde(
        rename(serialize = "receiverTC", deserialize = "receivertc"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver_tc: Option<String>,
    /// Always 1.
    #[serde(
        rename(serialize = "PaymentType", deserialize = "paymenttype"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_type: Option<i64>,
    /// 0 none, 1 cash, 2 credit card.
    #[serde(
        rename(serialize = "CollectionType", deserialize = "collectiontype"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub collection_type: Option<i64>,
    /// COD amount (double, 0 if none, at most 5000 TL).
    #[serde(
        rename(serialize = "CollectionPrice", deserialize = "collectionprice"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub collection_price: Option<JsonDecimal>,
    /// İrsaliye series/number.
    #[serde(
        rename(serialize = "DispatchNoteNumber", deserialize = "dispatchnotenumber"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub dispatch_note_number: Option<String>,
    /// 1 standard, 2 express.
    #[serde(
        rename(serialize = "ServiceType", deserialize = "servicetype"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub service_type: Option<i64>,
    /// 0/2 ZPL, 1 Base64, 3 ZPLs, 8 ZPL + `AdditionalValue`, 9 Base64 + HTML, 10 Base64 + text.
    #[serde(
        rename(serialize = "BarcodeLabelType", deserialize = "barcodelabeltype"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub barcode_label_type: Option<i64>,
    /// Printed in the 2×10 area under the barcode (types 8, 9, 10).
    #[serde(
        rename(serialize = "AdditionalValue", deserialize = "additionalvalue"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub additional_value: Option<String>,
    /// Extra reference.
    #[serde(
        rename(
            serialize = "customerReferenceType",
            deserialize = "customerreferencetype"
        ),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub customer_reference_type: Option<String>,
    /// The parcels.
    #[serde(
        rename(serialize = "Products", deserialize = "products"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub products: Option<Vec<Product>>,
}

/// `result` of `SETDELIVERY` and `GETBARCODE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CreateResult {
    /// Sendeo's tracking number.
    #[serde(
        rename(serialize = "TrackingNumber", deserialize = "trackingnumber"),
        default
    )]
    pub tracking_number: Option<JsonDecimal>,
    /// Public tracking page (active once the work order became a shipment).
    #[serde(
        rename(serialize = "TrackingUrl", deserialize = "trackingurl"),
        default
    )]
    pub tracking_url: Option<String>,
    /// Base64 label (`BarcodeLabelType` 1, 9, 10).
    #[serde(rename(serialize = "Barcode", deserialize = "barcode"), default)]
    pub barcode: Option<String>,
    /// ZPL label (`BarcodeLabelType` 0, 2, 8).
    #[serde(rename(serialize = "BarcodeZpl", deserialize = "barcodezpl"), default)]
    pub barcode_zpl: Option<String>,
    /// One barcode number per unit.
    #[serde(
        rename(serialize = "BarcodeNumbers", deserialize = "barcodenumbers"),
        default
    )]
    pub barcode_numbers: Option<Vec<LooseString>>,
    /// One ZPL per unit (`BarcodeLabelType` 3).
    #[serde(
        rename(serialize = "BarcodeZpls", deserialize = "barcodezpls"),
        default
    )]
    pub barcode_zpls: Option<Vec<String>>,
    /// Shipment id (`GETBARCODE` only).
    #[serde(
        rename(serialize = "ShipmentId", deserialize = "shipmentid"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub shipment_id: Option<JsonDecimal>,
}

/// The `GETBARCODE` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarcodeBody {
    /// Label type (as `BarcodeLabelType` of `SETDELIVERY`).
    #[serde(
        rename(serialize = "barcodeLabelType", deserialize = "barcodelabeltype"),
        default
    )]
    pub barcode_label_type: Option<i64>,
    /// The merchant's reference.
    #[serde(
        rename(serialize = "referenceNo", deserialize = "referenceno"),
        default
    )]
    pub reference_no: Option<String>,
}

/// The `GETBARCODEBYTRACKINGNUMBER` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BarcodeByTrackingBody {
    /// Sendeo's tracking number.
    #[serde(
        rename(serialize = "trackingNumber", deserialize = "trackingnumber"),
        default
    )]
    pub tracking_number: Option<i64>,
}

/// `result` of `GETBARCODEBYTRACKINGNUMBER`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BarcodeByTrackingResult {
    /// The label.
    #[serde(rename(serialize = "barcode", deserialize = "barcode"), default)]
    pub barcode: Option<String>,
}

/// `result` of `CANCELDELIVERY` and `CARGOMEASUREMENTUPDATE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SuccessResult {
    /// `true` when done.
    #[serde(rename(serialize = "IsSuccess", deserialize = "issuccess"), default)]
    pub is_success: Option<bool>,
    /// Free text (`CARGOMEASUREMENTUPDATE`).
    #[serde(
        rename(serialize = "Message", deserialize = "message"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
}

/// One `Measurements` entry of `CARGOMEASUREMENTUPDATE`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MeasurementLine {
    /// Units.
    #[serde(rename(serialize = "Quantity", deserialize = "quantity"), default)]
    pub quantity: Option<i64>,
    /// Width, cm (0 allowed).
    #[serde(rename(serialize = "Width", deserialize = "width"), default)]
    pub width: Option<i64>,
    /// Length, cm (0 allowed).
    #[serde(rename(serialize = "Length", deserialize = "length"), default)]
    pub length: Option<i64>,
    /// Height, cm (0 allowed).
    #[serde(rename(serialize = "Height", deserialize = "height"), default)]
    pub height: Option<i64>,
    /// Desi per unit (double).
    #[serde(rename(serialize = "Deci", deserialize = "deci"), default)]
    pub deci: Option<JsonDecimal>,
    /// Weight per unit, kg (double).
    #[serde(rename(serialize = "Weight", deserialize = "weight"), default)]
    pub weight: Option<JsonDecimal>,
}

/// The `CARGOMEASUREMENTUPDATE` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct MeasurementBody {
    /// The merchant's reference.
    #[serde(
        rename(serialize = "CustomerReferenceNo", deserialize = "customerreferenceno"),
        default
    )]
    pub customer_reference_no: Option<String>,
    /// Pieces and desi.
    #[serde(
        rename(serialize = "Measurements", deserialize = "measurements"),
        default
    )]
    pub measurements: Option<Vec<MeasurementLine>>,
}

/// One `StatusHistories` entry of `TRACKDELIVERY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct StatusHistory {
    /// When (ISO 8601 without offset, Turkey time).
    #[serde(rename(serialize = "StatusDate", deserialize = "statusdate"), default)]
    pub status_date: Option<String>,
    /// Status id (101…151).
    #[serde(rename(serialize = "StatusId", deserialize = "statusid"), default)]
    pub status_id: Option<JsonDecimal>,
    /// Status name.
    #[serde(rename(serialize = "Status", deserialize = "status"), default)]
    pub status: Option<String>,
    /// Status description.
    #[serde(
        rename(serialize = "Description", deserialize = "description"),
        default
    )]
    pub description: Option<String>,
}

/// One `Products` entry of `TRACKDELIVERY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TrackProduct {
    /// Units.
    #[serde(rename(serialize = "Count", deserialize = "count"), default)]
    pub count: Option<JsonDecimal>,
    /// Stock code.
    #[serde(
        rename(serialize = "ProductCode", deserialize = "productcode"),
        default
    )]
    pub product_code: Option<String>,
    /// Description.
    #[serde(
        rename(serialize = "Description", deserialize = "description"),
        default
    )]
    pub description: Option<String>,
    /// Price.
    #[serde(rename(serialize = "Price", deserialize = "price"), default)]
    pub price: Option<JsonDecimal>,
    /// Stock count.
    #[serde(rename(serialize = "StockCount", deserialize = "stockcount"), default)]
    pub stock_count: Option<JsonDecimal>,
    /// Minimum stock count.
    #[serde(
        rename(serialize = "MinStockCount", deserialize = "minstockcount"),
        default
    )]
    pub min_stock_count: Option<JsonDecimal>,
}

/// `result` of `TRACKDELIVERY`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct TrackResult {
    /// Sendeo's tracking number.
    #[serde(rename(serialize = "TrackingNo", deserialize = "trackingno"), default)]
    pub tracking_no: Option<JsonDecimal>,
    /// The merchant's reference.
    #[serde(
        rename(serialize = "ReferenceNo", deserialize = "referenceno"),
        default
    )]
    pub reference_no: Option<LooseString>,
    /// `dd/MM/yyyy HH:mm:ss`.
    #[serde(rename(serialize = "SendDate", deserialize = "senddate"), default)]
    pub send_date: Option<String>,
    /// Receiver.
    #[serde(rename(serialize = "Receiver", deserialize = "receiver"), default)]
    pub receiver: Option<String>,
    /// Price, VAT included.
    #[serde(
        rename(serialize = "CargoAmount", deserialize = "cargoamount"),
        default
    )]
    pub cargo_amount: Option<JsonDecimal>,
    /// Sender.
    #[serde(rename(serialize = "Sender", deserialize = "sender"), default)]
    pub sender: Option<String>,
    /// Current status id.
    #[serde(rename(serialize = "State", deserialize = "state"), default)]
    pub state: Option<JsonDecimal>,
    /// Current status text.
    #[serde(rename(serialize = "StateText", deserialize = "statetext"), default)]
    pub state_text: Option<String>,
    /// `dd/MM/yyyy HH:mm:ss` of the last change.
    #[serde(rename(serialize = "UpdateDate", deserialize = "updatedate"), default)]
    pub update_date: Option<String>,
    /// What happened last.
    #[serde(
        rename(serialize = "DeliveryDescription", deserialize = "deliverydescription"),
        default
    )]
    pub delivery_description: Option<String>,
    /// Stocked products.
    #[serde(
        rename(serialize = "Products", deserialize = "products"),
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub products: Option<Vec<TrackProduct>>,
    /// Sendeo's receiving dealer.
    #[serde(rename(serialize = "DealerId", deserialize = "dealerid"), default)]
    pub dealer_id: Option<JsonDecimal>,
    /// Desi/kg as Sendeo counts it.
    #[serde(rename(serialize = "DeciWeight", deserialize = "deciweight"), default)]
    pub deci_weight: Option<JsonDecimal>,
    /// Pieces.
    #[serde(rename(serialize = "Quantity", deserialize = "quantity"), default)]
    pub quantity: Option<JsonDecimal>,
    /// Shipping price (VAT excluded; `CargoAmount` is the VAT-included one).
    #[serde(rename(serialize = "TotalPrice", deserialize = "totalprice"), default)]
    pub total_price: Option<JsonDecimal>,
    /// Departure branch.
    #[serde(
        rename(serialize = "DepartureBranchName", deserialize = "departurebranchname"),
        default
    )]
    pub departure_branch_name: Option<String>,
    /// Arrival branch.
    #[serde(
        rename(serialize = "ArrivalBranchName", deserialize = "arrivalbranchname"),
        default
    )]
    pub arrival_branch_name: Option<String>,
    /// Planned delivery (ISO 8601 with offset).
    #[serde(
        rename(serialize = "DeliveryPlannedDate", deserialize = "deliveryplanneddate"),
        default
    )]
    pub delivery_planned_date: Option<String>,
    /// History.
    #[serde(
        rename(serialize = "StatusHistories", deserialize = "statushistories"),
        default
    )]
    pub status_histories: Option<Vec<StatusHistory>>,
}

/// One entry of `GetCityDistricts` (key spelling from the document's prose: `CityId`,
/// `DistrictId`; the names' keys are an assumption).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CityDistrict {
    /// City id (the plate).
    #[serde(rename(serialize = "CityId", deserialize = "cityid"), default)]
    pub city_id: Option<JsonDecimal>,
    /// City name.
    #[serde(rename(serialize = "CityName", deserialize = "cityname"), default)]
    pub city_name: Option<String>,
    /// District id.
    #[serde(rename(serialize = "DistrictId", deserialize = "districtid"), default)]
    pub district_id: Option<JsonDecimal>,
    /// District name.
    #[serde(
        rename(serialize = "DistrictName", deserialize = "districtname"),
        default
    )]
    pub district_name: Option<String>,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_read_case_insensitively_and_written_as_documented() {
        let v = json!({"RequestId": "a", "requestId": null, "EXCEPTIONMESSAGE": null,
            "Result": {"trackingNumber": 9124356789047u64, "BARCODEZPL": "^XA^XZ"}, "statusCode": 200});
        let env: Envelope<CreateResult> = serde_json::from_value(lower_keys(v)).unwrap();
        assert_eq!(env.request_id.as_deref(), Some("a"));
        let r = env.result.unwrap();
        assert_eq!(id_text(&r.tracking_number.unwrap()), "9124356789047");
        assert_eq!(r.barcode_zpl.as_deref(), Some("^XA^XZ"));
        let p = Product {
            count: Some(1),
            weigth: Some(2),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            json!({"count": 1, "weigth": 2})
        );
        let misspelt = lower_keys(json!({"count": 1, "Weight": 2}));
        assert!(serde_json::from_value::<Product>(misspelt).is_err());
    }

    #[test]
    fn numbers_and_query_values() {
        let n: JsonDecimal = serde_json::from_value(json!(58.2)).unwrap();
        assert_eq!(n.0, "58.2".parse::<Decimal>().unwrap());
        let t: JsonDecimal = serde_json::from_value(json!(" 101 ")).unwrap();
        assert_eq!((id_text(&t), id_int(&t)), ("101".to_string(), Some(101)));
        assert_eq!(id_int(&number(Decimal::new(15, 1))), None);
        assert_eq!(
            serde_json::to_value(number(9124356789047i64)).unwrap(),
            json!(9124356789047u64)
        );
        assert_eq!(query_value("İstanbul"), "%C4%B0stanbul");
        assert_eq!(query_value("KJ-24_0.7~"), "KJ-24_0.7~");
        assert_eq!(query_value("a b&c"), "a%20b%26c");
    }
}
