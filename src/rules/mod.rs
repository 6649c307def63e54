//! The rule catalogue. A rule is one small unit: its metadata and doc in
//! `rules/<ID>.toml`, its check in one file here, registered by one line in
//! `registry.rs`. The engine calls a check by its kind and stamps each hit
//! with the rule's id, so no check names itself.

pub mod context;
pub mod coverage;
pub mod custom;
pub mod data;
pub mod marketing;
pub mod meta;
mod registry;

mod accuracy;
mod categories;
mod identity;
mod legal_basis;
mod retention;
mod transfers;

use context::{FileContext, FileStats, Hit, Row};
pub use coverage::{Coverage, Gap};
pub use meta::{RuleDoc, RuleMeta};
pub use registry::{builtin, catalogue, is_valid_id};

/// A check over the rows of each register file, run in the one pass over its
/// rows, with optional findings about whole columns at the end.
pub trait RowCheck: Send + Sync {
    /// Called once per audited row.
    fn check_row(&self, _row: &Row<'_>, _hits: &mut Vec<Hit>) {}

    /// Called once per file before any row: the columns the rule runs on, or
    /// why it does not run. Only an evaluated rule sees rows.
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        Coverage::Evaluated((0..file.columns.len()).collect())
    }

    /// Called once per file after every row, for findings about whole columns.
    fn check_file(&self, _file: &FileContext<'_>, _stats: &FileStats, _hits: &mut Vec<Hit>) {}

    /// A custom rule's check as data, for the SQL compiler (`compile::custom`).
    fn custom(&self) -> Option<custom::CustomSql<'_>> {
        None
    }
}

/// A check over a register's marketing-event log, joined with the ban log and
/// the profiles of the records the events name.
pub trait EventCheck: Send + Sync {
    /// Whether the register's logs and columns let the rule run.
    fn coverage(&self, ctx: &marketing::EventCoverage<'_>) -> Coverage;

    fn check_events(
        &self,
        ctx: &marketing::MarketingContext<'_>,
        hits: &mut Vec<marketing::EventHit>,
    ) -> polars::prelude::PolarsResult<()>;
}

/// What a rule checks, which decides when the engine calls it.
pub enum CheckKind {
    /// Register rows (and whole columns).
    Rows(Box<dyn RowCheck>),
    /// Marketing events (needs the register's `events` log).
    Events(Box<dyn EventCheck>),
    /// The other rules' coverage: made by the engine from their gaps.
    Coverage(Box<coverage::RuleNotEvaluated>),
}

pub struct Rule {
    pub meta: RuleMeta,
    pub check: CheckKind,
}

impl Rule {
    pub fn rows(&self) -> Option<&dyn RowCheck> {
        match &self.check {
            CheckKind::Rows(check) => Some(check.as_ref()),
            _ => None,
        }
    }

    pub fn events(&self) -> Option<&dyn EventCheck> {
        match &self.check {
            CheckKind::Events(check) => Some(check.as_ref()),
            _ => None,
        }
    }

    pub fn coverage(&self) -> Option<&coverage::RuleNotEvaluated> {
        match &self.check {
            CheckKind::Coverage(check) => Some(check.as_ref()),
            _ => None,
        }
    }
}
