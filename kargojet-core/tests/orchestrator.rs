//! Orchestrator behaviour with scripted in-test carriers: partial quotes under deadlines,
//! idempotent replay, fail-over, reconciliation of maybe-sent creates, concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use async_trait::async_trait;
use kargojet_core::carrier::*;
use kargojet_core::error::{Code, Error, Result, SendState};
use kargojet_core::money::Money;
use kargojet_core::orchestrator::{OfferChoice, Orchestrator, QuoteRequest, ShipRequest};
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{Agreement, CodFee, Fees, SelectionPolicy, Tariff, ZoneKey};
use kargojet_core::shipment::*;
use kargojet_core::tracking::{ShipmentStatus, TrackingEvent};
use rust_decimal_macros::dec;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the next `create` call does.
#[derive(Debug, Clone)]
enum Step {
    Ok,
    Reject(&'static str),
    NotSent,
    TimeoutAfterCreate,
    TimeoutBeforeCreate,
}

struct Scripted {
    id: CarrierId,
    caps: Capabilities,
    recon: Reconciliation,
    lookup_conclusive: bool,
    live: Option<(Duration, Money)>,
    script: Mutex<VecDeque<Step>>,
    carrier_side: Mutex<HashMap<MerchantKey, CreatedShipment>>,
    create_calls: Mutex<u32>,
    status: Mutex<ShipmentStatus>,
}

impl Scripted {
    fn new(id: CarrierId) -> Scripted {
        Scripted {
            id,
            caps: Capabilities {
                cod: true,
                cod_max: Some(Money::try_lira(dec!(5000))),
                returns: true,
                ..Capabilities::default()
            },
            recon: Reconciliation {
                lookup_conclusive: true,
                resend_is_safe: false,
                max_resends: 0,
            },
            lookup_conclusive: true,
            live: None,
            script: Mutex::new(VecDeque::new()),
            carrier_side: Mutex::new(HashMap::new()),
            create_calls: Mutex::new(0),
            status: Mutex::new(ShipmentStatus::Created),
        }
    }
    fn script(self, steps: &[Step]) -> Self {
        self.script.lock().unwrap().extend(steps.iter().cloned());
        self
    }
    fn creates(&self) -> u32 {
        *self.create_calls.lock().unwrap()
    }
    fn held(&self) -> usize {
        self.carrier_side.lock().unwrap().len()
    }
}

#[async_trait]
impl Carrier for Scripted {
    fn id(&self) -> CarrierId {
        self.id.clone()
    }
    fn capabilities(&self) -> Capabilities {
        let mut c = self.caps.clone();
        c.live_rates = self.live.is_some();
        c
    }
    fn reconciliation(&self) -> Reconciliation {
        self.recon
    }
    async fn quote(&self, _s: &ShipmentRequest) -> Result<Vec<LiveRate>> {
        let (delay, cost) = self
            .live
            .ok_or_else(|| Error::unsupported(Some(self.id.clone()), "live"))?;
        tokio::time::sleep(delay).await;
        Ok(vec![LiveRate {
            service: None,
            cost,
            transit_days: Some(1),
        }])
    }
    async fn create(&self, req: &CreateRequest) -> Result<CreatedShipment> {
        *self.create_calls.lock().unwrap() += 1;
        tokio::task::yield_now().await;
        let step = self.script.lock().unwrap().pop_front().unwrap_or(Step::Ok);
        let created = CreatedShipment {
            merchant_key: req.merchant_key.clone(),
            carrier_tracking_number: Some(format!("T-{}", req.merchant_key)),
            carrier_refs: Default::default(),
            label: None,
            raw: "<ok/>".into(),
        };
        let timeout = || Error::Timeout {
            code: Code::TransportTimeout,
            carrier: Some(self.id.clone()),
            send_state: SendState::MaybeSent,
            detail: "create".into(),
        };
        match step {
            Step::Ok => {
                let mut side = self.carrier_side.lock().unwrap();
                if side.contains_key(&req.merchant_key) {
                    return Err(Error::CarrierRejected {
                        code: Code::CarrierDuplicate,
                        carrier: self.id.clone(),
                        carrier_code: "DUP".into(),
                        carrier_message: "exists".into(),
                    });
                }
                side.insert(req.merchant_key.clone(), created.clone());
                Ok(created)
            }
            Step::Reject(code) => Err(Error::rejected(self.id.clone(), code, "rejected")),
            Step::NotSent => Err(Error::Transport {
                code: Code::TransportConnection,
                carrier: Some(self.id.clone()),
                send_state: SendState::NotSent,
                http_status: None,
                detail: "refused".into(),
            }),
            Step::TimeoutAfterCreate => {
                self.carrier_side
                    .lock()
                    .unwrap()
                    .insert(req.merchant_key.clone(), created);
                Err(timeout())
            }
            Step::TimeoutBeforeCreate => Err(timeout()),
        }
    }
    async fn cancel(&self, _s: &ShipmentRef) -> Result<()> {
        Ok(())
    }
    async fn track(&self, s: &ShipmentRef) -> Result<TrackingUpdate> {
        let status = *self.status.lock().unwrap();
        let event = TrackingEvent {
            time: chrono::DateTime::parse_from_rfc3339("2026-01-05T10:00:00+03:00").unwrap(),
            location: Some("Ankara".into()),
            carrier_code: status.id().into(),
            carrier_text: status.name_tr().into(),
            status: Some(status),
            measurement: None,
        };
        Ok(TrackingUpdate {
            carrier_tracking_number: Some(format!("T-{}", s.merchant_key)),
            status: Some(status),
            events: vec![event],
            raw: String::new(),
        })
    }
    async fn create_return(&self, r: &ReturnRequest) -> Result<CreatedShipment> {
        Ok(CreatedShipment {
            merchant_key: r.merchant_key.clone(),
            carrier_tracking_number: None,
            carrier_refs: Default::default(),
            label: None,
            raw: String::new(),
        })
    }
    async fn find_by_reference(
        &self,
        key: &MerchantKey,
        _a: &AccountId,
    ) -> Result<ReferenceLookup> {
        if !self.lookup_conclusive {
            return Ok(ReferenceLookup::Inconclusive);
        }
        Ok(match self.carrier_side.lock().unwrap().get(key) {
            Some(c) => ReferenceLookup::Found(c.clone()),
            None => ReferenceLookup::NotFound,
        })
    }
}

fn tariff(carrier: CarrierId, price: rust_decimal::Decimal) -> Arc<Tariff> {
    Arc::new(
        Tariff::builder(carrier.as_str().to_string(), carrier)
            .band(ZoneKey::All, dec!(0), dec!(10), price)
            .extra_per_desi(ZoneKey::All, dec!(5))
            .build()
            .unwrap(),
    )
}

fn agreement(carrier: CarrierId, price: rust_decimal::Decimal) -> Agreement {
    let fees = Fees {
        cod: Some(CodFee::Percent {
            percent: dec!(1.5),
            min: Money::try_lira(dec!(15)),
        }),
        ..Fees::default()
    };
    Agreement::platform(tariff(carrier, price))
        .fees(fees)
        .build()
        .unwrap()
}

fn shipment(cod: Option<rust_decimal::Decimal>) -> ShipmentRequest {
    ShipmentDraft {
        sender: PartyDraft {
            name: "Ada Tekstil".into(),
            phone: "02161234567".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Moda Cad. No 1".into(),
                postal_code: None,
            },
        },
        recipient: PartyDraft {
            name: "Ayşe Yılmaz".into(),
            phone: "05321234567".into(),
            email: None,
            address: AddressDraft {
                province: "Ankara".into(),
                district: "Çankaya".into(),
                line: "Atatürk Blv. No 5".into(),
                postal_code: None,
            },
        },
        parcels: vec![Parcel::new(dec!(30), dec!(20), dec!(10), dec!(1))],
        cod_amount: cod.map(Money::try_lira),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn orchestrator(carriers: Vec<Arc<Scripted>>, prices: &[rust_decimal::Decimal]) -> Orchestrator {
    let mut b = Orchestrator::builder().live_rate_deadline(Duration::from_millis(100));
    for (c, p) in carriers.into_iter().zip(prices) {
        b = b
            .agreement(agreement(c.id.clone(), *p))
            .carrier(c, AccountId::platform());
    }
    b.build().unwrap()
}

fn ship_req(key: &str) -> ShipRequest {
    ShipRequest {
        company: "acme".into(),
        shipment: shipment(None),
        policy: SelectionPolicy::default(),
        idempotency_key: key.into(),
        choice: None,
    }
}

#[tokio::test]
async fn a_carrier_slower_than_its_deadline_gives_a_partial_quote() {
    let mut slow = Scripted::new(CarrierId::Custom("slow".into()));
    slow.live = Some((Duration::from_secs(5), Money::try_lira(dec!(10))));
    let mut fast = Scripted::new(CarrierId::Custom("fast".into()));
    fast.live = Some((Duration::from_millis(1), Money::try_lira(dec!(40))));
    let local = Scripted::new(CarrierId::Custom("local".into()));
    let o = orchestrator(
        vec![Arc::new(slow), Arc::new(fast), Arc::new(local)],
        &[dec!(50), dec!(50), dec!(50)],
    );
    let q = o
        .quote(&QuoteRequest {
            company: "acme".into(),
            shipment: shipment(None),
            policy: SelectionPolicy::default(),
        })
        .await
        .unwrap();
    assert_eq!(q.failures.len(), 1);
    assert_eq!(q.failures[0].carrier.as_str(), "slow");
    assert_eq!(q.failures[0].code.as_str(), "transport.timeout");
    let fast_offer = q
        .offers
        .iter()
        .find(|o| o.carrier.as_str() == "fast")
        .unwrap();
    assert!(fast_offer.live);
    assert_eq!(fast_offer.breakdown.cost, Money::try_lira(dec!(40)));
    assert_eq!(q.best().unwrap().carrier.as_str(), "fast");
    assert!(
        q.offers
            .iter()
            .any(|o| o.carrier.as_str() == "local" && !o.live)
    );
}

#[tokio::test]
async fn same_key_same_request_replays_without_calling_the_carrier() {
    let c = Arc::new(Scripted::new(CarrierId::Yurtici));
    let o = orchestrator(vec![c.clone()], &[dec!(50)]);
    let first = o.ship(&ship_req("order-1")).await.unwrap();
    let again = o.ship(&ship_req("order-1")).await.unwrap();
    assert_eq!(first.id, again.id);
    assert_eq!(first.created.merchant_key, again.created.merchant_key);
    assert_eq!(c.creates(), 1);
    let mut other = ship_req("order-1");
    other.shipment.parcels[0].weight_kg = dec!(2);
    let e = o.ship(&other).await.unwrap_err();
    assert_eq!(e.code(), Code::RequestIdempotencyMismatch);
    assert_eq!(c.creates(), 1);
}

#[tokio::test]
async fn not_sent_and_rejected_fail_over_to_the_next_offer() {
    let cheap = Arc::new(Scripted::new(CarrierId::Aras).script(&[Step::NotSent]));
    let mid = Arc::new(Scripted::new(CarrierId::Ptt).script(&[Step::Reject("E42")]));
    let dear = Arc::new(Scripted::new(CarrierId::Surat));
    let o = orchestrator(
        vec![cheap.clone(), mid.clone(), dear.clone()],
        &[dec!(40), dec!(50), dec!(60)],
    );
    let s = o.ship(&ship_req("k")).await.unwrap();
    assert_eq!(s.carrier, CarrierId::Surat);
    assert_eq!((cheap.held(), mid.held(), dear.held()), (0, 0, 1));
    // With fail-over off, the first failure is returned.
    let cheap = Arc::new(Scripted::new(CarrierId::Aras).script(&[Step::Reject("E1")]));
    let o = orchestrator(
        vec![cheap.clone(), Arc::new(Scripted::new(CarrierId::Ptt))],
        &[dec!(40), dec!(50)],
    );
    let mut r = ship_req("k2");
    r.policy.no_failover = true;
    let e = o.ship(&r).await.unwrap_err();
    assert_eq!(e.carrier_code(), Some("E1"));
}

#[tokio::test]
async fn maybe_sent_is_reconciled_by_lookup_and_never_recreated_or_failed_over() {
    let cheap = Arc::new(Scripted::new(CarrierId::Aras).script(&[Step::TimeoutAfterCreate]));
    let other = Arc::new(Scripted::new(CarrierId::Ptt));
    let o = orchestrator(vec![cheap.clone(), other.clone()], &[dec!(40), dec!(50)]);
    let s = o.ship(&ship_req("k")).await.unwrap();
    assert_eq!(s.carrier, CarrierId::Aras);
    assert_eq!(cheap.creates(), 1, "never re-created");
    assert_eq!(cheap.held(), 1);
    assert_eq!(other.creates(), 0, "no fail-over");
    assert_eq!(
        s.created.carrier_tracking_number.as_deref(),
        Some(format!("T-{}", s.created.merchant_key).as_str())
    );
}

#[tokio::test]
async fn maybe_sent_not_created_is_resent_with_the_same_key_when_lookup_is_conclusive() {
    let mut c = Scripted::new(CarrierId::Aras).script(&[Step::TimeoutBeforeCreate]);
    c.recon = Reconciliation {
        lookup_conclusive: true,
        resend_is_safe: true,
        max_resends: 20,
    };
    let c = Arc::new(c);
    let o = orchestrator(vec![c.clone()], &[dec!(40)]);
    let s = o.ship(&ship_req("k")).await.unwrap();
    assert_eq!(c.creates(), 2);
    assert_eq!(c.held(), 1);
    assert_eq!(s.carrier, CarrierId::Aras);
}

#[tokio::test]
async fn resend_with_duplicate_answer_counts_as_success() {
    let mut c = Scripted::new(CarrierId::Yurtici).script(&[Step::TimeoutAfterCreate, Step::Ok]);
    c.recon = Reconciliation {
        lookup_conclusive: false,
        resend_is_safe: true,
        max_resends: 0,
    };
    c.lookup_conclusive = false;
    let c = Arc::new(c);
    let o = orchestrator(
        vec![c.clone(), Arc::new(Scripted::new(CarrierId::Ptt))],
        &[dec!(40), dec!(50)],
    );
    let s = o.ship(&ship_req("k")).await.unwrap();
    assert_eq!(s.carrier, CarrierId::Yurtici);
    assert_eq!(c.held(), 1, "exactly one shipment at the carrier");
}

#[tokio::test]
async fn undecidable_maybe_sent_keeps_the_key_in_flight_and_reconciles_on_retry() {
    let mut c = Scripted::new(CarrierId::Surat).script(&[Step::TimeoutAfterCreate]);
    c.recon = Reconciliation {
        lookup_conclusive: false,
        resend_is_safe: false,
        max_resends: 0,
    };
    c.lookup_conclusive = false;
    let c = Arc::new(c);
    let o = orchestrator(
        vec![c.clone(), Arc::new(Scripted::new(CarrierId::Ptt))],
        &[dec!(40), dec!(50)],
    );
    let e = o.ship(&ship_req("k")).await.unwrap_err();
    assert!(e.is_maybe_sent());
    assert_eq!(c.creates(), 1);
    assert_eq!(o.shipments("acme").await.unwrap().len(), 0);
    // A retry with the same key does not create a second shipment anywhere.
    let e2 = o.ship(&ship_req("k")).await.unwrap_err();
    assert!(e2.is_maybe_sent());
    assert_eq!(c.creates(), 1);
}

#[tokio::test]
async fn concurrent_ship_calls_with_one_key_create_once() {
    let c = Arc::new(Scripted::new(CarrierId::Yurtici));
    let o = Arc::new(orchestrator(vec![c.clone()], &[dec!(40)]));
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let o = o.clone();
        tasks.push(tokio::spawn(async move { o.ship(&ship_req("same")).await }));
    }
    let mut ids = std::collections::HashSet::new();
    for t in tasks {
        ids.insert(t.await.unwrap().unwrap().id);
    }
    assert_eq!(ids.len(), 1);
    assert_eq!(c.creates(), 1);
}

#[tokio::test]
async fn policy_errors_exclusions_and_choice() {
    let a = Arc::new(Scripted::new(CarrierId::Aras));
    let mut p = Scripted::new(CarrierId::Ptt);
    p.caps.cod_max = Some(Money::try_lira(dec!(500)));
    let o = orchestrator(vec![a.clone(), Arc::new(p)], &[dec!(40), dec!(50)]);
    let mut q = QuoteRequest {
        company: "acme".into(),
        shipment: shipment(Some(dec!(1250))),
        policy: SelectionPolicy::default(),
    };
    let quote = o.quote(&q).await.unwrap();
    assert_eq!(quote.offers.len(), 1);
    assert_eq!(quote.excluded[0].code, Code::PolicyCodAboveCap);
    let best = quote.best().unwrap();
    let b = &best.breakdown;
    assert_eq!(b.cod_fee, Money::try_lira(dec!(18.75)));
    assert_eq!(b.commission, Money::try_lira(dec!(4)));
    assert_eq!(
        b.cost + b.commission + b.cod_fee + b.sms_fee + b.insurance_fee + b.discount + b.kdv,
        b.total
    );
    q.policy.excluded = vec![CarrierId::Sendeo];
    assert_eq!(
        o.quote(&q).await.unwrap_err().code(),
        Code::RequestUnknownCarrier
    );
    q.policy.excluded = vec![CarrierId::Aras];
    let quote = o.quote(&q).await.unwrap();
    assert!(quote.offers.is_empty());
    assert!(
        quote
            .excluded
            .iter()
            .any(|x| x.code == Code::PolicyExcluded)
    );
    // choose a carrier explicitly
    let mut r = ship_req("choice");
    r.choice = Some(OfferChoice {
        carrier: CarrierId::Ptt,
        agreement_id: None,
    });
    assert_eq!(o.ship(&r).await.unwrap().carrier, CarrierId::Ptt);
}

#[tokio::test]
async fn track_backfills_and_cancel_is_refused_after_pickup() {
    let c = Arc::new(Scripted::new(CarrierId::Yurtici));
    let o = orchestrator(vec![c.clone()], &[dec!(40)]);
    let s = o.ship(&ship_req("t1")).await.unwrap();
    *c.status.lock().unwrap() = ShipmentStatus::PickedUp;
    let tracked = o.track(&s.id).await.unwrap();
    assert_eq!(tracked.status, ShipmentStatus::PickedUp);
    assert_eq!(tracked.events.len(), 1);
    let again = o.track(&s.id).await.unwrap();
    assert_eq!(again.events.len(), 1, "no duplicate events");
    assert_eq!(
        o.cancel(&s.id).await.unwrap_err().code(),
        Code::ShipmentInvalidState
    );
    let s2 = o.ship(&ship_req("t2")).await.unwrap();
    assert_eq!(
        o.cancel(&s2.id).await.unwrap().status,
        ShipmentStatus::Cancelled
    );
    let r = o.create_return(&s.id, "ret-1").await.unwrap();
    assert_eq!(r.return_of.as_ref(), Some(&s.id));
    assert_eq!(o.create_return(&s.id, "ret-1").await.unwrap().id, r.id);
}
