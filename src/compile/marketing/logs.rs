//! The marketing logs as the engine reads them: their columns found as
//! `audit::logs` finds them, and a source (rows view) each.

use crate::audit::{ban_fields, event_fields, log_field_positions, log_key_position, LogField};
use crate::columns::{ColumnInfo, MappingSource, Role};
use crate::compile::manifest::Source;
use crate::error::Error;
use crate::ingest::RowSource;
use crate::register::{DataInput, Register};

/// The roles of a register's rows that make a record's marketing profile.
pub const PROFILE_ROLES: [Role; 6] = [
    Role::Consent,
    Role::SmsConsent,
    Role::CustomerType,
    Role::LastPurchase,
    Role::MarketingBan,
    Role::MarketingBanDate,
];

/// A marketing log as the engine reads it: its source, and the positions of
/// its fields (`None` for a missing optional one).
pub struct LogInput {
    pub source: Source,
    pub fields: Vec<Option<usize>>,
}

fn open_log(
    register: &Register,
    data: &DataInput,
    fields: &[LogField],
    view: usize,
    kind: &str,
) -> Result<LogInput, Error> {
    let source = RowSource::open(&data.path, &data.read)?;
    let key = log_key_position(register, &source)?;
    let positions = log_field_positions(&source, fields)?;
    let file = source.path.display().to_string();
    let format = format!("{:?}", source.info.format).to_lowercase();
    if !["csv", "json", "ndjson", "parquet"].contains(&format.as_str()) {
        return Err(Error::Usage(format!(
            "{file}: SQL engines read CSV, JSON and Parquet logs; this one is {format}"
        )));
    }
    let columns = source
        .headers
        .iter()
        .map(|h| ColumnInfo {
            name: h.clone(),
            role: Role::Other,
            category: None,
            source: MappingSource::None,
            confidence: 0.0,
            evidence: format!("marketing {kind} log"),
            note: None,
        })
        .collect::<Vec<_>>();
    let mut read: Vec<usize> = positions.iter().flatten().copied().collect();
    read.push(key);
    read.sort_unstable();
    read.dedup();
    Ok(LogInput {
        source: Source {
            register: register.name.clone(),
            file: file.clone(),
            view: format!("regaudit_source_{view}"),
            table: std::fs::canonicalize(&file)
                .map(|p| p.display().to_string())
                .unwrap_or(file),
            is_path: true,
            format,
            delimiter: source.info.delimiter,
            key: Some(source.headers[key].clone()),
            columns,
            columns_read: read,
            log: Some(kind.to_string()),
            spark_schema: None,
        },
        fields: positions,
    })
}

/// The event log (channel, sent_at) of `register`, its view numbered `view`.
pub fn open_events(register: &Register, data: &DataInput, view: usize) -> Result<LogInput, Error> {
    open_log(register, data, &event_fields(), view, "events")
}

/// The ban log (channel, banned_at, lifted_at) of `register`.
pub fn open_bans(register: &Register, data: &DataInput, view: usize) -> Result<LogInput, Error> {
    open_log(register, data, &ban_fields(), view, "bans")
}
