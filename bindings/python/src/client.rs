//! `kargojet.KargoJet`: every facade operation as a blocking method (`quote`) and an asyncio
//! twin (`quote_async`, returning an awaitable `asyncio.Future`). Blocking methods release the
//! GIL while they wait; async ones run on the facade's runtime and settle their future through
//! the event loop's `call_soon_threadsafe`.

use crate::convert::{NumberKind, ToPy, number_text};
use crate::errors::{IntoPyResult, to_py_err};
use crate::inputs::{PartyInput, PolicyInput, ShipmentInput};
use crate::outputs::{Balances, BulkPlan, BulkPurchase, Insights, Label};
use crate::quote::{BatchData, Quote, QuoteBatch};
use kargojet_ffi as ffi;
use kargojet_ffi::domain::orchestrator::QuoteRequest as DomainQuoteRequest;
use kargojet_ffi::{ErrorInfo, KargoJetError};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

static SETTLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// Runs a facade future to completion: polled once in place (a local quote is done at once),
/// then waited for with the GIL released.
fn run_sync<T: Send>(
    py: Python<'_>,
    kj: &ffi::KargoJet,
    future: impl Future<Output = Result<T, KargoJetError>> + Send,
) -> PyResult<T> {
    let mut future = std::pin::pin!(future);
    {
        let _context = kj.handle().enter();
        if let Poll::Ready(v) = future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        {
            return v.py();
        }
    }
    py.detach(|| kj.block_on(future)).py()
}

/// Spawns a facade future on the facade's runtime; returns an `asyncio.Future` of the running
/// loop that `convert`'s value (or the error) completes.
fn run_async<'py, T, F, C>(
    py: Python<'py>,
    kj: &ffi::KargoJet,
    future: F,
    convert: C,
) -> PyResult<Bound<'py, PyAny>>
where
    T: Send + 'static,
    F: Future<Output = Result<T, KargoJetError>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let event_loop = py
        .import(pyo3::intern!(py, "asyncio"))?
        .call_method0(pyo3::intern!(py, "get_running_loop"))?;
    let py_future = event_loop.call_method0(pyo3::intern!(py, "create_future"))?;
    let settle = SETTLE
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("kargojet._aio")?.getattr("_settle")?.unbind())
        })?
        .clone_ref(py);
    let event_loop = event_loop.unbind();
    let target = py_future.clone().unbind();
    kj.handle().spawn(async move {
        let result = future.await;
        Python::attach(|py| {
            let (ok, value) = match result.map_err(to_py_err).and_then(|v| convert(py, v)) {
                Ok(v) => (true, v),
                Err(e) => (false, e.into_value(py).into_any()),
            };
            // A closed loop cannot take the result any more; nobody is waiting for it.
            let _ = event_loop.call_method1(
                py,
                pyo3::intern!(py, "call_soon_threadsafe"),
                (settle, target, ok, value),
            );
        });
    });
    Ok(py_future)
}

fn obj<T: pyo3::PyClass + Into<pyo3::PyClassInitializer<T>>>(
    py: Python<'_>,
    value: T,
) -> PyResult<Py<PyAny>> {
    Ok(Py::new(py, value)?.into_any())
}

fn record<T: ToPy>(py: Python<'_>, value: T) -> PyResult<Py<PyAny>> {
    Ok(value.to_py(py)?.unbind())
}

fn label_format(f: &str) -> PyResult<ffi::LabelFormat> {
    Ok(match f.to_ascii_lowercase().as_str() {
        "pdf" => ffi::LabelFormat::Pdf,
        "zpl" => ffi::LabelFormat::Zpl,
        "epl" => ffi::LabelFormat::Epl,
        "png" => ffi::LabelFormat::Png,
        "jpeg" | "jpg" => ffi::LabelFormat::Jpeg,
        "html" => ffi::LabelFormat::Html,
        other => {
            return Err(PyValueError::new_err(format!(
                "format: '{other}' is not pdf, zpl, epl, png, jpeg or html"
            )));
        }
    })
}

fn label_source(s: &str) -> PyResult<ffi::LabelSource> {
    Ok(match s {
        "auto" => ffi::LabelSource::Auto,
        "carrier" => ffi::LabelSource::Carrier,
        "kargojet" => ffi::LabelSource::KargoJet,
        other => {
            return Err(PyValueError::new_err(format!(
                "source: '{other}' is not auto, carrier or kargojet"
            )));
        }
    })
}

fn language(l: &str) -> PyResult<ffi::InsightsLanguage> {
    match l {
        "tr" => Ok(ffi::InsightsLanguage::Tr),
        "en" => Ok(ffi::InsightsLanguage::En),
        other => Err(PyValueError::new_err(format!(
            "language: '{other}' is not 'tr' or 'en'"
        ))),
    }
}

fn config_json(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(s) = config.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    let dumps = py.import("json")?.getattr("dumps")?;
    dumps.call1((config,))?.extract::<String>()
}

/// How to read a bulk file, from the method's arguments.
pub(crate) fn bulk_options(
    py: Python<'_>,
    sender: &PartyInput,
    mapping: Option<&Bound<'_, PyAny>>,
    format: Option<&str>,
    sheet: Option<String>,
    sms: bool,
) -> PyResult<ffi::BulkOptions> {
    Ok(ffi::BulkOptions {
        sender: sender.inner.clone(),
        mapping_json: mapping
            .filter(|m| !m.is_none())
            .map(|m| config_json(py, m))
            .transpose()?,
        format: match format {
            None => None,
            Some("csv") => Some(ffi::BulkFileFormat::Csv),
            Some("xlsx") => Some(ffi::BulkFileFormat::Xlsx),
            Some(other) => {
                return Err(PyValueError::new_err(format!(
                    "format: '{other}' is not 'csv' or 'xlsx'"
                )));
            }
        },
        sheet,
        sms,
    })
}

fn fault(
    fault: &str,
    carrier_code: Option<String>,
    millis: Option<u64>,
) -> PyResult<ffi::SandboxFault> {
    Ok(match fault {
        "reject" => ffi::SandboxFault::Reject { carrier_code },
        "error500" => ffi::SandboxFault::Error500,
        "timeout" => ffi::SandboxFault::Timeout,
        "drop_connection" => ffi::SandboxFault::DropConnection,
        "malformed" => ffi::SandboxFault::Malformed,
        "delay" => ffi::SandboxFault::Delay {
            millis: millis.unwrap_or(1000),
        },
        other => {
            return Err(PyValueError::new_err(format!(
                "fault: '{other}' is not reject, error500, timeout, drop_connection, malformed or delay"
            )));
        }
    })
}

fn operation(op: &str) -> PyResult<ffi::SandboxOperation> {
    Ok(match op {
        "create" => ffi::SandboxOperation::Create,
        "track" => ffi::SandboxOperation::Track,
        "cancel" => ffi::SandboxOperation::Cancel,
        other => {
            return Err(PyValueError::new_err(format!(
                "operation: '{other}' is not create, track or cancel"
            )));
        }
    })
}

/// A batch's valid requests, and the rows refused before quoting with their errors (ascending).
type PreparedBatch = (Vec<Arc<DomainQuoteRequest>>, Vec<(usize, ErrorInfo)>);

/// KargoJet: quote across carriers, ship, label, track, cancel, returns, bulk files, insights
/// and the wallet.
#[pyclass(frozen, module = "kargojet", name = "KargoJet")]
pub struct Client {
    kj: Arc<ffi::KargoJet>,
}

impl Client {
    fn quote_request(
        &self,
        shipment: &ShipmentInput,
        policy: Option<&PolicyInput>,
        company: Option<&str>,
    ) -> PyResult<Arc<DomainQuoteRequest>> {
        let engine = self.kj.engine();
        if policy.is_none() && company.is_none() {
            return shipment.prepared(engine);
        }
        engine
            .quote_request(
                shipment.validated()?.clone(),
                policy.map(|p| &p.inner),
                company,
            )
            .map(Arc::new)
            .py()
    }

    fn ship_request(
        shipment: &ShipmentInput,
        idempotency_key: String,
        policy: Option<&PolicyInput>,
        carrier: Option<String>,
        agreement_id: Option<String>,
        company: Option<String>,
    ) -> ffi::ShipRequest {
        ffi::ShipRequest {
            shipment: shipment.inner.clone(),
            idempotency_key,
            policy: policy.map(|p| p.inner.clone()),
            carrier,
            agreement_id,
            company,
        }
    }

    fn batch_requests(
        &self,
        shipments: &Bound<'_, PyAny>,
        policy: Option<&PolicyInput>,
        company: Option<&str>,
    ) -> PyResult<PreparedBatch> {
        let mut requests = Vec::with_capacity(shipments.len().unwrap_or(0));
        let mut refused = Vec::new();
        for (row, item) in shipments.try_iter()?.enumerate() {
            let item = item?;
            let s = item
                .cast::<ShipmentInput>()
                .map_err(|_| PyTypeError::new_err("quote_batch takes ShipmentInput objects"))?;
            match self.quote_request(s.get(), policy, company) {
                Ok(r) => requests.push(r),
                Err(e) => refused.push((row, error_info_of(item.py(), e)?)),
            }
        }
        Ok((requests, refused))
    }
}

/// The error record of a raised KargoJet exception (for batch rows).
fn error_info_of(py: Python<'_>, e: PyErr) -> PyResult<ErrorInfo> {
    let v = e.value(py);
    let code: String = match v.getattr("code") {
        Ok(c) => c.extract()?,
        Err(_) => return Err(e),
    };
    Ok(ErrorInfo {
        kind: ffi::error::ErrorKind::of_code(&code),
        code,
        message_tr: v.getattr("message_tr")?.extract()?,
        message_en: v.getattr("message_en")?.extract()?,
        field: v.getattr("field")?.extract()?,
        carrier: v.getattr("carrier")?.extract()?,
        carrier_code: v.getattr("carrier_code")?.extract()?,
        retryable: v.getattr("retryable")?.extract()?,
        maybe_sent: v.getattr("maybe_sent")?.extract()?,
    })
}

#[pymethods]
impl Client {
    /// A KargoJet from a configuration: a dict (the facade's `KargoJetConfig` fields) or a JSON
    /// string.
    #[new]
    fn new(py: Python<'_>, config: &Bound<'_, PyAny>) -> PyResult<Self> {
        let json = config_json(py, config)?;
        let kj = py.detach(|| ffi::KargoJet::from_json(json)).py()?;
        Ok(Client { kj })
    }

    /// Every carrier simulator in-process with a simulated clock, the illustrative agreements
    /// (not real prices) and a wallet of 100,000 TL for the company `sandbox`.
    #[staticmethod]
    fn sandbox(py: Python<'_>) -> PyResult<Self> {
        let kj = py.detach(ffi::KargoJet::sandbox).py()?;
        Ok(Client { kj })
    }

    /// The configured company.
    #[getter]
    fn company(&self) -> String {
        self.kj.company()
    }

    /// The known carriers' ids.
    #[getter]
    fn carriers(&self) -> Vec<String> {
        self.kj.carriers()
    }

    /// Whether this instance runs on the simulators.
    #[getter]
    fn is_sandbox(&self) -> bool {
        self.kj.is_sandbox()
    }

    /// The facade's clock now, RFC 3339 (simulated on a sandbox).
    fn now(&self) -> String {
        self.kj.now()
    }

    /// Offers for one shipment across every carrier and agreement, best first.
    #[pyo3(signature = (shipment, *, policy=None, company=None))]
    fn quote(
        &self,
        py: Python<'_>,
        shipment: PyRef<'_, ShipmentInput>,
        policy: Option<PyRef<'_, PolicyInput>>,
        company: Option<&str>,
    ) -> PyResult<Quote> {
        let request = self.quote_request(&shipment, policy.as_deref(), company)?;
        let engine = self.kj.engine();
        let quote = run_sync(py, &self.kj, async {
            engine
                .quote_domain(&request)
                .await
                .map_err(KargoJetError::from)
        })?;
        Ok(Quote::new(quote))
    }

    /// Awaitable twin of :meth:`quote`.
    #[pyo3(signature = (shipment, *, policy=None, company=None))]
    fn quote_async<'py>(
        &self,
        py: Python<'py>,
        shipment: PyRef<'_, ShipmentInput>,
        policy: Option<PyRef<'_, PolicyInput>>,
        company: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let request = self.quote_request(&shipment, policy.as_deref(), company)?;
        let engine = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move {
                engine
                    .quote_domain(&request)
                    .await
                    .map_err(KargoJetError::from)
            },
            |py, q| obj(py, Quote::new(q)),
        )
    }

    /// Quotes many shipments in one call (with the GIL released): one result per shipment, in
    /// order — every offer ranked with its total, the best one with its breakdown (a bad
    /// shipment is a row with an error, not a failed batch).
    #[pyo3(signature = (shipments, *, policy=None, company=None))]
    fn quote_batch(
        &self,
        py: Python<'_>,
        shipments: &Bound<'_, PyAny>,
        policy: Option<PyRef<'_, PolicyInput>>,
        company: Option<&str>,
    ) -> PyResult<QuoteBatch> {
        let (requests, refused) = self.batch_requests(shipments, policy.as_deref(), company)?;
        let engine = self.kj.engine();
        // Quoted on this thread with the GIL released (local quotes never wait).
        let batch = py
            .detach(|| {
                self.kj
                    .block_on(async { Ok(engine.quote_batch_domain(&requests).await) })
            })
            .py()?;
        Ok(QuoteBatch::new(BatchData::new(batch, refused)))
    }

    /// Awaitable twin of :meth:`quote_batch`.
    #[pyo3(signature = (shipments, *, policy=None, company=None))]
    fn quote_batch_async<'py>(
        &self,
        py: Python<'py>,
        shipments: &Bound<'_, PyAny>,
        policy: Option<PyRef<'_, PolicyInput>>,
        company: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (requests, refused) = self.batch_requests(shipments, policy.as_deref(), company)?;
        let engine = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { Ok(engine.quote_batch_domain(&requests).await) },
            move |py, batch| obj(py, QuoteBatch::new(BatchData::new(batch, refused))),
        )
    }

    /// Buys a shipment with the best offer (or `carrier`); the same `idempotency_key` returns
    /// the same shipment and never ships twice.
    #[pyo3(signature = (shipment, idempotency_key, *, policy=None, carrier=None, agreement_id=None, company=None))]
    #[allow(clippy::too_many_arguments)]
    fn ship<'py>(
        &self,
        py: Python<'py>,
        shipment: PyRef<'_, ShipmentInput>,
        idempotency_key: String,
        policy: Option<PyRef<'_, PolicyInput>>,
        carrier: Option<String>,
        agreement_id: Option<String>,
        company: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = Client::ship_request(
            &shipment,
            idempotency_key,
            policy.as_deref(),
            carrier,
            agreement_id,
            company,
        );
        run_sync(py, &self.kj, self.kj.engine().ship(r))?.to_py(py)
    }

    /// Awaitable twin of :meth:`ship`.
    #[pyo3(signature = (shipment, idempotency_key, *, policy=None, carrier=None, agreement_id=None, company=None))]
    #[allow(clippy::too_many_arguments)]
    fn ship_async<'py>(
        &self,
        py: Python<'py>,
        shipment: PyRef<'_, ShipmentInput>,
        idempotency_key: String,
        policy: Option<PyRef<'_, PolicyInput>>,
        carrier: Option<String>,
        agreement_id: Option<String>,
        company: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = Client::ship_request(
            &shipment,
            idempotency_key,
            policy.as_deref(),
            carrier,
            agreement_id,
            company,
        );
        let e = self.kj.engine().clone();
        run_async(py, &self.kj, async move { e.ship(r).await }, record)
    }

    /// Cancels a shipment (before pickup; refunded through the wallet).
    fn cancel<'py>(&self, py: Python<'py>, shipment_id: String) -> PyResult<Bound<'py, PyAny>> {
        run_sync(py, &self.kj, self.kj.engine().cancel(&shipment_id))?.to_py(py)
    }

    /// Awaitable twin of :meth:`cancel`.
    fn cancel_async<'py>(
        &self,
        py: Python<'py>,
        shipment_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.cancel(&shipment_id).await },
            record,
        )
    }

    /// The label as `format` (`pdf` or `zpl` always work: KargoJet renders them where the
    /// carrier gives another format); `source` is `auto`, `carrier` or `kargojet`.
    #[pyo3(signature = (shipment_id, format="pdf", *, source="auto"))]
    fn label(
        &self,
        py: Python<'_>,
        shipment_id: String,
        format: &str,
        source: &str,
    ) -> PyResult<Label> {
        let (f, s) = (label_format(format)?, label_source(source)?);
        let inner = run_sync(py, &self.kj, self.kj.engine().label(&shipment_id, f, s))?;
        Ok(Label { inner })
    }

    /// Awaitable twin of :meth:`label`.
    #[pyo3(signature = (shipment_id, format="pdf", *, source="auto"))]
    fn label_async<'py>(
        &self,
        py: Python<'py>,
        shipment_id: String,
        format: &str,
        source: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let (f, s) = (label_format(format)?, label_source(source)?);
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.label(&shipment_id, f, s).await },
            |py, inner| obj(py, Label { inner }),
        )
    }

    /// Polls the carrier: the shipment with its merged tracking history and status.
    fn track<'py>(&self, py: Python<'py>, shipment_id: String) -> PyResult<Bound<'py, PyAny>> {
        run_sync(py, &self.kj, self.kj.engine().track(&shipment_id))?.to_py(py)
    }

    /// Awaitable twin of :meth:`track`.
    fn track_async<'py>(
        &self,
        py: Python<'py>,
        shipment_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.track(&shipment_id).await },
            record,
        )
    }

    /// A stored shipment, without asking the carrier.
    fn shipment<'py>(&self, py: Python<'py>, shipment_id: String) -> PyResult<Bound<'py, PyAny>> {
        run_sync(py, &self.kj, self.kj.engine().shipment(&shipment_id))?.to_py(py)
    }

    /// Awaitable twin of :meth:`shipment`.
    fn shipment_async<'py>(
        &self,
        py: Python<'py>,
        shipment_id: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.shipment(&shipment_id).await },
            record,
        )
    }

    /// The company's shipments, oldest first.
    fn shipments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        run_sync(py, &self.kj, self.kj.engine().shipments())?.to_py(py)
    }

    /// Awaitable twin of :meth:`shipments`.
    fn shipments_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let e = self.kj.engine().clone();
        run_async(py, &self.kj, async move { e.shipments().await }, record)
    }

    /// A return shipment (recipient → sender) with the same carrier, idempotent by key.
    fn create_return<'py>(
        &self,
        py: Python<'py>,
        shipment_id: String,
        idempotency_key: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        run_sync(
            py,
            &self.kj,
            self.kj
                .engine()
                .create_return(&shipment_id, &idempotency_key),
        )?
        .to_py(py)
    }

    /// Awaitable twin of :meth:`create_return`.
    fn create_return_async<'py>(
        &self,
        py: Python<'py>,
        shipment_id: String,
        idempotency_key: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.create_return(&shipment_id, &idempotency_key).await },
            record,
        )
    }

    /// Reads a bulk file (CSV or XLSX bytes) and prices every accepted row; nothing is bought.
    #[pyo3(signature = (file, sender, *, mapping=None, format=None, sheet=None, sms=false))]
    #[allow(clippy::too_many_arguments)]
    fn bulk_quote(
        &self,
        py: Python<'_>,
        file: &Bound<'_, PyBytes>,
        sender: PyRef<'_, PartyInput>,
        mapping: Option<&Bound<'_, PyAny>>,
        format: Option<&str>,
        sheet: Option<String>,
        sms: bool,
    ) -> PyResult<BulkPlan> {
        let o = bulk_options(py, &sender, mapping, format, sheet, sms)?;
        let bytes = file.as_bytes().to_vec();
        let inner = run_sync(py, &self.kj, self.kj.engine().bulk_quote(&bytes, &o))?;
        Ok(BulkPlan { inner })
    }

    /// Awaitable twin of :meth:`bulk_quote`.
    #[pyo3(signature = (file, sender, *, mapping=None, format=None, sheet=None, sms=false))]
    #[allow(clippy::too_many_arguments)]
    fn bulk_quote_async<'py>(
        &self,
        py: Python<'py>,
        file: &Bound<'_, PyBytes>,
        sender: PyRef<'_, PartyInput>,
        mapping: Option<&Bound<'_, PyAny>>,
        format: Option<&str>,
        sheet: Option<String>,
        sms: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let o = bulk_options(py, &sender, mapping, format, sheet, sms)?;
        let bytes = file.as_bytes().to_vec();
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.bulk_quote(&bytes, &o).await },
            |py, inner| obj(py, BulkPlan { inner }),
        )
    }

    /// Reads, prices and buys a bulk file; the same file again ships no row twice.
    #[pyo3(signature = (file, sender, *, mapping=None, format=None, sheet=None, sms=false))]
    #[allow(clippy::too_many_arguments)]
    fn bulk_ship(
        &self,
        py: Python<'_>,
        file: &Bound<'_, PyBytes>,
        sender: PyRef<'_, PartyInput>,
        mapping: Option<&Bound<'_, PyAny>>,
        format: Option<&str>,
        sheet: Option<String>,
        sms: bool,
    ) -> PyResult<BulkPurchase> {
        let o = bulk_options(py, &sender, mapping, format, sheet, sms)?;
        let bytes = file.as_bytes().to_vec();
        let inner = run_sync(py, &self.kj, self.kj.engine().bulk_ship(&bytes, &o))?;
        Ok(BulkPurchase { inner })
    }

    /// Awaitable twin of :meth:`bulk_ship`.
    #[pyo3(signature = (file, sender, *, mapping=None, format=None, sheet=None, sms=false))]
    #[allow(clippy::too_many_arguments)]
    fn bulk_ship_async<'py>(
        &self,
        py: Python<'py>,
        file: &Bound<'_, PyBytes>,
        sender: PyRef<'_, PartyInput>,
        mapping: Option<&Bound<'_, PyAny>>,
        format: Option<&str>,
        sheet: Option<String>,
        sms: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let o = bulk_options(py, &sender, mapping, format, sheet, sms)?;
        let bytes = file.as_bytes().to_vec();
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.bulk_ship(&bytes, &o).await },
            |py, inner| obj(py, BulkPurchase { inner }),
        )
    }

    /// What the company's shipments of the last `days` say: findings with the money at
    /// stake, a summary and the answer to `question` (`language` is `tr` or `en`).
    #[pyo3(signature = (*, days=None, language="tr", question=None))]
    fn insights(
        &self,
        py: Python<'_>,
        days: Option<u32>,
        language: &str,
        question: Option<String>,
    ) -> PyResult<Insights> {
        let r = ffi::InsightsRequest {
            days,
            language: self::language(language)?,
            question,
        };
        let inner = run_sync(py, &self.kj, self.kj.engine().insights(&r))?;
        Ok(Insights { inner })
    }

    /// Awaitable twin of :meth:`insights`.
    #[pyo3(signature = (*, days=None, language="tr", question=None))]
    fn insights_async<'py>(
        &self,
        py: Python<'py>,
        days: Option<u32>,
        language: &str,
        question: Option<String>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let r = ffi::InsightsRequest {
            days,
            language: self::language(language)?,
            question,
        };
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.insights(&r).await },
            |py, inner| obj(py, Insights { inner }),
        )
    }

    /// The company's wallet balances.
    fn wallet_balances(&self, py: Python<'_>) -> PyResult<Balances> {
        let inner = run_sync(py, &self.kj, self.kj.engine().wallet_balances())?;
        Ok(Balances { inner })
    }

    /// Awaitable twin of :meth:`wallet_balances`.
    fn wallet_balances_async<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.wallet_balances().await },
            |py, inner| obj(py, Balances { inner }),
        )
    }

    /// Money paid into the wallet (`reference`: the payment's id, credited once).
    fn wallet_top_up(
        &self,
        py: Python<'_>,
        amount: &Bound<'_, PyAny>,
        reference: String,
    ) -> PyResult<Balances> {
        let amount = number_text(amount, "amount", NumberKind::Money)?;
        let inner = run_sync(
            py,
            &self.kj,
            self.kj.engine().wallet_top_up(&amount, &reference),
        )?;
        Ok(Balances { inner })
    }

    /// Awaitable twin of :meth:`wallet_top_up`.
    fn wallet_top_up_async<'py>(
        &self,
        py: Python<'py>,
        amount: &Bound<'_, PyAny>,
        reference: String,
    ) -> PyResult<Bound<'py, PyAny>> {
        let amount = number_text(amount, "amount", NumberKind::Money)?;
        let e = self.kj.engine().clone();
        run_async(
            py,
            &self.kj,
            async move { e.wallet_top_up(&amount, &reference).await },
            |py, inner| obj(py, Balances { inner }),
        )
    }

    /// Sandbox only: moves the simulated clock forward so parcels move through their states.
    fn advance_sandbox_clock(&self, seconds: u64) -> PyResult<()> {
        self.kj.advance_sandbox_clock(seconds).py()
    }

    /// Sandbox only: the next `times` requests of `operation` (`create`, `track`, `cancel`) at
    /// `carrier`'s simulator get `fault` (`reject` with the carrier's own `carrier_code`,
    /// `error500`, `timeout`, `drop_connection`, `malformed`, `delay` of `millis`).
    #[pyo3(signature = (carrier, operation, fault="reject", *, carrier_code=None, times=1, millis=None))]
    fn sandbox_inject_fault(
        &self,
        carrier: String,
        operation: &str,
        fault: &str,
        carrier_code: Option<String>,
        times: u32,
        millis: Option<u64>,
    ) -> PyResult<()> {
        let f = self::fault(fault, carrier_code, millis)?;
        self.kj
            .sandbox_inject_fault(carrier, self::operation(operation)?, f, times)
            .py()
    }

    fn __repr__(&self) -> String {
        format!(
            "KargoJet(company={:?}, carriers={}, sandbox={})",
            self.kj.company(),
            self.kj.carriers().len(),
            self.kj.is_sandbox()
        )
    }
}
