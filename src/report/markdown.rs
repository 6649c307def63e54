//! A short Markdown summary for a merge-request comment: counts by severity
//! and rule, the first findings (masked), and the rules that could not run.

use super::{Render, RenderOptions};
use crate::finding::{Finding, Severity};
use crate::result::{CoverageStatus, Report};
use std::collections::BTreeMap;
use std::io::Write;

pub struct MarkdownRender;

/// Findings listed in full; the rest are counted.
const FINDINGS_LISTED: usize = 20;

/// Counts gathered while the findings stream past, and the first few. A
/// baseline's new/existing counts belong here, beside the rule counts, with
/// a column for them in `write_counts`.
#[derive(Default)]
struct Tally {
    by_rule: BTreeMap<String, (Severity, u64)>,
    first: Vec<Finding>,
}

impl Tally {
    fn add(&mut self, finding: Finding) {
        let entry = self
            .by_rule
            .entry(finding.rule.to_string())
            .or_insert((finding.severity, 0));
        entry.0 = entry.0.max(finding.severity);
        entry.1 += 1;
        if self.first.len() < FINDINGS_LISTED {
            self.first.push(finding);
        }
    }
}

impl Render for MarkdownRender {
    fn render(
        &self,
        report: Report,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let summary = report.summary.clone();
        let names: BTreeMap<String, String> = report
            .rules
            .iter()
            .map(|r| (r.id.clone(), r.name.clone()))
            .collect();
        let mut tally = Tally::default();
        let coverage = report.coverage.clone();
        for finding in report.sorted_findings()? {
            tally.add(finding?.into_owned());
        }
        writeln!(
            out,
            "### regaudit: {} findings in {} rows audited ({} rejected), audit date {}\n",
            summary.total,
            summary.rows_audited,
            summary.rows_rejected,
            cell(&report.as_of)
        )?;
        let severities: Vec<String> = Severity::ALL
            .iter()
            .map(|s| {
                let n = summary.by_severity.get(s.as_str()).copied().unwrap_or(0);
                format!("{n} {s}")
            })
            .collect();
        writeln!(out, "{}\n", severities.join(" · "))?;
        if let Some(b) = &report.baseline {
            writeln!(
                out,
                "Against the baseline: **{} new**, {} existing, {} fixed\n",
                b.new, b.existing, b.fixed
            )?;
        }
        if let Some(a) = &report.allowlist {
            writeln!(
                out,
                "{} suppressed by the allowlist (not counted)\n",
                a.suppressed
            )?;
        }
        write_counts(&tally, &names, out)?;
        write_first(&tally, summary.total, out)?;
        let gaps: Vec<_> = coverage
            .iter()
            .filter(|c| c.status == CoverageStatus::NotEvaluated)
            .collect();
        if !gaps.is_empty() {
            writeln!(out, "#### Rules that could not run\n")?;
            writeln!(out, "| rule | register | file | why | needs |")?;
            writeln!(out, "|---|---|---|---|---|")?;
            for c in gaps {
                writeln!(
                    out,
                    "| {} | {} | {} | {} | {} |",
                    cell(&c.rule),
                    cell(&c.register),
                    cell(&c.file),
                    cell(c.reason.as_deref().unwrap_or("")),
                    cell(&c.needs.join(" or "))
                )?;
            }
            writeln!(out)?;
        }
        Ok(())
    }
}

fn write_counts(
    tally: &Tally,
    names: &BTreeMap<String, String>,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if tally.by_rule.is_empty() {
        return writeln!(out, "No findings.\n");
    }
    let mut rows: Vec<_> = tally.by_rule.iter().collect();
    // Most severe first, then by rule id.
    rows.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(b.0)));
    writeln!(out, "| severity | rule | name | findings |")?;
    writeln!(out, "|---|---|---|---:|")?;
    for (rule, (severity, count)) in rows {
        let name = names.get(rule).map(String::as_str).unwrap_or("");
        writeln!(
            out,
            "| {severity} | {} | {} | {count} |",
            cell(rule),
            cell(name)
        )?;
    }
    writeln!(out)
}

fn write_first(tally: &Tally, total: u64, out: &mut dyn Write) -> std::io::Result<()> {
    if tally.first.is_empty() {
        return Ok(());
    }
    let shown = tally.first.len() as u64;
    if shown < total {
        writeln!(out, "#### The first {shown} of {total} findings\n")?;
    } else {
        writeln!(out, "#### Findings\n")?;
    }
    writeln!(
        out,
        "| severity | rule | file | line | record | column | finding |"
    )?;
    writeln!(out, "|---|---|---|---:|---|---|---|")?;
    for f in &tally.first {
        let mut text = f.message.to_string();
        if let Some(evidence) = &f.evidence {
            text.push_str(&format!(": {evidence}"));
        }
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            f.severity,
            cell(&f.rule),
            cell(&f.file),
            f.line.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
            cell(f.record.as_deref().unwrap_or("-")),
            cell(f.column.as_deref().unwrap_or("-")),
            cell(&text)
        )?;
    }
    if shown < total {
        writeln!(
            out,
            "\n{} more findings are in the full report (`--format json`).",
            total - shown
        )?;
    }
    writeln!(out)
}

/// Text in a table cell: nothing from the data can close the cell, start a
/// new line, or become markup, a link or HTML in the rendered comment.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '|' | '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' | '!' | '@' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_cannot_break_the_table_or_add_markup() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(cell("<img src=x>"), "&lt;img src=x&gt;");
        assert_eq!(cell("[x](http://e)"), "\\[x\\](http://e)");
    }
}
