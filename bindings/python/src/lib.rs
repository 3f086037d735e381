//! KargoJet for Python: the native module `kargojet._native`, a thin adapter over the
//! `kargojet-ffi` facade. It turns Python arguments into the facade's records, calls the
//! facade (blocking with the GIL released, or on the facade's runtime for the `*_async`
//! twins) and wraps the results in typed classes. The package `kargojet` re-exports it with
//! the exception hierarchy of `kargojet/_errors.py`.

// `#[pymethods]` take Python objects by value and return `PyResult` everywhere; these lints
// would fight the binding's shape rather than find bugs.
#![allow(clippy::needless_pass_by_value)]
// The facade's error record is returned by value (see `kargojet-ffi/src/lib.rs`).
#![allow(clippy::result_large_err)]

mod client;
mod convert;
mod errors;
mod inputs;
mod outputs;
mod quote;

use crate::convert::{NumberKind, ToPy, number_text};
use crate::errors::IntoPyResult;
use kargojet_ffi as ffi;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// Every stable error code, in declaration order.
#[pyfunction]
fn error_codes() -> Vec<String> {
    ffi::error_codes()
}

/// Every code with its kind and its Turkish and English messages.
#[pyfunction]
fn error_catalog<'py>(py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
    ffi::error_catalog()
        .into_iter()
        .map(|c| c.to_py(py))
        .collect::<PyResult<Vec<_>>>()
        .and_then(|v| Ok(pyo3::types::PyList::new(py, v)?.into_any()))
}

/// The error kind of a dotted code (`invalid_request`, `timeout`, …): the exception class it
/// raises is `ERROR_CLASSES[kind]`.
#[pyfunction]
fn error_kind(code: &str) -> &'static str {
    ffi::error::ErrorKind::of_code(code).id()
}

/// Desi and billable weight of one parcel (`divisor` default 3000).
#[pyfunction]
#[pyo3(signature = (parcel, divisor=None))]
fn parcel_desi(
    parcel: PyRef<'_, inputs::ParcelInput>,
    divisor: Option<u32>,
) -> PyResult<outputs::DesiInfo> {
    Ok(outputs::DesiInfo {
        inner: ffi::parcel_desi(parcel.inner.clone(), divisor).py()?,
    })
}

/// The billable value of parcels as a tariff prices it: the sum of max(kg, desi), rounded up
/// to `step` (default 1; `"0"` for none).
#[pyfunction]
#[pyo3(signature = (parcels, divisor=None, step=None))]
fn billable_desi(
    parcels: Vec<PyRef<'_, inputs::ParcelInput>>,
    divisor: Option<u32>,
    step: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let step = step
        .filter(|s| !s.is_none())
        .map(|s| number_text(s, "step", NumberKind::Measure))
        .transpose()?;
    ffi::billable_desi(
        parcels.iter().map(|p| p.inner.clone()).collect(),
        divisor,
        step,
    )
    .py()
}

/// Validates an address (Turkish-aware province and district matching).
#[pyfunction]
fn normalize_address(address: PyRef<'_, inputs::AddressInput>) -> PyResult<outputs::Address> {
    Ok(outputs::Address {
        inner: ffi::normalize_address(address.inner.clone()).py()?,
    })
}

/// A Turkish phone number as 10 digits.
#[pyfunction]
fn normalize_phone(phone: String) -> PyResult<String> {
    ffi::normalize_phone(phone).py()
}

/// The 81 provinces in plate order.
#[pyfunction]
fn provinces(py: Python<'_>) -> PyResult<Vec<Py<outputs::Province>>> {
    ffi::provinces()
        .into_iter()
        .map(|inner| Py::new(py, outputs::Province { inner }))
        .collect()
}

/// The districts of a province (name or plate).
#[pyfunction]
fn districts(province: String) -> PyResult<Vec<String>> {
    ffi::districts(province).py()
}

/// The distance zone between two provinces (`sehir_ici`, `yakin`, `kisa`, `orta`, `uzun`).
#[pyfunction]
#[pyo3(name = "distance_zone")]
fn distance_zone_py(origin: String, destination: String) -> PyResult<String> {
    ffi::distance_zone(origin, destination).py()
}

/// Verifies a `KargoJet-Signature` header against the raw body with any of `secrets`;
/// raises `InvalidRequestError` (`webhook.invalid_signature`) when it does not match.
#[pyfunction]
#[pyo3(signature = (header, body, secrets, *, now=None, tolerance_secs=None))]
fn verify_webhook(
    header: String,
    body: &Bound<'_, PyBytes>,
    secrets: Vec<String>,
    now: Option<i64>,
    tolerance_secs: Option<i64>,
) -> PyResult<()> {
    ffi::verify_webhook(
        header,
        body.as_bytes().to_vec(),
        secrets,
        now,
        tolerance_secs,
    )
    .py()
}

/// The signature header for `body` at `timestamp` (unix seconds).
#[pyfunction]
fn sign_webhook(secret: String, timestamp: i64, body: &Bound<'_, PyBytes>) -> PyResult<String> {
    ffi::sign_webhook(secret, timestamp, body.as_bytes().to_vec()).py()
}

/// Reads and validates a bulk file (CSV or XLSX bytes) without pricing anything.
#[pyfunction]
#[pyo3(signature = (file, sender, *, mapping=None, format=None, sheet=None, sms=false))]
fn bulk_import(
    py: Python<'_>,
    file: &Bound<'_, PyBytes>,
    sender: PyRef<'_, inputs::PartyInput>,
    mapping: Option<&Bound<'_, PyAny>>,
    format: Option<&str>,
    sheet: Option<String>,
    sms: bool,
) -> PyResult<outputs::BulkImport> {
    let options = client::bulk_options(py, &sender, mapping, format, sheet, sms)?;
    let bytes = file.as_bytes().to_vec();
    Ok(outputs::BulkImport {
        inner: py.detach(|| ffi::bulk_import(bytes, options)).py()?,
    })
}

/// `release` or `debug`: how the native module was compiled (benchmarks need `release`).
#[pyfunction]
fn build_profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

/// The native module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<inputs::AddressInput>()?;
    m.add_class::<inputs::PartyInput>()?;
    m.add_class::<inputs::ParcelInput>()?;
    m.add_class::<inputs::ShipmentInput>()?;
    m.add_class::<inputs::PolicyInput>()?;
    m.add_class::<outputs::Money>()?;
    m.add_class::<outputs::PriceBreakdown>()?;
    m.add_class::<outputs::TransitDays>()?;
    m.add_class::<outputs::Offer>()?;
    m.add_class::<outputs::Exclusion>()?;
    m.add_class::<outputs::CarrierFailure>()?;
    m.add_class::<quote::Quote>()?;
    m.add_class::<quote::QuoteBatch>()?;
    m.add_class::<quote::BatchQuote>()?;
    m.add_class::<quote::BatchOffer>()?;
    m.add_class::<quote::QuoteRecord>()?;
    m.add_class::<outputs::Measurement>()?;
    m.add_class::<outputs::TrackingEvent>()?;
    m.add_class::<outputs::Shipment>()?;
    m.add_class::<outputs::Label>()?;
    m.add_class::<outputs::Balances>()?;
    m.add_class::<outputs::DesiInfo>()?;
    m.add_class::<outputs::Address>()?;
    m.add_class::<outputs::Province>()?;
    m.add_class::<outputs::ErrorCodeInfo>()?;
    m.add_class::<outputs::BulkRowError>()?;
    m.add_class::<outputs::BulkImport>()?;
    m.add_class::<outputs::BulkPlannedRow>()?;
    m.add_class::<outputs::BulkCarrierTotal>()?;
    m.add_class::<outputs::BulkPlan>()?;
    m.add_class::<outputs::BulkShippedRow>()?;
    m.add_class::<outputs::BulkPurchase>()?;
    m.add_class::<outputs::InsightEvidence>()?;
    m.add_class::<outputs::InsightFinding>()?;
    m.add_class::<outputs::Insights>()?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(error_catalog, m)?)?;
    m.add_function(wrap_pyfunction!(error_kind, m)?)?;
    m.add_function(wrap_pyfunction!(parcel_desi, m)?)?;
    m.add_function(wrap_pyfunction!(billable_desi, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_address, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_phone, m)?)?;
    m.add_function(wrap_pyfunction!(provinces, m)?)?;
    m.add_function(wrap_pyfunction!(districts, m)?)?;
    m.add_function(wrap_pyfunction!(distance_zone_py, m)?)?;
    m.add_function(wrap_pyfunction!(verify_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(sign_webhook, m)?)?;
    m.add_function(wrap_pyfunction!(bulk_import, m)?)?;
    m.add_function(wrap_pyfunction!(build_profile, m)?)?;
    Ok(())
}
