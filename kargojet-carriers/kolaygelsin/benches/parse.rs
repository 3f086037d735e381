//! Parse benchmark: the main Kolay Gelsin answers — the ~2.4 KB, 10-event tracking answer
//! (`fixtures/track/ten_events.response.json`) into a `TrackingUpdate` with timestamps parsed,
//! and the notes' create answer into a `CreatedShipment` with its HTML label.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kargojet_core::shipment::MerchantKey;
use kargojet_kolaygelsin::map;
use std::hint::black_box;

const TEN_EVENTS: &[u8] = include_bytes!("../fixtures/track/ten_events.response.json");
const CREATE: &[u8] = include_bytes!("../fixtures/create/example.response.json");

fn parse(c: &mut Criterion) {
    let key = MerchantKey("KJ2400000601".into());
    let check = map::parse_track(200, TEN_EVENTS, &key, None)
        .unwrap()
        .unwrap();
    assert_eq!(check.events.len(), 10);
    assert!(
        map::parse_create(200, CREATE, &key)
            .unwrap()
            .label
            .is_some()
    );
    let mut g = c.benchmark_group("kolaygelsin");
    g.throughput(Throughput::Bytes(TEN_EVENTS.len() as u64));
    g.bench_function("track_10_events", |b| {
        b.iter(|| {
            let t = map::parse_track(200, black_box(TEN_EVENTS), &key, None)
                .unwrap()
                .unwrap();
            black_box(map::tracking_update(
                t,
                String::from_utf8_lossy(TEN_EVENTS).into_owned(),
            ))
        })
    });
    g.throughput(Throughput::Bytes(CREATE.len() as u64));
    g.bench_function("create_answer", |b| {
        b.iter(|| black_box(map::parse_create(200, black_box(CREATE), &key).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
