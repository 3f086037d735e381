//! Insights: six months of realistic shipments generated on the in-process carrier simulators
//! (seeded, so every run prints the same numbers), then the snapshot, the rule-based findings,
//! the trend of the last quarter against the one before, and the narrator's summary and answer
//! to "hangi taşıyıcı, hangi bölge, hangi risk?".
//!
//! Each shipment is bought through the orchestrator and paid from a wallet; the simulators are
//! told how each parcel's life goes (delivered, a failed attempt, returned, damaged) and what the
//! branch measures, so desi differences are charged by the wallet and tracking histories come
//! from the carriers' own protocols. The mix follows simple seeded rules: cash-on-delivery and
//! eastern destinations come back more often, Aras's branches measure more desi than declared,
//! and Sürat's returns rise in the second quarter.
//!
//! Run with `cargo run --example insights` — no flags, no network. Set
//! `KARGOJET_LLM_BASE_URL` (and `KARGOJET_LLM_MODEL`, optionally `KARGOJET_LLM_API_KEY`) to also
//! ask an OpenAI-compatible server, e.g. a local Ollama at `http://127.0.0.1:11434/v1`.

use chrono::{DateTime, Duration as Span, TimeZone, Utc};
use kargojet::Money;
use kargojet::carrier::CarrierId;
use kargojet::geo::Region;
use kargojet::insights::format::{
    carrier_short, count_tr, days_tr, decimal_tr, money_tr, percent_tr,
};
use kargojet::insights::{
    Finding, FindingKind, FindingRules, GroupStats, Language, Narrator, Period, RuleNarrator,
    Snapshot, findings, records_from_shipments,
};
use kargojet::orchestrator::{OfferChoice, Orchestrator, QuoteRequest, ShipRequest};
use kargojet::parcel::Parcel;
use kargojet::pricing::{self, SelectionPolicy};
use kargojet::sandbox::Sandbox;
use kargojet::shipment::{AddressDraft, PartyDraft, Shipment, ShipmentDraft};
use kargojet::time::{Clock, ManualClock, turkey_offset};
use kargojet::wallet::{FundingConfig, MemoryLedgerStore, TransferId, Wallet, WalletFunding};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal_macros::dec;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The seed of every random choice.
const SEED: u64 = 2026;
/// January to June 2026.
const DAYS: i64 = 181;
/// The first day of the second quarter (1 April), counted from 1 January.
const SECOND_QUARTER: i64 = 90;
/// A shipment is tracked this long after it was created (every simulated life is over by then).
const TRACK_AFTER_DAYS: i64 = 4;
const COMPANY: &str = "demo";

/// Destinations (province, district, weight): big cities most, every region present.
const DESTINATIONS: &[(&str, &str, u32)] = &[
    ("İstanbul", "Ümraniye", 16),
    ("Ankara", "Çankaya", 9),
    ("İzmir", "Karşıyaka", 8),
    ("Bursa", "Nilüfer", 6),
    ("Antalya", "Muratpaşa", 5),
    ("Kocaeli", "İzmit", 4),
    ("Konya", "Selçuklu", 4),
    ("Adana", "Seyhan", 4),
    ("Gaziantep", "Şahinbey", 3),
    ("Kayseri", "Melikgazi", 3),
    ("Samsun", "Atakum", 3),
    ("Mersin", "Yenişehir", 3),
    ("Diyarbakır", "Kayapınar", 3),
    ("Eskişehir", "Tepebaşı", 2),
    ("Denizli", "Pamukkale", 2),
    ("Trabzon", "Ortahisar", 2),
    ("Şanlıurfa", "Haliliye", 2),
    ("Malatya", "Battalgazi", 2),
    ("Erzurum", "Yakutiye", 2),
    ("Van", "İpekyolu", 2),
    ("Elazığ", "Merkez", 1),
];

/// The seller's carrier mix (carrier, weight).
fn carrier_mix() -> Vec<(CarrierId, u32)> {
    vec![
        (CarrierId::Aras, 30),
        (CarrierId::Yurtici, 22),
        (CarrierId::Hepsijet, 14),
        (CarrierId::Surat, 12),
        (CarrierId::Mng, 10),
        (CarrierId::Ptt, 6),
        (CarrierId::Sendeo, 6),
    ]
}

const FIRST_NAMES: &[&str] = &[
    "Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Ahmet", "Zeynep", "Ali", "Elif", "Hüseyin",
    "Merve", "Murat", "Büşra", "Emre", "Selin", "Can",
];
const LAST_NAMES: &[&str] = &[
    "Yılmaz",
    "Kaya",
    "Demir",
    "Şahin",
    "Çelik",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
    "Arslan",
    "Doğan",
    "Kılıç",
    "Aslan",
    "Çetin",
    "Koç",
];

/// How one shipment's life goes on the simulator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Life {
    Delivered,
    FailedAttemptThenDelivered,
    Returned,
    Damaged,
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [(T, u32)]) -> &'a T {
    let total: u32 = items.iter().map(|(_, w)| w).sum();
    let mut n = rng.random_range(0..total.max(1));
    for (item, w) in items {
        if n < *w {
            return item;
        }
        n -= w;
    }
    &items[0].0
}

fn draft(rng: &mut StdRng) -> ShipmentDraft {
    let dest: Vec<((&str, &str), u32)> = DESTINATIONS
        .iter()
        .map(|(p, d, w)| ((*p, *d), *w))
        .collect();
    let (province, district) = *pick(rng, &dest);
    let name = format!(
        "{} {}",
        FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())],
        LAST_NAMES[rng.random_range(0..LAST_NAMES.len())]
    );
    let phone = format!(
        "05{}{:07}",
        rng.random_range(30..56),
        rng.random_range(0..10_000_000)
    );
    let cm = |rng: &mut StdRng, lo: i64, hi: i64| Decimal::from(rng.random_range(lo..=hi));
    let parcel = Parcel::new(
        cm(rng, 20, 60),
        cm(rng, 15, 40),
        cm(rng, 5, 30),
        Decimal::new(rng.random_range(300..8_000), 3),
    );
    let cod = rng
        .random_bool(0.45)
        .then(|| Money::try_lira(Decimal::new(rng.random_range(15_000..300_000), 2)));
    ShipmentDraft {
        sender: PartyDraft {
            name: "Moda Tekstil Ltd.".into(),
            phone: "0216 345 67 89".into(),
            email: None,
            address: AddressDraft {
                province: "İstanbul".into(),
                district: "Kadıköy".into(),
                line: "Caferağa Mah. Moda Cad. No: 12".into(),
                postal_code: None,
            },
        },
        recipient: PartyDraft {
            name,
            phone,
            email: None,
            address: AddressDraft {
                province: province.into(),
                district: district.into(),
                line: format!(
                    "Cumhuriyet Mah. {}. Sok. No: {}",
                    rng.random_range(1..200),
                    rng.random_range(1..60)
                ),
                postal_code: None,
            },
        },
        parcels: vec![parcel],
        cod_amount: cod,
        ..Default::default()
    }
}

/// The life of a shipment: cash on delivery and eastern regions come back more often, and
/// Sürat's returns rise in the second quarter.
fn life(rng: &mut StdRng, carrier: &CarrierId, region: Region, cod: bool, day: i64) -> Life {
    let mut p_return = 0.03;
    if cod {
        p_return += 0.05;
    }
    if matches!(region, Region::DoguAnadolu | Region::GuneydoguAnadolu) {
        p_return += 0.05;
    }
    if *carrier == CarrierId::Ptt {
        p_return += 0.02;
    }
    if *carrier == CarrierId::Surat && day >= SECOND_QUARTER {
        p_return *= 2.5;
    }
    let r: f64 = rng.random();
    if r < p_return {
        Life::Returned
    } else if r < p_return + 0.006 && matches!(carrier, CarrierId::Aras | CarrierId::Mng) {
        Life::Damaged
    } else if r < p_return + 0.06 {
        Life::FailedAttemptThenDelivered
    } else {
        Life::Delivered
    }
}

/// Extra desi the branch measures: Aras's branches often measure more than declared.
fn extra_desi(rng: &mut StdRng, carrier: &CarrierId) -> Decimal {
    let p = match carrier {
        CarrierId::Aras => 0.18,
        CarrierId::Mng => 0.08,
        CarrierId::Yurtici => 0.06,
        _ => 0.04,
    };
    if rng.random_bool(p) {
        Decimal::from(rng.random_range(1..=3))
    } else {
        Decimal::ZERO
    }
}

/// Tells the simulator how a shipment will live and what its branch measures. Aras and Sürat
/// take the scenario before the create (by the merchant key the orchestrator will use); the
/// others after it. Returns false when a simulator did not know the shipment.
fn script_after(sandbox: &Sandbox, s: &Shipment, life: Life, measured: Decimal) -> bool {
    use kargojet::{hepsijet, mng, sendeo, yurtici};
    let key = s.created.merchant_key.as_str();
    match s.carrier {
        CarrierId::Yurtici => {
            let script = match life {
                Life::Returned => yurtici::sim::Script::FailedThenReturned,
                _ => yurtici::sim::Script::Delivered,
            };
            sandbox.yurtici.set_script(key, script)
                && sandbox
                    .yurtici
                    .set_measurement(key, measured, Decimal::ONE, None)
        }
        CarrierId::Aras => {
            sandbox.aras.set_measured_desi(key, measured);
            true
        }
        // Sürat's branch measurement was set before the create (see `script_before`).
        CarrierId::Surat => true,
        CarrierId::Ptt => {
            // PTT weighs: the billable value it reports is the weight.
            let grams = (measured * dec!(1000)).trunc().to_u32().unwrap_or(0);
            sandbox.ptt.set_measured_grams(key, grams)
        }
        CarrierId::Hepsijet => {
            let scenario = match life {
                Life::Returned => hepsijet::sim::Scenario::Returned,
                Life::FailedAttemptThenDelivered => {
                    hepsijet::sim::Scenario::FailedAttemptThenDelivered
                }
                _ => hepsijet::sim::Scenario::Delivered,
            };
            sandbox.hepsijet.set_scenario(key, scenario)
                && sandbox
                    .hepsijet
                    .set_measured_desi(key, &measured.normalize().to_string())
        }
        CarrierId::Sendeo => {
            let scenario = match life {
                Life::Returned => sendeo::sim::Scenario::Returned,
                Life::FailedAttemptThenDelivered => {
                    sendeo::sim::Scenario::FailedAttemptThenDelivered
                }
                _ => sendeo::sim::Scenario::Delivered,
            };
            sandbox.sendeo.set_scenario(key, scenario)
                && sandbox.sendeo.set_measured_desi(key, measured)
        }
        CarrierId::Mng => {
            let scenario = match life {
                Life::Returned => mng::sim::Scenario::Returned,
                Life::FailedAttemptThenDelivered => mng::sim::Scenario::FailedAttemptThenDelivered,
                Life::Damaged => mng::sim::Scenario::Problem,
                Life::Delivered => mng::sim::Scenario::Delivered,
            };
            sandbox.mng.set_scenario(key, scenario)
                && sandbox.mng.set_measured(key, measured, Decimal::ONE)
        }
        _ => false,
    }
}

/// Scenarios (and Sürat's measurement, `surat_measured`) that must be set before the create.
fn script_before(
    sandbox: &Sandbox,
    carrier: &CarrierId,
    key: &str,
    life: Life,
    surat_measured: Option<Decimal>,
) {
    if let (CarrierId::Surat, Some(m)) = (carrier, surat_measured) {
        sandbox.surat.set_measured_desi(key, m);
    }
    use kargojet::{aras, ptt, surat};
    match carrier {
        CarrierId::Aras => sandbox.aras.script(
            key,
            match life {
                Life::Returned => aras::sim::Scenario::FailedThenReturned,
                Life::Damaged => aras::sim::Scenario::Damaged,
                _ => aras::sim::Scenario::Delivered,
            },
        ),
        CarrierId::Surat => sandbox.surat.set_scenario_for(
            key,
            match life {
                Life::Returned => surat::sim::Scenario::ReturnedToSender,
                _ => surat::sim::Scenario::Delivered,
            },
        ),
        CarrierId::Ptt => sandbox.ptt.set_scenario(match life {
            Life::Returned => ptt::sim::Scenario::ReturnedToSender,
            _ => ptt::sim::Scenario::Delivered,
        }),
        _ => {}
    }
}

fn turkey_midnight(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    turkey_offset()
        .with_ymd_and_hms(y, m, d, 0, 0, 0)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let began = Instant::now();
    let first_day = turkey_midnight(2026, 1, 1);
    let clock = ManualClock::new(first_day + Span::hours(9));
    let sandbox = Sandbox::start_at(clock.clone())?;
    let shared_clock = Arc::new(clock.clone());
    let wallet = Wallet::new(Arc::new(MemoryLedgerStore::new()), shared_clock.clone());
    wallet.open_company(COMPANY, Money::zero()).await?;
    wallet
        .top_up(
            &TransferId::new("insights-top-up"),
            COMPANY,
            Money::try_lira(dec!(5000000)),
            "insights example",
        )
        .await?;
    let agreements: Vec<Arc<pricing::Agreement>> = pricing::illustrative_platform_agreements()?
        .into_iter()
        .map(Arc::new)
        .collect();
    let funding = Arc::new(WalletFunding::with_shared(
        wallet,
        agreements.clone(),
        FundingConfig::default(),
    ));
    let mut builder = sandbox
        .register(Orchestrator::builder())
        .transit(pricing::transit_days()?)
        .clock(shared_clock)
        .funding(funding.clone());
    for a in agreements {
        builder = builder.shared_agreement(a);
    }
    let orchestrator = builder.build()?;

    let mut rng = StdRng::seed_from_u64(SEED);
    let mix = carrier_mix();
    let mut pending: Vec<(DateTime<Utc>, kargojet::shipment::ShipmentId)> = Vec::new();
    let (mut shipped, mut tracked, mut unscripted, mut fell_back) = (0u32, 0u32, 0u32, 0u32);
    for day in 0..DAYS {
        let morning = first_day + Span::days(day) + Span::hours(9);
        if clock.now() < morning {
            clock.set(morning);
        }
        for n in 0..rng.random_range(2..=6) {
            let request = draft(&mut rng).validate()?;
            let carrier = pick(&mut rng, &mix).clone();
            let region = request.recipient.address.plate.province().region;
            let life = life(&mut rng, &carrier, region, request.cod.is_some(), day);
            let extra = extra_desi(&mut rng, &carrier);
            let key = format!("SIP-{day:03}-{n}");
            let proposed =
                kargojet::shipment::MerchantKey::derive("KJ", &format!("{COMPANY}:{key}:0"));
            // Sürat's simulator takes the measurement at the create: price the shipment first
            // (locally, as every quote) to know the billable desi it will be bought for.
            let surat_measured = if carrier == CarrierId::Surat {
                orchestrator
                    .quote(&QuoteRequest {
                        company: COMPANY.into(),
                        shipment: request.clone(),
                        policy: SelectionPolicy::default(),
                    })
                    .await?
                    .offers
                    .iter()
                    .find(|o| o.carrier == carrier)
                    .map(|o| o.billable_desi + extra)
            } else {
                None
            };
            script_before(&sandbox, &carrier, proposed.as_str(), life, surat_measured);
            let mut ship = ShipRequest {
                company: COMPANY.into(),
                shipment: request,
                policy: SelectionPolicy::default(),
                idempotency_key: key.clone(),
                choice: Some(OfferChoice {
                    carrier: carrier.clone(),
                    agreement_id: None,
                }),
            };
            let s = match orchestrator.ship(&ship).await {
                Ok(s) => s,
                Err(_) => {
                    // The chosen carrier cannot take it (e.g. its COD cap): the best offer.
                    fell_back += 1;
                    ship.idempotency_key = format!("{key}-any");
                    ship.choice = None;
                    orchestrator.ship(&ship).await?
                }
            };
            let measured = s.offer.billable_desi + extra;
            if !script_after(&sandbox, &s, life, measured) {
                unscripted += 1;
            }
            pending.push((s.created_at, s.id.clone()));
            shipped += 1;
            sandbox.advance(Duration::from_secs(60 * rng.random_range(20..120)));
        }
        // Follow up on what was created a few days ago.
        let now = clock.now();
        let due: Vec<_> = pending
            .iter()
            .filter(|(at, _)| now - *at >= Span::days(TRACK_AFTER_DAYS))
            .map(|(_, id)| id.clone())
            .collect();
        pending.retain(|(at, _)| now - *at < Span::days(TRACK_AFTER_DAYS));
        for id in due {
            orchestrator.track(&id).await?;
            tracked += 1;
        }
    }
    sandbox.advance(Duration::from_secs(
        3600 * 24 * u64::try_from(TRACK_AFTER_DAYS).unwrap_or(4),
    ));
    for (_, id) in pending.drain(..) {
        orchestrator.track(&id).await?;
        tracked += 1;
    }
    let generated = began.elapsed();

    let stored = orchestrator.shipments(COMPANY).await?;
    let desi = funding.desi_report(&stored).await?;
    let records = records_from_shipments(&stored, Some(&desi));
    let half = Period::new(first_day, turkey_midnight(2026, 7, 1))?;
    let q2 = Period::new(turkey_midnight(2026, 4, 1), turkey_midnight(2026, 7, 1))?;
    let q1 = Period::new(first_day, turkey_midnight(2026, 4, 1))?;
    let snapshot = Snapshot::build(&records, half)?;
    let (s_q2, s_q1) = (
        Snapshot::build(&records, q2)?,
        Snapshot::build(&records, q1)?,
    );
    let rules = FindingRules::default();
    let found = findings(&snapshot, None, &rules);
    let trends: Vec<Finding> = findings(&s_q2, Some(&s_q1), &rules)
        .into_iter()
        .filter(|f| f.kind == FindingKind::ReturnRateRise)
        .collect();

    println!("KargoJet insights — altı ay, simülatörlerde üretilmiş gönderiler (tohum {SEED})");
    println!(
        "NOT: fiyatlar ÖRNEK tarifelerden (tariffs-2025.csv); gerçek fiyat değildir. Tüm tutarlar TL, KDV dahil."
    );
    println!(
        "Üretildi: {} gönderi ({} tanesi seçilen taşıyıcı alamadığı için en iyi teklifle), {} takip sorgusu, {:.1} s{}\n",
        count_tr(shipped),
        count_tr(fell_back),
        count_tr(tracked),
        generated.as_secs_f64(),
        if unscripted > 0 {
            format!(" ({unscripted} gönderi simülatörde senaryosuz kaldı)")
        } else {
            String::new()
        }
    );
    print_snapshot(&snapshot);
    println!("\nBulgular (Ocak–Haziran, risk altındaki tutara göre)");
    print_findings(&found);
    println!("\nEğilimler (Nisan–Haziran, Ocak–Mart ile karşılaştırma)");
    print_findings(&trends);

    // The narrator gets both lists, ranked together by money at stake.
    let mut all: Vec<Finding> = found.iter().chain(trends.iter()).cloned().collect();
    all.sort_by_key(|f| std::cmp::Reverse(f.money_at_stake));
    let narrator: Box<dyn Narrator> = match std::env::var("KARGOJET_LLM_BASE_URL") {
        Ok(url) if !url.trim().is_empty() => {
            let model = std::env::var("KARGOJET_LLM_MODEL").unwrap_or_else(|_| "llama3.1".into());
            let mut config = kargojet::insights::llm::LlmConfig::new(url, model);
            if let Ok(key) = std::env::var("KARGOJET_LLM_API_KEY") {
                config = config.with_api_key(key);
            }
            Box::new(kargojet::insights::llm::LlmNarrator::new(config)?)
        }
        _ => Box::new(RuleNarrator),
    };
    let summary = narrator.summary(&snapshot, &all, Language::Tr).await;
    println!(
        "\nAnlatıcı — özet ({:?}{})",
        summary.source,
        fallback_note(&summary)
    );
    println!("{}", indent(&summary.text));
    let question = "Hangi taşıyıcı, hangi bölge, hangi risk?";
    let answer = narrator
        .answer(&snapshot, &all, question, Language::Tr)
        .await;
    println!("\nSoru: {question}{}", fallback_note(&answer));
    println!("{}", indent(&answer.text));
    println!("\n(Toplam süre {:.1} s.)", began.elapsed().as_secs_f64());
    Ok(())
}

fn fallback_note(n: &kargojet::insights::Narration) -> String {
    match &n.fallback {
        Some(f) => format!(", dil modeli yerine kurallar: {}", f.code),
        None => String::new(),
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

fn opt<T: Copy>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map(f).unwrap_or_else(|| "–".into())
}

fn row(label: &str, share: Option<Decimal>, s: &GroupStats) -> String {
    format!(
        "  {:<18} {:>6} {:>6} {:>12} {:>10} {:>7} {:>6} {:>9} {:>7} {:>13} {:>6}",
        label,
        count_tr(s.shipments),
        opt(share, percent_tr),
        opt(s.cost_per_shipment, money_tr),
        opt(s.cost_per_desi, money_tr),
        opt(s.delivery_rate, percent_tr),
        opt(s.return_rate, percent_tr),
        opt(s.avg_transit_days, days_tr),
        opt(s.desi_mismatch_rate, percent_tr),
        money_tr(s.desi_money_lost),
        opt(s.cod_share, percent_tr),
    )
}

fn header(first: &str) -> String {
    format!(
        "  {:<18} {:>6} {:>6} {:>12} {:>10} {:>7} {:>6} {:>9} {:>7} {:>13} {:>6}",
        first,
        "Adet",
        "Pay",
        "Gönd. başı",
        "Desi başı",
        "Teslim",
        "İade",
        "Ort. süre",
        "Desi ≠",
        "Desi kaybı",
        "KÖ"
    )
}

fn print_snapshot(s: &Snapshot) {
    let t = &s.totals;
    println!("Özet (01.01.2026 – 30.06.2026)");
    println!(
        "  {} gönderi ({} iptal), toplam {}; gönderi başına {}, desi başına {} ({} desi)",
        count_tr(t.shipments),
        count_tr(t.cancelled),
        money_tr(t.total_cost),
        opt(t.cost_per_shipment, money_tr),
        opt(t.cost_per_desi, money_tr),
        decimal_tr(t.total_desi, 1)
    );
    println!(
        "  teslim {} · iade {} · sorunlu {} · yolda {}; teslim başarısı {}, iade oranı {}, ortalama {}",
        count_tr(t.delivered),
        count_tr(t.returned),
        count_tr(t.problem),
        count_tr(t.open),
        opt(t.delivery_rate, percent_tr),
        opt(t.return_rate, percent_tr),
        opt(t.avg_transit_days, days_tr)
    );
    println!(
        "  desi farkı: {} ölçümün {} tanesinde ({}), ek ücret {}",
        count_tr(t.measured),
        count_tr(t.desi_mismatches),
        opt(t.desi_mismatch_rate, percent_tr),
        money_tr(t.desi_money_lost)
    );
    println!("\nTaşıyıcılar");
    println!("{}", header("Taşıyıcı"));
    for c in &s.by_carrier {
        println!("{}", row(carrier_short(&c.carrier), c.share, &c.stats));
    }
    println!("\nBölgeler (varış)");
    println!("{}", header("Bölge"));
    for r in &s.by_region {
        let share = kargojet::insights::stats::rate(r.stats.shipments, t.shipments);
        println!("{}", row(r.region.name_tr(), share, &r.stats));
    }
    println!("\nİller (ilk 10)");
    println!("{}", header("İl"));
    for p in s.by_province.iter().take(10) {
        let share = kargojet::insights::stats::rate(p.stats.shipments, t.shipments);
        println!("{}", row(&p.name, share, &p.stats));
    }
    println!("\nOrtalama teslim süresi, taşıyıcı × hat (gün; teslimat sayısı)");
    let zones = kargojet::geo::DistanceZone::ALL;
    println!(
        "  {:<18}{}",
        "Taşıyıcı",
        zones
            .iter()
            .map(|z| format!("{:>14}", z.id()))
            .collect::<String>()
    );
    for c in &s.by_carrier {
        let cells: String = zones
            .iter()
            .map(|z| {
                let cell = s
                    .transit_of(&c.carrier, *z)
                    .filter(|t| t.samples > 0)
                    .map(|t| format!("{} ({})", opt(t.avg_days, |d| decimal_tr(d, 2)), t.samples))
                    .unwrap_or_else(|| "–".into());
                format!("{cell:>14}")
            })
            .collect();
        println!("  {:<18}{cells}", carrier_short(&c.carrier));
    }
    let cod = &s.cod;
    println!("\nKapıda ödeme");
    println!(
        "  pay {} ({} gönderi), toplam {}, ortalama {}; tahsil edilen {}, iade dönen {}",
        opt(t.cod_share, percent_tr),
        count_tr(cod.cod.shipments),
        money_tr(cod.cod.cod_amount),
        opt(cod.average_amount, money_tr),
        money_tr(cod.collected),
        money_tr(cod.returned_amount)
    );
    println!(
        "  iade oranı: kapıda ödemede {}, peşin ödemede {}",
        opt(cod.cod.return_rate, percent_tr),
        opt(cod.prepaid.return_rate, percent_tr)
    );
    if s.customer_returns > 0 {
        println!(
            "  müşteri iadeleri: {} ({})",
            count_tr(s.customer_returns),
            money_tr(s.customer_return_cost)
        );
    }
}

fn print_findings(list: &[Finding]) {
    if list.is_empty() {
        println!("  (kurallara göre öne çıkan bir şey yok)");
    }
    for (i, f) in list.iter().enumerate() {
        println!(
            "  {}. {}  [risk altındaki tutar {}]",
            i + 1,
            f.text_tr(),
            money_tr(f.money_at_stake)
        );
        println!("     {}", f.detail_tr);
        println!("     EN: {}", f.text_en());
    }
}
