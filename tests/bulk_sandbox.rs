//! Bulk upload end to end over real sockets against every carrier simulator: the example's
//! list is imported, planned on the illustrative agreements, bought with a wallet, and its
//! labels come out as one PDF; the same upload again ships nothing twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use kargojet::Money;
use kargojet::bulk::{self, BuyOptions, ImportOptions, PlanOptions};
use kargojet::error::Code;
use kargojet::orchestrator::{LabelSource, Orchestrator};
use kargojet::pricing;
use kargojet::sandbox::Sandbox;
use kargojet::shipment::{AddressDraft, LabelFormat, PartyDraft};
use kargojet::time::ManualClock;
use kargojet::wallet::{FundingConfig, MemoryLedgerStore, TransferId, Wallet, WalletFunding};
use rust_decimal_macros::dec;
use std::collections::HashSet;
use std::sync::Arc;

const ORDERS: &[u8] = include_bytes!("../examples/data/bulk-orders.csv");

fn options() -> ImportOptions {
    let sender = PartyDraft {
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
    .unwrap();
    ImportOptions::new(sender)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_list_ships_on_the_simulators_once_with_one_label_pdf() {
    let sandbox = Sandbox::start_at(ManualClock::new(
        chrono::DateTime::parse_from_rfc3339("2026-03-02T09:00:00Z")
            .unwrap()
            .to_utc(),
    ))
    .unwrap();
    let clock = Arc::new(sandbox.clock().clone());
    let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), clock.clone());
    wallet.open_company("demo", Money::zero()).await.unwrap();
    wallet
        .top_up(
            &TransferId::new("t1"),
            "demo",
            Money::try_lira(dec!(10000)),
            "test",
        )
        .await
        .unwrap();
    let agreements: Vec<Arc<pricing::Agreement>> = pricing::illustrative_platform_agreements()
        .unwrap()
        .into_iter()
        .map(Arc::new)
        .collect();
    let funding = Arc::new(WalletFunding::with_shared(
        wallet,
        agreements.clone(),
        FundingConfig::default(),
    ));
    let mut builder = sandbox
        .register(Orchestrator::builder())
        .transit(pricing::transit_days().unwrap())
        .clock(clock)
        .funding(funding.clone());
    for a in agreements {
        builder = builder.shared_agreement(a);
    }
    let orch = builder.build().unwrap();

    let imported = bulk::import(ORDERS, &options()).unwrap();
    assert_eq!(imported.total_rows(), 12);
    let rejected: Vec<(usize, Code)> = imported
        .rejected
        .iter()
        .map(|r| (r.row, r.errors[0].code))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (7, Code::RequestUnknownDistrict),
            (8, Code::RequestInvalidPhone)
        ]
    );

    let plan = bulk::plan(
        &orch,
        &imported,
        &PlanOptions::new("demo"),
        &bulk::no_progress,
    )
    .await
    .unwrap();
    assert!(plan.unplanned.is_empty(), "{:?}", plan.unplanned);
    assert_eq!(plan.rows.len(), 10);
    assert!(plan.illustrative);
    let connected: HashSet<_> = sandbox.connectors().iter().map(|c| c.id()).collect();
    assert!(
        plan.rows
            .iter()
            .all(|r| connected.contains(&r.offer.carrier))
    );
    let sum: Money = plan.carriers.iter().map(|c| c.total).sum();
    assert_eq!(sum, plan.total);

    let bought = bulk::buy(&orch, &plan, &BuyOptions::default(), &bulk::no_progress).await;
    assert!(bought.failed.is_empty(), "{:?}", bought.failed);
    assert!(bought.label_errors.is_empty(), "{:?}", bought.label_errors);
    assert_eq!(bought.shipped.len(), 10);
    assert_eq!(bought.total, plan.total);
    let pdf = bought.labels.as_ref().expect("one label PDF");
    let pages = |bytes: &[u8]| lopdf::Document::load_mem(bytes).unwrap().get_pages().len();
    // Every shipment's label (the carrier's own where it has one, else KargoJet's, a page per
    // parcel) is in the one PDF; a carrier PDF that cannot be merged is replaced by KargoJet's.
    let fallback: HashSet<usize> = bought.label_fallbacks.iter().map(|e| e.row).collect();
    assert!(
        bought
            .label_fallbacks
            .iter()
            .all(|e| e.code == Code::LabelInvalidPdf)
    );
    let mut each = 0;
    for s in &bought.shipped {
        let source = if fallback.contains(&s.row) {
            LabelSource::KargoJet
        } else {
            LabelSource::Auto
        };
        let label = orch
            .label(&s.shipment_id, LabelFormat::Pdf, source, None)
            .await
            .unwrap();
        each += pages(&label.bytes);
    }
    assert!(each >= bought.shipped.len());
    assert_eq!(pages(&pdf.bytes), each);
    let stored = orch.shipments("demo").await.unwrap();
    assert_eq!(stored.len(), 10);
    let balances = funding.wallet().balances("demo").await.unwrap();

    // The same upload again: same keys, same shipments, no money moved.
    let again = bulk::import(ORDERS, &options()).unwrap();
    let replan = bulk::plan(&orch, &again, &PlanOptions::new("demo"), &bulk::no_progress)
        .await
        .unwrap();
    let retry = bulk::buy(
        &orch,
        &replan,
        &BuyOptions {
            skip_labels: true,
            ..BuyOptions::default()
        },
        &bulk::no_progress,
    )
    .await;
    let ids = |p: &bulk::BulkPurchase| -> Vec<String> {
        p.shipped
            .iter()
            .map(|s| s.shipment_id.to_string())
            .collect()
    };
    assert_eq!(ids(&retry), ids(&bought));
    assert_eq!(orch.shipments("demo").await.unwrap().len(), 10);
    assert_eq!(funding.wallet().balances("demo").await.unwrap(), balances);
}
