//! Yurtiçi's `ShippingOrderDispatcherServices` wire types, exactly as the WSDL names them.
//!
//! Only the operation wrapper (`ship:createShipment`) is namespace-qualified; every child element
//! is unqualified (the schema declares no `elementFormDefault`). Field order follows the WSDL
//! sequences. The same types are written by the connector and read by the simulator (requests),
//! and written by the simulator and read by the connector (responses).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Target namespace of the service.
pub const NS: &str = "http://yurticikargo.com.tr/ShippingOrderDispatcherServices";
/// Namespace of the `YurticikargoWSException` fault detail.
pub const EXCEPTION_NS: &str = "http://yurticikargo.com.tr/WSExceptions/";
/// The `SOAPAction` header value of every operation: the empty string.
pub const SOAP_ACTION: &str = "";
/// Path of the service on its host.
pub const SERVICE_PATH: &str = "/KOPSWebServices/ShippingOrderDispatcherServices";
/// Test endpoint published by the carrier.
pub const TEST_URL: &str =
    "http://testwebservices.yurticikargo.com:9090/KOPSWebServices/ShippingOrderDispatcherServices";
/// Production endpoint.
pub const PRODUCTION_URL: &str =
    "https://ws.yurticikargo.com/KOPSWebServices/ShippingOrderDispatcherServices";

fn ns() -> String {
    NS.to_string()
}

/// `xs:double` money and measures as exact decimals: written with a dot, read from text.
mod opt_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};
    use std::str::FromStr;

    pub fn serialize<S: Serializer>(v: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(d) => s.serialize_str(&d.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        match text.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(t) => Decimal::from_str(t)
                .or_else(|_| Decimal::from_scientific(t))
                .map(Some)
                .map_err(serde::de::Error::custom),
        }
    }
}

/// The operations of the service, by their WSDL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// `createShipment`.
    CreateShipment,
    /// `cancelShipment`.
    CancelShipment,
    /// `queryShipment`.
    QueryShipment,
    /// `saveReturnShipmentCode`.
    SaveReturnShipmentCode,
    /// `cancelReturnShipmentCode`.
    CancelReturnShipmentCode,
}

impl Operation {
    /// Every operation this crate speaks.
    pub const ALL: [Operation; 5] = [
        Operation::CreateShipment,
        Operation::CancelShipment,
        Operation::QueryShipment,
        Operation::SaveReturnShipmentCode,
        Operation::CancelReturnShipmentCode,
    ];

    /// The request element's local name.
    pub fn name(self) -> &'static str {
        match self {
            Operation::CreateShipment => "createShipment",
            Operation::CancelShipment => "cancelShipment",
            Operation::QueryShipment => "queryShipment",
            Operation::SaveReturnShipmentCode => "saveReturnShipmentCode",
            Operation::CancelReturnShipmentCode => "cancelReturnShipmentCode",
        }
    }

    /// The response element's local name.
    pub fn response_name(self) -> &'static str {
        match self {
            Operation::CreateShipment => "createShipmentResponse",
            Operation::CancelShipment => "cancelShipmentResponse",
            Operation::QueryShipment => "queryShipmentResponse",
            Operation::SaveReturnShipmentCode => "saveReturnShipmentCodeResponse",
            Operation::CancelReturnShipmentCode => "cancelReturnShipmentCodeResponse",
        }
    }

    /// Parses a request element's local name.
    pub fn from_name(name: &str) -> Option<Operation> {
        Operation::ALL.into_iter().find(|o| o.name() == name)
    }
}

// ---------------------------------------------------------------- requests

/// `createShipment` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CreateShipment {
    /// Namespace binding of the `ship` prefix (written, ignored when read).
    #[serde(rename = "@xmlns:ship", default = "ns", skip_deserializing)]
    pub xmlns: String,
    /// Web-service user (bound to one payment type).
    #[serde(rename = "wsUserName", default)]
    pub ws_user_name: Option<String>,
    /// Password.
    #[serde(rename = "wsPassword", default)]
    pub ws_password: Option<String>,
    /// `TR` or `EN` (named `userLanguage` in this operation).
    #[serde(rename = "userLanguage", default)]
    pub user_language: Option<String>,
    /// One order per shipment (invoice mode) or per piece (piece mode).
    #[serde(rename = "ShippingOrderVO", default)]
    pub orders: Vec<ShippingOrderVO>,
}

/// One shipment order, in WSDL order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShippingOrderVO {
    /// Merchant key, the barcode the branch scans (≤ 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_key: Option<String>,
    /// Invoice key (≤ 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_key: Option<String>,
    /// Receiver name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_cust_name: Option<String>,
    /// Receiver address without city/district.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_address: Option<String>,
    /// Province name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_name: Option<String>,
    /// District name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town_name: Option<String>,
    /// Phone with area code (10 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_phone1: Option<String>,
    /// Second phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_phone2: Option<String>,
    /// Third phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver_phone3: Option<String>,
    /// E-mail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_address: Option<String>,
    /// Tax office code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_office_id: Option<i64>,
    /// VKN (10) or TCKN (11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_number: Option<String>,
    /// Tax office name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_office_name: Option<String>,
    /// Desi (only if the contract allows).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_decimal")]
    pub desi: Option<Decimal>,
    /// Kg (only if the contract allows).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_decimal")]
    pub kg: Option<Decimal>,
    /// Piece count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_count: Option<i32>,
    /// Waybill (irsaliye) number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waybill_no: Option<String>,
    /// `id$value#id$value#` special fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_field1: Option<String>,
    /// Special field 2.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_field2: Option<String>,
    /// Special field 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_field3: Option<String>,
    /// COD amount, dot decimal separator.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_decimal")]
    pub tt_invoice_amount: Option<Decimal>,
    /// COD invoice number (≤ 12 digits).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tt_document_id: Option<i64>,
    /// COD collection type: `0` cash, `1` card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tt_collection_type: Option<String>,
    /// `0` same invoice, `1` separate invoice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tt_document_save_type: Option<String>,
    /// Card COD: installment count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dc_selected_credit: Option<i64>,
    /// Card COD: `0` customer chooses, `1` allow single payment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dc_credit_rule: Option<i64>,
    /// Description (≤ 255).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Customer address code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_geo_code: Option<String>,
    /// Destination priority.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privilege_order: Option<String>,
    /// Product code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cust_prod_id: Option<String>,
    /// Receiver customer code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_receiver_cust_id: Option<String>,
}

/// `cancelShipment` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CancelShipment {
    /// Namespace binding of the `ship` prefix.
    #[serde(rename = "@xmlns:ship", default = "ns", skip_deserializing)]
    pub xmlns: String,
    /// Web-service user.
    #[serde(rename = "wsUserName", default)]
    pub ws_user_name: Option<String>,
    /// Password.
    #[serde(rename = "wsPassword", default)]
    pub ws_password: Option<String>,
    /// `TR` or `EN` (`userLanguage` here).
    #[serde(rename = "userLanguage", default)]
    pub user_language: Option<String>,
    /// Keys to cancel.
    #[serde(rename = "cargoKeys", default)]
    pub cargo_keys: Vec<String>,
}

/// `queryShipment` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct QueryShipment {
    /// Namespace binding of the `ship` prefix.
    #[serde(rename = "@xmlns:ship", default = "ns", skip_deserializing)]
    pub xmlns: String,
    /// Web-service user.
    #[serde(rename = "wsUserName", default)]
    pub ws_user_name: Option<String>,
    /// Password.
    #[serde(rename = "wsPassword", default)]
    pub ws_password: Option<String>,
    /// `TR` or `EN` (`wsLanguage` here).
    #[serde(rename = "wsLanguage", default)]
    pub ws_language: Option<String>,
    /// Keys to query.
    #[serde(rename = "keys", default)]
    pub keys: Vec<String>,
    /// `0` cargoKeys, `1` invoiceKeys.
    #[serde(rename = "keyType", default)]
    pub key_type: Option<i32>,
    /// Include the movement history.
    #[serde(rename = "addHistoricalData", default)]
    pub add_historical_data: Option<bool>,
    /// Tracking fields only.
    #[serde(rename = "onlyTracking", default)]
    pub only_tracking: Option<bool>,
}

/// `saveReturnShipmentCode` request (a return / RMA code the customer gives at the branch).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SaveReturnShipmentCode {
    /// Namespace binding of the `ship` prefix.
    #[serde(rename = "@xmlns:ship", default = "ns", skip_deserializing)]
    pub xmlns: String,
    /// Web-service user.
    #[serde(rename = "wsUserName", default)]
    pub ws_user_name: Option<String>,
    /// Password.
    #[serde(rename = "wsPassword", default)]
    pub ws_password: Option<String>,
    /// `TR` or `EN`.
    #[serde(rename = "wsLanguage", default)]
    pub ws_language: Option<String>,
    /// Special-field id the code is stored in (16 in production, 53 or 3 in test).
    #[serde(rename = "fieldName", default)]
    pub field_name: Option<String>,
    /// The return code.
    #[serde(rename = "returnCode", default)]
    pub return_code: Option<String>,
    /// First valid day, `YYYYMMDD`.
    #[serde(rename = "startDate", default)]
    pub start_date: Option<String>,
    /// Last valid day, `YYYYMMDD`.
    #[serde(rename = "endDate", default)]
    pub end_date: Option<String>,
    /// How many shipments may use the code.
    #[serde(rename = "maxCount", default)]
    pub max_count: Option<i32>,
}

/// `cancelReturnShipmentCode` request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct CancelReturnShipmentCode {
    /// Namespace binding of the `ship` prefix.
    #[serde(rename = "@xmlns:ship", default = "ns", skip_deserializing)]
    pub xmlns: String,
    /// Web-service user.
    #[serde(rename = "wsUserName", default)]
    pub ws_user_name: Option<String>,
    /// Password.
    #[serde(rename = "wsPassword", default)]
    pub ws_password: Option<String>,
    /// `TR` or `EN`.
    #[serde(rename = "wsLanguage", default)]
    pub ws_language: Option<String>,
    /// Special-field id.
    #[serde(rename = "fieldName", default)]
    pub field_name: Option<String>,
    /// The return code.
    #[serde(rename = "returnCode", default)]
    pub return_code: Option<String>,
}

// --------------------------------------------------------------- responses

/// `shippingOrderResultVO`: the `createShipment` result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShippingOrderResultVO {
    /// `0` at least one item succeeded, `1` all failed, `2` unexpected error.
    #[serde(default)]
    pub out_flag: String,
    /// Result text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_result: Option<String>,
    /// Item count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Job id of the upload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    /// Per-item results.
    #[serde(rename = "shippingOrderDetailVO", default)]
    pub details: Vec<ShippingOrderDetailVO>,
}

/// `shippingOrderDetailVO`: one created item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShippingOrderDetailVO {
    /// The key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_key: Option<String>,
    /// `0` success, else an error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_code: Option<i32>,
    /// Error text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_message: Option<String>,
    /// The invoice key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_key: Option<String>,
}

/// `shippingCancelResultVO`: the `cancelShipment` result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShippingCancelResultVO {
    /// Outcome flag.
    #[serde(default)]
    pub out_flag: String,
    /// Result text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_result: Option<String>,
    /// Item count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Sender customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_cust_id: Option<i64>,
    /// Per-item results.
    #[serde(rename = "shippingCancelDetailVO", default)]
    pub details: Vec<ShippingCancelDetailVO>,
}

/// `shippingCancelDetailVO`: one cancelled item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShippingCancelDetailVO {
    /// The key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_key: Option<String>,
    /// Yurtiçi's document id, once issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_id: Option<i64>,
    /// `0` success, else an error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_code: Option<i32>,
    /// Error text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_message: Option<String>,
    /// The invoice key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_key: Option<String>,
    /// Job id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    /// Operation code after the cancel (3 = CNL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_code: Option<i32>,
    /// Operation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_message: Option<String>,
    /// Operation status (`CNL`, `ISC`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_status: Option<String>,
}

/// `shippingDeliveryResultVO`: the `queryShipment` result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShippingDeliveryResultVO {
    /// Outcome flag.
    #[serde(default)]
    pub out_flag: String,
    /// Result text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_result: Option<String>,
    /// Item count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<i64>,
    /// Sender customer id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender_cust_id: Option<i64>,
    /// Per-key results.
    #[serde(rename = "shippingDeliveryDetailVO", default)]
    pub details: Vec<ShippingDeliveryDetailVO>,
}

/// `shippingDeliveryDetailVO`: one queried key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ShippingDeliveryDetailVO {
    /// The key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cargo_key: Option<String>,
    /// `0` success, else an error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_code: Option<i32>,
    /// Error text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_message: Option<String>,
    /// The invoice key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invoice_key: Option<String>,
    /// Job id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_id: Option<i64>,
    /// Operation code (0 NOP … 6 BI).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_code: Option<i32>,
    /// Operation text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_message: Option<String>,
    /// Operation status (`NOP`, `IND`, `ISR`, `CNL`, `ISC`, `DLV`, `BI`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_status: Option<String>,
    /// Document details, once the branch processed the parcel.
    #[serde(
        rename = "shippingDeliveryItemDetailVO",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub item: Option<ShippingDeliveryItemDetailVO>,
}

macro_rules! item_detail {
    ($( $(#[$m:meta])* $field:ident = $name:literal; )*) => {
        /// `ShippingDeliveryItemDetailVO`: the document behind a key (all strings, as the WSDL has
        /// them), with its field and movement arrays.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
        pub struct ShippingDeliveryItemDetailVO {
            $(
                $(#[$m])*
                #[serde(rename = $name, default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<String>,
            )*
            /// Extra document fields.
            #[serde(rename = "invDocFieldVOArray", default)]
            pub fields: Vec<InvDocFieldVO>,
            /// Movement history (only with `addHistoricalData=true`).
            #[serde(rename = "invDocCargoVOArray", default)]
            pub movements: Vec<InvDocCargoVO>,
        }

        impl ShippingDeliveryItemDetailVO {
            /// Whether `name` is one of the item's string fields.
            pub fn has_field(name: &str) -> bool {
                matches!(name, $( $name )|*)
            }

            /// The string field with wire name `name`, if there is one.
            pub fn field_mut(&mut self, name: &str) -> Option<&mut Option<String>> {
                Some(match name {
                    $( $name => &mut self.$field, )*
                    _ => return None,
                })
            }

            /// Sets the string field with wire name `name`; `false` when there is none.
            pub fn set_field(&mut self, name: &str, value: String) -> bool {
                match name {
                    $( $name => self.$field = Some(value), )*
                    _ => return false,
                }
                true
            }
        }
    };
}

item_detail! {
    /// Merchant key.
    cargo_key = "cargoKey";
    /// Yurtiçi's document (shipment) number.
    doc_id = "docId";
    /// Invoice number.
    invoice_number = "invoiceNumber";
    /// Document number.
    doc_number = "docNumber";
    /// Waybill number.
    waybill_no = "waybillNo";
    /// Debit id.
    document_debit_id = "documentDebitId";
    /// Sender customer id.
    sender_cust_id = "senderCustId";
    /// Sender name.
    sender_cust_name = "senderCustName";
    /// Sender address.
    sender_address_txt = "senderAddressTxt";
    /// Receiver customer id.
    receiver_cust_id = "receiverCustId";
    /// Receiver name.
    receiver_cust_name = "receiverCustName";
    /// Receiver address.
    receiver_address_txt = "receiverAddressTxt";
    /// Document date `YYYYMMDD`.
    document_date = "documentDate";
    /// Document time `HHMMSS`.
    document_time = "documentTime";
    /// Deletion flag.
    document_del_flag = "documentDelFlag";
    /// Who received it.
    receiver_info = "receiverInfo";
    /// Document type.
    doc_type = "docType";
    /// Document type text.
    doc_type_explanation = "docTypeExplanation";
    /// Contract id.
    contract_id = "contractId";
    /// Tracking page.
    tracking_url = "trackingUrl";
    /// Cargo type.
    cargo_type = "cargoType";
    /// Cargo type text.
    cargo_type_explanation = "cargoTypeExplanation";
    /// Pickup type.
    pickup_type = "pickupType";
    /// Pickup type text.
    pickup_type_explanation = "pickupTypeExplanation";
    /// Delivery type.
    delivery_type = "deliveryType";
    /// Delivery type text.
    delivery_type_explanation = "deliveryTypeExplanation";
    /// Delivery date `YYYYMMDD`.
    delivery_date = "deliveryDate";
    /// Delivery time `HHMMSS`.
    delivery_time = "deliveryTime";
    /// Price before VAT.
    total_price = "totalPrice";
    /// VAT.
    total_vat = "totalVat";
    /// Amount.
    total_amount = "totalAmount";
    /// Product.
    product = "product";
    /// Measured desi.
    total_desi = "totalDesi";
    /// Measured kg.
    total_kg = "totalKg";
    /// Billable desi/kg.
    total_desi_kg = "totalDesiKg";
    /// Piece count.
    total_cargo = "totalCargo";
    /// Arrival unit id.
    arrival_unit_id = "arrivalUnitId";
    /// Arrival unit name.
    arrival_unit_name = "arrivalUnitName";
    /// Departure unit id.
    departure_unit_id = "departureUnitId";
    /// Departure unit name.
    departure_unit_name = "departureUnitName";
    /// Arrival transfer centre id.
    arrival_tr_center_unit_id = "arrivalTrCenterUnitId";
    /// Arrival transfer centre name.
    arrival_tr_center_name = "arrivalTrCenterName";
    /// Departure transfer centre id.
    departure_tr_center_unit_id = "departureTrCenterUnitId";
    /// Departure transfer centre name.
    departure_tr_center_name = "departureTrCenterName";
    /// Delivery unit id.
    delivery_unit_id = "deliveryUnitId";
    /// Delivery unit name.
    delivery_unit_name = "deliveryUnitName";
    /// Delivery unit type.
    delivery_unit_type = "deliveryUnitType";
    /// Delivery unit type text.
    delivery_unit_type_explanation = "deliveryUnitTypeExplanation";
    /// Current cargo event id.
    cargo_event_id = "cargoEventId";
    /// Current cargo event text.
    cargo_event_explanation = "cargoEventExplanation";
    /// Current reason id (`OK` when no problem).
    cargo_reason_id = "cargoReasonId";
    /// Current reason text.
    cargo_reason_explanation = "cargoReasonExplanation";
    /// Document event id.
    document_event_id = "documentEventId";
    /// Document reason id.
    document_reason_id = "documentReasonId";
    /// Document event text.
    document_event_explanation = "documentEventExplanation";
    /// Document reason text.
    document_reason_explanation = "documentReasonExplanation";
    /// Delivery flag.
    del_info_delivery_flag = "delInfoDeliveryFlag";
    /// Delivering unit.
    del_info_del_unit_id = "delInfoDelUnitId";
    /// Courier name.
    del_emp_name = "delEmpName";
    /// Courier id.
    del_emp_id = "delEmpId";
    /// Return request status (0 … 11).
    reject_status = "rejectStatus";
    /// Return request status text.
    reject_status_explanation = "rejectStatusExplanation";
    /// Return description.
    reject_description = "rejectDescription";
    /// Return reason text.
    reject_reason_explanation = "rejectReasonExplanation";
    /// Return document id.
    return_doc_id = "returnDocId";
    /// Return document date.
    return_document_date = "returnDocumentDate";
    /// Return delivery date.
    return_delivery_date = "returnDeliveryDate";
    /// Return status (3 = returned to sender).
    return_status = "returnStatus";
    /// Return status text.
    return_status_explanation = "returnStatusExplanation";
}

/// `InvDocFieldVO`: an extra document field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct InvDocFieldVO {
    /// Document id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_id: Option<String>,
    /// Field id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name: Option<String>,
    /// Field meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_name_explanation: Option<String>,
    /// Value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_value: Option<String>,
}

/// `InvDocCargoVO`: one movement of the parcel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct InvDocCargoVO {
    /// Unit id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_id: Option<String>,
    /// Unit name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_name: Option<String>,
    /// Event id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_id: Option<String>,
    /// Event text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// Reason id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_id: Option<String>,
    /// Reason text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason_name: Option<String>,
    /// Date `YYYYMMDD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_date: Option<String>,
    /// Time `HHMMSS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_time: Option<String>,
    /// City.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city_name: Option<String>,
    /// District.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub town_name: Option<String>,
}

impl InvDocCargoVO {
    /// Sets the field with wire name `name`; `false` when there is none.
    pub fn set_field(&mut self, name: &str, value: String) -> bool {
        let slot = match name {
            "unitId" => &mut self.unit_id,
            "unitName" => &mut self.unit_name,
            "eventId" => &mut self.event_id,
            "eventName" => &mut self.event_name,
            "reasonId" => &mut self.reason_id,
            "reasonName" => &mut self.reason_name,
            "eventDate" => &mut self.event_date,
            "eventTime" => &mut self.event_time,
            "cityName" => &mut self.city_name,
            "townName" => &mut self.town_name,
            _ => return false,
        };
        *slot = Some(value);
        true
    }
}

impl InvDocFieldVO {
    /// Sets the field with wire name `name`; `false` when there is none.
    pub fn set_field(&mut self, name: &str, value: String) -> bool {
        let slot = match name {
            "docId" => &mut self.doc_id,
            "fieldName" => &mut self.field_name,
            "fieldNameExplanation" => &mut self.field_name_explanation,
            "fieldValue" => &mut self.field_value,
            _ => return false,
        };
        *slot = Some(value);
        true
    }
}

/// `extendedBaseResultVO`: the result of the return-code operations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ExtendedBaseResultVO {
    /// Outcome flag.
    #[serde(default)]
    pub out_flag: String,
    /// Result text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_result: Option<String>,
    /// Error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_code: Option<String>,
}

/// `YurticikargoWSException`: the detail of a SOAP fault raised by the service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct YurticikargoWSException {
    /// Error code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
    /// Error text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub err_text: Option<String>,
}

macro_rules! response_element {
    ($( $(#[$m:meta])* $resp:ident { $child:literal => $ty:ty } )*) => {
        $(
            $(#[$m])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
            pub struct $resp {
                /// The result.
                #[serde(rename = $child, default)]
                pub result: Option<$ty>,
            }
        )*
    };
}

response_element! {
    /// `createShipmentResponse` (`ns2:` qualified), holding the unqualified result.
    CreateShipmentResponse { "ShippingOrderResultVO" => ShippingOrderResultVO }
    /// `cancelShipmentResponse`.
    CancelShipmentResponse { "ShippingOrderResultVO" => ShippingCancelResultVO }
    /// `queryShipmentResponse`.
    QueryShipmentResponse { "ShippingDeliveryVO" => ShippingDeliveryResultVO }
    /// `saveReturnShipmentCodeResponse` / `cancelReturnShipmentCodeResponse`.
    ReturnCodeResponse { "ExtendedBaseResultVO" => ExtendedBaseResultVO }
}

/// Serializes a request as its qualified operation element (`<ship:createShipment
/// xmlns:ship="…">` with unqualified children), ready to be put in a SOAP body.
pub fn to_body_xml<T: Serialize>(op: Operation, request: &T) -> Result<String, quick_xml::SeError> {
    quick_xml::se::to_string_with_root(&format!("ship:{}", op.name()), request)
}

/// Serializes a response result as the carrier writes it: `<ns2:<op>Response xmlns:ns2="…">`
/// around the result element.
pub fn response_body_xml<T: Serialize>(
    op: Operation,
    child: &str,
    result: &T,
) -> Result<String, quick_xml::SeError> {
    let inner = quick_xml::se::to_string_with_root(child, result)?;
    Ok(format!(
        "<ns2:{name} xmlns:ns2=\"{NS}\">{inner}</ns2:{name}>",
        name = op.response_name()
    ))
}
