//! JSON helpers for REST carriers: decimals that travel as JSON numbers without losing their
//! exact value, and loosely typed scalars (`"3002"` or `3002`) read as text.
//!
//! ```
//! use kargojet_carrier_common::json::{JsonDecimal, LooseString};
//! use rust_decimal::Decimal;
//!
//! let amount = JsonDecimal(Decimal::new(3205, 1));
//! assert_eq!(serde_json::to_string(&amount).map_err(|e| e.to_string())?, "320.5");
//! let back: JsonDecimal = serde_json::from_str("\"320.50\"").map_err(|e| e.to_string())?;
//! assert_eq!(back.0, Decimal::new(3205, 1));
//! let code: LooseString = serde_json::from_str("3002").map_err(|e| e.to_string())?;
//! assert_eq!(code.as_str(), "3002");
//! # Ok::<(), String>(())
//! ```

use rust_decimal::Decimal;
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A decimal written as a JSON number (`2`, `320.5`) and read from a JSON number or a numeric
/// string. Writing checks that the number's shortest decimal form is exactly the decimal (at
/// most ~15 significant digits), so no binary-float rounding ever reaches the wire; a value
/// that cannot be written exactly is a serialization error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct JsonDecimal(pub Decimal);

impl From<Decimal> for JsonDecimal {
    fn from(d: Decimal) -> Self {
        JsonDecimal(d)
    }
}

impl Serialize for JsonDecimal {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.0.normalize();
        if d.scale() == 0 {
            if let Ok(i) = i64::try_from(d.mantissa()) {
                return s.serialize_i64(i);
            }
        }
        let text = d.to_string();
        let f: f64 = text
            .parse()
            .map_err(|_| serde::ser::Error::custom(format!("{text} is not a number")))?;
        // Rust prints the shortest form that reads back as the same f64: when that form is the
        // decimal itself, the JSON text serde_json writes for `f` is exactly `text`.
        let exact = Decimal::from_str(&f.to_string()).is_ok_and(|back| back == d);
        if !f.is_finite() || !exact {
            return Err(serde::ser::Error::custom(format!(
                "{text} cannot be written exactly as a JSON number"
            )));
        }
        s.serialize_f64(f)
    }
}

impl<'de> Deserialize<'de> for JsonDecimal {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = JsonDecimal;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or a numeric string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<JsonDecimal, E> {
                Ok(JsonDecimal(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<JsonDecimal, E> {
                Ok(JsonDecimal(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<JsonDecimal, E> {
                // The shortest form of the f64 is the text the sender wrote (for up to ~15
                // significant digits), so this reads `320.5` as exactly 320.5.
                decimal_text(&v.to_string())
                    .map(JsonDecimal)
                    .ok_or_else(|| E::custom(format!("{v} is out of the decimal range")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonDecimal, E> {
                decimal_text(v)
                    .map(JsonDecimal)
                    .ok_or_else(|| E::custom(format!("'{v}' is not a number")))
            }
        }
        d.deserialize_any(V)
    }
}

fn decimal_text(s: &str) -> Option<Decimal> {
    let t = s.trim();
    Decimal::from_str(t)
        .ok()
        .or_else(|| Decimal::from_scientific(t).ok())
}

/// A JSON scalar read as text: a string as is, a number in its JSON form, `true`/`false`.
/// Carriers send the same key as `"3002"` or `3002` depending on the endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
#[serde(transparent)]
pub struct LooseString(pub String);

impl LooseString {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The text, trimmed; `None` when empty.
    pub fn non_empty(&self) -> Option<&str> {
        Some(self.0.trim()).filter(|s| !s.is_empty())
    }
}

impl fmt::Display for LooseString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for LooseString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = LooseString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LooseString, E> {
                Ok(LooseString(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<LooseString, E> {
                Ok(LooseString(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap_or_default()
    }

    #[test]
    fn decimals_are_written_as_exact_json_numbers() {
        for (d, json) in [
            ("320.5", "320.5"),
            ("320.50", "320.5"),
            ("2", "2"),
            ("0", "0"),
            ("0.1", "0.1"),
            ("5750.00", "5750"),
            ("-12.34", "-12.34"),
            ("99999999.99", "99999999.99"),
        ] {
            assert_eq!(
                serde_json::to_string(&JsonDecimal(dec(d))).ok().as_deref(),
                Some(json),
                "{d}"
            );
        }
        // 20 significant digits cannot travel as a JSON number without rounding.
        assert!(serde_json::to_string(&JsonDecimal(dec("1234567890.1234567891"))).is_err());
    }

    #[test]
    fn decimals_are_read_from_numbers_and_strings() {
        for (json, d) in [
            ("320.5", "320.5"),
            ("\"320,5\"", ""),
            ("\" 12.30 \"", "12.30"),
            ("7", "7"),
            ("1e2", "100"),
            ("0.30000000000000004", "0.30000000000000004"),
        ] {
            let got = serde_json::from_str::<JsonDecimal>(json).ok().map(|j| j.0);
            let want = (!d.is_empty()).then(|| dec(d));
            assert_eq!(got, want, "{json}");
        }
        assert!(serde_json::from_str::<JsonDecimal>("null").is_err());
        assert!(serde_json::from_str::<JsonDecimal>("true").is_err());
    }

    #[test]
    fn loose_strings_take_any_scalar() {
        for (json, s) in [
            ("\"3002\"", "3002"),
            ("3002", "3002"),
            ("1.5", "1.5"),
            ("true", "true"),
            ("\"\"", ""),
        ] {
            let got = serde_json::from_str::<LooseString>(json).map(|l| l.0);
            assert_eq!(got.ok().as_deref(), Some(s), "{json}");
        }
        assert!(serde_json::from_str::<LooseString>("[1]").is_err());
        assert_eq!(LooseString(" x ".into()).non_empty(), Some("x"));
        assert_eq!(LooseString("  ".into()).non_empty(), None);
        assert_eq!(
            serde_json::to_string(&LooseString("a".into()))
                .ok()
                .as_deref(),
            Some("\"a\"")
        );
    }
}
