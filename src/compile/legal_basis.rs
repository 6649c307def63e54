//! LB001 and LB002 in SQL: a record's legal basis missing, or not one the
//! notice declares. A cell may name several bases (`sopimus; suostumus`); each
//! part is compared with the synonyms of `rules/legal_bases.toml` by its value
//! key, written into the SQL as literals.

use super::exprs::{lookup_table, trim, value_key};
use super::rules::{project, project_column, FileSql, RuleRun};
use crate::notice::LegalBasis;
use crate::rules::data::legal_basis_keys;

/// The record's legal basis: the first non-empty legal-basis column's value
/// (`Row::value`), as `v`, and that column's name, as `col`.
fn first_value(file: &FileSql<'_>, columns: &[usize]) -> String {
    let cells: Vec<String> = columns.iter().map(|i| format!("c{i}")).collect();
    let names: Vec<String> = columns
        .iter()
        .map(|i| format!("WHEN c{i} IS NOT NULL THEN {}", file.name_of(*i)))
        .collect();
    format!(
        "SELECT __row, __key, coalesce({}) AS v, CASE {} END AS col FROM {}",
        cells.join(", "),
        names.join(" "),
        file.rows_view
    )
}

/// LB001: no legal-basis column of the record has a value.
pub fn missing(rule: &RuleRun<'_>, file: &FileSql<'_>, columns: &[usize]) -> String {
    let e = file.engine;
    let select = project_column(
        rule,
        file,
        columns[0],
        "no legal basis recorded for this record",
        &format!("CAST(NULL AS {})", e.text_type()),
        "''",
        "",
    );
    format!(
        "{select}\nFROM ({}) t WHERE v IS NULL",
        first_value(file, columns)
    )
}

/// LB002: each part of the value that is no basis, or a basis the notice does not declare.
pub fn undeclared(rule: &RuleRun<'_>, file: &FileSql<'_>, columns: &[usize]) -> String {
    let e = file.engine;
    let synonyms: Vec<(String, String)> = legal_basis_keys()
        .into_iter()
        .map(|(key, basis)| (key.to_string(), basis.name().to_string()))
        .collect();
    let declared: Vec<String> = LegalBasis::ALL
        .iter()
        .filter(|b| file.notice.declares_basis(**b))
        .map(|b| format!("'{}'", b.name()))
        .collect();
    let messages: Vec<String> = LegalBasis::ALL
        .iter()
        .map(|b| {
            format!(
                "WHEN '{}' THEN {}",
                b.name(),
                e.lit(&format!(
                    "legal basis {b} (Art. {}) is not one the notice declares",
                    b.article()
                ))
            )
        })
        .collect();
    let message = format!(
        "CASE WHEN basis IS NULL THEN {} ELSE CASE basis {} END END",
        e.lit("legal basis not recognised as any GDPR Art. 6(1) basis"),
        messages.join(" ")
    );
    let parts = e.filter(
        &e.transform(&e.split("v", "[,;/+]"), &trim(e, "x")),
        "x <> ''",
    );
    let select = project(
        rule,
        file,
        "col",
        &e.lit(rule.severity.as_str()),
        &message,
        "v",
        &format!("CAST(pos AS {})", e.text_type()),
        "v",
    );
    let reported = if declared.is_empty() {
        "TRUE".to_string()
    } else {
        format!("basis IS NULL OR basis NOT IN ({})", declared.join(", "))
    };
    format!(
        "{select}\nFROM (SELECT t2.*, syn.lookup_value AS basis FROM (\
         SELECT *, {key} AS k FROM (\
         SELECT __row, __key, v, col, {explode} FROM (\
         SELECT __row, __key, v, col, {parts} AS parts FROM ({first}) t WHERE v IS NOT NULL) t0) t1) t2 \
         LEFT JOIN {lookup} ON t2.k = syn.lookup_key) t3\n\
         WHERE {reported}",
        lookup = lookup_table(e, "syn", &synonyms),
        key = value_key(e, "item"),
        explode = e.explode("parts"),
        first = first_value(file, columns),
    )
}
