//! Scan planning: from what the user asked (flags, or a config with its
//! `[scan]` defaults) to the registers, rules and options of one audit. Policy
//! lives here, testable without the binary; the CLI only fills a `ScanRequest`.

use crate::allowlist::AllowEntry;
use crate::audit::{run_audit, AuditOptions};
use crate::baseline::Baseline;
use crate::columns::ColumnSpec;
use crate::config::{config_path, find_config, load_config, ScanDefaults, CONFIG_FILE};
use crate::error::Error;
use crate::finding::Severity;
use crate::ingest::sql::{DatabaseSource, Target};
use crate::ingest::{expand_sheets, Encoding, Format, InputPath, ReadOptions};
use crate::keys::{load_key, KeySource};
use crate::notice::{load_notice, Notice};
use crate::register::{DataInput, Register};
use crate::result::{store::DEFAULT_IN_MEMORY, Report};
use crate::rules::{catalogue, Rule};
use crate::select::RuleSelection;
use crate::triage::Triage;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What a scan was asked to do, as the command line or a caller says it.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// A folder holding `regaudit.toml`, or a config file.
    pub target: Option<PathBuf>,
    /// Config-less scan: the notice and the export(s) (`-` is standard input).
    pub notice: Option<PathBuf>,
    pub data: Vec<PathBuf>,
    /// The table or query of a database URL in `data`.
    pub table: Option<String>,
    pub query: Option<String>,
    /// The workbook sheet to read; every non-empty sheet when absent.
    pub sheet: Option<String>,
    pub events: Option<PathBuf>,
    pub bans: Option<PathBuf>,
    /// The register's name (config-less scan); the first file's name otherwise.
    pub register: Option<String>,
    pub key: Option<String>,
    /// `COLUMN=ROLE_OR_CATEGORY`.
    pub columns: Vec<String>,
    /// Read options that override the config's and the sniffed ones.
    pub format: Option<Format>,
    pub delimiter: Option<char>,
    pub encoding: Encoding,
    pub batch_rows: usize,
    /// `YYYY-MM-DD`; today when absent.
    pub as_of: Option<String>,
    /// A severity or `never`; the config's, else `low`, when absent.
    pub fail_on: Option<String>,
    pub reveal: bool,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    /// `ID=LEVEL`.
    pub severity: Vec<String>,
    pub rules_dir: Option<PathBuf>,
    pub findings_in_memory: usize,
    /// `--log-records-in-memory`: see `AuditOptions::log_records_in_memory`.
    pub log_records_in_memory: usize,
    /// The fingerprint key file; else the environment or this user's key.
    pub fingerprint_key_file: Option<PathBuf>,
    /// `--baseline FILE`: findings already known; only new ones fail the scan.
    pub baseline: Option<PathBuf>,
    /// `--write-baseline FILE`: the findings are recorded (the CLI writes the file).
    pub record_baseline: bool,
}

impl Default for ScanRequest {
    fn default() -> Self {
        ScanRequest {
            target: None,
            notice: None,
            data: Vec::new(),
            table: None,
            query: None,
            sheet: None,
            events: None,
            bans: None,
            register: None,
            key: None,
            columns: Vec::new(),
            format: None,
            delimiter: None,
            encoding: Encoding::Auto,
            batch_rows: crate::ingest::DEFAULT_BATCH_ROWS,
            as_of: None,
            fail_on: None,
            reveal: false,
            select: Vec::new(),
            ignore: Vec::new(),
            severity: Vec::new(),
            rules_dir: None,
            findings_in_memory: DEFAULT_IN_MEMORY,
            log_records_in_memory: crate::audit::DEFAULT_LOG_RECORDS_IN_MEMORY,
            fingerprint_key_file: None,
            baseline: None,
            record_baseline: false,
        }
    }
}

/// One audit, ready to run.
pub struct ScanPlan {
    pub registers: Vec<Register>,
    pub rules: Vec<Rule>,
    pub options: AuditOptions,
    /// Findings at or above this make the scan fail; `None` never fails.
    pub fail_on: Option<Severity>,
    /// Where the fingerprint key came from.
    pub key_source: KeySource,
    /// The baseline and allowlist the findings are compared with.
    pub triage: Triage,
    /// The config file scanned, when there is one (found, named or given as a folder).
    pub config: Option<PathBuf>,
}

impl ScanPlan {
    pub fn new(request: &ScanRequest) -> Result<ScanPlan, Error> {
        let read = read_overrides(request)?;
        let (registers, defaults, allow, config) = registers(request, &read)?;
        let rules = catalogue(request.rules_dir.as_deref().or(defaults.rules.as_deref()))?;
        let known: Vec<&str> = rules.iter().map(|r| r.meta.id.as_str()).collect();
        let select = if request.select.is_empty() {
            defaults.select.clone()
        } else {
            request.select.clone()
        };
        let ignore = [defaults.ignore.clone(), request.ignore.clone()].concat();
        let selection = RuleSelection::new(select, ignore, &known)?;
        let severity_overrides = severity_overrides(&defaults, &request.severity, &known)?;
        let fail_on = parse_fail_on(request.fail_on.as_deref().or(defaults.fail_on.as_deref()))?;
        let key = load_key(
            request
                .fingerprint_key_file
                .as_deref()
                .or(defaults.fingerprint_key_file.as_deref()),
        )?;
        let options = AuditOptions {
            as_of: parse_as_of(request.as_of.as_deref())?,
            reveal: request.reveal,
            selection,
            severity_overrides,
            findings_in_memory: request.findings_in_memory,
            log_records_in_memory: request.log_records_in_memory,
            fingerprint_key: key.key,
            progress: Default::default(),
        };
        let baseline = match &request.baseline {
            Some(path) => {
                let baseline = Baseline::load(path)?;
                baseline.check_key(path, &options.fingerprint_key.id())?;
                Some((path.clone(), baseline))
            }
            None => None,
        };
        let triage = Triage {
            baseline,
            allow,
            record_baseline: request.record_baseline,
        };
        Ok(ScanPlan {
            registers,
            rules,
            options,
            fail_on,
            key_source: key.source,
            triage,
            config,
        })
    }

    /// Audits, then applies the baseline and the allowlist.
    pub fn run(&self) -> Result<Report, Error> {
        Ok(self.run_recording()?.0)
    }

    /// As `run`, and returns the findings as a new baseline when the
    /// request asked to record one.
    pub fn run_recording(&self) -> Result<(Report, Option<Baseline>), Error> {
        let report = run_audit(&self.registers, &self.rules, &self.options)?;
        self.triage.apply(report, self.options.as_of)
    }

    /// Every file the scan reads, which no output may overwrite.
    pub fn input_files(&self) -> Vec<&Path> {
        self.registers
            .iter()
            .flat_map(Register::input_files)
            .collect()
    }

    /// Whether a report whose worst finding is `worst` fails the scan.
    pub fn fails(&self, worst: Option<Severity>) -> bool {
        matches!((self.fail_on, worst), (Some(threshold), Some(worst)) if worst >= threshold)
    }
}

fn read_overrides(request: &ScanRequest) -> Result<ReadOptions, Error> {
    let delimiter = match request.delimiter {
        Some(c) if c.is_ascii() => Some(c as u8),
        Some(c) => {
            return Err(Error::Usage(format!(
                "delimiter `{c}` is not an ASCII character"
            )))
        }
        None => None,
    };
    Ok(ReadOptions {
        format: request.format,
        delimiter,
        encoding: request.encoding,
        batch_rows: request.batch_rows,
        sheet: request.sheet.clone(),
    })
}

/// The flags' read options over a file's own (from the config or sniffed).
fn override_read(own: &ReadOptions, flags: &ReadOptions) -> ReadOptions {
    ReadOptions {
        format: flags.format.or(own.format),
        delimiter: flags.delimiter.or(own.delimiter),
        encoding: if flags.encoding == Encoding::Auto {
            own.encoding
        } else {
            flags.encoding
        },
        batch_rows: flags.batch_rows,
        sheet: flags.sheet.clone().or_else(|| own.sheet.clone()),
    }
}

/// The registers, scan defaults, allowlist and config file of a request.
type Registers = (
    Vec<Register>,
    ScanDefaults,
    Vec<AllowEntry>,
    Option<PathBuf>,
);

fn registers(request: &ScanRequest, read: &ReadOptions) -> Result<Registers, Error> {
    if let Some(notice) = &request.notice {
        // The notice first: its errors come before those of the flags.
        let notice = load_notice(notice)?;
        let mut register = register_from_flags(request, read)?.with_notice(notice);
        expand_workbooks(&mut register)?;
        return Ok((vec![register], ScanDefaults::default(), Vec::new(), None));
    }
    if !request.data.is_empty() {
        // `--data` alone: the rules that need no notice run.
        let mut register = register_from_flags(request, read)?.with_notice(Notice::absent());
        expand_workbooks(&mut register)?;
        return Ok((vec![register], ScanDefaults::default(), Vec::new(), None));
    }
    let path = match &request.target {
        Some(target) => config_path(target),
        // Like other linters: the config of this folder or the nearest parent.
        None => std::env::current_dir()
            .ok()
            .and_then(|cwd| find_config(&cwd))
            .ok_or_else(|| {
                Error::Usage(format!(
                    "nothing to scan: no {CONFIG_FILE} in this folder or any parent; give a folder with {CONFIG_FILE}, --config FILE, or --notice N --data F"
                ))
            })?,
    };
    let config = load_config(&path)?;
    let mut registers = Vec::new();
    for mut register in config.registers {
        for data in &mut register.data {
            data.read = override_read(&data.read, read);
        }
        let mut register = register.load_notice()?;
        expand_workbooks(&mut register)?;
        registers.push(register);
    }
    Ok((registers, config.scan, config.allow, Some(path)))
}

fn register_from_flags(request: &ScanRequest, read: &ReadOptions) -> Result<Register<()>, Error> {
    let mut columns = Vec::new();
    for raw in &request.columns {
        let (column, value) = split_pair(raw, "--column")?;
        let spec = ColumnSpec::parse(&value).ok_or_else(|| {
            Error::Usage(format!(
                "--column {raw}: `{value}` is neither a column role nor a data category"
            ))
        })?;
        columns.push((column, spec));
    }
    if request.data.iter().filter(|d| d.as_os_str() == "-").count() > 1 {
        return Err(Error::Usage(
            "--data - (standard input) can be given once".into(),
        ));
    }
    let database = |d: &PathBuf| {
        let url = d.to_str().filter(|u| DatabaseSource::is_url(u))?;
        Some(
            DatabaseSource::new(
                url,
                request.table.as_deref(),
                request.query.as_deref(),
                Path::new("."),
            )
            .map_err(|m| Error::Usage(format!("--data: {m}"))),
        )
    };
    let mut data = Vec::new();
    for d in &request.data {
        let path = match database(d) {
            Some(source) => InputPath::Database(source?),
            None => InputPath::parse(d),
        };
        data.push(DataInput {
            path,
            read: read.clone(),
        });
    }
    let databases = data
        .iter()
        .filter(|d| matches!(d.path, InputPath::Database(_)));
    if databases.count() == 0 && (request.table.is_some() || request.query.is_some()) {
        return Err(Error::Usage(
            "--table and --query read a database: give its URL with --data (postgres://, mysql://, sqlite://)"
                .into(),
        ));
    }
    let from_file = || {
        if let Some(InputPath::Database(db)) = data.first().map(|d| &d.path) {
            return match &db.target {
                Target::Table(t) => t.clone(),
                Target::Query(_) => "query".to_string(),
            };
        }
        request
            .data
            .first()
            .and_then(|d| d.file_stem())
            .map(|s| s.to_string_lossy().to_string())
            .filter(|s| s != "-")
            .unwrap_or_else(|| "stdin".to_string())
    };
    let name = request.register.clone().unwrap_or_else(from_file);
    let log = |path: &PathBuf| DataInput {
        path: InputPath::parse(path),
        read: ReadOptions::default(),
    };
    Ok(Register {
        name,
        notice: (),
        data,
        key: request.key.clone(),
        columns,
        events: request.events.as_ref().map(log),
        bans: request.bans.as_ref().map(log),
    })
}

/// Each workbook input without a chosen sheet becomes one input per
/// non-empty sheet, so no sheet of personal data goes unaudited.
fn expand_workbooks(register: &mut Register) -> Result<(), Error> {
    let mut data = Vec::with_capacity(register.data.len());
    for input in std::mem::take(&mut register.data) {
        match expand_sheets(&input.path, &input.read)? {
            Some(sheets) => data.extend(sheets.into_iter().map(|sheet| DataInput {
                path: input.path.clone(),
                read: ReadOptions {
                    sheet: Some(sheet),
                    ..input.read.clone()
                },
            })),
            None => data.push(input),
        }
    }
    register.data = data;
    Ok(())
}

fn severity_overrides(
    defaults: &ScanDefaults,
    flags: &[String],
    known: &[&str],
) -> Result<HashMap<String, Severity>, Error> {
    let from_flags = flags
        .iter()
        .map(|s| split_pair(s, "--severity"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut overrides = HashMap::new();
    for (id, level) in defaults.severity.iter().cloned().chain(from_flags) {
        let id = id.trim().to_ascii_uppercase();
        if !known.contains(&id.as_str()) {
            return Err(Error::Usage(format!("--severity: unknown rule `{id}`")));
        }
        let level: Severity = level.parse().map_err(Error::Usage)?;
        overrides.insert(id, level);
    }
    Ok(overrides)
}

fn split_pair(raw: &str, flag: &str) -> Result<(String, String), Error> {
    raw.split_once('=')
        .map(|(a, b)| (a.trim().to_string(), b.trim().to_string()))
        .ok_or_else(|| Error::Usage(format!("{flag} expects NAME=VALUE, got `{raw}`")))
}

pub fn parse_fail_on(raw: Option<&str>) -> Result<Option<Severity>, Error> {
    match raw {
        None => Ok(Some(Severity::Low)),
        Some(s) if s.eq_ignore_ascii_case("never") => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|e| Error::Usage(format!("--fail-on: {e} or never"))),
    }
}

pub fn parse_as_of(raw: Option<&str>) -> Result<chrono::NaiveDate, Error> {
    match raw {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            Error::Usage(format!(
                "--as-of `{s}` is not a date in the form YYYY-MM-DD"
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit tests never touch the user's key file.
    fn test_key() -> Option<PathBuf> {
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/test.key"))
    }

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures")
            .join(name)
    }

    #[test]
    fn a_config_plan_merges_flags_over_the_config() {
        let request = ScanRequest {
            target: Some(fixture("harmonia")),
            encoding: Encoding::Windows1252,
            ignore: vec!["ACC".into()],
            severity: vec!["id001=low".into()],
            fail_on: Some("medium".into()),
            as_of: Some("2026-11-22".into()),
            fingerprint_key_file: test_key(),
            ..ScanRequest::default()
        };
        let plan = ScanPlan::new(&request).unwrap();
        assert_eq!(plan.registers.len(), 1);
        let register = &plan.registers[0];
        assert_eq!(register.name, "harmonia");
        assert!(register
            .data
            .iter()
            .all(|d| d.read.encoding == Encoding::Windows1252));
        assert!(!plan.options.selection.enabled("ACC001"));
        assert!(plan.options.selection.enabled("ID001"));
        assert_eq!(plan.options.severity_overrides["ID001"], Severity::Low);
        assert_eq!(plan.fail_on, Some(Severity::Medium));
        assert!(plan.fails(Some(Severity::High)));
        assert!(!plan.fails(Some(Severity::Low)));
        assert!(plan
            .input_files()
            .iter()
            .any(|p| p.ends_with("notice.toml")));
    }

    #[test]
    fn a_flag_plan_names_the_register_after_its_first_file() {
        let dir = fixture("harmonia");
        let request = ScanRequest {
            notice: Some(dir.join("notice.toml")),
            data: vec![dir.join("asiakkaat.csv")],
            columns: vec!["Lisätiedot=notes".into()],
            fail_on: Some("never".into()),
            fingerprint_key_file: test_key(),
            ..ScanRequest::default()
        };
        let plan = ScanPlan::new(&request).unwrap();
        assert_eq!(plan.registers[0].name, "asiakkaat");
        assert_eq!(plan.registers[0].columns.len(), 1);
        assert!(!plan.fails(Some(Severity::Critical)));
    }

    #[test]
    fn bad_requests_are_usage_errors() {
        let bad = |request: ScanRequest| match ScanPlan::new(&request) {
            Err(Error::Usage(message)) => message,
            Err(other) => panic!("not a usage error: {other}"),
            Ok(_) => panic!("accepted"),
        };
        let dir = fixture("harmonia");
        let flags = |edit: fn(&mut ScanRequest)| {
            let mut request = ScanRequest {
                notice: Some(dir.join("notice.toml")),
                data: vec![dir.join("asiakkaat.csv")],
                fingerprint_key_file: test_key(),
                ..ScanRequest::default()
            };
            edit(&mut request);
            request
        };
        assert!(bad(flags(|r| r.delimiter = Some('§'))).contains("ASCII"));
        assert!(bad(flags(|r| r.severity = vec!["XX999=low".into()])).contains("unknown rule"));
        assert!(bad(flags(|r| r.columns = vec!["x=colour".into()])).contains("neither"));
        assert!(bad(flags(|r| r.as_of = Some("22.11.2026".into()))).contains("YYYY-MM-DD"));
    }
}
