//! What the marketing rules need to know about one record of the register:
//! its opt-ins, whether it is a company, whether it has bought, and the bans
//! in its own columns. Built only for records that have marketing events.

use super::vocabulary::marketing_vocabulary;
use super::Channel;
use crate::columns::Role;
use crate::rules::context::Row;
use crate::text::with_value_key;
use crate::values::{parse_bool, parse_datetime};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use super::micros;

/// A ban on a channel (or all) from `since`, until `until` when it was lifted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ban {
    pub channel: Channel,
    /// `None`: the register says the person banned marketing, but not when.
    #[serde(with = "micros::optional")]
    pub since: Option<NaiveDateTime>,
    #[serde(with = "micros::optional")]
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
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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
        with_value_key(v, |key| {
            marketing_vocabulary()
                .company_words
                .iter()
                .any(|w| key.contains(w.as_str()))
        })
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
