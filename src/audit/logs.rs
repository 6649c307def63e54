//! The marketing logs of a register: the event and ban logs read row by row
//! (every row audited or rejected) and stored by key for the join with the
//! profiles the register's rows give (`log_join.rs`).

use super::accounting::key_position;
use super::parallel::{self, in_input_order};
use super::partitions::{KeyFilter, Partitions};
use super::AuditOptions;
use crate::columns::{vocabulary, Role};
use crate::error::{Error, InputError};
use crate::ingest::{Chunk, InputPath, RejectedRow, RowSource, RowVisitor};
use crate::register::{DataInput, Register};
use crate::result::InputReport;
use crate::rules::marketing::{find_header, marketing_vocabulary, Ban, Channel, Event};
use crate::text::name_key;

/// The marketing logs of a register, read row by row and stored by key for
/// the join (`log_join.rs`).
pub(super) struct Logs {
    /// `Event`s, in file order within each part.
    pub(super) events: Partitions,
    /// The keys of the events, for the register rows to keep a profile.
    pub(super) event_keys: KeyFilter,
    pub(super) events_path: String,
    pub(super) events_input: InputReport,
    /// `(key, Ban)` from the ban log, in file order within each part.
    pub(super) bans: Partitions,
    pub(super) bans_input: Option<InputReport>,
}

/// The log's column holding the register's record key: the `--key` (or
/// config `key`) when given, else the column the config maps to `key`, else
/// the one the register's own key header names, else the log's own header
/// that names a record key (`asiakasnumero`, `customer_id`).
pub(crate) fn log_key_position(register: &Register, source: &RowSource) -> Result<usize, Error> {
    if let Some(key) = &register.key {
        return Ok(key_position(source, key)?);
    }
    let same = |name: &str| {
        let wanted = name_key(name);
        source.headers.iter().position(|h| name_key(h) == wanted)
    };
    let mapped = register
        .columns
        .iter()
        .filter(|(_, spec)| spec.role == Role::Key)
        .find_map(|(header, _)| same(header));
    let from_register = || {
        // Standard input can be read once only: its header is not peeked at.
        let first = register
            .data
            .first()
            .filter(|d| d.path != InputPath::Stdin)?;
        let data = RowSource::open(&first.path, &first.read).ok()?;
        let key = data
            .headers
            .iter()
            .find(|h| vocabulary().role_for_header(h) == Some(Role::Key))?;
        same(key)
    };
    let own = || {
        source
            .headers
            .iter()
            .position(|h| vocabulary().role_for_header(h) == Some(Role::Key))
    };
    mapped.or_else(from_register).or_else(own).ok_or_else(|| {
        InputError::at(
            &source.path,
            1,
            1,
            format!(
                "no record-key column to join the log with the register: name one with --key \
                 or map a column to `key` (columns: {})",
                source.headers.join(", ")
            ),
        )
        .into()
    })
}

/// A column a log must or may have, by its accepted header names.
pub(crate) struct LogField {
    what: &'static str,
    headers: &'static [String],
    required: bool,
}

/// The event log's fields after its key: channel, sent_at.
pub(crate) fn event_fields() -> [LogField; 2] {
    let headers = &marketing_vocabulary().log_headers;
    [
        channel_field(),
        LogField {
            what: "sent_at",
            headers: &headers.sent_at,
            required: true,
        },
    ]
}

/// The ban log's fields after its key: channel, banned_at, lifted_at.
pub(crate) fn ban_fields() -> [LogField; 3] {
    let headers = &marketing_vocabulary().log_headers;
    [
        channel_field(),
        LogField {
            what: "banned_at",
            headers: &headers.banned_at,
            required: true,
        },
        LogField {
            what: "lifted_at",
            headers: &headers.lifted_at,
            required: false,
        },
    ]
}

/// Where each of `fields` is in a log's header (`None` for a missing
/// optional one); a missing required one is an error naming the headers
/// it may have.
pub(crate) fn log_field_positions(
    source: &RowSource,
    fields: &[LogField],
) -> Result<Vec<Option<usize>>, Error> {
    let mut positions = Vec::with_capacity(fields.len());
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
    Ok(positions)
}

/// Reads a whole log file, calling `parse` on each row with the positions of
/// the key and of `fields` (`None` for a missing optional one) and the row's
/// cells, and `keep` with each parsed value, its row and the line where the
/// row starts, in file order; rows `parse` refuses are rejected with its reason.
fn read_log<T: Send>(
    register: &Register,
    data: &DataInput,
    fields: &[LogField],
    parse: impl Fn(&[Option<usize>], &[Option<&str>]) -> Result<T, String> + Sync,
    mut keep: impl FnMut(T, u64, Option<u64>) -> std::io::Result<()> + Send,
) -> Result<InputReport, Error> {
    let source = RowSource::open(&data.path, &data.read)?;
    let mut input = InputReport::for_source(&register.name, &source);
    let mut positions = vec![Some(log_key_position(register, &source)?)];
    positions.extend(log_field_positions(&source, fields)?);
    let path = source.path.clone();
    let mut chunks = source.read_ahead(parallel::group_size());
    let mut kept = Ok(());
    let parse_chunk = |chunk: &Chunk| {
        let mut visitor = LogVisitor {
            positions: &positions,
            parse: &parse,
            line: None,
            parsed: Vec::new(),
            rejected: Vec::new(),
        };
        chunk.visit(&mut visitor)?;
        Ok((visitor.parsed, visitor.rejected))
    };
    in_input_order(
        || chunks.next_chunk(),
        parse_chunk,
        |(mut rows, rejected)| {
            input.count_chunk(rows.len(), rejected, &mut rows);
            for (row, (line, value)) in rows {
                if kept.is_ok() {
                    kept = keep(value, row, line);
                }
            }
        },
    )?;
    kept.map_err(|e| spill_error(&path, e))?;
    Ok(input)
}

/// A temporary file the join spills to could not be written or read back.
pub(super) fn spill_error(path: &std::path::Path, e: std::io::Error) -> Error {
    InputError::new(path, format!("marketing join: temporary file: {e}")).into()
}

/// Parses log rows in order, keeping what parsed and why the rest did not.
struct LogVisitor<'a, T, F> {
    positions: &'a [Option<usize>],
    parse: F,
    /// The line where the row being visited starts.
    line: Option<u64>,
    parsed: Vec<(u64, (Option<u64>, T))>,
    rejected: Vec<RejectedRow>,
}

impl<T, F> RowVisitor for LogVisitor<'_, T, F>
where
    F: Fn(&[Option<usize>], &[Option<&str>]) -> Result<T, String>,
{
    fn row(&mut self, row: u64, cells: &[Option<&str>]) {
        match (self.parse)(self.positions, cells) {
            Ok(value) => self.parsed.push((row, (self.line, value))),
            Err(reason) => self.rejected.push(RejectedRow {
                row,
                line: self.line,
                reason,
            }),
        }
    }

    fn reject(&mut self, rejected: RejectedRow) {
        self.rejected.push(rejected);
    }

    fn line(&mut self, line: u64) {
        self.line = Some(line);
    }
}

/// The cell at an optional position.
fn cell<'a>(cells: &[Option<&'a str>], at: Option<usize>) -> Option<&'a str> {
    at.and_then(|i| cells.get(i).copied().flatten())
}

fn channel_field() -> LogField {
    LogField {
        what: "channel",
        headers: &marketing_vocabulary().log_headers.channel,
        required: true,
    }
}

fn parse_channel(raw: Option<&str>) -> Result<Channel, String> {
    let raw = raw.ok_or("no channel")?;
    Channel::parse(raw).ok_or_else(|| format!("unknown channel `{raw}`"))
}

fn parse_when(raw: Option<&str>, what: &str) -> Result<chrono::NaiveDateTime, String> {
    let raw = raw.ok_or_else(|| format!("no {what} date"))?;
    crate::values::parse_datetime(raw).ok_or_else(|| format!("{what} `{raw}` is not a date"))
}

pub(super) fn read_logs(
    register: &Register,
    events: &DataInput,
    options: &AuditOptions,
) -> Result<Logs, Error> {
    let mut stored_events = Partitions::new(options.log_records_in_memory);
    // The keys go into the filter as the events are stored, alongside the
    // parsing; its size comes from the file's (a short event row has about
    // 16 bytes), or the cap when the size is unknown.
    let expected_events = match &events.path {
        InputPath::File(path) => {
            std::fs::metadata(path).map_or(usize::MAX, |m| m.len() as usize / 16)
        }
        _ => usize::MAX,
    };
    let mut event_keys = KeyFilter::new(expected_events);
    let events_input = read_log(
        register,
        events,
        &event_fields(),
        |pos, cells| {
            let key = cell(cells, pos[0]).ok_or("no record key")?.to_string();
            let channel = parse_channel(cell(cells, pos[1]))?;
            if channel == Channel::All {
                return Err("an event is sent on one channel, not `all`".into());
            }
            Ok(Event {
                row: 0,
                line: None,
                key,
                channel,
                sent_at: parse_when(cell(cells, pos[2]), "sent_at")?,
            })
        },
        |mut event, row, line| {
            event.row = row;
            event.line = line;
            event_keys.insert(event.key.as_str());
            stored_events.push(&event.key, &event)
        },
    )?;
    let events_path = events_input.path.clone();
    let mut bans_log = Partitions::new(options.log_records_in_memory);
    let bans_input = match &register.bans {
        None => None,
        Some(bans) => {
            let fields = ban_fields();
            let parse = |pos: &[Option<usize>], cells: &[Option<&str>]| {
                let key = cell(cells, pos[0]).ok_or("no record key")?.to_string();
                let until = match cell(cells, pos[3]) {
                    None => None,
                    some => Some(parse_when(some, "lifted_at")?),
                };
                let ban = Ban {
                    channel: parse_channel(cell(cells, pos[1]))?,
                    since: Some(parse_when(cell(cells, pos[2]), "banned_at")?),
                    until,
                };
                Ok((key, ban))
            };
            let keep = |record: (String, Ban), _, _| bans_log.push(&record.0, &record);
            Some(read_log(register, bans, &fields, parse, keep)?)
        }
    };
    Ok(Logs {
        events: stored_events,
        event_keys,
        events_path,
        events_input,
        bans: bans_log,
        bans_input,
    })
}
