//! `regaudit report --findings PATH`: the findings table a plan wrote in its
//! engine, read back and rendered in every format, with the exit status,
//! through the same report code as `scan`.

use super::output::{write_report, Outputs};
use super::{Console, Outcome};
use clap::Args;
use regaudit::compile::readback;
use regaudit::error::Error;
use regaudit::keys::load_key;
use regaudit::plan::parse_fail_on;
use regaudit::report::{renderer, summary, Lang, OutputFormat, RenderOptions};
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The findings table: a Parquet file, a folder of Parquet/CSV part files, or a CSV file.
    #[arg(long, value_name = "PATH")]
    findings: PathBuf,
    /// The plan's manifest.json (default: manifest.json beside the findings).
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table, env = "REGAUDIT_FORMAT")]
    format: OutputFormat,
    /// Language of the HTML report's text.
    #[arg(long, value_enum)]
    lang: Option<Lang>,
    /// Write the --format report to PATH, or FORMAT:PATH for extra reports (as in scan).
    #[arg(long, short, value_name = "[FORMAT:]PATH")]
    output: Vec<PathBuf>,
    /// SARIF: findings written one result each before grouping.
    #[arg(long = "sarif-max-results", value_name = "N",
          default_value_t = regaudit::report::SARIF_RESULT_LIMIT,
          value_parser = clap::value_parser!(u64).range(1..))]
    sarif_max_results: u64,
    /// Exit 1 when a finding is at or above LEVEL (or never).
    #[arg(long = "fail-on", value_name = "LEVEL", env = "REGAUDIT_FAIL_ON")]
    fail_on: Option<String>,
    /// Exit 0 even when findings are at or above --fail-on.
    #[arg(long = "exit-zero", env = "REGAUDIT_EXIT_ZERO")]
    exit_zero: bool,
    /// Print how each column was mapped (from the manifest).
    #[arg(long = "show-mapping")]
    show_mapping: bool,
    /// File holding the fingerprint secret (else $REGAUDIT_FINGERPRINT_KEY, else this user's key).
    #[arg(long = "fingerprint-key-file", value_name = "FILE")]
    fingerprint_key_file: Option<PathBuf>,
    /// Findings held in memory; beyond it, sorted runs spill to temporary files.
    #[arg(long = "findings-in-memory", default_value_t = regaudit::result::store::DEFAULT_IN_MEMORY)]
    findings_in_memory: usize,
}

pub fn run(args: ReportArgs, console: &Console) -> Result<Outcome, Error> {
    let outputs = Outputs::parse(&args.output)?;
    let fail_on = parse_fail_on(args.fail_on.as_deref())?;
    let manifest_path = args.manifest.clone().unwrap_or_else(|| {
        // A findings file or Spark's folder of part files: the manifest sits beside it.
        args.findings
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .join("manifest.json")
    });
    let manifest = readback::load_manifest(&manifest_path)?;
    let key = load_key(args.fingerprint_key_file.as_deref())?;
    let mut report =
        readback::report(&manifest, &args.findings, &key.key, args.findings_in_memory)?;
    let fails = matches!((fail_on, report.worst_counted()), (Some(t), Some(w)) if w >= t);
    let options = RenderOptions {
        show_mapping: args.show_mapping,
        examples: 0,
        sarif_max_results: args.sarif_max_results,
        color: false,
        lang: args.lang,
    };
    let main_options = RenderOptions {
        color: outputs.main.is_none() && console.stdout_colored(),
        ..options.clone()
    };
    let inputs: Vec<&Path> = vec![args.findings.as_path(), manifest_path.as_path()];
    for (format, path) in &outputs.extra {
        let copy = report.try_clone().map_err(|e| Error::Output {
            path: path.clone(),
            message: e.to_string(),
        })?;
        write_report(Some(path), &inputs, |out| {
            renderer(*format).render(copy, &options, out)
        })?;
    }
    let line = summary::one_line(&report);
    write_report(outputs.main.as_deref(), &inputs, |out| {
        renderer(args.format).render(report, &main_options, out)
    })?;
    if outputs.main.is_some() {
        console.note(&format!("regaudit: {line}"));
    }
    Ok(if fails && !args.exit_zero {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
