//! CSV rows: delimiter sniffed, encodings decoded, ragged and undecodable rows
//! rejected with their line, never dropped.

use super::decode::{encoding_name, sniff_delimiter, Sniffed};
use super::{unique_headers, BatchBuilder, Encoding, ReadOptions};
use crate::error::InputError;
use crate::mask::mask_embedded;
use std::collections::VecDeque;
use std::io::Read;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// What the line tracker has seen of the stream the CSV parser reads.
#[derive(Default)]
struct Seen {
    offset: u64,
    /// Byte offsets of newlines not yet passed by the parser, and whether a
    /// carriage return stands right before each.
    newlines: VecDeque<(u64, bool)>,
    previous: u8,
    /// Lines wholly before the first offset in `newlines`.
    lines_before: u64,
    /// The last byte that is not white space: a `"` there means the final
    /// quoted field was closed.
    last_non_space: u8,
}

/// Wraps the parser's input to number lines exactly (the csv crate's own line
/// count drifts on CRLF and blank lines) and to notice an unclosed final quote.
struct LineTracker<R> {
    inner: R,
    seen: Arc<Mutex<Seen>>,
}

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let chunk = &buf[..n];
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let base = seen.offset;
        let mut previous = seen.previous;
        let mut start = 0;
        while let Some(i) = chunk[start..].iter().position(|&b| b == b'\n') {
            let at = start + i;
            let before = if at == 0 { previous } else { chunk[at - 1] };
            seen.newlines.push_back((base + at as u64, before == b'\r'));
            start = at + 1;
        }
        if let Some(&last) = chunk.iter().rev().find(|b| !b.is_ascii_whitespace()) {
            seen.last_non_space = last;
        }
        if let Some(&last) = chunk.last() {
            previous = last;
        }
        seen.previous = previous;
        seen.offset += n as u64;
        Ok(n)
    }
}

impl Seen {
    /// The 1-based line where a record reported at `offset` starts; offsets
    /// must not decrease. The parser reports a record from the end of the one
    /// before, so line breaks (and blank lines) right at `offset` are skipped.
    fn line_at(&mut self, mut offset: u64) -> u64 {
        loop {
            match self.newlines.front() {
                Some(&(nl, _)) if nl < offset => {}
                Some(&(nl, _)) if nl == offset => offset += 1,
                Some(&(nl, true)) if nl == offset + 1 => offset += 2,
                _ => break,
            }
            self.newlines.pop_front();
            self.lines_before += 1;
        }
        self.lines_before + 1
    }
}

pub(crate) struct CsvRows {
    reader: csv::Reader<LineTracker<Box<dyn Read + Send>>>,
    seen: Arc<Mutex<Seen>>,
    pub headers: Vec<String>,
    pub duplicates: Vec<String>,
    pub nul_cells: u64,
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
        let seen = Arc::new(Mutex::new(Seen::default()));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(LineTracker {
                inner: sniffed.into_utf8_reader(encoding),
                seen: Arc::clone(&seen),
            });
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
        let (headers, duplicates) = unique_headers(names);
        Ok(CsvRows {
            reader,
            seen,
            headers,
            duplicates,
            nul_cells: 0,
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
            let (line, unclosed_quote) = {
                let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
                let line = self.record.position().map(|p| seen.line_at(p.byte()));
                // A field that swallowed line breaks up to the end of the input,
                // which does not end in a closing quote, was never closed.
                let at_end = self.record.position().is_some_and(|p| {
                    p.byte() + record_len(&self.record) >= seen.offset.saturating_sub(2)
                });
                let unclosed = at_end
                    && seen.last_non_space != b'"'
                    && self.record.iter().any(|f| f.contains(&b'\n'));
                (line, unclosed)
            };
            if unclosed_quote {
                batch.reject(
                    row,
                    line,
                    "unclosed quote: the field runs to the end of the file, swallowing the lines after it"
                        .to_string(),
                );
                continue;
            }
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
            if let Some(big) = (0..width).find(|&i| self.record[i].len() > super::MAX_FIELD_BYTES) {
                batch.reject(
                    row,
                    line,
                    format!(
                        "field {} (`{}`) is {} bytes, over the {} MiB limit per field",
                        big + 1,
                        self.headers[big],
                        self.record[big].len(),
                        super::MAX_FIELD_BYTES >> 20
                    ),
                );
                continue;
            }
            // One UTF-8 check for the whole record; fields are then slices of it.
            // A field that ends or starts inside a character (bytes that are valid
            // only when glued to the next field) fails the boundary check.
            let whole = std::str::from_utf8(self.record.as_slice())
                .ok()
                .filter(|text| {
                    (0..width).all(|i| self.record.range(i).is_some_and(|r| text.get(r).is_some()))
                });
            let Some(text) = whole else {
                let bad = (0..width)
                    .find(|&i| std::str::from_utf8(&self.record[i]).is_err())
                    .unwrap_or(0);
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
            };
            if text.contains('\0') {
                self.nul_cells += self.record.iter().filter(|f| f.contains(&0)).count() as u64;
            }
            let record = &self.record;
            batch.push_row(row, |i| record.range(i).and_then(|r| text.get(r)));
        }
        Ok(true)
    }
}

/// Bytes a record's fields take, a lower bound on its length in the input.
fn record_len(record: &csv::ByteRecord) -> u64 {
    record.iter().map(|f| f.len() as u64 + 1).sum()
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
