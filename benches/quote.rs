//! Quote benchmarks, side by side with the anchors in `../shared/anchors/`:
//!
//! (a) `desi_quote_7x30x81` — the tables and shipments of `desi_baseline.py --dump` loaded
//!     through the public `Tariff`/`Agreement` API (30 desi bands × 81 destination provinces per
//!     carrier, COD fee bands, a per-desi price above 100 desi, 20 % KDV); one quote prices one
//!     shipment with all 7 carriers and picks the cheapest (ties by carrier id). Before timing,
//!     every one of the 4,096 shipments is checked against the dump's `expected` answer.
//! (b) `orchestrator_quote_8x2` — one shipment priced and ranked across 8 carriers × 2
//!     agreements (platform + the seller's own) through `Orchestrator::quote`, breakdowns included.
//! (c) `orchestrator_quote_batch_10k` — 10,000 different shipments through `Orchestrator::quote`.
//!
//! Run: `scripts/bench-quote` (runs the Python baseline in the same session and prints both).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::FutureExt;
use kargojet::Money;
use kargojet::carrier::CarrierId;
use kargojet::geo::Plate;
use kargojet::orchestrator::{Orchestrator, QuoteRequest};
use kargojet::parcel::{DesiRule, Parcel};
use kargojet::pricing::{
    self, Agreement, CodFee, CodFeeBand, Fees, PriceInput, Route, SelectionPolicy, Tariff, ZoneKey,
};
use kargojet::shipment::{AddressDraft, PartyDraft, ShipmentDraft, ShipmentRequest};
use rust_decimal::Decimal;
use serde_json::Value;
use std::hint::black_box;
use std::str::FromStr;
use std::sync::Arc;

/// Origin warehouse of the baseline's per-province tables.
const ORIGIN: u8 = 34;

fn dec(v: &Value) -> Decimal {
    match v {
        Value::Number(n) => Decimal::from_str(&n.to_string())
            .or_else(|_| Decimal::from_scientific(&n.to_string()))
            .unwrap_or_default(),
        _ => Decimal::ZERO,
    }
}

fn dump() -> Value {
    // The target dir's scratch folder by default (wherever CARGO_TARGET_DIR points).
    let path = std::env::var("KARGOJET_DESI_DUMP")
        .unwrap_or_else(|_| concat!(env!("CARGO_TARGET_TMPDIR"), "/desi-dump.json").into());
    if !std::path::Path::new(&path).exists() {
        let status = std::process::Command::new("python3")
            .args(["../shared/anchors/desi_baseline.py", "--dump", &path])
            .status()
            .expect("python3 and ../shared/anchors/desi_baseline.py are needed to make the dump");
        assert!(status.success(), "desi_baseline.py --dump failed");
    }
    serde_json::from_str(&std::fs::read_to_string(&path).expect("dump readable"))
        .expect("dump is JSON")
}

struct Baseline {
    agreements: Vec<Agreement>,
    shipments: Vec<(Vec<Parcel>, Plate, Option<Money>)>,
    expected: Vec<(String, Decimal)>,
}

/// The dump's carrier names → KargoJet carrier ids.
fn carrier_of(name: &str) -> CarrierId {
    match name {
        "Yurtiçi" => CarrierId::Yurtici,
        "Aras" => CarrierId::Aras,
        "MNG" => CarrierId::Mng,
        "PTT" => CarrierId::Ptt,
        "Sürat" => CarrierId::Surat,
        "HepsiJet" => CarrierId::Hepsijet,
        "Kolay Gelsin" => CarrierId::KolayGelsin,
        other => CarrierId::Custom(other.to_string()),
    }
}

fn load_baseline() -> Baseline {
    let d = dump();
    let bands: Vec<Decimal> = d["desi_bands"]
        .as_array()
        .expect("bands")
        .iter()
        .map(dec)
        .collect();
    let cod_bands: Vec<Option<Decimal>> = d["cod_bands"]
        .as_array()
        .expect("cod")
        .iter()
        .map(|v| if v.is_null() { None } else { Some(dec(v)) })
        .collect();
    let mut agreements = Vec::new();
    for c in d["carriers"].as_array().expect("carriers") {
        let carrier = carrier_of(c["name"].as_str().expect("name"));
        let mut b = Tariff::builder(format!("baseline_{}", carrier.as_str()), carrier.clone())
            .rule(DesiRule {
                divisor: 3000,
                step: Decimal::ZERO,
            });
        let prices = c["prices"].as_array().expect("prices");
        for plate in 1..=81u8 {
            let zone = ZoneKey::Province(Plate::new(plate).expect("plate"));
            let mut from = Decimal::ZERO;
            for (bi, upper) in bands.iter().enumerate() {
                b = b.band(zone, from, *upper, dec(&prices[bi][usize::from(plate - 1)]));
                from = *upper;
            }
            b = b.extra_per_desi(zone, dec(&c["over_limit_per_desi"]));
        }
        let tariff = Arc::new(b.build().expect("baseline tariff"));
        let fees = c["cod_fees"].as_array().expect("cod fees");
        let pct = dec(&c["cod_percent"]) * Decimal::ONE_HUNDRED;
        let cod = CodFee::Bands(
            (1..cod_bands.len())
                .map(|k| CodFeeBand {
                    upper: cod_bands[k],
                    fixed: Money::try_lira(dec(&fees[k])),
                    percent: if cod_bands[k].is_none() {
                        pct
                    } else {
                        Decimal::ZERO
                    },
                })
                .collect(),
        );
        agreements.push(
            Agreement::own("bench", carrier.as_str(), tariff)
                .fees(Fees {
                    cod: Some(cod),
                    ..Fees::default()
                })
                .build()
                .expect("agreement"),
        );
    }
    let shipments = d["shipments"]
        .as_array()
        .expect("shipments")
        .iter()
        .map(|s| {
            let parcel = Parcel::new(
                dec(&s["length_cm"]),
                dec(&s["width_cm"]),
                dec(&s["height_cm"]),
                dec(&s["weight_kg"]),
            );
            let cod = dec(&s["cod_amount"]);
            let plate =
                Plate::new(u8::try_from(s["dest_plate"].as_u64().expect("plate")).expect("plate"))
                    .expect("plate");
            (
                vec![parcel],
                plate,
                (!cod.is_zero()).then(|| Money::try_lira(cod)),
            )
        })
        .collect();
    let expected = d["expected"]
        .as_array()
        .expect("expected")
        .iter()
        .map(|e| {
            (
                carrier_of(e[0].as_str().expect("n")).as_str().to_string(),
                dec(&e[1]),
            )
        })
        .collect();
    Baseline {
        agreements,
        shipments,
        expected,
    }
}

/// One quote of the baseline: all 7 carriers priced, the cheapest total picked (ties by carrier
/// id) by `Agreement::cheapest`.
#[inline]
fn cheapest<'a>(
    agreements: &'a [Agreement],
    rule: &DesiRule,
    origin: Plate,
    s: &(Vec<Parcel>, Plate, Option<Money>),
) -> Option<(&'a CarrierId, Money)> {
    let input = PriceInput::for_parcels(Route::between(origin, s.1), rule, &s.0).with_cod(s.2);
    Agreement::cheapest(agreements, &input).map(|(a, total)| (a.carrier(), total))
}

fn bench_desi_baseline(c: &mut Criterion) {
    let base = load_baseline();
    let origin = Plate::new(ORIGIN).expect("origin");
    let rule = base.agreements[0].tariff().rule();
    let mut mismatches = 0;
    for (i, s) in base.shipments.iter().enumerate() {
        let got = cheapest(&base.agreements, &rule, origin, s).expect("every shipment is priced");
        let (want_c, want_t) = &base.expected[i];
        if got.0.as_str() != want_c || (got.1.amount - want_t).abs() > Decimal::new(1, 2) {
            mismatches += 1;
            eprintln!(
                "shipment {i}: KargoJet {} {} vs baseline {want_c} {want_t}",
                got.0, got.1.amount
            );
        }
    }
    println!(
        "desi_quote_7x30x81: checked {} shipments against desi_baseline.py expected: {mismatches} mismatches",
        base.shipments.len()
    );
    assert_eq!(
        mismatches, 0,
        "KargoJet must give the baseline's cheapest carrier and total (±0.01 TL)"
    );
    let mut g = c.benchmark_group("rating");
    g.throughput(Throughput::Elements(1));
    let mut i = 0usize;
    g.bench_function("desi_quote_7x30x81", |b| {
        b.iter(|| {
            i = (i + 1) & 4095;
            black_box(cheapest(
                &base.agreements,
                &rule,
                origin,
                black_box(&base.shipments[i]),
            ))
        })
    });
    g.finish();
}

fn request(
    dest: &str,
    district: &str,
    parcels: Vec<Parcel>,
    cod: Option<Decimal>,
) -> ShipmentRequest {
    ShipmentDraft {
        sender: PartyDraft {
            name: "Moda Tekstil".into(),
            phone: "02163456789".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Moda Cad. No 12".into(),
                postal_code: None,
            },
        },
        recipient: PartyDraft {
            name: "Ayşe Yılmaz".into(),
            phone: "05321234567".into(),
            email: None,
            address: AddressDraft {
                province: dest.into(),
                district: district.into(),
                line: "Atatürk Blv. No 5".into(),
                postal_code: None,
            },
        },
        parcels,
        cod_amount: cod.map(Money::try_lira),
        ..Default::default()
    }
    .validate()
    .expect("valid shipment")
}

fn orchestrator_8x2() -> Orchestrator {
    let platform = pricing::illustrative_platform_agreements().expect("agreements");
    let own: Vec<Agreement> = pricing::illustrative_tariffs()
        .expect("tariffs")
        .into_iter()
        .map(|t| {
            let account = t.carrier().clone();
            Agreement::own("acme", account.as_str(), t)
                .fees(Fees {
                    cod: Some(CodFee::Percent {
                        percent: Decimal::new(12, 1),
                        min: Money::try_lira(Decimal::from(12)),
                    }),
                    ..Fees::default()
                })
                .build()
                .expect("own")
        })
        .collect();
    Orchestrator::builder()
        .agreements(platform)
        .agreements(own)
        .transit(pricing::transit_days().expect("transit"))
        .build()
        .expect("orchestrator")
}

fn bench_orchestrator(c: &mut Criterion) {
    let orch = orchestrator_8x2();
    let one = QuoteRequest {
        company: "acme".into(),
        shipment: request(
            "Ankara",
            "Çankaya",
            vec![
                Parcel::new(
                    Decimal::from(40),
                    Decimal::from(30),
                    Decimal::from(20),
                    Decimal::new(32, 1),
                ),
                Parcel::new(
                    Decimal::from(30),
                    Decimal::from(20),
                    Decimal::from(15),
                    Decimal::new(11, 1),
                ),
            ],
            Some(Decimal::from(1250)),
        ),
        policy: SelectionPolicy::default(),
    };
    let q = futures::executor::block_on(orch.quote(&one)).expect("quote");
    assert_eq!(q.offers.len(), 16, "8 carriers × 2 agreements");
    let mut g = c.benchmark_group("rating");
    g.throughput(Throughput::Elements(1));
    g.bench_function("orchestrator_quote_8x2", |b| {
        b.iter(|| {
            black_box(
                orch.quote(black_box(&one))
                    .now_or_never()
                    .expect("local quotes complete at once"),
            )
            .map(|q| q.offers.len())
        })
    });
    let provinces: Vec<(String, String)> = (1..=81u8)
        .map(|p| {
            let plate = Plate::new(p).expect("plate");
            (
                plate.province().name.clone(),
                kargojet::geo::districts(plate)[0].name.clone(),
            )
        })
        .collect();
    let batch: Vec<QuoteRequest> = (0..10_000u32)
        .map(|i| {
            let (p, d) = &provinces[(i as usize * 7) % 81];
            let l = Decimal::from(10 + i % 70);
            let parcels = vec![Parcel::new(
                l,
                Decimal::from(10 + i % 50),
                Decimal::from(5 + i % 40),
                Decimal::new(i64::from(10 + i % 3000), 2),
            )];
            QuoteRequest {
                company: "acme".into(),
                shipment: request(
                    p,
                    d,
                    parcels,
                    (i % 3 == 0).then(|| Decimal::from(100 + i % 4000)),
                ),
                policy: SelectionPolicy::default(),
            }
        })
        .collect();
    g.throughput(Throughput::Elements(batch.len() as u64));
    g.sample_size(10);
    g.bench_function("orchestrator_quote_batch_10k", |b| {
        b.iter(|| {
            let mut offers = 0usize;
            for r in &batch {
                offers += orch
                    .quote(r)
                    .now_or_never()
                    .expect("local quotes complete at once")
                    .map(|q| q.offers.len())
                    .unwrap_or(0);
            }
            black_box(offers)
        })
    });
    g.finish();
}

criterion_group!(benches, bench_desi_baseline, bench_orchestrator);
criterion_main!(benches);
