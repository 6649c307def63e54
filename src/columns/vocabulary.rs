//! The shared vocabulary: data categories (rules/categories.toml) and column
//! roles with their header synonyms (rules/columns.toml). Both are data, so a
//! user can read them and the tests check that code and data agree.

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
    pub headers: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct CategoriesFile {
    categories: BTreeMap<String, CategoryInfo>,
}

#[derive(Debug, Deserialize)]
struct ColumnsFile {
    roles: BTreeMap<String, RoleInfo>,
}

/// Categories and roles, parsed once from the files built into the binary.
#[derive(Debug)]
pub struct Vocabulary {
    pub categories: BTreeMap<String, CategoryInfo>,
    pub roles: BTreeMap<String, RoleInfo>,
    header_index: BTreeMap<String, Role>,
    /// Per role (`role as usize`), for lookups on the row path without a map.
    pub(super) kinds: Vec<CellKind>,
    pub(super) role_categories: Vec<String>,
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
        let mut header_index = BTreeMap::new();
        for (name, info) in &columns.roles {
            if let Some(role) = Role::from_name(name) {
                for header in &info.headers {
                    header_index.insert(normalize_header(header), role);
                }
            }
        }
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
            header_index,
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

    /// The role a header names, after normalisation.
    pub fn role_for_header(&self, header: &str) -> Option<Role> {
        self.header_index.get(&normalize_header(header)).copied()
    }

    /// All category names, for "did you mean" hints.
    pub fn category_names(&self) -> Vec<&str> {
        self.categories.keys().map(String::as_str).collect()
    }
}

/// Whether `declared` covers `category`: equal, or an ancestor on a dot boundary.
pub fn covers(declared: &str, category: &str) -> bool {
    category == declared
        || (category.starts_with(declared)
            && category.as_bytes().get(declared.len()) == Some(&b'.'))
}

/// `SähköpostiOsoite`, `sahkoposti-osoite` and `Sähköposti osoite` all become
/// `sahkoposti_osoite`: lower case, Finnish letters folded, camelCase split.
pub fn normalize_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len() + 4);
    let mut prev_lower = false;
    for c in header.trim().chars() {
        let folded = match c {
            'ä' | 'Ä' | 'å' | 'Å' => 'a',
            'ö' | 'Ö' => 'o',
            'é' | 'É' => 'e',
            'ü' | 'Ü' => 'u',
            ' ' | '-' | '.' | '/' => '_',
            other => other,
        };
        if folded.is_uppercase() && prev_lower {
            out.push('_');
        }
        prev_lower = folded.is_lowercase() || folded.is_ascii_digit();
        out.extend(folded.to_lowercase());
    }
    // Collapse repeated separators.
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '_' && (collapsed.ends_with('_') || collapsed.is_empty()) {
            continue;
        }
        collapsed.push(c);
    }
    collapsed.trim_end_matches('_').to_string()
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
