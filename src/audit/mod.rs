//! The engine: for each register and data file, resolve column roles, then run
//! every enabled row rule in one pass over each batch of rows, in parallel;
//! then the file-level and marketing-log rules. Findings are sorted before
//! they leave, so thread count and batch size never show.

use crate::config::ColumnSpec;
use crate::error::{Error, InputError};
use crate::finding::{fingerprint, Finding, Severity};
use crate::ingest::{Chunk, InputPath, ReadOptions, RejectedRow, RowSource, RowVisitor};
use crate::mask::{mask, mask_auto};
use crate::notice::Notice;
use crate::report::store::FindingStore;
use crate::report::{InputReport, Report};
use crate::roles::{resolve_columns, ColumnSample};
use crate::rules::context::{FileContext, FileStats, Hit, Row};
use crate::rules::marketing::{self, Profile};
use crate::rules::Rule;
use crate::select::RuleSelection;
use crate::vocab::Role;
use chrono::NaiveDate;
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

mod logs;
mod parallel;
use logs::{check_events, read_logs};
use parallel::in_input_order;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

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

/// The register and file that findings name, made once per file and shared
/// by all its findings.
struct Origin {
    register: Arc<str>,
    file: Arc<str>,
    /// The file's name without its directory, which fingerprints hash so a
    /// report is stable wherever the export sits.
    file_name: String,
}

impl Origin {
    fn new(register: &str, file: &str) -> Self {
        let file_name = std::path::Path::new(file)
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or_default();
        Origin {
            register: register.into(),
            file: file.into(),
            file_name,
        }
    }
}

/// Where a finding is and what identifies it, for `complete`.
struct Place<'a> {
    origin: &'a Origin,
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
    let origin = place.origin;
    Finding {
        rule: hit.rule.to_string(),
        severity,
        register: Arc::clone(&origin.register),
        file: Arc::clone(&origin.file),
        row: place.row,
        record: place.record.map(|k| mask_auto(k, options.reveal)),
        fingerprint: fingerprint(&[
            hit.rule,
            &origin.register,
            &origin.file_name,
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
    /// Counts the next chunk's rows, whose rejected rows are numbered within
    /// the chunk; returns the rows before it, to number the chunk's other results.
    fn count_chunk(&mut self, audited: usize, mut rejected: Vec<RejectedRow>) -> u64 {
        let rows_before = self.rows_read;
        for r in &mut rejected {
            r.row += rows_before;
        }
        self.rows_read += (audited + rejected.len()) as u64;
        self.rows_audited += audited as u64;
        self.rows_rejected += rejected.len() as u64;
        self.rejected.extend(rejected);
        rows_before
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
    let wanted: Option<FxHashSet<&str>> = logs
        .as_ref()
        .map(|l| l.events.iter().map(|e| e.key.as_str()).collect());

    let results: Vec<Result<FileResult, Error>> = register
        .data
        .par_iter()
        .map(|data| audit_file(register, data, rules, options, wanted.as_ref(), sink))
        .collect();
    drop(wanted);
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
        )?);
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
    wanted_profiles: Option<&FxHashSet<&str>>,
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
    let headers = source.headers.clone();
    let mut chunks = source.read_ahead(parallel::group_size());

    // Roles need a sample of the first rows before any rule runs.
    let mut pending = VecDeque::new();
    let mut sample = ColumnSample::new(headers.len());
    while !sample.is_complete() {
        let Some(chunk) = chunks.next_chunk()? else {
            break;
        };
        chunk.visit(&mut sample)?;
        pending.push_back(chunk);
    }
    let mut columns = resolve_columns(&headers, &register.columns, &sample);
    if let Some(k) = key_index {
        columns[k].role = Role::Key;
    }
    let key_index = key_index.or_else(|| columns.iter().position(|c| c.role == Role::Key));
    let ctx = FileContext::new(
        &register.name,
        &file_name,
        &register.notice,
        options.as_of,
        &columns,
    );
    let active: Vec<&Rule> = rules
        .iter()
        .copied()
        .filter(|r| r.check.applies(&ctx))
        .collect();
    let origin = Origin::new(&register.name, &file_name);
    let auditor = ChunkAuditor {
        ctx: &ctx,
        origin: &origin,
        rules: &active,
        key_index,
        wanted_profiles,
        options,
    };

    let mut stats = FileStats {
        non_empty: vec![0; headers.len()],
    };
    let mut profiles = Vec::new();
    let mut nul_cells = 0;
    let next = || match pending.pop_front() {
        Some(chunk) => Ok(Some(chunk)),
        None => chunks.next_chunk(),
    };
    in_input_order(
        next,
        |chunk| auditor.audit(chunk),
        |mut result| {
            let rows_before = input.count_chunk(result.audited as usize, result.rejected);
            for finding in &mut result.findings {
                finding.row += rows_before;
            }
            for (total, n) in stats.non_empty.iter_mut().zip(result.non_empty) {
                *total += n;
            }
            nul_cells += result.nul_cells;
            sink.put(result.findings);
            profiles.extend(result.profiles);
        },
    )?;

    let mut findings = Vec::new();
    for rule in rules {
        let mut hits = Vec::new();
        rule.check.check_file(&ctx, &stats, &mut hits);
        for hit in hits {
            let place = Place {
                origin: &origin,
                row: 0,
                record: None,
                identity: "file".to_string(),
                column: hit.column.map(|i| columns[i].name.clone()),
            };
            findings.push(complete(hit, rule.meta.severity, place, options));
        }
    }
    sink.put(findings);
    if nul_cells > 0 {
        input.warnings.push(format!(
            "{nul_cells} cells contain NUL bytes, which may hide values from the rules"
        ));
    }
    input.columns = columns;
    Ok(FileResult { input, profiles })
}

/// Runs the row rules of one file over a chunk of its rows.
struct ChunkAuditor<'a> {
    ctx: &'a FileContext<'a>,
    origin: &'a Origin,
    rules: &'a [&'a Rule],
    key_index: Option<usize>,
    wanted_profiles: Option<&'a FxHashSet<&'a str>>,
    options: &'a AuditOptions,
}

/// What a chunk gave, with row numbers counted from the chunk's start.
struct ChunkResult {
    findings: Vec<Finding>,
    rejected: Vec<RejectedRow>,
    profiles: Vec<(String, Profile)>,
    audited: u64,
    non_empty: Vec<u64>,
    nul_cells: u64,
}

impl ChunkAuditor<'_> {
    fn audit(&self, chunk: &Chunk) -> Result<ChunkResult, InputError> {
        let mut visitor = ChunkVisitor {
            auditor: self,
            hits: Vec::new(),
            result: ChunkResult {
                findings: Vec::new(),
                rejected: Vec::new(),
                profiles: Vec::new(),
                audited: 0,
                non_empty: vec![0; self.ctx.columns.len()],
                nul_cells: 0,
            },
        };
        let counts = chunk.visit(&mut visitor)?;
        visitor.result.nul_cells = counts.nul_cells;
        Ok(visitor.result)
    }
}

struct ChunkVisitor<'a> {
    auditor: &'a ChunkAuditor<'a>,
    hits: Vec<Hit>,
    result: ChunkResult,
}

impl RowVisitor for ChunkVisitor<'_> {
    fn row(&mut self, number: u64, cells: &[Option<&str>]) {
        let auditor = self.auditor;
        let result = &mut self.result;
        result.audited += 1;
        for (n, cell) in result.non_empty.iter_mut().zip(cells) {
            *n += u64::from(cell.is_some());
        }
        let row = Row {
            file: auditor.ctx,
            row: number,
            cells,
        };
        let key = auditor.key_index.and_then(|k| row.cells[k]);
        for rule in auditor.rules {
            rule.check.check_row(&row, &mut self.hits);
            for hit in self.hits.drain(..) {
                let place = row_place(auditor.origin, &row, key, hit.column);
                let finding = complete(hit, rule.meta.severity, place, auditor.options);
                result.findings.push(finding);
            }
        }
        if let (Some(wanted), Some(key)) = (auditor.wanted_profiles, key) {
            if wanted.contains(key) {
                result
                    .profiles
                    .push((key.to_string(), marketing::profile(&row)));
            }
        }
    }

    fn reject(&mut self, rejected: RejectedRow) {
        self.result.rejected.push(rejected);
    }
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

fn row_place<'a>(
    origin: &'a Origin,
    row: &Row<'a>,
    key: Option<&'a str>,
    column: Option<usize>,
) -> Place<'a> {
    // Without a key, the row's whole content identifies the record.
    let identity = match key {
        Some(k) => format!("key:{k}"),
        None => {
            let content: Vec<&str> = row.cells.iter().map(|c| c.unwrap_or("")).collect();
            format!("row:{}", fingerprint(&content))
        }
    };
    Place {
        origin,
        row: row.row,
        record: key,
        identity,
        column: column.map(|i| row.file.columns[i].name.clone()),
    }
}
