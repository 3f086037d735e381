//! The simulator's city/district table: every province and district of KargoJet's geography
//! (81 / 973), names upper-cased the Turkish way as Sendeo writes them, city id = plate.
//! District ids seen in Sendeo's own documents are kept (İstanbul/Tuzla 34139 and Ankara/Çankaya
//! 6101 of the notes' example, and those of the carrier's Postman collection); the others are
//! `plate × 1000 + 500 + n` (n = the district's place in its province), since Sendeo's full
//! list is only published as a spreadsheet.

use kargojet_core::geo::{self, Plate, fold, turkish_upper};
use std::collections::HashMap;
use std::sync::OnceLock;

/// District ids published by Sendeo: (province, district, id).
pub const PUBLISHED_IDS: &[(&str, &str, i64)] = &[
    ("İstanbul", "Tuzla", 34139),
    ("Ankara", "Çankaya", 6101),
    ("İstanbul", "Kadıköy", 34245),
    ("İstanbul", "Sancaktepe", 3398015),
    ("Eskişehir", "Odunpazarı", 174171),
    ("Eskişehir", "Tepebaşı", 179783),
    ("Antalya", "Kaş", 3399265),
];

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimDistrict {
    /// City id (plate).
    pub city_id: i64,
    /// City name, Turkish upper case (`İSTANBUL`).
    pub city_name: String,
    /// District id.
    pub district_id: i64,
    /// District name, Turkish upper case (`TUZLA`).
    pub district_name: String,
    /// Official district name (`Tuzla`).
    pub official: String,
}

struct Table {
    rows: Vec<SimDistrict>,
    by_id: HashMap<i64, usize>,
}

fn table() -> &'static Table {
    static T: OnceLock<Table> = OnceLock::new();
    T.get_or_init(|| {
        let mut rows = Vec::new();
        for p in geo::provinces() {
            for (n, d) in geo::districts(p.plate).iter().enumerate() {
                let published = PUBLISHED_IDS
                    .iter()
                    .find(|(pr, di, _)| fold(pr) == fold(&p.name) && fold(di) == fold(&d.name))
                    .map(|(_, _, id)| *id);
                let plate = i64::from(p.plate.get());
                let ordinal = i64::try_from(n).unwrap_or(0) + 1;
                rows.push(SimDistrict {
                    city_id: plate,
                    city_name: turkish_upper(&p.name),
                    district_id: published.unwrap_or(plate * 1000 + 500 + ordinal),
                    district_name: turkish_upper(&d.name),
                    official: d.name.clone(),
                });
            }
        }
        let by_id = rows
            .iter()
            .enumerate()
            .map(|(i, r)| (r.district_id, i))
            .collect();
        Table { rows, by_id }
    })
}

/// Whether `city_id` is a city.
pub fn is_city(city_id: i64) -> bool {
    u8::try_from(city_id).ok().and_then(Plate::new).is_some()
}

/// The district with id `district_id`.
pub fn district(district_id: i64) -> Option<&'static SimDistrict> {
    let t = table();
    t.by_id.get(&district_id).map(|&i| &t.rows[i])
}

/// The id of an official district of `plate`.
pub fn district_id(plate: Plate, district: &str) -> Option<i64> {
    table()
        .rows
        .iter()
        .find(|r| r.city_id == i64::from(plate.get()) && fold(&r.official) == fold(district))
        .map(|r| r.district_id)
}

/// `GetCityDistricts`: the districts of the city named `city` (any case, Turkish or ASCII
/// letters), only `district` when given. Unknown names give nothing.
pub fn query(city: &str, district: Option<&str>) -> Vec<&'static SimDistrict> {
    let Ok(province) = geo::find_province(city, "CityName") else {
        return Vec::new();
    };
    let plate = province.plate;
    let wanted = district.map(str::trim).filter(|d| !d.is_empty()).map(|d| {
        geo::find_district(plate, d, "DistrictName")
            .map(|x| fold(&x.name))
            .unwrap_or_else(|_| fold(d))
    });
    table()
        .rows
        .iter()
        .filter(|r| r.city_id == i64::from(plate.get()))
        .filter(|r| wanted.as_ref().is_none_or(|w| fold(&r.official) == *w))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn published_ids_and_unique_generated_ones() {
        assert_eq!(district_id(Plate::new(34).unwrap(), "Tuzla"), Some(34139));
        assert_eq!(district_id(Plate::new(6).unwrap(), "çankaya"), Some(6101));
        assert_eq!(
            district(34139).map(|d| d.district_name.as_str()),
            Some("TUZLA")
        );
        assert_eq!(table().rows.len(), table().by_id.len(), "ids are unique");
        assert_eq!(table().rows.len(), 973);
        let ankara = query("ANKARA", None);
        assert_eq!(ankara.len(), geo::districts(Plate::new(6).unwrap()).len());
        assert!(ankara.iter().all(|d| d.city_name == "ANKARA"));
        let one = query("istanbul", Some("kadikoy"));
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].district_id, 34245);
        assert!(query("Atlantis", None).is_empty());
        assert!(is_city(81) && !is_city(82) && !is_city(0));
    }
}
