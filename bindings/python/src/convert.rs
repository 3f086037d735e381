//! Conversions between the facade's records and Python values: inputs (exact decimals from
//! `str`, `int` or `decimal.Decimal`; money never from a `float`), and outputs either as the typed
//! classes ([`ToPy`]) or as plain dicts and lists ([`ToPlain`], for `to_dict()`).

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString};
use std::collections::HashMap;

static DECIMAL: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn decimal_class(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    DECIMAL
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("decimal")?.getattr("Decimal")?.unbind())
        })
        .map(|c| c.bind(py))
}

/// `decimal.Decimal(text)`.
pub fn to_decimal<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    decimal_class(py)?.call1((text,))
}

/// What a number may be given as.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum NumberKind {
    /// Money: `str`, `int` or `Decimal`, never `float`.
    Money,
    /// A measure (cm, kg, percent): a `float` is accepted by its shortest repr.
    Measure,
}

/// An exact decimal as text from `str`, `int`, `Decimal` (or `float` for measures).
pub fn number_text(value: &Bound<'_, PyAny>, field: &str, kind: NumberKind) -> PyResult<String> {
    let py = value.py();
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if value.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(format!(
            "{field}: a bool is not a number"
        )));
    }
    if value.is_instance_of::<PyInt>() || value.is_instance(decimal_class(py)?)? {
        return Ok(value.str()?.to_cow()?.into_owned());
    }
    if value.is_instance_of::<PyFloat>() {
        return match kind {
            NumberKind::Measure => Ok(value.repr()?.to_cow()?.into_owned()),
            NumberKind::Money => Err(PyTypeError::new_err(format!(
                "{field}: money is never a float; pass a str or decimal.Decimal (e.g. \"1250.00\")"
            ))),
        };
    }
    Err(PyTypeError::new_err(format!(
        "{field}: expected str, int or decimal.Decimal, got {}",
        value.get_type().name()?
    )))
}

/// An optional exact decimal as text.
pub fn opt_number_text(
    value: Option<&Bound<'_, PyAny>>,
    field: &str,
    kind: NumberKind,
) -> PyResult<Option<String>> {
    match value {
        Some(v) if !v.is_none() => number_text(v, field, kind).map(Some),
        _ => Ok(None),
    }
}

/// A facade value as its typed Python object.
pub trait ToPy {
    /// The Python object.
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// A facade value as plain Python data (records as dicts, enums as their string ids).
pub trait ToPlain {
    /// The plain value.
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

macro_rules! plain_scalar {
    ($($t:ty),*) => {
        $(
            impl ToPy for $t {
                fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    Ok(self.into_pyobject(py)?.to_owned().into_any())
                }
            }
            impl ToPlain for $t {
                fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    self.to_py(py)
                }
            }
        )*
    };
}

plain_scalar!(String, bool, u8, u32, u64, i64);

impl<T: ToPy> ToPy for Option<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(v) => v.to_py(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

impl<T: ToPlain> ToPlain for Option<T> {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(v) => v.to_plain(py),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

/// A list of records (never bytes: those are [`Bytes`]).
impl<T: ToPy + Record> ToPy for Vec<T> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|v| v.to_py(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}

impl<T: ToPlain + Record> ToPlain for Vec<T> {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|v| v.to_plain(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}

/// Types a `Vec` of which is a Python list (records, strings, numbers but not `u8`).
pub trait Record {}
impl Record for String {}
impl Record for u64 {}

impl ToPy for HashMap<String, String> {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        let mut keys: Vec<&String> = self.keys().collect();
        keys.sort();
        for k in keys {
            d.set_item(k, &self[k])?;
        }
        Ok(d.into_any())
    }
}

impl ToPlain for HashMap<String, String> {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_py(py)
    }
}

/// Raw bytes (label files, reports).
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    /// As `bytes`.
    pub fn to_py<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        PyBytes::new(py, self.0).into_any()
    }
}

/// Enums cross as their snake_case string ids.
macro_rules! enum_ids {
    ($($t:ty { $($variant:ident => $id:literal),* $(,)? })*) => {
        $(
            impl ToPy for $t {
                fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    let id = match self { $(<$t>::$variant => pyo3::intern!(py, $id),)* };
                    Ok(id.clone().into_any())
                }
            }
            impl ToPlain for $t {
                fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    self.to_py(py)
                }
            }
            impl Record for $t {}
        )*
    };
}

enum_ids! {
    kargojet_ffi::Currency { Try => "TRY" }
    kargojet_ffi::ShipmentStatus {
        Created => "created", PickedUp => "picked_up", InTransit => "in_transit",
        AtBranch => "at_branch", OutForDelivery => "out_for_delivery", Delivered => "delivered",
        DeliveryFailed => "delivery_failed", Returning => "returning", Returned => "returned",
        Cancelled => "cancelled", Exception => "exception",
    }
    kargojet_ffi::LabelFormat {
        Pdf => "pdf", Zpl => "zpl", Epl => "epl", Png => "png", Jpeg => "jpeg", Html => "html",
    }
    kargojet_ffi::BulkFileFormat { Csv => "csv", Xlsx => "xlsx" }
    kargojet_ffi::CodPayment { Cash => "cash", Card => "card" }
    kargojet_ffi::RankBy { Cheapest => "cheapest", Fastest => "fastest" }
    kargojet_ffi::ErrorKind {
        InvalidRequest => "invalid_request", Unsupported => "unsupported", Auth => "auth",
        RateLimited => "rate_limited", CarrierRejected => "carrier_rejected",
        Timeout => "timeout", Transport => "transport", Protocol => "protocol",
        NotFound => "not_found", Conflict => "conflict",
        InsufficientFunds => "insufficient_funds", Internal => "internal",
    }
}

/// Defines the getters, `to_dict()`, `__repr__` and `__eq__` of a class wrapping a facade record
/// (`inner`), and its [`ToPy`] / [`ToPlain`] conversions. `repr` lists the fields shown.
macro_rules! record_class {
    (
        $class:ident($inner:ty) {
            fields: [$($field:ident),* $(,)?],
            repr: [$($rf:ident),* $(,)?] $(,)?
        }
        $({ $($extra:tt)* })?
    ) => {
        impl From<$inner> for $class {
            fn from(inner: $inner) -> Self {
                $class { inner }
            }
        }

        $crate::convert::record_class!(@methods $class($inner) [$($field),*] [$($rf),*] { $($($extra)*)? });
    };
    (
        custom_from $class:ident($inner:ty) {
            fields: [$($field:ident),* $(,)?],
            repr: [$($rf:ident),* $(,)?] $(,)?
        }
        $({ $($extra:tt)* })?
    ) => {
        $crate::convert::record_class!(@methods $class($inner) [$($field),*] [$($rf),*] { $($($extra)*)? });
    };
    (@methods $class:ident($inner:ty) [$($field:ident),*] [$($rf:ident),*] { $($extra:tt)* }) => {
        #[pyo3::pymethods]
        impl $class {
            $(
                #[getter]
                fn $field<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                    $crate::convert::ToPy::to_py(&self.inner.$field, py)
                }
            )*

            /// Every field as plain Python values (nested records as dicts).
            fn to_dict<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
                use pyo3::types::PyDictMethods;
                let d = pyo3::types::PyDict::new(py);
                $( d.set_item(stringify!($field), $crate::convert::ToPlain::to_plain(&self.inner.$field, py)?)?; )*
                Ok(d)
            }

            fn __repr__(&self, py: pyo3::Python<'_>) -> pyo3::PyResult<String> {
                let parts: Vec<String> = vec![$(
                    format!(
                        "{}={}",
                        stringify!($rf),
                        $crate::convert::ToPy::to_py(&self.inner.$rf, py)?.repr()?
                    ),
                )*];
                Ok(format!("{}({})", stringify!($class), parts.join(", ")))
            }

            fn __eq__(&self, other: &pyo3::Bound<'_, pyo3::PyAny>) -> bool {
                other
                    .cast::<$class>()
                    .is_ok_and(|o| o.get().inner == self.inner)
            }

            $($extra)*
        }

        impl $crate::convert::ToPy for $inner {
            fn to_py<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                Ok(pyo3::Bound::new(py, $class::from(self.clone()))?.into_any())
            }
        }

        impl $crate::convert::ToPlain for $inner {
            fn to_plain<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::PyAny>> {
                Ok($class::from(self.clone()).to_dict(py)?.into_any())
            }
        }

        impl $crate::convert::Record for $inner {}
    };
}

pub(crate) use record_class;
