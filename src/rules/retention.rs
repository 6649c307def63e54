//! Retention rules: RET001 retention period over, RET002 erasure request not carried out.

use super::context::{DateCell, FileContext, Hit, Row};
use super::{Coverage, Gap, RowCheck};
use crate::columns::Role;
use crate::mask::ValueKind;
use crate::values::parse_bool;
use chrono::Months;

/// RET001: the notice's retention period, counted from the record's anchor date, has run out.
pub struct RetentionOverdue;

impl RowCheck for RetentionOverdue {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        let Some(retention) = &file.notice.retention else {
            return Coverage::Skipped("the notice states no retention period".into());
        };
        match Coverage::of_roles(file, &retention.anchors, "") {
            Coverage::Skipped(_) => {
                let anchors: Vec<&str> = retention.anchors.iter().map(|r| r.name()).collect();
                Coverage::Blocked(Gap {
                    reason: format!(
                        "the notice's retention runs from {}, but no column has that role",
                        anchors.join(" or ")
                    ),
                    needs: retention.anchors.clone(),
                })
            }
            evaluated => evaluated,
        }
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
                column,
                format!(
                    "kept past the retention deadline: {}",
                    retention.description
                ),
            )
            .evidence(
                ValueKind::Plain,
                &format!("{anchor_date}, deadline {deadline}, {}", days(overdue)),
            ),
        );
    }
}

/// RET002: an erasure request older than one month (three with a recorded extension).
pub struct ErasureRequestOverdue;

impl RowCheck for ErasureRequestOverdue {
    fn coverage(&self, file: &FileContext<'_>) -> Coverage {
        Coverage::of_roles(
            file,
            &[Role::ErasureRequested, Role::ErasureExtended],
            "no erasure-request column",
        )
        .require(
            file.has_role(Role::ErasureRequested),
            "no erasure-request column",
        )
    }

    fn check_row(&self, row: &Row<'_>, hits: &mut Vec<Hit>) {
        let DateCell::Date(requested) = row.date(Role::ErasureRequested) else {
            return;
        };
        let extended = row
            .value(Role::ErasureExtended)
            .and_then(|(_, v)| parse_bool(v))
            .unwrap_or(false);
        let months = if extended { 3 } else { 1 };
        let Some(deadline) = requested.checked_add_months(Months::new(months)) else {
            return;
        };
        if deadline >= row.file.as_of {
            return;
        }
        let overdue = (row.file.as_of - deadline).num_days();
        let column = row.value(Role::ErasureRequested).map(|(i, _)| i);
        let limit = if extended {
            "three months (extension recorded)"
        } else {
            "one month"
        };
        hits.push(
            Hit::new(
                column,
                format!("erasure requested more than {limit} ago and the record is still kept"),
            )
            .evidence(
                ValueKind::Plain,
                &format!("{requested}, deadline {deadline}, {}", days(overdue)),
            ),
        );
    }
}

fn days(overdue: i64) -> String {
    format!(
        "{overdue} day{} overdue",
        if overdue == 1 { "" } else { "s" }
    )
}
