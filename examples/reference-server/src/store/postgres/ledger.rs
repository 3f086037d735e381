//! The wallet's `LedgerStore` on PostgreSQL. `apply` is one transaction: it first takes an
//! advisory lock on every company, account, hold and transfer id the batch touches (see
//! [`super::lock_all`]; absent rows included, so a first write to a platform account or two
//! replays of one transfer id serialize too), then loads just those rows, runs the library's
//! own ledger rules on them ([`kargojet::wallet::apply_to_parts`]) and writes the balance
//! changes, holds and transfers back; any failure rolls everything back. Every writer of the
//! ledger tables takes the same locks, so the balance checks see rows nobody can change before
//! the commit.

use super::{PgDb, corrupt, from_json, lock_all, store_err, to_json, ts};
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::error::{Code, Error};
use kargojet::money::{Currency, Money};
use kargojet::wallet::{
    AccountKey, Applied, Batch, Book, BookParts, CompanyAccount, CompanyParts, Hold, HoldState,
    LedgerStore, PlatformAccount, ShipmentKey, Touched, Transfer, TransferId, apply_to_parts,
};
use rust_decimal::Decimal;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use std::str::FromStr;

fn account_key(k: &AccountKey) -> StoreResult<String> {
    to_json(k)
}

fn decimal(s: &str) -> StoreResult<Decimal> {
    Decimal::from_str(s).map_err(|e| corrupt("amount", e))
}

fn currency(s: &str) -> StoreResult<Currency> {
    Currency::parse(s).map_err(|e| corrupt("currency", e))
}

fn hold_state(s: HoldState) -> &'static str {
    match s {
        HoldState::Pending => "pending",
        HoldState::Posted => "posted",
        HoldState::Voided => "voided",
        HoldState::Expired => "expired",
    }
}

fn unknown_company(company: &str) -> Error {
    Error::not_found(
        Code::WalletUnknownAccount,
        format!("company {company} has no wallet"),
    )
}

/// The lock name of a company's wallet settings.
fn company_lock(company: &str) -> String {
    format!("ledger:company:{company}")
}

/// The lock names of everything a batch touches.
fn lock_names(t: &Touched) -> StoreResult<Vec<String>> {
    let mut names: Vec<String> = t.companies.iter().map(|c| company_lock(c)).collect();
    for a in &t.accounts {
        names.push(format!("ledger:account:{}", account_key(a)?));
    }
    names.extend(
        t.holds
            .iter()
            .map(|h| format!("ledger:hold:{}", h.as_str())),
    );
    names.extend(
        t.transfers
            .iter()
            .map(|tr| format!("ledger:transfer:{}", tr.as_str())),
    );
    Ok(names)
}

async fn company_parts(
    conn: &mut PgConnection,
    company: &str,
) -> StoreResult<Option<CompanyParts>> {
    let row = sqlx::query("SELECT currency, credit_limit FROM ledger_companies WHERE company = $1")
        .bind(company)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    match row {
        None => Ok(None),
        Some(r) => {
            let cur = currency(&r.try_get::<String, _>("currency").map_err(store_err)?)?;
            let limit = decimal(&r.try_get::<String, _>("credit_limit").map_err(store_err)?)?;
            Ok(Some(CompanyParts {
                company: company.to_string(),
                currency: cur,
                credit_limit: Money {
                    amount: limit,
                    currency: cur,
                },
            }))
        }
    }
}

async fn stored_balance(
    conn: &mut PgConnection,
    account: &AccountKey,
) -> StoreResult<Option<Money>> {
    let row = sqlx::query("SELECT balance, currency FROM ledger_balances WHERE account = $1")
        .bind(account_key(account)?)
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some(Money {
            amount: decimal(&r.try_get::<String, _>("balance").map_err(store_err)?)?,
            currency: currency(&r.try_get::<String, _>("currency").map_err(store_err)?)?,
        })),
    }
}

async fn stored_hold(conn: &mut PgConnection, id: &TransferId) -> StoreResult<Option<Hold>> {
    let row = sqlx::query("SELECT data FROM ledger_holds WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some(from_json(
            "hold",
            &r.try_get::<String, _>("data").map_err(store_err)?,
        )?)),
    }
}

async fn stored_transfer(
    conn: &mut PgConnection,
    id: &TransferId,
) -> StoreResult<Option<Transfer>> {
    let row = sqlx::query("SELECT data FROM ledger_transfers WHERE id = $1")
        .bind(id.as_str())
        .fetch_optional(&mut *conn)
        .await
        .map_err(store_err)?;
    match row {
        None => Ok(None),
        Some(r) => Ok(Some(from_json(
            "transfer",
            &r.try_get::<String, _>("data").map_err(store_err)?,
        )?)),
    }
}

async fn write_balance(
    conn: &mut PgConnection,
    account: &AccountKey,
    value: Money,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO ledger_balances (account, company, balance, currency) VALUES ($1, $2, $3, $4) ON CONFLICT (account) DO UPDATE SET balance = excluded.balance",
    )
    .bind(account_key(account)?)
    .bind(account.company_id())
    .bind(value.amount.normalize().to_string())
    .bind(value.currency.code())
    .execute(&mut *conn)
    .await
    .map_err(store_err)?;
    Ok(())
}

async fn write_hold(conn: &mut PgConnection, h: &Hold) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO ledger_holds (id, company, state, expires_at, created_at, data) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at, data = excluded.data",
    )
    .bind(h.id.as_str())
    .bind(h.held_in.company_id())
    .bind(hold_state(h.state))
    .bind(h.expires_at.map(ts))
    .bind(ts(h.created_at))
    .bind(to_json(h)?)
    .execute(&mut *conn)
    .await
    .map_err(store_err)?;
    Ok(())
}

async fn write_transfer(conn: &mut PgConnection, t: &Transfer) -> StoreResult<()> {
    let shipment = match t.link.shipment() {
        Some(s) => Some(to_json(s)?),
        None => None,
    };
    sqlx::query(
        "INSERT INTO ledger_transfers (id, debit_company, credit_company, shipment, at, data) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(t.id.as_str())
    .bind(t.debit.company_id())
    .bind(t.credit.company_id())
    .bind(shipment)
    .bind(ts(t.at))
    .bind(to_json(t)?)
    .execute(&mut *conn)
    .await
    .map_err(store_err)?;
    Ok(())
}

fn transfers_of(rows: &[PgRow]) -> StoreResult<Vec<Transfer>> {
    rows.iter()
        .map(|r| {
            from_json(
                "transfer",
                &r.try_get::<String, _>("data").map_err(store_err)?,
            )
        })
        .collect()
}

fn holds_of(rows: &[PgRow]) -> StoreResult<Vec<Hold>> {
    rows.iter()
        .map(|r| from_json("hold", &r.try_get::<String, _>("data").map_err(store_err)?))
        .collect()
}

/// Applies `batch` inside the transaction `tx` (not committed here): reads what it touches,
/// runs the library's ledger rules and writes the changes; a replay writes nothing.
pub(super) async fn apply_in(tx: &mut PgConnection, batch: &Batch) -> StoreResult<Applied> {
    let touched = batch.touched();
    lock_all(&mut *tx, lock_names(&touched)?).await?;
    let mut parts = BookParts::default();
    for c in &touched.companies {
        if let Some(p) = company_parts(&mut *tx, c).await? {
            parts.companies.push(p);
        }
    }
    for a in &touched.accounts {
        if let Some(m) = stored_balance(&mut *tx, a).await? {
            parts.balances.push((a.clone(), m));
        }
    }
    for h in &touched.holds {
        if let Some(hold) = stored_hold(&mut *tx, h).await? {
            parts.holds.push(hold);
        }
    }
    for t in &touched.transfers {
        if let Some(tr) = stored_transfer(&mut *tx, t).await? {
            parts.transfers.push(tr);
        }
    }
    let (applied, changes) = apply_to_parts(&parts, batch)?;
    if applied == Applied::Replayed {
        return Ok(applied);
    }
    for (account, delta) in &changes.balance_deltas {
        let before = parts
            .balances
            .iter()
            .find(|(k, _)| k == account)
            .map(|(_, m)| m.amount)
            .unwrap_or_default();
        write_balance(
            &mut *tx,
            account,
            Money {
                amount: before + delta.amount,
                currency: delta.currency,
            },
        )
        .await?;
    }
    for h in &changes.holds {
        write_hold(&mut *tx, h).await?;
    }
    for t in &changes.transfers {
        write_transfer(&mut *tx, t).await?;
    }
    Ok(applied)
}

#[async_trait]
impl LedgerStore for PgDb {
    async fn open_company(
        &self,
        company: &str,
        currency: Currency,
        credit_limit: Money,
    ) -> StoreResult<()> {
        // The library's own rules for a company id and a credit limit.
        Book::new().open_company(company, currency, credit_limit)?;
        let mut tx = self.begin().await?;
        lock_all(&mut tx, [company_lock(company)]).await?;
        if company_parts(&mut tx, company).await?.is_some() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO ledger_companies (company, currency, credit_limit) VALUES ($1, $2, $3)",
        )
        .bind(company)
        .bind(currency.code())
        .bind(credit_limit.amount.normalize().to_string())
        .execute(&mut *tx)
        .await
        .map_err(store_err)?;
        for a in CompanyAccount::ALL {
            write_balance(
                &mut tx,
                &AccountKey::company(company, a),
                Money {
                    amount: Decimal::ZERO,
                    currency,
                },
            )
            .await?;
        }
        tx.commit().await.map_err(store_err)
    }

    async fn set_credit_limit(&self, company: &str, limit: Money) -> StoreResult<()> {
        let mut tx = self.begin().await?;
        lock_all(&mut tx, [company_lock(company)]).await?;
        let c = company_parts(&mut tx, company)
            .await?
            .ok_or_else(|| unknown_company(company))?;
        // The library's own rules (range, decimals, currency) on the stored company.
        Book::from_parts(&BookParts {
            companies: vec![c],
            ..BookParts::default()
        })
        .set_credit_limit(company, limit)?;
        sqlx::query("UPDATE ledger_companies SET credit_limit = $1 WHERE company = $2")
            .bind(limit.amount.normalize().to_string())
            .bind(company)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.commit().await.map_err(store_err)
    }

    async fn credit_limit(&self, company: &str) -> StoreResult<Money> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        company_parts(&mut conn, company)
            .await?
            .map(|c| c.credit_limit)
            .ok_or_else(|| unknown_company(company))
    }

    async fn apply(&self, batch: &Batch) -> StoreResult<Applied> {
        let mut tx = self.begin().await?;
        let applied = apply_in(&mut tx, batch).await?;
        tx.commit().await.map_err(store_err)?;
        Ok(applied)
    }

    async fn transfer(&self, id: &TransferId) -> StoreResult<Option<Transfer>> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        stored_transfer(&mut conn, id).await
    }

    async fn hold(&self, id: &TransferId) -> StoreResult<Option<Hold>> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        stored_hold(&mut conn, id).await
    }

    async fn due_holds(&self, now: DateTime<Utc>, limit: usize) -> StoreResult<Vec<Hold>> {
        let rows = sqlx::query(
            "SELECT data FROM ledger_holds WHERE state = 'pending' AND expires_at IS NOT NULL AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2",
        )
        .bind(ts(now))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        holds_of(&rows)
    }

    async fn pending_holds(&self, company: &str) -> StoreResult<Vec<Hold>> {
        let rows = sqlx::query(
            "SELECT data FROM ledger_holds WHERE company = $1 AND state = 'pending' ORDER BY created_at, id",
        )
        .bind(company)
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        holds_of(&rows)
    }

    async fn balance(&self, account: &AccountKey) -> StoreResult<Money> {
        let mut conn = self.pool.acquire().await.map_err(store_err)?;
        if let Some(m) = stored_balance(&mut conn, account).await? {
            return Ok(m);
        }
        match account {
            AccountKey::Platform(_) => Ok(Money::zero()),
            AccountKey::Company { company, .. } => {
                Err(match company_parts(&mut conn, company).await? {
                    Some(_) => Error::internal(format!("account {account} is missing")),
                    None => {
                        Error::not_found(Code::WalletUnknownAccount, format!("account {account}"))
                    }
                })
            }
        }
    }

    async fn balances(&self) -> StoreResult<Vec<(AccountKey, Money)>> {
        // One statement: one snapshot, so the lines always sum to zero.
        let rows = sqlx::query("SELECT account, balance, currency FROM ledger_balances")
            .fetch_all(&self.pool)
            .await
            .map_err(store_err)?;
        let mut out: Vec<(AccountKey, Money)> = Vec::with_capacity(rows.len() + 5);
        for r in &rows {
            let key: AccountKey = from_json(
                "account",
                &r.try_get::<String, _>("account").map_err(store_err)?,
            )?;
            let m = Money {
                amount: decimal(&r.try_get::<String, _>("balance").map_err(store_err)?)?,
                currency: currency(&r.try_get::<String, _>("currency").map_err(store_err)?)?,
            };
            out.push((key, m));
        }
        for p in PlatformAccount::ALL {
            let k = AccountKey::Platform(p);
            if !out.iter().any(|(a, _)| *a == k) {
                out.push((k, Money::zero()));
            }
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    async fn company_transfers(
        &self,
        company: &str,
        until: Option<DateTime<Utc>>,
    ) -> StoreResult<Vec<Transfer>> {
        let rows = sqlx::query(
            "SELECT data FROM ledger_transfers WHERE (debit_company = $1 OR credit_company = $1) AND ($2::TEXT IS NULL OR at < $2::TEXT) ORDER BY seq",
        )
        .bind(company)
        .bind(until.map(ts))
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        transfers_of(&rows)
    }

    async fn shipment_transfers(&self, shipment: &ShipmentKey) -> StoreResult<Vec<Transfer>> {
        let rows =
            sqlx::query("SELECT data FROM ledger_transfers WHERE shipment = $1 ORDER BY seq")
                .bind(to_json(shipment)?)
                .fetch_all(&self.pool)
                .await
                .map_err(store_err)?;
        transfers_of(&rows)
    }
}
