//! Rule coverage as the engine records it: one entry per file (or event log)
//! and rule, and a COV001 finding for each rule that applies but could not run.

use super::complete::{complete, ActiveRule, Origin, Place};
use super::AuditOptions;
use crate::columns::ColumnInfo;
use crate::finding::Finding;
use crate::register::Register;
use crate::result::{CoverageEntry, CoverageStatus, NO_NOTICE};
use crate::rules::coverage::candidates;
use crate::rules::Coverage;

/// Why a rule does not run on a register scanned without a notice, when it
/// compares the data with what a notice declares.
pub(super) fn needs_absent_notice(register: &Register, rule: &ActiveRule<'_>) -> Option<Coverage> {
    (!register.notice.given && rule.rule.meta.needs_notice).then(|| {
        Coverage::Skipped(format!(
            "{NO_NOTICE}: the rule compares the data with what the notice declares"
        ))
    })
}

/// Where coverage is recorded: the register, the file and its columns, and
/// the COV001 rule when it is enabled.
pub(super) struct CoverageRecorder<'a> {
    pub(super) register: &'a str,
    pub(super) file: &'a str,
    pub(super) columns: &'a [ColumnInfo],
    pub(super) origin: &'a Origin,
    pub(super) cov_rule: Option<&'a ActiveRule<'a>>,
    pub(super) options: &'a AuditOptions,
    pub(super) entries: Vec<CoverageEntry>,
    pub(super) findings: Vec<Finding>,
}

impl CoverageRecorder<'_> {
    pub(super) fn record(&mut self, rule: &ActiveRule<'_>, coverage: &Coverage) {
        let (status, columns, reason, needs) = match coverage {
            Coverage::Evaluated(columns) => (
                CoverageStatus::Evaluated,
                columns
                    .iter()
                    .map(|&i| self.columns[i].name.clone())
                    .collect(),
                None,
                Vec::new(),
            ),
            Coverage::Skipped(reason) => (
                CoverageStatus::Skipped,
                Vec::new(),
                Some(reason.clone()),
                Vec::new(),
            ),
            Coverage::Blocked(gap) => {
                if let Some(cov) = self
                    .cov_rule
                    .and_then(|r| r.rule.coverage().map(|c| (r, c)))
                {
                    let (cov_rule, check) = cov;
                    let found = candidates(self.columns, &gap.needs);
                    let hit = check.hit(&rule.rule.meta, gap, &found);
                    self.findings.push(complete(
                        hit,
                        cov_rule,
                        Place::file(self.origin, None),
                        self.options,
                    ));
                }
                (
                    CoverageStatus::NotEvaluated,
                    Vec::new(),
                    Some(gap.reason.clone()),
                    gap.needs.iter().map(|r| r.name().to_string()).collect(),
                )
            }
        };
        self.entries.push(CoverageEntry {
            register: self.register.to_string(),
            file: self.file.to_string(),
            rule: rule.rule.meta.id.clone(),
            status,
            columns,
            reason,
            needs,
        });
    }
}
