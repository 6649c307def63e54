//! Rows already parsed into text cells, as JSON, workbooks, Parquet and SQL
//! sources produce them. One chunk type and one visit for all of them, so
//! every source numbers, trims and rejects rows the same way.

use super::{ChunkCounts, RejectedRow, RowVisitor};
use crate::error::InputError;
use crate::values::trim_cell;

pub(crate) struct ParsedRow {
    /// (column index, text) for every non-null value.
    pub cells: Vec<(usize, String)>,
    /// 1-based line of the file (or sheet row, or row of the table) where the row starts.
    pub line: u64,
}

/// A chunk of parsed rows or rejections, in input order.
pub(crate) type ParsedChunk = Vec<Result<ParsedRow, RejectedRow>>;

/// A source that parses its rows itself (every format but CSV).
pub(crate) trait ParsedRows: Send {
    /// The next up to `rows` rows, or `None` at the end.
    fn next_chunk(&mut self, rows: usize) -> Result<Option<ParsedChunk>, InputError>;
}

/// Hands parsed rows to `visitor`, numbered from 1 within the chunk (rows are
/// numbered consecutively, so the position is the number).
pub(crate) fn visit(
    rows: &[Result<ParsedRow, RejectedRow>],
    width: usize,
    visitor: &mut impl RowVisitor,
) -> ChunkCounts {
    let mut cells: Vec<Option<&str>> = vec![None; width];
    for (i, next) in rows.iter().enumerate() {
        let row = i as u64 + 1;
        match next {
            Ok(parsed) => {
                cells.iter_mut().for_each(|c| *c = None);
                for (column, text) in &parsed.cells {
                    let text = trim_cell(text);
                    if !text.is_empty() {
                        cells[*column] = Some(text);
                    }
                }
                visitor.line(parsed.line);
                visitor.row(row, &cells);
            }
            Err(rejected) => visitor.reject(RejectedRow {
                row,
                ..rejected.clone()
            }),
        }
    }
    ChunkCounts {
        rows: rows.len() as u64,
        nul_cells: 0,
    }
}
