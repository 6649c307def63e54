//! Rule metadata lives in `rules/<ID>.toml`: id, name, severity, legal
//! reference and the three doc sections that `regaudit explain ID` prints.

use crate::finding::Severity;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuleDoc {
    /// What it does.
    pub what: String,
    /// Why it matters.
    pub why: String,
    /// An example of a violating and a clean record.
    pub example: String,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    pub id: String,
    pub name: String,
    pub severity: Severity,
    /// Legal references, e.g. `GDPR Art. 5(1)(e)`.
    pub legal: Vec<String>,
    /// One line for `regaudit rules`.
    pub summary: String,
    pub doc: RuleDoc,
}

impl RuleMeta {
    pub fn parse(source_name: &str, text: &str) -> Result<RuleMeta, String> {
        toml::from_str(text).map_err(|e| format!("{source_name}: {e}"))
    }
}
