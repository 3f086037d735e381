//! The input classes: addresses, parties, parcels, shipments and the selection policy. Each
//! holds the facade's record; a shipment also keeps its validated domain form once computed,
//! so quoting the same shipment again does not validate it again.

use crate::convert::{NumberKind, number_text, opt_number_text, record_class};
use crate::errors::IntoPyResult;
use kargojet_ffi as ffi;
use kargojet_ffi::Engine;
use kargojet_ffi::domain::orchestrator::QuoteRequest;
use kargojet_ffi::domain::shipment::ShipmentRequest;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use std::sync::{Arc, OnceLock};

/// An address as typed: province (name or plate), district, street line, postal code.
#[pyclass(frozen, module = "kargojet")]
pub struct AddressInput {
    pub(crate) inner: ffi::AddressInput,
}

record_class!(AddressInput(ffi::AddressInput) {
    fields: [province, district, line, postal_code],
    repr: [province, district],
} {
    #[new]
    #[pyo3(signature = (province, district, line, postal_code=None))]
    fn new(province: String, district: String, line: String, postal_code: Option<String>) -> Self {
        AddressInput {
            inner: ffi::AddressInput {
                province,
                district,
                line,
                postal_code,
            },
        }
    }
});

/// A sender or recipient.
#[pyclass(frozen, module = "kargojet")]
pub struct PartyInput {
    pub(crate) inner: ffi::PartyInput,
}

record_class!(PartyInput(ffi::PartyInput) {
    fields: [name, phone, address, email],
    repr: [name, address],
} {
    #[new]
    #[pyo3(signature = (name, phone, address, email=None))]
    fn new(name: String, phone: String, address: PyRef<'_, AddressInput>, email: Option<String>) -> Self {
        PartyInput {
            inner: ffi::PartyInput {
                name,
                phone,
                address: address.inner.clone(),
                email,
            },
        }
    }
});

/// One parcel: dimensions in cm, weight in kg (`str`, `int`, `Decimal` or `float`).
#[pyclass(frozen, module = "kargojet")]
pub struct ParcelInput {
    pub(crate) inner: ffi::ParcelInput,
}

record_class!(ParcelInput(ffi::ParcelInput) {
    fields: [length_cm, width_cm, height_cm, weight_kg],
    repr: [length_cm, width_cm, height_cm, weight_kg],
} {
    #[new]
    fn new(
        length_cm: &Bound<'_, PyAny>,
        width_cm: &Bound<'_, PyAny>,
        height_cm: &Bound<'_, PyAny>,
        weight_kg: &Bound<'_, PyAny>,
    ) -> PyResult<Self> {
        let m = |v: &Bound<'_, PyAny>, f: &str| number_text(v, f, NumberKind::Measure);
        Ok(ParcelInput {
            inner: ffi::ParcelInput {
                length_cm: m(length_cm, "length_cm")?,
                width_cm: m(width_cm, "width_cm")?,
                height_cm: m(height_cm, "height_cm")?,
                weight_kg: m(weight_kg, "weight_kg")?,
            },
        })
    }
});

/// A shipment to quote or ship. Money (`cod_amount`, `insured_value`) is `str`, `int` or
/// `Decimal`, never `float`.
#[pyclass(frozen, module = "kargojet")]
pub struct ShipmentInput {
    pub(crate) inner: ffi::ShipmentInput,
    validated: OnceLock<Result<ShipmentRequest, ffi::KargoJetError>>,
    /// The quote request for the first engine that quoted it with its default policy and
    /// company (engine id, request): quoting again neither validates nor copies the shipment.
    prepared: OnceLock<(u64, Arc<QuoteRequest>)>,
}

impl From<ffi::ShipmentInput> for ShipmentInput {
    fn from(inner: ffi::ShipmentInput) -> Self {
        ShipmentInput {
            inner,
            validated: OnceLock::new(),
            prepared: OnceLock::new(),
        }
    }
}

impl ShipmentInput {
    /// The quote request for `engine` with its default policy and company.
    pub(crate) fn prepared(&self, engine: &Engine) -> PyResult<Arc<QuoteRequest>> {
        if let Some((id, r)) = self.prepared.get() {
            if *id == engine.id() {
                return Ok(r.clone());
            }
        }
        let r = Arc::new(
            engine
                .quote_request(self.validated()?.clone(), None, None)
                .py()?,
        );
        // The first engine keeps the cache; others build their request each time.
        let _ = self.prepared.set((engine.id(), r.clone()));
        Ok(r)
    }

    /// The validated domain request (validated once, on first use).
    pub(crate) fn validated(&self) -> PyResult<&ShipmentRequest> {
        self.validated
            .get_or_init(|| self.inner.to_domain())
            .as_ref()
            .map_err(|e| e.clone())
            .py()
    }
}

fn cod_payment(p: Option<&str>) -> PyResult<Option<ffi::CodPayment>> {
    match p {
        None => Ok(None),
        Some("cash") => Ok(Some(ffi::CodPayment::Cash)),
        Some("card") => Ok(Some(ffi::CodPayment::Card)),
        Some(other) => Err(PyValueError::new_err(format!(
            "cod_payment: '{other}' is not 'cash' or 'card'"
        ))),
    }
}

record_class!(custom_from ShipmentInput(ffi::ShipmentInput) {
    fields: [sender, recipient, parcels, cod_amount, cod_payment, order_id, description, sms,
             insured_value],
    repr: [order_id, recipient, cod_amount],
} {
    #[new]
    #[pyo3(signature = (sender, recipient, parcels, *, cod_amount=None, cod_payment=None,
                        order_id=None, description=None, sms=false, insured_value=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        sender: PyRef<'_, PartyInput>,
        recipient: PyRef<'_, PartyInput>,
        parcels: Vec<PyRef<'_, ParcelInput>>,
        cod_amount: Option<&Bound<'_, PyAny>>,
        cod_payment: Option<&str>,
        order_id: Option<String>,
        description: Option<String>,
        sms: bool,
        insured_value: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        Ok(ShipmentInput::from(ffi::ShipmentInput {
            sender: sender.inner.clone(),
            recipient: recipient.inner.clone(),
            parcels: parcels.iter().map(|p| p.inner.clone()).collect(),
            cod_amount: opt_number_text(cod_amount, "cod_amount", NumberKind::Money)?,
            cod_payment: self::cod_payment(cod_payment)?,
            order_id,
            description,
            sms,
            insured_value: opt_number_text(insured_value, "insured_value", NumberKind::Money)?,
        }))
    }

    /// Validates every field now; raises `InvalidRequestError` naming the first bad field.
    fn validate(&self) -> PyResult<()> {
        self.validated().map(|_| ())
    }
});

/// The seller's rules for choosing a carrier.
#[pyclass(frozen, module = "kargojet")]
pub struct PolicyInput {
    pub(crate) inner: ffi::PolicyInput,
}

fn rank(r: &str) -> PyResult<ffi::RankBy> {
    match r {
        "cheapest" => Ok(ffi::RankBy::Cheapest),
        "fastest" => Ok(ffi::RankBy::Fastest),
        other => Err(PyValueError::new_err(format!(
            "rank: '{other}' is not 'cheapest' or 'fastest'"
        ))),
    }
}

record_class!(PolicyInput(ffi::PolicyInput) {
    fields: [rank, preferred, only_preferred, excluded, cod_required, max_desi, no_failover],
    repr: [rank, preferred, excluded],
} {
    #[new]
    #[pyo3(signature = (*, rank="cheapest", preferred=Vec::new(), only_preferred=false,
                        excluded=Vec::new(), cod_required=false, max_desi=None, no_failover=false))]
    fn new(
        rank: &str,
        preferred: Vec<String>,
        only_preferred: bool,
        excluded: Vec<String>,
        cod_required: bool,
        max_desi: Option<&Bound<'_, PyAny>>,
        no_failover: bool,
    ) -> PyResult<Self> {
        Ok(PolicyInput {
            inner: ffi::PolicyInput {
                rank: self::rank(rank)?,
                preferred,
                only_preferred,
                excluded,
                cod_required,
                max_desi: opt_number_text(max_desi, "max_desi", NumberKind::Measure)?,
                no_failover,
            },
        })
    }
});
