//! What is printed on one label, built from a [`Shipment`] or by hand.

use crate::address::Party;
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::shipment::Shipment;
use crate::time::turkey_offset;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A sender or recipient block as printed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelParty {
    /// Person or company name.
    pub name: String,
    /// Street, building and door.
    pub address_line: String,
    /// District name.
    pub district: String,
    /// Province name (printed in Turkish upper case).
    pub province: String,
    /// Phone as 10 digits (`5321234567`), masked or not per the template.
    pub phone: String,
}

impl LabelParty {
    /// The printed block of a validated [`Party`].
    pub fn from_party(p: &Party) -> LabelParty {
        LabelParty {
            name: p.name.clone(),
            address_line: p.address.line.clone(),
            district: p.address.district.clone(),
            province: p.address.province.clone(),
            phone: p.phone.digits().to_string(),
        }
    }
}

/// Everything one label shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelData {
    /// Carrier display name (e.g. `Yurtiçi Kargo`).
    pub carrier_name: String,
    /// Service name, if any (e.g. `Standart Teslimat`).
    pub service: Option<String>,
    /// Who sends.
    pub sender: LabelParty,
    /// Who receives.
    pub recipient: LabelParty,
    /// The merchant key, printed as Code128 with its text.
    pub merchant_key: String,
    /// The carrier's own tracking number, when known.
    pub tracking_number: Option<String>,
    /// The seller's order number.
    pub order_id: Option<String>,
    /// Desi of this piece.
    pub desi: Decimal,
    /// Weight of this piece in kg.
    pub kg: Decimal,
    /// This piece's number (1-based).
    pub piece_index: u16,
    /// Number of pieces in the shipment.
    pub piece_count: u16,
    /// Cash-on-delivery amount, when COD applies.
    pub cod: Option<Money>,
    /// QR code payload (printed when the template shows the QR).
    pub qr: Option<String>,
    /// A note for this label (the template's note is printed when this is `None`).
    pub note: Option<String>,
    /// Shipment date.
    pub date: NaiveDate,
}

impl LabelData {
    /// A label with the required fields; optional ones are `None` and piece is 1/1.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        carrier_name: impl Into<String>,
        sender: LabelParty,
        recipient: LabelParty,
        merchant_key: impl Into<String>,
        desi: Decimal,
        kg: Decimal,
        date: NaiveDate,
    ) -> LabelData {
        LabelData {
            carrier_name: carrier_name.into(),
            service: None,
            sender,
            recipient,
            merchant_key: merchant_key.into(),
            tracking_number: None,
            order_id: None,
            desi,
            kg,
            piece_index: 1,
            piece_count: 1,
            cod: None,
            qr: None,
            note: None,
            date,
        }
    }

    /// The label of piece `piece.0` of `piece.1` of a created shipment. Desi and kg are those of
    /// that parcel; the COD band shows the shipment's amount on every piece.
    pub fn from_shipment(
        shipment: &Shipment,
        piece: (u16, u16),
        carrier_name: &str,
    ) -> Result<LabelData> {
        let (index, count) = piece;
        let parcels = &shipment.request.parcels;
        if index == 0 || index > count || usize::from(count) != parcels.len() {
            return Err(Error::invalid(
                Code::LabelInvalidData,
                "piece",
                format!(
                    "piece {index}/{count} does not fit a shipment of {} parcels",
                    parcels.len()
                ),
            ));
        }
        let parcel = &parcels[usize::from(index - 1)];
        let req = &shipment.request;
        Ok(LabelData {
            carrier_name: carrier_name.to_string(),
            service: None,
            sender: LabelParty::from_party(&req.sender),
            recipient: LabelParty::from_party(&req.recipient),
            merchant_key: shipment.created.merchant_key.as_str().to_string(),
            tracking_number: shipment.created.carrier_tracking_number.clone(),
            order_id: req.order_id.clone(),
            desi: parcel.desi(),
            kg: parcel.weight_kg,
            piece_index: index,
            piece_count: count,
            cod: req.cod.map(|c| c.amount),
            qr: None,
            note: None,
            date: shipment
                .created_at
                .with_timezone(&turkey_offset())
                .date_naive(),
        })
    }

    /// Checks what the renderer cannot draw: the piece numbers, the Code128 and QR payloads.
    /// `index` is this label's position in the call (errors name `labels[index].…`).
    pub fn validate(&self, index: usize) -> Result<()> {
        if self.piece_index == 0 || self.piece_count == 0 || self.piece_index > self.piece_count {
            return Err(Error::invalid(
                Code::LabelInvalidData,
                format!("labels[{index}].piece_index"),
                format!(
                    "piece {}/{} is not a valid piece number",
                    self.piece_index, self.piece_count
                ),
            ));
        }
        if let Some(detail) = crate::label::barcode::code128_problem(&self.merchant_key) {
            return Err(Error::invalid(
                Code::LabelBarcodeUnencodable,
                format!("labels[{index}].merchant_key"),
                detail,
            ));
        }
        if let Some(qr) = &self.qr {
            crate::label::barcode::check_qr(qr, &format!("labels[{index}].qr"))?;
        }
        Ok(())
    }
}
