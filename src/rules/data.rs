//! Rule data kept in `rules/` rather than code: legal-basis synonyms, country
//! lists and the health lexicon. Parsed once; the tests check the files.

use crate::notice::LegalBasis;
use crate::text::{value_key, with_value_key};
use regex_automata::meta::Regex as MetaRegex;
use regex_automata::Input;
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
    with_value_key(raw, |key| legal_basis_synonyms().get(key).copied())
}

/// Every legal-basis synonym by its value key, sorted: for compilers that
/// write the lookup out (`compile`).
pub fn legal_basis_keys() -> Vec<(&'static str, LegalBasis)> {
    let mut keys: Vec<(&'static str, LegalBasis)> = legal_basis_synonyms()
        .iter()
        .map(|(k, b)| (k.as_str(), *b))
        .collect();
    keys.sort_by(|a, b| a.0.cmp(b.0));
    keys
}

fn legal_basis_synonyms() -> &'static HashMap<String, LegalBasis> {
    static SYNONYMS: OnceLock<HashMap<String, LegalBasis>> = OnceLock::new();
    SYNONYMS.get_or_init(|| {
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
    })
}

/// The bases a legal-basis cell names (`sopimus; suostumus` names two), or the
/// unrecognised part.
pub fn legal_bases(raw: &str) -> impl Iterator<Item = Result<LegalBasis, &str>> {
    raw.split([',', ';', '/', '+'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| normalize_legal_basis(p).ok_or(p))
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

    /// Every country name (as its value key) with its code, sorted: for
    /// compilers that write the lookup out (`compile`).
    pub fn names(&self) -> Vec<(&str, CountryCode)> {
        let mut names: Vec<(&str, CountryCode)> =
            self.names.iter().map(|(k, c)| (k.as_str(), *c)).collect();
        names.sort_by(|a, b| a.0.cmp(b.0));
        names
    }
}

/// `rules/lexicon/health.toml`; its header comment explains each list.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HealthFile {
    #[allow(dead_code)]
    category: String,
    stems: Vec<String>,
    heads: Vec<String>,
    words: Vec<String>,
    exclude: Vec<String>,
    decoy_patterns: Vec<String>,
    compounds: Vec<Compound>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Compound {
    modifiers: Vec<String>,
    heads: Vec<String>,
    #[serde(default)]
    apart: bool,
}

/// Letters and digits: what a word is made of. Written as a class rather than
/// `\w` or `\b`, whose Unicode forms keep the regex off its fast DFA.
const WORD: &str = r"[\p{L}\p{N}]";

/// One lexicon entry as a pattern: escaped, with each space standing for any
/// run of spaces or hyphens ("sick leave" also matches "sick-leave").
fn entry(text: &str) -> String {
    let words: Vec<String> = text.split_whitespace().map(regex::escape).collect();
    words.join(r"[\s\-]+")
}

fn any_of(entries: &[String]) -> String {
    let entries: Vec<String> = entries.iter().map(|e| entry(e)).collect();
    format!("(?:{})", entries.join("|"))
}

/// The lexicon's patterns before they are joined: each decoy and each health
/// alternative that must start at a word edge is written as what follows the
/// edge character; `heads` match anywhere. [`health_lexicon`] and the SQL
/// compiler (`compile::lexicon`) both build from these, so they cannot drift.
pub struct HealthPatterns {
    pub decoys: Vec<String>,
    pub at_edge: Vec<String>,
    pub heads: String,
}

/// The word edge a pattern starts on: the start of the text, or a character
/// that is no letter or digit.
pub const HEALTH_EDGE: &str = r"(?:^|[^\p{L}\p{N}])";

pub fn health_patterns() -> HealthPatterns {
    let file: HealthFile = toml::from_str(HEALTH_TOML).expect("rules/lexicon/health.toml is valid");
    let mut decoys = vec![format!("{WORD}*{}", any_of(&file.exclude))];
    decoys.extend(file.decoy_patterns.iter().map(|p| format!("(?:{p})")));
    let mut at_edge = vec![
        any_of(&file.stems),
        format!(r"{}(?:$|[^\p{{L}}\p{{N}}])", any_of(&file.words)),
    ];
    for compound in &file.compounds {
        let joint = if compound.apart { r"[\s\-]*" } else { r"\-?" };
        at_edge.push(format!(
            "{}{joint}{}",
            any_of(&compound.modifiers),
            any_of(&compound.heads)
        ));
    }
    HealthPatterns {
        decoys,
        at_edge,
        heads: any_of(&file.heads),
    }
}

/// The lexicon as one two-pattern regex (regex-automata's meta engine, the one
/// behind the regex crate). Pattern 0 is the decoys, pattern 1 the health
/// terms: at a word edge a stem, a compound or a whole word, or anywhere a
/// compound head. Leftmost-first search prefers the lower pattern where both
/// start at the same place ("sjukt bra" over "sjuk"), and a decoy that starts
/// earlier wins anyway ("under cancer", and a word-start decoy over a head
/// inside its word); the match itself says which pattern it is, so no capture
/// groups are resolved. Word edges are "not a letter or digit" classes rather
/// than Unicode `\b`, which would keep the search off its lazy DFA; a match
/// includes that edge character. Patterns stop where the term does (no
/// `[\p{L}]*` tails, which grow the automaton); [`health_word`] widens a match
/// to whole words.
pub fn health_lexicon() -> &'static MetaRegex {
    static LEXICON: OnceLock<MetaRegex> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let HealthPatterns {
            decoys,
            at_edge,
            heads,
        } = health_patterns();
        let decoy = format!("(?i){HEALTH_EDGE}(?:{})", decoys.join("|"));
        let health = format!("(?i){HEALTH_EDGE}(?:{})|{heads}", at_edge.join("|"),);
        MetaRegex::builder()
            // Room for the lazy DFA's states (per thread, built only as text
            // needs them): with the default 2 MB the cache is cleared so often
            // on varied notes that the search falls back to a far slower engine
            // (the corpus of tests/health_lexicon.rs ran 200 times slower);
            // 8 MB was enough for it.
            .configure(MetaRegex::config().hybrid_cache_capacity(32 << 20))
            .build_many(&[decoy, health])
            .expect("health lexicon compiles")
    })
}

/// The first health term in `text`, widened to whole words, if any; decoys are
/// skipped. Most notes have no match at all and cost one DFA scan.
pub fn health_word(text: &str) -> Option<&str> {
    let lexicon = health_lexicon();
    let mut at = 0;
    while let Some(found) = lexicon.search(&Input::new(text).range(at..)) {
        let matched = &text[found.range()];
        let last = matched.chars().next_back();
        let ends_on_edge = !last.is_some_and(char::is_alphanumeric);
        if found.pattern().as_usize() == 1 {
            let edge = |c: char| !c.is_alphanumeric();
            let start = found.end() - matched.trim_start_matches(edge).len();
            let end = if ends_on_edge {
                found.start() + matched.trim_end_matches(edge).len()
            } else {
                word_end(text, found.end())
            };
            return Some(&text[word_start(text, start)..end.max(start)]);
        }
        // A decoy hides the rest of its word; an edge it ended on starts the next.
        at = if ends_on_edge {
            found.end() - last.map_or(0, char::len_utf8)
        } else {
            word_end(text, found.end())
        }
        .max(found.start() + 1);
    }
    None
}

fn word_start(text: &str, at: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(0, |(i, c)| i + c.len_utf8())
}

fn word_end(text: &str, at: usize) -> usize {
    text[at..]
        .find(|c: char| !c.is_alphanumeric())
        .map_or(text.len(), |i| at + i)
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
        assert_eq!(health_word("Sairaalakatu 5"), None);
    }

    #[test]
    fn health_words_inside_compounds_and_inflected() {
        assert_eq!(health_word("Polvileikkaus tulossa"), Some("Polvileikkaus"));
        assert_eq!(
            health_word("toipuu selkäleikkauksesta"),
            Some("selkäleikkauksesta")
        );
        assert_eq!(health_word("Olkapää kipu vaivaa"), Some("Olkapää kipu"));
        assert_eq!(health_word("Ruoka-aineallergia"), Some("aineallergia"));
        assert_eq!(
            health_word("heltidssjukskriven"),
            Some("heltidssjukskriven")
        );
        assert_eq!(
            health_word("Recovering from knee surgery"),
            Some("knee surgery")
        );
        assert_eq!(
            health_word("leikkauksen jälkeen ei nostoja"),
            Some("leikkauksen jälkeen")
        );
        assert_eq!(health_word("Colleague on sick leave"), Some("sick"));
    }

    #[test]
    fn decoys_are_skipped() {
        assert_eq!(health_word("Hiusten leikkaus + värjäys"), None);
        assert_eq!(health_word("Sairaan hyvä palvelu"), None);
        assert_eq!(health_word("Allergiaystävällinen tyyny 2 kpl"), None);
        assert_eq!(health_word("Työnantaja Lääkärikeskus Aava Oy"), None);
        assert_eq!(health_word("MS Teams -linkki lähetetty"), None);
        assert_eq!(health_word("Sjukt bra service"), None);
        assert_eq!(health_word("Virus asiakkaan läppärissä"), None);
        assert_eq!(health_word("Sick of waiting for the courier"), None);
        // The search goes on after a decoy, also past the edge it ended on.
        assert_eq!(
            health_word("Sjukhusvägen 12, diabetiker"),
            Some("diabetiker")
        );
        assert_eq!(health_word("MS Teams; har MS"), Some("MS"));
    }
}
