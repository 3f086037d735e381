//! The simulator's CBS Info data: the 81 provinces with their plate as city code, and each
//! province's districts with the TurkiyeAPI identifier as district code (MNG's real codes are
//! not public), names in upper case Turkish as MNG writes them.

use crate::wire::CbsEntry;
use kargojet_carrier_common::json::LooseString;
use kargojet_core::geo::{self, Plate, turkish_upper};

/// The city list.
pub fn cities() -> Vec<CbsEntry> {
    geo::provinces()
        .iter()
        .map(|p| CbsEntry {
            code: Some(LooseString(p.plate.get().to_string())),
            name: Some(turkish_upper(&p.name)),
        })
        .collect()
}

/// The plate of a city code.
pub fn plate(city_code: u32) -> Option<Plate> {
    u8::try_from(city_code).ok().and_then(Plate::new)
}

/// The district list of a city code (`None` for an unknown city).
pub fn districts(city_code: u32) -> Option<Vec<CbsEntry>> {
    let plate = plate(city_code)?;
    Some(
        geo::districts(plate)
            .iter()
            .map(|d| CbsEntry {
                code: Some(LooseString(d.upstream_id.to_string())),
                name: Some(turkish_upper(&d.name)),
            })
            .collect(),
    )
}

/// The name of district `code` of city `city_code`, if it belongs to it.
pub fn district_name(city_code: u32, code: u32) -> Option<String> {
    let plate = plate(city_code)?;
    geo::districts(plate)
        .iter()
        .find(|d| d.upstream_id == code)
        .map(|d| d.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_cover_every_province_and_district() {
        let c = cities();
        assert_eq!(c.len(), 81);
        assert_eq!(c[34].name.as_deref(), Some("İZMİR"));
        assert_eq!(c[34].code.as_ref().map(LooseString::as_str), Some("35"));
        assert_eq!(district_name(35, 1819).as_deref(), Some("Konak"));
        assert_eq!(district_name(35, 1234), None);
        assert!(districts(0).is_none() && districts(82).is_none());
        assert_eq!(districts(35).map(|d| d.len()), Some(30));
    }
}
