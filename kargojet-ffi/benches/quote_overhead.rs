//! The Rust side of the bindings' per-call overhead benchmark (`bindings/python/bench.py`):
//!
//! - `ffi/rust_quote`: one quote through `Engine::quote_domain` — the same call the Python
//!   binding makes, minus Python (the domain request built once, as the binding caches it);
//! - `ffi/facade_quote_blocking`: one quote through `KargoJet::quote_blocking`, records in and
//!   out (what a uniffi binding pays before its own FFI hop);
//! - `ffi/facade_quote_batch`: the batch through `Engine::quote_batch_domain` (every offer ranked
//!   by its total, the best one priced line by line), per shipment — what the Python binding
//!   calls;
//! - `ffi/facade_quote_batch_records`: `KargoJet::quote_batch_blocking`, records in and out (each
//!   shipment validated from its record, the batch records built), per shipment.
//!
//! With `KARGOJET_FFI_BENCH_DIR` pointing at the `config.json` and `shipments.json` that
//! `bench.py` writes (the tables and shipments of `desi_baseline.py --dump`), it measures those;
//! otherwise the sandbox's illustrative agreements on an İstanbul → Van COD shipment.

// The facade's error record is returned by value (see the crate's `lib.rs`).
#![allow(clippy::result_large_err)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::FutureExt;
use kargojet_ffi::*;
use std::hint::black_box;

fn party(name: &str, phone: &str, province: &str, district: &str, line: &str) -> PartyInput {
    PartyInput {
        name: name.into(),
        phone: phone.into(),
        address: AddressInput {
            province: province.into(),
            district: district.into(),
            line: line.into(),
            postal_code: None,
        },
        email: None,
    }
}

fn fallback() -> (KargoJetConfig, Vec<ShipmentInput>) {
    let shipment = ShipmentInput {
        sender: party(
            "Moda Tekstil",
            "02163456789",
            "İstanbul",
            "Kadıköy",
            "Moda Cad. No 12",
        ),
        recipient: party(
            "Ayşe Yılmaz",
            "05321234567",
            "Van",
            "İpekyolu",
            "Cumhuriyet Cad. No 5",
        ),
        parcels: vec![ParcelInput {
            length_cm: "40".into(),
            width_cm: "30".into(),
            height_cm: "20".into(),
            weight_kg: "3.2".into(),
        }],
        cod_amount: Some("1250".into()),
        ..Default::default()
    };
    let config = KargoJetConfig {
        company: "bench".into(),
        illustrative_agreements: true,
        ..Default::default()
    };
    (config, vec![shipment; 4096])
}

fn load() -> (KargoJetConfig, Vec<ShipmentInput>) {
    let Ok(dir) = std::env::var("KARGOJET_FFI_BENCH_DIR") else {
        return fallback();
    };
    let read = |name: &str| {
        std::fs::read_to_string(std::path::Path::new(&dir).join(name))
            .unwrap_or_else(|e| panic!("{dir}/{name}: {e}"))
    };
    let config = KargoJetConfig::from_json(&read("config.json")).expect("config.json");
    let shipments: Vec<ShipmentInput> =
        serde_json::from_str(&read("shipments.json")).expect("shipments.json");
    (config, shipments)
}

fn bench(c: &mut Criterion) {
    let (config, shipments) = load();
    let kj = KargoJet::build(config).expect("facade");
    let engine = kj.engine().clone();
    let domain: Vec<_> = shipments
        .iter()
        .map(|s| {
            engine
                .quote_request(s.to_domain().expect("valid"), None, None)
                .expect("request")
        })
        .collect();
    let records: Vec<QuoteRequest> = shipments
        .iter()
        .map(|s| QuoteRequest {
            shipment: s.clone(),
            ..Default::default()
        })
        .collect();
    let n = domain.len();
    let mut g = c.benchmark_group("ffi");
    g.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    g.bench_function("rust_quote", |b| {
        b.iter(|| {
            i = (i + 1) % n;
            black_box(
                engine
                    .quote_domain(black_box(&domain[i]))
                    .now_or_never()
                    .expect("a local quote completes at once")
                    .map(|q| q.offers.len()),
            )
        })
    });
    let mut j = 0usize;
    g.bench_function("facade_quote_blocking", |b| {
        b.iter(|| {
            j = (j + 1) % n;
            black_box(
                kj.quote_blocking(black_box(records[j].clone()))
                    .map(|q| q.offers.len()),
            )
        })
    });
    g.throughput(Throughput::Elements(n as u64));
    g.sample_size(10);
    g.bench_function("facade_quote_batch", |b| {
        b.iter(|| {
            black_box(kj.block_on(async { Ok(engine.quote_batch_domain(&domain).await.len()) }))
        })
    });
    g.bench_function("facade_quote_batch_records", |b| {
        b.iter_batched(
            || records.clone(),
            |r| black_box(kj.quote_batch_blocking(r).map(|o| o.len())),
            criterion::BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
