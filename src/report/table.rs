//! The terminal report for people: findings grouped by rule and column with
//! counts and a few masked examples, then row accounting and the summary.

use super::{Render, RenderOptions, Report};
use crate::finding::{Finding, Severity};
use comfy_table::{presets::UTF8_FULL_CONDENSED, ContentArrangement, Table};
use std::collections::BTreeMap;
use std::io::Write;

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
        report: &Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        if options.show_mapping {
            render_mapping(report, out)?;
        }
        render_findings(report, options, out)?;
        render_inputs(report, out)?;
        render_summary(report, out)
    }
}

fn render_mapping(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    for input in &report.inputs {
        writeln!(out, "Column mapping: {} ({})", input.path, input.register)?;
        let mut table = new_table(&["column", "role", "category", "decided by"]);
        for c in &input.columns {
            table.add_row(vec![
                c.name.clone(),
                c.role.name().to_string(),
                c.category.clone().unwrap_or_else(|| "-".into()),
                format!("{:?}", c.source).to_lowercase(),
            ]);
        }
        writeln!(out, "{table}\n")?;
    }
    Ok(())
}

fn render_findings(
    report: &Report,
    options: &RenderOptions,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    if report.findings.is_empty() {
        return writeln!(out, "No findings.\n");
    }
    let examples = if options.examples == 0 {
        DEFAULT_EXAMPLES
    } else {
        options.examples
    };
    // Group by (severity desc, rule, register, column); findings are already sorted.
    let mut groups: BTreeMap<(std::cmp::Reverse<Severity>, &str, &str, &str), Vec<&Finding>> =
        BTreeMap::new();
    for f in &report.findings {
        groups
            .entry((
                std::cmp::Reverse(f.severity),
                &f.rule,
                &f.register,
                f.column.as_deref().unwrap_or("-"),
            ))
            .or_default()
            .push(f);
    }
    let mut table = new_table(&[
        "severity", "rule", "register", "column", "count", "examples",
    ]);
    for ((severity, rule, register, column), findings) in &groups {
        let mut shown: Vec<String> = findings
            .iter()
            .take(examples)
            .map(|f| {
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
                format!("row {}{record}{evidence}", f.row)
            })
            .collect();
        if findings.len() > examples {
            shown.push(format!("… and {} more", findings.len() - examples));
        }
        let first_message = &findings[0].message;
        table.add_row(vec![
            severity.0.to_string(),
            rule.to_string(),
            register.to_string(),
            column.to_string(),
            findings.len().to_string(),
            format!("{first_message}\n{}", shown.join("\n")),
        ]);
    }
    writeln!(out, "Findings\n{table}\n")
}

fn render_inputs(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut table = new_table(&["register", "file", "rows read", "audited", "rejected"]);
    for input in &report.inputs {
        table.add_row(vec![
            input.register.clone(),
            input.path.clone(),
            input.rows_read.to_string(),
            input.rows_audited.to_string(),
            input.rows_rejected.to_string(),
        ]);
    }
    writeln!(out, "Inputs\n{table}")?;
    for input in &report.inputs {
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

fn render_summary(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
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
    writeln!(
        out,
        "Summary: {} findings ({}) in {} rows audited, {} rejected; audit date {}",
        report.summary.total,
        counts.join(", "),
        report.summary.rows_audited,
        report.summary.rows_rejected,
        report.as_of
    )
}
