//! Row accounting: every row of an input is audited or rejected, and counted.
//! Chunks number their rows from 1; they become absolute here, in one place,
//! for register files and marketing logs alike.

use crate::error::InputError;
use crate::finding::Finding;
use crate::ingest::{RejectedRow, RowSource};
use crate::result::InputReport;

/// Something a chunk produced that names a row of the input.
pub(super) trait RowNumbered {
    fn shift_row(&mut self, rows_before: u64);
}

impl RowNumbered for Finding {
    fn shift_row(&mut self, rows_before: u64) {
        self.row += rows_before;
    }
}

impl<T> RowNumbered for (u64, T) {
    fn shift_row(&mut self, rows_before: u64) {
        self.0 += rows_before;
    }
}

impl InputReport {
    pub(super) fn for_source(register: &str, source: &RowSource) -> InputReport {
        let warnings = source
            .duplicate_headers
            .iter()
            .map(|d| format!("duplicate header `{d}`: later copies are read as `{d}_2`, …"))
            .collect();
        InputReport {
            register: register.to_string(),
            path: source.path.display().to_string(),
            format: format!("{:?}", source.info.format).to_lowercase(),
            encoding: source.info.encoding.to_string(),
            delimiter: source.info.delimiter.map(|d| d.to_string()),
            rows_read: 0,
            rows_audited: 0,
            rows_rejected: 0,
            rejected: Vec::new(),
            warnings,
            columns: Vec::new(),
        }
    }

    /// Counts the next chunk's rows and makes the row numbers of its rejected
    /// rows and of `results` absolute.
    pub(super) fn count_chunk(
        &mut self,
        audited: usize,
        mut rejected: Vec<RejectedRow>,
        results: &mut [impl RowNumbered],
    ) {
        let rows_before = self.rows_read;
        for r in &mut rejected {
            r.row += rows_before;
        }
        for result in results {
            result.shift_row(rows_before);
        }
        self.rows_read += (audited + rejected.len()) as u64;
        self.rows_audited += audited as u64;
        self.rows_rejected += rejected.len() as u64;
        self.rejected.extend(rejected);
    }

    /// Turns an audited row into a rejected one (an event whose record is unknown).
    pub(super) fn reject(&mut self, row: u64, reason: String) {
        self.rows_audited -= 1;
        self.rows_rejected += 1;
        self.rejected.push(RejectedRow {
            row,
            line: None,
            reason,
        });
    }
}

/// The position of the key column a user named, refusing an ambiguous one.
pub fn key_position(source: &RowSource, key: &str) -> Result<usize, InputError> {
    if source.duplicate_headers.iter().any(|d| d == key) {
        return Err(InputError::at(
            &source.path,
            1,
            1,
            format!(
                "key column `{key}` appears more than once in the header: the key is ambiguous"
            ),
        ));
    }
    source.headers.iter().position(|h| h == key).ok_or_else(|| {
        InputError::at(
            &source.path,
            1,
            1,
            format!(
                "key column `{key}` is not in the header (columns: {})",
                source.headers.join(", ")
            ),
        )
    })
}
