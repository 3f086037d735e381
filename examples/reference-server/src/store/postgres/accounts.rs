//! Sellers' carrier accounts (credentials stay sealed here; only the engine opens them).

use super::{PgDb, from_json, is_unique_violation, parse_ts, store_err, to_json, ts};
use crate::crypto::Sealed;
use crate::store::{CarrierAccountRecord, CarrierAccountStore, StoreResult};
use async_trait::async_trait;
use sqlx::Row;
use sqlx::postgres::PgRow;

fn account_of(r: &PgRow) -> StoreResult<CarrierAccountRecord> {
    Ok(CarrierAccountRecord {
        id: r.try_get("id").map_err(store_err)?,
        company: r.try_get("company").map_err(store_err)?,
        carrier: r.try_get("carrier").map_err(store_err)?,
        name: r.try_get("name").map_err(store_err)?,
        sealed: Sealed {
            key_id: r.try_get("key_id").map_err(store_err)?,
            nonce: r.try_get("nonce").map_err(store_err)?,
            ciphertext: r.try_get("ciphertext").map_err(store_err)?,
        },
        credential_names: from_json(
            "credential names",
            &r.try_get::<String, _>("credential_names")
                .map_err(store_err)?,
        )?,
        tariff: r.try_get("tariff").map_err(store_err)?,
        cod_fee: match r
            .try_get::<Option<String>, _>("cod_fee")
            .map_err(store_err)?
        {
            Some(s) => Some(from_json("cod fee", &s)?),
            None => None,
        },
        created_at: parse_ts(&r.try_get::<String, _>("created_at").map_err(store_err)?)?,
        updated_at: parse_ts(&r.try_get::<String, _>("updated_at").map_err(store_err)?)?,
    })
}

#[async_trait]
impl CarrierAccountStore for PgDb {
    async fn insert(&self, a: &CarrierAccountRecord) -> StoreResult<bool> {
        let r = sqlx::query(
            "INSERT INTO carrier_accounts (id, company, carrier, name, key_id, nonce, ciphertext, credential_names, tariff, cod_fee, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&a.id)
        .bind(&a.company)
        .bind(&a.carrier)
        .bind(&a.name)
        .bind(&a.sealed.key_id)
        .bind(&a.sealed.nonce)
        .bind(&a.sealed.ciphertext)
        .bind(to_json(&a.credential_names)?)
        .bind(&a.tariff)
        .bind(a.cod_fee.as_ref().map(to_json).transpose()?)
        .bind(ts(a.created_at))
        .bind(ts(a.updated_at))
        .execute(&self.pool)
        .await;
        match r {
            Ok(_) => Ok(true),
            Err(e) if is_unique_violation(&e) => Ok(false),
            Err(e) => Err(store_err(e)),
        }
    }

    async fn update(&self, a: &CarrierAccountRecord) -> StoreResult<bool> {
        let r = sqlx::query(
            "UPDATE carrier_accounts SET key_id = $1, nonce = $2, ciphertext = $3, credential_names = $4, tariff = $5, cod_fee = $6, updated_at = $7 WHERE company = $8 AND id = $9",
        )
        .bind(&a.sealed.key_id)
        .bind(&a.sealed.nonce)
        .bind(&a.sealed.ciphertext)
        .bind(to_json(&a.credential_names)?)
        .bind(&a.tariff)
        .bind(a.cod_fee.as_ref().map(to_json).transpose()?)
        .bind(ts(a.updated_at))
        .bind(&a.company)
        .bind(&a.id)
        .execute(&self.pool)
        .await
        .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn delete(&self, company: &str, id: &str) -> StoreResult<bool> {
        let r = sqlx::query("DELETE FROM carrier_accounts WHERE company = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(store_err)?;
        Ok(r.rows_affected() == 1)
    }

    async fn get(&self, company: &str, id: &str) -> StoreResult<Option<CarrierAccountRecord>> {
        let row = sqlx::query("SELECT * FROM carrier_accounts WHERE company = $1 AND id = $2")
            .bind(company)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_err)?;
        row.as_ref().map(account_of).transpose()
    }

    async fn list(&self, company: &str) -> StoreResult<Vec<CarrierAccountRecord>> {
        let rows = sqlx::query(
            "SELECT * FROM carrier_accounts WHERE company = $1 ORDER BY created_at, id",
        )
        .bind(company)
        .fetch_all(&self.pool)
        .await
        .map_err(store_err)?;
        rows.iter().map(account_of).collect()
    }

    async fn all(&self) -> StoreResult<Vec<CarrierAccountRecord>> {
        let rows = sqlx::query("SELECT * FROM carrier_accounts ORDER BY company, created_at, id")
            .fetch_all(&self.pool)
            .await
            .map_err(store_err)?;
        rows.iter().map(account_of).collect()
    }
}
