//! The one reader builder every input goes through: format and delimiter
//! sniffing, encodings (UTF-8 with or without BOM, Windows-1252 as Finnish Excel
//! writes it), JSON flattening, and row accounting. Rows arrive in batches of
//! text columns (polars `DataFrame`s), so memory stays bounded by the batch size.

mod csv_source;
mod decode;
mod json_source;
pub mod values;

use crate::error::InputError;
use polars::prelude::{Column, DataFrame, IntoSeries, StringChunkedBuilder};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Input formats regaudit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
    Ndjson,
}

/// Text encodings of CSV input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Encoding {
    /// UTF-16 with a BOM; UTF-8 when the start of the file is UTF-8 (a stray
    /// invalid byte among valid UTF-8 letters rejects its row); else Windows-1252.
    #[default]
    Auto,
    Utf8,
    Windows1252,
    /// UTF-16 (Excel's "Unicode Text"); needs a byte-order mark.
    Utf16,
}

/// How to read one input. `Default` sniffs everything.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    pub format: Option<Format>,
    pub delimiter: Option<u8>,
    pub encoding: Encoding,
    /// Rows per batch; 0 means the default.
    pub batch_rows: usize,
}

pub const DEFAULT_BATCH_ROWS: usize = 65_536;

/// The largest CSV field audited; a row with a larger one is rejected, with its
/// size in the reason. Large enough for any real note, small enough that one
/// runaway field (an unclosed quote in a huge file) cannot exhaust memory twice over.
pub const MAX_FIELD_BYTES: usize = 16 << 20;

/// Where rows come from: a file, or standard input for `--data -`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPath {
    File(PathBuf),
    Stdin,
}

impl InputPath {
    pub fn parse(arg: &Path) -> Self {
        if arg == Path::new("-") {
            InputPath::Stdin
        } else {
            InputPath::File(arg.to_path_buf())
        }
    }

    /// The name used in reports and messages.
    pub fn display_path(&self) -> PathBuf {
        match self {
            InputPath::File(p) => p.clone(),
            InputPath::Stdin => PathBuf::from("<stdin>"),
        }
    }
}

/// A row that could not be audited, with where it was and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RejectedRow {
    /// 1-based data row.
    pub row: u64,
    /// 1-based line in the file where the row starts, when known.
    pub line: Option<u64>,
    pub reason: String,
}

/// A batch of audited rows as text columns, plus the rows rejected while reading it.
pub struct Batch {
    pub frame: DataFrame,
    /// 1-based data-row number of each frame row.
    pub rows: Vec<u64>,
    pub rejected: Vec<RejectedRow>,
}

/// Facts about a source known once it is opened.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SourceInfo {
    pub format: Format,
    pub encoding: &'static str,
    pub delimiter: Option<char>,
}

/// An opened input that yields batches.
pub struct RowSource {
    pub path: PathBuf,
    pub headers: Vec<String>,
    /// Header names that appeared more than once (renamed `name_2`, …).
    pub duplicate_headers: Vec<String>,
    pub info: SourceInfo,
    inner: SourceKind,
    batch_rows: usize,
}

enum SourceKind {
    Csv(csv_source::CsvRows),
    Json(json_source::JsonRows),
}

impl RowSource {
    /// Opens `input` read-only and reads enough to know its format and headers.
    pub fn open(input: &InputPath, options: &ReadOptions) -> Result<RowSource, InputError> {
        let path = input.display_path();
        let reader: Box<dyn Read + Send> = match input {
            InputPath::File(p) => {
                if p.is_dir() {
                    return Err(InputError::new(p, "is a directory, expected a data file"));
                }
                let file = std::fs::File::open(p).map_err(|e| InputError::io(p, &e))?;
                Box::new(file)
            }
            InputPath::Stdin => Box::new(std::io::stdin()),
        };
        RowSource::from_reader(path, reader, options)
    }

    /// Reads rows from any byte stream; `path` names it in reports and errors.
    pub fn from_reader(
        path: PathBuf,
        reader: Box<dyn Read + Send>,
        options: &ReadOptions,
    ) -> Result<RowSource, InputError> {
        let sniffed = decode::Sniffed::read(reader, &path)?;
        let format = options
            .format
            .or_else(|| format_from_extension(&path, &sniffed))
            .unwrap_or_else(|| sniffed.guess_format());
        let batch_rows = if options.batch_rows == 0 {
            DEFAULT_BATCH_ROWS
        } else {
            options.batch_rows
        };
        let (inner, headers, info) = match format {
            Format::Csv => {
                let rows = csv_source::CsvRows::open(sniffed, &path, options)?;
                let info = SourceInfo {
                    format,
                    encoding: rows.encoding,
                    delimiter: Some(rows.delimiter as char),
                };
                let headers = (rows.headers.clone(), rows.duplicates.clone());
                (SourceKind::Csv(rows), headers, info)
            }
            Format::Json | Format::Ndjson => {
                let rows = json_source::JsonRows::open(sniffed, &path, format)?;
                let info = SourceInfo {
                    format: rows.format,
                    encoding: "utf-8",
                    delimiter: None,
                };
                let headers = (rows.headers.clone(), rows.duplicates.clone());
                (SourceKind::Json(rows), headers, info)
            }
        };
        let (headers, duplicate_headers) = headers;
        Ok(RowSource {
            path,
            headers,
            duplicate_headers,
            info,
            inner,
            batch_rows,
        })
    }

    /// Cells holding NUL bytes so far (they can hide values from the rules).
    pub fn nul_cells(&self) -> u64 {
        match &self.inner {
            SourceKind::Csv(rows) => rows.nul_cells,
            SourceKind::Json(_) => 0,
        }
    }

    /// The next batch, or `None` at the end. Structural problems in single rows
    /// are rejections inside the batch; only unreadable files are errors.
    pub fn next_batch(&mut self) -> Result<Option<Batch>, InputError> {
        let mut builder = BatchBuilder::new(&self.headers, self.batch_rows);
        let more = match &mut self.inner {
            SourceKind::Csv(rows) => rows.fill(&mut builder, &self.path)?,
            SourceKind::Json(rows) => rows.fill(&mut builder, &self.path)?,
        };
        if !more && builder.is_empty() {
            return Ok(None);
        }
        Ok(Some(builder.finish(&self.headers)?))
    }
}

/// Batches read on a thread of their own, one batch ahead of the consumer, so
/// parsing the next batch overlaps auditing this one.
pub struct ReadAhead {
    rx: std::sync::mpsc::Receiver<Result<Batch, InputError>>,
    handle: Option<std::thread::JoinHandle<RowSource>>,
}

impl RowSource {
    pub fn read_ahead(mut self) -> ReadAhead {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let handle = std::thread::spawn(move || {
            loop {
                match self.next_batch() {
                    Ok(Some(batch)) => {
                        if tx.send(Ok(batch)).is_err() {
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => {
                        let _ = tx.send(Err(e));
                        break;
                    }
                }
            }
            self
        });
        ReadAhead {
            rx,
            handle: Some(handle),
        }
    }
}

impl ReadAhead {
    pub fn next_batch(&mut self) -> Result<Option<Batch>, InputError> {
        match self.rx.recv() {
            Ok(batch) => batch.map(Some),
            Err(_) => Ok(None),
        }
    }

    /// The source back, once every batch has been read.
    pub fn finish(mut self) -> Option<RowSource> {
        self.handle.take().and_then(|h| h.join().ok())
    }
}

fn format_from_extension(path: &Path, sniffed: &decode::Sniffed) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "tsv" | "txt" => Some(Format::Csv),
        "ndjson" | "jsonl" => Some(Format::Ndjson),
        // `.json` may hold an array or NDJSON; anything else in it is bad JSON, not CSV.
        "json" => Some(match sniffed.guess_format() {
            Format::Ndjson => Format::Ndjson,
            _ => Format::Json,
        }),
        _ => None,
    }
}

/// Collects cells column by column into polars string builders.
pub(crate) struct BatchBuilder {
    columns: Vec<StringChunkedBuilder>,
    rows: Vec<u64>,
    rejected: Vec<RejectedRow>,
    capacity: usize,
}

impl BatchBuilder {
    fn new(headers: &[String], capacity: usize) -> Self {
        BatchBuilder {
            columns: headers
                .iter()
                .map(|h| StringChunkedBuilder::new(h.as_str().into(), capacity.min(4096)))
                .collect(),
            rows: Vec::with_capacity(capacity.min(4096)),
            rejected: Vec::new(),
            capacity,
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.rows.len() + self.rejected.len() >= self.capacity
    }

    fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.rejected.is_empty()
    }

    /// Appends one audited row; `cell(i)` gives column i (empty means null).
    pub(crate) fn push_row<'a>(&mut self, row: u64, cell: impl Fn(usize) -> Option<&'a str>) {
        for (i, column) in self.columns.iter_mut().enumerate() {
            // Cells are stored trimmed, blank ones as nulls, so rules never see padding.
            match cell(i).map(values::trim_cell) {
                Some(v) if !v.is_empty() => column.append_value(v),
                _ => column.append_null(),
            }
        }
        self.rows.push(row);
    }

    pub(crate) fn reject(&mut self, row: u64, line: Option<u64>, reason: String) {
        self.rejected.push(RejectedRow { row, line, reason });
    }

    fn finish(self, headers: &[String]) -> Result<Batch, InputError> {
        let height = self.rows.len();
        let columns: Vec<Column> = self
            .columns
            .into_iter()
            .map(|b| Column::from(b.finish().into_series()))
            .collect();
        let frame = DataFrame::new(height, columns).map_err(|e| {
            InputError::new(
                Path::new(headers.first().map(String::as_str).unwrap_or("")),
                format!("internal: cannot build a frame: {e}"),
            )
        })?;
        Ok(Batch {
            frame,
            rows: self.rows,
            rejected: self.rejected,
        })
    }
}

/// Makes header names unique and non-empty: `Nimi`, `Nimi` → `Nimi`, `Nimi_2`;
/// an empty header becomes `column_N`. Returns the names and the duplicates seen.
pub(crate) fn unique_headers(raw: Vec<String>) -> (Vec<String>, Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    let mut duplicates = Vec::new();
    let mut out = Vec::with_capacity(raw.len());
    for (i, name) in raw.into_iter().enumerate() {
        let name = name.trim().to_string();
        let base = if name.is_empty() {
            format!("column_{}", i + 1)
        } else {
            name
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while !seen.insert(candidate.clone()) {
            if n == 2 {
                duplicates.push(base.clone());
            }
            candidate = format!("{base}_{n}");
            n += 1;
        }
        out.push(candidate);
    }
    (out, duplicates)
}
