//! MKT001 and MKT002 in SQL: the marketing join. The event and ban logs are
//! sources of their own (rows views like a data file's, `logs`); each event
//! joins the profile of its record (opt-ins, company, purchase, a ban in the
//! record's own columns), and MKT001 each ban of the record whose interval
//! [since, until) holds the event (`join`). Mirrors `rules::marketing` and
//! `audit::logs`: the same log columns, channel synonyms, rejected rows
//! (no key, an unknown channel, no date; events of records the register does
//! not have), messages and finding identities.

mod join;
mod logs;

pub use join::{MarketingSql, ProfileInput};
pub use logs::{open_bans, open_events, PROFILE_ROLES};
