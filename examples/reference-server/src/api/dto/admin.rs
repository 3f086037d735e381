//! Requests and responses of sessions, API keys, users, the company, carrier accounts, the
//! audit log, the sandbox clock, health and webhooks.

use super::common::CarrierCode;
use super::input::PartyInput;
use crate::auth::roles::Role;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// `POST /v1/auth/login`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// Login e-mail.
    #[schema(example = "ops@demo.example", min_length = 3, max_length = 254)]
    pub email: String,
    /// Password.
    #[schema(min_length = 1, max_length = 200)]
    pub password: String,
}

/// A session.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    /// The JWT: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// `Bearer`.
    pub token_type: String,
    /// When it expires.
    #[schema(format = DateTime)]
    pub expires_at: String,
    /// The user's company.
    pub company: String,
    /// The user's role.
    pub role: Role,
}

/// `POST /v1/api-keys`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyBody {
    /// A name for people (`Shopify entegrasyonu`).
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    /// The key's role.
    pub role: Role,
}

/// An API key (never its secret, except once at creation).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKeyView {
    /// Public id (the part after `kj_`).
    pub id: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// When created.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// Who created it.
    pub created_by: String,
    /// When revoked.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, format = DateTime)]
    pub revoked_at: Option<String>,
}

/// A created API key: the only response that contains the key.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKeyCreated {
    /// The key. Store it now: it cannot be shown again.
    pub key: String,
    /// The key's record.
    pub api_key: ApiKeyView,
}

/// A list of API keys.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiKeyList {
    /// Keys, oldest first.
    pub items: Vec<ApiKeyView>,
}

/// `POST /v1/users`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserBody {
    /// Login e-mail (unique across the server).
    #[schema(min_length = 3, max_length = 254)]
    pub email: String,
    /// Display name.
    #[schema(min_length = 1, max_length = 200)]
    pub name: String,
    /// Role.
    pub role: Role,
    /// Initial password (12–200 characters).
    #[schema(min_length = 12, max_length = 200)]
    pub password: String,
}

/// A user.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    /// Id.
    pub id: String,
    /// Login e-mail.
    pub email: String,
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Disabled users cannot log in.
    pub disabled: bool,
    /// When created.
    #[schema(format = DateTime)]
    pub created_at: String,
}

/// A list of users.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserList {
    /// Users, oldest first.
    pub items: Vec<UserView>,
}

/// The caller's company.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyView {
    /// Company id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The warehouse address bulk uploads ship from.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub sender: Option<PartyInput>,
    /// The caller's role.
    pub role: Role,
}

/// `POST /v1/carrier-accounts`: a seller's own contract with a carrier.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierAccountBody {
    /// Carrier.
    pub carrier: CarrierCode,
    /// Account name within the company.
    #[schema(example = "main", pattern = r"^[a-z0-9_-]{1,40}$")]
    pub name: String,
    /// The carrier's credentials (fields per carrier: see `GET /v1/carriers`). Stored
    /// encrypted; never returned.
    pub credentials: BTreeMap<String, String>,
    /// The contract tariff (TOML: `id`, `carrier`, `[[zone]]` with `bands` and
    /// `extra_per_desi`).
    #[schema(max_length = 100000)]
    pub tariff: String,
    /// The contract's COD fee; absent: the contract offers no cash on delivery.
    #[serde(default)]
    pub cod_fee: Option<CodFeeInput>,
}

/// A contract's COD fee: `max(amount × percent / 100, min)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodFeeInput {
    /// Percentage of the collected amount (0–100).
    #[serde(deserialize_with = "super::common::de_decimal")]
    #[schema(value_type = String, example = "1.5")]
    pub percent: rust_decimal::Decimal,
    /// Minimum fee in TRY.
    #[serde(deserialize_with = "super::common::de_decimal")]
    #[schema(value_type = String, example = "15.00")]
    pub min: rust_decimal::Decimal,
    /// Largest COD amount the contract accepts, in TRY.
    #[serde(default, deserialize_with = "super::common::de_opt_decimal")]
    #[schema(value_type = Option<String>, example = "20000")]
    pub max_cod: Option<rust_decimal::Decimal>,
}

/// `PATCH /v1/carrier-accounts/{id}`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierAccountPatch {
    /// New credentials (all fields).
    #[serde(default)]
    pub credentials: Option<BTreeMap<String, String>>,
    /// New tariff (TOML).
    #[serde(default)]
    #[schema(max_length = 100000)]
    pub tariff: Option<String>,
    /// New COD fee.
    #[serde(default)]
    pub cod_fee: Option<CodFeeInput>,
}

/// A carrier account (credentials never leave the server).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierAccountView {
    /// Id.
    pub id: String,
    /// Carrier id.
    pub carrier: String,
    /// Account name.
    pub name: String,
    /// The agreement id its offers carry.
    pub agreement_id: String,
    /// Names of the stored credential fields (values are never returned).
    pub credential_fields: Vec<String>,
    /// The contract tariff (TOML).
    pub tariff: String,
    /// The contract's COD fee, if it offers COD.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub cod_fee: Option<CodFeeView>,
    /// Id of the key that encrypts the credentials.
    pub key_id: String,
    /// When created.
    #[schema(format = DateTime)]
    pub created_at: String,
    /// When last changed.
    #[schema(format = DateTime)]
    pub updated_at: String,
}

/// A contract's COD fee.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodFeeView {
    /// Percentage.
    pub percent: String,
    /// Minimum fee in TRY.
    pub min: String,
    /// COD cap in TRY.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub max_cod: Option<String>,
}

/// A list of carrier accounts.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierAccountList {
    /// Accounts, oldest first.
    pub items: Vec<CarrierAccountView>,
}

/// A carrier this server knows.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierView {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// A connector runs for the platform's account (shipments can be bought).
    pub connected: bool,
    /// Cash on delivery.
    pub cod: bool,
    /// Label formats the carrier gives itself (KargoJet renders PDF and ZPL for any).
    pub label_formats: Vec<String>,
    /// Returns.
    pub returns: bool,
    /// Cancel rule: `never` or `before_pickup`.
    pub cancel: String,
    /// Credential fields of own accounts (`?` marks optional ones); empty when own accounts of
    /// this carrier are not supported.
    pub own_account_fields: Vec<String>,
}

/// The carriers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierList {
    /// Carriers.
    pub items: Vec<CarrierView>,
}

/// One audit record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditView {
    /// Order of recording (pass as `cursor` to page).
    pub seq: i64,
    /// When.
    #[schema(format = DateTime)]
    pub at: String,
    /// Who (`key:<id>`, `user:<id>`, `carrier:<id>`).
    pub actor: String,
    /// Their role.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub role: Option<String>,
    /// The request id.
    pub request_id: String,
    /// HTTP method.
    pub method: String,
    /// Route template.
    pub path: String,
    /// The object the path names.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub object: Option<String>,
    /// HTTP status of the answer.
    pub status: u16,
}

/// A page of audit records.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditList {
    /// Newest first.
    pub items: Vec<AuditView>,
    /// Pass as `cursor` for the next page.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub next_cursor: Option<String>,
}

/// `POST /v1/sandbox/clock`.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClockBody {
    /// Seconds to move the simulated clock forward (1 s – 1 year).
    #[schema(minimum = 1, maximum = 31536000)]
    pub advance_secs: u64,
}

/// The sandbox clock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClockView {
    /// Simulated now.
    #[schema(format = DateTime)]
    pub now: String,
    /// Seconds ahead of the wall clock.
    pub offset_secs: i64,
}

/// Liveness.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HealthView {
    /// `ok`.
    pub status: String,
    /// The server version.
    pub version: String,
}

/// Readiness.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReadyView {
    /// `ready` or `not_ready`.
    pub status: String,
    /// `ok` or the failure.
    pub database: String,
    /// Carriers with a running connector.
    pub carriers: usize,
}

/// What a webhook delivery did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookResult {
    /// Events in the delivery.
    pub received: usize,
    /// Events applied to a shipment.
    pub applied: usize,
    /// Events seen before (nothing changed).
    pub duplicates: usize,
    /// Events for shipments this server does not have.
    pub unmatched: usize,
}
