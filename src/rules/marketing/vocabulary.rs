//! The marketing vocabulary of `rules/marketing.toml`: channel names, the
//! header names of the event and ban logs, and company words. Data, not code,
//! so a user can read and extend it as they do the register's header synonyms.

use super::Channel;
use crate::columns::header_words;
use crate::text::value_key;
use serde::Deserialize;
use std::sync::OnceLock;

pub const MARKETING_TOML: &str = include_str!("../../../rules/marketing.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChannelNames {
    email: Vec<String>,
    sms: Vec<String>,
    post: Vec<String>,
    phone: Vec<String>,
    push: Vec<String>,
    all: Vec<String>,
}

/// Header names each field of the marketing logs may have.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogHeaders {
    pub channel: Vec<String>,
    pub sent_at: Vec<String>,
    pub banned_at: Vec<String>,
    pub lifted_at: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomerType {
    company_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarketingFile {
    channels: ChannelNames,
    log_headers: LogHeaders,
    customer_type: CustomerType,
}

pub struct MarketingVocabulary {
    /// Every channel name, as a value key, with its channel.
    pub channel_names: Vec<(String, Channel)>,
    pub log_headers: LogHeaders,
    /// As value keys.
    pub company_words: Vec<String>,
}

pub fn marketing_vocabulary() -> &'static MarketingVocabulary {
    static VOCAB: OnceLock<MarketingVocabulary> = OnceLock::new();
    VOCAB.get_or_init(|| {
        // Built-in data, checked by tests: a failure here is a build defect.
        let file: MarketingFile =
            toml::from_str(MARKETING_TOML).expect("rules/marketing.toml is valid");
        let c = file.channels;
        let channel_names = [
            (c.email, Channel::Email),
            (c.sms, Channel::Sms),
            (c.post, Channel::Post),
            (c.phone, Channel::Phone),
            (c.push, Channel::Push),
            (c.all, Channel::All),
        ]
        .into_iter()
        .flat_map(|(names, channel)| names.into_iter().map(move |n| (value_key(&n), channel)))
        .collect();
        MarketingVocabulary {
            channel_names,
            log_headers: file.log_headers,
            company_words: file
                .customer_type
                .company_words
                .iter()
                .map(|w| value_key(w))
                .collect(),
        }
    })
}

/// Finds the column whose header is one of `names`, whole or after leading
/// qualifiers (`Kiellon purkupäivä`, `ban lifted at`), compared by their words.
pub fn find_header(headers: &[String], names: &[String]) -> Option<usize> {
    let names: Vec<String> = names.iter().map(|n| header_words(n).concat()).collect();
    let words: Vec<Vec<String>> = headers.iter().map(|h| header_words(h)).collect();
    // Whole headers first, so `lifted_at` beats `ban_lifted_at` elsewhere in the file.
    (0..=words.iter().map(Vec::len).max().unwrap_or(0)).find_map(|start| {
        words
            .iter()
            .position(|w| start < w.len() && names.contains(&w[start..].concat()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vocabulary_loads_and_names_are_unique() {
        let vocab = marketing_vocabulary();
        let mut names: Vec<&str> = vocab
            .channel_names
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        let before = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), before, "a channel name is listed twice");
        assert!(!vocab.log_headers.sent_at.is_empty());
        assert!(vocab.company_words.iter().any(|w| w == "yritys"));
    }
}
