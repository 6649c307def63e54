//! CSV rows: delimiter sniffed, encodings decoded, ragged and undecodable rows
//! rejected with their line, never dropped.

use super::decode::{encoding_name, sniff_delimiter, Sniffed};
use super::{unique_headers, BatchBuilder, Encoding, ReadOptions};
use crate::error::InputError;
use crate::mask::mask_embedded;
use std::io::Read;
use std::path::Path;

pub(crate) struct CsvRows {
    reader: csv::Reader<Box<dyn Read + Send>>,
    pub headers: Vec<String>,
    pub delimiter: u8,
    pub encoding: &'static str,
    record: csv::ByteRecord,
    next_row: u64,
}

impl CsvRows {
    pub fn open(sniffed: Sniffed, path: &Path, options: &ReadOptions) -> Result<Self, InputError> {
        let encoding = sniffed.resolve_encoding(options.encoding);
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| sniff_delimiter(&sniffed.head_text(encoding)));
        let encoding_label = encoding_name(encoding, sniffed.has_bom());
        if encoding == Encoding::Utf8 && options.encoding == Encoding::Utf8 {
            if let Err(e) = std::str::from_utf8(&sniffed.head) {
                if e.error_len().is_some() {
                    let (line, column) = line_col_of(&sniffed.head, e.valid_up_to());
                    return Err(InputError::at(
                        path,
                        line,
                        column,
                        "invalid UTF-8 (try --encoding windows-1252)",
                    ));
                }
            }
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(sniffed.into_utf8_reader(encoding));
        let mut header = csv::ByteRecord::new();
        let has_header = reader
            .read_byte_record(&mut header)
            .map_err(|e| csv_error(path, e))?;
        if !has_header {
            return Err(InputError::new(path, "empty file: no header row"));
        }
        let mut names = Vec::with_capacity(header.len());
        for (i, field) in header.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(s) => names.push(s.to_string()),
                Err(_) => {
                    return Err(InputError::at(
                        path,
                        1,
                        i as u64 + 1,
                        "header is not valid UTF-8 (try --encoding windows-1252)",
                    ))
                }
            }
        }
        let (headers, _duplicates) = unique_headers(names);
        Ok(CsvRows {
            reader,
            headers,
            delimiter,
            encoding: encoding_label,
            record: csv::ByteRecord::new(),
            next_row: 1,
        })
    }

    /// Reads rows into `batch` until it is full; returns whether more may follow.
    pub fn fill(&mut self, batch: &mut BatchBuilder, path: &Path) -> Result<bool, InputError> {
        let width = self.headers.len();
        while !batch.is_full() {
            let more = self
                .reader
                .read_byte_record(&mut self.record)
                .map_err(|e| csv_error(path, e))?;
            if !more {
                return Ok(false);
            }
            let row = self.next_row;
            self.next_row += 1;
            let line = self.record.position().map(|p| p.line());
            if self.record.len() != width {
                let spans_lines = self.record.iter().any(|f| f.contains(&b'\n'));
                let hint = if spans_lines {
                    " (an unclosed quote?)"
                } else {
                    ""
                };
                batch.reject(
                    row,
                    line,
                    format!("expected {width} fields, found {}{hint}", self.record.len()),
                );
                continue;
            }
            if let Some(bad) = (0..width).find(|&i| std::str::from_utf8(&self.record[i]).is_err()) {
                batch.reject(
                    row,
                    line,
                    format!(
                        "field {} (`{}`) is not valid UTF-8: {}",
                        bad + 1,
                        self.headers[bad],
                        mask_embedded(&String::from_utf8_lossy(&self.record[bad]))
                    ),
                );
                continue;
            }
            let record = &self.record;
            // Checked above: every field is valid UTF-8.
            batch.push_row(row, |i| std::str::from_utf8(&record[i]).ok());
        }
        Ok(true)
    }
}

fn csv_error(path: &Path, err: csv::Error) -> InputError {
    match err.position() {
        Some(pos) => InputError::at(path, pos.line(), 1, err.to_string()),
        None => InputError::new(path, format!("cannot read CSV: {err}")),
    }
}

fn line_col_of(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
}
