//! What the baseline and the allowlist made of a scan's findings: new,
//! existing and fixed counts, and each allowlist entry's use. Present in the
//! report only when a baseline or an allowlist was given.

use crate::baseline::BaselineEntry;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The comparison with `scan --baseline FILE`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BaselineSummary {
    /// The baseline file as given.
    pub file: String,
    /// Findings not in the baseline (these decide the exit status).
    pub new: u64,
    /// Findings the baseline already had.
    pub existing: u64,
    /// Baseline findings this scan no longer has (the sum of `fixed_findings` counts).
    pub fixed: u64,
    /// New findings by severity (all five levels).
    pub new_by_severity: BTreeMap<String, u64>,
    /// The baseline's entries that are gone, with how many of each.
    pub fixed_findings: Vec<BaselineEntry>,
}

/// The allowlist (`[[allow]]` in regaudit.toml) and what it did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AllowlistSummary {
    /// Findings suppressed (reported, but not counted for the exit status).
    pub suppressed: u64,
    /// Every entry, in file order.
    pub entries: Vec<AllowEntryReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum AllowStatus {
    /// Suppressed at least one finding.
    Active,
    /// Past its `expires` date: suppresses nothing; `matched` counts what it would have.
    Expired,
    /// Matched no finding: the finding is gone, or the entry is mistyped.
    Unused,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AllowEntryReport {
    /// Where the entry stands: `regaudit.toml:14`.
    pub entry: String,
    pub status: AllowStatus,
    /// Findings the entry matched.
    pub matched: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}
