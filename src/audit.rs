//! The engine: for each register and data file, resolve column roles, then run
//! every enabled row rule in one pass over each batch of rows, in parallel.
//! Findings are sorted before they leave, so thread count never shows.

use crate::config::ColumnSpec;
use crate::error::{Error, InputError};
use crate::finding::{fingerprint, sort_findings, Finding, Severity};
use crate::ingest::{InputPath, ReadOptions, RowSource};
use crate::mask::{mask, mask_auto};
use crate::notice::Notice;
use crate::report::{InputReport, Report};
use crate::roles::resolve_columns;
use crate::rules::context::{ColumnInfo, FileContext, Hit, Row};
use crate::rules::Rule;
use crate::select::RuleSelection;
use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;
use std::collections::HashMap;

/// One data file of a register and how to read it.
#[derive(Debug, Clone)]
pub struct DataInput {
    pub path: InputPath,
    pub read: ReadOptions,
}

/// A register ready to audit: its notice, files and column hints.
#[derive(Debug, Clone)]
pub struct RegisterInput {
    pub name: String,
    pub notice: Notice,
    pub data: Vec<DataInput>,
    pub key: Option<String>,
    pub columns: Vec<(String, ColumnSpec)>,
}

#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub as_of: NaiveDate,
    pub reveal: bool,
    pub selection: RuleSelection,
    pub severity_overrides: HashMap<String, Severity>,
}

/// Rows handed to one parallel task: large enough to amortise scheduling.
const ROWS_PER_TASK: usize = 4096;

/// Audits every register and returns the complete report.
pub fn run_audit(
    registers: &[RegisterInput],
    rules: &[Rule],
    options: &AuditOptions,
) -> Result<Report, Error> {
    let enabled: Vec<&Rule> = rules
        .iter()
        .filter(|r| options.selection.enabled(&r.meta.id))
        .collect();
    let jobs: Vec<(&RegisterInput, &DataInput)> = registers
        .iter()
        .flat_map(|r| r.data.iter().map(move |d| (r, d)))
        .collect();
    let results: Vec<Result<(Vec<Finding>, InputReport), Error>> = jobs
        .par_iter()
        .map(|(register, data)| audit_file(register, data, &enabled, options))
        .collect();
    let mut findings = Vec::new();
    let mut inputs = Vec::new();
    for result in results {
        let (f, input) = result?;
        findings.extend(f);
        inputs.push(input);
    }
    sort_findings(&mut findings);
    Ok(Report::new(options.as_of.to_string(), findings, inputs))
}

fn audit_file(
    register: &RegisterInput,
    data: &DataInput,
    rules: &[&Rule],
    options: &AuditOptions,
) -> Result<(Vec<Finding>, InputReport), Error> {
    let mut source = RowSource::open(&data.path, &data.read)?;
    let file_name = source.path.display().to_string();
    let mut input = InputReport {
        register: register.name.clone(),
        path: file_name.clone(),
        format: format!("{:?}", source.info.format).to_lowercase(),
        encoding: source.info.encoding.to_string(),
        delimiter: source.info.delimiter.map(|d| d.to_string()),
        rows_read: 0,
        rows_audited: 0,
        rows_rejected: 0,
        rejected: Vec::new(),
        warnings: Vec::new(),
        columns: Vec::new(),
    };
    let key_index = match &register.key {
        Some(key) => Some(
            source
                .headers
                .iter()
                .position(|h| h == key)
                .ok_or_else(|| {
                    InputError::at(
                        &source.path,
                        1,
                        1,
                        format!(
                            "key column `{key}` is not in the header (columns: {})",
                            source.headers.join(", ")
                        ),
                    )
                })?,
        ),
        None => None,
    };
    for (mapped, _) in &register.columns {
        if !source.headers.iter().any(|h| h == mapped) {
            input
                .warnings
                .push(format!("mapped column `{mapped}` is not in this file"));
        }
    }

    let mut columns: Option<Vec<ColumnInfo>> = None;
    let mut findings = Vec::new();
    while let Some(batch) = source.next_batch()? {
        input.rows_read += (batch.rows.len() + batch.rejected.len()) as u64;
        input.rows_rejected += batch.rejected.len() as u64;
        input.rows_audited += batch.rows.len() as u64;
        input.rejected.extend(batch.rejected);
        let columns = columns.get_or_insert_with(|| {
            let mut resolved = resolve_columns(&source.headers, &register.columns, &batch.frame);
            if let Some(k) = key_index {
                resolved[k].role = crate::vocab::Role::Key;
            }
            resolved
        });
        let key_index = key_index.or_else(|| {
            columns
                .iter()
                .position(|c| c.role == crate::vocab::Role::Key)
        });
        let ctx = FileContext {
            register: &register.name,
            file: &file_name,
            notice: &register.notice,
            as_of: options.as_of,
            columns,
        };
        let active: Vec<&Rule> = rules
            .iter()
            .copied()
            .filter(|r| r.check.applies(&ctx))
            .collect();
        if active.is_empty() {
            continue;
        }
        let frame = normalized(batch.frame).map_err(|e| {
            InputError::new(&source.path, format!("internal: cannot prepare rows: {e}"))
        })?;
        let text_columns: Vec<&StringChunked> = frame
            .columns()
            .iter()
            .map(|c| c.str())
            .collect::<PolarsResult<_>>()
            .map_err(|e| InputError::new(&source.path, format!("internal: {e}")))?;
        let rows = &batch.rows;
        let batch_findings: Vec<Finding> = (0..rows.len())
            .into_par_iter()
            .with_min_len(ROWS_PER_TASK)
            .fold(Vec::new, |mut acc, i| {
                let cells: Vec<Option<&str>> = text_columns.iter().map(|c| c.get(i)).collect();
                let row = Row {
                    file: &ctx,
                    row: rows[i],
                    cells: &cells,
                };
                let mut hits = Vec::new();
                for rule in &active {
                    rule.check.check_row(&row, &mut hits);
                    for hit in hits.drain(..) {
                        acc.push(complete(hit, rule.meta.severity, &row, key_index, options));
                    }
                }
                acc
            })
            .reduce(Vec::new, |mut a, b| {
                a.extend(b);
                a
            });
        findings.extend(batch_findings);
    }
    input.columns = columns.unwrap_or_default();
    Ok((findings, input))
}

/// The one lazy query each batch goes through before the row pass: cells are
/// trimmed and blank cells become nulls, so rules never see padding.
fn normalized(frame: DataFrame) -> PolarsResult<DataFrame> {
    let exprs: Vec<Expr> = frame
        .get_column_names()
        .into_iter()
        .map(|name| {
            let trimmed = col(name.clone()).str().strip_chars(lit(NULL));
            when(trimmed.clone().eq(lit("")))
                .then(lit(NULL).cast(DataType::String))
                .otherwise(trimmed)
                .alias(name.clone())
        })
        .collect();
    frame.lazy().select(exprs).collect()
}

/// Turns a rule's hit into a finding: severity, masked evidence and record,
/// and a fingerprint from what the finding is about (never its position).
fn complete(
    hit: Hit,
    rule_severity: Severity,
    row: &Row<'_>,
    key_index: Option<usize>,
    options: &AuditOptions,
) -> Finding {
    let ctx = row.file;
    let column = hit.column.map(|i| ctx.columns[i].name.clone());
    let key = key_index.and_then(|k| row.cells[k]);
    // Without a key, the row's whole content identifies the record.
    let identity = match key {
        Some(k) => format!("key:{k}"),
        None => {
            let content: Vec<&str> = row.cells.iter().map(|c| c.unwrap_or("")).collect();
            format!("row:{}", fingerprint(&content))
        }
    };
    let severity = options
        .severity_overrides
        .get(hit.rule)
        .copied()
        .or(hit.severity)
        .unwrap_or(rule_severity);
    let file_name = std::path::Path::new(ctx.file)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    Finding {
        rule: hit.rule.to_string(),
        severity,
        register: ctx.register.to_string(),
        file: ctx.file.to_string(),
        row: row.row,
        record: key.map(|k| mask_auto(k, options.reveal)),
        fingerprint: fingerprint(&[
            hit.rule,
            ctx.register,
            &file_name,
            &identity,
            column.as_deref().unwrap_or(""),
            &hit.detail,
        ]),
        column,
        message: hit.message,
        evidence: hit.evidence.map(|e| mask(e.kind, &e.raw, options.reveal)),
    }
}
