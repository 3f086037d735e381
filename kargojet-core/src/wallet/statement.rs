//! Company statements: every movement of a company's accounts in a period, each line tied to
//! a shipment or a top-up, with running balances; exported as CSV with Turkish headers.

use super::account::CompanyAccount;
use super::ledger::Wallet;
use super::transfer::{LineKind, Link, TransferId};
use crate::error::{Code, Error, Result};
use crate::money::Money;
use crate::time::turkey_offset;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One line: one transfer as seen from one company account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    /// When.
    pub at: DateTime<Utc>,
    /// Transfer id.
    pub transfer: TransferId,
    /// The company account moved.
    pub account: CompanyAccount,
    /// What it is.
    pub line: LineKind,
    /// The shipment or top-up it ties to.
    pub link: Link,
    /// Signed amount: positive into the account, negative out of it.
    pub amount: Money,
    /// The account's balance after this line.
    pub balance: Money,
    /// The transfer it corrects, if any.
    pub corrects: Option<TransferId>,
}

/// A company's statement for `[from, to)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// Company.
    pub company: String,
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (exclusive).
    pub to: DateTime<Utc>,
    /// Balances at `from`.
    pub opening: BTreeMap<CompanyAccount, Money>,
    /// Balances at `to`.
    pub closing: BTreeMap<CompanyAccount, Money>,
    /// The lines, in the order applied.
    pub lines: Vec<StatementLine>,
}

/// CSV export options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CsvOptions {
    /// Write amounts with a decimal comma (`1234,56`) and separate columns with `;`, as
    /// Turkish spreadsheets expect; otherwise `1234.56` and `,`.
    pub decimal_comma: bool,
}

/// The CSV header row.
pub const CSV_HEADERS: [&str; 9] = [
    "Tarih",
    "İşlem No",
    "Hesap",
    "İşlem",
    "Gönderi",
    "Yükleme Referansı",
    "Tutar",
    "Bakiye",
    "Düzeltilen İşlem",
];

impl Wallet {
    /// A company's statement for `[from, to)`.
    pub async fn statement(
        &self,
        company: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<Statement> {
        if to < from {
            return Err(Error::invalid(
                Code::RequestInvalid,
                "to",
                "the period ends before it starts",
            ));
        }
        self.store().credit_limit(company).await?;
        let mut running: BTreeMap<CompanyAccount, Money> = CompanyAccount::ALL
            .iter()
            .map(|a| (*a, Money::zero()))
            .collect();
        let mut opening = running.clone();
        let mut lines = Vec::new();
        for t in self.store().company_transfers(company, Some(to)).await? {
            for (acct, sign) in [(&t.debit, -1), (&t.credit, 1)] {
                let (Some(c), Some(kind)) = (acct.company_id(), acct.company_account()) else {
                    continue;
                };
                if c != company {
                    continue;
                }
                let amount = if sign < 0 { -t.amount } else { t.amount };
                let balance = running
                    .get(&kind)
                    .copied()
                    .unwrap_or(Money::zero())
                    .checked_add(amount)?;
                running.insert(kind, balance);
                if t.at < from {
                    opening.insert(kind, balance);
                    continue;
                }
                lines.push(StatementLine {
                    at: t.at,
                    transfer: t.id.clone(),
                    account: kind,
                    line: t.line,
                    link: t.link.clone(),
                    amount,
                    balance,
                    corrects: t.corrects.clone(),
                });
            }
        }
        Ok(Statement {
            company: company.to_string(),
            from,
            to,
            opening,
            closing: running,
            lines,
        })
    }
}

impl Statement {
    /// The statement as CSV (UTF-8, Turkish headers, times in Türkiye's offset).
    pub fn to_csv(&self, options: CsvOptions) -> Result<String> {
        let mut w = csv::WriterBuilder::new()
            .delimiter(if options.decimal_comma { b';' } else { b',' })
            .from_writer(Vec::new());
        let io = |e: csv::Error| Error::internal(format!("csv: {e}"));
        w.write_record(CSV_HEADERS).map_err(io)?;
        let amount = |m: Money| plain_amount(m, options.decimal_comma);
        for l in &self.lines {
            let (shipment, top_up) = match &l.link {
                Link::Shipment(s) => (s.key.as_str(), ""),
                Link::TopUp(r) => ("", r.as_str()),
            };
            let at =
                l.at.with_timezone(&turkey_offset())
                    .format("%d.%m.%Y %H:%M:%S")
                    .to_string();
            w.write_record([
                at.as_str(),
                l.transfer.as_str(),
                l.account.name_tr(),
                l.line.name_tr(),
                shipment,
                top_up,
                &amount(l.amount),
                &amount(l.balance),
                l.corrects.as_ref().map(TransferId::as_str).unwrap_or(""),
            ])
            .map_err(io)?;
        }
        let bytes = w
            .into_inner()
            .map_err(|e| Error::internal(format!("csv: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::internal(format!("csv: {e}")))
    }
}

/// `-1234.56` (or `-1234,56`): whole kuruş, no thousands separators.
fn plain_amount(m: Money, decimal_comma: bool) -> String {
    let k = m.to_kurus();
    let abs = k.unsigned_abs();
    let sign = if k < 0 { "-" } else { "" };
    let sep = if decimal_comma { ',' } else { '.' };
    format!("{sign}{}{sep}{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn amounts_have_two_decimals_in_both_styles() {
        assert_eq!(plain_amount(Money::try_lira(dec!(1234.5)), true), "1234,50");
        assert_eq!(plain_amount(Money::try_lira(dec!(-0.07)), false), "-0.07");
        assert_eq!(plain_amount(Money::try_lira(dec!(12)), false), "12.00");
    }
}
