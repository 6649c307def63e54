//! MySQL and MariaDB: `START TRANSACTION READ ONLY`, then the query's rows
//! streamed off the connection as they arrive (the text protocol's result is
//! unbuffered: rows are read from the socket while they are audited). Values
//! are the server's own text, as `mysqldump --tab` writes them. No TLS (the
//! crate is built without it): a server on this machine or a trusted network.

use super::credentials::Login;
use super::{bytes_text, emit, failure, header, select_sql, DatabaseSource, Target};
use crate::ingest::streamed::{Emitter, ProduceError};
use ::mysql::prelude::Queryable;
use ::mysql::{AccessMode, Conn, Opts, OptsBuilder, TxOpts, Value};
use std::time::Duration;

pub(super) fn stream(source: &DatabaseSource, emitter: &mut Emitter) -> Result<(), ProduceError> {
    let login = Login::parse(source).map_err(|m| failure(source, "bad URL", m))?;
    let opts = Opts::from_url(source.url_text())
        .map_err(|_| failure(source, "bad URL", "cannot parse"))?;
    let mut builder =
        OptsBuilder::from_opts(opts).tcp_connect_timeout(Some(Duration::from_secs(10)));
    if login.url_password.is_none() {
        builder = builder.pass(login.password(source.kind));
    }
    let mut conn = Conn::new(builder).map_err(|e| failure(source, "cannot connect", e))?;
    let mut tx = conn
        .start_transaction(TxOpts::default().set_access_mode(Some(AccessMode::ReadOnly)))
        .map_err(|e| failure(source, "cannot start a read-only transaction", e))?;
    let primary_key = match &source.target {
        Target::Table(table) => primary_key(&mut tx, table)
            .map_err(|e| failure(source, &format!("cannot read table `{table}`"), e))?,
        Target::Query(_) => None,
    };
    let sql = select_sql(source, primary_key.as_deref(), '`');
    let mut result = tx
        .query_iter(sql)
        .map_err(|e| failure(source, "the query failed", e))?;
    let columns = result
        .columns()
        .as_ref()
        .iter()
        .map(|c| c.name_str().to_string())
        .collect();
    emitter.header(header(columns, primary_key))?;
    let mut line = 0;
    for row in result.by_ref() {
        let row = row.map_err(|e| failure(source, "reading rows failed", e))?;
        line += 1;
        let cells = (0..row.len())
            .filter_map(|i| row.as_ref(i).and_then(value_text).map(|t| (i, t)))
            .collect();
        emit(emitter, line, cells)?;
    }
    drop(result);
    tx.rollback()
        .map_err(|e| failure(source, "cannot end the transaction", e))?;
    Ok(())
}

/// A value as text; `None` for NULL. The text protocol sends bytes.
fn value_text(value: &Value) -> Option<String> {
    match value {
        Value::NULL => None,
        Value::Bytes(bytes) => Some(bytes_text(bytes)),
        Value::Int(n) => Some(n.to_string()),
        Value::UInt(n) => Some(n.to_string()),
        Value::Float(x) => Some(crate::values::number_text(f64::from(*x))),
        Value::Double(x) => Some(crate::values::number_text(*x)),
        Value::Date(y, mo, d, h, mi, s, _) if (*h, *mi, *s) == (0, 0, 0) => {
            Some(format!("{y:04}-{mo:02}-{d:02}"))
        }
        Value::Date(y, mo, d, h, mi, s, _) => {
            Some(format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}"))
        }
        Value::Time(..) => Some(value.as_sql(true).trim_matches('\'').to_string()),
    }
}

/// The table's primary key when it is one column (`schema.table` or a
/// table of the URL's database).
fn primary_key(
    tx: &mut ::mysql::Transaction<'_>,
    table: &str,
) -> Result<Option<String>, ::mysql::Error> {
    let (schema, name) = match table.split_once('.') {
        Some((schema, name)) => (Some(schema.to_string()), name.to_string()),
        None => (None, table.to_string()),
    };
    let keys: Vec<String> = tx.exec(
        "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE \
         WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? \
         AND CONSTRAINT_NAME = 'PRIMARY'",
        (schema, name),
    )?;
    Ok(match keys.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    })
}
