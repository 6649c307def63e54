//! SARIF 2.1.0 for code scanning: the enabled rules with their documentation
//! as `tool.driver.rules`, one result per finding pointing at the line of the
//! data file where the record starts, keyed fingerprints as
//! `partialFingerprints`, and rules that could not run as notifications.
//!
//! GitHub code scanning rejects a run with more than 25,000 results and shows
//! at most 5,000. Above [`SARIF_RESULT_LIMIT`] findings, results are grouped
//! by rule, register and column with their counts, and the run says so.

use super::{Render, RenderOptions};
use crate::finding::{Finding, Severity};
use crate::result::{CoverageStatus, Report};
use crate::rules::RuleMeta;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

pub struct SarifRender;

/// Findings written one result each by default (`--sarif-max-results`);
/// above it, results are grouped. GitHub shows at most 5,000 results of a run.
pub const SARIF_RESULT_LIMIT: u64 = 5_000;

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// The SARIF level of a severity: what a build should fail on is an error.
pub(super) fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

impl Render for SarifRender {
    fn render(
        &self,
        report: Report,
        options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let limit = match options.sarif_max_results {
            0 => SARIF_RESULT_LIMIT,
            n => n,
        };
        let rule_index: BTreeMap<&str, usize> = report
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let grouped = report.summary.total > limit;
        let run_head = json!({
            "tool": { "driver": {
                "name": report.tool,
                "version": report.version,
                "semanticVersion": report.version,
                "rules": report.rules.iter().map(rule_descriptor).collect::<Vec<_>>(),
            }},
            "invocations": [invocation(&report, grouped.then_some(limit))],
            "columnKind": "unicodeCodePoints",
            "properties": {
                "asOf": report.as_of,
                "fingerprintKey": report.fingerprint_key,
                "findings": report.summary.total,
                "resultLimit": limit,
                "resultsGrouped": grouped,
                "summary": report.summary,
            },
        });
        // The run's fixed part, then its results streamed one per line.
        let head = serde_json::to_string(&run_head)?;
        let head = head.strip_suffix('}').unwrap_or(&head);
        writeln!(
            out,
            "{{\"$schema\":{},\"version\":\"2.1.0\",\"runs\":[",
            serde_json::to_string(SCHEMA)?
        )?;
        write!(out, "{head},\"results\":[")?;
        let mut results = ResultWriter { out, first: true };
        let findings = report.sorted_findings()?;
        if grouped {
            let mut groups: BTreeMap<GroupKey, Group> = BTreeMap::new();
            for finding in findings {
                let finding = finding?;
                let key = GroupKey {
                    rule: finding.rule.to_string(),
                    register: finding.register.to_string(),
                    column: finding.column.as_deref().map(str::to_string),
                };
                match groups.get_mut(&key) {
                    Some(group) => group.add(&finding),
                    None => {
                        groups.insert(key, Group::new(finding.into_owned()));
                    }
                }
            }
            for (key, group) in &groups {
                results.write(&group_result(key, group, &rule_index))?;
            }
        } else {
            for finding in findings {
                let finding = finding?;
                let index = rule_index.get(&*finding.rule).copied();
                results.write(&finding_result(&finding, index))?;
            }
        }
        writeln!(results.out, "\n]}}]}}")
    }
}

/// Writes results as `,\n{...}`, the first without its comma.
struct ResultWriter<'a> {
    out: &'a mut dyn Write,
    first: bool,
}

impl ResultWriter<'_> {
    fn write(&mut self, result: &Value) -> std::io::Result<()> {
        let separator: &[u8] = if self.first { b"\n" } else { b",\n" };
        self.first = false;
        self.out.write_all(separator)?;
        serde_json::to_writer(&mut *self.out, result)?;
        Ok(())
    }
}

/// A rule as `tool.driver.rules` describes it: its documentation (what, why,
/// an example), legal reference and default level.
fn rule_descriptor(rule: &RuleMeta) -> Value {
    let legal = rule.legal.join("; ");
    let text = format!(
        "{}\n\nWhy: {}\n\nExample: {}\n\nLegal reference: {legal}",
        rule.doc.what, rule.doc.why, rule.doc.example
    );
    let markdown = format!(
        "{}\n\n**Why:** {}\n\n**Example:**\n\n```\n{}\n```\n\n**Legal reference:** {legal}",
        rule.doc.what, rule.doc.why, rule.doc.example
    );
    json!({
        "id": rule.id,
        "name": rule.name,
        "shortDescription": { "text": rule.summary },
        "fullDescription": { "text": rule.doc.what },
        "help": { "text": text, "markdown": markdown },
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "severity": rule.severity,
            "legal": rule.legal,
            "tags": ["privacy", "gdpr"],
        },
    })
}

/// The run's invocation: rules that could not run although they apply, and
/// rows that could not be audited, as notifications; grouping, when used.
fn invocation(report: &Report, grouped_above: Option<u64>) -> Value {
    let configuration: Vec<Value> = report
        .coverage
        .iter()
        .filter(|c| c.status == CoverageStatus::NotEvaluated)
        .map(|c| {
            let needs = if c.needs.is_empty() {
                String::new()
            } else {
                format!(" (needs a column with role {})", c.needs.join(" or "))
            };
            json!({
                "level": "warning",
                "message": { "text": format!(
                    "{} could not run on {} {}: {}{needs}",
                    c.rule, c.register, c.file, c.reason.as_deref().unwrap_or("no reason given")
                )},
                "associatedRule": { "id": c.rule },
                "properties": { "register": c.register, "file": c.file, "needs": c.needs },
            })
        })
        .collect();
    let mut execution: Vec<Value> = report
        .inputs
        .iter()
        .filter(|i| i.rows_rejected > 0)
        .map(|i| {
            json!({
                "level": "warning",
                "message": { "text": format!(
                    "{} of {} rows of {} could not be audited (rejected rows are listed in --format json)",
                    i.rows_rejected, i.rows_read, i.path
                )},
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": artifact_uri(&i.path) } } }],
            })
        })
        .collect();
    if let Some(limit) = grouped_above {
        execution.push(json!({
            "level": "note",
            "message": { "text": format!(
                "{} findings are over the limit of {limit} results: results are grouped by rule, register and column, each with its count (every finding is in --format json)",
                report.summary.total
            )},
        }));
    }
    json!({
        "executionSuccessful": true,
        "toolConfigurationNotifications": configuration,
        "toolExecutionNotifications": execution,
    })
}

/// One finding as a SARIF result. The one place a result is built from a
/// finding: later states (a baseline's `baselineState`, suppressions) are
/// added here.
pub(super) fn finding_result(finding: &Finding, rule_index: Option<usize>) -> Value {
    let mut text = finding.message.to_string();
    if let Some(evidence) = &finding.evidence {
        text.push_str(&format!(": {evidence}"));
    }
    let mut place = Vec::new();
    if let Some(record) = &finding.record {
        place.push(format!("record {record}"));
    }
    if let Some(column) = &finding.column {
        place.push(format!("column {column}"));
    }
    if !place.is_empty() {
        text.push_str(&format!(" ({})", place.join(", ")));
    }
    let mut result = json!({
        "ruleId": &*finding.rule,
        "level": level(finding.severity),
        "message": { "text": text },
        "locations": [location(&finding.file, finding.line)],
        "partialFingerprints": { "regauditFingerprint/v1": finding.fingerprint.to_string() },
        "properties": {
            "severity": finding.severity,
            "register": &*finding.register,
            "row": finding.row,
            "record": finding.record,
            "column": finding.column,
            "evidence": finding.evidence,
        },
    });
    // With --baseline: new or unchanged (SARIF's names); with the
    // allowlist: accepted, with the entry's reason.
    if let Some(state) = finding.baseline_state {
        result["baselineState"] = json!(match state {
            crate::finding::BaselineState::New => "new",
            crate::finding::BaselineState::Existing => "unchanged",
        });
    }
    if let Some(suppressed) = &finding.suppressed {
        result["suppressions"] = json!([{
            "kind": "external",
            "status": "accepted",
            "justification": suppressed.reason,
            "location": allow_entry_location(&suppressed.entry),
        }]);
    }
    if let Some(index) = rule_index {
        result["ruleIndex"] = json!(index);
    }
    result
}

/// A location in a data file: the line where the record starts. File-level
/// findings (a whole column, a rule that could not run) point at line 1,
/// where a CSV names its columns.
/// Where an allowlist entry stands (`regaudit.toml:14`), as a SARIF location.
fn allow_entry_location(entry: &str) -> Value {
    match entry.rsplit_once(':') {
        Some((file, line)) => location(file, line.parse().ok()),
        None => location(entry, None),
    }
}

fn location(file: &str, line: Option<u64>) -> Value {
    json!({ "physicalLocation": {
        "artifactLocation": { "uri": artifact_uri(file) },
        "region": { "startLine": line.unwrap_or(1).max(1) },
    }})
}

/// A file path as a URI reference: relative paths stay relative (code
/// scanning resolves them against the repository), absolute ones become
/// `file://` URIs; bytes outside the unreserved set are percent-encoded.
fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut uri = String::with_capacity(path.len());
    if path.starts_with('/') {
        uri.push_str("file://");
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                uri.push(byte as char)
            }
            other => uri.push_str(&format!("%{other:02X}")),
        }
    }
    uri
}

#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    rule: String,
    register: String,
    column: Option<String>,
}

/// The findings of one rule, register and column when results are grouped:
/// a count, the most severe level, the files, and the first finding (in
/// report order) as the location.
struct Group {
    count: u64,
    severity: Severity,
    files: BTreeSet<String>,
    first: Finding,
}

impl Group {
    fn new(first: Finding) -> Group {
        Group {
            count: 1,
            severity: first.severity,
            files: BTreeSet::from([first.file.to_string()]),
            first,
        }
    }

    fn add(&mut self, finding: &Finding) {
        self.count += 1;
        self.severity = self.severity.max(finding.severity);
        if !self.files.contains(&*finding.file) {
            self.files.insert(finding.file.to_string());
        }
    }
}

fn group_result(key: &GroupKey, group: &Group, rule_index: &BTreeMap<&str, usize>) -> Value {
    let column = key.column.as_deref().unwrap_or("-");
    let identity = format!("{}\u{1f}{}\u{1f}{column}", key.rule, key.register);
    let fingerprint = blake3::hash(identity.as_bytes()).to_hex()[..16].to_string();
    let mut result = json!({
        "ruleId": key.rule,
        "level": level(group.severity),
        "message": { "text": format!(
            "{} findings of {} in register {}, column {column}: {} (grouped; every finding is in --format json)",
            group.count, key.rule, key.register, group.first.message
        )},
        "locations": [location(&group.first.file, group.first.line)],
        "partialFingerprints": { "regauditGroup/v1": fingerprint },
        "occurrenceCount": group.count,
        "properties": {
            "grouped": true,
            "count": group.count,
            "severity": group.severity,
            "register": key.register,
            "column": key.column,
            "files": group.files,
        },
    });
    if let Some(index) = rule_index.get(key.rule.as_str()) {
        result["ruleIndex"] = json!(index);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_uri("fixtures/harmonia/asiakkaat.csv"),
            "fixtures/harmonia/asiakkaat.csv"
        );
        assert_eq!(
            artifact_uri("/tmp/a b/ä.csv"),
            "file:///tmp/a%20b/%C3%A4.csv"
        );
        assert_eq!(artifact_uri("data\\x.csv"), "data/x.csv");
    }
}
