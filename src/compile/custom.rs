//! Custom rules (`rules/*.toml` of the config's rules folder) in SQL, as
//! `rules::custom` runs them: `required` (an empty cell), `forbidden_column`
//! (a column with any value), `date_older_than` (a date plus the period before
//! the audit date) and `pattern` rules whose regular expression is written in
//! a portable subset, with any of the validators (`identity_code`,
//! `business_id`, `iban`, `email`) or none. Matches of an identity-code
//! pattern are masked as codes, others by their shape (`masks::mask_auto`).
//! Other pattern rules are refused, each with the reason that names the rule.

use super::dates::{self, Layers};
use super::exprs::{hetu_status, mask_identity_code};
use super::masks::mask_auto;
use super::rules::{cells, project, FileSql, RuleRun};
use super::validators::{business_id_valid, email_valid, iban_valid};
use crate::rules::custom::{CustomForm, CustomSql};

/// Why a custom rule does not compile, or `None` when it does.
pub fn refusal(id: &str, custom: &CustomSql<'_>) -> Option<String> {
    let CustomForm::Pattern { pattern, validator } = custom.form else {
        return None;
    };
    if let Err(why) = portable(pattern) {
        return Some(format!(
            "custom rule {id}: its pattern `{pattern}` {why}; the SQL engines read regular expressions \
             differently outside a portable subset (ASCII letters and digits, escaped punctuation, \
             classes of them, groups, alternation and counted repetition, \\A and \\z)"
        ));
    }
    match validator {
        None | Some("identity_code" | "business_id" | "iban" | "email") => None,
        Some(other) => Some(format!(
            "custom rule {id}: its validator = \"{other}\" has no SQL form; \
             the validators identity_code, business_id, iban and email compile"
        )),
    }
}

/// Whether `pattern` is in the subset that the regex crate, RE2 (DuckDB) and
/// Java (Spark) read alike: no `.`, `\d`, `\w`, `\s`, `\b` (Unicode in one
/// engine, ASCII in another), no `^`/`$` (Java's `$` also matches before a
/// final line break), no flags, no negated classes, no white space and no
/// non-ASCII characters; and no empty match (engines step past one differently).
fn portable(pattern: &str) -> Result<(), String> {
    const ESCAPABLE: &str = r".-+*?()[]{}|^$\/";
    const LITERAL: &str = "-_:/,#@%=!'\"<>;~";
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_ascii_alphanumeric() => {}
            '\\' => {
                i += 1;
                match chars.get(i) {
                    Some(&n) if ESCAPABLE.contains(n) => {}
                    Some('A' | 'z') if !in_class => {}
                    Some(n) => return Err(format!("uses `\\{n}`")),
                    None => return Err("ends with `\\`".into()),
                }
            }
            '[' if !in_class => {
                if chars.get(i + 1) == Some(&'^') {
                    return Err("has a negated class `[^…]`".into());
                }
                in_class = true;
            }
            ']' if in_class => {
                in_class = false;
            }
            '-' => {}
            '&' | '[' if in_class => return Err(format!("has `{c}` inside a class")),
            c if in_class && LITERAL.contains(c) => {}
            '(' => {
                if chars.get(i + 1) == Some(&'?') {
                    if chars.get(i + 2) != Some(&':') {
                        return Err("has a flag or look-around group `(?`".into());
                    }
                    i += 2;
                }
            }
            ')' | '|' | '*' | '+' | '?' => {}
            '{' => {
                let close = chars[i..].iter().position(|&c| c == '}');
                let Some(close) = close else {
                    return Err("has a `{` that is not a repetition".into());
                };
                let inside: String = chars[i + 1..i + close].iter().collect();
                let counted = inside.split(',').enumerate().all(|(n, part)| {
                    part.bytes().all(|b| b.is_ascii_digit()) && (n == 1 || !part.is_empty())
                }) && inside.matches(',').count() <= 1;
                if !counted {
                    return Err(format!(
                        "has `{{{inside}}}`, which is not a counted repetition"
                    ));
                }
                i += close;
            }
            c if LITERAL.contains(c) => {}
            c => return Err(format!("uses `{c}`")),
        }
        i += 1;
    }
    if in_class {
        return Err("has an unclosed class".into());
    }
    match regex::Regex::new(pattern) {
        Ok(re) if re.is_match("") => Err("can match empty text".into()),
        Ok(_) => Ok(()),
        Err(e) => Err(format!("does not compile: {e}")),
    }
}

/// The queries of a custom rule over the columns its coverage names.
pub fn queries(
    rule: &RuleRun<'_>,
    file: &FileSql<'_>,
    evaluated: &[usize],
    custom: &CustomSql<'_>,
) -> Vec<String> {
    let e = file.engine;
    let severity = e.lit(rule.severity.as_str());
    let message = e.lit(custom.message);
    let text = e.text_type();
    if let CustomForm::Pattern { pattern, validator } = custom.form {
        if validator != Some("identity_code") {
            return vec![shaped_matches(
                rule,
                file,
                evaluated,
                pattern,
                validator,
                custom.message,
            )];
        }
    }
    evaluated
        .iter()
        .map(|&i| {
            let name = file.name_of(i);
            let rows = file.rows_view;
            match custom.form {
                CustomForm::Required => {
                    let select = project(
                        rule,
                        file,
                        &name,
                        &severity,
                        &message,
                        &format!("CAST(NULL AS {text})"),
                        "''",
                        "",
                    );
                    format!("{select}\nFROM {rows}\nWHERE c{i} IS NULL")
                }
                CustomForm::ForbiddenColumn => {
                    let evidence = format!("CAST(cells AS {text}) || ' non-empty cells'");
                    let select = project(
                        rule, file, &name, &severity, &message, &evidence, "''", "",
                    );
                    // A finding about the whole column: row 0, no record.
                    format!(
                        "{select}\nFROM (SELECT CAST(0 AS BIGINT) AS __row, CAST(NULL AS {text}) AS __key, \
                         count(c{i}) AS cells FROM {rows}) t\nWHERE cells > 0"
                    )
                }
                CustomForm::DateOlderThan(period) => {
                    let mut layers = Layers::new(
                        format!("SELECT __row, __key, c{i} AS v FROM {rows} WHERE c{i} IS NOT NULL"),
                        "d_",
                    );
                    let (date, ok) = dates::parse(e, &mut layers, "v");
                    let moved =
                        dates::add_months(e, &mut layers, &date, &period.months.to_string());
                    let limit = dates::add_days(e, &mut layers, &moved, period.days);
                    let past = layers.name("past");
                    layers.add(&[(
                        past.clone(),
                        format!(
                            "CASE WHEN {ok} THEN {} END",
                            dates::days_until(e, &limit, file.as_of)
                        ),
                    )]);
                    let evidence = layers.name("evidence");
                    layers.add(&[(
                        evidence.clone(),
                        format!("CASE WHEN {ok} THEN {} END", dates::display(e, &date)),
                    )]);
                    layers.barrier(e);
                    let select = project(
                        rule, file, &name, &severity, &message, &evidence, "''", &evidence,
                    );
                    format!("{select}\nFROM ({}) t\nWHERE {past} > 0", layers.sql())
                }
                CustomForm::Pattern { pattern, .. } => {
                    // Other pattern rules: `shaped_matches`.
                    let found = e.filter(
                        &e.extract_all("v", pattern, 0),
                        &format!("({}) IN ('valid', 'valid_temporary')", hetu_status(e, "x")),
                    );
                    let select = project(
                        rule,
                        file,
                        &name,
                        &severity,
                        &message,
                        &mask_identity_code(e, "item"),
                        &format!("CAST(pos AS {text})"),
                        "item",
                    );
                    format!(
                        "{select}\nFROM (SELECT __row, __key, {explode} FROM (\
                         SELECT __row, __key, {found} AS found FROM {cells}) t2) t3",
                        explode = e.explode("found"),
                        cells = cells(file, i),
                    )
                }
            }
        })
        .collect()
}

/// The matches of a pattern rule (that `validator` accepts, when given) in
/// the `evaluated` columns, each a finding with the match masked by its
/// shape and its place among the cell's matches as the detail, as
/// `rules::custom` makes them. One query for all the columns: the cells are
/// stacked as rows, so the masks' large expressions appear once.
fn shaped_matches(
    rule: &RuleRun<'_>,
    file: &FileSql<'_>,
    evaluated: &[usize],
    pattern: &str,
    validator: Option<&str>,
    message: &str,
) -> String {
    let e = file.engine;
    let matches = e.extract_all("v", pattern, 0);
    let found = match validator {
        Some("business_id") => e.filter(&matches, &business_id_valid(e, "x")),
        Some("iban") => e.filter(&matches, &iban_valid(e, "x")),
        Some("email") => e.filter(&matches, &email_valid(e, "x")),
        // `refusal` lets no other validator through.
        _ => matches,
    };
    let stacked: Vec<String> = evaluated
        .iter()
        .map(|&i| {
            format!(
                "SELECT __row, __key, {name} AS column_name, c{i} AS v FROM {rows} WHERE c{i} IS NOT NULL",
                name = file.name_of(i),
                rows = file.rows_view,
            )
        })
        .collect();
    let mut layers = Layers::new(
        format!(
            "SELECT __row, __key, column_name, {explode} FROM (\
             SELECT __row, __key, column_name, {found} AS found FROM ({cells}) t) t2",
            explode = e.explode("found"),
            cells = stacked.join(" UNION ALL "),
        ),
        "p_",
    );
    let evidence = mask_auto(e, &mut layers, "item");
    let select = project(
        rule,
        file,
        "column_name",
        &e.lit(rule.severity.as_str()),
        &e.lit(message),
        &evidence,
        &format!("CAST(pos AS {})", e.text_type()),
        "item",
    );
    format!("{select}\nFROM ({}) t3", layers.sql())
}

#[cfg(test)]
mod tests {
    use super::portable;

    #[test]
    fn only_the_portable_subset_passes() {
        for ok in [
            r"[0-9]{6}[-+A]\d{3}",
            r"[0-9]{6}[-+A][0-9]{3}[0-9A-Y]",
            r"(?:FI)?[0-9]{7}\-[0-9]",
            r"\A[A-Z]{2}[0-9]+\z",
            "ab|cd",
            "x{2,}y",
        ] {
            let expected = !ok.contains(r"\d");
            assert_eq!(portable(ok).is_ok(), expected, "{ok}");
        }
        for bad in [
            r"\bword\b",
            r"\s+x",
            ".+",
            "^x$",
            "(?i)x",
            "(?=x)y",
            "[^0-9]x",
            "ä+",
            "a b",
            "x*",
            "[a-z",
            "x{a}",
            "[a&&b]",
        ] {
            assert!(portable(bad).is_err(), "{bad}");
        }
    }
}
