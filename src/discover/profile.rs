//! Profiles one export: reads it once through the one reader, resolves each
//! column the way `scan` would with no config (header, then content), and
//! attaches the evidence counted over every row.

use super::evidence::{ColumnEvidence, EXAMPLES};
use crate::columns::{resolve_columns, ColumnInfo, ColumnSample, MappingSource, Role};
use crate::error::InputError;
use crate::ingest::{InputPath, ReadOptions, RejectedRow, RowSource, RowVisitor, SourceInfo};
use std::path::PathBuf;

/// One column: what `scan` would take it for, and why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ColumnProfile {
    pub name: String,
    pub role: Role,
    /// The data category it holds; `None` when nothing says.
    pub category: Option<String>,
    pub source: MappingSource,
    pub confidence: f64,
    /// What decided the role (header synonym or content share).
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub share_empty: f64,
    pub evidence: ColumnEvidence,
}

/// One file's profile.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileProfile {
    pub file: PathBuf,
    #[serde(flatten)]
    pub info: SourceInfo,
    pub rows: u64,
    pub rejected_rows: u64,
    pub columns: Vec<ColumnProfile>,
}

impl FileProfile {
    /// The column `scan` would take as the record key, if one is.
    pub fn key(&self) -> Option<&ColumnProfile> {
        self.columns.iter().find(|c| c.role == Role::Key)
    }
}

/// Everything one pass over the rows gathers.
struct Gather {
    sample: ColumnSample,
    evidence: Vec<ColumnEvidence>,
    /// The first distinct raw values, masked once roles are known, then dropped.
    raw_examples: Vec<Vec<String>>,
    rows: u64,
    rejected: u64,
}

impl RowVisitor for Gather {
    fn row(&mut self, row: u64, cells: &[Option<&str>]) {
        self.sample.row(row, cells);
        self.rows += 1;
        for (i, evidence) in self.evidence.iter_mut().enumerate() {
            let cell = cells.get(i).copied().flatten();
            evidence.add(cell);
            let examples = &mut self.raw_examples[i];
            if let Some(value) = cell {
                if examples.len() < EXAMPLES && !examples.iter().any(|e| e == value) {
                    examples.push(value.to_string());
                }
            }
        }
    }

    fn reject(&mut self, _rejected: RejectedRow) {
        self.rejected += 1;
    }
}

/// Reads `input` and profiles each column. `reveal` shows examples unmasked.
pub fn profile_file(
    input: &InputPath,
    read: &ReadOptions,
    reveal: bool,
) -> Result<FileProfile, InputError> {
    let mut source = RowSource::open(input, read)?;
    let width = source.headers.len();
    let mut gather = Gather {
        sample: ColumnSample::new(width),
        evidence: vec![ColumnEvidence::default(); width],
        raw_examples: vec![Vec::new(); width],
        rows: 0,
        rejected: 0,
    };
    source.visit_all(&mut gather)?;
    let resolved = resolve_columns(&source.headers, &[], &gather.sample);
    let columns = resolved
        .into_iter()
        .zip(gather.evidence)
        .zip(gather.raw_examples)
        .map(|((info, mut evidence), raw)| {
            for value in &raw {
                evidence.keep_example(value, info.role, reveal);
            }
            column_profile(info, evidence)
        })
        .collect();
    Ok(FileProfile {
        file: source.path.clone(),
        info: source.info.clone(),
        rows: gather.rows,
        rejected_rows: gather.rejected,
        columns,
    })
}

fn column_profile(info: ColumnInfo, evidence: ColumnEvidence) -> ColumnProfile {
    ColumnProfile {
        name: info.name,
        role: info.role,
        category: info.category,
        source: info.source,
        confidence: info.confidence,
        reason: info.evidence,
        note: info.note,
        share_empty: evidence.share_empty(),
        evidence,
    }
}
