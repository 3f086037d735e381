//! API keys for partner systems: `kj_<id>_<secret>` with a 200-bit secret, shown once, stored
//! as HMAC-SHA256 under the server's pepper (a stolen database does not yield usable keys),
//! verified from an in-memory cache (one HMAC and a constant-time compare: microseconds).
//! Revoking evicts the key from this process's cache at once; other replicas re-read a key
//! from the database after [`CACHE_TTL`].

use super::Principal;
use super::roles::Role;
use crate::error::ServerError;
use crate::store::{ApiKeyRecord, StoreResult, TenantStore};
use chrono::Utc;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use subtle::ConstantTimeEq;

/// How long a cached key is trusted before it is read again from the database.
pub const CACHE_TTL: Duration = Duration::from_secs(60);

/// The prefix of every key.
pub const PREFIX: &str = "kj_";

#[derive(Debug, Clone)]
struct Cached {
    hash: Vec<u8>,
    company: String,
    role: Role,
    revoked: bool,
    loaded: Instant,
}

/// Issues and verifies API keys.
pub struct ApiKeys {
    pepper: Vec<u8>,
    store: Arc<dyn TenantStore>,
    cache: RwLock<HashMap<String, Cached>>,
}

impl std::fmt::Debug for ApiKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeys").finish_non_exhaustive()
    }
}

/// A newly created key: the only time its secret is visible.
#[derive(Debug, Clone)]
pub struct NewKey {
    /// The whole key, to hand to the partner.
    pub key: String,
    /// The stored record.
    pub record: ApiKeyRecord,
}

/// Splits a key into its id, checking the shape (`kj_<id>_<secret>`).
pub fn parse_key(key: &str) -> Option<&str> {
    let rest = key.strip_prefix(PREFIX)?;
    let (id, secret) = rest.split_once('_')?;
    let ok_id = (8..=32).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric());
    let ok_secret =
        (24..=128).contains(&secret.len()) && secret.bytes().all(|b| b.is_ascii_alphanumeric());
    (ok_id && ok_secret).then_some(id)
}

impl ApiKeys {
    /// Keys hashed under `pepper`, stored in `store`.
    pub fn new(pepper: Vec<u8>, store: Arc<dyn TenantStore>) -> ApiKeys {
        ApiKeys {
            pepper,
            store,
            cache: RwLock::new(HashMap::new()),
        }
    }

    fn hash(&self, key: &str) -> Result<Vec<u8>, ServerError> {
        let mut m = Hmac::<Sha256>::new_from_slice(&self.pepper)
            .map_err(|_| ServerError::Internal("pepper unusable".into()))?;
        m.update(key.as_bytes());
        Ok(m.finalize().into_bytes().to_vec())
    }

    /// Creates a key for `company` with `role`. `fixed` is a key chosen by configuration
    /// (seeding); it must have the key shape.
    pub async fn create(
        &self,
        company: &str,
        name: &str,
        role: Role,
        created_by: &str,
        fixed: Option<&str>,
    ) -> Result<NewKey, kargojet::Error> {
        let key = match fixed {
            Some(k) => k.to_string(),
            None => format!(
                "{PREFIX}{}_{}",
                crate::ids::random_token(12),
                crate::ids::random_token(40)
            ),
        };
        let id = parse_key(&key).ok_or_else(|| {
            kargojet::Error::from(ServerError::Config {
                field: "api_key".into(),
                detail: "must look like kj_<8–32 letters or digits>_<24–128 letters or digits>"
                    .into(),
            })
        })?;
        let record = ApiKeyRecord {
            id: id.to_string(),
            company: company.to_string(),
            name: name.to_string(),
            role,
            hash: self.hash(&key)?,
            created_at: Utc::now(),
            created_by: created_by.to_string(),
            revoked_at: None,
        };
        if !self.store.create_api_key(&record).await? {
            // Seeding again with the same key is fine; another key under the same id is not.
            let existing = self.store.api_key(id).await?;
            let same = existing
                .as_ref()
                .is_some_and(|e| bool::from(e.hash.ct_eq(&record.hash)) && e.company == company);
            if !same {
                return Err(ServerError::Config {
                    field: "api_key".into(),
                    detail: format!("key id {id} exists with another secret or company"),
                }
                .into());
            }
            if let Some(e) = existing {
                return Ok(NewKey { key, record: e });
            }
        }
        Ok(NewKey { key, record })
    }

    async fn load(&self, id: &str) -> StoreResult<Option<Cached>> {
        Ok(self.store.api_key(id).await?.map(|r| Cached {
            hash: r.hash,
            company: r.company,
            role: r.role,
            revoked: r.revoked_at.is_some(),
            loaded: Instant::now(),
        }))
    }

    /// Verifies a presented key.
    pub async fn verify(&self, key: &str) -> Result<Principal, kargojet::Error> {
        let id = parse_key(key)
            .ok_or_else(|| ServerError::Unauthenticated("malformed API key".into()))?;
        let hit = self
            .cache
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
            .filter(|c| c.loaded.elapsed() < CACHE_TTL)
            .cloned();
        let entry = match hit {
            Some(c) => c,
            None => {
                let Some(c) = self.load(id).await? else {
                    return Err(ServerError::Unauthenticated("unknown API key".into()).into());
                };
                self.cache
                    .write()
                    .unwrap_or_else(|p| p.into_inner())
                    .insert(id.to_string(), c.clone());
                c
            }
        };
        let presented = self.hash(key)?;
        if !bool::from(presented.ct_eq(&entry.hash)) {
            return Err(ServerError::Unauthenticated("unknown API key".into()).into());
        }
        if entry.revoked {
            return Err(ServerError::Unauthenticated("the API key was revoked".into()).into());
        }
        Ok(Principal {
            company: entry.company,
            role: entry.role,
            actor: format!("key:{id}"),
        })
    }

    /// Revokes a company's key; `false` if the company has no such key.
    pub async fn revoke(&self, company: &str, id: &str) -> Result<bool, kargojet::Error> {
        let done = self.store.revoke_api_key(company, id, Utc::now()).await?;
        if done {
            self.cache
                .write()
                .unwrap_or_else(|p| p.into_inner())
                .remove(id);
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::test_db::fresh;
    use crate::store::{CompanyRecord, TenantStore};

    /// A fresh database holding the company `acme`.
    async fn db_with_acme() -> Arc<dyn TenantStore> {
        let db: Arc<dyn TenantStore> = Arc::new(fresh().await);
        let company = CompanyRecord {
            id: "acme".into(),
            name: "Acme".into(),
            sender: None,
            created_at: Utc::now(),
        };
        assert_eq!(db.create_company(&company).await.ok(), Some(true));
        db
    }

    #[tokio::test]
    async fn verification_is_served_from_memory() {
        let db = db_with_acme().await;
        let keys = ApiKeys::new(vec![7u8; 32], db.clone());
        let Ok(k) = keys
            .create("acme", "shop", Role::Operations, "test", None)
            .await
        else {
            panic!("created")
        };
        assert!(keys.verify(&k.key).await.is_ok(), "first use loads the key");
        // Revoked in the database behind this process's back (another replica did it): the
        // cached entry keeps answering, so verification does not touch the database.
        assert_eq!(
            db.revoke_api_key("acme", &k.record.id, Utc::now())
                .await
                .ok(),
            Some(true)
        );
        let cached = keys.verify(&k.key).await;
        assert_eq!(cached.ok().map(|p| p.role), Some(Role::Operations));
        // A verifier with an empty cache reads the database and refuses it.
        let fresh_keys = ApiKeys::new(vec![7u8; 32], db.clone());
        assert!(fresh_keys.verify(&k.key).await.is_err());
        // The cache holds the keyed hash, never the key, and a wrong secret under a cached id
        // is refused from memory too.
        let entry = keys
            .cache
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(&k.record.id)
            .cloned();
        assert!(entry.is_some_and(|e| e.hash.len() == 32 && e.hash != k.key.as_bytes()));
        let mut wrong = k.key.clone();
        wrong.pop();
        wrong.push(if k.key.ends_with('z') { 'y' } else { 'z' });
        assert!(keys.verify(&wrong).await.is_err());
    }

    #[tokio::test]
    async fn keys_verify_until_revoked() {
        let db = db_with_acme().await;
        let keys = ApiKeys::new(vec![5u8; 32], db.clone());
        let Ok(k) = keys
            .create("acme", "shop", Role::Seller, "test", None)
            .await
        else {
            panic!("created")
        };
        let p = keys.verify(&k.key).await;
        assert_eq!(p.as_ref().ok().map(|p| p.role), Some(Role::Seller));
        // Stored as a keyed hash, never the key.
        let stored = db.api_key(&k.record.id).await.ok().flatten();
        assert!(stored.is_some_and(|s| s.hash.len() == 32 && !s.hash.is_empty()));
        let mut tampered = k.key.clone();
        tampered.pop();
        tampered.push(if k.key.ends_with('a') { 'b' } else { 'a' });
        assert!(keys.verify(&tampered).await.is_err());
        assert!(keys.verify("kj_nope").await.is_err());
        assert_eq!(keys.revoke("other", &k.record.id).await.ok(), Some(false));
        assert_eq!(keys.revoke("acme", &k.record.id).await.ok(), Some(true));
        assert!(keys.verify(&k.key).await.is_err());
        // The same fixed key seeds twice; a different secret under its id does not.
        let fixed = "kj_seedkey01_abcdefghijklmnopqrstuvwxyz012345";
        assert!(
            keys.create("acme", "s", Role::Admin, "seed", Some(fixed))
                .await
                .is_ok()
        );
        assert!(
            keys.create("acme", "s", Role::Admin, "seed", Some(fixed))
                .await
                .is_ok()
        );
        let other = "kj_seedkey01_abcdefghijklmnopqrstuvwxyz012346";
        assert!(
            keys.create("acme", "s", Role::Admin, "seed", Some(other))
                .await
                .is_err()
        );
        assert!(
            keys.create("acme", "s", Role::Admin, "seed", Some("short"))
                .await
                .is_err()
        );
    }
}
