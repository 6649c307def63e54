//! `regaudit report --findings PATH`: the findings table a plan wrote in its
//! engine, read back and rendered in every format, with the exit status,
//! through the same report code as `scan`.

use super::output::Outputs;
use super::report_flags::ReportFlags;
use super::{Console, Outcome};
use clap::Args;
use regaudit::compile::readback;
use regaudit::error::Error;
use regaudit::keys::load_key;
use regaudit::plan::parse_fail_on;
use regaudit::report::summary;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The findings table: a Parquet file, a folder of Parquet/CSV part files, or a CSV file.
    #[arg(long, value_name = "PATH")]
    findings: PathBuf,
    /// The plan's manifest.json (default: manifest.json beside the findings).
    #[arg(long, value_name = "FILE")]
    manifest: Option<PathBuf>,
    #[command(flatten)]
    report: ReportFlags,
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
    let outputs = Outputs::parse(&args.report.output)?;
    let fail_on = parse_fail_on(args.report.fail_on.as_deref())?;
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
    let report = readback::report(&manifest, &args.findings, &key.key, args.findings_in_memory)?;
    let fails = matches!((fail_on, report.worst_counted()), (Some(t), Some(w)) if w >= t);
    let inputs: Vec<&Path> = vec![args.findings.as_path(), manifest_path.as_path()];
    let line = summary::one_line(&report);
    args.report
        .write(report, &outputs, &inputs, args.show_mapping, console)?;
    if outputs.main.is_some() {
        console.note(&format!("regaudit: {line}"));
    }
    Ok(args.report.outcome(fails))
}
