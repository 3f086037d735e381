//! Quotes and batches of quotes. They keep the domain result and convert it with the facade's
//! conversions when an attribute is read, so a quote of eight offers costs no string formatting
//! until its offers are looked at, and a batch of thousands creates Python objects only for the
//! rows that are read. A batch row is the core's ranked quote: every offer with its total, and
//! only the best one with its breakdown.

use crate::convert::ToPlain;
use crate::errors::exception;
use crate::outputs::{CarrierFailure, Exclusion, Offer, OfferData};
use kargojet_ffi as ffi;
use kargojet_ffi::ErrorInfo;
use kargojet_ffi::domain::pricing;
use kargojet_ffi::money::amount_string;
use pyo3::exceptions::PyIndexError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use std::sync::Arc;

/// A batch's results: the core's ranked batch for the rows that could be asked, and the rows
/// refused before quoting (their input invalid), with their errors, by ascending row.
pub struct BatchData {
    batch: pricing::RankedBatch,
    refused: Vec<(usize, ErrorInfo)>,
}

/// One row of a batch, as read.
enum Row<'a> {
    /// Its ranked quote.
    Quote(&'a pricing::RankedQuote),
    /// The error that stopped it.
    Failed(ErrorInfo),
}

impl BatchData {
    /// The results of `batch` with the `refused` rows (ascending) put back in their places.
    pub fn new(batch: pricing::RankedBatch, refused: Vec<(usize, ErrorInfo)>) -> BatchData {
        BatchData { batch, refused }
    }

    fn len(&self) -> usize {
        self.batch.len() + self.refused.len()
    }

    /// Row `i` (< `len()`): a refused row's error, else the batch's result for it.
    fn row(&self, i: usize) -> Row<'_> {
        let before = self.refused.partition_point(|(r, _)| *r < i);
        if let Some((_, e)) = self.refused.get(before).filter(|(r, _)| *r == i) {
            return Row::Failed(e.clone());
        }
        match self.batch.results.get(i - before) {
            Some(Ok(q)) => Row::Quote(q),
            Some(Err(e)) => Row::Failed(ErrorInfo::from(e)),
            None => Row::Failed(ffi::KargoJetError::internal("batch result missing").info()),
        }
    }

    fn quote(&self, i: usize) -> Option<&pricing::RankedQuote> {
        match self.row(i) {
            Row::Quote(q) => Some(q),
            Row::Failed(_) => None,
        }
    }

    fn failed(&self) -> usize {
        self.refused.len() + self.batch.results.iter().filter(|r| r.is_err()).count()
    }

    fn agreements(&self) -> &[Arc<pricing::Agreement>] {
        self.batch.agreements()
    }
}

/// A batch's results, shared by its row objects.
pub type BatchRows = Arc<BatchData>;

/// The offers for one shipment, best first, and the carriers left out (with the reason).
#[pyclass(frozen, module = "kargojet")]
pub struct Quote {
    domain: pricing::Quote,
    offers: PyOnceLock<Vec<Py<Offer>>>,
}

impl Quote {
    /// A quote over a domain result.
    pub fn new(domain: pricing::Quote) -> Quote {
        Quote {
            domain,
            offers: PyOnceLock::new(),
        }
    }

    fn domain(&self) -> &pricing::Quote {
        &self.domain
    }

    fn offer_objects(&self, py: Python<'_>) -> PyResult<&Vec<Py<Offer>>> {
        self.offers.get_or_try_init(py, || {
            self.domain()
                .offers
                .iter()
                .map(|o| Py::new(py, offer(o)))
                .collect()
        })
    }
}

fn offer(o: &pricing::Offer) -> Offer {
    Offer {
        data: OfferData::Domain(o.clone()),
    }
}

fn exclusions<'py>(py: Python<'py>, list: &[pricing::Exclusion]) -> PyResult<Bound<'py, PyList>> {
    let items = list
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

fn failures<'py>(
    py: Python<'py>,
    list: &[pricing::CarrierFailure],
) -> PyResult<Bound<'py, PyList>> {
    let items = list
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
        exclusions(py, &self.domain().excluded)
    }

    /// Live-rate failures (timeouts, errors).
    #[getter]
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        failures(py, &self.domain().failures)
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

/// One ranked offer of a batch row: the carrier, its service, the agreement and the total,
/// without the breakdown.
#[pyclass(frozen, module = "kargojet")]
pub struct BatchOffer {
    inner: ffi::BatchOffer,
}

crate::convert::record_class!(BatchOffer(ffi::BatchOffer) {
    fields: [carrier, service, agreement_id, total, transit_days],
    repr: [carrier, service, total],
});

static NO_QUOTE: std::sync::OnceLock<pricing::RankedQuote> = std::sync::OnceLock::new();

/// `(carrier, total)` of a row's cheapest offer, or `None`.
fn cheapest_pair<'py>(
    py: Python<'py>,
    q: &pricing::RankedQuote,
    agreements: &[Arc<pricing::Agreement>],
) -> PyResult<Bound<'py, PyAny>> {
    match q.cheapest() {
        Some(o) => Ok(PyTuple::new(
            py,
            [
                PyString::new(py, pricing::agreement_of(agreements, o).carrier().as_str()),
                PyString::new(py, &amount_string(o.total.amount)),
            ],
        )?
        .into_any()),
        None => Ok(py.None().into_bound(py)),
    }
}

fn batch_quote_dict<'py>(
    py: Python<'py>,
    q: &pricing::RankedQuote,
    agreements: &[Arc<pricing::Agreement>],
) -> PyResult<Bound<'py, PyDict>> {
    let r = ffi::BatchQuote::from_domain(q, agreements);
    let d = PyDict::new(py);
    d.set_item("offers", r.offers.to_plain(py)?)?;
    d.set_item("best", r.best.to_plain(py)?)?;
    d.set_item("excluded", r.excluded.to_plain(py)?)?;
    d.set_item("failures", r.failures.to_plain(py)?)?;
    Ok(d)
}

/// One shipment's quote in a batch: every offer ranked by the policy (the same offers in the
/// same order as `KargoJet.quote`), each with its total, and the best one in full with its
/// breakdown. Read from the batch when an attribute is asked for.
#[pyclass(frozen, module = "kargojet")]
pub struct BatchQuote {
    rows: BatchRows,
    row: usize,
}

impl BatchQuote {
    fn domain(&self) -> &pricing::RankedQuote {
        // Made only for rows that hold a quote.
        self.rows
            .quote(self.row)
            .unwrap_or_else(|| NO_QUOTE.get_or_init(pricing::RankedQuote::default))
    }
}

#[pymethods]
impl BatchQuote {
    /// The offers, best first by the policy, without breakdowns.
    #[getter]
    fn offers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = self
            .domain()
            .offers
            .iter()
            .map(|o| {
                Bound::new(
                    py,
                    BatchOffer {
                        inner: ffi::BatchOffer::from_domain(o, self.rows.agreements()),
                    },
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The best offer with its breakdown (the cheapest under the default policy), or `None`
    /// when every carrier was left out.
    #[getter]
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, Offer>>> {
        self.domain()
            .best
            .as_deref()
            .map(|o| Bound::new(py, offer(o)))
            .transpose()
    }

    /// `(carrier, total)` of the cheapest offer, whatever the policy ranks by; `None` when
    /// there is no offer.
    #[getter]
    fn cheapest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        cheapest_pair(py, self.domain(), self.rows.agreements())
    }

    /// `(carrier, service, total, currency)` of every offer, best first: plain tuples, the
    /// quickest way to read a row.
    fn rows<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let currency = pyo3::intern!(py, "TRY");
        let agreements = self.rows.agreements();
        let items = self
            .domain()
            .offers
            .iter()
            .map(|o| {
                let agreement = pricing::agreement_of(agreements, o);
                let service = match agreement.tariff().service() {
                    Some(s) => PyString::new(py, s).into_any(),
                    None => py.None().into_bound(py),
                };
                PyTuple::new(
                    py,
                    [
                        PyString::new(py, agreement.carrier().as_str()).into_any(),
                        service,
                        PyString::new(py, &amount_string(o.total.amount)).into_any(),
                        currency.clone().into_any(),
                    ],
                )
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// Carriers or agreements left out, with the coded reason.
    #[getter]
    fn excluded<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        exclusions(py, &self.domain().excluded)
    }

    /// Live-rate failures (timeouts, errors).
    #[getter]
    fn failures<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        failures(py, &self.domain().failures)
    }

    /// Every field as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        batch_quote_dict(py, self.domain(), self.rows.agreements())
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
                    pricing::agreement_of(self.rows.agreements(), o).carrier(),
                    amount_string(o.total.amount)
                )
            })
            .unwrap_or_default();
        format!(
            "BatchQuote(offers={}{best}, excluded={})",
            q.offers.len(),
            q.excluded.len()
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<BatchQuote>()
            .is_ok_and(|o| o.get().domain() == self.domain())
    }
}

/// One result per shipment of a batch, in order: a ranked quote or the error that stopped it.
#[pyclass(frozen, module = "kargojet")]
pub struct QuoteBatch {
    results: BatchRows,
}

impl QuoteBatch {
    /// A batch over the core's ranked batch and the rows refused before quoting.
    pub fn new(data: BatchData) -> QuoteBatch {
        QuoteBatch {
            results: Arc::new(data),
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

    fn row(&self, i: usize) -> BatchQuote {
        BatchQuote {
            rows: self.results.clone(),
            row: i,
        }
    }

    /// `f` of every row that has a quote, `None` for the others, as a list.
    fn each<'py>(
        &self,
        py: Python<'py>,
        f: impl Fn(usize, &pricing::RankedQuote) -> PyResult<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let items = (0..self.results.len())
            .map(|i| match self.results.row(i) {
                Row::Quote(q) => f(i, q),
                Row::Failed(_) => Ok(py.None().into_bound(py)),
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }
}

#[pymethods]
impl QuoteBatch {
    fn __len__(&self) -> usize {
        self.results.len()
    }

    /// The quote of row `i`; raises that row's error if it has none.
    fn __getitem__(&self, py: Python<'_>, i: isize) -> PyResult<BatchQuote> {
        let i = self.index(i)?;
        match self.results.row(i) {
            Row::Quote(_) => Ok(self.row(i)),
            Row::Failed(e) => Err(PyErr::from_value(exception(py, &e)?)),
        }
    }

    /// Whether row `i` has a quote.
    fn ok(&self, i: isize) -> PyResult<bool> {
        Ok(matches!(self.results.row(self.index(i)?), Row::Quote(_)))
    }

    /// The error of row `i` (not raised), or `None`.
    fn error<'py>(&self, py: Python<'py>, i: isize) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.results.row(self.index(i)?) {
            Row::Quote(_) => Ok(None),
            Row::Failed(e) => exception(py, &e).map(Some),
        }
    }

    /// `(row, error)` for every row without a quote.
    fn errors<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let mut out = Vec::new();
        for i in 0..self.results.len() {
            if let Row::Failed(e) = self.results.row(i) {
                out.push(PyTuple::new(
                    py,
                    [i.into_pyobject(py)?.into_any(), exception(py, &e)?],
                )?);
            }
        }
        PyList::new(py, out)
    }

    /// Every row's quote, `None` where the row failed.
    fn quotes<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.each(py, |i, _| Ok(Bound::new(py, self.row(i))?.into_any()))
    }

    /// Every row's best offer with its breakdown, `None` where the row failed or had no offer.
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.each(py, |_, q| match q.best.as_deref() {
            Some(o) => Ok(Bound::new(py, offer(o))?.into_any()),
            None => Ok(py.None().into_bound(py)),
        })
    }

    /// Every row's `(carrier, total)` of its cheapest offer (whatever the policy ranks by),
    /// `None` where the row failed or had no offer.
    fn cheapest<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let agreements = self.results.agreements();
        self.each(py, |_, q| cheapest_pair(py, q, agreements))
    }

    /// Every row as plain Python values: `{"rows": [quote dict | {"error": error dict}]}`.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let agreements = self.results.agreements();
        let rows = (0..self.results.len())
            .map(|i| match self.results.row(i) {
                Row::Quote(q) => Ok(batch_quote_dict(py, q, agreements)?.into_any()),
                Row::Failed(e) => {
                    let d = PyDict::new(py);
                    d.set_item("error", exception(py, &e)?.call_method0("to_dict")?)?;
                    Ok(d.into_any())
                }
            })
            .collect::<PyResult<Vec<_>>>()?;
        let d = PyDict::new(py);
        d.set_item("rows", PyList::new(py, rows)?)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!(
            "QuoteBatch(rows={}, failed={})",
            self.results.len(),
            self.results.failed()
        )
    }
}
