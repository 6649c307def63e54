//! `regaudit clean`: scan, then write a migration-ready copy of each export
//! with a change log — or, by default, only say what would change.

use super::inputs::InputArgs;
use super::output::write_report;
use super::{Console, Outcome};
use clap::{Args, ValueEnum};
use comfy_table::{presets::UTF8_FULL_CONDENSED, Table};
use regaudit::clean::{self, changelog, Actions, FileSummary};
use regaudit::config::load_config;
use regaudit::error::Error;
use regaudit::plan::{ScanPlan, ScanRequest};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Args)]
pub struct CleanArgs {
    #[command(flatten)]
    inputs: InputArgs,
    /// Write the clean copies into DIR (each under its input's file name) with
    /// the change log DIR/changes.csv. Without it, a dry run: nothing is
    /// written and the summary says what would change.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// The change log's path (default DIR/changes.csv with --out); `.json`
    /// writes JSON, anything else CSV. Also in a dry run.
    #[arg(long, value_name = "FILE")]
    changes: Option<PathBuf>,
    /// What to do about a rule's findings, RULE=ACTION (repeatable); over the
    /// config's [clean.actions]. Actions: keep, drop-column, mask-column,
    /// blank-cell, redact, remove-record, reset-flag.
    #[arg(long = "action", value_name = "RULE=ACTION")]
    actions: Vec<String>,
    /// Audit date YYYY-MM-DD (default: today); retention and erasure deadlines use it.
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", env = "REGAUDIT_AS_OF")]
    as_of: Option<String>,
    /// A folder of custom rule files (*.toml) to run beside the built-in rules.
    #[arg(long = "rules", value_name = "DIR")]
    rules_dir: Option<PathBuf>,
    /// File holding the secret that keys fingerprints (as for scan).
    #[arg(long = "fingerprint-key-file", value_name = "FILE")]
    fingerprint_key_file: Option<PathBuf>,
    /// The summary's format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Table)]
    format: SummaryFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SummaryFormat {
    Table,
    Json,
}

pub fn run(args: CleanArgs, console: &Console) -> Result<Outcome, Error> {
    let request = ScanRequest {
        as_of: args.as_of,
        rules_dir: args.rules_dir,
        fingerprint_key_file: args.fingerprint_key_file,
        ..args.inputs.request()
    };
    let plan = ScanPlan::new(&request)?;
    let actions = actions(&plan, &args.actions)?;
    let report = plan.run()?;
    let (files, kept_elsewhere) = clean::plan(&plan.registers, &report, &actions)?;
    let inputs = plan.input_files();
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| Error::Output {
            path: dir.clone(),
            message: e.to_string(),
        })?;
    }
    let mut summaries = Vec::new();
    let mut targets: Vec<PathBuf> = Vec::new();
    for file in &files {
        let target = match &args.out {
            Some(dir) => Some(copy_path(dir, file, &targets)?),
            None => None,
        };
        let mut tally = None;
        let mut copy = |out: &mut dyn std::io::Write| {
            tally = Some(clean::write_copy(file, out)?);
            Ok(())
        };
        match &target {
            Some(path) => write_report(Some(path), &inputs, copy)?,
            // A dry run makes the copy all the same, into nothing, so its
            // figures are the ones a real run would give.
            None => copy(&mut std::io::sink()).map_err(|e| Error::Output {
                path: PathBuf::from(&file.edits.path),
                message: e.to_string(),
            })?,
        }
        let tally = tally.unwrap_or_default();
        summaries.push(FileSummary::new(
            file,
            tally,
            target.as_ref().map(|p| p.display().to_string()),
        ));
        targets.extend(target);
    }
    let changes: Vec<changelog::Change> = files
        .iter()
        .flat_map(|f| changelog::changes(&f.edits))
        .collect();
    let log = args
        .changes
        .clone()
        .or_else(|| args.out.as_ref().map(|d| d.join("changes.csv")));
    if let Some(path) = &log {
        let json = path.extension().is_some_and(|e| e == "json");
        write_report(Some(path), &inputs, |out| {
            if json {
                changelog::write_json(&changes, out)
            } else {
                changelog::write_csv(&changes, out)
            }
        })?;
    }
    let summary = Summary {
        dry_run: args.out.is_none(),
        files: summaries,
        findings_in_logs: kept_elsewhere,
        changes: changes.len(),
        change_log: log.map(|p| p.display().to_string()),
    };
    write_report(None, &[], |out| match args.format {
        SummaryFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &summary)?;
            writeln!(out)
        }
        SummaryFormat::Table => write_table(&summary, out),
    })?;
    if summary.dry_run {
        console.note("dry run: nothing written; give --out DIR to write the clean copies");
    }
    Ok(Outcome::Clean)
}

/// The config's `[clean.actions]`, then `--action` over them.
fn actions(plan: &ScanPlan, flags: &[String]) -> Result<Actions, Error> {
    let known: Vec<&str> = plan.rules.iter().map(|r| r.meta.id.as_str()).collect();
    let config = match &plan.config {
        Some(path) => {
            let pairs = load_config(path)?.clean_actions;
            let origin = format!("{} [clean.actions]", path.display());
            Actions::new(
                pairs.iter().map(|(r, a)| (r.as_str(), a.as_str())),
                &known,
                &origin,
            )?
        }
        None => Actions::default(),
    };
    let pairs = flags
        .iter()
        .map(|f| Actions::parse_flag(f))
        .collect::<Result<Vec<_>, _>>()?;
    let flags = Actions::new(
        pairs.iter().map(|(r, a)| (r.as_str(), a.as_str())),
        &known,
        "--action",
    )?;
    Ok(config.overridden_by(flags))
}

/// DIR/<the input's file name>; two inputs with one name are refused.
fn copy_path(dir: &Path, file: &clean::FilePlan, taken: &[PathBuf]) -> Result<PathBuf, Error> {
    let name = Path::new(&file.edits.path)
        .file_name()
        .ok_or_else(|| Error::Usage(format!("{}: no file name", file.edits.path)))?;
    let path = dir.join(name);
    if taken.contains(&path) {
        return Err(Error::Usage(format!(
            "two inputs are named {}: clean them into separate --out folders",
            name.to_string_lossy()
        )));
    }
    Ok(path)
}

#[derive(serde::Serialize)]
struct Summary {
    dry_run: bool,
    files: Vec<FileSummary>,
    /// Findings about the marketing logs, which clean does not copy, by rule.
    findings_in_logs: BTreeMap<String, u64>,
    /// Entries in the change log.
    changes: usize,
    change_log: Option<String>,
}

fn write_table(summary: &Summary, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let joined = |m: &BTreeMap<String, u64>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "file",
        "rows read",
        "written",
        "left out",
        "cells changed",
        "columns dropped",
        "columns masked",
        "findings not mended",
    ]);
    for f in &summary.files {
        table.add_row(vec![
            f.file.clone(),
            f.rows_read.to_string(),
            f.rows_written.to_string(),
            joined(&f.rows_left_out),
            f.cells_changed.to_string(),
            f.columns_dropped.join(", "),
            f.columns_masked.join(", "),
            joined(&f.findings_kept),
        ]);
    }
    writeln!(
        out,
        "{}",
        if summary.dry_run {
            "Dry run: what clean would change"
        } else {
            "Clean copies written"
        }
    )?;
    writeln!(out, "{table}")?;
    for f in summary.files.iter().filter_map(|f| f.output.as_ref()) {
        writeln!(out, "  copy: {f}")?;
    }
    if !summary.findings_in_logs.is_empty() {
        writeln!(
            out,
            "Findings in the marketing logs (not copied): {}",
            joined(&summary.findings_in_logs)
        )?;
    }
    match &summary.change_log {
        Some(path) => writeln!(out, "Change log: {path} ({} entries)", summary.changes),
        None => writeln!(
            out,
            "{} changes (give --changes FILE to log them)",
            summary.changes
        ),
    }
}
