//! The join in SQL: profiles, events, bans, and the two rules' queries.

use super::logs::LogInput;
use crate::columns::{ColumnInfo, Role};
use crate::compile::dates::{self, Layers};
use crate::compile::dialect::Engine;
use crate::compile::exprs::{lookup_table, value_key};
use crate::compile::rules::{project_with, FileSql, Projection, RuleRun};
use crate::notice::Notice;
use crate::rules::marketing::marketing_vocabulary;
use crate::values::TRUE_WORDS;

/// A data file of the register, whose rows give profiles.
pub struct ProfileInput {
    pub rows_view: String,
    pub columns: Vec<ColumnInfo>,
}

/// The marketing logs and profiles of one register.
pub struct MarketingSql<'a> {
    pub engine: Engine,
    pub register: &'a str,
    pub notice: &'a Notice,
    pub as_of: chrono::NaiveDate,
    pub events: &'a LogInput,
    pub events_view: String,
    pub bans: Option<(&'a LogInput, String)>,
    pub profiles: &'a [ProfileInput],
}

/// `parse_bool(v) == Some(true)` for a first value `v` (NULL when none).
fn says_yes(e: Engine, v: &str) -> String {
    let words: Vec<String> = TRUE_WORDS.iter().map(|w| e.lit(w)).collect();
    format!(
        "coalesce({} IN ({}), FALSE)",
        value_key(e, v),
        words.join(", ")
    )
}

impl MarketingSql<'_> {
    fn file_sql<'b>(&'b self, rows_view: &'b str, columns: &'b [ColumnInfo]) -> FileSql<'b> {
        FileSql {
            engine: self.engine,
            register: self.register,
            file: &self.events.source.file,
            rows_view,
            columns,
            notice: self.notice,
            as_of: self.as_of,
        }
    }

    /// One row per record key (`profile::profile`): the opt-ins, company and
    /// purchase flags and a ban in the record's columns. A key on several
    /// rows keeps its last row's profile (the last file's), as the local map does.
    fn profiles(&self) -> String {
        let e = self.engine;
        let text = e.text_type();
        let mut parts = Vec::new();
        for (n, input) in self.profiles.iter().enumerate() {
            let file = self.file_sql(&input.rows_view, &input.columns);
            let value = |role: Role| file.first_value(role).0;
            let has = |role: Role| !file.columns_of(role).is_empty();
            let consent = if has(Role::Consent) {
                says_yes(e, &value(Role::Consent))
            } else {
                "FALSE".into()
            };
            let sms = if has(Role::SmsConsent) {
                says_yes(e, &value(Role::SmsConsent))
            } else {
                consent.clone()
            };
            let company = if has(Role::CustomerType) {
                let key = value_key(e, &value(Role::CustomerType));
                let words: Vec<String> = marketing_vocabulary()
                    .company_words
                    .iter()
                    .map(|w| format!("instr({key}, {}) > 0", e.lit(w)))
                    .collect();
                format!("coalesce({}, FALSE)", words.join(" OR "))
            } else {
                "FALSE".into()
            };
            let purchase = format!("({} IS NOT NULL)", value(Role::LastPurchase));
            let ban_flag = if has(Role::MarketingBan) {
                says_yes(e, &value(Role::MarketingBan))
            } else {
                "FALSE".into()
            };
            let ban_date = value(Role::MarketingBanDate);
            parts.push(format!(
                "SELECT __key AS pkey, {n} AS pfile, {order} AS prow, {consent} AS email_opt_in, \
                 {sms} AS sms_opt_in, {company} AS is_company, {purchase} AS has_purchase, \
                 ({ban_flag} OR {ban_date} IS NOT NULL) AS col_ban, CAST({ban_date} AS {text}) AS ban_date \
                 FROM {rows} WHERE __key IS NOT NULL",
                rows = input.rows_view,
                // The row's place in its file: DuckDB's `__row`, the runner's numbering in Spark.
                order = match e {
                    Engine::Duckdb => "__row",
                    Engine::Spark => "__order",
                },
            ));
        }
        let ranked = format!(
            "SELECT *, row_number() OVER (PARTITION BY pkey ORDER BY pfile DESC, prow DESC NULLS LAST, \
             email_opt_in, sms_opt_in, is_company, has_purchase, col_ban, ban_date NULLS LAST) AS prank \
             FROM ({}) u",
            parts.join(" UNION ALL ")
        );
        let mut layers = Layers::new(format!("SELECT * FROM ({ranked}) r WHERE prank = 1"), "p_");
        let since = dates::timestamp(e, &mut layers, "ban_date");
        layers.add(&[("ban_since".to_string(), since)]);
        layers.barrier(e);
        layers.sql().to_string()
    }

    fn channels(&self, alias: &str) -> String {
        let pairs: Vec<(String, String)> = marketing_vocabulary()
            .channel_names
            .iter()
            .map(|(name, channel)| (name.clone(), channel.name().to_string()))
            .collect();
        lookup_table(self.engine, alias, &pairs)
    }

    /// The events that parse (a key, a channel other than `all`, a date),
    /// each with its record's profile: records the register does not have
    /// are left out, as the local engine rejects their events.
    fn events(&self) -> String {
        let e = self.engine;
        let [channel, sent] = [self.events.fields[0], self.events.fields[1]]
            .map(|f| f.map_or_else(|| "NULL".to_string(), |i| format!("c{i}")));
        let mut layers = Layers::new(
            format!(
                "SELECT __row AS erow, __order AS eorder, __key AS ekey, {channel} AS ech, {sent} AS esent \
                 FROM {} WHERE __key IS NOT NULL AND {channel} IS NOT NULL",
                self.events_view
            ),
            "e_",
        );
        layers.add(&[("echk".to_string(), value_key(e, "ech"))]);
        let ts = dates::timestamp(e, &mut layers, "esent");
        layers.add(&[("ets".to_string(), ts)]);
        layers.barrier(e);
        format!(
            "SELECT ev.erow AS __row, ev.eorder, ev.ekey AS __key, ev.ets, ch.lookup_value AS channel, p.* \
             FROM ({events}) ev JOIN {lookup} ON ev.echk = ch.lookup_key \
             JOIN ({profiles}) p ON p.pkey = ev.ekey \
             WHERE ev.ets IS NOT NULL AND ch.lookup_value <> 'all'",
            events = layers.sql(),
            lookup = self.channels("ch"),
            profiles = self.profiles(),
        )
    }

    /// Every ban: the log's (in file order) before the record's own column
    /// ban, as `bsrc`, `bord`; `since` and `until` NULL when unknown or never lifted.
    fn bans(&self) -> String {
        let e = self.engine;
        let text = e.text_type();
        let from_columns = format!(
            "SELECT pkey AS bkey, 'all' AS bchannel, ban_since AS since, CAST(NULL AS {text}) AS until, \
             1 AS bsrc, CAST(0 AS BIGINT) AS bord FROM ({}) pc WHERE col_ban",
            self.profiles()
        );
        let Some((bans, view)) = &self.bans else {
            return from_columns;
        };
        let cell = |f: Option<usize>| {
            f.map_or_else(|| format!("CAST(NULL AS {text})"), |i| format!("c{i}"))
        };
        let (channel, since, until) = (
            cell(bans.fields[0]),
            cell(bans.fields[1]),
            cell(bans.fields[2]),
        );
        let mut layers = Layers::new(
            format!(
                "SELECT __order AS bord, __key AS bkey, {channel} AS bch, {since} AS bsince, {until} AS buntil \
                 FROM {view} WHERE __key IS NOT NULL AND {channel} IS NOT NULL"
            ),
            "b_",
        );
        layers.add(&[("bchk".to_string(), value_key(e, "bch"))]);
        let since_ts = dates::timestamp(e, &mut layers, "bsince");
        let until_ts = dates::timestamp(e, &mut layers, "buntil");
        layers.barrier(e);
        format!(
            "SELECT b.bkey, bc.lookup_value AS bchannel, b.{since_ts} AS since, b.{until_ts} AS until, \
             0 AS bsrc, CAST(b.bord AS BIGINT) AS bord \
             FROM ({log}) b JOIN {lookup} ON b.bchk = bc.lookup_key \
             WHERE b.{since_ts} IS NOT NULL AND (b.buntil IS NULL OR b.{until_ts} IS NOT NULL)\n\
             UNION ALL {from_columns}",
            log = layers.sql(),
            lookup = self.channels("bc"),
        )
    }

    /// The findings of events (file: the event log, column `channel`,
    /// evidence the channel and time, identity the key, channel and time).
    fn project(&self, rule: &RuleRun<'_>, message: &str) -> String {
        let e = self.engine;
        let file = self.file_sql(&self.events_view, &self.events.source.columns);
        let evidence = "channel || ' ' || ets";
        project_with(
            rule,
            &file,
            &Projection {
                column_name: &e.lit("channel"),
                severity: &e.lit(rule.severity.as_str()),
                message,
                evidence,
                detail: "''",
                value: "",
                identity: "'key:' || __key || '|' || channel || '|' || ets",
            },
        )
    }

    /// MKT001: an event while a ban on its channel (or all) was in force;
    /// the first such ban is named.
    pub fn ban_unhonoured(&self, rule: &RuleRun<'_>) -> String {
        let message = "channel || ' marketing sent on ' || substr(ets, 1, 10) || \
             ' after the person banned ' || bchannel || ' marketing on ' || \
             coalesce(substr(since, 1, 10), 'an unknown date')";
        format!(
            "{select}\nFROM (SELECT ev.*, b.bchannel, b.since, \
             row_number() OVER (PARTITION BY ev.eorder ORDER BY b.bsrc, b.bord) AS brank \
             FROM ({events}) ev JOIN ({bans}) b ON ev.__key = b.bkey \
             WHERE (b.bchannel = 'all' OR b.bchannel = ev.channel) \
             AND (b.since IS NULL OR ev.ets >= b.since) AND (b.until IS NULL OR ev.ets < b.until)) t\n\
             WHERE brank = 1",
            select = self.project(rule, message),
            events = self.events(),
            bans = self.bans(),
        )
    }

    /// MKT002: e-mail or SMS to a natural person who has not opted in (and,
    /// with the existing-customer exception, has not bought).
    pub fn without_consent(&self, rule: &RuleRun<'_>) -> Option<String> {
        let marketing = &self.notice.marketing;
        if !marketing.electronic_opt_in {
            return None;
        }
        let purchase = if marketing.existing_customer_exception {
            " AND NOT has_purchase"
        } else {
            ""
        };
        Some(format!(
            "{select}\nFROM ({events}) t\nWHERE channel IN ('email', 'sms') \
             AND NOT (CASE WHEN channel = 'sms' THEN sms_opt_in ELSE email_opt_in END) \
             AND NOT is_company{purchase}",
            select = self.project(
                rule,
                "channel || ' marketing to a natural person who has not opted in to it'"
            ),
            events = self.events(),
        ))
    }
}
