//! Quotes and batches of quotes. They keep the domain result and convert it with the facade's
//! conversions when an attribute is read, so a quote of eight offers costs no string formatting
//! until its offers are looked at, and a batch of thousands creates Python objects only for the
//! rows that are read.

use crate::errors::exception;
use crate::outputs::{CarrierFailure, Exclusion, Offer, OfferData};
use kargojet_ffi as ffi;
use kargojet_ffi::ErrorInfo;
use kargojet_ffi::domain::pricing;
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyTuple};
use std::sync::Arc;

/// Rows of a batch: a domain quote, or the error of the row.
pub type BatchRows = Arc<Vec<Result<pricing::Quote, ErrorInfo>>>;

/// Where a quote's domain result lives.
enum Source {
    /// A single quote.
    One(pricing::Quote),
    /// Row `usize` of a batch (which holds a quote there).
    Row(BatchRows, usize),
}

/// The offers for one shipment, best first, and the carriers left out (with the reason).
#[pyclass(frozen, module = "kargojet")]
pub struct Quote {
    source: Source,
    offers: PyOnceLock<Vec<Py<Offer>>>,
}

static NO_QUOTE: std::sync::OnceLock<pricing::Quote> = std::sync::OnceLock::new();

impl Quote {
    /// A quote over a domain result.
    pub fn new(domain: pricing::Quote) -> Quote {
        Quote {
            source: Source::One(domain),
            offers: PyOnceLock::new(),
        }
    }

    fn row(rows: BatchRows, i: usize) -> Quote {
        Quote {
            source: Source::Row(rows, i),
            offers: PyOnceLock::new(),
        }
    }

    fn domain(&self) -> &pricing::Quote {
        match &self.source {
            Source::One(q) => q,
            Source::Row(rows, i) => match rows.get(*i) {
                Some(Ok(q)) => q,
                // Rows are only made for rows that hold a quote.
                _ => NO_QUOTE.get_or_init(pricing::Quote::default),
            },
        }
    }

    fn offer_objects(&self, py: Python<'_>) -> PyResult<&Vec<Py<Offer>>> {
        self.offers.get_or_try_init(py, || {
            self.domain()
                .offers
                .iter()
                .map(|o| {
                    Py::new(
                        py,
                        Offer {
                            data: OfferData::Domain(o.clone()),
                        },
                    )
                })
                .collect()
        })
    }
}

#[pymethods]
impl Quote {
    /// The offers, best first by the policy.
    #[getter]
    fn offers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.offer_objects(py)?.iter().map(|o| o.bind(py)))
    }

    /// The best offer, or `None` when every carrier was left out.
    #[getter]
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, Offer>>> {
        Ok(self.offer_objects(py)?.first().map(|o| o.bind(py).clone()))
    }

    /// Carriers or agreements left out, with the coded reason.
    #[getter]
    fn excluded<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .domain()
            .excluded
            .iter()
            .map(|x| {
                Bound::new(
                    py,
                    Exclusion {
                        inner: ffi::Exclusion::from(x),
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Live-rate failures (timeouts, errors).
    #[getter]
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .domain()
            .failures
            .iter()
            .map(|f| {
                Bound::new(
                    py,
                    CarrierFailure {
                        inner: ffi::CarrierFailure::from(f),
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Every field as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        crate::convert::ToPlain::to_plain(&ffi::Quote::from(self.domain()), py)
            .and_then(|d| Ok(d.cast_into::<PyDict>()?))
    }

    fn __len__(&self) -> usize {
        self.domain().offers.len()
    }

    fn __repr__(&self) -> String {
        let q = self.domain();
        let best = q
            .offers
            .first()
            .map(|o| {
                format!(
                    ", best='{} {} TRY'",
                    o.carrier,
                    ffi::money::amount_string(o.breakdown.total.amount)
                )
            })
            .unwrap_or_default();
        format!(
            "Quote(offers={}{best}, excluded={})",
            q.offers.len(),
            q.excluded.len()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Quote>()
            .is_ok_and(|o| o.get().domain() == self.domain())
    }
}

crate::convert::record_class!(custom_from QuoteRecord(ffi::Quote) {
    fields: [offers, excluded, failures],
    repr: [offers],
});

/// The plain form of a quote record (for `to_dict()` of quotes inside other records).
#[pyclass(frozen, module = "kargojet")]
pub struct QuoteRecord {
    inner: ffi::Quote,
}

impl From<ffi::Quote> for QuoteRecord {
    fn from(inner: ffi::Quote) -> Self {
        QuoteRecord { inner }
    }
}

/// One result per shipment of a batch, in order: a quote or the error that stopped it.
#[pyclass(frozen, module = "kargojet")]
pub struct QuoteBatch {
    results: BatchRows,
}

impl QuoteBatch {
    /// A batch over domain results.
    pub fn new(results: Vec<Result<pricing::Quote, ErrorInfo>>) -> QuoteBatch {
        QuoteBatch {
            results: Arc::new(results),
        }
    }

    fn index(&self, i: isize) -> PyResult<usize> {
        let n = self.results.len() as isize;
        let j = if i < 0 { i + n } else { i };
        if (0..n).contains(&j) {
            Ok(j as usize)
        } else {
            Err(PyIndexError::new_err("batch index out of range"))
        }
    }
}

#[pymethods]
impl QuoteBatch {
    fn __len__(&self) -> usize {
        self.results.len()
    }

    /// The quote of row `i`; raises that row's error if it has none.
    fn __getitem__(&self, py: Python<'_>, i: isize) -> PyResult<Quote> {
        let i = self.index(i)?;
        match &self.results[i] {
            Ok(_) => Ok(Quote::row(self.results.clone(), i)),
            Err(e) => Err(PyErr::from_value(exception(py, e)?)),
        }
    }

    /// Whether row `i` has a quote.
    fn ok(&self, i: isize) -> PyResult<bool> {
        Ok(self.results[self.index(i)?].is_ok())
    }

    /// The error of row `i` (not raised), or `None`.
    fn error<'py>(&self, py: Python<'py>, i: isize) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.results[self.index(i)?] {
            Ok(_) => Ok(None),
            Err(e) => exception(py, e).map(Some),
        }
    }

    /// `(row, error)` for every row without a quote.
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::new();
        for (i, r) in self.results.iter().enumerate() {
            if let Err(e) = r {
                out.push(PyTuple::new(
                    py,
                    [i.into_pyobject(py)?.into_any(), exception(py, e)?],
                )?);
            }
        }
        PyList::new(py, out)
    }

    /// Every row's quote, `None` where the row failed.
    fn quotes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .results
            .iter()
            .enumerate()
            .map(|(i, r)| match r {
                Ok(_) => Ok(Bound::new(py, Quote::row(self.results.clone(), i))?.into_any()),
                Err(_) => Ok(py.None().into_bound(py)),
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Every row's best offer, `None` where the row failed or had no offer.
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .results
            .iter()
            .map(|r| match r.as_ref().ok().and_then(|q| q.offers.first()) {
                Some(o) => Ok(Bound::new(
                    py,
                    Offer {
                        data: OfferData::Domain(o.clone()),
                    },
                )?
                .into_any()),
                None => Ok(py.None().into_bound(py)),
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Every row as plain Python values: `{"rows": [quote dict | {"error": error dict}]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let rows = self
            .results
            .iter()
            .map(|r| match r {
                Ok(q) => crate::convert::ToPlain::to_plain(&ffi::Quote::from(q), py),
                Err(e) => {
                    let d = PyDict::new(py);
                    d.set_item("error", exception(py, e)?.call_method0("to_dict")?)?;
                    Ok(d.into_any())
                }
            })
            .collect::<PyResult<Vec<_>>>()?;
        let d = PyDict::new(py);
        d.set_item("rows", PyList::new(py, rows)?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let failed = self.results.iter().filter(|r| r.is_err()).count();
        format!("QuoteBatch(rows={}, failed={failed})", self.results.len())
    }
}
