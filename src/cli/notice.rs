//! `regaudit notice lint FILE…` and `regaudit notice draft FILE`: argument
//! handling only; reading the notice, the checks and the draft live in the
//! library (`regaudit::notice_lint`).

use super::output::write_report;
use super::Outcome;
use clap::{Args, Subcommand};
use regaudit::error::{Error, InputError};
use regaudit::keys::{load_key, KeySource, KEY_ENV};
use regaudit::notice_lint::{catalogue, draft, report};
use regaudit::plan::{parse_as_of, parse_fail_on};
use regaudit::report::{renderer, OutputFormat, RenderOptions};
use regaudit::select::RuleSelection;
use std::path::{Path, PathBuf};

#[derive(Debug, Subcommand)]
pub enum NoticeCommand {
    /// Check privacy notices (text, Markdown or HTML: NTC001–NTC020) or notice.toml (NTC021–NTC023).
    Lint(LintArgs),
    /// Draft notice.toml from a notice's text; every value quotes its sentence, unknowns are TODO.
    Draft(DraftArgs),
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Notice texts (.txt, .md, .html) or notice metadata (.toml).
    #[arg(value_name = "FILE", required = true, num_args = 1..)]
    files: Vec<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
    /// Write the report to FILE (mode 0600, written atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit 1 when a finding is at or above LEVEL: critical, high, medium, low, info or never.
    #[arg(long = "fail-on", value_name = "LEVEL")]
    fail_on: Option<String>,
    /// Report date YYYY-MM-DD (default: today).
    #[arg(long = "as-of", value_name = "YYYY-MM-DD")]
    as_of: Option<String>,
    /// Quote sentences as they are, e-mails and phone numbers included.
    #[arg(long)]
    reveal: bool,
    /// Rules to run: ids or prefixes (NTC01, NTC015, ALL); comma-separated or repeated.
    #[arg(long)]
    select: Vec<String>,
    /// Rules to skip: ids or prefixes.
    #[arg(long)]
    ignore: Vec<String>,
    /// File holding the secret that keys fingerprints (as for scan).
    #[arg(long = "fingerprint-key-file", value_name = "FILE")]
    fingerprint_key_file: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DraftArgs {
    /// The notice's text: .txt, .md or .html.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Write the draft to FILE (mode 0600, written atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

pub fn run(command: NoticeCommand) -> Result<Outcome, Error> {
    match command {
        NoticeCommand::Lint(args) => lint(args),
        NoticeCommand::Draft(args) => draft(args),
    }
}

fn read(path: &Path) -> Result<String, Error> {
    let bytes = std::fs::read(path).map_err(|e| InputError::io(path, &e))?;
    String::from_utf8(bytes).map_err(|e| {
        InputError::new(
            path,
            format!(
                "not UTF-8 text (invalid byte at offset {}); save the notice as UTF-8",
                e.utf8_error().valid_up_to()
            ),
        )
        .into()
    })
}

fn lint(args: LintArgs) -> Result<Outcome, Error> {
    let fail_on = parse_fail_on(args.fail_on.as_deref())?;
    let as_of = parse_as_of(args.as_of.as_deref())?;
    let ids: Vec<String> = catalogue::notice_rules()
        .into_iter()
        .map(|m| m.id)
        .collect();
    let known: Vec<&str> = ids.iter().map(String::as_str).collect();
    let selection = RuleSelection::new(args.select, args.ignore, &known)?;
    let texts = args
        .files
        .iter()
        .map(|p| read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let key = load_key(args.fingerprint_key_file.as_deref())?;
    if let KeySource::UserFile {
        path,
        created: true,
    } = &key.source
    {
        eprintln!(
            "created a fingerprint key at {}; share it (or set {KEY_ENV}) so fingerprints agree across machines",
            path.display()
        );
    }
    let inputs: Vec<report::NoticeInput<'_>> = args
        .files
        .iter()
        .zip(&texts)
        .map(|(path, text)| report::NoticeInput { path, text })
        .collect();
    let enabled = |id: &str| selection.enabled(id);
    let options = report::LintOptions {
        as_of: as_of.to_string(),
        reveal: args.reveal,
        key: &key.key,
        enabled: &enabled,
    };
    let report = report::lint_notices(&inputs, &options)?;
    let worst = report.worst();
    let inputs: Vec<&Path> = args.files.iter().map(PathBuf::as_path).collect();
    write_report(args.output.as_deref(), &inputs, |out| {
        renderer(args.format).render(report, &RenderOptions::default(), out)
    })?;
    Ok(match (fail_on, worst) {
        (Some(threshold), Some(worst)) if worst >= threshold => Outcome::Findings,
        _ => Outcome::Clean,
    })
}

fn draft(args: DraftArgs) -> Result<Outcome, Error> {
    let text = read(&args.file)?;
    let source = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let toml = draft::draft_text(&text).to_toml(&source);
    write_report(args.output.as_deref(), &[args.file.as_path()], |out| {
        out.write_all(toml.as_bytes())
    })?;
    Ok(Outcome::Clean)
}
