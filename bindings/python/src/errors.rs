//! Facade errors as Python exceptions: the class of each error kind comes from
//! `kargojet._errors` (where invalid requests also subclass `ValueError` and timeouts
//! `TimeoutError`), looked up once.

use kargojet_ffi::{ErrorInfo, KargoJetError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyDictMethods};

static CLASSES: PyOnceLock<Py<PyDict>> = PyOnceLock::new();

fn classes(py: Python<'_>) -> PyResult<&Bound<'_, PyDict>> {
    CLASSES
        .get_or_try_init(py, || -> PyResult<Py<PyDict>> {
            let module = py.import("kargojet._errors")?;
            Ok(module
                .getattr("ERROR_CLASSES")?
                .cast_into::<PyDict>()?
                .unbind())
        })
        .map(|d| d.bind(py))
}

/// The exception instance for an error record (not raised).
pub fn exception<'py>(py: Python<'py>, info: &ErrorInfo) -> PyResult<Bound<'py, PyAny>> {
    let kind = info.kind_id();
    let cls = match classes(py)?.get_item(kind)? {
        Some(c) => c,
        None => py.import("kargojet._errors")?.getattr("KargoJetError")?,
    };
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", &info.code)?;
    kwargs.set_item("message_tr", &info.message_tr)?;
    kwargs.set_item("field", &info.field)?;
    kwargs.set_item("carrier", &info.carrier)?;
    kwargs.set_item("carrier_code", &info.carrier_code)?;
    kwargs.set_item("retryable", info.retryable)?;
    kwargs.set_item("maybe_sent", info.maybe_sent)?;
    cls.call((&info.message_en,), Some(&kwargs))
}

/// The Python error for a facade error.
pub fn to_py_err(e: KargoJetError) -> PyErr {
    Python::attach(|py| match exception(py, &e.info()) {
        Ok(instance) => PyErr::from_value(instance),
        Err(lookup) => PyRuntimeError::new_err(format!("{e} (and {lookup})")),
    })
}

/// `Result<T, KargoJetError>` → `PyResult<T>`.
pub trait IntoPyResult<T> {
    /// Converts the error into its Python exception.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for Result<T, KargoJetError> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py_err)
    }
}

/// The snake_case kind of an error record.
trait KindId {
    fn kind_id(&self) -> &'static str;
}

impl KindId for ErrorInfo {
    fn kind_id(&self) -> &'static str {
        self.kind.id()
    }
}
