//! Authentication and authorization: API keys ([`api_keys`]) and user sessions
//! ([`sessions`]) both resolve to a [`Principal`] (company, role, actor); every route then
//! checks one [`roles::Permission`]. Credentials travel as `Authorization: Bearer <token>`
//! (an API key starts with `kj_`, anything else is read as a session token) or, for API keys,
//! in `X-Api-Key`.

pub mod api_keys;
pub mod roles;
pub mod sessions;

use crate::error::{ApiError, ServerError};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use roles::{Permission, Role};

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The caller's company: every object it reads or writes must belong to it.
    pub company: String,
    /// Its role.
    pub role: Role,
    /// `key:<id>` or `user:<id>`.
    pub actor: String,
}

impl Principal {
    /// `auth.forbidden` unless the role has `p`.
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        if self.role.allows(p) {
            Ok(())
        } else {
            Err(ServerError::Forbidden {
                role: self.role.id(),
                permission: p.id(),
            }
            .into())
        }
    }
}

/// Both credential kinds.
#[derive(Debug)]
pub struct Authenticator {
    /// API keys.
    pub keys: api_keys::ApiKeys,
    /// Sessions.
    pub sessions: sessions::Sessions,
}

impl Authenticator {
    /// Resolves the credentials in `headers`.
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<Principal, kargojet::Error> {
        let bearer = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .and_then(|v| {
                let (scheme, rest) = v.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
        let api_key = headers
            .get("x-api-key")
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        match (bearer, api_key) {
            (Some(t), _) if t.starts_with(api_keys::PREFIX) => self.keys.verify(t).await,
            (Some(t), _) if !t.is_empty() => self.sessions.verify(t).await,
            (_, Some(k)) if !k.is_empty() => self.keys.verify(k).await,
            _ if headers.contains_key(axum::http::header::AUTHORIZATION) => Err(
                ServerError::Unauthenticated("the Authorization header is not Bearer".into())
                    .into(),
            ),
            _ => Err(ServerError::Unauthenticated(
                "no credentials: send Authorization: Bearer <API key or session token>".into(),
            )
            .into()),
        }
    }
}

impl FromRequestParts<AppState> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let p = state.auth.authenticate(&parts.headers).await?;
        crate::request_ctx::current().set_principal(&p);
        Ok(p)
    }
}

/// A permission as a type, so a route states it in its signature and the check runs before
/// the body is read (a forbidden caller gets 403 whatever it sent).
pub trait Perm: Send + Sync + 'static {
    /// The permission.
    const P: Permission;
}

/// One marker type per permission (`perm::QuoteCreate`, …).
pub mod perm {
    use super::{Perm, Permission};

    macro_rules! markers {
        ($($name:ident),* $(,)?) => {$(
            #[doc = concat!("The `", stringify!($name), "` permission.")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;
            impl Perm for $name {
                const P: Permission = Permission::$name;
            }
        )*};
    }

    markers!(
        QuoteCreate,
        ShipmentCreate,
        ShipmentRead,
        ShipmentCancel,
        ShipmentReturn,
        LabelRead,
        TrackingRefresh,
        BulkUpload,
        WalletRead,
        WalletTopUp,
        StatementRead,
        CarrierAccountRead,
        CarrierAccountWrite,
        InsightsRead,
        UserManage,
        CompanyWrite,
        AuditRead,
        SandboxControl,
    );
}

/// An authenticated caller whose role has `P` (401 or 403 otherwise).
#[derive(Debug, Clone)]
pub struct Allowed<P: Perm> {
    principal: Principal,
    _p: std::marker::PhantomData<P>,
}

impl<P: Perm> std::ops::Deref for Allowed<P> {
    type Target = Principal;
    fn deref(&self) -> &Principal {
        &self.principal
    }
}

impl<P: Perm> FromRequestParts<AppState> for Allowed<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let principal = Principal::from_request_parts(parts, state).await?;
        principal.require(P::P)?;
        Ok(Allowed {
            principal,
            _p: std::marker::PhantomData,
        })
    }
}
