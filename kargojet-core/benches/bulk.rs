//! Bulk import speed: a 10,000-row XLSX, generated in the set-up with `rust_xlsxwriter` the way a
//! seller's export looks (numbers stored as numbers, some rows with dimensions, some with desi
//! only, a third with cash on delivery, one row in fifty broken), then
//!
//! - `read_validate`: [`bulk::import`] — read the workbook, match the headers, validate rows;
//! - `quote`: [`bulk::plan`] on the imported rows — every accepted row quoted across the eight
//!   carriers' illustrative platform agreements (`illustrative_platform_agreements()`), with a
//!   quote-only connector per carrier so that every offer is one the plan may choose;
//! - `read_validate_quote`: both, the target (≤ 1 s on the project's 2-core machine).
//!
//! `nice -n 19 cargo bench -p kargojet-core --bench bulk`

use async_trait::async_trait;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::executor::block_on;
use kargojet_core::address::Party;
use kargojet_core::bulk::{self, ImportOptions, ImportResult, PlanOptions};
use kargojet_core::carrier::{
    AccountId, Capabilities, Carrier, CarrierId, CreateRequest, ReferenceLookup, ShipmentRef,
    TrackingUpdate,
};
use kargojet_core::error::{Error, Result};
use kargojet_core::geo;
use kargojet_core::orchestrator::Orchestrator;
use kargojet_core::pricing::illustrative_platform_agreements;
use kargojet_core::shipment::{AddressDraft, CreatedShipment, MerchantKey, PartyDraft};
use rust_xlsxwriter::Workbook;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

const ROWS: u32 = 10_000;

/// A connector that only quotes: the plan may choose it, buying with it is unsupported.
struct QuoteOnly(CarrierId);

#[async_trait]
impl Carrier for QuoteOnly {
    fn id(&self) -> CarrierId {
        self.0.clone()
    }
    fn capabilities(&self) -> Capabilities {
        Capabilities {
            cod: true,
            cod_card: true,
            ..Capabilities::default()
        }
    }
    async fn create(&self, _r: &CreateRequest) -> Result<CreatedShipment> {
        Err(Error::unsupported(Some(self.0.clone()), "quote-only"))
    }
    async fn cancel(&self, _s: &ShipmentRef) -> Result<()> {
        Err(Error::unsupported(Some(self.0.clone()), "quote-only"))
    }
    async fn track(&self, _s: &ShipmentRef) -> Result<TrackingUpdate> {
        Err(Error::unsupported(Some(self.0.clone()), "quote-only"))
    }
    async fn find_by_reference(&self, _k: &MerchantKey, _a: &AccountId) -> Result<ReferenceLookup> {
        Ok(ReferenceLookup::NotFound)
    }
}

fn sender() -> Party {
    let draft = PartyDraft {
        name: "Moda Tekstil Ltd.".into(),
        phone: "0216 345 67 89".into(),
        email: None,
        address: AddressDraft {
            province: "İstanbul".into(),
            district: "Kadıköy".into(),
            line: "Caferağa Mah. Moda Cad. No: 12".into(),
            postal_code: None,
        },
    };
    match draft.validate("sender") {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// A 10,000-row workbook with the seller-export columns, deterministic.
fn workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers = [
        "Sipariş No",
        "Alıcı Adı",
        "Telefon",
        "İl",
        "İlçe",
        "Adres",
        "Desi",
        "Kg",
        "En",
        "Boy",
        "Yükseklik",
        "Adet",
        "Tahsilat Tutarı",
        "Not",
    ];
    let names = [
        "Ayşe Yılmaz",
        "Mehmet Öztürk",
        "Zeynep Kaya",
        "Çağrı Şahin",
        "İlkay Ünal",
    ];
    let provinces = geo::provinces();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let write =
        |r: std::result::Result<&mut rust_xlsxwriter::Worksheet, rust_xlsxwriter::XlsxError>| {
            if let Err(e) = r {
                panic!("{e}");
            }
        };
    for (c, h) in headers.iter().enumerate() {
        write(ws.write_string(0, c as u16, *h));
    }
    for r in 1..=ROWS {
        let p = &provinces[next(provinces.len() as u64) as usize];
        let districts = geo::districts(p.plate);
        let d = &districts[next(districts.len() as u64) as usize];
        write(ws.write_string(r, 0, format!("SIP-{r:06}")));
        write(ws.write_string(r, 1, names[next(names.len() as u64) as usize]));
        let phone = if r % 50 == 0 {
            12345.0
        } else {
            5_320_000_000.0 + f64::from(r)
        };
        write(ws.write_number(r, 2, phone));
        write(ws.write_string(r, 3, &p.name));
        write(ws.write_string(r, 4, &d.name));
        write(ws.write_string(
            r,
            5,
            format!("Cumhuriyet Mah. {} Sok. No: {}", r % 300 + 1, r % 90 + 1),
        ));
        if r % 2 == 0 {
            write(ws.write_number(r, 6, (next(40) + 1) as f64 / 2.0));
        } else {
            write(ws.write_number(r, 8, (next(50) + 10) as f64));
            write(ws.write_number(r, 9, (next(50) + 10) as f64));
            write(ws.write_number(r, 10, (next(30) + 5) as f64));
        }
        write(ws.write_number(r, 7, (next(200) + 1) as f64 / 10.0));
        write(ws.write_number(r, 11, (next(3) + 1) as f64));
        if r % 3 == 0 {
            write(ws.write_number(r, 12, (next(300_000) + 1_000) as f64 / 100.0));
        }
        write(ws.write_string(r, 13, "Kırılabilir"));
    }
    match wb.save_to_buffer() {
        Ok(b) => b,
        Err(e) => panic!("{e}"),
    }
}

fn orchestrator() -> Orchestrator {
    let agreements = match illustrative_platform_agreements() {
        Ok(a) => a,
        Err(e) => panic!("{e}"),
    };
    let mut b = Orchestrator::builder();
    for c in CarrierId::BUILTIN {
        b = b.carrier(Arc::new(QuoteOnly(c)), AccountId::platform());
    }
    match b.agreements(agreements).build() {
        Ok(o) => o,
        Err(e) => panic!("{e}"),
    }
}

fn import(bytes: &[u8], options: &ImportOptions) -> ImportResult {
    match bulk::import(bytes, options) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn plan(orchestrator: &Orchestrator, imported: &ImportResult) -> bulk::BulkPlan {
    let options = PlanOptions::new("acme");
    match block_on(bulk::plan(
        orchestrator,
        imported,
        &options,
        &bulk::no_progress,
    )) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

fn bench(c: &mut Criterion) {
    let bytes = workbook();
    let options = ImportOptions::new(sender());
    let orchestrator = orchestrator();
    let imported = import(&bytes, &options);
    let planned = plan(&orchestrator, &imported);
    assert_eq!(imported.total_rows(), ROWS as usize);
    assert_eq!(imported.rejected.len(), (ROWS / 50) as usize);
    assert!(planned.rows.len() > 9_000, "{} planned", planned.rows.len());
    eprintln!(
        "bulk bench: {} bytes of XLSX, {} rows accepted, {} planned, {} unplanned, total {}",
        bytes.len(),
        imported.accepted.len(),
        planned.rows.len(),
        planned.unplanned.len(),
        planned.total.to_turkish()
    );

    let mut g = c.benchmark_group("bulk_10k_xlsx");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(15))
        .throughput(Throughput::Elements(u64::from(ROWS)));
    g.bench_function("read_validate", |b| {
        b.iter(|| black_box(import(black_box(&bytes), &options)))
    });
    g.bench_function("quote", |b| {
        b.iter(|| black_box(plan(&orchestrator, black_box(&imported))))
    });
    g.bench_function("read_validate_quote", |b| {
        b.iter(|| {
            let imported = import(black_box(&bytes), &options);
            black_box(plan(&orchestrator, &imported))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
