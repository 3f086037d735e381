//! Planning and buying a bulk upload with in-test carriers: the plan's choices and totals
//! (computed by hand), rows without an offer, a retried purchase that ships each row once
//! (failures, lost answers, concurrent retries, the same file uploaded again), the one label
//! PDF, progress, and the wallet paying for it all.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bulk_support;

use bulk_support::*;
use kargojet_core::bulk::{
    self, BulkPlan, BulkPurchase, BuyOptions, ImportResult, PlanOptions, Progress, Stage,
};
use kargojet_core::carrier::{AccountId, CarrierId};
use kargojet_core::error::Code;
use kargojet_core::orchestrator::Orchestrator;
use kargojet_core::pricing::SelectionPolicy;
use kargojet_core::shipment::LabelFormat;
use rust_decimal_macros::dec;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// Aras (base 45 TL, COD capped at 1.000 TL) and Yurtiçi (base 50 TL), both on the platform
/// account.
struct Setup {
    aras: Arc<Depot>,
    yurtici: Arc<Depot>,
    orchestrator: Orchestrator,
}

fn setup_with(aras: Depot, yurtici: Depot) -> Setup {
    let aras = Arc::new(aras.with_cod_max(tl(dec!(1000))));
    let yurtici = Arc::new(yurtici);
    let orchestrator = Orchestrator::builder()
        .agreement(agreement(CarrierId::Aras, dec!(45)))
        .carrier(aras.clone(), AccountId::platform())
        .agreement(agreement(CarrierId::Yurtici, dec!(50)))
        .carrier(yurtici.clone(), AccountId::platform())
        .build()
        .unwrap();
    Setup {
        aras,
        yurtici,
        orchestrator,
    }
}

fn setup() -> Setup {
    setup_with(Depot::new(CarrierId::Aras), Depot::new(CarrierId::Yurtici))
}

fn orders() -> ImportResult {
    import(&fixture("orders.csv"))
}

async fn plan_of(s: &Setup, imported: &ImportResult) -> BulkPlan {
    bulk::plan(
        &s.orchestrator,
        imported,
        &PlanOptions::new("acme"),
        &bulk::no_progress,
    )
    .await
    .unwrap()
}

async fn buy(s: &Setup, plan: &BulkPlan) -> BulkPurchase {
    bulk::buy(
        &s.orchestrator,
        plan,
        &BuyOptions::default(),
        &bulk::no_progress,
    )
    .await
}

fn ids(p: &BulkPurchase) -> Vec<(usize, String)> {
    p.shipped
        .iter()
        .map(|s| (s.row, s.shipment_id.to_string()))
        .collect()
}

#[tokio::test]
async fn the_plan_takes_the_cheapest_shippable_offer_and_totals_by_hand() {
    let s = setup();
    let imported = orders();
    let plan = plan_of(&s, &imported).await;
    assert!(plan.unplanned.is_empty(), "{:?}", plan.unplanned);
    let chosen: Vec<(usize, &str, String)> = plan
        .rows
        .iter()
        .map(|r| {
            (
                r.row,
                r.offer.carrier.as_str(),
                r.offer.breakdown.total.amount.to_string(),
            )
        })
        .collect();
    // total = (cost + 10 % commission + COD fee) × 1.20; COD fee 1.5 %, at least 10 TL.
    let want = [
        // desi 2 → 60; COD 1.250,50 is above Aras's cap: 60 + 6 + 18.76 = 84.76 → 101.71
        (2, "yurtici", "101.71".to_string()),
        // 2 × 3 desi = 6 → 45 + 40 = 85: 85 + 8.50 = 93.50 → 112.20
        (3, "aras", "112.20".to_string()),
        // 4 desi → 65; COD 89,90 → fee 10: 65 + 6.50 + 10 = 81.50 → 97.80
        (4, "aras", "97.80".to_string()),
        // 3 × 5 desi = 15 → 90 + 5 × 5 = 115; COD 2.400 → 36: 115 + 11.50 + 36 = 162.50 → 195
        (25, "yurtici", "195.00".to_string()),
        // desi 1,5 → 2 → 55: 55 + 5.50 = 60.50 → 72.60
        (26, "aras", "72.60".to_string()),
        // desi 3 → 55 → 72.60
        (28, "aras", "72.60".to_string()),
    ];
    assert_eq!(
        chosen,
        want.iter()
            .map(|(r, c, t)| (*r, *c, t.clone()))
            .collect::<Vec<_>>()
    );
    let totals: Vec<(&str, usize, usize, String)> = plan
        .carriers
        .iter()
        .map(|c| {
            (
                c.carrier.as_str(),
                c.shipments,
                c.parcels,
                c.total.amount.to_string(),
            )
        })
        .collect();
    assert_eq!(
        totals,
        vec![
            ("aras", 4, 5, "355.20".to_string()),
            ("yurtici", 2, 4, "296.71".to_string()),
        ]
    );
    assert_eq!(plan.total, tl(dec!(651.91)));
    assert!(!plan.illustrative);
    assert_eq!(plan.file_hash, imported.file_hash);
    for r in &plan.rows {
        assert_eq!(
            r.idempotency_key,
            format!("bulk:{}:{}", &imported.file_hash[..32], r.row)
        );
        assert_eq!(
            r.offers_considered,
            if r.request.cod.is_some_and(|c| c.amount > tl(dec!(1000))) {
                1
            } else {
                2
            }
        );
    }
    // Nothing was bought by planning.
    assert_eq!(s.aras.calls() + s.yurtici.calls(), 0);
}

#[tokio::test]
async fn rows_without_an_offer_that_can_be_shipped_are_left_out_with_the_reason() {
    // Sürat is cheapest but only quoted (no connector): the plan takes the next offer.
    let aras = Arc::new(Depot::new(CarrierId::Aras).with_cod_max(tl(dec!(100))));
    let orch = Orchestrator::builder()
        .agreement(agreement(CarrierId::Surat, dec!(10)))
        .agreement(agreement(CarrierId::Aras, dec!(45)))
        .carrier(aras.clone(), AccountId::platform())
        .build()
        .unwrap();
    let imported = orders();
    let plan = bulk::plan(
        &orch,
        &imported,
        &PlanOptions::new("acme"),
        &bulk::no_progress,
    )
    .await
    .unwrap();
    assert!(plan.rows.iter().all(|r| r.offer.carrier == CarrierId::Aras));
    assert!(plan.rows.iter().all(|r| r.offers_considered == 2));
    // COD 1.250,50 and 2.400 are above Aras's cap and Sürat has no connector.
    let left: Vec<(usize, Code)> = plan.unplanned.iter().map(|e| (e.row, e.code)).collect();
    assert_eq!(
        left,
        vec![(2, Code::QuoteNoOffer), (25, Code::QuoteNoOffer)]
    );
    let why = &plan.unplanned[0].message_en;
    assert!(why.contains("aras: policy.cod_above_cap"), "{why}");
    assert!(why.contains("no connector for surat"), "{why}");
    assert_eq!(plan.rows.len(), 4);

    // A policy that leaves no carrier: every row is left out, none is an error of the plan.
    let policy = SelectionPolicy {
        excluded: vec![CarrierId::Aras, CarrierId::Surat],
        ..SelectionPolicy::default()
    };
    let options = PlanOptions {
        company: "acme".into(),
        policy,
    };
    let plan = bulk::plan(&orch, &imported, &options, &bulk::no_progress)
        .await
        .unwrap();
    assert!(plan.rows.is_empty());
    assert_eq!(plan.unplanned.len(), imported.accepted.len());
    assert!(plan.unplanned[0].message_en.contains("policy.excluded"));
    assert_eq!(plan.total, tl(dec!(0)));
    assert_eq!(
        bulk::plan(&orch, &imported, &PlanOptions::new(" "), &bulk::no_progress)
            .await
            .err()
            .map(|e| e.code()),
        Some(Code::RequestInvalid)
    );
}

#[tokio::test]
async fn a_retried_purchase_ships_each_row_once() {
    let s = setup_with(
        Depot::new(CarrierId::Aras).fail_once("SIP-1002"),
        Depot::new(CarrierId::Yurtici),
    );
    let imported = orders();
    let plan = plan_of(&s, &imported).await;

    let first = buy(&s, &plan).await;
    assert_eq!(first.shipped.len(), 5);
    assert_eq!(first.failed.len(), 1);
    assert_eq!(
        (first.failed[0].row, first.failed[0].code),
        (3, Code::TransportConnection)
    );
    assert_eq!(s.aras.shipments() + s.yurtici.shipments(), 5);

    // The retry ships the row that failed and returns the others as they are.
    let second = buy(&s, &plan).await;
    assert!(second.failed.is_empty(), "{:?}", second.failed);
    assert_eq!(second.shipped.len(), 6);
    let before: HashSet<_> = ids(&first).into_iter().collect();
    let after: HashSet<_> = ids(&second).into_iter().collect();
    assert!(before.is_subset(&after));
    assert_eq!(s.aras.shipments() + s.yurtici.shipments(), 6);
    assert_eq!(
        s.aras.calls() + s.yurtici.calls(),
        7,
        "6 creates and the refused one"
    );
    assert_eq!(second.total, plan.total);

    // The same file uploaded again: the same keys, the same shipments, no carrier call.
    let again = orders();
    assert_eq!(again.file_hash, imported.file_hash);
    let replan = plan_of(&s, &again).await;
    let third = buy(&s, &replan).await;
    assert_eq!(ids(&third), ids(&second));
    assert_eq!(s.aras.calls() + s.yurtici.calls(), 7);
    assert_eq!(s.orchestrator.shipments("acme").await.unwrap().len(), 6);

    // Another file is another upload: its keys differ.
    let mut edited = fixture("orders.csv");
    edited.extend_from_slice(b"\n");
    let edited = import(&edited);
    assert_ne!(edited.idempotency_key(2), imported.idempotency_key(2));
}

#[tokio::test]
async fn a_lost_answer_is_reconciled_and_never_shipped_twice() {
    let s = setup_with(
        Depot::new(CarrierId::Aras).lose_answer("SIP-1025"),
        Depot::new(CarrierId::Yurtici).lose_answer("SIP-1001"),
    );
    let plan = plan_of(&s, &orders()).await;
    let bought = buy(&s, &plan).await;
    assert!(bought.failed.is_empty(), "{:?}", bought.failed);
    assert_eq!(bought.shipped.len(), 6);
    assert_eq!(s.aras.calls() + s.yurtici.calls(), 6);
    assert_eq!(s.aras.shipments() + s.yurtici.shipments(), 6);
    let again = buy(&s, &plan).await;
    assert_eq!(ids(&again), ids(&bought));
    assert_eq!(s.aras.calls() + s.yurtici.calls(), 6);
}

#[tokio::test]
async fn two_purchases_of_one_plan_at_once_ship_each_row_once() {
    let s = setup();
    let plan = plan_of(&s, &orders()).await;
    let (a, b) = tokio::join!(buy(&s, &plan), buy(&s, &plan));
    assert_eq!(ids(&a), ids(&b));
    assert_eq!(a.shipped.len(), 6);
    assert_eq!(s.aras.calls() + s.yurtici.calls(), 6);
    assert_eq!(s.aras.shipments() + s.yurtici.shipments(), 6);
}

#[tokio::test]
async fn one_label_pdf_with_a_page_per_parcel_in_row_order_and_progress_per_stage() {
    let s = setup();
    let imported = orders();
    let seen = Mutex::new(Vec::<Progress>::new());
    let cb = |p: Progress| seen.lock().unwrap().push(p);
    let plan = bulk::plan(&s.orchestrator, &imported, &PlanOptions::new("acme"), &cb)
        .await
        .unwrap();
    let bought = bulk::buy(&s.orchestrator, &plan, &BuyOptions::default(), &cb).await;
    assert!(bought.label_errors.is_empty(), "{:?}", bought.label_errors);
    let pdf = bought.labels.expect("a merged label PDF");
    assert_eq!(pdf.format, LabelFormat::Pdf);
    let doc = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    let parcels: usize = plan.rows.iter().map(|r| r.request.parcels.len()).sum();
    assert_eq!(parcels, 9);
    assert_eq!(doc.get_pages().len(), parcels);
    // Pages come in row order: page n draws what the n-th label alone draws.
    let mut expected = Vec::new();
    for shipped in &bought.shipped {
        let one = s
            .orchestrator
            .label(
                &shipped.shipment_id,
                LabelFormat::Pdf,
                Default::default(),
                None,
            )
            .await
            .unwrap();
        let one = lopdf::Document::load_mem(&one.bytes).unwrap();
        for page in one.get_pages().into_values() {
            expected.push(one.get_page_content(page).unwrap());
        }
    }
    let merged: Vec<Vec<u8>> = doc
        .get_pages()
        .into_values()
        .map(|p| doc.get_page_content(p).unwrap())
        .collect();
    assert_eq!(merged.len(), expected.len());
    assert!(merged == expected, "pages are not in row order");
    let rows: Vec<usize> = bought.shipped.iter().map(|s| s.row).collect();
    assert_eq!(rows, vec![2, 3, 4, 25, 26, 28]);

    let seen = seen.into_inner().unwrap();
    for (stage, total) in [(Stage::Quoting, 6), (Stage::Buying, 6), (Stage::Labels, 6)] {
        let of: Vec<usize> = seen
            .iter()
            .filter(|p| p.stage == stage)
            .inspect(|p| assert_eq!(p.total, total))
            .map(|p| p.done)
            .collect();
        assert_eq!(of, (0..=total).collect::<Vec<_>>(), "{stage:?}");
    }

    let skipped = bulk::buy(
        &s.orchestrator,
        &plan,
        &BuyOptions {
            skip_labels: true,
            ..BuyOptions::default()
        },
        &bulk::no_progress,
    )
    .await;
    assert!(skipped.labels.is_none());
}

#[tokio::test]
async fn the_wallet_pays_and_rows_refused_for_lack_of_funds_ship_after_a_top_up() {
    use kargojet_core::time::{ManualClock, SharedClock};
    use kargojet_core::wallet::{
        FundingConfig, MemoryLedgerStore, TransferId, Wallet, WalletFunding,
    };
    let clock: SharedClock = Arc::new(ManualClock::new(chrono::Utc::now()));
    let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), clock.clone());
    wallet.open_company("acme", tl(dec!(0))).await.unwrap();
    let agreements = vec![
        Arc::new(agreement(CarrierId::Aras, dec!(45))),
        Arc::new(agreement(CarrierId::Yurtici, dec!(50))),
    ];
    let funding = Arc::new(WalletFunding::with_shared(
        wallet,
        agreements.clone(),
        FundingConfig::default(),
    ));
    let aras = Arc::new(Depot::new(CarrierId::Aras).with_cod_max(tl(dec!(1000))));
    let yurtici = Arc::new(Depot::new(CarrierId::Yurtici));
    let mut b = Orchestrator::builder()
        .clock(clock)
        .funding(funding.clone())
        .carrier(aras.clone(), AccountId::platform())
        .carrier(yurtici.clone(), AccountId::platform());
    for a in agreements {
        b = b.shared_agreement(a);
    }
    let orch = b.build().unwrap();
    let wallet = funding.wallet();
    let plan = bulk::plan(
        &orch,
        &orders(),
        &PlanOptions::new("acme"),
        &bulk::no_progress,
    )
    .await
    .unwrap();

    let broke = bulk::buy(&orch, &plan, &BuyOptions::default(), &bulk::no_progress).await;
    assert!(broke.shipped.is_empty());
    assert_eq!(broke.failed.len(), 6);
    assert!(
        broke
            .failed
            .iter()
            .all(|e| e.code == Code::WalletInsufficientFunds)
    );
    assert!(broke.labels.is_none());
    assert_eq!(
        aras.calls() + yurtici.calls(),
        0,
        "nothing is sent without the money"
    );

    wallet
        .top_up(&TransferId::new("eft-1"), "acme", tl(dec!(5000)), "EFT")
        .await
        .unwrap();
    let paid = bulk::buy(&orch, &plan, &BuyOptions::default(), &bulk::no_progress).await;
    assert!(paid.failed.is_empty(), "{:?}", paid.failed);
    assert_eq!(paid.shipped.len(), 6);
    assert_eq!(paid.total, tl(dec!(651.91)));
    let balances = wallet.balances("acme").await.unwrap();
    // The price is taken but for the COD fees and their KDV, which come out of the COD
    // collections at delivery ((18.76 + 10 + 36) × 1.20 = 77.71); the desi-difference reserve
    // stays blocked.
    assert_eq!(
        balances.available + balances.blocked,
        tl(dec!(5000)) - (tl(dec!(651.91)) - tl(dec!(77.71)))
    );
    assert!(balances.blocked > tl(dec!(0)));
    let again = bulk::buy(&orch, &plan, &BuyOptions::default(), &bulk::no_progress).await;
    assert_eq!(ids(&again), ids(&paid));
    let after = wallet.balances("acme").await.unwrap();
    assert_eq!(
        (after.available, after.blocked),
        (balances.available, balances.blocked)
    );
    assert_eq!(aras.calls() + yurtici.calls(), 6);
}

#[tokio::test]
async fn a_carrier_label_that_cannot_be_merged_is_replaced_by_kargojets_own() {
    let s = setup_with(
        Depot::new(CarrierId::Aras).with_broken_labels(),
        Depot::new(CarrierId::Yurtici),
    );
    let plan = plan_of(&s, &orders()).await;
    let bought = buy(&s, &plan).await;
    assert!(bought.label_errors.is_empty(), "{:?}", bought.label_errors);
    let replaced: Vec<(usize, Code)> = bought
        .label_fallbacks
        .iter()
        .map(|e| (e.row, e.code))
        .collect();
    let aras_rows = [3, 4, 26, 28].map(|r| (r, Code::LabelInvalidPdf));
    assert_eq!(replaced, aras_rows);
    let pdf = bought.labels.expect("one PDF all the same");
    let doc = lopdf::Document::load_mem(&pdf.bytes).unwrap();
    assert_eq!(doc.get_pages().len(), 9, "a KargoJet page per parcel");

    // Asked for the carriers' labels only, the broken ones are left out and named.
    let only_carrier = bulk::buy(
        &s.orchestrator,
        &plan,
        &BuyOptions {
            label_source: kargojet_core::orchestrator::LabelSource::Carrier,
            ..BuyOptions::default()
        },
        &bulk::no_progress,
    )
    .await;
    assert_eq!(only_carrier.shipped.len(), 6);
    assert!(
        only_carrier.labels.is_none(),
        "Yurtiçi has no label of its own and Aras's are broken"
    );
    assert_eq!(only_carrier.label_errors.len(), 6);
}
