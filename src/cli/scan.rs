//! `regaudit scan`: argument handling only; the audit lives in the library.

use super::output::write_report;
use super::Outcome;
use clap::Args;
use regaudit::audit::{run_audit, AuditOptions, DataInput, RegisterInput};
use regaudit::config::{config_path, load_config, ColumnSpec, ScanDefaults};
use regaudit::error::Error;
use regaudit::finding::Severity;
use regaudit::ingest::{Encoding, Format, InputPath, ReadOptions};
use regaudit::notice::load_notice;
use regaudit::report::{renderer, OutputFormat, RenderOptions};
use regaudit::rules::catalogue;
use regaudit::select::RuleSelection;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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
    /// Write the report to FILE (mode 0600, written atomically) instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
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
    #[arg(long = "findings-in-memory", default_value_t = regaudit::report::store::DEFAULT_IN_MEMORY)]
    findings_in_memory: usize,
    /// Worker threads (default: all cores). The report is the same for any count.
    #[arg(long)]
    threads: Option<usize>,
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
    let read = ReadOptions {
        format: args.input_format,
        delimiter: match args.delimiter {
            Some(c) if c.is_ascii() => Some(c as u8),
            Some(c) => {
                return Err(Error::Usage(format!(
                    "delimiter `{c}` is not an ASCII character"
                )))
            }
            None => None,
        },
        encoding: args.encoding,
        batch_rows: args.batch_rows,
    };
    let (registers, defaults) = registers_from_args(&args, &read)?;

    let rules = catalogue(args.rules_dir.as_deref().or(defaults.rules.as_deref()))?;
    let known: Vec<&str> = rules.iter().map(|r| r.meta.id.as_str()).collect();
    let select = if args.select.is_empty() {
        defaults.select.clone()
    } else {
        args.select.clone()
    };
    let ignore = [defaults.ignore.clone(), args.ignore.clone()].concat();
    let selection = RuleSelection::new(select, ignore, &known)?;
    let mut severity_overrides = HashMap::new();
    for (id, level) in defaults.severity.iter().cloned().chain(
        args.severity
            .iter()
            .map(|s| split_pair(s, "--severity"))
            .collect::<Result<Vec<_>, _>>()?,
    ) {
        let id = id.trim().to_ascii_uppercase();
        if !known.contains(&id.as_str()) {
            return Err(Error::Usage(format!("--severity: unknown rule `{id}`")));
        }
        let level: Severity = level.parse().map_err(Error::Usage)?;
        severity_overrides.insert(id, level);
    }
    let fail_on = parse_fail_on(args.fail_on.as_deref().or(defaults.fail_on.as_deref()))?;
    let options = AuditOptions {
        as_of: parse_as_of(args.as_of.as_deref())?,
        reveal: args.reveal,
        selection,
        severity_overrides,
        findings_in_memory: args.findings_in_memory,
    };

    let report = run_audit(&registers, &rules, &options)?;

    let input_paths: Vec<&Path> = registers
        .iter()
        .flat_map(|r| {
            r.data
                .iter()
                .filter_map(|d| match &d.path {
                    InputPath::File(p) => Some(p.as_path()),
                    InputPath::Stdin => None,
                })
                .chain(std::iter::once(r.notice.path.as_path()))
                .chain(
                    r.events
                        .iter()
                        .chain(&r.bans)
                        .filter_map(|d| match &d.path {
                            InputPath::File(p) => Some(p.as_path()),
                            InputPath::Stdin => None,
                        }),
                )
        })
        .collect();
    let render_options = RenderOptions {
        show_mapping: args.show_mapping,
        examples: 0,
    };
    let render = renderer(args.format);
    let worst = report.worst();
    write_report(args.output.as_deref(), &input_paths, |out| {
        render.render(report, &render_options, out)
    })?;

    Ok(match (fail_on, worst) {
        (Some(threshold), Some(worst)) if worst >= threshold => Outcome::Findings,
        _ => Outcome::Clean,
    })
}

fn split_pair(raw: &str, flag: &str) -> Result<(String, String), Error> {
    raw.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .ok_or_else(|| Error::Usage(format!("{flag} expects NAME=VALUE, got `{raw}`")))
}

fn parse_fail_on(raw: Option<&str>) -> Result<Option<Severity>, Error> {
    match raw {
        None => Ok(Some(Severity::Low)),
        Some(s) if s.eq_ignore_ascii_case("never") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| Error::Usage(format!("--fail-on: {e} or never"))),
    }
}

fn parse_as_of(raw: Option<&str>) -> Result<chrono::NaiveDate, Error> {
    match raw {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            Error::Usage(format!(
                "--as-of `{s}` is not a date in the form YYYY-MM-DD"
            ))
        }),
    }
}

fn registers_from_args(
    args: &ScanArgs,
    read: &ReadOptions,
) -> Result<(Vec<RegisterInput>, ScanDefaults), Error> {
    if let Some(notice_path) = &args.notice {
        let notice = load_notice(notice_path)?;
        let mut columns = Vec::new();
        for raw in &args.columns {
            let (column, value) = split_pair(raw, "--column")?;
            let spec = ColumnSpec::parse(&value).ok_or_else(|| {
                Error::Usage(format!(
                    "--column {raw}: `{value}` is neither a column role nor a data category"
                ))
            })?;
            columns.push((column, spec));
        }
        let name = args
            .data
            .first()
            .and_then(|d| d.file_stem())
            .map(|s| s.to_string_lossy().to_string())
            .filter(|s| s != "-")
            .unwrap_or_else(|| "stdin".to_string());
        if args.data.iter().filter(|d| d.as_os_str() == "-").count() > 1 {
            return Err(Error::Usage(
                "--data - (standard input) can be given once".into(),
            ));
        }
        let register = RegisterInput {
            name,
            notice,
            data: args
                .data
                .iter()
                .map(|d| DataInput {
                    path: InputPath::parse(d),
                    read: read.clone(),
                })
                .collect(),
            key: args.key.clone(),
            columns,
            events: args.events.as_ref().map(|e| DataInput {
                path: InputPath::parse(e),
                read: ReadOptions::default(),
            }),
            bans: args.bans.as_ref().map(|b| DataInput {
                path: InputPath::parse(b),
                read: ReadOptions::default(),
            }),
        };
        return Ok((vec![register], ScanDefaults::default()));
    }
    let target = args.target.clone().ok_or_else(|| {
        Error::Usage(
            "nothing to scan: give a folder with regaudit.toml, a config file, or --notice N --data F"
                .into(),
        )
    })?;
    let config = load_config(&config_path(&target))?;
    let mut registers = Vec::new();
    for r in &config.registers {
        let register_read = ReadOptions {
            format: read.format.or(r.format),
            delimiter: read.delimiter.or(r.delimiter),
            encoding: if read.encoding == Encoding::Auto {
                r.encoding
            } else {
                read.encoding
            },
            batch_rows: read.batch_rows,
        };
        registers.push(RegisterInput {
            name: r.name.clone(),
            notice: load_notice(&r.notice)?,
            data: r
                .data
                .iter()
                .map(|d| DataInput {
                    path: InputPath::File(d.clone()),
                    read: register_read.clone(),
                })
                .collect(),
            key: r.key.clone(),
            columns: r.columns.clone(),
            events: r.events.as_ref().map(|e| DataInput {
                path: InputPath::File(e.clone()),
                read: ReadOptions::default(),
            }),
            bans: r.bans.as_ref().map(|b| DataInput {
                path: InputPath::File(b.clone()),
                read: ReadOptions::default(),
            }),
        });
    }
    Ok((registers, config.scan))
}
