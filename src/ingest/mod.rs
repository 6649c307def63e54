//! The one reader builder every input goes through: format and delimiter
//! sniffing, encodings (UTF-8 with or without BOM, Windows-1252 as Finnish Excel
//! writes it), JSON flattening, and row accounting. Rows arrive in chunks of
//! whole records that any thread can parse and visit (`Chunk::visit`), so
//! memory stays bounded by the chunks in flight and parsing uses every core.
//! Workbooks (XLSX, ODS), Parquet files and SQL tables produce the same chunks
//! of text cells, so every rule sees their rows as it sees a CSV export's.

mod csv_source;
mod decode;
mod dialect;
mod json_source;
mod names;
mod parquet_source;
mod parsed;
mod split;
pub mod sql;
mod streamed;
mod workbook;

pub use workbook::expand_sheets;

pub use dialect::{open_decoded, DecodedInput, Dialect};

use crate::error::InputError;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Input formats regaudit reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Csv,
    Json,
    Ndjson,
    Xlsx,
    Ods,
    Parquet,
    Postgres,
    Mysql,
    Sqlite,
}

/// Text encodings of CSV input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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
    /// Rows per chunk (records handed to one thread); 0 means the default.
    pub batch_rows: usize,
    /// The workbook sheet to read; each non-empty sheet when absent.
    pub sheet: Option<String>,
}

pub const DEFAULT_BATCH_ROWS: usize = 16_384;

/// The largest CSV field audited; a row with a larger one is rejected, with its
/// size in the reason. Large enough for any real note, small enough that one
/// runaway field (an unclosed quote in a huge file) cannot exhaust memory twice over.
pub const MAX_FIELD_BYTES: usize = 16 << 20;

/// Where rows come from: a file (or a folder of Parquet files), standard
/// input for `--data -`, or a table or query of a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPath {
    File(PathBuf),
    Stdin,
    Database(sql::DatabaseSource),
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
            InputPath::Database(db) => PathBuf::from(db.display_name()),
        }
    }
}

/// A row that could not be audited, with where it was and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub struct RejectedRow {
    /// 1-based data row.
    pub row: u64,
    /// 1-based line in the file where the row starts, when known.
    pub line: Option<u64>,
    pub reason: String,
}

/// Where a chunk's rows go. Row numbers count from 1 within the chunk (the
/// engine adds the rows of the chunks before); cells are trimmed, blank ones `None`.
pub trait RowVisitor {
    fn row(&mut self, row: u64, cells: &[Option<&str>]);
    fn reject(&mut self, rejected: RejectedRow);
    /// The 1-based line of the file where the row passed to the next `row`
    /// call starts (a CSV header, quoted line breaks and blank lines make it
    /// differ from the row number). Called just before `row`; visitors that
    /// place findings in the file keep it.
    fn line(&mut self, _line: u64) {}
}

/// What visiting a chunk counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChunkCounts {
    /// Rows audited or rejected.
    pub rows: u64,
    /// Cells holding NUL bytes (they can hide values from the rules).
    pub nul_cells: u64,
}

impl std::ops::AddAssign for ChunkCounts {
    fn add_assign(&mut self, other: ChunkCounts) {
        self.rows += other.rows;
        self.nul_cells += other.nul_cells;
    }
}

/// A run of consecutive rows of one input, read but not yet parsed (CSV) or
/// parsed (JSON). Chunks are independent: they can be visited on any thread.
pub struct Chunk(ChunkKind);

enum ChunkKind {
    Csv(csv_source::CsvChunk),
    Parsed(parsed::ParsedChunk, usize),
}

impl Chunk {
    pub fn visit(&self, visitor: &mut impl RowVisitor) -> Result<ChunkCounts, InputError> {
        match &self.0 {
            ChunkKind::Csv(chunk) => chunk.visit(visitor),
            ChunkKind::Parsed(rows, width) => Ok(parsed::visit(rows, *width, visitor)),
        }
    }
}

/// Adds a fixed number to the row numbers a visitor sees.
struct Offset<'a, V> {
    rows_before: u64,
    inner: &'a mut V,
}

impl<V: RowVisitor> RowVisitor for Offset<'_, V> {
    fn row(&mut self, row: u64, cells: &[Option<&str>]) {
        self.inner.row(self.rows_before + row, cells);
    }

    fn reject(&mut self, mut rejected: RejectedRow) {
        rejected.row += self.rows_before;
        self.inner.reject(rejected);
    }

    fn line(&mut self, line: u64) {
        self.inner.line(line);
    }
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
    /// Rows handed out in chunks so far.
    rows_before: u64,
    /// Bytes read from the file so far (read-ahead included), for progress.
    pub bytes_read: Arc<AtomicU64>,
    /// The file's size, when it is a file.
    pub bytes_total: Option<u64>,
    /// A database table's single-column primary key: the record key when none is mapped.
    pub primary_key: Option<String>,
}

/// Counts the bytes read through it.
struct Counted {
    inner: Box<dyn Read + Send>,
    count: Arc<AtomicU64>,
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

enum SourceKind {
    Csv(csv_source::CsvRows),
    Parsed(Box<dyn parsed::ParsedRows>),
}

impl RowSource {
    /// Opens `input` read-only and reads enough to know its format and headers.
    pub fn open(input: &InputPath, options: &ReadOptions) -> Result<RowSource, InputError> {
        let path = input.display_path();
        match input {
            InputPath::Database(db) => return sql::open(db, options),
            InputPath::File(p) if parquet_source::is_parquet(p, options) => {
                return parquet_source::open(p, options)
            }
            InputPath::File(p) if workbook::is_workbook(p, options) => {
                return workbook::open(p, options)
            }
            _ => {}
        }
        let reader: Box<dyn Read + Send> = match input {
            InputPath::Database(_) => unreachable!("databases are opened above"),
            InputPath::File(p) => {
                if p.is_dir() {
                    return Err(InputError::new(p, "is a directory, expected a data file"));
                }
                let file = std::fs::File::open(p).map_err(|e| InputError::io(p, &e))?;
                Box::new(file)
            }
            InputPath::Stdin => Box::new(std::io::stdin()),
        };
        let count = Arc::new(AtomicU64::new(0));
        let counted = Counted {
            inner: reader,
            count: Arc::clone(&count),
        };
        let mut source = RowSource::from_reader(path, Box::new(counted), options)?;
        source.bytes_read = count;
        source.bytes_total = match input {
            InputPath::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
            InputPath::Stdin | InputPath::Database(_) => None,
        };
        Ok(source)
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
            Format::Xlsx | Format::Ods | Format::Parquet => {
                return Err(InputError::new(
                    &path,
                    format!(
                        "{} input is read from a file, not from standard input",
                        format.name()
                    ),
                ))
            }
            Format::Postgres | Format::Mysql | Format::Sqlite => {
                return Err(InputError::new(
                    &path,
                    "a database is named by a URL (postgres://, mysql://, sqlite://)",
                ))
            }
            Format::Csv => {
                let rows = csv_source::CsvRows::open(sniffed, &path, options)?;
                let info = SourceInfo {
                    format,
                    encoding: rows.encoding,
                    delimiter: Some(rows.delimiter as char),
                };
                let headers = (rows.headers.to_vec(), rows.duplicates.clone());
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
                (SourceKind::Parsed(Box::new(rows)), headers, info)
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
            rows_before: 0,
            bytes_read: Arc::default(),
            bytes_total: None,
            primary_key: None,
        })
    }

    /// A source that parses its own rows; `raw_headers` are made unique here.
    fn parsed(
        path: PathBuf,
        raw_headers: Vec<String>,
        format: Format,
        rows: Box<dyn parsed::ParsedRows>,
        options: &ReadOptions,
    ) -> RowSource {
        let (headers, duplicate_headers) = unique_headers(raw_headers);
        RowSource {
            path,
            headers,
            duplicate_headers,
            info: SourceInfo {
                format,
                encoding: "utf-8",
                delimiter: None,
            },
            inner: SourceKind::Parsed(rows),
            batch_rows: batch_rows(options),
            rows_before: 0,
            bytes_read: Arc::default(),
            bytes_total: None,
            primary_key: None,
        }
    }

    /// The next chunk of up to `batch_rows` rows, or `None` at the end.
    /// Structural problems in single rows are rejections inside the chunk;
    /// only unreadable files are errors.
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, InputError> {
        let chunk = match &mut self.inner {
            SourceKind::Csv(rows) => rows
                .next_chunk(self.batch_rows, &self.path)?
                .map(ChunkKind::Csv),
            SourceKind::Parsed(rows) => rows
                .next_chunk(self.batch_rows)?
                .map(|chunk| ChunkKind::Parsed(chunk, self.headers.len())),
        };
        Ok(chunk.map(Chunk))
    }

    /// Visits every remaining row on this thread, numbered from 1 for the
    /// input's first data row.
    pub fn visit_all(&mut self, visitor: &mut impl RowVisitor) -> Result<ChunkCounts, InputError> {
        let mut total = ChunkCounts::default();
        while let Some(chunk) = self.next_chunk()? {
            let mut offset = Offset {
                rows_before: self.rows_before,
                inner: visitor,
            };
            let counts = chunk.visit(&mut offset)?;
            self.rows_before += counts.rows;
            total += counts;
        }
        Ok(total)
    }

    /// Reads chunks on a thread of its own, a few ahead of the consumer, so
    /// reading overlaps auditing.
    pub fn read_ahead(mut self, ahead: usize) -> ReadAhead {
        let (tx, rx) = std::sync::mpsc::sync_channel(ahead.max(1));
        std::thread::spawn(move || loop {
            match self.next_chunk() {
                Ok(Some(chunk)) => {
                    if tx.send(Ok(chunk)).is_err() {
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tx.send(Err(e));
                    break;
                }
            }
        });
        ReadAhead { rx }
    }
}

/// Chunks read on another thread, in input order.
pub struct ReadAhead {
    rx: std::sync::mpsc::Receiver<Result<Chunk, InputError>>,
}

impl ReadAhead {
    pub fn next_chunk(&mut self) -> Result<Option<Chunk>, InputError> {
        match self.rx.recv() {
            Ok(chunk) => chunk.map(Some),
            Err(_) => Ok(None),
        }
    }
}

/// Rows per chunk: the option's, or the default.
fn batch_rows(options: &ReadOptions) -> usize {
    if options.batch_rows == 0 {
        DEFAULT_BATCH_ROWS
    } else {
        options.batch_rows
    }
}

fn format_from_extension(path: &Path, sniffed: &decode::Sniffed) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" | "tsv" | "txt" => Some(Format::Csv),
        "ndjson" | "jsonl" => Some(Format::Ndjson),
        "parquet" => Some(Format::Parquet),
        "xlsx" | "xlsm" | "xlsb" | "xls" => Some(Format::Xlsx),
        "ods" => Some(Format::Ods),
        // `.json` may hold an array or NDJSON; anything else in it is bad JSON, not CSV.
        "json" => Some(match sniffed.guess_format() {
            Format::Ndjson => Format::Ndjson,
            _ => Format::Json,
        }),
        _ => None,
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
