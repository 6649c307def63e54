//! Masking of personal data in everything regaudit prints. Reports travel into
//! tickets and CI logs, so the tool must not become the leak it looks for.

use crate::detect::{email, hetu, phone};

/// What kind of value a piece of evidence is, which decides how it is masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    IdentityCode,
    Email,
    Phone,
    Name,
    /// Not personal on its own (a date, a country code, a legal basis): shown as is.
    Plain,
    /// Anything else that may be personal: only its first character is kept.
    Other,
    /// Unknown: masked by its shape (an identity code in a business-id column
    /// of a sole trader is masked like an identity code).
    Auto,
}

/// Masks `raw` according to its kind, unless `reveal` is set.
pub fn mask(kind: ValueKind, raw: &str, reveal: bool) -> String {
    if reveal {
        return raw.to_string();
    }
    match kind {
        ValueKind::IdentityCode => mask_identity_code(raw),
        ValueKind::Email => mask_email(raw),
        ValueKind::Phone => mask_digits_keep_last(raw, 2),
        ValueKind::Name => mask_words(raw),
        ValueKind::Plain => raw.to_string(),
        ValueKind::Other => mask_words(raw),
        ValueKind::Auto => mask_auto(raw, false),
    }
}

/// Masks a record key only where it is itself personal: an identity code, an
/// e-mail address or a phone number. Customer and member numbers (`C0001234`,
/// `H-1003`) are how an auditor finds a record, so they are shown as they are.
pub fn mask_key(raw: &str, reveal: bool) -> String {
    if reveal {
        return raw.to_string();
    }
    let trimmed = raw.trim();
    if hetu::looks_like_hetu(trimmed) {
        mask(ValueKind::IdentityCode, raw, false)
    } else if email::looks_like_email(raw) {
        mask(ValueKind::Email, raw, false)
    } else if phone::is_phone(raw) {
        mask(ValueKind::Phone, raw, false)
    } else {
        raw.to_string()
    }
}

/// Masks a value whose kind is unknown (a quoted cell) by its shape.
pub fn mask_auto(raw: &str, reveal: bool) -> String {
    if reveal {
        return raw.to_string();
    }
    let kind = if hetu::looks_like_hetu(raw.trim()) {
        ValueKind::IdentityCode
    } else if email::looks_like_email(raw) {
        ValueKind::Email
    } else if phone::looks_like_phone(raw) {
        ValueKind::Phone
    } else {
        return mask_embedded(raw);
    };
    mask(kind, raw, false)
}

/// Masks identity codes, emails and phone numbers inside free text, leaving the
/// rest readable. Used where an error message quotes a whole row or cell.
pub fn mask_embedded(text: &str) -> String {
    let mut ranges: Vec<(usize, usize, ValueKind)> = Vec::new();
    for m in hetu::find_in_text(text) {
        ranges.push((m.start, m.end, ValueKind::IdentityCode));
    }
    for (start, end) in email::find_in_text(text) {
        ranges.push((start, end, ValueKind::Email));
    }
    if ranges.is_empty() && !text.bytes().any(|b| b.is_ascii_digit()) {
        return text.to_string();
    }
    ranges.sort_unstable_by_key(|r| r.0);
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for (start, end, kind) in ranges {
        if start < pos {
            continue;
        }
        out.push_str(&mask_long_digit_runs(&text[pos..start]));
        out.push_str(&mask(kind, &text[start..end], false));
        pos = end;
    }
    out.push_str(&mask_long_digit_runs(&text[pos..]));
    out
}

/// `131052-308T` → `131052-***T`: the birth date and sign stay readable for
/// triage, the individual number that makes the code unique does not.
fn mask_identity_code(raw: &str) -> String {
    let trimmed = raw.trim();
    if trimmed.len() == 11 && trimmed.is_ascii() {
        let mut masked = String::with_capacity(11);
        masked.push_str(&trimmed[..7]);
        masked.push_str("***");
        masked.push_str(&trimmed[10..]);
        return masked;
    }
    mask_words(trimmed)
}

/// `maija.mallikas@example.fi` → `m***@example.fi`.
fn mask_email(raw: &str) -> String {
    match raw.trim().split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => mask_words(raw),
    }
}

/// Keeps the layout and the last `keep` digits: `040 123 4567` → `*** *** **67`.
fn mask_digits_keep_last(raw: &str, keep: usize) -> String {
    let digits = raw.bytes().filter(|b| b.is_ascii_digit()).count();
    let mut seen = 0;
    raw.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > digits.saturating_sub(keep) {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// `Maija Mallikas` → `M*** M***`.
fn mask_words(raw: &str) -> String {
    raw.split_whitespace()
        .map(|word| {
            let first: String = word.chars().take(1).collect();
            format!("{first}***")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Runs of 7+ digits in free text are likely phone or account numbers.
fn mask_long_digit_runs(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b' ') {
                i += 1;
            }
            let run = &text[start..i];
            let digits = run.bytes().filter(|b| b.is_ascii_digit()).count();
            if digits >= 7 {
                out.push_str(&mask_digits_keep_last(run, 2));
            } else {
                out.push_str(run);
            }
        } else {
            let ch = text[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_shown_unless_they_are_personal_themselves() {
        assert_eq!(mask_key("C0001234", false), "C0001234");
        assert_eq!(mask_key("H-1003", false), "H-1003");
        assert_eq!(mask_key("10023", false), "10023");
        assert_eq!(mask_key("131052-308T", false), "131052-***T");
        assert_eq!(mask_key("maija@example.fi", false), "m***@example.fi");
        assert_eq!(mask_key("040 123 4567", false), "*** *** **67");
        assert_eq!(mask_key("131052-308T", true), "131052-308T");
    }

    #[test]
    fn identity_code_keeps_date_and_control() {
        assert_eq!(
            mask(ValueKind::IdentityCode, "131052-308T", false),
            "131052-***T"
        );
        assert_eq!(
            mask(ValueKind::IdentityCode, "131052-308T", true),
            "131052-308T"
        );
    }

    #[test]
    fn email_phone_and_name_are_masked() {
        assert_eq!(
            mask(ValueKind::Email, "maija.mallikas@example.fi", false),
            "m***@example.fi"
        );
        assert_eq!(
            mask(ValueKind::Phone, "040 123 4567", false),
            "*** *** **67"
        );
        assert_eq!(mask(ValueKind::Name, "Maija Mallikas", false), "M*** M***");
    }

    #[test]
    fn embedded_values_are_masked_in_text() {
        let text = "Soitti 0401234567, hetu 131052-308T, posti maija@example.fi";
        let masked = mask_embedded(text);
        assert!(!masked.contains("131052-308T"), "{masked}");
        assert!(!masked.contains("0401234567"), "{masked}");
        assert!(!masked.contains("maija@"), "{masked}");
        assert!(masked.starts_with("Soitti "));
    }
}
