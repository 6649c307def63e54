//! How a column was understood: its role, its data category and what decided
//! it. The config's mapping (`ColumnSpec`) is written in the same vocabulary.

use super::role::Role;
use super::vocabulary::vocabulary;

/// How a column's meaning was decided, shown by `--show-mapping`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum MappingSource {
    Config,
    Header,
    Content,
    None,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct ColumnInfo {
    pub name: String,
    pub role: Role,
    /// The personal-data category the column holds; `None` when unknown.
    pub category: Option<String>,
    pub source: MappingSource,
    /// 0–1: how sure the mapping is (1 for the config's word).
    pub confidence: f64,
    /// What decided it: the synonym or head that matched, or the content share.
    pub evidence: String,
    /// Where header and content disagree, what the content says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a mapped column holds: a role for the rules and its data category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    pub role: Role,
    pub category: String,
}

impl ColumnSpec {
    /// A role name (`identity_code`) or a category (`user.contact.email`).
    pub fn parse(value: &str) -> Option<ColumnSpec> {
        if let Some(role) = Role::from_name(value) {
            return Some(ColumnSpec {
                role,
                category: role.category().to_string(),
            });
        }
        if vocabulary().is_category(value) {
            // A category-only mapping: pick the role whose category it is, if one is.
            let role = Role::ALL
                .iter()
                .copied()
                .find(|r| r.category() == value && *r != Role::Other)
                .unwrap_or(Role::Other);
            return Some(ColumnSpec {
                role,
                category: value.to_string(),
            });
        }
        None
    }
}
