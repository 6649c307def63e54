//! IBAN account numbers (ISO 13616) with the ISO 7064 MOD 97-10 check.
//! Finnish IBANs (the common case, on the hot path) are checked here by hand:
//! `FI`, two check digits and 14 digits. Other countries' IBANs must also have
//! their country's BBAN format from the SWIFT registry, which the well-kept
//! `iban_validate` crate carries.

/// Valid IBAN: a correct MOD 97 check, check digits 02–98, and the country's
/// format (`FI` + 2 + 14 digits for Finland). Spaces and lower case are accepted.
pub fn is_valid(s: &str) -> bool {
    let s = s.trim_ascii();
    if !looks_like_iban(s) {
        return false;
    }
    // At most 34 characters once spaces are gone (checked by `looks_like_iban`).
    let mut buffer = [0u8; 34];
    let mut len = 0;
    for b in s.bytes().filter(|&b| b != b' ') {
        buffer[len] = b.to_ascii_uppercase();
        len += 1;
    }
    let iban = &buffer[..len];
    if iban.starts_with(b"FI") {
        return len == 18 && iban[4..].iter().all(u8::is_ascii_digit) && check_digits_valid(iban);
    }
    check_digits_valid(iban)
        && std::str::from_utf8(iban).is_ok_and(|text| text.parse::<iban::Iban>().is_ok())
}

/// Check digits 02–98 and the MOD 97-10 remainder 1 (00, 01 and 99 pass the
/// remainder test but are never issued). `iban` is upper case without spaces.
fn check_digits_valid(iban: &[u8]) -> bool {
    let check = u32::from(iban[2] - b'0') * 10 + u32::from(iban[3] - b'0');
    if !(2..=98).contains(&check) {
        return false;
    }
    // Rearranged (BBAN, then country and check digits), folded digit by digit.
    let remainder = iban[4..].iter().chain(&iban[..4]).fold(0u32, |r, &b| {
        if b.is_ascii_digit() {
            (r * 10 + u32::from(b - b'0')) % 97
        } else {
            (r * 100 + u32::from(b - b'A') + 10) % 97
        }
    });
    remainder == 1
}

/// Shape only: two letters, two digits, then letters or digits, 15–34
/// characters after removing spaces.
pub fn looks_like_iban(s: &str) -> bool {
    let mut n = 0;
    for b in s.trim_ascii().bytes().filter(|&b| b != b' ') {
        let ok = match n {
            0 | 1 => b.is_ascii_alphabetic(),
            2 | 3 => b.is_ascii_digit(),
            _ => b.is_ascii_alphanumeric(),
        };
        if !ok {
            return false;
        }
        n += 1;
    }
    (15..=34).contains(&n)
}

/// A fictional IBAN: `country`, the check digits that make the MOD 97-10
/// remainder 1, and `bban` (for tests here and of the SQL validators).
#[cfg(test)]
pub(crate) fn with_check_digits(country: &str, bban: &str) -> String {
    let digits: String = format!("{bban}{country}00")
        .chars()
        .map(|c| c.to_digit(36).unwrap().to_string())
        .collect();
    let r = digits
        .bytes()
        .fold(0u32, |r, b| (r * 10 + u32::from(b - b'0')) % 97);
    format!("{country}{:02}{bban}", 98 - r)
}

#[cfg(test)]
mod tests {
    use super::with_check_digits as make;
    use super::*;

    #[test]
    fn valid_finnish() {
        for s in [
            "FI2112345600000785",
            "FI5542345670000081",
            "FI21 1234 5600 0007 85",
            "fi2112345600000785",
            " FI55 4234 5670 0000 81 ",
        ] {
            assert!(is_valid(s), "{s:?}");
        }
        let generated = make("FI", "79999900012345");
        assert_eq!(generated.len(), 18);
        assert!(is_valid(&generated), "{generated}");
    }

    #[test]
    fn invalid_finnish() {
        for s in [
            "FI2112345600000786",  // wrong digit
            "FI1221345600000785",  // swapped
            "FI211234560000078",   // too short
            "FI21123456000007850", // too long
            "FI211234560000078A",  // letter in BBAN
            "FI21-1234-5600-0007-85",
            "",
            "FI",
        ] {
            assert!(!is_valid(s), "{s:?}");
        }
    }

    #[test]
    fn other_countries() {
        let de = make("DE", "370400440532013000");
        assert!(is_valid(&de), "{de}");
        let gb = make("GB", "WEST12345698765432");
        assert!(is_valid(&gb), "{gb}");
        assert!(is_valid(&gb.to_ascii_lowercase()));
        let no = make("NO", "86011117947"); // 15 chars, the shortest
        assert!(is_valid(&no), "{no}");
        let mut bad = gb.clone().into_bytes();
        bad[10] = if bad[10] == b'1' { b'2' } else { b'1' };
        assert!(!is_valid(std::str::from_utf8(&bad).unwrap()));
        assert!(!is_valid(&make("XX", "1234567890"))); // 14 chars
    }

    #[test]
    fn other_countries_need_their_own_format() {
        // Correct check digits, but not the country's BBAN format or no such country.
        let gb_digits_only = make("GB", "123456789012345678");
        assert!(!is_valid(&gb_digits_only), "{gb_digits_only}");
        let de_short = make("DE", "37040044053201300");
        assert!(!is_valid(&de_short), "{de_short}");
        let unknown_country = make("XX", "12345678901234");
        assert!(!is_valid(&unknown_country), "{unknown_country}");
        // The registry's own samples pass, printed or electronic.
        assert!(is_valid("DE89 3704 0044 0532 0130 00"));
        assert!(is_valid("SE4550000000058398257466"));
        assert!(is_valid("no9386011117947"));
    }

    #[test]
    fn never_issued_check_digits() {
        // 01 ≡ 98 and 99 ≡ 02 (mod 97): the aliases pass the remainder test but are never issued.
        for (issued, alias) in [(98, 1), (2, 99)] {
            let iban = (0..1000)
                .map(|n| make("FI", &format!("{n:014}")))
                .find(|i| i[2..4] == format!("{issued:02}"))
                .unwrap();
            assert!(is_valid(&iban), "{iban}");
            let aliased = format!("FI{alias:02}{}", &iban[4..]);
            assert!(!is_valid(&aliased), "{aliased}");
        }
        assert!(!is_valid("FI0012345600000785"));
        assert!(is_valid("FI2112345600000785\n"));
    }

    #[test]
    fn shape() {
        assert!(looks_like_iban("FI21 1234 5600 0007 85"));
        assert!(looks_like_iban("GB00WEST12345698765432")); // shape only
        assert!(!looks_like_iban("1234 5600 0007 85"));
        assert!(!looks_like_iban("FIXX12345600000785"));
        assert!(!looks_like_iban("FI21"));
        assert!(!looks_like_iban("FI21_1234_5600_0007_85"));
    }
}
