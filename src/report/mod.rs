//! The report: findings in deterministic order, a summary and per-file row
//! accounting. Each output format is one file behind the `Render` trait.

mod json;
mod table;

use crate::finding::{Finding, Severity};
use crate::ingest::RejectedRow;
use crate::rules::context::ColumnInfo;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

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

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub as_of: String,
    pub findings: Vec<Finding>,
    pub summary: Summary,
    pub inputs: Vec<InputReport>,
}

impl Report {
    /// Builds the summary from findings and inputs; findings must already be sorted.
    pub fn new(as_of: String, findings: Vec<Finding>, inputs: Vec<InputReport>) -> Report {
        let mut summary = Summary {
            total: findings.len() as u64,
            ..Summary::default()
        };
        for severity in Severity::ALL {
            summary.by_severity.insert(severity.as_str().to_string(), 0);
        }
        for f in &findings {
            *summary
                .by_severity
                .entry(f.severity.as_str().to_string())
                .or_default() += 1;
            *summary.by_rule.entry(f.rule.clone()).or_default() += 1;
        }
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
        self.findings.iter().map(|f| f.severity).max()
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
    fn render(
        &self,
        report: &Report,
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
