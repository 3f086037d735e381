//! Tariffs: desi bands × zones, with a per-extra-desi price beyond the last band. Loaded from
//! CSV in the column format of `tariffs-2025.csv` or from TOML, or built in code. Zones are
//! looked up by index (distance zone, destination province), never scanned.

use super::units::{DESI_SCALE, desi_units_ceil, price_units};
use crate::carrier::CarrierId;
use crate::error::{Code, Error, Result};
use crate::geo::{self, DistanceZone, PROVINCE_COUNT, Plate};
use crate::money::Money;
use crate::parcel::{DesiRule, round_up_to_step};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// A zone key of a tariff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ZoneKey {
    /// A distance zone (`sehir_ici`, `yakin`, `kisa`, `orta`, `uzun`).
    Distance(DistanceZone),
    /// Any intercity route (`sehir_disi`, PTT-style two-zone tariffs).
    Intercity,
    /// Distance-independent (`all`).
    All,
    /// A destination province (contract tariffs priced per province from a fixed origin).
    Province(Plate),
}

impl ZoneKey {
    /// Parses a zone id of a tariff file; a province name or plate is a province key.
    pub fn parse(s: &str, field: &str) -> Result<ZoneKey> {
        let t = s.trim();
        if let Some(z) = DistanceZone::parse(t) {
            return Ok(ZoneKey::Distance(z));
        }
        match t {
            "sehir_disi" => Ok(ZoneKey::Intercity),
            "all" => Ok(ZoneKey::All),
            _ => geo::find_province(t, field).map(|p| ZoneKey::Province(p.plate)).map_err(|_| {
                Error::invalid(
                    Code::RequestInvalidTariff,
                    field,
                    format!("unknown zone '{t}' (sehir_ici, yakin, kisa, orta, uzun, sehir_disi, all, or a province)"),
                )
            }),
        }
    }

    /// The id as written in tariff files.
    pub fn id(&self) -> String {
        match self {
            ZoneKey::Distance(z) => z.id().to_string(),
            ZoneKey::Intercity => "sehir_disi".into(),
            ZoneKey::All => "all".into(),
            ZoneKey::Province(p) => p.to_string(),
        }
    }
}

impl Serialize for ZoneKey {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.id())
    }
}

impl<'de> Deserialize<'de> for ZoneKey {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ZoneKey::parse(&s, "zone").map_err(|e| serde::de::Error::custom(e.message_en()))
    }
}

impl fmt::Display for ZoneKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

/// An origin → destination pair with its distance zone, computed once per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route {
    /// Origin province.
    pub from: Plate,
    /// Destination province.
    pub to: Plate,
    /// Distance zone between them.
    pub zone: DistanceZone,
}

impl Route {
    /// The route between two provinces.
    #[inline]
    pub fn between(from: Plate, to: Plate) -> Route {
        Route {
            from,
            to,
            zone: geo::zone_between(from, to),
        }
    }
}

/// The index of a zone table inside one tariff (from [`Tariff::zone_of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ZoneIdx(u16);

const NONE: u16 = u16::MAX;

#[derive(Debug, Clone, PartialEq, Eq)]
struct ZoneTable {
    key: ZoneKey,
    /// Inclusive upper bounds in desi units, ascending.
    uppers: Vec<i64>,
    /// Band prices in price units.
    prices: Vec<i64>,
    /// Price units per whole desi above the last band.
    extra_per_desi: Option<i64>,
}

/// What the pricing hot path needs of one zone: a billable value's slot is `ceil(value /
/// grain)` (one multiply), the slot's band comes from the zone's slot→band map (one byte per
/// slot, shared by every zone with the same band bounds) and the band's price from the zone's
/// row of band prices — two small loads. A tariff of 81 provinces × 30 bands keeps 19 KB of
/// prices and one 200-byte map hot, instead of a price per slot per zone (130 KB): a batch
/// over seven such tariffs stays in the L2 cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct HotZone {
    /// The last band's inclusive upper bound in desi units.
    last: i64,
    /// `u64::MAX / grain + 1` (0 when the grain is 1 or too large for the multiply path).
    magic: u64,
    /// Price units per whole desi above the last band, or -1 when the zone has none.
    extra_per_desi: i64,
    /// Where this zone's slot→band map starts in [`Tariff`]'s `band_maps`.
    map_base: u32,
    /// Where this zone's band prices start in [`Tariff`]'s `band_units` and `band_kurus`.
    price_base: u32,
    /// The largest step (desi units) dividing every upper bound.
    grain: u32,
}

/// `n / d` for 32-bit `n` by a precomputed `magic = u64::MAX / d + 1` (Lemire, Kaser & Kurz,
/// "Faster remainder by direct computation", 2019: exact for every 32-bit `n` and `d > 1`).
#[inline]
fn div_by_magic(n: u32, magic: u64) -> u32 {
    ((u128::from(magic) * u128::from(n)) >> 64) as u32
}

impl HotZone {
    /// The zone's slot (in its slot→band map) of a billable value up to the last band
    /// (`None` above it).
    #[inline(always)]
    fn slot(&self, value: i64) -> Option<usize> {
        if value > self.last {
            return None;
        }
        let n = u32::try_from(value.max(0) + i64::from(self.grain) - 1).ok()?;
        let slot = if self.magic != 0 {
            div_by_magic(n, self.magic)
        } else {
            n / self.grain.max(1)
        };
        Some(self.map_base as usize + slot as usize)
    }

    /// Index in the flat band-price tables of the band that prices `value` (`None` above the
    /// last band).
    #[inline(always)]
    fn band(&self, maps: &[u8], value: i64) -> Option<usize> {
        let band = *maps.get(self.slot(value)?)?;
        Some(self.price_base as usize + usize::from(band))
    }

    /// Exact price in 1/(PRICE_SCALE × DESI_SCALE) lira (1e-7 lira) for a billable value in
    /// desi units, from the zone's band prices; `None` above the last band without an
    /// extra-desi price, or on overflow.
    #[inline(always)]
    fn price_fine(&self, maps: &[u8], units: &[i64], value: i64) -> Option<i64> {
        if let Some(band) = self.band(maps, value) {
            return units.get(band)?.checked_mul(DESI_SCALE);
        }
        if self.extra_per_desi < 0 {
            return None;
        }
        let base = *units.get(self.band(maps, self.last)?)?;
        base.checked_mul(DESI_SCALE)?
            .checked_add((value - self.last).checked_mul(self.extra_per_desi)?)
    }
}

/// A carrier's price table. See the module docs for band semantics: a band covers
/// (previous upper, upper] of the billable value after rounding up to the carrier's step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tariff {
    id: Arc<str>,
    carrier: CarrierId,
    service: Option<Arc<str>>,
    rule: DesiRule,
    illustrative: bool,
    tables: Vec<ZoneTable>,
    /// Per zone, the hot-path summary of `tables` (same index).
    hot: Vec<HotZone>,
    /// Slot → band index maps, one per distinct set of band bounds, flat.
    band_maps: Vec<u8>,
    /// Every zone's band prices, flat (price units).
    band_units: Vec<i64>,
    /// `band_units` rounded to the kuruş, half-up: the cost of a shipment within the bands.
    band_kurus: Vec<i64>,
    by_distance: [u16; 5],
    by_province: [u16; PROVINCE_COUNT],
    intercity: u16,
    all: u16,
}

impl Tariff {
    /// Starts building a tariff with id `id` (e.g. `yurtici`, `ptt_counter`) for `carrier`.
    pub fn builder(id: impl Into<String>, carrier: CarrierId) -> TariffBuilder {
        TariffBuilder {
            id: id.into(),
            carrier,
            service: None,
            rule: None,
            illustrative: false,
            rows: Vec::new(),
        }
    }

    /// The tariff id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The tariff id, shared.
    pub fn id_shared(&self) -> Arc<str> {
        self.id.clone()
    }

    /// The service level, shared.
    pub fn service_shared(&self) -> Option<Arc<str>> {
        self.service.clone()
    }

    /// The carrier.
    pub fn carrier(&self) -> &CarrierId {
        &self.carrier
    }

    /// The service level (`counter` for `ptt_counter`), if any.
    pub fn service(&self) -> Option<&str> {
        self.service.as_deref()
    }

    /// The desi rule (divisor and step) the tariff is priced with.
    pub fn rule(&self) -> DesiRule {
        self.rule
    }

    /// Whether the prices are illustrative (not a published or contracted tariff).
    pub fn is_illustrative(&self) -> bool {
        self.illustrative
    }

    /// The zone keys present.
    pub fn zones(&self) -> impl Iterator<Item = ZoneKey> + '_ {
        self.tables.iter().map(|t| t.key)
    }

    /// The zone table that prices `route`: the destination province if keyed, else the
    /// distance zone, else `sehir_disi` for intercity routes, else `all`.
    #[inline]
    pub fn zone_of(&self, route: &Route) -> Option<ZoneIdx> {
        let p = self.by_province[route.to.index()];
        if p != NONE {
            return Some(ZoneIdx(p));
        }
        let d = self.by_distance[route.zone.index()];
        if d != NONE {
            return Some(ZoneIdx(d));
        }
        if route.from != route.to && self.intercity != NONE {
            return Some(ZoneIdx(self.intercity));
        }
        (self.all != NONE).then_some(ZoneIdx(self.all))
    }

    /// The zone key of an index.
    pub fn zone_key(&self, zone: ZoneIdx) -> Option<ZoneKey> {
        self.tables.get(usize::from(zone.0)).map(|t| t.key)
    }

    /// The billable value of a set of parcels under this tariff's rule.
    pub fn billable(&self, parcels: &[crate::parcel::Parcel]) -> Decimal {
        self.rule.billable(parcels)
    }

    /// The inclusive upper bound (desi) of the band that prices `desi` (rounded up to the step)
    /// in `zone`; `None` above the last band (each extra desi priced) or for an unknown zone.
    pub fn band_upper(&self, zone: ZoneIdx, desi: Decimal) -> Option<Decimal> {
        let table = self.tables.get(usize::from(zone.0))?;
        let value = desi_units_ceil(round_up_to_step(desi, self.rule.step));
        table
            .uppers
            .iter()
            .find(|u| **u >= value)
            .map(|u| Decimal::new(*u, 3).normalize())
    }

    /// The VAT-exclusive price for `desi` (a billable value; it is rounded up to the step) in
    /// `zone`, exact (not rounded to the kuruş). `not_found.tariff` when the value is above
    /// the last band and the zone has no per-extra-desi price.
    pub fn price(&self, zone: ZoneIdx, desi: Decimal) -> Result<Money> {
        let value = desi_units_ceil(round_up_to_step(desi, self.rule.step));
        self.price_fine(zone, value)
            .map(|fine| Money::try_lira(Decimal::new(fine, 7).normalize()))
            .ok_or_else(|| self.no_price(zone, desi))
    }

    /// The VAT-exclusive cost in kuruş (half-up) of a billable value in 1/1000 desi (already
    /// stepped): one load within the bands.
    #[inline(always)]
    pub(crate) fn cost_kurus(&self, zone: ZoneIdx, value: i64) -> Option<i64> {
        let hot = self.hot.get(usize::from(zone.0))?;
        match hot.band(&self.band_maps, value) {
            Some(band) => self.band_kurus.get(band).copied(),
            // 1e-7 lira → kuruş, half-up (prices are never negative).
            None => hot
                .price_fine(&self.band_maps, &self.band_units, value)
                .map(|fine| (fine + 50_000) / 100_000),
        }
    }

    /// Exact price in 1e-7 lira for a billable value in 1/1000 desi (already stepped).
    #[inline(always)]
    pub(crate) fn price_fine(&self, zone: ZoneIdx, value: i64) -> Option<i64> {
        self.hot
            .get(usize::from(zone.0))?
            .price_fine(&self.band_maps, &self.band_units, value)
    }

    pub(crate) fn no_price(&self, zone: ZoneIdx, desi: Decimal) -> Error {
        Error::not_found(
            Code::NotFoundTariff,
            format!(
                "tariff {} has no price for {desi} desi in zone {}",
                self.id,
                self.zone_key(zone).map(|z| z.id()).unwrap_or_default()
            ),
        )
    }

    /// Loads every tariff in a CSV with columns `carrier,zone,desi_from,desi_to,price_try[,source]`
    /// (the format of `tariffs-2025.csv`). Rows of one carrier id form one tariff; a row with an
    /// empty `desi_to` is the per-extra-desi price. `ptt_counter`-style ids become a service of
    /// their carrier. Errors name the offending row.
    pub fn from_csv(text: &str) -> Result<Vec<Tariff>> {
        let mut reader = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| {
                Error::invalid(Code::RequestInvalidTariff, "tariff.header", e.to_string())
            })?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim_start_matches('\u{feff}') == name)
        };
        let (Some(c_carrier), Some(c_zone), Some(c_from), Some(c_to), Some(c_price)) = (
            col("carrier"),
            col("zone"),
            col("desi_from"),
            col("desi_to"),
            col("price_try"),
        ) else {
            return Err(Error::invalid(
                Code::RequestInvalidTariff,
                "tariff.header",
                "columns carrier,zone,desi_from,desi_to,price_try are required",
            ));
        };
        let c_source = col("source");
        let mut builders: BTreeMap<String, TariffBuilder> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        for (i, rec) in reader.records().enumerate() {
            let row = i + 2;
            let rec = rec.map_err(|e| {
                Error::invalid(
                    Code::RequestInvalidTariff,
                    format!("tariff.row[{row}]"),
                    e.to_string(),
                )
            })?;
            let get = |c: usize| rec.get(c).unwrap_or("").trim();
            let id = get(c_carrier);
            if id.is_empty() {
                return Err(Error::invalid(
                    Code::RequestInvalidTariff,
                    format!("tariff.row[{row}].carrier"),
                    "empty carrier id",
                ));
            }
            let field = |name: &str| format!("tariff.row[{row}].{name}");
            let zone = ZoneKey::parse(get(c_zone), &field("zone"))?;
            let dec = |c: usize, name: &str| -> Result<Decimal> {
                get(c).parse::<Decimal>().map_err(|_| {
                    Error::invalid(
                        Code::RequestInvalidTariff,
                        field(name),
                        format!("'{}' is not a number", get(c)),
                    )
                })
            };
            let from = dec(c_from, "desi_from")?;
            let to = if get(c_to).is_empty() {
                None
            } else {
                Some(dec(c_to, "desi_to")?)
            };
            let price = dec(c_price, "price_try")?;
            let b = builders.entry(id.to_string()).or_insert_with(|| {
                order.push(id.to_string());
                let (carrier, service) = carrier_and_service(id);
                let mut b = Tariff::builder(id, carrier);
                b.service = service;
                b
            });
            if c_source
                .map(|c| get(c).starts_with("illustrative"))
                .unwrap_or(false)
            {
                b.illustrative = true;
            }
            b.rows.push(Row {
                row,
                zone,
                from,
                to,
                price,
            });
        }
        order
            .into_iter()
            .filter_map(|id| builders.remove(&id))
            .map(TariffBuilder::build)
            .collect()
    }

    /// Loads one tariff from TOML:
    ///
    /// ```toml
    /// id = "acme_yurtici"
    /// carrier = "yurtici"
    /// step = "1"          # optional: rounding step of the billable value (0 = exact)
    /// divisor = 3000      # optional
    /// [[zone]]
    /// zone = "kisa"       # or sehir_ici, yakin, orta, uzun, sehir_disi, all, a province
    /// extra_per_desi = "12.65"
    /// bands = [ { to = "1", price = "80.50" }, { to = "5", price = "109.25" } ]
    /// ```
    pub fn from_toml(text: &str) -> Result<Tariff> {
        let doc: TomlTariff = toml::from_str(text)
            .map_err(|e| Error::invalid(Code::RequestInvalidTariff, "tariff", e.to_string()))?;
        let carrier = CarrierId::parse(&doc.carrier);
        let mut b = Tariff::builder(doc.id.clone(), carrier);
        if doc.step.is_some() || doc.divisor.is_some() {
            b = b.rule(DesiRule {
                divisor: doc.divisor.unwrap_or(3000),
                step: doc.step.unwrap_or(Decimal::ONE),
            });
        }
        b.service = doc.service;
        b.illustrative = doc.illustrative;
        for (zi, z) in doc.zone.iter().enumerate() {
            let zone = ZoneKey::parse(&z.zone, &format!("tariff.zone[{zi}].zone"))?;
            let mut prev = Decimal::ZERO;
            for (bi, band) in z.bands.iter().enumerate() {
                b.rows.push(Row {
                    row: zi * 1000 + bi,
                    zone,
                    from: prev,
                    to: Some(band.to),
                    price: band.price,
                });
                prev = band.to;
            }
            if let Some(extra) = z.extra_per_desi {
                b.rows.push(Row {
                    row: zi * 1000 + z.bands.len(),
                    zone,
                    from: prev,
                    to: None,
                    price: extra,
                });
            }
        }
        b.build()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlTariff {
    id: String,
    carrier: String,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    step: Option<Decimal>,
    #[serde(default)]
    divisor: Option<u32>,
    #[serde(default)]
    illustrative: bool,
    #[serde(default)]
    zone: Vec<TomlZone>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlZone {
    zone: String,
    #[serde(default)]
    extra_per_desi: Option<Decimal>,
    bands: Vec<TomlBand>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlBand {
    to: Decimal,
    price: Decimal,
}

/// Splits a tariff id into carrier and service: `ptt_counter` → (PTT, `counter`).
fn carrier_and_service(id: &str) -> (CarrierId, Option<String>) {
    let c = CarrierId::parse(id);
    if c.is_builtin() {
        return (c, None);
    }
    for b in CarrierId::BUILTIN {
        if let Some(rest) = id
            .strip_prefix(b.as_str())
            .and_then(|r| r.strip_prefix('_'))
        {
            return (b, Some(rest.to_string()));
        }
    }
    (c, None)
}

#[derive(Debug, Clone)]
struct Row {
    row: usize,
    zone: ZoneKey,
    from: Decimal,
    to: Option<Decimal>,
    price: Decimal,
}

/// Builds a [`Tariff`] band by band, checking overlaps, holes and negative prices.
#[derive(Debug, Clone)]
pub struct TariffBuilder {
    id: String,
    carrier: CarrierId,
    service: Option<String>,
    rule: Option<DesiRule>,
    illustrative: bool,
    rows: Vec<Row>,
}

impl TariffBuilder {
    /// Sets the desi rule (default: divisor 3000; step inferred from the band bounds — 1 when
    /// every bound is whole, else the finest of 0.5, 0.25, 0.1, 0.01 that fits them all).
    pub fn rule(mut self, rule: DesiRule) -> Self {
        self.rule = Some(rule);
        self
    }

    /// Sets the service level.
    pub fn service(mut self, service: impl Into<String>) -> Self {
        self.service = Some(service.into());
        self
    }

    /// Marks the prices as illustrative.
    pub fn illustrative(mut self, yes: bool) -> Self {
        self.illustrative = yes;
        self
    }

    /// Adds a band `(from, to]` priced `price` (VAT-exclusive lira) in `zone`.
    pub fn band(mut self, zone: ZoneKey, from: Decimal, to: Decimal, price: Decimal) -> Self {
        let row = self.rows.len() + 1;
        self.rows.push(Row {
            row,
            zone,
            from,
            to: Some(to),
            price,
        });
        self
    }

    /// Adds the per-extra-desi price above the last band of `zone`.
    pub fn extra_per_desi(mut self, zone: ZoneKey, price: Decimal) -> Self {
        let row = self.rows.len() + 1;
        let from = self
            .rows
            .iter()
            .filter(|r| r.zone == zone)
            .filter_map(|r| r.to)
            .max()
            .unwrap_or_default();
        self.rows.push(Row {
            row,
            zone,
            from,
            to: None,
            price,
        });
        self
    }

    /// Checks every zone and builds the indexed tariff.
    pub fn build(self) -> Result<Tariff> {
        let invalid = |row: usize, name: &str, detail: String| {
            Error::invalid(
                Code::RequestInvalidTariff,
                format!("tariff.{}.row[{row}].{name}", self.id),
                detail,
            )
        };
        if self.rows.is_empty() {
            return Err(Error::invalid(
                Code::RequestInvalidTariff,
                format!("tariff.{}", self.id),
                "no bands",
            ));
        }
        let rule = match self.rule {
            Some(r) => r,
            None => DesiRule {
                divisor: 3000,
                step: infer_step(
                    self.rows
                        .iter()
                        .flat_map(|r| [Some(r.from), r.to])
                        .flatten(),
                ),
            },
        };
        let mut zones: BTreeMap<ZoneKey, Vec<&Row>> = BTreeMap::new();
        for r in &self.rows {
            if r.price < Decimal::ZERO {
                return Err(invalid(
                    r.row,
                    "price_try",
                    format!("negative price {}", r.price),
                ));
            }
            if r.from < Decimal::ZERO {
                return Err(invalid(
                    r.row,
                    "desi_from",
                    format!("negative desi {}", r.from),
                ));
            }
            if let Some(to) = r.to {
                if to < r.from || to <= Decimal::ZERO {
                    return Err(invalid(
                        r.row,
                        "desi_to",
                        format!("desi_to {to} is below desi_from {}", r.from),
                    ));
                }
            }
            zones.entry(r.zone).or_default().push(r);
        }
        let mut tables = Vec::with_capacity(zones.len());
        let mut hot = Vec::with_capacity(zones.len());
        let mut band_maps: Vec<u8> = Vec::new();
        let mut band_units: Vec<i64> = Vec::new();
        // The slot→band maps made so far: (bounds, where the map starts).
        let mut maps_made: Vec<(Vec<i64>, u32)> = Vec::new();
        for (key, mut rows) in zones {
            rows.sort_by(|a, b| {
                a.from
                    .cmp(&b.from)
                    .then(a.to.is_none().cmp(&b.to.is_none()))
            });
            let mut uppers = Vec::new();
            let mut prices = Vec::new();
            let mut extra = None;
            let mut prev: Option<&Row> = None;
            for r in rows {
                if extra.is_some() {
                    return Err(invalid(
                        r.row,
                        "desi_from",
                        format!("band after the per-extra-desi row of zone {key}"),
                    ));
                }
                let prev_to = prev.and_then(|p| p.to).unwrap_or(Decimal::ZERO);
                let allowed_gap = if rule.step > Decimal::ZERO {
                    rule.step.max(Decimal::ONE)
                } else {
                    Decimal::ZERO
                };
                if prev.is_some() && r.from < prev_to {
                    return Err(invalid(
                        r.row,
                        "desi_from",
                        format!(
                            "band {}–{} overlaps the previous band ending at {prev_to} in zone {key}",
                            r.from,
                            r.to.map(|t| t.to_string()).unwrap_or_default()
                        ),
                    ));
                }
                if r.from > prev_to + allowed_gap {
                    return Err(invalid(
                        r.row,
                        "desi_from",
                        format!("hole between {prev_to} and {} in zone {key}", r.from),
                    ));
                }
                let units = price_units(r.price).ok_or_else(|| {
                    invalid(
                        r.row,
                        "price_try",
                        format!("{} has more than 4 decimals", r.price),
                    )
                })?;
                match r.to {
                    Some(to) => {
                        let upper = desi_units_ceil(to);
                        if uppers.len() >= 255 {
                            return Err(invalid(
                                r.row,
                                "desi_to",
                                "more than 255 bands in a zone".into(),
                            ));
                        }
                        uppers.push(upper);
                        prices.push(units);
                    }
                    None => {
                        if prev.is_none() {
                            return Err(invalid(
                                r.row,
                                "desi_to",
                                format!("zone {key} has a per-extra-desi row but no band"),
                            ));
                        }
                        extra = Some(units);
                    }
                }
                prev = Some(r);
            }
            let grain = grain_of(&uppers);
            let last = uppers.last().copied().unwrap_or(0);
            let count = usize::try_from(last / grain + 1).unwrap_or(0);
            let grain32 = u32::try_from(grain).ok();
            let too_big = |n: usize| n > u32::MAX as usize;
            if count > 2_000_000
                || grain32.is_none()
                || too_big(band_maps.len() + count)
                || too_big(band_units.len() + prices.len())
            {
                return Err(Error::invalid(
                    Code::RequestInvalidTariff,
                    format!("tariff.{}", self.id),
                    "bands too fine or too wide",
                ));
            }
            let map_base = match maps_made.iter().find(|(bounds, _)| *bounds == uppers) {
                Some((_, base)) => *base,
                None => {
                    let base = u32::try_from(band_maps.len()).unwrap_or(u32::MAX);
                    let mut band = 0usize;
                    for slot in 0..count {
                        let value = i64::try_from(slot).unwrap_or(0) * grain;
                        while band + 1 < uppers.len() && value > uppers[band] {
                            band += 1;
                        }
                        // At most 255 bands per zone (checked above).
                        band_maps.push(u8::try_from(band).unwrap_or(u8::MAX));
                    }
                    maps_made.push((uppers.clone(), base));
                    base
                }
            };
            let price_base = u32::try_from(band_units.len()).unwrap_or(u32::MAX);
            band_units.extend_from_slice(&prices);
            if prices.is_empty() {
                // A zone without bands prices nothing; its map points at a placeholder.
                band_units.push(0);
            }
            hot.push(HotZone {
                last,
                magic: match u64::try_from(grain) {
                    Ok(g) if g > 1 && g <= u64::from(u32::MAX) => u64::MAX / g + 1,
                    _ => 0,
                },
                extra_per_desi: extra.unwrap_or(-1),
                map_base,
                price_base,
                grain: grain32.unwrap_or(1),
            });
            tables.push(ZoneTable {
                key,
                uppers,
                prices,
                extra_per_desi: extra,
            });
        }
        let mut t = Tariff {
            id: self.id.into(),
            carrier: self.carrier,
            service: self.service.map(Into::into),
            rule,
            illustrative: self.illustrative,
            tables,
            hot,
            band_kurus: band_units.iter().map(|p| (p + 50) / 100).collect(),
            band_units,
            band_maps,
            by_distance: [NONE; 5],
            by_province: [NONE; PROVINCE_COUNT],
            intercity: NONE,
            all: NONE,
        };
        for (i, table) in t.tables.iter().enumerate() {
            let i = u16::try_from(i).unwrap_or(NONE);
            match table.key {
                ZoneKey::Distance(z) => t.by_distance[z.index()] = i,
                ZoneKey::Province(p) => t.by_province[p.index()] = i,
                ZoneKey::Intercity => t.intercity = i,
                ZoneKey::All => t.all = i,
            }
        }
        Ok(t)
    }
}

/// The finest common step of the bounds: 1 if all whole, else 0.5, 0.25, 0.1 or 0.01.
fn infer_step(bounds: impl Iterator<Item = Decimal>) -> Decimal {
    let bounds: Vec<Decimal> = bounds.collect();
    for step in [
        Decimal::ONE,
        Decimal::new(5, 1),
        Decimal::new(25, 2),
        Decimal::new(1, 1),
        Decimal::new(1, 2),
    ] {
        if bounds.iter().all(|b| (b / step).fract().is_zero()) {
            return step;
        }
    }
    Decimal::ZERO
}

/// The largest grain (in desi units) dividing every upper bound, so that a direct index by
/// `ceil(value / grain)` never straddles a band boundary.
fn grain_of(uppers: &[i64]) -> i64 {
    fn gcd(a: i64, b: i64) -> i64 {
        if b == 0 { a } else { gcd(b, a % b) }
    }
    let g = uppers.iter().fold(0i64, |g, u| gcd(g, *u)).max(1);
    // Keep the index small: a grain finer than 1/1000 desi cannot occur (units are 1/1000).
    g.min(DESI_SCALE * 1000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const SHARED: &str = include_str!("../../data/tariffs-2025.csv");

    fn plate(n: u8) -> Plate {
        Plate::new(n).unwrap_or_else(|| Plate::new(1).unwrap_or_else(|| unreachable!()))
    }

    #[test]
    fn division_by_magic_matches_integer_division() {
        for d in [2u32, 3, 7, 250, 500, 1000, 65_537, u32::MAX] {
            let magic = u64::MAX / u64::from(d) + 1;
            let probes =
                (0..20_000u32).chain([u32::MAX - 1, u32::MAX, d - 1, d, d.saturating_add(1)]);
            for n in probes.chain((1..64).map(|k| u32::MAX / k)) {
                assert_eq!(div_by_magic(n, magic), n / d, "{n} / {d}");
            }
        }
    }

    #[test]
    fn the_shared_tariff_file_loads_unchanged() {
        let ts = Tariff::from_csv(SHARED);
        assert!(ts.is_ok(), "{ts:?}");
        let ts = ts.unwrap_or_default();
        assert_eq!(ts.len(), 9);
        let y = ts.iter().find(|t| t.id() == "yurtici");
        let y = y.unwrap_or_else(|| unreachable!());
        assert!(y.is_illustrative());
        let route = Route::between(plate(34), plate(6));
        let z = y.zone_of(&route).unwrap_or_else(|| unreachable!());
        assert_eq!(y.zone_key(z), Some(ZoneKey::Distance(DistanceZone::Kisa)));
        assert_eq!(y.price(z, dec!(1)).ok(), Some(Money::try_lira(dec!(80.50))));
        assert_eq!(
            y.price(z, dec!(1.2)).ok(),
            Some(Money::try_lira(dec!(109.25)))
        );
        assert_eq!(
            y.price(z, dec!(30)).ok(),
            Some(Money::try_lira(dec!(391.00)))
        );
        // 33 desi: 26–30 band + 3 × 12.65
        assert_eq!(
            y.price(z, dec!(32.4)).ok(),
            Some(Money::try_lira(dec!(428.95)))
        );
        let ptt = ts
            .iter()
            .find(|t| t.id() == "ptt")
            .unwrap_or_else(|| unreachable!());
        let z = ptt.zone_of(&route).and_then(|z| ptt.zone_key(z));
        assert_eq!(z, Some(ZoneKey::Intercity));
        let counter = ts
            .iter()
            .find(|t| t.id() == "ptt_counter")
            .unwrap_or_else(|| unreachable!());
        assert_eq!(counter.carrier(), &CarrierId::Ptt);
        assert_eq!(counter.service(), Some("counter"));
        assert_eq!(counter.rule().step, dec!(0.5));
        let zc = counter.zone_of(&route).unwrap_or_else(|| unreachable!());
        assert_eq!(
            counter.price(zc, dec!(0.3)).ok(),
            Some(Money::try_lira(dec!(101.67)))
        );
        assert_eq!(
            counter.price(zc, dec!(0.5)).ok(),
            Some(Money::try_lira(dec!(101.67)))
        );
        assert_eq!(
            counter.price(zc, dec!(0.6)).ok(),
            Some(Money::try_lira(dec!(120.83)))
        );
        assert_eq!(
            counter.price(zc, dec!(1.2)).err().map(|e| e.code()),
            Some(Code::NotFoundTariff)
        );
        // same city: PTT has no sehir_ici? it has; HepsiJET prices "all"
        let hj = ts
            .iter()
            .find(|t| t.id() == "hepsijet")
            .unwrap_or_else(|| unreachable!());
        assert_eq!(
            hj.zone_of(&Route::between(plate(34), plate(34)))
                .and_then(|z| hj.zone_key(z)),
            Some(ZoneKey::All)
        );
    }

    #[test]
    fn malformed_tariffs_name_the_offending_row() {
        let overlap = "carrier,zone,desi_from,desi_to,price_try\nx,kisa,0,5,10\nx,kisa,3,10,20\n";
        let e = Tariff::from_csv(overlap).err();
        assert_eq!(
            e.as_ref().map(|e| e.code()),
            Some(Code::RequestInvalidTariff)
        );
        assert!(
            e.as_ref()
                .and_then(|e| e.field())
                .unwrap_or_default()
                .contains("row[3]"),
            "{e:?}"
        );
        let hole = "carrier,zone,desi_from,desi_to,price_try\nx,kisa,0,5,10\nx,kisa,8,10,20\n";
        assert!(
            Tariff::from_csv(hole)
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .unwrap_or_default()
                .contains("row[3]")
        );
        let negative = "carrier,zone,desi_from,desi_to,price_try\nx,kisa,0,5,-1\n";
        assert!(
            Tariff::from_csv(negative)
                .err()
                .and_then(|e| e.field().map(str::to_string))
                .unwrap_or_default()
                .contains("row[2].price_try")
        );
        let zone = "carrier,zone,desi_from,desi_to,price_try\nx,nowhere,0,5,1\n";
        assert!(Tariff::from_csv(zone).is_err());
        let nan = "carrier,zone,desi_from,desi_to,price_try\nx,kisa,0,abc,1\n";
        assert!(Tariff::from_csv(nan).is_err());
        let header = "carrier,zone,price\nx,kisa,1\n";
        assert!(Tariff::from_csv(header).is_err());
    }

    #[test]
    fn toml_and_province_zones() {
        let t = Tariff::from_toml(
            r#"
id = "acme"
carrier = "aras"
[[zone]]
zone = "Van"
extra_per_desi = "2.5"
bands = [ { to = "1", price = "50" }, { to = "5", price = "70" } ]
[[zone]]
zone = "all"
bands = [ { to = "5", price = "60" } ]
"#,
        );
        assert!(t.is_ok(), "{t:?}");
        let t = t.unwrap_or_else(|_| unreachable!());
        let van = t
            .zone_of(&Route::between(plate(34), plate(65)))
            .unwrap_or_else(|| unreachable!());
        assert_eq!(t.price(van, dec!(7)).ok(), Some(Money::try_lira(dec!(75))));
        let other = t
            .zone_of(&Route::between(plate(34), plate(6)))
            .unwrap_or_else(|| unreachable!());
        assert_eq!(
            t.price(other, dec!(3)).ok(),
            Some(Money::try_lira(dec!(60)))
        );
        assert!(Tariff::from_toml("id = 1").is_err());
    }
}
