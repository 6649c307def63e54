//! The engine: for each register and data file, resolve column roles, then run
//! every enabled row rule in one pass over each chunk of rows, in parallel;
//! then the file-level and event-log rules. Findings are sorted before they
//! leave, so thread count and chunk size never show.
//!
//! `register.rs` drives one register, `chunk.rs` one chunk of rows,
//! `logs.rs` reads the marketing logs, `partitions.rs` stores them by key and
//! `log_join.rs` joins them with the register's profiles, `complete.rs` turns hits into findings and
//! `accounting.rs` counts every row.

mod accounting;
pub use accounting::key_position;
mod chunk;
mod complete;
mod coverage;
mod log_join;
mod logs;
pub(crate) use logs::{ban_fields, event_fields, log_field_positions, log_key_position, LogField};
mod parallel;
mod partitions;
mod register;
mod sink;

use crate::error::Error;
use crate::finding::{FingerprintKey, Severity};
use crate::register::Register;
use crate::result::{NoticeSummary, Report};
use crate::rules::Rule;
use crate::select::RuleSelection;
use chrono::NaiveDate;
use complete::ActiveRule;
use rayon::prelude::*;
use sink::Sink;
use std::collections::HashMap;

/// Event-log, ban-log and profile records each held in memory by default
/// before they spill (a few MB each, encoded), and about as many decoded at
/// once by one step of the marketing join. Measured at 5M rows (1.25M
/// events): 100k → 216 MB peak, 500k → 363 MB, unbounded → 665 MB, at the
/// same CPU time (polars' join holds several copies of a step's rows).
pub const DEFAULT_LOG_RECORDS_IN_MEMORY: usize = 100_000;

#[derive(Debug, Clone)]
pub struct AuditOptions {
    pub as_of: NaiveDate,
    pub reveal: bool,
    pub selection: RuleSelection,
    pub severity_overrides: HashMap<String, Severity>,
    /// Findings held in memory before sorted runs spill to temporary files.
    pub findings_in_memory: usize,
    /// Event-log, ban-log and profile records each held in memory before
    /// they spill to temporary files for the marketing join.
    pub log_records_in_memory: usize,
    /// Keys every fingerprint (see `FingerprintKey`).
    pub fingerprint_key: FingerprintKey,
    /// Where progress goes (nowhere by default).
    pub progress: crate::progress::ProgressHook,
}

/// Audits every register and returns the complete result.
pub fn run_audit(
    registers: &[Register],
    rules: &[Rule],
    options: &AuditOptions,
) -> Result<Report, Error> {
    let enabled: Vec<ActiveRule> = rules
        .iter()
        .filter(|r| options.selection.enabled(&r.meta.id))
        .map(|r| ActiveRule::new(r, options))
        .collect();
    let sink = Sink::new(options.findings_in_memory);
    let results: Vec<Result<_, Error>> = registers
        .par_iter()
        .map(|register| register::audit_register(register, &enabled, options, &sink))
        .collect();
    let mut inputs = Vec::new();
    let mut coverage = Vec::new();
    for result in results {
        let (register_inputs, register_coverage) = result?;
        inputs.extend(register_inputs);
        coverage.extend(register_coverage);
    }
    let store = sink.into_inner()?;
    let rules_run = enabled.iter().map(ActiveRule::meta_as_run).collect();
    let mut report = Report::new(
        options.as_of.to_string(),
        store,
        inputs,
        rules_run,
        coverage,
    );
    report.fingerprint_key = options.fingerprint_key.id();
    report.notices = registers
        .iter()
        .map(|r| NoticeSummary::of(r, &report.rules))
        .collect();
    Ok(report)
}
