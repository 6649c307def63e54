//! The marketing logs as the engine reads them: their columns found as
//! `audit::logs` finds them, and a source (rows view) each.

use crate::audit::log_key_position;
use crate::columns::{ColumnInfo, MappingSource, Role};
use crate::compile::manifest::Source;
use crate::error::{Error, InputError};
use crate::ingest::RowSource;
use crate::register::{DataInput, Register};
use crate::rules::marketing::{find_header, marketing_vocabulary};

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

/// A field of a log: what it is, its header names, whether it must be there.
struct Field<'a> {
    what: &'static str,
    headers: &'a [String],
    required: bool,
}

fn open_log(
    register: &Register,
    data: &DataInput,
    fields: &[Field<'_>],
    view: usize,
    kind: &str,
) -> Result<LogInput, Error> {
    let source = RowSource::open(&data.path, &data.read)?;
    let key = log_key_position(register, &source)?;
    let mut positions = Vec::new();
    for field in fields {
        let position = find_header(&source.headers, field.headers);
        if position.is_none() && field.required {
            return Err(InputError::at(
                &source.path,
                1,
                1,
                format!(
                    "no {} column (expected one of: {})",
                    field.what,
                    field.headers.join(", ")
                ),
            )
            .into());
        }
        positions.push(position);
    }
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
        },
        fields: positions,
    })
}

/// The event log (channel, sent_at) of `register`, its view numbered `view`.
pub fn open_events(register: &Register, data: &DataInput, view: usize) -> Result<LogInput, Error> {
    let headers = &marketing_vocabulary().log_headers;
    let fields = [
        Field {
            what: "channel",
            headers: &headers.channel,
            required: true,
        },
        Field {
            what: "sent_at",
            headers: &headers.sent_at,
            required: true,
        },
    ];
    open_log(register, data, &fields, view, "events")
}

/// The ban log (channel, banned_at, lifted_at) of `register`.
pub fn open_bans(register: &Register, data: &DataInput, view: usize) -> Result<LogInput, Error> {
    let headers = &marketing_vocabulary().log_headers;
    let fields = [
        Field {
            what: "channel",
            headers: &headers.channel,
            required: true,
        },
        Field {
            what: "banned_at",
            headers: &headers.banned_at,
            required: true,
        },
        Field {
            what: "lifted_at",
            headers: &headers.lifted_at,
            required: false,
        },
    ];
    open_log(register, data, &fields, view, "bans")
}
