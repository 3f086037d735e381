//! Turkish geography: the 81 provinces and 973 districts (TurkiyeAPI dataset, MIT — see
//! `data/LICENSE-turkiye-api.txt`), Turkish-aware name matching, and distance zones from the KGM
//! road-distance table.
//!
//! Everything is compiled in from the CSV files in `kargojet-core/data`; nothing is read from
//! disk or the network at run time.

mod fold;
mod zone;

pub use fold::{edit_distance, fold, turkish_upper};
pub use zone::{DistanceZone, KGM_EDITION};

use crate::error::{Code, Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

const PROVINCES_CSV: &str = include_str!("../../data/tr-provinces.csv");
const DISTRICTS_CSV: &str = include_str!("../../data/tr-districts.csv");
const DISTANCES_CSV: &str = include_str!("../../data/tr-distances-km.csv");

/// Number of provinces.
pub const PROVINCE_COUNT: usize = 81;

/// A province plate code, `1..=81`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Plate(u8);

impl Plate {
    /// A plate from its number, if it is 1–81.
    pub fn new(n: u8) -> Option<Plate> {
        (1..=81).contains(&n).then_some(Plate(n))
    }

    /// The number, 1–81.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Zero-based index for tables.
    #[inline]
    pub fn index(self) -> usize {
        usize::from(self.0 - 1)
    }

    /// The province.
    pub fn province(self) -> &'static Province {
        &geo().provinces[self.index()]
    }
}

impl fmt::Display for Plate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

/// One of the seven geographic regions (coğrafi bölge).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Akdeniz.
    Akdeniz,
    /// Doğu Anadolu.
    DoguAnadolu,
    /// Ege.
    Ege,
    /// Güneydoğu Anadolu.
    GuneydoguAnadolu,
    /// İç Anadolu.
    IcAnadolu,
    /// Karadeniz.
    Karadeniz,
    /// Marmara.
    Marmara,
}

impl Region {
    /// Every region.
    pub const ALL: [Region; 7] = [
        Region::Akdeniz,
        Region::DoguAnadolu,
        Region::Ege,
        Region::GuneydoguAnadolu,
        Region::IcAnadolu,
        Region::Karadeniz,
        Region::Marmara,
    ];

    /// The Turkish name, e.g. `Doğu Anadolu`.
    pub fn name_tr(self) -> &'static str {
        match self {
            Region::Akdeniz => "Akdeniz",
            Region::DoguAnadolu => "Doğu Anadolu",
            Region::Ege => "Ege",
            Region::GuneydoguAnadolu => "Güneydoğu Anadolu",
            Region::IcAnadolu => "İç Anadolu",
            Region::Karadeniz => "Karadeniz",
            Region::Marmara => "Marmara",
        }
    }

    fn parse(s: &str) -> Option<Region> {
        Region::ALL
            .into_iter()
            .find(|r| fold(r.name_tr()) == fold(s))
    }
}

/// A province (il).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Province {
    /// Plate code.
    pub plate: Plate,
    /// Official name with Turkish letters.
    pub name: String,
    /// ASCII slug.
    pub slug: String,
    /// Geographic region.
    pub region: Region,
    /// NUTS-1 code (TR1…TRC).
    pub nuts1: String,
    /// Whether it is a metropolitan municipality (büyükşehir).
    pub is_metropolitan: bool,
}

/// A district (ilçe), keyed by (plate, name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// Parent province.
    pub plate: Plate,
    /// Name with Turkish letters (`Merkez` for central districts of non-metropolitan provinces).
    pub name: String,
    /// ASCII slug.
    pub slug: String,
    /// Upstream identifier.
    pub upstream_id: u32,
}

struct Geo {
    provinces: Vec<Province>,
    by_name: HashMap<String, Plate>,
    districts: Vec<Vec<District>>,
    district_index: HashMap<(u8, String), usize>,
    km: Vec<u16>,
}

fn geo() -> &'static Geo {
    static GEO: OnceLock<Geo> = OnceLock::new();
    GEO.get_or_init(load)
}

fn load() -> Geo {
    let mut provinces = Vec::with_capacity(PROVINCE_COUNT);
    let mut by_name = HashMap::new();
    for line in PROVINCES_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split(',').collect();
        let Some(plate) = f
            .first()
            .and_then(|p| p.parse::<u8>().ok())
            .and_then(Plate::new)
        else {
            continue;
        };
        let name = f.get(1).copied().unwrap_or_default().to_string();
        let slug = f.get(2).copied().unwrap_or_default().to_string();
        let region = f
            .get(3)
            .and_then(|r| Region::parse(r))
            .unwrap_or(Region::IcAnadolu);
        by_name.insert(fold(&name), plate);
        by_name.insert(fold(&slug), plate);
        provinces.push(Province {
            plate,
            name,
            slug,
            region,
            nuts1: f.get(4).copied().unwrap_or_default().to_string(),
            is_metropolitan: f.get(8).copied() == Some("true"),
        });
    }
    // Common alternative names (KGM's and carriers' spellings).
    for (alias, plate) in [
        ("izmit", 41),
        ("kocaeli izmit", 41),
        ("adapazari", 54),
        ("sakarya adapazari", 54),
        ("afyon", 3),
        ("k maras", 46),
        ("maras", 46),
        ("urfa", 63),
        ("antep", 27),
        ("icel", 33),
    ] {
        if let Some(p) = Plate::new(plate) {
            by_name.entry(alias.to_string()).or_insert(p);
        }
    }
    let mut districts: Vec<Vec<District>> = vec![Vec::new(); PROVINCE_COUNT];
    let mut district_index = HashMap::new();
    for line in DISTRICTS_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
    {
        let f: Vec<&str> = line.split(',').collect();
        let Some(plate) = f
            .first()
            .and_then(|p| p.parse::<u8>().ok())
            .and_then(Plate::new)
        else {
            continue;
        };
        let d = District {
            plate,
            name: f.get(2).copied().unwrap_or_default().to_string(),
            slug: f.get(3).copied().unwrap_or_default().to_string(),
            upstream_id: f.get(4).and_then(|s| s.trim().parse().ok()).unwrap_or(0),
        };
        let list = &mut districts[plate.index()];
        district_index.insert((plate.get(), fold(&d.name)), list.len());
        district_index.insert((plate.get(), fold(&d.slug)), list.len());
        list.push(d);
    }
    let mut km = vec![0u16; PROVINCE_COUNT * PROVINCE_COUNT];
    for line in DISTANCES_CSV.lines().skip(1) {
        let mut f = line.split(',');
        let (Some(a), Some(b), Some(k)) = (f.next(), f.next(), f.next()) else {
            continue;
        };
        let (Some(a), Some(b), Ok(k)) = (
            a.parse::<u8>().ok().and_then(Plate::new),
            b.parse::<u8>().ok().and_then(Plate::new),
            k.trim().parse::<u16>(),
        ) else {
            continue;
        };
        km[a.index() * PROVINCE_COUNT + b.index()] = k;
    }
    Geo {
        provinces,
        by_name,
        districts,
        district_index,
        km,
    }
}

/// All 81 provinces in plate order.
pub fn provinces() -> &'static [Province] {
    &geo().provinces
}

/// The districts of a province.
pub fn districts(plate: Plate) -> &'static [District] {
    &geo().districts[plate.index()]
}

/// Finds a province by name (any case, Turkish or ASCII letters) or by plate code (`"34"`).
/// `field` names the request field for the error, which suggests the nearest names.
pub fn find_province(name: &str, field: &str) -> Result<&'static Province> {
    let g = geo();
    let trimmed = name.trim();
    if let Ok(n) = trimmed.parse::<u8>() {
        if let Some(p) = Plate::new(n) {
            return Ok(p.province());
        }
    }
    let key = fold(trimmed);
    if let Some(p) = g.by_name.get(&key) {
        return Ok(p.province());
    }
    let suggestions = nearest(&key, g.provinces.iter().map(|p| p.name.as_str()));
    Err(Error::invalid(
        Code::RequestUnknownProvince,
        field,
        format!(
            "'{trimmed}' is not a province; nearest: {}",
            suggestions.join(", ")
        ),
    ))
}

/// Finds a district of `plate` by name. `Merkez` (and `<province> Merkez`) resolves to the
/// central district where the province has one.
pub fn find_district(plate: Plate, name: &str, field: &str) -> Result<&'static District> {
    let g = geo();
    let list = &g.districts[plate.index()];
    let mut key = fold(name);
    if let Some(&i) = g.district_index.get(&(plate.get(), key.clone())) {
        return Ok(&list[i]);
    }
    let province_key = fold(&plate.province().name);
    if key == province_key || key == format!("{province_key} merkez") {
        key = "merkez".to_string();
        if let Some(&i) = g.district_index.get(&(plate.get(), key.clone())) {
            return Ok(&list[i]);
        }
    }
    let suggestions = nearest(&key, list.iter().map(|d| d.name.as_str()));
    Err(Error::invalid(
        Code::RequestUnknownDistrict,
        field,
        format!(
            "'{}' is not a district of {}; nearest: {}",
            name.trim(),
            plate.province().name,
            suggestions.join(", ")
        ),
    ))
}

fn nearest<'a>(key: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut scored: Vec<(usize, &str)> = names
        .map(|n| {
            let f = fold(n);
            let d = edit_distance(key, &f);
            let bonus = if f.starts_with(key) || key.starts_with(&f) {
                0
            } else {
                1
            };
            (d * 2 + bonus, n)
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

/// Road distance in km between two province centres (KGM table, see [`KGM_EDITION`]).
#[inline]
pub fn distance_km(from: Plate, to: Plate) -> u16 {
    geo().km[from.index() * PROVINCE_COUNT + to.index()]
}

/// The distance zone between two provinces: same province is `sehir_ici`, else by road km.
#[inline]
pub fn zone_between(from: Plate, to: Plate) -> DistanceZone {
    if from == to {
        DistanceZone::SehirIci
    } else {
        DistanceZone::from_km(distance_km(from, to))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plate(n: u8) -> Plate {
        Plate::new(n).unwrap_or(Plate(1))
    }

    #[test]
    fn every_province_matches_in_upper_lower_and_ascii() {
        assert_eq!(provinces().len(), 81);
        for p in provinces() {
            let upper = turkish_upper(&p.name);
            let lower: String = p
                .name
                .chars()
                .flat_map(|c| match c {
                    'I' => vec!['ı'],
                    'İ' => vec!['i'],
                    c => c.to_lowercase().collect(),
                })
                .collect();
            for spelling in [
                upper.as_str(),
                lower.as_str(),
                p.slug.as_str(),
                p.name.as_str(),
                &p.slug.to_uppercase(),
            ] {
                let found = find_province(spelling, "p").map(|x| x.plate);
                assert_eq!(found.ok(), Some(p.plate), "{spelling}");
            }
        }
        assert_eq!(
            find_province("İSTANBUL", "p").map(|p| p.plate.get()).ok(),
            Some(34)
        );
        assert_eq!(
            find_province("Igdir", "p").map(|p| p.plate.get()).ok(),
            Some(76)
        );
        assert_eq!(
            find_province("ığdır", "p").map(|p| p.plate.get()).ok(),
            Some(76)
        );
        assert_eq!(
            find_province("IĞDIR", "p").map(|p| p.plate.get()).ok(),
            Some(76)
        );
        assert_eq!(
            find_province("06", "p").map(|p| p.plate.get()).ok(),
            Some(6)
        );
    }

    #[test]
    fn unknown_province_suggests_nearest() {
        let e = find_province("Istambul", "recipient.address.province").err();
        let e = e.as_ref();
        assert_eq!(e.map(|e| e.code()), Some(Code::RequestUnknownProvince));
        assert_eq!(
            e.and_then(|e| e.field()),
            Some("recipient.address.province")
        );
        assert!(
            e.map(|e| e.message_en())
                .unwrap_or_default()
                .contains("İstanbul")
        );
    }

    #[test]
    fn districts_are_keyed_by_province_and_merkez_resolves() {
        let total: usize = (1..=81).map(|n| districts(plate(n)).len()).sum();
        assert_eq!(total, 973);
        assert_eq!(districts(plate(34)).len(), 39);
        assert_eq!(
            find_district(plate(34), "kadikoy", "d")
                .map(|d| d.name.as_str())
                .ok(),
            Some("Kadıköy")
        );
        assert_eq!(
            find_district(plate(6), "ÇANKAYA", "d")
                .map(|d| d.name.as_str())
                .ok(),
            Some("Çankaya")
        );
        assert_eq!(
            find_district(plate(76), "merkez", "d")
                .map(|d| d.name.as_str())
                .ok(),
            Some("Merkez")
        );
        assert_eq!(
            find_district(plate(76), "Iğdır Merkez", "d")
                .map(|d| d.name.as_str())
                .ok(),
            Some("Merkez")
        );
        assert!(find_district(plate(6), "Gölbaşı", "d").is_ok());
        assert!(find_district(plate(2), "Gölbaşı", "d").is_ok());
        let e = find_district(plate(6), "Kadıköy", "recipient.address.district").err();
        assert_eq!(e.map(|e| e.code()), Some(Code::RequestUnknownDistrict));
    }

    #[test]
    fn zones_follow_the_kgm_bands_and_are_symmetric() {
        assert_eq!(distance_km(plate(34), plate(6)), 453);
        assert_eq!(zone_between(plate(34), plate(6)), DistanceZone::Kisa);
        assert_eq!(zone_between(plate(34), plate(34)), DistanceZone::SehirIci);
        assert_eq!(zone_between(plate(34), plate(65)), DistanceZone::Uzun);
        assert_eq!(zone_between(plate(1), plate(33)), DistanceZone::Yakin);
        assert_eq!(zone_between(plate(33), plate(51)), DistanceZone::Yakin); // exactly 200
        for a in 1..=81 {
            for b in 1..=81 {
                assert_eq!(
                    zone_between(plate(a), plate(b)),
                    zone_between(plate(b), plate(a))
                );
            }
        }
    }
}
