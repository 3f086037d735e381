//! The SQLite implementation of every store: a file in WAL mode, one writer connection (SQLite
//! has one writer; a single pooled connection makes every write transaction wait its turn
//! instead of failing busy) and a few reader connections. Every store operation is one
//! transaction; multi-statement writes use `BEGIN IMMEDIATE`.

mod accounts;
mod audit;
mod bulk;
mod idempotency;
mod inbox;
mod jobs;
mod ledger;
mod shipments;
mod tenants;

use super::{Database, Health, StoreResult};
use crate::error::ServerError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::error::{Code, Error};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Row, Transaction};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

/// The migrations, in order: (version, name, SQL).
pub const MIGRATIONS: &[(i64, &str, &str)] = &[
    (
        1,
        "init",
        include_str!("../../../migrations/sqlite/0001_init.sql"),
    ),
    (
        2,
        "jobs_webhooks",
        include_str!("../../../migrations/sqlite/0002_jobs_webhooks.sql"),
    ),
    (
        3,
        "inbox_leases",
        include_str!("../../../migrations/sqlite/0003_inbox_leases.sql"),
    ),
];

/// An open SQLite database.
#[derive(Debug, Clone)]
pub struct SqliteDb {
    pub(crate) writer: SqlitePool,
    pub(crate) reader: SqlitePool,
}

/// A database failure as the library's `store.failed`.
pub(crate) fn store_err(e: sqlx::Error) -> Error {
    Error::Internal {
        code: Code::StoreFailed,
        detail: format!("sqlite: {e}"),
    }
}

/// A stored JSON document that does not parse.
pub(crate) fn corrupt(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Internal {
        code: Code::StoreFailed,
        detail: format!("stored {what} does not parse: {e}"),
    }
}

/// Serializes to JSON text.
pub(crate) fn to_json<T: serde::Serialize>(v: &T) -> StoreResult<String> {
    serde_json::to_string(v).map_err(|e| Error::internal(format!("serialize: {e}")))
}

/// Parses stored JSON text.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(what: &str, s: &str) -> StoreResult<T> {
    serde_json::from_str(s).map_err(|e| corrupt(what, e))
}

/// A time as stored: UTC, microseconds, fixed width (text order is time order).
pub(crate) fn ts(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Parses a stored time.
pub(crate) fn parse_ts(s: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| corrupt("time", e))
}

/// True for a unique-constraint violation.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.is_unique_violation())
}

impl SqliteDb {
    /// Opens (creating if needed) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<SqliteDb, ServerError> {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| ServerError::Config {
                field: "database_url".into(),
                detail: e.to_string(),
            })?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .synchronous(SqliteSynchronous::Full);
        let options = if memory {
            options
        } else {
            options.journal_mode(SqliteJournalMode::Wal)
        };
        let connect = |max: u32| {
            SqlitePoolOptions::new()
                .max_connections(max)
                .min_connections(1)
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options.clone())
        };
        let writer = connect(1)
            .await
            .map_err(|e| ServerError::Store(format!("cannot open {url}: {e}")))?;
        // An in-memory database exists once per connection: read through the writer.
        let reader = if memory {
            writer.clone()
        } else {
            connect(4)
                .await
                .map_err(|e| ServerError::Store(format!("cannot open {url}: {e}")))?
        };
        let db = SqliteDb { writer, reader };
        db.migrate().await?;
        Ok(db)
    }

    /// Applies the migrations not yet applied, each in its own transaction.
    pub async fn migrate(&self) -> Result<(), ServerError> {
        let fail = |e: sqlx::Error| ServerError::Store(format!("migration: {e}"));
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .execute(&self.writer)
        .await
        .map_err(fail)?;
        for (version, name, sql) in MIGRATIONS {
            let mut tx = self
                .begin_write()
                .await
                .map_err(|e| ServerError::Store(e.to_string()))?;
            let done: Option<i64> =
                sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
                    .bind(version)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(fail)?;
            if done.is_some() {
                continue;
            }
            sqlx::raw_sql(*sql).execute(&mut *tx).await.map_err(fail)?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
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

    /// A write transaction that holds the write lock from its first statement.
    pub(crate) async fn begin_write(&self) -> StoreResult<Transaction<'static, sqlx::Sqlite>> {
        self.writer
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(store_err)
    }

    /// The schema version.
    pub async fn schema_version(&self) -> StoreResult<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations")
            .fetch_one(&self.reader)
            .await
            .map_err(store_err)?;
        row.try_get::<i64, _>("v").map_err(store_err)
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
            kind: "sqlite",
        }
    }
}

#[async_trait]
impl Health for SqliteDb {
    async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1")
            .execute(&self.reader)
            .await
            .map(|_| ())
            .map_err(store_err)
    }
}

#[cfg(test)]
pub(crate) mod test_db {
    use super::*;

    /// A fresh database in a temporary file.
    pub async fn fresh() -> SqliteDb {
        let dir = std::env::temp_dir().join(format!("kj-db-{}", crate::ids::random_token(10)));
        let _ = std::fs::create_dir_all(&dir);
        let url = format!("sqlite://{}", dir.join("t.db").display());
        match SqliteDb::open(&url).await {
            Ok(db) => db,
            Err(e) => panic!("test database: {e}"),
        }
    }

    #[tokio::test]
    async fn migrations_run_once() {
        let db = fresh().await;
        let latest = MIGRATIONS.last().map(|m| m.0);
        assert_eq!(db.schema_version().await.ok(), latest);
        assert!(db.migrate().await.is_ok());
        assert_eq!(db.schema_version().await.ok(), latest);
        assert!(db.ping().await.is_ok());
    }
}
