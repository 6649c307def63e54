//! Finnish business id (Y-tunnus) `NNNNNNN-C`, also in the VAT form `FI12345678`.
//!
//! A business id identifies a company, not a person, but sole traders share one
//! with their owner, so registers still need to know where these appear.

const WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BusinessIdStatus {
    Valid,
    BadChecksum,
    BadFormat,
}

/// Validates `1234567-8`, `FI12345678` (VAT form), spaces anywhere, and old
/// 6-digit ids (`123456-7`, read as `0123456-7`). No allocation.
pub fn validate(s: &str) -> BusinessIdStatus {
    let s = s.trim_ascii();
    let (vat, rest) = match s.get(..2) {
        Some(p) if p.eq_ignore_ascii_case("FI") => (true, &s[2..]),
        _ => (false, s),
    };
    // Digits collected left-padded: body in digits[..7], check digit in digits[7].
    let mut digits = [0u8; 8];
    let mut n = 0;
    let mut hyphen_at = None;
    for &b in rest.as_bytes() {
        match b {
            b'0'..=b'9' if n < 8 => {
                digits[n] = b;
                n += 1;
            }
            b'-' if !vat && hyphen_at.is_none() => hyphen_at = Some(n),
            b' ' => {}
            _ => return BusinessIdStatus::BadFormat,
        }
    }
    let body = match (vat, hyphen_at, n) {
        (true, None, 8) => &digits[..7],
        (false, Some(7), 8) => &digits[..7],
        (false, Some(6), 7) => {
            digits.copy_within(0..7, 1);
            digits[0] = b'0';
            &digits[..7]
        }
        _ => return BusinessIdStatus::BadFormat,
    };
    match check_value(body) {
        Some(c) if c == digits[7] - b'0' => BusinessIdStatus::Valid,
        _ => BusinessIdStatus::BadChecksum,
    }
}

/// Check digit (0–9) for seven ASCII digits. None when the input is not seven
/// digits or the weighted remainder is 1: such numbers are never issued.
pub fn check_digit(seven_digits: &str) -> Option<u8> {
    let b = seven_digits.as_bytes();
    if b.len() != 7 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    check_value(b)
}

fn check_value(body: &[u8]) -> Option<u8> {
    let sum: u32 = body
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    match sum % 11 {
        0 => Some(0),
        1 => None,
        r => Some((11 - r) as u8),
    }
}

/// Shape `NNNNNNN-N` only (after trimming), no checksum.
pub fn looks_like_business_id(s: &str) -> bool {
    shape_ok(s.trim_ascii().as_bytes())
}

fn shape_ok(b: &[u8]) -> bool {
    b.len() == 9 && b[..7].iter().all(u8::is_ascii_digit) && b[7] == b'-' && b[8].is_ascii_digit()
}

/// Finds `NNNNNNN-N` with word boundaries and reports each with its status.
/// A `FI` VAT prefix glued to the digits is not matched (no boundary).
pub fn find_in_text(text: &str) -> impl Iterator<Item = (usize, usize, BusinessIdStatus)> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        while pos + 9 <= bytes.len() {
            let Some(off) = bytes[pos..].iter().position(u8::is_ascii_digit) else {
                break;
            };
            let start = pos + off;
            let run = bytes[start..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            pos = start + run;
            let end = start + 9;
            if run != 7
                || end > bytes.len()
                || !shape_ok(&bytes[start..end])
                || super::alnum_before(text, start)
                || super::alnum_at(text, end)
            {
                continue;
            }
            pos = end;
            return Some((start, end, validate(&text[start..end])));
        }
        pos = bytes.len();
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fictional valid id for a seven-digit body (skips never-issued bodies).
    fn id(body: &str) -> Option<String> {
        check_digit(body).map(|c| format!("{body}-{c}"))
    }

    #[test]
    fn computes_check_digit() {
        // 2*7 + 0*9 + 9*10 + 6*5 + 0*8 + 0*4 + 6*2 = 146; 146 % 11 = 3; 11 - 3 = 8
        assert_eq!(check_digit("2096006"), Some(8));
        assert_eq!(validate("2096006-8"), BusinessIdStatus::Valid);
        assert_eq!(check_digit("0000000"), Some(0));
        assert_eq!(check_digit("123456"), None);
        assert_eq!(check_digit("12345678"), None);
        assert_eq!(check_digit("12a4567"), None);
    }

    #[test]
    fn remainder_one_never_issued() {
        // 6 * 2 = 12; 12 % 11 = 1: no check digit can make this body valid.
        assert_eq!(check_digit("0000006"), None);
        for c in 0..=9 {
            assert_eq!(
                validate(&format!("0000006-{c}")),
                BusinessIdStatus::BadChecksum
            );
        }
    }

    #[test]
    fn accepted_forms() {
        let valid = id("1234567").unwrap();
        let c = valid.chars().last().unwrap();
        for s in [
            valid.clone(),
            format!("FI1234567{c}"),
            format!("fi1234567{c}"),
            format!("FI 1234 567{c}"),
            format!(" 123 4567 - {c} "),
        ] {
            assert_eq!(validate(&s), BusinessIdStatus::Valid, "{s:?}");
        }
    }

    #[test]
    fn old_six_digit_ids_are_padded() {
        let padded = id("0123456").unwrap();
        let c = padded.chars().last().unwrap();
        assert_eq!(validate(&format!("123456-{c}")), BusinessIdStatus::Valid);
        assert_eq!(validate(&padded), BusinessIdStatus::Valid);
    }

    #[test]
    fn rejects_bad_checksum_and_format() {
        let valid = id("7654321").unwrap();
        let c: u8 = valid[8..].parse().unwrap();
        let wrong = format!("7654321-{}", (c + 1) % 10);
        assert_eq!(validate(&wrong), BusinessIdStatus::BadChecksum);
        for s in [
            "",
            "1234567",
            "12345678", // no hyphen and no FI: ambiguous
            "1234567-",
            "1234567-89",
            "12345-6",
            "FI1234567-8",
            "SE12345678",
            "1234567--8",
            "1234567_8",
            "FI",
        ] {
            assert_eq!(validate(s), BusinessIdStatus::BadFormat, "{s:?}");
        }
    }

    #[test]
    fn shape() {
        assert!(looks_like_business_id(" 1234567-8 "));
        assert!(!looks_like_business_id("FI12345678"));
        assert!(!looks_like_business_id("123456-7"));
        assert!(!looks_like_business_id("1234567-"));
    }

    #[test]
    fn finds_in_text() {
        let valid = id("2096006").unwrap();
        let text =
            format!("Y-tunnus {valid}, väärä 2096006-7. Ei: 12096006-8 x2096006-8 2096006-81");
        let found: Vec<_> = find_in_text(&text)
            .map(|(s, e, st)| (&text[s..e], st))
            .collect();
        assert_eq!(
            found,
            vec![
                (valid.as_str(), BusinessIdStatus::Valid),
                ("2096006-7", BusinessIdStatus::BadChecksum),
            ]
        );
        assert_eq!(find_in_text("hetu 131052-308T").count(), 0);
        assert_eq!(find_in_text("ä2096006-8").count(), 0);
    }
}
