//! One chunk of a register file through every row rule, on any thread.

use super::complete::{complete, ActiveRule, Origin, Place};
use super::partitions::KeyFilter;
use super::AuditOptions;
use crate::error::InputError;
use crate::finding::Finding;
use crate::ingest::{Chunk, RejectedRow, RowVisitor};
use crate::result::store::sort_run;
use crate::rules::context::{FileContext, Hit, Row};
use crate::rules::marketing::{self, Profile};
use crate::rules::RowCheck;
use std::sync::atomic::Ordering::Relaxed;

/// Runs the row rules of one file over a chunk of its rows.
pub(super) struct ChunkAuditor<'a> {
    pub(super) ctx: &'a FileContext<'a>,
    pub(super) origin: &'a Origin,
    /// The row rules that apply to this file, with their checks.
    pub(super) rules: &'a [(&'a ActiveRule<'a>, &'a dyn RowCheck)],
    pub(super) key_index: Option<usize>,
    /// Keys of the records that may have marketing events, whose profiles
    /// are kept.
    pub(super) wanted_profiles: Option<&'a KeyFilter>,
    pub(super) options: &'a AuditOptions,
    /// The most findings a chunk has given so far: the next chunk's vector
    /// starts that large instead of growing (and copying) its way there.
    pub(super) findings_hint: std::sync::atomic::AtomicUsize,
}

/// What a chunk gave, with row numbers counted from the chunk's start and
/// findings in report order.
pub(super) struct ChunkResult {
    pub(super) findings: Vec<Finding>,
    pub(super) rejected: Vec<RejectedRow>,
    pub(super) profiles: Vec<(String, Profile)>,
    pub(super) audited: u64,
    pub(super) non_empty: Vec<u64>,
    pub(super) nul_cells: u64,
}

impl ChunkAuditor<'_> {
    pub(super) fn audit(&self, chunk: &Chunk) -> Result<ChunkResult, InputError> {
        let mut visitor = ChunkVisitor {
            auditor: self,
            line: None,
            hits: Vec::new(),
            result: ChunkResult {
                findings: Vec::with_capacity(self.findings_hint.load(Relaxed)),
                rejected: Vec::new(),
                profiles: Vec::new(),
                audited: 0,
                non_empty: vec![0; self.ctx.columns.len()],
                nul_cells: 0,
            },
        };
        let counts = chunk.visit(&mut visitor)?;
        visitor.result.nul_cells = counts.nul_cells;
        // Sorted here, on the worker: the store only merges sorted runs.
        // (Rows become absolute later by one offset, which keeps the order.)
        sort_run(&mut visitor.result.findings);
        self.findings_hint
            .fetch_max(visitor.result.findings.len(), Relaxed);
        Ok(visitor.result)
    }
}

struct ChunkVisitor<'a> {
    auditor: &'a ChunkAuditor<'a>,
    /// The line where the row being visited starts.
    line: Option<u64>,
    hits: Vec<Hit>,
    result: ChunkResult,
}

impl RowVisitor for ChunkVisitor<'_> {
    fn row(&mut self, number: u64, cells: &[Option<&str>]) {
        let auditor = self.auditor;
        let result = &mut self.result;
        result.audited += 1;
        for (n, cell) in result.non_empty.iter_mut().zip(cells) {
            *n += u64::from(cell.is_some());
        }
        let row = Row {
            file: auditor.ctx,
            row: number,
            cells,
        };
        let key = auditor.key_index.and_then(|k| row.cells[k]);
        for (rule, check) in auditor.rules {
            check.check_row(&row, &mut self.hits);
            for hit in self.hits.drain(..) {
                let place = Place {
                    line: self.line,
                    ..Place::row(auditor.origin, &row, key, hit.column)
                };
                result
                    .findings
                    .push(complete(hit, rule, place, auditor.options));
            }
        }
        if let (Some(wanted), Some(key)) = (auditor.wanted_profiles, key) {
            if wanted.may_contain(key) {
                result
                    .profiles
                    .push((key.to_string(), marketing::profile(&row)));
            }
        }
    }

    fn reject(&mut self, rejected: RejectedRow) {
        self.result.rejected.push(rejected);
    }

    fn line(&mut self, line: u64) {
        self.line = Some(line);
    }
}
