//! Desi reconciliation: when the carrier reports what it measured, the shipment is priced
//! again with the same agreement; a higher price is taken from the desi reserve and, past it,
//! from the available balance as `desi_difference` lines; a lower or equal price voids the
//! reserve. [`DesiReport`] lists declared vs measured desi and the money effect.

use super::account::{AccountKey, PlatformAccount};
use super::funding::WalletFunding;
use super::reprice::price_at;
use super::split::{Component, split};
use super::transfer::{Batch, LineKind, Link, ReleaseReason, ShipmentKey, Transfer, TransferKind};
use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::pricing::AgreementKind;
use crate::shipment::{Shipment, ShipmentId};
use crate::tracking::Measurement;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a measurement did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DesiStatus {
    /// The measured price was higher: the difference was charged.
    Charged,
    /// The measured price was lower or equal: the reserve went back.
    ReserveReleased,
    /// Own agreement: the carrier bills the seller; no money moved.
    NotFunded,
    /// The shipment was reconciled before; nothing changed.
    AlreadyReconciled,
    /// The shipment was cancelled and refunded; nothing changed.
    Cancelled,
}

/// The result of one reconciliation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiOutcome {
    /// What happened.
    pub status: DesiStatus,
    /// Billable desi the shipment was bought for.
    pub declared: Decimal,
    /// Billable value measured (max of desi and kg).
    pub measured: Decimal,
    /// Price bought.
    pub old_total: Money,
    /// Price at the measured value.
    pub new_total: Money,
    /// Taken from the reserve.
    pub from_reserve: Money,
    /// Taken from the available balance.
    pub from_available: Money,
}

impl DesiOutcome {
    /// The extra charge (reserve + available).
    pub fn charged(&self) -> Money {
        self.from_reserve + self.from_available
    }
}

impl WalletFunding {
    /// Reconciles a shipment with what the carrier measured (see the module docs). The first
    /// measurement that moves money settles the shipment; later ones change nothing.
    pub async fn apply_measurement(
        &self,
        shipment: &Shipment,
        measurement: &Measurement,
    ) -> Result<DesiOutcome> {
        let measured = measurement.billable().ok_or_else(|| {
            Error::invalid(
                Code::RequestInvalid,
                "measurement",
                "neither desi nor kg was measured",
            )
        })?;
        if measured <= Decimal::ZERO {
            return Err(Error::invalid(
                Code::RequestInvalidWeight,
                "measurement",
                format!("{measured} must be positive"),
            ));
        }
        let offer = &shipment.offer;
        let mut out = DesiOutcome {
            status: DesiStatus::NotFunded,
            declared: offer.billable_desi,
            measured,
            old_total: offer.breakdown.total,
            new_total: offer.breakdown.total,
            from_reserve: Money::zero(),
            from_available: Money::zero(),
        };
        if !matches!(offer.agreement, AgreementKind::Platform { .. }) {
            return Ok(out);
        }
        let key = ShipmentKey::of(shipment);
        let prefix = format!("{}:desi", key.transfer_prefix());
        let transfers = self.wallet.store().shipment_transfers(&key).await?;
        if transfers.iter().any(|t| t.line == LineKind::Refund) {
            out.status = DesiStatus::Cancelled;
            return Ok(out);
        }
        if transfers.iter().any(|t| t.id.as_str().starts_with(&prefix)) {
            out.status = DesiStatus::AlreadyReconciled;
            return Ok(out);
        }
        let agreement = self.agreement(&offer.agreement_id)?;
        let new = price_at(agreement, &shipment.request, measured)?;
        out.new_total = new.total;
        let reserve = self.pending_reserve(&transfers).await?;
        let diff = new.total.checked_sub(offer.breakdown.total)?;
        let id = super::transfer::TransferId(prefix);
        let link = Link::Shipment(key.clone());
        let mut batch = Batch::default();
        if diff.amount <= Decimal::ZERO {
            out.status = DesiStatus::ReserveReleased;
            if let Some(r) = reserve {
                batch.push(super::ledger::Wallet::void_transfer(&id.child("void"), &r));
                self.wallet.apply(batch).await?;
            }
            return Ok(out);
        }
        out.status = DesiStatus::Charged;
        let old = &offer.breakdown;
        let d = |a: Money, b: Money| a.checked_sub(b);
        let components: Vec<Component> = vec![
            (
                PlatformAccount::CarrierPayable,
                LineKind::DesiDifference,
                d(
                    new.cost + new.sms_fee + new.insurance_fee + new.cod_fee,
                    old.cost + old.sms_fee + old.insurance_fee + old.cod_fee,
                )?,
            ),
            (
                PlatformAccount::CommissionRevenue,
                LineKind::DesiDifference,
                d(new.commission + new.discount, old.commission + old.discount)?,
            ),
            (
                PlatformAccount::KdvPayable,
                LineKind::DesiDifference,
                d(new.kdv, old.kdv)?,
            ),
        ];
        let s = split(&components)?;
        let mut reserve_left = reserve.as_ref().map(|r| r.amount).unwrap_or(Money::zero());
        for (n, (acct, line, amount)) in s.seller.iter().enumerate() {
            let from_reserve = if reserve_left.amount < amount.amount {
                reserve_left
            } else {
                *amount
            };
            let from_available = amount.checked_sub(from_reserve)?;
            if let (Some(r), false) = (&reserve, from_reserve.is_zero()) {
                batch.push(Transfer::new(
                    id.child(&format!("r{}", n + 1)),
                    r.held_in.clone(),
                    AccountKey::Platform(*acct),
                    from_reserve,
                    TransferKind::Post { hold: r.id.clone() },
                    *line,
                    link.clone(),
                ));
                reserve_left = reserve_left.checked_sub(from_reserve)?;
                out.from_reserve = out.from_reserve.checked_add(from_reserve)?;
            }
            if !from_available.is_zero() {
                batch.push(Transfer::new(
                    id.child(&format!("a{}", n + 1)),
                    AccountKey::available(&key.company),
                    AccountKey::Platform(*acct),
                    from_available,
                    TransferKind::Single,
                    *line,
                    link.clone(),
                ));
                out.from_available = out.from_available.checked_add(from_available)?;
            }
        }
        if let (Some(r), false) = (&reserve, reserve_left.is_zero()) {
            batch.push(Transfer::new(
                id.child("rest"),
                r.held_in.clone(),
                r.source.clone(),
                reserve_left,
                TransferKind::Release {
                    hold: r.id.clone(),
                    reason: ReleaseReason::Remainder,
                },
                LineKind::HoldRelease,
                link.clone(),
            ));
        }
        for (n, (from, to, line, m)) in s.adjust.iter().enumerate() {
            batch.push(Transfer::new(
                id.child(&format!("x{}", n + 1)),
                AccountKey::Platform(*from),
                AccountKey::Platform(*to),
                *m,
                TransferKind::Single,
                *line,
                link.clone(),
            ));
        }
        self.wallet.apply(batch).await?;
        Ok(out)
    }

    /// Declared vs measured desi and the money effect, per shipment and per carrier.
    pub async fn desi_report(&self, shipments: &[Shipment]) -> Result<DesiReport> {
        let mut report = DesiReport::default();
        let mut carriers: BTreeMap<CarrierId, CarrierDesi> = BTreeMap::new();
        for s in shipments {
            let measured = s
                .events
                .iter()
                .filter_map(|e| e.measurement.as_ref().and_then(Measurement::billable))
                .next();
            let key = ShipmentKey::of(s);
            let mut charged = Money::zero();
            let mut released = Money::zero();
            for t in self.wallet.store().shipment_transfers(&key).await? {
                let from_company = t.debit.company_id() == Some(key.company.as_str());
                match t.line {
                    LineKind::DesiDifference if from_company => {
                        charged = charged.checked_add(t.amount)?
                    }
                    LineKind::Refund
                        if t.corrects
                            .as_ref()
                            .is_some_and(|c| c.as_str().contains(":desi/")) =>
                    {
                        charged = charged.checked_sub(t.amount)?
                    }
                    LineKind::HoldRelease
                        if t.kind
                            .hold()
                            .is_some_and(|h| h.as_str().ends_with(":reserve")) =>
                    {
                        released = released.checked_add(t.amount)?
                    }
                    _ => {}
                }
            }
            let line = DesiLine {
                shipment: s.id.clone(),
                key: key.key.clone(),
                carrier: s.carrier.clone(),
                declared: s.offer.billable_desi,
                measured,
                charged,
                reserve_released: released,
            };
            let c = carriers
                .entry(s.carrier.clone())
                .or_insert_with(|| CarrierDesi {
                    carrier: s.carrier.clone(),
                    ..CarrierDesi::default()
                });
            c.shipments += 1;
            c.declared_total += line.declared;
            if let Some(m) = measured {
                c.measured += 1;
                c.measured_total += m;
                if m > line.declared {
                    c.under_declared += 1;
                }
            }
            c.charged = c.charged.checked_add(charged)?;
            c.reserve_released = c.reserve_released.checked_add(released)?;
            report.shipments.push(line);
        }
        report.carriers = carriers.into_values().collect();
        Ok(report)
    }
}

/// One shipment in a [`DesiReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DesiLine {
    /// Shipment.
    pub shipment: ShipmentId,
    /// Idempotency key it was shipped under.
    pub key: String,
    /// Carrier.
    pub carrier: CarrierId,
    /// Billable desi bought.
    pub declared: Decimal,
    /// Billable value measured, if the carrier reported one.
    pub measured: Option<Decimal>,
    /// Desi difference charged (net of refunds).
    pub charged: Money,
    /// Reserve that went back (unused part, void or expiry).
    pub reserve_released: Money,
}

/// Per-carrier totals of a [`DesiReport`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CarrierDesi {
    /// Carrier.
    pub carrier: CarrierId,
    /// Shipments.
    pub shipments: u32,
    /// Shipments measured.
    pub measured: u32,
    /// Shipments measured above what was declared.
    pub under_declared: u32,
    /// Sum of declared desi.
    pub declared_total: Decimal,
    /// Sum of measured desi (measured shipments only).
    pub measured_total: Decimal,
    /// Desi difference charged.
    pub charged: Money,
    /// Reserve that went back.
    pub reserve_released: Money,
}

impl Default for CarrierDesi {
    fn default() -> Self {
        CarrierDesi {
            carrier: CarrierId::Custom(String::new()),
            shipments: 0,
            measured: 0,
            under_declared: 0,
            declared_total: Decimal::ZERO,
            measured_total: Decimal::ZERO,
            charged: Money::zero(),
            reserve_released: Money::zero(),
        }
    }
}

/// Declared vs measured desi and the money effect.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DesiReport {
    /// Per shipment, in the order given.
    pub shipments: Vec<DesiLine>,
    /// Per carrier, by carrier id.
    pub carriers: Vec<CarrierDesi>,
}
