//! The report in one line, for stderr when the report itself goes to a file
//! and for the table's last line: counts only, never a value.

use crate::finding::Severity;
use crate::result::Report;

/// `9 findings (0 critical, 3 high, 3 medium, 3 low, 0 info)`, with the
/// baseline's new/existing/fixed and the suppressed count when there are any.
pub fn one_line(report: &Report) -> String {
    format!("{}{}", counts(report), triage(report))
}

/// `9 findings (0 critical, 3 high, 3 medium, 3 low, 0 info)`.
pub fn counts(report: &Report) -> String {
    let counts: Vec<String> = Severity::ALL
        .iter()
        .map(|s| {
            let n = report
                .summary
                .by_severity
                .get(s.as_str())
                .copied()
                .unwrap_or(0);
            format!("{n} {s}")
        })
        .collect();
    format!("{} findings ({})", report.summary.total, counts.join(", "))
}

/// `; baseline: 2 new, 7 existing, 1 fixed; 1 suppressed by the allowlist`,
/// or nothing without a baseline or allowlist.
pub fn triage(report: &Report) -> String {
    let mut line = String::new();
    if let Some(b) = &report.baseline {
        line.push_str(&format!(
            "; baseline: {} new, {} existing, {} fixed",
            b.new, b.existing, b.fixed
        ));
    }
    if let Some(a) = &report.allowlist {
        line.push_str(&format!("; {} suppressed by the allowlist", a.suppressed));
    }
    line
}
