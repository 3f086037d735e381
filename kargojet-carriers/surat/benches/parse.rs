//! Parsing a ~2 KB, 10-event Sürat tracking answer (the notes' example expanded, saved as
//! `fixtures/track/ten_events.response.json`) into a `TrackingUpdate` with timestamps parsed.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kargojet_core::shipment::MerchantKey;
use kargojet_surat::map::{self, TrackingReply};
use std::hint::black_box;

fn load(rel: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(rel);
    std::fs::read_to_string(p).expect("fixture")
}

fn bench(c: &mut Criterion) {
    let key = MerchantKey("KJ2400000401".into());
    let rest = load("track/ten_events.response.json");
    match map::parse_tracking(&rest, &key) {
        Ok(TrackingReply::Found(u)) => assert_eq!(u.events.len(), 10),
        other => panic!("fixture does not parse: {other:?}"),
    }
    let mut g = c.benchmark_group("surat_tracking");
    g.throughput(Throughput::Elements(1));
    g.bench_function("rest_json_10_events", |b| {
        b.iter(|| match map::parse_tracking(black_box(&rest), &key) {
            Ok(TrackingReply::Found(u)) => black_box(u.events.len()),
            _ => 0,
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
