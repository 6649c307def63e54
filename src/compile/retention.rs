//! RET001 and RET002 in SQL: the record's anchor date plus the notice's
//! period (or the erasure request plus one or three months) against the
//! audit date, which is a literal of the plan. Dates are parsed and counted
//! on whole numbers (`dates`), month ends clamped as locally.

use super::dates::{self, Layers, Ymd};
use super::exprs::value_key;
use super::rules::{project, FileSql, RuleRun};
use crate::columns::Role;
use crate::notice::Period;
use crate::values::TRUE_WORDS;

/// `Row::value(role)` as the columns `v{n}` and `col{n}`.
fn first_of(file: &FileSql<'_>, role: Role, n: usize) -> [String; 2] {
    let (value, column) = file.first_value(role);
    [format!("{value} AS v{n}"), format!("{column} AS col{n}")]
}

/// `Period::after`: months (clamped to the month's end), then days.
fn after(file: &FileSql<'_>, layers: &mut Layers, date: &Ymd, period: Period) -> Ymd {
    let e = file.engine;
    let moved = dates::add_months(e, layers, date, &period.months.to_string());
    dates::add_days(e, layers, &moved, period.days)
}

/// `N day(s) overdue` from the column `overdue`.
fn overdue_text(file: &FileSql<'_>, overdue: &str) -> String {
    format!(
        "CAST({overdue} AS {}) || CASE WHEN {overdue} = 1 THEN ' day overdue' ELSE ' days overdue' END",
        file.engine.text_type()
    )
}

/// The finding of a deadline before the audit date: `anchor, deadline D, N days overdue`.
fn overdue_query(
    rule: &RuleRun<'_>,
    file: &FileSql<'_>,
    mut layers: Layers,
    anchor: &Ymd,
    deadline: &Ymd,
    column: &str,
    message: &str,
) -> String {
    let e = file.engine;
    let overdue = layers.name("overdue");
    layers.add(&[(overdue.clone(), dates::days_until(e, deadline, file.as_of))]);
    let evidence = layers.name("evidence");
    layers.add(&[(
        evidence.clone(),
        format!(
            "{} || ', deadline ' || {} || ', ' || {}",
            dates::display(e, anchor),
            dates::display(e, deadline),
            overdue_text(file, &overdue)
        ),
    )]);
    layers.barrier(e);
    let select = project(
        rule,
        file,
        column,
        &e.lit(rule.severity.as_str()),
        message,
        &evidence,
        "''",
        &evidence,
    );
    format!("{select}\nFROM ({}) t\nWHERE {overdue} > 0", layers.sql())
}

/// RET001: the first anchor date the record has, plus the period and grace.
pub fn retention_overdue(rule: &RuleRun<'_>, file: &FileSql<'_>) -> Vec<String> {
    let Some(retention) = &file.notice.retention else {
        return Vec::new();
    };
    let e = file.engine;
    let mut items = vec!["__row".to_string(), "__key".to_string()];
    for (n, role) in retention.anchors.iter().enumerate() {
        items.extend(first_of(file, *role, n));
    }
    let mut layers = Layers::new(
        format!("SELECT {} FROM {}", items.join(", "), file.rows_view),
        "r",
    );
    // Each anchor role's value counts only when it is a date; else the next role's.
    let parsed: Vec<(Ymd, String)> = (0..retention.anchors.len())
        .map(|n| dates::parse(e, &mut layers, &format!("v{n}")))
        .collect();
    let pick = |field: &dyn Fn(&Ymd) -> String, or_col: Option<usize>| {
        let arms: Vec<String> = parsed
            .iter()
            .enumerate()
            .map(|(n, (ymd, ok))| {
                let value = match or_col {
                    Some(_) => format!("col{n}"),
                    None => field(ymd),
                };
                format!("WHEN {ok} THEN {value}")
            })
            .collect();
        format!("CASE {} END", arms.join(" "))
    };
    let anchor = Ymd {
        y: "anchor_y".into(),
        m: "anchor_m".into(),
        d: "anchor_d".into(),
    };
    layers.add(&[
        (anchor.y.clone(), pick(&|d: &Ymd| d.y.clone(), None)),
        (anchor.m.clone(), pick(&|d: &Ymd| d.m.clone(), None)),
        (anchor.d.clone(), pick(&|d: &Ymd| d.d.clone(), None)),
        ("anchor_col".into(), pick(&|d: &Ymd| d.y.clone(), Some(0))),
    ]);
    let counted = after(file, &mut layers, &anchor, retention.period);
    let deadline = after(file, &mut layers, &counted, retention.grace);
    let message = e.lit(&format!(
        "kept past the retention deadline: {}",
        retention.description
    ));
    vec![overdue_query(
        rule,
        file,
        layers,
        &anchor,
        &deadline,
        "anchor_col",
        &message,
    )]
}

/// RET002: the erasure request plus one month, or three with an extension recorded.
pub fn erasure_overdue(rule: &RuleRun<'_>, file: &FileSql<'_>) -> Vec<String> {
    let e = file.engine;
    let mut items = vec!["__row".to_string(), "__key".to_string()];
    items.extend(first_of(file, Role::ErasureRequested, 0));
    items.extend(first_of(file, Role::ErasureExtended, 1));
    let mut layers = Layers::new(
        format!("SELECT {} FROM {}", items.join(", "), file.rows_view),
        "e",
    );
    let (requested, ok) = dates::parse(e, &mut layers, "v0");
    let words: Vec<String> = TRUE_WORDS.iter().map(|w| e.lit(w)).collect();
    layers.add(&[(
        "extended".into(),
        format!(
            "coalesce(v1 IS NOT NULL AND {} IN ({}), FALSE)",
            value_key(e, "v1"),
            words.join(", ")
        ),
    )]);
    let deadline = dates::add_months(
        e,
        &mut layers,
        &requested,
        "CASE WHEN extended THEN 3 ELSE 1 END",
    );
    let message = format!(
        "CASE WHEN extended THEN {} ELSE {} END",
        e.lit("erasure requested more than three months (extension recorded) ago and the record is still kept"),
        e.lit("erasure requested more than one month ago and the record is still kept"),
    );
    let mut query = overdue_query(rule, file, layers, &requested, &deadline, "col0", &message);
    query.push_str(&format!(" AND {ok}"));
    vec![query]
}
