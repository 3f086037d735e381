//! Shared set-up of the wallet tests: a small hand-written tariff (so every amount can be
//! computed by hand), a platform agreement with a COD fee, requests, offers and shipments.
#![allow(dead_code, clippy::unwrap_used)]

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use kargojet_core::address::{Address, Party};
use kargojet_core::carrier::CarrierId;
use kargojet_core::carrier::{
    AccountId, Capabilities, Carrier, CreateRequest, ReferenceLookup, ShipmentRef, TrackingUpdate,
};
use kargojet_core::money::Money;
use kargojet_core::orchestrator::{Funding, FundingContext};
use kargojet_core::parcel::Parcel;
use kargojet_core::pricing::{Agreement, CodFee, Fees, Offer, Tariff, ZoneKey};
use kargojet_core::shipment::{
    CashOnDelivery, CodPayment, CreatedShipment, MerchantKey, Shipment, ShipmentId, ShipmentRequest,
};
use kargojet_core::time::{ManualClock, turkey_offset};
use kargojet_core::tracking::{Measurement, ShipmentStatus, TrackingEvent};
use kargojet_core::wallet::{FundingConfig, MemoryLedgerStore, ReserveRule, Wallet, WalletFunding};
use kargojet_core::{Error, Result};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// 2026-03-02 09:00 UTC.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).single().unwrap()
}

/// Lira.
pub fn tl(d: Decimal) -> Money {
    Money::try_lira(d)
}

/// Bands (all zones): (0,1] 50, (1,3] 60, (3,5] 70, (5,10] 90, (10,20] 120, then 5 per desi.
pub fn tariff() -> Arc<Tariff> {
    let z = ZoneKey::All;
    Arc::new(
        Tariff::builder("testkargo", CarrierId::Yurtici)
            .band(z, dec!(0), dec!(1), dec!(50))
            .band(z, dec!(1), dec!(3), dec!(60))
            .band(z, dec!(3), dec!(5), dec!(70))
            .band(z, dec!(5), dec!(10), dec!(90))
            .band(z, dec!(10), dec!(20), dec!(120))
            .extra_per_desi(z, dec!(5))
            .build()
            .unwrap(),
    )
}

/// Platform agreement, 10 % commission, KDV 20 %, COD fee 1.5 % (min 10 TL).
pub fn agreement() -> Agreement {
    Agreement::platform(tariff())
        .id("platform:testkargo")
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

/// The seller's own agreement with the same tariff and COD fee.
pub fn own_agreement(company: &str) -> Agreement {
    Agreement::own(company, "main", tariff())
        .id(format!("own:{company}"))
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

/// İstanbul/Kadıköy → Ankara/Çankaya, one parcel of `desi` desi (30 × 20 × h, 1 kg).
pub fn request(desi: Decimal, cod: Option<Money>) -> ShipmentRequest {
    let sender = Party::parse(
        "Ada Tekstil",
        "02161234567",
        Address::parse("İstanbul", "Kadıköy", "Moda Cad. No 1", "sender.address").unwrap(),
        "sender",
    )
    .unwrap();
    let recipient = Party::parse(
        "Ayşe Yılmaz",
        "05321234567",
        Address::parse(
            "Ankara",
            "Çankaya",
            "Atatürk Blv. No 5",
            "recipient.address",
        )
        .unwrap(),
        "recipient",
    )
    .unwrap();
    let height = desi * dec!(3000) / dec!(600);
    ShipmentRequest {
        sender,
        recipient,
        parcels: vec![Parcel::new(dec!(30), dec!(20), height, dec!(1))],
        cod: cod.map(|amount| CashOnDelivery {
            amount,
            payment: CodPayment::Cash,
        }),
        order_id: None,
        description: None,
        sms: false,
        insured_value: None,
    }
}

/// The offer `agreement` makes for `request`, as the orchestrator's quote makes it.
pub fn offer(agreement: &Agreement, request: &ShipmentRequest) -> Offer {
    let orch = kargojet_core::orchestrator::Orchestrator::builder()
        .carrier(Arc::new(Scripted::default()), agreement.account().clone())
        .agreement(agreement.clone())
        .build()
        .unwrap();
    let q = kargojet_core::orchestrator::QuoteRequest {
        company: agreement.company().unwrap_or("acme").to_string(),
        shipment: request.clone(),
        policy: Default::default(),
    };
    let quote = futures::executor::block_on(orch.quote(&q)).unwrap();
    let offer = quote.offers.into_iter().next().unwrap();
    assert_eq!(&*offer.agreement_id, agreement.id());
    offer
}

/// A shipment as the orchestrator stores it.
pub fn shipment(
    company: &str,
    key: &str,
    request: &ShipmentRequest,
    offer: &Offer,
    at: DateTime<Utc>,
) -> Shipment {
    Shipment {
        id: ShipmentId(format!("shp_{company}_{key}")),
        company: company.to_string(),
        carrier: offer.carrier.clone(),
        account: offer.account.clone(),
        request: request.clone(),
        created: CreatedShipment {
            merchant_key: MerchantKey::derive("KJ", key),
            carrier_tracking_number: None,
            carrier_refs: Default::default(),
            label: None,
            raw: String::new(),
        },
        offer: offer.clone(),
        status: ShipmentStatus::Created,
        events: Vec::new(),
        created_at: at,
        idempotency_key: key.to_string(),
        return_of: None,
    }
}

/// A tracking event.
pub fn event(
    at: DateTime<Utc>,
    status: ShipmentStatus,
    measurement: Option<Measurement>,
) -> TrackingEvent {
    TrackingEvent {
        time: at.with_timezone(&turkey_offset()),
        location: None,
        carrier_code: status.id().to_string(),
        carrier_text: status.name_tr().to_string(),
        status: Some(status),
        measurement,
    }
}

/// A measurement of `desi` desi.
pub fn measured(desi: Decimal) -> Measurement {
    Measurement {
        desi: Some(desi),
        kg: None,
        amount: None,
    }
}

/// A wallet over a memory store with a manual clock, and its funding hook.
pub struct Env {
    pub store: Arc<MemoryLedgerStore>,
    pub clock: ManualClock,
    pub wallet: Wallet,
    pub funding: WalletFunding,
}

impl Env {
    /// With the next-band reserve and the given agreements.
    pub fn new(agreements: Vec<Agreement>) -> Env {
        Env::with_config(
            agreements,
            FundingConfig {
                reserve: ReserveRule::NextBand,
                ..FundingConfig::default()
            },
        )
    }

    /// With a config.
    pub fn with_config(agreements: Vec<Agreement>, config: FundingConfig) -> Env {
        let store = Arc::new(MemoryLedgerStore::new());
        let clock = ManualClock::new(start());
        let wallet = Wallet::new(store.clone(), Arc::new(clock.clone()));
        let funding = WalletFunding::new(wallet.clone(), agreements, config);
        Env {
            store,
            clock,
            wallet,
            funding,
        }
    }

    /// reserve + capture, as `Orchestrator::ship` does when the carrier creates it.
    pub async fn ship(
        &self,
        company: &str,
        key: &str,
        request: &ShipmentRequest,
        offer: &Offer,
    ) -> kargojet_core::Result<Shipment> {
        let ctx = FundingContext {
            company,
            idempotency_key: key,
            attempt: 0,
            offer,
            request,
        };
        self.funding.reserve(&ctx).await?;
        let s = shipment(company, key, request, offer, self.clock.now_utc());
        self.funding.capture(&ctx, &s).await?;
        Ok(s)
    }

    /// Sum of every account's balance.
    pub async fn sum_of_balances(&self) -> Decimal {
        use kargojet_core::wallet::LedgerStore;
        self.store
            .balances()
            .await
            .unwrap()
            .iter()
            .map(|(_, m)| m.amount)
            .sum()
    }
}

/// `now()` without importing the trait everywhere.
pub trait NowUtc {
    /// Now.
    fn now_utc(&self) -> DateTime<Utc>;
}

impl NowUtc for ManualClock {
    fn now_utc(&self) -> DateTime<Utc> {
        use kargojet_core::time::Clock;
        self.now()
    }
}

/// Creates every shipment, except those whose order id is `reject` (a business rejection).
#[derive(Default)]
pub struct Scripted {
    /// Number of `create` calls.
    pub creates: AtomicUsize,
}

#[async_trait]
impl Carrier for Scripted {
    fn id(&self) -> CarrierId {
        CarrierId::Yurtici
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            ..Capabilities::default()
        }
    }
    async fn create(&self, req: &CreateRequest) -> Result<CreatedShipment> {
        self.creates.fetch_add(1, Ordering::SeqCst);
        tokio::task::yield_now().await;
        if req.shipment.order_id.as_deref() == Some("reject") {
            return Err(Error::rejected(CarrierId::Yurtici, "E1002", "Adres hatalı"));
        }
        Ok(CreatedShipment {
            merchant_key: req.merchant_key.clone(),
            carrier_tracking_number: Some(format!("TN{}", req.merchant_key)),
            carrier_refs: Default::default(),
            label: None,
            raw: String::new(),
        })
    }
    async fn cancel(&self, _s: &ShipmentRef) -> Result<()> {
        Ok(())
    }
    async fn track(&self, _s: &ShipmentRef) -> Result<TrackingUpdate> {
        Ok(TrackingUpdate::default())
    }
    async fn find_by_reference(&self, _k: &MerchantKey, _a: &AccountId) -> Result<ReferenceLookup> {
        Ok(ReferenceLookup::NotFound)
    }
}

/// An orchestrator with the scripted carrier, the test agreement and the wallet's funding.
pub fn orchestrator(
    env: &Env,
    carrier: Arc<Scripted>,
) -> kargojet_core::orchestrator::Orchestrator {
    kargojet_core::orchestrator::Orchestrator::builder()
        .carrier(carrier, AccountId::platform())
        .agreement(agreement())
        .funding(Arc::new(env.funding.clone()))
        .clock(Arc::new(env.clock.clone()))
        .build()
        .unwrap()
}
