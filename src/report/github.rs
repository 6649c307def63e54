//! GitHub Actions workflow commands: one `::error file=…,line=…,title=…::…`
//! annotation per finding, as other linters print them, so findings show on
//! the job's summary. Severity decides the command: critical and high are
//! errors, medium warnings, low and info notices.

use super::{Render, RenderOptions};
use crate::finding::{Finding, Severity};
use crate::result::Report;
use std::io::Write;

pub struct GithubRender;

fn command(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "notice",
    }
}

impl Render for GithubRender {
    fn render(
        &self,
        report: Report,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let total = report.summary.total;
        let as_of = report.as_of.clone();
        for finding in report.sorted_findings()? {
            let finding = finding?;
            writeln!(out, "{}", annotation(&finding))?;
        }
        writeln!(out, "regaudit: {total} findings; audit date {as_of}")
    }
}

/// One annotation. Properties and the message are escaped as GitHub's
/// toolkit escapes them, so no text from the data can end the command or
/// start another.
pub(super) fn annotation(f: &Finding) -> String {
    let mut properties = vec![format!("file={}", escape_property(&f.file))];
    if let Some(line) = f.line {
        properties.push(format!("line={line}"));
    }
    let title = match &f.column {
        Some(column) => format!("{} {} ({column})", f.rule, f.severity),
        None => format!("{} {}", f.rule, f.severity),
    };
    properties.push(format!("title={}", escape_property(&title)));
    let mut message = f.message.to_string();
    if let Some(evidence) = &f.evidence {
        message.push_str(&format!(": {evidence}"));
    }
    if let Some(record) = &f.record {
        message.push_str(&format!(" (record {record}, row {})", f.row));
    }
    format!(
        "::{} {}::{}",
        command(f.severity),
        properties.join(","),
        escape_data(&message)
    )
}

/// `%`, CR and LF in a command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value also escapes `:` and `,`, which end it.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_like_the_actions_toolkit() {
        assert_eq!(escape_data("50% a\r\nb::c"), "50%25 a%0D%0Ab::c");
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
