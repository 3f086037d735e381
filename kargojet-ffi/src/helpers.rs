//! Stateless helpers: desi and billable weight, address and phone normalization, the provinces
//! and districts of Türkiye, distance zones, and webhook signatures.

use crate::error::KargoJetError;
use crate::input::{AddressInput, ParcelInput};
use crate::money::{decimal_string, parse_opt_decimal};
use kargojet::address::{Address as DomainAddress, Phone};
use kargojet::error::Code;
use kargojet::geo;
use kargojet::parcel::{DEFAULT_DESI_DIVISOR, DesiRule};
use rust_decimal::Decimal;

/// A parcel's volumetric weight and the billable weight.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DesiInfo {
    /// Desi = length × width × height / divisor, unrounded.
    pub desi: String,
    /// The actual weight, kg.
    pub weight_kg: String,
    /// The larger of the two, unrounded.
    pub billable: String,
}

/// A validated address with official names.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Address {
    /// Province plate (1–81).
    pub plate: u8,
    /// Official province name (`İstanbul`).
    pub province: String,
    /// Official district name (`Kadıköy`).
    pub district: String,
    /// The street line, whitespace normalized.
    pub line: String,
    /// Postal code, if given.
    pub postal_code: Option<String>,
}

impl From<&DomainAddress> for Address {
    fn from(a: &DomainAddress) -> Self {
        Address {
            plate: a.plate.get(),
            province: a.province.clone(),
            district: a.district.clone(),
            line: a.line.clone(),
            postal_code: a.postal_code.clone(),
        }
    }
}

/// A province of Türkiye.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Province {
    /// Plate (1–81).
    pub plate: u8,
    /// Official name.
    pub name: String,
    /// Geographic region (Turkish name).
    pub region: String,
}

fn divisor_rule(divisor: Option<u32>, step: Option<Decimal>) -> DesiRule {
    DesiRule {
        divisor: divisor.filter(|d| *d > 0).unwrap_or(DEFAULT_DESI_DIVISOR),
        step: step.unwrap_or(Decimal::ONE),
    }
}

/// Desi and billable weight of one parcel (`divisor` default 3000).
#[uniffi::export]
pub fn parcel_desi(parcel: ParcelInput, divisor: Option<u32>) -> Result<DesiInfo, KargoJetError> {
    let p = parcel.to_domain("parcel")?;
    let rule = divisor_rule(divisor, None);
    Ok(DesiInfo {
        desi: decimal_string(p.desi_with(rule.divisor).round_dp(3)),
        weight_kg: decimal_string(p.weight_kg),
        billable: decimal_string(p.billable_with(rule.divisor).round_dp(3)),
    })
}

/// The billable value of a shipment's parcels as a tariff prices it: the sum over the parcels
/// of max(kg, desi), rounded up to `step` (default 1; `"0"` for no rounding).
#[uniffi::export]
pub fn billable_desi(
    parcels: Vec<ParcelInput>,
    divisor: Option<u32>,
    step: Option<String>,
) -> Result<String, KargoJetError> {
    let parcels = parcels
        .iter()
        .enumerate()
        .map(|(i, p)| p.to_domain(&format!("parcels[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let step = parse_opt_decimal(step.as_deref(), "step", Code::RequestInvalid)?;
    Ok(decimal_string(
        divisor_rule(divisor, step).billable(&parcels),
    ))
}

/// Validates an address: province and district matched Turkish-aware (`istanbul`, `KADIKOY`,
/// plate `34`), the line 5–500 characters, the postal code 5 digits.
#[uniffi::export]
pub fn normalize_address(address: AddressInput) -> Result<Address, KargoJetError> {
    let mut a = DomainAddress::parse(
        &address.province,
        &address.district,
        &address.line,
        "address",
    )?;
    if let Some(pc) = address
        .postal_code
        .as_deref()
        .filter(|p| !p.trim().is_empty())
    {
        a = a.with_postal_code(pc, "address")?;
    }
    Ok(Address::from(&a))
}

/// A Turkish phone number as 10 digits (`+90 532 123 45 67` → `5321234567`).
#[uniffi::export]
pub fn normalize_phone(phone: String) -> Result<String, KargoJetError> {
    Ok(Phone::parse(&phone, "phone")?.digits().to_string())
}

/// The 81 provinces in plate order.
#[uniffi::export]
pub fn provinces() -> Vec<Province> {
    geo::provinces()
        .iter()
        .map(|p| Province {
            plate: p.plate.get(),
            name: p.name.clone(),
            region: p.region.name_tr().to_string(),
        })
        .collect()
}

/// The districts of a province (name or plate).
#[uniffi::export]
pub fn districts(province: String) -> Result<Vec<String>, KargoJetError> {
    let p = geo::find_province(&province, "province")?;
    Ok(geo::districts(p.plate)
        .iter()
        .map(|d| d.name.clone())
        .collect())
}

/// The distance zone between two provinces (`sehir_ici`, `yakin`, `kisa`, `orta`, `uzun`).
#[uniffi::export]
pub fn distance_zone(from: String, to: String) -> Result<String, KargoJetError> {
    let a = geo::find_province(&from, "from")?;
    let b = geo::find_province(&to, "to")?;
    Ok(geo::zone_between(a.plate, b.plate).id().to_string())
}

/// Verifies a `KargoJet-Signature` header (`t=<unix>,v1=<hex>`) against the raw body with any
/// of the active `secrets`, at `now_unix` (default: the system clock), accepting timestamps
/// within `tolerance_secs` (default 300). Fails with `webhook.invalid_signature`.
#[uniffi::export]
pub fn verify_webhook(
    header: String,
    body: Vec<u8>,
    secrets: Vec<String>,
    now_unix: Option<i64>,
    tolerance_secs: Option<i64>,
) -> Result<(), KargoJetError> {
    let secrets: Vec<&[u8]> = secrets.iter().map(|s| s.as_bytes()).collect();
    let now = now_unix.unwrap_or_else(|| chrono::Utc::now().timestamp());
    kargojet::webhook::verify(
        &header,
        &body,
        &secrets,
        now,
        tolerance_secs.unwrap_or(kargojet::webhook::DEFAULT_TOLERANCE_SECS),
    )?;
    Ok(())
}

/// The signature header for `body` at `timestamp` (unix seconds) with `secret`.
#[uniffi::export]
pub fn sign_webhook(
    secret: String,
    timestamp: i64,
    body: Vec<u8>,
) -> Result<String, KargoJetError> {
    Ok(kargojet::webhook::sign(
        secret.as_bytes(),
        timestamp,
        &body,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parcel(l: &str, w: &str, h: &str, kg: &str) -> ParcelInput {
        ParcelInput {
            length_cm: l.into(),
            width_cm: w.into(),
            height_cm: h.into(),
            weight_kg: kg.into(),
        }
    }

    #[test]
    fn desi_and_billable() {
        let d = parcel_desi(parcel("40", "30", "20", "3.2"), None).ok();
        assert_eq!(d.as_ref().map(|d| d.desi.as_str()), Some("8"));
        assert_eq!(d.as_ref().map(|d| d.billable.as_str()), Some("8"));
        let b = billable_desi(
            vec![
                parcel("40", "30", "20", "3.2"),
                parcel("10", "10", "10", "2.25"),
            ],
            None,
            None,
        );
        assert_eq!(b.ok().as_deref(), Some("11"));
        let b = billable_desi(
            vec![parcel("10", "10", "10", "2.25")],
            None,
            Some("0".into()),
        );
        assert_eq!(b.ok().as_deref(), Some("2.25"));
        let e = parcel_desi(parcel("0", "30", "20", "1"), None).err();
        assert_eq!(
            e.map(|e| e.code().to_string()).as_deref(),
            Some("request.invalid_dimensions")
        );
    }

    #[test]
    fn addresses_phones_and_geography() {
        let a = normalize_address(AddressInput {
            province: "istanbul".into(),
            district: "KADIKOY".into(),
            line: "  Moda   Cad. No 12 ".into(),
            postal_code: Some("34710".into()),
        });
        let a = a.ok();
        assert_eq!(
            a.as_ref().map(|a| (
                a.plate,
                a.province.as_str(),
                a.district.as_str(),
                a.line.as_str()
            )),
            Some((34, "İstanbul", "Kadıköy", "Moda Cad. No 12"))
        );
        assert_eq!(
            normalize_phone("+90 532 123 45 67".into()).ok().as_deref(),
            Some("5321234567")
        );
        assert_eq!(provinces().len(), 81);
        assert!(districts("65".into()).is_ok_and(|d| d.iter().any(|n| n == "İpekyolu")));
        assert_eq!(
            distance_zone("İstanbul".into(), "Van".into())
                .ok()
                .as_deref(),
            Some("uzun")
        );
    }

    #[test]
    fn webhooks_sign_and_verify() {
        let h = sign_webhook("s3cret".into(), 1_700_000_000, b"{}".to_vec()).unwrap_or_default();
        assert!(
            verify_webhook(
                h.clone(),
                b"{}".to_vec(),
                vec!["s3cret".into()],
                Some(1_700_000_100),
                None
            )
            .is_ok()
        );
        let e = verify_webhook(
            h,
            b"{ }".to_vec(),
            vec!["s3cret".into()],
            Some(1_700_000_100),
            None,
        )
        .err();
        assert_eq!(
            e.map(|e| e.code().to_string()).as_deref(),
            Some("webhook.invalid_signature")
        );
    }
}
