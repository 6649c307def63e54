//! One register: its marketing logs read first (they decide which records
//! need a profile), then every data file, then the marketing join over the logs.

use super::accounting::key_position;
use super::chunk::ChunkAuditor;
use super::complete::{complete, ActiveRule, Origin, Place};
use super::coverage::{needs_absent_notice, CoverageRecorder};
use super::log_join::{check_events, Profiles};
use super::logs::{read_logs, spill_error};
use super::parallel::{self, in_input_order};
use super::partitions::KeyFilter;
use super::sink::Sink;
use super::AuditOptions;
use crate::columns::{resolve_columns, ColumnSample, Role};
use crate::error::Error;
use crate::ingest::RowSource;
use crate::progress::Phase;
use crate::register::{DataInput, Register};
use crate::result::{CoverageEntry, InputReport};
use crate::rules::context::{FileContext, FileStats};
use crate::rules::marketing::EventCoverage;
use crate::rules::{Coverage, EventCheck, RowCheck};
use rayon::prelude::*;
use std::collections::VecDeque;
use std::sync::atomic::Ordering;

pub(super) fn audit_register(
    register: &Register,
    rules: &[ActiveRule<'_>],
    options: &AuditOptions,
    sink: &Sink,
) -> Result<(Vec<InputReport>, Vec<CoverageEntry>), Error> {
    let row_rules: Vec<(&ActiveRule, &dyn RowCheck)> = rules
        .iter()
        .filter_map(|r| r.rule.rows().map(|check| (r, check)))
        .collect();
    let event_rules: Vec<(&ActiveRule, &dyn EventCheck)> = rules
        .iter()
        .filter_map(|r| r.rule.events().map(|check| (r, check)))
        .collect();
    let cov_rule = rules.iter().find(|r| r.rule.coverage().is_some());
    // The logs are read first: they decide which register rows need a profile.
    let logs = match &register.events {
        Some(events) if !event_rules.is_empty() => {
            let name = events.path.display_path().display().to_string();
            options.progress.start(&name, None);
            options.progress.phase(&name, Phase::Reading);
            let logs = read_logs(register, events, options)?;
            options.progress.finish(&name);
            Some(logs)
        }
        _ => None,
    };
    let profiles = logs
        .as_ref()
        .map(|_| Profiles::new(options.log_records_in_memory));

    let results: Vec<Result<FileResult, Error>> = register
        .data
        .par_iter()
        .enumerate()
        .map(|(index, data)| {
            let wanted = logs
                .as_ref()
                .zip(profiles.as_ref())
                .map(|(logs, store)| ProfileWanted {
                    keys: &logs.event_keys,
                    store,
                    file: index,
                });
            audit_file(register, data, &row_rules, cov_rule, options, wanted, sink)
        })
        .collect();
    let mut inputs = Vec::new();
    let mut coverage = Vec::new();
    for result in results {
        let r = result?;
        inputs.push(r.input);
        coverage.extend(r.coverage);
    }
    let roles: Vec<Role> = inputs
        .iter()
        .flat_map(|i| i.columns.iter().map(|c| c.role))
        .collect();
    let events_file = logs
        .as_ref()
        .map_or("-".to_string(), |l| l.events_input.path.clone());
    let origin = Origin::new(&register.name, &events_file, &[]);
    let mut recorder = CoverageRecorder {
        register: &register.name,
        file: &events_file,
        columns: &[],
        origin: &origin,
        cov_rule,
        options,
        entries: Vec::new(),
        findings: Vec::new(),
    };
    let context = EventCoverage {
        notice: &register.notice,
        has_ban_log: register.bans.is_some(),
        roles: &roles,
    };
    let mut runnable = Vec::new();
    for (rule, check) in &event_rules {
        let rule_coverage = if let Some(skipped) = needs_absent_notice(register, rule) {
            skipped
        } else if logs.is_some() {
            check.coverage(&context)
        } else {
            Coverage::Skipped("no marketing-event log given".into())
        };
        recorder.record(rule, &rule_coverage);
        if rule_coverage.runs() {
            runnable.push(*rule);
        }
    }
    coverage.extend(recorder.entries);
    sink.put(recorder.findings);
    if let (Some(mut logs), Some(profiles)) = (logs, profiles) {
        options.progress.start(&events_file, None);
        options.progress.phase(&events_file, Phase::JoiningLogs);
        check_events(register, &runnable, &mut logs, profiles, options, sink)?;
        options.progress.finish(&events_file);
        inputs.push(logs.events_input);
        inputs.extend(logs.bans_input);
    }
    Ok((inputs, coverage))
}

struct FileResult {
    input: InputReport,
    coverage: Vec<CoverageEntry>,
}

/// Where a data file's rows that have marketing events leave their profile.
struct ProfileWanted<'a> {
    keys: &'a KeyFilter,
    store: &'a Profiles,
    /// The file's place among the register's: a later file's profile wins.
    file: usize,
}

fn audit_file(
    register: &Register,
    data: &DataInput,
    rules: &[(&ActiveRule<'_>, &dyn RowCheck)],
    cov_rule: Option<&ActiveRule<'_>>,
    options: &AuditOptions,
    wanted_profiles: Option<ProfileWanted<'_>>,
    sink: &Sink,
) -> Result<FileResult, Error> {
    let source = RowSource::open(&data.path, &data.read)?;
    let file_name = source.path.display().to_string();
    let progress = &options.progress;
    progress.start(&file_name, source.bytes_total);
    progress.phase(&file_name, Phase::Reading);
    let bytes_read = std::sync::Arc::clone(&source.bytes_read);
    let mut input = InputReport::for_source(&register.name, &source);
    // A database table's primary key is the record key unless one is mapped.
    let key_mapped = register.columns.iter().any(|(_, s)| s.role == Role::Key);
    let key_name = register.key.as_deref().or_else(|| {
        (!key_mapped)
            .then_some(source.primary_key.as_deref())
            .flatten()
    });
    let key_index = match key_name {
        Some(key) => Some(key_position(&source, key)?),
        None => None,
    };
    for (mapped, _) in &register.columns {
        if !source.headers.iter().any(|h| h == mapped) {
            input
                .warnings
                .push(format!("mapped column `{mapped}` is not in this file"));
        }
    }
    let headers = source.headers.clone();
    let mut chunks = source.read_ahead(parallel::group_size());

    // Roles need a sample of the first rows before any rule runs.
    let mut pending = VecDeque::new();
    let mut sample = ColumnSample::new(headers.len());
    while !sample.is_complete() {
        let Some(chunk) = chunks.next_chunk()? else {
            break;
        };
        chunk.visit(&mut sample)?;
        pending.push_back(chunk);
    }
    let mut columns = resolve_columns(&headers, &register.columns, &sample);
    if let Some(k) = key_index {
        columns[k].role = Role::Key;
    }
    let key_index = key_index.or_else(|| columns.iter().position(|c| c.role == Role::Key));
    if key_index.is_none() {
        input.warnings.push(
            "no record-key column: findings name data rows, not records; map a column to `key` \
             or give --key"
                .to_string(),
        );
    }
    let ctx = FileContext::new(
        &register.name,
        &file_name,
        &register.notice,
        options.as_of,
        &columns,
    );
    let origin = Origin::new(&register.name, &file_name, &columns);
    let mut recorder = CoverageRecorder {
        register: &register.name,
        file: &file_name,
        columns: &columns,
        origin: &origin,
        cov_rule,
        options,
        entries: Vec::new(),
        findings: Vec::new(),
    };
    let mut active: Vec<(&ActiveRule, &dyn RowCheck)> = Vec::new();
    for &(rule, check) in rules {
        let coverage = needs_absent_notice(register, rule).unwrap_or_else(|| check.coverage(&ctx));
        recorder.record(rule, &coverage);
        if coverage.runs() {
            active.push((rule, check));
        }
    }
    let coverage = recorder.entries;
    sink.put(recorder.findings);
    progress.phase(&file_name, Phase::Auditing);
    let mut rows_done = 0;
    let auditor = ChunkAuditor {
        ctx: &ctx,
        origin: &origin,
        rules: &active,
        key_index,
        wanted_profiles: wanted_profiles.as_ref().map(|w| w.keys),
        options,
        findings_hint: Default::default(),
    };

    let mut stats = FileStats {
        non_empty: vec![0; headers.len()],
    };
    let mut profiles_kept = 0;
    let mut profiles_stored = Ok(());
    let mut nul_cells = 0;
    let next = || match pending.pop_front() {
        Some(chunk) => Ok(Some(chunk)),
        None => chunks.next_chunk(),
    };
    in_input_order(
        next,
        |chunk| auditor.audit(chunk),
        |mut result| {
            rows_done += result.audited + result.rejected.len() as u64;
            progress.advance(&file_name, rows_done, bytes_read.load(Ordering::Relaxed));
            input.count_chunk(
                result.audited as usize,
                result.rejected,
                &mut result.findings,
            );
            for (total, n) in stats.non_empty.iter_mut().zip(result.non_empty) {
                *total += n;
            }
            nul_cells += result.nul_cells;
            sink.put_sorted(result.findings);
            if let (Some(wanted), Ok(())) = (&wanted_profiles, &profiles_stored) {
                profiles_stored = wanted
                    .store
                    .put(wanted.file, profiles_kept, &result.profiles);
                profiles_kept += result.profiles.len() as u64;
            }
        },
    )?;
    profiles_stored.map_err(|e| spill_error(std::path::Path::new(&file_name), e))?;

    let mut findings = Vec::new();
    for (rule, check) in &active {
        let mut hits = Vec::new();
        check.check_file(&ctx, &stats, &mut hits);
        for hit in hits {
            let place = Place::file(&origin, hit.column);
            findings.push(complete(hit, rule, place, options));
        }
    }
    sink.put(findings);
    if nul_cells > 0 {
        input.warnings.push(format!(
            "{nul_cells} cells contain NUL bytes, which may hide values from the rules"
        ));
    }
    input.columns = columns;
    progress.finish(&file_name);
    Ok(FileResult { input, coverage })
}
