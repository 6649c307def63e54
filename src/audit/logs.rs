//! The marketing logs of a register: the event and ban logs read row by row
//! (every row audited or rejected), then checked by the marketing rules
//! against the profiles the register's rows gave.

use super::accounting::key_position;
use super::complete::{complete, ActiveRule, Origin, Place};
use super::parallel::{self, in_input_order};
use super::AuditOptions;
use crate::columns::{vocabulary, Role};
use crate::error::{Error, InputError};
use crate::finding::Finding;
use crate::ingest::{Chunk, InputPath, RejectedRow, RowSource, RowVisitor};
use crate::mask::{mask_key, ValueKind};
use crate::register::{DataInput, Register};
use crate::result::InputReport;
use crate::rules::context::Hit;
use crate::rules::marketing::{
    find_header, marketing_vocabulary, Ban, Channel, Event, EventHit, MarketingContext,
    MarketingFrames, Profile,
};
use crate::text::name_key;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

/// The marketing logs of a register, read and checked row by row.
pub(super) struct Logs {
    pub(super) events: Vec<Event>,
    events_path: String,
    pub(super) events_input: InputReport,
    ban_log: FxHashMap<String, Vec<Ban>>,
    pub(super) bans_input: Option<InputReport>,
}

/// The log's column holding the register's record key: the `--key` (or
/// config `key`) when given, else the column the config maps to `key`, else
/// the one the register's own key header names, else the log's own header
/// that names a record key (`asiakasnumero`, `customer_id`).
fn log_key_position(register: &Register, source: &RowSource) -> Result<usize, Error> {
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
struct LogField {
    what: &'static str,
    headers: &'static [String],
    required: bool,
}

/// Reads a whole log file, calling `parse` on each row with the positions of
/// the key and of `fields` (`None` for a missing optional one) and the row's
/// cells, and `numbered` with each parsed value, its row and the line where
/// the row starts; rows `parse` refuses are rejected with its reason.
fn read_log<T: Send>(
    register: &Register,
    data: &DataInput,
    fields: &[LogField],
    parse: impl Fn(&[Option<usize>], &[Option<&str>]) -> Result<T, String> + Sync,
    numbered: impl Fn(&mut T, u64, Option<u64>) + Sync,
) -> Result<(Vec<T>, InputReport), Error> {
    let source = RowSource::open(&data.path, &data.read)?;
    let mut input = InputReport::for_source(&register.name, &source);
    let mut positions = vec![Some(log_key_position(register, &source)?)];
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
    let mut chunks = source.read_ahead(parallel::group_size());
    let mut parsed = Vec::new();
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
            parsed.extend(rows.into_iter().map(|(row, (line, mut value))| {
                numbered(&mut value, row, line);
                value
            }));
        },
    )?;
    Ok((parsed, input))
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

pub(super) fn read_logs(register: &Register, events: &DataInput) -> Result<Logs, Error> {
    let headers = &marketing_vocabulary().log_headers;
    let sent_field = LogField {
        what: "sent_at",
        headers: &headers.sent_at,
        required: true,
    };
    let (events, events_input) = read_log(
        register,
        events,
        &[channel_field(), sent_field],
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
        |event, row, line| {
            event.row = row;
            event.line = line;
        },
    )?;
    let events_path = events_input.path.clone();
    let mut ban_log: FxHashMap<String, Vec<Ban>> = FxHashMap::default();
    let bans_input = match &register.bans {
        None => None,
        Some(bans) => {
            let fields = [
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
            ];
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
            let (rows, input) = read_log(register, bans, &fields, parse, |_, _, _| {})?;
            for (key, ban) in rows {
                ban_log.entry(key).or_default().push(ban);
            }
            Some(input)
        }
    };
    Ok(Logs {
        events,
        events_path,
        events_input,
        ban_log,
        bans_input,
    })
}

pub(super) fn check_events(
    register: &Register,
    rules: &[&ActiveRule<'_>],
    logs: &mut Logs,
    profiles: &FxHashMap<String, Profile>,
    options: &AuditOptions,
) -> Result<Vec<Finding>, Error> {
    // Events for records the register does not have cannot be judged: rejected, and said so.
    let mut known = std::mem::take(&mut logs.events);
    // One lookup per event: kept events get their record's profile beside them.
    let mut profile_of: Vec<&Profile> = Vec::with_capacity(known.len());
    known.retain(|event| match profiles.get(&event.key) {
        Some(profile) => {
            profile_of.push(profile);
            true
        }
        None => {
            let masked = mask_key(&event.key, options.reveal);
            logs.events_input.reject(
                event.row,
                format!("no record with key `{masked}` in the register's data"),
            );
            false
        }
    });
    logs.events_input.rejected.sort_by_key(|r| r.row);
    // Blocked or deselected event rules: the rows are accounted for, and no
    // frames are built for rules that will not run.
    if rules.is_empty() {
        return Ok(Vec::new());
    }
    let internal = |e: polars::prelude::PolarsError| {
        InputError::new(
            std::path::Path::new(&logs.events_path),
            format!("internal: marketing join failed: {e}"),
        )
    };
    let frames =
        MarketingFrames::new(&known, &profile_of, profiles, &logs.ban_log).map_err(internal)?;
    let ctx = MarketingContext {
        notice: &register.notice,
        events: &known,
        frames,
    };
    let origin = Origin::new(&register.name, &logs.events_path, &[]);
    let channel_column: std::sync::Arc<str> = "channel".into();
    // Each rule scans every event: the rules run side by side.
    let hits: Vec<(&ActiveRule, Vec<EventHit>)> = rules
        .par_iter()
        .filter_map(|rule| rule.rule.events().map(|check| (*rule, check)))
        .map(|(rule, check)| {
            let mut hits = Vec::new();
            check.check_events(&ctx, &mut hits)?;
            Ok((rule, hits))
        })
        .collect::<Result<_, polars::prelude::PolarsError>>()
        .map_err(internal)?;
    let mut findings = Vec::new();
    for (rule, hits) in hits {
        for hit in hits {
            let event = &known[hit.event];
            let identity = format!("{}|{}|{}", event.key, event.channel.name(), event.sent_at);
            let place = Place {
                origin: &origin,
                row: event.row,
                line: event.line,
                record: Some(&event.key),
                identity: ["key:", &identity],
                column: Some(std::sync::Arc::clone(&channel_column)),
                // The event (channel and time) is in the identity already.
                value_identifies: false,
            };
            let hit = Hit::new(None, hit.message).evidence(
                ValueKind::Plain,
                &format!("{} {}", event.channel.name(), event.sent_at),
            );
            findings.push(complete(hit, rule, place, options));
        }
    }
    Ok(findings)
}
