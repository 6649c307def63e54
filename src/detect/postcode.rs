//! Finnish postal codes: five digits, e.g. `00100`. A postcode alone is not
//! personal data, but next to a birth date it narrows a person down quickly.

/// Exactly five ASCII digits after trimming ASCII whitespace.
pub fn is_valid_fi(s: &str) -> bool {
    let s = s.trim_ascii();
    s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid() {
        for s in ["00100", "99999", " 33100 ", "02150\n"] {
            assert!(is_valid_fi(s), "{s:?}");
        }
    }

    #[test]
    fn invalid() {
        for s in [
            "",
            "0010",
            "001000",
            "00 100",
            "FI-00100",
            "0010a",
            "٠٠١٠٠",
            "00100-",
        ] {
            assert!(!is_valid_fi(s), "{s:?}");
        }
    }
}
