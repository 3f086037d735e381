//! Domain shipments for the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use kargojet_core::carrier::{AccountId, CreateRequest, ShipmentRef};
use kargojet_core::money::Money;
use kargojet_core::shipment::{
    CashOnDelivery, CodPayment, CreatedShipment, MerchantKey, ShipmentDraft,
};

/// The notes' example shipment, validated.
pub fn request(key: &str) -> CreateRequest {
    let d = super::fixture_json("create/example.domain.json");
    let draft: ShipmentDraft = serde_json::from_value(d["draft"].clone()).unwrap();
    CreateRequest {
        shipment: draft.validate().unwrap(),
        merchant_key: MerchantKey(key.into()),
        account: AccountId::platform(),
        service: None,
        billable_desi: 2.into(),
        attempt: 0,
    }
}

/// The same shipment with cash on delivery.
pub fn cod_request(key: &str, kurus: i64) -> CreateRequest {
    let mut r = request(key);
    r.shipment.cod = Some(CashOnDelivery {
        amount: Money::from_kurus(kurus),
        payment: CodPayment::Cash,
    });
    r
}

/// The reference to act on a created shipment.
pub fn reference(c: &CreatedShipment) -> ShipmentRef {
    ShipmentRef {
        merchant_key: c.merchant_key.clone(),
        carrier_tracking_number: c.carrier_tracking_number.clone(),
        carrier_refs: c.carrier_refs.clone(),
        account: AccountId::platform(),
    }
}
