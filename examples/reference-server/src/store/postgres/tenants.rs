//! Companies, users and API keys.

use super::{PgDb, corrupt, from_json, is_unique_violation, parse_ts, store_err, to_json, ts};
use crate::auth::roles::Role;
use crate::store::{ApiKeyRecord, CompanyRecord, StoreResult, TenantStore, UserRecord};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;
use sqlx::postgres::PgRow;

fn role(s: &str) -> StoreResult<Role> {
    Role::parse(s).ok_or_else(|| corrupt("role", s))
}

fn company_of(r: &PgRow) -> StoreResult<CompanyRecord> {
    let sender: Option<String> = r.try_get("sender").map_err(store_err)?;
    Ok(CompanyRecord {
        id: r.try_get("id").map_err(store_err)?,
        name: r.try_get("name").map_err(store_err)?,
        sender: match sender {
            Some(s) => Some(from_json("company sender", &s)?),
            None => None,
        },
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
    })
}

fn user_of(r: &PgRow) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        id: r.try_get("id").map_err(store_err)?,
        company: r.try_get("company").map_err(store_err)?,
        email: r.try_get("email").map_err(store_err)?,
        name: r.try_get("name").map_err(store_err)?,
        role: role(&r.try_get::<String, _>("role").map_err(store_err)?)?,
        password_hash: r.try_get("password_hash").map_err(store_err)?,
        disabled: r.try_get::<bool, _>("disabled").map_err(store_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
    })
}

fn key_of(r: &PgRow) -> StoreResult<ApiKeyRecord> {
    let revoked: Option<String> = r.try_get("revoked_at").map_err(store_err)?;
    Ok(ApiKeyRecord {
        id: r.try_get("id").map_err(store_err)?,
        company: r.try_get("company").map_err(store_err)?,
        name: r.try_get("name").map_err(store_err)?,
        role: role(&r.try_get::<String, _>("role").map_err(store_err)?)?,
        hash: r.try_get("hash").map_err(store_err)?,
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
        created_by: r.try_get("created_by").map_err(store_err)?,
        revoked_at: match revoked {
            Some(s) => Some(parse_ts(&s)?),
            None => None,
        },
    })
}

#[async_trait]
impl TenantStore for PgDb {
    async fn create_company(&self, c: &CompanyRecord) -> StoreResult<bool> {
        let sender = match &c.sender {
            Some(s) => Some(to_json(s)?),
            None => None,
        };
        let r = sqlx::query(
            "INSERT INTO companies (id, name, sender, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&c.id)
        .bind(&c.name)
        .bind(sender)
        .bind(ts(c.created_at))
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn company(&self, id: &str) -> StoreResult<Option<CompanyRecord>> {
        let row = sqlx::query("SELECT id, name, sender, created_at FROM companies WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_err)?;
        row.as_ref().map(company_of).transpose()
    }

    async fn set_sender(&self, id: &str, sender: &serde_json::Value) -> StoreResult<()> {
        sqlx::query("UPDATE companies SET sender = $1 WHERE id = $2")
            .bind(to_json(sender)?)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(store_err)?;
        Ok(())
    }

    async fn create_user(&self, u: &UserRecord) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO users (id, company, email, name, role, password_hash, disabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&u.id)
        .bind(&u.company)
        .bind(&u.email)
        .bind(&u.name)
        .bind(u.role.id())
        .bind(&u.password_hash)
        .bind(u.disabled)
        .bind(ts(u.created_at))
        .execute(&self.pool)
        .await;
        match r {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(store_err(e)),
        }
    }

    async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let row = sqlx::query("SELECT * FROM users WHERE email = $1")
            .bind(email)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_err)?;
        row.as_ref().map(user_of).transpose()
    }

    async fn user(&self, id: &str) -> StoreResult<Option<UserRecord>> {
        let row = sqlx::query("SELECT * FROM users WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_err)?;
        row.as_ref().map(user_of).transpose()
    }

    async fn users(&self, company: &str) -> StoreResult<Vec<UserRecord>> {
        let rows = sqlx::query("SELECT * FROM users WHERE company = $1 ORDER BY created_at, id")
            .bind(company)
            .fetch_all(&self.pool)
            .await
            .map_err(store_err)?;
        rows.iter().map(user_of).collect()
    }

    async fn create_api_key(&self, k: &ApiKeyRecord) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO api_keys (id, company, name, role, hash, created_at, created_by, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&k.id)
        .bind(&k.company)
        .bind(&k.name)
        .bind(k.role.id())
        .bind(&k.hash)
        .bind(ts(k.created_at))
        .bind(&k.created_by)
        .bind(k.revoked_at.map(ts))
        .execute(&self.pool)
        .await;
        match r {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(store_err(e)),
        }
    }

    async fn api_key(&self, id: &str) -> StoreResult<Option<ApiKeyRecord>> {
        let row = sqlx::query("SELECT * FROM api_keys WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_err)?;
        row.as_ref().map(key_of).transpose()
    }

    async fn api_keys(&self, company: &str) -> StoreResult<Vec<ApiKeyRecord>> {
        let rows = sqlx::query("SELECT * FROM api_keys WHERE company = $1 ORDER BY created_at, id")
            .bind(company)
            .fetch_all(&self.pool)
            .await
            .map_err(store_err)?;
        rows.iter().map(key_of).collect()
    }

    async fn revoke_api_key(
        &self,
        company: &str,
        id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE company = $2 AND id = $3",
        )
        .bind(ts(at))
        .bind(company)
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }
}
