//! Rule data kept in `rules/` rather than code: legal-basis synonyms, country
//! lists and the health lexicon. Parsed once; the tests check the files.

use crate::notice::LegalBasis;
use crate::text::{value_key, with_value_key};
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

pub const LEGAL_BASES_TOML: &str = include_str!("../../rules/legal_bases.toml");
pub const COUNTRIES_TOML: &str = include_str!("../../rules/countries.toml");
pub const HEALTH_TOML: &str = include_str!("../../rules/lexicon/health.toml");

#[derive(Deserialize)]
struct LegalBasesFile {
    synonyms: BTreeMap<String, Vec<String>>,
}

/// Maps a legal basis as exports write it (`sopimus`, `Suostumus`,
/// `legitimate_interests`, `6(1)(f)`) to the basis. Values and synonyms are
/// compared by their value key (`text::value_key`): case, accents,
/// underscores and punctuation do not matter.
pub fn normalize_legal_basis(raw: &str) -> Option<LegalBasis> {
    static SYNONYMS: OnceLock<HashMap<String, LegalBasis>> = OnceLock::new();
    let map = SYNONYMS.get_or_init(|| {
        let file: LegalBasesFile =
            toml::from_str(LEGAL_BASES_TOML).expect("rules/legal_bases.toml is valid");
        let mut map = HashMap::default();
        for (name, words) in file.synonyms {
            let basis = LegalBasis::parse(&name).expect("legal_bases.toml uses canonical names");
            map.insert(value_key(&name), basis);
            for word in words {
                map.insert(value_key(&word), basis);
            }
        }
        map
    });
    with_value_key(raw, |key| map.get(key).copied())
}

#[derive(Deserialize)]
struct CountriesFile {
    eu: Vec<String>,
    eea: Vec<String>,
    adequacy: Vec<String>,
    partial_adequacy: Vec<String>,
    #[serde(default)]
    names: BTreeMap<String, String>,
}

/// An ISO 3166 alpha-2 code in upper case, kept inline (this is looked up on
/// every row that names a country).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// `fi` → `FI`; anything but two ASCII letters is `None`.
    pub fn parse(s: &str) -> Option<CountryCode> {
        match s.as_bytes() {
            &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => Some(CountryCode([
                a.to_ascii_uppercase(),
                b.to_ascii_uppercase(),
            ])),
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        // Two ASCII letters by construction.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

/// The EU/EEA and adequacy lists of `rules/countries.toml`.
pub struct Countries {
    eea: HashSet<CountryCode>,
    adequacy: HashSet<CountryCode>,
    partial: HashSet<CountryCode>,
    names: HashMap<String, CountryCode>,
}

pub fn countries() -> &'static Countries {
    static COUNTRIES: OnceLock<Countries> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let file: CountriesFile =
            toml::from_str(COUNTRIES_TOML).expect("rules/countries.toml is valid");
        let code = |c: &String| CountryCode::parse(c).expect("countries.toml holds alpha-2 codes");
        let codes = |list: Vec<String>| list.iter().map(code).collect();
        Countries {
            eea: codes(file.eu.into_iter().chain(file.eea).collect()),
            adequacy: codes(file.adequacy),
            partial: codes(file.partial_adequacy),
            names: file
                .names
                .iter()
                .map(|(k, v)| (value_key(k), code(v)))
                .collect(),
        }
    })
}

impl Countries {
    /// An ISO alpha-2 code from a code or a common name (`fi`, `Suomi`,
    /// `Finland`, `United_States`), names compared by value key.
    pub fn code(&self, raw: &str) -> Option<CountryCode> {
        let s = raw.trim();
        CountryCode::parse(s).or_else(|| with_value_key(s, |key| self.names.get(key).copied()))
    }

    pub fn in_eea(&self, code: CountryCode) -> bool {
        self.eea.contains(&code)
    }

    pub fn has_adequacy(&self, code: CountryCode) -> bool {
        self.adequacy.contains(&code)
    }

    /// Adequacy only for some recipients (Canada: PIPEDA; US: Data Privacy Framework).
    pub fn is_partial(&self, code: CountryCode) -> bool {
        self.partial.contains(&code)
    }
}

#[derive(Deserialize)]
struct HealthFile {
    #[allow(dead_code)]
    category: String,
    stems: Vec<String>,
    words: Vec<String>,
}

/// Finds health words in free text: word-start stems (`diabe` → diabeetikko)
/// and whole short words (`hiv`), case-insensitively. Word edges are written as
/// "not a letter or digit" classes rather than `\b`: Unicode `\b` would keep the
/// regex engine off its fast DFA, and this scan runs on every note. The match
/// includes that edge character; `health_word` strips it.
pub fn health_lexicon() -> &'static Regex {
    static LEXICON: OnceLock<Regex> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let file: HealthFile =
            toml::from_str(HEALTH_TOML).expect("rules/lexicon/health.toml is valid");
        let stems: Vec<String> = file
            .stems
            .iter()
            .map(|s| regex::escape(&s.to_lowercase()))
            .collect();
        let words: Vec<String> = file
            .words
            .iter()
            .map(|w| regex::escape(&w.to_lowercase()))
            .collect();
        let pattern = format!(
            r"(?i)(?:^|[^\p{{L}}\p{{N}}])((?:{})[\p{{L}}\p{{N}}]*|(?:{})(?:$|[^\p{{L}}\p{{N}}]))",
            stems.join("|"),
            words.join("|")
        );
        Regex::new(&pattern).expect("health lexicon compiles")
    })
}

/// The first health word in `text`, if any. A plain `find` (no capture
/// groups) keeps the search on the regex's DFA; the edge characters the match
/// includes are trimmed off instead.
pub fn health_word(text: &str) -> Option<&str> {
    let found = health_lexicon().find(text)?;
    Some(found.as_str().trim_matches(|c: char| !c.is_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_bases_normalise_from_finnish_and_english() {
        assert_eq!(normalize_legal_basis("Sopimus"), Some(LegalBasis::Contract));
        assert_eq!(
            normalize_legal_basis(" suostumus "),
            Some(LegalBasis::Consent)
        );
        assert_eq!(
            normalize_legal_basis("oikeutettu etu"),
            Some(LegalBasis::LegitimateInterests)
        );
        assert_eq!(
            normalize_legal_basis("6(1)(c)"),
            Some(LegalBasis::LegalObligation)
        );
        assert_eq!(normalize_legal_basis("koska haluan"), None);
    }

    #[test]
    fn countries_classify() {
        let c = countries();
        let code = |s| CountryCode::parse(s).unwrap();
        assert!(c.in_eea(code("FI")) && c.in_eea(code("NO")) && c.in_eea(code("GR")));
        assert!(!c.in_eea(code("US")) && c.has_adequacy(code("JP")) && c.is_partial(code("us")));
        assert_eq!(
            c.code("se").map(|c| c.as_str().to_string()).as_deref(),
            Some("SE")
        );
        assert_eq!(
            c.code("Suomi").map(|c| c.as_str().to_string()).as_deref(),
            Some("FI")
        );
        assert_eq!(c.code("Finland"), c.code(" fi "));
    }

    #[test]
    fn health_words_match_at_word_starts() {
        assert_eq!(health_word("Asiakas on diabeetikko."), Some("diabeetikko"));
        assert_eq!(health_word("ALLERGINEN pähkinälle"), Some("ALLERGINEN"));
        assert_eq!(health_word("Depression history"), Some("Depression"));
        assert_eq!(health_word("hiv-positiivinen"), Some("hiv"));
        assert_eq!(health_word("Toivoo iltapäiväaikoja"), None);
        assert_eq!(health_word("Laskutus yritykselle"), None);
        assert_eq!(health_word("Sairaalakatu 5"), Some("Sairaalakatu"));
    }
}
