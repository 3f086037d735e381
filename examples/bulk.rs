//! Bulk upload: read a seller's shipment list (CSV or XLSX), show which rows are accepted and
//! why the others are not (and write the error report to fix and upload again), quote every
//! accepted row across the carriers into a plan with totals per carrier, buy the plan on the
//! in-process carrier simulators with money from a wallet, and write one label PDF for all of
//! it. Buying the same file again ships nothing twice. Progress bars through `indicatif`.
//!
//! Run with `cargo run --example bulk` (the list in `examples/data/bulk-orders.csv`), or
//! `cargo run --example bulk -- my-orders.xlsx`. Writes `bulk-labels.pdf` and, when rows are
//! rejected, `bulk-errors.csv` and `bulk-errors.xlsx` in the working directory.

use indicatif::{ProgressBar, ProgressStyle};
use kargojet::Money;
use kargojet::address::Party;
use kargojet::bulk::{self, BuyOptions, ImportOptions, PlanOptions, Progress};
use kargojet::orchestrator::Orchestrator;
use kargojet::pricing;
use kargojet::sandbox::Sandbox;
use kargojet::shipment::{AddressDraft, PartyDraft};
use kargojet::wallet::{FundingConfig, MemoryLedgerStore, TransferId, Wallet, WalletFunding};
use rust_decimal_macros::dec;
use std::sync::Arc;

const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/bulk-orders.csv");

/// One progress bar that follows the stages of a bulk call.
fn bar() -> Result<ProgressBar, Box<dyn std::error::Error>> {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg:26} [{bar:40.cyan/blue}] {pos}/{len}")?
            .progress_chars("=> "),
    );
    Ok(bar)
}

fn follow(bar: &ProgressBar) -> impl Fn(Progress) + Send + Sync + '_ {
    move |p: Progress| {
        if p.done == 0 {
            bar.set_message(p.stage.name_tr());
            bar.set_length(p.total as u64);
        }
        bar.set_position(p.done as u64);
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| SAMPLE.to_string());
    let bytes = std::fs::read(&path)?;

    // Every carrier simulator in-process, a wallet with 10.000 TL, the illustrative tariffs.
    let sandbox = Sandbox::start()?;
    let clock = Arc::new(sandbox.clock().clone());
    let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), clock.clone());
    wallet.open_company("demo", Money::zero()).await?;
    wallet
        .top_up(
            &TransferId::new("demo-top-up-1"),
            "demo",
            Money::try_lira(dec!(10000)),
            "bulk example",
        )
        .await?;
    let agreements: Vec<Arc<pricing::Agreement>> = pricing::illustrative_platform_agreements()?
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
        .transit(pricing::transit_days()?)
        .clock(clock)
        .funding(funding.clone());
    for a in agreements {
        builder = builder.shared_agreement(a);
    }
    let orchestrator = builder.build()?;

    println!("KargoJet bulk upload — {path}");
    println!("NOTE: the tariffs are ILLUSTRATIVE estimates (tariffs-2025.csv), not real prices.\n");

    // 1. Read and validate.
    let progress = bar()?;
    let imported =
        bulk::import_with_progress(&bytes, &ImportOptions::new(sender()?), &follow(&progress))?;
    progress.finish();
    println!(
        "{} rows: {} accepted, {} rejected ({:?}, columns not used: {})",
        imported.total_rows(),
        imported.accepted.len(),
        imported.rejected.len(),
        imported.source.format,
        if imported.ignored_columns.is_empty() {
            "none".to_string()
        } else {
            imported.ignored_columns.join(", ")
        }
    );
    for r in &imported.rejected {
        for e in &r.errors {
            println!(
                "  row {:>3}  {:<28} {}",
                r.row,
                e.code.as_str(),
                e.message_tr
            );
        }
    }
    if !imported.rejected.is_empty() {
        std::fs::write("bulk-errors.csv", imported.error_report_csv()?)?;
        std::fs::write("bulk-errors.xlsx", imported.error_report_xlsx()?)?;
        println!("  error report: bulk-errors.csv, bulk-errors.xlsx (fix the cells, upload again)");
    }

    // 2. Quote every accepted row: the plan, before anything is bought.
    let progress = bar()?;
    let plan = bulk::plan(
        &orchestrator,
        &imported,
        &PlanOptions::new("demo"),
        &follow(&progress),
    )
    .await?;
    progress.finish();
    println!("\nPlan (cheapest shippable offer per row):");
    for r in &plan.rows {
        println!(
            "  row {:>3}  {:<14} {:<26} {:>12}",
            r.row,
            r.request.order_id.as_deref().unwrap_or("-"),
            r.offer.carrier.display_name(),
            r.offer.breakdown.total.to_turkish()
        );
    }
    for e in &plan.unplanned {
        println!("  row {:>3}  no offer: {}", e.row, e.message_en);
    }
    println!("Per carrier:");
    for c in &plan.carriers {
        println!(
            "  {:<26} {:>2} shipments, {:>2} parcels  {:>12}",
            c.carrier.display_name(),
            c.shipments,
            c.parcels,
            c.total.to_turkish()
        );
    }
    println!(
        "  {:<26} {:>2} shipments              {:>12}  (VAT incl., each line rounded to the kuruş)",
        "Total",
        plan.rows.len(),
        plan.total.to_turkish()
    );

    // 3. Buy, row by row, and collect the labels into one PDF.
    let progress = bar()?;
    let bought = bulk::buy(
        &orchestrator,
        &plan,
        &BuyOptions::default(),
        &follow(&progress),
    )
    .await;
    progress.finish();
    println!(
        "\nShipped {} rows for {}:",
        bought.shipped.len(),
        bought.total.to_turkish()
    );
    for s in &bought.shipped {
        println!(
            "  row {:>3}  {:<26} {}",
            s.row,
            s.carrier.display_name(),
            s.tracking_number
        );
    }
    for e in &bought.failed {
        println!(
            "  row {:>3}  not shipped: {} {}",
            e.row, e.code, e.message_en
        );
    }
    for e in &bought.label_fallbacks {
        println!(
            "  row {:>3}  carrier label unusable, KargoJet's label used: {}",
            e.row, e.message_en
        );
    }
    if let Some(labels) = &bought.labels {
        std::fs::write("bulk-labels.pdf", &labels.bytes)?;
        println!(
            "  labels: bulk-labels.pdf ({} bytes, one page per parcel)",
            labels.bytes.len()
        );
    }
    let b = funding.wallet().balances("demo").await?;
    println!(
        "  wallet: available {}, blocked (desi reserve) {}",
        b.available.to_turkish(),
        b.blocked.to_turkish()
    );

    // 4. The same upload again (a retry): the same shipments, nothing shipped twice.
    let again = bulk::import(&bytes, &ImportOptions::new(sender()?))?;
    let replan = bulk::plan(
        &orchestrator,
        &again,
        &PlanOptions::new("demo"),
        &bulk::no_progress,
    )
    .await?;
    let retry = bulk::buy(
        &orchestrator,
        &replan,
        &BuyOptions {
            skip_labels: true,
            ..BuyOptions::default()
        },
        &bulk::no_progress,
    )
    .await;
    let same = retry
        .shipped
        .iter()
        .map(|s| &s.shipment_id)
        .eq(bought.shipped.iter().map(|s| &s.shipment_id));
    let after = funding.wallet().balances("demo").await?;
    println!(
        "\nSame file again: {} shipments, the same ones: {same}; wallet unchanged: {}",
        retry.shipped.len(),
        after == b
    );
    Ok(())
}

/// The seller's warehouse: every row of the file is sent from here.
fn sender() -> kargojet::Result<Party> {
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
}
