//! Validity times: UTCTime and GeneralizedTime, read as OpenSSL reads them.
//!
//! RFC 5280 §4.1.2.5 wants `YYMMDDHHMMSSZ` and `YYYYMMDDHHMMSSZ`; older
//! certificates also use UTCTime without seconds, time-zone offsets and
//! fractional seconds. Those are accepted and noted.

use crate::der::tlv::{Tlv, tag};
use crate::findings::{Notes, Quirk};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Reads `notBefore`/`notAfter` (`which`) from its element.
pub(crate) fn parse(
    tlv: &Tlv<'_>,
    which: &str,
    notes: &mut Notes,
) -> Result<DateTime<Utc>, String> {
    let text = std::str::from_utf8(tlv.value)
        .ok()
        .filter(|s| s.is_ascii())
        .ok_or_else(|| format!("{which} is not an ASCII time"))?;
    let bad = || format!("{which} \"{}\" is not a valid time", text.escape_default());
    let (utc, digits_year) = match tlv.tag {
        tag::UTC_TIME => (true, 2),
        tag::GENERALIZED_TIME => (false, 4),
        t => {
            return Err(format!(
                "{which} is neither UTCTime nor GeneralizedTime (tag 0x{t:02x})"
            ));
        }
    };
    let b = text.as_bytes();
    let mut pos = 0usize;
    let year = num(b, &mut pos, digits_year).ok_or_else(bad)?;
    let month = num(b, &mut pos, 2).ok_or_else(bad)?;
    let day = num(b, &mut pos, 2).ok_or_else(bad)?;
    let hour = num(b, &mut pos, 2).ok_or_else(bad)?;
    let minute = num(b, &mut pos, 2).ok_or_else(bad)?;
    let kind = if utc { "UTCTime" } else { "GeneralizedTime" };
    let second = match b.get(pos) {
        Some(c) if c.is_ascii_digit() => num(b, &mut pos, 2).ok_or_else(bad)?,
        _ => {
            notes.add(Quirk::TimeWithoutSeconds {
                which: which.to_string(),
                kind: kind.to_string(),
            });
            0
        }
    };
    let mut rest = b.get(pos..).unwrap_or_default();
    if let Some((&b'.' | &b',', frac)) = rest.split_first() {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if utc || digits == 0 {
            return Err(bad());
        }
        notes.add(Quirk::FractionalSeconds {
            which: which.to_string(),
        });
        rest = frac.get(digits..).unwrap_or_default();
    }
    let offset_minutes: i64 = match rest {
        b"Z" => 0,
        [] => {
            notes.add(Quirk::NoTimeZone {
                which: which.to_string(),
            });
            0
        }
        [sign @ (b'+' | b'-'), hh @ ..] if hh.len() == 4 && hh.iter().all(u8::is_ascii_digit) => {
            let v = |i: usize| i64::from(hh.get(i).map_or(0, |d| d - b'0'));
            let minutes = (v(0) * 10 + v(1)) * 60 + v(2) * 10 + v(3);
            notes.add(Quirk::TimeZoneOffset {
                which: which.to_string(),
                offset: String::from_utf8_lossy(rest).to_string(),
            });
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return Err(bad()),
    };
    let full_year = if utc {
        // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY, else 20YY.
        if year >= 50 { 1900 + year } else { 2000 + year }
    } else {
        year
    };
    let year_i32 = i32::try_from(full_year).map_err(|_| bad())?;
    let naive = NaiveDate::from_ymd_opt(year_i32, month, day)
        .and_then(|d| d.and_hms_opt(hour, minute, second))
        .ok_or_else(bad)?;
    // GeneralizedTime before 2050 breaks RFC 5280 §4.1.2.5 but is common in
    // trusted roots and harmless: read without a note, as strict parsers do.
    // The local time minus its offset is UTC.
    Ok(naive.and_utc() - Duration::minutes(offset_minutes))
}

/// Reads `n` decimal digits at `*pos`, advancing it.
fn num(b: &[u8], pos: &mut usize, n: usize) -> Option<u32> {
    let s = b.get(*pos..pos.checked_add(n)?)?;
    if !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *pos += n;
    Some(s.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(tag_: u8, s: &str) -> (Result<DateTime<Utc>, String>, Vec<String>) {
        let raw = [&[tag_, s.len() as u8][..], s.as_bytes()].concat();
        let (tlv, _) = super::super::tlv::split_tlv(&raw).unwrap();
        let mut notes = Notes::default();
        let r = parse(&tlv, "notAfter", &mut notes);
        (
            r,
            notes.into_vec().iter().map(ToString::to_string).collect(),
        )
    }

    #[test]
    fn utctime_and_generalized_time_are_read() {
        let (r, n) = t(tag::UTC_TIME, "491231235959Z");
        assert_eq!(r.unwrap().to_rfc3339(), "2049-12-31T23:59:59+00:00");
        assert!(n.is_empty());
        let (r, _) = t(tag::UTC_TIME, "500101000000Z");
        assert_eq!(r.unwrap().to_rfc3339(), "1950-01-01T00:00:00+00:00");
        let (r, n) = t(tag::GENERALIZED_TIME, "20500101000000Z");
        assert_eq!(r.unwrap().to_rfc3339(), "2050-01-01T00:00:00+00:00");
        assert!(n.is_empty());
    }

    #[test]
    fn legacy_forms_are_noted() {
        let (r, n) = t(tag::UTC_TIME, "9601010000Z");
        assert_eq!(r.unwrap().to_rfc3339(), "1996-01-01T00:00:00+00:00");
        assert!(n[0].contains("without seconds"), "{n:?}");
        let (r, n) = t(tag::UTC_TIME, "960101120000+0200");
        assert_eq!(r.unwrap().to_rfc3339(), "1996-01-01T10:00:00+00:00");
        assert!(n[0].contains("offset +0200"), "{n:?}");
        let (r, n) = t(tag::GENERALIZED_TIME, "20300101000000.123Z");
        assert_eq!(r.unwrap().to_rfc3339(), "2030-01-01T00:00:00+00:00");
        assert_eq!(n.len(), 1, "{n:?}");
    }

    #[test]
    fn nonsense_is_an_error() {
        assert!(t(tag::UTC_TIME, "991332000000Z").0.is_err());
        assert!(t(tag::UTC_TIME, "99010100000aZ").0.is_err());
        assert!(t(tag::UTC_TIME, "990101000060Z").0.is_err());
        assert!(t(tag::OCTET_STRING, "990101000000Z").0.is_err());
    }
}
