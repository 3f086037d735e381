//! Parse benchmark of MNG's main answers: `createbarcode` (the create's result: shipmentId and
//! ZPL label) and the full-key status answer (`fixtures/track/constructed.response.json`) into a
//! `TrackingUpdate` with its time and measurement parsed.
#![allow(missing_docs, clippy::unwrap_used)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kargojet_core::shipment::MerchantKey;
use kargojet_mng::map;
use std::hint::black_box;

const BARCODE: &[u8] = include_bytes!("../fixtures/create_barcode/example.response.json");
const STATUS: &[u8] = include_bytes!("../fixtures/track/constructed.response.json");

fn parse(c: &mut Criterion) {
    let key = MerchantKey("KJ2400000201".into());
    let check = map::parse_status(200, STATUS, &key, None).unwrap().unwrap();
    assert!(
        check
            .event
            .as_ref()
            .and_then(|e| e.measurement.as_ref())
            .is_some()
    );
    assert!(
        map::parse_create_barcode(200, BARCODE, &key)
            .unwrap()
            .label
            .is_some()
    );
    let mut g = c.benchmark_group("mng");
    g.throughput(Throughput::Bytes(BARCODE.len() as u64));
    g.bench_function("create_barcode", |b| {
        b.iter(|| map::parse_create_barcode(200, black_box(BARCODE), &key).unwrap())
    });
    g.throughput(Throughput::Bytes(STATUS.len() as u64));
    g.bench_function("track_status", |b| {
        b.iter(|| {
            let r = map::parse_status(200, black_box(STATUS), &key, None).unwrap();
            black_box(map::tracking_update(
                r,
                String::from_utf8_lossy(STATUS).into_owned(),
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
