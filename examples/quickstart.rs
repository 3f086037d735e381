//! Quickstart: quote a 3-parcel cash-on-delivery shipment from Kadıköy/İstanbul to
//! Çankaya/Ankara across the eight carriers, print the ranked offers with their price
//! breakdowns and the carriers that were left out (with the reason), then ship the best offer
//! on the in-process carrier simulators, pay for it from a wallet, print both references,
//! write its label as `label.pdf` and `label.zpl` in the working directory, advance the
//! simulated clock and print the normalized tracking history.
//!
//! Run with `cargo run --example quickstart` — no flags, no network, no set-up.

use kargojet::Money;
use kargojet::orchestrator::{LabelSource, Orchestrator, QuoteRequest, ShipRequest};
use kargojet::parcel::Parcel;
use kargojet::pricing::{self, Offer, SelectionPolicy};
use kargojet::sandbox::Sandbox;
use kargojet::shipment::{AddressDraft, LabelFormat, PartyDraft, ShipmentDraft};
use kargojet::wallet::{FundingConfig, MemoryLedgerStore, TransferId, Wallet, WalletFunding};
use rust_decimal_macros::dec;
use std::sync::Arc;
use std::time::Duration;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Every carrier simulator in-process on 127.0.0.1, sharing one simulated clock.
    let sandbox = Sandbox::start()?;
    let clock = Arc::new(sandbox.clock().clone());
    // A wallet with 5.000 TL for the demo company; platform shipments are paid from it.
    let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), clock.clone());
    wallet.open_company("demo", Money::zero()).await?;
    wallet
        .top_up(
            &TransferId::new("demo-top-up-1"),
            "demo",
            Money::try_lira(dec!(5000)),
            "quickstart",
        )
        .await?;
    let agreements: Vec<Arc<kargojet::pricing::Agreement>> =
        pricing::illustrative_platform_agreements()?
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

    let shipment = ShipmentDraft {
        sender: PartyDraft {
            name: "Moda Tekstil Ltd.".into(),
            phone: "0216 345 67 89".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Caferağa Mah. Moda Cad. No: 12".into(),
                postal_code: Some("34710".into()),
            },
        },
        recipient: PartyDraft {
            name: "Ayşe Yılmaz".into(),
            phone: "+90 532 123 45 67".into(),
            email: None,
            address: AddressDraft {
                province: "ANKARA".into(),
                district: "cankaya".into(),
                line: "Kızılay Mah. Atatürk Blv. No: 101 D: 7".into(),
                postal_code: None,
            },
        },
        parcels: vec![
            Parcel::new(dec!(40), dec!(30), dec!(20), dec!(3.2)),
            Parcel::new(dec!(30), dec!(20), dec!(15), dec!(1.1)),
            Parcel::new(dec!(25), dec!(20), dec!(10), dec!(4.0)),
        ],
        cod_amount: Some(Money::try_lira(dec!(5750))),
        order_id: Some("SIP-2026-0042".into()),
        ..Default::default()
    }
    .validate()?;

    println!("KargoJet quickstart — quote across every carrier");
    println!(
        "NOTE: the tariffs and COD fees are ILLUSTRATIVE estimates (tariffs-2025.csv), not real prices.\n"
    );
    println!(
        "{} {} → {} {}, {} parcels, COD {}",
        shipment.sender.address.district,
        shipment.sender.address.province,
        shipment.recipient.address.district,
        shipment.recipient.address.province,
        shipment.parcels.len(),
        shipment
            .cod
            .map(|c| c.amount.to_turkish())
            .unwrap_or_default()
    );

    let quote = orchestrator
        .quote(&QuoteRequest {
            company: "demo".into(),
            shipment: shipment.clone(),
            policy: SelectionPolicy::default(),
        })
        .await?;
    println!("\nOffers (cheapest first):");
    for (i, offer) in quote.offers.iter().enumerate() {
        print_offer(i + 1, offer);
    }
    if !quote.excluded.is_empty() {
        println!("\nLeft out:");
        for x in &quote.excluded {
            println!(
                "  {:<26} {:<24} {}",
                x.carrier.display_name(),
                x.code.as_str(),
                x.detail
            );
        }
    }
    if let Some(best) = quote.best() {
        println!(
            "\nBest offer: {} for {} (all lines rounded to the kuruş, half-up).",
            best.carrier.display_name(),
            best.breakdown.total.to_turkish()
        );
    }

    // Ship: the best offer whose carrier runs in the sandbox; the same key never ships twice.
    let ship = ShipRequest {
        company: "demo".into(),
        shipment,
        policy: SelectionPolicy::default(),
        idempotency_key: "SIP-2026-0042".into(),
        choice: None,
    };
    let shipped = orchestrator.ship(&ship).await?;
    println!(
        "\nShipped with {} for {}",
        shipped.carrier.display_name(),
        shipped.offer.breakdown.total.to_turkish()
    );
    println!("  merchant key (barcode): {}", shipped.created.merchant_key);
    println!(
        "  carrier tracking no.:   {}",
        shipped
            .created
            .carrier_tracking_number
            .as_deref()
            .unwrap_or("(not yet: back-filled by tracking)")
    );
    let again = orchestrator.ship(&ship).await?;
    println!(
        "  same idempotency key again → same shipment: {}",
        again.id == shipped.id
    );
    let b = funding.wallet().balances("demo").await?;
    println!(
        "  wallet: available {}, blocked (desi reserve) {}",
        b.available.to_turkish(),
        b.blocked.to_turkish()
    );

    // KargoJet's unified label, one page / one ^XA block per parcel.
    for (format, path) in [
        (LabelFormat::Pdf, "label.pdf"),
        (LabelFormat::Zpl, "label.zpl"),
    ] {
        let label = orchestrator
            .label(&shipped.id, format, LabelSource::KargoJet, None)
            .await?;
        std::fs::write(path, &label.bytes)?;
        let full = std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.into());
        println!(
            "  label written: {} ({} bytes)",
            full.display(),
            label.bytes.len()
        );
    }

    // Let simulated time pass and follow the parcel.
    println!("\nTracking (simulated clock):");
    let mut last_status = None;
    for _ in 0..12 {
        sandbox.advance(Duration::from_secs(6 * 3600));
        let tracked = orchestrator.track(&shipped.id).await?;
        if last_status != Some(tracked.status) {
            last_status = Some(tracked.status);
            if tracked.status.is_final() {
                break;
            }
        }
    }
    let tracked = orchestrator.shipment(&shipped.id).await?;
    for e in &tracked.events {
        println!(
            "  {}  {:<17} {:<20} [{} {}]",
            e.time.format("%d.%m.%Y %H:%M"),
            e.status.map(|s| s.id()).unwrap_or("(unknown code)"),
            e.location.as_deref().unwrap_or(""),
            e.carrier_code,
            e.carrier_text
        );
    }
    println!(
        "  now: {} ({}), carrier tracking no. {}",
        tracked.status.name_tr(),
        tracked.status,
        tracked
            .created
            .carrier_tracking_number
            .as_deref()
            .unwrap_or("-")
    );
    let b = funding.wallet().balances("demo").await?;
    println!(
        "  wallet: available {}, blocked {}, COD receivable {}",
        b.available.to_turkish(),
        b.blocked.to_turkish(),
        b.cod_receivable.to_turkish()
    );
    Ok(())
}

fn print_offer(rank: usize, offer: &Offer) {
    let days = offer
        .transit_days
        .map(|d| {
            if d.min == d.max {
                format!("{} gün", d.min)
            } else {
                format!("{}–{} gün", d.min, d.max)
            }
        })
        .unwrap_or_else(|| "?".into());
    println!(
        "{rank}. {:<26} {:>14}   zone {:<9} {:>5} desi  {:<8} [{}]",
        offer.carrier.display_name(),
        offer.breakdown.total.to_turkish(),
        offer.zone.id(),
        offer.billable_desi,
        days,
        offer.agreement_id
    );
    for line in offer
        .breakdown
        .lines()
        .iter()
        .filter(|l| !l.amount.is_zero())
    {
        println!("       {:<14} {:>14}", line.kind, line.amount.to_turkish());
    }
}
