//! Cash on delivery: on delivery the collected amount is credited to the seller's COD
//! receivable (the carrier owes it to the platform: COD clearing), and the COD fee and its
//! KDV are taken from it; a payout later moves the receivable to the seller.

use super::account::{AccountKey, PlatformAccount};
use super::book::Applied;
use super::funding::WalletFunding;
use super::transfer::{Batch, LineKind, Link, ShipmentKey, Transfer, TransferId, TransferKind};
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::shipment::Shipment;

/// What a delivery credited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodCredit {
    /// Collected from the recipient.
    pub collected: Money,
    /// COD fee (to the carrier).
    pub fee: Money,
    /// KDV of the fee.
    pub fee_kdv: Money,
    /// Left for the seller.
    pub net: Money,
    /// New, or a replay.
    pub applied: Applied,
}

impl WalletFunding {
    /// Credits a delivered COD shipment (ids `<shipment>:cod/collect`, `/fee`, `/kdv`; a
    /// replay is a no-op). `request.invalid` for a shipment without COD.
    pub async fn credit_cod(&self, shipment: &Shipment) -> Result<CodCredit> {
        let cod = shipment.request.cod.ok_or_else(|| {
            Error::invalid(
                Code::RequestInvalid,
                "shipment.cod",
                format!("shipment {} has no cash on delivery", shipment.id),
            )
        })?;
        let collected = cod.amount.round_kurus();
        let fee = shipment.offer.breakdown.cod_fee.round_kurus();
        let fee_kdv = self.cod_kdv(&shipment.offer);
        let net = collected.checked_sub(fee)?.checked_sub(fee_kdv)?;
        if net.is_negative() {
            return Err(Error::invalid(
                Code::RequestInvalidAmount,
                "shipment.cod.amount",
                format!(
                    "{} does not cover the COD fee {} and its KDV {}",
                    collected.to_turkish(),
                    fee.to_turkish(),
                    fee_kdv.to_turkish()
                ),
            ));
        }
        let key = ShipmentKey::of(shipment);
        let id = TransferId(format!("{}:cod", key.transfer_prefix()));
        let link = Link::Shipment(key.clone());
        let receivable = AccountKey::cod_receivable(&key.company);
        let mut batch = Batch::default();
        let mut push =
            |suffix: &str, debit: AccountKey, credit: AccountKey, amount: Money, line: LineKind| {
                if amount.amount > rust_decimal::Decimal::ZERO {
                    batch.push(Transfer::new(
                        id.child(suffix),
                        debit,
                        credit,
                        amount,
                        TransferKind::Single,
                        line,
                        link.clone(),
                    ));
                }
            };
        push(
            "collect",
            AccountKey::Platform(PlatformAccount::CodClearing),
            receivable.clone(),
            collected,
            LineKind::CodCollection,
        );
        push(
            "fee",
            receivable.clone(),
            AccountKey::Platform(PlatformAccount::CarrierPayable),
            fee,
            LineKind::CodFee,
        );
        push(
            "kdv",
            receivable,
            AccountKey::Platform(PlatformAccount::KdvPayable),
            fee_kdv,
            LineKind::CodFeeKdv,
        );
        let applied = self.wallet.apply(batch).await?;
        Ok(CodCredit {
            collected,
            fee,
            fee_kdv,
            net,
            applied,
        })
    }
}
