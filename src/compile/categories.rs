//! CAT001 in SQL: one finding per column whose data category the notice does
//! not declare, with the column's count of non-empty cells. Which columns
//! those are is decided here, from the mapping and the notice, exactly as
//! the local rule decides it; the engine only counts.

use super::rules::{project_column, FileSql, RuleRun};
use crate::columns::vocabulary;

const HETU_CATEGORY: &str = "user.government_id.national_identification_number";

pub fn undeclared(rule: &RuleRun<'_>, file: &FileSql<'_>, evaluated: &[usize]) -> Vec<String> {
    let e = file.engine;
    let vocab = vocabulary();
    evaluated
        .iter()
        .filter_map(|&i| {
            let category = file.columns[i].category.as_deref()?;
            // Identity codes are ID001's, special categories CAT002's, and
            // bookkeeping columns are no personal-data category a notice lists.
            if category == HETU_CATEGORY
                || vocab.is_special(category)
                || vocab.is_bookkeeping(category)
                || file.notice.declares(category)
            {
                return None;
            }
            let how = if file.notice.excludes(category) {
                "the notice says it is not collected"
            } else {
                "the notice does not declare it"
            };
            let evidence = format!(
                "CAST(cells AS {}) || CASE WHEN cells = 1 THEN ' non-empty cell' ELSE ' non-empty cells' END",
                e.text_type()
            );
            let message = format!("column holds {category}, but {how}");
            let select = project_column(rule, file, i, &message, &evidence, "''", &evidence);
            // A finding about the whole column: row 0, no record.
            Some(format!(
                "{select}\nFROM (SELECT CAST(0 AS BIGINT) AS __row, CAST(NULL AS {text}) AS __key, count(c{i}) AS cells FROM {rows}) t\nWHERE cells > 0",
                text = e.text_type(),
                rows = file.rows_view,
            ))
        })
        .collect()
}
