//! Parses the 10-event `GetQueryJSON` tracking answer (fixture
//! `query_json/tracking_10_events.response.xml`, built from the notes' example) into a
//! `TrackingUpdate` with every timestamp parsed.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn parse(c: &mut Criterion) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/query_json/tracking_10_events.response.xml"
    );
    let raw = match std::fs::read_to_string(path) {
        Ok(r) => r,
        Err(e) => panic!("fixture {path}: {e}"),
    };
    match kargojet_aras::map::parse_tracking(&raw, None) {
        Ok(u) if u.events.len() == 10 => {}
        other => panic!("fixture does not parse to 10 events: {other:?}"),
    }
    let mut g = c.benchmark_group("aras");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse_tracking_10_events", |b| {
        b.iter(|| kargojet_aras::map::parse_tracking(black_box(&raw), None).map(|u| u.events.len()))
    });
    // Stages, to see where the time goes.
    g.bench_function("stage_soap_body", |b| {
        b.iter(|| kargojet_carrier_common::soap::body_of(black_box(&raw)).is_ok())
    });
    g.bench_function("stage_result_text", |b| {
        b.iter(|| {
            kargojet_aras::map::query_result_text(black_box(&raw)).map(|t| t.map(|t| t.len()))
        })
    });
    let json = kargojet_aras::map::query_result_text(&raw)
        .ok()
        .flatten()
        .map(|t| t.into_owned())
        .unwrap_or_default();
    g.bench_function("stage_json", |b| {
        b.iter(|| kargojet_aras::json::parse(black_box(&json)).map(|r| r.len()))
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
