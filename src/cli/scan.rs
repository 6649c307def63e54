//! `regaudit scan`: argument handling only; the audit lives in the library.

use super::output::{write_report, Outputs};
use super::progress::TerminalProgress;
use super::Outcome;
use clap::Args;
use regaudit::error::Error;
use regaudit::ingest::{Encoding, Format};
use regaudit::keys::{KeySource, KEY_ENV};
use regaudit::plan::{ScanPlan, ScanRequest};
use regaudit::progress::ProgressHook;
use regaudit::report::{renderer, Lang, OutputFormat, RenderOptions};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// A folder holding regaudit.toml, or the path of an audit config.
    #[arg(value_name = "CONFIG_OR_DIR", conflicts_with_all = ["notice", "data"])]
    target: Option<PathBuf>,

    /// Notice metadata (notice.toml), for a config-less scan of one export.
    #[arg(long, requires = "data")]
    notice: Option<PathBuf>,
    /// Data export(s) to audit with --notice; `-` reads standard input.
    #[arg(long, requires = "notice", num_args = 1..)]
    data: Vec<PathBuf>,
    /// Marketing-event log for the marketing rules (config-less scan).
    #[arg(long, requires = "notice")]
    events: Option<PathBuf>,
    /// Marketing-ban log for the marketing rules (config-less scan).
    #[arg(long, requires = "notice")]
    bans: Option<PathBuf>,
    /// The register's name, which fingerprints hash (config-less scan; default:
    /// the first file's name). Keep it the same for every month's export.
    #[arg(long, requires = "notice")]
    register: Option<String>,
    /// Record-key column (config-less scan).
    #[arg(long, requires = "notice")]
    key: Option<String>,
    /// Column mapping COLUMN=ROLE_OR_CATEGORY (config-less scan), repeatable.
    #[arg(long = "column", value_name = "COLUMN=ROLE", requires = "notice")]
    columns: Vec<String>,
    /// Data format; sniffed from the extension and content by default.
    #[arg(long = "input-format", value_enum)]
    input_format: Option<Format>,
    /// CSV delimiter; sniffed (comma, semicolon, tab) by default.
    #[arg(long)]
    delimiter: Option<char>,
    /// CSV encoding.
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    encoding: Encoding,

    /// Audit date YYYY-MM-DD (default: today).
    #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Language of the HTML report's text (default: the notice's language, else English).
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Write the --format report to PATH instead of stdout, or with FORMAT:PATH
    /// (repeatable) also a report in FORMAT, e.g. `-o sarif:report.sarif -o
    /// junit:junit.xml`. Files are written 0600 and atomically.
    #[arg(long, short, value_name = "[FORMAT:]PATH")]
    output: Vec<PathBuf>,
    /// SARIF: findings written one result each; above it, results are grouped
    /// by rule, register and column with counts (GitHub shows 5,000 results).
    #[arg(long = "sarif-max-results", value_name = "N",
          default_value_t = regaudit::report::SARIF_RESULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..))]
    sarif_max_results: u64,
    /// Exit 1 when a finding is at or above LEVEL: critical, high, medium, low, info or never.
    #[arg(long = "fail-on", value_name = "LEVEL")]
    fail_on: Option<String>,
    /// Show raw personal data in evidence instead of masking it.
    #[arg(long)]
    reveal: bool,
    /// Print how each column was mapped to a role and category.
    #[arg(long = "show-mapping")]
    show_mapping: bool,
    /// Rules to run: ids or prefixes (RET, MKT001, ALL); comma-separated or repeated.
    #[arg(long)]
    select: Vec<String>,
    /// Rules to skip: ids or prefixes.
    #[arg(long)]
    ignore: Vec<String>,
    /// Override a rule's severity: ID=LEVEL, repeatable.
    #[arg(long = "severity", value_name = "ID=LEVEL")]
    severity: Vec<String>,
    /// A folder of custom rule files (*.toml) to run beside the built-in rules.
    #[arg(long = "rules", value_name = "DIR")]
    rules_dir: Option<PathBuf>,
    /// Findings held in memory; beyond it, sorted runs spill to temporary files.
    #[arg(long = "findings-in-memory", default_value_t = regaudit::result::store::DEFAULT_IN_MEMORY)]
    findings_in_memory: usize,
    /// Worker threads (default: all cores). The report is the same for any count.
    #[arg(long)]
    threads: Option<usize>,
    /// File holding the secret that keys fingerprints (else $REGAUDIT_FINGERPRINT_KEY,
    /// else this user's ~/.config/regaudit/fingerprint.key, created on first use).
    #[arg(long = "fingerprint-key-file", value_name = "FILE")]
    fingerprint_key_file: Option<PathBuf>,
    /// No progress display (it is shown only on a terminal, for scans over a second).
    #[arg(long, short)]
    quiet: bool,
    /// Rows per chunk handed to one thread; bounds memory. The report is the same for any size.
    #[arg(long = "batch-rows", default_value_t = regaudit::ingest::DEFAULT_BATCH_ROWS)]
    batch_rows: usize,
}

pub fn run(args: ScanArgs) -> Result<Outcome, Error> {
    if let Some(threads) = args.threads {
        // Fails only if a pool already exists, which cannot happen before this point.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global();
    }
    let request = ScanRequest {
        target: args.target,
        notice: args.notice,
        data: args.data,
        events: args.events,
        bans: args.bans,
        register: args.register,
        key: args.key,
        columns: args.columns,
        format: args.input_format,
        delimiter: args.delimiter,
        encoding: args.encoding,
        batch_rows: args.batch_rows,
        as_of: args.as_of,
        fail_on: args.fail_on,
        reveal: args.reveal,
        select: args.select,
        ignore: args.ignore,
        severity: args.severity,
        rules_dir: args.rules_dir,
        findings_in_memory: args.findings_in_memory,
        fingerprint_key_file: args.fingerprint_key_file,
    };
    // Checked before the scan, so a mistyped --output never wastes one.
    let outputs = Outputs::parse(&args.output)?;
    let mut plan = ScanPlan::new(&request)?;
    let progress = TerminalProgress::for_stderr(args.quiet);
    if let Some(p) = &progress {
        plan.options.progress = ProgressHook::new(p.clone());
    }
    if let KeySource::UserFile {
        path,
        created: true,
    } = &plan.key_source
    {
        eprintln!(
            "created a fingerprint key at {}; share it (or set {KEY_ENV}) so fingerprints agree across machines",
            path.display()
        );
    }
    let mut report = plan.run()?;
    let worst = report.worst();
    let render_options = RenderOptions {
        show_mapping: args.show_mapping,
        examples: 0,
        sarif_max_results: args.sarif_max_results,
        lang: args.lang,
    };
    let inputs = plan.input_files();
    // Only when every report goes to a file: on stdout it would mix with the report.
    let writing = progress
        .as_ref()
        .filter(|_| outputs.main.is_some())
        .and_then(|p| p.writing());
    // One scan, several reports: each extra report renders a copy of the
    // report that re-reads the same findings (see `Report::try_clone`), one
    // after the other; the `--format` report comes last and consumes it.
    // Copies share the store's sorted spill files instead of holding the
    // findings in memory, so memory stays at the `--findings-in-memory`
    // bound with millions of findings, for one sequential re-read per report
    // (rendering every format in one pass would instead make each renderer a
    // streaming sink with its own grouping state).
    for (format, path) in &outputs.extra {
        let copy = report.try_clone().map_err(|e| Error::Output {
            path: path.clone(),
            message: e.to_string(),
        })?;
        write_report(Some(path), &inputs, |out| {
            renderer(*format).render(copy, &render_options, out)
        })?;
    }
    write_report(outputs.main.as_deref(), &inputs, |out| {
        renderer(args.format).render(report, &render_options, out)
    })?;
    if let Some(bar) = writing {
        bar.finish_and_clear();
    }
    Ok(if plan.fails(worst) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
