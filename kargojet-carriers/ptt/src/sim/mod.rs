//! A protocol-faithful PTT simulator (feature `sim`) on common's [`SimServer`]: the acceptance
//! service at `/PttVeriYukleme/services/Sorgu` and the tracking service at
//! `/GonderiTakipV2/services/Sorgu`, dispatching on the body element like Axis2, with PTT's
//! envelopes, namespaces, outcome codes inside HTTP 200 and a per-parcel life advanced by a
//! [`ManualClock`].
//!
//! Rules it enforces (a request breaking them is refused): the ADB `xs:sequence` order of
//! every field (alphabetical; an Axis2 `ADBException` fault), SOAP 1.2 for `kabulEkle2`, the
//! SOAP action (if sent) naming the body's operation, credentials (`hataKodu = -1`), barcodes
//! with a valid check digit inside the customer's range, one record per barcode (a resend is
//! answered with a failed `dongu` saying the barcode was used before), `barkodVeriSil` only
//! before acceptance.
//!
//! ```
//! # #[cfg(feature = "sim")] {
//! use kargojet_core::time::ManualClock;
//! use kargojet_ptt::sim::PttSim;
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().map(|rt| rt.block_on(async {
//! let sim = PttSim::start(ManualClock::new(chrono::Utc::now())).map_err(|e| e.to_string())?;
//! sim.create_shipment().reject("3"); // next kabulEkle2 answers hataKodu 3
//! let _connector = kargojet_ptt::Ptt::new(sim.connector_config()).map_err(|e| e.to_string())?;
//! # Ok::<(), String>(()) })).ok();
//! # }
//! ```

mod handler;
mod timeline;

pub use timeline::{ACCEPTED, Office, REGISTERED_AFTER, Scenario, Step, script};

use crate::Ptt;
use crate::barcode::{BarcodeRange, InMemoryBarcodeAllocator};
use crate::config::{AcceptanceCredentials, PttConfig, TrackingCredentials};
use crate::wire::op;
use chrono::{DateTime, Utc};
use kargojet_carrier_common::HttpConfig;
use kargojet_carrier_common::sim::{FaultBuilder, Faults, SimServer};
use kargojet_core::time::ManualClock;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

/// Sandbox `kullanici` of the acceptance service.
pub const SANDBOX_USER: &str = "PttWs";
/// Sandbox `musteriId`.
pub const SANDBOX_MUSTERI_ID: i32 = 703_000_000;
/// Sandbox password (both services).
pub const SANDBOX_SIFRE: &str = "s3cret";
/// Sandbox `kullanici` of the tracking service (the customer number).
pub const SANDBOX_TRACKING_USER: &str = "703000000";
/// The sandbox customer's barcode range: `2791727900008` … `2791727999995`.
pub const SANDBOX_RANGE: BarcodeRange = BarcodeRange {
    first: 279_172_790_000,
    last: 279_172_799_999,
};

/// One parcel record as the simulator holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimShipment {
    /// `barkodNo`.
    pub barcode: String,
    /// `dosyaAdi` it was loaded with.
    pub dosya_adi: String,
    /// `musteriReferansNo`.
    pub referans: Option<String>,
    /// Receiver name, upper case (`ALICI`).
    pub alici: String,
    /// Sender name, upper case (`GONDEREN`).
    pub gonderen: String,
    /// Sender's district office.
    pub origin: String,
    /// Receiver's province.
    pub destination_il: String,
    /// Receiver's district office (`VMERK`).
    pub destination: String,
    /// Declared `agirlik`, grams.
    pub declared_grams: u32,
    /// What PTT weighs at acceptance (`GR`), grams.
    pub measured_grams: u32,
    /// COD amount (`odeme_sart_ucreti`), if `OS`.
    pub cod: Option<String>,
    /// When `kabulEkle2` loaded it.
    pub created_at: DateTime<Utc>,
    /// When `barkodVeriSil` deleted it.
    pub cancelled_at: Option<DateTime<Utc>>,
    /// Its life.
    pub scenario: Scenario,
}

/// Shared simulator state.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) clock: ManualClock,
    pub(crate) shipments: Mutex<BTreeMap<String, SimShipment>>,
    pub(crate) scenario: Mutex<Scenario>,
}

/// The running PTT simulator.
#[derive(Debug)]
pub struct PttSim {
    server: SimServer,
    state: Arc<State>,
}

impl PttSim {
    /// Starts the simulator on 127.0.0.1 (inside a tokio runtime), its clock at `clock`.
    pub fn start(clock: ManualClock) -> std::io::Result<PttSim> {
        let state = Arc::new(State {
            clock,
            shipments: Mutex::default(),
            scenario: Mutex::default(),
        });
        let server = SimServer::start_with(
            Arc::new(handler::PttHandler {
                state: state.clone(),
            }),
            Faults::new(),
        )?;
        Ok(PttSim { server, state })
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        self.server.base_url()
    }

    /// The underlying server (request log, call counts).
    pub fn server(&self) -> &SimServer {
        &self.server
    }

    /// The simulator's clock.
    pub fn clock(&self) -> &ManualClock {
        &self.state.clock
    }

    /// A connector configuration pointing at this simulator with valid sandbox credentials.
    pub fn connector_config(&self) -> PttConfig {
        PttConfig::with_host(
            &self.base_url(),
            AcceptanceCredentials {
                kullanici: SANDBOX_USER.into(),
                musteri_id: SANDBOX_MUSTERI_ID,
                sifre: SANDBOX_SIFRE.into(),
            },
            TrackingCredentials {
                kullanici: SANDBOX_TRACKING_USER.into(),
                sifre: SANDBOX_SIFRE.into(),
            },
            SANDBOX_RANGE,
        )
    }

    /// Faults for the next `kabulEkle2` (`.reject("3")`, `.timeout().after_processing()`, …).
    pub fn create_shipment(&self) -> FaultBuilder {
        self.server.faults().on(op::KABUL_EKLE2)
    }

    /// Faults for the next `gonderiSorgu`.
    pub fn track(&self) -> FaultBuilder {
        self.server.faults().on(op::GONDERI_SORGU)
    }

    /// Faults for the next `barkodVeriSil`.
    pub fn cancel(&self) -> FaultBuilder {
        self.server.faults().on(op::BARKOD_VERI_SIL)
    }

    /// Faults for the next `etiketGetir`.
    pub fn label(&self) -> FaultBuilder {
        self.server.faults().on(op::ETIKET_GETIR)
    }

    /// The life of parcels loaded from now on.
    pub fn set_scenario(&self, scenario: Scenario) {
        *self
            .state
            .scenario
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = scenario;
    }

    /// Sets what PTT will weigh a parcel at acceptance (`GR`); false for an unknown barcode.
    pub fn set_measured_grams(&self, barcode: &str, grams: u32) -> bool {
        let mut all = self
            .state
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        all.get_mut(barcode)
            .map(|s| s.measured_grams = grams)
            .is_some()
    }

    /// Every record, deleted ones included.
    pub fn shipments(&self) -> Vec<SimShipment> {
        self.state
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .values()
            .cloned()
            .collect()
    }

    /// The record of a barcode.
    pub fn shipment(&self, barcode: &str) -> Option<SimShipment> {
        self.state
            .shipments
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(barcode)
            .cloned()
    }
}

impl kargojet_carrier_common::sim::SimInventory for PttSim {
    fn held_shipments(&self) -> Vec<kargojet_carrier_common::sim::HeldShipment> {
        self.shipments()
            .into_iter()
            .map(|s| kargojet_carrier_common::sim::HeldShipment {
                reference: s.barcode.clone(),
                tracking_number: Some(s.barcode),
                created_at: s.created_at,
                cancelled: s.cancelled_at.is_some(),
            })
            .collect()
    }
}

/// A connector for the simulator at `base_url` (the sandbox account of
/// [`connector_config_for`]) whose barcode allocator continues after the highest sandbox
/// barcode among `issued` — the barcodes the simulator already holds, deleted ones included
/// (e.g. `kargojet-sim`'s inventory after a restart from its journal). A connector made with
/// [`Ptt::new`] starts at the range's first serial and would offer those barcodes again.
pub fn connector_after<'a>(
    base_url: &str,
    issued: impl IntoIterator<Item = &'a str>,
) -> kargojet_core::Result<Ptt> {
    let barcodes = InMemoryBarcodeAllocator::after_issued(SANDBOX_RANGE, issued);
    Ptt::with_parts(
        connector_config_for(base_url),
        HttpConfig::default(),
        Arc::new(barcodes),
    )
}

/// The connector configuration of [`PttSim::connector_config`] for a simulator listening at
/// `base_url` (e.g. one run by `kargojet-sim`).
pub fn connector_config_for(base_url: &str) -> PttConfig {
    PttConfig::with_host(
        base_url.trim_end_matches('/'),
        AcceptanceCredentials {
            kullanici: SANDBOX_USER.into(),
            musteri_id: SANDBOX_MUSTERI_ID,
            sifre: SANDBOX_SIFRE.into(),
        },
        TrackingCredentials {
            kullanici: SANDBOX_TRACKING_USER.into(),
            sifre: SANDBOX_SIFRE.into(),
        },
        SANDBOX_RANGE,
    )
}
