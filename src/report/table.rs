//! The terminal report for people: findings grouped by rule and column with
//! counts and a few masked examples, then row accounting and the summary.

use super::{Render, RenderOptions};
use crate::finding::Severity;
use crate::result::{CoverageEntry, CoverageStatus, InputReport, Report};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::io::Write;
use std::sync::Arc;

pub struct TableRender;

const DEFAULT_EXAMPLES: usize = 3;
const MAX_REJECTED_SHOWN: usize = 10;

fn new_table(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120)
        .set_header(header.iter().copied());
    table
}

impl Render for TableRender {
    fn render(
        &self,
        mut report: Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        if options.show_mapping {
            render_mapping(&report, out)?;
        }
        let summary_line = summary_line(&report);
        render_coverage(&report.coverage, out)?;
        let inputs = std::mem::take(&mut report.inputs);
        render_findings(report, options, out)?;
        render_inputs(&inputs, out)?;
        writeln!(out, "{summary_line}")
    }
}

/// Before the findings: every rule that did not run, and why, so a clean
/// table never hides one. Rules that could not run although they apply come
/// first, as a table; rules with nothing to check follow, one line per file.
fn render_coverage(coverage: &[CoverageEntry], out: &mut dyn Write) -> std::io::Result<()> {
    let count = |status| coverage.iter().filter(|c| c.status == status).count();
    let blocked = count(CoverageStatus::NotEvaluated);
    writeln!(
        out,
        "Coverage: {} rule runs evaluated, {blocked} could not run, {} had nothing to check",
        count(CoverageStatus::Evaluated),
        count(CoverageStatus::Skipped),
    )?;
    if blocked > 0 {
        let mut table = new_table(&["rule", "register", "file", "NOT EVALUATED because", "needs"]);
        for c in coverage
            .iter()
            .filter(|c| c.status == CoverageStatus::NotEvaluated)
        {
            table.add_row(vec![
                c.rule.clone(),
                c.register.clone(),
                c.file.clone(),
                c.reason.clone().unwrap_or_default(),
                c.needs.join(" or "),
            ]);
        }
        writeln!(out, "{table}")?;
    }
    let mut skipped: BTreeMap<(&str, &str), Vec<String>> = BTreeMap::new();
    for c in coverage
        .iter()
        .filter(|c| c.status == CoverageStatus::Skipped)
    {
        skipped
            .entry((c.register.as_str(), c.file.as_str()))
            .or_default()
            .push(format!(
                "{} ({})",
                c.rule,
                c.reason.as_deref().unwrap_or("")
            ));
    }
    for ((register, file), rules) in skipped {
        let place = if file == "-" {
            format!("register {register}")
        } else {
            format!("{register} {file}")
        };
        writeln!(out, "  nothing to check in {place}: {}", rules.join("; "))?;
    }
    writeln!(out)
}

fn render_mapping(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for input in &report.inputs {
        writeln!(out, "Column mapping: {} ({})", input.path, input.register)?;
        let mut table = new_table(&[
            "column",
            "role",
            "category",
            "decided by",
            "confidence",
            "evidence",
        ]);
        for c in &input.columns {
            let mut evidence = c.evidence.clone();
            if let Some(note) = &c.note {
                evidence.push_str(&format!("\nDISAGREES: {note}"));
            }
            table.add_row(vec![
                c.name.clone(),
                c.role.name().to_string(),
                c.category.clone().unwrap_or_else(|| "-".into()),
                format!("{:?}", c.source).to_lowercase(),
                format!("{:.2}", c.confidence),
                evidence,
            ]);
        }
        writeln!(out, "{table}\n")?;
    }
    Ok(())
}

/// Severity (most severe first), rule, register and column.
type GroupKey = (Reverse<Severity>, Arc<str>, Arc<str>, Arc<str>);

/// One row of the findings table: a count and the first few examples.
struct Group {
    count: usize,
    message: Cow<'static, str>,
    examples: Vec<String>,
}

fn render_findings(
    report: Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if report.findings.total() == 0 {
        return writeln!(out, "No findings.\n");
    }
    let examples = if options.examples == 0 {
        DEFAULT_EXAMPLES
    } else {
        options.examples
    };
    // Grouped while streaming: memory grows with the number of groups, not findings.
    let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
    for f in report.findings.into_sorted()? {
        let f = f?;
        let key = (
            Reverse(f.severity),
            Arc::clone(&f.rule),
            Arc::clone(&f.register),
            f.column.clone().unwrap_or_else(|| "-".into()),
        );
        let group = groups.entry(key).or_insert_with(|| Group {
            count: 0,
            message: f.message.clone(),
            examples: Vec::new(),
        });
        group.count += 1;
        if group.examples.len() < examples {
            let record = f
                .record
                .as_deref()
                .map(|r| format!(" {r}"))
                .unwrap_or_default();
            let evidence = f
                .evidence
                .as_deref()
                .map(|e| format!(": {e}"))
                .unwrap_or_default();
            group
                .examples
                .push(format!("row {}{record}{evidence}", f.row));
        }
    }
    let mut table = new_table(&[
        "severity", "rule", "register", "column", "count", "examples",
    ]);
    for ((severity, rule, register, column), group) in groups {
        let mut shown = group.examples;
        if group.count > shown.len() {
            shown.push(format!(
                "… and {} more (all are in --format json)",
                group.count - shown.len()
            ));
        }
        table.add_row(vec![
            severity.0.to_string(),
            rule.to_string(),
            register.to_string(),
            column.to_string(),
            group.count.to_string(),
            format!("{}\n{}", group.message, shown.join("\n")),
        ]);
    }
    writeln!(out, "Findings\n{table}\n")
}

fn render_inputs(inputs: &[InputReport], out: &mut dyn Write) -> std::io::Result<()> {
    let mut table = new_table(&["register", "file", "rows read", "audited", "rejected"]);
    for input in inputs {
        table.add_row(vec![
            input.register.clone(),
            input.path.clone(),
            input.rows_read.to_string(),
            input.rows_audited.to_string(),
            input.rows_rejected.to_string(),
        ]);
    }
    writeln!(out, "Inputs\n{table}")?;
    for input in inputs {
        for r in input.rejected.iter().take(MAX_REJECTED_SHOWN) {
            let line = r.line.map(|l| format!(" (line {l})")).unwrap_or_default();
            writeln!(
                out,
                "  rejected: {} row {}{line}: {}",
                input.path, r.row, r.reason
            )?;
        }
        if input.rejected.len() > MAX_REJECTED_SHOWN {
            writeln!(
                out,
                "  … {} more rejected rows in {} (all are listed in --format json)",
                input.rejected.len() - MAX_REJECTED_SHOWN,
                input.path
            )?;
        }
        for w in &input.warnings {
            writeln!(out, "  warning: {}: {w}", input.path)?;
        }
    }
    writeln!(out)
}

fn summary_line(report: &Report) -> String {
    let counts: Vec<String> = Severity::ALL
        .iter()
        .map(|s| {
            format!(
                "{} {s}",
                report
                    .summary
                    .by_severity
                    .get(s.as_str())
                    .copied()
                    .unwrap_or(0)
            )
        })
        .collect();
    format!(
        "Summary: {} findings ({}) in {} rows audited, {} rejected; audit date {}",
        report.summary.total,
        counts.join(", "),
        report.summary.rows_audited,
        report.summary.rows_rejected,
        report.as_of
    )
}
