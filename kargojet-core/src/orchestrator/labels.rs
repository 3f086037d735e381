//! Labels for stored shipments: the carrier's own label exactly as it sends it, or KargoJet's
//! unified label (PDF or ZPL) where the carrier has no label API, cannot give the asked format,
//! or the seller prefers the unified label.

use super::Orchestrator;
use crate::error::{Code, Error, Result};
use crate::label::{Dpi, LabelData, LabelRenderer, LabelTemplate};
use crate::shipment::{Label, LabelFormat, ShipmentId};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// Which label to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LabelSource {
    /// The carrier's label when it offers the format, else KargoJet's.
    #[default]
    Auto,
    /// Only the carrier's own label (`unsupported.label_format` if it has none in the format).
    Carrier,
    /// Always KargoJet's unified label (PDF or ZPL).
    KargoJet,
}

fn renderer() -> Result<&'static LabelRenderer> {
    static RENDERER: OnceLock<std::result::Result<LabelRenderer, Error>> = OnceLock::new();
    RENDERER
        .get_or_init(LabelRenderer::new)
        .as_ref()
        .map_err(Clone::clone)
}

impl Orchestrator {
    /// The label of a shipment in `format` (see [`LabelSource`]). KargoJet's label has one page
    /// (PDF) or one `^XA…^XZ` block (ZPL, 203 dpi) per parcel, "1/3", "2/3", …
    pub async fn label(
        &self,
        id: &ShipmentId,
        format: LabelFormat,
        source: LabelSource,
        template: Option<&LabelTemplate>,
    ) -> Result<Label> {
        let shipment = self.shipment(id).await?;
        let reg = self.registered(&shipment.carrier, &shipment.account)?;
        let carrier_has = reg.capabilities.label_formats.contains(&format);
        if source != LabelSource::KargoJet {
            if let Some(label) = shipment
                .created
                .label
                .as_ref()
                .filter(|l| l.format == format)
            {
                return Ok(label.clone());
            }
            if carrier_has {
                return reg.carrier.label(&shipment.reference(), format).await;
            }
            if source == LabelSource::Carrier {
                return Err(Error::Unsupported {
                    code: Code::UnsupportedLabelFormat,
                    carrier: Some(shipment.carrier.clone()),
                    detail: format!("{} gives no {format:?} label", shipment.carrier),
                });
            }
        }
        let default_template = LabelTemplate::default();
        let template = template.unwrap_or(&default_template);
        let count = u16::try_from(shipment.request.parcels.len()).map_err(|_| {
            Error::invalid(
                Code::RequestInvalid,
                "parcels",
                "too many parcels for labels",
            )
        })?;
        let pieces = (1..=count)
            .map(|i| {
                LabelData::from_shipment(&shipment, (i, count), shipment.carrier.display_name())
            })
            .collect::<Result<Vec<_>>>()?;
        let renderer = renderer()?;
        match format {
            LabelFormat::Pdf => renderer.render_pdf(&pieces, template),
            LabelFormat::Zpl => renderer.render_zpl(&pieces, template, Dpi::D203),
            other => Err(Error::Unsupported {
                code: Code::UnsupportedLabelFormat,
                carrier: None,
                detail: format!("KargoJet renders PDF and ZPL, not {other:?}"),
            }),
        }
    }
}
