//! MKT001 marketing-ban-unhonoured.

use super::frames::inner_join_on_key;
use super::{Channel, EventCoverage, EventHit, MarketingContext};
use crate::columns::Role;
use crate::rules::{Coverage, EventCheck, Gap};
use polars::prelude::*;

/// MKT001: an event on a channel while a ban on it (or on all channels) was in
/// force. Events join their record's bans; the first ban in force is named.
pub struct MarketingBanUnhonoured;

impl EventCheck for MarketingBanUnhonoured {
    fn coverage(&self, ctx: &EventCoverage<'_>) -> Coverage {
        if ctx.has_ban_log || ctx.has_any(&[Role::MarketingBan, Role::MarketingBanDate]) {
            return Coverage::Evaluated(Vec::new());
        }
        Coverage::Blocked(Gap {
            reason: "marketing events are given, but there is no ban log and no ban column".into(),
            needs: vec![Role::MarketingBan, Role::MarketingBanDate],
        })
    }

    fn check_events(
        &self,
        ctx: &MarketingContext<'_>,
        hits: &mut Vec<EventHit>,
    ) -> PolarsResult<()> {
        let in_force = col("ban_channel")
            .eq(lit(Channel::All as u32))
            .or(col("ban_channel").eq(col("channel")))
            .and(col("since").is_null().or(col("sent").gt_eq(col("since"))))
            .and(col("until").is_null().or(col("sent").lt(col("until"))));
        let found = inner_join_on_key(&ctx.frames.events, &ctx.frames.bans)
            .filter(in_force)
            .select([col("idx"), col("order"), col("ban_channel"), col("since")])
            .sort_by_exprs([col("idx"), col("order")], SortMultipleOptions::default())
            .collect()?;
        let idx = found.column("idx")?.u32()?;
        let ban_channel = found.column("ban_channel")?.u32()?;
        let since = found.column("since")?.i64()?;
        let mut previous = None;
        for row in 0..found.height() {
            let (Some(i), Some(channel)) = (idx.get(row), ban_channel.get(row)) else {
                continue;
            };
            let since = since.get(row);
            if previous == Some(i) {
                continue; // a later ban for the same event
            }
            previous = Some(i);
            let event = &ctx.events[i as usize];
            let since = since
                .and_then(chrono::DateTime::from_timestamp_micros)
                .map(|s| s.date_naive().to_string())
                .unwrap_or_else(|| "an unknown date".into());
            hits.push(EventHit {
                event: i as usize,
                message: format!(
                    "{} marketing sent on {} after the person banned {} marketing on {since}",
                    event.channel.name(),
                    event.sent_at.date(),
                    Channel::from_code(channel).name(),
                ),
            });
        }
        Ok(())
    }
}
