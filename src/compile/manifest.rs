//! The manifest a plan writes beside its SQL: what `regaudit report` needs to
//! turn the engine's findings table into the report `scan` would make (the
//! rules as run, coverage, the column mapping), and what makes a findings
//! table traceable to the plan that made it (versions, the semantics hash).

use super::dialect::Engine;
use crate::columns::ColumnInfo;
use crate::finding::Severity;
use crate::result::CoverageEntry;
use crate::rules::RuleMeta;
use serde::{Deserialize, Serialize};

/// The version of the plan format; `report` refuses others.
pub const PLAN_SCHEME: &str = "regaudit-sql-plan/1";
/// How the findings table's hashes become fingerprints (see `readback`).
pub const FINGERPRINT_SCHEME: &str = "regaudit-sql-fingerprint/1";

/// The findings table: name and SQL type of each column, in order.
pub const FINDINGS_SCHEMA: [(&str, &str); 12] = [
    ("rule", "text"),
    ("severity", "text"),
    ("register", "text"),
    ("file", "text"),
    ("row", "bigint, null where the engine has no row order"),
    ("record", "text, the masked record key, null without a key"),
    ("column", "text"),
    ("message", "text"),
    ("evidence", "text, masked"),
    ("detail", "text, tells apart several hits in one cell"),
    (
        "identity_hash",
        "text, keyed SHA-256 of the record key, null without a key",
    ),
    (
        "value_hash",
        "text, keyed SHA-256 of the violating value, empty without one",
    ),
];

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub scheme: String,
    pub fingerprint_scheme: String,
    pub engine: Engine,
    pub regaudit_version: String,
    /// The audit date, a literal in the SQL.
    pub as_of: String,
    /// BLAKE3 of the SQL script: equal hashes, equal semantics.
    pub semantics_hash: String,
    pub findings_schema: Vec<SchemaColumn>,
    /// Every enabled rule in catalogue order: compiled, or refused and why.
    pub rules: Vec<RuleEntry>,
    pub sources: Vec<Source>,
    pub coverage: Vec<CoverageEntry>,
    /// Findings known when planning (COV001 about rules that cannot run):
    /// they hold no personal data and are added by `report`.
    pub static_findings: Vec<StaticFinding>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SchemaColumn {
    pub name: String,
    pub r#type: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RuleEntry {
    pub id: String,
    /// BLAKE3 of the rule's SQL, empty when refused: the rule's version.
    pub version: String,
    pub compiled: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    /// The metadata with the severity it runs at.
    pub meta: RuleMeta,
}

/// One data input: where the engine reads it and how its columns map.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Source {
    pub register: String,
    /// How findings name the file (`scan` names the local path).
    pub file: String,
    /// The engine's view the runner fills (`regaudit_source_N`).
    pub view: String,
    /// What the view reads: a table name or a file path.
    pub table: String,
    /// Whether `table` is a file path (else a table name in the engine).
    pub is_path: bool,
    pub format: String,
    pub delimiter: Option<char>,
    pub key: Option<String>,
    pub columns: Vec<ColumnInfo>,
    /// The columns (indices into `columns`) the compiled rules read: the
    /// only ones the rows view trims.
    pub columns_read: Vec<usize>,
    /// `events` or `bans` for a marketing log, whose rows view also numbers
    /// its rows in file order (`__order`); absent for a data file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    /// A JSON source's Spark schema, every leaf a string (`nested`), which
    /// `run_spark.py` reads the file with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spark_schema: Option<String>,
}

/// The pseudo-rule of the findings table's row-count rows: one per source,
/// its view in `column` and the rows the engine read in `row`.
pub const ROW_COUNT_RULE: &str = "__rows";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StaticFinding {
    pub rule: String,
    pub severity: Severity,
    pub register: String,
    pub file: String,
    pub message: String,
    pub evidence: Option<String>,
    pub detail: String,
}

pub fn findings_schema() -> Vec<SchemaColumn> {
    FINDINGS_SCHEMA
        .iter()
        .map(|(name, ty)| SchemaColumn {
            name: name.to_string(),
            r#type: ty.to_string(),
        })
        .collect()
}
