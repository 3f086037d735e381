//! Stateless helpers: desi and billable weight, address and phone normalization, the provinces
//! and districts of Türkiye, distance zones, and webhook signatures.

use crate::error::sync;
use crate::input::{AddressInput, ParcelInput};
use kargojet_ffi as ffi;
use napi::Env;
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;

/// A parcel's volumetric weight and the billable weight (decimal strings).
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DesiInfo {
    /// Desi = length × width × height / divisor, unrounded.
    pub desi: String,
    /// The actual weight, kg.
    pub weight_kg: String,
    /// The larger of the two, unrounded.
    pub billable: String,
}

/// A validated address with official names.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Province plate (1–81).
    pub plate: u32,
    /// Official province name (`İstanbul`).
    pub province: String,
    /// Official district name (`Kadıköy`).
    pub district: String,
    /// The street line, whitespace normalized.
    pub line: String,
    /// Postal code, if given.
    pub postal_code: Option<String>,
}

/// A province of Türkiye.
#[napi(object, object_from_js = false)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Plate (1–81).
    pub plate: u32,
    /// Official name.
    pub name: String,
    /// Geographic region (Turkish name).
    pub region: String,
}

/// Desi and billable weight of one parcel (`divisor` default 3000).
#[napi]
pub fn parcel_desi(env: &Env, parcel: ParcelInput, divisor: Option<u32>) -> napi::Result<DesiInfo> {
    sync(env, ffi::parcel_desi(parcel.into(), divisor), |d| {
        DesiInfo {
            desi: d.desi,
            weight_kg: d.weight_kg,
            billable: d.billable,
        }
    })
}

/// The billable value of a shipment's parcels as a tariff prices it: the sum over the parcels
/// of max(kg, desi), rounded up to `step` (default `"1"`; `"0"` for no rounding).
#[napi]
pub fn billable_desi(
    env: &Env,
    parcels: Vec<ParcelInput>,
    divisor: Option<u32>,
    step: Option<String>,
) -> napi::Result<String> {
    let parcels = parcels.into_iter().map(Into::into).collect();
    sync(env, ffi::billable_desi(parcels, divisor, step), |s| s)
}

/// Validates an address: province and district matched Turkish-aware (`istanbul`, `KADIKOY`,
/// plate `34`), the line 5–500 characters, the postal code 5 digits.
#[napi]
pub fn normalize_address(env: &Env, address: AddressInput) -> napi::Result<Address> {
    sync(env, ffi::normalize_address(address.into()), |a| Address {
        plate: u32::from(a.plate),
        province: a.province,
        district: a.district,
        line: a.line,
        postal_code: a.postal_code,
    })
}

/// A Turkish phone number as 10 digits (`+90 532 123 45 67` → `5321234567`).
#[napi]
pub fn normalize_phone(env: &Env, phone: String) -> napi::Result<String> {
    sync(env, ffi::normalize_phone(phone), |p| p)
}

/// The 81 provinces in plate order.
#[napi]
pub fn provinces() -> Vec<Province> {
    ffi::provinces()
        .into_iter()
        .map(|p| Province {
            plate: u32::from(p.plate),
            name: p.name,
            region: p.region,
        })
        .collect()
}

/// The districts of a province (name or plate).
#[napi]
pub fn districts(env: &Env, province: String) -> napi::Result<Vec<String>> {
    sync(env, ffi::districts(province), |d| d)
}

/// The distance zone between two provinces (`sehir_ici`, `yakin`, `kisa`, `orta`, `uzun`).
#[napi]
pub fn distance_zone(env: &Env, from: String, to: String) -> napi::Result<String> {
    sync(env, ffi::distance_zone(from, to), |z| z)
}

/// Verifies a `KargoJet-Signature` header (`t=<unix>,v1=<hex>`) against the raw body with any
/// of the active `secrets`, at `nowUnix` (default: the system clock), accepting timestamps
/// within `toleranceSecs` (default 300). Throws `webhook.invalid_signature`.
#[napi]
pub fn verify_webhook(
    env: &Env,
    header: String,
    body: Uint8Array,
    secrets: Vec<String>,
    now_unix: Option<i64>,
    tolerance_secs: Option<i64>,
) -> napi::Result<()> {
    let r = ffi::verify_webhook(header, body.to_vec(), secrets, now_unix, tolerance_secs);
    sync(env, r, |()| ())
}

/// The signature header for `body` at `timestamp` (unix seconds) with `secret`.
#[napi]
pub fn sign_webhook(
    env: &Env,
    secret: String,
    timestamp: i64,
    body: Uint8Array,
) -> napi::Result<String> {
    sync(
        env,
        ffi::sign_webhook(secret, timestamp, body.to_vec()),
        |s| s,
    )
}
