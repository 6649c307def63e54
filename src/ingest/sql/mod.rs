//! SQL databases as register sources: PostgreSQL, MySQL/MariaDB and SQLite.
//! A table or a query is read in a read-only transaction with a server-side
//! cursor (or an unbuffered result), streamed in batches on a thread of its
//! own, so memory stays bounded whatever the table's size. Values become text
//! as a CSV export of the table would hold them. Nothing is ever written.
//!
//! Credentials come from the URL, `REGAUDIT_DB_PASSWORD`, the driver's own
//! variable (`PGPASSWORD`, `MYSQL_PWD`) or a `.pgpass`-style file, and never
//! reach a report, log or error: a source is shown by its redacted name
//! (`postgres://regaudit@127.0.0.1:54329/crm#asiakkaat`) and every driver
//! message is scrubbed of the password before it is shown.

mod credentials;
mod mysql;
mod postgres;
mod sqlite;

use super::parsed::ParsedRow;
use super::streamed::{spawn_stream, Emitter, ProduceError, StreamHeader};
use super::{Format, InputError, ReadOptions, RowSource};
use std::path::{Path, PathBuf};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    Postgres,
    Mysql,
    Sqlite,
}

/// What to read: a whole table, or the rows of a query.
#[derive(Clone, PartialEq, Eq)]
pub enum Target {
    Table(String),
    Query(String),
}

/// A table or query of a database. Holds the URL as given (it may carry a
/// password), so it is never printed: `Debug` and `display_name` redact it.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseSource {
    pub kind: DatabaseKind,
    url: String,
    pub target: Target,
}

impl std::fmt::Debug for DatabaseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.display_name())
    }
}

const SCHEMES: &[(&str, DatabaseKind)] = &[
    ("postgres://", DatabaseKind::Postgres),
    ("postgresql://", DatabaseKind::Postgres),
    ("mysql://", DatabaseKind::Mysql),
    ("mariadb://", DatabaseKind::Mysql),
    ("sqlite://", DatabaseKind::Sqlite),
];

impl DatabaseSource {
    /// Whether a `data` value names a database rather than a file.
    pub fn is_url(data: &str) -> bool {
        SCHEMES.iter().any(|(s, _)| data.starts_with(s))
    }

    /// A source from a URL and `table` or `query` (exactly one). A relative
    /// SQLite path is resolved against `base` (the config's folder). Errors
    /// name the source by its redacted name only.
    pub fn new(
        url: &str,
        table: Option<&str>,
        query: Option<&str>,
        base: &Path,
    ) -> Result<DatabaseSource, String> {
        let (scheme, kind) = SCHEMES
            .iter()
            .find(|(s, _)| url.starts_with(s))
            .copied()
            .ok_or_else(|| "not a database URL (postgres://, mysql://, sqlite://)".to_string())?;
        let url = match kind {
            DatabaseKind::Sqlite => {
                let path = Path::new(&url[scheme.len()..]);
                format!("sqlite://{}", base.join(path).display())
            }
            DatabaseKind::Mysql => format!("mysql://{}", &url[scheme.len()..]),
            DatabaseKind::Postgres => url.to_string(),
        };
        let target = match (table, query) {
            (Some(t), None) if !t.trim().is_empty() => Target::Table(t.trim().to_string()),
            (None, Some(q)) if !q.trim().is_empty() => Target::Query(q.trim().to_string()),
            (Some(_), Some(_)) => {
                return Err("give `table` or `query` for a database, not both".into())
            }
            _ => return Err("a database source needs `table` or `query`".into()),
        };
        let source = DatabaseSource { kind, url, target };
        if kind != DatabaseKind::Sqlite {
            credentials::Login::parse(&source)?;
        }
        Ok(source)
    }

    /// The URL without its password, and the table (or `query`):
    /// `postgres://regaudit@127.0.0.1:54329/crm#asiakkaat`.
    pub fn display_name(&self) -> String {
        let place = match self.kind {
            DatabaseKind::Sqlite => self.url.clone(),
            _ => credentials::Login::parse(self)
                .map(|l| l.redacted())
                .unwrap_or_else(|_| format!("{}://…", self.scheme())),
        };
        match &self.target {
            Target::Table(t) => format!("{place}#{t}"),
            Target::Query(_) => format!("{place}#query"),
        }
    }

    fn scheme(&self) -> &'static str {
        match self.kind {
            DatabaseKind::Postgres => "postgres",
            DatabaseKind::Mysql => "mysql",
            DatabaseKind::Sqlite => "sqlite",
        }
    }

    /// The URL as given, password included: for the driver only.
    fn url_text(&self) -> &str {
        &self.url
    }

    /// The SQLite file.
    fn sqlite_path(&self) -> PathBuf {
        PathBuf::from(&self.url["sqlite://".len()..])
    }
}

/// Opens the source and reads its columns; rows follow in batches.
pub(crate) fn open(
    source: &DatabaseSource,
    options: &ReadOptions,
) -> Result<RowSource, InputError> {
    let shown = PathBuf::from(source.display_name());
    let batch = super::batch_rows(options);
    let thread_source = source.clone();
    let (header, rows) = spawn_stream(batch, move |emitter| match thread_source.kind {
        DatabaseKind::Postgres => postgres::stream(&thread_source, batch, emitter),
        DatabaseKind::Mysql => mysql::stream(&thread_source, emitter),
        DatabaseKind::Sqlite => sqlite::stream(&thread_source, emitter),
    })?;
    let format = match source.kind {
        DatabaseKind::Postgres => Format::Postgres,
        DatabaseKind::Mysql => Format::Mysql,
        DatabaseKind::Sqlite => Format::Sqlite,
    };
    let mut row_source = RowSource::parsed(shown, header.columns, format, Box::new(rows), options);
    row_source.primary_key = header.primary_key;
    Ok(row_source)
}

/// The error a driver reported, scrubbed of the password and named by the
/// redacted source.
fn failure(source: &DatabaseSource, what: &str, err: impl std::fmt::Display) -> ProduceError {
    let message = credentials::scrub(&format!("{what}: {err}"), source);
    ProduceError::Failed(InputError::new(Path::new(&source.display_name()), message))
}

/// A table name quoted for SQL, part by part (`crm.asiakkaat`), with `quote`
/// as the identifier quote (`"` or `` ` ``).
fn quote_table(table: &str, quote: char) -> String {
    table
        .split('.')
        .map(|part| {
            let doubled = part.replace(quote, &format!("{quote}{quote}"));
            format!("{quote}{doubled}{quote}")
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The statement that reads the target: a table in primary-key order (so row
/// numbers are the same on every run), or the query as given.
fn select_sql(source: &DatabaseSource, primary_key: Option<&str>, quote: char) -> String {
    match &source.target {
        Target::Table(t) => {
            let order = primary_key
                .map(|k| format!(" ORDER BY {}", quote_table(k, quote)))
                .unwrap_or_default();
            format!("SELECT * FROM {}{order}", quote_table(t, quote))
        }
        Target::Query(q) => q.trim_end_matches(';').to_string(),
    }
}

/// Hands one row's text cells on; `line` is its 1-based position in the result.
fn emit(emitter: &mut Emitter, line: u64, cells: Vec<(usize, String)>) -> Result<(), ProduceError> {
    emitter.row(Ok(ParsedRow { cells, line }))?;
    Ok(())
}

fn header(columns: Vec<String>, primary_key: Option<String>) -> StreamHeader {
    StreamHeader {
        columns,
        primary_key,
    }
}

/// Bytes as text: UTF-8 as is, anything else (a binary column) as hex.
fn bytes_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes.iter().map(|b| format!("{b:02x}")).collect(),
    }
}
