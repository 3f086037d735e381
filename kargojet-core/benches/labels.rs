//! Label rendering benchmarks, side by side with the ReportLab anchor
//! (`shared/anchors/labels_reportlab.py`). The 1,000 label records are the anchor's own
//! `--dump-data` output (seed 7), committed as `tests/fixtures/labels/reportlab_labels.json`,
//! so both sides draw the same content.
//!
//! `cargo bench -p kargojet-core --bench labels -- --warm-up-time 1 --measurement-time 3`

use chrono::NaiveDate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use kargojet_core::Money;
use kargojet_core::label::{Dpi, LabelData, LabelParty, LabelRenderer, LabelTemplate};
use rust_decimal::Decimal;
use serde_json::Value;
use std::hint::black_box;
use std::str::FromStr;

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).expect("number")
}

fn party(v: &Value) -> LabelParty {
    let s = |i: usize| v[i].as_str().expect("string").to_string();
    let place = s(2);
    let (district, province) = place.split_once(" / ").expect("district / province");
    LabelParty {
        name: s(0),
        address_line: s(1),
        district: district.to_string(),
        province: province.to_string(),
        phone: s(3).chars().filter(char::is_ascii_digit).skip(1).collect(),
    }
}

fn records() -> Vec<LabelData> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/labels/reportlab_labels.json"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let rows: Vec<Value> = serde_json::from_str(&text).expect("json");
    let date = NaiveDate::from_ymd_opt(2026, 12, 2).expect("date");
    rows.iter()
        .map(|r| {
            let mut l = LabelData::new(
                r["carrier"].as_str().expect("carrier"),
                party(&r["sender"]),
                party(&r["recipient"]),
                r["tracking"].as_str().expect("tracking"),
                dec(&r["desi"]),
                dec(&r["weight"]),
                date,
            );
            l.service = r["service"].as_str().map(str::to_string);
            l.order_id = r["order"].as_str().map(str::to_string);
            let cod = dec(&r["cod"]);
            if !cod.is_zero() {
                l.cod = Some(Money::parse_try(&cod.to_string(), "cod").expect("cod"));
            }
            l
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let renderer = LabelRenderer::new().expect("renderer");
    let labels = records();
    assert_eq!(labels.len(), 1000);
    let tpl = LabelTemplate {
        mask_phone: false,
        ..LabelTemplate::default()
    };

    // Correctness and size before speed.
    let each = renderer.render_pdf_each(&labels, &tpl).expect("each");
    let max = each.iter().map(|l| l.bytes.len()).max().unwrap_or(0);
    let total: usize = each.iter().map(|l| l.bytes.len()).sum();
    assert!(max <= 46 * 1024, "largest one-label PDF is {max} bytes");
    let multi = renderer.render_pdf(&labels, &tpl).expect("multi");
    let zpl = renderer.render_zpl(&labels, &tpl, Dpi::D203).expect("zpl");
    eprintln!(
        "sizes: separate max {max} B, mean {} B; multipage {} B/label; zpl {} B/label",
        total / labels.len(),
        multi.bytes.len() / labels.len(),
        zpl.bytes.len() / labels.len()
    );

    let mut g = c.benchmark_group("labels");
    g.throughput(Throughput::Elements(labels.len() as u64));
    g.sample_size(10);
    g.bench_function("pdf_multipage_1000", |b| {
        b.iter(|| renderer.render_pdf(black_box(&labels), &tpl).expect("pdf"))
    });
    g.bench_function("pdf_separate_1000", |b| {
        b.iter(|| {
            renderer
                .render_pdf_each(black_box(&labels), &tpl)
                .expect("each")
        })
    });
    g.bench_function("zpl_1000", |b| {
        b.iter(|| {
            renderer
                .render_zpl(black_box(&labels), &tpl, Dpi::D203)
                .expect("zpl")
        })
    });
    // The batch API: one output buffer reused across batches.
    let mut buf = Vec::with_capacity(zpl.bytes.len());
    g.bench_function("zpl_1000_into", |b| {
        b.iter(|| {
            buf.clear();
            renderer
                .render_zpl_into(black_box(&labels), &tpl, Dpi::D203, &mut buf)
                .expect("zpl");
            buf.len()
        })
    });
    // Nothing compiled or remembered yet: a fresh batch for every 1,000 labels.
    g.bench_function("zpl_1000_cold", |b| {
        b.iter(|| {
            buf.clear();
            let mut batch = renderer.zpl_batch(&tpl, Dpi::D203).expect("batch");
            for (i, l) in black_box(&labels).iter().enumerate() {
                batch.render_into(i, l, &mut buf).expect("zpl");
            }
            buf.len()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
