//! The value checks of `detect` in SQL, as ACC001 and custom pattern rules
//! use them: e-mail addresses (`email::is_valid`), Finnish postcodes
//! (`postcode::is_valid_fi`), business ids (`business_id::validate`) and
//! IBANs (`iban::is_valid`). Each takes the SQL text of a value (trimmed, as
//! cells and pattern matches are) and returns a condition that is never NULL
//! for a value that is not NULL.

use super::dialect::Engine;
use super::iban_formats::country_formats_pattern;

/// The characters `email::is_valid` allows in the local part, besides the
/// dot (escaped where the regex crate, RE2 or Java could read an operator).
const LOCAL_CHARS: &str = r"A-Za-z0-9!#$%\&'*+/=?^_`{|}\~\-";

/// `email::is_valid` as a regular expression: dot-separated runs of the
/// local part's characters, `@`, at least two labels of letters, digits and
/// inner hyphens, the last either two or more letters or a punycode `xn--`
/// label. The byte limits are checked apart (`email_valid`).
pub fn email_pattern(e: Engine) -> String {
    let w = e.alnum();
    let label = format!(r"[{w}](?:[{w}\-]*[{w}])?");
    format!(
        r"\A[{LOCAL_CHARS}]+(?:\.[{LOCAL_CHARS}]+)*@(?:{label}\.)+(?:[{alpha}]{{2,}}|[xX][nN]\-\-[{w}\-]*[{w}])\z",
        alpha = e.alpha()
    )
}

/// `email::is_valid(x)`: the pattern, at most 254 bytes, a local part of at
/// most 64 (ASCII) characters and labels of at most 63 bytes.
pub fn email_valid(e: Engine, x: &str) -> String {
    let local = format!("regexp_extract({x}, {}, 1)", e.lit(r"\A([^@]*)@"));
    let domain = e.replace_all(x, r"\A[^@]*@", "");
    let labels = e.split(&domain, r"\.");
    format!(
        "coalesce({matches} AND {octets} <= 254 AND length({local}) <= 64 AND NOT {long_label}, FALSE)",
        matches = e.matches(x, &email_pattern(e)),
        octets = e.octets(x),
        long_label = e.any_as(&labels, "lbl", &format!("{} > 63", e.octets("lbl"))),
    )
}

/// `postcode::is_valid_fi(x)`: five ASCII digits.
pub fn postcode_valid(e: Engine, x: &str) -> String {
    format!("coalesce({}, FALSE)", e.matches(x, r"\A[0-9]{5}\z"))
}

/// The weights of the business id's check digit (`business_id::WEIGHTS`).
const BUSINESS_ID_WEIGHTS: [u32; 7] = [7, 9, 10, 5, 8, 4, 2];

/// `business_id::validate(x) == Valid`: `1234567-8`, the old `123456-7`
/// (read as `0123456-7`) or the VAT form `FI12345678` in any case, spaces
/// anywhere after the `FI`; the weighted sum of the seven digits mod 11 gives
/// the check digit (0 for 0, never issued for 1, else 11 minus it).
pub fn business_id_valid(e: Engine, x: &str) -> String {
    let spaceless = format!("replace({x}, ' ', '')");
    let vat = e.matches(x, r"\A[Ff][Ii]");
    let format = format!(
        "(({vat} AND {vat_form}) OR (NOT {vat} AND {hyphen_form}))",
        vat_form = e.matches(&spaceless, r"\A[Ff][Ii][0-9]{8}\z"),
        hyphen_form = e.matches(&spaceless, r"\A[0-9]{6,7}-[0-9]\z"),
    );
    let digits = format!("lpad({}, 8, '0')", e.replace_all(&spaceless, "[^0-9]", ""));
    let digit = |n: usize| format!("TRY_CAST(substr({digits}, {n}, 1) AS BIGINT)");
    let sum: Vec<String> = BUSINESS_ID_WEIGHTS
        .iter()
        .enumerate()
        .map(|(n, w)| format!("{w} * {}", digit(n + 1)))
        .collect();
    let remainder = format!("(({}) % 11)", sum.join(" + "));
    format!(
        "coalesce(CASE WHEN {format} THEN {remainder} <> 1 AND \
         CASE WHEN {remainder} = 0 THEN 0 ELSE 11 - {remainder} END = {check} ELSE FALSE END, FALSE)",
        check = digit(8),
    )
}

/// The values of IBAN characters (`0`–`9`, then `A` = 10 … `Z` = 35).
const IBAN_ALPHABET: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// `iban::is_valid(x)`: spaces removed, two letters, two digits and 11–30
/// letters or digits in any case; check digits 02–98; MOD 97-10 of the
/// rearranged number equal to 1; and the country's format — `FI` and 16
/// digits for Finland, else the registry's format (`iban_formats`).
///
/// The number has up to 68 digits once letters are written as two: it is
/// left-padded to 72 and folded nine digits at a time, so every step stays
/// within a BIGINT.
pub fn iban_valid(e: Engine, x: &str) -> String {
    let spaceless = format!("replace({x}, ' ', '')");
    // The shape is checked before upper-casing: Java upper-cases `ß` to `SS`.
    let shape = e.matches(&spaceless, r"\A[A-Za-z]{2}[0-9]{2}[A-Za-z0-9]{11,30}\z");
    let upper = format!("upper({spaceless})");
    let rearranged = format!("substr({upper}, 5) || substr({upper}, 1, 4)");
    let digits = e.join(
        &e.transform_as(
            &e.extract_all(&rearranged, "[0-9A-Z]", 0),
            "ch",
            &format!(
                "CAST(instr({}, ch) - 1 AS {})",
                e.lit(IBAN_ALPHABET),
                e.text_type()
            ),
        ),
        "''",
    );
    let padded = format!("lpad({digits}, 72, '0')");
    let mut remainder = "0".to_string();
    for chunk in 0..8 {
        remainder = format!(
            "(({remainder}) * 1000000000 + TRY_CAST(substr({padded}, {}, 9) AS BIGINT)) % 97",
            chunk * 9 + 1
        );
    }
    let check = format!("TRY_CAST(substr({upper}, 3, 2) AS BIGINT)");
    let format = format!(
        "CASE WHEN substr({upper}, 1, 2) = 'FI' THEN {finnish} ELSE {registry} END",
        finnish = e.matches(&upper, r"\AFI[0-9]{16}\z"),
        registry = e.matches(&upper, &country_formats_pattern()),
    );
    format!(
        "coalesce(CASE WHEN {shape} THEN {check} BETWEEN 2 AND 98 AND {remainder} = 1 AND {format} ELSE FALSE END, FALSE)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::email;

    #[test]
    fn the_email_pattern_is_the_local_check_within_the_byte_limits() {
        for engine in [Engine::Duckdb, Engine::Spark] {
            let re = regex::Regex::new(&email_pattern(engine)).unwrap();
            // Cells arrive trimmed, so the pattern sees no padding.
            let local = email::VALID_EXAMPLES
                .iter()
                .chain(email::INVALID_EXAMPLES)
                .filter(|s| s.trim() == **s);
            for s in local.copied().chain([
                "a{b}|c~d^e`f@g.hi",
                "a&b@c.de",
                "a@b.xn--",
                "a@b.XN--a",
                "a@b.xn---a",
                "a@b.ⅻⅻ",
                "a@b.c1",
                "a[b]@c.de",
                "a\\b@c.de",
            ]) {
                assert_eq!(re.is_match(s), email::is_valid(s), "{engine:?} {s:?}");
            }
        }
    }
}
