//! Sendeo's numeric city/district codes: the `GetCityDistricts` answer of a province matched
//! to KargoJet's official district names with the core's Turkish-aware matching
//! ([`kargojet_core::geo::find_district`]: `ÇANKAYA`, `Cankaya` and `çankaya` are one district).
//! The connector keeps them in common's [`TtlCache`](kargojet_carrier_common::cache::TtlCache)
//! for [`CODES_TTL`]: one lookup per province in flight however many creates wait, a failed
//! lookup not cached.

use crate::wire::{CityDistrict, id_int};
use kargojet_core::address::Address;
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::geo::{self, Plate, fold};
use std::collections::HashMap;
use std::time::Duration;

/// How long a province's codes are kept before Sendeo is asked again.
pub const CODES_TTL: Duration = Duration::from_secs(24 * 60 * 60);

/// The codes of one province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CityCodes {
    /// The province.
    pub plate: Plate,
    /// Sendeo's city id (the plate, as Sendeo answered it).
    pub city_id: i64,
    /// District id by folded official district name.
    districts: HashMap<String, i64>,
}

/// The ids Sendeo wants for one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressCodes {
    /// `…CityId`.
    pub city_id: i64,
    /// `…DistrictId`.
    pub district_id: i64,
}

impl CityCodes {
    /// Matches a `GetCityDistricts` answer for `plate` to the official district names. Entries
    /// of another city, or without an id, are skipped; a name the core does not know is kept
    /// under its folded spelling.
    pub fn from_answer(plate: Plate, entries: &[CityDistrict]) -> CityCodes {
        let mut districts = HashMap::new();
        let mut city_id = None;
        for e in entries {
            let Some(cid) = e.city_id.as_ref().and_then(id_int) else {
                continue;
            };
            if cid != i64::from(plate.get()) {
                continue;
            }
            let (Some(id), Some(name)) = (
                e.district_id.as_ref().and_then(id_int),
                e.district_name.as_deref().filter(|n| !n.trim().is_empty()),
            ) else {
                continue;
            };
            city_id = Some(cid);
            let official = geo::find_district(plate, name, "district")
                .map(|d| fold(&d.name))
                .unwrap_or_else(|_| fold(name));
            districts.entry(official).or_insert(id);
        }
        CityCodes {
            plate,
            city_id: city_id.unwrap_or_else(|| i64::from(plate.get())),
            districts,
        }
    }

    /// How many districts Sendeo listed.
    pub fn len(&self) -> usize {
        self.districts.len()
    }

    /// True when Sendeo listed none.
    pub fn is_empty(&self) -> bool {
        self.districts.is_empty()
    }

    /// The district id of an official district name (any case or spelling the core matches).
    pub fn district_id(&self, district: &str) -> Option<i64> {
        let official = geo::find_district(self.plate, district, "district")
            .map(|d| fold(&d.name))
            .unwrap_or_else(|_| fold(district));
        self.districts.get(&official).copied()
    }

    /// The ids of `address`; `field` names the party for the error (`recipient`).
    pub fn address(&self, address: &Address, field: &str) -> Result<AddressCodes> {
        match self.district_id(&address.district) {
            Some(district_id) => Ok(AddressCodes {
                city_id: self.city_id,
                district_id,
            }),
            None => Err(Error::invalid(
                Code::RequestUnknownDistrict,
                format!("{field}.address.district"),
                format!(
                    "Sendeo lists no district '{}' in {} (GetCityDistricts gave {} districts)",
                    address.district,
                    address.province,
                    self.len()
                ),
            )),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::wire::number;

    fn entry(city: i64, id: i64, name: &str) -> CityDistrict {
        CityDistrict {
            city_id: Some(number(city)),
            city_name: Some("ANKARA".into()),
            district_id: Some(number(id)),
            district_name: Some(name.into()),
        }
    }

    #[test]
    fn names_match_turkish_aware() {
        let ankara = Plate::new(6).unwrap();
        let codes = CityCodes::from_answer(
            ankara,
            &[
                entry(6, 6101, "ÇANKAYA"),
                entry(6, 6102, "YENİMAHALLE"),
                entry(6, 6103, "Sincan"),
                entry(34, 34139, "TUZLA"),
                CityDistrict::default(),
            ],
        );
        assert_eq!(codes.len(), 3);
        assert_eq!(codes.district_id("Çankaya"), Some(6101));
        assert_eq!(codes.district_id("cankaya"), Some(6101));
        assert_eq!(codes.district_id("Yenimahalle"), Some(6102));
        assert_eq!(codes.district_id("SİNCAN"), Some(6103));
        assert_eq!(codes.district_id("Tuzla"), None);
        let a = Address::parse("Ankara", "Keçiören", "Bağlum Cad. 1", "recipient.address").unwrap();
        let e = codes.address(&a, "recipient").unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            (
                Code::RequestUnknownDistrict,
                Some("recipient.address.district")
            )
        );
        let a = Address::parse("ankara", "ÇANKAYA", "Kızılay", "recipient.address").unwrap();
        assert_eq!(
            codes.address(&a, "recipient").unwrap(),
            AddressCodes {
                city_id: 6,
                district_id: 6101
            }
        );
    }
}
