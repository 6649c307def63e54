//! SQLite: the file opened read-only (and `query_only`, so not even a query
//! with side effects can write), the statement stepped row by row.

use super::{bytes_text, emit, failure, header, select_sql, DatabaseSource, Target};
use crate::ingest::streamed::{Emitter, ProduceError};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

pub(super) fn stream(source: &DatabaseSource, emitter: &mut Emitter) -> Result<(), ProduceError> {
    let path = source.sqlite_path();
    if !path.is_file() {
        return Err(failure(source, "cannot open", "no such database file"));
    }
    let conn = Connection::open_with_flags(
        &path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| failure(source, "cannot open", e))?;
    conn.pragma_update(None, "query_only", true)
        .map_err(|e| failure(source, "cannot open", e))?;
    let primary_key = match &source.target {
        Target::Table(table) => primary_key(&conn, table)
            .map_err(|e| failure(source, &format!("cannot read table `{table}`"), e))?,
        Target::Query(_) => None,
    };
    let sql = select_sql(source, primary_key.as_deref(), '"');
    let mut statement = conn
        .prepare(&sql)
        .map_err(|e| failure(source, "the query failed", e))?;
    let columns = statement.column_names().map(str::to_string).collect();
    emitter.header(header(columns, primary_key))?;
    let width = statement.column_count();
    let mut rows = statement
        .query([])
        .map_err(|e| failure(source, "the query failed", e))?;
    let mut line = 0;
    while let Some(row) = rows
        .next()
        .map_err(|e| failure(source, "reading rows failed", e))?
    {
        line += 1;
        let mut cells = Vec::with_capacity(width);
        for i in 0..width {
            let value = row
                .get_ref(i)
                .map_err(|e| failure(source, "reading rows failed", e))?;
            if let Some(text) = value_text(value) {
                cells.push((i, text));
            }
        }
        emit(emitter, line, cells)?;
    }
    Ok(())
}

fn value_text(value: ValueRef<'_>) -> Option<String> {
    match value {
        ValueRef::Null => None,
        ValueRef::Integer(n) => Some(n.to_string()),
        ValueRef::Real(x) => Some(crate::values::number_text(x)),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => Some(bytes_text(bytes)),
    }
}

/// The table's primary key when it is one column.
fn primary_key(conn: &Connection, table: &str) -> rusqlite::Result<Option<String>> {
    let (schema, name) = match table.split_once('.') {
        Some((schema, name)) => (schema, name),
        None => ("main", table),
    };
    let mut statement = conn.prepare("SELECT name FROM pragma_table_info(?1, ?2) WHERE pk > 0")?;
    let keys = statement
        .query_map([name, schema], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(match keys.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    })
}
