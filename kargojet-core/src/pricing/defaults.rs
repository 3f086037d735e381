//! Ready-made agreements on the compiled-in illustrative data, for demos, sandboxes and tests.
//! The prices are estimates, not published tariffs: whatever shows them must say so.

use super::{Agreement, Fees, Tariff, TransitTable, cod_fees_from_csv};
use super::{ILLUSTRATIVE_COD_FEES_CSV, ILLUSTRATIVE_TARIFFS_CSV, TRANSIT_DAYS_CSV};
use crate::error::Result;
use std::sync::Arc;

/// The illustrative tariffs of the eight carriers (the `ptt_counter` walk-in tariff left out).
pub fn illustrative_tariffs() -> Result<Vec<Arc<Tariff>>> {
    Ok(Tariff::from_csv(ILLUSTRATIVE_TARIFFS_CSV)?
        .into_iter()
        .filter(|t| t.service().is_none())
        .map(Arc::new)
        .collect())
}

/// A platform agreement (10 % commission) per carrier on the illustrative tariffs, with the
/// illustrative COD fees and caps of `cod-fees.csv`.
pub fn illustrative_platform_agreements() -> Result<Vec<Agreement>> {
    let cod = cod_fees_from_csv(ILLUSTRATIVE_COD_FEES_CSV)?;
    illustrative_tariffs()?
        .into_iter()
        .map(|t| {
            let (fee, cap) = cod
                .get(t.carrier())
                .cloned()
                .map(|(f, c)| (Some(f), c))
                .unwrap_or((None, None));
            Agreement::platform(t)
                .fees(Fees {
                    cod: fee,
                    cod_max: cap,
                    ..Fees::default()
                })
                .build()
        })
        .collect()
}

/// The transit-days table compiled in.
pub fn transit_days() -> Result<TransitTable> {
    TransitTable::from_csv(TRANSIT_DAYS_CSV)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_carriers_with_cod() {
        let a = illustrative_platform_agreements().unwrap_or_default();
        assert_eq!(a.len(), 8);
        assert!(a.iter().all(|a| a.offers_cod()));
        assert!(transit_days().is_ok());
    }
}
