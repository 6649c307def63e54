//! Finding completion: a rule's hit becomes a finding here and only here —
//! stamped with the id of the rule that produced it, its severity after
//! overrides, masked evidence and record, and a fingerprint from what the
//! finding is about (never its position).

use super::AuditOptions;
use crate::columns::ColumnInfo;
use crate::finding::{Finding, Severity};
use crate::mask::{mask, mask_key};
use crate::rules::context::{Hit, Row};
use crate::rules::{Rule, RuleMeta};
use std::sync::Arc;

/// A rule as this audit runs it: its id, shared by all its findings, and its
/// severity after the user's overrides.
pub(super) struct ActiveRule<'a> {
    pub(super) rule: &'a Rule,
    pub(super) id: Arc<str>,
    severity_override: Option<Severity>,
}

impl<'a> ActiveRule<'a> {
    pub(super) fn new(rule: &'a Rule, options: &AuditOptions) -> Self {
        ActiveRule {
            rule,
            id: rule.meta.id.as_str().into(),
            severity_override: options.severity_overrides.get(&rule.meta.id).copied(),
        }
    }

    /// An override beats the hit's own severity, which beats the rule's.
    fn severity(&self, hit: Option<Severity>) -> Severity {
        self.severity_override
            .or(hit)
            .unwrap_or(self.rule.meta.severity)
    }

    /// The rule's metadata with the severity it ran at.
    pub(super) fn meta_as_run(&self) -> RuleMeta {
        RuleMeta {
            severity: self.severity(None),
            ..self.rule.meta.clone()
        }
    }
}

/// The register, file and column names that findings name, made once per
/// file and shared by all its findings. Fingerprints hash the register, never
/// the file: next month's export of the same register keeps its findings'
/// identities.
pub(super) struct Origin {
    register: Arc<str>,
    file: Arc<str>,
    columns: Vec<Arc<str>>,
}

impl Origin {
    pub(super) fn new(register: &str, file: &str, columns: &[ColumnInfo]) -> Self {
        Origin {
            register: register.into(),
            file: file.into(),
            columns: columns.iter().map(|c| Arc::from(c.name.as_str())).collect(),
        }
    }

    /// The shared name of column `index`.
    pub(super) fn column(&self, index: usize) -> Arc<str> {
        Arc::clone(&self.columns[index])
    }
}

/// Where a finding is and what identifies it.
pub(super) struct Place<'a> {
    pub(super) origin: &'a Origin,
    pub(super) row: u64,
    /// The line of the file where the record starts, when it names one.
    pub(super) line: Option<u64>,
    pub(super) record: Option<&'a str>,
    /// What the fingerprint hashes to identify the record: the pieces of one
    /// part (`"key:"` and the key), so no string is built per finding.
    pub(super) identity: [&'a str; 2],
    pub(super) column: Option<Arc<str>>,
    /// Whether the violating value is part of the identity (a cell's value
    /// is; a whole column's cell count is not).
    pub(super) value_identifies: bool,
}

impl<'a> Place<'a> {
    /// A finding about a row: the record is its key. Without a key, the rule,
    /// column and violating value identify it (never the row's position or
    /// its other, unrelated cells).
    pub(super) fn row(
        origin: &'a Origin,
        row: &Row<'a>,
        key: Option<&'a str>,
        column: Option<usize>,
    ) -> Self {
        let identity = match key {
            Some(k) => ["key:", k],
            None => ["no-key", ""],
        };
        Place {
            origin,
            row: row.row,
            line: None,
            record: key,
            identity,
            column: column.map(|i| origin.column(i)),
            value_identifies: true,
        }
    }

    /// A finding about a whole column (row 0).
    pub(super) fn file(origin: &'a Origin, column: Option<usize>) -> Self {
        Place {
            origin,
            row: 0,
            line: None,
            record: None,
            identity: ["file", ""],
            column: column.map(|i| origin.column(i)),
            value_identifies: false,
        }
    }
}

pub(super) fn complete(
    hit: Hit,
    rule: &ActiveRule<'_>,
    place: Place<'_>,
    options: &AuditOptions,
) -> Finding {
    let origin = place.origin;
    let reveal = options.reveal;
    let value = match (&hit.evidence, place.value_identifies) {
        (Some(e), true) => e.raw.as_str(),
        _ => "",
    };
    let fingerprint = options
        .fingerprint_key
        .hasher()
        .part(&[&rule.id])
        .part(&[&origin.register])
        .part(&place.identity)
        .part(&[place.column.as_deref().unwrap_or("")])
        .part(&[&hit.detail])
        .part(&[value])
        .finish();
    Finding {
        rule: Arc::clone(&rule.id),
        severity: rule.severity(hit.severity),
        register: Arc::clone(&origin.register),
        file: Arc::clone(&origin.file),
        row: place.row,
        line: place.line,
        record: place.record.map(|k| mask_key(k, reveal)),
        fingerprint,
        column: place.column,
        message: hit.message,
        evidence: hit.evidence.map(|e| mask(e.kind, &e.raw, reveal)),
        baseline_state: None,
        suppressed: None,
    }
}
