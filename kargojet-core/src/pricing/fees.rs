//! Fees on top of freight: cash-on-delivery (a percentage with a minimum, or a band table),
//! SMS and insurance, and the referral/channel discount.

use super::units::{money_kurus, percent_micro, percent_of_kurus};
use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use crate::money::Money;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One band of a COD fee table: amounts up to `upper` (inclusive; `None` = no upper bound) pay
/// `fixed` plus `percent` % of the amount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CodFeeBand {
    /// Inclusive upper bound of the COD amount, lira.
    pub upper: Option<Decimal>,
    /// Fixed fee, VAT-exclusive.
    pub fixed: Money,
    /// Percentage of the COD amount added to the fixed fee (e.g. `1.1` for 1.1 %).
    pub percent: Decimal,
}

/// How a COD fee is computed (VAT-exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum CodFee {
    /// `max(amount × percent / 100, min)`.
    Percent {
        /// Percentage.
        percent: Decimal,
        /// Minimum fee.
        min: Money,
    },
    /// A band table, bands ascending by upper bound.
    Bands(Vec<CodFeeBand>),
}

/// A [`CodFee`] compiled for the hot path (kuruş and micro-percent integers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CodFeeFast {
    Percent {
        micro: i64,
        min: i64,
    },
    Bands(Vec<(i64, i64, i64)>), // (upper kuruş or i64::MAX, fixed kuruş, micro-percent)
    /// Up to [`SMALL_BANDS`] bands in fixed arrays (upper bounds padded with `i64::MAX`), so
    /// the band is found by a fully unrolled count.
    SmallBands {
        uppers: [i64; SMALL_BANDS],
        fixed: [i64; SMALL_BANDS],
        micro: [i64; SMALL_BANDS],
        last: usize,
    },
}

/// The most COD bands kept in [`CodFeeFast::SmallBands`].
const SMALL_BANDS: usize = 8;

impl CodFee {
    /// Checks the fee (no negative values, bands ascending, last band open or covering all).
    pub fn validate(&self, field: &str) -> Result<()> {
        match self {
            CodFee::Percent { percent, min } => {
                if percent.is_sign_negative() || min.is_negative() {
                    return Err(Error::invalid(
                        Code::RequestInvalidAmount,
                        field,
                        "COD fee must not be negative",
                    ));
                }
            }
            CodFee::Bands(bands) => {
                if bands.is_empty() {
                    return Err(Error::invalid(
                        Code::RequestInvalidAmount,
                        field,
                        "COD band table is empty",
                    ));
                }
                let mut prev: Option<Decimal> = None;
                for (i, b) in bands.iter().enumerate() {
                    if b.fixed.is_negative() || b.percent.is_sign_negative() {
                        return Err(Error::invalid(
                            Code::RequestInvalidAmount,
                            format!("{field}[{i}]"),
                            "COD fee must not be negative",
                        ));
                    }
                    match (prev, b.upper) {
                        (Some(p), Some(u)) if u <= p => {
                            return Err(Error::invalid(
                                Code::RequestInvalidAmount,
                                format!("{field}[{i}].upper"),
                                format!("{u} is not above {p}"),
                            ));
                        }
                        _ => {}
                    }
                    if b.upper.is_none() && i + 1 != bands.len() {
                        return Err(Error::invalid(
                            Code::RequestInvalidAmount,
                            format!("{field}[{i}].upper"),
                            "only the last band may be open",
                        ));
                    }
                    prev = b.upper;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn compile(&self, field: &str) -> Result<CodFeeFast> {
        self.validate(field)?;
        let micro = |p: Decimal| {
            percent_micro(p).ok_or_else(|| {
                Error::invalid(
                    Code::RequestInvalidAmount,
                    field,
                    format!("percent {p} has too many decimals"),
                )
            })
        };
        Ok(match self {
            CodFee::Percent { percent, min } => CodFeeFast::Percent {
                micro: micro(*percent)?,
                min: money_kurus(*min),
            },
            CodFee::Bands(bands) => {
                let bands = bands
                    .iter()
                    .map(|b| {
                        Ok((
                            b.upper
                                .map(|u| money_kurus(Money::try_lira(u)))
                                .unwrap_or(i64::MAX),
                            money_kurus(b.fixed),
                            micro(b.percent)?,
                        ))
                    })
                    .collect::<Result<Vec<_>>>()?;
                if (1..=SMALL_BANDS).contains(&bands.len()) {
                    let mut uppers = [i64::MAX; SMALL_BANDS];
                    let mut fixed = [0; SMALL_BANDS];
                    let mut micro = [0; SMALL_BANDS];
                    for (i, (u, f, m)) in bands.iter().enumerate() {
                        uppers[i] = *u;
                        fixed[i] = *f;
                        micro[i] = *m;
                    }
                    CodFeeFast::SmallBands {
                        uppers,
                        fixed,
                        micro,
                        last: bands.len() - 1,
                    }
                } else {
                    CodFeeFast::Bands(bands)
                }
            }
        })
    }

    /// The fee for a COD amount, rounded to the kuruş (half-up).
    pub fn fee(&self, amount: Money) -> Result<Money> {
        Ok(Money::from_kurus(
            self.compile("cod_fee")?.fee_kurus(money_kurus(amount)),
        ))
    }
}

impl CodFeeFast {
    #[inline(always)]
    pub(crate) fn fee_kurus(&self, amount: i64) -> i64 {
        match self {
            CodFeeFast::Percent { micro, min } => percent_of_kurus(amount, *micro).max(*min),
            CodFeeFast::Bands(bands) => {
                // The band is the number of upper bounds the amount is above (past a closed
                // last band, the last band's rule applies), counted without branches: the
                // amount varies from shipment to shipment, and a band-by-band search costs a
                // mispredicted branch per carrier.
                let above: usize = bands.iter().map(|b| usize::from(amount > b.0)).sum();
                match bands.get(above.min(bands.len().saturating_sub(1))) {
                    Some((_, fixed, micro)) => fixed + percent_of_kurus(amount, *micro),
                    None => 0,
                }
            }
            CodFeeFast::SmallBands {
                uppers,
                fixed,
                micro,
                last,
            } => {
                let above: usize = uppers.iter().map(|u| usize::from(amount > *u)).sum();
                let band = above.min(*last);
                fixed[band] + percent_of_kurus(amount, micro[band])
            }
        }
    }
}

/// The fees of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Fees {
    /// COD fee; `None` means the agreement offers no COD.
    pub cod: Option<CodFee>,
    /// Largest COD amount the carrier accepts under this agreement.
    pub cod_max: Option<Money>,
    /// SMS notification fee per shipment.
    pub sms: Option<Money>,
    /// Insurance as a percentage of the insured value.
    pub insurance_percent: Option<Decimal>,
}

/// A referral or sales-channel discount on the freight (cost + commission).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discount {
    /// Percentage off the freight.
    pub percent: Decimal,
    /// What it is for (shown on the breakdown), e.g. `referral:ACME`.
    pub label: String,
}

/// The COD fee table of `cod-fees.csv` (`carrier,percent,min_try,max_cod_try,source`): per
/// carrier a percentage with a minimum, and the COD cap.
pub fn cod_fees_from_csv(text: &str) -> Result<BTreeMap<CarrierId, (CodFee, Option<Money>)>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = BTreeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let row = i + 2;
        let rec = rec.map_err(|e| {
            Error::invalid(
                Code::RequestInvalidAmount,
                format!("cod_fees.row[{row}]"),
                e.to_string(),
            )
        })?;
        let get = |c: usize| rec.get(c).unwrap_or("").trim();
        let dec = |c: usize, name: &str| -> Result<Option<Decimal>> {
            if get(c).is_empty() {
                return Ok(None);
            }
            get(c).parse::<Decimal>().map(Some).map_err(|_| {
                Error::invalid(
                    Code::RequestInvalidAmount,
                    format!("cod_fees.row[{row}].{name}"),
                    format!("'{}' is not a number", get(c)),
                )
            })
        };
        let fee = CodFee::Percent {
            percent: dec(1, "percent")?.unwrap_or_default(),
            min: Money::try_lira(dec(2, "min_try")?.unwrap_or_default()),
        };
        fee.validate(&format!("cod_fees.row[{row}]"))?;
        out.insert(
            CarrierId::parse(get(0)),
            (fee, dec(3, "max_cod_try")?.map(Money::try_lira)),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn percent_with_minimum() {
        let f = CodFee::Percent {
            percent: dec!(1.5),
            min: Money::try_lira(dec!(15)),
        };
        assert_eq!(
            f.fee(Money::try_lira(dec!(100))).ok(),
            Some(Money::try_lira(dec!(15)))
        );
        assert_eq!(
            f.fee(Money::try_lira(dec!(1250))).ok(),
            Some(Money::try_lira(dec!(18.75)))
        );
        assert_eq!(
            f.fee(Money::try_lira(dec!(1333.33))).ok(),
            Some(Money::try_lira(dec!(20.00)))
        );
    }

    #[test]
    fn band_table() {
        let f = CodFee::Bands(vec![
            CodFeeBand {
                upper: Some(dec!(250)),
                fixed: Money::try_lira(dec!(15)),
                percent: dec!(0),
            },
            CodFeeBand {
                upper: Some(dec!(5000)),
                fixed: Money::try_lira(dec!(24)),
                percent: dec!(0),
            },
            CodFeeBand {
                upper: None,
                fixed: Money::try_lira(dec!(60)),
                percent: dec!(1),
            },
        ]);
        assert_eq!(
            f.fee(Money::try_lira(dec!(149.9))).ok(),
            Some(Money::try_lira(dec!(15)))
        );
        assert_eq!(
            f.fee(Money::try_lira(dec!(7999))).ok(),
            Some(Money::try_lira(dec!(139.99)))
        );
        let bad = CodFee::Bands(vec![
            CodFeeBand {
                upper: None,
                fixed: Money::zero(),
                percent: dec!(0),
            },
            CodFeeBand {
                upper: Some(dec!(1)),
                fixed: Money::zero(),
                percent: dec!(0),
            },
        ]);
        assert!(bad.validate("x").is_err());
    }

    #[test]
    fn shared_cod_file_loads() {
        let t = cod_fees_from_csv(include_str!("../../data/cod-fees.csv"));
        let t = t.unwrap_or_default();
        assert_eq!(t.len(), 8);
        assert_eq!(
            t.get(&CarrierId::Sendeo).and_then(|(_, cap)| *cap),
            Some(Money::try_lira(dec!(5000)))
        );
    }
}
