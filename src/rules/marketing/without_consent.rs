//! MKT002 marketing-without-consent.

use super::{Channel, EventCoverage, EventHit, MarketingContext};
use crate::columns::Role;
use crate::rules::{Coverage, EventCheck, Gap};
use polars::prelude::*;

/// MKT002: e-mail or SMS marketing to a natural person without opt-in: a
/// filter over the events and their records' flags.
pub struct MarketingWithoutConsent;

impl EventCheck for MarketingWithoutConsent {
    fn coverage(&self, ctx: &EventCoverage<'_>) -> Coverage {
        if !ctx.notice.marketing.electronic_opt_in {
            return Coverage::Skipped(
                "the notice does not require opt-in for electronic marketing".into(),
            );
        }
        if ctx.has_any(&[Role::Consent, Role::SmsConsent]) {
            return Coverage::Evaluated(Vec::new());
        }
        // Without a consent column every person would look unconsented.
        Coverage::Blocked(Gap {
            reason: "the notice requires opt-in for e-mail and SMS marketing, but no column records the person's consent".into(),
            needs: vec![Role::Consent, Role::SmsConsent],
        })
    }

    fn check_events(
        &self,
        ctx: &MarketingContext<'_>,
        hits: &mut Vec<EventHit>,
    ) -> PolarsResult<()> {
        let marketing = &ctx.notice.marketing;
        if !marketing.electronic_opt_in {
            return Ok(());
        }
        let sms = col("channel").eq(lit(Channel::Sms as u32));
        let electronic = col("channel")
            .eq(lit(Channel::Email as u32))
            .or(sms.clone());
        let opted_in = when(sms)
            .then(col("sms_opt_in"))
            .otherwise(col("email_opt_in"));
        let mut unlawful = electronic.and(opted_in.not()).and(col("is_company").not());
        if marketing.existing_customer_exception {
            unlawful = unlawful.and(col("has_purchase").not());
        }
        let found = ctx
            .frames
            .events
            .clone()
            .lazy()
            .filter(unlawful)
            .select([col("idx")])
            .sort(["idx"], SortMultipleOptions::default())
            .collect()?;
        let idx = found.column("idx")?.u32()?;
        for i in (0..found.height()).filter_map(|row| idx.get(row)) {
            let event = &ctx.events[i as usize];
            hits.push(EventHit {
                event: i as usize,
                message: format!(
                    "{} marketing to a natural person who has not opted in to it",
                    event.channel.name()
                ),
            });
        }
        Ok(())
    }
}
