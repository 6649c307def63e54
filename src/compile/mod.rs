//! Compiles a scan plan (notice, column mapping, rules, `as_of`) into SQL
//! that runs where a register lives — DuckDB or Spark — and writes a findings
//! table there: masked evidence and keyed hashes, never raw personal data.
//! `regaudit report` turns that table into the reports `scan` makes.
//!
//! The column mapping is made here, locally, from the export or a sample of
//! the table (`mapping`), and baked into the SQL; coverage is decided by the
//! same rule code as in `scan`. A rule without a SQL form is refused: it is
//! listed in the manifest and in coverage, with a COV001 finding.

mod accuracy;
mod categories;
mod consent;
mod custom;
mod dates;
pub mod dialect;
mod exprs;
mod health;
mod iban_formats;
mod legal_basis;
mod lexicon;
pub mod manifest;
mod mapping;
mod marketing;
mod masks;
mod nested;
pub mod readback;
mod retention;
mod rules;
mod script;
mod transfers;
mod validators;

pub use dialect::Engine;
pub use manifest::Manifest;

use crate::columns::ColumnInfo;
use crate::error::Error;
use crate::finding::Severity;
use crate::mask::mask;
use crate::plan::ScanPlan;
use crate::result::{CoverageEntry, CoverageStatus};
use crate::rules::context::FileContext;
use crate::rules::coverage::{candidates, Gap};
use crate::rules::{Coverage, Rule, RuleMeta};
use manifest::{RuleEntry, Source, StaticFinding};

/// What to compile besides the scan plan.
#[derive(Debug, Clone)]
pub struct PlanOptions {
    pub engine: Engine,
    /// The table (or path) the engine reads instead of the local file, whose
    /// rows are then only the sample the mapping is made from.
    pub table: Option<String>,
    /// Where the DuckDB script writes the findings table (Parquet).
    pub findings_path: String,
}

/// A compiled plan: the SQL script, its manifest and a runner.
pub struct Compiled {
    pub script: String,
    pub manifest: Manifest,
    /// `run_spark.py` or `run_duckdb.py`.
    pub runner: (&'static str, &'static str),
}

pub fn compile(plan: &ScanPlan, options: &PlanOptions) -> Result<Compiled, Error> {
    let engine = options.engine;
    let enabled: Vec<&Rule> = plan
        .rules
        .iter()
        .filter(|r| plan.options.selection.enabled(&r.meta.id))
        .collect();
    let inputs: usize = plan.registers.iter().map(|r| r.data.len()).sum();
    if options.table.is_some() && inputs != 1 {
        return Err(Error::Usage(format!(
            "--engine-table names one table; this plan has {inputs} data inputs"
        )));
    }
    let as_run = |rule: &Rule| {
        let over = plan.options.severity_overrides.get(&rule.meta.id).copied();
        (over.unwrap_or(rule.meta.severity), over.is_some())
    };
    let cov_rule = enabled.iter().find(|r| r.coverage().is_some()).copied();
    let mut sources = Vec::new();
    let mut coverage = Vec::new();
    let mut statics = Vec::new();
    let mut queries: Vec<(String, String)> = Vec::new();
    for register in &plan.registers {
        let event_rules: Vec<&Rule> = enabled
            .iter()
            .filter(|r| r.events().is_some())
            .copied()
            .collect();
        // The logs are opened first, as locally: a log without its columns is an error.
        let logs = match &register.events {
            Some(events) if !event_rules.is_empty() => {
                let n = sources.len() + register.data.len();
                let events = marketing::open_events(register, events, n)?;
                let bans = match &register.bans {
                    Some(bans) => Some(marketing::open_bans(register, bans, n + 1)?),
                    None => None,
                };
                Some((events, bans))
            }
            _ => None,
        };
        let mut profiles = Vec::new();
        let mut roles = Vec::new();
        for data in &register.data {
            let mapped = mapping::map_file(register, data)?;
            let format = format!("{:?}", mapped.format).to_lowercase();
            if options.table.is_none()
                && !["csv", "json", "ndjson", "parquet"].contains(&format.as_str())
            {
                return Err(Error::Usage(format!(
                    "{}: {} engines read CSV, JSON and Parquet files; load this {format} source into a table and give --engine-table",
                    mapped.file,
                    engine.name()
                )));
            }
            let n = sources.len();
            let file = match &options.table {
                Some(table) => table.clone(),
                None => mapped.file.clone(),
            };
            let table = match &options.table {
                Some(table) => table.clone(),
                None => absolute(&mapped.file),
            };
            let ctx = FileContext::new(
                &register.name,
                &file,
                &register.notice,
                plan.options.as_of,
                &mapped.columns,
            );
            let rows_view = format!("regaudit_rows_{n}");
            let mut columns_read = std::collections::BTreeSet::new();
            let file_sql = rules::FileSql {
                engine,
                register: &register.name,
                file: &file,
                rows_view: &rows_view,
                columns: &mapped.columns,
                notice: &register.notice,
                as_of: plan.options.as_of,
            };
            for rule in &enabled {
                if rule.coverage().is_some() {
                    continue;
                }
                let id = rule.meta.id.as_str();
                let (severity, overridden) = as_run(rule);
                let rule_coverage = if let Some(why) = rules::refusal(rule) {
                    refuse(
                        &mut coverage,
                        &mut statics,
                        cov_rule.map(|r| (r, as_run(r).0)),
                        &register.name,
                        &file,
                        rule,
                        engine,
                        &why,
                    );
                    continue;
                } else if let Some(check) = rule.rows() {
                    check.coverage(&ctx)
                } else {
                    continue;
                };
                let (status, columns, reason, needs) = match &rule_coverage {
                    Coverage::Evaluated(cols) => {
                        let run = rules::RuleRun {
                            id,
                            severity,
                            overridden,
                        };
                        let compiled = match rule.rows().and_then(|check| check.custom()) {
                            Some(form) => custom::queries(&run, &file_sql, cols, &form),
                            None => rules::queries(&run, &file_sql, cols),
                        };
                        for q in compiled {
                            queries.push((id.to_string(), q));
                        }
                        columns_read.extend(cols.iter().copied());
                        let also = rules::also_reads(id);
                        columns_read.extend(
                            (0..mapped.columns.len())
                                .filter(|&i| also.contains(&mapped.columns[i].role)),
                        );
                        (
                            CoverageStatus::Evaluated,
                            cols.iter()
                                .map(|&i| mapped.columns[i].name.clone())
                                .collect(),
                            None,
                            Vec::new(),
                        )
                    }
                    Coverage::Skipped(reason) => (
                        CoverageStatus::Skipped,
                        Vec::new(),
                        Some(reason.clone()),
                        Vec::new(),
                    ),
                    Coverage::Blocked(gap) => {
                        if let Some(cov) = cov_rule {
                            let found = candidates(&mapped.columns, &gap.needs);
                            statics.push(gap_finding(
                                (cov, as_run(cov).0),
                                rule,
                                gap,
                                &found,
                                &register.name,
                                &file,
                            ));
                        }
                        (
                            CoverageStatus::NotEvaluated,
                            Vec::new(),
                            Some(gap.reason.clone()),
                            gap.needs.iter().map(|r| r.name().to_string()).collect(),
                        )
                    }
                };
                coverage.push(CoverageEntry {
                    register: register.name.clone(),
                    file: file.clone(),
                    rule: id.to_string(),
                    status,
                    columns,
                    reason,
                    needs,
                });
            }
            roles.extend(mapped.columns.iter().map(|c| c.role));
            if logs.is_some() {
                columns_read.extend(
                    (0..mapped.columns.len())
                        .filter(|&i| marketing::PROFILE_ROLES.contains(&mapped.columns[i].role)),
                );
                profiles.push(marketing::ProfileInput {
                    rows_view: rows_view.clone(),
                    columns: mapped.columns.clone(),
                });
            }
            sources.push(Source {
                register: register.name.clone(),
                file,
                view: format!("regaudit_source_{n}"),
                table,
                is_path: options.table.is_none(),
                format,
                delimiter: mapped.delimiter,
                key: mapped.key.map(|k| mapped.columns[k].name.clone()),
                columns: mapped.columns,
                columns_read: columns_read.into_iter().collect(),
                log: None,
                spark_schema: None,
            });
        }
        let context = EventContext {
            register,
            rules: &event_rules,
            roles: &roles,
            cov_rule: cov_rule.map(|r| (r, as_run(r).0)),
            as_run: &as_run,
        };
        let logs = logs.map(|(events, bans)| {
            let n = sources.len();
            let events_view = format!("regaudit_rows_{n}");
            let bans_view = format!("regaudit_rows_{}", n + 1);
            (events, bans, events_view, bans_view)
        });
        match &logs {
            Some((events, bans, events_view, bans_view)) => {
                let sql = marketing::MarketingSql {
                    engine,
                    register: &register.name,
                    notice: &register.notice,
                    as_of: plan.options.as_of,
                    events,
                    events_view: events_view.clone(),
                    bans: bans.as_ref().map(|b| (b, bans_view.clone())),
                    profiles: &profiles,
                };
                context.event_rules(Some(&sql), &mut coverage, &mut statics, &mut queries);
            }
            None => context.event_rules(None, &mut coverage, &mut statics, &mut queries),
        }
        if let Some((events, bans, _, _)) = logs {
            sources.push(events.source);
            sources.extend(bans.map(|b| b.source));
        }
    }
    for s in sources
        .iter_mut()
        .filter(|s| engine == Engine::Spark && s.nested())
    {
        s.spark_schema = Some(s.fields().spark_schema());
    }
    let script = script::assemble(engine, &sources, &queries, &options.findings_path);
    let rule_entries = enabled
        .iter()
        .map(|rule| {
            let id = &rule.meta.id;
            let refused = rules::refusal(rule);
            let sql: String = queries
                .iter()
                .filter(|(q, _)| q == id)
                .map(|(_, q)| q.as_str())
                .collect();
            RuleEntry {
                id: id.clone(),
                version: if refused.is_none() {
                    blake3::hash(sql.as_bytes()).to_hex()[..16].to_string()
                } else {
                    String::new()
                },
                compiled: refused.is_none(),
                refused,
                meta: RuleMeta {
                    severity: as_run(rule).0,
                    ..rule.meta.clone()
                },
            }
        })
        .collect();
    let manifest = Manifest {
        scheme: manifest::PLAN_SCHEME.into(),
        fingerprint_scheme: manifest::FINGERPRINT_SCHEME.into(),
        engine,
        regaudit_version: env!("CARGO_PKG_VERSION").into(),
        as_of: plan.options.as_of.to_string(),
        semantics_hash: blake3::hash(script.as_bytes()).to_hex().to_string(),
        findings_schema: manifest::findings_schema(),
        rules: rule_entries,
        sources,
        coverage,
        static_findings: statics,
    };
    let runner = match engine {
        Engine::Duckdb => ("run_duckdb.py", include_str!("run_duckdb.py")),
        Engine::Spark => ("run_spark.py", include_str!("run_spark.py")),
    };
    Ok(Compiled {
        script,
        manifest,
        runner,
    })
}

/// COV001's finding that `rule` cannot run on `file` for want of
/// `gap.needs` (`found`: unmapped columns that look like one), as `audit`
/// reports it.
fn gap_finding(
    (cov, severity): (&Rule, Severity),
    rule: &Rule,
    gap: &Gap,
    found: &[&ColumnInfo],
    register: &str,
    file: &str,
) -> StaticFinding {
    let check = cov.coverage().expect("the coverage rule");
    let hit = check.hit(&rule.meta, gap, found);
    StaticFinding {
        rule: cov.meta.id.clone(),
        severity,
        register: register.to_string(),
        file: file.to_string(),
        message: hit.message.to_string(),
        evidence: hit.evidence.map(|e| mask(e.kind, &e.raw, false)),
        detail: hit.detail.to_string(),
    }
}

/// A refused rule: a coverage entry saying why, and the COV001 finding that
/// keeps a clean report from hiding it.
#[allow(clippy::too_many_arguments)]
fn refuse(
    coverage: &mut Vec<CoverageEntry>,
    statics: &mut Vec<StaticFinding>,
    cov_rule: Option<(&Rule, Severity)>,
    register: &str,
    file: &str,
    rule: &Rule,
    engine: Engine,
    why: &str,
) {
    let reason = format!("not compiled to SQL for {}: {why}", engine.name());
    if let Some((cov, severity)) = cov_rule {
        statics.push(StaticFinding {
            rule: cov.meta.id.clone(),
            severity,
            register: register.to_string(),
            file: file.to_string(),
            message: format!(
                "{} ({}) was not evaluated: {reason}",
                rule.meta.id, rule.meta.name
            ),
            evidence: None,
            detail: rule.meta.id.clone(),
        });
    }
    coverage.push(CoverageEntry {
        register: register.to_string(),
        file: file.to_string(),
        rule: rule.meta.id.clone(),
        status: CoverageStatus::NotEvaluated,
        columns: Vec::new(),
        reason: Some(reason),
        needs: Vec::new(),
    });
}

fn absolute(path: &str) -> String {
    std::fs::canonicalize(path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| path.to_string())
}

/// What the marketing rules of one register need to be compiled.
struct EventContext<'a, F: Fn(&Rule) -> (Severity, bool)> {
    register: &'a crate::register::Register,
    rules: &'a [&'a Rule],
    /// The roles of the register's data files.
    roles: &'a [crate::columns::Role],
    cov_rule: Option<(&'a Rule, Severity)>,
    as_run: &'a F,
}

impl<F: Fn(&Rule) -> (Severity, bool)> EventContext<'_, F> {
    /// Coverage of the marketing rules as `audit::register` decides it (on
    /// the event log's file, `-` without one), and their queries.
    fn event_rules(
        &self,
        sql: Option<&marketing::MarketingSql<'_>>,
        coverage: &mut Vec<CoverageEntry>,
        statics: &mut Vec<StaticFinding>,
        queries: &mut Vec<(String, String)>,
    ) {
        let register = self.register;
        let file = sql.map_or("-".to_string(), |s| s.events.source.file.clone());
        let context = crate::rules::marketing::EventCoverage {
            notice: &register.notice,
            has_ban_log: register.bans.is_some(),
            roles: self.roles,
        };
        for rule in self.rules {
            let id = rule.meta.id.as_str();
            let check = rule.events().expect("an event rule");
            let rule_coverage = if !register.notice.given && rule.meta.needs_notice {
                Coverage::Skipped(format!(
                    "{}: the rule compares the data with what the notice declares",
                    crate::result::NO_NOTICE
                ))
            } else if sql.is_some() {
                check.coverage(&context)
            } else {
                Coverage::Skipped("no marketing-event log given".into())
            };
            let (status, reason, needs) = match &rule_coverage {
                Coverage::Evaluated(_) => {
                    let (severity, overridden) = (self.as_run)(rule);
                    let run = rules::RuleRun {
                        id,
                        severity,
                        overridden,
                    };
                    let sql = sql.expect("evaluated with an event log");
                    let query = match id {
                        "MKT001" => Some(sql.ban_unhonoured(&run)),
                        _ => sql.without_consent(&run),
                    };
                    queries.extend(query.map(|q| (id.to_string(), q)));
                    (CoverageStatus::Evaluated, None, Vec::new())
                }
                Coverage::Skipped(reason) => {
                    (CoverageStatus::Skipped, Some(reason.clone()), Vec::new())
                }
                Coverage::Blocked(gap) => {
                    if let Some(cov) = self.cov_rule {
                        statics.push(gap_finding(cov, rule, gap, &[], &register.name, &file));
                    }
                    (
                        CoverageStatus::NotEvaluated,
                        Some(gap.reason.clone()),
                        gap.needs.iter().map(|r| r.name().to_string()).collect(),
                    )
                }
            };
            coverage.push(CoverageEntry {
                register: register.name.clone(),
                file: file.clone(),
                rule: id.to_string(),
                status,
                columns: Vec::new(),
                reason,
                needs,
            });
        }
    }
}
