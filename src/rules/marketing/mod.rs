//! Marketing rules over the event and ban logs: MKT001 a ban not honoured,
//! MKT002 electronic marketing without opt-in. The register contributes one
//! small profile per record that has events, so memory is bounded by the logs.
//! Each rule is one file; the vocabulary is data in `rules/marketing.toml`.

mod ban_unhonoured;
mod channel;
mod frames;
mod micros;
mod profile;
mod vocabulary;
mod without_consent;

pub use ban_unhonoured::MarketingBanUnhonoured;
pub use channel::Channel;
pub use frames::MarketingFrames;
pub use profile::{profile, Ban, Profile};
pub use vocabulary::{find_header, marketing_vocabulary, LogHeaders, MARKETING_TOML};
pub use without_consent::MarketingWithoutConsent;

use crate::columns::Role;
use crate::notice::Notice;
use chrono::NaiveDateTime;

/// One marketing event from the event log.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Event {
    pub row: u64,
    /// The line of the event log where the event's row starts.
    pub line: Option<u64>,
    pub key: String,
    pub channel: Channel,
    #[serde(with = "micros")]
    pub sent_at: NaiveDateTime,
}

/// Everything the marketing rules see for one register: the events, and the
/// events, profiles and bans as polars frames for the rules to join.
pub struct MarketingContext<'a> {
    pub notice: &'a Notice,
    pub events: &'a [Event],
    pub frames: MarketingFrames,
}

/// What decides whether a marketing rule can run for a register: its notice,
/// whether a ban log was given, and the roles its data files have.
pub struct EventCoverage<'a> {
    pub notice: &'a Notice,
    pub has_ban_log: bool,
    pub roles: &'a [Role],
}

impl EventCoverage<'_> {
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.roles.contains(r))
    }
}

/// A marketing rule's result: the event (by index) and what is wrong with it.
#[derive(Debug, Clone)]
pub struct EventHit {
    pub event: usize,
    pub message: String,
}

#[cfg(test)]
mod tests;
