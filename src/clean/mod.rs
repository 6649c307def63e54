//! `regaudit clean`: a migration-ready copy of each export. A scan's findings
//! and one action per rule (`actions`) decide the edits (`edits`); each data
//! file is then copied in its own format and dialect (`csv_copy`,
//! `json_copy`) with the edits applied, and every change is logged without a
//! value (`changelog`). The input is only read.

pub mod actions;
mod cells;
pub mod changelog;
mod csv_copy;
pub mod edits;
mod encode;
mod json_copy;

pub use actions::{Action, Actions};
pub use cells::REDACTED;
pub use edits::FileEdits;

use crate::error::Error;
use crate::ingest::{open_decoded, Format, InputPath};
use crate::register::{DataInput, Register};
use crate::result::Report;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;

/// Rows one copy read and wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CopyTally {
    pub rows_read: u64,
    pub rows_written: u64,
    /// Cells of written rows whose value changed (dropped columns aside).
    pub cells_changed: u64,
}

/// One data file to copy: where it is, how to read it, and its edits.
pub struct FilePlan {
    pub input: DataInput,
    pub edits: FileEdits,
}

/// The edits of every data file of `registers`, from a scan's report.
/// Findings about the marketing logs change nothing; they are counted in
/// `kept_elsewhere`.
pub fn plan(
    registers: &[Register],
    report: &Report,
    actions: &Actions,
) -> Result<(Vec<FilePlan>, BTreeMap<String, u64>), Error> {
    let mut files = Vec::new();
    for register in registers {
        for data in &register.data {
            let InputPath::File(path) = &data.path else {
                return Err(Error::Usage(
                    "clean writes a copy of a file; standard input (`--data -`) cannot be cleaned"
                        .into(),
                ));
            };
            let shown = path.display().to_string();
            let input = report
                .inputs
                .iter()
                .find(|i| i.register == register.name && i.path == shown)
                .ok_or_else(|| Error::Usage(format!("{shown}: not in the scan's inputs")))?;
            files.push(FilePlan {
                input: data.clone(),
                edits: FileEdits::new(input),
            });
        }
    }
    let mut kept_elsewhere = BTreeMap::new();
    for finding in report.findings.sorted().map_err(output_error)? {
        let finding = finding.map_err(output_error)?;
        let file = files
            .iter_mut()
            .find(|f| f.edits.path == *finding.file && f.edits.register == *finding.register);
        match file {
            Some(file) => file.edits.add(&finding, actions),
            None => *kept_elsewhere.entry(finding.rule.to_string()).or_default() += 1,
        }
    }
    Ok((files, kept_elsewhere))
}

fn output_error(e: std::io::Error) -> Error {
    Error::Usage(format!("cannot read the scan's findings: {e}"))
}

/// Writes the clean copy of one file to `out` and checks that it read the
/// rows the scan read.
pub fn write_copy(file: &FilePlan, out: &mut dyn Write) -> std::io::Result<CopyTally> {
    let InputPath::File(path) = &file.input.path else {
        return Err(std::io::Error::other(
            "standard input and databases cannot be cleaned",
        ));
    };
    let decoded = open_decoded(path, &file.input.read).map_err(std::io::Error::other)?;
    let tally = match decoded.dialect.format {
        Format::Csv => csv_copy::write(decoded, &file.edits, out)?,
        Format::Json | Format::Ndjson => json_copy::write(decoded, &file.edits, out)?,
        other => {
            return Err(std::io::Error::other(format!(
                "{other:?} input cannot be cleaned: only CSV, JSON and NDJSON exports are copied"
            )))
        }
    };
    if tally.rows_read != file.edits.rows_read {
        return Err(std::io::Error::other(format!(
            "the copy read {} rows where the scan read {}; nothing is written",
            tally.rows_read, file.edits.rows_read
        )));
    }
    Ok(tally)
}

/// What cleaning one file did (or, in a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct FileSummary {
    pub register: String,
    pub file: String,
    /// The copy's path; none in a dry run.
    pub output: Option<String>,
    pub rows_read: u64,
    pub rows_written: u64,
    /// Rows left out, by the first rule (in catalogue order of ids) that
    /// removed them; `rejected` for rows the reader could not audit.
    pub rows_left_out: BTreeMap<String, u64>,
    pub cells_changed: u64,
    pub columns_dropped: Vec<String>,
    pub columns_masked: Vec<String>,
    /// Findings the copy does not mend (their rule's action is `keep`, or
    /// the action does not apply to them), by rule.
    pub findings_kept: BTreeMap<String, u64>,
}

impl FileSummary {
    pub fn new(file: &FilePlan, tally: CopyTally, output: Option<String>) -> FileSummary {
        let edits = &file.edits;
        let mut left_out: BTreeMap<String, u64> = BTreeMap::new();
        for causes in edits.removed.values() {
            let first = causes.iter().map(|c| &*c.rule).min().unwrap_or("?");
            *left_out.entry(first.to_string()).or_default() += 1;
        }
        if !edits.rejected.is_empty() {
            left_out.insert("rejected".into(), edits.rejected.len() as u64);
        }
        let names = |set: &std::collections::BTreeSet<usize>| {
            set.iter().map(|&c| edits.columns[c].clone()).collect()
        };
        FileSummary {
            register: edits.register.clone(),
            file: edits.path.clone(),
            output,
            rows_read: tally.rows_read,
            rows_written: tally.rows_written,
            rows_left_out: left_out,
            cells_changed: tally.cells_changed,
            columns_dropped: names(&edits.dropped),
            columns_masked: names(&edits.masked),
            findings_kept: edits.kept.clone(),
        }
    }
}
