//! The carriers, and sellers' own carrier accounts (their contracts: credentials and tariffs).
//! Credentials are encrypted at rest and never returned or logged.

use crate::api::dto::admin::{
    CarrierAccountBody, CarrierAccountList, CarrierAccountPatch, CarrierAccountView, CarrierList,
    CarrierView,
};
use crate::api::dto::admin::{CodFeeInput, CodFeeView};
use crate::api::dto::common::decimal_text;
use crate::auth::Principal;
use crate::auth::{Allowed, perm};
use crate::carriers;
use crate::engine::{credentials_aad, own_agreement_id, parse_tariff};
use crate::error::{ApiResult, ServerError};
use crate::extract::{ApiJson, NoBody};
use crate::state::AppState;
use crate::store::{CarrierAccountRecord, CodFeeTerms};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use kargojet::carrier::{AccountId, CancelRule, CarrierId};
use kargojet::error::Code;
use std::collections::BTreeMap;

fn rfc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn view(r: &CarrierAccountRecord) -> CarrierAccountView {
    CarrierAccountView {
        id: r.id.clone(),
        carrier: r.carrier.clone(),
        name: r.name.clone(),
        agreement_id: own_agreement_id(&r.company, &r.carrier, &r.name),
        credential_fields: r.credential_names.clone(),
        tariff: r.tariff.clone(),
        cod_fee: r.cod_fee.as_ref().map(|c| CodFeeView {
            percent: decimal_text(c.percent),
            min: decimal_text(c.min),
            max_cod: c.max_cod.map(decimal_text),
        }),
        key_id: r.sealed.key_id.clone(),
        created_at: rfc(r.created_at),
        updated_at: rfc(r.updated_at),
    }
}

/// The carriers this server knows, what they can do and which credentials own accounts need.
#[utoipa::path(
    get,
    path = "/v1/carriers",
    tag = "carrier accounts",
    operation_id = "listCarriers",
    responses((status = 200, description = "Carriers", body = CarrierList))
)]
pub async fn list_carriers(
    State(state): State<AppState>,
    _auth: Allowed<perm::QuoteCreate>,
) -> ApiResult<Json<CarrierList>> {
    let o = state.engine.orchestrator();
    let items = CarrierId::BUILTIN
        .iter()
        .map(|c| {
            let caps = o.capabilities(c);
            CarrierView {
                id: c.as_str().to_string(),
                name: c.display_name().to_string(),
                connected: o.connector(c, &AccountId::platform()).is_some(),
                cod: caps.is_some_and(|k| k.cod),
                label_formats: caps
                    .map(|k| {
                        k.label_formats
                            .iter()
                            .map(|f| format!("{f:?}").to_lowercase())
                            .collect()
                    })
                    .unwrap_or_default(),
                returns: caps.is_some_and(|k| k.returns),
                cancel: match caps.map(|k| k.cancel) {
                    Some(CancelRule::Never) | None => "never".into(),
                    Some(_) => "before_pickup".into(),
                },
                own_account_fields: carriers::credential_fields(c)
                    .unwrap_or_default()
                    .iter()
                    .map(|(f, required)| {
                        if *required {
                            f.to_string()
                        } else {
                            format!("{f}?")
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(Json(CarrierList { items }))
}

fn cod_terms(c: &CodFeeInput) -> ApiResult<CodFeeTerms> {
    use rust_decimal::Decimal;
    let bad = |field: &str, why: &str| {
        ServerError::bad_input(Code::RequestInvalidAmount, format!("cod_fee.{field}"), why)
    };
    if c.percent.is_sign_negative() || c.percent > Decimal::ONE_HUNDRED || c.percent.scale() > 4 {
        return Err(bad("percent", "0–100 with at most 4 decimals").into());
    }
    if c.min.is_sign_negative() || c.min.round_dp(2) != c.min || c.min > Decimal::from(100_000) {
        return Err(bad("min", "0–100000 TRY with at most 2 decimals").into());
    }
    if let Some(m) = c.max_cod {
        if m <= Decimal::ZERO || m.round_dp(2) != m || m > Decimal::from(10_000_000) {
            return Err(bad("max_cod", "positive, at most 10000000 TRY, 2 decimals").into());
        }
    }
    Ok(CodFeeTerms {
        percent: c.percent,
        min: c.min,
        max_cod: c.max_cod,
    })
}

fn check_name(name: &str) -> ApiResult<()> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ServerError::bad_input(
            Code::RequestInvalidValue,
            "name",
            "1–40 lower-case letters, digits, '-' or '_'",
        )
        .into())
    }
}

fn seal(
    state: &AppState,
    rec: &mut CarrierAccountRecord,
    creds: &BTreeMap<String, String>,
) -> ApiResult<()> {
    let plain = serde_json::to_vec(creds).map_err(|e| ServerError::Internal(e.to_string()))?;
    rec.sealed = state.engine.keys().seal(&plain, &credentials_aad(rec))?;
    rec.credential_names = creds.keys().cloned().collect();
    Ok(())
}

/// Checks that the account works as a whole (connector and agreement build) before storing.
async fn check_usable(state: &AppState, rec: &CarrierAccountRecord) -> ApiResult<()> {
    state
        .engine
        .own_account(rec)
        .await
        .map(|_| ())
        .map_err(Into::into)
}

/// The company's carrier accounts.
#[utoipa::path(
    get,
    path = "/v1/carrier-accounts",
    tag = "carrier accounts",
    operation_id = "listCarrierAccounts",
    responses((status = 200, description = "Accounts", body = CarrierAccountList))
)]
pub async fn list_accounts(
    State(state): State<AppState>,
    principal: Allowed<perm::CarrierAccountRead>,
) -> ApiResult<Json<CarrierAccountList>> {
    let list = state.db.carrier_accounts.list(&principal.company).await?;
    Ok(Json(CarrierAccountList {
        items: list.iter().map(view).collect(),
    }))
}

/// Adds the seller's own contract with a carrier: its offers appear in quotes from now on
/// (agreement kind `own`), shipped with these credentials and billed by the carrier.
#[utoipa::path(
    post,
    path = "/v1/carrier-accounts",
    tag = "carrier accounts",
    operation_id = "createCarrierAccount",
    request_body = CarrierAccountBody,
    responses((status = 201, description = "The account (without credentials)", body = CarrierAccountView))
)]
pub async fn create_account(
    State(state): State<AppState>,
    principal: Allowed<perm::CarrierAccountWrite>,
    ApiJson(body): ApiJson<CarrierAccountBody>,
) -> ApiResult<(StatusCode, Json<CarrierAccountView>)> {
    check_name(&body.name)?;
    let carrier = body.carrier.id();
    carriers::check_credentials(&carrier, &body.credentials)?;
    parse_tariff(&carrier, &body.tariff)?;
    let now = chrono::Utc::now();
    let mut rec = CarrierAccountRecord {
        id: crate::ids::new_id("ca"),
        company: principal.company.clone(),
        carrier: carrier.as_str().to_string(),
        name: body.name.clone(),
        sealed: crate::crypto::Sealed {
            key_id: String::new(),
            nonce: Vec::new(),
            ciphertext: Vec::new(),
        },
        credential_names: Vec::new(),
        tariff: body.tariff.clone(),
        cod_fee: body.cod_fee.as_ref().map(cod_terms).transpose()?,
        created_at: now,
        updated_at: now,
    };
    seal(&state, &mut rec, &body.credentials)?;
    check_usable(&state, &rec).await?;
    if !state.db.carrier_accounts.insert(&rec).await? {
        return Err(kargojet::Error::conflict(
            Code::RequestInvalid,
            format!(
                "the company already has a {carrier} account named '{}'",
                rec.name
            ),
        )
        .into());
    }
    state.engine.reload_accounts().await?;
    Ok((StatusCode::CREATED, Json(view(&rec))))
}

async fn owned(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> ApiResult<CarrierAccountRecord> {
    state
        .db
        .carrier_accounts
        .get(&principal.company, id)
        .await?
        .ok_or_else(|| ServerError::not_found("carrier account").into())
}

/// One carrier account (without credentials).
#[utoipa::path(
    get,
    path = "/v1/carrier-accounts/{id}",
    tag = "carrier accounts",
    operation_id = "getCarrierAccount",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 200, description = "The account", body = CarrierAccountView))
)]
pub async fn get_account(
    State(state): State<AppState>,
    principal: Allowed<perm::CarrierAccountRead>,
    Path(id): Path<String>,
) -> ApiResult<Json<CarrierAccountView>> {
    Ok(Json(view(&owned(&state, &principal, &id).await?)))
}

/// Replaces the credentials and/or the tariff (new credentials are sealed with the current
/// key).
#[utoipa::path(
    patch,
    path = "/v1/carrier-accounts/{id}",
    tag = "carrier accounts",
    operation_id = "updateCarrierAccount",
    params(("id" = String, Path, description = "Account id")),
    request_body = CarrierAccountPatch,
    responses((status = 200, description = "The account", body = CarrierAccountView))
)]
pub async fn update_account(
    State(state): State<AppState>,
    principal: Allowed<perm::CarrierAccountWrite>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CarrierAccountPatch>,
) -> ApiResult<Json<CarrierAccountView>> {
    let mut rec = owned(&state, &principal, &id).await?;
    let carrier = CarrierId::parse(&rec.carrier);
    let creds = match &body.credentials {
        Some(c) => {
            carriers::check_credentials(&carrier, c)?;
            c.clone()
        }
        None => state.engine.open_credentials(&rec)?,
    };
    if let Some(t) = &body.tariff {
        parse_tariff(&carrier, t)?;
        rec.tariff = t.clone();
    }
    if let Some(c) = &body.cod_fee {
        rec.cod_fee = Some(cod_terms(c)?);
    }
    seal(&state, &mut rec, &creds)?;
    rec.updated_at = chrono::Utc::now();
    check_usable(&state, &rec).await?;
    if !state.db.carrier_accounts.update(&rec).await? {
        return Err(ServerError::not_found("carrier account").into());
    }
    state.engine.reload_accounts().await?;
    Ok(Json(view(&rec)))
}

/// Deletes a carrier account (shipments already created with it are kept).
#[utoipa::path(
    delete,
    path = "/v1/carrier-accounts/{id}",
    tag = "carrier accounts",
    operation_id = "deleteCarrierAccount",
    params(("id" = String, Path, description = "Account id")),
    responses((status = 204, description = "Deleted"))
)]
pub async fn delete_account(
    State(state): State<AppState>,
    principal: Allowed<perm::CarrierAccountWrite>,
    Path(id): Path<String>,
    _body: NoBody,
) -> ApiResult<StatusCode> {
    if !state
        .db
        .carrier_accounts
        .delete(&principal.company, &id)
        .await?
    {
        return Err(ServerError::not_found("carrier account").into());
    }
    state.engine.reload_accounts().await?;
    Ok(StatusCode::NO_CONTENT)
}
