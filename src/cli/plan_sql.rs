//! `regaudit plan --engine duckdb|spark`: compiles the scan the same flags
//! or config would run into SQL for the engine, a manifest and a runner,
//! written into one folder (mode 0600, atomically).

use super::inputs::InputArgs;
use super::output::write_report;
use super::rule_flags::RuleFlags;
use super::{Console, Outcome};
use clap::Args;
use regaudit::compile::{compile, Engine, PlanOptions};
use regaudit::error::Error;
use regaudit::plan::{ScanPlan, ScanRequest};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The engine to compile for.
    #[arg(long, value_enum)]
    engine: Engine,
    /// Folder to write plan.sql, manifest.json and the runner into.
    #[arg(long = "out-dir", value_name = "DIR")]
    out_dir: PathBuf,
    /// The table (or path) the engine reads, e.g. `crm.customers`; the local
    /// export named by the config or --data is then only the sample the
    /// columns are mapped from. Default: the local export itself.
    #[arg(long = "engine-table", value_name = "TABLE")]
    engine_table: Option<String>,
    /// Where the DuckDB script writes the findings table (Parquet).
    #[arg(
        long = "findings-path",
        value_name = "PATH",
        default_value = "findings.parquet"
    )]
    findings_path: String,

    /// What to read, as for scan: a config, or --notice and --data.
    #[command(flatten)]
    inputs: InputArgs,
    /// Audit date YYYY-MM-DD, written into the SQL as a literal (default: today).
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", env = "REGAUDIT_AS_OF")]
    as_of: Option<String>,
    #[command(flatten)]
    rules: RuleFlags,
    /// File holding the fingerprint secret (read like scan's; the plan holds no key).
    #[arg(long = "fingerprint-key-file", value_name = "FILE")]
    fingerprint_key_file: Option<PathBuf>,
}

pub fn run(args: PlanArgs, console: &Console) -> Result<Outcome, Error> {
    let request = args.rules.apply(ScanRequest {
        as_of: args.as_of,
        fingerprint_key_file: args.fingerprint_key_file,
        ..args.inputs.request()
    });
    let plan = ScanPlan::new(&request)?;
    let options = PlanOptions {
        engine: args.engine,
        table: args.engine_table,
        findings_path: args.findings_path,
    };
    let compiled = compile(&plan, &options)?;
    let dir = &args.out_dir;
    std::fs::create_dir_all(dir).map_err(|e| Error::Output {
        path: dir.clone(),
        message: e.to_string(),
    })?;
    let inputs = plan.input_files();
    let manifest = serde_json::to_string_pretty(&compiled.manifest).unwrap_or_default();
    for (name, text) in [
        ("plan.sql", compiled.script.as_str()),
        ("manifest.json", manifest.as_str()),
        (compiled.runner.0, compiled.runner.1),
    ] {
        write_report(Some(&dir.join(name)), &inputs, |out| {
            out.write_all(text.as_bytes())
        })?;
    }
    for rule in compiled.manifest.rules.iter().filter(|r| !r.compiled) {
        console.warn(&format!(
            "{}: refused for {}: {} (shown in coverage and as COV001)",
            rule.id,
            args.engine.name(),
            rule.refused.as_deref().unwrap_or("")
        ));
    }
    let compiled_rules = compiled
        .manifest
        .rules
        .iter()
        .filter(|r| r.compiled)
        .count();
    console.note(&format!(
        "plan for {}: {compiled_rules} of {} rules compiled; wrote plan.sql, manifest.json and {} to {}",
        args.engine.name(),
        compiled.manifest.rules.len(),
        compiled.runner.0,
        dir.display()
    ));
    Ok(Outcome::Clean)
}
