//! The result of an audit: findings in deterministic order (spilling to disk
//! past a bound), a summary, per-input row accounting, and the metadata of the
//! rules that ran, which the output formats read.

mod coverage;
mod input;
pub mod marks;
mod notice;
mod spill;
pub mod store;
mod triage;

pub use coverage::{CoverageEntry, CoverageStatus, NO_NOTICE};
pub use input::InputReport;
pub use notice::NoticeSummary;
pub use triage::{AllowEntryReport, AllowStatus, AllowlistSummary, BaselineSummary};

use crate::finding::{Finding, Severity};
use crate::rules::RuleMeta;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;
use store::FindingStore;

#[derive(Debug, Clone, Default, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub total: u64,
    pub by_severity: BTreeMap<String, u64>,
    pub by_rule: BTreeMap<String, u64>,
    pub rows_read: u64,
    pub rows_audited: u64,
    pub rows_rejected: u64,
}

/// A finished audit: findings (possibly spilled to disk), summary, inputs and
/// the rules that ran. Renderers consume it, reading the findings once in
/// report order.
pub struct Report {
    pub tool: &'static str,
    pub version: &'static str,
    pub as_of: String,
    pub findings: FindingStore,
    pub summary: Summary,
    pub inputs: Vec<InputReport>,
    /// Metadata (name, doc, legal reference, severity as run) of every rule
    /// that was enabled, in catalogue order.
    pub rules: Vec<RuleMeta>,
    /// For each register, file and enabled rule: whether it ran, and why not.
    pub coverage: Vec<CoverageEntry>,
    /// The id of the key the fingerprints were made with (never the key).
    pub fingerprint_key: String,
    /// With `scan --baseline`: new, existing and fixed findings.
    pub baseline: Option<BaselineSummary>,
    /// With `[[allow]]` entries in the config: suppressed findings and each entry's use.
    pub allowlist: Option<AllowlistSummary>,
    /// Findings that count for the exit status, by severity: those neither
    /// suppressed nor already in the baseline. `None`: every finding counts.
    pub counted_by_severity: Option<BTreeMap<Severity, u64>>,
    /// What marks the findings as they are read (`sorted_findings`).
    pub marks: Option<marks::Marker>,
    /// The notice of each register, in register order.
    pub notices: Vec<NoticeSummary>,
}

impl Report {
    pub fn new(
        as_of: String,
        findings: FindingStore,
        inputs: Vec<InputReport>,
        rules: Vec<RuleMeta>,
        coverage: Vec<CoverageEntry>,
    ) -> Report {
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
            rules,
            coverage,
            fingerprint_key: String::new(),
            baseline: None,
            allowlist: None,
            counted_by_severity: None,
            marks: None,
            notices: Vec::new(),
        }
    }

    /// A second report with the same content, for rendering several formats
    /// from one scan (renderers consume a report). The findings are shared
    /// through the store's spill files, not copied into memory: see
    /// [`FindingStore::try_clone`]; render the copies one after the other.
    pub fn try_clone(&mut self) -> std::io::Result<Report> {
        Ok(Report {
            tool: self.tool,
            version: self.version,
            as_of: self.as_of.clone(),
            findings: self.findings.try_clone()?,
            summary: self.summary.clone(),
            inputs: self.inputs.clone(),
            rules: self.rules.clone(),
            coverage: self.coverage.clone(),
            fingerprint_key: self.fingerprint_key.clone(),
            baseline: self.baseline.clone(),
            allowlist: self.allowlist.clone(),
            counted_by_severity: self.counted_by_severity.clone(),
            marks: self.marks.clone(),
            notices: self.notices.clone(),
        })
    }

    /// The most severe finding, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.by_severity().keys().max().copied()
    }

    /// Every finding in report order, marked `new`/`existing` and
    /// suppressed as the baseline and allowlist say; read it once per output.
    pub fn sorted_findings(
        &self,
    ) -> std::io::Result<impl Iterator<Item = std::io::Result<Cow<'_, Finding>>> + '_> {
        let mut pass = self.marks.as_ref().map(marks::Marker::pass);
        Ok(self.findings.sorted()?.map(move |finding| {
            finding.map(|mut f| {
                if let Some(pass) = pass.as_mut() {
                    pass.mark(f.to_mut());
                }
                f
            })
        }))
    }

    /// The most severe finding that counts for the exit status: not
    /// suppressed by the allowlist and, with a baseline, new.
    pub fn worst_counted(&self) -> Option<Severity> {
        match &self.counted_by_severity {
            None => self.worst(),
            Some(counts) => counts
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(s, _)| *s)
                .max(),
        }
    }
}
