//! The CBS Info lists (`getcities`, `getdistricts/{cityCode}`) and their matching to KargoJet's
//! provinces and districts with the core's Turkish-aware matching (`İZMİR`, `Izmir`, `AFYON`
//! all find their province).

use super::checked;
use crate::error;
use crate::wire;
use kargojet_carrier_common::json::LooseString;
use kargojet_core::address::Address;
use kargojet_core::error::{Code, Error, Result};
use kargojet_core::geo;

/// One city or district of a CBS list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeName {
    /// The numeric code.
    pub code: u32,
    /// The name as MNG writes it.
    pub name: String,
}

/// A CBS list answer. Every entry must have a numeric code and a name; anything else is
/// `protocol.malformed` with the raw body (a partial list would send parcels to wrong codes).
pub fn parse_list(http_status: u16, body: &[u8]) -> Result<Vec<CodeName>> {
    let text = checked(http_status, body)?;
    let entries: Vec<wire::CbsEntry> =
        serde_json::from_str(text).map_err(|e| error::malformed(format!("CBS list: {e}"), text))?;
    entries
        .into_iter()
        .map(|e| {
            let code = e
                .code
                .as_ref()
                .and_then(LooseString::non_empty)
                .and_then(|c| c.parse::<u32>().ok());
            let name = e
                .name
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty());
            match (code, name) {
                (Some(code), Some(name)) => Ok(CodeName { code, name }),
                _ => Err(error::malformed(
                    "CBS entry without a numeric code and a name",
                    text,
                )),
            }
        })
        .collect()
}

/// The `cityCode` of the address's province: the CBS city whose name resolves (Turkish-aware,
/// aliases included) to the same plate. `field` is the address path (`recipient.address`).
pub fn city_code(cities: &[CodeName], address: &Address, field: &str) -> Result<u32> {
    cities
        .iter()
        .find(|c| geo::find_province(&c.name, "cbs").is_ok_and(|p| p.plate == address.plate))
        .map(|c| c.code)
        .ok_or_else(|| {
            Error::invalid(
                Code::RequestUnknownProvince,
                format!("{field}.province"),
                format!("MNG's city list has no {}", address.province),
            )
        })
}

/// The `districtCode` of the address's district among the CBS districts of its city.
pub fn district_code(districts: &[CodeName], address: &Address, field: &str) -> Result<u32> {
    districts
        .iter()
        .find(|d| {
            geo::find_district(address.plate, &d.name, "cbs")
                .is_ok_and(|k| k.name == address.district)
        })
        .map(|d| d.code)
        .ok_or_else(|| {
            Error::invalid(
                Code::RequestUnknownDistrict,
                format!("{field}.district"),
                format!(
                    "MNG's district list of {} has no {}",
                    address.province, address.district
                ),
            )
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn list(json: &str) -> Vec<CodeName> {
        parse_list(200, json.as_bytes()).unwrap()
    }

    #[test]
    fn names_match_turkish_aware() {
        let cities = list(
            r#"[{"code":"34","name":"İSTANBUL"},{"code":35,"name":"IZMIR"},{"code":"3","name":"AFYON"}]"#,
        );
        let izmir = Address::parse("İzmir", "Konak", "Alsancak Mah. 1453 Sk.", "r").unwrap();
        assert_eq!(city_code(&cities, &izmir, "r").unwrap(), 35);
        let afyon = Address::parse("Afyonkarahisar", "Merkez", "Cumhuriyet Cad. 1", "r").unwrap();
        assert_eq!(city_code(&cities, &afyon, "r").unwrap(), 3);
        let van = Address::parse("Van", "İpekyolu", "Cumhuriyet Cad. 5", "r").unwrap();
        let e = city_code(&cities, &van, "recipient.address").unwrap_err();
        assert_eq!(
            (e.code(), e.field()),
            (
                Code::RequestUnknownProvince,
                Some("recipient.address.province")
            )
        );
        let districts =
            list(r#"[{"code":"1819","name":"KONAK"},{"code":"1203","name":"BORNOVA"}]"#);
        assert_eq!(district_code(&districts, &izmir, "r").unwrap(), 1819);
        let buca = Address::parse("İzmir", "Buca", "Şirinyer Mah. 1 Sk.", "r").unwrap();
        assert_eq!(
            district_code(&districts, &buca, "r").unwrap_err().code(),
            Code::RequestUnknownDistrict
        );
    }

    #[test]
    fn broken_lists_are_malformed() {
        for body in [
            r#"[{"code":"x","name":"A"}]"#,
            r#"[{"name":"A"}]"#,
            r#"{"code":1}"#,
            "[",
        ] {
            let e = parse_list(200, body.as_bytes()).unwrap_err();
            assert_eq!(e.code(), Code::ProtocolMalformed, "{body}");
            assert_eq!(e.raw(), Some(body));
        }
        assert_eq!(parse_list(200, b"[]").unwrap(), vec![]);
    }
}
