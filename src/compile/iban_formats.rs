//! Each country's IBAN format, for `validators::iban_valid`: the BBAN after
//! the country code and check digits, as counts of `n` (digits), `a` (upper
//! case letters) and `c` (letters or digits), the notation of the SWIFT IBAN
//! registry. The `iban_validate` crate, which `detect::iban` uses, keeps its
//! table private; this is a copy of it (iban_validate 5.0.1,
//! `src/generated.rs`, `country_pattern`, generated from the registry), and
//! a test checks it against the crate for every country the crate knows.

/// (country, BBAN format).
pub const COUNTRY_FORMATS: &[(&str, &str)] = &[
    ("AD", "4n4n12c"),
    ("AE", "3n16n"),
    ("AL", "8n16c"),
    ("AT", "5n11n"),
    ("AZ", "4a20c"),
    ("BA", "3n3n8n2n"),
    ("BE", "3n7n2n"),
    ("BG", "4a4n2n8c"),
    ("BH", "4a14c"),
    ("BI", "5n5n11n2n"),
    ("BR", "8n5n10n1a1c"),
    ("BY", "4c4n16c"),
    ("CH", "5n12c"),
    ("CR", "4n14n"),
    ("CY", "3n5n16c"),
    ("CZ", "4n6n10n"),
    ("DE", "8n10n"),
    ("DJ", "5n5n11n2n"),
    ("DK", "4n9n1n"),
    ("DO", "4c20n"),
    ("EE", "2n2n11n1n"),
    ("EG", "4n4n17n"),
    ("ES", "4n4n1n1n10n"),
    ("FI", "3n11n"),
    ("FK", "2a12n"),
    ("FO", "4n9n1n"),
    ("FR", "5n5n11c2n"),
    ("GB", "4a6n8n"),
    ("GE", "2a16n"),
    ("GI", "4a15c"),
    ("GL", "4n9n1n"),
    ("GR", "3n4n16c"),
    ("GT", "4c20c"),
    ("HR", "7n10n"),
    ("HU", "3n4n1n15n1n"),
    ("IE", "4a6n8n"),
    ("IL", "3n3n13n"),
    ("IQ", "4a3n12n"),
    ("IS", "4n2n6n10n"),
    ("IT", "1a5n5n12c"),
    ("JO", "4a4n18c"),
    ("KW", "4a22c"),
    ("KZ", "3n13c"),
    ("LB", "4n20c"),
    ("LC", "4a24c"),
    ("LI", "5n12c"),
    ("LT", "5n11n"),
    ("LU", "3n13c"),
    ("LV", "4a13c"),
    ("LY", "3n3n15n"),
    ("MC", "5n5n11c2n"),
    ("MD", "2c18c"),
    ("ME", "3n13n2n"),
    ("MK", "3n10c2n"),
    ("MN", "4n12n"),
    ("MR", "5n5n11n2n"),
    ("MT", "4a5n18c"),
    ("MU", "4a2n2n12n3n3a"),
    ("NI", "4a20n"),
    ("NL", "4a10n"),
    ("NO", "4n6n1n"),
    ("OM", "3n16c"),
    ("PL", "8n16n"),
    ("PS", "4a21c"),
    ("PT", "4n4n11n2n"),
    ("QA", "4a21c"),
    ("RO", "4a16c"),
    ("RS", "3n13n2n"),
    ("RU", "9n5n15c"),
    ("SA", "2n18c"),
    ("SC", "4a2n2n16n3a"),
    ("SD", "2n12n"),
    ("SE", "3n16n1n"),
    ("SI", "5n8n2n"),
    ("SK", "4n6n10n"),
    ("SM", "1a5n5n12c"),
    ("SO", "4n3n12n"),
    ("ST", "4n4n11n2n"),
    ("SV", "4a20n"),
    ("TL", "3n14n2n"),
    ("TN", "2n3n13n2n"),
    ("TR", "5n1n16c"),
    ("UA", "6n19c"),
    ("VA", "3n15n"),
    ("VG", "4a16n"),
    ("XK", "4n10n2n"),
    ("YE", "4a4n18c"),
];

/// The parts of a format: (count, `n`/`a`/`c`).
fn parts(format: &str) -> Vec<(usize, char)> {
    let mut parts = Vec::new();
    let mut count = 0;
    for c in format.chars() {
        match c.to_digit(10) {
            Some(d) => count = count * 10 + d as usize,
            None => {
                parts.push((count, c));
                count = 0;
            }
        }
    }
    parts
}

/// One regular expression for every country: an upper-case IBAN without
/// spaces matches it when it has its country's length and BBAN structure.
pub fn country_formats_pattern() -> String {
    let countries: Vec<String> = COUNTRY_FORMATS
        .iter()
        .map(|(country, format)| {
            let bban: String = parts(format)
                .iter()
                .map(|&(count, kind)| {
                    let class = match kind {
                        'n' => "[0-9]",
                        'a' => "[A-Z]",
                        _ => "[0-9A-Z]",
                    };
                    format!("{class}{{{count}}}")
                })
                .collect();
            format!("{country}[0-9]{{2}}{bban}")
        })
        .collect();
    format!(r"\A(?:{})\z", countries.join("|"))
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::detect::iban::with_check_digits;

    fn crate_accepts(iban: &str) -> bool {
        iban.parse::<iban::Iban>().is_ok()
    }

    #[test]
    fn the_table_has_every_country_the_crate_knows() {
        let table: Vec<&str> = COUNTRY_FORMATS.iter().map(|(c, _)| *c).collect();
        for a in 'A'..='Z' {
            for b in 'A'..='Z' {
                let country = format!("{a}{b}");
                let base = with_check_digits(&country, "12345678901234");
                let known = !matches!(
                    base.parse::<iban::Iban>(),
                    Err(iban::ParseIbanError::UnknownCountry(_))
                );
                assert_eq!(table.contains(&country.as_str()), known, "{country}");
            }
        }
    }

    #[test]
    fn the_pattern_accepts_what_the_crate_accepts() {
        let re = regex::Regex::new(&country_formats_pattern()).unwrap();
        let sample = |kind: char, n: usize| match kind {
            'n' => char::from(b'0' + (n % 10) as u8),
            'a' => char::from(b'A' + (n % 26) as u8),
            _ => {
                if n.is_multiple_of(2) {
                    char::from(b'0' + (n % 10) as u8)
                } else {
                    char::from(b'A' + (n % 26) as u8)
                }
            }
        };
        let mut checked = 0;
        for (country, format) in COUNTRY_FORMATS {
            let kinds: Vec<char> = parts(format)
                .iter()
                .flat_map(|&(count, kind)| std::iter::repeat_n(kind, count))
                .collect();
            let bban: String = kinds
                .iter()
                .enumerate()
                .map(|(n, &k)| sample(k, n))
                .collect();
            let mut candidates = vec![bban.clone(), format!("{bban}0"), bban[1..].to_string()];
            // Each place with a character of the wrong kind: a letter for a
            // digit, a digit for a letter.
            for (n, &kind) in kinds.iter().enumerate() {
                let wrong = match kind {
                    'n' => 'Q',
                    'a' => '7',
                    _ => continue,
                };
                let mut changed: Vec<char> = bban.chars().collect();
                changed[n] = wrong;
                candidates.push(changed.into_iter().collect());
            }
            for candidate in candidates {
                let iban = with_check_digits(country, &candidate);
                assert_eq!(re.is_match(&iban), crate_accepts(&iban), "{iban}");
                checked += 1;
            }
            assert!(
                crate_accepts(&with_check_digits(country, &bban)),
                "{country}"
            );
        }
        assert!(checked > 1000, "{checked}");
    }
}
