//! Triage after the audit: the allowlist marks accepted findings as
//! suppressed, the baseline marks each finding new or existing and finds the
//! baseline's findings that are gone (fixed), and what is left — new,
//! unsuppressed findings — decides the exit status. One counting pass over
//! the findings in report order (`result::marks`), which every output
//! format's read repeats, so they all show the same marks.

use crate::allowlist::AllowEntry;
use crate::baseline::{Baseline, BaselineBuilder, BaselineEntry};
use crate::error::Error;
use crate::finding::{BaselineState, Fingerprint, Severity};
use crate::result::marks::Marker;
use crate::result::{AllowEntryReport, AllowStatus, AllowlistSummary, BaselineSummary, Report};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// What to compare a scan's findings with.
#[derive(Debug, Clone, Default)]
pub struct Triage {
    /// `--baseline FILE`: the file as given and its content (key already checked).
    pub baseline: Option<(PathBuf, Baseline)>,
    /// `[[allow]]` entries of the config.
    pub allow: Vec<AllowEntry>,
    /// `--write-baseline`: record the unsuppressed findings as a new baseline.
    pub record_baseline: bool,
}

impl Triage {
    /// Whether there is nothing to do (the report is returned as it is).
    pub fn is_empty(&self) -> bool {
        self.baseline.is_none() && self.allow.is_empty() && !self.record_baseline
    }

    /// Marks the report's findings and adds the baseline and allowlist
    /// sections; returns the new baseline when one was asked for.
    pub fn apply(
        &self,
        mut report: Report,
        as_of: NaiveDate,
    ) -> Result<(Report, Option<Baseline>), Error> {
        if self.is_empty() {
            return Ok((report, None));
        }
        let read_error = |e: std::io::Error| Error::Output {
            path: std::env::temp_dir(),
            message: format!("cannot read the findings back from a temporary file: {e}"),
        };
        // Each baseline fingerprint with how many findings it may match, and
        // the entry it came from (for the fixed list).
        let mut entries: HashMap<Fingerprint, &BaselineEntry> = HashMap::new();
        let counts = match &self.baseline {
            Some((_, baseline)) => {
                let mut counts: HashMap<Fingerprint, u64> = HashMap::new();
                for entry in &baseline.findings {
                    // Checked when the baseline was loaded.
                    if let Ok(fp) = entry.fingerprint.parse::<Fingerprint>() {
                        *counts.entry(fp).or_default() += entry.count;
                        entries.entry(fp).or_insert(entry);
                    }
                }
                Some(counts)
            }
            None => None,
        };
        let marker = Marker::new(counts, &self.allow, as_of);
        let mut builder = self.record_baseline.then(BaselineBuilder::default);
        let mut counted: BTreeMap<Severity, u64> = BTreeMap::new();
        let mut new_by_severity: BTreeMap<Severity, u64> = BTreeMap::new();
        let (mut new, mut existing, mut suppressed) = (0u64, 0u64, 0u64);
        let mut pass = marker.pass();
        for finding in report.findings.sorted().map_err(read_error)? {
            let f = finding.map_err(read_error)?;
            let (state, suppression) = pass.marks(&f);
            match state {
                Some(BaselineState::New) => {
                    new += 1;
                    *new_by_severity.entry(f.severity).or_default() += 1;
                }
                Some(BaselineState::Existing) => existing += 1,
                None => {}
            }
            if suppression.is_some() {
                suppressed += 1;
                continue;
            }
            if state != Some(BaselineState::Existing) {
                *counted.entry(f.severity).or_default() += 1;
            }
            if let Some(builder) = builder.as_mut() {
                builder.add(&f);
            }
        }
        let (remaining, matched) = (pass.remaining, pass.matched);
        report.counted_by_severity = Some(counted);

        if let (Some((path, _)), Some(remaining)) = (&self.baseline, remaining) {
            let mut fixed_findings: Vec<BaselineEntry> = remaining
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .filter_map(|(fp, n)| {
                    entries.get(&fp).map(|entry| BaselineEntry {
                        count: n,
                        ..(*entry).clone()
                    })
                })
                .collect();
            fixed_findings.sort();
            report.baseline = Some(BaselineSummary {
                file: path.display().to_string(),
                new,
                existing,
                fixed: fixed_findings.iter().map(|e| e.count).sum(),
                new_by_severity: Severity::ALL
                    .iter()
                    .map(|s| {
                        let n = new_by_severity.get(s).copied().unwrap_or(0);
                        (s.as_str().to_string(), n)
                    })
                    .collect(),
                fixed_findings,
            });
        }
        if !self.allow.is_empty() {
            report.allowlist = Some(AllowlistSummary {
                suppressed,
                entries: self
                    .allow
                    .iter()
                    .zip(matched)
                    .map(|(entry, matched)| entry_report(entry, matched, as_of))
                    .collect(),
            });
        }
        report.marks = Some(marker);
        let baseline = builder.map(|b| b.finish(&report.as_of, &report.fingerprint_key));
        Ok((report, baseline))
    }
}

fn entry_report(entry: &AllowEntry, matched: u64, as_of: NaiveDate) -> AllowEntryReport {
    let status = if entry.is_expired(as_of) {
        AllowStatus::Expired
    } else if matched == 0 {
        AllowStatus::Unused
    } else {
        AllowStatus::Active
    };
    AllowEntryReport {
        entry: entry.location.clone(),
        status,
        matched,
        rule: entry.rule.clone(),
        register: entry.register.clone(),
        column: entry.column.clone(),
        record: entry.record.clone(),
        fingerprint: entry.fingerprint.map(|f| f.to_string()),
        reason: entry.reason.clone(),
        owner: entry.owner.clone(),
        expires: entry.expires.map(|d| d.to_string()),
    }
}
