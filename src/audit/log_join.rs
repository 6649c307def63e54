//! The marketing join: each event with its record's profile and bans, a few
//! parts of the keys at a time (`partitions.rs`): a step's events, bans and
//! profiles are the only ones decoded in memory, about the records bound of
//! each, so memory does not follow the logs. Each step's polars queries use
//! every core; the steps run one after another.

use super::complete::{complete, ActiveRule, Origin, Place};
use super::logs::{spill_error, Logs};
use super::partitions::{parts_per_step, Partitions, PARTS};
use super::sink::Sink;
use super::AuditOptions;
use crate::error::{Error, InputError};
use crate::mask::{mask_key, ValueKind};
use crate::register::Register;
use crate::rules::context::Hit;
use crate::rules::marketing::{Ban, Event, EventHit, MarketingContext, MarketingFrames, Profile};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The profiles the register's rows give, stored by key. When a key has
/// several rows, the last one in file order wins (files in their given order).
pub(super) struct Profiles(Mutex<Partitions>);

/// A stored profile: key, the register file's index, the profile's place
/// among that file's profiles, and the profile.
#[derive(Serialize)]
struct StoredProfile<'a>(&'a str, u32, u64, &'a Profile);
#[derive(Deserialize)]
struct ReadProfile(String, u32, u64, Profile);

impl Profiles {
    pub(super) fn new(bound: usize) -> Self {
        Profiles(Mutex::new(Partitions::new(bound)))
    }

    /// Stores one file's profiles; `first` is the place of the first of them
    /// among the file's profiles.
    pub(super) fn put(
        &self,
        file: usize,
        first: u64,
        profiles: &[(String, Profile)],
    ) -> std::io::Result<()> {
        let mut parts = self.0.lock().unwrap_or_else(|e| e.into_inner());
        for (place, (key, profile)) in (first..).zip(profiles) {
            parts.push(key, &StoredProfile(key, file as u32, place, profile))?;
        }
        Ok(())
    }

    fn into_inner(self) -> Partitions {
        self.0.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

/// What one step of the join gave besides its findings (which go to the sink).
struct PartResult {
    /// Events whose record the register does not have: (row, reason).
    rejected: Vec<(u64, String)>,
}

/// Joins the events with the profiles and bans and runs the marketing rules
/// on every part; events for records the register does not have are
/// rejected, and said so.
pub(super) fn check_events(
    register: &Register,
    rules: &[&ActiveRule<'_>],
    logs: &mut Logs,
    profiles: Profiles,
    options: &AuditOptions,
    sink: &Sink,
) -> Result<(), Error> {
    let profiles = profiles.into_inner();
    let origin = Origin::new(&register.name, &logs.events_path, &[]);
    let joint = Joint {
        register,
        rules,
        logs: &*logs,
        profiles: &profiles,
        origin: &origin,
        options,
        channel_column: "channel".into(),
    };
    let most = logs.events.len().max(logs.bans.len()).max(profiles.len());
    let step = parts_per_step(most, options.log_records_in_memory);
    let steps: Vec<Range<usize>> = (0..PARTS)
        .step_by(step)
        .map(|first| first..(first + step).min(PARTS))
        .collect();
    let mut rejected = Vec::new();
    // Two steps side by side keep both cores busy while each holds its
    // bound; a free-for-all over the steps would let the waits on polars'
    // own pool start ever more of them.
    for pair in steps.chunks(2) {
        let (first, second) = rayon::join(
            || joint.join_parts(pair[0].clone(), sink),
            || {
                pair.get(1)
                    .map(|p| joint.join_parts(p.clone(), sink))
                    .transpose()
            },
        );
        rejected.extend(first?.rejected);
        rejected.extend(second?.into_iter().flat_map(|r| r.rejected));
    }
    for (row, reason) in rejected {
        logs.events_input.reject(row, reason);
    }
    logs.events_input.rejected.sort_by_key(|r| r.row);
    Ok(())
}

/// Everything a part of the join reads.
struct Joint<'a> {
    register: &'a Register,
    rules: &'a [&'a ActiveRule<'a>],
    logs: &'a Logs,
    profiles: &'a Partitions,
    origin: &'a Origin,
    options: &'a AuditOptions,
    channel_column: Arc<str>,
}

impl Joint<'_> {
    fn join_parts(&self, parts: Range<usize>, sink: &Sink) -> Result<PartResult, Error> {
        let path = Path::new(&self.logs.events_path);
        let read_error = |e| spill_error(path, e);
        let mut events: Vec<Event> = self
            .logs
            .events
            .read_parts(parts.clone())
            .map_err(read_error)?;
        let bans: Vec<(String, Ban)> = self
            .logs
            .bans
            .read_parts(parts.clone())
            .map_err(read_error)?;
        let mut ban_log: FxHashMap<String, Vec<Ban>> =
            FxHashMap::with_capacity_and_hasher(bans.len(), Default::default());
        for (key, ban) in bans {
            ban_log.entry(key).or_default().push(ban);
        }
        let mut stored: Vec<ReadProfile> = self.profiles.read_parts(parts).map_err(read_error)?;
        // Each file's profiles are in file order already; the files, which
        // were read side by side, are put in their order, and the last wins.
        stored.sort_by_key(|p| (p.1, p.2));
        let mut profiles: FxHashMap<String, Profile> =
            FxHashMap::with_capacity_and_hasher(stored.len(), Default::default());
        for ReadProfile(key, _, _, profile) in stored {
            profiles.insert(key, profile);
        }

        let mut rejected = Vec::new();
        // One lookup per event: kept events get their record's profile beside them.
        let mut profile_of: Vec<&Profile> = Vec::with_capacity(events.len());
        events.retain(|event| match profiles.get(&event.key) {
            Some(profile) => {
                profile_of.push(profile);
                true
            }
            None => {
                let masked = mask_key(&event.key, self.options.reveal);
                rejected.push((
                    event.row,
                    format!("no record with key `{masked}` in the register's data"),
                ));
                false
            }
        });
        // Blocked or deselected event rules: the rows are accounted for, and
        // no frames are built for rules that will not run.
        if self.rules.is_empty() || events.is_empty() {
            return Ok(PartResult { rejected });
        }
        let internal = |e: polars::prelude::PolarsError| {
            InputError::new(path, format!("internal: marketing join failed: {e}"))
        };
        let frames =
            MarketingFrames::new(&events, &profile_of, &profiles, &ban_log).map_err(internal)?;
        let ctx = MarketingContext {
            notice: &self.register.notice,
            events: &events,
            frames,
        };
        let mut findings = Vec::new();
        for rule in self.rules {
            let Some(check) = rule.rule.events() else {
                continue;
            };
            let mut hits = Vec::new();
            check.check_events(&ctx, &mut hits).map_err(internal)?;
            findings.extend(hits.into_iter().map(|hit| self.finding(rule, &events, hit)));
        }
        sink.put(findings);
        Ok(PartResult { rejected })
    }

    fn finding(
        &self,
        rule: &ActiveRule<'_>,
        events: &[Event],
        hit: EventHit,
    ) -> crate::finding::Finding {
        let event = &events[hit.event];
        let identity = format!("{}|{}|{}", event.key, event.channel.name(), event.sent_at);
        let place = Place {
            origin: self.origin,
            row: event.row,
            line: event.line,
            record: Some(&event.key),
            identity: ["key:", &identity],
            column: Some(Arc::clone(&self.channel_column)),
            // The event (channel and time) is in the identity already.
            value_identifies: false,
        };
        let hit = Hit::new(None, hit.message).evidence(
            ValueKind::Plain,
            &format!("{} {}", event.channel.name(), event.sent_at),
        );
        complete(hit, rule, place, self.options)
    }
}
