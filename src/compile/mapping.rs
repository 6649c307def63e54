//! The column mapping a plan bakes into its SQL: the one `scan` makes, from
//! the headers and a sample of the rows of a local file (the export itself,
//! or a sample of the table that lives in the engine).

use crate::audit::key_position;
use crate::columns::{resolve_columns, ColumnInfo, ColumnSample, Role};
use crate::error::Error;
use crate::ingest::RowSource;
use crate::register::{DataInput, Register};

/// A data file's columns as `scan` maps them, and its record-key column.
pub struct Mapped {
    /// How `scan` names the file in findings.
    pub file: String,
    pub columns: Vec<ColumnInfo>,
    pub key: Option<usize>,
    /// The CSV delimiter the local reader found, for the engine's reader.
    pub delimiter: Option<char>,
    pub format: crate::ingest::Format,
}

/// Maps `data` of `register` exactly as the audit does (`audit::register`).
pub fn map_file(register: &Register, data: &DataInput) -> Result<Mapped, Error> {
    let source = RowSource::open(&data.path, &data.read)?;
    let file = source.path.display().to_string();
    let key_index = match &register.key {
        Some(key) => Some(key_position(&source, key)?),
        None => None,
    };
    let headers = source.headers.clone();
    let delimiter = source.info.delimiter;
    let format = source.info.format;
    let mut chunks = source.read_ahead(1);
    let mut sample = ColumnSample::new(headers.len());
    while !sample.is_complete() {
        let Some(chunk) = chunks.next_chunk()? else {
            break;
        };
        chunk.visit(&mut sample)?;
    }
    let mut columns = resolve_columns(&headers, &register.columns, &sample);
    if let Some(k) = key_index {
        columns[k].role = Role::Key;
    }
    let key = key_index.or_else(|| columns.iter().position(|c| c.role == Role::Key));
    Ok(Mapped {
        file,
        columns,
        key,
        delimiter,
        format,
    })
}
