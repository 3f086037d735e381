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
    g.bench_function("stage_cursor_walk", |b| {
        // Every element and leaf text with common's cursor, nothing kept: the XML floor.
        let text = std::str::from_utf8(BODY).unwrap_or_default();
        b.iter(|| {
            let mut cur = kargojet_carrier_common::xml::XmlCursor::new(black_box(text));
            let mut n = 0usize;
            while let Ok(Some(el)) = cur.next_element() {
                if el.local_name().len() > 2 && el.depth() > 6 {
                    n += cur.text(&el).map_or(0, |t| t.len());
                }
            }
            n
        })
    });
    g.bench_function("stage_read_view", |b| {
        let text = std::str::from_utf8(BODY).unwrap_or_default();
        b.iter(|| {
            kargojet_yurtici::fast::read_query_view(black_box(text)).map(|v| v.movements.len())
        })
    });
    g.bench_function("stage_utf8", |b| {
        b.iter(|| std::str::from_utf8(black_box(BODY)).map(str::len))
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
