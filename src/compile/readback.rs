//! Reads a plan's findings table back (Parquet — a file or a folder of part
//! files, as Spark writes them — or CSV) and makes the report `scan` would:
//! the same findings, coverage, rules and exit status, through the same
//! report code. Fingerprints are made here, keyed with the fingerprint key,
//! from the keyed hashes the engine wrote (scheme `regaudit-sql-fingerprint/1`).

use super::manifest::{Manifest, FINDINGS_SCHEMA, FINGERPRINT_SCHEME, PLAN_SCHEME, ROW_COUNT_RULE};
use crate::error::{Error, InputError};
use crate::finding::{Finding, FingerprintKey, Severity};
use crate::result::store::FindingStore;
use crate::result::{InputReport, Report};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One row of the findings table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableRow {
    pub rule: String,
    pub severity: String,
    pub register: String,
    pub file: String,
    pub row: Option<i64>,
    pub record: Option<String>,
    pub column: Option<String>,
    pub message: String,
    pub evidence: Option<String>,
    pub detail: String,
    pub identity_hash: Option<String>,
    pub value_hash: String,
}

pub fn load_manifest(path: &Path) -> Result<Manifest, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| InputError::io(path, &e))?;
    let manifest: Manifest = serde_json::from_str(&text).map_err(|e| {
        InputError::at(
            path,
            e.line() as u64,
            e.column() as u64,
            format!("not a regaudit plan manifest: {e}"),
        )
    })?;
    if manifest.scheme != PLAN_SCHEME || manifest.fingerprint_scheme != FINGERPRINT_SCHEME {
        return Err(InputError::new(
            path,
            format!(
                "plan scheme `{}` / `{}`: this regaudit reads {PLAN_SCHEME} / {FINGERPRINT_SCHEME}; plan again",
                manifest.scheme, manifest.fingerprint_scheme
            ),
        )
        .into());
    }
    Ok(manifest)
}

/// The data files of a findings table: the path itself, or the `.parquet`
/// and `.csv` files of a folder in name order (Spark's part files).
fn table_files(path: &Path) -> Result<Vec<PathBuf>, Error> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in std::fs::read_dir(path).map_err(|e| InputError::io(path, &e))? {
        let p = entry.map_err(|e| InputError::io(path, &e))?.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        if !name.starts_with(['.', '_']) && (name.ends_with(".parquet") || name.ends_with(".csv")) {
            files.push(p);
        }
    }
    files.sort();
    Ok(files)
}

/// Reads every row of the table at `path`, handing each to `each`.
pub fn read_table(
    path: &Path,
    mut each: impl FnMut(TableRow) -> Result<(), Error>,
) -> Result<(), Error> {
    for file in table_files(path)? {
        let is_csv = file
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        if is_csv {
            read_csv(&file, &mut each)?;
        } else {
            read_parquet(&file, &mut each)?;
        }
    }
    Ok(())
}

fn read_parquet(
    path: &Path,
    each: &mut impl FnMut(TableRow) -> Result<(), Error>,
) -> Result<(), Error> {
    use parquet::file::reader::SerializedFileReader;
    use parquet::record::Field;
    let bad = |n: u64, message: String| InputError::at(path, n, 1, message);
    let file = std::fs::File::open(path).map_err(|e| InputError::io(path, &e))?;
    let reader = SerializedFileReader::new(file)
        .map_err(|e| InputError::new(path, format!("not a Parquet file: {e}")))?;
    for (n, row) in reader.into_iter().enumerate() {
        let n = n as u64 + 1;
        let row = row.map_err(|e| bad(n, format!("unreadable row: {e}")))?;
        let mut cells: HashMap<&str, Option<String>> = HashMap::new();
        let mut number = None;
        for (name, field) in row.get_column_iter() {
            let value = match field {
                Field::Null => None,
                Field::Str(s) => Some(s.clone()),
                Field::Long(v) if name == "row" => {
                    number = Some(*v);
                    None
                }
                Field::Int(v) if name == "row" => {
                    number = Some(i64::from(*v));
                    None
                }
                other => {
                    return Err(bad(n, format!("column `{name}` holds {other}, not text")).into())
                }
            };
            if let Some(known) = FINDINGS_SCHEMA.iter().find(|(k, _)| *k == name) {
                cells.insert(known.0, value);
            }
        }
        each(table_row(&mut cells, number).map_err(|m| bad(n, m))?)?;
    }
    Ok(())
}

fn read_csv(
    path: &Path,
    each: &mut impl FnMut(TableRow) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| InputError::new(path, e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| InputError::at(path, 1, 1, e.to_string()))?
        .clone();
    for (n, record) in reader.records().enumerate() {
        let line = n as u64 + 2;
        let record = record.map_err(|e| InputError::at(path, line, 1, e.to_string()))?;
        let mut cells: HashMap<&str, Option<String>> = HashMap::new();
        let mut number = None;
        for (name, value) in headers.iter().zip(record.iter()) {
            let Some(known) = FINDINGS_SCHEMA.iter().find(|(k, _)| *k == name) else {
                continue;
            };
            if name == "row" {
                if !value.is_empty() {
                    let parsed = value.parse().map_err(|_| {
                        InputError::at(
                            path,
                            line,
                            1,
                            format!("column `row` holds `{value}`, not a number"),
                        )
                    })?;
                    number = Some(parsed);
                }
                continue;
            }
            // CSV cannot tell NULL from empty; the optional columns read empty as absent.
            cells.insert(known.0, Some(value.to_string()).filter(|v| !v.is_empty()));
        }
        each(table_row(&mut cells, number).map_err(|m| InputError::at(path, line, 1, m))?)?;
    }
    Ok(())
}

fn table_row(
    cells: &mut HashMap<&str, Option<String>>,
    row: Option<i64>,
) -> Result<TableRow, String> {
    let mut take = |name: &str| cells.remove(name).flatten();
    let rule = take("rule").ok_or("column `rule` is missing or empty")?;
    let severity = take("severity").ok_or("column `severity` is missing or empty")?;
    let register = take("register").ok_or("column `register` is missing or empty")?;
    Ok(TableRow {
        rule,
        severity,
        register,
        file: take("file").unwrap_or_default(),
        row,
        record: take("record"),
        column: take("column"),
        message: take("message").unwrap_or_default(),
        evidence: take("evidence"),
        detail: take("detail").unwrap_or_default(),
        identity_hash: take("identity_hash"),
        value_hash: take("value_hash").unwrap_or_default(),
    })
}

/// A table row as a finding, its fingerprint keyed with `key`.
pub fn finding(row: TableRow, key: &FingerprintKey) -> Result<Finding, String> {
    let severity: Severity = row.severity.parse()?;
    let identity: [&str; 2] = match &row.identity_hash {
        Some(h) => ["key-sha256:", h],
        None => ["no-key", ""],
    };
    let value = if row.value_hash.is_empty() {
        String::new()
    } else {
        format!("sha256:{}", row.value_hash)
    };
    let fingerprint = key
        .hasher()
        .part(&[&row.rule])
        .part(&[&row.register])
        .part(&identity)
        .part(&[row.column.as_deref().unwrap_or("")])
        .part(&[&row.detail])
        .part(&[&value])
        .finish();
    let data_row = row.row.filter(|r| *r > 0).map_or(0, |r| r as u64);
    Ok(Finding {
        rule: row.rule.into(),
        severity,
        register: row.register.into(),
        file: row.file.into(),
        row: data_row,
        line: None,
        record: row.record,
        column: row.column.map(Arc::from),
        message: Cow::Owned(row.message),
        evidence: row.evidence,
        fingerprint,
        baseline_state: None,
        suppressed: None,
    })
}

/// The report of a findings table made by the plan `manifest` describes.
pub fn report(
    manifest: &Manifest,
    findings: &Path,
    key: &FingerprintKey,
    in_memory: usize,
) -> Result<Report, Error> {
    let known: Vec<&str> = manifest.rules.iter().map(|r| r.id.as_str()).collect();
    let mut store = FindingStore::new(in_memory);
    let mut batch = Vec::new();
    let output = |e: std::io::Error| Error::Output {
        path: findings.to_path_buf(),
        message: e.to_string(),
    };
    let mut n = 0u64;
    let mut rows_read: HashMap<String, u64> = HashMap::new();
    read_table(findings, |row| {
        n += 1;
        if row.rule == ROW_COUNT_RULE {
            let view = row.column.unwrap_or_default();
            let count = row.row.and_then(|r| u64::try_from(r).ok()).ok_or_else(|| {
                InputError::new(
                    findings,
                    format!("finding {n}: a row count without a count"),
                )
            })?;
            *rows_read.entry(view).or_default() += count;
            return Ok(());
        }
        if !known.contains(&row.rule.as_str()) {
            return Err(InputError::new(
                findings,
                format!(
                    "finding {n}: rule `{}` is not in the plan's manifest",
                    row.rule
                ),
            )
            .into());
        }
        let f = finding(row, key)
            .map_err(|m| InputError::new(findings, format!("finding {n}: {m}")))?;
        batch.push(f);
        if batch.len() >= in_memory.max(1) {
            store.extend(std::mem::take(&mut batch)).map_err(output)?;
        }
        Ok(())
    })?;
    for s in &manifest.static_findings {
        let fingerprint = key
            .hasher()
            .part(&[&s.rule])
            .part(&[&s.register])
            .part(&["file", ""])
            .part(&[""])
            .part(&[&s.detail])
            .part(&[""])
            .finish();
        batch.push(Finding {
            rule: s.rule.as_str().into(),
            severity: s.severity,
            register: s.register.as_str().into(),
            file: s.file.as_str().into(),
            row: 0,
            line: None,
            record: None,
            column: None,
            message: Cow::Owned(s.message.clone()),
            evidence: s.evidence.clone(),
            fingerprint,
            baseline_state: None,
            suppressed: None,
        });
    }
    store.extend(batch).map_err(output)?;
    let inputs = manifest
        .sources
        .iter()
        .map(|s| {
            let engine = manifest.engine.name();
            let counted = rows_read.get(&s.view).copied();
            let mut warnings = vec![format!("rows were read by {engine} (table {})", s.table)];
            match (counted, &s.log) {
                (None, _) => warnings.push(format!(
                    "the findings table holds no row count for {} (a plan older than row counts?)",
                    s.view
                )),
                (Some(_), Some(_)) => warnings.push(format!(
                    "{engine} leaves out the log rows scan rejects (no key, channel or date, or a \
                     record the register does not have) without counting them apart"
                )),
                (Some(_), None) => {}
            }
            let rows = counted.unwrap_or(0);
            InputReport {
                register: s.register.clone(),
                path: s.file.clone(),
                format: s.format.clone(),
                encoding: format!("read by {engine}"),
                delimiter: s.delimiter.map(|d| d.to_string()),
                rows_read: rows,
                rows_audited: rows,
                rows_rejected: 0,
                rejected: Vec::new(),
                warnings,
                columns: s.columns.clone(),
            }
        })
        .collect();
    let rules = manifest.rules.iter().map(|r| r.meta.clone()).collect();
    let mut report = Report::new(
        manifest.as_of.clone(),
        store,
        inputs,
        rules,
        manifest.coverage.clone(),
    );
    report.fingerprint_key = key.id();
    Ok(report)
}
