//! Marketing rules over the event and ban logs: MKT001 a ban not honoured,
//! MKT002 electronic marketing without opt-in. The register contributes one
//! small profile per record that has events, so memory is bounded by the logs.

use super::context::Row;
use super::Check;
use crate::ingest::values::{parse_bool, parse_datetime};
use crate::notice::Notice;
use crate::vocab::{normalize_header, Role};
use chrono::NaiveDateTime;
use polars::prelude::*;
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

/// Everything the marketing rules see for one register: the events, and the
/// events, profiles and bans as polars frames for the rules to join.
pub struct MarketingContext<'a> {
    pub notice: &'a Notice,
    pub events: &'a [Event],
    pub frames: MarketingFrames,
}

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

fn inner_join_on_key(left: &DataFrame, right: &DataFrame) -> LazyFrame {
    left.clone().lazy().join(
        right.clone().lazy(),
        [col("key")],
        [col("key")],
        JoinArgs::new(JoinType::Inner),
    )
}

fn channel_from_code(code: u32) -> Channel {
    [
        Channel::Email,
        Channel::Sms,
        Channel::Post,
        Channel::Phone,
        Channel::Push,
    ]
    .into_iter()
    .find(|c| *c as u32 == code)
    .unwrap_or(Channel::All)
}

/// A marketing rule's result: the event (by index) and what is wrong with it.
#[derive(Debug, Clone)]
pub struct EventHit {
    pub rule: &'static str,
    pub event: usize,
    pub message: String,
}

/// MKT001: an event on a channel while a ban on it (or on all channels) was in
/// force. Events join their record's bans; the first ban in force is named.
pub struct MarketingBanUnhonoured;

impl Check for MarketingBanUnhonoured {
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
                rule: "MKT001",
                event: i as usize,
                message: format!(
                    "{} marketing sent on {} after the person banned {} marketing on {since}",
                    event.channel.name(),
                    event.sent_at.date(),
                    channel_from_code(channel).name(),
                ),
            });
        }
        Ok(())
    }
}

/// MKT002: e-mail or SMS marketing to a natural person without opt-in: a
/// filter over the events and their records' flags.
pub struct MarketingWithoutConsent;

impl Check for MarketingWithoutConsent {
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
                rule: "MKT002",
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::parse_notice;

    fn at(date: &str) -> NaiveDateTime {
        parse_datetime(date).unwrap()
    }

    fn notice(exception: bool) -> Notice {
        let text = format!(
            "[notice]\ncontroller = \"Esimerkki Oy\"\nregister = \"R\"\nlanguage = \"fi\"\n\
             [[purposes]]\nname = \"Markkinointi\"\nlegal_basis = \"consent\"\n\
             [categories]\ndeclared = [\"user.name\"]\n\
             [marketing]\nchannels = [\"email\", \"sms\"]\nelectronic_opt_in = true\n\
             existing_customer_exception = {exception}\n"
        );
        parse_notice(std::path::Path::new("notice.toml"), &text).unwrap()
    }

    fn event(key: &str, channel: Channel, sent: &str) -> Event {
        Event {
            row: 0,
            key: key.into(),
            channel,
            sent_at: at(sent),
        }
    }

    fn ban(channel: Channel, since: Option<&str>) -> Ban {
        Ban {
            channel,
            since: since.map(at),
            until: None,
        }
    }

    fn run(
        check: &dyn Check,
        notice: &Notice,
        events: &[Event],
        profiles: &HashMap<String, Profile>,
        ban_log: &HashMap<String, Vec<Ban>>,
    ) -> Vec<(usize, String)> {
        let profile_of: Vec<&Profile> = events.iter().map(|e| &profiles[&e.key]).collect();
        let ctx = MarketingContext {
            notice,
            events,
            frames: MarketingFrames::new(events, &profile_of, profiles, ban_log).unwrap(),
        };
        let mut hits = Vec::new();
        check.check_events(&ctx, &mut hits).unwrap();
        hits.into_iter().map(|h| (h.event, h.message)).collect()
    }

    #[test]
    fn the_first_ban_in_force_is_named_log_before_columns() {
        let mut profiles = HashMap::default();
        let column_ban = Profile {
            bans: vec![ban(Channel::All, Some("2026-01-01"))],
            ..Profile::default()
        };
        profiles.insert("K1".to_string(), column_ban);
        profiles.insert("K2".to_string(), Profile::default());
        let mut ban_log = HashMap::default();
        ban_log.insert(
            "K1".to_string(),
            vec![
                ban(Channel::Email, Some("2026-02-01")),
                ban(Channel::All, Some("2026-03-01")),
            ],
        );
        let events = [
            event("K1", Channel::Email, "2026-04-01"),
            event("K1", Channel::Sms, "2026-04-01"),
            event("K1", Channel::Email, "2026-01-15"),
            event("K1", Channel::Email, "2025-12-31"),
            event("K2", Channel::Email, "2026-04-01"),
        ];
        let hits = run(
            &MarketingBanUnhonoured,
            &notice(false),
            &events,
            &profiles,
            &ban_log,
        );
        let expected = [
            (0, "email marketing sent on 2026-04-01 after the person banned email marketing on 2026-02-01"),
            (1, "sms marketing sent on 2026-04-01 after the person banned all marketing on 2026-03-01"),
            (2, "email marketing sent on 2026-01-15 after the person banned all marketing on 2026-01-01"),
        ];
        let expected: Vec<(usize, String)> =
            expected.iter().map(|(i, m)| (*i, m.to_string())).collect();
        assert_eq!(hits, expected);
    }

    #[test]
    fn electronic_marketing_needs_opt_in_unless_an_exception_applies() {
        let person = |email, sms, company, purchase| Profile {
            email_opt_in: email,
            sms_opt_in: sms,
            is_company: company,
            has_purchase: purchase,
            bans: Vec::new(),
        };
        let mut profiles = HashMap::default();
        profiles.insert("none".to_string(), person(false, false, false, false));
        profiles.insert("email".to_string(), person(true, false, false, false));
        profiles.insert("firm".to_string(), person(false, false, true, false));
        profiles.insert("buyer".to_string(), person(false, false, false, true));
        let events = [
            event("none", Channel::Email, "2026-01-01"),
            event("none", Channel::Post, "2026-01-01"),
            event("email", Channel::Email, "2026-01-01"),
            event("email", Channel::Sms, "2026-01-01"),
            event("firm", Channel::Sms, "2026-01-01"),
            event("buyer", Channel::Email, "2026-01-01"),
        ];
        let none = HashMap::default();
        let flagged = |exception| {
            run(
                &MarketingWithoutConsent,
                &notice(exception),
                &events,
                &profiles,
                &none,
            )
            .into_iter()
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
        };
        assert_eq!(flagged(false), vec![0, 3, 5]);
        assert_eq!(flagged(true), vec![0, 3]);
    }
}
