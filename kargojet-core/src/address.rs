//! Addresses and contacts: validation against Turkish geography, phone normalization, and a
//! masking helper so personal data never reaches logs in clear (KVKK).

use crate::error::{Code, Error, Result};
use crate::geo::{self, Plate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Turkish phone number normalized to 10 digits without `+90`/`0` (e.g. `5321234567`).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Normalizes `+90 532 123 45 67`, `0532…`, `90532…`, `(532) 123-4567` to 10 digits.
    pub fn parse(raw: &str, field: &str) -> Result<Phone> {
        let digits: String = raw.chars().filter(|c| c.is_ascii_digit()).collect();
        let bad_chars = raw
            .chars()
            .any(|c| !(c.is_ascii_digit() || " +-()./".contains(c)));
        let ten = match digits.len() {
            10 => Some(digits.as_str()),
            11 if digits.starts_with('0') => Some(&digits[1..]),
            12 if digits.starts_with("90") => Some(&digits[2..]),
            13 if digits.starts_with("090") => Some(&digits[3..]),
            _ => None,
        };
        match ten {
            Some(t) if !bad_chars && !t.starts_with('0') && !t.starts_with('1') => {
                Ok(Phone(t.to_string()))
            }
            _ => Err(Error::invalid(
                Code::RequestInvalidPhone,
                field,
                format!(
                    "'{}' is not a Turkish phone number (10 digits, e.g. 5321234567)",
                    mask_phone(raw)
                ),
            )),
        }
    }

    /// The 10 digits.
    pub fn digits(&self) -> &str {
        &self.0
    }

    /// True for a mobile number (5xx).
    pub fn is_mobile(&self) -> bool {
        self.0.starts_with('5')
    }

    /// `0` + 10 digits, as Sürat wants it.
    pub fn with_leading_zero(&self) -> String {
        format!("0{}", self.0)
    }

    /// Masked for logs: `532*****67`.
    pub fn masked(&self) -> String {
        mask_phone(&self.0)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl TryFrom<String> for Phone {
    type Error = Error;
    fn try_from(s: String) -> Result<Phone> {
        Phone::parse(&s, "phone")
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// Masks a phone: keeps the first 3 and last 2 digits.
pub fn mask_phone(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < 3 || i + 2 >= chars.len() {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

/// Masks a name or address: each word keeps its first letter (`Ayşe Yılmaz` → `A*** Y*****`).
pub fn mask_text(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(first) => std::iter::once(first)
                    .chain(cs.map(|_| '*'))
                    .collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A validated postal address in Türkiye.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Address {
    /// Province plate.
    pub plate: Plate,
    /// Official province name.
    pub province: String,
    /// Official district name (`Merkez` for central districts).
    pub district: String,
    /// Street, building, door: the free-text part.
    pub line: String,
    /// Neighbourhood (mahalle), if given separately.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub neighbourhood: Option<String>,
    /// Postal code (5 digits), if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

impl Address {
    /// Validates the parts: the province and district must exist (Turkish-aware matching), the
    /// line must have 5–500 characters, a postal code must be 5 digits. `field` is the path of
    /// the address, e.g. `recipient.address`.
    pub fn parse(province: &str, district: &str, line: &str, field: &str) -> Result<Address> {
        let p = geo::find_province(province, &format!("{field}.province"))?;
        let d = geo::find_district(p.plate, district, &format!("{field}.district"))?;
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        let len = line.chars().count();
        if !(5..=500).contains(&len) {
            return Err(Error::invalid(
                Code::RequestInvalidAddress,
                format!("{field}.line"),
                format!("address line must have 5–500 characters, has {len}"),
            ));
        }
        Ok(Address {
            plate: p.plate,
            province: p.name.clone(),
            district: d.name.clone(),
            line,
            neighbourhood: None,
            postal_code: None,
        })
    }

    /// Adds a postal code after checking it is 5 digits starting with the plate.
    pub fn with_postal_code(mut self, code: &str, field: &str) -> Result<Address> {
        let c = code.trim();
        if c.len() != 5 || !c.chars().all(|ch| ch.is_ascii_digit()) {
            return Err(Error::invalid(
                Code::RequestInvalidAddress,
                format!("{field}.postal_code"),
                format!("'{c}' is not a 5-digit postal code"),
            ));
        }
        self.postal_code = Some(c.to_string());
        Ok(self)
    }

    /// Masked for logs: province and district in clear, the line masked.
    pub fn masked(&self) -> String {
        format!(
            "{} {}/{}",
            mask_text(&self.line),
            self.district,
            self.province
        )
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({})", self.masked())
    }
}

/// A person or company with an address: the sender or the recipient.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Party {
    /// Full name or company name.
    pub name: String,
    /// Phone, normalized.
    pub phone: Phone,
    /// E-mail, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Address.
    pub address: Address,
    /// Turkish tax or identity number (VKN/TCKN), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_id: Option<String>,
}

impl Party {
    /// Validates a party from raw parts; `field` is `sender` or `recipient`.
    pub fn parse(name: &str, phone: &str, address: Address, field: &str) -> Result<Party> {
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = name.chars().count();
        if !(2..=120).contains(&n) {
            return Err(Error::invalid(
                Code::RequestInvalid,
                format!("{field}.name"),
                format!("name must have 2–120 characters, has {n}"),
            ));
        }
        let phone = Phone::parse(phone, &format!("{field}.phone"))?;
        Ok(Party {
            name,
            phone,
            email: None,
            address,
            tax_id: None,
        })
    }

    /// Masked for logs.
    pub fn masked(&self) -> String {
        format!(
            "{} {} {}",
            mask_text(&self.name),
            self.phone.masked(),
            self.address.masked()
        )
    }
}

impl fmt::Debug for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Party({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_normalize_to_ten_digits() {
        for raw in [
            "+90 532 123 45 67",
            "05321234567",
            "905321234567",
            "(532) 123-4567",
            "5321234567",
        ] {
            assert_eq!(
                Phone::parse(raw, "p")
                    .map(|p| p.digits().to_string())
                    .ok()
                    .as_deref(),
                Some("5321234567"),
                "{raw}"
            );
        }
        for bad in [
            "123",
            "0532123456",
            "abc5321234567",
            "+1 532 123 45 67 8",
            "0012345678",
        ] {
            let e = Phone::parse(bad, "recipient.phone").err();
            assert_eq!(
                e.as_ref().map(|e| e.code()),
                Some(Code::RequestInvalidPhone),
                "{bad}"
            );
            assert_eq!(e.as_ref().and_then(|e| e.field()), Some("recipient.phone"));
        }
    }

    #[test]
    fn masking_hides_personal_data() {
        let p = Phone::parse("05321234567", "p").ok();
        assert_eq!(p.map(|p| p.masked()).as_deref(), Some("532*****67"));
        assert_eq!(mask_text("Ayşe Yılmaz"), "A*** Y*****");
        let a = Address::parse(
            "istanbul",
            "kadıköy",
            "Caferağa Mah. Moda Cad. No: 5",
            "recipient.address",
        );
        let a = a.ok();
        assert!(format!("{a:?}").contains("Kadıköy"));
        assert!(!format!("{a:?}").contains("Moda"));
    }

    #[test]
    fn address_validation_names_the_field() {
        let e = Address::parse("Ankara", "Kadıköy", "Atatürk Blv. 1", "recipient.address").err();
        assert_eq!(
            e.as_ref().and_then(|e| e.field()),
            Some("recipient.address.district")
        );
        let e = Address::parse("Ankara", "Çankaya", "x", "recipient.address").err();
        assert_eq!(
            e.as_ref().map(|e| e.code()),
            Some(Code::RequestInvalidAddress)
        );
        assert_eq!(
            e.as_ref().and_then(|e| e.field()),
            Some("recipient.address.line")
        );
    }
}
