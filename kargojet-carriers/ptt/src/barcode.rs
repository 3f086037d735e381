//! PTT barcodes (`barkodNo`): 13 digits drawn from a range PTT allocates to the customer, the
//! last digit a check digit. The notes leave the algorithm open; the EAN-13 mod-10 check digit
//! (weights 1,3,1,3… from the left) reproduces both documented barcodes (`2791727900008`,
//! `2791727900015`), so it is used here (an assumption, see the README).
//!
//! The connector draws barcodes through [`BarcodeAllocator`] and never reuses one: the
//! in-memory allocator hands out each serial once and can be seeded with the last number used
//! (kept by the caller across restarts) or continue after the barcodes already issued.

use kargojet_core::{Code, Error};
use std::sync::Mutex;

/// Length of a PTT barcode, check digit included.
pub const LEN: usize = 13;

/// The check digit of a 12-digit serial (EAN-13 mod 10).
pub fn check_digit(serial: u64) -> u8 {
    let digits = format!("{serial:012}");
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// The full 13-digit barcode for a serial (`None` if the serial has more than 12 digits).
pub fn barcode(serial: u64) -> Option<String> {
    (serial <= 999_999_999_999).then(|| format!("{serial:012}{}", check_digit(serial)))
}

/// True for 13 ASCII digits with a correct check digit.
pub fn is_valid(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != LEN || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let serial: u64 = code[..12].parse().unwrap_or(u64::MAX);
    barcode(serial).is_some_and(|full| full == code)
}

/// The 12-digit serial of a valid barcode.
pub fn serial_of(code: &str) -> Option<u64> {
    if is_valid(code) {
        code[..12].parse().ok()
    } else {
        None
    }
}

/// A range of serials PTT allocated (12 digits, without the check digit), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarcodeRange {
    /// First serial.
    pub first: u64,
    /// Last serial.
    pub last: u64,
}

impl BarcodeRange {
    /// A range from its first and last barcodes as PTT writes them (13 digits each).
    pub fn from_barcodes(first: &str, last: &str) -> Result<BarcodeRange, Error> {
        let f = serial_of(first).ok_or_else(|| bad_range("barcode_range.first", first))?;
        let l = serial_of(last).ok_or_else(|| bad_range("barcode_range.last", last))?;
        if f > l {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "barcode_range",
                format!("{first} is after {last}"),
            ));
        }
        Ok(BarcodeRange { first: f, last: l })
    }

    /// Whether a barcode lies in the range.
    pub fn contains(&self, code: &str) -> bool {
        serial_of(code).is_some_and(|s| (self.first..=self.last).contains(&s))
    }
}

fn bad_range(field: &str, value: &str) -> Error {
    Error::invalid(
        Code::RequestInvalidConfig,
        field,
        format!("'{value}' is not a 13-digit PTT barcode with a valid check digit"),
    )
}

/// Hands out barcodes from the allocated range, each at most once.
pub trait BarcodeAllocator: Send + Sync + std::fmt::Debug {
    /// The next unused barcode, or `request.invalid_config` when the range is exhausted.
    fn next(&self) -> Result<String, Error>;
}

/// An in-memory allocator: counts up through the range.
#[derive(Debug)]
pub struct InMemoryBarcodeAllocator {
    range: BarcodeRange,
    next: Mutex<u64>,
}

impl InMemoryBarcodeAllocator {
    /// Starts at the first serial of the range.
    pub fn new(range: BarcodeRange) -> Self {
        InMemoryBarcodeAllocator {
            range,
            next: Mutex::new(range.first),
        }
    }

    /// Continues after `last_used` (a barcode handed out before, e.g. loaded from a store).
    pub fn seeded(range: BarcodeRange, last_used: &str) -> Result<Self, Error> {
        if !range.contains(last_used) {
            return Err(bad_range("barcode_range.last_used", last_used));
        }
        let s =
            serial_of(last_used).ok_or_else(|| bad_range("barcode_range.last_used", last_used))?;
        Ok(InMemoryBarcodeAllocator {
            range,
            next: Mutex::new(s + 1),
        })
    }

    /// Continues after the highest barcode of the range among `issued` (barcodes handed out
    /// before, e.g. what the carrier already holds; others are ignored), or starts at the
    /// first serial when none is in the range. No barcode of `issued` is handed out again,
    /// nor one below the highest of them.
    pub fn after_issued<'a>(
        range: BarcodeRange,
        issued: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let next = issued
            .into_iter()
            .filter(|code| range.contains(code))
            .filter_map(serial_of)
            .max()
            .map_or(range.first, |last| last + 1);
        InMemoryBarcodeAllocator {
            range,
            next: Mutex::new(next),
        }
    }
}

impl BarcodeAllocator for InMemoryBarcodeAllocator {
    fn next(&self) -> Result<String, Error> {
        let mut next = self.next.lock().unwrap_or_else(|p| p.into_inner());
        if *next > self.range.last {
            return Err(Error::invalid(
                Code::RequestInvalidConfig,
                "barcode_range",
                format!(
                    "the PTT barcode range ending {} is used up; ask PTT for a new range",
                    self.range.last
                ),
            ));
        }
        let code = barcode(*next).ok_or_else(|| Error::internal("barcode serial overflow"))?;
        *next += 1;
        Ok(code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_reproduces_the_documented_barcodes() {
        assert_eq!(barcode(279_172_790_000).as_deref(), Some("2791727900008"));
        assert_eq!(barcode(279_172_790_001).as_deref(), Some("2791727900015"));
        assert!(is_valid("2791727900015"));
        for bad in [
            "2791727900016",
            "279172790001",
            "27917279000a5",
            "",
            "27917279000155",
        ] {
            assert!(!is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn allocator_never_reuses_and_stops_at_the_end() {
        let range = BarcodeRange::from_barcodes("2791727900008", "2791727900022").expect("range");
        let a = InMemoryBarcodeAllocator::new(range);
        let got: Vec<String> = (0..3).filter_map(|_| a.next().ok()).collect();
        assert_eq!(got, ["2791727900008", "2791727900015", "2791727900022"]);
        assert_eq!(
            a.next().err().map(|e| e.code()),
            Some(Code::RequestInvalidConfig)
        );
        let s = InMemoryBarcodeAllocator::seeded(range, "2791727900008").expect("seeded");
        assert_eq!(s.next().ok().as_deref(), Some("2791727900015"));
        assert!(InMemoryBarcodeAllocator::seeded(range, "2791727900039").is_err());
        // After what was issued: the highest in-range barcode counts, others are ignored.
        let after = InMemoryBarcodeAllocator::after_issued(
            range,
            [
                "2791727900015",
                "2791727900008",
                "2791727900039",
                "not-a-barcode",
            ],
        );
        assert_eq!(after.next().ok().as_deref(), Some("2791727900022"));
        assert!(after.next().is_err(), "the range is used up");
        let none = InMemoryBarcodeAllocator::after_issued(range, ["2791727900039"]);
        assert_eq!(none.next().ok().as_deref(), Some("2791727900008"));
        assert!(BarcodeRange::from_barcodes("2791727900015", "2791727900008").is_err());
    }
}
