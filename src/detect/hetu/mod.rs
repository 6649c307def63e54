//! Finnish personal identity code (henkilötunnus, HETU): `DDMMYYCZZZQ`.
//!
//! The century sign is part of the identity: `131052-308T` and `131052B308T`
//! share a checksum but are different people, so the sign is never stripped.

use chrono::{Datelike, NaiveDate};

/// Length of a code in bytes; every valid code is ASCII.
const LEN: usize = 11;
/// Control alphabet: digits and letters minus those easily misread (G, I, O, Q, Z).
const CONTROL: &[u8; 31] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";

/// Outcome of validating one candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HetuStatus {
    Valid,
    /// Individual number 900–999: valid, but issued as a temporary code.
    ValidTemporary,
    BadChecksum,
    BadDate,
    BadFormat,
    /// Individual number 000 or 001, never issued.
    BadIndividual,
}

impl HetuStatus {
    /// Valid or ValidTemporary.
    pub fn is_valid(self) -> bool {
        matches!(self, HetuStatus::Valid | HetuStatus::ValidTemporary)
    }

    /// Stable snake_case name for reports.
    pub fn as_str(self) -> &'static str {
        match self {
            HetuStatus::Valid => "valid",
            HetuStatus::ValidTemporary => "valid_temporary",
            HetuStatus::BadChecksum => "bad_checksum",
            HetuStatus::BadDate => "bad_date",
            HetuStatus::BadFormat => "bad_format",
            HetuStatus::BadIndividual => "bad_individual",
        }
    }
}

/// Sex as registered in the code (odd individual number = male). The register
/// value need not match the person's legal gender today, hence the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

/// A fully validated identity code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdentityCode {
    pub birth_date: NaiveDate,
    pub individual: u16,
    /// Century sign, upper case (`+`, `-`, `A`…`F`, `U`…`Y`).
    pub sign: u8,
    /// Control character, upper case.
    pub control: u8,
}

impl IdentityCode {
    /// Parses and fully validates; Err carries the failing status (never Valid/ValidTemporary). No allocation.
    /// Surrounding ASCII whitespace is ignored, lower-case letters are accepted.
    pub fn parse(s: &str) -> Result<IdentityCode, HetuStatus> {
        parse_bytes(s.trim_ascii().as_bytes())
    }

    pub fn is_temporary(&self) -> bool {
        self.individual >= 900
    }

    pub fn sex_as_registered(&self) -> Sex {
        if self.individual % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Age in whole years on `on` (birthday counted on the day). A 29 February
    /// birthday is reached on 1 March in common years. Negative before birth.
    pub fn age_on(&self, on: NaiveDate) -> i32 {
        age_on(self.birth_date, on)
    }
}

/// Age in whole years on `on` of a person born on `birth` (birthday counted on the day).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years - 1
    } else {
        years
    }
}

/// Status of a whole value (after trimming ASCII whitespace). No allocation.
pub fn validate(s: &str) -> HetuStatus {
    match IdentityCode::parse(s) {
        Ok(c) if c.is_temporary() => HetuStatus::ValidTemporary,
        Ok(_) => HetuStatus::Valid,
        Err(e) => e,
    }
}

/// Quick check used by content-based column detection.
/// Shape only (digits, century sign, control char position), no checksum or date.
pub fn looks_like_hetu(s: &str) -> bool {
    shape_ok(s.trim_ascii().as_bytes())
}

/// Control character for a DDMMYYZZZ number (used by generators/tests).
/// `ddmmyy` is the date as a number (e.g. 131052), `individual` is 0–999.
pub fn control_char(ddmmyy: u32, individual: u16) -> u8 {
    let n = u64::from(ddmmyy) * 1000 + u64::from(individual);
    CONTROL[(n % 31) as usize]
}

/// A candidate found in free text: byte range into the text and its status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextMatch {
    pub start: usize,
    pub end: usize,
    pub status: HetuStatus,
}

/// Finds identity-code-shaped candidates in free text: 6 digits, a century sign, 3 digits, one alphanumeric
/// control char, with word boundaries on both sides (non-ASCII letters such as `ä` count as alphanumeric),
/// case-insensitive. Every candidate is reported with its status, so callers can report valid codes and
/// near misses separately.
///
/// The scanner jumps between ASCII digit runs and only looks closer at runs of exactly six digits, so text
/// without such a run costs one pass over the bytes. No regex, no allocation besides the iterator.
pub fn find_in_text(text: &str) -> impl Iterator<Item = TextMatch> + '_ {
    Scanner { text, pos: 0 }
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Scanner<'_> {
    type Item = TextMatch;

    fn next(&mut self) -> Option<TextMatch> {
        let bytes = self.text.as_bytes();
        while self.pos + LEN <= bytes.len() {
            let Some(off) = bytes[self.pos..].iter().position(u8::is_ascii_digit) else {
                break;
            };
            let start = self.pos + off;
            let run = bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            self.pos = start + run;
            // The sign is never a digit, so a code's date is always a whole run of six.
            if run != 6 || start + LEN > bytes.len() {
                continue;
            }
            let end = start + LEN;
            let cand = &bytes[start..end];
            if !shape_ok(cand)
                || super::alnum_before(self.text, start)
                || super::alnum_at(self.text, end)
            {
                continue;
            }
            self.pos = end;
            let status = match parse_bytes(cand) {
                Ok(c) if c.is_temporary() => HetuStatus::ValidTemporary,
                Ok(_) => HetuStatus::Valid,
                Err(e) => e,
            };
            return Some(TextMatch { start, end, status });
        }
        self.pos = bytes.len();
        None
    }
}

fn century(sign: u8) -> Option<i32> {
    match sign.to_ascii_uppercase() {
        b'+' => Some(1800),
        b'-' | b'Y' | b'X' | b'W' | b'V' | b'U' => Some(1900),
        b'A'..=b'F' => Some(2000),
        _ => None,
    }
}

fn shape_ok(b: &[u8]) -> bool {
    b.len() == LEN
        && b[..6].iter().all(u8::is_ascii_digit)
        && century(b[6]).is_some()
        && b[7..10].iter().all(u8::is_ascii_digit)
        && b[10].is_ascii_alphanumeric()
}

fn parse_bytes(b: &[u8]) -> Result<IdentityCode, HetuStatus> {
    if !shape_ok(b) {
        return Err(HetuStatus::BadFormat);
    }
    let num =
        |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
    let (dd, mm, yy) = (num(0..2), num(2..4), num(4..6));
    let sign = b[6].to_ascii_uppercase();
    let base = century(sign).ok_or(HetuStatus::BadFormat)?;
    let birth_date =
        NaiveDate::from_ymd_opt(base + yy as i32, mm, dd).ok_or(HetuStatus::BadDate)?;
    let individual = num(7..10) as u16;
    if individual < 2 {
        return Err(HetuStatus::BadIndividual);
    }
    let control = b[10].to_ascii_uppercase();
    if control != control_char(dd * 10_000 + mm * 100 + yy, individual) {
        return Err(HetuStatus::BadChecksum);
    }
    Ok(IdentityCode {
        birth_date,
        individual,
        sign,
        control,
    })
}

#[cfg(test)]
mod tests;
