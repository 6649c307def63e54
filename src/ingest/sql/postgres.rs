//! PostgreSQL: `BEGIN READ ONLY`, `DECLARE … NO SCROLL CURSOR`, then `FETCH n`
//! until the cursor is drained. The simple-query protocol returns every value
//! as PostgreSQL's own text, which is what `COPY … TO CSV` writes. No TLS:
//! meant for servers on this machine or a trusted network (see README).

use super::credentials::Login;
use super::{emit, failure, header, select_sql, DatabaseSource, Target};
use crate::ingest::streamed::{Emitter, ProduceError};
use ::postgres::{Client, Config, NoTls, SimpleQueryMessage};
use std::time::Duration;

pub(super) fn stream(
    source: &DatabaseSource,
    batch: usize,
    emitter: &mut Emitter,
) -> Result<(), ProduceError> {
    let mut client = connect(source)?;
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .start()
        .map_err(|e| failure(source, "cannot start a read-only transaction", explain(&e)))?;
    let primary_key = match &source.target {
        Target::Table(table) => primary_key(&mut tx, table)
            .map_err(|e| failure(source, &format!("cannot read table `{table}`"), explain(&e)))?,
        Target::Query(_) => None,
    };
    let sql = select_sql(source, primary_key.as_deref(), '"');
    tx.batch_execute(&format!("DECLARE regaudit_rows NO SCROLL CURSOR FOR {sql}"))
        .map_err(|e| failure(source, "the query failed", explain(&e)))?;
    let fetch = format!("FETCH {} FROM regaudit_rows", batch.max(1));
    let mut primary_key = Some(primary_key);
    let mut line = 0;
    loop {
        let messages = tx
            .simple_query(&fetch)
            .map_err(|e| failure(source, "reading rows failed", explain(&e)))?;
        let mut fetched = 0;
        for message in messages {
            match message {
                SimpleQueryMessage::RowDescription(columns) => {
                    if let Some(key) = primary_key.take() {
                        let names = columns.iter().map(|c| c.name().to_string()).collect();
                        emitter.header(header(names, key))?;
                    }
                }
                SimpleQueryMessage::Row(row) => {
                    fetched += 1;
                    line += 1;
                    let cells = (0..row.len())
                        .filter_map(|i| row.get(i).map(|v| (i, v.to_string())))
                        .collect();
                    emit(emitter, line, cells)?;
                }
                _ => {}
            }
        }
        if fetched == 0 {
            break;
        }
    }
    // Read-only: nothing to keep; ending it releases the cursor.
    tx.rollback()
        .map_err(|e| failure(source, "cannot end the transaction", explain(&e)))?;
    Ok(())
}

fn connect(source: &DatabaseSource) -> Result<Client, ProduceError> {
    let login = Login::parse(source).map_err(|m| failure(source, "bad URL", m))?;
    let mut config: Config = source
        .url_text()
        .parse()
        .map_err(|_| failure(source, "bad URL", "cannot parse"))?;
    if config.get_password().is_none() {
        if let Some(password) = login.password(source.kind) {
            config.password(password);
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config
        .connect(NoTls)
        .map_err(|e| failure(source, "cannot connect", explain(&e)))
}

/// The table's primary key when it is one column.
fn primary_key(
    tx: &mut ::postgres::Transaction<'_>,
    table: &str,
) -> Result<Option<String>, ::postgres::Error> {
    let quoted = super::quote_table(table, '"');
    let rows = tx.query(
        "SELECT a.attname FROM pg_index i \
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) \
         WHERE i.indrelid = $1::text::regclass AND i.indisprimary",
        &[&quoted],
    )?;
    Ok(match rows.as_slice() {
        [only] => Some(only.get(0)),
        _ => None,
    })
}

/// The driver's error with its cause: `db error` alone says nothing, the
/// server's message (`password authentication failed for user …`) does.
fn explain(err: &::postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return format!("{}: {}", db.severity(), db.message());
    }
    let mut text = err.to_string();
    let mut cause = std::error::Error::source(err);
    while let Some(inner) = cause {
        text.push_str(&format!(": {inner}"));
        cause = inner.source();
    }
    text
}
