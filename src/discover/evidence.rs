//! Counts, over every row of a file, what each column's cells are: valid and
//! invalid identity codes, e-mails, phones, business ids and IBANs, IP
//! addresses, dates, health words, free text and empty cells, plus a few
//! examples kept masked from the start so no raw value is ever held for output.

use crate::columns::Role;
use crate::detect::{business_id, email, hetu, iban, ip, phone};
use crate::mask::{mask, mask_key, ValueKind};
use crate::rules::data::health_word;
use crate::values::parse_date;

/// Masked examples kept per column.
pub const EXAMPLES: usize = 3;

/// A count of cells that look like a kind of value, split by whether they pass its check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Checked {
    pub valid: u64,
    pub invalid: u64,
}

impl Checked {
    fn add(&mut self, looks_like: bool, valid: bool) {
        if valid {
            self.valid += 1;
        } else if looks_like {
            self.invalid += 1;
        }
    }

    pub fn any(&self) -> bool {
        self.valid + self.invalid > 0
    }
}

/// What one column's cells are, counted over the whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ColumnEvidence {
    pub cells: u64,
    pub empty: u64,
    pub identity_codes: Checked,
    /// Cells with an identity code inside longer text.
    pub identity_codes_in_text: u64,
    pub emails: Checked,
    pub phones: Checked,
    pub business_ids: Checked,
    pub ibans: Checked,
    pub ip_addresses: u64,
    /// Cells that read as a date (a birth date, if the header says so).
    pub dates: u64,
    /// Cells holding a word of the health lexicon.
    pub health_words: u64,
    /// Cells of three or more words: a person's own words, where anything ends up.
    pub free_text: u64,
    /// Up to `EXAMPLES` distinct values, masked (raw only with `--reveal`).
    pub examples: Vec<String>,
}

/// A cell of at least this many words of letters counts as free text.
const FREE_TEXT_WORDS: usize = 3;

/// Words of letters, so a phone number written in groups is not text.
fn is_free_text(value: &str) -> bool {
    value
        .split_whitespace()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .count()
        >= FREE_TEXT_WORDS
}

impl ColumnEvidence {
    pub fn share_empty(&self) -> f64 {
        if self.cells == 0 {
            return 0.0;
        }
        (self.empty as f64 / self.cells as f64 * 1000.0).round() / 1000.0
    }

    pub fn add(&mut self, cell: Option<&str>) {
        self.cells += 1;
        let Some(value) = cell else {
            self.empty += 1;
            return;
        };
        let trimmed = value.trim();
        let hetu_valid = hetu::validate(trimmed).is_valid();
        self.identity_codes
            .add(hetu::looks_like_hetu(trimmed), hetu_valid);
        if !hetu::looks_like_hetu(trimmed) && hetu::find_in_text(value).any(|m| m.status.is_valid())
        {
            self.identity_codes_in_text += 1;
        }
        self.emails
            .add(email::looks_like_email(value), email::is_valid(value));
        self.phones
            .add(phone::looks_like_phone(value), phone::is_phone(value));
        let business = business_id::looks_like_business_id(value);
        self.business_ids.add(
            business,
            business && business_id::validate(value) == business_id::BusinessIdStatus::Valid,
        );
        self.ibans
            .add(iban::looks_like_iban(value), iban::is_valid(value));
        self.ip_addresses += u64::from(ip::is_ip(value));
        self.dates += u64::from(parse_date(value).is_some());
        self.health_words += u64::from(health_word(value).is_some());
        self.free_text += u64::from(is_free_text(value));
    }

    /// Keeps `value` as an example, masked for the role the column was given.
    pub fn keep_example(&mut self, value: &str, role: Role, reveal: bool) {
        if self.examples.len() >= EXAMPLES {
            return;
        }
        let shown = masked(value, role, reveal);
        if !self.examples.contains(&shown) {
            self.examples.push(shown);
        }
    }
}

/// Masks by the column's role; any role not known to be harmless keeps only
/// the first letter of each word.
fn masked(value: &str, role: Role, reveal: bool) -> String {
    let kind = match role {
        Role::Key => return mask_key(value, reveal),
        Role::IdentityCode => ValueKind::IdentityCode,
        Role::Email => ValueKind::Email,
        Role::Phone => ValueKind::Phone,
        Role::Name => ValueKind::Name,
        Role::Language
        | Role::CustomerType
        | Role::LegalBasis
        | Role::Consent
        | Role::SmsConsent
        | Role::ConsentSource
        | Role::MarketingBan
        | Role::ProcessingCountry
        | Role::StorageCountry
        | Role::RecipientCountry
        | Role::Gender => ValueKind::Auto,
        _ => ValueKind::Other,
    };
    mask(kind, value, reveal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_counted_by_what_they_are() {
        let mut e = ColumnEvidence::default();
        for cell in [
            Some("131052-308T"),
            Some("131052-308A"),
            None,
            Some("maija@example.fi"),
            Some("asiakas kertoi diabeteksesta puhelimessa"),
        ] {
            e.add(cell);
        }
        assert_eq!(e.cells, 5);
        assert_eq!(e.empty, 1);
        assert_eq!(
            e.identity_codes,
            Checked {
                valid: 1,
                invalid: 1
            }
        );
        assert_eq!(e.emails.valid, 1);
        assert_eq!(e.free_text, 1);
        let mut phone = ColumnEvidence::default();
        phone.add(Some("040 123 4567"));
        assert_eq!(phone.free_text, 0);
        assert_eq!(e.health_words, 1);
        assert_eq!(e.share_empty(), 0.2);
    }

    #[test]
    fn examples_are_masked_unless_revealed() {
        let mut e = ColumnEvidence::default();
        e.keep_example("131052-308T", Role::IdentityCode, false);
        e.keep_example("Maija Mallikas", Role::Notes, false);
        assert_eq!(e.examples, ["131052-***T", "M*** M***"]);
        let mut r = ColumnEvidence::default();
        r.keep_example("Maija", Role::Name, true);
        assert_eq!(r.examples, ["Maija"]);
    }
}
