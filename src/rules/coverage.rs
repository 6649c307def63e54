//! Coverage: whether a rule could run on the data given, on which columns,
//! and when not, why. A rule the notice makes applicable but the data cannot
//! feed is itself a finding, COV001 rule-not-evaluated, so a clean report
//! never hides a rule that did not run.

use super::context::{FileContext, Hit};
use super::RuleMeta;
use crate::columns::{ColumnInfo, ContentKind, Role};
use crate::mask::ValueKind;

/// What a rule could do with one file (or, for event rules, one register).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Coverage {
    /// The rule runs on these columns (indices into the file's columns).
    Evaluated(Vec<usize>),
    /// Nothing for the rule to check here, and nothing missing: why.
    Skipped(String),
    /// The notice (or the logs given) make the rule apply, but no column can
    /// feed it: a COV001 finding.
    Blocked(Gap),
}

/// Why a rule that applies could not run, and which roles would make it run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub reason: String,
    pub needs: Vec<Role>,
}

impl Coverage {
    /// Evaluated on the file's columns in `roles`, or skipped for `missing`.
    pub fn of_roles(file: &FileContext<'_>, roles: &[Role], missing: &str) -> Coverage {
        let columns: Vec<usize> = roles
            .iter()
            .flat_map(|r| file.columns_of(*r).iter().copied())
            .collect();
        if columns.is_empty() {
            Coverage::Skipped(missing.to_string())
        } else {
            Coverage::Evaluated(columns)
        }
    }

    /// Skipped for `missing` unless `present`.
    pub fn require(self, present: bool, missing: &str) -> Coverage {
        if present {
            self
        } else {
            Coverage::Skipped(missing.to_string())
        }
    }

    pub fn runs(&self) -> bool {
        matches!(self, Coverage::Evaluated(_))
    }
}

/// Columns nobody mapped whose content could feed one of `needs`: unmapped
/// columns of dates for a date role, of yes/no values for a flag.
pub fn candidates<'a>(columns: &'a [ColumnInfo], needs: &[Role]) -> Vec<&'a ColumnInfo> {
    columns
        .iter()
        .filter(|c| c.role == Role::Other)
        .filter(|c| {
            needs.iter().any(|need| {
                ContentKind::expected_for(*need, need.cell_kind())
                    .is_some_and(|kind| c.evidence.contains(kind.describe()))
            })
        })
        .collect()
}

/// COV001: one finding per rule that applies but could not run.
pub struct RuleNotEvaluated;

impl RuleNotEvaluated {
    pub fn hit(&self, rule: &RuleMeta, gap: &Gap, candidates: &[&ColumnInfo]) -> Hit {
        let needs: Vec<&str> = gap.needs.iter().map(|r| r.name()).collect();
        let candidates = if candidates.is_empty() {
            "no unmapped column looks like one".to_string()
        } else {
            let named: Vec<String> = candidates
                .iter()
                .map(|c| format!("`{}` ({})", c.name, c.evidence))
                .collect();
            format!("candidate columns: {}", named.join("; "))
        };
        Hit::new(
            None,
            format!(
                "{} {} could not run: {}; map a column to {} ({candidates})",
                rule.id,
                rule.name,
                gap.reason,
                needs.join(" or ")
            ),
        )
        .evidence(ValueKind::Plain, &rule.id)
        .detail(rule.id.clone())
    }
}
