//! Parsing of text cells into the types rules need. Columns are read as text
//! and parsed only where a rule needs a type, so identifiers such as `007` or
//! `131052-308T` are never retyped on the way in.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// Parses a date or date-time as exports write them and returns the date part:
/// ISO 8601 (`2024-03-01`, `2024-03-01T12:30:00Z`, `2024-03-01 12:30`) and
/// Finnish `d.m.yyyy` with an optional time (`1.3.2024 12:30`, `1.3.2024 klo 12.30`).
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    parse_datetime(raw).map(|dt| dt.date())
}

/// Like [`parse_date`] but keeps the time of day (midnight when none is given).
pub fn parse_datetime(raw: &str) -> Option<NaiveDateTime> {
    let s = trim_cell(raw);
    if s.is_empty() {
        return None;
    }
    if let Some(date) = plain_date(s.as_bytes()) {
        return Some(date.and_time(NaiveTime::MIN));
    }
    let (date_part, time_part) = split_date_time(s);
    let date = if date_part.contains('-') {
        parse_iso_date(date_part)?
    } else if date_part.contains('.') {
        parse_finnish_date(date_part)?
    } else {
        return None;
    };
    let time = match time_part {
        None => NaiveTime::MIN,
        Some(t) => parse_time(t)?,
    };
    Some(date.and_time(time))
}

/// The common cell that is only a date, `2024-03-01` or `1.3.2024`, parsed
/// byte by byte (this runs on every date cell of every row). Anything else,
/// and any date that does not exist, is left to the general parser.
fn plain_date(b: &[u8]) -> Option<NaiveDate> {
    let number = |digits: &[u8]| {
        digits.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let (year, month, day) = match b.len() {
        10 if b[4] == b'-' && b[7] == b'-' => (&b[..4], &b[5..7], &b[8..]),
        8..=10 => {
            let first = b.iter().position(|&c| c == b'.')?;
            let second = first + 1 + b[first + 1..].iter().position(|&c| c == b'.')?;
            let (day, month, year) = (&b[..first], &b[first + 1..second], &b[second + 1..]);
            if !(1..=2).contains(&day.len()) || !(1..=2).contains(&month.len()) || year.len() != 4 {
                return None;
            }
            (year, month, day)
        }
        _ => return None,
    };
    NaiveDate::from_ymd_opt(number(year)? as i32, number(month)?, number(day)?)
}

fn split_date_time(s: &str) -> (&str, Option<&str>) {
    if let Some((d, t)) = s.split_once('T') {
        return (d, Some(t));
    }
    match s.split_once(' ') {
        Some((d, t)) => {
            let t = t.trim();
            let t = t.strip_prefix("klo").map(str::trim).unwrap_or(t);
            (d, Some(t))
        }
        None => (s, None),
    }
}

fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '-');
    let year = parse_digits(parts.next()?, 4, 4)?;
    let month = parse_digits(parts.next()?, 1, 2)?;
    let day = parse_digits(parts.next()?, 1, 2)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn parse_finnish_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '.');
    let day = parse_digits(parts.next()?, 1, 2)?;
    let month = parse_digits(parts.next()?, 1, 2)?;
    let year = parse_digits(parts.next()?, 4, 4)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `HH:MM`, `HH:MM:SS`, `HH.MM`, with optional fraction and zone suffix (`Z`, `+02:00`),
/// which is ignored: an audit works in whole days.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let end = s.find(['Z', '+', '-']).unwrap_or(s.len());
    let clock = &s[..end];
    let clock = clock.split('.').collect::<Vec<_>>();
    // `12.30` (Finnish) vs `12:30:00.123` (ISO fraction).
    let (main, _fraction) = if clock.len() == 2 && !clock[0].contains(':') {
        (format!("{}:{}", clock[0], clock[1]), None)
    } else {
        (clock[0].to_string(), clock.get(1).copied())
    };
    let mut fields = main.split(':');
    let hour = parse_digits(fields.next()?, 1, 2)?;
    let minute = parse_digits(fields.next()?, 2, 2)?;
    let second = match fields.next() {
        Some(sec) => parse_digits(sec, 2, 2)?,
        None => 0,
    };
    if fields.next().is_some() {
        return None;
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

fn parse_digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Yes and no as exports write them, as value keys (`text::value_key`: lower
/// case, accents folded, punctuation dropped, so `KYLLÄ`, `Yes.` and `x` read).
pub const TRUE_WORDS: [&str; 12] = [
    "true", "t", "yes", "y", "kylla", "k", "x", "1", "on", "ja", "sant", "checked",
];
const FALSE_WORDS: [&str; 11] = [
    "false",
    "f",
    "no",
    "n",
    "ei",
    "e",
    "0",
    "off",
    "nej",
    "falskt",
    "unchecked",
];

/// Parses the booleans exports use: true/false, yes/no, kyllä/ei, ja/nej, k/e,
/// x/empty, 1/0. An empty cell (or a lone `-`) is `Some(false)` (x/empty
/// convention); unknown words are `None`.
pub fn parse_bool(raw: &str) -> Option<bool> {
    crate::text::with_value_key(raw, |key| {
        if key.is_empty() {
            Some(false)
        } else if TRUE_WORDS.contains(&key) {
            Some(true)
        } else if FALSE_WORDS.contains(&key) {
            Some(false)
        } else {
            None
        }
    })
}

/// `str::trim` with a fast path for the common cell that has nothing to trim
/// (it runs on every cell read).
pub fn trim_cell(s: &str) -> &str {
    let bytes = s.as_bytes();
    let plain = |b: u8| b.is_ascii() && !b.is_ascii_whitespace();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) if plain(first) && plain(last) => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

/// A number as a spreadsheet or CSV export shows it: whole numbers without
/// `.0` (`100`, not `100.0`), others in the shortest form that reads back.
pub fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        x.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn iso_and_finnish_dates_parse() {
        assert_eq!(parse_date("2024-03-01"), Some(d(2024, 3, 1)));
        assert_eq!(parse_date("2024-03-01T12:30:00Z"), Some(d(2024, 3, 1)));
        assert_eq!(
            parse_date("2024-03-01T12:30:00.250+02:00"),
            Some(d(2024, 3, 1))
        );
        assert_eq!(parse_date("2024-03-01 12:30"), Some(d(2024, 3, 1)));
        assert_eq!(parse_date("1.3.2024"), Some(d(2024, 3, 1)));
        assert_eq!(parse_date("01.03.2024 12:30"), Some(d(2024, 3, 1)));
        assert_eq!(parse_date("1.3.2024 klo 12.30"), Some(d(2024, 3, 1)));
        assert_eq!(parse_date(" 29.2.2024 "), Some(d(2024, 2, 29)));
    }

    #[test]
    fn impossible_or_foreign_dates_fail() {
        for bad in [
            "31.2.2024",
            "2024-13-01",
            "29.2.2023",
            "2024/03/01",
            "1.3.24",
            "tomorrow",
            "2024-03-01 25:00",
            "",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_fast_date_path_agrees_with_the_general_parser() {
        let general = |s: &str| {
            let (date, _) = split_date_time(s);
            if date.contains('-') {
                parse_iso_date(date)
            } else {
                parse_finnish_date(date)
            }
        };
        for s in [
            "2024-03-01",
            "1.3.2024",
            "01.03.2024",
            "31.12.1999",
            "29.2.2024",
            "29.2.2023",
            "2024-02-30",
            "2024-1-01",
            "1.13.2024",
            "123.1.2024",
            "1..2024",
            "a.b.cdef",
            "2024-0a-01",
            "0.0.2024",
            "2024-00-10",
        ] {
            if let Some(fast) = plain_date(s.as_bytes()) {
                assert_eq!(Some(fast), general(s), "{s}");
            }
            assert_eq!(parse_date(s), general(s), "{s}");
        }
    }

    #[test]
    fn booleans_in_finnish_and_english() {
        for yes in ["true", "Yes", "kyllä", "KYLLÄ", "Kyllä", "K", "x", "1"] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["false", "no", "ei", "e", "", "0"] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        assert_eq!(parse_bool("maybe"), None);
    }
}
