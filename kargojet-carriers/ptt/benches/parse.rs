//! Parse a ~2.6 KB, 10-event `gonderiSorgu` answer into a `TrackingUpdate` (timestamps parsed,
//! statuses normalized, GR measurement filled). Compare with
//! `../shared/anchors/soap_parse_lxml.py` (lxml → dataclasses).

#![allow(missing_docs)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const TEN_EVENTS: &[u8] = include_bytes!("../fixtures/track/ten_events.response.xml");

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("ptt");
    g.throughput(Throughput::Elements(1));
    g.bench_function("gonderiSorgu_10_events_to_tracking_update", |b| {
        b.iter(|| {
            let u = kargojet_ptt::map::parse_track(black_box(TEN_EVENTS));
            assert!(matches!(&u, Ok(u) if u.events.len() == 10));
            u
        })
    });
    g.bench_function("gonderiSorgu_10_events_scan_only", |b| {
        b.iter(|| {
            kargojet_ptt::parse::scan(black_box(TEN_EVENTS), &kargojet_ptt::parse::TAKIP_SHAPE)
                .is_ok()
        })
    });
    g.bench_function("gonderiSorgu_10_events_to_wire", |b| {
        b.iter(|| kargojet_ptt::parse::takip_return(black_box(TEN_EVENTS)))
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
