//! Sessions, API keys, users, the company profile, the audit log and the sandbox clock.

use crate::api::dto::admin::{
    ApiKeyCreated, ApiKeyList, ApiKeyView, AuditList, AuditView, ClockBody, ClockView, CompanyView,
    CreateApiKeyBody, CreateUserBody, LoginBody, SessionView, UserList, UserView,
};
use crate::api::dto::input::PartyInput;
use crate::auth::Principal;
use crate::auth::sessions::hash_password;
use crate::auth::{Allowed, perm};
use crate::error::{ApiResult, ServerError};
use crate::extract::{ApiJson, ApiQuery, NoBody};
use crate::request_ctx;
use crate::state::AppState;
use crate::store::{ApiKeyRecord, UserRecord};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kargojet::error::Code;
use kargojet::time::Clock;
use serde::Deserialize;
use utoipa::IntoParams;

fn rfc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn key_view(k: &ApiKeyRecord) -> ApiKeyView {
    ApiKeyView {
        id: k.id.clone(),
        name: k.name.clone(),
        role: k.role,
        created_at: rfc(k.created_at),
        created_by: k.created_by.clone(),
        revoked_at: k.revoked_at.map(rfc),
    }
}

fn user_view(u: &UserRecord) -> UserView {
    UserView {
        id: u.id.clone(),
        email: u.email.clone(),
        name: u.name.clone(),
        role: u.role,
        disabled: u.disabled,
        created_at: rfc(u.created_at),
    }
}

/// Logs a user in: a session token (JWT) for `Authorization: Bearer`.
#[utoipa::path(
    post,
    path = "/v1/auth/login",
    tag = "auth",
    operation_id = "login",
    request_body = LoginBody,
    responses((status = 200, description = "A session", body = SessionView))
)]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Json<SessionView>> {
    let user = state
        .auth
        .sessions
        .login(&body.email, &body.password)
        .await?;
    let (token, claims) = state
        .auth
        .sessions
        .issue(&user, chrono::Utc::now().timestamp())?;
    request_ctx::current().set_actor(request_ctx::Actor {
        actor: format!("user:{}", user.id),
        company: Some(user.company.clone()),
        role: Some(user.role.id().to_string()),
    });
    Ok(Json(SessionView {
        token,
        token_type: "Bearer".into(),
        expires_at: chrono::DateTime::from_timestamp(claims.exp, 0)
            .map(rfc)
            .unwrap_or_default(),
        company: user.company,
        role: user.role,
    }))
}

/// The company's API keys (never their secrets).
#[utoipa::path(
    get,
    path = "/v1/api-keys",
    tag = "auth",
    operation_id = "listApiKeys",
    responses((status = 200, description = "Keys", body = ApiKeyList))
)]
pub async fn list_keys(
    State(state): State<AppState>,
    principal: Allowed<perm::UserManage>,
) -> ApiResult<Json<ApiKeyList>> {
    let keys = state.db.tenants.api_keys(&principal.company).await?;
    Ok(Json(ApiKeyList {
        items: keys.iter().map(key_view).collect(),
    }))
}

/// Creates an API key for a partner system. The key is in this response only.
#[utoipa::path(
    post,
    path = "/v1/api-keys",
    tag = "auth",
    operation_id = "createApiKey",
    request_body = CreateApiKeyBody,
    responses((status = 201, description = "The key, shown once", body = ApiKeyCreated))
)]
pub async fn create_key(
    State(state): State<AppState>,
    principal: Allowed<perm::UserManage>,
    ApiJson(body): ApiJson<CreateApiKeyBody>,
) -> ApiResult<(StatusCode, Json<ApiKeyCreated>)> {
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(
            ServerError::bad_input(Code::RequestInvalid, "name", "1–100 characters").into(),
        );
    }
    let k = state
        .auth
        .keys
        .create(&principal.company, name, body.role, &principal.actor, None)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(ApiKeyCreated {
            key: k.key,
            api_key: key_view(&k.record),
        }),
    ))
}

/// Revokes an API key at once.
#[utoipa::path(
    delete,
    path = "/v1/api-keys/{id}",
    tag = "auth",
    operation_id = "revokeApiKey",
    params(("id" = String, Path, description = "Key id")),
    responses((status = 204, description = "Revoked"))
)]
pub async fn revoke_key(
    State(state): State<AppState>,
    principal: Allowed<perm::UserManage>,
    Path(id): Path<String>,
    _body: NoBody,
) -> ApiResult<StatusCode> {
    // No lock-out by accident: the key making the request cannot revoke itself.
    if principal.actor == format!("key:{id}") {
        return Err(kargojet::Error::conflict(
            Code::RequestInvalid,
            "a key cannot revoke itself; use another admin key or a session",
        )
        .into());
    }
    if !state.auth.keys.revoke(&principal.company, &id).await? {
        return Err(ServerError::not_found("api key").into());
    }
    Ok(StatusCode::NO_CONTENT)
}

/// The company's users.
#[utoipa::path(
    get,
    path = "/v1/users",
    tag = "auth",
    operation_id = "listUsers",
    responses((status = 200, description = "Users", body = UserList))
)]
pub async fn list_users(
    State(state): State<AppState>,
    principal: Allowed<perm::UserManage>,
) -> ApiResult<Json<UserList>> {
    let users = state.db.tenants.users(&principal.company).await?;
    Ok(Json(UserList {
        items: users.iter().map(user_view).collect(),
    }))
}

/// Adds a user who logs in with e-mail and password.
#[utoipa::path(
    post,
    path = "/v1/users",
    tag = "auth",
    operation_id = "createUser",
    request_body = CreateUserBody,
    responses((status = 201, description = "The user", body = UserView))
)]
pub async fn create_user(
    State(state): State<AppState>,
    principal: Allowed<perm::UserManage>,
    ApiJson(body): ApiJson<CreateUserBody>,
) -> ApiResult<(StatusCode, Json<UserView>)> {
    let email = body.email.trim().to_lowercase();
    let valid_email = email.len() <= 254
        && email
            .split_once('@')
            .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !email.contains(' '));
    if !valid_email {
        return Err(
            ServerError::bad_input(Code::RequestInvalid, "email", "not an e-mail address").into(),
        );
    }
    let name = body.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(
            ServerError::bad_input(Code::RequestInvalid, "name", "1–200 characters").into(),
        );
    }
    let n = body.password.chars().count();
    if !(12..=200).contains(&n) {
        return Err(
            ServerError::bad_input(Code::RequestInvalid, "password", "12–200 characters").into(),
        );
    }
    let user = UserRecord {
        id: crate::ids::new_id("usr"),
        company: principal.company.clone(),
        email,
        name: name.to_string(),
        role: body.role,
        password_hash: hash_password(&body.password)?,
        disabled: false,
        created_at: chrono::Utc::now(),
    };
    if !state.db.tenants.create_user(&user).await? {
        return Err(kargojet::Error::conflict(
            Code::RequestInvalid,
            "a user with this e-mail exists",
        )
        .into());
    }
    Ok((StatusCode::CREATED, Json(user_view(&user))))
}

/// The caller's company and role.
#[utoipa::path(
    get,
    path = "/v1/company",
    tag = "company",
    operation_id = "getCompany",
    responses((status = 200, description = "The company", body = CompanyView))
)]
pub async fn get_company(
    State(state): State<AppState>,
    principal: Principal,
) -> ApiResult<Json<CompanyView>> {
    let c = state
        .db
        .tenants
        .company(&principal.company)
        .await?
        .ok_or_else(|| ServerError::not_found("company"))?;
    Ok(Json(CompanyView {
        id: c.id,
        name: c.name,
        sender: c.sender.and_then(|s| serde_json::from_value(s).ok()),
        role: principal.role,
    }))
}

/// Sets the warehouse address bulk uploads ship from.
#[utoipa::path(
    put,
    path = "/v1/company/sender",
    tag = "company",
    operation_id = "setCompanySender",
    request_body = PartyInput,
    responses((status = 200, description = "The company", body = CompanyView))
)]
pub async fn set_sender(
    State(state): State<AppState>,
    principal: Allowed<perm::CompanyWrite>,
    ApiJson(body): ApiJson<PartyInput>,
) -> ApiResult<Json<CompanyView>> {
    // Stored in its validated, normalized form (official names, digits-only phone).
    let party = body.draft().validate("sender")?;
    let normalized = kargojet::shipment::PartyDraft {
        name: party.name.clone(),
        phone: party.phone.with_leading_zero(),
        email: party.email.clone(),
        address: kargojet::shipment::AddressDraft {
            province: party.address.province.clone(),
            district: party.address.district.clone(),
            line: party.address.line.clone(),
            postal_code: party.address.postal_code.clone(),
        },
    };
    let json =
        serde_json::to_value(normalized).map_err(|e| ServerError::Internal(e.to_string()))?;
    state
        .db
        .tenants
        .set_sender(&principal.company, &json)
        .await?;
    get_company(State(state), (*principal).clone()).await
}

/// Paging of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// The `next_cursor` of the previous page.
    #[param(pattern = r"^\d{1,18}$")]
    pub cursor: Option<String>,
    /// Page size (1–500, default 100).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// The company's audit log: every state-changing request, newest first.
#[utoipa::path(
    get,
    path = "/v1/audit",
    tag = "company",
    operation_id = "listAudit",
    params(AuditQuery),
    responses((status = 200, description = "Audit records", body = AuditList))
)]
pub async fn list_audit(
    State(state): State<AppState>,
    principal: Allowed<perm::AuditRead>,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<AuditList>> {
    let before = match &q.cursor {
        None => None,
        Some(c) => Some(c.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
            ServerError::bad_input(Code::RequestInvalidValue, "query.cursor", "not a cursor")
        })?),
    };
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(
            ServerError::bad_input(Code::RequestInvalidValue, "query.limit", "1–500").into(),
        );
    }
    let rows = state
        .db
        .audit
        .list(&principal.company, before, limit)
        .await?;
    let next = (rows.len() == limit as usize)
        .then(|| rows.last().map(|r| r.seq.to_string()))
        .flatten();
    Ok(Json(AuditList {
        items: rows
            .iter()
            .map(|r| AuditView {
                seq: r.seq,
                at: rfc(r.at),
                actor: r.actor.clone(),
                role: r.role.clone(),
                request_id: r.request_id.clone(),
                method: r.method.clone(),
                path: r.path.clone(),
                object: r.object.clone(),
                status: r.status,
            })
            .collect(),
        next_cursor: next,
    }))
}

fn clock_view(state: &AppState) -> ClockView {
    let sb = state.engine.sandbox();
    ClockView {
        now: rfc(sb.clock().now()),
        offset_secs: sb.offset().num_seconds(),
    }
}

/// The sandbox's simulated clock.
#[utoipa::path(
    get,
    path = "/v1/sandbox/clock",
    tag = "sandbox",
    operation_id = "getSandboxClock",
    responses((status = 200, description = "The clock", body = ClockView))
)]
pub async fn get_clock(
    State(state): State<AppState>,
    _auth: Allowed<perm::SandboxControl>,
) -> ApiResult<Json<ClockView>> {
    Ok(Json(clock_view(&state)))
}

/// Moves the simulated clock forward: parcels at the simulators move through their states
/// (and Kolay Gelsin pushes its events).
#[utoipa::path(
    post,
    path = "/v1/sandbox/clock",
    tag = "sandbox",
    operation_id = "advanceSandboxClock",
    request_body = ClockBody,
    responses((status = 200, description = "The clock", body = ClockView))
)]
pub async fn advance_clock(
    State(state): State<AppState>,
    _auth: Allowed<perm::SandboxControl>,
    ApiJson(body): ApiJson<ClockBody>,
) -> ApiResult<Json<ClockView>> {
    if !(1..=31_536_000).contains(&body.advance_secs) {
        return Err(ServerError::bad_input(
            Code::RequestInvalidValue,
            "advance_secs",
            "1–31536000",
        )
        .into());
    }
    state
        .engine
        .sandbox()
        .advance(std::time::Duration::from_secs(body.advance_secs));
    Ok(Json(clock_view(&state)))
}
