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
    g.bench_function("json_only", |b| {
        b.iter(|| {
            serde_json::from_str::<kargojet_surat::wire::TrackingResponse<'_>>(black_box(&rest))
                .map(|d| d.is_error)
                .unwrap_or(false)
        })
    });
    g.bench_function("fold_10", |b| {
        b.iter(|| {
            (0..11)
                .map(|_| {
                    kargojet_surat::status::status_from_text(black_box(
                        "Teslim Edilemedi - Alıcı adreste bulunamadı",
                    ))
                    .is_some() as usize
                })
                .sum::<usize>()
        })
    });
    g.bench_function("time_10", |b| {
        b.iter(|| {
            (0..11)
                .filter_map(|_| {
                    kargojet_surat::map::parse_time(black_box("2024-03-12T21:10:02.120"))
                })
                .count()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
