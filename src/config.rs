//! `regaudit.toml`: the registers to audit, each with its notice, data files,
//! key column and optional column mapping, plus scan defaults. Positions are
//! kept so every problem is reported with file:line:column, all at once.

use crate::allowlist::{read_allowlist, AllowEntry};
use crate::columns::{vocabulary, ColumnSpec, Role};
use crate::diagnostic::Diagnostics;
use crate::ingest::sql::DatabaseSource;
use crate::ingest::{Encoding, Format, InputPath, ReadOptions};
use crate::register::{DataInput, Register};
use crate::toml_reader::{Located, TableReader, TomlSource};
use std::path::{Path, PathBuf};

/// Scan defaults that the command line can override.
#[derive(Debug, Clone, Default)]
pub struct ScanDefaults {
    pub fail_on: Option<String>,
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, String)>,
    /// Folder of custom rules, relative to the config.
    pub rules: Option<PathBuf>,
    /// The fingerprint key file, relative to the config.
    pub fingerprint_key_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct AuditConfig {
    pub path: PathBuf,
    pub registers: Vec<Register<PathBuf>>,
    pub scan: ScanDefaults,
    /// `[[allow]]` entries: accepted findings, each with its reason.
    pub allow: Vec<AllowEntry>,
    /// `[clean.actions]`: what `regaudit clean` does about each rule's
    /// findings, as (rule id, action) pairs.
    pub clean_actions: Vec<(String, String)>,
}

/// The config's file name in a folder.
pub const CONFIG_FILE: &str = "regaudit.toml";

/// Finds the config for `regaudit scan TARGET`: a file, or `regaudit.toml` in a folder.
pub fn config_path(target: &Path) -> PathBuf {
    if target.is_dir() {
        target.join(CONFIG_FILE)
    } else {
        target.to_path_buf()
    }
}

/// `regaudit.toml` in `start` or its nearest parent, as a path relative to
/// `start` (`regaudit.toml`, `../regaudit.toml`) so reports name files the
/// same way wherever the scan was started from.
pub fn find_config(start: &Path) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for dir in start.ancestors() {
        if dir.join(CONFIG_FILE).is_file() {
            return Some(relative.join(CONFIG_FILE));
        }
        relative.push("..");
    }
    None
}

pub fn load_config(path: &Path) -> Result<AuditConfig, crate::error::Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| crate::error::Error::Input(crate::error::InputError::io(path, &e)))?;
    Ok(parse_config(path, &text)?)
}

pub fn parse_config(path: &Path, text: &str) -> Result<AuditConfig, Diagnostics> {
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let source = TomlSource::new(path, text);
    let doc = source.parse()?;
    let root = source.root(&doc);
    let scan = root
        .table("scan")
        .map(|t| read_scan(&t, &base))
        .unwrap_or_default();
    let mut registers = Vec::new();
    for (name, t) in root.named_tables("registers") {
        if let Some(register) = read_register(&t, &name, &base) {
            registers.push(register);
        }
    }
    if registers.is_empty() && !root.has("registers") {
        source.error(
            &root.span(),
            "no registers: add a `[registers.NAME]` table with `notice` and `data`",
        );
    }
    let allow = read_allowlist(root.tables("allow"));
    let clean_actions = root
        .table("clean")
        .map(|t| {
            let actions = t
                .string_map("actions")
                .into_iter()
                .map(|(k, v)| (k.value, v.value))
                .collect();
            t.finish(&["actions"]);
            actions
        })
        .unwrap_or_default();
    root.finish(&["scan", "registers", "allow", "clean"]);
    source.into_diagnostics().into_result(AuditConfig {
        path: path.to_path_buf(),
        registers,
        scan,
        allow,
        clean_actions,
    })
}

fn read_scan(t: &TableReader, base: &Path) -> ScanDefaults {
    let fail_on = t.string("fail_on").map(|s| s.value);
    let select = values(t.string_list("select"));
    let ignore = values(t.string_list("ignore"));
    let severity = t
        .string_map("severity")
        .into_iter()
        .map(|(k, v)| (k.value, v.value))
        .collect();
    let rules = t.string("rules").map(|r| base.join(r.value));
    let fingerprint_key_file = t.string("fingerprint_key_file").map(|k| base.join(k.value));
    t.finish(&[
        "fail_on",
        "select",
        "ignore",
        "severity",
        "rules",
        "fingerprint_key_file",
    ]);
    ScanDefaults {
        fail_on,
        select,
        ignore,
        severity,
        rules,
        fingerprint_key_file,
    }
}

fn values(list: Option<Vec<Located<String>>>) -> Vec<String> {
    list.unwrap_or_default()
        .into_iter()
        .map(|l| l.value)
        .collect()
}

/// Resolves a path from the config relative to the config's folder and checks it exists.
fn existing_path(t: &TableReader, base: &Path, value: &Located<String>) -> PathBuf {
    let path = base.join(&value.value);
    if !path.exists() {
        t.source()
            .error(&value.span, format!("file not found: {}", path.display()));
    } else if path.is_dir() {
        t.source().error(
            &value.span,
            format!("is a directory, expected a file: {}", path.display()),
        );
    }
    path
}

/// A `data` entry: a database URL (with the register's `table` or `query`),
/// or a file or folder (of Parquet files) relative to the config.
fn data_input(
    t: &TableReader,
    base: &Path,
    value: &Located<String>,
    table: Option<&Located<String>>,
    query: Option<&Located<String>>,
) -> InputPath {
    if DatabaseSource::is_url(&value.value) {
        let source = DatabaseSource::new(
            &value.value,
            table.map(|t| t.value.as_str()),
            query.map(|q| q.value.as_str()),
            base,
        );
        return match source {
            Ok(source) => InputPath::Database(source),
            Err(message) => {
                t.source().error(&value.span, message);
                InputPath::File(PathBuf::new())
            }
        };
    }
    let path = base.join(&value.value);
    if !path.exists() {
        t.source()
            .error(&value.span, format!("file not found: {}", path.display()));
    }
    InputPath::File(path)
}

fn read_register(
    t: &TableReader,
    name: &Located<String>,
    base: &Path,
) -> Option<Register<PathBuf>> {
    let notice = t
        .required_string("notice")
        .map(|n| existing_path(t, base, &n));
    let table = t.string("table");
    let query = t.string("query");
    let sheet = t.string("sheet").map(|s| s.value);
    let data: Vec<InputPath> = match t.string_list("data") {
        Some(list) if !list.is_empty() => list
            .iter()
            .map(|d| data_input(t, base, d, table.as_ref(), query.as_ref()))
            .collect(),
        Some(_) => {
            t.source()
                .error(&t.span(), format!("`{}.data` lists no files", t.path));
            Vec::new()
        }
        None => {
            t.missing("data");
            Vec::new()
        }
    };
    let key = t.string("key").map(|k| k.value);
    let events = t.string("events").map(|e| existing_path(t, base, &e));
    let bans = t.string("bans").map(|b| existing_path(t, base, &b));
    let format = t.string("format").and_then(|f| {
        let format = Format::from_name(&f.value);
        if format.is_none() {
            t.source().error(
                &f.span,
                format!(
                    "unknown format `{}`: expected {}",
                    f.value,
                    Format::expected()
                ),
            );
        }
        format
    });
    let delimiter = t.string("delimiter").and_then(|d| match d.value.as_str() {
        "," => Some(b','),
        ";" => Some(b';'),
        "\t" | "tab" => Some(b'\t'),
        "|" => Some(b'|'),
        other => {
            t.source().error(
                &d.span,
                format!("unsupported delimiter `{other}`: use , ; tab or |"),
            );
            None
        }
    });
    let encoding = t
        .string("encoding")
        .and_then(|e| {
            let encoding = Encoding::from_name(&e.value);
            if encoding.is_none() {
                t.source().error(
                    &e.span,
                    format!(
                        "unknown encoding `{}`: expected {}",
                        e.value.to_ascii_lowercase(),
                        Encoding::expected()
                    ),
                );
            }
            encoding
        })
        .unwrap_or_default();
    let mut columns = Vec::new();
    for (column, value) in t.string_map("columns") {
        match ColumnSpec::parse(&value.value) {
            Some(spec) => columns.push((column.value, spec)),
            None => {
                let mut names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
                names.extend(vocabulary().category_names());
                let hint = crate::toml_reader::closest(&value.value, &names)
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                t.source().error(
                    &value.span,
                    format!(
                        "`{}` is neither a column role nor a data category{hint}",
                        value.value
                    ),
                );
            }
        }
    }
    t.finish(&[
        "notice",
        "data",
        "key",
        "events",
        "bans",
        "format",
        "delimiter",
        "encoding",
        "columns",
        "sheet",
        "table",
        "query",
    ]);
    if data.iter().all(|d| !matches!(d, InputPath::Database(_))) {
        for given in [&table, &query].into_iter().flatten() {
            t.source().error(
                &given.span,
                "`table` and `query` read a database: `data` must be its URL (postgres://, mysql://, sqlite://)",
            );
        }
    }
    let read = ReadOptions {
        format,
        delimiter,
        encoding,
        batch_rows: 0,
        sheet,
    };
    Some(Register {
        name: name.value.clone(),
        notice: notice?,
        data: data
            .into_iter()
            .map(|path| DataInput {
                path,
                read: read.clone(),
            })
            .collect(),
        key,
        columns,
        events: events.map(DataInput::file),
        bans: bans.map(DataInput::file),
    })
}
