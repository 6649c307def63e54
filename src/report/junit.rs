//! JUnit XML for CI test reports: one testsuite per register, one testcase
//! per enabled rule, failed with its (masked) findings, passed, or skipped
//! when the rule could not run or had nothing to check (its coverage).

use super::{Render, RenderOptions};
use crate::finding::{Finding, Severity};
use crate::result::{CoverageEntry, CoverageStatus, Report};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

pub struct JunitRender;

/// Findings listed in a failed testcase; the rest are counted.
const FINDINGS_LISTED: usize = 100;

/// The findings of one rule in one register: a count, the most severe, and
/// the first few as lines of text.
#[derive(Default)]
struct Failures {
    count: u64,
    worst: Option<Severity>,
    lines: Vec<String>,
}

/// How a testcase ended.
enum Outcome {
    Failed(Failures),
    Passed,
    Skipped(String),
}

impl Render for JunitRender {
    fn render(
        &self,
        report: Report,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let mut registers: BTreeSet<String> = report
            .coverage
            .iter()
            .map(|c| c.register.clone())
            .chain(report.inputs.iter().map(|i| i.register.clone()))
            .collect();
        // Grouped while streaming: memory grows with registers × rules.
        let mut failures: BTreeMap<(String, String), Failures> = BTreeMap::new();
        for finding in report.sorted_findings()? {
            let finding = finding?;
            registers.insert(finding.register.to_string());
            let entry = failures
                .entry((finding.register.to_string(), finding.rule.to_string()))
                .or_default();
            entry.count += 1;
            entry.worst = entry.worst.max(Some(finding.severity));
            if entry.lines.len() < FINDINGS_LISTED {
                entry.lines.push(finding_line(&finding));
            }
        }
        let mut xml = Writer::new_with_indent(out, b' ', 2);
        xml.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let suites: Vec<Suite> = registers
            .iter()
            .map(|register| {
                let cases = report
                    .rules
                    .iter()
                    .map(|rule| {
                        let key = (register.clone(), rule.id.clone());
                        let outcome = match failures.remove(&key) {
                            Some(f) => Outcome::Failed(f),
                            None => coverage_outcome(&report.coverage, register, &rule.id),
                        };
                        (format!("{} {}", rule.id, rule.name), outcome)
                    })
                    .collect();
                let inputs = report
                    .inputs
                    .iter()
                    .filter(|i| &i.register == register)
                    .map(|i| {
                        format!(
                            "{}: {} rows read, {} audited, {} rejected",
                            i.path, i.rows_read, i.rows_audited, i.rows_rejected
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                Suite {
                    name: register.clone(),
                    cases,
                    inputs,
                }
            })
            .collect();
        let total = |count: fn(&Suite) -> usize| suites.iter().map(count).sum::<usize>();
        let start = BytesStart::new("testsuites").with_attributes([
            ("name", "regaudit"),
            ("tests", total(|s| s.cases.len()).to_string().as_str()),
            ("failures", total(Suite::failures).to_string().as_str()),
            ("errors", "0"),
            ("skipped", total(Suite::skipped).to_string().as_str()),
        ]);
        xml.write_event(Event::Start(start))?;
        for suite in &suites {
            suite.write(&mut xml)?;
        }
        xml.write_event(Event::End(BytesEnd::new("testsuites")))?;
        writeln!(xml.get_mut())
    }
}

struct Suite {
    name: String,
    cases: Vec<(String, Outcome)>,
    inputs: String,
}

impl Suite {
    fn failures(&self) -> usize {
        self.cases
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
            .count()
    }

    fn skipped(&self) -> usize {
        self.cases
            .iter()
            .filter(|(_, o)| matches!(o, Outcome::Skipped(_)))
            .count()
    }

    fn write<W: Write>(&self, xml: &mut Writer<W>) -> std::io::Result<()> {
        let name = xml_text(&self.name);
        let start = BytesStart::new("testsuite").with_attributes([
            ("name", name.as_str()),
            ("tests", self.cases.len().to_string().as_str()),
            ("failures", self.failures().to_string().as_str()),
            ("errors", "0"),
            ("skipped", self.skipped().to_string().as_str()),
        ]);
        xml.write_event(Event::Start(start))?;
        let classname = format!("regaudit.{name}");
        for (case, outcome) in &self.cases {
            let case = xml_text(case);
            let start = BytesStart::new("testcase")
                .with_attributes([("name", case.as_str()), ("classname", classname.as_str())]);
            match outcome {
                Outcome::Passed => xml.write_event(Event::Empty(start))?,
                Outcome::Skipped(why) => {
                    xml.write_event(Event::Start(start))?;
                    let why = xml_text(why);
                    let skipped =
                        BytesStart::new("skipped").with_attributes([("message", why.as_str())]);
                    xml.write_event(Event::Empty(skipped))?;
                    xml.write_event(Event::End(BytesEnd::new("testcase")))?;
                }
                Outcome::Failed(f) => {
                    xml.write_event(Event::Start(start))?;
                    let severity = f.worst.map_or("", Severity::as_str);
                    let message = format!("{} findings ({severity})", f.count);
                    let failure = BytesStart::new("failure")
                        .with_attributes([("message", message.as_str()), ("type", severity)]);
                    xml.write_event(Event::Start(failure))?;
                    let mut body = f.lines.join("\n");
                    if f.count > f.lines.len() as u64 {
                        body.push_str(&format!(
                            "\n… and {} more (all are in --format json)",
                            f.count - f.lines.len() as u64
                        ));
                    }
                    xml.write_event(Event::Text(BytesText::new(&xml_text(&body))))?;
                    xml.write_event(Event::End(BytesEnd::new("failure")))?;
                    xml.write_event(Event::End(BytesEnd::new("testcase")))?;
                }
            }
        }
        if !self.inputs.is_empty() {
            xml.write_event(Event::Start(BytesStart::new("system-out")))?;
            xml.write_event(Event::Text(BytesText::new(&xml_text(&self.inputs))))?;
            xml.write_event(Event::End(BytesEnd::new("system-out")))?;
        }
        xml.write_event(Event::End(BytesEnd::new("testsuite")))
    }
}

/// A rule without findings passed where it ran; where it ran nowhere in the
/// register, it is skipped with why: it could not run although it applies
/// (what it needs), or it had nothing to check.
fn coverage_outcome(coverage: &[CoverageEntry], register: &str, rule: &str) -> Outcome {
    let entries: Vec<&CoverageEntry> = coverage
        .iter()
        .filter(|c| c.register == register && c.rule == rule)
        .collect();
    if entries.is_empty()
        || entries
            .iter()
            .any(|c| c.status == CoverageStatus::Evaluated)
    {
        return Outcome::Passed;
    }
    let reasons = |status: CoverageStatus| -> Vec<String> {
        entries
            .iter()
            .filter(|c| c.status == status)
            .map(|c| {
                let needs = if c.needs.is_empty() {
                    String::new()
                } else {
                    format!("; needs {}", c.needs.join(" or "))
                };
                format!(
                    "{}: {}{needs}",
                    c.file,
                    c.reason.as_deref().unwrap_or("no reason given")
                )
            })
            .collect()
    };
    let blocked = reasons(CoverageStatus::NotEvaluated);
    if blocked.is_empty() {
        Outcome::Skipped(format!(
            "nothing to check: {}",
            reasons(CoverageStatus::Skipped).join("; ")
        ))
    } else {
        Outcome::Skipped(format!("could not run: {}", blocked.join("; ")))
    }
}

fn finding_line(f: &Finding) -> String {
    let mut line = format!("{} {}", f.severity, f.file);
    match f.line {
        Some(l) => line.push_str(&format!(":{l} (row {})", f.row)),
        None => line.push_str(" (whole file)"),
    }
    if let Some(record) = &f.record {
        line.push_str(&format!(" record {record}"));
    }
    if let Some(column) = &f.column {
        line.push_str(&format!(" column {column}"));
    }
    line.push_str(&format!(": {}", f.message));
    if let Some(evidence) = &f.evidence {
        line.push_str(&format!(": {evidence}"));
    }
    line
}

/// Text XML 1.0 can hold: control characters a data file may carry become
/// U+FFFD (quick-xml escapes markup, not these).
fn xml_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            _ => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::xml_text;

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(xml_text("a\u{1}b\nc"), "a\u{fffd}b\nc");
    }
}
