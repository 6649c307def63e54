//! From findings to edits: for each input file, the columns to drop or mask,
//! the records to leave out and the cells to change, each with the findings
//! that caused it. Built from the report alone, before any copy is written.

use super::actions::{Action, Actions};
use crate::columns::Role;
use crate::finding::{Finding, Fingerprint};
use crate::result::InputReport;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The finding behind an edit, as the change log names it.
#[derive(Debug, Clone)]
pub struct Cause {
    pub rule: Arc<str>,
    pub fingerprint: Fingerprint,
    pub row: u64,
    pub line: Option<u64>,
    pub column: Option<Arc<str>>,
    pub action: Action,
}

impl Cause {
    fn of(finding: &Finding, action: Action) -> Cause {
        Cause {
            rule: Arc::clone(&finding.rule),
            fingerprint: finding.fingerprint,
            row: finding.row,
            line: finding.line,
            column: finding.column.clone(),
            action,
        }
    }
}

/// A change to one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CellEdit {
    Blank,
    Redact,
    /// A consent flag that says yes says no.
    ResetFlag,
    /// A legal basis that is only consent is emptied.
    WithdrawConsent,
}

/// Everything `clean` will do to one input file.
#[derive(Debug, Default)]
pub struct FileEdits {
    pub register: String,
    /// The file as reports name it.
    pub path: String,
    /// The reader's column names (duplicates made unique) and their roles.
    pub columns: Vec<String>,
    pub roles: Vec<Role>,
    pub dropped: BTreeSet<usize>,
    pub masked: BTreeSet<usize>,
    /// Data rows (1-based) left out, and why.
    pub removed: BTreeMap<u64, Vec<Cause>>,
    /// Rows the reader rejected: they could not be audited, so they are left out.
    pub rejected: BTreeMap<u64, String>,
    pub cells: HashMap<(u64, usize), BTreeSet<CellEdit>>,
    /// Every finding that changed the copy, in report order.
    pub causes: Vec<Cause>,
    /// Findings left as they are, by rule.
    pub kept: BTreeMap<String, u64>,
    pub rows_read: u64,
}

impl FileEdits {
    pub fn new(input: &InputReport) -> FileEdits {
        FileEdits {
            register: input.register.clone(),
            path: input.path.clone(),
            columns: input.columns.iter().map(|c| c.name.clone()).collect(),
            roles: input.columns.iter().map(|c| c.role).collect(),
            rejected: input
                .rejected
                .iter()
                .map(|r| (r.row, r.reason.clone()))
                .collect(),
            rows_read: input.rows_read,
            ..FileEdits::default()
        }
    }

    /// Adds what `actions` say to do about one finding of this file.
    pub fn add(&mut self, finding: &Finding, actions: &Actions) {
        let action = actions.of(&finding.rule);
        let column = finding
            .column
            .as_deref()
            .and_then(|c| self.columns.iter().position(|n| n == c));
        let row = finding.row;
        let role = column.map(|c| self.roles[c]);
        let applied = match (action, column) {
            (Action::Keep, _) => None,
            (Action::RemoveRecord, _) if row > 0 => {
                self.removed
                    .entry(row)
                    .or_default()
                    .push(Cause::of(finding, action));
                Some(action)
            }
            // An identity code inside another column's text: its column
            // stays and the code is cut out, whatever was chosen for ID001.
            (Action::DropColumn | Action::MaskColumn, Some(c))
                if &*finding.rule == "ID001" && role != Some(Role::IdentityCode) && row > 0 =>
            {
                self.cell(row, c, CellEdit::Redact);
                Some(Action::Redact)
            }
            (Action::DropColumn, Some(c)) => {
                self.dropped.insert(c);
                Some(action)
            }
            (Action::MaskColumn, Some(c)) => {
                self.masked.insert(c);
                Some(action)
            }
            (Action::BlankCell, Some(c)) if row > 0 => {
                self.cell(row, c, CellEdit::Blank);
                Some(action)
            }
            (Action::Redact, Some(c)) if row > 0 => {
                let edit = if role == Some(Role::IdentityCode) {
                    CellEdit::Blank
                } else {
                    CellEdit::Redact
                };
                self.cell(row, c, edit);
                Some(action)
            }
            // Consent that cannot be demonstrated is withdrawn from the
            // record: every consent flag that says yes, and a legal basis
            // that is only consent (LB001 then asks for the real basis).
            (Action::ResetFlag, Some(_)) if row > 0 => {
                for c in 0..self.roles.len() {
                    match self.roles[c] {
                        Role::Consent | Role::SmsConsent => self.cell(row, c, CellEdit::ResetFlag),
                        Role::LegalBasis => self.cell(row, c, CellEdit::WithdrawConsent),
                        _ => {}
                    }
                }
                Some(action)
            }
            _ => None,
        };
        match applied {
            Some(action) => self.causes.push(Cause::of(finding, action)),
            None => *self.kept.entry(finding.rule.to_string()).or_default() += 1,
        }
    }

    fn cell(&mut self, row: u64, column: usize, edit: CellEdit) {
        self.cells.entry((row, column)).or_default().insert(edit);
    }

    /// Whether a row is written to the copy.
    pub fn keeps_row(&self, row: u64) -> bool {
        !self.removed.contains_key(&row) && !self.rejected.contains_key(&row)
    }
}
