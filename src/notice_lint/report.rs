//! Lint results as the report `scan` writes, so every output format, the
//! exit statuses and `--fail-on` work the same. A notice is a "register"
//! named after its file; a finding's row is the line of the sentence it
//! quotes (0 for an absence), its column the section it read or looked
//! for, its evidence the quoted sentence with e-mails, phone numbers and
//! identity codes masked unless `--reveal`.

use super::checks::{Hit, Verdict};
use super::{catalogue, document, lint_document, metadata, CheckOutcome};
use crate::finding::{Finding, FingerprintKey};
use crate::mask::mask_embedded;
use crate::result::store::FindingStore;
use crate::result::{CoverageEntry, CoverageStatus, InputReport, Report};
use crate::rules::RuleMeta;
use std::path::Path;
use std::sync::Arc;

/// One notice text to lint.
pub struct NoticeInput<'a> {
    pub path: &'a Path,
    pub text: &'a str,
}

pub struct LintOptions<'a> {
    pub as_of: String,
    pub reveal: bool,
    pub key: &'a FingerprintKey,
    /// Whether a rule is to run (`--select`, `--ignore`).
    pub enabled: &'a dyn Fn(&str) -> bool,
}

/// Quoted sentences longer than this are cut.
const MAX_EVIDENCE: usize = 240;

/// Lints notice texts, and `notice.toml` files (by their extension) with the
/// metadata checks; a `notice.toml` that does not load is an error.
pub fn lint_notices(
    inputs: &[NoticeInput<'_>],
    options: &LintOptions<'_>,
) -> Result<Report, crate::error::Error> {
    let metas: Vec<RuleMeta> = catalogue::notice_rules()
        .into_iter()
        .filter(|m| (options.enabled)(&m.id))
        .collect();
    let mut findings = Vec::new();
    let mut coverage = Vec::new();
    let mut reports = Vec::new();
    for input in inputs {
        let is_metadata = input.path.extension().is_some_and(|e| e == "toml");
        let (outcomes, format, sentences, headings): (Vec<CheckOutcome>, String, u64, bool) =
            if is_metadata {
                let outcomes = metadata::lint_metadata(input.path, input.text)?;
                (outcomes, "notice.toml".into(), 0, true)
            } else {
                let doc = document::parse(input.text);
                let headings = doc.headings().next().is_some();
                let n = doc.sentences.len() as u64;
                (
                    lint_document(&doc),
                    format!("notice ({})", doc.format),
                    n,
                    headings,
                )
            };
        let register: Arc<str> = register_name(input.path).into();
        let file: Arc<str> = input.path.display().to_string().into();
        for outcome in outcomes {
            let Some(meta) = metas.iter().find(|m| m.id == outcome.rule) else {
                continue;
            };
            let mut entry = CoverageEntry {
                register: register.to_string(),
                file: file.to_string(),
                rule: meta.id.clone(),
                status: CoverageStatus::Evaluated,
                columns: Vec::new(),
                reason: None,
                needs: Vec::new(),
            };
            match outcome.verdict {
                Verdict::NotApplicable(reason) => {
                    entry.status = CoverageStatus::Skipped;
                    entry.reason = Some(reason);
                }
                Verdict::Checked(hits) => {
                    for hit in hits {
                        findings.push(finding(meta, &register, &file, hit, options));
                    }
                }
            }
            coverage.push(entry);
        }
        let mut warnings = Vec::new();
        if !headings {
            warnings.push("no headings found: the notice was read as one section".to_string());
        }
        reports.push(InputReport {
            register: register.to_string(),
            path: file.to_string(),
            format,
            encoding: "utf-8".into(),
            delimiter: None,
            rows_read: sentences,
            rows_audited: sentences,
            rows_rejected: 0,
            rejected: Vec::new(),
            warnings,
            columns: Vec::new(),
        });
    }
    // In memory only: the limit is above the count, so nothing spills (the
    // store sorts the findings into report order).
    let mut store = FindingStore::new(findings.len() + 1);
    store
        .extend(findings)
        .expect("an in-memory finding store does not fail");
    let mut report = Report::new(options.as_of.clone(), store, reports, metas, coverage);
    report.fingerprint_key = options.key.id();
    Ok(report)
}

fn finding(
    meta: &RuleMeta,
    register: &Arc<str>,
    file: &Arc<str>,
    hit: Hit,
    options: &LintOptions<'_>,
) -> Finding {
    let evidence = hit.quote.as_deref().map(|q| {
        let cut: String = q.chars().take(MAX_EVIDENCE).collect();
        let cut = if cut.len() < q.len() {
            format!("{cut}…")
        } else {
            cut
        };
        if options.reveal {
            cut
        } else {
            mask_embedded(&cut)
        }
    });
    let message = if options.reveal {
        hit.message.clone()
    } else {
        mask_embedded(&hit.message)
    };
    let fingerprint = options.key.fingerprint(&[
        &meta.id,
        register,
        hit.section.as_deref().unwrap_or(""),
        &hit.message,
    ]);
    Finding {
        rule: meta.id.as_str().into(),
        severity: hit.severity.unwrap_or(meta.severity),
        register: register.clone(),
        file: file.clone(),
        row: hit.line,
        // The notice text's own line: where SARIF and annotations point.
        line: (hit.line > 0).then_some(hit.line),
        record: None,
        column: hit.section.map(Arc::from),
        message: message.into(),
        evidence,
        fingerprint,
        baseline_state: None,
        suppressed: None,
    }
}

/// The notice's name in reports: its file name without the extension.
pub fn register_name(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string())
}
