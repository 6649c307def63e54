//! ACC001 in SQL (`rules::accuracy`): values that fail their format or
//! check — e-mail addresses, Finnish postcodes, business ids, IBANs and
//! dates — one query per column, with the local rule's message and evidence
//! masked as it masks it (the e-mail mask, by shape, or word by word).

use super::dates::{self, Layers};
use super::exprs::mask_words;
use super::masks::{mask_auto, mask_email};
use super::rules::{project, FileSql, RuleRun};
use super::validators::{business_id_valid, email_valid, iban_valid, postcode_valid};
use crate::columns::Role;

/// How a column's value is masked in the finding (`mask::ValueKind`).
enum Mask {
    Email,
    Auto,
    Words,
}

pub fn queries(rule: &RuleRun<'_>, file: &FileSql<'_>, evaluated: &[usize]) -> Vec<String> {
    evaluated
        .iter()
        .filter_map(|&i| malformed(rule, file, i))
        .collect()
}

fn malformed(rule: &RuleRun<'_>, file: &FileSql<'_>, i: usize) -> Option<String> {
    let e = file.engine;
    let mut layers = Layers::new(
        format!(
            "SELECT __row, __key, c{i} AS v FROM {} WHERE c{i} IS NOT NULL",
            file.rows_view
        ),
        "a_",
    );
    let role = file.columns[i].role;
    let (valid, message, kind) = match role {
        Role::Email => (
            email_valid(e, "v"),
            "e-mail address is malformed",
            Mask::Email,
        ),
        Role::Postcode => (
            postcode_valid(e, "v"),
            "postal code is not five digits (Finnish format)",
            Mask::Auto,
        ),
        Role::BusinessId => (
            business_id_valid(e, "v"),
            "business id (Y-tunnus) fails its format or check digit",
            Mask::Auto,
        ),
        Role::Iban => (
            iban_valid(e, "v"),
            "IBAN fails its format or check digits",
            Mask::Words,
        ),
        role if role.is_date() => {
            let (_, ok) = dates::parse(e, &mut layers, "v");
            (
                ok,
                "not a valid date (expected YYYY-MM-DD or d.m.yyyy)",
                Mask::Auto,
            )
        }
        _ => return None,
    };
    let bad = layers.name("bad");
    layers.add(&[(bad.clone(), format!("NOT ({valid})"))]);
    layers.barrier(e);
    // The masks are computed for the malformed values only.
    let mut masked = Layers::new(
        format!("SELECT * FROM ({}) f WHERE {bad}", layers.sql()),
        "m_",
    );
    let evidence = match kind {
        Mask::Email => mask_email(e, "v"),
        Mask::Words => mask_words(e, "v"),
        Mask::Auto => mask_auto(e, &mut masked, "v"),
    };
    let select = project(
        rule,
        file,
        &file.name_of(i),
        &e.lit(rule.severity.as_str()),
        &e.lit(message),
        &evidence,
        "''",
        "v",
    );
    Some(format!("{select}\nFROM ({}) t", masked.sql()))
}
