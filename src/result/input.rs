//! Per input file: what was read and what happened to every row.

use crate::columns::ColumnInfo;
use crate::ingest::RejectedRow;
use serde::Serialize;

/// Per input file: what was read and what happened to every row.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InputReport {
    pub register: String,
    pub path: String,
    pub format: String,
    pub encoding: String,
    pub delimiter: Option<String>,
    pub rows_read: u64,
    pub rows_audited: u64,
    pub rows_rejected: u64,
    /// Every rejected row with its row number, line and reason.
    pub rejected: Vec<RejectedRow>,
    /// Things the auditor should know that are not findings (mapped columns missing, …).
    pub warnings: Vec<String>,
    /// How each column was understood; shown with `--show-mapping`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<ColumnInfo>,
}
