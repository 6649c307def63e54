//! CAT002 in SQL: health data where the notice gives no Art. 9(2) condition
//! for it. A value in a health column is a finding as it is; in free text the
//! first health term counts, found with the lexicon written out for the
//! engine (`lexicon::health_pattern`) and widened to whole words as locally.

use super::dialect::Engine;
use super::exprs::{mask_words, trim_to_word};
use super::lexicon::health_pattern;
use super::rules::{cell_findings, cells, project_column, FileSql, RuleRun};
use crate::columns::Role;

/// Why CAT002 does not compile, or `None` when it does.
pub fn refusal() -> Option<String> {
    health_pattern(Engine::Duckdb)
        .and(health_pattern(Engine::Spark))
        .err()
        .map(|why| format!("{why}; run `regaudit scan` for it"))
}

pub fn queries(rule: &RuleRun<'_>, file: &FileSql<'_>, evaluated: &[usize]) -> Vec<String> {
    let (in_column, in_text) = if file.notice.given {
        (
            "health data in a health column; the notice declares no Art. 9(2) condition for it",
            "health term in free text; the notice declares no Art. 9(2) condition for health data",
        )
    } else {
        (
            "health data in a health column; no notice was given to declare an Art. 9(2) condition for it",
            "health term in free text; no notice was given to declare an Art. 9(2) condition for health data",
        )
    };
    evaluated
        .iter()
        .filter_map(|&i| match file.columns[i].role {
            Role::Health => Some(cell_findings(
                rule,
                file,
                i,
                in_column,
                &mask_words(file.engine, "v"),
                None,
            )),
            Role::Notes => Some(term_in_text(rule, file, i, in_text)),
            _ => None,
        })
        .collect()
}

fn term_in_text(rule: &RuleRun<'_>, file: &FileSql<'_>, i: usize, message: &str) -> String {
    let e = file.engine;
    let pattern = health_pattern(e).expect("CAT002 is refused when its pattern does not translate");
    let matches = e.extract_all("(' ' || v)", &pattern, 1);
    let first = e.first(&e.filter(&matches, "x <> ''"));
    let select = project_column(rule, file, i, message, "w", "''", "w");
    format!(
        "{select}\nFROM (SELECT __row, __key, {word} AS w FROM (\
         SELECT __row, __key, {first} AS m FROM {cells}) t2 WHERE m IS NOT NULL) t3",
        word = trim_to_word(e, "m"),
        cells = cells(file, i),
    )
}
