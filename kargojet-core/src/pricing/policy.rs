//! Selection policies: how offers are ranked and which carriers are excluded, with a coded
//! reason for each exclusion.

use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// What to rank by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    /// Lowest total first; ties by fewer transit days, then carrier id.
    #[default]
    Cheapest,
    /// Fewest (max, then min) transit days first; ties by total, then carrier id.
    Fastest,
}

/// The seller's rules for choosing a carrier.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SelectionPolicy {
    /// Ranking.
    pub rank: Rank,
    /// Carriers ranked ahead of the others (in this order of preference among equals).
    pub preferred: Vec<CarrierId>,
    /// Only preferred carriers may be chosen.
    pub only_preferred: bool,
    /// Carriers never chosen.
    pub excluded: Vec<CarrierId>,
    /// Only carriers that offer cash on delivery.
    pub cod_required: bool,
    /// Largest billable desi accepted.
    pub max_desi: Option<Decimal>,
    /// May `ship` fail over to the next offer when a carrier certainly did not create it.
    pub no_failover: bool,
}

impl SelectionPolicy {
    /// Checks the policy against the registered carriers: an unknown carrier, a carrier both
    /// preferred and excluded, or `only_preferred` with no preferred carrier is an error.
    pub fn validate(&self, known: &[CarrierId]) -> Result<()> {
        for (list, name) in [(&self.preferred, "preferred"), (&self.excluded, "excluded")] {
            for (i, c) in list.iter().enumerate() {
                if !known.contains(c) {
                    return Err(Error::invalid(
                        Code::RequestUnknownCarrier,
                        format!("policy.{name}[{i}]"),
                        format!("carrier '{c}' is not registered"),
                    ));
                }
            }
        }
        if let Some((i, c)) = self
            .preferred
            .iter()
            .enumerate()
            .find(|(_, c)| self.excluded.contains(c))
        {
            return Err(Error::invalid(
                Code::RequestInvalidPolicy,
                format!("policy.preferred[{i}]"),
                format!("'{c}' is both preferred and excluded"),
            ));
        }
        if self.only_preferred && self.preferred.is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidPolicy,
                "policy.only_preferred",
                "no preferred carrier given",
            ));
        }
        if let Some(m) = self.max_desi {
            if m <= Decimal::ZERO {
                return Err(Error::invalid(
                    Code::RequestInvalidPolicy,
                    "policy.max_desi",
                    "must be positive",
                ));
            }
        }
        Ok(())
    }

    /// Preference rank of a carrier (0 = most preferred, `len` = not preferred).
    pub(crate) fn preference(&self, c: &CarrierId) -> usize {
        self.preferred
            .iter()
            .position(|p| p == c)
            .unwrap_or(self.preferred.len())
    }
}
