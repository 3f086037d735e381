//! Agreements: how a carrier's tariff becomes a price for a seller. A platform agreement sells
//! the platform's negotiated tariff with a commission (default 10 %); a seller's own agreement
//! prices with the seller's contract tariff and creates with the seller's credentials.

use super::breakdown::PriceBreakdown;
use super::fees::{CodFeeFast, Discount, Fees};
use super::tariff::{Route, Tariff};
use super::units::{desi_units_ceil, money_kurus, percent_micro, percent_of_kurus};
use crate::carrier::{AccountId, CarrierId};
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::parcel::Parcel;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The default platform commission, 10 %.
pub const DEFAULT_COMMISSION_PERCENT: Decimal = dec!(10);
/// KDV (Turkish VAT) on shipping, 20 %.
pub const KDV_PERCENT: Decimal = dec!(20);

/// Platform or the seller's own contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum AgreementKind {
    /// The platform's tariff plus commission; created with the platform's carrier account, and
    /// paid through the wallet.
    Platform {
        /// Commission percentage on the carrier cost.
        commission_percent: Decimal,
    },
    /// The seller's own contract tariff; created with the seller's account and billed to the
    /// seller by the carrier.
    Own,
}

impl AgreementKind {
    /// `platform` or `own`.
    pub fn id(&self) -> &'static str {
        match self {
            AgreementKind::Platform { .. } => "platform",
            AgreementKind::Own => "own",
        }
    }
}

/// The inputs of one price: the route, the billable value (under the tariff's desi rule) and
/// the extras asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceInput {
    /// Origin and destination.
    pub route: Route,
    /// The billable value as given to [`PriceInput::new`]; `None` when it is exactly
    /// `billable_units` thousandths (built from parcels), so the hot path builds no decimal.
    billable: Option<Decimal>,
    billable_units: i64,
    cod_kurus: Option<i64>,
    /// SMS notification asked.
    pub sms: bool,
    insured_kurus: i64,
}

impl PriceInput {
    /// A price input for a billable value (see [`crate::parcel::DesiRule::billable`]).
    #[inline]
    pub fn new(route: Route, billable: Decimal) -> PriceInput {
        PriceInput {
            route,
            billable: Some(billable),
            billable_units: desi_units_ceil(billable),
            cod_kurus: None,
            sms: false,
            insured_kurus: 0,
        }
    }

    /// A price input straight from parcels under a desi rule (exact integer arithmetic; no
    /// intermediate decimals).
    #[inline]
    pub fn for_parcels(
        route: Route,
        rule: &crate::parcel::DesiRule,
        parcels: &[Parcel],
    ) -> PriceInput {
        let units = rule.billable_units(parcels);
        PriceInput {
            route,
            billable: None,
            billable_units: units,
            cod_kurus: None,
            sms: false,
            insured_kurus: 0,
        }
    }

    /// A price input from a billable value in 1/1000 desi (as [`DesiRule::billable_units`]
    /// gives it).
    ///
    /// [`DesiRule::billable_units`]: crate::parcel::DesiRule::billable_units
    #[inline]
    pub fn from_units(route: Route, units: i64) -> PriceInput {
        PriceInput {
            route,
            billable: None,
            billable_units: units,
            cod_kurus: None,
            sms: false,
            insured_kurus: 0,
        }
    }

    /// With a cash-on-delivery amount.
    #[inline]
    pub fn with_cod(mut self, amount: Option<Money>) -> PriceInput {
        self.cod_kurus = amount.map(money_kurus);
        self
    }

    /// With an SMS notification.
    #[inline]
    pub fn with_sms(mut self, sms: bool) -> PriceInput {
        self.sms = sms;
        self
    }

    /// With an insured value.
    #[inline]
    pub fn with_insurance(mut self, value: Option<Money>) -> PriceInput {
        self.insured_kurus = value.map(money_kurus).unwrap_or(0);
        self
    }

    /// The billable value.
    pub fn billable(&self) -> Decimal {
        self.billable
            .unwrap_or_else(|| Decimal::new(self.billable_units, 3))
    }

    /// The COD amount, if any.
    pub fn cod(&self) -> Option<Money> {
        self.cod_kurus.map(Money::from_kurus)
    }
}

/// An agreement between the platform (or a seller) and a carrier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    id: Arc<str>,
    kind: AgreementKind,
    company: Option<String>,
    account: AccountId,
    tariff: Arc<Tariff>,
    fees: Fees,
    discount: Option<Discount>,
    kdv_percent: Decimal,
    fast: Fast,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Fast {
    commission_micro: i64,
    kdv_micro: i64,
    cod: Option<CodFeeFast>,
    cod_max: Option<i64>,
    sms: i64,
    insurance_micro: i64,
    discount_micro: i64,
    step_units: i64,
}

/// Builds an [`Agreement`].
#[derive(Debug, Clone)]
pub struct AgreementBuilder {
    id: Option<String>,
    kind: AgreementKind,
    company: Option<String>,
    account: AccountId,
    tariff: Arc<Tariff>,
    fees: Fees,
    discount: Option<Discount>,
    kdv_percent: Decimal,
}

impl Agreement {
    /// A platform agreement on `tariff` with the default 10 % commission.
    pub fn platform(tariff: Arc<Tariff>) -> AgreementBuilder {
        AgreementBuilder {
            id: None,
            kind: AgreementKind::Platform {
                commission_percent: DEFAULT_COMMISSION_PERCENT,
            },
            company: None,
            account: AccountId::platform(),
            tariff,
            fees: Fees::default(),
            discount: None,
            kdv_percent: KDV_PERCENT,
        }
    }

    /// A seller's own agreement: `company`'s contract `tariff`, created with the seller's
    /// carrier account `account_name`.
    pub fn own(company: &str, account_name: &str, tariff: Arc<Tariff>) -> AgreementBuilder {
        AgreementBuilder {
            id: None,
            kind: AgreementKind::Own,
            company: Some(company.to_string()),
            account: AccountId::seller(company, account_name),
            tariff,
            fees: Fees::default(),
            discount: None,
            kdv_percent: KDV_PERCENT,
        }
    }

    /// The agreement id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The agreement id, shared.
    pub fn id_shared(&self) -> Arc<str> {
        self.id.clone()
    }

    /// Platform or own.
    pub fn kind(&self) -> AgreementKind {
        self.kind
    }

    /// The carrier.
    #[inline]
    pub fn carrier(&self) -> &CarrierId {
        self.tariff.carrier()
    }

    /// The company an own agreement belongs to (`None` for platform agreements, open to all).
    pub fn company(&self) -> Option<&str> {
        self.company.as_deref()
    }

    /// The carrier account shipments under this agreement are created with.
    pub fn account(&self) -> &AccountId {
        &self.account
    }

    /// The tariff.
    pub fn tariff(&self) -> &Arc<Tariff> {
        &self.tariff
    }

    /// The fees.
    pub fn fees(&self) -> &Fees {
        &self.fees
    }

    /// The KDV (VAT) rate in percent (20 unless set).
    pub fn kdv_percent(&self) -> Decimal {
        self.kdv_percent
    }

    /// Whether COD is offered under this agreement.
    pub fn offers_cod(&self) -> bool {
        self.fast.cod.is_some()
    }

    /// The COD cap of the agreement, if any.
    pub fn cod_max(&self) -> Option<Money> {
        self.fast.cod_max.map(Money::from_kurus)
    }

    /// Whether a seller of `company` may use this agreement.
    pub fn applies_to(&self, company: &str) -> bool {
        self.company.as_deref().is_none_or(|c| c == company)
    }

    /// The billable value of parcels under this agreement's tariff rule.
    pub fn billable(&self, parcels: &[Parcel]) -> Decimal {
        self.tariff.billable(parcels)
    }

    /// Prices one shipment: cost from the tariff, commission, fees, discount, KDV. Fails with
    /// `not_found.tariff` when the tariff has no zone or band for it, and
    /// `unsupported.cod` when COD is asked and not offered.
    #[inline]
    pub fn price(&self, input: &PriceInput) -> Result<PriceBreakdown> {
        match self.lines_kurus(input) {
            Some(l) => Ok(self.breakdown_of(&l)),
            None => Err(self.why_unpriced(input)),
        }
    }

    /// The lines of one shipment in kuruş and the total they make, `None` when the agreement
    /// cannot price it: what ranking compares, kept so that the offers shown get their
    /// breakdown ([`Agreement::breakdown_of`]) without pricing the shipment a second time.
    #[inline]
    pub(crate) fn priced_lines(&self, input: &PriceInput) -> Option<(KurusLines, i64)> {
        self.lines_kurus(input).map(|l| {
            let total = l.total(self.fast.kdv_micro);
            (l, total)
        })
    }

    /// The breakdown of lines from [`Agreement::priced_lines`]: the same as
    /// [`Agreement::price`] of the same input.
    #[inline]
    pub(crate) fn breakdown_of(&self, l: &KurusLines) -> PriceBreakdown {
        PriceBreakdown::from_kurus(
            l.cost,
            l.commission,
            l.cod,
            l.sms,
            l.insurance,
            l.discount,
            self.fast.kdv_micro,
        )
    }

    /// What the seller pays for one shipment (the [`PriceBreakdown::total`] of
    /// [`Agreement::price`], to the kuruş, same rounding), without building the breakdown — for
    /// ranking many agreements where only the cheapest one's lines are shown.
    #[inline]
    pub fn total(&self, input: &PriceInput) -> Result<Money> {
        match self.lines_kurus(input) {
            Some(l) => Ok(Money::from_kurus(l.total(self.fast.kdv_micro))),
            None => Err(self.why_unpriced(input)),
        }
    }

    /// The cheapest of `agreements` for one shipment and what it costs (the
    /// [`PriceBreakdown::total`] of [`Agreement::price`]); ties go to the lower carrier id, then
    /// the earlier agreement. Agreements that cannot price the shipment (no zone, no band, no
    /// COD) are skipped; `None` when none can. Compares exact kuruş totals, building no
    /// breakdown: call [`Agreement::price`] on the winner for its lines.
    pub fn cheapest<'a, I>(agreements: I, input: &PriceInput) -> Option<(&'a Agreement, Money)>
    where
        I: IntoIterator<Item = &'a Agreement>,
        I::IntoIter: Clone,
    {
        let agreements = agreements.into_iter();
        // Which carrier wins varies from shipment to shipment, so the scan keeps the first
        // strictly cheapest with selects, not branches; an equal total (rare) sends the shipment
        // to the exact tie-breaking scan below.
        let mut best: Option<&'a Agreement> = None;
        let mut best_total = i64::MAX;
        let mut tie = false;
        for a in agreements.clone() {
            let Some(total) = a.lines_kurus(input).map(|l| l.total(a.fast.kdv_micro)) else {
                continue;
            };
            tie |= total == best_total;
            let better = total < best_total;
            best = if better { Some(a) } else { best };
            best_total = if better { total } else { best_total };
        }
        if tie {
            return Self::cheapest_with_ties(agreements, input);
        }
        best.map(|a| (a, Money::from_kurus(best_total)))
    }

    /// [`Agreement::cheapest`] when two totals are equal: ties go to the lower carrier id, then
    /// the earlier agreement.
    #[cold]
    fn cheapest_with_ties<'a>(
        agreements: impl Iterator<Item = &'a Agreement>,
        input: &PriceInput,
    ) -> Option<(&'a Agreement, Money)> {
        let mut best: Option<(&'a Agreement, i64)> = None;
        for a in agreements {
            let Some(total) = a.lines_kurus(input).map(|l| l.total(a.fast.kdv_micro)) else {
                continue;
            };
            let better = match best {
                None => true,
                Some((b, t)) => {
                    total < t || (total == t && a.carrier().as_str() < b.carrier().as_str())
                }
            };
            if better {
                best = Some((a, total));
            }
        }
        best.map(|(a, total)| (a, Money::from_kurus(total)))
    }

    /// Prices one shipment from a carrier's own cost (a live rate) instead of the tariff:
    /// commission, fees, discount and KDV as in [`Agreement::price`].
    pub fn price_with_cost(&self, cost: Money, input: &PriceInput) -> Result<PriceBreakdown> {
        if cost.is_negative() {
            return Err(Error::invalid(
                Code::RequestInvalidAmount,
                "cost",
                "a carrier cost cannot be negative",
            ));
        }
        match self.lines_with_cost(money_kurus(cost), input) {
            Some(l) => Ok(PriceBreakdown::from_kurus(
                l.cost,
                l.commission,
                l.cod,
                l.sms,
                l.insurance,
                l.discount,
                self.fast.kdv_micro,
            )),
            None => Err(self.no_cod()),
        }
    }

    /// The zone id the tariff prices a route in.
    pub fn zone_for(&self, route: &Route) -> Option<super::tariff::ZoneKey> {
        self.tariff
            .zone_of(route)
            .and_then(|z| self.tariff.zone_key(z))
    }

    /// The tariff cost of one shipment in kuruş (half-up); `None` when the tariff has no zone
    /// or band for it.
    #[inline(always)]
    fn cost_kurus(&self, input: &PriceInput) -> Option<i64> {
        let f = &self.fast;
        let zone = self.tariff.zone_of(&input.route)?;
        let stepped = if f.step_units > 0 {
            (input.billable_units + f.step_units - 1) / f.step_units * f.step_units
        } else {
            input.billable_units
        };
        self.tariff.cost_kurus(zone, stepped)
    }

    /// The VAT-exclusive lines of one shipment in kuruş, each rounded half-up; `None` when the
    /// shipment cannot be priced ([`Agreement::why_unpriced`] says why).
    #[inline(always)]
    fn lines_kurus(&self, input: &PriceInput) -> Option<KurusLines> {
        self.lines_with_cost(self.cost_kurus(input)?, input)
    }

    #[inline(always)]
    fn lines_with_cost(&self, cost: i64, input: &PriceInput) -> Option<KurusLines> {
        let f = &self.fast;
        let commission = match self.kind {
            AgreementKind::Platform { .. } => percent_of_kurus(cost, f.commission_micro),
            AgreementKind::Own => 0,
        };
        let cod = match (input.cod_kurus, &f.cod) {
            (None, _) => 0,
            (Some(amount), Some(fee)) => fee.fee_kurus(amount),
            (Some(_), None) => return None,
        };
        Some(KurusLines {
            cost,
            commission,
            cod,
            sms: if input.sms { f.sms } else { 0 },
            // Most shipments are uninsured and most agreements have no discount: skip the
            // multiplications then (same result, zero).
            insurance: if input.insured_kurus == 0 {
                0
            } else {
                percent_of_kurus(input.insured_kurus, f.insurance_micro)
            },
            discount: if f.discount_micro == 0 {
                0
            } else {
                -percent_of_kurus(cost + commission, f.discount_micro)
            },
        })
    }

    /// The error of a shipment this agreement cannot price (the slow path, off the hot loop).
    #[cold]
    fn why_unpriced(&self, input: &PriceInput) -> Error {
        let Some(zone) = self.tariff.zone_of(&input.route) else {
            return Error::not_found(
                Code::NotFoundTariff,
                format!(
                    "tariff {} has no zone for {} → {}",
                    self.tariff.id(),
                    input.route.from,
                    input.route.to
                ),
            );
        };
        if self.cost_kurus(input).is_none() {
            return self.tariff.no_price(zone, input.billable());
        }
        self.no_cod()
    }

    #[cold]
    fn no_cod(&self) -> Error {
        Error::Unsupported {
            code: Code::UnsupportedCod,
            carrier: Some(self.carrier().clone()),
            detail: format!("agreement {} has no COD", self.id),
        }
    }
}

/// The VAT-exclusive lines of a price in kuruş, before they become a [`PriceBreakdown`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KurusLines {
    cost: i64,
    commission: i64,
    cod: i64,
    sms: i64,
    insurance: i64,
    discount: i64,
}

impl KurusLines {
    /// Net plus KDV, as [`PriceBreakdown::from_kurus`] adds them.
    #[inline(always)]
    fn total(&self, kdv_micro: i64) -> i64 {
        let net =
            self.cost + self.commission + self.cod + self.sms + self.insurance + self.discount;
        net + percent_of_kurus(net, kdv_micro)
    }
}

impl AgreementBuilder {
    /// Sets the id (default: `<kind>:<tariff id>` or `own:<company>:<tariff id>`).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Sets the commission of a platform agreement.
    pub fn commission_percent(mut self, percent: Decimal) -> Self {
        if let AgreementKind::Platform { commission_percent } = &mut self.kind {
            *commission_percent = percent;
        }
        self
    }

    /// Sets the fees.
    pub fn fees(mut self, fees: Fees) -> Self {
        self.fees = fees;
        self
    }

    /// Sets a referral or channel discount.
    pub fn discount(mut self, discount: Discount) -> Self {
        self.discount = Some(discount);
        self
    }

    /// Sets the KDV rate (default 20 %).
    pub fn kdv_percent(mut self, percent: Decimal) -> Self {
        self.kdv_percent = percent;
        self
    }

    /// Checks the numbers and builds the agreement.
    pub fn build(self) -> Result<Agreement> {
        let field = |n: &str| format!("agreement.{n}");
        let micro = |p: Decimal, n: &str| -> Result<i64> {
            if p.is_sign_negative() || p > Decimal::ONE_HUNDRED {
                return Err(Error::invalid(
                    Code::RequestInvalidAmount,
                    field(n),
                    format!("{p} % must be within 0–100"),
                ));
            }
            percent_micro(p).ok_or_else(|| {
                Error::invalid(
                    Code::RequestInvalidAmount,
                    field(n),
                    format!("{p} % has too many decimals"),
                )
            })
        };
        let commission_micro = match self.kind {
            AgreementKind::Platform { commission_percent } => {
                micro(commission_percent, "commission_percent")?
            }
            AgreementKind::Own => 0,
        };
        let cod = self
            .fees
            .cod
            .as_ref()
            .map(|c| c.compile("agreement.fees.cod"))
            .transpose()?;
        let nonneg = |m: Option<Money>, n: &str| -> Result<i64> {
            match m {
                Some(m) if m.is_negative() => Err(Error::invalid(
                    Code::RequestInvalidAmount,
                    field(n),
                    "must not be negative",
                )),
                Some(m) => Ok(money_kurus(m)),
                None => Ok(0),
            }
        };
        let sms = nonneg(self.fees.sms, "fees.sms")?;
        let cod_max = self
            .fees
            .cod_max
            .map(|m| nonneg(Some(m), "fees.cod_max"))
            .transpose()?;
        let insurance_micro = micro(
            self.fees.insurance_percent.unwrap_or_default(),
            "fees.insurance_percent",
        )?;
        let discount_micro = micro(
            self.discount
                .as_ref()
                .map(|d| d.percent)
                .unwrap_or_default(),
            "discount.percent",
        )?;
        let kdv_micro = micro(self.kdv_percent, "kdv_percent")?;
        let step = self.tariff.rule().step;
        let step_units = if step > Decimal::ZERO {
            desi_units_ceil(step).max(1)
        } else {
            0
        };
        let id = self
            .id
            .unwrap_or_else(|| match (&self.kind, &self.company) {
                (AgreementKind::Own, Some(c)) => format!("own:{c}:{}", self.tariff.id()),
                _ => format!("platform:{}", self.tariff.id()),
            });
        Ok(Agreement {
            id: id.into(),
            kind: self.kind,
            company: self.company,
            account: self.account,
            tariff: self.tariff,
            fees: self.fees,
            discount: self.discount,
            kdv_percent: self.kdv_percent,
            fast: Fast {
                commission_micro,
                kdv_micro,
                cod,
                cod_max,
                sms,
                insurance_micro,
                discount_micro,
                step_units,
            },
        })
    }
}
