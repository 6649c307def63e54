//! The HTML report for people who never run a command line: one
//! self-contained page (CSS, script and SVG charts inline, no network) with
//! the inputs, the verdict, coverage, charts and a section per rule whose
//! findings table can be sorted and filtered in the browser.
//!
//! Findings are read once, in report order, and tallied as they stream by;
//! only the first `ROWS_PER_RULE` of each rule are kept as table rows, so a
//! million findings give a page of the same size as ten thousand.

mod charts;
mod text;

pub use text::Lang;

use super::{Render, RenderOptions};
use crate::columns::Role;
use crate::finding::{Finding, Severity};
use crate::result::{CoverageEntry, CoverageStatus, Report};
use charts::{bar_chart, Bar};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use text::Text;

pub struct HtmlRender;

/// Findings listed as table rows per rule. Past it, the rule's findings are
/// still all counted (by register, file and column, and in the charts) and
/// the page says how many are not listed and points to the JSON report.
pub const ROWS_PER_RULE: usize = 500;

const STYLE: &str = include_str!("html/style.css");
const SCRIPT: &str = include_str!("html/app.js");

/// Nothing is fetched: the page may only use what it carries.
const CONTENT_POLICY: &str =
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

/// Escapes text for HTML element content and quoted attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// What the page shows of one rule's findings.
#[derive(Default)]
struct RuleTally {
    total: u64,
    /// (register, file, column) → count, over all findings.
    places: BTreeMap<(String, String, String), u64>,
    /// The first `ROWS_PER_RULE` findings, in report order.
    rows: Vec<Finding>,
}

/// Everything the page needs from the findings, gathered in one pass.
#[derive(Default)]
struct Tally {
    by_rule_severity: BTreeMap<(String, Severity), u64>,
    /// (register, column) → count.
    by_place: BTreeMap<(String, String), u64>,
    rules: BTreeMap<String, RuleTally>,
    /// RET001: whole months past the deadline → count.
    retention_months: BTreeMap<u32, u64>,
    /// MKT001: (year, month) of the event → count.
    marketing_months: BTreeMap<(i32, u32), u64>,
}

impl Tally {
    fn add(&mut self, finding: &Finding, as_of: Option<NaiveDate>) {
        let column = finding.column.as_deref().unwrap_or("-").to_string();
        *self
            .by_rule_severity
            .entry((finding.rule.to_string(), finding.severity))
            .or_default() += 1;
        *self
            .by_place
            .entry((finding.register.to_string(), column.clone()))
            .or_default() += 1;
        match (&*finding.rule, finding_date(finding)) {
            ("RET001", Some(deadline)) => {
                if let Some(as_of) = as_of {
                    *self
                        .retention_months
                        .entry(months_between(deadline, as_of))
                        .or_default() += 1;
                }
            }
            ("MKT001", Some(sent)) => {
                *self
                    .marketing_months
                    .entry((sent.year(), sent.month()))
                    .or_default() += 1;
            }
            _ => {}
        }
        let rule = self.rules.entry(finding.rule.to_string()).or_default();
        rule.total += 1;
        *rule
            .places
            .entry((
                finding.register.to_string(),
                finding.file.to_string(),
                column,
            ))
            .or_default() += 1;
        if rule.rows.len() < ROWS_PER_RULE {
            rule.rows.push(finding.clone());
        }
    }
}

/// The date a charted finding is about, from the evidence its rule writes
/// (dates there are plain, never masked): RET001's deadline in
/// `<anchor>, deadline <date>, N days overdue`, MKT001's event day in
/// `<channel> <date> <time>`. tests/html_report.rs checks that the RET001
/// chart counts every RET001 finding, so a changed wording fails there.
fn finding_date(finding: &Finding) -> Option<NaiveDate> {
    let evidence = finding.evidence.as_deref()?;
    let date = |s: &str| NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok();
    match &*finding.rule {
        "RET001" => evidence.split("deadline ").nth(1).and_then(date),
        "MKT001" => evidence.split_whitespace().find_map(date),
        _ => None,
    }
}

/// Whole months from `from` to `to` (0 when under a month).
fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    months.max(0) as u32
}

/// The histogram's bins of months past the deadline: (first month, label).
const MONTH_BINS: [(u32, &str); 8] = [
    (0, "0"),
    (1, "1–2"),
    (3, "3–5"),
    (6, "6–11"),
    (12, "12–23"),
    (24, "24–35"),
    (36, "36–59"),
    (60, "60+"),
];

impl Render for HtmlRender {
    fn render(
        &self,
        report: Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let lang = options.lang.unwrap_or_else(|| default_lang(&report));
        let t = lang.text();
        let as_of = NaiveDate::parse_from_str(&report.as_of, "%Y-%m-%d").ok();
        let mut tally = Tally::default();
        // Read with their baseline and allowlist marks, like every format.
        for finding in report.sorted_findings()? {
            tally.add(&*finding?, as_of);
        }
        let Report {
            tool,
            version,
            as_of: as_of_text,
            summary,
            inputs,
            rules,
            coverage,
            fingerprint_key,
            notices,
            ..
        } = report;
        let roles: HashMap<(&str, &str), Role> = inputs
            .iter()
            .flat_map(|i| {
                i.columns
                    .iter()
                    .map(move |c| ((i.register.as_str(), c.name.as_str()), c.role))
            })
            .collect();

        let mut page = String::with_capacity(256 * 1024);
        let title = format!("{} {}", t.title, as_of_text);
        let _ = write!(
            page,
            "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <meta http-equiv=\"Content-Security-Policy\" content=\"{CONTENT_POLICY}\">\
             <meta name=\"generator\" content=\"{tool} {version}\">\
             <title>{}</title><style>{STYLE}</style></head><body>\n\
             <a class=\"skip\" href=\"#rules\">{}</a>\n<header><h1>{}</h1>\
             <dl class=\"meta\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{tool} {version}</dd>\
             <dt>{}</dt><dd><code>{}</code></dd></dl><p class=\"note\">{}</p></header>\n<main>\n",
            lang.code(),
            escape(&title),
            escape(t.skip_to_findings),
            escape(t.title),
            escape(t.audit_date),
            escape(&as_of_text),
            escape(t.tool),
            escape(t.key_id),
            escape(&fingerprint_key),
            escape(t.masked_note),
        );
        notices_section(&mut page, t, &notices);
        inputs_section(&mut page, t, &inputs, options.show_mapping);
        verdict_section(&mut page, t, &summary, &rules, &tally, &coverage);
        charts_section(&mut page, t, &tally, &roles);
        rules_section(&mut page, t, &rules, tally, &coverage, &notices, &inputs);
        let _ = write!(
            page,
            "</main>\n<footer><p>{tool} {version} · {} {}</p></footer>\n<script>{SCRIPT}</script>\n</body></html>\n",
            escape(t.audit_date),
            escape(&as_of_text)
        );
        out.write_all(page.as_bytes())
    }
}

/// The first register's notice language, else English.
fn default_lang(report: &Report) -> Lang {
    report
        .notices
        .iter()
        .find_map(|n| n.language.as_deref().and_then(Lang::from_notice))
        .unwrap_or(Lang::En)
}

fn severity_badge(t: &Text, severity: Severity) -> String {
    format!(
        "<span class=\"badge sev-{}\">{}</span>",
        severity.as_str(),
        escape(t.severity_name(severity))
    )
}

fn th_row(page: &mut String, headers: &[&str]) {
    page.push_str("<thead><tr>");
    for h in headers {
        let _ = write!(page, "<th scope=\"col\">{}</th>", escape(h));
    }
    page.push_str("</tr></thead>");
}

fn notices_section(page: &mut String, t: &Text, notices: &[crate::result::NoticeSummary]) {
    let _ = write!(
        page,
        "<section id=\"notices\" aria-labelledby=\"notices-h\"><h2 id=\"notices-h\">{}</h2>\
         <table class=\"data\">",
        escape(t.notices)
    );
    th_row(
        page,
        &[
            t.register,
            t.controller,
            t.register_name,
            t.notice_date,
            t.notice_file,
        ],
    );
    page.push_str("<tbody>");
    for n in notices {
        if !n.given {
            let _ = write!(
                page,
                "<tr><th scope=\"row\">{}</th><td colspan=\"4\">{} {}</td></tr>",
                escape(&n.register),
                escape(t.no_notice),
                escape(&n.rules_skipped.join(", ")),
            );
            continue;
        }
        let controller = match &n.business_id {
            Some(id) => format!("{} ({id})", n.controller),
            None => n.controller.clone(),
        };
        let _ = write!(
            page,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
            escape(&n.register),
            escape(&controller),
            escape(&n.name),
            escape(n.dated.as_deref().unwrap_or(t.undated)),
            escape(&n.path),
        );
    }
    page.push_str("</tbody></table></section>\n");
}

fn inputs_section(
    page: &mut String,
    t: &Text,
    inputs: &[crate::result::InputReport],
    show_mapping: bool,
) {
    let _ = write!(
        page,
        "<section id=\"inputs\" aria-labelledby=\"inputs-h\"><h2 id=\"inputs-h\">{}</h2><table class=\"data\">",
        escape(t.inputs)
    );
    th_row(
        page,
        &[
            t.register,
            t.file,
            t.format,
            t.rows_read,
            t.rows_audited,
            t.rows_rejected,
        ],
    );
    page.push_str("<tbody>");
    for i in inputs {
        let _ = write!(
            page,
            "<tr><td>{}</td><th scope=\"row\"><code>{}</code></th><td>{}</td>\
             <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            escape(&i.register),
            escape(&i.path),
            escape(&i.format),
            i.rows_read,
            i.rows_audited,
            i.rows_rejected
        );
    }
    page.push_str("</tbody></table>");
    // Rejections counted by reason: a million bad rows are a few lines here.
    let mut reasons: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for i in inputs {
        for r in &i.rejected {
            *reasons.entry((&i.path, &r.reason)).or_default() += 1;
        }
    }
    if !reasons.is_empty() {
        let _ = write!(
            page,
            "<h3>{}</h3><table class=\"data\">",
            escape(t.rejections)
        );
        th_row(page, &[t.file, t.reason, t.count]);
        page.push_str("<tbody>");
        for ((file, reason), n) in reasons {
            let _ = write!(
                page,
                "<tr><td><code>{}</code></td><td>{}</td><td class=\"num\">{n}</td></tr>",
                escape(file),
                escape(reason)
            );
        }
        page.push_str("</tbody></table>");
    }
    let warnings: Vec<String> = inputs
        .iter()
        .flat_map(|i| i.warnings.iter().map(move |w| format!("{}: {w}", i.path)))
        .collect();
    if !warnings.is_empty() {
        let _ = write!(page, "<h3>{}</h3><ul>", escape(t.warnings));
        for w in warnings {
            let _ = write!(page, "<li>{}</li>", escape(&w));
        }
        page.push_str("</ul>");
    }
    if show_mapping {
        for i in inputs {
            let _ = write!(
                page,
                "<h3><code>{}</code></h3><table class=\"data\">",
                escape(&i.path)
            );
            th_row(
                page,
                &[t.column, "role", "category", "source", "confidence"],
            );
            page.push_str("<tbody>");
            for c in &i.columns {
                let _ = write!(
                    page,
                    "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{:.2}</td></tr>",
                    escape(&c.name),
                    c.role.name(),
                    escape(c.category.as_deref().unwrap_or("-")),
                    format!("{:?}", c.source).to_lowercase(),
                    c.confidence
                );
            }
            page.push_str("</tbody></table>");
        }
    }
    page.push_str("</section>\n");
}

fn verdict_section(
    page: &mut String,
    t: &Text,
    summary: &crate::result::Summary,
    rules: &[crate::rules::RuleMeta],
    tally: &Tally,
    coverage: &[CoverageEntry],
) {
    let _ = write!(
        page,
        "<section id=\"verdict\" aria-labelledby=\"verdict-h\"><h2 id=\"verdict-h\">{}</h2>\
         <p class=\"total\"><strong>{}</strong> {}</p><ul class=\"counts\">",
        escape(t.verdict),
        summary.total,
        escape(t.findings_total)
    );
    for severity in Severity::ALL {
        let n = summary
            .by_severity
            .get(severity.as_str())
            .copied()
            .unwrap_or(0);
        let _ = write!(
            page,
            "<li class=\"count sev-{}\">{} <strong>{n}</strong></li>",
            severity.as_str(),
            severity_badge(t, severity)
        );
    }
    page.push_str("</ul>");
    let fired: Vec<&crate::rules::RuleMeta> = rules
        .iter()
        .filter(|r| tally.rules.contains_key(&r.id))
        .collect();
    let silent: Vec<&crate::rules::RuleMeta> = rules
        .iter()
        .filter(|r| !tally.rules.contains_key(&r.id))
        .collect();
    let _ = write!(page, "<h3>{}</h3>", escape(t.rules_fired));
    if fired.is_empty() {
        let _ = write!(page, "<p>{}</p>", escape(t.none));
    } else {
        page.push_str("<ul class=\"fired\">");
        for r in fired {
            let _ = write!(
                page,
                "<li><a href=\"#rule-{id}\">{id}</a> {} — <strong>{}</strong></li>",
                escape(&r.name),
                tally.rules[&r.id].total,
                id = escape(&r.id)
            );
        }
        page.push_str("</ul>");
    }
    let _ = write!(page, "<h3>{}</h3><p>", escape(t.rules_silent));
    if silent.is_empty() {
        page.push_str(&escape(t.none));
    }
    let names: Vec<String> = silent
        .iter()
        .map(|r| format!("<a href=\"#rule-{id}\">{id}</a>", id = escape(&r.id)))
        .collect();
    page.push_str(&names.join(", "));
    page.push_str("</p>");

    let count = |status| coverage.iter().filter(|c| c.status == status).count();
    let blocked: Vec<&CoverageEntry> = coverage
        .iter()
        .filter(|c| c.status == CoverageStatus::NotEvaluated)
        .collect();
    let _ = write!(
        page,
        "<h3 id=\"coverage\">{}</h3><p>{} / {} / {} {}</p>",
        escape(t.coverage),
        count(CoverageStatus::Evaluated),
        blocked.len(),
        count(CoverageStatus::Skipped),
        escape(t.coverage_counts)
    );
    if blocked.is_empty() {
        let _ = write!(page, "<p>{}</p>", escape(t.all_evaluated));
    } else {
        let _ = write!(
            page,
            "<h4>{}</h4><table class=\"data blocked\">",
            escape(t.not_evaluated)
        );
        th_row(page, &[t.rule, t.register, t.file, t.because, t.needs]);
        page.push_str("<tbody>");
        for c in blocked {
            let _ = write!(
                page,
                "<tr><th scope=\"row\"><a href=\"#rule-{id}\">{id}</a></th><td>{}</td><td><code>{}</code></td><td>{}</td><td>{}</td></tr>",
                escape(&c.register),
                escape(&c.file),
                escape(c.reason.as_deref().unwrap_or("")),
                escape(&c.needs.join(" / ")),
                id = escape(&c.rule)
            );
        }
        page.push_str("</tbody></table>");
    }
    let skipped: Vec<&CoverageEntry> = coverage
        .iter()
        .filter(|c| c.status == CoverageStatus::Skipped)
        .collect();
    if !skipped.is_empty() {
        let _ = write!(
            page,
            "<details><summary>{} ({})</summary><table class=\"data\">",
            escape(t.nothing_to_check),
            skipped.len()
        );
        th_row(page, &[t.rule, t.register, t.file, t.because]);
        page.push_str("<tbody>");
        for c in skipped {
            let _ = write!(
                page,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
                escape(&c.rule),
                escape(&c.register),
                escape(&c.file),
                escape(c.reason.as_deref().unwrap_or(""))
            );
        }
        page.push_str("</tbody></table></details>");
    }
    page.push_str("</section>\n");
}

fn charts_section(page: &mut String, t: &Text, tally: &Tally, roles: &HashMap<(&str, &str), Role>) {
    let _ = write!(
        page,
        "<section id=\"charts\" aria-labelledby=\"charts-h\"><h2 id=\"charts-h\">{}</h2>",
        escape(t.charts)
    );
    let texts = (t.as_table, t.no_data);
    // Most severe first, then by rule id.
    let mut by_rule: Vec<(&(String, Severity), &u64)> = tally.by_rule_severity.iter().collect();
    by_rule.sort_by(|a, b| b.0 .1.cmp(&a.0 .1).then_with(|| a.0 .0.cmp(&b.0 .0)));
    let bars = by_rule
        .into_iter()
        .map(|((rule, severity), n)| Bar {
            label: format!("{rule} · {}", t.severity_name(*severity)),
            value: *n,
            class: severity_class(*severity),
        })
        .collect();
    bar_chart(
        page,
        "chart-rules",
        t.chart_by_rule,
        bars,
        (t.rule, t.count),
        texts,
    );
    let mut places: Vec<(&(String, String), &u64)> = tally.by_place.iter().collect();
    places.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let bars = places
        .into_iter()
        .map(|((register, column), n)| Bar {
            label: format!("{register} · {column}"),
            value: *n,
            class: "bar",
        })
        .collect();
    bar_chart(
        page,
        "chart-places",
        t.chart_by_place,
        bars,
        (t.column, t.count),
        texts,
    );
    if tally.rules.contains_key("RET001") {
        let bars = MONTH_BINS
            .iter()
            .enumerate()
            .map(|(i, (first, label))| {
                let end = MONTH_BINS.get(i + 1).map_or(u32::MAX, |(next, _)| *next);
                Bar {
                    label: format!("{label} {}", t.months),
                    value: tally
                        .retention_months
                        .range(*first..end)
                        .map(|(_, n)| n)
                        .sum(),
                    class: "bar",
                }
            })
            .collect();
        bar_chart(
            page,
            "chart-retention",
            t.chart_retention,
            bars,
            (t.months, t.count),
            texts,
        );
    }
    if tally.rules.contains_key("MKT001") {
        bar_chart(
            page,
            "chart-marketing",
            t.chart_marketing,
            timeline(&tally.marketing_months),
            (t.audit_date, t.count),
            texts,
        );
    }
    for rule in ["ID001", "CAT002"] {
        let Some(rt) = tally.rules.get(rule) else {
            continue;
        };
        let mut columns: BTreeMap<(&str, &str), u64> = BTreeMap::new();
        for ((register, _file, column), n) in &rt.places {
            *columns.entry((register, column)).or_default() += n;
        }
        let mut columns: Vec<_> = columns.into_iter().collect();
        columns.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let bars = columns
            .into_iter()
            .map(|((register, column), n)| {
                let free = roles.get(&(register, column)) == Some(&Role::Notes);
                Bar {
                    label: if free {
                        format!("{register} · {column} ({})", t.free_text)
                    } else {
                        format!("{register} · {column}")
                    },
                    value: n,
                    class: if free { "bar-free" } else { "bar" },
                }
            })
            .collect();
        bar_chart(
            page,
            &format!("chart-where-{rule}"),
            &format!("{rule}: {}", t.chart_where),
            bars,
            (t.column, t.count),
            texts,
        );
    }
    page.push_str("</section>\n");
}

/// Month by month from the first to the last, gaps included; by year past
/// three years so the chart stays readable.
fn timeline(months: &BTreeMap<(i32, u32), u64>) -> Vec<Bar> {
    let (Some(first), Some(last)) = (months.keys().next(), months.keys().last()) else {
        return Vec::new();
    };
    let span = (last.0 - first.0) * 12 + last.1 as i32 - first.1 as i32;
    if span > 36 {
        return (first.0..=last.0)
            .map(|year| Bar {
                label: year.to_string(),
                value: months.range((year, 1)..=(year, 12)).map(|(_, n)| n).sum(),
                class: "bar",
            })
            .collect();
    }
    let (mut year, mut month) = *first;
    let mut bars = Vec::new();
    while (year, month) <= *last {
        bars.push(Bar {
            label: format!("{year}-{month:02}"),
            value: months.get(&(year, month)).copied().unwrap_or(0),
            class: "bar",
        });
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    bars
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "sev-critical",
        Severity::High => "sev-high",
        Severity::Medium => "sev-medium",
        Severity::Low => "sev-low",
        Severity::Info => "sev-info",
    }
}

fn rules_section(
    page: &mut String,
    t: &Text,
    rules: &[crate::rules::RuleMeta],
    mut tally: Tally,
    coverage: &[CoverageEntry],
    notices: &[crate::result::NoticeSummary],
    inputs: &[crate::result::InputReport],
) {
    let _ = write!(
        page,
        "<section id=\"rules\" aria-labelledby=\"rules-h\"><h2 id=\"rules-h\">{}</h2>",
        escape(t.rules)
    );
    filter_form(page, t, notices, inputs);
    for meta in rules {
        let rule_tally = tally.rules.remove(&meta.id).unwrap_or_default();
        rule_section(page, t, Some(meta), &meta.id, rule_tally, coverage);
    }
    // Findings of a rule without metadata (none today) still get a section.
    for (id, rule_tally) in std::mem::take(&mut tally.rules) {
        rule_section(page, t, None, &id, rule_tally, coverage);
    }
    page.push_str("</section>\n");
}

fn filter_form(
    page: &mut String,
    t: &Text,
    notices: &[crate::result::NoticeSummary],
    inputs: &[crate::result::InputReport],
) {
    // Hidden until the script runs: without it there is nothing to filter with.
    let _ = write!(
        page,
        "<form id=\"filters\" class=\"filters\" role=\"search\" hidden><fieldset><legend>{}</legend>\
         <label for=\"f-text\">{}</label> <input type=\"search\" id=\"f-text\" name=\"q\"> \
         <label for=\"f-severity\">{}</label> <select id=\"f-severity\" name=\"severity\"><option value=\"\">{}</option>",
        escape(t.filters),
        escape(t.search),
        escape(t.severity),
        escape(t.all)
    );
    for severity in Severity::ALL {
        let _ = write!(
            page,
            "<option value=\"{}\">{}</option>",
            severity.as_str(),
            escape(t.severity_name(severity))
        );
    }
    let _ = write!(
        page,
        "</select> <label for=\"f-register\">{}</label> <select id=\"f-register\" name=\"register\"><option value=\"\">{}</option>",
        escape(t.register),
        escape(t.all)
    );
    let registers: BTreeSet<&str> = notices
        .iter()
        .map(|n| n.register.as_str())
        .chain(inputs.iter().map(|i| i.register.as_str()))
        .collect();
    for r in registers {
        let _ = write!(page, "<option value=\"{0}\">{0}</option>", escape(r));
    }
    let _ = write!(
        page,
        "</select> <output id=\"f-count\" for=\"f-text f-severity f-register\" aria-live=\"polite\"></output> {}</fieldset></form>",
        escape(t.rows_shown)
    );
}

fn rule_section(
    page: &mut String,
    t: &Text,
    meta: Option<&crate::rules::RuleMeta>,
    id: &str,
    rule: RuleTally,
    coverage: &[CoverageEntry],
) {
    let id_e = escape(id);
    let name = meta.map(|m| m.name.as_str()).unwrap_or("");
    let _ = write!(
        page,
        "<section class=\"rule\" id=\"rule-{id_e}\" aria-labelledby=\"rule-{id_e}-h\">\
         <h3 id=\"rule-{id_e}-h\">{id_e} — {}",
        escape(name)
    );
    if let Some(meta) = meta {
        page.push(' ');
        page.push_str(&severity_badge(t, meta.severity));
    }
    page.push_str("</h3>");
    if let Some(meta) = meta {
        let _ = write!(
            page,
            "<p class=\"summary\">{}</p><dl class=\"doc\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>\
             <dt>{}</dt><dd><pre>{}</pre></dd><dt>{}</dt><dd>{}</dd></dl>",
            escape(&meta.summary),
            escape(t.what),
            escape(&meta.doc.what),
            escape(t.why),
            escape(&meta.doc.why),
            escape(t.example),
            escape(&meta.doc.example),
            escape(t.legal),
            escape(&meta.legal.join("; ")),
        );
    }
    // Where it ran and where it could not.
    let runs: Vec<&CoverageEntry> = coverage.iter().filter(|c| c.rule == id).collect();
    if !runs.is_empty() {
        let _ = write!(
            page,
            "<details class=\"runs\"><summary>{}</summary><ul>",
            escape(t.runs)
        );
        for c in runs {
            let status = match c.status {
                CoverageStatus::Evaluated => format!("✓ {}", c.columns.join(", ")),
                CoverageStatus::Skipped => format!(
                    "– {}: {}",
                    t.nothing_to_check,
                    c.reason.as_deref().unwrap_or("")
                ),
                CoverageStatus::NotEvaluated => format!(
                    "✗ {}: {}",
                    t.not_evaluated,
                    c.reason.as_deref().unwrap_or("")
                ),
            };
            let _ = write!(
                page,
                "<li>{} <code>{}</code>: {}</li>",
                escape(&c.register),
                escape(&c.file),
                escape(&status)
            );
        }
        page.push_str("</ul></details>");
    }
    let _ = write!(page, "<h4>{}</h4>", escape(t.findings));
    if rule.total == 0 {
        let _ = writeln!(
            page,
            "<p class=\"none\">{}</p></section>",
            escape(t.no_findings)
        );
        return;
    }
    // All findings counted by place, then the listed ones.
    let _ = write!(
        page,
        "<table class=\"data places\"><caption>{}</caption>",
        escape(t.by_place)
    );
    th_row(page, &[t.register, t.file, t.column, t.count]);
    page.push_str("<tbody>");
    for ((register, file, column), n) in &rule.places {
        let _ = write!(
            page,
            "<tr><td>{}</td><td><code>{}</code></td><th scope=\"row\">{}</th><td class=\"num\">{n}</td></tr>",
            escape(register),
            escape(file),
            escape(column)
        );
    }
    page.push_str("</tbody></table>");
    let listed = rule.rows.len();
    let table_id = format!("findings-{id_e}");
    let _ = write!(
        page,
        "<p class=\"listed\">{listed} / {} {}.</p>\
         <p class=\"shown\"><span id=\"{table_id}-shown\">{listed}</span> / {listed} {}</p>\
         <div class=\"scroll\"><table class=\"findings\" id=\"{table_id}\"><thead><tr>",
        rule.total,
        escape(t.shown_of),
        escape(t.rows_shown)
    );
    let headers = [
        (t.severity, "num"),
        (t.register, ""),
        (t.file, ""),
        (t.row, "num"),
        (t.record, ""),
        (t.column, ""),
        (t.message, ""),
        (t.evidence, ""),
    ];
    for (h, class) in headers {
        let _ = write!(
            page,
            "<th scope=\"col\" class=\"{class}\"><button type=\"button\" class=\"sort\">{}</button></th>",
            escape(h)
        );
    }
    page.push_str("</tr></thead><tbody>");
    for f in &rule.rows {
        let _ = write!(
            page,
            "<tr data-severity=\"{sev}\" data-register=\"{reg}\"><td data-sort=\"{rank}\">{badge}</td>\
             <td>{reg}</td><td><code>{file}</code></td><td class=\"num\">{row}</td><td>{record}</td>\
             <td>{column}</td><td>{message}</td><td><code>{evidence}</code></td></tr>",
            sev = f.severity.as_str(),
            rank = f.severity as u8,
            badge = severity_badge(t, f.severity),
            reg = escape(&f.register),
            file = escape(&f.file),
            row = f.row,
            record = escape(f.record.as_deref().unwrap_or("")),
            column = escape(f.column.as_deref().unwrap_or("")),
            message = escape(&f.message),
            evidence = escape(f.evidence.as_deref().unwrap_or("")),
        );
    }
    page.push_str("</tbody></table></div></section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn whole_months_between_dates() {
        assert_eq!(months_between(date("2026-01-15"), date("2026-02-14")), 0);
        assert_eq!(months_between(date("2026-01-15"), date("2026-02-15")), 1);
        assert_eq!(months_between(date("2024-11-30"), date("2026-11-22")), 23);
        assert_eq!(months_between(date("2026-11-23"), date("2026-11-22")), 0);
    }

    #[test]
    fn a_timeline_fills_gaps_and_turns_to_years_past_three() {
        let mut months = BTreeMap::new();
        months.insert((2025, 11), 2);
        months.insert((2026, 2), 1);
        let bars = timeline(&months);
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(bars.iter().map(|b| b.value).sum::<u64>(), 3);
        months.insert((2021, 1), 4);
        let bars = timeline(&months);
        assert_eq!(bars.len(), 6);
        assert_eq!(bars[0].label, "2021");
        assert_eq!(bars[4].value, 2);
    }

    #[test]
    fn notice_languages_choose_the_page_language() {
        assert_eq!(Lang::from_notice("fi"), Some(Lang::Fi));
        assert_eq!(Lang::from_notice("fi-FI"), Some(Lang::Fi));
        assert_eq!(Lang::from_notice("EN"), Some(Lang::En));
        assert_eq!(Lang::from_notice("sv"), None);
    }

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}
