//! The allowlist: `[[allow]]` entries of `regaudit.toml` that accept known
//! findings, each with a reason, optionally an owner and an expiry date. An
//! entry matches by rule, register, column, record or fingerprint (every
//! matcher it gives must agree); a matched finding is reported as suppressed
//! and does not count for the exit status. From its `expires` date on an
//! entry no longer suppresses.

use crate::finding::{Finding, Fingerprint, Suppression};
use crate::toml_reader::{Located, TableReader};
use chrono::NaiveDate;
use std::sync::Arc;

/// One `[[allow]]` entry, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowEntry {
    /// `regaudit.toml:14`, where the entry starts.
    pub location: String,
    pub rule: Option<String>,
    pub register: Option<String>,
    pub column: Option<String>,
    pub record: Option<String>,
    pub fingerprint: Option<Fingerprint>,
    pub reason: String,
    pub owner: Option<String>,
    pub expires: Option<NaiveDate>,
}

const MATCHERS: [&str; 5] = ["rule", "register", "column", "record", "fingerprint"];

impl AllowEntry {
    /// Whether every matcher the entry gives agrees with the finding.
    pub fn matches(&self, finding: &Finding) -> bool {
        let agrees = |want: &Option<String>, have: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == have)
        };
        self.rule
            .as_deref()
            .is_none_or(|r| r.eq_ignore_ascii_case(&finding.rule))
            && agrees(&self.register, Some(&finding.register))
            && agrees(&self.column, finding.column.as_deref())
            && agrees(&self.record, finding.record.as_deref())
            && self.fingerprint.is_none_or(|f| f == finding.fingerprint)
    }

    /// An entry stops suppressing on its `expires` date.
    pub fn is_expired(&self, as_of: NaiveDate) -> bool {
        self.expires.is_some_and(|e| as_of >= e)
    }

    /// What a finding this entry suppresses carries.
    pub fn suppression(&self) -> Arc<Suppression> {
        Arc::new(Suppression {
            entry: self.location.clone(),
            reason: self.reason.clone(),
            owner: self.owner.clone(),
            expires: self.expires.map(|d| d.to_string()),
        })
    }
}

/// Reads the `[[allow]]` tables of a config; every problem (no reason, no
/// matcher, a bad date) becomes a diagnostic at its place.
pub fn read_allowlist(tables: Vec<TableReader>) -> Vec<AllowEntry> {
    tables.iter().filter_map(read_entry).collect()
}

fn read_entry(t: &TableReader) -> Option<AllowEntry> {
    let source = t.source();
    let at = source.diagnostic(t.span().start, "");
    let location = format!("{}:{}", source.path.display(), at.line);
    let text = |key: &str| {
        t.string(key)
            .map(|s: Located<String>| s.value.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let [rule, register, column, record, fingerprint_text] = MATCHERS.map(text);
    let mut ok = true;
    let fingerprint = fingerprint_text.as_ref().and_then(|f| {
        let parsed = f.parse::<Fingerprint>().ok();
        if parsed.is_none() {
            if let Some(at) = t.string("fingerprint") {
                source.error(
                    &at.span,
                    format!(
                        "`{}.fingerprint` is not a fingerprint (16 hex digits, as in the report)",
                        t.path
                    ),
                );
            }
            ok = false;
        }
        parsed
    });
    if [&rule, &register, &column, &record, &fingerprint_text]
        .iter()
        .all(|m| m.is_none())
    {
        source.error(
            &t.span(),
            format!(
                "`{}` matches nothing: give at least one of {}",
                t.path,
                MATCHERS.join(", ")
            ),
        );
        ok = false;
    }
    let reason = match t.string("reason") {
        Some(r) if !r.value.trim().is_empty() => Some(r.value.trim().to_string()),
        Some(r) => {
            source.error(
                &r.span,
                format!(
                    "`{}.reason` is empty: say why the finding is accepted",
                    t.path
                ),
            );
            None
        }
        None => {
            source.error(
                &t.span(),
                format!("`{}` has no `reason`: every allowlist entry must say why the finding is accepted", t.path),
            );
            None
        }
    };
    let owner = text("owner");
    let expires = t.date_text("expires").and_then(|e| {
        let date = NaiveDate::parse_from_str(e.value.trim(), "%Y-%m-%d").ok();
        if date.is_none() {
            source.error(
                &e.span,
                format!(
                    "`{}.expires` = `{}` is not a date in the form YYYY-MM-DD",
                    t.path, e.value
                ),
            );
            ok = false;
        }
        date
    });
    t.finish(&[
        "rule",
        "register",
        "column",
        "record",
        "fingerprint",
        "reason",
        "owner",
        "expires",
    ]);
    Some(AllowEntry {
        location,
        rule,
        register,
        column,
        record,
        fingerprint,
        reason: reason?,
        owner,
        expires,
    })
    .filter(|_| ok)
}
