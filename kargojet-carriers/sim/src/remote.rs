//! Connectors for simulators running in another `kargojet-sim` process: each carrier crate's
//! `sim::connector_config_for(base_url)` (the sandbox account every simulator starts with),
//! so a server points its platform account at out-of-process carriers with one URLs file.

use crate::urls::SimUrls;
use kargojet_core::carrier::{Carrier, CarrierId};
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::time::ManualClock;
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

/// One connector per carrier in `urls`, in `kargojet-sim`'s carrier order. Every one of the
/// eight carriers must be listed.
pub fn connectors(urls: &SimUrls, clock: &ManualClock) -> Result<Vec<Arc<dyn Carrier>>> {
    crate::carriers::ORDER
        .iter()
        .map(|id| {
            let url = urls.carrier(id.as_str()).ok_or_else(|| {
                Error::invalid(
                    Code::RequestInvalidConfig,
                    format!("sim_urls.carriers.{id}"),
                    "missing from the kargojet-sim URLs file",
                )
            })?;
            connector(id, url, clock)
        })
        .collect()
}
