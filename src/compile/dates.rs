//! Dates in SQL as the local engine reads and counts them: `values::parse_date`
//! written as one regular expression, and months added on whole numbers
//! (year, month, day) as chrono's `checked_add_months` adds them, clamped to
//! the month's end. Nothing here uses an engine's `add_months` (whose
//! month-end rule differs between engines) or date parser (whose accepted
//! forms differ too); only whole days are added and counted with the
//! engine's dates, which mean the same everywhere.

use super::dialect::Engine;
use chrono::NaiveDate;

/// A whole date, `2024-03-01` or `1.3.2024`, optionally followed by a time
/// (`T12:30`, ` 12:30:05`, ` klo 12.30`, a fraction and a zone are ignored,
/// but the clock must be real) as `values::parse_datetime` accepts it.
/// Groups 1–3 are the ISO year, month and day; 4–6 the Finnish day, month, year.
fn date_pattern(e: Engine) -> String {
    let ws = super::dialect::WHITE_SPACE;
    let _ = e;
    let hour = "(?:[01]?[0-9]|2[0-3])";
    let clock = format!(
        r"(?:{hour}\.[0-5][0-9]|{hour}:[0-5][0-9](?::[0-5][0-9])?(?:\.[^Z+\-]*)?)(?:[Z+\-].*)?"
    );
    // After a space no `T` may follow: the local parser splits at the first `T`.
    let spaced = format!(
        r"(?:{hour}\.[0-5][0-9]|{hour}:[0-5][0-9](?::[0-5][0-9])?(?:\.[^Z+\-T]*)?)(?:[Z+\-][^T]*)?"
    );
    format!(
        r"(?s)\A(?:([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}})|([0-9]{{1,2}})\.([0-9]{{1,2}})\.([0-9]{{4}}))(?:T{clock}| [{ws}]*(?:klo)?[{ws}]*{spaced})?\z"
    )
}

/// The clock of a value `date_pattern` matches: hour, minute and second
/// (absent for `12:30` and `12.30`). Read apart from the date because RE2
/// numbers at most nine groups; the date (digits, `-`, `.`) ends at the `T`
/// or space, and after a minute only an ISO clock has `:SS`.
fn clock_pattern() -> String {
    let ws = super::dialect::WHITE_SPACE;
    format!(
        r"(?s)\A[0-9.\-]+(?:T| [{ws}]*(?:klo)?[{ws}]*)([0-9]{{1,2}})[.:]([0-9]{{2}})(?::([0-9]{{2}}))?"
    )
}

/// Builds a query as a chain of derived tables, each adding named columns to
/// the one before (`SELECT *, … FROM (…)`), so that a value used several times
/// by the calendar arithmetic is computed once and the SQL stays small.
pub struct Layers {
    sql: String,
    depth: usize,
    /// A prefix for the columns this chain adds.
    prefix: String,
}

impl Layers {
    pub fn new(base: String, prefix: &str) -> Self {
        Layers {
            sql: base,
            depth: 0,
            prefix: prefix.to_string(),
        }
    }

    /// A fresh column name.
    pub fn name(&self, what: &str) -> String {
        format!("{}{what}_{}", self.prefix, self.depth)
    }

    /// Adds the columns `(name, expression)`, which may use any column before them.
    pub fn add(&mut self, columns: &[(String, String)]) {
        let items: Vec<String> = columns
            .iter()
            .map(|(name, expr)| format!("{expr} AS {name}"))
            .collect();
        self.depth += 1;
        self.sql = format!(
            "SELECT *, {} FROM ({}) l{}",
            items.join(", "),
            self.sql,
            self.depth
        );
    }

    /// Ends the chain for a filter on its columns. Spark's optimizer pushes a
    /// filter down through every layer, inlining each column's expression
    /// into it — the chain's sharing is lost and the filter grows
    /// exponentially (a RET001 with a grace period ran out of heap). It does
    /// not push a filter through a layer holding a non-deterministic column,
    /// so Spark's chain ends with one that nothing reads.
    pub fn barrier(&mut self, e: Engine) {
        if e == Engine::Spark {
            let name = self.name("barrier");
            self.add(&[(name, "rand(0)".into())]);
        }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }
}

/// Year, month and day columns of a date.
#[derive(Clone)]
pub struct Ymd {
    pub y: String,
    pub m: String,
    pub d: String,
}

/// Parses the text column `v` into the columns of the returned `Ymd` (NULL
/// when it is no date) and a column `ok` that is true for a real date.
pub fn parse(e: Engine, layers: &mut Layers, v: &str) -> (Ymd, String) {
    let pattern = e.lit(&date_pattern(e));
    let group = |n: u32| format!("NULLIF(regexp_extract({v}, {pattern}, {n}), '')");
    let matched = e.matches(v, &date_pattern(e));
    let part = |iso: u32, fi: u32| {
        format!(
            "CASE WHEN {v} IS NOT NULL AND {matched} THEN TRY_CAST(coalesce({}, {}) AS BIGINT) END",
            group(iso),
            group(fi)
        )
    };
    let ymd = Ymd {
        y: layers.name("y"),
        m: layers.name("m"),
        d: layers.name("d"),
    };
    layers.add(&[
        (ymd.y.clone(), part(1, 6)),
        (ymd.m.clone(), part(2, 5)),
        (ymd.d.clone(), part(3, 4)),
    ]);
    let ok = layers.name("ok");
    layers.add(&[(
        ok.clone(),
        format!(
            "coalesce({y} IS NOT NULL AND {m} BETWEEN 1 AND 12 AND {d} BETWEEN 1 AND {days}, FALSE)",
            y = ymd.y,
            m = ymd.m,
            d = ymd.d,
            days = month_days(&ymd.y, &ymd.m)
        ),
    )]);
    (ymd, ok)
}

/// `values::parse_datetime` of the text column `v` as a column holding
/// `YYYY-MM-DD HH:MM:SS` (how chrono displays it; the fixed width makes text
/// order time order), NULL when `v` is no date or its date does not exist.
pub fn timestamp(e: Engine, layers: &mut Layers, v: &str) -> String {
    let (ymd, ok) = parse(e, layers, v);
    let clock = e.lit(&clock_pattern());
    let part = |n: u32| {
        format!(
            "lpad(CAST(TRY_CAST(coalesce(NULLIF(regexp_extract({v}, {clock}, {n}), ''), '0') AS BIGINT) AS {}), 2, '0')",
            e.text_type()
        )
    };
    let name = layers.name("ts");
    layers.add(&[(
        name.clone(),
        format!(
            "CASE WHEN {ok} THEN {date} || ' ' || {h} || ':' || {m} || ':' || {s} END",
            date = display(e, &ymd),
            h = part(1),
            m = part(2),
            s = part(3),
        ),
    )]);
    name
}

/// The number of days in month `m` of year `y` (Gregorian leap years).
pub fn month_days(y: &str, m: &str) -> String {
    format!(
        "CASE WHEN {m} = 2 THEN CASE WHEN ({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0 THEN 29 ELSE 28 END \
         WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END"
    )
}

/// `NaiveDate::checked_add_months`: the same day `months` later, or the
/// last day of that month when it is shorter (31 January + 1 month = 28 or
/// 29 February).
/// `months` is SQL (a number, or an expression over the row).
pub fn add_months(e: Engine, layers: &mut Layers, date: &Ymd, months: &str) -> Ymd {
    if months == "0" {
        return date.clone();
    }
    let index = layers.name("mi");
    layers.add(&[(
        index.clone(),
        format!("{} * 12 + ({} - 1) + ({months})", date.y, date.m),
    )]);
    let (y, m) = (layers.name("y"), layers.name("m"));
    layers.add(&[
        (y.clone(), e.idiv(&index, "12")),
        (m.clone(), format!("{index} % 12 + 1")),
    ]);
    let d = layers.name("d");
    layers.add(&[(
        d.clone(),
        format!(
            "CASE WHEN {dd} > {days} THEN {days} ELSE {dd} END",
            dd = date.d,
            days = month_days(&y, &m)
        ),
    )]);
    Ymd { y, m, d }
}

/// `date + days`. Adding days has one meaning in every engine, so it is
/// the engine's date arithmetic (on a date that exists: months are clamped
/// first); the date comes back as year, month and day.
pub fn add_days(e: Engine, layers: &mut Layers, date: &Ymd, days: u32) -> Ymd {
    if days == 0 {
        return date.clone();
    }
    let shifted = layers.name("dt");
    layers.add(&[(
        shifted.clone(),
        e.add_days(&make_date(date), &days.to_string()),
    )]);
    let (y, m, d) = (layers.name("y"), layers.name("m"), layers.name("d"));
    layers.add(&[
        (y.clone(), format!("CAST(year({shifted}) AS BIGINT)")),
        (m.clone(), format!("CAST(month({shifted}) AS BIGINT)")),
        (d.clone(), format!("CAST(dayofmonth({shifted}) AS BIGINT)")),
    ]);
    Ymd { y, m, d }
}

/// The engine's date of a real `Ymd`.
pub fn make_date(date: &Ymd) -> String {
    format!(
        "make_date(CAST({} AS INT), CAST({} AS INT), CAST({} AS INT))",
        date.y, date.m, date.d
    )
}

/// Days from `date` to the audit date `as_of` (a literal of the plan).
pub fn days_until(e: Engine, date: &Ymd, as_of: NaiveDate) -> String {
    e.days_between(&make_date(date), &format!("DATE '{as_of}'"))
}

/// `YYYY-MM-DD`, as chrono displays a date of years 0–9999.
pub fn display(e: Engine, date: &Ymd) -> String {
    let pad = |v: &str, n: u32| format!("lpad(CAST({v} AS {}), {n}, '0')", e.text_type());
    format!(
        "{} || '-' || {} || '-' || {}",
        pad(&date.y, 4),
        pad(&date.m, 2),
        pad(&date.d, 2)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_is_the_local_parser() {
        let re = regex::Regex::new(&date_pattern(Engine::Duckdb)).unwrap();
        for text in [
            "2024-03-01",
            "2024-3-1",
            "1.3.2024",
            "01.03.2024",
            "2024-03-01T12:30",
            "2024-03-01T12:30:05.123Z",
            "2024-03-01T9:30+02:00",
            "2024-03-01 12:30",
            "1.3.2024 klo 12.30",
            "1.3.2024 klo12.30",
            "2024-03-01  12:30",
            "2024-03-01T12:30:05.5T",
            "2024-03-01 24:00",
            "2024-03-01 12:60",
            "2024-03-01T12.3",
            "2024-03-01T12:30:00:00",
            "2024-03-01 12:30T",
            "2024-03-01 Tue",
            "2024-03-01T",
            "2024-03-01T 12:00",
            "24-03-01",
            "2024/03/01",
            "1.3.24",
            "2024-03-01 12:30 Z",
            "2024-03-01T12:30Zfoo\nbar",
            "2024-003-01",
            "2024.03.01",
        ] {
            assert_eq!(
                re.is_match(text),
                crate::values::parse_datetime(text).is_some(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn the_clock_groups_are_the_local_time() {
        let date = regex::Regex::new(&date_pattern(Engine::Duckdb)).unwrap();
        let clock = regex::Regex::new(&clock_pattern()).unwrap();
        for text in [
            "2024-03-01",
            "2024-03-01T12:30",
            "2024-03-01T12:30:05.123Z",
            "2024-03-01T12:30.5",
            "2024-03-01T9:30+02:00",
            "2024-03-01 12:30:59",
            "2024-03-01 \u{a0} klo 7:05:01-01",
            "1.3.2024 klo 12.30",
            "1.3.2024 klo7.05",
            "2024-03-01T23.59",
        ] {
            assert!(date.is_match(text), "{text:?}");
            let local = crate::values::parse_datetime(text).unwrap();
            let caps = clock.captures(text);
            let group = |n: usize| {
                caps.as_ref()
                    .and_then(|c| c.get(n))
                    .map_or(0, |m| m.as_str().parse::<u32>().unwrap())
            };
            use chrono::Timelike;
            assert_eq!(
                (group(1), group(2), group(3)),
                (local.hour(), local.minute(), local.second()),
                "{text:?}"
            );
        }
    }
}
