//! The Rust side of `bindings/node/bench.mjs`: the same quote (`quote-request.json`) on the
//! same sandbox facade, called from Rust — blocking, async (spawned on the facade's runtime and
//! awaited from a foreign executor, as the Node Promise is), and as a batch of 1,000. The
//! difference to the Node figures is the per-call cost of the Node binding.
//!
//!   cargo bench -p kargojet-node --bench quote_overhead

// The facade's results carry its flat error record by value.
#![allow(clippy::result_large_err)]

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use kargojet_ffi::{KargoJet, QuoteRequest};
use std::hint::black_box;

const REQUEST: &str = include_str!("quote-request.json");
const BATCH: usize = 1000;

fn bench(c: &mut Criterion) {
    let request: QuoteRequest = serde_json::from_str(REQUEST).expect("quote-request.json parses");
    let kj = KargoJet::sandbox().expect("the sandbox starts");
    let quote = kj
        .quote_blocking(request.clone())
        .expect("the quote succeeds");
    assert!(quote.offers.len() >= 5, "{} offers", quote.offers.len());

    let mut g = c.benchmark_group("node_overhead");
    g.throughput(Throughput::Elements(1));
    g.bench_function("rust_quote_blocking", |b| {
        b.iter_batched(
            || request.clone(),
            |r| black_box(kj.quote_blocking(r)),
            BatchSize::SmallInput,
        )
    });
    g.bench_function("rust_quote_async", |b| {
        b.iter_batched(
            || request.clone(),
            |r| black_box(futures::executor::block_on(kj.quote(r))),
            BatchSize::SmallInput,
        )
    });
    let batch: Vec<QuoteRequest> = vec![request.clone(); BATCH];
    g.throughput(Throughput::Elements(BATCH as u64));
    g.bench_function("rust_quote_batch_1000", |b| {
        b.iter_batched(
            || batch.clone(),
            |r| black_box(kj.quote_batch_blocking(r)),
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
