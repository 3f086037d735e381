//! Carrier date/time strings → `DateTime<FixedOffset>`. Every carrier writes Turkey time; a
//! string without an offset is read as UTC+03:00, one with an offset keeps it.
//!
//! ```
//! use kargojet_carrier_common::dates::{parse_tr, yurtici, ptt, FMT_DOT_DMY_HMS};
//!
//! let t = parse_tr("05.01.2026 14:30:00", &[FMT_DOT_DMY_HMS]).expect("valid");
//! assert_eq!(t.to_rfc3339(), "2026-01-05T14:30:00+03:00");
//! assert_eq!(yurtici("20110711", "082304").map(|t| t.to_rfc3339()).as_deref(), Some("2011-07-11T08:23:04+03:00"));
//! assert_eq!(ptt("11/07/2011", "08:23:04"), yurtici("20110711", "082304"));
//! // ISO 8601 with an offset keeps its offset.
//! assert_eq!(parse_tr("2026-01-05T11:30:00Z", &[]).map(|t| t.to_rfc3339()).as_deref(), Some("2026-01-05T11:30:00+00:00"));
//! ```

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use kargojet_core::time::turkey_offset;

/// `dd.MM.yyyy HH:mm:ss` (Sürat, Aras, MNG).
pub const FMT_DOT_DMY_HMS: &str = "%d.%m.%Y %H:%M:%S";
/// `dd.MM.yyyy HH:mm` .
pub const FMT_DOT_DMY_HM: &str = "%d.%m.%Y %H:%M";
/// `dd.MM.yyyy` (Aras).
pub const FMT_DOT_DMY: &str = "%d.%m.%Y";
/// `dd/MM/yyyy HH:mm:ss` (Sendeo).
pub const FMT_SLASH_DMY_HMS: &str = "%d/%m/%Y %H:%M:%S";
/// `dd/MM/yyyy` (PTT, Aras GetDispatch).
pub const FMT_SLASH_DMY: &str = "%d/%m/%Y";
/// `dd-MM-yyyy HH:mm` (MNG `jwtExpireDate`).
pub const FMT_DASH_DMY_HM: &str = "%d-%m-%Y %H:%M";
/// `dd-MM-yyyy HH:mm:ss`.
pub const FMT_DASH_DMY_HMS: &str = "%d-%m-%Y %H:%M:%S";
/// `yyyyMMddHHmmss` (Yurtiçi date and time joined).
pub const FMT_COMPACT: &str = "%Y%m%d%H%M%S";
/// `yyyyMMdd` (Yurtiçi).
pub const FMT_COMPACT_DATE: &str = "%Y%m%d";
/// `yyyy-MM-ddTHH:mm:ss` with optional fraction, no offset (Sürat `IslemTarihi`).
pub const FMT_ISO_LOCAL: &str = "%Y-%m-%dT%H:%M:%S%.f";
/// `yyyy-MM-dd HH:mm:ss` with optional fraction.
pub const FMT_ISO_LOCAL_SPACE: &str = "%Y-%m-%d %H:%M:%S%.f";
/// `yyyy-MM-dd` (HepsiJET `deliveryDateOriginal`).
pub const FMT_ISO_DATE: &str = "%Y-%m-%d";

/// Turkey time, UTC+03:00 all year (no daylight saving since 2016).
pub const TURKEY: FixedOffset = match FixedOffset::east_opt(3 * 3600) {
    Some(o) => o,
    None => panic!("UTC+3 is a valid offset"),
};

/// The instant of a Turkey-time wall clock reading, straight from its fields (the tracking hot
/// path: no format parsing, no offset lookup). `None` for an impossible date or time.
#[inline]
pub fn turkey_time(
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nano: u32,
) -> Option<DateTime<FixedOffset>> {
    let local =
        NaiveDate::from_ymd_opt(year, month, day)?.and_hms_nano_opt(hour, minute, second, nano)?;
    Some(DateTime::from_naive_utc_and_offset(
        local.checked_sub_offset(TURKEY)?,
        TURKEY,
    ))
}

/// `n` ASCII digits of `b` at `at` as a number (`None` when any is not a digit or `b` is too
/// short). For fixed-format timestamps.
#[inline]
pub fn digits_at(b: &[u8], at: usize, n: usize) -> Option<u32> {
    digits(b, at, n)
}

/// Every format above, tried in this order by [`parse_any`].
pub const ALL_FORMATS: &[&str] = &[
    FMT_DOT_DMY_HMS,
    FMT_DOT_DMY_HM,
    FMT_SLASH_DMY_HMS,
    FMT_DASH_DMY_HMS,
    FMT_DASH_DMY_HM,
    FMT_ISO_LOCAL,
    FMT_ISO_LOCAL_SPACE,
    FMT_COMPACT,
    FMT_DOT_DMY,
    FMT_SLASH_DMY,
    FMT_ISO_DATE,
    FMT_COMPACT_DATE,
];

/// Parses `s`: first as ISO 8601 / RFC 3339 with an offset, then with each chrono `formats`
/// entry in order (a format without a time part gives midnight), read as Turkey time.
/// Surrounding whitespace is ignored. `None` when nothing matches or the date is impossible.
pub fn parse_tr(s: &str, formats: &[&str]) -> Option<DateTime<FixedOffset>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    match fast_iso(s) {
        Some((_, Some(offset_dt))) => return plausible(offset_dt),
        Some((_, None)) => {}
        None => {
            if let Some(t) = iso_with_offset(s) {
                return plausible(t);
            }
        }
    }
    formats
        .iter()
        .find_map(|f| parse_local(s, f))
        .and_then(in_turkey)
        .and_then(plausible)
}

/// Parses `YYYY-MM-DD[T| ]HH:MM[:SS[.fff]][Z|±HH[:]MM]` by position, without chrono's format
/// machinery (the tracking hot path). Returns the local time and, when an offset is written,
/// the time with that offset. `None` for anything else (chrono then gets its chance).
fn fast_iso(s: &str) -> Option<(NaiveDateTime, Option<DateTime<FixedOffset>>)> {
    let b = s.as_bytes();
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b' ')
        || b[13] != b':'
    {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let mut i = 16;
    let mut second = 0;
    let mut nanos = 0u32;
    if b.get(i) == Some(&b':') {
        second = digits(b, i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let frac_start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            let frac = s.get(frac_start..i)?;
            if frac.is_empty() {
                return None;
            }
            let padded: String = frac.chars().chain(std::iter::repeat('0')).take(9).collect();
            nanos = padded.parse().ok()?;
        }
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let local = date.and_time(NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?);
    let offset = match &b[i..] {
        [] => return Some((local, None)),
        [b'Z'] | [b'z'] => FixedOffset::east_opt(0)?,
        [sign @ (b'+' | b'-'), rest @ ..] => {
            let (h, m) = match rest {
                [h1, h2] => (digits(&[*h1, *h2], 0, 2)?, 0),
                [h1, h2, b':', m1, m2] | [h1, h2, m1, m2] => {
                    (digits(&[*h1, *h2], 0, 2)?, digits(&[*m1, *m2], 0, 2)?)
                }
                _ => return None,
            };
            let secs = i32::try_from(h * 3600 + m * 60).ok()?;
            FixedOffset::east_opt(if *sign == b'-' { -secs } else { secs })?
        }
        _ => return None,
    };
    let with_offset = offset.from_local_datetime(&local).single()?;
    Some((local, Some(with_offset)))
}

/// `n` ASCII digits at `at` as a number.
#[inline]
fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let slice = b.get(at..at + n)?;
    slice.iter().try_fold(0u32, |acc, d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

/// Parses `s` with a format made only of `%d %m %Y %H %M %S %.f` and literal characters, by
/// hand (chrono re-parses the format string on every call). `None` when the format has other
/// specifiers; `Some(None)` when `s` does not match.
fn fast_format(s: &str, fmt: &str) -> Option<Option<NaiveDateTime>> {
    let f = fmt.as_bytes();
    let b = s.as_bytes();
    let (mut fi, mut si) = (0usize, 0usize);
    let (mut y, mut mo, mut d, mut h, mut mi, mut se, mut ns) =
        (None, None, None, 0u32, 0u32, 0u32, 0u32);
    // Up to `max` digits (at least one) from position `si`.
    let take = |si: &mut usize, max: usize| -> Option<u32> {
        let start = *si;
        while *si < b.len() && *si - start < max && b[*si].is_ascii_digit() {
            *si += 1;
        }
        if *si == start {
            return None;
        }
        digits(b, start, *si - start)
    };
    while fi < f.len() {
        if f[fi] == b'%' {
            let spec = f.get(fi + 1).copied()?;
            let ok = match spec {
                b'Y' => {
                    let start = si;
                    let v = take(&mut si, 4);
                    y = v.filter(|_| si - start == 4);
                    y.is_some()
                }
                b'm' => {
                    mo = take(&mut si, 2);
                    mo.is_some()
                }
                b'd' => {
                    d = take(&mut si, 2);
                    d.is_some()
                }
                b'H' => take(&mut si, 2).map(|v| h = v).is_some(),
                b'M' => take(&mut si, 2).map(|v| mi = v).is_some(),
                b'S' => take(&mut si, 2).map(|v| se = v).is_some(),
                b'.' if f.get(fi + 2) == Some(&b'f') => {
                    if b.get(si) == Some(&b'.') {
                        si += 1;
                        let start = si;
                        while si < b.len() && b[si].is_ascii_digit() {
                            si += 1;
                        }
                        let frac = s.get(start..si).unwrap_or("");
                        let padded: String =
                            frac.chars().chain(std::iter::repeat('0')).take(9).collect();
                        ns = padded.parse().unwrap_or(0);
                        !frac.is_empty()
                    } else {
                        true
                    }
                }
                _ => return None,
            };
            if !ok {
                return Some(None);
            }
            fi += if spec == b'.' { 3 } else { 2 };
        } else {
            if b.get(si) != Some(&f[fi]) {
                return Some(None);
            }
            fi += 1;
            si += 1;
        }
    }
    if si != b.len() {
        return Some(None);
    }
    let (Some(y), Some(mo), Some(d)) = (y, mo, d) else {
        return None;
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d);
    Some(
        date.and_then(|date| NaiveTime::from_hms_nano_opt(h, mi, se, ns).map(|t| date.and_time(t))),
    )
}

/// Rejects years no carrier writes (`09.03.26` read with `%Y` is year 26).
fn plausible(t: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    (1900..=2200).contains(&t.year()).then_some(t)
}

/// [`parse_tr`] with [`ALL_FORMATS`] (and .NET `/Date(ms+0300)/`).
pub fn parse_any(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_tr(s, ALL_FORMATS).or_else(|| dotnet_json(s))
}

/// ISO 8601 with or without an offset (no offset → Turkey time): HepsiJET, Kolay Gelsin,
/// Sendeo `DeliveryPlannedDate`, Sürat `IslemTarihi`.
pub fn iso(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_tr(s, &[FMT_ISO_LOCAL, FMT_ISO_LOCAL_SPACE, FMT_ISO_DATE])
}

/// Yurtiçi: `YYYYMMDD` date and `HHMMSS` time (a 5-digit time lost its leading zero; an
/// empty time is midnight).
pub fn yurtici(date: &str, time: &str) -> Option<DateTime<FixedOffset>> {
    let date = date.trim();
    let time = time.trim();
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if !time.bytes().all(|b| b.is_ascii_digit()) || time.len() > 6 {
        return None;
    }
    let time = if time.is_empty() {
        "000000".to_string()
    } else {
        format!("{time:0>6}")
    };
    parse_tr(&format!("{date}{time}"), &[FMT_COMPACT])
}

/// Aras: `dd.MM.yyyy` date with an optional separate `HH:mm[:ss]` time column.
pub fn aras(date: &str, time: Option<&str>) -> Option<DateTime<FixedOffset>> {
    match time.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => parse_tr(
            &format!("{} {t}", date.trim()),
            &[FMT_DOT_DMY_HMS, FMT_DOT_DMY_HM],
        ),
        None => parse_tr(date, &[FMT_DOT_DMY_HMS, FMT_DOT_DMY_HM, FMT_DOT_DMY]),
    }
}

/// PTT: `dd/MM/yyyy` date (`ITARIH`) and `HH:mm:ss` time (`ISAAT`).
pub fn ptt(date: &str, time: &str) -> Option<DateTime<FixedOffset>> {
    let time = time.trim();
    if time.is_empty() {
        return parse_tr(date, &[FMT_SLASH_DMY]);
    }
    parse_tr(
        &format!("{} {time}", date.trim()),
        &[FMT_SLASH_DMY_HMS, "%d/%m/%Y %H:%M"],
    )
}

/// Sendeo: `dd/MM/yyyy HH:mm:ss` or ISO 8601.
pub fn sendeo(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_tr(s, &[FMT_SLASH_DMY_HMS, FMT_ISO_LOCAL, FMT_SLASH_DMY])
}

/// Sürat: `dd.MM.yyyy HH:mm:ss` or ISO 8601 (`yyyy-MM-ddTHH:mm:ss.fff`).
pub fn surat(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_tr(s, &[FMT_DOT_DMY_HMS, FMT_ISO_LOCAL, FMT_DOT_DMY])
}

/// MNG: `dd-MM-yyyy HH:mm` or `dd.MM.yyyy HH:mm:ss` (e.g. `jwtExpireDate`), or ISO 8601.
pub fn mng(s: &str) -> Option<DateTime<FixedOffset>> {
    parse_tr(
        s,
        &[
            FMT_DASH_DMY_HM,
            FMT_DASH_DMY_HMS,
            FMT_DOT_DMY_HMS,
            FMT_DOT_DMY_HM,
            FMT_ISO_LOCAL,
        ],
    )
}

/// .NET JSON dates as WCF writes them: `/Date(1325376000000)/` or `/Date(1325376000000+0300)/`.
pub fn dotnet_json(s: &str) -> Option<DateTime<FixedOffset>> {
    let inner = s.trim().strip_prefix("/Date(")?.strip_suffix(")/")?;
    let split = inner
        .char_indices()
        .skip(1)
        .find(|(_, c)| *c == '+' || *c == '-')
        .map(|(i, _)| i);
    let (ms, off) = match split {
        Some(i) => (&inner[..i], Some(&inner[i..])),
        None => (inner, None),
    };
    let ms: i64 = ms.parse().ok()?;
    let offset = match off {
        Some(o) if o.len() == 5 => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let h: i32 = o.get(1..3)?.parse().ok()?;
            let m: i32 = o.get(3..5)?.parse().ok()?;
            FixedOffset::east_opt(sign * (h * 3600 + m * 60))?
        }
        Some(_) => return None,
        None => turkey_offset(),
    };
    let utc = DateTime::from_timestamp_millis(ms)?;
    Some(utc.with_timezone(&offset))
}

fn iso_with_offset(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s)
        .ok()
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z").ok())
        .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%:z").ok())
}

fn parse_local(s: &str, fmt: &str) -> Option<NaiveDateTime> {
    if let Some(fast) = fast_format(s, fmt) {
        return fast;
    }
    NaiveDateTime::parse_from_str(s, fmt).ok().or_else(|| {
        NaiveDate::parse_from_str(s, fmt)
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    })
}

fn in_turkey(local: NaiveDateTime) -> Option<DateTime<FixedOffset>> {
    Some(DateTime::from_naive_utc_and_offset(
        local.checked_sub_offset(TURKEY)?,
        TURKEY,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rfc(t: Option<DateTime<FixedOffset>>) -> Option<String> {
        t.map(|t| t.to_rfc3339())
    }

    #[test]
    fn each_carrier_format_reads_as_turkey_time() {
        let want = Some("2026-03-09T08:05:04+03:00".to_string());
        assert_eq!(rfc(yurtici("20260309", "080504")), want);
        assert_eq!(rfc(yurtici("20260309", "80504")), want);
        assert_eq!(rfc(aras("09.03.2026", Some("08:05:04"))), want);
        assert_eq!(rfc(ptt("09/03/2026", "08:05:04")), want);
        assert_eq!(rfc(sendeo("09/03/2026 08:05:04")), want);
        assert_eq!(rfc(surat("09.03.2026 08:05:04")), want);
        assert_eq!(rfc(surat("2026-03-09T08:05:04.000")), want);
        assert_eq!(rfc(mng("09.03.2026 08:05:04")), want);
        assert_eq!(
            rfc(mng("09-03-2026 08:05")).as_deref(),
            Some("2026-03-09T08:05:00+03:00")
        );
        assert_eq!(rfc(iso("2026-03-09T08:05:04+03:00")), want);
        assert_eq!(
            rfc(iso("2026-03-09T05:05:04Z")).as_deref(),
            Some("2026-03-09T05:05:04+00:00")
        );
        assert_eq!(
            rfc(aras("09.03.2026", None)).as_deref(),
            Some("2026-03-09T00:00:00+03:00")
        );
        assert_eq!(rfc(parse_any(" 09/03/2026 08:05:04 ")), want);
        assert_eq!(rfc(dotnet_json("/Date(1773032704000+0300)/")), want);
        assert_eq!(rfc(dotnet_json("/Date(1773032704000)/")), want);
    }

    #[test]
    fn the_fast_paths_agree_with_chrono() {
        let samples = [
            "09.03.2026 08:05:04",
            "9.3.2026 8:05:04",
            "09/03/2026 08:05:04",
            "09-03-2026 08:05",
            "20260309080504",
            "2026-03-09T08:05:04",
            "2026-03-09T08:05:04.123",
            "2026-03-09 08:05:04.5",
            "09.03.2026",
            "2026-03-09",
            "20260309",
            "31.02.2026 10:00:00",
            "09.03.2026 08:05:04 x",
            "09.03.2026 25:00:00",
            "aa.bb.cccc",
        ];
        for s in samples {
            for f in ALL_FORMATS {
                let chrono = NaiveDateTime::parse_from_str(s, f).ok().or_else(|| {
                    NaiveDate::parse_from_str(s, f)
                        .ok()
                        .map(|d| d.and_time(NaiveTime::MIN))
                });
                assert_eq!(fast_format(s, f), Some(chrono), "{s} with {f}");
            }
        }
        for s in [
            "2026-03-09T08:05:04+03:00",
            "2026-03-09T05:05:04Z",
            "2026-03-09T08:05:04.250+0300",
            "2026-03-09T01:05:04-04:00",
            "2026-03-09T08:05:04+03",
        ] {
            let fast = fast_iso(s).and_then(|(_, t)| t);
            let chrono = iso_with_offset(s)
                .or_else(|| DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%#z").ok());
            assert_eq!(fast, chrono, "{s}");
            assert!(fast.is_some(), "{s}");
        }
    }

    #[test]
    fn turkey_time_is_chronos_local_reading() {
        for (y, mo, d, h, mi, s, ns) in [
            (2026, 3, 9, 8, 5, 4, 0),
            (2024, 2, 29, 23, 59, 59, 999_999_999),
            (2024, 1, 1, 0, 0, 0, 0),
            (1900, 1, 1, 2, 59, 59, 0),
        ] {
            let want = NaiveDate::from_ymd_opt(y, mo, d)
                .and_then(|date| date.and_hms_nano_opt(h, mi, s, ns))
                .and_then(|t| turkey_offset().from_local_datetime(&t).single());
            assert!(want.is_some());
            assert_eq!(turkey_time(y, mo, d, h, mi, s, ns), want);
        }
        assert_eq!(turkey_time(2026, 2, 30, 8, 0, 0, 0), None);
        assert_eq!(turkey_time(2026, 2, 3, 24, 0, 0, 0), None);
        assert_eq!(turkey_time(i32::MAX, 1, 1, 0, 0, 0, 0), None);
        assert_eq!(digits_at(b"x2026", 1, 4), Some(2026));
        assert_eq!(digits_at(b"x20a6", 1, 4), None);
        assert_eq!(digits_at(b"x20", 1, 4), None);
    }

    #[test]
    fn garbage_and_impossible_dates_are_none() {
        for s in [
            "",
            "   ",
            "31.02.2026 10:00:00",
            "2026-13-01",
            "abc",
            "09.03.26",
            "/Date(x)/",
        ] {
            assert_eq!(parse_any(s), None, "{s}");
        }
        assert_eq!(yurtici("2026030", "080504"), None);
        assert_eq!(yurtici("20260309", "0805041"), None);
        assert_eq!(yurtici("20260309", "25:00"), None);
        assert_eq!(ptt("09/03/2026", "99:00:00"), None);
    }
}
