//! The shared vocabulary: data categories (rules/categories.toml) and column
//! roles with their header synonyms (rules/columns.toml). Both are data, so a
//! user can read them and the tests check that code and data agree.

use super::headers::{HeaderIndex, HeaderMatch};
use super::role::Role;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CellKind {
    Text,
    Date,
    Bool,
    Country,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryInfo {
    pub label: String,
    #[serde(default)]
    pub special: bool,
    #[serde(default)]
    pub extension: bool,
    /// Record-keeping about the processing itself (dates, flags, basis, location),
    /// not a category of personal data a notice lists.
    #[serde(default)]
    pub bookkeeping: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleInfo {
    pub category: String,
    pub kind: CellKind,
    /// Whole-phrase synonyms (`email_address`, `sahkoposti`).
    pub headers: Vec<String>,
    /// Compound heads: a last word ending in one names this role
    /// (`postinumero` in `Toimituspostinumero`).
    #[serde(default)]
    pub heads: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CategoriesFile {
    categories: BTreeMap<String, CategoryInfo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnsFile {
    matching: Matching,
    roles: BTreeMap<String, RoleInfo>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Matching {
    /// Leading words that say a column is about something other than the
    /// person (`Product Name`, `Order ID`): a synonym after them does not count.
    blocking_qualifiers: Vec<String>,
    /// Words naming the register's subject (`Customer`, `Jäsenen`).
    subject_qualifiers: Vec<String>,
    /// Phrases that name a role only as the whole header or after a subject
    /// qualifier: `ID`, `Customer ID`, but not `Group ID`.
    subject_phrases: BTreeMap<String, String>,
    /// Words that may follow the part naming the role (`Telefon hem`).
    trailing_qualifiers: Vec<String>,
}

/// Categories and roles, parsed once from the files built into the binary.
#[derive(Debug)]
pub struct Vocabulary {
    pub categories: BTreeMap<String, CategoryInfo>,
    pub roles: BTreeMap<String, RoleInfo>,
    headers: HeaderIndex,
    /// Per role (`role as usize`), for lookups on the row path without a map.
    kinds: Vec<CellKind>,
    role_categories: Vec<String>,
}

pub const CATEGORIES_TOML: &str = include_str!("../../rules/categories.toml");
pub const COLUMNS_TOML: &str = include_str!("../../rules/columns.toml");

pub fn vocabulary() -> &'static Vocabulary {
    static VOCAB: OnceLock<Vocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| {
        // Built-in data, checked by tests: a failure here is a build defect.
        let categories: CategoriesFile =
            toml::from_str(CATEGORIES_TOML).expect("rules/categories.toml is valid");
        let columns: ColumnsFile =
            toml::from_str(COLUMNS_TOML).expect("rules/columns.toml is valid");
        let mut headers = HeaderIndex::default();
        for (name, info) in &columns.roles {
            if let Some(role) = Role::from_name(name) {
                for header in &info.headers {
                    headers.add_phrase(header, role);
                }
                for head in &info.heads {
                    headers.add_head(head, role);
                }
            }
        }
        let matching = &columns.matching;
        for word in &matching.blocking_qualifiers {
            headers.add_blocking(word);
        }
        for word in &matching.subject_qualifiers {
            headers.add_subject_qualifier(word);
        }
        for (phrase, role) in &matching.subject_phrases {
            let role = Role::from_name(role).expect("rules/columns.toml: subject phrase role");
            headers.add_subject_phrase(phrase, role);
        }
        for word in &matching.trailing_qualifiers {
            headers.add_trailing(word);
        }
        headers.finish();
        let info = |r: Role| columns.roles.get(r.name());
        let kinds = Role::ALL
            .iter()
            .map(|r| info(*r).map_or(CellKind::Text, |i| i.kind))
            .collect();
        let role_categories = Role::ALL
            .iter()
            .map(|r| info(*r).map_or("system.operations".to_string(), |i| i.category.clone()))
            .collect();
        Vocabulary {
            categories: categories.categories,
            roles: columns.roles,
            headers,
            kinds,
            role_categories,
        }
    })
}

impl Vocabulary {
    pub fn is_category(&self, name: &str) -> bool {
        self.categories.contains_key(name)
    }

    pub fn is_bookkeeping(&self, category: &str) -> bool {
        self.categories.get(category).is_some_and(|c| c.bookkeeping)
    }

    pub fn is_special(&self, category: &str) -> bool {
        self.categories.get(category).is_some_and(|c| c.special)
    }

    /// The role a header names, and how it was recognised.
    pub fn match_header(&self, header: &str) -> Option<HeaderMatch> {
        self.headers.match_header(header)
    }

    /// The role a header names.
    pub fn role_for_header(&self, header: &str) -> Option<Role> {
        self.match_header(header).map(|m| m.role)
    }

    /// All category names, for "did you mean" hints.
    pub fn category_names(&self) -> Vec<&str> {
        self.categories.keys().map(String::as_str).collect()
    }
}

impl Role {
    /// The data category a column in this role holds.
    pub fn category(self) -> &'static str {
        vocabulary().role_categories[self as usize].as_str()
    }

    /// Whether cells in this role are read as dates.
    pub fn is_date(self) -> bool {
        self.cell_kind() == CellKind::Date
    }

    /// How rules read cells in this role.
    pub fn cell_kind(self) -> CellKind {
        vocabulary().kinds[self as usize]
    }
}

/// Whether `declared` covers `category`: equal, or an ancestor on a dot boundary.
pub fn covers(declared: &str, category: &str) -> bool {
    category == declared
        || (category.starts_with(declared)
            && category.as_bytes().get(declared.len()) == Some(&b'.'))
}

/// `SähköpostiOsoite`, `sahkoposti-osoite` and `Sähköposti osoite` all become
/// `sahkoposti_osoite`: the key a header is compared by (`text::name_key`).
pub fn normalize_header(header: &str) -> String {
    crate::text::name_key(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_normalise() {
        assert_eq!(normalize_header("Sähköposti"), "sahkoposti");
        assert_eq!(
            normalize_header("sahkoinenViestintaLupa"),
            "sahkoinen_viestinta_lupa"
        );
        assert_eq!(normalize_header("E-mail address"), "e_mail_address");
        assert_eq!(normalize_header("HETU"), "hetu");
        assert_eq!(normalize_header(" Asiakkuus päättyi "), "asiakkuus_paattyi");
    }

    #[test]
    fn every_role_is_in_the_data_and_every_category_exists() {
        let vocab = vocabulary();
        for &role in Role::ALL {
            let info = vocab
                .roles
                .get(role.name())
                .unwrap_or_else(|| panic!("role {} missing from rules/columns.toml", role.name()));
            assert!(vocab.is_category(&info.category), "{}", info.category);
        }
        for name in vocab.roles.keys() {
            assert!(
                Role::from_name(name).is_some(),
                "unknown role {name} in columns.toml"
            );
        }
    }

    #[test]
    fn synonyms_resolve_case_and_accent_insensitively() {
        let vocab = vocabulary();
        assert_eq!(
            vocab.role_for_header("Henkilötunnus"),
            Some(Role::IdentityCode)
        );
        assert_eq!(vocab.role_for_header("SOTU"), Some(Role::IdentityCode));
        assert_eq!(
            vocab.role_for_header("national_id"),
            Some(Role::IdentityCode)
        );
        assert_eq!(vocab.role_for_header("Sähköposti"), Some(Role::Email));
        assert_eq!(vocab.role_for_header("phone"), Some(Role::Phone));
        assert_eq!(vocab.role_for_header("favourite colour"), None);
    }

    #[test]
    fn categories_cover_their_children_only() {
        assert!(covers("user.contact", "user.contact.email"));
        assert!(covers("user.contact.email", "user.contact.email"));
        assert!(!covers("user.contact.email", "user.contact"));
        assert!(!covers("user.con", "user.contact"));
    }
}
