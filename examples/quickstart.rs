//! Quickstart: quote a 3-parcel cash-on-delivery shipment from Kadıköy/İstanbul to
//! Çankaya/Ankara across the eight carriers, then print the ranked offers with their price
//! breakdowns and the carriers that were left out, with the reason.
//!
//! Run with `cargo run --example quickstart` — no flags, no network, no set-up.

use kargojet::orchestrator::{Orchestrator, QuoteRequest};
use kargojet::parcel::Parcel;
use kargojet::pricing::{self, Offer, SelectionPolicy};
use kargojet::shipment::{AddressDraft, PartyDraft, ShipmentDraft};
use kargojet::Money;
use rust_decimal_macros::dec;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let orchestrator = Orchestrator::builder()
        .agreements(pricing::illustrative_platform_agreements()?)
        .transit(pricing::transit_days()?)
        .build()?;

    let shipment = ShipmentDraft {
        sender: PartyDraft {
            name: "Moda Tekstil Ltd.".into(),
            phone: "0216 345 67 89".into(),
            email: None,
            address: AddressDraft { province: "İstanbul".into(), district: "Kadıköy".into(), line: "Caferağa Mah. Moda Cad. No: 12".into(), postal_code: Some("34710".into()) },
        },
        recipient: PartyDraft {
            name: "Ayşe Yılmaz".into(),
            phone: "+90 532 123 45 67".into(),
            email: None,
            address: AddressDraft { province: "ANKARA".into(), district: "cankaya".into(), line: "Kızılay Mah. Atatürk Blv. No: 101 D: 7".into(), postal_code: None },
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
    println!("NOTE: the tariffs and COD fees are ILLUSTRATIVE estimates (tariffs-2025.csv), not real prices.\n");
    println!(
        "{} {} → {} {}, {} parcels, COD {}",
        shipment.sender.address.district,
        shipment.sender.address.province,
        shipment.recipient.address.district,
        shipment.recipient.address.province,
        shipment.parcels.len(),
        shipment.cod.map(|c| c.amount.to_turkish()).unwrap_or_default()
    );

    let quote = orchestrator.quote(&QuoteRequest { company: "demo".into(), shipment, policy: SelectionPolicy::default() }).await?;
    println!("\nOffers (cheapest first):");
    for (i, offer) in quote.offers.iter().enumerate() {
        print_offer(i + 1, offer);
    }
    if !quote.excluded.is_empty() {
        println!("\nLeft out:");
        for x in &quote.excluded {
            println!("  {:<26} {:<24} {}", x.carrier.display_name(), x.code.as_str(), x.detail);
        }
    }
    if let Some(best) = quote.best() {
        println!("\nBest offer: {} for {} (all lines rounded to the kuruş, half-up).", best.carrier.display_name(), best.breakdown.total.to_turkish());
    }
    Ok(())
}

fn print_offer(rank: usize, offer: &Offer) {
    let days = offer.transit_days.map(|d| if d.min == d.max { format!("{} gün", d.min) } else { format!("{}–{} gün", d.min, d.max) }).unwrap_or_else(|| "?".into());
    println!(
        "{rank}. {:<26} {:>14}   zone {:<9} {:>5} desi  {:<8} [{}]",
        offer.carrier.display_name(),
        offer.breakdown.total.to_turkish(),
        offer.zone.id(),
        offer.billable_desi,
        days,
        offer.agreement_id
    );
    for line in offer.breakdown.lines().iter().filter(|l| !l.amount.is_zero()) {
        println!("       {:<14} {:>14}", line.kind, line.amount.to_turkish());
    }
}
