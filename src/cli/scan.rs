//! `regaudit scan`: argument handling only; the audit lives in the library.

use super::inputs::InputArgs;
use super::output::{write_report, Outputs};
use super::progress::TerminalProgress;
use super::report_flags::ReportFlags;
use super::rule_flags::RuleFlags;
use super::{Console, Outcome};
use clap::Args;
use regaudit::error::Error;
use regaudit::keys::{KeySource, KEY_ENV};
use regaudit::plan::{ScanPlan, ScanRequest};
use regaudit::progress::ProgressHook;
use regaudit::report::summary;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ScanArgs {
    #[command(flatten)]
    inputs: InputArgs,

    /// Audit date YYYY-MM-DD (default: today).
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", env = "REGAUDIT_AS_OF")]
    as_of: Option<String>,
    #[command(flatten)]
    report: ReportFlags,
    /// Compare with a baseline file: findings in it are `existing` and only
    /// new ones count for --fail-on; baseline findings that are gone are `fixed`.
    #[arg(long, value_name = "FILE", env = "REGAUDIT_BASELINE")]
    baseline: Option<PathBuf>,
    /// Record this scan's findings (except suppressed ones) as a baseline file
    /// (mode 0600, written atomically).
    #[arg(long = "write-baseline", value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Show raw personal data in evidence instead of masking it.
    #[arg(long)]
    reveal: bool,
    /// Print how each column was mapped to a role and category.
    #[arg(long = "show-mapping")]
    show_mapping: bool,
    #[command(flatten)]
    rules: RuleFlags,
    /// Findings held in memory; beyond it, sorted runs spill to temporary files.
    #[arg(long = "findings-in-memory", default_value_t = regaudit::result::store::DEFAULT_IN_MEMORY)]
    findings_in_memory: usize,
    /// Event-log, ban-log and profile records each held in memory for the
    /// marketing join; beyond it, they spill to temporary files.
    #[arg(long = "log-records-in-memory", default_value_t = regaudit::audit::DEFAULT_LOG_RECORDS_IN_MEMORY)]
    log_records_in_memory: usize,
    /// Worker threads (default: all cores). The report is the same for any count.
    #[arg(long, env = "REGAUDIT_THREADS")]
    threads: Option<usize>,
    /// File holding the secret that keys fingerprints (else $REGAUDIT_FINGERPRINT_KEY,
    /// else this user's ~/.config/regaudit/fingerprint.key, created on first use).
    #[arg(long = "fingerprint-key-file", value_name = "FILE")]
    fingerprint_key_file: Option<PathBuf>,
    /// Rows per chunk handed to one thread; bounds memory. The report is the same for any size.
    #[arg(long = "batch-rows", default_value_t = regaudit::ingest::DEFAULT_BATCH_ROWS)]
    batch_rows: usize,
}

pub fn run(args: ScanArgs, console: &Console) -> Result<Outcome, Error> {
    super::panic::test_trigger();
    if let Some(threads) = args.threads {
        // Fails only if a pool already exists, which cannot happen before this point.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
    }
    let started = std::time::Instant::now();
    let request = args.rules.apply(ScanRequest {
        batch_rows: args.batch_rows,
        as_of: args.as_of,
        fail_on: args.report.fail_on.clone(),
        reveal: args.reveal,
        findings_in_memory: args.findings_in_memory,
        log_records_in_memory: args.log_records_in_memory,
        fingerprint_key_file: args.fingerprint_key_file,
        baseline: args.baseline,
        record_baseline: args.write_baseline.is_some(),
        ..args.inputs.request()
    });
    // Checked before the scan, so a mistyped --output never wastes one.
    let outputs = Outputs::parse(&args.report.output)?;
    let mut plan = ScanPlan::new(&request)?;
    let progress = TerminalProgress::for_stderr(console.quiet);
    if let Some(p) = &progress {
        plan.options.progress = ProgressHook::new(p.clone());
    }
    if let KeySource::UserFile {
        path,
        created: true,
    } = &plan.key_source
    {
        console.note(&format!(
            "created a fingerprint key at {}; share it (or set {KEY_ENV}) so fingerprints agree across machines",
            path.display()
        ));
    }
    describe_plan(&plan, console);
    let (report, baseline) = plan.run_recording()?;
    console.detail(&format!(
        "audited in {:.2} s",
        started.elapsed().as_secs_f64()
    ));
    if let (Some(path), Some(baseline)) = (&args.write_baseline, baseline) {
        write_report(Some(path), &plan.input_files(), |out| baseline.write(out))?;
        console.note(&format!(
            "baseline of {} findings ({} fingerprints) written to {}",
            baseline.total,
            baseline.findings.len(),
            path.display()
        ));
    }
    warn_allowlist(&report, console);
    let fails = plan.fails(report.worst_counted());
    let summary = summary::one_line(&report);
    let mut written: Vec<String> = outputs
        .extra
        .iter()
        .map(|(_, p)| p.display().to_string())
        .collect();
    written.extend(outputs.main.iter().map(|p| p.display().to_string()));
    let inputs = plan.input_files();
    // Only when every report goes to a file: on stdout it would mix with the report.
    let writing = progress
        .as_ref()
        .filter(|_| outputs.main.is_some())
        .and_then(|p| p.writing());
    args.report
        .write(report, &outputs, &inputs, args.show_mapping, console)?;
    if let Some(bar) = writing {
        bar.finish_and_clear();
    }
    let outcome = args.report.outcome(fails);
    if !written.is_empty() {
        console.note(&format!(
            "regaudit: {summary}; report written to {}; exit {}",
            written.join(", "),
            if outcome == Outcome::Findings { 1 } else { 0 }
        ));
    }
    Ok(outcome)
}

/// `--verbose`: what the scan is about to read, and with which key.
fn describe_plan(plan: &ScanPlan, console: &Console) {
    if let Some(config) = &plan.config {
        console.detail(&format!("config {}", config.display()));
    }
    let key = match &plan.key_source {
        KeySource::File(path) => format!("from {}", path.display()),
        KeySource::Environment => format!("from {KEY_ENV}"),
        KeySource::UserFile { path, .. } => format!("from {}", path.display()),
    };
    console.detail(&format!(
        "fingerprint key {} {key}",
        plan.options.fingerprint_key.id()
    ));
    for register in &plan.registers {
        let files: Vec<String> = register
            .data
            .iter()
            .map(|d| d.path.display_path().display().to_string())
            .collect();
        console.detail(&format!("register {}: {}", register.name, files.join(", ")));
    }
    let enabled = plan
        .rules
        .iter()
        .filter(|r| plan.options.selection.enabled(&r.meta.id))
        .count();
    console.detail(&format!("{enabled} rules enabled"));
    if let Some((path, baseline)) = &plan.triage.baseline {
        console.detail(&format!(
            "baseline {} ({} findings, {})",
            path.display(),
            baseline.total,
            baseline.as_of
        ));
    }
    if !plan.triage.allow.is_empty() {
        console.detail(&format!("{} allowlist entries", plan.triage.allow.len()));
    }
}

/// Allowlist entries that need attention: expired ones no longer suppress,
/// unused ones suppress nothing.
fn warn_allowlist(report: &regaudit::result::Report, console: &Console) {
    use regaudit::result::AllowStatus;
    let Some(allowlist) = &report.allowlist else {
        return;
    };
    for entry in &allowlist.entries {
        match entry.status {
            AllowStatus::Expired => console.warn(&format!(
                "{}: allowlist entry expired on {}; it no longer suppresses its {} finding(s)",
                entry.entry,
                entry.expires.as_deref().unwrap_or("?"),
                entry.matched
            )),
            AllowStatus::Unused => console.warn(&format!(
                "{}: allowlist entry matches no finding; remove it if the finding is gone",
                entry.entry
            )),
            AllowStatus::Active => {}
        }
    }
}
