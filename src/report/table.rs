//! The terminal report for people: findings grouped by rule and column with
//! counts and a few masked examples, then row accounting and the summary.

use super::{Render, RenderOptions};
use crate::finding::{BaselineState, Severity};
use crate::result::{
    AllowStatus, CoverageEntry, CoverageStatus, InputReport, NoticeSummary, Report, NO_NOTICE,
};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Cell, Color, ContentArrangement, Table};
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
        render_missing_notices(&report.notices, out)?;
        render_coverage(&report.coverage, out)?;
        let inputs = std::mem::take(&mut report.inputs);
        let baseline = report.baseline.take();
        let allowlist = report.allowlist.take();
        render_findings(&report, options, baseline.is_some(), out)?;
        if let Some(baseline) = &baseline {
            render_fixed(baseline, out)?;
        }
        if let Some(allowlist) = &allowlist {
            render_allowlist(allowlist, out)?;
        }
        render_inputs(&inputs, out)?;
        writeln!(out, "{summary_line}")
    }
}

/// Registers scanned with `--data` alone, and the rules that needed a notice.
fn render_missing_notices(notices: &[NoticeSummary], out: &mut dyn Write) -> std::io::Result<()> {
    for n in notices.iter().filter(|n| !n.given) {
        writeln!(
            out,
            "No notice for register {}: skipped {} (they compare the data with what the notice \
             declares); give --notice FILE to run them.",
            n.register,
            if n.rules_skipped.is_empty() {
                "no rules".to_string()
            } else {
                n.rules_skipped.join(", ")
            }
        )?;
    }
    Ok(())
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
    // Rules skipped for lack of a notice are named once, above.
    for c in coverage.iter().filter(|c| {
        c.status == CoverageStatus::Skipped
            && !c
                .reason
                .as_deref()
                .is_some_and(|r| r.starts_with(NO_NOTICE))
    }) {
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
    /// Findings not in the baseline (with `--baseline`).
    new: usize,
    message: Cow<'static, str>,
    examples: Vec<String>,
}

fn severity_cell(severity: Severity, color: bool) -> Cell {
    let cell = Cell::new(severity);
    if !color {
        return cell;
    }
    match severity {
        Severity::Critical => cell.fg(Color::Magenta),
        Severity::High => cell.fg(Color::Red),
        Severity::Medium => cell.fg(Color::Yellow),
        Severity::Low => cell.fg(Color::Cyan),
        Severity::Info => cell,
    }
}

/// Suppressed findings, counted by allowlist entry, rule, register and column.
type SuppressedKey = (String, Arc<str>, Arc<str>, Arc<str>);

fn render_findings(
    report: &Report,
    options: &RenderOptions,
    with_baseline: bool,
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
    let mut suppressed: BTreeMap<SuppressedKey, (usize, String)> = BTreeMap::new();
    for f in report.sorted_findings()? {
        let f = f?;
        if let Some(s) = &f.suppressed {
            let key = (
                s.entry.clone(),
                Arc::clone(&f.rule),
                Arc::clone(&f.register),
                f.column.clone().unwrap_or_else(|| "-".into()),
            );
            suppressed.entry(key).or_insert((0, s.reason.clone())).0 += 1;
            continue;
        }
        let is_new = f.baseline_state == Some(BaselineState::New);
        let key = (
            Reverse(f.severity),
            Arc::clone(&f.rule),
            Arc::clone(&f.register),
            f.column.clone().unwrap_or_else(|| "-".into()),
        );
        let group = groups.entry(key).or_insert_with(|| Group {
            count: 0,
            new: 0,
            message: f.message.clone(),
            examples: Vec::new(),
        });
        group.count += 1;
        group.new += usize::from(is_new);
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
            let state = match f.baseline_state {
                Some(state) => format!(" [{}]", state.as_str()),
                None => String::new(),
            };
            group
                .examples
                .push(format!("row {}{record}{evidence}{state}", f.row));
        }
    }
    if !suppressed.is_empty() {
        let mut table = new_table(&[
            "allowed by",
            "rule",
            "register",
            "column",
            "count",
            "reason",
        ]);
        for ((entry, rule, register, column), (count, reason)) in suppressed {
            table.add_row(vec![
                entry,
                rule.to_string(),
                register.to_string(),
                column.to_string(),
                count.to_string(),
                reason,
            ]);
        }
        writeln!(out, "Suppressed by the allowlist (not counted)\n{table}\n")?;
    }
    if groups.is_empty() {
        return writeln!(out, "No findings outside the allowlist.\n");
    }
    let mut header = vec!["severity", "rule", "register", "column", "count"];
    if with_baseline {
        header.push("new");
    }
    header.push("examples");
    let mut table = new_table(&header);
    if options.color {
        table.enforce_styling();
    }
    for ((severity, rule, register, column), group) in groups {
        let mut shown = group.examples;
        if group.count > shown.len() {
            shown.push(format!(
                "… and {} more (all are in --format json)",
                group.count - shown.len()
            ));
        }
        let mut row = vec![
            severity_cell(severity.0, options.color),
            Cell::new(rule),
            Cell::new(register),
            Cell::new(column),
            Cell::new(group.count),
        ];
        if with_baseline {
            row.push(Cell::new(group.new));
        }
        row.push(Cell::new(format!(
            "{}\n{}",
            group.message,
            shown.join("\n")
        )));
        table.add_row(row);
    }
    writeln!(out, "Findings\n{table}\n")
}

/// Baseline findings this scan no longer has.
fn render_fixed(
    baseline: &crate::result::BaselineSummary,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(
        out,
        "Baseline {}: {} new, {} existing, {} fixed",
        baseline.file, baseline.new, baseline.existing, baseline.fixed
    )?;
    if baseline.fixed_findings.is_empty() {
        return writeln!(out);
    }
    let mut fixed: BTreeMap<(&str, &str, &str), u64> = BTreeMap::new();
    for e in &baseline.fixed_findings {
        *fixed
            .entry((&e.register, &e.rule, e.column.as_deref().unwrap_or("-")))
            .or_default() += e.count;
    }
    let mut table = new_table(&["register", "rule", "column", "fixed"]);
    for ((register, rule, column), count) in fixed {
        table.add_row(vec![
            register.to_string(),
            rule.to_string(),
            column.to_string(),
            count.to_string(),
        ]);
    }
    writeln!(out, "Fixed since the baseline\n{table}\n")
}

/// Allowlist entries that no longer suppress (expired) or match nothing (unused).
fn render_allowlist(
    allowlist: &crate::result::AllowlistSummary,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for e in &allowlist.entries {
        match e.status {
            AllowStatus::Expired => writeln!(
                out,
                "  allowlist: {} expired on {}: no longer suppresses its {} finding(s) ({})",
                e.entry,
                e.expires.as_deref().unwrap_or("?"),
                e.matched,
                e.reason
            )?,
            AllowStatus::Unused => writeln!(
                out,
                "  allowlist: {} matches no finding ({})",
                e.entry, e.reason
            )?,
            AllowStatus::Active => {}
        }
    }
    if allowlist
        .entries
        .iter()
        .any(|e| e.status != AllowStatus::Active)
    {
        writeln!(out)?;
    }
    Ok(())
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
    format!(
        "Summary: {} in {} rows audited, {} rejected; audit date {}{}",
        super::summary::counts(report),
        report.summary.rows_audited,
        report.summary.rows_rejected,
        report.as_of,
        super::summary::triage(report),
    )
}
