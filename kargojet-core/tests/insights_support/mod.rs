//! Shared set-up of the insights tests: stored shipments as the orchestrator keeps them, with
//! real names, phones and addresses (so tests can check none of it leaks into insights).
#![allow(dead_code, clippy::unwrap_used)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use kargojet_core::address::{Address, Party};
use kargojet_core::carrier::{AccountId, CarrierId};
use kargojet_core::geo::{DistanceZone, Plate};
use kargojet_core::money::Money;
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{AgreementKind, Offer, PriceBreakdown, ZoneKey};
use kargojet_core::shipment::{
    CashOnDelivery, CodPayment, CreatedShipment, MerchantKey, Shipment, ShipmentId, ShipmentRequest,
};
use kargojet_core::time::turkey_offset;
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;

/// Personal data and references used in the shipments below (names, phones, e-mail, street
/// lines, districts, order and tracking numbers, branch names); none of it may appear in
/// anything insights send out.
pub const PERSONAL: &[&str] = &[
    "Zeynep Kocabıyık",
    "Kocabıyık",
    "05321112233",
    "5321112233",
    "Gül Sokak",
    "Mehmet Özdemir",
    "02165554433",
    "2165554433",
    "Bağdat Caddesi",
    "zeynep@example.com",
    "Kadıköy",
    "İpekyolu",
    "Çankaya",
    "Konak",
    "Yakutiye",
    "Nilüfer",
    "SIP-77",
    "TRK-1",
    "KADIKÖY ŞUBE",
];

/// 2026-03-02 09:00 UTC.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap()
}

/// İstanbul/Kadıköy → `province`/`district`, one parcel, optional COD.
pub fn request(province: &str, district: &str, cod: Option<Decimal>) -> ShipmentRequest {
    let sender = Party::parse(
        "Mehmet Özdemir Tekstil",
        "02165554433",
        Address::parse(
            "İstanbul",
            "Kadıköy",
            "Bağdat Caddesi No 250",
            "sender.address",
        )
        .unwrap(),
        "sender",
    )
    .unwrap();
    let mut recipient = Party::parse(
        "Zeynep Kocabıyık",
        "05321112233",
        Address::parse(
            province,
            district,
            "Gül Sokak No 17 Daire 4",
            "recipient.address",
        )
        .unwrap(),
        "recipient",
    )
    .unwrap();
    recipient.email = Some("zeynep@example.com".into());
    ShipmentRequest {
        sender,
        recipient,
        parcels: vec![Parcel::new(dec!(30), dec!(20), dec!(20), dec!(2))],
        cod: cod.map(|a| CashOnDelivery {
            amount: Money::try_lira(a),
            payment: CodPayment::Cash,
        }),
        order_id: Some("SIP-77".into()),
        description: None,
        sms: false,
        insured_value: None,
    }
}

/// An offer of `carrier` for `total` TL at `desi` billable desi.
pub fn offer(carrier: CarrierId, desi: Decimal, total: Decimal) -> Offer {
    let total = Money::try_lira(total);
    Offer {
        carrier,
        agreement_id: Arc::from("platform:test"),
        agreement: AgreementKind::Platform {
            commission_percent: dec!(10),
        },
        account: AccountId::platform(),
        zone: ZoneKey::Distance(DistanceZone::Orta),
        billable_desi: desi,
        breakdown: PriceBreakdown {
            cost: total,
            commission: Money::zero(),
            cod_fee: Money::zero(),
            sms_fee: Money::zero(),
            insurance_fee: Money::zero(),
            discount: Money::zero(),
            kdv: Money::zero(),
            total,
        },
        transit_days: None,
        illustrative: true,
        live: false,
    }
}

/// A tracking event `hours` after `from`.
pub fn event(
    from: DateTime<Utc>,
    hours: i64,
    status: Option<ShipmentStatus>,
    measurement: Option<Measurement>,
) -> TrackingEvent {
    TrackingEvent {
        time: (from + Duration::hours(hours)).with_timezone(&turkey_offset()),
        location: Some("KADIKÖY ŞUBE".into()),
        carrier_code: status.map(|s| s.id()).unwrap_or("999").to_string(),
        carrier_text: "Zeynep Kocabıyık teslim aldı".into(),
        status,
        measurement,
    }
}

/// A stored shipment with its history; the status is the one the history implies.
pub fn shipment(
    id: &str,
    carrier: CarrierId,
    request: ShipmentRequest,
    offer: Offer,
    created_at: DateTime<Utc>,
    events: Vec<TrackingEvent>,
) -> Shipment {
    let status =
        kargojet_core::tracking::current_status(&events).unwrap_or(ShipmentStatus::Created);
    Shipment {
        id: ShipmentId(id.into()),
        company: "acme".into(),
        carrier,
        account: AccountId::platform(),
        request,
        created: CreatedShipment {
            merchant_key: MerchantKey::derive("KJ", id),
            carrier_tracking_number: Some("TRK-1".into()),
            carrier_refs: Default::default(),
            label: None,
            raw: "<raw>Zeynep Kocabıyık 05321112233</raw>".into(),
        },
        offer,
        status,
        events,
        created_at,
        idempotency_key: id.into(),
        return_of: None,
    }
}

/// A measurement of `desi`.
pub fn measured(desi: Decimal) -> Measurement {
    Measurement {
        desi: Some(desi),
        kg: None,
        amount: None,
    }
}

/// Ten stored shipments of March 2026 in a fixed pattern (carriers, destinations, outcomes,
/// measurements and COD vary), for tests that need a realistic set.
pub fn stored_month() -> Vec<Shipment> {
    use ShipmentStatus::*;
    let dests = [
        ("Van", "İpekyolu"),
        ("Ankara", "Çankaya"),
        ("İzmir", "Konak"),
        ("Erzurum", "Yakutiye"),
        ("Bursa", "Nilüfer"),
    ];
    let carriers = [CarrierId::Aras, CarrierId::Hepsijet, CarrierId::Surat];
    (0..10)
        .map(|i| {
            let (p, d) = dests[i % dests.len()];
            let carrier = carriers[i % carriers.len()].clone();
            let at = start() + Duration::days(i as i64);
            let cod = (i % 2 == 0).then_some(dec!(450));
            let mut events = vec![
                event(
                    at,
                    2,
                    Some(PickedUp),
                    Some(measured(dec!(3) + Decimal::from(i % 3))),
                ),
                event(at, 10, Some(InTransit), None),
            ];
            match i % 4 {
                0 | 1 => events.push(event(at, 30, Some(Delivered), None)),
                2 => {
                    events.push(event(at, 28, Some(DeliveryFailed), None));
                    events.push(event(at, 50, Some(Returned), None));
                }
                _ => {}
            }
            shipment(
                &format!("shp_{i}"),
                carrier.clone(),
                request(p, d, cod),
                offer(carrier, dec!(3), dec!(80) + Decimal::from(i)),
                at,
                events,
            )
        })
        .collect()
}

/// A plate.
pub fn plate(n: u8) -> Plate {
    Plate::new(n).unwrap()
}
