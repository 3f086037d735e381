//! One row → a validated [`ShipmentRequest`], or the row's errors: every cell that can be
//! checked on its own is checked (so one pass shows a seller all of a row's problems), then
//! the core's own validation runs on the assembled request.
//!
//! Rules, beyond the core's: `Kg`, `Desi` and the dimensions are per parcel and `Adet` parcels
//! alike are shipped (1–99, default 1); the three dimensions come together or not at all;
//! without dimensions the parcel is recorded as the box 60 × 50 × `Desi` cm, which has exactly
//! `Desi` desi at the usual divisor of 3000 (so at most 500 desi per parcel); with dimensions a
//! `Desi` that differs from theirs by more than one desi is an error; an empty or zero
//! `Tahsilat Tutarı` means no cash on delivery, and one written `1.250` or `1,250` (a thousands
//! or a decimal separator?) is an error rather than a guess.

use super::columns::{Columns, Field};
use super::number::{ambiguous_amount, number, whole};
use super::table::{Cell, RawRow};
use crate::address::{Party, Phone};
use crate::error::{Code, Error};
use crate::geo;
use crate::insights::format::money_en;
use crate::money::Money;
use crate::parcel::{DEFAULT_DESI_DIVISOR, Parcel};
use crate::shipment::{AddressDraft, CashOnDelivery, CodPayment, PartyDraft, ShipmentRequest};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Why a row was not accepted: one problem in one cell (or in the row as a whole).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct RowError {
    /// The row number a spreadsheet program shows.
    pub row: usize,
    /// The field concerned, if the problem is in one.
    pub field: Option<Field>,
    /// That field's column header as written in the file.
    pub column: Option<String>,
    /// Stable code (`bulk.*`, or the core's `request.*` for a value the core rejects).
    pub code: Code,
    /// Turkish message, starting with the column.
    pub message_tr: String,
    /// English message, starting with the column.
    pub message_en: String,
    /// The cell exactly as read (empty for a missing value).
    pub raw: String,
}

impl RowError {
    /// A row error in `field` (`column` its header), with Turkish and English details.
    pub(crate) fn new(
        row: usize,
        field: Option<Field>,
        column: Option<&str>,
        code: Code,
        raw: &str,
        detail_tr: &str,
        detail_en: &str,
    ) -> RowError {
        let lead = column.map(|c| format!("{c}: ")).unwrap_or_default();
        let join = |base: &str, detail: &str| {
            if detail.is_empty() {
                format!("{lead}{base}")
            } else {
                format!("{lead}{base} — {detail}")
            }
        };
        RowError {
            row,
            field,
            column: column.map(str::to_string),
            code,
            message_tr: join(code.message_tr(), detail_tr),
            message_en: join(code.message_en(), detail_en),
            raw: raw.to_string(),
        }
    }

    /// A row error from a core error about `field`. The Turkish message quotes the cell; the
    /// English one carries the core's detail.
    pub(crate) fn from_core(
        row: usize,
        field: Option<Field>,
        column: Option<&str>,
        raw: &str,
        error: &Error,
    ) -> RowError {
        let detail_en = match error {
            Error::InvalidRequest { detail, .. } => detail.clone(),
            other => other.message_en(),
        };
        let detail_tr = if raw.is_empty() {
            String::new()
        } else {
            format!("“{}”", raw.trim())
        };
        RowError::new(
            row,
            field,
            column,
            error.code(),
            raw,
            &detail_tr,
            &detail_en,
        )
    }
}

/// What one row needs besides its cells.
pub(crate) struct RowContext<'a> {
    pub(crate) columns: &'a Columns,
    pub(crate) sender: &'a Party,
    pub(crate) sms: bool,
}

/// Validates one row. `orders` remembers the order numbers seen on earlier rows (→ the row
/// they were on).
pub(crate) fn validate_row(
    raw: &RawRow,
    ctx: &RowContext<'_>,
    orders: &mut HashMap<String, usize>,
) -> Result<ShipmentRequest, Vec<RowError>> {
    let mut v = RowCheck {
        raw,
        columns: ctx.columns,
        errors: Vec::new(),
    };
    let name = v.required(Field::RecipientName);
    let phone = v.required(Field::Phone);
    let province = v.required(Field::Province);
    let district = v.required(Field::District);
    let line = v.required(Field::Address);

    if let Some(p) = &phone {
        if let Err(e) = Phone::parse(p, "recipient.phone") {
            v.core(Field::Phone, &e);
        }
    }
    let plate = province.as_deref().and_then(|p| {
        match geo::find_province(p, "recipient.address.province") {
            Ok(found) => Some(found.plate),
            Err(e) => {
                v.core(Field::Province, &e);
                None
            }
        }
    });
    if let (Some(plate), Some(d)) = (plate, &district) {
        if let Err(e) = geo::find_district(plate, d, "recipient.address.district") {
            v.core(Field::District, &e);
        }
    }
    let parcels = v.parcels();
    let cod = v.cod();
    let order_id = v.text(Field::OrderId);
    if let Some(id) = &order_id {
        match orders.get(id) {
            Some(first) => {
                let detail_tr = format!("“{id}” {first}. satırda da var");
                let detail_en = format!("'{id}' is also on row {first}");
                v.push(
                    Field::OrderId,
                    Code::BulkDuplicateOrder,
                    &detail_tr,
                    &detail_en,
                );
            }
            None => {
                orders.insert(id.clone(), raw.number);
            }
        }
    }
    let (Some(name), Some(phone), Some(province), Some(district), Some(line), Some(parcels)) =
        (name, phone, province, district, line, parcels)
    else {
        // Each missing piece pushed its error.
        return Err(v.errors);
    };
    if !v.errors.is_empty() {
        return Err(v.errors);
    }
    let draft = PartyDraft {
        name,
        phone,
        email: v.text(Field::Email),
        address: AddressDraft {
            province,
            district,
            line,
            postal_code: v.postal_code(),
        },
    };
    let recipient = match draft.validate("recipient") {
        Ok(r) => r,
        Err(e) => {
            v.core_at_path(&e, parcels.from_desi);
            return Err(v.errors);
        }
    };
    let request = ShipmentRequest {
        sender: ctx.sender.clone(),
        recipient,
        parcels: parcels.list,
        cod,
        order_id,
        description: v.text(Field::Note),
        sms: ctx.sms,
        insured_value: None,
    };
    match request.validate() {
        Ok(()) => Ok(request),
        Err(e) => {
            v.core_at_path(&e, parcels.from_desi);
            Err(v.errors)
        }
    }
}

/// The parcels of a row, and whether their dimensions stand for a `Desi` value.
struct Parcels {
    list: Vec<Parcel>,
    from_desi: bool,
}

/// Most desi per parcel when only `Desi` is given (the box is 60 × 50 × desi cm, and no side
/// may exceed 500 cm).
const MAX_DESI_WITHOUT_DIMENSIONS: i64 = 500;

/// The cells of one row being checked, with the errors found so far.
struct RowCheck<'a> {
    raw: &'a RawRow,
    columns: &'a Columns,
    errors: Vec<RowError>,
}

impl<'a> RowCheck<'a> {
    fn cell(&self, field: Field) -> &'a Cell {
        static EMPTY: Cell = Cell::Empty;
        self.columns
            .get(field)
            .and_then(|i| self.raw.cells.get(i))
            .unwrap_or(&EMPTY)
    }

    /// The trimmed text of a cell (a number in plain notation), `None` when empty.
    fn text(&self, field: Field) -> Option<String> {
        let t = self.cell(field).as_text();
        let t = t.trim();
        (!t.is_empty()).then(|| t.to_string())
    }

    fn push(&mut self, field: Field, code: Code, detail_tr: &str, detail_en: &str) {
        let raw = self.cell(field).as_text();
        self.errors.push(RowError::new(
            self.raw.number,
            Some(field),
            self.columns.header(field),
            code,
            &raw,
            detail_tr,
            detail_en,
        ));
    }

    fn missing(&mut self, field: Field) {
        self.push(
            field,
            Code::BulkMissingValue,
            &format!("{} boş olamaz", field.header_tr()),
            &format!("{} must not be empty", field.header_en()),
        );
    }

    fn core(&mut self, field: Field, e: &Error) {
        let raw = self.cell(field).as_text();
        self.errors.push(RowError::from_core(
            self.raw.number,
            Some(field),
            self.columns.header(field),
            &raw,
            e,
        ));
    }

    /// A core error placed by its field path (`recipient.phone`, `parcels[0].weight_kg`, …).
    fn core_at_path(&mut self, e: &Error, from_desi: bool) {
        match e.field().and_then(|p| field_of_path(p, from_desi)) {
            Some(field) => self.core(field, e),
            None => self
                .errors
                .push(RowError::from_core(self.raw.number, None, None, "", e)),
        }
    }

    /// A required cell as trimmed text, or a `bulk.missing_value` error.
    fn required(&mut self, field: Field) -> Option<String> {
        let t = self.text(field);
        if t.is_none() {
            self.missing(field);
        }
        t
    }

    /// A number cell: `None` when empty (an error if `required`) or not a number (an error).
    fn decimal(&mut self, field: Field, required: bool) -> Option<Decimal> {
        let cell = self.cell(field);
        if cell.is_empty() {
            if required {
                self.missing(field);
            }
            return None;
        }
        let n = number(cell);
        if n.is_none() {
            self.push(
                field,
                Code::BulkInvalidNumber,
                &format!(
                    "“{}” bir sayı değil (ör. 1.250,50 veya 1250.50)",
                    cell.as_text().trim()
                ),
                &format!(
                    "'{}' is not a number (e.g. 1.250,50 or 1250.50)",
                    cell.as_text().trim()
                ),
            );
        }
        n
    }

    /// `Adet`: 1–99, 1 when empty or absent.
    fn count(&mut self) -> Option<usize> {
        let cell = self.cell(Field::Count);
        if cell.is_empty() {
            return Some(1);
        }
        let Some(n) = whole(cell) else {
            self.push(
                Field::Count,
                Code::BulkInvalidNumber,
                "koli adedi tam sayı olmalı",
                "the number of parcels must be a whole number",
            );
            return None;
        };
        match usize::try_from(n) {
            Ok(n @ 1..=99) => Some(n),
            _ => {
                self.push(
                    Field::Count,
                    Code::BulkInvalidValue,
                    "koli adedi 1 ile 99 arasında olmalı",
                    "the number of parcels must be 1–99",
                );
                None
            }
        }
    }

    /// The row's parcels (see the module docs for the rules).
    fn parcels(&mut self) -> Option<Parcels> {
        let errors_before = self.errors.len();
        let kg = self.decimal(Field::Kg, true);
        let count = self.count();
        let desi = self.decimal(Field::Desi, false);
        let dim_fields = [Field::Length, Field::Width, Field::Height];
        let given = dim_fields.map(|f| !self.cell(f).is_empty());
        let dims = dim_fields.map(|f| self.decimal(f, false));
        let from_desi = !given.iter().any(|g| *g);
        let (l, w, h) = if given.iter().all(|g| *g) {
            let [Some(l), Some(w), Some(h)] = dims else {
                return None; // a dimension is not a number: its error is pushed
            };
            if let Some(d) = desi {
                let computed = l * w * h / Decimal::from(DEFAULT_DESI_DIVISOR);
                if (d - computed).abs() > Decimal::ONE {
                    let computed = computed.round_dp(2).normalize();
                    self.push(
                        Field::Desi,
                        Code::BulkDesiMismatch,
                        &format!("Desi {d}, ölçüler {l} × {w} × {h} cm ise {computed} desi"),
                        &format!("desi {d}, but {l} × {w} × {h} cm is {computed} desi"),
                    );
                }
            }
            (l, w, h)
        } else if !from_desi {
            for (f, g) in dim_fields.into_iter().zip(given) {
                if !g {
                    self.push(
                        f,
                        Code::BulkMissingValue,
                        "En, Boy ve Yükseklik birlikte verilmeli",
                        "width, length and height go together",
                    );
                }
            }
            return None;
        } else {
            let Some(d) = desi else {
                if self.columns.get(Field::Desi).is_some() {
                    if self.cell(Field::Desi).is_empty() {
                        self.push(
                            Field::Desi,
                            Code::BulkMissingValue,
                            "Desi veya En, Boy ve Yükseklik verilmeli",
                            "give the desi, or width, length and height",
                        );
                    }
                } else {
                    for f in dim_fields {
                        self.missing(f);
                    }
                }
                return None;
            };
            if d <= Decimal::ZERO || d > Decimal::from(MAX_DESI_WITHOUT_DIMENSIONS) {
                self.push(
                    Field::Desi,
                    Code::RequestInvalidDimensions,
                    &format!(
                        "ölçüsüz koli için desi 0'dan büyük ve en çok {MAX_DESI_WITHOUT_DIMENSIONS} olmalı"
                    ),
                    &format!(
                        "without dimensions a parcel's desi must be > 0 and ≤ {MAX_DESI_WITHOUT_DIMENSIONS}"
                    ),
                );
                return None;
            }
            (Decimal::from(60), Decimal::from(50), d)
        };
        let (Some(kg), Some(count)) = (kg, count) else {
            return None;
        };
        if self.errors.len() > errors_before {
            return None;
        }
        Some(Parcels {
            list: vec![Parcel::new(l, w, h, kg); count],
            from_desi,
        })
    }

    /// Cash on delivery: none when the amount is empty or zero; an ambiguous amount
    /// (`1.250`: see [`ambiguous_amount`]) is an error.
    fn cod(&mut self) -> Option<CashOnDelivery> {
        if let Some((grouped, decimal)) = ambiguous_amount(self.cell(Field::CodAmount)) {
            let t = self.cell(Field::CodAmount).as_text().trim().to_string();
            let (g, d) = (Money::try_lira(grouped), Money::try_lira(decimal));
            self.push(
                Field::CodAmount,
                Code::BulkInvalidNumber,
                &format!(
                    "“{t}” belirsiz ({} mi, {} mi?): tutarı kuruşuyla (ör. 1.250,00) ya da binlik ayırıcısız (ör. 1250) yazın",
                    g.to_turkish(),
                    d.round_kurus().to_turkish()
                ),
                &format!(
                    "'{t}' is ambiguous ({} or {}?): write the amount with its kuruş (e.g. 1.250,00) or without a thousands separator (e.g. 1250)",
                    money_en(g),
                    money_en(d)
                ),
            );
            return None;
        }
        let amount = self.decimal(Field::CodAmount, false)?;
        if amount.is_zero() {
            return None;
        }
        let payment = match self.text(Field::CodPayment) {
            None => CodPayment::Cash,
            Some(t) => match geo::fold(&t).as_str() {
                "nakit" | "pesin" | "cash" => CodPayment::Cash,
                "kart" | "kredi karti" | "kredi kart" | "kk" | "pos" | "card" | "credit card" => {
                    CodPayment::Card
                }
                _ => {
                    self.push(
                        Field::CodPayment,
                        Code::BulkInvalidValue,
                        &format!("“{t}” yerine “nakit” veya “kart” yazın"),
                        &format!("'{t}' must be 'nakit' (cash) or 'kart' (card)"),
                    );
                    CodPayment::Cash
                }
            },
        };
        Some(CashOnDelivery {
            amount: Money::try_lira(amount),
            payment,
        })
    }

    /// The postal code; a numeric cell gets back the leading zero Excel dropped (`6690` →
    /// `06690`).
    fn postal_code(&self) -> Option<String> {
        match self.cell(Field::PostalCode) {
            Cell::Number(d) if d.fract().is_zero() => match i64::try_from(*d) {
                Ok(n @ 0..=99_999) => Some(format!("{n:05}")),
                _ => self.text(Field::PostalCode),
            },
            _ => self.text(Field::PostalCode),
        }
    }
}

/// The row field a core field path is about.
fn field_of_path(path: &str, from_desi: bool) -> Option<Field> {
    let dim = |f: Field| Some(if from_desi { Field::Desi } else { f });
    match path {
        "recipient.name" => Some(Field::RecipientName),
        "recipient.phone" => Some(Field::Phone),
        "recipient.email" => Some(Field::Email),
        "recipient.address.province" => Some(Field::Province),
        "recipient.address.district" => Some(Field::District),
        "recipient.address.line" => Some(Field::Address),
        "recipient.address.postal_code" => Some(Field::PostalCode),
        "parcels" => Some(Field::Count),
        "cod.amount" => Some(Field::CodAmount),
        p if p.starts_with("parcels[") => match p.rsplit_once('.').map(|(_, f)| f) {
            Some("length_cm") => dim(Field::Length),
            Some("width_cm") => dim(Field::Width),
            Some("height_cm") => dim(Field::Height),
            Some("weight_kg") => Some(Field::Kg),
            _ => Some(Field::Count),
        },
        _ => None,
    }
}
