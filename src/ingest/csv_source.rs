//! CSV rows: delimiter sniffed, encodings decoded, ragged and undecodable rows
//! rejected with their line, never dropped. The input is cut into chunks of
//! whole records (`split`) that are parsed where they are audited, so parsing
//! runs on every core.

use super::decode::{encoding_name, sniff_delimiter, Sniffed};
use super::split::{line_ends, RawChunk, Splitter};
use super::{unique_headers, ChunkCounts, Encoding, ReadOptions, RejectedRow, RowVisitor};
use crate::error::InputError;
use crate::mask::mask_embedded;
use crate::values::trim_cell;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

pub(crate) struct CsvRows {
    splitter: Splitter<Box<dyn Read + Send>>,
    /// Records read along with the header (a file whose lines end in a bare
    /// `\r` is one chunk): handed out before the splitter's next chunk.
    after_header: Option<RawChunk>,
    pub headers: Arc<[String]>,
    pub duplicates: Vec<String>,
    pub delimiter: u8,
    pub encoding: &'static str,
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
                        format!(
                            "invalid UTF-8 (try --encoding {})",
                            Encoding::Windows1252.name()
                        ),
                    ));
                }
            }
        }
        let mut splitter = Splitter::new(sniffed.into_utf8_reader(encoding), delimiter);
        // The header is the first record; blank lines before it are skipped.
        let (header, after_header) = loop {
            let chunk = splitter
                .next_chunk(1)
                .map_err(|e| InputError::io(path, &e))?
                .ok_or_else(|| InputError::new(path, "empty file: no header row"))?;
            let mut reader = reader_for(&chunk.bytes, delimiter);
            let mut header = csv::ByteRecord::new();
            if reader
                .read_byte_record(&mut header)
                .map_err(|e| csv_error(path, e))?
            {
                let consumed = reader.position().byte() as usize;
                let rest = (consumed < chunk.bytes.len()).then(|| RawChunk {
                    first_line: chunk.first_line + line_ends(&chunk.bytes, 0..consumed),
                    bytes: chunk.bytes[consumed..].to_vec(),
                    unclosed_quote: chunk.unclosed_quote,
                });
                break (header, rest);
            }
        };
        let mut names = Vec::with_capacity(header.len());
        for (i, field) in header.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(s) => names.push(s.to_string()),
                Err(_) => {
                    return Err(InputError::at(
                        path,
                        1,
                        i as u64 + 1,
                        format!(
                            "header is not valid UTF-8 (try --encoding {})",
                            Encoding::Windows1252.name()
                        ),
                    ))
                }
            }
        }
        let (headers, duplicates) = unique_headers(names);
        Ok(CsvRows {
            splitter,
            after_header,
            headers: headers.into(),
            duplicates,
            delimiter,
            encoding: encoding_label,
        })
    }

    /// The next chunk of up to `rows` records, still unparsed.
    pub fn next_chunk(&mut self, rows: usize, path: &Path) -> Result<Option<CsvChunk>, InputError> {
        let raw = match self.after_header.take() {
            Some(raw) => Some(raw),
            None => self
                .splitter
                .next_chunk(rows)
                .map_err(|e| InputError::io(path, &e))?,
        };
        Ok(raw.map(|raw| CsvChunk {
            raw,
            delimiter: self.delimiter,
            headers: Arc::clone(&self.headers),
            path: path.into(),
        }))
    }
}

fn reader_for(bytes: &[u8], delimiter: u8) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(bytes)
}

/// Whole CSV records cut from the input, parsed when visited.
pub(crate) struct CsvChunk {
    raw: RawChunk,
    delimiter: u8,
    headers: Arc<[String]>,
    path: Arc<Path>,
}

impl CsvChunk {
    /// Parses the chunk's records: rows of the header's width with valid UTF-8
    /// go to `visitor.row`; any other row is rejected with its line and why.
    pub fn visit(&self, visitor: &mut impl RowVisitor) -> Result<ChunkCounts, InputError> {
        let bytes = &self.raw.bytes[..];
        let width = self.headers.len();
        let mut reader = reader_for(bytes, self.delimiter);
        let mut lines = LineCounter::new(bytes, self.raw.first_line);
        let mut record = csv::ByteRecord::new();
        // The cell buffer outlives each record it borrows from: it is emptied
        // and handed back between records, keeping its allocation.
        let mut spare: Vec<Option<&'static str>> = Vec::with_capacity(width);
        let mut counts = ChunkCounts::default();
        while reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(&self.path, e))?
        {
            counts.rows += 1;
            let row = counts.rows;
            let start = record.position().map_or(0, |p| p.byte() as usize);
            let mut reject = |reason: String| {
                visitor.reject(RejectedRow {
                    row,
                    line: Some(lines.line_at(start)),
                    reason,
                })
            };
            // A field that swallowed line breaks up to the end of the input
            // was never closed.
            let is_last = reader.position().byte() as usize >= bytes.len();
            if self.raw.unclosed_quote && is_last && record.iter().any(|f| f.contains(&b'\n')) {
                reject(
                    "unclosed quote: the field runs to the end of the file, swallowing the lines after it"
                        .to_string(),
                );
                continue;
            }
            if record.len() != width {
                let spans_lines = record.iter().any(|f| f.contains(&b'\n'));
                let hint = if spans_lines {
                    " (an unclosed quote?)"
                } else {
                    ""
                };
                reject(format!(
                    "expected {width} fields, found {}{hint}",
                    record.len()
                ));
                continue;
            }
            if let Some(big) = (0..width).find(|&i| record[i].len() > super::MAX_FIELD_BYTES) {
                reject(format!(
                    "field {} (`{}`) is {} bytes, over the {} MiB limit per field",
                    big + 1,
                    self.headers[big],
                    record[big].len(),
                    super::MAX_FIELD_BYTES >> 20
                ));
                continue;
            }
            // One UTF-8 check for the whole record; fields are then slices of it.
            // A field that ends or starts inside a character (bytes that are valid
            // only when glued to the next field) fails the boundary check.
            let whole = std::str::from_utf8(record.as_slice()).ok().filter(|text| {
                (0..width).all(|i| record.range(i).is_some_and(|r| text.get(r).is_some()))
            });
            let Some(text) = whole else {
                let bad = (0..width)
                    .find(|&i| std::str::from_utf8(&record[i]).is_err())
                    .unwrap_or(0);
                reject(format!(
                    "field {} (`{}`) is not valid UTF-8: {}",
                    bad + 1,
                    self.headers[bad],
                    mask_embedded(&String::from_utf8_lossy(&record[bad]))
                ));
                continue;
            };
            if text.contains('\0') {
                counts.nul_cells += record.iter().filter(|f| f.contains(&0)).count() as u64;
            }
            let mut cells = recycle(std::mem::take(&mut spare));
            cells.extend((0..width).map(|i| {
                // Cells are trimmed, blank ones `None`, so rules never see padding.
                record
                    .range(i)
                    .and_then(|r| text.get(r))
                    .map(trim_cell)
                    .filter(|v| !v.is_empty())
            }));
            visitor.line(lines.line_at(start));
            visitor.row(row, &cells);
            spare = recycle(cells);
        }
        Ok(counts)
    }
}

/// An emptied vector of cells with a new lifetime, in the same allocation
/// (collecting a mapped `Vec` into one of the same layout reuses it).
fn recycle<'b>(mut cells: Vec<Option<&str>>) -> Vec<Option<&'b str>> {
    cells.clear();
    cells.into_iter().map(|_| None).collect()
}

/// Lines of a chunk, counted incrementally (one `memchr` pass over the chunk).
struct LineCounter<'a> {
    bytes: &'a [u8],
    counted: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(bytes: &'a [u8], first_line: u64) -> Self {
        LineCounter {
            bytes,
            counted: 0,
            line: first_line,
        }
    }

    /// The line where a record reported at `offset` starts; offsets must not
    /// decrease. The parser reports a record from the end of the one before,
    /// so line ends (and blank lines) right at `offset` are skipped: `\n`,
    /// `\r\n` and a bare `\r`, which the parser also takes for a line end.
    fn line_at(&mut self, mut offset: usize) -> u64 {
        while matches!(self.bytes.get(offset), Some(b'\n' | b'\r')) {
            offset += 1;
        }
        let offset = offset.min(self.bytes.len()).max(self.counted);
        self.line += line_ends(self.bytes, self.counted..offset);
        self.counted = offset;
        self.line
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
