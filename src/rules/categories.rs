//! Category rules: CAT001 a column of an undeclared category, CAT002 health
//! (Art. 9) data without a declared special category and condition.

use super::context::{FileContext, FileStats, Hit, Row};
use super::data::health_word;
use super::{Coverage, RowCheck};
use crate::columns::{vocabulary, Role};
use crate::mask::ValueKind;

const HETU_CATEGORY: &str = "user.government_id.national_identification_number";
const HEALTH_CATEGORY: &str = "user.health_and_medical";

/// CAT001: one finding per column whose category the notice does not declare.
pub struct UndeclaredCategory;

impl RowCheck for UndeclaredCategory {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        let columns: Vec<usize> = (0..file.columns.len())
            .filter(|&i| file.columns[i].category.is_some())
            .collect();
        if columns.is_empty() {
            Coverage::Skipped("no column with a known data category".into())
        } else {
            Coverage::Evaluated(columns)
        }
    }

    fn check_file(&self, file: &FileContext<'_>, stats: &FileStats, hits: &mut Vec<Hit>) {
        let vocab = vocabulary();
        for (i, column) in file.columns.iter().enumerate() {
            let Some(category) = column.category.as_deref() else {
                continue;
            };
            // Identity codes are ID001's, special categories CAT002's, and
            // bookkeeping columns are not personal-data categories a notice lists.
            if category == HETU_CATEGORY
                || vocab.is_special(category)
                || vocab.is_bookkeeping(category)
                || file.notice.declares(category)
            {
                continue;
            }
            let cells = stats.non_empty[i];
            if cells == 0 {
                continue;
            }
            let how = if file.notice.excludes(category) {
                "the notice says it is not collected"
            } else {
                "the notice does not declare it"
            };
            hits.push(
                Hit::new(Some(i), format!("column holds {category}, but {how}")).evidence(
                    ValueKind::Plain,
                    &format!(
                        "{cells} non-empty cell{}",
                        if cells == 1 { "" } else { "s" }
                    ),
                ),
            );
        }
    }
}

/// CAT002: health data where the notice gives no Art. 9(2) condition for it.
pub struct SpecialCategoryWithoutBasis;

impl RowCheck for SpecialCategoryWithoutBasis {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        if file.notice.special_condition(HEALTH_CATEGORY).is_some() {
            return Coverage::Skipped(
                "the notice declares an Art. 9(2) condition for health data".into(),
            );
        }
        Coverage::of_roles(
            file,
            &[Role::Health, Role::Notes],
            "no health or free-text column",
        )
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        let (in_column, in_text) = if row.file.notice.given {
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
        for (i, _, value) in row.cells_of(Role::Health) {
            hits.push(Hit::new(Some(i), in_column).evidence(ValueKind::Other, value));
        }
        for (i, _, value) in row.cells_of(Role::Notes) {
            if let Some(word) = health_word(value) {
                hits.push(Hit::new(Some(i), in_text).evidence(ValueKind::Plain, word));
            }
        }
    }
}
