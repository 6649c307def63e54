//! Finding completion: a rule's hit becomes a finding here and only here —
//! stamped with the id of the rule that produced it, its severity after
//! overrides, masked evidence and record, and a fingerprint from what the
//! finding is about (never its position).

use super::AuditOptions;
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

/// The register and file that findings name, made once per file and shared
/// by all its findings. Fingerprints hash the register, never the file: next
/// month's export of the same register keeps its findings' identities.
pub(super) struct Origin {
    register: Arc<str>,
    file: Arc<str>,
}

impl Origin {
    pub(super) fn new(register: &str, file: &str) -> Self {
        Origin {
            register: register.into(),
            file: file.into(),
        }
    }
}

/// Where a finding is and what identifies it.
pub(super) struct Place<'a> {
    pub(super) origin: &'a Origin,
    pub(super) row: u64,
    pub(super) record: Option<&'a str>,
    /// What the fingerprint hashes to identify the record.
    pub(super) identity: String,
    pub(super) column: Option<String>,
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
            Some(k) => format!("key:{k}"),
            None => "no-key".to_string(),
        };
        Place {
            origin,
            row: row.row,
            record: key,
            identity,
            column: column.map(|i| row.file.columns[i].name.clone()),
            value_identifies: true,
        }
    }

    /// A finding about a whole column (row 0).
    pub(super) fn file(origin: &'a Origin, column: Option<String>) -> Self {
        Place {
            origin,
            row: 0,
            record: None,
            identity: "file".to_string(),
            column,
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
    Finding {
        rule: Arc::clone(&rule.id),
        severity: rule.severity(hit.severity),
        register: Arc::clone(&origin.register),
        file: Arc::clone(&origin.file),
        row: place.row,
        record: place.record.map(|k| mask_key(k, reveal)),
        fingerprint: options.fingerprint_key.fingerprint(&[
            &rule.id,
            &origin.register,
            &place.identity,
            place.column.as_deref().unwrap_or(""),
            &hit.detail,
            value,
        ]),
        column: place.column,
        message: hit.message,
        evidence: hit.evidence.map(|e| mask(e.kind, &e.raw, reveal)),
    }
}
