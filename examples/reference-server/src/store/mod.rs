//! Persistence. The library's store traits (`ShipmentStore`, `IdempotencyStore`,
//! `LedgerStore`) plus this server's own ([`TenantStore`], [`CarrierAccountStore`],
//! [`AuditStore`], [`WebhookInbox`], [`BulkStore`], [`ShipmentQuery`], and the job queue, the
//! webhook outbox and the background jobs' queries in [`jobs`]) are all implemented per
//! database; [`Database`] bundles one implementation of each: SQLite ([`sqlite`], the embedded
//! default) and PostgreSQL ([`postgres`], several replicas on one database). [`open`] picks by
//! URL scheme.

pub mod jobs;
pub mod postgres;
pub mod sqlite;

use crate::auth::roles::Role;
use crate::crypto::Sealed;
use crate::error::ServerError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use kargojet::shipment::{Shipment, ShipmentId};
use kargojet::store::{IdempotencyStore, ShipmentStore};
use kargojet::tracking::ShipmentStatus;
use kargojet::wallet::LedgerStore;
use std::sync::Arc;

/// Store results use the library's error (code `store.failed` for database failures).
pub type StoreResult<T> = Result<T, kargojet::Error>;

/// A tenant.
#[derive(Debug, Clone, PartialEq)]
pub struct CompanyRecord {
    /// Company id (`[a-z0-9_-]`, 1–64).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The warehouse sender (JSON `PartyDraft`), if set.
    pub sender: Option<serde_json::Value>,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// A user who logs in for a session.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRecord {
    /// User id.
    pub id: String,
    /// Company.
    pub company: String,
    /// Login e-mail (unique).
    pub email: String,
    /// Display name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Disabled users cannot log in and their sessions stop working.
    pub disabled: bool,
    /// When created.
    pub created_at: DateTime<Utc>,
}

/// An API key as stored (the key itself is never stored).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiKeyRecord {
    /// Public id (the middle part of the key).
    pub id: String,
    /// Company.
    pub company: String,
    /// A name for people.
    pub name: String,
    /// Role.
    pub role: Role,
    /// HMAC-SHA256(pepper, key).
    pub hash: Vec<u8>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// Who created it (`key:<id>`, `user:<id>`, `seed`).
    pub created_by: String,
    /// When revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A seller's own carrier account.
#[derive(Debug, Clone, PartialEq)]
pub struct CarrierAccountRecord {
    /// Id.
    pub id: String,
    /// Company.
    pub company: String,
    /// Carrier id (`yurtici`, …).
    pub carrier: String,
    /// Account name within the company (part of the library's `AccountId`).
    pub name: String,
    /// The encrypted credentials (JSON object of strings).
    pub sealed: Sealed,
    /// Names of the credential fields (never their values).
    pub credential_names: Vec<String>,
    /// The contract tariff (TOML).
    pub tariff: String,
    /// The contract's COD fee; `None`: the contract offers no COD.
    pub cod_fee: Option<CodFeeTerms>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
}

/// A contract's cash-on-delivery fee: `max(amount × percent / 100, min)`, up to a COD cap.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CodFeeTerms {
    /// Percentage of the collected amount.
    pub percent: rust_decimal::Decimal,
    /// Minimum fee in TRY.
    pub min: rust_decimal::Decimal,
    /// Largest COD amount accepted, in TRY.
    pub max_cod: Option<rust_decimal::Decimal>,
}

/// One audit record.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Order of recording.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Company, when known.
    pub company: Option<String>,
    /// Who (`key:<id>`, `user:<id>`, `carrier:<id>`, `anonymous`).
    pub actor: String,
    /// Their role.
    pub role: Option<String>,
    /// Request id.
    pub request_id: String,
    /// HTTP method.
    pub method: String,
    /// Route template.
    pub path: String,
    /// The object named by the path.
    pub object: Option<String>,
    /// HTTP status of the answer.
    pub status: u16,
}

/// A bulk upload: the import, the plan and, once bought, the purchase.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkRecord {
    /// Id.
    pub id: String,
    /// Company.
    pub company: String,
    /// The uploaded file's name, if given.
    pub file_name: Option<String>,
    /// SHA-256 of the file.
    pub file_hash: String,
    /// `planned` or `purchased`.
    pub status: String,
    /// JSON `ImportResult`.
    pub import: String,
    /// JSON `BulkPlan`.
    pub plan: String,
    /// JSON `BulkPurchase` (labels removed).
    pub purchase: Option<String>,
    /// The merged labels PDF.
    pub labels: Option<Vec<u8>>,
    /// When uploaded.
    pub created_at: DateTime<Utc>,
}

/// Filters and a cursor for listing shipments, newest first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ShipmentFilter {
    /// Only this status.
    pub status: Option<ShipmentStatus>,
    /// Only this carrier id.
    pub carrier: Option<String>,
    /// Only this order id.
    pub order_id: Option<String>,
    /// Created at or after.
    pub created_from: Option<DateTime<Utc>>,
    /// Created before.
    pub created_to: Option<DateTime<Utc>>,
    /// Only shipments older than this cursor (a previous page's `next_cursor`).
    pub before: Option<i64>,
    /// Page size (1–200).
    pub limit: u32,
}

/// Tenants, users and API keys.
#[async_trait]
pub trait TenantStore: Send + Sync {
    /// Creates a company; `false` if it existed (nothing changes then).
    async fn create_company(&self, company: &CompanyRecord) -> StoreResult<bool>;
    /// One company.
    async fn company(&self, id: &str) -> StoreResult<Option<CompanyRecord>>;
    /// Sets a company's sender (JSON `PartyDraft`).
    async fn set_sender(&self, id: &str, sender: &serde_json::Value) -> StoreResult<()>;
    /// Creates a user (`false` if the e-mail is taken).
    async fn create_user(&self, user: &UserRecord) -> StoreResult<bool>;
    /// A user by login e-mail.
    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>>;
    /// A user by id.
    async fn user(&self, id: &str) -> StoreResult<Option<UserRecord>>;
    /// A company's users.
    async fn users(&self, company: &str) -> StoreResult<Vec<UserRecord>>;
    /// Stores an API key (`false` if its id exists).
    async fn create_api_key(&self, key: &ApiKeyRecord) -> StoreResult<bool>;
    /// An API key by id.
    async fn api_key(&self, id: &str) -> StoreResult<Option<ApiKeyRecord>>;
    /// A company's API keys.
    async fn api_keys(&self, company: &str) -> StoreResult<Vec<ApiKeyRecord>>;
    /// Revokes a company's key; `false` if the company has no such key.
    async fn revoke_api_key(&self, company: &str, id: &str, at: DateTime<Utc>)
    -> StoreResult<bool>;
}

/// Sellers' carrier accounts.
#[async_trait]
pub trait CarrierAccountStore: Send + Sync {
    /// Inserts (`false` if the company already has this carrier and name).
    async fn insert(&self, account: &CarrierAccountRecord) -> StoreResult<bool>;
    /// Replaces credentials and tariff of a company's account; `false` if it has none.
    async fn update(&self, account: &CarrierAccountRecord) -> StoreResult<bool>;
    /// Deletes a company's account; `false` if it has none.
    async fn delete(&self, company: &str, id: &str) -> StoreResult<bool>;
    /// One of a company's accounts.
    async fn get(&self, company: &str, id: &str) -> StoreResult<Option<CarrierAccountRecord>>;
    /// A company's accounts.
    async fn list(&self, company: &str) -> StoreResult<Vec<CarrierAccountRecord>>;
    /// Every account (to build the orchestrator).
    async fn all(&self) -> StoreResult<Vec<CarrierAccountRecord>>;
}

/// The audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Appends a record (its `seq` is assigned).
    async fn append(&self, record: &AuditRecord) -> StoreResult<()>;
    /// A company's records, newest first, older than `before`.
    async fn list(
        &self,
        company: &str,
        before: Option<i64>,
        limit: u32,
    ) -> StoreResult<Vec<AuditRecord>>;
}

/// What claiming an inbound event found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InboxClaim {
    /// The caller holds the claim until its lease runs out: apply the event, then
    /// [`WebhookInbox::complete`] it (or [`WebhookInbox::release`] it when applying failed).
    /// Also the answer for an event whose earlier claim was given back or whose lease ran out
    /// unfinished (its process died): such an event was not applied, or only in part.
    Claimed {
        /// Names this claim (a release of a claim taken over since does nothing).
        token: String,
    },
    /// The event was applied before: a duplicate delivery.
    Done,
    /// Another delivery holds an unexpired claim: the event is being applied right now, or
    /// the claimer died and its lease has not run out yet. Neither applied nor lost: the
    /// carrier should retry later.
    Busy {
        /// When the other claim's lease runs out.
        until: DateTime<Utc>,
    },
}

/// Inbound webhook events: claimed with a lease before they are applied, marked done after
/// (deduplication by event id). An event is done only once it was applied, so a process that
/// dies between claim and apply loses nothing: the lease runs out and the carrier's retry
/// claims it again.
#[async_trait]
pub trait WebhookInbox: Send + Sync {
    /// Claims an event id at `now` for `lease`. Of concurrent claimers exactly one gets
    /// [`InboxClaim::Claimed`]; a done event is [`InboxClaim::Done`]; an unexpired claim of
    /// another is [`InboxClaim::Busy`]; an unfinished claim whose lease ran out is taken over.
    async fn claim(
        &self,
        event_id: &str,
        carrier: &str,
        now: DateTime<Utc>,
        lease: std::time::Duration,
    ) -> StoreResult<InboxClaim>;
    /// Marks the event done (applied, or matched no shipment: `shipment` is `None`) at `now`;
    /// later claims are [`InboxClaim::Done`]. Done whichever claim applied it.
    async fn complete(
        &self,
        event_id: &str,
        shipment: Option<&ShipmentId>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Gives the claim `token` back (applying failed; the carrier's retry claims the event
    /// again at once). Does nothing when the event is done or another claim took it over.
    async fn release(&self, event_id: &str, token: &str) -> StoreResult<()>;
}

/// Bulk uploads.
#[async_trait]
pub trait BulkStore: Send + Sync {
    /// Inserts an upload.
    async fn insert(&self, upload: &BulkRecord) -> StoreResult<()>;
    /// One of a company's uploads.
    async fn get(&self, company: &str, id: &str) -> StoreResult<Option<BulkRecord>>;
    /// Records the purchase.
    async fn set_purchase(
        &self,
        company: &str,
        id: &str,
        purchase: &str,
        labels: Option<&[u8]>,
    ) -> StoreResult<()>;
}

/// Listing shipments with filters (the library's `ShipmentStore::list` has no paging).
#[async_trait]
pub trait ShipmentQuery: Send + Sync {
    /// A page of a company's shipments, newest first, and the cursor of the next page.
    async fn page(
        &self,
        company: &str,
        filter: &ShipmentFilter,
    ) -> StoreResult<(Vec<Shipment>, Option<i64>)>;
    /// The merchant keys already used at `carrier` from `low` to `high` (inclusive, in text
    /// order, which is number order for fixed-width numbers such as PTT's 13-digit barcodes):
    /// the highest `limit` of every company's stored shipments, and those of attempts still in
    /// flight (recorded before the carrier was called, the shipment not stored yet). For
    /// connectors that draw numbers themselves, so a restarted server continues after them.
    async fn used_merchant_keys(
        &self,
        carrier: &str,
        low: &str,
        high: &str,
        limit: u32,
    ) -> StoreResult<Vec<String>>;
}

/// The merchant keys at `carrier` from `low` to `high` among the attempts of `state`, when it
/// is in flight (a stored idempotency state as JSON).
pub(crate) fn in_flight_keys(
    state: &str,
    carrier: &str,
    low: &str,
    high: &str,
) -> StoreResult<Vec<String>> {
    let state: kargojet::store::IdempotencyState = sqlite::from_json("idempotency state", state)?;
    Ok(match state {
        kargojet::store::IdempotencyState::InFlight { attempts } => attempts
            .into_iter()
            .filter(|a| a.carrier.as_str() == carrier)
            .map(|a| a.merchant_key.0)
            .filter(|k| (low..=high).contains(&k.as_str()))
            .collect(),
        kargojet::store::IdempotencyState::Completed { .. } => Vec::new(),
    })
}

/// The prefix of every in-flight idempotency state as stored (serde's external tag), to skip
/// completed ones without parsing them.
pub(crate) const IN_FLIGHT_PREFIX: &str = "{\"InFlight\"%";

/// Database liveness.
#[async_trait]
pub trait Health: Send + Sync {
    /// A trivial query.
    async fn ping(&self) -> StoreResult<()>;
}

/// One implementation of every store.
#[derive(Clone)]
pub struct Database {
    /// Shipments (library trait).
    pub shipments: Arc<dyn ShipmentStore>,
    /// Shipment listing.
    pub shipment_query: Arc<dyn ShipmentQuery>,
    /// Idempotency keys (library trait).
    pub idempotency: Arc<dyn IdempotencyStore>,
    /// The wallet's ledger (library trait).
    pub ledger: Arc<dyn LedgerStore>,
    /// Tenants, users, API keys.
    pub tenants: Arc<dyn TenantStore>,
    /// Carrier accounts.
    pub carrier_accounts: Arc<dyn CarrierAccountStore>,
    /// Audit log.
    pub audit: Arc<dyn AuditStore>,
    /// Webhook deduplication.
    pub inbox: Arc<dyn WebhookInbox>,
    /// Bulk uploads.
    pub bulk: Arc<dyn BulkStore>,
    /// Liveness.
    pub health: Arc<dyn Health>,
    /// The job queue.
    pub jobs: Arc<dyn jobs::JobStore>,
    /// Outbound webhooks: subscriptions, events, deliveries.
    pub outbox: Arc<dyn jobs::OutboxStore>,
    /// Shipment and ledger writes with their outbound events in the same transaction.
    pub outbox_writes: Arc<dyn jobs::OutboxWrites>,
    /// What the background jobs read and write on shipments.
    pub maintenance: Arc<dyn jobs::MaintenanceStore>,
    /// Which database (`sqlite` or `postgres`).
    pub kind: &'static str,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("kind", &self.kind)
            .finish()
    }
}

/// Opens the database named by `url` and brings its schema up to date: `sqlite://<path>`
/// (created if missing), `sqlite::memory:`, or `postgres://user:password@host:port/database`
/// (also `postgresql://`; `?options[search_path]=<schema>` picks a schema other than `public`).
pub async fn open(url: &str) -> Result<Database, ServerError> {
    if url.starts_with("sqlite:") {
        let db = sqlite::SqliteDb::open(url).await?;
        return Ok(db.into_database());
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let db = postgres::PgDb::open(url).await?;
        return Ok(db.into_database());
    }
    Err(ServerError::Config {
        field: "database_url".into(),
        detail: format!(
            "'{}' is neither a sqlite: nor a postgres:// URL",
            url.rsplit('@').next().unwrap_or_default()
        ),
    })
}
