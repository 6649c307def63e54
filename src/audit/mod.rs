//! The engine: for each register and data file, resolve column roles, then run
//! every enabled row rule in one pass over each batch of rows, in parallel;
//! then the file-level and marketing-log rules. Findings are sorted before
//! they leave, so thread count and batch size never show.

use crate::config::ColumnSpec;
use crate::error::{Error, InputError};
use crate::finding::{fingerprint, Finding, Severity};
use crate::ingest::{InputPath, ReadOptions, RejectedRow, RowSource};
use crate::mask::{mask, mask_auto};
use crate::notice::Notice;
use crate::report::store::FindingStore;
use crate::report::{InputReport, Report};
use crate::roles::resolve_columns;
use crate::rules::context::{ColumnInfo, FileContext, FileStats, Hit, Row};
use crate::rules::marketing::{self, Profile};
use crate::rules::Rule;
use crate::select::RuleSelection;
use crate::vocab::Role;
use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

mod logs;
use logs::{check_events, read_logs};
use std::collections::HashMap;
use std::sync::Mutex;

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
    /// Marketing-event log (key, channel, sent_at).
    pub events: Option<DataInput>,
    /// Marketing-ban log (key, channel, banned_at, lifted_at).
    pub bans: Option<DataInput>,
}

#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub as_of: NaiveDate,
    pub reveal: bool,
    pub selection: RuleSelection,
    pub severity_overrides: HashMap<String, Severity>,
    /// Findings held in memory before sorted runs spill to temporary files.
    pub findings_in_memory: usize,
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
    let store = Sink::new(options.findings_in_memory);
    let results: Vec<Result<Vec<InputReport>, Error>> = registers
        .par_iter()
        .map(|register| audit_register(register, &enabled, options, &store))
        .collect();
    let mut inputs = Vec::new();
    for result in results {
        inputs.extend(result?);
    }
    let store = store.into_inner()?;
    Ok(Report::new(options.as_of.to_string(), store, inputs))
}

/// Where every task puts its findings: one bounded store behind a lock, taken
/// once per batch. An I/O error while spilling is kept and reported at the end.
struct Sink {
    store: Mutex<(FindingStore, Option<std::io::Error>)>,
}

impl Sink {
    fn new(limit: usize) -> Self {
        Sink {
            store: Mutex::new((FindingStore::new(limit), None)),
        }
    }

    fn put(&self, findings: Vec<Finding>) {
        let mut guard = self.store.lock().unwrap_or_else(|e| e.into_inner());
        if guard.1.is_none() {
            if let Err(e) = guard.0.extend(findings) {
                guard.1 = Some(e);
            }
        }
    }

    fn into_inner(self) -> Result<FindingStore, Error> {
        let (store, error) = self.store.into_inner().unwrap_or_else(|e| e.into_inner());
        match error {
            Some(e) => Err(Error::Output {
                path: std::env::temp_dir(),
                message: format!("cannot spill findings to a temporary file: {e}"),
            }),
            None => Ok(store),
        }
    }
}

/// Where a finding is and what identifies it, for `complete`.
struct Place<'a> {
    register: &'a str,
    file: &'a str,
    row: u64,
    record: Option<&'a str>,
    /// What the fingerprint hashes to identify the record.
    identity: String,
    column: Option<String>,
}

/// Turns a rule's result into a finding: severity, masked evidence and record,
/// and a fingerprint from what the finding is about (never its position).
fn complete(
    hit: Hit,
    rule_severity: Severity,
    place: Place<'_>,
    options: &AuditOptions,
) -> Finding {
    let severity = options
        .severity_overrides
        .get(hit.rule)
        .copied()
        .or(hit.severity)
        .unwrap_or(rule_severity);
    let file_name = std::path::Path::new(place.file)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_default();
    Finding {
        rule: hit.rule.to_string(),
        severity,
        register: place.register.to_string(),
        file: place.file.to_string(),
        row: place.row,
        record: place.record.map(|k| mask_auto(k, options.reveal)),
        fingerprint: fingerprint(&[
            hit.rule,
            place.register,
            &file_name,
            &place.identity,
            place.column.as_deref().unwrap_or(""),
            &hit.detail,
        ]),
        column: place.column,
        message: hit.message,
        evidence: hit.evidence.map(|e| mask(e.kind, &e.raw, options.reveal)),
    }
}

fn new_input_report(register: &str, source: &RowSource) -> InputReport {
    let warnings = source
        .duplicate_headers
        .iter()
        .map(|d| format!("duplicate header `{d}`: later copies are read as `{d}_2`, …"))
        .collect();
    InputReport {
        register: register.to_string(),
        path: source.path.display().to_string(),
        format: format!("{:?}", source.info.format).to_lowercase(),
        encoding: source.info.encoding.to_string(),
        delimiter: source.info.delimiter.map(|d| d.to_string()),
        rows_read: 0,
        rows_audited: 0,
        rows_rejected: 0,
        rejected: Vec::new(),
        warnings,
        columns: Vec::new(),
    }
}

impl InputReport {
    fn count_batch(&mut self, audited: usize, rejected: Vec<RejectedRow>) {
        self.rows_read += (audited + rejected.len()) as u64;
        self.rows_audited += audited as u64;
        self.rows_rejected += rejected.len() as u64;
        self.rejected.extend(rejected);
    }

    fn reject(&mut self, row: u64, reason: String) {
        self.rows_audited -= 1;
        self.rows_rejected += 1;
        self.rejected.push(RejectedRow {
            row,
            line: None,
            reason,
        });
    }
}

fn audit_register(
    register: &RegisterInput,
    rules: &[&Rule],
    options: &AuditOptions,
    sink: &Sink,
) -> Result<Vec<InputReport>, Error> {
    let marketing_rules: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.meta.id.starts_with("MKT"))
        .collect();
    // The logs are read first: they decide which register rows need a profile.
    let logs = match &register.events {
        Some(events) if !marketing_rules.is_empty() => Some(read_logs(register, events)?),
        _ => None,
    };
    let wanted: Option<FxHashSet<String>> = logs
        .as_ref()
        .map(|l| l.events.iter().map(|e| e.key.clone()).collect());

    let results: Vec<Result<FileResult, Error>> = register
        .data
        .par_iter()
        .map(|data| audit_file(register, data, rules, options, wanted.as_ref(), sink))
        .collect();
    let mut inputs = Vec::new();
    let mut profiles = FxHashMap::default();
    for result in results {
        let r = result?;
        inputs.push(r.input);
        profiles.extend(r.profiles);
    }
    if let Some(mut logs) = logs {
        sink.put(check_events(
            register,
            &marketing_rules,
            &mut logs,
            &profiles,
            options,
        ));
        inputs.push(logs.events_input);
        inputs.extend(logs.bans_input);
    }
    Ok(inputs)
}

struct FileResult {
    input: InputReport,
    profiles: Vec<(String, Profile)>,
}

fn audit_file(
    register: &RegisterInput,
    data: &DataInput,
    rules: &[&Rule],
    options: &AuditOptions,
    wanted_profiles: Option<&FxHashSet<String>>,
    sink: &Sink,
) -> Result<FileResult, Error> {
    let source = RowSource::open(&data.path, &data.read)?;
    let file_name = source.path.display().to_string();
    let mut input = new_input_report(&register.name, &source);
    let key_index = match &register.key {
        Some(key) => Some(key_position(&source, key)?),
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
    let mut stats = FileStats {
        non_empty: vec![0; source.headers.len()],
    };
    let mut profiles = Vec::new();
    let headers = source.headers.clone();
    let source_path = source.path.clone();
    let mut batches = source.read_ahead();
    while let Some(batch) = batches.next_batch()? {
        let audited = batch.rows.len();
        input.count_batch(audited, batch.rejected);
        let columns = columns.get_or_insert_with(|| {
            let mut resolved = resolve_columns(&headers, &register.columns, &batch.frame);
            if let Some(k) = key_index {
                resolved[k].role = Role::Key;
            }
            resolved
        });
        if audited == 0 {
            continue;
        }
        let key_index = key_index.or_else(|| columns.iter().position(|c| c.role == Role::Key));
        let ctx = FileContext::new(
            &register.name,
            &file_name,
            &register.notice,
            options.as_of,
            columns,
        );
        let active: Vec<&Rule> = rules
            .iter()
            .copied()
            .filter(|r| r.check.applies(&ctx))
            .collect();
        let frame = batch.frame;
        let counts = non_empty_counts(&frame).map_err(|e| {
            InputError::new(&source_path, format!("internal: cannot count cells: {e}"))
        })?;
        for (total, n) in stats.non_empty.iter_mut().zip(counts) {
            *total += n;
        }
        let text_columns: Vec<&StringChunked> = frame
            .columns()
            .iter()
            .map(|c| c.str())
            .collect::<PolarsResult<_>>()
            .map_err(|e| InputError::new(&source_path, format!("internal: {e}")))?;
        let rows = &batch.rows;
        let (batch_findings, batch_profiles) = (0..audited)
            .into_par_iter()
            .with_min_len(ROWS_PER_TASK)
            .fold(
                || {
                    (
                        Vec::new(),
                        Vec::new(),
                        Vec::with_capacity(text_columns.len()),
                    )
                },
                |(mut found, mut profiled, mut cells), i| {
                    // One cell buffer per task, reused row after row.
                    cells.clear();
                    cells.extend(text_columns.iter().map(|c| c.get(i)));
                    let row = Row {
                        file: &ctx,
                        row: rows[i],
                        cells: &cells,
                    };
                    let key = key_index.and_then(|k| row.cells[k]);
                    let mut hits = Vec::new();
                    for rule in &active {
                        rule.check.check_row(&row, &mut hits);
                        for hit in hits.drain(..) {
                            let place = row_place(&row, key, hit.column);
                            found.push(complete(hit, rule.meta.severity, place, options));
                        }
                    }
                    if let (Some(wanted), Some(key)) = (wanted_profiles, key) {
                        if wanted.contains(key) {
                            profiled.push((key.to_string(), marketing::profile(&row)));
                        }
                    }
                    (found, profiled, cells)
                },
            )
            .map(|(found, profiled, _)| (found, profiled))
            .reduce(
                || (Vec::new(), Vec::new()),
                |(mut fa, mut pa), (fb, pb)| {
                    fa.extend(fb);
                    pa.extend(pb);
                    (fa, pa)
                },
            );
        sink.put(batch_findings);
        profiles.extend(batch_profiles);
    }
    let columns = columns.unwrap_or_default();
    let ctx = FileContext::new(
        &register.name,
        &file_name,
        &register.notice,
        options.as_of,
        &columns,
    );
    let mut findings = Vec::new();
    for rule in rules {
        let mut hits = Vec::new();
        rule.check.check_file(&ctx, &stats, &mut hits);
        for hit in hits {
            let place = Place {
                register: &register.name,
                file: &file_name,
                row: 0,
                record: None,
                identity: "file".to_string(),
                column: hit.column.map(|i| columns[i].name.clone()),
            };
            findings.push(complete(hit, rule.meta.severity, place, options));
        }
    }
    sink.put(findings);
    let nul_cells = batches.finish().map_or(0, |s| s.nul_cells());
    if nul_cells > 0 {
        input.warnings.push(format!(
            "{nul_cells} cells contain NUL bytes, which may hide values from the rules"
        ));
    }
    input.columns = columns;
    Ok(FileResult { input, profiles })
}

fn key_position(source: &RowSource, key: &str) -> Result<usize, InputError> {
    if source.duplicate_headers.iter().any(|d| d == key) {
        return Err(InputError::at(
            &source.path,
            1,
            1,
            format!(
                "key column `{key}` appears more than once in the header: the key is ambiguous"
            ),
        ));
    }
    source.headers.iter().position(|h| h == key).ok_or_else(|| {
        InputError::at(
            &source.path,
            1,
            1,
            format!(
                "key column `{key}` is not in the header (columns: {})",
                source.headers.join(", ")
            ),
        )
    })
}

fn row_place<'a>(row: &Row<'a>, key: Option<&'a str>, column: Option<usize>) -> Place<'a> {
    // Without a key, the row's whole content identifies the record.
    let identity = match key {
        Some(k) => format!("key:{k}"),
        None => {
            let content: Vec<&str> = row.cells.iter().map(|c| c.unwrap_or("")).collect();
            format!("row:{}", fingerprint(&content))
        }
    };
    Place {
        register: row.file.register,
        file: row.file.file,
        row: row.row,
        record: key,
        identity,
        column: column.map(|i| row.file.columns[i].name.clone()),
    }
}

/// Non-empty cells per column of a batch, for the file-level rules (CAT001),
/// as one lazy polars aggregation over the columnar batch. Cells arrive trimmed
/// with blanks as nulls (see `ingest`), so "non-empty" is "not null".
fn non_empty_counts(frame: &DataFrame) -> PolarsResult<Vec<u64>> {
    let exprs: Vec<Expr> = frame
        .get_column_names()
        .into_iter()
        .map(|name| col(name.clone()).is_not_null().sum().cast(DataType::UInt64))
        .collect();
    let counts = frame.clone().lazy().select(exprs).collect()?;
    counts
        .columns()
        .iter()
        .map(|c| Ok(c.u64()?.get(0).unwrap_or(0)))
        .collect()
}
