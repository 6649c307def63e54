//! The marketing rules through their frames: which ban is named, who needs opt-in.
use super::*;
use crate::notice::parse_notice;
use crate::rules::EventCheck;
use crate::values::parse_datetime;
use rustc_hash::FxHashMap as HashMap;

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
        line: None,
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
    check: &dyn EventCheck,
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
