//! Retention rules (RET001; RET002 follows in the catalogue issue).

use super::context::{DateCell, FileContext, Hit, Row};
use super::Check;
use crate::mask::ValueKind;

/// RET001: the notice's retention period, counted from the record's anchor date, has run out.
pub struct RetentionOverdue;

impl Check for RetentionOverdue {
    fn applies(&self, file: &FileContext<'_>) -> bool {
        file.notice
            .retention
            .as_ref()
            .is_some_and(|r| r.anchors.iter().any(|a| file.has_role(*a)))
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        let Some(retention) = &row.file.notice.retention else {
            return;
        };
        // The first anchor the record has a valid date for; unreadable dates are ACC001's.
        let anchor = retention
            .anchors
            .iter()
            .find_map(|role| match row.date(*role) {
                DateCell::Date(d) => Some((*role, d)),
                _ => None,
            });
        let Some((role, anchor_date)) = anchor else {
            return;
        };
        let Some(deadline) = retention.deadline(anchor_date) else {
            return;
        };
        if deadline >= row.file.as_of {
            return;
        }
        let overdue = (row.file.as_of - deadline).num_days();
        let column = row.value(role).map(|(i, _)| i);
        hits.push(
            Hit::new(
                "RET001",
                column,
                format!(
                    "kept past the retention deadline: {}",
                    retention.description
                ),
            )
            .evidence(
                ValueKind::Plain,
                &format!(
                    "{anchor_date}, deadline {deadline}, {overdue} day{} overdue",
                    if overdue == 1 { "" } else { "s" }
                ),
            ),
        );
    }
}
