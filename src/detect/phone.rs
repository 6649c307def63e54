//! Phone numbers, Finnish first. Finnish numbers are written nationally with a
//! trunk `0` (`040 123 4567`, `(09) 123 4567`) or internationally (`+358`,
//! `00358`); normalising to E.164 lets the same number match across files.

/// Longest E.164 number in digits.
const E164_MAX: usize = 15;
/// Finnish national significant number (without trunk 0) length range.
const FI_NSN: std::ops::RangeInclusive<usize> = 6..=12;

/// E.164 digits without the `+`.
struct E164 {
    digits: [u8; E164_MAX],
    len: usize,
}

/// E.164 form (`+358401234567`) of a Finnish number written nationally or
/// internationally; other `+CC` / `00CC` numbers are returned in E.164 too.
/// None for anything that is not a phone number.
pub fn normalize(s: &str) -> Option<String> {
    let e = parse(s)?;
    let mut out = String::with_capacity(e.len + 1);
    out.push('+');
    out.extend(e.digits[..e.len].iter().map(|&d| d as char));
    Some(out)
}

/// Finnish number, or another international `+CC…` number with 7–15 digits.
pub fn is_phone(s: &str) -> bool {
    parse(s).is_some()
}

/// Shape only: optional leading `+`, digits with spaces, hyphens or one pair
/// of parentheses, 7–17 digits, starting with `+` or a `0` prefix.
pub fn looks_like_phone(s: &str) -> bool {
    let s = s.trim();
    let body = s.strip_prefix('+').unwrap_or(s);
    let mut digits = 0;
    let mut first = None;
    for c in body.chars() {
        match c {
            '0'..='9' => {
                first.get_or_insert(c);
                digits += 1;
            }
            ' ' | '\u{a0}' | '-' | '(' | ')' => {}
            _ => return false,
        }
    }
    (7..=17).contains(&digits) && (body.len() < s.len() || first == Some('0'))
}

/// Collects digits, checks separators, then applies the prefix rules.
fn parse(s: &str) -> Option<E164> {
    let s = s.trim();
    let (plus, body) = match s.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let mut buf = [0u8; 20];
    let mut n = 0;
    let mut group = 0; // digits since the last separator
    let mut open = false;
    let mut parens = 0;
    for c in body.chars() {
        match c {
            '0'..='9' => {
                *buf.get_mut(n)? = c as u8;
                n += 1;
                group += 1;
            }
            ' ' | '\u{a0}' | '-' => group = 0,
            '(' if !open && parens == 0 => {
                open = true;
                group = 0;
            }
            ')' if open => {
                open = false;
                parens += 1;
                group = 0;
            }
            _ => return None,
        }
    }
    // A one-digit tail is how business ids (`0123456-7`) end, never phone numbers.
    if open || group < 2 {
        return None;
    }
    let d = &buf[..n];
    if plus {
        international(d)
    } else if let Some(rest) = d.strip_prefix(b"00") {
        international(rest)
    } else if let Some(nsn) = d.strip_prefix(b"0") {
        finnish(nsn)
    } else {
        None
    }
}

fn international(d: &[u8]) -> Option<E164> {
    if let Some(nsn) = d.strip_prefix(b"358") {
        return finnish(nsn);
    }
    if d.first() == Some(&b'0') || !(7..=E164_MAX).contains(&d.len()) {
        return None;
    }
    Some(build(b"", d))
}

fn finnish(nsn: &[u8]) -> Option<E164> {
    // `+358 (0)40 …`: drop the trunk zero written after the country code.
    let nsn = nsn.strip_prefix(b"0").unwrap_or(nsn);
    if !FI_NSN.contains(&nsn.len()) || nsn[0] == b'0' {
        return None;
    }
    Some(build(b"358", nsn))
}

fn build(cc: &[u8], rest: &[u8]) -> E164 {
    let mut digits = [0u8; E164_MAX];
    let len = cc.len() + rest.len();
    digits[..cc.len()].copy_from_slice(cc);
    digits[cc.len()..len].copy_from_slice(rest);
    E164 { digits, len }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_finnish_forms() {
        for (s, want) in [
            ("040 123 4567", "+358401234567"),
            ("040-1234567", "+358401234567"),
            ("+358 40 123 4567", "+358401234567"),
            ("+358401234567", "+358401234567"),
            ("00358 40 1234567", "+358401234567"),
            ("+358 (0)40 123 4567", "+358401234567"),
            ("09 1234 5678", "+358912345678"),
            ("(09) 123 4567", "+35891234567"),
            ("+358 9 123 4567", "+35891234567"),
            ("050\u{a0}123\u{a0}45\u{a0}67", "+358501234567"),
            (" 0401234567 ", "+358401234567"),
        ] {
            assert_eq!(normalize(s).as_deref(), Some(want), "{s:?}");
            assert!(is_phone(s), "{s:?}");
            assert!(looks_like_phone(s), "{s:?}");
        }
    }

    #[test]
    fn other_countries() {
        assert_eq!(
            normalize("+46 8 123 456 78").as_deref(),
            Some("+46812345678")
        );
        assert_eq!(
            normalize("0046 8 123 456 78").as_deref(),
            Some("+46812345678")
        );
        assert!(is_phone("+1 202 555 0100"));
        assert!(!is_phone("+12 345")); // too short
        assert!(!is_phone("+1234567890123456")); // 16 digits
        assert!(!is_phone("+0 123 456 789"));
    }

    #[test]
    fn rejects_non_phones() {
        for s in [
            "",
            "phone",
            "040 123 456a",
            "131052-308T",
            "0123456-7", // business id
            "2096006-8",
            "00100",     // postcode
            "401234567", // no prefix: ambiguous
            "112",
            "0 12",
            "040 12",
            "0401234567890123",
            "(040 1234567",
            "040) 1234567",
            "(09) (123) 4567",
            "040+1234567",
            "1.2.2024",
            "FI2112345600000785",
            "00358 0",
        ] {
            assert_eq!(normalize(s), None, "{s:?}");
            assert!(!is_phone(s), "{s:?}");
        }
    }

    #[test]
    fn shape() {
        assert!(looks_like_phone("+46 8 123 456 78"));
        assert!(looks_like_phone("0401234567"));
        assert!(!looks_like_phone("401234567"));
        assert!(!looks_like_phone("040 12"));
        assert!(!looks_like_phone("puh. 040 123 4567"));
    }
}
