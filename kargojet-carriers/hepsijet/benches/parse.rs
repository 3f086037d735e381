//! Parse benchmark: the ~2 KB, 10-event HepsiJET track summary (the notes' example expanded,
//! `fixtures/track/ten_events.response.json`) into a `TrackingUpdate` with timestamps parsed.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kargojet_core::shipment::MerchantKey;
use kargojet_hepsijet::map;
use std::hint::black_box;

const TEN_EVENTS: &[u8] = include_bytes!("../fixtures/track/ten_events.response.json");

fn parse(c: &mut Criterion) {
    let key = MerchantKey("KRJ2403120001".into());
    let check = map::parse_summary(200, TEN_EVENTS, &key).unwrap().unwrap();
    assert_eq!(check.events.len(), 10);
    let mut g = c.benchmark_group("hepsijet");
    g.throughput(Throughput::Bytes(TEN_EVENTS.len() as u64));
    g.bench_function("track_summary_10_events", |b| {
        b.iter(|| {
            let s = map::parse_summary(200, black_box(TEN_EVENTS), &key)
                .unwrap()
                .unwrap();
            black_box(map::tracking_update(
                s,
                None,
                String::from_utf8_lossy(TEN_EVENTS).into_owned(),
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
