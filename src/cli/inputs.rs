//! The arguments that name what to read, shared by `scan` and `clean`: a
//! config (or the one found in this folder or a parent), or a notice and data
//! files given as flags, and how to read them.

use clap::Args;
use regaudit::ingest::{Encoding, Format};
use regaudit::plan::ScanRequest;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct InputArgs {
    /// A folder holding regaudit.toml, or the path of an audit config
    /// (default: regaudit.toml in this folder or the nearest parent).
    #[arg(value_name = "CONFIG_OR_DIR", conflicts_with_all = ["notice", "data"])]
    pub target: Option<PathBuf>,
    /// The audit config file (the same as giving it as CONFIG_OR_DIR).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["target", "notice", "data"])]
    pub config: Option<PathBuf>,

    /// Notice metadata (notice.toml), for a config-less scan of one export.
    #[arg(long, requires = "data")]
    pub notice: Option<PathBuf>,
    /// Data to audit (config-less scan): export files (CSV, JSON, NDJSON,
    /// XLSX, ODS, Parquet), a folder of Parquet files, `-` for standard input,
    /// or a database URL (postgres://, mysql://, sqlite://) with --table or
    /// --query. Without --notice only the rules that need no notice run, and
    /// the report names the ones skipped.
    #[arg(long, num_args = 1..)]
    pub data: Vec<PathBuf>,
    /// The database table to read (with a database URL in --data).
    #[arg(long, requires = "data", conflicts_with = "query")]
    pub table: Option<String>,
    /// The SELECT query to read (with a database URL in --data).
    #[arg(long, requires = "data")]
    pub query: Option<String>,
    /// The workbook sheet to read (XLSX, ODS); default: every non-empty sheet.
    #[arg(long)]
    pub sheet: Option<String>,
    /// Marketing-event log for the marketing rules (config-less scan).
    #[arg(long, requires = "data")]
    pub events: Option<PathBuf>,
    /// Marketing-ban log for the marketing rules (config-less scan).
    #[arg(long, requires = "data")]
    pub bans: Option<PathBuf>,
    /// The register's name, which fingerprints hash (config-less scan; default:
    /// the first file's name). Keep it the same for every month's export.
    #[arg(long, requires = "data")]
    pub register: Option<String>,
    /// Record-key column (config-less scan).
    #[arg(long, requires = "data")]
    pub key: Option<String>,
    /// Column mapping COLUMN=ROLE_OR_CATEGORY (config-less scan), repeatable.
    #[arg(long = "column", value_name = "COLUMN=ROLE", requires = "data")]
    pub columns: Vec<String>,
    /// Data format; sniffed from the extension and content by default.
    #[arg(long = "input-format", value_enum)]
    pub input_format: Option<Format>,
    /// CSV delimiter; sniffed (comma, semicolon, tab) by default.
    #[arg(long)]
    pub delimiter: Option<char>,
    /// CSV encoding.
    #[arg(long, value_enum, default_value_t = Encoding::Auto)]
    pub encoding: Encoding,
}

impl InputArgs {
    /// A scan request for these inputs, with every other setting at its default.
    pub fn request(self) -> ScanRequest {
        ScanRequest {
            target: self.config.or(self.target),
            notice: self.notice,
            data: self.data,
            table: self.table,
            query: self.query,
            sheet: self.sheet,
            events: self.events,
            bans: self.bans,
            register: self.register,
            key: self.key,
            columns: self.columns,
            format: self.input_format,
            delimiter: self.delimiter,
            encoding: self.encoding,
            ..ScanRequest::default()
        }
    }
}
