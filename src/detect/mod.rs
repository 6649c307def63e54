//! Detectors for personal data in register exports: Finnish identity codes,
//! business ids, e-mail addresses, phone numbers, IBANs, postcodes and IP
//! addresses. They are pure functions with no I/O so column classification and
//! free-text scanning can run them on every cell cheaply.

pub mod business_id;
pub mod email;
pub mod hetu;
pub mod iban;
pub mod ip;
pub mod phone;
pub mod postcode;

/// True when the char ending at byte `i` is alphanumeric. Unicode-aware so a
/// code glued to a word like `ä131052-308T` is not a word boundary.
/// `i` must be a char boundary.
fn alnum_before(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// True when the char starting at byte `i` is alphanumeric (see [`alnum_before`]).
fn alnum_at(text: &str, i: usize) -> bool {
    text[i..].chars().next().is_some_and(char::is_alphanumeric)
}
