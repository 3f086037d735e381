//! Parcels: dimensions in centimetres, weight in kilograms, desi (volumetric weight) and the
//! billable weight a tariff is priced on.

use crate::error::{Code, Error, Result};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// The usual desi divisor in Türkiye: l × w × h (cm) / 3000.
pub const DEFAULT_DESI_DIVISOR: u32 = 3000;

/// One parcel (koli) of a shipment.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parcel {
    /// Length in cm.
    pub length_cm: Decimal,
    /// Width in cm.
    pub width_cm: Decimal,
    /// Height in cm.
    pub height_cm: Decimal,
    /// Actual weight in kg.
    pub weight_kg: Decimal,
}

impl Parcel {
    /// A parcel from dimensions (cm) and weight (kg); see [`Parcel::validate`].
    pub fn new(
        length_cm: Decimal,
        width_cm: Decimal,
        height_cm: Decimal,
        weight_kg: Decimal,
    ) -> Parcel {
        Parcel {
            length_cm,
            width_cm,
            height_cm,
            weight_kg,
        }
    }

    /// Checks that every dimension and the weight are positive and sane (≤ 500 cm, ≤ 1000 kg).
    /// `field` is the path of this parcel in the request, e.g. `parcels[0]`.
    pub fn validate(&self, field: &str) -> Result<()> {
        self.validate_at(|| field.to_string())
    }

    /// [`Parcel::validate`] with the field path built only when there is an error.
    pub fn validate_at(&self, field: impl Fn() -> String) -> Result<()> {
        for (name, v) in [
            ("length_cm", self.length_cm),
            ("width_cm", self.width_cm),
            ("height_cm", self.height_cm),
        ] {
            if v <= Decimal::ZERO || v > Decimal::from(500) {
                return Err(Error::invalid(
                    Code::RequestInvalidDimensions,
                    format!("{}.{name}", field()),
                    format!("{v} cm must be > 0 and ≤ 500"),
                ));
            }
        }
        if self.weight_kg <= Decimal::ZERO || self.weight_kg > Decimal::from(1000) {
            return Err(Error::invalid(
                Code::RequestInvalidWeight,
                format!("{}.weight_kg", field()),
                format!("{} kg must be > 0 and ≤ 1000", self.weight_kg),
            ));
        }
        Ok(())
    }

    /// Desi with the default divisor (3000).
    pub fn desi(&self) -> Decimal {
        self.desi_with(DEFAULT_DESI_DIVISOR)
    }

    /// Desi = l × w × h / divisor, unrounded.
    pub fn desi_with(&self, divisor: u32) -> Decimal {
        let divisor = Decimal::from(divisor.max(1));
        self.length_cm * self.width_cm * self.height_cm / divisor
    }

    /// Billable weight of this parcel: the larger of kg and desi, unrounded.
    pub fn billable_with(&self, divisor: u32) -> Decimal {
        self.desi_with(divisor).max(self.weight_kg)
    }
}

/// How a carrier turns parcels into the value its tariff is priced on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DesiRule {
    /// Desi divisor (3000 unless the carrier says otherwise).
    pub divisor: u32,
    /// Rounding step of the billable value: 1 (whole desi) by default, 0.5 for PTT counters,
    /// 0 for no rounding.
    pub step: Decimal,
}

impl Default for DesiRule {
    fn default() -> Self {
        DesiRule {
            divisor: DEFAULT_DESI_DIVISOR,
            step: Decimal::ONE,
        }
    }
}

impl DesiRule {
    /// Billable value of a shipment: the sum over its parcels of max(kg, desi), rounded up to
    /// the step. Kept to 1/1000 desi (each parcel's desi rounded up to that precision).
    pub fn billable(&self, parcels: &[Parcel]) -> Decimal {
        Decimal::new(self.billable_units(parcels), 3).normalize()
    }

    /// [`DesiRule::billable`] in 1/1000 desi, computed with exact integer arithmetic when every
    /// value has at most 3 decimals (the usual case), else with decimals.
    #[inline]
    pub fn billable_units(&self, parcels: &[Parcel]) -> i64 {
        let mut total: i64 = 0;
        for p in parcels {
            let per = match (
                milli(p.length_cm),
                milli(p.width_cm),
                milli(p.height_cm),
                milli(p.weight_kg),
            ) {
                (Some(l), Some(w), Some(h), Some(kg)) if l > 0 && w > 0 && h > 0 => {
                    // volume in mm³-like units (milli-cm cubed) / (divisor × 10⁶) = milli-desi.
                    let den = u64::from(self.divisor.max(1)) * 1_000_000;
                    let vol = l.checked_mul(w).and_then(|lw| lw.checked_mul(h));
                    let desi = match vol {
                        Some(v) => i64::try_from(milli_desi_of_volume(v, self.divisor))
                            .unwrap_or(i64::MAX / 4),
                        None => {
                            let v = u128::from(l) * u128::from(w) * u128::from(h);
                            i64::try_from(v.div_ceil(u128::from(den))).unwrap_or(i64::MAX / 4)
                        }
                    };
                    desi.max(i64::try_from(kg).unwrap_or(i64::MAX / 4))
                }
                _ => {
                    let b = p.billable_with(self.divisor) * Decimal::from(1000);
                    b.ceil().to_i64().unwrap_or(i64::MAX / 4)
                }
            };
            total = total.saturating_add(per);
        }
        let step = match milli(self.step) {
            Some(m) => i64::try_from(m).unwrap_or(0),
            None => (self.step * Decimal::from(1000))
                .ceil()
                .to_i64()
                .unwrap_or(0),
        };
        if step > 0 {
            ((total + step - 1) / step).saturating_mul(step)
        } else {
            total
        }
    }

    /// Sum of desi (not kg) over the parcels, unrounded.
    pub fn total_desi(&self, parcels: &[Parcel]) -> Decimal {
        parcels.iter().map(|p| p.desi_with(self.divisor)).sum()
    }
}

/// A non-negative value with at most 3 decimals as an integer in thousandths.
#[inline]
fn milli(d: Decimal) -> Option<u64> {
    let scale = d.scale();
    if scale > 3 || d.is_sign_negative() {
        return None;
    }
    let m = u64::try_from(d.mantissa()).ok()?;
    m.checked_mul([1000, 100, 10, 1][scale as usize])
}

/// `ceil(volume / (divisor × 10⁶))`: milli-desi of a volume in milli-cm cubed. The usual
/// divisors are spelled out so the division compiles to a multiply.
#[inline]
fn milli_desi_of_volume(volume: u64, divisor: u32) -> u64 {
    match divisor {
        3000 => volume.div_ceil(3_000_000_000),
        4000 => volume.div_ceil(4_000_000_000),
        5000 => volume.div_ceil(5_000_000_000),
        6000 => volume.div_ceil(6_000_000_000),
        d => volume.div_ceil(u64::from(d.max(1)) * 1_000_000),
    }
}

/// Rounds `value` up to the next multiple of `step`; a step of zero (or less) means no rounding
/// (the exact value is priced, as some contract tariffs do above their last band).
pub fn round_up_to_step(value: Decimal, step: Decimal) -> Decimal {
    if step <= Decimal::ZERO {
        return value;
    }
    let units = (value / step).ceil();
    (units * step).normalize()
}

/// Billable value as an `f64` for display only (never for money).
pub fn billable_display(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rust_decimal_macros::dec;

    #[test]
    fn desi_and_billable() {
        let p = Parcel::new(dec!(30), dec!(20), dec!(10), dec!(1.2));
        assert_eq!(p.desi(), dec!(2));
        assert_eq!(p.billable_with(3000), dec!(2));
        let rule = DesiRule::default();
        assert_eq!(
            rule.billable(&[
                p.clone(),
                Parcel::new(dec!(10), dec!(10), dec!(10), dec!(3.1))
            ]),
            dec!(6)
        );
        let ptt = DesiRule {
            divisor: 3000,
            step: dec!(0.5),
        };
        assert_eq!(
            ptt.billable(&[Parcel::new(dec!(10), dec!(10), dec!(10), dec!(0.3))]),
            dec!(0.5)
        );
        assert_eq!(round_up_to_step(dec!(1.01), dec!(1)), dec!(2));
        assert_eq!(round_up_to_step(dec!(1.0), dec!(1)), dec!(1));
    }

    #[test]
    fn bad_parcels_are_rejected_with_field_path() {
        let e = Parcel::new(dec!(0), dec!(20), dec!(10), dec!(1))
            .validate("parcels[2]")
            .err();
        assert_eq!(
            e.as_ref().and_then(|e| e.field()),
            Some("parcels[2].length_cm")
        );
        assert_eq!(e.map(|e| e.code()), Some(Code::RequestInvalidDimensions));
        let e = Parcel::new(dec!(1), dec!(20), dec!(10), dec!(-1))
            .validate("parcels[0]")
            .err();
        assert_eq!(e.map(|e| e.code()), Some(Code::RequestInvalidWeight));
    }

    fn dim() -> impl Strategy<Value = Decimal> {
        (1u32..20000).prop_map(|n| Decimal::new(i64::from(n), 2))
    }

    proptest! {
        #[test]
        fn desi_is_monotone_in_every_dimension(l in dim(), w in dim(), h in dim(), kg in dim(), extra in dim()) {
            let base = Parcel::new(l, w, h, kg);
            for bigger in [Parcel::new(l + extra, w, h, kg), Parcel::new(l, w + extra, h, kg), Parcel::new(l, w, h + extra, kg)] {
                prop_assert!(bigger.desi() >= base.desi());
            }
        }

        #[test]
        fn billable_is_at_least_kg_and_desi(l in dim(), w in dim(), h in dim(), kg in dim(), step in prop_oneof![Just(dec!(1)), Just(dec!(0.5))]) {
            let p = Parcel::new(l, w, h, kg);
            let rule = DesiRule { divisor: 3000, step };
            let b = rule.billable(std::slice::from_ref(&p));
            prop_assert!(b >= kg);
            prop_assert!(b >= p.desi());
            prop_assert!(b - p.billable_with(3000) < step);
        }
    }
}
