//! The price breakdown of an offer: lines that add up exactly to the total.

use crate::money::{Money, ROUNDING_RULE};
use serde::{Deserialize, Serialize};

/// What an offer costs, line by line. Every line is rounded to the kuruş (half-up) where it is
/// computed; KDV is computed on the sum of the rounded VAT-exclusive lines; the total is the
/// exact sum of the lines, so they always add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PriceBreakdown {
    /// The carrier's freight cost from the tariff (VAT-exclusive).
    pub cost: Money,
    /// The platform's commission on the cost (zero for the seller's own agreement).
    pub commission: Money,
    /// Cash-on-delivery fee.
    pub cod_fee: Money,
    /// SMS notification fee.
    pub sms_fee: Money,
    /// Insurance fee.
    pub insurance_fee: Money,
    /// Referral or channel discount (zero or negative).
    pub discount: Money,
    /// KDV (VAT) on the lines above.
    pub kdv: Money,
    /// What the seller pays: the sum of every line.
    pub total: Money,
}

/// One named line of a breakdown, for display and export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownLine {
    /// Line id: `cost`, `commission`, `cod_fee`, `sms_fee`, `insurance_fee`, `discount`, `kdv`.
    pub kind: &'static str,
    /// Amount.
    pub amount: Money,
}

impl PriceBreakdown {
    /// Builds a breakdown from kuruş lines and the KDV rate (micro-percent).
    pub(crate) fn from_kurus(
        cost: i64,
        commission: i64,
        cod: i64,
        sms: i64,
        insurance: i64,
        discount: i64,
        kdv_micro: i64,
    ) -> PriceBreakdown {
        let net = cost + commission + cod + sms + insurance + discount;
        let kdv = super::units::percent_of_kurus(net, kdv_micro);
        PriceBreakdown {
            cost: Money::from_kurus(cost),
            commission: Money::from_kurus(commission),
            cod_fee: Money::from_kurus(cod),
            sms_fee: Money::from_kurus(sms),
            insurance_fee: Money::from_kurus(insurance),
            discount: Money::from_kurus(discount),
            kdv: Money::from_kurus(kdv),
            total: Money::from_kurus(net + kdv),
        }
    }

    /// The lines in display order (zero lines included; filter as needed).
    pub fn lines(&self) -> [BreakdownLine; 7] {
        [
            BreakdownLine {
                kind: "cost",
                amount: self.cost,
            },
            BreakdownLine {
                kind: "commission",
                amount: self.commission,
            },
            BreakdownLine {
                kind: "cod_fee",
                amount: self.cod_fee,
            },
            BreakdownLine {
                kind: "sms_fee",
                amount: self.sms_fee,
            },
            BreakdownLine {
                kind: "insurance_fee",
                amount: self.insurance_fee,
            },
            BreakdownLine {
                kind: "discount",
                amount: self.discount,
            },
            BreakdownLine {
                kind: "kdv",
                amount: self.kdv,
            },
        ]
    }

    /// VAT-exclusive subtotal.
    pub fn net(&self) -> Money {
        self.total - self.kdv
    }

    /// The rounding rule every line follows.
    pub fn rounding(&self) -> &'static str {
        ROUNDING_RULE
    }

    /// Freight the platform keeps vs pays the carrier: (carrier payable, commission).
    pub fn freight_split(&self) -> (Money, Money) {
        (self.cost, self.commission)
    }
}
