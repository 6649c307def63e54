//! The report: findings in deterministic order, a summary and per-file row
//! accounting. Each output format is one file behind the `Render` trait.

mod json;
pub mod store;
mod table;

use crate::finding::Severity;
use crate::ingest::RejectedRow;
use crate::rules::context::ColumnInfo;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use store::FindingStore;

/// Per input file: what was read and what happened to every row.
#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub total: u64,
    pub by_severity: BTreeMap<String, u64>,
    pub by_rule: BTreeMap<String, u64>,
    pub rows_read: u64,
    pub rows_audited: u64,
    pub rows_rejected: u64,
}

/// A finished audit: findings (possibly spilled to disk), summary and inputs.
/// Renderers consume it, reading the findings once in report order.
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub as_of: String,
    pub findings: FindingStore,
    pub summary: Summary,
    pub inputs: Vec<InputReport>,
}

impl Report {
    pub fn new(as_of: String, findings: FindingStore, inputs: Vec<InputReport>) -> Report {
        let mut summary = Summary {
            total: findings.total(),
            ..Summary::default()
        };
        for severity in Severity::ALL {
            let n = findings.by_severity().get(&severity).copied().unwrap_or(0);
            summary.by_severity.insert(severity.as_str().to_string(), n);
        }
        summary.by_rule = findings.by_rule().clone();
        for input in &inputs {
            summary.rows_read += input.rows_read;
            summary.rows_audited += input.rows_audited;
            summary.rows_rejected += input.rows_rejected;
        }
        Report {
            tool: "regaudit",
            version: env!("CARGO_PKG_VERSION"),
            as_of,
            findings,
            summary,
            inputs,
        }
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.by_severity().keys().max().copied()
    }
}

/// Output formats. Extend here (SARIF, JUnit, CSV, Markdown, HTML) with one file each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Table,
    Json,
}

/// Options that change how a report is shown but not what it says.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    pub show_mapping: bool,
    /// Examples shown per group in the table.
    pub examples: usize,
}

pub trait Render {
    /// Writes the report; consumes it because findings are read back once.
    fn render(
        &self,
        report: Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()>;
}

pub fn renderer(format: OutputFormat) -> Box<dyn Render> {
    match format {
        OutputFormat::Table => Box::new(table::TableRender),
        OutputFormat::Json => Box::new(json::JsonRender),
    }
}
