//! ACC001 in SQL (`rules::accuracy`): values that fail their format or
//! check — e-mail addresses, Finnish postcodes, business ids, IBANs and
//! dates — with the local rule's messages and evidence masked as it masks
//! it (the e-mail mask, by shape, or word by word).
//!
//! One query per file: the checked columns' cells are stacked as rows
//! (column name, kind, value), so the date parser and the masks — large
//! expressions that engines plan and compile once per query — appear once.

use super::dates::{self, Layers};
use super::exprs::mask_words;
use super::masks::{mask_auto, mask_email};
use super::rules::{project, FileSql, RuleRun};
use super::validators::{business_id_valid, email_valid, iban_valid, postcode_valid};
use crate::columns::Role;

/// What a column holds, for the check and the mask, with the local rule's
/// message for a value that fails.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Email,
    Postcode,
    BusinessId,
    Iban,
    Date,
}

impl Kind {
    fn of(role: Role) -> Option<Kind> {
        match role {
            Role::Email => Some(Kind::Email),
            Role::Postcode => Some(Kind::Postcode),
            Role::BusinessId => Some(Kind::BusinessId),
            Role::Iban => Some(Kind::Iban),
            role if role.is_date() => Some(Kind::Date),
            _ => None,
        }
    }

    /// Its code in the stacked rows.
    fn code(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Postcode => "postcode",
            Kind::BusinessId => "business_id",
            Kind::Iban => "iban",
            Kind::Date => "date",
        }
    }

    fn message(self) -> &'static str {
        match self {
            Kind::Email => "e-mail address is malformed",
            Kind::Postcode => "postal code is not five digits (Finnish format)",
            Kind::BusinessId => "business id (Y-tunnus) fails its format or check digit",
            Kind::Iban => "IBAN fails its format or check digits",
            Kind::Date => "not a valid date (expected YYYY-MM-DD or d.m.yyyy)",
        }
    }
}

pub fn queries(rule: &RuleRun<'_>, file: &FileSql<'_>, evaluated: &[usize]) -> Vec<String> {
    let e = file.engine;
    let columns: Vec<(usize, Kind)> = evaluated
        .iter()
        .filter_map(|&i| Kind::of(file.columns[i].role).map(|kind| (i, kind)))
        .collect();
    if columns.is_empty() {
        return Vec::new();
    }
    let kinds: Vec<Kind> = columns.iter().map(|&(_, kind)| kind).collect();
    let has = |kind: Kind| kinds.contains(&kind);
    let stacked: Vec<String> = columns
        .iter()
        .map(|&(i, kind)| {
            format!(
                "SELECT __row, __key, {name} AS column_name, '{code}' AS kind, c{i} AS v FROM {rows} WHERE c{i} IS NOT NULL",
                name = file.name_of(i),
                code = kind.code(),
                rows = file.rows_view,
            )
        })
        .collect();
    let mut layers = Layers::new(stacked.join(" UNION ALL "), "a_");
    let mut checks: Vec<(Kind, String)> = Vec::new();
    if has(Kind::Date) {
        let (_, ok) = dates::parse(e, &mut layers, "v");
        checks.push((Kind::Date, ok));
    }
    for (kind, valid) in [
        (Kind::Email, email_valid(e, "v")),
        (Kind::Postcode, postcode_valid(e, "v")),
        (Kind::BusinessId, business_id_valid(e, "v")),
        (Kind::Iban, iban_valid(e, "v")),
    ] {
        if has(kind) {
            checks.push((kind, valid));
        }
    }
    let bad = layers.name("bad");
    layers.add(&[(
        bad.clone(),
        by_kind(&checks, |valid| format!("NOT ({valid})"), "FALSE"),
    )]);
    layers.barrier(e);
    // The masks are computed for the malformed values only.
    let mut masked = Layers::new(
        format!("SELECT * FROM ({}) f WHERE {bad}", layers.sql()),
        "m_",
    );
    let auto = if has(Kind::Postcode) || has(Kind::BusinessId) || has(Kind::Date) {
        mask_auto(e, &mut masked, "v")
    } else {
        "v".to_string()
    };
    let evidence: Vec<(Kind, String)> = kinds
        .iter()
        .map(|&kind| {
            let mask = match kind {
                Kind::Email => mask_email(e, "v"),
                Kind::Iban => mask_words(e, "v"),
                _ => auto.clone(),
            };
            (kind, mask)
        })
        .collect();
    let messages: Vec<(Kind, String)> = kinds.iter().map(|&k| (k, e.lit(k.message()))).collect();
    let select = project(
        rule,
        file,
        "column_name",
        &e.lit(rule.severity.as_str()),
        &by_kind(&messages, |m| m.to_string(), "NULL"),
        &by_kind(&evidence, |m| m.to_string(), "NULL"),
        "''",
        "v",
    );
    vec![format!("{select}\nFROM ({}) t", masked.sql())]
}

/// `CASE kind WHEN … END` over the kinds present (each once).
fn by_kind(cases: &[(Kind, String)], then: impl Fn(&str) -> String, otherwise: &str) -> String {
    let mut seen = Vec::new();
    let mut arms = String::new();
    for (kind, sql) in cases {
        if seen.contains(kind) {
            continue;
        }
        seen.push(*kind);
        arms.push_str(&format!(" WHEN '{}' THEN {}", kind.code(), then(sql)));
    }
    format!("CASE kind{arms} ELSE {otherwise} END")
}
