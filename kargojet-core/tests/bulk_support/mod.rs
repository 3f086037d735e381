//! Shared set-up of the bulk tests: the seller, the fixture files, a hand-written tariff whose
//! prices can be checked by hand, and an in-test carrier that keeps what it created (so a test
//! can count what was really shipped) and can be told to fail or to lose its answer.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use kargojet_core::address::Party;
use kargojet_core::bulk::{self, ImportOptions, ImportResult};
use kargojet_core::carrier::{
    AccountId, Capabilities, Carrier, CarrierId, CreateRequest, Reconciliation, ReferenceLookup,
    ShipmentRef, TrackingUpdate,
};
use kargojet_core::error::{Code, Error, Result, SendState};
use kargojet_core::money::Money;
use kargojet_core::pricing::{Agreement, CodFee, Fees, Tariff, ZoneKey};
use kargojet_core::shipment::{
    AddressDraft, CreatedShipment, Label, LabelFormat, MerchantKey, PartyDraft,
};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// The seller's warehouse in Kadıköy.
pub fn sender() -> Party {
    PartyDraft {
        name: "Moda Tekstil Ltd.".into(),
        phone: "0216 345 67 89".into(),
        email: None,
        address: AddressDraft {
            province: "İstanbul".into(),
            district: "Kadıköy".into(),
            line: "Caferağa Mah. Moda Cad. No: 12".into(),
            postal_code: Some("34710".into()),
        },
    }
    .validate("sender")
    .unwrap()
}

/// `tests/fixtures/bulk/<name>`.
pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bulk")
        .join(name)
}

/// The bytes of a fixture.
pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_path(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Imports bytes with the default options and the test seller.
pub fn import(bytes: &[u8]) -> ImportResult {
    bulk::import(bytes, &ImportOptions::new(sender())).unwrap_or_else(|e| panic!("{e}"))
}

/// Lira.
pub fn tl(d: Decimal) -> Money {
    Money::try_lira(d)
}

/// Bands (all zones): (0,1] base, (1,3] base + 10, (3,5] base + 20, (5,10] base + 40, then 5 per
/// desi. Round numbers so a plan's total can be computed by hand.
pub fn tariff(carrier: CarrierId, base: Decimal) -> Arc<Tariff> {
    let z = ZoneKey::All;
    Arc::new(
        Tariff::builder(format!("test-{}", carrier.as_str()), carrier)
            .band(z, dec!(0), dec!(1), base)
            .band(z, dec!(1), dec!(3), base + dec!(10))
            .band(z, dec!(3), dec!(5), base + dec!(20))
            .band(z, dec!(5), dec!(10), base + dec!(40))
            .extra_per_desi(z, dec!(5))
            .build()
            .unwrap(),
    )
}

/// Platform agreement (10 % commission, KDV 20 %), COD fee 1.5 % with a 10 TL minimum.
pub fn agreement(carrier: CarrierId, base: Decimal) -> Agreement {
    Agreement::platform(tariff(carrier.clone(), base))
        .id(format!("platform:{}", carrier.as_str()))
        .fees(Fees {
            cod: Some(CodFee::Percent {
                percent: dec!(1.5),
                min: tl(dec!(10)),
            }),
            ..Fees::default()
        })
        .build()
        .unwrap()
}

/// A carrier that keeps the shipments it created, by merchant key. Orders listed in
/// `fail_once` are refused (not sent) the first time; orders in `lose_answer` are created but
/// the answer is lost (a timeout after sending); lookups are conclusive.
pub struct Depot {
    pub id: CarrierId,
    pub cod_max: Option<Money>,
    pub created: Mutex<HashMap<MerchantKey, CreatedShipment>>,
    pub create_calls: Mutex<u32>,
    pub fail_once: Mutex<HashSet<String>>,
    pub lose_answer: Mutex<HashSet<String>>,
    /// Offers its own PDF labels, which are broken (no cross-reference table).
    pub broken_labels: bool,
}

impl Depot {
    pub fn new(id: CarrierId) -> Depot {
        Depot {
            id,
            cod_max: None,
            created: Mutex::new(HashMap::new()),
            create_calls: Mutex::new(0),
            fail_once: Mutex::new(HashSet::new()),
            lose_answer: Mutex::new(HashSet::new()),
            broken_labels: false,
        }
    }

    pub fn with_broken_labels(mut self) -> Depot {
        self.broken_labels = true;
        self
    }

    pub fn with_cod_max(mut self, max: Money) -> Depot {
        self.cod_max = Some(max);
        self
    }

    pub fn fail_once(self, order: &str) -> Depot {
        self.fail_once.lock().unwrap().insert(order.to_string());
        self
    }

    pub fn lose_answer(self, order: &str) -> Depot {
        self.lose_answer.lock().unwrap().insert(order.to_string());
        self
    }

    /// Shipments that exist at the carrier.
    pub fn shipments(&self) -> usize {
        self.created.lock().unwrap().len()
    }

    /// `create` calls received.
    pub fn calls(&self) -> u32 {
        *self.create_calls.lock().unwrap()
    }
}

#[async_trait]
impl Carrier for Depot {
    fn id(&self) -> CarrierId {
        self.id.clone()
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            cod_card: true,
            cod_max: self.cod_max,
            label_formats: if self.broken_labels {
                vec![LabelFormat::Pdf]
            } else {
                Vec::new()
            },
            ..Capabilities::default()
        }
    }
    fn reconciliation(&self) -> Reconciliation {
        Reconciliation {
            lookup_conclusive: true,
            resend_is_safe: false,
            max_resends: 0,
        }
    }
    async fn create(&self, req: &CreateRequest) -> Result<CreatedShipment> {
        *self.create_calls.lock().unwrap() += 1;
        tokio::task::yield_now().await;
        let order = req.shipment.order_id.clone().unwrap_or_default();
        if self.fail_once.lock().unwrap().remove(&order) {
            return Err(Error::Transport {
                code: Code::TransportConnection,
                carrier: Some(self.id.clone()),
                send_state: SendState::NotSent,
                http_status: None,
                detail: "connection refused".into(),
            });
        }
        let created = CreatedShipment {
            merchant_key: req.merchant_key.clone(),
            carrier_tracking_number: Some(format!("{}-{}", self.id, req.merchant_key)),
            carrier_refs: Default::default(),
            label: None,
            raw: "<ok/>".into(),
        };
        {
            let mut side = self.created.lock().unwrap();
            if side.contains_key(&req.merchant_key) {
                return Err(Error::CarrierRejected {
                    code: Code::CarrierDuplicate,
                    carrier: self.id.clone(),
                    carrier_code: "DUP".into(),
                    carrier_message: "exists".into(),
                });
            }
            side.insert(req.merchant_key.clone(), created.clone());
        }
        if self.lose_answer.lock().unwrap().remove(&order) {
            return Err(Error::Timeout {
                code: Code::TransportTimeout,
                carrier: Some(self.id.clone()),
                send_state: SendState::MaybeSent,
                detail: "create: the answer was lost".into(),
            });
        }
        Ok(created)
    }
    async fn label(&self, _s: &ShipmentRef, format: LabelFormat) -> Result<Label> {
        Ok(Label {
            format,
            bytes: b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n".to_vec(),
        })
    }
    async fn cancel(&self, _s: &ShipmentRef) -> Result<()> {
        Ok(())
    }
    async fn track(&self, _s: &ShipmentRef) -> Result<TrackingUpdate> {
        Ok(TrackingUpdate::default())
    }
    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _a: &AccountId,
    ) -> Result<ReferenceLookup> {
        Ok(match self.created.lock().unwrap().get(key) {
            Some(c) => ReferenceLookup::Found(c.clone()),
            None => ReferenceLookup::NotFound,
        })
    }
}
