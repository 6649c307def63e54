//! The marketing logs and profiles as polars frames, for the rules to join
//! and filter (the relational steps map one to one onto SQL).

use super::{Ban, Event, Profile};
use chrono::NaiveDateTime;
use polars::prelude::*;
use rustc_hash::FxHashMap as HashMap;

/// The marketing logs and profiles as columns. `events`: idx (position in
/// `MarketingContext::events`), key, channel, sent (µs since the epoch) and
/// the opt-in, company and purchase flags of the record's profile. `bans`:
/// key, ban_channel, since and until (null when unknown or never lifted) and
/// `order` (see `MarketingFrames::new`).
pub struct MarketingFrames {
    pub events: DataFrame,
    pub bans: DataFrame,
}

fn micros(at: NaiveDateTime) -> i64 {
    at.and_utc().timestamp_micros()
}

impl MarketingFrames {
    /// Frames for `events`, each with the profile of its record
    /// (`profile_of[i]` for `events[i]`).
    pub fn new(
        events: &[Event],
        profile_of: &[&Profile],
        profiles: &HashMap<String, Profile>,
        ban_log: &HashMap<String, Vec<Ban>>,
    ) -> PolarsResult<Self> {
        let flag = |f: fn(&Profile) -> bool| profile_of.iter().map(|p| f(p)).collect::<Vec<_>>();
        let events = DataFrame::new(
            events.len(),
            vec![
                Column::new("idx".into(), (0..events.len() as u32).collect::<Vec<_>>()),
                Column::new(
                    "key".into(),
                    events.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
                ),
                Column::new(
                    "channel".into(),
                    events.iter().map(|e| e.channel as u32).collect::<Vec<_>>(),
                ),
                Column::new(
                    "sent".into(),
                    events.iter().map(|e| micros(e.sent_at)).collect::<Vec<_>>(),
                ),
                Column::new("email_opt_in".into(), flag(|p| p.email_opt_in)),
                Column::new("sms_opt_in".into(), flag(|p| p.sms_opt_in)),
                Column::new("is_company".into(), flag(|p| p.is_company)),
                Column::new("has_purchase".into(), flag(|p| p.has_purchase)),
            ],
        )?;
        // Keys may come in any order: a result depends only on the order of
        // one key's bans (the log in file order, then the register's columns),
        // which `order` keeps.
        let all_bans: Vec<(&str, &Ban)> = ban_log
            .iter()
            .flat_map(|(k, bans)| bans.iter().map(move |b| (k.as_str(), b)))
            .chain(
                profiles
                    .iter()
                    .flat_map(|(k, p)| p.bans.iter().map(move |b| (k.as_str(), b))),
            )
            .collect();
        let bans = DataFrame::new(
            all_bans.len(),
            vec![
                Column::new(
                    "key".into(),
                    all_bans.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
                ),
                Column::new(
                    "ban_channel".into(),
                    all_bans
                        .iter()
                        .map(|(_, b)| b.channel as u32)
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "since".into(),
                    all_bans
                        .iter()
                        .map(|(_, b)| b.since.map(micros))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "until".into(),
                    all_bans
                        .iter()
                        .map(|(_, b)| b.until.map(micros))
                        .collect::<Vec<_>>(),
                ),
                Column::new(
                    "order".into(),
                    (0..all_bans.len() as u32).collect::<Vec<_>>(),
                ),
            ],
        )?;
        Ok(MarketingFrames { events, bans })
    }
}

pub(super) fn inner_join_on_key(left: &DataFrame, right: &DataFrame) -> LazyFrame {
    left.clone().lazy().join(
        right.clone().lazy(),
        [col("key")],
        [col("key")],
        JoinArgs::new(JoinType::Inner),
    )
}
