//! Pricing: tariffs (desi bands × zones), agreements (platform + commission, or the seller's
//! own contract), fees, the price breakdown, transit days and the selection policy.
//!
//! Every quote is priced locally (none of the eight carriers has a rate API); the
//! orchestrator adds live rates for carriers that have one.

mod agreement;
mod breakdown;
mod defaults;
mod fees;
mod offer;
mod policy;
mod tariff;
mod transit;
mod units;

#[cfg(test)]
mod tests;

pub(crate) use agreement::KurusLines;
pub use agreement::{
    Agreement, AgreementBuilder, AgreementKind, DEFAULT_COMMISSION_PERCENT, KDV_PERCENT, PriceInput,
};
pub use breakdown::{BreakdownLine, PriceBreakdown};
pub use defaults::{illustrative_platform_agreements, illustrative_tariffs, transit_days};
pub use fees::{CodFee, CodFeeBand, Discount, Fees, cod_fees_from_csv};
pub use offer::{
    CarrierFailure, Exclusion, Offer, Quote, RankedBatch, RankedOffer, RankedQuote, agreement_of,
};
pub use policy::{Rank, SelectionPolicy};
pub use tariff::{Route, Tariff, TariffBuilder, ZoneIdx, ZoneKey};
pub use transit::{TransitDays, TransitTable};

/// The illustrative 2025 tariffs of every carrier (`tariffs-2025.csv`), compiled in for demos
/// and tests. Not real prices: say so wherever they are shown.
pub const ILLUSTRATIVE_TARIFFS_CSV: &str = include_str!("../../data/tariffs-2025.csv");
/// Illustrative COD fees (`cod-fees.csv`).
pub const ILLUSTRATIVE_COD_FEES_CSV: &str = include_str!("../../data/cod-fees.csv");
/// Transit days (`transit-days.csv`), partly published, partly illustrative.
pub const TRANSIT_DAYS_CSV: &str = include_str!("../../data/transit-days.csv");
