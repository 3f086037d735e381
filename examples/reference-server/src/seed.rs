//! Start-up seeding: the demo company (sender address, topped-up wallet, an admin API key)
//! and the companies of the configuration's `[[seed]]` list. Seeding is idempotent: a restart
//! finds everything in place and changes nothing.

use crate::auth::roles::Role;
use crate::error::ServerError;
use crate::state::AppState;
use crate::store::CompanyRecord;
use kargojet::money::Money;
use kargojet::shipment::{AddressDraft, PartyDraft};
use kargojet::wallet::TransferId;
use rust_decimal::Decimal;

/// A seeded company and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seeded {
    /// Company id.
    pub company: String,
    /// Its API key.
    pub api_key: String,
    /// The key's role.
    pub role: Role,
}

/// The demo sender: a textile shop in Kadıköy.
pub fn demo_sender() -> PartyDraft {
    PartyDraft {
        name: "Moda Tekstil Ltd.".into(),
        phone: "0216 345 67 89".into(),
        email: None,
        address: AddressDraft {
            province: "İstanbul".into(),
            district: "Kadıköy".into(),
            line: "Caferağa Mah. Moda Cad. No: 12".into(),
            postal_code: Some("34710".into()),
        },
    }
}

fn check_company_id(id: &str) -> Result<(), ServerError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ServerError::Config {
            field: "seed.company".into(),
            detail: format!("'{id}' must be 1–64 lower-case letters, digits, '-' or '_'"),
        })
    }
}

/// Creates one company with its wallet, opening top-up and API key.
pub async fn seed_company(
    state: &AppState,
    id: &str,
    name: &str,
    api_key: &str,
    role: Role,
    top_up: Decimal,
) -> Result<Seeded, kargojet::Error> {
    check_company_id(id)?;
    let created = state
        .db
        .tenants
        .create_company(&CompanyRecord {
            id: id.to_string(),
            name: name.to_string(),
            sender: None,
            created_at: chrono::Utc::now(),
        })
        .await?;
    let company = state.db.tenants.company(id).await?;
    if created || company.is_some_and(|c| c.sender.is_none()) {
        let json = serde_json::to_value(demo_sender())
            .map_err(|e| ServerError::Internal(e.to_string()))?;
        state.db.tenants.set_sender(id, &json).await?;
    }
    let wallet = &state.engine.wallet;
    wallet.open_company(id, Money::zero()).await?;
    if top_up > Decimal::ZERO {
        // One opening top-up per amount: restarts replay it (nothing moves twice).
        let tid = TransferId(format!("seed:{id}:opening:{}", top_up.normalize()));
        wallet
            .top_up(&tid, id, Money::try_lira(top_up), "opening balance (seed)")
            .await?;
    }
    state
        .auth
        .keys
        .create(id, "seed", role, "seed", Some(api_key))
        .await?;
    Ok(Seeded {
        company: id.to_string(),
        api_key: api_key.to_string(),
        role,
    })
}

/// Seeds the demo company and the configured ones.
pub async fn seed(state: &AppState) -> Result<Vec<Seeded>, kargojet::Error> {
    let mut out = Vec::new();
    let c = &state.config;
    if c.demo.enabled {
        let key = c
            .demo
            .api_key
            .clone()
            .unwrap_or_else(|| state.secrets.demo_api_key.clone());
        out.push(
            seed_company(
                state,
                &c.demo.company,
                &c.demo.name,
                &key,
                Role::Admin,
                c.demo.top_up,
            )
            .await?,
        );
    }
    for s in &c.seeds {
        let role = match &s.role {
            None => Role::Admin,
            Some(r) => Role::parse(r).ok_or_else(|| ServerError::Config {
                field: "seed.role".into(),
                detail: format!("'{r}' is not a role"),
            })?,
        };
        out.push(
            seed_company(
                state,
                &s.company,
                s.name.as_deref().unwrap_or(&s.company),
                &s.api_key,
                role,
                s.top_up.unwrap_or_default(),
            )
            .await?,
        );
    }
    Ok(out)
}
