//! Rule data kept in `rules/` rather than code: legal-basis synonyms, country
//! lists and the health lexicon. Parsed once; the tests check the files.

use crate::notice::LegalBasis;
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

/// Maps a legal basis as exports write it (`sopimus`, `Suostumus`, `6(1)(f)`) to the basis.
pub fn normalize_legal_basis(raw: &str) -> Option<LegalBasis> {
    static SYNONYMS: OnceLock<HashMap<String, LegalBasis>> = OnceLock::new();
    let map = SYNONYMS.get_or_init(|| {
        let file: LegalBasesFile =
            toml::from_str(LEGAL_BASES_TOML).expect("rules/legal_bases.toml is valid");
        let mut map = HashMap::default();
        for (name, words) in file.synonyms {
            let basis = LegalBasis::parse(&name).expect("legal_bases.toml uses canonical names");
            map.insert(name.clone(), basis);
            for word in words {
                map.insert(word.trim().to_lowercase(), basis);
            }
        }
        map
    });
    let raw = raw.trim();
    // Runs on every row: lower-case short ASCII values without allocating.
    let mut buf = [0u8; 64];
    let key: std::borrow::Cow<str> = match buf.get_mut(..raw.len()) {
        Some(buf) if raw.is_ascii() => {
            buf.copy_from_slice(raw.as_bytes());
            buf.make_ascii_lowercase();
            std::str::from_utf8(buf).map_or_else(|_| raw.to_lowercase().into(), Into::into)
        }
        _ => raw.to_lowercase().into(),
    };
    map.get(key.as_ref())
        .copied()
        .or_else(|| LegalBasis::parse(&key))
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

/// The EU/EEA and adequacy lists of `rules/countries.toml`.
pub struct Countries {
    eea: HashSet<String>,
    adequacy: HashSet<String>,
    partial: HashSet<String>,
    names: HashMap<String, String>,
}

pub fn countries() -> &'static Countries {
    static COUNTRIES: OnceLock<Countries> = OnceLock::new();
    COUNTRIES.get_or_init(|| {
        let file: CountriesFile =
            toml::from_str(COUNTRIES_TOML).expect("rules/countries.toml is valid");
        Countries {
            eea: file.eu.into_iter().chain(file.eea).collect(),
            adequacy: file.adequacy.into_iter().collect(),
            partial: file.partial_adequacy.into_iter().collect(),
            names: file
                .names
                .into_iter()
                .map(|(k, v)| (k.to_lowercase(), v))
                .collect(),
        }
    })
}

impl Countries {
    /// An ISO alpha-2 code from a code or a common name (`fi`, `Suomi`, `Finland`).
    pub fn code(&self, raw: &str) -> Option<String> {
        let s = raw.trim();
        if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) {
            return Some(s.to_ascii_uppercase());
        }
        self.names.get(&s.to_lowercase()).cloned()
    }

    pub fn in_eea(&self, code: &str) -> bool {
        self.eea.contains(code)
    }

    pub fn has_adequacy(&self, code: &str) -> bool {
        self.adequacy.contains(code)
    }

    /// Adequacy only for some recipients (Canada: PIPEDA; US: Data Privacy Framework).
    pub fn is_partial(&self, code: &str) -> bool {
        self.partial.contains(code)
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
        assert!(c.in_eea("FI") && c.in_eea("NO") && c.in_eea("GR"));
        assert!(!c.in_eea("US") && c.has_adequacy("JP") && c.is_partial("US"));
        assert_eq!(c.code("se").as_deref(), Some("SE"));
        assert_eq!(c.code("Suomi").as_deref(), Some("FI"));
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
