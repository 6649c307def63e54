//! The coverage section of a report: for each register, file and rule,
//! whether the rule ran, on which columns, and when not, why.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoverageStatus {
    /// The rule ran on the columns listed.
    Evaluated,
    /// Nothing for the rule to check here, and nothing missing.
    Skipped,
    /// The rule applies but no column could feed it (a COV001 finding).
    NotEvaluated,
}

#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CoverageEntry {
    pub register: String,
    /// The data file, the event log for event rules, or `-` where neither was read.
    pub file: String,
    pub rule: String,
    pub status: CoverageStatus,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Roles that would make a rule that did not run run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<String>,
}

/// The start of the reason every rule skipped for lack of a notice gives.
pub const NO_NOTICE: &str = "no notice given";
