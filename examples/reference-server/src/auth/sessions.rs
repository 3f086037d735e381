//! User sessions: a login with e-mail and password (argon2id) yields a JWT signed with
//! HS256 under the server's key. Verification accepts only HS256 (so `alg: none` and
//! public-key/HMAC confusion are refused before any signature check), requires `exp`, `iat`,
//! `iss`, `aud` and `sub`, checks issuer and audience exactly, and finally that the user still
//! exists and is not disabled.

use super::Principal;
use super::roles::Role;
use crate::error::ServerError;
use crate::store::{TenantStore, UserRecord};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The claims of a session token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The user's company.
    pub company: String,
    /// The user's role.
    pub role: Role,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
    /// Issued at (unix seconds).
    pub iat: i64,
    /// Expiry (unix seconds).
    pub exp: i64,
    /// Token id.
    pub jti: String,
}

/// Issues and verifies session tokens, hashes and checks passwords.
pub struct Sessions {
    encoding: EncodingKey,
    decoding: DecodingKey,
    issuer: String,
    audience: String,
    ttl_secs: u64,
    store: Arc<dyn TenantStore>,
    dummy_hash: String,
}

impl std::fmt::Debug for Sessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sessions")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .finish_non_exhaustive()
    }
}

/// A hash of `password` (argon2id, random salt, PHC string).
pub fn hash_password(password: &str) -> Result<String, ServerError> {
    let salt_bytes = crate::ids::random_bytes(16);
    let salt = SaltString::encode_b64(&salt_bytes)
        .map_err(|e| ServerError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServerError::Internal(format!("password hash: {e}")))
}

fn password_matches(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

impl Sessions {
    /// Sessions signed with `secret`.
    pub fn new(
        secret: &[u8],
        issuer: &str,
        audience: &str,
        ttl_secs: u64,
        store: Arc<dyn TenantStore>,
    ) -> Result<Sessions, ServerError> {
        Ok(Sessions {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            issuer: issuer.to_string(),
            audience: audience.to_string(),
            ttl_secs,
            store,
            dummy_hash: hash_password("not a password: equalizes the time of unknown users")?,
        })
    }

    /// The session lifetime.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// A token for `user`, valid from `now` (unix seconds) for the session lifetime.
    pub fn issue(&self, user: &UserRecord, now: i64) -> Result<(String, Claims), ServerError> {
        let claims = Claims {
            sub: user.id.clone(),
            company: user.company.clone(),
            role: user.role,
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            exp: now.saturating_add(i64::try_from(self.ttl_secs).unwrap_or(i64::MAX)),
            jti: crate::ids::random_token(16),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| ServerError::Internal(format!("token: {e}")))?;
        Ok((token, claims))
    }

    /// Checks e-mail and password; the same error (and about the same time) for an unknown
    /// e-mail, a wrong password and a disabled user.
    pub async fn login(&self, email: &str, password: &str) -> Result<UserRecord, kargojet::Error> {
        let user = self
            .store
            .user_by_email(&email.trim().to_lowercase())
            .await?;
        let hash = user
            .as_ref()
            .map_or(self.dummy_hash.as_str(), |u| &u.password_hash);
        let ok = password_matches(password, hash);
        match user {
            Some(u) if ok && !u.disabled => Ok(u),
            _ => Err(ServerError::Unauthenticated("e-mail or password is wrong".into()).into()),
        }
    }

    fn validation(&self) -> Validation {
        let mut v = Validation::new(Algorithm::HS256);
        v.set_issuer(&[&self.issuer]);
        v.set_audience(&[&self.audience]);
        v.leeway = 5;
        v.required_spec_claims = ["exp", "iat", "iss", "aud", "sub"]
            .into_iter()
            .map(String::from)
            .collect();
        v
    }

    /// Verifies a session token.
    pub async fn verify(&self, token: &str) -> Result<Principal, kargojet::Error> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation())
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => ServerError::SessionExpired,
                ErrorKind::InvalidAlgorithm => {
                    ServerError::Unauthenticated("the token's algorithm is not accepted".into())
                }
                ErrorKind::InvalidIssuer | ErrorKind::InvalidAudience => {
                    ServerError::Unauthenticated("the token is not for this server".into())
                }
                ErrorKind::InvalidSignature => {
                    ServerError::Unauthenticated("the token's signature is wrong".into())
                }
                _ => ServerError::Unauthenticated("the token is not valid".into()),
            })?;
        let c = data.claims;
        let user = self.store.user(&c.sub).await?;
        match user {
            Some(u) if !u.disabled && u.company == c.company => Ok(Principal {
                company: u.company,
                role: u.role,
                actor: format!("user:{}", u.id),
            }),
            _ => Err(ServerError::Unauthenticated("the user no longer exists".into()).into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::test_db::fresh;
    use crate::store::{CompanyRecord, TenantStore};
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
    use chrono::Utc;
    use kargojet::error::Code;

    async fn setup() -> (Sessions, UserRecord) {
        let db: Arc<dyn TenantStore> = Arc::new(fresh().await);
        let _ = db
            .create_company(&CompanyRecord {
                id: "acme".into(),
                name: "Acme".into(),
                sender: None,
                created_at: Utc::now(),
            })
            .await;
        let user = UserRecord {
            id: "usr_1".into(),
            company: "acme".into(),
            email: "ayse@acme.test".into(),
            name: "Ayşe".into(),
            role: Role::Finance,
            password_hash: hash_password("doğru-parola").unwrap_or_default(),
            disabled: false,
            created_at: Utc::now(),
        };
        assert_eq!(db.create_user(&user).await.ok(), Some(true));
        let Ok(s) = Sessions::new(&[3u8; 32], "iss", "aud", 60, db) else {
            panic!("sessions")
        };
        (s, user)
    }

    fn code(r: Result<Principal, kargojet::Error>) -> Option<Code> {
        r.err().map(|e| e.code())
    }

    #[tokio::test]
    async fn tokens_are_checked_strictly() {
        let (s, user) = setup().await;
        assert!(s.login("AYSE@acme.test", "doğru-parola").await.is_ok());
        assert!(s.login("ayse@acme.test", "yanlış").await.is_err());
        assert!(s.login("nobody@acme.test", "doğru-parola").await.is_err());
        let now = Utc::now().timestamp();
        let Ok((token, _)) = s.issue(&user, now) else {
            panic!("issued")
        };
        let p = s.verify(&token).await;
        assert_eq!(p.as_ref().ok().map(|p| p.role), Some(Role::Finance));
        // Expired.
        let Ok((old, _)) = s.issue(&user, now - 3600) else {
            panic!("issued")
        };
        assert_eq!(code(s.verify(&old).await), Some(Code::AuthExpired));
        // Signed with another key.
        let other = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &Claims {
                sub: user.id.clone(),
                company: "acme".into(),
                role: Role::Admin,
                iss: "iss".into(),
                aud: "aud".into(),
                iat: now,
                exp: now + 60,
                jti: "x".into(),
            },
            &EncodingKey::from_secret(&[4u8; 32]),
        )
        .unwrap_or_default();
        assert_eq!(code(s.verify(&other).await), Some(Code::AuthFailed));
        // alg: none, with the claims of a valid token and no signature.
        let payload = token.split('.').nth(1).unwrap_or_default();
        let none = format!(
            "{}.{payload}.",
            B64.encode(br#"{"alg":"none","typ":"JWT"}"#)
        );
        assert_eq!(code(s.verify(&none).await), Some(Code::AuthFailed));
        // Key confusion: HS384 (or an RS256 header) is not the accepted algorithm.
        let hs384 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS384),
            &jsonwebtoken::decode::<Claims>(&token, &s.decoding, &s.validation())
                .map(|d| d.claims)
                .unwrap_or_else(|_| panic!("decodes")),
            &EncodingKey::from_secret(&[3u8; 32]),
        )
        .unwrap_or_default();
        assert_eq!(code(s.verify(&hs384).await), Some(Code::AuthFailed));
        let rs = format!(
            "{}.{payload}.{}",
            B64.encode(br#"{"alg":"RS256","typ":"JWT"}"#),
            token.split('.').nth(2).unwrap_or_default()
        );
        assert_eq!(code(s.verify(&rs).await), Some(Code::AuthFailed));
        // Tampered payload (role raised) breaks the signature.
        let mut claims: serde_json::Value =
            serde_json::from_slice(&B64.decode(payload).unwrap_or_default()).unwrap_or_default();
        claims["role"] = "admin".into();
        let forged = format!(
            "{}.{}.{}",
            token.split('.').next().unwrap_or_default(),
            B64.encode(claims.to_string()),
            token.split('.').nth(2).unwrap_or_default()
        );
        assert_eq!(code(s.verify(&forged).await), Some(Code::AuthFailed));
    }
}
