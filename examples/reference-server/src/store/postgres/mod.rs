//! The PostgreSQL implementation of every store, for several stateless replicas on one
//! database. Same tables, columns, text formats and semantics as [`crate::store::sqlite`]; where
//! SQLite relies on its single writer, this module takes locks:
//!
//! - idempotency keys: `INSERT … ON CONFLICT DO NOTHING` decides who owns a new key, and every
//!   read-modify-write of a key runs under `SELECT … FOR UPDATE`;
//! - the wallet: [`LedgerStore::apply`](kargojet::wallet::LedgerStore::apply) takes a
//!   transaction-scoped advisory lock on every company, account, hold and transfer id the batch
//!   touches (in one global order, so two batches never deadlock) before it reads them, so the
//!   library's balance checks run on rows no other transaction can change until commit — rows
//!   that do not exist yet (a first platform account, a replayed transfer id) included;
//! - everything else is one statement (unique constraints and `ON CONFLICT` do the rest).
//!
//! The URL is libpq's: `postgres://user:password@host:port/database`; a schema other than
//! `public` is chosen with `?options[search_path]=<schema>` (the schema must exist).
//! Migrations are every file of `migrations/postgres/` in version order (embedded at build
//! time), applied once under an advisory lock so replicas starting together do not race.

mod accounts;
mod audit;
mod bulk;
mod idempotency;
mod inbox;
mod jobs;
mod ledger;
mod shipments;
mod tenants;

pub(crate) use super::sqlite::{corrupt, from_json, is_unique_violation, parse_ts, to_json, ts};

use super::{Database, Health, StoreResult};
use crate::error::ServerError;
use async_trait::async_trait;
use chrono::Utc;
use kargojet::error::{Code, Error};
use sha2::{Digest, Sha256};
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};
use sqlx::{Row, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

include!(concat!(env!("OUT_DIR"), "/postgres_migrations.rs"));

/// Connections per process (each replica has its own pool).
pub const POOL_SIZE: u32 = 16;

/// The advisory lock that serializes migrations across replicas.
const MIGRATION_LOCK: i64 = 0x4b4a_5f4d_4947_5241; // "KJ_MIGRA"

/// An open PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgDb {
    pub(crate) pool: PgPool,
}

/// A database failure as the library's `store.failed`.
pub(crate) fn store_err(e: sqlx::Error) -> Error {
    Error::Internal {
        code: Code::StoreFailed,
        detail: format!("postgres: {e}"),
    }
}

/// The advisory-lock id of a named object (first 8 bytes of its SHA-256).
pub(crate) fn lock_id(name: &str) -> i64 {
    let digest = Sha256::digest(name.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// Takes transaction-scoped advisory locks on `names`, in ascending id order (every caller
/// uses the same order, so lock waits cannot form a cycle). Held until commit or rollback.
pub(crate) async fn lock_all(
    conn: &mut PgConnection,
    names: impl IntoIterator<Item = String>,
) -> StoreResult<()> {
    let mut ids: Vec<i64> = names.into_iter().map(|n| lock_id(&n)).collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(id)
            .execute(&mut *conn)
            .await
            .map_err(store_err)?;
    }
    Ok(())
}

impl PgDb {
    /// Connects to and migrates the database at `url` (`postgres://` or `postgresql://`).
    pub async fn open(url: &str) -> Result<PgDb, ServerError> {
        let options = PgConnectOptions::from_str(url).map_err(|e| ServerError::Config {
            field: "database_url".into(),
            detail: e.to_string(),
        })?;
        let pool = PgPoolOptions::new()
            .max_connections(POOL_SIZE)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| ServerError::Store(format!("cannot open {}: {e}", redact(url))))?;
        let db = PgDb { pool };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the migrations not yet applied, each in its own transaction, under an advisory
    /// lock (a second replica waits, then finds them applied).
    pub async fn migrate(&self) -> Result<(), ServerError> {
        let fail = |e: sqlx::Error| ServerError::Store(format!("migration: {e}"));
        let mut tx = self.pool.begin().await.map_err(fail)?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(MIGRATION_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await
        .map_err(fail)?;
        tx.commit().await.map_err(fail)?;
        for (version, name, sql) in MIGRATIONS {
            let mut tx = self.pool.begin().await.map_err(fail)?;
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(MIGRATION_LOCK)
                .execute(&mut *tx)
                .await
                .map_err(fail)?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(fail)?;
            if done.is_some() {
                continue;
            }
            sqlx::raw_sql(*sql)
                .execute(&mut *tx)
                .await
                .map_err(|e| ServerError::Store(format!("migration {version:04}_{name}: {e}")))?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(version)
            .bind(*name)
            .bind(ts(Utc::now()))
            .execute(&mut *tx)
            .await
            .map_err(fail)?;
            tx.commit().await.map_err(fail)?;
            tracing::info!(version, name, "migration applied");
        }
        Ok(())
    }

    /// A transaction (READ COMMITTED; writers that read first take locks).
    pub(crate) async fn begin(&self) -> StoreResult<Transaction<'static, sqlx::Postgres>> {
        self.pool.begin().await.map_err(store_err)
    }

    /// The schema version.
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let row =
            sqlx::query("SELECT COALESCE(MAX(version), 0)::BIGINT AS v FROM schema_migrations")
                .fetch_one(&self.pool)
                .await
                .map_err(store_err)?;
        row.try_get::<i64, _>("v").map_err(store_err)
    }

    /// Closes the pool (waits for connections in use to come back).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Every store on this database.
    pub fn into_database(self) -> Database {
        let db = Arc::new(self);
        Database {
            shipments: db.clone(),
            shipment_query: db.clone(),
            idempotency: db.clone(),
            ledger: db.clone(),
            tenants: db.clone(),
            carrier_accounts: db.clone(),
            audit: db.clone(),
            inbox: db.clone(),
            bulk: db.clone(),
            jobs: db.clone(),
            outbox: db.clone(),
            outbox_writes: db.clone(),
            maintenance: db.clone(),
            health: db,
            kind: "postgres",
        }
    }
}

/// `url` without its password (for error messages).
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority, tail) = match rest.find('/') {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}{tail}")
        }
        None => url.to_string(),
    }
}

#[async_trait]
impl Health for PgDb {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
            .map_err(store_err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://kj:s3cret@127.0.0.1:5432/kj?options[search_path]=a"),
            "postgres://kj:***@127.0.0.1:5432/kj?options[search_path]=a"
        );
        assert_eq!(redact("postgres://127.0.0.1/kj"), "postgres://127.0.0.1/kj");
    }

    #[test]
    fn lock_ids_are_stable_and_distinct() {
        assert_eq!(lock_id("ledger:c:acme"), lock_id("ledger:c:acme"));
        assert_ne!(lock_id("ledger:c:acme"), lock_id("ledger:c:acmf"));
    }

    #[test]
    fn migrations_are_embedded_in_order() {
        assert!(!MIGRATIONS.is_empty());
        assert_eq!(MIGRATIONS[0].0, 1);
        assert!(MIGRATIONS.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(MIGRATIONS[0].2.contains("CREATE TABLE shipments"));
    }
}
