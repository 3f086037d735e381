//! Wallet throughput: transfers per second through the in-memory ledger store.
//!
//! - `top_up`: one plain transfer per batch;
//! - `ship_flow`: the ledger side of one platform shipment — a hold of price + reserve
//!   (2 transfers), then the capture posting three legs and returning the COD part (4);
//! - `batch_100`: 100 transfers in one atomic batch.
//!
//! Each run starts from a fresh store every 20,000 operations so memory stays bounded.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::executor::block_on;
use kargojet_core::Money;
use kargojet_core::time::ManualClock;
use kargojet_core::wallet::{
    AccountKey, Batch, LineKind, Link, MemoryLedgerStore, PlatformAccount, PostLeg, ShipmentKey,
    Transfer, TransferId, TransferKind, Wallet,
};
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

const REFRESH: u64 = 20_000;

fn fresh() -> Wallet {
    let clock = ManualClock::new(chrono::DateTime::<chrono::Utc>::UNIX_EPOCH);
    let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), Arc::new(clock));
    block_on(wallet.open_company("acme", Money::zero())).ok();
    block_on(wallet.top_up(
        &TransferId::new("seed"),
        "acme",
        Money::from_kurus(1_000_000_000_000),
        "seed",
    ))
    .ok();
    wallet
}

/// Runs `op(wallet, i)` `iters` times on fresh wallets, timing only the operations.
fn timed(iters: u64, op: impl Fn(&Wallet, u64)) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0;
    while done < iters {
        let n = (iters - done).min(REFRESH);
        let wallet = fresh();
        let start = Instant::now();
        for i in 0..n {
            op(&wallet, i);
        }
        total += start.elapsed();
        done += n;
    }
    total
}

fn top_up(wallet: &Wallet, i: u64) {
    let r = block_on(wallet.top_up(
        &TransferId(format!("t{i}")),
        "acme",
        Money::from_kurus(12_345),
        "EFT",
    ));
    black_box(r.ok());
}

fn ship_flow(wallet: &Wallet, i: u64) {
    let key = ShipmentKey::new("acme", &format!("o{i}"));
    let link = Link::Shipment(key.clone());
    let price = TransferId(format!("o{i}:price"));
    let reserve = TransferId(format!("o{i}:reserve"));
    let hold = Batch::of(vec![
        Wallet::hold_transfer(
            &price,
            "acme",
            Money::from_kurus(10_170),
            LineKind::FreightHold,
            link.clone(),
            Some(Duration::from_secs(86_400)),
        ),
        Wallet::hold_transfer(
            &reserve,
            "acme",
            Money::from_kurus(1_320),
            LineKind::DesiReserve,
            link,
            Some(Duration::from_secs(86_400)),
        ),
    ]);
    black_box(block_on(wallet.apply(hold)).ok());
    let legs = [
        PostLeg {
            to: AccountKey::Platform(PlatformAccount::CarrierPayable),
            amount: Money::from_kurus(6_000),
            line: LineKind::Freight,
        },
        PostLeg {
            to: AccountKey::Platform(PlatformAccount::CommissionRevenue),
            amount: Money::from_kurus(600),
            line: LineKind::Commission,
        },
        PostLeg {
            to: AccountKey::Platform(PlatformAccount::KdvPayable),
            amount: Money::from_kurus(1_320),
            line: LineKind::Kdv,
        },
    ];
    black_box(block_on(wallet.post(&TransferId(format!("o{i}:capture")), &price, &legs)).ok());
}

fn batch_100(wallet: &Wallet, i: u64) {
    let transfers = (0..100)
        .map(|k| {
            Transfer::new(
                TransferId(format!("b{i}/{k}")),
                AccountKey::Platform(PlatformAccount::Cash),
                AccountKey::available("acme"),
                Money::from_kurus(100 + k),
                TransferKind::Single,
                LineKind::TopUp,
                Link::TopUp("EFT".into()),
            )
        })
        .collect();
    black_box(block_on(wallet.apply(Batch::of(transfers))).ok());
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("wallet_memory_store");
    g.throughput(Throughput::Elements(1));
    g.bench_function("top_up", |b| b.iter_custom(|n| timed(n, top_up)));
    g.throughput(Throughput::Elements(6));
    g.bench_function("ship_flow", |b| b.iter_custom(|n| timed(n, ship_flow)));
    g.throughput(Throughput::Elements(100));
    g.bench_function("batch_100", |b| b.iter_custom(|n| timed(n, batch_100)));
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
