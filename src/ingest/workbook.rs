//! Excel (XLSX, and XLS/XLSB) and OpenDocument (ODS) workbooks, read with
//! calamine. A sheet is read the way a person reads it: title rows above the
//! header are skipped (a merged title is one cell, so it never looks like a
//! header), blank rows are not rows, cells are text as the sheet shows them,
//! and a date column's serial numbers become ISO dates. Findings keep the
//! sheet's own row numbers (`line`), so a user can jump to them.
//!
//! A sheet is read into memory whole (calamine's model); workbooks are small
//! next to the CSV and database sources, which stream.

use super::parsed::{ParsedChunk, ParsedRow, ParsedRows};
use super::{Format, InputError, InputPath, ReadOptions, RejectedRow, RowSource};
use crate::columns::vocabulary;
use calamine::{open_workbook_auto, Data, ExcelDateTime, ExcelDateTimeType, Range, Reader};
use std::path::{Path, PathBuf};

/// Whether `path` is read as a workbook: the format asked for or its extension.
pub(crate) fn is_workbook(path: &Path, options: &ReadOptions) -> bool {
    match options.format {
        Some(Format::Xlsx | Format::Ods) => true,
        Some(_) => false,
        None => workbook_format(path).is_some(),
    }
}

fn workbook_format(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" => Some(Format::Xlsx),
        "ods" => Some(Format::Ods),
        _ => None,
    }
}

/// The sheets a workbook input stands for when no sheet is chosen: each
/// sheet holding any cell, in workbook order. `None` for other inputs and for
/// a workbook whose sheet is already chosen.
pub fn expand_sheets(
    input: &InputPath,
    options: &ReadOptions,
) -> Result<Option<Vec<String>>, InputError> {
    let InputPath::File(path) = input else {
        return Ok(None);
    };
    if options.sheet.is_some() || !is_workbook(path, options) {
        return Ok(None);
    }
    let mut book = open_book(path)?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| InputError::new(path, format!("sheet `{name}`: {e}")))?;
        if range.used_cells().any(|(_, _, c)| !is_blank(c)) {
            sheets.push(name);
        }
    }
    if sheets.is_empty() {
        return Err(InputError::new(
            path,
            "every sheet of the workbook is empty",
        ));
    }
    Ok(Some(sheets))
}

fn open_book(
    path: &Path,
) -> Result<calamine::Sheets<std::io::BufReader<std::fs::File>>, InputError> {
    if !path.is_file() {
        let err = std::fs::File::open(path)
            .err()
            .unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::InvalidInput, "not a file"));
        return Err(InputError::io(path, &err));
    }
    open_workbook_auto(path)
        .map_err(|e| InputError::new(path, format!("not a readable workbook: {e}")))
}

pub(crate) fn open(path: &Path, options: &ReadOptions) -> Result<RowSource, InputError> {
    let mut book = open_book(path)?;
    let names = book.sheet_names();
    let sheet = match &options.sheet {
        Some(sheet) => {
            if !names.iter().any(|n| n == sheet) {
                return Err(InputError::new(
                    path,
                    format!("no sheet `{sheet}`; the sheets are: {}", names.join(", ")),
                ));
            }
            sheet.clone()
        }
        None => names
            .first()
            .cloned()
            .ok_or_else(|| InputError::new(path, "the workbook has no sheets"))?,
    };
    let range = book
        .worksheet_range(&sheet)
        .map_err(|e| InputError::new(path, format!("sheet `{sheet}`: {e}")))?;
    // Findings name the sheet: `asiakkaat.xlsx#Asiakkaat`, row numbers its own.
    let shown = PathBuf::from(format!("{}#{sheet}", path.display()));
    let rows = SheetRows::new(range, &shown)?;
    let format = workbook_format(path)
        .or(options.format)
        .unwrap_or(Format::Xlsx);
    let headers = rows.headers.clone();
    Ok(RowSource::parsed(
        shown,
        headers,
        format,
        Box::new(rows),
        options,
    ))
}

struct SheetRows {
    range: Range<Data>,
    headers: Vec<String>,
    /// Per column: its header names a date role, so numbers are serial dates.
    date_columns: Vec<bool>,
    /// The next row to read, relative to the range.
    next: usize,
    /// The sheet's 1-based number of the range's first row.
    first_row: u64,
    first_column: u32,
}

impl SheetRows {
    fn new(range: Range<Data>, shown: &Path) -> Result<Self, InputError> {
        let (first_row, first_column) = range.start().unwrap_or((0, 0));
        let rows: Vec<&[Data]> = range.rows().collect();
        let filled = |row: &[Data]| row.iter().any(|c| !is_blank(c));
        let header_at = (0..rows.len())
            .find(|&i| looks_like_header(rows[i]) && rows[i + 1..].iter().any(|r| filled(r)))
            .or_else(|| (0..rows.len()).find(|&i| filled(rows[i])))
            .ok_or_else(|| InputError::new(shown, "the sheet is empty"))?;
        let header_row = rows[header_at];
        let width = header_row
            .iter()
            .rposition(|c| !is_blank(c))
            .map_or(0, |last| last + 1);
        let headers: Vec<String> = header_row[..width]
            .iter()
            .map(|c| cell_text(c, false).unwrap_or_default())
            .collect();
        let vocabulary = vocabulary();
        let date_columns = headers
            .iter()
            .map(|h| vocabulary.role_for_header(h).is_some_and(|r| r.is_date()))
            .collect();
        Ok(SheetRows {
            headers,
            date_columns,
            next: header_at + 1,
            first_row: u64::from(first_row) + 1,
            first_column,
            range,
        })
    }

    /// The sheet's column letter of a range column (`A`, …, `Z`, `AA`, …).
    fn column_letter(&self, column: usize) -> String {
        let mut n = column + self.first_column as usize + 1;
        let mut letters = Vec::new();
        while n > 0 {
            let rem = (n - 1) % 26;
            letters.push(b'A' + rem as u8);
            n = (n - 1) / 26;
        }
        letters.reverse();
        String::from_utf8(letters).unwrap_or_default()
    }
}

impl ParsedRows for SheetRows {
    fn next_chunk(&mut self, rows: usize) -> Result<Option<ParsedChunk>, InputError> {
        let width = self.headers.len();
        let mut chunk = Vec::with_capacity(rows.max(1));
        // `skip` walks the rows before (calamine's row iterator has no fast
        // `nth`); per chunk that is cheap next to reading the chunk.
        for row in self.range.rows().skip(self.next) {
            if chunk.len() >= rows.max(1) {
                break;
            }
            let line = self.first_row + self.next as u64;
            self.next += 1;
            // Blank rows (trailing ones, spacers) are not rows of the register.
            if row.iter().all(is_blank) {
                continue;
            }
            if let Some(extra) = row[width.min(row.len())..]
                .iter()
                .position(|c| !is_blank(c))
            {
                chunk.push(Err(RejectedRow {
                    row: 0,
                    line: Some(line),
                    reason: format!(
                        "a value in column {}, right of the last header column",
                        self.column_letter(width + extra)
                    ),
                }));
                continue;
            }
            let cells = row[..width.min(row.len())]
                .iter()
                .enumerate()
                .filter_map(|(i, c)| cell_text(c, self.date_columns[i]).map(|t| (i, t)))
                .collect();
            chunk.push(Ok(ParsedRow { cells, line }));
        }
        Ok((!chunk.is_empty()).then_some(chunk))
    }
}

fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A header row: at least two non-empty cells, all of them distinct text.
/// A title (one merged cell, or a title and a date) is not one.
fn looks_like_header(row: &[Data]) -> bool {
    let mut texts = Vec::new();
    for cell in row.iter().filter(|c| !is_blank(c)) {
        match cell {
            Data::String(s) if !texts.contains(&s.trim()) => texts.push(s.trim()),
            _ => return false,
        }
    }
    texts.len() >= 2
}

/// A cell as the sheet shows it, `None` when blank. `date_column`: a number
/// is an Excel serial date (the column's header names a date role).
fn cell_text(cell: &Data, date_column: bool) -> Option<String> {
    Some(match cell {
        Data::Empty => return None,
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::Int(n) if date_column => serial_date(*n as f64).unwrap_or_else(|| n.to_string()),
        Data::Int(n) => n.to_string(),
        Data::Float(x) if date_column => {
            serial_date(*x).unwrap_or_else(|| crate::values::number_text(*x))
        }
        Data::Float(x) => crate::values::number_text(*x),
        Data::DateTime(dt) if dt.is_datetime() => date_text(dt),
        Data::DateTime(dt) => crate::values::number_text(dt.as_f64()),
        // ODS stores dates as ISO text already.
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).replace('T', " "),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    })
}

/// An Excel serial number (1900 date system) as an ISO date, when it is a
/// plausible one (1900-01-01 … 9999-12-31).
fn serial_date(serial: f64) -> Option<String> {
    (1.0..2_958_466.0).contains(&serial).then(|| {
        date_text(&ExcelDateTime::new(
            serial,
            ExcelDateTimeType::DateTime,
            false,
        ))
    })
}

/// `2026-01-31`, or `2026-01-31 12:30:00` when the cell holds a time of day.
fn date_text(dt: &ExcelDateTime) -> String {
    let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{d:02}")
    } else {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
    }
}
