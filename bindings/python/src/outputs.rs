//! The typed result classes: each wraps one facade record and exposes its fields as read-only
//! attributes, with `to_dict()` and `__repr__`.

use crate::convert::{Bytes, Record, ToPlain, ToPy, record_class, to_decimal};
use kargojet_ffi as ffi;
use kargojet_ffi::domain;
use kargojet_ffi::money::amount_string;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyDictMethods};

/// What a money value is read from: a facade record, or a domain amount converted when read.
#[derive(Clone)]
pub enum MoneyData {
    /// A record (`amount` already a string).
    Record(ffi::Money),
    /// A domain amount.
    Domain(domain::Money),
}

/// An exact amount: `amount` is a decimal string, `currency` is `TRY`.
#[pyclass(frozen, module = "kargojet")]
pub struct Money {
    pub(crate) data: MoneyData,
}

impl Money {
    fn record(&self) -> ffi::Money {
        match &self.data {
            MoneyData::Record(r) => r.clone(),
            MoneyData::Domain(m) => ffi::Money::from(*m),
        }
    }

    fn amount_text(&self) -> std::borrow::Cow<'_, str> {
        match &self.data {
            MoneyData::Record(r) => std::borrow::Cow::Borrowed(&r.amount),
            MoneyData::Domain(m) => std::borrow::Cow::Owned(amount_string(m.amount)),
        }
    }
}

#[pymethods]
impl Money {
    /// The amount, a decimal string (`"1250.00"`).
    #[getter]
    fn amount(&self) -> String {
        self.amount_text().into_owned()
    }

    /// The currency (`TRY`).
    #[getter]
    fn currency(&self) -> &'static str {
        "TRY"
    }

    /// The amount as `decimal.Decimal`.
    #[getter]
    fn decimal<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_decimal(py, &self.amount_text())
    }

    /// Every field as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("amount", self.amount())?;
        d.set_item("currency", "TRY")?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        format!("Money(amount='{}', currency='TRY')", self.amount_text())
    }

    fn __str__(&self) -> String {
        format!("{} TRY", self.amount_text())
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Money>()
            .is_ok_and(|o| o.get().record() == self.record())
    }
}

fn money<'py>(py: Python<'py>, m: domain::Money) -> PyResult<Bound<'py, PyAny>> {
    Ok(Bound::new(
        py,
        Money {
            data: MoneyData::Domain(m),
        },
    )?
    .into_any())
}

impl ToPy for ffi::Money {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(
            py,
            Money {
                data: MoneyData::Record(self.clone()),
            },
        )?
        .into_any())
    }
}

impl ToPlain for ffi::Money {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Money {
            data: MoneyData::Record(self.clone()),
        }
        .to_dict(py)?
        .into_any())
    }
}

impl Record for ffi::Money {}

/// What a breakdown is read from.
#[derive(Clone)]
pub enum BreakdownData {
    /// A record.
    Record(ffi::PriceBreakdown),
    /// A domain breakdown (eight kuruş amounts, converted when read).
    Domain(domain::pricing::PriceBreakdown),
}

/// What an offer costs, line by line (each line rounded to the kuruş, half up).
#[pyclass(frozen, module = "kargojet")]
pub struct PriceBreakdown {
    pub(crate) data: BreakdownData,
}

#[pymethods]
impl PriceBreakdown {
    /// The carrier's freight cost (VAT-exclusive).
    #[getter]
    fn cost<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.cost.to_py(py),
            BreakdownData::Domain(b) => money(py, b.cost),
        }
    }

    /// The platform's commission.
    #[getter]
    fn commission<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.commission.to_py(py),
            BreakdownData::Domain(b) => money(py, b.commission),
        }
    }

    /// Cash-on-delivery fee.
    #[getter]
    fn cod_fee<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.cod_fee.to_py(py),
            BreakdownData::Domain(b) => money(py, b.cod_fee),
        }
    }

    /// SMS fee.
    #[getter]
    fn sms_fee<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.sms_fee.to_py(py),
            BreakdownData::Domain(b) => money(py, b.sms_fee),
        }
    }

    /// Insurance fee.
    #[getter]
    fn insurance_fee<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.insurance_fee.to_py(py),
            BreakdownData::Domain(b) => money(py, b.insurance_fee),
        }
    }

    /// Referral or channel discount (zero or negative).
    #[getter]
    fn discount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.discount.to_py(py),
            BreakdownData::Domain(b) => money(py, b.discount),
        }
    }

    /// KDV (VAT).
    #[getter]
    fn kdv<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.kdv.to_py(py),
            BreakdownData::Domain(b) => money(py, b.kdv),
        }
    }

    /// What the seller pays.
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            BreakdownData::Record(r) => r.total.to_py(py),
            BreakdownData::Domain(b) => money(py, b.total),
        }
    }

    /// The rounding rule of every line (`kurus_half_up`).
    #[getter]
    fn rounding(&self) -> String {
        self.record().rounding
    }

    /// Every field as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.record().to_plain(py)
    }

    fn __repr__(&self) -> String {
        let r = self.record();
        format!(
            "PriceBreakdown(cost='{}', kdv='{}', total='{}', currency='TRY')",
            r.cost.amount, r.kdv.amount, r.total.amount
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PriceBreakdown>()
            .is_ok_and(|o| o.get().record() == self.record())
    }
}

impl PriceBreakdown {
    fn record(&self) -> ffi::PriceBreakdown {
        match &self.data {
            BreakdownData::Record(r) => r.clone(),
            BreakdownData::Domain(b) => ffi::PriceBreakdown::from(b),
        }
    }
}

impl ToPy for ffi::PriceBreakdown {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(
            py,
            PriceBreakdown {
                data: BreakdownData::Record(self.clone()),
            },
        )?
        .into_any())
    }
}

impl ToPlain for ffi::PriceBreakdown {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        for (k, m) in [
            ("cost", &self.cost),
            ("commission", &self.commission),
            ("cod_fee", &self.cod_fee),
            ("sms_fee", &self.sms_fee),
            ("insurance_fee", &self.insurance_fee),
            ("discount", &self.discount),
            ("kdv", &self.kdv),
            ("total", &self.total),
        ] {
            d.set_item(k, m.to_plain(py)?)?;
        }
        d.set_item("rounding", &self.rounding)?;
        Ok(d.into_any())
    }
}

/// Transit days from `min` to `max`.
#[pyclass(frozen, module = "kargojet")]
pub struct TransitDays {
    pub(crate) inner: ffi::TransitDays,
}

record_class!(TransitDays(ffi::TransitDays) { fields: [min, max], repr: [min, max] });

/// What an offer is read from: a facade record, or a domain offer converted field by field
/// when read (a quote's offers: reading one field formats only that field).
#[derive(Clone)]
pub enum OfferData {
    /// A record.
    Record(ffi::Offer),
    /// A domain offer.
    Domain(domain::pricing::Offer),
}

/// One way to ship: a carrier under an agreement, priced.
#[pyclass(frozen, module = "kargojet")]
pub struct Offer {
    pub(crate) data: OfferData,
}

impl Offer {
    /// The offer's record (the facade's conversion).
    pub(crate) fn record(&self) -> ffi::Offer {
        match &self.data {
            OfferData::Record(r) => r.clone(),
            OfferData::Domain(o) => ffi::Offer::from(o),
        }
    }
}

fn text<'py>(py: Python<'py>, s: &str) -> Bound<'py, PyAny> {
    pyo3::types::PyString::new(py, s).into_any()
}

#[pymethods]
impl Offer {
    /// Carrier id (`yurtici`, `mng_dhl_ecommerce`, …).
    #[getter]
    fn carrier<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        match &self.data {
            OfferData::Record(r) => text(py, &r.carrier),
            OfferData::Domain(o) => text(py, o.carrier.as_str()),
        }
    }

    /// The name people know.
    #[getter]
    fn carrier_name<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        match &self.data {
            OfferData::Record(r) => text(py, &r.carrier_name),
            OfferData::Domain(o) => text(py, o.carrier.display_name()),
        }
    }

    /// Agreement id.
    #[getter]
    fn agreement_id<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        match &self.data {
            OfferData::Record(r) => text(py, &r.agreement_id),
            OfferData::Domain(o) => text(py, &o.agreement_id),
        }
    }

    /// `platform` or `own`.
    #[getter]
    fn agreement_kind(&self) -> String {
        match &self.data {
            OfferData::Record(r) => r.agreement_kind.clone(),
            OfferData::Domain(o) => o.agreement.id().to_string(),
        }
    }

    /// Commission percentage of a platform agreement.
    #[getter]
    fn commission_percent(&self) -> Option<String> {
        self.record().commission_percent
    }

    /// The carrier account that would create the shipment.
    #[getter]
    fn account<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        match &self.data {
            OfferData::Record(r) => text(py, &r.account),
            OfferData::Domain(o) => text(py, o.account.as_str()),
        }
    }

    /// The tariff zone the price came from.
    #[getter]
    fn zone(&self) -> String {
        match &self.data {
            OfferData::Record(r) => r.zone.clone(),
            OfferData::Domain(o) => o.zone.id(),
        }
    }

    /// Billable desi the price is for.
    #[getter]
    fn billable_desi(&self) -> String {
        match &self.data {
            OfferData::Record(r) => r.billable_desi.clone(),
            OfferData::Domain(o) => ffi::money::decimal_string(o.billable_desi),
        }
    }

    /// The price, line by line.
    #[getter]
    fn breakdown(&self) -> PriceBreakdown {
        PriceBreakdown {
            data: match &self.data {
                OfferData::Record(r) => BreakdownData::Record(r.breakdown.clone()),
                OfferData::Domain(o) => BreakdownData::Domain(o.breakdown),
            },
        }
    }

    /// The total the seller pays (`breakdown.total`).
    #[getter]
    fn total<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match &self.data {
            OfferData::Record(r) => r.breakdown.total.to_py(py),
            OfferData::Domain(o) => money(py, o.breakdown.total),
        }
    }

    /// Transit days, if known.
    #[getter]
    fn transit_days<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.record().transit_days.to_py(py)
    }

    /// The tariff is illustrative (not a real price).
    #[getter]
    fn illustrative(&self) -> bool {
        match &self.data {
            OfferData::Record(r) => r.illustrative,
            OfferData::Domain(o) => o.illustrative,
        }
    }

    /// The price came from the carrier's live rate API.
    #[getter]
    fn live(&self) -> bool {
        match &self.data {
            OfferData::Record(r) => r.live,
            OfferData::Domain(o) => o.live,
        }
    }

    /// Every field as plain Python values (nested records as dicts).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.record().to_plain(py)
    }

    fn __repr__(&self) -> String {
        let r = self.record();
        format!(
            "Offer(carrier='{}', agreement_id='{}', billable_desi='{}', total='{} TRY')",
            r.carrier, r.agreement_id, r.billable_desi, r.breakdown.total.amount
        )
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<Offer>()
            .is_ok_and(|o| o.get().record() == self.record())
    }
}

impl ToPy for ffi::Offer {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(
            py,
            Offer {
                data: OfferData::Record(self.clone()),
            },
        )?
        .into_any())
    }
}

impl ToPlain for ffi::Offer {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let d = PyDict::new(py);
        d.set_item("carrier", &self.carrier)?;
        d.set_item("carrier_name", &self.carrier_name)?;
        d.set_item("agreement_id", &self.agreement_id)?;
        d.set_item("agreement_kind", &self.agreement_kind)?;
        d.set_item("commission_percent", &self.commission_percent)?;
        d.set_item("account", &self.account)?;
        d.set_item("zone", &self.zone)?;
        d.set_item("billable_desi", &self.billable_desi)?;
        d.set_item("breakdown", self.breakdown.to_plain(py)?)?;
        d.set_item("transit_days", self.transit_days.to_plain(py)?)?;
        d.set_item("illustrative", self.illustrative)?;
        d.set_item("live", self.live)?;
        Ok(d.into_any())
    }
}

impl Record for ffi::Offer {}

/// A carrier or agreement that gave no offer, and why.
#[pyclass(frozen, module = "kargojet")]
pub struct Exclusion {
    pub(crate) inner: ffi::Exclusion,
}

record_class!(Exclusion(ffi::Exclusion) {
    fields: [carrier, agreement_id, code, detail],
    repr: [carrier, code],
});

/// A carrier asked for a live rate that failed.
#[pyclass(frozen, module = "kargojet")]
pub struct CarrierFailure {
    pub(crate) inner: ffi::CarrierFailure,
}

record_class!(CarrierFailure(ffi::CarrierFailure) {
    fields: [carrier, code, detail],
    repr: [carrier, code],
});

/// What a carrier measured at acceptance.
#[pyclass(frozen, module = "kargojet")]
pub struct Measurement {
    pub(crate) inner: ffi::Measurement,
}

record_class!(Measurement(ffi::Measurement) { fields: [desi, kg, amount], repr: [desi, kg] });

/// One event of a shipment's history.
#[pyclass(frozen, module = "kargojet")]
pub struct TrackingEvent {
    pub(crate) inner: ffi::TrackingEvent,
}

record_class!(TrackingEvent(ffi::TrackingEvent) {
    fields: [time, location, carrier_code, carrier_text, status, measurement],
    repr: [time, status, carrier_code],
});

/// A shipment KargoJet created.
#[pyclass(frozen, module = "kargojet")]
pub struct Shipment {
    pub(crate) inner: ffi::Shipment,
}

record_class!(Shipment(ffi::Shipment) {
    fields: [id, company, carrier, carrier_name, account, merchant_key, carrier_tracking_number,
             tracking_number, carrier_refs, status, events, offer, created_at, idempotency_key,
             return_of, recipient_summary, cod_amount],
    repr: [id, carrier, status, tracking_number],
} {
    /// The status in Turkish (`Teslim edildi`).
    #[getter]
    fn status_tr(&self) -> &'static str {
        self.inner.status.name_tr()
    }

    /// Whether no further movement is expected (delivered, returned, cancelled).
    #[getter]
    fn is_final(&self) -> bool {
        self.inner.status.is_final()
    }
});

/// A label file.
#[pyclass(frozen, module = "kargojet")]
pub struct Label {
    pub(crate) inner: ffi::Label,
}

#[pymethods]
impl Label {
    /// `pdf`, `zpl`, …
    #[getter]
    fn format<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.format.to_py(py)
    }

    /// The MIME type.
    #[getter]
    fn mime(&self) -> &str {
        &self.inner.mime
    }

    /// The file's bytes.
    #[getter]
    fn data<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        Bytes(&self.inner.bytes).to_py(py)
    }

    /// Writes the file; returns the number of bytes written.
    fn save(&self, path: std::path::PathBuf) -> PyResult<usize> {
        std::fs::write(&path, &self.inner.bytes)?;
        Ok(self.inner.bytes.len())
    }

    /// Every field as plain Python values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("format", self.format(py)?)?;
        d.set_item("mime", &self.inner.mime)?;
        d.set_item("data", self.data(py))?;
        Ok(d)
    }

    fn __len__(&self) -> usize {
        self.inner.bytes.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Label(format='{}', mime='{}', {} bytes)",
            format!("{:?}", self.inner.format).to_lowercase(),
            self.inner.mime,
            self.inner.bytes.len()
        )
    }
}

impl ToPy for ffi::Label {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(
            py,
            Label {
                inner: self.clone(),
            },
        )?
        .into_any())
    }
}

impl ToPlain for ffi::Label {
    fn to_plain<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Label {
            inner: self.clone(),
        }
        .to_dict(py)?
        .into_any())
    }
}

impl Record for ffi::Label {}

/// A company's wallet balances.
#[pyclass(frozen, module = "kargojet")]
pub struct Balances {
    pub(crate) inner: ffi::Balances,
}

record_class!(Balances(ffi::Balances) {
    fields: [available, blocked, cod_receivable, paid_out, credit_limit],
    repr: [available, blocked],
});

/// A parcel's desi and billable weight.
#[pyclass(frozen, module = "kargojet")]
pub struct DesiInfo {
    pub(crate) inner: ffi::DesiInfo,
}

record_class!(DesiInfo(ffi::DesiInfo) {
    fields: [desi, weight_kg, billable],
    repr: [desi, weight_kg, billable],
});

/// A validated address with official names.
#[pyclass(frozen, module = "kargojet")]
pub struct Address {
    pub(crate) inner: ffi::Address,
}

record_class!(Address(ffi::Address) {
    fields: [plate, province, district, line, postal_code],
    repr: [plate, province, district],
});

/// A province of Türkiye.
#[pyclass(frozen, module = "kargojet")]
pub struct Province {
    pub(crate) inner: ffi::Province,
}

record_class!(Province(ffi::Province) { fields: [plate, name, region], repr: [plate, name] });

/// One code of the error catalogue.
#[pyclass(frozen, module = "kargojet")]
pub struct ErrorCodeInfo {
    pub(crate) inner: ffi::ErrorCodeInfo,
}

record_class!(ErrorCodeInfo(ffi::ErrorCodeInfo) {
    fields: [code, kind, message_tr, message_en],
    repr: [code, kind],
});

/// One problem of one row of a bulk file.
#[pyclass(frozen, module = "kargojet")]
pub struct BulkRowError {
    pub(crate) inner: ffi::BulkRowError,
}

record_class!(BulkRowError(ffi::BulkRowError) {
    fields: [row, field, column, code, message_tr, message_en, raw],
    repr: [row, code, field],
});

/// What a bulk file holds.
#[pyclass(frozen, module = "kargojet")]
pub struct BulkImport {
    pub(crate) inner: ffi::BulkImport,
}

record_class!(BulkImport(ffi::BulkImport) {
    fields: [file_hash, format, headers, ignored_columns, total_rows, accepted_rows, errors],
    repr: [total_rows, format],
} {
    /// The rejected rows as CSV with the errors in extra columns (`None` when none failed).
    #[getter]
    fn error_report_csv<'py>(&self, py: Python<'py>) -> Option<Bound<'py, PyAny>> {
        self.inner
            .error_report_csv
            .as_deref()
            .map(|b| Bytes(b).to_py(py))
    }
});

/// One row's chosen offer.
#[pyclass(frozen, module = "kargojet")]
pub struct BulkPlannedRow {
    pub(crate) inner: ffi::BulkPlannedRow,
}

record_class!(BulkPlannedRow(ffi::BulkPlannedRow) {
    fields: [row, idempotency_key, offer],
    repr: [row, offer],
});

/// What one carrier gets in a plan.
#[pyclass(frozen, module = "kargojet")]
pub struct BulkCarrierTotal {
    pub(crate) inner: ffi::BulkCarrierTotal,
}

record_class!(BulkCarrierTotal(ffi::BulkCarrierTotal) {
    fields: [carrier, shipments, parcels, total],
    repr: [carrier, shipments, total],
});

/// Every accepted row of a bulk file priced.
#[pyclass(frozen, module = "kargojet")]
pub struct BulkPlan {
    pub(crate) inner: ffi::BulkPlan,
}

record_class!(BulkPlan(ffi::BulkPlan) {
    fields: [imported, rows, unplanned, carriers, total, illustrative],
    repr: [total, illustrative],
});

/// One bought row.
#[pyclass(frozen, module = "kargojet")]
pub struct BulkShippedRow {
    pub(crate) inner: ffi::BulkShippedRow,
}

record_class!(BulkShippedRow(ffi::BulkShippedRow) {
    fields: [row, shipment_id, carrier, tracking_number, total],
    repr: [row, shipment_id, carrier],
});

/// The result of buying a bulk file.
#[pyclass(frozen, module = "kargojet")]
pub struct BulkPurchase {
    pub(crate) inner: ffi::BulkPurchase,
}

record_class!(BulkPurchase(ffi::BulkPurchase) {
    fields: [plan, shipped, failed, total, labels, label_errors],
    repr: [total],
});

/// One number behind a finding.
#[pyclass(frozen, module = "kargojet")]
pub struct InsightEvidence {
    pub(crate) inner: ffi::InsightEvidence,
}

record_class!(InsightEvidence(ffi::InsightEvidence) {
    fields: [name, value, unit],
    repr: [name, value, unit],
});

/// A finding with the money at stake.
#[pyclass(frozen, module = "kargojet")]
pub struct InsightFinding {
    pub(crate) inner: ffi::InsightFinding,
}

record_class!(InsightFinding(ffi::InsightFinding) {
    fields: [kind, carrier, compared_to, region, money_at_stake, headline, detail, action, evidence],
    repr: [kind, money_at_stake],
});

/// What the company's shipments say.
#[pyclass(frozen, module = "kargojet")]
pub struct Insights {
    pub(crate) inner: ffi::Insights,
}

record_class!(Insights(ffi::Insights) {
    fields: [period_from, period_to, shipments, summary, answer, findings, snapshot_json],
    repr: [shipments, period_from, period_to],
});
