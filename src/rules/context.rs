//! What a rule sees: the file it is checking (notice, columns, audit date) and
//! one row at a time. Rules return `Hit`s; the engine turns them into findings
//! (masking, fingerprint, severity), so no rule handles those concerns.

use crate::columns::{ColumnInfo, Role};
use crate::finding::Severity;
use crate::mask::ValueKind;
use crate::notice::Notice;
use crate::values::parse_date;
use chrono::NaiveDate;
use std::borrow::Cow;

/// Everything about one data file that does not change from row to row.
pub struct FileContext<'a> {
    pub register: &'a str,
    pub file: &'a str,
    pub notice: &'a Notice,
    pub as_of: NaiveDate,
    pub columns: &'a [ColumnInfo],
    /// Column indices per role (`role as usize`), so a row lookup does not
    /// scan every column.
    by_role: Vec<Vec<usize>>,
}

impl<'a> FileContext<'a> {
    pub fn new(
        register: &'a str,
        file: &'a str,
        notice: &'a Notice,
        as_of: NaiveDate,
        columns: &'a [ColumnInfo],
    ) -> Self {
        let mut by_role = vec![Vec::new(); Role::ALL.len()];
        for (i, c) in columns.iter().enumerate() {
            by_role[c.role as usize].push(i);
        }
        FileContext {
            register,
            file,
            notice,
            as_of,
            columns,
            by_role,
        }
    }

    /// The columns in `role`, in file order.
    pub fn columns_of(&self, role: Role) -> &[usize] {
        &self.by_role[role as usize]
    }

    pub fn column_of(&self, role: Role) -> Option<usize> {
        self.columns_of(role).first().copied()
    }

    pub fn has_role(&self, role: Role) -> bool {
        self.column_of(role).is_some()
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has_role(*r))
    }
}

/// Counts gathered over a whole file, for file-level checks.
#[derive(Debug, Clone, Default)]
pub struct FileStats {
    /// Non-empty cells per column, indexed like `FileContext::columns`.
    pub non_empty: Vec<u64>,
}

/// A date cell: missing, a date, or text that is not a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateCell<'a> {
    Missing,
    Date(NaiveDate),
    Invalid(&'a str),
}

/// One row of a data file, cells indexed like `FileContext::columns`.
pub struct Row<'a> {
    pub file: &'a FileContext<'a>,
    /// 1-based data row.
    pub row: u64,
    pub cells: &'a [Option<&'a str>],
}

impl<'a> Row<'a> {
    /// The first non-empty cell of a column in `role`, with its column index.
    /// Cells arrive trimmed, blank ones as `None` (see `ingest`).
    pub fn value(&self, role: Role) -> Option<(usize, &'a str)> {
        self.file
            .columns_of(role)
            .iter()
            .find_map(|&i| self.cells[i].map(|v| (i, v)))
    }

    /// The non-empty cells of the columns in `role`.
    pub fn cells_of(
        &self,
        role: Role,
    ) -> impl Iterator<Item = (usize, &'a ColumnInfo, &'a str)> + '_ {
        self.file
            .columns_of(role)
            .iter()
            .filter_map(|&i| self.cells[i].map(|v| (i, &self.file.columns[i], v)))
    }

    pub fn date(&self, role: Role) -> DateCell<'a> {
        match self.value(role) {
            None => DateCell::Missing,
            Some((_, v)) => match parse_date(v) {
                Some(d) => DateCell::Date(d),
                None => DateCell::Invalid(v),
            },
        }
    }

    /// Every non-empty cell with its column.
    pub fn cells(&self) -> impl Iterator<Item = (usize, &'a ColumnInfo, &'a str)> + '_ {
        self.file
            .columns
            .iter()
            .zip(self.cells.iter())
            .enumerate()
            .filter_map(|(i, (c, v))| v.map(|v| (i, c, v)))
    }
}

/// The value a finding is about, to be masked by the engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub kind: ValueKind,
    pub raw: String,
}

/// A rule's raw result for one row; the engine completes it into a `Finding`,
/// stamping it with the id of the rule it called.
#[derive(Debug, Clone)]
pub struct Hit {
    pub column: Option<usize>,
    /// Must not quote personal data: the masked evidence is shown beside it.
    /// Most messages are fixed text: `Cow` spares an allocation per hit.
    pub message: Cow<'static, str>,
    pub evidence: Option<Evidence>,
    /// Tells apart several hits of one rule in one cell (e.g. the nth code in a note).
    pub detail: Cow<'static, str>,
    /// Overrides the rule's severity for this hit (e.g. temporary codes are info).
    pub severity: Option<Severity>,
}

impl Hit {
    pub fn new(column: Option<usize>, message: impl Into<Cow<'static, str>>) -> Self {
        Hit {
            column,
            message: message.into(),
            evidence: None,
            detail: Cow::Borrowed(""),
            severity: None,
        }
    }

    pub fn evidence(mut self, kind: ValueKind, raw: &str) -> Self {
        self.evidence = Some(Evidence {
            kind,
            raw: raw.to_string(),
        });
        self
    }

    pub fn detail(mut self, detail: impl Into<Cow<'static, str>>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = Some(severity);
        self
    }
}
