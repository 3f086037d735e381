//! The eight carrier simulators behind one interface: their HTTP server (for ports, the
//! journal and replay), what they hold, and which of their operations only read (every other
//! request is journalled).

use kargojet_carrier_common::sim::{HeldShipment, SimInventory, SimServer};
use kargojet_core::carrier::CarrierId;
use kargojet_core::time::ManualClock;
use std::collections::BTreeMap;

/// One running carrier simulator.
pub trait CarrierSim: Send + Sync {
    /// Its HTTP server.
    fn server(&self) -> &SimServer;
    /// Every shipment it holds.
    fn held(&self) -> Vec<HeldShipment>;
}

macro_rules! carrier_sim {
    ($t:ty) => {
        impl CarrierSim for $t {
            fn server(&self) -> &SimServer {
                <$t>::server(self)
            }
            fn held(&self) -> Vec<HeldShipment> {
                SimInventory::held_shipments(self)
            }
        }
    };
}

carrier_sim!(kargojet_yurtici::sim::YurticiSim);
carrier_sim!(kargojet_aras::sim::ArasSim);
carrier_sim!(kargojet_ptt::sim::PttSim);
carrier_sim!(kargojet_surat::sim::SuratSim);
carrier_sim!(kargojet_hepsijet::sim::HepsijetSim);
carrier_sim!(kargojet_sendeo::sim::SendeoSim);
carrier_sim!(kargojet_mng::sim::MngSim);
carrier_sim!(kargojet_kolaygelsin::sim::KolayGelsinSim);

/// A carrier simulator with its id and its read-only operations.
pub struct Entry {
    /// The carrier.
    pub id: CarrierId,
    /// Operations that change nothing (tracking, lookups, labels, reference data); every other
    /// operation is journalled.
    pub read_only: &'static [&'static str],
    /// The simulator.
    pub sim: Box<dyn CarrierSim>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("id", &self.id)
            .field("url", &self.sim.server().base_url())
            .finish_non_exhaustive()
    }
}

/// What every simulator holds, carrier id → its shipments oldest first (the answer of the
/// admin endpoint's `GET /shipments`).
pub fn inventory(entries: &[Entry]) -> BTreeMap<String, Vec<HeldShipment>> {
    entries
        .iter()
        .map(|e| {
            let mut held = e.sim.held();
            held.sort_by(|a, b| (a.created_at, &a.reference).cmp(&(b.created_at, &b.reference)));
            (e.id.to_string(), held)
        })
        .collect()
}

/// The order carriers are started in (and given ports from `--port-base`).
pub const ORDER: [CarrierId; 8] = [
    CarrierId::Yurtici,
    CarrierId::Aras,
    CarrierId::Ptt,
    CarrierId::Surat,
    CarrierId::Hepsijet,
    CarrierId::Sendeo,
    CarrierId::Mng,
    CarrierId::KolayGelsin,
];

/// Operations of `carrier` that only read.
pub fn read_only(carrier: &CarrierId) -> &'static [&'static str] {
    match carrier {
        CarrierId::Yurtici => &["queryShipment"],
        CarrierId::Aras => &[
            kargojet_aras::sim::ops::GET_ORDER,
            kargojet_aras::sim::ops::QUERY_JSON,
        ],
        CarrierId::Ptt => &[
            kargojet_ptt::wire::op::ETIKET_GETIR,
            kargojet_ptt::wire::op::GONDERI_SORGU,
            kargojet_ptt::wire::op::GONDERI_SORGU_REFERANS_NO,
        ],
        CarrierId::Surat => &["KargoBarkodu", kargojet_surat::sim::TRACK_OP],
        CarrierId::Hepsijet => &[
            "barcodesLabel",
            "integrationTrack",
            "getDeliveryTracking",
            "generateZplBarcode",
        ],
        CarrierId::Sendeo => &[
            "TRACKDELIVERY",
            "GETBARCODE",
            "GETBARCODEBYTRACKINGNUMBER",
            "GetCityDistricts",
        ],
        CarrierId::Mng => &[
            "getcities",
            "getdistricts",
            "getshipmentstatus",
            kargojet_mng::wire::OP_RETURN_STATUS,
        ],
        CarrierId::KolayGelsin => &[
            kargojet_kolaygelsin::wire::METHOD_TRACK,
            kargojet_kolaygelsin::wire::METHOD_EVENT_TYPES,
            kargojet_kolaygelsin::wire::METHOD_DOCUMENT,
        ],
        _ => &[],
    }
}

/// Starts every simulator on `clock` (ephemeral ports; inside a tokio runtime).
pub fn start_all(clock: &ManualClock) -> std::io::Result<Vec<Entry>> {
    let mut out = Vec::with_capacity(ORDER.len());
    for id in ORDER {
        let c = clock.clone();
        let sim: Box<dyn CarrierSim> = match id {
            CarrierId::Yurtici => Box::new(kargojet_yurtici::sim::YurticiSim::start(c)?),
            CarrierId::Aras => Box::new(kargojet_aras::sim::ArasSim::start(c)?),
            CarrierId::Ptt => Box::new(kargojet_ptt::sim::PttSim::start(c)?),
            CarrierId::Surat => Box::new(kargojet_surat::sim::SuratSim::start(c)?),
            CarrierId::Hepsijet => Box::new(kargojet_hepsijet::sim::HepsijetSim::start(c)?),
            CarrierId::Sendeo => Box::new(kargojet_sendeo::sim::SendeoSim::start(c)?),
            CarrierId::Mng => Box::new(kargojet_mng::sim::MngSim::start(c)?),
            _ => Box::new(kargojet_kolaygelsin::sim::KolayGelsinSim::start(c)?),
        };
        out.push(Entry {
            read_only: read_only(&id),
            id,
            sim,
        });
    }
    Ok(out)
}
