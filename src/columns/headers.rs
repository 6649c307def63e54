//! Header understanding: what role a header names, as people actually write
//! them. A header is split into folded words (`text::words`), vendor
//! decorations are dropped (Salesforce `__c` and namespaces, trailing
//! numbers), and then, in order:
//! 1. the whole phrase is a synonym (`Sähköposti`, `email_address`);
//! 2. a shorter phrase after dropping leading qualifiers is
//!    (`Billing Postal Code` → `postal code`, `Asiakkaan sähköposti` →
//!    `sahkoposti`), unless a dropped word says the column is about something
//!    else (`Product Name`, `Order ID`);
//! 3. the last word ends in a compound head (`Toimituspostinumero` →
//!    `postinumero`, `Fakturaadress` → `adress`), the longest head winning.
//!
//! Each step is tried on the words as written, then without trailing
//! qualifiers (`Telefon hem`, `E-post (primär)`, `valtioSuomeksi`).

use super::Role;
use crate::text;
use rustc_hash::{FxHashMap, FxHashSet};

/// How a header matched, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HeaderEvidence {
    /// The whole header is a synonym.
    Synonym,
    /// A synonym after dropping leading qualifiers.
    Qualified,
    /// The last word is a compound ending in a known head.
    Compound,
}

impl HeaderEvidence {
    pub fn confidence(self) -> f64 {
        match self {
            HeaderEvidence::Synonym => 0.95,
            HeaderEvidence::Qualified => 0.85,
            HeaderEvidence::Compound => 0.75,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderMatch {
    pub role: Role,
    pub evidence: HeaderEvidence,
    /// The synonym or head that matched, folded and run together.
    pub matched: String,
}

/// The words a header is matched on: folded words without vendor decorations.
pub fn header_words(header: &str) -> Vec<String> {
    let mut raw = header.trim();
    // Salesforce custom fields (`Birthdate__c`) and managed-package
    // namespaces (`et4ae5__HasOptedOutOfMobile__c`).
    let bytes = raw.as_bytes();
    if bytes.len() > 3 && bytes[bytes.len() - 3..].eq_ignore_ascii_case(b"__c") {
        raw = &raw[..raw.len() - 3];
        if let Some((_, field)) = raw.rsplit_once("__") {
            raw = field;
        }
    }
    let mut words = text::words(raw);
    // `Osoite 2`, `address_line1`, `NIMI1`: the number tells copies apart.
    while words.len() > 1
        && words
            .last()
            .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
    {
        words.pop();
    }
    words
}

/// The phrases, heads and qualifiers header matching uses.
#[derive(Debug, Default)]
pub struct HeaderIndex {
    phrases: FxHashMap<String, Role>,
    /// Compound heads, longest first.
    heads: Vec<(String, Role)>,
    blocking: FxHashSet<String>,
    /// Phrases that name a role only as the whole header or after a word
    /// naming the register's subject (`ID`, `Customer ID`, not `Order ID`).
    subject_phrases: FxHashMap<String, Role>,
    subject_qualifiers: FxHashSet<String>,
    /// Words after the part that names the role (`hem`, `primar`).
    trailing: FxHashSet<String>,
}

impl HeaderIndex {
    pub fn add_phrase(&mut self, phrase: &str, role: Role) {
        let key = header_words(phrase).concat();
        if !key.is_empty() {
            self.phrases.insert(key, role);
        }
    }

    pub fn add_head(&mut self, head: &str, role: Role) {
        let head: String = header_words(head).concat();
        if !head.is_empty() {
            self.heads.push((head, role));
        }
    }

    pub fn add_blocking(&mut self, word: &str) {
        self.blocking.insert(header_words(word).concat());
    }

    pub fn add_subject_phrase(&mut self, phrase: &str, role: Role) {
        self.subject_phrases
            .insert(header_words(phrase).concat(), role);
    }

    pub fn add_subject_qualifier(&mut self, word: &str) {
        self.subject_qualifiers.insert(header_words(word).concat());
    }

    pub fn add_trailing(&mut self, word: &str) {
        self.trailing.insert(header_words(word).concat());
    }

    /// Call once after adding heads.
    pub fn finish(&mut self) {
        self.heads
            .sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
    }

    pub fn match_header(&self, header: &str) -> Option<HeaderMatch> {
        let words = header_words(header);
        if words.is_empty() {
            return None;
        }
        let mut variants = vec![words.clone()];
        let mut trimmed = words;
        while trimmed.len() > 1 && trimmed.last().is_some_and(|w| self.trailing.contains(w)) {
            trimmed.pop();
        }
        if trimmed.len() < variants[0].len() {
            variants.push(trimmed);
        }
        variants
            .iter()
            .find_map(|words| self.match_phrase(words))
            .or_else(|| variants.iter().find_map(|words| self.match_compound(words)))
    }

    /// The whole phrase, then shorter ones after leading qualifiers.
    fn match_phrase(&self, words: &[String]) -> Option<HeaderMatch> {
        for start in 0..words.len() {
            if start > 0 && self.blocks(&words[start - 1]) {
                return None;
            }
            // Words are compared run together, so `WhatsApp` and `whatsapp`
            // or `e_mail` and `email` are one phrase.
            let phrase = words[start..].concat();
            let about_subject = start == 0 || self.subject_qualifiers.contains(&words[start - 1]);
            let role = self.phrases.get(&phrase).or_else(|| {
                about_subject
                    .then(|| self.subject_phrases.get(&phrase))
                    .flatten()
            });
            if let Some(&role) = role {
                let evidence = if start == 0 {
                    HeaderEvidence::Synonym
                } else {
                    HeaderEvidence::Qualified
                };
                return Some(HeaderMatch {
                    role,
                    evidence,
                    matched: words[start..].join(" "),
                });
            }
        }
        None
    }

    /// The last word as a compound of a modifier and a known head.
    fn match_compound(&self, words: &[String]) -> Option<HeaderMatch> {
        let (last, before) = words.split_last()?;
        if before.iter().any(|w| self.blocks(w)) {
            return None;
        }
        self.heads.iter().find_map(|(head, role)| {
            let modifier = last.strip_suffix(head.as_str())?;
            let blocked = self
                .blocking
                .iter()
                .any(|b| modifier.starts_with(b.as_str()));
            (!blocked).then(|| HeaderMatch {
                role: *role,
                evidence: HeaderEvidence::Compound,
                matched: head.clone(),
            })
        })
    }

    /// Whether a qualifier says the column is about something else; a
    /// compound qualifier counts by a long last part (`toimintayksikön`),
    /// short words only whole (`tag` blocks, `Företag` does not).
    fn blocks(&self, word: &str) -> bool {
        self.blocking.contains(word)
            || self
                .blocking
                .iter()
                .any(|b| b.len() >= 6 && word.ends_with(b.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> HeaderIndex {
        let mut index = HeaderIndex::default();
        index.add_phrase("postal_code", Role::Postcode);
        index.add_phrase("zip", Role::Postcode);
        index.add_phrase("name", Role::Name);
        index.add_phrase("company_name", Role::Organisation);
        index.add_phrase("sahkoposti", Role::Email);
        index.add_head("postinumero", Role::Postcode);
        index.add_head("osoite", Role::Address);
        index.add_head("sähköpostiosoite", Role::Email);
        index.add_head("nimi", Role::Name);
        index.add_blocking("product");
        index.add_blocking("order");
        index.add_blocking("tuote");
        index.add_subject_phrase("id", Role::Key);
        index.add_subject_qualifier("customer");
        index.add_trailing("hem");
        index.add_phrase("telefon", Role::Phone);
        index.finish();
        index
    }

    fn role(header: &str) -> Option<(Role, HeaderEvidence)> {
        index().match_header(header).map(|m| (m.role, m.evidence))
    }

    #[test]
    fn vendor_forms_and_qualifiers() {
        use HeaderEvidence::*;
        assert_eq!(role("BillingPostalCode"), Some((Role::Postcode, Qualified)));
        assert_eq!(
            role("Default Address Zip"),
            Some((Role::Postcode, Qualified))
        );
        assert_eq!(role("Postal_Code__c"), Some((Role::Postcode, Synonym)));
        assert_eq!(role("ns__PostalCode__c"), Some((Role::Postcode, Synonym)));
        assert_eq!(role("Company Name"), Some((Role::Organisation, Synonym)));
        assert_eq!(role("Asiakkaan sähköposti"), Some((Role::Email, Qualified)));
        assert_eq!(role("Nimi 2"), Some((Role::Name, Compound)));
        assert_eq!(role("telefon hem"), Some((Role::Phone, Synonym)));
        assert_eq!(role("Customer ID"), Some((Role::Key, Qualified)));
        assert_eq!(role("Group ID"), None);
        assert_eq!(role("ID"), Some((Role::Key, Synonym)));
    }

    #[test]
    fn compounds_take_the_longest_head() {
        use HeaderEvidence::*;
        assert_eq!(
            role("Toimituspostinumero"),
            Some((Role::Postcode, Compound))
        );
        assert_eq!(role("Laskutusosoite"), Some((Role::Address, Compound)));
        assert_eq!(role("Sähköpostiosoite"), Some((Role::Email, Compound)));
        assert_eq!(role("Osoite"), Some((Role::Address, Compound)));
    }

    #[test]
    fn qualifiers_about_something_else_block() {
        assert_eq!(role("Product Name"), None);
        assert_eq!(role("Order ID"), None);
        assert_eq!(role("Tuotenimi"), None);
        assert_eq!(role("favourite colour"), None);
    }

    #[test]
    fn any_text_is_safe() {
        for header in [
            "spärr", "ä__c", "__c", "ö", "", "  ", "ää__C", "x__ä__c", "§§§",
        ] {
            let _ = index().match_header(header);
            let _ = header_words(header);
        }
        assert_eq!(header_words("Äidinkieli__c"), vec!["aidinkieli"]);
    }
}
