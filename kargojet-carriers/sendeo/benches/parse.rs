//! Parse benchmark: the notes' `SETDELIVERY` answer into a `CreatedShipment` (label included),
//! and the ~2 KB, 10-event `TRACKDELIVERY` answer (`fixtures/track/ten_events.response.json`,
//! the notes' example expanded) into a `TrackingUpdate` with timestamps and the measurement.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kargojet_core::shipment::MerchantKey;
use kargojet_sendeo::map;
use std::hint::black_box;

const CREATE: &[u8] = include_bytes!("../fixtures/create/example.response.json");
const TEN_EVENTS: &[u8] = include_bytes!("../fixtures/track/ten_events.response.json");

fn parse(c: &mut Criterion) {
    let key = MerchantKey("KJ2400000701".into());
    assert!(
        map::parse_create(200, CREATE, &key, 1)
            .unwrap()
            .label
            .is_some()
    );
    assert_eq!(map::parse_track(200, TEN_EVENTS).unwrap().events.len(), 10);
    let mut g = c.benchmark_group("sendeo");
    g.throughput(Throughput::Bytes(CREATE.len() as u64));
    g.bench_function("create_answer", |b| {
        b.iter(|| map::parse_create(200, black_box(CREATE), &key, 1).unwrap())
    });
    g.throughput(Throughput::Bytes(TEN_EVENTS.len() as u64));
    g.bench_function("track_10_events", |b| {
        b.iter(|| map::parse_track(200, black_box(TEN_EVENTS)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
