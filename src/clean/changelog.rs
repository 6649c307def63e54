//! The change log of a clean copy: one entry per record left out and per
//! finding that changed a cell or a column, with the rule and fingerprint
//! that explain it and where it was, never a value. CSV or JSON.

use super::edits::FileEdits;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub register: String,
    pub file: String,
    /// The data row (1-based); none for a finding about a whole column.
    pub row: Option<u64>,
    pub line: Option<u64>,
    pub column: Option<String>,
    /// What was done: an action name, or `left-out-rejected` for a row the
    /// reader could not audit.
    pub action: String,
    pub rule: Option<String>,
    pub fingerprint: Option<String>,
    /// Why a rejected row was left out (the reader's reason).
    pub reason: Option<String>,
}

/// Every change of one file: rejected rows first, then the findings' changes
/// in report order.
pub fn changes(edits: &FileEdits) -> Vec<Change> {
    let mut out: Vec<Change> = edits
        .rejected
        .iter()
        .map(|(&row, reason)| Change {
            register: edits.register.clone(),
            file: edits.path.clone(),
            row: Some(row),
            line: None,
            column: None,
            action: "left-out-rejected".into(),
            rule: None,
            fingerprint: None,
            // The reader's reason without the text it may quote from the row.
            reason: Some(reason.split(": ").next().unwrap_or_default().to_string()),
        })
        .collect();
    out.extend(edits.causes.iter().map(|c| Change {
        register: edits.register.clone(),
        file: edits.path.clone(),
        row: (c.row > 0).then_some(c.row),
        line: c.line,
        column: c.column.as_deref().map(str::to_string),
        action: c.action.name().to_string(),
        rule: Some(c.rule.to_string()),
        fingerprint: Some(c.fingerprint.to_string()),
        reason: None,
    }));
    out
}

pub fn write_csv(changes: &[Change], out: &mut dyn Write) -> io::Result<()> {
    let mut writer = csv::Writer::from_writer(out);
    for change in changes {
        writer.serialize(change).map_err(io::Error::other)?;
    }
    if changes.is_empty() {
        writer.write_record([
            "register",
            "file",
            "row",
            "line",
            "column",
            "action",
            "rule",
            "fingerprint",
            "reason",
        ])?;
    }
    writer.flush()
}

pub fn write_json(changes: &[Change], out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, changes)?;
    out.write_all(b"\n")
}
