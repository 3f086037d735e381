//! Which column holds which field: header matching in Turkish or English (case- and
//! dotted/dotless-i-insensitive, through [`crate::geo::fold`]) and the explicit
//! [`ColumnMapping`] a caller saves and reuses.

use crate::error::{Code, Error, Result};
use crate::geo::fold;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A field of a shipment row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Recipient's name (`Alıcı Adı`), required.
    RecipientName,
    /// Recipient's phone (`Telefon`), required.
    Phone,
    /// Recipient's e-mail (`E-posta`).
    Email,
    /// Province (`İl`), required.
    Province,
    /// District (`İlçe`), required.
    District,
    /// Street address (`Adres`), required.
    Address,
    /// Postal code (`Posta Kodu`).
    PostalCode,
    /// Desi per parcel (`Desi`): required unless the three dimensions are given.
    Desi,
    /// Weight per parcel in kg (`Kg`), required.
    Kg,
    /// Width per parcel in cm (`En`).
    #[serde(rename = "width_cm")]
    Width,
    /// Length per parcel in cm (`Boy`).
    #[serde(rename = "length_cm")]
    Length,
    /// Height per parcel in cm (`Yükseklik`).
    #[serde(rename = "height_cm")]
    Height,
    /// Number of identical parcels (`Adet`, default 1).
    Count,
    /// Cash-on-delivery amount in TRY (`Tahsilat Tutarı`; empty or 0: none).
    CodAmount,
    /// Cash or card at the door (`Tahsilat Tipi`: `nakit`/`kart`, default cash).
    CodPayment,
    /// The seller's order number (`Sipariş No`), unique within a file.
    OrderId,
    /// A note or the contents (`Not`), printed as the description.
    Note,
}

impl Field {
    /// Every field, in the order of the canonical template.
    pub const ALL: [Field; 17] = [
        Field::RecipientName,
        Field::Phone,
        Field::Email,
        Field::Province,
        Field::District,
        Field::Address,
        Field::PostalCode,
        Field::Desi,
        Field::Kg,
        Field::Width,
        Field::Length,
        Field::Height,
        Field::Count,
        Field::CodAmount,
        Field::CodPayment,
        Field::OrderId,
        Field::Note,
    ];

    /// Position in [`Field::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stable snake-case id (`recipient_name`), also accepted as a header.
    pub fn id(self) -> &'static str {
        match self {
            Field::RecipientName => "recipient_name",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Province => "province",
            Field::District => "district",
            Field::Address => "address",
            Field::PostalCode => "postal_code",
            Field::Desi => "desi",
            Field::Kg => "kg",
            Field::Width => "width_cm",
            Field::Length => "length_cm",
            Field::Height => "height_cm",
            Field::Count => "count",
            Field::CodAmount => "cod_amount",
            Field::CodPayment => "cod_payment",
            Field::OrderId => "order_id",
            Field::Note => "note",
        }
    }

    /// The Turkish header of the canonical template (`Alıcı Adı`).
    pub fn header_tr(self) -> &'static str {
        match self {
            Field::RecipientName => "Alıcı Adı",
            Field::Phone => "Telefon",
            Field::Email => "E-posta",
            Field::Province => "İl",
            Field::District => "İlçe",
            Field::Address => "Adres",
            Field::PostalCode => "Posta Kodu",
            Field::Desi => "Desi",
            Field::Kg => "Kg",
            Field::Width => "En",
            Field::Length => "Boy",
            Field::Height => "Yükseklik",
            Field::Count => "Adet",
            Field::CodAmount => "Tahsilat Tutarı",
            Field::CodPayment => "Tahsilat Tipi",
            Field::OrderId => "Sipariş No",
            Field::Note => "Not",
        }
    }

    /// The English header (`Recipient name`).
    pub fn header_en(self) -> &'static str {
        match self {
            Field::RecipientName => "Recipient name",
            Field::Phone => "Phone",
            Field::Email => "E-mail",
            Field::Province => "Province",
            Field::District => "District",
            Field::Address => "Address",
            Field::PostalCode => "Postal code",
            Field::Desi => "Desi",
            Field::Kg => "Weight (kg)",
            Field::Width => "Width (cm)",
            Field::Length => "Length (cm)",
            Field::Height => "Height (cm)",
            Field::Count => "Parcels",
            Field::CodAmount => "COD amount",
            Field::CodPayment => "COD payment",
            Field::OrderId => "Order no",
            Field::Note => "Note",
        }
    }

    /// True for the fields every file must have a column for. (`Desi` is required unless the
    /// file has `En`, `Boy` and `Yükseklik`.)
    pub fn is_required(self) -> bool {
        matches!(
            self,
            Field::RecipientName
                | Field::Phone
                | Field::Province
                | Field::District
                | Field::Address
                | Field::Kg
        )
    }

    /// Folded header spellings that name this field (see [`crate::geo::fold`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Field::RecipientName => &[
                "alici adi",
                "alici adi soyadi",
                "alici ad soyad",
                "alici",
                "ad soyad",
                "adi soyadi",
                "isim",
                "isim soyisim",
                "musteri",
                "musteri adi",
                "musteri adi soyadi",
                "recipient name",
                "recipient",
                "name",
                "full name",
                "customer",
                "customer name",
            ],
            Field::Phone => &[
                "telefon",
                "telefon no",
                "telefon numarasi",
                "tel",
                "gsm",
                "cep",
                "cep telefonu",
                "cep tel",
                "phone",
                "phone number",
                "mobile",
            ],
            Field::Email => &["e posta", "eposta", "e mail", "email", "mail"],
            Field::Province => &["il", "sehir", "il sehir", "province", "city"],
            Field::District => &["ilce", "district", "county", "town"],
            Field::Address => &[
                "adres",
                "acik adres",
                "adres satiri",
                "address",
                "address line",
                "street",
            ],
            Field::PostalCode => &[
                "posta kodu",
                "postakodu",
                "postal code",
                "zip",
                "zip code",
                "postcode",
            ],
            Field::Desi => &["desi"],
            Field::Kg => &["kg", "agirlik", "kilo", "weight"],
            Field::Width => &["en", "genislik", "width", "width cm"],
            Field::Length => &["boy", "uzunluk", "length", "length cm"],
            Field::Height => &["yukseklik", "height", "height cm"],
            Field::Count => &[
                "adet",
                "koli adedi",
                "koli adet",
                "koli sayisi",
                "paket adedi",
                "paket sayisi",
                "parca sayisi",
                "parcels",
                "parcel count",
                "pieces",
                "quantity",
                "count",
            ],
            Field::CodAmount => &[
                "tahsilat tutari",
                "tahsilat",
                "kapida odeme",
                "kapida odeme tutari",
                "kapida tahsilat",
                "cod",
                "cod amount",
                "cash on delivery",
                "collection amount",
            ],
            Field::CodPayment => &[
                "tahsilat tipi",
                "tahsilat turu",
                "odeme tipi",
                "odeme turu",
                "kapida odeme tipi",
                "cod payment",
                "payment type",
            ],
            Field::OrderId => &[
                "siparis no",
                "siparis numarasi",
                "siparis",
                "siparis kodu",
                "order no",
                "order number",
                "order id",
                "order",
            ],
            Field::Note => &[
                "not",
                "notlar",
                "aciklama",
                "icerik",
                "urun",
                "note",
                "notes",
                "description",
                "contents",
            ],
        }
    }

    /// The field a header names, if any: `Alıcı Adı`, `ALICI ADI`, `alici_adi` and
    /// `recipient_name` all name [`Field::RecipientName`]; a unit suffix (`Ağırlık (kg)`,
    /// `En (cm)`) and a leading `Alıcı`/`Recipient` (`Alıcı Telefon`) are allowed.
    pub fn from_header(header: &str) -> Option<Field> {
        let folded = fold(header);
        if folded.is_empty() {
            return None;
        }
        let by_alias = |key: &str| {
            Field::ALL.into_iter().find(|f| {
                f.aliases().contains(&key) || fold(f.id()) == key || fold(f.header_tr()) == key
            })
        };
        let without_unit = strip_suffix_word(&folded, &["cm", "kg", "tl", "try"]);
        let without_prefix = |s: &str| {
            ["alici ", "recipient "]
                .iter()
                .find_map(|p| s.strip_prefix(p))
                .map(str::to_string)
        };
        let mut candidates = vec![folded.clone()];
        if let Some(w) = &without_unit {
            candidates.push(w.clone());
        }
        for c in candidates.clone() {
            if let Some(p) = without_prefix(&c) {
                candidates.push(p);
            }
        }
        candidates.iter().find_map(|c| by_alias(c))
    }
}

/// `s` without its last word when that word is one of `words` (and something is left).
fn strip_suffix_word(s: &str, words: &[&str]) -> Option<String> {
    let (head, last) = s.rsplit_once(' ')?;
    words.contains(&last).then(|| head.to_string())
}

/// Where a field is in a file: a header text (matched like headers are, case- and
/// dotted/dotless-i-insensitive) or a 1-based column number. Serialized as a string or a
/// number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ColumnRef {
    /// 1-based column number (`1` is column A).
    Index(usize),
    /// The header text.
    Header(String),
}

/// A saved column mapping: which column holds which field. Fields it does not name are matched
/// by their header when `auto_detect` is on (the default).
///
/// ```
/// use kargojet_core::bulk::{ColumnMapping, ColumnRef, Field};
/// let json = r#"{"columns": {"recipient_name": "Müşteri Ünvanı", "phone": 4}}"#;
/// let m: ColumnMapping = serde_json::from_str(json).unwrap_or_default();
/// assert_eq!(m.columns.get(&Field::Phone), Some(&ColumnRef::Index(4)));
/// assert!(m.auto_detect);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// Field → column.
    #[serde(default)]
    pub columns: BTreeMap<Field, ColumnRef>,
    /// Match the fields not named in `columns` by their header.
    #[serde(default = "yes")]
    pub auto_detect: bool,
}

fn yes() -> bool {
    true
}

impl Default for ColumnMapping {
    fn default() -> Self {
        ColumnMapping {
            columns: BTreeMap::new(),
            auto_detect: true,
        }
    }
}

impl ColumnMapping {
    /// A mapping that names `field`'s column too.
    pub fn with(mut self, field: Field, column: ColumnRef) -> Self {
        self.columns.insert(field, column);
        self
    }
}

/// The columns resolved for one file: the 0-based column index of each field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Columns {
    index: [Option<usize>; Field::ALL.len()],
    headers: Vec<String>,
}

impl Columns {
    /// Resolves `headers` with an optional saved mapping. File-level problems (a mapping that
    /// does not fit, two columns for one field, a required column missing) are errors.
    pub(crate) fn resolve(headers: &[String], mapping: Option<&ColumnMapping>) -> Result<Columns> {
        let mut index = [None; Field::ALL.len()];
        let mut owner: Vec<Option<Field>> = vec![None; headers.len()];
        let folded: Vec<String> = headers.iter().map(|h| fold(h)).collect();
        if let Some(m) = mapping {
            for (field, column) in &m.columns {
                let at = format!("mapping.{}", field.id());
                let i = match column {
                    ColumnRef::Index(n) if (1..=headers.len()).contains(n) => n - 1,
                    ColumnRef::Index(n) => {
                        return Err(Error::invalid(
                            Code::BulkInvalidMapping,
                            at,
                            format!("column {n} does not exist; the file has {}", headers.len()),
                        ));
                    }
                    ColumnRef::Header(h) => {
                        let key = fold(h);
                        let hits: Vec<usize> = (0..headers.len())
                            .filter(|&i| !key.is_empty() && folded[i] == key)
                            .collect();
                        match hits.as_slice() {
                            [i] => *i,
                            [] => {
                                return Err(Error::invalid(
                                    Code::BulkInvalidMapping,
                                    at,
                                    format!("no column is headed '{h}'"),
                                ));
                            }
                            _ => {
                                return Err(Error::invalid(
                                    Code::BulkAmbiguousColumn,
                                    at,
                                    format!("{} columns are headed '{h}'", hits.len()),
                                ));
                            }
                        }
                    }
                };
                if let Some(other) = owner[i] {
                    return Err(Error::invalid(
                        Code::BulkInvalidMapping,
                        at,
                        format!(
                            "column {} ('{}') is already mapped to {}",
                            i + 1,
                            headers[i],
                            other.id()
                        ),
                    ));
                }
                owner[i] = Some(*field);
                index[field.index()] = Some(i);
            }
        }
        if mapping.is_none_or(|m| m.auto_detect) {
            let explicit = index;
            for (i, header) in headers.iter().enumerate() {
                if owner[i].is_some() {
                    continue;
                }
                let Some(field) = Field::from_header(header) else {
                    continue;
                };
                if explicit[field.index()].is_some() {
                    continue; // the saved mapping chose another column for it
                }
                if let Some(first) = index[field.index()] {
                    return Err(Error::invalid(
                        Code::BulkAmbiguousColumn,
                        format!("columns.{}", field.id()),
                        format!(
                            "columns {} ('{}') and {} ('{header}') both look like {}; save a column mapping that names one",
                            first + 1,
                            headers[first],
                            i + 1,
                            field.header_tr()
                        ),
                    ));
                }
                owner[i] = Some(field);
                index[field.index()] = Some(i);
            }
        }
        let columns = Columns {
            index,
            headers: headers.to_vec(),
        };
        columns.check_required()?;
        Ok(columns)
    }

    fn check_required(&self) -> Result<()> {
        let missing = |field: Field, detail: String| {
            Error::invalid(
                Code::BulkMissingColumn,
                format!("columns.{}", field.id()),
                detail,
            )
        };
        for field in Field::ALL.into_iter().filter(|f| f.is_required()) {
            if self.get(field).is_none() {
                return Err(missing(
                    field,
                    format!(
                        "no column for '{}' ({}); headers: {}",
                        field.header_tr(),
                        field.id(),
                        self.headers.join(", ")
                    ),
                ));
            }
        }
        let dims = [Field::Width, Field::Length, Field::Height];
        if self.get(Field::Desi).is_none() && dims.iter().any(|f| self.get(*f).is_none()) {
            return Err(missing(
                Field::Desi,
                "no column for 'Desi', nor all of 'En', 'Boy' and 'Yükseklik'".into(),
            ));
        }
        Ok(())
    }

    /// The 0-based column of a field.
    pub(crate) fn get(&self, field: Field) -> Option<usize> {
        self.index[field.index()]
    }

    /// The header of a field's column, as written in the file.
    pub(crate) fn header(&self, field: Field) -> Option<&str> {
        self.get(field)
            .and_then(|i| self.headers.get(i))
            .map(String::as_str)
    }

    /// The mapping as resolved, by header text where the header is unique and non-empty,
    /// else by column number: save it to import the next file of the same layout.
    pub(crate) fn mapping(&self) -> ColumnMapping {
        let mut columns = BTreeMap::new();
        for field in Field::ALL {
            let Some(i) = self.get(field) else { continue };
            let h = &self.headers[i];
            let key = fold(h);
            let unique =
                !key.is_empty() && self.headers.iter().filter(|x| fold(x) == key).count() == 1;
            columns.insert(
                field,
                if unique {
                    ColumnRef::Header(h.clone())
                } else {
                    ColumnRef::Index(i + 1)
                },
            );
        }
        ColumnMapping {
            columns,
            auto_detect: false,
        }
    }

    /// Non-empty headers of the columns no field uses.
    pub(crate) fn ignored(&self) -> Vec<String> {
        self.headers
            .iter()
            .enumerate()
            .filter(|(i, h)| !h.trim().is_empty() && !self.index.contains(&Some(*i)))
            .map(|(_, h)| h.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(hs: &[&str]) -> Vec<String> {
        hs.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headers_match_in_turkish_and_english_whatever_the_case_and_the_i() {
        for h in [
            "Alıcı Adı",
            "ALICI ADI",
            "alici_adi",
            "recipient_name",
            "ALICI ADI *",
            "Recipient Name",
        ] {
            assert_eq!(Field::from_header(h), Some(Field::RecipientName), "{h}");
        }
        for (h, f) in [
            ("İl", Field::Province),
            ("IL", Field::Province),
            ("il", Field::Province),
            ("İLÇE", Field::District),
            ("Ilce", Field::District),
            ("Adres", Field::Address),
            ("Alıcı Adres", Field::Address),
            ("Telefon", Field::Phone),
            ("Alıcı Telefon", Field::Phone),
            ("Desi", Field::Desi),
            ("Kg", Field::Kg),
            ("Ağırlık (kg)", Field::Kg),
            ("En", Field::Width),
            ("En (cm)", Field::Width),
            ("Boy", Field::Length),
            ("YÜKSEKLİK", Field::Height),
            ("yukseklik", Field::Height),
            ("Adet", Field::Count),
            ("Tahsilat Tutarı", Field::CodAmount),
            ("TAHSİLAT TUTARI (TL)", Field::CodAmount),
            ("Sipariş No", Field::OrderId),
            ("SIPARIS NO", Field::OrderId),
            ("Not", Field::Note),
            ("order_id", Field::OrderId),
            ("cod_amount", Field::CodAmount),
            ("E-posta", Field::Email),
        ] {
            assert_eq!(Field::from_header(h), Some(f), "{h}");
        }
        for h in ["", "Hata", "Satır", "Error", "Kargo Firması", "adi"] {
            assert_eq!(Field::from_header(h), None, "{h}");
        }
    }

    #[test]
    fn every_field_matches_its_own_headers_and_no_alias_is_shared() {
        for f in Field::ALL {
            assert_eq!(Field::from_header(f.header_tr()), Some(f), "{f:?}");
            assert_eq!(Field::from_header(f.header_en()), Some(f), "{f:?}");
            assert_eq!(Field::from_header(f.id()), Some(f), "{f:?}");
            assert_eq!(
                serde_json::to_value(f).ok(),
                Some(serde_json::Value::String(f.id().into())),
                "the serde name is the id"
            );
            for a in f.aliases() {
                assert_eq!(fold(a), *a, "alias '{a}' is not folded");
                let owners: Vec<Field> = Field::ALL
                    .into_iter()
                    .filter(|g| g.aliases().contains(a))
                    .collect();
                assert_eq!(owners, vec![f], "alias '{a}'");
            }
        }
    }

    #[test]
    fn required_columns_and_the_desi_or_dimensions_rule() {
        let ok = headers(&["Alıcı Adı", "Telefon", "İl", "İlçe", "Adres", "Kg", "Desi"]);
        assert!(Columns::resolve(&ok, None).is_ok());
        let dims = headers(&[
            "Alıcı Adı",
            "Telefon",
            "İl",
            "İlçe",
            "Adres",
            "Kg",
            "En",
            "Boy",
            "Yükseklik",
        ]);
        assert!(Columns::resolve(&dims, None).is_ok());
        let no_desi = headers(&["Alıcı Adı", "Telefon", "İl", "İlçe", "Adres", "Kg", "En"]);
        let e = Columns::resolve(&no_desi, None).err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::BulkMissingColumn));
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("columns.desi"));
        let no_phone = headers(&["Alıcı Adı", "İl", "İlçe", "Adres", "Kg", "Desi"]);
        let e = Columns::resolve(&no_phone, None).err();
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("columns.phone"));
    }

    #[test]
    fn two_columns_for_one_field_need_a_mapping() {
        let hs = headers(&[
            "Alıcı Adı",
            "Telefon",
            "Cep Telefonu",
            "İl",
            "İlçe",
            "Adres",
            "Kg",
            "Desi",
        ]);
        let e = Columns::resolve(&hs, None).err();
        assert_eq!(e.map(|e| e.code()), Some(Code::BulkAmbiguousColumn));
        let m =
            ColumnMapping::default().with(Field::Phone, ColumnRef::Header("cep telefonu".into()));
        let c = Columns::resolve(&hs, Some(&m));
        assert_eq!(c.as_ref().ok().and_then(|c| c.get(Field::Phone)), Some(2));
        assert_eq!(
            c.as_ref().map(|c| c.ignored()).unwrap_or_default(),
            vec!["Telefon".to_string()]
        );
    }

    #[test]
    fn saved_mappings_name_columns_by_header_or_number_and_round_trip() {
        let hs = headers(&[
            "Müşteri",
            "GSM No",
            "Şehir",
            "Semt",
            "Açık Adres",
            "Ağırlık",
            "Desi",
            "Not",
        ]);
        let m = ColumnMapping::default()
            .with(Field::RecipientName, ColumnRef::Header("MÜŞTERİ".into()))
            .with(Field::Phone, ColumnRef::Index(2))
            .with(Field::District, ColumnRef::Header("semt".into()));
        let c = Columns::resolve(&hs, Some(&m));
        let c = match c {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(c.get(Field::Phone), Some(1));
        assert_eq!(c.get(Field::Province), Some(2));
        assert_eq!(c.get(Field::Note), Some(7));
        let saved = c.mapping();
        let json = serde_json::to_string(&saved).unwrap_or_default();
        let back: ColumnMapping = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, saved);
        assert!(!back.auto_detect);
        assert_eq!(Columns::resolve(&hs, Some(&back)).ok(), Some(c));

        let bad = ColumnMapping::default().with(Field::Phone, ColumnRef::Index(12));
        let e = Columns::resolve(&hs, Some(&bad)).err();
        assert_eq!(e.as_ref().map(|e| e.code()), Some(Code::BulkInvalidMapping));
        assert_eq!(e.as_ref().and_then(|e| e.field()), Some("mapping.phone"));
        let twice = ColumnMapping::default()
            .with(Field::Phone, ColumnRef::Index(2))
            .with(Field::Note, ColumnRef::Header("gsm no".into()));
        assert_eq!(
            Columns::resolve(&hs, Some(&twice)).err().map(|e| e.code()),
            Some(Code::BulkInvalidMapping)
        );
        let unknown = ColumnMapping::default().with(Field::Phone, ColumnRef::Header("Faks".into()));
        assert_eq!(
            Columns::resolve(&hs, Some(&unknown))
                .err()
                .map(|e| e.code()),
            Some(Code::BulkInvalidMapping)
        );
    }
}
