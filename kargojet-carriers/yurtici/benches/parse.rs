//! Parses a 10-event `queryShipment` response (fixture `query_shipment/ten_events`) into the
//! normalized `TrackingUpdate`, timestamps parsed; the stages are measured separately too.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const BODY: &[u8] = include_bytes!("../fixtures/query_shipment/ten_events.response.xml");

fn parse_tracking(c: &mut Criterion) {
    let mut g = c.benchmark_group("yurtici");
    g.throughput(Throughput::Elements(1));
    g.bench_function("query_shipment_10_events", |b| {
        b.iter(|| {
            let u = kargojet_yurtici::map::parse_track(black_box(BODY), "KJ2400000017");
            assert!(u.as_ref().is_ok_and(|u| u.events.len() == 10));
            u
        })
    });
    g.bench_function("read_only_fast", |b| {
        b.iter(|| kargojet_yurtici::map::read_query(black_box(BODY)))
    });
    g.bench_function("read_only_serde", |b| {
        b.iter(|| kargojet_yurtici::map::read_query_serde(black_box(BODY)))
    });
    g.finish();
}

criterion_group!(benches, parse_tracking);
criterion_main!(benches);
