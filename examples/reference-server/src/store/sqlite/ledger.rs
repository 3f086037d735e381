//! The wallet's `LedgerStore` on SQLite. `apply` is one immediate transaction: it loads just
//! what the batch touches, runs the library's own ledger rules on it
//! ([`kargojet::wallet::apply_to_parts`]) and writes the balance changes, holds and transfers
//! back; any failure rolls everything back.

use super::{SqliteDb, from_json, store_err, to_json, ts};
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::error::{Code, Error};
use kargojet::money::{Currency, Money};
use kargojet::wallet::{
    AccountKey, Applied, Batch, Book, BookParts, CompanyAccount, CompanyParts, Hold, HoldState,
    LedgerStore, PlatformAccount, ShipmentKey, Transfer, TransferId, apply_to_parts,
};
use rust_decimal::Decimal;
use sqlx::{Row, SqliteConnection};
use std::str::FromStr;

fn account_key(k: &AccountKey) -> StoreResult<String> {
    to_json(k)
}

fn decimal(s: &str) -> StoreResult<Decimal> {
    Decimal::from_str(s).map_err(|e| super::corrupt("amount", e))
}

fn currency(s: &str) -> StoreResult<Currency> {
    Currency::parse(s).map_err(|e| super::corrupt("currency", e))
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

async fn company_parts(
    conn: &mut SqliteConnection,
    company: &str,
) -> StoreResult<Option<CompanyParts>> {
    let row = sqlx::query("SELECT currency, credit_limit FROM ledger_companies WHERE company = ?")
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
    conn: &mut SqliteConnection,
    account: &AccountKey,
) -> StoreResult<Option<Money>> {
    let row = sqlx::query("SELECT balance, currency FROM ledger_balances WHERE account = ?")
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

async fn stored_hold(conn: &mut SqliteConnection, id: &TransferId) -> StoreResult<Option<Hold>> {
    let row = sqlx::query("SELECT data FROM ledger_holds WHERE id = ?")
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
    conn: &mut SqliteConnection,
    id: &TransferId,
) -> StoreResult<Option<Transfer>> {
    let row = sqlx::query("SELECT data FROM ledger_transfers WHERE id = ?")
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
    conn: &mut SqliteConnection,
    account: &AccountKey,
    value: Money,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO ledger_balances (account, company, balance, currency) VALUES (?, ?, ?, ?) ON CONFLICT(account) DO UPDATE SET balance = excluded.balance",
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

async fn write_hold(conn: &mut SqliteConnection, h: &Hold) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO ledger_holds (id, company, state, expires_at, created_at, data) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET state = excluded.state, expires_at = excluded.expires_at, data = excluded.data",
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

async fn write_transfer(conn: &mut SqliteConnection, t: &Transfer) -> StoreResult<()> {
    let shipment = match t.link.shipment() {
        Some(s) => Some(to_json(s)?),
        None => None,
    };
    sqlx::query(
        "INSERT INTO ledger_transfers (id, debit_company, credit_company, shipment, at, data) VALUES (?, ?, ?, ?, ?, ?)",
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

fn transfers_of(rows: &[sqlx::sqlite::SqliteRow]) -> StoreResult<Vec<Transfer>> {
    rows.iter()
        .map(|r| {
            from_json(
                "transfer",
                &r.try_get::<String, _>("data").map_err(store_err)?,
            )
        })
        .collect()
}

fn holds_of(rows: &[sqlx::sqlite::SqliteRow]) -> StoreResult<Vec<Hold>> {
    rows.iter()
        .map(|r| from_json("hold", &r.try_get::<String, _>("data").map_err(store_err)?))
        .collect()
}

/// Applies `batch` inside the transaction `tx` (not committed here): reads what it touches,
/// runs the library's ledger rules and writes the changes; a replay writes nothing.
pub(super) async fn apply_in(tx: &mut SqliteConnection, batch: &Batch) -> StoreResult<Applied> {
    let touched = batch.touched();
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
impl LedgerStore for SqliteDb {
    async fn open_company(
        &self,
        company: &str,
        currency: Currency,
        credit_limit: Money,
    ) -> StoreResult<()> {
        // The library's own rules for a company id and a credit limit.
        Book::new().open_company(company, currency, credit_limit)?;
        let mut tx = self.begin_write().await?;
        if company_parts(&mut tx, company).await?.is_some() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO ledger_companies (company, currency, credit_limit) VALUES (?, ?, ?)",
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
        let mut tx = self.begin_write().await?;
        let c = company_parts(&mut tx, company)
            .await?
            .ok_or_else(|| unknown_company(company))?;
        // The library's own rules (range, decimals, currency) on the stored company.
        Book::from_parts(&BookParts {
            companies: vec![c],
            ..BookParts::default()
        })
        .set_credit_limit(company, limit)?;
        sqlx::query("UPDATE ledger_companies SET credit_limit = ? WHERE company = ?")
            .bind(limit.amount.normalize().to_string())
            .bind(company)
            .execute(&mut *tx)
            .await
            .map_err(store_err)?;
        tx.commit().await.map_err(store_err)
    }

    async fn credit_limit(&self, company: &str) -> StoreResult<Money> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        company_parts(&mut conn, company)
            .await?
            .map(|c| c.credit_limit)
            .ok_or_else(|| unknown_company(company))
    }

    async fn apply(&self, batch: &Batch) -> StoreResult<Applied> {
        let mut tx = self.begin_write().await?;
        let applied = apply_in(&mut tx, batch).await?;
        tx.commit().await.map_err(store_err)?;
        Ok(applied)
    }

    async fn transfer(&self, id: &TransferId) -> StoreResult<Option<Transfer>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        stored_transfer(&mut conn, id).await
    }

    async fn hold(&self, id: &TransferId) -> StoreResult<Option<Hold>> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
        stored_hold(&mut conn, id).await
    }

    async fn due_holds(&self, now: DateTime<Utc>, limit: usize) -> StoreResult<Vec<Hold>> {
        let rows = sqlx::query(
            "SELECT data FROM ledger_holds WHERE state = 'pending' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at, id LIMIT ?",
        )
        .bind(ts(now))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        holds_of(&rows)
    }

    async fn pending_holds(&self, company: &str) -> StoreResult<Vec<Hold>> {
        let rows = sqlx::query(
            "SELECT data FROM ledger_holds WHERE company = ? AND state = 'pending' ORDER BY created_at, id",
        )
        .bind(company)
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        holds_of(&rows)
    }

    async fn balance(&self, account: &AccountKey) -> StoreResult<Money> {
        let mut conn = self.reader.acquire().await.map_err(store_err)?;
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
        let rows = sqlx::query("SELECT account, balance, currency FROM ledger_balances")
            .fetch_all(&self.reader)
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
            "SELECT data FROM ledger_transfers WHERE (debit_company = ?1 OR credit_company = ?1) AND (?2 IS NULL OR at < ?2) ORDER BY seq",
        )
        .bind(company)
        .bind(until.map(ts))
        .fetch_all(&self.reader)
        .await
        .map_err(store_err)?;
        transfers_of(&rows)
    }

    async fn shipment_transfers(&self, shipment: &ShipmentKey) -> StoreResult<Vec<Transfer>> {
        let rows = sqlx::query("SELECT data FROM ledger_transfers WHERE shipment = ? ORDER BY seq")
            .bind(to_json(shipment)?)
            .fetch_all(&self.reader)
            .await
            .map_err(store_err)?;
        transfers_of(&rows)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_db::fresh;
    use super::*;
    use kargojet::time::ManualClock;
    use kargojet::wallet::{LineKind, Link, PostLeg, Wallet};
    use std::sync::Arc;

    /// The library's own wallet flow on the SQLite ledger: top-up, hold, partial post,
    /// replays, insufficient funds, and the balances summing to zero.
    #[tokio::test]
    async fn wallet_runs_on_sqlite() {
        let db = Arc::new(fresh().await);
        let clock = ManualClock::new(chrono::DateTime::UNIX_EPOCH);
        let wallet = Wallet::new(db.clone(), Arc::new(clock.clone()));
        assert!(wallet.open_company("acme", Money::zero()).await.is_ok());
        assert!(wallet.open_company("acme", Money::zero()).await.is_ok());
        let top = wallet
            .top_up(
                &TransferId::new("top-1"),
                "acme",
                Money::from_kurus(10_000),
                "EFT-1",
            )
            .await;
        assert_eq!(top.ok(), Some(Applied::New));
        let again = wallet
            .top_up(
                &TransferId::new("top-1"),
                "acme",
                Money::from_kurus(10_000),
                "EFT-1",
            )
            .await;
        assert_eq!(again.ok(), Some(Applied::Replayed));
        let other = wallet
            .top_up(
                &TransferId::new("top-1"),
                "acme",
                Money::from_kurus(1),
                "EFT-1",
            )
            .await;
        assert_eq!(
            other.err().map(|e| e.code()),
            Some(Code::WalletTransferConflict)
        );
        let link = Link::Shipment(ShipmentKey::new("acme", "o-1"));
        let held = wallet
            .hold(
                &TransferId::new("h1"),
                "acme",
                Money::from_kurus(4_000),
                LineKind::FreightHold,
                link.clone(),
                Some(std::time::Duration::from_secs(60)),
            )
            .await;
        assert!(held.is_ok(), "{held:?}");
        let leg = PostLeg {
            to: AccountKey::Platform(PlatformAccount::CarrierPayable),
            amount: Money::from_kurus(3_000),
            line: LineKind::Freight,
        };
        assert!(
            wallet
                .post(&TransferId::new("p1"), &TransferId::new("h1"), &[leg])
                .await
                .is_ok()
        );
        let b = wallet.balances("acme").await;
        let Ok(b) = b else { panic!("{b:?}") };
        assert_eq!(
            (b.available, b.blocked),
            (Money::from_kurus(7_000), Money::zero())
        );
        let too_much = wallet
            .hold(
                &TransferId::new("h2"),
                "acme",
                Money::from_kurus(7_001),
                LineKind::FreightHold,
                link.clone(),
                None,
            )
            .await;
        assert_eq!(
            too_much.err().map(|e| e.code()),
            Some(Code::WalletInsufficientFunds)
        );
        assert!(
            db.hold(&TransferId::new("h2"))
                .await
                .ok()
                .flatten()
                .is_none()
        );
        // Expiry through the library's sweep, on the store's due list.
        assert!(
            wallet
                .hold(
                    &TransferId::new("h3"),
                    "acme",
                    Money::from_kurus(500),
                    LineKind::FreightHold,
                    link.clone(),
                    Some(std::time::Duration::from_secs(60)),
                )
                .await
                .is_ok()
        );
        clock.advance(std::time::Duration::from_secs(61));
        assert_eq!(wallet.expire_due().await.ok(), Some(1));
        let sum: Decimal = db
            .balances()
            .await
            .unwrap_or_default()
            .iter()
            .map(|(_, m)| m.amount)
            .sum();
        assert_eq!(sum, Decimal::ZERO, "double entry");
        let transfers = db.company_transfers("acme", None).await.unwrap_or_default();
        assert!(transfers.len() >= 5);
        let shipment = db
            .shipment_transfers(&ShipmentKey::new("acme", "o-1"))
            .await
            .unwrap_or_default();
        assert!(shipment.iter().all(|t| t.link == link));
        // Credit limits follow the library's rules and let a hold go below zero.
        assert_eq!(
            db.set_credit_limit("acme", Money::from_kurus(-1))
                .await
                .err()
                .map(|e| e.code()),
            Some(Code::RequestInvalidAmount)
        );
        assert!(
            db.set_credit_limit("acme", Money::from_kurus(100_000))
                .await
                .is_ok()
        );
        assert_eq!(
            db.credit_limit("acme").await.ok(),
            Some(Money::from_kurus(100_000))
        );
        let on_credit = wallet
            .hold(
                &TransferId::new("h4"),
                "acme",
                Money::from_kurus(7_001),
                LineKind::FreightHold,
                link.clone(),
                None,
            )
            .await;
        assert!(on_credit.is_ok(), "{on_credit:?}");
        assert_eq!(
            db.balance(&AccountKey::available("nobody"))
                .await
                .err()
                .map(|e| e.code()),
            Some(Code::WalletUnknownAccount)
        );
    }
}
