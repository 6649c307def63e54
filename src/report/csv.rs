//! One CSV row per finding, with the JSON report's finding fields as columns,
//! for spreadsheets and ticket imports. Findings are streamed.

use super::{Render, RenderOptions};
use crate::finding::Finding;
use crate::result::Report;
use std::io::Write;

pub struct CsvRender;

/// The columns: the JSON report's finding fields, in its order, then the
/// marks a baseline and an allowlist give (empty without them).
const HEADER: [&str; 13] = [
    "rule",
    "severity",
    "register",
    "file",
    "row",
    "line",
    "record",
    "column",
    "message",
    "evidence",
    "fingerprint",
    "baseline_state",
    "suppressed_by",
];

impl Render for CsvRender {
    fn render(
        &self,
        report: Report,
        _options: &RenderOptions,
        out: &mut dyn Write,
    ) -> std::io::Result<()> {
        let mut writer = ::csv::Writer::from_writer(out);
        writer.write_record(HEADER)?;
        for finding in report.sorted_findings()? {
            let finding = finding?;
            writer.write_record(row(&finding))?;
        }
        writer.flush()
    }
}

fn row(f: &Finding) -> [String; 13] {
    let text = |value: Option<&str>| value.map(inert).unwrap_or_default();
    [
        f.rule.to_string(),
        f.severity.to_string(),
        inert(&f.register),
        inert(&f.file),
        f.row.to_string(),
        f.line.map(|l| l.to_string()).unwrap_or_default(),
        text(f.record.as_deref()),
        text(f.column.as_deref()),
        inert(&f.message),
        text(f.evidence.as_deref()),
        f.fingerprint.to_string(),
        f.baseline_state
            .map(|s| s.as_str().to_string())
            .unwrap_or_default(),
        f.suppressed
            .as_ref()
            .map(|s| inert(&s.entry))
            .unwrap_or_default(),
    ]
}

/// Text from an export never becomes a spreadsheet formula: a cell starting
/// with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// (OWASP's advice against CSV injection).
fn inert(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::inert;

    #[test]
    fn formulas_from_the_data_stay_text() {
        assert_eq!(inert("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(inert("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(inert("H-1003"), "H-1003");
    }
}
