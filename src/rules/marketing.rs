//! Marketing rules over the event and ban logs: MKT001 a ban not honoured,
//! MKT002 electronic marketing without opt-in. The register contributes one
//! small profile per record that has events, so memory is bounded by the logs.

use super::context::Row;
use super::Check;
use crate::ingest::values::{parse_bool, parse_datetime};
use crate::notice::Notice;
use crate::vocab::{normalize_header, Role};
use chrono::NaiveDateTime;
use rustc_hash::FxHashMap as HashMap;

/// Marketing channels; `All` only appears in bans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Channel {
    Email,
    Sms,
    Post,
    Phone,
    Push,
    All,
}

impl Channel {
    pub fn parse(raw: &str) -> Option<Channel> {
        const NAMES: [(&str, Channel); 22] = [
            ("email", Channel::Email),
            ("e-mail", Channel::Email),
            ("sähköposti", Channel::Email),
            ("sahkoposti", Channel::Email),
            ("sposti", Channel::Email),
            ("sms", Channel::Sms),
            ("tekstiviesti", Channel::Sms),
            ("text", Channel::Sms),
            ("mobile", Channel::Sms),
            ("post", Channel::Post),
            ("posti", Channel::Post),
            ("kirje", Channel::Post),
            ("mail", Channel::Post),
            ("letter", Channel::Post),
            ("phone", Channel::Phone),
            ("puhelin", Channel::Phone),
            ("telemarketing", Channel::Phone),
            ("call", Channel::Phone),
            ("push", Channel::Push),
            ("all", Channel::All),
            ("kaikki", Channel::All),
            ("*", Channel::All),
        ];
        let raw = raw.trim();
        // Runs on every logged event: no lower-case copy for ASCII names.
        let lower = (!raw.is_ascii()).then(|| raw.to_lowercase());
        NAMES.iter().find_map(|&(name, channel)| {
            let hit = match &lower {
                Some(lower) => lower == name,
                None => raw.eq_ignore_ascii_case(name),
            };
            hit.then_some(channel)
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Sms => "sms",
            Channel::Post => "post",
            Channel::Phone => "phone",
            Channel::Push => "push",
            Channel::All => "all",
        }
    }

    /// E-mail and SMS are the electronic direct marketing MKT002 judges under
    /// 917/2014 200 §; push notifications are left out until the law's reach is checked.
    pub fn is_electronic(self) -> bool {
        matches!(self, Channel::Email | Channel::Sms)
    }
}

/// Header names the event and ban logs may use for each field.
pub const CHANNEL_HEADERS: [&str; 3] = ["channel", "kanava", "viestikanava"];
pub const SENT_HEADERS: [&str; 5] = ["sent_at", "sent", "lahetetty", "lahetys_pvm", "date"];
pub const BANNED_HEADERS: [&str; 5] = [
    "banned_at",
    "kielto_alkoi",
    "kielletty",
    "kielto_pvm",
    "since",
];
pub const LIFTED_HEADERS: [&str; 5] = [
    "lifted_at",
    "kielto_paattyi",
    "kielto_poistettu",
    "until",
    "peruttu",
];

/// Finds the column whose normalised header is one of `names`.
pub fn find_header(headers: &[String], names: &[&str]) -> Option<usize> {
    headers
        .iter()
        .position(|h| names.contains(&normalize_header(h).as_str()))
}

/// A ban on a channel (or all) from `since`, until `until` when it was lifted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ban {
    pub channel: Channel,
    /// `None`: the register says the person banned marketing, but not when.
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

impl Ban {
    pub fn covers(&self, channel: Channel, at: NaiveDateTime) -> bool {
        (self.channel == Channel::All || self.channel == channel)
            && self.since.is_none_or(|s| at >= s)
            && self.until.is_none_or(|u| at < u)
    }
}

/// What the marketing rules need to know about one record of the register.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub email_opt_in: bool,
    pub sms_opt_in: bool,
    pub is_company: bool,
    pub has_purchase: bool,
    pub bans: Vec<Ban>,
}

fn flag(row: &Row<'_>, role: Role) -> Option<bool> {
    row.value(role).and_then(|(_, v)| parse_bool(v))
}

const COMPANY_WORDS: [&str; 8] = [
    "yritys",
    "company",
    "business",
    "organisaatio",
    "organisation",
    "organization",
    "yhteisö",
    "b2b",
];

fn contains_ignore_ascii_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Builds the profile of a register row that has marketing events.
pub fn profile(row: &Row<'_>) -> Profile {
    let consent = flag(row, Role::Consent);
    let has_sms_column = row.file.has_role(Role::SmsConsent);
    let sms = if has_sms_column {
        flag(row, Role::SmsConsent)
    } else {
        consent
    };
    let is_company = row.value(Role::CustomerType).is_some_and(|(_, v)| {
        let v = if v.is_ascii() {
            std::borrow::Cow::Borrowed(v)
        } else {
            std::borrow::Cow::Owned(v.to_lowercase())
        };
        COMPANY_WORDS
            .iter()
            .any(|w| contains_ignore_ascii_case(&v, w))
    });
    let mut bans = Vec::new();
    if flag(row, Role::MarketingBan) == Some(true) || row.value(Role::MarketingBanDate).is_some() {
        let since = row
            .value(Role::MarketingBanDate)
            .and_then(|(_, v)| parse_datetime(v));
        bans.push(Ban {
            channel: Channel::All,
            since,
            until: None,
        });
    }
    Profile {
        email_opt_in: consent.unwrap_or(false),
        sms_opt_in: sms.unwrap_or(false),
        is_company,
        has_purchase: row.value(Role::LastPurchase).is_some(),
        bans,
    }
}

/// One marketing event from the event log.
#[derive(Debug, Clone)]
pub struct Event {
    pub row: u64,
    pub key: String,
    pub channel: Channel,
    pub sent_at: NaiveDateTime,
}

/// Everything the marketing rules see for one register.
pub struct MarketingContext<'a> {
    pub notice: &'a Notice,
    pub events: &'a [Event],
    pub profiles: &'a HashMap<String, Profile>,
    /// Bans from the ban log, by record key.
    pub ban_log: &'a HashMap<String, Vec<Ban>>,
}

impl MarketingContext<'_> {
    /// Bans from the log and from the register's own ban columns.
    pub fn bans<'b>(&'b self, key: &str) -> impl Iterator<Item = &'b Ban> + 'b {
        let logged = self.ban_log.get(key).into_iter().flatten();
        let columns = self
            .profiles
            .get(key)
            .into_iter()
            .flat_map(|p| p.bans.iter());
        logged.chain(columns)
    }
}

/// A marketing rule's result: the event (by index) and what is wrong with it.
#[derive(Debug, Clone)]
pub struct EventHit {
    pub rule: &'static str,
    pub event: usize,
    pub message: String,
}

/// MKT001: an event on a channel while a ban on it (or on all channels) was in force.
pub struct MarketingBanUnhonoured;

impl Check for MarketingBanUnhonoured {
    fn check_events(&self, ctx: &MarketingContext<'_>, hits: &mut Vec<EventHit>) {
        for (i, event) in ctx.events.iter().enumerate() {
            if let Some(ban) = ctx
                .bans(&event.key)
                .find(|b| b.covers(event.channel, event.sent_at))
            {
                let since = ban
                    .since
                    .map(|s| s.date().to_string())
                    .unwrap_or_else(|| "an unknown date".into());
                hits.push(EventHit {
                    rule: "MKT001",
                    event: i,
                    message: format!(
                        "{} marketing sent on {} after the person banned {} marketing on {since}",
                        event.channel.name(),
                        event.sent_at.date(),
                        if ban.channel == Channel::All {
                            "all"
                        } else {
                            ban.channel.name()
                        },
                    ),
                });
            }
        }
    }
}

/// MKT002: e-mail or SMS marketing to a natural person without opt-in.
pub struct MarketingWithoutConsent;

impl Check for MarketingWithoutConsent {
    fn check_events(&self, ctx: &MarketingContext<'_>, hits: &mut Vec<EventHit>) {
        let marketing = &ctx.notice.marketing;
        if !marketing.electronic_opt_in {
            return;
        }
        for (i, event) in ctx.events.iter().enumerate() {
            if !event.channel.is_electronic() {
                continue;
            }
            let Some(profile) = ctx.profiles.get(&event.key) else {
                continue;
            };
            let opted_in = match event.channel {
                Channel::Sms => profile.sms_opt_in,
                _ => profile.email_opt_in,
            };
            if opted_in || profile.is_company {
                continue;
            }
            if marketing.existing_customer_exception && profile.has_purchase {
                continue;
            }
            hits.push(EventHit {
                rule: "MKT002",
                event: i,
                message: format!(
                    "{} marketing to a natural person who has not opted in to it",
                    event.channel.name()
                ),
            });
        }
    }
}
