//! Splitting an amount the seller pays into the platform accounts it belongs to. A component
//! may be negative (a discount larger than the commission): the seller then pays the net, and
//! the negative account pays the shortfall of the others, so no transfer is ever negative.

use super::account::PlatformAccount;
use super::transfer::LineKind;
use crate::error::{Code, Error, Result};
use crate::money::Money;

/// One component: the platform account, its statement line and its (signed) amount.
pub type Component = (PlatformAccount, LineKind, Money);

/// The result of a split.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Split {
    /// What the seller pays into each account (positive amounts summing to the net).
    pub seller: Vec<Component>,
    /// Transfers between platform accounts: `(from, to, line, amount)`.
    pub adjust: Vec<(PlatformAccount, PlatformAccount, LineKind, Money)>,
}

/// Splits components whose sum is not negative.
pub fn split(components: &[Component]) -> Result<Split> {
    let mut total = Money::zero();
    for c in components {
        total = total.checked_add(c.2)?;
    }
    if total.is_negative() {
        return Err(Error::invalid(
            Code::WalletNonPositiveAmount,
            "amount",
            format!("the parts add up to {}", total.to_turkish()),
        ));
    }
    let mut negatives: Vec<(PlatformAccount, LineKind, Money)> = components
        .iter()
        .filter(|c| c.2.is_negative())
        .map(|c| (c.0, c.1, -c.2))
        .collect();
    let mut left = total;
    let mut out = Split::default();
    for (acct, line, amount) in components
        .iter()
        .filter(|c| c.2.amount > rust_decimal::Decimal::ZERO)
    {
        let from_seller = if left.amount < amount.amount {
            left
        } else {
            *amount
        };
        left = left.checked_sub(from_seller)?;
        if !from_seller.is_zero() {
            out.seller.push((*acct, *line, from_seller));
        }
        let mut short = amount.checked_sub(from_seller)?;
        for n in negatives.iter_mut() {
            if short.is_zero() {
                break;
            }
            let take = if n.2.amount < short.amount {
                n.2
            } else {
                short
            };
            if take.is_zero() {
                continue;
            }
            n.2 = n.2.checked_sub(take)?;
            short = short.checked_sub(take)?;
            out.adjust.push((n.0, *acct, n.1, take));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn m(d: rust_decimal::Decimal) -> Money {
        Money::try_lira(d)
    }

    #[test]
    fn positive_parts_go_straight() {
        let s = split(&[
            (
                PlatformAccount::CarrierPayable,
                LineKind::Freight,
                m(dec!(100)),
            ),
            (
                PlatformAccount::CommissionRevenue,
                LineKind::Commission,
                m(dec!(10)),
            ),
            (PlatformAccount::KdvPayable, LineKind::Kdv, m(dec!(22))),
        ]);
        let s = s.unwrap_or_default();
        assert_eq!(s.seller.len(), 3);
        assert!(s.adjust.is_empty());
    }

    #[test]
    fn a_negative_commission_is_paid_by_the_platform() {
        let s = split(&[
            (
                PlatformAccount::CarrierPayable,
                LineKind::Freight,
                m(dec!(100)),
            ),
            (
                PlatformAccount::CommissionRevenue,
                LineKind::Commission,
                m(dec!(-1)),
            ),
            (PlatformAccount::KdvPayable, LineKind::Kdv, m(dec!(19.80))),
        ])
        .unwrap_or_default();
        let seller: rust_decimal::Decimal = s.seller.iter().map(|c| c.2.amount).sum();
        assert_eq!(seller, dec!(118.80));
        assert_eq!(
            s.adjust,
            vec![(
                PlatformAccount::CommissionRevenue,
                PlatformAccount::KdvPayable,
                LineKind::Commission,
                m(dec!(1))
            )]
        );
        // The carrier still gets its 100 and the tax office its 19.80.
        assert_eq!(
            s.seller[0],
            (
                PlatformAccount::CarrierPayable,
                LineKind::Freight,
                m(dec!(100))
            )
        );
    }

    #[test]
    fn a_negative_total_is_refused() {
        assert!(
            split(&[(
                PlatformAccount::CarrierPayable,
                LineKind::Freight,
                m(dec!(-1))
            )])
            .is_err()
        );
    }
}
