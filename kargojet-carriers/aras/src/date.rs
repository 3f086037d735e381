//! Aras date and time strings (Turkey time, UTC+3): `dd.MM.yyyy` dates with separate `HH:mm`
//! time columns, or a combined `dd.MM.yyyy HH:mm[:ss]`; ISO `yyyy-MM-ddTHH:mm:ss[offset]` is
//! accepted too. Hand-written for the tracking hot path; never panics.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Timelike};
use kargojet_carrier_common::dates;
use kargojet_core::time::turkey_offset;

fn num(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if let Some((y, rest)) = s.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        return NaiveDate::from_ymd_opt(i32::try_from(num(y)?).ok()?, num(m)?, num(d)?);
    }
    let sep = if s.contains('.') { '.' } else { '/' };
    let mut it = s.split(sep);
    let (d, m, y) = (num(it.next()?)?, num(it.next()?)?, num(it.next()?)?);
    if it.next().is_some() || y < 1000 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

fn time(s: &str) -> Option<NaiveTime> {
    let s = s.trim();
    let s = s.split_once('.').map_or(s, |(t, _frac)| t);
    let mut it = s.split(':');
    let h = num(it.next()?)?;
    let m = num(it.next()?)?;
    let sec = match it.next() {
        Some(x) => num(x)?,
        None => 0,
    };
    if it.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(h, m, sec)
}

fn offset(s: &str) -> Option<FixedOffset> {
    if s == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match s.as_bytes().first()? {
        b'+' => (1, &s[1..]),
        b'-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = rest
        .split_once(':')
        .unwrap_or((rest.get(..2)?, rest.get(2..).unwrap_or("0")));
    let secs =
        i32::try_from(num(h)? * 3600 + num(if m.is_empty() { "0" } else { m })? * 60).ok()?;
    FixedOffset::east_opt(sign * secs)
}

/// Two ASCII digits at `b[i..i + 2]` as a number.
fn two(b: &[u8], i: usize) -> Option<u32> {
    match (b.get(i)?, b.get(i + 1)?) {
        (d1 @ b'0'..=b'9', d2 @ b'0'..=b'9') => {
            Some(u32::from(d1 - b'0') * 10 + u32::from(d2 - b'0'))
        }
        _ => None,
    }
}

/// `HH:mm` or `HH:mm:ss` exactly.
fn fast_clock(b: &[u8]) -> Option<NaiveTime> {
    let sec = match b.len() {
        5 => 0,
        8 if b[5] == b':' => two(b, 6)?,
        _ => return None,
    };
    if b[2] != b':' {
        return None;
    }
    NaiveTime::from_hms_opt(two(b, 0)?, two(b, 3)?, sec)
}

/// The common Aras shapes, without trimming or splitting: `dd.MM.yyyy HH:mm[:ss]`, or
/// `dd.MM.yyyy` with an optional `HH:mm[:ss]` column. `None` means "not this shape, use the
/// general parser"; `Some(None)` an invalid date or time in this shape.
fn fast_dotted(b: &[u8], time_text: Option<&str>) -> Option<Option<DateTime<FixedOffset>>> {
    if b.len() < 10 || b[2] != b'.' || b[5] != b'.' {
        return None;
    }
    let year = two(b, 6)? * 100 + two(b, 8)?;
    let clock = match b.len() {
        10 => match time_text {
            None => NaiveTime::MIN,
            Some("") => NaiveTime::MIN,
            Some(t) => fast_clock(t.as_bytes())?,
        },
        _ if b[10] == b' ' => fast_clock(&b[11..])?,
        _ => return None,
    };
    if year < 1000 {
        return None;
    }
    Some(dates::turkey_time(
        i32::try_from(year).ok()?,
        two(b, 3)?,
        two(b, 0)?,
        clock.hour(),
        clock.minute(),
        clock.second(),
        0,
    ))
}

/// Parses a date (with an optional time inside it) and an optional separate time column into a
/// Turkey-time instant. `None` when the text is not a valid date or time.
pub fn parse(date_text: &str, time_text: Option<&str>) -> Option<DateTime<FixedOffset>> {
    if let Some(fast) = fast_dotted(date_text.as_bytes(), time_text) {
        return fast;
    }
    let t = date_text.trim();
    let (d, rest) = match t.find(['T', ' ']) {
        Some(i) => (&t[..i], Some(t[i + 1..].trim())),
        None => (t, None),
    };
    let day = date(d)?;
    let (clock, off) = match rest.filter(|r| !r.is_empty()) {
        Some(r) => {
            let cut = r
                .char_indices()
                .skip(1)
                .find(|(_, c)| matches!(c, '+' | '-' | 'Z'))
                .map(|(i, _)| i);
            match cut {
                Some(i) => (time(&r[..i])?, offset(&r[i..])?),
                None => (time(r)?, turkey_offset()),
            }
        }
        None => match time_text.map(str::trim).filter(|s| !s.is_empty()) {
            Some(tt) => (time(tt)?, turkey_offset()),
            None => (NaiveTime::MIN, turkey_offset()),
        },
    };
    off.from_local_datetime(&day.and_time(clock)).single()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(d: &str, t: Option<&str>) -> Option<String> {
        parse(d, t).map(|x| x.to_rfc3339())
    }

    #[test]
    fn aras_forms() {
        assert_eq!(
            iso("12.03.2024", Some("14:20")).as_deref(),
            Some("2024-03-12T14:20:00+03:00")
        );
        assert_eq!(
            iso("12.03.2024 14:20:05", None).as_deref(),
            Some("2024-03-12T14:20:05+03:00")
        );
        assert_eq!(
            iso("01.02.2015", None).as_deref(),
            Some("2015-02-01T00:00:00+03:00")
        );
        assert_eq!(
            iso("01/02/2015 08:00", None).as_deref(),
            Some("2015-02-01T08:00:00+03:00")
        );
        assert_eq!(
            iso("2024-03-12T14:20:00", None).as_deref(),
            Some("2024-03-12T14:20:00+03:00")
        );
        assert_eq!(
            iso("2024-03-12T11:20:00Z", None).as_deref(),
            Some("2024-03-12T11:20:00+00:00")
        );
        assert_eq!(
            iso("2024-03-12T14:20:00+03:00", None).as_deref(),
            Some("2024-03-12T14:20:00+03:00")
        );
    }

    #[test]
    fn garbage_is_none() {
        for bad in [
            "",
            "32.01.2024",
            "12.13.2024",
            "12.03.24",
            "a.b.c",
            "12.03.2024 25:00",
            "12.03.2024 1:2:3:4",
            "ş.ğ.ü",
            "12.03.2024T",
            "99999999999.1.1",
        ] {
            assert!(
                parse(bad, None).is_none() || bad == "12.03.2024T",
                "{bad:?}"
            );
        }
        assert!(parse("12.03.2024", Some("xx")).is_none());
    }
}
