//! Connectors for simulators running in another `kargojet-sim` process: each carrier crate's
//! `sim::connector_config_for(base_url)` (the sandbox account every simulator starts with),
//! so a server points its platform account at out-of-process carriers with one URLs file.
//!
//! Most carriers number shipments themselves, and the simulators replay their journal on a
//! restart, so their counters continue where they stopped. PTT's barcodes are drawn by the
//! connector: a fresh connector ([`connectors`]) starts at the first barcode of the range, so
//! a client that starts again against simulators that kept their state (a restarted server)
//! takes [`resumed_connectors`] with the inventory of `GET /shipments` on the admin endpoint
//! (or [`Running::held`](crate::Running::held)) and draws only barcodes never issued.

use crate::urls::SimUrls;
use kargojet_carrier_common::sim::HeldShipment;
use kargojet_core::carrier::{Carrier, CarrierId};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::time::ManualClock;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The connector of `carrier` for the simulator at `base_url` (platform sandbox account).
/// `clock` is the caller's clock (Yurtiçi's connector waits on it between query retries).
pub fn connector(
    carrier: &CarrierId,
    base_url: &str,
    clock: &ManualClock,
) -> Result<Arc<dyn Carrier>> {
    Ok(match carrier {
        CarrierId::Yurtici => Arc::new(kargojet_yurtici::Yurtici::new(
            kargojet_yurtici::sim::connector_config_for(base_url, clock),
        )?),
        CarrierId::Aras => Arc::new(kargojet_aras::Aras::new(
            kargojet_aras::sim::connector_config_for(base_url),
        )?),
        CarrierId::Ptt => Arc::new(kargojet_ptt::Ptt::new(
            kargojet_ptt::sim::connector_config_for(base_url),
        )?),
        CarrierId::Surat => Arc::new(kargojet_surat::Surat::new(
            kargojet_surat::sim::connector_config_for(base_url),
        )?),
        CarrierId::Hepsijet => Arc::new(kargojet_hepsijet::Hepsijet::new(
            kargojet_hepsijet::sim::connector_config_for(base_url),
        )?),
        CarrierId::Sendeo => Arc::new(kargojet_sendeo::Sendeo::new(
            kargojet_sendeo::sim::connector_config_for(base_url),
        )?),
        CarrierId::Mng => Arc::new(kargojet_mng::Mng::new(
            kargojet_mng::sim::connector_config_for(base_url),
        )?),
        CarrierId::KolayGelsin => Arc::new(kargojet_kolaygelsin::KolayGelsin::new(
            kargojet_kolaygelsin::sim::connector_config_for(base_url),
        )?),
        other => {
            return Err(Error::invalid(
                Code::RequestUnknownCarrier,
                "carrier",
                format!("kargojet-sim has no simulator of {other}"),
            ));
        }
    })
}

/// The connector of `carrier` for the simulator at `base_url`, continuing after the numbers
/// it already holds (`held`: its list in `GET /shipments`): PTT's barcode allocator starts
/// after the highest barcode issued; every other carrier numbers shipments itself and gets
/// [`connector`].
pub fn resumed_connector(
    carrier: &CarrierId,
    base_url: &str,
    clock: &ManualClock,
    held: &[HeldShipment],
) -> Result<Arc<dyn Carrier>> {
    match carrier {
        CarrierId::Ptt => Ok(Arc::new(kargojet_ptt::sim::connector_after(
            base_url,
            held.iter().map(|h| h.reference.as_str()),
        )?)),
        other => connector(other, base_url, clock),
    }
}

fn url_of<'u>(urls: &'u SimUrls, id: &CarrierId) -> Result<&'u str> {
    urls.carrier(id.as_str()).ok_or_else(|| {
        Error::invalid(
            Code::RequestInvalidConfig,
            format!("sim_urls.carriers.{id}"),
            "missing from the kargojet-sim URLs file",
        )
    })
}

/// One connector per carrier in `urls`, in `kargojet-sim`'s carrier order. Every one of the
/// eight carriers must be listed. For simulators that already hold shipments (restarted from
/// their state file) use [`resumed_connectors`].
pub fn connectors(urls: &SimUrls, clock: &ManualClock) -> Result<Vec<Arc<dyn Carrier>>> {
    crate::carriers::ORDER
        .iter()
        .map(|id| connector(id, url_of(urls, id)?, clock))
        .collect()
}

/// [`connectors`] continuing after what the simulators hold (`held`: the answer of `GET
/// /shipments` on the admin endpoint, carrier id → shipments), so no connector offers a
/// number the simulator has issued before ([`resumed_connector`]).
pub fn resumed_connectors(
    urls: &SimUrls,
    clock: &ManualClock,
    held: &BTreeMap<String, Vec<HeldShipment>>,
) -> Result<Vec<Arc<dyn Carrier>>> {
    crate::carriers::ORDER
        .iter()
        .map(|id| {
            let mine = held.get(id.as_str()).map_or(&[][..], Vec::as_slice);
            resumed_connector(id, url_of(urls, id)?, clock, mine)
        })
        .collect()
}
