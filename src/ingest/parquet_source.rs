//! Parquet files, and folders of them read in name order, streamed row group
//! by row group (the parquet crate's row iterator holds one row group's
//! pages at a time). Cells become text as a CSV export would hold them:
//! dates ISO, integers without `.0`, null blank.

use super::parsed::ParsedRow;
use super::streamed::{spawn_stream, Emitter, ProduceError, StreamHeader};
use super::{Format, InputError, ReadOptions, RowSource};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::reader::RowIter;
use parquet::record::Field;
use std::path::{Path, PathBuf};

/// Whether `path` is read as Parquet: the format asked for, a `.parquet`
/// file, or a folder holding `.parquet` files.
pub(crate) fn is_parquet(path: &Path, options: &ReadOptions) -> bool {
    options.format == Some(Format::Parquet)
        || has_parquet_extension(path)
        || (path.is_dir() && !parquet_files(path).unwrap_or_default().is_empty())
}

fn has_parquet_extension(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// The `.parquet` files of a folder, in name order.
fn parquet_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && has_parquet_extension(p))
        .collect();
    files.sort();
    Ok(files)
}

pub(crate) fn open(path: &Path, options: &ReadOptions) -> Result<RowSource, InputError> {
    let files = if path.is_dir() {
        parquet_files(path).map_err(|e| InputError::io(path, &e))?
    } else {
        vec![path.to_path_buf()]
    };
    if files.is_empty() {
        return Err(InputError::new(path, "folder holds no .parquet files"));
    }
    let readers = files
        .iter()
        .map(|f| open_file(f).map(|r| (f.clone(), r)))
        .collect::<Result<Vec<_>, _>>()?;
    let columns = column_names(&readers[0].1);
    for (file, reader) in &readers[1..] {
        if column_names(reader) != columns {
            return Err(InputError::new(
                file,
                format!(
                    "its columns differ from {}: every Parquet file of a folder needs the same columns",
                    files[0].display()
                ),
            ));
        }
    }
    let batch = super::batch_rows(options);
    let (header, rows) = spawn_stream(batch, move |emitter| {
        emitter.header(StreamHeader {
            columns: column_names(&readers[0].1),
            primary_key: None,
        })?;
        let mut line = 0;
        for (file, reader) in readers {
            stream_file(&file, reader, emitter, &mut line)?;
        }
        Ok(())
    })?;
    let path = path.to_path_buf();
    Ok(RowSource::parsed(
        path,
        header.columns,
        Format::Parquet,
        Box::new(rows),
        options,
    ))
}

fn open_file(path: &Path) -> Result<SerializedFileReader<std::fs::File>, InputError> {
    let file = std::fs::File::open(path).map_err(|e| InputError::io(path, &e))?;
    SerializedFileReader::new(file)
        .map_err(|e| InputError::new(path, format!("not a readable Parquet file: {e}")))
}

fn column_names(reader: &SerializedFileReader<std::fs::File>) -> Vec<String> {
    reader
        .metadata()
        .file_metadata()
        .schema_descr()
        .root_schema()
        .get_fields()
        .iter()
        .map(|f| f.name().to_string())
        .collect()
}

/// Streams one file's rows; `line` counts rows across the folder's files.
fn stream_file(
    path: &Path,
    reader: SerializedFileReader<std::fs::File>,
    emitter: &mut Emitter,
    line: &mut u64,
) -> Result<(), ProduceError> {
    for row in RowIter::from_file_into(Box::new(reader)) {
        *line += 1;
        let row = row.map_err(|e| {
            InputError::new(path, format!("row {line}: cannot decode Parquet data: {e}"))
        })?;
        let cells = row
            .get_column_iter()
            .enumerate()
            .filter_map(|(i, (_, field))| cell_text(field).map(|text| (i, text)))
            .collect();
        emitter.row(Ok(ParsedRow { cells, line: *line }))?;
    }
    Ok(())
}

/// A value as a CSV export would hold it; `None` for null.
fn cell_text(field: &Field) -> Option<String> {
    Some(match field {
        Field::Null => return None,
        Field::Bool(b) => b.to_string(),
        Field::Byte(n) => n.to_string(),
        Field::Short(n) => n.to_string(),
        Field::Int(n) => n.to_string(),
        Field::Long(n) => n.to_string(),
        Field::UByte(n) => n.to_string(),
        Field::UShort(n) => n.to_string(),
        Field::UInt(n) => n.to_string(),
        Field::ULong(n) => n.to_string(),
        Field::Float(x) => crate::values::number_text(f64::from(*x)),
        Field::Double(x) => crate::values::number_text(*x),
        Field::Str(s) => s.clone(),
        Field::Bytes(b) => match b.as_utf8() {
            Ok(s) => s.to_string(),
            Err(_) => b.data().iter().map(|x| format!("{x:02x}")).collect(),
        },
        Field::Date(days) => chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|d| d.checked_add_signed(chrono::TimeDelta::days(i64::from(*days))))
            .map_or_else(|| days.to_string(), |d| d.to_string()),
        Field::TimestampMillis(ms) => chrono::DateTime::from_timestamp_millis(*ms)
            .map_or_else(|| ms.to_string(), |t| timestamp_text(t.naive_utc())),
        Field::TimestampMicros(us) => chrono::DateTime::from_timestamp_micros(*us)
            .map_or_else(|| us.to_string(), |t| timestamp_text(t.naive_utc())),
        // Decimals, times, lists, maps and structs: parquet's own rendering.
        other => other.to_string(),
    })
}

/// `2026-01-31 12:30:00`, the way a CSV export writes a timestamp.
fn timestamp_text(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.f").to_string()
}
