//! Pricing a shipment again with the agreement it was bought under: for the desi-difference
//! reserve (the price of the next desi band) and for reconciliation with the measured desi.

use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::pricing::{Agreement, Offer, PriceBreakdown, PriceInput, Route};
use crate::shipment::ShipmentRequest;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How large the desi-difference reserve held with a platform-agreement shipment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "rule", content = "value")]
pub enum ReserveRule {
    /// A percentage of the offer's total.
    Percent(Decimal),
    /// What the shipment would cost more one desi band higher.
    NextBand,
}

/// The route of a request.
pub fn route_of(request: &ShipmentRequest) -> Route {
    Route::between(
        request.sender.address.plate,
        request.recipient.address.plate,
    )
}

/// The price of `request` at `billable` desi under `agreement` (same COD, SMS, insurance).
pub fn price_at(
    agreement: &Agreement,
    request: &ShipmentRequest,
    billable: Decimal,
) -> Result<PriceBreakdown> {
    let input = PriceInput::new(route_of(request), billable)
        .with_cod(request.cod.map(|c| c.amount))
        .with_sms(request.sms)
        .with_insurance(request.insured_value);
    agreement.price(&input)
}

/// The billable value of the next desi band above the offer's.
pub fn next_band(
    agreement: &Agreement,
    request: &ShipmentRequest,
    declared: Decimal,
) -> Result<Decimal> {
    let tariff = agreement.tariff();
    let zone = tariff.zone_of(&route_of(request)).ok_or_else(|| {
        Error::not_found(
            Code::NotFoundTariff,
            format!("tariff {} has no zone for the route", tariff.id()),
        )
    })?;
    let step = tariff.rule().step;
    Ok(match tariff.band_upper(zone, declared) {
        Some(upper) => {
            upper
                + if step > Decimal::ZERO {
                    step
                } else {
                    Decimal::new(1, 3)
                }
        }
        None => declared + step.max(Decimal::ONE),
    })
}

/// The reserve for an offer, rounded to the kuruş; zero when no higher band is priced.
pub fn reserve_amount(
    rule: ReserveRule,
    agreement: &Agreement,
    offer: &Offer,
    request: &ShipmentRequest,
) -> Result<Money> {
    match rule {
        ReserveRule::Percent(p) => {
            if p.is_sign_negative() || p > Decimal::ONE_HUNDRED {
                return Err(Error::invalid(
                    Code::RequestInvalidConfig,
                    "funding.reserve",
                    format!("{p} % must be within 0–100"),
                ));
            }
            Ok(offer.breakdown.total.percent(p).round_kurus())
        }
        ReserveRule::NextBand => {
            let next = next_band(agreement, request, offer.billable_desi)?;
            match price_at(agreement, request, next) {
                Ok(b) => Ok(b
                    .total
                    .checked_sub(offer.breakdown.total)?
                    .max(Money::zero())
                    .round_kurus()),
                Err(e) if e.code() == Code::NotFoundTariff => Ok(Money::zero()),
                Err(e) => Err(e),
            }
        }
    }
}

/// KDV of a COD fee at the agreement's rate, rounded to the kuruş.
pub fn cod_fee_kdv(fee: Money, kdv_percent: Decimal) -> Money {
    fee.percent(kdv_percent).round_kurus()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::address::{Address, Party};
    use crate::carrier::CarrierId;
    use crate::parcel::Parcel;
    use crate::pricing::{Tariff, ZoneKey};
    use rust_decimal_macros::dec;
    use std::sync::Arc;

    fn setup() -> Option<(Agreement, ShipmentRequest)> {
        let z = ZoneKey::All;
        let t = Tariff::builder("t", CarrierId::Aras)
            .band(z, dec!(0), dec!(3), dec!(60))
            .band(z, dec!(3), dec!(5), dec!(70))
            .build()
            .ok()?;
        let a = Agreement::platform(Arc::new(t)).build().ok()?;
        let p = |city: &str, district: &str| {
            Party::parse(
                "Ada Yılmaz",
                "05321234567",
                Address::parse(city, district, "Moda Cad. No 1", "x").ok()?,
                "x",
            )
            .ok()
        };
        let req = ShipmentRequest {
            sender: p("İstanbul", "Kadıköy")?,
            recipient: p("Ankara", "Çankaya")?,
            parcels: vec![Parcel::new(dec!(10), dec!(10), dec!(10), dec!(1))],
            cod: None,
            order_id: None,
            description: None,
            sms: false,
            insured_value: None,
        };
        Some((a, req))
    }

    #[test]
    fn the_next_band_starts_above_the_current_one() {
        let Some((a, req)) = setup() else {
            panic!("set-up failed")
        };
        assert_eq!(next_band(&a, &req, dec!(2)).ok(), Some(dec!(4)));
        // Above the last band (no extra-desi price): one more desi, which has no price.
        assert_eq!(next_band(&a, &req, dec!(5)).ok(), Some(dec!(6)));
        assert!(price_at(&a, &req, dec!(6)).is_err());
        assert_eq!(
            cod_fee_kdv(Money::try_lira(dec!(18.75)), dec!(20)),
            Money::try_lira(dec!(3.75))
        );
    }
}
